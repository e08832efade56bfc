"""RSS and Atom feeds (parley.ingest.feed) on the seed article and official texts, as feeds carry them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from news_pages import (
    PAGE_URL,
    SEED_BODY,
    SEED_STORY,
    SITE,
    RssItem,
    Story,
    atom_feed,
    primary_story,
    rss_feed,
)
from parley.errors import InputError
from parley.ingest import read_path, read_paths
from parley.ingest.feed import parse_feed
from parley.ingest.html import url_id
from parley.model import Article

QUOTE = "“I am willing to give up Ukrainian territory to Russia to achieve peace,”"


def items_of(data: bytes, name: str = "feed.rss") -> list[Article | InputError]:
    return list(parse_feed(data, name))


def articles_of(data: bytes) -> list[Article]:
    items = items_of(data)
    errors = [i for i in items if isinstance(i, InputError)]
    assert not errors, errors
    return [i for i in items if isinstance(i, Article)]


def errors_of(data: bytes) -> list[InputError]:
    return [i for i in items_of(data) if isinstance(i, InputError)]


def test_rss_full_text_entry_is_the_article_with_its_paragraphs() -> None:
    (article,) = articles_of(rss_feed([RssItem(SEED_STORY)]))
    assert article.text == SEED_BODY
    assert QUOTE in article.text


def test_rss_entry_gives_url_id_title_outlet_and_date() -> None:
    (article,) = articles_of(rss_feed([RssItem(SEED_STORY)]))
    assert article.url == PAGE_URL
    assert article.id == url_id(PAGE_URL)
    assert article.title == SEED_STORY.title
    assert article.outlet == SITE
    assert article.published == dt.date(2024, 11, 30)
    assert article.source == "feed.rss"


def test_rss_date_is_the_day_as_written_not_moved_to_utc() -> None:
    late = Story(SEED_STORY.title, PAGE_URL, SEED_STORY.paragraphs, "2024-11-30T23:15:00-05:00")
    (article,) = articles_of(rss_feed([RssItem(late)]))
    assert article.published == dt.date(2024, 11, 30)


def test_rss_of_several_official_texts_gives_one_article_each_in_order() -> None:
    stories = [primary_story(i) for i in range(6)]
    articles = articles_of(rss_feed([RssItem(s) for s in stories], title="President of Ukraine"))
    assert [a.url for a in articles] == [s.url for s in stories]
    assert [a.text for a in articles] == [s.body for s in stories]
    assert {a.outlet for a in articles} == {"President of Ukraine"}


def test_rss_summary_only_entry_is_read_from_its_description() -> None:
    story = primary_story(3)  # kremlin.ru lines carry a summary
    assert story.summary
    (article,) = articles_of(rss_feed([RssItem(story, full_text=False)]))
    assert article.text == story.summary


def test_rss_entry_prefers_the_full_text_to_the_summary() -> None:
    story = primary_story(3)
    (article,) = articles_of(rss_feed([RssItem(story)]))
    assert article.text == story.body


def test_rss_entry_embedding_a_whole_page_is_read_as_that_page() -> None:
    (article,) = articles_of(rss_feed([RssItem(SEED_STORY, embedded_page=True)]))
    assert article.text == SEED_BODY
    assert article.title == SEED_STORY.title
    assert "Most read" not in article.text and "Privacy policy" not in article.text


@pytest.mark.parametrize("xhtml", [False, True], ids=["html", "xhtml"])
def test_atom_entry_content_is_the_article(xhtml: bool) -> None:
    (article,) = articles_of(atom_feed([SEED_STORY], xhtml=xhtml))
    assert article.text == SEED_BODY
    assert article.url == PAGE_URL
    assert article.outlet == SITE
    assert article.published == dt.date(2024, 11, 30)


def test_entry_without_text_is_an_error_naming_it_and_the_others_are_read() -> None:
    bare = Story("Headline only", "https://kyivledger.example/bare", [], "2024-11-30T10:00:00+00:00")
    items = items_of(
        rss_feed([RssItem(SEED_STORY), RssItem(bare, full_text=False), RssItem(primary_story(0))])
    )
    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article"]
    error = items[1]
    assert isinstance(error, InputError)
    assert "entry 2 (https://kyivledger.example/bare)" in error.problem
    assert "no text" in error.problem


def test_character_reference_to_a_surrogate_is_an_error_not_a_crash() -> None:
    # Found by benchmarks/fuzz_readers.py: feedparser raises UnicodeEncodeError on "&#xD800;".
    data = rss_feed([RssItem(SEED_STORY)]).replace(b"<title>", b"<title>&#xD800;", 1)
    (error,) = errors_of(data)
    assert "not a readable feed" in error.problem


def test_truncated_feed_keeps_the_entries_before_the_break_and_reports_it() -> None:
    whole = rss_feed([RssItem(SEED_STORY), RssItem(primary_story(0)), RssItem(primary_story(1))])
    cut = whole[: whole.index(b"<item>", whole.index(b"</item>")) + 200]
    items = items_of(cut)
    assert isinstance(items[0], Article) and items[0].text == SEED_BODY
    assert isinstance(items[-1], InputError)
    assert "not well-formed" in items[-1].problem


def test_feed_not_valid_in_its_declared_encoding_is_an_error() -> None:
    cp1252 = rss_feed([RssItem(SEED_STORY)]).decode("utf-8").encode("cp1252")
    (error,) = errors_of(cp1252)
    assert "declared encoding" in error.problem


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text"),
        (
            b'<?xml version="1.0"?><urlset><url><loc>https://a.example/</loc></url></urlset>',
            "not an RSS or Atom feed",
        ),
    ],
    ids=["empty", "binary", "sitemap"],
)
def test_file_that_is_no_feed_is_one_error(data: bytes, problem: str) -> None:
    (item,) = items_of(data)
    assert isinstance(item, InputError)
    assert problem in item.problem


@pytest.mark.parametrize("suffix", [".rss", ".atom", ".xml", ".RSS"])
def test_feed_suffixes_are_read_as_feeds(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"news{suffix}"
    path.write_bytes(rss_feed([RssItem(SEED_STORY)]))
    (article,) = read_path(path)
    assert isinstance(article, Article)
    assert article.text == SEED_BODY
    assert article.source == str(path)


def test_folder_walk_skips_xml_that_is_not_a_feed(tmp_path: Path) -> None:
    (tmp_path / "sitemap.xml").write_bytes(
        b'<?xml version="1.0"?><urlset><url><loc>https://a/</loc></url></urlset>'
    )
    (tmp_path / "news.xml").write_bytes(rss_feed([RssItem(SEED_STORY)]))
    items = list(read_paths([tmp_path]))
    assert [type(i).__name__ for i in items] == ["Article"]


def test_xml_that_is_not_a_feed_named_directly_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "sitemap.xml"
    path.write_bytes(b'<?xml version="1.0"?><urlset><url><loc>https://a/</loc></url></urlset>')
    (item,) = read_path(path)
    assert isinstance(item, InputError)
    assert "not an RSS or Atom feed" in item.problem

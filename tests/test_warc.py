"""Web archives (parley.ingest.warc) of news pages holding the seed article and official texts."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from news_pages import (
    PAGE_URL,
    SEED_BODY,
    SEED_STORY,
    SITE,
    Capture,
    Story,
    news_page,
    primary_story,
    warc_archive,
)
from parley.errors import InputError
from parley.ingest import read_path, read_paths
from parley.ingest.html import url_id
from parley.ingest.limits import MAX_DOCUMENT_BYTES
from parley.ingest.warc import parse_warc
from parley.model import Article

SEED_PAGE = Capture(PAGE_URL, news_page().encode("utf-8"))


def items_of(data: bytes) -> list[Article | InputError]:
    return list(parse_warc(io.BytesIO(data), "crawl.warc.gz"))


def articles_of(data: bytes) -> list[Article]:
    items = items_of(data)
    errors = [i for i in items if isinstance(i, InputError)]
    assert not errors, errors
    return [i for i in items if isinstance(i, Article)]


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_archived_page_is_the_article(gzip: bool) -> None:
    (article,) = articles_of(warc_archive([SEED_PAGE], gzip=gzip))
    assert article.text == SEED_BODY
    assert article.title == SEED_STORY.title
    assert article.outlet == SITE


def test_url_and_id_come_from_the_target_uri() -> None:
    archived_at = "https://kyivledger.example/world/2024/11/30/zelenskyy-ceasefire-territory?utm_source=rss"
    (article,) = articles_of(warc_archive([Capture(archived_at, SEED_PAGE.body)]))
    assert article.url == archived_at
    assert article.id == url_id(archived_at)


def test_date_is_the_page_own_when_it_has_one() -> None:
    (article,) = articles_of(warc_archive([SEED_PAGE]))
    assert article.published == dt.date(2024, 11, 30)


def test_date_is_the_warc_date_when_the_page_has_none() -> None:
    # No date in the page's metadata, nor in its url (a date in the path is a page date too).
    story = Story(
        SEED_STORY.title, "https://kyivledger.example/world/zelenskyy-ceasefire", SEED_STORY.paragraphs
    )
    undated = Capture(story.url, news_page(story, dated=False).encode("utf-8"), date="2024-12-02T10:30:00Z")
    (article,) = articles_of(warc_archive([undated]))
    assert article.published == dt.date(2024, 12, 2)


def test_crawl_of_several_pages_gives_one_article_each_and_skips_what_is_not_a_page() -> None:
    stories = [primary_story(i) for i in range(6)]
    captures = [Capture(s.url, news_page(s, site="President of Ukraine").encode("utf-8")) for s in stories]
    captures.insert(2, Capture("https://kyivledger.example/logo.png", b"\x89PNG\r\n\x1a\n", "image/png"))
    captures.insert(
        4, Capture("https://kyivledger.example/old", b"", "text/html", status="301 Moved Permanently")
    )
    captures.insert(
        5,
        Capture("https://kyivledger.example/gone", b"<html><p>Not found</p></html>", status="404 Not Found"),
    )
    articles = articles_of(warc_archive(captures))
    assert [a.url for a in articles] == [s.url for s in stories]
    assert [a.text for a in articles] == [s.body for s in stories]


def test_charset_of_the_http_header_is_used_when_the_page_declares_none() -> None:
    page = news_page().replace('<meta charset="utf-8">', "")
    capture = Capture(PAGE_URL, page.encode("cp1252"), content_type="text/html; charset=windows-1252")
    (article,) = articles_of(warc_archive([capture]))
    assert article.text == SEED_BODY


def test_page_without_article_text_is_an_error_naming_the_record() -> None:
    empty = Capture(
        "https://kyivledger.example/menu", b"<html><body><nav><a href='/'>Home</a></nav></body></html>"
    )
    items = items_of(warc_archive([empty, SEED_PAGE]))
    assert isinstance(items[0], InputError)
    assert "record 3 (https://kyivledger.example/menu)" in items[0].problem
    assert isinstance(items[1], Article)


def test_page_with_an_attribute_lxml_refuses_is_still_read() -> None:
    # Found by benchmarks/fuzz_readers.py: lxml refuses to copy an attribute named "terms.<"; the
    # HTML reader keeps such a block whole instead of failing the page.
    odd = news_page().replace("<p>In a significant", '<p terms.<="x">In a significant', 1)
    items = items_of(warc_archive([Capture(PAGE_URL + "/odd", odd.encode()), SEED_PAGE]))
    assert [type(i) for i in items] == [Article, Article]
    first = items[0]
    assert isinstance(first, Article) and first.text.startswith("In a significant turn of events")


def test_page_over_the_size_limit_is_refused() -> None:
    filler = "<!-- " + "x" * MAX_DOCUMENT_BYTES + " -->"
    huge = Capture(PAGE_URL + "/huge", news_page().replace("</body>", filler + "</body>").encode("utf-8"))
    items = items_of(warc_archive([huge, SEED_PAGE]))
    assert isinstance(items[0], InputError)
    assert "larger than 16 MB" in items[0].problem
    assert isinstance(items[1], Article)


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_truncated_archive_keeps_the_pages_before_the_break_and_reports_it(gzip: bool) -> None:
    whole = warc_archive(
        [SEED_PAGE, Capture(primary_story(0).url, news_page(primary_story(0)).encode())], gzip=gzip
    )
    items = items_of(whole[: len(whole) - 300])
    assert isinstance(items[0], Article) and items[0].text == SEED_BODY
    assert isinstance(items[-1], InputError)
    assert "breaks off" in items[-1].problem or "truncated" in items[-1].problem


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "not a WARC file"),
        (b"<html><body><p>A page saved as .warc</p></body></html>", "not a WARC file"),
        (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage", "WARC"),
    ],
    ids=["empty", "html", "corrupt-gzip"],
)
def test_file_that_is_no_warc_is_one_error(data: bytes, problem: str) -> None:
    (item,) = items_of(data)
    assert isinstance(item, InputError)
    assert problem in item.problem


def test_archive_with_no_html_page_is_an_error() -> None:
    (item,) = items_of(warc_archive([Capture("https://a.example/logo.png", b"\x89PNG\r\n", "image/png")]))
    assert isinstance(item, InputError)
    assert "no HTML page" in item.problem


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz", "CRAWL.WARC.GZ"])
def test_warc_suffixes_are_read_as_archives(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(warc_archive([SEED_PAGE], gzip=name.lower().endswith(".gz")))
    (article,) = read_path(path)
    assert isinstance(article, Article)
    assert article.text == SEED_BODY
    assert article.source == str(path)


def test_folder_walk_reads_warc_gz_files(tmp_path: Path) -> None:
    (tmp_path / "crawl.warc.gz").write_bytes(warc_archive([SEED_PAGE]))
    (tmp_path / "notes.gz").write_bytes(b"\x1f\x8b")
    items = list(read_paths([tmp_path]))
    assert [type(i).__name__ for i in items] == ["Article"]

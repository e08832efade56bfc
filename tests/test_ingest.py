"""Article readers (parley.ingest) on the seed article and real official texts."""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pytest

from parley.errors import InputError
from parley.ingest import read_path, read_paths
from parley.ingest.html import url_id
from parley.model import Article

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "zelenskyy-ceasefire-territory.txt"
PRIMARY = REPO / "tests" / "fixtures" / "primary-sample.jsonl"

SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_PARAGRAPHS = [p for p in SEED_TEXT.split("\n\n") if p.strip()]
QUOTE = "“I am willing to give up Ukrainian territory to Russia to achieve peace,”"

HEADLINE = "Zelenskyy signals he could cede occupied land for a ceasefire under NATO cover"
SITE = "The Kyiv Ledger"
PAGE_URL = "https://kyivledger.example/world/2024/11/30/zelenskyy-ceasefire-territory"


def read_one(path: Path) -> Article | InputError:
    """Return the single item read from ``path``, failing the test when there is not exactly one."""
    (item,) = read_path(path)
    return item


def read_error(path: Path) -> InputError:
    item = read_one(path)
    assert isinstance(item, InputError), f"expected an InputError, got {item!r}"
    return item


def read_article(path: Path) -> Article:
    item = read_one(path)
    assert isinstance(item, Article), f"expected an Article, got {item!r}"
    return item


def news_page(
    paragraphs: list[str] = SEED_PARAGRAPHS,
    *,
    charset: str = "utf-8",
    published: str | None = "2024-11-30T08:15:00+00:00",
    canonical: str | None = PAGE_URL,
    body: str | None = None,
) -> str:
    """Return a news page as sites serve it: head metadata, navigation, article, related, footer."""
    meta = [f'<meta charset="{charset}">', f'<meta property="og:site_name" content="{SITE}">']
    meta.append(f'<meta property="og:title" content="{html.escape(HEADLINE)}">')
    if published is not None:
        meta.append(f'<meta property="article:published_time" content="{published}">')
    if canonical is not None:
        meta.append(f'<link rel="canonical" href="{canonical}">')
    if body is None:
        body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
{chr(10).join(meta)}
<title>{html.escape(HEADLINE)} | {SITE}</title>
</head>
<body>
<header>
  <a class="logo" href="/">{SITE}</a>
  <nav><ul><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li>
  <li><a href="/business">Business</a></li><li><a href="/opinion">Opinion</a></li></ul></nav>
</header>
<main>
  <article>
    <h1>{html.escape(HEADLINE)}</h1>
    <div class="byline">By Staff Reporter</div>
    <div class="article-body">
{body}
    </div>
  </article>
  <aside class="related"><h3>Most read</h3><ul>
    <li><a href="/a">Markets rally as energy prices ease</a></li>
    <li><a href="/b">Five things to watch this week</a></li></ul></aside>
</main>
<footer><p>© 2024 {SITE}. All rights reserved.</p>
  <a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a></footer>
</body>
</html>
"""


def write(path: Path, content: str | bytes) -> Path:
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


# Plain text


def test_text_article_is_the_file_content_unchanged() -> None:
    article = read_article(SEED)
    assert article.text == SEED_TEXT
    assert article.text.index(QUOTE) == SEED_TEXT.index(QUOTE)


def test_text_article_has_content_id_and_source_and_no_title() -> None:
    article = read_article(SEED)
    assert article.id == Article.content_id(SEED_TEXT)
    assert article.source == str(SEED)
    assert article.title is None


def test_text_windows_newlines_become_unix_newlines(tmp_path: Path) -> None:
    path = write(tmp_path / "crlf.txt", SEED_TEXT.replace("\n", "\r\n"))
    article = read_article(path)
    assert article.text == SEED_TEXT
    assert article.id == Article.content_id(SEED_TEXT)


def test_text_utf8_byte_order_mark_is_stripped(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + SEED_TEXT.encode("utf-8"))
    assert read_article(path).text == SEED_TEXT


def test_text_leading_and_trailing_whitespace_is_kept(tmp_path: Path) -> None:
    content = "\n  " + SEED_PARAGRAPHS[0] + "\n\n\n"
    assert read_article(write(tmp_path / "padded.txt", content)).text == content


BAD_TEXT = [
    pytest.param(b"", "empty file", id="empty"),
    pytest.param(b" \n\t\r\n  \n", "empty file", id="whitespace-only"),
    pytest.param("\u00a0\u3000\n".encode(), "empty file", id="unicode-whitespace-only"),
    pytest.param(b"\xef\xbb\xbf\n", "empty file", id="bom-only"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file, not text", id="png"),
    pytest.param(bytes(range(1, 9)) * 20 + b"ceasefire", "binary file, not text", id="controls"),
    pytest.param(b"caf\xe9 au lait in Kyiv", "invalid UTF-8 at byte 3", id="latin-1"),
    pytest.param(b"\xef\xbb\xbfcaf\xe9", "invalid UTF-8 at byte 6", id="latin-1-after-bom"),
    pytest.param("Kyiv talks".encode("utf-16"), "UTF-16 text is not supported", id="utf-16"),
]


@pytest.mark.parametrize(("content", "problem"), BAD_TEXT)
@pytest.mark.parametrize("suffix", [".txt", ".html"])
def test_unreadable_document_gives_one_error_naming_the_file(
    tmp_path: Path, suffix: str, content: bytes, problem: str
) -> None:
    path = write(tmp_path / f"bad{suffix}", content)
    error = read_error(path)
    assert error.path == str(path)
    assert error.problem.startswith(problem)
    assert str(path) in str(error)


# HTML


def test_html_text_is_the_article_paragraphs_separated_by_blank_lines(tmp_path: Path) -> None:
    article = read_article(write(tmp_path / "page.html", news_page()))
    assert article.text == "\n\n".join(SEED_PARAGRAPHS)


@pytest.mark.parametrize(
    ("markup", "joiner"),
    [
        pytest.param("</div>\n<div>", "\n\n", id="div-elements"),
        pytest.param("<br><br>", "\n\n", id="double-br"),
        pytest.param("<br>\n<br/><br>", "\n\n", id="triple-br"),
        pytest.param("<br>", "\n", id="single-br-is-a-line-break"),
    ],
)
def test_html_paragraph_breaks_become_blank_lines(tmp_path: Path, markup: str, joiner: str) -> None:
    # In a <div>: inside a <p>, trafilatura itself folds <br><br> into one line break.
    body = "<div>" + markup.join(html.escape(p) for p in SEED_PARAGRAPHS) + "</div>"
    article = read_article(write(tmp_path / "page.html", news_page(body=body)))
    assert article.text == joiner.join(SEED_PARAGRAPHS)


@pytest.mark.parametrize(
    "boilerplate", ["Most read", "Privacy policy", "All rights reserved", "Politics", "By Staff"]
)
def test_html_text_leaves_out_page_boilerplate(tmp_path: Path, boilerplate: str) -> None:
    article = read_article(write(tmp_path / "page.html", news_page()))
    assert boilerplate not in article.text


def test_html_metadata_comes_from_the_page(tmp_path: Path) -> None:
    article = read_article(write(tmp_path / "page.html", news_page()))
    assert (article.title, article.outlet, article.published, article.url) == (
        HEADLINE,
        SITE,
        dt.date(2024, 11, 30),
        PAGE_URL,
    )


def test_html_id_is_stable_for_the_url_whatever_the_text(tmp_path: Path) -> None:
    first = read_article(write(tmp_path / "first.html", news_page()))
    edited = read_article(write(tmp_path / "edited.html", news_page(SEED_PARAGRAPHS[:-1])))
    assert first.id == edited.id == url_id(PAGE_URL)


def test_html_without_url_gets_content_id(tmp_path: Path) -> None:
    article = read_article(write(tmp_path / "page.htm", news_page(canonical=None)))
    assert article.url is None
    assert article.id == Article.content_id(article.text)


def test_html_date_is_not_guessed_from_boilerplate(tmp_path: Path) -> None:
    # The page's only year is the "© 2024" footer and "February 2022" in the text.
    article = read_article(write(tmp_path / "page.html", news_page(published=None, canonical=None)))
    assert article.published is None


@pytest.mark.parametrize("charset", ["windows-1252", "iso-8859-1"])
def test_html_declared_single_byte_charset_decodes_curly_quotes(tmp_path: Path, charset: str) -> None:
    page = news_page(charset=charset).encode("cp1252")
    assert QUOTE in read_article(write(tmp_path / "page.html", page)).text


def test_html_declared_utf16_is_read_as_utf8(tmp_path: Path) -> None:
    page = news_page(charset="utf-16").encode("utf-8")
    assert QUOTE in read_article(write(tmp_path / "page.html", page)).text


def test_html_declared_charset_invalid_bytes_give_error(tmp_path: Path) -> None:
    # 0x81 is one of the five bytes Windows-1252 leaves undefined.
    page = news_page(charset="windows-1252").encode("cp1252").replace(b"NATO", b"NAT\x81")
    assert read_error(write(tmp_path / "page.html", page)).problem.startswith("invalid cp1252")


@pytest.mark.parametrize(
    "page",
    [
        pytest.param("<html><body><nav><a href='/'>Home</a></nav></body></html>", id="nav-only"),
        pytest.param("<html><head><title>Talks</title></head><body></body></html>", id="no-body"),
    ],
)
def test_html_without_article_text_gives_error(tmp_path: Path, page: str) -> None:
    error = read_error(write(tmp_path / "page.html", page))
    assert error.problem == "no article text found in HTML"


# JSONL


def primary_lines() -> list[str]:
    return PRIMARY.read_text(encoding="utf-8").splitlines()


def test_jsonl_reads_every_primary_text_with_its_metadata() -> None:
    articles = [a for a in read_path(PRIMARY) if isinstance(a, Article)]
    expected = [json.loads(line) for line in primary_lines()]
    assert [(a.id, a.title, a.url, a.outlet, a.text) for a in articles] == [
        (e["id"], e["title"], e["url"], e["outlet"], e["text"]) for e in expected
    ]


def test_jsonl_published_datetime_becomes_its_date() -> None:
    days = [a.published for a in read_path(PRIMARY) if isinstance(a, Article)]
    assert days == [
        dt.date(2021, 10, 25),
        dt.date(2021, 10, 28),
        dt.date(2021, 10, 28),
        dt.date(2021, 10, 24),
        dt.date(2021, 10, 25),
        dt.date(2021, 10, 25),
    ]


def test_jsonl_malformed_line_is_reported_and_reading_goes_on(tmp_path: Path) -> None:
    lines = primary_lines()
    truncated = '{"id": "x", "text": '
    path = write(tmp_path / "mixed.jsonl", "\n".join([*lines[:2], truncated, *lines[2:]]))
    items = list(read_path(path))
    errors = [i for i in items if isinstance(i, InputError)]
    assert [a.id for a in items if isinstance(a, Article)] == [json.loads(x)["id"] for x in lines]
    assert [(e.path, e.line) for e in errors] == [(str(path), 3)]
    assert f"{path}:3: invalid JSON" in str(errors[0])


BAD_RECORDS = [
    pytest.param('{"id": "a1"}', "missing 'text'", id="missing-text"),
    pytest.param('{"text": "Talks resumed."}', "missing 'id'", id="missing-id"),
    pytest.param('{"id": "a1", "text": "  "}', "'text' is empty", id="empty-text"),
    pytest.param('{"id": "a1", "text": ["Talks"]}', "'text' is an array", id="text-not-string"),
    pytest.param('{"id": true, "text": "Talks resumed."}', "'id' is a boolean", id="id-bool"),
    pytest.param(
        '{"id": "a1", "text": "Talks resumed.", "published": "25 March 2022"}',
        "'published' is not an ISO date or datetime: '25 March 2022'",
        id="bad-published",
    ),
    pytest.param(
        '{"id": "a1", "text": "Talks resumed.", "published": 2022}',
        "'published' is a number",
        id="published-not-string",
    ),
    pytest.param(
        '{"id": "a1", "text": "Talks resumed.", "title": {"en": "Talks"}}',
        "'title' is an object",
        id="title-not-string",
    ),
    pytest.param('["a1", "Talks resumed."]', "expected a JSON object, got an array", id="array"),
    pytest.param('{"id": "a1", "text": "Talks\x01 resumed."}', "invalid JSON", id="control-char"),
    pytest.param(
        '{"id": "a1", "text": "Talks\\u0000 resumed."}', "'text' contains a NUL character", id="nul"
    ),
    pytest.param(
        '{"id": "a1", "text": "Talks\\ud800 resumed."}',
        "'text' contains an unpaired surrogate",
        id="surrogate",
    ),
]


@pytest.mark.parametrize(("record", "problem"), BAD_RECORDS)
def test_jsonl_bad_record_gives_error_with_file_and_line(tmp_path: Path, record: str, problem: str) -> None:
    good = primary_lines()[0]
    path = write(tmp_path / "bad.jsonl", f"{good}\n{record}\n{good}\n")
    items = list(read_path(path))
    assert [type(i) for i in items] == [Article, InputError, Article]
    error = items[1]
    assert isinstance(error, InputError)
    assert (error.path, error.line) == (str(path), 2)
    assert error.problem.startswith(problem)


def test_jsonl_invalid_utf8_spoils_only_its_line(tmp_path: Path) -> None:
    good = primary_lines()[0].encode("utf-8")
    bad = b'{"id": "a1", "text": "caf\xe9 in Kyiv"}'
    path = write(tmp_path / "latin.jsonl", b"\n".join([good, bad, good]))
    items = list(read_path(path))
    assert [type(i) for i in items] == [Article, InputError, Article]
    error = items[1]
    assert isinstance(error, InputError)
    # Byte offsets are the file's: the line starts after the first line and its newline.
    assert (error.line, error.problem) == (2, f"invalid UTF-8 at byte {len(good) + 1 + 25}")


def test_jsonl_blank_lines_are_skipped_but_counted(tmp_path: Path) -> None:
    content = '\n{"id": "a1", "text": "Talks resumed."}\r\n\n   \n{"id": 7}\n'
    items = list(read_path(write(tmp_path / "blank.ndjson", content)))
    assert [type(i) for i in items] == [Article, InputError]
    assert isinstance(items[1], InputError)
    assert items[1].line == 5


def test_jsonl_integer_id_becomes_string(tmp_path: Path) -> None:
    path = write(tmp_path / "int.jsonl", '{"id": 42, "text": "Talks resumed."}')
    assert read_article(path).id == "42"


def test_jsonl_text_is_kept_exactly_as_given(tmp_path: Path) -> None:
    text = "  Line one.\r\nLine two.  "
    path = write(tmp_path / "exact.jsonl", json.dumps({"id": "a1", "text": text}))
    assert read_article(path).text == text


@pytest.mark.parametrize(
    ("published", "day"),
    [
        ("2022-03-29", dt.date(2022, 3, 29)),
        ("2022-03-29T23:30:00-05:00", dt.date(2022, 3, 29)),
        ("2022-03-29T10:00:00Z", dt.date(2022, 3, 29)),
        (None, None),
    ],
)
def test_jsonl_published_takes_the_date_as_written(
    tmp_path: Path, published: str | None, day: dt.date | None
) -> None:
    record = {"id": "a1", "text": "Talks resumed in Istanbul.", "published": published}
    assert read_article(write(tmp_path / "d.jsonl", json.dumps(record))).published == day


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        pytest.param(b"", "empty file", id="empty"),
        pytest.param(b"\n\n  \n", "empty file", id="blank-lines-only"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file, not text", id="png"),
    ],
)
def test_jsonl_unreadable_file_gives_one_error(tmp_path: Path, content: bytes, problem: str) -> None:
    error = read_error(write(tmp_path / "bad.jsonl", content))
    assert (error.problem, error.line) == (problem, None)


# Dispatch


def test_unknown_suffix_gives_error_naming_file_and_suffix(tmp_path: Path) -> None:
    path = write(tmp_path / "statement.pdf", b"%PDF-1.7")
    error = read_error(path)
    assert error.path == str(path)
    assert "'.pdf'" in error.problem


def test_missing_path_gives_error(tmp_path: Path) -> None:
    error = read_error(tmp_path / "missing.txt")
    assert error.problem == "no such file or directory"


def test_suffix_case_does_not_matter(tmp_path: Path) -> None:
    assert read_article(write(tmp_path / "SEED.TXT", SEED_TEXT)).text == SEED_TEXT


def test_directory_is_walked_in_sorted_order_reading_supported_files(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", SEED_PARAGRAPHS[1])
    write(tmp_path / "a.txt", SEED_PARAGRAPHS[0])
    write(tmp_path / "notes.md", "# not an article")
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "c.htm", news_page())
    (tmp_path / ".cache").mkdir()
    write(tmp_path / ".cache" / "copy.txt", SEED_PARAGRAPHS[2])
    sources = [item.source for item in read_paths([tmp_path]) if isinstance(item, Article)]
    assert sources == [str(tmp_path / n) for n in ("a.txt", "b.txt", "sub/c.htm")]


def test_paths_are_read_in_the_order_given(tmp_path: Path) -> None:
    items = list(read_paths([PRIMARY, tmp_path / "missing.txt", SEED]))
    assert [type(i) for i in items] == [*[Article] * 6, InputError, Article]

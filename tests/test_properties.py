"""Properties of every reader and of ``analyze`` on arbitrary input (hypothesis).

Whatever the bytes or the text, a reader yields articles and InputErrors (or a one-document parser
raises an InputError) and never anything else; ``analyze`` returns an analysis whose every span
slices the article's text. Examples are derived from a fixed seed, so a run is repeatable; the long
fuzz run (10,000s of inputs) is ``benchmarks/fuzz_readers.py``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from news_pages import SEED_PARAGRAPHS, SEED_STORY, Capture, RssItem, Story, news_page, rss_feed, warc_archive
from parley.errors import InputError
from parley.ingest.feed import parse_feed
from parley.ingest.html import parse_html
from parley.ingest.jsonl import parse_jsonl
from parley.ingest.text import parse_text
from parley.ingest.warc import parse_warc
from parley.model import Analysis, Article
from parley.pipeline import analyze

SOURCE = "fuzzed"
# derandomize: the same examples on every run (no flaky CI); deadline off: a loaded CI machine is slow.
READERS = settings(max_examples=60, deadline=None, derandomize=True, database=None)
PIPELINE = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def only_articles_and_errors(items: Iterable[object]) -> list[Article | InputError]:
    """Return ``items`` after checking each is an article with text, or an InputError naming the source."""
    seen: list[Article | InputError] = []
    for item in items:
        if isinstance(item, InputError):
            assert item.path == SOURCE and item.problem
        else:
            assert isinstance(item, Article), item
            assert item.text.strip()
        seen.append(item)
    return seen


def one_document(parse: Callable[[bytes, str], Article], data: bytes) -> None:
    """Check a one-document parser: an article, or an InputError raised (and nothing else)."""
    try:
        article = parse(data, SOURCE)
    except InputError as error:
        assert error.path == SOURCE and error.problem
    else:
        assert article.text.strip()


def many_documents(parse: Callable[[bytes], Iterator[Article | InputError]], data: bytes) -> None:
    only_articles_and_errors(parse(data))


# -- bytes from nowhere, and real documents broken at random ----------------------------------------

SEED_PAGE = news_page().encode("utf-8")
SEED_RSS = rss_feed([RssItem(SEED_STORY)])
SEED_WARC = warc_archive([Capture(SEED_STORY.url, SEED_PAGE)])
SEED_JSONL = json.dumps({"id": "seed", "text": "\n\n".join(SEED_PARAGRAPHS)}).encode() + b"\n"


@st.composite
def broken(draw: st.DrawFn, document: bytes) -> bytes:
    """A real document cut, overwritten and spliced at random places: what a bad disk or download makes."""
    data = bytearray(document)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["cut", "overwrite", "insert", "delete"]))
        if action == "cut":
            del data[at:]
        elif action == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=16))
            data[at : at + len(chunk)] = chunk
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            del data[at : at + draw(st.integers(1, 256))]
    return bytes(data)


def inputs(document: bytes) -> st.SearchStrategy[bytes]:
    return st.one_of(st.binary(max_size=512), broken(document))


@READERS
@given(inputs(SEED_JSONL.replace(b"\n", b"")))
def test_text_reader_reads_or_refuses_any_bytes(data: bytes) -> None:
    one_document(parse_text, data)


@READERS
@given(inputs(SEED_PAGE))
def test_html_reader_reads_or_refuses_any_bytes(data: bytes) -> None:
    one_document(parse_html, data)


@READERS
@given(inputs(SEED_JSONL * 3))
def test_jsonl_reader_reads_or_refuses_any_bytes(data: bytes) -> None:
    many_documents(lambda d: parse_jsonl(d, SOURCE), data)


@READERS
@given(inputs(SEED_RSS))
def test_feed_reader_reads_or_refuses_any_bytes(data: bytes) -> None:
    many_documents(lambda d: parse_feed(d, SOURCE), data)


@READERS
@given(inputs(SEED_WARC))
def test_warc_reader_reads_or_refuses_any_bytes(data: bytes) -> None:
    many_documents(lambda d: parse_warc(io.BytesIO(d), SOURCE), data)


# -- well-formed containers around arbitrary text --------------------------------------------------

# Text that XML 1.0 can carry: no control characters (other than newlines and tabs) or lone surrogates.
xml_text = st.text(st.characters(exclude_categories=("Cc", "Cs")) | st.sampled_from("\n\t"), max_size=200)
paragraphs = st.lists(xml_text.filter(str.strip), min_size=1, max_size=4)


@READERS
@given(paragraphs, xml_text)
def test_feed_of_any_text_gives_articles_or_errors(body: list[str], title: str) -> None:
    story = Story(title, "https://kyivledger.example/a", body, "2024-11-30T08:15:00+00:00")
    items = only_articles_and_errors(parse_feed(rss_feed([RssItem(story)]), SOURCE))
    assert len(items) == 1


@READERS
@given(paragraphs)
def test_warc_of_any_page_gives_one_article_or_error(body: list[str]) -> None:
    page = news_page(Story("A title", "https://kyivledger.example/a", body)).encode("utf-8")
    items = only_articles_and_errors(
        parse_warc(io.BytesIO(warc_archive([Capture(SEED_STORY.url, page)])), SOURCE)
    )
    assert len(items) == 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
records = st.fixed_dictionaries(
    {},
    optional={
        "id": json_values,
        "text": st.text(max_size=200) | json_values,
        "published": st.text(max_size=30) | json_values,
        "title": json_values,
        "url": json_values,
    },
)


@READERS
@given(st.lists(records | json_values, min_size=1, max_size=5))
def test_jsonl_of_any_json_gives_one_article_or_error_per_line(lines: list[Any]) -> None:
    data = "\n".join(json.dumps(line) for line in lines).encode("utf-8")
    items = only_articles_and_errors(parse_jsonl(data, SOURCE))
    assert len(items) == len(lines)


# -- the pipeline on any text -------------------------------------------------------------------------

news_words = st.sampled_from(
    [
        "Zelenskyy",
        "Putin",
        "said",
        "told",
        "“",
        "”",
        '"',
        "'",
        "ceasefire",
        "NATO",
        "if",
        "not",
        ",",
        ".",
        "\n\n",
    ]
)
texts = st.one_of(
    st.text(max_size=300),
    st.lists(news_words | st.text(max_size=8), max_size=60).map(" ".join),
    st.lists(st.sampled_from(SEED_PARAGRAPHS), min_size=1, max_size=2).map("\n\n".join),
)


def spans_in(value: object) -> Iterator[dict[str, Any]]:
    """Yield every object under ``value`` with int ``start`` and ``end`` and a str ``text``."""
    if isinstance(value, dict):
        start, end, text = value.get("start"), value.get("end"), value.get("text")
        if isinstance(start, int) and isinstance(end, int) and isinstance(text, str):
            yield value
        for item in value.values():
            yield from spans_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from spans_in(item)


@PIPELINE
@given(texts)
def test_analyze_any_text_gives_spans_that_slice_it(text: str) -> None:
    analysis = analyze(text)
    assert isinstance(analysis, Analysis)
    assert analysis.article.text == text
    output = analysis.to_json()
    for span in spans_in({k: v for k, v in output.items() if k != "article"}):
        assert text[span["start"] : span["end"]] == span["text"], span

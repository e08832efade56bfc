"""A corpus with bad documents mixed in: each bad one is reported and quarantined, the rest stored.

The good documents are real texts in every format Parley reads (the seed article as plain text,
official texts as an HTML page, an RSS feed, a WARC and JSON Lines); the bad ones are what corpora
collect: a binary file, HTML cut off in its head, a text in the wrong encoding, a 50 MB file, a
malformed JSON line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from news_pages import (
    PRIMARY_RECORDS,
    SEED_TEXT,
    Capture,
    RssItem,
    news_page,
    primary_story,
    rss_feed,
    warc_archive,
)
from parley.cli import app
from parley.ingest.limits import MAX_DOCUMENT_BYTES
from parley.store import Store

GOOD = 7  # seed.txt, page.html, news.rss, crawl.warc.gz, and three lines of wire.jsonl
# Wide enough that rich never wraps a file name or a summary line in two.
runner = CliRunner(env={"COLUMNS": "400"})


@dataclass(frozen=True)
class Run:
    """One ``parley ingest`` of the mixed corpus: the folder, the database and the CLI's result."""

    corpus: Path
    db: Path
    result: Result


def mixed_corpus(folder: Path) -> Path:
    """Write the good and the bad documents into ``folder``; return it."""
    folder.mkdir()
    (folder / "seed.txt").write_text(SEED_TEXT, encoding="utf-8")
    (folder / "page.html").write_text(news_page(primary_story(0)), encoding="utf-8")
    (folder / "news.rss").write_bytes(rss_feed([RssItem(primary_story(1))]))
    story = primary_story(2)
    (folder / "crawl.warc.gz").write_bytes(warc_archive([Capture(story.url, news_page(story).encode())]))
    lines = [json.dumps(record, ensure_ascii=False) for record in PRIMARY_RECORDS[3:]]
    lines.insert(1, '{"id": "broken", "text": "Zelenskyy said')  # cut off mid-record
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")

    # A scanned page saved with the wrong suffix: a PNG header and pixel bytes.
    (folder / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    # A download that stopped in the page's head, before any of the article.
    page = news_page(primary_story(4))
    (folder / "cut.html").write_text(page[: page.index("<body>") + 40], encoding="utf-8")
    # The seed article saved by a Windows editor: curly quotes as cp1252 bytes, not UTF-8.
    (folder / "latin.txt").write_bytes(SEED_TEXT.encode("cp1252"))
    # 50 MB of text in one file: a dump that should have been split into articles.
    with (folder / "dump.txt").open("w", encoding="utf-8") as dump:
        for _ in range(50 * 1024 * 1024 // len(SEED_TEXT.encode()) + 1):
            dump.write(SEED_TEXT)
    return folder


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    base = tmp_path_factory.mktemp("bad-corpus")
    corpus = mixed_corpus(base / "corpus")
    db = base / "parley.db"
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(db)])
    return Run(corpus, db, result)


def test_exit_code_says_that_inputs_failed(run: Run) -> None:
    assert run.result.exit_code == 1, run.result.output


def test_good_documents_are_all_stored(run: Run) -> None:
    with Store(run.db) as store:
        assert len(store.articles()) == GOOD
    assert f"read {GOOD} · added {GOOD}" in run.result.output


@pytest.mark.parametrize(
    ("name", "line", "problem"),
    [
        ("scan.txt", None, "binary file, not text"),
        ("cut.html", None, "no article text found in HTML"),
        ("latin.txt", None, "invalid UTF-8 at byte"),
        ("dump.txt", None, "the limit for one document is 16.0 MB"),
        ("wire.jsonl", 2, "invalid JSON"),
    ],
)
def test_each_bad_document_has_a_quarantine_row_and_a_clear_error(
    run: Run, name: str, line: int | None, problem: str
) -> None:
    with Store(run.db) as store:
        rows = [r for r in store.quarantined() if Path(r["source"]).name == name]
    assert len(rows) == 1, rows
    assert rows[0]["line"] == line
    assert problem in rows[0]["problem"]
    assert f"{name}" in run.result.output


def test_nothing_else_is_quarantined(run: Run) -> None:
    with Store(run.db) as store:
        assert len(store.quarantined()) == 5


def test_the_large_file_is_refused_from_its_size(run: Run) -> None:
    size = (run.corpus / "dump.txt").stat().st_size
    assert size > 50 * 1024 * 1024 > MAX_DOCUMENT_BYTES
    assert f"document is {size / (1024 * 1024):.1f} MB" in run.result.output


def test_running_again_stores_nothing_twice(run: Run) -> None:
    again = runner.invoke(app, ["ingest", str(run.corpus), "--db", str(run.db)])
    assert again.exit_code == 1
    assert f"read {GOOD} · added 0 · updated 0 · unchanged {GOOD}" in again.output
    with Store(run.db) as store:
        assert len(store.articles()) == GOOD

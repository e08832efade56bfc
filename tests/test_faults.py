"""Faults, on both stores: an ingest killed with SIGKILL mid-run, then run again; a reader during a write.

The corpus is real text: the official texts of tests/fixtures/primary-sample.jsonl and the seed
article, cut into articles of two sentences each (about fifty articles, each distinct). A writer
process (``parley ingest``, two articles per batch) is killed with SIGKILL once half the corpus is
committed, while this process reads the store; then the same ingest runs again. What must hold:
every article stored exactly once with all its extractions, nothing lost, the same counts as one
clean run, and a reader that never fails and never sees a count go down.
"""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner, Result

import pg_server
from parley.cli import app
from parley.errors import StoreError
from parley.model import Analysis
from parley.store import open_store
from parley.store.postgres import WRITE_LOCK

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "zelenskyy-ceasefire-territory.txt"
PRIMARY = REPO / "tests" / "fixtures" / "primary-sample.jsonl"
BATCH = 2
# A sentence ends at . ! or ? (and a closing quote) before a capital or an opening quote.
SENTENCE_END = re.compile(r"(?<=[.!?])[”\"]?\s+(?=[“\"A-Z])")
SUMMARY = re.compile(r"read (\d+) · added (\d+) · updated (\d+) · unchanged (\d+) · failed (\d+)")
WRITER_DEADLINE_S = 300

runner = CliRunner(env={"COLUMNS": "400"})


def write_corpus(path: Path) -> list[str]:
    """Write the corpus as JSONL at ``path``; return its article ids in order."""
    sources = [json.loads(line) for line in PRIMARY.read_text(encoding="utf-8").splitlines()]
    sources.append({"id": "seed", "text": SEED.read_text(encoding="utf-8")})
    articles: dict[str, dict[str, str]] = {}
    for source in sources:
        sentences = SENTENCE_END.split(source["text"].strip())
        for n in range(0, len(sentences), 2):
            text = " ".join(sentences[n : n + 2])
            # Keyed by text: a repeated passage would be one article, stored once, not two.
            articles.setdefault(text, {**source, "id": f"{source['id']}-{n // 2}", "text": text})
    path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles.values()))
    return [a["id"] for a in articles.values()]


def ingest_args(corpus: Path, location: str) -> list[str]:
    return ["ingest", str(corpus), "--db", location, "--batch-size", str(BATCH)]


def parley(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"parley {args} crashed:\n{result.output}") from result.exception
    return result


def summary(result: Result) -> dict[str, int]:
    found = SUMMARY.search(result.output)
    assert found is not None, result.output
    return dict(
        zip(["read", "added", "updated", "unchanged", "failed"], map(int, found.groups()), strict=True)
    )


@contextmanager
def write_probe(location: str) -> Iterator[Callable[[], bool]]:
    """Yield a function that says whether a writer is inside a write transaction of the store now."""
    if "://" in location:
        with psycopg.connect(location, autocommit=True) as conn:

            def held() -> bool:
                row = conn.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND (classid::bigint << 32 | objid::bigint) = %s",
                    [WRITE_LOCK],
                ).fetchone()
                return row is not None and row[0] > 0

            yield held
    else:
        with closing(sqlite3.connect(location, timeout=0, isolation_level=None)) as lite:

            def taken() -> bool:
                try:
                    lite.execute("BEGIN IMMEDIATE")
                except sqlite3.OperationalError:  # "database is locked": a write is in flight
                    return True
                lite.execute("ROLLBACK")
                return False

            yield taken


@dataclass(frozen=True)
class Clean:
    ids: list[str]
    counts: dict[str, int]
    analyses: dict[str, Analysis]


@dataclass(frozen=True)
class Crash:
    killed_mid_batch: bool
    at_kill: dict[str, int]
    stored_at_kill: dict[str, Analysis | None]
    reads: list[dict[str, int]]
    read_errors: list[str]
    again: Result
    counts: dict[str, int]
    ids: list[str]
    analyses: dict[str, Analysis | None]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    return path, write_corpus(path)


@pytest.fixture(scope="module")
def clean(corpus: tuple[Path, list[str]], tmp_path_factory: pytest.TempPathFactory) -> Clean:
    path, ids = corpus
    db = str(tmp_path_factory.mktemp("clean") / "parley.db")
    result = parley(*ingest_args(path, db))
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        analyses = {i: store.analysis(i) for i in ids}
        assert all(analyses.values()), "the clean run lost an article"
        return Clean(ids, store.counts(), {i: a for i, a in analyses.items() if a is not None})


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def location(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path_factory.mktemp("crash") / "parley.db")
    else:
        with pg_server.server().schema() as url:
            yield url


@pytest.fixture(scope="module")
def crash(location: str, corpus: tuple[Path, list[str]], tmp_path_factory: pytest.TempPathFactory) -> Crash:
    path, ids = corpus
    logs = tmp_path_factory.mktemp("writer")
    reads: list[dict[str, int]] = []
    errors: list[str] = []
    mid_batch = False
    with open_store(location) as reader, write_probe(location) as writing:
        with (logs / "stdout").open("wb") as out, (logs / "stderr").open("wb") as err:
            writer = subprocess.Popen(
                [sys.executable, "-c", "from parley.cli import app; app()", *ingest_args(path, location)],
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
            )
        killed = False
        half = False
        polls = 0
        try:
            deadline = time.monotonic() + WRITER_DEADLINE_S
            while writer.poll() is None and time.monotonic() < deadline and len(errors) < 100:
                time.sleep(0.002 if not half else 0.0005)
                polls += 1
                # Once half the corpus is committed, kill the writer in the middle of a batch's
                # transaction; should that moment not be caught, at three quarters wherever it is.
                # From then on the write lock is probed between reads too: a batch's transaction
                # lasts milliseconds, and the reads below take longer than that.
                if half and writing():
                    mid_batch = True
                    writer.send_signal(signal.SIGKILL)
                    killed = True
                    break
                if half and polls % 20:
                    continue
                try:
                    counts = reader.counts()
                    # A full-text read too, against the index the writer is updating.
                    counts["found"] = len(reader.search_statements("Ukraine", limit=10_000))
                except StoreError as exc:
                    errors.append(str(exc))
                    continue
                reads.append(counts)
                half = counts["articles"] >= len(ids) // 2
                if counts["articles"] >= len(ids) * 3 // 4:
                    writer.send_signal(signal.SIGKILL)
                    killed = True
                    break
        finally:
            if writer.poll() is None and not killed:
                writer.kill()  # the test failed before its kill: leave no writer behind
            returncode = writer.wait(timeout=60)
        assert killed and returncode == -signal.SIGKILL, (
            f"the writer was not killed mid-run (exit {returncode}, read errors {errors[:3]}):\n"
            + (logs / "stderr").read_text(errors="replace")
        )
        at_kill = reader.counts()
        stored_at_kill = {i: reader.analysis(i) for i in ids}
    again = parley(*ingest_args(path, location))
    with open_store(location) as store:
        return Crash(
            killed_mid_batch=mid_batch,
            at_kill=at_kill,
            stored_at_kill=stored_at_kill,
            reads=reads,
            read_errors=errors,
            again=again,
            counts=store.counts(),
            ids=[a.id for a in store.articles()],
            analyses={i: store.analysis(i) for i in ids},
        )


def test_corpus_is_real_distinct_text(corpus: tuple[Path, list[str]]) -> None:
    path, ids = corpus
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(ids) == len(set(ids)) == len(texts) == len(set(texts)) >= 40
    assert any("Zelenskyy stated" in t for t in texts)


def test_clean_run_extracts_statements(clean: Clean) -> None:
    assert clean.counts["articles"] == len(clean.ids)
    assert clean.counts["statements"] > 0


def test_kill_came_after_the_first_batch_and_before_the_end(crash: Crash, clean: Clean) -> None:
    assert BATCH <= crash.at_kill["articles"] < len(clean.ids)


def test_kill_came_in_the_middle_of_a_batch(crash: Crash) -> None:
    # The writer held the store's write lock when it was killed: a transaction was in flight.
    assert crash.killed_mid_batch, "no moment with a write in flight was caught before three quarters"


def test_what_was_committed_before_the_kill_is_whole(crash: Crash, clean: Clean) -> None:
    # One transaction per batch: an article is there with all its extractions, or not at all.
    stored = {i: a for i, a in crash.stored_at_kill.items() if a is not None}
    assert len(stored) == crash.at_kill["articles"]
    assert stored == {i: clean.analyses[i] for i in stored}
    assert crash.at_kill["statements"] == sum(len(a.statements) for a in stored.values())


def test_run_again_exits_0(crash: Crash) -> None:
    assert crash.again.exit_code == 0, crash.again.output


def test_run_again_adds_only_what_the_kill_lost(crash: Crash, clean: Clean) -> None:
    done = crash.at_kill["articles"]
    assert summary(crash.again) == {
        "read": len(clean.ids),
        "added": len(clean.ids) - done,
        "updated": 0,
        "unchanged": done,
        "failed": 0,
    }


def test_every_article_is_stored_exactly_once(crash: Crash, clean: Clean) -> None:
    assert sorted(crash.ids) == sorted(clean.ids)


def test_nothing_is_lost_or_doubled(crash: Crash, clean: Clean) -> None:
    assert crash.counts == clean.counts
    assert crash.analyses == clean.analyses


def test_reader_never_failed_during_the_write(crash: Crash) -> None:
    assert crash.read_errors == []


def test_reader_saw_the_writer_progress(crash: Crash) -> None:
    seen = sorted({r["articles"] for r in crash.reads})
    # From the empty store through several committed batches: reads and writes interleaved.
    assert seen[0] == 0
    assert len(seen) >= 3


def test_reader_counts_never_go_down(crash: Crash) -> None:
    for before, after in zip(crash.reads, crash.reads[1:], strict=False):
        assert all(after[key] >= before[key] for key in before), (before, after)

"""The store, on records built by hand from the seed article's sentences.

Every behaviour of the interface is tested against both backends: SQLite (a file in tmp_path) and
PostgreSQL (a database of its own on the throwaway server of ``pg_server``). Tests of one backend's
own machinery (WAL, FTS5 tables for Datasette) name it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest

import pg_server
from parley.errors import InputError, StoreError
from parley.model import (
    Analysis,
    Article,
    Event,
    Mention,
    Participant,
    Position,
    Qualifier,
    Shift,
    Span,
    Statement,
    stable_id,
)
from parley.store import SaveReport, SQLiteStore, Store, TimelineState, open_store
from parley.store.base import redact
from parley.store.postgres import PostgresStore

SEED = Path(__file__).resolve().parents[1] / "examples" / "zelenskyy-ceasefire-territory.txt"
QUOTE = "I am willing to give up Ukrainian territory to Russia to achieve peace"
# Fixture values, not facts from the article: the seed text carries no date of its own.
PUBLISHED = dt.date(2024, 11, 30)
WAR_BEGAN = dt.date(2022, 2, 24)


def span(text: str, phrase: str, after: str = "") -> Span:
    """Return the span of the first occurrence of ``phrase`` in ``text`` from ``after`` on."""
    start = text.index(phrase, text.index(after))
    return Span.of(text, start, start + len(phrase))


def build_analysis(article: Article, willing: str = "willing") -> Analysis:
    """Return an analysis of the seed article (or of a copy where "willing" became ``willing``)."""
    text = article.text
    quote = QUOTE.replace("willing", willing)
    direct_sentence = span(text, f"Speaking to The Telegraph, Zelenskyy stated, “{quote},”")
    speaker = span(text, "Zelenskyy", after="Speaking to The Telegraph")
    direct = Statement(
        id=stable_id("st", article.id, direct_sentence.start, direct_sentence.end, "direct"),
        article_id=article.id,
        kind="direct",
        speaker=Mention(speaker.text, speaker.start, speaker.end, actor="zelenskyy"),
        cue=span(text, "stated"),
        content=(span(text, quote),),
        evidence=direct_sentence,
        venue=span(text, "The Telegraph"),
        said_on=article.published,
    )
    reported_content = span(
        text,
        "while Ukraine may be prepared to vacate the territories currently under Russian "
        "occupation, this concession would only take place under the protection of NATO forces",
    )
    reported_sentence = span(text, "Zelenskyy clarified that " + reported_content.text + ".")
    clarifier = span(text, "Zelenskyy", after="Zelenskyy clarified")
    reported = Statement(
        id=stable_id("st", article.id, reported_sentence.start, reported_sentence.end, "indirect"),
        article_id=article.id,
        kind="indirect",
        speaker=Mention(clarifier.text, clarifier.start, clarifier.end, actor="zelenskyy"),
        cue=span(text, "clarified"),
        content=(reported_content,),
        evidence=reported_sentence,
    )
    nato = span(text, "under the protection of NATO forces")
    russia = span(text, "Russia", after=quote)
    temporary = span(text, "temporary")
    event = Event(
        id=stable_id("ev", article.id, direct_sentence.start, direct_sentence.end, "CONCEDE"),
        article_id=article.id,
        type="CONCEDE",
        trigger=span(text, "give up"),
        evidence=direct_sentence,
        modality="conditional",
        actors=(Participant("zelenskyy", speaker.text, speaker.start, speaker.end, "UKR", "GOV"),),
        recipients=(Participant("russia", russia.text, russia.start, russia.end, "RUS"),),
        conditions=(nato,),
        qualifiers=(Qualifier("temporary", temporary.text, temporary.start, temporary.end),),
        statement_id=direct.id,
    )
    current = Position(
        id=stable_id("pos", article.id, "zelenskyy", "territorial_concession", "current"),
        article_id=article.id,
        actor="zelenskyy",
        issue="territorial_concession",
        stance="conditional",
        summary="Would cede occupied territory temporarily, under NATO protection.",
        evidence=(span(text, quote), nato),
        statements=(direct.id, reported.id),
        conditions=(nato,),
        qualifiers=(Qualifier("temporary", temporary.text, temporary.start, temporary.end),),
        as_of=article.published,
    )
    previous = Position(
        id=stable_id("pos", article.id, "zelenskyy", "territorial_concession", "previous"),
        article_id=article.id,
        actor="zelenskyy",
        issue="territorial_concession",
        stance="oppose",
        summary="Would fight for the internationally recognised borders.",
        evidence=(
            span(
                text,
                "Previously, he had maintained that Ukraine would not back down and would "
                "continue to fight for its internationally recognized borders",
            ),
        ),
        as_of=WAR_BEGAN,
        retrospective=True,
    )
    shift = Shift(
        id=stable_id("sh", previous.id, current.id),
        actor="zelenskyy",
        issue="territorial_concession",
        before=previous,
        after=current,
        severity="half flip",
        direction="softening",
    )
    return Analysis(article, (direct, reported), (event,), (current, previous), (shift,))


@pytest.fixture
def article() -> Article:
    return Article(
        id="zelenskyy-ceasefire-territory",
        text=SEED.read_text(encoding="utf-8"),
        outlet="Example Outlet",
        published=PUBLISHED,
        source=str(SEED),
    )


@pytest.fixture
def analysis(article: Article) -> Analysis:
    return build_analysis(article)


def raw(path: Path) -> closing[sqlite3.Connection]:
    """Return a plain sqlite3 connection to ``path`` (autocommit), closed on leaving ``with``."""
    return closing(sqlite3.connect(path, isolation_level=None))


class Backend:
    """Where one backend's store lives, with a plain connection of its own for checks."""

    name: str
    location: str
    store_class: type[Store]

    def open(self, timeout: float = 5.0) -> Store:
        return open_store(self.location, timeout=timeout)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def dump(self) -> list[Any]:
        """Return every row of the database, through a connection of its own."""
        raise NotImplementedError


class SQLiteBackend(Backend):
    name = "sqlite"
    store_class = SQLiteStore

    def __init__(self, path: Path) -> None:
        self.path = path
        self.location = str(path)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with raw(self.path) as conn:
            return conn.execute(sql).fetchall()

    def dump(self) -> list[Any]:
        with raw(self.path) as conn:
            return list(conn.iterdump())


class PostgresBackend(Backend):
    name = "postgresql"
    store_class = PostgresStore

    def __init__(self, url: str) -> None:
        self.location = url

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.location, autocommit=True) as conn:
            cursor = conn.execute(sql.encode())
            return cursor.fetchall() if cursor.description is not None else []

    def dump(self) -> list[Any]:
        tables = [
            name
            for (name,) in self.query(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema() ORDER BY 1"
            )
        ]
        return [(t, self.query(f'SELECT * FROM "{t}" ORDER BY 1')) for t in tables]


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "sqlite":
        yield SQLiteBackend(tmp_path / "parley.db")
    else:
        with pg_server.server().schema() as url:
            yield PostgresBackend(url)


@pytest.fixture
def store(backend: Backend) -> Iterator[Store]:
    with backend.open() as opened:
        yield opened


def in_threads(count: int, work: Callable[[], object]) -> list[object]:
    """Run ``work`` in ``count`` threads released at the same moment; return results or errors."""
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work()
        except Exception as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_fixture_spans_slice_the_article(analysis: Analysis) -> None:
    text = analysis.article.text
    spans = [s.evidence for s in analysis.statements] + [
        part for s in analysis.statements for part in s.content
    ]
    spans += [e.trigger for e in analysis.events] + [e for p in analysis.positions for e in p.evidence]
    assert all(s.holds_in(text) for s in spans)
    assert analysis.statements[0].text == QUOTE


# Opening


def test_open_store_picks_the_backend(backend: Backend) -> None:
    with open_store(backend.location) as opened, Store(backend.location) as constructed:
        assert type(opened) is backend.store_class
        assert type(constructed) is backend.store_class


def test_unknown_kind_of_store_raises() -> None:
    with pytest.raises(StoreError, match=re.escape("mysql://parley:***@db.example/news: unknown kind")):
        open_store("mysql://parley:s3cret@db.example/news")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://parley:s3cret@db.example:5432/news", "postgresql://parley:***@db.example:5432/news"),
        ("postgresql://parley@db.example/news", "postgresql://parley@db.example/news"),
        (
            "postgresql:///news?user=parley&password=s3cret&x=1",
            "postgresql:///news?user=parley&password=***&x=1",
        ),
        ("/var/lib/parley/news.db", "/var/lib/parley/news.db"),
    ],
)
def test_redact_hides_the_password(url: str, shown: str) -> None:
    assert redact(url) == shown


def test_schema_version_is_2(backend: Backend) -> None:
    backend.open().close()
    backend.open().close()  # reopening applies nothing again

    assert backend.query("SELECT version FROM schema_version ORDER BY version") == [(1,), (2,)]


def test_concurrent_opens_migrate_once(backend: Backend) -> None:
    def open_and_close() -> None:
        backend.open(timeout=30).close()

    assert in_threads(4, open_and_close) == [None] * 4
    assert backend.query("SELECT version FROM schema_version ORDER BY version") == [(1,), (2,)]


TABLES = ("articles", "statements", "events", "positions", "shifts", "quarantine")


def test_migration_2_keeps_the_data_and_adds_timelines(
    backend: Backend, analysis: Analysis, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(backend.store_class, "_migrations", backend.store_class._migrations[:1])
        with backend.open() as old:
            old.save([analysis])
            old.quarantine(InputError("feeds/kyiv.jsonl", "not JSON", line=3))
    assert backend.query("SELECT max(version) FROM schema_version") == [(1,)]
    before = {t: backend.query(f"SELECT * FROM {t} ORDER BY 1") for t in TABLES}

    with backend.open() as store:
        assert store.analysis(analysis.article.id) == analysis
        # Every timeline of the stored positions is there, with no shifts stored yet.
        assert store.timelines() == [TimelineState("zelenskyy", "territorial_concession", 1)]
    backend.open().close()  # applied once

    assert backend.query("SELECT version FROM schema_version ORDER BY version") == [(1,), (2,)]
    assert {t: backend.query(f"SELECT * FROM {t} ORDER BY 1") for t in TABLES} == before


@pytest.mark.parametrize(
    ("table", "index"), [("articles", "articles_outlet"), ("positions", "positions_actor_cover")]
)
def test_migration_2_adds_the_indexes(backend: Backend, table: str, index: str) -> None:
    backend.open().close()
    if backend.name == "sqlite":
        sql = f"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}'"
    else:
        sql = (
            f"SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = '{table}'"
        )
    names = {name for (name,) in backend.query(sql)}

    assert index in names
    assert "positions_actor_issue" not in names


def test_other_database_raises(backend: Backend) -> None:
    backend.query("CREATE TABLE notes (body TEXT)")

    with pytest.raises(StoreError, match=re.escape(f"{redact(backend.location)}: not a Parley store")):
        backend.open()
    assert backend.query("SELECT count(*) FROM notes") == [(0,)]


def test_newer_schema_version_raises(backend: Backend) -> None:
    backend.open().close()
    backend.query("INSERT INTO schema_version VALUES (3, '2030-01-01T00:00:00+00:00')")

    with pytest.raises(StoreError, match=re.escape(f"{redact(backend.location)}: schema version 3 is newer")):
        backend.open()


def test_reads_after_close_raise_store_error(backend: Backend) -> None:
    store = backend.open()
    store.close()

    with pytest.raises(StoreError, match=re.escape(f"{redact(backend.location)}: cannot read the store")):
        store.articles()


# Writes


def test_round_trip(store: Store, analysis: Analysis) -> None:
    store.save([analysis])

    assert store.article(analysis.article.id) == analysis.article
    assert store.articles() == [analysis.article]
    assert store.statements() == list(analysis.statements)
    assert store.events() == list(analysis.events)
    assert store.positions() == [analysis.positions[1], analysis.positions[0]]  # by as_of
    assert store.shifts() == list(analysis.shifts)


def test_analysis_comes_back_in_extraction_order(store: Store, analysis: Analysis) -> None:
    store.save([analysis])

    assert store.analysis(analysis.article.id) == analysis


def test_missing_article_is_none(store: Store) -> None:
    assert store.article("no-such-article") is None
    assert store.analysis("no-such-article") is None


def test_has_article_by_text(store: Store, analysis: Analysis) -> None:
    store.save([analysis])

    assert store.has_article(dataclasses.replace(analysis.article, id="syndicated-copy"))
    assert not store.has_article(dataclasses.replace(analysis.article, text="Another text."))


def test_save_twice_changes_nothing(backend: Backend, analysis: Analysis) -> None:
    with backend.open() as store:
        first = store.save([analysis])
        before = backend.dump()
        second = store.save([analysis])

    assert first == SaveReport(added=1)
    assert second == SaveReport(unchanged=1)
    assert backend.dump() == before


def test_same_text_under_another_id_is_unchanged(store: Store, analysis: Analysis) -> None:
    store.save([analysis])
    copy = dataclasses.replace(analysis.article, id="syndicated-copy")

    assert store.save([Analysis(copy)]) == SaveReport(unchanged=1)
    assert [a.id for a in store.articles()] == [analysis.article.id]


def test_changed_text_replaces_the_extractions(store: Store, analysis: Analysis) -> None:
    store.save([analysis])
    edited = dataclasses.replace(
        analysis.article, text=analysis.article.text.replace("I am willing", "I am ready")
    )
    replacement = build_analysis(edited, willing="ready")

    assert store.save([replacement]) == SaveReport(updated=1)
    assert store.article(edited.id) == edited
    assert store.statements(article_id=edited.id) == list(replacement.statements)
    assert store.search_statements("willing") == []
    assert store.search_statements("ready") == [replacement.statements[0]]
    assert store.counts()["statements"] == 2


def test_failed_batch_writes_nothing(store: Store, analysis: Analysis) -> None:
    orphan = dataclasses.replace(analysis.statements[0], article_id="not-stored")
    broken = dataclasses.replace(analysis, statements=(orphan,))
    fine = build_analysis(dataclasses.replace(analysis.article, id="fine", text=analysis.article.text + " "))

    with pytest.raises(
        StoreError,
        match=r"at article 'zelenskyy-ceasefire-territory': (?i:.*foreign key).*nothing was written",
    ):
        store.save([fine, broken])
    assert store.counts()["articles"] == 0


def test_concurrent_writers_store_an_article_once(backend: Backend, analysis: Analysis) -> None:
    backend.open().close()

    def save() -> SaveReport:
        with backend.open(timeout=30) as store:
            return store.save([analysis])

    reports = in_threads(4, save)

    assert sorted(map(repr, reports)) == sorted(
        map(repr, [SaveReport(added=1)] + [SaveReport(unchanged=1)] * 3)
    )
    with backend.open() as store:
        assert store.counts()["articles"] == 1


@pytest.mark.parametrize("line", [7, None])
def test_quarantine_is_idempotent(store: Store, line: int | None) -> None:
    error = InputError("feeds/kyiv.jsonl", "expected an object with 'text'", line=line)
    store.quarantine(error)
    store.quarantine(error)

    (entry,) = store.quarantined()
    assert (entry["source"], entry["line"], entry["problem"]) == (
        "feeds/kyiv.jsonl",
        line,
        "expected an object with 'text'",
    )
    assert entry["first_seen"] <= entry["last_seen"]


def test_quarantine_times_are_utc_iso(store: Store) -> None:
    store.quarantine(InputError("feeds/kyiv.jsonl", "not JSON", line=3))

    (entry,) = store.quarantined()
    seen = dt.datetime.fromisoformat(entry["first_seen"])
    assert seen.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.UTC) - seen) < dt.timedelta(minutes=1)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", entry["first_seen"])


# Reads


def test_search_finds_the_quote(store: Store, analysis: Analysis) -> None:
    store.save([analysis])

    assert analysis.statements[0] in store.search_statements("territory")
    assert store.search_statements("territory Russia peace") == [analysis.statements[0]]
    assert store.search_statements("NATO forces") == [analysis.statements[1]]


def test_search_limit(store: Store, analysis: Analysis) -> None:
    store.save([analysis])

    assert len(store.search_statements("territory")) == 2
    assert len(store.search_statements("territory", limit=1)) == 1
    with pytest.raises(ValueError, match="limit must be at least 1, got 0"):
        store.search_statements("territory", limit=0)


@pytest.mark.parametrize(
    "query",
    ['"', "*", "NEAR(", 'territory"', "territory*", "AND", "OR NOT", "content:", "-", "", "((", "'", "!:&|"],
)
def test_search_with_fts_syntax_does_not_raise(store: Store, analysis: Analysis, query: str) -> None:
    store.save([analysis])

    assert isinstance(store.search_statements(query), list)


def test_search_treats_operators_as_words(store: Store, analysis: Analysis) -> None:
    store.save([analysis])

    # Unescaped, "territory OR nonsense" would match; as literal words "nonsense" must appear too.
    assert store.search_statements("territory OR nonsense") == []


def test_statements_filter_by_actor_and_article(store: Store, analysis: Analysis) -> None:
    store.save([analysis])

    assert store.statements(actor="zelenskyy") == list(analysis.statements)
    assert store.statements(actor="putin") == []
    assert store.statements(article_id="another-article") == []


def test_events_filter_by_actor_and_recipient(store: Store, analysis: Analysis) -> None:
    store.save([analysis])

    assert store.events(actor="zelenskyy") == list(analysis.events)
    assert store.events(actor="russia") == []
    assert store.events(recipient="russia", event_type="CONCEDE") == list(analysis.events)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"actor": "zelenskyy"}, ["previous", "current"]),
        ({"actor": "putin"}, []),
        ({"issue": "territorial_concession"}, ["previous", "current"]),
        ({"issue": "ceasefire"}, []),
        ({"since": dt.date(2024, 1, 1)}, ["current"]),
        ({"until": dt.date(2023, 12, 31)}, ["previous"]),
        ({"since": WAR_BEGAN, "until": PUBLISHED}, ["previous", "current"]),
    ],
)
def test_positions_filter(
    store: Store, analysis: Analysis, filters: dict[str, Any], expected: list[str]
) -> None:
    current, previous = analysis.positions
    by_name = {"current": current, "previous": previous}
    store.save([analysis])

    assert store.positions(**filters) == [by_name[name] for name in expected]


def test_shifts_filter(store: Store, analysis: Analysis) -> None:
    store.save([analysis])

    assert store.shifts(actor="zelenskyy", issue="territorial_concession") == list(analysis.shifts)
    assert store.shifts(issue="ceasefire") == []


# Stored shifts of timelines


def test_saving_positions_makes_their_timeline_stale(store: Store, analysis: Analysis) -> None:
    store.save([analysis])
    (state,) = store.timelines()
    assert not state.current

    assert store.save_timeline_shifts(state, "key", analysis.shifts)
    (stored,) = store.timelines(with_shifts=True)
    assert stored.current
    assert (stored.shifts_key, stored.shifts) == ("key", analysis.shifts)


def test_replacing_an_article_makes_its_timelines_stale(store: Store, analysis: Analysis) -> None:
    store.save([analysis])
    (state,) = store.timelines()
    store.save_timeline_shifts(state, "key", analysis.shifts)
    edited = dataclasses.replace(
        analysis.article, text=analysis.article.text.replace("I am willing", "I am ready")
    )

    store.save([build_analysis(edited, willing="ready")])

    (after,) = store.timelines(with_shifts=True)
    assert after.version > state.version
    assert not after.current
    # The old shifts stay until the next refresh, marked as not current.
    assert after.shifts == analysis.shifts


def test_shifts_of_positions_changed_meanwhile_are_not_stored(store: Store, analysis: Analysis) -> None:
    store.save([analysis])
    (read_before,) = store.timelines()
    # Another writer adds a position to the timeline between our read and our write.
    copy = dataclasses.replace(analysis.article, id="copy", text=analysis.article.text + " ")
    store.save([build_analysis(copy)])

    assert not store.save_timeline_shifts(read_before, "key", analysis.shifts)
    (state,) = store.timelines(with_shifts=True)
    assert (state.current, state.shifts) == (False, ())


def test_timelines_filter(store: Store, analysis: Analysis) -> None:
    store.save([analysis])

    assert [t.issue for t in store.timelines(actor="zelenskyy")] == ["territorial_concession"]
    assert store.timelines(issue="ceasefire") == []


def test_articles_are_ordered_by_date_then_id_bytewise(store: Store, analysis: Analysis) -> None:
    text = analysis.article.text
    # Upper case sorts before lower case bytewise (SQLite), not in most PostgreSQL locales.
    ids = ["b-undated", "a-undated", "Z-dated", "a-dated"]
    dated = {"Z-dated": PUBLISHED, "a-dated": PUBLISHED}
    store.save(
        Analysis(dataclasses.replace(analysis.article, id=i, text=f"{text} {i}", published=dated.get(i)))
        for i in ids
    )

    assert [a.id for a in store.articles()] == ["Z-dated", "a-dated", "a-undated", "b-undated"]


def test_counts(store: Store, analysis: Analysis) -> None:
    store.save([analysis])
    store.quarantine(InputError("feeds/kyiv.jsonl", "not JSON", line=3))

    assert store.counts() == {
        "articles": 1,
        "statements": 2,
        "events": 1,
        "positions": 2,
        "shifts": 1,
        "quarantine": 1,
    }


# SQLite's own machinery


def test_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "parley.db"
    Store(path).close()

    with raw(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_datasette_detects_the_fts_table(tmp_path: Path) -> None:
    path = tmp_path / "parley.db"
    Store(path).close()

    # The query Datasette runs to find a table's full-text index (datasette.utils.detect_fts).
    with raw(path) as conn:
        found = conn.execute(
            "SELECT name FROM sqlite_master WHERE rootpage = 0"
            " AND sql LIKE '%VIRTUAL TABLE%USING FTS%content=\"statements\"%'"
        ).fetchall()

    assert found == [("statements_fts",)]


def test_non_sqlite_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(random.Random(0).randbytes(4096))

    with pytest.raises(StoreError, match=re.escape(f"{path}: cannot open the store: file is not a database")):
        Store(path)


def test_other_sqlite_database_is_left_in_its_journal_mode(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with raw(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")

    with pytest.raises(StoreError, match=re.escape(f"{path}: not a Parley store (a SQLite database")):
        Store(path)
    with raw(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_reader_reads_while_a_writer_holds_the_lock(tmp_path: Path, analysis: Analysis) -> None:
    path = tmp_path / "parley.db"
    with Store(path) as store:
        store.save([analysis])
    with raw(path) as writer:
        # EXCLUSIVE shuts readers out in a rollback journal; in WAL it only shuts out writers.
        writer.execute("BEGIN EXCLUSIVE")
        writer.execute("DELETE FROM articles")
        with Store(path, timeout=0.1) as reader:
            assert reader.articles() == [analysis.article]
            with pytest.raises(StoreError, match="database is locked; nothing was written"):
                reader.save([Analysis(Article(id="other", text="Other."))])
        writer.execute("ROLLBACK")

"""The SQLite store, on records built by hand from the seed article's sentences."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

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
from parley.store import SaveReport, Store

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


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "parley.db") as opened:
        yield opened


def raw(path: Path) -> closing[sqlite3.Connection]:
    """Return a plain sqlite3 connection to ``path`` (autocommit), closed on leaving ``with``."""
    return closing(sqlite3.connect(path, isolation_level=None))


def dump(path: Path) -> list[str]:
    """Return every row of the database as SQL, through a connection of its own."""
    with raw(path) as conn:
        return list(conn.iterdump())


def test_fixture_spans_slice_the_article(analysis: Analysis) -> None:
    text = analysis.article.text
    spans = [s.evidence for s in analysis.statements] + [
        part for s in analysis.statements for part in s.content
    ]
    spans += [e.trigger for e in analysis.events] + [e for p in analysis.positions for e in p.evidence]
    assert all(s.holds_in(text) for s in spans)
    assert analysis.statements[0].text == QUOTE


def test_round_trip(store: Store, analysis: Analysis) -> None:
    store.save([analysis])

    assert store.article(analysis.article.id) == analysis.article
    assert store.articles() == [analysis.article]
    assert store.statements() == list(analysis.statements)
    assert store.events() == list(analysis.events)
    assert store.positions() == [analysis.positions[1], analysis.positions[0]]  # by as_of
    assert store.shifts() == list(analysis.shifts)


def test_missing_article_is_none(store: Store) -> None:
    assert store.article("no-such-article") is None


def test_save_twice_changes_nothing(tmp_path: Path, analysis: Analysis) -> None:
    path = tmp_path / "parley.db"
    with Store(path) as store:
        first = store.save([analysis])
        before = dump(path)
        second = store.save([analysis])

    assert first == SaveReport(added=1)
    assert second == SaveReport(unchanged=1)
    assert dump(path) == before


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

    with pytest.raises(StoreError, match=r"at article 'zelenskyy-ceasefire-territory': FOREIGN KEY"):
        store.save([broken])
    assert store.counts()["articles"] == 0


def test_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "parley.db"
    Store(path).close()

    with raw(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_schema_version_is_1(tmp_path: Path) -> None:
    path = tmp_path / "parley.db"
    Store(path).close()
    Store(path).close()  # reopening applies nothing again

    with raw(path) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(1,)]


def test_search_finds_the_quote(store: Store, analysis: Analysis) -> None:
    store.save([analysis])

    assert analysis.statements[0] in store.search_statements("territory")
    assert store.search_statements("territory Russia peace") == [analysis.statements[0]]
    assert store.search_statements("NATO forces") == [analysis.statements[1]]


@pytest.mark.parametrize(
    "query",
    ['"', "*", "NEAR(", 'territory"', "territory*", "AND", "OR NOT", "content:", "-", "", "(("],
)
def test_search_with_fts_syntax_does_not_raise(store: Store, analysis: Analysis, query: str) -> None:
    store.save([analysis])

    assert isinstance(store.search_statements(query), list)


def test_search_treats_operators_as_words(store: Store, analysis: Analysis) -> None:
    store.save([analysis])

    # Unescaped, "territory OR nonsense" would match; as literal words "OR" must appear too.
    assert store.search_statements("territory OR nonsense") == []


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


def test_non_sqlite_file_raises(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(random.Random(0).randbytes(4096))

    with pytest.raises(StoreError, match=re.escape(f"{path}: cannot open the store: file is not a database")):
        Store(path)


def test_other_sqlite_database_raises(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with raw(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")

    with pytest.raises(StoreError, match=re.escape(f"{path}: not a Parley store")):
        Store(path)


def test_newer_schema_version_raises(tmp_path: Path) -> None:
    path = tmp_path / "parley.db"
    Store(path).close()
    with raw(path) as conn:
        conn.execute("INSERT INTO schema_version VALUES (2, '2030-01-01T00:00:00+00:00')")

    with pytest.raises(StoreError, match=re.escape(f"{path}: schema version 2 is newer")):
        Store(path)


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
        writer.execute("ROLLBACK")

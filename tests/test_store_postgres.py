"""What only the PostgreSQL store does: URLs, server errors, its locking, and `parley --db postgresql://`.

The behaviours both backends share are tested on both in test_store.py; these run on the throwaway
server of ``pg_server`` (skipped, with the reason, when PostgreSQL is not installed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner, Result

import pg_server
from parley.cli import app
from parley.errors import StoreError
from parley.model import Analysis, Article
from parley.store import SQLiteStore, Store, open_store
from parley.store.postgres import WRITE_LOCK, PostgresStore
from test_store import build_analysis

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "zelenskyy-ceasefire-territory.txt"
PRIMARY = REPO / "tests" / "fixtures" / "primary-sample.jsonl"

runner = CliRunner(env={"COLUMNS": "400"})


@pytest.fixture
def url() -> Iterator[str]:
    with pg_server.server().schema() as fresh:
        yield fresh


@pytest.fixture
def seed() -> Analysis:
    return build_analysis(Article(id="zelenskyy-ceasefire-territory", text=SEED.read_text(encoding="utf-8")))


def test_connection_error_names_the_url_without_its_password() -> None:
    missing = pg_server.server().url(dbname="no_such_database").replace("//postgres@", "//postgres:s3cret@")

    with pytest.raises(StoreError) as raised:
        open_store(missing)

    message = str(raised.value)
    assert message.startswith("postgresql://postgres:***@/no_such_database?")
    assert "cannot open the store: connection failed: " in message
    assert 'database "no_such_database" does not exist' in message
    assert "s3cret" not in message
    assert "\n" not in message


def test_malformed_url_raises() -> None:
    with pytest.raises(
        StoreError, match=re.escape('not a PostgreSQL URL: invalid URI query parameter: "colour"')
    ):
        open_store("postgresql://db.example/news?colour=blue")


def test_database_not_in_utf8_raises() -> None:
    with (
        pg_server.server().database(encoding="SQL_ASCII") as ascii_url,
        pytest.raises(StoreError, match="the database's encoding is SQL_ASCII; Parley needs UTF8"),
    ):
        open_store(ascii_url)


def test_reader_reads_while_a_writer_holds_the_lock(url: str, seed: Analysis) -> None:
    with open_store(url) as store:
        store.save([seed])
    with psycopg.connect(url) as writer:
        # Not autocommit: the delete and the lock stay held until the rollback.
        writer.execute("DELETE FROM articles")
        writer.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
        with open_store(url, timeout=0.2) as reader:
            assert reader.articles() == [seed.article]
            assert reader.counts()["statements"] == 2
            with pytest.raises(StoreError, match="lock timeout; nothing was written"):
                reader.save([Analysis(Article(id="other", text="Other."))])
        writer.rollback()


def test_stores_in_two_schemas_are_separate(url: str, seed: Analysis) -> None:
    with pg_server.server().schema() as other_url:
        with open_store(url) as store:
            store.save([seed])
        with open_store(other_url) as other:
            assert other.counts()["articles"] == 0


def test_nul_character_is_refused_before_writing(url: str, seed: Analysis) -> None:
    bad = Analysis(Article(id="with-nul", text="Zelenskyy said\x00 nothing."))

    with open_store(url) as store:
        with pytest.raises(StoreError, match=r"at article 'with-nul': its text holds a NUL character"):
            store.save([seed, bad])
        assert store.counts()["articles"] == 0


def test_dates_and_records_use_postgresql_types(url: str, seed: Analysis) -> None:
    with open_store(url) as store:
        store.save([seed])
    with psycopg.connect(url) as conn:
        types: dict[str, str] = dict(
            conn.execute(
                "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns"
                " WHERE table_schema = current_schema()"
            ).fetchall()
        )
        stance = conn.execute("SELECT record->>'stance' FROM positions ORDER BY pk LIMIT 1").fetchone()

    assert types["articles.published"] == "date"
    assert types["statements.record"] == "jsonb"
    assert types["statements.content_tsv"] == "tsvector"
    assert types["quarantine.first_seen"] == "timestamp with time zone"
    assert stance == ("conditional",)


# parley --db postgresql://... end to end, against the same run into SQLite


@dataclass(frozen=True)
class Runs:
    url: str
    sqlite_db: Path
    first: Result
    second: Result
    sqlite: Result


def parley(*args: str | Path) -> Result:
    result = runner.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"parley {args} crashed:\n{result.output}") from result.exception
    return result


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    sqlite_db = tmp_path_factory.mktemp("sqlite") / "parley.db"
    with pg_server.server().schema() as url:
        yield Runs(
            url=url,
            sqlite_db=sqlite_db,
            first=parley("ingest", SEED, PRIMARY, "--db", url),
            second=parley("ingest", SEED, PRIMARY, "--db", url),
            sqlite=parley("ingest", SEED, PRIMARY, "--db", sqlite_db),
        )


def test_cli_ingest_into_postgresql(runs: Runs) -> None:
    assert runs.first.exit_code == 0, runs.first.output
    assert f"read 7 · added 7 · updated 0 · unchanged 0 · failed 0 · db {runs.url}" in runs.first.output


def test_cli_ingest_again_into_postgresql_changes_nothing(runs: Runs) -> None:
    assert runs.second.exit_code == 0, runs.second.output
    assert f"read 7 · added 0 · updated 0 · unchanged 7 · failed 0 · db {runs.url}" in runs.second.output


def test_cli_statements_from_postgresql_match_sqlite(runs: Runs) -> None:
    from_postgres = parley("statements", "--db", runs.url, "--format", "jsonl")
    from_sqlite = parley("statements", "--db", runs.sqlite_db, "--format", "jsonl")

    assert from_postgres.exit_code == 0, from_postgres.output
    assert [json.loads(line) for line in from_postgres.stdout.splitlines()]
    assert from_postgres.stdout == from_sqlite.stdout


def test_postgresql_holds_what_sqlite_holds(runs: Runs) -> None:
    with Store(runs.url) as postgres, Store(runs.sqlite_db) as sqlite:
        assert isinstance(postgres, PostgresStore)
        assert isinstance(sqlite, SQLiteStore)
        assert postgres.counts() == sqlite.counts()
        assert postgres.articles() == sqlite.articles()
        assert [postgres.analysis(a.id) for a in postgres.articles()] == [
            sqlite.analysis(a.id) for a in sqlite.articles()
        ]
        assert postgres.events() == sqlite.events()
        assert postgres.positions() == sqlite.positions()
        assert postgres.shifts() == sqlite.shifts()


def test_postgresql_stores_the_shifts_sqlite_stores(runs: Runs) -> None:
    with Store(runs.url) as postgres, Store(runs.sqlite_db) as sqlite:
        stored = postgres.timelines(with_shifts=True)
        assert stored and all(t.current for t in stored), "each ingest ends by storing the shifts"
        assert stored == sqlite.timelines(with_shifts=True)
    from_postgres = parley("shifts", "--db", runs.url, "--format", "jsonl")
    from_sqlite = parley("shifts", "--db", runs.sqlite_db, "--format", "jsonl")

    assert from_postgres.exit_code == 0, from_postgres.output
    assert from_postgres.stdout and from_postgres.stdout == from_sqlite.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["ingest", str(SEED)],
        ["statements"],
        ["positions"],
        ["shifts"],
        ["map", "--parties", "zelenskyy,putin", "--at", "2024-12-01"],
    ],
)
def test_cli_never_prints_the_password_of_the_url(runs: Runs, args: list[str]) -> None:
    # The throwaway server trusts local connections, so any password gets in.
    with_password = runs.url.replace("//postgres@", "//postgres:s3cret@")
    assert with_password != runs.url

    result = parley(*args, "--db", with_password)

    assert result.exit_code == 0, result.output
    assert "postgres:***@" in result.output
    assert "s3cret" not in result.output

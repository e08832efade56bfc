"""The embedded SQLite store: one file, the default backend of :class:`parley.store.Store`.

One writer and many readers: the database runs in WAL mode so that a reader (the web UI, a second
CLI) keeps reading while an ingest writes, and a writer takes the lock up front (``BEGIN
IMMEDIATE``) for the whole batch. Statement content is indexed with FTS5 for
:meth:`~parley.store.Store.search_statements`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from parley.errors import StoreError
from parley.store.base import QuarantinedInput, Row, SaveReport, Store

__all__ = ["MIGRATIONS", "QuarantinedInput", "SQLiteStore", "SaveReport"]

# Migration N is MIGRATIONS[N - 1]. Append new scripts; never edit one that has shipped, since
# databases that already applied it will not run it again.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE schema_version (
        version INTEGER PRIMARY KEY,
        applied_at TEXT NOT NULL
    );

    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL UNIQUE,
        url TEXT,
        outlet TEXT,
        title TEXT,
        published TEXT,
        language TEXT NOT NULL,
        source TEXT,
        text TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles (published, id);

    -- pk is a rowid alias because the FTS index is keyed by rowid, and VACUUM may renumber an
    -- implicit rowid, which would leave the index pointing at the wrong statements.
    CREATE TABLE statements (
        pk INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        speaker_text TEXT,
        speaker_actor TEXT,
        cue TEXT,
        content TEXT NOT NULL,
        venue TEXT,
        retrospective INTEGER NOT NULL,
        said_on TEXT,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        record TEXT NOT NULL
    );
    CREATE INDEX statements_article_id ON statements (article_id, start);
    CREATE INDEX statements_speaker_actor ON statements (speaker_actor);

    -- content="statements" in double quotes: Datasette detects a table's FTS index by that text.
    CREATE VIRTUAL TABLE statements_fts USING fts5 (
        content,
        content="statements",
        content_rowid="pk",
        tokenize="porter unicode61 remove_diacritics 2"
    );
    -- Triggers also fire for rows removed by ON DELETE CASCADE, so replacing an article keeps the
    -- index in step.
    CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN
        INSERT INTO statements_fts (rowid, content) VALUES (new.pk, new.content);
    END;
    CREATE TRIGGER statements_fts_delete AFTER DELETE ON statements BEGIN
        INSERT INTO statements_fts (statements_fts, rowid, content)
        VALUES ('delete', old.pk, old.content);
    END;
    CREATE TRIGGER statements_fts_update AFTER UPDATE ON statements BEGIN
        INSERT INTO statements_fts (statements_fts, rowid, content)
        VALUES ('delete', old.pk, old.content);
        INSERT INTO statements_fts (rowid, content) VALUES (new.pk, new.content);
    END;

    -- actors and recipients: JSON arrays of the resolved actor ids.
    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        mode TEXT,
        modality TEXT NOT NULL,
        actors TEXT NOT NULL,
        recipients TEXT NOT NULL,
        statement_id TEXT,
        cameo TEXT,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        record TEXT NOT NULL
    );
    CREATE INDEX events_article_id ON events (article_id, start);
    CREATE INDEX events_type ON events (type);

    CREATE TABLE positions (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        actor TEXT NOT NULL,
        issue TEXT NOT NULL,
        stance TEXT NOT NULL,
        summary TEXT NOT NULL,
        as_of TEXT,
        retrospective INTEGER NOT NULL,
        record TEXT NOT NULL
    );
    CREATE INDEX positions_article_id ON positions (article_id);
    CREATE INDEX positions_actor_issue ON positions (actor, issue, as_of);
    CREATE INDEX positions_issue ON positions (issue, as_of);
    CREATE INDEX positions_as_of ON positions (as_of);

    -- A shift belongs to the article of its later position. The position ids are not foreign
    -- keys: the earlier position may come from another article, and the record holds both whole.
    CREATE TABLE shifts (
        id TEXT PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        actor TEXT NOT NULL,
        issue TEXT NOT NULL,
        severity TEXT NOT NULL,
        direction TEXT NOT NULL,
        before_position_id TEXT NOT NULL,
        after_position_id TEXT NOT NULL,
        record TEXT NOT NULL
    );
    CREATE INDEX shifts_article_id ON shifts (article_id);
    CREATE INDEX shifts_actor_issue ON shifts (actor, issue);
    CREATE INDEX shifts_issue ON shifts (issue);

    CREATE TABLE quarantine (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        line INTEGER,
        problem TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL
    );
    -- ifnull: UNIQUE treats NULLs as distinct, and a failure of a whole file has no line.
    CREATE UNIQUE INDEX quarantine_input ON quarantine (source, ifnull(line, 0), problem);
    """,
    """
    -- Lets the web UI offer every outlet and filter searches by outlet and date from the index.
    CREATE INDEX IF NOT EXISTS articles_outlet ON articles (outlet, published);
    -- Covers an actor's timeline and the negotiation map: read from the index alone, without
    -- visiting the position rows (their JSON makes them large). It starts with the columns of
    -- positions_actor_issue, which it replaces. (Dropped first: docs/performance.md once suggested
    -- creating an index of this name by hand, without article_id.)
    DROP INDEX IF EXISTS positions_actor_cover;
    CREATE INDEX positions_actor_cover
        ON positions (actor, issue, as_of, retrospective, stance, id, article_id);
    DROP INDEX IF EXISTS positions_actor_issue;

    -- One row per (actor, issue) with positions: ``version`` moves on with every change to the
    -- timeline's positions (the triggers below), and ``shifts_version`` says which version the
    -- stored shifts were found at (NULL: never), ``shifts_key`` with which method and knowledge.
    -- Stored shifts are current only while both still match (parley.analysis.shifts).
    CREATE TABLE timelines (
        actor TEXT NOT NULL,
        issue TEXT NOT NULL,
        version INTEGER NOT NULL,
        shifts_version INTEGER,
        shifts_key TEXT,
        refreshed_at TEXT,
        PRIMARY KEY (actor, issue)
    );
    INSERT INTO timelines (actor, issue, version) SELECT DISTINCT actor, issue, 1 FROM positions;
    -- Triggers, not code in save(): a position written or deleted any way (ON DELETE CASCADE from a
    -- replaced article, a script, the sqlite3 shell) makes its timeline's stored shifts stale.
    CREATE TRIGGER positions_timeline_insert AFTER INSERT ON positions BEGIN
        INSERT INTO timelines (actor, issue, version) VALUES (new.actor, new.issue, 1)
        ON CONFLICT (actor, issue) DO UPDATE SET version = version + 1;
    END;
    CREATE TRIGGER positions_timeline_delete AFTER DELETE ON positions BEGIN
        UPDATE timelines SET version = version + 1 WHERE actor = old.actor AND issue = old.issue;
    END;
    CREATE TRIGGER positions_timeline_update AFTER UPDATE ON positions BEGIN
        UPDATE timelines SET version = version + 1 WHERE actor = old.actor AND issue = old.issue;
        INSERT INTO timelines (actor, issue, version) VALUES (new.actor, new.issue, 1)
        ON CONFLICT (actor, issue) DO UPDATE SET version = version + 1;
    END;

    -- The shifts found over each whole timeline (parley.analysis.shifts.find_shifts on the
    -- timeline's positions), in the order found; ``day`` is the later position's as_of.
    CREATE TABLE timeline_shifts (
        actor TEXT NOT NULL,
        issue TEXT NOT NULL,
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        day TEXT,
        severity TEXT NOT NULL,
        direction TEXT NOT NULL,
        before_position_id TEXT NOT NULL,
        after_position_id TEXT NOT NULL,
        record TEXT NOT NULL,
        PRIMARY KEY (actor, issue, seq),
        FOREIGN KEY (actor, issue) REFERENCES timelines (actor, issue) ON DELETE CASCADE
    );
    CREATE INDEX timeline_shifts_day ON timeline_shifts (day);
    -- The web UI's actor page reads a timeline's shifts from this index alone (the records, with
    -- both positions whole, make the rows large).
    CREATE INDEX timeline_shifts_cover ON timeline_shifts
        (actor, issue, seq, id, severity, direction, before_position_id, after_position_id);
    """,
)


class SQLiteStore(Store):
    """Parley's records in one SQLite file.

    Raises:
        StoreError: when the file cannot be opened, is not SQLite, is a SQLite database that is not
            Parley's, has a schema newer than this version of Parley knows, or a migration fails.
    """

    _migrations = MIGRATIONS
    _errors = (sqlite3.Error,)
    _kind = "a SQLite database"
    # statements.pk is a rowid alias; the other tables have an implicit rowid.
    _insertion_order = "rowid"
    _array_holds = "EXISTS (SELECT 1 FROM json_each({column}) AS j WHERE j.value = ?)"
    _quarantine_key = "(source, ifnull(line, 0), problem)"
    _search_sql = (
        "SELECT s.record FROM statements_fts JOIN statements AS s ON s.pk = statements_fts.rowid"
        " WHERE statements_fts MATCH ? ORDER BY statements_fts.rank, s.pk LIMIT ?"
    )

    def __init__(self, path: str | Path, *, timeout: float = 5.0) -> None:
        """Open the store at ``path``, creating it and applying pending migrations as needed.

        ``timeout`` is how many seconds to wait for another writer's lock before giving up.
        """
        self.path = Path(path)
        self.location = str(self.path)
        try:
            # isolation_level=None: this class issues BEGIN/COMMIT itself, so that a batch or a
            # migration is exactly one transaction.
            self._conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
        self._conn.row_factory = _dict_row
        try:
            self._conn.execute("PRAGMA foreign_keys = ON")
            # The first read (in _prepare) is where SQLite finds out the file is not a database.
            self._prepare()
        except sqlite3.Error as exc:
            self._conn.close()
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
        except StoreError:
            self._conn.close()
            raise

    def _before_migrations(self) -> None:
        # Set before any transaction: SQLite cannot change the journal mode inside one. Only once
        # the file is known to be ours (or empty), so that a stranger's database is not changed.
        self._conn.execute("PRAGMA journal_mode = WAL")

    def _execute(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        return self._conn.execute(sql, params).fetchall()

    def _execute_many(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        self._conn.executemany(sql, rows)

    @contextmanager
    def _write_transaction(self) -> Iterator[None]:
        # IMMEDIATE takes the write lock up front, so what we read to decide a write is still
        # true when we write.
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            self._conn.execute("COMMIT")
        except BaseException:
            # Some errors (a full disk, for one) make SQLite roll back on its own.
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    def _table_names(self) -> set[str]:
        rows = self._execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row["name"] for row in rows}

    def _apply(self, migration: str) -> None:
        for statement in _split_script(migration):
            self._conn.execute(statement)

    def _search_terms(self, words: list[str]) -> str:
        # A double-quoted FTS5 string is a phrase: operators and special characters inside it are
        # plain text, and a quote is escaped by doubling it.
        return " ".join('"' + word.replace('"', '""') + '"' for word in words)

    def close(self) -> None:
        """Close the database file. The store cannot be used afterwards."""
        self._conn.close()


def _dict_row(cursor: sqlite3.Cursor, values: tuple[Any, ...]) -> Row:
    return {column[0]: value for column, value in zip(cursor.description, values, strict=True)}


def _split_script(script: str) -> Iterator[str]:
    """Yield the statements of an SQL script, trigger bodies kept whole."""
    # Python's executescript() commits any open transaction first, so a migration that must be
    # one transaction runs its statements one by one.
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending
            pending = ""

"""The PostgreSQL store: Parley's tables in a shared server, for a team or a cluster of writers.

The same records and guarantees as the SQLite store, in PostgreSQL's own types: dates are ``date``,
times ``timestamptz``, the record JSON ``jsonb``, and statement content is indexed for full-text
search by a generated ``tsvector`` column (English configuration) with a GIN index. Writers take a
transaction-level advisory lock for each batch, so batches are serialised as in SQLite (one writer,
many readers) and two processes ingesting the same text store it once; readers never wait for it.

The tables live in the first schema of the connection's ``search_path`` (``public`` unless the URL
sets ``options=-csearch_path=...``). Text columns that are sorted on use the "C" collation, so that
the order is the same as SQLite's whatever the database's locale.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row

from parley.errors import StoreError
from parley.model import Analysis
from parley.store.base import Row, Store, one_line, redact

__all__ = ["MIGRATIONS", "PostgresStore"]

# Keys of pg_advisory_xact_lock: one per database, taken by every writer of a Parley store.
# Any constant would do; this one is "parley" in ASCII, unlikely to collide with other software.
WRITE_LOCK = 0x7061726C6579

# Migration N is MIGRATIONS[N - 1]. Append new scripts; never edit one that has shipped, since
# databases that already applied it will not run it again. Each runs in one transaction (DDL is
# transactional in PostgreSQL).
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE schema_version (
        version INTEGER PRIMARY KEY,
        applied_at TIMESTAMPTZ NOT NULL
    );

    CREATE TABLE articles (
        id TEXT COLLATE "C" PRIMARY KEY,
        content_hash TEXT NOT NULL UNIQUE,
        url TEXT,
        outlet TEXT,
        title TEXT,
        published DATE,
        language TEXT NOT NULL,
        source TEXT,
        text TEXT NOT NULL,
        ingested_at TIMESTAMPTZ NOT NULL
    );
    CREATE INDEX articles_published ON articles (published, id);

    -- pk (an identity, like SQLite's rowid) orders an article's rows as they were written.
    CREATE TABLE statements (
        pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT COLLATE "C" NOT NULL UNIQUE,
        article_id TEXT COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        speaker_text TEXT,
        speaker_actor TEXT COLLATE "C",
        cue TEXT,
        content TEXT NOT NULL,
        venue TEXT,
        retrospective BOOLEAN NOT NULL,
        said_on DATE,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        record JSONB NOT NULL,
        -- Generated, so it can never fall out of step with content (SQLite needs triggers).
        content_tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('english', content)) STORED
    );
    CREATE INDEX statements_article_id ON statements (article_id, start);
    CREATE INDEX statements_speaker_actor ON statements (speaker_actor);
    CREATE INDEX statements_content_tsv ON statements USING GIN (content_tsv);

    -- actors and recipients: JSON arrays of the resolved actor ids.
    CREATE TABLE events (
        pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT COLLATE "C" NOT NULL UNIQUE,
        article_id TEXT COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        type TEXT NOT NULL,
        mode TEXT,
        modality TEXT NOT NULL,
        actors JSONB NOT NULL,
        recipients JSONB NOT NULL,
        statement_id TEXT COLLATE "C",
        cameo TEXT,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        record JSONB NOT NULL
    );
    CREATE INDEX events_article_id ON events (article_id, start);
    CREATE INDEX events_type ON events (type);
    CREATE INDEX events_actors ON events USING GIN (actors jsonb_path_ops);
    CREATE INDEX events_recipients ON events USING GIN (recipients jsonb_path_ops);

    CREATE TABLE positions (
        pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT COLLATE "C" NOT NULL UNIQUE,
        article_id TEXT COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        actor TEXT COLLATE "C" NOT NULL,
        issue TEXT COLLATE "C" NOT NULL,
        stance TEXT NOT NULL,
        summary TEXT NOT NULL,
        as_of DATE,
        retrospective BOOLEAN NOT NULL,
        record JSONB NOT NULL
    );
    CREATE INDEX positions_article_id ON positions (article_id);
    CREATE INDEX positions_actor_issue ON positions (actor, issue, as_of);
    CREATE INDEX positions_issue ON positions (issue, as_of);
    CREATE INDEX positions_as_of ON positions (as_of);

    -- A shift belongs to the article of its later position. The position ids are not foreign
    -- keys: the earlier position may come from another article, and the record holds both whole.
    CREATE TABLE shifts (
        pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id TEXT COLLATE "C" NOT NULL UNIQUE,
        article_id TEXT COLLATE "C" NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        actor TEXT COLLATE "C" NOT NULL,
        issue TEXT COLLATE "C" NOT NULL,
        severity TEXT NOT NULL,
        direction TEXT NOT NULL,
        before_position_id TEXT COLLATE "C" NOT NULL,
        after_position_id TEXT COLLATE "C" NOT NULL,
        record JSONB NOT NULL
    );
    CREATE INDEX shifts_article_id ON shifts (article_id);
    CREATE INDEX shifts_actor_issue ON shifts (actor, issue);
    CREATE INDEX shifts_issue ON shifts (issue);

    CREATE TABLE quarantine (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        source TEXT COLLATE "C" NOT NULL,
        line INTEGER,
        problem TEXT COLLATE "C" NOT NULL,
        first_seen TIMESTAMPTZ NOT NULL,
        last_seen TIMESTAMPTZ NOT NULL
    );
    -- coalesce: UNIQUE treats NULLs as distinct, and a failure of a whole file has no line.
    -- (UNIQUE NULLS NOT DISTINCT would need PostgreSQL 15.)
    CREATE UNIQUE INDEX quarantine_input ON quarantine (source, coalesce(line, 0), problem);
    """,
    """
    -- See the SQLite store's migration 2 for what each piece is for.
    CREATE INDEX IF NOT EXISTS articles_outlet ON articles (outlet, published);
    DROP INDEX IF EXISTS positions_actor_cover;
    CREATE INDEX positions_actor_cover
        ON positions (actor, issue, as_of, retrospective, stance, id, article_id);
    DROP INDEX IF EXISTS positions_actor_issue;

    CREATE TABLE timelines (
        actor TEXT COLLATE "C" NOT NULL,
        issue TEXT COLLATE "C" NOT NULL,
        version BIGINT NOT NULL,
        shifts_version BIGINT,
        shifts_key TEXT,
        refreshed_at TIMESTAMPTZ,
        PRIMARY KEY (actor, issue)
    );
    INSERT INTO timelines (actor, issue, version) SELECT DISTINCT actor, issue, 1 FROM positions;
    CREATE FUNCTION parley_timeline_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            UPDATE timelines SET version = version + 1 WHERE actor = OLD.actor AND issue = OLD.issue;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO timelines (actor, issue, version) VALUES (NEW.actor, NEW.issue, 1)
            ON CONFLICT (actor, issue) DO UPDATE SET version = timelines.version + 1;
        END IF;
        RETURN NULL;
    END
    $$;
    CREATE TRIGGER positions_timeline AFTER INSERT OR UPDATE OR DELETE ON positions
        FOR EACH ROW EXECUTE FUNCTION parley_timeline_changed();

    CREATE TABLE timeline_shifts (
        actor TEXT COLLATE "C" NOT NULL,
        issue TEXT COLLATE "C" NOT NULL,
        seq INTEGER NOT NULL,
        id TEXT COLLATE "C" NOT NULL,
        day DATE,
        severity TEXT NOT NULL,
        direction TEXT NOT NULL,
        before_position_id TEXT COLLATE "C" NOT NULL,
        after_position_id TEXT COLLATE "C" NOT NULL,
        record JSONB NOT NULL,
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


class PostgresStore(Store):
    """Parley's records in a PostgreSQL database, named by a ``postgresql://`` URL.

    The database must exist and use the UTF8 encoding; the tables are created on first open.

    Raises:
        StoreError: when the server cannot be reached or refuses the connection, the URL is
            malformed, the database is not UTF8, its schema holds tables that are not Parley's, its
            Parley schema is newer than this version knows, or a migration fails.
    """

    _migrations = MIGRATIONS
    _errors = (psycopg.Error,)
    _kind = "a PostgreSQL schema"
    _insertion_order = "pk"
    _array_holds = "{column} @> jsonb_build_array(?::text)"
    _quarantine_key = "(source, coalesce(line, 0), problem)"
    # plainto_tsquery ANDs the words and reads no operators: every character is plain text.
    _search_sql = (
        "SELECT s.record FROM statements AS s, plainto_tsquery('english', ?) AS q"
        " WHERE s.content_tsv @@ q ORDER BY ts_rank(s.content_tsv, q) DESC, s.pk LIMIT ?"
    )

    def __init__(self, url: str, *, timeout: float = 5.0) -> None:
        """Connect to the database at ``url`` and apply pending migrations as needed.

        ``timeout`` is how many seconds to wait for another writer's lock before giving up.
        """
        self.url = url
        self.location = redact(url)
        try:
            params: dict[str, Any] = conninfo_to_dict(url)
        except psycopg.Error as exc:
            raise StoreError(f"{self.location}: not a PostgreSQL URL: {one_line(exc)}") from exc
        # Defaults the URL may override: without a connect timeout, libpq waits on an unreachable
        # host as long as the operating system does.
        params.setdefault("connect_timeout", 10)
        params.setdefault("application_name", "parley")
        try:
            # autocommit: this class opens transactions itself, so that a batch or a migration is
            # exactly one transaction and a read is never left holding a snapshot open.
            self._conn: psycopg.Connection[Row] = psycopg.connect(
                autocommit=True, row_factory=dict_row, **params
            )
        except psycopg.Error as exc:
            raise StoreError(f"{self.location}: cannot open the store: {one_line(exc)}") from exc
        try:
            self._check_server(timeout)
            self._prepare()
        except psycopg.Error as exc:
            self._conn.close()
            raise StoreError(f"{self.location}: cannot open the store: {one_line(exc)}") from exc
        except StoreError:
            self._conn.close()
            raise

    def _check_server(self, timeout: float) -> None:
        (row,) = self._execute("SELECT current_setting('server_encoding') AS encoding")
        # In a SQL_ASCII database psycopg cannot decode text and returns bytes.
        encoding = row["encoding"].decode("ascii") if isinstance(row["encoding"], bytes) else row["encoding"]
        if encoding != "UTF8":
            raise StoreError(
                f"{self.location}: the database's encoding is {encoding}; Parley needs UTF8 "
                "(CREATE DATABASE ... ENCODING 'UTF8')"
            )
        # Bounds the wait for another writer's advisory lock, as SQLite's busy timeout does.
        self._execute("SELECT set_config('lock_timeout', ?, false)", [f"{max(1, round(timeout * 1000))}ms"])

    def _execute(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        # The shared SQL uses SQLite's ? placeholders; none of it has a literal ? or %.
        cursor = self._conn.execute(sql.replace("?", "%s"), params)
        return cursor.fetchall() if cursor.description is not None else []

    def _execute_many(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        with self._conn.cursor() as cursor:
            cursor.executemany(sql.replace("?", "%s"), rows)

    @contextmanager
    def _write_transaction(self) -> Iterator[None]:
        with self._conn.transaction():
            # Held to the end of the transaction: what we read to decide a write is still true
            # when we write, and a second writer of the same text finds it stored, not a
            # unique-key violation.
            self._execute("SELECT pg_advisory_xact_lock(?)", [WRITE_LOCK])
            yield

    def _table_names(self) -> set[str]:
        rows = self._execute(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        return {row["name"] for row in rows}

    def _apply(self, migration: str) -> None:
        # Without parameters psycopg sends the script as one simple query: many statements at once.
        self._conn.execute(migration)

    def _search_terms(self, words: list[str]) -> str:
        return " ".join(words)

    def _check_batch(self, batch: list[Analysis]) -> None:
        for analysis in batch:
            if "\x00" in analysis.article.text:
                raise StoreError(
                    f"{self.location}: cannot save the batch at article {analysis.article.id!r}: its "
                    "text holds a NUL character (U+0000), which PostgreSQL text cannot store; "
                    "nothing was written"
                )

    def close(self) -> None:
        """Close the connection. The store cannot be used afterwards."""
        self._conn.close()

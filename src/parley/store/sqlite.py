"""The embedded SQLite store: schema and migrations, idempotent batch writes, typed reads.

One writer and many readers: the database runs in WAL mode so that a reader (the web UI, a second
CLI) keeps reading while an ingest writes. Each extracted record keeps its full JSON in a ``record``
column, so it is rebuilt exactly with :func:`parley.model.from_dict`; the other columns repeat the
fields people filter and sort by, for SQL and for Datasette.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, TypedDict, TypeVar

from parley.errors import InputError, StoreError
from parley.model import Analysis, Article, Event, Position, Shift, Statement, from_dict, to_dict

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
)

Outcome = Literal["added", "updated", "unchanged"]
R = TypeVar("R")


@dataclass(frozen=True)
class SaveReport:
    """How many articles of a batch were added, replaced (same id, new text) or already stored."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0


class QuarantinedInput(TypedDict):
    """An input that failed to load: where, what was wrong, when it was first and last seen."""

    source: str
    line: int | None
    problem: str
    first_seen: str
    last_seen: str


class Store:
    """Parley's records in one SQLite file; a context manager that closes the file on exit.

    Raises:
        StoreError: when the file cannot be opened, is not SQLite, is a SQLite database that is not
            Parley's, has a schema newer than this version of Parley knows, or a migration fails.
    """

    def __init__(self, path: str | Path, *, timeout: float = 5.0) -> None:
        """Open the store at ``path``, creating it and applying pending migrations as needed.

        ``timeout`` is how many seconds to wait for another writer's lock before giving up.
        """
        self.path = Path(path)
        try:
            # isolation_level=None: this class issues BEGIN/COMMIT itself, so that a batch or a
            # migration is exactly one transaction.
            self._conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
        self._conn.row_factory = sqlite3.Row
        try:
            self._open()
        except sqlite3.Error as exc:
            self._conn.close()
            raise StoreError(f"{self.path}: cannot open the store: {exc}") from exc
        except StoreError:
            self._conn.close()
            raise

    def _open(self) -> None:
        self._conn.execute("PRAGMA foreign_keys = ON")
        # The first read is where SQLite finds out the file is not a database.
        tables = {
            row["name"] for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if tables and "schema_version" not in tables:
            raise StoreError(
                f"{self.path}: not a Parley store (a SQLite database without a schema_version "
                "table); refusing to add tables to it"
            )
        version = self._schema_version()
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: schema version {version} is newer than this Parley supports "
                f"({len(MIGRATIONS)}); upgrade Parley to open it"
            )
        # Set before any transaction: SQLite cannot change the journal mode inside one.
        self._conn.execute("PRAGMA journal_mode = WAL")
        # Only take the write lock when there is something to migrate, so that a reader can
        # open the store while another process writes.
        if version < len(MIGRATIONS):
            self._migrate()

    def _schema_version(self) -> int:
        has_table = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        if has_table is None:
            return 0
        row = self._conn.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _migrate(self) -> None:
        while True:
            with self._transaction():
                # Read the version under the write lock: another process may have migrated
                # between our check and this transaction.
                version = self._schema_version()
                if version >= len(MIGRATIONS):
                    return
                try:
                    for statement in _split_script(MIGRATIONS[version]):
                        self._conn.execute(statement)
                except sqlite3.Error as exc:
                    raise StoreError(f"{self.path}: migration {version + 1} failed: {exc}") from exc
                self._conn.execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    (version + 1, _now()),
                )

    @contextmanager
    def _transaction(self) -> Iterator[None]:
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

    def close(self) -> None:
        """Close the database file. The store cannot be used afterwards."""
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # Writes

    def save(self, analyses: Iterable[Analysis]) -> SaveReport:
        """Write a batch of analyses in one transaction and return what happened to each article.

        An article already stored with the same id and text, or with the same text under another
        id, is skipped and left untouched, extractions included (``unchanged``). An article whose
        id is stored with a different text replaces it and all its extractions (``updated``).

        Raises:
            StoreError: when a record cannot be written (the batch is rolled back entirely) or
                another writer holds the lock longer than the timeout.
        """
        # Extraction may be lazy: run it before taking the write lock, not while holding it.
        batch = list(analyses)
        outcomes: Counter[Outcome] = Counter()
        ingested_at = _now()
        current: str | None = None
        try:
            with self._transaction():
                for analysis in batch:
                    current = analysis.article.id
                    outcomes[self._write(analysis, ingested_at)] += 1
                current = None
        except sqlite3.Error as exc:
            at = f" at article {current!r}" if current is not None else ""
            raise StoreError(f"{self.path}: cannot save the batch{at}: {exc}; nothing was written") from exc
        return SaveReport(outcomes["added"], outcomes["updated"], outcomes["unchanged"])

    def _write(self, analysis: Analysis, ingested_at: str) -> Outcome:
        article = analysis.article
        content_hash = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
        stored = self._conn.execute(
            "SELECT content_hash FROM articles WHERE id = ? OR content_hash = ?",
            (article.id, content_hash),
        ).fetchall()
        if any(row["content_hash"] == content_hash for row in stored):
            return "unchanged"
        # No row has this text, so any row found has this id and an older text.
        if stored:
            # ON DELETE CASCADE drops the old extractions, and the trigger their FTS entries.
            self._conn.execute("DELETE FROM articles WHERE id = ?", (article.id,))
        self._conn.execute(
            "INSERT INTO articles (id, content_hash, url, outlet, title, published, language,"
            " source, text, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article.id,
                content_hash,
                article.url,
                article.outlet,
                article.title,
                _iso(article.published),
                article.language,
                article.source,
                article.text,
                ingested_at,
            ),
        )
        self._conn.executemany(
            "INSERT INTO statements (id, article_id, kind, speaker_text, speaker_actor, cue,"
            ' content, venue, retrospective, said_on, start, "end", record)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_statement_row(s) for s in analysis.statements),
        )
        self._conn.executemany(
            "INSERT INTO events (id, article_id, type, mode, modality, actors, recipients,"
            ' statement_id, cameo, start, "end", record)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_event_row(e) for e in analysis.events),
        )
        self._conn.executemany(
            "INSERT INTO positions (id, article_id, actor, issue, stance, summary, as_of,"
            " retrospective, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_position_row(p) for p in analysis.positions),
        )
        self._conn.executemany(
            "INSERT INTO shifts (id, article_id, actor, issue, severity, direction,"
            " before_position_id, after_position_id, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_shift_row(s) for s in analysis.shifts),
        )
        return "updated" if stored else "added"

    def has_article(self, article: Article) -> bool:
        """Return True when the store holds this article's text (under any id): nothing to redo."""
        content_hash = hashlib.sha256(article.text.encode("utf-8")).hexdigest()
        row = self._conn.execute(
            "SELECT 1 FROM articles WHERE content_hash = ? LIMIT 1", (content_hash,)
        ).fetchone()
        return row is not None

    def quarantine(self, error: InputError) -> None:
        """Record an input that failed to load; recording the same failure again adds no row.

        A repeated failure keeps its ``first_seen`` and moves its ``last_seen`` to now.

        Raises:
            StoreError: when the row cannot be written.
        """
        now = _now()
        try:
            with self._transaction():
                self._conn.execute(
                    "INSERT INTO quarantine (source, line, problem, first_seen, last_seen)"
                    " VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (source, ifnull(line, 0), problem)"
                    " DO UPDATE SET last_seen = excluded.last_seen",
                    (error.path, error.line, error.problem, now, now),
                )
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot quarantine {error.path}: {exc}") from exc

    # Reads

    def articles(self) -> list[Article]:
        """Return every stored article, by publication date (undated last), then id."""
        rows = self._conn.execute("SELECT * FROM articles ORDER BY published NULLS LAST, id").fetchall()
        return [_article(row) for row in rows]

    def article(self, article_id: str) -> Article | None:
        """Return the article with id ``article_id``, or None when it is not stored."""
        row = self._conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else _article(row)

    def analysis(self, article_id: str) -> Analysis | None:
        """Return everything stored for one article, in extraction order; None when not stored."""
        article = self.article(article_id)
        if article is None:
            return None
        params: list[object] = [article_id]

        def rows(cls: type[R], table: str) -> tuple[R, ...]:
            sql = f"SELECT record FROM {table} WHERE article_id = ? ORDER BY rowid"
            return tuple(self._records(cls, sql, params))

        return Analysis(
            article=article,
            statements=rows(Statement, "statements"),
            events=rows(Event, "events"),
            positions=rows(Position, "positions"),
            shifts=rows(Shift, "shifts"),
        )

    def statements(self, actor: str | None = None, article_id: str | None = None) -> list[Statement]:
        """Return the statements whose speaker resolved to ``actor`` and from ``article_id``.

        A filter left as None does not filter. Ordered by the article's publication date (undated
        last) and id, then by position in the article.
        """
        where, params = _where({"s.speaker_actor = ?": actor, "s.article_id = ?": article_id})
        return self._records(
            Statement,
            "SELECT s.record FROM statements AS s JOIN articles AS a ON a.id = s.article_id"
            f" WHERE {where} ORDER BY a.published NULLS LAST, a.id, s.start, s.id",
            params,
        )

    def events(
        self,
        actor: str | None = None,
        recipient: str | None = None,
        article_id: str | None = None,
        event_type: str | None = None,
    ) -> list[Event]:
        """Return the events with ``actor`` among their actors, ``recipient`` among their
        recipients, from ``article_id``, of PLOVER type ``event_type``.

        A filter left as None does not filter. Ordered like :meth:`statements`.
        """
        where, params = _where(
            {
                "EXISTS (SELECT 1 FROM json_each(e.actors) AS j WHERE j.value = ?)": actor,
                "EXISTS (SELECT 1 FROM json_each(e.recipients) AS j WHERE j.value = ?)": recipient,
                "e.article_id = ?": article_id,
                "e.type = ?": event_type,
            }
        )
        return self._records(
            Event,
            "SELECT e.record FROM events AS e JOIN articles AS a ON a.id = e.article_id"
            f" WHERE {where} ORDER BY a.published NULLS LAST, a.id, e.start, e.id",
            params,
        )

    def positions(
        self,
        actor: str | None = None,
        issue: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[Position]:
        """Return the positions of ``actor`` on ``issue`` held between ``since`` and ``until``.

        A filter left as None does not filter; both dates are inclusive and compare with the
        position's ``as_of``, so a date filter leaves out positions without one. Ordered by
        ``as_of`` (undated last), actor, issue, id.
        """
        where, params = _where(
            {
                "actor = ?": actor,
                "issue = ?": issue,
                "as_of >= ?": _iso(since),
                "as_of <= ?": _iso(until),
            }
        )
        return self._records(
            Position,
            f"SELECT record FROM positions WHERE {where} ORDER BY as_of NULLS LAST, actor, issue, id",
            params,
        )

    def shifts(self, actor: str | None = None, issue: str | None = None) -> list[Shift]:
        """Return the shifts of ``actor`` on ``issue``; a filter left as None does not filter.

        Ordered by the publication date (undated last) and id of the article of the later
        position, then by shift id.
        """
        where, params = _where({"sh.actor = ?": actor, "sh.issue = ?": issue})
        return self._records(
            Shift,
            "SELECT sh.record FROM shifts AS sh JOIN articles AS a ON a.id = sh.article_id"
            f" WHERE {where} ORDER BY a.published NULLS LAST, a.id, sh.id",
            params,
        )

    def search_statements(self, query: str, limit: int = 50) -> list[Statement]:
        """Return up to ``limit`` statements whose content has every word of ``query``, best first.

        Each word is matched as a literal term (stemmed: "territory" finds "territories"); FTS5
        syntax in ``query`` (quotes, ``*``, ``NEAR``, ``OR``, column filters) has no effect. A
        query with no words returns no statements.

        Raises:
            ValueError: when ``limit`` is less than 1.
        """
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        match = _fts_terms(query)
        if not match:
            return []
        return self._records(
            Statement,
            "SELECT s.record FROM statements_fts JOIN statements AS s"
            " ON s.pk = statements_fts.rowid"
            " WHERE statements_fts MATCH ? ORDER BY statements_fts.rank, s.pk LIMIT ?",
            [match, limit],
        )

    def quarantined(self) -> list[QuarantinedInput]:
        """Return the inputs that failed to load, by source and line (whole-file failures first)."""
        rows = self._conn.execute(
            "SELECT source, line, problem, first_seen, last_seen FROM quarantine"
            " ORDER BY source, line NULLS FIRST, problem"
        ).fetchall()
        return [
            QuarantinedInput(
                source=row["source"],
                line=row["line"],
                problem=row["problem"],
                first_seen=row["first_seen"],
                last_seen=row["last_seen"],
            )
            for row in rows
        ]

    def counts(self) -> dict[str, int]:
        """Return the number of rows per table: articles, statements, events, positions, shifts
        and quarantine."""
        row = self._conn.execute(
            "SELECT (SELECT count(*) FROM articles) AS articles,"
            " (SELECT count(*) FROM statements) AS statements,"
            " (SELECT count(*) FROM events) AS events,"
            " (SELECT count(*) FROM positions) AS positions,"
            " (SELECT count(*) FROM shifts) AS shifts,"
            " (SELECT count(*) FROM quarantine) AS quarantine"
        ).fetchone()
        return {key: int(value) for key, value in dict(row).items()}

    def _records(self, cls: type[R], sql: str, params: list[object]) -> list[R]:
        return [from_dict(cls, json.loads(row["record"])) for row in self._conn.execute(sql, params)]


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


def _where(conditions: Mapping[str, object]) -> tuple[str, list[object]]:
    """Return the AND of the conditions whose value is not None, and those values in order."""
    used = {sql: value for sql, value in conditions.items() if value is not None}
    return " AND ".join(used) or "1", list(used.values())


def _fts_terms(query: str) -> str:
    """Return an FTS5 query matching every whitespace-separated word of ``query`` literally."""
    # A double-quoted FTS5 string is a phrase: operators and special characters inside it are
    # plain text, and a quote is escaped by doubling it.
    return " ".join('"' + word.replace('"', '""') + '"' for word in query.split())


def _now() -> str:
    # Milliseconds: rewriting a row within the same second would otherwise leave no trace.
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _record_json(record: Any) -> str:
    return json.dumps(to_dict(record), ensure_ascii=False)


def _article(row: sqlite3.Row) -> Article:
    published = row["published"]
    return Article(
        id=row["id"],
        text=row["text"],
        url=row["url"],
        outlet=row["outlet"],
        title=row["title"],
        published=None if published is None else dt.date.fromisoformat(published),
        language=row["language"],
        source=row["source"],
    )


def _statement_row(statement: Statement) -> tuple[object, ...]:
    speaker = statement.speaker
    return (
        statement.id,
        statement.article_id,
        statement.kind,
        None if speaker is None else speaker.text,
        None if speaker is None else speaker.actor,
        None if statement.cue is None else statement.cue.text,
        statement.text,
        None if statement.venue is None else statement.venue.text,
        statement.retrospective,
        _iso(statement.said_on),
        statement.evidence.start,
        statement.evidence.end,
        _record_json(statement),
    )


def _event_row(event: Event) -> tuple[object, ...]:
    return (
        event.id,
        event.article_id,
        event.type,
        event.mode,
        event.modality,
        json.dumps([p.id for p in event.actors if p.id is not None]),
        json.dumps([p.id for p in event.recipients if p.id is not None]),
        event.statement_id,
        event.cameo,
        event.evidence.start,
        event.evidence.end,
        _record_json(event),
    )


def _position_row(position: Position) -> tuple[object, ...]:
    return (
        position.id,
        position.article_id,
        position.actor,
        position.issue,
        position.stance,
        position.summary,
        _iso(position.as_of),
        position.retrospective,
        _record_json(position),
    )


def _shift_row(shift: Shift) -> tuple[object, ...]:
    return (
        shift.id,
        shift.after.article_id,
        shift.actor,
        shift.issue,
        shift.severity,
        shift.direction,
        shift.before.id,
        shift.after.id,
        _record_json(shift),
    )

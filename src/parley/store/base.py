"""The store interface: what the rest of Parley writes and reads, whichever database holds it.

:class:`Store` is the interface and the SQL the backends share. A backend (:mod:`parley.store.sqlite`,
an embedded file and the default; :mod:`parley.store.postgres`, a shared server) supplies the
connection, its schema and migrations, and the few statements where the dialects differ.
``Store(location)`` opens the backend that ``location`` names.

Each extracted record keeps its full JSON in a ``record`` column, so it is rebuilt exactly with
:func:`parley.model.from_dict`; the other columns repeat the fields people filter and sort by.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar, Literal, Self, TypedDict, TypeVar

from parley.errors import InputError, StoreError
from parley.model import Analysis, Article, Event, Position, Shift, Statement, from_dict, to_dict

Outcome = Literal["added", "updated", "unchanged"]
Row = dict[str, Any]
R = TypeVar("R")

POSTGRES_SCHEMES = ("postgresql", "postgres")


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


@dataclass(frozen=True)
class TimelineState:
    """One (actor, issue) timeline of the store and the shifts stored for it.

    ``version`` moves on with every change to the timeline's positions; ``shifts_version`` is the
    version the stored ``shifts`` were found at (None: never) and ``shifts_key`` names the method
    and knowledge they were found with. The stored shifts are those of the current positions only
    while :attr:`current` is true.
    """

    actor: str
    issue: str
    version: int
    shifts_version: int | None = None
    shifts_key: str | None = None
    shifts: tuple[Shift, ...] = ()

    @property
    def current(self) -> bool:
        """True when the stored shifts were found on the timeline's positions as they are now."""
        return self.shifts_version == self.version


class Store:
    """Parley's records in a database; a context manager that closes the connection on exit.

    ``Store(location)`` opens a SQLite file when ``location`` is a path and a PostgreSQL database
    when it is a ``postgresql://`` URL (see :func:`parley.store.open_store`). Both backends keep the
    same tables, apply versioned migrations on open, write each batch in one transaction, keep
    articles unique by content hash, and let readers read while one writer writes.

    Raises:
        StoreError: when the location cannot be opened as a Parley store (see the backends).
    """

    # How error messages name the store: a path, or a URL without its password.
    location: str
    # Migration N is _migrations[N - 1].
    _migrations: ClassVar[tuple[str, ...]]
    # What the driver raises; turned into StoreError at the edge of every public method.
    _errors: ClassVar[tuple[type[Exception], ...]]
    # How the store is described in "not a Parley store" messages.
    _kind: ClassVar[str]
    # The column that orders an article's extraction rows as they were written.
    _insertion_order: ClassVar[str]
    # SQL true when the JSON array in column {column} holds the ``?`` parameter.
    _array_holds: ClassVar[str]
    # The conflict target matching the quarantine table's unique index.
    _quarantine_key: ClassVar[str]
    # Full-text search: parameters are the query (from _search_terms) and the limit.
    _search_sql: ClassVar[str]

    def __new__(cls, location: str | Path, *args: Any, **kwargs: Any) -> Store:
        # ``Store(path)`` is the documented way to open a store, so the base class picks the
        # backend when it is called itself; a backend class called directly is just itself.
        chosen = backend_for(location) if cls is Store else cls
        return super().__new__(chosen)

    # Backend primitives: each backend overrides every one of these.

    def _execute(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Run one statement with ``?`` placeholders and return its rows (none for a write).

        Raises the driver's own errors (one of ``_errors``).
        """
        raise NotImplementedError

    def _execute_many(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        """Run one statement with ``?`` placeholders once per row of parameters."""
        raise NotImplementedError

    def _write_transaction(self) -> AbstractContextManager[None]:
        """Return a context that is one transaction holding the store's single writer lock."""
        raise NotImplementedError

    def _table_names(self) -> set[str]:
        """Return the names of the tables where this store keeps (or would keep) its records."""
        raise NotImplementedError

    def _apply(self, migration: str) -> None:
        """Run the statements of one migration script inside the current transaction."""
        raise NotImplementedError

    def _search_terms(self, words: list[str]) -> str:
        """Return the full-text query parameter that matches every one of ``words`` literally."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the connection. The store cannot be used afterwards."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # Schema

    def _prepare(self) -> None:
        """Check that this is a Parley store this version can read; apply pending migrations.

        Raises:
            StoreError: when the tables are someone else's, the schema is newer than this
                Parley, or a migration fails.
        """
        tables = self._table_names()
        if tables and "schema_version" not in tables:
            raise StoreError(
                f"{self.location}: not a Parley store ({self._kind} without a schema_version "
                "table); refusing to add tables to it"
            )
        version = self._schema_version()
        if version > len(self._migrations):
            raise StoreError(
                f"{self.location}: schema version {version} is newer than this Parley supports "
                f"({len(self._migrations)}); upgrade Parley to open it"
            )
        self._before_migrations()
        # Only take the write lock when there is something to migrate, so that a reader can
        # open the store while another process writes.
        if version < len(self._migrations):
            self._migrate()

    def _before_migrations(self) -> None:
        """Set what must be set once the store is known to be Parley's, before any transaction."""

    def _schema_version(self) -> int:
        if "schema_version" not in self._table_names():
            return 0
        (row,) = self._execute("SELECT max(version) AS version FROM schema_version")
        return int(row["version"] or 0)

    def _migrate(self) -> None:
        while True:
            with self._write_transaction():
                # Read the version under the write lock: another process may have migrated
                # between our check and this transaction.
                version = self._schema_version()
                if version >= len(self._migrations):
                    return
                try:
                    self._apply(self._migrations[version])
                except self._errors as exc:
                    raise StoreError(
                        f"{self.location}: migration {version + 1} failed: {one_line(exc)}"
                    ) from exc
                self._execute(
                    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                    [version + 1, now()],
                )

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
        self._check_batch(batch)
        outcomes: Counter[Outcome] = Counter()
        ingested_at = now()
        current: str | None = None
        try:
            with self._write_transaction():
                for analysis in batch:
                    current = analysis.article.id
                    outcomes[self._write(analysis, ingested_at)] += 1
                current = None
        except self._errors as exc:
            at = f" at article {current!r}" if current is not None else ""
            raise StoreError(
                f"{self.location}: cannot save the batch{at}: {one_line(exc)}; nothing was written"
            ) from exc
        return SaveReport(outcomes["added"], outcomes["updated"], outcomes["unchanged"])

    def _check_batch(self, batch: list[Analysis]) -> None:
        """Raise StoreError before writing when this backend cannot hold a record of ``batch``."""

    def _write(self, analysis: Analysis, ingested_at: str) -> Outcome:
        article = analysis.article
        digest = content_hash(article.text)
        stored = self._execute(
            "SELECT content_hash FROM articles WHERE id = ? OR content_hash = ?", [article.id, digest]
        )
        if any(row["content_hash"] == digest for row in stored):
            return "unchanged"
        # No row has this text, so any row found has this id and an older text.
        if stored:
            # ON DELETE CASCADE drops the old extractions (and their full-text entries).
            self._execute("DELETE FROM articles WHERE id = ?", [article.id])
        self._execute(
            "INSERT INTO articles (id, content_hash, url, outlet, title, published, language,"
            " source, text, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                article.id,
                digest,
                article.url,
                article.outlet,
                article.title,
                iso(article.published),
                article.language,
                article.source,
                article.text,
                ingested_at,
            ],
        )
        self._execute_many(
            "INSERT INTO statements (id, article_id, kind, speaker_text, speaker_actor, cue,"
            ' content, venue, retrospective, said_on, start, "end", record)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_statement_row(s) for s in analysis.statements),
        )
        self._execute_many(
            "INSERT INTO events (id, article_id, type, mode, modality, actors, recipients,"
            ' statement_id, cameo, start, "end", record)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_event_row(e) for e in analysis.events),
        )
        self._execute_many(
            "INSERT INTO positions (id, article_id, actor, issue, stance, summary, as_of,"
            " retrospective, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_position_row(p) for p in analysis.positions),
        )
        self._execute_many(
            "INSERT INTO shifts (id, article_id, actor, issue, severity, direction,"
            " before_position_id, after_position_id, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (_shift_row(s) for s in analysis.shifts),
        )
        return "updated" if stored else "added"

    def save_timeline_shifts(self, found: TimelineState, key: str, shifts: Sequence[Shift]) -> bool:
        """Store ``shifts`` as those of timeline ``found``, found with ``key``; return True when stored.

        ``found`` is the timeline's state read *before* its positions were read for the shifts:
        when its positions have changed since (another version), nothing is written and False is
        returned, so shifts of older positions are never stored as current.

        Raises:
            StoreError: when the rows cannot be written.
        """
        try:
            with self._write_transaction():
                rows = self._execute(
                    "SELECT version FROM timelines WHERE actor = ? AND issue = ?", [found.actor, found.issue]
                )
                if not rows or int(rows[0]["version"]) != found.version:
                    return False
                self._execute(
                    "DELETE FROM timeline_shifts WHERE actor = ? AND issue = ?", [found.actor, found.issue]
                )
                self._execute_many(
                    "INSERT INTO timeline_shifts (actor, issue, seq, id, day, severity, direction,"
                    " before_position_id, after_position_id, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        (
                            found.actor,
                            found.issue,
                            seq,
                            shift.id,
                            iso(shift.after.as_of),
                            shift.severity,
                            shift.direction,
                            shift.before.id,
                            shift.after.id,
                            _record_json(shift),
                        )
                        for seq, shift in enumerate(shifts)
                    ),
                )
                self._execute(
                    "UPDATE timelines SET shifts_version = version, shifts_key = ?, refreshed_at = ?"
                    " WHERE actor = ? AND issue = ?",
                    [key, now(), found.actor, found.issue],
                )
        except self._errors as exc:
            raise StoreError(
                f"{self.location}: cannot store the shifts of {found.actor} on {found.issue}: {one_line(exc)}"
            ) from exc
        return True

    def quarantine(self, error: InputError) -> None:
        """Record an input that failed to load; recording the same failure again adds no row.

        A repeated failure keeps its ``first_seen`` and moves its ``last_seen`` to now.

        Raises:
            StoreError: when the row cannot be written.
        """
        seen = now()
        try:
            with self._write_transaction():
                self._execute(
                    "INSERT INTO quarantine (source, line, problem, first_seen, last_seen)"
                    f" VALUES (?, ?, ?, ?, ?) ON CONFLICT {self._quarantine_key}"
                    " DO UPDATE SET last_seen = excluded.last_seen",
                    [error.path, error.line, error.problem, seen, seen],
                )
        except self._errors as exc:
            raise StoreError(f"{self.location}: cannot quarantine {error.path}: {one_line(exc)}") from exc

    # Reads

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Return the rows of a query.

        Raises:
            StoreError: when the query fails (the connection is lost, the schema was changed).
        """
        try:
            return self._execute(sql, params)
        except self._errors as exc:
            raise StoreError(f"{self.location}: cannot read the store: {one_line(exc)}") from exc

    def _records(self, cls: type[R], sql: str, params: Sequence[object]) -> list[R]:
        # A JSON column may come back decoded already (PostgreSQL's jsonb) or as text (SQLite).
        return [from_dict(cls, _json(row["record"])) for row in self._read(sql, params)]

    def has_article(self, article: Article) -> bool:
        """Return True when the store holds this article's text (under any id): nothing to redo.

        Raises:
            StoreError: when the store cannot be read.
        """
        rows = self._read(
            "SELECT 1 AS found FROM articles WHERE content_hash = ? LIMIT 1", [content_hash(article.text)]
        )
        return bool(rows)

    def articles(self) -> list[Article]:
        """Return every stored article, by publication date (undated last), then id.

        Raises:
            StoreError: when the store cannot be read.
        """
        rows = self._read("SELECT * FROM articles ORDER BY published NULLS LAST, id")
        return [article_from_row(row) for row in rows]

    def article(self, article_id: str) -> Article | None:
        """Return the article with id ``article_id``, or None when it is not stored.

        Raises:
            StoreError: when the store cannot be read.
        """
        rows = self._read("SELECT * FROM articles WHERE id = ?", [article_id])
        return article_from_row(rows[0]) if rows else None

    def analysis(self, article_id: str) -> Analysis | None:
        """Return everything stored for one article, in extraction order; None when not stored.

        Raises:
            StoreError: when the store cannot be read.
        """
        article = self.article(article_id)
        if article is None:
            return None

        def rows(cls: type[R], table: str) -> tuple[R, ...]:
            sql = f"SELECT record FROM {table} WHERE article_id = ? ORDER BY {self._insertion_order}"
            return tuple(self._records(cls, sql, [article_id]))

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

        Raises:
            StoreError: when the store cannot be read.
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

        Raises:
            StoreError: when the store cannot be read.
        """
        where, params = _where(
            {
                self._array_holds.format(column="e.actors"): actor,
                self._array_holds.format(column="e.recipients"): recipient,
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

        Raises:
            StoreError: when the store cannot be read.
        """
        where, params = _where(
            {
                "actor = ?": actor,
                "issue = ?": issue,
                "as_of >= ?": iso(since),
                "as_of <= ?": iso(until),
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

        Raises:
            StoreError: when the store cannot be read.
        """
        where, params = _where({"sh.actor = ?": actor, "sh.issue = ?": issue})
        return self._records(
            Shift,
            "SELECT sh.record FROM shifts AS sh JOIN articles AS a ON a.id = sh.article_id"
            f" WHERE {where} ORDER BY a.published NULLS LAST, a.id, sh.id",
            params,
        )

    def timelines(
        self, actor: str | None = None, issue: str | None = None, *, with_shifts: bool = False
    ) -> list[TimelineState]:
        """Return the (actor, issue) timelines of the store, by actor and issue; a filter left as
        None does not filter. With ``with_shifts``, each comes with its stored shifts, all read at
        one moment (one query), so a timeline's state and its shifts always agree.

        Raises:
            StoreError: when the store cannot be read.
        """
        where, params = _where({"t.actor = ?": actor, "t.issue = ?": issue})
        columns = "t.actor, t.issue, t.version, t.shifts_version, t.shifts_key"
        if not with_shifts:
            rows = self._read(
                f"SELECT {columns} FROM timelines AS t WHERE {where} ORDER BY t.actor, t.issue", params
            )
            return [_timeline_state(row) for row in rows]
        rows = self._read(
            f"SELECT {columns}, ts.record FROM timelines AS t LEFT JOIN timeline_shifts AS ts"
            f" ON ts.actor = t.actor AND ts.issue = t.issue WHERE {where} ORDER BY t.actor, t.issue, ts.seq",
            params,
        )
        found: dict[tuple[str, str], TimelineState] = {}
        shifts: dict[tuple[str, str], list[Shift]] = {}
        for row in rows:
            key = (row["actor"], row["issue"])
            if key not in found:
                found[key] = _timeline_state(row)
                shifts[key] = []
            if row["record"] is not None:
                shifts[key].append(from_dict(Shift, _json(row["record"])))
        return [dataclasses.replace(state, shifts=tuple(shifts[key])) for key, state in found.items()]

    def search_statements(self, query: str, limit: int = 50) -> list[Statement]:
        """Return up to ``limit`` statements whose content has every word of ``query``, best first.

        Each word is matched as a literal term, stemmed by English rules ("territory" finds
        "territories"); the search syntax of the database (quotes, ``*``, ``OR``, ``NEAR``, column
        filters) has no effect. PostgreSQL also ignores English stop words ("the", "or"). A query
        with no words returns no statements.

        Raises:
            ValueError: when ``limit`` is less than 1.
            StoreError: when the store cannot be read.
        """
        if limit < 1:
            raise ValueError(f"limit must be at least 1, got {limit}")
        words = query.split()
        if not words:
            return []
        return self._records(Statement, self._search_sql, [self._search_terms(words), limit])

    def quarantined(self) -> list[QuarantinedInput]:
        """Return the inputs that failed to load, by source and line (whole-file failures first).

        Raises:
            StoreError: when the store cannot be read.
        """
        rows = self._read(
            "SELECT source, line, problem, first_seen, last_seen FROM quarantine"
            " ORDER BY source, line NULLS FIRST, problem"
        )
        return [
            QuarantinedInput(
                source=row["source"],
                line=row["line"],
                problem=row["problem"],
                first_seen=_timestamp(row["first_seen"]),
                last_seen=_timestamp(row["last_seen"]),
            )
            for row in rows
        ]

    def counts(self) -> dict[str, int]:
        """Return the number of rows per table: articles, statements, events, positions, shifts
        and quarantine, all read at one moment.

        Raises:
            StoreError: when the store cannot be read.
        """
        (row,) = self._read(
            "SELECT (SELECT count(*) FROM articles) AS articles,"
            " (SELECT count(*) FROM statements) AS statements,"
            " (SELECT count(*) FROM events) AS events,"
            " (SELECT count(*) FROM positions) AS positions,"
            " (SELECT count(*) FROM shifts) AS shifts,"
            " (SELECT count(*) FROM quarantine) AS quarantine"
        )
        return {key: int(value) for key, value in row.items()}


def backend_for(location: str | Path) -> type[Store]:
    """Return the store class for ``location``: SQLite for a path, PostgreSQL for a URL.

    Raises:
        StoreError: for a URL of another scheme, or a PostgreSQL URL when psycopg is not installed.
    """
    text = str(location)
    scheme, sep, _ = text.partition("://")
    if not sep:
        from parley.store.sqlite import SQLiteStore

        return SQLiteStore
    if scheme.lower() in POSTGRES_SCHEMES:
        try:
            from parley.store.postgres import PostgresStore
        except ImportError as exc:
            raise StoreError(
                f"{redact(text)}: a PostgreSQL store needs psycopg: pip install 'parley[postgres]' ({exc})"
            ) from exc
        return PostgresStore
    raise StoreError(
        f"{redact(text)}: unknown kind of store {scheme + '://'!r}; give a SQLite file path or a "
        "postgresql:// URL"
    )


def redact(url: str) -> str:
    """Return ``url`` with any password replaced by ``***``, fit for messages and logs."""
    # user:password@ in the authority, and password=... among the query parameters.
    url = re.sub(r"^([A-Za-z][A-Za-z0-9+.-]*://[^:/?#@]*):[^@/?#]*@", r"\1:***@", url)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", url)


def one_line(exc: Exception) -> str:
    """Return what a driver's error says, on one line."""
    # PostgreSQL's messages carry DETAIL and HINT lines; an error message of Parley's is one line.
    return "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())


def content_hash(text: str) -> str:
    """Return the key that makes an article's text unique in the store."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now() -> str:
    """Return the current UTC time as ISO 8601 with milliseconds."""
    # Milliseconds: rewriting a row within the same second would otherwise leave no trace.
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def iso(day: dt.date | None) -> str | None:
    """Return ``day`` as ISO 8601, or None."""
    return None if day is None else day.isoformat()


def _where(conditions: Mapping[str, object]) -> tuple[str, list[object]]:
    """Return the AND of the conditions whose value is not None, and those values in order."""
    used = {sql: value for sql, value in conditions.items() if value is not None}
    return " AND ".join(used) or "TRUE", list(used.values())


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _date(value: Any) -> dt.date | None:
    # SQLite gives the ISO text back; PostgreSQL a date.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _timestamp(value: Any) -> str:
    # SQLite gives the ISO text back; PostgreSQL a datetime, written here as SQLite stores it.
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="milliseconds")
    return str(value)


def _record_json(record: Any) -> str:
    return json.dumps(to_dict(record), ensure_ascii=False)


def article_from_row(row: Row) -> Article:
    """Return the article of a row of the ``articles`` table (any mapping by column name)."""
    return Article(
        id=row["id"],
        text=row["text"],
        url=row["url"],
        outlet=row["outlet"],
        title=row["title"],
        published=_date(row["published"]),
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
        iso(statement.said_on),
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
        iso(position.as_of),
        position.retrospective,
        _record_json(position),
    )


def _timeline_state(row: Row) -> TimelineState:
    stored = row["shifts_version"]
    return TimelineState(
        actor=row["actor"],
        issue=row["issue"],
        version=int(row["version"]),
        shifts_version=None if stored is None else int(stored),
        shifts_key=row["shifts_key"],
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

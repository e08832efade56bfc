"""The web UI's read path: its own parameterised SQL over a Parley SQLite file opened read-only.

The UI never writes through this module: the file is opened with ``mode=ro``, so a bug here cannot
change a user's data, and a running ingest keeps writing while the UI reads (the store runs in WAL
mode). Records are rebuilt from the ``record`` JSON columns with :func:`parley.model.from_dict`;
the other columns are only used to filter and sort.

Every query here is bounded: pages are fetched with ``LIMIT``, counts of search hits stop at
:data:`COUNT_CAP`, and whole-table aggregates are cached per version of the database (SQLite's
``PRAGMA data_version`` changes when another connection commits).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import math
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from parley.errors import StoreError
from parley.model import Article, Event, Position, Shift, Statement, from_dict
from parley.store.base import TimelineState, article_from_row

R = TypeVar("R")
T = TypeVar("T")

# Words matching more statements than this are listed latest first instead of ranked: BM25 scores
# every match (0.4 s for a word in a quarter of a million statements), a listing by rowid stops at
# the page. Below it, ranking and counting the matches take some tens of milliseconds.
RANK_LIMIT = 10_000
# A search still running after this long is stopped (SQLite's progress handler) and the page says
# so: an unindexed filter (outlet) on words that match much can otherwise read a large part of
# the store.
SEARCH_SECONDS = 2.0
# How a filtered search for common words finds a speaker's statements (Reader._broad_search): one by
# one for a speaker with at most FEW_STATEMENTS; by walking the matches for a speaker of at least
# DENSE_SHARE of all statements; else through the set of matches.
FEW_STATEMENTS = 2000
DENSE_SHARE = 0.02
PAGE_SIZE = 20
# How many of the latest articles the search form's outlet list is drawn from (see Reader.outlets).
OUTLET_SAMPLE = 2000
# Cached values per database version: the corpus aggregates and the timelines of recently viewed
# actors (a prolific speaker's holds thousands of positions).
CACHE_ENTRIES = 64
# FTS5 highlight() markers: private-use characters, which article text does not use; the
# template splits on them and escapes every piece, so a marker in the text cannot inject markup.
HIT_OPEN = "\ue000"
HIT_CLOSE = "\ue001"
# The schema version this read path was written against. Newer versions add to the schema
# (migrations are append-only), so they are read too; older ones are not Parley stores yet.
MIN_SCHEMA = 1


class WebStoreError(StoreError):
    """The database cannot be opened for reading by the web UI (missing, not Parley's, ...)."""


@dataclass(frozen=True)
class Counts:
    """Rows per table of the store."""

    articles: int
    statements: int
    events: int
    positions: int
    shifts: int


@dataclass(frozen=True)
class ArticleSummary:
    """An article without its text, for lists."""

    id: str
    title: str | None
    outlet: str | None
    published: dt.date | None
    url: str | None


@dataclass(frozen=True)
class ShiftRow:
    """A shift with the article of its later position."""

    shift: Shift
    article: ArticleSummary

    @property
    def day(self) -> dt.date | None:
        """The date of the new stance: its ``as_of``, else its article's date."""
        return self.shift.after.as_of or self.article.published


@dataclass(frozen=True)
class PositionRow:
    """A stored position with its article; ``day`` is ``as_of`` or else the article's date."""

    position: Position
    article: ArticleSummary

    @property
    def day(self) -> dt.date | None:
        """The date the position is placed at on a timeline (None: undated)."""
        return self.position.as_of or self.article.published


@dataclass(frozen=True)
class ActorCount:
    """An actor id and how many statements it made."""

    actor: str
    statements: int


@dataclass(frozen=True)
class SearchQuery:
    """What the search page asks for; a filter left empty does not filter."""

    text: str = ""
    actor: str | None = None
    issue: str | None = None
    outlet: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    page: int = 1

    @property
    def empty(self) -> bool:
        """True when nothing at all is asked (the page then shows only the form)."""
        return not (self.text.strip() or self.actor or self.issue or self.outlet or self.since or self.until)


@dataclass(frozen=True)
class Hit:
    """One search hit: the statement, its article and its content with the matched words marked."""

    statement: Statement
    article: ArticleSummary
    marked: str


@dataclass(frozen=True)
class SearchPage:
    """One page of hits.

    ``ranked``: best match first (BM25); otherwise the latest stored first, which is what a search
    gets when its words match more than :data:`RANK_LIMIT` statements. ``total`` is the number of
    hits when it was counted (None otherwise); ``has_next`` says whether another page follows.
    """

    query: SearchQuery
    hits: list[Hit]
    total: int | None
    has_next: bool
    ranked: bool
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int | None:
        """How many pages the hits fill, when they were counted."""
        return None if self.total is None else max(1, math.ceil(self.total / self.page_size))

    @property
    def first(self) -> int:
        """The number of the first hit of this page (from 1)."""
        return (self.query.page - 1) * self.page_size + 1


class SearchTooSlow(StoreError):
    """A search ran past :data:`SEARCH_SECONDS` and was stopped."""


@dataclass
class _Cached:
    """Values that cost a scan of a big table, valid while ``version`` stands; the oldest go first
    beyond :data:`CACHE_ENTRIES`."""

    version: tuple[int, int] = (-1, -1)
    values: OrderedDict[str, Any] = field(default_factory=OrderedDict)


def fts_terms(text: str) -> str:
    """Return an FTS5 query matching every whitespace-separated word of ``text`` literally.

    Each word becomes a quoted FTS5 string, so the operators and special characters a reader may
    type (``"``, ``*``, ``NEAR``, ``OR``, ``-``, column filters) are plain words, never syntax.
    """
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


@functools.lru_cache(maxsize=8192)
def _date(value: str | None) -> dt.date | None:
    # Cached: an actor's timeline reads thousands of rows over a few thousand distinct days.
    return None if value is None else dt.date.fromisoformat(value[:10])


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _summary(row: sqlite3.Row, prefix: str = "a_") -> ArticleSummary:
    return ArticleSummary(
        id=row[f"{prefix}id"],
        title=row[f"{prefix}title"],
        outlet=row[f"{prefix}outlet"],
        published=_date(row[f"{prefix}published"]),
        url=row[f"{prefix}url"],
    )


def _shift_rows(rows: Iterable[sqlite3.Row]) -> list[ShiftRow]:
    """Shifts from rows of a shift's ``record`` (JSON) and its article's columns."""
    return [ShiftRow(from_dict(Shift, json.loads(row["record"])), _summary(row)) for row in rows]


# The article columns every joined query selects, under the names _summary reads.
_ARTICLE_COLUMNS = (
    "a.id AS a_id, a.title AS a_title, a.outlet AS a_outlet, a.published AS a_published, a.url AS a_url"
)


_ARTICLE_FULL = "id, text, url, outlet, title, published, language, source"


_POSITION_COLUMNS = (
    "p.id AS p_id, p.article_id AS p_article_id, p.actor AS p_actor, p.issue AS p_issue,"
    " p.stance AS p_stance, p.summary AS p_summary, p.as_of AS p_as_of, p.retrospective AS p_retrospective"
)


def _light_position(row: sqlite3.Row) -> Position:
    """Return a position from its table columns: everything but its spans and statement ids."""
    return Position(
        id=row["p_id"],
        article_id=row["p_article_id"],
        actor=row["p_actor"],
        issue=row["p_issue"],
        stance=row["p_stance"],
        summary=row["p_summary"],
        evidence=(),
        as_of=_date(row["p_as_of"]),
        retrospective=bool(row["p_retrospective"]),
    )


def _timeline_order(row: PositionRow) -> tuple[str, bool, dt.date, bool, str]:
    day = row.day
    return (
        row.position.issue,
        day is None,
        day or dt.date.min,
        not row.position.retrospective,
        row.position.id,
    )


def _where(conditions: dict[str, object]) -> tuple[str, list[object]]:
    """Return the AND of the conditions whose value is not None, and those values in order."""
    used = {sql: value for sql, value in conditions.items() if value is not None}
    return " AND ".join(used) or "1", list(used.values())


def open_readonly(path: str | Path) -> sqlite3.Connection:
    """Return a read-only connection to the Parley store at ``path``.

    Raises:
        WebStoreError: when the file does not exist, is not a SQLite database, or is a database
            without Parley's schema.
    """
    if "://" in str(path):
        raise WebStoreError(f"{path}: the web UI reads SQLite stores only (a file path), not a URL")
    location = Path(path)
    if not location.is_file():
        raise WebStoreError(f"{location}: no such database")
    # as_uri() percent-encodes the path, so a "?" or "#" in a folder name stays part of the path.
    uri = location.resolve().as_uri() + "?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        version = _schema_version(conn, location)
    except sqlite3.Error as exc:
        raise WebStoreError(f"{location}: cannot open the store read-only: {exc}") from exc
    if version < MIN_SCHEMA:
        conn.close()
        raise WebStoreError(f"{location}: not a Parley store (no schema version); nothing to show")
    return conn


def _schema_version(conn: sqlite3.Connection, location: Path) -> int:
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if has_table is None:
        conn.close()
        raise WebStoreError(
            f"{location}: not a Parley store (a SQLite database without a schema_version table)"
        )
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


class Reader:
    """Typed reads for the pages of the web UI, over one read-only connection per thread.

    FastAPI runs page handlers in a thread pool; SQLite connections are cheap, so each thread gets
    its own instead of sharing one under a lock.

    Raises:
        WebStoreError: from the constructor, when ``path`` cannot be opened (see :func:`open_readonly`).
    """

    def __init__(self, path: str | Path) -> None:
        """Open the store at ``path`` read-only (once now, to fail early on a bad path)."""
        self.path = Path(path)
        self._local = threading.local()
        self._local.conn = open_readonly(self.path)
        self._all: list[sqlite3.Connection] = [self._local.conn]
        self._lock = threading.Lock()
        self._cache = _Cached()

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's read-only connection."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = open_readonly(self.path)
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        """Close every connection this reader opened."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()

    def _records(self, cls: type[R], sql: str, params: Sequence[object]) -> list[R]:
        return [from_dict(cls, json.loads(row["record"])) for row in self.conn.execute(sql, params)]

    def version(self) -> tuple[int, int]:
        """Return a value that changes whenever the database changes (for caches)."""
        # data_version changes when another connection commits; a file replaced under the same
        # name (a restore from backup) shows up in its size and mtime instead.
        data_version = int(self.conn.execute("PRAGMA data_version").fetchone()[0])
        stat = self.path.stat()
        return (data_version, hash((stat.st_mtime_ns, stat.st_size)))

    def cached(self, key: str, compute: Callable[[], T]) -> T:
        """Return ``compute()``, computed once per version of the database (per ``key``)."""
        version = self.version()
        with self._lock:
            if self._cache.version != version:
                self._cache = _Cached(version)
            if key in self._cache.values:
                self._cache.values.move_to_end(key)
                return self._cache.values[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            if self._cache.version == version:
                self._cache.values[key] = value
                while len(self._cache.values) > CACHE_ENTRIES:
                    self._cache.values.popitem(last=False)
        return value

    # The corpus

    def counts(self) -> Counts:
        """Return the number of articles, statements, events, positions and shifts."""

        def compute() -> Counts:
            row = self.conn.execute(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM statements),"
                " (SELECT count(*) FROM events), (SELECT count(*) FROM positions),"
                " (SELECT count(*) FROM shifts)"
            ).fetchone()
            return Counts(*(int(v) for v in row))

        return self.cached("counts", compute)

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        """Return the first and last publication dates in the store (None when none is dated)."""
        # Two index lookups on articles_published instead of one min/max scan.
        first = self.conn.execute(
            "SELECT published FROM articles WHERE published IS NOT NULL ORDER BY published LIMIT 1"
        ).fetchone()
        last = self.conn.execute(
            "SELECT published FROM articles WHERE published IS NOT NULL ORDER BY published DESC LIMIT 1"
        ).fetchone()
        return (_date(first[0]) if first else None, _date(last[0]) if last else None)

    def latest_articles(self, limit: int = 10, offset: int = 0) -> list[ArticleSummary]:
        """Return articles by publication date, newest first (undated last)."""
        rows = self.conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles AS a"
            # DESC puts NULLs (undated) last in SQLite, and walks the articles_published index
            # backwards: no sort of the whole table.
            " ORDER BY a.published DESC, a.id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [_summary(row) for row in rows]

    def latest_shifts(self, limit: int = 10) -> list[ShiftRow]:
        """Return the shifts of the most recently published articles, newest first."""
        rows = self.conn.execute(
            f"SELECT sh.record, {_ARTICLE_COLUMNS} FROM shifts AS sh"
            " JOIN articles AS a ON a.id = sh.article_id"
            " ORDER BY a.published DESC, a.id DESC, sh.id LIMIT ?",
            (limit,),
        )
        return _shift_rows(rows)

    def timeline_states(self) -> list[TimelineState]:
        """Return every (actor, issue) timeline's version and stored-shift version and key, without
        the shifts; none from a store older than the ``timelines`` table."""
        if not self._has_table("timelines"):
            return []
        rows = self.conn.execute("SELECT actor, issue, version, shifts_version, shifts_key FROM timelines")
        return [
            TimelineState(r["actor"], r["issue"], r["version"], r["shifts_version"], r["shifts_key"])
            for r in rows
        ]

    def latest_timeline_shifts(self, limit: int = 10) -> list[ShiftRow]:
        """Return the newest shifts stored over whole timelines (``timeline_shifts``, found after each
        ingest), newest day first, each with the article of its later position. Whether they are
        current is the caller's check (:meth:`timeline_states`)."""
        if not self._has_table("timeline_shifts"):
            return []
        rows = self.conn.execute(
            f"SELECT ts.record, {_ARTICLE_COLUMNS} FROM timeline_shifts AS ts"
            " JOIN positions AS p ON p.id = ts.after_position_id JOIN articles AS a ON a.id = p.article_id"
            " WHERE ts.day IS NOT NULL ORDER BY ts.day DESC, ts.actor, ts.issue, ts.seq LIMIT ?",
            (limit,),
        )
        return _shift_rows(rows)

    def active_actors(self, limit: int = 10) -> list[ActorCount]:
        """Return the actors with the most statements, most first (cached per database version)."""

        def compute() -> list[ActorCount]:
            rows = self.conn.execute(
                "SELECT speaker_actor, count(*) AS n FROM statements"
                " WHERE speaker_actor IS NOT NULL GROUP BY speaker_actor ORDER BY n DESC, speaker_actor"
                " LIMIT ?",
                (limit,),
            )
            return [ActorCount(row[0], int(row[1])) for row in rows]

        return self.cached(f"active_actors:{limit}", compute)

    def outlets(self, recent: int = OUTLET_SAMPLE) -> list[str]:
        """Return every outlet, by name (cached per database version), from the ``articles_outlet``
        index; from a store without it (schema 1), the outlets of the ``recent`` latest articles,
        since a DISTINCT over all articles would read every article row. The search form offers
        these and takes any other name typed in.
        """

        def compute() -> list[str]:
            if self._has_index("articles_outlet"):
                rows = self.conn.execute(
                    "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet"
                )
                return [row[0] for row in rows]
            rows = self.conn.execute(
                "SELECT DISTINCT outlet FROM (SELECT outlet FROM articles"
                " ORDER BY published DESC, id DESC LIMIT ?) WHERE outlet IS NOT NULL ORDER BY outlet",
                (recent,),
            )
            return [row[0] for row in rows]

        return self.cached(f"outlets:{recent}", compute)

    def issues_with_positions(self) -> list[str]:
        """Return the issues any stored position is about, by id (cached per database version)."""

        def compute() -> list[str]:
            rows = self.conn.execute("SELECT DISTINCT issue FROM positions ORDER BY issue")
            return [row[0] for row in rows]

        return self.cached("issues", compute)

    def all_articles(self) -> list[Article]:
        """Return every article, text included (for the verifier, which indexes whole texts)."""
        return [self._article(row) for row in self.conn.execute(f"SELECT {_ARTICLE_FULL} FROM articles")]

    def all_statements(self) -> list[Statement]:
        """Return every statement, by article date (undated last), article and place in the text."""
        return self._records(
            Statement,
            "SELECT s.record FROM statements AS s JOIN articles AS a ON a.id = s.article_id"
            " ORDER BY a.published NULLS LAST, a.id, s.start, s.id",
            (),
        )

    # One article

    def article(self, article_id: str) -> Article | None:
        """Return the article with id ``article_id``, or None when it is not stored."""
        row = self.conn.execute(
            f"SELECT {_ARTICLE_FULL} FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return None if row is None else self._article(row)

    @staticmethod
    def _article(row: sqlite3.Row) -> Article:
        return article_from_row(dict(row))

    def article_summary(self, article_id: str) -> ArticleSummary | None:
        """Return the article's title, outlet, date and url, or None when it is not stored."""
        row = self.conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles AS a WHERE a.id = ?", (article_id,)
        ).fetchone()
        return None if row is None else _summary(row)

    def article_statements(self, article_id: str) -> list[Statement]:
        """Return the statements of one article in text order."""
        return self._records(
            Statement,
            "SELECT record FROM statements WHERE article_id = ? ORDER BY start, id",
            (article_id,),
        )

    def article_events(self, article_id: str) -> list[Event]:
        """Return the events of one article in text order."""
        return self._records(
            Event, "SELECT record FROM events WHERE article_id = ? ORDER BY start, id", (article_id,)
        )

    def article_positions(self, article_id: str) -> list[Position]:
        """Return the positions of one article, by actor and issue."""
        return self._records(
            Position,
            "SELECT record FROM positions WHERE article_id = ? ORDER BY actor, issue, retrospective DESC, id",
            (article_id,),
        )

    def article_shifts(self, article_id: str) -> list[Shift]:
        """Return the shifts whose later position is in this article."""
        return self._records(
            Shift, "SELECT record FROM shifts WHERE article_id = ? ORDER BY actor, issue, id", (article_id,)
        )

    # Actors and evidence

    def actor_statement_count(self, actor: str) -> int:
        """Return how many statements the actor made."""
        row = self.conn.execute(
            "SELECT count(*) FROM statements WHERE speaker_actor = ?", (actor,)
        ).fetchone()
        return int(row[0])

    def actor_positions(self, actor: str) -> list[PositionRow]:
        """Return the actor's positions with their articles, by issue then date (undated last).

        The positions are read from the table's columns, not rebuilt from their JSON: they carry no
        evidence spans, conditions or statement ids (``evidence`` is empty). A prolific actor has
        thousands of positions, and the timeline needs only their stance, date and id; the evidence
        is read when it is asked for (:meth:`position`).
        """
        rows = self.conn.execute(
            f"SELECT {_POSITION_COLUMNS}, {_ARTICLE_COLUMNS} FROM positions AS p"
            " JOIN articles AS a ON a.id = p.article_id WHERE p.actor = ?"
            " ORDER BY p.issue, coalesce(p.as_of, a.published) IS NULL, coalesce(p.as_of, a.published),"
            " p.retrospective DESC, p.id",
            (actor,),
        )
        return [PositionRow(_light_position(row), _summary(row)) for row in rows]

    def actor_timeline_rows(self, actor: str) -> list[PositionRow]:
        """Return the actor's positions as :meth:`actor_positions` does, in the same order, but the
        dated ones *light*: read from the ``positions_actor_cover`` index alone, with an empty
        ``summary`` and an article that has only its id (:meth:`position_details` reads the rest
        for the rows a page shows). Undated positions come whole: their day is their article's.

        A store older than that index (schema 1) is read the slower way, all rows whole.
        """
        if not self._has_index("positions_actor_cover"):
            return self.actor_positions(actor)
        rows = self.conn.execute(
            "SELECT id, article_id, issue, stance, as_of, retrospective FROM positions"
            " WHERE actor = ? AND as_of IS NOT NULL",
            (actor,),
        )
        articles: dict[str, ArticleSummary] = {}
        found = [
            PositionRow(
                Position(
                    id=row["id"],
                    article_id=row["article_id"],
                    actor=actor,
                    issue=row["issue"],
                    stance=row["stance"],
                    summary="",
                    evidence=(),
                    as_of=_date(row["as_of"]),
                    retrospective=bool(row["retrospective"]),
                ),
                articles.get(row["article_id"])
                or articles.setdefault(
                    row["article_id"], ArticleSummary(row["article_id"], None, None, None, None)
                ),
            )
            for row in rows
        ]
        undated = self.conn.execute(
            f"SELECT {_POSITION_COLUMNS}, {_ARTICLE_COLUMNS} FROM positions AS p"
            " JOIN articles AS a ON a.id = p.article_id WHERE p.actor = ? AND p.as_of IS NULL",
            (actor,),
        )
        found += [PositionRow(_light_position(row), _summary(row)) for row in undated]
        # The order of actor_positions: by issue, then day (undated last), earlier stances first, id.
        found.sort(key=_timeline_order)
        return found

    def position_details(self, ids: Collection[str]) -> dict[str, PositionRow]:
        """Return the positions with these ids (without spans, like :meth:`actor_positions`) with
        their articles, by id; unknown ids are left out."""
        if not ids:
            return {}
        rows = self.conn.execute(
            f"SELECT {_POSITION_COLUMNS}, {_ARTICLE_COLUMNS} FROM positions AS p"
            " JOIN articles AS a ON a.id = p.article_id WHERE p.id IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(ids)),),
        )
        return {row["p_id"]: PositionRow(_light_position(row), _summary(row)) for row in rows}

    def _has_index(self, name: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
        ).fetchone()
        return row is not None

    def actor_timelines(self, actor: str, positions: Mapping[str, Position]) -> list[TimelineState]:
        """Return the actor's timelines with their stored shifts (see
        :meth:`parley.store.Store.timelines`); none from a store older than the ``timelines`` table.

        The shifts are made from the table's columns and the actor's ``positions`` by id (from
        :meth:`actor_positions`, read in the same :meth:`snapshot`), not rebuilt from their JSON: a
        prolific speaker has thousands. A timeline with a shift whose position is not among
        ``positions`` comes back as never stored (``shifts_version`` None).
        """
        if not self._has_table("timelines"):
            return []
        rows = self.conn.execute(
            "SELECT t.issue, t.version, t.shifts_version, t.shifts_key, ts.id, ts.severity, ts.direction,"
            " ts.before_position_id, ts.after_position_id FROM timelines AS t LEFT JOIN timeline_shifts AS ts"
            " ON ts.actor = t.actor AND ts.issue = t.issue WHERE t.actor = ? ORDER BY t.issue, ts.seq",
            (actor,),
        )
        found: dict[str, TimelineState] = {}
        shifts: dict[str, list[Shift] | None] = {}
        for row in rows:
            issue = row["issue"]
            if issue not in found:
                found[issue] = TimelineState(
                    actor, issue, row["version"], row["shifts_version"], row["shifts_key"]
                )
                shifts[issue] = []
            listed = shifts[issue]
            if row["id"] is None or listed is None:
                continue
            before, after = positions.get(row["before_position_id"]), positions.get(row["after_position_id"])
            if before is None or after is None:
                shifts[issue] = None
                continue
            listed.append(
                Shift(
                    id=row["id"],
                    actor=actor,
                    issue=issue,
                    before=before,
                    after=after,
                    severity=row["severity"],
                    direction=row["direction"],
                )
            )
        return [
            dataclasses.replace(state, shifts=tuple(listed))
            if (listed := shifts[issue]) is not None
            else dataclasses.replace(state, shifts_version=None)
            for issue, state in found.items()
        ]

    def _has_table(self, name: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return row is not None

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Run the reads inside on one snapshot of the database (one read transaction), so that
        they agree with each other while another process writes."""
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self.conn.execute("COMMIT")

    def recent_positions(self, days: int = 180) -> list[PositionRow]:
        """Return the positions (without spans, like :meth:`actor_positions`) of the articles
        published in the last ``days`` days of coverage (up to the latest article date)."""
        _, last = self.date_range()
        if last is None:
            return []
        since = (last - dt.timedelta(days=days)).isoformat()
        rows = self.conn.execute(
            f"SELECT {_POSITION_COLUMNS}, {_ARTICLE_COLUMNS} FROM articles AS a"
            " JOIN positions AS p ON p.article_id = a.id WHERE a.published >= ?"
            " ORDER BY a.published, p.id",
            (since,),
        )
        return [PositionRow(_light_position(row), _summary(row)) for row in rows]

    def actor_recent_statements(self, actor: str, limit: int = 10) -> list[tuple[Statement, ArticleSummary]]:
        """Return the actor's most recently stored statements with their articles."""
        # Ordered by pk (insertion), which the speaker_actor index yields without a sort; ordering
        # by publication date would sort every statement of a prolific speaker on each view.
        rows = self.conn.execute(
            f"SELECT s.record, {_ARTICLE_COLUMNS} FROM statements AS s"
            " JOIN articles AS a ON a.id = s.article_id WHERE s.speaker_actor = ?"
            " ORDER BY s.pk DESC LIMIT ?",
            (actor, limit),
        )
        return [(from_dict(Statement, json.loads(row["record"])), _summary(row)) for row in rows]

    def position(self, position_id: str) -> PositionRow | None:
        """Return the position with this id and its article, or None."""
        row = self.conn.execute(
            f"SELECT p.record, {_ARTICLE_COLUMNS} FROM positions AS p"
            " JOIN articles AS a ON a.id = p.article_id WHERE p.id = ?",
            (position_id,),
        ).fetchone()
        if row is None:
            return None
        return PositionRow(from_dict(Position, json.loads(row["record"])), _summary(row))

    def statements_by_id(self, ids: Iterable[str]) -> list[Statement]:
        """Return the statements with these ids, in the order given (unknown ids are left out)."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return []
        marks = ", ".join("?" for _ in wanted)
        found = {
            s.id: s
            for s in self._records(Statement, f"SELECT record FROM statements WHERE id IN ({marks})", wanted)
        }
        return [found[i] for i in wanted if i in found]

    # The negotiation map

    def latest_position_day(self) -> dt.date | None:
        """Return the latest ``as_of`` of any current position (the map's default date)."""
        row = self.conn.execute(
            "SELECT as_of FROM positions WHERE as_of IS NOT NULL ORDER BY as_of DESC LIMIT 1"
        ).fetchone()
        return None if row is None else _date(row[0])

    def positioned_actors(self, limit: int = 12) -> list[str]:
        """Return the actors with the most dated current positions, most first (cached per version)."""

        def compute() -> list[str]:
            rows = self.conn.execute(
                "SELECT actor, count(*) AS n FROM positions WHERE retrospective = 0 AND as_of IS NOT NULL"
                " GROUP BY actor ORDER BY n DESC, actor LIMIT ?",
                (limit,),
            )
            return [row[0] for row in rows]

        return self.cached(f"positioned_actors:{limit}", compute)

    def last_day_positions(
        self, actors: Collection[str], issues: Sequence[str], day: dt.date
    ) -> list[Position]:
        """Return the current dated positions of ``actors`` on ``issues``, each issue's on its last day
        up to ``day``.

        That day's positions are all a map cell needs (a timeline point is one day's positions
        combined), so a party with years of positions costs a few index seeks per issue, not a read
        of its whole history. Positions come without evidence spans (see :meth:`actor_positions`).
        """
        if not actors or not issues:
            return []
        members = sorted(actors)
        # The last day of each (actor, issue) is one seek in the (actor, issue, as_of) index; a
        # state's party has a hundred members, most of whom never took a position, so those with
        # none are dropped first (one seek each).
        present = [
            row[0]
            for row in self.conn.execute(
                "SELECT value FROM json_each(?) WHERE EXISTS (SELECT 1 FROM positions WHERE actor = value)",
                (json.dumps(members),),
            )
        ]
        if not present:
            return []
        days = self.conn.execute(
            "SELECT i.value, max((SELECT max(as_of) FROM positions WHERE actor = m.value AND issue = i.value"
            " AND as_of <= ?)) FROM json_each(?) AS m, json_each(?) AS i GROUP BY i.value",
            (day.isoformat(), json.dumps(present), json.dumps(list(issues))),
        ).fetchall()
        marks = ", ".join("?" for _ in present)
        found: list[Position] = []
        for issue, last in days:
            if last is None:
                continue
            rows = self._positions_on(marks, present, issue, last)
            if not rows:
                # That day holds only retrospective positions (rare: those are undated): look again
                # among the current ones.
                row = self.conn.execute(
                    f"SELECT max(as_of) FROM positions WHERE actor IN ({marks}) AND issue = ?"
                    " AND as_of <= ? AND retrospective = 0",
                    [*present, issue, day.isoformat()],
                ).fetchone()
                rows = self._positions_on(marks, present, issue, row[0]) if row[0] is not None else []
            found += rows
        return found

    def _positions_on(self, marks: str, members: Sequence[str], issue: str, day: str) -> list[Position]:
        rows = self.conn.execute(
            # "+p.actor": look the day up by (issue, as_of), a handful of rows, not once per member.
            f"SELECT {_POSITION_COLUMNS} FROM positions AS p WHERE +p.actor IN ({marks}) AND p.issue = ?"
            " AND p.as_of = ? AND p.retrospective = 0 ORDER BY p.id",
            [*members, issue, day],
        )
        return [_light_position(row) for row in rows]

    def undated_positions(self) -> int:
        """Return how many current positions have no date (they cannot be placed on the map)."""
        row = self.conn.execute(
            "SELECT count(*) FROM positions WHERE as_of IS NULL AND retrospective = 0"
        ).fetchone()
        return int(row[0])

    # Search

    def search(self, query: SearchQuery) -> SearchPage:
        """Return one page of statements matching ``query``.

        With words: statements whose content has every word (stemmed; FTS5 syntax is taken
        literally), best match first and counted, unless the words match more than
        :data:`RANK_LIMIT` statements: then the latest stored first, not counted. Without words:
        the filtered statements, latest stored first.

        Raises:
            SearchTooSlow: when the search runs longer than :data:`SEARCH_SECONDS`.
        """
        page = max(1, query.page)
        offset, wanted = (page - 1) * PAGE_SIZE, PAGE_SIZE + 1
        filters: dict[str, object] = {
            "s.speaker_actor = ?": query.actor or None,
            # "+": not through the articles_outlet index. The plans below walk the statements
            # latest first (or the few ranked matches) and stop at a page; starting from an
            # outlet's articles instead reads them all and sorts their statements (measured 2 to
            # 20 times slower on the benchmark store, docs/performance.md).
            "+a.outlet = ?": query.outlet or None,
            "a.published >= ?": _iso(query.since),
            "a.published <= ?": _iso(query.until),
            # A statement is about an issue when a position on the issue cites it as evidence;
            # read from the positions on the issue (indexed), not checked statement by statement.
            "s.id IN (SELECT j.value FROM positions AS p, json_each(p.record, '$.statements') AS j"
            " WHERE p.issue = ?)": query.issue or None,
        }
        where, params = _where(filters)
        filtered = bool(params)
        match = fts_terms(query.text)
        columns = f"s.pk, s.record, {_ARTICLE_COLUMNS}"
        joined = "JOIN statements AS s ON s.pk = m.pk JOIN articles AS a ON a.id = s.article_id"
        total: int | None = None
        ranked = False
        with self._time_limit(query):
            if not match:
                rows = self.conn.execute(
                    f"SELECT {columns} FROM statements AS s JOIN articles AS a ON a.id = s.article_id"
                    f" WHERE {where} ORDER BY s.pk DESC LIMIT ? OFFSET ?",
                    [*params, wanted, offset],
                ).fetchall()
            elif (matches := self._count_matches(match)) >= RANK_LIMIT:
                # FTS5 walks its doclists by rowid, so the latest stored come first without a sort.
                if filtered:
                    sql = self._broad_search(query, columns, where)
                else:
                    sql = (
                        f"SELECT {columns} FROM (SELECT rowid AS pk FROM statements_fts"
                        " WHERE statements_fts MATCH ? ORDER BY rowid DESC LIMIT ? OFFSET ?) AS m CROSS"
                        f" {joined} ORDER BY s.pk DESC"
                    )
                rows = self.conn.execute(sql, [match, *params, wanted, offset]).fetchall()
            elif not filtered:
                ranked, total = True, matches
                rows = self.conn.execute(
                    f"SELECT {columns} FROM (SELECT rowid AS pk, rank FROM statements_fts"
                    " WHERE statements_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?) AS m CROSS"
                    f" {joined} ORDER BY m.rank, s.pk",
                    [match, wanted, offset],
                ).fetchall()
            else:
                # Few matches: rank them all, filter, and count what passes in the same pass.
                ranked = True
                rows = self.conn.execute(
                    "WITH m AS MATERIALIZED (SELECT rowid AS pk, rank FROM statements_fts"
                    " WHERE statements_fts MATCH ?)"
                    f" SELECT {columns}, count(*) OVER () AS total FROM m CROSS {joined}"
                    f" WHERE {where} ORDER BY m.rank, s.pk LIMIT ? OFFSET ?",
                    [match, *params, wanted, offset],
                ).fetchall()
                total = int(rows[0]["total"]) if rows else (0 if offset == 0 else None)
            hits = []
            for row in rows[:PAGE_SIZE]:
                statement = from_dict(Statement, json.loads(row["record"]))
                # highlight() per hit: the plans that do not scan the FTS table cannot call it.
                marked = self._highlight(match, row["pk"]) if match else ""
                hits.append(Hit(statement, _summary(row), marked or statement.text))
        return SearchPage(
            query=SearchQuery(
                query.text, query.actor, query.issue, query.outlet, query.since, query.until, page
            ),
            hits=hits,
            total=total,
            has_next=len(rows) > PAGE_SIZE,
            ranked=ranked,
        )

    def _broad_search(self, query: SearchQuery, columns: str, where: str) -> str:
        """Return the SQL of a filtered search whose words match more than :data:`RANK_LIMIT`
        statements, latest stored first (parameters: the match, the filters, limit, offset)."""
        order = "ORDER BY s.pk DESC LIMIT ? OFFSET ?"
        articles = "JOIN articles AS a ON a.id = s.article_id"
        spoken = self.actor_statement_count(query.actor) if query.actor is not None else None
        if spoken is not None and spoken <= FEW_STATEMENTS:
            # A speaker with few statements: check each of them (FTS5 seeks one rowid, ~60 us).
            return (
                f"SELECT {columns} FROM statements AS s {articles} WHERE EXISTS (SELECT 1 FROM"
                f" statements_fts WHERE statements_fts MATCH ? AND rowid = s.pk) AND {where} {order}"
            )
        if spoken is not None and spoken >= DENSE_SHARE * self.counts().statements:
            # A speaker of a good share of all statements has a share of any common word's matches:
            # walk the matches from the latest until the page is full. (CROSS JOIN keeps the FTS
            # table outermost, which yields its rows by rowid: no sort.)
            return (
                f"SELECT {columns} FROM statements_fts CROSS JOIN statements AS s"
                f" ON s.pk = statements_fts.rowid {articles} WHERE statements_fts MATCH ? AND {where}"
                " ORDER BY statements_fts.rowid DESC LIMIT ? OFFSET ?"
            )
        # Otherwise the matches become a set the latest filtered statements are looked up in (~0.4 us
        # a match: 0.1 s for a word in a quarter of a million statements).
        return (
            f"SELECT {columns} FROM statements AS s {articles} WHERE s.pk IN (SELECT rowid FROM"
            f" statements_fts WHERE statements_fts MATCH ?) AND {where} {order}"
        )

    def _count_matches(self, match: str) -> int:
        """Return how many statements ``match`` finds, counting no further than :data:`RANK_LIMIT`."""
        row = self.conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM statements_fts WHERE statements_fts MATCH ? LIMIT ?)",
            (match, RANK_LIMIT),
        ).fetchone()
        return int(row[0])

    def _highlight(self, match: str, pk: int) -> str:
        """Return the statement's content with the words ``match`` found between the hit markers."""
        row = self.conn.execute(
            f"SELECT highlight(statements_fts, 0, '{HIT_OPEN}', '{HIT_CLOSE}') FROM statements_fts"
            " WHERE statements_fts MATCH ? AND rowid = ?",
            (match, pk),
        ).fetchone()
        return "" if row is None else str(row[0])

    @contextmanager
    def _time_limit(self, query: SearchQuery) -> Iterator[None]:
        """Stop the queries run inside after :data:`SEARCH_SECONDS`, raising :class:`SearchTooSlow`."""
        deadline = time.monotonic() + SEARCH_SECONDS
        self.conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "interrupted" not in str(exc):
                raise
            raise SearchTooSlow(
                f"the search for {query.text!r} ran longer than {SEARCH_SECONDS:g} s and was stopped"
            ) from exc
        finally:
            self.conn.set_progress_handler(None, 0)

"""The analyst's desk: a FastAPI app over a Parley store, read-only unless asked otherwise.

Pages are server-rendered Jinja2 templates (autoescaped: every piece of article text is escaped),
with htmx for the parts that load in place (evidence panels, search results, verdicts) and
Vega-Lite for the actor timelines; all JavaScript is vendored under ``static/``, so the UI works
offline. Every link works without JavaScript too: an htmx request gets a fragment, a plain one the
whole page.

Reads go through :class:`parley.web.queries.Reader` (the SQLite file opened read-only). The one
write, adding an article from the browser, exists only when the app is created ``writable`` and
goes through the library's :class:`parley.store.Store`, like ``parley ingest``.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import math
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.middleware.trustedhost import TrustedHostMiddleware

from parley import __version__
from parley.analysis.negotiation import negotiation_map as build_map
from parley.analysis.shifts import find_shifts, shift_between, shift_order, usable
from parley.analysis.timeline import party_members
from parley.errors import InputError, ParleyError
from parley.knowledge.actors import ActorBase, load_actors
from parley.knowledge.lexicon import load_issues
from parley.model import STANCES, Actor, Article, Position, Shift, Statement
from parley.store.base import TimelineState
from parley.web import charts
from parley.web.marks import KINDS, article_segments, render
from parley.web.queries import (
    HIT_CLOSE,
    HIT_OPEN,
    PAGE_SIZE,
    RANK_LIMIT,
    PositionRow,
    Reader,
    SearchQuery,
    SearchTooSlow,
    ShiftRow,
)
from parley.web.verification import DEFAULT_LIMIT, Verification

HERE = Path(__file__).resolve().parent
# How many of the most active speakers (and of the actors with the most positions) have their page
# made when the app starts (see create_app).
WARM_ACTORS = 10
LOOPBACK = ("127.0.0.1", "localhost", "::1")
# The verification page lists what a fact-checker must look at first: reports that say more than
# their source, cuts that change the meaning, then the milder verdicts; stable within a verdict.
VERDICT_ORDER = {
    v: n
    for n, v in enumerate(
        ("stronger", "truncated", "weaker", "paraphrase", "close", "verbatim", "unsupported")
    )
}

# The pages' policy: scripts only from this server (no inline script, no eval: the charts use
# vega-interpreter), no plugins, no framing. Inline styles stay allowed because Vega's tooltips
# and SVG set them; a style cannot run code.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
    " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    # Articles link to their sources: the source need not learn the analyst's local URLs.
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def create_app(
    db: str | Path,
    *,
    writable: bool = False,
    allowed_hosts: Iterable[str] | None = None,
    verify_limit: int = DEFAULT_LIMIT,
    warm_actors: int = WARM_ACTORS,
) -> FastAPI:
    """Return the web app over the Parley store at ``db``.

    ``writable`` adds the form that analyses and stores a pasted article. ``allowed_hosts`` are the
    host names the app answers to (default: the loopback names, so that a web page elsewhere cannot
    reach the store through DNS rebinding); ``["*"]`` answers any. Stores with more than
    ``verify_limit`` statements get no verdicts on the verification page. When the app starts, the
    pages of up to ``warm_actors`` of the most active speakers and of the actors with the most
    positions are made in the background (0: none), so that their first view is not the slow one.

    Raises:
        WebStoreError: when ``db`` does not exist or is not a Parley store.
    """
    reader = Reader(db)
    verification = Verification(reader, limit=verify_limit)
    _knowledge()  # start loading the actor base now, not on the first page that needs it

    closing = threading.Event()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> Any:
        warming = threading.Thread(target=warm, name="parley-warm-actors", daemon=True)
        if warm_actors:
            warming.start()
        yield
        closing.set()
        if warming.is_alive():
            # Its connection is closed below: closing a connection while a query runs on it in
            # another thread crashes SQLite. It stops after the page it is making (seconds at most).
            await run_in_threadpool(warming.join)
        verification.close()
        reader.close()

    app = FastAPI(
        title="Parley",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.reader = reader
    app.state.verification = verification
    app.state.writable = writable
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts or LOOPBACK))

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    templates = Jinja2Templates(directory=str(HERE / "templates"))
    _template_globals(templates, writable)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def actor_page(actor_id: str) -> str | None:
        """Return the actor's page, rendered (None: no such actor), made once per database version:
        a prolific speaker has thousands of positions (a page of 2 MB), and they only change with
        an ingest."""
        return reader.cached(f"actor:{actor_id}", lambda: _render_actor(reader, templates, actor_id))

    def warm() -> None:
        try:
            active = [a.actor for a in reader.active_actors(warm_actors)]
            for actor_id in _unique([*active, *reader.positioned_actors(warm_actors)]):
                if closing.is_set():
                    return
                actor_page(actor_id)
        except (sqlite3.Error, ParleyError):
            # The app is closing (its connections are closed) or the store went away: warming the
            # cache is only an optimisation, and the pages report errors themselves.
            return

    def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    def fragment(request: Request) -> bool:
        """True for an htmx request that wants only the part of the page it replaces."""
        # A history restore asks for the whole page, with the same header.
        headers = request.headers
        return (
            headers.get("HX-Request") == "true"
            and headers.get("HX-History-Restore-Request") != "true"
            and headers.get("HX-Boosted") != "true"
        )

    @app.exception_handler(404)
    async def not_found(request: Request, exc: HTTPException) -> HTMLResponse:
        detail = exc.detail if isinstance(exc, HTTPException) else "Not found"
        return page(request, "error.html", status_code=404, title="Not found", message=detail)

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> HTMLResponse:
        first, last = reader.date_range()
        return page(
            request,
            "home.html",
            counts=reader.counts(),
            first=first,
            last=last,
            shifts=_latest_shifts(reader, 10),
            actors=reader.active_actors(10),
            articles=reader.latest_articles(10),
        )

    @app.get("/articles", response_class=HTMLResponse)
    def articles(
        request: Request, page_number: Annotated[int, Query(alias="page", ge=1)] = 1
    ) -> HTMLResponse:
        rows = reader.latest_articles(PAGE_SIZE + 1, (page_number - 1) * PAGE_SIZE)
        return page(
            request,
            "articles.html",
            articles=rows[:PAGE_SIZE],
            page_number=page_number,
            has_next=len(rows) > PAGE_SIZE,
            total=reader.counts().articles,
        )

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse)
    def article(request: Request, article_id: str, hl: str = "") -> HTMLResponse:
        found = reader.article(article_id)
        if found is None:
            raise HTTPException(404, f"No article with id {article_id!r} in this store.")
        statements = reader.article_statements(article_id)
        events = reader.article_events(article_id)
        positions = reader.article_positions(article_id)
        match = _parse_range(hl) if hl else None
        return page(
            request,
            "article.html",
            article=found,
            marked_text=render(article_segments(found.text, statements, events, positions, match)),
            statements=statements,
            events=events,
            positions=positions,
            shifts=reader.article_shifts(article_id),
            kinds=[k for k in KINDS if k != "match" or match is not None],
        )

    @app.get("/actors/{actor_id:path}", response_class=HTMLResponse)
    def actor(request: Request, actor_id: str) -> HTMLResponse:
        html = actor_page(actor_id)
        if html is None:
            raise HTTPException(404, f"No statements or positions of actor {actor_id!r} in this store.")
        return HTMLResponse(html)

    @app.get("/positions/{position_id:path}", response_class=HTMLResponse)
    def position(request: Request, position_id: str) -> HTMLResponse:
        found = reader.position(position_id)
        if found is None:
            raise HTTPException(404, f"No position with id {position_id!r} in this store.")
        context: dict[str, Any] = {"row": found, "statements": _evidence_statements(reader, found.position)}
        if fragment(request):
            return page(request, "_position_evidence.html", **context)
        return page(request, "evidence.html", kind="position", **context)

    @app.get("/shift", response_class=HTMLResponse)
    def shift(request: Request, before: str, after: str) -> HTMLResponse:
        earlier, later = reader.position(before), reader.position(after)
        if earlier is None or later is None:
            missing = before if earlier is None else after
            raise HTTPException(404, f"No position with id {missing!r} in this store.")
        found = shift_between(earlier.position, later.position, load_issues(), _knowledge().base().state_of)
        if found is None or (earlier.position.actor, earlier.position.issue) != (
            later.position.actor,
            later.position.issue,
        ):
            raise HTTPException(
                404, "These two positions are no shift (same stance, actor or issue differs)."
            )
        context: dict[str, Any] = {
            "shift_row": ShiftRow(found, later.article),
            "before": earlier.position,
            "after": later.position,
            "before_statements": _evidence_statements(reader, earlier.position),
            "after_statements": _evidence_statements(reader, later.position),
            "before_article": earlier.article,
        }
        if fragment(request):
            return page(request, "_shift_evidence.html", **context)
        return page(request, "evidence.html", kind="shift", **context)

    @app.get("/map", response_class=HTMLResponse)
    def negotiation_map(
        request: Request,
        date: Annotated[str | None, Query()] = None,
        party: Annotated[list[str] | None, Query()] = None,
    ) -> HTMLResponse:
        day = _parse_date(date, "date") if date else reader.latest_position_day()
        chosen = _unique(p for p in (party or []) if p) or _default_parties()
        grid = None
        if day is not None:
            taxonomy = load_issues()
            issues = list(taxonomy.issues)
            by_party = {name: reader.last_day_positions(_members(name), issues, day) for name in chosen}
            grid = build_map(by_party, taxonomy, day, known_only=True)
        return page(
            request,
            "map.html",
            grid=grid,
            day=day,
            candidates=_unique([*chosen, *_default_parties(), *reader.positioned_actors(12)]),
            chosen=set(chosen),
            undated=reader.undated_positions(),
        )

    @app.get("/search", response_class=HTMLResponse)
    def search(
        request: Request,
        q: str = "",
        actor: str = "",
        issue: str = "",
        outlet: str = "",
        since: str = "",
        until: str = "",
        page_number: Annotated[int, Query(alias="page", ge=1)] = 1,
    ) -> HTMLResponse:
        query = SearchQuery(
            text=q,
            actor=actor or None,
            issue=issue or None,
            outlet=outlet or None,
            since=_parse_date(since, "since") if since else None,
            until=_parse_date(until, "until") if until else None,
            page=page_number,
        )
        results, error = None, None
        if not query.empty:
            try:
                results = reader.search(query)
            except SearchTooSlow as exc:
                error = str(exc)
        context: dict[str, Any] = {
            "query": query,
            "results": results,
            "error": error,
            "params": _search_params(query),
            "rank_limit": RANK_LIMIT,
        }
        if fragment(request):
            return page(request, "_search_results.html", **context)
        return page(
            request,
            "search.html",
            outlets=reader.outlets(),
            issues=_unique([*reader.issues_with_positions(), *_issues()]),
            actors=_actor_choices(reader, query.actor),
            **context,
        )

    @app.get("/verify", response_class=HTMLResponse)
    def verify(
        request: Request,
        verdict: str = "",
        article: str = "",
        page_number: Annotated[int, Query(alias="page", ge=1)] = 1,
    ) -> HTMLResponse:
        status = verification.status()
        checks = sorted(
            (
                c
                for c in status.checks
                if (not verdict or c["verdict"] == verdict)
                and (not article or c["statement"]["article_id"] == article)
            ),
            key=lambda c: VERDICT_ORDER.get(c["verdict"], len(VERDICT_ORDER)),
        )
        pages = max(1, math.ceil(len(checks) / PAGE_SIZE))
        shown = checks[(page_number - 1) * PAGE_SIZE : page_number * PAGE_SIZE]
        sources = {c["statement"]["article_id"] for c in shown}
        context: dict[str, Any] = {
            "status": status,
            "checks": shown,
            "articles": {a: found for a in sources if (found := reader.article_summary(a)) is not None},
            "matching": len(checks),
            "verdict": verdict,
            "article_id": article,
            "page_number": page_number,
            "pages": pages,
            "params": {k: v for k, v in {"verdict": verdict, "article": article}.items() if v},
        }
        if fragment(request):
            return page(request, "_verify_results.html", **context)
        return page(request, "verify.html", **context)

    if writable:

        @app.get("/add", response_class=HTMLResponse)
        def add_form(request: Request) -> HTMLResponse:
            return page(request, "add.html", error=None, values={})

        @app.post("/add", response_class=HTMLResponse, response_model=None)
        async def add(request: Request) -> Response:
            _same_origin(request)
            # A plain urlencoded form, read here: FastAPI's Form() would need python-multipart.
            body = (await request.body()).decode("utf-8", errors="replace")
            fields = {k: v[-1] for k, v in parse_qs(body, keep_blank_values=True).items()}
            values = {k: fields.get(k, "") for k in ("text", "title", "outlet", "url", "published")}
            try:
                # The analysis takes seconds: off the event loop, like the sync pages.
                added = await run_in_threadpool(_store_article, reader.path, **values)
            except ParleyError as exc:
                return page(request, "add.html", status_code=400, error=str(exc), values=values)
            return RedirectResponse(f"/articles/{quote(added)}", status_code=303)

    return app


# Helpers for the handlers


def _parse_date(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise HTTPException(422, f"{name}: {value!r} is not a date (YYYY-MM-DD)") from exc


def _parse_range(value: str) -> tuple[int, int]:
    """Return ``(start, end)`` from ``"START-END"`` (the ``hl`` parameter of the article page)."""
    start, _, end = value.partition("-")
    try:
        return int(start), int(end)
    except ValueError as exc:
        raise HTTPException(422, f"hl: {value!r} is not START-END") from exc


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _evidence_statements(reader: Reader, position: Position) -> list[Statement]:
    return reader.statements_by_id(position.statements)


def _search_params(query: SearchQuery) -> dict[str, str]:
    """The query's non-empty parameters, for pagination links."""
    values = {
        "q": query.text,
        "actor": query.actor or "",
        "issue": query.issue or "",
        "outlet": query.outlet or "",
        "since": query.since.isoformat() if query.since else "",
        "until": query.until.isoformat() if query.until else "",
    }
    return {k: v for k, v in values.items() if v}


def _shifts_of(positions: Iterable[PositionRow]) -> list[ShiftRow]:
    """Return the shifts the positions show (within and across articles), like ``parley shifts``."""
    taxonomy = load_issues()
    rows = [row for row in positions if row.position.issue in taxonomy.issues]
    articles = {row.position.id: row.article for row in rows}
    found = find_shifts([row.position for row in rows], taxonomy, _knowledge().base().state_of)
    return [ShiftRow(shift, articles[shift.after.id]) for shift in found]


def _render_actor(reader: Reader, templates: Jinja2Templates, actor_id: str) -> str | None:
    """Return the actor page of ``actor_id`` rendered, or None when the store has no statement or
    position of the actor. The page depends on the store and the actor only (names come from the
    actor base, loaded by then: :func:`_actor_shifts` waits for it)."""
    # One snapshot: the stored shifts are those of the positions read, and the details read for
    # the rows shown are those of the same positions.
    with reader.snapshot():
        positions = reader.actor_timeline_rows(actor_id)
        stored = reader.actor_timelines(actor_id, {row.position.id: row.position for row in positions})
        # The shifts across the whole history are read from the store (found after each ingest);
        # only timelines whose stored shifts are out of date are searched here.
        shifts = _actor_shifts(positions, stored)
        timelines = charts.timelines(positions, shifts, _issue_label, reader.position_details)
        statement_count = reader.actor_statement_count(actor_id)
        recent = reader.actor_recent_statements(actor_id, 10)
    if not positions and not statement_count:
        return None
    return templates.get_template("actor.html").render(
        actor_id=actor_id,
        timelines=timelines,
        shift_count=len(shifts),
        statement_count=statement_count,
        recent=recent,
    )


def _actor_shifts(positions: Sequence[PositionRow], stored: Iterable[TimelineState]) -> list[ShiftRow]:
    """Return the shifts of one actor's positions (within and across articles), like ``parley
    shifts --actor``: the stored shifts of each timeline where they are current, found on demand
    for the others (a store not refreshed since its last change, or older than stored shifts)."""
    taxonomy = load_issues()
    country_of = _knowledge().base().state_of
    current = {state.issue: state for state in stored if usable(state, taxonomy, country_of)}
    by_issue: dict[str, list[Position]] = {}
    articles = {}
    for row in positions:
        if row.position.issue in taxonomy.issues:
            by_issue.setdefault(row.position.issue, []).append(row.position)
            articles[row.position.id] = row.article
    found: list[Shift] = []
    for issue, group in by_issue.items():
        state = current.get(issue)
        found += state.shifts if state is not None else find_shifts(group, taxonomy, country_of)
    return [ShiftRow(shift, articles[shift.after.id]) for shift in sorted(found, key=shift_order)]


def _latest_shifts(reader: Reader, limit: int) -> list[ShiftRow]:
    """Return the latest shifts, newest first: those stored over whole timelines (the shifts the
    actor pages and ``parley shifts`` show) when every timeline's stored shifts are current, else
    those found in the last months of coverage; plus the stored shifts within articles (dated or
    not)."""

    def compute() -> list[ShiftRow]:
        taxonomy = load_issues()
        states = [state for state in reader.timeline_states() if state.issue in taxonomy.issues]
        country_of = _knowledge().base().state_of
        if states and all(usable(state, taxonomy, country_of) for state in states):
            across = reader.latest_timeline_shifts(limit)
        else:
            across = _shifts_of(reader.recent_positions())
        found = {(r.shift.before.id, r.shift.after.id): r for r in across}
        for row in reader.latest_shifts(limit):
            found.setdefault((row.shift.before.id, row.shift.after.id), row)
        newest = sorted(found.values(), key=lambda r: (r.day is not None, r.day or dt.date.min), reverse=True)
        return newest[:limit]

    return reader.cached(f"latest_shifts:{limit}", compute)


@functools.lru_cache(maxsize=256)
def _members(party: str) -> frozenset[str]:
    """The actor ids a party stands for (a state takes in its officials), once per process: it
    walks the whole actor base."""
    return party_members(party, _knowledge().base())


def _default_parties() -> list[str]:
    """The two parties of the conflict (``issues.yaml``), as the ids of their states."""
    taxonomy = load_issues()
    found = []
    for country in taxonomy.parties.values():
        state = _knowledge().base().state_for(country)
        if state is not None:
            found.append(state.id)
    return found


def _actor_choices(reader: Reader, current: str | None) -> list[str]:
    """Actor ids for the search filter: the most active speakers, plus the one asked for."""
    found = [a.actor for a in reader.active_actors(30)]
    return _unique([*(([current]) if current else []), *sorted(found, key=_actor_name)])


def _same_origin(request: Request) -> None:
    """Refuse a write sent by another site's page (the browser says where a form came from)."""
    origin = request.headers.get("origin")
    if origin is not None:
        if urlsplit(origin).netloc != request.headers.get("host"):
            raise HTTPException(403, "cross-site request refused")
    elif request.headers.get("sec-fetch-site") not in (None, "same-origin", "none"):
        raise HTTPException(403, "cross-site request refused")


def _store_article(db: Path, text: str, title: str, outlet: str, url: str, published: str) -> str:
    """Analyse one pasted article, store it, and return its id.

    Raises:
        InputError: when the text is empty or the date is not a date.
        ParleyError: when the analysis or the store fails.
    """
    # Imported here: loading spaCy costs seconds, and only a writable app ever needs it.
    from parley.runs import ingest_items
    from parley.store import open_store

    if not text.strip():
        raise InputError("form", "the article text is empty")
    try:
        day = dt.date.fromisoformat(published) if published else None
    except ValueError as exc:
        raise InputError("form", f"published: {published!r} is not a date (YYYY-MM-DD)") from exc
    article = Article(
        id=Article.content_id(text),
        text=text,
        title=title or None,
        outlet=outlet or None,
        url=url or None,
        published=day,
        source="web form",
    )
    failures: list[InputError] = []
    with open_store(db) as store:
        ingest_items([article], store, failures.append)
    if failures:
        raise failures[0]
    return article.id


# Names and labels for the templates


class Knowledge:
    """The actor base, loaded once per process in the background.

    Names on pages come from the curated actors (quick to load); the negotiation map's parties and
    the shifts' directions use the full base with the CAMEO/Phoenix dictionaries, like ``parley map``
    and ``parley shifts``, which takes seconds to load: it starts loading with the app, and a page
    that needs it before it is ready waits.
    """

    def __init__(self) -> None:
        """Start loading the full actor base in a background thread."""
        self._full: ActorBase | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        threading.Thread(target=self._load, name="parley-actor-base", daemon=True).start()

    def _load(self) -> None:
        try:
            self._full = load_actors()
            # The base is millions of objects that live as long as the server: out of the garbage
            # collector's sight, or every full collection walks them all (0.3 s on the benchmark
            # machine), which some page's first view then pays.
            gc.freeze()
        except BaseException as exc:  # kept and raised in the thread that asks for the base
            self._error = exc
        finally:
            self._ready.set()

    def loaded(self, actor_id: str) -> Actor | None:
        """Return the actor from the full base if it has loaded by now (never waits), else None."""
        if not self._ready.is_set() or self._full is None:
            return None
        return self._full.get(actor_id)

    def base(self) -> ActorBase:
        """Return the full actor base, waiting for it to load.

        Raises:
            KnowledgeError: when the packaged actor files cannot be read.
        """
        self._ready.wait()
        if self._error is not None:
            raise self._error
        assert self._full is not None
        return self._full


@functools.cache
def _knowledge() -> Knowledge:
    return Knowledge()


@functools.cache
def _curated() -> dict[str, str]:
    return {actor.id: actor.name for actor in load_actors(dictionary=False)}


def _actor_name(actor_id: str | None) -> str:
    """The actor's name: a curated actor's, else a dictionary actor's once the full base is loaded,
    else the id."""
    if not actor_id:
        return "unresolved"
    name = _curated().get(actor_id)
    if name is None:
        known = _knowledge().loaded(actor_id)
        name = known.name if known is not None else actor_id
    return name


@functools.cache
def _issues() -> tuple[str, ...]:
    return tuple(load_issues().issues)


def _issue_label(issue_id: str) -> str:
    found = load_issues().issues.get(issue_id)
    return found.label if found is not None and found.label else issue_id.replace("_", " ")


def _issue_proposition(issue_id: str) -> str:
    taxonomy = load_issues()
    found = taxonomy.issues.get(issue_id)
    if found is None:
        return ""
    return found.proposition.format(**taxonomy.parties)


def _hits(marked: str) -> list[tuple[str, bool]]:
    """Split FTS5 highlight() output into (text, is_hit) pieces; the template escapes each piece."""
    pieces: list[tuple[str, bool]] = []
    for i, chunk in enumerate(marked.split(HIT_OPEN)):
        if i == 0:
            pieces.append((chunk, False))
            continue
        hit, _, rest = chunk.partition(HIT_CLOSE)
        pieces += [(hit, True), (rest, False)]
    return [(text, hit) for text, hit in pieces if text]


def _query(params: dict[str, str], **changes: object) -> str:
    """Return ``?query`` from ``params`` with ``changes`` applied (None or "" removes a key)."""
    merged: dict[str, object] = {**params, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def _template_globals(templates: Jinja2Templates, writable: bool) -> None:
    env = templates.env
    env.globals.update(
        actor_name=_actor_name,
        issue_label=_issue_label,
        proposition=_issue_proposition,
        stances=STANCES,
        writable=writable,
        version=__version__,
        query=_query,
        shift_url=charts.shift_url,
    )
    env.filters["hits"] = _hits
    env.filters["day"] = lambda d: d.isoformat() if d else "undated"

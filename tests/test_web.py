"""The web UI (``parley serve``) over a real store, page by page, through FastAPI's test client.

The store holds the seed article, the primary-text samples and a copy of the seed article with
markup in its title and in a quote; every expectation is read back from the store itself, so the
tests follow the extractors as they improve. The browser tests (``test_web_browser.py``) use the
same store.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from parley.analysis.negotiation import negotiation_map
from parley.analysis.shifts import find_shifts, shifts_in_store, usable
from parley.analysis.timeline import party_members
from parley.cli import app as cli
from parley.errors import InputError
from parley.knowledge.actors import load_actors
from parley.knowledge.lexicon import load_issues
from parley.model import Article, Position
from parley.runs import ingest_paths
from parley.store import Store
from parley.web import queries
from parley.web.app import create_app
from parley.web.charts import MOST_POINTS, timeline_spec
from parley.web.marks import Mark, render, segments
from parley.web.queries import (
    HIT_OPEN,
    PAGE_SIZE,
    ArticleSummary,
    PositionRow,
    Reader,
    SearchQuery,
    WebStoreError,
    fts_terms,
)

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "zelenskyy-ceasefire-territory.txt"
FIXTURES = REPO / "tests" / "fixtures"
PRIMARY = [FIXTURES / "primary-sample.jsonl", FIXTURES / "primary-positions.jsonl"]
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_ID = Article.content_id(SEED_TEXT)
# A fixture value, not a fact from the article (the seed text carries no date): with a date, the
# seed's positions and its shift are placed on the timelines and the negotiation map.
SEED_PUBLISHED = "2024-11-30"
# Markup an article might carry, in its title and inside a quote: the UI must show it as text.
PAYLOAD_TITLE = '<script>window.__xss = 3</script>"><img src=x onerror="window.__xss = 4">'
PAYLOAD_QUOTE = (
    'Zelenskyy told reporters: “<script>window.__xss = 1</script> and "><img src=x '
    'onerror="window.__xss = 2"> are words, not code.”\n\n'
)
HOSTILE_TEXT = PAYLOAD_QUOTE + SEED_TEXT
HOSTILE_ID = "hostile-copy"


def build_web_store(folder: Path) -> Path:
    """Ingest the web UI's test corpus into ``folder/web.db`` once per test session; return its path.

    Both web test modules call this; the second finds the finished store (marked by ``done``).
    """
    db = folder / "web.db"
    if (folder / "done").exists():
        return db
    folder.mkdir(parents=True, exist_ok=True)
    extra = folder / "seed-and-hostile.jsonl"
    lines = [
        {"id": SEED_ID, "text": SEED_TEXT, "published": SEED_PUBLISHED},
        {"id": HOSTILE_ID, "text": HOSTILE_TEXT, "title": PAYLOAD_TITLE, "outlet": "<b>outlet</b>"},
    ]
    extra.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    failures: list[InputError] = []
    with Store(db) as store:
        report = ingest_paths([extra, *PRIMARY], store, failures.append)
    assert not failures, failures
    assert report.added == 2 + sum(len(p.read_text(encoding="utf-8").splitlines()) for p in PRIMARY)
    (folder / "done").touch()
    return db


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_store(tmp_path_factory.getbasetemp() / "web-store")


@pytest.fixture(scope="module")
def client(web_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(web_db, allowed_hosts=["testserver"])) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def store(web_db: Path) -> Iterator[Store]:
    with Store(web_db) as opened:
        yield opened


def get(client: TestClient, url: str, status: int = 200, **kwargs: Any) -> str:
    """Return the body of GET ``url`` after checking its status."""
    response = client.get(url, **kwargs)
    assert response.status_code == status, response.text[-2000:]
    return response.text


class _Text(HTMLParser):
    """Collects the text inside the element with a given id (entities decoded, tags dropped)."""

    def __init__(self, element_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.depth = 0
        self.parts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
            self.tags.append(tag)
        elif ("id", self.element_id) in attrs:
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def text_of(html: str, element_id: str) -> tuple[str, list[str]]:
    """Return the text of the element with ``element_id`` and the tags inside it."""
    parser = _Text(element_id)
    parser.feed(html)
    return "".join(parser.parts), parser.tags


def dated_positions(store: Store, actor: str) -> list[Position]:
    return [p for p in store.positions(actor=actor) if p.as_of is not None and not p.retrospective]


# Pages


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "Latest shifts"),
        ("/articles", "Articles"),
        (f"/articles/{SEED_ID}", "Speaking to"),
        ("/actors/zelenskyy", "Volodymyr Zelenskyy"),
        ("/map", "Negotiation map"),
        ("/search?q=territory", "<mark>"),
        ("/verify", "Verification"),
    ],
)
def test_each_page_renders(client: TestClient, url: str, expected: str) -> None:
    html = get(client, url)
    assert expected in html
    assert "Traceback" not in html


def test_home_counts_match_the_store(client: TestClient, store: Store) -> None:
    html = get(client, "/")
    counts = store.counts()
    for table in ("articles", "statements", "events", "positions", "shifts"):
        assert f'<span class="n">{counts[table]:,}</span> {table}' in html


def test_home_lists_the_seed_shift_and_the_most_active_speaker(client: TestClient, store: Store) -> None:
    html = get(client, "/")
    stored = [s for s in store.shifts() if s.after.article_id == SEED_ID]
    assert stored, "the seed article reports an earlier stance: its shift must be stored"
    assert f"before={stored[0].before.id}&amp;after={stored[0].after.id}" in html
    speakers = [s.speaker.actor for s in store.statements() if s.speaker and s.speaker.actor]
    top = min(set(speakers), key=lambda a: (-speakers.count(a), a))
    section = html[html.index("Most active actors") :]
    assert f'href="/actors/{top}"' in section


def test_article_text_is_the_stored_text_character_for_character(client: TestClient, store: Store) -> None:
    html = get(client, f"/articles/{SEED_ID}")
    shown, tags = text_of(html, "article-text")
    assert shown == SEED_TEXT
    assert set(tags) <= {"span"}


def test_every_extraction_links_to_an_anchor_in_the_text(client: TestClient, store: Store) -> None:
    analysis = store.analysis(SEED_ID)
    assert analysis is not None
    html = get(client, f"/articles/{SEED_ID}")
    text = html[html.index('id="article-text"') : html.index('aria-label="Extractions"')]
    for record in (*analysis.statements, *analysis.events, *analysis.positions):
        assert f'<span class="anchor" id="{record.id}"></span>' in text
        assert f'href="#{record.id}"' in html


def test_article_marks_speaker_cue_venue_and_condition(client: TestClient, store: Store) -> None:
    html = get(client, f"/articles/{SEED_ID}")
    telegraph = next(s for s in store.statements(article_id=SEED_ID) if s.kind == "direct")
    assert telegraph.venue is not None and telegraph.cue is not None
    assert re.search(r'<span class="m [^"]*\bk-venue\b[^"]*" data-refs="[^"]*">The Telegraph</span>', html)
    assert re.search(
        rf'class="m [^"]*\bk-cue\b[^"]*" data-refs="[^"]*{telegraph.id}[^"]*">stated</span>', html
    )
    conditions = [
        c for p in store.positions(actor="zelenskyy") for c in p.conditions if p.article_id == SEED_ID
    ]
    assert conditions, "the seed's concession is conditional on NATO protection"
    assert re.search(r'class="m [^"]*\bk-condition\b', html)


def test_primary_match_is_marked_when_linked_from_verification(client: TestClient) -> None:
    html = get(client, f"/articles/{SEED_ID}?hl=0-9")
    assert '<span class="anchor" id="match"></span>' in html
    assert re.search(r'<span class="m [^"]*\bk-match\b[^"]*" data-refs="[^"]*">In a sign</span>', html)
    get(client, f"/articles/{SEED_ID}?hl=zero", status=422)


def test_unknown_article_is_a_404_page(client: TestClient) -> None:
    html = get(client, "/articles/no-such-article", status=404)
    assert "No article with id" in html


# Markup in article text


def test_markup_in_an_article_is_shown_as_text(client: TestClient) -> None:
    html = get(client, f"/articles/{HOSTILE_ID}")
    shown, tags = text_of(html, "article-text")
    assert shown == HOSTILE_TEXT
    assert set(tags) <= {"span"}
    assert "<script>window" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__xss = 1&lt;/script&gt;" in html
    # The title and the outlet too.
    assert "&lt;script&gt;window.__xss = 3&lt;/script&gt;" in html
    assert "&lt;b&gt;outlet&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "url",
    ["/search?q=script+words", "/search?q=window", "/search?q=code&outlet=%3Cb%3Eoutlet%3C%2Fb%3E"],
)
def test_markup_stays_text_on_every_page_that_quotes_it(client: TestClient, url: str) -> None:
    html = get(client, url)
    assert "<script>window" not in html and "<img src=x" not in html
    assert "window.__xss" in html, "the page should show the hostile article's text"


def test_pages_forbid_inline_scripts(client: TestClient) -> None:
    response = client.get("/")
    policy = response.headers["content-security-policy"]
    scripts = policy.split("script-src")[1].split(";")[0]
    assert scripts.strip() == "'self'", "no inline script, no eval"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in response.text, "no inline script: the policy would block it"


# Actors and shifts


def test_actor_chart_has_every_dated_position_and_each_shift(client: TestClient, store: Store) -> None:
    html = get(client, "/actors/zelenskyy")
    specs = {
        m.group(1): json.loads(m.group(2))
        for m in re.finditer(
            r'<script type="application/json" id="spec-([a-z_]+)">(.*?)</script>', html, re.S
        )
    }
    published = {a.id: a.published for a in store.articles()}
    for position in store.positions(actor="zelenskyy"):
        day = position.as_of or published[position.article_id]
        if day is None:
            continue
        points = specs[position.issue]["datasets"]["positions"]
        assert any(p.get("evidence") == f"/positions/{position.id}" for p in points), position
    seed_shift = next(s for s in store.shifts() if s.after.article_id == SEED_ID)
    marks = specs[seed_shift.issue]["datasets"]["shifts"]
    url = f"/shift?before={seed_shift.before.id}&after={seed_shift.after.id}"
    assert any(m.get("evidence") == url for m in marks)


def test_stored_shifts_are_the_shifts_found_on_demand(store: Store) -> None:
    taxonomy, country_of = load_issues(), load_actors().state_of
    states = store.timelines()
    # The ingest that built the store ended by storing every timeline's shifts.
    assert states and all(usable(s, taxonomy, country_of) for s in states if s.issue in taxonomy.issues)
    positions = [p for p in store.positions() if p.issue in taxonomy.issues]

    stored = shifts_in_store(store, taxonomy, country_of)

    assert stored == find_shifts(positions, taxonomy, country_of)
    assert any(s.after.article_id == SEED_ID for s in stored), "the seed article's shift"


def _actor_page(db: Path, actor: str = "zelenskyy") -> str:
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as fresh:
        return get(fresh, f"/actors/{actor}")


def test_actor_page_from_stored_shifts_is_the_page_found_on_demand(
    client: TestClient, web_db: Path, tmp_path: Path
) -> None:
    db = tmp_path / "stale.db"
    shutil.copy(web_db, db)
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("UPDATE timelines SET shifts_version = NULL")

    assert _actor_page(db) == get(client, "/actors/zelenskyy")


def test_actor_page_never_serves_shifts_of_changed_positions(web_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "changed.db"
    shutil.copy(web_db, db)
    with closing(sqlite3.connect(db)) as conn, conn:
        # Mark the stored shifts, so that the page shows whether it read them.
        conn.execute("UPDATE timeline_shifts SET direction = 'stored-mark' WHERE actor = 'zelenskyy'")
    assert "stored-mark" in _actor_page(db)

    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("PRAGMA foreign_keys = ON")
        # Any change to the actor's positions, here an article deleted outside Parley.
        conn.execute("DELETE FROM articles WHERE id = ?", (HOSTILE_ID,))

    assert "stored-mark" not in _actor_page(db)


def _home_page(db: Path) -> str:
    with TestClient(create_app(db, allowed_hosts=["testserver"], warm_actors=0)) as fresh:
        return get(fresh, "/")


def test_home_lists_the_newest_stored_shifts_while_they_are_current(web_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "home.db"
    shutil.copy(web_db, db)
    with closing(sqlite3.connect(db)) as conn, conn:
        newest = conn.execute(
            "SELECT before_position_id, after_position_id FROM timeline_shifts WHERE day IS NOT NULL"
            " ORDER BY day DESC LIMIT 1"
        ).fetchone()
        # Mark the stored records, so that the page shows whether it read them.
        conn.execute("UPDATE timeline_shifts SET record = json_set(record, '$.direction', 'stored-mark')")
    assert newest is not None, "the test store holds dated shifts across articles"
    home = _home_page(db)
    assert "stored-mark" in home
    assert f"before={newest[0]}&amp;after={newest[1]}" in home

    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM articles WHERE id = ?", (HOSTILE_ID,))

    assert "stored-mark" not in _home_page(db), "stale stored shifts are not served"


def test_actor_page_reads_a_store_without_stored_shifts(web_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "schema-1.db"
    shutil.copy(web_db, db)
    with closing(sqlite3.connect(db)) as conn, conn:
        for statement in (
            "DROP TRIGGER positions_timeline_insert",
            "DROP TRIGGER positions_timeline_delete",
            "DROP TRIGGER positions_timeline_update",
            "DROP TABLE timeline_shifts",
            "DROP TABLE timelines",
            "DROP INDEX positions_actor_cover",
            "DELETE FROM schema_version WHERE version = 2",
        ):
            conn.execute(statement)
    schema_1 = _actor_page(db)
    current = _actor_page(web_db)

    assert schema_1 == current


class _NotCached(Exception):
    pass


def _not_cached() -> str:
    raise _NotCached


def test_pages_of_the_most_active_actors_are_made_when_the_app_starts(
    web_db: Path, client: TestClient
) -> None:
    top = Reader(web_db).active_actors(1)[0].actor
    with TestClient(create_app(web_db, allowed_hosts=["testserver"], warm_actors=1)) as warmed:
        reader: Reader = warmed.app.state.reader  # type: ignore[attr-defined]
        deadline = time.monotonic() + 60
        while True:
            try:
                html = reader.cached(f"actor:{top}", _not_cached)
                break
            except _NotCached:
                assert time.monotonic() < deadline, "the page was not made in the background"
                time.sleep(0.05)
        # Made in the background and served as made: the same page as one made on its first view.
        assert get(warmed, f"/actors/{top}") == html == get(client, f"/actors/{top}")


def test_actor_page_counts_undated_positions_apart(client: TestClient, store: Store) -> None:
    undated = [p for p in store.positions(actor="zelenskyy") if p.article_id == HOSTILE_ID]
    assert undated, "the hostile copy of the seed is undated and has the seed's positions"
    html = get(client, "/actors/zelenskyy")
    assert "undated position" in html


def test_unknown_actor_is_a_404(client: TestClient) -> None:
    assert "No statements or positions" in get(client, "/actors/nobody-at-all", status=404)


def test_shift_evidence_shows_both_positions_and_their_statements(client: TestClient, store: Store) -> None:
    shift = next(s for s in store.shifts() if s.after.article_id == SEED_ID)
    url = f"/shift?before={shift.before.id}&after={shift.after.id}"
    fragment = get(client, url, headers={"HX-Request": "true"})
    assert fragment.lstrip().startswith("<section"), "an htmx request gets the panel only"
    for position in (shift.before, shift.after):
        for statement in store.statements(article_id=position.article_id):
            if statement.id in position.statements:
                assert f"#{statement.id}" in fragment
    assert shift.severity in fragment and shift.direction in fragment
    whole = get(client, url)
    assert "<html" in whole and fragment.strip()[:40] in whole


def test_two_positions_with_the_same_stance_are_no_shift(client: TestClient, store: Store) -> None:
    positions = dated_positions(store, "zelenskyy")
    same = next((a, b) for a in positions for b in positions if a.id != b.id and a.stance == b.stance)
    get(client, f"/shift?before={same[0].id}&after={same[1].id}", status=404)


def test_position_evidence_links_to_its_statements(client: TestClient, store: Store) -> None:
    position = next(p for p in store.positions(actor="zelenskyy") if p.article_id == SEED_ID and p.statements)
    html = get(client, f"/positions/{position.id}", headers={"HX-Request": "true"})
    for statement_id in position.statements:
        assert f"/articles/{SEED_ID}#{statement_id}" in html


# The negotiation map


def test_map_defaults_to_the_two_parties_on_the_latest_date(client: TestClient, store: Store) -> None:
    html = get(client, "/map")
    latest = max(p.as_of for p in store.positions() if p.as_of is not None)
    assert f"Negotiation map on {latest.isoformat()}" in html
    head = html[html.index("<thead>") : html.index("</thead>")]
    assert 'href="/actors/ukr"' in head and 'href="/actors/rus"' in head


def test_map_cells_and_marks_are_those_of_parley_map(client: TestClient, store: Store) -> None:
    day = dt.date.fromisoformat(SEED_PUBLISHED)
    parties = ("zelenskyy", "putin")
    html = get(client, f"/map?date={SEED_PUBLISHED}&party=zelenskyy&party=putin")
    shown = {
        issue: (row_mark, re.findall(r'<td class="cell (?:stance-cell-([a-z]+)|none)"', cells))
        for row_mark, issue, cells in re.findall(
            r'<tr class="mark-([a-z]+)">\s*<th scope="row">'
            r'<span class="issue" title="[^"]*">([^<]+)</span></th>(.*?)</tr>',
            html,
            re.S,
        )
    }
    base, taxonomy = load_actors(), load_issues()
    positions = store.positions()
    expected = negotiation_map(
        {party: [p for p in positions if p.actor in party_members(party, base)] for party in parties},
        taxonomy,
        day,
        known_only=True,
    )
    assert expected.rows, "the seed's positions are dated by the fixture"
    assert shown == {
        row.issue.label: (row.mark, [c.stance or "" for c in row.cells]) for row in expected.rows
    }


def test_map_with_a_bad_date_is_refused(client: TestClient) -> None:
    get(client, "/map?date=yesterday", status=422)


# Search


def test_search_marks_the_matched_words(client: TestClient) -> None:
    html = get(client, "/search?q=territory")
    hits = re.findall(r"<mark>([^<]*)</mark>", html)
    assert hits and all(h.lower().startswith("territor") for h in hits)


def test_search_filters_by_speaker_outlet_and_dates(client: TestClient, web_db: Path) -> None:
    reader = Reader(web_db)
    try:
        everything = reader.search(SearchQuery(text="the"))
        by_putin = reader.search(SearchQuery(text="the", actor="putin"))
        kremlin = reader.search(SearchQuery(text="the", outlet="kremlin.ru"))
        late = reader.search(SearchQuery(text="the", since=dt.date(2022, 1, 1), until=dt.date(2022, 12, 31)))
    finally:
        reader.close()
    assert 0 < by_putin.total < everything.total
    assert all(h.statement.speaker and h.statement.speaker.actor == "putin" for h in by_putin.hits)
    assert kremlin.hits and all(h.article.outlet == "kremlin.ru" for h in kremlin.hits)
    assert late.hits and all(
        h.article.published and dt.date(2022, 1, 1) <= h.article.published <= dt.date(2022, 12, 31)
        for h in late.hits
    )


def test_search_by_issue_finds_the_statements_a_position_cites(client: TestClient, store: Store) -> None:
    cited = {s for p in store.positions(issue="ceasefire") for s in p.statements}
    html = get(client, "/search?issue=ceasefire")
    found = set(re.findall(r'href="/articles/[^"#]+#(st-[0-9a-f]+)"', html))
    assert found == cited


def test_search_pages_through_the_hits(client: TestClient, web_db: Path) -> None:
    reader = Reader(web_db)
    try:
        first = reader.search(SearchQuery(text="the"))
        second = reader.search(SearchQuery(text="the", page=2))
    finally:
        reader.close()
    assert first.total > PAGE_SIZE and len(first.hits) == PAGE_SIZE and first.has_next
    assert not {h.statement.id for h in first.hits} & {h.statement.id for h in second.hits}
    html = get(client, "/search?q=the&page=2")
    assert 'rel="prev"' in html and "page 2 of" in html


def test_search_takes_operators_as_words(client: TestClient) -> None:
    for query in ['"', "NEAR(", "territory OR", "-peace", "content:peace", "*"]:
        get(client, "/search", params={"q": query})
    assert fts_terms('say "no" OR') == '"say" """no""" "OR"'


def _matching(store: Store, word: str, actor: str | None = None) -> list[str]:
    """The ids of the stored statements whose content has ``word`` (a plain word), latest stored first."""
    with sqlite3.connect(store.path) as conn:
        rows = conn.execute(
            "SELECT s.id FROM statements_fts JOIN statements AS s ON s.pk = statements_fts.rowid"
            " WHERE statements_fts MATCH ? AND (? IS NULL OR s.speaker_actor = ?) ORDER BY s.pk DESC",
            (word, actor, actor),
        )
        return [row[0] for row in rows]


@pytest.mark.parametrize(
    ("actor", "few", "dense"),
    [(None, 0, 1.0), ("zelenskyy", 10**9, 1.0), ("zelenskyy", 0, 0.0), ("zelenskyy", 0, 1.1)],
    ids=["any speaker", "one by one", "walk the matches", "set of matches"],
)
def test_words_matching_too_much_list_the_latest_first(
    web_db: Path, store: Store, monkeypatch: pytest.MonkeyPatch, actor: str | None, few: int, dense: float
) -> None:
    expected = _matching(store, "the", actor)
    monkeypatch.setattr(queries, "RANK_LIMIT", 5)
    monkeypatch.setattr(queries, "FEW_STATEMENTS", few)
    monkeypatch.setattr(queries, "DENSE_SHARE", dense)
    reader = Reader(web_db)
    try:
        pages = [reader.search(SearchQuery(text="the", actor=actor, page=n)) for n in (1, 2)]
    finally:
        reader.close()
    assert len(expected) > PAGE_SIZE + 5
    assert [h.statement.id for p in pages for h in p.hits] == expected[: 2 * PAGE_SIZE]
    assert not pages[0].ranked and pages[0].total is None and pages[0].has_next
    assert all(HIT_OPEN + "the" in h.marked.lower() or HIT_OPEN + "The" in h.marked for h in pages[0].hits)


def test_a_search_that_runs_too_long_is_stopped(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queries, "SEARCH_SECONDS", 0.0)
    html = get(client, "/search?q=the")
    assert "ran longer than 0 s and was stopped" in html


def test_htmx_search_gets_the_results_only(client: TestClient) -> None:
    html = get(client, "/search?q=peace", headers={"HX-Request": "true"})
    assert "<form" not in html and "<mark>" in html


# Verification


def test_verification_gives_every_statement_a_verdict(client: TestClient, store: Store) -> None:
    verification = client.app.state.verification  # type: ignore[attr-defined]
    status = verification.wait(300)
    assert status.state == "ready", status.error
    ids = [c["statement"]["id"] for c in status.checks]
    assert sorted(ids) == sorted(s.id for s in store.statements())
    html = get(client, "/verify")
    assert "statements checked" in html
    for verdict, count in status.counts().items():
        assert f'<span class="verdict verdict-{verdict}">{verdict}</span> {count}' in html


def test_verification_of_one_article(client: TestClient, store: Store) -> None:
    client.app.state.verification.wait(300)  # type: ignore[attr-defined]
    html = get(client, f"/verify?article={SEED_ID}")
    seed = store.statements(article_id=SEED_ID)
    assert f"{len(seed)} statements" in html
    for statement in seed:
        assert f"#{statement.id}" in html


def test_verification_is_not_computed_for_a_store_over_the_limit(web_db: Path) -> None:
    with TestClient(create_app(web_db, allowed_hosts=["testserver"], verify_limit=1)) as small:
        html = get(small, "/verify")
    assert "Not computed" in html


# Read-only, hosts, writes


def test_the_ui_cannot_write_to_the_store(web_db: Path) -> None:
    reader = Reader(web_db)
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.conn.execute("DELETE FROM articles")
    finally:
        reader.close()


def test_a_read_only_app_has_no_form_and_refuses_posts(client: TestClient) -> None:
    assert client.get("/add").status_code == 404
    assert client.post("/add", data={"text": "x"}).status_code in (404, 405)


def test_requests_for_another_host_are_refused(client: TestClient) -> None:
    # DNS rebinding: a page on another site resolving its name to 127.0.0.1.
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400


def test_missing_or_foreign_databases_are_refused(tmp_path: Path) -> None:
    with pytest.raises(WebStoreError, match="no such database"):
        create_app(tmp_path / "missing.db")
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(WebStoreError, match="not a Parley store"):
        create_app(foreign)


def test_serve_refuses_a_missing_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "missing.db")])
    assert result.exit_code == 2
    assert "no such database" in result.output


def test_writable_app_adds_a_pasted_article(web_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(web_db, db)
    text = SEED_TEXT.replace("Sky News", "Channel 4 News")
    with TestClient(create_app(db, writable=True, allowed_hosts=["testserver"])) as writable:
        assert "Analyse and store" in get(writable, "/add")
        refused = writable.post(
            "/add", data={"text": text}, headers={"Origin": "http://attacker.example"}, follow_redirects=False
        )
        assert refused.status_code == 403
        added = writable.post(
            "/add",
            data={"text": text, "title": "Seed, Channel 4 edition", "published": "2024-12-01"},
            headers={"Origin": "http://testserver"},
            follow_redirects=False,
        )
        assert added.status_code == 303, added.text[-2000:]
        page = get(writable, added.headers["location"])
    assert "Seed, Channel 4 edition" in page and "Channel 4 News" in page
    with Store(db) as stored:
        article = stored.article(Article.content_id(text))
        assert article is not None and article.published == dt.date(2024, 12, 1)
        assert stored.statements(article_id=article.id)


def test_writable_app_reports_a_bad_date(web_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copy(web_db, db)
    with TestClient(create_app(db, writable=True, allowed_hosts=["testserver"])) as writable:
        response = writable.post("/add", data={"text": "Some words.", "published": "soon"})
    assert response.status_code == 400 and "is not a date" in response.text


# Marked text


def test_segments_cut_overlapping_marks_and_join_to_the_text() -> None:
    text = "Zelenskyy said peace needs NATO protection."
    marks = [
        Mark(0, 43, "evidence", "st-1"),
        Mark(0, 9, "speaker", "st-1"),
        Mark(15, 42, "content", "st-1"),
        Mark(27, 42, "condition", "ev-1"),
    ]
    found = segments(text, marks, [("st-1", 0), ("ev-1", 27)])
    assert "".join(s.text for s in found) == text
    by_text = {s.text: s for s in found}
    assert by_text["Zelenskyy"].kinds == ("evidence", "speaker") and by_text["Zelenskyy"].anchors == ("st-1",)
    assert by_text["NATO protection"].kinds == ("evidence", "content", "condition")
    assert by_text["NATO protection"].refs == ("st-1", "ev-1")
    assert by_text["NATO protection"].anchors == ("ev-1",)
    assert by_text["."].kinds == ("evidence",)


def test_segments_clip_marks_outside_the_text() -> None:
    found = segments("abc", [Mark(-5, 2, "cue", "x"), Mark(2, 99, "venue", "y"), Mark(7, 9, "cue", "z")])
    assert [(s.text, s.kinds) for s in found] == [("ab", ("cue",)), ("c", ("venue",))]


def test_statement_records_round_trip_through_the_read_path(web_db: Path, store: Store) -> None:
    reader = Reader(web_db)
    try:
        assert reader.article_statements(SEED_ID) == sorted(
            store.statements(article_id=SEED_ID), key=lambda s: (s.evidence.start, s.id)
        )
        assert reader.statements_by_id(["nope", "st-nope"]) == []
    finally:
        reader.close()


def test_rendered_segments_escape_the_text_and_keep_it_whole() -> None:
    text = 'He said "<b>no</b>" & left.'
    html = render(segments(text, [Mark(8, 19, "content", "st-1")], [("st-1", 8)]))
    assert html == (
        'He said <span class="anchor" id="st-1"></span>'
        '<span class="m k-content" data-refs="st-1">&#34;&lt;b&gt;no&lt;/b&gt;&#34;</span> &amp; left.'
    )
    shown, tags = text_of(f'<div id="t">{html}</div>', "t")
    assert shown == text and set(tags) == {"span"}


def test_a_long_history_is_drawn_in_stretches_of_days() -> None:
    start = dt.date(2020, 1, 1)
    rows = []
    for n in range(3 * MOST_POINTS):
        day = start + dt.timedelta(days=n)
        position = Position(
            id=f"po-{n}",
            article_id=f"a-{n}",
            actor="zelenskyy",
            issue="ceasefire",
            stance="support" if n % 3 else "oppose",
            summary="s",
            evidence=(),
            as_of=day,
        )
        rows.append(PositionRow(position, ArticleSummary(f"a-{n}", None, None, day, None)))
    spec = timeline_spec(rows, [], "ceasefire")
    points = spec["datasets"]["positions"]
    assert len({p["date"] for p in points}) <= MOST_POINTS
    assert sum(p["count"] for p in points) == len(rows)
    latest = {p["evidence"] for p in points}
    assert f"/positions/po-{len(rows) - 1}" in latest


def test_few_dates_are_drawn_one_point_per_position() -> None:
    day = dt.date(2022, 2, 24)
    rows = [
        PositionRow(
            Position(
                id=f"po-{n}",
                article_id="a",
                actor="putin",
                issue="negotiations",
                stance="support",
                summary=f"s{n}",
                evidence=(),
                as_of=day + dt.timedelta(days=n),
            ),
            ArticleSummary("a", "title", "kremlin.ru", day, None),
        )
        for n in range(5)
    ]
    points = timeline_spec(rows, [], "negotiations")["datasets"]["positions"]
    assert [p["evidence"] for p in points] == [f"/positions/po-{n}" for n in range(5)]
    assert all(p["count"] == 1 and p["source"] == "title" for p in points)

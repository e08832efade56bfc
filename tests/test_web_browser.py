"""The web UI in a real browser: Debian's Chromium driven by Playwright, against a real server.

The server is uvicorn on a free port of 127.0.0.1, in a thread of this process, over the store of
``test_web.py``. The browser is the system's ``/usr/bin/chromium`` (``apt-get install chromium``):
Playwright never downloads one here, and nothing on the pages comes from the network. Each page is
checked for JavaScript errors, and a screenshot of it is saved under ``out/screenshots/`` (ignored
by git) for a person to look at.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from parley.store import Store
from parley.web.app import create_app
from test_web import HOSTILE_ID, SEED_ID, build_web_store

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[1] / "out" / "screenshots"
# No GPU, no sandbox (containers), and nothing that phones home: updates, sync, field trials, QUIC.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no /usr/bin/chromium: install Debian's chromium to run the browser tests"
)
sync_api = pytest.importorskip("playwright.sync_api")


@dataclass
class Served:
    """The running server: its base URL and the app (for its verification state)."""

    url: str
    app: Any


@dataclass
class Console:
    """What the pages said on the console, and the errors they threw."""

    errors: list[str] = field(default_factory=list)

    def take(self) -> list[str]:
        found, self.errors = self.errors, []
        return found


@pytest.fixture(scope="module")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_web_store(tmp_path_factory.getbasetemp() / "web-store")


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Run ``app`` with uvicorn on a free port of 127.0.0.1 in a thread; yield its base URL."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    try:
        while not server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="module")
def served(web_db: Path) -> Iterator[Served]:
    app = create_app(web_db)
    with serving(app) as url:
        yield Served(url, app)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser: Any, console: Console) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    opened = context.new_page()
    opened.on("console", lambda m: console.errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: console.errors.append(f"uncaught: {e}"))
    opened.on("requestfailed", lambda r: console.errors.append(f"request failed: {r.url}"))
    opened.set_default_timeout(30_000)
    try:
        yield opened
    finally:
        context.close()


def visit(page: Any, served: Served, path: str) -> None:
    """Open ``path`` and wait until the network is quiet (htmx and the charts done)."""
    response = page.goto(served.url + path, wait_until="networkidle")
    assert response is not None and response.status == 200, path


def shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_home_page(page: Any, served: Served, console: Console) -> None:
    visit(page, served, "/")
    assert page.locator(".count").count() == 5
    assert page.locator(".latest-shifts li.shift").count() >= 1
    assert page.locator(".active-actors a.actor").count() >= 1
    page.locator(".latest-shifts a.shift-link").first.click()
    page.wait_for_selector("#home-evidence .evidence-panel[data-shift]")
    shoot(page, "home")
    assert console.take() == []


def test_article_page_marks_and_links_the_extractions(page: Any, served: Served, console: Console) -> None:
    visit(page, served, f"/articles/{SEED_ID}")
    assert page.locator("#article-text .m.k-speaker").count() >= 3
    assert page.locator("#article-text .m.k-venue", has_text="The Telegraph").count() >= 1
    assert page.locator("#article-text .m.k-condition").count() >= 1
    first = page.locator(".records .record a.jump").first
    ref = first.get_attribute("data-ref")
    first.click()
    assert page.locator("#article-text .m.focus").count() >= 1
    assert page.locator(f'[id="x-{ref}"]').get_attribute("class") == "record focus"
    assert page.evaluate("location.hash") == f"#{ref}"
    shoot(page, "article")
    assert console.take() == []


def test_article_with_markup_shows_it_as_text(page: Any, served: Served, console: Console) -> None:
    visit(page, served, f"/articles/{HOSTILE_ID}")
    assert page.evaluate("window.__xss") is None
    assert page.locator("#article-text img, #article-text script, h1 img, h1 script").count() == 0
    assert "<script>window.__xss = 1</script>" in page.inner_text("#article-text")
    assert '"><img src=x onerror="window.__xss = 2">' in page.inner_text("#article-text")
    assert "<script>window.__xss = 3</script>" in page.inner_text("h1")
    shoot(page, "article-with-markup")
    assert console.take() == []


def test_actor_page_draws_a_chart_per_issue(
    page: Any, served: Served, console: Console, web_db: Path
) -> None:
    visit(page, served, "/actors/zelenskyy")
    charts = page.locator(".chart")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart')].every(c => c.dataset.drawn === 'yes')"
    )
    assert charts.count() >= 1
    assert page.locator(".chart svg").count() == charts.count()
    assert page.locator(".chart svg .mark-symbol path").count() >= charts.count()
    shoot(page, "actor")
    assert console.take() == []


def test_clicking_a_shift_marker_opens_its_evidence(page: Any, served: Served, console: Console) -> None:
    with Store(served.app.state.reader.path) as store:
        shift = next(s for s in store.shifts() if s.after.article_id == SEED_ID)
    visit(page, served, "/actors/zelenskyy")
    chart = page.locator(f"#issue-{shift.issue} .chart")
    page.wait_for_function(
        f"() => document.querySelector('#issue-{shift.issue} .chart').dataset.drawn === 'yes'"
    )
    # The shift's triangle marker: Vega labels each mark with its fields.
    marker = chart.locator("path[aria-roledescription='point'][aria-label*='shift:']").first
    marker.click()
    panel = page.locator("#evidence .evidence-panel[data-shift]")
    panel.wait_for()
    assert shift.before.stance in panel.inner_text() and shift.after.stance in panel.inner_text()
    assert panel.locator("a.span-link").count() >= 1
    shoot(page, "actor-shift-evidence")
    # A position point opens the position's evidence.
    point = chart.locator("path[aria-roledescription='point'][aria-label*='kind: position']").first
    point.click()
    page.locator("#evidence .evidence-panel[data-position]").wait_for()
    assert console.take() == []


def test_negotiation_map(page: Any, served: Served, console: Console) -> None:
    visit(page, served, "/map?date=2024-11-30&party=zelenskyy&party=putin&party=ukr&party=rus")
    assert page.locator("table.negotiation-map tbody tr").count() >= 1
    assert page.locator("td.cell .stance").count() >= 1
    page.locator("td.cell a.evidence-link").first.click()
    page.locator("#evidence .evidence-panel[data-position]").wait_for()
    shoot(page, "map")
    assert console.take() == []


def test_search_returns_highlighted_hits(page: Any, served: Served, console: Console) -> None:
    visit(page, served, "/search")
    page.fill("input[name=q]", "territory")
    page.click(".search-form button")
    page.wait_for_selector("#results .hit mark")
    marks = page.locator("#results .hit mark").all_inner_texts()
    assert marks and all(m.lower().startswith("territor") for m in marks)
    assert "q=territory" in page.url, "htmx pushes the search into the address bar"
    shoot(page, "search")
    page.select_option("select[name=actor]", "zelenskyy")
    page.click(".search-form button")
    page.wait_for_function("() => location.search.includes('actor=zelenskyy')")
    page.wait_for_load_state("networkidle")
    speakers = page.locator("#results .hit .who a.actor").all_inner_texts()
    assert speakers and set(speakers) == {"Volodymyr Zelenskyy"}
    assert console.take() == []


def test_search_shows_markup_as_text(page: Any, served: Served, console: Console) -> None:
    visit(page, served, "/search?q=window")
    assert page.evaluate("window.__xss") is None
    assert page.locator("#results img").count() == 0
    assert "<script>" in page.inner_text("#results")
    assert console.take() == []


def test_verification_page(page: Any, served: Served, console: Console) -> None:
    status = served.app.state.verification.wait(300)
    assert status.state == "ready", status.error
    visit(page, served, "/verify")
    assert page.locator("ol.checks > li.check").count() >= 1
    assert page.locator(".verdict-filter a").count() == len(status.counts()) + 1
    shoot(page, "verify")
    assert console.take() == []


def test_verification_page_updates_itself_while_computing(page: Any, console: Console, web_db: Path) -> None:
    # A fresh app has no verdicts yet: its page polls until they are in.
    with serving(create_app(web_db)) as url:
        page.goto(f"{url}/verify")
        assert page.locator("#verify-results.computing").count() == 1
        page.wait_for_selector("#verify-results ol.checks", timeout=300_000)
    assert console.take() == []

"""The ``parley`` command line end to end: the real pipeline on the seed article and real official texts."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner, Result

from parley.cli import app
from parley.model import Article
from parley.store import Store

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "zelenskyy-ceasefire-territory.txt"
PRIMARY = REPO / "tests" / "fixtures" / "primary-sample.jsonl"

SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_ID = Article.content_id(SEED_TEXT)
PRIMARY_LINES = PRIMARY.read_text(encoding="utf-8").splitlines()
PRIMARY_IDS = [json.loads(line)["id"] for line in PRIMARY_LINES]

OUTPUT_KEYS = {"schema", "article", "statements", "events", "positions", "shifts"}
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]

# Wide enough that rich never wraps a name, a path or a summary line in two.
runner = CliRunner(env={"COLUMNS": "400"})


def parley(*args: str | Path) -> Result:
    """Run ``parley args``; fail the test when the command crashed instead of exiting."""
    result = runner.invoke(app, [str(a) for a in args])
    crash = result.exception
    if crash is not None and not isinstance(crash, SystemExit):
        command = " ".join(map(str, args))
        raise AssertionError(f"parley {command} crashed:\n{result.output}") from crash
    return result


def spans_in(value: Any) -> Iterator[dict[str, Any]]:
    """Yield every object under ``value`` with an int ``start``, an int ``end`` and a str ``text``."""
    if isinstance(value, dict):
        start, end, text = value.get("start"), value.get("end"), value.get("text")
        if type(start) is int and type(end) is int and isinstance(text, str):
            yield value
        for item in value.values():
            yield from spans_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from spans_in(item)


def dump_tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Return every row of every table of ``db`` but SQLite's own and the FTS index's shadow tables."""
    with sqlite3.connect(db) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        fts = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE sql LIKE '%USING fts5%'")]
        kept = [t for t in tables if not any(t.startswith(f"{v}_") for v in fts)]
        dump = {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in kept}
    conn.close()
    return dump


# analyze


@pytest.fixture(scope="module")
def analyzed() -> Result:
    return parley("analyze", SEED, "--format", "jsonl")


@pytest.fixture(scope="module")
def analysis(analyzed: Result) -> dict[str, Any]:
    (line,) = analyzed.stdout.splitlines()
    parsed: dict[str, Any] = json.loads(line)
    return parsed


def test_analyze_exits_0(analyzed: Result) -> None:
    assert analyzed.exit_code == 0, analyzed.output


def test_analyze_prints_one_json_line_per_article(analyzed: Result) -> None:
    assert len(analyzed.stdout.splitlines()) == 1


def test_analyze_output_has_the_contract_keys(analysis: dict[str, Any]) -> None:
    assert set(analysis) == OUTPUT_KEYS


def test_analyze_output_has_schema_1(analysis: dict[str, Any]) -> None:
    assert analysis["schema"] == 1


def test_analyze_output_has_the_article_text_unchanged(analysis: dict[str, Any]) -> None:
    assert analysis["article"]["text"] == SEED_TEXT


def test_analyze_every_span_slices_the_article_text(analysis: dict[str, Any]) -> None:
    text = analysis["article"]["text"]
    spans = list(spans_in({k: v for k, v in analysis.items() if k != "article"}))
    wrong = [s for s in spans if text[s["start"] : s["end"]] != s["text"]]
    assert wrong == []
    assert len(spans) > 50


@pytest.fixture(scope="module")
def pretty() -> Result:
    return parley("analyze", SEED, "--format", "pretty")


def test_analyze_pretty_exits_0(pretty: Result) -> None:
    assert pretty.exit_code == 0, pretty.output


@pytest.mark.parametrize(
    "expected", ["Statements", "The Telegraph", "Sky News", "CONCEDE", "territorial_concession", "half flip"]
)
def test_analyze_pretty_prints_the_brief(pretty: Result, expected: str) -> None:
    assert expected in pretty.stdout


# ingest: bad inputs


@dataclass(frozen=True)
class BadInput:
    name: str
    data: bytes
    line: int | None
    problem: str
    good_ids: tuple[str, ...] = ()


MALFORMED_JSONL = "\n".join([PRIMARY_LINES[3], '{"id": "broken", "text": "unterminated', PRIMARY_LINES[5]])
BAD_INPUTS = [
    BadInput("empty.txt", b"", None, "empty file"),
    BadInput("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, None, "binary file, not text"),
    BadInput(
        "latin1.txt",
        b"Kyiv caf\xe9 owners said the ceasefire talks had stalled.\n",
        None,
        "invalid UTF-8 at byte 8",
    ),
    BadInput(
        "articles.jsonl",
        (MALFORMED_JSONL + "\n").encode("utf-8"),
        2,
        "invalid JSON: Unterminated string starting at",
        (PRIMARY_IDS[3], PRIMARY_IDS[5]),
    ),
]


@dataclass(frozen=True)
class BadRun:
    case: BadInput
    path: Path
    db: Path
    result: Result


@pytest.fixture(scope="module", params=BAD_INPUTS, ids=lambda case: case.name)
def bad_run(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> BadRun:
    case: BadInput = request.param
    folder = tmp_path_factory.mktemp("bad")
    bad = folder / case.name
    bad.write_bytes(case.data)
    seed = shutil.copy(SEED, folder / SEED.name)
    db = folder / "parley.db"
    return BadRun(case, bad, db, parley("ingest", bad, seed, "--db", db))


def test_ingest_bad_input_exits_1(bad_run: BadRun) -> None:
    assert bad_run.result.exit_code == 1, bad_run.result.output


def test_ingest_bad_input_error_names_the_file_and_line(bad_run: BadRun) -> None:
    where = f"{bad_run.path}:{bad_run.case.line}" if bad_run.case.line else f"{bad_run.path}"
    assert f"error {where}: {bad_run.case.problem}" in bad_run.result.output


def test_ingest_bad_input_stores_the_good_articles(bad_run: BadRun) -> None:
    with Store(bad_run.db) as store:
        ids = sorted(a.id for a in store.articles())
        articles = store.counts()["articles"]
    assert ids == sorted([SEED_ID, *bad_run.case.good_ids])
    assert articles == 1 + len(bad_run.case.good_ids)


def test_ingest_bad_input_is_quarantined(bad_run: BadRun) -> None:
    with Store(bad_run.db) as store:
        rows = [(q["source"], q["line"], q["problem"]) for q in store.quarantined()]
    assert rows == [(str(bad_run.path), bad_run.case.line, bad_run.case.problem)]


def test_ingest_bad_input_summary_counts_it_as_failed(bad_run: BadRun) -> None:
    read = 1 + len(bad_run.case.good_ids)
    summary = f"read {read} · added {read} · updated 0 · unchanged 0 · failed 1 · db {bad_run.db}"
    assert summary in bad_run.result.output


# ingest: good inputs, idempotence


@dataclass(frozen=True)
class Ingested:
    db: Path
    first: Result
    first_dump: dict[str, list[tuple[Any, ...]]]
    second: Result
    second_dump: dict[str, list[tuple[Any, ...]]]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Ingested:
    db = tmp_path_factory.mktemp("store") / "parley.db"
    first = parley("ingest", SEED, PRIMARY, "--db", db)
    first_dump = dump_tables(db)
    second = parley("ingest", SEED, PRIMARY, "--db", db)
    return Ingested(db, first, first_dump, second, dump_tables(db))


def test_ingest_good_inputs_exit_0(ingested: Ingested) -> None:
    assert ingested.first.exit_code == 0, ingested.first.output


def test_ingest_summary_counts_the_added_articles(ingested: Ingested) -> None:
    summary = f"read 7 · added 7 · updated 0 · unchanged 0 · failed 0 · db {ingested.db}"
    assert summary in ingested.first.output


def test_ingest_stores_every_article(ingested: Ingested) -> None:
    with Store(ingested.db) as store:
        ids = sorted(a.id for a in store.articles())
    assert ids == sorted([SEED_ID, *PRIMARY_IDS])


def test_ingest_again_exits_0(ingested: Ingested) -> None:
    assert ingested.second.exit_code == 0, ingested.second.output


def test_ingest_again_summary_says_unchanged(ingested: Ingested) -> None:
    summary = f"read 7 · added 0 · updated 0 · unchanged 7 · failed 0 · db {ingested.db}"
    assert summary in ingested.second.output


def test_ingest_again_leaves_every_table_unchanged(ingested: Ingested) -> None:
    assert ingested.first_dump["statements"], "the first run stored no statements"
    assert ingested.second_dump == ingested.first_dump


@pytest.fixture(scope="module")
def brief_again(ingested: Ingested) -> Result:
    return parley("ingest", SEED, "--db", ingested.db, "--brief")


def test_ingest_brief_run_is_unchanged(brief_again: Result, ingested: Ingested) -> None:
    summary = f"read 1 · added 0 · updated 0 · unchanged 1 · failed 0 · db {ingested.db}"
    assert summary in brief_again.output


@pytest.mark.parametrize("expected", ["Statements (10)", "The Telegraph", "CONCEDE", "half flip"])
def test_ingest_brief_on_an_unchanged_run_prints_the_brief(brief_again: Result, expected: str) -> None:
    assert expected in brief_again.stdout


# statements


def test_statements_table_lists_the_speakers(ingested: Ingested) -> None:
    result = parley("statements", "--db", ingested.db)
    assert result.exit_code == 0, result.output
    assert "Zelenskyy" in result.stdout


def test_statements_table_title_counts_the_statements(ingested: Ingested) -> None:
    with Store(ingested.db) as store:
        count = len(store.statements())
    result = parley("statements", "--db", ingested.db)
    assert f"Statements in {ingested.db} ({count})" in result.stdout


def test_statements_jsonl_prints_one_object_per_statement(ingested: Ingested) -> None:
    with Store(ingested.db) as store:
        ids = [s.id for s in store.statements()]
    result = parley("statements", "--db", ingested.db, "--format", "jsonl")
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ids


def test_statements_actor_filters_by_speaker(ingested: Ingested) -> None:
    result = parley("statements", "--db", ingested.db, "--actor", "zelenskyy", "--format", "jsonl")
    speakers = [json.loads(line)["speaker"]["actor"] for line in result.stdout.splitlines()]
    assert set(speakers) == {"zelenskyy"}
    assert len(speakers) >= 9


def test_statements_missing_db_exits_2_and_names_it(tmp_path: Path) -> None:
    db = tmp_path / "absent.db"
    result = parley("statements", "--db", db)
    assert result.exit_code == 2
    assert f"error {db}: no such database" in result.output


def test_statements_missing_db_is_not_created(tmp_path: Path) -> None:
    db = tmp_path / "absent.db"
    parley("statements", "--db", db)
    assert not db.exists()


@pytest.mark.parametrize("name", ["report[draft].txt", "missing[/x].txt"])
def test_ingest_error_names_a_file_with_brackets_as_it_is(tmp_path: Path, name: str) -> None:
    bad = tmp_path / name
    if "missing" not in name:
        bad.write_bytes(b"")
    result = parley("ingest", bad, "--db", tmp_path / "parley.db")
    problem = "no such file or directory" if "missing" in name else "empty file"
    assert f"error {bad}: {problem}" in result.output
    assert result.exit_code == 1


# help


def test_help_is_checked_for_the_known_commands() -> None:
    assert {"analyze", "ingest", "statements"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help_text(name: str) -> None:
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    assert (command.help or "").strip()


@pytest.mark.parametrize("name", COMMANDS)
def test_command_help_prints_its_help(name: str) -> None:
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    first_line = " ".join((command.help or "").strip().splitlines()[0].split())
    result = parley(name, "--help")
    assert result.exit_code == 0, result.output
    assert first_line in " ".join(result.stdout.split())

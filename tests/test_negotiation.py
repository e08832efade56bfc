"""The negotiation map: parties x issues on a date, the latest position in each cell, a mark per row.

Positions are built by hand around sentences from president.gov.ua and kremlin.ru (CC BY 4.0; see
tests/fixtures/README.md), dated as they were said in March 2022.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parley.analysis.negotiation import mark, negotiation_map
from parley.cli import app
from parley.knowledge.lexicon import load_issues
from parley.model import Analysis, Article, Position, Span, stable_id
from parley.store import Store

runner = CliRunner(env={"COLUMNS": "200"})
TAXONOMY = load_issues()
AT = dt.date(2022, 3, 31)

SAID = [
    # (actor, issue, stance, day, sentence)
    (
        "putin",
        "neutrality",
        "support",
        dt.date(2022, 3, 4),
        "These include a neutral and nuclear-free status for Ukraine.",
    ),
    (
        "putin",
        "demilitarisation",
        "support",
        dt.date(2022, 3, 3),
        "He reaffirmed that Russia's priority goals were demilitarisation and a neutral status for Ukraine.",
    ),
    (
        "zelenskyy",
        "neutrality",
        "conditional",
        dt.date(2022, 3, 28),
        "Ukraine is ready to agree on neutrality only if it has guarantees fixed on paper.",
    ),
    (
        "zelenskyy",
        "demilitarisation",
        "oppose",
        dt.date(2022, 3, 28),
        'We do not discuss "denazification" and demilitarization at all.',
    ),
    (
        "podolyak",
        "territorial_concession",
        "ambiguous",
        dt.date(2022, 3, 29),
        "To hold bilateral negotiations on the status of Crimea and Sevastopol separately within 15 years.",
    ),
    # After the map's date: not in it.
    (
        "zelenskyy",
        "neutrality",
        "ambiguous",
        dt.date(2022, 4, 16),
        "It is possible to speak about the neutral status only after the ceasefire.",
    ),
]


def positions() -> list[Position]:
    return [
        Position(
            id=stable_id("po", actor, issue, day),
            article_id=f"{actor}-{issue}-{day}",
            actor=actor,
            issue=issue,
            stance=stance,  # type: ignore[arg-type]
            summary="",
            evidence=(Span.of(text, 0, len(text)),),
            as_of=day,
        )
        for actor, issue, stance, day, text in SAID
    ]


@pytest.mark.parametrize(
    ("stances", "expected"),
    [
        (["support", "support"], "overlap"),
        (["oppose", "oppose"], "overlap"),
        (["conditional", "support"], "conditional"),
        (["conditional", "conditional"], "conditional"),
        (["ambiguous", "support"], "open"),
        (["ambiguous", "oppose"], "open"),
        (["support", "oppose"], "gap"),
        (["conditional", "oppose"], "gap"),
        (["support", None], "unknown"),
    ],
)
def test_mark(stances: list[str | None], expected: str) -> None:
    assert mark(stances) == expected  # type: ignore[arg-type]


def test_map_of_zelenskyy_and_putin() -> None:
    found = positions()
    by_party = {party: [p for p in found if p.actor == party] for party in ("zelenskyy", "putin")}
    the_map = negotiation_map(by_party, TAXONOMY, AT, known_only=True)
    rows = {row.issue.id: ([c.stance for c in row.cells], row.mark) for row in the_map.rows}
    assert rows == {
        "neutrality": (["conditional", "support"], "conditional"),
        "demilitarisation": (["oppose", "support"], "gap"),
    }


def test_cell_is_the_latest_position_on_or_before_the_date() -> None:
    found = [p for p in positions() if p.actor == "zelenskyy" and p.issue == "neutrality"]
    on_april_20 = negotiation_map({"zelenskyy": found}, TAXONOMY, dt.date(2022, 4, 20), ["neutrality"])
    (row,) = on_april_20.rows
    (cell,) = row.cells
    assert cell.point is not None and (cell.point.day, cell.stance) == (dt.date(2022, 4, 16), "ambiguous")


def test_all_issues_are_rows_unless_known_only() -> None:
    the_map = negotiation_map({"putin": positions()}, TAXONOMY, AT)
    assert [row.issue.id for row in the_map.rows] == list(TAXONOMY.issues)
    assert {row.mark for row in the_map.rows if row.issue.id == "ceasefire"} == {"unknown"}


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("map") / "map.db"
    with Store(path) as store:
        store.save(
            Analysis(Article(id=p.article_id, text=p.evidence[0].text, published=p.as_of), positions=(p,))
            for p in positions()
        )
    return path


def test_map_command_jsonl(store_path: Path) -> None:
    result = runner.invoke(
        app,
        ["map", "--db", str(store_path), "--parties", "zelenskyy,putin", "--at", "2022-03-31", "-f", "jsonl"],
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["issue"], r["mark"]) for r in rows] == [
        ("neutrality", "conditional"),
        ("demilitarisation", "gap"),
    ]
    cell = rows[0]["cells"]["zelenskyy"]
    assert (cell["stance"], cell["as_of"]) == ("conditional", "2022-03-28")
    assert cell["positions"][0]["evidence"][0]["text"].startswith("Ukraine is ready to agree on neutrality")


def test_map_command_states_take_in_their_officials(store_path: Path) -> None:
    result = runner.invoke(
        app, ["map", "--db", str(store_path), "--parties", "ukr,rus", "--at", "2022-03-31", "-f", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = {json.loads(line)["issue"]: json.loads(line) for line in result.output.splitlines()}
    assert rows["territorial_concession"]["cells"]["ukr"]["positions"][0]["actor"] == "podolyak"
    assert rows["territorial_concession"]["mark"] == "unknown"


def test_map_command_table(store_path: Path) -> None:
    result = runner.invoke(
        app, ["map", "--db", str(store_path), "--parties", "zelenskyy,putin", "--at", "2022-03-31"]
    )
    assert result.exit_code == 0, result.output
    assert "gap" in result.output and "demilitarisation" in result.output


def test_map_command_needs_parties(store_path: Path) -> None:
    result = runner.invoke(app, ["map", "--db", str(store_path), "--parties", " , ", "--at", "2022-03-31"])
    assert result.exit_code == 2
    assert "--parties needs at least one actor id" in result.output

"""The position scorer (``parley evaluate positions``) and the hand-labelled dev set it reads.

Gold rows and predictions are built around sentences from president.gov.ua and kremlin.ru (CC BY 4.0;
see tests/fixtures/README.md).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from parley.cli import app
from parley.errors import InputError
from parley.evaluate.positions import read_gold, score
from parley.knowledge.actors import load_actors
from parley.knowledge.lexicon import load_issues
from parley.model import Analysis, Article, Mention, Position, Span, Statement
from parley.store import Store

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "data" / "gold" / "positions-dev.jsonl"
TAXONOMY = load_issues()
BASE = load_actors()

NEUTRAL = "We are not afraid to talk about neutral status."
TALKS = "We are not afraid to talk to Russia."
DEMANDS = "These include a neutral and nuclear-free status for Ukraine."
TEXTS = {"z": f"{NEUTRAL} {TALKS}", "p": DEMANDS}
GOLD = [
    {"article": "z", "date": "2022-02-25", "actor": "zelenskyy", "issue": "neutrality", "stance": "ambiguous",
     "text": NEUTRAL, "conditions": []},
    {"article": "z", "date": "2022-02-25", "actor": "zelenskyy", "issue": "negotiations", "stance": "support",
     "text": TALKS, "conditions": []},
    {"article": "p", "date": "2022-03-04", "actor": "putin", "issue": "neutrality", "stance": "support",
     "text": DEMANDS, "conditions": []},
    {"article": "n", "date": "2022-05-14", "none": True},
]  # fmt: skip


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def predicted(article: str, actor: str, issue: str, stance: str, words: str) -> Position:
    text = TEXTS[article]
    start = text.index(words)
    return Position(
        id=f"po-{article}-{actor}-{issue}",
        article_id=article,
        actor=actor,
        issue=issue,
        stance=stance,  # type: ignore[arg-type]
        summary="",
        evidence=(Span.of(text, start, start + len(words)),),
        as_of=dt.date(2022, 2, 25),
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    gold = read_gold(write(tmp_path_factory.mktemp("gold") / "gold.jsonl", GOLD), TAXONOMY.issues)
    found = {
        "z": [
            predicted("z", "zelenskyy", "neutrality", "ambiguous", NEUTRAL),
            predicted("z", "zelenskyy", "ceasefire", "support", TALKS),
        ],
        "p": [predicted("p", "putin", "neutrality", "conditional", DEMANDS)],
    }
    return score(gold, TEXTS, found, TAXONOMY, BASE.state_of)


def test_positions_precision_and_recall(report: dict[str, Any]) -> None:
    assert report["positions"] == {
        "predicted": 3,
        "gold": 3,
        "matched": 2,
        "precision": 0.667,
        "recall": 0.667,
        "f1": 0.667,
    }


def test_stance_accuracy_counts_a_miss_as_wrong(report: dict[str, Any]) -> None:
    assert (report["stance"]["accuracy"], report["stance"]["accuracy_found"]) == (0.333, 0.5)
    assert report["stance"]["confusion"] == {
        "ambiguous -> ambiguous": 1,
        "support -> conditional": 1,
        "support -> missing": 1,
    }


def test_by_side_counts_each_actor_as_its_state(report: dict[str, Any]) -> None:
    assert {k: report["by_side"][k] for k in ("gold", "matched", "accuracy")} == {
        "gold": 3,
        "matched": 2,
        "accuracy": 0.333,
    }


def test_evidence_share(report: dict[str, Any]) -> None:
    assert report["evidence"] == {"rows": 2, "in_evidence": 2, "share": 1.0}


def test_articles_without_positions_count_as_read(report: dict[str, Any]) -> None:
    assert report["articles"] == 3


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", "malformed gold line"),
        ('{"article": "a", "date": "2022-01-01", "actor": "x", "issue": "neutrality", "stance": "maybe", '
         '"text": "t"}', "unknown stance 'maybe'"),
        ('{"article": "a", "date": "2022-01-01", "actor": "x", "issue": "weather", "stance": "support", '
         '"text": "t"}', "unknown issue 'weather'"),
        ('{"article": "a", "actor": "x"}', "'date'"),
    ],
)  # fmt: skip
def test_malformed_gold_names_the_line(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"article": "n", "date": "2022-05-14", "none": true}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=problem) as caught:
        read_gold(path, TAXONOMY.issues)
    assert caught.value.line == 2


def test_dev_set_is_big_enough_and_uses_known_names() -> None:
    gold = read_gold(DEV, TAXONOMY.issues)
    assert len(gold.rows) >= 150
    assert {row.actor for row in gold.rows} <= {actor.id for actor in BASE}
    assert all(c in row.text or row.conditions for row in gold.rows for c in row.conditions)


def test_evaluate_command_reads_a_store(tmp_path: Path) -> None:
    text = TEXTS["z"]
    statement = Statement(
        id="st-z",
        article_id="z",
        kind="direct",
        speaker=Mention("I", 0, 0, actor="zelenskyy"),
        cue=None,
        content=(Span.of(text, 0, len(text)),),
        evidence=Span.of(text, 0, len(text)),
        said_on=dt.date(2022, 2, 25),
    )
    db = tmp_path / "z.db"
    with Store(db) as store:
        store.save(
            [Analysis(Article(id="z", text=text, published=dt.date(2022, 2, 25)), statements=(statement,))]
        )
    gold = write(tmp_path / "gold.jsonl", GOLD[:2])
    result = CliRunner().invoke(app, ["evaluate", "positions", "--gold", str(gold), "--db", str(db)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["positions"]["matched"] == 2
    assert report["stance"]["accuracy"] == 1.0


def test_evaluate_command_needs_one_source(tmp_path: Path) -> None:
    gold = write(tmp_path / "gold.jsonl", GOLD)
    result = CliRunner().invoke(app, ["evaluate", "positions", "--gold", str(gold)])
    assert result.exit_code == 2
    assert "give either --articles PATH or --db DB" in result.output

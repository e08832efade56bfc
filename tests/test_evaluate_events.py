"""The event scorer: gold formats, the scoring arithmetic, and the command on real gold records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parley import nlp as parley_nlp
from parley.cli import app
from parley.errors import InputError
from parley.evaluate.events import Coded, GoldSentence, evaluate_events, normalise_code, read_gold, score
from parley.extract.events import load_event_rules
from parley.knowledge.actors import load_actors

FIXTURES = Path(__file__).parent / "fixtures"
GSR = FIXTURES / "plover-gsr-sample.jsonl"
PETRARCH = FIXTURES / "petrarch"
TABLE = PETRARCH / "CAMEO2PLOVER-2021.txt"


def _gold(id_: str, types: set[str], actors: tuple[str, ...] = ()) -> GoldSentence:
    return GoldSentence(id_, "text", frozenset(types), actors, ())


def _coded(id_: str, types: set[str], actors: tuple[str, ...] = ()) -> Coded:
    return Coded(id_, frozenset(types), actors, (), ())


def test_gsr_labels_of_plover_0_5_are_mapped() -> None:
    gold = {g.id.removeprefix("PLOVER-GSR01-"): g for g in read_gold(GSR)}
    assert (gold["DEMAND-0001"].types, gold["INVESTIGATE-0001"].types) == (
        frozenset({"REQUEST"}),
        frozenset({"ACCUSE"}),
    )


def test_gsr_actor_codes_are_read_and_normalised() -> None:
    (agree,) = [g for g in read_gold(GSR) if g.id.endswith("AGREE-0001")]
    (apec,) = [g for g in read_gold(GSR) if g.id.endswith("AGREE-0002")]
    assert (agree.actors, apec.actors, apec.recipients) == (("HUN", "ROU"), ("IGO",), ("JPN",))


def test_petrarch_codes_become_plover_types() -> None:
    gold = {g.id: g for g in read_gold(PETRARCH / "unittest-sample.jsonl", TABLE)}
    # DEMO-00: Arnor restores diplomatic ties with Gondor, CAMEO 064.
    assert (gold["DEMO-00"].types, gold["DEMO-00"].actors, gold["DEMO-00"].recipients) == (
        frozenset({"COOPERATE"}),
        ("ARN",),
        ("GON",),
    )


def test_petrarch_code_plover_does_not_map_gives_no_type() -> None:
    # DEMO-05 is coded 224, a code CAMEO2PLOVER-2021 has no line for (nor for its parent 22).
    gold = {g.id: g for g in read_gold(PETRARCH / "unittest-sample.jsonl", TABLE)}
    assert (gold["DEMO-05"].types, gold["DEMO-05"].unmapped) == (frozenset(), True)


def test_petrarch_record_date_becomes_the_article_date() -> None:
    gold = {g.id: g for g in read_gold(PETRARCH / "unittest-sample.jsonl", TABLE)}
    assert str(gold["DEMO-05"].published) == "1995-01-12"


@pytest.mark.parametrize(
    ("code", "normal"),
    [
        ("JAP", "JPN"),
        ("ITL", "ITA"),
        ("UNO", "IGO"),
        ("EUR", "IGO"),
        ("NATO", "IGO"),
        ("rus", "RUS"),
        ("", None),
    ],
)
def test_codes_are_compared_normalised(code: str, normal: str | None) -> None:
    assert normalise_code(code) == normal


def test_score_arithmetic() -> None:
    gold = [_gold("a", {"AGREE"}, ("UKR",)), _gold("b", {"REJECT"}, ("RUS", "BLR")), _gold("c", {"AGREE"})]
    coded = [_coded("a", {"AGREE"}, ("UKR",)), _coded("b", {"AGREE"}, ("RUS",)), _coded("c", set())]
    result = score(gold, coded)
    assert result["types"]["AGREE"] == {
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "gold": 2,
        "predicted": 2,
        "true_positives": 1,
    }
    assert result["types"]["REJECT"]["f1"] == 0.0
    assert (result["macro_f1"], result["actor_code_recall"], result["sentences_with_events"]) == (
        0.25,
        0.6667,
        2,
    )


def test_score_needs_one_reading_per_sentence() -> None:
    with pytest.raises(ValueError, match="2 gold sentences but 1 coded"):
        score([_gold("a", {"AGREE"}), _gold("b", {"AGREE"})], [_coded("a", {"AGREE"})])


def test_malformed_gold_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"text": "a", "event": "AGREE"}\n{not json\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"gold\.jsonl:2: not JSON"):
        read_gold(path)


def test_petrarch_gold_without_a_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "unittest.jsonl"
    path.write_text('{"text": "a", "codings": []}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"need CAMEO2PLOVER-2021\.txt"):
        read_gold(path)


@pytest.fixture(scope="module")
def gsr_report() -> dict[str, object]:
    return evaluate_events(GSR, details=True)


def test_gsr_sample_counts(gsr_report: dict[str, object]) -> None:
    types = gsr_report["types"]
    assert isinstance(types, dict)
    assert (gsr_report["sentences"], len(types), types["COOPERATE"]["gold"]) == (31, 16, 1)


def test_gsr_sample_details_name_each_sentence(gsr_report: dict[str, object]) -> None:
    details = gsr_report["details"]
    assert isinstance(details, list)
    (first,) = [d for d in details if d["id"] == "PLOVER-GSR01-AGREE-0001"]
    assert (first["gold"], first["coded"], first["gold_actors"], first["coded_actors"]) == (
        ["AGREE"],
        ["AGREE"],
        ["HUN", "ROU"],
        ["HUN", "ROU"],
    )


def test_petrarch_run_swaps_in_the_validation_dictionaries_and_restores_them() -> None:
    report = evaluate_events(
        PETRARCH / "unittest-sample.jsonl",
        cameo2plover=TABLE,
        actors=[PETRARCH / "PETR.Validate.actors.txt"],
        agents=[PETRARCH / "PETR.Validate.agents.txt"],
        verbs=[PETRARCH / "PETR.Validate.verbs.txt"],
        details=True,
    )
    details = {d["id"]: d for d in report["details"]}  # type: ignore[union-attr]
    assert (report["format"], report["sentences_left_out"], details["DEMO-00"]["coded_actors"]) == (
        "petrarch",
        1,
        ["ARN"],
    )
    # "restored ties" is 064 in the validation verbs; the object rules of events.yaml, which would
    # make it SUPPORT (050, as CAMEO.2.0 has it), supplement the packaged dictionary only.
    assert details["DEMO-00"]["coded"] == ["COOPERATE"]
    # The packaged knowledge is back for whatever the process does next.
    nlp = parley_nlp.load()
    assert nlp.get_pipe("parley_actors").base is load_actors()  # type: ignore[attr-defined]
    assert nlp.get_pipe("parley_events").rules is load_event_rules()  # type: ignore[attr-defined]


def test_cli_prints_the_report_as_json() -> None:
    result = CliRunner().invoke(app, ["evaluate", "events", "--gold", str(GSR)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) >= {"macro_f1", "actor_code_recall", "types", "sentences"}


def test_cli_reports_an_unreadable_gold_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["evaluate", "events", "--gold", str(tmp_path / "absent.jsonl")])
    assert result.exit_code == 2
    assert "absent.jsonl: cannot read" in result.stderr

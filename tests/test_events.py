"""PLOVER event coding: types, modality, negation, conditions and qualifiers on real sentences."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from parley import nlp as parley_nlp
from parley.extract.events import primary_events
from parley.model import Article, Event
from parley.pipeline import process_batch


def _events(text: str) -> list[Event]:
    (analysis,) = process_batch([Article(id="t", text=text)])
    return list(analysis.events)


def _event(text: str, trigger: str) -> Event:
    (event,) = [e for e in _events(text) if e.trigger.text == trigger]
    return event


@pytest.mark.parametrize(
    ("text", "trigger", "type_", "modality"),
    [
        ("Russia will not withdraw its troops from Ukraine.", "withdraw", "REJECT", "intended"),
        (
            "Ukraine would cede Crimea to Russia if the West gave security guarantees.",
            "cede",
            "CONCEDE",
            "conditional",
        ),
        ("Moscow refused to release the prisoners.", "refused", "REJECT", "asserted"),
        ("Moscow refused to release the prisoners.", "release", "RETREAT", "negated"),
        ("Zelensky demanded that Russia withdraw its forces.", "demanded", "REQUEST", "asserted"),
        ("Zelensky demanded that Russia withdraw its forces.", "withdraw", "RETREAT", "demanded"),
        ("Putin threatened to attack Kyiv.", "threatened", "THREATEN", "asserted"),
        ("Putin threatened to attack Kyiv.", "attack", "ASSAULT", "intended"),
        ("Russia has agreed to a ceasefire.", "agreed", "AGREE", "asserted"),
        ("Ukraine may be prepared to give up Donbas.", "give up", "CONCEDE", "offered"),
        ("Previously, Ukraine had refused to negotiate with Moscow.", "refused", "REJECT", "historical"),
        ("It remains to be seen whether Moscow will accept a peace deal.", "accept", "AGREE", "hypothetical"),
        ("Russian forces did not attack Kharkiv on Tuesday.", "attack", "ASSAULT", "negated"),
    ],
)
def test_type_and_modality(text: str, trigger: str, type_: str, modality: str) -> None:
    event = _event(text, trigger)
    assert (event.type, event.modality) == (type_, modality)


@pytest.mark.parametrize(
    ("text", "trigger", "actors", "recipients"),
    [
        ("Putin threatened to attack Kyiv.", "attack", ["putin"], ["ukr-gov"]),
        (
            "Ukraine would cede Crimea to Russia if the West gave security guarantees.",
            "cede",
            ["ukr"],
            ["rus"],
        ),
        ("According to Peskov, the Kremlin rejected the proposal.", "rejected", ["rus-gov"], []),
        (
            "Zelenskyy said his country was ready to negotiate a ceasefire with Moscow.",
            "negotiate",
            ["ukr"],
            ["rus-gov"],
        ),
    ],
)
def test_participants(text: str, trigger: str, actors: list[str], recipients: list[str]) -> None:
    event = _event(text, trigger)
    assert [a.id for a in event.actors] == actors
    assert [r.id for r in event.recipients] == recipients


def test_offered_consultation_is_agree() -> None:
    # PLOVER manual: future or offered CONSULT reduces to AGREE
    event = _event("Zelenskyy said his country was ready to negotiate a ceasefire with Moscow.", "negotiate")
    assert (event.type, event.modality) == ("AGREE", "offered")


def test_condition_span() -> None:
    event = _event("Ukraine would cede Crimea to Russia if the West gave security guarantees.", "cede")
    assert [c.text for c in event.conditions] == ["if the West gave security guarantees"]


@pytest.mark.parametrize(
    ("text", "label", "words"),
    [
        ("Ukraine could temporarily give up the occupied regions.", "temporary", "temporarily"),
        ("Russia must withdraw its troops immediately.", "immediate", "immediately"),
        ("Kyiv will never permanently cede Crimea.", "permanent", "permanently"),
    ],
)
def test_qualifiers(text: str, label: str, words: str) -> None:
    (event,) = [e for e in _events(text) if e.qualifiers]
    assert [(q.label, q.text) for q in event.qualifiers] == [(label, words)]


def test_participle_modifiers_are_not_events() -> None:
    # "occupied territories", "internationally recognized borders" describe states, not events
    events = _events(
        "Ukrainian President Volodymyr Zelenskyy has expressed his willingness to temporarily cede "
        "occupied Ukrainian territories to Russia. Previously, he had maintained that Ukraine would "
        "continue to fight for its internationally recognized borders."
    )
    assert [e.trigger.text for e in events] == ["cede", "fight"]


def test_annexed_by_is_an_event_of_its_agent() -> None:
    event = _event("The four regions were annexed by Moscow in 2022.", "annexed")
    assert event.type == "COERCE"
    assert [a.id for a in event.actors] == ["rus-gov"]


def test_cameo_code_from_the_lexicon() -> None:
    assert _event("Putin threatened to attack Kyiv.", "attack").cameo == "190"


# -- PLOVER gold sentences: one reading per sentence, as the gold standard codes it ----------------

GSR_SAMPLE = Path(__file__).parent / "fixtures" / "plover-gsr-sample.jsonl"
GSR_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
GOLD = [json.loads(line) for line in GSR_SAMPLE.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def gold_readings() -> dict[str, list[Event]]:
    nlp = parley_nlp.load()
    docs = parley_nlp.pipe(nlp, [Article(id=g["id"], text=g["text"]) for g in GOLD])
    return {parley_nlp.article_of(doc).id: primary_events(doc) for doc in docs}


@pytest.mark.parametrize("gold", GOLD, ids=[g["id"].removeprefix("PLOVER-GSR01-") for g in GOLD])
def test_gold_sentence_is_coded_with_its_type(
    gold: dict[str, Any], gold_readings: dict[str, list[Event]]
) -> None:
    expected = GSR_LABELS.get(gold["event"], gold["event"])
    assert {e.type for e in gold_readings[gold["id"]]} == {expected}


def test_the_gold_sample_covers_all_sixteen_types() -> None:
    assert len({GSR_LABELS.get(g["event"], g["event"]) for g in GOLD}) == 16


def _reading(gold_readings: dict[str, list[Event]], suffix: str) -> Event:
    (event,) = gold_readings[f"PLOVER-GSR01-{suffix}"]
    return event


def test_compound_actor_is_two_governments(gold_readings: dict[str, list[Event]]) -> None:
    # "Senior Hungarian and Romanian officials agreed ...": two actors, each its government (GOV).
    event = _reading(gold_readings, "AGREE-0001")
    assert [(a.id, a.text, a.country, a.sector) for a in event.actors] == [
        ("hun-gov", "Hungarian", "HUN", "GOV"),
        ("rou-gov", "Romanian officials", "ROU", "GOV"),
    ]


def test_generic_noun_gives_the_sector(gold_readings: dict[str, list[Event]]) -> None:
    # "Israeli soldiers arrested more than 100 Palestinians"
    event = _reading(gold_readings, "COERCE-0012")
    assert [(a.text, a.country, a.sector) for a in event.actors] == [("Israeli soldiers", "ISR", "MIL")]
    assert [(r.text, r.country) for r in event.recipients] == [("Palestinians", "PSE")]


def test_unless_makes_a_promised_withdrawal_a_threat(gold_readings: dict[str, list[Event]]) -> None:
    # "Nigeria today announced that it will withdraw their peacekeeping force from Chad unless ..."
    event = _reading(gold_readings, "THREATEN-0003")
    assert (event.type, event.trigger.text, event.modality) == ("THREATEN", "withdraw", "conditional")
    assert event.conditions[0].text.startswith("unless President Goukouni Oueddei arranged a ceasefire")
    assert [(a.text, a.country) for a in event.actors] == [("it", "NGA")]


def test_civilians_blocking_a_bridge_protest(gold_readings: dict[str, list[Event]]) -> None:
    event = _reading(gold_readings, "PROTEST-0017")
    assert (event.type, event.trigger.text) == ("PROTEST", "blocked")
    assert [(a.country, a.sector) for a in event.actors] == [("FRA", "LAB")]


def test_joint_exercises_are_cooperation(gold_readings: dict[str, list[Event]]) -> None:
    # Manual, MOBILIZE: joint military operations are COOPERATE.
    event = _reading(gold_readings, "COOPERATE-0003")
    assert [(a.country, a.sector) for a in event.actors] == [("FRA", "MIL"), ("EGY", "MIL")]


def test_cameo_pattern_gives_code_and_mode(gold_readings: dict[str, list[Event]]) -> None:
    # "Serbia eased emergency measures": CAMEO's 081 (ease administrative sanctions), a concession.
    event = _reading(gold_readings, "CONCEDE-0007")
    assert (event.type, event.cameo) == ("CONCEDE", "081")


# -- modality and PLOVER's reductions on constructed sentences -------------------------------------


def _primary(text: str) -> list[tuple[str, str, str]]:
    nlp = parley_nlp.load()
    doc = nlp(parley_nlp.make_doc(nlp, Article(id="t", text=text)))
    return [(e.type, e.trigger.text, e.modality) for e in primary_events(doc)]


@pytest.mark.parametrize(
    ("text", "primary"),
    [
        ("Moscow refused to release the prisoners.", [("REJECT", "refused", "asserted")]),
        ("Zelensky demanded that Russia withdraw its forces.", [("REQUEST", "demanded", "asserted")]),
        ("Putin threatened to attack Kyiv.", [("THREATEN", "threatened", "asserted")]),
        ("Ukraine may be prepared to give up Donbas.", [("CONCEDE", "give up", "offered")]),
        ("Russia has offered to negotiate with Ukraine.", [("AGREE", "negotiate", "offered")]),
        (
            "Russian troops shelled Kharkiv on Tuesday, one day after Ukraine attacked a depot.",
            [("ASSAULT", "shelled", "asserted")],
        ),
        (
            "Poland opened its border to refugees but still refused to admit Russians.",
            [("REJECT", "refused", "asserted")],
        ),
    ],
)
def test_primary_events(text: str, primary: list[tuple[str, str, str]]) -> None:
    assert _primary(text) == primary


@pytest.mark.parametrize(
    ("text", "trigger", "type_", "modality"),
    [
        ("Russia will attack Kharkiv if Ukraine joins NATO.", "attack", "THREATEN", "conditional"),
        ("Ukraine will withdraw its troops from Bakhmut.", "withdraw", "CONCEDE", "intended"),
        ("Russia would not give up Crimea.", "give up", "REJECT", "hypothetical"),
        ("Russia says it will not accept any more refugees.", "accept", "REJECT", "intended"),
        ("The Kremlin will no longer tolerate rallies in Moscow.", "tolerate", "REJECT", "intended"),
    ],
)
def test_future_and_negated_reductions(text: str, trigger: str, type_: str, modality: str) -> None:
    event = _event(text, trigger)
    assert (event.type, event.modality) == (type_, modality)


def test_must_in_someones_words_is_their_demand() -> None:
    event = _event("Russia said on Tuesday that Sudan must return the helicopter.", "return")
    assert (event.type, event.modality) == ("REQUEST", "demanded")
    assert ([a.country for a in event.actors], [r.country for r in event.recipients]) == (["RUS"], ["SDN"])


def test_phrasal_verb_particle_is_required() -> None:
    # "back" alone is not "back down"; only the phrasal verb is a concession.
    assert [e.type for e in _events("Ukraine would not back down from its position.")] == ["REJECT"]


def test_what_a_speaker_says_their_own_side_must_do_is_not_a_demand() -> None:
    event = _event("Putin said that Russia must withdraw its troops.", "withdraw")
    assert (event.type, event.modality, [a.id for a in event.actors]) == ("RETREAT", "demanded", ["rus"])

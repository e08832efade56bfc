"""PLOVER event coding: types, modality, negation, conditions and qualifiers on real sentences."""

from __future__ import annotations

import pytest

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

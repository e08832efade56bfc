"""The seed article, end to end through the real pipeline: what issue 2 says Parley must show."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.model import Analysis, Article, Event, Position, Statement
from parley.pipeline import analyze

SEED = Path(__file__).parents[1] / "examples" / "zelenskyy-ceasefire-territory.txt"


@pytest.fixture(scope="module")
def seed() -> Analysis:
    text = SEED.read_text(encoding="utf-8")
    return analyze(Article(id="seed", text=text, source=str(SEED)))


def _by_cue(analysis: Analysis, cue: str) -> Statement:
    found = [s for s in analysis.statements if s.cue is not None and s.cue.text == cue]
    assert len(found) == 1, [s.cue.text for s in analysis.statements if s.cue]
    return found[0]


def test_three_direct_quotes_by_zelenskyy(seed: Analysis) -> None:
    direct = [s for s in seed.statements if s.kind == "direct"]
    assert [s.text for s in direct] == [
        "I am willing to give up Ukrainian territory to Russia to achieve peace",
        "right now, it has become necessary to end the war and achieve peace",
        "We need to do this and do it fast",
    ]
    assert {s.speaker.actor for s in direct if s.speaker} == {"zelenskyy"}
    assert all(s.speaker is not None for s in direct)


@pytest.mark.parametrize(
    ("quote_start", "venue", "inferred"),
    [
        ("I am willing to give up", "The Telegraph", False),
        ("We need to do this", "Sky News", False),
        ("right now, it has become", "The Telegraph", True),
    ],
)
def test_direct_quote_venues(seed: Analysis, quote_start: str, venue: str, inferred: bool) -> None:
    (statement,) = [s for s in seed.statements if s.text.startswith(quote_start)]
    assert statement.venue is not None
    assert statement.venue.text == venue
    assert statement.venue_inferred is inferred


@pytest.mark.parametrize(
    ("cue", "speaker_text", "kind", "retrospective"),
    [
        ("clarified", "Zelenskyy", "indirect", False),
        ("emphasized", "The President", "indirect", False),
        ("believes", "He", "mixed", False),
        ("maintained", "he", "indirect", True),
        ("pointed out", "He", "indirect", False),
    ],
)
def test_reported_statements_resolve_to_zelenskyy(
    seed: Analysis, cue: str, speaker_text: str, kind: str, retrospective: bool
) -> None:
    statement = _by_cue(seed, cue)
    assert statement.speaker is not None
    assert statement.speaker.text == speaker_text
    assert statement.speaker.actor == "zelenskyy"
    assert statement.kind == kind
    assert statement.retrospective is retrospective


def test_reported_content_without_that(seed: Analysis) -> None:
    assert _by_cue(seed, "emphasized").text == "the surrender of these territories would be temporary"


def test_retrospective_statement_has_no_venue_and_no_date(seed: Analysis) -> None:
    statement = _by_cue(seed, "maintained")
    assert statement.venue is None
    assert statement.said_on is None


def test_pointed_out_carries_sky_news(seed: Analysis) -> None:
    statement = _by_cue(seed, "pointed out")
    assert statement.venue is not None and statement.venue.text == "Sky News"
    assert statement.venue_inferred


def test_scare_quotes_are_not_statements(seed: Analysis) -> None:
    texts = {s.text for s in seed.statements}
    assert "terrible phase" not in texts
    assert "diplomatically" not in texts


def _conditional_concession(seed: Analysis) -> Event:
    found = [e for e in seed.events if e.type == "CONCEDE" and e.modality == "conditional"]
    assert len(found) == 1
    return found[0]


def test_conditional_concession_event(seed: Analysis) -> None:
    event = _conditional_concession(seed)
    assert {a.id for a in event.actors} <= {"ukr", "zelenskyy"} and event.actors
    assert [r.id for r in event.recipients] == ["rus"]
    assert [c.text for c in event.conditions] == ["under the protection of NATO forces"]
    assert [(q.label, q.text) for q in event.qualifiers] == [("temporary", "temporary")]
    assert event.cameo == "080"
    assert event.statement_id == _by_cue(seed, "clarified").id


def test_earlier_refusal_is_historical_reject(seed: Analysis) -> None:
    (event,) = [e for e in seed.events if e.type == "REJECT"]
    assert event.trigger.text == "back down"
    assert event.modality == "historical"
    assert event.statement_id == _by_cue(seed, "maintained").id


def _territory(seed: Analysis, retrospective: bool) -> Position:
    (position,) = [
        p for p in seed.positions if p.issue == "territorial_concession" and p.retrospective is retrospective
    ]
    return position


def test_current_territory_position(seed: Analysis) -> None:
    position = _territory(seed, retrospective=False)
    assert position.actor == "zelenskyy"
    assert position.stance == "conditional"
    assert [c.text for c in position.conditions] == ["under the protection of NATO forces"]
    assert {q.label for q in position.qualifiers} == {"temporary"}
    assert _by_cue(seed, "clarified").id in position.statements


def test_retrospective_territory_position(seed: Analysis) -> None:
    position = _territory(seed, retrospective=True)
    assert position.actor == "zelenskyy"
    assert position.stance == "oppose"
    assert position.statements == (_by_cue(seed, "maintained").id,)


def test_territory_shift(seed: Analysis) -> None:
    (shift,) = seed.shifts
    assert (shift.actor, shift.issue) == ("zelenskyy", "territorial_concession")
    assert (shift.before.stance, shift.after.stance) == ("oppose", "conditional")
    assert (shift.severity, shift.direction) == ("half flip", "softening")
    assert "would not back down" in shift.before.evidence[0].text
    assert any("under the protection of NATO forces" in e.text for e in shift.after.evidence)


def test_conditions_name_what_is_asked_for(seed: Analysis) -> None:
    asked = {p.issue: p.stance for p in seed.positions if not p.retrospective}
    assert asked["security_guarantees"] == "support"
    assert asked["ceasefire"] == "support"


def _spans(record: object) -> list[tuple[str, int, int]]:
    """Every (text, start, end) inside a record, however deep."""
    from parley.model import to_dict

    found: list[tuple[str, int, int]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("start"), int) and isinstance(node.get("text"), str):
                found.append((node["text"], node["start"], node["end"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(to_dict(record))
    return found


def test_every_span_slices_the_article(seed: Analysis) -> None:
    text = seed.article.text
    spans = [
        span
        for records in (seed.statements, seed.events, seed.positions, seed.shifts)
        for record in records
        for span in _spans(record)
    ]
    assert len(spans) > 80
    assert [s for s in spans if text[s[1] : s[2]] != s[0]] == []


def test_ids_are_stable(seed: Analysis) -> None:
    again = analyze(seed.article)
    assert [s.id for s in again.statements] == [s.id for s in seed.statements]
    assert [e.id for e in again.events] == [e.id for e in seed.events]
    assert [p.id for p in again.positions] == [p.id for p in seed.positions]

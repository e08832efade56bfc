"""Shifts: how an actor's position on an issue changed between two positions.

Severity follows PolitiFact's Flip-O-Meter: "full flop" when support turns into opposition or back,
"half flip" for a partial move (to or from a conditional or ambiguous stance), "no flip" otherwise.
Direction is read from the issue's `concession_by`: moving toward support of a proposition that costs
the actor's own side is softening; toward one that costs the other side is hardening.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from parley.knowledge.lexicon import IssueTaxonomy
from parley.model import Direction, Position, Severity, Shift, stable_id

# How far a stance goes toward the issue's proposition.
_TOWARD = {"oppose": 0, "ambiguous": 1, "conditional": 1, "support": 2}


def severity(before: str, after: str) -> Severity:
    """Return the Flip-O-Meter severity of a move from stance ``before`` to ``after``."""
    if before == after:
        return "no flip"
    if {before, after} == {"support", "oppose"}:
        return "full flop"
    return "half flip"


def direction(before: str, after: str, concession_by: str, side: str | None) -> Direction:
    """Return "softening", "hardening" or "unchanged" for a move of the given side's actor."""
    step = _TOWARD[after] - _TOWARD[before]
    if step == 0:
        return "unchanged"
    costs_own_side = concession_by == "both" or side is None or side == concession_by
    return "softening" if (step > 0) == costs_own_side else "hardening"


def shift_between(
    before: Position,
    after: Position,
    taxonomy: IssueTaxonomy,
    country_of: Callable[[str], str | None],
) -> Shift | None:
    """Return the shift from ``before`` to ``after`` (same actor and issue), None if no change."""
    if before.stance == after.stance:
        return None
    issue = taxonomy.issues[after.issue]
    side = taxonomy.side_of(country_of(after.actor))
    return Shift(
        id=stable_id("sh", before.id, after.id),
        actor=after.actor,
        issue=after.issue,
        before=before,
        after=after,
        severity=severity(before.stance, after.stance),
        direction=direction(before.stance, after.stance, issue.concession_by, side),
    )


def shifts_within(
    positions: Iterable[Position], taxonomy: IssueTaxonomy, country_of: Callable[[str], str | None]
) -> list[Shift]:
    """Return the shifts one article reports: an earlier stance against the current one."""
    earlier = {(p.actor, p.issue): p for p in positions if p.retrospective}
    found = []
    for current in positions:
        if current.retrospective or (current.actor, current.issue) not in earlier:
            continue
        shift = shift_between(earlier[(current.actor, current.issue)], current, taxonomy, country_of)
        if shift is not None:
            found.append(shift)
    return found

"""The negotiation map: parties x issues at a date, each cell the latest position with its evidence,
each row marked with where the parties stand relative to each other.

Issues are propositions ("Ukraine takes a neutral, non-aligned status"), so two parties' stances on a
row compare directly:

- ``overlap``: they agree (both support it, or both oppose it);
- ``conditional``: both accept it, at least one only on conditions: an agreement is within reach if
  the conditions are met;
- ``open``: one is open or ambiguous and no one opposes what the other supports;
- ``gap``: one supports (or accepts on conditions) what the other opposes;
- ``unknown``: a party has taken no position on it yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from parley.analysis.timeline import TimelinePoint, latest, timeline
from parley.knowledge.lexicon import Issue, IssueTaxonomy
from parley.model import Position, Stance

Mark = Literal["overlap", "conditional", "open", "gap", "unknown"]


@dataclass(frozen=True)
class Cell:
    """One party's latest stance on one issue, with the day it was taken and its positions."""

    party: str
    issue: str
    point: TimelinePoint | None

    @property
    def stance(self) -> Stance | None:
        """The stance, None when the party has taken none."""
        return None if self.point is None else self.point.stance


@dataclass(frozen=True)
class Row:
    """One issue of the map: a cell per party and the mark between them."""

    issue: Issue
    cells: tuple[Cell, ...]
    mark: Mark


@dataclass(frozen=True)
class NegotiationMap:
    """Parties x issues on a date."""

    at: dt.date
    parties: tuple[str, ...]
    rows: tuple[Row, ...]


def mark(stances: Sequence[Stance | None]) -> Mark:
    """Return where parties with these stances stand relative to each other (see the module doc)."""
    if any(s is None for s in stances) or not stances:
        return "unknown"
    accept = {"support", "conditional"}
    if any(s in accept for s in stances) and "oppose" in stances:
        return "gap"
    if all(s == "support" for s in stances) or all(s == "oppose" for s in stances):
        return "overlap"
    if all(s in accept for s in stances):
        return "conditional"
    return "open"


def negotiation_map(
    positions: Mapping[str, Sequence[Position]],
    taxonomy: IssueTaxonomy,
    at: dt.date,
    issues: Sequence[str] | None = None,
    *,
    known_only: bool = False,
) -> NegotiationMap:
    """Return the map of the parties in ``positions`` (party -> its positions) on ``at``.

    Each cell is the party's last timeline point on or before ``at``. ``issues`` (ids) picks and
    orders the rows (default: the taxonomy's order); ``known_only`` leaves out rows where no party
    has a position.
    """
    parties = tuple(positions)
    lines = {party: _timelines_by_issue(found) for party, found in positions.items()}
    rows = []
    for issue_id in issues or list(taxonomy.issues):
        cells = tuple(Cell(party, issue_id, latest(lines[party].get(issue_id, []), at)) for party in parties)
        if known_only and all(c.point is None for c in cells):
            continue
        rows.append(Row(taxonomy.issues[issue_id], cells, mark([c.stance for c in cells])))
    return NegotiationMap(at, parties, tuple(rows))


def _timelines_by_issue(positions: Sequence[Position]) -> dict[str, list[TimelinePoint]]:
    by_issue: dict[str, list[Position]] = {}
    for position in positions:
        by_issue.setdefault(position.issue, []).append(position)
    return {issue: timeline(found) for issue, found in by_issue.items()}

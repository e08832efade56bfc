"""Timelines: the positions of an actor (or a party) on an issue, day by day, across the store.

A timeline point is one day: the positions taken that day (from every article that reports them) and
their combined stance. Retrospective positions ("previously he had maintained ...") and undated ones
are left out: they say nothing about *when* the stance was held, and the in-article shifts already
compare them with the current stance.

A *party* is an actor id that stands for more than one speaker: a state's id (``ukr``) takes in every
actor of that state in the actor base (its government, president, ministers, negotiators), so that
``--actor ukr`` reads what Ukraine's side says, whoever says it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from parley.extract.positions import combine_stances
from parley.knowledge.actors import ActorBase
from parley.model import Analysis, Article, Position, Stance, to_dict


class AnalysisSource(Protocol):
    """What positions are read again from: the store's articles and analyses."""

    def articles(self) -> list[Article]: ...

    def analysis(self, article_id: str) -> Analysis | None: ...


class PositionSource(Protocol):
    """What a timeline reads from: the store's position query (``Store.positions``)."""

    def positions(
        self,
        actor: str | None = None,
        issue: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[Position]: ...


@dataclass(frozen=True)
class TimelinePoint:
    """One day of a timeline: the day's positions and their combined stance."""

    day: dt.date
    stance: Stance
    positions: tuple[Position, ...]

    @property
    def evidence(self) -> Position:
        """The position whose evidence shows the day's stance best: the first with that stance."""
        return next((p for p in self.positions if p.stance == self.stance), self.positions[0])


def party_members(party: str, base: ActorBase) -> frozenset[str]:
    """Return the actor ids ``party`` stands for: a state's id takes in every actor of that state but
    its armed groups (the DPR and LPR are coded UKR, yet do not speak for Ukraine); any other id
    stands for itself."""
    known = base.get(party)
    if known is None or known.kind != "state" or known.country is None:
        return frozenset({party})
    return frozenset(
        {party} | {a.id for a in base if a.kind != "armed group" and base.state_of(a.id) == known.country}
    )


def select(
    source: PositionSource,
    *,
    actor: str | None = None,
    issue: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    base: ActorBase | None = None,
) -> list[Position]:
    """Return the stored positions of ``actor`` (a party when ``base`` is given) on ``issue`` whose
    ``as_of`` falls between ``since`` and ``until`` (inclusive), in store order."""
    members = party_members(actor, base) if actor is not None and base is not None else None
    if members is not None and len(members) == 1:
        return source.positions(actor=actor, issue=issue, since=since, until=until)
    found = source.positions(issue=issue, since=since, until=until)
    return [p for p in found if members is None or p.actor in members]


def timeline(positions: Iterable[Position]) -> list[TimelinePoint]:
    """Return the dated, current (not retrospective) positions as one point per day, oldest first.

    The positions should be those of one actor (or party) on one issue.
    """
    days: dict[dt.date, list[Position]] = {}
    for position in positions:
        if position.retrospective or position.as_of is None:
            continue
        days.setdefault(position.as_of, []).append(position)
    return [
        TimelinePoint(day, combine_stances(p.stance for p in found), tuple(found))
        for day, found in sorted(days.items())
    ]


def timelines(
    positions: Iterable[Position], key: Callable[[str], str] | None = None
) -> dict[tuple[str, str], list[TimelinePoint]]:
    """Return one timeline per (actor, issue); ``key`` maps a position's actor to the party it counts
    for (default: the actor itself)."""
    grouped: dict[tuple[str, str], list[Position]] = {}
    for position in positions:
        who = key(position.actor) if key is not None else position.actor
        grouped.setdefault((who, position.issue), []).append(position)
    return {k: timeline(found) for k, found in sorted(grouped.items())}


def position_record(position: Position, article: Article | None) -> dict[str, Any]:
    """Return the JSON row of a position (the ``parley positions --format jsonl`` contract).

    Keys: ``id, actor, issue, stance, summary, conditions, qualifiers, as_of, retrospective,
    statements, evidence``; each evidence item is ``{article, url, text, start, end}``.
    """
    return {
        "id": position.id,
        "actor": position.actor,
        "issue": position.issue,
        "stance": position.stance,
        "summary": position.summary,
        "conditions": to_dict(position.conditions),
        "qualifiers": to_dict(position.qualifiers),
        "as_of": None if position.as_of is None else position.as_of.isoformat(),
        "retrospective": position.retrospective,
        "statements": list(position.statements),
        "evidence": [
            {
                "article": position.article_id,
                "url": None if article is None else article.url,
                "text": span.text,
                "start": span.start,
                "end": span.end,
            }
            for span in position.evidence
        ],
    }


def latest(points: Sequence[TimelinePoint], at: dt.date) -> TimelinePoint | None:
    """Return the last point of a timeline on or before ``at``, None when there is none."""
    found = [p for p in points if p.day <= at]
    return found[-1] if found else None


def reread(source: AnalysisSource, read: Callable[[Analysis], list[Position]]) -> list[Position]:
    """Return the positions of every stored article read again by ``read`` (e.g. with another
    taxonomy: ``lambda a: read_positions(a, load_issues(path))``), in store order."""
    found: list[Position] = []
    for article in source.articles():
        analysis = source.analysis(article.id)
        if analysis is not None:
            found += read(analysis)
    return found


def within(
    positions: Iterable[Position],
    *,
    members: frozenset[str] | None = None,
    issue: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[Position]:
    """Return the positions of ``members`` on ``issue`` with ``as_of`` between ``since`` and
    ``until`` (inclusive; a date filter leaves out undated positions), in the order given."""
    return [
        p
        for p in positions
        if (members is None or p.actor in members)
        and (issue is None or p.issue == issue)
        and (since is None or (p.as_of is not None and p.as_of >= since))
        and (until is None or (p.as_of is not None and p.as_of <= until))
    ]

"""Shifts: how an actor's position on an issue changed between two positions.

Severity follows PolitiFact's Flip-O-Meter: "full flop" when support turns into opposition or back,
"half flip" for a partial move (to or from a conditional or ambiguous stance), "no flip" otherwise.
Direction is read from the issue's `concession_by`: moving toward support of a proposition that costs
the actor's own side is softening; toward one that costs the other side is hardening.

Two kinds of shift:
- within one article (:func:`shifts_within`): the article reports an earlier stance ("previously he
  had maintained ...") next to the current one;
- across articles (:func:`detect`): consecutive days of an actor's timeline on an issue. One
  statement read wrongly (or a one-off remark) would make two false shifts, there and back, so the
  default method, ``blip``, reports every change of stance except a one-off one: a stance that one
  position shows and that the actor leaves again for the stance before it within 14 days. A change
  nothing has contradicted yet (the latest) is reported. ``pelt`` looks for change points in the
  stance series (``ruptures`` PELT, l2 cost, segments of at least two days); ``confirm`` counts a new
  stance once a second position shows it; ``naive`` reports every change. docs/quality.md has their
  scores on the dev labels and their reversal rates on the whole primary corpus.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import pairwise
from typing import Literal

from parley.analysis.timeline import TimelinePoint, timelines
from parley.knowledge.lexicon import IssueTaxonomy
from parley.model import Direction, Position, Severity, Shift, Stance, stable_id
from parley.store.base import Store, TimelineState

Method = Literal["pelt", "confirm", "blip", "naive"]
METHODS: tuple[Method, ...] = ("pelt", "confirm", "blip", "naive")
# ``blip``: a stance one position shows, left again for the stance before it within this many days,
# is a one-off reading, not a move.
BLIP_DAYS = 14
# The method of ``parley shifts``, the web UI and the stored shifts; docs/quality.md has why.
DEFAULT_METHOD: Method = "blip"
# Where a stance lies between opposing (0) and supporting (2) the proposition, for change points:
# accepting on conditions is nearer support than an open, undecided stance.
_LEVEL = {"oppose": 0.0, "ambiguous": 1.0, "conditional": 1.5, "support": 2.0}

# How far a stance goes toward the issue's proposition (as for change points: accepting on
# conditions goes further than an open, undecided stance, so that move has a direction too).
_TOWARD = {"oppose": 0.0, "ambiguous": 1.0, "conditional": 1.5, "support": 2.0}


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


def detect(
    actor: str,
    issue: str,
    points: Sequence[TimelinePoint],
    taxonomy: IssueTaxonomy,
    country_of: Callable[[str], str | None],
    *,
    method: Method = DEFAULT_METHOD,
    confirm: int = 2,
    penalty: float = 0.5,
    min_size: int = 2,
) -> list[Shift]:
    """Return the shifts in one timeline of ``actor`` (an actor or a party) on ``issue``.

    ``confirm``: positions a new stance needs (on consecutive days, one per article) before it counts;
    the stance the timeline starts with needs one. ``penalty`` and ``min_size``: PELT's penalty and
    shortest segment, in days. A shift's ``before`` is the last position of the old stance, its
    ``after`` the first of the new one.

    Raises:
        ValueError: for an unknown method or a ``confirm`` or ``min_size`` below 1.
    """
    runs = _held_runs(points, method, confirm, penalty, min_size)
    issue_ = taxonomy.issues[issue]
    side = taxonomy.side_of(country_of(actor))
    found = []
    for (old, old_points), (new, new_points) in pairwise(runs):
        before = _with_stance(old_points, old, last=True)
        after = _with_stance(new_points, new)
        found.append(
            Shift(
                id=stable_id("sh", actor, before.id, after.id),
                actor=actor,
                issue=issue,
                before=before,
                after=after,
                severity=severity(old, new),
                direction=direction(old, new, issue_.concession_by, side),
            )
        )
    return found


def held(
    points: Sequence[TimelinePoint],
    *,
    method: Method = DEFAULT_METHOD,
    confirm: int = 2,
    penalty: float = 0.5,
    min_size: int = 2,
) -> list[tuple[dt.date, Stance]]:
    """Return, for each day of a timeline, the stance the method holds the actor to then.

    With ``naive`` it is the day's own stance; with ``confirm`` a one-off stance is not held; with
    ``pelt`` each day gets its segment's stance.

    Raises:
        ValueError: for an unknown method or a ``confirm`` or ``min_size`` below 1.
    """
    runs = _held_runs(points, method, confirm, penalty, min_size)
    starts = [(run_points[0].day, stance) for stance, run_points in runs]
    out: list[tuple[dt.date, Stance]] = []
    for point in points:
        current = [stance for day, stance in starts if day <= point.day]
        if current:
            out.append((point.day, current[-1]))
    return out


def _held_runs(
    points: Sequence[TimelinePoint], method: Method, confirm: int, penalty: float, min_size: int
) -> list[tuple[Stance, list[TimelinePoint]]]:
    if confirm < 1 or min_size < 1:
        raise ValueError("confirm and min_size must be at least 1")
    if method == "naive":
        return _runs(points, 1)
    if method == "confirm":
        return _runs(points, confirm)
    if method == "blip":
        return _without_blips(_runs(points, 1), BLIP_DAYS)
    if method == "pelt":
        return _segments(points, penalty, min_size)
    raise ValueError(f"unknown shift method {method!r}; use one of {', '.join(METHODS)}")


def _with_stance(points: Sequence[TimelinePoint], stance: str, *, last: bool = False) -> Position:
    """The first (or last) position with ``stance`` among the points' positions."""
    candidates = [p for point in points for p in point.positions]
    if last:
        candidates.reverse()
    return next((p for p in candidates if p.stance == stance), candidates[0])


def _runs(points: Sequence[TimelinePoint], confirm: int) -> list[tuple[Stance, list[TimelinePoint]]]:
    """The stances the timeline holds, each with its points, a new one counted once ``confirm``
    positions on consecutive days show it."""
    runs: list[tuple[Stance, list[TimelinePoint]]] = []
    candidate: list[TimelinePoint] = []
    for point in points:
        if not runs:
            runs.append((point.stance, [point]))
            continue
        held, held_points = runs[-1]
        if point.stance == held:
            held_points.append(point)
            candidate = []
            continue
        if candidate and candidate[0].stance != point.stance:
            candidate = []
        candidate.append(point)
        support = sum(1 for c in candidate for p in c.positions if p.stance == point.stance)
        if support >= confirm:
            runs.append((point.stance, candidate))
            candidate = []
    return runs


def _without_blips(
    runs: list[tuple[Stance, list[TimelinePoint]]], days: int
) -> list[tuple[Stance, list[TimelinePoint]]]:
    """The runs with every one-off stance dropped: a run that one position shows, between two runs of
    the same stance, the later starting within ``days`` days of it. Its neighbours merge into one
    run (the blip's points join them). A change nothing has contradicted yet, such as the last one
    of a timeline, stays."""
    runs = [(stance, list(run_points)) for stance, run_points in runs]
    i = 1
    while i < len(runs) - 1:
        (before, before_points), (stance, run_points), (after, after_points) = runs[i - 1 : i + 2]
        support = sum(1 for point in run_points for p in point.positions if p.stance == stance)
        back_within = (after_points[0].day - run_points[-1].day).days <= days
        if before == after and support == 1 and back_within:
            runs[i - 1 : i + 2] = [(before, before_points + run_points + after_points)]
            i = max(1, i - 1)
        else:
            i += 1
    return runs


def _segments(
    points: Sequence[TimelinePoint], penalty: float, min_size: int
) -> list[tuple[Stance, list[TimelinePoint]]]:
    """The stances of the segments PELT finds in the stance series, equal neighbours merged."""
    if not points:
        return []
    ends = [len(points)]
    if len(points) >= 2 * min_size:
        import numpy as np
        import ruptures  # type: ignore[import-untyped]

        signal = np.array([[_LEVEL[p.stance]] for p in points])
        ends = list(ruptures.Pelt(model="l2", min_size=min_size, jump=1).fit(signal).predict(pen=penalty))
    runs: list[tuple[Stance, list[TimelinePoint]]] = []
    start = 0
    for end in ends:
        segment = list(points[start:end])
        start = end
        stance = _mode([p.stance for p in segment])
        if runs and runs[-1][0] == stance:
            runs[-1][1].extend(segment)
        else:
            runs.append((stance, segment))
    return runs


def _mode(stances: list[Stance]) -> Stance:
    """The most frequent stance; among equally frequent ones, the one seen last."""
    counts = Counter(stances)
    top = max(counts.values())
    return next(s for s in reversed(stances) if counts[s] == top)


def find_shifts(
    positions: Iterable[Position],
    taxonomy: IssueTaxonomy,
    country_of: Callable[[str], str | None],
    *,
    method: Method = DEFAULT_METHOD,
    party_of: Callable[[str], str] | None = None,
    confirm: int = 2,
    penalty: float = 0.5,
    min_size: int = 2,
) -> list[Shift]:
    """Return every shift the positions show: within each article (an earlier stance it reports against
    the current one) and across articles (each actor's timeline on each issue, by ``method``).

    ``party_of`` maps an actor to the party its positions count for in timelines (default: itself).
    Ordered by the day of the new stance (undated last), then actor and issue.

    Raises:
        ValueError: for an unknown method or a ``confirm`` or ``min_size`` below 1.
    """
    found = list(positions)
    by_article: dict[str, list[Position]] = {}
    for position in found:
        by_article.setdefault(position.article_id, []).append(position)
    shifts = [s for group in by_article.values() for s in shifts_within(group, taxonomy, country_of)]
    for (actor, issue), points in timelines(found, party_of).items():
        if issue in taxonomy.issues:
            shifts += detect(
                actor,
                issue,
                points,
                taxonomy,
                country_of,
                method=method,
                confirm=confirm,
                penalty=penalty,
                min_size=min_size,
            )
    return sorted(shifts, key=shift_order)


def shift_order(shift: Shift) -> tuple[bool, dt.date, str, str, str]:
    """Return the sort key of shifts: the day of the new stance (undated last), actor, issue, id."""
    # The id last: shifts of one actor and issue on the same day (two articles, or within and
    # across articles) come in the same order however the positions were grouped, so the shifts
    # stored per timeline list exactly as find_shifts over the whole store does.
    day = shift.after.as_of
    return day is None, day or dt.date.min, shift.actor, shift.issue, shift.id


# Stored shifts (the store's ``timelines`` and ``timeline_shifts`` tables): what find_shifts finds
# with the default method for each (actor, issue) over all its positions, kept so that readers
# (the web UI's actor page, ``parley shifts``) need not search a long history on each view.
# Bump when detection changes: every stored shift is then found again at the next refresh.
DETECTION_VERSION = 3


def stored_key(
    actor: str, issue: str, taxonomy: IssueTaxonomy, country_of: Callable[[str], str | None]
) -> str:
    """Return what the shifts of ``actor`` on ``issue`` depend on besides its positions: the default
    method and its settings, the issue's ``concession_by`` and the actor's side (which make the
    direction), and :data:`DETECTION_VERSION`. Stored shifts with another key are not used.

    Raises:
        KeyError: when ``issue`` is not in the taxonomy.
    """
    side = taxonomy.side_of(country_of(actor))
    return json.dumps(
        [DETECTION_VERSION, DEFAULT_METHOD, BLIP_DAYS, taxonomy.issues[issue].concession_by, side],
        separators=(",", ":"),
    )


def usable(state: TimelineState, taxonomy: IssueTaxonomy, country_of: Callable[[str], str | None]) -> bool:
    """Return True when the shifts stored for ``state``'s timeline are those of its positions now,
    found with today's method and knowledge (see :func:`stored_key`)."""
    return (
        state.current
        and state.issue in taxonomy.issues
        and state.shifts_key == stored_key(state.actor, state.issue, taxonomy, country_of)
    )


def refresh_stored(store: Store, taxonomy: IssueTaxonomy, country_of: Callable[[str], str | None]) -> int:
    """Find again the shifts of every timeline whose stored shifts are not :func:`usable` (its
    positions changed, or the method or knowledge did) and store them; return how many were stored.

    Each timeline is read and written on its own; one whose positions change while its shifts are
    found is left stale (the store refuses the write) for the next refresh. Timelines on issues the
    taxonomy does not know are left as they are: readers find their shifts on demand.

    Raises:
        StoreError: when the store cannot be read or written.
    """
    stored = 0
    for state in store.timelines():
        if state.issue not in taxonomy.issues or usable(state, taxonomy, country_of):
            continue
        # The state was read before the positions: a change in between makes the write a no-op.
        positions = store.positions(actor=state.actor, issue=state.issue)
        found = find_shifts(positions, taxonomy, country_of)
        key = stored_key(state.actor, state.issue, taxonomy, country_of)
        stored += store.save_timeline_shifts(state, key, found)
    return stored


def shifts_in_store(
    store: Store,
    taxonomy: IssueTaxonomy,
    country_of: Callable[[str], str | None],
    *,
    actor: str | None = None,
    issue: str | None = None,
) -> list[Shift]:
    """Return the shifts of ``actor`` on ``issue`` (None: all) over the store's whole history with the
    default method: the same list, in the same order, as :func:`find_shifts` over the store's
    positions (of the actor and issue), read from the stored shifts where they are
    :func:`usable` and found on demand for the other timelines.

    Raises:
        StoreError: when the store cannot be read.
    """
    found: list[Shift] = []
    for state in store.timelines(actor, issue, with_shifts=True):
        if state.issue not in taxonomy.issues:
            continue
        if usable(state, taxonomy, country_of):
            found += state.shifts
        else:
            positions = store.positions(actor=state.actor, issue=state.issue)
            found += find_shifts(positions, taxonomy, country_of)
    return sorted(found, key=shift_order)


def reversals(shifts: Iterable[Shift], days: int = 14) -> int:
    """Return how many shifts are undone within ``days`` by the next shift of the same actor on the same
    issue (A → B, then B → A): the mark of a one-off reading rather than a change of position."""
    by_key: dict[tuple[str, str], list[Shift]] = {}
    for shift in shifts:
        if shift.after.as_of is not None:
            by_key.setdefault((shift.actor, shift.issue), []).append(shift)
    count = 0
    for found in by_key.values():
        found.sort(key=shift_order)
        for first, second in pairwise(found):
            assert first.after.as_of is not None and second.after.as_of is not None
            back = second.after.stance == first.before.stance
            count += back and (second.after.as_of - first.after.as_of).days <= days
    return count

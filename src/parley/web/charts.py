"""Vega-Lite specifications of the actor page: one timeline per issue, stance over time.

Each chart plots the actor's positions on one issue (the y axis is the stance, from oppose to
support), a line through the current ones, the earlier stances an article reports as hollow
points at that article's date, and each shift as a rule at the date of its later position. Every
point and rule carries the URL of its evidence, which the page loads when it is clicked.

The specs are plain dicts: the template writes them with ``tojson``, which escapes ``<``, ``>``
and ``&``, so article text in a tooltip cannot end the script element that holds the spec.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

from parley.model import Shift
from parley.web.queries import PositionRow, ShiftRow

# Bottom to top: the further up, the closer to accepting the proposition.
STANCE_ORDER = ["oppose", "ambiguous", "conditional", "support"]
# Beyond this many dates an issue's chart draws one point per stance and stretch of days.
MOST_POINTS = 100
# The table under a chart lists this many of the latest positions and shifts.
TABLE_ROWS = 20
STANCE_COLOURS = ["#b2182b", "#878787", "#e08214", "#1a9850"]
DIRECTION_COLOURS = {"softening": "#1a9850", "hardening": "#b2182b", "unchanged": "#878787"}
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


@dataclass(frozen=True)
class Timeline:
    """One issue of the actor page: its chart spec as JSON, the latest rows for the table under it,
    and counts. It keeps only what the page shows: an actor's page is cached with it, and a
    prolific speaker's history is tens of thousands of rows (kept, they would also make every full
    garbage collection of the server slower)."""

    issue: str
    label: str
    # The spec as JSON safe inside a ``<script>`` element (``<``, ``>``, ``&`` and ``'`` escaped,
    # as Jinja's ``tojson`` does); None when no position is dated (no chart).
    spec_json: Markup | None
    # The latest TABLE_ROWS positions and shifts, newest first.
    table_positions: list[PositionRow]
    table_shifts: list[ShiftRow]
    position_count: int
    shift_count: int
    undated_count: int

    @classmethod
    def of(
        cls,
        issue: str,
        label: str,
        spec: dict[str, Any],
        positions: Sequence[PositionRow],
        shifts: Sequence[ShiftRow],
    ) -> Timeline:
        """Return the timeline of one issue from its chart spec (empty: none), positions and shifts."""
        return cls(
            issue=issue,
            label=label,
            spec_json=htmlsafe_json_dumps(spec) if spec else None,
            table_positions=list(positions[::-1][:TABLE_ROWS]),
            table_shifts=list(shifts[::-1][:TABLE_ROWS]),
            position_count=len(positions),
            shift_count=len(shifts),
            undated_count=sum(1 for row in positions if row.day is None),
        )

    @property
    def unlisted(self) -> int:
        """How many positions and shifts the table leaves out."""
        return self.position_count + self.shift_count - len(self.table_positions) - len(self.table_shifts)


def _datetime(day: dt.date) -> dict[str, Any]:
    """Return Vega-Lite's DateTime object for a date at UTC midnight.

    A DateTime, not a timestamp: Vega-Lite 5 compiles a temporal domain of timestamps into a signal
    that evaluates to null.
    """
    return {"year": day.year, "month": day.month, "date": day.day, "utc": True}


def _within(row: ShiftRow) -> bool:
    return row.shift.before.article_id == row.shift.after.article_id


def position_url(position_id: str) -> str:
    """Return the URL of a position's evidence."""
    return "/positions/" + quote(position_id)


def shift_url(shift: Shift) -> str:
    """Return the URL of a shift's evidence: its two positions (shifts across articles are found
    when the page is drawn, not stored, so a shift is named by the positions it joins)."""
    return "/shift?" + urlencode({"before": shift.before.id, "after": shift.after.id})


def _buckets(days: Sequence[dt.date], most: int) -> Callable[[dt.date], dt.date]:
    """Return a function mapping a day to the first day of its bucket, with at most about ``most``
    buckets over ``days`` (one bucket per day when the days are few)."""
    first, last = min(days), max(days)
    width = max(1, math.ceil(((last - first).days + 1) / most))
    if len(set(days)) <= most or width == 1:
        return lambda day: day
    return lambda day: first + dt.timedelta(days=(day - first).days // width * width)


def _point(rows: Sequence[PositionRow], day: dt.date) -> dict[str, Any]:
    """One chart point for one or more positions of the same stance and kind in the same bucket;
    the evidence is the latest one's."""
    latest = rows[-1]
    count = len(rows)
    point = {
        "date": day.isoformat(),
        "stance": latest.position.stance,
        "kind": "earlier stance (as reported)" if latest.position.retrospective else "position",
        "count": count,
        "evidence": position_url(latest.position.id),
    }
    if count == 1:
        point["summary"] = _short(latest.position.summary)
        point["source"] = _short(latest.article.title or latest.article.outlet or latest.article.id)
    else:
        point["summary"] = f"{count} positions from here on, until the next point; evidence: the latest"
    return point


def _short(text: str, most: int = 160) -> str:
    """The text cut to ``most`` characters (tooltips, not evidence: the evidence panel has it whole)."""
    return text if len(text) <= most else text[: most - 1] + "…"


def _shift_mark(rows: Sequence[ShiftRow], day: dt.date) -> dict[str, Any]:
    """One chart marker for one or more shifts in the same bucket; the evidence is the latest one's."""
    latest = rows[-1]
    shift = latest.shift
    return {
        "kind": "within one article" if _within(latest) else "across articles",
        "date": day.isoformat(),
        "change": f"{shift.before.stance} → {shift.after.stance}"
        + ("" if len(rows) == 1 else f" (latest of {len(rows)} shifts)"),
        "severity": shift.severity,
        "direction": shift.direction,
        "evidence": shift_url(shift),
    }


# Positions of one issue drawn as one point: same stretch of days, stance and kind (earlier or not).
PointKey = tuple[dt.date, str, bool]


@dataclass
class _Groups:
    """The dated positions of one issue grouped into chart points."""

    bucket: Callable[[dt.date], dt.date]
    points: dict[PointKey, list[PositionRow]]
    first: dt.date
    last: dt.date


def _group(positions: Sequence[PositionRow]) -> _Groups:
    """Group dated positions into the points of their chart (see :func:`timeline_spec`)."""
    days = [row.day for row in positions if row.day is not None]
    bucket = _buckets(days, MOST_POINTS)
    points: dict[PointKey, list[PositionRow]] = {}
    for row, day in zip((row for row in positions if row.day is not None), days, strict=True):
        points.setdefault((bucket(day), row.position.stance, row.position.retrospective), []).append(row)
    return _Groups(bucket, points, min(days), max(days))


def timeline_spec(
    positions: Sequence[PositionRow], shifts: Sequence[ShiftRow], title: str, groups: _Groups | None = None
) -> dict[str, Any]:
    """Return the Vega-Lite spec of one issue's timeline from its dated positions and shifts.

    Up to :data:`MOST_POINTS` dates are drawn one point per position; beyond, positions of the same
    stance in the same stretch of days are drawn as one point (its size their number), and shifts
    likewise, so that a speaker with years of statements gives a chart a browser can draw.
    ``groups``: the positions already grouped (by :func:`_group`).
    """
    if groups is None:
        groups = _group(positions)
    bucket, grouped = groups.bucket, groups.points
    points = [_point(rows, day) for (day, _, _), rows in sorted(grouped.items(), key=lambda kv: kv[0][0])]
    shift_groups: dict[tuple[dt.date, str], list[ShiftRow]] = {}
    for shift in shifts:
        if shift.day is not None:
            shift_groups.setdefault((bucket(shift.day), shift.shift.direction), []).append(shift)
    marks = [
        _shift_mark(rows, day) for (day, _), rows in sorted(shift_groups.items(), key=lambda kv: kv[0][0])
    ]
    first, last = groups.first, groups.last
    # A single date would give the time scale no width; pad so points sit inside the plot.
    pad = max(dt.timedelta(days=7), (last - first) / 20)
    x = {
        "field": "date",
        "type": "temporal",
        "title": None,
        "scale": {"type": "utc", "domain": [_datetime(first - pad), _datetime(last + pad)]},
        "axis": {"format": "%Y-%m-%d", "labelAngle": 0, "tickCount": 6},
    }
    y = {
        "field": "stance",
        "type": "ordinal",
        "title": None,
        "scale": {"domain": STANCE_ORDER, "reverse": True},
        "axis": {"labelPadding": 6},
    }
    layers: list[dict[str, Any]] = []
    current = [p for p in points if p["kind"] == "position"]
    if len(current) > 1:
        # The stance holds until the next position: a step line, not a slope between dates.
        layers.append(
            {
                "data": {"name": "positions"},
                "transform": [{"filter": "datum.kind === 'position'"}],
                "mark": {"type": "line", "interpolate": "step-after", "color": "#9aa5b1", "strokeWidth": 1.5},
                "encoding": {"y": y},
            }
        )
    if marks:
        # Both shift layers (the rule and the marker under it) are coloured by direction alike.
        shift_colour = {
            "field": "direction",
            "type": "nominal",
            "scale": {"domain": list(DIRECTION_COLOURS), "range": list(DIRECTION_COLOURS.values())},
            "legend": None,
        }
        layers.append(
            {
                "data": {"name": "shifts"},
                "mark": {"type": "rule", "strokeWidth": 3, "strokeDash": [4, 3], "cursor": "pointer"},
                "encoding": {
                    "color": shift_colour,
                    "tooltip": [
                        {"field": "change", "title": "shift"},
                        {"field": "severity"},
                        {"field": "direction"},
                        {"field": "kind"},
                        {"field": "date", "type": "temporal", "format": "%Y-%m-%d", "scale": {"type": "utc"}},
                    ],
                },
            }
        )
        layers.append(
            {
                "data": {"name": "shifts"},
                "mark": {
                    "type": "point",
                    "shape": "triangle-down",
                    "size": 160,
                    "filled": True,
                    "cursor": "pointer",
                },
                "encoding": {
                    "y": {"value": 0},
                    "color": shift_colour,
                    "tooltip": [
                        {"field": "change", "title": "shift"},
                        {"field": "severity"},
                        {"field": "direction"},
                    ],
                },
            }
        )
    layers.append(
        {
            "data": {"name": "positions"},
            "mark": {"type": "point", "strokeWidth": 2, "cursor": "pointer", "opacity": 1},
            "encoding": {
                "y": y,
                "size": {
                    "field": "count",
                    "type": "quantitative",
                    "scale": {"range": [110, 600]},
                    "legend": None,
                }
                if any(p["count"] > 1 for p in points)
                else {"value": 110},
                "color": {
                    "field": "stance",
                    "type": "nominal",
                    "scale": {"domain": STANCE_ORDER, "range": STANCE_COLOURS},
                    "legend": None,
                },
                # Hollow points are earlier stances the article reports, dated by the article.
                "fill": {
                    "condition": {
                        "test": "datum.kind === 'position'",
                        "field": "stance",
                        "type": "nominal",
                        "scale": {"domain": STANCE_ORDER, "range": STANCE_COLOURS},
                        "legend": None,
                    },
                    "value": "white",
                },
                "tooltip": [
                    {"field": "stance"},
                    {"field": "kind"},
                    {"field": "date", "type": "temporal", "format": "%Y-%m-%d", "scale": {"type": "utc"}},
                    {"field": "summary"},
                    {"field": "source"},
                ],
            },
        }
    )
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": title,
        "width": "container",
        "height": 130,
        "autosize": {"type": "fit-x", "contains": "padding"},
        # Each dataset once, named by the layers that draw it.
        "datasets": {"positions": points, "shifts": marks},
        # x is shared: a scale domain given in several layers is unioned into a broken one.
        "encoding": {"x": x},
        "layer": layers,
        # Shift markers are coloured by direction, points by stance: two colour scales.
        "resolve": {"scale": {"color": "independent"}},
        "config": {
            "view": {"stroke": "#e4e7eb"},
            "axis": {"labelFont": "system-ui, sans-serif", "labelFontSize": 11},
        },
    }


def timelines(
    positions: Sequence[PositionRow],
    shifts: Sequence[ShiftRow],
    label: Callable[[str], str],
    details: Callable[[Collection[str]], Mapping[str, PositionRow]] | None = None,
) -> list[Timeline]:
    """Return one timeline per issue the actor took a position on, by issue id.

    Positions without a date (neither ``as_of`` nor an article date) cannot be placed on a time
    axis: they are kept in ``undated`` for the page to list, and an issue with only undated
    positions gets no chart (``spec`` empty).

    ``details``, when given, returns the whole rows (summary, article) of the positions with the
    given ids: ``positions`` may then be light rows (:meth:`parley.web.queries.Reader.actor_timeline_rows`),
    and only the rows the page shows are read whole: those drawn as a point of their own (a
    tooltip with the summary and source) and those in the tables.
    """
    by_issue: dict[str, list[PositionRow]] = {}
    for row in positions:
        by_issue.setdefault(row.position.issue, []).append(row)
    shifts_by_issue: dict[str, list[ShiftRow]] = {}
    for shift in shifts:
        shifts_by_issue.setdefault(shift.shift.issue, []).append(shift)
    issues = sorted(by_issue.keys() | shifts_by_issue.keys())
    dated = {issue: [row for row in rows if row.day is not None] for issue, rows in by_issue.items()}
    groups = {issue: _group(rows) for issue, rows in dated.items() if rows}
    if details is not None:
        shown = {
            row.position.id for issue, rows in by_issue.items() for row in _shown(rows, groups.get(issue))
        }
        whole = details(shown)

        def fill(rows: list[PositionRow]) -> list[PositionRow]:
            return [whole.get(row.position.id, row) for row in rows]

        by_issue = {issue: fill(rows) for issue, rows in by_issue.items()}
        for group in groups.values():
            group.points = {key: fill(rows) for key, rows in group.points.items()}
    found = []
    for issue in issues:
        rows = by_issue.get(issue, [])
        issue_shifts = shifts_by_issue.get(issue, [])
        charted_shifts = [row for row in issue_shifts if row.day is not None]
        points = groups.get(issue)
        label_text = label(issue)
        spec = timeline_spec([], charted_shifts, f"{label_text}: stance over time", points) if points else {}
        found.append(Timeline.of(issue, label_text, spec, rows, issue_shifts))
    return found


def _shown(rows: Sequence[PositionRow], groups: _Groups | None) -> list[PositionRow]:
    """The rows of one issue the page shows with their summary and source: each drawn as a point
    of its own (see :func:`timeline_spec`), and the latest :data:`TABLE_ROWS` (the table)."""
    single = [] if groups is None else [found[0] for found in groups.points.values() if len(found) == 1]
    return single + list(rows[::-1][:TABLE_ROWS])

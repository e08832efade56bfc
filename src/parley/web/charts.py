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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from parley.model import Shift
from parley.web.queries import PositionRow, ShiftRow

# Bottom to top: the further up, the closer to accepting the proposition.
STANCE_ORDER = ["oppose", "ambiguous", "conditional", "support"]
STANCE_COLOURS = ["#b2182b", "#878787", "#e08214", "#1a9850"]
DIRECTION_COLOURS = {"softening": "#1a9850", "hardening": "#b2182b", "unchanged": "#878787"}
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


@dataclass(frozen=True)
class Timeline:
    """One issue of the actor page: its chart spec, and the rows the chart cannot place."""

    issue: str
    label: str
    spec: dict[str, Any]
    positions: list[PositionRow]
    undated: list[PositionRow]
    shifts: list[ShiftRow]


def _ms(day: dt.date) -> int:
    """Milliseconds since the epoch at UTC midnight: Vega-Lite's timestamp for a date."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)


def position_url(position_id: str) -> str:
    """Return the URL of a position's evidence."""
    return "/positions/" + quote(position_id)


def shift_url(shift: Shift) -> str:
    """Return the URL of a shift's evidence: its two positions (shifts across articles are found
    when the page is drawn, not stored, so a shift is named by the positions it joins)."""
    return "/shift?" + urlencode({"before": shift.before.id, "after": shift.after.id})


def timeline_spec(positions: Sequence[PositionRow], shifts: Sequence[ShiftRow], title: str) -> dict[str, Any]:
    """Return the Vega-Lite spec of one issue's timeline from its dated positions and shifts."""
    points = [
        {
            "date": row.day.isoformat() if row.day else None,
            "stance": row.position.stance,
            "kind": "earlier stance (as reported)" if row.position.retrospective else "position",
            "summary": row.position.summary,
            "source": row.article.title or row.article.outlet or row.article.id,
            "evidence": position_url(row.position.id),
        }
        for row in positions
    ]
    marks = [
        {
            "date": row.day.isoformat() if row.day else None,
            "change": f"{row.shift.before.stance} → {row.shift.after.stance}",
            "kind": "within one article" if row.shift.before.article_id == row.shift.after.article_id else "across articles",
            "severity": row.shift.severity,
            "direction": row.shift.direction,
            "evidence": shift_url(row.shift),
        }
        for row in shifts
    ]
    days = [row.day for row in positions if row.day is not None]
    first, last = min(days), max(days)
    # A single date would give the time scale no width; pad so points sit inside the plot.
    pad = max(dt.timedelta(days=7), (last - first) / 20)
    x = {
        "field": "date",
        "type": "temporal",
        "title": None,
        "scale": {"type": "utc", "domain": [_ms(first - pad), _ms(last + pad)]},
        "axis": {"format": "%Y-%m-%d", "labelAngle": 0, "tickCount": 6},
    }
    y = {
        "field": "stance",
        "type": "ordinal",
        "title": None,
        "scale": {"domain": STANCE_ORDER, "reverse": True},
        "axis": {"labelPadding": 6},
    }
    layers: list[dict[str, Any]] = [
        {
            "data": {"values": [p for p in points if p["kind"] == "position"]},
            "mark": {"type": "line", "interpolate": "step-after", "color": "#9aa5b1", "strokeWidth": 1.5},
            "encoding": {"x": x, "y": y},
        },
    ]
    if marks:
        layers.append(
            {
                "data": {"values": marks},
                "mark": {"type": "rule", "strokeWidth": 3, "strokeDash": [4, 3], "cursor": "pointer"},
                "encoding": {
                    "x": x,
                    "color": {
                        "field": "direction",
                        "type": "nominal",
                        "scale": {
                            "domain": list(DIRECTION_COLOURS),
                            "range": list(DIRECTION_COLOURS.values()),
                        },
                        "legend": None,
                    },
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
                "data": {"values": marks},
                "mark": {"type": "point", "shape": "triangle-down", "size": 160, "filled": True, "cursor": "pointer"},
                "encoding": {
                    "x": x,
                    "y": {"value": 0},
                    "color": {
                        "field": "direction",
                        "type": "nominal",
                        "scale": {
                            "domain": list(DIRECTION_COLOURS),
                            "range": list(DIRECTION_COLOURS.values()),
                        },
                        "legend": None,
                    },
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
            "data": {"values": points},
            "mark": {"type": "point", "size": 110, "strokeWidth": 2, "cursor": "pointer", "opacity": 1},
            "encoding": {
                "x": x,
                "y": y,
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
        "layer": layers,
        "config": {"view": {"stroke": "#e4e7eb"}, "axis": {"labelFont": "system-ui, sans-serif", "labelFontSize": 11}},
    }


def timelines(
    positions: Sequence[PositionRow], shifts: Sequence[ShiftRow], label: Callable[[str], str]
) -> list[Timeline]:
    """Return one timeline per issue the actor took a position on, by issue id.

    Positions without a date (neither ``as_of`` nor an article date) cannot be placed on a time
    axis: they are kept in ``undated`` for the page to list, and an issue with only undated
    positions gets no chart (``spec`` empty).
    """
    issues = sorted({row.position.issue for row in positions} | {row.shift.issue for row in shifts})
    found = []
    for issue in issues:
        rows = [row for row in positions if row.position.issue == issue]
        dated = [row for row in rows if row.day is not None]
        issue_shifts = [row for row in shifts if row.shift.issue == issue]
        charted_shifts = [row for row in issue_shifts if row.day is not None]
        spec = timeline_spec(dated, charted_shifts, f"{label(issue)}: stance over time") if dated else {}
        found.append(
            Timeline(
                issue=issue,
                label=label(issue),
                spec=spec,
                positions=rows,
                undated=[row for row in rows if row.day is None],
                shifts=issue_shifts,
            )
        )
    return found

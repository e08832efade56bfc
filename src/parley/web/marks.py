"""The article page's marked-up text: the article cut into segments, each with the marks over it.

Marks nest and overlap (a quote inside its attribution sentence, a condition across a quote's
end), and HTML elements cannot overlap, so the text is cut at every mark boundary into flat
segments; each segment carries the kinds of marks that cover it and the ids of their records. The
template writes each segment as one escaped ``<span>``, so the page text is the article text
character for character, and an empty anchor where each record starts, so ``#record-id`` links
land on the record's span.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from markupsafe import Markup, escape

from parley.model import Event, Position, Span, Statement


@dataclass(frozen=True)
class Mark:
    """One kind of highlight over ``[start, end)`` of the article text, for record ``ref``."""

    start: int
    end: int
    kind: str
    ref: str


@dataclass(frozen=True)
class Segment:
    """A stretch of the text under the same marks; ``anchors`` are the records starting here."""

    text: str
    start: int
    kinds: tuple[str, ...]
    refs: tuple[str, ...]
    anchors: tuple[str, ...]

    @property
    def classes(self) -> str:
        """The segment's CSS classes: ``m`` and ``k-KIND`` per mark kind (prefixed so that a kind
        never collides with another class of the page, such as the evidence panel's)."""
        return " ".join(["m", *(f"k-{kind}" for kind in self.kinds)])


# Mark kinds in the order their CSS classes are written; also the legend of the article page.
KINDS = ("evidence", "content", "speaker", "cue", "venue", "trigger", "condition", "qualifier", "match")


def _span(kind: str, span: Span | None, ref: str) -> Iterator[Mark]:
    if span is not None and span.end > span.start:
        yield Mark(span.start, span.end, kind, ref)


def statement_marks(statement: Statement) -> Iterator[Mark]:
    """Yield the marks of a statement: its sentence, content, speaker, cue and venue."""
    ref = statement.id
    yield from _span("evidence", statement.evidence, ref)
    for part in statement.content:
        yield from _span("content", part, ref)
    speaker = statement.speaker
    if speaker is not None:
        yield from _span("speaker", Span(speaker.text, speaker.start, speaker.end), ref)
    yield from _span("cue", statement.cue, ref)
    yield from _span("venue", statement.venue, ref)


def event_marks(event: Event) -> Iterator[Mark]:
    """Yield the marks of an event: its trigger, conditions and qualifiers."""
    yield from _span("trigger", event.trigger, event.id)
    for condition in event.conditions:
        yield from _span("condition", condition, event.id)
    for qualifier in event.qualifiers:
        yield from _span("qualifier", Span(qualifier.text, qualifier.start, qualifier.end), event.id)


def position_marks(position: Position) -> Iterator[Mark]:
    """Yield the marks of a position: its conditions (its evidence is its statements')."""
    for condition in position.conditions:
        yield from _span("condition", condition, position.id)


def segments(text: str, marks: Iterable[Mark], anchors: Iterable[tuple[str, int]] = ()) -> list[Segment]:
    """Return ``text`` cut into segments at every mark boundary and anchor.

    Marks outside the text are clipped to it; ``anchors`` are ``(record id, offset)`` pairs, each
    given to the segment that starts at its offset. The segments' texts join to ``text`` exactly.
    """
    size = len(text)
    kept = [
        Mark(max(0, m.start), min(size, m.end), m.kind, m.ref)
        for m in marks
        if min(size, m.end) > max(0, m.start)
    ]
    at: dict[int, list[str]] = {}
    for ref, offset in anchors:
        at.setdefault(min(max(0, offset), size), []).append(ref)
    cuts = sorted({0, size, *at, *(m.start for m in kept), *(m.end for m in kept)})
    starting: dict[int, list[Mark]] = {}
    for mark in kept:
        starting.setdefault(mark.start, []).append(mark)
    # A sweep over the cuts: marks join the active list where they start and leave where they end.
    active: list[Mark] = []
    found: list[Segment] = []
    for lo, hi in itertools.pairwise(cuts):
        active = [m for m in active if m.end > lo] + starting.get(lo, [])
        kinds = {m.kind for m in active}
        found.append(
            Segment(
                text=text[lo:hi],
                start=lo,
                kinds=tuple(k for k in KINDS if k in kinds),
                refs=tuple(dict.fromkeys(m.ref for m in active)),
                anchors=tuple(at.get(lo, ())),
            )
        )
    if at.get(size):
        # An anchor at the very end (an empty record at the end of the text) still needs a place.
        found.append(Segment("", size, (), (), tuple(at[size])))
    return found


def render(segments: Iterable[Segment]) -> Markup:
    """Return the segments as HTML: an empty anchor ``<span>`` per record starting there, and one
    ``<span>`` per marked segment carrying its classes and record ids; every text escaped.

    Written out here rather than by a template loop: a long transcript has thousands of segments,
    and a Jinja loop over them cost more than the rest of the article page.
    """
    parts: list[str] = []
    for segment in segments:
        for anchor in segment.anchors:
            parts.append(f'<span class="anchor" id="{escape(anchor)}"></span>')
        text = escape(segment.text)
        if segment.kinds:
            refs = escape(" ".join(segment.refs))
            parts.append(f'<span class="{escape(segment.classes)}" data-refs="{refs}">{text}</span>')
        else:
            parts.append(str(text))
    return Markup("".join(parts))


def article_segments(
    text: str,
    statements: Iterable[Statement],
    events: Iterable[Event],
    positions: Iterable[Position],
    match: tuple[int, int] | None = None,
) -> list[Segment]:
    """Return the segments of an article's text with every extraction's marks and anchors.

    ``match`` is a ``[start, end)`` stretch to mark as well (anchor ``match``): the part of a
    primary text a quote was matched to, linked from the verification page.
    """
    marks: list[Mark] = []
    anchors: list[tuple[str, int]] = []
    if match is not None:
        marks.append(Mark(match[0], match[1], "match", "match"))
        anchors.append(("match", match[0]))
    for statement in statements:
        marks += statement_marks(statement)
        anchors.append((statement.id, statement.evidence.start))
    for event in events:
        marks += event_marks(event)
        anchors.append((event.id, event.trigger.start))
    for position in positions:
        marks += position_marks(position)
        if position.evidence:
            anchors.append((position.id, min(span.start for span in position.evidence)))
    return segments(text, marks, anchors)

"""A readable brief of analyses for the terminal: statements, events, positions, shifts."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from parley.model import Analysis, Event, Participant, Position, Shift, Statement


def _clip(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _who(participants: Iterable[Participant]) -> str:
    return ", ".join(p.id or p.text for p in participants) or "-"


def statements_table(statements: Iterable[Statement], title: str = "Statements") -> Table:
    """Return a table of statements: kind, speaker (actor), cue, venue, content."""
    table = Table(title=title, title_justify="left", show_lines=False, expand=True)
    for column in ("kind", "speaker", "cue", "venue", "said", "content"):
        table.add_column(column, overflow="fold", ratio=4 if column == "content" else 1)
    for s in statements:
        speaker = "-"
        if s.speaker is not None:
            speaker = s.speaker.text + (f" [{s.speaker.actor}]" if s.speaker.actor else "")
        venue = "-"
        if s.venue is not None:
            venue = s.venue.text + (" (same interview)" if s.venue_inferred else "")
        said = "earlier" if s.retrospective else (s.said_on.isoformat() if s.said_on else "")
        table.add_row(s.kind, speaker, s.cue.text if s.cue else "-", venue, said, _clip(s.text, 160))
    return table


def _speaker(s: Statement) -> str:
    if s.speaker is None:
        return "unattributed"
    return s.speaker.text + (f" [{s.speaker.actor}]" if s.speaker.actor else " [unresolved]")


def _statement_lines(s: Statement) -> Text:
    head = Text(f"{s.kind:<8} ", style="cyan")
    head.append(_speaker(s), style="bold")
    if s.cue is not None:
        head.append(f" · {s.cue.text}")
    if s.venue is not None:
        head.append(
            f" · venue {s.venue.text}" + (" (same interview)" if s.venue_inferred else ""),
            style="magenta",
        )
    if s.retrospective:
        head.append(" · earlier stance", style="yellow")
    quote = "“" + " … ".join(part.text for part in s.content) + "”"
    head.append(f"\n           {quote}  [{s.evidence.start}:{s.evidence.end}]", style="default")
    return head


def _event_line(e: Event) -> Text:
    line = Text(f"{e.type:<9}", style="cyan")
    line.append(f"{e.modality:<13}")
    line.append(f"{_who(e.actors)} -> {_who(e.recipients)}", style="bold")
    line.append(f" · “{e.trigger.text}” [{e.trigger.start}:{e.trigger.end}]")
    if e.conditions:
        line.append(" · if: " + "; ".join(c.text for c in e.conditions), style="magenta")
    if e.qualifiers:
        line.append(" · " + ", ".join(sorted({q.label for q in e.qualifiers})), style="yellow")
    return line


def _position_line(p: Position) -> Text:
    line = Text(f"{p.actor} · {p.issue}: ", style="bold")
    line.append(p.stance, style="cyan")
    if p.qualifiers:
        line.append(" (" + ", ".join(sorted({q.label for q in p.qualifiers})) + ")", style="yellow")
    if p.conditions:
        line.append(" · if: " + "; ".join(c.text for c in p.conditions), style="magenta")
    if p.retrospective:
        line.append(" · earlier stance", style="yellow")
    line.append(f" · {len(p.statements)} statement(s)", style="dim")
    return line


def _shift_line(s: Shift) -> Text:
    line = Text(f"{s.actor} · {s.issue}: ", style="bold")
    line.append(f"{s.before.stance} -> {s.after.stance}", style="cyan")
    line.append(f" · {s.severity} · {s.direction}")
    for label, p in (("before", s.before), ("after", s.after)):
        if p.evidence:
            ev = p.evidence[0]
            line.append(f"\n    {label}: “{_clip(ev.text, 110)}” [{ev.start}:{ev.end}]", style="dim")
    return line


def _section(title: str, lines: list[Text]) -> list[Text]:
    if not lines:
        return [Text(f"{title}: none", style="dim")]
    return [Text(f"{title} ({len(lines)})", style="bold underline"), *lines]


def render(analysis: Analysis) -> Panel:
    """Return the brief of one article as a rich panel: each fact with its character span."""
    article = analysis.article
    heading = article.title or article.source or article.id
    meta = " · ".join(
        x for x in (article.outlet, article.published and article.published.isoformat(), article.id) if x
    )
    parts: list[Text] = [Text(meta, style="dim")]
    parts += _section("Statements", [_statement_lines(s) for s in analysis.statements])
    parts += _section("Events", [_event_line(e) for e in analysis.events])
    parts += _section("Positions", [_position_line(p) for p in analysis.positions])
    parts += _section("Shifts", [_shift_line(s) for s in analysis.shifts])
    return Panel(Group(*parts), title=Text(heading, style="bold"), title_align="left")


def print_brief(analyses: Iterable[Analysis], console: Console) -> None:
    """Print the brief of each analysis."""
    for analysis in analyses:
        console.print(render(analysis))

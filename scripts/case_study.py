"""Write docs/case-study-2022.md from Parley's own output on the primary corpus.

Every stance, condition, shift and map cell in the page is what Parley stored (or computes from the
store with the functions behind ``parley positions``, ``parley shifts`` and ``parley map``); the fixed
text around them says where to look, never what was found. The milestones are the statements an analyst
would expect in the record (issue 5): the script looks each one up by its words and reports what Parley
has for it, or that it has nothing.

    parley ingest ../shared/data/primary --db primary.db
    python scripts/case_study.py --db primary.db --out docs/case-study-2022.md

``--reread`` reads the positions again from the stored statements with the current rules (after a
change to them, without re-running the NLP pipeline). Links open the source page at the sentence
(``#:~:text=``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from parley.analysis.negotiation import negotiation_map
from parley.analysis.shifts import DEFAULT_METHOD, METHODS, Method, find_shifts, reversals
from parley.analysis.timeline import (
    PositionSource,
    TimelinePoint,
    party_members,
    reread,
    select,
    timeline,
    within,
)
from parley.extract.positions import read_positions
from parley.knowledge.actors import ActorBase, load_actors
from parley.knowledge.lexicon import IssueTaxonomy, load_issues
from parley.model import Article, Position, Shift
from parley.store import Store, open_store

SINCE = dt.date(2022, 2, 1)
UNTIL = dt.date(2022, 4, 30)
MAP_AT = dt.date(2022, 3, 31)
QUOTE_CHARS = 240
UKRAINE_ISSUES = (
    "alliance_membership",
    "neutrality",
    "security_guarantees",
    "territorial_concession",
    "recognition",
)
RUSSIA_ISSUES = (
    "neutrality",
    "demilitarisation",
    "recognition",
    "territorial_concession",
    "alliance_membership",
)

ArticleOf = Callable[[str], Article | None]
# How the page names the store in the commands it shows (any store with the corpus ingested will do).
STORE = "primary.db"


@dataclass(frozen=True)
class Milestone:
    """A statement the record should hold: who, on which issue, when, in which words."""

    party: str
    issue: str
    day: dt.date
    words: str
    what: str


MILESTONES = (
    Milestone("ukr", "alliance_membership", dt.date(2022, 2, 14), "NATO membership is not our goal",
              "Zelenskyy after talks with Scholz: NATO membership remains the goal"),
    Milestone("ukr", "alliance_membership", dt.date(2022, 2, 17), "course of NATO membership",
              "Zelenskyy in Mariupol: Ukraine has chosen the course of NATO membership"),
    Milestone("ukr", "neutrality", dt.date(2022, 2, 25), "not afraid to talk about neutral status",
              "Zelenskyy's address: not afraid to talk about neutral status"),
    Milestone("ukr", "security_guarantees", dt.date(2022, 2, 25), "security guarantees for our state",
              "Zelenskyy's address: what security guarantees will we have?"),
    Milestone("ukr", "neutrality", dt.date(2022, 3, 28), "neutrality",
              "Zelenskyy to Russian media: neutrality only with guarantees fixed on paper"),
    Milestone("ukr", "neutrality", dt.date(2022, 3, 29), "permanent neutrality",
              "Istanbul: non-aligned, non-nuclear permanent neutrality if binding guarantees are given"),
    Milestone("ukr", "alliance_membership", dt.date(2022, 3, 29), "not to join military-political alliances",
              "Istanbul: Ukraine would undertake not to join military-political alliances"),
    Milestone("ukr", "security_guarantees", dt.date(2022, 3, 29), "binding security guarantees",
              "Istanbul: legally binding guarantees, analogous to Article 5"),
    Milestone("ukr", "territorial_concession", dt.date(2022, 3, 29), "not regulated",
              "Istanbul: guarantees would not apply to Crimea and Donbas for the time being"),
    Milestone("ukr", "territorial_concession", dt.date(2022, 3, 29), "status of Crimea",
              "Istanbul: the status of Crimea as a separate item, negotiated over 15 years"),
    Milestone("ukr", "alliance_membership", dt.date(2022, 4, 5), "join",
              "Zelenskyy: if we are offered to join NATO tomorrow ... we will join"),
    Milestone("rus", "neutrality", dt.date(2022, 2, 28), "neutral status",
              "Putin to Macron: settlement only with a neutral status, among other terms"),
    Milestone("rus", "recognition", dt.date(2022, 2, 28), "sovereignty over Crimea",
              "Putin to Macron: recognition of Russia's sovereignty over Crimea"),
    Milestone("rus", "demilitarisation", dt.date(2022, 3, 1), "demilitarise",
              "Putin to Maduro: demilitarise Ukraine"),
    Milestone("rus", "neutrality", dt.date(2022, 3, 1), "nuclear-free status",
              "Putin to Maduro: a neutral and nuclear-free status"),
    Milestone("rus", "recognition", dt.date(2022, 3, 1), "people's republics",
              "Putin to Maduro: Kiev's recognition of the Donetsk and Lugansk people's republics"),
    Milestone("rus", "recognition", dt.date(2022, 3, 4), "DPR and the LPR",
              "Putin to Scholz: recognition of Crimea and of the DPR and LPR within their regions' borders"),
)  # fmt: skip

# The moves an analyst expects `parley shifts` to report: the side, the issue, the day of the new stance
# and words of the sentence that shows it.
EXPECTED_SHIFTS = (
    Milestone("ukr", "neutrality", dt.date(2022, 3, 29), "permanent neutrality",
              "Istanbul: from open to talk about neutral status to permanent neutrality on conditions"),
    Milestone("ukr", "alliance_membership", dt.date(2022, 3, 29), "non-aligned",
              "Istanbul: from the NATO course to a non-aligned status"),
    Milestone("ukr", "alliance_membership", dt.date(2022, 4, 5), "join",
              "Zelenskyy: back to NATO membership, if it is offered"),
)  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """Write the case study; return the exit code (2 when the database is missing)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", required=True, help="a store with the primary corpus ingested")
    parser.add_argument("--out", type=Path, default=Path("docs/case-study-2022.md"))
    parser.add_argument("--reread", action="store_true", help="read positions again with the current rules")
    args = parser.parse_args(argv)
    if "://" not in args.db and not Path(args.db).exists():
        print(f"error {args.db}: no such database", file=sys.stderr)
        return 2
    taxonomy, base = load_issues(), load_actors()
    with open_store(args.db) as opened:
        store: PositionSource = _Reread(opened, taxonomy, base) if args.reread else opened
        cache: dict[str, Article | None] = {}

        def article(article_id: str) -> Article | None:
            if article_id not in cache:
                cache[article_id] = opened.article(article_id)
            return cache[article_id]

        page = _header(opened.counts(), args.reread)
        page += _milestones(store, base, article)
        page += _timelines(store, taxonomy, base, article)
        page += _expected_shifts(store, taxonomy, base, article)
        page += _shifts(store, taxonomy, base, article)
        page += _map(store, taxonomy, base, article)
    args.out.write_text("\n".join(page).rstrip() + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


def _header(counts: dict[str, int], reread_: bool) -> list[str]:
    how = " (positions read again from the stored statements with the current rules)" if reread_ else ""
    return [
        "# Case study: positions over time, Ukraine and Russia, February to April 2022",
        "",
        "_Generated by `scripts/case_study.py` from Parley's own output; do not edit by hand._",
        "",
        f"The store holds {counts.get('articles', 0)} articles of `shared/data/primary` (president.gov.ua",
        f"and kremlin.ru, English editions, CC BY 4.0): {counts.get('statements', 0)} statements,",
        f"{counts.get('positions', 0)} positions{how}. To reproduce:",
        "",
        "```bash",
        f"parley ingest ../shared/data/primary --db {STORE}",
        f"python scripts/case_study.py --db {STORE} --out docs/case-study-2022.md",
        "```",
        "",
        "A position is an actor's stance on an issue's proposition: `support`, `oppose`,",
        "`conditional` (accepts it on the conditions shown) or `ambiguous` (open to it, or putting it off).",
        "`ukr` and `rus` are the two sides: Zelenskyy, his office and negotiators (or Putin and the",
        "Kremlin), and what the outlet states in the country's name. Each link opens the source page at the",
        "sentence Parley read.",
        "Stances come from rules whose accuracy is measured in `docs/quality.md`: read the sentence.",
        "",
    ]


def _milestones(store: PositionSource, base: ActorBase, article: ArticleOf) -> list[str]:
    out = [
        "## Milestones",
        "",
        "Statements an analyst expects in the record, looked up by their words among Parley's positions of",
        "that side on that issue and day. `not found` is a gap of Parley's, listed as such.",
        "",
        "| day | side | issue | the statement | Parley: actor, stance, conditions | evidence |",
        "|---|---|---|---|---|---|",
    ]
    for m in MILESTONES:
        found = [
            p
            for p in select(store, actor=m.party, issue=m.issue, since=m.day, until=m.day, base=base)
            if any(m.words.casefold() in span.text.casefold() for span in p.evidence)
        ]
        if not found:
            out.append(f"| {m.day} | {m.party} | {m.issue} | {m.what} | not found | |")
            continue
        p = found[0]
        span = next(s for s in p.evidence if m.words.casefold() in s.text.casefold())
        conditions = "; ".join(c.text for c in p.conditions)
        held = f"{p.actor}, **{p.stance}**{_labels([p])}"
        held += f", on condition: {_cell(conditions)}" if conditions else ""
        out.append(
            f"| {m.day} | {m.party} | {m.issue} | {m.what} | {held} | {_link(p, span.text, article)} |"
        )
    return [*out, ""]


def _timelines(
    store: PositionSource, taxonomy: IssueTaxonomy, base: ActorBase, article: ArticleOf
) -> list[str]:
    out = [
        "## Timelines, February to April 2022",
        "",
        "One row per day on which the side took a position on the issue: the day's stance (its positions",
        f"combined) and the sentence that shows it. `parley positions --db {STORE} --actor ukr",
        "--issue neutrality --since 2022-02-01 --until 2022-04-30` lists the positions behind each row.",
        "",
    ]
    for party, issues in (("ukr", UKRAINE_ISSUES), ("rus", RUSSIA_ISSUES)):
        for issue_id in issues:
            issue = taxonomy.issues[issue_id]
            points = timeline(select(store, actor=party, issue=issue_id, since=SINCE, until=UNTIL, base=base))
            out += [f"### {party}: {issue.label} ({issue.proposition})", ""]
            if not points:
                out += ["_No position found._", ""]
                continue
            out += ["| day | stance | who | conditions | evidence |", "|---|---|---|---|---|"]
            out += [_point_row(point, article) for point in points]
            out.append("")
    return out


def _point_row(point: TimelinePoint, article: ArticleOf) -> str:
    shown = point.evidence
    who = ", ".join(sorted({p.actor for p in point.positions}))
    stance = f"**{point.stance}**{_labels(point.positions)}"
    conditions = "; ".join(c.text for c in shown.conditions)
    quote_ = shown.evidence[0].text if shown.evidence else ""
    return f"| {point.day} | {stance} | {who} | {_cell(conditions)} | {_link(shown, quote_, article)} |"


def _expected_shifts(
    store: PositionSource, taxonomy: IssueTaxonomy, base: ActorBase, article: ArticleOf
) -> list[str]:
    out = [
        "## The shifts the record should show",
        "",
        "Each move is looked up among the shifts `parley shifts` finds in the side's timeline on the issue",
        "(December 2021 to May 2022): a shift whose new stance is dated that day and whose evidence holds",
        "the words. `not found` is a gap of Parley's, listed as such.",
        f"`parley shifts --db {STORE} --actor ukr --issue neutrality` lists them (the default method,",
        "`blip`).",
        "",
        "| day | side | issue | the move | method | Parley: before → after, severity, direction "
        "| evidence (after) |",
        "|---|---|---|---|---|---|---|",
    ]
    for m in EXPECTED_SHIFTS:
        positions = select(
            store,
            actor=m.party,
            issue=m.issue,
            since=dt.date(2021, 12, 1),
            until=dt.date(2022, 5, 31),
            base=base,
        )
        for method in METHODS:
            shifts = find_shifts(
                positions, taxonomy, base.state_of, method=method, party_of=_constant(m.party)
            )
            hit = next(
                (
                    s
                    for s in shifts
                    if s.after.as_of == m.day
                    and any(m.words.casefold() in e.text.casefold() for e in s.after.evidence)
                ),
                None,
            )
            if hit is None:
                out.append(f"| {m.day} | {m.party} | {m.issue} | {m.what} | `{method}` | not found | |")
                continue
            span = next(e for e in hit.after.evidence if m.words.casefold() in e.text.casefold())
            conditions = "; ".join(c.text for c in hit.after.conditions)
            move = f"{hit.before.stance} ({hit.before.as_of}) → **{hit.after.stance}**{_labels([hit.after])}"
            move += f" on condition: {_cell(conditions)}" if conditions else ""
            out.append(
                f"| {m.day} | {m.party} | {m.issue} | {m.what} | `{method}` | {move}, {hit.severity}, "
                f"{hit.direction} | {_link(hit.after, span.text, article)} |"
            )
    return [*out, ""]


def _shifts(store: PositionSource, taxonomy: IssueTaxonomy, base: ActorBase, article: ArticleOf) -> list[str]:
    out = [
        "## Shifts",
        "",
        "What `parley shifts` finds in each side's timelines from December 2021 to May 2022 (so that the",
        "stance before February shows). The default method, `blip`, reports every change of stance but a",
        "one-off one (a stance one position shows, left again for the stance before it within 14 days);",
        "`naive` lists every change.",
        f"`parley shifts --db {STORE} --actor ukr --since 2021-12-01 --until 2022-05-31` gives the",
        "first table, `--method naive` the second.",
        "",
    ]
    everything = [p for p in select(store, base=base) if p.issue in taxonomy.issues]
    out += [
        "How the methods compare on the whole store (every actor, every issue, every date): a shift undone",
        "within 14 days by the next one (A → B → A) is most often one sentence read differently, not a",
        "change of position.",
        "",
        "| method | shifts | undone within 14 days |",
        "|---|---|---|",
    ]
    for method in METHODS:
        across = [
            s
            for s in find_shifts(everything, taxonomy, base.state_of, method=method)
            if s.before.article_id != s.after.article_id
        ]
        out.append(f"| `{method}` | {len(across)} | {reversals(across)} |")
    out.append("")
    methods: tuple[Method, ...] = (DEFAULT_METHOD, "naive")
    for party, issues in (("ukr", UKRAINE_ISSUES), ("rus", RUSSIA_ISSUES)):
        found_by: dict[Method, list[Shift]] = {}
        for method in methods:
            found: list[Shift] = []
            for issue in issues:
                positions = select(
                    store,
                    actor=party,
                    issue=issue,
                    since=dt.date(2021, 12, 1),
                    until=dt.date(2022, 5, 31),
                    base=base,
                )
                shifts = find_shifts(
                    positions, taxonomy, base.state_of, method=method, party_of=_constant(party)
                )
                found += [s for s in shifts if s.before.article_id != s.after.article_id]
            found_by[method] = sorted(found, key=lambda s: (s.after.as_of or dt.date.min, s.issue))
        for method in methods:
            found = found_by[method]
            out += [f"### {party}, method `{method}` ({len(found)} shifts)", ""]
            if not found:
                out += ["_No shift found._", ""]
                continue
            out += [
                "| issue | from | to | move | severity | direction | before | after |",
                "|---|---|---|---|---|---|---|---|",
            ]
            for s in found:
                before = _link(s.before, s.before.evidence[0].text, article) if s.before.evidence else ""
                after = _link(s.after, s.after.evidence[0].text, article) if s.after.evidence else ""
                move = f"{s.before.stance} → {s.after.stance}"
                out.append(
                    f"| {s.issue} | {s.before.as_of} | {s.after.as_of} | {move} | {s.severity} | "
                    f"{s.direction} | {before} | {after} |"
                )
            out.append("")
    return out


def _map(store: PositionSource, taxonomy: IssueTaxonomy, base: ActorBase, article: ArticleOf) -> list[str]:
    out = [
        f"## Negotiation map on {MAP_AT.isoformat()}",
        "",
        "Each cell is the side's latest position on or before the date (its day in brackets); the mark",
        "compares the two: `overlap` (they agree), `conditional` (both accept, at least one on conditions),",
        "`open` (one is undecided), `gap` (one supports what the other opposes), `unknown` (one has taken",
        f"no position). `parley map --db {STORE} --parties zelenskyy,putin --at {MAP_AT.isoformat()}`.",
        "",
    ]
    everything = select(store, until=MAP_AT, base=base)
    for parties in (("zelenskyy", "putin"), ("ukr", "rus")):
        by_party = {p: [x for x in everything if x.actor in party_members(p, base)] for p in parties}
        the_map = negotiation_map(by_party, taxonomy, MAP_AT, known_only=True)
        out += [f"### {' x '.join(parties)}", ""]
        out += [f"| issue | {' | '.join(parties)} | mark |", "|---|" + "---|" * len(parties) + "---|"]
        for row in the_map.rows:
            cells = []
            for cell in row.cells:
                if cell.point is None:
                    cells.append("—")
                    continue
                shown = cell.point.evidence
                quote_ = shown.evidence[0].text if shown.evidence else ""
                cells.append(f"**{cell.point.stance}** ({cell.point.day}) {_link(shown, quote_, article)}")
            out.append(f"| {row.issue.label} | {' | '.join(cells)} | {row.mark} |")
        out.append("")
    return out


def _link(position: Position, words: str, article: ArticleOf) -> str:
    """The words, quoted and linked to their place in the source page, with the article id."""
    text = words if len(words) <= QUOTE_CHARS else words[: QUOTE_CHARS - 1] + "…"
    source = article(position.article_id)
    label = f"“{_cell(text)}”"
    if source is None or not source.url:
        return f"{label} ({position.article_id})"
    fragment = quote(" ".join(words.split()[:8]))
    return f"[{label}]({source.url}#:~:text={fragment}) ({position.article_id})"


def _labels(positions: Sequence[Position]) -> str:
    """The qualifiers of positions as " (permanent, temporary)", or "" when they have none."""
    labels = sorted({q.label for p in positions for q in p.qualifiers})
    return f" ({', '.join(labels)})" if labels else ""


def _cell(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def _constant(party: str) -> Callable[[str], str]:
    """Every actor counts for ``party``: its members make one timeline."""
    return lambda _actor: party


class _Reread:
    """A position source that reads every stored article's positions again with the current rules."""

    def __init__(self, store: Store, taxonomy: IssueTaxonomy, base: ActorBase) -> None:
        self._positions = reread(store, lambda a: read_positions(a, taxonomy, base))

    def positions(
        self,
        actor: str | None = None,
        issue: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[Position]:
        members = frozenset({actor}) if actor is not None else None
        return within(self._positions, members=members, issue=issue, since=since, until=until)


if __name__ == "__main__":
    raise SystemExit(main())

"""The ``parley`` command line: a thin layer over the library (``parley.runs``, ``parley.store``)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from parley import __version__
from parley.brief import print_brief, statements_table
from parley.errors import InputError, ParleyError
from parley.model import Analysis, Article, to_dict
from parley.runs import RunReport, analyze_paths, ingest_paths
from parley.scale import make_executor
from parley.store import open_store, redact

if TYPE_CHECKING:
    from parley.analysis.embeddings import Encoder
    from parley.knowledge.actors import ActorBase
    from parley.knowledge.lexicon import IssueTaxonomy
    from parley.model import Position, Shift

app = typer.Typer(
    help="Parley: who said what, to whom, when, under which conditions, and how it changed.",
    no_args_is_help=True,
    add_completion=False,
)
evaluate_app = typer.Typer(
    help="Score an extractor against a gold file: precision, recall and F1 as JSON.",
    no_args_is_help=True,
)
app.add_typer(evaluate_app, name="evaluate")
out = Console(soft_wrap=False)
err = Console(stderr=True)

PathsArg = Annotated[
    list[Path],
    typer.Argument(
        help="Files or folders of articles (.txt, .html, .jsonl, .rss/.atom/.xml, .warc, .warc.gz)."
    ),
]
DbOption = Annotated[
    str,
    typer.Option("--db", help="Store: a SQLite database file (created if absent) or a postgresql:// URL."),
]


class AnalyzeFormat(StrEnum):
    """Output formats of ``parley analyze``."""

    jsonl = "jsonl"
    pretty = "pretty"


class ListFormat(StrEnum):
    """Output formats of the listing commands."""

    table = "table"
    jsonl = "jsonl"


def _say_error(message: object) -> None:
    """Print one error line; file names are printed as they are (no rich markup in them)."""
    err.print(Text.assemble(("error ", "red"), str(message)), highlight=False, soft_wrap=True)


def _report_error(error: InputError) -> None:
    _say_error(error)


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    """Parley reads news about a conflict and keeps an evidence-linked record of what the parties say."""
    if version:
        out.print(f"parley {__version__}")
        raise typer.Exit()


@app.command()
def analyze(
    paths: PathsArg,
    format: Annotated[
        AnalyzeFormat, typer.Option("--format", "-f", help="jsonl: one JSON object per article.")
    ] = AnalyzeFormat.jsonl,
) -> None:
    """Analyse articles and print statements, events, positions and shifts (stores nothing).

    Exit code 1 when any input could not be read or analysed; the others are still printed.
    """
    report = RunReport()
    analyses = analyze_paths(paths, _report_error, report=report)
    try:
        if format is AnalyzeFormat.jsonl:
            for analysis in analyses:
                sys.stdout.write(json.dumps(analysis.to_json(), ensure_ascii=False) + "\n")
        else:
            print_brief(analyses, out)
    except ParleyError as exc:
        _say_error(exc)
        raise typer.Exit(2) from exc
    raise typer.Exit(1 if report.failed else 0)


class ExecutorKind(StrEnum):
    """Where ``parley ingest`` runs the analysis (``parley.scale``)."""

    local = "local"
    ray = "ray"


ExecutorOption = Annotated[
    ExecutorKind,
    typer.Option("--executor", help="local: this machine; ray: a Ray cluster (needs the ray extra)."),
]
AddressOption = Annotated[
    str | None,
    typer.Option(
        "--address", help="Ray cluster address (auto, host:6379, ray://host:10001); default: a new one."
    ),
]
ProcessesOption = Annotated[
    int | None,
    typer.Option(
        "--processes", min=1, help="Worker processes (local, default 1) or Ray actors (default: one per CPU)."
    ),
]


@app.command()
def ingest(
    paths: PathsArg,
    db: DbOption = "parley.db",
    brief: Annotated[
        bool, typer.Option("--brief", help="Print a readable brief of each article read.")
    ] = False,
    batch_size: Annotated[int, typer.Option(help="Articles per batch and transaction.")] = 32,
    executor: ExecutorOption = ExecutorKind.local,
    address: AddressOption = None,
    processes: ProcessesOption = None,
) -> None:
    """Analyse articles and store them (SQLite file or PostgreSQL); re-running changes nothing.

    Bad inputs are reported, recorded in the database's quarantine table and skipped; exit code 1
    when any input failed, 0 otherwise. ``--executor ray`` analyses on a Ray cluster (``--address``,
    or a local one); this process alone writes the store.
    """
    try:
        with open_store(db) as store:
            with Progress(
                TextColumn("[progress.description]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            ) as progress:
                task = progress.add_task("ingesting", total=None)
                seen: list[str] = []

                def on_error(error: InputError) -> None:
                    _report_error(error)
                    progress.advance(task)

                def on_article(article: Article) -> None:
                    seen.append(article.id)
                    progress.advance(task)

                runner = make_executor(executor.value, processes=processes, address=address)
                with runner:
                    report = ingest_paths(
                        paths, store, on_error, batch_size=batch_size, on_article=on_article, executor=runner
                    )
            err.print(
                f"read {report.read} · added {report.added} · updated {report.updated} · "
                f"unchanged {report.unchanged} · failed {report.failed} · db {redact(db)}",
                markup=False,
                highlight=False,
            )
            for pair in report.near_duplicates:
                # Stored all the same: each outlet's copy is its own evidence.
                where = f" ({pair.source})" if pair.source else ""
                err.print(
                    f"near-duplicate {pair.article_id}{where} of {pair.copy_of}",
                    markup=False,
                    highlight=False,
                )
            if brief:
                print_brief((a for a in map(store.analysis, seen) if a is not None), out)
    except ParleyError as exc:
        _say_error(exc)
        raise typer.Exit(2) from exc
    raise typer.Exit(1 if report.failed else 0)


@app.command()
def statements(
    db: DbOption = "parley.db",
    actor: Annotated[str | None, typer.Option(help="Only this speaker (actor id).")] = None,
    article: Annotated[str | None, typer.Option(help="Only this article id.")] = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
) -> None:
    """List the statements stored in the database."""
    if "://" not in db and not Path(db).exists():
        _say_error(f"{db}: no such database")
        raise typer.Exit(2)
    try:
        with open_store(db) as store:
            rows = store.statements(actor=actor, article_id=article)
    except ParleyError as exc:
        _say_error(exc)
        raise typer.Exit(2) from exc
    if format is ListFormat.jsonl:
        for s in rows:
            sys.stdout.write(json.dumps(to_dict(s), ensure_ascii=False) + "\n")
    else:
        out.print(statements_table(rows, title=f"Statements in {redact(db)} ({len(rows)})"))


@evaluate_app.command("attribution")
def evaluate_attribution(
    gold: Annotated[
        Path,
        typer.Option("--gold", help="Gold JSONL: {id, text, attributions: [{speaker, cue, content, kind}]}."),
    ],
    predictions: Annotated[
        Path | None,
        typer.Option(
            "--predictions",
            help="Score this `parley analyze --format jsonl` output instead of running Parley.",
        ),
    ] = None,
    errors: Annotated[
        Path | None,
        typer.Option("--errors", help="Write each false positive and missed attribution here (JSONL)."),
    ] = None,
) -> None:
    """Score attribution against a gold set: precision, recall and F1 as JSON, overall and per kind.

    A predicted statement counts when at least half of its content lies inside a gold content whose
    speaker span it overlaps (one to one). Exit code 2 when the gold or predictions cannot be read.
    """
    from parley.evaluate import attribution as scorer

    try:
        documents = scorer.read_gold(gold)
        if predictions is None:
            report = scorer.evaluate(documents, scorer.parley_predictions)
        else:
            found = scorer.read_predictions(predictions)
            report = scorer.evaluate(documents, lambda arts: [found.get(a.id, []) for a in arts])
    except ParleyError as exc:
        _say_error(exc)
        raise typer.Exit(2) from exc
    if errors is not None:
        errors.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in report.errors), "utf-8")
    sys.stdout.write(json.dumps({"gold": str(gold), **report.to_json()}, indent=2) + "\n")


# Positions, shifts and the negotiation map. Imports are local so that the other commands start
# without loading the analysis modules.

IssuesOption = Annotated[
    Path | None,
    typer.Option(
        "--issues",
        help="An issue taxonomy file (YAML, like knowledge/data/issues.yaml); stored statements are read "
        "again with it instead of using the stored positions.",
    ),
]
SinceOption = Annotated[
    dt.datetime | None, typer.Option("--since", formats=["%Y-%m-%d"], help="Only positions on or after.")
]
UntilOption = Annotated[
    dt.datetime | None, typer.Option("--until", formats=["%Y-%m-%d"], help="Only positions on or before.")
]
ActorOption = Annotated[
    str | None,
    typer.Option("--actor", help="Only this actor (id); a state's id (ukr, rus) takes in all its officials."),
]
IssueOption = Annotated[str | None, typer.Option("--issue", help="Only this issue (id, label or alias).")]


class ShiftMethod(StrEnum):
    """How shifts across articles are found (see ``parley.analysis.shifts``)."""

    pelt = "pelt"
    confirm = "confirm"
    blip = "blip"
    naive = "naive"


def _read_positions(
    db: str,
    issues: Path | None,
    actor: str | None,
    issue: str | None,
    since: dt.datetime | None,
    until: dt.datetime | None,
) -> tuple[list[Position], dict[str, Article], IssueTaxonomy, ActorBase]:
    """The positions a listing command shows, the articles they come from, the taxonomy and actors.

    Raises:
        typer.Exit: with code 2 when the database is missing or unreadable, or the taxonomy or the
            issue name is wrong.
    """
    from parley.analysis.timeline import party_members, reread, within
    from parley.extract.positions import read_positions
    from parley.knowledge.actors import load_actors
    from parley.knowledge.lexicon import load_issues

    if "://" not in db and not Path(db).exists():
        _say_error(f"{db}: no such database")
        raise typer.Exit(2)
    try:
        taxonomy = load_issues(issues)
        base = load_actors()
        issue_id = taxonomy.issue(issue).id if issue is not None else None
        with open_store(db) as store:
            if issues is None:
                found = store.positions(issue=issue_id)
            else:
                found = reread(store, lambda a: read_positions(a, taxonomy, base))
            members = party_members(actor, base) if actor is not None else None
            found = within(
                found,
                members=members,
                issue=issue_id,
                since=since.date() if since else None,
                until=until.date() if until else None,
            )
            articles = {a: art for a in {p.article_id for p in found} if (art := store.article(a))}
    except ParleyError as exc:
        _say_error(exc)
        raise typer.Exit(2) from exc
    return found, articles, taxonomy, base


def _evidence_line(position: Position, width: int = 160) -> str:
    text = position.evidence[0].text if position.evidence else ""
    return text if len(text) <= width else text[: width - 1] + "…"


@app.command()
def positions(
    db: DbOption = "parley.db",
    actor: ActorOption = None,
    issue: IssueOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    issues: IssuesOption = None,
) -> None:
    """List negotiating positions: actor, issue, stance, conditions, qualifiers, date and evidence.

    jsonl rows: actor, issue, stance, summary, conditions, qualifiers, as_of, retrospective, statements,
    evidence (article id, url, text, start, end). Exit code 2 when the database cannot be read.
    """
    from rich.table import Table

    from parley.analysis.timeline import position_record

    found, articles, _, _ = _read_positions(db, issues, actor, issue, since, until)
    if format is ListFormat.jsonl:
        for p in found:
            row = position_record(p, articles.get(p.article_id))
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"Positions in {redact(db)} ({len(found)})", show_lines=False)
    for column in ("as of", "actor", "issue", "stance", "conditions", "evidence"):
        table.add_column(column, overflow="fold")
    for p in found:
        when = "earlier" if p.retrospective else (p.as_of.isoformat() if p.as_of else "")
        qualifiers = ", ".join(sorted({q.label for q in p.qualifiers}))
        stance = f"{p.stance} ({qualifiers})" if qualifiers else p.stance
        conditions = "; ".join(c.text for c in p.conditions)
        table.add_row(when, p.actor, p.issue, stance, conditions, _evidence_line(p))
    out.print(table)


@app.command()
def shifts(
    db: DbOption = "parley.db",
    actor: ActorOption = None,
    issue: IssueOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    method: Annotated[
        ShiftMethod,
        typer.Option(
            help="pelt: change points; confirm: a new stance needs a second position; blip: every change "
            "but a one-off stance soon left again; naive: all."
        ),
    ] = ShiftMethod.blip,
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    issues: IssuesOption = None,
) -> None:
    """List shifts: an actor's stance on an issue changing, within an article or across articles.

    Severity on PolitiFact's scale (no flip, half flip, full flop), direction softening or hardening.
    jsonl rows: id, kind, actor, issue, severity, direction, before, after (each a position row with
    its evidence). With --actor a state's id, its officials' positions make one timeline.
    """
    from rich.table import Table

    from parley.analysis.shifts import DEFAULT_METHOD, find_shifts
    from parley.analysis.timeline import party_members, position_record

    found, articles, taxonomy, base = _read_positions(db, issues, actor, issue, since, until)
    members = party_members(actor, base) if actor is not None else frozenset()
    party = actor if actor is not None and len(members) > 1 else None
    whole_store = issues is None and since is None and until is None and party is None
    if method.value == DEFAULT_METHOD and whole_store:
        # The store keeps these (found after each ingest): the same shifts, without searching
        # every timeline again.
        result, articles = _stored_shifts(db, taxonomy, base, actor, issue)
    else:
        result = find_shifts(
            found,
            taxonomy,
            base.state_of,
            method=method.value,
            party_of=(lambda _: party) if party is not None else None,
        )
    if format is ListFormat.jsonl:
        for s in result:
            row = {
                "id": s.id,
                "kind": _shift_kind(s),
                "actor": s.actor,
                "issue": s.issue,
                "severity": s.severity,
                "direction": s.direction,
                "before": position_record(s.before, articles.get(s.before.article_id)),
                "after": position_record(s.after, articles.get(s.after.article_id)),
            }
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"Shifts in {redact(db)} ({len(result)}, {method.value})")
    for column in ("from", "to", "actor", "issue", "move", "severity", "direction", "evidence (after)"):
        table.add_column(column, overflow="fold")
    for s in result:
        before = "earlier" if s.before.retrospective else str(s.before.as_of or "")
        table.add_row(
            before,
            str(s.after.as_of or ""),
            s.actor,
            s.issue,
            f"{s.before.stance} → {s.after.stance}",
            s.severity,
            s.direction,
            _evidence_line(s.after),
        )
    out.print(table)


def _stored_shifts(
    db: str, taxonomy: IssueTaxonomy, base: ActorBase, actor: str | None, issue: str | None
) -> tuple[list[Shift], dict[str, Article]]:
    """The shifts over the store's whole history (``shifts_in_store``) and the articles of their
    positions.

    Raises:
        typer.Exit: with code 2 when the store cannot be read.
    """
    from parley.analysis.shifts import shifts_in_store

    try:
        with open_store(db) as store:
            issue_id = taxonomy.issue(issue).id if issue is not None else None
            result = shifts_in_store(store, taxonomy, base.state_of, actor=actor, issue=issue_id)
            ids = {p.article_id for s in result for p in (s.before, s.after)}
            articles = {a: art for a in ids if (art := store.article(a))}
    except ParleyError as exc:
        _say_error(exc)
        raise typer.Exit(2) from exc
    return result, articles


def _shift_kind(shift: Shift) -> str:
    return "within article" if shift.before.article_id == shift.after.article_id else "across articles"


@app.command("map")
def negotiation_map_command(
    parties: Annotated[
        str, typer.Option("--parties", help="Comma-separated actor ids, e.g. zelenskyy,putin.")
    ],
    at: Annotated[dt.datetime, typer.Option("--at", formats=["%Y-%m-%d"], help="The date of the map.")],
    db: DbOption = "parley.db",
    format: Annotated[ListFormat, typer.Option("--format", "-f")] = ListFormat.table,
    all_issues: Annotated[
        bool, typer.Option("--all-issues", help="Also show issues no party has a position on.")
    ] = False,
    issues: IssuesOption = None,
) -> None:
    """Show the negotiation map: parties x issues on a date, each cell the latest position with its
    evidence, each row marked overlap, conditional, open, gap or unknown.

    A state's id (ukr, rus) takes in all its officials. jsonl rows: at, issue, label, mark, cells
    (party -> stance, as_of and its positions with evidence).
    """
    from rich.table import Table

    from parley.analysis.negotiation import negotiation_map
    from parley.analysis.timeline import party_members, position_record

    names = [p.strip() for p in parties.split(",") if p.strip()]
    if not names:
        _say_error("--parties needs at least one actor id")
        raise typer.Exit(2)
    found, articles, taxonomy, base = _read_positions(db, issues, None, None, None, at)
    by_party = {name: [p for p in found if p.actor in party_members(name, base)] for name in names}
    the_map = negotiation_map(by_party, taxonomy, at.date(), known_only=not all_issues)
    if format is ListFormat.jsonl:
        for row in the_map.rows:
            cells = {
                c.party: None
                if c.point is None
                else {
                    "stance": c.point.stance,
                    "as_of": c.point.day.isoformat(),
                    "positions": [position_record(p, articles.get(p.article_id)) for p in c.point.positions],
                }
                for c in row.cells
            }
            line = {"at": the_map.at.isoformat(), "issue": row.issue.id, "label": row.issue.label}
            sys.stdout.write(
                json.dumps({**line, "mark": row.mark, "cells": cells}, ensure_ascii=False) + "\n"
            )
        return
    table = Table(title=f"Negotiation map on {the_map.at.isoformat()} ({redact(db)})", show_lines=True)
    table.add_column("issue", overflow="fold")
    for name in names:
        table.add_column(name, overflow="fold")
    table.add_column("mark")
    for row in the_map.rows:
        shown = [
            "—"
            if c.point is None
            else f"{c.point.stance} ({c.point.day})\n{_evidence_line(c.point.evidence, 120)}"
            for c in row.cells
        ]
        table.add_row(row.issue.label, *shown, row.mark)
    out.print(table)


@evaluate_app.command("positions")
def evaluate_positions(
    gold: Annotated[
        Path,
        typer.Option("--gold", help="Gold JSONL: {article, date, actor, issue, stance, text, conditions}."),
    ],
    articles: Annotated[
        list[Path] | None,
        typer.Option("--articles", help="Files or folders holding the gold articles (Parley runs on them)."),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", help="Read the gold articles' stored statements again instead of running Parley."
        ),
    ] = None,
    window: Annotated[int, typer.Option(help="Days a found shift may be off from a gold one.")] = 7,
) -> None:
    """Score positions against a hand-labelled set: precision, recall, stance accuracy, conditions,
    evidence and the shift methods, as JSON.

    Exit code 2 when the gold file or the articles cannot be read.
    """
    from parley.evaluate import positions as scorer
    from parley.extract.positions import read_positions
    from parley.knowledge.actors import load_actors
    from parley.knowledge.lexicon import load_issues

    if (articles is None) == (db is None):
        _say_error("give either --articles PATH or --db DB")
        raise typer.Exit(2)
    try:
        taxonomy, base = load_issues(), load_actors()
        gold_set = scorer.read_gold(gold, taxonomy.issues)
        if articles is not None:
            texts, predicted = scorer.parley_positions(gold_set, articles)
        else:
            assert db is not None
            with open_store(db) as store:
                analyses = [a for a in map(store.analysis, sorted(gold_set.articles)) if a is not None]
            texts, predicted = scorer.from_analyses(
                Analysis(a.article, a.statements, a.events, tuple(read_positions(a, taxonomy, base)))
                for a in analyses
            )
    except ParleyError as exc:
        _say_error(exc)
        raise typer.Exit(2) from exc
    missing = scorer.missing_articles(gold_set, texts)
    if missing:
        _say_error(f"{len(missing)} gold articles not found: {', '.join(missing[:5])}")
        raise typer.Exit(2)
    report = scorer.score(gold_set, texts, predicted, taxonomy, base.state_of, window=window)
    sys.stdout.write(json.dumps({"gold": str(gold), **report}, indent=2) + "\n")


# verify (issue 6): does this quote hold up?


class VerifyFormat(StrEnum):
    """Output formats of ``parley verify``."""

    jsonl = "jsonl"
    pretty = "pretty"


_VERDICT_STYLES = {
    "verbatim": "green",
    "close": "green",
    "paraphrase": "yellow",
    "truncated": "red",
    "stronger": "red",
    "weaker": "red",
    "unsupported": "magenta",
}


@app.command()
def verify(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Articles whose statements to verify (.txt, .html, .jsonl files or folders)."),
    ] = None,
    db: Annotated[
        str, typer.Option("--db", help="Store holding the other reports and the primary texts.")
    ] = ("parley.db"),
    all_statements: Annotated[
        bool, typer.Option("--all", help="Verify every stored statement and print a corpus-wide summary.")
    ] = False,
    format: Annotated[
        VerifyFormat, typer.Option("--format", "-f", help="jsonl: one JSON object per statement.")
    ] = VerifyFormat.jsonl,
    semantic: Annotated[
        bool,
        typer.Option(
            "--semantic",
            help="Also match re-worded quotes by sentence embeddings (pip install 'parley[embeddings]').",
        ),
    ] = False,
) -> None:
    """Check each statement against other reports and the primary texts in the store: verbatim,
    close, paraphrase, truncated, stronger, weaker or unsupported, with the word diff behind it.

    With PATH, the articles are analysed (not stored) and each of their statements is printed with
    its verdict, the independent reports of it, the best primary text, and the diff. With --all,
    every stored statement is verified and a summary printed. With --semantic, a quote that nothing
    matches word by word is compared by meaning (the embeddings extra; without it, a warning and
    word matching only). Exit code 1 when any input failed, 2 when the database is missing or
    unreadable, or neither PATH nor --all was given.
    """
    from parley.analysis.corroborate import Verifier, summarize

    encoder = _verify_encoder() if semantic else None
    if not paths and not all_statements:
        _say_error("give articles to verify (PATH...) or --all")
        raise typer.Exit(2)
    if "://" not in db and not Path(db).exists():
        _say_error(f"{db}: no such database")
        raise typer.Exit(2)
    report = RunReport()
    try:
        with open_store(db) as store:
            analyses = list(analyze_paths(paths or [], _report_error, report=report))
            verifier = Verifier.from_store(store, analyses, encoder=encoder)
    except ParleyError as exc:
        _say_error(exc)
        raise typer.Exit(2) from exc
    if all_statements:
        checks = list(verifier.check_all())
        summary = summarize(verifier, checks)
        if format is VerifyFormat.jsonl:
            sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
        else:
            _print_verify_summary(summary)
    for check in verifier.check_analyses(analyses) if paths else ():
        if format is VerifyFormat.jsonl:
            sys.stdout.write(json.dumps(check.to_json(), ensure_ascii=False) + "\n")
        else:
            _print_check(check.to_json())
    raise typer.Exit(1 if report.failed else 0)


def _verify_encoder() -> Encoder | None:
    """Return the sentence encoder of the embeddings extra, or None with a warning when it is missing."""
    from parley.analysis.embeddings import EmbeddingsUnavailable, load_encoder

    try:
        return load_encoder()
    except EmbeddingsUnavailable as exc:
        err.print(f"warning: {exc}; matching words only", markup=False, highlight=False)
        return None


def _print_check(check: dict[str, Any]) -> None:
    """Print one verified statement: verdict and quote, its best source, the diff, the other reports."""
    statement = check["statement"]
    verdict = str(check["verdict"])
    speaker = statement.get("speaker") or {}
    who = speaker.get("actor") or speaker.get("text") or "?"
    out.print(
        Text.assemble(
            (f"{verdict:<11} ", f"bold {_VERDICT_STYLES.get(verdict, '')}"),
            (f"{who}: ", "bold"),
            statement["text"],
        ),
        soft_wrap=True,
    )
    primary, diff, reports = check.get("primary"), check.get("diff"), check.get("reports") or []
    if isinstance(primary, dict):
        where = " ".join(str(primary[k]) for k in ("outlet", "published", "url") if primary.get(k))
        out.print(
            Text.assemble(("  primary  ", "dim"), f"{where} [{primary['start']}:{primary['end']}]"),
            soft_wrap=True,
        )
    if isinstance(diff, dict):
        line = Text("  diff     ", style="dim")
        for op in diff["ops"]:
            if op["op"] == "same":
                line.append(op["report"] + " ")
            else:
                if op["source"]:
                    line.append(f"[-{op['source']}-]", style="red")
                if op["report"]:
                    line.append(f"{{+{op['report']}+}}", style="green")
                line.append(" ")
        out.print(line, soft_wrap=True)
        cut = " ".join(
            f"{label} «{diff[key]}»"
            for key, label in (("cut_before", "before:"), ("cut_after", "after:"))
            if diff[key]
        )
        if cut:
            out.print(Text.assemble(("  cut      ", "dim"), cut), soft_wrap=True)
        out.print(Text.assemble(("  why      ", "dim"), str(diff["reason"])), soft_wrap=True)
    elif check.get("note"):
        out.print(Text.assemble(("  why      ", "dim"), str(check["note"])), soft_wrap=True)
    nearest = check.get("nearest")
    if isinstance(nearest, dict):
        where = " ".join(str(nearest[k]) for k in ("outlet", "published") if nearest.get(k))
        closest = f"{where} ({nearest['similarity']:.2f}): {nearest['text']}"
        out.print(Text.assemble(("  nearest  ", "dim"), closest), soft_wrap=True)
    for r in reports:
        out.print(
            Text.assemble(
                ("  report   ", "dim"),
                f"{r['outlet'] or r['article_id']} ({r['similarity']:.2f}): {r['text']}",
            ),
            soft_wrap=True,
        )
    copies = check.get("copies") or []
    if copies:
        out.print(
            Text.assemble(("  copies   ", "dim"), "not counted: " + ", ".join(map(str, copies))),
            soft_wrap=True,
        )


def _print_verify_summary(summary: dict[str, Any]) -> None:
    """Print the corpus-wide summary of ``parley verify --all``: a table of verdicts, then counts."""
    from rich.table import Table

    verdicts = summary["verdicts"]
    table = Table(title=f"Verdicts of {summary['statements']} statements in {summary['articles']} articles")
    table.add_column("verdict")
    table.add_column("statements", justify="right")
    for verdict, count in verdicts.items():
        table.add_row(Text(verdict, style=_VERDICT_STYLES.get(verdict, "")), str(count))
    out.print(table)
    for key in (
        "primary_articles",
        "with_primary",
        "with_reports",
        "syndicated_copies_skipped",
        "utterances_reported_several_times",
    ):
        out.print(f"{key.replace('_', ' ')}: {summary[key]}", highlight=False)


@app.command()
def serve(
    db: Annotated[str, typer.Option("--db", help="Store: an existing Parley SQLite file.")] = "parley.db",
    host: Annotated[
        str, typer.Option(help="Address to listen on (default: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    writable: Annotated[
        bool, typer.Option("--writable", help="Add a form that analyses and stores a pasted article.")
    ] = False,
    verify_limit: Annotated[
        int, typer.Option(help="Largest store (statements) whose quotes the verification page checks.")
    ] = 20_000,
) -> None:
    """Open the web UI over the database: articles, actors, negotiation map, verification, search.

    Read-only unless --writable (the database file is opened read-only); listens on 127.0.0.1 unless
    --host says otherwise. Exit code 2 when the database is missing or not a Parley store.
    """
    # Imported here: the web stack is not needed by the other commands.
    import uvicorn

    from parley.web.app import LOOPBACK, create_app

    loopback = host in LOOPBACK
    try:
        web = create_app(
            db, writable=writable, allowed_hosts=None if loopback else ["*"], verify_limit=verify_limit
        )
    except ParleyError as exc:
        _say_error(exc)
        raise typer.Exit(2) from exc
    if not loopback:
        err.print(
            f"warning: listening on {host}: anyone who can reach this address can read the store",
            style="yellow",
            markup=False,
            highlight=False,
        )
    mode = "writable" if writable else "read-only"
    err.print(f"Parley on http://{host}:{port}/ ({redact(db)}, {mode}); Ctrl+C stops it", markup=False)
    uvicorn.run(web, host=host, port=port, log_level="warning")


# Events: scoring against PLOVER/PETRARCH gold, and exports. Imports are local so that the other
# commands start without loading them.


@evaluate_app.command("events")
def evaluate_events_command(
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="Gold JSONL: the PLOVER gold standard records (gsr-dev.jsonl) or the PETRARCH "
            "unit-test records (unittest-records.jsonl).",
        ),
    ],
    cameo2plover: Annotated[
        Path | None,
        typer.Option(
            "--cameo2plover",
            help="CAMEO2PLOVER-2021.txt, to read PETRARCH's CAMEO codes as PLOVER types "
            "(default: ../plover/ beside the gold file's folder).",
        ),
    ] = None,
    actors: Annotated[
        list[Path] | None,
        typer.Option(
            "--actors",
            help="A TABARI actor dictionary replacing the packaged actor base for the run (repeatable); "
            "PETRARCH records default to PETR.Validate.actors.txt beside them.",
        ),
    ] = None,
    agents: Annotated[
        list[Path] | None,
        typer.Option("--agents", help="A TABARI agent dictionary to go with --actors (repeatable)."),
    ] = None,
    verbs: Annotated[
        list[Path] | None,
        typer.Option(
            "--verbs",
            help="A TABARI verb dictionary replacing the packaged CAMEO verbs for the run (repeatable), "
            "e.g. PETR.Validate.verbs.txt for the PETRARCH unit tests.",
        ),
    ] = None,
    details: Annotated[
        bool, typer.Option("--details", help="Add each sentence's gold and coded types and codes.")
    ] = False,
) -> None:
    """Score the PLOVER event coder against gold: per-type P/R/F1, macro-F1, actor-code recall (JSON).

    Each sentence is coded alone; its primary events (those no other event governs) are compared
    with the gold types. PLOVER 0.5b1 labels are mapped (DEMAND->REQUEST, DISAPPROVE->ACCUSE,
    INVESTIGATE->ACCUSE, FIGHT->ASSAULT). Exit code 2 when the gold or a dictionary cannot be read.
    """
    from parley.evaluate.events import evaluate_events

    try:
        report = evaluate_events(
            gold,
            cameo2plover=cameo2plover,
            actors=actors or (),
            agents=agents or (),
            verbs=verbs or (),
            details=details,
        )
    except ParleyError as exc:
        _say_error(exc)
        raise typer.Exit(2) from exc
    sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


@app.command("export")
def export_command(
    db: Annotated[str, typer.Option("--db", help="Store: an existing Parley SQLite file.")] = "parley.db",
    what: Annotated[
        str, typer.Option("--what", help="Which records: statements, events, positions or shifts.")
    ] = "events",
    format: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            help="jsonl, csv or parquet (any table); plover (PLOVER JSON lines) or polecat "
            "(POLECAT-style CSV) for events. Columns: docs/formats.md.",
        ),
    ] = "jsonl",
    out_path: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write here instead of standard output.")
    ] = None,
) -> None:
    """Export stored statements, events, positions or shifts with stable column names.

    Exit code 2 when the database is missing or not a Parley store, or the table and format do not
    go together (plover and polecat are for events).
    """
    from parley.export import Format, What, export

    try:
        table, fmt = What(what), Format(format)
    except ValueError as exc:
        _say_error(
            f"--what must be one of {[w.value for w in What]}, --format one of {[f.value for f in Format]}"
        )
        raise typer.Exit(2) from exc
    if "://" not in db and not Path(db).exists():
        _say_error(f"{db}: no such database")
        raise typer.Exit(2)
    try:
        with open_store(db) as store:
            if out_path is None:
                count = export(store, table, fmt, sys.stdout.buffer)
                sys.stdout.buffer.flush()
            else:
                with out_path.open("wb") as handle:
                    count = export(store, table, fmt, handle)
    except (ParleyError, OSError) as exc:
        _say_error(exc)
        raise typer.Exit(2) from exc
    err.print(f"exported {count} {table.value} as {fmt.value}", markup=False, highlight=False)


@evaluate_app.command("corroboration")
def evaluate_corroboration(
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="Labelled cases JSONL: {id, verdict, statement, primary, reports} (verify-cases.jsonl).",
        ),
    ],
    errors: Annotated[
        Path | None,
        typer.Option("--errors", help="Write each case given the wrong verdict here (JSONL, with its diff)."),
    ] = None,
    semantic: Annotated[
        bool, typer.Option("--semantic", help="Verify as `parley verify --semantic` (the embeddings extra).")
    ] = False,
) -> None:
    """Score the verdicts of ``parley verify`` on labelled cases: precision, recall and F1 per verdict.

    Exit code 2 when the cases cannot be read.
    """
    from parley.evaluate import corroboration as scorer

    encoder = _verify_encoder() if semantic else None
    try:
        scores = scorer.evaluate(scorer.read_cases(gold), encoder=encoder)
    except ParleyError as exc:
        _say_error(exc)
        raise typer.Exit(2) from exc
    if errors is not None:
        errors.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in scores.errors), "utf-8")
    sys.stdout.write(json.dumps({"gold": str(gold), **scores.to_json()}, indent=2) + "\n")


class BenchFormat(StrEnum):
    """Output formats of ``parley bench``."""

    json = "json"
    table = "table"


@app.command()
def bench(
    corpus: Annotated[
        Path | None,
        typer.Argument(help="Corpus to ingest (file or folder); default: ../shared/data/primary."),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N articles.")] = None,
    executor: ExecutorOption = ExecutorKind.local,
    address: AddressOption = None,
    processes: ProcessesOption = None,
    batch_size: Annotated[int, typer.Option(help="Articles per batch (spaCy and the store).")] = 32,
    chunk: Annotated[
        int | None,
        typer.Option(
            "--chunk", min=1, help="Articles per turn of spaCy then ingest (default: 50 local, all on Ray)."
        ),
    ] = None,
    format: Annotated[BenchFormat, typer.Option("--format", "-f")] = BenchFormat.table,
) -> None:
    """Time an end-to-end ingest against bare spaCy ``nlp.pipe`` on the same texts, in one run.

    Prints docs per second of both, their ratio and the peak memory (this process and its workers).
    The two take turns a chunk at a time; the store is a temporary file. Exit code 2 when the run
    cannot start.
    """
    from parley.bench import run_bench

    try:
        # Not started here: run_bench starts it, and reports how long that took.
        runner = make_executor(executor.value, processes=processes, address=address, batch_size=batch_size)
        try:
            result = run_bench(corpus, limit=limit, executor=runner, batch_size=batch_size, chunk=chunk)
        finally:
            runner.close()
    except ParleyError as exc:
        _say_error(exc)
        raise typer.Exit(2) from exc
    if format is BenchFormat.json:
        sys.stdout.write(json.dumps(result.to_json()) + "\n")
        return
    table = Table(title=f"parley bench: {result.docs} articles of {result.corpus}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, value in result.to_json().items():
        table.add_row(key, str(value))
    out.print(table)

"""The ``parley`` command line: a thin layer over the library (``parley.runs``, ``parley.store``)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from parley import __version__
from parley.brief import print_brief, statements_table
from parley.errors import InputError, ParleyError
from parley.model import Article, to_dict
from parley.runs import RunReport, analyze_paths, ingest_paths
from parley.store import open_store

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

PathsArg = Annotated[list[Path], typer.Argument(help="Files or folders of articles (.txt, .html, .jsonl).")]
DbOption = Annotated[str, typer.Option("--db", help="Store: a SQLite database file (created if absent).")]


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


@app.command()
def ingest(
    paths: PathsArg,
    db: DbOption = "parley.db",
    brief: Annotated[
        bool, typer.Option("--brief", help="Print a readable brief of each article read.")
    ] = False,
    batch_size: Annotated[int, typer.Option(help="Articles per batch and transaction.")] = 32,
) -> None:
    """Analyse articles and store them in the SQLite database; re-running changes nothing.

    Bad inputs are reported, recorded in the database's quarantine table and skipped; exit code 1
    when any input failed, 0 otherwise.
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

                report = ingest_paths(paths, store, on_error, batch_size=batch_size, on_article=on_article)
            err.print(
                f"read {report.read} · added {report.added} · updated {report.updated} · "
                f"unchanged {report.unchanged} · failed {report.failed} · db {db}",
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
        out.print(statements_table(rows, title=f"Statements in {db} ({len(rows)})"))

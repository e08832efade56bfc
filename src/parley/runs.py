"""Whole runs over input paths: read, analyse in batches, store; bad documents never stop a run.

Each bad input (unreadable file, malformed JSONL line, a document the pipeline fails on) is reported
through ``on_error`` and, when a store is given, recorded in its quarantine table; the rest of the
run goes on and what was already stored stays.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from parley.errors import InputError
from parley.ingest import read_paths
from parley.model import Analysis, Article
from parley.pipeline import process_batch
from parley.store import Store

ErrorHandler = Callable[[InputError], None]


@dataclass
class RunReport:
    """Counts of one run: articles read, analysed, stored (added/updated/unchanged), failed."""

    read: int = 0
    analysed: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0


def _batches(
    items: Iterable[Article | InputError], size: int, report: RunReport, on_error: ErrorHandler
) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        if isinstance(item, InputError):
            report.failed += 1
            on_error(item)
            continue
        report.read += 1
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _analyse(batch: list[Article], report: RunReport, on_error: ErrorHandler) -> list[Analysis]:
    """Analyse a batch; when it fails, analyse its articles one by one to isolate the bad one."""
    try:
        analyses = process_batch(batch)
    except (ValueError, RuntimeError, IndexError, KeyError, TypeError, MemoryError):
        analyses = []
        for article in batch:
            try:
                analyses += process_batch([article])
            except (ValueError, RuntimeError, IndexError, KeyError, TypeError, MemoryError) as err:
                report.failed += 1
                on_error(
                    InputError(
                        article.source or article.id,
                        f"analysis failed for article {article.id}: {err!r}",
                    )
                )
    report.analysed += len(analyses)
    return analyses


def analyze_paths(
    paths: Iterable[Path],
    on_error: ErrorHandler,
    batch_size: int = 32,
    report: RunReport | None = None,
) -> Iterator[Analysis]:
    """Yield the analysis of every article under ``paths``, in input order."""
    report = report if report is not None else RunReport()
    for batch in _batches(read_paths(paths), batch_size, report, on_error):
        yield from _analyse(batch, report, on_error)


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    on_error: ErrorHandler,
    batch_size: int = 32,
    on_article: Callable[[Article], object] | None = None,
) -> RunReport:
    """Analyse every article under ``paths`` and store it, one transaction per batch.

    Articles the store already holds (same text) are not analysed again, so a re-run is cheap and
    leaves the database unchanged. Returns the run's counts.
    """
    report = RunReport()

    def quarantine(error: InputError) -> None:
        store.quarantine(error)
        on_error(error)

    for batch in _batches(read_paths(paths), batch_size, report, quarantine):
        if on_article is not None:
            for article in batch:
                on_article(article)
        fresh = [a for a in batch if not store.has_article(a)]
        report.unchanged += len(batch) - len(fresh)
        if not fresh:
            continue
        saved = store.save(_analyse(fresh, report, quarantine))
        report.added += saved.added
        report.updated += saved.updated
        report.unchanged += saved.unchanged
    return report

"""Whole runs over input paths: read, analyse in batches, store; bad documents never stop a run.

Each bad input (unreadable file, malformed JSONL line, a document the pipeline fails on) is reported
through ``on_error`` and, when a store is given, recorded in its quarantine table; the rest of the
run goes on and what was already stored stays.

Analysis runs on an :class:`~parley.scale.Executor` (default: in this process); whatever runs it, the
results come back here, batch by batch in input order, and this process alone writes the store.

An ingest also flags near-duplicates (a wire story reprinted by several outlets, a re-post) with the
MinHash index of :mod:`parley.ingest.dedup`: each article read is checked against the articles read
before it in the same run, and the pairs found are in the run's report. They are still stored (each
outlet's copy is evidence of its own; corroboration counts them as one source).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parley.errors import InputError, StoreError
from parley.ingest import read_paths
from parley.model import Analysis, Article
from parley.scale import BatchResult, Executor
from parley.scale.local import LocalExecutor
from parley.store import Store

ErrorHandler = Callable[[InputError], None]


# Near-duplicates are looked for among this many articles read before (the index takes about 10 KB
# and 6 ms of CPU per article, measured on the primary texts); past it the index starts afresh, so
# memory stays bounded (about 200 MB) on a run of millions of articles.
NEAR_DUPLICATE_WINDOW = 20_000


@dataclass(frozen=True)
class NearDuplicate:
    """An article read in a run that is a near-copy of one read before it in the same run."""

    article_id: str
    copy_of: str
    source: str | None


@dataclass
class RunReport:
    """Counts of one run: articles read, analysed, stored (added/updated/unchanged), failed, the
    near-duplicates found among the articles read and the timelines refreshed (ingest only)."""

    read: int = 0
    analysed: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    near_duplicates: list[NearDuplicate] = field(default_factory=list)
    # Timelines whose shifts were found again and stored at the end of the run (ingest only).
    timelines_refreshed: int = 0


class _NearDuplicateCheck:
    """Checks each article against those read before it in the run (a window of them)."""

    def __init__(self, window: int = NEAR_DUPLICATE_WINDOW) -> None:
        self.window = window
        self._index: Any = None

    def check(self, article: Article) -> NearDuplicate | None:
        """Return the near-duplicate pair ``article`` makes with an earlier one, or None."""
        # Imported here: datasketch takes a while to import, and only an ingest needs it.
        from parley.ingest.dedup import DuplicateIndex

        if self._index is None or len(self._index) >= self.window:
            self._index = DuplicateIndex()
        if article.id in self._index:
            return None  # the same article again: the store keeps it once
        earlier = self._index.add(article.id, article.text)
        return NearDuplicate(article.id, earlier[0], article.source) if earlier else None


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


def _record(result: BatchResult, report: RunReport, on_error: ErrorHandler) -> tuple[Analysis, ...]:
    """Count a batch's result and report its failures; return its analyses."""
    for failure in result.failures:
        report.failed += 1
        on_error(failure.as_error())
    report.analysed += len(result.analyses)
    return result.analyses


def analyze_paths(
    paths: Iterable[Path],
    on_error: ErrorHandler,
    batch_size: int = 32,
    report: RunReport | None = None,
    executor: Executor | None = None,
) -> Iterator[Analysis]:
    """Yield the analysis of every article under ``paths``, in input order.

    ``executor`` runs the analysis (default: this process); the caller starts and closes it.

    Raises:
        ParleyError: when the executor cannot run (model not installed, Ray unreachable).
    """
    report = report if report is not None else RunReport()
    executor = executor if executor is not None else LocalExecutor(batch_size=batch_size)
    batches = _batches(read_paths(paths), batch_size, report, on_error)
    for result in executor.map(batches):
        yield from _record(result, report, on_error)


def ingest_paths(
    paths: Iterable[Path],
    store: Store,
    on_error: ErrorHandler,
    batch_size: int = 32,
    on_article: Callable[[Article], object] | None = None,
    executor: Executor | None = None,
    near_duplicates: bool = True,
) -> RunReport:
    """Analyse every article under ``paths`` and store it, one transaction per batch.

    Articles the store already holds (same text) are not analysed again, so a re-run is cheap and
    leaves the database unchanged. ``executor`` runs the analysis (default: this process); the caller
    starts and closes it. With ``near_duplicates``, near-copies among the articles read are flagged in
    the report. Returns the run's counts.

    Raises:
        ParleyError: when the executor cannot run, or StoreError when the store cannot be written.
    """
    return ingest_items(read_paths(paths), store, on_error, batch_size, on_article, executor, near_duplicates)


def ingest_items(
    items: Iterable[Article | InputError],
    store: Store,
    on_error: ErrorHandler,
    batch_size: int = 32,
    on_article: Callable[[Article], object] | None = None,
    executor: Executor | None = None,
    near_duplicates: bool = True,
) -> RunReport:
    """Analyse and store articles already read (and report the InputErrors among them).

    The same as :func:`ingest_paths` over what a reader yields, for callers that read themselves
    (``parley bench`` takes the first N articles of a corpus). Returns the run's counts.

    Raises:
        ParleyError: when the executor cannot run, or StoreError when the store cannot be written.
    """
    report = RunReport()
    executor = executor if executor is not None else LocalExecutor(batch_size=batch_size)

    def quarantine(error: InputError) -> None:
        store.quarantine(error)
        on_error(error)

    near = _NearDuplicateCheck() if near_duplicates else None

    def fresh_batches() -> Iterator[list[Article]]:
        for batch in _batches(items, batch_size, report, quarantine):
            for article in batch:
                if on_article is not None:
                    on_article(article)
                found = near.check(article) if near is not None else None
                if found is not None:
                    report.near_duplicates.append(found)
            fresh = [a for a in batch if not store.has_article(a)]
            report.unchanged += len(batch) - len(fresh)
            if fresh:
                yield fresh

    for result in executor.map(fresh_batches()):
        _save(store, _record(result, report, quarantine), report, quarantine)
    report.timelines_refreshed = refresh_shifts(store)
    return report


def refresh_shifts(store: Store) -> int:
    """Find again and store the shifts of the timelines whose stored shifts are out of date (their
    positions changed, or the method or knowledge did); return how many timelines were refreshed.

    An ingest ends with this, so readers (``parley shifts``, the web UI) find the shifts stored.

    Raises:
        StoreError: when the store cannot be read or written.
    """
    # Imported here: analyze does not need them, and the knowledge is loaded already by an ingest.
    from parley.analysis.shifts import refresh_stored
    from parley.knowledge.actors import load_actors
    from parley.knowledge.lexicon import load_issues

    return refresh_stored(store, load_issues(), load_actors().state_of)


def _save(store: Store, analyses: tuple[Analysis, ...], report: RunReport, on_error: ErrorHandler) -> None:
    """Store a batch in one transaction; when the store refuses it, store its articles one by one.

    A record the store cannot take (a constraint it violates) then costs only its own article, which
    is quarantined; the rest of the batch is stored.

    Raises:
        StoreError: when the store cannot be written at all (a single article fails the same way
            after its batch did, and so does the next one: the store itself is the problem).
    """
    try:
        saves = [store.save(analyses)]
    except StoreError:
        saves = []
        for analysis in analyses:
            try:
                saves.append(store.save([analysis]))
            except StoreError as err:
                report.failed += 1
                article = analysis.article
                problem = f"cannot store article {article.id}: {err}"
                on_error(InputError(article.source or article.id, problem))
    for saved in saves:
        report.added += saved.added
        report.updated += saved.updated
        report.unchanged += saved.unchanged

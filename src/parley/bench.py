"""Throughput of a whole ingest against bare spaCy on the same texts, measured in one run.

:func:`run_bench` reads a corpus (default: the shared primary texts), times spaCy's ``nlp.pipe`` with
the bare English model over the article texts, then times an end-to-end ingest of the same articles
(reading, Parley's pipeline on the chosen executor, writing a temporary SQLite store), and reports
both rates, their ratio and the peak memory of the ingest. Both timings exclude loading the model;
the executor's start (worker processes, a Ray instance) is reported apart as ``startup_s``, but a Ray
job's actors load the model inside the timed run, as they do in every real one.

Peak memory is the largest total resident set size of this process and every process under it
(worker processes, a local Ray instance), sampled every 50 ms during the ingest; shared pages count
once per process, so for a process tree it is an upper bound.
"""

from __future__ import annotations

import gc
import itertools
import os
import platform
import resource
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import spacy

from parley import nlp as parley_nlp
from parley.errors import InputError, ParleyError
from parley.ingest import read_paths
from parley.model import Article
from parley.runs import ingest_items
from parley.scale import Executor
from parley.scale.local import LocalExecutor
from parley.store import Store

__all__ = ["BenchResult", "default_corpus", "run_bench"]

_SAMPLE_SECONDS = 0.05
_PAGE_MB = os.sysconf("SC_PAGE_SIZE") / (1024 * 1024) if hasattr(os, "sysconf") else 4096 / (1024 * 1024)


@dataclass(frozen=True)
class BenchResult:
    """One bench run: the corpus, both rates, their ratio, the ingest's peak memory."""

    corpus: str
    docs: int
    chars: int
    executor: str
    cpus: int
    batch_size: int
    seconds: float
    docs_per_s: float
    spacy_seconds: float
    spacy_docs_per_s: float
    ratio: float
    peak_rss_mb: float
    startup_s: float
    failed: int
    model: str
    spacy_version: str
    python: str

    def to_json(self) -> dict[str, Any]:
        """Return the result as one JSON object (the ``parley bench --format json`` output)."""
        return asdict(self)


def default_corpus() -> Path:
    """Return the shared primary texts (``../shared/data/primary`` beside the repository).

    Raises:
        ParleyError: when no such folder is found; pass a corpus path instead.
    """
    here = Path(__file__).resolve()
    candidates = [Path.cwd().parent / "shared" / "data" / "primary"]
    candidates += [parent.parent / "shared" / "data" / "primary" for parent in here.parents]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise ParleyError("no corpus given and no ../shared/data/primary found; pass a corpus path")


def _articles(corpus: Path, limit: int | None) -> Iterator[Article | InputError]:
    return itertools.islice(read_paths([corpus]), limit)


def run_bench(
    corpus: Path | None = None,
    limit: int | None = None,
    executor: Executor | None = None,
    batch_size: int = 32,
) -> BenchResult:
    """Return the throughput of ingesting the first ``limit`` articles of ``corpus`` against bare spaCy.

    ``executor`` runs the ingest's analysis (default: in this process); it is started here and, when
    made here, closed. The store is a temporary SQLite file, removed afterwards.

    Raises:
        ParleyError: when the corpus holds no readable article, the model is not installed, or the
            executor cannot start.
    """
    corpus = corpus if corpus is not None else default_corpus()
    articles = [a for a in _articles(corpus, limit) if isinstance(a, Article)]
    if not articles:
        raise ParleyError(f"{corpus}: no readable article to bench")
    spacy_seconds = _time_bare_spacy([a.text for a in articles], batch_size)
    gc.collect()

    own = executor is None
    runner = executor if executor is not None else LocalExecutor(batch_size=batch_size)
    failures: list[InputError] = []
    started = time.perf_counter()
    try:
        runner.start()
        _warm(runner)
        startup = time.perf_counter() - started
        with tempfile.TemporaryDirectory(prefix="parley-bench-") as folder, Store(Path(folder) / "bench.db") as store:
            with _PeakMemory() as memory:
                began = time.perf_counter()
                report = ingest_items(
                    _articles(corpus, limit), store, failures.append, batch_size=batch_size, executor=runner
                )
                seconds = time.perf_counter() - began
    finally:
        if own:
            runner.close()
    docs = report.read
    return BenchResult(
        corpus=str(corpus),
        docs=docs,
        chars=sum(len(a.text) for a in articles),
        executor=runner.describe(),
        cpus=os.cpu_count() or 1,
        batch_size=batch_size,
        seconds=round(seconds, 3),
        docs_per_s=round(docs / seconds, 3),
        spacy_seconds=round(spacy_seconds, 3),
        spacy_docs_per_s=round(len(articles) / spacy_seconds, 3),
        ratio=round((docs / seconds) / (len(articles) / spacy_seconds), 3),
        peak_rss_mb=round(memory.peak_mb, 1),
        startup_s=round(startup, 3),
        failed=report.failed,
        model=parley_nlp.MODEL,
        spacy_version=spacy.__version__,
        python=platform.python_version(),
    )


def _time_bare_spacy(texts: list[str], batch_size: int) -> float:
    """Return the seconds spaCy's bare model takes over ``texts`` (the model loaded beforehand)."""
    bare = spacy.load(parley_nlp.MODEL)
    bare(texts[0][:1000])  # the first call sets up lazily built tables; a run pays it once
    began = time.perf_counter()
    for _doc in bare.pipe(texts, batch_size=batch_size):
        pass
    seconds = time.perf_counter() - began
    del bare
    return seconds


def _warm(executor: Executor) -> None:
    """Run an empty batch per worker, so that the timed run starts with the workers up."""
    if isinstance(executor, LocalExecutor):
        for _result in executor.map([[] for _ in range(2 * executor.processes)]):
            pass


class _PeakMemory:
    """Samples the resident memory of this process and its descendants on a thread until closed."""

    def __init__(self) -> None:
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="parley-bench-memory", daemon=True)

    def __enter__(self) -> _PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _run(self) -> None:
        while not self._stop.wait(_SAMPLE_SECONDS):
            self._sample()

    def _sample(self) -> None:
        self.peak_mb = max(self.peak_mb, _tree_rss_mb())


def _tree_rss_mb() -> float:
    """Return the resident memory of this process and all its descendants, in MB.

    Reads /proc (Linux); elsewhere, this process's own peak as the OS reports it.
    """
    proc = Path("/proc")
    if not (proc / "self" / "statm").exists():
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return float(peak) / (1024 * 1024 if platform.system() == "Darwin" else 1024)
    parents: dict[int, int] = {}
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # the process ended between the listing and the read
            # The command name (field 2) may hold spaces; the fields after its ')' are fixed.
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree = {os.getpid()}
    grew = True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    pages = 0
    for pid in tree:
        try:
            pages += int((proc / str(pid) / "statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return pages * _PAGE_MB

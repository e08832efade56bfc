"""Throughput of a whole ingest against bare spaCy on the same texts, measured in one run.

:func:`run_bench` reads a corpus (default: the shared primary texts) and takes turns, a chunk of
articles at a time: spaCy's ``nlp.pipe`` with the bare English model over the chunk's texts, then an
end-to-end ingest of the chunk (reading, Parley's pipeline on the chosen executor, writing a temporary
SQLite store). Taking turns makes a shared machine's changing load bend both sides alike. It reports
both rates, their ratio and the peak memory. ``ratio`` is of wall-clock rates, the measure asked for;
``cpu_ratio`` (in-process runs only) is the same of this process's CPU seconds, which other work on
the machine bends less. Both timings exclude loading the models; the executor's start (worker
processes, a Ray instance) is reported apart as ``startup_s``, but a Ray job's actors load the model
inside the timed run, as they do in every real one.

Peak memory is sampled every 50 ms during the run over this process and every process under it
(worker processes, a local Ray instance); it includes the bare spaCy model the bench keeps for its
baseline (about 60 MB). ``peak_rss_mb`` is the largest total resident set size, which counts a page
shared by several processes (libraries, Ray's object store) once per process, an upper bound;
``peak_pss_mb`` the largest total proportional set size, which shares such a page out among them,
the tree's real footprint. For a single process the two are close.
"""

from __future__ import annotations

import itertools
import os
import platform
import resource
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from importlib import metadata
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


@dataclass(frozen=True)
class BenchResult:
    """One bench run: the corpus, both rates, their ratio, the ingest's peak memory."""

    corpus: str
    docs: int
    chars: int
    executor: str
    cpus: int
    batch_size: int
    chunk: int | None
    seconds: float
    docs_per_s: float
    spacy_seconds: float
    spacy_docs_per_s: float
    ratio: float
    cpu_ratio: float | None
    peak_rss_mb: float
    peak_pss_mb: float
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


@dataclass
class _Clock:
    """Wall and CPU seconds summed over the timed stretches of one side of the bench."""

    seconds: float = 0.0
    cpu_seconds: float = 0.0

    def timing(self) -> _Stretch:
        return _Stretch(self)


class _Stretch:
    def __init__(self, clock: _Clock) -> None:
        self.clock = clock

    def __enter__(self) -> None:
        self.began, self.began_cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *exc: object) -> None:
        self.clock.seconds += time.perf_counter() - self.began
        self.clock.cpu_seconds += time.process_time() - self.began_cpu


def run_bench(
    corpus: Path | None = None,
    limit: int | None = None,
    executor: Executor | None = None,
    batch_size: int = 32,
    chunk: int | None = None,
) -> BenchResult:
    """Return the throughput of ingesting the first ``limit`` articles of ``corpus`` against bare spaCy.

    The two sides take turns, ``chunk`` articles at a time: bare spaCy over a chunk's texts, then the
    end-to-end ingest of the chunk (reading included), so that a shared machine's changing load
    bends both alike. ``chunk`` None: 50 articles for the local executor, the whole corpus at once
    for others (a Ray job has a start-up cost per job that small chunks would multiply).
    ``executor`` runs the ingest's analysis (default: in this process); it is started here and, when
    made here, closed. The store is a temporary SQLite file, removed afterwards.

    Raises:
        ParleyError: when the corpus holds no readable article, the model is not installed, or the
            executor cannot start.
    """
    corpus = corpus if corpus is not None else default_corpus()
    own = executor is None
    runner = executor if executor is not None else LocalExecutor(batch_size=batch_size)
    if chunk is None:
        chunk = 50 if isinstance(runner, LocalExecutor) else None
    bare = spacy.load(parley_nlp.MODEL)
    bare("Warm-up: the first call builds tables lazily.")
    ingest, baseline = _Clock(), _Clock()
    docs = failed = chars = 0
    started = time.perf_counter()
    try:
        runner.start()
        _warm(runner)
        startup = time.perf_counter() - started
        with (
            tempfile.TemporaryDirectory(prefix="parley-bench-") as folder,
            Store(Path(folder) / "bench.db") as store,
            _PeakMemory() as memory,
        ):
            items = _articles(corpus, limit)
            while True:
                with ingest.timing():
                    part = list(itertools.islice(items, chunk))
                if not part:
                    break
                texts = [a.text for a in part if isinstance(a, Article)]
                chars += sum(map(len, texts))
                with baseline.timing():
                    for _doc in bare.pipe(texts, batch_size=batch_size):
                        pass
                with ingest.timing():
                    report = ingest_items(part, store, _ignore, batch_size=batch_size, executor=runner)
                docs += report.read
                failed += report.failed
    finally:
        if own:
            runner.close()
    if docs == 0:
        raise ParleyError(f"{corpus}: no readable article to bench")
    # CPU time is only the work when all of it happens in this process.
    in_process = isinstance(runner, LocalExecutor) and runner.processes == 1
    return BenchResult(
        corpus=str(corpus),
        docs=docs,
        chars=chars,
        executor=runner.describe(),
        cpus=os.cpu_count() or 1,
        batch_size=batch_size,
        chunk=chunk,
        seconds=round(ingest.seconds, 3),
        docs_per_s=round(docs / ingest.seconds, 3),
        spacy_seconds=round(baseline.seconds, 3),
        spacy_docs_per_s=round(docs / baseline.seconds, 3),
        ratio=round(baseline.seconds / ingest.seconds, 3),
        cpu_ratio=round(baseline.cpu_seconds / ingest.cpu_seconds, 3) if in_process else None,
        peak_rss_mb=round(memory.peak_rss_mb, 1),
        peak_pss_mb=round(memory.peak_pss_mb, 1),
        startup_s=round(startup, 3),
        failed=failed,
        model=parley_nlp.MODEL,
        spacy_version=metadata.version("spacy"),
        python=platform.python_version(),
    )


def _ignore(error: InputError) -> None:
    """Bad inputs are counted in the result (``failed``), not printed."""


def _warm(executor: Executor) -> None:
    """Analyse a sentence per worker, so that the timed run starts with the workers up and warm."""
    if isinstance(executor, LocalExecutor):
        sentence = Article(id="warm-up", text="Zelenskyy said that Ukraine was ready to negotiate.")
        for _result in executor.map([[sentence] for _ in range(2 * executor.processes)]):
            pass


class _PeakMemory:
    """Samples the memory of this process and its descendants on a thread until closed."""

    def __init__(self) -> None:
        self.peak_rss_mb = 0.0
        self.peak_pss_mb = 0.0
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
        rss, pss = _tree_memory_mb()
        self.peak_rss_mb = max(self.peak_rss_mb, rss)
        self.peak_pss_mb = max(self.peak_pss_mb, pss)


def _tree_memory_mb() -> tuple[float, float]:
    """Return the resident and proportional memory of this process and its descendants, in MB.

    Reads /proc (Linux); elsewhere, this process's own peak resident size as the OS reports it, twice.
    """
    proc = Path("/proc")
    if not (proc / "self" / "smaps_rollup").exists():
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        own = float(peak) / (1024 * 1024 if platform.system() == "Darwin" else 1024)
        return own, own
    rss_kb = pss_kb = 0
    for pid in _descendants(proc, os.getpid()):
        try:
            rollup = (proc / str(pid) / "smaps_rollup").read_text()
        except OSError:
            continue  # the process ended after the listing
        for line in rollup.splitlines():
            name, _, value = line.partition(":")
            if name == "Rss":
                rss_kb += int(value.split()[0])
            elif name == "Pss":
                pss_kb += int(value.split()[0])
    return rss_kb / 1024, pss_kb / 1024


def _descendants(proc: Path, root: int) -> set[int]:
    """Return ``root`` and the ids of every process under it."""
    parents: dict[int, int] = {}
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue  # the process ended between the listing and the read
            # The command name (field 2) may hold spaces; the fields after its ')' are fixed.
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree = {root}
    grew = True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    return tree

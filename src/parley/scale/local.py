"""The local executor: spaCy's ``nlp.pipe`` in this process, or in a pool of worker processes.

With ``processes=N`` (N > 1) each batch goes to one of N worker processes that load the pipeline once,
when they start. spaCy's own ``nlp.pipe(n_process=N)`` is not used: it sends each doc back to the
parent through ``Doc.to_bytes``, whose msgpack cannot carry the records Parley's components leave on
``doc._`` (dataclasses), so the pool sends :class:`~parley.scale.BatchResult` s back instead, pickled.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from parley import nlp as parley_nlp
from parley.errors import ParleyError
from parley.model import Article
from parley.scale import BatchResult, Executor, Failure, analyse_batch

__all__ = ["LocalExecutor"]


def _load_pipeline() -> None:
    """Load the pipeline in a worker process as it starts, so no batch pays for it."""
    parley_nlp.load()


def _analyse_in_worker(articles: Sequence[Article], batch_size: int) -> BatchResult:
    return analyse_batch(articles, batch_size=batch_size)


class LocalExecutor(Executor):
    """Runs the pipeline on this machine: in this process, or in ``processes`` worker processes.

    ``batch_size`` is spaCy's ``nlp.pipe`` batch size. The pool keeps at most two batches per worker
    in flight, so memory stays bounded however long the input is.
    """

    name = "local"

    def __init__(self, processes: int = 1, batch_size: int = 32) -> None:
        if processes < 1:
            raise ParleyError(f"processes must be at least 1, got {processes}")
        self.processes = processes
        self.batch_size = batch_size
        self._pool: ProcessPoolExecutor | None = None

    def describe(self) -> str:
        """Return ``"local"`` or ``"local (N processes)"``."""
        return self.name if self.processes == 1 else f"{self.name} ({self.processes} processes)"

    def start(self) -> None:
        """Load the pipeline here, or start the worker processes (which load it); idempotent.

        Raises:
            ParleyError: when the spaCy model is not installed.
        """
        if self.processes == 1:
            parley_nlp.load()
        elif self._pool is None:
            # spawn, not fork: the parent may run threads (a progress display, a memory sampler) that
            # a forked child would inherit in whatever state they were in.
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_load_pipeline)

    def close(self) -> None:
        """Stop the worker processes, if any; idempotent."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[BatchResult]:
        """Yield one result per batch, in order.

        Raises:
            ParleyError: when the spaCy model is not installed.
        """
        self.start()
        if self._pool is None:
            for batch in batches:
                yield analyse_batch(batch, batch_size=self.batch_size)
            return
        yield from self._map_in_pool(batches)

    def _map_in_pool(self, batches: Iterable[Sequence[Article]]) -> Iterator[BatchResult]:
        window: deque[tuple[Sequence[Article], Future[BatchResult]]] = deque()
        limit = 2 * self.processes
        for batch in batches:
            window.append((batch, self._submit(batch)))
            if len(window) >= limit:
                yield self._result(*window.popleft())
        while window:
            yield self._result(*window.popleft())

    def _submit(self, batch: Sequence[Article]) -> Future[BatchResult]:
        self.start()
        assert self._pool is not None  # start() made it
        try:
            return self._pool.submit(_analyse_in_worker, list(batch), self.batch_size)
        except BrokenProcessPool:
            self.close()
            self.start()
            assert self._pool is not None
            return self._pool.submit(_analyse_in_worker, list(batch), self.batch_size)

    def _result(self, batch: Sequence[Article], future: Future[BatchResult]) -> BatchResult:
        try:
            return future.result()
        except BrokenProcessPool:
            # A worker died (killed for memory, a crash in native code): this batch is lost, the run is
            # not; the next submission starts a fresh pool.
            self.close()
            problem = "analysis failed: the worker process analysing it died"
            return BatchResult((), tuple(Failure(a.id, a.source, problem) for a in batch))

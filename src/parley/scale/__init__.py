"""Executors: where the pure ``process_batch(articles) -> analyses`` runs.

An :class:`Executor` maps batches of articles to :class:`BatchResult` s, one result per batch and in
the order of the batches, so a run can store each result in one transaction and print analyses in
input order whatever runs them. Two are built:

- :class:`~parley.scale.local.LocalExecutor` (the default): spaCy's ``nlp.pipe`` in this process, or
  in a pool of worker processes (``processes=N``), each loading the model once.
- :class:`~parley.scale.ray.RayExecutor`: Ray Data ``map_batches`` over an actor pool (each actor
  loads the model once), articles in and analyses out as Parquet; the driver merges the results into
  the store. Ray is an optional extra (``pip install 'parley[ray]'``).

A batch the pipeline fails on is re-run article by article inside the worker, so one bad document
costs only itself: it comes back as a :class:`Failure`, never as an exception.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Literal, Self

from spacy.language import Language

from parley.errors import InputError, ParleyError
from parley.model import Analysis, Article
from parley.pipeline import process_batch

__all__ = [
    "ANALYSIS_ERRORS",
    "BatchResult",
    "Executor",
    "ExecutorName",
    "Failure",
    "analyse_batch",
    "make_executor",
]

ExecutorName = Literal["local", "ray"]

# What the pipeline raises on a document it cannot handle (spaCy's max_length is a ValueError, a
# component tripping over an odd parse an IndexError or KeyError); anything else is a bug and stops
# the run.
ANALYSIS_ERRORS: tuple[type[Exception], ...] = (
    ValueError,
    RuntimeError,
    IndexError,
    KeyError,
    TypeError,
    MemoryError,
)


@dataclass(frozen=True)
class Failure:
    """An article the pipeline failed on: its id, the input it came from, and the problem.

    A plain record rather than an exception, so that it crosses process and Ray boundaries intact.
    """

    article_id: str
    source: str | None
    problem: str

    def as_error(self) -> InputError:
        """Return the InputError that reports this failure (named by the input, else the article)."""
        return InputError(self.source or self.article_id, self.problem)


@dataclass(frozen=True)
class BatchResult:
    """The analyses of one batch, in input order, and the articles that failed."""

    analyses: tuple[Analysis, ...]
    failures: tuple[Failure, ...] = ()


def analyse_batch(
    articles: Sequence[Article], nlp: Language | None = None, batch_size: int = 32
) -> BatchResult:
    """Return the analyses of ``articles``; when the batch fails, analyse them one by one.

    Articles that still fail alone are returned as failures (with the exception's repr as the
    problem). ``nlp`` defaults to Parley's pipeline, loaded once per process.

    Raises:
        ParleyError: when the spaCy model is not installed.
    """
    try:
        return BatchResult(tuple(process_batch(articles, nlp, batch_size=batch_size)))
    except ANALYSIS_ERRORS:
        pass
    analyses: list[Analysis] = []
    failures: list[Failure] = []
    for article in articles:
        try:
            analyses += process_batch([article], nlp)
        except ANALYSIS_ERRORS as err:
            failures.append(
                Failure(article.id, article.source, f"analysis failed for article {article.id}: {err!r}")
            )
    return BatchResult(tuple(analyses), tuple(failures))


class Executor(abc.ABC):
    """Runs ``process_batch`` over batches of articles, somewhere.

    Use it as a context manager (or call :meth:`start` and :meth:`close`); :meth:`map` starts it when
    needed. Closing an executor that another part of the program started (a Ray connection made
    before) leaves that alone.
    """

    name: str = "executor"

    def start(self) -> None:  # noqa: B027 (a no-op by design: the in-process executor has nothing to start)
        """Acquire what the executor needs (worker processes, a Ray connection); idempotent.

        Raises:
            ParleyError: when the executor cannot start (Ray not installed, cluster unreachable).
        """

    def close(self) -> None:  # noqa: B027 (a no-op by design, as start)
        """Release what :meth:`start` acquired; idempotent."""

    @abc.abstractmethod
    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[BatchResult]:
        """Yield one result per batch, in the order of ``batches``.

        ``batches`` is read lazily (a run decides what to analyse from what it has stored so far).

        Raises:
            ParleyError: when the executor cannot start or loses its workers.
        """

    def describe(self) -> str:
        """Return a short description for reports (name and degree of parallelism)."""
        return self.name

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def make_executor(
    name: ExecutorName = "local",
    *,
    processes: int | None = None,
    address: str | None = None,
    batch_size: int = 32,
) -> Executor:
    """Return an executor by name.

    ``"local"`` runs in this process, or in ``processes`` worker processes when more than one;
    ``"ray"`` connects to the cluster at ``address`` (None: starts a local one) and runs
    ``processes`` actors (None: one per CPU of the cluster). ``batch_size`` is spaCy's batch size.

    Raises:
        ParleyError: for an unknown name, ``processes`` below 1, an ``address`` given to the local
            executor, or Ray not being installed.
    """
    if processes is not None and processes < 1:
        raise ParleyError(f"processes must be at least 1, got {processes}")
    if name == "local":
        if address is not None:
            raise ParleyError("--address is for the ray executor; the local executor runs here")
        from parley.scale.local import LocalExecutor

        return LocalExecutor(processes=processes or 1, batch_size=batch_size)
    if name == "ray":
        from parley.scale.ray import RayExecutor

        return RayExecutor(address=address, workers=processes, batch_size=batch_size)
    raise ParleyError(f"unknown executor {name!r}; expected 'local' or 'ray'")

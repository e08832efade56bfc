"""The Ray executor: Ray Data ``map_batches`` over an actor pool, Parquet in and out.

The driver (the process running ``parley ingest``) gathers the articles to analyse into jobs of up to
``job_articles``, writes each job as Parquet files into a staging folder, and runs
``read_parquet -> map_batches(actor pool) -> write_parquet`` on the cluster. Each actor loads Parley's
spaCy pipeline once, in its constructor, and analyses batches with :func:`parley.scale.analyse_batch`;
analyses travel back as JSON (the records' :func:`~parley.model.to_dict` form) in a Parquet column.
The driver reads the results, rebuilds the records and hands them, batch by batch, to the run, which
merges them into the store: workers never write to the store.

On a cluster of several machines, the staging folder must be one that every node sees (a shared
file system, or a URL such as ``s3://bucket/prefix`` that pyarrow can write); the default, a temporary
folder on the driver, serves a single machine. Ray is imported only when the executor starts, so this
module imports without it.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from parley import nlp as parley_nlp
from parley.errors import ParleyError
from parley.model import Analysis, Article, from_dict, to_dict
from parley.scale import BatchResult, Executor, Failure, analyse_batch

__all__ = ["RayExecutor"]

_ARTICLE_SCHEMA = pa.schema(
    [
        ("batch", pa.int64()),
        ("seq", pa.int64()),
        ("id", pa.string()),
        ("text", pa.large_string()),
        ("url", pa.string()),
        ("outlet", pa.string()),
        ("title", pa.string()),
        ("published", pa.string()),
        ("language", pa.string()),
        ("source", pa.string()),
    ]
)
_RESULT_SCHEMA = pa.schema(
    [
        ("batch", pa.int64()),
        ("seq", pa.int64()),
        ("article_id", pa.string()),
        ("source", pa.string()),
        ("analysis", pa.large_string()),
        ("problem", pa.string()),
    ]
)
_ARTICLE_FIELDS = ("id", "text", "url", "outlet", "title", "published", "language", "source")


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ParleyError("the ray executor needs Ray: pip install 'parley[ray]'") from None
    return ray


def articles_table(batches: Sequence[Sequence[Article]]) -> pa.Table:
    """Return the Parquet-ready table of a job: one row per article, with its batch and position."""
    rows: list[dict[str, Any]] = []
    for number, batch in enumerate(batches):
        for article in batch:
            row = {name: to_dict(getattr(article, name)) for name in _ARTICLE_FIELDS}
            rows.append({"batch": number, "seq": len(rows), **row})
    return pa.Table.from_pylist(rows, schema=_ARTICLE_SCHEMA)


def analyse_table(table: pa.Table, batch_size: int = 32) -> pa.Table:
    """Return the result table of an article table: one row per article, analysis JSON or problem.

    Raises:
        ParleyError: when the spaCy model is not installed.
    """
    rows = table.to_pylist()
    articles = [from_dict(Article, {k: row[k] for k in _ARTICLE_FIELDS}) for row in rows]
    result = analyse_batch(articles, batch_size=batch_size)
    done = iter(result.analyses)
    pending = next(done, None)
    failures = {(f.article_id, f.source): f.problem for f in result.failures}
    out: list[dict[str, Any]] = []
    for row, article in zip(rows, articles, strict=True):
        analysis: str | None = None
        problem: str | None = None
        # Analyses come back in input order with the failed articles left out.
        if pending is not None and pending.article == article:
            analysis = json.dumps(to_dict(pending), ensure_ascii=False)
            pending = next(done, None)
        else:
            problem = failures.get((article.id, article.source), "analysis failed")
        out.append(
            {
                "batch": row["batch"],
                "seq": row["seq"],
                "article_id": article.id,
                "source": article.source,
                "analysis": analysis,
                "problem": problem,
            }
        )
    return pa.Table.from_pylist(out, schema=_RESULT_SCHEMA)


class AnalyseArticles:
    """The Ray actor: loads the pipeline once, then analyses one Arrow batch per call."""

    def __init__(self, batch_size: int = 32) -> None:
        self.batch_size = batch_size
        parley_nlp.load()

    def __call__(self, table: pa.Table) -> pa.Table:
        """Return the result table of ``table`` (see :func:`analyse_table`)."""
        return analyse_table(table, self.batch_size)


def results_of(table: pa.Table, batches: int) -> list[BatchResult]:
    """Return the batch results held in a result table, one per batch of the job, in order.

    Raises:
        ParleyError: when an article of the job has no result row.
    """
    analyses: list[list[Analysis]] = [[] for _ in range(batches)]
    failures: list[list[Failure]] = [[] for _ in range(batches)]
    for row in sorted(table.to_pylist(), key=lambda r: int(r["seq"])):
        number = int(row["batch"])
        if row["analysis"] is not None:
            analyses[number].append(from_dict(Analysis, json.loads(row["analysis"])))
        else:
            failures[number].append(
                Failure(row["article_id"], row["source"], row["problem"] or "analysis failed")
            )
    return [BatchResult(tuple(a), tuple(f)) for a, f in zip(analyses, failures, strict=True)]


class RayExecutor(Executor):
    """Runs the pipeline on a Ray cluster with Ray Data (see the module's docstring).

    ``address`` is the cluster's (``"auto"``, ``"host:6379"``, ``"ray://host:10001"``); None starts a
    local Ray instance, unless this process is already connected to one, which is then used and left
    running. ``workers`` is the size of the actor pool (None: one per CPU of the cluster).
    ``job_articles`` bounds the articles of one Ray job (and the driver's memory).
    """

    name = "ray"

    def __init__(
        self,
        address: str | None = None,
        workers: int | None = None,
        batch_size: int = 32,
        job_articles: int = 2048,
        staging: str | Path | None = None,
    ) -> None:
        if workers is not None and workers < 1:
            raise ParleyError(f"workers must be at least 1, got {workers}")
        self.address = address
        self.workers = workers
        self.batch_size = batch_size
        self.job_articles = job_articles
        self.staging = str(staging) if staging is not None else None
        self._ray: Any = None
        self._owns_ray = False

    def describe(self) -> str:
        """Return ``"ray (N actors)"`` once started, ``"ray"`` before."""
        return f"{self.name} ({self._pool_size()} actors)" if self._ray is not None else self.name

    def start(self) -> None:
        """Connect to the cluster, or start a local Ray instance; idempotent.

        Raises:
            ParleyError: when Ray is not installed or the cluster cannot be reached.
        """
        if self._ray is not None:
            return
        ray = _import_ray()
        if not ray.is_initialized():
            try:
                ray.init(
                    address=self.address,
                    include_dashboard=False,
                    logging_level=logging.WARNING,
                    log_to_driver=False,
                )
            except (ConnectionError, RuntimeError, ValueError) as err:
                where = self.address or "a local Ray instance"
                raise ParleyError(f"cannot start the ray executor on {where}: {err}") from err
            self._owns_ray = True
        context = ray.data.DataContext.get_current()
        # The run reports its own progress and errors; Ray Data's bars and per-job banners would
        # interleave with them, and its failures reach the run as exceptions anyway.
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        self._ray = ray

    def close(self) -> None:
        """Shut down the Ray instance this executor started (not one it found running); idempotent."""
        if self._ray is not None and self._owns_ray:
            self._ray.shutdown()
        self._ray = None
        self._owns_ray = False

    def _pool_size(self) -> int:
        if self.workers is not None:
            return self.workers
        return max(1, int(self._ray.cluster_resources().get("CPU", 1)))

    def map(self, batches: Iterable[Sequence[Article]]) -> Iterator[BatchResult]:
        """Yield one result per batch, in order; batches are sent to the cluster a job at a time.

        Raises:
            ParleyError: when Ray is not installed, the cluster cannot be reached, or a job fails.
        """
        self.start()
        job: list[Sequence[Article]] = []
        size = 0
        for batch in batches:
            job.append(batch)
            size += len(batch)
            if size >= self.job_articles:
                yield from self._run(job)
                job, size = [], 0
        if job:
            yield from self._run(job)

    def _run(self, job: list[Sequence[Article]]) -> list[BatchResult]:
        staging = Path(tempfile.mkdtemp(prefix="parley-ray-", dir=self.staging))
        try:
            return results_of(self._run_in(staging, job), len(job))
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _run_in(self, staging: Path, job: list[Sequence[Article]]) -> pa.Table:
        ray = self._ray
        table = articles_table(job)
        workers = self._pool_size()
        # Ray Data hands whole blocks to actors: several blocks per actor let the pool share the job
        # and even out long and short articles.
        rows = max(self.batch_size, math.ceil(table.num_rows / (4 * workers)))
        (staging / "in").mkdir()
        files = 0
        for files, start in enumerate(range(0, table.num_rows, rows), start=1):
            pq.write_table(table.slice(start, rows), staging / "in" / f"part-{files:05d}.parquet")
        out = staging / "out"
        try:
            # The input is read to the object store before the actors start: the read (Ray Data's
            # file listing) needs a CPU, which a pool holding every CPU of the cluster would never
            # give back. Writing asks for no CPU, for the same reason. Ray Data merges small files
            # into one block when it reads them; the repartition splits the job again.
            articles = ray.data.read_parquet(str(staging / "in")).repartition(files).materialize()
            dataset = articles.map_batches(
                AnalyseArticles,
                fn_constructor_kwargs={"batch_size": self.batch_size},
                batch_size=self.batch_size,
                batch_format="pyarrow",
                compute=ray.data.ActorPoolStrategy(size=workers),
                num_cpus=1,
            )
            dataset.write_parquet(str(out), ray_remote_args={"num_cpus": 0})
        except ray.exceptions.RayError as err:
            raise ParleyError(f"the ray job over {table.num_rows} articles failed: {err}") from err
        return pq.read_table(out, schema=_RESULT_SCHEMA)

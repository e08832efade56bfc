"""Executors (parley.scale): in-process, a local process pool and Ray Data give the same analyses."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from news_pages import PRIMARY, SEED, SEED_TEXT
from parley.bench import run_bench
from parley.cli import app
from parley.errors import InputError, ParleyError
from parley.ingest import read_path
from parley.model import Article
from parley.pipeline import process_batch
from parley.runs import ingest_paths
from parley.scale import BatchResult, analyse_batch, make_executor
from parley.scale.local import LocalExecutor
from parley.scale.ray import RayExecutor, analyse_table, articles_table, results_of
from parley.store import Store

PRIMARY_ARTICLES = [a for a in read_path(PRIMARY) if isinstance(a, Article)]
SEED_ARTICLE = Article(id=Article.content_id(SEED_TEXT), text=SEED_TEXT, source=str(SEED))
# One character past spaCy's max_length: the pipeline refuses it, the way it fails on a real document.
TOO_LONG = Article(
    id="too-long", text=("Zelenskyy said that talks could resume. " * 25_001)[:1_000_001], source="long.txt"
)
BATCHES = [[SEED_ARTICLE, *PRIMARY_ARTICLES[:2]], PRIMARY_ARTICLES[2:]]


@pytest.fixture(scope="module")
def expected() -> list[BatchResult]:
    """The analyses of BATCHES made by process_batch in this process: what every executor must give."""
    return [BatchResult(tuple(process_batch(batch))) for batch in BATCHES]


def test_local_executor_gives_one_result_per_batch_in_order(expected: list[BatchResult]) -> None:
    assert list(LocalExecutor().map(BATCHES)) == expected


def test_batch_with_a_bad_article_costs_only_that_article() -> None:
    result = analyse_batch([PRIMARY_ARTICLES[0], TOO_LONG, PRIMARY_ARTICLES[1]])
    assert [a.article.id for a in result.analyses] == [PRIMARY_ARTICLES[0].id, PRIMARY_ARTICLES[1].id]
    (failure,) = result.failures
    assert failure.article_id == "too-long"
    error = failure.as_error()
    assert isinstance(error, InputError)
    assert error.path == "long.txt"
    assert "analysis failed for article too-long" in error.problem


def test_process_pool_gives_the_same_analyses_as_in_process(expected: list[BatchResult]) -> None:
    with LocalExecutor(processes=2) as executor:
        results = list(executor.map([*BATCHES, [TOO_LONG]]))
    assert results[:2] == expected
    assert [f.article_id for f in results[2].failures] == ["too-long"]


def test_parquet_round_trip_of_a_job_keeps_every_analysis_and_failure(expected: list[BatchResult]) -> None:
    job = [*BATCHES, [TOO_LONG]]
    buffer = io.BytesIO()
    pq.write_table(analyse_table(articles_table(job)), buffer)
    results = results_of(pq.read_table(buffer), len(job))
    assert results[:2] == expected
    assert [f.article_id for f in results[2].failures] == ["too-long"]


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"name": "local", "processes": 0}, "processes must be at least 1"),
        ({"name": "local", "address": "auto"}, "--address is for the ray executor"),
        ({"name": "spark"}, "unknown executor 'spark'"),
    ],
)
def test_make_executor_refuses_bad_settings(kwargs: dict[str, object], problem: str) -> None:
    with pytest.raises(ParleyError, match=problem):
        make_executor(**kwargs)  # type: ignore[arg-type]


def test_ray_executor_without_ray_installed_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # import ray now raises ImportError
    with pytest.raises(ParleyError, match=r"pip install 'parley\[ray\]'"):
        RayExecutor().start()


# -- parley bench (before Ray starts: its processes would count in the bench's memory) -----------


def test_bench_reports_both_rates_their_ratio_and_peak_memory() -> None:
    result = run_bench(PRIMARY, limit=3)
    assert result.docs == 3
    assert result.failed == 0
    assert result.ratio == pytest.approx(result.docs_per_s / result.spacy_docs_per_s, rel=0.01)
    # The pipeline is loaded, so at least the model is resident; no bench of three texts needs a GB.
    assert 50 < result.peak_rss_mb < 1536
    assert 0 < result.peak_pss_mb <= result.peak_rss_mb


def test_bench_command_prints_one_json_object() -> None:
    result = CliRunner().invoke(app, ["bench", str(PRIMARY), "--limit", "2", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"docs_per_s", "spacy_docs_per_s", "ratio", "peak_rss_mb"} <= data.keys()
    assert data["docs"] == 2
    assert data["executor"] == "local"


def test_bench_of_a_corpus_without_articles_exits_2(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = CliRunner().invoke(app, ["bench", str(tmp_path), "--format", "json"])
    assert result.exit_code == 2
    assert "no readable article" in result.output


# -- Ray: one local instance for the module, one CPU ---------------------------------------------


@pytest.fixture(scope="module")
def ray_instance() -> Iterator[None]:
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=1, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


def test_ray_executor_gives_the_same_analyses_as_in_process(
    ray_instance: None, expected: list[BatchResult]
) -> None:
    with RayExecutor(batch_size=2) as executor:
        results = list(executor.map([*BATCHES, [TOO_LONG]]))
        assert executor.describe() == "ray (1 actors)"
    assert results[:2] == expected
    assert [f.article_id for f in results[2].failures] == ["too-long"]


def test_ray_executor_leaves_a_ray_instance_it_did_not_start_running(ray_instance: None) -> None:
    import ray

    with RayExecutor():
        pass
    assert ray.is_initialized()


def test_ingest_on_ray_stores_what_ingest_in_process_stores(ray_instance: None, tmp_path: Path) -> None:
    errors: list[InputError] = []
    with Store(tmp_path / "local.db") as local:
        ingest_paths([PRIMARY], local, errors.append)
        expected = {a.id: local.analysis(a.id) for a in local.articles()}
    runner = CliRunner()
    result = runner.invoke(
        app, ["ingest", str(PRIMARY), "--db", str(tmp_path / "ray.db"), "--executor", "ray"]
    )
    assert result.exit_code == 0, result.output
    assert "added 6" in result.output
    with Store(tmp_path / "ray.db") as stored:
        assert {a.id: stored.analysis(a.id) for a in stored.articles()} == expected
    assert not errors

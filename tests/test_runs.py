"""Whole runs: a record the store refuses costs only its own article."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from parley.errors import InputError
from parley.model import Article
from parley.pipeline import process_batch
from parley.runs import RunReport, _save
from parley.store import open_store

FIXTURES = Path(__file__).parent / "fixtures"
SEED = Path(__file__).parents[1] / "examples" / "zelenskyy-ceasefire-territory.txt"


def test_a_batch_the_store_refuses_is_saved_article_by_article(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    good, other = process_batch(
        [Article(id="seed", text=text), Article(id="part", text=text.split("\n\n")[1])]
    )
    # The same statement twice breaks the store's unique statement ids: the store refuses the batch.
    bad = dataclasses.replace(other, statements=other.statements * 2)
    errors: list[InputError] = []
    report = RunReport()
    with open_store(tmp_path / "p.db") as store:
        _save(store, (good, bad), report, errors.append)
        assert [a.id for a in store.articles()] == ["seed"]
    assert (report.added, report.failed) == (1, 1)
    assert [e.path for e in errors] == ["part"]
    assert "cannot store article part" in errors[0].problem

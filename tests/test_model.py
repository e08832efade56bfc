"""Records: JSON round-trip, stable ids, span checks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from parley.model import Analysis, Article, Event, Position, Shift, Span, Statement, from_dict, to_dict
from parley.pipeline import analyze

SEED = Path(__file__).parents[1] / "examples" / "zelenskyy-ceasefire-territory.txt"


@pytest.fixture(scope="module")
def seed() -> Analysis:
    text = SEED.read_text(encoding="utf-8")
    return analyze(Article(id="seed", text=text, published=dt.date(2024, 11, 30), outlet="Test"))


@pytest.mark.parametrize("kind", ["statements", "events", "positions", "shifts"])
def test_records_round_trip_through_json(seed: Analysis, kind: str) -> None:
    cls = {"statements": Statement, "events": Event, "positions": Position, "shifts": Shift}[kind]
    records = getattr(seed, kind)
    assert records
    for record in records:
        assert from_dict(cls, json.loads(json.dumps(to_dict(record)))) == record


def test_article_round_trip_keeps_the_date(seed: Analysis) -> None:
    data = json.loads(json.dumps(to_dict(seed.article)))
    assert data["published"] == "2024-11-30"
    assert from_dict(Article, data) == seed.article


def test_output_contract_keys(seed: Analysis) -> None:
    out = seed.to_json()
    assert list(out) == ["schema", "article", "statements", "events", "positions", "shifts"]
    assert out["schema"] == 1
    speaker = out["statements"][0]["speaker"]
    assert set(speaker) == {"text", "start", "end", "actor", "country", "sector"}
    actor = out["events"][0]["actors"][0]
    assert set(actor) == {"id", "text", "start", "end", "country", "sector"}


def test_dated_article_dates_current_positions(seed: Analysis) -> None:
    current = [p for p in seed.positions if not p.retrospective]
    assert {p.as_of for p in current} == {dt.date(2024, 11, 30)}
    assert {p.as_of for p in seed.positions if p.retrospective} == {None}


def test_content_id_depends_only_on_text() -> None:
    assert Article.content_id("a text") == Article.content_id("a text")
    assert Article.content_id("a text") != Article.content_id("a text.")


@pytest.mark.parametrize(
    ("span", "holds"),
    [(Span("Kyiv", 0, 4), True), (Span("Kyiv", 1, 5), False), (Span("Kyiv", 0, 99), False)],
)
def test_span_holds_in(span: Span, holds: bool) -> None:
    assert span.holds_in("Kyiv said") is holds


def test_from_dict_rejects_wrong_shape() -> None:
    with pytest.raises(TypeError):
        from_dict(Article, ["not", "an", "object"])


def test_analyze_refuses_a_lone_surrogate_with_a_clear_error() -> None:
    from parley.errors import InputError

    with pytest.raises(InputError, match="not valid Unicode at character 20"):
        analyze("Zelenskyy said that \ud800 talks resumed.")

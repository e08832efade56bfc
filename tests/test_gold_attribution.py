"""The hand-annotated attribution dev set (data/gold/attribution-dev.jsonl) is well-formed.

Structure only: every span inside its text, speaker and cue apart from the content, valid kinds, content
parts in order, and the size and coverage docs/annotation.md promises. Reads nothing outside the repo.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).parents[1]
GOLD = ROOT / "data" / "gold" / "attribution-dev.jsonl"
SRC = ROOT / "data" / "gold" / "src"
SEED = ROOT / "examples" / "zelenskyy-ceasefire-territory.txt"
SEED_ID = "seed-zelenskyy-ceasefire-territory"
KINDS = {"direct", "indirect", "mixed"}
OUTLETS = {"president.gov.ua", "kremlin.ru"}


@pytest.fixture(scope="module")
def docs() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def _spans(a: dict[str, Any]) -> list[tuple[str, dict[str, int]]]:
    return [("speaker", a["speaker"]), ("cue", a["cue"])] + [("content", c) for c in a["content"]]


def _overlap(x: dict[str, int], y: dict[str, int]) -> bool:
    return x["start"] < y["end"] and y["start"] < x["end"]


def test_documents_have_the_gold_format(docs: list[dict[str, Any]]) -> None:
    ids = [d["id"] for d in docs]
    assert len(ids) == len(set(ids))
    for d in docs:
        assert {"id", "text", "published", "outlet", "source", "attributions"} <= d.keys()
        assert isinstance(d["text"], str) and d["text"]
        assert len(d["text"]) <= 8000, d["id"]
        assert {"id", "start"} <= d["source"].keys()
        for a in d["attributions"]:
            assert {"speaker", "cue", "content", "kind"} <= a.keys()
            assert isinstance(a["content"], list) and a["content"], d["id"]


def test_every_span_is_in_range_non_empty_and_trimmed(docs: list[dict[str, Any]]) -> None:
    for d in docs:
        text = d["text"]
        for a in d["attributions"]:
            for name, s in _spans(a):
                assert isinstance(s["start"], int) and isinstance(s["end"], int)
                assert 0 <= s["start"] < s["end"] <= len(text), (d["id"], name, s)
                piece = text[s["start"] : s["end"]]
                assert piece == piece.strip(), (d["id"], name, piece)


def test_kinds_are_valid(docs: list[dict[str, Any]]) -> None:
    kinds = Counter(a["kind"] for d in docs for a in d["attributions"])
    assert set(kinds) <= KINDS
    assert set(kinds) == KINDS  # each kind is represented


def test_speaker_and_cue_stay_out_of_their_content(docs: list[dict[str, Any]]) -> None:
    for d in docs:
        for a in d["attributions"]:
            assert not _overlap(a["speaker"], a["cue"]), (d["id"], a)
            for c in a["content"]:
                assert not _overlap(a["speaker"], c), (d["id"], a)
                assert not _overlap(a["cue"], c), (d["id"], a)


def test_content_parts_are_sorted_and_disjoint(docs: list[dict[str, Any]]) -> None:
    for d in docs:
        for a in d["attributions"]:
            parts = a["content"]
            for p, q in itertools.pairwise(parts):
                assert p["end"] <= q["start"], (d["id"], parts)


def test_no_duplicate_attributions(docs: list[dict[str, Any]]) -> None:
    for d in docs:
        keys = [json.dumps([a["speaker"], a["cue"], a["content"]], sort_keys=True) for a in d["attributions"]]
        assert len(keys) == len(set(keys)), d["id"]


def test_transcript_turns_have_a_colon_cue(docs: list[dict[str, Any]]) -> None:
    turns = 0
    for d in docs:
        text = d["text"]
        for a in d["attributions"]:
            if text[a["cue"]["start"] : a["cue"]["end"]] == ":":
                turns += 1
                assert a["kind"] == "direct", d["id"]
                assert a["cue"]["start"] >= a["speaker"]["end"], d["id"]
    assert turns >= 50


def test_size_and_coverage(docs: list[dict[str, Any]]) -> None:
    primary = [d for d in docs if d["outlet"] in OUTLETS]
    assert len(primary) >= 40
    assert {d["outlet"] for d in primary} == OUTLETS
    assert SEED_ID in {d["id"] for d in docs}
    assert sum(len(d["attributions"]) for d in docs) >= 400
    months = {d["published"][:7] for d in primary}
    assert {"2021-10", "2022-02", "2022-03", "2022-06"} <= months
    for outlet in OUTLETS:
        dates = sorted(d["published"] for d in primary if d["outlet"] == outlet)
        assert dates[0] < "2021-12" and dates[-1] >= "2022-05", outlet
    assert all("2021-10-01" <= d["published"] < "2022-07-01" for d in primary)


def test_the_seed_is_the_shipped_example(docs: list[dict[str, Any]]) -> None:
    seed = next(d for d in docs if d["id"] == SEED_ID)
    assert seed["text"] == SEED.read_text(encoding="utf-8")
    direct = [
        seed["text"][a["content"][0]["start"] : a["content"][0]["end"]]
        for a in seed["attributions"]
        if a["kind"] == "direct"
    ]
    assert direct == [
        "I am willing to give up Ukrainian territory to Russia to achieve peace",
        "right now, it has become necessary to end the war and achieve peace",
        "We need to do this and do it fast",
    ]


# --- the annotation tool: it must refuse what it cannot find exactly -----------------------------------


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    path = ROOT / "scripts" / "gold_attribution.py"
    spec = importlib.util.spec_from_file_location("gold_attribution", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["gold_attribution"] = module
    spec.loader.exec_module(module)
    return module


def test_tool_locates_unique_strings_on_word_boundaries(tool: ModuleType) -> None:
    text = "The President said that he said nothing; the rest he explained."
    assert tool.locate(text, "explained") == (text.index("explained"), text.index("explained") + 9)
    # "he" inside "The", "the", "rest he" ... only whole words count, and there are two of them
    with pytest.raises(tool.AnnotationError, match="ambiguous"):
        tool.locate(text, "he")
    assert tool.locate(text, "he #2") == (text.index("rest he") + 5, text.index("rest he") + 7)
    assert tool.locate(text, "that [[he]] said") == (text.index("that he") + 5, text.index("that he") + 7)
    with pytest.raises(tool.AnnotationError, match="not found"):
        tool.locate(text, "stated")
    s, e = tool.locate_range(text, "he said nothing ~~ explained")
    assert text[s:e] == "he said nothing; the rest he explained"


def test_tool_rebuilds_the_seed_document(tool: ModuleType, docs: list[dict[str, Any]]) -> None:
    # the seed needs no shared data, so its gold entry must be exactly what its .ann file gives
    built, _ = tool.build_doc(tool.parse_ann(SRC / f"{SEED_ID}.ann"), ROOT / "missing-shared-folder")
    assert built == next(d for d in docs if d["id"] == SEED_ID)
    assert tool.validate_doc(built) == []


def test_every_gold_document_has_its_source_file(docs: list[dict[str, Any]]) -> None:
    sources = [p.read_text(encoding="utf-8") for p in SRC.glob("*.ann")]
    assert len(sources) == len(docs)
    for d in docs:
        line = f"doc: {d['source']['corpus']} {d['source']['id']}"
        assert sum(line in text.splitlines() for text in sources) == 1, d["id"]

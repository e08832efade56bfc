"""Near-duplicate articles with MinHash: syndicated copies of real official texts found, others not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parley.errors import KnowledgeError
from parley.ingest.dedup import (
    DedupRules,
    DuplicateIndex,
    load_dedup_rules,
    near_duplicate_groups,
    near_duplicates,
    shingles,
    signature,
)
from parley.model import Article

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PRIMARY = [json.loads(line) for line in (FIXTURES / "primary-sample.jsonl").read_text("utf-8").splitlines()]
COVID = PRIMARY[0]["text"]  # president.gov.ua, 2021-10-25: a COVID-19 conference call
OTHER = PRIMARY[1]["text"]
KREMLIN = PRIMARY[3]["text"]

# What a syndicating outlet adds to a wire story: a byline and a footer.
SYNDICATED = (
    "By our correspondent in Kyiv. " + COVID + " This report first appeared on president.gov.ua and is"
    " republished under the CC BY 4.0 licence."
)
HALF = COVID[: len(COVID) // 2]
# Half of one release followed by another release: it shares a stretch, it is no copy.
MIXED = HALF + " " + OTHER


def test_rules_load_from_verify_yaml() -> None:
    rules = load_dedup_rules()
    assert rules == DedupRules(
        5, 128, threshold=0.8, containment=0.9, min_shingles=20, candidate_threshold=0.5
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", set()),
        ("Peace now", {b"peace now"}),
        ("One, two; THREE four five six", {b"one two three four five", b"two three four five six"}),
    ],
)
def test_shingles(text: str, expected: set[bytes]) -> None:
    assert shingles(text, 5) == expected


@pytest.mark.parametrize(
    ("a", "b", "copies"),
    [
        (COVID, COVID, True),
        (COVID, SYNDICATED, True),
        (COVID, COVID.replace("COVID-19", "the coronavirus", 1), True),
        (COVID, HALF, True),
        (COVID, MIXED, False),
        (COVID, OTHER, False),
        (COVID, KREMLIN, False),
        ("", "", False),
    ],
    ids=["same", "syndicated", "one-edit", "cut-short", "shares-half", "other-release", "other-site", "none"],
)
def test_near_duplicates(a: str, b: str, copies: bool) -> None:
    assert near_duplicates(a, b) is copies


def test_syndicated_copy_is_contained_but_not_jaccard_equal() -> None:
    original, copy = signature(COVID), signature(SYNDICATED)
    assert original.similarity(copy) < 1.0
    assert original.containment(copy) >= 0.9


def test_index_returns_earlier_copies() -> None:
    index = DuplicateIndex()
    assert index.add("covid", COVID) == []
    assert index.add("other", OTHER) == []
    assert index.add("syndicated", SYNDICATED) == ["covid"]
    assert index.duplicates_of(COVID) == ["covid", "syndicated"]
    assert len(index) == 3 and "other" in index


def test_index_refuses_a_key_twice() -> None:
    index = DuplicateIndex()
    index.add("covid", COVID)
    with pytest.raises(ValueError, match="'covid' is already"):
        index.add("covid", OTHER)


def test_groups_map_copies_to_the_first_article() -> None:
    articles = [
        Article(id="original", text=COVID),
        Article(id="other", text=OTHER),
        Article(id="copy", text=SYNDICATED),
        Article(id="copy-of-copy", text=SYNDICATED + " Updated."),
        Article(id="original", text=KREMLIN),
    ]
    assert near_duplicate_groups(articles) == {
        "original": "original",
        "other": "other",
        "copy": "original",
        "copy-of-copy": "original",
    }


@pytest.mark.parametrize(
    ("yaml_text", "problem"),
    [
        ("near_duplicates: [1, 2]\n", "must be a mapping"),
        ("near_duplicates: {threshold: 1.5}\n", "between 0"),
        ("near_duplicates: {num_perm: many}\n", "near_duplicates"),
    ],
)
def test_bad_rules_raise(tmp_path: Path, yaml_text: str, problem: str) -> None:
    path = tmp_path / "verify.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=problem):
        load_dedup_rules(path)

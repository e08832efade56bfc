"""Near-duplicate articles: syndicated copies and re-posts, found with MinHash over word shingles.

A wire story printed by ten outlets is one source, not ten: corroboration counts it once, and ingest
can flag the copies. Two texts are near-duplicates when the estimated Jaccard similarity of their
sets of word shingles (``shingle_words`` consecutive words, case and punctuation ignored) reaches
``threshold``, or when nearly all of the shorter text's shingles are in the longer one
(``containment``: a copy with a byline and a footer added, or one cut short); the numbers come from the
``near_duplicates`` section of ``knowledge/data/verify.yaml``. :class:`DuplicateIndex` finds the
copies of a new text among many with locality-sensitive hashing (datasketch ``MinHashLSH``), so a
corpus is checked in one pass rather than pair by pair.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parley.errors import KnowledgeError
from parley.knowledge.lexicon import _read_yaml
from parley.model import Article

__all__ = [
    "DedupRules",
    "DuplicateIndex",
    "Signature",
    "load_dedup_rules",
    "near_duplicate_groups",
    "near_duplicates",
    "shingles",
    "signature",
]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class DedupRules:
    """How near-duplicates are found: shingle length, MinHash size, Jaccard threshold, hash seed."""

    shingle_words: int = 5
    num_perm: int = 128
    threshold: float = 0.8
    containment: float = 0.9
    min_shingles: int = 20
    candidate_threshold: float = 0.5
    seed: int = 1


@functools.cache
def load_dedup_rules(path: Path | None = None) -> DedupRules:
    """Return the ``near_duplicates`` rules of ``path`` (default: the packaged ``verify.yaml``).

    Raises:
        KnowledgeError: when the file cannot be read, is not YAML, or a value is out of range.
    """
    data, name = _read_yaml(path, "verify.yaml")
    section: Any = data.get("near_duplicates") or {}
    if not isinstance(section, dict):
        raise KnowledgeError(f"{name}: near_duplicates must be a mapping")
    defaults = DedupRules()
    try:
        rules = DedupRules(
            shingle_words=int(section.get("shingle_words", defaults.shingle_words)),
            num_perm=int(section.get("num_perm", defaults.num_perm)),
            threshold=float(section.get("threshold", defaults.threshold)),
            containment=float(section.get("containment", defaults.containment)),
            min_shingles=int(section.get("min_shingles", defaults.min_shingles)),
            candidate_threshold=float(section.get("candidate_threshold", defaults.candidate_threshold)),
            seed=int(section.get("seed", defaults.seed)),
        )
    except (TypeError, ValueError) as err:
        raise KnowledgeError(f"{name}: near_duplicates: {err}") from err
    shares = (rules.threshold, rules.containment, rules.candidate_threshold)
    if rules.shingle_words < 1 or rules.num_perm < 16 or not all(0.0 < v <= 1.0 for v in shares):
        raise KnowledgeError(
            f"{name}: near_duplicates needs shingle_words >= 1, num_perm >= 16, and threshold,"
            " containment and candidate_threshold between 0 (excluded) and 1"
        )
    return rules


def shingles(text: str, size: int) -> set[bytes]:
    """Return the set of ``size``-word shingles of ``text`` (lowercased words, punctuation ignored).

    A text shorter than ``size`` words is one shingle; a text without words has none.
    """
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@dataclass(frozen=True)
class Signature:
    """The MinHash of a text's shingles and how many shingles it has (0: no words, matches nothing)."""

    minhash: Any
    size: int

    @property
    def empty(self) -> bool:
        """True when the text has no words."""
        return self.size == 0

    def similarity(self, other: Signature) -> float:
        """Return the estimated Jaccard similarity of the two texts' shingles (0 when either is empty)."""
        if self.empty or other.empty:
            return 0.0
        return float(self.minhash.jaccard(other.minhash))

    def containment(self, other: Signature) -> float:
        """Return the estimated share of the smaller text's shingles found in the other text."""
        jaccard = self.similarity(other)
        # |A & B| = J (|A| + |B|) / (1 + J), from J = |A & B| / |A | B|.
        shared = jaccard * (self.size + other.size) / (1 + jaccard)
        return min(1.0, shared / min(self.size, other.size)) if jaccard else 0.0

    def near(self, other: Signature, rules: DedupRules) -> bool:
        """Return True when the two texts are near-duplicates under ``rules``."""
        if self.similarity(other) >= rules.threshold:
            return True
        return (
            min(self.size, other.size) >= rules.min_shingles and self.containment(other) >= rules.containment
        )


def near_duplicates(a: str, b: str, rules: DedupRules | None = None) -> bool:
    """Return True when texts ``a`` and ``b`` are near-duplicates (see the module docstring)."""
    rules = rules or load_dedup_rules()
    return signature(a, rules).near(signature(b, rules), rules)


def signature(text: str, rules: DedupRules | None = None) -> Signature:
    """Return the MinHash signature of ``text`` under ``rules`` (default: the packaged rules)."""
    # Imported here: datasketch takes seconds to import, and most commands never hash a text.
    from datasketch import MinHash  # type: ignore[import-untyped]

    rules = rules or load_dedup_rules()
    minhash = MinHash(num_perm=rules.num_perm, seed=rules.seed)
    grams = shingles(text, rules.shingle_words)
    if grams:
        minhash.update_batch(sorted(grams))
    return Signature(minhash, len(grams))


class DuplicateIndex:
    """Texts added one by one; each new text is checked against all earlier ones with MinHash LSH."""

    def __init__(self, rules: DedupRules | None = None) -> None:
        """Start an empty index with ``rules`` (default: the packaged ``near_duplicates`` rules)."""
        from datasketch import MinHashLSH

        self.rules = rules or load_dedup_rules()
        # LSH only proposes candidates: at a lower threshold it also finds the copies with boilerplate
        # added, whose Jaccard similarity is below `threshold` but whose containment is high.
        self._lsh = MinHashLSH(threshold=self.rules.candidate_threshold, num_perm=self.rules.num_perm)
        self._signatures: dict[str, Signature] = {}

    def __contains__(self, key: object) -> bool:
        return key in self._signatures

    def __len__(self) -> int:
        return len(self._signatures)

    def duplicates_of(self, text: str) -> list[str]:
        """Return the keys of the indexed texts that are near-duplicates of ``text``, sorted.

        LSH proposes candidates; each is kept only when :meth:`Signature.near` confirms it, since LSH
        also lets through some pairs below the thresholds.
        """
        return self._confirmed(signature(text, self.rules))

    def add(self, key: str, text: str) -> list[str]:
        """Index ``text`` under ``key`` and return the keys of earlier near-duplicates, sorted.

        Raises:
            ValueError: when ``key`` is already indexed.
        """
        if key in self._signatures:
            raise ValueError(f"{key!r} is already in the duplicate index")
        sig = signature(text, self.rules)
        found = self._confirmed(sig)
        self._signatures[key] = sig
        if not sig.empty:
            self._lsh.insert(key, sig.minhash)
        return found

    def _confirmed(self, sig: Signature) -> list[str]:
        if sig.empty:
            return []
        candidates = self._lsh.query(sig.minhash)
        return sorted(key for key in candidates if sig.near(self._signatures[key], self.rules))


def near_duplicate_groups(articles: Iterable[Article], rules: DedupRules | None = None) -> dict[str, str]:
    """Return, for every article, the id of the first article (in input order) it is a copy of.

    An article that copies no earlier one maps to its own id, so the distinct values are the
    independent sources. Copies chain: a copy of a copy maps to the original. Articles with the same
    id as an earlier one are skipped.
    """
    index = DuplicateIndex(rules)
    original: dict[str, str] = {}
    for article in articles:
        if article.id in original:
            continue
        earlier = set(index.add(article.id, article.text))
        # `original` keeps insertion order, so the first key found is the earliest copy.
        first = next((key for key in original if key in earlier), None) if earlier else None
        original[article.id] = article.id if first is None else original[first]
    return original

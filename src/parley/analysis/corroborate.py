"""Does this quote hold up? Corroboration of statements across sources and against primary texts.

What a fact-checker does by hand, over the store: find the other reports of a statement (same
speaker, close dates, similar words), line the wordings up word by word, look the statement up in
the primary text when the store holds one (an official transcript or release of the speaker's
office), and give each statement a verdict with the diff that justifies it:

- ``verbatim``: the same words and punctuation (case, quote marks and apostrophe styles aside);
- ``close``: the same words up to punctuation, contractions, spelling and translation variants
  ("hot stage" / "hot phase"), or a few replaced words in a long quote;
- ``paraphrase``: the same utterance in other words, its force unchanged;
- ``truncated``: a cut that changes the meaning (the words cut off negate, hedge or condition it);
- ``stronger`` / ``weaker``: the report says more / less than its source (a hedge or condition
  dropped or added, "may" -> "will", a negation flipped, a number changed to a larger / smaller one);
- ``unsupported``: no other independent report and no primary text.

The source a statement is judged against is its primary text when one is found, else its best other
report. With a sentence encoder (``parley verify --semantic``, the optional ``embeddings`` extra,
:mod:`parley.analysis.embeddings`), a statement that nothing matches word by word is looked up again
by meaning, and a re-wording found so is a paraphrase at best. Syndicated copies of an article
(near-duplicates, :mod:`parley.ingest.dedup`) are not independent reports and are never counted as
corroboration. All word lists and thresholds are in ``knowledge/data/verify.yaml``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, get_args

from rapidfuzz import fuzz

from parley.analysis.embeddings import Encoder
from parley.errors import KnowledgeError
from parley.ingest.dedup import DedupRules, Signature, load_dedup_rules, signature
from parley.knowledge.lexicon import _read_yaml
from parley.model import Analysis, Article, Corroboration, Statement, Variant, Verdict, stable_id, to_dict

__all__ = [
    "VERDICTS",
    "Alignment",
    "Check",
    "Judgement",
    "Number",
    "NumberChange",
    "PrimaryMatch",
    "Report",
    "Verifier",
    "VerifyRules",
    "align",
    "load_verify_rules",
    "numbers_in",
    "summarize",
]

VERDICTS: tuple[str, ...] = get_args(Verdict)
CATEGORIES = ("negations", "hedges", "boosters", "conditions")
Phrase = tuple[str, ...]


# Rules


@dataclass(frozen=True)
class Thresholds:
    """When an alignment counts as a match: word similarity over the aligned stretch, coverage of
    the report's words, and how many content words (not function words) matched."""

    min_similarity: float
    min_coverage: float
    min_content: int
    reported_min_coverage: float

    def accept(self, alignment: Alignment, content: int, reported: bool = False) -> bool:
        """Return True when ``alignment``, with ``content`` matched content words, reaches all three.

        Reported speech (``reported``) must cover more of its words: its wording is the reporter's,
        and formulaic sentences ("expressed support for ...") recur across different statements.
        """
        coverage = max(self.min_coverage, self.reported_min_coverage) if reported else self.min_coverage
        return (
            alignment.similarity >= self.min_similarity
            and alignment.coverage >= coverage
            and content >= self.min_content
        )


@dataclass(frozen=True)
class SemanticRules:
    """When sentence embeddings call two texts one utterance (``parley verify --semantic``)."""

    min_cosine: float = 0.85
    min_share: float = 0.15
    candidates: int = 12


@dataclass(frozen=True)
class NumberRules:
    """Numbers written in words: single words, scales ("thousand"), words that never stand alone."""

    words: Mapping[str, int] = field(default_factory=dict)
    scales: Mapping[str, int] = field(default_factory=dict)
    not_alone: frozenset[str] = frozenset()


@dataclass(frozen=True)
class VerifyRules:
    """The rules of ``verify.yaml``: thresholds, primary outlets, word lists, variants, effects."""

    grouping: Thresholds
    group_days: int
    collective_actors: tuple[str, ...]
    primary: Thresholds
    primary_actors: Mapping[str, tuple[str, ...]]
    primary_countries: Mapping[str, tuple[str, ...]]
    days_before: int
    days_after: int
    window_sentences: int
    candidates: int
    words: Mapping[str, tuple[Phrase, ...]]
    neutral: tuple[Phrase, ...]
    minor: frozenset[str]
    function_words: frozenset[str]
    clause_breaks: frozenset[str]
    truncation_before: tuple[str, ...]
    truncation_after: tuple[str, ...]
    after_breaks: frozenset[str]
    after_negation_words: int
    contractions: Mapping[str, Phrase]
    suffixes: tuple[tuple[str, str], ...]
    variants: tuple[tuple[Phrase, ...], ...]
    reported_variants: tuple[tuple[Phrase, ...], ...]
    spelling_similarity: float
    spelling_min_length: int
    close_max_changed_share: float
    close_max_block: int
    negation_added: Verdict
    negation_dropped: Verdict
    dedup: DedupRules = field(default_factory=DedupRules)
    number_raised: Verdict = "stronger"
    number_lowered: Verdict = "weaker"
    numbers: NumberRules = field(default_factory=NumberRules)
    semantic: SemanticRules = field(default_factory=SemanticRules)

    @property
    def primary_outlets(self) -> frozenset[str]:
        """Every outlet that publishes primary texts, for statements without a resolved speaker."""
        listed = [*self.primary_actors.values(), *self.primary_countries.values()]
        return frozenset(outlet for outlets in listed for outlet in outlets)


_WORD = re.compile(r"\w+(?:['’]\w+)*")


def _phrase(text: str) -> Phrase:
    """Return the lowercased words of a list entry, apostrophes made straight."""
    return tuple(w.lower().replace("’", "'") for w in _WORD.findall(text))


@functools.cache
def load_verify_rules(path: Path | None = None) -> VerifyRules:
    """Return the verification rules of ``path`` (default: the packaged ``verify.yaml``).

    Raises:
        KnowledgeError: when the file cannot be read, is not YAML, or an entry is malformed.
    """
    data, name = _read_yaml(path, "verify.yaml")
    try:
        return _rules(data, name, path)
    except KeyError as err:
        raise KnowledgeError(f"{name}: malformed verification rules: missing {err}") from err
    except (TypeError, ValueError, AttributeError) as err:
        raise KnowledgeError(f"{name}: malformed verification rules: {err}") from err


def _rules(data: dict[str, Any], name: str, path: Path | None) -> VerifyRules:
    grouping = data.get("grouping") or {}
    primary = data.get("primary") or {}
    words = data.get("words") or {}
    truncation = data.get("truncation") or {}
    contractions = data.get("contractions") or {}
    effects = data.get("effects") or {}

    def phrases(value: Any, key: str) -> tuple[Phrase, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise KnowledgeError(f"{name}: {key} must be a list of strings")
        return tuple(p for p in (_phrase(v) for v in value) if p)

    def groups(value: Any, key: str) -> tuple[tuple[Phrase, ...], ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            raise KnowledgeError(f"{name}: {key} must be a list of lists of phrases")
        return tuple(phrases(group, key) for group in value)

    def outlets(value: Any, key: str) -> dict[str, tuple[str, ...]]:
        if not isinstance(value, dict):
            raise KnowledgeError(f"{name}: {key} must be a mapping of lists of outlets")
        return {str(k): tuple(str(o) for o in v) for k, v in value.items()}

    def verdict(value: Any, key: str) -> Verdict:
        if value not in VERDICTS:
            raise KnowledgeError(f"{name}: {key}: unknown verdict {value!r}")
        return value  # type: ignore[no-any-return]

    def kinds(value: Any, key: str) -> tuple[str, ...]:
        found = tuple(str(v) for v in value or ())
        unknown = [v for v in found if v not in CATEGORIES]
        if unknown:
            raise KnowledgeError(f"{name}: {key}: unknown word lists {unknown}; expected {CATEGORIES}")
        return found

    def integers(value: Any, key: str) -> dict[str, int]:
        if not isinstance(value, dict):
            raise KnowledgeError(f"{name}: {key} must be a mapping of words to numbers")
        return {str(k).lower(): int(v) for k, v in value.items()}

    suffixes = contractions.get("suffixes") or {}
    numbers = data.get("numbers") or {}
    semantic = data.get("semantic") or {}
    return VerifyRules(
        grouping=Thresholds(
            float(grouping["min_similarity"]),
            float(grouping["min_coverage"]),
            int(grouping["min_content_words"]),
            float(grouping["reported_min_coverage"]),
        ),
        group_days=int(grouping["date_window_days"]),
        collective_actors=tuple(str(p) for p in grouping.get("collective_actors") or ()),
        primary=Thresholds(
            float(primary["min_similarity"]),
            float(primary["min_coverage"]),
            int(grouping["min_content_words"]),
            float(grouping["reported_min_coverage"]),
        ),
        primary_actors=outlets(primary.get("actors") or {}, "primary.actors"),
        primary_countries=outlets(primary.get("countries") or {}, "primary.countries"),
        days_before=int(primary["days_before"]),
        days_after=int(primary["days_after"]),
        window_sentences=int(primary.get("window_sentences", 2)),
        candidates=int(primary.get("candidates", 8)),
        words={key: phrases(words.get(key) or [], f"words.{key}") for key in CATEGORIES},
        neutral=phrases(words.get("neutral") or [], "words.neutral"),
        minor=frozenset(p[0] for p in phrases(words.get("minor") or [], "words.minor")),
        function_words=frozenset(
            p[0]
            for key in ("minor", "function")
            for p in phrases(words.get(key) or [], f"words.{key}")
            if len(p) == 1
        ),
        clause_breaks=frozenset(
            p[0] for p in phrases(words.get("clause_breaks") or [], "words.clause_breaks")
        ),
        truncation_before=kinds(truncation.get("before"), "truncation.before"),
        truncation_after=kinds(truncation.get("after"), "truncation.after"),
        after_negation_words=int(truncation.get("after_negation_words", 3)),
        after_breaks=frozenset(
            p[0] for p in phrases(truncation.get("after_breaks") or [], "truncation.after_breaks")
        ),
        contractions={
            str(k).lower().replace("’", "'"): _phrase(str(v))
            for k, v in (contractions.get("whole") or {}).items()
        },
        suffixes=tuple((str(k).lower().replace("’", "'"), str(v).lower()) for k, v in suffixes.items()),
        variants=groups(data.get("variants"), "variants"),
        reported_variants=groups(data.get("reported_speech_variants"), "reported_speech_variants"),
        spelling_similarity=float(data.get("spelling_similarity", 0.85)),
        spelling_min_length=int(data.get("spelling_min_length", 5)),
        close_max_changed_share=float(data.get("close_max_changed_share", 0.1)),
        close_max_block=int(data.get("close_max_block", 2)),
        negation_added=verdict(effects.get("negation_added", "weaker"), "effects.negation_added"),
        negation_dropped=verdict(effects.get("negation_dropped", "stronger"), "effects.negation_dropped"),
        dedup=load_dedup_rules(path),
        number_raised=verdict(effects.get("number_raised", "stronger"), "effects.number_raised"),
        number_lowered=verdict(effects.get("number_lowered", "weaker"), "effects.number_lowered"),
        numbers=NumberRules(
            words=integers(numbers.get("words") or {}, "numbers.words"),
            scales=integers(numbers.get("scales") or {}, "numbers.scales"),
            not_alone=frozenset(str(w).lower() for w in numbers.get("not_alone") or ()),
        ),
        semantic=SemanticRules(
            min_cosine=float(semantic.get("min_cosine", 0.85)),
            min_share=float(semantic.get("min_share", 0.15)),
            candidates=int(semantic.get("candidates", 12)),
        ),
    )


# Words and sentences


@dataclass(frozen=True)
class Token:
    """A word of a text: ``norm`` is compared, ``surface`` (lowercased) tells verbatim from close."""

    norm: str
    surface: str
    start: int
    end: int


class Tokenizer:
    """Splits texts into compared words: contractions expanded, variant phrases made one form."""

    def __init__(self, rules: VerifyRules, reported: bool = False) -> None:
        """Build the tokenizer; ``reported`` adds the reported-speech variants (tense, person)."""
        self.rules = rules
        self._canonical: dict[Phrase, Phrase] = {}
        for group in (*rules.variants, *(rules.reported_variants if reported else ())):
            for phrase in group[1:]:
                self._canonical.setdefault(phrase, group[0])
        # Lengths of the variant phrases by first word: most words start none, and are passed at once.
        self._starts: dict[str, list[int]] = defaultdict(list)
        for phrase in sorted(self._canonical, key=len, reverse=True):
            self._starts[phrase[0]].append(len(phrase))
        self._cache: dict[str, tuple[Token, ...]] = {}

    def __call__(self, text: str) -> tuple[Token, ...]:
        """Return the tokens of ``text`` (cached: texts are compared many times)."""
        cached = self._cache.get(text)
        if cached is None:
            cached = self._cache[text] = tuple(self._canonicalise(list(self._expanded(text))))
        return cached

    def _expanded(self, text: str) -> Iterator[Token]:
        for match in _WORD.finditer(text):
            surface = match.group().lower().replace("’", "'")
            start, end = match.span()
            for norm in self._expand(surface):
                yield Token(norm, surface, start, end)

    def _expand(self, word: str) -> Phrase:
        if "'" not in word and word not in self.rules.contractions:
            return (word,)
        whole = self.rules.contractions.get(word)
        if whole is not None:
            return whole
        for suffix, expansion in self.rules.suffixes:
            if word.endswith(suffix) and len(word) > len(suffix):
                return (word[: -len(suffix)], expansion)
        return (word,)

    def _canonicalise(self, tokens: list[Token]) -> Iterator[Token]:
        i = 0
        while i < len(tokens):
            for size in self._starts.get(tokens[i].norm, ()):
                phrase = tuple(t.norm for t in tokens[i : i + size])
                canonical = self._canonical.get(phrase)
                if canonical is not None:
                    first, last = tokens[i], tokens[i + size - 1]
                    surface = " ".join(t.surface for t in tokens[i : i + size])
                    for norm in canonical:
                        yield Token(norm, surface, first.start, last.end)
                    i += size
                    break
            else:
                yield tokens[i]
                i += 1


_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``[start, end)`` character spans of the sentences of ``text`` (a regex split).

    Sentences end at ``.``, ``!``, ``?`` or ``…`` (with closing quotes) before whitespace, and at
    line breaks. Abbreviations split too: callers look at windows of several sentences.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end() if match.group()[0] != "\n" else match.start()
        _add_sentence(text, start, end, spans)
        start = match.end()
    _add_sentence(text, start, len(text), spans)
    return spans


def _add_sentence(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    """Append ``text[start:end]`` without its surrounding white space, unless it is only that."""
    piece = text[start:end]
    if piece.strip():
        start += len(piece) - len(piece.lstrip())
        end -= len(piece) - len(piece.rstrip())
        spans.append((start, end))


@dataclass(frozen=True)
class Number:
    """A number of a text: its value and its words as written ("40,000", "forty thousand")."""

    value: float
    text: str


# A figure ("40,000", "1.5", "2022"; thousands grouped with commas or narrow spaces), or a word.
_NUMBER_PART = re.compile(r"\d{1,3}(?:[,\u00a0\u202f]\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?|[^\W\d_]+")


def numbers_in(text: str, rules: NumberRules) -> list[Number]:
    """Return the numbers of ``text`` in order, in figures or in words, with the scales that follow.

    "forty thousand", "40,000" and "40 thousand" are all 40000; "twenty-five" is 25; "two hundred
    and fifty" 250; "1.5 million" 1500000. Words of ``rules.not_alone`` ("one") count only inside a
    longer number.
    """
    parts = [(m.group().lower(), m.start(), m.end()) for m in _NUMBER_PART.finditer(text)]
    found: list[Number] = []
    i = 0
    while i < len(parts):
        total = current = 0.0
        pieces = 0
        j = i
        while j < len(parts):
            word = parts[j][0]
            if word[0].isdigit():
                if pieces and current:
                    break  # two figures in a row are two numbers ("24 2022")
                current += float(word.replace(",", "").replace("\u00a0", "").replace("\u202f", ""))
            elif word in rules.words:
                current += rules.words[word]
            elif word in rules.scales and pieces:
                scale = rules.scales[word]
                if scale < 1000:
                    current = (current or 1) * scale
                else:
                    total, current = total + (current or 1) * scale, 0.0
            elif (
                word == "and"
                and parts[j - 1][0] in rules.scales
                and pieces
                and j + 1 < len(parts)
                and (parts[j + 1][0] in rules.words)
            ):
                pass  # "two hundred and fifty"
            elif word in rules.scales:
                current = rules.scales[word]  # "a million": the scale alone
            else:
                break
            pieces += 1
            j += 1
        if pieces == 0:
            i += 1
            continue
        words = [p[0] for p in parts[i:j]]
        if not (len(words) == 1 and words[0] in rules.not_alone):
            found.append(Number(total + current, text[parts[i][1] : parts[j - 1][2]]))
        i = j
    return found


@dataclass(frozen=True)
class _Text:
    """A text split into tokens, with the token range of each sentence."""

    text: str
    tokens: tuple[Token, ...]
    sentences: tuple[tuple[int, int], ...]  # token index ranges [lo, hi)

    @classmethod
    def of(cls, text: str, tokenizer: Tokenizer) -> _Text:
        tokens = tokenizer(text)
        starts = [t.start for t in tokens]
        ranges = []
        for lo_char, hi_char in sentence_spans(text):
            lo, hi = bisect.bisect_left(starts, lo_char), bisect.bisect_left(starts, hi_char)
            if hi > lo:
                ranges.append((lo, hi))
        return cls(text, tokens, tuple(ranges))

    def norms(self, lo: int = 0, hi: int | None = None) -> list[str]:
        return [t.norm for t in self.tokens[lo:hi]]

    def sentence_of(self, index: int) -> int:
        """Return the number of the sentence holding token ``index``."""
        return max(0, bisect.bisect_right([lo for lo, _ in self.sentences], index) - 1)

    def slice(self, lo: int, hi: int) -> str:
        """Return the text from token ``lo`` to token ``hi - 1``, both whole ("" when empty)."""
        if hi <= lo:
            return ""
        return self.text[self.tokens[lo].start : self.tokens[hi - 1].end]


# Alignment

OpTag = Literal["equal", "replace", "insert", "delete"]


@dataclass(frozen=True)
class Op:
    """One block of an alignment: report tokens ``[r_lo, r_hi)`` against source ``[s_lo, s_hi)``.

    ``insert``: words only the report has; ``delete``: words only the source has.
    """

    tag: OpTag
    r_lo: int
    r_hi: int
    s_lo: int
    s_hi: int


@dataclass(frozen=True)
class Alignment:
    """A report aligned word by word against the best stretch ``[s_lo, s_hi)`` of a source.

    ``similarity`` is 2 x matched words / (report words + stretch words); ``coverage`` the share of
    the report's words that matched.
    """

    ops: tuple[Op, ...]
    s_lo: int
    s_hi: int
    matches: int
    similarity: float
    coverage: float


# A replaced word costs less than a dropped plus an added one, so "may" -> "will" aligns as a change;
# but more than one word left unmatched, so a quote's first words never pull in a stray source word.
_MATCH, _MISMATCH, _GAP = 4, -3, -2


def align(report: Sequence[str], source: Sequence[str]) -> Alignment:
    """Return the alignment of every word of ``report`` against the best stretch of ``source``.

    A semi-global alignment: the whole report is aligned, and the source may be entered and left
    anywhere at no cost, so a quote is found inside a longer text without stray matches of common
    words far from it. Words are compared exactly (callers normalise them first).
    """
    n, m = len(report), len(source)
    if n == 0 or m == 0:
        return Alignment((), 0, 0, 0, 0.0, 0.0)
    # score[j] for the current row; moves: 0 diagonal, 1 report word unmatched, 2 source word skipped
    prev = [0] * (m + 1)
    moves: list[bytearray] = [bytearray(m + 1)]
    for i in range(1, n + 1):
        word = report[i - 1]
        row = [prev[0] + _GAP] + [0] * m
        move = bytearray(m + 1)
        move[0] = 1
        for j in range(1, m + 1):
            best = prev[j - 1] + (_MATCH if source[j - 1] == word else _MISMATCH)
            how = 0
            up = prev[j] + _GAP
            if up > best:
                best, how = up, 1
            left = row[j - 1] + _GAP
            if left > best:
                best, how = left, 2
            row[j] = best
            move[j] = how
        prev = row
        moves.append(move)
    end = max(range(m + 1), key=lambda j: (prev[j], -j))
    steps: list[tuple[OpTag, int, int]] = []
    i, j = n, end
    while i > 0:
        how = moves[i][j] if j > 0 else 1
        if how == 0:
            steps.append(("equal" if source[j - 1] == report[i - 1] else "replace", i - 1, j - 1))
            i, j = i - 1, j - 1
        elif how == 1:
            steps.append(("insert", i - 1, j))
            i -= 1
        else:
            steps.append(("delete", i, j - 1))
            j -= 1
    steps.reverse()
    ops = _blocks(steps)
    start = j
    matches = sum(op.r_hi - op.r_lo for op in ops if op.tag == "equal")
    stretch = end - start
    return Alignment(
        ops=tuple(ops),
        s_lo=start,
        s_hi=end,
        matches=matches,
        similarity=2 * matches / (n + stretch),
        coverage=matches / n,
    )


def _blocks(steps: list[tuple[OpTag, int, int]]) -> list[Op]:
    """Merge single-word steps into blocks: runs of equal words, and runs of differences."""
    ops: list[Op] = []
    for tag, r, s in steps:
        r_hi = r + (tag != "delete")
        s_hi = s + (tag != "insert")
        kind: OpTag = "equal" if tag == "equal" else "replace"
        if ops and (ops[-1].tag == "equal") == (kind == "equal"):
            last = ops[-1]
            ops[-1] = Op(last.tag, last.r_lo, r_hi, last.s_lo, s_hi)
        else:
            ops.append(Op(kind, r, r_hi, s, s_hi))
    return [_retag(op) for op in ops]


def _retag(op: Op) -> Op:
    if op.tag == "equal":
        return op
    if op.s_hi == op.s_lo:
        return Op("insert", op.r_lo, op.r_hi, op.s_lo, op.s_hi)
    if op.r_hi == op.r_lo:
        return Op("delete", op.r_lo, op.r_hi, op.s_lo, op.s_hi)
    return op


# Judging a report against its source


@dataclass(frozen=True)
class Change:
    """A word-list change that moves a report's meaning: a hedge dropped, a negation added, ..."""

    kind: str  # negations, hedges, boosters, conditions
    change: Literal["added", "dropped"]
    words: tuple[str, ...]


@dataclass(frozen=True)
class NumberChange:
    """A number of the report that its source does not have, or the reverse.

    ``changed``: the report has ``report`` where the source has ``source`` ("4,000" / "40,000");
    ``added``: a number only the report has; ``dropped``: one only the aligned source words have.
    """

    change: Literal["changed", "added", "dropped"]
    report: str
    source: str


@dataclass(frozen=True)
class Judgement:
    """A verdict with its evidence: the alignment, the word-list changes and the cut-off words.

    ``numbers`` lists the numbers changed, added or dropped; ``semantic`` is the cosine of the
    sentence embeddings when the source was found by meaning, not by its words (else None).
    """

    verdict: Verdict
    alignment: Alignment
    changes: tuple[Change, ...]
    cut_before: str
    cut_after: str
    reason: str
    ops: tuple[dict[str, str], ...]
    numbers: tuple[NumberChange, ...] = ()
    semantic: float | None = None

    def diff(self, against: str) -> dict[str, Any]:
        """Return the JSON form of the justification: ops, cut-off words, changes, numbers, reason."""
        return {
            "against": against,
            "similarity": round(self.alignment.similarity, 3),
            "coverage": round(self.alignment.coverage, 3),
            "semantic": self.semantic,
            "ops": list(self.ops),
            "cut_before": self.cut_before,
            "cut_after": self.cut_after,
            "changes": [to_dict(c) for c in self.changes],
            "numbers": [to_dict(n) for n in self.numbers],
            "reason": self.reason,
        }


def _missing(numbers: Sequence[Number], have: Counter[float]) -> list[Number]:
    """Return the ``numbers`` (in order) that ``have`` does not hold, counting repeats."""
    left = Counter(have)
    missing = []
    for number in numbers:
        if left[number.value] > 0:
            left[number.value] -= 1
        else:
            missing.append(number)
    return missing


_OP_NAMES = {"equal": "same", "replace": "changed", "insert": "added", "delete": "dropped"}
_ELLIPSIS = re.compile(r"\.\.\.|…|\[\s*\]")
_QUOTE_MARKS = str.maketrans({c: None for c in "\"'“”‘’«»„‟‹›`"})
_DASHES = str.maketrans({c: "-" for c in "–—―‒−"})


def _gap(text: str, left: Token, right: Token) -> str:
    """The punctuation between two words, without spaces, quote marks and dash styles."""
    between = text[left.end : right.start].translate(_QUOTE_MARKS).translate(_DASHES)
    return "".join(between.split())


class Judge:
    """Judges a report against a source text: verdict, word diff, word-list changes, cut-off words."""

    def __init__(self, rules: VerifyRules) -> None:
        """Build the judge for ``rules``."""
        self.rules = rules
        self._lists = {kind: set(rules.words[kind]) for kind in CATEGORIES}
        self._longest = max((len(p) for kind in CATEGORIES for p in rules.words[kind]), default=1)
        self._neutral = set(rules.neutral)
        self._neutral_longest = max((len(p) for p in rules.neutral), default=0)

    def _masked(self, norms: Sequence[str]) -> list[str]:
        """Return ``norms`` with the words of neutral phrases ("no doubt", "not only") blanked out."""
        masked = list(norms)
        i = 0
        while i < len(masked):
            for size in range(min(self._neutral_longest, len(masked) - i), 1, -1):
                if tuple(masked[i : i + size]) in self._neutral:
                    masked[i : i + size] = [""] * size
                    i += size - 1
                    break
            i += 1
        return masked

    def count(self, norms: Sequence[str], kind: str) -> list[str]:
        """Return the phrases of word list ``kind`` in ``norms``, longest first, without overlaps."""
        found: list[str] = []
        phrases = self._lists[kind]
        norms = self._masked(norms)
        i = 0
        while i < len(norms):
            for size in range(min(self._longest, len(norms) - i), 0, -1):
                phrase = tuple(norms[i : i + size])
                if phrase in phrases:
                    found.append(" ".join(phrase))
                    i += size
                    break
            else:
                i += 1
        return found

    def judge(
        self, report: _Text, source: _Text, alignment: Alignment, semantic: float | None = None
    ) -> Judgement:
        """Return the verdict of ``report`` against ``source`` given their ``alignment``.

        In order: a flipped negation decides alone; then a changed number (stronger when larger,
        weaker when smaller); then hedges, boosters and conditions added or dropped (their net
        effect: stronger or weaker); then a meaning-changing cut (truncated); then the words:
        verbatim, close or paraphrase. ``semantic`` (a cosine) says the source stretch was found by
        sentence embeddings: after a negation or a number, it is a paraphrase.
        """
        rules = self.rules
        r_norms = report.norms()
        s_norms = source.norms(alignment.s_lo, alignment.s_hi)
        changes: list[Change] = []
        for kind in CATEGORIES:
            ours, theirs = Counter(self.count(r_norms, kind)), Counter(self.count(s_norms, kind))
            added, dropped = tuple((ours - theirs).elements()), tuple((theirs - ours).elements())
            if added:
                changes.append(Change(kind, "added", added))
            if dropped:
                changes.append(Change(kind, "dropped", dropped))
        cut_before, cut_after = self._cut(source, alignment)
        ops = tuple(self._op_json(report, source, op) for op in alignment.ops)
        numbers, direction = self._numbers(report, source, alignment)

        def result(verdict: Verdict, reason: str) -> Judgement:
            return Judgement(
                verdict,
                alignment,
                tuple(changes),
                cut_before[1],
                cut_after[1],
                reason,
                ops,
                numbers,
                semantic,
            )

        negation = {c.change for c in changes if c.kind == "negations"}
        if negation == {"added"}:
            return result(rules.negation_added, "a negation the source does not have was added")
        if negation == {"dropped"}:
            return result(rules.negation_dropped, "a negation of the source was dropped")
        if direction:
            swapped = "; ".join(f"{n.source} -> {n.report}" for n in numbers if n.change == "changed")
            if direction > 0:
                return result(rules.number_raised, f"a number was changed to a larger one: {swapped}")
            return result(rules.number_lowered, f"a number was changed to a smaller one: {swapped}")
        if semantic is not None:
            # A re-wording changes modal words freely ("can inform" / "are ready to inform"): the
            # word lists are listed in the diff but, unlike a negation or a number, do not decide.
            named = ", ".join(f"{c.kind[:-1]} {c.change} ({' '.join(c.words)})" for c in changes)
            return result(
                "paraphrase",
                f"the same meaning in other words (sentence embeddings, cosine {semantic:.2f}); "
                f"{len(report.tokens) - alignment.matches} of {len(report.tokens)} words differ"
                + (f"; word lists, not counted: {named}" if named else ""),
            )
        force = 0
        for c in changes:
            # Adding a booster commits the speaker more; adding a hedge or a condition, less.
            sign = 1 if c.kind == "boosters" else -1 if c.kind in ("hedges", "conditions") else 0
            force += sign * len(c.words) * (1 if c.change == "added" else -1)
        named = ", ".join(f"{c.kind[:-1]} {c.change} ({' '.join(c.words)})" for c in changes)
        if force > 0:
            return result("stronger", f"the report says more than the source: {named}")
        if force < 0:
            return result("weaker", f"the report says less than the source: {named}")
        if cut_before[0] or cut_after[0]:
            cut = " / ".join(w for w in (cut_before[0], cut_after[0]) if w)
            return result("truncated", f"the words cut off change the meaning: {cut}")
        differences = [op for op in alignment.ops if op.tag != "equal"]
        if not differences:
            if self._same_surface(report, source, alignment):
                return result("verbatim", "the same words and punctuation")
            return result("close", "the same words; punctuation, contractions or spelling differ")
        real = [op for op in differences if not self._slight(report, source, op)]
        if not real:
            return result("close", "differences are spelling, function words or marked omissions only")
        changed = sum(max(op.r_hi - op.r_lo, op.s_hi - op.s_lo) for op in real)
        small_blocks = all(max(op.r_hi - op.r_lo, op.s_hi - op.s_lo) <= rules.close_max_block for op in real)
        if small_blocks and changed <= rules.close_max_changed_share * len(report.tokens):
            return result("close", f"{changed} of {len(report.tokens)} words differ, as in two translations")
        return result("paraphrase", f"{changed} of {len(report.tokens)} words differ; no change of force")

    def _numbers(
        self, report: _Text, source: _Text, alignment: Alignment
    ) -> tuple[tuple[NumberChange, ...], int]:
        """Return the numbers changed, added or dropped, and which way a change went (+1 larger,
        -1 smaller, 0 none).

        A number of the report is added when the source's sentences around the aligned stretch lack
        it (a quote's last word may fall outside the stretch); it is changed when those sentences
        have a number the report lacks, preferably one of the stretch ("40,000" -> "4,000"). A
        number of the stretch the report lacks, with none added, is dropped (the diff says so; the
        verdict does not change).
        """
        rules = self.rules.numbers
        if alignment.s_hi <= alignment.s_lo:
            return (), 0
        ours = numbers_in(report.text, rules)
        first = source.sentences[source.sentence_of(alignment.s_lo)][0] if source.sentences else 0
        last_sentence = source.sentence_of(alignment.s_hi - 1)
        last = source.sentences[last_sentence][1] if source.sentences else len(source.tokens)
        stretch = numbers_in(source.slice(alignment.s_lo, alignment.s_hi), rules)
        around = numbers_in(source.slice(first, last), rules)
        our_values = Counter(n.value for n in ours)
        added = _missing(ours, Counter(n.value for n in around))
        lacking = _missing(stretch, our_values) or _missing(around, our_values)
        if added and lacking:
            pairs = list(zip(added, lacking, strict=False))
            found = tuple(NumberChange("changed", a.text, b.text) for a, b in pairs)
            found += tuple(NumberChange("added", a.text, "") for a in added[len(pairs) :])
            return found, 1 if pairs[0][0].value > pairs[0][1].value else -1
        if added:
            return tuple(NumberChange("added", a.text, "") for a in added), 0
        dropped = _missing(stretch, our_values)
        return tuple(NumberChange("dropped", "", b.text) for b in dropped), 0

    def _same_surface(self, report: _Text, source: _Text, alignment: Alignment) -> bool:
        r_tokens, s_tokens = report.tokens, source.tokens[alignment.s_lo : alignment.s_hi]
        if [t.surface for t in r_tokens] != [t.surface for t in s_tokens]:
            return False
        return all(
            _gap(report.text, r_tokens[i - 1], r_tokens[i]) == _gap(source.text, s_tokens[i - 1], s_tokens[i])
            for i in range(1, len(r_tokens))
            if r_tokens[i - 1] is not r_tokens[i] and r_tokens[i - 1].end != r_tokens[i].end
        )

    def _slight(self, report: _Text, source: _Text, op: Op) -> bool:
        """Return True when a differing block is a spelling variant, function words or a marked cut."""
        r_words = [t.norm for t in report.tokens[op.r_lo : op.r_hi]]
        s_words = [t.norm for t in source.tokens[op.s_lo : op.s_hi]]
        if all(w in self.rules.minor for w in (*r_words, *s_words)):
            return True
        if len(r_words) == len(s_words) and all(map(self._spelling, r_words, s_words)):
            return True
        # One number in figures and in words ("100,000" / "one hundred thousand").
        r_numbers = numbers_in(report.slice(op.r_lo, op.r_hi), self.rules.numbers)
        s_numbers = numbers_in(source.slice(op.s_lo, op.s_hi), self.rules.numbers)
        if (
            r_numbers
            and [n.value for n in r_numbers] == [n.value for n in s_numbers]
            and " ".join(n.text for n in r_numbers) == report.slice(op.r_lo, op.r_hi)
            and " ".join(n.text for n in s_numbers) == source.slice(op.s_lo, op.s_hi)
        ):
            return True
        # "We need to do this … fast": an omission the report marks with an ellipsis.
        if op.tag == "delete" and 0 < op.r_lo < len(report.tokens):
            left, right = report.tokens[op.r_lo - 1], report.tokens[op.r_lo]
            return bool(_ELLIPSIS.search(report.text[left.end : right.start]))
        return False

    def _spelling(self, a: str, b: str) -> bool:
        if a == b:
            return True
        if min(len(a), len(b)) < self.rules.spelling_min_length or a.isdigit() or b.isdigit():
            return False
        return fuzz.ratio(a, b) >= 100 * self.rules.spelling_similarity

    def _cut(self, source: _Text, alignment: Alignment) -> tuple[tuple[str, str], tuple[str, str]]:
        """Return (meaning words, text) of the source cut off before and after the aligned stretch.

        Before: the clause leading into the stretch (after the last clause break), from the start
        of its sentence. After: up to the end of the last sentence, meaning words counted up to the
        first break that is not "but".
        """
        if alignment.s_hi <= alignment.s_lo:
            return ("", ""), ("", "")
        first = source.sentences[source.sentence_of(alignment.s_lo)][0] if source.sentences else 0
        last_sentence = source.sentence_of(alignment.s_hi - 1)
        last = source.sentences[last_sentence][1] if source.sentences else len(source.tokens)
        before = source.norms(first, alignment.s_lo)
        after = source.norms(alignment.s_hi, last)
        breaks = [k for k, w in enumerate(before) if w in self.rules.clause_breaks]
        lead = before[breaks[-1] + 1 :] if breaks else before
        stop = next((k for k, w in enumerate(after) if w in self.rules.after_breaks), len(after))
        tail = after[:stop]
        # A cut is where the quote's own first (last) word meets the source: a report that ends in
        # words of its own ("working on this" for "working on how to restore ...") cut nothing there.
        clean_start = alignment.ops[0].tag == "equal"
        clean_end = alignment.ops[-1].tag == "equal"
        meaning_before = [w for kind in self.rules.truncation_before for w in self.count(lead, kind)]
        meaning_after = [
            w
            for kind in self.rules.truncation_after
            # A negation further on belongs to a clause of its own ("shake their strong hands, and
            # | you will see that they are not ..."); one right after the cut is the quote's ("but not now").
            for w in self.count(
                tail[: self.rules.after_negation_words] if kind == "negations" else tail, kind
            )
        ]
        meaning_before = meaning_before if clean_start else []
        meaning_after = meaning_after if clean_end else []
        return (
            (" ".join(meaning_before), source.slice(first, alignment.s_lo)),
            (" ".join(meaning_after), source.slice(alignment.s_hi, last)),
        )

    @staticmethod
    def _op_json(report: _Text, source: _Text, op: Op) -> dict[str, str]:
        return {
            "op": _OP_NAMES[op.tag],
            "report": report.slice(op.r_lo, op.r_hi),
            "source": source.slice(op.s_lo, op.s_hi),
        }


# Results


@dataclass(frozen=True)
class Report:
    """Another article's report of the same utterance."""

    statement_id: str
    article_id: str
    outlet: str | None
    text: str
    similarity: float
    coverage: float
    cosine: float | None = None  # found by sentence embeddings (``--semantic``), not by its words

    def to_json(self) -> dict[str, Any]:
        """Return ``{article_id, outlet, text, similarity, coverage, statement_id, cosine}``."""
        return {
            "article_id": self.article_id,
            "outlet": self.outlet,
            "text": self.text,
            "similarity": round(self.similarity, 3),
            "coverage": round(self.coverage, 3),
            "statement_id": self.statement_id,
            "cosine": self.cosine,
        }


@dataclass(frozen=True)
class PrimaryMatch:
    """The best matching stretch of a primary text: ``article.text[start:end] == text``."""

    article_id: str
    url: str | None
    outlet: str | None
    published: dt.date | None
    text: str
    start: int
    end: int
    similarity: float

    def to_json(self) -> dict[str, Any]:
        """Return ``{article_id, url, outlet, published, text, start, end, similarity}``."""
        data = to_dict(self)
        data["similarity"] = round(self.similarity, 3)
        return data  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Check:
    """One statement verified: verdict, independent reports, syndicated copies, primary, diff.

    ``against`` says what the verdict was judged against (the primary text, else the best report);
    ``note`` why nothing was looked up (a fragment); ``nearest`` the closest primary stretch when it
    fell below the thresholds, so that an unsupported quote still shows where to read next.
    """

    statement: Statement
    verdict: Verdict
    reports: tuple[Report, ...] = ()
    copies: tuple[str, ...] = ()
    primary: PrimaryMatch | None = None
    judgement: Judgement | None = None
    against: Literal["primary", "report"] | None = None
    note: str | None = None
    nearest: PrimaryMatch | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the ``parley verify`` object: statement, verdict, reports, copies, primary, diff,
        note, nearest."""
        statement = to_dict(self.statement)
        statement["text"] = self.statement.text
        return {
            "statement": statement,
            "verdict": self.verdict,
            "reports": [r.to_json() for r in self.reports],
            "copies": list(self.copies),
            "primary": None if self.primary is None else self.primary.to_json(),
            "diff": None
            if self.judgement is None or self.against is None
            else self.judgement.diff(self.against),
            "note": self.note,
            "nearest": None if self.nearest is None else self.nearest.to_json(),
        }


# The verifier


@dataclass
class _Candidate:
    text: _Text
    alignment: Alignment
    article: Article
    statement: Statement | None = None
    semantic: float | None = None


def _day(statement: Statement, article: Article) -> dt.date | None:
    return statement.said_on or article.published


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _WordIndex:
    """An inverted index from words to the units (sentences, statements) that hold them."""

    def __init__(self, minor: frozenset[str]) -> None:
        self._minor = minor
        self._postings: dict[str, list[int]] = defaultdict(list)
        self.size = 0

    def add(self, unit: int, norms: Iterable[str]) -> None:
        for word in set(norms):
            if word not in self._minor:
                self._postings[word].append(unit)
        self.size = max(self.size, unit + 1)

    def idf(self, word: str) -> float:
        return math.log((1 + self.size) / (1 + len(self._postings.get(word, ()))))

    def best(
        self, norms: Sequence[str], allowed: Callable[[int], bool], limit: int, min_share: float = 0.3
    ) -> list[int]:
        """Return up to ``limit`` units sharing the most rare words with ``norms`` (idf-weighted).

        ``allowed(unit)`` filters units; words in more than one unit in fifty are skipped when
        rarer ones exist: they weigh little and their long postings would only slow the search.
        Units with less than ``min_share`` of the query's weight are dropped.
        """
        words = sorted({w for w in norms if w not in self._minor}, key=self.idf, reverse=True)
        if not words:
            return []
        total = sum(self.idf(w) for w in words)
        common = max(50, self.size // 50)
        used = [w for w in words if len(self._postings.get(w, ())) <= common] or words[:3]
        scores: dict[int, float] = defaultdict(float)
        for word in used:
            weight = self.idf(word)
            for unit in self._postings.get(word, ()):
                scores[unit] += weight
        ranked = sorted(
            (u for u, s in scores.items() if s >= min_share * total and allowed(u)),
            key=lambda u: (-scores[u], u),
        )
        return ranked[:limit]


class StoreReader(Protocol):
    """What the verifier reads from a store: every article and every statement."""

    def articles(self) -> list[Article]: ...

    def statements(self) -> list[Statement]: ...


class Verifier:
    """Verifies statements against the other reports and the primary texts of a set of articles.

    Build it from a store with :meth:`from_store`, or from records (tests, scorers) directly.
    """

    def __init__(
        self,
        articles: Iterable[Article],
        statements: Iterable[Statement],
        rules: VerifyRules | None = None,
        encoder: Encoder | None = None,
    ) -> None:
        """Index ``articles`` (primary texts by outlet) and ``statements`` (reports) under ``rules``.

        Statements whose article is not among ``articles`` are ignored. With an ``encoder``
        (:func:`parley.analysis.embeddings.load_encoder`), a statement that nothing matches word by
        word is looked up again by the meaning of its sentences (``semantic`` in ``verify.yaml``).
        """
        self.rules = rules or load_verify_rules()
        self.encoder = encoder
        self.articles: dict[str, Article] = {}
        for article in articles:
            self.articles[article.id] = article
        self.statements = [s for s in statements if s.article_id in self.articles]
        self._by_statement = {s.id: s for s in self.statements}
        self._direct = Tokenizer(self.rules)
        self._reported = Tokenizer(self.rules, reported=True)
        self._judge = Judge(self.rules)
        self._ids_by_hash: dict[str, set[str]] = defaultdict(set)
        for article in self.articles.values():
            self._ids_by_hash[_hash(article.text)].add(article.id)
        self._signatures: dict[str, Signature] = {}
        self._vocabulary: dict[str, str] = {}
        self._texts: dict[tuple[str, bool], _Text] = {}
        self._index_primary()
        self._index_statements()

    @classmethod
    def from_store(
        cls,
        store: StoreReader,
        extra: Iterable[Analysis] = (),
        rules: VerifyRules | None = None,
        encoder: Encoder | None = None,
    ) -> Verifier:
        """Return a verifier over every article and statement in ``store`` plus the ``extra`` analyses.

        ``store`` is any object with the Store read API (``articles()``, ``statements()``), SQLite or
        PostgreSQL. An extra analysis replaces a stored article with the same id.
        """
        extras = list(extra)
        replaced = {a.article.id for a in extras}
        articles = [a for a in store.articles() if a.id not in replaced] + [a.article for a in extras]
        statements = [s for s in store.statements() if s.article_id not in replaced]
        statements += [s for a in extras for s in a.statements]
        return cls(articles, statements, rules, encoder)

    # indexing

    def _index_primary(self) -> None:
        outlets = self.rules.primary_outlets
        self._primary: list[Article] = [a for a in self.articles.values() if a.outlet in outlets]
        self._sentences: list[tuple[int, int]] = []  # (primary article number, sentence number)
        self._sentence_index = _WordIndex(self.rules.minor)
        for number, article in enumerate(self._primary):
            text = self._text(article.text, reported=False)
            for k, (lo, hi) in enumerate(text.sentences):
                self._sentence_index.add(len(self._sentences), text.norms(lo, hi))
                self._sentences.append((number, k))

    def _index_statements(self) -> None:
        self._statement_index = _WordIndex(self.rules.minor)
        for number, statement in enumerate(self.statements):
            self._statement_index.add(number, (t.norm for t in self._direct(statement.text)))

    def _text(self, text: str, reported: bool) -> _Text:
        found = self._texts.get((text, reported))
        if found is None:
            found = self._texts[text, reported] = _Text.of(text, self._reported if reported else self._direct)
        return found

    @property
    def primary_articles(self) -> list[Article]:
        """The indexed articles from primary outlets (official transcripts and releases)."""
        return list(self._primary)

    def _signature(self, article: Article) -> Signature:
        found = self._signatures.get(article.id)
        if found is None:
            found = self._signatures[article.id] = signature(article.text, self.rules.dedup)
        return found

    def near_duplicates(self, a: Article, b: Article) -> bool:
        """Return True when ``a`` and ``b`` are the same text or near-duplicates (syndicated copies)."""
        if a.id == b.id or a.text == b.text:
            return True
        return self._signature(a).near(self._signature(b), self.rules.dedup)

    def _encode(self, norms: Iterable[str]) -> str:
        """Return the words as a string of one character per word, for rapidfuzz's word-level scores."""
        vocabulary = self._vocabulary
        return "".join(vocabulary.setdefault(w, chr(0x10000 + len(vocabulary))) for w in norms)

    # checking

    def check(self, statement: Statement, article: Article) -> Check:
        """Return the verdict of ``statement`` (from ``article``) with its reports and primary text."""
        if self.too_short(statement):
            return Check(statement, "unsupported", note="too few content words to look up")
        own = self._ids_by_hash.get(_hash(article.text), set()) | {article.id}
        reported = statement.kind != "direct"
        report = self._text(statement.text, reported)
        primary = self._best_primary(statement, article, report, own, reported)
        accepted = primary is not None and self.rules.primary.accept(
            primary.alignment, self._content(report.norms(), primary.alignment), reported
        )
        reports, copies, best = self._reports(statement, article, own, semantic=not accepted)
        if primary is not None and accepted:
            judgement = self._judge.judge(report, primary.text, primary.alignment)
            match = _primary_match(primary)
            return Check(statement, judgement.verdict, reports, copies, match, judgement, "primary")
        # The nearest primary stretch below the thresholds: what a checker would read next.
        nearest = None if primary is None else _primary_match(primary)
        if best is not None and best.semantic is None:
            judgement = self._judge.judge(report, best.text, best.alignment)
            return Check(
                statement, judgement.verdict, reports, copies, None, judgement, "report", nearest=nearest
            )
        # Nothing matched word by word: by meaning, the primary text first, then the other reports.
        if self.encoder is not None:
            found = self._semantic_primary(statement, article, report, own, reported)
            if found is not None:
                judgement = self._judge.judge(report, found.text, found.alignment, found.semantic)
                return Check(
                    statement, judgement.verdict, reports, copies, _primary_match(found), judgement, "primary"
                )
        if best is not None:
            judgement = self._judge.judge(report, best.text, best.alignment, best.semantic)
            return Check(
                statement, judgement.verdict, reports, copies, None, judgement, "report", nearest=nearest
            )
        return Check(statement, "unsupported", reports, copies, nearest=nearest)

    def check_analyses(self, analyses: Iterable[Analysis]) -> Iterator[Check]:
        """Yield the check of every statement of ``analyses``, in order."""
        for analysis in analyses:
            for statement in analysis.statements:
                yield self.check(statement, analysis.article)

    def check_all(self) -> Iterator[Check]:
        """Yield the check of every indexed statement, in index order."""
        for statement in self.statements:
            yield self.check(statement, self.articles[statement.article_id])

    def _outlets(self, statement: Statement) -> frozenset[str]:
        speaker = statement.speaker
        if speaker is None or (speaker.actor is None and speaker.country is None):
            return self.rules.primary_outlets
        if speaker.actor is not None and speaker.actor in self.rules.primary_actors:
            return frozenset(self.rules.primary_actors[speaker.actor])
        return frozenset(self.rules.primary_countries.get(speaker.country or "", ()))

    def _best_primary(
        self, statement: Statement, article: Article, report: _Text, own: set[str], reported: bool
    ) -> _Candidate | None:
        """Return the best aligned stretch of the primary texts open to ``statement`` (thresholds
        not applied), or None when no text shares a word with it."""
        allowed_articles = self._allowed_primary(statement, article, own)
        if not allowed_articles:
            return None
        norms = report.norms()
        units = self._candidate_sentences(report, allowed_articles, 2 * self.rules.candidates)
        windows: dict[tuple[int, int, int], None] = {}
        for unit in units:
            number, k = self._sentences[unit]
            text = self._text(self._primary[number].text, reported)
            windows.setdefault((number, *self._window(text, k, len(norms))), None)
        encoded = self._encode(norms)
        scored = sorted(
            windows,
            key=lambda w: (
                -fuzz.partial_ratio(
                    encoded, self._encode(self._text(self._primary[w[0]].text, reported).norms(w[1], w[2]))
                )
            ),
        )[: self.rules.candidates]
        best: _Candidate | None = None
        for number, lo, hi in scored:
            primary = self._primary[number]
            text = self._text(primary.text, reported)
            aligned = align(norms, text.norms(lo, hi))
            if not aligned.matches:
                continue
            alignment = _shift(aligned, lo)
            candidate = _Candidate(text, alignment, primary)
            if best is None or _primary_rank(candidate) > _primary_rank(best):
                best = candidate
        return best

    def _candidate_sentences(
        self, report: _Text, allowed_articles: set[int], limit: int, min_share: float = 0.3
    ) -> dict[int, None]:
        """Return the primary sentences (numbers into the sentence index, best first, without
        repeats) that share rare words with the report, among ``allowed_articles``.

        Each sentence of a long quote is looked up on its own: one sentence of the primary text
        holds only a small share of the words of a quote that runs over several.
        """
        norms = report.norms()
        units: dict[int, None] = {}
        for lo, hi in report.sentences or ((0, len(norms)),):
            found = self._sentence_index.best(
                norms[lo:hi], lambda u: self._sentences[u][0] in allowed_articles, limit, min_share=min_share
            )
            units.update(dict.fromkeys(found))
        return units

    def _allowed_primary(self, statement: Statement, article: Article, own: set[str]) -> set[int]:
        """Return the numbers of the primary articles open to ``statement``: its speaker's outlets,
        within the date window, not its own article."""
        outlets = self._outlets(statement)
        day = _day(statement, article)
        return {
            n
            for n, a in enumerate(self._primary)
            if a.outlet in outlets
            and a.id not in own
            and self._in_primary_window(day, a.published, statement)
        }

    def _semantic_primary(
        self, statement: Statement, article: Article, report: _Text, own: set[str], reported: bool
    ) -> _Candidate | None:
        """Return the primary stretch of whole sentences closest in meaning to ``statement`` when its
        cosine reaches ``semantic.min_cosine``, else None.

        Candidate sentences share rare words with the quote (a lower share than for a word match);
        around each, every run of as many sentences as the quote has that holds it is compared.
        """
        assert self.encoder is not None
        rules = self.rules.semantic
        allowed_articles = self._allowed_primary(statement, article, own)
        if not allowed_articles:
            return None
        norms = report.norms()
        units = self._candidate_sentences(report, allowed_articles, rules.candidates, rules.min_share)
        size = max(1, min(len(report.sentences), 3))
        windows: dict[tuple[int, int, int], None] = {}
        for unit in list(units)[: rules.candidates]:
            number, k = self._sentences[unit]
            text = self._text(self._primary[number].text, reported)
            for first in range(max(0, k - size + 1), min(k, len(text.sentences) - size) + 1):
                windows.setdefault((number, first, first + size), None)
        if not windows:
            return None
        keys = list(windows)
        texts = []
        for number, first, last in keys:
            text = self._text(self._primary[number].text, reported)
            texts.append(text.slice(text.sentences[first][0], text.sentences[last - 1][1]))
        cosines = _cosines(self.encoder, statement.text, texts)
        best = max(range(len(keys)), key=lambda n: (cosines[n], -n))
        if cosines[best] < rules.min_cosine:
            return None
        number, first, last = keys[best]
        text = self._text(self._primary[number].text, reported)
        lo, hi = text.sentences[first][0], text.sentences[last - 1][1]
        return _Candidate(
            text, _whole(align(norms, text.norms(lo, hi)), lo, hi), self._primary[number], None, cosines[best]
        )

    def _in_primary_window(
        self, day: dt.date | None, published: dt.date | None, statement: Statement
    ) -> bool:
        if day is None or published is None:
            return True
        if published > day + dt.timedelta(days=self.rules.days_after):
            return False
        # A retrospective statement reports an earlier stance of unknown date.
        return statement.retrospective or published >= day - dt.timedelta(days=self.rules.days_before)

    def _window(self, text: _Text, sentence: int, size: int) -> tuple[int, int]:
        """Return the token range around ``sentence``: whole sentences, enough room for ``size`` words
        on either side, at least ``window_sentences`` sentences each way."""
        lo_s = hi_s = sentence
        lo, hi = text.sentences[sentence]
        while lo_s > 0 and (
            sentence - lo_s < self.rules.window_sentences or text.sentences[sentence][0] - lo < size
        ):
            lo_s -= 1
            lo = text.sentences[lo_s][0]
        last = len(text.sentences) - 1
        while hi_s < last and (
            hi_s - sentence < self.rules.window_sentences or hi - text.sentences[sentence][1] < size
        ):
            hi_s += 1
            hi = text.sentences[hi_s][1]
        return lo, hi

    def _reports(
        self, statement: Statement, article: Article, own: set[str], semantic: bool = False
    ) -> tuple[tuple[Report, ...], tuple[str, ...], _Candidate | None]:
        """Return the independent reports (best first), the syndicated copies, and the best report.

        With ``semantic`` and an encoder, when no report matches word by word, the statements of
        the same speaker closest in meaning (cosine from ``semantic.min_cosine``) are reports too.
        """
        rules = self.rules
        reported = statement.kind != "direct"
        mine = self._direct(statement.text)
        day = _day(statement, article)

        def allowed(unit: int) -> bool:
            other = self.statements[unit]
            if other.article_id in own or other.id == statement.id:
                return False
            if not self.same_speaker(statement, other):
                return False
            other_day = _day(other, self.articles[other.article_id])
            return day is None or other_day is None or abs((other_day - day).days) <= rules.group_days

        found: list[_Candidate] = []
        for unit in self._statement_index.best([t.norm for t in mine], allowed, 50):
            other = self.statements[unit]
            both_direct = not reported and other.kind == "direct"
            source = self._text(other.text, not both_direct)
            report = self._text(statement.text, not both_direct)
            alignment = align(report.norms(), source.norms())
            if not self._same_utterance(report, source, alignment, reported or other.kind != "direct"):
                continue
            found.append(_Candidate(source, alignment, self.articles[other.article_id], other))
        if semantic and not found and self.encoder is not None:
            found = self._semantic_reports(statement, reported, allowed)
        # Word matches first, then matches by meaning (best cosine first).
        found.sort(
            key=lambda c: (c.semantic is None, c.semantic or 0.0, _rank(c), -_order(c.article), c.article.id),
            reverse=True,
        )
        kept: list[_Candidate] = []
        copies: list[str] = []
        for candidate in found:
            if self.near_duplicates(candidate.article, article) or any(
                self.near_duplicates(candidate.article, k.article) for k in kept
            ):
                copies.append(candidate.article.id)
                continue
            kept.append(candidate)
        reports = tuple(
            Report(
                statement_id=c.statement.id if c.statement else "",
                article_id=c.article.id,
                outlet=c.article.outlet,
                text=c.text.text,
                similarity=c.alignment.similarity,
                coverage=c.alignment.coverage,
                cosine=c.semantic,
            )
            for c in kept
        )
        return reports, tuple(dict.fromkeys(copies)), kept[0] if kept else None

    def _semantic_reports(
        self, statement: Statement, reported: bool, allowed: Callable[[int], bool]
    ) -> list[_Candidate]:
        """Return the other statements (``allowed``) whose cosine with ``statement`` reaches
        ``semantic.min_cosine``, aligned word by word for the diff."""
        assert self.encoder is not None
        rules = self.rules.semantic
        norms = [t.norm for t in self._direct(statement.text)]
        units = self._statement_index.best(norms, allowed, 50, min_share=rules.min_share)[: rules.candidates]
        others = [self.statements[u] for u in units]
        cosines = _cosines(self.encoder, statement.text, [o.text for o in others])
        found = []
        for other, cosine in zip(others, cosines, strict=True):
            if cosine < rules.min_cosine:
                continue
            both_direct = not reported and other.kind == "direct"
            source = self._text(other.text, not both_direct)
            report = self._text(statement.text, not both_direct)
            alignment = _whole(align(report.norms(), source.norms()), 0, len(source.tokens))
            found.append(_Candidate(source, alignment, self.articles[other.article_id], other, cosine))
        return found

    def same_speaker(self, a: Statement, b: Statement) -> bool:
        """Return True when two statements may be by the same speaker.

        So they are when either speaker is unresolved, when both resolve to the same actor, or when
        one is the collective actor of the other's country (the state "ukr" or its government
        "ukr-gov" for Zelenskyy): news attribute a president's words to "Ukraine" and "Kyiv".
        """
        ours, theirs = a.speaker, b.speaker
        if ours is None or theirs is None or ours.actor is None or theirs.actor is None:
            return True
        if ours.actor == theirs.actor:
            return True
        country = ours.country or theirs.country
        if country is None or (ours.country and theirs.country and ours.country != theirs.country):
            return False
        collective = {pattern.format(country=country.lower()) for pattern in self.rules.collective_actors}
        return ours.actor in collective or theirs.actor in collective

    def _same_utterance(self, report: _Text, source: _Text, alignment: Alignment, reported: bool) -> bool:
        """Return True when two statements report one utterance: either holds the other well enough."""
        if self.rules.grouping.accept(alignment, self._content(report.norms(), alignment), reported):
            return True
        # The other report may quote only part of ours: align it inside ours instead.
        inside = align(source.norms(), report.norms())
        return self.rules.grouping.accept(inside, self._content(source.norms(), inside), reported)

    def _content(self, norms: Sequence[str], alignment: Alignment) -> int:
        """Return how many of the matched words of ``norms`` are content words."""
        function = self.rules.function_words
        return sum(
            norms[i] not in function
            for op in alignment.ops
            if op.tag == "equal"
            for i in range(op.r_lo, op.r_hi)
        )

    def too_short(self, statement: Statement) -> bool:
        """Return True when a statement has too few content words to be looked up at all.

        A few common words ("my condolences", "terrible phase") occur in many texts, so such a
        fragment matching somewhere says nothing about where it came from.
        """
        function = self.rules.function_words
        content = sum(t.norm not in function for t in self._direct(statement.text))
        return content < self.rules.grouping.min_content

    # corpus-wide

    def corroborations(self, checks: Iterable[Check]) -> list[Corroboration]:
        """Return the utterances reported by several statements, each variant with its verdict.

        Statements are joined with the reports their checks found (transitively); utterances with a
        single statement are left out.
        """
        parent: dict[str, str] = {}

        def root(key: str) -> str:
            while parent.setdefault(key, key) != key:
                parent[key] = parent[parent[key]]
                key = parent[key]
            return key

        verdicts: dict[str, Check] = {}
        for check in checks:
            verdicts[check.statement.id] = check
            for report in check.reports:
                parent[root(report.statement_id)] = root(check.statement.id)
        groups: dict[str, list[str]] = defaultdict(list)
        for key in list(parent):
            groups[root(key)].append(key)
        result = []
        for members in groups.values():
            if len(members) < 2:
                continue
            variants = []
            for statement_id in sorted(members):
                statement = self._by_statement.get(statement_id)
                if statement is None:
                    continue
                found = verdicts.get(statement_id)
                similarity = 0.0
                if found is not None and found.judgement is not None:
                    similarity = found.judgement.alignment.similarity
                variants.append(
                    Variant(
                        statement_id=statement_id,
                        article_id=statement.article_id,
                        text=statement.text,
                        verdict=found.verdict if found is not None else "unsupported",
                        similarity=round(similarity, 3),
                    )
                )
            result.append(Corroboration(id=stable_id("cor", *sorted(members)), variants=tuple(variants)))
        return sorted(result, key=lambda c: c.id)


def _primary_match(candidate: _Candidate) -> PrimaryMatch:
    """Return the aligned stretch of a primary candidate as a span of its article."""
    tokens, alignment = candidate.text.tokens, candidate.alignment
    start, end = tokens[alignment.s_lo].start, tokens[alignment.s_hi - 1].end
    return PrimaryMatch(
        article_id=candidate.article.id,
        url=candidate.article.url,
        outlet=candidate.article.outlet,
        published=candidate.article.published,
        text=candidate.article.text[start:end],
        start=start,
        end=end,
        similarity=alignment.similarity,
    )


def _inside_quote(text: str, at: int) -> bool:
    """Return True when position ``at`` of ``text`` lies inside quotation marks (by counting them)."""
    before = text[:at]
    opened = before.count("“") - before.count("”") + before.count("«") - before.count("»")
    return opened > 0 or before.count('"') % 2 == 1


def _cosines(encoder: Encoder, query: str, texts: Sequence[str]) -> list[float]:
    """Return the cosine of ``query`` with each of ``texts`` (unit vectors), rounded to 4 places so
    that verdicts do not hang on the last bits of a float sum."""
    if not texts:
        return []
    vectors = encoder.encode([query, *texts])
    return [round(float(c), 4) for c in vectors[1:] @ vectors[0]]


def _whole(alignment: Alignment, lo: int, hi: int) -> Alignment:
    """Return ``alignment`` (of a report against ``source[lo:hi]``) as one of the whole stretch
    ``[lo, hi)`` of the source: a match by meaning is a match of whole sentences."""
    shifted = _shift(alignment, lo)
    words = max((op.r_hi for op in alignment.ops), default=0) + hi - lo
    return Alignment(
        shifted.ops,
        lo,
        hi,
        alignment.matches,
        2 * alignment.matches / words if words else 0.0,
        alignment.coverage,
    )


def _shift(alignment: Alignment, offset: int) -> Alignment:
    """Return ``alignment`` with source positions moved by ``offset`` (a window into a longer text)."""
    ops = tuple(Op(op.tag, op.r_lo, op.r_hi, op.s_lo + offset, op.s_hi + offset) for op in alignment.ops)
    return Alignment(
        ops,
        alignment.s_lo + offset,
        alignment.s_hi + offset,
        alignment.matches,
        alignment.similarity,
        alignment.coverage,
    )


def _rank(candidate: _Candidate) -> tuple[float, float]:
    a = candidate.alignment
    return (round(a.similarity * a.coverage, 6), a.coverage)


def _primary_rank(candidate: _Candidate) -> tuple[float, float, bool, int]:
    """Best match first; among equals, the words as spoken over a release quoting them, then the
    earliest: an address carries the words bare, the readout that repeats them puts them in quotes."""
    start = candidate.text.tokens[candidate.alignment.s_lo].start
    quoted = _inside_quote(candidate.text.text, start)
    return (*_rank(candidate), not quoted, -_order(candidate.article))


def _order(article: Article) -> int:
    """Earlier publication first (undated last): the first publication is the original."""
    return article.published.toordinal() if article.published else dt.date.max.toordinal()


def summarize(verifier: Verifier, checks: Sequence[Check]) -> dict[str, Any]:
    """Return the corpus-wide summary of ``checks``: counts of verdicts overall and per speaker,
    statements with independent reports or a primary text, utterances reported several times.
    """
    verdicts: Counter[str] = Counter(c.verdict for c in checks)
    by_speaker: dict[str, Counter[str]] = defaultdict(Counter)
    for c in checks:
        speaker = (
            c.statement.speaker.actor if c.statement.speaker and c.statement.speaker.actor else "(unresolved)"
        )
        by_speaker[speaker][c.verdict] += 1
    groups = verifier.corroborations(checks)
    return {
        "articles": len(verifier.articles),
        "primary_articles": len(verifier.primary_articles),
        "statements": len(checks),
        "verdicts": {v: verdicts.get(v, 0) for v in VERDICTS},
        "with_primary": sum(c.primary is not None for c in checks),
        "with_reports": sum(bool(c.reports) for c in checks),
        "syndicated_copies_skipped": sum(len(c.copies) for c in checks),
        "utterances_reported_several_times": len(groups),
        "by_speaker": {k: {v: n for v, n in sorted(cnt.items())} for k, cnt in sorted(by_speaker.items())},
    }

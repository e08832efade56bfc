"""Score attribution (who said what) against a gold set: precision, recall and F1, overall and per kind.

Gold format, one JSON object per line::

    {"id", "text", "attributions": [{"speaker": {"start", "end"} | null, "cue": {"start", "end"} | null,
                                     "content": [{"start", "end"}, ...], "kind"}],
     "published"?, "outlet"?, "title"?}

The matching rule is the one of the held-out news set Parley is measured on: a predicted statement
counts when at least half of its content lies inside a gold content whose speaker span it overlaps.
Predictions and gold attributions are paired one to one (a maximum matching per document), so a
duplicate prediction or a second prediction inside the same gold content counts as a false positive.
A missing speaker matches only a missing speaker.

Per kind, recall is over the gold attributions of that kind and precision over the predictions of
that kind, so that a direct quote Parley calls "mixed" still counts as found; ``kind_agreement``
says how often matched pairs agree on the kind, and ``strict`` repeats the scores with the kind
required to agree.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parley.errors import InputError
from parley.ingest.jsonl import parse_record
from parley.model import Article, Statement

Range = tuple[int, int]


@dataclass(frozen=True)
class Attribution:
    """One attribution, gold or predicted: speaker span, content spans and kind."""

    speaker: Range | None
    content: tuple[Range, ...]
    kind: str
    cue: Range | None = None

    @property
    def size(self) -> int:
        """Characters of content (parts are counted once even if they overlap)."""
        return _length(_union(self.content))


@dataclass(frozen=True)
class GoldDocument:
    """One gold document: the article to analyse and its attributions."""

    article: Article
    attributions: tuple[Attribution, ...]


@dataclass
class Tally:
    """Counts behind precision and recall."""

    predicted: int = 0
    gold: int = 0
    matched_predicted: int = 0
    matched_gold: int = 0

    def add(self, other: Tally) -> None:
        """Add ``other``'s counts to these."""
        self.predicted += other.predicted
        self.gold += other.gold
        self.matched_predicted += other.matched_predicted
        self.matched_gold += other.matched_gold

    def scores(self) -> dict[str, float | int]:
        """Return precision, recall, F1 and the counts, as JSON-ready numbers."""
        precision = self.matched_predicted / self.predicted if self.predicted else 0.0
        recall = self.matched_gold / self.gold if self.gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "predicted": self.predicted,
            "gold": self.gold,
            "matched": self.matched_gold,
        }


@dataclass
class Report:
    """Scores of a whole gold set, and what went wrong, per document."""

    documents: int = 0
    overall: Tally = field(default_factory=Tally)
    strict: Tally = field(default_factory=Tally)
    per_kind: dict[str, Tally] = field(default_factory=dict)
    agreeing_kinds: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON the ``parley evaluate attribution`` command prints."""
        matched = self.overall.matched_gold
        return {
            "documents": self.documents,
            "overall": self.overall.scores(),
            "per_kind": {kind: self.per_kind[kind].scores() for kind in sorted(self.per_kind)},
            "kind_agreement": round(self.agreeing_kinds / matched, 4) if matched else 0.0,
            "strict": self.strict.scores(),
        }


def overlaps(a: Range | None, b: Range | None) -> bool:
    """True when two spans share a character; two missing speakers count as overlapping."""
    if a is None or b is None:
        return a is None and b is None
    return a[0] < b[1] and b[0] < a[1]


def matches(predicted: Attribution, gold: Attribution) -> bool:
    """The matching rule: half of the predicted content inside the gold content, speakers overlapping."""
    if predicted.size == 0 or not overlaps(predicted.speaker, gold.speaker):
        return False
    inside = sum(_intersection(p, g) for p in _union(predicted.content) for g in _union(gold.content))
    return 2 * inside >= predicted.size


def pair(
    predicted: Sequence[Attribution],
    gold: Sequence[Attribution],
    rule: Callable[[Attribution, Attribution], bool] = matches,
) -> list[tuple[int, int]]:
    """Return a maximum one-to-one matching as (prediction index, gold index) pairs.

    Augmenting paths over the pairs ``rule`` allows; documents hold tens of attributions, so the
    simple algorithm is fast enough.
    """
    allowed = [[g for g, gold_one in enumerate(gold) if rule(p, gold_one)] for p in predicted]
    owner: dict[int, int] = {}

    def augment(p: int, seen: set[int]) -> bool:
        for g in allowed[p]:
            if g in seen:
                continue
            seen.add(g)
            if g not in owner or augment(owner[g], seen):
                owner[g] = p
                return True
        return False

    for p in range(len(predicted)):
        augment(p, set())
    return sorted((p, g) for g, p in owner.items())


def score_document(
    doc_id: str,
    predicted: Sequence[Attribution],
    gold: Sequence[Attribution],
    report: Report,
    text: str | None = None,
) -> None:
    """Add one document's predictions and gold attributions to ``report``.

    Unmatched predictions and gold attributions are listed in ``report.errors`` (with their words
    when ``text`` is given).
    """
    report.documents += 1
    pairs = pair(predicted, gold)
    found_p = {p for p, _ in pairs}
    found_g = {g for _, g in pairs}
    report.overall.add(Tally(len(predicted), len(gold), len(pairs), len(pairs)))
    strict = pair(predicted, gold, lambda p, g: p.kind == g.kind and matches(p, g))
    report.strict.add(Tally(len(predicted), len(gold), len(strict), len(strict)))
    report.agreeing_kinds += sum(1 for p, g in pairs if predicted[p].kind == gold[g].kind)
    for kind in {a.kind for a in (*predicted, *gold)}:
        tally = report.per_kind.setdefault(kind, Tally())
        tally.add(
            Tally(
                predicted=sum(1 for a in predicted if a.kind == kind),
                gold=sum(1 for a in gold if a.kind == kind),
                matched_predicted=sum(1 for p in found_p if predicted[p].kind == kind),
                matched_gold=sum(1 for g in found_g if gold[g].kind == kind),
            )
        )
    for p, attribution in enumerate(predicted):
        if p not in found_p:
            report.errors.append({"id": doc_id, "error": "false positive", **_as_json(attribution, text)})
    for g, attribution in enumerate(gold):
        if g not in found_g:
            report.errors.append({"id": doc_id, "error": "missed", **_as_json(attribution, text)})


def from_statement(statement: Statement) -> Attribution:
    """Return the attribution a Parley statement predicts."""
    speaker = statement.speaker
    cue = statement.cue
    return Attribution(
        speaker=None if speaker is None else (speaker.start, speaker.end),
        content=tuple((part.start, part.end) for part in statement.content),
        kind=statement.kind,
        cue=None if cue is None else (cue.start, cue.end),
    )


def read_gold(path: Path) -> list[GoldDocument]:
    """Return the documents of a gold JSONL file.

    Raises:
        InputError: naming the file and line, when the file cannot be read, a line is not JSON, or
            an attribution is malformed (a span outside the text, no content, no kind).
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, f"cannot read: {err}") from err
    documents = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(path, f"not valid JSON: {err.msg}", line=number) from err
        article = parse_record(record, path, number)
        raw = record.get("attributions")
        if not isinstance(raw, list):
            raise InputError(path, "'attributions' must be a list", line=number)
        try:
            attributions = tuple(_attribution(a, len(article.text)) for a in raw)
        except ValueError as err:
            raise InputError(path, f"attribution: {err}", line=number) from err
        documents.append(GoldDocument(article, attributions))
    return documents


def read_predictions(path: Path) -> dict[str, list[Attribution]]:
    """Return the predicted attributions of a ``parley analyze --format jsonl`` output, by article id.

    Raises:
        InputError: naming the file and line, when a line is not an analysis object.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, f"cannot read: {err}") from err
    found: dict[str, list[Attribution]] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            article_id = str(record["article"]["id"])
            statements = [
                Attribution(
                    speaker=None
                    if s.get("speaker") is None
                    else (s["speaker"]["start"], s["speaker"]["end"]),
                    content=tuple((c["start"], c["end"]) for c in s["content"]),
                    kind=str(s["kind"]),
                )
                for s in record["statements"]
            ]
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise InputError(path, f"not a Parley analysis: {err}", line=number) from err
        found.setdefault(article_id, []).extend(statements)
    return found


def evaluate(
    gold: Sequence[GoldDocument],
    predict: Callable[[list[Article]], list[list[Attribution]]],
) -> Report:
    """Return the report of ``predict`` (articles -> attributions per article) on ``gold``."""
    report = Report()
    predictions = predict([d.article for d in gold])
    for document, predicted in zip(gold, predictions, strict=True):
        article = document.article
        score_document(article.id, predicted, document.attributions, report, article.text)
    return report


def parley_predictions(articles: list[Article]) -> list[list[Attribution]]:
    """Run Parley's pipeline (actors and statements only) and return each article's attributions.

    Raises:
        ParleyError: when the spaCy model is not installed.
    """
    from parley import nlp as parley_nlp

    pipeline = parley_nlp.load()
    later = [name for name in pipeline.pipe_names if name in ("parley_events", "parley_positions")]
    docs = parley_nlp.pipe(pipeline, articles, disable=later)
    return [[from_statement(s) for s in doc._.parley_statements or []] for doc in docs]


def _attribution(raw: Any, size: int) -> Attribution:
    if not isinstance(raw, dict):
        raise ValueError("expected an object")
    kind = raw.get("kind")
    if not isinstance(kind, str) or not kind:
        raise ValueError("missing 'kind'")
    content = raw.get("content")
    if not isinstance(content, list) or not content:
        raise ValueError("'content' must be a non-empty list of spans")
    return Attribution(
        speaker=_range(raw.get("speaker"), size, "speaker"),
        content=tuple(_required(_range(c, size, "content")) for c in content),
        kind=kind,
        cue=_range(raw.get("cue"), size, "cue"),
    )


def _required(value: Range | None) -> Range:
    if value is None:
        raise ValueError("a content span is null")
    return value


def _range(raw: Any, size: int, name: str) -> Range | None:
    if raw is None:
        return None
    try:
        start, end = raw["start"], raw["end"]
    except (TypeError, KeyError):
        raise ValueError(f"{name} must be {{start, end}}") from None
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= size):
        raise ValueError(f"{name} span [{start}, {end}) is not inside the text ({size} characters)")
    return start, end


def _union(ranges: Iterable[Range]) -> list[Range]:
    merged: list[Range] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged


def _length(ranges: Iterable[Range]) -> int:
    return sum(end - start for start, end in ranges)


def _intersection(a: Range, b: Range) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _as_json(attribution: Attribution, text: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {
        "kind": attribution.kind,
        "speaker": attribution.speaker,
        "content": [list(part) for part in attribution.content],
    }
    if text is not None:
        speaker = attribution.speaker
        found["speaker_text"] = None if speaker is None else text[speaker[0] : speaker[1]]
        found["content_text"] = " | ".join(text[s:e] for s, e in attribution.content)
    return found

"""Score positions (and the shift methods) against a hand-labelled set such as
``data/gold/positions-dev.jsonl``.

Gold format, one JSON object per line::

    {"article", "date", "actor", "issue", "stance", "text", "conditions": [...]}   a labelled stance
    {"article", "date", "none": true}      an article read in full that holds no position

``text`` and each condition are exact substrings of the article's text; ``date`` is the article's date.

What is scored:

- **positions**: a position is an (article, actor, issue) key; the gold stance of a key combines its
  rows as Parley combines sentences (:func:`parley.extract.positions.combine_stances`). Precision is
  over Parley's current (not retrospective) positions in the gold articles, recall over the gold keys.
- **by side**: the same with each actor counted as its state (``podolyak`` and ``ukr`` are Ukraine),
  so that who exactly on a side holds the stance does not count.
- **stance**: ``accuracy`` is the share of gold keys that Parley has with the same stance (end to end:
  a missed key counts as wrong); ``accuracy_found`` the same share among the keys it has.
- **conditions**: of the gold conditions of keys Parley has, the share that a predicted condition
  overlaps.
- **evidence**: of the gold rows of keys Parley has, the share whose text lies in one of the position's
  evidence sentences ("the evidence points to the right sentence").
- **shifts**: per method, the shifts found in the timelines of Parley's positions in the gold articles
  against the changes of stance in the gold timelines; a shift matches when actor, issue and both
  stances agree and the days of the new stance are at most ``window`` days apart.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parley.analysis.shifts import METHODS, Method, detect, held
from parley.analysis.timeline import TimelinePoint, timelines
from parley.errors import InputError
from parley.extract.positions import combine_stances
from parley.knowledge.lexicon import IssueTaxonomy
from parley.model import STANCES, Analysis, Article, Position, Shift, Span, Stance

Key = tuple[str, str, str]  # article, actor, issue


@dataclass(frozen=True)
class GoldRow:
    """One labelled stance: who, on which issue, which stance, in which words, on which conditions."""

    article: str
    day: dt.date
    actor: str
    issue: str
    stance: Stance
    text: str
    conditions: tuple[str, ...] = ()

    @property
    def key(self) -> Key:
        """The position this row belongs to."""
        return self.article, self.actor, self.issue


@dataclass(frozen=True)
class GoldSet:
    """The labelled rows and every article that was read (with or without positions)."""

    rows: tuple[GoldRow, ...]
    days: Mapping[str, dt.date]

    @property
    def articles(self) -> frozenset[str]:
        """The ids of the articles read."""
        return frozenset(self.days)

    def stances(self) -> dict[Key, Stance]:
        """Return the gold stance of each position (its rows combined)."""
        grouped: dict[Key, list[Stance]] = {}
        for row in self.rows:
            grouped.setdefault(row.key, []).append(row.stance)
        return {key: combine_stances(found) for key, found in grouped.items()}


def read_gold(path: Path, issues: Iterable[str] | None = None) -> GoldSet:
    """Return the gold set in ``path``; ``issues`` (ids), when given, are the only issues allowed.

    Raises:
        InputError: when the file cannot be read or a line is malformed (names the line).
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, f"cannot read the gold file: {err}") from err
    known = frozenset(issues) if issues is not None else None
    rows: list[GoldRow] = []
    days: dict[str, dt.date] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            article, day = str(record["article"]), dt.date.fromisoformat(record["date"])
            days[article] = day
            if record.get("none"):
                continue
            stance = record["stance"]
            if stance not in STANCES:
                raise ValueError(f"unknown stance {stance!r}")
            if known is not None and record["issue"] not in known:
                raise ValueError(f"unknown issue {record['issue']!r}")
            rows.append(
                GoldRow(
                    article=article,
                    day=day,
                    actor=str(record["actor"]),
                    issue=str(record["issue"]),
                    stance=stance,
                    text=str(record["text"]),
                    conditions=tuple(str(c) for c in record.get("conditions") or ()),
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as err:
            raise InputError(path, f"malformed gold line: {err}", line=number) from err
    return GoldSet(tuple(rows), days)


def score(
    gold: GoldSet,
    texts: Mapping[str, str],
    predicted: Mapping[str, Sequence[Position]],
    taxonomy: IssueTaxonomy,
    country_of: Callable[[str], str | None],
    *,
    window: int = 7,
) -> dict[str, Any]:
    """Return the scores of ``predicted`` (article id -> Parley's positions) against ``gold``.

    ``texts`` maps each gold article to its text (to place the gold words); ``country_of`` gives an
    actor's state, for the direction of shifts.
    """
    truth = gold.stances()
    found: dict[Key, Position] = {}
    for article in gold.articles:
        for position in predicted.get(article, ()):
            if not position.retrospective:
                found[(article, position.actor, position.issue)] = position
    matched = [key for key in truth if key in found]
    correct = [key for key in matched if found[key].stance == truth[key]]
    confusion: Counter[str] = Counter(
        f"{truth[key]} -> {found[key].stance if key in found else 'missing'}" for key in truth
    )
    return {
        "gold_rows": len(gold.rows),
        "articles": len(gold.articles),
        "positions": _prf(len(found), len(truth), len(matched)),
        "by_side": _by_side(truth, found, country_of),
        "stance": {
            "accuracy": _ratio(len(correct), len(truth)),
            "accuracy_found": _ratio(len(correct), len(matched)),
            "confusion": dict(sorted(confusion.items())),
        },
        "by_issue": _by_issue(truth, found),
        "conditions": _conditions(gold, texts, found),
        "evidence": _evidence(gold, texts, found),
        "shifts": _shifts(gold, truth, found, taxonomy, country_of, window),
    }


def _by_side(
    truth: Mapping[Key, Stance], found: Mapping[Key, Position], country_of: Callable[[str], str | None]
) -> dict[str, Any]:
    """The position and stance scores with each actor counted as its state (Podolyak and "Ukraine" are
    both Ukraine's side), so that who exactly holds a stance does not count, only which side."""

    def side(key: Key) -> Key:
        return key[0], (country_of(key[1]) or key[1]), key[2]

    sides: dict[Key, list[Stance]] = {}
    for key, stance in truth.items():
        sides.setdefault(side(key), []).append(stance)
    gold_sides = {key: combine_stances(found_) for key, found_ in sides.items()}
    grouped: dict[Key, list[Stance]] = {}
    for key, position in found.items():
        grouped.setdefault(side(key), []).append(position.stance)
    found_sides = {key: combine_stances(found_) for key, found_ in grouped.items()}
    matched = [key for key in gold_sides if key in found_sides]
    correct = sum(1 for key in matched if found_sides[key] == gold_sides[key])
    return {
        **_prf(len(found_sides), len(gold_sides), len(matched)),
        "accuracy": _ratio(correct, len(gold_sides)),
        "accuracy_found": _ratio(correct, len(matched)),
    }


def _prf(predicted: int, gold: int, matched: int) -> dict[str, float | int]:
    precision = _ratio(matched, predicted)
    recall = _ratio(matched, gold)
    f1 = round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0
    return {
        "predicted": predicted,
        "gold": gold,
        "matched": matched,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def _ratio(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0


def _by_issue(truth: Mapping[Key, Stance], found: Mapping[Key, Position]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for issue in sorted({k[2] for k in truth}):
        keys = [k for k in truth if k[2] == issue]
        right = sum(1 for k in keys if k in found and found[k].stance == truth[k])
        out[issue] = {"gold": len(keys), "found": sum(1 for k in keys if k in found), "correct": right}
    return out


def _locate(text: str, words: str) -> tuple[int, int] | None:
    at = text.find(words)
    return None if at < 0 else (at, at + len(words))


def _overlaps(span: tuple[int, int], spans: Iterable[Span]) -> bool:
    return any(s.start < span[1] and span[0] < s.end for s in spans)


def _conditions(gold: GoldSet, texts: Mapping[str, str], found: Mapping[Key, Position]) -> dict[str, Any]:
    total = hit = 0
    for row in gold.rows:
        if row.key not in found:
            continue
        for condition in row.conditions:
            span = _locate(texts.get(row.article, ""), condition)
            total += 1
            hit += span is not None and _overlaps(span, found[row.key].conditions)
    return {"gold": total, "found": hit, "recall": _ratio(hit, total)}


def _evidence(gold: GoldSet, texts: Mapping[str, str], found: Mapping[Key, Position]) -> dict[str, Any]:
    total = hit = 0
    for row in gold.rows:
        if row.key not in found:
            continue
        span = _locate(texts.get(row.article, ""), row.text)
        total += 1
        hit += span is not None and _overlaps(span, found[row.key].evidence)
    return {"rows": total, "in_evidence": hit, "share": _ratio(hit, total)}


def _shifts(
    gold: GoldSet,
    truth: Mapping[Key, Stance],
    found: Mapping[Key, Position],
    taxonomy: IssueTaxonomy,
    country_of: Callable[[str], str | None],
    window: int,
) -> dict[str, Any]:
    """Gold shifts are every change in the gold timelines; each method runs on Parley's."""
    gold_positions = [
        Position(
            id=f"gold-{article}-{actor}-{issue}",
            article_id=article,
            actor=actor,
            issue=issue,
            stance=stance,
            summary="",
            evidence=(),
            as_of=gold.days[article],
        )
        for (article, actor, issue), stance in truth.items()
    ]
    expected = _detect_all(gold_positions, taxonomy, country_of, "naive")
    gold_lines = timelines(gold_positions)
    lines = timelines(found.values())
    out: dict[str, Any] = {"gold": len(expected), "window_days": window}
    for method in METHODS:
        shifts = _detect_all(list(found.values()), taxonomy, country_of, method)
        scores = _prf(len(shifts), len(expected), _matches(shifts, expected, window))
        out[method] = {**scores, "tracking": _tracking(gold_lines, lines, method)}
    return out


def _tracking(
    gold_lines: Mapping[tuple[str, str], Sequence[TimelinePoint]],
    lines: Mapping[tuple[str, str], Sequence[TimelinePoint]],
    method: Method,
) -> dict[str, float | int]:
    """How often the stance a method holds an actor to on a gold day is the gold stance of that day."""
    days = right = 0
    for key, gold_points in gold_lines.items():
        held_days = held(lines.get(key, ()), method=method)
        for point in gold_points:
            current = [stance for day, stance in held_days if day <= point.day]
            if current:
                days += 1
                right += current[-1] == point.stance
    return {"days": days, "agree": right, "accuracy": _ratio(right, days)}


def _detect_all(
    positions: Sequence[Position],
    taxonomy: IssueTaxonomy,
    country_of: Callable[[str], str | None],
    method: Method,
) -> list[Shift]:
    shifts: list[Shift] = []
    for (actor, issue), points in timelines(positions).items():
        if issue in taxonomy.issues:
            shifts += detect(actor, issue, points, taxonomy, country_of, method=method)
    return shifts


def _matches(found: Sequence[Shift], expected: Sequence[Shift], window: int) -> int:
    """How many expected shifts a found one matches, one to one, nearest day first: same actor and
    issue, same new stance, days at most ``window`` apart."""
    used: set[int] = set()
    hits = 0
    for want in expected:
        best: tuple[int, int] | None = None
        for i, shift in enumerate(found):
            if i in used or (shift.actor, shift.issue) != (want.actor, want.issue):
                continue
            if shift.after.stance != want.after.stance:
                continue
            if shift.after.as_of is None or want.after.as_of is None:
                continue
            gap = abs((shift.after.as_of - want.after.as_of).days)
            if gap <= window and (best is None or gap < best[0]):
                best = (gap, i)
        if best is not None:
            used.add(best[1])
            hits += 1
    return hits


Predictions = tuple[dict[str, str], dict[str, list[Position]]]


def from_analyses(analyses: Iterable[Analysis]) -> Predictions:
    """Return the texts and the positions of analysed articles, by article id."""
    texts: dict[str, str] = {}
    positions: dict[str, list[Position]] = {}
    for analysis in analyses:
        texts[analysis.article.id] = analysis.article.text
        positions[analysis.article.id] = list(analysis.positions)
    return texts, positions


def parley_positions(gold: GoldSet, paths: Sequence[Path]) -> Predictions:
    """Run Parley on the gold articles found under ``paths`` (other articles are not read further).

    Raises:
        ParleyError: when the NLP pipeline cannot be loaded.
    """
    from parley.ingest import read_paths
    from parley.pipeline import process_batch

    articles = [a for a in read_paths(paths) if isinstance(a, Article) and a.id in gold.articles]
    return from_analyses(process_batch(articles))


def missing_articles(gold: GoldSet, texts: Mapping[str, str]) -> list[str]:
    """Return the gold articles that were not found, sorted."""
    return sorted(gold.articles - set(texts))

"""Score corroboration verdicts against labelled cases: precision, recall and F1 per verdict.

Case format (``data/gold/verify-cases.jsonl``), one JSON object per line::

    {"id", "group", "edit", "verdict", "note",
     "statement": {"text", "kind", "speaker", "country", "published", "outlet", "article_text"?},
     "primary": [{"id", "outlet", "url", "published", "text", "source"?}],
     "reports": [{"article_id", "outlet", "published", "text", "article_text"?, "speaker"?, "kind"?}]}

Each case is a small store of its own: the statement's article (``article_text``, or the statement
alone), the primary texts (articles of their outlets) and the other reports (statements of the same
speaker unless ``speaker`` says otherwise, in articles of their own). The case is checked with
:class:`parley.analysis.corroborate.Verifier`, as ``parley verify`` checks a statement, and the
verdict compared with the label. Precision of a verdict is over the cases given it, recall over the
cases labelled with it.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parley.analysis.corroborate import VERDICTS, Check, Verifier, VerifyRules
from parley.analysis.embeddings import Encoder
from parley.errors import InputError
from parley.ingest.jsonl import parse_published
from parley.model import Article, Mention, Span, Statement, StatementKind, Verdict, stable_id


@dataclass(frozen=True)
class Case:
    """One labelled case: the statement to check, its article, the store around it, the label."""

    id: str
    verdict: Verdict
    statement: Statement
    article: Article
    articles: tuple[Article, ...]
    reports: tuple[Statement, ...]
    group: str = ""
    edit: str = ""


@dataclass
class Scores:
    """Per-verdict counts and the confusion between labels and verdicts."""

    cases: int = 0
    correct: int = 0
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    per_group: dict[str, Counter[str]] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Return accuracy, macro-F1, precision/recall/F1 per verdict and the confusion matrix."""
        per_verdict: dict[str, dict[str, float | int]] = {}
        f1s: dict[str, float] = {}
        for verdict in VERDICTS:
            gold = sum(n for (g, _), n in self.confusion.items() if g == verdict)
            predicted = sum(n for (_, p), n in self.confusion.items() if p == verdict)
            hit = self.confusion[verdict, verdict]
            precision = hit / predicted if predicted else 0.0
            recall = hit / gold if gold else 0.0
            f1 = f1s[verdict] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
            per_verdict[verdict] = {
                "precision": round(precision, 4),
                "recall": round(recall, 4),
                "f1": round(f1, 4),
                "predicted": predicted,
                "gold": gold,
                "correct": hit,
            }
        labelled = [v for v in VERDICTS if per_verdict[v]["gold"]]
        macro = sum(f1s[v] for v in labelled) / len(labelled) if labelled else 0.0
        return {
            "cases": self.cases,
            "accuracy": round(self.correct / self.cases, 4) if self.cases else 0.0,
            "macro_f1": round(macro, 4),
            "per_verdict": per_verdict,
            "per_group": {
                group: {"cases": counts["cases"], "correct": counts["correct"]}
                for group, counts in sorted(self.per_group.items())
            },
            "confusion": {
                gold: {p: n for (g, p), n in sorted(self.confusion.items()) if g == gold}
                for gold in VERDICTS
                if any(g == gold for g, _ in self.confusion)
            },
        }


def read_cases(path: Path) -> list[Case]:
    """Return the cases of the JSONL file at ``path``.

    Raises:
        InputError: when the file cannot be read, or a line is not JSON or lacks a field; the error
            names the line.
    """
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, f"cannot read the cases: {err}") from err
    cases = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            cases.append(parse_case(json.loads(line)))
        except json.JSONDecodeError as err:
            raise InputError(path, f"invalid JSON: {err.msg}", line=number) from err
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise InputError(path, f"malformed case: {err!r}", line=number) from err
    return cases


def parse_case(raw: dict[str, Any]) -> Case:
    """Return the case of one decoded JSONL record.

    Raises:
        KeyError: when a required field is missing.
        ValueError: when the verdict is unknown, a date is malformed, or the statement is not in
            its ``article_text``.
    """
    verdict = raw["verdict"]
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}")
    case_id = str(raw["id"])
    spec = raw["statement"]
    speaker, country = spec.get("speaker"), spec.get("country")
    article = _article(case_id, spec.get("article_text") or spec["text"], spec)
    statement = _statement(
        f"{case_id}-statement", article, spec["text"], spec.get("kind", "direct"), speaker, country
    )
    articles = [article]
    reports = []
    for entry in raw.get("primary") or ():
        articles.append(_article(str(entry["id"]), entry["text"], entry))
    for n, entry in enumerate(raw.get("reports") or ()):
        other = _article(str(entry["article_id"]), entry.get("article_text") or entry["text"], entry)
        articles.append(other)
        who = entry.get("speaker", speaker)
        reports.append(
            _statement(
                f"{case_id}-report-{n}",
                other,
                entry["text"],
                entry.get("kind", "direct"),
                who,
                entry.get("country", country if who == speaker else None),
            )
        )
    return Case(
        id=case_id,
        verdict=verdict,
        statement=statement,
        article=article,
        articles=tuple(articles),
        reports=tuple(reports),
        group=str(raw.get("group", "")),
        edit=str(raw.get("edit", "")),
    )


def check_case(case: Case, rules: VerifyRules | None = None, encoder: Encoder | None = None) -> Check:
    """Return the check of the case's statement against the case's own small store (with sentence
    embeddings when an ``encoder`` is given)."""
    verifier = Verifier(case.articles, case.reports, rules, encoder)
    return verifier.check(case.statement, case.article)


def evaluate(
    cases: Iterable[Case], rules: VerifyRules | None = None, encoder: Encoder | None = None
) -> Scores:
    """Return the scores of the verdicts on ``cases``, with every wrong verdict in ``errors``."""
    scores = Scores()
    for case in cases:
        check = check_case(case, rules, encoder)
        scores.cases += 1
        scores.confusion[case.verdict, check.verdict] += 1
        group = scores.per_group.setdefault(case.group, Counter())
        group["cases"] += 1
        if check.verdict == case.verdict:
            scores.correct += 1
            group["correct"] += 1
        else:
            scores.errors.append(
                {
                    "id": case.id,
                    "expected": case.verdict,
                    "got": check.verdict,
                    "text": case.statement.text,
                    "diff": check.to_json()["diff"],
                }
            )
    return scores


def _article(article_id: str, text: str, spec: dict[str, Any]) -> Article:
    published = spec.get("published")
    return Article(
        id=article_id,
        text=text,
        url=spec.get("url"),
        outlet=spec.get("outlet"),
        published=parse_published(published) if published else None,
    )


def _statement(
    statement_id: str,
    article: Article,
    text: str,
    kind: StatementKind,
    speaker: str | None,
    country: str | None,
) -> Statement:
    start = article.text.find(text)
    if start < 0:
        raise ValueError(f"{statement_id}: the statement text is not in its article text")
    content = Span(text, start, start + len(text))
    return Statement(
        id=stable_id("stm", statement_id),
        article_id=article.id,
        kind=kind,
        speaker=None if speaker is None and country is None else Mention("", 0, 0, speaker, country),
        cue=None,
        content=(content,),
        evidence=content,
    )

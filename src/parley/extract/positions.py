"""Negotiating positions: an actor's stance on an issue, from what the actor is reported to say.

The ``parley_positions`` component reads each statement whose speaker is resolved: the issues its
content names (``issues.yaml`` terms), the stance its events and words show (a concession is support,
a refusal opposition, either with conditions is conditional), the conditions and qualifiers of those
events. An issue named only inside a condition ("only under the protection of NATO forces") is one
the speaker asks for: a position of support. Statements of the same actor on the same issue in one
article make one position; an earlier stance the article reports stays a separate, retrospective one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc

from parley.knowledge.actors import ActorBase, load_actors
from parley.knowledge.lexicon import Issue, IssueTaxonomy, load_issues
from parley.model import Article, Event, Position, Qualifier, Span, Statement, stable_id
from parley.nlp import article_of


@dataclass
class _Signal:
    """What one statement shows about one issue."""

    stances: set[str] = field(default_factory=set)
    conditions: dict[tuple[int, int], Span] = field(default_factory=dict)
    qualifiers: dict[tuple[int, int], Qualifier] = field(default_factory=dict)
    statements: list[Statement] = field(default_factory=list)


class PositionExtractor:
    """spaCy component: writes ``doc._.parley_positions``."""

    def __init__(self, taxonomy: IssueTaxonomy, base: ActorBase) -> None:
        self.taxonomy = taxonomy
        self.base = base

    def __call__(self, doc: Doc) -> Doc:
        article = article_of(doc)
        statements: list[Statement] = list(doc._.parley_statements or [])
        events: list[Event] = list(doc._.parley_events or [])
        signals: dict[tuple[str, str, bool], _Signal] = {}
        for statement in statements:
            actor = statement.speaker.actor if statement.speaker else None
            if actor is None:
                continue
            own = [e for e in events if e.statement_id == statement.id and self._own(e, actor)]
            for issue, stance, conditions, qualifiers in self._read(doc.text, statement, own):
                key = (actor, issue.id, statement.retrospective)
                signal = signals.setdefault(key, _Signal())
                signal.stances.add(stance)
                signal.conditions.update({(c.start, c.end): c for c in conditions})
                signal.qualifiers.update({(q.start, q.end): q for q in qualifiers})
                if statement not in signal.statements:
                    signal.statements.append(statement)
        doc._.parley_positions = [
            self._position(article, actor, issue, retro, signal)
            for (actor, issue, retro), signal in signals.items()
            if signal.stances - {"ambiguous"}
        ]
        return doc

    def _own(self, event: Event, speaker: str) -> bool:
        """True when the event is the speaker's side acting (or has no stated actor)."""
        if not event.actors:
            return True
        side = self.base.state_of(speaker)
        return any(a.id == speaker or (a.country is not None and a.country == side) for a in event.actors)

    def _read(
        self, text: str, statement: Statement, events: list[Event]
    ) -> list[tuple[Issue, str, list[Span], list[Qualifier]]]:
        """The (issue, stance, conditions, qualifiers) the statement shows."""
        conditions = [c for e in events for c in e.conditions]
        qualifiers = [q for e in events for q in e.qualifiers]
        stance = self._stance(statement, events)
        out = []
        seen: set[str] = set()
        for part in statement.content:
            for issue, start, _ in self.taxonomy.find(part.text):
                offset = part.start + start
                in_condition = any(c.start <= offset < c.end for c in conditions)
                if in_condition or issue.id in seen:
                    continue
                seen.add(issue.id)
                issue_stance = "conditional" if conditions and stance in ("support", "oppose") else stance
                out.append((issue, issue_stance, conditions, qualifiers))
        for condition in conditions:
            for issue, _, _ in self.taxonomy.find(condition.text):
                if issue.id not in seen:
                    seen.add(issue.id)
                    out.append((issue, "support", [condition], []))
        return out

    def _stance(self, statement: Statement, events: list[Event]) -> str:
        tax = self.taxonomy
        votes: set[str] = set()
        for event in events:
            if event.type in tax.oppose_events or event.modality == "negated":
                votes.add("oppose")
            elif event.type in tax.support_events:
                votes.add("support")
        if not votes:
            words = {w.strip(".,;:!?“”\"'").lower() for w in statement.text.split()}
            if words & tax.oppose_words or words & {"not", "no", "won't", "cannot"}:
                votes.add("oppose")
            elif words & tax.support_words:
                votes.add("support")
        if len(votes) == 1:
            return votes.pop()
        return "ambiguous"

    def _position(
        self, article: Article, actor: str, issue_id: str, retrospective: bool, signal: _Signal
    ) -> Position:
        stances = signal.stances - {"ambiguous"}
        if "conditional" in stances:
            stance = "conditional"
        elif len(stances) == 1:
            stance = next(iter(stances))
        else:
            stance = "ambiguous"
        conditions = tuple(sorted(signal.conditions.values(), key=lambda s: s.start))
        qualifiers = tuple(sorted(signal.qualifiers.values(), key=lambda q: q.start))
        actor_name = self.base.get(actor).name if self.base.get(actor) else actor  # type: ignore[union-attr]
        summary = _summary(
            actor_name,
            self.taxonomy.issues[issue_id],
            stance,
            conditions,
            qualifiers,
            retrospective,
        )
        evidence = tuple(s.evidence for s in signal.statements)
        as_of = None if retrospective else article.published
        return Position(
            id=stable_id("po", article.id, actor, issue_id, retrospective),
            article_id=article.id,
            actor=actor,
            issue=issue_id,
            stance=stance,  # type: ignore[arg-type]
            summary=summary,
            evidence=evidence,
            statements=tuple(s.id for s in signal.statements),
            conditions=conditions,
            qualifiers=qualifiers,
            as_of=as_of,
            retrospective=retrospective,
        )


def _summary(
    actor: str,
    issue: Issue,
    stance: str,
    conditions: tuple[Span, ...],
    qualifiers: tuple[Qualifier, ...],
    retrospective: bool,
) -> str:
    when = "earlier: " if retrospective else ""
    text = f"{when}{actor} {_VERBS[stance]} {issue.proposition}"
    labels = sorted({q.label for q in qualifiers})
    if labels:
        text += f" ({', '.join(labels)})"
    if conditions:
        text += " on condition: " + "; ".join(c.text for c in conditions)
    return text


_VERBS = {
    "support": "supports:",
    "oppose": "opposes:",
    "conditional": "accepts on conditions:",
    "ambiguous": "is ambiguous on:",
}


@Language.factory(
    "parley_positions",
    assigns=["doc._.parley_positions"],
    requires=["doc._.parley_statements", "doc._.parley_events"],
)
def make_position_extractor(nlp: Language, name: str) -> PositionExtractor:
    """Build the position extractor over the packaged issue taxonomy and actor base."""
    return PositionExtractor(load_issues(), load_actors())

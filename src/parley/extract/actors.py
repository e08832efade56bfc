"""Actor mentions: names, metonyms ("the Kremlin") and nationality adjectives resolved to actors.

The ``parley_actors`` component matches every surface form of the actor knowledge base and adds the
people and organisations spaCy's NER finds that the base does not know (unresolved, actor None), so
that pronouns are never resolved past an unknown person.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from parley.knowledge.actors import ActorBase, load_actors
from parley.model import Actor, Mention, Participant

_NER_KINDS = {"PERSON": "person", "ORG": "organisation", "NORP": "state", "GPE": "state"}


@dataclass(frozen=True)
class ActorMention:
    """A mention of an actor in a doc: token and character offsets, and the actor if known."""

    start: int
    end: int
    start_char: int
    end_char: int
    text: str
    kind: str
    actor: Actor | None

    def as_mention(self) -> Mention:
        """Return the record form (span + actor id, country, sector)."""
        a = self.actor
        if a is None:
            return Mention(self.text, self.start_char, self.end_char)
        return Mention(self.text, self.start_char, self.end_char, a.id, a.country, a.sector)

    def as_participant(self) -> Participant:
        """Return the event-participant form ({id, text, country, sector} + span)."""
        a = self.actor
        if a is None:
            return Participant(None, self.text, self.start_char, self.end_char)
        return Participant(a.id, self.text, self.start_char, self.end_char, a.country, a.sector)


class ActorRecognizer:
    """spaCy component: writes ``doc._.parley_mentions``, the actor mentions in text order."""

    def __init__(self, nlp: Language, base: ActorBase) -> None:
        self.base = base
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        forms = base.surface_forms()
        by_actor: dict[str, list[str]] = {}
        for form, actor_id in forms.items():
            by_actor.setdefault(actor_id, []).append(form)
        for actor_id, surfaces in by_actor.items():
            self.matcher.add(actor_id, [nlp.make_doc(surface) for surface in surfaces])

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, s, e, label=m) for m, s, e in self.matcher(doc)]
        known = filter_spans(spans)
        mentions = [self._mention(span, self.base.get(span.label_)) for span in known]
        taken = {i for span in known for i in range(span.start, span.end)}
        for ent in doc.ents:
            kind = _NER_KINDS.get(ent.label_)
            if kind == "person" and not taken.intersection(range(ent.start, ent.end)):
                mentions.append(self._mention(ent, None, kind))
        mentions.sort(key=lambda m: m.start)
        doc._.parley_mentions = mentions
        return doc

    @staticmethod
    def _mention(span: Span, actor: Actor | None, kind: str | None = None) -> ActorMention:
        return ActorMention(
            span.start,
            span.end,
            span.start_char,
            span.end_char,
            span.text,
            kind or (actor.kind if actor else "person"),
            actor,
        )


def mentions_of(doc: Doc) -> list[ActorMention]:
    """Return the actor mentions the ``parley_actors`` component found (empty if it did not run)."""
    return list(doc._.parley_mentions or [])


def mentions_within(doc: Doc, start: int, end: int) -> list[ActorMention]:
    """Return the mentions lying inside tokens ``[start, end)``."""
    return [m for m in mentions_of(doc) if m.start >= start and m.end <= end]


@Language.factory("parley_actors", assigns=["doc._.parley_mentions"])
def make_actor_recognizer(nlp: Language, name: str) -> ActorRecognizer:
    """Build the actor recognizer over the packaged actor knowledge base."""
    return ActorRecognizer(nlp, load_actors())

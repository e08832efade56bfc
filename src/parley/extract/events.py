"""PLOVER events with modality, conditions and qualifiers, coded from the dependency parse.

The ``parley_events`` component finds trigger words from ``events.yaml``, takes the actor from the
trigger's subject (climbing "willing to", "prepared to", "continue to"), the recipient from its object
or preposition, and reads modality from the words around it: "would not back down" is a negated
concession, hence REJECT; "may be prepared to" an offer; "only under the protection of" a condition.
A nominal trigger that takes up an earlier event ("this concession", "the surrender of these
territories") adds its conditions and qualifiers to that event instead of making a new one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Token

from parley.extract.actors import ActorMention, mentions_of, mentions_within
from parley.knowledge.actors import ActorBase, load_actors
from parley.knowledge.lexicon import EventLexicon, IssueTaxonomy, Trigger, load_events, load_issues
from parley.model import Actor, Event, Participant, Qualifier, Span, Statement, stable_id
from parley.nlp import article_of

_SUBJECTS = ("nsubj", "nsubjpass")
_CLIMB = ("xcomp", "acomp", "conj", "auxpass")
_ANAPHORIC = frozenset({"this", "these", "that", "those", "such"})
_FIRST_PERSON = frozenset({"i", "me", "my"})
_FIRST_PLURAL = frozenset({"we", "us", "our"})
_THIRD_PERSON = frozenset({"he", "she", "his", "her", "him"})
_SELF_COUNTRY = frozenset({"country", "nation", "state"})
_RECIPIENT_PREPS = {"to", "with", "against", "on", "from"}
_OBJECT_RECIPIENT = frozenset(
    {"ASSAULT", "ACCUSE", "SANCTION", "COERCE", "THREATEN", "SUPPORT", "AID", "REQUEST", "CONSULT"}
)


@dataclass
class _Draft:
    trigger: Token
    spec: Trigger
    type: str
    actors: list[ActorMention]
    recipients: list[ActorMention]
    modality: str
    conditions: list[tuple[int, int]] = field(default_factory=list)
    qualifiers: list[tuple[str, int, int]] = field(default_factory=list)
    statement: Statement | None = None


class EventCoder:
    """spaCy component: writes ``doc._.parley_events`` in text order."""

    def __init__(self, lexicon: EventLexicon, base: ActorBase, issues: IssueTaxonomy) -> None:
        self.lex = lexicon
        self.base = base
        self.issues = issues

    def __call__(self, doc: Doc) -> Doc:
        article = article_of(doc)
        statements: list[Statement] = list(doc._.parley_statements or [])
        cue_offsets = {s.cue.start for s in statements if s.cue is not None}
        drafts: list[_Draft] = []
        for token in doc:
            spec = self._trigger(token)
            if spec is None or (token.idx in cue_offsets and spec.type not in _SPEECH_EVENTS):
                continue
            statement = _statement_at(statements, token.idx)
            if token.pos_ == "NOUN":
                antecedent = self._antecedent(token, spec, drafts)
                if antecedent is not None:
                    self._absorb(antecedent, token)
                    continue
                if not any(c.dep_ == "poss" for c in token.children):
                    continue
            drafts.append(self._code(doc, token, spec, statement))
        doc._.parley_events = [self._record(doc, article.id, d) for d in drafts]
        return doc

    # -- triggers ---------------------------------------------------------------------------------

    def _trigger(self, token: Token) -> Trigger | None:
        lemma = token.lemma_.lower()
        if token.pos_ == "NOUN":
            return self.lex.nouns.get(lemma)
        if token.pos_ != "VERB":
            return None
        if (
            token.dep_ in ("amod", "acl")
            and token.tag_ == "VBN"
            and not any(c.dep_ == "agent" for c in token.children)
        ):
            return None  # "occupied territories", "recognized borders": a state, not an event
        particles = {c.lower_ for c in token.children if c.dep_ == "prt"}
        preps = {c.lower_ for c in token.children if c.dep_ == "prep"}
        options = self.lex.verbs.get(lemma, ())
        with_particle = [t for t in options if t.particle and t.particle in particles | preps]
        plain = [t for t in options if t.particle is None]
        if with_particle:
            return with_particle[0]
        # "back" alone is not "back down": a verb listed only with a particle needs it.
        return plain[0] if plain else None

    def _antecedent(self, token: Token, spec: Trigger, drafts: list[_Draft]) -> _Draft | None:
        """The earlier event a nominal trigger takes up ("this concession"), if it is anaphoric."""
        dets = {c.lower_ for c in token.children if c.dep_ == "det"}
        of_dets = {
            d.lower_
            for c in token.children
            if c.dep_ == "prep"
            for o in c.children
            if o.dep_ == "pobj"
            for d in o.children
            if d.dep_ == "det"
        }
        if not (dets | of_dets) & _ANAPHORIC:
            return None
        for draft in reversed(drafts):
            if draft.spec.type == spec.type or draft.type == spec.type:
                return draft
        return None

    # -- coding -----------------------------------------------------------------------------------

    def _chain(self, token: Token) -> list[Token]:
        """The trigger and the verbs and adjectives it hangs from up to its subject's clause."""
        chain = [token]
        while not any(c.dep_ in _SUBJECTS for c in chain[-1].children) and (
            chain[-1].dep_ in _CLIMB and chain[-1].head != chain[-1]
        ):
            chain.append(chain[-1].head)
        return chain

    def _code(self, doc: Doc, token: Token, spec: Trigger, statement: Statement | None) -> _Draft:
        chain = self._chain(token)
        actors = self._agents(doc, chain, statement)
        recipients = [
            r
            for r in self._recipients(doc, token, chain, spec.type)
            if all(r.actor is None or a.actor is None or r.actor.id != a.actor.id for a in actors)
        ]
        negated = any(c.dep_ == "neg" for t in chain for c in t.children)
        words = {c.lower_ for t in chain for c in [t, *t.children]}
        if token.dep_ == "acl":
            words |= {token.head.lower_}
        converted = negated and spec.type in self.lex.negated_as
        modality = self._governed(chain) or self._modality(words, negated and not converted, statement, chain)
        draft = _Draft(token, spec, spec.type, actors, recipients, modality, statement=statement)
        if converted:
            draft.type = self.lex.negated_as[spec.type]
        elif draft.modality in ("offered", "intended") and spec.type in self.lex.future_as:
            draft.type = self.lex.future_as[spec.type]
        self._absorb(draft, token, chain)
        return draft

    def _governed(self, chain: list[Token]) -> str | None:
        """The modality a governing verb gives ("refused to release": negated; "demanded that")."""
        for link in chain:
            if link.dep_ in ("xcomp", "ccomp") and link.head != link:
                governor = self._trigger(link.head)
                if governor is not None and governor.type in self.lex.governed_modality:
                    return self.lex.governed_modality[governor.type]
        return None

    def _modality(
        self, words: set[str], negated: bool, statement: Statement | None, chain: list[Token]
    ) -> str:
        mw = self.lex.modality_words
        past_perfect = any(c.lower_ == "had" and c.dep_ == "aux" for t in chain for c in t.children)
        if (
            (statement is not None and statement.retrospective)
            or past_perfect
            or (words & mw.get("historical_adverbs", frozenset()))
        ):
            return "historical"
        if negated:
            return "negated"
        if any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for t in chain for c in t.children):
            return "hypothetical"
        for modality in ("demanded", "offered", "intended", "hypothetical"):
            if words & mw.get(modality, frozenset()):
                return modality
        return "asserted"

    def _absorb(self, draft: _Draft, token: Token, chain: list[Token] | None = None) -> None:
        """Add the conditions and qualifiers found around ``token`` to ``draft``."""
        chain = chain or self._chain(token)
        scope = list(chain)
        if token.dep_ in _SUBJECTS:
            # "this concession would only take place under ...": the condition is on the verb.
            scope.append(token.head)
        for node in scope:
            for child in node.children:
                if child.dep_ == "advcl" and self._is_condition_clause(child):
                    draft.conditions.append(_chars(child))
                if child.dep_ == "prep" and self._is_condition_prep(child):
                    draft.conditions.append(_chars(child))
        if draft.conditions:
            draft.modality = "conditional" if draft.modality not in ("historical",) else "historical"
        for label, start, end in self._qualifiers(token, scope):
            if all((start, end) != (s, e) for _, s, e in draft.qualifiers):
                draft.qualifiers.append((label, start, end))

    def _is_condition_clause(self, clause: Token) -> bool:
        marks = " ".join(c.lower_ for c in clause.children if c.dep_ in ("mark", "advmod"))
        return any(m == marks or m in marks.split() for m in self.lex.conditional_marks)

    def _is_condition_prep(self, prep: Token) -> bool:
        phrase = prep.doc[prep.i : prep.right_edge.i + 1].text.lower()
        if not any(phrase.startswith(p + " ") for p in self.lex.condition_preps):
            return False
        nouns = {t.lemma_.lower() for t in prep.subtree if t.pos_ == "NOUN"}
        return bool(nouns & self.lex.condition_nouns)

    def _qualifiers(self, token: Token, scope: list[Token]) -> list[tuple[str, int, int]]:
        doc = token.doc
        # The clause the event lives in: the trigger's own subtree and its verbs' direct modifiers.
        tokens = {t.i for t in token.subtree}
        for node in scope:
            tokens |= {c.i for c in node.children if c.dep_ in ("advmod", "acomp", "npadvmod", "prep")}
            tokens |= {t.i for c in node.children if c.dep_ in ("acomp", "npadvmod") for t in c.subtree}
        if not tokens:
            return []
        start, end = doc[min(tokens)].idx, doc[max(tokens)].idx + len(doc[max(tokens)].text)
        found = []
        for label, phrases in self.lex.qualifiers.items():
            for phrase in phrases:
                for m in re.finditer(rf"\b{re.escape(phrase)}\b", doc.text[start:end], re.IGNORECASE):
                    found.append((label, start + m.start(), start + m.end()))
        return found

    # -- participants -----------------------------------------------------------------------------

    def _agents(self, doc: Doc, chain: list[Token], statement: Statement | None) -> list[ActorMention]:
        top = chain[-1]
        subject = next((c for c in top.children if c.dep_ in _SUBJECTS), None)
        agent = next((c for c in top.children if c.dep_ == "agent"), None)
        if agent is not None:
            subject = next((c for c in agent.children if c.dep_ == "pobj"), subject)
        if subject is None and top.dep_ == "acl":
            subject = next((c for c in top.head.children if c.dep_ == "poss"), None)
        if subject is None and top.pos_ == "NOUN":
            subject = next((c for c in top.children if c.dep_ == "poss"), None)
        if subject is None:
            return []
        return self._actors_at(doc, subject, statement)

    def _recipients(self, doc: Doc, token: Token, chain: list[Token], type_: str) -> list[ActorMention]:
        found: list[ActorMention] = []
        scope = token.head if token.dep_ == "acl" else token
        clause_stop = ("ccomp", "advcl", "relcl", "conj")
        stack = [c for c in scope.children if c.dep_ not in clause_stop]
        while stack:
            node = stack.pop()
            if (
                node.dep_ in ("prep", "dative")
                and node.lower_ in _RECIPIENT_PREPS
                and (node.head.lower_ != "according")
            ):
                for obj in node.children:
                    if obj.dep_ == "pobj":
                        found += self._actors_at(doc, obj, None)
            if node.dep_ == "pobj" and node.lemma_.lower() in self.lex.occupation_nouns:
                # "under Russian occupation": the occupier receives the territory.
                found += mentions_within(doc, node.left_edge.i, node.i + 1)
            if node.dep_ == "dobj" and type_ in _OBJECT_RECIPIENT:
                found += self._actors_at(doc, node, None)
            stack += [c for c in node.children if c.dep_ not in clause_stop]
        unique: dict[tuple[int, int], ActorMention] = {(m.start, m.end): m for m in found}
        return sorted(unique.values(), key=lambda m: m.start)

    def _actors_at(self, doc: Doc, head: Token, statement: Statement | None) -> list[ActorMention]:
        """Actors a noun phrase refers to: its mentions, or what its pronoun or "his country" means."""
        start = min(t.i for t in head.subtree if t.i <= head.i)
        mentions = mentions_within(doc, start, head.i + 1)
        conjuncts = [c for c in head.children if c.dep_ == "conj"]
        for conj in conjuncts:
            mentions += mentions_within(doc, conj.left_edge.i, conj.i + 1)
        if mentions:
            people = [m for m in mentions if m.end == head.i + 1] or mentions
            return people
        word = head.lower_
        speaker = self._speaker_actor(statement)
        if word in _FIRST_PERSON and speaker is not None:
            return [self._as_mention(head, speaker)]
        if word in _FIRST_PLURAL and speaker is not None:
            state = self._state(speaker)
            return [self._as_mention(head, state or speaker)]
        if word in _THIRD_PERSON:
            person = self._latest_person(doc, head.idx)
            return [self._as_mention(head, person)] if person else []
        if word in _SELF_COUNTRY:
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            if owner is not None:
                owners = self._actors_at(doc, owner, statement)
                states = [self._state(m.actor) for m in owners if m.actor is not None]
                return [self._as_mention(head, s) for s in states if s is not None]
        return []

    def _speaker_actor(self, statement: Statement | None) -> Actor | None:
        if statement is None or statement.speaker is None or statement.speaker.actor is None:
            return None
        return self.base.get(statement.speaker.actor)

    def _state(self, actor: Actor) -> Actor | None:
        if actor.kind == "state" or actor.country is None:
            return actor
        return next((a for a in self.base if a.kind == "state" and a.country == actor.country), None)

    def _latest_person(self, doc: Doc, offset: int) -> Actor | None:
        people = [m.actor for m in mentions_of(doc) if m.start_char < offset and m.kind == "person"]
        for statement in doc._.parley_statements or []:
            if statement.speaker is not None and statement.speaker.start < offset:
                actor = self.base.get(statement.speaker.actor or "")
                if actor is not None and actor.kind == "person":
                    people.append(actor)
        known = [p for p in people if p is not None]
        return known[-1] if known else None

    @staticmethod
    def _as_mention(token: Token, actor: Actor) -> ActorMention:
        return ActorMention(
            token.i,
            token.i + 1,
            token.idx,
            token.idx + len(token.text),
            token.text,
            actor.kind,
            actor,
        )

    # -- records ----------------------------------------------------------------------------------

    def _record(self, doc: Doc, article_id: str, d: _Draft) -> Event:
        text = doc.text
        trigger = _token_span(text, d.trigger)
        sent = d.trigger.sent
        sentence = text[sent.start_char : sent.end_char]
        contexts = tuple(dict.fromkeys(i.context for i, _, _ in self.issues.find(sentence) if i.context))
        return Event(
            id=stable_id("ev", article_id, d.type, trigger.start, trigger.end),
            article_id=article_id,
            type=d.type,
            trigger=trigger,
            evidence=Span.of(text, sent.start_char, _rstrip(text, sent.start_char, sent.end_char)),
            modality=d.modality,  # type: ignore[arg-type]
            mode=d.spec.mode if d.type == d.spec.type else None,
            contexts=contexts,
            actors=tuple(_participant(m) for m in d.actors),
            recipients=tuple(_participant(m) for m in d.recipients),
            conditions=tuple(Span.of(text, s, e) for s, e in sorted(set(d.conditions))),
            qualifiers=tuple(Qualifier(label, text[s:e], s, e) for label, s, e in d.qualifiers),
            statement_id=d.statement.id if d.statement else None,
            cameo=d.spec.cameo if d.type == d.spec.type else None,
        )


_SPEECH_EVENTS = frozenset({"REQUEST", "THREATEN", "REJECT", "ACCUSE", "SUPPORT"})


def _participant(m: ActorMention) -> Participant:
    return m.as_participant()


def _statement_at(statements: list[Statement], offset: int) -> Statement | None:
    for s in statements:
        if any(part.start <= offset < part.end for part in s.content):
            return s
    return None


def _chars(token: Token) -> tuple[int, int]:
    doc = token.doc
    left, right = token.left_edge, token.right_edge
    while right.i > left.i and right.is_punct:
        right = doc[right.i - 1]
    return left.idx, right.idx + len(right.text)


def _token_span(text: str, token: Token) -> Span:
    end = token.idx + len(token.text)
    for child in token.children:
        if child.dep_ == "prt" and child.i == token.i + 1:
            end = child.idx + len(child.text)
    return Span.of(text, token.idx, end)


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


@Language.factory("parley_events", assigns=["doc._.parley_events"], requires=["doc._.parley_statements"])
def make_event_coder(nlp: Language, name: str) -> EventCoder:
    """Build the PLOVER event coder over the packaged lexicon and actor base."""
    return EventCoder(load_events(), load_actors(), load_issues())

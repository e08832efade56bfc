"""PLOVER events with modality, conditions and qualifiers, coded from the dependency parse.

The ``parley_events`` component finds the words that signal an event and codes each:

- **Type.** A verb takes its CAMEO code from the most specific pattern of the CAMEO verb dictionary
  whose words occur around it ("lifted a state of emergency" -> 0814), else from the curated
  triggers of ``events.yaml``, else from the verb's own CAMEO code; CAMEO codes become PLOVER types
  through CAMEO2PLOVER. An object rule (``coder.object_rules``: "reduced food supplies" is SANCTION)
  outranks the verb's default and one-word patterns; a verb that sends someone to do an event
  ("sent personnel to investigate") gives way to that event. A noun signals an event when an actor
  owns it ("Russia's invasion"), when a light verb carries it ("held a meeting", "launched an
  investigation") or when it takes up an earlier event ("this concession": its conditions and
  qualifiers go to that event).
- **Participants.** The actor is the subject (climbing "willing to", "prepared to", "continue to"),
  the passive agent or the possessor; compound subjects give several actors ("Hungarian and
  Romanian officials"), a generic noun gives the sector ("officials" GOV, "troops" MIL). The
  recipient is the object or the noun after "to/with/against/from", whoever must act in what is
  demanded ("demanded that the US cancel") or in a threat's condition ("unless Israel rescinded"),
  the agent of the act an event answers ("calls by Belarus's rulers"), the object of a nominal
  trigger ("invasion of South Lebanon") and a passive trigger's subject ("civilians were killed").
  Who dies undergoes the event, and who holds the victim ("in police custody") does it. An actor of
  no known country takes the country of the event's place ("a roadside bombing near Samarra": IRQ)
  or of the state whose institution it bears on ("boycott Algeria's elections"); a people is coded
  by where it lives ("ethnic Albanians ... in Serbia").
- **Modality.** "refused to release": negated; "demanded that Russia withdraw": demanded;
  "threatened to attack": intended; "had agreed": historical; "will not withdraw": a negated
  retreat, hence REJECT; "may be prepared to": offered; "if/unless" clauses and "only under the
  protection of" make it conditional.
- **PLOVER's reductions.** Future or offered cooperation is AGREE, announced future retreats are
  CONCEDE, future material conflict is THREATEN, and an action promised "unless" the recipient
  complies is a THREATEN (``events.yaml``: ``negated_as``, ``future_as``, ``unless_as``).

:func:`primary_events` picks the events no other event of the sentence governs ("refused" over
"release"): one coder reading of the sentence, as PLOVER's gold standard codes it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

import yaml
from spacy.language import Language
from spacy.tokens import Doc, Token

from parley.errors import KnowledgeError
from parley.extract.actors import ActorMention, mentions_of, mentions_within
from parley.knowledge.actors import ActorBase, load_actors
from parley.knowledge.cameo import VerbRules, load_verb_rules
from parley.knowledge.lexicon import EventLexicon, IssueTaxonomy, Trigger, load_events, load_issues
from parley.model import Actor, Article, Event, Participant, Qualifier, Span, Statement, stable_id
from parley.nlp import article_of

if not Doc.has_extension("parley_event_tokens"):
    # event id -> index of its trigger token: lets primary_events() walk the parse.
    Doc.set_extension("parley_event_tokens", default=None)

_SUBJECTS = ("nsubj", "nsubjpass")
_CLIMB = ("xcomp", "acomp", "conj", "auxpass")
_ANAPHORIC = frozenset({"this", "these", "that", "those", "such"})
_FIRST_PERSON = frozenset({"i", "me", "my"})
_FIRST_PLURAL = frozenset({"we", "us", "our"})
_THIRD_PERSON = frozenset({"he", "she", "his", "her", "him"})
_THIRD_GROUP = frozenset({"it", "its", "they", "their", "them"})
_SELF_COUNTRY = frozenset({"country", "nation", "state"})
_RECIPIENT_PREPS = {"to", "with", "against", "on", "from", "for", "between", "among", "into", "in"}
_OBJECT_RECIPIENT = frozenset(
    {
        "ASSAULT", "ACCUSE", "SANCTION", "COERCE", "THREATEN", "SUPPORT", "AID", "REQUEST",
        "CONSULT", "REJECT",
    }
)  # fmt: skip
_SPEECH_EVENTS = frozenset({"REQUEST", "THREATEN", "REJECT", "ACCUSE", "SUPPORT", "AGREE"})


@dataclass(frozen=True)
class ObjectRule:
    """A verb whose type its object tells ("reduced food supplies": SANCTION, CAMEO 162)."""

    verbs: frozenset[str]
    objects: frozenset[str]
    trigger: Trigger


@dataclass(frozen=True)
class EventRules:
    """The coder's rules beyond the PLOVER lexicon (``events.yaml``) and the CAMEO verb rules."""

    light_verbs: frozenset[str]
    unless_as: str | None
    unless_marks: frozenset[str]
    future_modalities: frozenset[str]
    not_triggers: frozenset[str]
    pattern_only: frozenset[str]
    cameo_overrides: dict[str, str]
    deontic_as: str | None
    civilian_sectors: frozenset[str]
    civilian_as: dict[str, str]
    joint_as: dict[str, str]
    reciprocal: frozenset[str]
    intransitive: dict[str, Trigger]
    verbs: VerbRules
    object_rules: tuple[ObjectRule, ...] = ()
    purpose_carriers: frozenset[str] = frozenset()
    complement_recipient: frozenset[str] = frozenset()
    condition_recipient: frozenset[str] = frozenset()
    of_recipient: frozenset[str] = frozenset()
    not_reciprocal: frozenset[str] = frozenset()
    challenger_sectors: frozenset[str] = frozenset()
    passive_recipient: frozenset[str] = frozenset()
    manual_verbs: frozenset[str] = frozenset()
    locative_preps: frozenset[str] = frozenset()
    place_actor_not: frozenset[str] = frozenset()
    ethnic_marks: frozenset[str] = frozenset()
    undergoer_verbs: frozenset[str] = frozenset()
    holder_nouns: frozenset[str] = frozenset()
    domestic_nouns: frozenset[str] = frozenset()


@functools.cache
def load_event_rules() -> EventRules:
    """Return the coder's extra rules from the packaged ``events.yaml`` and ``phoenix/verbs.json``.

    Raises:
        KnowledgeError: when a section is malformed.
    """
    name = "parley/knowledge/data/events.yaml"
    raw = resources.files("parley.knowledge").joinpath("data", "events.yaml").read_text("utf-8")
    try:
        data: dict[str, Any] = yaml.safe_load(raw) or {}
    except yaml.YAMLError as err:
        raise KnowledgeError(f"{name}: not valid YAML: {err}") from err
    coder = data.get("coder") or {}
    if not isinstance(coder, dict):
        raise KnowledgeError(f"{name}: 'coder' must be a mapping")

    def words(key: str) -> frozenset[str]:
        value = coder.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise KnowledgeError(f"{name}: coder.{key} must be a list of words")
        return frozenset(value)

    overrides = coder.get("cameo_overrides") or {}
    if not isinstance(overrides, dict):
        raise KnowledgeError(f"{name}: coder.cameo_overrides must map CAMEO codes to PLOVER types")
    unless_as = coder.get("unless_as")
    deontic_as = coder.get("deontic_as")

    def table(key: str) -> dict[str, str]:
        value = coder.get(key) or {}
        if not isinstance(value, dict):
            raise KnowledgeError(f"{name}: coder.{key} must map types to types")
        return {str(k): str(v) for k, v in value.items()}

    intransitive: dict[str, Trigger] = {}
    for lemma, props in (coder.get("intransitive") or {}).items():
        if not isinstance(props, dict) or "type" not in props:
            raise KnowledgeError(f"{name}: coder.intransitive.{lemma} needs a type")
        cameo = props.get("cameo")
        intransitive[str(lemma)] = Trigger(
            str(lemma), None, str(props["type"]), props.get("mode"), cameo and str(cameo)
        )
    object_rules = []
    for number, rule in enumerate(coder.get("object_rules") or []):
        if not isinstance(rule, dict) or rule.get("type") is None or not rule.get("verbs"):
            raise KnowledgeError(f"{name}: coder.object_rules[{number}] needs verbs, objects and a type")
        verbs_of, objects = rule.get("verbs") or [], rule.get("objects") or []
        if not isinstance(verbs_of, list) or not isinstance(objects, list):
            raise KnowledgeError(f"{name}: coder.object_rules[{number}]: verbs and objects must be lists")
        cameo = rule.get("cameo")
        first, _, particle = str(verbs_of[0]).partition(" ")
        object_rules.append(
            ObjectRule(
                frozenset(str(v) for v in verbs_of),
                frozenset(str(o) for o in objects),
                Trigger(first, particle or None, str(rule["type"]), rule.get("mode"), cameo and str(cameo)),
            )
        )
    return EventRules(
        light_verbs=words("light_verbs"),
        unless_as=str(unless_as) if unless_as else None,
        unless_marks=words("unless_marks"),
        future_modalities=words("future_modalities"),
        not_triggers=words("not_triggers"),
        pattern_only=words("pattern_only"),
        cameo_overrides={str(k): str(v) for k, v in overrides.items()},
        deontic_as=str(deontic_as) if deontic_as else None,
        civilian_sectors=words("civilian_sectors"),
        civilian_as=table("civilian_as"),
        joint_as=table("joint_as"),
        reciprocal=words("reciprocal"),
        intransitive=intransitive,
        verbs=load_verb_rules(),
        object_rules=tuple(object_rules),
        purpose_carriers=words("purpose_carriers"),
        complement_recipient=words("complement_recipient"),
        condition_recipient=words("condition_recipient"),
        of_recipient=words("of_recipient"),
        not_reciprocal=words("not_reciprocal"),
        challenger_sectors=words("challenger_sectors"),
        passive_recipient=words("passive_recipient"),
        manual_verbs=words("manual_verbs"),
        locative_preps=words("locative_preps"),
        place_actor_not=words("place_actor_not"),
        ethnic_marks=words("ethnic_marks"),
        undergoer_verbs=words("undergoer_verbs"),
        holder_nouns=words("holder_nouns"),
        domestic_nouns=words("domestic_nouns"),
    )


@dataclass
class _Draft:
    trigger: Token
    spec: Trigger
    type: str
    actors: list[ActorMention]
    recipients: list[ActorMention]
    modality: str
    governed: bool = False
    conditions: list[tuple[int, int]] = field(default_factory=list)
    qualifiers: list[tuple[str, int, int]] = field(default_factory=list)
    statement: Statement | None = None
    context: str | None = None


class EventCoder:
    """spaCy component: writes ``doc._.parley_events`` in text order."""

    def __init__(
        self, lexicon: EventLexicon, base: ActorBase, issues: IssueTaxonomy, rules: EventRules | None = None
    ) -> None:
        self.lex = lexicon
        self.base = base
        self.issues = issues
        self.rules = rules or load_event_rules()
        words = lexicon.modality_words
        self._modal_verbs = words.get("offered", frozenset()) | words.get("intended", frozenset())

    def use(self, base: ActorBase) -> None:
        """Resolve participants against ``base`` from now on (evaluations swap in test actors)."""
        self.base = base

    def __call__(self, doc: Doc) -> Doc:
        article = article_of(doc)
        statements: list[Statement] = list(doc._.parley_statements or [])
        cue_offsets = {s.cue.start for s in statements if s.cue is not None}
        drafts: list[_Draft] = []
        for token in doc:
            found = self._trigger(token)
            if found is None:
                continue
            spec, context, by_default = found
            if token.idx in cue_offsets and spec.type not in _SPEECH_EVENTS:
                continue
            statement = _statement_at(statements, token.idx)
            if token.pos_ in ("NOUN", "PROPN"):
                antecedent = self._antecedent(token, spec, drafts)
                if antecedent is not None:
                    self._absorb(antecedent, token)
                    continue
                if not self._noun_is_event(token):
                    continue
            draft = self._code(doc, token, spec, statement)
            draft.context = context
            if by_default and not self._dyad(draft):
                # A verb coded only by its CAMEO default ("manages", "occupies") needs a known
                # actor, as PETRARCH needs a dyad: without one it is too often not a political
                # event at all.
                continue
            self._place_actors(doc, draft)
            drafts.append(draft)
        events = [self._record(doc, article, d) for d in drafts]
        doc._.parley_events = events
        doc._.parley_event_tokens = {e.id: d.trigger.i for e, d in zip(events, drafts, strict=True)}
        return doc

    # -- triggers ---------------------------------------------------------------------------------

    def _trigger(self, token: Token) -> tuple[Trigger, str | None, bool] | None:
        """The event a word signals, the PLOVER context of its CAMEO code (if any), and whether
        only the verb's CAMEO default code made it one."""
        lemma = token.lemma_.lower()
        if token.pos_ in ("NOUN", "PROPN"):
            spec = self.lex.nouns.get(lemma) or self.lex.nouns.get(token.lower_)
            return (spec, None, False) if spec is not None else None
        if token.pos_ != "VERB" or lemma in self.rules.not_triggers:
            return None
        if (lemma in self._modal_verbs or token.lower_ in self._modal_verbs) and any(
            (c.dep_ in ("xcomp", "ccomp") or _infinitive(c)) and self._trigger(c) is not None
            for c in token.children
        ):
            return None  # "offered to negotiate", "plans to withdraw": the modality of its complement
        if any(
            c.dep_ == "dobj"
            and c.lower_ in self._modal_verbs
            and any(g.dep_ in ("acl", "xcomp") for g in c.children)
            for c in token.children
        ):
            return None  # "expressed his willingness to cede": the willingness is the cession's modality
        if (
            token.dep_ in ("amod", "acl")
            and token.tag_ == "VBN"
            and not any(c.dep_ == "agent" for c in token.children)
        ):
            return None  # "occupied territories", "recognized borders": a state, not an event
        if lemma in self.rules.purpose_carriers and self._purpose(token) is not None:
            return None  # "sent personnel to Bosnia to investigate": the purpose is the event
        particles = [c.lower_ for c in token.children if c.dep_ == "prt"]
        preps = {c.lower_ for c in token.children if c.dep_ == "prep"}
        options = self.lex.verbs.get(lemma, ())
        with_particle = [t for t in options if t.particle and t.particle in set(particles) | preps]
        plain = [t for t in options if t.particle is None]
        # "back" alone is not "back down": a verb listed only with a particle needs it.
        curated = with_particle[0] if with_particle else (plain[0] if plain else None)
        if lemma in self.rules.intransitive and not any(
            c.dep_ in ("dobj", "nsubjpass") for c in token.children
        ):
            # "rebels surrendered" (a military retreat) against "surrender territory" (a concession).
            return self.rules.intransitive[lemma], None, False
        cameo = self._cameo(token, lemma, particles)
        if cameo is None or cameo[1] <= 1:
            # An object rule is a CAMEO pattern read off the parse (the verb's object, not a word
            # somewhere after it): it outranks the verb's default and one-word patterns ("mobilize
            # * against", written for "rallied"); longer patterns are more specific.
            by_object = self._object_rule(token, lemma, particles)
            if by_object is not None:
                return by_object, None, False
        if cameo is not None and cameo[1] == 0 and lemma in self.rules.pattern_only:
            cameo = None
        if curated is not None and lemma in self.rules.manual_verbs:
            return curated, None, False  # the manual names the verb: no CAMEO pattern overrides it
        if cameo is not None and (cameo[1] > 0 or curated is None):
            return cameo[0], cameo[2], cameo[1] == 0
        if curated is not None:
            return curated, None, False
        return None

    def _purpose(self, token: Token) -> Token | None:
        """The event a verb sends someone to do: a "to" infinitive it governs that signals an event,
        directly or through "help" ("mobilized pressure groups to help support")."""
        for clause in (c for c in token.children if c.dep_ in ("xcomp", "advcl") and c.pos_ == "VERB"):
            if not any(a.dep_ == "aux" and a.lower_ == "to" for a in clause.children):
                continue
            for verb in (clause, *(g for g in clause.children if g.dep_ == "xcomp")):
                if self._trigger(verb) is not None:
                    return verb
        return None

    def _object_rule(self, token: Token, lemma: str, particles: list[str]) -> Trigger | None:
        """The trigger an object rule gives a verb ("reduced food supplies"), if one applies."""
        keys = {lemma, *(f"{lemma} {p}" for p in particles)}
        rules = [r for r in self.rules.object_rules if keys & r.verbs]
        if not rules:
            return None
        heads = [c for c in token.children if c.dep_ in ("dobj", "nsubjpass")]
        heads += [g for h in heads for g in h.children if g.dep_ == "conj"]
        heads += [
            o for h in heads for p in h.children if p.lower_ == "of" for o in p.children if o.dep_ == "pobj"
        ]
        words = {
            form for h in heads for w in (h, *(c for c in h.children if c.dep_ == "compound"))
            for form in (w.lower_, w.lemma_.lower())
        }  # fmt: skip
        for rule in rules:
            if words & rule.objects:
                particle = next((p for p in particles if f"{lemma} {p}" in rule.verbs), None)
                return replace(rule.trigger, lemma=lemma, particle=particle)
        return None

    def _cameo(
        self, token: Token, lemma: str, particles: list[str]
    ) -> tuple[Trigger, int, str | None] | None:
        """The CAMEO dictionary's reading of a verb in its clause: (trigger, pattern words, context)."""
        verbs = self.rules.verbs
        keys = [f"{lemma} {p}" for p in particles if verbs.known(f"{lemma} {p}")] or [lemma]
        if not verbs.known(keys[0]):
            return None
        # The verb's own phrase: its subtree without the clauses it governs ("demanded an admission
        # that ... World War Two" must not match DEMAND * WORLD).
        subtree = sorted(_phrase_of(token), key=lambda t: t.i)
        left = [t for t in subtree if t.i < token.i]
        right = [t for t in subtree if t.i > token.i and t.dep_ != "prt"]
        top = self._chain(token)[-1]
        subject = next((c for c in top.children if c.dep_ in _SUBJECTS), None)
        if subject is not None and subject.i < token.i and subject not in left:
            # The subject's words count as "before" words even when it hangs higher up.
            left = sorted({*left, *subject.subtree}, key=lambda t: t.i)
        match = verbs.match(keys[0], [_forms(t) for t in left], [_forms(t) for t in right])
        if match is None:
            return None
        plover_type = self.rules.cameo_overrides.get(match.code, match.plover.event)
        if plover_type not in self.lex.types:
            return None
        particle = keys[0].partition(" ")[2] or None
        spec = Trigger(lemma, particle, plover_type, match.plover.mode, match.code)
        return spec, match.words, match.plover.context

    @staticmethod
    def _dyad(draft: _Draft) -> bool:
        """True when the event has an actor with a country code (half of PETRARCH's dyad: the
        recipient is often implicit in news, "Italy announced a suspension of air links")."""
        return any(a.codes()[0] for a in draft.actors)

    def _named_subject(self, token: Token) -> bool:
        """True when the verb's clause has a noun or name for subject (not a pronoun)."""
        top = self._chain(token)[-1]
        return any(c.dep_ in _SUBJECTS and c.pos_ in ("NOUN", "PROPN") for c in top.children)

    def _noun_is_event(self, token: Token) -> bool:
        """A nominal trigger is an event of its own when owned ("Russia's invasion") or carried by
        a light verb that is not itself an event ("held a meeting", "launched an investigation")."""
        if any(c.dep_ == "poss" for c in token.children):
            return True
        node = token
        if node.dep_ == "compound":
            node = node.head  # "undertook a mediation mission"
        if node.dep_ == "conj" and node.head.dep_ == "dobj":
            node = node.head
        verb = node.head
        if node.dep_ == "pobj" and verb.dep_ == "prep":
            verb = verb.head  # "put under investigation", "launched an appeal for"
        elif node.dep_ not in ("dobj", "nsubjpass", "attr"):
            return False
        return (
            verb.pos_ == "VERB"
            and verb.lemma_.lower() in self.rules.light_verbs
            and self._trigger(verb) is None
        )

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
            (chain[-1].dep_ in _CLIMB or _infinitive(chain[-1])) and chain[-1].head != chain[-1]
        ):
            chain.append(chain[-1].head)
        return chain

    def _carrier_chain(self, token: Token) -> list[Token]:
        """The chain of a trigger; a nominal trigger's starts at the word that carries it ("launched
        an investigation"; "undertook a mediation mission": the mission's verb)."""
        if token.pos_ not in ("NOUN", "PROPN") or token.dep_ == "ROOT":
            return self._chain(token)
        node = token
        if node.dep_ == "compound" and node.head.dep_ in ("dobj", "nsubjpass", "attr"):
            node = node.head
        if node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.head.pos_ == "VERB":
            node = node.head  # "has been put under investigation": the verb's chain
        return self._chain(node.head)

    def _code(self, doc: Doc, token: Token, spec: Trigger, statement: Statement | None) -> _Draft:
        chain = self._carrier_chain(token)
        actors = self._agents(doc, chain, statement, token)
        recipients = self._distinct(self._recipients(doc, token, chain, spec.type, statement), actors)
        if token.lemma_.lower() in self.rules.undergoer_verbs:
            holders = self._holders(doc, chain)
            spans = {(h.start, h.end) for h in holders}
            recipients = actors + [r for r in recipients if (r.start, r.end) not in spans]
            actors = holders
        negated = any(c.dep_ == "neg" for t in chain for c in t.children) or _no_longer(chain)
        # Lemmas count too ("has offered to" -> offer), except the trigger's own: "demanded" is
        # the demand itself, not a demand about something else.
        # Not the words of the clauses it governs: "would blockade Paris to demand an end" is not
        # a demand.
        words = {
            w
            for t in chain
            for c in [t, *(c for c in t.children if c.dep_ not in _CLAUSES or c in chain)]
            for w in (c.lower_, c.lemma_.lower())
            if c is not token
        } | {token.lower_}
        if token.dep_ == "acl":
            words |= {token.head.lower_}
        converted = negated and spec.type in self.lex.negated_as
        governed = self._governed(chain)
        modality = governed or self._modality(words, negated and not converted, statement, chain)
        draft = _Draft(token, spec, spec.type, actors, recipients, modality, governed=governed is not None)
        draft.statement = statement
        self._absorb(draft, token, chain)
        if converted:
            draft.type = self.lex.negated_as[spec.type]
        elif not draft.governed and draft.modality in self.rules.future_modalities:
            unless = any(_first_word(doc, s) in self.rules.unless_marks for s, e in draft.conditions)
            if unless and self.rules.unless_as:
                # "will withdraw its force unless the president arranges a ceasefire": a threat.
                draft.type = self.rules.unless_as
            elif spec.type in self.lex.future_as:
                draft.type = self.lex.future_as[spec.type]
        self._addressees(doc, draft)
        self._reduce(doc, draft, chain)
        return draft

    @staticmethod
    def _distinct(recipients: list[ActorMention], actors: list[ActorMention]) -> list[ActorMention]:
        """The recipients that are not the actors again: not the same words, and not the same actor
        with the same codes ("Palestinian police ... from Palestinian armed groups" keeps both)."""
        return [
            r
            for r in recipients
            if all((r.start, r.end) != (a.start, a.end) for a in actors)
            and all(
                r.actor is None or a.actor is None or r.actor.id != a.actor.id or r.codes() != a.codes()
                for a in actors
            )
        ]

    def _addressees(self, doc: Doc, draft: _Draft) -> None:
        """Add whom a demand or threat is addressed to: the subject of what is demanded ("demanded
        that the US cancel") and the subject of the condition of a threat ("threatened to ban voting
        if Hamas ran", "unless Israel rescinded")."""
        token = draft.trigger
        complements = [c for c in token.children if c.dep_ in ("ccomp", "xcomp") or _infinitive(c)]
        found: list[ActorMention] = []
        if draft.type in self.rules.complement_recipient:
            for clause in complements:
                subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
                if subject is not None and subject.pos_ != "PRON":
                    found += self._actors_at(doc, subject, None)
        if draft.type in self.rules.condition_recipient:
            for verb in (token, *complements):
                for clause in (c for c in verb.children if c.dep_ == "advcl"):
                    if not self._is_condition_clause(clause):
                        continue
                    subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
                    if subject is not None:
                        found += self._actors_at(doc, subject, draft.statement)
        known = {(r.start, r.end) for r in draft.recipients}
        fresh = [m for m in self._distinct(found, draft.actors) if (m.start, m.end) not in known]
        draft.recipients = sorted(draft.recipients + fresh, key=lambda m: m.start)

    def _reduce(self, doc: Doc, draft: _Draft, chain: list[Token]) -> None:
        """PLOVER's readings that depend on who acts ("must" in someone's words, civilians, allies)."""
        if (
            draft.type in self.rules.reciprocal
            and draft.spec.mode not in ("visit",)
            and draft.spec.cameo not in self.rules.not_reciprocal
        ):
            # Manual, "Compound and Reciprocal Actors": without a host and a visitor, everyone
            # who meets is an actor ("Christopher telephoned Kozyrev").
            # Not the venue ("held talks in Geneva"): it stays a recipient, as the gold codes it.
            draft.actors = draft.actors + [
                r for r in draft.recipients if (r.actor is not None or r.sector) and not self._venue(doc, r)
            ]
            draft.recipients = [r for r in draft.recipients if r not in draft.actors]
        sectors = {a.codes()[1] for a in draft.actors}
        if draft.type in self.rules.civilian_as and sectors and sectors <= self.rules.civilian_sectors:
            # Civilians blocking roads protest; PLOVER's COERCE is the authorities' repression.
            draft.type = self.rules.civilian_as[draft.type]
        countries = {a.codes()[0] for a in draft.actors if a.codes()[0]}
        if draft.type in self.rules.joint_as and len(countries) > 1:
            # Manual, MOBILIZE: joint military exercises are COOPERATE, one country's are MOBILIZE.
            draft.type = self.rules.joint_as[draft.type]
        if draft.modality == "demanded" and not draft.governed and self.rules.deontic_as:
            # "Russia said Sudan must return the helicopter": Russia demands, Sudan is asked. What
            # a speaker says their own side must do ("we should meet") is an intention instead.
            speaker = self._speaker_of(doc, chain, draft.statement)
            own = {self._side(m) for m in speaker} & {self._side(a) for a in draft.actors}
            if speaker and not own:
                draft.recipients = draft.actors + [r for r in draft.recipients if r not in draft.actors]
                draft.actors = speaker
                draft.type = self.rules.deontic_as

    def _side(self, mention: ActorMention) -> tuple[str | None, bool]:
        """The side an actor speaks for: its country, and whether it challenges that country's
        government (rebels and the opposition are not the government's own side)."""
        country, sector = mention.codes()
        return country, sector in self.rules.challenger_sectors

    def _speaker_of(self, doc: Doc, chain: list[Token], statement: Statement | None) -> list[ActorMention]:
        """Who reports a clause: the subject of the verb it is the complement of, else the speaker
        of its statement."""
        top = chain[-1]
        if top.dep_ == "ccomp" and top.head.pos_ == "VERB":
            subject = next((c for c in top.head.children if c.dep_ in _SUBJECTS), None)
            if subject is not None:
                return self._actors_at(doc, subject, statement)
        speaker = self._speaker_actor(statement)
        if speaker is None or statement is None or statement.speaker is None:
            return []
        span = doc.char_span(statement.speaker.start, statement.speaker.end, alignment_mode="expand")
        if span is None:
            return []
        return [
            ActorMention(
                span.start, span.end, span.start_char, span.end_char, span.text, speaker.kind, speaker
            )
        ]

    def _governed(self, chain: list[Token]) -> str | None:
        """The modality a governing verb gives ("refused to release": negated; "demanded that")."""
        for link in chain:
            if (link.dep_ in ("xcomp", "ccomp") or _infinitive(link)) and link.head != link:
                found = self._trigger(link.head)
                if found is not None and found[0].type in self.lex.governed_modality:
                    return self.lex.governed_modality[found[0].type]
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
        start = doc[min(tokens)].idx
        # Doc.text joins every token on each call: take the clause's text once.
        clause = doc[min(tokens) : max(tokens) + 1].text
        found = []
        for label, phrases in self.lex.qualifiers.items():
            for phrase in phrases:
                for m in re.finditer(rf"\b{re.escape(phrase)}\b", clause, re.IGNORECASE):
                    found.append((label, start + m.start(), start + m.end()))
        return found

    # -- participants -----------------------------------------------------------------------------

    def _agents(
        self, doc: Doc, chain: list[Token], statement: Statement | None, token: Token
    ) -> list[ActorMention]:
        top = chain[-1]
        if token.pos_ in ("NOUN", "PROPN"):
            owner = next((c for c in token.children if c.dep_ == "poss"), None)
            if owner is not None:
                return self._actors_at(doc, owner, statement)
        subject = next((c for c in top.children if c.dep_ in _SUBJECTS), None)
        agent = next((c for c in top.children if c.dep_ == "agent"), None)
        if agent is not None:
            subject = next((c for c in agent.children if c.dep_ == "pobj"), subject)
        elif (
            subject is not None
            and subject.dep_ == "nsubjpass"
            and len(chain) == 1
            and not any(c.dep_ == "prep" and c.lower_ == "to" for c in top.children)
        ):
            # "a camp was attacked": the camp is what the attack hit, not who; nor is who reports
            # it ("three civilians have been killed, Iraqi police said"). In "if we are offered to
            # join", "was forced to withdraw", the passive subject does what the complement says;
            # in "Israel is opposed to", an adjective with its "to" complement, it holds the stance.
            return []
        if subject is None and top.dep_ == "acl":
            subject = next((c for c in top.head.children if c.dep_ == "poss"), None)
        if subject is None and top.pos_ == "NOUN":
            subject = next((c for c in top.children if c.dep_ == "poss"), None)
        if subject is None and top.dep_ in ("advcl", "xcomp", "ccomp", "conj", "csubj") and top.head != top:
            # "... on Monday, joining ...", "agreed to postpone": the governing clause's subject;
            # "said that removing the sanctions is out of the question": who says so would remove them.
            return self._agents(doc, self._chain(top.head), statement, top.head)
        if subject is None and top.dep_ == "pcomp" and top.head.dep_ == "prep" and top.head.head != top.head:
            # "are guilty of violating the ceasefire", "joining them in demanding": a gerund after a
            # preposition has the subject of the phrase the preposition belongs to.
            owner = top.head.head
            return self._agents(doc, self._chain(owner), statement, owner)
        if subject is None and top.dep_ == "acl" and top.head.dep_ == "dobj" and top.head.head.pos_ == "VERB":
            # "issued a declaration demanding that ...": who issued it demands.
            verb = top.head.head
            return self._agents(doc, self._chain(verb), statement, verb)
        if subject is None:
            return []
        return self._actors_at(doc, subject, statement)

    def _holders(self, doc: Doc, chain: list[Token]) -> list[ActorMention]:
        """Who holds the victim of an undergoer verb: "in Israeli police custody", "at the hands of
        the militia"."""
        found: list[ActorMention] = []
        for node in _phrase_of(chain[-1]):
            if node.dep_ != "pobj" or node.lemma_.lower() not in self.rules.holder_nouns:
                continue
            found += mentions_within(doc, node.left_edge.i, node.i + 1)
            for prep in (c for c in node.children if c.dep_ == "prep" and c.lower_ == "of"):
                found += [m for o in prep.children if o.dep_ == "pobj" for m in self._actors_at(doc, o, None)]
        return found

    def _recipients(
        self, doc: Doc, token: Token, chain: list[Token], type_: str, statement: Statement | None
    ) -> list[ActorMention]:
        found: list[ActorMention] = []
        nominal = token.pos_ in ("NOUN", "PROPN")
        # "undertook a mediation mission between Syria and ...": the compound's phrase is the mission's.
        scope = token.head if token.dep_ == "acl" or (nominal and token.dep_ == "compound") else token
        clause_stop = ("ccomp", "advcl", "relcl", "conj", "nsubj", "nsubjpass", "agent", "poss")
        stack = [c for c in scope.children if c.dep_ not in clause_stop]
        if scope.dep_ in ("dobj", "pobj", "nsubjpass") and scope.pos_ in ("NOUN", "PROPN"):
            stack += [c for c in scope.head.children if c.dep_ in ("prep", "dative") and c.i > scope.i]
        if (token.dep_ == "xcomp" or _infinitive(token)) and token.head.lemma_ in self.rules.purpose_carriers:
            # "sent 21 personnel to Bosnia to investigate": where they were sent is what is investigated.
            stack += [c for c in token.head.children if c.dep_ == "prep"]
        subj = next((c for c in chain[-1].children if c.dep_ == "nsubjpass"), None)
        if subj is not None and (
            any(c.dep_ == "agent" for c in chain[-1].children) or type_ in self.rules.passive_recipient
        ):
            # "A camp for Congolese refugees was attacked by militiamen", "three Iraqi civilians have
            # been killed": the passive subject is what the event was done to.
            found += self._actors_at(doc, subj, statement)
        while stack:
            node = stack.pop()
            if node.lower_ == "according":
                continue  # "according to a report by a pathologist sent to Israel": the source
            if (
                node.dep_ in ("prep", "dative")
                and node.lower_ in _RECIPIENT_PREPS
                and node.head.lower_ != "according"
            ) or (
                # "rejected calls by Belarus's rulers", "demanded an admission by Moscow": the agent of
                # an act the event answers.
                node.dep_ == "prep" and node.lower_ == "by" and node.head.pos_ in ("NOUN", "PROPN")
                and node.head.i != token.i
            ) or (
                # "its invasion of South Lebanon": the object of a nominal trigger.
                nominal and node.dep_ == "prep" and node.lower_ == "of" and node.head.i == token.i
                and type_ in self.rules.of_recipient
            ):  # fmt: skip
                for obj in node.children:
                    if obj.dep_ == "pobj":
                        found += self._actors_at(doc, obj, None)
            if node.dep_ == "pobj" and node.lemma_.lower() in self.lex.occupation_nouns:
                # "under Russian occupation": the occupier receives the territory.
                found += mentions_within(doc, node.left_edge.i, node.i + 1)
            if node.dep_ in ("dobj", "dative") and type_ in _OBJECT_RECIPIENT:
                found += self._actors_at(doc, node, None)
            stack += [c for c in node.children if c.dep_ not in clause_stop]
        unique: dict[tuple[int, int], ActorMention] = {(m.start, m.end): m for m in found}
        return sorted(unique.values(), key=lambda m: m.start)

    def _actors_at(self, doc: Doc, head: Token, statement: Statement | None) -> list[ActorMention]:
        """Actors a noun phrase refers to: its mentions, or what its pronoun or "his country" means.

        "Hungarian and Romanian officials" is two actors; a generic head noun gives their sector
        ("officials" -> GOV, and the government of the country where the base has one).
        """
        start = min(t.i for t in head.subtree if t.i <= head.i)
        mentions = mentions_within(doc, start, head.i + 1)
        if not mentions:
            # "Sheikh Hamad bin Khalifa al-Thani launched": a name the parser broke up, whose first
            # word it took for the subject.
            mentions = [m for m in mentions_of(doc) if m.start <= head.i < m.end]
        conjuncts = [c for c in head.children if c.dep_ == "conj"]
        for conj in conjuncts:
            mentions += mentions_within(doc, conj.left_edge.i, conj.i + 1)
        if not mentions:
            # "The Federal Minister for Interior, Aftab Ahmad Khan Sherpao": the name in apposition.
            for appos in (c for c in head.children if c.dep_ == "appos"):
                mentions += mentions_within(doc, appos.left_edge.i, appos.i + 1)
            if mentions:
                return mentions[:1]
        sector = self.base.agent_sector(head.text) if not mentions else None
        if not mentions and (head.dep_ != "pobj" or sector is not None):
            # "Members of the Association ...", "Opposition groups in Zimbabwe", "Demonstrators in
            # Baghdad", "(with) the president of Armenia": a group or office is coded by whom it
            # belongs to or where it is; a generic head noun keeps its sector ("Demonstrators in
            # Baghdad" is IRQ CVL). After a preposition only a noun the agents know does.
            preps = [c for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "in", "from")]
            # "A terror group based in Trinidad", "workers affiliated with the Serbian Workers' Union".
            preps += [
                p
                for a in head.children
                if a.dep_ == "acl" and a.tag_ == "VBN"
                for p in a.children
                if p.dep_ == "prep"
            ]
            for prep in preps:
                for obj in (c for c in prep.children if c.dep_ == "pobj"):
                    found = mentions_within(doc, obj.left_edge.i, obj.i + 1)
                    mentions += [replace(m, sector=m.sector or sector) if sector else m for m in found]
            if mentions:
                return mentions[:1]
        if mentions:
            # Each conjunct gives the mentions that end at its head word ("President Putin", not
            # "Russian" as well), else those of its own phrase ("Both the Phillippines military and
            # the Moro Islamic Liberation Front": PHL MIL and the Front).
            chosen = []
            for node in (head, *conjuncts):
                low = start if node is head else node.left_edge.i
                own = [m for m in mentions if low <= m.start and m.end <= node.i + 1]
                chosen += [m for m in own if m.end == node.i + 1] or own
            return [self._with_agent(doc, m, head) for m in chosen or mentions]
        word = head.lower_
        owner = next((c for c in head.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
        if owner is not None and sector is not None:
            # "their forces": the forces of whom "their" stands for, in the noun's sector.
            return [replace(m, sector=m.sector or sector) for m in self._actors_at(doc, owner, statement)]
        speaker = self._speaker_actor(statement)
        if word in _FIRST_PERSON and speaker is not None:
            return [self._as_mention(head, speaker)]
        if word in _FIRST_PLURAL and speaker is not None:
            state = self._state(speaker)
            return [self._as_mention(head, state or speaker)]
        if word in _THIRD_PERSON:
            person = self._latest_person(doc, head.idx)
            return [self._as_mention(head, person)] if person else []
        if word in _THIRD_GROUP:
            group = self._latest_subject(doc, head, statement)
            return [group] if group else []
        if word in _SELF_COUNTRY:
            owner = next((c for c in head.children if c.dep_ == "poss"), None)
            if owner is not None:
                owners = self._actors_at(doc, owner, statement)
                states = [self._state(m.actor) for m in owners if m.actor is not None]
                return [self._as_mention(head, s) for s in states if s is not None]
        return []

    def _place_actors(self, doc: Doc, draft: _Draft) -> None:
        """Code an actor by where it is when nothing else gives its country.

        With no actor of known country, the place of the event does ("a roadside bombing near
        Samarra killed": IRQ; "Prisoners rioted at a jail in ... Dili": TLS; "put under investigation
        in Italy": ITA), except for the types whose place is a venue or a destination. A people
        living in another state is coded by where it lives ("ethnic Albanians demonstrated in
        Serbia", "the Albanians of southern Serbia": SRB).
        """
        chain = self._carrier_chain(draft.trigger)
        actors = []
        for actor in draft.actors:
            if (home := self._residence(doc, actor)) is not None:
                actor = replace(actor, country=home)
            elif self._ethnic(doc, actor) and (place := self._place(doc, draft.trigger, chain)) is not None:
                actor = replace(actor, country=place.codes()[0])
            actors.append(actor)
        draft.actors = actors
        if any(a.codes()[0] for a in actors) or draft.spec.type in self.rules.place_actor_not:
            return
        place = self._place(doc, draft.trigger, chain) or self._institution(doc, chain)
        if place is None:
            return
        if actors:
            draft.actors = [replace(a, country=place.codes()[0]) for a in actors]
        else:
            # The place's country with no actor id: who acted is not known, only where.
            draft.actors = [replace(place, actor=None, country=place.codes()[0], sector=None)]

    def _place(self, doc: Doc, token: Token, chain: list[Token]) -> ActorMention | None:
        """The place an event happens in: the nearest place after a locative preposition in the
        clause of the trigger and of the clauses it belongs to that have no subject of their own
        ("blocked streets in Hong Kong ... to demand"; "an attempt to assassinate ... was thwarted in
        Khanty-Mansiysk (Siberia)"). Not a place inside a reported clause's reporter."""
        scope = [token, *chain]
        node = chain[-1]
        while node.head != node and not any(c.dep_ in _SUBJECTS for c in node.children):
            if node.dep_ in ("advcl", "xcomp", "conj", "acl") or (
                node.dep_ in ("nsubj", "nsubjpass", "dobj") and node.pos_ in ("NOUN", "PROPN")
            ):
                node = node.head
                scope.append(node)
            else:
                break
        seen = {t.i for t in scope}
        queue = list(scope)
        stop = ("ccomp", "advcl", "relcl", "parataxis", "conj", "acl", "csubj", "appos")
        while queue:
            node = queue.pop(0)
            for child in node.children:
                if child.i in seen or child.dep_ in stop:
                    continue
                seen.add(child.i)
                if child.dep_ == "prep":
                    # Not a place inside another phrase: "appealed for peace in Ithilen" names
                    # what the appeal is about, not where it is made.
                    if child.lower_ in self.rules.locative_preps:
                        for obj in (c for c in child.children if c.dep_ == "pobj"):
                            if (place := self._place_at(doc, obj)) is not None:
                                return place
                    continue
                queue.append(child)
        return None

    def _institution(self, doc: Doc, chain: list[Token]) -> ActorMention | None:
        """The state whose institution the event bears on: "boycott Algeria's elections",
        "convince the Lithuanian Parliament"."""
        places = [m for m in mentions_of(doc) if m.kind == "state" and m.codes()[0] and not m.codes()[1]]
        for node in _phrase_of(chain[-1]):
            if _forms(node).isdisjoint(self.rules.domestic_nouns):
                continue
            for owner in (c for c in node.children if c.dep_ in ("poss", "amod", "compound")):
                found = next((m for m in places if m.start <= owner.i < m.end), None)
                if found is not None:
                    return found
        return None

    @staticmethod
    def _place_at(doc: Doc, obj: Token) -> ActorMention | None:
        """The place a locative object names: itself ("in Italy"), or through "of", "in", a name
        in apposition or a possessor ("near the town of Samarra", "at a jail in Dili",
        "Khanty-Mansiysk (Siberia)", "near Macedonia's border")."""
        places = [m for m in mentions_of(doc) if m.kind == "state" and m.codes()[0] and not m.codes()[1]]
        stack = [obj]
        while stack:
            node = stack.pop(0)
            found = next((m for m in places if m.start <= node.i < m.end), None)
            if found is not None:
                return found
            for child in node.children:
                if child.dep_ in ("appos", "poss", "pobj") or (
                    child.dep_ == "prep" and child.lower_ in ("of", "in")
                ):
                    stack.append(child)
        return None

    def _venue(self, doc: Doc, mention: ActorMention) -> bool:
        """A place right after a locative preposition ("in Geneva", "at the jail in Dili")."""
        return (
            mention.kind == "state"
            and not mention.codes()[1]
            and mention.start > 0
            and doc[mention.start - 1].lower_ in self.rules.locative_preps
        )

    def _ethnic(self, doc: Doc, mention: ActorMention) -> bool:
        """ "ethnic Albanians": a people, not a state."""
        window = doc[max(mention.start - 1, 0) : mention.end]
        return mention.kind == "state" and any(t.lower_ in self.rules.ethnic_marks for t in window)

    @staticmethod
    def _residence(doc: Doc, mention: ActorMention) -> str | None:
        """The state a people lives in when the text says so: "the Albanians of southern Serbia"."""
        head = doc[mention.end - 1]
        country, sector = mention.codes()
        if mention.kind != "state" or sector is not None or head.tag_ not in ("NNS", "NNPS"):
            return None
        for prep in (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "in")):
            for obj in (c for c in prep.children if c.dep_ == "pobj"):
                place = EventCoder._place_at(doc, obj)
                if place is not None and place.codes()[0] != country:
                    return place.codes()[0]
        return None

    def _with_agent(self, doc: Doc, mention: ActorMention, head: Token) -> ActorMention:
        """A place mention inside a phrase headed by a generic noun takes the noun's sector:
        "Israeli troops" is ISR MIL, "Hungarian officials" the government of Hungary."""
        if mention.end > head.i or mention.kind == "person":
            return mention
        between = doc[mention.end : head.i]
        adjacent = not any(t.dep_ in ("cc", "conj", "punct") for t in between)
        words = " ".join(t.text for t in doc[mention.end : head.i + 1])
        sector = self.base.agent_sector(words)
        if sector is None:
            return mention
        country, _ = mention.codes()
        government = self.base.government_for(country) if sector == "GOV" else None
        actor = government or mention.actor
        # "Israeli troops" is one participant; in "Hungarian and Romanian officials" the first
        # adjective stands alone and the noun goes with the last.
        end = head.i + 1 if adjacent else mention.end
        end_char = doc[end - 1].idx + len(doc[end - 1].text)
        return ActorMention(
            mention.start, end, mention.start_char, end_char, doc[mention.start : end].text,
            actor.kind if actor else mention.kind, actor, country, sector,
        )  # fmt: skip

    def _speaker_actor(self, statement: Statement | None) -> Actor | None:
        if statement is None or statement.speaker is None or statement.speaker.actor is None:
            return None
        return self.base.get(statement.speaker.actor)

    def _state(self, actor: Actor) -> Actor | None:
        if actor.kind == "state" or actor.country is None:
            return actor
        return self.base.state_for(actor.country)

    def _latest_person(self, doc: Doc, offset: int) -> Actor | None:
        people = [m.actor for m in mentions_of(doc) if m.start_char < offset and m.kind == "person"]
        for statement in doc._.parley_statements or []:
            if statement.speaker is not None and statement.speaker.start < offset:
                actor = self.base.get(statement.speaker.actor or "")
                if actor is not None and actor.kind == "person":
                    people.append(actor)
        known = [p for p in people if p is not None]
        return known[-1] if known else None

    def _latest_subject(self, doc: Doc, head: Token, statement: Statement | None) -> ActorMention | None:
        """What "it" or "they" stands for: the speaker of the statement it is in ("Iraq said it
        would allow ..."), else the subject of the clause that governs it in the same sentence."""
        speaker = self._speaker_actor(statement)
        if speaker is not None and speaker.kind != "person":
            return self._as_mention(head, speaker)
        node = head.head
        while node != node.head:
            node = node.head
            subject = next((c for c in node.children if c.dep_ in _SUBJECTS and c.i < head.i), None)
            if subject is not None and subject.lower_ not in _THIRD_GROUP:
                found = self._actors_at(doc, subject, statement)
                if found:
                    return ActorMention(
                        head.i, head.i + 1, head.idx, head.idx + len(head.text), head.text,
                        found[0].kind, found[0].actor, *found[0].codes(),
                    )  # fmt: skip
        return None

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

    def _record(self, doc: Doc, article: Article, d: _Draft) -> Event:
        # The article's text, not Doc.text, which joins every token again on each call.
        text, article_id = article.text, article.id
        trigger = _token_span(text, d.trigger)
        sent = d.trigger.sent
        sentence = text[sent.start_char : sent.end_char]
        contexts = tuple(dict.fromkeys(i.context for i, _, _ in self.issues.find(sentence) if i.context))
        if d.context and d.type == d.spec.type:
            contexts = tuple(dict.fromkeys((*contexts, *(c.strip() for c in d.context.split(";")))))
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


def primary_events(doc: Doc) -> list[Event]:
    """Return the events of a processed doc that make up each sentence's main reading.

    An event is primary when no other event of its sentence governs it ("Moscow refused to
    release the prisoners": the REJECT "refused", not the negated RETREAT "release"), when it is
    in the main clause if any event is (an event in a relative or adverbial clause, "after a jet
    shot down a helicopter", is background), and, among coordinated events, when it is the first
    one, or the last after "but" ("opened its borders ... but was still refusing admittance").
    Returns them in text order.
    """
    events: list[Event] = list(doc._.parley_events or [])
    tokens: dict[str, int] = doc._.parley_event_tokens or {}
    triggers = {tokens[e.id] for e in events if e.id in tokens}

    def governed(index: int) -> bool:
        node = doc[index]
        while node.head != node:
            if node.head.i in triggers:
                if node.dep_ != "conj":
                    return True
                contrast = any(c.dep_ == "cc" and c.lower_ in _CONTRAST for c in node.head.children)
                if not contrast:
                    return True  # a later conjunct: the first one speaks for the pair
            node = node.head
        return False

    def depth(index: int) -> int:
        node, found = doc[index], 0
        while node.head != node:
            found += node.dep_ in _SUBORDINATE
            node = node.head
        return found

    def contrasted(index: int) -> bool:
        """An earlier conjunct followed by "but": the later one carries the point."""
        node = doc[index]
        return any(
            c.dep_ == "conj"
            and c.i in triggers
            and any(g.dep_ == "cc" and g.lower_ in _CONTRAST for g in node.children)
            for c in node.children
        )

    candidates = [e for e in events if e.id not in tokens or not governed(tokens[e.id])]
    by_sentence: dict[int, list[Event]] = {}
    for event in candidates:
        index = tokens.get(event.id)
        key = doc[index].sent.start if index is not None else -1
        by_sentence.setdefault(key, []).append(event)
    primary: list[Event] = []
    for group in by_sentence.values():
        located = [(e, tokens.get(e.id)) for e in group]
        shallow = min((depth(i) for _, i in located if i is not None), default=0)
        primary += [e for e, i in located if i is None or (depth(i) == shallow and not contrasted(i))]
    return sorted(primary, key=lambda e: e.trigger.start)


_CONTRAST = frozenset({"but", "yet", "while", "although"})
_SUBORDINATE = frozenset({"advcl", "relcl", "acl", "parataxis", "pcomp", "pobj", "appos", "npadvmod"})
_CLAUSES = frozenset({"ccomp", "advcl", "relcl", "parataxis", "conj", "acl", "csubj", "mark"})


def _infinitive(token: Token) -> bool:
    """ "sworn to fight", parsed as an adverbial clause: a "to" infinitive complements its verb."""
    return (
        token.dep_ == "advcl"
        and token.tag_ == "VB"
        and any(c.dep_ == "aux" and c.lower_ == "to" and c.i == token.i - 1 for c in token.children)
    )


def _phrase_of(token: Token) -> list[Token]:
    """A verb and the words of its phrase: its subtree without the clauses it governs."""
    out = [token]
    stack = [c for c in token.children if c.dep_ not in _CLAUSES]
    while stack:
        node = stack.pop()
        out.append(node)
        stack += [c for c in node.children if c.dep_ not in _CLAUSES]
    return out


def _first_word(doc: Doc, start: int) -> str:
    """The lower-cased word that starts at character ``start`` (a condition's "if", "unless")."""
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    return span[0].lower_ if span is not None else ""


def _forms(token: Token) -> frozenset[str]:
    return frozenset({token.lower_, token.lemma_.lower()})


def _no_longer(chain: list[Token]) -> bool:
    """ "will no longer tolerate": a negation spaCy parses as an adverb."""
    return any(
        c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children) for t in chain for c in t.children
    )


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
    """Build the PLOVER event coder over the packaged lexicon, rules and actor base."""
    return EventCoder(load_events(), load_actors(), load_issues(), load_event_rules())

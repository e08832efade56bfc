"""Negotiating positions: an actor's stance on an issue, from what the actor says and does.

The ``parley_positions`` component reads an article sentence by sentence, from three sources:

- what each resolved speaker says: the content of their statements, and the sentence right after a
  statement that goes on with its list ("These include a neutral and nuclear-free status ...");
- what the outlet narrates: the holder of a stance is the actor named as the subject of its stance
  word ("Russia is eager to obtain ... guarantees ruling out NATO's eastward expansion"), or of a verb
  of saying before it ("Vladimir Putin stated the need to ...");
- events no statement reports, done by a resolved actor (PLOVER AGREE, CONCEDE, RETREAT, REQUEST,
  REJECT), when no stance word shows the stance.

In each sentence:

- the issues it names are the ``cues`` of ``issues.yaml``; an ``against`` phrase names the issue's
  negation ("territorial integrity" for a territorial concession);
- the stance is read from the stance word nearest to the issue in its clause (``stance`` in
  ``issues.yaml``): support ("ready to", "demand"), deontic support ("must", "need"), opposition
  ("will not", "reject"), openness ("not afraid to talk about": ambiguous) or putting off
  ("separately": ambiguous); a negation before the word or before the issue turns it around. A word of
  wanting whose subject is another party ("They want to talk about Ukraine's neutral status") is not
  the speaker's stance; a deontic one ("Russian troops must leave") is;
- a condition ("if binding guarantees are given", "only after the ceasefire") makes support
  conditional; a refusal keeps its conditions but stays a refusal. An issue named inside a condition is
  what the speaker asks for: support (or opposition, under a refusal: "we will not sit at the table if
  we talk about demilitarisation");
- qualifiers (temporary, permanent, immediate, ...) are the PLOVER lexicon's.

The sentences of one actor on one issue in one article make one position (per date and per
retrospective flag), its evidence those sentences, the ones that show its stance first. The core is
:class:`PositionReader`, a function of records (article, statements, events): stored statements can be
read again with another taxonomy without spaCy (:func:`read_positions`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from parley.knowledge.actors import ActorBase, load_actors
from parley.knowledge.lexicon import (
    Issue,
    IssueMention,
    IssueTaxonomy,
    compile_phrases,
    load_events,
    load_issues,
    load_outlets,
)
from parley.model import Analysis, Article, Event, Position, Qualifier, Span, Stance, Statement, stable_id
from parley.nlp import article_of

# A sentence ends at . ! ? or … (closing quotes or brackets may follow) before a capital letter, a
# digit or an opening quote; a line break always ends one.
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’'»)\]]*(?=\s+[\"“‘'«(\[]?[A-Z0-9])|\s*\n\s*")
# Where a clause ends: a cue's scope and a condition stop here.
_CLAUSE_BREAK = re.compile(
    r"\s*[;:]\s+|\s+[-–—]\s+|,?\s+(?:but|however|whereas|although)\s+"
    # "We will be able to return the territories and we will not be able to return the people": a new
    # subject starts a new clause.
    r"|,?\s+(?:and|or)\s+(?=(?:we|I|they|he|she|it|you)\b)",
    re.IGNORECASE,
)
_CONDITION_END = re.compile(r"[,;:.!?]|\s[-–—]\s")
# A condition goes on past a comma into a list ("only in case of ..., including recognition of ...,
# and ensuring its neutral status").
_CONDITION_GOES_ON = re.compile(
    # ... or into a contrast ("on the terms of dialogue, not on the terms of ultimatum")
    r",?\s*(?:including|in particular|such as|as well as|and|or|not)\b",
    re.IGNORECASE,
)
# A condition that restricts ("only if", "only after"), rather than one that merely goes with a stance.
_RESTRICTIVE = re.compile(r"only\b", re.IGNORECASE)
_LIST_GAP = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", re.IGNORECASE)
_LIST_OPENER = re.compile(r",?\s*(?:including|in particular|such as)\b", re.IGNORECASE)
# What may stand between a clause and a condition that opens the next one.
_JOIN = re.compile(r"[\s,;]*(?:but|and|yet)?[\s,]*(?:only)?\s*", re.IGNORECASE)
_WORD = re.compile(r"[\w'’-]+")
_YEAR = re.compile(r"(?:19|20)\d\d")
# How many words before a cue or an issue a negation reaches ("not yet ready to").
_NEGATION_REACH = 3
# How many words after an issue a cue may come ("Immediate ceasefire and withdrawal of Russian troops
# from Ukraine is one of the key aspects").
_FOLLOW_REACH = 12
# Words of wanting or refusing after an issue most often belong to another clause: only close ones count.
_FOLLOW_NEAR = 5
_JUDGING = frozenset({"deontic", "deferral"})
# How many words from an issue an event's trigger may be to lend the event's stance to it.
_EVENT_REACH = 6
# How many words a statement's cue may stand before its content and still show its stance ("expressed
# readiness to").
_LEAD_GAP = 3
# What may open a sentence that is only a condition ("And on the terms of dialogue, ...").
_FRAGMENT_OPENER = re.compile(r"(?:and|but|or|yet)\s+", re.IGNORECASE)

_FLIP: dict[str, Stance] = {"support": "oppose", "oppose": "support"}
# What :meth:`PositionReader._subject` returns for a pronoun (or nothing): no actor it can name.
_PRONOUNS = frozenset({None, "own", "other", "speaker"})
# A one-word name with an adjective's ending ("Ukrainian", "British", "Chinese", "French").
_ADJECTIVE = re.compile(r"^[A-Z][a-z]+(?:ian|an|ish|ese|ch|ic|i)$")
# Common nouns after a country adjective that still make it an actor ("the Ukrainian side rejected").
_ACTOR_NOUNS = frozenset(
    {"side", "party", "delegation", "authorities", "government", "leadership", "negotiators", "president"}
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return the ``[start, end)`` offsets of the sentences of ``text``, surrounding space left out."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start() if m.group().isspace() else m.end()
        spans.append((start, end))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


@dataclass(frozen=True)
class _Unit:
    """A stretch of one sentence that one actor is reported to say or shown to do."""

    actor: str | None  # None: narrated by the outlet, the actor is each stance word's subject
    start: int
    end: int
    sentence: tuple[int, int]
    statement: Statement | None
    events: tuple[Event, ...]
    retrospective: bool
    as_of: dt.date | None
    # In narration: who speaks for the outlet (the President on president.gov.ua), who holds a stance the
    # sentence names no one for, or "I" and "we" for (an address).
    voice: str | None = None
    # The sentence before this one (the antecedent of "this issue", "I accept that.").
    previous: tuple[int, int] | None = None

    @property
    def acted(self) -> bool:
        """True for an event the outlet narrates: only the event itself shows its actor's stance."""
        return self.statement is None and self.actor is not None


@dataclass(frozen=True)
class _Cue:
    """A stance word found in a sentence: support, deontic, oppose or open."""

    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class _Condition:
    """A condition span; ``negated`` when it names what must not happen ("unless ...")."""

    span: Span
    negated: bool
    # A sentence of its own after the stance it restricts ("I am ready to talk to Putin, but only to him.
    # Without any intermediaries."): it governs every clause of the sentence before.
    trailing: bool = False

    @property
    def span_range(self) -> tuple[int, int]:
        """The condition's offsets."""
        return self.span.start, self.span.end


@dataclass
class _Reading:
    """What one unit shows about one issue."""

    stance: Stance
    conditions: tuple[Span, ...]
    qualifiers: tuple[Qualifier, ...]


class PositionReader:
    """Reads positions from an article's statements, events and narration (records, no spaCy)."""

    def __init__(
        self,
        taxonomy: IssueTaxonomy,
        base: ActorBase,
        qualifiers: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        """Use ``taxonomy`` for issues and stance words, ``base`` for actors and their states, and
        ``qualifiers`` (label -> words; default: the PLOVER lexicon's) for qualifiers."""
        self.taxonomy = taxonomy
        self.base = base
        table = load_events().qualifiers if qualifiers is None else qualifiers
        self._qualifiers = {
            label: pattern
            for label, words in table.items()
            if (pattern := compile_phrases(tuple(words), "qualifiers", label)) is not None
        }
        self._outlets = load_outlets()
        forms = base.surface_forms()
        self._forms = {form.casefold(): actor for form, actor in forms.items()}
        alternatives = sorted((re.escape(f) for f in forms), key=len, reverse=True)
        self._actor_pattern = (
            re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])") if forms else None
        )

    def read(
        self, article: Article, statements: Sequence[Statement], events: Sequence[Event]
    ) -> list[Position]:
        """Return the positions the article shows, in order of first evidence."""
        signals: dict[tuple[str, str, bool, dt.date | None], list[tuple[_Unit, _Reading]]] = {}
        for unit in self._units(article, statements, events):
            for (actor, issue_id), reading in self._read_unit(article.text, unit).items():
                key = (actor, issue_id, unit.retrospective, unit.as_of)
                signals.setdefault(key, []).append((unit, reading))
        return [self._position(article, key, found) for key, found in signals.items()]

    # Units: who says what, sentence by sentence

    def _voice(self, article: Article) -> str | None:
        """Who speaks in the narration of the article's outlet (``outlets.yaml``): the holder of its
        ``voice`` office on the article's date (the President on president.gov.ua and kremlin.ru),
        else the outlet country's state; None for an unknown outlet."""
        outlet = self._outlets.get(article.outlet or "")
        if outlet is None:
            return None
        if outlet.voice is not None:
            holder = self.base.office_holder(outlet.voice, outlet.country, article.published)
            if holder is not None:
                return holder.id
        state = self.base.state_for(outlet.country)
        return state.id if state is not None else None

    def _units(
        self, article: Article, statements: Sequence[Statement], events: Sequence[Event]
    ) -> list[_Unit]:
        text = article.text
        sentences = sentence_spans(text)
        previous = dict(zip(sentences[1:], sentences[:-1], strict=True))
        units: list[_Unit] = []
        spoken: list[tuple[int, int]] = [(p.start, p.end) for s in statements for p in s.content]
        for statement in statements:
            actor = statement.speaker.actor if statement.speaker else None
            if actor is None:
                continue
            retrospective = statement.retrospective
            as_of = statement.said_on if retrospective else statement.said_on or article.published
            for part in statement.content:
                for s0, s1 in sentences:
                    a, b = max(part.start, s0), min(part.end, s1)
                    if b - a < 3:
                        continue
                    own = tuple(
                        e
                        for e in events
                        if s0 <= e.trigger.start < s1 and e.statement_id in (statement.id, None)
                    )
                    before = previous.get((s0, s1))
                    units.append(
                        _Unit(actor, a, b, (s0, s1), statement, own, retrospective, as_of, None, before)
                    )
            follow = self._continuation(text, sentences, statement, spoken)
            if follow is not None:
                s0, s1 = follow
                units.append(_Unit(actor, s0, s1, follow, statement, (), retrospective, as_of))
        for event in events:
            unit = self._event_unit(article, sentences, event, spoken)
            if unit is not None:
                units.append(unit)
        # What the outlet narrates ("Russia is eager to obtain legally binding guarantees"): the actor is
        # read from each stance word's subject.
        voice = self._voice(article)
        for s0, s1 in sentences:
            if any(a < s1 and s0 < b for a, b in spoken):
                continue
            in_sentence = tuple(e for e in events if s0 <= e.trigger.start < s1)
            past = self._tells_of_the_past(text[s0:s1], article.published)
            as_of = None if past else article.published
            units.append(
                _Unit(None, s0, s1, (s0, s1), None, in_sentence, past, as_of, voice, previous.get((s0, s1)))
            )
        return units

    def _tells_of_the_past(self, sentence: str, published: dt.date | None) -> bool:
        """True when a narrated sentence tells of the past (``stance.past``): a year before the
        article's, "years ago", "back then"."""
        pattern = self.taxonomy.stance.past
        if pattern is None:
            return False
        for m in pattern.finditer(sentence):
            year = _YEAR.search(m.group())
            if year is None or published is None or int(year.group()) < published.year:
                return True
        return False

    def _continuation(
        self,
        text: str,
        sentences: list[tuple[int, int]],
        statement: Statement,
        spoken: list[tuple[int, int]],
    ) -> tuple[int, int] | None:
        """The sentence right after a statement that goes on with its list ("These include ...")."""
        pattern = self.taxonomy.stance.continuations
        if pattern is None:
            return None
        # The sentence after the one the statement ends in, with nothing but space between.
        end = statement.evidence.end
        current = next(((a, b) for a, b in sentences if a < end <= b), None)
        after = current[1] if current is not None else end
        nxt = next(((a, b) for a, b in sentences if a >= after), None)
        between = text[after : nxt[0]] if nxt is not None else ""
        if nxt is None or between.strip(" .,;:\"'”’»") or "\n\n" in between:
            return None
        if any(a < nxt[1] and nxt[0] < b for a, b in spoken):
            return None
        m = pattern.match(text, nxt[0])
        return nxt if m is not None else None

    def _event_unit(
        self,
        article: Article,
        sentences: list[tuple[int, int]],
        event: Event,
        spoken: list[tuple[int, int]],
    ) -> _Unit | None:
        """A unit for an event no statement reports, done by a resolved actor."""
        stance = self.taxonomy.stance
        if event.statement_id is not None or event.modality == "hypothetical":
            return None
        if event.type not in stance.support_events | stance.oppose_events:
            return None
        actor = next((p.id for p in event.actors if p.id is not None), None)
        if actor is None or any(a <= event.trigger.start < b for a, b in spoken):
            return None
        sentence = next(((a, b) for a, b in sentences if a <= event.trigger.start < b), None)
        if sentence is None:
            return None
        retrospective = event.modality == "historical"
        as_of = None if retrospective else article.published
        return _Unit(actor, sentence[0], sentence[1], sentence, None, (event,), retrospective, as_of)

    # Reading one unit

    def _read_unit(self, text: str, unit: _Unit) -> dict[tuple[str, str], _Reading]:
        """What the unit shows, by (actor, issue)."""
        if self.taxonomy.out_of_scope(text[unit.sentence[0] : unit.sentence[1]]):
            return {}
        mentions = [
            IssueMention(m.issue, m.start + unit.start, m.end + unit.start, m.against)
            for m in self.taxonomy.mentions(text[unit.start : unit.end])
        ]
        taken_up = self._anaphora(text, unit, mentions)
        if not mentions and not taken_up:
            return {}
        premises = self._premises(text, unit)
        mentions = [m for m in mentions if not any(a <= m.start < b for a, b in premises)]
        inherited: dict[int, list[Span]] = {}
        for mention, spans in taken_up:
            mentions.append(mention)
            inherited[id(mention)] = spans
        conditions = self._conditions(text, unit)
        cues = [c for c in self._cues(text, unit.start, unit.end) if not _inside(c.start, conditions)]
        negations = _carry_negations(text, mentions, self._negations(text, unit.start, unit.end, cues))
        lead = self._lead(text, unit)
        qualifiers = self._qualifiers_in(text, unit)
        votes: dict[tuple[str, str], list[Stance]] = {}
        conditioned: dict[tuple[str, str], list[Span]] = {}
        for mention in mentions:
            condition = next((c for c in conditions if c.span.start <= mention.start < c.span.end), None)
            own_conditions: list[Span] = []
            if condition is not None:
                found = self._asked_for(text, unit, mention, condition, cues, negations)
                if found is not None and found[1] == "conditional":
                    own_conditions = [c.span for c in conditions if not c.negated]
            else:
                found = self._stance(text, unit, mention, cues, negations, lead)
                segment = _segment(text, unit, mention.start)
                if found is None and unit.actor is not None:
                    # "a ceasefire can be established only when he meets with Putin": a restrictive
                    # condition on the issue is acceptance on that condition.
                    # So is a condition that opens the speaker's sentence when no word in it shows a
                    # stance ("If this happens, ... we have certain security guarantees that provide for
                    # non-alignment").
                    only = [
                        c
                        for c in conditions
                        if _governs(text, c, segment)
                        and (
                            _RESTRICTIVE.match(c.span.text)
                            or (unit.statement is not None and not cues and c.span.start == unit.sentence[0])
                        )
                    ]
                    if only:
                        found = (unit.actor, "oppose" if mention.against else "support")
                if found is not None and found[1] in ("support", "oppose", "ambiguous"):
                    # Openness on a condition stays open ("possible to speak about the neutral status
                    # only after the ceasefire"), but keeps its condition.
                    own_conditions = [c.span for c in conditions if _governs(text, c, segment)]
                    own_conditions += inherited.get(id(mention), [])
                    if found[1] == "support" and own_conditions:
                        found = (found[0], "conditional")
            if found is None:
                continue
            key = (found[0], mention.issue.id)
            votes.setdefault(key, []).append(found[1])
            conditioned.setdefault(key, []).extend(own_conditions)
        readings = {}
        for key, stances in votes.items():
            stance = combine_stances(stances)
            kept = conditioned[key] if stance in ("conditional", "oppose", "ambiguous") else []
            readings[key] = _Reading(stance, _unique_spans(kept), qualifiers)
        return readings

    def _stance(
        self,
        text: str,
        unit: _Unit,
        mention: IssueMention,
        cues: list[_Cue],
        negations: list[int],
        lead: Sequence[_Cue] = (),
    ) -> tuple[str, Stance] | None:
        """Whose stance toward a mention outside any condition the sentence shows, and which; None
        when it shows none. ``lead`` are the stance words of the statement's own cue ("expressed
        readiness to"), which count when the content has none."""
        segment = _segment(text, unit, mention.start)
        if unit.acted:
            stance = self._event_stance(text, unit, segment, mention)
            return None if stance is None or unit.actor is None else (unit.actor, stance)
        # Putting off applies to what the clause names before it ("the status of Crimea ... separately") or
        # right after it ("the future of Crimea").
        deferred = [
            c
            for c in cues
            if c.kind == "deferral"
            and segment[0] <= c.start < segment[1]
            and (c.start >= mention.end or len(_WORD.findall(text, c.end, mention.start)) <= _NEGATION_REACH)
        ]
        if deferred:
            actor = self._holder(text, unit, deferred[0], mention, segment)
            return None if actor is None else (actor, "ambiguous")
        for cue in _nearest(
            text, cues, mention.start, mention.end, segment, inside=unit.statement is not None
        ):
            actor = self._holder(text, unit, cue, mention, segment)
            if actor is not None:
                return actor, self._polarity(text, cue, mention, negations, segment)
        if unit.actor is None:
            return None
        stance = self._event_stance(text, unit, segment, mention)
        if stance is None and lead and segment[0] == unit.start:
            stance = self._polarity(text, lead[-1], mention, negations, segment)
        return None if stance is None else (unit.actor, stance)

    def _holder(
        self, text: str, unit: _Unit, cue: _Cue, mention: IssueMention, segment: tuple[int, int]
    ) -> str | None:
        """Whose stance a cue shows, None when it is no one's this sentence can name.

        In a statement it is the speaker's, unless a verb of saying before it has another subject
        ("some politicians ... say that Ukraine must ...") or a cue of wanting has another party as its
        subject. In the outlet's narration it is the subject of a verb of saying before it ("Vladimir
        Putin stated the need to ...") or, without one, the actor named as the subject of a cue of
        wanting.
        """
        if unit.acted:
            return None
        hearsay = self.taxonomy.stance.hearsay
        if hearsay is not None and hearsay.search(text, segment[0], min(cue.start, mention.start)):
            return None
        speaker = unit.actor
        start = segment[0]
        verb = self._reporting_verb(text, start, min(cue.start, mention.start))
        if verb is not None:
            said_by = self._subject(text, start, verb[0], first=unit.actor is None)
            if unit.actor is None:
                if said_by == "other":
                    return None
                speaker = said_by if said_by not in _PRONOUNS else unit.voice
            elif not self._is_own(said_by, unit.actor):
                return None
            start = verb[1]
        deontic = cue.kind in ("deontic", "deferral")
        if speaker is None:
            if deontic:
                return unit.voice
            subject = self._cue_subject(text, cue, mention, start, between_only=True, first=True)
            # "I" and "we" outside quotes on an official site are its voice (an address).
            if subject is None or subject == "own":
                return unit.voice
            return subject if subject not in _PRONOUNS else None
        if deontic:
            return speaker
        subject = self._cue_subject(text, cue, mention, start)
        if subject is None or subject in ("own", "speaker"):
            return speaker
        if subject == "other":
            return None
        return speaker if self._same_side(subject, speaker) else None

    def _cue_subject(
        self,
        text: str,
        cue: _Cue,
        mention: IssueMention,
        start: int,
        *,
        between_only: bool = False,
        first: bool = False,
    ) -> str | None:
        """The subject of a cue: named before it, or, for a cue after the issue, between the two ("the
        sanctions the United States would be ready to impose") or else before the issue, unless
        ``between_only`` (in narration, an actor before the issue is most often its owner: "We are
        categorically opposed to Ukraine joining NATO")."""
        if cue.start >= mention.end:
            windows = [(mention.end, cue.start)]
            if not between_only:
                windows.append((start, mention.start))
        else:
            windows = [(start, cue.start)]
        return next((s for w in windows if (s := self._subject(text, *w, first=first)) is not None), None)

    def _reporting_verb(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """The offsets of the last verb of saying in ``text[start:end]``, None if there is none."""
        pattern = self.taxonomy.stance.reporting
        if pattern is None:
            return None
        found = [(m.start(), m.end()) for m in pattern.finditer(text, start, end)]
        return found[-1] if found else None

    def _subject(self, text: str, start: int, end: int, *, first: bool = False) -> str | None:
        """The last (or ``first``) actor named in ``text[start:end]``: its id, "own" for a first-person
        pronoun, "speaker" for a third-person singular one (most often the speaker in a statement),
        "other" for a third-person plural one, None when there is none. A country adjective before a
        common noun ("the Ukrainian border") names no actor.

        In a statement the last one is the subject nearest the stance word ("... Russia wants ...");
        in narration the first one is the sentence's subject ("The parties call on the Russian
        Federation to ...").
        """
        stance = self.taxonomy.stance
        named: list[tuple[int, str]] = []
        for m in _WORD.finditer(text, start, end):
            word = m.group().casefold()
            if word in stance.own_pronouns:
                named.append((m.start(), "own"))
            elif word in stance.speaker_pronouns:
                named.append((m.start(), "speaker"))
            elif word in stance.other_pronouns:
                named.append((m.start(), "other"))
        if self._actor_pattern is not None:
            for m in self._actor_pattern.finditer(text, start, end):
                actor = self._forms.get(m.group().casefold())
                if actor is None:
                    continue
                follower = _WORD.match(text, m.end() + 1) if m.end() < len(text) else None
                adjectival = (
                    _ADJECTIVE.search(m.group()) is not None
                    and follower is not None
                    and text[m.end() : follower.start()] == " "
                    and follower.group()[0].islower()
                    and follower.group().casefold() not in _ACTOR_NOUNS
                )
                if not adjectival:
                    named.append((m.start(), actor))
        if not named:
            return None
        named.sort()
        return named[0][1] if first else named[-1][1]

    def _polarity(
        self, text: str, cue: _Cue, mention: IssueMention, negations: list[int], segment: tuple[int, int]
    ) -> Stance:
        if cue.kind in ("open", "deferral") and not mention.issue.open_is_support:
            return "oppose" if _negated(text, negations, cue.start, segment) else "ambiguous"
        stance: Stance = "oppose" if cue.kind == "oppose" else "support"
        if _negated(text, negations, cue.start, segment):
            stance = _FLIP[stance]
        # A negation right before the issue that the cue does not already hold ("not to join ...").
        after_cue = cue.end if cue.end <= mention.start else segment[0]
        if _negated(text, negations, mention.start, (after_cue, segment[1])) or _holds_negation(
            negations, mention
        ):
            stance = _FLIP[stance]
        return _FLIP[stance] if mention.against else stance

    def _event_stance(
        self, text: str, unit: _Unit, segment: tuple[int, int], mention: IssueMention
    ) -> Stance | None:
        """The stance of the actor's own events in the clause, when no word shows one; a negation the
        event coder left ("no one will give up their territories") still turns it around."""
        tax = self.taxonomy.stance
        negations = self._negations(text, segment[0], segment[1], [])
        votes: list[Stance] = []
        for event in unit.events:
            if not segment[0] <= event.trigger.start < segment[1] or event.modality == "hypothetical":
                continue
            a, b = sorted((event.trigger.start, mention.start))
            if len(_WORD.findall(text, a, b)) > _EVENT_REACH:
                continue
            if unit.actor is None or not self._own_event(event, unit.actor):
                continue
            if event.type in tax.oppose_events or event.modality == "negated":
                votes.append("oppose")
            elif event.type in tax.support_events:
                negated = _negated(text, negations, event.trigger.start, segment)
                votes.append("oppose" if negated else "support")
        if not votes:
            return None
        stance = combine_stances(votes)
        return _FLIP[stance] if mention.against and stance in _FLIP else stance

    def _asked_for(
        self,
        text: str,
        unit: _Unit,
        mention: IssueMention,
        condition: _Condition,
        cues: list[_Cue],
        negations: list[int],
    ) -> tuple[str, Stance] | None:
        """Who asks for an issue named inside a condition, and the stance that asking shows."""
        whole = (unit.start, unit.end)
        main = next(iter(_nearest(text, cues, condition.span.start, condition.span.end, whole)), None)
        actor = unit.actor
        if main is not None:
            actor = self._holder(text, unit, main, IssueMention(mention.issue, *condition.span_range), whole)
        if actor is None:
            return None
        refused = main is not None and (main.kind == "oppose") != _negated(text, negations, main.start, whole)
        negated = (
            condition.negated
            or _negated(text, negations, mention.start, (condition.span.start, mention.start))
            or _holds_negation(negations, mention)
        )
        if refused:
            stance: Stance = "support" if negated else "oppose"
        elif negated:
            return None
        elif any(c.kind == "support" and _repeats(text, c, mention) for c in cues):
            # "If we are offered to join NATO tomorrow, ..., we will join": the main clause takes up
            # what the condition names, so it accepts that on the condition.
            return actor, "ambiguous" if mention.against else "conditional"
        else:
            stance = "support"
        return actor, _FLIP[stance] if mention.against else stance

    def _is_own(self, subject: str | None, speaker: str) -> bool:
        """True when ``subject`` (from :meth:`_subject`) is the speaker or the speaker's side."""
        if subject is None or subject == "other":
            return False
        return subject in ("own", "speaker") or self._same_side(subject, speaker)

    def _same_side(self, actor: str, speaker: str) -> bool:
        if actor == speaker:
            return True
        side = self.base.state_of(speaker)
        return side is not None and self.base.state_of(actor) == side

    def _own_event(self, event: Event, speaker: str) -> bool:
        """True when the event is the speaker's side acting (or has no stated actor)."""
        if not event.actors:
            return True
        side = self.base.state_of(speaker)
        return any(a.id == speaker or (a.country is not None and a.country == side) for a in event.actors)

    # Words in a unit

    def _cues(self, text: str, start: int, end: int) -> list[_Cue]:
        """Stance words in ``text[start:end]``, longest first where they overlap."""
        stance = self.taxonomy.stance
        found: list[_Cue] = []
        for kind, pattern in (
            ("deferral", stance.deferral),
            ("open", stance.open),
            ("oppose", stance.oppose),
            ("deontic", stance.deontic),
            ("support", stance.support),
        ):
            if pattern is not None:
                found += [_Cue(kind, m.start(), m.end()) for m in pattern.finditer(text, start, end)]
        found.sort(key=lambda c: (c.start, -(c.end - c.start)))
        kept: list[_Cue] = []
        for cue in found:
            if kept and cue.start < kept[-1].end:
                continue
            kept.append(cue)
        return kept

    def _negations(self, text: str, start: int, end: int, cues: list[_Cue]) -> list[int]:
        """Offsets of the negation words that are not part of a cue ("will not" is one cue)."""
        words = self.taxonomy.stance.negations
        out = []
        for m in _WORD.finditer(text, start, end):
            word = m.group().casefold().replace("’", "'")
            if (word in words or word.endswith("n't")) and not any(
                c.start <= m.start() < c.end for c in cues
            ):
                out.append(m.start())
        return out

    def _conditions(self, text: str, unit: _Unit) -> list[_Condition]:
        """Conditions in the unit's sentence: the events' (prepositional ones included) and clauses
        opened by a condition word; an event's condition wins where they overlap. The whole sentence
        is read because a statement's content may stop before its condition ("Russia is open to
        dialogue ..., but on the condition that all Russian demands are met")."""
        stance = self.taxonomy.stance
        s0, s1 = unit.sentence

        def premise(start: int, end: int) -> bool:
            return stance.premises is not None and stance.premises.match(text, start, end) is not None

        found = [
            _Condition(c, False)
            for e in unit.events
            for c in e.conditions
            if s0 <= c.start < s1 and not premise(c.start, c.end)
        ]
        for pattern, negated in ((stance.conditions, False), (stance.negated_conditions, True)):
            if pattern is None:
                continue
            for m in pattern.finditer(text, s0, s1):
                end = _condition_end(text, m.end(), s1)
                if text[s0 : m.start()].rstrip().endswith(":"):
                    # "I said: only a mirror respect for the history, languages, ...": what follows a
                    # colon is one restriction, to the end of the sentence.
                    end = len(text[:s1].rstrip(" .!?\"'”’»"))
                if _holds_words(text, m, end) and not premise(m.start(), end):
                    found.append(_Condition(Span.of(text, m.start(), end), negated))
        if stance.refusal_conditions is not None:
            for m in stance.refusal_conditions.finditer(text, s0, s1):
                end = _condition_end(text, m.end(), s1)
                refusal = any(c.kind == "oppose" for c in self._cues(text, s0, m.start()))
                if end - m.end() >= 3 and (refusal or self._negations(text, s0, m.start(), [])):
                    found.append(_Condition(Span.of(text, m.start(), end), True))
        found += self._trailing(text, unit)
        return sorted(_drop_overlaps(found), key=lambda c: c.span.start)

    def _trailing(self, text: str, unit: _Unit) -> list[_Condition]:
        """Conditions set out in sentences of their own right after the unit's sentence, within the
        same statement ("I am ready to talk to Putin, but only to him. Without any intermediaries. And
        on the terms of dialogue, not on the terms of ultimatum")."""
        pattern = self.taxonomy.stance.conditions
        if pattern is None or unit.statement is None:
            return []
        end = max(p.end for p in unit.statement.content)
        start = unit.sentence[1]
        found: list[_Condition] = []
        for a, b in sentence_spans(text[start:end]):
            a, b = a + start, b + start
            opener = _FRAGMENT_OPENER.match(text, a, b)
            m = pattern.match(text, opener.end() if opener else a, b)
            if m is None:
                break
            stop = _condition_end(text, m.end(), b)
            if text[stop:b].strip(" .!?\"'”’»") or not _holds_words(text, m, stop):
                break
            found.append(_Condition(Span.of(text, m.start(), stop), False, trailing=True))
        return found

    def _anaphora(
        self, text: str, unit: _Unit, named: Sequence[IssueMention]
    ) -> list[tuple[IssueMention, list[Span]]]:
        """The issues that words such as "this issue" or "I accept that." take up from the sentence
        before (or from the sentence's words before the unit), each placed on the anaphor, with the
        conditions it was named in there. Issues the unit names itself are not taken up."""
        pattern = self.taxonomy.stance.anaphora
        if pattern is None:
            return []
        # The last anaphor is the one the stance words are about ("this issue has been elaborated, and
        # Ukraine is ready to agree on it only if ...").
        anaphor = next(reversed(list(pattern.finditer(text, unit.start, unit.end))), None)
        if anaphor is None:
            return []
        regions: list[tuple[tuple[int, int], tuple[int, int]]] = []
        if unit.previous is not None:
            regions.append((unit.previous, unit.previous))
        if unit.sentence[0] < unit.start:
            regions.append(((unit.sentence[0], unit.start), unit.sentence))
        taken = {m.issue.id for m in named}
        out: list[tuple[IssueMention, list[Span]]] = []
        for (a, b), sentence in regions:
            if self.taxonomy.out_of_scope(text[a:b]):
                continue
            there = _Unit(unit.actor, a, b, sentence, None, (), unit.retrospective, unit.as_of)
            conditions = self._conditions(text, there) if sentence != unit.sentence else []
            for m in _first_list(text[a:b], self.taxonomy.mentions(text[a:b])):
                if m.issue.id in taken:
                    continue
                taken.add(m.issue.id)
                at = a + m.start
                spans = [c.span for c in conditions if c.span.start <= at < c.span.end and not c.negated]
                out.append((IssueMention(m.issue, anaphor.start(), anaphor.end(), m.against), spans))
        return out

    def _lead(self, text: str, unit: _Unit) -> list[_Cue]:
        """The stance words of a statement's own cue when it stands right before the unit in its
        sentence ("He expressed readiness to continue the dialogue", "called for negotiations")."""
        statement = unit.statement
        if statement is None or statement.cue is None:
            return []
        cue = statement.cue
        if not unit.sentence[0] <= cue.start < unit.start:
            return []
        if len(_WORD.findall(text, cue.end, unit.start)) > _LEAD_GAP:
            return []
        return self._cues(text, cue.start, unit.start)

    def _premises(self, text: str, unit: _Unit) -> list[tuple[int, int]]:
        """The clauses of the unit that set out a premise ("as long as Ukraine is not a member of NATO")."""
        pattern = self.taxonomy.stance.premises
        if pattern is None:
            return []
        found = pattern.finditer(text, unit.start, unit.end)
        return [(m.start(), _condition_end(text, m.end(), unit.end)) for m in found]

    def _qualifiers_in(self, text: str, unit: _Unit) -> tuple[Qualifier, ...]:
        found = {
            (q.start, q.end): q for e in unit.events for q in e.qualifiers if unit.start <= q.start < unit.end
        }
        for label, pattern in self._qualifiers.items():
            for m in pattern.finditer(text, unit.start, unit.end):
                if not any(a <= m.start() < b for a, b in found):
                    found[(m.start(), m.end())] = Qualifier(label, m.group(), m.start(), m.end())
        return tuple(sorted(found.values(), key=lambda q: q.start))

    # Positions

    def _position(
        self,
        article: Article,
        key: tuple[str, str, bool, dt.date | None],
        found: list[tuple[_Unit, _Reading]],
    ) -> Position:
        actor, issue_id, retrospective, as_of = key
        stance = combine_stances([r.stance for _, r in found])
        # The sentences that show the position's stance come first: they are its evidence proper.
        ordered = sorted(found, key=lambda f: (f[1].stance != stance, f[0].sentence[0]))
        evidence: dict[tuple[int, int], Span] = {}
        statements: dict[str, None] = {}
        conditions: list[Span] = []
        qualifiers: dict[tuple[int, int], Qualifier] = {}
        for unit, reading in ordered:
            s0, s1 = unit.sentence
            evidence.setdefault((s0, s1), Span.of(article.text, s0, s1))
            if unit.statement is not None:
                statements.setdefault(unit.statement.id)
            if reading.stance == stance:
                conditions += reading.conditions
            # A qualifier says how the issue is meant ("temporarily cede"), whatever the stance.
            qualifiers.update({(q.start, q.end): q for q in reading.qualifiers})
        conditions_kept = _unique_spans(conditions)
        quals = tuple(sorted(qualifiers.values(), key=lambda q: q.start))
        known = self.base.get(actor)
        summary = _summary(
            known.name if known else actor,
            self.taxonomy.issues[issue_id],
            stance,
            conditions_kept,
            quals,
            retrospective,
        )
        return Position(
            id=stable_id("po", article.id, actor, issue_id, retrospective, as_of),
            article_id=article.id,
            actor=actor,
            issue=issue_id,
            stance=stance,
            summary=summary,
            evidence=tuple(evidence.values()),
            statements=tuple(statements),
            conditions=conditions_kept,
            qualifiers=quals,
            as_of=as_of,
            retrospective=retrospective,
        )


def read_positions(
    analysis: Analysis, taxonomy: IssueTaxonomy | None = None, base: ActorBase | None = None
) -> list[Position]:
    """Return the positions of an analysed article read again from its statements and events.

    Use it to apply another taxonomy (``load_issues(path)``) to stored articles without re-running
    the NLP pipeline.
    """
    reader = PositionReader(taxonomy or load_issues(), base or load_actors())
    return reader.read(analysis.article, analysis.statements, analysis.events)


def combine_stances(stances: Iterable[Stance]) -> Stance:
    """Return one stance for several readings of the same actor on the same issue.

    Any conditional acceptance makes it conditional; otherwise the majority of support and opposition
    wins, and it is ambiguous when they tie or when only openness was shown.
    """
    counts = Counter(stances)
    if counts["conditional"]:
        return "conditional"
    if counts["support"] > counts["oppose"]:
        return "support"
    if counts["oppose"] > counts["support"]:
        return "oppose"
    return "ambiguous"


def _segment(text: str, unit: _Unit, at: int) -> tuple[int, int]:
    """The clause of the unit that holds offset ``at``."""
    start, end = unit.start, unit.end
    for m in _CLAUSE_BREAK.finditer(text, unit.start, unit.end):
        if m.end() <= at:
            start = m.end()
        elif m.start() >= at:
            end = m.start()
            break
    return start, end


def _nearest(
    text: str, cues: list[_Cue], start: int, end: int, segment: tuple[int, int], *, inside: bool = True
) -> list[_Cue]:
    """The cues of a clause in the order they are tried: those inside the issue's words ("the operation
    can only be suspended"), preceding ones from the nearest, then following ones from the nearest
    (judgements up to ``_FOLLOW_REACH`` words on: "Immediate ceasefire ... is one of the key aspects";
    other words up to ``_FOLLOW_NEAR``)."""
    within = [c for c in cues if inside and start <= c.start and c.end <= end]
    before = [c for c in cues if segment[0] <= c.start and c.end <= start]
    after = [
        c
        for c in cues
        if c.start >= end
        and c.end <= segment[1]
        and len(_WORD.findall(text, end, c.start)) <= (_FOLLOW_REACH if c.kind in _JUDGING else _FOLLOW_NEAR)
    ]
    return within + sorted(before, key=lambda c: -c.start) + sorted(after, key=lambda c: c.start)


def _repeats(text: str, cue: _Cue, mention: IssueMention) -> bool:
    """True when a cue repeats a content word of the issue's words ("we will join" after "join NATO")."""
    said = {w.casefold() for w in _WORD.findall(text, cue.start, cue.end) if len(w) > 3}
    return bool(said & {w.casefold() for w in _WORD.findall(text, mention.start, mention.end)})


def _negated(text: str, negations: list[int], at: int, segment: tuple[int, int]) -> bool:
    """True when a negation word stands at most ``_NEGATION_REACH`` words before ``at`` in ``segment``."""
    return any(segment[0] <= n < at and len(_WORD.findall(text, n, at)) <= _NEGATION_REACH for n in negations)


def _condition_end(text: str, start: int, limit: int) -> int:
    """Where a condition opened at ``start`` ends: at its clause's end, lists it opens included."""
    end = start
    listing = False
    while True:
        stop = _CONDITION_END.search(text, end, limit)
        if stop is None:
            return limit
        goes_on = _CONDITION_GOES_ON.match(text, stop.start(), limit)
        # Once a list has begun ("..., including A, B, and C") its items are the condition's too.
        listing = listing or (goes_on is not None and _LIST_OPENER.match(goes_on.group()) is not None)
        if text[stop.start()] != "," or (goes_on is None and not listing):
            return stop.start()
        end = stop.end()


def _first_list(text: str, mentions: Sequence[IssueMention]) -> list[IssueMention]:
    """The first issue named and those listed right after it ("security guarantees, neutrality and
    nuclear-free status"): what an anaphor such as "this issue" takes up, not issues named later in
    another clause ("..., as Russia calls NATO enlargement one of the reasons")."""
    ordered = sorted(mentions, key=lambda m: m.start)
    kept = ordered[:1]
    for m in ordered[1:]:
        if m.start < kept[-1].end or _LIST_GAP.fullmatch(text, kept[-1].end, m.start) is not None:
            kept.append(m)
        else:
            break
    return kept


def _holds_words(text: str, opener: re.Match[str], end: int) -> bool:
    """True when a condition says something: words after its opener, or an opener that names its
    object itself ("without any intermediaries")."""
    return end - opener.end() >= 3 or len(_WORD.findall(opener.group())) >= 3


def _governs(text: str, condition: _Condition, segment: tuple[int, int]) -> bool:
    """True when a condition is in the clause, or opens the clause right after it ("open to dialogue
    ..., but on the condition that all Russian demands are met"), or follows the sentence on its own."""
    if condition.trailing or segment[0] <= condition.span.start < segment[1]:
        return True
    between = _JOIN.fullmatch(text, segment[1], condition.span.start)
    return condition.span.start >= segment[1] and between is not None


def _carry_negations(text: str, mentions: Sequence[IssueMention], negations: list[int]) -> list[int]:
    """The negations, plus one before each issue that goes on a negated list ("not to deploy foreign
    military bases, foreign military contingents")."""
    out = list(negations)
    for previous, mention in pairwise(mentions):
        if _LIST_GAP.fullmatch(text, previous.end, mention.start) is None:
            continue
        start = previous.start
        negated = any(n < start and len(_WORD.findall(text, n, start)) <= _NEGATION_REACH for n in out)
        if negated or _holds_negation(out, previous):
            out.append(mention.start - 1)
    return sorted(out)


def _holds_negation(negations: list[int], mention: IssueMention) -> bool:
    """True when the issue's phrase itself is negated ("the troops are not withdrawn")."""
    return any(mention.start <= n < mention.end for n in negations)


def _inside(offset: int, conditions: Sequence[_Condition]) -> bool:
    return any(c.span.start <= offset < c.span.end for c in conditions)


def _drop_overlaps(conditions: list[_Condition]) -> list[_Condition]:
    kept: list[_Condition] = []
    for condition in conditions:
        if any(k.span.start < condition.span.end and condition.span.start < k.span.end for k in kept):
            continue
        kept.append(condition)
    return kept


def _unique_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """The spans without repeats or overlaps (the first of overlapping spans is kept), by offset."""
    kept: list[Span] = []
    for span in spans:
        if any(k.start < span.end and span.start < k.end for k in kept):
            continue
        kept.append(span)
    return tuple(sorted(kept, key=lambda s: s.start))


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
    "ambiguous": "is open to:",
}


class PositionExtractor:
    """spaCy component: writes ``doc._.parley_positions``."""

    def __init__(self, taxonomy: IssueTaxonomy, base: ActorBase) -> None:
        self.taxonomy = taxonomy
        self.base = base
        self.reader = PositionReader(taxonomy, base)

    def __call__(self, doc: Doc) -> Doc:
        statements: list[Statement] = list(doc._.parley_statements or [])
        events: list[Event] = list(doc._.parley_events or [])
        doc._.parley_positions = self.reader.read(article_of(doc), statements, events)
        return doc


@Language.factory(
    "parley_positions",
    assigns=["doc._.parley_positions"],
    requires=["doc._.parley_statements", "doc._.parley_events"],
    default_config={"issues": None},
)
def make_position_extractor(nlp: Language, name: str, issues: str | None) -> PositionExtractor:
    """Build the position extractor over the packaged issue taxonomy (or the ``issues`` file) and the
    packaged actor base.

    Raises:
        KnowledgeError: when the issues file is malformed.
    """
    return PositionExtractor(load_issues(Path(issues) if issues else None), load_actors())

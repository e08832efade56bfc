"""Negotiating positions: an actor's stance on an issue, from what the actor says and does.

The ``parley_positions`` component reads, sentence by sentence, what each resolved speaker says (the
content of their statements) and what each resolved actor is coded as doing outside any statement (an
event: "Ukraine will undertake not to join military-political alliances"). In each sentence:

- the issues it names are the ``cues`` of ``issues.yaml``; an ``against`` phrase names the issue's
  negation ("territorial integrity" for a territorial concession);
- the stance is read from the cue word nearest to the issue in its clause (``stance`` in ``issues.yaml``):
  support ("ready to", "demand"), opposition ("will not", "reject"), or openness ("not afraid to talk
  about": ambiguous); a negation before the cue or before the issue turns it around. A cue of wanting
  whose subject is someone else ("They want to talk about Ukraine's neutral status") is not the
  speaker's stance; a deontic one ("Russian troops must leave") is;
- a condition ("if binding guarantees are given", "only after the ceasefire") makes support
  conditional; a refusal keeps its conditions but stays a refusal. An issue named inside a condition is
  what the speaker asks for: support (or opposition, under a refusal: "we will not sit at the table if
  we talk about demilitarisation");
- qualifiers (temporary, permanent, immediate, ...) are the PLOVER lexicon's.

The sentences of one actor on one issue in one article make one position (per date and per
retrospective flag), evidence = those sentences. The core is :func:`read_positions`, a function of
records, so that stored statements can be read again with another taxonomy without spaCy.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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
)
from parley.model import Analysis, Article, Event, Position, Qualifier, Span, Stance, Statement, stable_id
from parley.nlp import article_of

# A sentence ends at . ! ? or … (closing quotes or brackets may follow) before a capital letter, a
# digit or an opening quote; a line break always ends one.
_SENTENCE_END = re.compile(r"[.!?…]+[\"”’'»)\]]*(?=\s+[\"“‘'«(\[]?[A-Z0-9])|\s*\n\s*")
# Where a clause ends: a cue's scope and a condition stop here.
_CLAUSE_BREAK = re.compile(r"\s*[;:]\s+|\s+[-–—]\s+|,?\s+(?:but|however|whereas|although)\s+", re.IGNORECASE)
_CONDITION_END = re.compile(r"[,;:.!?]|\s[-–—]\s")
_WORD = re.compile(r"[\w'’-]+")
# How many words before a cue or an issue a negation reaches ("not yet ready to").
_NEGATION_REACH = 3

_FLIP: dict[str, Stance] = {"support": "oppose", "oppose": "support"}
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
    """Reads positions from an article's statements and events (records, no spaCy)."""

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

    def _units(
        self, article: Article, statements: Sequence[Statement], events: Sequence[Event]
    ) -> list[_Unit]:
        text = article.text
        sentences = sentence_spans(text)
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
                    units.append(_Unit(actor, a, b, (s0, s1), statement, own, retrospective, as_of))
            follow = self._continuation(text, sentences, statement, spoken)
            if follow is not None:
                s0, s1 = follow
                units.append(_Unit(actor, s0, s1, follow, statement, (), retrospective, as_of))
        acted: set[tuple[int, int]] = set()
        for event in events:
            unit = self._event_unit(article, sentences, event, spoken)
            if unit is not None:
                units.append(unit)
                acted.add(unit.sentence)
        # What the outlet narrates ("Russia is eager to obtain legally binding guarantees"): the actor is
        # read from each stance word's subject.
        for s0, s1 in sentences:
            if (s0, s1) in acted or any(a < s1 and s0 < b for a, b in spoken):
                continue
            in_sentence = tuple(e for e in events if s0 <= e.trigger.start < s1)
            units.append(_Unit(None, s0, s1, (s0, s1), None, in_sentence, False, article.published))
        return units

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
        end = statement.evidence.end
        nxt = next(((a, b) for a, b in sentences if a >= end), None)
        if nxt is None or text[end : nxt[0]].strip() or "\n\n" in text[end : nxt[0]]:
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
        mentions = [
            IssueMention(m.issue, m.start + unit.start, m.end + unit.start, m.against)
            for m in self.taxonomy.mentions(text[unit.start : unit.end])
        ]
        if not mentions:
            return {}
        conditions = self._conditions(text, unit)
        cues = [c for c in self._cues(text, unit.start, unit.end) if not _inside(c.start, conditions)]
        negations = self._negations(text, unit.start, unit.end, cues)
        qualifiers = self._qualifiers_in(text, unit)
        votes: dict[tuple[str, str], list[Stance]] = {}
        conditioned: dict[tuple[str, str], list[Span]] = {}
        for mention in mentions:
            condition = next((c for c in conditions if c.span.start <= mention.start < c.span.end), None)
            own_conditions: list[Span] = []
            if condition is not None:
                found = self._asked_for(text, unit, mention, condition, cues, negations)
            else:
                found = self._stance(text, unit, mention, cues, negations)
                if found is not None and found[1] in ("support", "oppose"):
                    own_conditions = [c.span for c in conditions]
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
            kept = conditioned[key] if stance in ("conditional", "oppose") else []
            readings[key] = _Reading(stance, _unique_spans(kept), qualifiers)
        return readings

    def _stance(
        self,
        text: str,
        unit: _Unit,
        mention: IssueMention,
        cues: list[_Cue],
        negations: list[int],
    ) -> tuple[str, Stance] | None:
        """Whose stance toward a mention outside any condition the sentence shows, and which; None
        when it shows none."""
        segment = _segment(text, unit, mention.start)
        for cue in _nearest(cues, mention.start, mention.end, segment):
            actor = self._holder(text, unit, cue, mention, segment)
            if actor is not None:
                return actor, self._polarity(text, cue, mention, negations, segment)
        if unit.actor is None:
            return None
        stance = self._event_stance(unit, segment, mention)
        return None if stance is None else (unit.actor, stance)

    def _holder(
        self, text: str, unit: _Unit, cue: _Cue, mention: IssueMention, segment: tuple[int, int]
    ) -> str | None:
        """Whose stance a cue shows: the speaker's, unless a cue of wanting has another party as its
        subject; in a narrated sentence, the actor named as its subject (None if there is none)."""
        if cue.start >= mention.end:
            # "the sanctions the United States would be ready to impose": the subject comes between.
            windows = [(mention.end, cue.start), (segment[0], mention.start)]
        else:
            windows = [(segment[0], cue.start)]
        subject = next((s for w in windows if (s := self._subject(text, *w)) is not None), None)
        if unit.actor is None:
            if cue.kind == "deontic" or subject is None or subject in ("own", "other"):
                return None
            return subject
        if cue.kind == "deontic" or subject is None or subject == "own":
            return unit.actor
        if subject == "other":
            return None
        return unit.actor if self._same_side(subject, unit.actor) else None

    def _subject(self, text: str, start: int, end: int) -> str | None:
        """The last actor named in ``text[start:end]``: its id, "own" for a first-person pronoun,
        "other" for a third-person one, None when there is none. A country adjective before a
        common noun ("the Ukrainian border") names no actor."""
        stance = self.taxonomy.stance
        last: tuple[int, str] | None = None
        for m in _WORD.finditer(text, start, end):
            word = m.group().casefold()
            if word in stance.own_pronouns:
                last = (m.start(), "own")
            elif word in stance.other_pronouns:
                last = (m.start(), "other")
        if self._actor_pattern is not None:
            for m in self._actor_pattern.finditer(text, start, end):
                actor = self._forms.get(m.group().casefold())
                if actor is None or (last is not None and m.start() < last[0]):
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
                    last = (m.start(), actor)
        return None if last is None else last[1]

    def _polarity(
        self, text: str, cue: _Cue, mention: IssueMention, negations: list[int], segment: tuple[int, int]
    ) -> Stance:
        if cue.kind == "open":
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

    def _event_stance(self, unit: _Unit, segment: tuple[int, int], mention: IssueMention) -> Stance | None:
        """The stance of the actor's own events in the clause, when no word shows one."""
        tax = self.taxonomy.stance
        votes: list[Stance] = []
        for event in unit.events:
            if not segment[0] <= event.trigger.start < segment[1] or event.modality == "hypothetical":
                continue
            if unit.actor is None or not self._own_event(event, unit.actor):
                continue
            if event.type in tax.oppose_events or event.modality == "negated":
                votes.append("oppose")
            elif event.type in tax.support_events:
                votes.append("support")
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
        main = next(iter(_nearest(cues, condition.span.start, condition.span.end, whole)), None)
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
        else:
            stance = "support"
        return actor, _FLIP[stance] if mention.against else stance

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
        """Conditions in the unit: the events' (prepositional ones included) and clauses opened by a
        condition word; an event's condition wins where they overlap."""
        stance = self.taxonomy.stance
        found = [
            _Condition(c, False)
            for e in unit.events
            for c in e.conditions
            if unit.sentence[0] <= c.start < unit.sentence[1]
        ]
        for pattern, negated in ((stance.conditions, False), (stance.negated_conditions, True)):
            if pattern is None:
                continue
            for m in pattern.finditer(text, unit.start, unit.end):
                stop = _CONDITION_END.search(text, m.end(), unit.end)
                end = stop.start() if stop else unit.end
                if end - m.end() >= 3:
                    found.append(_Condition(Span.of(text, m.start(), end), negated))
        return sorted(_drop_overlaps(found), key=lambda c: c.span.start)

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


def _nearest(cues: list[_Cue], start: int, end: int, segment: tuple[int, int]) -> list[_Cue]:
    """The cues of a clause in the order they are tried: preceding ones from the nearest, then
    following ones from the nearest."""
    before = [c for c in cues if segment[0] <= c.start and c.end <= start]
    after = [c for c in cues if c.start >= end and c.end <= segment[1]]
    return sorted(before, key=lambda c: -c.start) + sorted(after, key=lambda c: c.start)


def _negated(text: str, negations: list[int], at: int, segment: tuple[int, int]) -> bool:
    """True when a negation word stands at most ``_NEGATION_REACH`` words before ``at`` in ``segment``."""
    return any(segment[0] <= n < at and len(_WORD.findall(text, n, at)) <= _NEGATION_REACH for n in negations)


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

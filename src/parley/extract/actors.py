"""Actor mentions: names, metonyms ("the Kremlin"), nationality adjectives and titles resolved to actors.

The ``parley_actors`` component matches every surface form of the actor knowledge base: the
curated forms exactly (case-sensitive, through a spaCy ``PhraseMatcher``) and the ~60,000 forms of
the CAMEO/Phoenix dictionaries case-insensitively but only where the text capitalises them,
through a longest-match index over lower-cased tokens. The index is built once per process: a
``PhraseMatcher`` would need every form run through the tokenizer first, which takes seconds for
this many forms (see ``benchmarks/actor_matcher.py``).

A title with a country ("the Ukrainian president", "Kremlin spokesman") resolves to whoever held
the office on the article's date. Dictionary people carry the CAMEO code of that date ("RUSGOV"
while in office). The component also adds the people spaCy's NER finds that the base does not
know (unresolved, actor None), so that pronouns are never resolved past an unknown person.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, replace
from typing import cast

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

from parley.knowledge.actors import ActorBase, capitalised, load_actors
from parley.model import Actor, Mention, Participant
from parley.nlp import article_of

_NER_KINDS = {"PERSON": "person", "ORG": "organisation", "NORP": "state", "GPE": "state"}
# Forms made only of letters, digits and spaces tokenize as their words; the others (U.S.,
# Ki-moon, People's) go through the tokenizer so that they split as the text does.
_PLAIN = re.compile(r"[a-z0-9 ]+\Z")
_TITLE_SPAN = 5  # longest title after a country word: "deputy chairman of the security council"
_PLACE_KINDS = frozenset({"state", "government", "organisation"})


@dataclass(frozen=True)
class ActorMention:
    """A mention of an actor in a doc: token and character offsets, the actor if known, and the
    country and sector codes it carries here (the actor's own unless the date or a generic noun
    says otherwise: "Israeli troops" is ISR MIL)."""

    start: int
    end: int
    start_char: int
    end_char: int
    text: str
    kind: str
    actor: Actor | None
    country: str | None = None
    sector: str | None = None

    def codes(self) -> tuple[str | None, str | None]:
        """The mention's (country, sector): its own where set, else its actor's."""
        a = self.actor
        country = self.country or (a.country if a else None)
        sector = self.sector or (a.sector if a else None)
        return country, sector

    def as_mention(self) -> Mention:
        """Return the record form (span + actor id, country, sector)."""
        country, sector = self.codes()
        actor_id = self.actor.id if self.actor else None
        return Mention(self.text, self.start_char, self.end_char, actor_id, country, sector)

    def as_participant(self) -> Participant:
        """Return the event-participant form ({id, text, country, sector} + span)."""
        country, sector = self.codes()
        actor_id = self.actor.id if self.actor else None
        return Participant(actor_id, self.text, self.start_char, self.end_char, country, sector)


class _FormIndex:
    """Dictionary forms by their lower-cased token sequence, matched longest first."""

    def __init__(self, vocab: Vocab, forms: dict[str, str], tokenize: Language) -> None:
        self.table: dict[tuple[str, ...], str] = {}
        self.lengths: dict[str, tuple[int, ...]] = {}
        odd = [form for form in forms if not _PLAIN.match(form)]
        split = {form: tuple(form.split()) for form in forms if _PLAIN.match(form)}
        tokenizer = cast(Tokenizer, tokenize.tokenizer)
        for form, doc in zip(odd, tokenizer.pipe(odd), strict=True):
            split[form] = tuple(t.lower_ for t in doc)
        sizes: dict[str, set[int]] = {}
        for form, words in split.items():
            if words:
                self.table.setdefault(words, forms[form])
                sizes.setdefault(words[0], set()).add(len(words))
        self.lengths = {first: tuple(sorted(s, reverse=True)) for first, s in sizes.items()}

    def spans(self, doc: Doc) -> list[Span]:
        """Return a span labelled with the actor id for each capitalised form in ``doc``."""
        lower = [t.lower_ for t in doc]
        found: list[Span] = []
        for i, first in enumerate(lower):
            for size in self.lengths.get(first, ()):
                words = tuple(lower[i : i + size])
                actor_id = self.table.get(words) if len(words) == size else None
                if actor_id is not None and capitalised([t.text for t in doc[i : i + size]]):
                    found.append(Span(doc, i, i + size, label=actor_id))
                    break
        return found


_CACHE: dict[tuple[int, int], tuple[PhraseMatcher, _FormIndex]] = {}
_CACHE_LOCK = threading.Lock()


def _matchers(nlp: Language, base: ActorBase) -> tuple[PhraseMatcher, _FormIndex]:
    """The curated phrase matcher and the dictionary index of ``base``, built once per process."""
    key = (id(nlp.vocab), id(base))
    with _CACHE_LOCK:
        if key not in _CACHE:
            matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
            by_actor: dict[str, list[str]] = {}
            for form, actor_id in base.surface_forms().items():
                by_actor.setdefault(actor_id, []).append(form)
            for actor_id, surfaces in by_actor.items():
                matcher.add(actor_id, list(cast(Tokenizer, nlp.tokenizer).pipe(surfaces)))
            _CACHE[key] = (matcher, _FormIndex(nlp.vocab, base.dictionary_forms(), nlp))
        return _CACHE[key]


class ActorRecognizer:
    """spaCy component: writes ``doc._.parley_mentions``, the actor mentions in text order."""

    def __init__(self, nlp: Language, base: ActorBase) -> None:
        self.nlp = nlp
        self.use(base)

    def use(self, base: ActorBase) -> None:
        """Resolve against ``base`` from now on (evaluations swap in a test suite's actors)."""
        self.base = base
        self.matcher, self.index = _matchers(self.nlp, base)
        self.title_words = base.title_words()

    def __call__(self, doc: Doc) -> Doc:
        day = article_of(doc).published
        spans = [Span(doc, s, e, label=m) for m, s, e in self.matcher(doc)]
        spans += self.index.spans(doc)
        known = filter_spans(spans)
        mentions = [self._mention(span, self.base.get(span.label_), day) for span in known]
        mentions = self._titles(doc, mentions, day)
        taken = {i for m in mentions for i in range(m.start, m.end)}
        for ent in doc.ents:
            kind = _NER_KINDS.get(ent.label_)
            if kind == "person" and not taken.intersection(range(ent.start, ent.end)):
                mentions.append(self._mention(ent, None, day, kind))
        mentions.sort(key=lambda m: m.start)
        doc._.parley_mentions = mentions
        return doc

    def _titles(self, doc: Doc, mentions: list[ActorMention], day: dt.date | None) -> list[ActorMention]:
        """Replace "<country word> <title>" ("Ukrainian President", "Russia's foreign minister",
        "Kremlin spokesman") by the person who held that office on ``day``.

        A title followed by a name is left alone: "Ukrainian President Petro Poroshenko" names its
        holder, who need not be the one of the article's date.
        """
        out: list[ActorMention] = []
        skip_until = -1
        starts = {m.start for m in mentions}
        vocabulary = self.title_words | {"of", "the", "-"}
        for m in mentions:
            if m.start < skip_until:
                continue
            out.append(m)
            if m.actor is None or m.actor.kind not in _PLACE_KINDS:
                continue
            at = m.end + (1 if m.end < len(doc) and doc[m.end].lower_ in ("'s", "\u2019s") else 0)
            best: tuple[int, Actor] | None = None
            for end in range(min(len(doc), at + _TITLE_SPAN), at, -1):
                if any(s in starts for s in range(at, end)) or any(
                    t.lower_ not in vocabulary for t in doc[at:end]
                ):
                    continue
                words = doc[m.start : end].text
                if self.base.role_noun(doc[at:end].text) is None:
                    continue
                holder = self.base.office_holder(words, None, day)
                if holder is not None:
                    best = (end, holder)
                    break
            if best is None:
                continue
            end, holder = best
            if end < len(doc) and (doc[end].pos_ == "PROPN" or end in starts):
                continue
            out[-1] = ActorMention(
                m.start, end, m.start_char, doc[end - 1].idx + len(doc[end - 1].text),
                doc[m.start : end].text, "person", holder,
            )  # fmt: skip
            skip_until = end
        return out

    def _mention(
        self, span: Span, actor: Actor | None, day: dt.date | None, kind: str | None = None
    ) -> ActorMention:
        mention = ActorMention(
            span.start,
            span.end,
            span.start_char,
            span.end_char,
            span.text,
            kind or (actor.kind if actor else "person"),
            actor,
        )
        if actor is not None and day is not None:
            country, sector = self.base.codes_on(actor.id, day)
            if (country, sector) != (actor.country, actor.sector):
                mention = replace(mention, country=country, sector=sector)
        return mention


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

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

Names no form matches are read in a few safe ways: a misspelling within one edit a word
("Abdelaziz Bouteflicka"), a surname after a title ("President Mugabe"), the acronym or the long
name of "Long Name (ACRONYM)" when the other is known. An unknown person after a country word and
a title ("Gambian President Dawda Jawara") or in an apposition ("Kenzo Oshima, the United Nations
Emergency Relief Coordinator,") carries the code of that office.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, replace
from typing import cast

from rapidfuzz import process
from rapidfuzz.distance import OSA
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
_FUZZY_MIN = 6  # shorter names are too close to too many others to be matched by edit distance
_JOINERS = frozenset({"and", "or", "nor"})  # "X and Ambassador Y": two people, not one title
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&.-]{1,9}\Z")
_PARTICLES = frozenset({"of", "the", "and", "for", "in", "on", "de", "la", "-", "'s"})


def _initials(words: list[str]) -> str:
    """The capital initials of ``words``, a hyphenated word giving one per part."""
    return "".join(part[0] for w in words for part in w.split("-") if part[:1].isupper())


def _long_form(doc: Doc, paren: int, acronym: str) -> int | None:
    """Return where the long form that ``acronym`` abbreviates starts, the form ending just before
    the parenthesis at token ``paren``: the capitalised words (and particles) whose initials
    spell the acronym; None when no such words precede it."""
    letters = acronym.replace(".", "").replace("-", "").upper()
    start = paren
    while start > 0 and (
        doc[start - 1].text[:1].isupper() or (doc[start - 1].lower_ in _PARTICLES and start < paren)
    ):
        start -= 1
        words = [t.text for t in doc[start:paren] if t.text[:1].isupper()]
        if doc[start].text[:1].isupper() and _initials(words) == letters:
            return start
    return None


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


class _NameIndex:
    """Names for people and places the exact forms miss: misspellings ("Isreal", "Abdelaziz
    Bouteflicka") and a person's surname alone ("Bouteflika").

    A misspelling is matched by optimal string alignment (a swap of two letters is one edit)
    against the forms with the same number of words and the same first letter: at most one edit
    in a word, none in words under five letters, two in all, names of six letters or more, and
    only when a single actor is that close. Plurals are not targets ("Asians" is not "Aswans").
    A surname stands for a person only when no other person has it, nobody has it as a first
    name, and no actor has it as a form of its own.
    """

    def __init__(self, base: ActorBase) -> None:
        self.people: dict[tuple[int, str], dict[str, str]] = {}
        self.places: dict[tuple[int, str], dict[str, str]] = {}
        curated = {f.casefold(): a for f, a in base.surface_forms().items()}
        names = {**curated, **base.dictionary_forms()}
        # A place is matched only by its name or a curated form: the dictionaries list cities
        # under their states, and a city's name is often a near miss of another's ("Cordova").
        places = {**{a.name.casefold(): a.id for a in base if a.kind != "person"}, **curated}
        for form, actor_id in names.items():
            actor = base.get(actor_id)
            if actor is None or (form.endswith("s") and names.get(form[:-1]) == actor_id):
                continue
            if len(form.replace(" ", "")) < _FUZZY_MIN:
                continue
            if actor.kind == "person":
                self.people.setdefault((form.count(" ") + 1, form[0]), {})[form] = actor_id
            elif places.get(form) == actor_id:
                self.places.setdefault((form.count(" ") + 1, form[0]), {})[form] = actor_id
        owners: dict[str, set[str]] = {}
        given: set[str] = set()
        for actor in base:
            if actor.kind != "person":
                continue
            for form in (actor.name, *actor.aliases):
                words = form.casefold().split()
                given.update(words[:-1])
                if len(words) > 1 and len(words[-1]) >= _FUZZY_MIN and words[-1].isalpha():
                    owners.setdefault(words[-1], set()).add(actor.id)
        self.surnames = {
            name: ids.pop()
            for name, ids in owners.items()
            if len(ids) == 1 and name not in names and name not in given
        }

    def surname(self, text: str) -> str | None:
        """Return the id of the only person with the surname ``text``, or None."""
        return self.surnames.get(text.casefold())

    def misspelt(self, text: str, person: bool) -> str | None:
        """Return the id of the only person (or place, organisation) with a form within the edit
        limits of ``text``, or None."""
        key = " ".join(text.casefold().split())
        words = key.split()
        if len(key.replace(" ", "")) < _FUZZY_MIN:
            return None
        choices = (self.people if person else self.places).get((len(words), key[0]), {})
        hits = process.extract(
            key, choices.keys(), scorer=OSA.distance, score_cutoff=min(2, len(words)), limit=8
        )
        close = [
            (form, score)
            for form, score, _ in hits
            if all(
                a == b or (len(a) >= _FUZZY_MIN and OSA.distance(a, b) <= 1)
                for a, b in zip(words, form.split(), strict=True)
            )
        ]
        if not close:
            return None
        best = min(score for _, score in close)
        ids = {choices[form] for form, score in close if score == best}
        return ids.pop() if len(ids) == 1 else None


@dataclass(frozen=True)
class _Matchers:
    """The matchers of one actor base: curated phrases, dictionary forms, names for misspellings."""

    phrases: PhraseMatcher
    index: _FormIndex
    names: _NameIndex


_CACHE: dict[tuple[int, int], _Matchers] = {}
_CACHE_LOCK = threading.Lock()


def _matchers(nlp: Language, base: ActorBase) -> _Matchers:
    """The curated phrase matcher and the dictionary indexes of ``base``, built once per process."""
    key = (id(nlp.vocab), id(base))
    with _CACHE_LOCK:
        if key not in _CACHE:
            matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
            by_actor: dict[str, list[str]] = {}
            for form, actor_id in base.surface_forms().items():
                by_actor.setdefault(actor_id, []).append(form)
            for actor_id, surfaces in by_actor.items():
                matcher.add(actor_id, list(cast(Tokenizer, nlp.tokenizer).pipe(surfaces)))
            _CACHE[key] = _Matchers(
                matcher, _FormIndex(nlp.vocab, base.dictionary_forms(), nlp), _NameIndex(base)
            )
        return _CACHE[key]


class ActorRecognizer:
    """spaCy component: writes ``doc._.parley_mentions``, the actor mentions in text order."""

    def __init__(self, nlp: Language, base: ActorBase) -> None:
        self.nlp = nlp
        self.use(base)

    def use(self, base: ActorBase) -> None:
        """Resolve against ``base`` from now on (evaluations swap in a test suite's actors)."""
        self.base = base
        matchers = _matchers(self.nlp, base)
        self.matcher, self.index, self.names = matchers.phrases, matchers.index, matchers.names
        self.title_words = base.title_words()

    def __call__(self, doc: Doc) -> Doc:
        day = article_of(doc).published
        spans = [Span(doc, s, e, label=m) for m, s, e in self.matcher(doc)]
        spans += self.index.spans(doc)
        spans += self._acronyms(doc, filter_spans(spans))
        known = filter_spans(spans)
        mentions = [self._mention(span, self.base.get(span.label_), day) for span in known]
        mentions = self._titles(doc, mentions, day)
        taken = {i for m in mentions for i in range(m.start, m.end)}
        for ent in doc.ents:
            kind = _NER_KINDS.get(ent.label_)
            if kind is None or taken.intersection(range(ent.start, ent.end)):
                continue
            actor = self._unknown_name(ent)
            if actor is not None:
                mentions.append(self._mention(ent, actor, day))
            elif kind == "person":
                mentions.append(self._mention(ent, None, day, kind))
        mentions.sort(key=lambda m: m.start)
        doc._.parley_mentions = self._appositions(doc, self._titled_names(doc, mentions))
        return doc

    def _title_codes(self, place: ActorMention, title: Span) -> tuple[str | None, str | None] | None:
        """Return the (country, sector) a title of ``place`` gives its holder ("Gambian President":
        GMB GOV, "the United Nations Emergency Relief Coordinator": UNO IGO), or None when the
        words are no title."""
        if not len(title) or len(title) > _TITLE_SPAN:
            return None
        if any(not (t.is_alpha or t.text == "-") or t.lower_ in _JOINERS for t in title):
            return None
        country, sector = place.codes()
        agent = self.base.agent_sector(title.text)
        if (
            agent is None
            and self.base.role_noun(title.text) is None
            and not (
                place.actor is not None
                and place.actor.kind == "organisation"
                and title[-1].text[:1].isupper()
            )
        ):
            return None
        if place.actor is None or place.actor.kind != "organisation":
            sector = agent or "GOV"
        return country, sector

    def _appositions(self, doc: Doc, mentions: list[ActorMention]) -> list[ActorMention]:
        """Give a person the codes of the office an apposition names: "Kenzo Oshima, the United
        Nations Emergency Relief Coordinator," (UNO IGO) and "Quatar's emir, Sheikh Hamad bin
        Khalifa al-Thani" (QAT GOV).

        A person without a country takes them; a known one only from an organisation's office,
        where they act for the organisation rather than for their state.
        """
        out = list(mentions)
        for k, m in enumerate(out):
            if m.kind != "person" or m.end >= len(doc) - 2 or doc[m.end].text != ",":
                continue
            after = (m.end + 1, m.end + 2) if doc[m.end + 1].lower_ == "the" else (m.end + 1,)
            place = next((q for q in out[k + 1 :] if q.start in after), None)
            if place is None or place.actor is None or place.actor.kind not in _PLACE_KINDS:
                continue
            end = place.end
            while end < len(doc) and end - place.end < _TITLE_SPAN and doc[end].is_alpha:
                end += 1
            if (
                end >= len(doc)
                or doc[end].text != ","
                or not (m.codes()[0] is None or place.actor.kind == "organisation")
            ):
                continue
            codes = self._title_codes(place, doc[place.end : end])
            if codes is not None:
                out[k] = replace(m, country=codes[0], sector=codes[1])
        for k, m in enumerate(out):
            # "<place>'s <title>, [honorific] <person>": the title comes first.
            if k < 1 or m.kind != "person" or m.codes()[0] is not None or m.end - m.start < 2:
                continue
            comma = m.start - 1
            while comma > m.start - 3 and comma > 0 and doc[comma].is_title and doc[comma].is_alpha:
                comma -= 1  # "Sheikh", "General"
            place = out[k - 1]
            if doc[comma].text != "," or place.actor is None or place.actor.kind not in _PLACE_KINDS:
                continue
            at = place.end + (doc[place.end].lower_ in ("'s", "\u2019s"))
            codes = self._title_codes(place, doc[at:comma])
            if codes is not None:
                out[k] = replace(m, country=codes[0], sector=codes[1])
        return out

    def _unknown_name(self, ent: Span) -> Actor | None:
        """Return the actor a name no form matched stands for: a misspelt form, or a person's
        surname after a title ("President Bouteflika"); None when neither is safe to say."""
        words = [t for t in ent if t.text[:1].isupper() and t.lower_ not in self.title_words]
        if not words or words[-1].i != ent.end - 1 or not capitalised([t.text for t in words]):
            return None
        text = ent.doc[words[0].i : ent.end].text
        actor_id = self.names.misspelt(text, ent.label_ == "PERSON")
        before = words[0].i - 1
        if (
            actor_id is None
            and len(words) == 1
            and ent.label_ == "PERSON"
            and before >= 0
            and ent.doc[before].lower_ in self.title_words
        ):
            # A surname alone only after a title ("President Mugabe"): "Mr Patrushev" could be
            # the father or the son.
            actor_id = self.names.surname(text)
        return None if actor_id is None else self.base.get(actor_id)

    def _acronyms(self, doc: Doc, found: list[Span]) -> list[Span]:
        """Return spans for "Long Name (ACRONYM)" where one of the two forms is known: the other
        form gets its actor, and so does every other use of the acronym in the doc."""
        by_start = {span.start: span for span in found}
        by_end = {span.end: span for span in found}
        out: list[Span] = []
        known: dict[str, str] = {}
        for i in range(1, len(doc) - 2):
            acronym = doc[i + 1]
            if doc[i].text != "(" or doc[i + 2].text != ")" or not _ACRONYM.match(acronym.text):
                continue
            start = _long_form(doc, i, acronym.text)
            if start is None:
                continue
            if i in by_end and by_end[i].start == start and (i + 1) not in by_start:
                known[acronym.text] = by_end[i].label_
                out.append(Span(doc, i + 1, i + 2, label=by_end[i].label_))
            elif (
                (i + 1) in by_start
                and by_start[i + 1].end == i + 2
                and by_end.get(i, by_start[i + 1]).start != start
            ):
                out.append(Span(doc, start, i, label=by_start[i + 1].label_))
        if known:
            taken = {t for span in found + out for t in range(span.start, span.end)}
            out += [
                Span(doc, t.i, t.i + 1, label=known[t.text])
                for t in doc
                if t.text in known and t.i not in taken
            ]
        return out

    def _titled_names(self, doc: Doc, mentions: list[ActorMention]) -> list[ActorMention]:
        """Join "<country word> <title> <unknown person>" ("Gambian President Dawda Jawara",
        "Arab League Secretary General Chadli Klibi") into one mention of the person that carries
        the country word's code and the title's sector.

        A person the base knows keeps the codes of their own entry; only an unknown one, or one
        without a country, takes the title's.
        """
        out: list[ActorMention] = []
        for m in mentions:
            place = out[-1] if out else None
            if (
                place is None
                or m.kind != "person"
                or m.codes()[0] is not None
                or place.actor is None
                or place.actor.kind not in _PLACE_KINDS
            ):
                out.append(m)
                continue
            at = place.end + (1 if place.end < m.start and doc[place.end].lower_ in ("'s", "\u2019s") else 0)
            lead = m.start  # NER may take the title into the name: "President Dawda Jawara"
            while lead < m.end - 1 and doc[lead].lower_ in self.title_words:
                lead += 1
            title = doc[at:lead]
            if (
                not len(title)
                or len(title) > _TITLE_SPAN
                or m.end - lead < 2  # a name has two words; NER tags "Extraordinary" a person
                or any(not (t.is_alpha or t.text == "-") or t.lower_ in _JOINERS for t in title)
            ):
                out.append(m)
                continue
            country, sector = place.codes()
            if place.actor.kind != "organisation":
                sector = self.base.agent_sector(title.text) or (
                    "GOV" if self.base.role_noun(title.text) else None
                )
                if sector is None:
                    out.append(m)
                    continue
            elif self.base.role_noun(title.text) is None and self.base.agent_sector(title.text) is None:
                out.append(m)
                continue
            out[-1] = ActorMention(
                place.start, m.end, place.start_char, m.end_char,
                doc.text[place.start_char : m.end_char], "person", m.actor, country, sector,
            )  # fmt: skip
        return out

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

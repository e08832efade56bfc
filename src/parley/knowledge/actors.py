"""The actor knowledge base: who the actors of a conflict are, what they are called, and which
offices they held when.

``knowledge/data/actors.yaml`` lists states, governments, organisations, armed groups and people
with their aliases, metonyms ("the Kremlin") and dated roles. :class:`ActorBase` resolves a
mention by its surface form, and a title ("the Ukrainian foreign minister") to whoever held the
office on the article's date. The spaCy actor component builds its matcher from
:meth:`ActorBase.surface_forms` and calls the other methods for each mention.

Alongside the curated file, the packaged base loads the CAMEO/Phoenix dictionaries converted by
``scripts/build_actor_base.py`` (``knowledge/data/phoenix/``, MIT): about 25,000 countries,
people with date-bounded CAMEO codes, international organisations and armed groups, and generic
agent nouns with their sectors ("troops" -> MIL). The curated file wins every conflict: a
dictionary entry that shares a name with a curated actor of the same country lends it its other
names, and a form the curated file claims is never taken from it. Dictionary forms match
case-insensitively but only as capitalised words ("Chad", not "chad").
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
import re
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from parley.errors import KnowledgeError
from parley.model import Actor, Mention, Role

ACTOR_KINDS: tuple[str, ...] = typing.get_args(typing.get_type_hints(Actor)["kind"])

_Words = tuple[str, ...]

_PACKAGED = "parley/knowledge/data/actors.yaml"
_DICTIONARY = "parley/knowledge/data/phoenix"
_TOP_KEYS = frozenset({"role_nouns", "country_adjectives", "agents", "actors"})
_ACTOR_KEYS = frozenset({"id", "name", "kind", "country", "sector", "qid", "aliases", "metonyms", "roles"})
_ROLE_KEYS = frozenset({"title", "country", "sector", "start", "end", "titles"})
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
# ISO3 for states; four letters for IGO codes such as NATO.
_COUNTRY = re.compile(r"[A-Z]{3,4}\Z")
_SECTOR = re.compile(r"[A-Z]{3}\Z")
_QID = re.compile(r"Q[1-9][0-9]*\Z")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
# A title's head comes before its first preposition: "press secretary of the president" is a
# press secretary, "adviser to the head of the office" an adviser. This is English grammar,
# not conflict knowledge, so it stays in code while the role nouns live in the YAML.
_PREPOSITIONS = frozenset({"of", "to", "at", "for", "in", "on", "with", "from"})
# Only these kinds lend their names to title words ("Kremlin spokesman", "NATO chief"): a
# person's name in a title ("Putin's spokesman") says whose aide, not which country's office.
_PLACE_KINDS = frozenset({"state", "government", "organisation"})
# Words a capitalised name may hold in lower case ("Organization for Security and Co-operation
# in Europe", "the United Nations").
_NAME_PARTICLES = frozenset(
    {"of", "the", "and", "for", "in", "on", "de", "del", "der", "la", "le", "al", "el", "du", "von", "van"}
)


def capitalised(words: Sequence[str]) -> bool:
    """Return True when every word with a letter starts with a capital or is a name particle.

    Dictionary forms are matched case-insensitively only where the text writes them as a name:
    "Chad" and "CHAD" are the country, "chad" is not.
    """
    return all(
        word[:1].isupper() or not any(ch.isalpha() for ch in word) or word.lower() in _NAME_PARTICLES
        for word in words
    ) and any(word[:1].isupper() for word in words)


_PARENTHESISED = re.compile(r"(?P<name>.*\S)\s*\((?P<acronym>[A-Z][A-Z0-9&.-]{2,9})\)\Z")


def split_acronym(form: str) -> tuple[str, str] | None:
    """Return (long name, acronym) of a dictionary form "NAME (ACRONYM)" whose acronym's letters
    are initials of the name's words, in order ("LIBERATION TIGERS OF TAMIL EELAM (LTTE)");
    None for other forms, such as "CONGO (KINSHASA)" or "CHINA (PRC)".

    The dictionaries write both in one phrase, which news text never does, so neither matched.
    """
    match = _PARENTHESISED.match(form.strip())
    if match is None:
        return None
    name, acronym = match.group("name"), match.group("acronym")
    initials = [part[0].upper() for word in name.split() for part in word.split("-") if part[:1].isalpha()]
    letters = [ch for ch in acronym.upper() if ch.isalpha()]
    if not initials or not letters or initials[0] != letters[0]:
        return None
    at = 0
    for letter in letters:
        while at < len(initials) and initials[at] != letter:
            at += 1
        if at == len(initials):
            return None
        at += 1
    return name, acronym


def with_acronyms_split(forms: Sequence[str]) -> list[str]:
    """Return ``forms`` with the long name and the acronym of each "NAME (ACRONYM)" form added
    after it (see :func:`split_acronym`)."""
    out: list[str] = []
    for form in forms:
        out.append(form)
        if (parts := split_acronym(form)) is not None:
            out += [p for p in parts if p not in out]
    return out


def demonym_plural(form: str) -> str | None:
    """Return the plural of a one-word nationality adjective ("Algerian" -> "Algerians",
    "Iraqi" -> "Iraqis"), or None for a form that does not pluralise so.

    English forms the plural of demonyms in -an and -i with an -s; those in -ese, -ish and -ch
    keep the adjective or use another word ("the Dutch", "Danes"), which the dictionaries list
    where they need them. Country names ending alike ("Iran", "Pakistan") get a plural no text
    writes, which costs nothing.
    """
    if " " in form or not form.isalpha() or len(form) < 4:
        return None
    lower = form.lower()
    if not lower.endswith(("an", "i")) or lower.endswith("stan"):
        return None
    return form + ("S" if form.isupper() else "s")


def _clean(surface: str) -> str:
    """Return ``surface`` with straight apostrophes and single spaces, as forms are indexed."""
    return " ".join(surface.translate(_APOSTROPHES).split())


def _words(text: str) -> _Words:
    """Return the lowercase words of ``text``, possessives and a leading "the" dropped."""
    words = [
        word[:-2] if word.endswith("'s") else word
        for word in _WORD.findall(text.translate(_APOSTROPHES).casefold())
    ]
    if words and words[0] == "the":
        words = words[1:]
    return tuple(words)


class _Phrases:
    """Word sequences mapped to a value, matched longest first; the first entry of a key wins."""

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        self._table: dict[_Words, str] = {}
        for phrase, value in entries:
            key = _words(phrase)
            if key:
                self._table.setdefault(key, value)
        self._longest = max(map(len, self._table), default=0)

    def phrases(self) -> Iterator[_Words]:
        """The indexed word sequences."""
        return iter(self._table)

    def match(self, words: _Words, at: int) -> tuple[int, str] | None:
        """Return the length and value of the longest phrase starting at ``words[at]``."""
        for size in range(min(self._longest, len(words) - at), 0, -1):
            value = self._table.get(words[at : at + size])
            if value is not None:
                return size, value
        return None


@dataclass(frozen=True)
class CodedRole:
    """A CAMEO code an actor carries between two dates: its country and PLOVER sector.

    The dictionaries code people by date ("RUSGOV" while in office, "RUSELI" before and after);
    an undated role is the default that applies when no dated one does.
    """

    country: str | None
    sector: str | None
    start: dt.date | None = None
    end: dt.date | None = None

    @property
    def dated(self) -> bool:
        """True when the role is bounded by a date on either side."""
        return self.start is not None or self.end is not None

    def holds_on(self, day: dt.date) -> bool:
        """Return True when the role applies on ``day`` (both ends inclusive)."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class _Office:
    """One role of one actor, with the canonical role noun of its title."""

    actor: str
    role: Role
    noun: str | None


class ActorBase:
    """Actors with their surface forms and dated offices: the resolver behind actor mentions."""

    def __init__(
        self,
        actors: Iterable[Actor],
        *,
        metonyms: Mapping[str, Sequence[str]] | None = None,
        country_adjectives: Mapping[str, str] | None = None,
        role_nouns: Mapping[str, str] | None = None,
        title_forms: Mapping[str, Sequence[str]] | None = None,
        agents: Mapping[str, str] | None = None,
        dictionary: Iterable[Actor] = (),
        coded_roles: Mapping[str, Sequence[CodedRole]] | None = None,
    ) -> None:
        """Index ``actors`` for lookup.

        Args:
            actors: the curated actors; ids must be unique.
            metonyms: actor id -> surface forms that stand for it ("Moscow" for rus-gov).
            country_adjectives: adjective -> country code; each resolves to that country's state.
            role_nouns: surface role noun -> canonical role ("spokeswoman" -> "spokesperson").
            title_forms: role title -> idiomatic short forms ("Kremlin spokesman").
            agents: generic noun (lowercase words, plurals listed) -> PLOVER sector
                ("officials" -> GOV); the first entry of a noun wins.
            dictionary: actors from the CAMEO/Phoenix dictionaries, whose aliases are matched
                case-insensitively as capitalised words; the curated actors win every conflict.
            coded_roles: actor id -> its date-bounded CAMEO codes (curated actors may have them
                too, from a role's ``sector``).

        Raises:
            KnowledgeError: on a duplicate id, a surface form claimed by two actors, metonyms of
                an unknown actor, or an adjective whose country has no state.
        """
        self._actors: dict[str, Actor] = {}
        for actor in actors:
            if actor.id in self._actors:
                raise KnowledgeError(f"duplicate actor id {actor.id!r}")
            self._actors[actor.id] = actor
        self._forms: dict[str, str] = {}
        for actor in self._actors.values():
            for form in (actor.name, *actor.aliases):
                self._claim(form, actor.id)
        for actor_id, forms in (metonyms or {}).items():
            if actor_id not in self._actors:
                raise KnowledgeError(f"metonyms given for unknown actor {actor_id!r}")
            for form in forms:
                self._claim(form, actor_id)
        states: dict[str, str] = {}
        for actor in self._actors.values():
            if actor.kind == "state" and actor.country:
                states.setdefault(actor.country, actor.id)
        for adjective, country in (country_adjectives or {}).items():
            if country not in states:
                raise KnowledgeError(f"adjective {adjective!r}: no state has country {country!r}")
            self._claim(adjective, states[country])
        for adjective, country in (country_adjectives or {}).items():
            plural = demonym_plural(adjective)
            if plural is not None and _clean(plural) not in self._forms:
                self._claim(plural, states[country])

        self._places = _Phrases(
            (form, place.country)
            for form, place in ((form, self._actors[a]) for form, a in self._forms.items())
            if place.kind in _PLACE_KINDS and place.country is not None
        )
        self._nouns = _Phrases((role_nouns or {}).items())
        self._organisation_codes = frozenset(
            a.country for a in self._actors.values() if a.kind == "organisation" and a.country
        )
        self._title_forms: dict[_Words, set[str]] = {}
        for title, forms in (title_forms or {}).items():
            for form in forms:
                self._title_forms.setdefault(_words(form), set()).add(title)
        self._offices = tuple(
            _Office(actor.id, role, self.role_noun(role.title))
            for actor in self._actors.values()
            for role in actor.roles
        )
        self._agents = _Phrases((phrase, sector) for phrase, sector in (agents or {}).items())
        self._coded: dict[str, tuple[CodedRole, ...]] = {k: tuple(v) for k, v in (coded_roles or {}).items()}
        self._states = dict(states)
        self._governments: dict[str, str] = {}
        for actor in self._actors.values():
            if actor.kind == "government" and actor.sector == "GOV" and actor.country:
                self._governments.setdefault(actor.country, actor.id)
        self._dictionary_forms: dict[str, str] = {}
        self._dictionary_ids: set[str] = set()
        self._merge(dictionary)

    def _merge(self, dictionary: Iterable[Actor]) -> None:
        """Add the dictionary actors under the rule that the curated file wins every conflict."""
        curated = {form.casefold(): actor_id for form, actor_id in self._forms.items()}
        title_words = {w for phrase in self._nouns.phrases() for w in phrase}
        for actor in dictionary:
            forms = [f for f in actor.aliases if not self._is_bare_title(f, title_words)]
            owners = [curated[f.casefold()] for f in forms if f.casefold() in curated]
            target = actor.id
            if owners:
                owner = self._actors[owners[0]]
                if owner.country == actor.country or self.state_of(owner.id) == actor.country:
                    # The same actor under a curated id: its other names become the curated one's.
                    target = owner.id
            if target == actor.id:
                if actor.id in self._actors:
                    raise KnowledgeError(f"dictionary actor {actor.id!r} has the id of a curated actor")
                self._actors[actor.id] = actor
                self._dictionary_ids.add(actor.id)
                if actor.kind == "state" and actor.country:
                    self._states.setdefault(actor.country, actor.id)
            if actor.kind == "state":
                # "Algerians", "Iraqis": the people of a state, as CAMEO codes them.
                forms += [p for f in forms if (p := demonym_plural(f)) is not None]
            for form in forms:
                key = form.casefold()
                if key not in curated:
                    self._dictionary_forms.setdefault(key, target)

    def _is_bare_title(self, form: str, title_words: set[str]) -> bool:
        """True when a form is only a title ("SECRETARY OF STATE"): titles resolve by office."""
        if not any(w in title_words for w in form.casefold().split()):
            return False
        rest = self._set_country_aside(_words(form))[0]
        return self._head_noun(rest) is not None and all(
            w in title_words or w in _NAME_PARTICLES for w in rest
        )

    def _claim(self, form: str, actor_id: str) -> None:
        key = _clean(form)
        if not key:
            raise KnowledgeError(f"actor {actor_id!r}: empty surface form")
        owner = self._forms.setdefault(key, actor_id)
        if owner != actor_id:
            raise KnowledgeError(f"surface form {key!r} is claimed by {owner!r} and {actor_id!r}")

    def get(self, actor_id: str) -> Actor | None:
        """Return the actor with id ``actor_id``, or None when there is none."""
        return self._actors.get(actor_id)

    def __iter__(self) -> Iterator[Actor]:
        return iter(self._actors.values())

    def __len__(self) -> int:
        return len(self._actors)

    def lookup(self, surface: str) -> Actor | None:
        """Return the actor a surface form names, or None when no actor has that form.

        The match is exact and case-sensitive over the curated names, aliases, metonyms and
        country adjectives (an adjective returns its state); dictionary forms match in any case
        when written as capitalised words ("AFGHAN", "Afghan"). Curly apostrophes count as
        straight ones, and a leading "the" may be dropped ("the Kremlin" finds "Kremlin").
        """
        form = _clean(surface)
        actor_id = self._forms.get(form)
        if actor_id is None and form[:4].lower() == "the ":
            form = form[4:]
            actor_id = self._forms.get(form)
        if actor_id is None and capitalised(form.split()):
            actor_id = self._dictionary_forms.get(form.casefold())
        return None if actor_id is None else self._actors[actor_id]

    def surface_forms(self) -> dict[str, str]:
        """Return every surface form -> actor id, for building a phrase matcher.

        A form with an apostrophe is given twice, with a straight and a curly one, since news text
        uses both and a phrase matcher compares token text exactly.
        """
        forms = dict(self._forms)
        for form, actor_id in self._forms.items():
            if "'" in form:
                forms.setdefault(form.replace("'", "\u2019"), actor_id)
        return forms

    def title_words(self) -> frozenset[str]:
        """Return the lower-case words of the role nouns ("foreign", "minister", "spokesman", ...)."""
        return frozenset(w for phrase in self._nouns.phrases() for w in phrase)

    def dictionary_forms(self) -> dict[str, str]:
        """Return every dictionary form (casefolded) -> actor id, for the case-insensitive matcher.

        Forms the curated file claims are not in it; forms of dictionary entries merged into a
        curated actor point to the curated id.
        """
        return dict(self._dictionary_forms)

    def from_dictionary(self, actor_id: str) -> bool:
        """Return True when the actor comes from the CAMEO/Phoenix dictionaries, not the curated file."""
        return actor_id in self._dictionary_ids

    def codes_on(self, actor_id: str, day: dt.date | None) -> tuple[str | None, str | None]:
        """Return the (country, sector) code of an actor on ``day``.

        A dated CAMEO code holding on that day wins ("RUSGOV" while in office), then the undated
        default code, then the actor's own country and sector (also when ``day`` is None, which
        asks for the present). An unknown actor has (None, None).
        """
        actor = self._actors.get(actor_id)
        if actor is None:
            return None, None
        if day is not None:
            roles = self._coded.get(actor_id, ())
            held = [r for r in roles if r.dated and r.holds_on(day)]
            if not held:
                held = [r for r in roles if not r.dated]
            if held:
                role = held[-1]
                return role.country or actor.country, role.sector
        return actor.country, actor.sector

    def agent_sector(self, words: str) -> str | None:
        """Return the PLOVER sector a generic noun phrase names ("officials" -> GOV).

        The longest agent phrase that ends the words counts ("army officers" -> MIL); None when
        no agent noun ends them.
        """
        tokens = _words(words)
        for at in range(len(tokens)):
            hit = self._agents.match(tokens, at)
            if hit is not None and at + hit[0] == len(tokens):
                return hit[1]
        return None

    def state_for(self, country: str | None) -> Actor | None:
        """Return the state actor of a country code, or None when no state has it."""
        actor_id = self._states.get(country or "")
        return None if actor_id is None else self._actors[actor_id]

    def government_for(self, country: str | None) -> Actor | None:
        """Return the government actor (sector GOV) of a country code, or None."""
        actor_id = self._governments.get(country or "")
        return None if actor_id is None else self._actors[actor_id]

    def mention(self, text: str, start: int, end: int) -> Mention:
        """Return a mention of ``text`` at ``[start, end)``, resolved by :meth:`lookup`.

        The mention carries the actor's id, country and sector, or None in each when no actor
        has that surface form.
        """
        actor = self.lookup(text)
        if actor is None:
            return Mention(text, start, end)
        return Mention(text, start, end, actor.id, actor.country, actor.sector)

    def role_noun(self, title_words: str) -> str | None:
        """Return the canonical role of a title ("Kremlin spokeswoman" -> "spokesperson").

        The head is the last role noun before the title's first preposition, after country
        words are set aside; None when the title has no known role noun.
        """
        return self._head_noun(self._set_country_aside(_words(title_words))[0])

    def office_holder(
        self, title_words: str, country: str | None = None, on: dt.date | None = None
    ) -> Actor | None:
        """Return who held the office that ``title_words`` names on the day ``on``.

        Args:
            title_words: the title as written: "president", "Ukraine's foreign minister",
                "Kremlin spokesman", "NATO Secretary-General".
            country: the office's country code; when None it is read from the title's own
                country words ("Ukrainian", "Kremlin", "NATO"), if any.
            on: the day; None asks for the current holder (a role with no end date).

        Returns:
            The single holder, or None when nobody or several unrelated offices match (a
            "spokesperson" of Russia could be the Kremlin's or the foreign ministry's). On a
            handover day, when the outgoing and incoming holder both match, the incoming one.
        """
        words = _words(title_words)
        rest, named = self._set_country_aside(words)
        country = country or named
        held = [
            office
            for office in self._offices_named(words, rest)
            if (country is None or office.role.country == country) and office.role.holds_on(on)
        ]
        holders = {office.actor for office in held}
        if len(holders) == 1:
            return self._actors[holders.pop()]
        if holders and len({office.role.title for office in held}) == 1:
            # One office changing hands: on the handover day both holders are listed, and the
            # office belongs to the one who took it last.
            latest = max(held, key=lambda office: office.role.start or dt.date.min)
            return self._actors[latest.actor]
        return None

    def holds_office(self, actor_id: str, title_words: str, on: dt.date | None = None) -> bool:
        """Return True when the actor held the office named by ``title_words`` on ``on``.

        Used to resolve "The President" to the last-mentioned person who is a president. With
        ``on`` None, only offices still held count. A country word in the title must match the
        office's country ("Russian president" is not Zelenskyy). Unknown actors hold nothing.
        """
        words = _words(title_words)
        rest, named = self._set_country_aside(words)
        return any(
            office.actor == actor_id
            and (named is None or office.role.country == named)
            and office.role.holds_on(on)
            for office in self._offices_named(words, rest)
        )

    def state_of(self, actor_id: str) -> str | None:
        """Return the ISO3 country of an actor.

        Returns None for an unknown actor, an actor without a country, and an organisation or a
        person coded under one (NATO's Secretary General), whose code is not a state's.
        """
        actor = self._actors.get(actor_id)
        if actor is None or actor.kind == "organisation":
            return None
        if actor.country in self._organisation_codes:
            return None
        return actor.country

    def _set_country_aside(self, words: _Words) -> tuple[_Words, str | None]:
        """Return ``words`` without their country words, and the first country they name."""
        rest: list[str] = []
        country: str | None = None
        at = 0
        while at < len(words):
            hit = self._places.match(words, at)
            if hit is None:
                rest.append(words[at])
                at += 1
                continue
            size, code = hit
            country = country or code
            at += size
        return tuple(rest), country

    def _head_noun(self, words: _Words) -> str | None:
        heads: list[str] = []
        at = 0
        while at < len(words):
            hit = self._nouns.match(words, at)
            if hit is not None:
                size, noun = hit
                heads.append(noun)
                at += size
            elif words[at] in _PREPOSITIONS:
                break
            else:
                at += 1
        return heads[-1] if heads else None

    def _offices_named(self, words: _Words, rest: _Words) -> list[_Office]:
        """Return the offices a title names: by an idiomatic short form, else by role noun."""
        offices = self._offices
        titles = self._title_forms.get(words) or self._title_forms.get(rest)
        if titles:
            return [office for office in offices if office.role.title in titles]
        noun = self._head_noun(rest)
        if noun is None:
            return []
        return [office for office in offices if office.noun == noun]


class _TextDatesLoader(yaml.SafeLoader):
    """A safe loader that leaves dates as text, so a bad date is reported with its actor.

    PyYAML's own timestamp resolver would turn ``2019-02-30`` into a ValueError that names
    neither the actor nor the field.
    """


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@functools.cache
def load_actors(path: Path | None = None, dictionary: bool | None = None) -> ActorBase:
    """Return the actor base of ``path`` (default: the packaged ``actors.yaml``), once per process.

    ``dictionary`` adds the packaged CAMEO/Phoenix dictionaries (``knowledge/data/phoenix/``)
    under the curated actors; by default it is on for the packaged file and off for a user's
    file, which then holds only its own actors.

    Raises:
        KnowledgeError: naming the file and the entry, when the file cannot be read, is not
            YAML, or has a malformed entry: a missing id or name, a bad kind, code or date, a
            duplicate id, or a surface form claimed by two actors.
    """
    if path is None:
        name = _PACKAGED
        packaged = resources.files("parley.knowledge").joinpath("data").joinpath("actors.yaml")
        raw = packaged.read_text(encoding="utf-8")
    else:
        name = str(path)
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise KnowledgeError(f"{name}: cannot read: {err}") from err
    try:
        # A SafeLoader subclass: as safe as yaml.safe_load, only dates stay text.
        data = yaml.load(raw, Loader=_TextDatesLoader)
    except yaml.YAMLError as err:
        raise KnowledgeError(f"{name}: not valid YAML: {err}") from err
    with_dictionary = path is None if dictionary is None else dictionary
    return _actor_base(data, name, load_dictionary() if with_dictionary else None)


@dataclass(frozen=True)
class Dictionary:
    """The CAMEO/Phoenix actors and agents in Parley's format, as the build script wrote them."""

    actors: tuple[Actor, ...]
    coded_roles: dict[str, tuple[CodedRole, ...]]
    agents: dict[str, str]


@functools.cache
def load_dictionary(folder: Path | None = None) -> Dictionary:
    """Return the converted CAMEO/Phoenix dictionaries (default: the packaged ``phoenix/``).

    ``actors.jsonl.gz`` holds one actor per line with the keys of ``actors.yaml``; each role is
    a date-bounded CAMEO code with its ``sector``. ``agents.json`` maps generic nouns to sectors.

    Raises:
        KnowledgeError: naming the file and line, when a file is missing or an entry malformed.
    """
    base = resources.files("parley.knowledge").joinpath("data").joinpath("phoenix")
    actors_file = (folder / "actors.jsonl.gz") if folder else base.joinpath("actors.jsonl.gz")
    agents_file = (folder / "agents.json") if folder else base.joinpath("agents.json")
    where = str(folder) if folder else _DICTIONARY
    try:
        lines = gzip.decompress(actors_file.read_bytes()).decode("utf-8").splitlines()
        agents = json.loads(agents_file.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError) as err:
        raise KnowledgeError(f"{where}: cannot read the actor dictionary: {err}") from err
    if not isinstance(agents, dict):
        raise KnowledgeError(f"{where}/agents.json: expected a mapping of nouns to sectors")
    entries = []
    for number, line in enumerate(lines, start=1):
        try:
            entries.append(json.loads(line))
        except ValueError as err:
            raise KnowledgeError(f"{where}/actors.jsonl.gz:{number}: not JSON: {err}") from err
    return dictionary_of(entries, agents, f"{where}/actors.jsonl.gz")


def dictionary_of(entries: Iterable[Any], agents: Mapping[str, str], where: str) -> Dictionary:
    """Return a :class:`Dictionary` from converted entries (see ``parley.knowledge.cameo.convert_actors``).

    Raises:
        KnowledgeError: naming ``where`` and the entry number, when an entry is malformed.
    """
    actors: list[Actor] = []
    coded: dict[str, tuple[CodedRole, ...]] = {}
    for number, entry in enumerate(entries, start=1):
        try:
            roles = [
                (
                    Role(r["title"], r["country"], _iso(r["start"]), _iso(r["end"])),
                    CodedRole(r["country"], r["sector"], _iso(r["start"]), _iso(r["end"])),
                )
                for r in entry["roles"]
            ]
            actor = Actor(
                id=entry["id"],
                name=entry["name"],
                kind=entry["kind"],
                country=entry["country"],
                sector=entry["sector"],
                aliases=tuple(entry["aliases"]),
                roles=tuple(role for role, _ in roles),
            )
        except (KeyError, TypeError, ValueError) as err:
            raise KnowledgeError(f"{where}:{number}: malformed actor: {err}") from err
        actors.append(actor)
        if roles:
            coded[actor.id] = tuple(c for _, c in roles)
    return Dictionary(tuple(actors), coded, {str(k): str(v) for k, v in agents.items()})


def tabari_actor_base(actor_files: Sequence[Path], agent_files: Sequence[Path] = ()) -> ActorBase:
    """Return an actor base made only of TABARI dictionaries (PETRARCH's format), converted on the fly.

    Used to score the coder on the PETRARCH unit tests, whose fictional actors (Arnor, Gondor)
    come with their own ``PETR.Validate`` dictionaries. The packaged role nouns are kept, so that
    titles still read as titles.

    Raises:
        KnowledgeError: when a file cannot be read.
    """
    from parley.knowledge.cameo import convert_actors, country_codes, read_actors, read_agents, sector_of

    records = [r for path in actor_files for r in read_actors(path)]
    for record in records:
        record.forms = with_acronyms_split(record.forms)
    entries = convert_actors(records, country_codes(records, prefixes=True), prefix="tab")
    agents = {
        phrase: sector
        for path in agent_files
        for phrase, code in read_agents(path).items()
        if (sector := sector_of(code)) is not None
    }
    dictionary = dictionary_of(entries, agents, ", ".join(map(str, actor_files)))
    packaged = resources.files("parley.knowledge").joinpath("data").joinpath("actors.yaml")
    data = yaml.load(packaged.read_text(encoding="utf-8"), Loader=_TextDatesLoader)
    return ActorBase(
        (),
        role_nouns=_text_table(data.get("role_nouns"), _PACKAGED, "role_nouns"),
        agents=dictionary.agents,
        dictionary=dictionary.actors,
        coded_roles=dictionary.coded_roles,
    )


def _iso(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _actor_base(data: Any, name: str, dictionary: Dictionary | None = None) -> ActorBase:
    if not isinstance(data, dict):
        raise KnowledgeError(f"{name}: expected a mapping with keys {sorted(_TOP_KEYS)}")
    if unknown := set(data) - _TOP_KEYS:
        raise KnowledgeError(f"{name}: unknown top-level keys {sorted(map(str, unknown))}")
    entries = data.get("actors")
    if not isinstance(entries, list) or not entries:
        raise KnowledgeError(f"{name}: 'actors' must be a non-empty list")
    actors: list[Actor] = []
    ids: set[str] = set()
    metonyms: dict[str, tuple[str, ...]] = {}
    title_forms: dict[str, list[str]] = {}
    coded: dict[str, tuple[CodedRole, ...]] = dict(dictionary.coded_roles) if dictionary else {}
    for number, entry in enumerate(entries, start=1):
        actor, forms, titles, sectors = _actor(entry, f"{name}: actor {number}")
        if actor.id in ids:
            raise KnowledgeError(f"{name}: actor {number} ({actor.id}): duplicate id {actor.id!r}")
        actors.append(actor)
        ids.add(actor.id)
        metonyms[actor.id] = forms
        for title, short in titles.items():
            title_forms.setdefault(title, []).extend(short)
        if sectors:
            coded[actor.id] = sectors
    agents = _text_table(data.get("agents"), name, "agents")
    if dictionary is not None:
        # The curated nouns come first, and the first entry of a noun wins.
        agents |= {k: v for k, v in dictionary.agents.items() if k not in agents}
    try:
        return ActorBase(
            actors,
            metonyms=metonyms,
            country_adjectives=_text_table(data.get("country_adjectives"), name, "country_adjectives"),
            role_nouns=_text_table(data.get("role_nouns"), name, "role_nouns"),
            title_forms=title_forms,
            agents=agents,
            dictionary=dictionary.actors if dictionary else (),
            coded_roles=coded,
        )
    except KnowledgeError as err:
        raise KnowledgeError(f"{name}: {err}") from err


def _actor(
    entry: Any, where: str
) -> tuple[Actor, tuple[str, ...], dict[str, tuple[str, ...]], tuple[CodedRole, ...]]:
    """Return an actor entry's record, its metonyms, its roles' short forms by title, and the
    sector codes its roles carry."""
    if not isinstance(entry, dict):
        raise KnowledgeError(f"{where}: expected a mapping")
    actor_id = entry.get("id")
    if actor_id is None:
        raise KnowledgeError(f"{where}: missing 'id'")
    if not isinstance(actor_id, str) or not _SLUG.match(actor_id):
        raise KnowledgeError(f"{where}: 'id' must be a slug such as 'ukr-gov', got {actor_id!r}")
    where = f"{where} ({actor_id})"
    if unknown := set(entry) - _ACTOR_KEYS:
        raise KnowledgeError(f"{where}: unknown keys {sorted(map(str, unknown))}")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise KnowledgeError(f"{where}: missing 'name'")
    kind = entry.get("kind")
    if kind not in ACTOR_KINDS:
        raise KnowledgeError(f"{where}: 'kind' must be one of {list(ACTOR_KINDS)}, got {kind!r}")
    raw_roles = entry.get("roles") or []
    if not isinstance(raw_roles, list):
        raise KnowledgeError(f"{where}: 'roles' must be a list")
    roles: list[Role] = []
    titles: dict[str, tuple[str, ...]] = {}
    sectors: list[CodedRole] = []
    for number, raw_role in enumerate(raw_roles, start=1):
        role, short = _role(raw_role, f"{where}: role {number}")
        roles.append(role)
        if short:
            titles[role.title] = titles.get(role.title, ()) + short
        sector = _code(raw_role.get("sector"), _SECTOR, f"{where}: role {number}", "sector")
        if sector is not None:
            sectors.append(CodedRole(role.country, sector, role.start, role.end))
    actor = Actor(
        id=actor_id,
        name=name,
        kind=typing.cast(Any, kind),  # checked against ACTOR_KINDS above
        country=_code(entry.get("country"), _COUNTRY, where, "country"),
        sector=_code(entry.get("sector"), _SECTOR, where, "sector"),
        qid=_code(entry.get("qid"), _QID, where, "qid"),
        aliases=_texts(entry.get("aliases"), where, "aliases"),
        roles=tuple(roles),
    )
    return actor, _texts(entry.get("metonyms"), where, "metonyms"), titles, tuple(sectors)


def _role(entry: Any, where: str) -> tuple[Role, tuple[str, ...]]:
    """Return a role entry's record and its short forms."""
    if not isinstance(entry, dict):
        raise KnowledgeError(f"{where}: expected a mapping with a title")
    if unknown := set(entry) - _ROLE_KEYS:
        raise KnowledgeError(f"{where}: unknown keys {sorted(map(str, unknown))}")
    title = entry.get("title")
    if not isinstance(title, str) or not title.strip():
        raise KnowledgeError(f"{where}: missing 'title'")
    where = f"{where} ({title})"
    start = _date(entry.get("start"), where, "start")
    end = _date(entry.get("end"), where, "end")
    if start and end and end < start:
        raise KnowledgeError(f"{where}: 'end' {end} is before 'start' {start}")
    country = _code(entry.get("country"), _COUNTRY, where, "country")
    return Role(title, country, start, end), _texts(entry.get("titles"), where, "titles")


def _code(value: Any, pattern: re.Pattern[str], where: str, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not pattern.match(value):
        raise KnowledgeError(f"{where}: bad {key!r} {value!r}")
    return value


def _date(value: Any, where: str, key: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass  # a well-shaped but impossible date, such as 2019-02-30: reported below
    raise KnowledgeError(f"{where}: bad date in {key!r}: {value!r} (want YYYY-MM-DD or null)")


def _texts(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeError(f"{where}: {key!r} must be a list of non-empty strings")
    return tuple(value)


def _text_table(value: Any, name: str, key: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise KnowledgeError(f"{name}: {key!r} must map words to words")
    return dict(value)

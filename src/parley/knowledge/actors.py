"""The actor knowledge base: who the actors of a conflict are, what they are called, and which
offices they held when.

``knowledge/data/actors.yaml`` lists states, governments, organisations, armed groups and people
with their aliases, metonyms ("the Kremlin") and dated roles. :class:`ActorBase` resolves a
mention by its surface form, and a title ("the Ukrainian foreign minister") to whoever held the
office on the article's date. The spaCy actor component builds its matcher from
:meth:`ActorBase.surface_forms` and calls the other methods for each mention.
"""

from __future__ import annotations

import datetime as dt
import functools
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
_TOP_KEYS = frozenset({"role_nouns", "country_adjectives", "actors"})
_ACTOR_KEYS = frozenset({"id", "name", "kind", "country", "sector", "qid", "aliases", "metonyms", "roles"})
_ROLE_KEYS = frozenset({"title", "country", "start", "end", "titles"})
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

    def match(self, words: _Words, at: int) -> tuple[int, str] | None:
        """Return the length and value of the longest phrase starting at ``words[at]``."""
        for size in range(min(self._longest, len(words) - at), 0, -1):
            value = self._table.get(words[at : at + size])
            if value is not None:
                return size, value
        return None


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
    ) -> None:
        """Index ``actors`` for lookup.

        Args:
            actors: the actors; ids must be unique.
            metonyms: actor id -> surface forms that stand for it ("Moscow" for rus-gov).
            country_adjectives: adjective -> country code; each resolves to that country's state.
            role_nouns: surface role noun -> canonical role ("spokeswoman" -> "spokesperson").
            title_forms: role title -> idiomatic short forms ("Kremlin spokesman").

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

        The match is exact and case-sensitive over names, aliases, metonyms and country
        adjectives (an adjective returns its state). Curly apostrophes count as straight ones,
        and a leading "the" may be dropped ("the Kremlin" finds "Kremlin").
        """
        form = _clean(surface)
        actor_id = self._forms.get(form)
        if actor_id is None and form[:4].lower() == "the ":
            actor_id = self._forms.get(form[4:])
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
def load_actors(path: Path | None = None) -> ActorBase:
    """Return the actor base of ``path`` (default: the packaged ``actors.yaml``).

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
    return _actor_base(data, name)


def _actor_base(data: Any, name: str) -> ActorBase:
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
    for number, entry in enumerate(entries, start=1):
        actor, forms, titles = _actor(entry, f"{name}: actor {number}")
        if actor.id in ids:
            raise KnowledgeError(f"{name}: actor {number} ({actor.id}): duplicate id {actor.id!r}")
        actors.append(actor)
        ids.add(actor.id)
        metonyms[actor.id] = forms
        for title, short in titles.items():
            title_forms.setdefault(title, []).extend(short)
    try:
        return ActorBase(
            actors,
            metonyms=metonyms,
            country_adjectives=_text_table(data.get("country_adjectives"), name, "country_adjectives"),
            role_nouns=_text_table(data.get("role_nouns"), name, "role_nouns"),
            title_forms=title_forms,
        )
    except KnowledgeError as err:
        raise KnowledgeError(f"{name}: {err}") from err


def _actor(entry: Any, where: str) -> tuple[Actor, tuple[str, ...], dict[str, tuple[str, ...]]]:
    """Return an actor entry's record, its metonyms and its roles' short forms by title."""
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
    for number, raw_role in enumerate(raw_roles, start=1):
        role, short = _role(raw_role, f"{where}: role {number}")
        roles.append(role)
        if short:
            titles[role.title] = titles.get(role.title, ()) + short
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
    return actor, _texts(entry.get("metonyms"), where, "metonyms"), titles


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

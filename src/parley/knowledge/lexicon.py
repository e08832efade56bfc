"""Loaders for the rule data of the extractors: attribution cues, the PLOVER lexicon, issues.

The rules live in YAML files under ``knowledge/data/`` so that a user can extend them without code;
these loaders validate the files and turn them into typed, immutable lookups.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from parley.errors import KnowledgeError
from parley.model import MODALITIES


def _read_yaml(path: Path | None, packaged: str) -> tuple[dict[str, Any], str]:
    """Return the parsed mapping of ``path`` (or the packaged file) and its name for errors."""
    if path is None:
        source = resources.files("parley.knowledge").joinpath("data").joinpath(packaged)
        name, raw = f"parley/knowledge/data/{packaged}", source.read_text(encoding="utf-8")
    else:
        name = str(path)
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise KnowledgeError(f"{name}: cannot read: {err}") from err
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as err:
        raise KnowledgeError(f"{name}: not valid YAML: {err}") from err
    if not isinstance(data, dict):
        raise KnowledgeError(f"{name}: expected a mapping at the top level")
    return data, name


def _words(items: Any, name: str, key: str) -> tuple[str, ...]:
    if items is None:
        return ()
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise KnowledgeError(f"{name}: {key} must be a list of strings")
    return tuple(items)


@dataclass(frozen=True)
class Cue:
    """A reporting verb: how it carries content, and what it says about the speaker's stance."""

    lemma: str
    particle: str | None
    cue_class: str
    modality: str
    content_deps: tuple[str, ...]


@dataclass(frozen=True)
class CueLexicon:
    """Attribution cues, retrospective markers and venue patterns (``cues.yaml``)."""

    verbs: dict[str, Cue]
    phrases: tuple[str, ...]
    pronouns: frozenset[str]
    speaker_nouns: frozenset[str]
    retrospective_adverbs: frozenset[str]
    retrospective_phrases: tuple[str, ...]
    past_perfect_is_retrospective: bool
    venue_verb_preps: dict[str, frozenset[str]]
    venue_noun_preps: dict[str, frozenset[str]]
    venue_events: tuple[str, ...]
    venue_tell: frozenset[str]
    min_quote_words: int


@functools.cache
def load_cues(path: Path | None = None) -> CueLexicon:
    """Return the cue lexicon from ``path`` (default: the packaged ``cues.yaml``).

    Raises:
        KnowledgeError: when the file is missing, not YAML, or an entry is malformed.
    """
    data, name = _read_yaml(path, "cues.yaml")
    verbs: dict[str, Cue] = {}
    for lemma, props in (data.get("verbs") or {}).items():
        props = props or {}
        if not isinstance(props, dict):
            raise KnowledgeError(f"{name}: verbs.{lemma} must be a mapping")
        modality = props.get("modality", "asserted")
        if modality not in MODALITIES:
            raise KnowledgeError(f"{name}: verbs.{lemma}: unknown modality {modality!r}")
        verbs[lemma] = Cue(
            lemma=lemma,
            particle=props.get("particle"),
            cue_class=props.get("class", "speech"),
            modality=modality,
            content_deps=_words(props.get("content", ["ccomp"]), name, f"verbs.{lemma}.content"),
        )
    retro = data.get("retrospective") or {}
    venues = data.get("venues") or {}

    def preps(key: str) -> dict[str, frozenset[str]]:
        table = venues.get(key) or {}
        return {k: frozenset(_words(v, name, f"venues.{key}.{k}")) for k, v in table.items()}

    return CueLexicon(
        verbs=verbs,
        phrases=_words(data.get("phrases"), name, "phrases"),
        pronouns=frozenset(_words(data.get("pronouns"), name, "pronouns")),
        speaker_nouns=frozenset(_words(data.get("speaker_nouns"), name, "speaker_nouns")),
        retrospective_adverbs=frozenset(_words(retro.get("adverbs"), name, "retrospective.adverbs")),
        retrospective_phrases=_words(retro.get("phrases"), name, "retrospective.phrases"),
        past_perfect_is_retrospective=bool(retro.get("past_perfect", True)),
        venue_verb_preps=preps("verb_preps"),
        venue_noun_preps=preps("noun_preps"),
        venue_events=_words(venues.get("events"), name, "venues.events"),
        venue_tell=frozenset(_words(venues.get("tell"), name, "venues.tell")),
        min_quote_words=int(data.get("min_quote_words", 4)),
    )


@dataclass(frozen=True)
class Trigger:
    """A word that signals a PLOVER event."""

    lemma: str
    particle: str | None
    type: str
    mode: str | None
    cameo: str | None


@dataclass(frozen=True)
class EventLexicon:
    """The PLOVER lexicon (``events.yaml``): triggers, modality words, conditions, qualifiers."""

    types: dict[str, str]
    verbs: dict[str, tuple[Trigger, ...]]
    nouns: dict[str, Trigger]
    negated_as: dict[str, str]
    future_as: dict[str, str]
    governed_modality: dict[str, str]
    modality_words: dict[str, frozenset[str]]
    conditional_marks: tuple[str, ...]
    condition_preps: tuple[str, ...]
    condition_nouns: frozenset[str]
    condition_focus: frozenset[str]
    qualifiers: dict[str, tuple[str, ...]]
    occupation_nouns: frozenset[str]


def _trigger(key: str, props: Any, name: str, types: dict[str, str]) -> Trigger:
    if not isinstance(props, dict) or props.get("type") not in types:
        raise KnowledgeError(f"{name}: trigger {key!r} needs a PLOVER type, one of {sorted(types)}")
    lemma, _, particle = key.partition(" ")
    cameo = props.get("cameo")
    return Trigger(lemma, particle or None, props["type"], props.get("mode"), cameo and str(cameo))


@functools.cache
def load_events(path: Path | None = None) -> EventLexicon:
    """Return the PLOVER lexicon from ``path`` (default: the packaged ``events.yaml``).

    Raises:
        KnowledgeError: when the file is malformed or names a type PLOVER does not have.
    """
    data, name = _read_yaml(path, "events.yaml")
    types = data.get("types") or {}
    if len(types) != 16:
        raise KnowledgeError(f"{name}: types must list the 16 PLOVER event types")
    verbs: dict[str, list[Trigger]] = {}
    for key, props in (data.get("triggers") or {}).items():
        trig = _trigger(key, props, name, types)
        verbs.setdefault(trig.lemma, []).append(trig)
    nouns = {key: _trigger(key, p, name, types) for key, p in (data.get("nouns") or {}).items()}
    modality = data.get("modality") or {}
    conditions = data.get("conditions") or {}
    for type_, modality_ in (data.get("governed_modality") or {}).items():
        if type_ not in types or modality_ not in MODALITIES:
            raise KnowledgeError(f"{name}: governed_modality: {type_} -> {modality_} is not valid")
    for table in ("negated_as", "future_as"):
        for src, dst in (data.get(table) or {}).items():
            if src not in types or dst not in types:
                raise KnowledgeError(f"{name}: {table}: {src} -> {dst} names an unknown type")
    return EventLexicon(
        types=dict(types),
        verbs={k: tuple(v) for k, v in verbs.items()},
        nouns=nouns,
        negated_as=dict(data.get("negated_as") or {}),
        future_as=dict(data.get("future_as") or {}),
        governed_modality=dict(data.get("governed_modality") or {}),
        modality_words={
            k: frozenset(_words(v, name, f"modality.{k}"))
            for k, v in modality.items()
            if k != "conditional_marks"
        },
        conditional_marks=_words(modality.get("conditional_marks"), name, "conditional_marks"),
        condition_preps=_words(conditions.get("preps"), name, "conditions.preps"),
        condition_nouns=frozenset(_words(conditions.get("nouns"), name, "conditions.nouns")),
        condition_focus=frozenset(_words(conditions.get("focus"), name, "conditions.focus")),
        qualifiers={k: _words(v, name, f"qualifiers.{k}") for k, v in (data.get("qualifiers") or {}).items()},
        occupation_nouns=frozenset(_words(data.get("occupation_nouns"), name, "occupation_nouns")),
    )


@dataclass(frozen=True)
class Issue:
    """A peace-process issue: a proposition parties support, oppose or accept on conditions."""

    id: str
    proposition: str
    pax: tuple[str, ...]
    context: str | None
    concession_by: str
    terms: tuple[str, ...]

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """A case-insensitive pattern matching any of the issue's terms (plurals included)."""
        alternatives = sorted((re.escape(t) for t in self.terms), key=len, reverse=True)
        return re.compile(rf"\b(?:{'|'.join(alternatives)})(?:s|es)?\b", re.IGNORECASE)


@dataclass(frozen=True)
class IssueTaxonomy:
    """The issues of one conflict (``issues.yaml``) and its two parties."""

    conflict: str
    parties: dict[str, str]
    issues: dict[str, Issue]
    support_events: frozenset[str] = frozenset()
    oppose_events: frozenset[str] = frozenset()
    support_words: frozenset[str] = frozenset()
    oppose_words: frozenset[str] = frozenset()

    def find(self, text: str) -> list[tuple[Issue, int, int]]:
        """Return each issue whose terms occur in ``text``, with the offsets of its first term."""
        found = []
        for issue in self.issues.values():
            m = issue.pattern.search(text)
            if m:
                found.append((issue, m.start(), m.end()))
        return found

    def side_of(self, country: str | None) -> str | None:
        """Return "defender" or "claimant" for a party's ISO3 code, None for third parties."""
        for side, code in self.parties.items():
            if code == country:
                return side
        return None


@functools.cache
def load_issues(path: Path | None = None) -> IssueTaxonomy:
    """Return the issue taxonomy from ``path`` (default: the packaged ``issues.yaml``).

    Raises:
        KnowledgeError: when the file is malformed (no parties, an issue without terms, ...).
    """
    data, name = _read_yaml(path, "issues.yaml")
    parties = data.get("parties") or {}
    if set(parties) != {"defender", "claimant"}:
        raise KnowledgeError(f"{name}: parties must name a defender and a claimant")
    issues: dict[str, Issue] = {}
    for key, props in (data.get("issues") or {}).items():
        if not isinstance(props, dict) or not props.get("terms"):
            raise KnowledgeError(f"{name}: issue {key!r} needs terms")
        concession_by = props.get("concession_by", "both")
        if concession_by not in ("defender", "claimant", "both"):
            raise KnowledgeError(f"{name}: issue {key!r}: concession_by must be defender|claimant|both")
        issues[key] = Issue(
            id=key,
            proposition=str(props.get("proposition", key)).format(**parties),
            pax=_words(props.get("pax"), name, f"{key}.pax"),
            context=props.get("context"),
            concession_by=concession_by,
            terms=_words(props.get("terms"), name, f"{key}.terms"),
        )
    if not issues:
        raise KnowledgeError(f"{name}: no issues defined")
    stance = data.get("stance") or {}
    return IssueTaxonomy(
        str(data.get("conflict", "")),
        dict(parties),
        issues,
        **{
            key: frozenset(_words(stance.get(key), name, f"stance.{key}"))
            for key in ("support_events", "oppose_events", "support_words", "oppose_words")
        },
    )


@dataclass(frozen=True)
class Outlet:
    """An outlet's display name and the country whose offices its unnamed titles refer to."""

    key: str
    name: str
    country: str | None


@functools.cache
def load_outlets(path: Path | None = None) -> dict[str, Outlet]:
    """Return the known outlets by key (default: the packaged ``outlets.yaml``).

    Raises:
        KnowledgeError: when the file is malformed.
    """
    data, name = _read_yaml(path, "outlets.yaml")
    outlets: dict[str, Outlet] = {}
    for key, props in (data.get("outlets") or {}).items():
        if not isinstance(props, dict) or not isinstance(props.get("name"), str):
            raise KnowledgeError(f"{name}: outlet {key!r} needs a name")
        outlets[str(key)] = Outlet(str(key), props["name"], props.get("country"))
    return outlets

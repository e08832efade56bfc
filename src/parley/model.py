"""Parley's records: frozen, JSON-serialisable dataclasses with stable ids.

Every record that states a fact carries its evidence: the article id and a character span
``[start, end)`` into the article text that slices to the record's text exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

SCHEMA_VERSION = 1

StatementKind = Literal["direct", "indirect", "mixed"]
Modality = Literal[
    "asserted",
    "intended",
    "offered",
    "demanded",
    "conditional",
    "hypothetical",
    "negated",
    "historical",
]
Stance = Literal["support", "oppose", "conditional", "ambiguous"]
Severity = Literal["no flip", "half flip", "full flop"]
Direction = Literal["softening", "hardening", "unchanged"]
Verdict = Literal[
    "verbatim",
    "close",
    "paraphrase",
    "truncated",
    "stronger",
    "weaker",
    "unsupported",
]

MODALITIES: tuple[str, ...] = typing.get_args(Modality)
STANCES: tuple[str, ...] = typing.get_args(Stance)


def stable_id(prefix: str, *parts: object) -> str:
    """Return a short id that depends only on ``parts``: re-running gives the same id."""
    # surrogatepass: an id must never be the reason a text with a lone surrogate cannot be analysed.
    key = "\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass")
    digest = hashlib.sha1(key).hexdigest()
    return f"{prefix}-{digest[:16]}"


@dataclass(frozen=True)
class Span:
    """A stretch of an article's text: ``article.text[start:end] == text``."""

    text: str
    start: int
    end: int

    @classmethod
    def of(cls, source: str, start: int, end: int) -> Span:
        """Return the span of ``source[start:end]``."""
        return cls(source[start:end], start, end)

    def holds_in(self, source: str) -> bool:
        """Return True when this span slices ``source`` to its own text."""
        return 0 <= self.start <= self.end <= len(source) and source[self.start : self.end] == self.text


@dataclass(frozen=True)
class Qualifier:
    """A qualifier of an event or position ("temporary", "permanent", ...) with its words."""

    label: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A mention of an actor in the text, resolved to an actor id where the knowledge base allows."""

    text: str
    start: int
    end: int
    actor: str | None = None
    country: str | None = None
    sector: str | None = None


@dataclass(frozen=True)
class Participant:
    """An actor or recipient of an event: the actor's id, code and sector plus its mention span."""

    id: str | None
    text: str
    start: int
    end: int
    country: str | None = None
    sector: str | None = None


@dataclass(frozen=True)
class Role:
    """An office an actor held between two dates (``end`` None: still holds it)."""

    title: str
    country: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    def holds_on(self, day: dt.date | None) -> bool:
        """Return True when the role is held on ``day`` (any day when ``day`` is None)."""
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Actor:
    """A person, government, state, organisation or armed group."""

    id: str
    name: str
    kind: Literal["person", "government", "state", "organisation", "armed group"]
    country: str | None = None
    sector: str | None = None
    qid: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class Article:
    """One news article or official text."""

    id: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    published: dt.date | None = None
    language: str = "en"
    source: str | None = None

    @staticmethod
    def content_id(text: str) -> str:
        """Return the id an article without one gets: a hash of its text."""
        return stable_id("art", text)


@dataclass(frozen=True)
class Statement:
    """Who said what: a direct quote, reported speech or a mix of both."""

    id: str
    article_id: str
    kind: StatementKind
    speaker: Mention | None
    cue: Span | None
    content: tuple[Span, ...]
    evidence: Span
    venue: Span | None = None
    venue_inferred: bool = False
    said_on: dt.date | None = None
    retrospective: bool = False

    @property
    def text(self) -> str:
        """The content, its parts joined by a space."""
        return " ".join(part.text for part in self.content)


@dataclass(frozen=True)
class Event:
    """A PLOVER event with modality, conditions and qualifiers."""

    id: str
    article_id: str
    type: str
    trigger: Span
    evidence: Span
    modality: Modality
    mode: str | None = None
    contexts: tuple[str, ...] = ()
    actors: tuple[Participant, ...] = ()
    recipients: tuple[Participant, ...] = ()
    conditions: tuple[Span, ...] = ()
    qualifiers: tuple[Qualifier, ...] = ()
    statement_id: str | None = None
    cameo: str | None = None


@dataclass(frozen=True)
class Position:
    """An actor's stance on an issue's proposition, with the statements that show it."""

    id: str
    article_id: str
    actor: str
    issue: str
    stance: Stance
    summary: str
    evidence: tuple[Span, ...]
    statements: tuple[str, ...] = ()
    conditions: tuple[Span, ...] = ()
    qualifiers: tuple[Qualifier, ...] = ()
    as_of: dt.date | None = None
    retrospective: bool = False


@dataclass(frozen=True)
class Shift:
    """A change in an actor's position on an issue, between two positions with their evidence."""

    id: str
    actor: str
    issue: str
    before: Position
    after: Position
    severity: Severity
    direction: Direction


@dataclass(frozen=True)
class Variant:
    """One report of a statement, judged against the others."""

    statement_id: str
    article_id: str
    text: str
    verdict: Verdict
    similarity: float


@dataclass(frozen=True)
class Corroboration:
    """One utterance reported by several articles, each report aligned and judged."""

    id: str
    variants: tuple[Variant, ...]


@dataclass(frozen=True)
class Analysis:
    """Everything Parley extracted from one article: the unit of the output contract."""

    article: Article
    statements: tuple[Statement, ...] = ()
    events: tuple[Event, ...] = ()
    positions: tuple[Position, ...] = ()
    shifts: tuple[Shift, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the output-contract object for this article (``"schema"`` included)."""
        return {
            "schema": SCHEMA_VERSION,
            "article": to_dict(self.article),
            "statements": [to_dict(s) for s in self.statements],
            "events": [to_dict(e) for e in self.events],
            "positions": [to_dict(p) for p in self.positions],
            "shifts": [to_dict(s) for s in self.shifts],
        }


def to_dict(record: Any) -> Any:
    """Return a JSON-ready form of a record: dates as ISO strings, tuples as lists."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_dict(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, tuple | list):
        return [to_dict(item) for item in record]
    if isinstance(record, dt.date):
        return record.isoformat()
    return record


R = TypeVar("R")


def from_dict(cls: type[R], data: Any) -> R:
    """Rebuild a record of type ``cls`` from :func:`to_dict` output.

    Raises:
        TypeError: when ``data`` does not have the record's shape.
    """
    return typing.cast(R, _convert(cls, data))


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    # Resolving a class's annotations is slow and they never change: once per class.
    return typing.get_type_hints(cls)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _convert(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        (item_hint, *_) = typing.get_args(hint)
        return tuple(_convert(item_hint, v) for v in value)
    if origin is Literal:
        return value
    if hint is dt.date:
        return dt.date.fromisoformat(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(value, dict):
            raise TypeError(f"{hint.__name__} expects an object, got {type(value).__name__}")
        hints = _hints(hint)
        known = {f.name for f in dataclasses.fields(hint) if f.init}
        return hint(**{k: _convert(hints[k], v) for k, v in value.items() if k in known})
    return value

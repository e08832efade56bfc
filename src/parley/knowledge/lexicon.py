"""Loaders for the rule data of the extractors: attribution cues, the PLOVER lexicon, issues.

The rules live in YAML files under ``knowledge/data/`` so that a user can extend them without code;
these loaders validate the files and turn them into typed, immutable lookups.
"""

from __future__ import annotations

import dataclasses
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
    # Words one of which must open the content ("informed X that ..."); empty: any content.
    marks: tuple[str, ...] = ()
    # Prepositions one of which must follow the verb ("called on", "insisted on"); empty: none needed.
    preps: tuple[str, ...] = ()
    # A word the verb must govern to be a cue ("made it clear that"); None: no such word.
    companion: str | None = None
    # Prepositions whose object is the content ("warned against ...", "described X as Y").
    content_preps: tuple[str, ...] = ()


@dataclass(frozen=True)
class TranscriptRules:
    """How speaker labels of transcripts are read (``cues.yaml``, ``transcripts``)."""

    connectors: frozenset[str] = frozenset()
    generic_labels: frozenset[str] = frozenset()
    section_breaks: tuple[str, ...] = ()
    min_words_inline: int = 3


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
    first_person: frozenset[str] = frozenset()
    document_nouns: frozenset[str] = frozenset()
    title_aliases: dict[str, str] = dataclasses.field(default_factory=dict)
    anaphoric_subjects: frozenset[str] = frozenset()
    continuation_max_chars: int = 1000
    transcripts: TranscriptRules = TranscriptRules()
    blocking_auxiliaries: frozenset[str] = frozenset()
    question_cues: frozenset[str] = frozenset()
    wh_words: frozenset[str] = frozenset()
    according_sources: frozenset[str] = frozenset()
    title_heads: frozenset[str] = frozenset()
    nouns: frozenset[str] = frozenset()
    lead_sentences: int = 1
    anaphoric_objects: frozenset[str] = frozenset()
    adjectives: frozenset[str] = frozenset()
    quote_glosses: bool = False
    stance_nouns: frozenset[str] = frozenset()
    # One person who speaks for a body ("a member of the Ukrainian delegation"): "he" after them is them.
    member_nouns: frozenset[str] = frozenset()
    # "In his opinion, ...", "in the view of X": the noun of a possessed opinion that reports a clause.
    opinion_nouns: frozenset[str] = frozenset()


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
            marks=_words(props.get("marks"), name, f"verbs.{lemma}.marks"),
            preps=_words(props.get("preps"), name, f"verbs.{lemma}.preps"),
            companion=props.get("companion"),
            content_preps=_words(props.get("content_preps"), name, f"verbs.{lemma}.content_preps"),
        )
    retro = data.get("retrospective") or {}
    venues = data.get("venues") or {}
    turns = data.get("transcripts") or {}
    aliases = data.get("title_aliases") or {}
    if not isinstance(aliases, dict) or not all(isinstance(v, str) for v in aliases.values()):
        raise KnowledgeError(f"{name}: title_aliases must map titles to role nouns")

    def preps(key: str) -> dict[str, frozenset[str]]:
        table = venues.get(key) or {}
        return {k: frozenset(_words(v, name, f"venues.{key}.{k}")) for k, v in table.items()}

    def words(key: str) -> frozenset[str]:
        return frozenset(_words(data.get(key), name, key))

    return CueLexicon(
        verbs=verbs,
        phrases=_words(data.get("phrases"), name, "phrases"),
        pronouns=words("pronouns"),
        speaker_nouns=words("speaker_nouns"),
        retrospective_adverbs=frozenset(_words(retro.get("adverbs"), name, "retrospective.adverbs")),
        retrospective_phrases=_words(retro.get("phrases"), name, "retrospective.phrases"),
        past_perfect_is_retrospective=bool(retro.get("past_perfect", True)),
        venue_verb_preps=preps("verb_preps"),
        venue_noun_preps=preps("noun_preps"),
        venue_events=_words(venues.get("events"), name, "venues.events"),
        venue_tell=frozenset(_words(venues.get("tell"), name, "venues.tell")),
        min_quote_words=int(data.get("min_quote_words", 4)),
        first_person=words("first_person"),
        document_nouns=words("document_nouns"),
        title_aliases={str(k).lower(): v.lower() for k, v in aliases.items()},
        anaphoric_subjects=words("anaphoric_subjects"),
        continuation_max_chars=int(data.get("continuation_max_chars", 1000)),
        blocking_auxiliaries=words("blocking_auxiliaries"),
        question_cues=words("question_cues"),
        wh_words=words("wh_words"),
        according_sources=words("according_sources"),
        title_heads=words("title_heads"),
        nouns=words("nouns"),
        lead_sentences=int(data.get("lead_sentences", 1)),
        anaphoric_objects=words("anaphoric_objects"),
        adjectives=words("adjectives"),
        quote_glosses=bool(data.get("quote_glosses", False)),
        stance_nouns=words("stance_nouns"),
        member_nouns=words("member_nouns"),
        opinion_nouns=words("opinion_nouns"),
        transcripts=TranscriptRules(
            connectors=frozenset(_words(turns.get("connectors"), name, "transcripts.connectors")),
            generic_labels=frozenset(
                w.lower() for w in _words(turns.get("generic_labels"), name, "transcripts.generic_labels")
            ),
            section_breaks=_words(turns.get("section_breaks"), name, "transcripts.section_breaks"),
            min_words_inline=int(turns.get("min_words_inline", 3)),
        ),
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


def _phrase_source(phrase: str, plural: bool) -> str:
    """Return the regex source of one cue phrase (see the header of ``issues.yaml``)."""
    if phrase.startswith("re:"):
        return phrase[3:]
    words = [re.escape(word).replace("'", "['\u2019]") for word in phrase.split()]
    return r"\s+".join(words) + (r"(?:s|es)?" if plural else "")


def compile_phrases(
    phrases: tuple[str, ...], name: str, key: str, *, plural: bool = False
) -> re.Pattern[str] | None:
    """Return one case-insensitive pattern for ``phrases`` (longest first), None for no phrases.

    Phrases follow the rules in the header of ``issues.yaml``; ``name`` and ``key`` say where they come
    from, for errors.

    Raises:
        KnowledgeError: when a "re:" phrase is not a valid regular expression.
    """
    if not phrases:
        return None
    for phrase in phrases:
        try:
            re.compile(_phrase_source(phrase, plural))
        except re.error as err:
            raise KnowledgeError(f"{name}: {key}: {phrase!r} is not a valid pattern: {err}") from err
    sources = sorted((_phrase_source(p, plural) for p in phrases), key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(sources)})(?![\w-])", re.IGNORECASE)


@dataclass(frozen=True)
class Issue:
    """A peace-process issue: a proposition parties support, oppose or accept on conditions."""

    id: str
    proposition: str
    pax: tuple[str, ...]
    context: str | None
    concession_by: str
    cues: tuple[str, ...]
    against: tuple[str, ...] = ()
    label: str = ""
    aliases: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    # Openness is support when the proposition is talking itself ("ready to discuss" for negotiations).
    open_is_support: bool = False
    needs: tuple[str, ...] = ()

    @functools.cached_property
    def pattern(self) -> re.Pattern[str]:
        """A case-insensitive pattern matching any of the issue's cues (plurals included)."""
        pattern = compile_phrases(self.cues, self.id, "cues", plural=True)
        assert pattern is not None  # load_issues refuses an issue without cues
        return pattern

    @functools.cached_property
    def against_pattern(self) -> re.Pattern[str] | None:
        """A pattern matching the phrases that name the proposition's negation, None if it has none."""
        return compile_phrases(self.against, self.id, "against", plural=True)

    @functools.cached_property
    def excluded_pattern(self) -> re.Pattern[str] | None:
        """A pattern matching look-alikes that name something else ("carbon neutrality")."""
        return compile_phrases(self.excluded, self.id, "excluded")

    @functools.cached_property
    def needs_pattern(self) -> re.Pattern[str] | None:
        """A pattern one match of which a text must hold for the issue's cues to count there."""
        return compile_phrases(self.needs, self.id, "needs")

    @property
    def terms(self) -> tuple[str, ...]:
        """The issue's cues (the name older taxonomy files used)."""
        return self.cues


@dataclass(frozen=True)
class IssueMention:
    """Where a text names an issue; ``against`` when it names the proposition's negation."""

    issue: Issue
    start: int
    end: int
    against: bool = False


@dataclass(frozen=True)
class StanceLexicon:
    """How words show a stance toward an issue (``stance`` in ``issues.yaml``)."""

    support: re.Pattern[str] | None = None
    deontic: re.Pattern[str] | None = None
    oppose: re.Pattern[str] | None = None
    open: re.Pattern[str] | None = None
    deferral: re.Pattern[str] | None = None
    negations: frozenset[str] = frozenset()
    conditions: re.Pattern[str] | None = None
    negated_conditions: re.Pattern[str] | None = None
    # Conditions only under a refusal ("cannot talk about a ceasefire before the withdrawal").
    refusal_conditions: re.Pattern[str] | None = None
    premises: re.Pattern[str] | None = None
    # Words that take up the issues of the sentence before ("this issue", "I accept that.").
    anaphora: re.Pattern[str] | None = None
    reporting: re.Pattern[str] | None = None
    hearsay: re.Pattern[str] | None = None
    own_pronouns: frozenset[str] = frozenset()
    other_pronouns: frozenset[str] = frozenset()
    speaker_pronouns: frozenset[str] = frozenset()
    continuations: re.Pattern[str] | None = None
    past: re.Pattern[str] | None = None
    support_events: frozenset[str] = frozenset()
    oppose_events: frozenset[str] = frozenset()


@dataclass(frozen=True)
class IssueTaxonomy:
    """The issues of one conflict (``issues.yaml``), its two parties and its stance words."""

    conflict: str
    parties: dict[str, str]
    issues: dict[str, Issue]
    stance: StanceLexicon = StanceLexicon()
    # Sentences naming another conflict (and not this one) hold no position on this one's issues.
    elsewhere: re.Pattern[str] | None = None
    here: re.Pattern[str] | None = None

    def out_of_scope(self, text: str) -> bool:
        """True when ``text`` names another conflict or country (``scope.elsewhere``) and not this one."""
        if self.elsewhere is None or self.elsewhere.search(text) is None:
            return False
        return self.here is None or self.here.search(text) is None

    def find(self, text: str) -> list[tuple[Issue, int, int]]:
        """Return each issue whose cues occur in ``text``, with the offsets of its first cue."""
        found = []
        for issue in self.issues.values():
            m = issue.pattern.search(text)
            if m:
                found.append((issue, m.start(), m.end()))
        return found

    def mentions(self, text: str) -> list[IssueMention]:
        """Return every mention of an issue in ``text``, by offset.

        Where a cue and an ``against`` phrase of the same issue overlap, the longer one is kept
        ("non-aligned status" names neutrality, "non-aligned" alone the negation of NATO membership).
        """
        found: list[IssueMention] = []
        for issue in self.issues.values():
            if issue.needs_pattern is not None and issue.needs_pattern.search(text) is None:
                continue
            spans = [IssueMention(issue, m.start(), m.end()) for m in issue.pattern.finditer(text)]
            if issue.against_pattern is not None:
                spans += [
                    IssueMention(issue, m.start(), m.end(), against=True)
                    for m in issue.against_pattern.finditer(text)
                ]
            if issue.excluded_pattern is not None:
                others = [(m.start(), m.end()) for m in issue.excluded_pattern.finditer(text)]
                spans = [s for s in spans if not any(a < s.end and s.start < b for a, b in others)]
            spans.sort(key=lambda m: (m.start, -(m.end - m.start)))
            kept: list[IssueMention] = []
            for mention in spans:
                if kept and mention.start < kept[-1].end:
                    if mention.end - mention.start > kept[-1].end - kept[-1].start:
                        kept[-1] = mention
                    continue
                kept.append(mention)
            found += kept
        return sorted(found, key=lambda m: (m.start, m.issue.id))

    def issue(self, name: str) -> Issue:
        """Return the issue called ``name``: its id, label or one of its aliases (any case).

        Raises:
            KnowledgeError: when no issue has that name.
        """
        wanted = " ".join(name.replace("_", " ").casefold().split())
        for issue in self.issues.values():
            names = (issue.id.replace("_", " "), issue.label, *issue.aliases)
            if wanted in {" ".join(n.replace("_", " ").casefold().split()) for n in names}:
                return issue
        raise KnowledgeError(f"unknown issue {name!r}; known: {', '.join(self.issues)}")

    def side_of(self, country: str | None) -> str | None:
        """Return "defender" or "claimant" for a party's ISO3 code, None for third parties."""
        for side, code in self.parties.items():
            if code == country:
                return side
        return None


def _stance_lexicon(stance: dict[str, Any], name: str) -> StanceLexicon:
    def pattern(key: str) -> re.Pattern[str] | None:
        return compile_phrases(_words(stance.get(key), name, f"stance.{key}"), name, f"stance.{key}")

    def words(key: str) -> frozenset[str]:
        return frozenset(w.casefold() for w in _words(stance.get(key), name, f"stance.{key}"))

    return StanceLexicon(
        support=pattern("support"),
        deontic=pattern("deontic"),
        oppose=pattern("oppose"),
        open=pattern("open"),
        deferral=pattern("deferral"),
        negations=words("negations"),
        conditions=pattern("conditions"),
        negated_conditions=pattern("negated_conditions"),
        refusal_conditions=pattern("refusal_conditions"),
        premises=pattern("premises"),
        anaphora=pattern("anaphora"),
        reporting=pattern("reporting"),
        hearsay=pattern("hearsay"),
        own_pronouns=words("own_pronouns"),
        other_pronouns=words("other_pronouns"),
        speaker_pronouns=words("speaker_pronouns"),
        continuations=pattern("continuations"),
        past=pattern("past"),
        support_events=frozenset(_words(stance.get("support_events"), name, "stance.support_events")),
        oppose_events=frozenset(_words(stance.get("oppose_events"), name, "stance.oppose_events")),
    )


@functools.cache
def load_issues(path: Path | None = None) -> IssueTaxonomy:
    """Return the issue taxonomy from ``path`` (default: the packaged ``issues.yaml``).

    A file without a ``stance`` section gets the packaged one: stance words are English, not
    conflict knowledge. Older files that call the cues ``terms`` are read as well.

    Raises:
        KnowledgeError: when the file is malformed (no parties, an issue without cues, a cue that is
            not a valid pattern, ...).
    """
    data, name = _read_yaml(path, "issues.yaml")
    parties = data.get("parties") or {}
    if set(parties) != {"defender", "claimant"}:
        raise KnowledgeError(f"{name}: parties must name a defender and a claimant")
    issues: dict[str, Issue] = {}
    for key, props in (data.get("issues") or {}).items():
        if not isinstance(props, dict):
            raise KnowledgeError(f"{name}: issue {key!r} must be a mapping")
        cues = _words(props.get("cues", props.get("terms")), name, f"{key}.cues")
        if not cues:
            raise KnowledgeError(f"{name}: issue {key!r} needs cues")
        concession_by = props.get("concession_by", "both")
        if concession_by not in ("defender", "claimant", "both"):
            raise KnowledgeError(f"{name}: issue {key!r}: concession_by must be defender|claimant|both")
        try:
            proposition = str(props.get("proposition", key)).format(**parties)
        except (KeyError, IndexError) as err:
            raise KnowledgeError(f"{name}: issue {key!r}: proposition names an unknown party {err}") from err
        issue = Issue(
            id=key,
            proposition=proposition,
            pax=_words(props.get("pax"), name, f"{key}.pax"),
            context=props.get("context"),
            concession_by=concession_by,
            cues=cues,
            against=_words(props.get("against"), name, f"{key}.against"),
            label=str(props.get("label") or key.replace("_", " ")),
            aliases=_words(props.get("aliases"), name, f"{key}.aliases"),
            excluded=_words(props.get("excluded"), name, f"{key}.excluded"),
            open_is_support=bool(props.get("open_is_support", False)),
            needs=_words(props.get("needs"), name, f"{key}.needs"),
        )
        # Compile now, so that a bad pattern is reported when the file is loaded.
        _ = issue.pattern, issue.against_pattern, issue.excluded_pattern, issue.needs_pattern
        issues[key] = issue
    if not issues:
        raise KnowledgeError(f"{name}: no issues defined")
    stance = data.get("stance")
    if stance is None and path is not None:
        lexicon = load_issues().stance
    elif not isinstance(stance or {}, dict):
        raise KnowledgeError(f"{name}: stance must be a mapping")
    else:
        lexicon = _stance_lexicon(stance or {}, name)
    scope = data.get("scope") or {}
    if not isinstance(scope, dict):
        raise KnowledgeError(f"{name}: scope must be a mapping")
    return IssueTaxonomy(
        str(data.get("conflict", "")),
        dict(parties),
        issues,
        lexicon,
        elsewhere=compile_phrases(_words(scope.get("elsewhere"), name, "scope.elsewhere"), name, "scope"),
        here=compile_phrases(_words(scope.get("here"), name, "scope.here"), name, "scope"),
    )


@dataclass(frozen=True)
class Outlet:
    """An outlet's display name and the country whose offices its unnamed titles refer to."""

    key: str
    name: str
    country: str | None
    # The office whose holder speaks in the first person on the outlet's own pages ("I" in an
    # address on president.gov.ua is the President); None for news outlets.
    voice: str | None = None


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
        voice = props.get("voice")
        if voice is not None and not isinstance(voice, str):
            raise KnowledgeError(f"{name}: outlet {key!r}: voice must be an office title")
        outlets[str(key)] = Outlet(str(key), props["name"], props.get("country"), voice)
    return outlets

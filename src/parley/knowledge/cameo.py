"""Readers for the CAMEO/Phoenix dictionaries of PETRARCH (openeventdata/petrarch2, MIT licence).

The dictionaries are plain text in the TABARI format:

- actor files (``Phoenix.*.actors.txt``): a primary phrase (``VLADIMIR_PUTIN_``), synonyms
  (``+PUTIN_``) and CAMEO codes, either on the primary line (``UKRAINE_ [UKR]``) or on indented
  lines, optionally bounded by dates (``[RUSGOV 991231-080507]``, ``[RUSGOV >080508]``). Phrases
  without a code that follow each other share the codes that come next, as in PETRARCH's reader.
- agent files (``Phoenix.agents.txt``): a generic noun and its sector (``OFFICIAL [~GOV]``), with
  regular plurals formed automatically and ``!MARKER!`` substitution sets.
- the verb dictionary (``CAMEO.2.0.txt``): verb synsets with a default CAMEO code and patterns of
  words around the verb (``- * SANCTIONS [163]``).
- ``CAMEO2PLOVER-2021.txt`` (openeventdata/PLOVER, CC BY-SA 4.0): CAMEO code -> PLOVER event,
  mode and context.

These readers are used by ``scripts/build_actor_base.py``, which converts the Phoenix files into
Parley's data format once, and by the evaluation of the PETRARCH unit tests, whose fictional
actors come with their own small dictionaries. Malformed entries are skipped and counted, not
raised: the dictionaries are decades of hand edits with a few broken dates.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from parley.errors import KnowledgeError

# PLOVER's sector codes (manual, "Sector Codes"). CAMEO used MED for media and HLH for health;
# PLOVER renamed them JRN and MED.
PLOVER_SECTORS: frozenset[str] = frozenset(
    {
        "COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK",
        "AGR", "BUS", "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP",
        "PRE", "REL", "SOC",
    }
)  # fmt: skip
_CAMEO_SECTORS: dict[str, str] = {
    **{code: code for code in PLOVER_SECTORS if code != "MED"},
    "MED": "JRN",
    "HLH": "MED",
    "IGO": "IGO",
    "NGO": "SOC",
    "INS": "REB",
    "SEP": "REB",
    "RAD": "OPP",
    "MOD": "GOV",
    "CHR": "REL",
    "MUS": "REL",
    "JEW": "REL",
    "BUD": "REL",
    "HIN": "REL",
}
# PLOVER's international non-state codes; UNO and EUR stand apart from the other IGOs.
INTERNATIONAL: frozenset[str] = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"})
# A few CAMEO country codes that differ from ISO 3166 (and PLOVER) codes.
LEGACY_CODES: dict[str, str] = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM", "KSV": "KOS", "TMP": "TLS"}

_BRACKET = re.compile(r"\[([^\]]*)\]")
_DATE_RANGE = re.compile(r"(\d{6,8})\s*-\s*(\d{6,8})")
_DATE_BOUND = re.compile(r"([<>])\s*(\d{6,8})")


@dataclass(frozen=True)
class CodeSpan:
    """A CAMEO actor code, valid between two dates (None: unbounded on that side)."""

    code: str
    start: dt.date | None = None
    end: dt.date | None = None

    def holds_on(self, day: dt.date) -> bool:
        """Return True when the code applies on ``day``."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass
class TabariActor:
    """One actor record of a TABARI actor dictionary: its phrases and its codes."""

    forms: list[str]
    codes: list[CodeSpan] = field(default_factory=list)
    comment: str = ""
    line: int = 0

    @property
    def dated(self) -> bool:
        """True when any code is bounded by dates (people holding offices)."""
        return any(c.start is not None or c.end is not None for c in self.codes)

    def default_code(self) -> str | None:
        """The code that holds now: an open-ended dated code (the latest to start), else the
        undated default (the last one given), else the dated code that ended last."""
        current = [c for c in self.codes if c.start is not None and c.end is None]
        if current:
            return max(current, key=lambda c: c.start or dt.date.min).code
        undated = [c.code for c in self.codes if c.start is None and c.end is None]
        if undated:
            return undated[-1]
        if not self.codes:
            return None
        return max(self.codes, key=lambda c: c.end or dt.date.max).code


@dataclass
class ReadReport:
    """What a reader skipped, line by line: the dictionaries carry a few malformed entries."""

    skipped: list[str] = field(default_factory=list)


def parse_date(text: str) -> dt.date:
    """Return the date of a TABARI date string, ``YYMMDD`` (00-30 -> 20YY) or ``YYYYMMDD``.

    Raises:
        ValueError: when the string is not a valid date.
    """
    if len(text) > 7:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    else:
        yy = int(text[:2])
        year = yy + (2000 if yy <= 30 else 1900)
        month, day = int(text[2:4]), int(text[4:6])
    return dt.date(year, month, day)


def _phrase(raw: str) -> str:
    """A dictionary phrase as text: underscores are spaces, trailing markers dropped."""
    return " ".join(raw.replace("_", " ").split())


def _code_spans(line: str, where: str, report: ReadReport) -> list[CodeSpan]:
    spans: list[CodeSpan] = []
    for inner in _BRACKET.findall(line):
        parts = inner.split(None, 1)
        if not parts:
            continue
        code, rest = parts[0], (parts[1] if len(parts) > 1 else "")
        try:
            if match := _DATE_RANGE.search(rest):
                start, end = parse_date(match.group(1)), parse_date(match.group(2))
                if end < start:
                    raise ValueError(f"end {end} before start {start}")
                spans.append(CodeSpan(code, start, end))
            elif match := _DATE_BOUND.search(rest):
                day = parse_date(match.group(2))
                spans.append(CodeSpan(code, None, day) if match.group(1) == "<" else CodeSpan(code, day))
            else:
                spans.append(CodeSpan(code))
        except ValueError as err:
            report.skipped.append(f"{where}: code [{inner}]: {err}")
    return spans


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """The lines of a dictionary that carry content: comments and XML comments removed."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as err:
        raise KnowledgeError(f"{path}: cannot read: {err}") from err
    in_comment = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\n")
        if in_comment:
            if "-->" in line:
                in_comment = False
            continue
        if line.lstrip().startswith("<!--"):
            in_comment = "-->" not in line
            continue
        if line.startswith("#") or not line.strip():
            continue
        yield number, line


def read_actors(path: Path, report: ReadReport | None = None) -> list[TabariActor]:
    """Return the actor records of a TABARI actor dictionary, in file order.

    Records without any code are dropped (PETRARCH codes them as nothing). Codes with an
    impossible date are skipped and named in ``report``.

    Raises:
        KnowledgeError: when the file cannot be read.
    """
    report = report if report is not None else ReadReport()
    records: list[TabariActor] = []
    current: TabariActor | None = None
    for number, line in _lines(path):
        if "---STOP---" in line:
            break
        body, _, comment = line.partition("#")
        where = f"{path.name}:{number}"
        if line[0] in " \t":
            if current is None:
                report.skipped.append(f"{where}: code line before any actor")
                continue
            current.codes += _code_spans(body, where, report)
            continue
        if body.startswith("+"):
            if current is None:
                report.skipped.append(f"{where}: synonym before any actor")
                continue
            form = _phrase(_BRACKET.sub("", body[1:]).split(";")[0])
            if form:
                current.forms.append(form)
            current.codes += _code_spans(body, where, report)
            continue
        codes = _code_spans(body, where, report)
        form = _phrase(_BRACKET.sub("", body).split(";")[0])
        # A primary phrase opens a new record once the current one has its codes; phrases
        # without codes before it share the codes that follow (PETRARCH's reader does the same).
        if current is None or current.codes:
            current = TabariActor([], [], comment.strip(), number)
            records.append(current)
        if form:
            current.forms.append(form)
        current.codes += codes
    return [r for r in records if r.codes and r.forms]


def read_agents(path: Path, report: ReadReport | None = None) -> dict[str, str]:
    """Return agent phrase (lowercase words) -> CAMEO agent code, plurals included.

    ``OFFICIAL [~GOV]`` gives "official" and "officials"; ``POLICE {} [~COP]`` has no plural;
    ``SEAMAN {SEAMEN} [~MIL]`` gives its irregular plural; ``!PERSON!`` markers are expanded.
    The first entry of a phrase wins.

    Raises:
        KnowledgeError: when the file cannot be read.
    """
    report = report if report is not None else ReadReport()
    markers: dict[str, list[str]] = {}
    agents: dict[str, str] = {}
    for number, line in _lines(path):
        body = line.partition("#")[0].strip()
        if body.startswith("!") and "=" in body:
            name, _, values = body.partition("=")
            markers[name.strip().strip("!")] = [v.strip() for v in values.split(",") if v.strip()]
            continue
        match = _BRACKET.search(body)
        if match is None:
            report.skipped.append(f"{path.name}:{number}: agent without a code")
            continue
        code = match.group(1).replace("~", "").strip()
        head = body[: match.start()]
        plural_spec: str | None = None
        if "{" in head:
            head, _, rest = head.partition("{")
            plural_spec = rest.partition("}")[0].strip()
        for phrase in _expand_markers(head.strip(), markers):
            words = _phrase(phrase).lower()
            if not words:
                continue
            forms = [words]
            if plural_spec is None:
                forms.append(_plural(words))
            elif plural_spec:
                forms += [_phrase(p).lower() for p in plural_spec.split() if p]
            for form in forms:
                agents.setdefault(form, code)
    return agents


def _expand_markers(phrase: str, markers: dict[str, list[str]]) -> list[str]:
    match = re.search(r"!([A-Z]+)!", phrase)
    if match is None:
        return [phrase]
    options = markers.get(match.group(1))
    if not options:
        return []
    out: list[str] = []
    for option in options:
        out += _expand_markers(phrase[: match.start()] + option + phrase[match.end() :], markers)
    return out


def _plural(words: str) -> str:
    """The regular plural of a phrase's last word (PETRARCH's rule)."""
    if words.endswith("ss"):
        return words + "es"
    if words.endswith("y") and not words.endswith(("ay", "ey", "oy", "uy")):
        return words[:-1] + "ies"
    return words + "s"


@dataclass(frozen=True)
class PloverCode:
    """The PLOVER reading of a CAMEO event code."""

    event: str
    mode: str | None
    context: str | None


def read_cameo2plover(path: Path) -> dict[str, PloverCode]:
    """Return CAMEO event code -> PLOVER event, mode and context from CAMEO2PLOVER-2021.txt.

    Raises:
        KnowledgeError: when the file cannot be read or a line is malformed.
    """
    table: dict[str, PloverCode] = {}
    for number, line in _lines(path):
        if line.startswith("~~~"):
            break
        body = line.partition("#")[0]
        code, sep, rest = body.partition(":")
        if not sep or not code.strip().isdigit():
            raise KnowledgeError(f"{path}:{number}: expected 'CODE: EVENT, mode, context'")
        fields = [f.strip() for f in rest.split(",")]
        event = fields[0].upper()
        if not event:
            continue
        mode = fields[1] if len(fields) > 1 and fields[1] else None
        context = fields[2] if len(fields) > 2 and fields[2] else None
        table[code.strip()] = PloverCode(event, mode, context)
    return table


def plover_of(cameo: str, table: dict[str, PloverCode]) -> PloverCode | None:
    """Return the PLOVER reading of a CAMEO code, falling back to its parent codes."""
    code = cameo.strip()
    while code:
        if code in table:
            return table[code]
        code = code[:-1]
    return None


def sector_of(code: str) -> str | None:
    """Return the PLOVER sector of a CAMEO agent code (``GOVFRM`` -> GOV, ``MUSUAF`` -> UAF).

    The first 3-letter segment that is a PLOVER sector wins; religion and ethnicity segments
    count only when nothing else does (they become REL).
    """
    segments = [code[i : i + 3].upper() for i in range(0, len(code) - len(code) % 3, 3)]
    mapped = [_CAMEO_SECTORS[s] for s in segments if s in _CAMEO_SECTORS and s != "IGO"]
    primary = [s for s in mapped if s != "REL"]
    chosen = primary or mapped
    return chosen[0] if chosen else None


def split_code(code: str, countries: frozenset[str]) -> tuple[str | None, str | None]:
    """Return (country, sector) of a CAMEO actor code such as ``RUSGOV`` or ``IGOUNOREFHCR``.

    The country is the first 3-letter segment when it is a known country or international
    code (``IGOUNO`` -> UNO, ``IGOEUR...`` -> EUR, other IGOs -> IGO; legacy CAMEO codes such
    as JAP become ISO codes); the sector is the first later segment that maps onto a PLOVER
    sector (CAMEO MED -> JRN, HLH -> MED).
    """
    code = code.strip().upper()
    segments = [code[i : i + 3] for i in range(0, len(code) - len(code) % 3, 3)]
    if not segments or segments[0] == "---":
        return None, None
    first = LEGACY_CODES.get(segments[0], segments[0])
    country: str | None = None
    rest = segments
    if first == "IGO":
        country = segments[1] if len(segments) > 1 and segments[1] in ("UNO", "EUR") else "IGO"
        rest = segments[1:]
    elif first in INTERNATIONAL or first in countries or segments[0] in LEGACY_CODES:
        # A legacy code (TMP, KSV) is a country whether or not the dictionary lists its ISO code.
        country = first
        rest = segments[1:]
    sector = sector_of("".join(rest))
    if first == "IGO" and sector is None:
        sector = "IGO"
    return country, sector


@dataclass(frozen=True)
class VerbPattern:
    """A CAMEO verb pattern: words before and after the verb, each slot a set of alternatives.

    ``- &MILITARY * EXERCISES [062]`` is ``before=({"army", "troops", ...},)``,
    ``after=({"exercises"},)``, code 062. Source and target markers ($, +, ^, %) are dropped:
    Parley finds the actor and recipient from the parse. ``verbs`` names the verbs of the synset
    the pattern was written for (the dictionary's comment, "# STAGE"); empty: all of them.
    """

    before: tuple[tuple[str, ...], ...]
    after: tuple[tuple[str, ...], ...]
    code: str
    verbs: tuple[str, ...] = ()


@dataclass
class VerbSynset:
    """A block of the verb dictionary: its verbs (lemma and particle), default code, patterns."""

    name: str
    code: str | None
    verbs: dict[str, str | None] = field(default_factory=dict)
    patterns: list[VerbPattern] = field(default_factory=list)


_PATTERN_NOISE = re.compile(r"[$+%^(){}]")


def read_verbs(path: Path, report: ReadReport | None = None) -> list[VerbSynset]:
    """Return the synsets of a PETRARCH verb dictionary (``CAMEO.2.0.txt``) in file order.

    A verb's key is its lower-case lemma, with a particle for phrasal verbs ("ask for", "call
    off"); its code is its own ``[code]`` or, without one, the block's. Synonym sets
    (``&CURRENCY``) in patterns become sets of alternatives. Codes ``---`` (no event) are kept
    as None so that a more specific pattern can still apply. The dictionary's ``~`` compound
    rules are not read.

    Raises:
        KnowledgeError: when the file cannot be read.
    """
    report = report if report is not None else ReadReport()
    sets: dict[str, list[str]] = {}
    synsets: list[VerbSynset] = []
    current_set: str | None = None
    current: VerbSynset | None = None
    in_patterns = False
    for number, line in _lines(path):
        body = line.partition("#")[0].rstrip()
        where = f"{path.name}:{number}"
        # The synonym sets come first; the first block header ("---  ABANDON   [---]  ---")
        # starts the verb patterns. A set may also sit between blocks (PETR.Validate.verbs.txt).
        in_patterns = in_patterns or body.startswith("---")
        if not body.strip():
            continue
        if body.startswith("&"):
            current_set = body[1:].split()[0].rstrip("_")
            sets[current_set] = []
            continue
        if body.startswith("+") and current_set is not None:
            member = _phrase(body[1:]).lower()
            if member.startswith("&"):
                sets[current_set] += sets.get(member[1:].rstrip("_").upper(), [])
            else:
                sets[current_set].append(member)
            continue
        if not in_patterns:
            continue
        if body.startswith("---"):
            current_set = None
            name = body.strip("- ").split("[")[0].strip()
            match = _BRACKET.search(body)
            current = VerbSynset(name, _code_or_none(match.group(1) if match else None))
            # The block's name is its first verb ("---  CANCEL  [---]  ---" lists CANCEL too).
            header = _phrase(name).lower()
            if header and not header.startswith("&"):
                current.verbs[header] = current.code
            synsets.append(current)
            continue
        current_set = None
        if current is None or body.startswith("~"):
            continue
        if body.startswith("-"):
            comment = line.partition("#")[2].strip()
            match = _BRACKET.search(body)
            if match is None:
                report.skipped.append(f"{where}: pattern without a code")
                continue
            code = _code_or_none(match.group(1))
            if code is None:
                continue
            words = _PATTERN_NOISE.sub(" ", body[1 : match.start()].replace("_", " ")).split()
            if "*" not in words:
                report.skipped.append(f"{where}: pattern without the verb marker *")
                continue
            star = words.index("*")
            before = tuple(_slot(w, sets) for w in words[:star])
            after = tuple(_slot(w, sets) for w in words[star + 1 :])
            if all(before) and all(after):
                # The comment names the verb the pattern was found with ("# RUSH"): a pattern of
                # "take part" must not fire for "capture part".
                named = _phrase(comment.split()[0]).lower() if comment else ""
                verbs = (named,) if named in current.verbs else ()
                current.patterns.append(VerbPattern(before, after, code, verbs))
            continue
        # A verb line: VERB {forms} [code], or +PHRASAL_VERB {forms} [code].
        match = _BRACKET.search(body)
        head = body[: match.start()] if match else body
        head = head.split("{")[0].lstrip("+").strip()
        words = _phrase(head).lower().split()
        if not words:
            continue
        key = words[0] if len(words) == 1 else f"{words[0]} {' '.join(words[1:])}"
        own = _code_or_none(match.group(1)) if match else None
        if own is not None or key not in current.verbs:
            current.verbs[key] = own or current.code
    return synsets


def _slot(word: str, sets: dict[str, list[str]]) -> tuple[str, ...]:
    if word.startswith("&"):
        return tuple(sets.get(word[1:].rstrip("_").upper(), ()))
    return (word.rstrip("_").lower(),)


def _code_or_none(text: str | None) -> str | None:
    """The source-side code of ``[code]`` or ``[code:reverse]``; None for ``---`` or empty."""
    if text is None:
        return None
    first, _, second = text.strip().partition(":")
    code = (first or second).strip()
    return code if code and code.isdigit() else None


@dataclass(frozen=True)
class VerbMatch:
    """The CAMEO code a verb takes in its context, and how many pattern words backed it."""

    code: str
    plover: PloverCode
    words: int


class VerbRules:
    """The CAMEO verb dictionary as converted by the build script (``phoenix/verbs.json``).

    :meth:`match` gives a verb's code from the most specific pattern whose words occur around it
    (in order, before and after the verb), else from the verb's own default code.
    """

    def __init__(self, data: dict[str, object], where: str) -> None:
        try:
            synsets = list(data["synsets"])  # type: ignore[call-overload]
            plover = dict(data["plover"])  # type: ignore[call-overload]
            self.plover = {
                code: PloverCode(str(p["event"]), p.get("mode"), p.get("context"))
                for code, p in plover.items()
            }
            self.verbs: dict[str, list[tuple[str | None, int]]] = {}
            self.patterns: list[list[VerbPattern]] = []
            for index, synset in enumerate(synsets):
                for verb, code in synset["verbs"].items():
                    self.verbs.setdefault(verb, []).append((code, index))
                self.patterns.append(
                    [
                        VerbPattern(
                            tuple(tuple(s) for s in p["before"]),
                            tuple(tuple(s) for s in p["after"]),
                            p["code"],
                            tuple(p.get("verbs") or ()),
                        )
                        for p in synset["patterns"]
                    ]
                )
        except (KeyError, TypeError, ValueError) as err:
            raise KnowledgeError(f"{where}: malformed verb dictionary: {err}") from err
        self._split = [[(_split_slots(p.before), _split_slots(p.after)) for p in ps] for ps in self.patterns]

    def known(self, verb: str) -> bool:
        """True when ``verb`` (a lemma, or "lemma particle") is in the dictionary."""
        return verb in self.verbs

    def match(self, verb: str, before: list[frozenset[str]], after: list[frozenset[str]]) -> VerbMatch | None:
        """Return the code of ``verb`` given the words around it, or None when it has none.

        Args:
            verb: the lemma, or "lemma particle" for a phrasal verb.
            before: the words before the verb in its clause, each as its forms (text, lemma).
            after: the words after it.
        """
        best: VerbMatch | None = None
        present = frozenset().union(*before, *after)
        for code, index in self.verbs.get(verb, ()):
            for pattern, slots in zip(self.patterns[index], self._split[index], strict=True):
                if pattern.verbs and verb not in pattern.verbs:
                    continue
                size = len(pattern.before) + len(pattern.after)
                if best is not None and size <= best.words:
                    continue
                # Most patterns name a word the clause does not have: rule them out before the
                # in-order walk.
                if not all(any(alt[0] in present for alt in slot) for slot in (*slots[0], *slots[1])):
                    continue
                if _in_order(slots[0], before) and _in_order(slots[1], after):
                    best = VerbMatch(pattern.code, self.plover[pattern.code], size)
            if best is None and code is not None:
                best = VerbMatch(code, self.plover[code], 0)
        return best


_Slots = tuple[tuple[tuple[str, ...], ...], ...]


def _split_slots(slots: tuple[tuple[str, ...], ...]) -> _Slots:
    return tuple(tuple(tuple(alt.split()) for alt in slot if alt.split()) for slot in slots)


def _in_order(slots: _Slots, words: list[frozenset[str]]) -> bool:
    at = 0
    for slot in slots:
        found = False
        while at < len(words) and not found:
            for parts in slot:
                if all(at + k < len(words) and part in words[at + k] for k, part in enumerate(parts)):
                    found = True
                    at += len(parts)
                    break
            else:
                at += 1
        if not found:
            return False
    return True


def verb_rules_data(synsets: list[VerbSynset], table: dict[str, PloverCode]) -> dict[str, object]:
    """Return the verb dictionary as the JSON the build script writes (``phoenix/verbs.json``):
    the synsets whose codes PLOVER maps, and the PLOVER reading of each code used."""
    used: dict[str, dict[str, str | None]] = {}

    def keep(code: str | None) -> str | None:
        plover = plover_of(code, table) if code else None
        if code is None or plover is None:
            return None
        used[code] = {"event": plover.event, "mode": plover.mode, "context": plover.context}
        return code

    out = []
    for synset in synsets:
        verbs = {verb: keep(code) for verb, code in synset.verbs.items()}
        patterns = [
            {
                "before": [list(s) for s in p.before],
                "after": [list(s) for s in p.after],
                "code": p.code,
                **({"verbs": list(p.verbs)} if p.verbs else {}),
            }
            for p in synset.patterns
            if keep(p.code) is not None
        ]
        if patterns or any(verbs.values()):
            out.append({"name": synset.name, "verbs": verbs, "patterns": patterns})
    return {"synsets": out, "plover": dict(sorted(used.items()))}


def load_verb_rules(path: Path | None = None) -> VerbRules:
    """Return the CAMEO verb rules (default: the packaged ``phoenix/verbs.json``).

    Raises:
        KnowledgeError: when the file cannot be read or is malformed.
    """
    import json
    from importlib import resources

    where = str(path) if path else "parley/knowledge/data/phoenix/verbs.json"
    try:
        if path is None:
            raw = (
                resources.files("parley.knowledge")
                .joinpath("data", "phoenix", "verbs.json")
                .read_text("utf-8")
            )
        else:
            raw = path.read_text(encoding="utf-8")
        data = json.loads(raw)
    except (OSError, ValueError) as err:
        raise KnowledgeError(f"{where}: cannot read: {err}") from err
    if not isinstance(data, dict):
        raise KnowledgeError(f"{where}: expected an object with 'synsets' and 'plover'")
    return VerbRules(data, where)


# Sectors whose bearers act for the state: an entry coded so is a government body.
_STATE_SECTORS = frozenset({"GOV", "LEG", "JUD", "MIL", "COP", "SPY", "PRM"})
_ARMED_SECTORS = frozenset({"REB", "UAF"})
_PERSON_NOTES = re.compile(r"countryinfo|rulers", re.IGNORECASE)
# A form must hold a letter and only characters news text spells names with.
_MATCHABLE = re.compile(r"[A-Za-z0-9 .,'&()/-]*[A-Za-z][A-Za-z0-9 .,'&()/-]*\Z")
_SMALL_WORDS = frozenset({"of", "the", "and", "for", "in", "on", "de", "del", "la", "le", "al", "el", "du"})


def country_codes(records: list[TabariActor], prefixes: bool = False) -> frozenset[str]:
    """The country codes of a dictionary: the 3-letter codes its entries carry alone ("[AFG]").

    With ``prefixes``, also the first segment of a longer code that is no sector code: PETRARCH's
    validation dictionary names some states only through such codes ("[GMWGOV]": GMW, "[MRGORC]":
    MRG). Not for the Phoenix dictionaries, whose "[USRARM]" is Armenia while a Soviet republic.
    """
    alone = {
        code
        for r in records
        for c in r.codes
        for code in [c.code.upper()]
        if len(code) == 3 and code.isalpha() and code not in ("---", "IGO", "NGO", "ELI")
    }
    first = {
        code[:3]
        for r in records
        for c in r.codes
        for code in [c.code.upper()]
        if len(code) > 3
        and len(code) % 3 == 0
        and code.isalpha()
        and code[:3] not in _CAMEO_SECTORS
        and code[:3] not in INTERNATIONAL
    }
    return frozenset(alone | first) if prefixes else frozenset(alone)


def convert_actors(
    records: list[TabariActor], countries: frozenset[str], prefix: str = "phx"
) -> list[dict[str, object]]:
    """Return the dictionary's actors as entries of Parley's actor format (``actors.yaml`` keys).

    Each entry has ``id`` (``<prefix>-<slug of the name>``), ``name``, ``kind`` (state, person,
    government, armed group or organisation, from the codes and the dictionary's notes),
    ``country`` and ``sector`` (the code that holds now), ``aliases`` (the forms, as written,
    each given to the first entry that has it) and ``roles``: every CAMEO code with its dates,
    as ``{"title": "CAMEO RUSGOV", "country", "sector", "start", "end"}``. Entries without a
    country, or without a form news text can match, are left out.
    """
    taken: set[str] = set()
    ids: set[str] = set()
    out: list[dict[str, object]] = []
    for record in records:
        forms = []
        for form in record.forms:
            key = form.casefold()
            if _MATCHABLE.match(form) and key not in taken and len(form.replace(".", "")) > 1:
                taken.add(key)
                forms.append(form)
        default = record.default_code()
        if not forms or default is None:
            continue
        country, sector = split_code(default, countries)
        # An elder or a former official coded only by sector ("[ELI]") takes its dated codes' country.
        country = country or next(
            (c for s in record.codes for c in [split_code(s.code, countries)[0]] if c), None
        )
        if country is None:
            continue
        roles = []
        for span in record.codes:
            r_country, r_sector = split_code(span.code, countries)
            roles.append(
                {
                    "title": f"CAMEO {span.code}",
                    "country": r_country or country,
                    "sector": r_sector,
                    "start": span.start.isoformat() if span.start else None,
                    "end": span.end.isoformat() if span.end else None,
                }
            )
        name = _display(forms[0])
        out.append(
            {
                "id": _unique(f"{prefix}-{_slug(name)}", ids),
                "name": name,
                "kind": _kind(record, country, sector, countries),
                "country": country,
                "sector": sector,
                "aliases": forms,
                "roles": roles if record.dated else [],
            }
        )
    return out


def _kind(record: TabariActor, country: str, sector: str | None, countries: frozenset[str]) -> str:
    codes = [split_code(c.code, countries) for c in record.codes]
    if all(s is None for _, s in codes) and (country in countries or country in LEGACY_CODES.values()):
        return "state"
    if _PERSON_NOTES.search(record.comment) or any(s == "ELI" for _, s in codes):
        return "person"
    if record.dated and any(s is not None for _, s in codes):
        return "person"
    if sector in _ARMED_SECTORS or country == "IMG":
        return "armed group"
    if sector in _STATE_SECTORS and country not in INTERNATIONAL:
        return "government"
    return "organisation"


def _display(form: str) -> str:
    """A display name from a dictionary form: "VLADIMIR PUTIN" -> "Vladimir Putin", "UN" stays."""
    words = form.split()
    if len(words) == 1 and len(form) <= 5:
        return form
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        if i and lower in _SMALL_WORDS:
            out.append(lower)
        elif len(word) <= 3 and not re.search(r"[AEIOUY]", word):
            out.append(word)
        else:
            out.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(out)


def _slug(name: str) -> str:
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "actor"


def _unique(candidate: str, ids: set[str]) -> str:
    actor_id, n = candidate, 2
    while actor_id in ids:
        actor_id, n = f"{candidate}-{n}", n + 1
    ids.add(actor_id)
    return actor_id

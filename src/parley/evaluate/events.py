"""Score the PLOVER event coder against gold: per-type precision, recall and F1, macro-F1, and the
recall of the actors' country codes.

Two gold formats are read (the format is told by the first record's keys):

- the PLOVER gold standard records (``gsr-dev.jsonl``: ``text, event, mode, context, actor[],
  recipient[]``), one event per sentence, labelled in PLOVER 0.5b1; the old labels are mapped onto
  the current 16 types (DEMAND -> REQUEST, DISAPPROVE -> ACCUSE, INVESTIGATE -> ACCUSE,
  FIGHT -> ASSAULT);
- the PETRARCH unit-test records (``unittest-records.jsonl``: ``text, date, codings[{source, target,
  event}]``), CAMEO-coded; each code becomes a PLOVER type through CAMEO2PLOVER-2021. Their actors
  are fictional (Arnor, Gondor) and come with the ``PETR.Validate`` dictionaries, which replace the
  packaged actor base for the run.

Each sentence is coded as one article and read through :func:`parley.extract.events.primary_events`
(the events no other event of the sentence governs). Per type, a sentence whose gold holds the type
and whose primary events hold it is a true positive; a type predicted but not in the gold is a false
positive; a gold type not predicted a false negative. Macro-F1 averages the F1 of the types the gold
holds. Actor-code recall is the share of gold actors (as a multiset of country codes) found among
the codes of the primary events' actors; legacy CAMEO codes (JAP, ITL, VTN) are read as ISO codes
and every intergovernmental code (IGO, UNO, EUR, NATO) counts as IGO, since the 0.5b1 gold codes the
UN and the EU as IGO.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from spacy.language import Language

from parley import nlp as parley_nlp
from parley.errors import InputError, ParleyError
from parley.extract.actors import ActorRecognizer
from parley.extract.events import EventCoder, primary_events
from parley.knowledge.actors import ActorBase, tabari_actor_base
from parley.knowledge.cameo import (
    LEGACY_CODES,
    PloverCode,
    VerbRules,
    plover_of,
    read_cameo2plover,
    read_verbs,
    verb_rules_data,
)
from parley.model import Article, Event

GSR_LABELS: dict[str, str] = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
_IGO_CODES = frozenset({"IGO", "UNO", "EUR", "NATO"})


@dataclass(frozen=True)
class GoldSentence:
    """One gold sentence: its PLOVER types and the country codes of its actors and recipients."""

    id: str
    text: str
    types: frozenset[str]
    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    published: dt.date | None = None
    unmapped: bool = False


@dataclass(frozen=True)
class Coded:
    """What the coder made of one gold sentence: its primary events' types and codes."""

    id: str
    types: frozenset[str]
    actors: tuple[str, ...]
    recipients: tuple[str, ...]
    events: tuple[Event, ...]


def normalise_code(code: str | None) -> str | None:
    """Return a country code as the scorer compares it: ISO for legacy CAMEO codes, IGO for IGOs."""
    if not code:
        return None
    code = LEGACY_CODES.get(code.upper(), code.upper())
    return "IGO" if code in _IGO_CODES else code


def read_gold(path: Path, cameo2plover: Path | None = None) -> list[GoldSentence]:
    """Return the gold sentences of a PLOVER GSR or PETRARCH unit-test JSONL file.

    Args:
        path: the gold file.
        cameo2plover: CAMEO2PLOVER-2021.txt, needed for PETRARCH records; by default the file
            beside ``path``'s folder in the shared data (``../plover/CAMEO2PLOVER-2021.txt``).

    Raises:
        InputError: naming the file and line, when the file cannot be read, a line is not JSON
            or has neither format's keys, or PETRARCH records come without a CAMEO2PLOVER table.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(path, f"cannot read: {err}") from err
    records: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as err:
            raise InputError(path, f"not JSON: {err}", number) from err
        if not isinstance(record, dict) or "text" not in record:
            raise InputError(path, "expected an object with 'text'", number)
        records.append((number, record))
    if not records:
        raise InputError(path, "no gold records")
    if "codings" in records[0][1]:
        table_path = cameo2plover or _default_table(path)
        if not table_path.exists():
            raise InputError(path, f"PETRARCH records need CAMEO2PLOVER-2021.txt (looked at {table_path})")
        table = read_cameo2plover(table_path)
        return [_petrarch(path, number, r, table) for number, r in records]
    return [_gsr(path, number, r) for number, r in records]


def _gsr(path: Path, number: int, record: dict[str, Any]) -> GoldSentence:
    try:
        label = str(record["event"]).upper()
        return GoldSentence(
            id=str(record.get("id", number)),
            text=str(record["text"]),
            types=frozenset({GSR_LABELS.get(label, label)}),
            actors=tuple(c for a in record.get("actor") or [] if (c := normalise_code(a.get("code")))),
            recipients=tuple(
                c for a in record.get("recipient") or [] if (c := normalise_code(a.get("code")))
            ),
        )
    except (KeyError, AttributeError, TypeError) as err:
        raise InputError(path, f"not a PLOVER gold record: {err}", number) from err


def _petrarch(path: Path, number: int, record: dict[str, Any], table: dict[str, PloverCode]) -> GoldSentence:
    try:
        codings = record.get("codings") or []
        types, actors, recipients = set(), [], []
        unmapped = 0
        for coding in codings:
            plover = plover_of(str(coding["event"]), table)
            if plover is None:
                unmapped += 1
                continue
            types.add(plover.event)
            actors.append(normalise_code(str(coding.get("source") or "")[:3]))
            recipients.append(normalise_code(str(coding.get("target") or "")[:3]))
        date = str(record.get("date") or "")
        published = dt.date(int(date[:4]), int(date[4:6]), int(date[6:8])) if len(date) == 8 else None
        return GoldSentence(
            id=str(record.get("id", number)),
            text=str(record["text"]),
            types=frozenset(types),
            actors=tuple(c for c in actors if c and c != "---"),
            recipients=tuple(c for c in recipients if c and c != "---"),
            published=published,
            unmapped=bool(codings) and unmapped == len(codings),
        )
    except (KeyError, TypeError, ValueError) as err:
        raise InputError(path, f"not a PETRARCH unit-test record: {err}", number) from err


def code_sentences(gold: Sequence[GoldSentence], nlp: Language | None = None) -> list[Coded]:
    """Return the coder's reading of each gold sentence (each coded as its own article).

    Raises:
        ParleyError: when the spaCy model is not installed.
    """
    pipeline = nlp or parley_nlp.load()
    articles = [Article(id=g.id, text=g.text, published=g.published) for g in gold]
    coded = []
    for doc in parley_nlp.pipe(pipeline, articles, batch_size=64):
        events = primary_events(doc)
        coded.append(
            Coded(
                id=parley_nlp.article_of(doc).id,
                types=frozenset(e.type for e in events),
                actors=tuple(c for e in events for a in e.actors if (c := normalise_code(a.country))),
                recipients=tuple(c for e in events for r in e.recipients if (c := normalise_code(r.country))),
                events=tuple(events),
            )
        )
    return coded


def score(gold: Sequence[GoldSentence], coded: Sequence[Coded]) -> dict[str, Any]:
    """Return the scores of ``coded`` against ``gold`` (same order) as a JSON-ready mapping.

    Keys: ``sentences``, ``types`` (per type: precision, recall, f1, gold, predicted, true
    positives), ``macro_f1`` (over the types the gold holds), ``micro_f1``,
    ``actor_code_recall``, ``recipient_code_recall``, ``sentences_with_events``.

    Raises:
        ValueError: when the two sequences differ in length.
    """
    if len(gold) != len(coded):
        raise ValueError(f"{len(gold)} gold sentences but {len(coded)} coded ones")
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    actors_found = recipients_found = 0
    for g, c in zip(gold, coded, strict=True):
        for t in g.types | c.types:
            if t in g.types and t in c.types:
                tp[t] += 1
            elif t in c.types:
                fp[t] += 1
            else:
                fn[t] += 1
        actors_found += _found(g.actors, c.actors)
        recipients_found += _found(g.recipients, c.recipients)
    types = {}
    for t in sorted(set(tp) | set(fp) | set(fn)):
        p = _ratio(tp[t], tp[t] + fp[t])
        r = _ratio(tp[t], tp[t] + fn[t])
        types[t] = {
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(_f1(p, r), 4),
            "gold": tp[t] + fn[t],
            "predicted": tp[t] + fp[t],
            "true_positives": tp[t],
        }
    gold_types = [t for t in types if types[t]["gold"]]
    all_tp, all_fp, all_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    micro_p, micro_r = _ratio(all_tp, all_tp + all_fp), _ratio(all_tp, all_tp + all_fn)
    n_actors = sum(len(g.actors) for g in gold)
    n_recipients = sum(len(g.recipients) for g in gold)
    return {
        "sentences": len(gold),
        "sentences_with_events": sum(1 for c in coded if c.types),
        "macro_f1": round(sum(float(types[t]["f1"]) for t in gold_types) / len(gold_types), 4)
        if gold_types
        else 0.0,
        "micro_f1": round(_f1(micro_p, micro_r), 4),
        "actor_code_recall": round(_ratio(actors_found, n_actors), 4),
        "actor_codes": n_actors,
        "recipient_code_recall": round(_ratio(recipients_found, n_recipients), 4),
        "recipient_codes": n_recipients,
        "types": types,
    }


def _found(gold: tuple[str, ...], predicted: tuple[str, ...]) -> int:
    pool = Counter(predicted)
    found = 0
    for code in gold:
        if pool[code] > 0:
            pool[code] -= 1
            found += 1
    return found


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@contextmanager
def knowledge_swapped(nlp: Language, base: ActorBase | None, verbs: VerbRules | None) -> Iterator[None]:
    """Within the block, the pipeline's actor and event components resolve against ``base`` and
    code verbs with ``verbs`` (None keeps the packaged one); the packaged ones come back after."""
    recognizer = nlp.get_pipe("parley_actors")
    coder = nlp.get_pipe("parley_events")
    if not isinstance(recognizer, ActorRecognizer) or not isinstance(coder, EventCoder):
        raise ParleyError("the pipeline has no Parley actor and event components")
    before = (recognizer.base, coder.base, coder.rules)
    if base is not None:
        recognizer.use(base)
        coder.use(base)
    if verbs is not None:
        # The object rules of events.yaml supplement the packaged CAMEO dictionary; another verb
        # dictionary (PETRARCH's validation fixtures) is used alone.
        coder.rules = replace(coder.rules, verbs=verbs, object_rules=())
    try:
        yield
    finally:
        recognizer.use(before[0])
        coder.use(before[1])
        coder.rules = before[2]


def evaluate_events(
    gold_path: Path,
    *,
    cameo2plover: Path | None = None,
    actors: Sequence[Path] = (),
    agents: Sequence[Path] = (),
    verbs: Sequence[Path] = (),
    details: bool = False,
) -> dict[str, Any]:
    """Code every sentence of a gold file and return the scores (see :func:`score`).

    Args:
        gold_path: ``gsr-dev.jsonl`` or ``unittest-records.jsonl``.
        cameo2plover: the CAMEO -> PLOVER table for PETRARCH records (default: found beside).
        actors: TABARI actor dictionaries that replace the packaged actor base for the run; for
            PETRARCH records, ``PETR.Validate.actors.txt`` beside the gold file by default.
        agents: TABARI agent dictionaries to go with ``actors``.
        verbs: TABARI verb dictionaries (``PETR.Validate.verbs.txt``) that replace the packaged
            CAMEO verb dictionary for the run; their codes become PLOVER types through
            ``cameo2plover``.
        details: add a ``details`` list with each sentence's gold and coded types and codes.

    Raises:
        InputError: when the gold file is unreadable or malformed.
        ParleyError: when the spaCy model is not installed or a dictionary cannot be read.
    """
    every = read_gold(gold_path, cameo2plover)
    # A sentence CAMEO codes only with codes PLOVER has no type for (01 statements, 02 appeals,
    # 22x) says nothing about the PLOVER coder: it is left out and counted.
    gold = [g for g in every if not g.unmapped]
    is_petrarch = gold_path.name.startswith("unittest") or _looks_petrarch(gold_path)
    if is_petrarch and not actors:
        folder = gold_path.resolve().parent
        actors = [p for p in [folder / "PETR.Validate.actors.txt"] if p.exists()]
        agents = [p for p in [folder / "PETR.Validate.agents.txt"] if p.exists()]
    nlp = parley_nlp.load()
    base = tabari_actor_base(list(actors), list(agents)) if actors else None
    verb_rules = None
    if verbs:
        table = read_cameo2plover(cameo2plover or _default_table(gold_path))
        synsets = [s for path in verbs for s in read_verbs(path)]
        verb_rules = VerbRules(verb_rules_data(synsets, table), ", ".join(map(str, verbs)))
    with knowledge_swapped(nlp, base, verb_rules):
        coded = code_sentences(gold, nlp)
    result = score(gold, coded)
    result = {
        "gold": str(gold_path),
        "format": "petrarch" if is_petrarch else "plover-gsr",
        "actor_dictionaries": [str(p) for p in actors],
        "verb_dictionaries": [str(p) for p in verbs],
        "sentences_left_out": len(every) - len(gold),
        **result,
    }
    if details:
        result["details"] = [
            {
                "id": g.id,
                "gold": sorted(g.types),
                "coded": sorted(c.types),
                "gold_actors": list(g.actors),
                "coded_actors": list(c.actors),
                "triggers": [f"{e.type}:{e.trigger.text}" for e in c.events],
            }
            for g, c in zip(gold, coded, strict=True)
        ]
    return result


def _default_table(gold_path: Path) -> Path:
    """CAMEO2PLOVER-2021.txt where the shared data keeps it: ``../plover/`` beside the gold's folder."""
    return gold_path.resolve().parent.parent / "plover" / "CAMEO2PLOVER-2021.txt"


def _looks_petrarch(path: Path) -> bool:
    with path.open(encoding="utf-8") as handle:
        first = handle.readline()
    return '"codings"' in first

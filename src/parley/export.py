"""Exports people can load: statements, events, positions and shifts as JSONL, CSV or Parquet, and
events as PLOVER JSON and a POLECAT-style CSV.

Every table has a fixed list of columns (:data:`COLUMNS`), documented in ``docs/formats.md``; a
column is never renamed or removed without a new entry there. In JSONL a list stays a JSON array;
in CSV it is joined with ``"; "``; in Parquet it is a list of strings. Spans keep their character
offsets into the article text (``start``, ``end``), so every exported fact can be traced back.

- ``plover``: one JSON object per event with the field names of the PLOVER manual's "Data Fields"
  chapter (``id, date, actor[], recipient[], event[], mode[], context[], event_text[], quad_code,
  event_scale, text, text_info, cite_info, coder``) and Parley's additions under their own names
  (``modality``, ``conditions``, ``qualifiers``, ``cameo``). The auxiliary modes the manual asks the
  coder to put in the context (historical, future, hypothetical, negation) are added there from
  the modality.
- ``polecat``: one CSV row per event and actor-recipient pair (one row when it has no actor or no
  recipient) with the 40 columns of a POLECAT release in their order ("Event ID", "Event Date",
  "Event Type", "Event Mode", "Event Intensity", "Quad Code" as "VERBAL COOPERATION" etc., ...),
  then Parley's own columns (modality, conditions, qualifiers, evidence span).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from typing import IO, Any

from parley import __version__
from parley.errors import ParleyError
from parley.knowledge.lexicon import load_events
from parley.model import Article, Event, Participant, Position, Shift, Statement
from parley.store import Store

Row = dict[str, Any]


class What(StrEnum):
    """The tables an export can hold."""

    statements = "statements"
    events = "events"
    positions = "positions"
    shifts = "shifts"


class Format(StrEnum):
    """Export formats; ``plover`` and ``polecat`` are for events only."""

    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"
    plover = "plover"
    polecat = "polecat"


COLUMNS: dict[What, tuple[str, ...]] = {
    What.statements: (
        "id", "article_id", "published", "outlet", "url", "kind", "speaker_text", "speaker_actor",
        "speaker_country", "speaker_sector", "cue", "content", "venue", "venue_inferred", "said_on",
        "retrospective", "start", "end", "evidence",
    ),
    What.events: (
        "id", "article_id", "published", "outlet", "url", "type", "mode", "modality", "contexts",
        "cameo", "quad_class", "trigger", "trigger_start", "trigger_end", "actor_ids", "actor_texts",
        "actor_countries", "actor_sectors", "recipient_ids", "recipient_texts", "recipient_countries",
        "recipient_sectors", "conditions", "qualifiers", "statement_id", "start", "end", "evidence",
    ),
    What.positions: (
        "id", "article_id", "published", "actor", "issue", "stance", "summary", "as_of",
        "retrospective", "conditions", "qualifiers", "statements", "evidence",
    ),
    What.shifts: (
        "id", "actor", "issue", "severity", "direction", "before_id", "before_stance", "before_as_of",
        "before_evidence", "after_id", "after_stance", "after_as_of", "after_evidence",
    ),
}  # fmt: skip

# Columns that hold lists (arrays in JSONL, "; "-joined in CSV, list<string> in Parquet).
LIST_COLUMNS = frozenset(
    {
        "contexts", "actor_ids", "actor_texts", "actor_countries", "actor_sectors", "recipient_ids",
        "recipient_texts", "recipient_countries", "recipient_sectors", "conditions", "qualifiers",
        "statements", "evidence", "before_evidence", "after_evidence",
    }
)  # fmt: skip

# POLECAT's release columns, in release order (the monthly tab-separated files of the POLECAT dataset;
# releases before 2023 call "Event Intensity" "Intensity"). Parley leaves empty what it does not code
# (COW numbers, titles, Wikipedia ids, geolocation, story-level lists).
POLECAT_RELEASE_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title",
    "Actor Name Raw", "Wikipedia Actor ID",
    "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID",
    "Placename", "City", "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID",
    "Raw Placename", "Feature Type", "Source", "Publication Date", "Story People", "Story Organizations",
    "Story Locations", "Language", "Version",
)  # fmt: skip
# Parley's columns after POLECAT's: what POLECAT has no field for, and the evidence of each row.
POLECAT_COLUMNS: tuple[str, ...] = (
    *POLECAT_RELEASE_COLUMNS, "Actor ID", "Recipient ID", "Modality", "Conditions", "Qualifiers",
    "CAMEO Code", "Event Text", "Evidence", "Article ID", "Evidence Start", "Evidence End",
)  # fmt: skip

# PLOVER's quad categories (manual, each type's "Quad category") as numbers, as POLECAT codes them.
_QUADS = {"verbal cooperation": 1, "material cooperation": 2, "verbal conflict": 3, "material conflict": 4}
# PLOVER scores per event type (manual, "Numeric conflict/cooperation scores"). The manual's table
# prints ACCUSE as 3; all its ACCUSE modes are negative (-2 to -3.5), so -3 is taken as meant.
_SCALE = {
    "AGREE": 2.5, "CONSULT": 2.5, "SUPPORT": 5.0, "CONCEDE": 4.5, "COOPERATE": 9.5, "AID": 10.0,
    "RETREAT": 6.5, "REQUEST": 0.0, "ACCUSE": -3.0, "REJECT": -2.0, "THREATEN": -3.5, "PROTEST": -5.0,
    "SANCTION": -6.0, "MOBILIZE": -5.5, "COERCE": -7.0, "ASSAULT": -9.0,
}  # fmt: skip
# The manual's auxiliary modes, which it asks the coder to put in the context.
_AUXILIARY = {
    "historical": "historical",
    "intended": "future",
    "offered": "future",
    "hypothetical": "hypothetical",
    "conditional": "hypothetical",
    "negated": "negation",
}


class ExportError(ParleyError):
    """An export cannot be made as asked (PLOVER JSON of statements, Parquet without pyarrow)."""


def rows(store: Store, what: What) -> Iterator[Row]:
    """Yield the rows of one table of ``store`` with the columns of :data:`COLUMNS`, in store order."""
    articles = {a.id: a for a in store.articles()}
    if what is What.statements:
        for s in store.statements():
            yield _statement_row(s, articles.get(s.article_id))
    elif what is What.events:
        quads = _quads()
        for e in store.events():
            yield _event_row(e, articles.get(e.article_id), quads)
    elif what is What.positions:
        for p in store.positions():
            yield _position_row(p, articles.get(p.article_id))
    else:
        for sh in store.shifts():
            yield _shift_row(sh)


def export(store: Store, what: What, fmt: Format, out: IO[bytes]) -> int:
    """Write one table of ``store`` to ``out`` in ``fmt``; return how many records were written.

    Raises:
        ExportError: when ``fmt`` is ``plover`` or ``polecat`` and ``what`` is not events.
    """
    if fmt in (Format.plover, Format.polecat) and what is not What.events:
        raise ExportError(f"--format {fmt.value} exports events only, not {what.value}")
    if fmt is Format.plover:
        return _write_jsonl(plover_records(store), out)
    if fmt is Format.polecat:
        return _write_csv(polecat_rows(store), POLECAT_COLUMNS, out, lambda v: v)
    table = rows(store, what)
    if fmt is Format.jsonl:
        return _write_jsonl(table, out)
    if fmt is Format.csv:
        return _write_csv(table, COLUMNS[what], out, _csv_value)
    return _write_parquet(list(table), what, out)


def plover_records(store: Store) -> Iterator[Row]:
    """Yield each stored event as a PLOVER JSON object (manual, "Data Fields"), Parley's fields added."""
    articles = {a.id: a for a in store.articles()}
    quads = _quads()
    for event in store.events():
        yield plover_record(event, articles.get(event.article_id), quads)


def plover_record(event: Event, article: Article | None, quads: dict[str, int] | None = None) -> Row:
    """Return one event as a PLOVER JSON object.

    Entities are ``{code, sector, entity_text, identifier_id, identifier_text}`` (``identifier_id``
    is Parley's actor id: a Wikidata QID where the curated base has one is in ``wikidata_id``).
    ``context`` holds the event's contexts and the auxiliary mode of its modality.
    """
    quads = quads if quads is not None else _quads()
    context = list(event.contexts)
    auxiliary = _AUXILIARY.get(event.modality)
    if auxiliary and auxiliary not in context:
        context.append(auxiliary)
    published = article.published if article else None
    return {
        "id": event.id,
        "date": published.isoformat() if published else None,
        "actor": [_entity(p) for p in event.actors],
        "recipient": [_entity(p) for p in event.recipients],
        "event": [event.type],
        "mode": [event.mode] if event.mode else [],
        "context": context,
        "event_text": [event.trigger.text],
        "quad_code": quads.get(event.type),
        "event_scale": _SCALE.get(event.type),
        "text": event.evidence.text,
        "text_info": {"start": event.evidence.start, "end": event.evidence.end},
        "cite_info": {
            "article_id": event.article_id,
            "url": article.url if article else None,
            "outlet": article.outlet if article else None,
            "title": article.title if article else None,
        },
        "coder": f"parley {__version__}",
        "coded_date": dt.date.today().isoformat(),
        "modality": event.modality,
        "conditions": [_span(c) for c in event.conditions],
        "qualifiers": [
            {"label": q.label, "text": q.text, "start": q.start, "end": q.end} for q in event.qualifiers
        ],
        "cameo": event.cameo,
        "statement_id": event.statement_id,
        "trigger": _span(event.trigger),
    }


def polecat_rows(store: Store) -> Iterator[Row]:
    """Yield the POLECAT-style rows of the stored events: one per actor-recipient pair."""
    articles = {a.id: a for a in store.articles()}
    quad_names = {t: q.upper() for t, q in load_events().types.items() if q in _QUADS}
    for event in store.events():
        article = articles.get(event.article_id)
        actors: list[Participant | None] = list(event.actors) or [None]
        recipients: list[Participant | None] = list(event.recipients) or [None]
        published = article.published.isoformat() if article and article.published else None
        for actor in actors:
            for recipient in recipients:
                row: Row = dict.fromkeys(POLECAT_COLUMNS)
                row.update(
                    {
                        "Event ID": event.id,
                        "Event Date": published,
                        "Event Type": event.type.lower(),
                        "Event Mode": event.mode or "",
                        "Event Intensity": _SCALE.get(event.type),
                        "Quad Code": quad_names.get(event.type),
                        "Contexts": "; ".join(event.contexts),
                        **_polecat_party("Actor", actor),
                        **_polecat_party("Recipient", recipient),
                        "Source": article.outlet if article else None,
                        "Publication Date": published,
                        "Language": article.language if article else None,
                        "Version": f"parley {__version__}",
                        "Modality": event.modality,
                        "Conditions": "; ".join(c.text for c in event.conditions),
                        "Qualifiers": "; ".join(q.label for q in event.qualifiers),
                        "CAMEO Code": event.cameo,
                        "Event Text": event.trigger.text,
                        "Evidence": event.evidence.text,
                        "Article ID": event.article_id,
                        "Evidence Start": event.evidence.start,
                        "Evidence End": event.evidence.end,
                    }
                )
                yield row


def _polecat_party(role: str, party: Participant | None) -> Row:
    primary = "Primary Actor Sector" if role == "Actor" else "Primary Recipient Sector"
    if party is None:
        return {}
    return {
        f"{role} Name": party.id or party.text,
        f"{role} Country": party.country,
        primary: party.sector,
        f"{role} Sectors": party.sector,
        f"{role} Name Raw": party.text,
        f"{role} ID": party.id,
    }


def _entity(p: Participant) -> Row:
    return {
        "code": p.country,
        "sector": p.sector,
        "entity_text": p.text,
        "identifier_id": p.id,
        "identifier_text": p.id,
        "start": p.start,
        "end": p.end,
    }


def _span(span: Any) -> Row:
    return {"text": span.text, "start": span.start, "end": span.end}


def _quads() -> dict[str, int]:
    return {t: _QUADS[q] for t, q in load_events().types.items() if q in _QUADS}


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _source(article: Article | None) -> Row:
    """The article columns of a statement or event row: ``published``, ``outlet``, ``url``."""
    if article is None:
        return {"published": None, "outlet": None, "url": None}
    return {"published": _iso(article.published), "outlet": article.outlet, "url": article.url}


def _statement_row(s: Statement, article: Article | None) -> Row:
    speaker = s.speaker
    return {
        "id": s.id,
        "article_id": s.article_id,
        **_source(article),
        "kind": s.kind,
        "speaker_text": speaker.text if speaker else None,
        "speaker_actor": speaker.actor if speaker else None,
        "speaker_country": speaker.country if speaker else None,
        "speaker_sector": speaker.sector if speaker else None,
        "cue": s.cue.text if s.cue else None,
        "content": s.text,
        "venue": s.venue.text if s.venue else None,
        "venue_inferred": s.venue_inferred,
        "said_on": _iso(s.said_on),
        "retrospective": s.retrospective,
        "start": s.evidence.start,
        "end": s.evidence.end,
        "evidence": [s.evidence.text],
    }


def _event_row(e: Event, article: Article | None, quads: dict[str, int]) -> Row:
    return {
        "id": e.id,
        "article_id": e.article_id,
        **_source(article),
        "type": e.type,
        "mode": e.mode,
        "modality": e.modality,
        "contexts": list(e.contexts),
        "cameo": e.cameo,
        "quad_class": quads.get(e.type),
        "trigger": e.trigger.text,
        "trigger_start": e.trigger.start,
        "trigger_end": e.trigger.end,
        "actor_ids": [a.id or "" for a in e.actors],
        "actor_texts": [a.text for a in e.actors],
        "actor_countries": [a.country or "" for a in e.actors],
        "actor_sectors": [a.sector or "" for a in e.actors],
        "recipient_ids": [r.id or "" for r in e.recipients],
        "recipient_texts": [r.text for r in e.recipients],
        "recipient_countries": [r.country or "" for r in e.recipients],
        "recipient_sectors": [r.sector or "" for r in e.recipients],
        "conditions": [c.text for c in e.conditions],
        "qualifiers": [q.label for q in e.qualifiers],
        "statement_id": e.statement_id,
        "start": e.evidence.start,
        "end": e.evidence.end,
        "evidence": [e.evidence.text],
    }


def _position_row(p: Position, article: Article | None) -> Row:
    return {
        "id": p.id,
        "article_id": p.article_id,
        "published": _iso(article.published) if article else None,
        "actor": p.actor,
        "issue": p.issue,
        "stance": p.stance,
        "summary": p.summary,
        "as_of": _iso(p.as_of),
        "retrospective": p.retrospective,
        "conditions": [c.text for c in p.conditions],
        "qualifiers": [q.label for q in p.qualifiers],
        "statements": list(p.statements),
        "evidence": [e.text for e in p.evidence],
    }


def _shift_row(sh: Shift) -> Row:
    return {
        "id": sh.id,
        "actor": sh.actor,
        "issue": sh.issue,
        "severity": sh.severity,
        "direction": sh.direction,
        "before_id": sh.before.id,
        "before_stance": sh.before.stance,
        "before_as_of": _iso(sh.before.as_of),
        "before_evidence": [e.text for e in sh.before.evidence],
        "after_id": sh.after.id,
        "after_stance": sh.after.stance,
        "after_as_of": _iso(sh.after.as_of),
        "after_evidence": [e.text for e in sh.after.evidence],
    }


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _write_jsonl(records: Iterable[Row], out: IO[bytes]) -> int:
    count = 0
    for record in records:
        out.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        count += 1
    return count


def _write_csv(
    records: Iterable[Row], columns: tuple[str, ...], out: IO[bytes], convert: Callable[[Any], Any]
) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.DictWriter(text, fieldnames=list(columns), extrasaction="raise")
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow({k: convert(v) for k, v in record.items()})
        count += 1
    text.flush()
    text.detach()
    return count


def _write_parquet(records: list[Row], what: What, out: IO[bytes]) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:  # pragma: no cover - pyarrow is a declared dependency
        raise ExportError("Parquet export needs pyarrow: pip install pyarrow") from err
    columns = COLUMNS[what]
    fields = []
    for name in columns:
        values = [r.get(name) for r in records]
        fields.append(pa.field(name, _arrow_type(name, values, pa)))
    table = pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in records], schema=pa.schema(fields))
    pq.write_table(table, out)
    return len(records)


def _arrow_type(name: str, values: list[Any], pa: Any) -> Any:
    if name in LIST_COLUMNS:
        return pa.list_(pa.string())
    if name in ("start", "end", "trigger_start", "trigger_end", "quad_class"):
        return pa.int64()
    if name in ("retrospective", "venue_inferred"):
        return pa.bool_()
    return pa.string()

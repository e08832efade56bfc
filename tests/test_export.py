"""Exports of a store built from the seed article: stable columns, PLOVER JSON, POLECAT-style CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from parley.cli import app
from parley.export import COLUMNS, POLECAT_COLUMNS, ExportError, Format, What, export
from parley.model import Article
from parley.pipeline import analyze
from parley.store import Store, open_store

SEED = Path(__file__).parents[1] / "examples" / "zelenskyy-ceasefire-territory.txt"
PUBLISHED = dt.date(2025, 3, 3)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "seed.db"
    article = Article(id="seed", text=SEED.read_text(encoding="utf-8"), outlet="example", published=PUBLISHED)
    with open_store(path) as store:
        store.save([analyze(article)])
    return path


@pytest.fixture()
def store(db: Path) -> Store:
    return open_store(db)


def _export(store: Store, what: What, fmt: Format) -> bytes:
    out = io.BytesIO()
    with store:
        export(store, what, fmt, out)
    return out.getvalue()


@pytest.mark.parametrize("what", list(What))
def test_csv_header_is_the_documented_columns(store: Store, what: What) -> None:
    header = next(csv.reader(io.StringIO(_export(store, what, Format.csv).decode("utf-8"))))
    assert tuple(header) == COLUMNS[what]


@pytest.mark.parametrize("what", list(What))
def test_jsonl_rows_have_the_documented_columns(store: Store, what: What) -> None:
    lines = _export(store, what, Format.jsonl).decode("utf-8").splitlines()
    assert lines and all(tuple(json.loads(line)) == COLUMNS[what] for line in lines)


@pytest.mark.parametrize("what", list(What))
def test_parquet_has_the_documented_columns_and_every_row(store: Store, db: Path, what: What) -> None:
    table = pq.read_table(io.BytesIO(_export(store, what, Format.parquet)))
    with open_store(db) as again:
        expected = again.counts()[what.value]
    assert (tuple(table.column_names), table.num_rows) == (COLUMNS[what], expected)


def test_event_rows_keep_spans_that_slice_the_article(store: Store) -> None:
    text = SEED.read_text(encoding="utf-8")
    rows = [
        json.loads(line) for line in _export(store, What.events, Format.jsonl).decode("utf-8").splitlines()
    ]
    assert all(text[r["trigger_start"] : r["trigger_end"]] == r["trigger"] for r in rows)
    assert all(text[r["start"] : r["end"]] == r["evidence"][0] for r in rows)


def test_csv_joins_lists(store: Store) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(store, What.events, Format.csv).decode("utf-8"))))
    (concession,) = [r for r in rows if r["type"] == "CONCEDE" and r["modality"] == "conditional"]
    assert (concession["conditions"], concession["qualifiers"]) == (
        "under the protection of NATO forces",
        "temporary",
    )


def _plover(store: Store) -> list[dict[str, object]]:
    return [
        json.loads(line) for line in _export(store, What.events, Format.plover).decode("utf-8").splitlines()
    ]


def test_plover_records_have_the_manuals_fields(store: Store) -> None:
    fields = {"id", "date", "actor", "recipient", "event", "mode", "context", "event_text", "quad_code",
              "event_scale", "text", "text_info", "cite_info", "coder"}  # fmt: skip
    records = _plover(store)
    assert records and all(fields <= set(r) for r in records)
    assert {r["date"] for r in records} == {"2025-03-03"}


def test_plover_concession_carries_condition_and_auxiliary_mode(store: Store) -> None:
    (concession,) = [
        r for r in _plover(store) if r["event"] == ["CONCEDE"] and r["modality"] == "conditional"
    ]
    assert concession["conditions"] == [
        {"text": "under the protection of NATO forces", "start": 768, "end": 803}
    ]
    assert "hypothetical" in concession["context"]  # type: ignore[operator]
    assert concession["quad_code"] == 1
    assert concession["recipient"] == [  # type: ignore[comparison-overlap]
        {"code": "RUS", "sector": None, "entity_text": "Russian", "identifier_id": "rus",
         "identifier_text": "rus", "start": 710, "end": 717}
    ]  # fmt: skip


def test_plover_earlier_refusal_is_historical(store: Store) -> None:
    (refusal,) = [r for r in _plover(store) if r["event"] == ["REJECT"]]
    assert (refusal["event_text"], refusal["context"][-1]) == (["back down"], "historical")  # type: ignore[index]


def test_polecat_rows_have_polecat_headings(store: Store) -> None:
    reader = csv.DictReader(io.StringIO(_export(store, What.events, Format.polecat).decode("utf-8")))
    assert tuple(reader.fieldnames or ()) == POLECAT_COLUMNS
    rows = list(reader)
    (concession,) = [r for r in rows if r["Event Type"] == "concede" and r["Modality"] == "conditional"]
    assert (concession["Recipient Country"], concession["Event Intensity"], concession["Quad Code"]) == (
        "RUS",
        "4.5",
        "VERBAL COOPERATION",
    )


def test_polecat_columns_begin_with_a_release_header_in_release_order(store: Store) -> None:
    # The header of a POLECAT monthly release file, tab-separated as released.
    header = (
        "Event ID\tEvent Date\tEvent Type\tEvent Mode\tEvent Intensity\tQuad Code\tContexts\tActor Name\t"
        "Actor Country\tActor COW\tPrimary Actor Sector\tActor Sectors\tActor Title\tActor Name Raw\t"
        "Wikipedia Actor ID\tRecipient Name\tRecipient Country\tRecipient COW\tPrimary Recipient Sector\t"
        "Recipient Sectors\tRecipient Title\tRecipient Name Raw\tWikipedia Recipient ID\tPlacename\tCity\t"
        "District\tProvince\tCountry\tLatitude\tLongitude\tGeoNames ID\tRaw Placename\tFeature Type\t"
        "Source\tPublication Date\tStory People\tStory Organizations\tStory Locations\tLanguage\tVersion"
    )
    release = header.split("\t")
    reader = csv.DictReader(io.StringIO(_export(store, What.events, Format.polecat).decode("utf-8")))
    assert list(reader.fieldnames or ())[: len(release)] == release
    assert {r["Quad Code"] for r in reader} <= {
        "VERBAL COOPERATION", "MATERIAL COOPERATION", "VERBAL CONFLICT", "MATERIAL CONFLICT"
    }  # fmt: skip


def test_polecat_gives_a_row_per_actor_and_recipient(store: Store, db: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(store, What.events, Format.polecat).decode("utf-8"))))
    with open_store(db) as again:
        events = again.events()
    expected = sum(max(1, len(e.actors)) * max(1, len(e.recipients)) for e in events)
    assert len(rows) == expected


@pytest.mark.parametrize("fmt", [Format.plover, Format.polecat])
def test_plover_and_polecat_are_for_events_only(store: Store, fmt: Format) -> None:
    with pytest.raises(ExportError, match=f"--format {fmt.value} exports events only"):
        _export(store, What.statements, fmt)


def test_datasette_detects_the_statements_full_text_index(db: Path) -> None:
    # The query Datasette runs to find a table's FTS index (datasette.utils.detect_fts).
    detect = (
        "select name from sqlite_master where rootpage = 0 and ("
        " sql like '%VIRTUAL TABLE%USING FTS%content=\"statements\"%'"
        " or sql like '%VIRTUAL TABLE%USING FTS%content=[statements]%'"
        " or (tbl_name = 'statements' and sql like '%VIRTUAL TABLE%USING FTS%'))"
    )
    with sqlite3.connect(db) as conn:
        assert conn.execute(detect).fetchall() == [("statements_fts",)]
        hits = conn.execute(
            "select s.speaker_actor from statements_fts join statements s on s.pk = statements_fts.rowid"
            " where statements_fts match 'territory' order by s.pk"
        ).fetchall()
    assert hits == [("zelenskyy",)] * 4


def test_cli_exports_to_a_file(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    result = CliRunner().invoke(
        app, ["export", "--db", str(db), "--what", "events", "--format", "plover", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        assert len(out.read_text(encoding="utf-8").splitlines()) == store.counts()["events"]
    assert "exported" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--what", "speeches"], "--what must be one of"),
        (["--what", "statements", "--format", "plover"], "exports events only"),
    ],
)
def test_cli_refuses_what_it_cannot_export(db: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["export", "--db", str(db), *args])
    assert result.exit_code == 2
    assert message in result.stderr


def test_cli_refuses_a_missing_database(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["export", "--db", str(tmp_path / "absent.db")])
    assert (result.exit_code, "no such database" in result.stderr) == (2, True)

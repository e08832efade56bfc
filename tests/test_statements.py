"""Attribution constructions on real sentences (president.gov.ua ids in comments) and the seed style."""

from __future__ import annotations

import datetime as dt

import pytest

from parley.model import Article, Statement
from parley.pipeline import process_batch

ON = dt.date(2021, 11, 5)  # the releases' dates: Zelenskyy is President of Ukraine


def _statements(text: str, published: dt.date | None = ON) -> list[Statement]:
    article = Article(id="t", text=text, published=published, outlet="president.gov.ua")
    (analysis,) = process_batch([article])
    for s in analysis.statements:
        for part in s.content:
            assert text[part.start : part.end] == part.text
    return list(analysis.statements)


def _only(text: str) -> Statement:
    (statement,) = _statements(text)
    return statement


@pytest.mark.parametrize(
    ("text", "speaker", "actor", "content"),
    [
        # 9dc7d95425eca883: speaker after the quote, inverted
        (
            '"One of our main common tasks is to intensify trade and economic cooperation," said '
            "Volodymyr Zelenskyy.",
            "Volodymyr Zelenskyy",
            "zelenskyy",
            "One of our main common tasks is to intensify trade and economic cooperation",
        ),
        # 68316d69237d8e50: speaker after the quote
        (
            '"This is in the interests of Europe\'s energy security in general," Volodymyr Zelenskyy '
            "stressed.",
            "Volodymyr Zelenskyy",
            "zelenskyy",
            "This is in the interests of Europe's energy security in general",
        ),
        # 7708fa2aaa0649c7: role noun with no earlier mention -> the outlet country's office holder
        (
            '"We expect that Greece will actively join the work of the Crimea Platform," the President said.',
            "the President",
            "zelenskyy",
            "We expect that Greece will actively join the work of the Crimea Platform",
        ),
        # 04fb827a28f7f104: a deputy foreign minister the actor base does not know by that role
        (
            '"We appreciate the close political cooperation with the Swiss side," Andriy Sybiha said.',
            "Andriy Sybiha",
            "sybiha",
            "We appreciate the close political cooperation with the Swiss side",
        ),
    ],
)
def test_direct_quote_speaker(text: str, speaker: str, actor: str, content: str) -> None:
    statement = _only(text)
    assert statement.kind == "direct"
    assert statement.speaker is not None
    assert (statement.speaker.text, statement.speaker.actor) == (speaker, actor)
    assert statement.text == content


def test_participle_cue_takes_the_subject_of_its_verb() -> None:
    # 5336c83fadb420c4
    text = (
        '"This is a strategic weapon in the hands of the Russian Federation," Volodymyr Zelenskyy said, '
        "adding that effectively countering such pressure requires the unity of the EU and partners."
    )
    direct, added = _statements(text)
    assert direct.kind == "direct" and added.kind == "indirect"
    assert added.cue is not None and added.cue.text == "adding"
    assert added.speaker is not None and added.speaker.actor == "zelenskyy"
    assert added.text == ("effectively countering such pressure requires the unity of the EU and partners")


def test_quote_split_by_he_said_is_one_statement() -> None:
    text = (
        "Volodymyr Zelenskyy addressed the Swiss minister. “We are very much looking forward to the "
        "Conference on Reforms in Ukraine,” he said, “which will take place next year in Ticino.”"
    )
    statement = _only(text)
    assert [p.text for p in statement.content] == [
        "We are very much looking forward to the Conference on Reforms in Ukraine",
        "which will take place next year in Ticino.",
    ]
    assert statement.speaker is not None and statement.speaker.actor == "zelenskyy"


def test_colon_introduced_quote() -> None:
    # d8b31b61d1b71096
    text = 'At the premiere he stood up and said: "Everyone who opposes arrests, stand up."'
    statement = _only(text)
    assert statement.kind == "direct"
    assert statement.text == "Everyone who opposes arrests, stand up."


def test_quote_continued_in_next_sentence_keeps_the_speaker() -> None:
    text = (
        "“We will not give up our land,” Zelenskyy said. “We will fight for every meter of it, "
        "and we will win.”"
    )
    first, second = _statements(text)
    assert second.kind == "direct" and second.cue is None
    assert second.speaker == first.speaker


@pytest.mark.parametrize(
    ("text", "venue"),
    [
        ("Speaking to The Telegraph, Zelenskyy stated that Ukraine was ready to negotiate.", "The Telegraph"),
        ("In an interview with Sky News, Zelenskyy said that the war must end.", "Sky News"),
        ("Zelenskyy told CNN that Ukraine would never recognise the annexation.", "CNN"),
        ("Zelenskyy said at a press conference in Kyiv that talks would resume.", "a press conference"),
    ],
)
def test_venue(text: str, venue: str) -> None:
    statement = _only(text)
    assert statement.venue is not None and statement.venue.text == venue


def test_according_to_names_the_speaker() -> None:
    statement = _only("According to Dmitry Peskov, the talks with Kyiv have stalled.")
    assert statement.speaker is not None and statement.speaker.actor == "peskov"
    assert statement.text == "the talks with Kyiv have stalled"


@pytest.mark.parametrize(
    "text",
    [
        "Again, this is proceeding according to plan.",  # kremlin.ru: "according to plan" is no speaker
        "The coming months may reveal whether this shift will lead to peace negotiations.",
    ],
)
def test_no_statement_without_a_speaker(text: str) -> None:
    assert _statements(text) == []


def test_retrospective_past_perfect() -> None:
    statement = _only("Previously, Zelenskyy had insisted that Ukraine would never give up Crimea.")
    assert statement.retrospective
    assert statement.said_on is None


def test_pronoun_resolves_to_the_latest_subject() -> None:
    text = (
        "Vladimir Putin met Alexander Lukashenko in Moscow on Friday.\n\n"
        "He said that the sanctions had failed."
    )
    statement = _only(text)
    assert statement.speaker is not None and statement.speaker.actor == "putin"

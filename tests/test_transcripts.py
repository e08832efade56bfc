"""Transcripts with speaker labels (kremlin.ru, CC BY 4.0; the article id is in each comment).

Each turn is a direct statement of its labelled speaker, resolved to the actor; "I" and "we" inside a
turn are that speaker; the speaker's performatives ("I would like to note that") are not reports.
"""

from __future__ import annotations

import datetime as dt

import pytest

from parley import nlp as parley_nlp
from parley.extract.quotes import find_turn_labels
from parley.model import Article, Statement

ON = dt.date(2021, 12, 1)
CONNECTORS = frozenset({"of", "the", "and", "for"})

# 81c781015168d799 (joint news conference with the Prime Minister of Greece), excerpt
GREECE = (
    "Thank you. Question(retranslated): Russia is a permanent member of the UN Security Council. How do "
    "you assess the situation in the Aegean Sea region? Vladimir Putin: The Prime Minister has just said "
    "that we discussed this matter in detail. I would like to note that Russia is seeking a dialogue. "
    "Kyriakos Mitsotakis: I had the opportunity to inform the President about the state of the "
    "Greek-Turkish dialogue."
)
# a46730f261f330bd (meeting with the head of Rosfinmonitoring), excerpt with a garbled label
ROSFIN = (
    "First, I would like to congratulate you and your staff on this occasion. Head of the Federal Service "
    "for Financial Monitoring Yury Chikhanchin Chikhanchin YuryHead of the Federal Service for Financial "
    "Monitoring: Thank you very much. Vladimir Putin: And, of course, we will talk about current issues."
)


def _statements(text: str) -> list[Statement]:
    article = Article(id="k", text=text, published=ON, outlet="kremlin.ru")
    nlp = parley_nlp.load()
    later = [n for n in nlp.pipe_names if n in ("parley_events", "parley_positions")]
    (doc,) = parley_nlp.pipe(nlp, [article], disable=later)
    return list(doc._.parley_statements)


def _turns(text: str) -> list[Statement]:
    return [s for s in _statements(text) if s.cue is not None and s.cue.text == ":"]


@pytest.fixture(scope="module")
def greece() -> list[Statement]:
    return _statements(GREECE)


def test_each_turn_is_a_direct_statement_of_its_label(greece: list[Statement]) -> None:
    turns = [s for s in greece if s.cue is not None and s.cue.text == ":"]
    assert [(s.kind, s.speaker.text if s.speaker else None) for s in turns] == [
        ("direct", "Question"),
        ("direct", "Vladimir Putin"),
        ("direct", "Kyriakos Mitsotakis"),
    ]


def test_a_turn_runs_to_the_next_label(greece: list[Statement]) -> None:
    putin = next(s for s in greece if s.speaker is not None and s.speaker.text == "Vladimir Putin")
    assert putin.text == (
        "The Prime Minister has just said that we discussed this matter in detail. I would like to note "
        "that Russia is seeking a dialogue."
    )


def test_labels_resolve_to_actors(greece: list[Statement]) -> None:
    speakers = {s.speaker.text: s.speaker.actor for s in greece if s.speaker is not None}
    assert speakers["Vladimir Putin"] == "putin"
    assert speakers["Question"] is None


def test_a_report_inside_a_turn_is_its_own_statement(greece: list[Statement]) -> None:
    (nested,) = [s for s in greece if s.cue is not None and s.cue.text == "said"]
    assert nested.speaker is not None and nested.speaker.text == "The Prime Minister"
    assert nested.text == "we discussed this matter in detail"


def test_the_speakers_performative_is_not_a_report(greece: list[Statement]) -> None:
    assert not [s for s in greece if s.cue is not None and s.cue.text == "note"]


def test_first_person_report_in_a_turn_is_the_turns_speaker() -> None:
    # 2e165eaee4f644ce
    text = (
        "We are ready to instantly fulfil your instructions. Vladimir Putin: I told the Prime Minister "
        "that we have a very difficult situation in Russia today."
    )
    (told,) = [s for s in _statements(text) if s.cue is not None and s.cue.text == "told"]
    assert told.speaker is not None and (told.speaker.text, told.speaker.actor) == ("I", "putin")
    assert told.text == "we have a very difficult situation in Russia today"


def test_garbled_label_keeps_the_well_formed_title_and_name() -> None:
    chikhanchin, putin = _turns(ROSFIN)
    assert chikhanchin.speaker is not None
    assert chikhanchin.speaker.text == "Head of the Federal Service for Financial Monitoring Yury Chikhanchin"
    assert chikhanchin.text == "Thank you very much."
    assert putin.speaker is not None and putin.speaker.actor == "putin"


def test_label_with_title_resolves_to_the_person() -> None:
    # 438a17787b1d6aed (annual news conference), excerpt
    text = (
        "President of Russia Vladimir Putin: Good afternoon, colleagues. Mr Peskov, please. Deputy Chief "
        "of Staff of the Presidential Executive Office– Presidential Press Secretary Dmitry Peskov: Let "
        "us begin."
    )
    putin, peskov = _turns(text)
    assert (putin.speaker.text, putin.speaker.actor) == ("President of Russia Vladimir Putin", "putin")  # type: ignore[union-attr]
    assert peskov.speaker is not None and peskov.speaker.actor == "peskov"
    assert peskov.text == "Let us begin."


@pytest.mark.parametrize(
    ("text", "labels"),
    [
        # 02ec230c691a66cd: a document introducing a quote is no speaker label
        ('The message reads, in part:"You won the first gold medals for our team."', []),
        # a name after a lowercase word is no label
        ("The decree was signed by Vladimir Putin: it enters into force today.", []),
        # 799b10273a5f11c7 (president.gov.ua): the title of a forum in quotation marks
        ('during a speech at the "Large Construction: A New Railway" Forum.', []),
        # 3ddcd9f62686a9b3: a label after a section break
        (
            "* * * President of Russia Vladimir Putin: Your Majesty, colleagues.",
            ["President of Russia Vladimir Putin"],
        ),
        # 2c6813ce71ce706e: a label with the translator's note
        ("Thank you. Question(retranslated): Mr President, a question.", ["Question"]),
        # 1c22b04b: a turn that opens with an ellipsis (the speaker was interrupted)
        ("Thank you. Alexander Lukashenko:…but they do not need it, do you see?", ["Alexander Lukashenko"]),
    ],
)
def test_turn_labels(text: str, labels: list[str]) -> None:
    found = find_turn_labels(text, CONNECTORS)
    assert [text[t.label[0] : t.label[1]] for t in found] == labels


def test_section_break_ends_a_turn() -> None:
    # 3ddcd9f62686a9b3-style: narration after "* * *" belongs to no turn
    text = (
        "Vladimir Putin: We are ready to exchange experience with interested countries. * * * The "
        "participants approved a package of documents."
    )
    (turn,) = _turns(text)
    assert turn.text == "We are ready to exchange experience with interested countries."


def test_document_quote_is_attributed_to_its_author() -> None:
    # 02ec230c691a66cd: "The message reads" after Putin's greetings
    text = (
        'Vladimir Putin congratulated Dina Averina on winning gold. The message reads, in part:"You won the '
        'first gold medals for our team, with convincing victories in the hoop and ball events."'
    )
    statement = _statements(text)[-1]
    assert statement.kind == "direct"
    assert statement.speaker is not None
    assert (statement.speaker.text, statement.speaker.actor) == ("The message", "putin")


def test_label_without_a_full_stop_before_it_is_found_by_its_name() -> None:
    # 438a17787b1d6aed: "Thank you Vladimir Putin:" after a label seen at a sentence boundary
    text = (
        "Vladimir Putin: Sky News, please. Diana Magnay: Thank you for taking my question. What does the "
        "West not understand? Thank you Vladimir Putin: Regarding your question about guarantees, our "
        "actions will not depend on the negotiation process."
    )
    _, magnay, again = _turns(text)
    assert magnay.text == "Thank you for taking my question. What does the West not understand? Thank you"
    assert again.speaker is not None and again.speaker.actor == "putin"
    assert again.text.startswith("Regarding your question")

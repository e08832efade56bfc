"""Quotation marks of every style, paired or not, on real sentences."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parley.extract.quotes import find_quotes, find_turn_labels


def _contents(text: str) -> list[list[str]]:
    return [[text[s:e] for s, e in q.parts] for q in find_quotes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # president.gov.ua 9dc7d95425eca883, straight marks
        (
            '"One of our main common tasks is to intensify trade and economic cooperation," said '
            "Volodymyr Zelenskyy.",
            [["One of our main common tasks is to intensify trade and economic cooperation"]],
        ),
        # the seed article, curly marks
        (
            "Zelenskyy stated, “I am willing to give up Ukrainian territory to Russia to achieve peace,”",
            [["I am willing to give up Ukrainian territory to Russia to achieve peace"]],
        ),
        ("«Мы готовы», сказал он.", [["Мы готовы"]]),
        ("„Wir sind bereit“, sagte er.", [["Wir sind bereit"]]),
        ("He called it a ‘special military operation’ on Kyiv’s streets.", [["special military operation"]]),
        ("Kyiv's mayor said the city's defences held.", []),
        # a quote split by "he said": two stretches
        (
            "“We will not give up,” he said, “and we will fight.”",
            [["We will not give up"], ["and we will fight."]],
        ),
        # nested straight quotes with the outer quote's own mark (president.gov.ua 051543990bc3e98e)
        (
            '"I believe that today Russia is "paving" Ukraine\'s difficult way to NATO," the President said.',
            [['I believe that today Russia is "paving" Ukraine\'s difficult way to NATO']],
        ),
        # a closing mark whose opening mark the source lost (president.gov.ua c9082f5633a77aa9)
        (
            'We do not discuss it at all. For me, these are completely incomprehensible things," '
            "the President said.",
            [["For me, these are completely incomprehensible things"]],
        ),
        # glued to the word before, as kremlin.ru writes them (81c781015168d799)
        ('You spoke about"red lines" and instructed your teams.', [["red lines"]]),
        # nested quotes stay inside the outer one (president.gov.ua 4e3fa8b40204d45a)
        (
            "“The liberation of Kyiv is a story of the ‘great’ leaders,” the President said.",
            [["The liberation of Kyiv is a story of the ‘great’ leaders"]],
        ),
    ],
)
def test_quote_styles(text: str, expected: list[list[str]]) -> None:
    assert _contents(text) == expected


def test_quote_continued_across_paragraphs() -> None:
    text = "He said: “We will not give up our land.\n\n“We will fight for every meter of it,” he added."
    (quote,) = find_quotes(text)
    assert [text[s:e] for s, e in quote.parts] == [
        "We will not give up our land.",
        "We will fight for every meter of it",
    ]
    assert quote.closed


def test_unclosed_quote_ends_at_its_paragraph() -> None:
    text = "He said: “We will not give up our land.\n\nThe talks resumed on Monday."
    (quote,) = find_quotes(text)
    assert [text[s:e] for s, e in quote.parts] == ["We will not give up our land."]
    assert not quote.closed


def test_stray_closing_mark_does_not_swallow_the_article() -> None:
    # president.gov.ua 088552d6faadccfc opens mid-quote: the sentence before it closes a quote.
    text = 'the TCG," said the President\'s Press Secretary. "The next round is in Minsk," he added.'
    assert _contents(text)[-1] == ["The next round is in Minsk"]


PIECES = [*"ab .,:\n\"'“”‘’«»„", "Vladimir Putin: ", "Question: "]


@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join))
def test_any_text_gives_ordered_spans_inside_it(text: str) -> None:
    # Unbalanced marks of any style never raise and never give a span outside the text.
    spans = [part for q in find_quotes(text) for part in q.parts]
    assert all(0 <= s <= e <= len(text) for s, e in spans)
    labels = find_turn_labels(text, {"of"})
    assert all(0 <= t.label[0] < t.label[1] <= t.colon < len(text) for t in labels)

"""Attribution constructions on real sentences.

Sentences come from president.gov.ua and kremlin.ru (CC BY 4.0; the article id is in the comment), the
seed article, and the PLOVER gold standard records (CC BY-SA 4.0, ``tests/fixtures/plover-attribution.jsonl``;
see ``tests/fixtures/README.md``) for news constructions the official sites do not use.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from parley import nlp as parley_nlp
from parley.model import Article, Statement

ON = dt.date(2021, 11, 5)  # the releases' dates: Zelenskyy is President of Ukraine
PLOVER = {
    record["id"]: record["text"]
    for record in map(
        json.loads,
        (Path(__file__).parent / "fixtures" / "plover-attribution.jsonl").read_text("utf-8").splitlines(),
    )
}


def _statements(
    text: str, published: dt.date | None = ON, outlet: str = "president.gov.ua"
) -> list[Statement]:
    article = Article(id="t", text=text, published=published, outlet=outlet)
    nlp = parley_nlp.load()
    later = [n for n in nlp.pipe_names if n in ("parley_events", "parley_positions")]
    (doc,) = parley_nlp.pipe(nlp, [article], disable=later)
    statements: list[Statement] = doc._.parley_statements
    for s in statements:
        for span in (*s.content, s.evidence, s.speaker, s.cue):
            assert span is None or text[span.start : span.end] == span.text
    return statements


def _only(text: str, **kwargs: object) -> Statement:
    (statement,) = _statements(text, **kwargs)  # type: ignore[arg-type]
    return statement


def _shape(statement: Statement) -> tuple[str, str | None, str]:
    """Kind, speaker words and content words of a statement."""
    return statement.kind, statement.speaker.text if statement.speaker else None, statement.text


def _speaker(statement: Statement) -> tuple[str, str | None]:
    assert statement.speaker is not None
    return statement.speaker.text, statement.speaker.actor


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
        # 637ceebd275ed64e: "the Head of State" is the President on president.gov.ua
        (
            '"We will adequately respond to the development of the situation on our border. We are ready '
            'to involve other reserves as well," the Head of State said.',
            "the Head of State",
            "zelenskyy",
            "We will adequately respond to the development of the situation on our border. We are ready "
            "to involve other reserves as well",
        ),
        # 083dac3e951ba882: "X told reporters"
        (
            '"This is a great courageous, correct and friendly step," Volodymyr Zelenskyy told reporters '
            "after the meeting.",
            "Volodymyr Zelenskyy",
            "zelenskyy",
            "This is a great courageous, correct and friendly step",
        ),
    ],
)
def test_direct_quote_speaker(text: str, speaker: str, actor: str, content: str) -> None:
    statement = _only(text)
    assert statement.kind == "direct"
    assert _speaker(statement) == (speaker, actor)
    assert statement.text == content


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # f2febb7779ebbe7f: title with name
        (
            "Prime Minister Denys Shmyhal said that last week the country recorded the largest number of "
            "new patients with COVID-19 per day this autumn.",
            "Prime Minister Denys Shmyhal",
            "last week the country recorded the largest number of new patients with COVID-19 per day "
            "this autumn",
        ),
        # f2febb7779ebbe7f: title with "of" and name
        (
            "Minister of Health Viktor Lyashko noted that Ukraine's figures are lower than the European "
            "average.",
            "Minister of Health Viktor Lyashko",
            "Ukraine's figures are lower than the European average",
        ),
        # 088552d6faadccfc: a possessed role ("the President's Press Secretary") informing that ...
        (
            "The President's Press Secretary also informed that Iryna Vereshchuk will join the Ukrainian "
            "delegation in the Trilateral Contact Group.",
            "The President's Press Secretary",
            "Iryna Vereshchuk will join the Ukrainian delegation in the Trilateral Contact Group",
        ),
        # 9440abb22a942a5d: a readout
        (
            "Vladimir Putin informed the Indian Prime Minister that the Russian Armed Forces had declared a "
            "ceasefire and opened humanitarian corridors.",
            "Vladimir Putin",
            "the Russian Armed Forces had declared a ceasefire and opened humanitarian corridors",
        ),
        # e421e2647b96b552: a group speaker
        (
            "Other Ukrainian officials said that the agreements could not be implemented.",
            "Other Ukrainian officials",
            "the agreements could not be implemented",
        ),
    ],
)
def test_reported_speech_speaker_and_content(text: str, speaker: str, content: str) -> None:
    assert _shape(_only(text)) == ("indirect", speaker, content)


@pytest.mark.parametrize(
    ("record", "speaker", "content"),
    [
        (
            "PLOVER-GSR01-SUPPORT-0008",
            "the foreign ministry",
            "Sri Lanka has established diplomatic ties with and opened an embassy in Tehran",
        ),
        (
            "PLOVER-GSR01-SANCTION-0002",
            "the Foreign Affairs Ministry",
            "A French minister has cancelled a planned visit to Haiti after a state of siege was declared in "
            "the one-time French colony",
        ),
        (
            "PLOVER-GSR01-AGREE-0037",
            "government officials",
            "Denmark today accepted a formula for ending its fisheries dispute with its European common "
            "market partners",
        ),
        (
            "PLOVER-GSR01-COERCE-0004",
            "a military spokesman",
            "Israel Friday reimposed blockades in the West Bank following the shooting deaths of two "
            "Israelis a day earlier",
        ),
        (
            "PLOVER-GSR01-AID-0005",
            "the Swiss Agency for Development and Cooperation",
            "Swiss doctors handed over 700 kg of medicine to the Red Crescent in Bam, Iran",
        ),
    ],
)
def test_news_sources_after_the_content(record: str, speaker: str, content: str) -> None:
    statement = _only(PLOVER[record], outlet="")
    assert statement.speaker is not None and statement.speaker.text == speaker
    assert statement.text == content


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # f2febb7779ebbe7f: "according to" a pronoun
        (
            "Minister of Health Viktor Lyashko noted that Ukraine's figures are lower than the European "
            "average. According to him, the current death toll per 100,000 population in Ukraine is three "
            "times lower than in the EU.",
            "him",
            "the current death toll per 100,000 population in Ukraine is three times lower than in the EU",
        ),
        # cbcfff4456ffcdc6: an impersonal source
        (
            "According to forecasts, the plateau of morbidity is expected in a week.",
            "forecasts",
            "the plateau of morbidity is expected in a week",
        ),
    ],
)
def test_according_to(text: str, speaker: str, content: str) -> None:
    statement = _statements(text)[-1]
    assert statement.cue is not None and statement.cue.text == "According to"
    assert statement.speaker is not None and statement.speaker.text == speaker
    assert statement.text == content


def test_according_to_a_known_actor_resolves_it() -> None:
    statement = _only("According to Dmitry Peskov, the talks with Kyiv have stalled.")
    assert _speaker(statement) == ("Dmitry Peskov", "peskov")
    assert statement.text == "the talks with Kyiv have stalled"


def test_anaphoric_passive_takes_the_sentence_before() -> None:
    # 68f7012463a26f1b
    text = (
        "Stopping the process of global warming is possible only by changing global thinking and priorities "
        "of world politics. This was stated by President of Ukraine Volodymyr Zelenskyy during a speech at "
        "the COP 26 UN Climate Change Conference."
    )
    statement = _only(text)
    assert _speaker(statement) == ("President of Ukraine Volodymyr Zelenskyy", "zelenskyy")
    assert statement.text == (
        "Stopping the process of global warming is possible only by changing global thinking and priorities "
        "of world politics"
    )


def test_passive_agent_is_the_speaker() -> None:
    # 005b7f5f0030d4fb-style passive: the agent speaks; "by" belongs to the cue
    statement = _only("It was announced by Press Secretary Serhiy Nykyforov that the next round is in Minsk.")
    assert statement.speaker is not None and statement.speaker.text == "Press Secretary Serhiy Nykyforov"
    assert statement.text == "the next round is in Minsk"


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


def test_nested_straight_quotes_stay_in_the_outer_quote() -> None:
    # 051543990bc3e98e
    text = (
        '"I believe that Russia has pushed Ukraine into NATO. I believe that today Russia is "paving" '
        "Ukraine's difficult way to NATO,\" the President said."
    )
    statement = _only(text)
    assert statement.kind == "direct"
    assert statement.text.endswith('Russia is "paving" Ukraine\'s difficult way to NATO')


def test_report_nested_in_a_quote_is_its_own_statement() -> None:
    # 088552d6faadccfc
    text = (
        '"If the Russian party insists that the outcome should be known before the start of negotiations, '
        'it calls into question the negotiation process itself," Serhiy Nykyforov said.'
    )
    outer, inner = sorted(_statements(text), key=lambda s: s.content[0].start)
    assert outer.kind == "direct" and inner.kind == "indirect"
    assert inner.speaker is not None and inner.speaker.text == "the Russian party"
    assert inner.text == "the outcome should be known before the start of negotiations"


def test_quote_continued_in_the_next_sentence_is_a_second_part() -> None:
    # 1769399502ff2548: a quote with no cue of its own after a reported statement of the same source
    text = (
        "The head of state also said that the Russian side in the talks wants to sign a single document. "
        '"But all do not quite see themselves at the same table with the Russian Federation."'
    )
    statement = _only(text)
    assert statement.kind == "mixed"
    assert [p.text for p in statement.content] == [
        "the Russian side in the talks wants to sign a single document",
        "But all do not quite see themselves at the same table with the Russian Federation.",
    ]


def test_quote_without_an_opening_mark_is_still_found() -> None:
    # c9082f5633a77aa9: the source lost the opening mark
    text = (
        "I said that we will not sit at the negotiating table. For me, these are completely "
        'incomprehensible things," the President said.'
    )
    said, statement = _statements(text)  # "I said that ..." is the President's own earlier words
    assert said.text == "we will not sit at the negotiating table"
    assert statement.kind == "direct"
    assert statement.text == "For me, these are completely incomprehensible things"
    assert _speaker(statement) == ("the President", "zelenskyy")


@pytest.mark.parametrize(
    ("text", "speaker", "actor"),
    [
        # f2febb7779ebbe7f: "he" after a named subject
        (
            'Prime Minister Denys Shmyhal said that the country recorded a record. "At the same time, in a '
            'week the number of vaccinations exceeded one and a half million," he said.',
            "he",
            "shmyhal",
        ),
        # 59d3ccea798ce720: "she" after a person the actor base does not know
        (
            "McDonald's CEO in Ukraine Yuliya Badritdinova stressed that our country is one of the most "
            'attractive potential markets. "McDonald\'s believes in changes, is ready to invest," she said.',
            "she",
            None,
        ),
        # cbcfff4456ffcdc6: "the Minister" after a titled name
        (
            "According to Minister of Health Viktor Lyashko, currently 16 regions have moved to the red "
            'level. "Oxygen consumption has increased many times. One plant has already resumed operations '
            'on Friday," the Minister said.',
            "the Minister",
            None,
        ),
        # the seed: "The President" after Zelenskyy
        (
            "Zelenskyy clarified that Ukraine may be prepared to vacate the territories. The President "
            "emphasized that the surrender of these territories would be temporary.",
            "The President",
            "zelenskyy",
        ),
    ],
)
def test_coreference_across_sentences(text: str, speaker: str, actor: str | None) -> None:
    statement = _statements(text)[-1]
    assert _speaker(statement) == (speaker, actor)


def test_the_minister_is_the_titled_person_not_another_one() -> None:
    text = (
        "According to Minister of Health Viktor Lyashko, currently 16 regions have moved to the red level. "
        'Volodymyr Zelenskyy thanked the doctors. "One plant has already resumed operations on Friday," '
        "the Minister said."
    )
    statement = _statements(text)[-1]
    assert statement.speaker is not None and statement.speaker.actor != "zelenskyy"


@pytest.mark.parametrize(
    ("text", "cue", "content"),
    [
        # 74ec4b0eca6e6e43: a commitment with a to-infinitive
        (
            "The parties agreed to maintain a permanent dialogue on security issues.",
            "agreed",
            "maintain a permanent dialogue on security issues",
        ),
        # 551b13e1bce3ada7: a directive with "call on"
        (
            "The Head of State also called on the regions to join the development of this program.",
            "called",
            "join the development of this program",
        ),
        # the seed: a stance noun with a to-infinitive
        (
            "Ukrainian President Volodymyr Zelenskyy has expressed his willingness to temporarily cede "
            "occupied Ukrainian territories to Russia.",
            "expressed",
            "temporarily cede occupied Ukrainian territories to Russia",
        ),
    ],
)
def test_directives_commitments_and_stance_nouns(text: str, cue: str, content: str) -> None:
    statement = _only(text)
    assert statement.cue is not None and statement.cue.text == cue
    assert statement.text == content


@pytest.mark.parametrize(
    "text",
    [
        "Again, this is proceeding according to plan.",  # kremlin.ru: "according to plan" is no speaker
        "The coming months may reveal whether this shift will lead to peace negotiations.",
        # a28db654242b3157: informing about a topic is no statement
        "Volodymyr Zelenskyy informed US senators about the security situation around Ukraine.",
        # 4343b7621553ae20-style: a negated report
        "Emmanuel Macron had not mentioned in his address that the talks had failed.",
        # a46730f261f330bd-style: the speaker's own performative
        "I would like to say that increasing the level of law abidance is one of the priorities.",
        # an agentless passive has no speaker
        "It was agreed that the parties will coordinate measures.",
        # c996b8837503d042-style: a wh-topic
        "The President explained why the time has come to change the approach.",
        # thanks are not statements
        "The President expressed gratitude to the partners for their support.",
    ],
)
def test_no_statement(text: str) -> None:
    assert _statements(text) == []


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
    assert _speaker(statement) == ("He", "putin")


def test_first_person_on_the_presidents_site_is_the_president() -> None:
    # cebd278eb9d9a35a: an address; "I" outside quotes on president.gov.ua is the President
    statement = _only("I have said many times that Ukrainians will never give up their freedom.")
    assert _speaker(statement) == ("I", "zelenskyy")


@pytest.mark.parametrize(
    ("text", "speaker", "actor", "content"),
    [
        # 6aed17d545c873da
        (
            "I would agree with Mr Patrushev's proposal that our, so to speak, Western partners can be given "
            "a last chance.",
            "Mr Patrushev",
            None,
            "our, so to speak, Western partners can be given a last chance",
        ),
        # 2c6813ce71ce706e
        (
            "After all, the current government's campaign promise was to resolve the Donbass crisis "
            "peacefully.",
            "the current government",
            None,
            "resolve the Donbass crisis peacefully",
        ),
    ],
)
def test_nominal_cues(text: str, speaker: str, actor: str | None, content: str) -> None:
    (statement,) = [
        s for s in _statements(text, outlet="kremlin.ru") if s.speaker and s.speaker.text == speaker
    ]
    assert statement.speaker is not None and statement.speaker.actor == actor
    assert statement.text == content


@pytest.mark.parametrize(
    ("text", "outlet", "speaker", "cue", "content"),
    [
        # 005b7f5f0030d4fb: an adjective of conviction
        (
            "Mykhailo Podolyak is convinced that the available developments indicate that preparations for "
            "the meeting of the Presidents of Ukraine and Russia can already begin.",
            "president.gov.ua",
            "Mykhailo Podolyak",
            "convinced",
            "the available developments indicate that preparations for the meeting of the Presidents of "
            "Ukraine and Russia can already begin",
        ),
        # e5902ff589ca3156: a second report conjoined inside the first one's clause is cut off
        (
            "In this context, Vladimir Putin confirmed that the sanctions imposed by the Western countries "
            "have been complicating this issue and noted the importance of ensuring the unimpeded operation "
            "of the logistics and transport infrastructure.",
            "kremlin.ru",
            "Vladimir Putin",
            "confirmed",
            "the sanctions imposed by the Western countries have been complicating this issue",
        ),
        # 7bbbf167da47b6f5: a that-clause on an object noun
        (
            "In this context, the presidents recalled the fact that the two countries were allies during "
            "World War II.",
            "kremlin.ru",
            "the presidents",
            "recalled",
            "the two countries were allies during World War II",
        ),
        # 4343b7621553ae20: a naming act
        (
            "Thus, Emmanuel Macron described Russia's statements about fighting Nazism in Ukraine as "
            '"lies."',
            "kremlin.ru",
            "Emmanuel Macron",
            "described",
            "Russia's statements about fighting Nazism in Ukraine as \"lies.",
        ),
        # c6efdc2860d0b374: a directive reported with "told"
        ("They told us to dig trenches.", "president.gov.ua", "They", "told", "dig trenches"),
    ],
)
def test_more_cues(text: str, outlet: str, speaker: str, cue: str, content: str) -> None:
    statement = _only(text, outlet=outlet)
    assert statement.speaker is not None and statement.speaker.text == speaker
    assert statement.cue is not None and statement.cue.text == cue
    assert statement.text == content


def test_active_anaphoric_report_takes_the_lead_sentence() -> None:
    # 267a1fe86a2f3f9e: "X said this during ..." after a lead sentence with no cue
    text = (
        "After the victory in the great war started by Russia, Ukraine will build a European state with "
        "significant liberalization of many spheres and processes. The President of Ukraine Volodymyr "
        "Zelenskyy said this during a conversation with students."
    )
    statement = _only(text)
    assert statement.speaker is not None and statement.speaker.actor == "zelenskyy"
    assert statement.text == (
        "After the victory in the great war started by Russia, Ukraine will build a European state with "
        "significant liberalization of many spheres and processes"
    )


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # fddfd1dda13a1a9a: the fragment's source is the subject of the clause around it
        (
            "He thanked Alar Karis, who is visiting Ukraine for the first time as President of Estonia, "
            'which is especially important "in the context of a critical escalation of the security '
            'situation around Ukraine."',
            "He",
            "in the context of a critical escalation of the security situation around Ukraine.",
        ),
        # 03e9c67d5130e87e
        (
            "I'm sure you saw the news today that the Russian military command allegedly decided to \"reduce "
            'hostilities in the directions of Kyiv and Chernihiv."',
            "the Russian military command",
            "reduce hostilities in the directions of Kyiv and Chernihiv.",
        ),
    ],
)
def test_quoted_fragment_after_a_non_reporting_verb_is_mixed(text: str, speaker: str, content: str) -> None:
    assert _shape(_only(text)) == ("mixed", speaker, content)


def test_long_speaker_right_after_the_quote() -> None:
    # 43b6d3520c52b0ab: the speaker after the quote is a long title
    text = (
        '"Trust the Ukrainian authorities. Listen, read the official media. Everything will be Ukraine!" '
        "the Deputy Prime Minister - Minister for Reintegration of the Temporarily Occupied Territories of "
        "Ukraine stressed."
    )
    statement = _only(text)
    assert statement.kind == "direct"
    assert statement.cue is not None and statement.cue.text == "stressed"
    assert (
        statement.text
        == "Trust the Ukrainian authorities. Listen, read the official media. Everything will be Ukraine!"
    )


# d1ff8a710a812364 (29 March 2022, Istanbul): a delegation member the actor base does not know speaks
# for his state, and so do the "he" and the later mentions of his name that follow.
ISTANBUL = (
    "Member of the Ukrainian delegation Oleksandr Chalyi who heads the legal group of negotiators added "
    "that the key requirement of the Ukrainian party to the future treaty is clear, legally binding "
    'security guarantees for Ukraine. "If we manage to consolidate these key provisions, which are a '
    "fundamental requirement for the Ukrainian party, Ukraine will be in a position to actually fix the "
    'current status of a non-aligned and non-nuclear state of permanent neutrality," he said. "But it is '
    "fundamentally important that nothing in the future treaty will deny Ukraine's right to join the "
    'European Union," said Oleksandr Chalyi. He stressed that negotiations with Russia would continue in '
    "the next two weeks."
)


def test_unknown_member_of_a_delegation_speaks_for_its_state() -> None:
    statements = _statements(ISTANBUL, published=dt.date(2022, 3, 29))
    speakers = [(s.speaker.text, s.speaker.actor) for s in statements if s.speaker is not None]
    assert speakers == [
        ("Member of the Ukrainian delegation", "ukr"),
        ("he", "ukr"),
        ("Oleksandr Chalyi", "ukr"),
        ("He", "ukr"),
    ]
    assert "permanent neutrality" in statements[1].text


def test_unnamed_member_then_he() -> None:
    text = (
        'A member of the Russian delegation said that the talks were constructive. "We will study the '
        'proposals and report to the President," he said.'
    )
    statements = _statements(text, published=dt.date(2022, 3, 29), outlet="kremlin.ru")
    assert [s.speaker.actor for s in statements if s.speaker is not None] == ["rus", "rus"]


def test_known_person_in_the_apposition_is_the_speaker() -> None:
    text = (
        "Head of the Ukrainian delegation David Arakhamia said that the representatives of the Ukrainian "
        'delegation did not sign any documents. "Today we came up with an official proposal," he said.'
    )
    statements = _statements(text, published=dt.date(2022, 3, 29))
    assert [s.speaker.actor for s in statements if s.speaker is not None] == ["arakhamia", "arakhamia"]


def test_a_capitalised_title_is_not_an_unknown_person() -> None:
    # d1ff8a710a812364: the NER takes "Adviser" for a name
    text = (
        "Mykhailo Podolyak stressed that the position of Ukraine and Russia on the status of Crimea was "
        'offered to be fixed as a separate item. "All controversial issues have been more or less '
        "discussed, our proposals have been made,\" said the Adviser to the Head of the President's Office."
    )
    statement = _statements(text, published=dt.date(2022, 3, 29))[-1]
    assert statement.speaker is not None and statement.speaker.actor == "podolyak"


@pytest.mark.parametrize(
    ("text", "speaker", "content"),
    [
        # 1769399502ff2548
        (
            "In his opinion, it is possible to speak without bias, in particular about the neutral status, "
            "only after the ceasefire and withdrawal of military equipment.",
            "his",
            "it is possible to speak without bias, in particular about the neutral status, only after the "
            "ceasefire and withdrawal of military equipment",
        ),
    ],
)
def test_in_his_opinion_reports_the_clause(text: str, speaker: str, content: str) -> None:
    statement = _only(text)
    assert (statement.kind, statement.speaker.text if statement.speaker else None, statement.text) == (
        "indirect",
        speaker,
        content,
    )
    assert statement.cue is not None and statement.cue.text == "In his opinion"


def test_in_my_opinion_is_the_speaker_speaking_not_a_report() -> None:
    text = "In my opinion, the talks will continue next week."
    assert _statements(text) == []


def test_the_head_of_a_state_is_not_a_member_of_a_body() -> None:
    # 1769399502ff2548: "he" and "his" after "The head of the Ukrainian state" are the President
    text = (
        "At the same time, according to Zelenskyy, negotiations are needed to defend the state and end the "
        "war. The head of the Ukrainian state said that he did not consider such an approach correct. In his "
        "opinion, some points need to be prepared and agreed before the meeting with Vladimir Putin, but in "
        "the end everything should be agreed only at the talks of the leaders."
    )
    statement = _statements(text, published=dt.date(2022, 4, 16))[-1]
    assert _speaker(statement) == ("his", "zelenskyy")

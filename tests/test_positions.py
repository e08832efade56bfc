"""Positions: stance, conditions, holder and evidence, read from real sentences.

The sentences are from president.gov.ua and kremlin.ru (English editions, CC BY 4.0; see
tests/fixtures/README.md). Statements are built by hand around them, so that these tests check the
position rules alone, fast, whatever the attribution step does; tests/test_seed.py runs the whole
pipeline.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from parley.errors import KnowledgeError
from parley.extract.positions import PositionReader, combine_stances, read_positions, sentence_spans
from parley.knowledge.actors import load_actors
from parley.knowledge.lexicon import load_issues
from parley.model import Analysis, Article, Mention, Position, Span, Statement

DAY = dt.date(2022, 3, 29)


@pytest.fixture(scope="module")
def reader() -> PositionReader:
    return PositionReader(load_issues(), load_actors())


def said(
    text: str,
    actor: str,
    content: str | None = None,
    *,
    retrospective: bool = False,
    evidence: str | None = None,
    cue: str | None = None,
) -> Analysis:
    """An article whose ``content`` (default: all of it) ``actor`` said, with the ``cue`` word (default:
    none); the statement's evidence is ``evidence`` (default: the content's sentence)."""
    words = content if content is not None else text
    start = text.index(words)
    sentence = next((a, b) for a, b in sentence_spans(text) if a <= start < b)
    if evidence is not None:
        sentence = (text.index(evidence), text.index(evidence) + len(evidence))
    statement = Statement(
        id="st-1",
        article_id="a",
        kind="indirect",
        speaker=Mention(actor, 0, 0, actor=actor),
        cue=None if cue is None else Span.of(text, text.index(cue), text.index(cue) + len(cue)),
        content=(Span.of(text, start, start + len(words)),),
        evidence=Span.of(text, *sentence),
        said_on=None if retrospective else DAY,
        retrospective=retrospective,
    )
    return Analysis(Article(id="a", text=text, published=DAY), statements=(statement,))


def narrated(text: str) -> Analysis:
    """An article of one sentence nobody is reported to say: the outlet narrates it."""
    return Analysis(Article(id="a", text=text, published=DAY))


def found(reader: PositionReader, analysis: Analysis) -> dict[tuple[str, str], Position]:
    positions = reader.read(analysis.article, analysis.statements, analysis.events)
    return {(p.actor, p.issue): p for p in positions}


@pytest.mark.parametrize(
    ("text", "actor", "issue", "stance"),
    [
        ("We are not afraid to talk about neutral status.", "zelenskyy", "neutrality", "ambiguous"),
        (
            "I said that we will not sit at the negotiating table at all if we talk about some kind of "
            'demilitarization, some kind of "denazification".',
            "zelenskyy",
            "demilitarisation",
            "oppose",
        ),
        ("Russian troops must leave the occupied territories.", "zelenskyy", "troop_withdrawal", "support"),
        # 1ecaa5ffeac99d91: needing to talk about it is wanting it, not only being open to it
        ("We need to talk about a ceasefire.", "zelenskyy", "ceasefire", "support"),
        # acb4f49c91532d48
        (
            "In his opinion, the withdrawal of Russian troops to the positions of February 23, 2022 will "
            "be a victory.",
            "zelenskyy",
            "troop_withdrawal",
            "support",
        ),
        (
            "Volodymyr Zelenskyy stressed that the issue of Ukraine's sovereignty and territorial integrity "
            'is a "red line", because many Ukrainians gave their lives for it.',
            "zelenskyy",
            "territorial_concession",
            "oppose",
        ),
        (
            "To hold bilateral negotiations on the status of Crimea and Sevastopol separately within 15 "
            "years.",
            "podolyak",
            "territorial_concession",
            "ambiguous",
        ),
        ("If we want peace, we need to sit down and talk.", "zelenskyy", "negotiations", "support"),
        (
            "He reaffirmed that Russia's priority goals were demilitarisation and a neutral status for "
            "Ukraine, so that it would never pose a threat to the Russian Federation.",
            "putin",
            "neutrality",
            "support",
        ),
        ("We cannot recognize that Crimea is the territory of Russia.", "zelenskyy", "recognition", "oppose"),
        (
            "I can say that we have very principled positions, and we do not want to compromise on our "
            "independence, territorial integrity and sovereignty.",
            "zelenskyy",
            "territorial_concession",
            "oppose",
        ),
        (
            "Ukraine will never give up its sovereignty, territorial integrity and Euro-Atlantic future.",
            "shmyhal",
            "territorial_concession",
            "oppose",
        ),
    ],
)
def test_stance_of_a_statement(
    reader: PositionReader, text: str, actor: str, issue: str, stance: str
) -> None:
    assert found(reader, said(text, actor))[(actor, issue)].stance == stance


@pytest.mark.parametrize(
    ("text", "content", "actor", "issue", "conditions"),
    [
        (
            "Vladimir Putin reaffirmed that Russia is open to dialogue with Ukraine as well as all those in "
            "Ukraine who want peace, but on the condition that all Russian demands are met.",
            "Russia is open to dialogue with Ukraine as well as all those in Ukraine who want peace",
            "putin",
            "negotiations",
            ["on the condition that all Russian demands are met"],
        ),
        (
            "If we manage to consolidate these key provisions, which are a fundamental requirement for the "
            "Ukrainian party, Ukraine will be in a position to actually fix the current status of a "
            "non-aligned and non-nuclear state of permanent neutrality.",
            None,
            "ukr",
            "neutrality",
            ["If we manage to consolidate these key provisions"],
        ),
        (
            "Ukraine does not refuse to negotiate with the Russian Federation, yet is ready only for a "
            "full-fledged negotiation process without unacceptable conditions and ultimatums.",
            None,
            "podolyak",
            "negotiations",
            ["without unacceptable conditions and ultimatums"],
        ),
        # acb4f49c91532d48: the main clause takes up what the condition names ("join")
        (
            "If we are offered to join NATO tomorrow, if they don't play with our lives again, but seriously "
            "offer, we will join.",
            None,
            "zelenskyy",
            "alliance_membership",
            [
                "If we are offered to join NATO tomorrow",
                "if they don't play with our lives again",
            ],
        ),
        # 16ae880788d32935: conditions in sentences of their own after the stance, and a restriction
        # set with "but only"
        (
            "However, as President, I am ready to talk to Putin, but only to him. Without any "
            "intermediaries. And on the terms of dialogue, not on the terms of ultimatum.",
            None,
            "zelenskyy",
            "negotiations",
            [
                "only to him",
                "Without any intermediaries",
                "on the terms of dialogue, not on the terms of ultimatum",
            ],
        ),
        # e4e894f17f6f9694: the statement's own cue shows the stance ("expressed readiness to")
        (
            "He expressed readiness to continue the dialogue with the understanding that Russia's "
            "unconditional and now widely-distributed demands be fulfilled.",
            "continue the dialogue with the understanding that Russia's unconditional and now "
            "widely-distributed demands be fulfilled",
            "putin",
            "negotiations",
            [
                "with the understanding that Russia's unconditional and now widely-distributed demands be "
                "fulfilled"
            ],
        ),
        # c9082f5633a77aa9: "I accept that." takes up the issue and the restriction of the sentence before
        (
            "That's why I said: only a mirror respect for the history, languages, cultural values of all "
            "neighbors. I accept that.",
            None,
            "zelenskyy",
            "minority_rights",
            ["only a mirror respect for the history, languages, cultural values of all neighbors"],
        ),
        # 45cc330acdde45a1: "such settlement" takes up the issue of the sentence before, whoever named it
        (
            "The President of France expressed the hope that the ongoing conflict will be settled "
            "through dialogue and talks with Kiev as soon as possible. Vladimir Putin emphasised that such "
            "settlement is possible only in case of unconditional consideration for Russia's legitimate "
            "interests in the sphere of security.",
            "such settlement is possible only in case of unconditional consideration for Russia's legitimate "
            "interests in the sphere of security",
            "putin",
            "negotiations",
            [
                "in case of unconditional consideration for Russia's legitimate interests in the sphere of "
                "security"
            ],
        ),
    ],
)
def test_condition_makes_acceptance_conditional(
    reader: PositionReader, text: str, content: str | None, actor: str, issue: str, conditions: list[str]
) -> None:
    cue = "expressed" if text.startswith("He expressed") else None
    position = found(reader, said(text, actor, content, cue=cue))[(actor, issue)]
    assert position.stance == "conditional"
    assert [c.text for c in position.conditions] == conditions


def test_non_aligned_under_a_condition_is_a_conditional_refusal_of_membership(reader: PositionReader) -> None:
    text = (
        "If we manage to consolidate these key provisions, which are a fundamental requirement for the "
        "Ukrainian party, Ukraine will be in a position to actually fix the current status of a "
        "non-aligned and non-nuclear state of permanent neutrality."
    )
    position = found(reader, said(text, "ukr"))[("ukr", "alliance_membership")]
    assert (position.stance, [c.text for c in position.conditions]) == (
        "oppose",
        ["If we manage to consolidate these key provisions"],
    )


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        # The third party's wish, as the speaker reports it, is not the speaker's.
        ("They want to talk about Ukraine's neutral status.", "neutrality"),
        # What others say inside the statement is theirs.
        (
            "Some politicians in Europe are beginning to say that Ukraine must stop fighting and end the "
            "war.",
            "ceasefire",
        ),
    ],
)
def test_someone_elses_stance_is_not_the_speakers(reader: PositionReader, text: str, issue: str) -> None:
    assert ("zelenskyy", issue) not in found(reader, said(text, "zelenskyy"))


def test_issue_named_in_a_condition_is_asked_for(reader: PositionReader) -> None:
    text = "The guarantors will not sign anything if the troops are not withdrawn."
    assert found(reader, said(text, "zelenskyy"))[("zelenskyy", "troop_withdrawal")].stance == "support"


def test_condition_under_a_refusal_asks_for_what_it_names(reader: PositionReader) -> None:
    # fb6eb5bd046cc6f7: "before" is a condition only under a refusal, and then it asks for its issue
    text = "We cannot talk about a ceasefire before the withdrawal of Russian troops from Ukraine."
    positions = found(reader, said(text, "podolyak"))
    ceasefire = positions[("podolyak", "ceasefire")]
    assert (ceasefire.stance, [c.text for c in ceasefire.conditions]) == (
        "oppose",
        ["before the withdrawal of Russian troops from Ukraine"],
    )
    assert positions[("podolyak", "troop_withdrawal")].stance == "support"


def test_before_without_a_refusal_is_no_condition(reader: PositionReader) -> None:
    # 6f1a63e3267382af
    text = (
        "The Ukrainian side is ready to exchange Russian prisoners of war for Ukrainian prisoners of war "
        "before the end of hostilities."
    )
    position = found(reader, said(text, "zelenskyy"))[("zelenskyy", "prisoner_exchange")]
    assert (position.stance, position.conditions) == ("support", ())


def test_openness_keeps_its_condition(reader: PositionReader) -> None:
    # 1769399502ff2548
    text = (
        "In his opinion, it is possible to speak without bias, in particular about the neutral status, only "
        "after the ceasefire and withdrawal of military equipment."
    )
    content = text[len("In his opinion, ") :].rstrip(".")
    position = found(reader, said(text, "zelenskyy", content))[("zelenskyy", "neutrality")]
    assert (position.stance, [c.text for c in position.conditions]) == (
        "ambiguous",
        ["only after the ceasefire and withdrawal of military equipment"],
    )


def test_anaphor_takes_up_only_issues_the_sentence_does_not_name(reader: PositionReader) -> None:
    # after c9082f5633a77aa9: the guarantees named in the condition are asked for, not accepted on it
    text = (
        "The issues of security guarantees and neutrality remain the most important. Ukraine is ready to "
        "agree on this issue only if it has security guarantees fixed on paper."
    )
    content = "Ukraine is ready to agree on this issue only if it has security guarantees fixed on paper"
    positions = found(reader, said(text, "zelenskyy", content))
    neutrality = positions[("zelenskyy", "neutrality")]
    assert (neutrality.stance, [c.text for c in neutrality.conditions]) == (
        "conditional",
        ["only if it has security guarantees fixed on paper"],
    )
    assert positions[("zelenskyy", "security_guarantees")].stance == "support"


def test_premise_is_not_a_condition(reader: PositionReader) -> None:
    text = "If we want peace, we need to sit down and talk."
    assert found(reader, said(text, "zelenskyy"))[("zelenskyy", "negotiations")].conditions == ()


@pytest.mark.parametrize(
    ("text", "actor", "issue", "stance"),
    [
        (
            "Accordingly, Ukraine will undertake not to deploy foreign military bases, foreign military "
            "contingents on its territory, not to join military-political alliances.",
            "ukr",
            "alliance_membership",
            "oppose",
        ),
        (
            "Accordingly, Ukraine will undertake not to deploy foreign military bases, foreign military "
            "contingents on its territory, not to join military-political alliances.",
            "ukr",
            "foreign_troops",
            "oppose",
        ),
        (
            "It is for this reason that Russia is eager to obtain reliable, legally binding guaranties "
            "ruling out the eventuality of NATO's eastward expansion.",
            "rus",
            "alliance_membership",
            "oppose",
        ),
        (
            "Vladimir Putin stated the need to immediately begin talks in order to develop clear "
            "international legal agreements that can preclude NATO's further eastward advance.",
            "putin",
            "alliance_membership",
            "oppose",
        ),
    ],
)
def test_narrated_stance_belongs_to_its_subject(
    reader: PositionReader, text: str, actor: str, issue: str, stance: str
) -> None:
    assert found(reader, narrated(text))[(actor, issue)].stance == stance


def test_list_of_demands_goes_on_with_the_statement(reader: PositionReader) -> None:
    text = (
        "Vladimir Putin reaffirmed that Russia is open to dialogue with Ukraine, but on the condition that "
        "all Russian demands are met. These include a neutral and nuclear-free status for Ukraine, mandatory "
        "demilitarisation and denazification of the Ukrainian state."
    )
    # Attribution may end the statement before its condition: the list still follows its sentence.
    analysis = said(
        text,
        "putin",
        "Russia is open to dialogue with Ukraine",
        evidence="Vladimir Putin reaffirmed that Russia is open to dialogue with Ukraine",
    )
    positions = found(reader, analysis)
    assert positions[("putin", "neutrality")].stance == "support"
    assert positions[("putin", "demilitarisation")].evidence[0].text.startswith("These include")


@pytest.mark.parametrize(
    "text",
    [
        "Boris Johnson welcomed Russia's plans to achieve carbon neutrality by 2060.",
        "Vladimir Putin spoke about the draft Russian-US treaty on security guarantees for Russia.",
    ],
)
def test_look_alikes_are_not_issues(reader: PositionReader, text: str) -> None:
    assert found(reader, narrated(text)) == {}


def test_narrated_past_is_retrospective(reader: PositionReader) -> None:
    text = (
        "Under optimistic diplomatic statements that Ukraine could become a member of NATO, then, in 2008, "
        "refusal to accept Ukraine into the Alliance was hidden."
    )
    positions = reader.read(Article(id="a", text=text, published=DAY), (), ())
    assert positions and all(p.retrospective and p.as_of is None for p in positions)


def test_evidence_is_the_sentence(reader: PositionReader) -> None:
    text = (
        "The situation is difficult. We are not afraid to talk about neutral status. We are not in NATO now."
    )
    position = found(reader, said(text, "zelenskyy"))[("zelenskyy", "neutrality")]
    (span,) = position.evidence
    assert span.text == "We are not afraid to talk about neutral status."
    assert text[span.start : span.end] == span.text


def test_as_of_is_the_statement_date(reader: PositionReader) -> None:
    position = found(reader, said("We are not afraid to talk about neutral status.", "zelenskyy"))
    assert position[("zelenskyy", "neutrality")].as_of == DAY


def test_retrospective_position_has_no_date(reader: PositionReader) -> None:
    analysis = said(
        "Previously, he had maintained that Ukraine would not back down and would continue to fight for its "
        "internationally recognized borders.",
        "zelenskyy",
        retrospective=True,
    )
    (position,) = reader.read(analysis.article, analysis.statements, analysis.events)
    assert (position.stance, position.retrospective, position.as_of) == ("oppose", True, None)


@pytest.mark.parametrize(
    ("stances", "combined"),
    [
        (["support", "conditional", "support"], "conditional"),
        (["support", "oppose", "support"], "support"),
        (["support", "oppose"], "ambiguous"),
        (["ambiguous", "oppose"], "oppose"),
        (["ambiguous"], "ambiguous"),
    ],
)
def test_combine_stances(stances: list[str], combined: str) -> None:
    assert combine_stances(stances) == combined  # type: ignore[arg-type]


def test_sentence_spans_slice_the_text() -> None:
    text = 'He said: "We are ready." Then he left.\n\nA new paragraph starts here'
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        'He said: "We are ready."',
        "Then he left.",
        "A new paragraph starts here",
    ]


OTHER_CONFLICT = """
conflict: Example
parties: {defender: ARM, claimant: AZE}
issues:
  corridor:
    proposition: "{defender} opens a transit corridor to {claimant}'s exclave"
    concession_by: defender
    aliases: [zangezur]
    cues: [transit corridor, Zangezur corridor]
"""


def test_another_conflict_is_a_file(tmp_path: Path) -> None:
    path = tmp_path / "issues.yaml"
    path.write_text(OTHER_CONFLICT, encoding="utf-8")
    taxonomy = load_issues(path)
    assert taxonomy.issue("Zangezur").proposition == "ARM opens a transit corridor to AZE's exclave"
    # No stance section: the packaged stance words are used.
    assert taxonomy.stance.support is not None
    analysis = said("We are ready to discuss the transit corridor.", "ukr")
    (position,) = read_positions(analysis, taxonomy)
    assert (position.issue, position.stance) == ("corridor", "ambiguous")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("parties: {defender: ARM}\nissues: {x: {cues: [a]}}", "parties must name"),
        ("parties: {defender: ARM, claimant: AZE}\nissues: {x: {proposition: p}}", "needs cues"),
        (
            "parties: {defender: ARM, claimant: AZE}\nissues: {x: {cues: ['re:(unclosed']}}",
            "not a valid pattern",
        ),
    ],
)
def test_malformed_taxonomy_is_refused(tmp_path: Path, body: str, problem: str) -> None:
    path = tmp_path / "issues.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=problem):
        load_issues(path)


def test_unknown_issue_name_is_refused() -> None:
    with pytest.raises(KnowledgeError, match="unknown issue 'weather'"):
        load_issues().issue("weather")


@pytest.mark.parametrize(
    ("issue", "codes"),
    [
        ("ceasefire", ("Ce",)),
        ("security_guarantees", ("SsrGua",)),
        ("territorial_concession", ("StBor",)),
        ("troop_withdrawal", ("SsrFf",)),
        ("prisoner_exchange", ("TjPrire",)),
    ],
)
def test_pax_codes(issue: str, codes: tuple[str, ...]) -> None:
    assert load_issues().issues[issue].pax == codes


def test_terr_is_terrorism_not_territory() -> None:
    assert all("Terr" not in issue.pax for issue in load_issues().issues.values())

"""PLOVER event coding: types, modality, negation, conditions and qualifiers on real sentences."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from parley import nlp as parley_nlp
from parley.extract.events import primary_events
from parley.model import Article, Event
from parley.pipeline import process_batch


def _events(text: str) -> list[Event]:
    (analysis,) = process_batch([Article(id="t", text=text)])
    return list(analysis.events)


def _event(text: str, trigger: str) -> Event:
    (event,) = [e for e in _events(text) if e.trigger.text == trigger]
    return event


@pytest.mark.parametrize(
    ("text", "trigger", "type_", "modality"),
    [
        ("Russia will not withdraw its troops from Ukraine.", "withdraw", "REJECT", "intended"),
        (
            "Ukraine would cede Crimea to Russia if the West gave security guarantees.",
            "cede",
            "CONCEDE",
            "conditional",
        ),
        ("Moscow refused to release the prisoners.", "refused", "REJECT", "asserted"),
        ("Moscow refused to release the prisoners.", "release", "RETREAT", "negated"),
        ("Zelensky demanded that Russia withdraw its forces.", "demanded", "REQUEST", "asserted"),
        ("Zelensky demanded that Russia withdraw its forces.", "withdraw", "RETREAT", "demanded"),
        ("Putin threatened to attack Kyiv.", "threatened", "THREATEN", "asserted"),
        ("Putin threatened to attack Kyiv.", "attack", "ASSAULT", "intended"),
        ("Russia has agreed to a ceasefire.", "agreed", "AGREE", "asserted"),
        ("Ukraine may be prepared to give up Donbas.", "give up", "CONCEDE", "offered"),
        ("Previously, Ukraine had refused to negotiate with Moscow.", "refused", "REJECT", "historical"),
        ("It remains to be seen whether Moscow will accept a peace deal.", "accept", "AGREE", "hypothetical"),
        ("Russian forces did not attack Kharkiv on Tuesday.", "attack", "ASSAULT", "negated"),
    ],
)
def test_type_and_modality(text: str, trigger: str, type_: str, modality: str) -> None:
    event = _event(text, trigger)
    assert (event.type, event.modality) == (type_, modality)


@pytest.mark.parametrize(
    ("text", "trigger", "actors", "recipients"),
    [
        ("Putin threatened to attack Kyiv.", "attack", ["putin"], ["ukr-gov"]),
        (
            "Ukraine would cede Crimea to Russia if the West gave security guarantees.",
            "cede",
            ["ukr"],
            ["rus"],
        ),
        ("According to Peskov, the Kremlin rejected the proposal.", "rejected", ["rus-gov"], []),
        (
            "Zelenskyy said his country was ready to negotiate a ceasefire with Moscow.",
            "negotiate",
            ["ukr"],
            ["rus-gov"],
        ),
    ],
)
def test_participants(text: str, trigger: str, actors: list[str], recipients: list[str]) -> None:
    event = _event(text, trigger)
    assert [a.id for a in event.actors] == actors
    assert [r.id for r in event.recipients] == recipients


def test_offered_consultation_is_agree() -> None:
    # PLOVER manual: future or offered CONSULT reduces to AGREE
    event = _event("Zelenskyy said his country was ready to negotiate a ceasefire with Moscow.", "negotiate")
    assert (event.type, event.modality) == ("AGREE", "offered")


def test_condition_span() -> None:
    event = _event("Ukraine would cede Crimea to Russia if the West gave security guarantees.", "cede")
    assert [c.text for c in event.conditions] == ["if the West gave security guarantees"]


@pytest.mark.parametrize(
    ("text", "label", "words"),
    [
        ("Ukraine could temporarily give up the occupied regions.", "temporary", "temporarily"),
        ("Russia must withdraw its troops immediately.", "immediate", "immediately"),
        ("Kyiv will never permanently cede Crimea.", "permanent", "permanently"),
    ],
)
def test_qualifiers(text: str, label: str, words: str) -> None:
    (event,) = [e for e in _events(text) if e.qualifiers]
    assert [(q.label, q.text) for q in event.qualifiers] == [(label, words)]


def test_participle_modifiers_are_not_events() -> None:
    # "occupied territories", "internationally recognized borders" describe states, not events
    events = _events(
        "Ukrainian President Volodymyr Zelenskyy has expressed his willingness to temporarily cede "
        "occupied Ukrainian territories to Russia. Previously, he had maintained that Ukraine would "
        "continue to fight for its internationally recognized borders."
    )
    assert [e.trigger.text for e in events] == ["cede", "fight"]


def test_annexed_by_is_an_event_of_its_agent() -> None:
    event = _event("The four regions were annexed by Moscow in 2022.", "annexed")
    assert event.type == "COERCE"
    assert [a.id for a in event.actors] == ["rus-gov"]


def test_cameo_code_from_the_lexicon() -> None:
    assert _event("Putin threatened to attack Kyiv.", "attack").cameo == "190"


# -- PLOVER gold sentences: one reading per sentence, as the gold standard codes it ----------------

GSR_SAMPLE = Path(__file__).parent / "fixtures" / "plover-gsr-sample.jsonl"
GSR_LABELS = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
GOLD = [json.loads(line) for line in GSR_SAMPLE.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def gold_readings() -> dict[str, list[Event]]:
    nlp = parley_nlp.load()
    docs = parley_nlp.pipe(nlp, [Article(id=g["id"], text=g["text"]) for g in GOLD])
    return {parley_nlp.article_of(doc).id: primary_events(doc) for doc in docs}


@pytest.mark.parametrize("gold", GOLD, ids=[g["id"].removeprefix("PLOVER-GSR01-") for g in GOLD])
def test_gold_sentence_is_coded_with_its_type(
    gold: dict[str, Any], gold_readings: dict[str, list[Event]]
) -> None:
    expected = GSR_LABELS.get(gold["event"], gold["event"])
    assert {e.type for e in gold_readings[gold["id"]]} == {expected}


def test_the_gold_sample_covers_all_sixteen_types() -> None:
    assert len({GSR_LABELS.get(g["event"], g["event"]) for g in GOLD}) == 16


def _reading(gold_readings: dict[str, list[Event]], suffix: str) -> Event:
    (event,) = gold_readings[f"PLOVER-GSR01-{suffix}"]
    return event


def test_compound_actor_is_two_governments(gold_readings: dict[str, list[Event]]) -> None:
    # "Senior Hungarian and Romanian officials agreed ...": two actors, each its government (GOV).
    event = _reading(gold_readings, "AGREE-0001")
    assert [(a.id, a.text, a.country, a.sector) for a in event.actors] == [
        ("hun-gov", "Hungarian", "HUN", "GOV"),
        ("rou-gov", "Romanian officials", "ROU", "GOV"),
    ]


def test_generic_noun_gives_the_sector(gold_readings: dict[str, list[Event]]) -> None:
    # "Israeli soldiers arrested more than 100 Palestinians"
    event = _reading(gold_readings, "COERCE-0012")
    assert [(a.text, a.country, a.sector) for a in event.actors] == [("Israeli soldiers", "ISR", "MIL")]
    assert [(r.text, r.country) for r in event.recipients] == [("Palestinians", "PSE")]


def test_unless_makes_a_promised_withdrawal_a_threat(gold_readings: dict[str, list[Event]]) -> None:
    # "Nigeria today announced that it will withdraw their peacekeeping force from Chad unless ..."
    event = _reading(gold_readings, "THREATEN-0003")
    assert (event.type, event.trigger.text, event.modality) == ("THREATEN", "withdraw", "conditional")
    assert event.conditions[0].text.startswith("unless President Goukouni Oueddei arranged a ceasefire")
    assert [(a.text, a.country) for a in event.actors] == [("it", "NGA")]


def test_civilians_blocking_a_bridge_protest(gold_readings: dict[str, list[Event]]) -> None:
    event = _reading(gold_readings, "PROTEST-0017")
    assert (event.type, event.trigger.text) == ("PROTEST", "blocked")
    assert [(a.country, a.sector) for a in event.actors] == [("FRA", "LAB")]


def test_joint_exercises_are_cooperation(gold_readings: dict[str, list[Event]]) -> None:
    # Manual, MOBILIZE: joint military operations are COOPERATE.
    event = _reading(gold_readings, "COOPERATE-0003")
    assert [(a.country, a.sector) for a in event.actors] == [("FRA", "MIL"), ("EGY", "MIL")]


def test_cameo_pattern_gives_code_and_mode(gold_readings: dict[str, list[Event]]) -> None:
    # "Serbia eased emergency measures": CAMEO's 081 (ease administrative sanctions), a concession.
    event = _reading(gold_readings, "CONCEDE-0007")
    assert (event.type, event.cameo) == ("CONCEDE", "081")


# -- modality and PLOVER's reductions on constructed sentences -------------------------------------


def _primary(text: str) -> list[tuple[str, str, str]]:
    nlp = parley_nlp.load()
    doc = nlp(parley_nlp.make_doc(nlp, Article(id="t", text=text)))
    return [(e.type, e.trigger.text, e.modality) for e in primary_events(doc)]


@pytest.mark.parametrize(
    ("text", "primary"),
    [
        ("Moscow refused to release the prisoners.", [("REJECT", "refused", "asserted")]),
        ("Zelensky demanded that Russia withdraw its forces.", [("REQUEST", "demanded", "asserted")]),
        ("Putin threatened to attack Kyiv.", [("THREATEN", "threatened", "asserted")]),
        ("Ukraine may be prepared to give up Donbas.", [("CONCEDE", "give up", "offered")]),
        ("Russia has offered to negotiate with Ukraine.", [("AGREE", "negotiate", "offered")]),
        (
            "Russian troops shelled Kharkiv on Tuesday, one day after Ukraine attacked a depot.",
            [("ASSAULT", "shelled", "asserted")],
        ),
        (
            "Poland opened its border to refugees but still refused to admit Russians.",
            [("REJECT", "refused", "asserted")],
        ),
    ],
)
def test_primary_events(text: str, primary: list[tuple[str, str, str]]) -> None:
    assert _primary(text) == primary


@pytest.mark.parametrize(
    ("text", "trigger", "type_", "modality"),
    [
        ("Russia will attack Kharkiv if Ukraine joins NATO.", "attack", "THREATEN", "conditional"),
        ("Ukraine will withdraw its troops from Bakhmut.", "withdraw", "CONCEDE", "intended"),
        ("Russia would not give up Crimea.", "give up", "REJECT", "hypothetical"),
        ("Russia says it will not accept any more refugees.", "accept", "REJECT", "intended"),
        ("The Kremlin will no longer tolerate rallies in Moscow.", "tolerate", "REJECT", "intended"),
    ],
)
def test_future_and_negated_reductions(text: str, trigger: str, type_: str, modality: str) -> None:
    event = _event(text, trigger)
    assert (event.type, event.modality) == (type_, modality)


def test_must_in_someones_words_is_their_demand() -> None:
    event = _event("Russia said on Tuesday that Sudan must return the helicopter.", "return")
    assert (event.type, event.modality) == ("REQUEST", "demanded")
    assert ([a.country for a in event.actors], [r.country for r in event.recipients]) == (["RUS"], ["SDN"])


def test_phrasal_verb_particle_is_required() -> None:
    # "back" alone is not "back down"; only the phrasal verb is a concession.
    assert [e.type for e in _events("Ukraine would not back down from its position.")] == ["REJECT"]


def test_what_a_speaker_says_their_own_side_must_do_is_not_a_demand() -> None:
    event = _event("Putin said that Russia must withdraw its troops.", "withdraw")
    assert (event.type, event.modality, [a.id for a in event.actors]) == ("RETREAT", "demanded", ["rus"])


# -- rules by class of error, on real sentences of the PLOVER gold standard (gsr-dev.jsonl) ---------


@pytest.mark.parametrize(
    ("text", "type_", "trigger"),
    [
        pytest.param(
            "Czechia and Albania have upgraded their diplomatic ties back up to ambassadorial level after an "
            "18-year break, the official CTK news agency said on Wednesday.",
            "SUPPORT",
            "upgraded",
            id="SUPPORT-0001-upgrade-ties",
        ),
        pytest.param(
            "Swiss doctors handed over 700 kg of medicine to the Red Crescent in Bam, Iran, according to the "
            "Swiss Agency for Development and Cooperation.",
            "AID",
            "handed over",
            id="AID-0005-hand-over-medicine",
        ),
        pytest.param(
            "The Latvian Constitutional Court cancelled restrictions on the use of the Russian language on "
            "national radio and television.",
            "CONCEDE",
            "cancelled",
            id="CONCEDE-0003-cancel-restrictions",
        ),
        pytest.param(
            "The Nigerian Union of Teachers (NUT), the umbrella union for primary school teachers, announced "
            "Thursday that it has called off a four-day strike after deliberations with the Nigerian "
            "government.",
            "CONCEDE",
            "called off",
            id="CONCEDE-0009-call-off-strike",
        ),
        pytest.param(
            "The Mozambique government on Thursday accepted demands from Shona rebels that it initiate "
            "political reforms.",
            "CONCEDE",
            "accepted",
            id="CONCEDE-0010-accept-demands",
        ),
        pytest.param(
            "Kyrgyz Prime Minister Nikolai Tanaev received a mission of observers from the OSCE, informing "
            "them in detail on the economic situation of the country.",
            "RETREAT",
            "received",
            id="RETREAT-0009-receive-observers",
        ),
        pytest.param(
            "The United Nations on Tuesday reduced food supplies to the biggest Cambodian refugee camp in "
            "Thailand because rice was being diverted to outside users, relief officials said.",
            "SANCTION",
            "reduced",
            id="SANCTION-0008-reduce-supplies",
        ),
        pytest.param(
            "U.N. Secretary-General Kofi Annan announced on Monday that he will withdraw weapons inspectors "
            "and humanitarian workers from Iraq.",
            "THREATEN",
            "withdraw",
            id="THREATEN-0019-withdraw-inspectors",
        ),
        pytest.param(
            "Britain mobilized army reservists for a possible war against Iraq on Tuesday while UN arms "
            "inspectors said they needed more time.",
            "MOBILIZE",
            "mobilized",
            id="MOBILIZE-0006-mobilize-reservists",
        ),
        pytest.param(
            "Some 500,000 workers affiliated with the Serbian Workers' Union (SSS) stopped work on the first "
            "day of an open-ended strike on Monday over a controversial employment bill signed in by Serbian "
            "Labour Minister Dragan Milovanovic.",
            "PROTEST",
            "stopped",
            id="PROTEST-0015-stop-work",
        ),
        pytest.param(
            "Turkish police prevented the demonstration staged by students at Cumhuriyet University near AKP "
            "offices in Sivas on 15 October to protest the decision of sending troops to Iraq.",
            "COERCE",
            "prevented",
            id="COERCE-0001-prevent-demonstration",
        ),
        pytest.param(
            "A Saudi businessman is suing the United States for damages to his pharmaceutical plant which "
            "were caused by a missile attack in August, his American lawyer said.",
            "ACCUSE",
            "suing",
            id="DISAPPROVE-0015-sue",
        ),
        pytest.param(
            "Montenegro's prime minister has been indicted by the U.N. war crimes court for his alleged part "
            "in atrocities during the fight against Serb forces and will resign.",
            "ACCUSE",
            "indicted",
            id="DISAPPROVE-0008-indict",
        ),
        pytest.param(
            "Muslim hackers angered by the publication of cartoons of the Prophet Mohammed have defaced "
            "nearly 3,000 Danish Web sites over the past month in the biggest politically motivated cyber "
            "attack long-time observers have ever seen.",
            "COERCE",
            "defaced",
            id="COERCE-0015-deface",
        ),
        pytest.param(
            "An attempt to assassinate deputy governor of the Tyumen region, Oleg Chemezov, was thwarted in "
            "Khanty-Mansiysk (Siberia), the city's police reported.",
            "ASSAULT",
            "assassinate",
            id="ASSAULT-0014-assassinate",
        ),
        pytest.param(
            "Iranian authorities have been pressuring workers of the United Bus Company of Tehran "
            "(Sharekat-e Vahed) to cancel the strike they have been planning for better pay and working "
            "conditions.",
            "REQUEST",
            "pressuring",
            id="DEMAND-0027-pressure-to",
        ),
        pytest.param(
            "The United Nations has sent 21 military and civilian personnel to Bosnia on Wednesday to "
            "investigate the feasibility of a 10,000-member peacekeeping force, a U.N. spokesman said on "
            "Monday.",
            "ACCUSE",
            "investigate",
            id="INVESTIGATE-0002-sent-to-investigate",
        ),
        pytest.param(
            "Ethnic Albanians have sworn to fight until they gain control of villages near Macedonia's "
            "border with Bulgaria, Macedonian officials said Wednesday.",
            "THREATEN",
            "fight",
            id="THREATEN-0023-sworn-to-fight",
        ),
        pytest.param(
            "Radical French farmers said on Friday they would blockade Paris from Monday night to demand an "
            "end to the European Community's drastic farm reform.",
            "THREATEN",
            "blockade",
            id="THREATEN-0015-blockade-to-demand",
        ),
        pytest.param(
            "The Ivory Coast's Supreme Court decided to allow candidate Alassane Ouattara to participate in "
            "the country's upcoming elections.",
            "CONCEDE",
            "allow",
            id="CONCEDE-0004-decided-to-allow",
        ),
    ],
)
def test_gold_sentence_reading_by_rule(text: str, type_: str, trigger: str) -> None:
    # One reading per sentence, as the gold codes it: the rule's type on the rule's trigger.
    assert [(t, w) for t, w, _ in _primary(text)] == [(type_, trigger)]


def _codes(text: str) -> tuple[list[str | None], list[str | None]]:
    nlp = parley_nlp.load()
    doc = nlp(parley_nlp.make_doc(nlp, Article(id="t", text=text)))
    (event,) = primary_events(doc)
    return [a.country for a in event.actors], [r.country for r in event.recipients]


@pytest.mark.parametrize(
    ("text", "actors", "recipients"),
    [
        pytest.param(
            "The PRC on Tuesday demanded that the US cancel plans to sell air-to-surface anti-tank weapons "
            "to Taiwan to avoid ``new damage'' to US-PRC relations.",
            ["CHN"],
            ["USA"],
            id="DEMAND-0005-demanded-that-X",
        ),
        pytest.param(
            "Druze inhabitants of the Syrian Golan Heights threatened today to hold a general strike unless "
            "Israel rescinded its annexation of the region within 10 days.",
            ["SYR"],
            ["ISR"],
            id="THREATEN-0016-unless-X",
        ),
        pytest.param(
            "Berlin rejected recent calls by Belarus's rulers for immediate economic aid, saying it was "
            "withholding it until a democratically-elected government takes over.",
            ["DEU"],
            ["BLR"],
            id="REJECT-0007-calls-by-X",
        ),
        pytest.param(
            "Israel today mounted its long-threatened invasion of South Lebanon, ploughing through the "
            "United Nations lines on the coast of south of Tyre and thrusting forward in at least to inland "
            "areas.",
            ["ISR"],
            ["LBN"],
            id="FIGHT-0004-invasion-of-X",
        ),
        pytest.param(
            "At least three Iraqi civilians have been killed in a suicide car bombing in central Baghdad, "
            "Iraqi police said.",
            ["IRQ"],
            ["IRQ", "IRQ"],
            id="ASSAULT-0009-passive-victims-not-the-reporter-place-is-the-actor",
        ),
        pytest.param(
            "Arab League Secretary General Chadli Klibi undertook mediation mission between Syria and "
            "Palestinian leader Yasser Arafat.",
            ["IGO"],
            ["SYR", "PSE"],
            id="CONSULT-0008-mediator-not-reciprocal-subject-of-the-light-verb",
        ),
        pytest.param(
            "Rwandan rebels announced that President Kagame and his Rwandan Patriotic Front must agree to "
            "major constitutional changes before they demobilize.",
            ["RWA"],
            ["RWA", "RWA"],
            id="DEMAND-0022-rebels-demand-of-government-and-party",
        ),
        pytest.param(
            "In an unprecedented move, Palestinian police in Jericho confiscated weapons and explosives from "
            "Palestinian armed groups, the Israeli army said Friday.",
            ["PSE"],
            ["PSE"],
            id="COERCE-0003-same-country-other-actor",
        ),
    ],
)
def test_gold_sentence_roles(text: str, actors: list[str], recipients: list[str]) -> None:
    assert _codes(text) == (actors, recipients)


@pytest.mark.parametrize(
    ("text", "actors", "recipients"),
    [
        # The subject of the verb that carries a nominal trigger through its object or a preposition.
        pytest.param(
            "A US national has been put under investigation in Italy for her possible role in rioting "
            "during a G8 summit in Genoa last month, Ansa news agency reported.",
            ["ITA"],
            ["USA", "ITA"],
            id="INVESTIGATE-0006-passive-subject-is-the-recipient-place-the-actor",
        ),
        # A name the parser broke up: the mention that holds the subject word.
        pytest.param(
            "Quatar's emir, Sheikh Hamad bin Khalifa al-Thani launched a mediation effort on Saturday "
            "between the Emirates and Saudi Arabia whose ties have been strained by Riyadh's new "
            "friendship with Tehran.",
            ["QAT"],
            ["SAU"],
            id="CONSULT-0009-broken-name-is-the-subject",
        ),
        # A subject clause ("removing ... is out of the question") is done by who says so.
        pytest.param(
            "US authorities said yesterday that removing the sanctions on Burma is currently out of the "
            "question as that would reward the regime for doing nothing.",
            ["USA"],
            ["MMR"],
            id="REJECT-0019-clausal-subject-takes-the-speaker",
        ),
        # The place of the event gives an actor of unknown country its country.
        pytest.param(
            "Hundreds of thousands of people blocked streets in Hong Kong in defiance of Chinese "
            "authorities to demand democratic reforms.",
            ["HKG"],
            [],
            id="PROTEST-0022-people-in-place-not-in-defiance-of",
        ),
        pytest.param(
            "A roadside bombing near the town of Samarra on Sunday killed one U.S. soldier and wounded "
            "two others, the military said.",
            ["IRQ"],
            ["USA"],
            id="ASSAULT-0011-bombing-near-the-town-of-place",
        ),
        pytest.param(
            "An attempt to assassinate deputy governor of the Tyumen region, Oleg Chemezov, was thwarted in "
            "Khanty-Mansiysk (Siberia), the city's police reported.",
            ["RUS"],
            ["RUS", "RUS"],
            id="ASSAULT-0014-place-of-the-governing-clause",
        ),
        pytest.param(
            "Leaders of the Azadliq (Freedom) opposition coalition agreed to postpone the demonstration in "
            "Baku until 9 November.",
            ["AZE"],
            ["AZE"],
            id="AGREE-0024-unknown-coalition-in-place",
        ),
        # A people living in another state is coded by where it lives.
        pytest.param(
            "Up to 100 ethnic Albanians demonstrated on Tuesday in Serbia, where 24 people were killed in "
            "nationalist riots last March, Belgrade radio said.",
            ["SRB"],
            ["SRB"],
            id="PROTEST-0002-ethnic-group-where-it-is",
        ),
        pytest.param(
            "The Albanians of southern Serbia are demanding political and territorial autonomy from "
            "Serbian authorities.",
            ["SRB"],
            ["SRB", "SRB"],
            id="DEMAND-0023-people-of-place",
        ),
        # A state's own institution gives a party of unknown country its country.
        pytest.param(
            "The fundamentalist Umma (Nation) party has said it will boycott Algeria's first multi-party "
            "elections unless the president agrees to step down.",
            ["DZA"],
            [],
            id="THREATEN-0029-party-boycotting-a-states-elections",
        ),
        # Each conjunct of a compound subject is an actor; a gerund after "of" has the clause's subject;
        # violating a ceasefire is CAMEO 196, ASSAULT.
        pytest.param(
            "Both the Phillippines military and the Moro Islamic Liberation Front are guilty of violating "
            "the ceasefire agreement signed in March 2001, according to a group that conducted "
            "simultaneous fact-finding missions in Lanao, Maguindanao, and Cotabato provinces last week.",
            ["PHL", "PHL"],
            [],
            id="FIGHT-0015-both-conjuncts-guilty-of-violating",
        ),
        # Who dies undergoes the event; who holds the victim does it.
        pytest.param(
            "A Palestinian prisoner died as a result of torture while in Israeli police custody, according "
            "to a report by a pathologist sent to Israel by Physicians for Human Rights.",
            ["ISR"],
            ["PSE"],
            id="ASSAULT-0006-died-in-custody",
        ),
    ],
)
def test_gold_sentence_actor_rules(text: str, actors: list[str], recipients: list[str]) -> None:
    assert _codes(text) == (actors, recipients)


@pytest.mark.parametrize(
    ("text", "actors"),
    [
        # What an appeal is about is not where it is made.
        ("Rebel leaders appealed for peace in Syria.", []),
        # A meeting's venue is not its participants' country.
        ("Delegates of the two sides held talks in Geneva on Monday.", []),
    ],
)
def test_place_is_not_the_actor(text: str, actors: list[str]) -> None:
    assert _codes(text)[0] == actors


def test_rebels_demand_what_the_government_must_do() -> None:
    # DEMAND-0022: rebels are not the government's own side, though they share its country.
    (event,) = _primary(
        "Rwandan rebels announced that President Kagame and his Rwandan Patriotic Front must agree to "
        "major constitutional changes before they demobilize."
    )
    assert event[:2] == ("REQUEST", "agree")


def test_the_passive_subject_does_the_complement() -> None:
    # "were ordered to withdraw": the forces withdraw (subject control); a passive trigger's own
    # subject is what the event was done to (ASSAULT-0009 above).
    event = _event("Russian forces were ordered to withdraw from Kherson.", "withdraw")
    assert [a.country for a in event.actors] == ["RUS"]

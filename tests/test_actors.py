"""The actor knowledge base: surface forms, metonyms, adjectives and dated offices."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from parley.errors import KnowledgeError
from parley.knowledge.actors import ActorBase, load_actors
from parley.model import Mention


@pytest.fixture(scope="module")
def actors() -> ActorBase:
    return load_actors()


def _id(actors: ActorBase, surface: str) -> str | None:
    actor = actors.lookup(surface)
    return None if actor is None else actor.id


@pytest.mark.parametrize(
    "surface",
    [
        "Zelensky",
        "Zelenskyy",
        "Zelenskiy",
        "Zelenskyi",
        "Volodymyr Zelenskyy",
        "Volodymyr Zelensky",
    ],
)
def test_lookup_finds_zelenskyy_under_every_spelling(actors: ActorBase, surface: str) -> None:
    assert _id(actors, surface) == "zelenskyy"


@pytest.mark.parametrize(
    ("surface", "actor_id"),
    [
        ("the Kremlin", "rus-gov"),
        ("Kremlin", "rus-gov"),
        ("Moscow", "rus-gov"),
        ("Kyiv", "ukr-gov"),
        ("Kiev", "ukr-gov"),
        ("the White House", "usa-gov"),
        ("The White House", "usa-gov"),
        ("Washington", "usa-gov"),
    ],
)
def test_lookup_resolves_metonyms_to_the_government(actors: ActorBase, surface: str, actor_id: str) -> None:
    assert _id(actors, surface) == actor_id


@pytest.mark.parametrize(
    ("surface", "actor_id"),
    [("Ukrainian", "ukr"), ("Russian", "rus"), ("American", "usa"), ("Belarusian", "blr")],
)
def test_lookup_resolves_country_adjectives_to_the_state(
    actors: ActorBase, surface: str, actor_id: str
) -> None:
    assert _id(actors, surface) == actor_id


def test_lookup_reads_curly_apostrophes_as_straight(actors: ActorBase) -> None:
    assert _id(actors, "Donetsk People\u2019s Republic") == "dpr"


@pytest.mark.parametrize("surface", ["kremlin", "ukrainian", "zelensky"])
def test_lookup_is_case_sensitive(actors: ActorBase, surface: str) -> None:
    assert actors.lookup(surface) is None


def test_lookup_of_an_unknown_form_is_none(actors: ActorBase) -> None:
    assert actors.lookup("Gondor") is None


def test_surface_forms_give_curly_and_straight_apostrophe_forms(actors: ActorBase) -> None:
    forms = actors.surface_forms()
    assert forms["Donetsk People's Republic"] == forms["Donetsk People\u2019s Republic"] == "dpr"


def test_surface_forms_cover_aliases_metonyms_and_adjectives(actors: ActorBase) -> None:
    forms = actors.surface_forms()
    assert (forms["Zelensky"], forms["Kremlin"], forms["Ukrainian"]) == (
        "zelenskyy",
        "rus-gov",
        "ukr",
    )


def test_mention_carries_the_actor_country_and_sector(actors: ActorBase) -> None:
    # "ready to negotiate a ceasefire with Moscow": characters 559-565 of the seed article
    assert actors.mention("Moscow", 559, 565) == Mention("Moscow", 559, 565, "rus-gov", "RUS", "GOV")


def test_get_returns_the_record_with_its_qid(actors: ActorBase) -> None:
    putin = actors.get("putin")
    assert putin is not None and putin.qid == "Q7747"


def test_iteration_yields_each_actor_once(actors: ActorBase) -> None:
    ids = [actor.id for actor in actors]
    assert len(ids) == len(set(ids)) == len(actors)


@pytest.mark.parametrize(
    ("title", "country", "on", "holder"),
    [
        ("president", "UKR", dt.date(2024, 6, 1), "zelenskyy"),
        ("president", "USA", dt.date(2022, 6, 1), "biden"),
        ("president", "USA", dt.date(2025, 6, 1), "trump"),
        ("foreign minister", "UKR", dt.date(2023, 1, 1), "kuleba"),
        ("foreign minister", "UKR", dt.date(2025, 1, 1), "sybiha"),
        ("secretary general", "NATO", dt.date(2023, 1, 1), "stoltenberg"),
        ("secretary general", "NATO", dt.date(2025, 1, 1), "rutte"),
        ("prime minister", "RUS", dt.date(2010, 1, 1), "putin"),
        ("chancellor", "DEU", dt.date(2023, 1, 1), "scholz"),
    ],
)
def test_office_holder_depends_on_the_date(
    actors: ActorBase, title: str, country: str, on: dt.date, holder: str
) -> None:
    actor = actors.office_holder(title, country, on)
    assert actor is not None and actor.id == holder


@pytest.mark.parametrize(
    ("title", "on", "holder"),
    [
        ("Ukrainian President", dt.date(2024, 6, 1), "zelenskyy"),
        ("Ukraine\u2019s foreign minister", dt.date(2023, 1, 1), "kuleba"),
        ("the Russian Foreign Minister", dt.date(2023, 1, 1), "lavrov"),
        ("NATO Secretary-General", dt.date(2023, 1, 1), "stoltenberg"),
        ("US Secretary of State", dt.date(2025, 6, 1), "rubio"),
        ("British prime minister", dt.date(2022, 9, 20), "truss"),
        ("head of the Ukrainian delegation", dt.date(2022, 3, 29), "arakhamia"),
    ],
)
def test_office_holder_reads_the_country_from_the_title(
    actors: ActorBase, title: str, on: dt.date, holder: str
) -> None:
    actor = actors.office_holder(title, None, on)
    assert actor is not None and actor.id == holder


@pytest.mark.parametrize(
    ("title", "holder"),
    [
        ("Kremlin spokesman", "peskov"),
        ("Russian Foreign Ministry spokeswoman", "zakharova"),
        ("UN chief", "guterres"),
    ],
)
def test_office_holder_knows_idiomatic_titles(actors: ActorBase, title: str, holder: str) -> None:
    actor = actors.office_holder(title, None, dt.date(2023, 1, 1))
    assert actor is not None and actor.id == holder


def test_office_holder_without_a_date_is_the_current_holder(actors: ActorBase) -> None:
    actor = actors.office_holder("president", "USA", None)
    assert actor is not None and actor.id == "trump"


def test_office_holder_on_a_handover_day_is_the_incoming_holder(actors: ActorBase) -> None:
    actor = actors.office_holder("foreign minister", "UKR", dt.date(2024, 9, 5))
    assert actor is not None and actor.id == "sybiha"


def test_office_holder_of_two_different_offices_is_none(actors: ActorBase) -> None:
    # The Kremlin's press secretary and the foreign ministry's spokeswoman are both "spokesperson".
    assert actors.office_holder("spokesperson", "RUS", dt.date(2023, 1, 1)) is None


def test_office_holder_of_an_unknown_title_is_none(actors: ActorBase) -> None:
    assert actors.office_holder("ambassador", "UKR", dt.date(2023, 1, 1)) is None


@pytest.mark.parametrize(
    ("actor_id", "title", "on", "expected"),
    [
        ("zelenskyy", "president", None, True),
        ("zelenskyy", "The President", dt.date(2024, 6, 1), True),
        ("zelenskyy", "Russian president", None, False),
        ("biden", "president", None, False),
        ("biden", "president", dt.date(2022, 6, 1), True),
        ("kuleba", "foreign minister", dt.date(2025, 1, 1), False),
        ("putin", "president", dt.date(2010, 1, 1), False),
        ("peskov", "Kremlin spokesman", None, True),
        ("zakharova", "Kremlin spokesman", None, False),
        ("nobody", "president", None, False),
    ],
)
def test_holds_office(
    actors: ActorBase, actor_id: str, title: str, on: dt.date | None, expected: bool
) -> None:
    assert actors.holds_office(actor_id, title, on) is expected


@pytest.mark.parametrize(
    ("actor_id", "country"),
    [("zelenskyy", "UKR"), ("rus-gov", "RUS"), ("dpr", "UKR"), ("nato", None), ("rutte", None)],
)
def test_state_of(actors: ActorBase, actor_id: str, country: str | None) -> None:
    assert actors.state_of(actor_id) == country


@pytest.mark.parametrize(
    ("title", "noun"),
    [
        ("Press Secretary of the President of Russia", "spokesperson"),
        ("Adviser to the Head of the Office of the President of Ukraine", "adviser"),
        ("Vice President of the United States", "vice president"),
        ("defense minister", "defence minister"),
        ("Secretary-General", "secretary general"),
        ("president's press secretary", "spokesperson"),
    ],
)
def test_role_noun_is_the_head_of_the_title(actors: ActorBase, title: str, noun: str) -> None:
    assert actors.role_noun(title) == noun


def test_every_curated_role_has_a_role_noun(actors: ActorBase) -> None:
    # Dictionary roles are CAMEO codes ("CAMEO RUSGOV"), not offices: only curated titles resolve.
    nameless = [
        r.title
        for a in actors
        if not actors.from_dictionary(a.id)
        for r in a.roles
        if actors.role_noun(r.title) is None
    ]
    assert nameless == []


VALID_ACTOR = """\
  - id: ukr
    name: Ukraine
    kind: state
    country: UKR
"""


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("actors:\n  - name: Ukraine\n    kind: state\n", "actor 1: missing 'id'"),
        ("actors:\n  - id: ukr\n    kind: state\n", "actor 1 (ukr): missing 'name'"),
        ("actors:\n" + VALID_ACTOR + VALID_ACTOR, "actor 2 (ukr): duplicate id"),
        ("actors:\n  - {id: ukr, name: Ukraine, kind: country}\n", "'kind' must be one of"),
        (
            "actors:\n  - id: z\n    name: Z\n    kind: person\n"
            "    roles: [{title: President, start: 2019-02-30}]\n",
            "actor 1 (z): role 1 (President): bad date in 'start'",
        ),
        (
            "actors:\n  - id: z\n    name: Z\n    kind: person\n"
            "    roles: [{title: President, start: 20 May 2019}]\n",
            "bad date in 'start'",
        ),
        (
            "actors:\n" + VALID_ACTOR + "  - {id: ukr-gov, name: Ukraine, kind: government}\n",
            "surface form 'Ukraine' is claimed by 'ukr' and 'ukr-gov'",
        ),
        (
            "country_adjectives: {Russian: RUS}\nactors:\n" + VALID_ACTOR,
            "adjective 'Russian': no state has country 'RUS'",
        ),
        ("actors: [\n", "not valid YAML"),
    ],
)
def test_malformed_file_raises_naming_file_and_entry(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "actors.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_actors(path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_missing_file_raises_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    with pytest.raises(KnowledgeError) as caught:
        load_actors(path)
    assert f"{path}: cannot read" in str(caught.value)


def test_a_user_file_holds_only_its_own_actors(tmp_path: Path) -> None:
    path = tmp_path / "actors.yaml"
    path.write_text("country_adjectives: {Ukrainian: UKR}\nactors:\n" + VALID_ACTOR, encoding="utf-8")
    base = load_actors(path)
    assert (len(base), _id(base, "Ukrainian"), _id(base, "Kremlin")) == (1, "ukr", None)

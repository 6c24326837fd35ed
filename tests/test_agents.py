"""Generic agents: people named by what they are, kept as AGENT entities with a sector."""

from __future__ import annotations

from typing import get_args

import pytest
from spacy.language import Language

from newsdesk import attributes
from newsdesk.data.lexicons import load_sections
from newsdesk.errors import DataError
from newsdesk.pipeline import load_pipeline
from newsdesk.records import Entity, Sector
from newsdesk.stages.agents import _sectors_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def agents(nlp: Language, text: str) -> dict[str, Entity]:
    return {entity.name: entity for entity in agents_list(nlp, text)}


def agents_list(nlp: Language, text: str) -> list[Entity]:
    doc = nlp(text)
    found: tuple[Entity, ...] = doc._.get(attributes.ENTITIES)
    for entity in found:
        for mention in entity.mentions:
            assert text[mention.start : mention.end] == mention.text
    return [entity for entity in found if entity.type == "AGENT"]


def test_agents_lexicon_sections_are_sectors() -> None:
    assert set(load_sections("agents")) - {None} <= set(get_args(Sector))


def test_agents_lexicon_section_that_is_no_sector_is_an_error() -> None:
    with pytest.raises(DataError, match=r"\[pirates\] that is not a sector"):
        _sectors_of(
            {None: frozenset(), "armed": frozenset({"gunman"}), "pirates": frozenset({"x"})}
        )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Gunmen killed five villagers near the market on Monday.",
            {"gunmen": "armed", "villagers": "civilian"},
        ),
        (
            "A suicide bomber struck a bus carrying students, a police officer said.",
            {"suicide bomber": "armed", "students": "civilian", "police officer": "police"},
        ),
        ("Protesters threw stones at soldiers outside the ministry.", {"protesters": "civilian"}),
    ],
)
def test_agents_named_with_their_sector(nlp: Language, text: str, expected: dict[str, str]) -> None:
    found = agents(nlp, text)
    assert {name: found[name].sector for name in expected if name in found} == expected
    assert all(entity.actor is None for entity in found.values())


def test_agents_country_from_a_demonym_or_a_state_after_them(nlp: Language) -> None:
    found = agents(nlp, "Nigerian villagers said soldiers from Chad had crossed the river.")
    assert (found["Nigerian villagers"].country, found["Nigerian villagers"].sector) == (
        "NGA",
        "civilian",
    )
    assert found["soldiers"].country == "TCD"
    found = agents(nlp, "Kenyan intelligence officials shared the evidence.")
    assert found["Kenyan intelligence officials"].country == "KEN"


def test_agents_a_modifier_names_no_one(nlp: Language) -> None:
    assert agents(nlp, "A guerrilla commander visited the police station.") == {}


def test_agents_one_entity_per_kind_with_every_mention(nlp: Language) -> None:
    text = "Gunmen opened fire on a convoy. Police said the gunmen escaped on motorbikes."
    found = agents(nlp, text)
    assert [m.text for m in found["gunmen"].mentions] == ["Gunmen", "gunmen"]
    assert found["police"].sector == "police"


@pytest.mark.parametrize(
    "text",
    [
        # A name says whose people they are, and stands for them.
        "Red Cross officials said the convoy was turned back.",
        "Officials from the Red Cross said the convoy was turned back.",
        # A name says who this is.
        "Another worker, Amina Yusuf, said the convoy was turned back.",
    ],
)
def test_agents_a_name_for_them_wins(nlp: Language, text: str) -> None:
    assert agents(nlp, text) == {}


def test_agents_the_army_points_back_to_the_one_army_named(nlp: Language) -> None:
    text = "Sudan's army said it repelled the attack. Residents said the army shelled the camp."
    doc = nlp(text)
    found: tuple[Entity, ...] = doc._.get(attributes.ENTITIES)
    (army,) = [entity for entity in found if entity.actor == "SDN.MIL"]
    names = [mention.text for mention in army.mentions if mention.role != "reference"]
    assert names == ["Sudan's army", "army"]  # "it" is a reference (newsdesk_coreference)
    assert "army" not in agents(nlp, text)


def test_agents_the_army_stays_generic_when_two_armies_fit(nlp: Language) -> None:
    text = "Sudan's army and Chad's army met at the border. Later the army withdrew."
    assert agents(nlp, text)["army"].actor is None


@pytest.mark.parametrize(
    ("text", "name", "sector"),
    [
        # An institution named by a common noun, with no army or government of the article
        # behind it, is an actor of its own.
        ("In April, the military removed Bashir and jailed him.", "military", "military"),
        ("The junta imposed martial law on six townships in Yangon.", "junta", "military"),
        (
            "Another court in November revoked Zamora's house arrest.",
            "court",
            "government",
        ),
        (
            "The attack was orchestrated and directed by terrorist ringleaders operating from "
            "Afghanistan.",
            "ringleaders",
            "armed",
        ),
    ],
)
def test_agents_an_institution_named_by_a_common_noun(
    nlp: Language, text: str, name: str, sector: str
) -> None:
    found = agents(nlp, text)
    assert found[name].sector == sector
    assert found[name].actor is None


def test_agents_the_military_points_back_to_the_army_named(nlp: Language) -> None:
    text = (
        "Antonio Guterres condemned the brutality of the Myanmar military. "
        "The junta imposed martial law on six townships in Yangon."
    )
    doc = nlp(text)
    found: tuple[Entity, ...] = doc._.get(attributes.ENTITIES)
    (army,) = [entity for entity in found if entity.actor == "MMR.MIL"]
    assert [mention.text for mention in army.mentions] == ["Myanmar military", "junta"]
    assert agents(nlp, text) == {}


def test_agents_another_court_is_not_the_court_before(nlp: Language) -> None:
    text = (
        "A court later sentenced Zamora to six years in prison. "
        "Another court in November revoked his house arrest."
    )
    courts = [entity for entity in agents_list(nlp, text) if entity.name == "court"]
    assert [[mention.text for mention in court.mentions] for court in courts] == [
        ["court"],
        ["court"],
    ]


@pytest.mark.parametrize(
    "text",
    [
        # The state names its own institution ...
        "Yapande says the government of the Central African Republic has closed the border.",
        # ... and so does the owner "its" points back to.
        "The Central African Republic has ordered its military to seal the border.",
    ],
)
def test_agents_a_state_s_own_institution_is_the_state(nlp: Language, text: str) -> None:
    assert not {"government", "military"} & set(agents(nlp, text))


def test_agents_people_of_a_state_keep_its_country(nlp: Language) -> None:
    assert agents(nlp, "Authorities in Mali said the road was closed.")["authorities"].country == (
        "MLI"
    )


def test_agents_a_states_own_institution_named_by_its_possessive(nlp: Language) -> None:
    text = (
        "Pedersen said Friday that recent agreements between Syria’s transitional authorities "
        "and an armed group are a positive step."
    )
    authorities = agents(nlp, text)["Syria’s transitional authorities"]
    assert (authorities.sector, authorities.country) == ("government", "SYR")

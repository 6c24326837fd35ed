"""Entities typed right: known places NER called people, vessels, groups with a bracketed alias.

The sentences are the kinds issue 12 found wrong in VOA reports: "Khartoum" and "Goma" tagged
PERSON, a ship taken for a person or a territory, "Yemeni Armed Forces (Houthis)" read as the
Yemeni government's army.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from newsdesk import attributes
from newsdesk.data.lexicons import load_sections
from newsdesk.pipeline import load_pipeline
from newsdesk.records import Entity, Place


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def analyse(nlp: Language, text: str) -> tuple[tuple[Entity, ...], tuple[Place, ...]]:
    doc = nlp(text)
    return doc._.get(attributes.ENTITIES), doc._.get(attributes.PLACES)


def by_name(entities: tuple[Entity, ...], name: str) -> Entity:
    matches = [entity for entity in entities if entity.name == name]
    assert len(matches) == 1, [(entity.name, entity.type) for entity in entities]
    return matches[0]


def place_names(places: tuple[Place, ...]) -> set[str]:
    return {mention.text for place in places for mention in place.mentions}


def test_vessel_words_load_with_every_section() -> None:
    sections = load_sections("vessels")
    assert {"nouns", "prefixes", "craft"} <= set(sections)
    assert "tanker" in sections["nouns"]
    assert "uss" in sections["prefixes"]


@pytest.mark.slow
def test_known_place_tagged_person_is_a_place(nlp: Language) -> None:
    text = (
        "Sudan's army accused the RSF of killing civilians. "
        "Khartoum said the attack killed 20 people in Khartoum."
    )
    entities, places = analyse(nlp, text)
    assert by_name(entities, "Khartoum").type == "GPE"
    assert not any(entity.type == "PERSON" for entity in entities)
    assert "Khartoum" in place_names(places)


@pytest.mark.slow
def test_seized_town_and_town_with_its_country_are_places(nlp: Language) -> None:
    entities, places = analyse(
        nlp, "M23 seized Goma in November. Fighting continued near Goma, Congo, on Monday."
    )
    goma = by_name(entities, "Goma")
    assert goma.type == "GPE"
    assert len(goma.mentions) == 2
    assert "Goma" in place_names(places)


@pytest.mark.slow
def test_a_person_with_a_title_stays_a_person(nlp: Language) -> None:
    entities, _ = analyse(
        nlp, "Secretary Kerry raised these concerns in a call. Kerry said aid must reach Aleppo."
    )
    assert by_name(entities, "Kerry").type == "PERSON"


@pytest.mark.slow
def test_a_name_in_a_noun_modifier_is_not_read_as_a_place(nlp: Language) -> None:
    entities, _ = analyse(
        nlp, "He worked on arms control in the Obama administration, officials said."
    )
    assert by_name(entities, "Obama").type == "PERSON"


@pytest.mark.slow
def test_vessels_after_a_noun_or_prefix(nlp: Language) -> None:
    text = (
        "The tanker Sounion was hit by missiles. The destroyer USS Carney shot down drones. "
        "Air Force One landed in Kyiv."
    )
    entities, places = analyse(nlp, text)
    for name in ("Sounion", "USS Carney", "Air Force One"):
        assert by_name(entities, name).type == "VESSEL"
    assert place_names(places) == {"Kyiv"}


@pytest.mark.slow
def test_a_vessel_named_once_is_that_vessel_in_every_mention(nlp: Language) -> None:
    text = (
        "Houthi rebels seized the cargo ship Galaxy Leader in November. "
        "The Galaxy Leader's crew of 25 is still held in Yemen."
    )
    entities, places = analyse(nlp, text)
    ship = by_name(entities, "Galaxy Leader")
    assert ship.type == "VESSEL"
    assert len(ship.mentions) == 2
    assert "Galaxy Leader" not in place_names(places)


@pytest.mark.slow
def test_a_relative_clause_after_a_vessel_noun_names_no_vessel(nlp: Language) -> None:
    entities, _ = analyse(nlp, "Iran released the vessel Britain seized last year.")
    assert not any(entity.type == "VESSEL" for entity in entities)


@pytest.mark.slow
def test_bracketed_alias_of_a_known_group_is_that_group(nlp: Language) -> None:
    entities, _ = analyse(
        nlp, "The Yemeni Armed Forces (Houthis) said they targeted the ship on Tuesday."
    )
    groups = [entity for entity in entities if entity.type == "ORG"]
    assert len(groups) == 1
    assert groups[0].actor == "GRP.HOUTHIS"
    assert "Yemeni Armed Forces" in groups[0].aliases


@pytest.mark.slow
def test_bracketed_acronym_is_one_entity(nlp: Language) -> None:
    entities, _ = analyse(
        nlp,
        "The Rapid Support Forces (RSF) denied the claims. "
        "Tehrik-e-Taliban Pakistan (TTP) claimed the attack in Peshawar.",
    )
    rsf = [entity for entity in entities if entity.actor == "GRP.RSF"]
    ttp = [entity for entity in entities if entity.actor == "GRP.TTP"]
    assert len(rsf) == 1 and "RSF" in rsf[0].aliases
    assert len(ttp) == 1 and "TTP" in ttp[0].aliases


@pytest.mark.slow
def test_a_town_name_used_as_someones_stays_a_person(nlp: Language) -> None:
    # Yao is a city of 270,000 in Japan; here it is a man who advocates and suggests.
    entities, _ = analyse(
        nlp,
        "Yao was advocating a plan for young people in China. "
        "Policies like the one suggested by Yao are likely to have a limited effect.",
    )
    assert by_name(entities, "Yao").type == "PERSON"


@pytest.mark.slow
def test_an_organisation_in_a_small_town_of_its_name_stays_an_organisation(
    nlp: Language,
) -> None:
    # "Congress" is also a town of 2,000 in Arizona: too small to outweigh an institution.
    entities, _ = analyse(nlp, "The sanctions are pending in Congress, a senior aide said.")
    assert by_name(entities, "Congress").type == "ORG"


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        # "mayor of" and "residents of" are said of places only.
        "The mayor of Douglas said the water was safe to drink again.",
        "Residents of Sumy sheltered in basements as the sirens sounded.",
        # A place noun the name is said to be.
        "Douglas is a small town of 12,000 people, two hours from the coast.",
        "Sumy, a city near the border, lost power after the strikes.",
    ],
)
def test_a_name_the_sentence_calls_a_place_is_a_place(nlp: Language, text: str) -> None:
    name = "Douglas" if "Douglas" in text else "Sumy"
    entities, places = analyse(nlp, text)
    assert by_name(entities, name).type == "GPE"
    assert name in place_names(places)


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Douglas said he would run for a second term.",
        "Mayor Douglas said the water was safe to drink again.",
    ],
)
def test_a_speaker_or_a_titled_name_stays_a_person(nlp: Language, text: str) -> None:
    entities, _ = analyse(nlp, text)
    assert by_name(entities, "Douglas").type == "PERSON"

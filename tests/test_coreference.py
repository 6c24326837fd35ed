"""newsdesk_coreference: pronouns and definite descriptions linked to their entities, on
sentences written for these tests; and quotes, claims and events reading the links."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newsdesk import attributes
from newsdesk.components import COMPONENTS
from newsdesk.pipeline import load_pipeline
from newsdesk.records import Entity, Evidence
from newsdesk.stages.coreference import ASSIGNS, NAME, REQUIRES, is_name, load_words

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def entities(doc: Doc) -> tuple[Entity, ...]:
    found: tuple[Entity, ...] = doc._.get(attributes.ENTITIES)
    return found


def named(doc: Doc, name: str) -> Entity:
    return next(entity for entity in entities(doc) if name in entity.name)


def references(entity: Entity) -> list[str]:
    return [mention.text for mention in entity.mentions if mention.role == "reference"]


def referent(doc: Doc, text: str, start: int = 0) -> Entity | None:
    """The entity whose reference mention is ``text`` at or after character ``start``."""
    at = doc.text.index(text, start)
    return next(
        (
            entity
            for entity in entities(doc)
            for mention in entity.mentions
            if mention.role == "reference" and mention.start == at
        ),
        None,
    )


# -- the component -------------------------------------------------------------------------


def test_coreference_runs_right_after_entities() -> None:
    assert NAME == "newsdesk_coreference"
    assert COMPONENTS.index(NAME) == COMPONENTS.index("newsdesk_entities") + 1
    assert f"doc._.{attributes.ENTITIES}" in REQUIRES
    assert list(ASSIGNS) == [f"doc._.{attributes.ENTITIES}"]


def test_coreference_word_lists_load() -> None:
    words = load_words()
    assert {"he", "she"} <= words.person_pronouns
    assert words.sectors["army"] == "military"
    assert "group" in words.group_nouns


def test_coreference_is_name_tells_references_apart() -> None:
    assert is_name(Evidence(start=0, end=5, text="Nazar"))
    assert not is_name(Evidence(start=0, end=2, text="he", role="reference"))


# -- links ---------------------------------------------------------------------------------


def test_coreference_pronoun_to_person(nlp: Language) -> None:
    doc = nlp(
        "Ali Maisam Nazary, head of foreign relations for the National Resistance Front, "
        "spoke in Kabul on Monday. He said the fighters would not surrender."
    )
    assert referent(doc, "He") == named(doc, "Nazary")
    (mention,) = [m for m in named(doc, "Nazary").mentions if m.role == "reference"]
    assert (mention.text, mention.sentence) == ("He", 1)


def test_coreference_description_to_armed_group(nlp: Language) -> None:
    doc = nlp(
        "The Taliban seized the district on Monday. "
        "The insurgent group said its fighters had taken the police headquarters."
    )
    taliban = named(doc, "Taliban")
    assert referent(doc, "The insurgent group") == taliban
    assert referent(doc, "its") == taliban


def test_coreference_description_by_name_word(nlp: Language) -> None:
    doc = nlp(
        "The Ministry of Health confirmed 20 new cases on Monday. "
        "The ministry said it would send doctors to the north."
    )
    ministry = named(doc, "Ministry of Health")
    assert referent(doc, "The ministry") == ministry
    assert referent(doc, "it", doc.text.index("said")) == ministry


def test_coreference_two_equally_near_stay_unresolved(nlp: Language) -> None:
    doc = nlp("Joe Biden and Ashraf Ghani met in Washington on Friday. He said talks went well.")
    assert referent(doc, "He") is None


def test_coreference_plural_noun_in_between_blocks_they(nlp: Language) -> None:
    doc = nlp(
        "The army shelled the town on Monday, and the soldiers later withdrew. "
        "They were seen near the river."
    )
    assert referent(doc, "They") is None


def test_coreference_they_after_forces_in_a_state_is_the_forces(nlp: Language) -> None:
    doc = nlp(
        "Security forces in Somalia say they killed all six attackers who laid siege to a hotel "
        "in the central town of Beledweyne."
    )
    forces = referent(doc, "they")
    assert forces is not None
    assert (forces.name, forces.type, forces.country) == ("security forces", "AGENT", "SOM")


def test_coreference_empty_it_is_no_reference(nlp: Language) -> None:
    doc = nlp("The Taliban seized Kunduz. It is unclear whether the road is open.")
    assert referent(doc, "It") is None


def test_coreference_he_in_a_quote_is_not_the_speaker(nlp: Language) -> None:
    doc = nlp(
        "Ali Maisam Nazary spoke about Ashraf Ghani on Monday. "
        "“He has betrayed the country,” Nazary said."
    )
    assert referent(doc, "He") == named(doc, "Ghani")


def test_coreference_we_in_a_quote_is_the_speakers_group(nlp: Language) -> None:
    doc = nlp(
        "Ali Maisam Nazary, head of foreign relations for the National Resistance Front, "
        "spoke in Kabul. “We will never surrender,” Nazary said."
    )
    nazary = named(doc, "Nazary")
    (role,) = nazary.roles
    assert role.of is not None
    group = next(entity for entity in entities(doc) if entity.id == role.of)
    assert referent(doc, "We") == group


def test_coreference_names_are_kept_apart_from_references(nlp: Language) -> None:
    doc = nlp("The Taliban seized Kunduz on Sunday. They said they controlled the city.")
    taliban = named(doc, "Taliban")
    assert references(taliban) == ["They", "they"]
    assert [m.text for m in taliban.mentions if is_name(m)] == ["Taliban"]


# -- quotes, claims and events read the links ------------------------------------------------


def test_coreference_quotes_speaker_and_claims_claimant(nlp: Language) -> None:
    doc = nlp(
        "Zabihullah Mujahid, the Taliban spokesman, spoke to reporters in Kabul on Tuesday. "
        "The spokesman said the fighters had captured the airport."
    )
    mujahid = named(doc, "Mujahid")
    quote = next(q for q in doc._.get(attributes.QUOTES) if "airport" in q.content.text)
    assert (quote.speaker, quote.speaker_text) == (mujahid.id, "The spokesman")
    claim = next(c for c in doc._.get(attributes.CLAIMS) if "airport" in c.content.text)
    assert claim.claimant == mujahid.id


def test_coreference_events_actor_through_a_pronoun(nlp: Language) -> None:
    doc = nlp("Gunmen stormed a school in Kano on Monday. They killed three teachers.")
    killed = next(e for e in doc._.get(attributes.EVENTS) if e.trigger.text == "killed")
    gunmen = next(entity for entity in entities(doc) if entity.name == "gunmen")
    assert killed.source == (gunmen.id,)
    assert referent(doc, "They") == gunmen


# -- issue 13: gender, outlets and companies named by a noun, subheadings --------------------


def test_coreference_she_skips_a_man_named_by_his_honorific(nlp: Language) -> None:
    doc = nlp(
        "Mr Karim Haidari met Ms Amina Yusuf in Herat on Monday. "
        "She said the road to the city was closed."
    )
    assert referent(doc, "She") == named(doc, "Amina Yusuf")


def test_coreference_a_pronoun_once_resolved_keeps_its_gender(nlp: Language) -> None:
    doc = nlp(
        "Karim Haidari spoke in Herat on Monday. He said the road was closed. "
        "Amina Yusuf and Karim Haidari then met the governor. "
        "She said the talks would go on."
    )
    assert referent(doc, "She") == named(doc, "Amina Yusuf")


def test_coreference_he_and_his_are_the_person_not_the_company(nlp: Language) -> None:
    doc = nlp(
        "Harlan Motors closed its plant in Dayton on Monday. Its owner, Daniel Brooks, "
        "spoke to reporters. He said his workers would be paid until March."
    )
    brooks = named(doc, "Daniel Brooks")
    assert referent(doc, "He") == brooks
    assert referent(doc, "his") == brooks
    assert "He" not in references(named(doc, "Harlan Motors"))


@pytest.mark.parametrize(
    ("text", "description", "name"),
    [
        (
            "The Riverside Post reported on Sunday that the mayor had resigned. "
            "The newspaper said the council would meet on Tuesday.",
            "The newspaper",
            "Riverside Post",
        ),
        (
            "Harlan Motors recalled 40,000 cars in March. "
            "The company said a faulty valve could cause fires.",
            "The company",
            "Harlan Motors",
        ),
        (
            "The Department of Agriculture confirmed the outbreak on Friday. "
            "The department said 9,000 birds had been culled.",
            "The department",
            "Department of Agriculture",
        ),
    ],
)
def test_coreference_organisation_named_by_a_noun(
    nlp: Language, text: str, description: str, name: str
) -> None:
    doc = nlp(text)
    assert referent(doc, description) == named(doc, name)


def test_coreference_the_company_is_never_a_ministry(nlp: Language) -> None:
    doc = nlp(
        "The Ministry of Transport fined the operator on Monday. The company said it would appeal."
    )
    assert referent(doc, "The company") is None


def test_coreference_the_newspaper_needs_an_outlet(nlp: Language) -> None:
    doc = nlp("Harlan Motors recalled 40,000 cars in March. The newspaper said fires were likely.")
    assert referent(doc, "The newspaper") is None

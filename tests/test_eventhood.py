"""Eventhood (stages/events/eventhood.py): which predicates report a political event, on
sentences written for these tests. Non-events: information handed over, idioms, open questions,
purposes, questions; happenings of nature, accident and disease; harm to animals."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from _events import analysed, events_pipeline
from newsdesk import attributes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp() -> Language:
    return events_pipeline()


def analyse(nlp: Language, text: str) -> Doc:
    return analysed(nlp, text, "2024-05-06")


def coded(nlp: Language, text: str) -> list[tuple[str, str]]:
    return [(event.type, event.trigger.text) for event in analyse(nlp, text)._.newsdesk_events]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Information handed over is a communication, not a release or aid.
        ("Police did not return a request for comment on Friday.", "RETREAT"),
        ("The rebels released videos showing the captured soldiers.", "RETREAT"),
        ("Videos released by the group showed burning houses.", "RETREAT"),
        ("A report released on Thursday showed that 300 people had been displaced.", "RETREAT"),
        ("The army provided no details about the operation.", "AID"),
        ("The health ministry provided a toll of 30 dead.", "AID"),
        ("Amina Yusuf contributed to this report.", "AID"),
        ("The spokesman offered no evidence for his claims.", "AGREE"),
        # A refusal to say something rejects nothing.
        ("The army declined to comment on the report.", "REJECT"),
        # Descriptions and idioms.
        ("The militia committed atrocities against civilians in Darfur.", "AGREE"),
        ("Rights groups said atrocities were committed by both sides.", "AGREE"),
        ("The president swore in a new prime minister on Monday.", "THREATEN"),
        ("He spoke at a news conference in Kabul on Monday.", "CONSULT"),
        ("There was still a great deal of uncertainty in the capital.", "AGREE"),
        # Purposes, open questions and questions.
        ("The mission is aimed at protecting shipping lanes in the Red Sea.", "AID"),
        ("It was not clear if police tried to protect the protesters.", "AID"),
        ("Asked by reporters if the army would withdraw, the minister said no.", "RETREAT"),
        ("What has she done wrong, she asked.", "REQUEST"),
        # A month is no march.
        ("Deadly violence began in March in the north.", "PROTEST"),
    ],
)
def test_eventhood_non_events(nlp: Language, text: str, kind: str) -> None:
    assert kind not in {found for found, _ in coded(nlp, text)}, coded(nlp, text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The army released 20 prisoners on Sunday.", "RETREAT"),
        ("The rebels offered talks to the government.", "AGREE"),
        ("The United States is providing aerial photographs and military intelligence.", "AID"),
        ("The opposition asked the court to release the prisoners.", "REQUEST"),
        ("The government asked for international aid.", "REQUEST"),
        ("The prime minister refused to respond to a demand from the president.", "REJECT"),
        ("The leaders held a summit conference in Addis Ababa.", "CONSULT"),
        # Violence stays violence, whatever words of hazard lie near it.
        ("Gunmen killed 14 people in the village on Monday.", "ASSAULT"),
        ("Two soldiers were killed when their convoy came under fire.", "ASSAULT"),
        ("Rebels sank a navy boat, killing five sailors.", "ASSAULT"),
        ("Explosions or fires, often deliberately set, have destroyed court buildings.", "ASSAULT"),
        ("A flood of refugees fled across the border after the attack.", "RETREAT"),
        ("Several hundred troops and aid workers were deployed to the villages.", "MOBILIZE"),
        ("The army sent a team of soldiers to the border.", "MOBILIZE"),
        ("Troops gathered near the border on Monday.", "MOBILIZE"),
        ("The rebels gathered troops near the town.", "MOBILIZE"),
        ("Protesters blocked the main road to the airport.", "PROTEST"),
        # A ban on people gathering restricts people, whatever its reason: COERCE.
        ("Authorities banned public gatherings because of the epidemic.", "COERCE"),
    ],
)
def test_eventhood_events_kept(nlp: Language, text: str, kind: str) -> None:
    assert kind in {found for found, _ in coded(nlp, text)}, coded(nlp, text)


def test_eventhood_destroying_weapons_is_seizure_not_assault(nlp: Language) -> None:
    found = analyse(nlp, "Soldiers destroyed caches of weapons in the forest.")._.newsdesk_events
    assert [(event.type, event.mode) for event in found] == [("COERCE", "seize")]


def test_eventhood_slapped_sanctions_are_sanctions(nlp: Language) -> None:
    assert ("SANCTION", "slaps sanctions") in coded(
        nlp, "The United States slaps sanctions on Iranian oil officials."
    )


@pytest.mark.parametrize(
    "text",
    [
        "At least 14 people were killed when the quake struck southern Turkey on Monday.",
        "The virus killed 30 people in the province last week.",
        "Officials are worried about the disease, which has killed 30 people.",
        "At least 50 people have been killed by cholera this year.",
        "Swine flu killed 12 people in Mexico City.",
        "The fire burned 200 homes in the valley.",
        "Five people were injured in the crash near the capital.",
        "Floods destroyed bridges and roads across the region.",
        "The storm hit the coast on Tuesday, killing three people.",
        "Twelve people died and 40 were injured after a bus collided with a truck.",
        "A landslide buried 20 homes, killing at least 11 people.",
        "The heat wave killed dozens of elderly people in the city.",
        "Collapsing buildings injured 15 people in the town.",
        "Tropical Cyclone Jude slammed into parts of southern Africa this week.",
        "The threat of the cyclone is almost over.",
        "Firefighters battled to contain wildfires in the north.",
        "Doctors are fighting the outbreak in the east.",
        "Their battle with cholera continues in the camps.",
        "The government sent doctors and nurses to the affected region.",
        "Officials slaughtered 20,000 chickens to stop the spread of bird flu.",
        "Thousands of pigs were killed in the province.",
        "The minister died of a heart attack on Sunday.",
        "Authorities blocked the spread of the disease by closing schools.",
        "The ministry sent a medical team to the province.",
        "The ministry sent samples to a laboratory in the capital.",
        "Health workers gathered samples from the patients.",
        "The team gathered data in the villages.",
    ],
)
def test_eventhood_hazards_and_animals_give_no_political_event(nlp: Language, text: str) -> None:
    assert coded(nlp, text) == []


def test_eventhood_forces_sent_to_help_after_a_flood_are_no_mobilisation(nlp: Language) -> None:
    kinds = {kind for kind, _ in coded(nlp, "Soldiers were mobilized to help after the flood.")}
    assert "MOBILIZE" not in kinds
    assert "AID" in kinds


def test_eventhood_article_about_a_quake_keeps_its_toll_but_no_assault(nlp: Language) -> None:
    doc = analyse(
        nlp,
        "A strong earthquake struck eastern Turkey on Monday. At least 14 people were killed "
        "and 200 were injured, officials said.",
    )
    assert doc._.newsdesk_events == ()
    counted = {quantity.value for quantity in doc._.get(attributes.QUANTITIES)}
    assert {14, 200} <= counted


def test_eventhood_article_about_a_war_keeps_its_agentless_harm(nlp: Language) -> None:
    doc = analyse(
        nlp,
        "The war in Sudan has brought hunger, cholera and malaria to millions. Cholera and "
        "measles are spreading in the camps. Nearly half of the women were assaulted while "
        "working in the fields.",
    )
    assert "ASSAULT" in {event.type for event in doc._.newsdesk_events}


def test_eventhood_the_lead_of_a_hurricane_report_judges_its_own_clauses(nlp: Language) -> None:
    text = (
        "The islands, which were battered by recent hurricanes, suffered damage to homes; "
        "on the island of St. Croix, a looter shot and killed a man."
    )
    assert "ASSAULT" in {kind for kind, _ in coded(nlp, text)}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Diseases are open-class: strain codes, "-virus" names, "a type of", "an outbreak of".
        ("The H5N1 strain has killed more than 150 people worldwide.", "ASSAULT"),
        ("The ebolavirus has killed 20 people in the district.", "ASSAULT"),
        ("Officials said this is not the type of bird flu that has killed 150 people.", "ASSAULT"),
        ("Officials issued an alert after an outbreak of cholera killed 60 people.", "ASSAULT"),
        (
            "Nine people were killed and sixty remain in hospital after an outbreak of cholera.",
            "ASSAULT",
        ),
        # Culling animals is neither violence nor an arrest.
        ("Workers began slaughtering, burning and burying 6,000 hogs at the farm.", "ASSAULT"),
        ("Soldiers went from village to village rounding up chickens for the cull.", "COERCE"),
        # A restriction aimed at a disease, not at anyone, is a health measure.
        ("The ministry banned imports of poultry after the outbreak of bird flu.", "COERCE"),
        ("Officials restricted the movement of livestock after the virus was found.", "COERCE"),
        ("A ban on the movement of horses was extended until Friday because of the flu.", "COERCE"),
        ("Officials blocked off the area around the farm where the virus was found.", "PROTEST"),
        # In hazard news, a mobilisation that moves no force is none: an alert, experts, goods.
        (
            "Health officials issued an alert after an outbreak of cholera killed 60 people.",
            "MOBILIZE",
        ),
        ("The agency deployed a team of investigators to the farm after the outbreak.", "MOBILIZE"),
        (
            "The government began the mobilization of 12 million doses of vaccine against the flu.",
            "MOBILIZE",
        ),
    ],
)
def test_eventhood_disease_news_gives_no_conflict_event(
    nlp: Language, text: str, kind: str
) -> None:
    assert kind not in {found for found, _ in coded(nlp, text)}, coded(nlp, text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Real coercion and violence in disease news stay.
        (
            "Police blocked protesters from entering the square during the cholera outbreak.",
            "PROTEST",
        ),
        (
            "Police dispersed the crowd protesting against the quarantine during the outbreak.",
            "COERCE",
        ),
        ("Israel has a blockade on Gaza, where the disease has spread.", "COERCE"),
        ("The government banned the newspaper over its reports on the epidemic.", "COERCE"),
        ("Residents attacked the vehicles carrying the bodies of the Ebola victims.", "ASSAULT"),
        ("Troops were deployed to enforce the quarantine during the Ebola outbreak.", "MOBILIZE"),
        ("Security forces were sent to the border during the outbreak of the virus.", "MOBILIZE"),
    ],
)
def test_eventhood_coercion_in_disease_news_is_kept(nlp: Language, text: str, kind: str) -> None:
    assert kind in {found for found, _ in coded(nlp, text)}, coded(nlp, text)


def test_eventhood_it_in_an_article_about_a_disease_is_the_disease(nlp: Language) -> None:
    text = (
        "The new flu has spread to three more provinces. It has killed 40 people since May. "
        "Scientists hope a vaccine will fight it."
    )
    assert "ASSAULT" not in {kind for kind, _ in coded(nlp, text)}, coded(nlp, text)


def test_eventhood_harm_only_people_do_stays_in_a_disease_article(nlp: Language) -> None:
    text = (
        "An outbreak of HIV was found in the prison last year. The inmates said they suffered "
        "torture during questioning."
    )
    assert "ASSAULT" in {kind for kind, _ in coded(nlp, text)}, coded(nlp, text)

"""Who did what to whom (``stages/events/actors.py``), on sentences of the project's reports:
passives and their "by", light verbs, nominal events, controlled gerunds and infinitives,
coordination, mutual predicates, and what is a topic or a place rather than a party."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from _events import analysed, events_pipeline
from newsdesk.records import Entity, Event

_PUBLISHED = "2025-03-14"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return events_pipeline()


def analyse(nlp: Language, text: str) -> Doc:
    return analysed(nlp, text, _PUBLISHED)


def names(doc: Doc, ids: tuple[str, ...]) -> set[str]:
    entities: dict[str, Entity] = {entity.id: entity for entity in doc._.newsdesk_entities}
    return {entities[item].name for item in ids}


def event_at(doc: Doc, trigger: str) -> Event:
    found = [event for event in doc._.newsdesk_events if event.trigger.text == trigger]
    assert found, f"no {trigger!r} in {[(e.type, e.trigger.text) for e in doc._.newsdesk_events]}"
    return found[0]


# text, trigger, sources, targets: the event's actors exactly.
CASES = [
    # "accused X of doing": the one accused does the act.
    (
        "Afghan officials accused the Taliban of plotting the attack on the girls’ school.",
        "attack",
        {"Taliban"},
        set(),
    ),
    # "X was accused of doing": the passive's subject.
    (
        "Paris was accused of aiding rebels fighting then-president Laurent Gbagbo.",
        "aiding",
        {"Paris"},
        {"rebels"},
    ),
    # "sentenced X ... and for defying": a conjoined preposition's gerund, the one sentenced.
    (
        "Last month, a Bosnian court sentenced Dodik to one year in prison and banned him from "
        "politics for defying decisions by the international High Representative.",
        "defying",
        {"Dodik"},
        set(),
    ),
    # "its reluctance to endorse": the possessor of the noun.
    (
        "Russia signaled its reluctance to endorse the U.S. proposal.",
        "endorse",
        {"Russia"},
        {"United States"},
    ),
    # A light verb's purpose says whom the operation is aimed at.
    (
        "Kenya launched an operation to flush out al-Shabab terrorists from the northeast Boni "
        "Forest on the border with Somalia in 2015.",
        "launched an operation",
        {"Kenya"},
        {"al-Shabaab"},
    ),
    # A passive light verb's "by" is the nominal event's source; a date possessor is when.
    (
        "Bugti reiterated the claim that Tuesday’s attack was orchestrated by militants with "
        "bases in Afghanistan.",
        "attack was orchestrated",
        {"militants"},
        set(),
    ),
    (
        "The attack was led by the Viv Ansanm group, police said.",
        "attack was led",
        {"Viv Ansanm"},
        set(),
    ),
    # "the hijacking by X", wherever the parse hung the "by".
    (
        "Pakistan officials confirmed Friday that 31 people lost their lives in Tuesday’s "
        "train hijacking by armed militants.",
        "hijacking",
        {"militants"},
        set(),
    ),
    # "an operation conducted by X": the light participle's "by".
    (
        "This attack follows an operation conducted by Somalia’s National Intelligence and "
        "Security Agency (NISA) just hours earlier, which resulted in the deaths of 16 "
        "al-Shabab militants.",
        "operation",
        {"National Intelligence and Security Agency"},
        set(),
    ),
    # "claimed responsibility for the attack": the claimant did it.
    (
        "Al-Shabab, a U.S.-designated terrorist group, claimed responsibility for the hotel "
        "attack on Tuesday.",
        "attack",
        {"al-Shabaab"},
        set(),
    ),
    # "launched a series of shelling": the light verb's subject.
    ("Russia launched a series of shelling on Kharkiv overnight.", "shelling", {"Russia"}, set()),
    # "responded by destroying": the subject of the verb.
    (
        "France responded to the Bouake attack by destroying Ivory Coast’s tiny air force.",
        "destroying",
        {"France"},
        {"Côte d'Ivoire"},
    ),
    # The possessor acts; the name before the noun only qualifies it.
    (
        "Russia then used its Security Council veto to shut down the 14-year-old monitoring "
        "panel in April.",
        "veto",
        {"Russia"},
        set(),
    ),
    # What is discussed is no party to a meeting.
    (
        "ECOWAS security chiefs also discussed maritime security in the Gulf of Guinea.",
        "discussed",
        {"Economic Community of West African States"},
        set(),
    ),
    # Forces deployed with no one named deploying them are who mobilises.
    (
        "On Thursday, officials said several hundred troops and humanitarian workers were "
        "deployed to the villages.",
        "deployed",
        {"troops", "humanitarian workers"},
        set(),
    ),
    # "fighting between X and Y": each side; "displaced by fighting" is no act of the
    # displaced.
    (
        "Up to 10,000 civilians were displaced this week by fighting between rebels and "
        "government forces.",
        "fighting",
        {"rebels", "government forces"},
        {"rebels", "government forces"},
    ),
    # "attacking and fighting X": the verbs share their object.
    (
        "Somalia-based al-Shabab has been attacking and fighting Kenyan troops since 2011.",
        "attacking",
        {"al-Shabaab"},
        {"Armed forces of Kenya"},
    ),
    # "pleading with X": whom the request is made to.
    (
        "Central African Republic officials are pleading with civilians to go back to their "
        "villages.",
        "pleading",
        {"Central African Republic"},
        {"civilians"},
    ),
    # Captors and schoolgirls are generic agents, parties though no name gives them.
    (
        "Many Nigerians are expressing relief after more than 270 schoolgirls kidnapped in "
        "northwestern Zamfara state were freed by their captors Tuesday.",
        "freed",
        {"captors"},
        {"schoolgirls"},
    ),
    # Who confirms a killing did not kill; who plots an attack makes it.
    (
        "U.S. President Donald Trump later confirmed al-Rufay’i’s killing in a post on his "
        "Truth Social platform.",
        "killing",
        set(),
        {"al-Rufay’i"},
    ),
    (
        "Afghan militants have been plotting an attack on the capital for months, officials said.",
        "attack",
        {"Afghan militants"},
        set(),
    ),
    # An institution named by a common noun is the actor when no name stands behind it.
    (
        "In April, the military removed Bashir and jailed him.",
        "jailed",
        {"military"},
        {"Bashir"},
    ),
    (
        "The junta imposed martial law on six townships in Yangon.",
        "imposed martial law",
        {"junta"},
        set(),
    ),
    # Who challenges an arrest did not make it.
    (
        "The defence challenged the arrest of the journalist in court.",
        "arrest",
        set(),
        {"journalist"},
    ),
    # "his colleague Chengeto Chidi" is Chidi, not "his".
    (
        "In 2022, he and his colleague Chengeto Chidi were arrested for taking photos of the "
        "police.",
        "arrested",
        set(),
        {"Chengeto Chidi"},
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "trigger", "sources", "targets"), CASES)
def test_actors_from_the_clause(
    nlp: Language, text: str, trigger: str, sources: set[str], targets: set[str]
) -> None:
    doc = analyse(nlp, text)
    event = event_at(doc, trigger)
    assert (names(doc, event.source), names(doc, event.target)) == (sources, targets)


@pytest.mark.slow
def test_actors_a_town_before_an_attack_is_where_not_who(nlp: Language) -> None:
    doc = analyse(nlp, "Police said the Kabul attack was carried out by gunmen on Monday.")
    assert names(doc, event_at(doc, "attack was carried").source) == {"gunmen"}
    doc = analyse(nlp, "The Kabul attack on Monday killed 20 people, police said.")
    assert "Kabul" not in names(doc, event_at(doc, "killed").source)


@pytest.mark.slow
def test_actors_a_meetings_topic_is_no_target(nlp: Language) -> None:
    doc = analyse(
        nlp, "Security officials held talks on Ukraine with Russian diplomats in Riyadh on Monday."
    )
    talks = next(e for e in doc._.newsdesk_events if e.type == "CONSULT")
    assert "Ukraine" not in names(doc, talks.target)

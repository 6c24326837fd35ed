"""newsdesk_events: the event mentions news writes as nouns, judgements and charges (issue 12,
recall), on sentences written for these tests after the VOA reports the gold annotates."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from _events import analysed, events_pipeline
from newsdesk.data.event_lexicon import load_event_lexicon
from newsdesk.records import Entity, Event

_PUBLISHED = "2025-03-12"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return events_pipeline()


def analyse(nlp: Language, text: str) -> Doc:
    return analysed(nlp, text, _PUBLISHED)


def coded(doc: Doc) -> list[tuple[str, str]]:
    return [(event.type, event.trigger.text) for event in doc._.newsdesk_events]


def of_type(doc: Doc, kind: str) -> list[Event]:
    return [event for event in doc._.newsdesk_events if event.type == kind]


def names(doc: Doc, ids: tuple[str, ...]) -> set[str]:
    entities: dict[str, Entity] = {entity.id: entity for entity in doc._.newsdesk_entities}
    return {entities[item].name for item in ids}


# A nominal event told as one real happening is a mention even with no participant in its
# phrase: news restates the event it reports ("the attack", "the siege continues").
@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "kind", "trigger"),
    [
        (
            "Al-Shabab militants stormed a hotel in Beledweyne on Tuesday. The attack lasted "
            "18 hours.",
            "ASSAULT",
            "attack",
        ),
        (
            "Railway officials lost contact with the crew soon after the attack.",
            "ASSAULT",
            "attack",
        ),
        ("A trial opened in Paris on Monday.", "ACCUSE", "trial"),
        ("The war in Sudan has displaced millions of people.", "ASSAULT", "war"),
        ("The health care sector is collapsing since the coup.", "COERCE", "coup"),
        (
            "The Islamist militant group al-Shabab claimed responsibility for the attack.",
            "ASSAULT",
            "attack",
        ),
        (
            "The train was carrying 450 passengers when it came under attack in a tunnel.",
            "ASSAULT",
            "attack",
        ),
        ("The recession followed Trump's imposition of sanctions.", "SANCTION", "sanctions"),
        ("A VOA reporter said the siege continues.", "ASSAULT", "siege"),
        ("Nigeria is seeing a wave of kidnappings of school children.", "ASSAULT", "kidnappings"),
    ],
)
def test_recall_restated_nominal_event_is_a_mention(
    nlp: Language, text: str, kind: str, trigger: str
) -> None:
    assert (kind, trigger) in coded(analyse(nlp, text))


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Experts say attacks are becoming more frequent.",
        "Officials discussed the conditions for a peace deal.",
        "Police detained 70 people, but no major clashes occurred.",
    ],
)
def test_recall_kind_of_event_is_no_mention(nlp: Language, text: str) -> None:
    doc = analyse(nlp, text)
    assert not [item for item in coded(doc) if item[0] in {"ASSAULT", "AGREE"}], coded(doc)


@pytest.mark.slow
def test_recall_rejected_allegation_is_the_accusation(nlp: Language) -> None:
    doc = analyse(nlp, "The Afghan Taliban rejected Pakistan's allegation.")
    assert not of_type(doc, "REJECT"), coded(doc)
    (accusation,) = of_type(doc, "ACCUSE")
    assert accusation.trigger.text == "allegation"
    assert names(doc, accusation.source) == {"Pakistan"}


@pytest.mark.slow
def test_recall_rejected_accusations_keep_the_rejecter_out_of_the_source(nlp: Language) -> None:
    doc = analyse(nlp, "Zamora's legal team has rejected all the accusations.")
    assert not of_type(doc, "REJECT"), coded(doc)
    (accusation,) = of_type(doc, "ACCUSE")
    assert accusation.source == ()


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        'Near the end of his appearance, he called the ruling "arbitrary."',
        "Nebenzia dismissed the panel's findings as biased.",
    ],
)
def test_recall_naming_with_a_judgement_is_a_criticism(nlp: Language, text: str) -> None:
    doc = analyse(nlp, text)
    assert of_type(doc, "ACCUSE"), coded(doc)
    assert not of_type(doc, "CONSULT") and not of_type(doc, "REJECT"), coded(doc)


@pytest.mark.slow
def test_recall_a_name_is_no_criticism(nlp: Language) -> None:
    doc = analyse(nlp, "A Christian-dominated militia called the anti-Balaka fought back.")
    assert not of_type(doc, "ACCUSE"), coded(doc)


@pytest.mark.slow
def test_recall_judged_act_is_an_event_of_its_own(nlp: Language) -> None:
    doc = analyse(nlp, "Rights groups condemned Mhlanga's arrest.")
    assert of_type(doc, "ACCUSE"), coded(doc)
    (arrest,) = of_type(doc, "COERCE")
    assert arrest.trigger.text == "arrest"
    assert not arrest.source  # the condemners did not arrest him


@pytest.mark.slow
def test_recall_weak_nominal_refers_back_to_an_event_told_before(nlp: Language) -> None:
    told = "Somali forces attacked an al-Shabab camp on Monday. The operation lasted hours."
    assert ("ASSAULT", "operation") in coded(analyse(nlp, told))
    untold = "The hospital said the operation lasted hours."
    assert ("ASSAULT", "operation") not in coded(analyse(nlp, untold))


@pytest.mark.slow
def test_recall_rejected_claim_is_the_allegation(nlp: Language) -> None:
    doc = analyse(nlp, "Pakistan and China reject the claims that their ventures harm the Baloch.")
    assert not of_type(doc, "REJECT"), coded(doc)
    assert ("ACCUSE", "claims") in coded(doc)


@pytest.mark.slow
def test_recall_charges_a_court_acts_on(nlp: Language) -> None:
    doc = analyse(nlp, "A court later sentenced Zamora to six years in prison on fraud charges.")
    assert ("ACCUSE", "charges") in coded(doc)


@pytest.mark.slow
def test_recall_a_breached_sanction_stands(nlp: Language) -> None:
    doc = analyse(nlp, "Such transfers would violate a U.N. arms embargo on North Korea.")
    assert of_type(doc, "SANCTION"), coded(doc)


@pytest.mark.slow
def test_recall_cause_given_with_over_is_its_own_event(nlp: Language) -> None:
    doc = analyse(nlp, "Both countries withdrew ambassadors in 2018 over Israel's crackdown.")
    assert of_type(doc, "SANCTION") and of_type(doc, "COERCE"), coded(doc)


@pytest.mark.slow
def test_recall_a_war_named_as_a_time_is_no_event(nlp: Language) -> None:
    doc = analyse(nlp, "Agent Orange was used during the Vietnam war to clear the jungle.")
    assert not of_type(doc, "ASSAULT"), coded(doc)


@pytest.mark.slow
def test_recall_a_month_is_no_march(nlp: Language) -> None:
    doc = analyse(nlp, "The epidemic has spread across the country since March.")
    assert not of_type(doc, "PROTEST"), coded(doc)


@pytest.mark.slow
def test_recall_rejected_request_was_made(nlp: Language) -> None:
    doc = analyse(nlp, "Judge Joan Donoghue rejected Kenya's request to brief the court.")
    assert of_type(doc, "REJECT") and of_type(doc, "REQUEST"), coded(doc)


@pytest.mark.slow
def test_recall_threatened_sanctions_are_an_event(nlp: Language) -> None:
    doc = analyse(nlp, "The statement threatened sanctions and visa restrictions.")
    assert of_type(doc, "THREATEN") and of_type(doc, "SANCTION"), coded(doc)


@pytest.mark.slow
def test_recall_acts_charged_with_accuse_of(nlp: Language) -> None:
    doc = analyse(
        nlp, "The government accuses the rebel group of killing and looting in the villages."
    )
    assert ("ASSAULT", "killing") in coded(doc)


# A sample of the rows added for issue 12, each in a sentence of the kind news writes.
@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Turkey has designated the YPG as terrorists.", "SANCTION"),
        ("Trump threatened the European Union with 200% tariffs on wine.", "SANCTION"),
        ("The foreign military drawdown was supposed to end by May 1.", "RETREAT"),
        ("Opposition lawmakers have spoken out against the action.", "ACCUSE"),
        ("Israeli security forces fired tear gas at Palestinian demonstrators.", "ASSAULT"),
        ("Seleka rebels forced President Francois Bozize from office.", "COERCE"),
        ("An appeals court overturned the conviction of Zamora.", "CONCEDE"),
        ("Both countries withdrew their ambassadors in 2018.", "SANCTION"),
        ("Dodik does not recognize the Bosnian court.", "REJECT"),
        ("A Bosnian court sentenced Dodik to one year in prison.", "COERCE"),
        ("Hundreds of people massed outside the consulate in protest.", "PROTEST"),
    ],
)
def test_recall_lexicon_rows(nlp: Language, text: str, kind: str) -> None:
    doc = analyse(nlp, text)
    assert of_type(doc, kind), coded(doc)


def test_recall_rows_have_their_guide_types() -> None:
    rows = {
        (row.pos, row.phrase): row.type
        for group in load_event_lexicon().predicates.values()
        for row in group
    }
    assert rows[("noun", "war")] == "ASSAULT"
    assert rows[("noun", "trial")] == "ACCUSE"
    assert rows[("noun", "tariff")] == "SANCTION"
    assert rows[("verb", "designate as")] == "SANCTION"

"""newsdesk_events: status and date from the structure of the sentence (issue 12 parts 2, 3):
accusations, denials, conditions, background, claims, and the time that governs each event."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from _events import analysed, events_pipeline
from newsdesk.records import Event, Evidence, TimeExpression
from newsdesk.stages.events.dates import PUBLISHED, event_date, is_historical

_PUBLISHED = "2025-03-14"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return events_pipeline()


def analyse(nlp: Language, text: str) -> Doc:
    return analysed(nlp, text, _PUBLISHED)


def event_at(doc: Doc, trigger: str) -> Event:
    found = [event for event in doc._.newsdesk_events if trigger in event.trigger.text]
    coded = [(event.type, event.trigger.text) for event in doc._.newsdesk_events]
    assert found, f"no event on {trigger!r} in {coded}"
    return found[0]


def name_of(doc: Doc, entity_id: str | None) -> str | None:
    names = {entity.id: entity.name for entity in doc._.newsdesk_entities}
    return None if entity_id is None else names[entity_id]


# text, trigger, type, status, claimed_by (entity name, or None)
STATUS_CASES = [
    # Accusations: the accused act is alleged by the accuser; the ACCUSE itself occurred.
    (
        "The army accused the RSF of killing more than 2,000 civilians.",
        "killing",
        "ASSAULT",
        "alleged",
        "army",
    ),
    (
        "The army accused the RSF of killing more than 2,000 civilians.",
        "accused",
        "ACCUSE",
        "occurred",
        None,
    ),
    (
        "Afghan officials accused the Taliban of plotting the attack on the girls' school.",
        "attack",
        "ASSAULT",
        "alleged",
        "Government of Afghanistan",
    ),
    (
        "Russia blamed Ukraine for the attack on the bridge.",
        "attack",
        "ASSAULT",
        "alleged",
        "Russia",
    ),
    (
        "Kenya alleged that Somalia shelled the border town.",
        "shelled",
        "ASSAULT",
        "alleged",
        "Kenya",
    ),
    ("The RSF was accused of looting the city.", "looting", "ASSAULT", "alleged", None),
    (
        "The EU sanctioned Russia for invading Ukraine.",
        "invading",
        "ASSAULT",
        "alleged",
        "European Union",
    ),
    # Denials: the denied act, claimed by its accuser when named, never by the denier.
    ("The RSF denied accusations of killing civilians.", "killing", "ASSAULT", "denied", None),
    (
        "Israel rejected the allegation that its troops shelled the school.",
        "shelled",
        "ASSAULT",
        "denied",
        None,
    ),
    ("Hamas denied attacking Israel.", "attacking", "ASSAULT", "denied", None),
    # Conditions: "until" under a future clause; a past "until" is a time.
    (
        "The Houthis said attacks on ships will continue until a ceasefire is imposed in Gaza.",
        "attacks",
        "THREATEN",
        "conditional",
        "Houthis",
    ),
    (
        "The Houthis said attacks on ships will continue until a ceasefire is imposed in Gaza.",
        "ceasefire",
        "RETREAT",
        "conditional",
        "Houthis",
    ),
    ("The army shelled the town until dawn.", "shelled", "ASSAULT", "occurred", None),
    # Background: past perfect in the story's voice, "since", a date well before the news.
    ("M23 had seized Goma before the talks.", "seized", "COERCE", "historical", None),
    (
        "The siege of El Fasher has continued since the RSF attacked the city in May 2024.",
        "attacked",
        "ASSAULT",
        "historical",
        None,
    ),
    ("M23 seized Goma in January.", "seized", "COERCE", "historical", None),
    ("Russia launched a series of shelling last week.", "shelling", "ASSAULT", "occurred", None),
    (
        "Bosnian prosecutors on Wednesday had ordered the arrest of Dodik.",
        "arrest",
        "COERCE",
        "occurred",
        None,
    ),
    (
        "The Central African Republic descended into violence in 2013 when Seleka rebels "
        "seized power.",
        "seized",
        "COERCE",
        "historical",
        None,
    ),
    (
        "Since 2009, hundreds of people have been killed in suicide attacks on hotels.",
        "killed",
        "ASSAULT",
        "historical",
        None,
    ),
    (
        "Relations also soured in 2010 after Israeli commandos stormed the Mavi Marmara.",
        "stormed",
        "ASSAULT",
        "historical",
        None,
    ),
    (
        "Police have arrested at least 2,400 people since February 1.",
        "arrested",
        "COERCE",
        "occurred",
        None,
    ),
    # Claims: under "X said", claimed by X; an event that is a speech verb's subject is not.
    ("The army said it killed 50 militants.", "killed", "ASSAULT", "claimed", "army"),
    (
        "A deadly January attack on a military base has highlighted ongoing insecurity.",
        "attack",
        "ASSAULT",
        "historical",
        None,
    ),
    # The setting of a saying is the story's: its audience, its time and place.
    (
        "The Israeli leader told a cabinet meeting that he had met with security officials.",
        "meeting",
        "CONSULT",
        "occurred",
        None,
    ),
    (
        "Speaking at a United Nations Security Council meeting on Afghanistan this week, "
        "Munir Akram said Kabul was failing to rein in Baloch separatists.",
        "meeting",
        "CONSULT",
        "occurred",
        None,
    ),
    # A speech act in the present is done by saying it; a quoted assault stays the speaker's.
    (
        '"We urge Afghanistan to hold perpetrators accountable," Akram said.',
        "urge",
        "REQUEST",
        "occurred",
        None,
    ),
    (
        '"Israel attacks the Muslims in Jerusalem in a savage manner," Erdogan said.',
        "attacks",
        "ASSAULT",
        "claimed",
        "Recep Tayyip Erdoğan",
    ),
    # The party that claims responsibility for an attack is its claimant; the attack happened.
    (
        "Al-Shabab, a U.S.-designated terrorist group, claimed responsibility for the hotel "
        "attack on Tuesday.",
        "attack",
        "ASSAULT",
        "occurred",
        "al-Shabaab",
    ),
    # What is confirmed is vouched for.
    (
        "U.S. President Donald Trump later confirmed al-Rufay'i's killing in a post.",
        "killing",
        "ASSAULT",
        "occurred",
        None,
    ),
    (
        "District Commissioner Omar Osman Alasow confirmed that the hotel siege ended early "
        "Wednesday.",
        "siege",
        "ASSAULT",
        "occurred",
        None,
    ),
    # An act that goes on, or that someone is asked to stop, is no plan.
    (
        "U.S. lawmakers are likely to be further angered by a Turkish court ruling on "
        "Wednesday to continue to imprison Metin Topuz.",
        "imprison",
        "COERCE",
        "occurred",
        None,
    ),
    (
        "Washington's envoy urged Beijing to persuade them to cease their dangerous cooperation.",
        "cooperation",
        "COOPERATE",
        "occurred",
        None,
    ),
    # What a party awaits, considers or faces is to come; what it faced, came.
    (
        "The publisher is awaiting another trial in a money-laundering case.",
        "trial",
        "ACCUSE",
        "planned",
        None,
    ),
    (
        "The European Union is also considering sanctions against Somalia.",
        "sanctions",
        "SANCTION",
        "planned",
        None,
    ),
    (
        "He is scheduled to travel to Canada on Wednesday for meetings with G7 ministers.",
        "travel",
        "CONSULT",
        "planned",
        None,
    ),
    ("The town faced heavy shelling on Monday.", "shelling", "ASSAULT", "occurred", None),
    # An act named as the subject of a future verb exists; only what it will do is to come.
    (
        "The new EU measures will apply not only to steel and aluminum products but also textiles.",
        "measures",
        "SANCTION",
        "occurred",
        None,
    ),
    # Background named by the words around it.
    (
        "That would be the 20th anniversary of the terrorist strikes against the U.S.",
        "strikes",
        "ASSAULT",
        "historical",
        None,
    ),
    (
        "The International Criminal Court rules Wednesday on whether to uphold its earlier "
        "acquittal of Gbagbo.",
        "acquittal",
        "CONCEDE",
        "historical",
        None,
    ),
    (
        "In past bilateral tensions, Ankara has threatened to close U.S. operations at Incirlik.",
        "threatened",
        "THREATEN",
        "historical",
        None,
    ),
    (
        "In the past month, Trump has been waging a tit-for-tat tariff fight with the United "
        "States' biggest trading partners.",
        "tariff fight",
        "SANCTION",
        "occurred",
        None,
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "trigger", "kind", "status", "claimant"), STATUS_CASES)
def test_events_status_from_the_sentence(
    nlp: Language, text: str, trigger: str, kind: str, status: str, claimant: str | None
) -> None:
    doc = analyse(nlp, text)
    event = event_at(doc, trigger)
    assert (event.type, event.status) == (kind, status)
    assert name_of(doc, event.claimed_by) == claimant


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "The RSF denied accusations of killing civilians.",
        "Israel rejected the allegation that its troops shelled the school.",
    ],
)
def test_events_a_denied_allegation_is_an_accusation_not_a_rejection(
    nlp: Language, text: str
) -> None:
    kinds = {event.type for event in analyse(nlp, text)._.newsdesk_events}
    assert "ACCUSE" in kinds
    assert "REJECT" not in kinds


# text, trigger, date, precision
DATE_CASES = [
    ("Fighters attacked the town late Thursday night.", "attacked", "2025-03-13", "day"),
    ("On Thursday, the army agreed to withdraw from the town.", "withdraw", "2025-03-13", "day"),
    (
        "Militants attacked a passenger train Tuesday near Sibi, taking many hostages.",
        "hostages",
        "2025-03-11",
        "day",
    ),
    # A participle on a noun is not dated by the clause its noun belongs to.
    (
        "More than 270 schoolgirls kidnapped in Zamfara state were freed by their captors Tuesday.",
        "kidnapped",
        _PUBLISHED,
        PUBLISHED,
    ),
    (
        "Since August 2022, when President Hassan Sheikh Mohamud called for a total war "
        "against al-Shabab, Beledweyne has been the center of the fight.",
        "called for",
        "2022-08",
        "month",
    ),
    ("The Taliban captured Kunduz.", "captured", _PUBLISHED, PUBLISHED),
    # Background with no date of its own never takes the publication day.
    ("M23 had seized Goma before the talks.", "seized", None, None),
    ("M23 seized Goma in January.", "seized", "2025-01", "month"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "trigger", "value", "precision"), DATE_CASES)
def test_events_date_from_the_governing_time(
    nlp: Language, text: str, trigger: str, value: str | None, precision: str | None
) -> None:
    event = event_at(analyse(nlp, text), trigger)
    assert (event.date, event.date_precision) == (value, precision)


def _time(text: str, value: str, precision: str) -> TimeExpression:
    return TimeExpression(
        text=text,
        evidence=Evidence(text=text, start=0, end=len(text), sentence=0),
        value=value,
        precision=precision,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    ("text", "value", "precision", "historical"),
    [
        ("in January", "2025-01", "month", True),
        ("on February 20", "2025-02-20", "day", False),  # three weeks: told as context, current
        ("on February 10", "2025-02-10", "day", True),
        ("in 2024", "2024", "year", True),
        ("last week", "2025-03-03/2025-03-09", "week", False),
        ("since February 1", "2025-02-01/2025-03-14", "day", False),  # runs to the news
        ("since 2011", "2011", "year", True),  # its start, dating a ", when" clause
    ],
)
def test_events_historical_by_date(text: str, value: str, precision: str, historical: bool) -> None:
    assert is_historical(_time(text, value, precision), date(2025, 3, 14)) is historical


def test_events_date_published_only_when_the_text_gives_none() -> None:
    published = date(2025, 3, 14)
    assert event_date(_time("Tuesday", "2025-03-11", "day"), published) == ("2025-03-11", "day")
    assert event_date(None, published) == ("2025-03-14", PUBLISHED)
    assert event_date(None, published, historical=True) == (None, None)
    assert event_date(None, None) == (None, None)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "trigger", "sources", "targets"),
    [
        # A denied allegation: the accuser accuses, the denier is the accused.
        (
            "The Afghan Taliban have rejected Pakistan's allegation that the attack was planned "
            "in Afghanistan.",
            "allegation",
            {"Pakistan"},
            {"Taliban"},
        ),
        # "blamed the attacks on X": X is charged with the attacks.
        (
            "Islamabad has blamed several recent attacks on militants present on Afghan soil.",
            "attacks",
            {"militants"},
            set(),
        ),
    ],
)
def test_events_parties_of_a_charge(
    nlp: Language, text: str, trigger: str, sources: set[str], targets: set[str]
) -> None:
    doc = analyse(nlp, text)
    event = event_at(doc, trigger)
    names = {entity.id: entity.name for entity in doc._.newsdesk_entities}
    assert {names[item] for item in event.source} == sources
    assert {names[item] for item in event.target} >= targets

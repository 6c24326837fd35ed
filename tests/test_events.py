"""newsdesk_events: PLOVER type, actors, status, place, time and evidence, on sentences written
for these tests; and the event lexicon's loader."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from _events import analysed, events_pipeline
from newsdesk.data.event_lexicon import WORD_SECTIONS, load_event_lexicon, parse_event_lexicon
from newsdesk.errors import DataError
from newsdesk.records import Entity, Event, Place
from newsdesk.stages import events

_PUBLISHED = "2021-08-24"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return events_pipeline()


def analyse(nlp: Language, text: str) -> Doc:
    return analysed(nlp, text, _PUBLISHED)


def names(doc: Doc, ids: tuple[str, ...]) -> set[str]:
    entities: dict[str, Entity] = {entity.id: entity for entity in doc._.newsdesk_entities}
    return {entities[item].name for item in ids}


def only_event(doc: Doc, kind: str) -> Event:
    found = [event for event in doc._.newsdesk_events if event.type == kind]
    assert found, f"no {kind} event in {[(e.type, e.trigger.text) for e in doc._.newsdesk_events]}"
    return found[0]


# text, type, sources, targets, status
CASES = [
    (
        "Taliban fighters attacked the police station in Kandahar on Monday.",
        "ASSAULT",
        {"Taliban"},
        set(),
        "occurred",
    ),
    (
        "The Taliban attacked Hezbollah near Kabul.",
        "ASSAULT",
        {"Taliban"},
        {"Hezbollah"},
        "occurred",
    ),
    (
        "The convoy was attacked by al-Shabaab near Mogadishu.",
        "ASSAULT",
        {"al-Shabaab"},
        set(),
        "occurred",
    ),
    (
        "Boko Haram kidnapped dozens of schoolgirls in Borno.",
        "ASSAULT",
        {"Boko Haram"},
        set(),
        "occurred",
    ),
    (
        "Hamas and Israel clashed in Gaza on Friday.",
        "ASSAULT",
        {"Hamas", "Israel"},
        {"Hamas", "Israel"},
        "occurred",
    ),
    (
        "Al-Shabaab carried out an attack on the African Union base.",
        "ASSAULT",
        {"al-Shabaab"},
        set(),
        "occurred",
    ),
    (
        "Russia launched an offensive against Ukraine.",
        "ASSAULT",
        {"Russia"},
        {"Ukraine"},
        "occurred",
    ),
    ("Pakistan's attack on India was condemned.", "ASSAULT", {"Pakistan"}, {"India"}, "occurred"),
    (
        "The assassination of Ahmad Shah Massoud by Al Qaeda in 2001 shocked Afghanistan.",
        "ASSAULT",
        {"al-Qaeda"},
        {"Ahmad Shah Massoud"},
        "historical",
    ),
    (
        "Iran and Iraq held talks in Baghdad on Sunday.",
        "CONSULT",
        {"Iran", "Iraq"},
        {"Iran", "Iraq"},
        "occurred",
    ),
    (
        "Talks between Ethiopia and Egypt took place in Cairo.",
        "CONSULT",
        {"Ethiopia", "Egypt"},
        {"Ethiopia", "Egypt"},
        "occurred",
    ),
    ("The Taliban met Pakistan in Islamabad.", "CONSULT", {"Taliban"}, {"Pakistan"}, "occurred"),
    ("Police arrested Hamas members in Hebron.", "COERCE", set(), set(), "occurred"),
    ("The Taliban captured Kunduz on Sunday.", "COERCE", {"Taliban"}, {"Kunduz"}, "occurred"),
    ("Iran imposed sanctions on Syria last week.", "SANCTION", {"Iran"}, {"Syria"}, "occurred"),
    ("The Taliban amassed fighters near Kabul.", "MOBILIZE", {"Taliban"}, set(), "occurred"),
    (
        "Russia deployed troops to the border with Ukraine.",
        "MOBILIZE",
        {"Russia"},
        set(),
        "occurred",
    ),
    ("Thousands of protesters demonstrated in Khartoum.", "PROTEST", set(), set(), "occurred"),
    ("France condemned the coup in Mali.", "ACCUSE", {"France"}, set(), "occurred"),
    ("Egypt urged Ethiopia to resume talks.", "REQUEST", {"Egypt"}, {"Ethiopia"}, "occurred"),
    ("Israel rejected the proposal from Egypt.", "REJECT", {"Israel"}, set(), "occurred"),
    ("Local officials refused to hand over the province.", "REJECT", set(), set(), "occurred"),
    ("The Taliban threatened to attack Kabul.", "THREATEN", {"Taliban"}, set(), "occurred"),
    ("The United States sent aid to Haiti.", "AID", {"United States"}, set(), "occurred"),
    ("Ukraine withdrew its troops from Bakhmut.", "RETREAT", {"Ukraine"}, set(), "occurred"),
    ("The Taliban did not attack Kabul.", "ASSAULT", {"Taliban"}, {"Kabul"}, "negated"),
    ("Hamas denied attacking Israel.", "ASSAULT", set(), {"Israel"}, "denied"),
    ("The Taliban will attack Kabul next week.", "ASSAULT", {"Taliban"}, {"Kabul"}, "planned"),
    ("The Taliban want to negotiate with the NRF.", "CONSULT", {"Taliban"}, set(), "planned"),
    (
        "If the talks fail, Hamas will attack Israel.",
        "THREATEN",
        {"Hamas"},
        {"Israel"},
        "conditional",
    ),
    ("The Taliban say they have besieged Herat.", "COERCE", {"Taliban"}, {"Herat"}, "claimed"),
    (
        "Amina Yusuf tweeted that the Taliban had gathered troops near Herat.",
        "MOBILIZE",
        {"Taliban"},
        set(),
        "claimed",
    ),
    (
        "The Red Army invaded Afghanistan in 1979.",
        "ASSAULT",
        {"Red Army"},
        {"Afghanistan"},
        "historical",
    ),
    # Whom an act goes to, between whom it mediates, who a noun in apposition is.
    (
        "Japan halted economic aid to Ghana on Tuesday.",
        "SANCTION",
        {"Japan"},
        {"Ghana"},
        "occurred",
    ),
    ("The foreign minister apologised to Kenya.", "SUPPORT", set(), {"Kenya"}, "occurred"),
    (
        "Qatar launched a mediation effort between Ghana and Togo.",
        "CONSULT",
        {"Qatar"},
        {"Ghana", "Togo"},
        "occurred",
    ),
    (
        "The junta ordered the opposition newspaper Daily Voice to close.",
        "COERCE",
        set(),
        {"Daily Voice"},
        "occurred",
    ),
    # Whom a demand is made of, whom an act lets do something, whose call is rejected.
    (
        "The council demanded that Togo release the prisoners.",
        "REQUEST",
        set(),
        {"Togo"},
        "occurred",
    ),
    (
        "The court allowed Amina Yusuf to stand in the election.",
        "CONCEDE",
        set(),
        {"Amina Yusuf"},
        "occurred",
    ),
    ("Ghana rejected calls by Togo for new talks.", "REJECT", {"Ghana"}, {"Togo"}, "occurred"),
    ("Kenya investigated crimes by the militia.", "ACCUSE", {"Kenya"}, {"militia"}, "occurred"),
    # What an actor agrees to do, and for whom.
    ("Norway agreed to provide food aid to Chad.", "AGREE", {"Norway"}, {"Chad"}, "occurred"),
    ("Norway agreed to provide food aid to Chad.", "AID", {"Norway"}, {"Chad"}, "planned"),
    ("Ghana offered to negotiate with the rebels.", "AGREE", {"Ghana"}, {"rebels"}, "occurred"),
    ("Norway sent medical supplies to Chad.", "AID", {"Norway"}, {"Chad"}, "occurred"),
    # Generic agents are actors too.
    (
        "Gunmen killed five villagers in Kano on Monday.",
        "ASSAULT",
        {"gunmen"},
        {"villagers"},
        "occurred",
    ),
    (
        "Protesters clashed with police in Lagos.",
        "ASSAULT",
        {"protesters"},
        {"police"},
        "occurred",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "kind", "sources", "targets", "status"), CASES)
def test_events_type_actors_and_status(
    nlp: Language, text: str, kind: str, sources: set[str], targets: set[str], status: str
) -> None:
    doc = analyse(nlp, text)
    event = only_event(doc, kind)
    assert names(doc, event.source) >= sources
    assert names(doc, event.target) >= targets
    assert event.status == status


@pytest.mark.slow
def test_events_claimed_by_the_speaker(nlp: Language) -> None:
    doc = analyse(nlp, "The Taliban say they have besieged Herat.")
    event = only_event(doc, "COERCE")
    assert names(doc, (event.claimed_by,) if event.claimed_by else ()) == {"Taliban"}


@pytest.mark.slow
def test_events_historical_event_dated_by_its_own_year(nlp: Language) -> None:
    doc = analyse(nlp, "The Red Army invaded Afghanistan in 1979.")
    event = only_event(doc, "ASSAULT")
    assert (event.date, event.date_precision) == ("1979", "year")


@pytest.mark.slow
def test_events_event_describing_a_noun_takes_no_place_from_its_sentence(nlp: Language) -> None:
    # The truce only says which militia is meant; the district is where the militia holds.
    doc = analyse(
        nlp, "The governor said the Kafue district was held by a militia not covered by the truce."
    )
    truce = next(event for event in doc._.newsdesk_events if event.trigger.text == "truce")
    assert truce.place is None


@pytest.mark.slow
def test_events_undated_event_takes_the_publication_date(nlp: Language) -> None:
    doc = analyse(nlp, "The Taliban captured Kunduz.")
    event = only_event(doc, "COERCE")
    assert (event.date, event.date_precision) == (_PUBLISHED, "published")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "kind", "date", "precision"),
    [
        # The light verb's clause holds the time.
        (
            "This week sees more high-level meetings on Ukraine and European security.",
            "CONSULT",
            "2021-08-23/2021-08-29",
            "week",
        ),
        # A noun parsed as the root: its time is the sentence's, read through participles.
        (
            "Also Monday, hundreds of people, many waving Palestinian flags, massed in front of "
            "Israel's consulate in Istanbul in protest of Israeli police actions.",
            "PROTEST",
            "2021-08-23",
            "day",
        ),
        (
            "More recent talks to resolve the electoral impasse officially failed last week "
            "after the government placed blame on the leaders of Puntland and Jubaland.",
            "CONSULT",
            "2021-08-16/2021-08-22",
            "week",
        ),
    ],
)
def test_events_dated_by_the_time_of_their_sentence(
    nlp: Language, text: str, kind: str, date: str, precision: str
) -> None:
    event = only_event(analyse(nlp, text), kind)
    assert (event.date, event.date_precision) == (date, precision)


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        # A span that runs to the news dates no act of it.
        "Police have detained hundreds of protesters over the past two weeks.",
        "Police have detained hundreds of protesters since February 1.",
        # A list of moments dates no one act.
        "Police detained the reporter over his interviews in June and July.",
    ],
)
def test_events_spans_and_lists_of_times_date_no_act(nlp: Language, text: str) -> None:
    event = only_event(analyse(nlp, text), "COERCE")
    assert event.date_precision in {"published", None}


@pytest.mark.slow
def test_events_a_when_clause_after_since_is_its_start(nlp: Language) -> None:
    text = (
        "The militants have been attacking the army since 2011, when the government sent "
        "soldiers into the region."
    )
    doc = analyse(nlp, text)
    sent = next(event for event in doc._.newsdesk_events if event.trigger.text == "sent")
    assert (sent.date, sent.status) == ("2011", "historical")


@pytest.mark.slow
def test_events_place_is_where_it_happened(nlp: Language) -> None:
    doc = analyse(nlp, "Hamas and Israel clashed in Gaza while talks went on in Cairo.")
    event = only_event(doc, "ASSAULT")
    assert event.place is not None
    assert doc._.newsdesk_places[event.place].name == "Gaza"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "kind", "place"),
    [
        # A toponym naming a site ("his Kabul home") is the place, not an affiliation.
        ("Gunmen shot a shopkeeper outside his Kabul home on Tuesday.", "ASSAULT", "Kabul"),
        # The anchor of a named place's relative location is a landmark, not the place.
        ("Rebels attacked Jalalabad, 150 km east of Kabul, on Monday.", "ASSAULT", "Jalalabad"),
        # A "when" clause says where the event happened when its own clause does not.
        ("Two soldiers were killed when a bomb exploded in Herat.", "ASSAULT", "Herat"),
    ],
)
def test_events_place_of_sites_relations_and_circumstances(
    nlp: Language, text: str, kind: str, place: str
) -> None:
    doc = analyse(nlp, text)
    event = main_event(doc)
    assert event.type == kind
    assert event.place is not None
    assert doc._.newsdesk_places[event.place].name == place


@pytest.mark.slow
def test_events_defending_a_stance_is_support(nlp: Language) -> None:
    doc = analyse(nlp, "The minister defended the decision against criticism from the opposition.")
    assert main_event(doc).type == "SUPPORT"


@pytest.mark.slow
def test_events_quantities_attached(nlp: Language) -> None:
    doc = analyse(nlp, "Hundreds of Taliban fighters are heading to Kunduz, the group said.")
    event = only_event(doc, "MOBILIZE")
    assert [quantity.evidence.text for quantity in event.quantities] == [
        "Hundreds of Taliban fighters"
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Chad is a large country with many languages.",
        "The valley is famous for its beauty and its long winters.",
        "Peace is more than the absence of fighting.",
    ],
)
def test_events_description_yields_no_event(nlp: Language, text: str) -> None:
    assert analyse(nlp, text)._.newsdesk_events == ()


@pytest.mark.slow
def test_events_evidence_is_exact(nlp: Language) -> None:
    text = "  Russia launched an offensive against Ukraine.   Hamas denied attacking Israel.  "
    doc = analyse(nlp, text)
    assert len(doc._.newsdesk_events) >= 2
    for event in doc._.newsdesk_events:
        for evidence in (event.trigger, event.evidence):
            assert doc.text[evidence.start : evidence.end] == evidence.text
        assert event.evidence.start <= event.trigger.start < event.evidence.end
        assert 0 < event.confidence <= 1


def main_event(doc: Doc) -> Event:
    events_found = doc._.newsdesk_events
    assert events_found
    return max(events_found, key=lambda event: event.confidence)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Kenya agreed to withdraw its troops from Somalia.", "AGREE"),
        ("Chad refused to release the prisoners.", "REJECT"),
        ("Iran threatened to close the Strait of Hormuz.", "THREATEN"),
        ("Thousands of farmers marched in Paris to demand lower fuel taxes.", "PROTEST"),
        ("Egypt urged Ethiopia to resume talks.", "REQUEST"),
        ("Ghana said it would send food to the refugees.", "AGREE"),
        ("Turkey said it would attack the militants.", "THREATEN"),
        ("Brazil said it will not meet the rebels.", "REJECT"),
        ("Morocco said Algeria must withdraw its ambassador.", "REQUEST"),
        ("Peru will cut aid to Bolivia unless it extradites the suspects.", "THREATEN"),
        ("Poland accused Belarus of organising the border crisis.", "ACCUSE"),
    ],
)
def test_events_main_event_ranks_first(nlp: Language, text: str, kind: str) -> None:
    event = main_event(analyse(nlp, text))
    assert event.type == kind, [
        (e.type, e.trigger.text) for e in analyse(nlp, text)._.newsdesk_events
    ]


@pytest.mark.slow
def test_events_planned_act_kept_beside_the_statement_of_intent(nlp: Language) -> None:
    doc = analyse(nlp, "Ghana said it would withdraw its troops from Mali.")
    assert only_event(doc, "AGREE").status == "claimed"
    assert only_event(doc, "RETREAT").status == "planned"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Gunmen killed two soldiers in the city of Kano in northern Nigeria.", "Kano"),
        ("Protesters marched through Lagos on Friday.", "Lagos"),
        ("A civilian was killed in the Qarqeenabad neighbourhood in central Kabul.", "Qarqeenabad"),
        ("A soldier was killed by gunmen in Nigeria's northern city of Kano.", "Kano"),
    ],
)
def test_events_place_is_the_most_specific(nlp: Language, text: str, place: str) -> None:
    event = main_event(analyse(nlp, text))
    doc = analyse(nlp, text)
    assert event.place is not None
    assert doc._.newsdesk_places[event.place].name == place


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Syrian soldiers clashed with rebels on Monday.",
        "A driver from Kano was shot by police on Monday.",
        # A relative clause describes a noun, not where the event was.
        "Students marched on Friday against foreign troops, which have their bases in Kano.",
        # The source of the report is not the place of the event.
        "Two soldiers were killed, according to a statement from the ministry in Abuja.",
        # A place that acts in a clause of its own is an actor there, not a location here.
        "Rebels captured the airport as Nigeria weighed its response.",
        # A place whose government speaks is a party, not where the event was.
        "Kenya accused the rebels of attacking the convoy on Monday.",
    ],
)
def test_events_places_said_of_other_things_are_no_place(nlp: Language, text: str) -> None:
    doc = analyse(nlp, text)
    assert main_event(doc).place is None, [p.name for p in doc._.newsdesk_places]


@pytest.mark.slow
def test_events_component_declares_what_it_reads(nlp: Language) -> None:
    assert not nlp.analyze_pipes()["problems"][events.NAME]


def test_events_lexicon_is_broad() -> None:
    lexicon = load_event_lexicon()
    kinds = {row.type for rows in lexicon.predicates.values() for row in rows}
    assert len(lexicon) >= 300
    assert len(kinds) == 16


_HEADER = "[predicates]\nattack\tverb\tASSAULT\t-\t19\t0.9\t-\n"
_WORDS = "".join(f"[{name}]\nword\n" for name in WORD_SECTIONS)


@pytest.mark.parametrize(
    ("row", "detail"),
    [
        ("siege\tnoun\tBESIEGE\t-\t19\t0.9\t-", "unknown PLOVER type 'BESIEGE'"),
        ("siege\tnoun\tCOERCE\tbomb\t19\t0.9\t-", "mode 'bomb'"),
        ("siege\tnoun\tCOERCE\trestrict\t04\t0.9\t-", "CAMEO root '04'"),
        ("siege\tnoun\tCOERCE\trestrict\t19\t1.5\t-", "weight '1.5'"),
        ("siege\tnoun\tCOERCE\trestrict\t19", "expected 7 tab-separated columns"),
        ("siege\tnoun\tCOERCE\trestrict\t19\t0.9\tloud", "flags 'loud'"),
        ("attack\tverb\tASSAULT\t-\t19\t0.9\t-", "repeats line 2"),
    ],
)
def test_events_lexicon_bad_row_names_file_and_line(row: str, detail: str) -> None:
    with pytest.raises(DataError) as caught:
        parse_event_lexicon(f"{_HEADER}{row}\n{_WORDS}", path="mine.tsv")
    assert "mine.tsv, line 3" in str(caught.value)
    assert detail in str(caught.value)


def test_events_lexicon_missing_section_is_an_error() -> None:
    with pytest.raises(DataError, match="intent_nouns"):
        parse_event_lexicon(_HEADER + _WORDS.replace("[intent_nouns]\nword\n", ""), path="x")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Government troops recaptured the town on Sunday.", "COERCE"),
        ("Kurdish fighters liberated three villages on Monday.", "COERCE"),
        ("Volunteers handed over 500 kg of food to the Red Crescent.", "AID"),
        ("The army ordered residents to leave the town.", "COERCE"),
        ("Aid workers evacuated the injured from the camp.", "AID"),
        ("Soldiers evacuated from the camp on Monday.", "RETREAT"),
        ("A rights group protested that police had beaten detainees.", "ACCUSE"),
        ("The army prepared to attack the town.", "MOBILIZE"),
        ("The court decided to lift the ban.", "CONCEDE"),
        ("The minister cancelled a planned visit to Haiti.", "SANCTION"),
        ("The authorities shortened the night-time curfew.", "CONCEDE"),
        ("The opposition began collecting signatures against the law.", "PROTEST"),
    ],
)
def test_events_act_types_beyond_the_head_verb(nlp: Language, text: str, kind: str) -> None:
    doc = analyse(nlp, text)
    assert main_event(doc).type == kind, [(e.type, e.trigger.text) for e in doc._.newsdesk_events]


@pytest.mark.slow
def test_events_place_taken_is_named_before_its_province(nlp: Language) -> None:
    doc = analyse(nlp, "Rebels captured Goma in North Kivu province on Monday.")
    event = only_event(doc, "COERCE")
    assert event.place is not None
    assert doc._.newsdesk_places[event.place].name == "Goma"


@pytest.mark.slow
def test_events_coordinated_verbs_share_their_place(nlp: Language) -> None:
    doc = analyse(nlp, "Gunmen shot and killed a driver in Kano on Monday.")
    assert all(
        event.place is not None and doc._.newsdesk_places[event.place].name == "Kano"
        for event in doc._.newsdesk_events
        if event.type == "ASSAULT"
    )


@pytest.mark.slow
def test_events_event_told_during_another_shares_its_place(nlp: Language) -> None:
    doc = analyse(nlp, "Three civilians were killed during the shelling of Kano on Monday.")
    killed = next(e for e in doc._.newsdesk_events if e.trigger.text == "killed")
    assert killed.place is not None
    assert doc._.newsdesk_places[killed.place].name == "Kano"


@pytest.mark.slow
def test_events_where_the_victims_were_is_no_party(nlp: Language) -> None:
    doc = analyse(nlp, "Gunmen killed five villagers in Kano on Monday.")
    event = only_event(doc, "ASSAULT")
    assert (names(doc, event.source), names(doc, event.target)) == ({"gunmen"}, {"villagers"})


@pytest.mark.slow
def test_events_a_threats_clause_tells_the_threateners_deed(nlp: Language) -> None:
    doc = analyse(nlp, "The governor warned that police would break up the rallies.")
    event = only_event(doc, "THREATEN")
    assert "police" not in names(doc, event.target)


@pytest.mark.slow
def test_events_they_is_the_group_not_the_town(nlp: Language) -> None:
    doc = analyse(nlp, "Gunmen stormed a school in Kano on Monday. They killed three teachers.")
    killed = next(e for e in doc._.newsdesk_events if e.trigger.text == "killed")
    assert (names(doc, killed.source), names(doc, killed.target)) == ({"gunmen"}, {"teachers"})


def _places_by_trigger(doc: Doc) -> dict[str, str | None]:
    found: tuple[Place, ...] = doc._.newsdesk_places
    return {
        event.trigger.text: None if event.place is None else found[event.place].name
        for event in doc._.newsdesk_events
    }


@pytest.mark.slow
def test_events_an_act_of_the_lead_incident_told_later_is_at_its_place(nlp: Language) -> None:
    doc = analyse(
        nlp,
        "Gunmen stormed a hotel in the Somali city of Beledweyne on Tuesday. "
        "Officials said the gunmen killed five people.",
    )
    assert _places_by_trigger(doc)["killed"] == "Beledweyne"


@pytest.mark.slow
def test_events_an_act_with_no_place_is_in_the_country_of_the_report(nlp: Language) -> None:
    doc = analyse(
        nlp,
        "Protesters marched through Khartoum, Sudan, on Friday. Security forces fired tear gas "
        "at the crowd. The United Nations condemned the violence.",
    )
    placed = _places_by_trigger(doc)
    assert placed["fired tear gas at"] == "Sudan"
    assert placed["condemned"] is None  # a statement may be made anywhere


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        # A demonym says whose forces, not where they fired.
        "Russian forces shelled the port on Monday. Russian officials said the strikes hit "
        "only military targets.",
        # The place inside a body's name is its home, not where it acted, even when the
        # report names no other place.
        "The Kenya Defence Forces said on Sunday that its soldiers attacked a militant camp. "
        "Kenyan police also arrested three suspects.",
        "The Shreveport Police Department arrested two men on Friday.",
    ],
)
def test_events_a_demonym_or_a_place_in_a_name_is_no_events_place(nlp: Language, text: str) -> None:
    doc = analyse(nlp, text)
    roles = {m.role for place in doc._.newsdesk_places for m in place.mentions}
    assert roles & {"in_name", "demonym"}  # the places are there, with their roles
    assert all(event.place is None for event in doc._.newsdesk_events)


@pytest.mark.slow
def test_events_a_body_named_by_its_home_acts_where_the_text_says(nlp: Language) -> None:
    doc = analyse(
        nlp, "Officers of the Kentucky State Police arrested a man in Louisville on Friday."
    )
    event = only_event(doc, "COERCE")
    assert event.place is not None
    assert doc._.newsdesk_places[event.place].name == "Louisville"

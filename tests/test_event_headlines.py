"""Headline events: a title's events are read, marked, and merged with the body event they
restate. Rules on records built by hand; the whole path on articles written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.lang.en import English

from newsdesk.corpus.merging import merge_events
from newsdesk.corpus.store import Store
from newsdesk.pipeline import Analyzer
from newsdesk.records import Article, Entity, Event, Evidence, Place
from newsdesk.stages.events.context import EventContext
from newsdesk.stages.events.headlines import restate_headlines

# -- the rules, on records ---------------------------------------------------------------------

_TITLE_END = 40


def _event(
    kind: str,
    at: int,
    *,
    source: tuple[str, ...] = (),
    target: tuple[str, ...] = (),
    place: int | None = None,
    status: str = "occurred",
    sentence: int = 1,
) -> Event:
    """An event whose trigger is at ``at``: in the title (sentence 0) before ``_TITLE_END``."""
    trigger = Evidence(
        start=at, end=at + 4, text="word", sentence=0 if at < _TITLE_END else sentence
    )
    return Event.model_validate(
        {
            "type": kind,
            "source": source,
            "target": target,
            "place": place,
            "status": status,
            "trigger": trigger,
            "evidence": trigger,
        }
    )


def _entity(ident: str, name: str, **fields: object) -> Entity:
    return Entity.model_validate({"id": ident, "name": name, "type": "ORG", **fields})


_ENTITIES = {
    entity.id: entity
    for entity in (
        _entity("E1", "gunmen", type="AGENT", sector="armed"),
        _entity("E2", "villagers", type="AGENT", sector="civilian"),
        _entity("E3", "Boko Haram", actor="GRP.BOKO", sector="terrorist", country="NGA"),
        _entity("E4", "police", type="AGENT", sector="police"),
        _entity("E5", "Nigeria", type="GPE", actor="NGA", sector="state", country="NGA"),
        _entity("E6", "Nigerian army", actor="NGA.MIL", sector="military", country="NGA"),
    )
}
_PLACES = (
    Place(name="Nigeria", country="NG", feature="country", precision=4),
    Place(name="Maiduguri", country="NG", admin1="Borno", feature="city", precision=1),
    Place(name="Kano", country="NG", admin1="Kano", feature="city", precision=1),
    Place(name="Niger", country="NE", feature="country", precision=4),
    Place(name="Borno", country="NG", admin1="Borno", feature="admin1", precision=3),
    Place(name="Kwari"),
)


def _context(*, titles: tuple[tuple[int, int], ...]) -> EventContext:
    """An events context holding only what headline merging reads."""
    return EventContext(
        doc=English().make_doc("x"),
        entity_at={},
        place_at={},
        times=[],
        quantities=[],
        quotes=(),
        published=None,
        sentence_starts=[0],
        entities=_ENTITIES,
        places=_PLACES,
        titles=titles,
    )


def _restate(*events: Event) -> tuple[Event, ...]:
    return restate_headlines(events, _context(titles=((0, _TITLE_END),)))


@pytest.mark.parametrize(
    ("headline", "body"),
    [
        # "Gunmen kill 12 in Nigeria" / "Gunmen killed 12 villagers in Maiduguri"
        (
            _event("ASSAULT", 7, source=("E1",), place=0),
            _event("ASSAULT", 60, source=("E1",), target=("E2",), place=1),
        ),
        # a headline's "gunmen" for the group the lead names; a province holds its city
        (
            _event("ASSAULT", 7, source=("E1",), place=4),
            _event("ASSAULT", 60, source=("E3",), place=1),
        ),
        # the state for its army; a place the gazetteer does not know cannot contradict
        (
            _event("ASSAULT", 7, source=("E5",), place=5),
            _event("ASSAULT", 60, source=("E6",), place=1),
        ),
        # "Leaders to meet" / "will meet": both to come
        (_event("CONSULT", 7, status="planned"), _event("CONSULT", 60, status="planned")),
    ],
)
def test_event_headlines_restated_event_is_merged(headline: Event, body: Event) -> None:
    events = _restate(headline, body)
    assert len(events) == 1
    merged = events[0]
    assert merged.trigger == body.trigger  # the body event stays, with its own fields
    assert (merged.source, merged.place, merged.status) == (body.source, body.place, body.status)
    assert merged.headline_trigger == headline.trigger
    assert not merged.headline


def test_event_headlines_headline_asserts_what_the_lead_attributes() -> None:
    # "Airstrikes kill 50 militants" over "Security forces in Somalia say they killed ...":
    # the headline is the story's own voice (VOA-GUIDE: occurred if the story asserts it).
    headline = _event("ASSAULT", 7, source=("E1",), place=0)
    body = _event("ASSAULT", 60, source=("E1",), place=1, status="claimed").model_copy(
        update={"claimed_by": "E1"}
    )
    (merged,) = _restate(headline, body)
    assert (merged.status, merged.claimed_by) == ("occurred", None)
    said = headline.model_copy(update={"status": "claimed", "claimed_by": "E1"})
    (kept,) = _restate(said, body)
    assert (kept.status, kept.claimed_by) == ("claimed", "E1")


@pytest.mark.parametrize(
    "body",
    [
        _event("PROTEST", 60, source=("E1",)),  # another type
        _event("ASSAULT", 60, source=("E4",)),  # another attacker
        _event("ASSAULT", 60, source=("E6",)),  # an army is not "gunmen"
        _event("ASSAULT", 60, source=("E1",), place=3),  # another country
        _event("ASSAULT", 60, source=("E1",), place=2, status="negated"),  # not done
    ],
)
def test_event_headlines_event_restating_nothing_stays_marked(body: Event) -> None:
    headline = _event("ASSAULT", 7, source=("E1",), place=4)
    events = _restate(headline, body)
    assert len(events) == 2
    alone = next(event for event in events if event.trigger == headline.trigger)
    assert alone.headline
    assert alone.headline_trigger == headline.trigger
    other = next(event for event in events if event.trigger == body.trigger)
    assert other == body


def test_event_headlines_two_towns_are_two_events() -> None:
    headline = _event("ASSAULT", 7, source=("E1",), place=1)
    body = _event("ASSAULT", 60, source=("E1",), place=2)
    assert [event.headline for event in _restate(headline, body)] == [True, False]


def test_event_headlines_the_lead_is_restated_first() -> None:
    headline = _event("ASSAULT", 7, source=("E1",), target=("E2",))
    lead = _event("ASSAULT", 60, source=("E1",))
    later = _event("ASSAULT", 200, source=("E1",), target=("E2",), sentence=9)
    merged = _restate(headline, lead, later)
    assert [event.headline_trigger is not None for event in merged] == [True, False]
    second = _event("ASSAULT", 61, source=("E1",), target=("E2",), sentence=2)
    merged = _restate(headline, lead, second)
    assert [event.headline_trigger is not None for event in merged] == [False, True]


def test_event_headlines_a_later_event_must_agree_on_more_than_its_type() -> None:
    headline = _event("ASSAULT", 7, source=("E1",), target=("E2",), place=0)
    for agreeing in (
        _event("ASSAULT", 200, source=("E1",), target=("E2",), sentence=9),
        _event("ASSAULT", 200, source=("E1",), place=1, sentence=9),
    ):
        merged = _restate(headline, agreeing)
        assert len(merged) == 1 and merged[0].headline_trigger == headline.trigger
    for loose in (
        _event("ASSAULT", 200, sentence=9),
        _event("ASSAULT", 200, source=("E1",), sentence=9),
    ):
        assert [event.headline for event in _restate(headline, loose)] == [True, False]


def test_event_headlines_the_main_event_gives_its_words() -> None:
    """ "Militants attack train, take hostages": "attack", written first, is the pointer of the
    lead's attack, whatever order the coder found them in."""
    attack, hostages = _event("ASSAULT", 10), _event("ASSAULT", 25)
    lead = _event("ASSAULT", 60)
    merged = _restate(hostages, attack, lead)
    assert len(merged) == 1
    assert merged[0].headline_trigger == attack.trigger


def test_event_headlines_two_headline_events_two_body_events() -> None:
    """ "Gunmen storm hotel, killing 5": each headline event finds its own body event."""
    first, second = _event("ASSAULT", 7), _event("ASSAULT", 20)
    storm, kill = _event("ASSAULT", 60), _event("ASSAULT", 90)
    merged = _restate(first, second, storm, kill)
    assert [event.headline_trigger for event in merged] == [first.trigger, second.trigger]


def test_event_headlines_no_title_changes_nothing() -> None:
    body = (_event("ASSAULT", 60, source=("E1",)), _event("PROTEST", 90))
    assert restate_headlines(body, _context(titles=())) == body


# -- the whole path ----------------------------------------------------------------------------

_ATTACK = (
    "Gunmen kill 12 in northern Nigeria\n\n"
    "Gunmen killed at least 12 people in the village of Kwari in Nigeria's north on Tuesday, "
    "police said.\n\n"
    "The attackers fled on motorcycles before soldiers arrived."
)


def _analyse(analyzer: Analyzer, text: str) -> Article:
    article = analyzer.analyze(text, published="2024-05-02")
    assert isinstance(article, Article), article
    return article


def _evidence_exact(article: Article) -> None:
    for event in article.events:
        for evidence in (event.trigger, event.evidence, event.headline_trigger):
            if evidence is not None:
                assert article.text[evidence.start : evidence.end] == evidence.text
    for entity in article.entities:
        for mention in entity.mentions:
            assert article.text[mention.start : mention.end] == mention.text
    for place in article.places:
        for mention in place.mentions:
            assert article.text[mention.start : mention.end] == mention.text


@pytest.mark.slow
def test_event_headlines_headline_and_lead_are_one_event(analyzer: Analyzer) -> None:
    article = _analyse(analyzer, _ATTACK)
    title = next(block for block in article.blocks if block.kind == "title")
    assert article.text[title.start : title.end] == "Gunmen kill 12 in northern Nigeria"
    attacks = [event for event in article.events if event.type == "ASSAULT"]
    assert len(attacks) == 1, [(e.trigger.text, e.headline) for e in article.events]
    attack = attacks[0]
    assert attack.trigger.text == "killed"
    assert attack.trigger.start > title.end  # the body's event stays
    assert attack.headline_trigger is not None
    assert attack.headline_trigger.text == "kill"
    assert title.start <= attack.headline_trigger.start < title.end
    assert not any(event.headline for event in article.events)
    # the title's place is read like any other
    nigeria = next(place for place in article.places if place.name == "Nigeria")
    assert any(mention.start < title.end for mention in nigeria.mentions)
    _evidence_exact(article)


@pytest.mark.slow
def test_event_headlines_title_is_a_sentence_of_its_own(analyzer: Analyzer) -> None:
    article = _analyse(analyzer, _ATTACK)
    title = next(block for block in article.blocks if block.kind == "title")
    lead = next(event for event in article.events if event.trigger.text == "killed")
    assert lead.evidence.text.startswith("Gunmen killed at least 12 people")
    assert lead.evidence.sentence == 1  # the title is sentence 0
    assert not any(
        mention.start < title.end < mention.end
        for entity in article.entities
        for mention in entity.mentions
    )


@pytest.mark.slow
def test_event_headlines_headline_with_its_own_event(analyzer: Analyzer) -> None:
    text = (
        "Protesters clash with police in Nairobi\n\n"
        "Thousands of people marched through Nairobi on Friday to demand lower taxes. "
        "Organisers said more marches would follow."
    )
    article = _analyse(analyzer, text)
    alone = [event for event in article.events if event.headline]
    assert len(alone) == 1
    clash = alone[0]
    assert clash.trigger.text == "clash"
    assert clash.headline_trigger == clash.trigger
    assert clash.status == "occurred"  # a headline's present tense tells what happened
    assert clash.place is not None and article.places[clash.place].name == "Nairobi"
    _evidence_exact(article)


@pytest.mark.slow
@pytest.mark.parametrize(
    "title",
    [
        "Kenyan president to visit Ethiopia next week",
        "Report: Kenyan president to visit Ethiopia",
        "Leaders to meet and visit Ethiopia",
    ],
)
def test_event_headlines_headline_infinitive_is_planned(analyzer: Analyzer, title: str) -> None:
    text = (
        f"{title}\n\n"
        "The two governments have been at odds over a port deal for months, officials said."
    )
    article = _analyse(analyzer, text)
    visit = next(event for event in article.events if event.trigger.text == "visit")
    assert (visit.headline, visit.status) == (True, "planned")


@pytest.mark.slow
def test_event_headlines_article_without_title_is_unchanged(analyzer: Analyzer) -> None:
    lead = " ".join(_ATTACK.split("\n\n")[1:])  # one paragraph: no line to take for a title
    article = _analyse(analyzer, lead)
    assert not any(block.kind == "title" for block in article.blocks)
    assert article.events
    assert not any(event.headline or event.headline_trigger for event in article.events)
    assert article.events[0].evidence.sentence == 0


@pytest.mark.slow
def test_event_headlines_survive_the_store_and_count_once(
    analyzer: Analyzer, tmp_path: Path
) -> None:
    article = _analyse(analyzer, _ATTACK)
    with Store(tmp_path / "desk.db") as store:
        store.add_article(article)
        assert store.get_article(article.id) == article
        assert len(store.events()) == len(article.events)
    merged = merge_events([article])
    assert sum(len(event.mentions) for event in merged) == len(article.events)
    attack = next(event for event in merged if event.type == "ASSAULT")
    assert len(attack.mentions) == 1

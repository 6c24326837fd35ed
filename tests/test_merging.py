"""Event merging: one real-world event from many reports, independent sources, conflicts."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _articles import PARAGRAPH_BREAK, article_of, generated_over_weeks
from newsdesk.corpus.merging import merge_events, merge_more
from newsdesk.corpus.syndication import find_syndication
from newsdesk.records import (
    Article,
    Claim,
    Entity,
    Event,
    Evidence,
    Place,
    Quantity,
)

ACTORS = {"Taliban": "GRP.TALIBAN", "National Resistance Front": None, "Pakistan": "PAK"}
PANJSHIR = Place(
    name="Panjshir",
    country="AF",
    admin1="Panjshir",
    lat=35.3,
    lon=69.6,
    precision=2,
    gazetteer_id="afg-panjshir-valley",
)
BAZARAK = Place(
    name="Bazarak",
    country="AF",
    admin1="Panjshir",
    lat=35.31,
    lon=69.52,
    precision=1,
    gazetteer_id="geonames:1147290",
)
PANJSHIR_PROVINCE = Place(
    name="Panjshir province",
    country="AF",
    admin1="Panjshir",
    lat=35.7,
    lon=70.1,
    precision=3,
    gazetteer_id="AF-PAN",
)
KABUL = Place(name="Kabul", country="AF", lat=34.53, lon=69.17, precision=1, gazetteer_id="k")
KANDAHAR = Place(name="Kandahar", country="AF", lat=31.61, lon=65.7, precision=1, gazetteer_id="q")
KARACHI = Place(name="Karachi", country="PK", lat=24.86, lon=67.0, precision=1, gazetteer_id="c")


@dataclass(frozen=True)
class Said:
    """One event as a report states it: its sentence, trigger, and what the coder found."""

    sentence: str
    trigger: str
    type: str = "ASSAULT"
    source: tuple[str, ...] = ("Taliban",)
    target: tuple[str, ...] = ("National Resistance Front",)
    place: Place | None = PANJSHIR
    date: str | None = "2021-08-24"
    precision: str | None = "day"
    status: str = "occurred"
    toll: tuple[float, str] | None = None
    """A figure in the sentence and its unit: (12, "dead") for "12 people"."""
    claim: tuple[str, str] | None = None
    """(claimant, stance) when the sentence is a claim."""


def _evidence(text: str, fragment: str, offset: int = 0) -> Evidence:
    start = text.index(fragment, offset)
    return Evidence(start=start, end=start + len(fragment), text=fragment)


def _report(
    paragraphs: list[str],
    said: list[Said],
    *,
    publisher: str,
    published: str,
) -> Article:
    text = PARAGRAPH_BREAK.join(paragraphs)
    names = list(
        dict.fromkeys(n for s in said for n in (*s.source, *s.target, *(s.claim or ())[:1]))
    )
    entities = tuple(
        Entity(
            id=f"e{i}",
            name=name,
            type="AGENT" if name.islower() else "ORG",  # "gunmen": named by what they are
            actor=ACTORS.get(name),
            mentions=(_evidence(text, name),) if name in text else (),
        )
        for i, name in enumerate(names)
    )
    ids = {entity.name: entity.id for entity in entities}
    places = list(dict.fromkeys(s.place for s in said if s.place is not None))
    events, claims = [], []
    for s in said:
        sentence = _evidence(text, s.sentence)
        quantities = ()
        if s.toll is not None:
            figure = f"{s.toll[0]:g}"
            quantities = (
                Quantity(
                    value=s.toll[0],
                    unit=s.toll[1],
                    evidence=_evidence(text, figure, sentence.start),
                ),
            )
        events.append(
            Event(
                type=s.type,
                source=tuple(ids[n] for n in s.source),
                target=tuple(ids[n] for n in s.target),
                place=places.index(s.place) if s.place is not None else None,
                date=s.date,
                date_precision=s.precision,
                status=s.status,  # type: ignore[arg-type]
                claimed_by=ids[s.claim[0]] if s.claim else None,
                quantities=quantities,
                trigger=_evidence(text, s.trigger, sentence.start),
                evidence=sentence,
            )
        )
        if s.claim is not None:
            claims.append(
                Claim(
                    claimant=ids[s.claim[0]],
                    content=sentence,
                    stance=s.claim[1],  # type: ignore[arg-type]
                    quantities=quantities,
                )
            )
    return article_of(
        paragraphs,
        publisher=publisher,
        published=published,
        entities=entities,
        places=tuple(places),
        events=tuple(events),
        claims=tuple(claims),
    )


ATTACK = (
    "(AFP) - Taliban fighters attacked positions of the National Resistance Front in the "
    "Panjshir valley on Tuesday, killing 12 people, local officials said."
)
ATTACK_SAID = Said(ATTACK, "attacked", toll=(12, "dead"))
ASSAULT = (
    "KABUL (Reuters) - Taliban forces launched an assault on the National Resistance Front "
    "in the Panjshir valley on Tuesday, residents said."
)
FILLER = (
    "The valley, a hundred kilometres north of the capital, held out against the Taliban in "
    "the 1990s and against Soviet forces in the decade before."
)


def _three_reports() -> list[Article]:
    afp = _report([ATTACK, FILLER], [ATTACK_SAID], publisher="AFP", published="2021-08-24")
    reuters = _report(
        [ASSAULT], [Said(ASSAULT, "assault")], publisher="Reuters", published="2021-08-24"
    )
    intro = "Here is the latest from Afghanistan as the new rulers tighten their grip on power."
    copy = _report(
        [intro, ATTACK.removeprefix("(AFP) - ")],
        [Said(ATTACK.removeprefix("(AFP) - "), "attacked", toll=(12, "dead"))],
        publisher="Daily Star",
        published="2021-08-25",
    )
    return [copy, afp, reuters]


def test_merging_three_reports_one_syndicated_copy_is_two_sources() -> None:
    articles = _three_reports()
    syndication = find_syndication(articles)
    assert [(r.article, r.source_article, r.agency) for r in syndication] == [
        (articles[0].id, articles[1].id, "AFP")
    ]
    (merged,) = merge_events(articles, syndication=syndication)
    assert merged.sources == 2
    assert len(merged.mentions) == 3
    assert {m.article for m in merged.mentions} == {a.id for a in articles}
    assert (merged.first_seen, merged.last_seen) == ("2021-08-24", "2021-08-25")
    assert merged.type == "ASSAULT" and merged.status == "occurred"
    assert merged.source == ("GRP.TALIBAN",)
    assert merged.target == ("National Resistance Front",)
    assert (merged.place, merged.country, merged.date) == ("Panjshir", "AF", "2021-08-24")
    assert merged.conflicts == ()
    for mention in merged.mentions:
        article = next(a for a in articles if a.id == mention.article)
        assert article.text[mention.evidence.start : mention.evidence.end] == mention.evidence.text
    # Without the syndication records the copy looks like a third source.
    assert merge_events(articles)[0].sources == 3


def test_merging_claim_and_denial_side_by_side() -> None:
    claimed = "The Taliban said its fighters had captured the Panjshir valley on Monday."
    denied = "The National Resistance Front denied that the Taliban had captured the valley."
    taliban = _report(
        [claimed],
        [
            Said(
                claimed,
                "captured",
                status="claimed",
                claim=("Taliban", "assert"),
                date="2021-08-23",
            )
        ],
        publisher="Al Jazeera",
        published="2021-08-23",
    )
    front = _report(
        [denied],
        [
            Said(
                denied,
                "captured",
                status="denied",
                target=(),
                place=None,
                claim=("National Resistance Front", "deny"),
                date=None,
                precision=None,
            )
        ],
        publisher="BBC",
        published="2021-08-24",
    )
    (merged,) = merge_events([taliban, front])
    assert merged.status == "disputed"
    assert merged.sources == 2
    sides = {(c.claimant, c.stance, c.content.text) for c in merged.conflicts}
    assert sides == {
        ("GRP.TALIBAN", "assert", claimed),
        ("National Resistance Front", "deny", denied),
    }


def test_merging_an_allegation_and_its_denial_are_disputed() -> None:
    alleged = "The National Resistance Front accused the Taliban of shelling the Panjshir valley."
    denied = "The Taliban denied shelling the Panjshir valley."
    front = _report(
        [alleged],
        [
            Said(
                alleged,
                "shelling",
                target=(),
                status="alleged",
                claim=("National Resistance Front", "assert"),
            )
        ],
        publisher="Al Jazeera",
        published="2021-08-24",
    )
    taliban = _report(
        [denied],
        [Said(denied, "shelling", target=(), status="denied", claim=("Taliban", "deny"))],
        publisher="BBC",
        published="2021-08-24",
    )
    (merged,) = merge_events([front, taliban])
    # An allegation asserts the act; the denial contradicts it.
    assert merged.status == "disputed"
    assert {(c.claimant, c.stance) for c in merged.conflicts} == {
        ("National Resistance Front", "assert"),
        ("GRP.TALIBAN", "deny"),
    }


def test_merging_reports_of_one_allegation_stay_alleged() -> None:
    first = "The National Resistance Front accused the Taliban of shelling the Panjshir valley."
    second = "The Taliban shelled the Panjshir valley, the National Resistance Front said."
    reports = [
        _report(
            [text],
            [
                Said(
                    text,
                    trigger,
                    target=(),
                    status="alleged",
                    claim=("National Resistance Front", "assert"),
                )
            ],
            publisher=publisher,
            published="2021-08-24",
        )
        for text, trigger, publisher in (
            (first, "shelling", "Al Jazeera"),
            (second, "shelled", "BBC"),
        )
    ]
    (merged,) = merge_events(reports)
    assert merged.status == "alleged"
    assert merged.sources == 2


def test_merging_different_death_tolls_are_a_conflict() -> None:
    other = (
        "Taliban fighters attacked the National Resistance Front in the Panjshir valley on "
        "Tuesday, killing 20 people, a resistance commander said."
    )
    afp = _report([ATTACK], [ATTACK_SAID], publisher="AFP", published="2021-08-24")
    tolo = _report(
        [other],
        [Said(other, "attacked", toll=(20, "dead"))],
        publisher="Tolo",
        published="2021-08-24",
    )
    (merged,) = merge_events([afp, tolo])
    tolls = sorted(
        (c.claimant, q.value) for c in merged.conflicts for q in c.quantities if q.unit == "dead"
    )
    assert tolls == [("AFP", 12.0), ("Tolo", 20.0)]
    assert merged.status == "occurred"


def _one(
    place: Place | None,
    *,
    date: str | None = "2021-08-24",
    kind: str = "ASSAULT",
    published: str = "2021-08-24",
    publisher: str = "AFP",
    precision: str = "day",
) -> Article:
    sentence = (
        f"Taliban fighters attacked the National Resistance Front ({publisher}, {published})."
    )
    return _report(
        [sentence],
        [Said(sentence, "attacked", type=kind, place=place, date=date, precision=precision)],
        publisher=publisher,
        published=published,
    )


@pytest.mark.parametrize(
    ("first", "second", "merged"),
    [
        ({"place": KABUL}, {"place": KANDAHAR}, False),
        ({"place": KABUL}, {"place": KARACHI}, False),
        ({"place": PANJSHIR}, {"place": BAZARAK}, True),
        ({"place": BAZARAK}, {"place": PANJSHIR_PROVINCE}, True),
        ({"place": KABUL}, {"place": PANJSHIR_PROVINCE}, False),
        ({"place": KABUL}, {"place": None}, True),
        ({"place": KABUL}, {"place": KABUL, "date": "2021-08-23"}, True),
        ({"place": KABUL}, {"place": KABUL, "date": "2021-08-10"}, False),
        ({"place": KABUL, "date": "2001-09-09"}, {"place": KABUL, "date": None}, False),
        ({"place": KABUL}, {"place": KABUL, "date": "2021-08", "precision": "month"}, True),
        ({"place": KABUL}, {"place": KABUL, "date": "2021-07", "precision": "month"}, False),
        ({"place": KABUL}, {"place": KABUL, "kind": "CONSULT"}, False),
        ({"place": KABUL}, {"place": KABUL, "kind": "COERCE"}, True),
    ],
)
def test_merging_compatible_events_merge_and_conflicting_stay_apart(
    first: dict[str, object], second: dict[str, object], merged: bool
) -> None:
    one = _one(**first)  # type: ignore[arg-type]
    two = _one(**second, publisher="Reuters", published="2021-08-25")  # type: ignore[arg-type]
    assert len(merge_events([one, two])) == (1 if merged else 2)


def test_merging_different_actors_stay_apart() -> None:
    first = "Taliban fighters attacked the National Resistance Front in the valley."
    second = "Pakistan shelled positions of the National Resistance Front in the valley."
    one = _report([first], [Said(first, "attacked")], publisher="AFP", published="2021-08-24")
    two = _report(
        [second],
        [Said(second, "shelled", source=("Pakistan",), target=())],
        publisher="Reuters",
        published="2021-08-24",
    )
    assert len(merge_events([one, two])) == 2


def test_merging_generic_agents_do_not_keep_reports_apart() -> None:
    first = "Gunmen attacked a checkpoint in the Panjshir valley, killing two guards."
    second = "Attackers stormed a checkpoint in the Panjshir valley, killing two guards."
    one = _report(
        [first],
        [Said(first, "attacked", source=("gunmen",), target=())],
        publisher="AFP",
        published="2021-08-24",
    )
    two = _report(
        [second],
        [Said(second, "stormed", source=("attackers",), target=())],
        publisher="Reuters",
        published="2021-08-24",
    )
    (merged,) = merge_events([one, two])
    assert set(merged.source) == {"gunmen", "attackers"}
    assert merged.sources == 2


def test_merging_stories_block_the_comparison() -> None:
    one, two = _one(KABUL), _one(KABUL, publisher="Reuters")
    assert len(merge_events([one, two])) == 1
    apart = merge_events([one, two], stories={one.id: "story-a", two.id: "story-b"})
    assert len(apart) == 2


def test_merging_copied_paragraph_in_another_story_counts_its_original_as_source() -> None:
    """A digest's copied paragraph sits in another story than its original (the digest's lead
    is about something else): each story keeps its own merged event, but the copy's source is
    the original's publisher, found by following the copy, even when the digest's story is
    merged alone."""
    copy_text = ATTACK.removeprefix("(AFP) - ")
    afp = _report([ATTACK, FILLER], [ATTACK_SAID], publisher="AFP", published="2021-08-24")
    digest = "Elsewhere in the region, floods closed the main road to the north for a day."
    copy = _report(
        [digest, copy_text],
        [Said(copy_text, "attacked", toll=(12, "dead"))],
        publisher="Daily Star",
        published="2021-08-24",
    )
    syndication = find_syndication([afp, copy])
    assert [(r.article, r.block, r.source_article) for r in syndication] == [(copy.id, 1, afp.id)]
    stories = {afp.id: "story-a", copy.id: "story-b"}
    together = merge_events([afp, copy], syndication=syndication, stories=stories)
    assert sorted({m.article for m in event.mentions} for event in together) == sorted(
        [{afp.id}, {copy.id}]
    )
    (alone,) = merge_events(
        [copy], syndication=syndication, stories=stories, publishers={afp.id: "AFP"}
    )
    assert alone in together
    assert [m.article for m in alone.mentions] == [copy.id]
    # A second AFP report in the digest's story: with the copy followed to AFP's article (its
    # publisher given, the article itself not merged), the two are one source.
    wire = _report([ASSAULT], [Said(ASSAULT, "assault")], publisher="AFP", published="2021-08-24")
    story_b = {copy.id: "story-b", wire.id: "story-b"}
    (followed,) = merge_events(
        [copy, wire], syndication=syndication, stories=story_b, publishers={afp.id: "AFP"}
    )
    assert followed.sources == 1
    (unfollowed,) = merge_events([copy, wire], syndication=syndication, stories=story_b)
    assert unfollowed.sources == 2


@settings(max_examples=30, deadline=None)
@given(
    picks=st.lists(
        st.tuples(
            st.sampled_from([KABUL, KANDAHAR, PANJSHIR, BAZARAK, None]),
            st.sampled_from(["2021-08-22", "2021-08-24", "2021-08-30", None]),
            st.sampled_from(["ASSAULT", "COERCE", "CONSULT"]),
            st.sampled_from(["AFP", "Reuters", "BBC", "Daily Star"]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_merging_every_event_is_in_exactly_one_merged_event(
    picks: list[tuple[Place | None, str | None, str, str]],
) -> None:
    articles = [
        _one(place, date=day, kind=kind, publisher=publisher, published=f"2021-08-{20 + i:02d}")
        for i, (place, day, kind, publisher) in enumerate(picks)
    ]
    merged = merge_events(articles)
    seen = [(m.article, m.event) for event in merged for m in event.mentions]
    assert sorted(seen) == sorted((a.id, 0) for a in articles)
    for event in merged:
        assert 1 <= event.sources <= len({m.publisher for m in event.mentions})
        countries = {
            a.places[a.events[0].place].country
            for a in articles
            if a.id in {m.article for m in event.mentions} and a.events[0].place is not None
        }
        assert len(countries) <= 1


def test_merging_credited_paragraph_counts_as_its_agency() -> None:
    bbc_text = (
        "Taliban fighters attacked the National Resistance Front in the Panjshir valley, "
        "Ali Nazary told the BBC on Tuesday."
    )
    blog_text = (
        "Taliban fighters attacked the National Resistance Front in the valley on Tuesday, "
        "its spokesman told the BBC's Today programme."
    )
    bbc = _report([bbc_text], [Said(bbc_text, "attacked")], publisher="BBC", published="2021-08-24")
    blog = _report(
        ["Latest from the region, collected from the wires.", blog_text],
        [Said(blog_text, "attacked")],
        publisher="AceNewsDesk",
        published="2021-08-24",
    )
    syndication = find_syndication([bbc, blog])
    assert [(r.article, r.block, r.agency) for r in syndication] == [(blog.id, 1, "BBC")]
    (merged,) = merge_events([bbc, blog], syndication=syndication)
    assert merged.sources == 1
    assert merge_events([bbc, blog])[0].sources == 2


def test_merging_undated_background_is_not_the_news_of_the_day() -> None:
    """A report's background ("the Taliban attacked the valley before") has no date: it is not
    the attack of the day that another report tells, however well actors and place agree."""
    news = _one(PANJSHIR)
    recalled = (
        "Taliban fighters had attacked the National Resistance Front in the Panjshir valley "
        "before, without taking it."
    )
    background = Said(recalled, "attacked", date=None, precision=None, status="historical")
    older = _report([recalled], [background], publisher="Reuters", published="2021-08-25")
    again = _report([recalled], [background], publisher="BBC", published="2021-08-26")
    merged = merge_events([news, older, again])
    by_articles = {frozenset(m.article for m in event.mentions) for event in merged}
    assert by_articles == {frozenset({news.id}), frozenset({older.id, again.id})}
    # Told as news with no date, the same sentence is taken as a few days' old news.
    undated = Said(recalled, "attacked", date=None, precision=None)
    report = _report([recalled], [undated], publisher="Reuters", published="2021-08-25")
    assert len(merge_events([news, report])) == 1


GENERATED = generated_over_weeks(160)
GENERATED_COPIES = find_syndication(GENERATED)


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=1, max_value=len(GENERATED) - 1))
def test_merging_more_reports_gives_what_merging_them_all_gives(split: int) -> None:
    """The incremental refresh's step: old merged events replayed, new reports merged in, is
    the same as merging every report again, for reports arriving in publication order."""
    old = merge_events(GENERATED[:split], syndication=GENERATED_COPIES)
    known = {(m.article, m.event): event.id for event in old for m in event.mentions}
    more = merge_more(
        known, GENERATED, fresh={a.id for a in GENERATED[split:]}, syndication=GENERATED_COPIES
    )
    everything = {
        event.id: event for event in merge_events(GENERATED, syndication=GENERATED_COPIES)
    }
    for event in more:
        assert everything.pop(event.id) == event
    untouched = {event.id: event for event in old}
    assert all(untouched[event_id] == event for event_id, event in everything.items())
    new = {a.id for a in GENERATED[split:]}
    assert all(any(m.article in new for m in event.mentions) for event in more)

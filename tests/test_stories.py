"""Stories: incremental clustering with ids that never change as articles arrive."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from _articles import article_of
from newsdesk.corpus.desk import analyse_corpus
from newsdesk.corpus.stories import StoryClusterer, story_id
from newsdesk.corpus.syndication import SyndicationIndex, copy_source
from newsdesk.records import Article, Block, Entity, Event, Evidence, Place, TimeExpression
from newsdesk.settings import load_settings

# (name, type, knowledge-base actor) of the entities each text names.
TALIBAN = ("Taliban", "ORG", "GRP.TALIBAN")
NRF = ("National Resistance Front", "ORG", None)
MASSOUD = ("Ahmad Massoud", "PERSON", None)
PAKISTAN_GOV = ("Pakistani government", "ORG", "PAK.GOV")
PANJSHIR = Place(name="Panjshir", country="AF", gazetteer_id="afg-panjshir", precision=3)
KABUL = Place(name="Kabul", country="AF", gazetteer_id="geonames:1138958", precision=1)
KARACHI = Place(name="Karachi", country="PK", gazetteer_id="geonames:1174872", precision=1)
SINDH = Place(name="Sindh", country="PK", gazetteer_id="pk-sindh", precision=3)

PANJSHIR_TEXTS = [
    "Taliban fighters are advancing on the Panjshir valley, where the National Resistance "
    "Front led by Ahmad Massoud has vowed to resist, officials in Kabul said.",
    "Ahmad Massoud said the National Resistance Front was ready to defend the Panjshir valley "
    "but wanted talks with the Taliban to avoid bloodshed.",
    "The Taliban said hundreds of its fighters had surrounded the Panjshir valley, a claim the "
    "National Resistance Front rejected as propaganda.",
]
FLOOD_TEXTS = [
    "Monsoon floods have submerged large parts of Karachi and Sindh, and the Pakistani "
    "government has asked the army to help evacuate residents from flooded districts.",
    "Rescue teams in Sindh pulled residents from flooded homes as the Pakistani government "
    "declared an emergency after record monsoon rains hit Karachi.",
    "Floodwater began to recede in Karachi on Friday, but the Pakistani government warned "
    "that more monsoon rain was expected across Sindh next week.",
]


def _entity(text: str, index: int, spec: tuple[str, str, str | None]) -> Entity:
    name, kind, actor = spec
    start = text.find(name)
    mentions = (Evidence(start=start, end=start + len(name), text=name),) if start >= 0 else ()
    return Entity(id=f"e{index}", name=name, type=kind, actor=actor, mentions=mentions)  # type: ignore[arg-type]


def _place(text: str, place: Place) -> Place:
    start = text.find(place.name)
    if start < 0:
        return place
    return place.model_copy(
        update={"mentions": (Evidence(start=start, end=start + len(place.name), text=place.name),)}
    )


def _article(
    text: str,
    *,
    published: str,
    entities: tuple[tuple[str, str, str | None], ...] = (),
    places: tuple[Place, ...] = (),
    title: str | None = None,
) -> Article:
    return Article(
        id=hashlib.sha256(f"{published}|{text}".encode()).hexdigest()[:16],
        title=title,
        published=published,
        text=text,
        blocks=(Block(kind="body", start=0, end=len(text)),),
        entities=tuple(_entity(text, i, spec) for i, spec in enumerate(entities)),
        places=tuple(_place(text, place) for place in places),
        extractor="test",
    )


def _panjshir(day: int = 24) -> list[Article]:
    return [
        _article(
            text,
            published=f"2021-08-{day + i:02d}",
            entities=(TALIBAN, NRF, MASSOUD),
            places=(PANJSHIR, KABUL),
            title="Taliban advance on Panjshir" if i == 0 else None,
        )
        for i, text in enumerate(PANJSHIR_TEXTS)
    ]


def _floods(day: int = 24) -> list[Article]:
    return [
        _article(
            text,
            published=f"2021-08-{day + i:02d}",
            entities=(PAKISTAN_GOV,),
            places=(KARACHI, SINDH),
        )
        for i, text in enumerate(FLOOD_TEXTS)
    ]


def _partition(clusterer: StoryClusterer) -> set[frozenset[str]]:
    return {frozenset(story.articles) for story in clusterer.stories()}


def test_stories_two_stories_apart_and_together() -> None:
    panjshir, floods = _panjshir(), _floods()
    clusterer = StoryClusterer()
    ids = [
        clusterer.add(article) for pair in zip(panjshir, floods, strict=True) for article in pair
    ]
    assert ids[0::2] == [story_id(panjshir[0].id)] * 3
    assert ids[1::2] == [story_id(floods[0].id)] * 3
    assert _partition(clusterer) == {
        frozenset(a.id for a in panjshir),
        frozenset(a.id for a in floods),
    }


def test_stories_ids_never_change_as_articles_arrive() -> None:
    clusterer = StoryClusterer()
    first = clusterer.add(_panjshir()[0])
    assert first == story_id(_panjshir()[0].id)
    seen = {first}
    for article in [*_floods(), *_panjshir()[1:]]:
        seen.add(clusterer.add(article))
        assert first in {story.id for story in clusterer.stories()}
    assert seen == {story.id for story in clusterer.stories()}
    # Adding an article again returns its story and changes nothing.
    assert clusterer.add(_panjshir()[2]) == first
    assert len(clusterer) == 2


def test_stories_record_fields() -> None:
    clusterer = StoryClusterer()
    for article in _panjshir():
        clusterer.add(article)
    (story,) = clusterer.stories()
    assert story.title == "Taliban advance on Panjshir"
    assert story.first_seen == "2021-08-24" and story.last_seen == "2021-08-26"
    assert story.countries == ("AF",)
    assert story.actors == ("GRP.TALIBAN",)
    assert story.articles == tuple(a.id for a in _panjshir())
    assert clusterer.assignments() == dict.fromkeys(story.articles, story.id)


def test_stories_time_window_starts_a_new_story() -> None:
    clusterer = StoryClusterer()
    early = clusterer.add(_panjshir(day=1)[0])
    late = clusterer.add(_panjshir(day=20)[1])
    assert early != late
    window = replace(load_settings().corpus, story_window_days=30)
    wide = StoryClusterer(settings=window)
    assert wide.add(_panjshir(day=1)[0]) == wide.add(_panjshir(day=20)[1])


def test_stories_words_alone_cluster_when_nothing_was_extracted() -> None:
    bare = [_article(text, published="2021-08-24") for text in PANJSHIR_TEXTS + FLOOD_TEXTS]
    clusterer = StoryClusterer()
    for article in bare:
        clusterer.add(article)
    assert _partition(clusterer) == {
        frozenset(a.id for a in bare[:3]),
        frozenset(a.id for a in bare[3:]),
    }


def test_stories_undated_article_joins_a_recent_story() -> None:
    clusterer = StoryClusterer()
    for article in _floods():
        clusterer.add(article)
    undated = _floods()[1].model_copy(update={"id": "undated", "published": None})
    assert clusterer.add(undated) == story_id(_floods()[0].id)


@settings(max_examples=30, deadline=None)
@given(order=st.permutations(range(6)))
def test_stories_partition_does_not_depend_on_arrival_order(order: list[int]) -> None:
    articles = [*_panjshir(), *_floods()]
    clusterer = StoryClusterer()
    for position in order:
        clusterer.add(articles[position])
    assert _partition(clusterer) == {
        frozenset(a.id for a in articles[:3]),
        frozenset(a.id for a in articles[3:]),
    }
    # Each story's id is the hash of the article that started it, whatever the order.
    for story in clusterer.stories():
        starter = next(articles[p] for p in order if articles[p].id in story.articles)
        assert story.id == story_id(starter.id)


# -- copies and incidents: stories as a reader draws them -------------------------------------

CEASEFIRE = [
    "Negotiators for the government and the Northern Alliance of rebel groups signed a "
    "ceasefire in the lakeside town of Marenga on Saturday after three weeks of talks.",
    "The agreement opens the coastal road to aid convoys and sets up a joint commission to "
    "count the fighters on each side before any of them hand in their weapons.",
    "Rebel commanders said they would withdraw from the hills above the town within ten days "
    "if government troops stayed in their barracks during the same period.",
    "Diplomats who followed the talks warned that two earlier truces in the region collapsed "
    "within a month, after disputes over who controlled the fishing villages.",
    "Church leaders in Marenga rang bells through the night as residents gathered on the "
    "waterfront to celebrate the end of a war that has displaced thousands of families.",
]
HARVEST = [
    "Farmers across the southern plains began the wheat harvest early this year after a dry "
    "spring, and the ministry of agriculture expects a crop close to last season's record.",
    "Grain traders said prices at the port warehouses fell slightly on the news, while mills "
    "in the capital bought more than usual to rebuild their stocks before the winter.",
    "Co-operatives in the plains asked for more lorries and storage silos, saying that much "
    "of the grain would otherwise wait in the open fields until the autumn rains.",
]


def _report(
    paragraphs: list[str], *, published: str | None, publisher: str, title: str | None = None
) -> Article:
    return article_of(paragraphs, publisher=publisher, published=published, title=title)


def _newer_news(day: str) -> list[Article]:
    """Three weeks of other news: time moves on before the copies arrive."""
    return [_report(HARVEST, published=day, publisher="Farm Weekly")]


def test_stories_republished_copy_with_new_headline_and_no_date_joins() -> None:
    original = _report(
        CEASEFIRE, published="2022-05-07", publisher="Lake Times", title="Ceasefire signed"
    )
    copy = _report(
        CEASEFIRE,
        published=None,
        publisher="Daily Digest",
        title="Peace at last on the lake? Rebels and government sign truce",
    )
    results = analyse_corpus([original, *_newer_news("2022-05-30"), copy])
    assert results.duplicates == {copy.id: original.id}
    (story,) = [s for s in results.stories if original.id in s.articles]
    assert copy.id in story.articles
    assert story.title == "Ceasefire signed"
    # The copy's publication date is unknown: the story's dates are its original's.
    assert story.first_seen == story.last_seen == "2022-05-07"


def test_stories_syndicated_partial_copy_joins() -> None:
    """Three of the five paragraphs, lightly edited, with a paragraph of the outlet's own
    and a new headline: most of it copies the original, so it is the original's story."""
    original = _report(CEASEFIRE, published="2022-05-07", publisher="Lake Times")
    edited = [p.replace("Saturday", "the weekend") for p in CEASEFIRE[:3]]
    own = (
        "Our newsletter will follow the ceasefire closely; readers can write to the desk with "
        "their own accounts of how the agreement is working in their village or town."
    )
    partial = _report(
        [*edited, own], published=None, publisher="Weekly Review", title="Truce on the lake"
    )
    results = analyse_corpus([original, *_newer_news("2022-06-01"), partial])
    assert partial.id not in results.duplicates  # not a near-duplicate: a partial copy
    story = next(s for s in results.stories if original.id in s.articles)
    assert partial.id in story.articles


def test_stories_copy_of_joins_the_story_of_the_article_it_copies() -> None:
    clusterer = StoryClusterer()
    floods = _floods()
    for article in floods:
        clusterer.add(article)
    panjshir = _panjshir()[0]
    # Told it copies a flood report, an article joins that story, whatever its words say.
    assert clusterer.add(panjshir, copy_of=floods[1].id) == story_id(floods[0].id)
    # An id the clusterer has not seen is no story to join: the article is placed as usual.
    fresh = StoryClusterer()
    for article in floods:
        fresh.add(article)
    assert fresh.add(panjshir, copy_of="unknown") == story_id(panjshir.id)


def test_copy_source_is_the_article_most_paragraphs_copy() -> None:
    original = _report(CEASEFIRE, published="2022-05-07", publisher="Lake Times")
    harvest = _report(HARVEST, published="2022-05-06", publisher="Farm Weekly")
    # A harvest report that quotes two ceasefire paragraphs is still a harvest report.
    mixed = _report(
        [HARVEST[0], CEASEFIRE[0], CEASEFIRE[1], HARVEST[1], HARVEST[2]],
        published="2022-05-08",
        publisher="Regional Post",
    )
    index = SyndicationIndex()
    index.add(harvest)
    index.add(original)
    records = index.add(mixed)
    min_chars = load_settings().corpus.min_block_chars
    assert copy_source(mixed, records, min_block_chars=min_chars) == harvest.id
    # Two copied paragraphs of five are not most of a report.
    digest = _report(
        [CEASEFIRE[0], CEASEFIRE[1], *HARVEST_OWN], published="2022-05-09", publisher="Digest"
    )
    assert copy_source(digest, index.add(digest), min_block_chars=min_chars) is None


HARVEST_OWN = [
    "Schools in the valley reopened on Monday after the holidays, and teachers said that more "
    "children than last year had come back to class in the first week of the new term.",
    "The regional football league postponed its final to next month because the stadium in "
    "the provincial capital is still being repaired after the winter storms damaged its roof.",
    "A new bus line links the market towns of the valley to the railway station, with six "
    "departures a day in each direction and lower fares for pupils and pensioners.",
]

# Incidents: places and reports of Russian strikes in north-eastern Ukraine, all the project's.
KHARKIV_REGION = Place(
    name="Kharkiv region",
    country="UA",
    admin1="Kharkiv",
    lat=49.5,
    lon=36.5,
    precision=3,
    gazetteer_id="ua-kharkiv-oblast",
)
IZIUM = Place(
    name="Izium",
    country="UA",
    admin1="Kharkiv",
    lat=49.21,
    lon=37.26,
    precision=1,
    gazetteer_id="gn:izium",
)
KUPIANSK = Place(
    name="Kupiansk",
    country="UA",
    admin1="Kharkiv",
    lat=49.71,
    lon=37.61,
    precision=1,
    gazetteer_id="gn:kupiansk",
)
KHARKIV = Place(
    name="Kharkiv",
    country="UA",
    admin1="Kharkiv",
    lat=49.99,
    lon=36.23,
    precision=1,
    gazetteer_id="gn:kharkiv",
)
SUMY = Place(
    name="Sumy",
    country="UA",
    admin1="Sumy",
    lat=50.91,
    lon=34.8,
    precision=1,
    gazetteer_id="gn:sumy",
)
RUSSIA = ("Russian forces", "ORG", "RUS.MIL")
UKRAINE = ("Ukrainian officials", "ORG", "UKR.GOV")


def _strike(
    lede: str,
    rest: list[str],
    *,
    published: str | None,
    town: Place,
    trigger: str,
    date: str | None,
    publisher: str = "Kyiv Wire",
    stated: tuple[str, str] | None = None,
) -> Article:
    """A strike report: the lede tells the attack (an ASSAULT by Russian forces at ``town`` on
    ``date``), the rest is background. ``stated``: a time expression and its value."""
    base = article_of([lede, *rest], publisher=publisher, published=published)
    text = base.text
    at = text.index(trigger)
    places = (_place(text, town), _place(text, KHARKIV_REGION))
    event = Event(
        type="ASSAULT",
        source=("e0",),
        place=0,
        date=date,
        date_precision="day" if date else None,
        trigger=Evidence(start=at, end=at + len(trigger), text=trigger),
        evidence=Evidence(start=0, end=len(lede), text=lede),
    )
    times = ()
    if stated is not None:
        start = text.index(stated[0])
        times = (
            TimeExpression(
                text=stated[0],
                evidence=Evidence(start=start, end=start + len(stated[0]), text=stated[0]),
                value=stated[1],
                precision="day",
            ),
        )
    return base.model_copy(
        update={
            "entities": (_entity(text, 0, RUSSIA), _entity(text, 1, UKRAINE)),
            "places": places,
            "events": (event,),
            "times": times,
        }
    )


STRIKE_BACKGROUND = [
    "Ukrainian officials said Russian forces have stepped up missile and drone strikes on "
    "towns of the Kharkiv region in recent weeks, hitting homes, power lines and railways.",
    "Russia says it strikes only military targets. Ukrainian officials said the war has "
    "killed thousands of civilians in the region and forced many more from their homes.",
]


def _izium_monday() -> Article:
    return _strike(
        "A Russian missile strike on a block of flats in Izium killed five people on Monday, "
        "Ukrainian officials said, as rescuers searched the rubble for survivors.",
        STRIKE_BACKGROUND,
        published="2024-03-04",
        town=IZIUM,
        trigger="strike",
        date="2024-03-04",
    )


def test_stories_strikes_on_different_days_in_one_region_are_two_stories() -> None:
    izium = _izium_monday()
    kupiansk = _strike(
        "Russian drones struck a railway depot in Kupiansk on Thursday, killing three "
        "workers, Ukrainian officials said, the latest in a wave of attacks on the region.",
        STRIKE_BACKGROUND,
        published="2024-03-07",
        town=KUPIANSK,
        trigger="struck",
        date="2024-03-07",
        publisher="Eastern Herald",
    )
    # A follow-up of the Izium strike, days later, names the same incident in its lede.
    toll = _strike(
        "The death toll from Monday's Russian strike on Izium rose to nine on Friday, after "
        "rescuers found four more bodies under the rubble, Ukrainian officials said.",
        STRIKE_BACKGROUND,
        published="2024-03-08",
        town=IZIUM,
        trigger="strike",
        date="2024-03-04",
    )
    results = analyse_corpus([izium, kupiansk, toll])
    assert {frozenset(s.articles) for s in results.stories} == {
        frozenset({izium.id, toll.id}),
        frozenset({kupiansk.id}),
    }
    # Their events are two incidents, not one event that the reports dispute.
    for merged in results.merged:
        articles = {mention.article for mention in merged.mentions}
        assert not (kupiansk.id in articles and izium.id in articles)
    # The same reports with no incident in them: shared actors, places and words join them.
    bare = [a.model_copy(update={"events": ()}) for a in (izium, kupiansk)]
    clusterer = StoryClusterer()
    assert clusterer.add(bare[0]) == clusterer.add(bare[1])


def test_stories_strikes_in_different_years_are_two_stories() -> None:
    kharkiv = _strike(
        "A Russian glide bomb struck a shopping centre in Kharkiv on Saturday, killing "
        "twelve people, Ukrainian officials said.",
        STRIKE_BACKGROUND,
        published="2024-05-25",
        town=KHARKIV,
        trigger="struck",
        date="2024-05-25",
    )
    # An undated report of a strike on Sumy a year before: its text states the date.
    sumy = _strike(
        "A Russian drone strike on an apartment building in Sumy killed three people on "
        "3 March 2023, Ukrainian officials said.",
        STRIKE_BACKGROUND,
        published=None,
        town=SUMY,
        trigger="strike",
        date="2023-03-03",
        publisher="Archive Feed",
        stated=("3 March 2023", "2023-03-03"),
    )
    results = analyse_corpus([kharkiv, sumy])
    assert len(results.stories) == 2
    assert all(len(m.mentions) == 1 for m in results.merged)
    # With no date the text states, the towns tell the two incidents apart.
    unstated = sumy.model_copy(
        update={
            "times": (),
            "events": tuple(
                e.model_copy(update={"date": None, "date_precision": None}) for e in sumy.events
            ),
        }
    )
    clusterer = StoryClusterer()
    assert clusterer.add(kharkiv) != clusterer.add(unstated)

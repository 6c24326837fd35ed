"""Stories: incremental clustering with ids that never change as articles arrive."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.corpus.stories import StoryClusterer, story_id
from newsdesk.records import Article, Block, Entity, Evidence, Place
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

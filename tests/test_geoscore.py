"""The geoparsing error categories (benchmarks/_geoscore.py) on a story and places written here.

No spaCy and no gazetteer: the entities, the predicted places and the readings of each name are
given by hand, as a scorer would hand them over.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import _geoscore as geo  # noqa: E402  (benchmarks/ is not a package; its scripts import each other)
from newsdesk.geo import distance_km  # noqa: E402

TEXT = (
    "Officers of the Kentucky State Police flew from Paris to Georgia on Monday. "
    "Mayor Lincoln Avery said Austin would send help to Riverton, and New York sent aid "
    "to Frankfort."
)


@dataclass(frozen=True)
class Place:
    name: str
    spans: tuple[tuple[int, int], ...]
    lat: float | None
    lon: float | None
    country: str | None
    precision: int | None
    roles: tuple[str | None, ...] = ()


def at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)


def gold(word: str, lat: float, lon: float) -> geo.GoldToponym:
    return geo.GoldToponym(*at(word), lat=lat, lon=lon, name=word)


PARIS_FR = Place("Paris", (at("Paris"),), 48.86, 2.35, "FR", 1)
PARIS_TX = Place("Paris", (), 33.66, -95.56, "US", 1)
GEORGIA_GE = Place("Georgia", (at("Georgia"),), 42.0, 43.5, "GE", 4)
GEORGIA_US = Place("Georgia", (), 32.7, -83.4, "US", 3)
NEW_YORK_CITY = Place("New York", (at("New York"),), 40.71, -74.01, "US", 1)
NEW_YORK_STATE = Place("New York", (), 42.9, -75.5, "US", 3)
FRANKFORT = Place("Frankfort", (at("Frankfort"),), 38.2, -84.87, "US", 1)
RIVERTON = Place("Riverton", (at("Riverton"),), None, None, None, None)
LINCOLN = Place("Lincoln", (at("Lincoln"),), 40.81, -96.7, "US", 1)

READINGS = {
    "Paris": (PARIS_FR, PARIS_TX),
    "Georgia": (GEORGIA_GE, GEORGIA_US),
    "New York": (NEW_YORK_CITY, NEW_YORK_STATE),
    "Frankfort": (FRANKFORT,),
}
GOLD = (
    gold("Kentucky", 37.5, -85.3),
    gold("Paris", 33.66, -95.56),  # Paris, Texas
    gold("Georgia", 32.7, -83.4),  # the US state
    gold("Austin", 30.27, -97.74),
    gold("Riverton", 43.02, -108.38),
    gold("New York", 42.9, -75.5),  # the state
    gold("Frankfort", 38.2, -84.87),
)
ENTITIES = (
    geo.Entity(*at("Kentucky State Police"), "ORG"),
    geo.Entity(*at("Paris"), "GPE"),
    geo.Entity(*at("Georgia"), "GPE"),
    geo.Entity(*at("Lincoln Avery"), "PERSON"),
    geo.Entity(*at("Austin"), "PERSON"),
    geo.Entity(*at("Riverton"), "GPE"),
    geo.Entity(*at("New York"), "GPE"),
    geo.Entity(*at("Frankfort"), "GPE"),
)


def right(toponym: geo.GoldToponym, place: Place) -> bool:
    if place.lat is None or place.lon is None:
        return False
    return distance_km(place.lat, place.lon, toponym.lat, toponym.lon) <= 161


def cases() -> dict[str, geo.ErrorCase]:
    found = geo.categorise(
        TEXT,
        GOLD,
        (PARIS_FR, GEORGIA_GE, NEW_YORK_CITY, FRANKFORT, RIVERTON, LINCOLN),
        entities=ENTITIES,
        readings=lambda name: READINGS.get(name, ()),
        right=right,
    )
    by_name = {case.name: case for case in found}
    assert len(by_name) == len(found)
    return by_name


def test_geoscore_categories_of_wrong_gold_toponyms() -> None:
    found = cases()
    assert found["Kentucky"].category == "not_detected/inside_name"
    assert found["Paris"].category == "homonym"
    assert found["Georgia"].category == "homonym"  # the country for the state: both areas
    assert found["Austin"].category == "not_detected/typed_person_org"
    assert found["Riverton"].category == "missing_name/no_reading"
    assert found["New York"].category == "region_vs_city"
    assert "Frankfort" not in found  # right: no case


def test_geoscore_false_mention_by_ner_label() -> None:
    lincoln = cases()["Lincoln"]
    assert lincoln.category == "junk_alias/person"
    assert lincoln.placed


def test_geoscore_a_mention_of_a_kind_the_corpus_does_not_mark_is_no_false_mention() -> None:
    # "Kentucky" inside "Kentucky State Police", found with role in_name: the gold here marks no
    # toponym there, and a corpus that does not mark places inside names cannot judge it.
    kentucky = Place("Kentucky", (at("Kentucky"),), 37.5, -85.0, "US", 3, roles=("in_name",))

    def false_mentions(unjudged: frozenset[str]) -> list[str]:
        found = geo.categorise(
            TEXT,
            (),
            (kentucky,),
            entities=(),
            readings=lambda name: (kentucky,),
            right=right,
            unjudged=unjudged,
        )
        return [case.category for case in found]

    assert false_mentions(frozenset()) == ["junk_alias/other"]
    assert false_mentions(frozenset({"in_name", "demonym"})) == []


def test_geoscore_name_with_no_reading_near_gold() -> None:
    far = Place("Frankfort", (at("Frankfort"),), 50.11, 8.68, "DE", 1)  # the German city
    found = geo.categorise(
        TEXT,
        (gold("Frankfort", 38.2, -84.87),),
        (far,),
        entities=(),
        readings=lambda name: (far,),
        right=right,
    )
    assert [case.category for case in found] == ["missing_name/none_near_gold"]


def test_geoscore_summary_counts_top_level_and_placed() -> None:
    summary = geo.summarise(cases().values())
    assert summary["totals"]["not_detected"] == 2
    assert summary["totals"]["homonym"] == 2
    assert summary["placed"] == {"junk_alias/person": 1}
    table = geo.format_summary(summary)
    assert "inside_name" in table
    assert "(1 with a point)" in table

"""The VOA toponym scorer (benchmarks/geoparse_voa.py) on a made-up story, with no pipeline.

The story's places are real so that GeoVirus's containment check (reverse_geocoder, offline)
has something to find; the predictions are written by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import geoparse_voa  # noqa: E402
from geoparse_geovirus import Predicted  # noqa: E402
from voa_gold import GoldStory, GoldToponym, Story  # noqa: E402

TITLE = "Kenya closes border"
TEXT = (
    "Kenyan police said on Monday that Kenya had closed its border with Somalia near Mandera. "
    "The Kenya Defence Forces sent troops to Mandera."
)
STORY = Story(
    id="950", title=TITLE, text=TEXT, published="2024-05-08 10:00:00Z", section="", url=""
)


def at(word: str, occurrence: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = TEXT.index(word, start + 1)
    return start, start + len(word)


def toponym(
    word: str, occurrence: int, lat: float, lon: float, country: str, scale: str, role: str | None
) -> GoldToponym:
    return GoldToponym(at(word, occurrence), word, lat, lon, country, None, scale, role)


KENYA = (1.0, 38.0)
SOMALIA = (10.0, 49.0)
MANDERA = (3.94, 41.86)
NAIROBI = (-1.29, 36.82)
GOLD = GoldStory(
    story=STORY,
    path=Path("950.json"),
    annotation_pass=1,
    events=(),
    quotes=(),
    times=(),
    toponyms_pass=1,
    toponyms=(
        toponym("Kenyan", 1, *KENYA, "KE", "country", "demonym"),
        toponym("Kenya", 2, *KENYA, "KE", "country", None),
        toponym("Somalia", 1, *SOMALIA, "SO", "country", None),
        toponym("Mandera", 1, *MANDERA, "KE", "city", None),
        toponym("Kenya", 3, *KENYA, "KE", "country", "in_name"),
        toponym("Mandera", 2, *MANDERA, "KE", "city", None),
    ),
)


def predicted(
    name: str, spans: list[tuple[int, int]], lat: float, lon: float, cc: str
) -> Predicted:
    precision = 4 if name in ("Kenya", "Somalia") else 1
    return Predicted(name, tuple(spans), lat, lon, cc, None, None, precision)


def test_geoparse_voa_scores_each_role_apart() -> None:
    places = (
        # "Kenyan" and the organisation's "Kenya" resolve with the country's plain mention, to
        # a point in Kenya some 285 km from the gold one: right only as the country.
        predicted("Kenya", [at("Kenyan"), at("Kenya", 2), at("Kenya", 3)], *NAIROBI, "KE"),
        # Somalia put in the wrong country, far from the gold point.
        predicted("Somalia", [at("Somalia")], -20.0, 30.0, "ZW"),
        # One Mandera found and right; the other not found; "police" is no place.
        predicted("Mandera", [at("Mandera")], 3.93, 41.85, "KE"),
        predicted("Police", [at("police")], 0.0, 0.0, "KE"),
    )
    found = {"950": geoparse_voa.StoryPlaces(places, {at("Kenyan"): "demonym"})}
    scores = geoparse_voa.score([GOLD], found)

    plain = scores["plain"]
    assert plain["gold"] == 4
    assert plain["area_aware_accuracy"] == 0.5  # Kenya (country) and the first Mandera
    assert plain["strict_accuracy"] == 0.25  # Mandera only
    assert plain["right_by"] == {"country": 1, "distance": 1}
    assert plain["toponym_recall"] == 0.75
    # The demonym and organisation mentions are left out: 3 right of 4 predicted mentions.
    assert plain["toponym_precision"] == 0.75
    assert plain["predicted_role_of_covering_mention"] == {"-": 3}

    demonym = scores["demonym"]
    assert (demonym["gold"], demonym["area_aware_accuracy"]) == (1, 1.0)
    assert demonym["right_by"] == {"country": 1}
    assert demonym["predicted_role_of_covering_mention"] == {"demonym": 1}
    # Only the demonym's own mention and the non-place count here: 1 of 2 on gold.
    assert demonym["toponym_precision"] == 0.5
    assert (scores["in_name"]["gold"], scores["in_name"]["toponym_recall"]) == (1, 1.0)


def test_geoparse_voa_drops_other_roles_only_where_no_own_toponym_lies() -> None:
    place = predicted("Kenya", [at("Kenyan"), at("Kenya", 2)], *KENYA, "KE")
    (plain,) = geoparse_voa.without_other_roles([place], GOLD, None)
    assert plain.spans == (at("Kenya", 2),)
    (demonym,) = geoparse_voa.without_other_roles([place], GOLD, "demonym")
    assert demonym.spans == (at("Kenyan"),)
    assert geoparse_voa.without_other_roles([place], GOLD, "in_name") == []


def test_geoparse_voa_moves_places_out_of_the_title() -> None:
    analysed = TITLE + "\n\n" + TEXT
    body = len(TITLE) + 2

    def mention(start: int, end: int, role: str | None = None) -> SimpleNamespace:
        return SimpleNamespace(start=start, end=end, role=role)

    kenya = SimpleNamespace(
        name="Kenya",
        mentions=(mention(0, 5), mention(body + at("Kenyan")[0], body + at("Kenyan")[1], "x")),
        lat=1.0,
        lon=38.0,
        country="ke",
        admin1=None,
        feature=None,
        precision=4,
    )
    title_only = SimpleNamespace(
        name="Border",
        mentions=(mention(12, 18),),
        lat=None,
        lon=None,
        country=None,
        admin1=None,
        feature=None,
        precision=None,
    )
    article = SimpleNamespace(text=analysed, places=(kenya, title_only))
    found = geoparse_voa.places_of(article, STORY)
    (place,) = found.places
    assert place.spans == (at("Kenyan"),)
    assert place.country == "KE"
    assert found.roles == {at("Kenyan"): "x"}


def test_geoparse_voa_scores_only_stories_with_a_toponym_pass() -> None:
    bare = GoldStory(STORY, Path("950.json"), 1, (), (), ())
    assert geoparse_voa.placed([bare, GOLD]) == [GOLD]


@pytest.mark.parametrize("role", [None, "demonym", "in_name"])
def test_geoparse_voa_gold_articles_hold_one_role(role: str | None) -> None:
    articles, countries = geoparse_voa.gold_articles([GOLD], role)
    (article,) = articles
    assert article.text == TEXT
    assert all(TEXT[t.start : t.end] == t.name for t in article.toponyms)
    expected = [t.span for t in GOLD.toponyms if t.role == role]
    assert [(t.start, t.end) for t in article.toponyms] == expected
    assert set(countries.values()) <= {"KE", "SO"}

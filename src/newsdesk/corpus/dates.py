"""Publication dates as day numbers, the unit the corpus steps compare and bucket by."""

from __future__ import annotations

from newsdesk.dates import day_of

UNDATED = "9999-99-99"
"""Sorts an undated article after every dated one (ISO dates sort as text)."""


def day_number(value: str | None) -> int | None:
    """The proleptic ordinal of an ISO date (or the date part of a timestamp); None when there
    is none or it does not parse, since a record's date may be missing or partial."""
    day = day_of(value)
    return None if day is None else day.toordinal()

"""Publication dates as day numbers, the unit the corpus steps compare and bucket by."""

from __future__ import annotations

from datetime import date


def day_number(value: str | None) -> int | None:
    """The proleptic ordinal of an ISO date (or the date part of a timestamp); None when there
    is none or it does not parse, since a record's date may be missing or partial."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10]).toordinal()
    except ValueError:
        return None

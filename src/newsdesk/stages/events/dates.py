"""When an event happened: the nearest time expression inside its clause, else the
publication date; an event whose own date ends two or more years before publication is
``historical``.
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Token

from newsdesk.dates import end_year
from newsdesk.records import TimeExpression
from newsdesk.stages.events.context import EventContext, numbers_in

_HISTORICAL_YEARS = 2


def nearest_time(
    head: Token, clause: frozenset[int], context: EventContext
) -> TimeExpression | None:
    """The time expression inside the event's clause nearest its predicate."""
    inside = [context.times[number] for number in numbers_in(clause, context.times_at)]
    if not inside:
        return None
    return min(inside, key=lambda item: min(abs(i - head.i) for i in item[1]))[0]


def is_historical(time: TimeExpression, published: date | None) -> bool:
    """True when the event's own date ends two or more years before publication."""
    if time.value is None or published is None:
        return False
    last = end_year(time.value)
    return last is not None and last <= published.year - _HISTORICAL_YEARS


def event_date(
    time: TimeExpression | None, published: date | None
) -> tuple[str | None, str | None]:
    """The event's date and precision: its own time, else the publication day."""
    if time is not None and time.value is not None:
        return time.value, time.precision
    if published is not None:
        return published.isoformat(), "day"
    return None, None

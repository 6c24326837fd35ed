"""A timeline of events and articles as a drawing the server makes: bars per day (or per month,
when the dates span more than a few months), events above the axis and articles below, with
no chart library and no script. The pages draw it as SVG from these numbers; every label is
text the template escapes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

__all__ = ["Bar", "Timeline", "timeline"]

WIDTH = 960
HALF = 80
"""Pixels from the axis to the top (events) and to the bottom (articles)."""
_DAYS_AT_MOST = 120
"""Past this many distinct days between the first and the last date, bars are months."""


@dataclass(frozen=True, slots=True)
class Bar:
    period: str
    """A day (YYYY-MM-DD) or a month (YYYY-MM)."""
    events: int
    articles: int
    x: float
    width: float
    events_height: float
    articles_height: float


@dataclass(frozen=True, slots=True)
class Timeline:
    bars: tuple[Bar, ...]
    by: str
    """``day`` or ``month``."""
    undated_events: int
    width: int = WIDTH
    half: int = HALF

    @property
    def height(self) -> int:
        return 2 * self.half + 30

    @property
    def first(self) -> str | None:
        return self.bars[0].period if self.bars else None

    @property
    def last(self) -> str | None:
        return self.bars[-1].period if self.bars else None


def timeline(event_dates: Iterable[str | None], article_dates: Iterable[str | None]) -> Timeline:
    """Bars of the events' and articles' dates (ISO dates, months or years; an interval
    counts at its start), one per period that has any, in date order."""
    events = [_day(value) for value in event_dates]
    articles = [_day(value) for value in article_dates]
    dated = sorted(day for day in (*events, *articles) if day)
    by = "day"
    if (
        dated
        and len(dated[0]) == len(dated[-1]) == 10
        and _span(dated[0], dated[-1]) > _DAYS_AT_MOST
    ):
        by = "month"

    def period(day: str | None) -> str | None:
        return None if day is None else day[:7] if by == "month" else day

    event_counts = Counter(p for day in events if (p := period(day)))
    article_counts = Counter(p for day in articles if (p := period(day)))
    periods = sorted(set(event_counts) | set(article_counts))
    most = max([*event_counts.values(), *article_counts.values(), 1])
    step = (WIDTH - 20) / max(len(periods), 1)
    bar = min(step * 0.8, 40.0)
    bars = tuple(
        Bar(
            period=name,
            events=event_counts[name],
            articles=article_counts[name],
            x=round(10 + index * step + (step - bar) / 2, 1),
            width=round(bar, 1),
            events_height=round(HALF * event_counts[name] / most, 1),
            articles_height=round(HALF * article_counts[name] / most, 1),
        )
        for index, name in enumerate(periods)
    )
    return Timeline(bars=bars, by=by, undated_events=sum(1 for day in events if day is None))


def _day(value: str | None) -> str | None:
    """The date a value starts on, as far as it says (YYYY-MM-DD, YYYY-MM or YYYY)."""
    if not value:
        return None
    start = value.split("/", 1)[0].strip()
    if len(start) >= 10 and start[4] == "-" and start[7] == "-":
        return start[:10]
    if len(start) == 7 and start[4] == "-":
        return start + "-01"
    if len(start) == 4 and start.isdigit():
        return start + "-01-01"
    return None


def _span(first: str, last: str) -> int:
    try:
        return (date.fromisoformat(last) - date.fromisoformat(first)).days
    except ValueError:
        return 0

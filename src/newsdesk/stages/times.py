"""``newsdesk_times``: every date in the body, normalised against the publication date.

Candidates are spaCy's DATE and TIME spans (and EVENT spans that hold a date, "the September
11, 2001 attacks"). NER often splits one expression in two ("from 1979 to 1989", "two days
before the September 11, 2001 attacks"), drops a month name ("Aug 24" comes back as "24") or the
word that makes a span a time ("week" of "this week", "2011" of "since 2011"), and sometimes
makes one span of two times ("November and January"), so neighbouring spans are joined, a month
name or such a word beside a span taken in, and a list split, when the result normalises.
Writes ``doc._.newsdesk_times``.

Values are ISO 8601, at the precision the text states and no finer:

- ``day``: ``2021-08-24``; ``month``: ``2021-08``; ``year``: ``2001``;
- ``week``: the Monday-Sunday week as an interval, ``2021-08-16/2021-08-22``, with its ISO week
  (``2021-W33``) in ``TimeExpression.week``;
- ``decade``: the ten years as an interval of years, ``1990/1999`` (plain ISO 8601, which any
  consumer parses, rather than the EDTF ``199X``);
- a range keeps both ends at their own precision and the coarser one as its precision:
  ``from 1979 to 1989`` is ``1979/1989``, year; "April 24 and 25" is both days,
  ``2021-04-24/2021-04-25``, day; "the weekend" is its Saturday and Sunday, day;
- a span that runs to the news is an interval ending at publication, at the precision of its
  start: "since 2011" is ``2011/2021``; "the past three months" ``2021-05/2021-08``, "the last
  two weeks" ``2021-08-10/2021-08-24``; "the past year" (not "last year", the calendar year) is
  the twelve months to publication, at month precision.

What is not normalised keeps its text and gets value and precision None: durations ("40 years",
"8 minutes 3 seconds"), vague times ("just days ago", "in recent days", "the last few years"),
and anything relative to the publication date when that date is unknown (never guessed).

Direction. A month, a month and day, a weekday, a weekend or a holiday written without a year
is placed by the tense of the verb it dates, read from the parse (the verb's morphology, its
auxiliaries, the "to"-infinitive of a verb of planning): in a past tense ("In December,
Mogadishu announced ...", "has met Tuesday") it is the last one on or before publication; in a
future ("will meet Friday", "plans to visit Paris in May", "is scheduled for Oct. 23") the next
one on or after it; otherwise (a present, a modal, no verb) the nearest one, an earlier one on
a tie, since news mostly tells the past ("is headed Tuesday to East Africa" said on a Monday is
the next day). "last Tuesday" is strictly before publication, "next Friday" strictly after,
"this Friday" the one in the publication's week; "last September" is the last September before
the publication month.

Anaphora. "the previous day", "the year before", "one day earlier", "five years later", "that
day", "earlier in the day" count from the time the text gave last (within two sentences),
else from publication; a time after an unknown one ("five years later" with nothing before) has
no value.

Holidays with a fixed rule computable offline (Christmas, New Year's Day, Boxing Day,
Halloween, Valentine's Day; for an American article also Thanksgiving, Election Day,
Independence Day, Memorial Day, Labor Day, Veterans Day, Juneteenth, Martin Luther King Jr.
Day, Presidents Day; Thanksgiving of a Canadian article is Canada's). An article is American or
Canadian when its places name that country more than any other (``newsdesk_places`` runs first).

A fiscal year ("this fiscal year", "fiscal 2024", "FY2024") is valued as a calendar year at year
precision: the stated year, else the publication year (shifted by "last" or "next"). Fiscal
years start in different months by country and company, so the value names the year the text
means only approximately; it is a year, never a finer guess.

A date word that names a programme or paper ("the Today programme", "the Sunday Times") is
no time; the nouns that tell so are in ``newsdesk/data/times.txt``.

Simplifications, on purpose: "N hours ago" is the publication day; "N months/years before
<date>" is at month/year precision, since such offsets are round figures.
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsdesk import attributes
from newsdesk.data.lexicons import load_phrases
from newsdesk.dates import days, iso_week
from newsdesk.records import Place, TimeExpression, TimePrecision
from newsdesk.stages.evidence import evidence_at

NAME = "newsdesk_times"
REQUIRES = ["doc.ents", "doc.sents", f"doc._.{attributes.PLACES}"]
ASSIGNS = [f"doc._.{attributes.TIMES}"]

Precision = TimePrecision
"""How finely a value pins a time (the values of ``TimeExpression.precision``)."""
Direction = Literal["past", "future", "nearest"]
"""Where a date written without a year goes from publication: the last one on or before it,
the next one on or after it, or the nearest one (see the module docstring)."""

_ORDER: dict[Precision, int] = {"day": 0, "week": 1, "month": 2, "year": 3, "decade": 4}

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    name: index
    for index, name in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}
_UNITS = ("second", "minute", "hour", "day", "week", "month", "year", "decade")
_ONES = (
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_NUMBER_WORDS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "a couple of": 2,
    "couple of": 2,
    **{word: value for value, word in enumerate(_ONES, start=1)},
    **{word: value for value, word in zip(range(20, 100, 10), _TENS, strict=True)},
}
# "Days ago" counts days but pins a day; "decades ago" pins a decade at best.
_AGO_PRECISION: dict[str, Precision] = {
    "second": "day",
    "minute": "day",
    "hour": "day",
    "day": "day",
    "week": "week",
    "month": "month",
    "year": "year",
    "decade": "decade",
}
# "Two weeks before 11 September" is a day; "two years before" it is only a year.
_OFFSET_PRECISION: dict[str, Precision] = {**_AGO_PRECISION, "week": "day", "decade": "year"}
# "The previous week" is a week; "two decades later" is only a year.
_ANAPHORA_PRECISION: dict[str, Precision] = {**_AGO_PRECISION, "decade": "year"}
# "The past two weeks" runs from a day to publication; "the past decade" from a year.
_SPAN_PRECISION: dict[str, Precision] = {**_OFFSET_PRECISION}
_DAY_WORDS = {
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": -1,
    "last night": -1,
    "tomorrow": 1,
}
_PARTS_OF_DAY = frozenset({"morning", "afternoon", "evening", "night"})
# Words that open an expression without changing the time it names ("in the 1990s", "over
# the weekend"), or only hedge its count ("nearly five years ago", "more than a decade ago").
_LEADING = frozenset(
    {
        "the", "on", "in", "at", "by", "during", "of", "early", "late", "mid", "earlier",
        "later", "over", "within", "about", "around", "nearly", "almost", "roughly",
        "approximately", "some", "just", "only", "more", "less", "than",
    }
)  # fmt: skip
# "the past year" (the twelve months to now) is not "past year"; "the previous day" counts
# from the last time the text gave.
_KEEP_THE_BEFORE = frozenset(
    {"past", "last", "next", "coming", "previous", "preceding", "following", "same"}
)

_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(_WEEKDAYS)
_UNIT = "|".join(_UNITS)
_NUMBER = "|".join(
    [
        r"\d{1,4}",
        *(rf"{ten}(?:[- ](?:{'|'.join(_ONES[:9])}))?" for ten in _TENS),
        *sorted((word for word in _NUMBER_WORDS if word not in _TENS), key=len, reverse=True),
    ]
)
_YEAR = r"[12]\d{3}"

_DAY_MONTH_YEAR = re.compile(rf"(?P<day>\d{{1,2}}) (?P<month>{_MONTH})(?: (?P<year>{_YEAR}))?")
_MONTH_DAY_YEAR = re.compile(rf"(?P<month>{_MONTH}) (?P<day>\d{{1,2}})(?: (?P<year>{_YEAR}))?")
_MONTH_YEAR = re.compile(rf"(?P<month>{_MONTH})(?: (?P<year>{_YEAR}))?")
_MONTH_OF_YEAR = re.compile(rf"(?P<month>{_MONTH}) (?:of )?(?P<which>this|last|next) year")
_DAY_PAIR = re.compile(
    rf"(?P<month>{_MONTH}) (?P<first>\d{{1,2}}) ?(?:and|-|to|through) ?(?P<last>\d{{1,2}})"
    rf"(?: (?P<year>{_YEAR}))?"
    rf"|(?P<first2>\d{{1,2}}) ?(?:and|-|to) ?(?P<last2>\d{{1,2}}) (?P<month2>{_MONTH})"
    rf"(?: (?P<year2>{_YEAR}))?"
)
_YEAR_ONLY = re.compile(rf"(?:year )?(?P<year>{_YEAR})")
_DECADE = re.compile(r"(?P<decade>[12]\d{2}0)'?s")
_ISO_DAY = re.compile(rf"(?P<year>{_YEAR})-(?P<month>\d{{2}})-(?P<day>\d{{2}})")
_WEEKDAY_PHRASE = re.compile(rf"(?:(?P<which>last|next|this|past) )?(?P<weekday>{_WEEKDAY})")
_WEEKEND = re.compile(r"(?:(?P<which>last|next|this|past|coming) )?weekend")
_LAST_MONTH = re.compile(rf"(?:last|this past|past) (?P<month>{_MONTH})")
_NAMED_PERIOD = re.compile(r"(?P<which>last|past|previous|this|next) (?P<unit>week|month|year)")
_AGO = re.compile(rf"(?P<number>{_NUMBER}) (?P<unit>{_UNIT})s? ago")
_OFFSET = re.compile(
    rf"(?P<number>{_NUMBER}) (?P<unit>{_UNIT})s? "
    r"(?P<direction>before|after|prior to|earlier than|later than) (?P<base>.+)"
)
_SINCE = re.compile(r"since (?P<base>.+)")
_STRETCH = re.compile(
    rf"(?:the )?(?P<which>past|last|next|coming) (?:(?P<number>{_NUMBER}) )?"
    rf"(?P<unit>{_UNIT})(?P<plural>s)?"
)
_ANAPHORA = re.compile(
    rf"(?:the )?(?P<which>previous|preceding|next|following) (?P<unit>day|week|month|year)"
    rf"|(?:the )?(?P<unit2>day|week|month|year) (?P<which2>before|after)"
    rf"|(?P<number>{_NUMBER}) (?P<unit3>{_UNIT})s? (?P<which3>earlier|before|later|after)"
    r"|(?P<same>(?:that|the same|that same) day|(?:earlier|later) (?:in the|that) day)"
)
_EDGE_OF = re.compile(
    r"(?:the )?(?:very )?(?P<edge>beginning|start|end|middle) of (?:the )?(?P<rest>.+)"
)
_FISCAL = re.compile(
    rf"(?:(?P<which>this|last|next|current|previous|past) )?(?:fiscal|financial)"
    rf"(?: year)?(?: (?P<year>{_YEAR}))?|fy ?(?P<year2>{_YEAR})"
)
_RANGE = re.compile(
    r"(?:from )?(?P<first>.+?) (?:to|until|till|through|-) (?P<last>.+)"
    r"|between (?P<first2>.+?) and (?P<last2>.+)"
    rf"|(?P<first3>{_YEAR})-(?P<last3>{_YEAR})"
)
_PUNCTUATION = re.compile(r"[.,;:!?()\"“”]")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "–": " - ", "—": " - "})

# Holidays by rule: a fixed day (month, day), or the n-th weekday of a month (n = -1: the
# last), or the US Election Day (the Tuesday after the first Monday of November). The country
# is the one whose article the name belongs to; None: any article.
_Rule = tuple[int, int] | tuple[int, int, int] | Literal["election"]
_HOLIDAYS: dict[str, tuple[_Rule, str | None]] = {
    "christmas": ((12, 25), None),
    "christmas day": ((12, 25), None),
    "christmas eve": ((12, 24), None),
    "boxing day": ((12, 26), None),
    "new year day": ((1, 1), None),
    "new year eve": ((12, 31), None),
    "halloween": ((10, 31), None),
    "valentine day": ((2, 14), None),
    "independence day": ((7, 4), "US"),
    "juneteenth": ((6, 19), "US"),
    "veterans day": ((11, 11), "US"),
    "thanksgiving": ((11, 3, 4), "US"),
    "thanksgiving day": ((11, 3, 4), "US"),
    "memorial day": ((5, 0, -1), "US"),
    "labor day": ((9, 0, 1), "US"),
    "martin luther king jr day": ((1, 0, 3), "US"),
    "martin luther king day": ((1, 0, 3), "US"),
    "presidents day": ((2, 0, 3), "US"),
    "presidents' day": ((2, 0, 3), "US"),
    "election day": ("election", "US"),
}
# The same name where another country keeps the day by its own rule.
_NATIONAL_HOLIDAYS: dict[tuple[str, str], _Rule] = {
    ("thanksgiving", "CA"): (10, 0, 2),
    ("thanksgiving day", "CA"): (10, 0, 2),
}
_HOLIDAY = re.compile(
    "(?P<name>"
    + "|".join(re.escape(name) for name in sorted(_HOLIDAYS, key=len, reverse=True))
    + rf")(?: (?P<year>{_YEAR}))?"
)

# Words between two NER spans that make them one expression ("1979 to 1989").
_JOINERS = frozenset(
    {"to", "until", "till", "through", "and", "-", "–", "before", "after", "prior", "earlier"}
)
_JOINER_FILLERS = frozenset({"than", "the", "of"})
_OPENERS = frozenset({"from", "between"})
# Words before a span that NER left out though they make it a time ("this week", "earlier in
# the day", "the same day").
_LEFT_WORDS = frozenset(
    {"this", "last", "next", "past", "coming", "earlier", "later", "in", "that", "the", "same"}
)
_SEED_LABELS = frozenset({"DATE", "TIME"})
# An anaphoric time counts from a time given at most this many sentences before.
_ANAPHORA_SENTENCES = 2


@dataclass(frozen=True)
class _Period:
    """The days a time expression covers, first and last included, and its precision."""

    first: date
    last: date
    precision: Precision

    @property
    def value(self) -> str:
        first, last = _label(self.first, self.precision), _label(self.last, self.precision)
        return first if first == last else f"{first}/{last}"


@dataclass(frozen=True)
class _Frame:
    """What a relative expression counts from: the publication day, the direction of an
    expression written without a year, the article's country (for its holidays) and the day an
    anaphoric expression counts from."""

    published: date | None
    direction: Direction = "nearest"
    country: str | None = None
    anchor: str | None = None


# -- the pure normaliser --------------------------------------------------------------------


def normalise(
    text: str,
    published: date | None,
    *,
    direction: Direction = "nearest",
    country: str | None = None,
    anchor: str | None = None,
) -> tuple[str | None, Precision | None]:
    """The ISO value and precision of one time expression, or ``(None, None)``.

    ``published`` anchors relative expressions ("last week", "25 years ago"); without it they
    give ``(None, None)``. ``direction`` places a date written without a year, ``country``
    (ISO 3166 alpha-2) is the article's for its national holidays, and ``anchor`` is the value
    of the time an anaphoric expression ("the previous day") counts from, used when it is at
    least as fine as the expression's unit (default: publication). See the module docstring
    for the value formats.
    """
    frame = _Frame(published, direction, country, anchor)
    try:
        period = _parse(_clean(text), frame)
    except OverflowError:
        return None, None  # "tomorrow" of 31 December 9999: past what a date can hold
    if period is None:
        return None, None
    return period.value, period.precision


def _parse(text: str, frame: _Frame) -> _Period | None:
    return (
        _since(text, frame)
        or _range(text, frame)
        or _point(text, frame, None)
        or _edge(text, frame)
    )


def _clean(text: str) -> str:
    cleaned = _ORDINAL.sub("", text.casefold().translate(_TYPOGRAPHY))
    # "the 1990's" is a decade; "last year's" is last year; "mid-October" is October.
    cleaned = re.sub(r"'s\b", "", re.sub(r"(?<=\d0)'s\b", "s", cleaned))
    cleaned = re.sub(r"\b(mid|early|late)-(?=\w)", r"\1 ", cleaned)
    cleaned = re.sub(r"(?<=\d) of (?=[a-z])", " ", _PUNCTUATION.sub(" ", cleaned))
    words = cleaned.split()
    if _ANAPHORA.fullmatch(" ".join(words)):
        return " ".join(words)  # "earlier in the day" is not "day"
    while len(words) > 1 and words[0] in _LEADING:
        if words[0] == "the" and len(words) > 2 and words[1] in _KEEP_THE_BEFORE:
            break
        words = words[1:]
    return " ".join(words)


def _since(text: str, frame: _Frame) -> _Period | None:
    """ "since 2011": from its start to publication, at the precision of the start."""
    match = _SINCE.fullmatch(text)
    published = frame.published
    if match is None or published is None:
        return None
    past = _Frame(published, "past", frame.country, frame.anchor)
    start = _parse(_clean(match["base"]), past)
    if start is None or start.first > published:
        return None
    return _Period(start.first, max(start.last, published), start.precision)


def _range(text: str, frame: _Frame) -> _Period | None:
    match = _RANGE.fullmatch(text)
    if match is None:
        return None
    first_text = match["first"] or match["first2"] or match["first3"]
    last_text = match["last"] or match["last2"] or match["last3"]
    last = _point(_clean(last_text), frame, None)
    if last is None:
        return None
    # "between August 16 and August 22, 2021": the first end takes the year of the last.
    first = _point(_clean(first_text), frame, last.first.year)
    if first is None or first.first > last.last:
        return None
    coarser = max(first.precision, last.precision, key=_ORDER.__getitem__)
    return _Period(first.first, last.last, coarser)


def _point(text: str, frame: _Frame, year: int | None) -> _Period | None:
    """One point or period of time: absolute, or relative to publication; ``year`` is the year
    of a date written without one (None: placed by the frame's direction)."""
    return (
        _absolute(text, frame, year)
        or _holiday(text, frame, year)
        or _relative(text, frame)
        or _stretch(text, frame.published)
        or _anaphora(text, frame)
        or _ago(text, frame.published)
        or _offset(text, frame)
        or _fiscal(text, frame.published)
    )


def _absolute(text: str, frame: _Frame, year: int | None) -> _Period | None:
    """A date, month, year or decade written out; a missing year comes from ``year`` or the
    frame's direction."""
    for pattern in (_ISO_DAY, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        match = pattern.fullmatch(text)
        if match is not None:
            return _undated(_day_builder(match), match["year"], frame, year)
    match = _DAY_PAIR.fullmatch(text)
    if match is not None:
        return _undated(_pair_builder(match), match["year"] or match["year2"], frame, year)
    match = _MONTH_YEAR.fullmatch(text)
    if match is not None:
        month = _MONTHS[match["month"]]
        return _undated(lambda y: _period(date(y, month, 1), "month"), match["year"], frame, year)
    match = _MONTH_OF_YEAR.fullmatch(text)
    if match is not None and frame.published is not None:
        step = {"last": -1, "next": 1}.get(match["which"], 0)
        return _in_year(frame.published.year + step, _MONTHS[match["month"]])
    match = _YEAR_ONLY.fullmatch(text)
    if match is not None:
        return _period(date(int(match["year"]), 1, 1), "year")
    match = _DECADE.fullmatch(text)
    if match is not None:
        return _period(date(int(match["decade"]), 1, 1), "decade")
    return None


def _in_year(year: int, month: int) -> _Period | None:
    if not date.min.year <= year <= date.max.year:
        return None
    return _period(date(year, month, 1), "month")


def _day_builder(match: re.Match[str]) -> Callable[[int], _Period | None]:
    month_text = match["month"]
    month = _MONTHS[month_text] if month_text in _MONTHS else int(month_text)
    day = int(match["day"])
    return lambda year: _valid_day(year, month, day)


def _pair_builder(match: re.Match[str]) -> Callable[[int], _Period | None]:
    """ "April 24 and 25", "24-25 April": both days."""
    month = _MONTHS[match["month"] or match["month2"]]
    first, last = int(match["first"] or match["first2"]), int(match["last"] or match["last2"])

    def build(year: int) -> _Period | None:
        start, end = _valid_day(year, month, first), _valid_day(year, month, last)
        if start is None or end is None or start.first >= end.first:
            return None
        return _Period(start.first, end.first, "day")

    return build


def _valid_day(year: int, month: int, day: int) -> _Period | None:
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return _period(date(year, month, day), "day")


def _undated(
    build: Callable[[int], _Period | None], stated: str | None, frame: _Frame, year: int | None
) -> _Period | None:
    """The period ``build`` makes of the stated year, else of ``year``, else of the year the
    frame's direction picks around publication."""
    if stated:
        return build(int(stated))
    if year is not None:
        return build(year)
    published = frame.published
    if published is None:
        return None
    years = range(max(published.year - 1, date.min.year), min(published.year + 1, 9999) + 1)
    found = [period for y in years if (period := build(y)) is not None]
    return _choose(found, published, frame.direction)


def _choose(found: list[_Period], published: date, direction: Direction) -> _Period | None:
    """The last period on or before publication, the next on or after it, or the nearest (an
    earlier one on a tie)."""
    if direction == "past":
        return max((p for p in found if p.first <= published), key=_first, default=None)
    if direction == "future":
        return min((p for p in found if p.last >= published), key=_first, default=None)
    return min(found, key=lambda p: (_distance(p, published), p.first > published), default=None)


def _first(period: _Period) -> date:
    return period.first


def _distance(period: _Period, published: date) -> int:
    if period.first <= published <= period.last:
        return 0
    return min(abs((period.first - published).days), abs((period.last - published).days))


def _holiday(text: str, frame: _Frame, year: int | None) -> _Period | None:
    """A holiday by its rule, in the stated year or placed by the direction; a national one
    only in an article of its country."""
    match = _HOLIDAY.fullmatch(text)
    if match is None:
        return None
    name = match["name"]
    rule, country = _HOLIDAYS[name]
    if frame.country is not None and (name, frame.country) in _NATIONAL_HOLIDAYS:
        rule = _NATIONAL_HOLIDAYS[(name, frame.country)]
    elif country is not None and frame.country != country:
        return None
    return _undated(lambda y: _period(_holiday_day(rule, y), "day"), match["year"], frame, year)


def _holiday_day(rule: _Rule, year: int) -> date:
    if rule == "election":
        first_monday = _nth_weekday(year, 11, 0, 1)
        return first_monday + timedelta(days=1)
    if len(rule) == 2:
        return date(year, rule[0], rule[1])
    month, weekday, nth = rule
    return _nth_weekday(year, month, weekday, nth)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    """The ``nth`` ``weekday`` (0 Monday) of the month; ``nth`` -1 is the last."""
    if nth < 0:
        last = date(year, month, calendar.monthrange(year, month)[1])
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


def _relative(text: str, frame: _Frame) -> _Period | None:
    """Today, yesterday, a weekday, a weekend, last week, this month, next year ..."""
    published = frame.published
    if published is None:
        return None
    if text in _DAY_WORDS:
        return _period(published + timedelta(days=_DAY_WORDS[text]), "day")
    words = text.split()
    if len(words) > 1 and words[-1] in _PARTS_OF_DAY:
        text = " ".join(words[:-1])
        if text in _DAY_WORDS:
            return _period(published + timedelta(days=_DAY_WORDS[text]), "day")
    weekday = _WEEKDAY_PHRASE.fullmatch(text)
    if weekday is not None:
        day = _weekday(published, _WEEKDAYS[weekday["weekday"]], weekday["which"], frame)
        return _period(day, "day")
    weekend = _WEEKEND.fullmatch(text)
    if weekend is not None:
        return _weekend(published, weekend["which"], frame.direction)
    last_month = _LAST_MONTH.fullmatch(text)
    if last_month is not None:
        month = _MONTHS[last_month["month"]]
        year = published.year if month < published.month else published.year - 1
        return _period(date(year, month, 1), "month") if year >= date.min.year else None
    named = _NAMED_PERIOD.fullmatch(text)
    if named is None:
        return None
    step = {"next": 1, "this": 0}.get(named["which"], -1)
    shifted = _shift(published, step, named["unit"])
    return None if shifted is None else _period(shifted, _AGO_PRECISION[named["unit"]])


def _weekday(published: date, weekday: int, which: str | None, frame: _Frame) -> date:
    ahead = (weekday - published.weekday()) % 7
    back = (published.weekday() - weekday) % 7
    if which == "next":
        return published + timedelta(days=ahead or 7)
    if which in ("last", "past"):
        return published - timedelta(days=back or 7)
    if which == "this":
        return published + timedelta(days=weekday - published.weekday())
    before, after = published - timedelta(days=back), published + timedelta(days=ahead)
    if frame.direction == "past" or (frame.direction == "nearest" and back <= ahead):
        return before
    return after


def _weekend(published: date, which: str | None, direction: Direction) -> _Period:
    """Saturday and Sunday: of the week before publication's ("last weekend"), of the week
    after ("next weekend"), else the last or the coming one by the direction."""
    saturday = published - timedelta(days=published.weekday()) + timedelta(days=5)
    if which in ("last", "past") or (which is None and direction == "past"):
        # The weekend just gone; on a Saturday or Sunday, "the weekend" is this one.
        if which is None and published >= saturday:
            return _Period(saturday, saturday + timedelta(days=1), "day")
        saturday -= timedelta(days=7)
    elif which == "next":
        saturday += timedelta(days=7)
    elif which is None and direction == "nearest" and published - saturday < timedelta(days=-2):
        # Monday to Wednesday, nothing tells: the nearer weekend is the one just gone.
        saturday -= timedelta(days=7)
    return _Period(saturday, saturday + timedelta(days=1), "day")


def _stretch(text: str, published: date | None) -> _Period | None:
    """ "the past three months", "the last two weeks", "the next two years", "the past year":
    from (or to) that far from publication, at the unit's precision (days for weeks). A bare
    "last week" is the calendar week (see ``_relative``)."""
    match = _STRETCH.fullmatch(text)
    if match is None or published is None:
        return None
    unit, number = match["unit"], match["number"]
    if number is None and (unit == "day" or not text.startswith("the ")):
        return None  # "the next day" counts from the last time given (see ``_anaphora``)
    count = 1 if number is None else _number(number)
    precision = _SPAN_PRECISION[unit]
    if unit == "year" and count == 1 and not match["plural"]:
        precision = "month"  # "the past year": the twelve months to publication
    step = count if match["which"] in ("next", "coming") else -count
    other = _shift(published, step, unit)
    if other is None:
        return None
    return _Period(min(other, published), max(other, published), precision)


def _anaphora(text: str, frame: _Frame) -> _Period | None:
    """ "the previous day", "the year before", "one day earlier", "five years later", "that
    day", "earlier in the day": counted from the frame's anchor, else (counting back only) from
    publication."""
    match = _ANAPHORA.fullmatch(text)
    if match is None:
        return None
    if match["same"]:
        base = _anchor_day(frame.anchor, "day") or frame.published
        return None if base is None else _period(base, "day")
    which = match["which"] or match["which2"] or match["which3"]
    unit = match["unit"] or match["unit2"] or match["unit3"]
    count = _number(match["number"]) if match["number"] else 1
    forward = which in ("next", "following", "after", "later")
    base = _anchor_day(frame.anchor, unit) or (None if forward else frame.published)
    if base is None:
        return None
    shifted = _shift(base, count if forward else -count, unit)
    published = frame.published
    if shifted is None or (
        published is not None and shifted > published and frame.direction != "future"
    ):
        # "Nearly two decades later" from 2004, told in 2021: the round count overshoots the
        # news, which a time not told as to come cannot pass; the text gives no better value.
        return None
    return _period(shifted, _ANAPHORA_PRECISION[unit])


def _anchor_day(anchor: str | None, unit: str) -> date | None:
    """The first day of the anchor's value when it is as fine as ``unit`` or finer ("the
    previous day" cannot count from "January")."""
    covered = days(anchor)
    if anchor is None or covered is None:
        return None
    first = anchor.split("/")[0]
    by_length: dict[int, Precision] = {10: "day", 7: "month"}
    precision = by_length.get(len(first), "year")
    if _ORDER[precision] > _ORDER[_AGO_PRECISION[unit]]:
        return None
    return date.fromordinal(covered[0])


def _fiscal(text: str, published: date | None) -> _Period | None:
    """A fiscal year as a calendar year (see the module docstring)."""
    match = _FISCAL.fullmatch(text)
    if match is None:
        return None
    stated = match["year"] or match["year2"]
    if stated:
        return _period(date(int(stated), 1, 1), "year")
    if published is None or match["which"] is None:
        return None
    step = {"last": -1, "previous": -1, "past": -1, "next": 1}.get(match["which"], 0)
    shifted = _shift(published, step, "year")
    return None if shifted is None else _period(shifted, "year")


def _edge(text: str, frame: _Frame) -> _Period | None:
    """ "the beginning of the year" is its first month, "the end of the year" its last;
    "the start of Monday", "the end of March" are Monday and March."""
    match = _EDGE_OF.fullmatch(text)
    if match is None:
        return None
    rest = match["rest"]
    if rest in ("year", "this year") and frame.published is not None:
        if match["edge"] == "middle":
            return _period(frame.published, "year")
        month = 1 if match["edge"] in ("beginning", "start") else 12
        return _in_year(frame.published.year, month)
    if rest == "month" and frame.published is not None:
        return _period(frame.published, "month")
    return _parse(_clean(rest), frame)


def _ago(text: str, published: date | None) -> _Period | None:
    match = _AGO.fullmatch(text)
    if match is None or published is None:
        return None
    shifted = _shift(published, -_number(match["number"]), match["unit"])
    return None if shifted is None else _period(shifted, _AGO_PRECISION[match["unit"]])


def _offset(text: str, frame: _Frame) -> _Period | None:
    """ "<N> <unit>s before/after <time>", the time read from the longest prefix that parses
    ("two days before the September 11, 2001 attacks")."""
    match = _OFFSET.fullmatch(text)
    if match is None:
        return None
    base = _leading_point(_clean(match["base"]), frame)
    if base is None:
        return None
    sign = 1 if match["direction"] in ("after", "later than") else -1
    shifted = _shift(base.first, sign * _number(match["number"]), match["unit"])
    if shifted is None:
        return None
    precision = max(base.precision, _OFFSET_PRECISION[match["unit"]], key=_ORDER.__getitem__)
    return _period(shifted, precision)


def _leading_point(text: str, frame: _Frame) -> _Period | None:
    words = text.split()
    for size in range(len(words), 0, -1):
        found = _point(_clean(" ".join(words[:size])), frame, None)
        if found is not None:
            return found
    return None


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text in _NUMBER_WORDS:
        return _NUMBER_WORDS[text]
    ten, one = re.split(r"[- ]", text)
    return _NUMBER_WORDS[ten] + _NUMBER_WORDS[one]


def _shift(day: date, amount: int, unit: str) -> date | None:
    """``day`` moved by ``amount`` units; None when that leaves the calendar."""
    per_day = {"second": 86400, "minute": 1440, "hour": 24}
    if unit in per_day:
        # Whole days only: "two hours ago" is the publication day.
        return _shift(day, int(amount / per_day[unit]), "day")
    if unit in ("day", "week"):
        ordinal = day.toordinal() + amount * (7 if unit == "week" else 1)
        if not 1 <= ordinal <= date.max.toordinal():
            return None
        return date.fromordinal(ordinal)
    months = amount * {"month": 1, "year": 12, "decade": 120}[unit]
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    if not 1 <= year <= 9999:
        return None
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _period(day: date, precision: Precision) -> _Period:
    """The whole day, week, month, year or decade that holds ``day``."""
    if precision == "day":
        return _Period(day, day, precision)
    if precision == "week":
        monday = day - timedelta(days=day.weekday())
        return _Period(monday, monday + timedelta(days=6), precision)
    if precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return _Period(day.replace(day=1), day.replace(day=last), precision)
    first_year = day.year if precision == "year" else day.year - day.year % 10
    last_year = first_year if precision == "year" else min(first_year + 9, 9999)
    return _Period(date(max(first_year, 1), 1, 1), date(last_year, 12, 31), precision)


def _label(day: date, precision: Precision) -> str:
    if precision in ("day", "week"):
        return day.isoformat()
    if precision == "month":
        return day.isoformat()[:7]
    return f"{day.year:04d}"


# -- the component --------------------------------------------------------------------------


class TimeNormaliser:
    """The ``newsdesk_times`` component. Build it with ``nlp.add_pipe("newsdesk_times")``."""

    def __init__(self, nlp: Language, name: str = NAME) -> None:
        self.name = name
        self._title_nouns = load_phrases("times", "title_nouns")

    def __call__(self, doc: Doc) -> Doc:
        times = self.resolve(doc)
        self.set_annotations(doc, times)
        return doc

    def resolve(self, doc: Doc) -> tuple[TimeExpression, ...]:
        """Find and normalise the Doc's time expressions (pure: reads the Doc, writes nothing)."""
        stated: str | None = doc._.get(attributes.PUBLISHED)
        published = date.fromisoformat(stated) if stated else None
        country = _country(doc._.get(attributes.PLACES))
        sentence_starts = [sent.start_char for sent in doc.sents]
        found: list[TimeExpression] = []
        sentence_of = {sent.start: number for number, sent in enumerate(doc.sents)}
        # The last valued time before the one at hand: (its sentence's number, its value).
        last_given: tuple[int, str] | None = None
        for span in _candidates(doc, published):
            if span.end < len(doc) and doc[span.end].lower_ in self._title_nouns:
                continue
            sentence = sentence_of[span.sent.start]
            anchor = None
            if last_given is not None and sentence - last_given[0] <= _ANAPHORA_SENTENCES:
                anchor = last_given[1]
            value, precision = normalise(
                span.text,
                published,
                direction=_direction(span),
                country=country,
                anchor=anchor,
            )
            if span.label_ in _SEED_LABELS or value is not None:
                found.append(
                    TimeExpression(
                        text=span.text,
                        evidence=evidence_at(doc, span.start_char, span.end_char, sentence_starts),
                        value=value,
                        precision=precision,
                        week=iso_week(value) if precision == "week" else None,
                    )
                )
            if value is not None and days(value) is not None:
                last_given = (sentence, value)
        return tuple(found)

    def set_annotations(self, doc: Doc, times: tuple[TimeExpression, ...]) -> None:
        doc._.set(attributes.TIMES, times)


def _country(places: tuple[Place, ...]) -> str | None:
    """The country the article's places name most (by mentions), None on a tie or none."""
    counts: Counter[str] = Counter()
    for place in places:
        if place.country:
            counts[place.country] += max(len(place.mentions), 1)
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    return top[0][0]


# Verbs whose "to"-infinitive tells of a time to come ("plans to visit", "is scheduled to
# meet", "hopes to resolve ... during talks Tuesday"), and whose passive does ("is set for").
_PLANNING = frozenset(
    {
        "plan", "schedule", "expect", "set", "intend", "aim", "hope", "prepare", "want",
        "seek", "propose", "slate", "due", "go",
    }
)  # fmt: skip
_FUTURE_AUXILIARIES = frozenset({"will", "shall", "'ll", "wo"})


def _direction(span: Span) -> Direction:
    """The direction of the verb the time dates, from its tense (see the module docstring)."""
    verb = span.root
    if verb.dep_ == "poss" and verb.head.pos_ == "NOUN":
        # "the focus of Tuesday's talks": a day that names an occasion dates the occasion,
        # not the clause that mentions it.
        return "nearest"
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.pos_ == "VERB" and not span[0].is_sent_start:
        # "Netanyahu said Sunday Israel will ...": a time right after a verb dates that verb,
        # whatever the parser hung it on.
        verb = before
    while verb.pos_ not in {"VERB", "AUX"} and verb.head.i != verb.i:
        verb = verb.head
    if verb.pos_ not in {"VERB", "AUX"}:
        return "nearest"
    helpers = [child for child in verb.children if child.dep_ in {"aux", "auxpass"}]
    if any(helper.lower_ in _FUTURE_AUXILIARIES for helper in helpers) or _planned(verb):
        return "future"
    if any(helper.tag_ == "MD" for helper in helpers):
        return "nearest"  # "would meet", "could come": a modal says no time
    return "past" if _past(verb, helpers) else "nearest"


def _planned(verb: Token) -> bool:
    """True for the infinitive of a plan that is not told in the past ("plans to visit",
    "is expected to arrive", "hopes to resolve"), or a present passive of planning ("is
    scheduled for Friday")."""
    helpers = [child for child in verb.children if child.dep_ in {"aux", "auxpass"}]
    if verb.lemma_ in _PLANNING and verb.tag_ == "VBN" and helpers:
        return all(helper.tag_ in {"VBZ", "VBP"} for helper in helpers)
    is_infinitive = any(helper.tag_ == "TO" for helper in helpers)
    plan = verb.head
    if not is_infinitive or verb.dep_ != "xcomp" or plan.lemma_ not in _PLANNING:
        return False
    plan_helpers = [child for child in plan.children if child.dep_ in {"aux", "auxpass"}]
    if any(helper.lower_ in _FUTURE_AUXILIARIES for helper in plan_helpers):
        return True
    return not _past(plan, plan_helpers)


def _past(verb: Token, helpers: list[Token]) -> bool:
    """True for a past tense ("announced"), a perfect ("has met", "had signed"), a past
    passive or progressive ("was signed", "were marching") or a bare past participle ("the
    people killed Tuesday"); not for a present ("meets", "is headed")."""
    morph = verb.morph.to_dict()
    if verb.tag_ == "VBD" or (morph.get("VerbForm") == "Fin" and morph.get("Tense") == "Past"):
        return True
    if verb.tag_ not in {"VBN", "VBG"}:
        return False
    if not helpers:
        return verb.tag_ == "VBN"
    return any(helper.lemma_ == "have" or helper.tag_ == "VBD" for helper in helpers)


def _candidates(doc: Doc, published: date | None) -> list[Span]:
    """NER's date spans, each split where it lists two times ("November and January"), grown
    by a month name beside it, joined to the next span where the two make one expression, and
    grown by a word before it that makes it a time ("since 2011", "this week"); sorted by
    position, none overlapping."""
    seeds = [
        _with_month(doc, part, published)
        for ent in doc.ents
        if ent.label_ in _SEED_LABELS or (ent.label_ == "EVENT" and _has_date(ent.text))
        for part in _split(doc, ent, published)
    ]
    joined: list[Span] = []
    for seed in seeds:
        if joined:
            both = _joined(doc, joined[-1], seed, published)
            if both is not None:
                joined[-1] = both
                continue
        joined.append(seed)
    grown: list[Span] = []
    for span in joined:
        span = _with_words_before(doc, span, published)
        if grown and span.start < grown[-1].end:
            span = Span(doc, grown[-1].end, span.end, label=span.label_)
        grown.append(span)
    return grown


def _split(doc: Doc, span: Span, published: date | None) -> list[Span]:
    """The times a span lists ("November and January", "today, tomorrow"), when it has no
    value as a whole and every part has one; else the span."""
    if normalise(span.text, published)[0] is not None:
        return [span]
    parts: list[Span] = []
    start = span.start
    for token in span:
        if token.lower_ in {"and", ",", "or"}:
            if token.i > start:
                parts.append(Span(doc, start, token.i, label=span.label_))
            start = token.i + 1
    if start < span.end:
        parts.append(Span(doc, start, span.end, label=span.label_))
    if len(parts) < 2 or any(normalise(part.text, published)[0] is None for part in parts):
        return [span]
    return parts


def _with_words_before(doc: Doc, span: Span, published: date | None) -> Span:
    """ "since 2011" where NER found "2011"; "this week", "earlier in the day" where it found
    "week", "the day"."""
    start = span.start
    if span[0].is_sent_start or start == 0:
        return span
    if doc[start - 1].lower_ == "since":
        grown = Span(doc, start - 1, span.end, label=span.label_)
        return grown if normalise(grown.text, published)[0] is not None else span
    if normalise(span.text, published)[0] is not None:
        return span
    best = span
    for size in range(1, 4):
        first = start - size
        if first < 0 or doc[first].lower_ not in _LEFT_WORDS:
            break
        grown = Span(doc, first, span.end, label=span.label_)
        if normalise(grown.text, published)[0] is not None:
            best = grown
        if doc[first].is_sent_start:
            break
    return best


def _has_date(text: str) -> bool:
    return re.search(rf"\b(?:{_YEAR}|{_MONTH})\b", text.casefold()) is not None


def _with_month(doc: Doc, span: Span, published: date | None) -> Span:
    """ "Aug 24" where NER found only "24"; "24 Aug, 2021" where it found only "24"."""
    start, end = span.start, span.end
    if start > 0 and not doc[start].is_sent_start and _is_month(doc[start - 1].text):
        start -= 1
    if end < len(doc) and not doc[end].is_sent_start and _is_month(doc[end].text):
        end += 1
        after = [token.text for token in doc[end : end + 2]]
        if after and re.fullmatch(_YEAR, after[0]):
            end += 1
        elif after[:1] == [","] and len(after) == 2 and re.fullmatch(_YEAR, after[1]):
            end += 2
    if (start, end) == (span.start, span.end):
        return span
    grown = Span(doc, start, end, label=span.label_)
    return grown if normalise(grown.text, published)[0] is not None else span


def _is_month(word: str) -> bool:
    return word.casefold().rstrip(".") in _MONTHS


def _joined(doc: Doc, first: Span, second: Span, published: date | None) -> Span | None:
    """One span over ``first``, the joining words and ``second``, when it normalises:
    "from 1979 to 1989", "two days before the September 11, 2001"."""
    gap = doc[first.end : second.start]
    words = [token.lower_ for token in gap]
    if not words or len(words) > 3 or any(token.is_sent_start for token in [*gap, second[0]]):
        return None
    if words[0] not in _JOINERS or not set(words[1:]) <= _JOINERS | _JOINER_FILLERS:
        return None
    start = first.start
    if start > 0 and doc[start - 1].lower_ in _OPENERS and not first[0].is_sent_start:
        start -= 1
    label = first.label_ if first.label_ in _SEED_LABELS else second.label_
    both = Span(doc, start, second.end, label=label)
    return both if normalise(both.text, published)[0] is not None else None


def make_time_normaliser(nlp: Language, name: str) -> TimeNormaliser:
    """spaCy factory for ``newsdesk_times``."""
    return TimeNormaliser(nlp, name)

"""``newsdesk_times``: every date in the body, normalised against the publication date.

Candidates are spaCy's DATE and TIME spans (and EVENT spans that hold a date, "the September
11, 2001 attacks"). NER often splits one expression in two ("from 1979 to 1989", "two days
before the September 11, 2001 attacks") or drops a month name ("Aug 24" comes back as "24"), so
neighbouring spans are joined, and a month name beside a span taken in, when the joined text
normalises. Writes ``doc._.newsdesk_times``.

Values are ISO 8601, at the precision the text states and no finer:

- ``day``: ``2021-08-24``; ``month``: ``2021-08``; ``year``: ``2001``;
- ``week``: the Monday-Sunday week as an interval, ``2021-08-16/2021-08-22``;
- ``decade``: the ten years as an interval of years, ``1990/1999`` (plain ISO 8601, which any
  consumer parses, rather than the EDTF ``199X``);
- a range keeps both ends at their own precision and the coarser one as its precision:
  ``from 1979 to 1989`` is ``1979/1989``, year.

What is not normalised keeps its text and gets value and precision None: durations ("40 years",
"8 minutes 3 seconds"), vague times ("just days ago", "in recent days"), and anything relative
to the publication date when that date is unknown (never guessed). A day or month written
without a year takes the publication year.

A date word that names a programme or paper ("the Today programme", "the Sunday Times") is
no time; the nouns that tell so are in ``newsdesk/data/times.txt``.

A month or a day written without a year that would fall after publication is last year's when
the verb it dates is in the past tense ("In December, Mogadishu announced ..." in a March
story): news tells what has happened, and a past tense cannot be of a month still to come.
"last September" is the last September before the publication month.

Simplifications, on purpose: a bare weekday ("on Tuesday") is the last such day on or before
publication (news mostly reports the past; the tense is not read); "last Tuesday" is strictly
before publication; "N hours ago" is the publication day; "N months/years before <date>" is at
month/year precision, since such offsets are round figures.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsdesk import attributes
from newsdesk.data.lexicons import load_phrases
from newsdesk.records import TimeExpression, TimePrecision
from newsdesk.stages.evidence import evidence_at

NAME = "newsdesk_times"
REQUIRES = ["doc.ents", "doc.sents"]
ASSIGNS = [f"doc._.{attributes.TIMES}"]

Precision = TimePrecision
"""How finely a value pins a time (the values of ``TimeExpression.precision``)."""

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
# Words that open an expression without changing the time it names ("in the 1990s").
_LEADING = frozenset(
    {"the", "on", "in", "at", "by", "during", "of", "early", "late", "mid", "earlier", "later"}
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
_YEAR_ONLY = re.compile(rf"(?:year )?(?P<year>{_YEAR})")
_DECADE = re.compile(r"(?P<decade>[12]\d{2}0)'?s")
_ISO_DAY = re.compile(rf"(?P<year>{_YEAR})-(?P<month>\d{{2}})-(?P<day>\d{{2}})")
_WEEKDAY_PHRASE = re.compile(rf"(?:(?P<which>last|next|this|past) )?(?P<weekday>{_WEEKDAY})")
_LAST_MONTH = re.compile(rf"(?:last|this past|past) (?P<month>{_MONTH})")
_NAMED_PERIOD = re.compile(r"(?P<which>last|past|previous|this|next) (?P<unit>week|month|year)")
_AGO = re.compile(rf"(?P<number>{_NUMBER}) (?P<unit>{_UNIT})s? ago")
_OFFSET = re.compile(
    rf"(?P<number>{_NUMBER}) (?P<unit>{_UNIT})s? "
    r"(?P<direction>before|after|prior to|earlier than|later than) (?P<base>.+)"
)
_RANGE = re.compile(
    r"(?:from )?(?P<first>.+?) (?:to|until|till|through|-) (?P<last>.+)"
    r"|between (?P<first2>.+?) and (?P<last2>.+)"
    rf"|(?P<first3>{_YEAR})-(?P<last3>{_YEAR})"
)
_PUNCTUATION = re.compile(r"[.,;:!?()\"“”]")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b")
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "–": " - ", "—": " - "})

# Words between two NER spans that make them one expression ("1979 to 1989").
_JOINERS = frozenset(
    {"to", "until", "till", "through", "and", "-", "–", "before", "after", "prior", "earlier"}
)
_JOINER_FILLERS = frozenset({"than", "the", "of"})
_OPENERS = frozenset({"from", "between"})
_SEED_LABELS = frozenset({"DATE", "TIME"})


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


# -- the pure normaliser --------------------------------------------------------------------


def normalise(text: str, published: date | None) -> tuple[str | None, Precision | None]:
    """The ISO value and precision of one time expression, or ``(None, None)``.

    ``published`` anchors relative expressions ("last week", "25 years ago"); without it they
    give ``(None, None)``. See the module docstring for the value formats.
    """
    try:
        period = _parse(_clean(text), published)
    except OverflowError:
        return None, None  # "tomorrow" of 31 December 9999: past what a date can hold
    if period is None:
        return None, None
    return period.value, period.precision


def _parse(text: str, published: date | None) -> _Period | None:
    return _range(text, published) or _point(text, published, published)


def _clean(text: str) -> str:
    cleaned = _ORDINAL.sub("", text.casefold().translate(_TYPOGRAPHY))
    # "the 1990's" is a decade; "last year's" is last year.
    cleaned = re.sub(r"'s\b", "", re.sub(r"(?<=\d0)'s\b", "s", cleaned))
    cleaned = re.sub(r"(?<=\d) of (?=[a-z])", " ", _PUNCTUATION.sub(" ", cleaned))
    words = cleaned.split()
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    return " ".join(words)


def _range(text: str, published: date | None) -> _Period | None:
    match = _RANGE.fullmatch(text)
    if match is None:
        return None
    first_text = match["first"] or match["first2"] or match["first3"]
    last_text = match["last"] or match["last2"] or match["last3"]
    last = _point(_clean(last_text), published, published)
    if last is None:
        return None
    # "between August 16 and August 22, 2021": the first end takes the year of the last.
    first = _point(_clean(first_text), published, last.first)
    if first is None or first.first > last.last:
        return None
    coarser = max(first.precision, last.precision, key=_ORDER.__getitem__)
    return _Period(first.first, last.last, coarser)


def _point(text: str, published: date | None, year_from: date | None) -> _Period | None:
    """One point or period of time: absolute, or relative to ``published``."""
    return (
        _absolute(text, year_from)
        or _relative(text, published)
        or _ago(text, published)
        or _offset(text, published)
    )


def _absolute(text: str, year_from: date | None) -> _Period | None:
    """A date, month, year or decade written out; a missing year comes from ``year_from``."""
    default_year = year_from.year if year_from is not None else None
    for pattern in (_ISO_DAY, _DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        match = pattern.fullmatch(text)
        if match is not None:
            return _day(match, default_year)
    match = _MONTH_YEAR.fullmatch(text)
    if match is not None:
        year = int(match["year"]) if match["year"] else default_year
        if year is None:
            return None
        return _period(date(year, _MONTHS[match["month"]], 1), "month")
    match = _YEAR_ONLY.fullmatch(text)
    if match is not None:
        return _period(date(int(match["year"]), 1, 1), "year")
    match = _DECADE.fullmatch(text)
    if match is not None:
        return _period(date(int(match["decade"]), 1, 1), "decade")
    return None


def _day(match: re.Match[str], default_year: int | None) -> _Period | None:
    year = int(match["year"]) if match["year"] else default_year
    month_text = match["month"]
    month = _MONTHS[month_text] if month_text in _MONTHS else int(month_text)
    day = int(match["day"])
    if year is None or not 1 <= month <= 12:
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return _period(date(year, month, day), "day")


def _relative(text: str, published: date | None) -> _Period | None:
    """Today, yesterday, a weekday, last week, this month, next year ..."""
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
        return _period(_weekday(published, _WEEKDAYS[weekday["weekday"]], weekday["which"]), "day")
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


def _weekday(published: date, weekday: int, which: str | None) -> date:
    if which == "next":
        return published + timedelta(days=(weekday - published.weekday()) % 7 or 7)
    back = (published.weekday() - weekday) % 7
    if which in ("last", "past") and back == 0:
        back = 7
    return published - timedelta(days=back)


def _ago(text: str, published: date | None) -> _Period | None:
    match = _AGO.fullmatch(text)
    if match is None or published is None:
        return None
    shifted = _shift(published, -_number(match["number"]), match["unit"])
    return None if shifted is None else _period(shifted, _AGO_PRECISION[match["unit"]])


def _offset(text: str, published: date | None) -> _Period | None:
    """ "<N> <unit>s before/after <time>", the time read from the longest prefix that parses
    ("two days before the September 11, 2001 attacks")."""
    match = _OFFSET.fullmatch(text)
    if match is None:
        return None
    base = _leading_point(_clean(match["base"]), published)
    if base is None:
        return None
    sign = 1 if match["direction"] in ("after", "later than") else -1
    shifted = _shift(base.first, sign * _number(match["number"]), match["unit"])
    if shifted is None:
        return None
    precision = max(base.precision, _OFFSET_PRECISION[match["unit"]], key=_ORDER.__getitem__)
    return _period(shifted, precision)


def _leading_point(text: str, published: date | None) -> _Period | None:
    words = text.split()
    for size in range(len(words), 0, -1):
        found = _point(_clean(" ".join(words[:size])), published, published)
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
        sentence_starts = [sent.start_char for sent in doc.sents]
        found: list[TimeExpression] = []
        for span in _candidates(doc, published):
            if span.end < len(doc) and doc[span.end].lower_ in self._title_nouns:
                continue
            value, precision = normalise(span.text, published)
            if (
                published is not None
                and published.year > date.min.year
                and _after(value, published)
                and _told_in_the_past(span)
            ):
                value, precision = normalise(span.text, _year_before(published))
            if span.label_ in _SEED_LABELS or value is not None:
                found.append(
                    TimeExpression(
                        text=span.text,
                        evidence=evidence_at(doc, span.start_char, span.end_char, sentence_starts),
                        value=value,
                        precision=precision,
                    )
                )
        return tuple(found)

    def set_annotations(self, doc: Doc, times: tuple[TimeExpression, ...]) -> None:
        doc._.set(attributes.TIMES, times)


def _after(value: str | None, published: date) -> bool:
    """True for a month or day stated with no year ("December", "September 17") that the
    publication year puts after publication."""
    if value is None or len(value) not in (7, 10) or "/" in value:
        return False
    first = date.fromisoformat(value if len(value) == 10 else f"{value}-01")
    return first > published


def _year_before(published: date) -> date:
    return date(published.year - 1, published.month, min(published.day, 28))


def _told_in_the_past(span: Span) -> bool:
    """True when the verb the time hangs from is in the past tense ("announced", "was
    signed", "had met"), not a future, a modal or a present ("will be held", "is expected")."""
    token = span.root
    while token.pos_ not in {"VERB", "AUX"} and token.head is not token:
        token = token.head
    if token.pos_ not in {"VERB", "AUX"}:
        return False
    if token.tag_ == "VBD":
        return True
    if token.tag_ != "VBN":
        return False
    helpers = [child for child in token.children if child.dep_ in {"aux", "auxpass"}]
    return all(child.tag_ == "VBD" or child.lemma_ == "have" for child in helpers) and not any(
        child.tag_ == "MD" for child in helpers
    )


def _candidates(doc: Doc, published: date | None) -> list[Span]:
    """NER's date spans, each grown by a month name beside it and joined to the next span
    where the two make one expression; sorted by position, none overlapping."""
    seeds = [
        _with_month(doc, ent, published)
        for ent in doc.ents
        if ent.label_ in _SEED_LABELS or (ent.label_ == "EVENT" and _has_date(ent.text))
    ]
    joined: list[Span] = []
    for seed in seeds:
        if joined:
            both = _joined(doc, joined[-1], seed, published)
            if both is not None:
                joined[-1] = both
                continue
        joined.append(seed)
    return joined


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

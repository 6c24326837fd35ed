"""Publication dates as day numbers, and the records' date notation (newsdesk.dates)."""

from __future__ import annotations

from datetime import date

from newsdesk.corpus.dates import day_number
from newsdesk.dates import day_of, days, end_year


def test_dates_day_number_reads_dates_and_timestamps() -> None:
    assert day_number("2021-08-24") == date(2021, 8, 24).toordinal()
    assert day_number("2021-08-24T10:15:00+00:00") == date(2021, 8, 24).toordinal()


def test_dates_day_number_is_none_without_a_full_date() -> None:
    assert [day_number(value) for value in (None, "", "2021-08", "soon")] == [None] * 4


def test_dates_day_of_reads_a_day_or_a_timestamp() -> None:
    assert day_of("2021-08-24T10:15:00+00:00") == date(2021, 8, 24)
    assert [day_of(value) for value in (None, "", "2021-08", "2021")] == [None] * 4


def test_dates_end_year_is_the_last_part_of_an_interval() -> None:
    assert [end_year(v) for v in ("2019-05-01", "2021-W34", "2018/2021-03", "soon")] == [
        2019,
        2021,
        2021,
        None,
    ]


def test_dates_days_covers_a_month_a_year_and_an_interval() -> None:
    august = (date(2021, 8, 1).toordinal(), date(2021, 8, 31).toordinal())
    assert days("2021-08") == august
    assert days("2021") == (date(2021, 1, 1).toordinal(), date(2021, 12, 31).toordinal())
    assert days("2021-08-03/2021-08-31") == (date(2021, 8, 3).toordinal(), august[1])
    assert [days(value) for value in (None, "2021-W34", "soon")] == [None] * 3

"""Publication dates as day numbers."""

from __future__ import annotations

from datetime import date

from newsdesk.corpus.dates import day_number


def test_dates_day_number_reads_dates_and_timestamps() -> None:
    assert day_number("2021-08-24") == date(2021, 8, 24).toordinal()
    assert day_number("2021-08-24T10:15:00+00:00") == date(2021, 8, 24).toordinal()


def test_dates_day_number_is_none_without_a_full_date() -> None:
    assert [day_number(value) for value in (None, "", "2021-08", "soon")] == [None] * 4

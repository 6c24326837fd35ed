"""Demonyms and the countries they point at."""

from __future__ import annotations

import pytest

from newsdesk.data.demonyms import load_demonyms


@pytest.mark.parametrize(
    ("demonym", "country"),
    [
        ("Afghan", "AF"),
        ("afghans", "AF"),
        ("Pakistani", "PK"),
        ("French", "FR"),
        ("Sudanese", "SD"),
    ],
)
def test_demonyms_point_at_their_country(demonym: str, country: str) -> None:
    assert load_demonyms()[demonym.casefold()] == country


def test_demonyms_shared_by_two_states_point_at_none() -> None:
    assert "korean" not in load_demonyms()

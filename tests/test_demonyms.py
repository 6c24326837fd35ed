"""Demonyms and the countries they point at."""

from __future__ import annotations

import pytest

from newsdesk.data.demonyms import load_demonym_states, load_demonyms


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


def test_demonyms_point_at_the_state_code_actors_use() -> None:
    assert load_demonym_states()["nigerian"] == "NGA"
    assert load_demonym_states().keys() == load_demonyms().keys()


def test_demonyms_shared_by_two_states_point_at_none() -> None:
    assert "korean" not in load_demonyms()

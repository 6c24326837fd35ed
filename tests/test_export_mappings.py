"""The export mappings: PLOVER to ACLED and CAMEO, Goldstein, sectors to ACLED inter codes."""

from __future__ import annotations

from typing import get_args

import pytest

from _export_rows import event_row, toll
from newsdesk.data.event_lexicon import CAMEO_ROOTS, MODES
from newsdesk.desk import Toll, _fatalities
from newsdesk.errors import DataError
from newsdesk.export.acled import acled_row
from newsdesk.export.cells import first_day, safe_cell
from newsdesk.export.mappings import (
    ACLED_EVENT_TYPES,
    acled_type,
    cameo_code,
    goldstein,
    inter_code,
    load_mappings,
    parse_acled,
    parse_cameo,
    parse_goldstein,
    parse_inter,
    quad_class,
)
from newsdesk.records import Sector


def test_mappings_cover_every_plover_type_and_mode() -> None:
    mappings = load_mappings()
    for kind, modes in MODES.items():
        assert (kind, "-") in mappings.cameo
        assert (kind, "-", False) in mappings.acled
        for mode in (None, *modes):
            code = cameo_code(kind, mode, None)
            assert code is not None and code[:2] in CAMEO_ROOTS[kind]
            assert goldstein(code) is not None, code


def test_mappings_every_cameo_code_under_the_coders_root_has_a_goldstein_value() -> None:
    for kind, roots in CAMEO_ROOTS.items():
        for root in roots:
            for mode in (None, *MODES[kind]):
                code = cameo_code(kind, mode, root)
                assert code is not None and code.startswith(root)
                assert -10 <= (goldstein(code) or 99) <= 10


@pytest.mark.parametrize(
    ("code", "value", "quad"),
    [("057", 8.0, 1), ("04", 1.0, 1), ("073", 7.4, 2), ("112", -2.0, 3), ("1951", -10.0, 4)],
)
def test_mappings_goldstein_and_quad_class_of_known_codes(
    code: str, value: float, quad: int
) -> None:
    assert goldstein(code) == value
    assert quad_class(code) == quad


def test_mappings_quad_class_refuses_codes_outside_cameo() -> None:
    assert quad_class("21") is None
    assert quad_class("x1") is None
    assert quad_class(None) is None


def test_mappings_cameo_code_keeps_the_coders_root() -> None:
    assert cameo_code("ASSAULT", "aerial", "19") == "195"
    # The coder read the attack as an assault (18): the mode's fight code (19x) would change it.
    assert cameo_code("ASSAULT", "aerial", "18") == "180"
    assert cameo_code("REQUEST", "yield", "10") == "100"


def test_mappings_acled_types_are_acleds_and_civilian_targets_change_them() -> None:
    armed = acled_type("ASSAULT", "firearms", civilian_target=False)
    civilians = acled_type("ASSAULT", "firearms", civilian_target=True)
    assert armed is not None and armed.event_type == "Battles"
    assert civilians is not None and civilians.event_type == "Violence against civilians"
    for found in load_mappings().acled.values():
        if found is not None:
            assert found.sub_event_type in ACLED_EVENT_TYPES[found.event_type]
    assert acled_type("CONSULT", "phone", civilian_target=False) is None
    riot = acled_type("PROTEST", "riot", civilian_target=False)
    assert riot is not None and riot.event_type == "Riots"


def test_mappings_every_sector_has_an_inter_code() -> None:
    for sector in get_args(Sector):
        assert 1 <= (inter_code(sector) or 0) <= 8
    assert inter_code("military") == 1
    assert inter_code("civilian") == 7
    assert inter_code(None) is None


@pytest.mark.parametrize(
    ("parse", "rows", "words"),
    [
        (parse_cameo, [(9, {"type": "ASSAULT", "mode": "-", "cameo": "042"})], "not under"),
        (parse_cameo, [(9, {"type": "FIGHT", "mode": "-", "cameo": "190"})], "PLOVER type"),
        (parse_goldstein, [(9, {"cameo": "19", "goldstein": "-11", "label": "x"})], "-10 to 10"),
        (parse_goldstein, [(9, {"cameo": "195", "goldstein": "-10", "label": "x"})], "root"),
        (
            parse_inter,
            [(9, {"sector": "army", "inter": "1", "cameo_type": "-", "note": ""})],
            "sector",
        ),
        (
            parse_acled,
            [
                (
                    9,
                    {
                        "type": "ASSAULT",
                        "mode": "-",
                        "target": "-",
                        "disorder_type": "Political violence",
                        "event_type": "Battles",
                        "sub_event_type": "Attack",
                        "note": "-",
                    },
                )
            ],
            "not an ACLED sub-event type",
        ),
    ],
)
def test_mappings_a_bad_row_is_an_error_naming_file_and_line(
    parse: object, rows: list[tuple[int, dict[str, str]]], words: str
) -> None:
    with pytest.raises(DataError, match=r"x\.tsv, line 9") as caught:
        parse(rows, "x.tsv")  # type: ignore[operator]
    assert words in str(caught.value)


def test_mappings_a_missing_type_is_an_error() -> None:
    with pytest.raises(DataError, match="no '-' row"):
        parse_cameo([(3, {"type": "ASSAULT", "mode": "-", "cameo": "190"})], "x.tsv")


def test_fatalities_are_the_lowest_of_the_independent_sources_latest_figures() -> None:
    # Outlet A says 4, then 7 (its latest); B says 5; the injured count is no toll of dead.
    tolls = [toll(4, "A"), toll(7, "A"), toll(5, "B"), toll(30, "B", unit="injured")]
    assert _fatalities(tolls) == 5
    assert _fatalities([toll(30, "B", unit="injured")]) is None


def test_fatalities_take_a_vague_figure_only_when_a_source_gives_no_exact_one() -> None:
    dozens = Toll("dead", 24, 99, True, "A", "a-A", "dozens")
    thousands = Toll("dead", 2000, 9999, True, "B", "a-B", "thousands")
    assert _fatalities([dozens, toll(9, "A"), thousands]) == 9
    assert _fatalities([thousands]) == 2000


def test_acled_row_codes_the_actors_and_notes_the_other_figures() -> None:
    found = acled_row(event_row())
    assert found is not None
    assert found["event_type"] == "Violence against civilians"
    assert (found["inter1"], found["inter2"], found["interaction"]) == (3, 7, 37)
    assert found["civilian_targeting"] == "Civilian targeting"
    assert found["fatalities"] == 12
    assert "15 dead (B)" in str(found["notes"])
    assert found["iso"] == 466 and found["country"] == "Mali"


def test_acled_row_protesters_are_coded_by_what_they_do() -> None:
    found = acled_row(event_row(type="PROTEST", mode="riot", source_sectors=("party",)))
    assert found is not None and found["inter1"] == 5 and found["event_type"] == "Riots"


def test_acled_row_leaves_out_what_acled_does_not_code() -> None:
    assert acled_row(event_row(type="CONSULT", mode=None)) is None
    assert acled_row(event_row(status="planned")) is None


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_safe_cell_neutralises_formulas(start: str) -> None:
    assert safe_cell(f"{start}1+2") == f"'{start}1+2"
    assert safe_cell("Kabul") == "Kabul"


def test_first_day_of_dates_months_weeks_and_intervals() -> None:
    assert first_day("2024-07") == "2024-07-01"
    assert first_day("2024") == "2024-01-01"
    assert first_day("2024-W02") == "2024-01-08"
    assert first_day("2024-03-04/2024-03-09") == "2024-03-04"
    assert first_day(None) is None


def test_gdelt_event_has_61_fields_and_neutralises_formulas() -> None:
    import io

    from newsdesk.export.gdelt import GDELT_EVENT_COLUMNS, write_gdelt_events

    buffer = io.StringIO()
    assert write_gdelt_events([event_row(lat=14.0, lon=-6.0, place_id="gn:1")], buffer) == 1
    fields = dict(zip(GDELT_EVENT_COLUMNS, buffer.getvalue().rstrip("\n").split("\t"), strict=True))
    assert fields["Actor1Name"].startswith("'=")
    assert fields["EventCode"] == "193" and fields["QuadClass"] == "4"
    assert fields["ActionGeo_CountryCode"] == "ML" and fields["ActionGeo_Long"] == "-6.0"
    assert fields["AvgTone"] == ""

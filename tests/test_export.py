"""newsdesk export: every format from the demo store, read back and compared with the store."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import polars as pl
import pytest
from typer.testing import CliRunner

from _export_rows import event_row
from newsdesk import desk
from newsdesk.errors import ExportError
from newsdesk.export import RECORDS, export, read_export
from newsdesk.export.acled import ACLED_COLUMNS
from newsdesk.export.gdelt import GDELT_EVENT_COLUMNS, GDELT_MENTION_COLUMNS, event_id
from newsdesk.export.geojson import geojson_schema
from newsdesk.export.mappings import goldstein, quad_class
from newsdesk.faces.cli import EXIT_USAGE, app

pytestmark = pytest.mark.slow

runner = CliRunner()


@pytest.fixture(scope="module")
def store(demo_db: Path) -> Iterator[Any]:
    with desk.open_store(str(demo_db), must_exist=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def rows(store: Any) -> dict[str, desk.EventRow]:
    return {row.id: row for row in desk.events(store).rows}


def _missing(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or str(value)
        in (
            "<NA>",
            "nan",
        )
    )


def _same(read: Any, stored: Any) -> bool:
    if _missing(stored):
        return _missing(read)
    if isinstance(stored, float):
        return math.isclose(float(read), stored)
    return bool(read == stored)


def test_export_rows_stream_as_the_events_command_shows_them(store: Any, rows: Any) -> None:
    # A small page reads the store many times: the rows are the same as one big read.
    streamed = list(desk.event_rows(store, page=3))
    assert {row.id: row for row in streamed} == rows
    filtered = {row.id for row in desk.event_rows(store, type="ASSAULT", page=4)}
    assert filtered == {row.id for row in desk.events(store, type="ASSAULT").rows}
    per_report = list(desk.event_rows(store, merged=False, page=7))
    assert len(per_report) == store.counts()["events"]


def test_export_acled_round_trip(store: Any, rows: Any, tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    counts = export(store, "acled", path)
    frame = read_export(path, "acled")
    assert tuple(frame.columns) == ACLED_COLUMNS
    assert len(frame) == counts.written > 0
    assert counts.written + counts.left_out == len(rows)
    assert str(frame["fatalities"].dtype) == "Int64"
    assert str(frame["latitude"].dtype) == "Float64"
    for record in frame.to_dict("records"):
        row = rows[record["event_id_cnty"].split("-", 1)[1]]
        assert record["fatalities"] == (int(row.fatalities) if row.fatalities else 0)
        assert _same(record["latitude"], row.lat) and _same(record["longitude"], row.lon)
        assert _same(record["location"], row.place)
        assert _same(record["admin1"], row.admin1)
        assert _same(record["geo_precision"], row.geo_precision)
        assert _same(record["time_precision"], row.time_precision)
        assert record["source"] == "; ".join(row.outlets)
        assert row.evidence in record["notes"]
        assert row.status not in ("planned", "threatened", "conditional", "negated")


def test_export_acled_leaves_fatalities_conservative_and_notes_the_others(
    store: Any, rows: Any, tmp_path: Path
) -> None:
    with_tolls = [row for row in rows.values() if row.fatalities is not None]
    assert with_tolls
    for row in with_tolls:
        dead = [toll.value for toll in row.tolls if toll.unit == "dead"]
        assert min(dead) <= row.fatalities <= max(dead)


def test_export_gdelt_events_round_trip(store: Any, rows: Any, tmp_path: Path) -> None:
    path = tmp_path / "events.tsv"
    export(store, "gdelt", path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert all(len(line.split("\t")) == len(GDELT_EVENT_COLUMNS) for line in lines)
    frame = read_export(path, "gdelt")
    assert len(frame) == len(rows)
    by_id = {event_id(row.id): row for row in rows.values()}
    for record in frame.to_dict("records"):
        row = by_id[record["GLOBALEVENTID"]]
        assert record["NumMentions"] == row.reports
        assert record["NumSources"] == row.sources
        code = record["EventCode"]
        if row.cameo:
            assert record["EventRootCode"] == row.cameo
        assert record["QuadClass"] == quad_class(code)
        assert math.isclose(record["GoldsteinScale"], goldstein(code) or 0)
        assert _same(record["ActionGeo_Lat"], row.lat)
        assert _missing(record["AvgTone"])


def test_export_gdelt_mentions_point_at_the_evidence(store: Any, tmp_path: Path) -> None:
    path = tmp_path / "mentions.tsv"
    export(store, "gdelt", path, mentions=True)
    frame = read_export(path, "gdelt", mentions=True)
    assert tuple(frame.columns) == GDELT_MENTION_COLUMNS
    merged = store.merged_events()
    assert len(frame) == sum(len(event.mentions) for event in merged)
    for record in frame.head(40).to_dict("records"):
        extras = record["Extras"]
        article_id = extras.split("<article>")[1].split("</article>")[0]
        index = int(extras.split("<event>")[1].split("</event>")[0])
        article = store.get_article(article_id)
        event = article.events[index]
        assert record["ActionCharOffset"] == event.trigger.start
        assert record["MentionDocLen"] == len(article.text)
        assert record["Confidence"] == round(event.confidence * 100)


def test_export_geojson_is_valid_rfc7946(store: Any, rows: Any, tmp_path: Path) -> None:
    path = tmp_path / "events.geojson"
    counts = export(store, "geojson", path)
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(geojson_schema())
    jsonschema.validate(data, geojson_schema(), cls=jsonschema.Draft202012Validator)
    placed = [row for row in rows.values() if row.lat is not None]
    assert len(data["features"]) == counts.written == len(placed)
    for feature in data["features"]:
        row = rows[feature["id"]]
        assert feature["geometry"]["coordinates"] == [row.lon, row.lat]
        assert feature["properties"]["fatalities"] == row.fatalities
    frame = read_export(path, "geojson")
    assert set(frame["id"]) == {row.id for row in placed}


def test_export_geojson_schema_refuses_swapped_or_bad_coordinates() -> None:
    bad = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [200, 10]},
            }
        ],
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, geojson_schema(), cls=jsonschema.Draft202012Validator)


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_export_parquet_round_trip(store: Any, rows: Any, tmp_path: Path, library: str) -> None:
    path = tmp_path / "rows.parquet"
    export(store, "parquet", path)
    frame = read_export(path, "parquet", library=library)
    records = frame.to_dicts() if library == "polars" else frame.to_dict("records")
    assert len(records) == len(rows)
    for record in records:
        row = rows[record["id"]]
        assert _same(record["fatalities"], row.fatalities)
        assert list(record["outlets"]) == list(row.outlets)
        assert _same(record["admin1"], row.admin1)
        assert len(record["tolls"]) == len(row.tolls)
    if library == "polars":
        assert frame.schema["fatalities"] == pl.Float64
        assert frame.schema["reports"] == pl.Int64


@pytest.mark.parametrize("kind", [kind for kind in RECORDS if kind != "rows"])
def test_export_every_record_type_to_jsonl_and_parquet(
    store: Any, tmp_path: Path, kind: str
) -> None:
    counts = store.counts()
    expected = {
        "articles": counts["articles"],
        "events": counts["events"],
        "merged": counts["merged_events"],
        "claims": counts["claims"],
        "stories": counts["stories"],
        "quotes": sum(len(a.quotes) for a in store.iter_articles()),
    }[kind]
    jsonl, parquet = tmp_path / f"{kind}.jsonl", tmp_path / f"{kind}.parquet"
    assert export(store, "jsonl", jsonl, records=kind).written == expected
    assert export(store, "parquet", parquet, records=kind).written == expected
    lines = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    table = pl.read_parquet(parquet)
    assert len(lines) == table.height == expected
    if kind == "articles":
        first = store.get_article(lines[0]["id"])
        assert lines[0] == first.model_dump(mode="json")
        assert table.row(0, named=True)["text"] == first.text
    if kind == "events":
        article = store.get_article(lines[0]["article"])
        event = article.events[lines[0]["index"]]
        assert lines[0]["type"] == event.type
        assert json.loads(table.row(0, named=True)["trigger"]) == event.trigger.model_dump(
            mode="json"
        )


def test_export_csv_round_trip(store: Any, rows: Any, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    export(store, "csv", path)
    frame = read_export(path, "csv")
    assert str(frame["reports"].dtype) == "Int64"
    assert len(frame) == len(rows)
    for record in frame.to_dict("records"):
        row = rows[record["id"]]
        assert _same(record["fatalities"], row.fatalities)
        assert _same(record["evidence"], row.evidence)
        assert (record["outlets"] if not _missing(record["outlets"]) else "") == "; ".join(
            row.outlets
        )


def test_export_csv_neutralises_formulas_and_reads_them_back(tmp_path: Path) -> None:
    from newsdesk.export.tables import row_columns, write_csv

    row = event_row(evidence='=HYPERLINK("http://x")', place="@SUM(A1)")
    buffer = io.StringIO()
    write_csv([row], buffer, row_columns())
    cells = next(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert cells["evidence"].startswith("'=") and cells["place"].startswith("'@")
    assert cells["source_names"].startswith("'=")
    path = tmp_path / "formula.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    frame = read_export(path, "csv")
    assert frame["evidence"][0] == row.evidence and frame["place"][0] == row.place


def test_export_to_a_stream_and_unknown_names_are_coded_errors(store: Any) -> None:
    buffer = io.StringIO()
    export(store, "jsonl", buffer, country="UA")
    ids = [json.loads(line)["id"] for line in buffer.getvalue().splitlines()]
    assert ids and set(ids) == {row.id for row in desk.events(store, country="UA").rows}
    with pytest.raises(ExportError, match="E500"):
        export(store, "xlsx", io.StringIO())
    with pytest.raises(ExportError, match="E501"):
        export(store, "parquet", io.StringIO())
    with pytest.raises(ExportError, match="E503"):
        export(store, "acled", io.StringIO(), records="claims")
    with pytest.raises(ExportError, match="E508"):
        export(store, "jsonl", io.StringIO(), records="claims", country="UA")


def test_export_a_failed_export_leaves_no_file(store: Any, tmp_path: Path) -> None:
    from newsdesk.errors import StoreError

    path = tmp_path / "out.csv"
    with pytest.raises(StoreError, match="E406"):
        export(store, "csv", path, since="last week")
    assert list(tmp_path.iterdir()) == []


# -- the command ----------------------------------------------------------------------------


def _run(demo_db: Path, *args: str) -> Any:
    return runner.invoke(app, ["export", *args, "--db", str(demo_db)])


def test_cli_export_writes_stdout_or_a_file(demo_db: Path, tmp_path: Path, rows: Any) -> None:
    shown = _run(demo_db, "--format", "jsonl")
    assert shown.exit_code == 0, shown.output
    ids = [json.loads(line)["id"] for line in shown.stdout.splitlines() if line.startswith("{")]
    assert set(ids) == set(rows)
    out = tmp_path / "events.geojson"
    written = _run(demo_db, "-f", "geojson", "-o", str(out), "--type", "ASSAULT")
    assert written.exit_code == 0, written.output
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert features and all(f["properties"]["type"] == "ASSAULT" for f in features)
    parquet = tmp_path / "m.parquet"
    assert _run(demo_db, "-f", "parquet", "--mentions", "-o", str(parquet)).exit_code == 0
    assert pl.read_parquet(parquet).height == len(desk.events(_open(demo_db), merged=False).rows)


def _open(demo_db: Path) -> Any:
    return desk.open_store(str(demo_db), must_exist=True)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("-f", "xlsx"), "E500"),
        (("-f", "parquet"), "E501"),
        (("-f", "csv", "--merged", "--mentions"), "E504"),
        (("-f", "acled", "--mentions"), "E507"),
        (("-f", "csv", "--country", "Mali"), "E422"),
        (("-f", "csv", "--type", "FIGHT"), "E423"),
        (("-f", "csv", "--since", "yesterday"), "E406"),
    ],
)
def test_cli_export_bad_options_are_coded_usage_errors(
    demo_db: Path, args: tuple[str, ...], code: str
) -> None:
    result = _run(demo_db, *args)
    assert result.exit_code == EXIT_USAGE, result.output
    assert code in result.output


def test_cli_export_refuses_a_missing_store(tmp_path: Path) -> None:
    db = tmp_path / "mistyped.sqlite"
    result = runner.invoke(app, ["export", "-f", "csv", "--db", str(db)])
    assert result.exit_code == EXIT_USAGE
    assert "[E420]" in result.stderr
    assert not db.exists()

"""Reading exports back as DataFrames with the right dtypes (pandas, or polars)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from newsdesk.export.acled import ACLED_COLUMNS
from newsdesk.export.gdelt import GDELT_EVENT_COLUMNS, GDELT_MENTION_COLUMNS
from newsdesk.export.tables import Column, columns_of

__all__ = ["read"]

_PANDAS_DTYPES = {
    "string": "string",
    "int": "Int64",
    "float": "Float64",
    "bool": "boolean",
    "strings": "string",
    "tolls": "string",
    "json": "string",
}
_ACLED_INTS = frozenset(
    {
        "year",
        "time_precision",
        "inter1",
        "inter2",
        "interaction",
        "iso",
        "geo_precision",
        "fatalities",
        "timestamp",
    }
)
_ACLED_FLOATS = frozenset({"latitude", "longitude"})
_GDELT_INTS = frozenset(
    {
        "GLOBALEVENTID",
        "SQLDATE",
        "MonthYear",
        "Year",
        "IsRootEvent",
        "QuadClass",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "Actor1Geo_Type",
        "Actor2Geo_Type",
        "ActionGeo_Type",
        "DATEADDED",
        "EventTimeDate",
        "MentionTimeDate",
        "MentionType",
        "SentenceID",
        "Actor1CharOffset",
        "Actor2CharOffset",
        "ActionCharOffset",
        "InRawText",
        "Confidence",
        "MentionDocLen",
    }
)
_GDELT_FLOATS = frozenset(
    {
        "FractionDate",
        "GoldsteinScale",
        "AvgTone",
        "Actor1Geo_Lat",
        "Actor1Geo_Long",
        "Actor2Geo_Lat",
        "Actor2Geo_Long",
        "ActionGeo_Lat",
        "ActionGeo_Long",
        "MentionDocTone",
    }
)


def _named_dtypes(
    names: tuple[str, ...], ints: frozenset[str], floats: frozenset[str]
) -> dict[str, str]:
    return {
        name: "Int64" if name in ints else "Float64" if name in floats else "string"
        for name in names
    }


def _unneutralised(frame: Any, columns: list[str]) -> Any:
    """Text cells as they were before the CSV writer put an apostrophe before a formula."""
    for name in columns:
        series = frame[name]
        starts = series.str.match(r"^'[=+\-@\t\r]", na=False)
        frame.loc[starts, name] = series[starts].str.slice(1)
    return frame


def _pandas(path: Path, format: str, records: str, mentions: bool) -> Any:
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    if format == "parquet":
        return pd.read_parquet(path, dtype_backend="numpy_nullable")
    if format == "jsonl":
        columns = _columns(records)
        frame = pd.read_json(path, lines=True, dtype=False)
        return _typed(frame, columns)
    if format == "geojson":
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("type") != "FeatureCollection":
            raise ValueError("not a GeoJSON FeatureCollection")
        rows = [
            {
                **feature["properties"],
                "lon": feature["geometry"]["coordinates"][0],
                "lat": feature["geometry"]["coordinates"][1],
            }
            for feature in data["features"]
        ]
        return _typed(pd.DataFrame(rows), _columns("rows"))
    if format == "gdelt":
        names = GDELT_MENTION_COLUMNS if mentions else GDELT_EVENT_COLUMNS
        dtypes = _named_dtypes(names, _GDELT_INTS, _GDELT_FLOATS)
        frame = pd.read_csv(
            path,
            sep="\t",
            header=None,
            names=list(names),
            dtype=dtypes,
            quoting=csv.QUOTE_NONE,
            keep_default_na=False,
            na_values=[""],
        )
        return _unneutralised(frame, [n for n, t in dtypes.items() if t == "string"])
    if format == "acled":
        dtypes = _named_dtypes(ACLED_COLUMNS, _ACLED_INTS, _ACLED_FLOATS)
        frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
        return _unneutralised(frame, [n for n, t in dtypes.items() if t == "string"])
    columns = _columns(records)
    dtypes = {column.name: _PANDAS_DTYPES[column.kind] for column in columns}
    frame = pd.read_csv(path, dtype=dtypes, keep_default_na=False, na_values=[""])
    return _unneutralised(frame, [n for n, t in dtypes.items() if t == "string"])


def _columns(records: str) -> tuple[Column, ...]:
    return columns_of(records)


def _typed(frame: Any, columns: tuple[Column, ...]) -> Any:
    """The scalar columns of a frame read from JSON with their nullable dtypes."""
    for column in columns:
        if column.name not in frame.columns:
            continue
        if column.kind in ("string", "int", "float", "bool"):
            frame[column.name] = frame[column.name].astype(_PANDAS_DTYPES[column.kind])
    return frame


def read(path: Path, format: str, *, records: str, mentions: bool, library: str) -> Any:
    if library == "polars":
        import polars as pl  # type: ignore[import-not-found,unused-ignore]

        if format == "parquet":
            return pl.read_parquet(path)
        return pl.from_pandas(_pandas(path, format, records, mentions))
    return _pandas(path, format, records, mentions)

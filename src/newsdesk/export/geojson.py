"""The GeoJSON export: merged events as a FeatureCollection of points (RFC 7946).

Each event with a place that has coordinates is one Feature: a Point at [longitude, latitude]
(WGS 84, the order RFC 7946 section 3.1.1 fixes), with the event row's fields as properties
(lists stay lists, tolls are objects). Events with no coordinates are counted, not written:
a feature with a null geometry draws nothing on a map. The collection is written a feature
at a time, so memory stays flat.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from importlib import resources
from typing import Any, TextIO

from newsdesk.data.files import read_data_text
from newsdesk.desk import EventRow
from newsdesk.errors import DataError, Errors

__all__ = ["GeoJsonCounts", "feature", "geojson_schema", "write_geojson"]

SCHEMA_FILE = "geojson.schema.json"


@functools.cache
def geojson_schema() -> dict[str, Any]:
    """The JSON Schema of an RFC 7946 FeatureCollection (``newsdesk/data/geojson.schema.json``,
    the project's own, written from the RFC), for tools and tests to validate exports with."""
    path = f"newsdesk/data/{SCHEMA_FILE}"
    text = read_data_text(resources.files("newsdesk.data").joinpath(SCHEMA_FILE))
    try:
        schema = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(Errors.E301.format(path=path, line=exc.lineno, detail=exc.msg)) from exc
    if not isinstance(schema, dict) or schema.get("properties", {}).get("type") != {
        "const": "FeatureCollection"
    }:
        raise DataError(
            Errors.E301.format(path=path, line=1, detail="not a FeatureCollection schema")
        )
    return schema


@dataclass
class GeoJsonCounts:
    written: int = 0
    unplaced: int = 0
    """Events with no coordinates, left out."""


def feature(row: EventRow) -> dict[str, Any] | None:
    """The Feature of one event row, or None when it has no coordinates."""
    if row.lat is None or row.lon is None:
        return None
    properties = asdict(row)
    del properties["lat"], properties["lon"]
    return {
        "type": "Feature",
        "id": row.id,
        "geometry": {"type": "Point", "coordinates": [row.lon, row.lat]},
        "properties": properties,
    }


def write_geojson(rows: Iterable[EventRow], out: TextIO) -> GeoJsonCounts:
    counts = GeoJsonCounts()
    out.write('{"type": "FeatureCollection", "features": [')
    for row in rows:
        found = feature(row)
        if found is None:
            counts.unplaced += 1
            continue
        out.write(",\n" if counts.written else "\n")
        out.write(json.dumps(found, ensure_ascii=False, allow_nan=False))
        counts.written += 1
    out.write("\n]}\n")
    return counts

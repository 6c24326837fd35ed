"""The GeoJSON export: merged events as a FeatureCollection of points (RFC 7946).

Each event with a place that has coordinates is one Feature: a Point at [longitude, latitude]
(WGS 84, the order RFC 7946 section 3.1.1 fixes), with the event row's fields as properties
(lists stay lists, tolls are objects). Events with no coordinates are counted, not written:
a feature with a null geometry draws nothing on a map. The collection is written a feature
at a time, so memory stays flat.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, TextIO

from newsdesk.desk import EventRow

__all__ = ["GeoJsonCounts", "feature", "write_geojson"]


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

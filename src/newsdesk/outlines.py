"""Country outlines for maps drawn offline: the web app's map and the reports' SVG map.

The outlines are Natural Earth's, as the npm package world-atlas ships them (TopoJSON), installed
at set-up time by ``scripts/assets.sh`` into ``newsdesk/serve/static/vendor`` and never fetched at
run time. TopoJSON stores each border once, as an "arc" shared by the two countries it separates,
quantised and delta-encoded; this module decodes it into plain rings of (longitude, latitude).

    >>> from newsdesk.outlines import outlines
    >>> france = next(o for o in outlines() if o.country == "FR")
    >>> len(france.polygons) > 1   # the mainland and Corsica
    True
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from newsdesk.errors import DataError, Errors

__all__ = ["Outline", "Resolution", "outlines", "outlines_geojson", "vendor_folder"]

Resolution = Literal["110m", "50m"]
Ring = tuple[tuple[float, float], ...]
Polygon = tuple[Ring, ...]
"""The outer ring first, then its holes."""


@dataclass(frozen=True, slots=True)
class Outline:
    country: str | None
    """ISO 3166-1 alpha-2 code; None for the few areas the atlas gives no ISO number (Kosovo,
    Northern Cyprus, Somaliland)."""
    name: str
    polygons: tuple[Polygon, ...]


def vendor_folder() -> Path:
    """Where ``scripts/assets.sh`` puts the front-end files: inside the installed package."""
    return Path(str(resources.files("newsdesk") / "serve" / "static" / "vendor"))


@cache
def outlines(resolution: Resolution = "110m") -> tuple[Outline, ...]:
    """Every country's outline at Natural Earth's 1:110m or 1:50m scale.

    E307 when the files are not installed; E301 when the file is not the atlas's TopoJSON.
    """
    path = vendor_folder() / "world-atlas" / f"countries-{resolution}.json"
    if not path.is_file():
        raise DataError(Errors.E307.format(path=path))
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
        return tuple(_decode(topology, "countries"))
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise DataError(
            Errors.E301.format(path=path, line=1, detail=f"not world-atlas TopoJSON ({exc!r})")
        ) from exc


def outlines_geojson(resolution: Resolution = "110m") -> dict[str, Any]:
    """The outlines as a GeoJSON FeatureCollection (RFC 7946), one MultiPolygon per country
    with its ``country`` code and ``name`` as properties: what Leaflet draws."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"country": outline.country, "name": outline.name},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [
                        [[list(point) for point in ring] for ring in polygon]
                        for polygon in outline.polygons
                    ],
                },
            }
            for outline in outlines(resolution)
        ],
    }


def _decode(topology: dict[str, Any], name: str) -> list[Outline]:
    import pycountry

    arcs = _arcs(topology)
    found: list[Outline] = []
    for geometry in topology["objects"][name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:  # a country with no shape at this scale has a null geometry
            continue
        number = geometry.get("id")
        country = pycountry.countries.get(numeric=str(number)) if number else None
        found.append(
            Outline(
                country=country.alpha_2 if country is not None else None,
                name=str(geometry.get("properties", {}).get("name", "")),
                polygons=tuple(
                    tuple(_ring(ring, arcs) for ring in polygon) for polygon in polygons
                ),
            )
        )
    return found


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """Every arc in longitude and latitude: a quantised topology stores each point as the
    integer step from the one before, to be scaled and translated."""
    transform = topology.get("transform")
    decoded: list[list[tuple[float, float]]] = []
    for arc in topology["arcs"]:
        if transform is None:
            decoded.append([(float(x), float(y)) for x, y, *_ in arc])
            continue
        (scale_x, scale_y), (move_x, move_y) = transform["scale"], transform["translate"]
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x, y = x + dx, y + dy
            points.append((round(x * scale_x + move_x, 6), round(y * scale_y + move_y, 6)))
        decoded.append(points)
    return decoded


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> Ring:
    """One closed ring from its arcs: index ~i is arc i walked backwards, and each arc after
    the first starts where the one before ended, so its first point is dropped."""
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return tuple(points)

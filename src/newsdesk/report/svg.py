"""The reports' two pictures, drawn offline as static SVG: a map and a timeline.

The map draws the country outlines (``newsdesk.outlines``, Natural Earth via world-atlas) around
the events' bounding box and a point per place, its area by the number of independent sources.
The timeline counts the events per day, month or year. Both are plain SVG, with no script, no
style sheet and no external reference, so they show the same inline in an HTML report, as files
beside a Markdown one, or opened alone. Every string from a record is XML-escaped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import escape

from newsdesk.outlines import Outline, Resolution, outlines

__all__ = ["MapPoint", "TimelineEvent", "map_svg", "timeline_svg"]

WIDTH = 640
# The map keeps a height between these shares of its width: a box of events strung along a
# coast or a road would otherwise give a sliver.
_MIN_ASPECT, _MAX_ASPECT = 0.55, 0.9
# Degrees around the events: enough to show the neighbouring countries of one town.
_MIN_SPAN, _MARGIN = 4.0, 0.25
# Below this span (degrees of longitude) the 1:110m outlines are too coarse (Haiti is a few
# dozen points): the 1:50m ones are drawn.
_FINE_SPAN = 25.0
_SEA, _LAND, _EVENT_LAND, _BORDER, _POINT = "#dbe9f4", "#f4f1ea", "#e8dcc4", "#9a9187", "#b2182b"

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class MapPoint:
    """Events at one place: ``sources`` independent sources in all, named by ``label``."""

    lat: float
    lon: float
    sources: int
    label: str
    country: str | None = None


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    date: str
    """ISO: YYYY, YYYY-MM or YYYY-MM-DD (a time after it is ignored)."""
    label: str


def map_svg(points: Sequence[MapPoint], *, title: str) -> str | None:
    """The map of ``points`` as an SVG document (no XML declaration, so it can stand inline in
    HTML); None when there is no point to draw."""
    if not points:
        return None
    west, south, east, north = _frame(points)
    scale_x = WIDTH / (east - west)
    height = round((north - south) * scale_x / math.cos(math.radians((north + south) / 2)))
    scale_y = height / (north - south)

    def project(lon: float, lat: float) -> Point:
        return (lon - west) * scale_x, (north - lat) * scale_y

    resolution: Resolution = "50m" if east - west < _FINE_SPAN else "110m"
    marked = {point.country for point in points if point.country}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-map" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<rect class="sea" width="{WIDTH}" height="{height}" fill="{_SEA}"/>',
    ]
    labels: list[str] = []
    for outline in _in_frame(outlines(resolution), (west, south, east, north)):
        rings = [
            clipped
            for polygon in outline.polygons
            for ring in polygon
            if len(clipped := _clip([project(*p) for p in ring], WIDTH, height)) >= 3
        ]
        if not rings:
            continue
        path = " ".join(_path(ring) for ring in rings)
        fill = _EVENT_LAND if outline.country in marked else _LAND
        code = escape(outline.country or "")
        parts.append(
            f'<path class="country" data-country="{code}" d="{path}" fill="{fill}" '
            f'fill-rule="evenodd" stroke="{_BORDER}" stroke-width="0.6">'
            f"<title>{escape(outline.name)}</title></path>"
        )
        if outline.country in marked:
            x, y = _label_spot(rings)
            labels.append(
                f'<text class="country-name" x="{x:.1f}" y="{y:.1f}" font-size="12" '
                f'font-family="sans-serif" fill="#5b5248" text-anchor="middle">'
                f"{escape(outline.name)}</text>"
            )
    parts.extend(labels)
    most = max(point.sources for point in points)
    for point in sorted(points, key=lambda p: -p.sources):  # the small ones drawn on top
        x, y = project(point.lon, point.lat)
        radius = 4 + 8 * math.sqrt(point.sources / most)
        parts.append(
            f'<circle class="event-point" cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" '
            f'data-sources="{point.sources}" fill="{_POINT}" fill-opacity="0.7" '
            f'stroke="#ffffff" stroke-width="1"><title>{escape(point.label)}</title></circle>'
        )
    parts.append(
        f'<text x="{WIDTH - 6}" y="{height - 6}" font-size="10" font-family="sans-serif" '
        f'fill="#5b5248" text-anchor="end">Outlines: Natural Earth ({resolution})</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _frame(points: Sequence[MapPoint]) -> tuple[float, float, float, float]:
    """West, south, east, north of the map: the points' box with a margin, at least
    ``_MIN_SPAN`` wide and high, widened to a readable shape, within the world."""
    lons, lats = [p.lon for p in points], [p.lat for p in points]
    mid_lon, mid_lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    span_lon = max((max(lons) - min(lons)) * (1 + 2 * _MARGIN), _MIN_SPAN)
    span_lat = max((max(lats) - min(lats)) * (1 + 2 * _MARGIN), _MIN_SPAN)
    shrink = math.cos(math.radians(max(min(abs(mid_lat), 75.0), 0.0)))
    aspect = span_lat / (span_lon * shrink)
    if aspect < _MIN_ASPECT:
        span_lat = _MIN_ASPECT * span_lon * shrink
    elif aspect > _MAX_ASPECT:
        span_lon = span_lat / (_MAX_ASPECT * shrink)
    span_lon, span_lat = min(span_lon, 360.0), min(span_lat, 170.0)
    south = min(max(mid_lat - span_lat / 2, -85.0), 85.0 - span_lat)
    west = min(max(mid_lon - span_lon / 2, -180.0), 180.0 - span_lon)
    return west, south, west + span_lon, south + span_lat


def _in_frame(
    found: Iterable[Outline], frame: tuple[float, float, float, float]
) -> Iterable[Outline]:
    west, south, east, north = frame
    for outline in found:
        ring_points = [p for polygon in outline.polygons for p in polygon[0]]
        if not ring_points:
            continue
        lons, lats = [p[0] for p in ring_points], [p[1] for p in ring_points]
        if min(lons) <= east and max(lons) >= west and min(lats) <= north and max(lats) >= south:
            yield outline


def _clip(ring: list[Point], width: float, height: float) -> list[Point]:
    """The ring clipped to the map's rectangle (Sutherland-Hodgman, one edge at a time), so a
    large country sends only what shows."""
    points = ring
    # Each edge: the axis (0: x, 1: y), its coordinate, and whether inside is above it.
    for axis, bound, above in (
        (0, 0.0, True),
        (0, width, False),
        (1, 0.0, True),
        (1, height, False),
    ):
        if not points:
            break
        kept: list[Point] = []
        previous = points[-1]
        for current in points:
            now_in = (current[axis] >= bound) == above
            was_in = (previous[axis] >= bound) == above
            if now_in != was_in:
                kept.append(_cross(previous, current, axis, bound))
            if now_in:
                kept.append(current)
            previous = current
        points = kept
    return points


def _cross(a: Point, b: Point, axis: int, bound: float) -> Point:
    """Where the segment from ``a`` to ``b`` crosses the line ``axis`` = ``bound``."""
    t = (bound - a[axis]) / (b[axis] - a[axis])
    if axis == 0:
        return bound, a[1] + t * (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), bound


def _path(ring: list[Point]) -> str:
    """An SVG path of the ring, to a tenth of a pixel, points that round alike dropped."""
    steps: list[str] = []
    last = ""
    for x, y in ring:
        step = f"{x:.1f},{y:.1f}"
        if step != last:
            steps.append(step)
            last = step
    return "M" + "L".join(steps) + "Z"


def _label_spot(rings: list[list[Point]]) -> Point:
    """The middle of the largest ring's box: good enough for a name on a small map."""
    largest = max(rings, key=lambda ring: _area(ring))
    xs, ys = [p[0] for p in largest], [p[1] for p in largest]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def _area(ring: list[Point]) -> float:
    return abs(
        sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, [*ring[1:], ring[0]], strict=True))
    )


# -- the timeline ---------------------------------------------------------------------------------

_TIMELINE_HEIGHT, _PLOT_TOP, _PLOT_BOTTOM, _PLOT_LEFT = 180, 16, 140, 36


def timeline_svg(events: Sequence[TimelineEvent], *, title: str) -> str | None:
    """Bars of events per day (a span up to three months), month (up to six years) or year;
    None when no event is dated."""
    days = [(day, event) for event in events if (day := _day(event.date)) is not None]
    if not days:
        return None
    first, last = min(day for day, _ in days), max(day for day, _ in days)
    span = (last - first).days
    unit = "day" if span <= 92 else "month" if span <= 6 * 366 else "year"
    bins = _bins(first, last, unit)
    counts: dict[date, list[str]] = {start: [] for start in bins}
    for day, event in days:
        counts[_bin_of(day, unit)].append(event.label)
    most = max(len(labels) for labels in counts.values())
    plot_width = WIDTH - _PLOT_LEFT - 8
    step = plot_width / len(bins)
    bar = max(step * 0.8, 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-timeline" width="{WIDTH}" '
        f'height="{_TIMELINE_HEIGHT}" viewBox="0 0 {WIDTH} {_TIMELINE_HEIGHT}" role="img" '
        f'aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{_PLOT_LEFT}" y1="{_PLOT_BOTTOM}" x2="{WIDTH - 8}" y2="{_PLOT_BOTTOM}" '
        'stroke="#5b5248" stroke-width="1"/>',
        f'<text x="{_PLOT_LEFT - 6}" y="{_PLOT_TOP + 4}" font-size="10" font-family="sans-serif" '
        f'fill="#5b5248" text-anchor="end">{most}</text>',
    ]
    every = max(1, math.ceil(len(bins) / 8))  # at most about eight dates under the axis
    for index, start in enumerate(bins):
        labels = counts[start]
        x = _PLOT_LEFT + index * step + (step - bar) / 2
        name = _bin_name(start, unit)
        if labels:
            height = (_PLOT_BOTTOM - _PLOT_TOP) * len(labels) / most
            listed = "; ".join(labels[:12]) + ("; …" if len(labels) > 12 else "")
            parts.append(
                f'<rect class="timeline-bar" data-period="{name}" data-events="{len(labels)}" '
                f'x="{x:.1f}" y="{_PLOT_BOTTOM - height:.1f}" width="{bar:.1f}" '
                f'height="{height:.1f}" fill="#2166ac"><title>{escape(name)}: {len(labels)} '
                f"event{'s' if len(labels) != 1 else ''}: {escape(listed)}</title></rect>"
            )
        if index % every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{_PLOT_BOTTOM + 16}" font-size="10" '
                f'font-family="sans-serif" fill="#5b5248" text-anchor="middle">{name}</text>'
            )
    parts.append(
        f'<text x="{_PLOT_LEFT}" y="{_TIMELINE_HEIGHT - 6}" font-size="10" '
        f'font-family="sans-serif" fill="#5b5248">Events per {unit}</text></svg>'
    )
    return "".join(parts)


def _day(value: str) -> date | None:
    """The first day an ISO date of any precision names; None when it is no date."""
    text = value[:10]
    try:
        if len(text) == 4:
            return date(int(text), 1, 1)
        if len(text) == 7:
            return date(int(text[:4]), int(text[5:7]), 1)
        return date.fromisoformat(text)
    except ValueError:
        return None


def _bin_of(day: date, unit: str) -> date:
    if unit == "day":
        return day
    if unit == "month":
        return day.replace(day=1)
    return date(day.year, 1, 1)


def _bins(first: date, last: date, unit: str) -> list[date]:
    start, end = _bin_of(first, unit), _bin_of(last, unit)
    found = []
    while start <= end:
        found.append(start)
        if unit == "day":
            start = date.fromordinal(start.toordinal() + 1)
        elif unit == "month":
            start = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        else:
            start = date(start.year + 1, 1, 1)
    return found


def _bin_name(start: date, unit: str) -> str:
    return start.isoformat() if unit == "day" else start.isoformat()[: 7 if unit == "month" else 4]

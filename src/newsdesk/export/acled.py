"""The ACLED-style CSV: one row per merged event, in the columns of ACLED's own exports.

Only events ACLED would code are written: a PLOVER type and mode with an ACLED counterpart
(``newsdesk/data/plover_acled.tsv``), of an act that took place or is claimed or alleged to
have (not one planned, threatened, conditional or said not to have happened). The others are
counted in :class:`AcledCounts`, never written with empty types.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TextIO

from newsdesk.desk import EventRow, Toll
from newsdesk.export.cells import country, first_day, joined, safe_cell
from newsdesk.export.mappings import acled_type, inter_code

__all__ = ["ACLED_COLUMNS", "AcledCounts", "acled_row", "write_acled"]

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

# Statuses of acts that did not (or not yet) take place: ACLED codes none of them.
_NOT_EVENTS = frozenset({"planned", "threatened", "conditional", "negated"})
_PROTESTERS, _RIOTERS, _CIVILIANS = 6, 5, 7
_CIVILIAN_SECTORS = frozenset({"civilian"})


@dataclass
class AcledCounts:
    written: int = 0
    no_counterpart: int = 0
    """Events of a type ACLED does not code (see ``plover_acled.tsv``)."""
    not_events: int = 0
    """Events planned, threatened, conditional or negated."""


def _inter(row: EventRow, sectors: tuple[str | None, ...], *, acting: bool) -> int | None:
    if acting and row.type == "PROTEST":
        return _RIOTERS if row.mode == "riot" else _PROTESTERS
    return inter_code(sectors[0]) if sectors else None


def _interaction(first: int | None, second: int | None) -> int | None:
    codes = sorted(code for code in (first, second) if code is not None)
    if not codes:
        return None
    return codes[0] * 10 + (codes[1] if len(codes) > 1 else 0)


def _figure(toll: Toll) -> str:
    value = f"{toll.value:g}" if toll.high is None else f"{toll.value:g}-{toll.high:g}"
    hedge = "about " if toll.approx else ""
    return f"{hedge}{value} {toll.unit} ({toll.publisher or toll.article})"


def notes(row: EventRow, fatalities: int) -> str:
    """ACLED's notes, written from the event's fields and evidence."""
    actor = joined(row.source_names) or "Unidentified actor"
    target = joined(row.target_names)
    where = f" in {row.place}" if row.place else ""
    on = f"On {row.date}, " if row.date else ""
    said = f" (as claimed by {row.claimed_by})" if row.claimed_by else ""
    text = f"{on}{actor}: {row.type.lower()}"
    text += f" ({row.mode})" if row.mode else ""
    text += f" against {target}" if target else ""
    text += f"{where}{said}. Status: {row.status}"
    text += f", {row.verification}" if row.verification else ""
    text += f". Reported by {row.sources} independent source(s) in {row.reports} report(s)."
    dead = [_figure(toll) for toll in row.tolls if toll.unit == "dead"]
    others = [_figure(toll) for toll in row.tolls if toll.unit != "dead"]
    if dead:
        text += f" Fatalities {fatalities}, the lowest of the independent sources' figures; "
        text += "reported: " + "; ".join(dead) + "."
    if others:
        text += " Other figures: " + "; ".join(others) + "."
    text += f' Evidence: "{row.evidence}"'
    return text


def acled_row(row: EventRow) -> dict[str, object] | None:
    """The ACLED columns of one merged event row, or None when ACLED would not code it."""
    civilian = any(sector in _CIVILIAN_SECTORS for sector in row.target_sectors)
    kind = acled_type(row.type, row.mode, civilian_target=civilian)
    if kind is None or row.status in _NOT_EVENTS:
        return None
    inter1 = _inter(row, row.source_sectors, acting=True)
    inter2 = _inter(row, row.target_sectors, acting=False)
    place = country(row.country)
    fatalities = int(row.fatalities) if row.fatalities is not None else 0
    day = first_day(row.date)
    seen = first_day(row.last_seen)
    stamp = int(datetime.fromisoformat(seen).replace(tzinfo=UTC).timestamp()) if seen else None
    tags = [f"status: {row.status}"]
    if row.verification:
        tags.append(f"verification: {row.verification}")
    if row.fatalities is None:
        tags.append("no toll reported")
    return {
        "event_id_cnty": f"{place.alpha3 if place else 'XXX'}-{row.id}",
        "event_date": day,
        "year": int(day[:4]) if day else None,
        "time_precision": row.time_precision,
        "disorder_type": kind.disorder_type,
        "event_type": kind.event_type,
        "sub_event_type": kind.sub_event_type,
        "actor1": row.source_names[0] if row.source_names else None,
        "assoc_actor_1": joined(row.source_names[1:]) or None,
        "inter1": inter1,
        "actor2": row.target_names[0] if row.target_names else None,
        "assoc_actor_2": joined(row.target_names[1:]) or None,
        "inter2": inter2,
        "interaction": _interaction(inter1, inter2),
        "civilian_targeting": (
            "Civilian targeting"
            if inter2 == _CIVILIANS and "Political violence" in kind.disorder_type
            else None
        ),
        "iso": place.numeric if place else None,
        "region": place.continent if place else None,
        "country": place.name if place else None,
        "admin1": row.admin1,
        "admin2": row.admin2,
        "admin3": None,
        "location": row.place,
        "latitude": row.lat,
        "longitude": row.lon,
        "geo_precision": row.geo_precision,
        "source": joined(row.outlets) or None,
        "source_scale": None,
        "notes": notes(row, fatalities),
        "fatalities": fatalities,
        "tags": joined(tags),
        "timestamp": stamp,
    }


def write_acled(rows: Iterable[EventRow], out: TextIO) -> AcledCounts:
    """Write the ACLED CSV of ``rows`` (merged event rows) to ``out``, a row at a time."""
    counts = AcledCounts()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ACLED_COLUMNS)
    for row in rows:
        found = acled_row(row)
        if found is None:
            if row.status in _NOT_EVENTS:
                counts.not_events += 1
            else:
                counts.no_counterpart += 1
            continue
        writer.writerow(_cell(found[column]) for column in ACLED_COLUMNS)
        counts.written += 1
    return counts


def _cell(value: object) -> object:
    if value is None:
        return ""
    return safe_cell(value) if isinstance(value, str) else value

"""An event row built by hand, for the export tests."""

from __future__ import annotations

from newsdesk.desk import EventRow, Toll


def toll(value: float, publisher: str | None, unit: str = "dead") -> Toll:
    return Toll(unit, value, None, False, publisher, f"a-{publisher}", "killed")


def event_row(**changes: object) -> EventRow:
    base: dict[str, object] = {
        "id": "event-0123456789abcdef",
        "date": "2024-07-18",
        "type": "ASSAULT",
        "status": "occurred",
        "source": ("GRP.X",),
        "target": ("villagers",),
        "place": "Segou",
        "country": "ML",
        "fatalities": 12.0,
        "confidence": 0.8,
        "evidence": "Gunmen killed 12 villagers.",
        "reports": 2,
        "sources": 2,
        "mode": "firearms",
        "source_names": ("=cmd|' /C calc'!A0",),
        "target_names": ("villagers",),
        "source_sectors": ("armed",),
        "target_sectors": ("civilian",),
        "tolls": (toll(12, "A"), toll(15, "B")),
    }
    base.update(changes)
    return EventRow(**base)  # type: ignore[arg-type]

"""Exports in the community's formats, streamed from the store in constant memory.

    >>> from newsdesk import desk
    >>> from newsdesk.export import export, read_export
    >>> with desk.open_store("newsdesk.sqlite") as store:
    ...     export(store, "acled", "events.csv", country="AF")
    >>> frame = read_export("events.csv", "acled")  # a pandas DataFrame, typed

Formats (:data:`FORMATS`): ``acled`` (ACLED-style CSV, one row per merged event), ``gdelt``
(GDELT 2.0 event table, or with ``mentions`` its mentions table), ``geojson`` (RFC 7946
FeatureCollection of merged events), ``parquet``, ``jsonl`` and ``csv`` (the event rows, or with
``records`` any record type of :data:`newsdesk.desk.RECORD_KINDS`). Every export reads the store
a page at a time (:func:`newsdesk.desk.event_rows`) and writes as it reads; a file is written
beside its path and renamed when whole, so a failed export leaves no half file.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from newsdesk import desk
from newsdesk.errors import Errors, ExportError

if TYPE_CHECKING:
    from newsdesk.corpus.store import Store

__all__ = ["FORMATS", "RECORDS", "ExportCounts", "export", "read_export"]

FORMATS = ("acled", "gdelt", "geojson", "parquet", "jsonl", "csv")
RECORDS = ("rows", *desk.RECORD_KINDS)
"""What a table export holds: ``rows``, the event rows ``newsdesk events`` shows (merged, or
one per report), or one record type whole."""
_TABLES = frozenset({"parquet", "jsonl", "csv"})
_BINARY = frozenset({"parquet"})


@dataclass(frozen=True, slots=True)
class ExportCounts:
    written: int
    """Rows (or features, or lines) written."""
    left_out: int = 0
    """Events the format cannot hold: of no ACLED counterpart or not an act that took place
    (acled), or with no coordinates (geojson)."""
    why: str = ""


def _check(format: str, records: str, mentions: bool, filtered: bool) -> None:
    if format not in FORMATS:
        raise ExportError(Errors.E500.format(format=format, formats=", ".join(FORMATS)))
    if records not in RECORDS or (records != "rows" and format not in _TABLES):
        raise ExportError(
            Errors.E503.format(records=records, format=format, kinds=", ".join(RECORDS))
        )
    if mentions and format == "acled":
        raise ExportError(Errors.E507.format(format=format))
    if filtered and records != "rows":
        raise ExportError(Errors.E508.format(records=records))


@contextlib.contextmanager
def _target(out: Path | TextIO | None, *, binary: bool, format: str) -> Iterator[Any]:
    """Where to write: a text stream as given (stdout when None), or a temporary file beside
    ``out`` renamed onto it when the export is whole."""
    if out is None or isinstance(out, io.TextIOBase) or not isinstance(out, (str, Path)):
        if binary:
            raise ExportError(Errors.E501.format(format=format))
        yield sys.stdout if out is None else out
        return
    path = Path(out)
    partial = path.with_name(f".{path.name}.partial")
    try:
        if binary:
            yield partial
        else:
            with partial.open("w", encoding="utf-8", newline="") as stream:
                yield stream
        partial.replace(path)
    except OSError as exc:
        raise ExportError(Errors.E502.format(path=path, detail=exc.strerror or exc)) from exc
    finally:
        partial.unlink(missing_ok=True)


def export(
    store: Store,
    format: str,
    out: Path | str | TextIO | None = None,
    *,
    records: str = "rows",
    mentions: bool = False,
    since: str | None = None,
    until: str | None = None,
    country: str | None = None,
    type: str | None = None,  # shadows the builtin: the option and the field are "type"
    actor: str | None = None,
    page: int = 500,
) -> ExportCounts:
    """Write the store's events (or records) in ``format`` to ``out`` (a path, a text stream,
    or None for stdout; Parquet needs a path, E501).

    ``mentions``: for ``gdelt`` the mentions table, for the event rows one row per report
    rather than per merged event (not for ``acled``, E507). The filters are those of
    ``newsdesk events`` (E422, E423, E406) and apply to the event rows only (E508).
    """
    filters = {"since": since, "until": until, "country": country, "type": type, "actor": actor}
    _check(format, records, mentions, any(value is not None for value in filters.values()))
    # Checked before anything is written: a bad filter leaves no file behind.
    desk.check_country(country)
    desk.check_event_type(type)
    target = Path(out) if isinstance(out, str) else out
    with _target(target, binary=format in _BINARY, format=format) as sink:
        return _write(store, format, sink, records, mentions, filters, page)


def _write(
    store: Store,
    format: str,
    sink: Any,
    records: str,
    mentions: bool,
    filters: dict[str, Any],
    page: int,
) -> ExportCounts:
    from newsdesk.export import acled, gdelt, geojson, tables

    if format == "gdelt" and mentions:
        return ExportCounts(
            gdelt.write_gdelt_mentions(desk.mention_rows(store, page=page, **filters), sink)
        )
    if records == "rows":
        items: Any = desk.event_rows(store, merged=not mentions, page=page, **filters)
    else:
        items = desk.records(store, records, page=page)
    if format == "acled":
        counts = acled.write_acled(items, sink)
        return ExportCounts(
            counts.written,
            counts.no_counterpart + counts.not_events,
            f"{counts.no_counterpart} of a type ACLED does not code, {counts.not_events} "
            "planned, threatened, conditional or negated",
        )
    if format == "gdelt":
        return ExportCounts(gdelt.write_gdelt_events(items, sink))
    if format == "geojson":
        placed = geojson.write_geojson(items, sink)
        return ExportCounts(placed.written, placed.unplaced, f"{placed.unplaced} with no place")
    columns = tables.columns_of(records)
    if format == "jsonl":
        return ExportCounts(tables.write_jsonl(items, sink))
    if format == "csv":
        return ExportCounts(tables.write_csv(items, sink, columns))
    return ExportCounts(tables.write_parquet(items, sink, columns))


def read_export(
    path: Path | str,
    format: str,
    *,
    records: str = "rows",
    mentions: bool = False,
    library: str = "pandas",
) -> Any:
    """An export read back as a pandas (or ``library="polars"``) DataFrame with its dtypes:
    numbers as numbers (nullable), dates as text (ISO, as written), lists as lists where the
    format keeps them (JSON Lines, Parquet, GeoJSON), "; "-joined text in CSV. GDELT tables get
    their column names. Typed ``Any``: pandas and polars ship no stubs the project installs."""
    from newsdesk.export import readers

    if library not in ("pandas", "polars"):
        raise ExportError(Errors.E506.format(library=library))
    if format not in FORMATS:
        raise ExportError(Errors.E500.format(format=format, formats=", ".join(FORMATS)))
    try:
        return readers.read(Path(path), format, records=records, mentions=mentions, library=library)
    except (ValueError, OSError, json.JSONDecodeError, KeyError) as exc:
        raise ExportError(Errors.E505.format(path=path, detail=exc)) from exc

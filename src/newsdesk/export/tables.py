"""Plain tables of the event rows and of every record type: CSV, JSON Lines and Parquet.

The columns come from the types, once: an event row's fields (:class:`newsdesk.desk.EventRow`)
or a record's (:mod:`newsdesk.records`). Scalars stay scalars; lists of names stay lists in
JSON Lines and Parquet and become one cell joined with "; " in CSV; anything nested (evidence,
a record's entities) is a JSON text in CSV and Parquet and stays nested in JSON Lines. Parquet
is written in row groups of :data:`ROW_GROUP` rows with pyarrow's ParquetWriter, so memory
stays flat however many rows.
"""

from __future__ import annotations

import csv
import json
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any, Literal, TextIO, get_args, get_origin

from pydantic import BaseModel

from newsdesk.desk import EventRow, Toll
from newsdesk.export.cells import LIST_SEPARATOR, safe_cell
from newsdesk.records import Article, Claim, Event, MergedEvent, Quote, Story

__all__ = [
    "ROW_GROUP",
    "Column",
    "columns_of",
    "record_columns",
    "row_columns",
    "write_csv",
    "write_jsonl",
    "write_parquet",
]

ROW_GROUP = 5_000
"""Rows per Parquet row group. A group is held whole while it is written: 5,000 rows kept the
peak flat from 10,000 to 100,000 rows (about 225 MiB; 10,000-row groups grew from 247 to 282
MiB, ``benchmarks/export_scale.py``)."""

RECORD_TYPES: dict[str, type[BaseModel]] = {
    "articles": Article,
    "events": Event,
    "merged": MergedEvent,
    "claims": Claim,
    "quotes": Quote,
    "stories": Story,
}
# Records of an article's lists carry the keys that place them.
_KEYED = frozenset({"events", "claims", "quotes"})

Kind = Literal["string", "int", "float", "bool", "strings", "tolls", "json"]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: Kind
    """string, int, float, bool, strings (a list of strings), tolls (a list of Toll), or json
    (anything nested, as JSON text in flat formats)."""


def _kind(hint: Any) -> Kind:
    args = [arg for arg in get_args(hint) if arg is not type(None)]
    origin = get_origin(hint)
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return _kind(args[0])
    if origin is typing.Annotated:
        return _kind(args[0])
    if origin is Literal or hint is str:
        return "string"
    if hint is bool:
        return "bool"
    if hint is int:
        return "int"
    if hint is float:
        return "float"
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = args[0]
        if item is Toll:
            return "tolls"
        if _kind(item) == "string":
            return "strings"
    return "json"


def row_columns() -> tuple[Column, ...]:
    """The columns of an event row, in field order."""
    hints = typing.get_type_hints(EventRow)
    return tuple(Column(field.name, _kind(hints[field.name])) for field in fields(EventRow))


def record_columns(kind: str) -> tuple[Column, ...]:
    """The columns of one record type (``newsdesk.desk.RECORD_KINDS``)."""
    model = RECORD_TYPES[kind]
    keys = (Column("article", "string"), Column("index", "int")) if kind in _KEYED else ()
    return keys + tuple(
        Column(name, _kind(info.annotation)) for name, info in model.model_fields.items()
    )


def columns_of(records: str) -> tuple[Column, ...]:
    return row_columns() if records == "rows" else record_columns(records)


def _plain(item: Any) -> dict[str, Any]:
    """A row (event row, or keys and record) as JSON-ready values."""
    if isinstance(item, tuple):
        keys, record = item
        found: dict[str, Any] = {}
        if keys:
            found.update(article=keys["article"], index=keys["index"])
        found.update(record.model_dump(mode="json"))
        return found
    if is_dataclass(item) and not isinstance(item, type):
        return asdict(item)
    raise TypeError(f"not a row: {item!r}")


def _flat(value: Any, kind: Kind) -> Any:
    """A value as one CSV or Parquet cell."""
    if value is None:
        return None
    if kind == "json":
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    if kind == "tolls":
        return [dict(toll) for toll in value]
    if kind == "strings":
        return [item if item is None else str(item) for item in value]
    return value


def write_jsonl(items: Iterable[Any], out: TextIO) -> int:
    """One JSON object per line: an event row, or a record with its keys."""
    count = 0
    for item in items:
        out.write(json.dumps(_plain(item), ensure_ascii=False, allow_nan=False) + "\n")
        count += 1
    return count


def _csv_cell(value: Any, kind: Kind) -> Any:
    if value is None:
        return ""
    if kind == "strings":
        return safe_cell(LIST_SEPARATOR.join(item or "" for item in value))
    if kind in ("json", "tolls"):
        return safe_cell(json.dumps(value, ensure_ascii=False, allow_nan=False))
    if isinstance(value, str):
        return safe_cell(value)
    return value


def write_csv(items: Iterable[Any], out: TextIO, columns: Sequence[Column]) -> int:
    """A header, then one line per row: lists joined with "; ", nested values as JSON text,
    text that a spreadsheet would run as a formula neutralised (a leading apostrophe)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(column.name for column in columns)
    count = 0
    for item in items:
        plain = _plain(item)
        writer.writerow(_csv_cell(plain.get(column.name), column.kind) for column in columns)
        count += 1
    return count


def _arrow_type(kind: Kind) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

    if kind == "tolls":
        hints = typing.get_type_hints(Toll)
        return pa.list_(
            pa.struct(
                [(field.name, _arrow_type(_kind(hints[field.name]))) for field in fields(Toll)]
            )
        )
    return {
        "string": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "strings": pa.list_(pa.string()),
        "json": pa.string(),
    }[kind]


def arrow_schema(columns: Sequence[Column]) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]

    return pa.schema([(column.name, _arrow_type(column.kind)) for column in columns])


def _groups(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    group: list[Any] = []
    for item in items:
        group.append(item)
        if len(group) == size:
            yield group
            group = []
    if group:
        yield group


def write_parquet(
    items: Iterable[Any], path: Path, columns: Sequence[Column], *, row_group: int = ROW_GROUP
) -> int:
    """Write the rows to a Parquet file at ``path``, a row group at a time."""
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
    import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]

    schema = arrow_schema(columns)
    count = 0
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for group in _groups(items, row_group):
            plain = [_plain(item) for item in group]
            data = {
                column.name: [_flat(row.get(column.name), column.kind) for row in plain]
                for column in columns
            }
            writer.write_table(pa.Table.from_pydict(data, schema=schema))
            count += len(group)
        if count == 0:
            writer.write_table(schema.empty_table())
    return count

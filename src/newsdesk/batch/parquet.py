"""The Parquet file of one shard: its schema, written atomically, and read back.

One row per input the shard read, in input order: ``kind`` says whether it became an article
(its fields, its facts as nested lists, the whole record as JSON) or was rejected (``code``,
``reason``). One row per article with nested lists reads naturally in pandas (lists of dicts),
polars (list of struct columns, ``explode`` + ``unnest``) and DuckDB (``unnest``); the
``record`` column holds the :class:`~newsdesk.records.Article` whole, so ``newsdesk load``
loses nothing. The README's "Big batches" section lists the columns.

A file is written to a temporary name beside its target and renamed over it when complete
(a rename is atomic on one file system): a file with the shard's name is always whole,
so its presence alone says the shard is done.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from newsdesk.records import Article, Evidence, Quantity, Rejected

__all__ = [
    "FORMAT",
    "SCHEMA",
    "ShardWriter",
    "article_row",
    "read_meta",
    "read_records",
    "rejected_row",
]

FORMAT = "newsdesk-shard/1"
"""The layout's name and version, in each file's metadata (key ``newsdesk``): a change to the
columns that a reader would notice gets a new version."""

TEMPORARY = ".tmp"
"""What a file being written ends with; ``newsdesk run`` removes those a crash left."""

_EVIDENCE = pa.struct(
    [
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("text", pa.string()),
        ("sentence", pa.int32()),
        ("role", pa.string()),
    ]
)
_QUANTITY = pa.struct(
    [
        ("value", pa.float64()),
        ("value_high", pa.float64()),
        ("approx", pa.bool_()),
        ("unit", pa.string()),
        ("evidence", _EVIDENCE),
    ]
)
_STRINGS = pa.list_(pa.string())

SCHEMA = pa.schema(
    [
        ("kind", pa.string()),
        ("shard", pa.string()),
        ("source", pa.string()),
        ("id", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("publisher", pa.string()),
        ("authors", _STRINGS),
        ("published", pa.string()),
        ("language", pa.string()),
        ("dateline", pa.string()),
        ("extractor", pa.string()),
        ("text", pa.string()),
        (
            "entities",
            pa.list_(
                pa.struct(
                    [
                        ("id", pa.string()),
                        ("name", pa.string()),
                        ("type", pa.string()),
                        ("actor", pa.string()),
                        ("sector", pa.string()),
                        ("country", pa.string()),
                        ("mentions", pa.list_(_EVIDENCE)),
                    ]
                )
            ),
        ),
        (
            "places",
            pa.list_(
                pa.struct(
                    [
                        ("name", pa.string()),
                        ("lat", pa.float64()),
                        ("lon", pa.float64()),
                        ("country", pa.string()),
                        ("feature", pa.string()),
                        ("gazetteer_id", pa.string()),
                        ("confidence", pa.float64()),
                        ("mentions", pa.list_(_EVIDENCE)),
                    ]
                )
            ),
        ),
        (
            "times",
            pa.list_(
                pa.struct(
                    [
                        ("text", pa.string()),
                        ("value", pa.string()),
                        ("precision", pa.string()),
                        ("evidence", _EVIDENCE),
                    ]
                )
            ),
        ),
        ("quantities", pa.list_(_QUANTITY)),
        (
            "quotes",
            pa.list_(
                pa.struct(
                    [
                        ("speaker", pa.string()),
                        ("speaker_text", pa.string()),
                        ("kind", pa.string()),
                        ("channel", pa.string()),
                        ("cue", _EVIDENCE),
                        ("content", _EVIDENCE),
                    ]
                )
            ),
        ),
        (
            "claims",
            pa.list_(
                pa.struct(
                    [
                        ("claimant", pa.string()),
                        ("stance", pa.string()),
                        ("hedged", pa.bool_()),
                        ("verification", pa.string()),
                        ("content", _EVIDENCE),
                    ]
                )
            ),
        ),
        (
            "events",
            pa.list_(
                pa.struct(
                    [
                        ("type", pa.string()),
                        ("mode", pa.string()),
                        ("cameo", pa.string()),
                        ("status", pa.string()),
                        ("source", _STRINGS),
                        ("target", _STRINGS),
                        ("claimed_by", pa.string()),
                        ("place", pa.int32()),
                        ("place_name", pa.string()),
                        ("country", pa.string()),
                        ("lat", pa.float64()),
                        ("lon", pa.float64()),
                        ("date", pa.string()),
                        ("date_precision", pa.string()),
                        ("verification", pa.string()),
                        ("confidence", pa.float64()),
                        ("headline", pa.bool_()),
                        ("same_as", pa.int32()),
                        ("quantities", pa.list_(_QUANTITY)),
                        ("trigger", _EVIDENCE),
                        ("evidence", _EVIDENCE),
                    ]
                )
            ),
        ),
        ("code", pa.string()),
        ("reason", pa.string()),
        ("record", pa.string()),
    ]
)
"""The columns of a shard's file, in order (the README lists them with their meaning)."""

_NO_ARTICLE: dict[str, Any] = {
    name: [] if isinstance(SCHEMA.field(name).type, pa.ListType) else None for name in SCHEMA.names
}


def _evidence(evidence: Evidence | None) -> dict[str, Any] | None:
    if evidence is None:
        return None
    return {
        "start": evidence.start,
        "end": evidence.end,
        "text": evidence.text,
        "sentence": evidence.sentence,
        "role": evidence.role,
    }


def _quantity(quantity: Quantity) -> dict[str, Any]:
    low, high = quantity.value if isinstance(quantity.value, tuple) else (quantity.value, None)
    return {
        "value": low,
        "value_high": high,
        "approx": quantity.approx,
        "unit": quantity.unit,
        "evidence": _evidence(quantity.evidence),
    }


def article_row(article: Article, *, source: str | None, shard: str) -> dict[str, Any]:
    """The row of an article: its fields, its facts with their evidence, and its record."""
    places = article.places
    return {
        **_NO_ARTICLE,
        "kind": "article",
        "shard": shard,
        "source": source,
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "publisher": article.publisher,
        "authors": list(article.authors),
        "published": article.published,
        "language": article.language,
        "dateline": article.dateline,
        "extractor": article.extractor,
        "text": article.text,
        "entities": [
            {
                "id": entity.id,
                "name": entity.name,
                "type": entity.type,
                "actor": entity.actor,
                "sector": entity.sector,
                "country": entity.country,
                "mentions": [_evidence(mention) for mention in entity.mentions],
            }
            for entity in article.entities
        ],
        "places": [
            {
                "name": place.name,
                "lat": place.lat,
                "lon": place.lon,
                "country": place.country,
                "feature": place.feature,
                "gazetteer_id": place.gazetteer_id,
                "confidence": place.confidence,
                "mentions": [_evidence(mention) for mention in place.mentions],
            }
            for place in places
        ],
        "times": [
            {
                "text": time.text,
                "value": time.value,
                "precision": time.precision,
                "evidence": _evidence(time.evidence),
            }
            for time in article.times
        ],
        "quantities": [_quantity(quantity) for quantity in article.quantities],
        "quotes": [
            {
                "speaker": quote.speaker,
                "speaker_text": quote.speaker_text,
                "kind": quote.kind,
                "channel": quote.channel,
                "cue": _evidence(quote.cue),
                "content": _evidence(quote.content),
            }
            for quote in article.quotes
        ],
        "claims": [
            {
                "claimant": claim.claimant,
                "stance": claim.stance,
                "hedged": claim.hedged,
                "verification": claim.verification,
                "content": _evidence(claim.content),
            }
            for claim in article.claims
        ],
        "events": [_event(article, index) for index in range(len(article.events))],
        "record": article.model_dump_json(),
    }


def _event(article: Article, index: int) -> dict[str, Any]:
    event = article.events[index]
    place = (
        article.places[event.place]
        if event.place is not None and 0 <= event.place < len(article.places)
        else None
    )
    return {
        "type": event.type,
        "mode": event.mode,
        "cameo": event.cameo,
        "status": event.status,
        "source": list(event.source),
        "target": list(event.target),
        "claimed_by": event.claimed_by,
        "place": event.place,
        "place_name": place.name if place else None,
        "country": place.country if place else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "date": event.date,
        "date_precision": event.date_precision,
        "verification": event.verification,
        "confidence": event.confidence,
        "headline": event.headline,
        "same_as": event.same_as,
        "quantities": [_quantity(quantity) for quantity in event.quantities],
        "trigger": _evidence(event.trigger),
        "evidence": _evidence(event.evidence),
    }


def rejected_row(rejected: Rejected, *, shard: str) -> dict[str, Any]:
    """The row of a rejected input: its source, reason code and reason."""
    return {
        **_NO_ARTICLE,
        "kind": "rejected",
        "shard": shard,
        "source": rejected.source,
        "code": rejected.code,
        "reason": rejected.reason,
    }


class ShardWriter:
    """Writes a shard's rows to ``target`` a batch at a time (a row group each, so memory holds
    one batch), under a temporary name that is renamed to ``target`` only when :meth:`commit`
    is called inside the ``with`` block; an error or a crash leaves no file at ``target``."""

    def __init__(self, target: Path, *, meta: Mapping[str, object]) -> None:
        self.target = target
        # A hidden name: readers of the folder (pyarrow datasets, ``*.parquet`` globs) skip it.
        self._temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}{TEMPORARY}")
        self._meta = {"format": FORMAT, **meta}
        self._writer = pq.ParquetWriter(self._temporary, SCHEMA, compression="zstd")
        self._committed = False

    def __enter__(self) -> Self:
        return self

    def write(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            self._writer.write_table(pa.Table.from_pylist(rows, schema=self._writer.schema))

    def commit(self, **meta: object) -> None:
        """Finish the file, with ``meta`` (counts known at the end) added to what the file
        says of itself, and move it to its name; until then no reader sees it."""
        self._writer.add_key_value_metadata({"newsdesk": json.dumps({**self._meta, **meta})})
        self._writer.close()
        with self._temporary.open("rb") as written:
            os.fsync(written.fileno())  # the bytes are on disk before the name says done
        self._temporary.replace(self.target)
        self._committed = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._committed:
            self._writer.close()
            self._temporary.unlink(missing_ok=True)


def read_meta(path: Path) -> dict[str, Any]:
    """What a shard's file says of itself (format, shard id, counts), from its footer only."""
    raw = pq.read_metadata(path).metadata or {}
    value = raw.get(b"newsdesk")
    return dict(json.loads(value)) if value else {}


def read_records(path: Path) -> Iterator[tuple[Article, str | None] | Rejected]:
    """The shard's records in input order: each article with its source, or a rejection. Reads
    a row group at a time."""
    columns = ["kind", "source", "code", "reason", "record"]
    parquet = pq.ParquetFile(path)
    for group in range(parquet.num_row_groups):
        for row in parquet.read_row_group(group, columns=columns).to_pylist():
            if row["kind"] == "article":
                yield Article.model_validate_json(row["record"]), row["source"]
            else:
                yield Rejected(code=row["code"], reason=row["reason"], source=row["source"])

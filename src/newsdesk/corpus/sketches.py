"""MinHash sketches and LSH bands, in memory or in the store: the state syndication keeps.

``SyndicationIndex`` (``syndication.py``) holds the algorithm; it keeps what it has seen in a
*state* object that implements :class:`SketchState`. :class:`MemorySketches` keeps it in dicts
(tests, ``analyse_corpus``); :class:`StoredSketches` keeps it in the store's tables, queried per
article on a connection the caller holds, so a refresh adds articles to a store of any size in
memory bounded by one article's candidates.

LSH is done here rather than by datasketch, so that both states band alike: a sketch's
``num_perm`` hash values are cut into ``b`` bands of ``r`` values (the ``b`` and ``r`` datasketch
picks for the threshold), and each band is hashed with BLAKE2b to a signed 64-bit key that
also encodes whether it is a block's or a whole article's band and which band it is. Two
sketches are candidates when they share a key. The keys are stable across processes and
machines (never Python's ``hash()``), so stored keys stay valid.

What is kept, per article: its arrival (``(published or undated, arrival index)``; the store's
arrival index is ``articles.seq``), one sketch per matchable body block and one for the whole
article (block ``WHOLE``), each with its band keys; the agency the text credits for a block, or
the publisher's agency for the whole article; the copy each block was found to be of (the
source block and similarity), or for the whole article the earlier article it duplicates; and
the syndication records the copies and credits make.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol, TypeVar

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa
from datasketch import MinHashLSH  # type: ignore[import-untyped]

from newsdesk.corpus import schema
from newsdesk.corpus.dates import UNDATED
from newsdesk.corpus.store import syndication_row
from newsdesk.errors import Errors, StoreError
from newsdesk.records import Syndication

__all__ = [
    "UNDATED",
    "WHOLE",
    "Candidate",
    "Copy",
    "Key",
    "MemorySketches",
    "NewSketch",
    "Order",
    "Sketch",
    "SketchState",
    "Stored",
    "StoredSketches",
    "band_keys",
    "lsh_bands",
]

WHOLE = -1
"""The block number of an article's whole sketch."""

Order = tuple[str, int]
"""An article's arrival: (published or ``UNDATED``, arrival index). Earlier sorts first."""

Key = tuple[str, int]
"""(article id, block index or ``WHOLE``)."""

Sketch = npt.NDArray[np.uint32]
"""A MinHash sketch's hash values (datasketch's ``affine32`` scheme: 32-bit values)."""

_T = TypeVar("_T")
_SKETCH_DTYPE = np.dtype("<u4")
# Keys are sent to the database in chunks: SQLite allows 32,766 bound parameters a statement.
_CHUNK = 2000


@lru_cache(maxsize=16)
def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(b, r): the bands and rows per band datasketch picks for ``threshold``, minimising the
    false positive and false negative probabilities equally weighted."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return int(lsh.b), int(lsh.r)


def band_keys(sketch: Sketch, bands: tuple[int, int], *, whole: bool) -> tuple[int, ...]:
    """The sketch's LSH band keys: each band's hash values hashed to a signed 64-bit integer,
    with the band's number and kind (block or whole article) mixed in."""
    b, r = bands
    data = np.ascontiguousarray(sketch, dtype=_SKETCH_DTYPE).tobytes()
    width = r * _SKETCH_DTYPE.itemsize
    kind = b"W" if whole else b"B"
    keys = []
    for band in range(b):
        digest = hashlib.blake2b(
            kind + band.to_bytes(2, "little") + data[band * width : (band + 1) * width],
            digest_size=8,
        ).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return tuple(keys)


def similarity(a: Sketch, b: Sketch) -> float:
    """Estimated Jaccard similarity: the share of equal hash values (as datasketch's)."""
    return float(np.count_nonzero(a == b)) / float(len(a))


@dataclass(frozen=True)
class Copy:
    """What a block copies (or, for ``WHOLE``, the article an article duplicates)."""

    source_article: str
    source_block: int
    similarity: float


@dataclass(frozen=True)
class Candidate:
    """A stored sketch sharing a band with a query sketch."""

    order: Order
    article: str
    block: int


@dataclass(frozen=True)
class Stored:
    """A stored sketch with what the algorithm needs to know of it."""

    article: str
    block: int
    sketch: Sketch
    agency: str | None
    """For a block, the agency its text credits; for ``WHOLE``, the publisher's agency."""
    publisher_agency: str | None
    copy: Copy | None
    copy_order: Order | None
    """The arrival of ``copy.source_article``."""


@dataclass(frozen=True)
class NewSketch:
    """A sketch of the article being added, with its band keys, credit and copy."""

    block: int
    sketch: Sketch
    keys: tuple[int, ...]
    agency: str | None
    copy: Copy | None


class SketchState(Protocol):
    """Where a ``SyndicationIndex`` keeps what it has seen."""

    def __len__(self) -> int:
        """Articles indexed."""
        ...

    def __contains__(self, article_id: object) -> bool: ...

    def arrival(self, article_id: str) -> int:
        """The arrival index of an article about to be indexed: later arrivals are larger."""
        ...

    def candidates(self, keys: Mapping[int, Sequence[int]]) -> dict[int, list[Candidate]]:
        """For each query block's band keys, the stored sketches sharing one, in no order."""
        ...

    def sketches(self, keys: Iterable[Key]) -> dict[Key, Stored]:
        """The stored sketches with these keys."""
        ...

    def insert(self, article_id: str, order: Order, sketches: Sequence[NewSketch]) -> None:
        """Index an article's sketches (its ``WHOLE`` one always among them)."""
        ...

    def set_copies(self, copies: Mapping[Key, Copy]) -> None:
        """Replace the copies of stored sketches."""
        ...

    def duplicate_of(self, article_id: str) -> str | None: ...

    def duplicates(self) -> dict[str, str]:
        """Every duplicate article's id with its original's."""
        ...

    def records(self, keys: Iterable[Key]) -> dict[Key, Syndication]:
        """The syndication records held for these blocks."""
        ...

    def put_records(self, records: Mapping[Key, Syndication | None]) -> None:
        """Replace (or, for None, remove) the records of these blocks."""
        ...

    def all_records(self) -> Iterator[tuple[Order, Syndication]]:
        """Every record, with its article's arrival, in no order."""
        ...


class MemorySketches:
    """The state in dicts: memory grows with every article indexed."""

    def __init__(self) -> None:
        self._order: dict[str, Order] = {}
        self._buckets: dict[int, list[Key]] = defaultdict(list)
        self._sketch: dict[Key, Sketch] = {}
        self._agency: dict[Key, str | None] = {}
        self._copies: dict[Key, Copy] = {}
        self._records: dict[Key, Syndication] = {}

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._order

    def arrival(self, article_id: str) -> int:
        return len(self._order)

    def candidates(self, keys: Mapping[int, Sequence[int]]) -> dict[int, list[Candidate]]:
        found: dict[int, list[Candidate]] = {}
        for block, query in keys.items():
            hits = {key for band in query for key in self._buckets.get(band, ())}
            found[block] = [Candidate(self._order[a], a, b) for a, b in hits]
        return found

    def sketches(self, keys: Iterable[Key]) -> dict[Key, Stored]:
        found = {}
        for key in keys:
            sketch = self._sketch.get(key)
            if sketch is None:
                continue
            copy = self._copies.get(key)
            found[key] = Stored(
                article=key[0],
                block=key[1],
                sketch=sketch,
                agency=self._agency[key],
                publisher_agency=self._agency[(key[0], WHOLE)],
                copy=copy,
                copy_order=None if copy is None else self._order[copy.source_article],
            )
        return found

    def insert(self, article_id: str, order: Order, sketches: Sequence[NewSketch]) -> None:
        self._order[article_id] = order
        for new in sketches:
            key = (article_id, new.block)
            self._sketch[key] = new.sketch
            self._agency[key] = new.agency
            if new.copy is not None:
                self._copies[key] = new.copy
            for band in new.keys:
                self._buckets[band].append(key)

    def set_copies(self, copies: Mapping[Key, Copy]) -> None:
        self._copies.update(copies)

    def duplicate_of(self, article_id: str) -> str | None:
        copy = self._copies.get((article_id, WHOLE))
        return None if copy is None else copy.source_article

    def duplicates(self) -> dict[str, str]:
        return {
            key[0]: copy.source_article
            for key, copy in self._copies.items()
            if key[1] == WHOLE and key[0] in self._order
        }

    def records(self, keys: Iterable[Key]) -> dict[Key, Syndication]:
        return {key: self._records[key] for key in keys if key in self._records}

    def put_records(self, records: Mapping[Key, Syndication | None]) -> None:
        for key, record in records.items():
            if record is None:
                self._records.pop(key, None)
            else:
                self._records[key] = record

    def all_records(self) -> Iterator[tuple[Order, Syndication]]:
        for key, record in self._records.items():
            yield self._order[key[0]], record


def _statements() -> dict[str, Any]:
    """The store state's statements, built once: building a statement costs more than running
    it on a small indexed lookup, and these run a few times per article."""
    sketches, bands, articles, records = (
        schema.corpus_sketches,
        schema.corpus_bands,
        schema.articles,
        schema.syndication,
    )
    whole = sketches.alias("whole")
    source = articles.alias("source")
    key = (
        sketches.c.article_id == sa.bindparam("key_article"),
        sketches.c.block == sa.bindparam("key_block"),
    )
    return {
        "count": sa.select(sa.func.count()).select_from(sketches).where(sketches.c.block == WHOLE),
        "contains": sa.select(sketches.c.block).where(
            sketches.c.article_id == sa.bindparam("article"), sketches.c.block == WHOLE
        ),
        "arrival": sa.select(articles.c.seq).where(articles.c.id == sa.bindparam("article")),
        "orders": sa.select(articles.c.id, articles.c.published, articles.c.seq).where(
            articles.c.id.in_(sa.bindparam("articles", expanding=True))
        ),
        "candidates": sa.select(
            bands.c.hash, bands.c.block, articles.c.id, articles.c.published, articles.c.seq
        )
        .join(articles, articles.c.seq == bands.c.article_seq)
        .where(bands.c.hash.in_(sa.bindparam("hashes", expanding=True))),
        # By article, then blocks: indexed on both back ends (SQLite scans a whole table for a
        # row-value IN list); a few blocks too many at most, dropped by the caller.
        "sketches": sa.select(
            sketches.c.article_id,
            sketches.c.block,
            sketches.c.hashvalues,
            sketches.c.agency,
            sketches.c.source_article,
            sketches.c.source_block,
            sketches.c.similarity,
            whole.c.agency.label("publisher_agency"),
            source.c.published.label("source_published"),
            source.c.seq.label("source_seq"),
        )
        .join(whole, sa.and_(whole.c.article_id == sketches.c.article_id, whole.c.block == WHOLE))
        .outerjoin(source, source.c.id == sketches.c.source_article)
        .where(
            sketches.c.article_id.in_(sa.bindparam("articles", expanding=True)),
            sketches.c.block.in_(sa.bindparam("blocks", expanding=True)),
        ),
        "insert_sketches": sketches.insert(),
        "insert_bands": bands.insert(),
        "set_copy": sketches.update()
        .where(*key)
        .values(
            source_article=sa.bindparam("source_article"),
            source_block=sa.bindparam("source_block"),
            similarity=sa.bindparam("similarity"),
        ),
        "duplicate_of": sa.select(sketches.c.source_article).where(
            sketches.c.article_id == sa.bindparam("article"), sketches.c.block == WHOLE
        ),
        "duplicates": sa.select(sketches.c.article_id, sketches.c.source_article).where(
            sketches.c.block == WHOLE, sketches.c.source_article.is_not(None)
        ),
        "records": sa.select(records.c.article_id, records.c.block, records.c.record).where(
            records.c.article_id.in_(sa.bindparam("articles", expanding=True))
        ),
        "delete_record": records.delete().where(
            records.c.article_id == sa.bindparam("key_article"),
            records.c.block == sa.bindparam("key_block"),
        ),
        "insert_records": records.insert(),
        "all_records": sa.select(articles.c.published, articles.c.seq, records.c.record).join(
            articles, articles.c.id == records.c.article_id
        ),
    }


_SQL = _statements()


class StoredSketches:
    """The state in the store's tables, on a connection (and transaction) the caller holds.

    Nothing is cached between calls: each article costs a few indexed queries, and memory is
    bounded by one article's candidates whatever the store holds. An article must be stored
    (``articles``) before it is indexed: its ``seq`` is its arrival index.
    """

    def __init__(self, conn: sa.Connection) -> None:
        self._conn = conn

    @staticmethod
    def clear(conn: sa.Connection) -> None:
        """Forget every sketch, band and syndication record (before a full refresh)."""
        for table in (schema.corpus_bands, schema.corpus_sketches, schema.syndication):
            conn.execute(table.delete())

    def __len__(self) -> int:
        return int(self._conn.scalar(_SQL["count"]) or 0)

    def __contains__(self, article_id: object) -> bool:
        found = self._conn.execute(_SQL["contains"], {"article": article_id}).first()
        return found is not None

    def arrival(self, article_id: str) -> int:
        seq = self._conn.scalar(_SQL["arrival"], {"article": article_id})
        if seq is None:
            raise StoreError(Errors.E440.format(article=article_id))
        return int(seq)

    def orders(self, article_ids: Iterable[str]) -> dict[str, Order]:
        """(published or undated, seq) of stored articles, by id."""
        found: dict[str, Order] = {}
        for chunk in _chunks(sorted(set(article_ids))):
            rows = self._conn.execute(_SQL["orders"], {"articles": chunk})
            found.update({row.id: (row.published or UNDATED, row.seq) for row in rows})
        return found

    def candidates(self, keys: Mapping[int, Sequence[int]]) -> dict[int, list[Candidate]]:
        by_band: dict[int, list[int]] = defaultdict(list)
        for block, query in keys.items():
            for band in query:
                by_band[band].append(block)
        hits: dict[int, dict[Key, Order]] = {block: {} for block in keys}
        for chunk in _chunks(list(by_band)):
            for row in self._conn.execute(_SQL["candidates"], {"hashes": chunk}):
                order = (row.published or UNDATED, row.seq)
                for block in by_band[row.hash]:
                    # A block's keys and a whole article's never share a value (the kind is
                    # hashed in); a 64-bit collision across kinds is dropped here.
                    if (block == WHOLE) == (row.block == WHOLE):
                        hits[block][(row.id, row.block)] = order
        return {
            block: [Candidate(order, a, b) for (a, b), order in found.items()]
            for block, found in hits.items()
        }

    def sketches(self, keys: Iterable[Key]) -> dict[Key, Stored]:
        wanted = set(keys)
        blocks = sorted({block for _, block in wanted})
        found: dict[Key, Stored] = {}
        for chunk in _chunks(sorted({article for article, _ in wanted})):
            rows = self._conn.execute(_SQL["sketches"], {"articles": chunk, "blocks": blocks})
            for row in rows:
                if (row.article_id, row.block) not in wanted:
                    continue
                copy = (
                    None
                    if row.source_article is None
                    else Copy(row.source_article, row.source_block, row.similarity)
                )
                found[(row.article_id, row.block)] = Stored(
                    article=row.article_id,
                    block=row.block,
                    sketch=np.frombuffer(row.hashvalues, dtype=_SKETCH_DTYPE),
                    agency=row.agency,
                    publisher_agency=row.publisher_agency,
                    copy=copy,
                    copy_order=None
                    if copy is None
                    else (row.source_published or UNDATED, row.source_seq),
                )
        return found

    def insert(self, article_id: str, order: Order, sketches: Sequence[NewSketch]) -> None:
        self._conn.execute(
            _SQL["insert_sketches"],
            [
                {
                    "article_id": article_id,
                    "block": new.block,
                    "hashvalues": np.ascontiguousarray(new.sketch, _SKETCH_DTYPE).tobytes(),
                    "agency": new.agency,
                    **_copy_columns(new.copy),
                }
                for new in sketches
            ],
        )
        # One row per distinct key: the primary key (hash, article, block) is unique even if
        # two bands of one block hashed alike.
        rows = {(band, new.block) for new in sketches for band in new.keys}
        if rows:
            self._conn.execute(
                _SQL["insert_bands"],
                [
                    {"hash": band, "article_seq": order[1], "block": block}
                    for band, block in sorted(rows)
                ],
            )

    def set_copies(self, copies: Mapping[Key, Copy]) -> None:
        if copies:
            self._conn.execute(
                _SQL["set_copy"],
                [
                    {"key_article": key[0], "key_block": key[1], **_copy_columns(copy)}
                    for key, copy in copies.items()
                ],
            )

    def duplicate_of(self, article_id: str) -> str | None:
        found: str | None = self._conn.scalar(_SQL["duplicate_of"], {"article": article_id})
        return found

    def duplicates(self) -> dict[str, str]:
        rows = self._conn.execute(_SQL["duplicates"])
        return {row.article_id: row.source_article for row in rows}

    def records(self, keys: Iterable[Key]) -> dict[Key, Syndication]:
        wanted = set(keys)
        found: dict[Key, Syndication] = {}
        for chunk in _chunks(sorted({article for article, _ in wanted})):
            for row in self._conn.execute(_SQL["records"], {"articles": chunk}):
                if (row.article_id, row.block) in wanted:
                    found[(row.article_id, row.block)] = Syndication.model_validate(row.record)
        return found

    def put_records(self, records: Mapping[Key, Syndication | None]) -> None:
        if not records:
            return
        self._conn.execute(
            _SQL["delete_record"],
            [{"key_article": article, "key_block": block} for article, block in records],
        )
        rows = [syndication_row(record) for record in records.values() if record is not None]
        if rows:
            self._conn.execute(_SQL["insert_records"], rows)

    def all_records(self) -> Iterator[tuple[Order, Syndication]]:
        for row in self._conn.execute(_SQL["all_records"]):
            yield (row.published or UNDATED, row.seq), Syndication.model_validate(row.record)


def _copy_columns(copy: Copy | None) -> dict[str, Any]:
    if copy is None:
        return {"source_article": None, "source_block": None, "similarity": None}
    return {
        "source_article": copy.source_article,
        "source_block": copy.source_block,
        "similarity": copy.similarity,
    }


def _chunks(items: list[_T]) -> Iterator[list[_T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]

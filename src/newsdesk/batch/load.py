"""Load a batch job's Parquet files into the store, then run the corpus steps.

Each shard's file goes in with one transaction (:meth:`Store.add_batch`: a few bulk
statements), in the order of the inputs' paths. A shard whose every source the store already
knows (as an article's source, a duplicate's, or a rejection's: :meth:`Store.known_among`) is
loaded already and skipped unread past its ``source`` column: the store itself records what was
loaded, so no table of its own is needed, and a shard loaded by an earlier run, or whose files
an earlier ``newsdesk ingest`` read, is never counted twice. A crash rolls back the shard being
written; loading again finishes the job.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow.parquet as pq  # type: ignore[import-untyped]

from newsdesk.batch.parquet import FORMAT, read_meta, read_records
from newsdesk.corpus.store import Added, Store
from newsdesk.errors import BatchError, Errors
from newsdesk.records import Article, Rejected

if TYPE_CHECKING:
    from newsdesk.desk import CorpusCounts
    from newsdesk.settings import Settings

__all__ = ["LoadCounts", "load", "load_shards", "shard_files"]


@dataclass(frozen=True, slots=True)
class LoadCounts:
    """What a load did, by shard and by record."""

    shards: int = 0
    """Shard files loaded now."""
    already_loaded: int = 0
    """Shard files whose records the store held already: skipped."""
    articles: int = 0
    """Articles new to the store."""
    duplicate: int = 0
    """Articles whose text the store held from another source (recorded as done)."""
    rejected: int = 0
    """Rejections in the shards loaded now."""

    def rows(self) -> list[tuple[str, int]]:
        named = (
            ("shards loaded", self.shards),
            ("shards already loaded", self.already_loaded),
            ("articles added", self.articles),
            ("duplicate", self.duplicate),
            ("rejected", self.rejected),
        )
        return [(name, count) for name, count in named if count]


Progress = Callable[[int, LoadCounts], None]
"""Called after each shard file: how many it advanced by (1), and the counts so far."""


def shard_files(out_dir: Path) -> list[Path]:
    """The shard files of a job's output folder, in the order of their inputs: each shard's
    first path, compared by its parts (as a folder is walked, by name), then its byte offset.
    Paths named apart on the command line are ordered by path too, not as they were given."""
    if not out_dir.is_dir():
        raise BatchError(Errors.E456.format(path=out_dir))
    keyed = []
    for path in sorted(out_dir.glob("*.parquet")):
        meta = read_meta(path)
        if meta.get("format") != FORMAT:
            raise BatchError(Errors.E457.format(path=path, format=meta.get("format"), want=FORMAT))
        first, offset = meta.get("order", ["", 0])
        keyed.append(((Path(str(first)).parts, int(offset), path.name), path))
    return [path for _, path in sorted(keyed)]


def load(
    out_dir: Path, store: Store, *, settings: Settings, on_progress: Progress | None = None
) -> tuple[LoadCounts, CorpusCounts]:
    """Load the shard files of ``out_dir`` into ``store``, then run the corpus steps
    (:func:`newsdesk.desk.refresh`, incremental: it takes in only the articles it has not
    seen). The refresh runs even when every shard was loaded before, so a load that crashed
    between the two is finished by loading again; with nothing new it changes nothing."""
    from newsdesk import desk

    counts = load_shards(out_dir, store, on_progress=on_progress)
    return counts, desk.refresh(store, settings=settings)


def load_shards(out_dir: Path, store: Store, *, on_progress: Progress | None = None) -> LoadCounts:
    """Load every shard file of ``out_dir`` not yet in ``store``; the corpus steps are the
    caller's (:func:`newsdesk.batch.load.load` does both)."""
    counts = LoadCounts()
    for path in shard_files(out_dir):
        counts = _load_one(path, store, counts)
        if on_progress is not None:
            on_progress(1, counts)
    return counts


def _load_one(path: Path, store: Store, counts: LoadCounts) -> LoadCounts:
    sources = [
        source
        for source in pq.read_table(path, columns=["source"]).column("source").to_pylist()
        if source is not None
    ]
    if sources and store.known_among(sources) >= set(sources):
        return _add(counts, already_loaded=1)
    articles: list[tuple[Article, str | None]] = []
    rejected: list[Rejected] = []
    for record in read_records(path):
        if isinstance(record, Rejected):
            rejected.append(record)
        else:
            articles.append(record)
    outcomes: Sequence[Added] = store.add_batch(articles, rejected)
    return _add(
        counts,
        shards=1,
        articles=sum(outcome is Added.NEW for outcome in outcomes),
        duplicate=sum(outcome is Added.DUPLICATE for outcome in outcomes),
        rejected=len(rejected),
    )


def _add(counts: LoadCounts, **more: int) -> LoadCounts:
    return LoadCounts(
        shards=counts.shards + more.get("shards", 0),
        already_loaded=counts.already_loaded + more.get("already_loaded", 0),
        articles=counts.articles + more.get("articles", 0),
        duplicate=counts.duplicate + more.get("duplicate", 0),
        rejected=counts.rejected + more.get("rejected", 0),
    )

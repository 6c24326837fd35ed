"""One shard in, one Parquet file out: the task every executor runs.

:func:`process_shard` reads the shard's inputs with the readers, analyses them, and writes
every result (article or rejection) to ``OUT/<shard id>.parquet``, atomically. A file already
there is the shard done by an earlier run: it is skipped unread, so a rerun of a crashed job
does only the shards it had not finished, and no record is written twice.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk.batch.parquet import ShardWriter, article_row, read_meta, rejected_row
from newsdesk.batch.shards import Shard
from newsdesk.records import Input, Rejected
from newsdesk.settings import InputSettings

if TYPE_CHECKING:
    from newsdesk.desk import ArticleAnalyzer

__all__ = ["ShardResult", "process_shard", "shard_file", "shard_inputs"]

# Inputs analysed and written at a time: one Parquet row group each, so memory holds this many
# articles, whatever the shard's size.
_BATCH = 32


@dataclass(frozen=True, slots=True)
class ShardResult:
    """What became of one shard."""

    shard: str
    path: Path
    articles: int = 0
    rejected: int = 0
    reasons: Mapping[str, int] = field(default_factory=dict)
    """Rejections by reason code."""
    skipped: bool = False
    """The shard's file was there already (done by an earlier run); nothing was read."""
    seconds: float = 0.0
    """CPU seconds the worker spent on it (0 when skipped)."""

    @property
    def inputs(self) -> int:
        return self.articles + self.rejected


def shard_file(shard: Shard, out_dir: Path) -> Path:
    """Where a shard's records go: ``OUT/<id>.parquet``."""
    return out_dir / f"{shard.id}.parquet"


def shard_inputs(shard: Shard, *, settings: InputSettings) -> Iterator[Input | Rejected]:
    """The shard's inputs, read as ``newsdesk ingest`` reads them, in order."""
    from newsdesk.stages.readers import read_part

    if shard.rejected is not None:
        yield shard.rejected
    for file in shard.files:
        yield from read_part(Path(file), part=shard.part, settings=settings)


def process_shard(
    shard: Shard, out_dir: Path, *, analyzer: ArticleAnalyzer | None = None
) -> ShardResult:
    """Analyse a shard into its Parquet file, or skip it when the file is there already.

    ``analyzer`` defaults to this process's (:func:`newsdesk.workers.analyzer`), built once
    per worker process.
    """
    target = shard_file(shard, out_dir)
    if target.exists():
        return _done(shard, target)
    if analyzer is None:
        from newsdesk.workers import analyzer as process_analyzer

        analyzer = process_analyzer()
    started = time.process_time()
    reasons: Counter[str] = Counter()
    articles = 0
    meta = {"shard": shard.id, "name": shard.name, "order": list(shard.order)}
    stream = shard_inputs(shard, settings=analyzer.settings.input)
    with ShardWriter(target, meta={**meta, "extractor": analyzer.extractor}) as writer:
        while chunk := list(islice(stream, _BATCH)):
            inputs = [item for item in chunk if isinstance(item, Input)]
            results = iter(analyzer.analyze_many(inputs))
            rows = []
            for item in chunk:
                result = item if isinstance(item, Rejected) else next(results)
                if isinstance(result, Rejected):
                    reasons[result.code] += 1
                    rows.append(rejected_row(result, shard=shard.id))
                else:
                    articles += 1
                    source = item.origin if isinstance(item, Input) else None
                    rows.append(article_row(result, source=source, shard=shard.id))
            writer.write(rows)
        writer.commit(articles=articles, reasons=dict(reasons))
    return ShardResult(
        shard=shard.id,
        path=target,
        articles=articles,
        rejected=sum(reasons.values()),
        reasons=dict(reasons),
        seconds=time.process_time() - started,
    )


def _done(shard: Shard, target: Path) -> ShardResult:
    meta = read_meta(target)
    reasons = {str(code): int(count) for code, count in dict(meta.get("reasons", {})).items()}
    return ShardResult(
        shard=shard.id,
        path=target,
        articles=int(meta.get("articles", 0)),
        rejected=sum(reasons.values()),
        reasons=reasons,
        skipped=True,
    )

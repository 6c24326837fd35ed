"""Split a batch job's inputs into shards: the units a worker turns into one Parquet file.

A shard is a group of small files (text, HTML, feeds) holding about ``size`` inputs, a part
of ``size`` lines of a JSON Lines file, or a range of a WARC file holding ``size`` text
responses. The readers (:mod:`newsdesk.stages.readers`) read every shard, so a shard's inputs
and their origins are exactly what ``newsdesk ingest`` reads from the same files.

A shard's id is a hash of what it reads: each file's resolved path, size and modification
time, and the part's byte range. The same inputs give the same ids on every run, so a rerun
finds the shards already written and skips them; a changed file is a new shard.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsdesk.errors import BatchError, Errors
from newsdesk.records import Rejected
from newsdesk.stages.readers import (
    Part,
    count_inputs,
    file_kind,
    jsonl_parts,
    walk_files,
    warc_parts,
)

__all__ = ["DEFAULT_SIZE", "Shard", "split"]

DEFAULT_SIZE = 200
"""Inputs per shard by default: a few minutes of one core's analysis, so a crash loses little
and a progress bar moves, and few enough files that a folder of them stays easy to list."""


@dataclass(frozen=True, slots=True)
class Shard:
    """What one task reads: ``files`` whole, or the ``part`` of its one file; or, for a path
    that could not even be walked (missing, not a file), the ``rejected`` record alone."""

    id: str
    files: tuple[str, ...]
    part: Part | None = None
    inputs: int = 0
    """How many inputs the shard should give: an estimate for a progress bar."""
    rejected: Rejected | None = None

    @property
    def name(self) -> str:
        """The shard as a person reads it: its first file, and the part's byte range."""
        first = self.order[0]
        if self.part is not None:
            return f"{first} [bytes {self.part.start}-{self.part.stop or 'end'}]"
        return f"{first} +{len(self.files) - 1} files" if len(self.files) > 1 else first

    @property
    def order(self) -> tuple[str, int]:
        """Where the shard stands among a job's inputs: its first file (or rejected path) and
        byte offset. The load reads shards in this order."""
        if self.files:
            return self.files[0], self.part.start if self.part else 0
        return (self.rejected.source or "" if self.rejected else ""), 0


def split(paths: Sequence[Path], *, size: int = DEFAULT_SIZE) -> Iterator[Shard]:
    """The shards of ``paths`` (files and folders, walked as ``newsdesk ingest`` walks them),
    in input order. Small files are grouped up to ``size`` inputs; JSON Lines and WARC files
    are cut into parts of ``size`` inputs."""
    if size < 1:
        raise BatchError(Errors.E461.format(size=size))
    group: list[Path] = []
    inputs = 0
    for found in walk_files(paths):
        kind = found if isinstance(found, Rejected) else file_kind(found)
        if group and (isinstance(found, Rejected) or kind in ("jsonl", "warc")):
            yield _files_shard(group, inputs)  # the group ends here, to keep the input order
            group, inputs = [], 0
        if isinstance(found, Rejected):
            yield _rejected_shard(found)
            continue
        if kind in ("jsonl", "warc"):
            parts = jsonl_parts(found, size) if kind == "jsonl" else warc_parts(found, size)
            for part in parts:
                yield Shard(
                    id=_shard_id([found], part), files=(str(found),), part=part, inputs=part.inputs
                )
            continue
        # A text file is one input; a feed as many as its items; a file rejected whole, one.
        count = (count_inputs([found]) or 1) if kind == "feed" else 1
        if group and inputs + count > size:
            yield _files_shard(group, inputs)
            group, inputs = [], 0
        group.append(found)
        inputs += count
    if group:
        yield _files_shard(group, inputs)


def _files_shard(files: list[Path], inputs: int) -> Shard:
    return Shard(id=_shard_id(files, None), files=tuple(str(file) for file in files), inputs=inputs)


def _rejected_shard(rejected: Rejected) -> Shard:
    key = json.dumps(["rejected", rejected.source, rejected.code, rejected.reason])
    return Shard(id=_digest(key), files=(), inputs=1, rejected=rejected)


def _shard_id(files: Sequence[Path], part: Part | None) -> str:
    """A hash of what the shard reads: a changed file (size or modification time) changes it."""
    described: list[object] = []
    for file in files:
        try:
            info = file.stat()
            stamp: list[object] = [info.st_size, info.st_mtime_ns]
        except OSError as exc:  # the reader rejects it; the id still names it
            stamp = [type(exc).__name__]
        described.append([str(file.resolve()), *stamp])
    if part is not None:
        described.append([part.start, part.stop, part.first_line])
    return _digest(json.dumps(described))


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "backslashreplace")).hexdigest()[:20]

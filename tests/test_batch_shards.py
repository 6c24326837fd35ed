"""Tests for newsdesk.batch.shards: inputs split into shards whose parts read as the whole."""

from __future__ import annotations

import gzip
import json
import os
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from newsdesk.batch.shard import shard_inputs
from newsdesk.batch.shards import Shard, split
from newsdesk.errors import BatchError
from newsdesk.records import Input, Rejected
from test_readers import ARTICLE, INPUT, JSONL_LINES, _origins, _read, _warc


def _values(shards: list[Shard]) -> list[Input | Rejected]:
    return [value for shard in shards for value in shard_inputs(shard, settings=INPUT)]


def test_shards_group_small_files_up_to_the_size(tmp_path: Path) -> None:
    for index in range(7):
        (tmp_path / f"report-{index}.txt").write_text(f"{ARTICLE} ({index})", encoding="utf-8")
    shards = list(split([tmp_path], size=3))
    assert [len(shard.files) for shard in shards] == [3, 3, 1]
    assert [shard.inputs for shard in shards] == [3, 3, 1]
    assert _origins(_values(shards)) == _origins(_read(tmp_path))


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("size", [1, 2, 3, 8, 9, 50])
def test_shards_jsonl_parts_read_as_the_whole_file(
    tmp_path: Path, compress: bool, size: int
) -> None:
    content = ("\n".join(JSONL_LINES) + "\n").encode()
    path = tmp_path / ("parts.jsonl.gz" if compress else "parts.jsonl")
    path.write_bytes(gzip.compress(content) if compress else content)
    shards = list(split([path], size=size))
    lines = len(JSONL_LINES)
    assert len(shards) == -(-lines // size)
    assert [shard.inputs for shard in shards] == [
        min(size, lines - start) for start in range(0, lines, size)
    ]
    assert [shard.part.first_line for shard in shards if shard.part] == list(
        range(1, lines + 1, size)
    )
    # Same inputs, same origins (PATH:LINE), same rejections, in the same order.
    assert _values(shards) == _read(path)


def _long_warc(path: Path, pages: int) -> None:
    """A crawl of ``pages`` HTML responses, each after its request record."""
    with path.open("wb") as file:
        writer = WARCWriter(file, gzip=path.suffix == ".gz")
        for index in range(pages):
            uri = f"https://example.org/report-{index}"
            request = StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True
            )
            writer.write_record(writer.create_warc_record(uri, "request", http_headers=request))
            body = f"<html><body><p>{ARTICLE} Report {index}.</p></body></html>".encode()
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=BytesIO(body), http_headers=headers
                )
            )


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
@pytest.mark.parametrize("size", [1, 2, 4, 7])
def test_shards_warc_ranges_read_as_the_whole_file(tmp_path: Path, name: str, size: int) -> None:
    path = tmp_path / name
    _long_warc(path, pages=7)
    shards = list(split([path], size=size))
    assert [shard.inputs for shard in shards] == [
        min(size, 7 - start) for start in range(0, 7, size)
    ]
    assert _values(shards) == _read(path)
    assert len({shard.id for shard in shards}) == len(shards)


def test_shards_damaged_warc_keeps_its_rejection_in_the_last_part(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    _warc(path, gzipped=False)
    path.write_bytes(path.read_bytes()[:-40])  # cut inside the last record
    whole = _read(path)
    assert isinstance(whole[-1], Rejected) and whole[-1].code == "R114"
    assert _values(list(split([path], size=1))) == whole


def test_shards_mixed_inputs_in_walk_order_with_unwalkable_paths(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        "\n".join(json.dumps({"text": f"{ARTICLE} {n}"}) for n in range(5)), encoding="utf-8"
    )
    _long_warc(tmp_path / "c.warc", pages=3)
    (tmp_path / "d.txt").write_text(ARTICLE + " again", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    paths = [tmp_path, missing]
    shards = list(split(paths, size=2))
    values = _values(shards)
    assert values == _read(*paths)
    assert isinstance(values[-1], Rejected) and values[-1].code == "R109"
    assert [shard.order[0] for shard in shards] == [
        str(tmp_path / "a.txt"),
        *[str(tmp_path / "b.jsonl")] * 3,
        *[str(tmp_path / "c.warc")] * 2,
        str(tmp_path / "d.txt"),
        str(missing),
    ]


def test_shards_ids_are_stable_and_change_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "lines.jsonl"
    path.write_text(
        "\n".join(json.dumps({"text": f"{ARTICLE} {n}"}) for n in range(4)), encoding="utf-8"
    )
    first = [shard.id for shard in split([path], size=2)]
    assert first == [shard.id for shard in split([path], size=2)]
    assert len(set(first)) == 2
    assert first != [shard.id for shard in split([path], size=3)]
    stamp = path.stat().st_mtime_ns
    os.utime(path, ns=(stamp + 1_000_000_000, stamp + 1_000_000_000))
    assert not set(first) & {shard.id for shard in split([path], size=2)}


def test_shards_size_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(BatchError, match="E461"):
        list(split([tmp_path], size=0))

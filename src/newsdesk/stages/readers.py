"""Readers: turn files and folders into a stream of inputs, never losing one.

:func:`iter_inputs` walks the paths it is given and yields one
:class:`~newsdesk.records.Input` per report, or a :class:`~newsdesk.records.Rejected` value
naming the file (and line, item or record) that could not be read, with a reason from
:class:`~newsdesk.errors.Reasons`. What each kind of file gives:

- a folder: its files of the article types below, recursively, in name order: a text file
  (``.txt``, ``.text``), an HTML page (``.html``, ``.htm``, ``.xhtml``), JSON Lines, a feed
  or a WARC file, each perhaps gzipped (``.gz``), found by name or, for feeds and WARC, by
  content. Other text files (a README.md, a CSV, a script) are skipped and
  :func:`skipped_files` names them; binary files go on to be rejected (R103) like any
  unreadable input; hidden files and folders (a name starting with ".") are skipped silently,
  and a folder reached twice through symbolic links is read once;
- a text or HTML file (or any file named on its own that no other reader claims): one input,
  origin ``PATH``;
- JSON Lines (``.jsonl``, ``.ndjson``): one input per line, origin ``PATH:LINE`` (1-based),
  followed by ``#ID`` when the line carries an ``id`` or ``origin``. ``text`` wins over
  ``html`` when a line holds both: it is what the line's author already extracted. Blank lines
  are skipped;
- RSS 2.0, RSS 1.0 and Atom feeds (``.rss``, ``.atom``, or any file whose root element is
  ``rss``, ``rdf:RDF`` or ``feed``): one input per item, origin ``PATH#GUID`` (or ``PATH#N``,
  the 1-based item number, when the item has no guid or repeats one). The item's title rides
  along as the ``<title>`` of a small HTML page around its content, so ingest finds it. Links
  are never fetched;
- WARC (``.warc``, or content that opens with ``WARC/``): one input per ``response`` record
  with a 2xx status and an HTML or text payload, HTTP headers stripped and transfer and
  content encodings undone, origin ``PATH#OFFSET`` (the record's byte offset in the file).
  ``published`` stays None: WARC-Date is when the page was crawled, not when it was published.
  Requests, metadata, revisits, redirects, errors and non-text payloads (images, scripts) are
  skipped without a rejection: they are parts of a crawl, not reports. A damaged record (cut
  short, a Content-Length that does not fit) ends the file with R114, and warcio's own
  warnings about it stay out of the terminal.

Any file may be gzipped (found by its magic bytes, whatever its name). Every reader streams:
memory holds one input at a time, never a whole JSON Lines, feed or WARC file, and an input
over ``max_input_bytes`` is rejected (R104) without being read whole. The order depends only
on the paths and the files' contents, so a run that crashed can be repeated and skip the
origins it already stored.
"""

from __future__ import annotations

import codecs
import gzip
import html
import io
import json
import os
import re
import stat
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.exceptions import ArchiveLoadFailed  # type: ignore[import-untyped]

from newsdesk.errors import Reasons
from newsdesk.records import Input, Rejected
from newsdesk.settings import InputSettings
from newsdesk.stages.ingest import text_codec
from newsdesk.stages.metadata import parse_date

__all__ = [
    "FileKind",
    "Part",
    "count_inputs",
    "file_kind",
    "iter_inputs",
    "jsonl_inputs",
    "jsonl_parts",
    "read_part",
    "skipped_files",
    "walk_files",
    "warc_parts",
]

_Kind = Literal["text", "jsonl", "feed", "warc"]
FileKind = _Kind
"""How a file is read: one text or HTML input, JSON Lines, a feed, or a WARC file."""


class _Stream(Protocol):
    """What the readers need of a file, plain or gunzipped."""

    def read(self, size: int = -1, /) -> bytes: ...
    def readline(self, size: int = -1, /) -> bytes: ...
    def seek(self, offset: int, whence: int = 0, /) -> int: ...
    def tell(self) -> int: ...


_HEAD = 8192
_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"
_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".jsonlines"})
_FEED_SUFFIXES = frozenset({".rss", ".atom"})
_WARC_SUFFIXES = frozenset({".warc"})
_TEXT_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".xhtml"})
# What a folder is read for; a feed may also be any ``.xml`` file whose root is a feed's.
_ARTICLE_SUFFIXES = _TEXT_SUFFIXES | _JSONL_SUFFIXES | _FEED_SUFFIXES | _WARC_SUFFIXES
# Damaged gzip or WARC data surfaces as any of these, from gzip, zlib or warcio.
_DAMAGED = (OSError, EOFError, zlib.error, ArchiveLoadFailed)
# warcio's record parser meets a damaged header with these too (a header cut before its
# WARC-Type line gives an AttributeError on the missing type; a bad length a ValueError).
_WARC_DAMAGED = (*_DAMAGED, AttributeError, ValueError, IndexError, KeyError)


def iter_inputs(paths: Sequence[Path], *, settings: InputSettings) -> Iterator[Input | Rejected]:
    """Every report in ``paths`` (files and folders) as an ``Input``, in a fixed order, or a
    ``Rejected`` value for each file, line, item or record that could not be read."""
    for found in _walk_all(paths):
        if isinstance(found, Rejected):
            yield found
        else:
            yield from _read_file(found, limit=settings.max_input_bytes)


def _read_file(path: Path, *, limit: int, part: Part | None = None) -> Iterator[Input | Rejected]:
    """The inputs of one file, or of one ``part`` of a JSON Lines or WARC file. A failure that
    no reader foresaw (a bug here or in a parsing library meeting hostile bytes) ends this file
    with its R116 rejection, after the inputs read before it, and the run goes on with the
    next file."""
    kind: _Kind | Rejected = "text"
    try:
        kind = _sniff(path)
        if isinstance(kind, Rejected):
            yield kind
        elif kind == "jsonl":
            yield from _read_jsonl(path, limit=limit, part=part)
        elif kind == "feed":
            yield from _read_feed(path, limit=limit)
        elif kind == "warc":
            yield from _read_warc(path, limit=limit, part=part)
        else:
            yield _read_text(path, limit=limit)
    except Exception as exc:  # noqa: BLE001 - becomes this file's coded rejection, never lost
        yield Reasons.R116.reject(
            source=str(path),
            stage=f"reading the {kind if isinstance(kind, str) else 'unknown'} file",
            error=type(exc).__name__,
            message=str(exc)[:200] or "no message",
        )


# --- parts of a file, for batch jobs ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Part:
    """A stretch of a JSON Lines or WARC file that a batch job reads on its own.

    ``start`` and ``stop`` are byte offsets (in the gunzipped stream for JSON Lines, in the
    file itself for WARC, whose gzip members each hold one record); ``stop`` None reads to the
    end, where the reader also reports a damaged tail. ``first_line`` is the 1-based number of
    the JSON Lines part's first line, so that origins read ``PATH:LINE`` as in a whole read.
    ``inputs`` is how many inputs the part should give, for a progress bar.
    """

    start: int
    stop: int | None
    first_line: int = 1
    inputs: int = 0


def walk_files(paths: Sequence[Path]) -> Iterator[Path | Rejected]:
    """The files :func:`iter_inputs` reads, in its order, or the rejection of a path it
    cannot walk."""
    return _walk_all(paths)


def file_kind(path: Path) -> _Kind | Rejected:
    """How :func:`iter_inputs` reads ``path``, or why it rejects it whole."""
    return _sniff(path)


def read_part(
    path: Path, *, part: Part | None, settings: InputSettings
) -> Iterator[Input | Rejected]:
    """The inputs of one file as :func:`iter_inputs` gives them, or of one ``part`` of it
    (from :func:`jsonl_parts` or :func:`warc_parts`): the parts of a file together give
    exactly what the whole file gives, with the same origins."""
    return _read_file(path, limit=settings.max_input_bytes, part=part)


def jsonl_parts(path: Path, lines: int) -> list[Part]:
    """A JSON Lines file cut into parts of ``lines`` lines (blank lines count: they are
    lines of the file). Reads the file through once, a block at a time."""
    bounds: list[tuple[int, int]] = [(0, 0)]  # (byte offset, lines before it)
    count = position = 0
    last = b"\n"
    with _open(path) as stream:
        while block := stream.read(_CHUNK):
            at = block.find(b"\n")
            while at >= 0:
                count += 1
                if count % lines == 0:
                    bounds.append((position + at + 1, count))
                at = block.find(b"\n", at + 1)
            position += len(block)
            last = block[-1:]
    total = count + (last != b"\n")
    if len(bounds) > 1 and bounds[-1][1] == total:  # a cut at the very end opens no part
        bounds.pop()
    return [
        Part(
            start=offset,
            stop=bounds[index + 1][0] if index + 1 < len(bounds) else None,
            first_line=before + 1,
            inputs=min(lines, total - before),
        )
        for index, (offset, before) in enumerate(bounds)
    ]


def warc_parts(path: Path, records: int) -> list[Part]:
    """A WARC file cut into parts of ``records`` text responses (the records the reader turns
    into inputs; the crawl's other records ride along in the part they fall in). Damage ends
    the scan: the last part then reads to the end, where the reader reports it."""
    starts = [0]
    counts = [0]
    with path.open("rb") as raw, _warcio_quiet():
        found = ArchiveIterator(raw)
        try:
            for record in found:
                if not _is_text_response(record):
                    continue
                if counts[-1] == records:
                    starts.append(found.get_record_offset())
                    counts.append(0)
                counts[-1] += 1
        except _WARC_DAMAGED:
            pass  # the reader meets the same damage in the last part and rejects it (R114)
    return [
        Part(start=start, stop=starts[index + 1] if index + 1 < len(starts) else None, inputs=n)
        for index, (start, n) in enumerate(zip(starts, counts, strict=True))
    ]


def count_inputs(paths: Sequence[Path]) -> int | None:
    """A cheap estimate of how many values :func:`iter_inputs` yields, for a progress bar.

    Counts files, JSON Lines lines, feed items (by their opening tags) and WARC response
    records with a text payload; a file that cannot be read counts once, for its rejection.
    Returns None when a file could not be counted. It reads every JSON Lines, feed and WARC
    file through once, but holds only one block of it in memory at a time.
    """
    total = 0
    try:
        for found in _walk_all(paths):
            if isinstance(found, Rejected):
                total += 1
                continue
            kind = _sniff(found)
            if kind == "jsonl":
                total += _count_lines(found)
            elif kind == "feed":
                total += _count_items(found)
            elif kind == "warc":
                total += _count_warc(found)
            else:
                total += 1
    except Exception:  # noqa: BLE001 - an estimate only: the readers report the file itself
        return None
    return total


# --- walking -------------------------------------------------------------------------------


def skipped_files(paths: Sequence[Path]) -> list[Path]:
    """The files inside the folders of ``paths`` that are not of an article type (a
    README.md, an image, a database), which :func:`iter_inputs` does not read, in walk order."""
    skipped: list[Path] = []
    for _ in _walk_all(paths, skipped=skipped):
        pass
    return skipped


def _walk_all(
    paths: Sequence[Path], *, skipped: list[Path] | None = None
) -> Iterator[Path | Rejected]:
    seen: set[tuple[int, int]] = set()
    for path in paths:
        yield from _walk(Path(path), seen=seen, top=True, skipped=skipped)


def _walk(
    path: Path, *, seen: set[tuple[int, int]], top: bool, skipped: list[Path] | None
) -> Iterator[Path | Rejected]:
    if not top and path.name.startswith("."):
        return
    try:
        info = path.stat()
    except OSError as exc:
        yield Reasons.R109.reject(source=str(path), detail=_os_detail(exc))
        return
    if stat.S_ISREG(info.st_mode):
        # A file named on its own is read whatever its name; a folder's files by their type.
        if top or _is_article_file(path):
            yield path
        elif skipped is not None:
            skipped.append(path)
        return
    if not stat.S_ISDIR(info.st_mode):
        # A FIFO or device would block or never end; it is no report.
        yield Reasons.R109.reject(source=str(path), detail="not a regular file or folder")
        return
    key = (info.st_dev, info.st_ino)
    if key in seen:  # a symbolic link back into a folder already read: a loop or a copy
        return
    seen.add(key)
    try:
        children = sorted(os.scandir(path), key=lambda entry: entry.name)
    except OSError as exc:
        yield Reasons.R109.reject(source=str(path), detail=_os_detail(exc))
        return
    for child in children:
        yield from _walk(path / child.name, seen=seen, top=False, skipped=skipped)


def _os_detail(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


# --- sniffing ------------------------------------------------------------------------------


@contextmanager
def _open(path: Path) -> Iterator[_Stream]:
    """The file's bytes, gunzipped when it starts with gzip's magic bytes."""
    with path.open("rb") as raw:
        gzipped = raw.read(2) == _GZIP_MAGIC
        raw.seek(0)
        if gzipped:
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield unzipped
        else:
            yield raw


def _suffix(path: Path) -> str:
    name = path.name.lower()
    name = name.removesuffix(".gz")
    return Path(name).suffix


# The root element of an XML document, past its declaration, comments and doctype.
_XML_ROOT = re.compile(
    rb"\A(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*<([A-Za-z_][\w.:-]*)",
    re.DOTALL,
)
_FEED_ROOTS = frozenset({b"rss", b"feed", b"rdf:RDF", b"RDF"})


def _sniff(path: Path) -> _Kind | Rejected:
    try:
        head = _head(path)
    except _DAMAGED as exc:
        return _unreadable(exc, source=str(path))
    suffix = _suffix(path)
    if head.startswith(b"WARC/") or suffix in _WARC_SUFFIXES:
        return "warc"
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix in _FEED_SUFFIXES or _opens_feed(head):
        return "feed"
    if _looks_binary(head):
        return Reasons.R103.reject(source=str(path), detail="NUL bytes")
    return "text"


def _is_article_file(path: Path) -> bool:
    """Whether a file found in a folder goes to the readers: an article type by its name (past
    ``.gz``), a feed or WARC file by its content, or binary data, which the text reader rejects
    (R103) so that the run records it. A text file of another type (a README.md, a CSV, a
    script) is not a report."""
    if _suffix(path) in _ARTICLE_SUFFIXES:
        return True
    try:
        head = _head(path)
    except _DAMAGED:
        return True  # let the reader say what is wrong with it
    return head.startswith(b"WARC/") or _opens_feed(head) or _looks_binary(head)


def _opens_feed(head: bytes) -> bool:
    """Whether a file's first bytes are an XML document whose root is an RSS, Atom or RDF feed."""
    root = _XML_ROOT.match(head.removeprefix(codecs.BOM_UTF8))
    return root is not None and root.group(1) in _FEED_ROOTS


def _head(path: Path) -> bytes:
    """The file's first bytes, gunzipped when gzipped; a gzip file cut short still shows its
    opening, so the reader for its kind can read up to the cut and say where it is."""
    with path.open("rb") as raw:
        head = raw.read(_CHUNK)
    if not head.startswith(_GZIP_MAGIC):
        return head[:_HEAD]
    return zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(head, _HEAD)


def _looks_binary(head: bytes) -> bool:
    """NUL bytes in text other than UTF-16 or UTF-32 mean binary data. Files with a known
    binary signature but no NUL in their opening (some PDFs) are left to ingest, which knows
    the signatures."""
    if b"\x00" not in head or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    # UTF-16 without a byte-order mark puts a NUL in every other byte of Latin-script text.
    pairs = max(len(head) // 2, 1)
    return max(head[0::2].count(0), head[1::2].count(0)) / pairs < 0.9


def _unreadable(exc: BaseException, *, source: str) -> Rejected:
    """R109 when the system refused the file (missing, no permission); R114 when its bytes
    are damaged (bad or truncated gzip, a broken WARC record)."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return Reasons.R109.reject(source=source, detail=_os_detail(exc))
    if not isinstance(exc, _DAMAGED):  # warcio's parser failing on a damaged header
        return Reasons.R114.reject(source=source, detail="a broken record header")
    return Reasons.R114.reject(source=source, detail=str(exc) or type(exc).__name__)


# --- text and HTML files -------------------------------------------------------------------


def _read_text(path: Path, *, limit: int) -> Input | Rejected:
    origin = str(path)
    try:
        with _open(path) as stream:
            data = stream.read(limit + 1)
        size = path.stat().st_size
    except _DAMAGED as exc:
        return _unreadable(exc, source=origin)
    if len(data) > limit:
        return Reasons.R104.reject(source=origin, size=max(size, len(data)), limit=limit)
    return Input(data=data, origin=origin)


# --- JSON Lines ----------------------------------------------------------------------------


def _read_jsonl(path: Path, *, limit: int, part: Part | None = None) -> Iterator[Input | Rejected]:
    number = 0 if part is None else part.first_line - 1
    try:
        with _open(path) as stream:
            if part is not None:
                # GzipFile seeks forward by reading through; a plain file jumps.
                stream.seek(part.start)
            while part is None or part.stop is None or stream.tell() < part.stop:
                line, size = _read_line(stream, limit=limit)
                if size == 0:
                    return
                number += 1
                origin = f"{path}:{number}"
                if line is None:
                    yield Reasons.R104.reject(source=origin, size=size, limit=limit)
                elif line.strip():
                    yield _jsonl_input(line, number=number, origin=origin)
    except _DAMAGED as exc:
        yield _unreadable(exc, source=f"{path}:{number + 1}")


def jsonl_inputs(data: bytes, *, origin: str, limit: int) -> Iterator[Input | Rejected]:
    """The inputs of JSON Lines held in memory (a body posted to the web API), read as a
    ``.jsonl`` file's lines are: origin ``ORIGIN:LINE``, a line over ``limit`` bytes or that is
    no JSON object with a text rejected, blank lines skipped."""
    for number, line in enumerate(data.splitlines(keepends=True), start=1):
        if len(line.rstrip(b"\r\n")) > limit:
            yield Reasons.R104.reject(source=f"{origin}:{number}", size=len(line), limit=limit)
        elif line.strip():
            yield _jsonl_input(line, number=number, origin=f"{origin}:{number}")


def _read_line(stream: _Stream, *, limit: int) -> tuple[bytes | None, int]:
    """The next line and its size in bytes; the line is None when it is over ``limit``, and
    then it was skipped a block at a time, never held whole. Size 0 means the end."""
    line = stream.readline(limit + 1)
    size = len(line)
    if len(line.rstrip(b"\n")) <= limit:
        return line, size
    while not line.endswith(b"\n"):
        line = stream.readline(_CHUNK)
        if not line:
            break
        size += len(line)
    return None, size


def _jsonl_input(line: bytes, *, number: int, origin: str) -> Input | Rejected:
    try:
        text = line.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        return Reasons.R110.reject(
            source=origin, line=number, detail=f"not UTF-8 at byte {exc.start}"
        )
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        return Reasons.R110.reject(
            source=origin, line=number, detail=f"{exc.msg} at column {exc.colno}"
        )
    except RecursionError:
        return Reasons.R110.reject(source=origin, line=number, detail="nested too deeply")
    if not isinstance(value, dict):
        return Reasons.R111.reject(
            source=origin, line=number, detail=f"it is a JSON {_json_type(value)}, not an object"
        )
    data = next(
        (value[key] for key in ("text", "html") if isinstance(value.get(key), str)),
        None,
    )
    if data is None or not data.strip():
        return Reasons.R111.reject(
            source=origin, line=number, detail='no non-empty "text" or "html" string'
        )
    for key in ("url", "published"):
        if value.get(key) is not None and not isinstance(value[key], str):
            return Reasons.R111.reject(
                source=origin, line=number, detail=f'"{key}" must be a string'
            )
    name = next(
        (
            str(value[key])
            for key in ("id", "origin")
            if isinstance(value.get(key), str | int) and not isinstance(value[key], bool)
        ),
        None,
    )
    return Input(
        data=data,
        url=value.get("url") or None,
        published=_iso_date(value["published"]) if value.get("published") else None,
        origin=f"{origin}#{name}" if name else origin,
    )


def _json_type(value: object) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return "number"


def _count_lines(path: Path) -> int:
    lines = 0
    last = b"\n"
    with _open(path) as stream:
        while block := stream.read(_CHUNK):
            lines += block.count(b"\n")
            last = block[-1:]
    return lines + (last != b"\n")


# --- RSS and Atom feeds --------------------------------------------------------------------

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC_DATE = "{http://purl.org/dc/elements/1.1/}date"
_RDF_ABOUT = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"
_ITEMS = frozenset({"item", "entry"})


def _read_feed(path: Path, *, limit: int) -> Iterator[Input | Rejected]:
    """Items from an RSS or Atom feed, parsed as a stream a block at a time: only the item
    being read is held, and only up to ``limit`` characters; a longer item is skipped to its
    end without being kept and rejected (R118), so a huge or gzip-bomb feed never fills memory.
    Expat resolves no external entities and refuses entity expansion bombs."""
    number = 0
    guids: set[str] = set()
    builder = _ItemBuilder(limit=limit)
    parser = ET.XMLParser(target=builder)
    try:
        with _open(path) as stream:
            while True:
                block = stream.read(_CHUNK)
                if block:
                    parser.feed(block)
                else:
                    parser.close()
                for item, size in builder.take():
                    number += 1
                    if item is None:
                        yield Reasons.R118.reject(source=f"{path}#{number}", size=size, limit=limit)
                        continue
                    guid = _guid(item)
                    if guid is None or guid in guids:
                        origin = f"{path}#{number}"
                    else:
                        guids.add(guid)
                        origin = f"{path}#{guid}"
                    yield _item_input(item, origin=origin)
                if not block:
                    return
    except ET.ParseError as exc:
        line, column = exc.position
        yield Reasons.R112.reject(
            source=f"{path}#{number + 1}", detail=f"line {line}, column {column}"
        )
    except _DAMAGED as exc:
        yield _unreadable(exc, source=f"{path}#{number + 1}")


class _ItemBuilder:
    """An expat target that builds the tree of each outermost feed item and nothing else
    (the channel's own elements are never kept), dropping an item as soon as it grows past
    ``limit`` characters of names, attributes and text."""

    def __init__(self, *, limit: int) -> None:
        self.limit = limit
        self.depth = 0  # how deep inside the current item; 0 outside any item
        self.size = 0
        self.builder: ET.TreeBuilder | None = None
        self.finished: list[tuple[ET.Element | None, int]] = []

    def take(self) -> list[tuple[ET.Element | None, int]]:
        """The items finished since the last call: each element (None when it was over the
        limit) and its size."""
        finished, self.finished = self.finished, []
        return finished

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if self.depth == 0:
            if _local(tag) not in _ITEMS:
                return
            self.builder, self.size = ET.TreeBuilder(), 0
        self.depth += 1
        self._grow(len(tag) + sum(len(key) + len(value) for key, value in attrs.items()))
        if self.builder is not None:
            self.builder.start(tag, attrs)

    def end(self, tag: str) -> None:
        if self.depth == 0:
            return
        self.depth -= 1
        if self.builder is not None:
            self.builder.end(tag)
        if self.depth == 0:
            item = self.builder.close() if self.builder is not None else None
            self.finished.append((item, self.size))
            self.builder = None

    def data(self, text: str) -> None:
        if self.depth == 0:
            return
        self._grow(len(text))
        if self.builder is not None:
            self.builder.data(text)

    def close(self) -> None:
        return None

    def _grow(self, size: int) -> None:
        self.size += size
        if self.size > self.limit:
            self.builder = None  # what was built of the item is let go at once


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(item: ET.Element, *names: str) -> ET.Element | None:
    """The first child named by any of ``names`` (namespaced, or bare for RSS 2.0), in the
    order of ``names``."""
    for name in names:
        for child in item:
            if child.tag == name or (
                not name.startswith("{") and _local(child.tag) == name and _is_rss(child.tag)
            ):
                return child
    return None


def _is_rss(tag: str) -> bool:
    # RSS 2.0 uses no namespace, RSS 1.0 its own; both name their elements alike.
    return not tag.startswith("{") or tag.startswith("{http://purl.org/rss/1.0/}")


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def _guid(item: ET.Element) -> str | None:
    return _text(_child(item, "guid", _ATOM + "id")) or item.get(_RDF_ABOUT)


def _item_input(item: ET.Element, *, origin: str) -> Input | Rejected:
    content = _item_content(item)
    if content is None:
        return Reasons.R113.reject(
            source=origin, detail="no content:encoded, content, description or summary"
        )
    body, is_html = content
    title = _text(_child(item, "title", _ATOM + "title"))
    return Input(
        data=_page(body, title=title, is_html=is_html),
        url=_item_link(item),
        published=_item_date(item),
        origin=origin,
    )


def _item_content(item: ET.Element) -> tuple[str, bool] | None:
    """The item's richest content and whether it is HTML."""
    for name in (_CONTENT, _ATOM + "content", "description", _ATOM + "summary"):
        element = _child(item, name)
        if element is None:
            continue
        kind = element.get("type", "html" if not name.startswith(_ATOM) else "text")
        if kind == "xhtml" or kind.endswith("xml"):
            markup = "".join(_xhtml(child) for child in element)
            if markup.strip():
                return markup, True
        elif element.text is not None and element.text.strip():
            # Declared HTML is trusted when it holds any tag; ingest's tag count is for
            # guessing undeclared input, and a one-paragraph item has too few tags for it.
            is_html = kind in ("html", "text/html") and "<" in element.text
            return element.text.strip(), is_html
    return None


def _xhtml(root: ET.Element) -> str:
    """Inline XHTML content as HTML without namespace prefixes, which HTML parsers misread.

    Walks the tree with a stack of its own, not by recursion: an item's content may nest
    elements thousands deep, past Python's recursion limit."""
    parts: list[str] = []
    stack: list[tuple[ET.Element, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        if closing:
            parts.append(f"</{_local(element.tag)}>")
            parts.append(html.escape(element.tail or "", quote=False))
            continue
        parts.append(f"<{_local(element.tag)}")
        parts.extend(
            f' {_local(key)}="{html.escape(value, quote=True)}"' for key, value in element.items()
        )
        parts.append(">")
        parts.append(html.escape(element.text or "", quote=False))
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return "".join(parts)


def _page(body: str, *, title: str | None, is_html: bool) -> str:
    """The item as ingest reads it best: its content alone, or, when it has a title, a small
    HTML page whose ``<title>`` carries it (paragraphs of plain text become ``<p>``s)."""
    if title is None:
        return body
    if not is_html:
        paragraphs = (part.strip() for part in re.split(r"\n\s*\n", body))
        body = "\n".join(f"<p>{html.escape(part)}</p>" for part in paragraphs if part)
    return (
        f"<html><head><title>{html.escape(title)}</title></head>"
        f"<body><article>{body}</article></body></html>"
    )


def _item_link(item: ET.Element) -> str | None:
    for child in item:
        if child.tag == _ATOM + "link" and child.get("rel", "alternate") == "alternate":
            href = child.get("href")
            if href:
                return href.strip()
    link = _text(_child(item, "link"))
    if link is not None:
        return link
    guid = _child(item, "guid")
    text = _text(guid)
    if guid is not None and text and guid.get("isPermaLink", "true") != "false":
        return text if text.startswith(("http://", "https://")) else None
    return None


def _item_date(item: ET.Element) -> str | None:
    for name in ("pubDate", _DC_DATE, _ATOM + "published", _ATOM + "updated"):
        value = _text(_child(item, name))
        if value is not None:
            found = _iso_date(value)
            if found is not None:
                return found
    return None


def _iso_date(value: str) -> str | None:
    """An RFC 822 (RSS) or ISO 8601 (Atom) timestamp as the ISO date it names, in the
    publisher's own time zone: the date the report carried, not the date in UTC."""
    value = value.strip()
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass  # not RFC 822; ISO 8601 or free text next
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return parse_date(value)


_ITEM_TAG = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>/]")


def _count_items(path: Path) -> int:
    count = 0
    tail = b""
    with _open(path) as stream:
        while block := stream.read(_CHUNK):
            window = tail + block
            count += len(_ITEM_TAG.findall(window))
            # Keep the end of the block for a tag split across two blocks, minus any tag
            # already counted in it.
            tail = window[-32:]
            count -= len(_ITEM_TAG.findall(tail))
    return count


# --- WARC ----------------------------------------------------------------------------------

_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain")


def _read_warc(path: Path, *, limit: int, part: Part | None = None) -> Iterator[Input | Rejected]:
    try:
        raw = path.open("rb")
    except OSError as exc:
        yield _unreadable(exc, source=str(path))
        return
    with raw:
        if not _head(path).startswith(b"WARC/"):
            # warcio reads almost anything as some record; a WARC file opens with its version.
            yield Reasons.R114.reject(source=f"{path}#0", detail="it does not open with 'WARC/'")
            return
        stop = None
        if part is not None:
            raw.seek(part.start)  # warcio counts offsets from where the file stands
            stop = part.stop
        records = ArchiveIterator(raw)
        while stop is None or records.offset < stop:
            try:
                with _warcio_quiet():
                    record = next(records, None)
                    if record is None:
                        break
                    wanted = _is_text_response(record)
                    data = record.content_stream().read(limit + 1) if wanted else b""
                    offset = records.get_record_offset()  # reads the rest of the record
            except _WARC_DAMAGED as exc:
                yield _unreadable(exc, source=f"{path}#{records.offset}")
                return
            origin = f"{path}#{offset}"
            if records.err_count:
                # Reading the rest of the record, warcio found no blank line where its length
                # said it ends: the payload read is cut short or runs into the next record.
                yield Reasons.R114.reject(
                    source=origin, detail="the record's Content-Length does not fit its content"
                )
                return
            # warcio ends quietly where a file is cut short; what the record's length promised
            # and its stream did not give says so.
            missing = getattr(record.raw_stream, "limit", None)
            if missing != 0:
                detail = "no Content-Length" if missing is None else f"{missing} bytes missing"
                yield Reasons.R114.reject(source=origin, detail=detail)
                return
            if not wanted:
                continue
            if len(data) > limit:
                yield Reasons.R104.reject(source=origin, size=_length(record, data), limit=limit)
                continue
            yield Input(
                data=_decoded(data, record),
                url=record.rec_headers.get_header("WARC-Target-URI"),
                origin=origin,
            )
        left = os.fstat(raw.fileno()).st_size - records.offset
        if stop is None and left > 0:
            yield Reasons.R114.reject(
                source=f"{path}#{records.offset}", detail=f"{left} bytes hold no whole record"
            )


def _is_text_response(record: Any) -> bool:
    if record.rec_type != "response":
        return False
    headers = record.http_headers
    if headers is None:
        return False
    status = str(headers.get_statuscode() or "")
    content_type = (headers.get_header("Content-Type") or "").lower()
    return status.startswith("2") and (not content_type or content_type.startswith(_TEXT_TYPES))


_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def _decoded(data: bytes, record: Any) -> str | bytes:
    """The payload as text when its HTTP header names a charset that fits the bytes; else the
    bytes, for ingest to decode from the page itself."""
    content_type = record.http_headers.get_header("Content-Type") or ""
    match = _CHARSET.search(content_type)
    codec = text_codec(match.group(1)) if match is not None else None
    if codec is None:
        return data
    try:
        return data.decode(codec)
    except UnicodeError:
        return data


def _length(record: Any, data: bytes) -> int:
    declared = record.http_headers.get_header("Content-Length")
    return int(declared) if declared and declared.isdigit() else len(data)


def _count_warc(path: Path) -> int:
    count = 0
    with path.open("rb") as raw, _warcio_quiet():
        for record in ArchiveIterator(raw):
            count += _is_text_response(record)
    return count


@contextmanager
def _warcio_quiet() -> Iterator[None]:
    """Keep what warcio writes to stderr itself out of the user's terminal, while it runs.

    warcio prints its own notes on damaged records ("WARNING: Record not followed by newline,
    perhaps Content-Length is invalid", a gzip member that fails half way) and logs a repaired
    Target-URI, which logging's last resort also writes to stderr. The reader reports that
    damage as its R114 rejection (``err_count``, bytes missing), so the notes are dropped. Only
    the warcio calls run inside, never a yield, so the caller's own output is never taken; but
    ``sys.stderr`` is the process's, so a thread writing to it in those moments (a progress
    bar's refresh) loses that write. A logging handler the caller configured still gets
    warcio's log records.
    """
    with redirect_stderr(io.StringIO()):
        yield

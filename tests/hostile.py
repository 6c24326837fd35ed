"""Hostile inputs, written by the project for its fuzz tests (tests/test_fuzz.py).

Each kind of hostility a reader, the segmenter or the pipeline must survive, built from parts:

- :data:`FRAGMENTS`: short pieces of text that break naive code (unbalanced quotes and brackets,
  NUL and control characters, RTL marks and combining marks, BOMs, lone surrogates, entity
  strings, replacement characters), and :func:`hostile_text`, a hypothesis strategy mixing them
  with ordinary news prose;
- :func:`hostile_pages`: whole texts and HTML pages (5,000-level nesting, entity bombs, very
  long lines, mixed encodings, byte-order marks), as ``(name, bytes or str)``;
- :func:`write_hostile_files`: a folder of hostile files of every kind the readers take (text,
  HTML, JSON Lines, RSS/Atom, WARC, each perhaps gzipped, truncated or a bomb), named by kind;
- :func:`gzip_bomb`: gzip data that expands to ``size`` bytes from about a thousandth of that.

Everything is deterministic: the same call gives the same bytes.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import random
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

PROSE = (
    "Gunmen attacked a convoy near Goma on Tuesday, killing at least 12 people, officials said. "
    '"We heard the shots at dawn," a resident told Reuters. The army said it had sent troops '
    "to the area and that 40 people were wounded in the attack on the road to Sake.\n\n"
)

FRAGMENTS: tuple[str, ...] = (
    # unbalanced quotes and brackets
    '"',
    "\u201c",
    "\u201d",
    "\u00ab",
    "'",
    "(",
    ")",
    "[",
    "]]]",
    "{{",
    '"He said (the [convoy',
    ")) \u201d\u201d said",
    "<",
    ">",
    "</p>",
    "<p",
    # NUL and control characters, odd line breaks
    "\x00",
    "\x01\x02\x03",
    "\x07",
    "\x0b",
    "\x0c",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\r",
    "\r\n",
    "\t\t",
    "\n\n\n",
    "   ",
    "\u00a0",
    "\u3000",
    # RTL, bidi controls and combining marks
    "\u202e",
    "\u200f",
    "\u061c",
    "\u2066\u2069",
    "\u0642\u062a\u0644 12 \u0634\u062e\u0635\u0627",
    "\u05e9\u05dc\u05d5\u05dd",
    "a\u0301\u0302\u0303\u0304\u0305",
    "\u0301" * 40,
    "Z\u0335\u0321\u0322a\u0337\u0328l\u0336g\u0334o\u0338",
    "\u200b\u200c\u200d",
    # byte-order marks, replacement and special characters
    "\ufeff",
    "\ufffd" * 8,
    "\ufffe",
    "\U0001f4a5",
    "\U000e0001",
    # lone surrogates (a str can hold them; UTF-8 cannot)
    "\ud800",
    "\udfff",
    "\udcff\udce9",
    # entity strings, as text
    "&#0;",
    "&#x0;",
    "&#xD800;",
    "&#x110000;",
    "&#99999999999999999999999;",
    "&amp;amp;amp;",
    "&nbsp;" * 20,
    "&lt;script&gt;",
    # numbers and dates out of range
    "9" * 400,
    "1e999 people",
    "killed -0 and 00000000000000012 people",
    "on 31 February 99999",
    "0x7fffffff",
    # wire furniture without its article
    "(Reuters) -",
    "KIGALI, Rwanda (AP) \u2014",
    "Photo: AFP",
    "\u00a9 2024",
    "Read more:",
)


def hostile_text(*, max_parts: int = 40) -> st.SearchStrategy[str]:
    """Text mixing hostile fragments, pieces of news prose and random characters."""
    words = st.sampled_from(PROSE.split(" "))
    part = st.one_of(
        st.sampled_from(FRAGMENTS),
        words,
        st.just(PROSE),
        st.text(max_size=20),
        st.builds(lambda s, n: s * n, st.sampled_from(FRAGMENTS), st.integers(2, 200)),
    )
    return st.lists(part, max_size=max_parts).map("".join)


# --- whole texts and pages -------------------------------------------------------------------


def nested_html(depth: int = 5000, tag: str = "div") -> str:
    """A page whose article text sits ``depth`` elements deep, never closed or closed."""
    return (
        "<html><head><title>Nested</title></head><body>"
        + f"<{tag}>" * depth
        + f"<p>{PROSE}</p>"
        + f"</{tag}>" * depth
        + "</body></html>"
    )


def hostile_pages() -> list[tuple[str, str | bytes]]:
    """Whole inputs, as analyse() and ingest.read take them: ``(name, data)``."""
    article = PROSE * 3
    pages: list[tuple[str, str | bytes]] = [
        ("nested-div-5000", nested_html(5000)),
        ("nested-unclosed-5000", "<html><body>" + "<div><span>" * 5000 + article),
        ("nested-table-2000", nested_html(2000, "table")),
        ("nested-inline-5000", nested_html(5000, "b")),
        ("nested-list-3000", "<ul><li>" * 3000 + article),
        ("entity-nul", f"<html><body><p>{'&#0;' * 2000}{article}</p></body></html>"),
        ("entity-huge", f"<p>{'&#99999999999999999999;&#x110000;&#xD800;' * 300}{article}</p>"),
        ("entity-amp", f"<p>{'&amp;' * 20000}{article}</p>"),
        ("entity-named-unknown", f"<p>{'&bogus;&lol9;' * 2000}{article}</p>"),
        (
            "entity-doctype-laughs",
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            f"<html><body><p>&lol2;&lol2; {article}</p></body></html>",
        ),
        ("text-nul-sprinkled", article.replace(" ", "\x00 ", 20)),
        ("text-controls", "".join(chr(c) for c in range(32)) * 50 + article),
        ("text-rtl", "\u202e" + article + "\u202c" + "\u0642\u062a\u0644 " * 200),
        ("text-combining", "".join(ch + "\u0301\u0302" for ch in article)),
        ("text-quotes", '"' * 501 + article + "\u201c(" * 300),
        ("text-brackets", "(" * 3000 + article + "]" * 3000),
        ("text-long-line", "a" * 300_000 + " " + article),
        ("text-long-word-line", ("convoy " * 40_000) + article),
        ("text-long-no-space-punct", ("killed," * 20_000) + article),
        ("text-surrogates", article + "\ud800 name \udfff" * 20),
        ("text-replacement", article + "\ufffd" * 5000 + " Reuters"),
        ("text-whitespace-run", article + " " * 100_000 + "\n" * 20_000 + article),
        ("text-lines", "\n".join(["Killed."] * 5_000)),
        ("text-signoff-fffd", article + "Reporting by Ann Lee" + "\ufffd" * 3000),
        ("bytes-bom-utf8", b"\xef\xbb\xbf" + article.encode()),
        ("bytes-bom-utf8-twice", b"\xef\xbb\xbf\xef\xbb\xbf" + article.encode()),
        ("bytes-bom-utf16-odd", b"\xff\xfe" + article.encode("utf-16-le") + b"\x00"),
        ("bytes-bom-utf16-be-in-le", b"\xfe\xff" + article.encode("utf-16-le")),
        ("bytes-bom-utf32", b"\xff\xfe\x00\x00" + article.encode("utf-32-le")[:-1]),
        ("bytes-bomless-utf16", article.encode("utf-16-le")),
        (
            "bytes-mixed-encodings",
            article.encode("utf-8")
            + "caf\u00e9 na\u00efve".encode("latin-1")
            + "\u4e2d\u6587".encode("gb2312")
            + "\u043c\u0438\u0440".encode("koi8-r")
            + article.encode("utf-16"),
        ),
        ("bytes-invalid-utf8", article.encode() + bytes(range(128, 256)) * 20),
        ("bytes-overlong-utf8", b"\xc0\xaf\xe0\x80\xaf" * 200 + article.encode()),
        ("bytes-surrogate-utf8", b"\xed\xa0\x80" * 100 + article.encode()),
        (
            "bytes-meta-charset-lies",
            b'<html><head><meta charset="utf-16"><meta http-equiv="Content-Type" '
            b'content="text/html; charset=rot13"></head><body><p>'
            + article.encode("cp1252")
            + b"</p></body></html>",
        ),
        (
            "bytes-meta-charset-huge",
            b'<meta charset="' + b"x" * 10_000 + b'"><p>' + article.encode() + b"</p>",
        ),
        ("html-unclosed-comment", f"<p>{article}</p><!-- {article}"),
        ("html-unclosed-script", f"<p>{article}</p><script>{article}"),
        ("html-cdata", f"<![CDATA[{article}]]><p>{article}</p>"),
        ("html-only-tags", "<p></p>" * 5000),
        ("html-attrs-huge", f'<p class="{"x" * 100_000}">{article}</p>'),
        ("html-attrs-many", "<p " + " ".join(f"a{i}=1" for i in range(5000)) + f">{article}</p>"),
        (
            "html-figure-in-entity",
            f"<p>General Ahmad</p><figure>Photo AFP</figure><p>{article}</p>",
        ),
        ("html-title-only", "<html><head><title>" + "Attack " * 2000 + "</title></head></html>"),
    ]
    return pages


# --- files of every kind ----------------------------------------------------------------------


def gzip_bomb(size: int, *, fill: bytes = b"a", prefix: bytes = b"", suffix: bytes = b"") -> bytes:
    """gzip data that expands to ``prefix``, ``size`` bytes of ``fill`` and ``suffix``, made
    of many identical gzip members (a reader sees one stream), so it costs milliseconds to make."""
    chunk = 1 << 20
    member = gzip.compress(fill * (chunk // len(fill)), compresslevel=9, mtime=0)
    parts = [gzip.compress(prefix, mtime=0)] if prefix else []
    parts += [member] * (size // chunk)
    if suffix:
        parts.append(gzip.compress(suffix, mtime=0))
    return b"".join(parts)


def deflate_bomb(size: int, *, fill: bytes = b"a") -> bytes:
    """One gzip member expanding to ``size`` bytes of ``fill`` (a single stream, for readers
    that read only the first member, such as an HTTP Content-Encoding). A full flush after a
    block resets the compressor, so the block compresses the same each time: it is made once
    and repeated."""
    block = fill * ((1 << 20) // len(fill))
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    packed = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    count = size // len(block)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc, (len(block) * count) & 0xFFFFFFFF)
    return header + packed * count + packer.flush() + trailer


def warc(records: list[tuple[str, bytes, dict[str, str]]], *, gzipped: bool = False) -> bytes:
    """A WARC file of ``response`` records: (url, HTTP payload, extra HTTP headers)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    for url, payload, extra in records:
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), *extra.items()],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(payload), http_headers=headers
        )
        writer.write_record(record)
    return buffer.getvalue()


def feed(items: list[str], *, head: str = "") -> str:
    """An RSS 2.0 feed around ``items`` (each the inside of one ``<item>``)."""
    body = "".join(f"<item>{item}</item>" for item in items)
    channel = f"<channel><title>T</title>{body}</channel>"
    return f'<?xml version="1.0"?>{head}<rss version="2.0">{channel}</rss>'


def _noise(seed: int) -> str:
    """Text that does not compress, so that cutting its gzip cuts the data."""
    return random.Random(seed).randbytes(2000).hex()


def _jsonl(lines: list[object]) -> bytes:
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


@functools.cache
def hostile_files() -> dict[str, dict[str, bytes]]:
    """Hostile files by reader kind: ``{kind: {file name: bytes}}``."""
    article = PROSE * 3
    page = f"<html><body><p>{article}</p></body></html>"
    texts: dict[str, bytes] = {}
    for name, data in hostile_pages():
        raw = data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass")
        suffix = ".html" if raw.lstrip().startswith((b"<", b"\xef\xbb\xbf<")) else ".txt"
        texts[name + suffix] = raw
    texts["truncated.txt.gz"] = gzip.compress((article + _noise(0)).encode())[:-300]
    texts["gzip-of-garbage.txt.gz"] = b"\x1f\x8b\x08\x00" + bytes(range(256)) * 4
    texts["gzip-header-only.txt.gz"] = b"\x1f\x8b"
    texts["empty.txt"] = b""
    texts["nul-only.txt"] = b"\x00" * 1000
    texts["double-gzip.txt.gz"] = gzip.compress(gzip.compress(article.encode()))

    laughs_head = (
        '<!DOCTYPE rss [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
            for i in range(1, 10)
        )
        + "]>"
    )
    deep = "<div>" * 5000 + article + "</div>" * 5000
    feeds = {
        "billion-laughs.rss": feed(
            ["<title>A</title><description>&lol9;</description>"], head=laughs_head
        ),
        "external-entity.rss": feed(
            ["<description>&xxe;</description>"],
            head='<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        ),
        "nested-xml-5000.rss": feed(
            [
                "<title>Deep</title><description>"
                + "<x>" * 5000
                + "a"
                + "</x>" * 5000
                + "</description>"
            ]
        ),
        "xhtml-nested-5000.atom": (
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><title>D'
            '</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
            + deep
            + "</div></content></entry></feed>"
        ),
        "escaped-nested-5000.rss": feed(
            ["<title>E</title><description><![CDATA[" + deep + "]]></description>"]
        ),
        "entities-in-item.rss": feed(
            [
                "<title>&#0;</title><description>&amp;#0;"
                + "&#38;#99999999;" * 500
                + f"{article}</description>"
            ]
        ),
        "bad-char-ref.rss": feed([f"<description>&#0;{article}</description>"]),
        "huge-char-ref.rss": feed([f"<description>&#99999999999999;{article}</description>"]),
        "truncated.rss": feed([f"<description>{article}</description>"] * 3)[:-200],
        "unclosed-item.rss": "<rss><channel><item><description>" + article,
        "rtl-guid.rss": feed([f"<guid>\u202e\ud7ff\ufffd</guid><description>{page}</description>"]),
        "many-items.rss": feed(["<description>x</description>"] * 300),
        "deep-channel.rss": "<rss><channel>" + "<x>" * 5000 + "</x>" * 5000 + "</channel></rss>",
        "bom-feed.rss": "\ufeff" + feed([f"<description>{article}</description>"]),
        "weird-dates.rss": feed(
            [
                f"<pubDate>{value}</pubDate><description>{article}</description>"
                for value in ("Tue, 99 Foo 99999 99:99:99 +9999", "9" * 400, "\x00", "-0001-01-01")
            ]
        ),
        "weird-links.atom": (
            '<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="\u202e"/>'
            '<link rel="alternate"/><content type="text/xml"></content>'
            f"<summary>{article}</summary></entry></feed>"
        ),
    }
    feed_files = {name: data.encode("utf-8", "surrogatepass") for name, data in feeds.items()}
    feed_files["latin1-declared-utf8.rss"] = feed(
        [f"<description>caf\u00e9 {article}</description>"]
    ).encode("latin-1")
    feed_files["utf16.rss"] = (
        feed([f"<description>{article}</description>"])
        .replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="utf-16"?>')
        .encode("utf-16")
    )
    feed_files["gzip-bomb.rss.gz"] = gzip_bomb(
        64 << 20, prefix=b"<rss><channel><item><description>", suffix=b"</description></item>"
    )

    jsonl = {
        "hostile.jsonl": _jsonl(
            [
                {"text": name + " " + (data if isinstance(data, str) else data.decode("latin-1"))}
                for name, data in hostile_pages()[:20]
            ]
        ),
        "nested-json.jsonl": b"[" * 100_000 + b"\n" + b'{"text": ' * 5000 + b"\n",
        "numbers.jsonl": b'{"text": "a", "id": 1e999}\n{"text": "b", "id": 1' + b"9" * 30 + b"}\n",
        "odd-fields.jsonl": _jsonl(
            [
                {"text": PROSE, "url": "\u202e\x00", "published": "99999-99-99", "id": "\ud800"},
                {"html": page, "published": "9" * 400, "origin": "x" * 10_000},
                {"text": PROSE, "published": "Tue, 99 Foo 2021"},
                {"text": PROSE, "id": True, "url": ""},
            ]
        ).replace(b"\\ud800", b"\\udc80\\ud800"),
        "lone-surrogate-escape.jsonl": b'{"text": "\\ud800\\udfff\\udc00 Gun", "id": "\\udfff"}\n',
        "bom-every-line.jsonl": b"\xef\xbb\xbf"
        + _jsonl([{"text": PROSE}]) * 2
        + b"\xef\xbb\xbf{}\n",
        "crlf-and-nul.jsonl": b'{"text": "a"}\r\n\x00\n\r\n{"text":"\\u0000"}\n',
        "long-line.jsonl": b'{"text": "' + b"a " * 100_000 + b'"}\n',
        "truncated.jsonl.gz": gzip.compress(
            _jsonl([{"text": PROSE + _noise(i)} for i in range(50)])
        )[:-500],
        "gzip-bomb.jsonl.gz": gzip_bomb(1 << 30, prefix=b'{"text": "', suffix=b'"}\n'),
    }

    payload = page.encode()
    records = [
        ("http://e.org/a", payload, {}),
        ("http://e.org/\u202e", deep.encode(), {}),
        ("http://e.org/nul", b"\x00" * 100 + payload, {"Content-Type": "text/html; charset=hex"}),
    ]
    plain = warc(records)
    zipped = warc(records, gzipped=True)
    warcs = {
        "hostile.warc": plain,
        "hostile.warc.gz": zipped,
        "truncated.warc": plain[: len(plain) // 2],
        "truncated-gz.warc.gz": zipped[: len(zipped) - 100],
        "truncated-header.warc": plain[:40],
        "garbage-after.warc": plain + b"\x00garbage" * 100,
        "bad-length.warc": plain.replace(b"Content-Length: ", b"Content-Length: 9", 1),
        "negative-length.warc": plain.replace(b"Content-Length: ", b"Content-Length: -", 1),
        "content-encoding-bomb.warc": warc(
            [
                (
                    "http://e.org/bomb",
                    deflate_bomb(1 << 30),
                    {"Content-Encoding": "gzip"},
                ),
                ("http://e.org/after", payload, {}),
            ]
        ),
        "content-encoding-lie.warc": warc(
            [("http://e.org/lie", payload, {"Content-Encoding": "gzip"})]
        ),
        "chunked-lie.warc": warc(
            [("http://e.org/chunk", payload, {"Transfer-Encoding": "chunked"})]
        ),
    }
    return {"text": texts, "jsonl": jsonl, "feed": feed_files, "warc": warcs}


def write_hostile_files(
    folder: Path, *, kinds: Callable[[str], bool] = lambda kind: True
) -> dict[str, list[Path]]:
    """Write :func:`hostile_files` under ``folder``, one sub-folder per kind; return the paths
    by kind."""
    written: dict[str, list[Path]] = {}
    for kind, files in hostile_files().items():
        if not kinds(kind):
            continue
        (folder / kind).mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            path = folder / kind / name
            path.write_bytes(data)
            written.setdefault(kind, []).append(path)
    return written

"""Tests for newsdesk.stages.readers: paths to a stream of inputs, never losing one."""

from __future__ import annotations

import gzip
import json
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator  # type: ignore[import-untyped]
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from newsdesk.records import Input, Rejected
from newsdesk.settings import InputSettings, load_settings
from newsdesk.stages.readers import count_inputs, iter_inputs, skipped_files

LIMIT = 2_000
INPUT = InputSettings(max_input_bytes=LIMIT, min_text_chars=40, languages=("en",))

ARTICLE = "Fighters gathered near the valley entrance on Tuesday, officials said."
PAGE = f"<html><head><title>Valley</title></head><body><p>{ARTICLE}</p></body></html>"


def _read(*paths: Path) -> list[Input | Rejected]:
    return list(iter_inputs(list(paths), settings=INPUT))


def _origins(values: list[Input | Rejected]) -> list[str | None]:
    return [value.origin if isinstance(value, Input) else value.source for value in values]


def _codes(values: list[Input | Rejected]) -> list[str]:
    return [value.code for value in values if isinstance(value, Rejected)]


# --- folders and plain files ---------------------------------------------------------------


def test_readers_folder_recursive_sorted_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.html").write_text(PAGE)
    (tmp_path / "b" / "one.txt").write_text(ARTICLE)
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / ".hidden.txt").write_text(ARTICLE)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.txt").write_text(ARTICLE)
    (tmp_path / "c.htm").write_text(PAGE)
    values = _read(tmp_path)
    assert _origins(values) == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "one.txt"),
        str(tmp_path / "b" / "two.html"),
        str(tmp_path / "c.htm"),
    ]
    assert all(isinstance(value, Input) for value in values)
    assert values[0].data == ARTICLE.encode()  # type: ignore[union-attr]
    assert count_inputs([tmp_path]) == 4


def test_readers_folder_reads_only_article_types_and_names_the_rest(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# My corpus\n\nThese reports were collected in May.")
    (tmp_path / "notes.csv").write_text("id,title\n1,Valley\n")
    (tmp_path / "story.txt").write_text(ARTICLE)
    (tmp_path / "story.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (tmp_path / "feed.xml").write_text(
        "<rss><channel><item><title>Valley</title>"
        f"<description>{ARTICLE}</description></item></channel></rss>"
    )
    (tmp_path / "scan.bin").write_bytes(bytes(range(256)) * 4)
    values = _read(tmp_path)
    origins = _origins(values)
    assert str(tmp_path / "README.md") not in origins
    assert str(tmp_path / "notes.csv") not in origins
    assert str(tmp_path / "story.txt") in origins
    assert str(tmp_path / "story.html.gz") in origins
    assert any(str(origin).startswith(str(tmp_path / "feed.xml")) for origin in origins)
    # Binary data still reaches a reader, which rejects it with its reason.
    assert _codes(values) == ["R103"]
    assert skipped_files([tmp_path]) == [tmp_path / "README.md", tmp_path / "notes.csv"]
    assert count_inputs([tmp_path]) == len(values)
    # A file named on its own is read whatever its name.
    assert _origins(_read(tmp_path / "README.md")) == [str(tmp_path / "README.md")]
    assert skipped_files([tmp_path / "README.md"]) == []


def test_readers_explicit_hidden_file_is_read(tmp_path: Path) -> None:
    hidden = tmp_path / ".notes.txt"
    hidden.write_text(ARTICLE)
    assert _origins(_read(hidden)) == [str(hidden)]


def test_readers_symlink_loop_is_safe(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text(ARTICLE)
    (tmp_path / "a" / "loop").symlink_to(tmp_path)
    values = _read(tmp_path)
    assert _origins(values) == [str(tmp_path / "a" / "x.txt")]


def test_readers_too_large_file_is_rejected_not_loaded(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * LIMIT)
    (value,) = _read(big)
    assert isinstance(value, Rejected)
    assert value.code == "R104"
    assert value.source == str(big)
    assert str(LIMIT * 5) in value.reason


def test_readers_binary_file_is_rejected(tmp_path: Path) -> None:
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (value,) = _read(picture)
    assert isinstance(value, Rejected)
    assert (value.code, value.source) == ("R103", str(picture))


def test_readers_utf16_text_is_not_binary(tmp_path: Path) -> None:
    path = tmp_path / "windows.txt"
    path.write_bytes(ARTICLE.encode("utf-16-le"))
    (value,) = _read(path)
    assert isinstance(value, Input)


def test_readers_missing_path_is_rejected(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    (value,) = _read(missing)
    assert isinstance(value, Rejected)
    assert (value.code, value.source) == ("R109", str(missing))


def test_readers_gzip_found_by_magic_bytes(tmp_path: Path) -> None:
    path = tmp_path / "article.html"  # gzipped, though its name does not say so
    path.write_bytes(gzip.compress(PAGE.encode()))
    (value,) = _read(path)
    assert isinstance(value, Input)
    assert value.data == PAGE.encode()


def test_readers_gzip_bomb_stops_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * (LIMIT * 100)))
    (value,) = _read(path)
    assert isinstance(value, Rejected)
    assert value.code == "R104"


def test_readers_truncated_gzip_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "cut.jsonl.gz"
    lines = "".join(json.dumps({"text": f"{ARTICLE} {n}"}) + "\n" for n in range(200))
    path.write_bytes(gzip.compress(lines.encode())[:300])
    values = _read(path)
    assert values[-1].code == "R114"  # type: ignore[union-attr]
    assert all(isinstance(value, Input) for value in values[:-1])


# --- JSON Lines ----------------------------------------------------------------------------

JSONL_LINES = [
    json.dumps({"text": ARTICLE, "url": "https://example.org/a", "published": "2021-08-24"}),
    "",
    "{not json",
    json.dumps({"html": PAGE, "id": "wire-7", "published": "Tue, 24 Aug 2021 10:00:00 GMT"}),
    json.dumps({"title": "no body"}),
    json.dumps(["a", "list"]),
    json.dumps({"text": ARTICLE, "url": 5}),
    json.dumps({"text": "x" * (LIMIT + 10)}),
    json.dumps({"text": ARTICLE}),
]


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_readers_jsonl(tmp_path: Path, compress: bool) -> None:
    content = "\n".join(JSONL_LINES).encode()
    path = tmp_path / ("articles.jsonl.gz" if compress else "articles.jsonl")
    path.write_bytes(gzip.compress(content) if compress else content)
    values = _read(path)
    assert _origins(values) == [
        f"{path}:1",
        f"{path}:3",
        f"{path}:4#wire-7",
        f"{path}:5",
        f"{path}:6",
        f"{path}:7",
        f"{path}:8",
        f"{path}:9",
    ]
    first, bad_json, html_line, no_body, a_list, bad_url, too_big, last = values
    assert isinstance(first, Input)
    assert (first.data, first.url, first.published) == (
        ARTICLE,
        "https://example.org/a",
        "2021-08-24",
    )
    assert isinstance(html_line, Input)
    assert (html_line.data, html_line.url, html_line.published) == (PAGE, None, "2021-08-24")
    assert _codes([bad_json, no_body, a_list, bad_url, too_big]) == [
        "R110",
        "R111",
        "R111",
        "R111",
        "R104",
    ]
    assert "Line 3" in bad_json.reason  # type: ignore[union-attr]
    assert isinstance(last, Input)
    assert count_inputs([path]) == len(JSONL_LINES)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3_000))
def test_readers_jsonl_arbitrary_bytes_never_raise(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_bytes(data)
    values = _read(path)
    assert all(isinstance(value, Input | Rejected) for value in values)
    assert all((origin or "").startswith(str(path)) for origin in _origins(values))
    count_inputs([path])  # an int, or None for a damaged gzip stream; never an exception


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    lines=st.lists(
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=20),
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(
                    st.sampled_from(["text", "html", "url", "published", "id"]), inner
                )
            ),
            max_leaves=8,
        ),
        max_size=5,
    )
)
def test_readers_jsonl_arbitrary_json_never_raises(tmp_path: Path, lines: list[object]) -> None:
    path = tmp_path / "fuzz.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines))
    values = _read(path)
    assert len(values) == len(lines)


# --- feeds ---------------------------------------------------------------------------------

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Desk</title>
  <link>https://example.org/</link>
  <item>
    <title>Valley standoff</title>
    <link>https://example.org/valley</link>
    <guid isPermaLink="false">story-1</guid>
    <pubDate>Tue, 24 Aug 2021 23:30:00 -0500</pubDate>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>{ARTICLE}</p><p>More text.</p>]]></content:encoded>
  </item>
  <item>
    <title>Second</title>
    <link>https://example.org/second</link>
    <description>&lt;p&gt;{ARTICLE}&lt;/p&gt;</description>
  </item>
  <item>
    <title>Link only</title>
    <link>https://example.org/empty</link>
  </item>
</channel>
</rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Desk</title>
  <entry>
    <title>Atom one</title>
    <id>urn:uuid:1</id>
    <link rel="alternate" href="https://example.org/atom-1"/>
    <updated>2021-08-25T08:00:00Z</updated>
    <published>2021-08-24T08:00:00+04:30</published>
    <summary>Summary only.</summary>
    <content type="html">&lt;p&gt;{ARTICLE}&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Atom two</title>
    <id>urn:uuid:2</id>
    <link href="https://example.org/atom-2"/>
    <updated>2021-08-26T08:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>{ARTICLE}</p></div></content>
  </entry>
</feed>
"""


def test_readers_rss(tmp_path: Path) -> None:
    path = tmp_path / "desk.rss"
    path.write_text(RSS)
    first, second, empty = _read(path)
    assert isinstance(first, Input)
    assert first.origin == f"{path}#story-1"
    assert first.url == "https://example.org/valley"
    assert first.published == "2021-08-24"  # the publisher's date, not UTC's
    assert isinstance(first.data, str)
    assert "<title>Valley standoff</title>" in first.data
    assert f"<p>{ARTICLE}</p>" in first.data
    assert "Short teaser" not in first.data  # content:encoded wins over description
    assert isinstance(second, Input)
    assert (second.origin, second.published) == (f"{path}#2", None)
    assert f"<p>{ARTICLE}</p>" in second.data
    assert isinstance(empty, Rejected)
    assert (empty.code, empty.source) == ("R113", f"{path}#3")
    assert count_inputs([path]) == 3


def test_readers_atom_detected_by_content(tmp_path: Path) -> None:
    path = tmp_path / "desk.xml"
    path.write_text(ATOM)
    first, second = _read(path)
    assert isinstance(first, Input) and isinstance(second, Input)
    assert (first.origin, first.url, first.published) == (
        f"{path}#urn:uuid:1",
        "https://example.org/atom-1",
        "2021-08-24",
    )
    assert f"<p>{ARTICLE}</p>" in first.data
    assert (second.url, second.published) == ("https://example.org/atom-2", "2021-08-26")
    assert f"<div><p>{ARTICLE}</p></div>" in second.data
    assert count_inputs([path]) == 2


def test_readers_broken_feed_keeps_items_before_the_break(tmp_path: Path) -> None:
    path = tmp_path / "cut.rss"
    path.write_text(RSS[: RSS.index("<title>Link only")])
    values = _read(path)
    assert [type(value) for value in values] == [Input, Input, Rejected]
    assert _codes(values) == ["R112"]
    assert values[-1].source == f"{path}#3"  # type: ignore[union-attr]


def test_readers_feed_with_entity_expansion_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lol.rss"
    entities = '<!ENTITY a "aaaaaaaaaa">' + "".join(
        f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(8)
    )
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE rss [{entities}]>'
        "<rss><channel><item><description>&i;</description></item></channel></rss>"
    )
    values = _read(path)
    assert _codes(values) == ["R112"]


# --- WARC ----------------------------------------------------------------------------------


def _warc(path: Path, *, gzipped: bool) -> None:
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    uri = "https://example.org/valley"
    request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
    writer.write_record(writer.create_warc_record(uri, "request", http_headers=request))
    page = PAGE.encode()
    for target, content_type, body in (
        (uri, "text/html; charset=utf-8", page),
        ("https://example.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n"),
        ("https://example.org/big", "text/html", b"<p>" + b"x" * LIMIT + b"</p>"),
    ):
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", content_type), ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                target, "response", payload=BytesIO(body), http_headers=headers
            )
        )
    path.write_bytes(buffer.getvalue())


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
def test_readers_warc(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    _warc(path, gzipped=gzipped)
    page, too_big = _read(path)
    assert isinstance(page, Input)
    assert page.data == PAGE  # decoded with the charset the HTTP header names
    assert page.url == "https://example.org/valley"
    assert page.published is None  # WARC-Date is the crawl date
    assert page.origin is not None and page.origin.startswith(f"{path}#")
    offset = int(page.origin.rsplit("#", 1)[1])
    assert offset > 0  # after the request record
    with path.open("rb") as file:
        file.seek(offset)
        head = file.read(64)
    assert head.startswith(b"\x1f\x8b" if gzipped else b"WARC/1")
    assert isinstance(too_big, Rejected)
    assert too_big.code == "R104"
    assert count_inputs([path]) == 2


def test_readers_warc_detected_by_content(tmp_path: Path) -> None:
    path = tmp_path / "crawl.bin"
    _warc(path, gzipped=True)
    assert [type(value) for value in _read(path)] == [Input, Rejected]


def test_readers_not_a_warc_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text(ARTICLE)
    (value,) = _read(path)
    assert isinstance(value, Rejected)
    assert (value.code, value.source) == ("R114", f"{path}#0")


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("cut", [40, 200, 400, 600])
def test_readers_truncated_warc_keeps_records_before_the_cut(
    tmp_path: Path, gzipped: bool, cut: int
) -> None:
    path = tmp_path / "crawl.warc"
    _warc(path, gzipped=gzipped)
    path.write_bytes(path.read_bytes()[:-cut])
    values = _read(path)
    assert [type(value) for value in values] == [Input, Rejected]
    assert _codes(values) == ["R114"]


def _short_length(path: Path, *, target: bytes, by: int) -> None:
    """Lower by ``by`` the WARC Content-Length of the record for ``target``: the record then
    ends before its content does, as a broken crawler writes it."""
    data = path.read_bytes()
    header_start = data.index(b"WARC-Target-URI: " + target)
    field = data.index(b"\r\nContent-Length: ", header_start) + len(b"\r\nContent-Length: ")
    field_end = data.index(b"\r\n", field)
    length = int(data[field:field_end]) - by
    path.write_bytes(data[:field] + str(length).encode() + data[field_end:])


def test_readers_warc_wrong_content_length_is_rejected_quietly(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "crawl.warc"
    _warc(path, gzipped=False)
    _short_length(path, target=b"https://example.org/logo.png", by=5)
    # warcio itself writes a warning to stderr on such a record ...
    with path.open("rb") as file:
        records = ArchiveIterator(file)
        for _ in range(3):  # the request, the page, the logo with its short length
            next(records)
            records.get_record_offset()
    assert "Content-Length is invalid" in capfd.readouterr().err
    # ... which the reader keeps out of the terminal, reporting the damage as its own R114.
    values = _read(path)
    assert [type(value) for value in values] == [Input, Rejected]
    assert isinstance(values[1], Rejected) and values[1].code == "R114"
    assert "Content-Length does not fit" in values[1].reason
    assert count_inputs([path]) is None  # warcio fails on what follows: no estimate
    assert capfd.readouterr() == ("", "")


# --- order and mixtures --------------------------------------------------------------------


def test_readers_order_is_deterministic(tmp_path: Path) -> None:
    (tmp_path / "feed.rss").write_text(RSS)
    (tmp_path / "lines.jsonl").write_text("\n".join(JSONL_LINES))
    _warc(tmp_path / "crawl.warc.gz", gzipped=True)
    (tmp_path / "z.txt").write_text(ARTICLE)
    first = _read(tmp_path, tmp_path / "z.txt")
    assert first == _read(tmp_path, tmp_path / "z.txt")
    assert count_inputs([tmp_path, tmp_path / "z.txt"]) == 2 + 3 + len(JSONL_LINES) + 1 + 1
    assert len(first) == 2 + 3 + len(JSONL_LINES) - 1 + 1 + 1  # the blank line yields nothing


# --- hostile structures the fuzz test found (issue 11) -------------------------------------


def test_readers_atom_xhtml_content_nested_thousands_deep_is_read(tmp_path: Path) -> None:
    # Serialising the item's XHTML content recursed once per level, past Python's limit.
    deep = "<div>" * 5000 + ARTICLE + "</div>" * 5000
    path = tmp_path / "deep.atom"
    path.write_text(
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>Deep</title>'
        '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        f"{deep}</div></content></entry></feed>",
        encoding="utf-8",
    )
    values = list(iter_inputs([path], settings=load_settings().input))
    assert len(values) == 1 and isinstance(values[0], Input)
    assert isinstance(values[0].data, str)
    assert ARTICLE in values[0].data and values[0].data.count("<div>") == 5001


def test_readers_warc_header_cut_before_its_type_is_damaged(tmp_path: Path) -> None:
    # warcio fails with an AttributeError on a record header without WARC-Type.
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "http://e.org/a", "response", payload=BytesIO(PAGE.encode()), http_headers=headers
        )
    )
    path = tmp_path / "cut.warc"
    path.write_bytes(buffer.getvalue()[:40])
    values = _read(path)
    assert _codes(values) == ["R114"]
    assert isinstance(values[0], Rejected) and "broken record header" in values[0].reason
    assert count_inputs([path]) is None  # an estimate it cannot make, not a crash


def test_readers_unforeseen_reader_failure_rejects_that_file_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsdesk.stages import readers

    def broken(path: Path, *, limit: int, part: object = None) -> object:
        yield Input(data=ARTICLE, origin=f"{path}:1")
        raise RuntimeError("a bug meeting hostile bytes")

    monkeypatch.setattr(readers, "_read_jsonl", broken)
    (tmp_path / "a.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    values = _read(tmp_path)
    assert _origins(values) == [
        f"{tmp_path / 'a.jsonl'}:1",
        str(tmp_path / "a.jsonl"),
        str(tmp_path / "b.txt"),
    ]
    rejected = values[1]
    assert isinstance(rejected, Rejected) and rejected.code == "R116"
    assert "RuntimeError" in rejected.reason and "jsonl" in rejected.reason

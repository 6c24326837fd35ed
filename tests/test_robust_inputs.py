"""Hostile details of one input that used to escape as exceptions or break records: charset
names of codecs that are no text encodings, names with undecodable bytes, numbers too long
for a float, and feed items too big to hold."""

from __future__ import annotations

import gzip
import json
import math
import os
import tracemalloc
from io import BytesIO
from pathlib import Path

import pytest
import spacy
from warcio.statusandheaders import StatusAndHeaders  # type: ignore[import-untyped]
from warcio.warcwriter import WARCWriter  # type: ignore[import-untyped]

from newsdesk import desk
from newsdesk.components import register_components
from newsdesk.corpus.store import Store
from newsdesk.errors import Reasons
from newsdesk.pipeline import Analyzer
from newsdesk.records import Evidence, Input, Quantity, Rejected
from newsdesk.settings import InputSettings, load_settings
from newsdesk.stages import ingest
from newsdesk.stages.quantities import MAX_AMOUNT, parse_number
from newsdesk.stages.readers import iter_inputs

ARTICLE = "Fighters gathered near the valley entrance on Tuesday, officials said. " * 3
_NOT_TEXT = ("hex", "base64", "rot13", "zip", "bz2", "uu", "quopri", "idna", "unicode_escape")


@pytest.mark.parametrize("name", _NOT_TEXT)
def test_ingest_charset_of_no_text_encoding_is_not_used(name: str) -> None:
    assert ingest.text_codec(name) is None
    page = (
        f'<html><head><meta charset="{name}"><title>Caf\u00e9</title></head>'
        f"<body><p>Caf\u00e9 ol\u00e9. {ARTICLE}</p></body></html>"
    ).encode("cp1252")
    text = ingest.decode(page)
    assert text is not None and "Caf\u00e9 ol\u00e9" in text
    source = ingest.read(page, settings=load_settings().input)
    assert not isinstance(source, Rejected), source


@pytest.mark.parametrize(
    ("name", "codec"),
    [("UTF-8", "utf-8"), ("windows-1252", "cp1252"), ("Shift_JIS", "shift_jis"), ("x", None)],
)
def test_ingest_charset_of_text_encoding_is_its_codec(name: str, codec: str | None) -> None:
    assert ingest.text_codec(name) == codec


def test_readers_warc_charset_of_no_text_encoding_leaves_bytes(tmp_path: Path) -> None:
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    body = f"<html><body><p>{ARTICLE}</p></body></html>".encode()
    for charset in ("hex", "idna", "utf-8"):
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", f"text/html; charset={charset}")],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                "https://example.org/" + charset,
                "response",
                payload=BytesIO(body),
                http_headers=headers,
            )
        )
    path = tmp_path / "crawl.warc"
    path.write_bytes(buffer.getvalue())
    values = list(iter_inputs([path], settings=load_settings().input))
    assert [type(value.data) for value in values if isinstance(value, Input)] == [
        bytes,
        bytes,
        str,
    ]


# --- names with undecodable bytes ----------------------------------------------------------


def test_records_escape_lone_surrogates_in_names() -> None:
    item = Input(data="x", url="https://example.org/\ud800", origin="/in/caf\udce9.txt")
    rejected = Reasons.R109.reject(source="/in/caf\udce9.txt", detail="bad \udcff")
    for value in (item.url, item.origin, rejected.source, rejected.reason):
        assert value is not None
        value.encode("utf-8")  # writable as UTF-8
    assert item.origin == "/in/caf\\udce9.txt"
    json.loads(item.model_dump_json())


@pytest.mark.skipif(os.name != "posix", reason="needs a file system that takes any bytes")
def test_desk_names_with_undecodable_bytes_are_stored(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    try:
        bad = Path(os.fsdecode(bytes(folder) + b"/caf\xe9\xff.txt"))
        bad.write_text("Too short.")
    except (OSError, UnicodeError):
        pytest.skip("the file system refuses undecodable names")
    line = json.dumps({"text": ARTICLE, "id": "\ud800x", "url": "https://e.org/\udcff"})
    (folder / "feed.jsonl").write_text(line + "\n", encoding="utf-8")
    settings = load_settings()
    values = list(iter_inputs([folder], settings=settings.input))
    origins = [v.origin if isinstance(v, Input) else v.source for v in values]
    assert all(origin is not None and origin.encode("utf-8") for origin in origins)
    assert any("\\udce9\\udcff" in (origin or "") for origin in origins)
    jsonl = next(value for value in values if isinstance(value, Input) and value.url)
    assert jsonl.origin is not None and jsonl.origin.endswith("#\\ud800x")
    assert jsonl.url == "https://e.org/\\udcff"
    register_components()
    analyzer = Analyzer(settings=settings, nlp=spacy.blank("en"))
    store = Store(str(tmp_path / "store.sqlite"))
    counts = desk.ingest([folder], store=store, analyzer=analyzer)
    assert counts.ingested == 1 and counts.rejected == 1
    assert set(origins) <= store.known_sources()
    again = desk.ingest([folder], store=store, analyzer=analyzer)
    assert again.already_done == 2


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["9" * 400, "1" + "0" * 20, "9" * 309 + " million"])
def test_quantities_number_too_long_is_not_a_number(text: str) -> None:
    assert parse_number(text) is None


def test_quantities_numbers_up_to_the_bound_are_read() -> None:
    assert parse_number("9,000") == (9000.0, False)
    assert parse_number("3.5 million") == (3_500_000.0, False)
    found = parse_number(f"{int(MAX_AMOUNT):d}")
    assert found is not None and found[0] == MAX_AMOUNT


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, (1.0, math.inf)])
def test_records_quantity_is_finite(value: float | tuple[float, float]) -> None:
    with pytest.raises(ValueError, match="finite"):
        Quantity(value=value, evidence=Evidence(start=0, end=1, text="x"))


# --- feeds ---------------------------------------------------------------------------------

LIMIT = 5_000
INPUT = InputSettings(max_input_bytes=LIMIT, min_text_chars=40, languages=("en",))


def _feed(items: list[str]) -> bytes:
    body = "".join(
        f"<item><title>Item {number}</title><guid>g{number}</guid>"
        f"<description>{text}</description></item>"
        for number, text in enumerate(items, 1)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{body}</channel></rss>'.encode()


def test_readers_feed_item_over_the_limit_is_rejected_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "news.rss"
    path.write_bytes(_feed([ARTICLE, "x" * (LIMIT * 3), ARTICLE]))
    values = list(iter_inputs([path], settings=INPUT))
    assert [type(value) for value in values] == [Input, Rejected, Input]
    assert values[1].code == "R118"  # type: ignore[union-attr]
    assert values[1].source == f"{path}#2"  # type: ignore[union-attr]
    assert values[2].origin == f"{path}#g3"  # type: ignore[union-attr]


def test_readers_feed_gzip_bomb_is_read_in_bounded_memory(tmp_path: Path) -> None:
    """A gzipped feed whose one item unpacks to 40 MB: memory stays far below that."""
    path = tmp_path / "bomb.rss.gz"
    head = b'<?xml version="1.0"?><rss version="2.0"><channel><item><description>'
    tail = f"</description></item><item><description>{ARTICLE}</description></item>"
    with gzip.open(path, "wb") as file:
        file.write(head)
        chunk = b"A" * 1_000_000
        for _ in range(40):
            file.write(chunk)
        file.write(tail.encode() + b"</channel></rss>")
    tracemalloc.start()
    try:
        values = list(iter_inputs([path], settings=INPUT))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [type(value) for value in values] == [Rejected, Input]
    assert values[0].code == "R118"  # type: ignore[union-attr]
    assert peak < 8_000_000

"""Ingest: turn raw bytes or text into a :class:`~newsdesk.records.Source`, or say why not.

Steps: size and binary checks on the raw input; decoding (UTF-8, a byte-order mark, the
HTML's declared charset, then charset-normalizer's guess); main-text and metadata extraction
from HTML with trafilatura and htmldate; text normalisation; metadata from the plain text;
length and language checks. An input that cannot be used is returned as a
:class:`~newsdesk.records.Rejected` value with a reason from :class:`~newsdesk.errors.Reasons`.

Nothing here touches the network: HTML is always handed to trafilatura and htmldate as a parsed
tree, never as a string that could be mistaken for an address to download.
"""

from __future__ import annotations

import codecs
import copy
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import htmldate
import trafilatura
from charset_normalizer import from_bytes
from lingua import LanguageDetector, LanguageDetectorBuilder
from trafilatura.settings import Document

from newsdesk.data.english import english_vocabulary
from newsdesk.dates import day_of
from newsdesk.errors import Reasons
from newsdesk.records import Block, Rejected, Source
from newsdesk.settings import InputSettings, load_settings
from newsdesk.stages.metadata import TextMetadata, extract_metadata, parse_date

__all__ = [
    "decode",
    "detect_language",
    "looks_like_html",
    "normalise_text",
    "read",
    "read_file",
    "text_codec",
]


def read(
    data: bytes | str,
    *,
    settings: InputSettings,
    url: str | None = None,
    published: str | None = None,
    origin: str | None = None,
) -> Source | Rejected:
    """Read one report (plain text or HTML, as bytes or text) into a ``Source``.

    ``published`` (any date form :func:`~newsdesk.stages.metadata.parse_date` reads, such as
    ISO or "Tue, 24 Aug 2021 10:00:00 GMT") wins over a date found in the input; one it cannot
    read counts as absent. ``origin`` names the input in a rejection.
    """
    if len(data) == 0:
        return Reasons.R101.reject(source=origin)
    size = len(data) if isinstance(data, bytes) else len(data.encode("utf-8", "surrogatepass"))
    if size > settings.max_input_bytes:
        return Reasons.R104.reject(source=origin, size=size, limit=settings.max_input_bytes)
    if isinstance(data, bytes):
        decoded = _decode_checked(data, origin=origin)
        if isinstance(decoded, Rejected):
            return decoded
        data = decoded
    return _read_text(data, settings=settings, url=url, published=published, origin=origin)


def read_file(
    path: Path,
    *,
    settings: InputSettings,
    url: str | None = None,
    published: str | None = None,
    origin: str | None = None,
) -> Source | Rejected:
    """Read one file with :func:`read`; a file over ``max_input_bytes`` is never loaded whole."""
    origin = origin if origin is not None else str(path)
    try:
        with path.open("rb") as file:
            data = file.read(settings.max_input_bytes + 1)
            if len(data) > settings.max_input_bytes:
                size = max(path.stat().st_size, len(data))
                return Reasons.R104.reject(source=origin, size=size, limit=settings.max_input_bytes)
    except OSError as exc:
        return Reasons.R109.reject(source=origin, detail=exc.strerror or type(exc).__name__)
    return read(data, settings=settings, url=url, published=published, origin=origin)


# --- binary and decoding -------------------------------------------------------------------

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"\x1f\x8b", "gzip"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"\x7fELF", "ELF"),
    (b"SQLite format 3\x00", "SQLite"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE (old Office document)"),
    (b"OggS", "Ogg"),
    (b"fLaC", "FLAC"),
    (b"\x00asm", "WebAssembly"),
    (b"\x1a\x45\xdf\xa3", "Matroska/WebM"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL_SAMPLE = 100_000
_MAX_CONTROL_SHARE = 0.05
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _decode_checked(data: bytes, *, origin: str | None) -> str | Rejected:
    kind = _binary_signature(data)
    if kind is not None:
        return Reasons.R103.reject(source=origin, detail=f"file signature: {kind}")
    try:
        if not data.startswith(tuple(bom for bom, _ in _BOMS)) and b"\x00" in data:
            utf16 = _bomless_utf16(data)
            if utf16 is None:
                return Reasons.R103.reject(source=origin, detail="NUL bytes")
            return data.decode(utf16)
        text = decode(data)
    except UnicodeDecodeError as exc:
        return Reasons.R105.reject(source=origin, detail=f"{exc.encoding}: {exc.reason}")
    if text is None:
        return Reasons.R105.reject(source=origin, detail="no character encoding fits the bytes")
    return text


_UTF16_SAMPLE = 4096
_UTF16_NUL_SHARE = 0.9


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark, as Windows tools write it: text in the Latin range
    puts a NUL in every other byte, which binary data does not."""
    sample = data[:_UTF16_SAMPLE]
    if len(sample) < 4 or len(sample) % 2:
        return None
    pairs = len(sample) // 2
    if sample[0::2].count(0) / pairs >= _UTF16_NUL_SHARE:
        return "utf-16-be"
    if sample[1::2].count(0) / pairs >= _UTF16_NUL_SHARE:
        return "utf-16-le"
    return None


def _binary_signature(data: bytes) -> str | None:
    head = data[:16]
    if head.startswith(b"RIFF") and len(head) >= 12:
        return "RIFF (" + head[8:12].decode("latin-1").strip() + ")"
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    # bzip2's "BZh" could open a sentence; its block size digit and magic make it sure.
    if head.startswith(b"BZh") and head[3:4].isdigit() and head[4:10] == b"1AY&SY":
        return "bzip2"
    return None


def decode(data: bytes) -> str | None:
    """Bytes as text: UTF-8 when valid, a byte-order mark's encoding, the HTML's declared
    charset, else charset-normalizer's best guess (None when nothing fits).

    Raises ``UnicodeDecodeError`` only when a byte-order mark promises an encoding that the
    bytes then break.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass  # not UTF-8: the declared charset or a guess decides
    declared = _declared_charset(data)
    if declared is not None:
        try:
            return data.decode(declared)
        except UnicodeError:
            pass  # pages often lie about their charset; fall through to the guess
    return _guess_decode(data)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.I)


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if match is None:
        return None
    name = text_codec(match.group(1).decode("ascii"))
    # As browsers do (WHATWG): a page declaring latin-1 or ASCII is read as windows-1252.
    return "cp1252" if name in {"latin-1", "iso8859-1", "ascii"} else name


# Codecs Python calls text encodings that no web page or HTTP header means as a charset:
# they turn escapes or code points written in the text into other characters.
_NOT_CHARSETS = frozenset(
    {"idna", "punycode", "raw-unicode-escape", "unicode-escape", "undefined", "mbcs", "oem"}
)


def text_codec(name: str) -> str | None:
    """Python's name for the text encoding a page or header declares, or None when it names
    none: a charset must decode bytes to text, and ``hex``, ``base64``, ``rot13``, ``zip``,
    ``bz2``, ``uu`` and ``quopri`` are codecs that do not."""
    try:
        info = codecs.lookup(name.strip().lower())
    except LookupError:
        return None
    if info.name in _NOT_CHARSETS:
        return None
    try:
        # Python refuses a codec that is no text encoding before it decodes anything (and
        # decodes nothing at all for empty bytes, so these are not empty).
        b"\x00\x00\x00\x00".decode(info.name)
    except LookupError:
        return None
    except UnicodeError:
        pass  # a text encoding that these four bytes do not fit
    return info.name


def _guess_decode(data: bytes) -> str | None:
    best = from_bytes(data).best()
    if best is None:
        return None
    # Short Western texts fit cp1250, cp1252 and cp1257 equally well, and charset-normalizer
    # then picks the first (cp1250 turns "è" into "č"). News in English is far more often
    # cp1252, so it wins every tie.
    western = from_bytes(data, cp_isolation=["cp1252"]).best()
    if western is not None and western.chaos <= best.chaos:
        return str(western)
    return str(best)


def _control_share(text: str) -> float:
    sample = text[:_CONTROL_SAMPLE]
    return len(_CONTROL.findall(sample)) / len(sample) if sample else 0.0


# --- normalisation -------------------------------------------------------------------------

_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028]")
_PARAGRAPH_SEPARATOR = "\u2029"
# Tried only where a run of spaces starts: from every space of a long run that ends in a word,
# the run was read again to its end each time (quadratic in the run).
_TRAILING_SPACE = re.compile(r"(?<![ \t])[ \t]+$", re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """The text that later offsets point into: NFC, ``\\n`` line ends, no invisible format
    or control characters, every space character a plain space, no trailing spaces, at most
    one blank line in a row, stripped. Words are never changed."""
    text = unicodedata.normalize("NFC", text)
    text = _LINE_BREAKS.sub("\n", text).replace(_PARAGRAPH_SEPARATOR, "\n\n")
    text = _JOINER.sub(_keep_joiner, text.translate(_invisible_table()))
    text = _TRAILING_SPACE.sub("", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


_JOINER = re.compile(r"[\u200c\u200d]")


@lru_cache(maxsize=1)
def _invisible_table() -> dict[int, str | None]:
    """Control, format and surrogate characters removed; every kind of space made a space.

    Unassigned and private-use characters stay: newer emoji are unassigned to an older
    ``unicodedata``, and private-use characters may be a font's icons that carry meaning.
    """
    table: dict[int, str | None] = {}
    for point in range(0x110000):
        category = unicodedata.category(chr(point))
        if category == "Zs" and point != 0x20:
            table[point] = " "
        elif category in {"Cc", "Cf", "Cs"} and chr(point) not in "\n\t\u200c\u200d":
            table[point] = None
    return table


def _keep_joiner(match: re.Match[str]) -> str:
    """A zero-width (non-)joiner spells words in Persian, Urdu and Indic scripts, and builds
    emoji sequences; elsewhere it is debris from copy and paste."""
    text, index = match.string, match.start()
    before = text[index - 1 : index]
    after = text[index + 1 : index + 2]
    inside = all(char and not char.isascii() and ord(char) > 0x24F for char in (before, after))
    return match.group(0) if inside else ""


# --- HTML ----------------------------------------------------------------------------------

_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S
)
_HTML_TAG = re.compile(
    r"<(?:p|div|span|a|br|img|h[1-6]|body|head|meta|title|article|section|figure|figcaption|"
    r"table|tr|td|li|ul|ol|script|style|link|header|footer|nav|main|blockquote|em|strong)"
    r"(?:\s[^<>]*)?/?>",
    re.I,
)
_MIN_TAGS = 3
_TAG_SAMPLE = 100_000


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is HTML: it opens as a document, or holds a few common tags."""
    if _HTML_START.match(text):
        return True
    return len(_HTML_TAG.findall(text[:_TAG_SAMPLE])) >= _MIN_TAGS


@dataclass(frozen=True)
class _Page:
    """What the HTML itself says, before the plain-text metadata is added."""

    text: str
    title: str | None = None
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    hints: tuple[Block, ...] = ()


def _from_html(html: str, *, url: str | None) -> _Page | None:
    if not _HTML_START.match(html):
        html = f"<html><body><div>{html}</div></body></html>"
    tree = trafilatura.load_html(html)
    if tree is None:
        return None
    captions = _captions_as_paragraphs(tree)
    found_date = htmldate.find_date(
        copy.deepcopy(tree), url=url, extensive_search=False, original_date=True
    )
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if not isinstance(doc, Document) or doc.body is None:
        return None
    paragraphs = _paragraphs(doc.body)
    text = normalise_text("\n\n".join(paragraphs))
    if not text:
        return None
    title = _clean(doc.title)
    return _Page(
        text=text,
        title=title,
        publisher=_clean(doc.sitename),
        authors=_split(doc.author, ";"),
        published=_iso_date(found_date) or _iso_date(doc.date),
        url=_clean(doc.url),
        tags=_split(", ".join(doc.tags or ()), ","),
        hints=_hints(text, paragraphs, title=title, captions=captions),
    )


def _captions_as_paragraphs(tree: Any) -> frozenset[str]:
    """Put each ``<figcaption>``'s text where its figure stood, as a paragraph.

    trafilatura drops figures whole; a caption is part of the report (and its photo credit
    a source), so it is kept, and segmentation learns from the hints that it is a caption.
    """
    captions: set[str] = set()
    for caption in list(tree.iter("figcaption")):
        words = " ".join(" ".join(caption.itertext()).split())
        if not words:
            continue
        outer = caption
        # Climb out of wrappers that hold nothing but this caption (figure, picture, div).
        while (
            (parent := outer.getparent()) is not None
            and parent.tag in {"figure", "picture", "div", "span"}
            and " ".join(" ".join(parent.itertext()).split()) == words
            and parent.getparent() is not None
        ):
            outer = parent
        paragraph = tree.makeelement("p")
        paragraph.text = words
        paragraph.tail = outer.tail
        outer_parent = outer.getparent()
        if outer_parent is not None:
            outer_parent.replace(outer, paragraph)
            captions.add(normalise_text(words))
    return frozenset(captions)


_BLOCK_TAGS = frozenset({"p", "head", "item", "quote", "row", "code", "ab"})


def _paragraphs(body: Any) -> list[str]:
    """The extracted body as paragraphs: one per paragraph, heading, list item or table row."""
    out: list[str] = []
    for element in body.iter():
        if element.tag not in _BLOCK_TAGS:
            continue
        if any(inner.tag in _BLOCK_TAGS for inner in element.iterdescendants()):
            continue
        paragraph = normalise_text(_inline_text(element))
        if paragraph:
            out.append(paragraph)
    return out


def _inline_text(element: Any) -> str:
    parts = [element.text or ""]
    for index, child in enumerate(element):
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag == "cell" and index > 0:
            parts.append(" | " + _inline_text(child))
        else:
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _hints(
    text: str, paragraphs: list[str], *, title: str | None, captions: frozenset[str]
) -> tuple[Block, ...]:
    hints: list[Block] = []
    cursor = 0
    title_seen = False
    for paragraph in paragraphs:
        start = text.find(paragraph, cursor)
        if start < 0:
            continue
        end = start + len(paragraph)
        cursor = end
        if paragraph in captions:
            hints.append(Block(kind="caption", start=start, end=end))
        elif not title_seen and title is not None and paragraph == title:
            title_seen = True
            hints.append(Block(kind="title", start=start, end=end))
    return tuple(hints)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(normalise_text(value).split())
    return value or None


def _split(value: object, separator: str) -> tuple[str, ...]:
    if not isinstance(value, str):
        return ()
    return tuple(part for part in (_clean(item) for item in value.split(separator)) if part)


def _iso_date(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    day = day_of(value)
    return None if day is None else day.isoformat()


# --- language ------------------------------------------------------------------------------

_LANGUAGE_SAMPLE = 2_000
# Below this confidence the detector is guessing: a run of names ("Kabul Panjshir Massoud")
# reads as Swahili or Latin as readily as English, and guesses must not reject a report.
_MIN_LANGUAGE_CONFIDENCE = 0.5
# Letter trigrams say little about a short text, and say it with confidence: a headline of
# names and clipped verbs comes out Tagalog or Latin at 0.9. So a short text needs more
# confidence to be called another language: up to 0.2 more below this many letters (more would
# let real short headlines in Tagalog or Swahili through to the English pipeline).
_CONFIDENT_LETTERS = 120
_SHORT_TEXT_MARGIN = 0.2
# A text of fewer words is never called another language: two or three words are a name or a
# label as often as a sentence of any language.
_MIN_WORDS_TO_REJECT = 4
# Texts of fewer words than this are short: the detector's letter statistics are unsure on
# them (on the dev sets' English sentences it calls 13% of those of 5-9 words another
# language, 3% of 10-19, under 0.3% from 20), so the English vocabulary is asked too.
_SHORT_WORDS = 40
# Share of a short text's words that the English pipeline knows at or above which it is
# English whatever the letters say. English sentences the detector misreads have a median
# share of 0.9; sentences of French, German, Portuguese, Italian or Malay of 5 words or more
# stay below 0.7, save lines that are English product names or links.
_MIN_ENGLISH_SHARE = 0.75
# An unknown capitalised word is most often a name, which any language may hold: it counts
# half against English, an unknown lower-case word fully.
_NAME_WEIGHT = 0.5
# Links, addresses, handles and hashtags are no language's words.
_NOT_WORDS = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|[@#]\w+")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    # Low-accuracy mode loads only trigram models: ~0.2 s and ~100 MB once per process, and on
    # a paragraph of news text it is as right as the full models.
    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect_language(text: str, *, model: str | None = None) -> str | None:
    """ISO 639-1 code (lower case) of the language of ``text``'s opening, or None if unsure.

    A short text (under 40 words) that the letter statistics call another language is English
    when the English pipeline ``model`` (default: the settings' model) knows most of its words;
    a text of under 4 words is never called another language, and the shorter a text, the more
    confidence another language needs.
    """
    sample = text[:_LANGUAGE_SAMPLE]
    values = _detector().compute_language_confidence_values(sample)
    best = values[0] if values else None
    code = str(best.language.iso_code_639_1.name).lower() if best is not None else None
    if best is not None and code == "en" and best.value >= _MIN_LANGUAGE_CONFIDENCE:
        return "en"
    words = _WORD.findall(_NOT_WORDS.sub(" ", sample))
    if len(words) < _SHORT_WORDS and _english_share(words, model=model) >= _MIN_ENGLISH_SHARE:
        return "en"
    if best is None or code == "en" or len(words) < _MIN_WORDS_TO_REJECT:
        return None
    letters = sum(len(word) for word in words)
    shortness = max(0.0, 1.0 - letters / _CONFIDENT_LETTERS)
    if best.value < _MIN_LANGUAGE_CONFIDENCE + _SHORT_TEXT_MARGIN * shortness:
        return None
    return code


def _english_share(words: Sequence[str], *, model: str | None = None) -> float:
    """Share of ``words`` the English pipeline knows (0.0 for none): an unknown capitalised
    word, most often a name, weighs half."""
    if not words:
        return 0.0
    vocabulary = english_vocabulary(model if model is not None else _model_name())
    known = unknown = 0.0
    for word in words:
        if vocabulary.knows(word):
            known += 1
        else:
            unknown += _NAME_WEIGHT if word[:1].isupper() else 1.0
    return known / (known + unknown)


@lru_cache(maxsize=1)
def _model_name() -> str:
    return load_settings().model.name


# --- assembly ------------------------------------------------------------------------------


def _read_text(
    raw: str,
    *,
    settings: InputSettings,
    url: str | None,
    published: str | None,
    origin: str | None,
) -> Source | Rejected:
    if "\x00" in raw or _control_share(raw) > _MAX_CONTROL_SHARE:
        return Reasons.R103.reject(source=origin, detail="NUL or many control characters")
    if not raw.strip():
        return Reasons.R102.reject(source=origin)
    if looks_like_html(raw):
        # lxml refuses control characters and lone surrogates; they are never content.
        page = _from_html(raw.translate(_invisible_table()), url=url)
        if page is None:
            return Reasons.R106.reject(source=origin, detail="")
    else:
        text = normalise_text(raw)
        if not text:
            return Reasons.R102.reject(source=origin)
        page = _Page(text=text)
    if len(page.text) < settings.min_text_chars:
        return Reasons.R108.reject(source=origin, chars=len(page.text))
    language = detect_language(page.text)
    if language is not None and language not in settings.languages:
        return Reasons.R107.reject(
            source=origin, language=language, supported=", ".join(settings.languages)
        )
    meta = extract_metadata(page.text)
    return _source(page, meta, language=language, url=url, published=published, origin=origin)


def _source(
    page: _Page,
    meta: TextMetadata,
    *,
    language: str | None,
    url: str | None,
    published: str | None,
    origin: str | None,
) -> Source:
    given = parse_date(published) if published is not None else None
    return Source(
        text=page.text,
        url=url or page.url,
        title=page.title or meta.title,
        publisher=page.publisher or meta.publisher,
        authors=page.authors or meta.authors,
        published=given or page.published or meta.published,
        language=language,
        dateline=meta.dateline.text if meta.dateline is not None else None,
        hashtags=_merge(meta.hashtags, page.tags),
        links=meta.links,
        handles=meta.handles,
        hints=page.hints,
        origin=origin,
    )


def _merge(first: tuple[str, ...], second: tuple[str, ...]) -> tuple[str, ...]:
    seen = {item.lower() for item in first}
    return first + tuple(item for item in second if item.lower() not in seen)

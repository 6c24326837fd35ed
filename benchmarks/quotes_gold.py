"""Load and validate the quotes dev gold set (``benchmarks/gold/quotes-wikinews.jsonl``).

The gold file holds offsets only; the article texts stay in ``../shared/eval/geovirus/
GeoVirus.xml`` (Wikinews, CC BY 2.5). An article is keyed by its index among the ``<article>``
elements (as ``xml.etree`` reads them, commented-out articles excluded) and its ``<source>`` URL.
Offsets index ``text`` as a Python string: ``text[start:end]``. See ``benchmarks/gold/README.md``.

Every check fails loudly, naming the line of the gold file: spans out of range or empty,
``content_sha1`` or ``content_head`` that no longer match the text, an unknown kind, a source URL
that is not the article's, a quote in an article not listed as annotated, content that starts or
ends with whitespace, a quote mark or trailing punctuation, and overlapping contents.

Run ``python benchmarks/quotes_gold.py`` to validate and print a summary.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from _common import PROJECT_ROOT, SHARED_EVAL

GOLD_PATH = PROJECT_ROOT / "benchmarks" / "gold" / "quotes-wikinews.jsonl"
DATA_PATH = SHARED_EVAL / "geovirus" / "GeoVirus.xml"
KINDS = frozenset({"direct", "indirect", "mixed"})
QUOTE_MARKS = "\"'“”‘’«»"
NO_EDGE = QUOTE_MARKS + ".,;:"
HEAD_WORDS = 6
FIELDS = frozenset(
    {
        "article",
        "source",
        "kind",
        "content",
        "cue",
        "speaker",
        "speaker_name",
        "content_sha1",
        "content_head",
    }
)


class GoldError(ValueError):
    """The gold file does not match the texts, or breaks the annotation guide."""


@dataclass(frozen=True)
class GoldQuote:
    article: int
    source: str
    content: tuple[int, int]
    cue: tuple[int, int] | None
    speaker: tuple[int, int] | None
    speaker_name: str | None
    kind: str


def load_texts(data: Path | None = None) -> list[tuple[str, str]]:
    """(source URL, text) of every ``<article>`` of GeoVirus.xml, in document order."""
    path = data or DATA_PATH
    if not path.is_file():
        raise FileNotFoundError(
            f"GeoVirus not found at {path}: the quotes gold set reads its texts from there "
            "(see ../shared/eval/README.md)"
        )
    root = ET.parse(path).getroot()
    return [
        (article.findtext("source") or "", article.findtext("text") or "")
        for article in root.iter("article")
    ]


def _span(value: Any, text: str, name: str, where: str) -> tuple[int, int]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        raise GoldError(f"{where}: {name} must be [start, end], got {value!r}")
    start, end = value
    if not 0 <= start < end <= len(text):
        raise GoldError(f"{where}: {name} {value} is empty or outside the text ({len(text)})")
    piece = text[start:end]
    if piece != piece.strip():
        raise GoldError(f"{where}: {name} {piece!r} starts or ends with whitespace")
    return start, end


def _quote(record: Any, texts: list[tuple[str, str]], annotated: set[int], where: str) -> GoldQuote:
    if not isinstance(record, dict):
        raise GoldError(f"{where}: expected a JSON object")
    if set(record) != FIELDS:
        missing, extra = sorted(FIELDS - set(record)), sorted(set(record) - FIELDS)
        raise GoldError(f"{where}: fields differ: missing {missing}, unexpected {extra}")
    article = record["article"]
    if not isinstance(article, int) or not 0 <= article < len(texts):
        raise GoldError(f"{where}: no article {article!r} ({len(texts)} articles)")
    if article not in annotated:
        raise GoldError(f"{where}: article {article} is not listed in annotated_articles")
    source, text = texts[article]
    if record["source"] != source:
        raise GoldError(f"{where}: source {record['source']!r} is not article {article}'s")
    kind = record["kind"]
    if kind not in KINDS:
        raise GoldError(f"{where}: kind {kind!r} is not one of {sorted(KINDS)}")
    content = _span(record["content"], text, "content", where)
    piece = text[content[0] : content[1]]
    if piece[0] in NO_EDGE or piece[-1] in NO_EDGE:
        raise GoldError(f"{where}: content {piece[:40]!r}... starts or ends with punctuation")
    sha1 = hashlib.sha1(piece.encode("utf-8")).hexdigest()
    if record["content_sha1"] != sha1:
        raise GoldError(
            f"{where}: content_sha1 does not match text{list(content)} = {piece[:60]!r}"
        )
    head = " ".join(piece.split()[:HEAD_WORDS])
    if record["content_head"] != head:
        raise GoldError(f"{where}: content_head {record['content_head']!r}, text has {head!r}")
    cue = None if record["cue"] is None else _span(record["cue"], text, "cue", where)
    speaker = None
    if record["speaker"] is not None:
        speaker = _span(record["speaker"], text, "speaker", where)
    for name, span in (("cue", cue), ("speaker", speaker)):
        if span and span[0] < content[1] and content[0] < span[1]:
            raise GoldError(f"{where}: {name} {list(span)} overlaps the content")
    speaker_name = record["speaker_name"]
    if speaker_name is not None and (not isinstance(speaker_name, str) or not speaker_name):
        raise GoldError(f"{where}: speaker_name must be a non-empty string or null")
    return GoldQuote(article, source, content, cue, speaker, speaker_name, kind)


def load_gold(
    path: Path | None = None, *, data: Path | None = None
) -> tuple[dict[int, str], list[GoldQuote], set[int]]:
    """Texts by article index, the gold quotes, and the fully annotated article indices.

    The texts returned are those of the annotated articles. Raises ``GoldError`` naming the
    file and line of the first record that does not match, and ``FileNotFoundError`` when
    GeoVirus.xml is absent.
    """
    gold = path or GOLD_PATH
    texts = load_texts(data)
    lines = gold.read_text(encoding="utf-8").splitlines()
    if not lines:
        raise GoldError(f"{gold}: empty")
    try:
        header = json.loads(lines[0])
    except json.JSONDecodeError as error:
        raise GoldError(f"{gold}:1: not JSON: {error}") from error
    listed = header.get("annotated_articles") if isinstance(header, dict) else None
    if not isinstance(listed, list) or not all(isinstance(i, int) for i in listed):
        raise GoldError(f'{gold}:1: expected {{"annotated_articles": [index, ...]}}')
    if len(set(listed)) != len(listed):
        raise GoldError(f"{gold}:1: an article is listed twice")
    annotated = set(listed)
    for index in annotated:
        if not 0 <= index < len(texts):
            raise GoldError(f"{gold}:1: no article {index} ({len(texts)} articles)")
    quotes: list[GoldQuote] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        where = f"{gold}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise GoldError(f"{where}: not JSON: {error}") from error
        quotes.append(_quote(record, texts, annotated, where))
    _check_overlaps(quotes, gold)
    return {index: texts[index][1] for index in sorted(annotated)}, quotes, annotated


def _check_overlaps(quotes: list[GoldQuote], gold: Path) -> None:
    """No two contents of one article overlap (one record per continuous stretch)."""
    by_article: dict[int, list[GoldQuote]] = {}
    for quote in quotes:
        by_article.setdefault(quote.article, []).append(quote)
    for article, items in by_article.items():
        items.sort(key=lambda q: q.content)
        for before, after in pairwise(items):
            if after.content[0] < before.content[1]:
                raise GoldError(
                    f"{gold}: article {article}: contents {list(before.content)} and "
                    f"{list(after.content)} overlap"
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the quotes gold set.")
    parser.add_argument("--gold", type=Path, default=GOLD_PATH)
    parser.add_argument("--data", type=Path, default=DATA_PATH, help="GeoVirus.xml")
    args = parser.parse_args(argv)
    try:
        texts, quotes, annotated = load_gold(args.gold, data=args.data)
    except (GoldError, FileNotFoundError) as error:
        print(error, file=sys.stderr)
        return 1
    kinds = Counter(q.kind for q in quotes)
    with_speaker = sum(q.speaker is not None for q in quotes)
    with_name = sum(q.speaker_name is not None for q in quotes)
    print(
        f"{len(quotes)} quotes in {len(annotated)} articles ({len(texts)} texts); "
        f"kinds {dict(sorted(kinds.items()))}; speaker span {with_speaker}, "
        f"speaker name {with_name}, cue {sum(q.cue is not None for q in quotes)}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

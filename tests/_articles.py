"""Articles built from paragraphs for the corpus tests: each paragraph a body block."""

from __future__ import annotations

import hashlib
from typing import Any

from newsdesk.records import Article, Block

PARAGRAPH_BREAK = "\n\n"


def article_of(
    paragraphs: list[str],
    *,
    publisher: str | None,
    published: str | None,
    credits: dict[int, str] | None = None,
    **fields: Any,
) -> Article:
    """The paragraphs joined by blank lines, with ``credits`` by paragraph index. The same text
    from two publishers is two articles here (a content hash alone would merge them)."""
    text = PARAGRAPH_BREAK.join(paragraphs)
    blocks = []
    start = 0
    for index, paragraph in enumerate(paragraphs):
        credit = (credits or {}).get(index)
        blocks.append(Block(kind="body", start=start, end=start + len(paragraph), credit=credit))
        start += len(paragraph) + len(PARAGRAPH_BREAK)
    return Article(
        id=hashlib.sha256(f"{publisher}|{published}|{text}".encode()).hexdigest()[:16],
        publisher=publisher,
        published=published,
        text=text,
        blocks=tuple(blocks),
        extractor="test",
        **fields,
    )

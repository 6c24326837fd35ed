"""Articles built from paragraphs for the corpus tests: each paragraph a body block, or the
blocks segmentation finds in them (a wire dateline set apart as its own block)."""

from __future__ import annotations

import hashlib
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from newsdesk.records import Article, Block
from newsdesk.settings import load_settings
from newsdesk.stages.segment import segment

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


def segmented_article_of(
    paragraphs: list[str], *, publisher: str | None, published: str | None, **fields: Any
) -> Article:
    """The paragraphs joined by blank lines, cut into blocks by segmentation itself, as the
    pipeline codes an article now: "KABUL, Aug 24 (Reuters) - ..." is a ``dateline`` block
    crediting Reuters and the body block after it, with the same credit."""
    base = article_of(paragraphs, publisher=publisher, published=published, **fields)
    blocks = segment(base.text, settings=load_settings().segment)
    return base.model_copy(update={"blocks": blocks})


def generated_over_weeks(n: int) -> list[Article]:
    """The corpus benchmark's generated reports spread over eight weeks, three a day: long
    stories whose merged events span many of merging's weekly blocks."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from corpus_scaling import generate

    spread = []
    for i, article in enumerate(generate(n, seed=5)):
        was = date.fromisoformat(str(article.published))
        now = date(2021, 1, 1) + timedelta(days=i // 3)
        events = tuple(
            event.model_copy(
                update={"date": (now - (was - date.fromisoformat(str(event.date)))).isoformat()}
            )
            for event in article.events
        )
        spread.append(article.model_copy(update={"published": now.isoformat(), "events": events}))
    return spread

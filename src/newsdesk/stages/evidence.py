"""Evidence for every spaCy stage: the article's own words at an offset range, and the sentence
that holds an offset. One home, so every record points into the text the same way."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from spacy.tokens import Doc, Span

from newsdesk import attributes
from newsdesk.attributes import text_of
from newsdesk.records import ANALYSED_KINDS, Evidence


def sentence_of(sentence_starts: Sequence[int], at: int) -> int:
    """The number of the sentence holding character ``at``, given the sentences' first
    characters in order (-1 when ``at`` comes before the first)."""
    return bisect_right(sentence_starts, at) - 1


def evidence_at(doc: Doc, start: int, end: int, sentence_starts: Sequence[int]) -> Evidence:
    """The Doc's text from ``start`` to ``end`` as Evidence, numbered by its first sentence."""
    return Evidence(
        start=start,
        end=end,
        text=text_of(doc)[start:end],
        sentence=sentence_of(sentence_starts, start),
    )


def sentence_bounds(doc: Doc, sent: Span, at: int) -> tuple[int, int]:
    """The sentence around ``at``, kept inside the analysed block that holds it: a parsed
    sentence can run into a caption that the pipeline blanked out, or from a title into the
    body, and evidence must quote the article's own words of one block."""
    start, end = sent.start_char, sent.end_char
    for block in doc._.get(attributes.BLOCKS):
        if block.kind in ANALYSED_KINDS and block.start <= at < block.end:
            start, end = max(start, block.start), min(end, block.end)
            break
    text = text_of(doc)[start:end]
    start += len(text) - len(text.lstrip())
    return start, start + len(text.strip())

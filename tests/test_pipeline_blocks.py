"""The pipeline's preparation of a Doc from blocks (no model needed: a blank English tokenizer)."""

from __future__ import annotations

import spacy

from newsdesk.pipeline import analysed_text, dateline_hint, mark_block_starts, segment_source
from newsdesk.records import Block, Source
from newsdesk.settings import load_settings


def test_pipeline_blocks_every_analysed_block_starts_a_sentence() -> None:
    text = "Militants attacked the base\n(Jane Doe/iStock by Getty Images)\nThe army said so"
    credit = text.index("(Jane")
    after = text.index("The army")
    blocks = (
        Block(kind="body", start=0, end=credit - 1),
        Block(kind="credit", start=credit, end=after - 1),
        Block(kind="body", start=after, end=len(text)),
    )
    doc = spacy.blank("en").make_doc(analysed_text(text, blocks))
    mark_block_starts(doc, blocks)
    starts = [token.idx for token in doc if token.is_sent_start]
    assert after in starts
    assert doc[0].is_sent_start is not False


def test_pipeline_blocks_blanked_dateline_is_a_sentence_of_its_own() -> None:
    source = Source(text="KABUL, Aug 24 (Reuters) - Fighters massed near the valley.")
    blocks = segment_source(source, settings=load_settings())
    assert [b.kind for b in blocks] == ["dateline", "body"]
    doc = spacy.blank("en").make_doc(analysed_text(source.text, blocks))
    mark_block_starts(doc, blocks)
    first_word = next(token for token in doc if not token.is_space)
    assert first_word.is_sent_start


def test_pipeline_blocks_wire_dateline_is_left_to_segment() -> None:
    # A blog's signature line stays a metadata hint; a wire dateline is segment's to split.
    blog = Source(
        text="#AceNewsReport – Aug.24: Fighters massed.", dateline="#AceNewsReport – Aug.24:"
    )
    wire = Source(text="KABUL (Reuters) - Fighters massed.", dateline="KABUL (Reuters) -")
    assert [b.kind for b in dateline_hint(blog)] == ["metadata"]
    assert dateline_hint(wire) == ()

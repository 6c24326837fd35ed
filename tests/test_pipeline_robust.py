"""One input never stops the others: unexpected failures, time budgets and long texts.

Most tests here use a blank spaCy pipeline with a few test components, so they are fast and
can make one chosen input fail inside a batched component, a per-Doc step or ingest."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import newsdesk.pipeline as pipeline_module
from newsdesk import desk
from newsdesk.components import register_components
from newsdesk.corpus.store import Store
from newsdesk.pipeline import Analyzer, clip_entities, piece_cuts
from newsdesk.records import Article, Block, Input, Rejected, Source
from newsdesk.settings import Settings

POISON = "POISON"
SLOW = "SLOWLY"


def _text(words: str) -> str:
    return f"Officials said on Monday that the talks in the capital went on. {words}\n"


class _Fussy:
    """A batched component (like the parser) that fails on any batch holding a poison Doc."""

    def __call__(self, doc: Doc) -> Doc:
        if POISON in doc.text:
            raise ValueError("cannot read this one")
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = 4) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("test_fussy")
def _make_fussy(nlp: Language, name: str) -> _Fussy:
    return _Fussy()


@Language.component("test_slow")
def _slow(doc: Doc) -> Doc:
    """A per-Doc component (as newsdesk's are) that takes long over one input."""
    if SLOW in doc.text:
        time.sleep(0.3)
    return doc


@pytest.fixture(scope="module")
def blank() -> Analyzer:
    register_components()
    nlp = spacy.blank("en")
    nlp.add_pipe("test_fussy")
    nlp.add_pipe("test_slow")
    return Analyzer(nlp=nlp)


def test_pipeline_poison_in_a_batched_component_rejects_only_that_input(blank: Analyzer) -> None:
    inputs = [_text("First."), _text(f"A {POISON} here."), b"", _text("Third.")]
    results = list(blank.analyze_many(inputs))
    assert [type(result) for result in results] == [Article, Rejected, Rejected, Article]
    poisoned = results[1]
    assert isinstance(poisoned, Rejected)
    assert poisoned.code == "R116"
    assert "test_fussy" in poisoned.reason and "ValueError: cannot read this one" in poisoned.reason


def test_pipeline_failure_in_a_step_or_reading_is_that_input_s_rejection(
    blank: Analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    segment = pipeline_module.segment_source
    read = pipeline_module.ingest.read

    def broken_segment(source: Source, *, settings: Settings) -> tuple[Block, ...]:
        if "BADSEGMENT" in source.text:
            raise IndexError("list index out of range")
        return segment(source, settings=settings)

    def broken_read(data: str | bytes, **kwargs: object) -> object:
        if isinstance(data, str) and "BADREAD" in data:
            raise LookupError("'hex' is not a text encoding")
        return read(data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline_module, "segment_source", broken_segment)
    monkeypatch.setattr(pipeline_module.ingest, "read", broken_read)
    inputs = [
        Input(data=_text("One."), origin="a"),
        Input(data=_text("BADSEGMENT now."), origin="b"),
        Input(data=_text("BADREAD now."), origin="c"),
        Input(data=_text("Four."), origin="d"),
    ]
    results = list(blank.analyze_many(inputs))
    assert isinstance(results[0], Article) and isinstance(results[3], Article)
    for result, stage, error in (
        (results[1], "segmenting", "IndexError"),
        (results[2], "reading", "LookupError"),
    ):
        assert isinstance(result, Rejected)
        assert result.code == "R116"
        assert f"in {stage}: {error}" in result.reason
    assert [getattr(result, "source", None) for result in results[1:3]] == ["b", "c"]


def test_pipeline_input_over_its_time_budget_is_rejected(blank: Analyzer) -> None:
    settings = dataclasses.replace(
        blank.settings, model=dataclasses.replace(blank.settings.model, max_seconds=0.15)
    )
    strict = Analyzer(settings=settings, nlp=blank.nlp)
    results = list(strict.analyze_many([_text("Quick."), _text(f"Read {SLOW}."), _text("Fast.")]))
    assert [type(result) for result in results] == [Article, Rejected, Article]
    assert results[1].code == "R117"  # type: ignore[union-attr]
    assert "test_slow" in results[1].reason  # type: ignore[union-attr]


def test_pipeline_text_over_spacy_max_length_is_analysed(blank: Analyzer) -> None:
    paragraph = "The convoy reached the town after a long day on the road, officials said. " * 40
    text = "\n\n".join([paragraph.strip()] * 340)
    assert len(text) > blank.nlp.max_length
    result = blank.analyze(text)
    assert isinstance(result, Article), result
    assert result.text == text


def test_pipeline_piece_cuts_prefer_blocks_then_sentences() -> None:
    nlp = spacy.blank("en")
    first = "One two three. Four five six. Seven eight nine."
    second = "Ten eleven twelve."
    text = f"{first}\n\n{second}"
    doc = nlp.make_doc(text)
    blocks = [
        Block(kind="body", start=0, end=len(first)),
        Block(kind="body", start=len(first) + 2, end=len(text)),
    ]
    for limit in (10, 20, 30, 49, 60):
        cuts = piece_cuts(doc, blocks, piece_chars=limit)
        pieces = [doc[a:b] for a, b in zip((0, *cuts), (*cuts, len(doc)), strict=True)]
        assert "".join(piece.text_with_ws for piece in pieces) == text
        assert all(len(piece.text) <= limit or len(piece) == 1 for piece in pieces)
    # A cut that fits at a block start is taken there, else after a sentence's full stop.
    cuts = piece_cuts(doc, blocks, piece_chars=60)
    assert [doc[cut].text for cut in cuts] == ["Ten"]
    cuts = piece_cuts(doc, blocks, piece_chars=35)
    assert doc[cuts[0]].text == "Seven"


def test_pipeline_clip_entities_at_blanked_blocks() -> None:
    nlp = spacy.blank("en")
    text = "They met Ahmad Shah Reuters Massoud in Kabul."
    credit = text.index("Reuters")
    blanked = text[:credit] + " " * len("Reuters") + text[credit + len("Reuters") :]
    doc = nlp.make_doc(blanked)
    ahmad = doc.char_span(text.index("Ahmad"), text.index(" in"))
    kabul = doc.char_span(text.index("Kabul"), text.index("Kabul") + 5, label="GPE")
    assert ahmad is not None and kabul is not None
    doc.ents = [doc.char_span(ahmad.start_char, ahmad.end_char, label="PERSON"), kabul]  # type: ignore[list-item]
    blocks = [
        Block(kind="body", start=0, end=credit - 1),
        Block(kind="credit", start=credit, end=credit + 7),
        Block(kind="body", start=credit + 8, end=len(text)),
    ]
    clip_entities(doc, blocks)
    assert [(ent.text, ent.label_) for ent in doc.ents] == [
        ("Ahmad Shah", "PERSON"),
        ("Kabul", "GPE"),
    ]


def test_desk_ingest_goes_on_past_a_poison_input_and_records_it(
    blank: Analyzer, tmp_path: Path, settings: Settings
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(_text("First report."))
    (folder / "b.txt").write_text(_text(f"A {POISON} report."))
    (folder / "c.txt").write_text(_text("Third report."))
    store = Store(str(tmp_path / "store.sqlite"))
    counts = desk.ingest([folder], store=store, analyzer=blank)
    assert counts.ingested == 2 and counts.rejected == 1
    again = desk.ingest([folder], store=store, analyzer=blank)
    assert again.already_done == 3 and again.ingested == 0


@pytest.mark.slow
def test_pipeline_long_text_in_pieces_keeps_evidence_exact(
    analyzer: Analyzer, demo_articles: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a small ``max_length`` a demo article is parsed in pieces; its evidence stays exact
    and it finds what the whole text finds, give or take what a cut changes."""
    data = next(iter(demo_articles.values()))
    whole = analyzer.analyze(data)
    monkeypatch.setattr(analyzer.nlp, "max_length", 800)
    pieced = analyzer.analyze(data)
    assert isinstance(whole, Article) and isinstance(pieced, Article)
    assert pieced.text == whole.text and len(pieced.text) > 3 * 800
    for entity in pieced.entities:
        for mention in entity.mentions:
            assert pieced.text[mention.start : mention.end] == mention.text
    for event in pieced.events:
        assert pieced.text[event.evidence.start : event.evidence.end] == event.evidence.text
    names = {entity.name for entity in whole.entities}
    assert len(names & {entity.name for entity in pieced.entities}) >= 0.8 * len(names)

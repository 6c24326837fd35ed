"""Assembles the stages into one path: raw input in, an ``Article`` (or a ``Rejected``) out.

    ingest -> segment -> mask blocks not analysed, close titles and headings
        -> spaCy (tagger, parser, NER, newsdesk_*) -> Article

Only body, title and heading blocks (``records.ANALYSED_KINDS``) go through the NLP stages:
other blocks are blanked out with spaces of the same length, so every character offset in the
Doc is an offset into ``Article.text``. A title or heading is a sentence of its own: a full stop
is put in the blank after it when it has none, and a sentence starts after it.

One input never stops the others. Each input goes through every step on its own account:
an unexpected exception in one step for one input becomes that input's ``Rejected`` record
(R116, naming the step and the exception), and the batch goes on. A batched component that
fails is run again one Doc at a time, so only the input that broke it is rejected. Each input
has a time budget (``model.max_seconds``), checked between steps; an input over it is rejected
(R117). A text longer than the pipeline's ``max_length`` is parsed in pieces (whole blocks, or
windows of sentences in a block too long) that are joined again before newsdesk's components
run, so offsets stay exact.
"""

from __future__ import annotations

import hashlib
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, partial
from importlib.metadata import version
from itertools import islice, pairwise
from pathlib import Path
from typing import TypeVar

import spacy
from pydantic import BaseModel
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsdesk import attributes
from newsdesk.attributes import text_of
from newsdesk.components import COMPONENTS, register_components
from newsdesk.errors import Errors, InputRejected, ModelError, Reasons
from newsdesk.records import (
    ANALYSED_KINDS,
    CLOSED_KINDS,
    Article,
    Block,
    Evidence,
    Input,
    Rejected,
    Source,
)
from newsdesk.settings import Settings, load_settings
from newsdesk.stages import entities, ingest, metadata, segment

_T = TypeVar("_T")
_R = TypeVar("_R")
_NEEDED = ("parser", "ner")
# A title that ends with one of these, or with one of these and a closing quote, is closed.
_FINAL_PUNCTUATION = frozenset(".!?…:;,")
# The longest piece of text the parser and NER read at once. spaCy refuses texts over its
# ``max_length`` (1,000,000 characters); its parser needs memory in proportion to the text,
# so long texts are read in pieces of at most this size, which no real paragraph reaches.
_PIECE_CHARS = 100_000
_SENTENCE_END = frozenset(".!?…")


@cache
def load_pipeline(model: str | None = None, *, knowledge_base: tuple[str, ...] = ()) -> Language:
    """The spaCy pipeline with newsdesk's components added, loaded once per process.

    ``model`` is an installed pipeline's package name or folder (default: the settings' model).
    """
    register_components()
    name = model or load_settings().model.name
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(Errors.E201.format(name=name)) from exc
    for component in _NEEDED:
        if component not in nlp.pipe_names:
            raise ModelError(Errors.E202.format(name=name, component=component))
    for component in COMPONENTS:
        config = {"knowledge_base": list(knowledge_base)} if component == entities.NAME else {}
        nlp.add_pipe(component, config=config)
    return nlp


class Analyzer:
    """Analyses articles with one loaded pipeline and one set of settings."""

    def __init__(self, *, settings: Settings | None = None, nlp: Language | None = None) -> None:
        self.settings = settings or load_settings()
        self.nlp = nlp or load_pipeline(
            self.settings.model.name, knowledge_base=self.settings.entities.knowledge_base
        )
        meta = self.nlp.meta
        self.extractor = (
            f"newsdesk {version('newsdesk')} / {meta['lang']}_{meta['name']} {meta['version']}"
        )

    def analyze(
        self,
        data: str | bytes,
        *,
        url: str | None = None,
        published: str | None = None,
        origin: str | None = None,
    ) -> Article | Rejected:
        """Analyse one input; a rejected input comes back as a ``Rejected`` value."""
        return next(
            self.analyze_many([Input(data=data, url=url, published=published, origin=origin)])
        )

    def analyze_file(
        self, path: Path, *, url: str | None = None, published: str | None = None
    ) -> Article | Rejected:
        """Analyse one file, reading no more of it than the size limit allows."""
        origin = str(path)
        clock = time.perf_counter()
        source = _guarded(
            "reading",
            origin,
            lambda: ingest.read_file(
                path, settings=self.settings.input, url=url, published=published
            ),
        )
        return next(self._analyze_sources([(source, time.perf_counter() - clock)]))

    def analyze_many(self, inputs: Iterable[Input | str | bytes]) -> Iterator[Article | Rejected]:
        """Analyse many inputs in batches, yielding one result per input, in order.

        Never raises for one input: whatever goes wrong with it is its ``Rejected`` record.
        """
        return self._analyze_sources(self._timed_read(item) for item in inputs)

    def _read(self, item: Input | str | bytes) -> Source | Rejected:
        """The input read into a ``Source``, or its rejection."""
        if not isinstance(item, Input):
            item = Input(data=item)
        data, url, published, origin = item.data, item.url, item.published, item.origin
        return _guarded(
            "reading",
            origin,
            lambda: ingest.read(
                data, settings=self.settings.input, url=url, published=published, origin=origin
            ),
        )

    def _timed_read(self, item: Input | str | bytes) -> tuple[Source | Rejected, float]:
        """:meth:`_read`, and the seconds it took (counted against the input's budget)."""
        clock = time.perf_counter()
        source = self._read(item)
        return source, time.perf_counter() - clock

    def _analyze_sources(
        self, sources: Iterable[tuple[Source | Rejected, float]]
    ) -> Iterator[Article | Rejected]:
        batch_size = self.settings.model.batch_size
        iterator = iter(sources)
        # Chunks bound memory on long runs; rejections keep their place in the output order.
        while chunk := list(islice(iterator, batch_size * 8)):
            works = [_Work(item, spent) for item, spent in chunk if isinstance(item, Source)]
            budget = self.settings.model.max_seconds
            for work in works:
                work.step("segmenting", budget, self._prepare)
            self._run_pipeline(works)
            for work in works:
                work.step("building the record", budget, self._finish)
            done = iter(works)
            for item, _ in chunk:
                result = item if isinstance(item, Rejected) else next(done).result
                if result is None:  # every step leaves a Doc and the last one a result
                    raise AssertionError(f"no result for {item}")
                yield result

    def _prepare(self, work: _Work) -> None:
        blocks = segment_source(work.source, settings=self.settings)
        doc = analysed_doc(self.nlp, work.source.text, blocks)
        mark_block_starts(doc, blocks)
        work.blocks = blocks
        work.doc = doc

    def _finish(self, work: _Work) -> None:
        if work.doc is not None and work.result is None:
            work.result = self._article(work.doc, work.source)

    def _run_pipeline(self, works: list[_Work]) -> None:
        """Every pipeline component over the Docs of ``works``, one component at a time.

        spaCy's own components (tagger, parser, NER) run in batches, over a long Doc's pieces;
        the pieces are joined into one Doc before newsdesk's first component, which reads
        whole Docs one at a time. Each input's budget is checked after every component.
        """
        budget = self.settings.model.max_seconds
        batch_size = self.settings.model.batch_size
        own = set(COMPONENTS)
        piece_chars = min(self.nlp.max_length, _PIECE_CHARS)
        units = [unit for work in works for unit in _pieces(work, piece_chars=piece_chars)]
        joined = False
        for name, component in self.nlp.pipeline:
            if name in own:
                if not joined:
                    _join(works, units, budget=budget)
                    joined = True
                for work in works:
                    work.step(name, budget, partial(_apply, component=component))
                continue
            if joined:  # a user's spaCy component after newsdesk's: on whole Docs
                units = [_Unit(work, work.doc) for work in works if work.doc is not None]
            _run_batched(name, component, units, budget=budget, batch_size=batch_size)
            if joined:
                for unit in units:
                    unit.owner.doc = unit.doc
        if not joined:
            _join(works, units, budget=budget)

    def _article(self, doc: Doc, source: Source) -> Article:
        clip = _EvidenceClipper(source.text, text_of(doc), doc._.get(attributes.BLOCKS))
        return clip.record(self._raw_article(doc, source))

    def _raw_article(self, doc: Doc, source: Source) -> Article:
        return Article(
            id=article_id(source.text),
            url=source.url,
            title=source.title,
            publisher=source.publisher,
            authors=source.authors,
            published=source.published,
            language=source.language,
            dateline=source.dateline,
            text=source.text,
            blocks=doc._.get(attributes.BLOCKS),
            hashtags=source.hashtags,
            links=source.links,
            handles=source.handles,
            entities=doc._.get(attributes.ENTITIES),
            places=doc._.get(attributes.PLACES),
            times=doc._.get(attributes.TIMES),
            quantities=doc._.get(attributes.QUANTITIES),
            quotes=doc._.get(attributes.QUOTES),
            claims=doc._.get(attributes.CLAIMS),
            events=doc._.get(attributes.EVENTS),
            extractor=self.extractor,
        )


@dataclass(eq=False)
class _Work:
    """One input on its way through the pipeline: its Doc, the seconds spent on it so far,
    and its result once it has one (a rejection ends its way)."""

    source: Source
    spent: float
    blocks: tuple[Block, ...] = ()
    doc: Doc | None = None
    result: Article | Rejected | None = None

    def step(self, stage: str, budget: float, action: Callable[[_Work], None]) -> None:
        """Run one step for this input alone: what it raises is this input's rejection."""
        if self.result is not None:
            return
        clock = time.perf_counter()
        failure = _attempt(lambda: action(self))
        if failure is not None:
            self.result = _unexpected(stage, self.source.origin, failure)
        self.charge(time.perf_counter() - clock, stage=stage, budget=budget)

    def charge(self, seconds: float, *, stage: str, budget: float) -> None:
        """Count ``seconds`` against the budget; over it, the input is rejected (R117)."""
        self.spent += seconds
        if self.result is None and self.spent > budget:
            self.result = Reasons.R117.reject(
                source=self.source.origin, seconds=f"{budget:g}", stage=stage
            )


@dataclass(eq=False)
class _Unit:
    """A Doc that spaCy's own components read: a whole input's Doc, or a piece of a long one."""

    owner: _Work
    doc: Doc


def _pieces(work: _Work, *, piece_chars: int) -> list[_Unit]:
    """The work's Doc as one unit, or, when longer than ``piece_chars``, as pieces cut at
    token boundaries, so that the pieces' texts put together are the Doc's text."""
    doc = work.doc
    if work.result is not None or doc is None:
        return []
    if len(text_of(doc)) <= piece_chars:
        return [_Unit(work, doc)]
    cuts = piece_cuts(doc, work.blocks, piece_chars=piece_chars)
    return [_Unit(work, doc[a:b].as_doc()) for a, b in pairwise((0, *cuts, len(doc)))]


def piece_cuts(doc: Doc, blocks: Iterable[Block], *, piece_chars: int) -> list[int]:
    """Token indices where a long Doc is cut into pieces of at most ``piece_chars``
    characters (or one token, when a token alone is longer): at the start of an analysed
    block when one fits, else after a sentence's final punctuation, else at a blank, else at
    the last token that fits. One pass over the tokens."""
    block_starts = {block.start for block in blocks if block.kind in ANALYSED_KINDS}
    cuts: list[int] = []
    piece_start = 0  # character offset where the current piece starts
    best: dict[int, int] = {}  # cut quality (0 best) -> latest token index of that quality
    for token in doc:
        last = cuts[-1] if cuts else 0
        if token.i > last and token.idx + len(token.text) - piece_start > piece_chars:
            cut = min(best.items())[1] if best else token.i
            cuts.append(cut)
            piece_start = doc[cut].idx
            best = {}
        if token.i > (cuts[-1] if cuts else 0):
            before = doc[token.i - 1]
            if token.idx in block_starts:
                best[0] = token.i
            elif before.text[-1:] in _SENTENCE_END and not token.is_space:
                best[1] = token.i
            elif before.is_space or before.whitespace_:
                best[2] = token.i
    return cuts


def _join(works: list[_Work], units: list[_Unit], *, budget: float) -> None:
    """Each work's pieces joined into its one Doc, with the article's blocks and date set."""
    pieces: dict[int, list[Doc]] = {}
    for unit in units:
        pieces.setdefault(id(unit.owner), []).append(unit.doc)

    def join(work: _Work) -> None:
        mine = pieces.get(id(work), [])
        doc = mine[0] if len(mine) == 1 else Doc.from_docs(mine, ensure_whitespace=False)
        clip_entities(doc, work.blocks)
        doc._.set(attributes.BLOCKS, work.blocks)
        doc._.set(attributes.PUBLISHED, work.source.published)
        doc._.set(attributes.SOURCE_URL, work.source.url)
        work.doc = doc

    for work in works:
        work.step("joining pieces", budget, join)


class _EvidenceClipper:
    """Keeps every piece of evidence to the article's own words.

    The NLP reads the text with the blocks it does not analyse blanked out and a full stop
    put after an open title or heading. A span the stages find may run across such a stretch
    (a quote opened in the title and closed in the lead, a name running over a caption): its
    evidence is cut at the first such stretch inside it, keeping the words before, so
    ``text[start:end]`` is always the article's.
    """

    def __init__(self, text: str, analysed: str, blocks: Iterable[Block]) -> None:
        self.text = text
        foreign: list[tuple[int, int]] = []
        cursor = 0
        analysed_spans = sorted(
            (block.start, block.end) for block in blocks if block.kind in ANALYSED_KINDS
        )
        for start, end in (*analysed_spans, (len(text), len(text))):
            if start > cursor:  # a stretch no analysed block holds: where do the texts differ?
                differ = [i for i in range(cursor, start) if text[i] != analysed[i]]
                if differ:
                    foreign.append((differ[0], differ[-1] + 1))
            cursor = max(cursor, end)
        self.starts = [start for start, _ in foreign]
        self.foreign = foreign

    def record(self, value: _R) -> _R:
        """``value`` with every Evidence inside it clipped; unchanged objects are kept."""
        if isinstance(value, Evidence):
            return self.evidence(value)  # type: ignore[return-value]
        if isinstance(value, tuple):
            items = tuple(self.record(item) for item in value)
            same = all(new is old for new, old in zip(items, value, strict=True))
            return value if same else items  # type: ignore[return-value]
        if isinstance(value, BaseModel):
            updates = {}
            for name in type(value).model_fields:
                old = getattr(value, name)
                new = self.record(old)
                if new is not old:
                    updates[name] = new
            return value.model_copy(update=updates) if updates else value
        return value

    def evidence(self, evidence: Evidence) -> Evidence:
        start, end = evidence.start, evidence.end
        if not self.foreign or self.text[start:end] == evidence.text:
            return evidence
        index = bisect_right(self.starts, start) - 1
        if index >= 0 and self.foreign[index][1] > start:  # starts inside: begin after it
            start = self.foreign[index][1]
            index += 1
        else:
            index += 1
        if index < len(self.foreign) and self.foreign[index][0] < end:
            end = self.foreign[index][0]
        words = self.text[start : max(start, end)]
        start += len(words) - len(words.lstrip())
        end = start + len(words.strip())
        return evidence.model_copy(
            update={"start": start, "end": end, "text": self.text[start:end]}
        )


def clip_entities(doc: Doc, blocks: Iterable[Block]) -> None:
    """Cut every named entity at the first blanked block inside it (a caption or credit
    between two lines, the NER reading the blank as a space), keeping its words before the
    blank; an entity with none left is dropped. Evidence quotes the article, never a blank."""
    blanked = sorted(
        (block.start, block.end)
        for block in blocks
        if block.kind not in ANALYSED_KINDS and block.start < block.end
    )
    if not blanked:
        return
    ends = [end for _, end in blanked]
    kept: list[Span] = []
    for ent in doc.ents:
        index = bisect_right(ends, ent.start_char)
        if index == len(blanked) or blanked[index][0] >= ent.end_char:
            kept.append(ent)
            continue
        cut = blanked[index][0]
        words = [token for token in ent if token.idx + len(token) <= cut and not token.is_space]
        if words and words[0].idx >= ent.start_char:
            kept.append(Span(doc, words[0].i, words[-1].i + 1, label=ent.label))
    if len(kept) != len(doc.ents) or any(
        (a.start, a.end) != (b.start, b.end) for a, b in zip(kept, doc.ents, strict=False)
    ):
        doc.ents = kept


def _run_batched(
    name: str,
    component: Callable[[Doc], Doc],
    units: list[_Unit],
    *,
    budget: float,
    batch_size: int,
) -> None:
    """One spaCy component over the units' Docs in batches; its time is shared among the
    inputs by their length. If the batch fails, each Doc is run alone, so that only the
    input that breaks the component is rejected (with what it raised)."""
    live = [unit for unit in units if unit.owner.result is None]
    pipe = getattr(component, "pipe", None)
    if pipe is not None and live:
        clock = time.perf_counter()
        docs: list[Doc] = []
        # The exception is not lost: the one-by-one rerun below raises it again for the Doc
        # that caused it, and records it as that input's rejection.
        if _attempt(lambda: docs.extend(pipe([unit.doc for unit in live], batch_size=batch_size))):
            docs = []
        seconds = time.perf_counter() - clock
        if len(docs) == len(live):
            total = sum(len(unit.doc) for unit in live) or 1
            for unit, doc in zip(live, docs, strict=True):
                unit.doc = doc
                unit.owner.charge(seconds * len(doc) / total, stage=name, budget=budget)
            return
    for unit in live:
        unit.owner.step(name, budget, partial(_apply_unit, unit=unit, component=component))


def _apply(work: _Work, *, component: Callable[[Doc], Doc]) -> None:
    assert work.doc is not None
    work.doc = component(work.doc)


def _apply_unit(work: _Work, *, unit: _Unit, component: Callable[[Doc], Doc]) -> None:
    unit.doc = component(unit.doc)


def _attempt(action: Callable[[], object]) -> Exception | None:
    """Run ``action`` for one input; return what it raised. The caller turns it into that
    input's rejection: one input must never stop the others, whatever goes wrong with it."""
    try:
        action()
    except Exception as exc:  # noqa: BLE001 - recorded as the input's R116 rejection
        return exc
    return None


def _guarded(stage: str, origin: str | None, action: Callable[[], _T]) -> _T | Rejected:
    """``action()``, or the input's R116 rejection when it raises."""
    result: list[_T] = []
    failure = _attempt(lambda: result.append(action()))
    return _unexpected(stage, origin, failure) if failure is not None else result[0]


def _unexpected(stage: str, origin: str | None, exc: Exception) -> Rejected:
    message = " ".join(str(exc).split())[:300]
    return Reasons.R116.reject(
        source=origin, stage=stage, error=type(exc).__name__, message=message or "no message"
    )


def segment_source(source: Source, *, settings: Settings) -> tuple[Block, ...]:
    """The blocks of a source's text, with what ingest already knows as hints."""
    hints = (*source.hints, *dateline_hint(source))
    return segment.segment(source.text, settings=settings.segment, title=source.title, hints=hints)


def dateline_hint(source: Source) -> tuple[Block, ...]:
    """A blog's signature dateline opening a paragraph ("#AceNewsReport – Aug.24:") as its own
    metadata block: left in the body, the parser takes it for the subject of the lead sentence.

    A wire dateline with a place or an agency ("PORT SUDAN, Sudan, June 4 (Reuters) -") is left
    to the segment stage, which makes it a ``dateline`` block and credits its agency."""
    if not source.dateline:
        return ()
    found = metadata.match_dateline(source.dateline)
    if found is not None and (found.place is not None or found.agency is not None):
        return ()
    start = source.text.find(source.dateline)
    at_paragraph_start = start == 0 or source.text[max(start - 1, 0)] == "\n"
    if start < 0 or not at_paragraph_start:
        return ()
    return (Block(kind="metadata", start=start, end=start + len(source.dateline)),)


def mark_block_starts(doc: Doc, blocks: Iterable[Block]) -> None:
    """Start a sentence at the first token of every block the NLP reads: a sentence never runs
    from one block into the next (a caption's credit into a body line, a list item into the
    next), and the parser keeps boundaries set before it runs."""
    ordered = list(blocks)
    starts = {block.start for block in ordered if block.kind in ANALYSED_KINDS}
    # The blanked dateline is a sentence of its own: its place (a mention of role "dateline")
    # must not count as a place named in the lead sentence.
    after_dateline = {
        block.start
        for before, block in pairwise(ordered)
        if before.kind == "dateline" and block.kind in ANALYSED_KINDS
    }
    words_before = False
    for token in doc:
        # Other blanked text before the first block's words stays with that block's sentence.
        if token.i > 0 and (token.idx in after_dateline or (token.idx in starts and words_before)):
            token.is_sent_start = True
        words_before = words_before or not token.is_space


def analysed_doc(nlp: Language, text: str, blocks: Sequence[Block]) -> Doc:
    """The Doc the NLP stages read: :func:`analysed_text` with its titles and headings closed,
    and a sentence starting at each of them and at the first word after it (the parser keeps
    boundaries set in advance).

    A headline or subhead has no final full stop. Left open, the parser reads "Gunmen kill 12
    in X" and the lead "Gunmen killed ..." as one sentence, and the NER reads the lead's first
    word with the headline's last (the place "X" and the lead's "Gunmen" as one name). A full
    stop that an abbreviation at a line's end swallows ("... Inc.") would put a character that
    is not the article's inside a token, so such a line stays open and only the sentence starts
    hold.
    """
    closed = [block for block in blocks if block.kind in CLOSED_KINDS]
    # The tokenizer itself, not ``make_doc``: a text over ``max_length`` is parsed in pieces.
    doc = nlp.tokenizer(analysed_text(text, blocks, close=closed))
    starts = [token.idx for token in doc]
    swallowed = [block for block in closed if _inside_token(doc, starts, block.end)]
    if swallowed:
        kept = [block for block in closed if block not in swallowed]
        doc = nlp.tokenizer(analysed_text(text, blocks, close=kept))
        starts = [token.idx for token in doc]
    for block in closed:
        for at in (block.start, block.end):
            index = bisect_left(starts, at)
            while index < len(doc) and (
                doc[index].is_space or (at == block.end and _put_there(doc[index], text))
            ):
                index += 1  # past the blank and the full stop put there
            if index < len(doc):
                doc[index].is_sent_start = True
    return doc


def analysed_text(text: str, blocks: Iterable[Block], *, close: Iterable[Block] = ()) -> str:
    """``text`` as the NLP stages read it: everything outside the analysed blocks (body, title,
    heading) blanked out, offsets unchanged. Each block of ``close`` (titles and headings) with
    no final punctuation gets a full stop in the blank after it: in place of the line break
    when only a line break follows, else in the first of two blank characters, so the full
    stop stands apart from the next word."""
    chars = [char if char == "\n" else " " for char in text]
    for block in blocks:
        if block.kind in ANALYSED_KINDS:
            chars[block.start : block.end] = text[block.start : block.end]
    for block in close:
        if _open_line(text, block):
            chars[block.end] = "."
    return "".join(chars)


def _open_line(text: str, block: Block) -> bool:
    """True when the block ends with no punctuation of its own and is followed by a blank:
    a line break, or two blank characters."""
    gap = text[block.end : block.end + 2]
    last = text[block.start : block.end].rstrip("\"'”’)]")[-1:]
    blank = gap[:1] == "\n" or (len(gap) == 2 and gap.isspace())
    return blank and last not in _FINAL_PUNCTUATION


def _put_there(token: Token, text: str) -> bool:
    """True for a full stop that closes a title in the Doc but is not in the article."""
    return token.text == "." and text[token.idx] != "."


def _inside_token(doc: Doc, starts: Sequence[int], at: int) -> bool:
    """True when a token runs across the offset ``at``; ``starts`` are the tokens' offsets."""
    index = bisect_right(starts, at) - 1
    return index >= 0 and doc[index].idx < at < doc[index].idx + len(doc[index].text)


def article_id(text: str) -> str:
    """Stable id of an article: the first 16 hex digits of the sha256 of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@cache
def _default_analyzer() -> Analyzer:
    return Analyzer()


def analyze(
    text_or_html: str | bytes, *, published: str | None = None, url: str | None = None
) -> Article:
    """Analyse one article (plain text, HTML, or bytes in any encoding) into an ``Article``.

    Raises ``InputRejected`` (with ``.rejected`` saying why) when the input cannot be analysed.
    """
    result = _default_analyzer().analyze(text_or_html, published=published, url=url)
    if isinstance(result, Rejected):
        raise InputRejected(result)
    return result

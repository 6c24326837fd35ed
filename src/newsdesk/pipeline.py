"""Assembles the stages into one path: raw input in, an ``Article`` (or a ``Rejected``) out.

    ingest -> segment -> mask blocks not analysed, close titles
        -> spaCy (tagger, parser, NER, newsdesk_*) -> Article

Only body and title blocks go through the NLP stages: other blocks are blanked out with spaces
of the same length, so every character offset in the Doc is an offset into ``Article.text``.
A title is a sentence of its own: a full stop is put in the blank after it when it has none,
and a sentence starts after it.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from importlib.metadata import version
from itertools import islice, pairwise
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Token

from newsdesk import attributes
from newsdesk.components import COMPONENTS, register_components
from newsdesk.errors import Errors, InputRejected, ModelError
from newsdesk.records import ANALYSED_KINDS, Article, Block, Input, Rejected, Source
from newsdesk.settings import Settings, load_settings
from newsdesk.stages import entities, ingest, metadata, segment

_NEEDED = ("parser", "ner")
# A title that ends with one of these, or with one of these and a closing quote, is closed.
_FINAL_PUNCTUATION = frozenset(".!?…:;,")


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
        source = ingest.read_file(path, settings=self.settings.input, url=url, published=published)
        return next(self._analyze_sources([source]))

    def analyze_many(self, inputs: Iterable[Input | str | bytes]) -> Iterator[Article | Rejected]:
        """Analyse many inputs in batches, yielding one result per input, in order."""
        sources = (self._read(item) for item in inputs)
        return self._analyze_sources(sources)

    def _read(self, item: Input | str | bytes) -> Source | Rejected:
        if not isinstance(item, Input):
            item = Input(data=item)
        return ingest.read(
            item.data,
            settings=self.settings.input,
            url=item.url,
            published=item.published,
            origin=item.origin,
        )

    def _analyze_sources(
        self, sources: Iterable[Source | Rejected]
    ) -> Iterator[Article | Rejected]:
        batch_size = self.settings.model.batch_size
        iterator = iter(sources)
        # Chunks bound memory on long runs; rejections keep their place in the output order.
        while chunk := list(islice(iterator, batch_size * 8)):
            accepted = [self._prepare(item) for item in chunk if isinstance(item, Source)]
            docs = iter(self.nlp.pipe(accepted, batch_size=batch_size))
            for item in chunk:
                yield item if isinstance(item, Rejected) else self._article(next(docs), item)

    def _prepare(self, source: Source) -> Doc:
        blocks = segment_source(source, settings=self.settings)
        doc = analysed_doc(self.nlp, source.text, blocks)
        mark_block_starts(doc, blocks)
        doc._.set(attributes.BLOCKS, blocks)
        doc._.set(attributes.PUBLISHED, source.published)
        return doc

    def _article(self, doc: Doc, source: Source) -> Article:
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
    """The Doc the NLP stages read: :func:`analysed_text` with its titles closed, and a sentence
    starting at each title and at the first word after it (the parser keeps boundaries set
    in advance).

    A headline has no final full stop. Left open, the parser reads "Gunmen kill 12 in X" and
    the lead "Gunmen killed ..." as one sentence, and the NER reads the lead's first word with
    the title's last (the place "X" and the lead's "Gunmen" as one name). A full stop that an
    abbreviation at the title's end swallows ("... Inc.") would put a character that is not
    the article's inside a token, so then the titles stay open and only the sentence starts
    hold.
    """
    titles = [block for block in blocks if block.kind == "title"]
    doc = nlp.make_doc(analysed_text(text, blocks, close_titles=True))
    if any(_inside_token(doc, block.end) for block in titles):
        doc = nlp.make_doc(analysed_text(text, blocks))
    starts = [token.idx for token in doc]
    for block in titles:
        for at in (block.start, block.end):
            index = bisect_left(starts, at)
            while index < len(doc) and (
                doc[index].is_space or (at == block.end and _put_there(doc[index], text))
            ):
                index += 1  # past the blank and the full stop put there
            if index < len(doc):
                doc[index].is_sent_start = True
    return doc


def analysed_text(text: str, blocks: Iterable[Block], *, close_titles: bool = False) -> str:
    """``text`` as the NLP stages read it: everything outside body and title blocks blanked
    out, offsets unchanged. With ``close_titles``, a title with no final punctuation gets a
    full stop in the blank after it, when that blank is two characters or more, so the full
    stop stands apart from the next word."""
    chars = [char if char == "\n" else " " for char in text]
    for block in blocks:
        if block.kind in ANALYSED_KINDS:
            chars[block.start : block.end] = text[block.start : block.end]
        if close_titles and block.kind == "title" and _open_title(text, block):
            chars[block.end] = "."
    return "".join(chars)


def _open_title(text: str, block: Block) -> bool:
    """True when the title ends with no punctuation of its own and is followed by a blank."""
    gap = text[block.end : block.end + 2]
    last = text[block.start : block.end].rstrip("\"'”’)]")[-1:]
    return len(gap) == 2 and gap.isspace() and last not in _FINAL_PUNCTUATION


def _put_there(token: Token, text: str) -> bool:
    """True for a full stop that closes a title in the Doc but is not in the article."""
    return token.text == "." and text[token.idx] != "."


def _inside_token(doc: Doc, at: int) -> bool:
    """True when a token runs across the offset ``at``."""
    index = bisect_right([token.idx for token in doc], at) - 1
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

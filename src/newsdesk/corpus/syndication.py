"""Near-duplicates and syndication: which article copies which, block by block, and from whom.

Every body block is sketched with MinHash over character 5-gram shingles (short paragraphs
need characters: word 3-grams miss lightly edited copies) and indexed by its LSH bands, so a
new article is compared only with the blocks that share a band with its own, never with the
whole corpus. An article's sketch is the union of its blocks' sketches, banded apart, for
article-level duplicates. The sketches, bands, copies and records live in a state object
(``sketches.py``): dicts in memory, or the store's tables for a desk of any size.

"Earlier" means published earlier, then added earlier (an undated article comes after every
dated one). A block copies the earliest earlier block it matches; the copy is credited to an
agency when the text says so (a dateline block "KABUL (Reuters) -" before it, a trailing
"- AFP", the block's credit, "told the BBC", "according to Reuters") or the source article's
publisher is one. A block that the text credits to an agency, with no copy of it in the corpus,
is recorded with ``source_article=None`` and ``similarity=0.0`` (not measured): that is still
where it came from.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
from datasketch import MinHash  # type: ignore[import-untyped]

from newsdesk.corpus.sketches import (
    UNDATED,
    WHOLE,
    Candidate,
    Copy,
    Key,
    MemorySketches,
    NewSketch,
    Order,
    Sketch,
    SketchState,
    Stored,
    band_keys,
    lsh_bands,
    similarity,
)
from newsdesk.records import Article, Block, Syndication
from newsdesk.settings import CorpusSettings, load_settings

__all__ = [
    "SyndicationIndex",
    "agency_name",
    "block_agencies",
    "copy_source",
    "find_syndication",
]

SHINGLE_CHARS = 5
MAX_CANDIDATES = 200
"""At most this many LSH candidates are scored per block: a paragraph that hundreds of
articles share (a publisher's stock sign-off kept as body) must not make the index quadratic.
The earliest candidates are kept, since the earliest copy is the source."""

# Wire agencies and the outlets whose copy is relayed most, by the canonical name used in
# records, with the spellings reports use. Matched case-sensitively: "AP" is an agency, "ap" no.
AGENCIES: dict[str, tuple[str, ...]] = {
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "Reuters": ("Reuters", "Thomson Reuters", "REUTERS"),
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "BBC": ("BBC", "BBC News", "BBC World Service", "BBC Radio 4"),
    "DPA": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "EFE": ("EFE", "Agencia EFE"),
    "ANSA": ("ANSA",),
    "Xinhua": ("Xinhua", "Xinhua News Agency"),
    "TASS": ("TASS", "ITAR-TASS", "Tass"),
    "Interfax": ("Interfax",),
    "RIA Novosti": ("RIA Novosti",),
    "Anadolu": ("Anadolu", "Anadolu Agency"),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap",),
    "PTI": ("PTI", "Press Trust of India"),
    "ANI": ("ANI", "Asian News International"),
    "UPI": ("UPI", "United Press International"),
    "IANS": ("IANS",),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "CNN": ("CNN",),
    "Al Jazeera": ("Al Jazeera", "Al-Jazeera"),
}
_CANONICAL = {alias: name for name, aliases in AGENCIES.items() for alias in aliases}
_ALIAS = "|".join(re.escape(a) for a in sorted(_CANONICAL, key=len, reverse=True))
_NAMED = re.compile(rf"(?<![\w-])(?:{_ALIAS})(?![\w-])")
_DASH = r"[-–—:]"
# "KABUL, Aug 24 (Reuters) -" or "(AFP) -" near the start of a paragraph: only for articles
# coded before segmentation made datelines blocks of their own.
_DATELINE = re.compile(rf"^.{{0,60}}?\((?P<a>{_ALIAS})\)\s*{_DASH}", re.DOTALL)
# "AFP -" opening a paragraph, or "... - AFP" / "(Reuters)" closing one.
_OPENING = re.compile(rf"^\s*(?P<a>{_ALIAS})\s*{_DASH}\s")
_CLOSING = re.compile(rf"(?:{_DASH}|\()\s*(?P<a>{_ALIAS})\)?\W*$")
# Weaker: the paragraph cites an outlet as the channel of what it reports.
_CUE = re.compile(
    rf"\b(?:told|according to|speaking to|interview with|quoted by|reported by)\s+"
    rf"(?:the\s+)?(?P<a>{_ALIAS})(?![\w-])"
    rf"|(?<![\w-])(?P<b>{_ALIAS})(?:'s)?\s+(?:news agency\s+)?(?:reported|quoted|learned)\b"
)
_NON_WORD = re.compile(r"[\W_]+")


def agency_name(text: str | None) -> str | None:
    """The canonical agency named in ``text`` ("AFP: Ahmad Sahel Arman" -> "AFP"), or None."""
    if not text:
        return None
    match = _NAMED.search(text)
    return _CANONICAL[match.group(0)] if match else None


def block_agencies(article: Article) -> dict[int, str]:
    """Agency the text credits, by block index, for the article's body blocks.

    A block's own signals count first: the dateline opening its paragraph, an opening or
    closing credit ("AFP - ...", "... - AFP"), its ``credit``, a cue such as "told the BBC". A
    dateline opening the article (before its first body block) also covers the blocks with no
    signal of their own, as wire copy republished whole has one dateline for many paragraphs; a
    dateline further down (an aggregator's stitched copy) covers its own paragraph only. An
    article's publisher is never credited as a source of its own text.

    Segmentation sets each dateline apart as a ``dateline`` block naming its agency; those
    blocks are read as they are. An article with none may have been coded before datelines
    were set apart (its extractor name did not change, so ``recode`` does not redo it): for it,
    a dateline is looked for at the start of each body block's text.
    """
    own = agency_name(article.publisher)
    body = [(i, b) for i, b in enumerate(article.blocks) if b.kind == "body"]
    if any(block.kind == "dateline" for block in article.blocks):
        dated, opening = _dateline_blocks(article)
    else:
        dated, opening = _datelines_in_text(article, body)
    found: dict[int, str] = {}
    for index, block in body:
        text = article.text[block.start : block.end]
        leading = _group(_OPENING.search(text))
        if index == body[0][0] and leading is not None:
            opening = leading
        named = (
            dated.get(index)
            or leading
            or _group(_CLOSING.search(text))
            or agency_name(block.credit)
            or _group(_CUE.search(text))
        )
        if named is not None:
            found[index] = named
    if opening is not None:
        for index, _ in body:
            found.setdefault(index, opening)
    return {index: name for index, name in sorted(found.items()) if name != own}


def _dateline_blocks(article: Article) -> tuple[dict[int, str], str | None]:
    """The agency of each dateline block, by the index of the body block it opens, and the
    agency of a dateline that stands before every body block (it opens the article)."""
    dated: dict[int, str] = {}
    opening: str | None = None
    seen_body = False
    blocks = article.blocks
    for index, block in enumerate(blocks):
        if block.kind == "body":
            seen_body = True
        if block.kind != "dateline":
            continue
        agency = agency_name(block.credit)
        if agency is None:
            continue  # "KIGALI, Rwanda -": a place, no agency
        if not seen_body:
            opening = agency
        following = index + 1
        if following < len(blocks) and blocks[following].kind == "body":
            dated[following] = agency
    return dated, opening


def _datelines_in_text(
    article: Article, body: list[tuple[int, Block]]
) -> tuple[dict[int, str], str | None]:
    """For an article coded before datelines were blocks of their own: a dateline opening a
    body block's text, by block index, and the opening one. Such a version set an opening
    dateline apart as a metadata block at first, leaving only ``Article.dateline`` to read."""
    dated: dict[int, str] = {}
    opening = _group(_DATELINE.search(article.dateline or ""))
    for index, block in body:
        agency = _group(_DATELINE.search(article.text[block.start : block.end]))
        if agency is None:
            continue
        dated[index] = agency
        if index == body[0][0]:
            opening = agency
    return dated, opening


def _group(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    alias = next(value for value in match.groups() if value)
    return _CANONICAL[alias]


def shingles(text: str) -> set[str]:
    """Character 5-grams of the text, lower-cased, with punctuation and spacing folded."""
    norm = _NON_WORD.sub(" ", text.lower()).strip()
    if len(norm) <= SHINGLE_CHARS:
        return {norm} if norm else set()
    return {norm[i : i + SHINGLE_CHARS] for i in range(len(norm) - SHINGLE_CHARS + 1)}


def _crc32(shingle: str) -> int:
    # Stable across processes (unlike hash()), and fast: datasketch mixes it before permuting.
    return zlib.crc32(shingle.encode("utf-8"))


class SyndicationIndex:
    """Incremental index of the articles seen so far, block by block.

    ``add`` returns the syndication records the new article makes or changes: its own copied
    blocks, and, when it arrives after articles published later than it, their blocks that now
    turn out to copy it. ``syndications()`` is the current full set.

    What the index has seen is kept by ``state``: in memory by default, or in the store
    (``sketches.StoredSketches``), where the same code adds articles to a store of any size.
    """

    def __init__(
        self, *, settings: CorpusSettings | None = None, state: SketchState | None = None
    ) -> None:
        self._settings = settings if settings is not None else load_settings().corpus
        num_perm = self._settings.num_perm
        self._permutations = MinHash(num_perm=num_perm).permutations
        self._block_bands = lsh_bands(self._settings.block_similarity, num_perm)
        self._whole_bands = lsh_bands(self._settings.duplicate_similarity, num_perm)
        self._state: SketchState = state if state is not None else MemorySketches()

    def __len__(self) -> int:
        return len(self._state)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._state

    def add(self, article: Article) -> tuple[Syndication, ...]:
        """Index one article; the records it makes or changes, earliest article first."""
        if article.id in self._state:
            return ()
        order = (article.published or UNDATED, self._state.arrival(article.id))
        publisher_agency = agency_name(article.publisher)
        credited = block_agencies(article)
        sketches = self._sketch_blocks(article)
        whole = self._sketch_article(article, sketches)
        keys = {WHOLE: band_keys(whole, self._whole_bands, whole=True)}
        keys.update(
            (index, band_keys(sketch, self._block_bands, whole=False))
            for index, sketch in sketches.items()
        )
        match = _Match(article.id, order, credited, publisher_agency)
        match.fetch(self._state, self._state.candidates(keys))

        for candidate, stored in match.whole_candidates():
            found = similarity(stored.sketch, whole)
            if found >= self._settings.duplicate_similarity:
                match.offer(WHOLE, candidate, found)
        for index, sketch in sketches.items():
            for candidate, stored in match.block_candidates(index):
                found = similarity(stored.sketch, sketch)
                if found >= self._settings.block_similarity:
                    match.offer(index, candidate, found)

        self._state.insert(
            article.id,
            order,
            [NewSketch(WHOLE, whole, keys[WHOLE], publisher_agency, match.own_copy(WHOLE))]
            + [
                NewSketch(index, sketch, keys[index], credited.get(index), match.own_copy(index))
                for index, sketch in sketches.items()
            ],
        )
        self._state.set_copies(match.theirs)

        touched = {key for key in match.theirs if key[1] != WHOLE}
        touched |= {
            (article.id, i) for i, block in enumerate(article.blocks) if block.kind == "body"
        }
        held = self._state.records(touched)
        changes: dict[Key, Syndication | None] = {}
        for key in sorted(touched, key=lambda k: (match.order_of(k[0]), k[1])):
            record = match.record(key)
            if record != held.get(key):
                changes[key] = record
        self._state.put_records(changes)
        return tuple(record for record in changes.values() if record is not None)

    def duplicate_of(self, article: Article | str) -> str | None:
        """Id of the earlier article this one nearly copies whole, or None.

        For an article not in the index the answer is computed without adding it (given by id,
        such an article has none).
        """
        article_id = article if isinstance(article, str) else article.id
        if article_id in self._state:
            return self._state.duplicate_of(article_id)
        if isinstance(article, str):
            return None
        whole = self._sketch_article(article, self._sketch_blocks(article))
        keys = {WHOLE: band_keys(whole, self._whole_bands, whole=True)}
        candidates = self._state.candidates(keys)[WHOLE]
        stored = self._state.sketches((c.article, c.block) for c in candidates)
        matches = [
            candidate
            for candidate in candidates
            if similarity(stored[(candidate.article, WHOLE)].sketch, whole)
            >= self._settings.duplicate_similarity
        ]
        return min(matches, key=lambda c: c.order).article if matches else None

    def duplicates(self) -> dict[str, str]:
        """Every near-duplicate article seen so far, by id, with the id of its original."""
        return self._state.duplicates()

    def syndications(self) -> tuple[Syndication, ...]:
        """Every syndication record, in article order then block order."""
        found = sorted(self._state.all_records(), key=lambda item: (item[0], item[1].block))
        return tuple(record for _, record in found)

    # -- sketches ---------------------------------------------------------------------------

    def _new_sketch(self, shingle_set: Iterable[str]) -> Sketch:
        sketch = MinHash(
            num_perm=self._settings.num_perm,
            hashfunc=_crc32,
            permutations=self._permutations,
            scheme="affine32",
        )
        sketch.update_batch(shingle_set)
        values: Sketch = sketch.hashvalues
        return values

    def _sketch_blocks(self, article: Article) -> dict[int, Sketch]:
        return {
            index: self._new_sketch(shingles(article.text[block.start : block.end]))
            for index, block in enumerate(article.blocks)
            if _matchable(block, self._settings.min_block_chars)
        }

    def _sketch_article(self, article: Article, sketches: dict[int, Sketch]) -> Sketch:
        """The union of the body blocks' shingles, sketched: the least of their hash values."""
        body = [b for b in article.blocks if b.kind == "body"]
        if not body:
            return self._new_sketch(shingles(article.text))
        whole = self._new_sketch(())
        for index, block in enumerate(article.blocks):
            if block.kind != "body":
                continue
            part = sketches.get(index)
            if part is None:
                part = self._new_sketch(shingles(article.text[block.start : block.end]))
            whole = np.minimum(whole, part)
        return whole


class _Match:
    """One article's matching against what the index holds: the copies it finds, of its own
    blocks (``own``) and of earlier-arrived blocks that turn out to copy it (``theirs``)."""

    def __init__(
        self,
        article_id: str,
        order: Order,
        credited: dict[int, str],
        publisher_agency: str | None,
    ) -> None:
        self.article_id = article_id
        self.order = order
        self.credited = credited
        self.publisher_agency = publisher_agency
        self.candidates: dict[int, list[Candidate]] = {}
        self.stored: dict[Key, Stored] = {}
        self._orders = {article_id: order}
        self._own: dict[int, tuple[Copy, Order]] = {}
        self.theirs: dict[Key, Copy] = {}

    def fetch(self, state: SketchState, candidates: dict[int, list[Candidate]]) -> None:
        """Keep the candidates to score, and fetch their sketches."""
        for index, found in candidates.items():
            found = [c for c in found if c.article != self.article_id]
            if index != WHOLE:
                # The earliest candidates, since the earliest copy is the source.
                found.sort(key=lambda c: (c.order, c.block))
                del found[MAX_CANDIDATES:]
            self.candidates[index] = found
            self._orders.update((c.article, c.order) for c in found)
        self.stored = state.sketches(
            (c.article, c.block) for found in self.candidates.values() for c in found
        )

    def order_of(self, article_id: str) -> Order:
        return self._orders[article_id]

    def whole_candidates(self) -> Iterator[tuple[Candidate, Stored]]:
        return self._with_sketch(WHOLE)

    def block_candidates(self, index: int) -> Iterator[tuple[Candidate, Stored]]:
        return self._with_sketch(index)

    def _with_sketch(self, index: int) -> Iterator[tuple[Candidate, Stored]]:
        for candidate in self.candidates.get(index, ()):
            stored = self.stored.get((candidate.article, candidate.block))
            if stored is not None:
                yield candidate, stored

    def own_copy(self, index: int) -> Copy | None:
        found = self._own.get(index)
        return None if found is None else found[0]

    def offer(self, index: int, candidate: Candidate, found: float) -> None:
        """A match of this article's block ``index`` (or ``WHOLE``) with a stored one: the
        later of the two copies the earlier, if that is a better source than it had."""
        if candidate.order < self.order:
            copy = Copy(candidate.article, candidate.block, found)
            if _better(copy, candidate.order, self._own.get(index)):
                self._own[index] = (copy, candidate.order)
            return
        key = (candidate.article, candidate.block)
        current: tuple[Copy, Order] | None
        if key in self.theirs:
            current = (self.theirs[key], self.order)
        else:
            stored = self.stored[key]
            current = (
                None
                if stored.copy is None or stored.copy_order is None
                else (stored.copy, stored.copy_order)
            )
        copy = Copy(self.article_id, index, found)
        if _better(copy, self.order, current):
            self.theirs[key] = copy

    def record(self, key: Key) -> Syndication | None:
        """The record of block ``key``, of this article or one whose copy it changed: its copy
        (if any) and the agency it came from."""
        article_id, index = key
        if article_id == self.article_id:
            copy, credited = self.own_copy(index), self.credited.get(index)
        else:
            copy, credited = self.theirs.get(key), self.stored[key].agency
        if copy is None:
            if credited is None:
                return None
            return Syndication(article=article_id, block=index, agency=credited, similarity=0.0)
        if copy.source_article == self.article_id:
            source_agency = self.credited.get(copy.source_block) or self.publisher_agency
        else:
            source = self.stored[(copy.source_article, copy.source_block)]
            source_agency = source.agency or source.publisher_agency
        return Syndication(
            article=article_id,
            block=index,
            source_article=copy.source_article,
            source_block=copy.source_block,
            agency=credited or source_agency,
            similarity=round(copy.similarity, 3),
        )


def _better(copy: Copy, order: Order, current: tuple[Copy, Order] | None) -> bool:
    """The earliest source wins; within one source article, the closest block. ``order`` is
    the arrival of ``copy``'s source article, ``current`` the copy held with its source's."""
    if current is None:
        return True
    held, held_order = current
    return (order, -copy.similarity) < (held_order, -held.similarity)


def copy_source(
    article: Article, records: Iterable[Syndication], *, min_block_chars: int
) -> str | None:
    """The article this one is a copy of, or None: the article its lede (its first paragraph
    long enough to be matched) copies, when that article's paragraphs are at least half of
    its own. A syndicated copy, trimmed from the bottom or with paragraphs of its own added,
    keeps its original's lede; a new report that reuses an outlet's background paragraphs
    under a lede of its own is a report of its own. ``records`` are the syndication records
    of the article, as ``add`` returns them (records of other articles are passed over)."""
    matchable = [i for i, block in enumerate(article.blocks) if _matchable(block, min_block_chars)]
    copied: dict[int, str] = {
        record.block: record.source_article
        for record in records
        if record.article == article.id and record.source_article is not None
    }
    if not matchable or matchable[0] not in copied:
        return None
    source = copied[matchable[0]]
    count = sum(1 for index in matchable if copied.get(index) == source)
    return source if 2 * count >= len(matchable) else None


def _matchable(block: Block, min_chars: int) -> bool:
    return block.kind == "body" and block.end - block.start >= min_chars


def find_syndication(
    articles: Sequence[Article], *, settings: CorpusSettings | None = None
) -> tuple[Syndication, ...]:
    """Syndication records for a batch of articles, added earliest-published first."""
    index = SyndicationIndex(settings=settings)
    ranked = sorted(range(len(articles)), key=lambda i: (articles[i].published or UNDATED, i))
    for position in ranked:
        index.add(articles[position])
    return index.syndications()

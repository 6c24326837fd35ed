"""Near-duplicates and syndication: which article copies which, block by block, and from whom.

Every body block is sketched with MinHash over character 5-gram shingles (short paragraphs
need characters: word 3-grams miss lightly edited copies) and put in a MinHash LSH index, so a
new article is compared only with the blocks that share LSH buckets with its own, never with
the whole corpus. An article's sketch is the union of its blocks' sketches, in a second index,
for article-level duplicates.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH  # type: ignore[import-untyped]

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

_UNDATED = "9999-99-99"

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


@dataclass(frozen=True)
class _Copy:
    source_article: str
    source_block: int
    similarity: float


class SyndicationIndex:
    """Incremental index of the articles seen so far, block by block.

    ``add`` returns the syndication records the new article makes or changes: its own copied
    blocks, and, when it arrives after articles published later than it, their blocks that now
    turn out to copy it. ``syndications()`` is the current full set.
    """

    def __init__(self, *, settings: CorpusSettings | None = None) -> None:
        self._settings = settings if settings is not None else load_settings().corpus
        num_perm = self._settings.num_perm
        self._permutations = MinHash(num_perm=num_perm).permutations
        self._blocks = MinHashLSH(threshold=self._settings.block_similarity, num_perm=num_perm)
        self._whole = MinHashLSH(threshold=self._settings.duplicate_similarity, num_perm=num_perm)
        self._block_sketch: dict[tuple[str, int], MinHash] = {}
        self._article_sketch: dict[str, MinHash] = {}
        self._order: dict[str, tuple[str, int]] = {}
        self._publisher_agency: dict[str, str | None] = {}
        self._credited: dict[str, dict[int, str]] = {}
        self._copies: dict[tuple[str, int], _Copy] = {}
        self._records: dict[tuple[str, int], Syndication] = {}
        self._duplicates: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._order)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._order

    def add(self, article: Article) -> tuple[Syndication, ...]:
        """Index one article; the records it makes or changes, earliest article first."""
        if article.id in self._order:
            return ()
        order = (article.published or _UNDATED, len(self._order))
        self._order[article.id] = order
        self._publisher_agency[article.id] = agency_name(article.publisher)
        self._credited[article.id] = block_agencies(article)
        sketches = self._sketch_blocks(article)
        whole = self._sketch_article(article, sketches)

        self._match_article(article.id, whole)
        self._whole.insert(article.id, whole)
        self._article_sketch[article.id] = whole

        touched: set[tuple[str, int]] = set()
        for index, sketch in sketches.items():
            touched |= self._match_block(article.id, index, sketch)
        for index, sketch in sketches.items():
            self._blocks.insert((article.id, index), sketch)
            self._block_sketch[(article.id, index)] = sketch
        touched |= {
            (article.id, i) for i, block in enumerate(article.blocks) if block.kind == "body"
        }

        changed = []
        for key in sorted(touched, key=lambda k: (self._order[k[0]], k[1])):
            record = self._record(*key)
            if record != self._records.get(key):
                if record is None:
                    del self._records[key]
                else:
                    self._records[key] = record
                    changed.append(record)
        return tuple(changed)

    def duplicate_of(self, article: Article) -> str | None:
        """Id of the earlier article this one nearly copies whole, or None.

        For an article not in the index the answer is computed without adding it.
        """
        if article.id in self._order:
            return self._duplicates.get(article.id)
        whole = self._sketch_article(article, self._sketch_blocks(article))
        matches = [
            key
            for key in self._whole.query(whole)
            if self._article_sketch[key].jaccard(whole) >= self._settings.duplicate_similarity
        ]
        return min(matches, key=self._order.__getitem__) if matches else None

    def duplicates(self) -> dict[str, str]:
        """Every near-duplicate article seen so far, by id, with the id of its original."""
        return dict(self._duplicates)

    def syndications(self) -> tuple[Syndication, ...]:
        """Every syndication record, in article order then block order."""
        keys = sorted(self._records, key=lambda k: (self._order[k[0]], k[1]))
        return tuple(self._records[key] for key in keys)

    # -- sketches ---------------------------------------------------------------------------

    def _new_sketch(self, shingle_set: Iterable[str]) -> MinHash:
        sketch = MinHash(
            num_perm=self._settings.num_perm,
            hashfunc=_crc32,
            permutations=self._permutations,
            scheme="affine32",
        )
        sketch.update_batch(shingle_set)
        return sketch

    def _sketch_blocks(self, article: Article) -> dict[int, MinHash]:
        return {
            index: self._new_sketch(shingles(article.text[block.start : block.end]))
            for index, block in enumerate(article.blocks)
            if _matchable(block, self._settings.min_block_chars)
        }

    def _sketch_article(self, article: Article, sketches: dict[int, MinHash]) -> MinHash:
        body = [b for b in article.blocks if b.kind == "body"]
        if not body:
            return self._new_sketch(shingles(article.text))
        whole = self._new_sketch(())
        for index, block in enumerate(article.blocks):
            if block.kind != "body":
                continue
            part = sketches.get(index)
            whole.merge(
                part
                if part is not None
                else self._new_sketch(shingles(article.text[block.start : block.end]))
            )
        return whole

    # -- matching ---------------------------------------------------------------------------

    def _match_article(self, article_id: str, whole: MinHash) -> None:
        order = self._order[article_id]
        threshold = self._settings.duplicate_similarity
        for other in self._whole.query(whole):
            if self._article_sketch[other].jaccard(whole) < threshold:
                continue
            if self._order[other] < order:
                current = self._duplicates.get(article_id)
                if current is None or self._order[other] < self._order[current]:
                    self._duplicates[article_id] = other
            else:
                current = self._duplicates.get(other)
                if current is None or order < self._order[current]:
                    self._duplicates[other] = article_id

    def _match_block(self, article_id: str, index: int, sketch: MinHash) -> set[tuple[str, int]]:
        """Record which earlier block this one copies, and which later blocks copy it."""
        order = self._order[article_id]
        threshold = self._settings.block_similarity
        candidates = [key for key in self._blocks.query(sketch) if key[0] != article_id]
        candidates.sort(key=lambda key: (self._order[key[0]], key[1]))
        touched: set[tuple[str, int]] = set()
        for key in candidates[:MAX_CANDIDATES]:
            similarity = float(self._block_sketch[key].jaccard(sketch))
            if similarity < threshold:
                continue
            if self._order[key[0]] < order:
                copy = _Copy(key[0], key[1], similarity)
                if self._better(copy, self._copies.get((article_id, index))):
                    self._copies[(article_id, index)] = copy
            else:
                copy = _Copy(article_id, index, similarity)
                if self._better(copy, self._copies.get(key)):
                    self._copies[key] = copy
                    touched.add(key)
        return touched

    def _better(self, copy: _Copy, current: _Copy | None) -> bool:
        """The earliest source wins; within one source article, the closest block."""
        if current is None:
            return True
        rank = (self._order[copy.source_article], -copy.similarity)
        return rank < (self._order[current.source_article], -current.similarity)

    def _record(self, article_id: str, index: int) -> Syndication | None:
        copy = self._copies.get((article_id, index))
        credited = self._credited[article_id].get(index)
        if copy is None:
            if credited is None:
                return None
            return Syndication(article=article_id, block=index, agency=credited, similarity=0.0)
        agency = (
            credited
            or self._credited[copy.source_article].get(copy.source_block)
            or self._publisher_agency[copy.source_article]
        )
        return Syndication(
            article=article_id,
            block=index,
            source_article=copy.source_article,
            source_block=copy.source_block,
            agency=agency,
            similarity=round(copy.similarity, 3),
        )


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
    ranked = sorted(range(len(articles)), key=lambda i: (articles[i].published or _UNDATED, i))
    for position in ranked:
        index.add(articles[position])
    return index.syndications()

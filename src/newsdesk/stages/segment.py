"""Segment: tell a news page's body text from its furniture, as typed blocks with exact offsets.

:func:`segment` cuts the normalised text into paragraphs, decides what each one is (title,
metadata, heading, body, caption, credit, promo, teaser, boilerplate), splits the few that hold
two things glued together (a photo credit glued to its caption, a teaser glued to the end of a
body paragraph), and last marks body paragraphs that repeat an earlier one. Hints, blocks the
input's own structure already told, win over every guess for the span they cover.

Body, title and heading blocks go on to the NLP stages (``records.ANALYSED_KINDS``): a headline
and a story's subheads ("Airstrikes kill 50 militants") report events too, and are read as
sentences of their own. Everything else is furniture the NLP never reads, so each rule leans
towards keeping text analysed: a paragraph becomes furniture only on a specific cue from
``newsdesk/data/segment_cues.txt`` (a section label such as "Related" or "Advertisement" is a
teaser or boilerplate block, not a heading), or a shape that news text does not have. A line is
the title only on evidence: the title ingest knows, or a headline-shaped first line set apart
by a blank line, or by a single line break over a line that opens the lead.

Whatever the input, the blocks are sorted, do not overlap, begin and end on non-space characters
and together cover every non-space character exactly once; offsets point into the text as given.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from newsdesk.data.lexicons import ANCHOR, load_phrases
from newsdesk.records import Block, BlockKind
from newsdesk.settings import SegmentSettings
from newsdesk.stages.metadata import match_dateline

__all__ = ["segment"]

_LEXICON = "segment_cues"

_HEADLINE_MAX_WORDS = 40
"""Aggregators stuff keywords into headlines; a first line without a full stop this long is
still one, while a longer one is a body paragraph whose full stop got lost."""

_CAPTION_LENGTH_FACTOR = 3
"""A caption with a photo credit may run to this many times ``short_block_words``: the credit
is strong evidence, and captions often carry a whole sentence after the alt text."""

_CREDIT_MAX_WORDS = 8
"""Longer than this, "Photo: ..." is a caption that describes the photo, not a credit."""

_GLUED_HEADLINE_WORDS = 16
"""How far after a glued sentence end to look for the camel-case seam of a glued teaser."""

_LEAD_MIN_WORDS = 6
"""A line under a headline that ends a sentence opens the body when it has at least this many
words: fewer ("Police said.") is more likely the end of a wrapped sentence."""

_URL_SHARE = 0.5
"""A paragraph whose characters are at least this much URLs is a link list, not prose."""

_FOOTER_MAX_WORDS = 60
"""A boilerplate phrase inside a paragraph (not opening it) counts only in a paragraph this
short, or beside a link: a footer is a line or two or points somewhere, while a news paragraph
that quotes "all rights reserved" or "follow us on" is still news."""

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_CLOSERS = "\"'”’»)]"
_FINAL_PUNCTUATION = frozenset(".!?…:;,")
_QUOTE_OPENERS = "\"'“‘«"
_WORD = re.compile(r"\w+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HASHTAG_LIST = re.compile(r"#[^\s,#]+(?:[\s,]+#[^\s,#]+)*")
_DATE_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_DATELINE_DASH = re.compile(r"[-–—]$")
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”’)]*\s+[\"“‘(]?[A-Z]")
# In a headline, the full stop of an initial or a dotted abbreviation ("U.S. Shifts Focus",
# "John F. Kennedy") ends no sentence.
_HEADLINE_SENTENCE_BREAK = re.compile(r"(?<!\b[A-Z])[.!?…][\"”’)]*\s+[\"“‘(]?[A-Z]")
# A sentence end glued to a capital with no space: `"siege”.Life` (teaser) or `said.”We`
# (a glued quote); the camel-case seam below tells the two apart.
_GLUED_SENTENCE_END = re.compile(r"(?<=[^\s.])[.!?]+[\"”’)]*(?=[A-Z])")
# `teacherAmina`: a headline's last word glued to the standfirst. Three lower-case letters
# keep out names like McCain, YouTube and DeSantis.
_CAMEL_SEAM = re.compile(r"[a-z]{3,}[A-Z][a-z]")
# A dot inside a web address: ".DearAbby.com", ".Gov.uk/..."
_DOMAIN = re.compile(r"\.[A-Za-z0-9-]+\.[A-Za-z]{2,}\b")
_CREDIT_TRIM = " \t,:;-–—"
_TRAILING_BRACKET = re.compile(r"\([^()\n]+\)$")
# A list item: "- ", "• ", "* ", "1. ", "2) " opening a line.
_BULLET = re.compile(r"(?:[-–•*▪●·]|\d{1,2}[.)])\s+\S")
# Words that make a first line a sentence of reporting rather than a headline: an attribution in
# the past ("..., police said"; a headline says "says") or a weekday ("on Sunday"), which leads
# state and headlines leave out.
_SENTENCE_SIGNS = re.compile(
    r",\s+(?:[\w'’.-]+\s+){0,5}(?:said|told|reported|according)\b"
    r"|\b(?:on|late|early|last)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Guess:
    kind: BlockKind
    start: int
    end: int
    credit: str | None = None
    place: str | None = None

    def block(self) -> Block:
        return Block(
            kind=self.kind, start=self.start, end=self.end, credit=self.credit, place=self.place
        )


@dataclass(frozen=True)
class _Cues:
    """One section of the cue lexicon, compiled: phrases that open a line, phrases anywhere."""

    opening: re.Pattern[str] | None
    anywhere: re.Pattern[str] | None

    def opens(self, line: str) -> re.Match[str] | None:
        return self.opening.match(line) if self.opening else None

    def holds(self, text: str) -> bool:
        return bool(self.anywhere and self.anywhere.search(text))


def segment(
    text: str,
    *,
    settings: SegmentSettings,
    title: str | None = None,
    hints: Sequence[Block] = (),
) -> tuple[Block, ...]:
    """Cut ``text`` into typed blocks, sorted by start, covering every non-space character once.

    ``title`` is the article's title when ingest knows it; ``hints`` are blocks already known
    from the input's structure, kept (trimmed to non-space characters) over any guess.
    """
    kept = _usable_hints(text, hints)
    items: list[Block | tuple[int, int]] = [*kept]
    for start, end in _gaps(len(text), kept):
        items += _paragraph_spans(text, start, end)
    items.sort(key=lambda item: item.start if isinstance(item, Block) else item[0])
    blocks = _classify(text, items, settings=settings, title=title)
    return _mark_repeats(
        text, blocks, threshold=settings.repeat_similarity, hinted={h.start for h in kept}
    )


# --- spans ----------------------------------------------------------------------------------


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span moved in to its first and last non-space characters, or None if all space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _usable_hints(text: str, hints: Sequence[Block]) -> list[Block]:
    """Hints trimmed to non-space characters, sorted; where two overlap, the earlier one wins."""
    trimmed: list[Block] = []
    for hint in hints:
        if not 0 <= hint.start <= hint.end <= len(text):
            raise ValueError(
                f"Hint {hint.kind} [{hint.start}:{hint.end}] lies outside the text "
                f"(length {len(text)}): hints must be offsets into the same text."
            )
        span = _trim(text, hint.start, hint.end)
        if span is not None:
            trimmed.append(hint.model_copy(update={"start": span[0], "end": span[1]}))
    kept: list[Block] = []
    for hint in sorted(trimmed, key=lambda h: (h.start, -h.end)):
        if not kept or hint.start >= kept[-1].end:
            kept.append(hint)
    return kept


def _gaps(length: int, hints: Sequence[Block]) -> Iterator[tuple[int, int]]:
    """The stretches of the text that no hint covers."""
    position = 0
    for hint in hints:
        if hint.start > position:
            yield position, hint.start
        position = max(position, hint.end)
    if position < length:
        yield position, length


def _paragraph_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Trimmed paragraph spans between ``start`` and ``end``; blank lines separate them."""
    spans: list[tuple[int, int]] = []
    position = start
    for brk in _PARAGRAPH_BREAK.finditer(text, start, end):
        spans.append((position, brk.start()))
        position = brk.end()
    spans.append((position, end))
    return [span for raw in spans if (span := _trim(text, *raw)) is not None]


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Trimmed line spans of one paragraph."""
    spans: list[tuple[int, int]] = []
    position = start
    while (newline := text.find("\n", position, end)) != -1:
        spans.append((position, newline))
        position = newline + 1
    spans.append((position, end))
    return [span for raw in spans if (span := _trim(text, *raw)) is not None]


# --- the walk over paragraphs ----------------------------------------------------------------


def _classify(
    text: str,
    items: Sequence[Block | tuple[int, int]],
    *,
    settings: SegmentSettings,
    title: str | None,
) -> list[Block]:
    """Blocks for hints and paragraphs in text order, with the little context rules need."""
    blocks: list[Block] = []
    title_open = True  # until a title or anything but metadata has been seen
    promo_title_due = False  # the last paragraph was a bare promo line
    guessed_title: int | None = None  # index in ``blocks`` of a title guessed from its shape
    lead_due = True  # no body text yet: the next paragraph of text is the lead
    for item in items:
        if isinstance(item, Block):
            blocks += _caption_hint_blocks(text, item) if item.kind == "caption" else [item]
            title_open = title_open and item.kind == "metadata"
            promo_title_due = False
            continue
        start, end = item
        if promo_title_due and _is_promo_title(text[start:end], settings=settings):
            blocks.append(Block(kind="promo", start=start, end=end))
            promo_title_due = False
            continue
        guesses = _leading_lines(
            text, start, end, settings=settings, title=title, title_open=title_open
        )
        rest = _trim(text, guesses[-1].end, end) if guesses else (start, end)
        if rest is not None:
            guesses += _unit_guesses(text, *rest, settings=settings, lead_due=lead_due)
        lead_due = lead_due and all(g.kind != "body" for g in guesses)
        for index, guess in enumerate(guesses):
            if guess.kind == "title" and not _is_known_title(
                text[guess.start : guess.end], title=title
            ):
                guessed_title = len(blocks) + index
        blocks += [guess.block() for guess in guesses]
        title_open = title_open and all(g.kind == "metadata" for g in guesses)
        promo_title_due = (
            len(guesses) == 1 and guesses[0].kind == "promo" and _is_bare_promo(text[start:end])
        )
    if guessed_title is not None and not any(b.kind == "body" for b in blocks[guessed_title + 1 :]):
        # A title is a title of something: with no body text after it, the line is the report.
        blocks[guessed_title] = blocks[guessed_title].model_copy(update={"kind": "body"})
    return blocks


def _leading_lines(
    text: str,
    start: int,
    end: int,
    *,
    settings: SegmentSettings,
    title: str | None,
    title_open: bool,
) -> list[_Guess]:
    """Metadata lines at the top of a paragraph, and the title line after them if due, with
    the metadata lines (a byline) right under the title."""
    guesses: list[_Guess] = []
    lines = _line_spans(text, start, end)
    for index, (line_start, line_end) in enumerate(lines):
        line = text[line_start:line_end]
        if _is_metadata_line(line, settings=settings):
            guesses.append(_Guess("metadata", line_start, line_end))
        elif title_open and (
            _is_known_title(line, title=title)
            or (
                _title_set_apart(text, line, lines[index + 1 :], settings=settings)
                and _looks_like_headline(text, line_start, line_end, settings=settings)
            )
        ):
            guesses.append(_Guess("title", line_start, line_end))
            title_open = False
        else:
            break
    return guesses


def _title_set_apart(
    text: str, headline: str, below: Sequence[tuple[int, int]], *, settings: SegmentSettings
) -> bool:
    """Whether the lines below a headline-shaped line set it apart as a title: nothing but
    metadata lines (a byline) down to the paragraph's end, or, past them, a line that opens a
    body paragraph (the lead, after a single line break)."""
    rest = [(s, e) for s, e in below if not _is_metadata_line(text[s:e], settings=settings)]
    return not rest or _opens_body(headline, text[rest[0][0] : rest[0][1]], settings=settings)


def _opens_body(headline: str, line: str, *, settings: SegmentSettings) -> bool:
    """Whether ``line``, under ``headline``, reads as the start of a body paragraph, not the
    rest of a wrapped sentence or a second headline: it opens like a sentence, and either is
    too long to be a wrapped line (a wrapped line is never longer than the short-block limit),
    or ends a sentence and runs longer than the line above (a wrapped paragraph's first line is
    its longest; a lead is longer than its headline)."""
    if not (line[:1].isupper() or line[:1].isdigit() or line[:1] in _QUOTE_OPENERS):
        return False
    if _BULLET.match(line) or _is_credit_line(line) or _opens_figure_line(line):
        return False
    if _word_count(line) > settings.short_block_words:
        return True
    return (
        _ends_sentence(line) and _word_count(line) >= _LEAD_MIN_WORDS and len(line) > len(headline)
    )


def _unit_guesses(
    text: str, start: int, end: int, *, settings: SegmentSettings, lead_due: bool = False
) -> list[_Guess]:
    """What one paragraph (or what is left of it) is, split where two kinds are glued.

    ``lead_due`` says no body text has come yet: then a paragraph shaped like a heading or an
    image's alt text and caption is the lead, which is always body."""
    unit = text[start:end]
    dateline = _dateline_guess(text, start, end)
    if dateline is not None:
        rest = _trim(text, dateline.end, end)
        guesses = [dateline]
        if rest is not None:
            guesses += [
                _Guess("body", g.start, g.end, credit=dateline.credit) if g.kind == "body" else g
                for g in _unit_guesses(text, *rest, settings=settings, lead_due=lead_due)
            ]
        return guesses
    pieces = _separate_paragraphs(text, start, end)
    if len(pieces) > 1:
        return _pieces_guesses(text, pieces, settings=settings, lead_due=lead_due)
    first_line = unit.split("\n", 1)[0]
    if _is_boilerplate(unit, first_line):
        return [_Guess("boilerplate", start, end)]
    if _cues("promo").opens(first_line):
        return [_Guess("promo", start, end)]
    figure = _figure_guesses(text, start, end, settings=settings, lead_due=lead_due)
    if figure:
        return figure
    if _is_teaser(unit, first_line):
        return [_Guess("teaser", start, end)]
    if "\n" not in unit and _is_credit_line(unit):
        return [_Guess("credit", start, end, credit=_credit_in_brackets(unit))]
    label = _label_kind(unit)
    if label is not None:
        return [_Guess(label, start, end)]
    if (
        "\n" not in unit
        and not lead_due
        and _is_short_unpunctuated(unit, settings=settings)
        and not _BULLET.match(unit)
        and not _SENTENCE_SIGNS.search(unit)
    ):
        return [_Guess("heading", start, end)]
    heading = _heading_line_cut(text, start, end, settings=settings)
    if heading is not None:
        return _pieces_guesses(
            text, [(start, heading[0]), (heading[1], end)], settings=settings, lead_due=lead_due
        )
    return _body_guesses(text, start, end)


def _pieces_guesses(
    text: str, pieces: Sequence[tuple[int, int]], *, settings: SegmentSettings, lead_due: bool
) -> list[_Guess]:
    guesses: list[_Guess] = []
    for piece in pieces:
        found = _unit_guesses(text, *piece, settings=settings, lead_due=lead_due)
        lead_due = lead_due and all(g.kind != "body" for g in found)
        guesses += found
    return guesses


def _dateline_guess(text: str, start: int, end: int) -> _Guess | None:
    """A wire dateline ("KABUL, Aug 24 (Reuters) -", "KIGALI, Rwanda -", "(CNN) —") opening a
    paragraph that goes on: the dateline's own block, crediting its agency."""
    found = match_dateline(text[start:end])
    if found is None or (found.place is None and found.agency is None):
        return None
    cut = _trim(text, start, start + len(found.text))
    if cut is None or _trim(text, cut[1], end) is None:
        return None
    return _Guess("dateline", *cut, credit=found.agency, place=found.place)


def _separate_paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A paragraph cut at the single line breaks that end a paragraph rather than wrap one:
    after a line that ends a sentence, and around list items, but never before a credit or
    caption line, which goes with the line above it. Between the pieces a sentence never runs
    on."""
    lines = _line_spans(text, start, end)
    if len(lines) < 2:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    piece_start = lines[0][0]
    for (a_start, a_end), (b_start, b_end) in pairwise(lines):
        before, after = text[a_start:a_end], text[b_start : b_start + 3]
        if _opens_figure_line(text[b_start:b_end]):
            continue  # "Photo: AFP" under a line: that line is its caption
        if (
            _BULLET.match(before)
            or _BULLET.match(text[b_start:end])
            or (_ends_sentence(before) and (after[:1].isupper() or after[:1] in '"“‘(['))
        ):
            pieces.append((piece_start, a_end))
            piece_start = b_start
    pieces.append((piece_start, lines[-1][1]))
    return pieces


def _heading_line_cut(
    text: str, start: int, end: int, *, settings: SegmentSettings
) -> tuple[int, int] | None:
    """``(end of the first line, start of the next)`` when a body paragraph opens with a short
    line without punctuation followed by a long line: a heading or headline on a line of its
    own, not a wrapped sentence (a wrapped line is never longer than the short-block limit)."""
    lines = _line_spans(text, start, end)
    if len(lines) < 2:
        return None
    first, second = lines[0], lines[1]
    if _is_short_unpunctuated(text[first[0] : first[1]], settings=settings) and (
        text[second[0]].isupper()
        and _word_count(text[second[0] : second[1]]) > settings.short_block_words
    ):
        return first[1], second[0]
    return None


def _credit_in_brackets(line: str) -> str:
    """The credit a credit line (see :func:`_is_credit_line`) gives, its spaces collapsed."""
    return " ".join(line[1:-1].split())


def _is_credit_line(unit: str) -> bool:
    """A photo credit standing alone: "(Jane Doe/iStock by Getty Images)", "(AFP: Jane Doe)"."""
    if not (unit.startswith("(") and unit.endswith(")")) or "(" in unit[1:-1]:
        return False
    inner = unit[1:-1]
    if _word_count(inner) > _CREDIT_MAX_WORDS or not re.search(r"/|:|\bby\b", inner):
        return False
    return bool(_agency_anywhere().search(inner))


@functools.cache
def _agency_anywhere() -> re.Pattern[str]:
    """Any known agency's name, as a whole word, anywhere in a text."""
    names = sorted(load_phrases(_LEXICON, "agencies"), key=len, reverse=True)
    return re.compile("|".join(map(_whole_words, names)), re.IGNORECASE)


# --- one rule each ---------------------------------------------------------------------------


def _word_count(text: str) -> int:
    return len(text.split())


def _has_final_punctuation(line: str) -> bool:
    """Whether the line ends a sentence or clause, looking inside closing quotes and brackets."""
    core = line.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(core) and core[-1] in _FINAL_PUNCTUATION


def _ends_sentence(line: str) -> bool:
    core = line.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(core) and core[-1] in ".!?…"


def _is_short_unpunctuated(line: str, *, settings: SegmentSettings) -> bool:
    """Shaped like a heading: short, one phrase, no closing punctuation.

    A sentence end inside ("...the attack. (Reuters)") makes it a short body paragraph.
    """
    return (
        _word_count(line) <= settings.short_block_words
        and not _has_final_punctuation(line)
        and not _SENTENCE_BREAK.search(line)
    )


def _normalised(line: str) -> str:
    return " ".join(line.split()).strip(_QUOTE_OPENERS + _CLOSERS).casefold()


def _is_known_title(line: str, *, title: str | None) -> bool:
    return title is not None and _normalised(line) == _normalised(title)


def _looks_like_headline(text: str, start: int, end: int, *, settings: SegmentSettings) -> bool:
    """A first line shaped like a headline: one sentence without a full stop, not too long,
    and nothing that a more specific rule (promo, teaser, caption ...) would claim."""
    line = text[start:end]
    core = line.rstrip().rstrip(_CLOSERS).rstrip()
    if not 0 < _word_count(line) <= _HEADLINE_MAX_WORDS or core[:1].islower():
        return False
    if core[-1:] in {".", ",", ";", ":", "…"} or _HEADLINE_SENTENCE_BREAK.search(line):
        return False
    if _SENTENCE_SIGNS.search(line) or _BULLET.match(line) or match_dateline(line) is not None:
        return False
    guesses = _unit_guesses(text, start, end, settings=settings)
    return len(guesses) == 1 and guesses[0].kind in {"heading", "body"}


def _is_metadata_line(line: str, *, settings: SegmentSettings) -> bool:
    """A signature, date, dateline or tag line: short, no full stop, and a cue or date shape."""
    if _HASHTAG_LIST.fullmatch(line):
        return True
    if _word_count(line) > settings.short_block_words or _ends_sentence(line):
        return False
    metadata = _cues("metadata")
    return bool(
        metadata.opens(line)
        or metadata.holds(line)
        or _is_byline(line)
        or _is_date_line(line)
        or _DATELINE_DASH.search(line)
    )


def _is_byline(line: str) -> bool:
    opener = _cues("bylines").opens(line)
    if opener is None:
        return False
    rest = line[opener.end() :].lstrip()
    return rest[:1].isupper()


def _is_date_line(line: str) -> bool:
    tokens = _DATE_TOKEN.findall(line)
    words = load_phrases(_LEXICON, "date_words")
    return any(t.isdigit() for t in tokens) and all(
        t.isdigit() or t.casefold() in words for t in tokens
    )


def _is_boilerplate(unit: str, first_line: str) -> bool:
    """Page furniture on evidence: a footer's cue phrase, or a paragraph that is mostly links.

    A paragraph that reports ("..., officials said", "on Monday") is news whatever words it
    opens with ("Copyright lawsuits rose ..."); only a link list overrules that.
    """
    boilerplate = _cues("boilerplate")
    reporting = _SENTENCE_SIGNS.search(unit) is not None
    if boilerplate.opens(first_line) and not reporting:
        return True
    short = _word_count(unit) <= _FOOTER_MAX_WORDS
    if boilerplate.holds(unit) and not reporting and (short or _URL.search(unit)):
        return True
    url_chars = sum(len(url) for url in _URL.findall(unit))
    return url_chars >= _URL_SHARE * sum(not c.isspace() for c in unit)


def _is_teaser(unit: str, first_line: str) -> bool:
    """A link to another story: opened by a teaser cue, or one sentence holding one."""
    teaser = _cues("teaser")
    if teaser.opens(first_line):
        return True
    return "\n" not in unit and teaser.holds(unit) and not _SENTENCE_BREAK.search(unit)


def _label_kind(unit: str) -> BlockKind | None:
    """The kind of a line that is nothing but a cue's words ("Related", "Watch", "Listen"):
    a section label of the page, which a heading rule would otherwise read as a subhead. The
    cue "^related:" needs its colon in running text ("Related talks ..." is news); a line of
    the bare words alone is the label."""
    words = _label_words(unit)
    if not words or "\n" in unit:
        return None
    for kind in _LABEL_KINDS:
        if words in _labels(kind):
            return kind
    return None


_LABEL_KINDS: tuple[BlockKind, ...] = ("boilerplate", "promo", "teaser")


def _label_words(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


@functools.cache
def _labels(kind: BlockKind) -> frozenset[str]:
    """The opening cues of one section as bare words: "^watch:" -> "watch"."""
    return frozenset(
        words
        for phrase in load_phrases(_LEXICON, kind)
        if phrase.startswith(ANCHOR) and (words := _label_words(phrase.removeprefix(ANCHOR)))
    )


def _is_bare_promo(paragraph: str) -> bool:
    """A promo line with no title of its own: only cues and a running time ("Play Video.
    Duration: 2 minutes"), so its title is the next paragraph."""
    rest = paragraph
    while (cue := _cues("promo").opens(rest)) is not None and cue.end() > 0:
        rest = rest[cue.end() :].lstrip(" .,:;-–—")
    return "\n" not in paragraph and (not rest or _is_date_line(rest))


def _is_promo_title(paragraph: str, *, settings: SegmentSettings) -> bool:
    """The title line a bare promo line leads into: one short line, not a quote."""
    return (
        "\n" not in paragraph
        and _word_count(paragraph) <= settings.short_block_words
        and not paragraph.startswith(tuple(_QUOTE_OPENERS))
    )


# --- captions and credits --------------------------------------------------------------------


def _figure_guesses(
    text: str, start: int, end: int, *, settings: SegmentSettings, lead_due: bool = False
) -> list[_Guess] | None:
    """Caption and credit blocks when the paragraph is a photo's caption, else None."""
    unit = text[start:end]
    if _word_count(unit) > _CAPTION_LENGTH_FACTOR * settings.short_block_words:
        return None
    lines = _line_spans(text, start, end)
    head = _glued_credit(unit)
    tail = _end_credit(unit, multiline=len(lines) > 1)
    cued = any(_opens_figure_line(text[s:e]) for s, e in lines)
    bare = not lead_due and _is_alt_and_caption(text, lines, settings=settings)
    if not (head or tail or cued or bare):
        return None
    guesses: list[_Guess] = []
    middle_start, middle_end = start, end
    if head:
        guesses.append(_Guess("credit", start, start + head[0], credit=head[1]))
        middle_start = start + head[0]
    if tail:
        guesses.append(_Guess("credit", start + tail[0], end, credit=tail[1]))
        middle_end = start + tail[0]
    middle = _trim(text, middle_start, middle_end)
    if middle is not None:
        guesses += _caption_lines(text, *middle)
    credit = next((g.credit for g in guesses if g.kind == "credit" and g.credit), None)
    return sorted(
        (
            _Guess("caption", g.start, g.end, credit=credit) if g.kind == "caption" else g
            for g in guesses
        ),
        key=lambda g: g.start,
    )


def _caption_hint_blocks(text: str, hint: Block) -> list[Block]:
    """A caption hint keeps its kind, but a photo credit glued to either end becomes its own
    credit block, and the caption learns the credit: the HTML knew the figure, not the credit."""
    if hint.credit is not None:
        return [hint]
    unit = text[hint.start : hint.end]
    head = _glued_credit(unit)
    tail = _end_credit(unit, multiline="\n" in unit)
    if head is None and tail is None:
        return [hint]
    cuts = [0, head[0] if head else 0, tail[0] if tail else len(unit), len(unit)]
    credit = tail[1] if tail else head[1] if head else None
    kinds: list[tuple[BlockKind, str | None]] = [
        ("credit", head[1] if head else None),
        ("caption", credit),
        ("credit", tail[1] if tail else None),
    ]
    blocks = []
    for (kind, value), start, end in zip(kinds, cuts[:-1], cuts[1:], strict=True):
        span = _trim(text, hint.start + start, hint.start + end)
        if span is not None:
            blocks.append(Block(kind=kind, start=span[0], end=span[1], credit=value))
    return blocks


def _opens_figure_line(line: str) -> bool:
    return bool(_cues("caption").opens(line) or _credit_line_value(line) is not None)


def _credit_line_value(line: str) -> str | None:
    """Who a credit line ("Image source, Reuters") names, or None when it is no credit line."""
    opener = _cues("credit").opens(line)
    if opener is None or _word_count(line) > _CREDIT_MAX_WORDS:
        return None
    return " ".join(line[opener.end() :].strip(_CREDIT_TRIM).split())


def _caption_lines(text: str, start: int, end: int) -> list[_Guess]:
    """Credit lines become credit blocks; the lines between them are one caption each run."""
    guesses: list[_Guess] = []
    for line_start, line_end in _line_spans(text, start, end):
        value = _credit_line_value(text[line_start:line_end])
        if value is not None:
            guesses.append(_Guess("credit", line_start, line_end, credit=value or None))
        elif guesses and guesses[-1].kind == "caption":
            guesses[-1] = _Guess("caption", guesses[-1].start, line_end)
        else:
            guesses.append(_Guess("caption", line_start, line_end))
    return guesses


def _is_alt_and_caption(
    text: str, lines: Sequence[tuple[int, int]], *, settings: SegmentSettings
) -> bool:
    """An image's alt text line, then its caption: two short lines, the first bare, the second
    one sentence at most. More lines are a list (ingredients, specifications, links), and a
    second line of several sentences is reporting."""
    return (
        len(lines) == 2
        and not text[lines[1][0]].islower()  # a wrapped sentence goes on in lower case
        and not _SENTENCE_BREAK.search(text[lines[1][0] : lines[1][1]])
        and not any(_BULLET.match(text[s:e]) for s, e in lines)
        and not _has_final_punctuation(text[lines[0][0] : lines[0][1]])
        and all(_word_count(text[s:e]) <= settings.short_block_words for s, e in lines)
    )


def _glued_credit(unit: str) -> tuple[int, str] | None:
    """``(cut, credit)`` for an agency name glued to the caption after it: "ReutersAhmad ..."."""
    match = _agency_patterns()[0].match(unit)
    if match is None:
        return None
    name = match["credit"]
    # After an all-capitals name ("AP", "AFP") the seam is weaker: "APCs" is a word.
    if name[-1].isupper() and not re.match(r"[A-Z][a-z]{2,}", unit[match.end() :]):
        return None
    return match.end(), name


def _end_credit(unit: str, *, multiline: bool) -> tuple[int, str] | None:
    """``(cut, credit)`` for a photo credit in parentheses ending a caption: "...(AFP: Name)"."""
    known, generic = _agency_patterns()[1:]
    match = known.search(unit) or (generic.search(unit) if multiline else None)
    if match is None:
        return None
    credit = " ".join(match["credit"].split())
    glued = match.start() > 0 and not unit[match.start() - 1].isspace()
    # A bare "(Reuters)" after a spaced full stop is a wire story's attribution, not a credit.
    if not (glued or multiline or ":" in credit or "/" in credit):
        return None
    if _word_count(credit) > _CREDIT_MAX_WORDS:
        return None
    return match.start(), credit


@functools.cache
def _agency_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Glued-credit, known-credit-in-parentheses and generic "Outlet: Name" patterns."""
    names = sorted(load_phrases(_LEXICON, "agencies"), key=len, reverse=True)
    agencies = "(?i:" + "|".join(re.escape(name) for name in names) + ")"
    glued = re.compile(rf"(?P<credit>{agencies})(?=[A-Z][a-z])")
    known = re.compile(rf"\((?P<credit>\s*{agencies}(?![^\W\d_])[^()\n]*)\)$")
    outlet = r"[A-Z][\w.&'-]*(?:\s[A-Z][\w.&'-]*){0,3}"
    generic = re.compile(rf"\((?P<credit>\s*{outlet}\s?[:/]\s*[A-Z][^()\n]*)\)$")
    return glued, known, generic


# --- body ------------------------------------------------------------------------------------


def _body_guesses(text: str, start: int, end: int) -> list[_Guess]:
    """A body paragraph, split where a teaser is glued to its end or a photo credit closes it
    after its last sentence ("... the attack. (Jane Doe/iStock by Getty Images)")."""
    credit = _TRAILING_BRACKET.search(text, start, end)
    if credit is not None and _is_credit_line(credit.group()):
        before = _trim(text, start, credit.start())
        if before is not None and _ends_sentence(text[before[0] : before[1]]):
            value = _credit_in_brackets(credit.group())
            return [
                *_body_guesses(text, *before),
                _Guess("credit", credit.start(), credit.end(), credit=value),
            ]
    cut = _glued_teaser_cut(text[start:end])
    if cut is None:
        return [_Guess("body", start, end)]
    return [_Guess("body", start, start + cut), _Guess("teaser", start + cut, end)]


def _glued_teaser_cut(unit: str) -> int | None:
    """Where a teaser (headline glued to standfirst) is glued after a sentence end, if any.

    "...who fear the fighters”.Life under siege as a teacherAmina and her..." holds one; the
    glued quote "...he said.”We prefer peace..." does not: no camel-case seam follows it.
    """
    for end_mark in _GLUED_SENTENCE_END.finditer(unit):
        if _DOMAIN.match(unit, end_mark.start()):
            continue  # "www.DearAbby.com": an address, not two sentences
        # A headline is short: looking a few hundred characters ahead keeps this linear.
        following = unit[end_mark.end() : end_mark.end() + _GLUED_HEADLINE_WORDS * 25]
        sentence = re.split(r"[.!?]", following, maxsplit=1)[0]
        window = " ".join(sentence.split()[:_GLUED_HEADLINE_WORDS])
        if _CAMEL_SEAM.search(window):
            return end_mark.end()
    return None


# --- repeats ---------------------------------------------------------------------------------


def _trigrams(text: str) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.casefold())
    return frozenset(tuple(words[i : i + 3]) for i in range(len(words) - 2))


def _jaccard(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _mark_repeats(
    text: str, blocks: Sequence[Block], *, threshold: float, hinted: set[int]
) -> tuple[Block, ...]:
    """Body blocks as similar as ``threshold`` to an earlier body block become ``repeated``."""
    originals: list[tuple[int, frozenset[tuple[str, ...]]]] = []
    marked: list[Block] = []
    for index, block in enumerate(blocks):
        if block.kind != "body":
            marked.append(block)
            continue
        grams = _trigrams(text[block.start : block.end])
        earlier = None
        if block.start not in hinted:
            earlier = next((i for i, g in originals if _jaccard(grams, g) >= threshold), None)
        if earlier is None:
            originals.append((index, grams))
            marked.append(block)
        else:
            marked.append(Block(kind="repeated", start=block.start, end=block.end, repeats=earlier))
    return tuple(marked)


# --- cue lexicon -----------------------------------------------------------------------------


@functools.cache
def _cues(section: str) -> _Cues:
    """Compile one section of the cue lexicon; whole words only, case ignored."""
    phrases = load_phrases(_LEXICON, section)
    opening = [p.removeprefix(ANCHOR) for p in phrases if p.startswith(ANCHOR)]
    anywhere = [p for p in phrases if not p.startswith(ANCHOR)]
    return _Cues(
        opening=_alternation(opening, prefix=r"\s*"),
        anywhere=_alternation(anywhere, prefix=""),
    )


def _alternation(phrases: Sequence[str], *, prefix: str) -> re.Pattern[str] | None:
    if not phrases:
        return None
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(prefix + "(?:" + "|".join(map(_whole_words, ordered)) + ")", re.IGNORECASE)


def _whole_words(phrase: str) -> str:
    """A phrase's pattern that cannot match inside a longer word."""
    before = r"(?<!\w)" if re.match(r"\w", phrase) else ""
    after = r"(?!\w)" if re.search(r"\w$", phrase) else ""
    return before + re.escape(phrase) + after

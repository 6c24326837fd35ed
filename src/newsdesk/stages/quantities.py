"""``newsdesk_quantities``: the counts and measures a report gives, and what each one counts.

Finds numbers written in digits ("9,000", "3.5 million"), in words ("twenty-five", "a dozen")
and as vague amounts ("hundreds", "tens of thousands"), with the words that hedge or bound them
("about", "more than", "up to", "between 20 and 30"); then reads what each number counts from
the parse: the noun it modifies ("9,000 fighters"), the noun after "of" ("hundreds of its
fighters"), a unit written next to it ("125 kilometres"), and what happened to the people
counted ("12 people were killed" counts the dead). Writes ``doc._.newsdesk_quantities``.

How amounts are encoded in :class:`~newsdesk.records.Quantity`:

- an exact number is a float, ``approx=False``: "9,000" -> 9000.0, "a dozen" -> 12.0;
- a hedged number keeps its value with ``approx=True``: "about 125", "nearly 40";
- a bound keeps the number it names with ``approx=True``, because the record has no open
  interval: "more than 1,000" and "at least 12" (lower bounds) and "up to 20" and "fewer than
  50" (upper bounds) are 1000.0, 12.0 and 20.0, 50.0;
- a range is ``(low, high)``, exact unless hedged: "between 20 and 30", "20-30", "two or three";
- a vague amount is a range with ``approx=True``: "dozens" (24, 99), "hundreds" (200, 999),
  "thousands" (2000, 9999), "tens of thousands" (20000, 99999), "several hundred" (300, 900),
  "a few thousand" (2000, 5000); a plural scale is two to ten times its base.

Units come from ``newsdesk/data/quantities.txt``, one section per unit. Fighters and troops stay
apart (non-state armed men and unnamed "forces" are ``fighters``, state soldiers ``troops``); an
outcome said of a group replaces the group ("12 civilians were killed" -> ``dead``); "a fighting
force of 9,000 people" counts ``fighters``. A counted noun the word list does not know is kept
as written, lower-cased ("40 vehicles" -> ``vehicles``).

Years, dates and times, ordinals, labels ("page 12", "flight 93"), parts of names ("Radio 4",
"Covid-19"), phone numbers and the pronoun "one" ("one of the few") are not quantities. A number
whose unit cannot be told is kept only where the NER model also saw a number there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsdesk import attributes
from newsdesk.data.lexicons import load_sections
from newsdesk.records import Quantity
from newsdesk.stages.evidence import evidence_at

NAME = "newsdesk_quantities"
REQUIRES = ["doc.ents", "token.dep", "doc.sents"]
ASSIGNS = [f"doc._.{attributes.QUANTITIES}"]

Amount = float | tuple[float, float]
"""What a number phrase says: one number, or a (low, high) range."""

_LEXICON = "quantities"

# -- the number grammar (pure) ----------------------------------------------------------------

_UNIT_WORDS = {
    word: float(value)
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
_TENS_WORDS = {
    word: float(10 * value)
    for value, word in enumerate(
        ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"], start=2
    )
}
_SCALES = {"hundred": 100.0, "thousand": 1e3, "million": 1e6, "billion": 1e9}
_VAGUE_PLURALS = {
    "dozens": 12.0,
    "tens": 10.0,
    "hundreds": 100.0,
    "thousands": 1e3,
    "millions": 1e6,
    "billions": 1e9,
}
# "dozens" stops below a hundred; the rule of two to ten times would reach 119.
_VAGUE_CEILINGS = {"dozens": 99.0}
_FEW = {"several": (3.0, 9.0), "a few": (2.0, 5.0)}
# Words that hedge or bound a number; each makes it approximate. Longest first, so "just over"
# is read before "over".
_APPROXIMATORS = (
    "as many as",
    "an estimated",
    "more than",
    "fewer than",
    "less than",
    "at least",
    "at most",
    "up to",
    "upwards of",
    "close to",
    "just over",
    "just under",
    "well over",
    "estimated",
    "about",
    "around",
    "some",
    "nearly",
    "almost",
    "roughly",
    "approximately",
    "over",
    "under",
    "circa",
    "c.",
    "~",
)
# Prepositions that are approximators only when the parse hangs them on the number:
# "over 1,000 people" but not "fought over two villages".
_AMBIGUOUS_APPROXIMATORS = frozenset({"over", "under", "about", "around"})
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", re.ASCII)
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "\u00a0": " "})
_SPACES = re.compile(r"\s+")
_RANGE_WORDS = ("-", "to", "or", "and")
MAX_AMOUNT = 1e15
"""The largest amount read as a number: more than any count of people or sum of money in the
news. A longer run of digits is an id or a code, and one too long for a float would become
infinite, which JSON cannot hold."""


def parse_number(text: str) -> tuple[Amount, bool] | None:
    """Read a number phrase: ``(value, approx)``, or None when ``text`` is not one.

    ``value`` is a float or a ``(low, high)`` range; ``approx`` says whether the text hedges or
    bounds it, or gives only a vague amount. See the module docstring for the encoding.
    """
    found = _parse_number(text)
    if found is None:
        return None
    value, _ = found
    ends = value if isinstance(value, tuple) else (value,)
    return found if all(0 <= end <= MAX_AMOUNT for end in ends) else None


def _parse_number(text: str) -> tuple[Amount, bool] | None:
    words = _SPACES.sub(" ", text.translate(_DASHES).casefold()).strip()
    approx = False
    while True:
        prefix = next((p for p in _APPROXIMATORS if words.startswith(p + " ")), None)
        if prefix is None:
            break
        words = words[len(prefix) + 1 :]
        approx = True
    between = words.startswith("between ")
    if between:
        words = words.removeprefix("between ")
        ranged = _parse_range(words, allow_and=True)
        return None if ranged is None else (ranged, approx)
    single = _parse_amount(words)
    if single is not None:
        value, vague = single
        return value, approx or vague
    ranged = _parse_range(words, allow_and=False)
    return None if ranged is None else (ranged, approx)


def _parse_amount(words: str) -> tuple[Amount, bool] | None:
    """One amount: exact (``vague`` False) or vague; None when ``words`` is not one."""
    if words == "half a dozen":
        return 6.0, False
    parts = words.split(" of ")
    if all(part in _VAGUE_PLURALS for part in parts):
        base = 1.0
        for part in parts:
            base *= _VAGUE_PLURALS[part]
        high = _VAGUE_CEILINGS.get(words, 10 * base - 1)
        return (2 * base, high), True
    for few, (low, high) in _FEW.items():
        rest = words.removeprefix(few + " ")
        if rest != words and rest in {*_SCALES, "dozen"}:
            scale = _SCALES.get(rest, 12.0)
            return (low * scale, high * scale), True
    exact = _parse_exact(words)
    return None if exact is None else (exact, False)


def _parse_exact(words: str) -> float | None:
    """An exact number in digits, words or both: "9,000", "twenty-five", "3.5 million"."""
    tokens = words.replace("-", " ").split() if not _DIGITS.search(words) else words.split()
    total = 0.0
    current = 0.0
    last: str | None = None
    for token in tokens:
        kind, number = _word_kind(token)
        if kind is None or not _may_follow(last, kind, current):
            return None
        if kind in {"digit", "unit", "tens"}:
            current += number
        elif kind == "a":
            current = 1.0
        elif kind in {"hundred", "dozen"}:
            current = (current or 1.0) * number
        elif kind == "scale":
            total += current * number
            current = 0.0
        last = kind
    if last in {None, "and", "a"}:
        return None
    return total + current


def _word_kind(token: str) -> tuple[str | None, float]:
    if _DIGITS.fullmatch(token):
        return "digit", float(token.replace(",", ""))
    if token in _UNIT_WORDS:
        return "unit", _UNIT_WORDS[token]
    if token in _TENS_WORDS:
        return "tens", _TENS_WORDS[token]
    if token == "hundred":
        return "hundred", 100.0
    if token in _SCALES:
        return "scale", _SCALES[token]
    if token == "dozen":
        return "dozen", 12.0
    if token in {"a", "an"}:
        return "a", 1.0
    if token == "and":
        return "and", 0.0
    return None, 0.0


def _may_follow(last: str | None, kind: str, current: float) -> bool:
    """Whether a number word of ``kind`` may come after one of kind ``last``."""
    if kind in {"digit", "a"}:
        return last is None
    if kind == "unit":
        return last in {None, "tens", "hundred", "scale", "and"} and (
            last != "tens" or current % 10 == 0
        )
    if kind == "tens":
        return last in {None, "hundred", "scale", "and"}
    if kind in {"hundred", "dozen"}:
        return last in {"digit", "unit", "tens", "a"} and current < 100
    if kind == "scale":
        return last in {"digit", "unit", "tens", "hundred", "dozen", "a"}
    return last in {"hundred", "scale"}  # "and": "two hundred and fifty"


def _parse_range(words: str, *, allow_and: bool) -> tuple[float, float] | None:
    """ "20-30", "20 to 30", "two or three", "2 to 3 million" -> (low, high); else None."""
    for separator in _RANGE_WORDS:
        if separator == "and" and not allow_and:
            continue
        pieces = words.replace("-", " - ").split(f" {separator} ")
        for cut in range(1, len(pieces)):
            left, right = f" {separator} ".join(pieces[:cut]), f" {separator} ".join(pieces[cut:])
            if separator == "-":
                left, right = left.replace(" - ", "-"), right.replace(" - ", "-")
            ranged = _range_of(left.strip(), right.strip())
            if ranged is not None:
                return ranged
    return None


def _range_of(left: str, right: str) -> tuple[float, float] | None:
    low, high = _parse_amount(left), _parse_amount(right)
    if low is None or high is None or not right:
        return None
    low_value = low[0] if isinstance(low[0], float) else low[0][0]
    high_value = high[0] if isinstance(high[0], float) else high[0][1]
    # "2 to 3 million": the scale written once belongs to both ends.
    scale = _SCALES.get(right.split()[-1], 1.0)
    if scale > 1 and not any(word in _SCALES for word in left.split()):
        low_value *= scale
    return (low_value, high_value) if low_value < high_value else None


# -- the component ----------------------------------------------------------------------------

_OUTCOMES = ("dead", "injured", "displaced", "arrested")
"""Units that say what happened to people; said of a group, they replace it."""
_GROUPS = frozenset(
    {"people", "civilians", "children", "fighters", "troops", "police", "refugees", "families"}
)
_MEASURES = ("km", "miles", "m", "percent", "usd", "gbp", "eur", "afn")
"""Units written right after the number ("125 kilometres", "40%")."""
_CURRENCY_SYMBOLS = {"$": "usd", "us$": "usd", "£": "gbp", "€": "eur"}
_CONTEXT_SECTIONS = frozenset({"armed_groups", "labels"})

_NOUN_DEPS = frozenset({"nummod", "quantmod", "amod", "compound", "nmod", "npadvmod"})
_MODIFIER_DEPS = frozenset({"amod", "acl", "compound", "relcl"})
_NER_NUMBERS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT"})
_TIME_LABELS = frozenset({"DATE", "TIME"})
_NOT_NUMBERS = frozenset(
    {
        "ORDINAL",
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "FAC",
        "NORP",
        "PRODUCT",
        "EVENT",
        "LAW",
        "WORK_OF_ART",
        "LANGUAGE",
    }
)
_NUMBER_WORDS = frozenset(
    {*_UNIT_WORDS, *_TENS_WORDS, *_SCALES, *_VAGUE_PLURALS, "dozen"} - {"zero"}
)
_SCALE_WORDS = frozenset({*_SCALES, "dozen"})
_GLUE = frozenset({"-", "/", ":", "."})
_LEFT_DETERMINERS = ("half a", "a few", "several", "a", "an")
# How far past the number the counted noun or the verb may stand and still be its evidence.
_NOUN_REACH = 6
_VERB_REACH = 3


@dataclass(frozen=True)
class _Counted:
    """What a number counts, as found in the Doc."""

    unit: str | None
    known: bool
    """Whether the word list (not the bare noun) gave the unit."""
    last: int
    """Index of the last token the evidence covers."""


class QuantityFinder:
    """The ``newsdesk_quantities`` component: ``nlp.add_pipe("newsdesk_quantities")``."""

    def __init__(self, nlp: Language, name: str = NAME):
        self.name = name
        sections = load_sections(_LEXICON)
        self._units: dict[str, str] = {
            phrase: str(section)
            for section, phrases in sections.items()
            if section is not None and section not in _CONTEXT_SECTIONS
            for phrase in phrases
        }
        self._armed_groups = sections["armed_groups"]
        self._labels = sections["labels"]

    def __call__(self, doc: Doc) -> Doc:
        quantities = self.resolve(doc)
        self.set_annotations(doc, quantities)
        return doc

    def resolve(self, doc: Doc) -> tuple[Quantity, ...]:
        """Find the Doc's quantities (pure: reads the Doc, writes nothing)."""
        entity_of = {token.i: ent for ent in doc.ents for token in ent}
        sentence_starts = [sent.start_char for sent in doc.sents]
        found: list[Quantity] = []
        for start, first, end in _number_phrases(doc):
            quantity = self._quantity(doc, start, first, end, entity_of, sentence_starts)
            if quantity is not None:
                found.append(quantity)
        return tuple(found)

    def set_annotations(self, doc: Doc, quantities: tuple[Quantity, ...]) -> None:
        doc._.set(attributes.QUANTITIES, quantities)

    # -- one number phrase --------------------------------------------------------------------

    def _quantity(
        self,
        doc: Doc,
        start: int,
        first: int,
        end: int,
        entity_of: dict[int, Span],
        sentence_starts: list[int],
    ) -> Quantity | None:
        """The quantity of the number tokens ``doc[first:end]`` with hedges from ``start``."""
        numbers = doc[first:end]
        if self._is_label(doc, start, first, end) or any(
            entity_of[token.i].label_ in _NOT_NUMBERS for token in numbers if token.i in entity_of
        ):
            return None
        currency = next(
            (
                _CURRENCY_SYMBOLS[token.text.casefold()]
                for token in doc[start:first]
                if token.text.casefold() in _CURRENCY_SYMBOLS
            ),
            None,
        )
        parsed = parse_number(
            "".join(
                token.text_with_ws
                for token in doc[start:end]
                if token.text.casefold() not in _CURRENCY_SYMBOLS
            )
        )
        if parsed is None:
            return None
        value, approx = parsed
        counted = self._counted(doc, numbers, currency)
        if not self._plausible(doc, numbers, value, counted, start, entity_of):
            return None
        span_start = doc[start].idx
        span_end = doc[counted.last].idx + len(doc[counted.last].text)
        return Quantity(
            value=value,
            approx=approx,
            unit=counted.unit,
            evidence=evidence_at(doc, span_start, span_end, sentence_starts),
        )

    def _is_label(self, doc: Doc, start: int, first: int, end: int) -> bool:
        """ "page 12", "Covid-19", "24/7", "+44 20": a number that names, not counts."""
        before = doc[start - 1] if start > 0 else None
        if before is not None and (before.lower_ in self._labels or before.text.startswith("+")):
            return True
        if before is not None and not before.whitespace_ and before.text in _GLUE:
            return True
        after = doc[end] if end < len(doc) else None
        if after is not None and not doc[end - 1].whitespace_ and after.text in {"/", ":"}:
            return True
        # "one of the few": the pronoun, not a count.
        return doc[first].lower_ == "one" and after is not None and after.lower_ == "of"

    def _plausible(
        self,
        doc: Doc,
        numbers: Span,
        value: Amount,
        counted: _Counted,
        start: int,
        entity_of: dict[int, Span],
    ) -> bool:
        """Drop dates, years and unit-less numbers the NER model did not see as numbers."""
        year = len(numbers) == 1 and _looks_like_year(numbers[0].text)
        if year and not counted.known:
            return False
        for token in numbers:
            ent = entity_of.get(token.i)
            # "Between 20 and 30" may be tagged DATE; "two days" and "24 August" are dates.
            if (
                ent is not None
                and ent.label_ in _TIME_LABELS
                and (ent.start < start or ent.end > numbers.end or (year and not counted.known))
            ):
                return False
        if counted.unit is not None:
            return True
        if value == 1.0:
            return False
        return any(
            token.i in entity_of and entity_of[token.i].label_ in _NER_NUMBERS for token in numbers
        )

    # -- what a number counts -----------------------------------------------------------------

    def _counted(self, doc: Doc, numbers: Span, currency: str | None) -> _Counted:
        last = numbers.end - 1
        measure = self._measure_after(doc, numbers.end)
        if measure is not None:
            return _Counted(unit=measure[0], known=True, last=measure[1])
        if currency is not None:
            return _Counted(unit=currency, known=True, last=last)
        noun = _counted_noun(doc, numbers)
        unit: str | None = None
        known = False
        if noun is not None:
            unit = self._unit_of(noun)
            known = unit is not None
            if unit is None and noun.pos_ in {"NOUN", "PROPN"}:
                unit = noun.lower_
            if noun.i - last <= _NOUN_REACH and noun.sent == numbers.sent:
                last = max(last, noun.i)
        if unit is None or unit in _GROUPS:
            outcome = self._outcome(noun, numbers)
            if outcome is not None:
                unit, known = outcome[0], True
                verb = outcome[1]
                if 0 < verb.i - last <= _VERB_REACH and verb.sent == numbers.sent:
                    last = verb.i
        if unit == "people" and noun is not None and self._in_armed_group(noun):
            unit = "fighters"
        return _Counted(unit=unit, known=known, last=last)

    def _measure_after(self, doc: Doc, index: int) -> tuple[str, int] | None:
        """A unit right after the number: "125 kilometres", "125-kilometre", "30 per cent"."""
        if index + 1 < len(doc) and doc[index].text == "-" and not doc[index - 1].whitespace_:
            index += 1
        for width in (2, 1):
            if index + width > len(doc):
                continue
            unit = self._units.get(doc[index : index + width].text.casefold())
            if unit in _MEASURES:
                return unit, index + width - 1
        return None

    def _unit_of(self, token: Token) -> str | None:
        compound = token.doc[token.i - 1 : token.i + 1].text.casefold() if token.i else ""
        for word in (compound, token.lower_, token.lemma_.casefold()):
            unit = self._units.get(word)
            if unit is not None and unit not in _MEASURES:
                return unit
        return None

    def _outcome_of(self, token: Token) -> str | None:
        unit = self._unit_of(token)
        return unit if unit in _OUTCOMES else None

    def _outcome(self, noun: Token | None, numbers: Span) -> tuple[str, Token] | None:
        """What happened to those counted: "displaced people", "12 people were killed"."""
        outward = _outward(numbers)
        modified = [token for token in (noun, outward) if token is not None]
        for token in modified:
            for child in token.children:
                outcome = self._outcome_of(child) if child.dep_ in _MODIFIER_DEPS else None
                if outcome is not None:
                    return outcome, child
        after = numbers.doc[numbers.end] if numbers.end < len(numbers.doc) else None
        if noun is None and after is not None and (outcome := self._outcome_of(after)):
            return outcome, after  # "50 wounded", "12 dead", however the parse hung them
        # "thousands of people fled": the number, not the noun after "of", is the subject.
        subject = noun if noun is not None and noun.dep_ != "pobj" else outward
        if subject is None:
            return None
        while subject.dep_ == "conj" and subject.head.pos_ in {"NOUN", "PROPN", "NUM"}:
            subject = subject.head
        verb = subject.head
        # "12 fighters killed two civilians": an active subject with an object is the agent;
        # but those who "fled their homes" are still the displaced.
        active_with_object = (
            subject.dep_ == "nsubj"
            and verb.lemma_ != "flee"
            and any(child.dep_ == "dobj" for child in verb.children)
        )
        if subject.dep_ in {"nsubj", "nsubjpass", "dobj"} and not active_with_object:
            outcome = self._outcome_of(verb)
            if outcome is not None:
                return outcome, verb
        return None

    def _in_armed_group(self, noun: Token) -> bool:
        """ "a fighting force of around 9,000 people": the people are its fighters."""
        preposition = noun.head
        return (
            noun.dep_ == "pobj"
            and preposition.lower_ == "of"
            and preposition.head.lemma_.casefold() in self._armed_groups
        )


def _number_phrases(doc: Doc) -> Iterator[tuple[int, int, int]]:
    """Each number phrase as (start with its hedges, first number token, end)."""
    index = 0
    while index < len(doc):
        if not _is_number_token(doc[index]):
            index += 1
            continue
        end = _extend_right(doc, index)
        yield _extend_left(doc, index, end), index, end
        index = end


def _is_number_token(token: Token) -> bool:
    return bool(_DIGITS.fullmatch(token.text)) or token.lower_ in _NUMBER_WORDS


def _extend_right(doc: Doc, index: int) -> int:
    """The end of the number tokens from ``index``: "3.5 million", "20-30", "tens of thousands"."""
    end = index + 1
    between = index > 0 and doc[index - 1].lower_ == "between"
    while end < len(doc) and not doc[end].is_sent_start:
        token = doc[end]
        if _is_number_token(token):
            end += 1
            continue
        joined = end + 1 < len(doc) and _is_number_token(doc[end + 1])
        if not joined or doc[end + 1].is_sent_start:
            break
        previous = doc[end - 1].lower_
        if (
            token.text in {"-", "–", "to", "or"}
            or (
                token.lower_ == "and"
                and (between or (previous in _SCALES and doc[end + 1].is_alpha))
            )
            or (token.lower_ == "of" and previous in _VAGUE_PLURALS)
        ):
            end += 2
            continue
        break
    return end


def _extend_left(doc: Doc, index: int, end: int) -> int:
    """Take in the words before a number that hedge or bound it: "at least", "a", "between"."""
    start = index
    if start > 0 and doc[start - 1].text.casefold() in _CURRENCY_SYMBOLS:
        start -= 1
    if doc[index].lower_ in _SCALE_WORDS:
        start = _take_prefix(doc, start, end, _LEFT_DETERMINERS)
    while True:
        taken = _take_prefix(doc, start, end, (*_APPROXIMATORS, "between"))
        if taken == start:
            return start
        start = taken


def _take_prefix(doc: Doc, start: int, end: int, prefixes: tuple[str, ...]) -> int:
    for prefix in prefixes:
        words = prefix.split()
        begin = start - len(words)
        if begin < 0 or doc[start].is_sent_start:
            continue
        span = doc[begin:start]
        if [token.lower_ for token in span] != words:
            continue
        if prefix in _AMBIGUOUS_APPROXIMATORS and not begin <= span[0].head.i < end:
            continue
        return begin
    return start


def _counted_noun(doc: Doc, numbers: Span) -> Token | None:
    """The noun the number counts: its head ("9,000 fighters") or after "of" ("hundreds of")."""
    for token in numbers:
        head = token.head
        if head.i >= numbers.end and token.dep_ in _NOUN_DEPS:
            return head
    after = numbers.end
    while after < len(doc) and doc[after].is_quote:  # “hundreds” of its fighters
        after += 1
    if after < len(doc) and doc[after].lower_ == "of":
        return next((child for child in doc[after].children if child.dep_ == "pobj"), None)
    return None


def _outward(numbers: Span) -> Token | None:
    """The number token that hangs on a word outside the phrase ("40" in "40 injured")."""
    for token in numbers:
        if not numbers.start <= token.head.i < numbers.end:
            return token
    return None


def _looks_like_year(text: str) -> bool:
    return len(text) == 4 and text.isascii() and text.isdigit() and 1800 <= int(text) <= 2100


def make_quantity_finder(nlp: Language, name: str) -> QuantityFinder:
    """spaCy factory for ``newsdesk_quantities`` (registered by ``register_components()``)."""
    return QuantityFinder(nlp, name)

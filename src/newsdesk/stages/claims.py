"""``newsdesk_claims``: what someone asserts or denies, and whether anyone has checked it.

newsdesk never turns "the Taliban say they have surrounded the valley" into a fact: it records a
claim by the Taliban. Claims are read from the quotes (``newsdesk_quotes``) whose content is a
proposition about the world; a wish, a conditional or a promise ("we prefer peace", "if this
fails ... we will") is not a claim of fact and is left to the events stage. Each claim carries:

- its claimant (the quote's speaker) and stance: ``deny`` when the cue is a denial ("the army
  denied that ..."), else ``assert``;
- hedging ("reportedly", "may", "optimistically") found in the claim or its attribution;
- a verification status the text gives, with its evidence: ``unverified`` ("the BBC has not
  independently verified this claim"), ``disputed`` (someone else denies or rejects it),
  ``confirmed`` (an independent source backs it), looked for in the claim's sentence and the
  one after it;
- the quantities inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsdesk import attributes
from newsdesk.attributes import text_of
from newsdesk.data.lexicons import load_phrases
from newsdesk.records import Claim, Quantity, Quote, Verification
from newsdesk.stages.evidence import evidence_at, sentence_of

NAME = "newsdesk_claims"
REQUIRES = [
    "doc.sents",
    "token.dep",
    f"doc._.{attributes.QUOTES}",
    f"doc._.{attributes.QUANTITIES}",
]
ASSIGNS = [f"doc._.{attributes.CLAIMS}"]

# Verbs that make a clause a wish, plan or promise rather than a statement of fact.
_NOT_FACTUAL_VERBS = frozenset({"want", "prefer", "hope", "wish", "need", "plan", "intend"})
_MODALS = frozenset({"will", "would", "shall", "should", "must", "'ll"})
_MIN_CONTENT_WORDS = 3
_VERIFICATION_KINDS: tuple[Verification, ...] = ("unverified", "disputed", "confirmed")


@dataclass(frozen=True)
class _Phrase:
    kind: Verification
    start: int
    end: int


class ClaimReader:
    """The ``newsdesk_claims`` component. Build it with ``nlp.add_pipe("newsdesk_claims")``."""

    def __init__(self, nlp: Language, name: str = NAME):
        self.name = name
        self._patterns = {
            kind: _pattern(load_phrases("claims", kind)) for kind in _VERIFICATION_KINDS
        }
        self._hedges = _hedge_pattern(load_phrases("claims", "hedges"))
        self._denial_cues = load_phrases("claims", "denial_cues")

    def __call__(self, doc: Doc) -> Doc:
        claims = self.resolve(doc)
        self.set_annotations(doc, claims)
        return doc

    def resolve(self, doc: Doc) -> tuple[Claim, ...]:
        """Read the claims in the quotes (pure: reads the Doc, writes nothing)."""
        quotes: tuple[Quote, ...] = doc._.get(attributes.QUOTES)
        quantities: tuple[Quantity, ...] = doc._.get(attributes.QUANTITIES)
        sentences = list(doc.sents)
        starts = [sent.start_char for sent in sentences]
        propositions = [
            (index, quote)
            for index, quote in enumerate(quotes)
            if _is_proposition(
                doc.char_span(quote.content.start, quote.content.end, alignment_mode="contract")
            )
        ]
        owned = _assign(self._verification_phrases(text_of(doc)), propositions, sentences, starts)
        return tuple(
            self._claim(doc, index, quote, owned.get(index), quantities, sentences, starts)
            for index, quote in propositions
        )

    def set_annotations(self, doc: Doc, claims: tuple[Claim, ...]) -> None:
        doc._.set(attributes.CLAIMS, claims)

    def _claim(
        self,
        doc: Doc,
        index: int,
        quote: Quote,
        verification: _Phrase | None,
        quantities: Sequence[Quantity],
        sentences: list[Span],
        starts: list[int],
    ) -> Claim:
        first = sentence_of(starts, quote.content.start)
        last = sentence_of(starts, max(quote.content.end - 1, quote.content.start))
        # The attribution ("Mr Doe optimistically cited reports that ...") may hedge
        # the claim as much as its own words do, so the whole sentence is read.
        hedge = self._hedges.search(
            text_of(doc), sentences[first].start_char, sentences[last].end_char
        )
        return Claim(
            claimant=quote.speaker,
            content=quote.content,
            stance="deny" if self._is_denial(doc, quote) else "assert",
            hedged=hedge is not None,
            hedge=evidence_at(doc, hedge.start(), hedge.end(), starts) if hedge else None,
            verification=verification.kind if verification else None,
            verification_evidence=(
                evidence_at(doc, verification.start, verification.end, starts)
                if verification
                else None
            ),
            quantities=tuple(
                quantity
                for quantity in quantities
                if quote.content.start <= quantity.evidence.start
                and quantity.evidence.end <= quote.content.end
            ),
            quote=index,
        )

    def _is_denial(self, doc: Doc, quote: Quote) -> bool:
        if quote.cue is None:
            return False
        cue = doc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand")
        return cue is not None and any(
            token.lemma_.casefold() in self._denial_cues for token in cue
        )

    def _verification_phrases(self, text: str) -> list[_Phrase]:
        found = [
            _Phrase(kind, match.start(), match.end())
            for kind, pattern in self._patterns.items()
            for match in pattern.finditer(text)
        ]
        return sorted(found, key=lambda phrase: phrase.start)


def _assign(
    phrases: Iterable[_Phrase],
    propositions: Sequence[tuple[int, Quote]],
    sentences: list[Span],
    starts: list[int],
) -> dict[int, _Phrase]:
    """Give each verification phrase to the one claim it is about: the nearest claim whose
    sentence, or the sentence before, holds the phrase; never the claim the phrase is part of
    (a denial quoted is a stance, not a dispute)."""
    owned: dict[int, _Phrase] = {}
    for phrase in phrases:
        sentence = sentence_of(starts, phrase.start)
        best: tuple[int, int] | None = None
        for index, quote in propositions:
            first = sentence_of(starts, quote.content.start)
            last = sentence_of(starts, max(quote.content.end - 1, quote.content.start))
            own = [(quote.content.start, quote.content.end)]
            if quote.cue is not None:
                own.append((quote.cue.start, quote.cue.end))
            inside = any(start <= phrase.start < end for start, end in own)
            if inside or not first <= sentence <= last + 1:
                continue
            distance = abs(phrase.start - quote.content.end)
            if best is None or distance < best[0]:
                best = (distance, index)
        if best is not None and best[1] not in owned:
            owned[best[1]] = phrase
    return owned


def _is_proposition(content: Span | None) -> bool:
    """True for a statement about the world; false for a wish, plan, promise or conditional."""
    if content is None:
        return False
    words = [token for token in content if not token.is_punct and not token.is_space]
    if len(words) < _MIN_CONTENT_WORDS or content.text.rstrip().endswith("?"):
        return False
    if words[0].lower_ in {"if", "unless"}:
        return False
    verbs = [token for token in content if token.pos_ in {"VERB", "AUX"}]
    if not verbs:
        return False
    main = content.root
    if main.lemma_.casefold() in _NOT_FACTUAL_VERBS:
        return False
    return not any(child.lower_ in _MODALS for child in main.children if child.dep_ == "aux")


def _pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    alternatives = sorted(phrases, key=len, reverse=True)
    body = "|".join(re.escape(phrase).replace(r"\ ", r"\s+") for phrase in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)", re.IGNORECASE)


def _hedge_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """Hedges match as written, or capitalised at a sentence start, but "May" is a month."""
    forms = set(phrases) | {phrase.capitalize() for phrase in phrases if phrase != "may"}
    body = "|".join(
        re.escape(phrase).replace(r"\ ", r"\s+") for phrase in sorted(forms, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def make_claim_reader(nlp: Language, name: str) -> ClaimReader:
    """spaCy factory for ``newsdesk_claims`` (registered by ``register_components()``)."""
    return ClaimReader(nlp, name)

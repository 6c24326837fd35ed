"""``newsdesk_claims``: what someone asserts or denies, and whether anyone has checked it.

newsdesk never turns "the Taliban say they have surrounded the valley" into a fact: it records a
claim by the Taliban. Claims are read from the quotes (``newsdesk_quotes``) whose content is a
proposition about the world; a wish, a conditional or a promise ("we prefer peace", "if this
fails ... we will") is not a claim of fact and is left to the events stage. Each claim carries:

- its claimant (the quote's speaker) and stance: ``deny`` when the cue is a denial ("the army
  denied that ..."), else ``assert``;
- hedging ("reportedly", "may", "optimistically") found in the claim or its attribution;
- the quantities inside it.

Whether the text says a claim was checked (``verification``) is read later, for claims and
events alike, by ``newsdesk_verification`` (:mod:`newsdesk.stages.verification`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from newsdesk import attributes
from newsdesk.attributes import text_of
from newsdesk.data.lexicons import load_phrases
from newsdesk.records import Claim, Quantity, Quote
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


class ClaimReader:
    """The ``newsdesk_claims`` component. Build it with ``nlp.add_pipe("newsdesk_claims")``."""

    def __init__(self, nlp: Language, name: str = NAME):
        self.name = name
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
        return tuple(
            self._claim(doc, index, quote, quantities, sentences, starts)
            for index, quote in propositions
        )

    def set_annotations(self, doc: Doc, claims: tuple[Claim, ...]) -> None:
        doc._.set(attributes.CLAIMS, claims)

    def _claim(
        self,
        doc: Doc,
        index: int,
        quote: Quote,
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

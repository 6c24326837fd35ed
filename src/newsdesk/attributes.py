"""The custom attributes newsdesk keeps on a spaCy ``Doc``, declared once.

Values live on the Doc (not in module globals), so Docs pickle across processes. Stages read
and write only these names; ``declare_extensions()`` is idempotent and called by
``newsdesk.components.register_components()``, never at import time.
"""

from __future__ import annotations

from spacy.tokens import Doc

TEXT = "newsdesk_text"
"""str | None: ``doc.text``, kept once: spaCy rebuilds ``doc.text`` from every token on each
read, and the stages read it for every piece of evidence. Use :func:`text_of`."""
BLOCKS = "newsdesk_blocks"
"""tuple[Block, ...]: the blocks of the text, set before the pipeline runs."""
PUBLISHED = "newsdesk_published"
"""str | None: the article's ISO publication date, set before the pipeline runs; None when the
source does not state it."""
SOURCE_URL = "newsdesk_source_url"
"""str | None: the article's URL, set before the pipeline runs (never fetched): its country
domain tells the publisher's home country to the places stage."""
ENTITIES = "newsdesk_entities"
"""tuple[Entity, ...]: resolved entities, written by the ``newsdesk_entities`` component."""
PLACES = "newsdesk_places"
"""tuple[Place, ...]: geoparsed and geocoded places, written by ``newsdesk_places``."""
QUOTES = "newsdesk_quotes"
"""tuple[Quote, ...]: direct, indirect and mixed quotes, written by ``newsdesk_quotes``."""
CLAIMS = "newsdesk_claims"
"""tuple[Claim, ...]: claims with claimant, stance and hedging, written by ``newsdesk_claims``;
``newsdesk_verification`` then writes them again with their verification."""
EVENTS = "newsdesk_events"
"""tuple[Event, ...]: PLOVER-coded events, written by ``newsdesk_events``; then again, with
their verification, by ``newsdesk_verification``."""
TIMES = "newsdesk_times"
"""tuple[TimeExpression, ...]: normalised dates and times, written by ``newsdesk_times``."""
QUANTITIES = "newsdesk_quantities"
"""tuple[Quantity, ...]: counts and measures, written by ``newsdesk_quantities``."""

_DECLARED: dict[str, object] = {
    TEXT: None,
    BLOCKS: (),
    PUBLISHED: None,
    SOURCE_URL: None,
    ENTITIES: (),
    PLACES: (),
    QUOTES: (),
    CLAIMS: (),
    EVENTS: (),
    TIMES: (),
    QUANTITIES: (),
}


def declare_extensions() -> None:
    """Declare every newsdesk attribute on ``Doc`` (safe to call many times)."""
    for name, default in _DECLARED.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def text_of(doc: Doc) -> str:
    """The Doc's text, read once and kept on the Doc (it never changes after tokenizing)."""
    text: str | None = doc._.get(TEXT)
    if text is None:
        text = doc.text
        doc._.set(TEXT, text)
    return text

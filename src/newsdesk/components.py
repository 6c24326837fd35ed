"""The registry of newsdesk's spaCy components, filled by one explicit call.

``register_components()`` declares the Doc attributes and registers each stage's factory under
its stable name, so ``nlp.add_pipe("newsdesk_entities")`` works in any user's pipeline. Nothing
is registered at import time; calling it twice is harmless.
"""

from __future__ import annotations

from spacy.language import Language

from newsdesk import attributes
from newsdesk.stages import claims, entities, events, places, quantities, quotes, times

COMPONENTS = (
    entities.NAME,
    places.NAME,
    times.NAME,
    quantities.NAME,
    quotes.NAME,
    claims.NAME,
    events.NAME,
)
"""Names of newsdesk's components, in pipeline order."""


def register_components() -> None:
    """Declare newsdesk's Doc attributes and register its components with spaCy."""
    attributes.declare_extensions()
    if not Language.has_factory(entities.NAME):
        Language.factory(
            entities.NAME,
            func=entities.make_entity_resolver,
            default_config={"knowledge_base": []},
            requires=["doc.ents", "token.dep", "token.lemma", "doc.sents"],
            assigns=[f"doc._.{attributes.ENTITIES}"],
        )
    if not Language.has_factory(times.NAME):
        Language.factory(
            times.NAME,
            func=times.make_time_normaliser,
            requires=times.REQUIRES,
            assigns=times.ASSIGNS,
        )
    if not Language.has_factory(quantities.NAME):
        Language.factory(
            quantities.NAME,
            func=quantities.make_quantity_finder,
            requires=quantities.REQUIRES,
            assigns=quantities.ASSIGNS,
        )
    if not Language.has_factory(places.NAME):
        Language.factory(
            places.NAME,
            func=places.make_place_resolver,
            requires=places.REQUIRES,
            assigns=places.ASSIGNS,
        )
    if not Language.has_factory(quotes.NAME):
        Language.factory(
            quotes.NAME,
            func=quotes.make_quote_finder,
            requires=quotes.REQUIRES,
            assigns=quotes.ASSIGNS,
        )
    if not Language.has_factory(claims.NAME):
        Language.factory(
            claims.NAME,
            func=claims.make_claim_reader,
            requires=claims.REQUIRES,
            assigns=claims.ASSIGNS,
        )
    if not Language.has_factory(events.NAME):
        Language.factory(
            events.NAME,
            func=events.make_event_coder,
            requires=events.REQUIRES,
            assigns=events.ASSIGNS,
        )

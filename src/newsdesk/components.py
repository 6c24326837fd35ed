"""The registry of newsdesk's spaCy components, filled by one explicit call.

``register_components()`` declares the Doc attributes and registers each stage's factory under
its stable name, so ``nlp.add_pipe("newsdesk_entities")`` works in any user's pipeline. Nothing
is registered at import time; calling it twice is harmless. Each stage module names itself,
what it reads and what it writes (``NAME``, ``REQUIRES``, ``ASSIGNS``), so
``nlp.analyze_pipes()`` can check the order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language

from newsdesk import attributes
from newsdesk.stages import (
    claims,
    coreference,
    entities,
    events,
    places,
    quantities,
    quotes,
    times,
    verification,
)


@dataclass(frozen=True)
class _Component:
    name: str
    factory: Callable[..., Any]
    requires: list[str]
    assigns: list[str]
    default_config: Mapping[str, Any] = field(default_factory=dict)


_REGISTRY = (
    _Component(
        entities.NAME,
        entities.make_entity_resolver,
        entities.REQUIRES,
        entities.ASSIGNS,
        {"knowledge_base": []},
    ),
    _Component(
        coreference.NAME,
        coreference.make_coreference_resolver,
        coreference.REQUIRES,
        coreference.ASSIGNS,
    ),
    _Component(places.NAME, places.make_place_resolver, places.REQUIRES, places.ASSIGNS),
    _Component(times.NAME, times.make_time_normaliser, times.REQUIRES, times.ASSIGNS),
    _Component(
        quantities.NAME, quantities.make_quantity_finder, quantities.REQUIRES, quantities.ASSIGNS
    ),
    _Component(quotes.NAME, quotes.make_quote_finder, quotes.REQUIRES, quotes.ASSIGNS),
    _Component(claims.NAME, claims.make_claim_reader, claims.REQUIRES, claims.ASSIGNS),
    _Component(events.NAME, events.make_event_coder, events.REQUIRES, events.ASSIGNS),
    _Component(
        verification.NAME,
        verification.make_verification_reader,
        verification.REQUIRES,
        verification.ASSIGNS,
    ),
)

COMPONENTS = tuple(component.name for component in _REGISTRY)
"""Names of newsdesk's components, in pipeline order."""


def register_components() -> None:
    """Declare newsdesk's Doc attributes and register its components with spaCy."""
    attributes.declare_extensions()
    for component in _REGISTRY:
        if not Language.has_factory(component.name):
            Language.factory(
                component.name,
                func=component.factory,
                default_config=dict(component.default_config),
                requires=component.requires,
                assigns=component.assigns,
            )

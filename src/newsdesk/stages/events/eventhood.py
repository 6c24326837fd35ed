"""Eventhood: whether a matched predicate reports an event at all.

Nothing is coded for a sentence without a predicate. A noun that only says where a report comes
from ("according to a press release") is no event, nor is an event noun inside another noun's
phrase ("the conditions for a peace deal") unless it has its own date. A nominal event needs a
participant, a light verb or its own date; a weak predicate (weight < 0.5) a named participant;
and a demand ("X said Y must ...") is dropped when it only exhorts ("we must do more").
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from newsdesk.data.event_lexicon import Predicate
from newsdesk.stages.events.actors import entity_ids
from newsdesk.stages.events.context import EventContext, Found

# Words that modify a noun: an event word there describes it ("a fighting force").
MODIFIER_EDGES = frozenset({"compound", "amod", "acomp", "oprd", "nmod"})
# A predicate under this weight reports its event only weakly: it needs a named participant,
# and it governs the events below it by half a level.
WEAK_WEIGHT = 0.5


def is_attribution(noun: Token) -> bool:
    """ "according to a press release": where a report comes from, not an event."""
    head = noun.head
    return noun.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according"


def describes_a_noun(noun: Token) -> bool:
    """True for an event noun inside another noun's phrase ("conditions for a deal")."""
    return noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "NOUN"


def has_time(noun: Token, context: EventContext) -> bool:
    """True when a time expression lies in the noun's phrase ("the 2019 attack")."""
    return any(token.i in context.times_at for token in noun.subtree)


def lacks_a_participant(
    found: Found,
    source_tokens: Sequence[Token],
    target_tokens: Sequence[Token],
    *,
    light: bool,
    context: EventContext,
) -> bool:
    """True for a nominal event with no participant, no light verb and no date of its own
    ("the fighting"): a topic, not a report of an event."""
    return not (source_tokens or target_tokens or light or has_time(found.head, context))


def weak_without_party(
    predicate: Predicate, source: tuple[str, ...], target: tuple[str, ...]
) -> bool:
    """True for a weak predicate whose parties name no entity."""
    return predicate.weight < WEAK_WEIGHT and not (source or target)


def exhorts(
    found: Found,
    target_tokens: Sequence[Token],
    source: tuple[str, ...],
    target: tuple[str, ...],
    context: EventContext,
) -> bool:
    """True for a demand that exhorts rather than demands ("we must do more"): it is laid on
    the speaker's own side, or on a party that is not a named entity of its own."""
    return found.speaker is not None and bool(
        any(token.lower_ in {"we", "i"} for token in target_tokens)
        or (source and not target and entity_ids(target_tokens, context))
    )

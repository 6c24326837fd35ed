"""What every part of the events stage shares: the Doc's context (built once per Doc by
:func:`build_context`), the predicates found in the parse, and the clause and coordination a
predicate's words reach through.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from spacy.tokens import Doc, Token

from newsdesk import attributes
from newsdesk.data.event_lexicon import Predicate
from newsdesk.dates import day_of
from newsdesk.records import Entity, Evidence, MentionRole, Place, Quantity, Quote, TimeExpression
from newsdesk.stages.places import speaks_for_its_state

# Place mentions that tell whom a name belongs to, not where anything is: the place inside an
# organisation's name ("the Shreveport Police Department") and a demonym ("Russian forces").
# Neither is an event's place by itself; only the names are read as where events happen.
_AFFILIATIONS: frozenset[MentionRole | None] = frozenset({"in_name", "demonym"})

CLAUSE_EDGES = frozenset({"relcl", "ccomp", "advcl", "parataxis", "acl", "csubj", "xcomp"})


@dataclass
class EventContext:
    """What the whole Doc tells each event: entities, places, times and quotes by token."""

    doc: Doc
    entity_at: dict[int, Entity]
    place_at: dict[int, int]
    times: list[tuple[TimeExpression, frozenset[int]]]
    quantities: list[tuple[Quantity, frozenset[int]]]
    quotes: tuple[Quote, ...]
    published: date | None
    sentence_starts: list[int]
    entities: dict[str, Entity] = field(default_factory=dict)
    place_precision: dict[int, int] = field(default_factory=dict)
    anchors: frozenset[int] = frozenset()
    """Tokens of a place named only as the anchor of another named place ("Y" in "X, 40 km
    north of Y"): X is where things are."""
    places: tuple[Place, ...] = ()
    """The article's places, as ``Event.place`` indexes them."""
    titles: tuple[tuple[int, int], ...] = ()
    """Character ranges of the article's title blocks: a headline's grammar is its own."""
    tree: Tree | None = None
    """The parse read once for the whole Doc (built by the events' place finder on first use)."""

    @cached_property
    def times_at(self) -> dict[int, list[int]]:
        """The numbers of the times (in ``times``) each token is part of: what a clause holds
        is read from its own tokens, not by asking every time of the Doc for each event."""
        return _numbers_at(self.times)

    @cached_property
    def quantities_at(self) -> dict[int, list[int]]:
        """The numbers of the quantities (in ``quantities``) each token is part of."""
        return _numbers_at(self.quantities)

    def in_title(self, at: int) -> bool:
        """True when the character offset ``at`` lies inside a title block."""
        return any(start <= at < end for start, end in self.titles)


def _numbers_at(items: Iterable[tuple[object, frozenset[int]]]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for number, (_, tokens) in enumerate(items):
        for token in tokens:
            found.setdefault(token, []).append(number)
    return found


@dataclass(frozen=True)
class Tree:
    """The Doc's dependency trees, read once, so that asking whether one word lies below
    another, or which words of a sentence name places, costs no walk of a subtree per event
    (a long unpunctuated paragraph is one sentence of hundreds of events)."""

    enter: list[int]
    """Preorder position of each token: ``j`` is in the subtree of ``i`` when
    ``enter[i] <= enter[j] < leave[i]``."""
    leave: list[int]
    source: list[int]
    """The nearest word at or above each token that may open a source aside (an "according"
    preposition or a subject), or -1."""
    relative: list[int]
    """The nearest relative clause's verb at or above each token, or -1."""
    sentence_starts: list[int]
    """The first token of each sentence."""
    places_in: dict[int, list[int]]
    """The place tokens of each sentence (by number), in the order ``place_at`` holds them."""
    kept: dict[int, tuple[bool, bool]] = field(default_factory=dict)
    """What the events' place finder read of each place token that is the same for every
    event (filled as it reads them)."""

    def holds(self, top: int, token: int) -> bool:
        """True when ``token`` is ``top`` or lies below it."""
        return self.enter[top] <= self.enter[token] < self.leave[top]


@dataclass(frozen=True)
class Found:
    """A predicate in the parse: its lexicon row and the tokens that carry it."""

    predicate: Predicate
    head: Token
    """The word the lexicon matched: the verb, or the event noun."""
    anchor: Token
    """The verb whose clause the event sits in: the verb itself, or the light verb."""
    words: tuple[Token, ...]
    speaker: Token | None = None
    """For a demand ("X said Y must ..."), the verb whose subject demands it."""


def expand(tokens: Iterable[Token]) -> list[Token]:
    """Each token and its coordinated partners ("X and Y")."""
    found: list[Token] = []
    for token in tokens:
        for item in (token, *token.conjuncts):
            if item not in found:
                found.append(item)
    return found


def clause_of(words: Iterable[Token]) -> frozenset[int]:
    """The tokens below ``words``, not inside another clause."""
    tokens: set[int] = set()
    stack = list(words)
    while stack:
        token = stack.pop()
        if token.i in tokens:
            continue
        tokens.add(token.i)
        for child in token.children:
            if child.dep_ in CLAUSE_EDGES or (child.dep_ == "conj" and child.pos_ == "VERB"):
                continue
            stack.append(child)
    return frozenset(tokens)


def numbers_in(clause: frozenset[int], numbers_at: dict[int, list[int]]) -> list[int]:
    """The numbers of the items any of whose tokens the clause holds, in the Doc's order of
    items: read from the clause's tokens, so an event costs its clause, not the whole Doc."""
    return sorted({number for i in clause for number in numbers_at.get(i, ())})


# -- the Doc's context ------------------------------------------------------------------------


def build_context(doc: Doc) -> EventContext:
    """Read the Doc's entities, places, times, quantities, quotes and titles once, indexed by
    token, for every event of the Doc."""
    entities: tuple[Entity, ...] = doc._.get(attributes.ENTITIES)
    places: tuple[Place, ...] = doc._.get(attributes.PLACES)
    times: tuple[TimeExpression, ...] = doc._.get(attributes.TIMES)
    quantities: tuple[Quantity, ...] = doc._.get(attributes.QUANTITIES)
    stated: str | None = doc._.get(attributes.PUBLISHED)
    entity_at: dict[int, Entity] = {}
    for entity in entities:
        for mention in entity.mentions:
            for index in _token_indices(doc, mention):
                entity_at.setdefault(index, entity)
    place_at: dict[int, int] = {}
    anchors: set[int] = set()
    # A place given only by a relation ("near Kabul") holds its anchor's words; a named place
    # with a relation ("X, 40 km north of Y") makes its anchor a mere landmark.
    for index, place in enumerate(places):
        if place.feature == "relative":
            for mention in place.mentions:
                for token in _token_indices(doc, mention):
                    place_at.setdefault(token, index)
        else:
            for relative in place.relative:
                anchors.update(_token_indices(doc, relative.evidence))
    for index, place in enumerate(places):
        for mention in place.mentions:
            if mention.role in _AFFILIATIONS:
                continue
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None and len(span) and speaks_for_its_state(span):
                continue  # "Pakistan denied ...": a party to the events, not where they were
            for token in _token_indices(doc, mention):
                place_at.setdefault(token, index)
    return EventContext(
        doc=doc,
        entity_at=entity_at,
        place_at=place_at,
        times=[(time, frozenset(_token_indices(doc, time.evidence))) for time in times],
        quantities=[
            (quantity, frozenset(_token_indices(doc, quantity.evidence))) for quantity in quantities
        ],
        quotes=doc._.get(attributes.QUOTES) if doc.has_extension(attributes.QUOTES) else (),
        published=day_of(stated),
        sentence_starts=[sent.start_char for sent in doc.sents],
        entities={entity.id: entity for entity in entities},
        place_precision={
            index: place.precision for index, place in enumerate(places) if place.precision
        },
        anchors=frozenset(anchors),
        places=places,
        titles=tuple(
            (block.start, block.end)
            for block in doc._.get(attributes.BLOCKS)
            if block.kind == "title"
        ),
    )


def _token_indices(doc: Doc, evidence: Evidence) -> list[int]:
    span = doc.char_span(evidence.start, evidence.end, alignment_mode="expand")
    return [] if span is None else [token.i for token in span]

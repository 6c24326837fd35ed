"""Who did what to whom, for the events stage: a predicate's source and target words in the
parse, and the entities those words stand for (a pronoun or "the group" by the link
``newsdesk_coreference`` put among its entity's mentions).

The subject is the source and the object (or the object of "against", "on", "at") the target; a
passive's "by" phrase is its source; a noun's possessor, "by" and "of" phrases say who did what
to whom ("X's attack on Y", "the assassination of X by Y"); coordinated participants of a mutual
predicate ("X and Y clashed", "talks between X and Y") are each other's source and target.
Actor words map to the entities of ``newsdesk_entities`` (the word itself, its compound,
possessor or apposition, or "of/from/in" + name: "hundreds of Mujahideen of the Islamic
Emirate"), generic agents included ("gunmen", "villagers"); a target that names no one stands
for whom it goes to ("halted aid to X"), and an act's "to" is its target unless the act is a
move ("marched to X"). Outlets are never parties.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from spacy.tokens import Token

from newsdesk.data.event_lexicon import Predicate
from newsdesk.records import Entity
from newsdesk.stages.events.context import EventContext, Found, expand

_OBJECTS = frozenset({"dobj", "dative", "attr", "oprd"})
_TARGET_PREPS = frozenset({"against", "on", "upon", "at", "onto", "into"})
_MUTUAL_PREPS = frozenset({"with", "between", "among", "amongst"})
_ACTOR_PREPS = frozenset({"of", "from", "in"})
_COMPLEMENT_PREPS = frozenset({"to", "with", "for", "against", "on"})
# In this order: whose act a thing is, then whom it goes to or is aimed at.
_PARTY_PREPS = ("by", "to", "for", "with", "against", "toward", "towards")
# Types whose "to" without an object is a destination ("marched to the embassy").
_MOVES = frozenset({"MOBILIZE", "RETREAT", "ASSAULT", "COERCE", "PROTEST"})
_RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that", "whose"})


# -- the parse --------------------------------------------------------------------------------


def subjects_of(verb: Token) -> list[Token]:
    found = [child for child in verb.children if child.dep_ in {"nsubj", "nsubjpass", "csubj"}]
    if found:
        if verb.dep_ == "relcl" and found[0].lower_ in _RELATIVE_PRONOUNS:
            return [verb.head]  # "X, who was assassinated by Y"
        return found
    if verb.dep_ in {"xcomp", "conj", "advcl"} and verb.head is not verb:
        return subjects_of(verb.head)
    if verb.dep_ in {"acl", "relcl"}:
        return [verb.head]
    return []


def is_passive(verb: Token) -> bool:
    if any(child.dep_ in {"nsubjpass", "auxpass"} for child in verb.children):
        return True
    return verb.dep_ == "acl" and verb.tag_ == "VBN"


def verb_arguments(found: Found, predicate: Predicate) -> tuple[list[Token], list[Token]]:
    verb = found.head
    passive = is_passive(verb)
    subjects = subjects_of(verb)
    objects = [
        child for child in verb.children if child.dep_ in _OBJECTS and child not in found.words
    ]
    agents = [
        grand
        for child in verb.children
        if child.dep_ == "agent"
        for grand in child.children
        if grand.dep_ == "pobj"
    ]
    preps = {*_TARGET_PREPS, *(_MUTUAL_PREPS if "mutual" in predicate.flags else ())}
    # "formed links with X", "imposed sanctions on X": the preposition may hang on a noun.
    holders = [
        *found.words,
        *(c for c in verb.children if c.dep_ == "dobj" and "mutual" in predicate.flags),
    ]
    for child in (child for holder in holders for child in holder.children):
        of_phrase = child.lower_ == "of" and child.head.i != verb.i  # "took control of X"
        if child.dep_ == "prep" and (child.lower_ in preps or of_phrase) and not objects:
            objects += [grand for grand in child.children if grand.dep_ == "pobj"]
    # "sent arms to X", "apologised to X": whom the act goes to. A move's "to" is where.
    if objects or predicate.type not in _MOVES:
        objects += _prep_objects({verb, *found.words}, {"to"})
    if not objects:
        # "demanded that the US cancel its plans", "allowed X to take part": whom it asks or
        # lets do the act; "agreed to provide aid to X", "offered to negotiate with X": whom
        # the act it agrees to is for.
        for child in verb.children:
            if child.dep_ == "ccomp" and predicate.type != "THREATEN":
                # "warned that police will act": a threat's clause tells the threatener's deed
                objects += [c for c in child.children if c.dep_ in {"nsubj", "nsubjpass"}]
            elif child.dep_ == "xcomp":
                objects += [c for c in child.children if c.dep_ in _OBJECTS]
                objects += _prep_objects([child], _COMPLEMENT_PREPS)
    if passive:
        return agents, subjects + objects
    subjects = expand(subjects)
    if "mutual" in predicate.flags and not objects and len(subjects) > 1:
        return subjects, subjects
    return subjects, objects


def noun_arguments(
    found: Found, predicate: Predicate, *, light: bool
) -> tuple[list[Token], list[Token]]:
    noun = found.head
    sources: list[Token] = []
    targets: list[Token] = []
    for child in noun.children:
        if child.dep_ == "poss":
            (targets if "poss_target" in predicate.flags else sources).append(child)
        elif (child.dep_ == "compound" and child.pos_ == "PROPN") or (
            child.dep_ == "amod" and child.ent_type_ in {"NORP", "GPE"}
        ):
            sources.append(child)
        elif child.dep_ in {"prep", "agent"}:
            objects = [grand for grand in child.children if grand.dep_ == "pobj"]
            word = child.lower_
            if word == "by":
                sources += objects
            elif word == "of":
                (sources if "of_source" in predicate.flags else targets).extend(objects)
            elif word in _MUTUAL_PREPS and "mutual" in predicate.flags:
                if word == "with":
                    targets += objects
                else:
                    both = [t for o in objects for t in o.subtree if t is o or t.dep_ == "conj"]
                    sources += both
                    targets += both
            elif word in _TARGET_PREPS:
                targets += objects
            elif word == "between":  # "mediation between X and Y": both are its targets
                targets += [t for o in objects for t in (o, *o.conjuncts)]
    # The subject of "carried out an attack", "pursue negotiations" is the noun's actor.
    if light or (found.anchor is not noun and noun.dep_ == "dobj"):
        sources = sources or subjects_of(found.anchor)
        if noun.dep_ == "pobj":
            targets = targets or [c for c in found.anchor.children if c.dep_ in _OBJECTS]
        if predicate.type not in _MOVES:  # "provided aid to X"
            targets = targets or _prep_objects([found.anchor], {"to"})
    return sources, targets


def _prep_objects(words: Iterable[Token], preps: Collection[str]) -> list[Token]:
    """The objects of the words' prepositions ``preps``: "X" of "sent arms to X"."""
    return [
        grand
        for word in words
        for child in word.children
        if child.dep_ == "prep" and child.lower_ in preps
        for grand in child.children
        if grand.dep_ == "pobj"
    ]


# -- actors -----------------------------------------------------------------------------------


def entity_ids(
    tokens: Sequence[Token],
    context: EventContext,
    *,
    recipients: bool = False,
) -> tuple[str, ...]:
    """The entities the tokens name; with ``recipients``, a thing that names none stands for
    whose it is or whom it goes to ("rejected calls by X", "halted aid to X")."""
    found: list[str] = []
    for token in expand(tokens):
        entity = _actor(token, context, depth=0)
        if entity is None and recipients and token.pos_ == "NOUN":
            phrases = sorted(
                (
                    child
                    for child in token.children
                    if child.dep_ in {"prep", "agent"} and child.lower_ in _PARTY_PREPS
                ),
                key=lambda child: _PARTY_PREPS.index(child.lower_),
            )
            entity = next(
                (
                    actor
                    for child in phrases
                    for grand in child.children
                    if grand.dep_ == "pobj"
                    and (actor := _actor(grand, context, depth=1)) is not None
                ),
                None,
            )
        if entity is not None and entity.id not in found:
            found.append(entity.id)
    return tuple(found)


def _actor(token: Token, context: EventContext, depth: int) -> Entity | None:
    entity = context.entity_at.get(token.i)
    if entity is not None:
        return None if entity.outlet else entity
    if token.pos_ == "PRON" or depth > 1:
        return None  # a pronoun stands for whom coreference linked it to, or for no one
    for child in token.children:
        # "the opposition newspaper La Prensa": the name in apposition is who the noun is.
        if child.dep_ in {"compound", "poss", "amod", "nmod", "appos"}:
            entity = _actor(child, context, depth + 1)
            if entity is not None:
                return entity
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in _ACTOR_PREPS:
            for grand in child.children:
                if grand.dep_ == "pobj":
                    entity = _actor(grand, context, depth + 1)
                    if entity is not None:
                        return entity
    return None

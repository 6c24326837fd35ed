"""Who did what to whom, for the events stage: a predicate's source and target words in the
parse, and the entities those words stand for (a pronoun or "the group" by the link
``newsdesk_coreference`` put among its entity's mentions).

The subject is the source and the object (or the object of "against", "on", "at") the target; a
passive's "by" phrase is its source; a noun's possessor, "by" and "of" phrases say who did what
to whom ("X's attack on Y", "the assassination of X by Y"); coordinated participants of a mutual
predicate ("X and Y clashed", "talks between X and Y") are each other's source and target.
A gerund after "of", "for", "from" is done by the verb's object ("accused the Taliban of
plotting"), after other prepositions by its subject ("responded by destroying"); an infinitive
of a noun by the noun's owner ("its reluctance to endorse"); a light verb carries its subject or
its passive "by" to the noun ("the attack was orchestrated by X", "claimed responsibility for the
attack", "launched a series of shelling"). A town before an event noun, a meeting's topic and
whoever hears or confirms an act are no parties to it ("the Bouake attack", "talks on Ukraine",
"residents hear gunfire"), though they make the nominal a particular event (``specifics``).
Actor words map to the entities of ``newsdesk_entities`` (the word itself, its compound,
possessor or apposition, or "of/from/in" + name: "hundreds of Mujahideen of the Islamic
Emirate"), generic agents included ("gunmen", "villagers"); a target that names no one stands
for whom it goes to ("halted aid to X"), and an act's "to" is its target unless the act is a
move ("marched to X"). Outlets are never parties.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from functools import cache

from spacy.tokens import Token

from newsdesk.data.event_lexicon import Predicate
from newsdesk.data.lexicons import load_sections
from newsdesk.records import Entity
from newsdesk.stages.events.context import EventContext, Found, expand

_OBJECTS = frozenset({"dobj", "dative", "attr", "oprd"})
_TARGET_PREPS = frozenset({"against", "on", "upon", "at", "onto", "into"})
_MUTUAL_PREPS = frozenset({"with", "between", "among", "amongst"})
_ACTOR_PREPS = frozenset({"of", "from", "in"})
# The prepositions by which a verb says what its object did or may not do: "accused X of",
# "sentenced X for", "banned X from"; "by", "after", "while" tell the subject's own deed.
_CHARGING_PREPS = frozenset({"of", "for", "from"})
# Named-entity labels of a possessor that says when, not who: "Tuesday's attack".
_WHEN = frozenset({"DATE", "TIME"})
# What a meeting's "on" or "at" names is its topic or its venue: "talks on Ukraine".
_TOPIC_PREPS = frozenset({"on", "upon", "at"})
# Verbs whose object is what is talked about, not with whom: "discussed China's role".
_TOPIC_VERBS = frozenset({"discuss", "debate"})
# Verbs whose subject sees, tells, suffers, opposes or undoes the act they take as object, and
# does not do it: "residents hear gunfire", "Trump confirmed the killing", "denies the charges",
# "an appeals court overturned the conviction".
_BYSTANDER_VERBS = frozenset(
    {
        "hear",
        "see",
        "witness",
        "watch",
        "confirm",
        "report",
        "describe",
        "recall",
        "investigate",
        "survive",
        "suffer",
        "endure",
        "escape",
        "face",
        "fear",
        "mourn",
        "welcome",
        "deny",
        "dismiss",
        "reject",
        "condemn",
        "criticize",
        "criticise",
        "oppose",
        "protest",
        # A court that overturns a conviction, or a lawyer who appeals it, undoes another's act.
        "overturn",
        "quash",
        "annul",
        "appeal",
        "challenge",
    }
)
# Nouns through which a verb carries an event: "claimed responsibility for the attack",
# "launched a series of strikes".
_RESPONSIBILITY = frozenset({"responsibility", "credit"})
_SERIES = frozenset({"series", "wave", "spate", "string", "barrage", "round", "volley"})
_COMPLEMENT_PREPS = frozenset({"to", "with", "for", "against", "on"})
# In this order: whose act a thing is, then whom it goes to or is aimed at.
_PARTY_PREPS = ("by", "to", "for", "with", "against", "toward", "towards")
# Types whose noun's "to" is whom the act goes to ("aid to Ukraine", "a visit to Saudi
# Arabia"); a "threat to peace" or "a warning to others" names no party.
_GIVEN = frozenset({"AID", "CONSULT", "SUPPORT", "COOPERATE", "CONCEDE"})
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
    if verb.dep_ == "pcomp":
        if verb.head.dep_ == "agent" or (verb.head.lower_ == "by" and is_passive(verb.head.head)):
            return []  # "were displaced by fighting": the gerund is the cause, not an act of theirs
        preposition = verb.head
        while preposition.dep_ == "conj" and preposition.head is not preposition:
            preposition = preposition.head  # "over his activities and for defying decisions"
        return _controller(preposition.head, preposition.lower_)
    if verb.dep_ in {"xcomp", "conj", "advcl"} and verb.head is not verb:
        return subjects_of(verb.head)
    if verb.dep_ == "acl" and _infinitive(verb):
        return _owner(verb.head)
    if verb.dep_ in {"acl", "relcl"}:
        return [verb.head]
    return []


def _controller(governor: Token, preposition: str) -> list[Token]:
    """Who does the act a preposition's gerund tells: the one charged or praised for it when
    the verb names one ("accused the Taliban of plotting", "attacked the Journal for refusing",
    "sentenced Dodik for defying"), else the verb's subject ("took credit for attacking",
    "responded by destroying", "Paris was accused of aiding")."""
    if governor.pos_ not in {"VERB", "AUX"}:
        return []
    if preposition not in _CHARGING_PREPS:
        return subjects_of(governor)  # "shelled Kharkiv by firing rockets": the means
    named = [child for child in governor.children if child.dep_ == "dobj" and _names(child)]
    return named or subjects_of(governor)


def _names(token: Token) -> bool:
    """True when an object may be a party rather than a thing: a name, a pronoun, people in
    the plural, or a noun a name or pronoun owns ("its military")."""
    if token.ent_type_ or token.pos_ in {"PROPN", "PRON"}:
        return True
    if token.lemma_.casefold() in people_words() or token.lower_ in people_words():
        return True  # "accused the soldiers of ...", "urged the police to ..."
    return any(
        child.dep_ in {"poss", "compound", "amod"} and (child.ent_type_ or child.pos_ == "PRON")
        for child in token.children
    )


@cache
def people_words() -> frozenset[str]:
    """The one-word kinds of people of the generic agents' lexicon ("soldier", "police")."""
    return frozenset(
        word for words in load_sections("agents").values() for word in words if " " not in word
    )


def _infinitive(verb: Token) -> bool:
    return any(child.dep_ == "aux" and child.lower_ == "to" for child in verb.children)


def _owner(noun: Token) -> list[Token]:
    """Who does what a noun's infinitive tells: the noun's possessor ("its reluctance to
    endorse"), the subject of the verb that carries it ("Kenya launched an operation to flush
    out al-Shabab"), or the noun itself when a name qualifies it ("a U.N. plan to send")."""
    owners = [child for child in noun.children if child.dep_ == "poss"]
    if owners:
        return owners
    if noun.dep_ == "dobj" and noun.head.pos_ in {"VERB", "AUX"}:
        return subjects_of(noun.head) or [noun]
    return [noun]


def is_passive(verb: Token) -> bool:
    if any(child.dep_ in {"nsubjpass", "auxpass"} for child in verb.children):
        return True
    if verb.dep_ == "conj" and verb.tag_ == "VBN" and verb.head is not verb:
        # "were blocked or harassed ... and briefly detained": a participle joined to a passive
        own = any(child.dep_ in {"nsubj", "aux"} for child in verb.children)
        return not own and is_passive(verb.head)
    return verb.dep_ == "acl" and verb.tag_ == "VBN"


def verb_arguments(
    found: Found, predicate: Predicate, *, is_light: Callable[[Token], bool] | None = None
) -> tuple[list[Token], list[Token]]:
    verb = found.head
    passive = is_passive(verb)
    subjects = subjects_of(verb)
    carrier = _carrier(verb, is_light)
    if not subjects and carrier is not None:
        subjects = subjects_of(carrier)  # "Russia launched a series of shelling"
    objects = [
        child for child in verb.children if child.dep_ in _OBJECTS and child not in found.words
    ]
    agents = _agents(verb)
    if predicate.type == "CONSULT" and verb.lemma_.casefold() in _TOPIC_VERBS:
        objects = []
    preps = {*_TARGET_PREPS, *(_MUTUAL_PREPS if "mutual" in predicate.flags else ())}
    if predicate.type == "REQUEST":
        preps.add("with")  # "pleading with civilians to go back": whom it asks
    if predicate.type == "CONSULT":
        preps -= _TOPIC_PREPS
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
    if not objects and not passive:
        objects = _shared_objects(verb)
    if passive:
        if not agents and predicate.type == "MOBILIZE":
            return subjects, objects  # "troops were deployed to the villages": they mobilise
        return agents, subjects + objects
    subjects = expand(subjects)
    if "mutual" in predicate.flags and not subjects:
        # "fighting between rebels and C.A.R. forces": each side fights the other
        sides = expand(_prep_objects([verb], {"between"}))
        if len(sides) > 1:
            return sides, sides
    if "mutual" in predicate.flags and not objects and len(subjects) > 1:
        return subjects, subjects
    return subjects, objects


def _shared_objects(verb: Token) -> list[Token]:
    """The object a verb shares with the verb joined to it ("has been attacking and fighting
    Kenyan troops", "accused of targeting and killing civilians"): the next verb's, when it
    has no subject of its own."""
    for conj in verb.children:
        if (
            conj.dep_ == "conj"
            and conj.pos_ == "VERB"
            and conj.i > verb.i
            and not any(child.dep_ in {"nsubj", "nsubjpass"} for child in conj.children)
        ):
            return [child for child in conj.children if child.dep_ == "dobj"]
    return []


def noun_arguments(
    found: Found,
    predicate: Predicate,
    *,
    light: bool,
    context: EventContext | None = None,
    is_light: Callable[[Token], bool] | None = None,
) -> tuple[list[Token], list[Token]]:
    noun = found.head
    sources: list[Token] = []
    qualifiers: list[Token] = []
    targets: list[Token] = []
    topics = _TOPIC_PREPS if predicate.type == "CONSULT" else frozenset()
    for child in noun.children:
        if child.dep_ == "poss" and child.ent_type_ not in _WHEN:  # "Tuesday's attack"
            (targets if "poss_target" in predicate.flags else sources).append(child)
        elif (child.dep_ == "compound" and child.pos_ == "PROPN") or (
            child.dep_ == "amod" and child.ent_type_ in {"NORP", "GPE"}
        ):
            if not _names_a_site(child, context):  # "the Bouake attack" is where, not who
                qualifiers.append(child)
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
            elif word in _TARGET_PREPS and word not in topics:
                targets += objects
            elif word == "between":  # "mediation between X and Y": both are its targets
                targets += [t for o in objects for t in (o, *o.conjuncts)]
            elif word == "to" and predicate.type in _GIVEN:
                # "U.S. aid to Ukraine", "his visit to Saudi Arabia"; "a visit to Quetta" is
                # where he went
                targets += [item for item in objects if not _names_a_site(item, context)]
    purposes = [*noun.children, *(found.anchor.children if light else ())]
    for child in purposes:
        if child.dep_ in {"acl", "advcl"} and _infinitive(child) and not targets:
            # "an operation to flush out al-Shabab terrorists": whom it is aimed at
            targets += [grand for grand in child.children if grand.dep_ == "dobj"]
    # "Russia used its Security Council veto": the possessor acts, the name only qualifies.
    sources = sources or qualifiers
    # "the train hijacking by armed militants": a "by" right after the noun is its author,
    # wherever the parse hung it.
    sources = sources or _next_by(noun)
    if is_light is not None:
        # "an offensive launched by forces in Puntland", "the attack carried out by X"
        for child in noun.children:
            if child.dep_ == "acl" and child.tag_ == "VBN" and is_light(child):
                sources = sources or _agents(child)
    carrier = _carrier(noun, is_light)
    if carrier is not None:  # "launched a series of attacks", "claimed responsibility for"
        sources = sources or subjects_of(carrier)
    # The subject of "carried out an attack", "pursue negotiations" is the noun's actor; the
    # "by" of a passive one ("the attack was orchestrated by X") is.
    if light and noun.dep_ == "nsubjpass":
        sources = sources or _agents(found.anchor)
    elif light or (
        found.anchor is not noun
        and noun.dep_ == "dobj"
        and found.anchor.lemma_.casefold() not in _BYSTANDER_VERBS
    ):
        sources = sources or subjects_of(found.anchor)
        if noun.dep_ == "pobj":
            targets = targets or [c for c in found.anchor.children if c.dep_ in _OBJECTS]
        if predicate.type not in _MOVES:  # "provided aid to X"
            targets = targets or _prep_objects([found.anchor], {"to"})
    return sources, targets


def specifics(found: Found, predicate: Predicate, context: EventContext) -> list[Token]:
    """Words that make a nominal event a particular one without being its parties: the place
    before it ("the Bouake attack"), its topic ("meetings on Ukraine"), who witnessed it
    ("residents hear gunfire")."""
    noun = found.head
    words = [
        child
        for child in noun.children
        if child.dep_ in {"compound", "amod"} and _names_a_site(child, context)
    ]
    if predicate.type == "CONSULT":
        words += _prep_objects([noun], _TOPIC_PREPS)
    anchor = found.anchor
    if anchor is not noun and anchor.lemma_.casefold() in _BYSTANDER_VERBS:
        words += subjects_of(anchor)
    return words


def _agents(verb: Token) -> list[Token]:
    """The objects of a passive verb's "by": "X" of "was carried out by X", "was orchestrated
    and directed by X"."""
    return [
        grand
        for item in (verb, *(c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"))
        for child in item.children
        if child.dep_ == "agent"
        for grand in child.children
        if grand.dep_ == "pobj"
    ]


def _next_by(noun: Token) -> list[Token]:
    after = noun.i + 1
    if after >= len(noun.doc) or noun.doc[after].lower_ != "by":
        return []
    by = noun.doc[after]
    if by.dep_ not in {"prep", "agent"} or by.head.i > noun.i or by.head.pos_ != "VERB":
        return []
    return [child for child in by.children if child.dep_ == "pobj"]


def _carrier(noun: Token, is_light: Callable[[Token], bool] | None) -> Token | None:
    """The verb that carries a nominal event through a noun of number or of responsibility:
    "launched a series of shelling", "claimed responsibility for the hotel attack"."""
    if noun.dep_ not in {"pobj", "pcomp"} or noun.head.dep_ != "prep":
        return None
    holder = noun.head.head
    if holder.dep_ != "dobj" or holder.head.pos_ not in {"VERB", "AUX"}:
        return None
    verb = holder.head
    lemma = holder.lemma_.casefold()
    if noun.head.lower_ == "for" and lemma in _RESPONSIBILITY:
        return verb
    if noun.head.lower_ == "of" and lemma in _SERIES and is_light is not None and is_light(verb):
        return verb
    return None


def _names_a_site(token: Token, context: EventContext | None) -> bool:
    """True when a name qualifying an event noun is a place that is not a state: a town, a
    region, a building ("the Bouake attack", "the Kabul bombing")."""
    if context is None:
        return False
    entity = context.entity_at.get(token.i)
    place = context.place_at.get(token.i)
    if place is not None and 0 < context.place_precision.get(place, 4) < 4:
        # The gazetteer knows it as a town or a region and the NER did not take it for a
        # person ("the Bush administration": the gazetteer has a Bush too).
        return entity is None or entity.type != "PERSON"
    if entity is None:
        return False
    return entity.type in {"LOC", "FAC"} or (entity.type == "GPE" and entity.sector != "state")


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
    # "the opposition newspaper La Prensa": the name in apposition is who the noun is, and
    # comes before its owner ("his colleague Chengeto Chidi" is Chidi).
    ordered = sorted(token.children, key=lambda child: child.dep_ not in {"appos", "compound"})
    people = token.lemma_.casefold() in people_words()
    for child in ordered:
        if (
            child.dep_ in {"compound", "amod", "nmod"}
            and not people
            and _names_a_site(child, context)
        ):
            continue  # "the Kano attack killed 20": where it was; "Kabul police" are Kabul's
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

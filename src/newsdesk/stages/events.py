"""``newsdesk_events``: who did what to whom, where and when, PLOVER-coded, with its status.

Predicates come from the project's event lexicon (``newsdesk/data/events.tsv``): verbs and verb
phrases ("attack", "hand over", "take control") and nominal events ("siege", "assassination",
"talks"), each with its PLOVER type, mode and CAMEO root. A nominal event that is the object of a
light verb ("carried out an attack", "put them under siege") is one event whose actor is the
light verb's subject.

Actors come from the dependency parse: the subject is the source and the object (or the object
of "against", "on", "at") the target; a passive's "by" phrase is its source; a noun's
possessor, "by" and "of" phrases say who did what to whom ("X's attack on Y", "the
assassination of X by Y"); coordinated participants of a mutual predicate ("X and Y clashed",
"talks between X and Y") are each other's source and target. Actor words map to the entities of
``newsdesk_entities`` (the word itself, its compound or possessor, or "of/from/in" + name:
"hundreds of Mujahideen of the Islamic Emirate"); a pronoun is the nearest fitting entity before
it, and none when a nearer common noun could be meant. Outlets are never parties.

Place: a place named after a locative preposition on the predicate ("in", "near", "towards";
"from" only for a withdrawal), the most specific one of that phrase ("the village of X in the
countryside of Y" is X); else the one inside the predicate's clause nearest the trigger that is
not an actor; else the sentence's only place. A toponym that only qualifies a noun ("the Syrian
army", "U.S. forces") is an affiliation, never the place.
Time: the nearest time expression inside the clause, else the publication date.

Status, in order of precedence: ``denied`` ("denied attacking"), ``negated`` ("did not
attack", the action someone refused or failed to do), ``conditional`` (a main clause with an
"if" clause, or the "if" clause itself), ``threatened`` ("threatened to attack"), ``planned``
("will", "going to", "want to", a purpose "to" clause), ``historical`` (its own date two or more
years before publication), ``claimed`` (under a speech verb or inside a quote; ``claimed_by`` is
the speaker), else ``occurred``. A negated "flip" predicate ("will not accept") is a REJECT, and
a conditional promise of force ("if ... we will not accept aggression") is a THREATEN.

Confidence = weight x (0.55 + 0.25 if a source entity is found + 0.1 if a target entity is found
+ 0.1 if a place is found) x 0.4^depth, where weight is the lexicon row's (how surely the phrase
reports an event of its type) and depth how far the event sits below the sentence's other events
(a level per governing event, half for a weak one or a relative, adverbial or purpose clause), so
the main event (the root predicate, or what a speech verb reports) ranks first.

Statements are events too: an actor's stated intent to do something ("will withdraw", "is ready
to talk", "said it would attack") adds an AGREE (cooperative acts), THREATEN (hostile acts, or
any act "unless" the other side yields) or REJECT ("will not meet") event above the planned one;
"X said Y must ..." is a REQUEST by X of Y.

Nothing is coded for a sentence without a predicate; a nominal event needs a participant, a
light verb or its own date, and a weak verb (weight < 0.5) a named participant.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsdesk import attributes
from newsdesk.attributes import text_of
from newsdesk.data.event_lexicon import EventLexicon, Predicate, load_event_lexicon
from newsdesk.records import (
    Entity,
    Event,
    Evidence,
    Place,
    Quantity,
    Quote,
    TimeExpression,
)

NAME = "newsdesk_events"
REQUIRES = [
    "doc.sents",
    "token.dep",
    "token.lemma",
    f"doc._.{attributes.ENTITIES}",
    f"doc._.{attributes.PLACES}",
    f"doc._.{attributes.TIMES}",
    f"doc._.{attributes.QUANTITIES}",
]
ASSIGNS = [f"doc._.{attributes.EVENTS}"]

_STATUS_ORDER = (
    "denied",
    "conditional",
    "negated",
    "threatened",
    "planned",
    "historical",
    "claimed",
    "occurred",
)
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_OBJECTS = frozenset({"dobj", "dative", "attr", "oprd"})
_TARGET_PREPS = frozenset({"against", "on", "upon", "at", "onto", "into"})
_MUTUAL_PREPS = frozenset({"with", "between", "among", "amongst"})
_ACTOR_PREPS = frozenset({"of", "from", "in"})
_RECIPIENT_PREPS = frozenset({"to", "for", "with", "against", "toward", "towards"})
# Types whose "to" without an object is a destination ("marched to the embassy").
_MOVES = frozenset({"MOBILIZE", "RETREAT", "ASSAULT", "COERCE", "PROTEST"})
_LOCATIVES = frozenset(
    {"in", "at", "near", "outside", "inside", "around", "across", "into", "towards", "toward"}
    | {"to", "within", "throughout", "along", "over", "through", "from"}
)
_CLAUSE_EDGES = frozenset({"relcl", "ccomp", "advcl", "parataxis", "acl", "csubj", "xcomp"})
_CLIMB_EDGES = frozenset({"xcomp", "ccomp", "conj", "advcl", "parataxis", "pcomp", "acomp"})
_CONDITIONAL_MARKS = frozenset({"if", "unless"})
_PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "himself", "herself"})
_THING_PRONOUNS = frozenset({"it", "its", "itself"})
_GROUP_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
_FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
_RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that", "whose"})
_GROUP_TYPES = frozenset({"ORG", "NORP", "GPE"})
_NOBODY = frozenset({"no-one", "nobody", "none", "noone"})
# Words that modify a noun: an event word there describes it ("a fighting force").
_MODIFIER_EDGES = frozenset({"compound", "amod", "acomp", "oprd", "nmod"})
# Measures are not what an event counts: its dead, fighters or displaced are.
_MEASURE_UNITS = frozenset(
    {"km", "miles", "m", "percent", "usd", "gbp", "eur", "afn", "group", "armed_groups"}
)
# A conditional promise of these actions is a threat (PLOVER THREATEN), with this mode.
_THREAT_MODES = {
    "ASSAULT": "violence",
    "MOBILIZE": "violence",
    "COERCE": "restrict",
    "SANCTION": "relations",
    "REJECT": None,
}
# A stated intent to do an act of this type (and whether it is a refusal, "will not meet") is
# itself an event (CAMEO 03 "express intent to", 13 "threaten", 12 "decline to").
_INTENT_TYPES: dict[tuple[str, bool], tuple[str, str | None, str]] = {
    **{
        (kind, False): ("AGREE", None, "03")
        for kind in ("CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT")
    },
    **{
        (kind, True): ("REJECT", None, "12")
        for kind in ("CONSULT", "SUPPORT", "COOPERATE", "AID", "CONCEDE", "RETREAT")
    },
    ("ASSAULT", False): ("THREATEN", "violence", "13"),
    ("MOBILIZE", False): ("THREATEN", "violence", "13"),
    ("COERCE", False): ("THREATEN", "restrict", "13"),
    ("SANCTION", False): ("THREATEN", "relations", "13"),
    ("PROTEST", False): ("THREATEN", "relations", "13"),
}
# "X said Y must ...": a reported obligation laid on another party (CAMEO 10, demand).
_DEMAND = Predicate(
    phrase="must",
    pos="verb",
    type="REQUEST",
    mode=None,
    cameo="10",
    weight=0.85,
    flags=frozenset(),
    line=0,
)
# Clauses that say something about a participant or the circumstances, not the news itself.
_BACKGROUND_EDGES = frozenset({"relcl", "acl", "advcl"})
# Each level an event sits below another divides its confidence, so the main event ranks first.
_DEPTH_DECAY = 0.4
# Clauses that give an event's circumstances ("killed when a bomb went off near X", "shot
# while filming in X"): where they happen is where the event did, when its own clause is silent.
_CIRCUMSTANCE_EDGES = frozenset({"advcl"})
# Prepositions that put an event inside another: "killed during clashes", "died in the attack".
_OCCASION_PREPS = frozenset({"during", "in", "amid", "amidst"})
_ASIDE_EDGES = frozenset({"relcl", "ccomp", "advcl", "parataxis", "csubj"})
_HISTORICAL_YEARS = 2
# Acts whose preparation ("troops are preparing to attack") is a show of force, not a threat.
_PREPARED_ACTS = frozenset({"ASSAULT", "COERCE"})
# Protest verbs that also report words ("protested that ..."); "boycott", "march" never do.
_SPOKEN_PROTESTS = frozenset({"protest"})
_DECISION_VERBS = frozenset({"decide"})
_AUTHORITY_SECTORS = frozenset({"state", "government", "military", "police"})
_WEAK_WEIGHT = 0.5


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    entity: Entity


@dataclass
class _Context:
    """What the whole Doc tells each event: entities, places, times and quotes by token."""

    doc: Doc
    entity_at: dict[int, Entity]
    mentions: list[_Mention]
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


@dataclass(frozen=True)
class _Found:
    """A predicate in the parse: its lexicon row and the tokens that carry it."""

    predicate: Predicate
    head: Token
    """The word the lexicon matched: the verb, or the event noun."""
    anchor: Token
    """The verb whose clause the event sits in: the verb itself, or the light verb."""
    words: tuple[Token, ...]
    speaker: Token | None = None
    """For a demand ("X said Y must ..."), the verb whose subject demands it."""


class EventCoder:
    """The ``newsdesk_events`` component. Build it with ``nlp.add_pipe("newsdesk_events")``."""

    def __init__(self, nlp: Language, name: str = NAME, *, lexicon: EventLexicon | None = None):
        self.name = name
        self.lexicon = lexicon or load_event_lexicon()
        words = self.lexicon.section
        self._light = words("light_verbs")
        self._speech = words("speech_verbs")
        self._intent = words("intent_verbs")
        self._attempt = words("attempt_verbs")
        self._refusal = words("refusal_verbs")
        self._denial = words("denial_verbs")
        self._threat = words("threat_verbs")
        self._future = words("future_markers")
        self._intent_nouns = words("intent_nouns")
        self._demand = words("demand_modals")
        self._sites = words("site_nouns")
        self._authorities = words("authority_nouns")

    def __call__(self, doc: Doc) -> Doc:
        events = self.resolve(doc)
        self.set_annotations(doc, events)
        return doc

    def resolve(self, doc: Doc) -> tuple[Event, ...]:
        """Code the Doc's events (pure: reads the Doc, writes nothing)."""
        context = _context(doc)
        events: list[Event] = []
        for sentence_index, sent in enumerate(doc.sents):
            if not sent.text.strip():
                continue
            found_all = [*self._predicates(sent, context), *self._demands(sent)]
            governors = _governors(found_all)
            coded = [
                (found, event)
                for found in found_all
                for event in self._events(
                    found, sent, sentence_index, context, _depth(found, governors)
                )
            ]
            events.extend(_share_places(coded))
        return tuple(events)

    def set_annotations(self, doc: Doc, events: tuple[Event, ...]) -> None:
        doc._.set(attributes.EVENTS, events)

    # -- finding predicates -------------------------------------------------------------------

    def _predicates(self, sent: Span, context: _Context) -> Iterator[_Found]:
        verbs: dict[int, _Found] = {}
        nouns: list[_Found] = []
        for token in sent:
            if token.i in context.entity_at or token.dep_ in _MODIFIER_EDGES:
                continue
            if token.pos_ == "VERB":
                found = self._match(token, "verb")
                if found is not None and not self._reports_a_denial(token):
                    verbs[token.i] = found
            elif token.pos_ in {"NOUN", "PROPN"} and not _is_attribution(token):
                found = self._match(token, "noun")
                if found is not None:
                    nouns.append(found)
        absorbed: set[int] = set()
        for verb in verbs.values():
            absorbed.update(word.i for word in verb.words)
        for noun in nouns:
            if noun.head.i in absorbed:
                continue
            governor = _governing_verb(noun.head)
            light = governor is not None and self._carries(governor, noun.head, verbs)
            if governor is not None and governor.i in verbs and light:
                del verbs[governor.i]  # "sent aid": the noun says what happened
            elif governor is not None and governor.i in verbs and noun.head.dep_ != "nsubjpass":
                continue  # "attacked with an airstrike": the verb is the event
            if _describes_a_noun(noun.head) and not _has_time(noun.head, context):
                continue  # "the conditions for a peace deal"
            if governor is not None and light:
                yield _Found(noun.predicate, noun.head, governor, (governor, noun.head))
            else:
                yield noun
        yield from list(verbs.values())

    def _match(self, token: Token, pos: str) -> _Found | None:
        keys = dict.fromkeys((token.lemma_.casefold(), token.lower_))
        for key in keys:
            rows = self.lexicon.predicates.get(("verb" if pos == "verb" else "noun", key), ())
            for row in rows:
                if "intransitive" in row.flags and any(c.dep_ == "dobj" for c in token.children):
                    continue
                words = _extras(token, row)
                if words is not None:
                    anchor = token if pos == "verb" else _governing_verb(token) or token
                    return _Found(row, token, anchor, (token, *words))
        return None

    def _carries(self, verb: Token, noun: Token, verbs: dict[int, _Found]) -> bool:
        """True when a light verb carries the nominal event as its object ("carried out an
        attack", "engaged in talks"), not in an adjunct ("imposed a curfew after a protest"),
        and the verb is not a phrase of its own ("called off a strike")."""
        if not self._is_light(verb) or (verb.i in verbs and verbs[verb.i].predicate.extras):
            return False
        if noun.dep_ in {"dobj", "nsubjpass"}:
            return True
        lemma, preposition = verb.lemma_.casefold(), noun.head.lower_
        return any(
            phrase.startswith(f"{lemma} ") and phrase.endswith(f" {preposition}")
            for phrase in self._light
        )

    def _reports_a_denial(self, verb: Token) -> bool:
        """ "denied attacking X": the denial says what did not happen; it is no REJECT."""
        return verb.lemma_.casefold() in self._denial and any(
            child.dep_ in {"ccomp", "xcomp", "pcomp"} for child in verb.children
        )

    def _is_light(self, verb: Token) -> bool:
        lemma = verb.lemma_.casefold()
        particles = [child.lower_ for child in verb.children if child.dep_ in {"prt", "prep"}]
        return lemma in self._light or any(f"{lemma} {p}" in self._light for p in particles)

    def _demands(self, sent: Span) -> Iterator[_Found]:
        """ "X said Y must ...": a reported obligation laid on another party is a REQUEST."""
        for token in sent:
            modal = next(
                (c for c in token.children if c.dep_ == "aux" and c.lower_ in self._demand), None
            )
            if modal is None or token.dep_ not in {"ccomp", "acl"}:
                continue
            speaker = token.head
            if token.dep_ == "acl":  # "issued a reminder that Y must ...": the noun's verb
                if not any(c.dep_ == "mark" and c.lower_ == "that" for c in token.children):
                    continue
                speaker = _governing_verb(speaker) or speaker
            if speaker.pos_ not in {"VERB", "AUX"} or not _subjects(speaker):
                continue
            yield _Found(_DEMAND, token, token, (modal, token), speaker)

    # -- one event ------------------------------------------------------------------------------

    def _events(
        self, found: _Found, sent: Span, sentence_index: int, context: _Context, depth: float
    ) -> list[Event]:
        """The predicate's event and, when its actor states an intent to do it ("will
        withdraw", "is ready to talk", "would not meet"), the statement of intent: AGREE for a
        cooperative act, THREATEN for a hostile one, REJECT for a cooperative act refused."""
        event = self._event(found, sent, sentence_index, context, depth)
        if event is None:
            return []
        cue = self._intent_cue(found)
        derived = _INTENT_TYPES.get((event.type, event.status == "negated")) if cue else None
        if cue is None or derived is None or event.status == "denied":
            return [event]
        kind, mode, cameo = derived
        if kind == "THREATEN" and event.type in _PREPARED_ACTS and _prepares(cue):
            kind, mode, cameo = "MOBILIZE", "troops", "15"  # "the army prepared to attack"
        elif _unless(found.anchor):
            kind, mode, cameo = "THREATEN", _THREAT_MODES.get(event.type), "13"
        doc = context.doc
        start = min(cue.idx, event.trigger.start)
        end = max(cue.idx + len(cue.text), event.trigger.end)
        status = "conditional" if "conditional" in self._status(found, context)[0] else None
        intent = event.model_copy(
            update={
                "type": kind,
                "mode": mode,
                "cameo": cameo,
                "status": status or ("claimed" if event.claimed_by else "occurred"),
                "trigger": _evidence(doc, start, end, context),
            }
        )
        lowered = event.model_copy(update={"confidence": round(event.confidence * 0.8, 2)})
        return [intent, lowered]

    def _intent_cue(self, found: _Found) -> Token | None:
        """The word by which the event's own actor says it will, or wants to, do it: a future
        auxiliary or an intent verb above it ("will", "ready to", "wants to"); None when the
        intent is someone else's ("urged X to") or the cue is itself a predicate ("agreed to")."""
        token = found.anchor
        if token.pos_ not in {"VERB", "AUX"} or found.speaker is not None:
            return None
        while True:
            for child in token.children:
                if child.dep_ == "aux" and child.lower_.replace("’", "'") in self._future:
                    return child
            lemma = token.lemma_.casefold()
            if token.i != found.anchor.i and (
                lemma in self._intent or token.lower_ in self._intent
            ):
                # "is expected to be joined by": someone else's act; "decided to allow": the
                # decision is the act itself, already taken.
                if _is_passive(found.anchor) or lemma in _DECISION_VERBS:
                    return None
                return None if self._match(token, "verb") is not None else token
            if lemma == "go" and token.tag_ == "VBG":
                return token
            if token.dep_ not in {"xcomp", "acomp", "conj"} or token.head.i == token.i:
                return None
            token = token.head

    def _event(
        self, found: _Found, sent: Span, sentence_index: int, context: _Context, depth: float
    ) -> Event | None:
        predicate = found.predicate
        light = found.anchor is not found.head and self._is_light(found.anchor)
        if found.speaker is not None:
            source_tokens, target_tokens = _subjects(found.speaker), _subjects(found.head)
        elif found.head.pos_ in {"VERB", "AUX"}:
            source_tokens, target_tokens = _verb_arguments(found, predicate)
        else:
            source_tokens, target_tokens = _noun_arguments(found, predicate, light=light)
            if not (source_tokens or target_tokens or light or _has_time(found.head, context)):
                return None
        statuses, claimant = self._status(found, context)
        if found.speaker is not None:
            statuses.discard("planned")  # the demand was made; what it asks for is to come
        source = _entity_ids(source_tokens, context, claimant)
        target = tuple(
            item
            for item in _entity_ids(target_tokens, context, claimant, recipients=True)
            if item not in source
        ) or (source if predicate.flags >= {"mutual"} and len(source) > 1 else ())
        if predicate.weight < _WEAK_WEIGHT and not (source or target):
            return None
        if found.speaker is not None and (
            any(token.lower_ in {"we", "i"} for token in target_tokens)
            or (source and not target and _entity_ids(target_tokens, context, claimant))
        ):
            return None  # "we must do more" exhorts, it does not demand
        clause = _clause_tokens(found)
        # The parties' own words, not a place their phrase names ("a mine in the province of
        # X" is the mine's, and X is where it went off).
        actors = {
            word.i
            for token in _expand([*source_tokens, *target_tokens])
            for word in (token, *token.children)
            if (word is token or word.dep_ in _MODIFIER_EDGES | {"poss"})
            and (entity := context.entity_at.get(word.i)) is not None
            and entity.id in source + target
        }
        place = _place(found, clause, actors, target_tokens, sent, context, sites=self._sites)
        own_time = _nearest_time(found.head, clause, context)
        kind, mode, cameo = predicate.type, predicate.mode, predicate.cameo
        if "authority" in predicate.flags and self._has_authority(source_tokens, source, context):
            kind, mode, cameo = "COERCE", "restrict", "17"  # an order that must be obeyed
        elif kind == "PROTEST" and _states_a_protest(found.head):
            kind, mode, cameo = "ACCUSE", "disapprove", "11"  # "protested that ...": words
        if "negated" in statuses and "flip" in predicate.flags:
            statuses.discard("negated")
            kind, mode, cameo = "REJECT", None, "12"
        if "conditional" in statuses and kind in _THREAT_MODES and not _in_if_clause(found.anchor):
            kind, mode, cameo = "THREATEN", _THREAT_MODES[kind], "13"
        if own_time is not None and _is_historical(own_time, context.published):
            statuses.add("historical")
        status = next(s for s in _STATUS_ORDER if s in statuses or s == "occurred")
        date_value, precision = _date(own_time, context.published)
        confidence = (
            predicate.weight
            * (0.55 + 0.25 * bool(source) + 0.1 * bool(target) + 0.1 * (place is not None))
            * _DEPTH_DECAY**depth
        )
        doc = context.doc
        words = sorted(found.words, key=lambda token: token.i)
        return Event(
            type=kind,
            mode=mode,
            cameo=cameo,
            source=source,
            target=target,
            place=place,
            date=date_value,
            date_precision=precision,
            status=status,
            claimed_by=claimant,
            quantities=_quantities(clause, context),
            trigger=_evidence(doc, words[0].idx, words[-1].idx + len(words[-1].text), context),
            evidence=_evidence(doc, *_sentence_bounds(doc, sent, words[0].idx), context),
            confidence=round(confidence, 2),
        )

    def _has_authority(
        self, tokens: Sequence[Token], source: tuple[str, ...], context: _Context
    ) -> bool:
        """True when the source is a state, government, military or police actor, or a body
        of that kind named by a common noun ("the army", "authorities")."""
        if any(
            (entity := context.entities.get(item)) is not None
            and entity.sector in _AUTHORITY_SECTORS
            for item in source
        ):
            return True
        return any(token.lemma_.casefold() in self._authorities for token in _expand(tokens))

    # -- status ---------------------------------------------------------------------------------

    def _status(self, found: _Found, context: _Context) -> tuple[set[str], str | None]:
        """The event's statuses (every one that applies) and who claims it, if anyone."""
        statuses: set[str] = set()
        claimant: str | None = None
        if found.head.pos_ != "VERB" and any(
            child.lower_ in {"no", "never"} for child in found.head.children
        ):
            statuses.add("negated")
        token = found.anchor
        if token.pos_ != "VERB" and token is found.head:
            token = token.head if token.head is not token else token
        if token is not found.head and token.lemma_.casefold() in self._speech:
            claimant = _first(_entity_ids(_subjects(token), context, None))
            statuses.add("claimed")
        statuses |= self._own_status(token)
        if _in_if_clause(token):
            statuses.add("conditional")
        while token.dep_ in _CLIMB_EDGES and token.head is not token:
            edge, head = token.dep_, token.head
            lemma = head.lemma_.casefold()
            if edge == "conj":
                token = head
                continue
            if edge in {"xcomp", "acomp", "pcomp"} or (edge == "advcl" and _has_to(token)):
                statuses |= self._complement_status(head, lemma, edge, token)
                if lemma in self._denial:
                    claimant = claimant or _first(_entity_ids(_subjects(head), context, None))
            elif edge in {"ccomp", "parataxis", "advcl"}:
                if lemma in self._speech and claimant is None and "claimed" not in statuses:
                    statuses.add("claimed")
                    claimant = _first(_entity_ids(_subjects(head), context, None))
                elif lemma in self._denial:
                    statuses.add("denied")
                    claimant = claimant or _first(_entity_ids(_subjects(head), context, None))
                elif lemma in self._threat:
                    statuses.add("threatened")
                elif lemma in self._intent:
                    statuses.add("planned")
            if lemma == "be" and any(
                child.dep_ == "nsubj" and child.lemma_.casefold() in self._intent_nouns
                for child in head.children
            ):
                statuses.add("planned")  # "the aim is to defend ..."
            if edge != "advcl" and any(_is_condition(child) for child in head.children):
                statuses.add("conditional")
            if _in_if_clause(head):
                statuses.add("conditional")
            token = head
        if "claimed" not in statuses:
            speaker = self._parenthetical_speaker(token)
            if speaker is not None:
                statuses.add("claimed")
                claimant = _first(_entity_ids(_subjects(speaker), context, None))
        quoted = _quote_speaker(found.head, context)
        if quoted is not None:
            statuses.add("claimed")
            claimant = quoted
        return statuses, claimant

    def _own_status(self, verb: Token) -> set[str]:
        statuses: set[str] = set()
        for child in verb.children:
            word = child.lower_.replace("’", "'")
            negation = child.dep_ == "neg" or (child.dep_ == "advmod" and word == "never")
            if negation or (child.dep_ == "nsubj" and word in _NOBODY):
                statuses.add("negated")
            elif child.dep_ == "aux" and word in self._future | self._demand:
                statuses.add("planned")  # "will attack", "must withdraw": not done yet
            elif _is_condition(child):
                statuses.add("conditional")
        return statuses

    def _complement_status(self, head: Token, lemma: str, edge: str, token: Token) -> set[str]:
        """What the verb (or adjective) a "to" complement hangs on says of the complement."""
        if lemma in self._denial:
            return {"denied"}
        if lemma in self._refusal:
            return {"negated"}
        own = self._own_status(head)
        if lemma == "go" and head.tag_ == "VBG":
            return own | {"planned"}  # "going to"
        if lemma in self._threat:
            return own | {"threatened"}
        if lemma in self._attempt:
            return own
        if lemma in self._intent or edge == "advcl":
            return own | {"planned"}
        return own - {"planned"} if edge == "pcomp" else own

    def _parenthetical_speaker(self, top: Token) -> Token | None:
        """ "But, he added, ..." or "..., the Taliban wrote": a speech verb beside the clause."""
        for child in top.children:
            if (
                child.dep_ in {"parataxis", "ccomp", "advcl"}
                and child.lemma_.casefold() in self._speech
                and not any(grand.dep_ in {"ccomp", "xcomp"} for grand in child.children)
            ):
                return child
        return None


# -- the parse --------------------------------------------------------------------------------


def _governors(found: Sequence[_Found]) -> dict[int, float]:
    """Each predicate word of a sentence -> how much an event below it is subordinate: one
    level under an event, half a level under a weak one ("return", "call")."""
    weights: dict[int, float] = {}
    for item in found:
        step = 1.0 if item.predicate.weight >= _WEAK_WEIGHT else 0.5
        for word in item.words:
            weights[word.i] = max(weights.get(word.i, 0.0), step)
    return weights


def _depth(found: _Found, governors: dict[int, float]) -> float:
    """How deep the event sits under the sentence's other events: 0 for the main event, the
    root predicate or the content of a report ("X said Y attacked"), more for a complement
    ("agreed to resign"), a purpose ("marched to demand") or a background clause. Coordinated
    predicates are equals."""
    own = {word.i for word in found.words}
    depth = 0.0
    token = found.head
    while token.head.i != token.i:
        edge = token.dep_
        token = token.head
        if token.i in own or edge == "conj":
            continue
        depth += governors.get(token.i, 0.0) + (0.5 if edge in _BACKGROUND_EDGES else 0.0)
    return depth


def _extras(token: Token, row: Predicate) -> tuple[Token, ...] | None:
    """The tokens of a row's other words beside ``token``, or None when one is missing."""
    if not row.extras:
        return ()
    if row.pos == "verb":
        near = [
            grand
            for child in token.children
            if child.dep_ not in _CLAUSE_EDGES
            for grand in (child, *child.children, *_of_objects(child))
        ]
    else:
        near = [child for child in token.children if child.dep_ in {"compound", "amod", "nmod"}]
    found: list[Token] = []
    for word in row.extras:
        match = next(
            (
                candidate
                for candidate in near
                if word in {candidate.lemma_.casefold(), candidate.lower_}
                and candidate not in found
            ),
            None,
        )
        if match is None:
            return None
        found.append(match)
    return tuple(found)


def _of_objects(noun: Token) -> list[Token]:
    """What a measure or quantity counts: "medicine" in "700 kg of medicine"."""
    return [
        grand
        for child in noun.children
        if child.dep_ == "prep" and child.lower_ == "of"
        for grand in child.children
        if grand.dep_ == "pobj"
    ]


def _governing_verb(noun: Token) -> Token | None:
    """The verb a noun is the object of, directly or through one preposition."""
    if noun.dep_ in {"dobj", "nsubjpass"} and noun.head.pos_ == "VERB":
        return noun.head
    if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "VERB":
        return noun.head.head
    return None


def _subjects(verb: Token) -> list[Token]:
    found = [child for child in verb.children if child.dep_ in {"nsubj", "nsubjpass", "csubj"}]
    if found:
        if verb.dep_ == "relcl" and found[0].lower_ in _RELATIVE_PRONOUNS:
            return [verb.head]  # "X, who was assassinated by Y"
        return found
    if verb.dep_ in {"xcomp", "conj", "advcl"} and verb.head is not verb:
        return _subjects(verb.head)
    if verb.dep_ in {"acl", "relcl"}:
        return [verb.head]
    return []


def _is_passive(verb: Token) -> bool:
    if any(child.dep_ in {"nsubjpass", "auxpass"} for child in verb.children):
        return True
    return verb.dep_ == "acl" and verb.tag_ == "VBN"


def _verb_arguments(found: _Found, predicate: Predicate) -> tuple[list[Token], list[Token]]:
    verb = found.head
    passive = _is_passive(verb)
    subjects = _subjects(verb)
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
        objects += [
            grand
            for child in verb.children
            if child.dep_ == "prep" and child.lower_ == "to"
            for grand in child.children
            if grand.dep_ == "pobj"
        ]
    if passive:
        return agents, subjects + objects
    subjects = _expand(subjects)
    if "mutual" in predicate.flags and not objects and len(subjects) > 1:
        return subjects, subjects
    return subjects, objects


def _noun_arguments(
    found: _Found, predicate: Predicate, *, light: bool
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
        sources = sources or _subjects(found.anchor)
        if noun.dep_ == "pobj":
            targets = targets or [c for c in found.anchor.children if c.dep_ in _OBJECTS]
    return sources, targets


def _expand(tokens: Iterable[Token]) -> list[Token]:
    """Each token and its coordinated partners ("X and Y")."""
    found: list[Token] = []
    for token in tokens:
        for item in (token, *token.conjuncts):
            if item not in found:
                found.append(item)
    return found


def _clause_tokens(found: _Found) -> frozenset[int]:
    """The tokens of the event's own clause: below its words, not inside another clause."""
    return _clause_of(found.words)


def _clause_of(words: Iterable[Token]) -> frozenset[int]:
    """The tokens below ``words``, not inside another clause."""
    tokens: set[int] = set()
    stack = list(words)
    while stack:
        token = stack.pop()
        if token.i in tokens:
            continue
        tokens.add(token.i)
        for child in token.children:
            if child.dep_ in _CLAUSE_EDGES or (child.dep_ == "conj" and child.pos_ == "VERB"):
                continue
            stack.append(child)
    return frozenset(tokens)


def _prepares(cue: Token) -> bool:
    """True for preparing as a deed ("prepared to attack", "is preparing to"), not a stated
    readiness ("is prepared to")."""
    return (
        cue.lemma_.casefold() == "prepare"
        and cue.pos_ == "VERB"
        and not any(child.dep_ == "auxpass" for child in cue.children)
    )


def _states_a_protest(verb: Token) -> bool:
    """True for a protest made in words ("protested that ...", "..., the group protested"):
    a statement of disapproval, not a demonstration."""
    if verb.pos_ != "VERB" or verb.lemma_.casefold() not in _SPOKEN_PROTESTS:
        return False
    if any(child.dep_ == "ccomp" for child in verb.children):
        return True
    head = verb.head
    if verb.dep_ in {"ccomp", "parataxis"} and head.i < verb.i:
        return True
    # "X are failing ..., a rights group protested": parsed as a clause on an adverbial noun.
    return verb.dep_ == "acl" and head.dep_ == "npadvmod" and head.head.i < head.i


def _is_attribution(noun: Token) -> bool:
    """ "according to a press release": where a report comes from, not an event."""
    head = noun.head
    return noun.dep_ == "pobj" and head.lower_ == "to" and head.head.lower_ == "according"


def _describes_a_noun(noun: Token) -> bool:
    """True for an event noun inside another noun's phrase ("conditions for a deal")."""
    return noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ == "NOUN"


def _has_time(noun: Token, context: _Context) -> bool:
    subtree = frozenset(token.i for token in noun.subtree)
    return any(tokens & subtree for _, tokens in context.times)


def _has_to(token: Token) -> bool:
    return any(child.dep_ == "aux" and child.lower_ == "to" for child in token.children)


def _is_condition(token: Token) -> bool:
    return token.dep_ == "advcl" and any(
        child.dep_ == "mark" and child.lower_ in _CONDITIONAL_MARKS for child in token.children
    )


def _unless(verb: Token) -> bool:
    """ "X will withdraw unless Y ...": an intent on a condition the other side must meet."""
    return any(
        child.dep_ == "advcl"
        and any(grand.dep_ == "mark" and grand.lower_ == "unless" for grand in child.children)
        for child in verb.children
    )


def _in_if_clause(token: Token) -> bool:
    return any(
        child.dep_ == "mark" and child.lower_ in _CONDITIONAL_MARKS for child in token.children
    )


# -- actors -----------------------------------------------------------------------------------


def _entity_ids(
    tokens: Sequence[Token], context: _Context, claimant: str | None, *, recipients: bool = False
) -> tuple[str, ...]:
    """The entities the tokens name; with ``recipients``, a thing that names none stands for
    whom it goes to or is aimed at ("halted aid to X", "cancelled a visit to X")."""
    found: list[str] = []
    for token in _expand(tokens):
        entity = _actor(token, context, claimant, depth=0)
        if entity is None and recipients and token.pos_ == "NOUN":
            entity = next(
                (
                    actor
                    for child in token.children
                    if child.dep_ == "prep" and child.lower_ in _RECIPIENT_PREPS
                    for grand in child.children
                    if grand.dep_ == "pobj"
                    and (actor := _actor(grand, context, claimant, depth=1)) is not None
                ),
                None,
            )
        if entity is not None and entity.id not in found:
            found.append(entity.id)
    return tuple(found)


def _actor(token: Token, context: _Context, claimant: str | None, depth: int) -> Entity | None:
    entity = context.entity_at.get(token.i)
    if entity is not None:
        return None if entity.outlet else entity
    word = token.lower_
    if token.pos_ == "PRON" or word in _PERSON_PRONOUNS | _GROUP_PRONOUNS | _THING_PRONOUNS:
        return _pronoun(token, context, claimant)
    if depth > 1:
        return None
    for child in token.children:
        # "the opposition newspaper La Prensa": the name in apposition is who the noun is.
        if child.dep_ in {"compound", "poss", "amod", "nmod", "appos"}:
            entity = _actor(child, context, claimant, depth + 1)
            if entity is not None:
                return entity
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in _ACTOR_PREPS:
            for grand in child.children:
                if grand.dep_ == "pobj":
                    entity = _actor(grand, context, claimant, depth + 1)
                    if entity is not None:
                        return entity
    return None


def _pronoun(token: Token, context: _Context, claimant: str | None) -> Entity | None:
    """The entity a pronoun stands for: the nearest fitting one before it, if nothing nearer
    could be meant; "we" in a claim is the claimant's organisation."""
    word = token.lower_
    if word in _FIRST_PLURAL:
        speaker = context.entities.get(claimant) if claimant else None
        if speaker is None:
            return None
        for role in speaker.roles:
            if role.of and role.of in context.entities:
                return context.entities[role.of]
        return speaker if speaker.type != "PERSON" else None
    if word in _PERSON_PRONOUNS:
        types: frozenset[str] = frozenset({"PERSON"})
    elif word in _THING_PRONOUNS:
        types = frozenset({"ORG", "GPE", "LOC"})
    elif word in _GROUP_PRONOUNS:
        types = _GROUP_TYPES
    else:
        return None
    sentence = bisect_right(context.sentence_starts, token.idx) - 1
    window = context.sentence_starts[max(sentence - 2, 0)]
    for mention in reversed(context.mentions):
        if mention.end > token.idx or mention.start < window:
            continue
        if mention.entity.type not in types or mention.entity.outlet:
            continue
        if word in _GROUP_PRONOUNS | _THING_PRONOUNS and _nearer_noun(token, mention, word):
            return None
        return mention.entity
    return None


def _nearer_noun(pronoun: Token, mention: _Mention, word: str) -> bool:
    """True when a common noun of the pronoun's number stands between it and the mention."""
    plural = word in _GROUP_PRONOUNS
    for token in pronoun.doc.char_span(mention.end, pronoun.idx, alignment_mode="contract") or ():
        if (
            token.pos_ == "NOUN"
            and token.dep_ in {"nsubj", "dobj", "pobj", "conj"}
            and (token.tag_ == "NNS") == plural
        ):
            return True
    return False


def _quote_speaker(token: Token, context: _Context) -> str | None:
    for quote in context.quotes:
        if quote.speaker and quote.content.start <= token.idx < quote.content.end:
            return quote.speaker
    return None


# -- place, time, quantities ------------------------------------------------------------------


def _place(
    found: _Found,
    clause: frozenset[int],
    actors: set[int],
    targets: Sequence[Token],
    sent: Span,
    context: _Context,
    *,
    sites: frozenset[str],
) -> int | None:
    doc = context.doc
    # "from X" is where the actors came from, except for a withdrawal ("pulled out of X").
    retreat = found.predicate.type == "RETREAT"
    preps = _LOCATIVES if retreat else _LOCATIVES - {"from"}
    asides = _asides(found, sent, relative=False)
    located = {
        i
        for i in context.place_at
        if sent.start <= i < sent.end
        and i not in context.anchors
        and i not in asides
        and not _is_affiliation(doc[i], context, sites)
        and (retreat or _place_head(doc[i], context).head.lower_ != "from")
    }
    # A place struck, taken or entered is where it happened, and names it more finely than a
    # phrase beside it ("captured X in Y province", "in Y, shelled the villages of X").
    forceful = found.predicate.type in {"ASSAULT", "COERCE", "MOBILIZE"}
    for target in targets if forceful else ():
        if "nsubj" in {target.dep_, target.head.dep_}:
            continue  # "X and Y clashed": the parties, each the other's target
        phrase = {word.i for word in _expand([target])}  # "the villages of X and Y"
        named = [
            token
            for word in _expand([target])
            for token in word.subtree
            if token.i in located and _phrase_head(token, context, sites).i in phrase
        ]
        if named:
            return _most_specific(named, target, context)
    for word in (found.head, found.anchor):
        for child in word.children:
            if child.dep_ != "prep" or child.lower_ not in preps:
                continue
            named = [t for t in child.subtree if t.i in located and t.i in clause]
            if named:
                return _most_specific(named, child, context)
    if forceful:
        for target in targets:
            named = [t for t in target.subtree if t.i in located]
            if named:
                return _most_specific(named, target, context)
    for tokens in (clause, _circumstances(found), _partners(found)):
        inside = [i for i in tokens if i in located and i not in actors]
        if inside:
            nearest = min(inside, key=lambda i: (abs(i - found.head.i), i))
            return context.place_at[nearest]
    asides = _asides(found, sent, relative=True)
    others = [i for i in located if i not in actors and i not in asides]
    in_sentence = {context.place_at[i] for i in others}
    if len(in_sentence) == 1:
        return in_sentence.pop()
    # A sentence that names one location, however finely ("the town of X in the countryside of
    # Y"), says where its events are: the most specific place of that phrase.
    heads = [_phrase_head(doc[i], context, sites) for i in others]
    tops = [head for head in heads if _holds(head, others)]
    return _most_specific([doc[i] for i in others], tops[0], context) if tops else None


def _asides(found: _Found, sent: Span, *, relative: bool) -> frozenset[int]:
    """Words of the sentence that say nothing of where the event was: the source of the report
    ("according to a statement from X"), names that act in a clause of their own ("as X weighed
    plans") and, when ``relative``, relative clauses about a noun ("troops, which have bases in
    X"), which may still say where the event's own parties were."""
    own = {found.head.i, found.anchor.i}
    tokens: set[int] = set()
    for token in sent:
        if (
            (relative and token.dep_ == "relcl")
            or (token.lower_ == "according" and token.dep_ == "prep")
            or (token.dep_ == "nsubj" and token.head.i not in own)
        ):
            inside = {word.i for word in token.subtree}
            if not inside & own:
                tokens |= inside
    return frozenset(tokens)


def _share_places(coded: Sequence[tuple[_Found, Event]]) -> list[Event]:
    """Give an event with no place of its own the place of the event it happened during or in
    ("killed during the shelling of X", "died in clashes near Y")."""
    placed = {found.head.i: event.place for found, event in coded if event.place is not None}
    events = []
    for found, event in coded:
        if event.place is None:
            occasions = (
                token
                for word in (found.head, found.anchor)
                for child in word.children
                if child.dep_ == "prep" and child.lower_ in _OCCASION_PREPS
                for token in _phrase(child)
            )
            occasion = next((i for i in occasions if i in placed), None)
            if occasion is not None:
                event = event.model_copy(update={"place": placed[occasion]})
        events.append(event)
    return events


def _phrase(top: Token) -> list[int]:
    """The tokens of the phrase under ``top``, without the relative clauses and reported words
    inside it; "the shelling of X" and "attempts to break the siege" stay in."""
    tokens, stack = [], [top]
    while stack:
        token = stack.pop()
        tokens.append(token.i)
        stack.extend(child for child in token.children if child.dep_ not in _ASIDE_EDGES)
    return sorted(tokens)


def _place_head(token: Token, context: _Context) -> Token:
    """The head word of the place mention that ``token`` is part of."""
    index = context.place_at[token.i]
    while token.head.i != token.i and context.place_at.get(token.head.i) == index:
        token = token.head
    return token


def _is_affiliation(token: Token, context: _Context, sites: frozenset[str]) -> bool:
    """True for a place that only qualifies a noun: "the Syrian army", "U.S. forces",
    "Caracas' daily newspaper"; not "the Karte Seh district", "his Kabul home" or "Jerusalem's
    Old City"."""
    token = _place_head(token, context)
    head = token.head
    return (
        token.dep_ in {"compound", "poss", "amod", "nmod"}
        and head.i not in context.place_at
        and head.lemma_.casefold() not in sites
        and head.lower_ not in sites
    )


def _phrase_head(token: Token, context: _Context, sites: frozenset[str]) -> Token:
    """The noun phrase a place names: "X" itself, "X town", "the village of X"."""
    token = _place_head(token, context)
    if token.dep_ in {"compound", "nmod"} and token.head.lemma_.casefold() in sites:
        return token.head
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.casefold() in sites:
        return head.head
    return token


def _holds(top: Token, tokens: Sequence[int]) -> bool:
    """True when every token lies inside the phrase of ``top``."""
    inside = {token.i for token in top.subtree}
    return all(i in inside for i in tokens)


def _partners(found: _Found) -> frozenset[int]:
    """The clauses of verbs coordinated with the event's that share its subject ("shot and
    killed a man in X"): one deed told in two verbs, in one place."""
    verb = found.anchor
    if verb.pos_ != "VERB":
        return frozenset()
    partners = [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    if verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        partners.append(verb.head)
    if any(child.dep_ in _SUBJECTS for child in verb.children) and verb.dep_ == "conj":
        return frozenset()  # "X shot Y and Z killed W": two deeds
    tokens: set[int] = set()
    for partner in partners:
        if partner is not verb.head and any(c.dep_ in _SUBJECTS for c in partner.children):
            continue
        tokens |= _clause_of((partner,))
    return frozenset(tokens)


def _circumstances(found: _Found) -> frozenset[int]:
    """The tokens of the clauses that give the event's circumstances ("when ...", "while
    ..."), without the clauses inside them that describe a noun."""
    tokens: set[int] = set()
    stack = [
        child
        for word in {found.head, found.anchor}
        for child in word.children
        if child.dep_ in _CIRCUMSTANCE_EDGES
    ]
    while stack:
        token = stack.pop()
        if token.i in tokens:
            continue
        tokens.add(token.i)
        stack.extend(child for child in token.children if child.dep_ not in {"relcl", "acl"})
    return frozenset(tokens)


def _most_specific(tokens: list[Token], top: Token, context: _Context) -> int:
    """The most specific place of a phrase: the one nearest its head, reading "the X of P"
    as P itself and "P's X" or "a P X of Q" as the container of X ("the village of Dara in
    the countryside of Herat" is Dara; "Jerusalem's Old City" is the Old City)."""

    def level(token: Token) -> float:
        steps = 0.0
        while token.i != top.i and token.head.i != token.i:
            if (
                token.dep_ == "pobj"
                and token.head.lower_ == "of"
                and token.head.head.pos_ == "NOUN"
            ):
                token = token.head.head  # "the town of X": X names the town
                continue
            if token.dep_ in {"compound", "poss"} and any(
                child.dep_ == "prep" and child.lower_ == "of" for child in token.head.children
            ):
                steps += 0.5  # "the south Baghdad neighbourhood of Al-Bayaa"
            steps += 1
            token = token.head
        return steps

    best = min(
        tokens,
        key=lambda token: (
            level(token),
            context.place_precision.get(context.place_at[token.i], 5),
            token.i,
        ),
    )
    return context.place_at[best.i]


def _nearest_time(head: Token, clause: frozenset[int], context: _Context) -> TimeExpression | None:
    inside = [(time, tokens) for time, tokens in context.times if tokens & clause]
    if not inside:
        return None
    return min(inside, key=lambda item: min(abs(i - head.i) for i in item[1]))[0]


def _is_historical(time: TimeExpression, published: date | None) -> bool:
    if time.value is None or published is None:
        return False
    try:
        end_year = int(time.value.split("/")[-1][:4])
    except ValueError:
        return False
    return end_year <= published.year - _HISTORICAL_YEARS


def _date(time: TimeExpression | None, published: date | None) -> tuple[str | None, str | None]:
    if time is not None and time.value is not None:
        return time.value, time.precision
    if published is not None:
        return published.isoformat(), "day"
    return None, None


def _quantities(clause: frozenset[int], context: _Context) -> tuple[Quantity, ...]:
    return tuple(
        quantity
        for quantity, tokens in context.quantities
        if tokens & clause and quantity.unit not in _MEASURE_UNITS
    )


# -- the Doc's context ------------------------------------------------------------------------


def _context(doc: Doc) -> _Context:
    entities: tuple[Entity, ...] = doc._.get(attributes.ENTITIES)
    places: tuple[Place, ...] = doc._.get(attributes.PLACES)
    times: tuple[TimeExpression, ...] = doc._.get(attributes.TIMES)
    quantities: tuple[Quantity, ...] = doc._.get(attributes.QUANTITIES)
    stated: str | None = doc._.get(attributes.PUBLISHED)
    entity_at: dict[int, Entity] = {}
    mentions: list[_Mention] = []
    for entity in entities:
        for mention in entity.mentions:
            mentions.append(_Mention(mention.start, mention.end, entity))
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
            for token in _token_indices(doc, mention):
                place_at.setdefault(token, index)
    return _Context(
        doc=doc,
        entity_at=entity_at,
        mentions=sorted(mentions, key=lambda mention: mention.start),
        place_at=place_at,
        times=[(time, frozenset(_token_indices(doc, time.evidence))) for time in times],
        quantities=[
            (quantity, frozenset(_token_indices(doc, quantity.evidence))) for quantity in quantities
        ],
        quotes=doc._.get(attributes.QUOTES) if doc.has_extension(attributes.QUOTES) else (),
        published=_published(stated),
        sentence_starts=[sent.start_char for sent in doc.sents],
        entities={entity.id: entity for entity in entities},
        place_precision={
            index: place.precision for index, place in enumerate(places) if place.precision
        },
        anchors=frozenset(anchors),
    )


def _published(stated: str | None) -> date | None:
    if not stated:
        return None
    try:
        return date.fromisoformat(stated[:10])
    except ValueError:
        return None


def _token_indices(doc: Doc, evidence: Evidence) -> list[int]:
    span = doc.char_span(evidence.start, evidence.end, alignment_mode="expand")
    return [] if span is None else [token.i for token in span]


def _sentence_bounds(doc: Doc, sent: Span, at: int) -> tuple[int, int]:
    """The sentence around ``at``, kept inside the body block that holds it: a parsed sentence
    can run into a caption or title that the pipeline blanked out, and evidence must quote the
    article's own words."""
    start, end = sent.start_char, sent.end_char
    for block in doc._.get(attributes.BLOCKS):
        if block.kind == "body" and block.start <= at < block.end:
            start, end = max(start, block.start), min(end, block.end)
            break
    text = text_of(doc)[start:end]
    start += len(text) - len(text.lstrip())
    return start, start + len(text.strip())


def _evidence(doc: Doc, start: int, end: int, context: _Context) -> Evidence:
    return Evidence(
        start=start,
        end=end,
        text=text_of(doc)[start:end],
        sentence=bisect_right(context.sentence_starts, start) - 1,
    )


def _first(items: tuple[str, ...]) -> str | None:
    return items[0] if items else None


def make_event_coder(nlp: Language, name: str) -> EventCoder:
    """spaCy factory for ``newsdesk_events``."""
    return EventCoder(nlp, name)

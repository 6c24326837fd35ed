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
``newsdesk_entities`` (the word itself, its compound, possessor or apposition, or "of/from/in" +
name: "hundreds of Mujahideen of the Islamic Emirate"), generic agents included ("gunmen",
"villagers"); a target that names no one stands for whom it goes to ("halted aid to X"), and an
act's "to" is its target unless the act is a move ("marched to X"). A pronoun is the nearest
fitting entity before it, and none when a nearer common noun could be meant. Outlets are never
parties.

Place: a place named after a locative preposition on the predicate ("in", "near", "towards";
"from" only for a withdrawal), the most specific one of that phrase ("the village of X in the
countryside of Y" is X); else the one inside the predicate's clause nearest the trigger that is
not an actor; else the sentence's only place. A toponym that only qualifies a noun ("the Syrian
army", "U.S. forces") is an affiliation, never the place; nor is one in the source of the report
("according to officials in X"), one acting in a clause of its own ("as X weighed plans") or,
for the last resort, one in a relative clause about a noun. An event with no place of its own
told during another ("killed during the shelling of X") has that event's place.
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

A headline is read too, in its own grammar: a bare "to" + verb ("Pope to visit Iraq") is
planned, and its present tense ("Gunmen kill 12") tells what happened. An event read in the
title that restates a body event is merged into it (see :mod:`newsdesk.stages.event_headlines`).

Nothing is coded for a sentence without a predicate; a nominal event needs a participant, a
light verb or its own date, and a weak verb (weight < 0.5) a named participant.

This module holds the component, predicate finding, status, dates, quantities and confidence;
the actors are read in :mod:`newsdesk.stages.event_actors`, the place in
:mod:`newsdesk.stages.event_places`, the headline's events merged in
:mod:`newsdesk.stages.event_headlines`, and what they share (the Doc's context, the predicates
found) lives in :mod:`newsdesk.stages.event_context`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsdesk import attributes
from newsdesk.attributes import text_of
from newsdesk.data.event_lexicon import EventLexicon, Predicate, load_event_lexicon
from newsdesk.records import (
    ANALYSED_KINDS,
    Entity,
    Event,
    Evidence,
    Place,
    Quantity,
    TimeExpression,
)
from newsdesk.stages.event_actors import (
    entity_ids,
    is_passive,
    noun_arguments,
    subjects_of,
    verb_arguments,
)
from newsdesk.stages.event_context import (
    CLAUSE_EDGES,
    EventContext,
    Found,
    Mention,
    clause_of,
    expand,
)
from newsdesk.stages.event_headlines import restate_headlines
from newsdesk.stages.event_places import place_of, share_places

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
_CLIMB_EDGES = frozenset({"xcomp", "ccomp", "conj", "advcl", "parataxis", "pcomp", "acomp"})
_CONDITIONAL_MARKS = frozenset({"if", "unless"})
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
_HISTORICAL_YEARS = 2
# Acts whose preparation ("troops are preparing to attack") is a show of force, not a threat.
_PREPARED_ACTS = frozenset({"ASSAULT", "COERCE"})
# Protest verbs that also report words ("protested that ..."); "boycott", "march" never do.
_SPOKEN_PROTESTS = frozenset({"protest"})
_DECISION_VERBS = frozenset({"decide"})
_AUTHORITY_SECTORS = frozenset({"state", "government", "military", "police"})
_WEAK_WEIGHT = 0.5
# PLOVER types whose act is done by saying it (the VOA guide's speech acts).
_SPEECH_ACTS = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "AGREE", "SUPPORT", "CONCEDE"})


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
        self._denied_facts = words("denied_facts")
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
            events.extend(share_places(coded))
        return restate_headlines(events, context)

    def set_annotations(self, doc: Doc, events: tuple[Event, ...]) -> None:
        doc._.set(attributes.EVENTS, events)

    # -- finding predicates -------------------------------------------------------------------

    def _predicates(self, sent: Span, context: EventContext) -> Iterator[Found]:
        verbs: dict[int, Found] = {}
        nouns: list[Found] = []
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
                yield Found(noun.predicate, noun.head, governor, (governor, noun.head))
            else:
                yield noun
        yield from list(verbs.values())

    def _match(self, token: Token, pos: str) -> Found | None:
        keys = dict.fromkeys((token.lemma_.casefold(), token.lower_))
        for key in keys:
            rows = self.lexicon.predicates.get(("verb" if pos == "verb" else "noun", key), ())
            for row in rows:
                if "intransitive" in row.flags and any(c.dep_ == "dobj" for c in token.children):
                    continue
                words = _extras(token, row)
                if words is not None:
                    anchor = token if pos == "verb" else _governing_verb(token) or token
                    return Found(row, token, anchor, (token, *words))
        return None

    def _carries(self, verb: Token, noun: Token, verbs: dict[int, Found]) -> bool:
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
        """ "denied attacking X", "denied involvement": the denial says what did not happen;
        it is no REJECT."""
        return verb.lemma_.casefold() in self._denial and any(
            child.dep_ in {"ccomp", "xcomp", "pcomp"}
            or (
                verb.lemma_.casefold() == "deny"  # "rejected the claims" may refuse them
                and child.dep_ == "dobj"
                and child.lemma_.casefold() in self._denied_facts
            )
            for child in verb.children
        )

    def _is_light(self, verb: Token) -> bool:
        lemma = verb.lemma_.casefold()
        particles = [child.lower_ for child in verb.children if child.dep_ in {"prt", "prep"}]
        return lemma in self._light or any(f"{lemma} {p}" in self._light for p in particles)

    def _demands(self, sent: Span) -> Iterator[Found]:
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
            if speaker.pos_ not in {"VERB", "AUX"} or not subjects_of(speaker):
                continue
            yield Found(_DEMAND, token, token, (modal, token), speaker)

    # -- one event ------------------------------------------------------------------------------

    def _events(
        self, found: Found, sent: Span, sentence_index: int, context: EventContext, depth: float
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

    def _intent_cue(self, found: Found) -> Token | None:
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
                if is_passive(found.anchor) or lemma in _DECISION_VERBS:
                    return None
                return None if self._match(token, "verb") is not None else token
            if lemma == "go" and token.tag_ == "VBG":
                return token
            if token.dep_ not in {"xcomp", "acomp", "conj"} or token.head.i == token.i:
                return None
            token = token.head

    def _event(
        self, found: Found, sent: Span, sentence_index: int, context: EventContext, depth: float
    ) -> Event | None:
        predicate = found.predicate
        light = found.anchor is not found.head and self._is_light(found.anchor)
        if found.speaker is not None:
            source_tokens, target_tokens = subjects_of(found.speaker), subjects_of(found.head)
        elif found.head.pos_ in {"VERB", "AUX"}:
            source_tokens, target_tokens = verb_arguments(found, predicate)
        else:
            source_tokens, target_tokens = noun_arguments(found, predicate, light=light)
            if not (source_tokens or target_tokens or light or _has_time(found.head, context)):
                return None
        statuses, claimant = self._status(found, context)
        if found.speaker is not None:
            statuses.discard("planned")  # the demand was made; what it asks for is to come
        source = entity_ids(source_tokens, context)
        target = tuple(
            item
            for item in entity_ids(target_tokens, context, recipients=True)
            if item not in source
        ) or (source if predicate.flags >= {"mutual"} and len(source) > 1 else ())
        if predicate.weight < _WEAK_WEIGHT and not (source or target):
            return None
        if claimant in source and predicate.type in _SPEECH_ACTS and "claimed" in statuses:
            # "X said it demands ...": a party's own demand, accusation or refusal, reported as
            # its words, took place in the saying; it is no claim of X's.
            statuses.discard("claimed")
            claimant = None
        if found.speaker is not None and (
            any(token.lower_ in {"we", "i"} for token in target_tokens)
            or (source and not target and entity_ids(target_tokens, context))
        ):
            return None  # "we must do more" exhorts, it does not demand
        clause = _clause_tokens(found)
        # The parties' own words, not a place their phrase names ("a mine in the province of
        # X" is the mine's, and X is where it went off).
        actors = {
            word.i
            for token in expand([*source_tokens, *target_tokens])
            for word in (token, *token.children)
            if (word is token or word.dep_ in _MODIFIER_EDGES | {"poss"})
            and (entity := context.entity_at.get(word.i)) is not None
            and entity.id in source + target
        }
        place = place_of(found, clause, actors, target_tokens, sent, context, sites=self._sites)
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
        self, tokens: Sequence[Token], source: tuple[str, ...], context: EventContext
    ) -> bool:
        """True when the source is a state, government, military or police actor, or a body
        of that kind named by a common noun ("the army", "authorities")."""
        if any(
            (entity := context.entities.get(item)) is not None
            and entity.sector in _AUTHORITY_SECTORS
            for item in source
        ):
            return True
        return any(token.lemma_.casefold() in self._authorities for token in expand(tokens))

    # -- status ---------------------------------------------------------------------------------

    def _status(self, found: Found, context: EventContext) -> tuple[set[str], str | None]:
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
            claimant = _first(entity_ids(subjects_of(token), context))
            statuses.add("claimed")
        statuses |= self._own_status(token)
        if context.in_title(token.idx) and _headline_infinitive(token):
            statuses.add("planned")  # "Pope to visit Iraq": a headline's "to" is its future
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
                    claimant = claimant or _first(entity_ids(subjects_of(head), context))
            elif edge in {"ccomp", "parataxis", "advcl"}:
                if lemma in self._speech and claimant is None and "claimed" not in statuses:
                    statuses.add("claimed")
                    claimant = _first(entity_ids(subjects_of(head), context))
                elif lemma in self._denial:
                    statuses.add("denied")
                    claimant = claimant or _first(entity_ids(subjects_of(head), context))
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
                claimant = _first(entity_ids(subjects_of(speaker), context))
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


def _governors(found: Sequence[Found]) -> dict[int, float]:
    """Each predicate word of a sentence -> how much an event below it is subordinate: one
    level under an event, half a level under a weak one ("return", "call")."""
    weights: dict[int, float] = {}
    for item in found:
        step = 1.0 if item.predicate.weight >= _WEAK_WEIGHT else 0.5
        for word in item.words:
            weights[word.i] = max(weights.get(word.i, 0.0), step)
    return weights


def _depth(found: Found, governors: dict[int, float]) -> float:
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
            if child.dep_ not in CLAUSE_EDGES
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


def _clause_tokens(found: Found) -> frozenset[int]:
    """The tokens of the event's own clause: below its words, not inside another clause."""
    return clause_of(found.words)


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


def _has_time(noun: Token, context: EventContext) -> bool:
    return any(token.i in context.times_at for token in noun.subtree)


def _has_to(token: Token) -> bool:
    return any(child.dep_ == "aux" and child.lower_ == "to" for child in token.children)


def _headline_infinitive(verb: Token) -> bool:
    """True for a headline's bare "to" + verb that no other verb governs ("Pope to visit
    Iraq", "Leaders to meet and sign deal", "Report: PM to visit India"): the headline's way
    of saying "will"."""
    while verb.dep_ == "conj" and verb.head is not verb:
        verb = verb.head
    if not _has_to(verb):
        return False
    return verb.dep_ == "ROOT" or verb.head.pos_ not in {"VERB", "AUX"}


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


def _quote_speaker(token: Token, context: EventContext) -> str | None:
    for quote in context.quotes:
        if quote.speaker and quote.content.start <= token.idx < quote.content.end:
            return quote.speaker
    return None


# -- time, quantities -------------------------------------------------------------------------


def _nearest_time(
    head: Token, clause: frozenset[int], context: EventContext
) -> TimeExpression | None:
    inside = [context.times[number] for number in _numbers_in(clause, context.times_at)]
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


def _quantities(clause: frozenset[int], context: EventContext) -> tuple[Quantity, ...]:
    return tuple(
        quantity
        for quantity, _ in (
            context.quantities[number] for number in _numbers_in(clause, context.quantities_at)
        )
        if quantity.unit not in _MEASURE_UNITS
    )


def _numbers_in(clause: frozenset[int], numbers_at: dict[int, list[int]]) -> list[int]:
    """The numbers of the items any of whose tokens the clause holds, in the Doc's order of
    items: read from the clause's tokens, so an event costs its clause, not the whole Doc."""
    return sorted({number for i in clause for number in numbers_at.get(i, ())})


# -- the Doc's context ------------------------------------------------------------------------


def _context(doc: Doc) -> EventContext:
    entities: tuple[Entity, ...] = doc._.get(attributes.ENTITIES)
    places: tuple[Place, ...] = doc._.get(attributes.PLACES)
    times: tuple[TimeExpression, ...] = doc._.get(attributes.TIMES)
    quantities: tuple[Quantity, ...] = doc._.get(attributes.QUANTITIES)
    stated: str | None = doc._.get(attributes.PUBLISHED)
    entity_at: dict[int, Entity] = {}
    mentions: list[Mention] = []
    for entity in entities:
        for mention in entity.mentions:
            mentions.append(Mention(mention.start, mention.end, entity))
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
    return EventContext(
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
        places=places,
        titles=tuple(
            (block.start, block.end)
            for block in doc._.get(attributes.BLOCKS)
            if block.kind == "title"
        ),
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
    """The sentence around ``at``, kept inside the analysed block that holds it: a parsed
    sentence can run into a caption that the pipeline blanked out, or from a title into the
    body, and evidence must quote the article's own words of one block."""
    start, end = sent.start_char, sent.end_char
    for block in doc._.get(attributes.BLOCKS):
        if block.kind in ANALYSED_KINDS and block.start <= at < block.end:
            start, end = max(start, block.start), min(end, block.end)
            break
    text = text_of(doc)[start:end]
    start += len(text) - len(text.lstrip())
    return start, start + len(text.strip())


def _evidence(doc: Doc, start: int, end: int, context: EventContext) -> Evidence:
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

"""The ``newsdesk_events`` component: finding predicates, assembling an event, intent events,
confidence.

Predicates come from the project's event lexicon (``newsdesk/data/events.tsv``): verbs and verb
phrases ("attack", "hand over", "take control") and nominal events ("siege", "assassination",
"talks"), each with its PLOVER type, mode and CAMEO root. A nominal event that is the object of a
light verb ("carried out an attack", "put them under siege") is one event whose actor is the
light verb's subject. A negated "flip" predicate ("will not accept") is a REJECT, and a
conditional promise of force ("if ... we will not accept aggression") is a THREATEN.

Confidence = weight x (0.55 + 0.25 if a source entity is found + 0.1 if a target entity is found
+ 0.1 if a place is found) x 0.4^depth, where weight is the lexicon row's (how surely the phrase
reports an event of its type) and depth how far the event sits below the sentence's other events
(a level per governing event, half for a weak one or a relative, adverbial or purpose clause), so
the main event (the root predicate, or what a speech verb reports) ranks first.

Statements are events too: an actor's stated intent to do something ("will withdraw", "is ready
to talk", "said it would attack") adds an AGREE (cooperative acts), THREATEN (hostile acts, or
any act "unless" the other side yields) or REJECT ("will not meet") event above the planned one;
"X said Y must ..." is a REQUEST by X of Y.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from newsdesk import attributes
from newsdesk.data.event_lexicon import EventLexicon, Pos, Predicate, load_event_lexicon
from newsdesk.records import Event, Quantity
from newsdesk.stages.events.actors import (
    entity_ids,
    is_passive,
    noun_arguments,
    specifics,
    subjects_of,
    verb_arguments,
)
from newsdesk.stages.events.context import (
    CLAUSE_EDGES,
    EventContext,
    Found,
    build_context,
    clause_of,
    expand,
    numbers_in,
)
from newsdesk.stages.events.dates import (
    event_date,
    governing_time,
    is_historical,
    places_in_the_past,
)
from newsdesk.stages.events.eventhood import (
    MODIFIER_EDGES,
    WEAK_WEIGHT,
    Eventhood,
    describes_a_noun,
    exhorts,
    has_time,
    is_attribution,
    lacks_a_participant,
    weak_without_party,
)
from newsdesk.stages.events.headlines import restate_headlines
from newsdesk.stages.events.incidents import link_mentions
from newsdesk.stages.events.places import place_by_report, place_of, share_places
from newsdesk.stages.events.status import StatusReader, in_if_clause, most_telling, unless
from newsdesk.stages.evidence import evidence_at, sentence_bounds

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


def _rule_predicate(
    phrase: str, pos: Pos, kind: str, mode: str | None, cameo: str, weight: float
) -> Predicate:
    """A predicate the coder's own rules read (no lexicon row: its line is 0)."""
    return Predicate(
        phrase=phrase,
        pos=pos,
        type=kind,
        mode=mode,
        cameo=cameo,
        weight=weight,
        flags=frozenset(),
        line=0,
    )


# "X said Y must ...": a reported obligation laid on another party (CAMEO 10, demand).
_DEMAND = _rule_predicate("must", "verb", "REQUEST", None, "10", 0.85)
# Clauses that say something about a participant or the circumstances, not the news itself.
_BACKGROUND_EDGES = frozenset({"relcl", "acl", "advcl"})
# Each level an event sits below another divides its confidence, so the main event ranks first.
_DEPTH_DECAY = 0.4
# Acts whose preparation ("troops are preparing to attack") is a show of force, not a threat.
_PREPARED_ACTS = frozenset({"ASSAULT", "COERCE"})
# Protest verbs that also report words ("protested that ..."); "boycott", "march" never do.
_SPOKEN_PROTESTS = frozenset({"protest"})
_DECISION_VERBS = frozenset({"decide"})
_AUTHORITY_SECTORS = frozenset({"state", "government", "military", "police"})
# PLOVER types whose act is done by saying it (the VOA guide's speech acts).
_SPEECH_ACTS = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "AGREE", "SUPPORT", "CONCEDE"})
# "rejected the claims that ...", "dismissed accusations": what a rejection of a claim
# denies is an allegation (VOA-GUIDE: the nominal is the ACCUSE, there is no REJECT).
_ALLEGATION = _rule_predicate("claim", "noun", "ACCUSE", "allege", "11", 0.6)
_CLAIM_NOUNS = frozenset({"claim", "assertion", "finding"})
# Verbs of breaking a rule, a deal or a demand that stands: what they break was made or
# imposed ("would violate U.N. sanctions", "continues to defy calls").
_BREACH_VERBS = frozenset({"violate", "breach", "defy"})
# Determiners by which a nominal event points back at one the report tells ("the siege",
# "this attack"), not at a kind of event ("attacks on journalists are rising").
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# Prepositions that place a nominal event in time as something that happened ("soon after the
# attack", "during the initial attack", "since the coup").
_TIME_PREPOSITIONS = frozenset({"after", "before", "during", "since", "following", "amid"})
# Nominal events that last for years: after a time preposition they name a period ("used
# during the Vietnam war", "flights were more regular before the conflict"), not an act.
_PERIOD_NOUNS = frozenset({"war", "conflict"})
# Nouns whose "of" phrase is the act itself, told as begun, imposed or ended ("Trump's
# imposition of sanctions", "the start of the war", "calling for an end to violence").
_PHASE_NOUNS = frozenset(
    {"imposition", "start", "beginning", "launch", "resumption", "escalation", "end"}
)
# Nouns that count, witness or date occurrences of the act in their "of" phrase, so it took
# place: "a wave of kidnappings", "reports of sexual violence", "a scene of utter carnage",
# "18 hours of siege", "victims of the Kabul attack" (not "the number of attacks", a measure).
_OCCURRENCE_NOUNS = frozenset(
    {
        "wave",
        "spate",
        "series",
        "string",
        "spree",
        "report",
        "evidence",
        "case",
        "scene",
        "hour",
        "day",
        "week",
        "month",
        "year",
        "decade",
        "anniversary",
        "victim",
        "survivor",
        "aftermath",
        "wake",
    }
)
# Verbs that tell a nominal event as something under way or done ("a trial opened in Paris",
# "the siege continues", "the attacks began Tuesday", "the blast occurred").
_HAPPENING_VERBS = frozenset(
    {
        "begin",
        "start",
        "continue",
        "resume",
        "open",
        "end",
        "erupt",
        "occur",
        "happen",
        "last",
        "escalate",
        "intensify",
        "rage",
    }
)
# "X called the ruling 'arbitrary'", "dismissed the findings as biased": naming an act or a
# party with a judgement is a criticism (CAMEO 111), not a call (CONSULT) or a rejection.
_CALLED = _rule_predicate("call", "verb", "ACCUSE", "disapprove", "11", 0.6)


class EventCoder:
    """The ``newsdesk_events`` component. Build it with ``nlp.add_pipe("newsdesk_events")``."""

    def __init__(self, nlp: Language, name: str = NAME, *, lexicon: EventLexicon | None = None):
        self.name = name
        self.lexicon = lexicon or load_event_lexicon()
        words = self.lexicon.section
        self._light = words("light_verbs")
        self._intent = words("intent_verbs")
        self._denial = words("denial_verbs")
        self._denied_facts = words("denied_facts")
        self._accusation = words("accusation_words")
        self._future = words("future_markers")
        self._demand = words("demand_modals")
        self._sites = words("site_nouns")
        self._authorities = words("authority_nouns")
        self._casualties = words("casualty_verbs")
        self._statuses = StatusReader(self.lexicon)
        self._eventhood = Eventhood(self.lexicon)

    def __call__(self, doc: Doc) -> Doc:
        events = self.resolve(doc)
        self.set_annotations(doc, events)
        return doc

    def resolve(self, doc: Doc) -> tuple[Event, ...]:
        """Code the Doc's events (pure: reads the Doc, writes nothing)."""
        context = build_context(doc)
        hazard_from = self._eventhood.about_a_hazard(doc, context)
        events: list[Event] = []
        for sentence_index, sent in enumerate(doc.sents):
            if not sent.text.strip():
                continue
            found_all = [*self._predicates(sent, context), *self._demands(sent)]
            governors = _governors(found_all)
            told = frozenset(event.type for event in events)
            coded = [
                (found, event)
                for found in found_all
                for event in self._events(
                    found,
                    sent,
                    sentence_index,
                    context,
                    _depth(found, governors),
                    told,
                    hazard_from=hazard_from,
                )
            ]
            events.extend(share_places(coded))
        # After the headlines: ``same_as`` indexes the events as they are finally listed.
        linked = link_mentions(restate_headlines(events, context), context, self._casualties)
        return place_by_report(linked, context)

    def set_annotations(self, doc: Doc, events: tuple[Event, ...]) -> None:
        doc._.set(attributes.EVENTS, events)

    # -- finding predicates -------------------------------------------------------------------

    def _predicates(self, sent: Span, context: EventContext) -> Iterator[Found]:
        verbs: dict[int, Found] = {}
        nouns: list[Found] = []
        for token in sent:
            if token.i in context.entity_at or token.dep_ in MODIFIER_EDGES:
                continue
            if token.pos_ == "VERB":
                found = self._match(token, "verb")
                if found is not None and not self._reports_a_denial(token):
                    verbs[token.i] = found
            elif token.pos_ == "PROPN" and token.i in context.times_at:
                continue  # "since March": a month, not a march
            elif token.pos_ in {"NOUN", "PROPN"} and not is_attribution(token):
                found = self._match(token, "noun") or _rejected_claim(token)
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
            judged = governor is not None and governor.i in verbs and not light
            if judged and governor is not None and _rejects_a_charge(verbs[governor.i], noun):
                del verbs[governor.i]  # "rejected the allegation": the allegation is the event
            elif judged and governor is not None and not _judges(verbs[governor.i], noun):
                judged = False
                if (
                    noun.head.dep_ != "nsubjpass"
                    and governor.lemma_.casefold() not in self._accusation
                ):
                    continue  # "attacked with an airstrike": the verb is the event; "blamed Y
                    # for the attack" charges Y with an act of its own
            if governor is not None and governor.i in verbs and light:
                del verbs[governor.i]  # "sent aid": the noun says what happened
            if _names_a_period(noun.head):
                continue
            accused = self._accused_act(noun.head)
            if (
                describes_a_noun(noun.head)
                and not has_time(noun.head, context)
                and not refers_to_an_event(noun.head)
                and not accused
            ):
                continue  # "the conditions for a peace deal", not "responsibility for the attack"
            if governor is not None and light:
                yield Found(noun.predicate, noun.head, governor, (governor, noun.head))
            elif judged or accused:
                # The act judged or charged is the noun's own: its actor is not the judge's.
                yield Found(noun.predicate, noun.head, noun.head, noun.words)
            else:
                yield noun
        yield from list(verbs.values())

    def _match(self, token: Token, pos: str) -> Found | None:
        if pos == "verb" and _names_with_a_judgement(token):
            return Found(_CALLED, token, token, (token,))
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
        if _names_with_a_judgement(verb):
            return False  # "called the FDA alert 'extreme'": a judgement of it, not an alert
        if noun.dep_ in {"dobj", "nsubjpass"}:
            return True
        lemma, preposition = verb.lemma_.casefold(), noun.head.lower_
        return any(
            phrase.startswith(f"{lemma} ") and phrase.endswith(f" {preposition}")
            for phrase in self._light
        )

    def _reports_a_denial(self, verb: Token) -> bool:
        """ "denied attacking X", "denied involvement", "rejected the allegation that ...": the
        denial says what did not happen (and the allegation is the ACCUSE); it is no REJECT."""
        lemma = verb.lemma_.casefold()
        return lemma in self._denial and any(
            child.dep_ in {"ccomp", "xcomp", "pcomp"}
            or (child.dep_ == "dobj" and child.lemma_.casefold() in self._accusation)
            or (  # "rejected the claims" may refuse them
                lemma == "deny"
                and child.dep_ == "dobj"
                and child.lemma_.casefold() in self._denied_facts
            )
            for child in verb.children
        )

    def _accused_act(self, noun: Token) -> bool:
        """True for an act a party is charged with: "accuses the rebel group of killing,
        maiming, raping" (the parser hangs "of" on the accused)."""
        while noun.dep_ == "conj" and noun.head.i != noun.i:
            noun = noun.head
        preposition = noun.head
        if noun.dep_ != "pobj" or preposition.lower_ != "of":
            return False
        accused = preposition.head
        verb = accused.head if accused.dep_ in {"dobj", "nsubjpass"} else accused
        found = self._match(verb, "verb") if verb.pos_ == "VERB" else None
        return found is not None and found.predicate.type == "ACCUSE"

    def _judged(self, found: Found) -> bool:
        """True for a nominal act the verb above it judges or threatens ("threatened
        sanctions"): the verb gives it its standing as an act."""
        governor = _governing_verb(found.head)
        verb = self._match(governor, "verb") if governor is not None else None
        return verb is not None and _judges(verb, found)

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
        self,
        found: Found,
        sent: Span,
        sentence_index: int,
        context: EventContext,
        depth: float,
        told: frozenset[str] = frozenset(),
        *,
        hazard_from: int | None = None,
    ) -> list[Event]:
        """The predicate's event and, when its actor states an intent to do it ("will
        withdraw", "is ready to talk", "would not meet"), the statement of intent: AGREE for a
        cooperative act, THREATEN for a hostile one, REJECT for a cooperative act refused."""
        event = self._event(
            found, sent, sentence_index, context, depth, told, hazard_from=hazard_from
        )
        if event is None:
            return []
        cue = self._intent_cue(found)
        derived = _INTENT_TYPES.get((event.type, event.status == "negated")) if cue else None
        if cue is None or derived is None or event.status == "denied":
            return [event]
        kind, mode, cameo = derived
        if kind == "THREATEN" and event.type in _PREPARED_ACTS and _prepares(cue):
            kind, mode, cameo = "MOBILIZE", "troops", "15"  # "the army prepared to attack"
        elif unless(found.anchor):
            kind, mode, cameo = "THREATEN", _THREAT_MODES.get(event.type), "13"
        doc = context.doc
        start = min(cue.idx, event.trigger.start)
        end = max(cue.idx + len(cue.text), event.trigger.end)
        status = (
            "conditional" if "conditional" in self._statuses.status(found, context)[0] else None
        )
        intent = event.model_copy(
            update={
                "type": kind,
                "mode": mode,
                "cameo": cameo,
                "status": status or ("claimed" if event.claimed_by else "occurred"),
                "trigger": evidence_at(doc, start, end, context.sentence_starts),
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
        self,
        found: Found,
        sent: Span,
        sentence_index: int,
        context: EventContext,
        depth: float,
        told: frozenset[str] = frozenset(),
        *,
        hazard_from: int | None = None,
    ) -> Event | None:
        """The predicate's event, or None when it reports none. ``told``: the types of the
        events coded in the sentences before, to which a definite nominal may refer back."""
        predicate = found.predicate
        light = found.anchor is not found.head and self._is_light(found.anchor)
        if found.speaker is not None:
            source_tokens, target_tokens = subjects_of(found.speaker), subjects_of(found.head)
        elif found.head.pos_ in {"VERB", "AUX"}:
            source_tokens, target_tokens = verb_arguments(found, predicate, is_light=self._is_light)
        else:
            source_tokens, target_tokens = noun_arguments(
                found, predicate, light=light, context=context, is_light=self._is_light
            )
            if self._statuses.denied_charge(found.head):
                # "X rejected Pakistan's allegation": the accuser accuses, the denier is accused
                source_tokens = self._statuses.accusers(found.head)
                target_tokens = subjects_of(found.head.head)
            elif (blamed := self._statuses.blamed_party(found.head)) is not None:
                source_tokens = [blamed]  # "blamed the attacks on militants"
            if lacks_a_participant(
                found,
                [*source_tokens, *specifics(found, predicate, context)],
                target_tokens,
                light=light,
                context=context,
            ) and not (
                refers_to_an_event(found.head)
                or self._accused_act(found.head)
                or self._judged(found)
            ):
                return None
        clause = _clause_tokens(found)
        own_time = governing_time(found, clause, context)
        statuses, claimant = self._statuses.status(found, context, dated=own_time is not None)
        if found.speaker is not None:
            statuses.discard("planned")  # the demand was made; what it asks for is to come
        source = entity_ids(source_tokens, context)
        target = tuple(
            item
            for item in entity_ids(target_tokens, context, recipients=True)
            if item not in source
        ) or (source if predicate.flags >= {"mutual"} and len(source) > 1 else ())
        if weak_without_party(predicate, source, target) and not (
            predicate.type in told and refers_to_an_event(found.head)
        ):
            return None  # kept: "the operation dealt a blow", after the report told the raid
        if claimant in source and predicate.type in _SPEECH_ACTS and "claimed" in statuses:
            # "X said it demands ...": a party's own demand, accusation or refusal, reported as
            # its words, took place in the saying; it is no claim of X's.
            statuses.discard("claimed")
            claimant = None
        if exhorts(found, target_tokens, source, target, context):
            return None  # "we must do more" exhorts, it does not demand
        if self._eventhood.reports_no_event(
            found, source_tokens, context, hazard_from=hazard_from, target_tokens=target_tokens
        ):
            return None  # "released a video", "the quake killed 14", "not clear if ..."
        # The parties' own words, not a place their phrase names ("a mine in the province of
        # X" is the mine's, and X is where it went off).
        actors = {
            word.i
            for token in expand([*source_tokens, *target_tokens])
            for word in (token, *token.children)
            if (word is token or word.dep_ in MODIFIER_EDGES | {"poss"})
            and (entity := context.entity_at.get(word.i)) is not None
            and entity.id in source + target
        }
        place = place_of(found, clause, actors, target_tokens, sent, context, sites=self._sites)
        kind, mode, cameo = predicate.type, predicate.mode, predicate.cameo
        if "authority" in predicate.flags and self._has_authority(source_tokens, source, context):
            kind, mode, cameo = "COERCE", "restrict", "17"  # an order that must be obeyed
        elif kind == "PROTEST" and _states_a_protest(found.head):
            kind, mode, cameo = "ACCUSE", "disapprove", "11"  # "protested that ...": words
        if "negated" in statuses and "flip" in predicate.flags:
            statuses.discard("negated")
            kind, mode, cameo = "REJECT", None, "12"
        if "conditional" in statuses and kind in _THREAT_MODES and not in_if_clause(found.anchor):
            kind, mode, cameo = "THREATEN", _THREAT_MODES[kind], "13"
        if (
            is_historical(own_time, context.published)
            if own_time is not None
            else places_in_the_past(found, clause, context)
        ):
            statuses.add("historical")
        status = most_telling(statuses)
        date_value, precision = event_date(
            own_time, context.published, historical=status == "historical"
        )
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
            trigger=evidence_at(
                doc, words[0].idx, words[-1].idx + len(words[-1].text), context.sentence_starts
            ),
            evidence=evidence_at(
                doc, *sentence_bounds(doc, sent, words[0].idx), context.sentence_starts
            ),
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


# -- the parse --------------------------------------------------------------------------------


def _governors(found: Sequence[Found]) -> dict[int, float]:
    """Each predicate word of a sentence -> how much an event below it is subordinate: one
    level under an event, half a level under a weak one ("return", "call")."""
    weights: dict[int, float] = {}
    for item in found:
        step = 1.0 if item.predicate.weight >= WEAK_WEIGHT else 0.5
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


def refers_to_an_event(noun: Token) -> bool:
    """True for a nominal event told as one real happening, the way news restates an event it
    reports: definite or demonstrative ("the siege", "this attack follows"), owned ("Mhlanga's
    arrest", "their exit"), placed in time ("soon after the attack") or told as under way or
    done ("a trial opened in Paris", "fighting continued"). A bare plural or an indefinite one
    ("attacks on journalists are rising") names a kind of event."""
    if noun.dep_ == "pobj" and noun.head.lower_ in _TIME_PREPOSITIONS:
        return True
    if noun.dep_ == "pobj" and noun.head.lower_ == "under" and noun.head.head.lemma_ == "come":
        return True  # "the convoy came under attack"
    if noun.dep_ == "pobj" and noun.head.lower_ in {"of", "to"}:
        outer = noun.head.head.lemma_.casefold()
        if outer in _PHASE_NOUNS or (noun.head.lower_ == "of" and outer in _OCCURRENCE_NOUNS):
            return True
    verb = noun.head
    if (
        noun.dep_ == "nsubj"
        and verb.pos_ == "VERB"
        and verb.lemma_.casefold() in _HAPPENING_VERBS
        and not any(child.dep_ == "dobj" for child in verb.children)
        and not any(child.dep_ == "det" and child.lower_ == "no" for child in noun.children)
    ):
        return True  # "a trial opened", not "no major clashes occurred"
    return any(
        child.dep_ == "poss" or (child.dep_ == "det" and child.lower_ in _DEFINITE)
        for child in noun.children
    )


def _names_a_period(noun: Token) -> bool:
    """ "during the Vietnam war", "before the conflict": a long war named as a time."""
    return (
        noun.lemma_.casefold() in _PERIOD_NOUNS
        and noun.dep_ == "pobj"
        and noun.head.lower_ in _TIME_PREPOSITIONS
    )


def _rejected_claim(noun: Token) -> Found | None:
    """ "Pakistan and China reject the claims that ...": a claim a party rejects or dismisses
    is an allegation against it when the claim says what it is ("claims that ...", "claims of
    abuse"); "the army rejected the claim" after another party's report disputes that report."""
    verb = noun.head
    if (
        noun.dep_ != "dobj"
        or noun.lemma_.casefold() not in _CLAIM_NOUNS
        or verb.lemma_.casefold() not in {"reject", "dismiss", "deny", "refute"}
        or not any(
            child.dep_ in {"acl", "ccomp"} or (child.dep_ == "prep" and child.lower_ == "of")
            for child in noun.children
        )
    ):
        return None
    return Found(_ALLEGATION, noun, verb, (noun,))


def _rejects_a_charge(verb: Found, noun: Found) -> bool:
    """True for a rejection whose object is an accusation ("rejected the allegation",
    "dismissed accusations"): the accusation is the event, the rejection its denial."""
    return verb.predicate.type == "REJECT" and noun.predicate.type == "ACCUSE"


def _judges(verb: Found, noun: Found) -> bool:
    """True when a verb judges or threatens the act its object names, so both are events:
    "condemned the recent violence", "blamed several recent attacks on militants" (ACCUSE),
    "praised the operation" (SUPPORT, of an act the report tells), "threatened sanctions"
    (THREATEN, of a hostile act), "rejected Kenya's request", "would violate U.N. sanctions"
    (REJECT, of a request, deal or sanction made); and
    the charges a court acts on ("sentenced Zamora on money-laundering charges"); and an act
    the verb's clause gives as its cause or time ("withdrew ambassadors over the crackdown")."""
    kind = verb.predicate.type
    preposition = noun.head.head.lower_ if noun.head.dep_ == "pobj" else ""
    if preposition in _TIME_PREPOSITIONS | {"over"}:
        # "withdrew ambassadors over Israel's crackdown", "fled after the attack": the cause
        # or an earlier act, another event than the verb's.
        return noun.predicate.type != kind
    if preposition == "in" and noun.predicate.type in {"PROTEST", "SUPPORT"}:
        return noun.predicate.type != kind  # "massed outside the consulate in protest"
    if noun.predicate.type == "ACCUSE" and preposition in {"on", "over"}:
        return kind != "ACCUSE"  # "sentenced Zamora on money-laundering charges"
    if kind == "ACCUSE":
        return noun.predicate.type != "ACCUSE"
    if kind == "SUPPORT":
        return refers_to_an_event(noun.head)
    if kind == "REJECT":  # "rejected Kenya's request", "would violate U.N. sanctions"
        return noun.predicate.type in {"REQUEST", "AGREE", "SANCTION"} and (
            refers_to_an_event(noun.head) or verb.head.lemma_.casefold() in _BREACH_VERBS
        )
    return kind == "THREATEN" and noun.predicate.type in _THREAT_MODES


def _names_with_a_judgement(verb: Token) -> bool:
    """ "he called the ruling 'arbitrary'", "dismissed the findings as biased": naming an act
    or a party with a judgement; not a name ("a militia called the anti-Balaka")."""
    lemma = verb.lemma_.casefold()
    if verb.dep_ in {"acl", "relcl"}:
        return False
    if lemma == "call":
        return any(
            child.dep_ == "oprd" and child.pos_ in {"ADJ", "NOUN", "PROPN"}
            for child in verb.children
        )
    return lemma == "dismiss" and any(
        word.lower_ == "as" and word.dep_ in {"prep", "mark"}
        for child in verb.children
        for word in (child, *child.children)
    )


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


# -- quantities -----------------------------------------------------------------------------


def _quantities(clause: frozenset[int], context: EventContext) -> tuple[Quantity, ...]:
    return tuple(
        quantity
        for quantity, _ in (
            context.quantities[number] for number in numbers_in(clause, context.quantities_at)
        )
        if quantity.unit not in _MEASURE_UNITS
    )


def make_event_coder(nlp: Language, name: str) -> EventCoder:
    """spaCy factory for ``newsdesk_events``."""
    return EventCoder(nlp, name)

"""Status: whether an event happened, and who says so, read from the structure of its sentence.

In order of precedence: ``denied`` ("denied attacking", "denied accusations of killing"),
``conditional`` (a main clause with an "if" or "unless" clause, or a future one with "until":
"attacks will continue until a ceasefire is imposed"; or that clause itself), ``negated`` ("did
not attack", the action someone refused or failed to do), ``historical`` (background: the past
perfect in the story's own voice when the sentence gives no date, a clause or object of "since":
"since the siege began"; the coder adds it from the event's date, see
:mod:`~newsdesk.stages.events.dates`), ``alleged`` (the act an accusing word charges a party
with: "accused Y of killing", "blamed Y for the attack", "alleged that Y ...", "the accusation
that ...", what a censure, sanction or coercion is "for"; ``claimed_by`` is the accuser),
``threatened`` ("threatened to attack"), ``planned`` ("will", "going to", "want to", a purpose
"to" clause), ``claimed`` (under a speech verb or inside a quote; ``claimed_by`` is the speaker),
else ``occurred``. A headline's bare "to" + verb ("Pope to visit Iraq") is planned. A denied
act's ``claimed_by`` is its accuser when the sentence names one ("denied the army's
accusations"), never the denier.

How news is written overrides the plain reading, after it and in this order:

1. not ``claimed`` (no claimant) when no charge is read and the event is the setting of the
   saying (its audience, "told a cabinet meeting"; its time or place, "speaking at a council
   meeting") or a speech act its doer performs by saying it in the present ("we urge", "China
   calls on ..." in a quote); a factive verb ("confirmed", "acknowledged", "admitted",
   "revealed", "noted") never makes a claim: what it introduces is vouched for;
2. ``claimed_by`` the party that "claimed responsibility for" or "took credit for" the act,
   whatever its status (the story may assert the attack too);
3. ``historical`` added for background named by the words around the act: "its earlier
   acquittal", "in past tensions" (not "in the past month"), "the anniversary of the strikes";
4. ``planned`` added for an act a party awaits, considers or faces ("awaiting another trial",
   "considering sanctions", "facing trial"), then ``planned`` (and ``threatened``,
   ``conditional``) dropped for an act that something stops
   ("urged them to cease their cooperation", "an end to the fight"); a "to" of purpose above an
   act that goes on ("a ruling to continue to imprison X") and a future verb whose subject is
   the act ("the war would pose a threat", but "talks will take place") make no plan either.

:class:`StatusReader` reads the statuses the parse gives from the lexicon's word lists; the
coder adds ``historical`` from the event's date and picks the first by :func:`most_telling`.
"""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Token

from newsdesk.data.event_lexicon import EventLexicon
from newsdesk.stages.events.actors import entity_ids, is_passive, subjects_of
from newsdesk.stages.events.context import EventContext, Found

_STATUS_ORDER = (
    "denied",
    "conditional",
    "negated",
    "historical",
    "alleged",
    "threatened",
    "planned",
    "claimed",
    "occurred",
)
_CLIMB_EDGES = frozenset({"xcomp", "ccomp", "conj", "advcl", "parataxis", "pcomp", "acomp"})
_CONDITIONAL_MARKS = frozenset({"if", "unless"})
# "until" makes a condition only of a future clause ("will continue until ..."); of a past one it
# is a time ("fought until dawn").
_UNTIL = "until"
# How an accusing word reaches the act it charges: "accused Y of killing", "blamed Y for the
# attack", "charged with murder", "the accusation over the shelling".
_CHARGE_PREPOSITIONS = frozenset({"of", "for", "over", "with"})
# "blamed the attack on X": the accusing verb whose "on" phrase names the party charged.
_BLAME = "blame"
# Acts whose "for" phrase is what their target is charged with.
_PUNISHING_TYPES = frozenset({"ACCUSE", "SANCTION", "COERCE"})
# Edges an act climbs to its accusing word: coordination, a preposition's object, a complement.
_CHARGE_CLIMB = frozenset({"conj", "pcomp", "pobj", "xcomp"})
# Edges by which an accusing word holds the act itself: "blamed the attack on Y", "alleged that
# Y ...", "the accusation that Y ...", "the attack was blamed on Y".
_CHARGE_EDGES = frozenset({"dobj", "ccomp", "acl", "nsubjpass"})
# "had recently complained": a past perfect that stays in the news's own days.
_LATELY = frozenset({"recently", "just", "earlier", "lately"})
_NOBODY = frozenset({"no-one", "nobody", "none", "noone"})
# Speech verbs whose object is the audience, not what is said: "told a cabinet meeting that ...".
_AUDIENCE_VERBS = frozenset({"tell", "brief", "address", "inform"})
# Prepositions that set a saying in its time or place: "speaking at a council meeting", "told
# media during a visit to Quetta", "said after the attack".
_SETTING_PREPOSITIONS = frozenset({"at", "during", "in", "after", "before", "on"})
# Speech acts done by saying them: "we urge", "I appeal", "China calls on ..." in a quote.
_PERFORMATIVE_TYPES = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "APPEAL"})
_FIRST_PERSON = frozenset({"i", "we"})
_PRESENT = frozenset({"VBP", "VBZ"})
# Adjectives that set an act before the news: "its earlier acquittal", "in past tensions".
_BEFORE_NOW = frozenset({"earlier", "previous", "past", "prior"})
_ANNIVERSARY = "anniversary"
# "in the past month": a span that runs to the news, not background.
_SPANS = frozenset({"hour", "day", "week", "month", "year", "decade"})
# Verbs by which an event named as a subject happens: "talks will take place", "the trial will
# open". Other future verbs say what an existing act will do ("the war would pose a threat",
# "the new measures will apply to steel"), which leaves the act itself done.
_HAPPENING = frozenset({"take", "begin", "start", "open", "resume", "happen", "occur", "go"})
# "claimed responsibility for the attack", "took credit for attacks": the claimer owns the act.
_CREDIT_NOUNS = frozenset({"responsibility", "credit"})
# Verbs of an act that goes on: "to continue to imprison", "continues to defy".
_ONGOING = frozenset({"continue", "keep"})


def most_telling(statuses: Collection[str]) -> str:
    """The status that wins among those that apply (``occurred`` when none does)."""
    return next(s for s in _STATUS_ORDER if s in statuses or s == "occurred")


class StatusReader:
    """Reads an event's statuses and claimant from the parse, with the lexicon's word lists
    (speech, intent, attempt, refusal, denial and threat verbs, future markers, demand modals,
    intent nouns)."""

    def __init__(self, lexicon: EventLexicon) -> None:
        words = lexicon.section
        self._speech = words("speech_verbs")
        self._factive = words("factive_verbs")
        self._halting = words("halting_verbs")
        self._awaiting = words("awaiting_verbs")
        self._intent = words("intent_verbs")
        self._attempt = words("attempt_verbs")
        self._refusal = words("refusal_verbs")
        self._denial = words("denial_verbs")
        self._threat = words("threat_verbs")
        self._future = words("future_markers")
        self._intent_nouns = words("intent_nouns")
        self._demand = words("demand_modals")
        self._accusation = words("accusation_words")
        # "criticized Y for refusing", "sanctioned for undermining democracy", "arrested for
        # protesting": what a censure, a penalty or a coercion is "for" is charged, not told.
        self._punishing = frozenset(
            row.phrase
            for (pos, _), rows in lexicon.predicates.items()
            for row in rows
            if pos == "verb" and row.type in _PUNISHING_TYPES and not row.extras
        )

    def status(
        self, found: Found, context: EventContext, *, dated: bool = False
    ) -> tuple[set[str], str | None]:
        """The event's statuses (every one that applies) and who claims it, if anyone;
        ``dated`` when the sentence gives the event a time (which then says whether it is
        background, not its tense)."""
        statuses: set[str] = set()
        claimant: str | None = None
        if found.head.pos_ != "VERB" and any(
            child.lower_ in {"no", "never"} for child in found.head.children
        ):
            statuses.add("negated")
        charge = self.charge(found.head)
        if charge is None and found.anchor is not found.head:
            charge = self.charge(found.anchor)  # "accused Y of carrying out an attack"
        accuser: str | None = None
        if charge is not None:
            accuser = first(entity_ids(self.accusers(charge), context))
            if self.denied_charge(charge):
                statuses.add("denied")  # "denied accusations of killing civilians"
            else:
                statuses.add("alleged")
            claimant = accuser
        token = found.anchor
        if token.pos_ != "VERB" and token is found.head:
            token = token.head if token.head is not token else token
        if (
            token is not found.head
            and token.lemma_.casefold() in self._speech
            and token.lemma_.casefold() not in self._factive  # "confirmed the killing"
            and found.head.dep_ not in {"nsubj", "nsubjpass"}  # "the attack highlighted ..."
        ):
            claimant = claimant or first(entity_ids(subjects_of(token), context))
            statuses.add("claimed")
        own = self.own_status(token)
        if (
            token is not found.head
            and found.head.dep_ == "nsubj"
            and token.lemma_.casefold() not in _HAPPENING
        ):
            own.discard("planned")  # "the war would pose a threat": the war is no plan
        statuses |= own
        if context.in_title(token.idx) and headline_infinitive(token):
            statuses.add("planned")  # "Pope to visit Iraq": a headline's "to" is its future
        if in_if_clause(token, self._future):
            statuses.add("conditional")
        if since_clause(found.head) or since_clause(token):
            statuses.add("historical")  # "since the siege began in May 2024"
        reported = False
        ongoing = False
        while token.dep_ in _CLIMB_EDGES and token.head is not token:
            edge, head = token.dep_, token.head
            lemma = head.lemma_.casefold()
            if edge == "conj":
                token = head
                continue
            if edge == "xcomp" and token.head.lemma_.casefold() in _ONGOING:
                ongoing = True  # "to continue to imprison": the act goes on already
            if edge == "advcl" and has_to(token) and ongoing:
                pass  # a purpose "to" above an act that goes on does not make it a plan
            elif edge in {"xcomp", "acomp", "pcomp"} or (edge == "advcl" and has_to(token)):
                statuses |= self.complement_status(head, lemma, edge, token)
            elif edge in {"ccomp", "parataxis"} or (edge == "advcl" and not marked(token)):
                if lemma in self._speech:
                    reported = True
                if lemma in self._factive:
                    pass  # "confirmed that the siege ended": vouched for, not claimed
                elif lemma in self._speech and claimant is None and "claimed" not in statuses:
                    statuses.add("claimed")
                    claimant = first(entity_ids(subjects_of(head), context))
                elif lemma in self._denial and edge != "advcl":
                    statuses.add("denied")  # its claimant is the accuser, not the denier
                elif lemma in self._threat:
                    statuses.add("threatened")
                elif lemma in self._intent:
                    statuses.add("planned")
            if edge == "advcl" and since_clause(token):
                statuses.add("historical")
            if lemma == "be" and any(
                child.dep_ == "nsubj" and child.lemma_.casefold() in self._intent_nouns
                for child in head.children
            ):
                statuses.add("planned")  # "the aim is to defend ..."
            if edge != "advcl" and any(
                is_condition(child, self._future) for child in head.children
            ):
                statuses.add("conditional")
            if in_if_clause(head, self._future):
                statuses.add("conditional")
            token = head
        if "claimed" not in statuses:
            speaker = self.parenthetical_speaker(token)
            if speaker is not None and speaker.lemma_.casefold() not in self._factive:
                reported = True
                statuses.add("claimed")
                claimant = claimant or first(entity_ids(subjects_of(speaker), context))
        quoted = quote_speaker(found.head, context)
        if quoted is not None:
            reported = True
            statuses.add("claimed")
            claimant = claimant if charge is not None else quoted
        if not (reported or dated) and "claimed" not in statuses and past_perfect(found.anchor):
            # "M23 had seized Goma": told in the story's own voice, the past perfect sets the
            # act before the news; in reported speech it is only the tense moved back.
            statuses.add("historical")
        if "denied" in statuses and charge is None:
            claimant = None  # "Y denied shelling Z": no accuser named
        if (
            charge is None
            and "claimed" in statuses
            and (
                speech_setting(found, self._speech) or self.performative(found, quoted is not None)
            )
        ):
            # The setting of a saying ("told a cabinet meeting") is told in the story's own
            # voice; a speech act in the present ("we urge") is done by saying it.
            statuses.discard("claimed")
            claimant = None
        owner = credit_taker(found.head)
        if owner is not None and claimant is None:
            # The group that claims an attack is its claimant; the story may still assert it.
            claimant = first(entity_ids(subjects_of(owner), context))
        if background(found.head) or background(found.anchor):
            statuses.add("historical")  # "its earlier acquittal", "the anniversary of the strikes"
        if self.awaited(found.head):
            statuses.add("planned")  # "awaiting another trial", "considering sanctions"
        if self.halted(found.head):
            statuses -= {"planned", "threatened", "conditional"}  # "to cease their cooperation"
        return statuses, claimant

    def performative(self, found: Found, quoted: bool) -> bool:
        """True for a speech act told in the simple present by its doer, inside a quote or with
        "I" / "we" as its subject: "We urge Afghanistan to ...", "China calls on parties ...".
        The act is done by saying it."""
        verb = found.head
        if found.predicate.type not in _PERFORMATIVE_TYPES or verb.pos_ != "VERB":
            return False
        if verb.tag_ not in _PRESENT and not (verb.tag_ == "VB" and verb.dep_ == "conj"):
            return False
        if any(child.dep_ in {"aux", "neg"} for child in verb.children):
            return False
        first_person = any(
            subject.lower_ in _FIRST_PERSON for subject in subjects_of(verb) or [verb.head]
        )
        return quoted or first_person

    def awaited(self, noun: Token) -> bool:
        """True for an act a party awaits, considers or faces: still to come."""
        verb = noun.head
        if noun.pos_ not in {"NOUN", "PROPN"} or noun.dep_ != "dobj" or verb.pos_ != "VERB":
            return False
        lemma = verb.lemma_.casefold()
        if lemma == "face" and verb.tag_ in {"VBD", "VBN"}:
            return False  # "the town faced heavy shelling": it came
        return lemma in self._awaiting

    def halted(self, noun: Token) -> bool:
        """True for an act that something stops: "cease their cooperation", "an end to the
        fight", "the lifting of sanctions" (what is stopped is going on now)."""
        if noun.pos_ not in {"NOUN", "PROPN"}:
            return False
        holder = noun.head
        if noun.dep_ == "pobj" and holder.lower_ in {"to", "of"}:
            holder = holder.head
        elif noun.dep_ != "dobj":
            return False
        return holder is not noun and holder.lemma_.casefold() in self._halting

    def charge(self, head: Token) -> Token | None:
        """The accusing word that charges a party with the act ``head`` reports, if any:
        "accused Y of killing", "blamed Y for the attack", "blamed the attack on Y", "alleged
        that Y shelled", "the accusation that Y ...", "Y was accused of ...".
        """
        token = head
        for _ in range(6):
            edge, up = token.dep_, token.head
            if up is token:
                return None
            if self.accuses(up) and edge in _CHARGE_EDGES and token is not up:
                return up
            if edge == "prep" and token is not head and self.charges_by(token, up):
                return up
            # A phrase on a noun is part of what is charged ("involvement in the attack");
            # one on a verb is a circumstance ("getting weapons at Friday's meeting").
            in_noun = edge == "prep" and token is not head and up.pos_ != "VERB"
            if edge not in _CHARGE_CLIMB and not in_noun:
                return None
            token = up
        return None

    def charges_by(self, preposition: Token, word: Token) -> bool:
        """True when ``word`` charges its target with what ``preposition`` introduces:
        "accused Y of", "blamed Y for", "charged with", "sanctioned for"."""
        lower = preposition.lower_
        if lower in _CHARGE_PREPOSITIONS and self.accuses(word):
            return True
        return lower == "for" and word.pos_ == "VERB" and word.lemma_.casefold() in self._punishing

    def accuses(self, token: Token) -> bool:
        if token.pos_ == "NOUN" and token.dep_ == "pobj" and token.head.lower_ == "in":
            return False  # "the leader in charge of the coordination"
        return token.pos_ in {"VERB", "NOUN"} and token.lemma_.casefold() in self._accusation

    def accusers(self, charge: Token) -> list[Token]:
        """Who accuses: an accusing verb's subject (its agent, "by X", when passive); an
        accusation's possessor or "by" phrase, else the subject of the verb that makes it
        ("X leveled accusations"), unless that verb denies it."""
        agents = [
            grand
            for child in charge.children
            if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by")
            for grand in child.children
            if grand.dep_ == "pobj"
        ]
        if charge.pos_ == "VERB":
            return agents if is_passive(charge) else subjects_of(charge)
        agents += [  # "the allegations made by Pakistan"
            grand
            for child in charge.children
            if child.dep_ == "acl"
            for agent in child.children
            if agent.dep_ == "agent"
            for grand in agent.children
            if grand.dep_ == "pobj"
        ]
        owners = [child for child in charge.children if child.dep_ == "poss"]
        if owners or agents:
            return owners + agents
        verb = charge.head
        if (
            charge.dep_ == "dobj"
            and verb.pos_ == "VERB"
            and verb.lemma_.casefold() not in self._denial
        ):
            return subjects_of(verb)
        return []

    def blamed_party(self, act: Token) -> Token | None:
        """Whom "blamed the attacks on X" charges with the attacks: X."""
        verb = act.head
        if act.dep_ != "dobj" or verb.pos_ != "VERB" or not self.accuses(verb):
            return None
        # The parser often hangs "on X" on the act; only "blame" puts the charged party there.
        holders = (verb, act) if verb.lemma_.casefold() == _BLAME else (verb,)
        return next(
            (
                grand
                for holder in holders
                for child in holder.children
                if child.dep_ == "prep" and child.lower_ == "on"
                for grand in child.children
                if grand.dep_ == "pobj"
            ),
            None,
        )

    def denied_charge(self, charge: Token) -> bool:
        """True when the accusation is itself denied: "denied accusations of killing",
        "rejected the allegation that ..."."""
        return (
            charge.pos_ == "NOUN"
            and charge.dep_ == "dobj"
            and charge.head.lemma_.casefold() in self._denial
        )

    def own_status(self, verb: Token) -> set[str]:
        statuses: set[str] = set()
        for child in verb.children:
            word = child.lower_.replace("’", "'")
            negation = child.dep_ == "neg" or (child.dep_ == "advmod" and word == "never")
            if negation or (child.dep_ == "nsubj" and word in _NOBODY):
                statuses.add("negated")
            elif child.dep_ == "aux" and word in self._future | self._demand:
                statuses.add("planned")  # "will attack", "must withdraw": not done yet
            elif is_condition(child, self._future):
                statuses.add("conditional")
        return statuses

    def complement_status(self, head: Token, lemma: str, edge: str, token: Token) -> set[str]:
        """What the verb (or adjective) a "to" complement hangs on says of the complement."""
        if lemma in self._denial:
            return {"denied"}
        if lemma in self._refusal:
            return {"negated"}
        own = self.own_status(head)
        if lemma == "go" and head.tag_ == "VBG":
            return own | {"planned"}  # "going to"
        if lemma in self._threat:
            return own | {"threatened"}
        if lemma in self._attempt:
            return own
        if lemma in self._intent or lemma in self._awaiting or edge == "advcl":
            return own | {"planned"}  # "plans to meet", "is scheduled to travel"
        return own - {"planned"} if edge == "pcomp" else own

    def parenthetical_speaker(self, top: Token) -> Token | None:
        """ "But, he added, ..." or "..., the Taliban wrote": a speech verb beside the clause."""
        for child in top.children:
            if (
                child.dep_ in {"parataxis", "ccomp", "advcl"}
                and child.lemma_.casefold() in self._speech
                and not any(grand.dep_ in {"ccomp", "xcomp"} for grand in child.children)
            ):
                return child
        return None


def speech_setting(found: Found, speech: frozenset[str]) -> bool:
    """True for an event that sets a saying, not what is said: its audience ("told a cabinet
    meeting that ...") or its time and place ("speaking at a council meeting", "told media
    during a visit to Quetta")."""
    noun = found.head
    if noun.pos_ not in {"NOUN", "PROPN"}:
        return False
    verb = noun.head
    if noun.dep_ in {"dobj", "dative"}:
        return verb.lemma_.casefold() in _AUDIENCE_VERBS
    if noun.dep_ == "pobj" and verb.lower_ in _SETTING_PREPOSITIONS:
        return verb.head.pos_ == "VERB" and verb.head.lemma_.casefold() in speech | {"speak"}
    return False


def credit_taker(noun: Token) -> Token | None:
    """The verb by which a party claims ``noun`` as its own act: "al-Shabab claimed
    responsibility for the attack", "the BLA took credit for the attack"."""
    preposition = noun.head
    if noun.dep_ != "pobj" or preposition.lower_ != "for":
        return None
    credit = preposition.head
    if credit.lemma_.casefold() not in _CREDIT_NOUNS or credit.dep_ != "dobj":
        return None
    return credit.head if credit.head.pos_ == "VERB" else None


def background(token: Token) -> bool:
    """True for an act the words around it set before the news: "its earlier acquittal",
    "an earlier set of tariffs", "in past bilateral tensions, Ankara has threatened", "the 20th
    anniversary of the terrorist strikes", "the anniversary of the start of protests"."""
    if any(child.dep_ == "amod" and child.lower_ in _BEFORE_NOW for child in token.children):
        return True
    if token.pos_ == "VERB" and any(
        child.dep_ == "prep"
        and any(
            grand.dep_ == "pobj"
            and grand.lemma_.casefold() not in _SPANS  # "in the past month"
            and any(g.dep_ == "amod" and g.lower_ in _BEFORE_NOW for g in grand.children)
            for grand in child.children
        )
        for child in token.children
    ):
        return True
    noun = token
    for _ in range(2):
        if noun.dep_ != "pobj" or noun.head.lower_ != "of":
            return False
        noun = noun.head.head
        if noun.lemma_.casefold() == _ANNIVERSARY:
            return True
    return False


def has_to(token: Token) -> bool:
    return any(child.dep_ == "aux" and child.lower_ == "to" for child in token.children)


def headline_infinitive(verb: Token) -> bool:
    """True for a headline's bare "to" + verb that no other verb governs ("Pope to visit
    Iraq", "Leaders to meet and sign deal", "Report: PM to visit India"): the headline's way
    of saying "will"."""
    while verb.dep_ == "conj" and verb.head is not verb:
        verb = verb.head
    if not has_to(verb):
        return False
    return verb.dep_ == "ROOT" or verb.head.pos_ not in {"VERB", "AUX"}


def is_condition(token: Token, future: Collection[str] = ()) -> bool:
    """True for a condition clause below a verb: "if ...", "unless ...", or "until ..." under a
    future verb (one with an auxiliary of ``future``)."""
    return token.dep_ == "advcl" and in_if_clause(token, future)


def unless(verb: Token) -> bool:
    """ "X will withdraw unless Y ...": an intent on a condition the other side must meet."""
    return any(
        child.dep_ == "advcl"
        and any(grand.dep_ == "mark" and grand.lower_ == "unless" for grand in child.children)
        for child in verb.children
    )


def in_if_clause(token: Token, future: Collection[str] = ()) -> bool:
    """True for the verb of a condition clause: marked "if" or "unless", or "until" when the
    clause it hangs on is future ("attacks will continue until a ceasefire is imposed")."""
    for child in token.children:
        if child.dep_ != "mark":
            continue
        if child.lower_ in _CONDITIONAL_MARKS:
            return True
        if child.lower_ == _UNTIL and token.dep_ == "advcl" and is_future(token.head, future):
            return True
    return False


def marked(clause: Token) -> bool:
    """True for a clause its conjunction subordinates ("since ...", "after ...", "because ..."):
    a circumstance of the clause above it, never what that clause reports."""
    return any(child.dep_ == "mark" for child in clause.children)


def is_future(verb: Token, future: Collection[str]) -> bool:
    return any(
        child.dep_ == "aux" and child.lower_.replace("’", "'") in future for child in verb.children
    )


def since_clause(token: Token) -> bool:
    """True for an act told as the start of a span that runs to the news: "since the siege
    began in May 2024" (a clause marked "since"), "since the 2021 coup" (its object)."""
    if token.dep_ == "advcl" and any(
        child.dep_ == "mark" and child.lower_ == "since" for child in token.children
    ):
        return not any(child.dep_ == "aux" for child in token.children)  # not "since X has"
    return token.dep_ == "pobj" and token.head.lower_ == "since"


def past_perfect(verb: Token) -> bool:
    """ "had seized", "had been killed": an act set before the time the story tells."""
    return (
        verb.tag_ == "VBN"
        and any(child.dep_ == "aux" and child.lower_ in {"had", "'d"} for child in verb.children)
        and not any(child.lower_ in _LATELY for child in verb.children)
    )


def quote_speaker(token: Token, context: EventContext) -> str | None:
    for quote in context.quotes:
        if quote.speaker and quote.content.start <= token.idx < quote.content.end:
            return quote.speaker
    return None


def first(items: tuple[str, ...]) -> str | None:
    return items[0] if items else None

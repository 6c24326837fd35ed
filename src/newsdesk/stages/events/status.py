"""Status: whether an event happened, and who says so.

In order of precedence: ``denied`` ("denied attacking"), ``negated`` ("did not attack", the
action someone refused or failed to do), ``conditional`` (a main clause with an "if" clause, or
the "if" clause itself), ``threatened`` ("threatened to attack"), ``planned`` ("will", "going
to", "want to", a purpose "to" clause), ``historical`` (its own date two or more years before
publication), ``claimed`` (under a speech verb or inside a quote; ``claimed_by`` is the speaker),
else ``occurred``. A headline's bare "to" + verb ("Pope to visit Iraq") is planned.

:class:`StatusReader` reads the statuses the parse gives from the lexicon's word lists; the
coder adds ``historical`` from the event's date and picks the first by :func:`most_telling`.
"""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Token

from newsdesk.data.event_lexicon import EventLexicon
from newsdesk.stages.events.actors import entity_ids, subjects_of
from newsdesk.stages.events.context import EventContext, Found

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
        self._intent = words("intent_verbs")
        self._attempt = words("attempt_verbs")
        self._refusal = words("refusal_verbs")
        self._denial = words("denial_verbs")
        self._threat = words("threat_verbs")
        self._future = words("future_markers")
        self._intent_nouns = words("intent_nouns")
        self._demand = words("demand_modals")

    def status(self, found: Found, context: EventContext) -> tuple[set[str], str | None]:
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
            claimant = first(entity_ids(subjects_of(token), context))
            statuses.add("claimed")
        statuses |= self.own_status(token)
        if context.in_title(token.idx) and headline_infinitive(token):
            statuses.add("planned")  # "Pope to visit Iraq": a headline's "to" is its future
        if in_if_clause(token):
            statuses.add("conditional")
        while token.dep_ in _CLIMB_EDGES and token.head is not token:
            edge, head = token.dep_, token.head
            lemma = head.lemma_.casefold()
            if edge == "conj":
                token = head
                continue
            if edge in {"xcomp", "acomp", "pcomp"} or (edge == "advcl" and has_to(token)):
                statuses |= self.complement_status(head, lemma, edge, token)
                if lemma in self._denial:
                    claimant = claimant or first(entity_ids(subjects_of(head), context))
            elif edge in {"ccomp", "parataxis", "advcl"}:
                if lemma in self._speech and claimant is None and "claimed" not in statuses:
                    statuses.add("claimed")
                    claimant = first(entity_ids(subjects_of(head), context))
                elif lemma in self._denial:
                    statuses.add("denied")
                    claimant = claimant or first(entity_ids(subjects_of(head), context))
                elif lemma in self._threat:
                    statuses.add("threatened")
                elif lemma in self._intent:
                    statuses.add("planned")
            if lemma == "be" and any(
                child.dep_ == "nsubj" and child.lemma_.casefold() in self._intent_nouns
                for child in head.children
            ):
                statuses.add("planned")  # "the aim is to defend ..."
            if edge != "advcl" and any(is_condition(child) for child in head.children):
                statuses.add("conditional")
            if in_if_clause(head):
                statuses.add("conditional")
            token = head
        if "claimed" not in statuses:
            speaker = self.parenthetical_speaker(token)
            if speaker is not None:
                statuses.add("claimed")
                claimant = first(entity_ids(subjects_of(speaker), context))
        quoted = quote_speaker(found.head, context)
        if quoted is not None:
            statuses.add("claimed")
            claimant = quoted
        return statuses, claimant

    def own_status(self, verb: Token) -> set[str]:
        statuses: set[str] = set()
        for child in verb.children:
            word = child.lower_.replace("’", "'")
            negation = child.dep_ == "neg" or (child.dep_ == "advmod" and word == "never")
            if negation or (child.dep_ == "nsubj" and word in _NOBODY):
                statuses.add("negated")
            elif child.dep_ == "aux" and word in self._future | self._demand:
                statuses.add("planned")  # "will attack", "must withdraw": not done yet
            elif is_condition(child):
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
        if lemma in self._intent or edge == "advcl":
            return own | {"planned"}
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


def is_condition(token: Token) -> bool:
    return token.dep_ == "advcl" and any(
        child.dep_ == "mark" and child.lower_ in _CONDITIONAL_MARKS for child in token.children
    )


def unless(verb: Token) -> bool:
    """ "X will withdraw unless Y ...": an intent on a condition the other side must meet."""
    return any(
        child.dep_ == "advcl"
        and any(grand.dep_ == "mark" and grand.lower_ == "unless" for grand in child.children)
        for child in verb.children
    )


def in_if_clause(token: Token) -> bool:
    return any(
        child.dep_ == "mark" and child.lower_ in _CONDITIONAL_MARKS for child in token.children
    )


def quote_speaker(token: Token, context: EventContext) -> str | None:
    for quote in context.quotes:
        if quote.speaker and quote.content.start <= token.idx < quote.content.end:
            return quote.speaker
    return None


def first(items: tuple[str, ...]) -> str | None:
    return items[0] if items else None

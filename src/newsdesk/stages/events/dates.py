"""When an event happened, and whether it is background.

An event takes the date of the time expression that governs it: the nearest one inside its own
clause (not a span that runs to the news: "killed since 2009", "detained over the past two weeks"
have no date; not a time that only modifies another noun: "accused of the 2004 bombing"; not one of
a list of times: "interviews in November and January"), else the time a ", when" clause follows
("since 2011, when the government sent soldiers": the span's start, 2011), else the time of the
clause it is an argument, a complement, a "when" clause or a participle of ("On Thursday, the army
agreed to withdraw", "attacked a train Tuesday, taking many hostages"), never the time of a
relative, marked adverbial or reported clause's governor (a time of the saying is not the time of
what is said; "after X attacked" is not dated by its main clause). An event whose sentence gives it
no date takes the publication day with precision ``published`` (the text gives none); a historical
event never does (its date is None then).

An event is historical by its date when its own time ends more than four weeks before
publication: the news a report tells is of its last days, and events of the last few weeks told
as context stay current.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.tokens import Token

from newsdesk.dates import days, end_year, start_year
from newsdesk.records import TimeExpression
from newsdesk.stages.events.context import EventContext, Found, clause_of, numbers_in

PUBLISHED = "published"
"""``Event.date_precision`` of a date that is only the publication day."""
_RECENT = timedelta(weeks=4)
# A week or a decade is historical when it ends two or more years before publication.
_HISTORICAL_YEARS = 2
# Edges an event's word climbs to the clause whose time it shares: it is that clause's argument
# ("attacks" of "continued"), object of its preposition, coordinated with it, or its complement.
# Conjunctions of a clause that happened at (or before) the time of the clause it hangs on.
_CIRCUMSTANCE_MARKS = frozenset({"after", "as", "while", "when"})
# A time before a noun it modifies ("the 2004 bombing") dates that noun.
_PRENOMINAL = frozenset({"compound", "amod", "nummod", "poss", "npadvmod", "nmod"})
# "the past two weeks", "over the last five years", "within the next two years".
_STRETCH = re.compile(
    r"(?:(?:in|over|during|within|for|throughout) )?the (?:past|last|next|coming) "
)
_SHARING_EDGES = frozenset(
    {"conj", "xcomp", "nsubj", "nsubjpass", "dobj", "pobj", "prep", "pcomp", "attr", "appos"}
)


def nearest_time(
    head: Token, clause: frozenset[int], context: EventContext
) -> TimeExpression | None:
    """The time expression inside the event's clause nearest its predicate; a time that only
    modifies another noun of the clause ("accused of the 2004 bombing") dates that noun."""
    inside = [
        context.times[number]
        for number in numbers_in(clause, context.times_at)
        if not _dates_another_noun(context.times[number][1], head, context)
        and not _runs_to_the_news(context.times[number], context)
        and not _listed(context.times[number][1], context)
    ]
    if not inside:
        return None
    return min(inside, key=lambda item: min(abs(i - head.i) for i in item[1]))[0]


def _listed(tokens: frozenset[int], context: EventContext) -> bool:
    """True for a time coordinated with another ("interviews in November and January"): a
    list of moments dates no one act."""
    for i in tokens:
        token = context.doc[i]
        linked = [token.head] if token.dep_ == "conj" else []
        linked += [child for child in token.children if child.dep_ == "conj"]
        if any(other.i not in tokens and other.i in context.times_at for other in linked):
            return True
    return False


def _runs_to_the_news(time: tuple[TimeExpression, frozenset[int]], context: EventContext) -> bool:
    """True for a span that runs to the news: "since 2009" or "the past two weeks" ("have
    arrested 2,400 people over the last couple of weeks"): it dates no act of the span."""
    return _since(time, context) or _STRETCH.match(time[0].text.casefold()) is not None


def _since(time: tuple[TimeExpression, frozenset[int]], context: EventContext) -> bool:
    """True for the start of a span that runs to the news ("have been killed since 2009",
    "in custody since Feb. 24"): it dates no act of the span."""
    expression, tokens = time
    first = min(tokens, default=0)
    return expression.text.casefold().startswith("since") or (
        first > 0 and context.doc[first - 1].lower_ == "since"
    )


def _dates_another_noun(tokens: frozenset[int], head: Token, context: EventContext) -> bool:
    """True for a time before a noun other than ``head`` that it modifies ("the 2004 bombing",
    "Tuesday's announcement")."""
    doc = context.doc
    for i in tokens:
        token = doc[i]
        if token.head.i in tokens:
            continue
        return (
            token.dep_ in _PRENOMINAL
            and token.head.pos_ == "NOUN"  # a name it stands before is a misparse
            and token.head.i != head.i
            and token.i < token.head.i
        )
    return False


def governing_time(
    found: Found, clause: frozenset[int], context: EventContext
) -> TimeExpression | None:
    """The time that governs the event: its own clause's, else the time a ", when" clause
    follows ("since 2011, when the government sent soldiers"), else the clause's it is an
    argument or a complement of (see the module's docstring); None when its sentence gives
    none."""
    # The light verb's clause is the event's too ("This week sees more meetings").
    clause = clause | clause_of((found.anchor,))
    own = nearest_time(found.head, clause, context)
    if own is not None:
        return own
    token = found.anchor
    seen = set(clause)
    while True:
        when = _time_before_when(token, context)
        if when is not None:
            return when
        if not _shares_time(token) or token.head is token:
            return _time_of_a_verbless_root(found, context)
        token = token.head
        if token.pos_ not in {"VERB", "AUX"} or token.i in seen:
            continue
        upper = clause_of((token,)) - seen
        seen |= upper
        time = nearest_time(token, upper, context)
        if time is not None:
            return time


def _time_of_a_verbless_root(found: Found, context: EventContext) -> TimeExpression | None:
    """The sentence's time when the parser made a noun its root and hung the real predicates
    under it as participles ("Also Monday, hundreds of people, many waving flags, massed
    ..."; "More recent talks ... officially failed last week"): the time of that one clause,
    read through participles and coordinated verbs, never through a relative, reported or
    marked clause."""
    root = found.anchor.sent.root
    if root.pos_ not in {"NOUN", "PROPN"}:
        return None
    tokens: set[int] = set()
    stack = [root]
    while stack:
        token = stack.pop()
        if token.i in tokens:
            continue
        tokens.add(token.i)
        for child in token.children:
            if child.dep_ in {"relcl", "ccomp", "parataxis", "csubj", "advcl"}:
                continue
            stack.append(child)
    if found.anchor.i not in tokens or found.head.i not in tokens:
        return None
    # A time before the root noun ("Also Monday, hundreds ...") is the sentence's, not the noun's.
    inside = [
        context.times[number]
        for number in numbers_in(frozenset(tokens), context.times_at)
        if not _runs_to_the_news(context.times[number], context)
        and (
            not _dates_another_noun(context.times[number][1], found.head, context)
            or any(context.doc[i].head.i == root.i for i in context.times[number][1])
        )
    ]
    if not inside:
        return None
    return min(inside, key=lambda item: min(abs(i - found.head.i) for i in item[1]))[0]


def _shares_time(token: Token) -> bool:
    """True when ``token`` takes the time of its head: an argument, a coordinated or
    complement verb, a participle beside its clause ("attacked a train Tuesday, taking many
    hostages") or a "when" clause ("in 2013 when rebels seized power")."""
    if token.dep_ in _SHARING_EDGES:
        return True
    if token.dep_ != "advcl":
        return False
    marks = {child.lower_ for child in token.children if child.dep_ in {"mark", "advmod"}}
    return "when" in marks or (not marks and token.tag_ == "VBG")


def _time_before_when(verb: Token, context: EventContext) -> TimeExpression | None:
    """The time right before the verb's "when" (", when"): the clause says what happened
    then."""
    when = next(
        (child for child in verb.children if child.dep_ == "advmod" and child.lower_ == "when"),
        None,
    )
    if when is None:
        return None
    before = when.i - 1
    while before >= 0 and context.doc[before].is_punct:
        before -= 1
    numbers = context.times_at.get(before, ())
    if not numbers:
        return None
    time = context.times[numbers[0]]
    if _since(time, context) and time[0].value is not None:
        # "since 2011, when the government sent soldiers": the clause is the span's start.
        return time[0].model_copy(update={"value": time[0].value.split("/")[0]})
    return time[0]


def places_in_the_past(found: Found, clause: frozenset[int], context: EventContext) -> bool:
    """True when the sentence sets the event, though it gives it no date, well before the news:
    the start of a span years back ("Since 2009, hundreds have been killed"), or the old date of
    the clause its "after", "as", "while" or "when" clause hangs on ("Relations soured in 2010
    after commandos stormed the ship")."""
    published = context.published
    if published is None:
        return False
    for number in numbers_in(clause, context.times_at):
        start = context.times[number]
        # "since 2009" is valued 2009 to publication: the span began in its first year.
        begun = start_year(start[0].value) if start[0].value else None
        if _since(start, context) and begun is not None:
            return begun <= published.year - _HISTORICAL_YEARS
    token = found.anchor
    while token.dep_ in {"conj", "xcomp"} and token.head is not token:
        token = token.head
    marks = {child.lower_ for child in token.children if child.dep_ in {"mark", "advmod"}}
    if token.dep_ != "advcl" or not marks & _CIRCUMSTANCE_MARKS:
        return False
    head = token.head
    time = nearest_time(head, clause_of((head,)), context)
    return time is not None and is_historical(time, published)


def is_historical(time: TimeExpression, published: date | None) -> bool:
    """True when the event's own date ends more than four weeks before publication (a week or
    a decade, which the notation's day reader does not cover: two or more years before)."""
    if time.value is None or published is None:
        return False
    if time.text.casefold().startswith("since") and "/" in time.value:
        return False  # "since February 1": a span that runs to the news
    span = days(time.value)
    if span is not None:
        return date.fromordinal(span[1]) < published - _RECENT
    last = end_year(time.value)
    return last is not None and last <= published.year - _HISTORICAL_YEARS


def event_date(
    time: TimeExpression | None, published: date | None, *, historical: bool = False
) -> tuple[str | None, str | None]:
    """The event's date and precision: its own time, else the publication day (precision
    ``published``) unless it is historical."""
    if time is not None and time.value is not None:
        return time.value, time.precision
    if published is not None and not historical:
        return published.isoformat(), PUBLISHED
    return None, None

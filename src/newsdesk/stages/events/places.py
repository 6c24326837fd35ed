"""Where an event happened, for the events stage: the place its predicate's phrases, clause or
sentence name, and the place it shares with the event it happened during.

A place named after a locative preposition on the predicate ("in", "near", "towards"; "from"
only for a withdrawal), the most specific one of that phrase ("the village of X in the
countryside of Y" is X); else the one inside the predicate's clause nearest the trigger that is
not an actor; else the sentence's only place. A toponym that only qualifies a noun ("the Syrian
army", "U.S. forces") is an affiliation, never the place; nor is one in the source of the report
("according to officials in X"), one acting in a clause of its own ("as X weighed plans") or,
for the last resort, one in a relative clause about a noun. An event with no place of its own
told during another ("killed during the shelling of X") has that event's place.

An act done on the ground that the story tells with no place of its own, after its mentions
are linked (:mod:`newsdesk.stages.events.incidents`), took place where the report is: an act
of the kind of the report's lead incident ("Gunmen stormed a hotel in X" ... "the gunmen
killed 5"), done rather than planned or long past, at the lead incident's place; any other, in
the country of a report about one country (one that holds most of the places it names: "the
military removed Bashir and jailed him" in a report on Sudan). A statement, a demand or a deal
may be made anywhere and keeps no place the story does not give it.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from newsdesk.records import Event, Place
from newsdesk.stages.events.context import EventContext, Found, Tree, clause_of, expand
from newsdesk.stages.evidence import sentence_of

_SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_LOCATIVES = frozenset(
    {"in", "at", "near", "outside", "inside", "around", "across", "into", "towards", "toward"}
    | {"to", "within", "throughout", "along", "over", "through", "from"}
)
# Clauses that give an event's circumstances ("killed when a bomb went off near X", "shot
# while filming in X"): where they happen is where the event did, when its own clause is silent.
_CIRCUMSTANCE_EDGES = frozenset({"advcl"})
# Prepositions that put an event inside another: "killed during clashes", "died in the attack".
_OCCASION_PREPS = frozenset({"during", "in", "amid", "amidst"})
_ASIDE_EDGES = frozenset({"relcl", "ccomp", "advcl", "parataxis", "csubj"})
# Acts done on the ground (PLOVER's material acts of conflict): where a story tells one with no
# place, it happened where the story is. A statement, demand, deal or sanction may be made
# anywhere, and a diplomatic event has a place only when the story gives one.
_ON_THE_GROUND = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "RETREAT"})
# Statuses of an act of the lead incident's occasion: not planned, threatened or long past.
_DONE = frozenset({"occurred", "claimed", "alleged"})
# A report is about one country when at least this share of the places it names lie in it (a
# report on a Kabul bombing names Washington and Doha too); below it, it is about several.
_ONE_COUNTRY_SHARE = 0.6
_COUNTRY_PRECISION = 4


def place_of(
    found: Found,
    clause: frozenset[int],
    actors: set[int],
    targets: Sequence[Token],
    sent: Span,
    context: EventContext,
    *,
    sites: frozenset[str],
) -> int | None:
    doc = context.doc
    # "from X" is where the actors came from, except for a withdrawal ("pulled out of X").
    retreat = found.predicate.type == "RETREAT"
    preps = _LOCATIVES if retreat else _LOCATIVES - {"from"}
    tree = _tree(context)
    located = {
        i
        for i in _places_of(sent, tree, context)
        if sent.start <= i < sent.end
        and (kept := _kept_place(i, tree, context, sites))[0]
        and (retreat or kept[1])
        and not _in_source_aside(i, found, sent, tree, doc)
    }
    # A place struck, taken or entered is where it happened, and names it more finely than a
    # phrase beside it ("captured X in Y province", "in Y, shelled the villages of X").
    forceful = found.predicate.type in {"ASSAULT", "COERCE", "MOBILIZE"}
    for target in targets if forceful else ():
        if "nsubj" in {target.dep_, target.head.dep_}:
            continue  # "X and Y clashed": the parties, each the other's target
        phrase = {word.i for word in expand([target])}  # "the villages of X and Y"
        named = [
            token
            for word in expand([target])
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
            return _most_specific([doc[i] for i in inside], found.head, context)
    if _told_about_a_noun(found):
        return None  # "a group not covered by the ceasefire": the sentence is not where it was
    others = [
        i for i in located if i not in actors and not _in_relative_clause(i, found, sent, tree, doc)
    ]
    in_sentence = {context.place_at[i] for i in others}
    if len(in_sentence) == 1:
        return in_sentence.pop()
    # A sentence that names one location, however finely ("the town of X in the countryside of
    # Y"), says where its events are: the most specific place of that phrase.
    heads = [_phrase_head(doc[i], context, sites) for i in others]
    first = min(tree.enter[i] for i in others) if others else 0
    last = max(tree.enter[i] for i in others) if others else 0
    # A phrase holds every place when it holds the first and the last of them in preorder.
    tops = [head for head in heads if tree.enter[head.i] <= first and last < tree.leave[head.i]]
    return _most_specific([doc[i] for i in others], tops[0], context) if tops else None


def _told_about_a_noun(found: Found) -> bool:
    """True for a nominal event that is an argument of a clause describing a noun ("a group
    not covered by the ceasefire", "fighters who fled the siege"): the rest of its sentence
    tells where something else is."""
    token = found.head
    if token.pos_ in {"VERB", "AUX"}:
        return False
    verb = token.head.head if token.dep_ == "pobj" else token.head
    return token.dep_ in {"pobj", "dobj", "nsubjpass"} and verb.dep_ in {"acl", "relcl"}


def _in_source_aside(i: int, found: Found, sent: Span, tree: Tree, doc: Doc) -> bool:
    """True for a word of the sentence that says nothing of where the event was: inside the
    source of the report ("according to a statement from X") or a name that acts in a clause
    of its own ("as X weighed plans"). Such an aside is a word of the sentence whose phrase
    does not hold the event's own words; the nearest one above ``i`` decides, as one above
    it holds all it holds."""
    head, anchor = found.head.i, found.anchor.i
    top = tree.source[i]
    while top >= 0:
        if sent.start <= top < sent.end:
            if tree.holds(top, head) or tree.holds(top, anchor):
                return False  # so does every word above it
            word = doc[top]
            if word.dep_ != "nsubj" or word.head.i not in {head, anchor}:
                return True
        parent = doc[top].head.i
        top = tree.source[parent] if parent != top else -1
    return False


def _in_relative_clause(i: int, found: Found, sent: Span, tree: Tree, doc: Doc) -> bool:
    """True for a word inside a relative clause about a noun ("troops, which have bases in
    X"), not one holding the event's own words: such a place may still say where the event's
    own parties were, so it is set apart only at the end."""
    top = tree.relative[i]
    while top >= 0:
        if sent.start <= top < sent.end:
            return not (tree.holds(top, found.head.i) or tree.holds(top, found.anchor.i))
        parent = doc[top].head.i
        top = tree.relative[parent] if parent != top else -1
    return False


def _kept_place(
    i: int, tree: Tree, context: EventContext, sites: frozenset[str]
) -> tuple[bool, bool]:
    """Whether the place token may say where an event of its sentence was (not an anchor of
    another place, not a mere affiliation), and whether it does so but for a withdrawal (not
    "from X"): the same for every event, so read once per token."""
    kept = tree.kept.get(i)
    if kept is None:
        doc = context.doc
        kept = (
            i not in context.anchors and not _is_affiliation(doc[i], context, sites),
            _place_head(doc[i], context).head.lower_ != "from",
        )
        tree.kept[i] = kept
    return kept


def _places_of(sent: Span, tree: Tree, context: EventContext) -> Sequence[int]:
    """The place tokens of a sentence of the Doc, in the order ``place_at`` holds them; every
    place token for a span that is no sentence of the Doc."""
    number = sentence_of(tree.sentence_starts, sent.start)
    starts = tree.sentence_starts
    ends = number + 1 < len(starts) and starts[number + 1] == sent.end
    if number >= 0 and starts[number] == sent.start and (ends or sent.end == len(sent.doc)):
        return tree.places_in.get(number, [])
    return list(context.place_at)


def _tree(context: EventContext) -> Tree:
    """The Doc's parse read once (see :class:`Tree`), kept on the context."""
    if context.tree is not None:
        return context.tree
    doc = context.doc
    size = len(doc)
    enter, leave = [0] * size, [0] * size
    source, relative = [-1] * size, [-1] * size
    clock = 0
    for root in (token for token in doc if token.head.i == token.i):
        stack: list[tuple[Token, bool]] = [(root, False)]
        while stack:
            token, done = stack.pop()
            i = token.i
            if done:
                leave[i] = clock
                continue
            enter[i] = clock
            clock += 1
            parent = token.head.i
            above_source = source[parent] if parent != i else -1
            above_relative = relative[parent] if parent != i else -1
            if token.dep_ == "relcl":
                relative[i], source[i] = i, above_source
            elif (token.lower_ == "according" and token.dep_ == "prep") or token.dep_ == "nsubj":
                relative[i], source[i] = above_relative, i
            else:
                relative[i], source[i] = above_relative, above_source
            stack.append((token, True))
            stack.extend((child, False) for child in reversed(list(token.children)))
    sentence_starts = [sent.start for sent in doc.sents]
    places_in: dict[int, list[int]] = {}
    for i in context.place_at:
        places_in.setdefault(sentence_of(sentence_starts, i), []).append(i)
    context.tree = Tree(enter, leave, source, relative, sentence_starts, places_in)
    return context.tree


def share_places(coded: Sequence[tuple[Found, Event]]) -> list[Event]:
    """Give an event with no place of its own the place of the event it happened during or in
    ("killed during the shelling of X", "died in clashes near Y")."""
    placed = {found.head.i: event.place for found, event in coded if event.place is not None}
    events = []
    for found, event in coded:
        if event.place is None:
            occasions = (
                i
                for word in (found.head, found.anchor)
                for child in word.children
                if child.dep_ == "prep" and child.lower_ in _OCCASION_PREPS
                for i in _phrase(child)
            )
            occasion = next((i for i in occasions if i in placed), None)
            if occasion is not None:
                event = event.model_copy(update={"place": placed[occasion]})
        events.append(event)
    return events


def place_by_report(events: Sequence[Event], context: EventContext) -> tuple[Event, ...]:
    """``events`` with a place for each act on the ground that has none of its own: the lead
    incident's place for an act of its kind done on its occasion, else the country of a report
    about one country (pure: returns new records; run after linking, so that a mention takes
    the place its real event's other mentions give first). Only the rest of the report says
    so: what the event's own sentence names, the sentence's place finder has judged already
    ("Syrian forces captured the town", "as Nigeria weighed its response")."""
    lead = _lead_incident(events, context)
    named = _countries_named(context)
    result = []
    for event in events:
        place: int | None = None
        sentence = event.evidence.sentence
        if event.place is None and event.type in _ON_THE_GROUND:
            if (
                lead is not None
                and event.type == lead.type
                and event.status in _DONE
                and sentence != lead.evidence.sentence
            ):
                place = lead.place
            elif (country := _report_country(named, sentence, context)) is not None:
                place = None if _acts_beside(event, country, context) else country
        result.append(event if place is None else event.model_copy(update={"place": place}))
    return tuple(result)


def _lead_incident(events: Sequence[Event], context: EventContext) -> Event | None:
    """The first act on the ground the body tells, when it is done and names its place: the
    incident the report is written about ("Gunmen stormed a hotel in the Somali city of X")."""
    body = [
        event
        for event in events
        if not event.headline and not context.in_title(event.trigger.start)
    ]
    first = min(
        (event for event in body if event.type in _ON_THE_GROUND),
        key=lambda event: event.trigger.start,
        default=None,
    )
    if first is None or first.place is None or first.status not in _DONE:
        return None
    return first


def _countries_named(context: EventContext) -> dict[int | None, dict[str, int]]:
    """How many times the body names a place of each country, by sentence (None for a
    mention outside the sentences, such as a dateline)."""
    named: dict[int | None, dict[str, int]] = {}
    for place in context.places:
        if place.country is None:
            continue
        for mention in place.mentions:
            # A demonym tells whose people act ("Russian forces"), not whose land the report is
            # about; an organisation's home ("the Kenya Defence Forces") counts as named.
            if mention.role != "demonym" and not context.in_title(mention.start):
                counts = named.setdefault(mention.sentence, {})
                counts[place.country] = counts.get(place.country, 0) + 1
    return named


def _report_country(
    named: dict[int | None, dict[str, int]], sentence: int | None, context: EventContext
) -> int | None:
    """The country (its index in the article's places) that holds most of the places the
    body names outside ``sentence``, counted by mention, when the body names that country
    itself there; None for a report about several countries."""
    counts: dict[str, int] = {}
    for at, found in named.items():
        if at is None or at != sentence:
            for code, number in found.items():
                counts[code] = counts.get(code, 0) + number
    total = sum(counts.values())
    if not total:
        return None
    code = max(counts, key=lambda country: counts[country])
    if counts[code] < _ONE_COUNTRY_SHARE * total:
        return None
    return next(
        (
            index
            for index, place in enumerate(context.places)
            if _is_country(place, code)
            and any(
                not context.in_title(mention.start)
                and mention.sentence != sentence
                and mention.role not in {"in_name", "demonym"}  # whose, not where
                for mention in place.mentions
            )
        ),
        None,
    )


def _acts_beside(event: Event, index: int, context: EventContext) -> bool:
    """True when the event's sentence names the place as the subject of a verb of its own
    ("Rebels captured the airport as Nigeria weighed its response"): a country that acts
    beside the event is a party looking on, and the event may well be abroad."""
    doc = context.doc
    trigger = doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    if trigger is None or not len(trigger):
        return False
    sent, root = trigger.root.sent, trigger.root
    for mention in context.places[index].mentions:
        span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
        if span is None or not len(span) or span.root.sent != sent:
            continue
        head = span.root
        if head.dep_ in _SUBJECTS and head.head.i != root.i:
            return True
    return False


def _is_country(place: Place, code: str) -> bool:
    return place.country == code and place.precision == _COUNTRY_PRECISION


def _phrase(top: Token) -> list[int]:
    """The tokens of the phrase under ``top``, without the relative clauses and reported words
    inside it; "the shelling of X" and "attempts to break the siege" stay in."""
    tokens, stack = [], [top]
    while stack:
        token = stack.pop()
        tokens.append(token.i)
        stack.extend(child for child in token.children if child.dep_ not in _ASIDE_EDGES)
    return sorted(tokens)


def _place_head(token: Token, context: EventContext) -> Token:
    """The head word of the place mention that ``token`` is part of."""
    index = context.place_at[token.i]
    while token.head.i != token.i and context.place_at.get(token.head.i) == index:
        token = token.head
    return token


def _is_affiliation(token: Token, context: EventContext, sites: frozenset[str]) -> bool:
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


def _phrase_head(token: Token, context: EventContext, sites: frozenset[str]) -> Token:
    """The noun phrase a place names: "X" itself, "X town", "the village of X"."""
    token = _place_head(token, context)
    if token.dep_ in {"compound", "nmod"} and token.head.lemma_.casefold() in sites:
        return token.head
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.casefold() in sites:
        return head.head
    return token


def _partners(found: Found) -> frozenset[int]:
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
        tokens |= clause_of((partner,))
    return frozenset(tokens)


def _circumstances(found: Found) -> frozenset[int]:
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


def _most_specific(tokens: list[Token], top: Token, context: EventContext) -> int:
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
            if (
                token.dep_ == "compound"
                and token.head.pos_ == "NOUN"
                and token.head.i not in context.place_at
                and not any(c.dep_ == "prep" and c.lower_ == "of" for c in token.head.children)
            ):
                token = token.head  # "the X neighbourhood": X names the neighbourhood
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

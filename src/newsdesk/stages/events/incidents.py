"""One incident, one real event: the mentions of one real event in an article are linked.

A story tells one incident in several predicates and several sentences: "Gunmen attacked the
village, killing 12 and wounding 30" is one attack, and "the attack", "the killings" later in
the story are that attack again. Each predicate stays an event (a reader, and the gold, count
every mention), but a mention that tells an event again names the first mention of it in
``Event.same_as``, so the real event is counted once.

Two mentions are linked when:

- **one incident**: a killing or wounding (a ``[casualty_verbs]`` word of the lexicon) hangs in
  the parse from a violent act of the same sentence, or holds it as its subject or object
  ("gunmen attacked the village, killing 12"; "an airstrike killed 5 people and injured 9"; "the
  bombing that killed nine soldiers"). Its quantities are added to the act's, which keeps its
  trigger: the event has several tolls. A casualty verb in the next sentence with no violent
  act and no actor of its own ("Another 10 were wounded") tells the same incident. Two violent
  acts in one sentence ("X shelled A, and Y bombed B") stay two events;
- **the same real event told again**, anywhere in the article: the same PLOVER type; statuses of
  one kind (done or said to be done, still to come, not done, long past); sources, and targets,
  that share an entity or where one side names none; places that one can hold (the test the
  corpus uses across articles, :func:`newsdesk.same_event.same_place`); dates that meet; and a
  sign that the later mention refers back: a party in common (a generic one, "gunmen", only
  at the same place), or a definite noun ("the attack", "Tuesday's talks", "the killings"), or
  an act told as going on now ("we can still hear gunfire", "the militants are still
  fighting": a witness describes the attack under way, not another one).
  Among the earlier events that qualify, one with a party in common comes first, then one told
  by the same word ("the meeting" after "a meeting"), then the nearest.

Linked mentions share what the story says of the real event anywhere (the VOA guide: "a lead
sentence gets the date told later"): a mention with no date of its own (``date_precision``
"published" or None) takes the most precise date another mention states; one with no place takes
the most precise place told in another sentence (inside one sentence the places stage has
decided already); a ``claimed`` mention becomes ``occurred`` when another mention asserts
the event in the story's own voice (occurred, outside any quote); a mention telling again a
dated background event ("the attack" after "the 2004 bombing") is background too. An undated
follow-up of the lead's incident (the lead event's type, done or said to be done) takes the
lead's day: a report gives the day once, in its lead. Parties are not shared: a
mention's source and target are those its own sentence names (or refers to), and a party
copied from another sentence was more often wrong than right on the VOA gold (source accuracy
0.596 -> 0.573 when they were).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from newsdesk.dates import days
from newsdesk.records import Event, Place, Quantity
from newsdesk.same_event import intervals_meet, same_place
from newsdesk.stages.events.context import CLAUSE_EDGES, EventContext
from newsdesk.stages.events.dates import PUBLISHED

__all__ = ["link_mentions"]

_DONE = frozenset({"occurred", "claimed", "alleged"})
_TO_COME = frozenset({"planned", "threatened", "conditional"})
_NOT_DONE = frozenset({"denied", "negated"})
_KINDS = (_DONE, _TO_COME, _NOT_DONE, frozenset({"historical"}))
_VIOLENT = "ASSAULT"
# Statuses of an event the story tells as done (in its voice or a source's) this week.
_TOLD = frozenset({"occurred", "claimed"})
# Dates a story gives one event may differ by a day ("late Thursday", "early Friday").
_WINDOW_DAYS = 1
# Two places of one event: a town and a village beside it, not two towns of a province.
_NEAR_KM = 25.0
# The most precise first; a date the text does not give ("published") is not stated.
_PRECISION = {"day": 0, "week": 1, "month": 2, "year": 3, "decade": 4}
# Words before an event noun that point back at an event already told.
_DEFINITE = frozenset({"the", "this", "that", "these", "those"})
# Edges by which an attack holds the toll's verb ("the attack killed 12", "killed in a raid").
# Words that tell an act as going on now: "still fighting", "ongoing gunfire".
_STILL = "still"
_GOING_ON = frozenset({"ongoing", "continuing"})
_PRESENT = frozenset({"VBP", "VBZ"})
_ARGUMENT_EDGES = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "prep", "agent"})


@dataclass(frozen=True)
class _Mention:
    """An event with what linking reads of it in the parse."""

    index: int
    event: Event
    root: Token | None
    """The trigger's head word, None when the trigger is not on token boundaries."""
    casualty: bool


def link_mentions(
    events: Sequence[Event], context: EventContext, casualty_verbs: frozenset[str]
) -> tuple[Event, ...]:
    """``events`` with ``same_as`` set on each mention that tells an earlier one's real event
    again, and the linked mentions' fields shared (pure: returns new records)."""
    mentions = [_mention(i, event, context, casualty_verbs) for i, event in enumerate(events)]
    links = _Links(len(events))
    tolls: dict[int, list[int]] = {}
    for main, toll in _incidents(mentions):
        links.join(main, toll)
        tolls.setdefault(main, []).append(toll)
    for mention in mentions:
        if mention.event.headline or links.first(mention.index) != mention.index:
            continue
        earlier = _restated(mention, mentions, links, context)
        if earlier is not None:
            links.join(earlier, mention.index)
    groups: dict[int, list[int]] = {}
    for index in range(len(events)):
        groups.setdefault(links.first(index), []).append(index)
    result = [
        event.model_copy(update={"quantities": _with_tolls(event, [events[t] for t in found])})
        if (found := tolls.get(i))
        else event
        for i, event in enumerate(events)
    ]
    for first, members in groups.items():
        if len(members) > 1:
            shared = _shared([result[i] for i in members], context)
            for index, event in zip(members, shared, strict=True):
                result[index] = event.model_copy(
                    update={"same_as": None if index == first else first}
                )
    return _dated_by_the_lead(result)


def _dated_by_the_lead(events: list[Event]) -> tuple[Event, ...]:
    """Each undated follow-up of the lead's incident with the lead's day: a report tells its
    news in the lead ("Gunmen stormed a hotel ... on Tuesday") and then its details without the
    day ("The attackers killed five guards"). A follow-up is an event of the lead event's type,
    done or said to be done; background, plans and threats keep no date."""
    body = [e for e in events if not e.headline and e.evidence.sentence is not None]
    if not body:
        return tuple(events)
    first = min(e.evidence.sentence for e in body if e.evidence.sentence is not None)
    lead = {
        e.type: e
        for e in reversed(body)
        if e.evidence.sentence == first and e.date_precision == "day" and e.status in _TOLD
    }
    return tuple(
        event.model_copy(update={"date": told.date, "date_precision": told.date_precision})
        if not event.headline
        and event.date_precision == PUBLISHED
        and event.status in _TOLD
        and (told := lead.get(event.type)) is not None
        else event
        for event in events
    )


class _Links:
    """Union-find over event indexes; a group is named by its first (smallest) index."""

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))
        self._members: dict[int, list[int]] = {i: [i] for i in range(size)}

    def first(self, index: int) -> int:
        while self._parent[index] != index:
            self._parent[index] = self._parent[self._parent[index]]
            index = self._parent[index]
        return index

    def join(self, a: int, b: int) -> None:
        low, high = sorted((self.first(a), self.first(b)))
        if low != high:
            self._parent[high] = low
            self._members[low] += self._members.pop(high)

    def members(self, first: int) -> list[int]:
        """The indexes of the group ``first`` names (``first`` must name one)."""
        return self._members[first]


def _mention(
    index: int, event: Event, context: EventContext, casualty_verbs: frozenset[str]
) -> _Mention:
    span = context.doc.char_span(event.trigger.start, event.trigger.end, alignment_mode="expand")
    root = span.root if span is not None and len(span) else None
    casualty = (
        event.type == _VIOLENT
        and root is not None
        and root.pos_ == "VERB"
        and root.lemma_.casefold() in casualty_verbs
    )
    return _Mention(index=index, event=event, root=root, casualty=casualty)


# -- one incident -----------------------------------------------------------------------------


def _incidents(mentions: Sequence[_Mention]) -> list[tuple[int, int]]:
    """(act, toll) pairs: a killing or wounding that tells the toll of a violent act."""
    by_sentence: dict[int, list[_Mention]] = {}
    for mention in mentions:
        sentence = mention.event.evidence.sentence
        if mention.event.type == _VIOLENT and not mention.event.headline and sentence is not None:
            by_sentence.setdefault(sentence, []).append(mention)
    pairs: list[tuple[int, int]] = []
    for sentence, violent in by_sentence.items():
        for toll in violent:
            if not toll.casualty or toll.root is None:
                continue
            act = _act_of(toll, violent)
            if act is not None:
                pairs.append((act.index, toll.index))
            elif len(violent) == 1 and not toll.event.source:
                # "Another 10 were wounded": the toll of the act the sentence before told.
                before = [m for m in by_sentence.get(sentence - 1, ()) if m.index != toll.index]
                main = next((m for m in before if not m.casualty), before[0] if before else None)
                if main is not None and _agree(toll.event, main.event):
                    pairs.append((main.index, toll.index))
    return pairs


def _act_of(toll: _Mention, violent: Sequence[_Mention]) -> _Mention | None:
    """The violent act of the sentence whose toll ``toll`` tells: one it hangs from ("attacked
    ..., killing 12"; "killed 5 and injured 9"), or one that is its subject or object ("an
    airstrike killed 5"), the nearest in the parse; None when none agrees with it."""
    assert toll.root is not None
    best: tuple[int, int, _Mention] | None = None
    for act in violent:
        if act.index == toll.index or act.root is None or act.root.i == toll.root.i:
            continue
        steps = _steps_below(toll.root, act.root)
        if steps is None:
            steps = _argument_steps(act.root, toll.root)
        if steps is None or not _agree(toll.event, act.event):
            continue
        # A violent act before another toll: "attacked ..., killing 12" over "killed 5 and".
        key = (int(act.casualty), steps, act)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best is not None else None


def _steps_below(token: Token, top: Token) -> int | None:
    """How many edges up from ``token`` to ``top``, or None when ``top`` is not above it."""
    steps = 0
    while token.i != top.i:
        if token.head.i == token.i:
            return None
        token = token.head
        steps += 1
    return steps


def _argument_steps(act: Token, verb: Token) -> int | None:
    """Edges from ``verb`` down to ``act`` when the act is the verb's subject, object or the
    object of its preposition ("the attack killed 12", "killed in the raid"), else None."""
    steps = 0
    token = act
    while token.i != verb.i:
        if token.dep_ not in _ARGUMENT_EDGES or token.dep_ in CLAUSE_EDGES:
            return None
        token = token.head
        steps += 1
    return steps


def _agree(first: Event, second: Event) -> bool:
    """True when nothing in two events of one sentence says they are two: statuses of one
    kind (or an undated toll of a dated background act: "the 2004 bombing ... that killed
    nine soldiers"), sources that meet, places that are one."""
    if not (
        _same_kind(first.status, second.status) or _background_told_again(first, second)
    ) or not _parties_meet(first.source, second.source):
        return False
    return first.place is None or second.place is None or first.place == second.place


def _with_tolls(event: Event, tolls: Sequence[Event]) -> tuple[Quantity, ...]:
    """The act's quantities and its tolls', each once."""
    quantities = list(event.quantities)
    seen = {(q.evidence.start, q.evidence.end) for q in quantities}
    for toll in tolls:
        for quantity in toll.quantities:
            if (quantity.evidence.start, quantity.evidence.end) not in seen:
                seen.add((quantity.evidence.start, quantity.evidence.end))
                quantities.append(quantity)
    return tuple(quantities)


# -- the same real event told again --------------------------------------------------------------


def _restated(
    mention: _Mention, mentions: Sequence[_Mention], links: _Links, context: EventContext
) -> int | None:
    """The first mention of the real event ``mention`` tells again, or None."""
    # A definite mention may tell again a dated background event only in a story that dates
    # no current event of its type: else "the airstrikes" are this week's, not those of 2009.
    background = _refers_back(mention) and not any(
        other.event.type == mention.event.type
        and other.event.status != "historical"
        and _own_interval(other.event) is not None
        for other in mentions
    )
    refers_back = _refers_back(mention)
    under_way = _under_way(mention)
    best: tuple[bool, bool, int] | None = None
    for other in mentions[: mention.index]:
        first = links.first(other.index)
        if first != other.index or other.event.headline:
            continue
        if other.event.type != mention.event.type:
            continue
        group = [mentions[i].event for i in links.members(first)]
        if not all(_compatible(mention.event, event, context, background) for event in group):
            continue
        shares = any(_share_a_party(mention.event, event, context) for event in group)
        # An act under way is the one told before it, where nothing sets them apart (place,
        # parties, date: ``_compatible``); the places stage has not placed them yet.
        if not (shares or refers_back or under_way):
            continue
        # "The meeting" restates a meeting before the talks held at it.
        same_word = any(_lemma(mentions[i]) == _lemma(mention) for i in links.members(first))
        key = (shares, same_word, first)
        if best is None or key > best:
            best = key
    return best[2] if best is not None else None


def _lemma(mention: _Mention) -> str | None:
    return mention.root.lemma_.casefold() if mention.root is not None else None


def _refers_back(mention: _Mention) -> bool:
    """True for an event noun that points at an event already told: "the attack", "this
    week's talks", "their killings"."""
    root = mention.root
    if root is None or root.pos_ not in {"NOUN", "PROPN"}:
        return False
    return any(
        (child.dep_ == "det" and child.lower_ in _DEFINITE) or child.dep_ == "poss"
        for child in root.children
    )


def _under_way(mention: _Mention) -> bool:
    """True for an act told as going on now: "we can still hear gunfire", "the militants are
    still resisting and fighting", "ongoing clashes". A witness or a report from the scene
    describes the attack the story has told, under way, not another one."""
    root = mention.root
    if root is None:
        return False
    if root.pos_ in {"NOUN", "PROPN"}:
        if any(child.lemma_.casefold() in _GOING_ON for child in root.children):
            return True
        if root.dep_ not in {"dobj", "nsubj", "nsubjpass"}:
            return False
        verb = root.head  # "can still hear gunfire", "gunfire is still heard"
    else:
        verb = root
    while verb.dep_ == "conj" and verb.head is not verb:
        verb = verb.head  # "are still resisting and fighting": the first verb holds the aux
    children = list(verb.children)
    if any(child.dep_ == "advmod" and child.lower_ == _STILL for child in children):
        return True
    return verb.tag_ == "VBG" and any(
        child.dep_ == "aux" and child.lemma_ == "be" and child.tag_ in _PRESENT
        for child in children
    )


def _compatible(event: Event, other: Event, context: EventContext, background: bool) -> bool:
    if not _same_kind(event.status, other.status) and not (
        background and _background_told_again(event, other)
    ):
        return False
    if not _parties_meet(event.source, other.source) or not _parties_meet(
        event.target, other.target
    ):
        return False
    if event.place is not None and other.place is not None and event.place != other.place:
        a, b = _place(event.place, context), _place(other.place, context)
        if a is None or b is None or not same_place(a, b, _NEAR_KM):
            return False
    ours, theirs = _own_interval(event), _own_interval(other)
    return ours is None or theirs is None or intervals_meet(ours, theirs, _WINDOW_DAYS)


def _background_told_again(event: Event, other: Event) -> bool:
    """True when a definite mention with no date of its own ("the bombing took place") may
    tell again a dated background event ("the 2004 bombing"): a story names a past incident
    with its year once, and then speaks of it as "the bombing", "the attack"."""
    statuses = {event.status, other.status}
    return (
        "historical" in statuses
        and statuses <= _DONE | {"historical"}
        and _own_interval(event) is None
    )


def _share_a_party(event: Event, other: Event, context: EventContext) -> bool:
    """True when the two name a party in common: a named one ("Kenya", "al-Shabab"), or a
    generic one ("gunmen", "people") at one place, since every report has its "people"."""
    shared = (set(event.source) & set(other.source)) | (set(event.target) & set(other.target))
    if any(
        (entity := context.entities.get(item)) is None or entity.type != "AGENT" for item in shared
    ):
        return True
    return bool(shared) and event.place is not None and event.place == other.place


def _parties_meet(ours: Sequence[str], theirs: Sequence[str]) -> bool:
    return not ours or not theirs or bool(set(ours) & set(theirs))


def _same_kind(first: str, second: str) -> bool:
    return any({first, second} <= kind for kind in _KINDS)


def _place(index: int, context: EventContext) -> Place | None:
    return context.places[index] if 0 <= index < len(context.places) else None


def _own_interval(event: Event) -> tuple[int, int] | None:
    """The days the event's own date covers; None when the text gives it no date."""
    if event.date_precision not in _PRECISION:
        return None
    return days(event.date)


# -- what linked mentions share ------------------------------------------------------------------


def _shared(group: Sequence[Event], context: EventContext) -> list[Event]:
    """The group's mentions, each given what another mention says of the real event and it
    does not: a date, a place, the story's own voice."""
    dated = [e for e in group if e.date is not None and e.date_precision in _PRECISION]
    date = min(dated, key=lambda e: _PRECISION[e.date_precision or ""], default=None)
    placed = [
        (e.evidence.sentence, index, found)
        for e in group
        if (index := e.place) is not None and (found := _place(index, context)) is not None
    ]
    placed.sort(key=lambda item: (item[2].lat is None, item[2].precision or 5))
    asserted = any(
        e.status == "occurred" and not _quoted(e, context) for e in group if not e.headline
    )
    result: list[Event] = []
    for event in group:
        update: dict[str, object] = {}
        if date is not None and event.date_precision not in _PRECISION:
            update["date"], update["date_precision"] = date.date, date.date_precision
        # Inside one sentence the places stage has already said which events share its place.
        place = next((i for sentence, i, _ in placed if sentence != event.evidence.sentence), None)
        if place is not None and event.place is None:
            update["place"] = place
        if asserted and event.status == "claimed":
            update["status"], update["claimed_by"] = "occurred", None
        # "The attack was a blunder" telling again "the 2004 bombing": background too.
        if (
            "date" in update
            and date is not None
            and date.status == "historical"
            and update.get("status", event.status) == "occurred"
        ):
            update["status"], update["claimed_by"] = "historical", None
        result.append(event.model_copy(update=update) if update else event)
    return result


def _quoted(event: Event, context: EventContext) -> bool:
    """True when the event's trigger stands inside a quote's words."""
    return any(
        quote.content.start <= event.trigger.start < quote.content.end for quote in context.quotes
    )

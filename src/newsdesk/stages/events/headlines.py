"""Headline events: what the title reports, merged with the body event it restates.

A headline compresses the lead: "Gunmen kill 12 in X" restates "Gunmen killed at least 12
people in the village of Y in X's north on Tuesday". It drops the attribution, the toll's hedge,
the date and the finer place; it names parties more loosely ("militants" for a group the lead
names, "Somalia" for "Somali forces"). So a headline event restates a body event when nothing
in the two contradicts the other:

- the same PLOVER type;
- sources, and targets, that agree: one side names no one; or some pair is one party (the same
  entity, knowledge-base actor or name, a state and an arm of that state, two generic agents of
  one kind, an armed group of no state and a headline's "gunmen"); or the text cannot tell
  ("Europe" and "European" leaders). Parties known to differ (of two countries, two people, two
  kinds of agent, two knowledge-base actors) contradict;
- places that agree: one side has none, they are one place, or one holds the other (a country
  its towns, a province its districts); a place the gazetteer does not know cannot contradict;
- statuses of one kind: done or said to be done (occurred, claimed), still to come (planned,
  threatened, conditional), not done (denied, negated), or long past (historical).

A headline restates the lead, so the body event chosen is one of the lead's (the first
``_LEAD_SENTENCES`` body sentences) when one agrees; a later one must share an actor with the
headline and agree on one more part (the other actor, or the place). Headline events are taken
in the order written, the main one first. Among the body events, one not yet restated comes
first, then the one that agrees on most (a shared actor counts more than a shared place), then
the earliest. The body event keeps its own fields (the body says more than the headline) and
gains ``headline_trigger`` (and is ``occurred`` when the headline asserts what the body only
attributes: the headline is the story's own voice); the headline event is not listed again,
so the event is counted once. A headline event that restates nothing stays, with ``headline`` true.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsdesk.records import Entity, Event, Place
from newsdesk.stages.events.context import EventContext

_DONE = frozenset({"occurred", "claimed"})
_TO_COME = frozenset({"planned", "threatened", "conditional"})
_NOT_DONE = frozenset({"denied", "negated"})
_KINDS = (_DONE, _TO_COME, _NOT_DONE, frozenset({"historical"}))
# A headline restates the lead: a later event must agree on more than its type.
_LEAD_SENTENCES = 3
_STATE_SECTORS = frozenset({"state", "government", "military", "police"})
# Armed people of no state: a headline calls them "militants" or "gunmen" where the lead names
# the group.
_NON_STATE_ARMED = frozenset({"armed", "insurgent", "rebel", "militia", "terrorist"})
_ACTOR_WEIGHT = 2
_PLACE_WEIGHT = 1
# A shared actor and one more part (the other actor, or the place).
_LATER_AGREEMENT = _ACTOR_WEIGHT + _PLACE_WEIGHT
_COUNTRY = 4
_PROVINCE = 3


def restate_headlines(events: Sequence[Event], context: EventContext) -> tuple[Event, ...]:
    """``events`` with each title event merged into the body event it restates, and the title
    events that restate none marked ``headline`` (pure: returns new records)."""
    if not context.titles:
        return tuple(events)
    in_title = [context.in_title(event.trigger.start) for event in events]
    merged: list[Event | None] = [
        None if titled else event for event, titled in zip(events, in_title, strict=True)
    ]
    # In the order written: a headline tells its main event first ("Militants attack train,
    # take hostages"), and the first to restate a body event gives it its words.
    titled = sorted((i for i, t in enumerate(in_title) if t), key=lambda i: events[i].trigger.start)
    lead_end = _lead_end(context)
    for index in titled:
        event = events[index]
        match = _restated(event, events, in_title, merged, context, lead_end=lead_end)
        if match is None:
            merged[index] = event.model_copy(
                update={"headline": True, "headline_trigger": event.trigger}
            )
            continue
        body = merged[match]
        if body is not None and body.headline_trigger is None:
            update: dict[str, object] = {"headline_trigger": event.trigger}
            if body.status == "claimed" and event.status == "occurred":
                # The headline asserts in the story's own voice what the lead attributes
                # ("Airstrikes kill 50 militants" over "security forces say they killed").
                update["status"], update["claimed_by"] = "occurred", None
            merged[match] = body.model_copy(update=update)
    return tuple(event for event in merged if event is not None)


def _restated(
    headline: Event,
    events: Sequence[Event],
    in_title: Sequence[bool],
    merged: Sequence[Event | None],
    context: EventContext,
    *,
    lead_end: int,
) -> int | None:
    """Index of the body event ``headline`` restates, or None; sentences before ``lead_end``
    are the lead's."""
    best: tuple[bool, bool, int, int] | None = None
    chosen: int | None = None
    for index, body in enumerate(events):
        if in_title[index]:
            continue
        score = _agreement(headline, body, context)
        in_lead = body.evidence.sentence is not None and body.evidence.sentence < lead_end
        if score is None or (not in_lead and score < _LATER_AGREEMENT):
            continue
        current = merged[index]
        fresh = current is not None and current.headline_trigger is None
        # The lead first, then an event not yet restated, the most agreement, the earliest.
        key = (in_lead, fresh, score, -index)
        if best is None or key > best:
            best, chosen = key, index
    return chosen


def _lead_end(context: EventContext) -> int:
    """Index of the first sentence after the lead: the title's sentences, then the first
    ``_LEAD_SENTENCES`` of the body."""
    title_end = max(end for _, end in context.titles)
    after = sum(1 for start in context.sentence_starts if start < title_end)
    return after + _LEAD_SENTENCES


def _agreement(headline: Event, body: Event, context: EventContext) -> int | None:
    """How much ``body`` agrees with ``headline`` (higher is more), or None when the two
    cannot be one event."""
    if headline.type != body.type or not _same_kind(headline.status, body.status):
        return None
    score = 0
    for ours, theirs in ((headline.source, body.source), (headline.target, body.target)):
        actors = _actor_agreement(ours, theirs, context.entities)
        if actors is None:
            return None
        score += actors
    if headline.place is not None and body.place is not None:
        places = _place_agreement(headline.place, body.place, context.places)
        if places is None:
            return None
        score += places
    return score


def _same_kind(first: str, second: str) -> bool:
    return any({first, second} <= kind for kind in _KINDS)


def _actor_agreement(
    ours: Sequence[str], theirs: Sequence[str], entities: dict[str, Entity]
) -> int | None:
    """``_ACTOR_WEIGHT`` when the two sides share an actor, None when every pair is known to
    be apart, 0 when one side names no one or the text cannot tell ("Europe" and
    "European" leaders)."""
    if not ours or not theirs:
        return 0
    if any(_same_actor(a, b, entities) for a in ours for b in theirs):
        return _ACTOR_WEIGHT
    if all(_apart(entities.get(a), entities.get(b)) for a in ours for b in theirs):
        return None
    return 0


def _apart(first: Entity | None, second: Entity | None) -> bool:
    """True when two entities that are not one actor are known to be different parties: of
    two countries, two people (the entities stage has joined a person's names), two kinds of
    generic agent ("gunmen", "police"), two knowledge-base actors, or a state's forces and
    armed people of no state ("soldiers", "gunmen")."""
    if first is None or second is None:
        return False
    sectors = {first.sector, second.sector}
    if sectors & _STATE_SECTORS and sectors & _NON_STATE_ARMED:
        return True
    if first.country is not None and second.country is not None:
        return first.country != second.country or (
            first.actor is not None and second.actor is not None
        )
    if first.type == second.type and first.type in {"PERSON", "AGENT"}:
        return True
    return first.actor is not None and second.actor is not None


def _same_actor(first: str, second: str, entities: dict[str, Entity]) -> bool:
    if first == second:
        return True
    a, b = entities.get(first), entities.get(second)
    if a is None or b is None:
        return False
    if a.actor is not None and a.actor == b.actor:
        return True
    if a.name.casefold() == b.name.casefold():
        return True
    # "Somalia kills 50 militants": the state stands for its forces and government.
    for state, other in ((a, b), (b, a)):
        if (
            state.sector == "state"
            and state.country is not None
            and other.country == state.country
            and other.sector in _STATE_SECTORS
        ):
            return True
    if a.type == "AGENT" and b.type == "AGENT" and a.sector == b.sector:
        return a.country is None or b.country is None or a.country == b.country
    return (
        a.sector in _NON_STATE_ARMED
        and b.sector in _NON_STATE_ARMED
        and (a.type == "AGENT" or b.type == "AGENT")
    )


def _place_agreement(first: int, second: int, places: Sequence[Place]) -> int | None:
    """``_PLACE_WEIGHT`` when the two places are one or one holds the other, 0 when the text
    cannot tell (a place the gazetteer does not know), None when they are apart."""
    if first == second:
        return _PLACE_WEIGHT
    if not (0 <= first < len(places) and 0 <= second < len(places)):
        return 0
    a, b = _where(places[first], places), _where(places[second], places)
    if a is b or a.name.casefold() == b.name.casefold():
        return _PLACE_WEIGHT
    if a.gazetteer_id is not None and a.gazetteer_id == b.gazetteer_id:
        return _PLACE_WEIGHT
    if a.country is None or b.country is None:
        return 0
    if a.country != b.country:
        return None
    coarse, fine = sorted((a, b), key=lambda place: -(place.precision or 0))
    if coarse.precision == _COUNTRY:
        return _PLACE_WEIGHT
    if coarse.precision == _PROVINCE and (fine.precision or 0) < _PROVINCE:
        if fine.admin1 is None:
            return 0
        held = fine.admin1.casefold() in {coarse.name.casefold(), (coarse.admin1 or "").casefold()}
        return _PLACE_WEIGHT if held else None
    return None  # two towns, or two provinces, of one country


def _where(place: Place, places: Sequence[Place]) -> Place:
    """A place given only by its relation to another ("near Goma") stands for that other."""
    if place.feature == "relative" and place.relative:
        anchor = place.relative[0].anchor
        if anchor is not None and 0 <= anchor < len(places):
            return places[anchor]
    return place

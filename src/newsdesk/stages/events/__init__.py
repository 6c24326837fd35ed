"""``newsdesk_events``: who did what to whom, where and when, PLOVER-coded, with its status.

The stage reads each sentence's predicates from the project's event lexicon, keeps those that
report an event, and codes each as an :class:`~newsdesk.records.Event`: its PLOVER type, mode
and CAMEO root, its source and target entities, its place, its date, its status and who claims
it, the quantities it counts, and a confidence that ranks the sentence's main event first. A
headline is read too, and an event it reports that restates a body event is merged into it.
Mentions of one real event (an attack and its dead, "the attack" told again) stay events, each
later one naming the first in ``same_as`` and sharing its date, place and voice.

Each module does one job:

- :mod:`~newsdesk.stages.events.coder`: the component; finding predicates, assembling an
  event, intent events ("will withdraw" -> AGREE), demands, confidence.
- :mod:`~newsdesk.stages.events.eventhood`: whether a matched predicate reports an event.
- :mod:`~newsdesk.stages.events.actors`: who did what to whom (source, target, pronouns).
- :mod:`~newsdesk.stages.events.places`: where it happened.
- :mod:`~newsdesk.stages.events.dates`: when it happened, and whether it is historical.
- :mod:`~newsdesk.stages.events.status`: occurred, claimed, planned, threatened, conditional,
  negated, denied, historical, and who claims it.
- :mod:`~newsdesk.stages.events.headlines`: the title's events, merged with the body's.
- :mod:`~newsdesk.stages.events.incidents`: the mentions of one real event linked
  (``Event.same_as``): the killed and wounded of an attack, a restatement later in the story.
- :mod:`~newsdesk.stages.events.context`: what they share (the Doc's context, the predicates
  found, a predicate's clause).
"""

from __future__ import annotations

from newsdesk.stages.events.coder import ASSIGNS, NAME, REQUIRES, EventCoder, make_event_coder

__all__ = ["ASSIGNS", "NAME", "REQUIRES", "EventCoder", "make_event_coder"]

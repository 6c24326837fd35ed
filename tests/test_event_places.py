"""Where events happened: the asides of a sentence, read from one pass over the parse, match
what walking each word's subtree for each event finds; an act on the ground the story gives no
place is at its lead incident's place or in the country the report is about."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest
import spacy
from spacy.lang.en import English
from spacy.language import Language
from spacy.tokens import Span, Token

from newsdesk.records import Event, Evidence, Place
from newsdesk.settings import load_settings
from newsdesk.stages.events.context import EventContext, Found
from newsdesk.stages.events.places import (
    _in_relative_clause,
    _in_source_aside,
    _tree,
    place_by_report,
)


def _evidence(text: str, word: str) -> Evidence:
    start = text.index(word)
    sentence = text[:start].count(". ")  # the test texts' sentences end with ". "
    return Evidence(start=start, end=start + len(word), text=word, sentence=sentence)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return spacy.load(load_settings().model.name)


def _asides_by_subtrees(head: Token, anchor: Token, sent: Span) -> tuple[set[int], set[int]]:
    """The asides as read before: each candidate word's subtree, walked for each event."""
    own = {head.i, anchor.i}
    always: set[int] = set()
    relative: set[int] = set()
    for token in sent:
        if token.dep_ == "relcl":
            kept = relative
        elif (token.lower_ == "according" and token.dep_ == "prep") or (
            token.dep_ == "nsubj" and token.head.i not in own
        ):
            kept = always
        else:
            continue
        inside = {word.i for word in token.subtree}
        if not inside & own:
            kept |= inside
    return always, relative


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "According to a statement from the army in Kabul, troops which have bases in Herat "
        "killed two men in Kandahar as officials in Goma weighed plans. Police said rebels "
        "attacked a camp that aid groups run near Juba.",
        "soldiers attacked the village in Kabul and militants killed civilians in Herat which "
        "police arrested and gunmen shelled the town in Goma and rebels wounded two men",
    ],
)
def test_event_places_asides_as_subtrees_walked_per_event(nlp: Language, text: str) -> None:
    doc = nlp(text)
    context = EventContext(
        doc=doc,
        entity_at={},
        place_at={token.i: 0 for token in doc},
        times=[],
        quantities=[],
        quotes=(),
        published=None,
        sentence_starts=[],
    )
    tree = _tree(context)
    for sent in doc.sents:
        for head in sent:
            for anchor in {head, head.head}:
                found = cast(Found, SimpleNamespace(head=head, anchor=anchor))
                always, relative = _asides_by_subtrees(head, anchor, sent)
                for token in sent:
                    i = token.i
                    assert _in_source_aside(i, found, sent, tree, doc) == (i in always)
                    assert _in_relative_clause(i, found, sent, tree, doc) == (i in relative)


# -- the report's place, on records ---------------------------------------------------------------

_REPORT = (
    "Gunmen stormed a hotel in Beledweyne, Somalia. The gunmen killed five people. "
    "In April, the military jailed the mayor. Kenya condemned the attack."
)
_REPORT_PLACES = (
    Place(
        name="Beledweyne", country="SO", precision=1, mentions=(_evidence(_REPORT, "Beledweyne"),)
    ),
    Place(name="Somalia", country="SO", precision=4, mentions=(_evidence(_REPORT, "Somalia"),)),
    Place(name="Kenya", country="KE", precision=4, mentions=(_evidence(_REPORT, "Kenya"),)),
)


def _report_event(word: str, kind: str, /, **fields: object) -> Event:
    trigger = _evidence(_REPORT, word)
    return Event.model_validate({"type": kind, "trigger": trigger, "evidence": trigger, **fields})


def _report_context(places: tuple[Place, ...] = _REPORT_PLACES) -> EventContext:
    sentences = English()
    sentences.add_pipe("sentencizer")
    return EventContext(
        doc=sentences(_REPORT),
        entity_at={},
        place_at={},
        times=[],
        quantities=[],
        quotes=(),
        published=None,
        sentence_starts=[0],
        places=places,
    )


def test_event_places_an_act_of_the_lead_incident_is_at_its_place() -> None:
    lead = _report_event("stormed", "ASSAULT", place=0)
    killed = _report_event("killed", "ASSAULT")
    assert place_by_report([lead, killed], _report_context())[1].place == 0


def test_event_places_another_act_is_in_the_country_of_the_report() -> None:
    lead = _report_event("stormed", "ASSAULT", place=0)
    jailed = _report_event("jailed", "COERCE")
    long_past = _report_event("killed", "ASSAULT", status="historical")
    _, first, second = place_by_report([lead, jailed, long_past], _report_context())
    assert (first.place, second.place) == (1, 1)


def test_event_places_a_statement_keeps_no_place_the_story_does_not_give() -> None:
    condemned = _report_event("condemned", "ACCUSE")
    assert place_by_report([condemned], _report_context())[0].place is None


def test_event_places_a_report_about_several_countries_gives_no_country() -> None:
    places = (
        *_REPORT_PLACES[:2],
        _REPORT_PLACES[2],
        Place(name="Nairobi", country="KE", precision=1, mentions=(_evidence(_REPORT, "hotel"),)),
    )
    jailed = _report_event("jailed", "COERCE")
    assert place_by_report([jailed], _report_context(places))[0].place is None


def test_event_places_the_own_sentence_is_judged_by_the_sentence() -> None:
    # Somalia is named only in the sentence of the storming, whose place finder left it out:
    # the rest of the report says nothing of where that was.
    stormed = _report_event("stormed", "ASSAULT")
    assert place_by_report([stormed], _report_context(_REPORT_PLACES[1:2]))[0].place is None

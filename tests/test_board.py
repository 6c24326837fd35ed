"""The claims board (newsdesk/board.py) on the demo store: each party's word on an event, the
conflicting ones side by side, tolls by source, every line at its words in its article."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsdesk import board, desk
from newsdesk.corpus.store import Store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(demo_db: Path) -> Iterator[Store]:
    with desk.open_store(str(demo_db), must_exist=True) as opened:
        yield opened


def _boards(store: Store) -> Iterator[tuple[desk.StoryView, board.ClaimsBoard]]:
    for story in desk.stories(store):
        view = desk.story(store, story.id)
        yield view, board.claims_board(view)


def test_every_line_and_toll_stands_at_its_words(store: Store) -> None:
    checked = 0
    for view, claims in _boards(store):
        texts = {article.id: article.text for article in view.articles}
        for event in claims.events:
            for line in event.lines:
                evidence = line.evidence
                assert texts[line.article][evidence.start : evidence.end] == evidence.text
                checked += 1
            for tolls in event.tolls.values():
                for toll in tolls:
                    words = texts[toll.article][toll.evidence.start : toll.evidence.end]
                    assert words == toll.evidence.text
    assert checked > 20, "the demo stories make claims"


def test_the_ambush_tolls_of_the_army_and_the_report_stand_side_by_side(store: Store) -> None:
    """The Mali demo article: the army gives nine dead, the report counts more; both figures
    are on the board with who gives them, and the army's claim is among the conflicts."""
    ambush = [
        event
        for view, claims in _boards(store)
        for event in claims.events
        if "ambush" in view.story.title.casefold()
        and (dead := event.toll_range("dead")) is not None
        and dead[0] < dead[1]
    ]
    assert ambush, "the ambush's dead tolls differ between sources"
    event = ambush[0]
    figures = {toll.low: toll.claimant for toll in event.tolls["dead"]}
    assert figures[9.0] is not None and "Diarra" in figures[9.0]
    assert len(figures) >= 2
    assert any(line.claimant and "Diarra" in line.claimant for line in event.conflicts)
    assert event.event.status == "disputed"


def test_conflicts_are_open_questions_and_disputed_events_come_first(store: Store) -> None:
    for _, claims in _boards(store):
        for event in claims.events:
            assert set(event.conflicts) <= set(event.open_questions)
        flags = [bool(event.conflicts) for event in claims.events]
        assert flags == sorted(flags, reverse=True)
        assert len(claims.open_questions) == sum(len(e.open_questions) for e in claims.events)


def test_a_line_is_listed_once_however_often_its_article_tells_the_event(store: Store) -> None:
    for _, claims in _boards(store):
        for event in claims.events:
            keys = [
                (line.article, line.evidence.start, line.evidence.end, line.claimant)
                for line in event.lines
            ]
            assert len(keys) == len(set(keys))
            for tolls in event.tolls.values():
                places = [(t.article, t.evidence.start) for t in tolls]
                assert len(places) == len(set(places))

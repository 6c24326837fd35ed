"""Where events happened: the asides of a sentence, read from one pass over the parse, match
what walking each word's subtree for each event finds."""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span, Token

from newsdesk.settings import load_settings
from newsdesk.stages.events.context import EventContext, Found
from newsdesk.stages.events.places import _in_relative_clause, _in_source_aside, _tree

pytestmark = pytest.mark.slow


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
        mentions=[],
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

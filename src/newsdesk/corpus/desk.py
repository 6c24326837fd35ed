"""The desk: many single-article records turned into one corpus view.

Runs the corpus steps over the articles in the order they arrived: syndication and duplicates
(``syndication.py``), stories (``stories.py``), then merged events with independent-source counts
and conflicting claims (``merging.py``). Arrival order makes story ids stable: an article that
arrives later never changes the story an earlier one started.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from newsdesk.corpus.merging import merge_events
from newsdesk.corpus.stories import StoryClusterer
from newsdesk.corpus.syndication import SyndicationIndex
from newsdesk.records import Article, MergedEvent, Story, Syndication
from newsdesk.settings import CorpusSettings


@dataclass(frozen=True)
class CorpusResults:
    syndication: tuple[Syndication, ...]
    duplicates: Mapping[str, str]
    """Article id -> id of the earlier article it duplicates."""
    stories: tuple[Story, ...]
    merged: tuple[MergedEvent, ...]


def analyse_corpus(
    articles: Iterable[Article], *, settings: CorpusSettings | None = None
) -> CorpusResults:
    """Syndication, stories and merged events for articles given in arrival order."""
    index = SyndicationIndex(settings=settings)
    clusterer = StoryClusterer(settings=settings)
    seen: list[Article] = []
    for article in articles:
        index.add(article)
        clusterer.add(article, copy_of=index.duplicate_of(article))
        seen.append(article)
    syndication = index.syndications()
    # Merged per story (copies are followed into their own story only): the same events the
    # store's refresh merges one story at a time.
    merged = merge_events(
        seen, syndication=syndication, stories=clusterer.assignments(), settings=settings
    )
    return CorpusResults(
        syndication=syndication,
        duplicates=index.duplicates(),
        stories=clusterer.stories(),
        merged=merged,
    )

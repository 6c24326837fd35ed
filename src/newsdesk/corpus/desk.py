"""The desk: many single-article records turned into one corpus view.

Runs the corpus steps over the articles in the order they arrived: syndication and duplicates
(``syndication.py``), stories (``stories.py``), then merged events with independent-source counts
and conflicting claims (``merging.py``). Arrival order makes story ids stable: an article that
arrives later never changes the story an earlier one started. A copy (a near-duplicate, or an
article most of whose paragraphs copy one article) joins the story of the article it copies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from newsdesk.corpus.merging import merge_events
from newsdesk.corpus.stories import StoryClusterer
from newsdesk.corpus.syndication import SyndicationIndex, copy_source
from newsdesk.records import Article, MergedEvent, Story, Syndication
from newsdesk.settings import CorpusSettings, load_settings


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
    config = settings if settings is not None else load_settings().corpus
    index = SyndicationIndex(settings=config)
    clusterer = StoryClusterer(settings=config)
    seen: list[Article] = []
    for article in articles:
        records = index.add(article)
        copy_of = index.duplicate_of(article) or copy_source(
            article, records, min_block_chars=config.min_block_chars
        )
        clusterer.add(article, copy_of=copy_of)
        seen.append(article)
    syndication = index.syndications()
    # Merged per story (copies are followed into their own story only): the same events the
    # store's refresh merges one story at a time.
    merged = merge_events(
        seen, syndication=syndication, stories=clusterer.assignments(), settings=config
    )
    return CorpusResults(
        syndication=syndication,
        duplicates=index.duplicates(),
        stories=clusterer.stories(),
        merged=merged,
    )

"""Stories: articles clustered, as they arrive, into developing stories with ids that never change.

An article joins the best-scoring story among its candidates when the score reaches
``corpus.story_similarity``, else it starts a story whose id is a hash of its own id. Candidates
come from an inverted index of (feature, time bucket) -> stories, where a feature is a
knowledge-base actor, an entity name, a place (gazetteer id or name), a country, or one of the
article's most distinctive words; buckets are ``story_window_days`` wide and an article looks in
its own and the two beside it, so no step scans all stories.

The score mixes, half and half, the share of the article's actors and places that the story
already holds (each weighted by its inverse document frequency, so "Afghanistan" counts less
than "Panjshir") and the TF-IDF cosine of the article's words with the story's. Sentence
embeddings were left out: the only offline models need torch or onnxruntime, for a gain on
paraphrase that shared actors and places already give here.

Two rules come before the score, as a reader draws stories:

- a copy is the story of what it copies: ``add(article, copy_of=...)`` puts a near-duplicate
  or syndicated copy (``SyndicationIndex.duplicate_of``, ``syndication.copy_source``) in the
  story of the article it copies, with or without a date of its own, whatever its headline;
- a report of another incident is another story: an incident is an attack (an ASSAULT-group
  event) in the lede, the article's first body paragraph, where news states what happened,
  where and when. An article whose lede incidents all differ from every incident of a story's
  ledes (dates the texts state further apart than ``merge_window_days``, or two towns further
  apart than ``merge_distance_km``) does not join that story, however many actors, places and
  words they share: a strike on Sumy in 2023 and one on Kharkiv in 2024, or two strikes on
  different days in one region, are two stories.

An undated article is placed in time by the latest day its text states (an absolute date),
else taken to be about what is in the news now (the latest time bucket).
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from newsdesk.corpus.dates import day_number
from newsdesk.dates import days
from newsdesk.records import Article, Place, Story
from newsdesk.same_event import intervals_meet, same_place
from newsdesk.settings import CorpusSettings, load_settings

__all__ = [
    "Incident",
    "MemoryStoryState",
    "StoryClusterer",
    "StoryEntry",
    "StoryState",
    "story_id",
    "story_record",
]

TERMS_PER_ARTICLE = 40
"""An article's word vector keeps its heaviest terms only: the rest is noise and cost."""
TERMS_PER_STORY = 120
INDEXED_TERMS = 20
"""Words of an article put in the inverted index, beside its actors and places."""
MAX_POSTINGS = 400
"""A feature shared by more stories than this in one time bucket ("said", the USA) finds no
candidates: it cannot tell stories apart, and reading it would make the index quadratic."""
MAX_CANDIDATES = 40
WORDS_READ = 400

_WORD = re.compile(r"[a-z][a-z'-]{2,}")
# Function words and reporting filler: they say nothing of which story a text belongs to.
_STOPWORD_TEXT = """
    about above after again against all also among and any are around because been before being
    between both but can could did does doing down during each few for from further had has have
    having her here hers herself him himself his how into its itself just more most must not now
    off once only other our ours out over own said same says she should since some such than
    that the their theirs them then there these they this those through too under until very was
    were what when where which while who whom why will with would you your told according also
    one two three new last first year years week day days mr mrs ms
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# A named ship ("the Galaxy Leader") ties the reports of one story together as a person does.
_ENTITY_NAME_TYPES = frozenset({"PERSON", "ORG", "NORP", "EVENT", "VESSEL"})

# Event types that make an incident: the attacks a report is about, whose date and town tell
# one incident from another. COERCE joins ASSAULT, as in event merging.
_INCIDENT_TYPES = frozenset({"ASSAULT", "COERCE"})
_TOWN = 2
"""Place precision of a town or a district: finer places than a province or a country."""
INCIDENTS_PER_STORY = 24
"""A story keeps the lede incidents of its first articles only: enough to know what it is."""


@dataclass(frozen=True)
class Incident:
    """An attack the lede reports: the day interval its text states and its town, if any."""

    interval: tuple[int, int] | None
    town: Place | None


def story_id(first_article_id: str) -> str:
    """The id of a story started by this article: stable, never renumbered."""
    return "story-" + hashlib.sha256(first_article_id.encode("utf-8")).hexdigest()[:16]


@dataclass
class _Features:
    keys: set[str]
    terms: Counter[str]
    bucket: int | None
    day: int | None
    """The day the article is placed at: published, else the latest day its text states."""
    published: int | None
    incidents: tuple[Incident, ...] = ()


@dataclass
class StoryEntry:
    """What the clusterer knows of one story: enough to score an article against it."""

    id: str
    title: str
    first: int | None = None
    last: int | None = None
    keys: set[str] = field(default_factory=set)
    countries: dict[str, None] = field(default_factory=dict)
    actors: dict[str, None] = field(default_factory=dict)
    centroid: dict[str, float] = field(default_factory=dict)
    incidents: list[Incident] = field(default_factory=list)


class StoryState(Protocol):
    """Where the clusterer keeps its index: in memory (:class:`MemoryStoryState`) or in the
    store's tables (``corpus.story_index.StoreStoryState``). The algorithm is written once, against
    this; a state answers only for the keys and stories one article asks about."""

    def story_of(self, article_id: str) -> str | None:
        """The story the article joined, if it was added."""
        ...

    def article_count(self) -> int:
        """How many articles were added."""
        ...

    def count_document(self, keys: Collection[str]) -> dict[str, int]:
        """Count one more document holding each key; the keys' document frequencies now."""
        ...

    def postings(
        self, keys: Sequence[str], buckets: Sequence[int | None], *, most: int
    ) -> list[list[str]]:
        """For each key, then each bucket: the stories posted under it in the order they were
        posted, or none when more than ``most`` are."""
        ...

    def stories(self, story_ids: Sequence[str]) -> dict[str, StoryEntry]:
        """The stories of these ids (each one known)."""
        ...

    def latest_bucket(self) -> int | None:
        """The latest time bucket an article was dated in."""
        ...

    def join(
        self,
        story: StoryEntry,
        article_id: str,
        postings: Sequence[tuple[str, int | None]],
        latest_bucket: int | None,
    ) -> None:
        """Keep ``story`` as it is now (new or updated), with the article joined to it, the
        story posted under ``postings`` (kept once each) and the latest bucket."""
        ...


class MemoryStoryState:
    """The index in dictionaries: for tests, benchmarks and :func:`analyse_corpus`."""

    def __init__(self) -> None:
        self._stories: dict[str, StoryEntry] = {}
        self._members: dict[str, list[str]] = {}
        self._of_article: dict[str, str] = {}
        self._postings: dict[tuple[str, int | None], dict[str, None]] = {}
        self._df: Counter[str] = Counter()
        self._latest_bucket: int | None = None

    def __len__(self) -> int:
        return len(self._stories)

    def story_of(self, article_id: str) -> str | None:
        return self._of_article.get(article_id)

    def article_count(self) -> int:
        return len(self._of_article)

    def count_document(self, keys: Collection[str]) -> dict[str, int]:
        self._df.update(keys)
        return {key: self._df[key] for key in keys}

    def postings(
        self, keys: Sequence[str], buckets: Sequence[int | None], *, most: int
    ) -> list[list[str]]:
        found = []
        for key in keys:
            for bucket in buckets:
                posting = self._postings.get((key, bucket))
                found.append(list(posting) if posting and len(posting) <= most else [])
        return found

    def stories(self, story_ids: Sequence[str]) -> dict[str, StoryEntry]:
        return {story_id: self._stories[story_id] for story_id in story_ids}

    def latest_bucket(self) -> int | None:
        return self._latest_bucket

    def join(
        self,
        story: StoryEntry,
        article_id: str,
        postings: Sequence[tuple[str, int | None]],
        latest_bucket: int | None,
    ) -> None:
        self._stories[story.id] = story
        self._members.setdefault(story.id, []).append(article_id)
        self._of_article[article_id] = story.id
        for key in postings:
            self._postings.setdefault(key, {}).setdefault(story.id)
        self._latest_bucket = latest_bucket

    def assignments(self) -> dict[str, str]:
        return dict(self._of_article)

    def records(self) -> tuple[Story, ...]:
        """Every story, earliest first."""
        ordered = sorted(
            self._stories.values(),
            key=lambda s: (s.first if s.first is not None else math.inf, s.id),
        )
        return tuple(story_record(s, self._members[s.id]) for s in ordered)


def story_record(story: StoryEntry, articles: Sequence[str]) -> Story:
    """The story as the corpus results hold it, with its articles in the order they joined."""
    return Story(
        id=story.id,
        title=story.title,
        articles=tuple(articles),
        first_seen=_iso(story.first),
        last_seen=_iso(story.last),
        countries=tuple(story.countries),
        actors=tuple(story.actors),
    )


class StoryClusterer:
    """Incremental story clustering; ``add`` returns the story id an article joins.

    The index lives in ``state``: a fresh :class:`MemoryStoryState` unless one is given.
    """

    def __init__(
        self, *, settings: CorpusSettings | None = None, state: StoryState | None = None
    ) -> None:
        self._settings = settings if settings is not None else load_settings().corpus
        self._memory: MemoryStoryState | None = None
        if state is None:
            state = self._memory = MemoryStoryState()
        self._state: StoryState = state

    def __len__(self) -> int:
        return len(self._in_memory())

    def add(self, article: Article, *, copy_of: str | None = None) -> str:
        """Put the article in a story (an existing one or a new one) and return its id.

        ``copy_of``: the id of the article this one copies (a near-duplicate, or the article
        most of its paragraphs copy); when that article has a story, this one joins it.
        """
        state = self._state
        known = state.story_of(article.id)
        if known is not None:
            return known
        features = self._features(article)
        count = state.article_count()
        df = state.count_document(features.keys | {"t:" + term for term in features.terms})

        def idf(key: str) -> float:
            return math.log(1.0 + (count + 1) / df[key])

        vector = self._vector(features.terms, idf)
        index_keys = self._index_keys(features, vector)
        best: tuple[float, str] | None = None
        original = state.story_of(copy_of) if copy_of is not None else None
        if original is not None:
            best = (1.0, original)
        candidates = self._candidates(features, index_keys) if best is None else []
        stories = state.stories([*candidates, *([original] if original is not None else [])])
        for candidate in candidates:
            story = stories[candidate]
            if not self._in_window(story, features.day):
                continue
            if self._other_incident(features, story):
                continue
            score = self._score(features, vector, story, idf)
            if score >= self._settings.story_similarity and (best is None or score > best[0]):
                best = (score, candidate)
        if best is None:
            story = StoryEntry(id=story_id(article.id), title=_title(article))
        else:
            story = stories[best[1]]
        self._join(story, article, features, vector, index_keys)
        return story.id

    def story_of(self, article_id: str) -> str | None:
        return self._state.story_of(article_id)

    def assignments(self) -> dict[str, str]:
        """Story id by article id, for every article added (an in-memory index only)."""
        return self._in_memory().assignments()

    def stories(self) -> tuple[Story, ...]:
        """Every story, earliest first (an in-memory index only)."""
        return self._in_memory().records()

    def _in_memory(self) -> MemoryStoryState:
        if self._memory is None:
            raise TypeError("the stories of a stored index are read from the store")
        return self._memory

    # -- features and scores ----------------------------------------------------------------

    def _features(self, article: Article) -> _Features:
        keys: set[str] = set()
        for entity in article.entities:
            if entity.outlet:
                continue
            if entity.actor:
                keys.add("a:" + entity.actor)
            elif entity.type in _ENTITY_NAME_TYPES:
                keys.add("n:" + entity.name.casefold())
        for place in article.places:
            keys.add("p:" + (place.gazetteer_id or place.name.casefold()))
            if place.country:
                keys.add("c:" + place.country)
        published = day_number(article.published)
        day = published if published is not None else _stated_day(article)
        window = max(self._settings.story_window_days, 1)
        bucket = day // window if day is not None else None
        return _Features(
            keys, Counter(_words(article)), bucket, day, published, _lede_incidents(article)
        )

    def _vector(self, terms: Counter[str], idf: Callable[[str], float]) -> dict[str, float]:
        weights = {
            term: (1.0 + math.log(count)) * idf("t:" + term) for term, count in terms.items()
        }
        top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:TERMS_PER_ARTICLE]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        return {term: w / norm for term, w in top}

    def _score(
        self,
        features: _Features,
        vector: dict[str, float],
        story: StoryEntry,
        idf: Callable[[str], float],
    ) -> float:
        norm = math.sqrt(sum(w * w for w in story.centroid.values())) or 1.0
        text = sum(w * story.centroid.get(term, 0.0) for term, w in vector.items()) / norm
        if not features.keys:
            return text
        # Summed in key order: a set's order varies with its history and the process's hash
        # seed, and a stored index must score to the last bit as the memory one does.
        total = sum(idf(key) for key in sorted(features.keys))
        shared = sum(idf(key) for key in sorted(features.keys & story.keys))
        return 0.5 * shared / total + 0.5 * text

    def _other_incident(self, features: _Features, story: StoryEntry) -> bool:
        """True when the article's lede reports attacks and each differs from every attack the
        story's ledes report, by the dates the texts state or by town."""
        if not features.incidents or not story.incidents:
            return False
        return all(
            self._different(mine, theirs)
            for mine in features.incidents
            for theirs in story.incidents
        )

    def _different(self, a: Incident, b: Incident) -> bool:
        """Two incidents the texts date further apart than two reports date one, or that hit
        two towns (or two districts) further apart than one incident spreads."""
        window = self._settings.merge_window_days
        if (
            a.interval is not None
            and b.interval is not None
            and not intervals_meet(a.interval, b.interval, window)
        ):
            return True
        if a.town is not None and b.town is not None and a.town.precision == b.town.precision:
            return not same_place(a.town, b.town, self._settings.merge_distance_km)
        return False

    def _in_window(self, story: StoryEntry, day: int | None) -> bool:
        if day is None or story.first is None or story.last is None:
            return True
        window = self._settings.story_window_days
        return story.first - window <= day <= story.last + window

    # -- the inverted index -----------------------------------------------------------------

    def _index_keys(self, features: _Features, vector: dict[str, float]) -> list[str]:
        heaviest = sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:INDEXED_TERMS]
        return sorted(features.keys) + ["t:" + term for term, _ in heaviest]

    def _candidates(self, features: _Features, index_keys: Sequence[str]) -> list[str]:
        if features.bucket is not None:
            buckets: list[int | None] = [features.bucket - 1, features.bucket, features.bucket + 1]
            if features.published is None:
                buckets.append(None)
        else:
            # An undated article is most likely about what is in the news now.
            buckets = [None, self._state.latest_bucket()]
        votes: Counter[str] = Counter()
        for posting in self._state.postings(index_keys, buckets, most=MAX_POSTINGS):
            votes.update(posting)
        return [story for story, _ in votes.most_common(MAX_CANDIDATES)]

    def _join(
        self,
        story: StoryEntry,
        article: Article,
        features: _Features,
        vector: dict[str, float],
        index_keys: Sequence[str],
    ) -> None:
        latest = self._state.latest_bucket()
        room = INCIDENTS_PER_STORY - len(story.incidents)
        story.incidents += [i for i in features.incidents if i not in story.incidents][:room]
        day = features.published
        if day is not None:
            story.first = day if story.first is None else min(story.first, day)
            story.last = day if story.last is None else max(story.last, day)
            if latest is None or (features.bucket is not None and features.bucket > latest):
                latest = features.bucket
        story.keys |= features.keys
        for place in article.places:
            if place.country:
                story.countries.setdefault(place.country)
        for entity in article.entities:
            if entity.actor and not entity.outlet:
                story.actors.setdefault(entity.actor)
        for term, weight in vector.items():
            story.centroid[term] = story.centroid.get(term, 0.0) + weight
        if len(story.centroid) > 2 * TERMS_PER_STORY:
            kept = sorted(story.centroid.items(), key=lambda item: (-item[1], item[0]))
            story.centroid = dict(kept[:TERMS_PER_STORY])
        # An undated article is filed where its story is in time: an undated copy of an old
        # report must not make the old story a candidate for every undated article to come.
        bucket = features.bucket
        if bucket is None and story.last is not None:
            bucket = story.last // max(self._settings.story_window_days, 1)
        postings = [(key, bucket) for key in index_keys]
        self._state.join(story, article.id, postings, latest)


def _stated_day(article: Article) -> int | None:
    """The latest day an undated article's text states as a day: a report is written after
    what it reports. Relative dates ("on Monday") need a publication date, so only absolute
    ones count here."""
    stated = [days(time.value) for time in article.times if time.precision == "day"]
    return max((interval[1] for interval in stated if interval is not None), default=None)


def _lede_incidents(article: Article) -> tuple[Incident, ...]:
    """The attacks reported in the article's first body paragraph, with the dates and towns
    the text states for them (a date taken from the publication day is not stated)."""
    lede = next((b for b in article.blocks if b.kind == "body"), None)
    if lede is None:
        return ()
    found: list[Incident] = []
    for event in article.events:
        if event.type not in _INCIDENT_TYPES or event.headline:
            continue
        if not lede.start <= event.trigger.start < lede.end:
            continue
        stated = days(event.date) if event.date_precision == "day" else None
        place = (
            article.places[event.place]
            if event.place is not None and 0 <= event.place < len(article.places)
            else None
        )
        town = place if place is not None and (place.precision or _TOWN + 1) <= _TOWN else None
        incident = Incident(stated, town)
        if (stated is not None or town is not None) and incident not in found:
            found.append(incident)
    return tuple(found)


def _words(article: Article) -> list[str]:
    body = [b for b in article.blocks if b.kind == "body"]
    parts = [article.title or ""]
    parts += [article.text[b.start : b.end] for b in body] if body else [article.text]
    words = _WORD.findall(" ".join(parts).lower())[:WORDS_READ]
    return [_fold(word) for word in words if word not in _STOPWORDS]


def _fold(word: str) -> str:
    """A plural as its singular ("floods", "fighters"): the cheapest stemming that helps here."""
    if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-3] + "y" if word.endswith("ies") else word[:-1]
    return word


def _title(article: Article) -> str:
    if article.title:
        return article.title
    first = next((b for b in article.blocks if b.kind == "body"), None)
    text = article.text[first.start : first.end] if first else article.text
    return text[:80].strip()


def _iso(day: int | None) -> str | None:
    return date.fromordinal(day).isoformat() if day is not None else None

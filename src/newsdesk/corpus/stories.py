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
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from newsdesk.corpus.dates import day_number
from newsdesk.records import Article, Story
from newsdesk.settings import CorpusSettings, load_settings

__all__ = ["StoryClusterer", "story_id"]

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


def story_id(first_article_id: str) -> str:
    """The id of a story started by this article: stable, never renumbered."""
    return "story-" + hashlib.sha256(first_article_id.encode("utf-8")).hexdigest()[:16]


@dataclass
class _Features:
    keys: set[str]
    terms: Counter[str]
    bucket: int | None
    day: int | None


@dataclass
class _Story:
    id: str
    title: str
    articles: list[str] = field(default_factory=list)
    first: int | None = None
    last: int | None = None
    keys: set[str] = field(default_factory=set)
    countries: dict[str, None] = field(default_factory=dict)
    actors: dict[str, None] = field(default_factory=dict)
    centroid: dict[str, float] = field(default_factory=dict)


class StoryClusterer:
    """Incremental story clustering; ``add`` returns the story id an article joins."""

    def __init__(self, *, settings: CorpusSettings | None = None) -> None:
        self._settings = settings if settings is not None else load_settings().corpus
        self._stories: dict[str, _Story] = {}
        self._of_article: dict[str, str] = {}
        self._postings: dict[tuple[str, int | None], dict[str, None]] = {}
        self._df: Counter[str] = Counter()
        self._latest_bucket: int | None = None

    def __len__(self) -> int:
        return len(self._stories)

    def add(self, article: Article) -> str:
        """Put the article in a story (an existing one or a new one) and return its id."""
        known = self._of_article.get(article.id)
        if known is not None:
            return known
        features = self._features(article)
        self._df.update(features.keys | {"t:" + term for term in features.terms})
        vector = self._vector(features.terms)
        best: tuple[float, str] | None = None
        for candidate in self._candidates(features, vector):
            story = self._stories[candidate]
            if not self._in_window(story, features.day):
                continue
            score = self._score(features, vector, story)
            if score >= self._settings.story_similarity and (best is None or score > best[0]):
                best = (score, candidate)
        if best is None:
            story = _Story(id=story_id(article.id), title=_title(article))
            self._stories[story.id] = story
        else:
            story = self._stories[best[1]]
        self._join(story, article, features, vector)
        return story.id

    def story_of(self, article_id: str) -> str | None:
        return self._of_article.get(article_id)

    def assignments(self) -> dict[str, str]:
        """Story id by article id, for every article added."""
        return dict(self._of_article)

    def stories(self) -> tuple[Story, ...]:
        """Every story, earliest first."""
        ordered = sorted(
            self._stories.values(),
            key=lambda s: (s.first if s.first is not None else math.inf, s.id),
        )
        return tuple(
            Story(
                id=s.id,
                title=s.title,
                articles=tuple(s.articles),
                first_seen=_iso(s.first),
                last_seen=_iso(s.last),
                countries=tuple(s.countries),
                actors=tuple(s.actors),
            )
            for s in ordered
        )

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
        day = day_number(article.published)
        window = max(self._settings.story_window_days, 1)
        bucket = day // window if day is not None else None
        return _Features(keys, Counter(_words(article)), bucket, day)

    def _idf(self, key: str) -> float:
        return math.log(1.0 + (len(self._of_article) + 1) / self._df[key])

    def _vector(self, terms: Counter[str]) -> dict[str, float]:
        weights = {
            term: (1.0 + math.log(count)) * self._idf("t:" + term) for term, count in terms.items()
        }
        top = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:TERMS_PER_ARTICLE]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        return {term: w / norm for term, w in top}

    def _score(self, features: _Features, vector: dict[str, float], story: _Story) -> float:
        norm = math.sqrt(sum(w * w for w in story.centroid.values())) or 1.0
        text = sum(w * story.centroid.get(term, 0.0) for term, w in vector.items()) / norm
        if not features.keys:
            return text
        total = sum(self._idf(key) for key in features.keys)
        shared = sum(self._idf(key) for key in features.keys & story.keys)
        return 0.5 * shared / total + 0.5 * text

    def _in_window(self, story: _Story, day: int | None) -> bool:
        if day is None or story.first is None or story.last is None:
            return True
        window = self._settings.story_window_days
        return story.first - window <= day <= story.last + window

    # -- the inverted index -----------------------------------------------------------------

    def _index_keys(self, features: _Features, vector: dict[str, float]) -> Iterable[str]:
        heaviest = sorted(vector.items(), key=lambda item: (-item[1], item[0]))[:INDEXED_TERMS]
        return sorted(features.keys) + ["t:" + term for term, _ in heaviest]

    def _candidates(self, features: _Features, vector: dict[str, float]) -> list[str]:
        if features.bucket is not None:
            buckets: list[int | None] = [features.bucket - 1, features.bucket, features.bucket + 1]
        else:
            # An undated article is most likely about what is in the news now.
            buckets = [None, self._latest_bucket]
        votes: Counter[str] = Counter()
        for key in self._index_keys(features, vector):
            for bucket in buckets:
                posting = self._postings.get((key, bucket))
                if posting and len(posting) <= MAX_POSTINGS:
                    votes.update(posting.keys())
        return [story for story, _ in votes.most_common(MAX_CANDIDATES)]

    def _join(
        self, story: _Story, article: Article, features: _Features, vector: dict[str, float]
    ) -> None:
        story.articles.append(article.id)
        self._of_article[article.id] = story.id
        if features.day is not None:
            story.first = features.day if story.first is None else min(story.first, features.day)
            story.last = features.day if story.last is None else max(story.last, features.day)
            if self._latest_bucket is None or (
                features.bucket is not None and features.bucket > self._latest_bucket
            ):
                self._latest_bucket = features.bucket
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
        for key in self._index_keys(features, vector):
            self._postings.setdefault((key, features.bucket), {}).setdefault(story.id)


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

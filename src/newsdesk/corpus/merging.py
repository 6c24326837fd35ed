"""Event merging: one real-world event reported by many articles becomes one merged event.

Event mentions are blocked by (story, type group, week of publication) and compared only with
the merged events in their own block and the two weeks beside it; within a block an index by
actor narrows the comparison further, so the whole pass grows close to linearly.

A copied paragraph's event joins its original's merged event when the two are in one story
and agree as below (same story only: a story's merged events are then its own, and the desk
re-merges one story without reading the others); otherwise two mentions merge when everything
known about them agrees:

- type: the same PLOVER type, or ASSAULT with COERCE, the one pair merged on purpose (one
  report's "seized and beat" is another's "attacked": coders split the same incident);
- actors: their source and target actors share one (knowledge-base id, name or alias), unless
  one side names none; generic agents ("gunmen", "villagers") are shown, not compared;
- place: the same gazetteer place; or within ``merge_distance_km``; or one is the province or
  country that holds the other. Different countries, or distant places, never merge;
- date: the intervals their dates cover (a month-precision date covers the month) overlap,
  widened by ``merge_window_days``. An undated event is taken as reported a few days before its
  article's publication, unless the article tells it as background (``historical``: well
  before the news): then nothing says when it happened, and it merges only with background
  events, never with the news of the day (a report's "the militants attacked the town before"
  is not the attack it reports).

``sources`` counts independent origins: the publisher of each mention, unless the paragraph the
event stands in was syndicated, when it is the agency credited or the article copied (followed
to the first copy). Claims that conflict (asserted and denied, or different figures in the
same unit) are collected in ``conflicts``, one per claimant and side, with the claimant given as
a knowledge-base id or name (an unattributed claim is the publisher's). Their evidence points
into the article of the mention they came from.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from newsdesk.corpus.dates import day_number
from newsdesk.corpus.syndication import agency_name
from newsdesk.dates import days
from newsdesk.records import (
    Article,
    Claim,
    Entity,
    Event,
    EventMention,
    MergedEvent,
    Place,
    Quantity,
    Syndication,
)
from newsdesk.same_event import intervals_meet, same_place
from newsdesk.settings import CorpusSettings, load_settings

__all__ = ["TYPE_GROUPS", "merge_events", "merge_more", "order_key", "weeks_of"]

TYPE_GROUPS: dict[str, str] = {"COERCE": "ASSAULT"}
"""Types merged with another: the value is the type whose group they join."""

_DENIAL = frozenset({"denied", "negated"})


@dataclass(frozen=True)
class _Mention:
    article: Article
    index: int
    event: Event
    actors: frozenset[str]
    source: tuple[str, ...]
    target: tuple[str, ...]
    place: Place | None
    interval: tuple[int, int] | None
    published: int | None
    origin: str
    label: str
    claims: tuple[Claim, ...]
    copied_from: str | None
    """The article this mention's paragraph was copied from, when the corpus holds it."""
    background: bool
    """Told as background with no date: when it happened is not known."""

    @property
    def wording(self) -> tuple[str, str]:
        """The event and the words of its sentence from the trigger on: what a copy shares with
        its original, even when the copy puts a dateline before them."""
        event = self.event
        return event.type, event.evidence.text[event.trigger.start - event.evidence.start :]

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The article and, for a copied paragraph, the article it came from."""
        own = self.article.id
        return (own, self.copied_from) if self.copied_from else (own,)

    @property
    def stance(self) -> str:
        return "deny" if self.event.status in _DENIAL else "assert"


@dataclass
class _Cluster:
    mentions: list[_Mention] = field(default_factory=list)
    actors: set[str] = field(default_factory=set)
    places: dict[str, Place] = field(default_factory=dict)
    intervals: set[tuple[int, int]] = field(default_factory=set)
    background: bool | None = None
    """Whether its mentions are undated background; None while it has none."""


@dataclass
class _Block:
    clusters: list[_Cluster] = field(default_factory=list)
    positions: dict[int, int] = field(default_factory=dict)
    """Position of each cluster in ``clusters``, by ``id()``: clusters compare by identity."""
    by_actor: dict[str, list[int]] = field(default_factory=dict)
    unnamed: list[int] = field(default_factory=list)

    def candidates(self, mention: _Mention) -> list[_Cluster]:
        if not mention.actors:
            return self.clusters
        found = set(self.unnamed)
        for key in mention.actors:
            found.update(self.by_actor.get(key, ()))
        return [self.clusters[i] for i in sorted(found)]

    def add(self, cluster: _Cluster, actors: set[str] | frozenset[str]) -> None:
        """Hold the cluster (once), indexed under ``actors`` as well."""
        position = self.positions.get(id(cluster))
        if position is None:
            position = self.positions[id(cluster)] = len(self.clusters)
            self.clusters.append(cluster)
            actors = cluster.actors
            if not actors:
                self.unnamed.append(position)
        for key in actors:
            self.by_actor.setdefault(key, []).append(position)


def merge_events(
    articles: Sequence[Article],
    *,
    syndication: Sequence[Syndication] = (),
    stories: Mapping[str, str] | None = None,
    settings: CorpusSettings | None = None,
    publishers: Mapping[str, str | None] | None = None,
) -> tuple[MergedEvent, ...]:
    """Merge the events of many articles; each event of each article is in exactly one result.

    ``publishers`` gives the publisher of articles that are not in ``articles`` but that copy
    chains in ``syndication`` lead to (one story merged alone, its copies' originals elsewhere).
    """
    config = settings if settings is not None else load_settings().corpus
    origins = _Origins(articles, syndication, publishers or {})
    merger = _Merger(stories or {}, config)
    for mention in _sorted(_mentions(articles, origins, config)):
        merger.add(mention)
    merged = [_merged(cluster) for cluster in merger.clusters]
    merged.sort(key=lambda m: (m.first_seen or "~", m.id))
    return tuple(merged)


def merge_more(
    known: Mapping[tuple[str, int], str],
    articles: Sequence[Article],
    *,
    fresh: Collection[str],
    rewrite: Collection[str] = (),
    syndication: Sequence[Syndication] = (),
    stories: Mapping[str, str] | None = None,
    settings: CorpusSettings | None = None,
    publishers: Mapping[str, str | None] | None = None,
) -> tuple[MergedEvent, ...]:
    """Merge the events of the ``fresh`` articles into merged events already made, without
    merging those again: what a refresh does when new reports join a story.

    ``merge_events`` takes mentions in publication order (:func:`order_key`), each joining the
    best merged event so far, so the merged events of the mentions before the first fresh one
    are what they were. ``known`` maps those mentions, ``(article id, event index)``, to their
    stored merged event's id: every such mention of each merged event it names, and every merged
    event a fresh mention could join (with a mention in its week's block or the two beside it,
    or holding a paragraph it copies). Each is rebuilt as it was (replayed, not merged again);
    then the mentions of the ``fresh`` articles, which must all come after the known ones, are
    merged as ``merge_events`` would. Mentions of other articles are left out.

    Returns what ``merge_events`` gives for the whole story, restricted to the merged events that
    hold a fresh mention, and the known ones whose ids are in ``rewrite`` (a stored merged event
    that held a mention now merged afresh has lost it, wherever it went).
    """
    config = settings if settings is not None else load_settings().corpus
    origins = _Origins(articles, syndication, publishers or {})
    merger = _Merger(stories or {}, config)
    replayed: dict[str, _Cluster] = {}
    changed: dict[int, _Cluster] = {}
    for mention in _sorted(_mentions(articles, origins, config)):
        merged_id = known.get((mention.article.id, mention.index))
        if merged_id is not None:
            cluster = replayed.setdefault(merged_id, _Cluster())
            merger.add(mention, cluster)
            if merged_id in rewrite:
                changed[id(cluster)] = cluster
        elif mention.article.id in fresh:
            cluster = merger.add(mention)
            changed[id(cluster)] = cluster
    merged = [_merged(cluster) for cluster in changed.values()]
    merged.sort(key=lambda m: (m.first_seen or "~", m.id))
    return tuple(merged)


def weeks_of(article: Article, settings: CorpusSettings) -> set[int | None]:
    """The weekly blocks the article's events are merged in (None: no date at all), whose
    neighbours a refresh must read before merging them."""
    week = max(settings.story_window_days, 1)
    published = day_number(article.published)
    found: set[int | None] = set()
    for event in article.events:
        day = published if published is not None else _start(_when(event, None, settings)[0])
        found.add(day // week if day is not None else None)
    return found


class _Merger:
    """Merges mentions one at a time, in publication order: each joins the best compatible
    cluster in its block or the blocks beside it (or its copied paragraph's), else starts one."""

    def __init__(self, stories: Mapping[str, str], config: CorpusSettings) -> None:
        self._stories = stories
        self._config = config
        self._week = max(config.story_window_days, 1)
        self._blocks: dict[tuple[str, str, int | None], _Block] = {}
        # A copied paragraph's events join the original's (whichever of the two comes first),
        # in the story they share.
        self._placed: dict[tuple[str, str, tuple[str, str]], _Cluster] = {}
        self.clusters: list[_Cluster] = []

    def add(self, mention: _Mention, cluster: _Cluster | None = None) -> _Cluster:
        """Merge ``mention``; with ``cluster`` given, put it there (a stored merge replayed),
        leaving the blocks and copied paragraphs as merging it had."""
        story = self._stories.get(mention.article.id, "")
        group = TYPE_GROUPS.get(mention.event.type, mention.event.type)
        day = mention.published if mention.published is not None else _start(mention.interval)
        bucket = day // self._week if day is not None else None
        if cluster is None:
            cluster = self._best(mention, story, group, bucket)
        if not cluster.mentions:
            self.clusters.append(cluster)
        new_actors = mention.actors - cluster.actors
        _extend(cluster, mention)
        for paragraph in mention.paragraphs:
            self._placed.setdefault((story, paragraph, mention.wording), cluster)
        # The cluster is held in this mention's block too, so later mentions near it find it.
        self._blocks.setdefault((story, group, bucket), _Block()).add(cluster, new_actors)
        return cluster

    def _best(self, mention: _Mention, story: str, group: str, bucket: int | None) -> _Cluster:
        near: list[int | None] = [bucket] if bucket is None else [bucket, bucket - 1, bucket + 1]
        best: tuple[int, _Cluster] | None = None
        for other in near:
            block = self._blocks.get((story, group, other))
            if block is None:
                continue
            for cluster in block.candidates(mention):
                if _compatible(mention, cluster, self._config):
                    overlap = len(mention.actors & cluster.actors)
                    if best is None or overlap > best[0]:
                        best = (overlap, cluster)
        copied = (
            self._placed.get((story, paragraph, mention.wording))
            for paragraph in mention.paragraphs
        )
        original = next((cluster for cluster in copied if cluster is not None), None)
        if original is not None and _compatible(mention, original, self._config):
            return original
        return best[1] if best is not None else _Cluster()


def order_key(published: str | None, article_id: str) -> tuple[float, str]:
    """Where an article's mentions come in the order merging takes them: by publication day,
    then id, undated articles last."""
    day = day_number(published)
    return (day if day is not None else math.inf, article_id)


def _mentions(
    articles: Sequence[Article], origins: _Origins, config: CorpusSettings
) -> list[_Mention]:
    return [
        _mention(article, index, event, origins, config)
        for article in articles
        for index, event in enumerate(article.events)
    ]


def _sorted(mentions: list[_Mention]) -> list[_Mention]:
    """In publication order, undated articles last: the order merging takes them in."""
    return sorted(
        mentions,
        key=lambda m: (m.published if m.published is not None else math.inf, m.article.id, m.index),
    )


# -- mentions -------------------------------------------------------------------------------


class _Origins:
    """Independent origin of a paragraph: agency or first article it was copied from."""

    def __init__(
        self,
        articles: Sequence[Article],
        syndication: Sequence[Syndication],
        publishers: Mapping[str, str | None],
    ) -> None:
        self._publishers = {**publishers, **{article.id: article.publisher for article in articles}}
        self._copies: dict[tuple[str, int | None], Syndication] = {
            (record.article, record.block): record for record in syndication
        }
        self._labels: dict[str, str] = {}

    def of(self, article: Article, block: int | None) -> str:
        """The root of the copy chain: the earliest article the paragraph was copied from, or
        the agency that root credits. A copy that adds a credit of its own ("KABUL (AFP) -")
        to another publisher's words is still that publisher's report, counted once."""
        key: tuple[str, int | None] = (article.id, block)
        seen: set[tuple[str, int | None]] = set()
        record = self._copies.get(key)
        while record is not None and key not in seen:
            seen.add(key)
            if record.source_article is None:
                # The corpus holds no earlier copy: the credit is all that says where it came from.
                return "agency:" + record.agency if record.agency else self.publisher(key[0])
            key = (record.source_article, record.source_block)
            record = self._copies.get(key)
        return self.publisher(key[0])

    def source(self, article: Article, block: int | None) -> str | None:
        """The article in the corpus the paragraph was copied from, if any."""
        record = self._copies.get((article.id, block))
        return record.source_article if record is not None else None

    def publisher(self, article_id: str) -> str:
        publisher = self._publishers.get(article_id)
        if not publisher:
            return "article:" + article_id
        agency = agency_name(publisher)
        if agency:
            return "agency:" + agency
        self._labels.setdefault("publisher:" + publisher.casefold(), publisher)
        return "publisher:" + publisher.casefold()

    def label(self, origin: str) -> str:
        """How an origin reads as a claimant: the agency or publisher as written."""
        return self._labels.get(origin, origin.split(":", 1)[1])


def _mention(
    article: Article, index: int, event: Event, origins: _Origins, config: CorpusSettings
) -> _Mention:
    entities = {entity.id: entity for entity in article.entities}
    actors: set[str] = set()
    for entity_id in (*event.source, *event.target):
        entity = entities.get(entity_id)
        if entity is not None and entity.type == "AGENT":
            continue  # one report's "gunmen" are another's "attackers": no name to compare
        actors |= _actor_keys(entity, entity_id)
    place = (
        article.places[event.place]
        if event.place is not None and 0 <= event.place < len(article.places)
        else None
    )
    published = day_number(article.published)
    interval, background = _when(event, published, config)
    starts = [block.start for block in article.blocks]
    position = bisect.bisect_right(starts, event.trigger.start) - 1
    block = (
        position if position >= 0 and event.trigger.start < article.blocks[position].end else None
    )
    origin = origins.of(article, block)
    label = origins.label(origin)
    claims = tuple(
        _resolved(claim, entities, label)
        for claim in article.claims
        if claim.content.start < event.evidence.end and event.evidence.start < claim.content.end
    )
    return _Mention(
        article=article,
        index=index,
        event=event,
        actors=frozenset(actors),
        source=tuple(_display(entities.get(e), e) for e in event.source),
        target=tuple(_display(entities.get(e), e) for e in event.target),
        place=place,
        interval=interval,
        published=published,
        origin=origin,
        label=label,
        claims=claims,
        copied_from=origins.source(article, block),
        background=background,
    )


def _actor_keys(entity: Entity | None, entity_id: str) -> set[str]:
    if entity is None:
        return {"name:" + entity_id.casefold()}
    keys = {"name:" + name.casefold() for name in (entity.name, *entity.aliases)}
    if entity.actor:
        keys.add("actor:" + entity.actor)
    return keys


def _display(entity: Entity | None, entity_id: str) -> str:
    if entity is None:
        return entity_id
    return entity.actor or entity.name


def _resolved(claim: Claim, entities: Mapping[str, Entity], label: str) -> Claim:
    if claim.claimant is not None:
        claimant = _display(entities.get(claim.claimant), claim.claimant)
    else:
        claimant = label
    return claim.model_copy(update={"claimant": claimant})


# -- compatibility --------------------------------------------------------------------------


def _compatible(mention: _Mention, cluster: _Cluster, config: CorpusSettings) -> bool:
    if cluster.background is not None and cluster.background != mention.background:
        return False
    if mention.actors and cluster.actors and not mention.actors & cluster.actors:
        return False
    if mention.place is not None and not all(
        same_place(mention.place, place, config.merge_distance_km)
        for place in cluster.places.values()
    ):
        return False
    if mention.interval is not None:
        window = config.merge_window_days
        if not all(intervals_meet(mention.interval, other, window) for other in cluster.intervals):
            return False
    return True


def _extend(cluster: _Cluster, mention: _Mention) -> None:
    cluster.mentions.append(mention)
    cluster.background = mention.background
    cluster.actors |= mention.actors
    if mention.place is not None:
        place = mention.place
        cluster.places.setdefault(place.gazetteer_id or place.name.casefold(), place)
    if mention.interval is not None:
        cluster.intervals.add(mention.interval)


# -- the merged record ----------------------------------------------------------------------


def _merged(cluster: _Cluster) -> MergedEvent:
    mentions = cluster.mentions
    first = mentions[0]
    digest = hashlib.sha256(f"{first.article.id}:{first.index}".encode()).hexdigest()[:16]
    types = Counter(m.event.type for m in mentions)
    stances = {m.stance for m in mentions} | {c.stance for m in mentions for c in m.claims}
    conflicts = _stance_conflicts(mentions) if len(stances) > 1 else []
    conflicts += _toll_conflicts(mentions)
    unique: dict[tuple[str | None, str, str], Claim] = {}
    for claim in conflicts:
        unique.setdefault((claim.claimant, claim.stance, claim.content.text), claim)
    statuses = Counter(m.event.status for m in mentions)
    place = min(
        (m.place for m in mentions if m.place is not None),
        key=lambda p: (p.lat is None, p.precision or 5),
        default=None,
    )
    published = sorted(m.article.published for m in mentions if m.article.published)
    return MergedEvent(
        id="event-" + digest,
        type=types.most_common(1)[0][0],
        source=_ordered(name for m in mentions for name in m.source),
        target=_ordered(name for m in mentions for name in m.target),
        place=place.name if place else None,
        country=place.country if place else None,
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        date=_best_date(mentions),
        status="disputed" if len(stances) > 1 else statuses.most_common(1)[0][0],
        mentions=tuple(
            EventMention(
                article=m.article.id,
                event=m.index,
                evidence=m.event.evidence,
                publisher=m.article.publisher,
                published=m.article.published,
            )
            for m in mentions
        ),
        first_seen=published[0] if published else None,
        last_seen=published[-1] if published else None,
        sources=len({m.origin for m in mentions}),
        conflicts=tuple(unique.values()),
    )


def _as_claim(mention: _Mention, quantities: tuple[Quantity, ...] = ()) -> Claim:
    """The event itself as a claim, when no claim in the article covers it."""
    event = mention.event
    claimant = None
    if event.claimed_by is not None:
        claimant = _display(
            next((e for e in mention.article.entities if e.id == event.claimed_by), None),
            event.claimed_by,
        )
    return Claim(
        claimant=claimant or mention.label,
        content=event.evidence,
        stance="deny" if mention.stance == "deny" else "assert",
        quantities=quantities or event.quantities,
    )


def _stance_conflicts(mentions: Sequence[_Mention]) -> list[Claim]:
    found: list[Claim] = []
    for mention in mentions:
        found += list(mention.claims) if mention.claims else [_as_claim(mention)]
    return found


def _toll_conflicts(mentions: Sequence[_Mention]) -> list[Claim]:
    by_unit: dict[str, list[tuple[tuple[float, float], Claim]]] = {}
    for mention in mentions:
        sources = [(q, claim) for claim in mention.claims for q in claim.quantities]
        seen = {q.evidence.start for q, _ in sources}
        sources += [
            (q, _as_claim(mention, (q,)))
            for q in mention.event.quantities
            if q.evidence.start not in seen
        ]
        for quantity, claim in sources:
            if quantity.unit:
                by_unit.setdefault(quantity.unit, []).append((_span(quantity.value), claim))
    found: list[Claim] = []
    for figures in by_unit.values():
        spans = [span for span, _ in figures]
        if any(a[1] < b[0] or b[1] < a[0] for a in spans for b in spans):
            found += [claim for _, claim in figures]
    return found


def _span(value: float | tuple[float, float]) -> tuple[float, float]:
    return (value, value) if isinstance(value, float | int) else (value[0], value[1])


def _ordered(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _best_date(mentions: Sequence[_Mention]) -> str | None:
    rank = {"day": 0, "week": 1, "month": 2, "year": 3, "decade": 4}
    dated = [m.event for m in mentions if m.event.date]
    if not dated:
        return None
    precise = min(rank.get(e.date_precision or "", 5) for e in dated)
    values = Counter(e.date for e in dated if rank.get(e.date_precision or "", 5) == precise)
    return values.most_common(1)[0][0]


# -- dates ----------------------------------------------------------------------------------


def _when(
    event: Event, published: int | None, config: CorpusSettings
) -> tuple[tuple[int, int] | None, bool]:
    """The days the event may have happened on, and whether it is undated background."""
    interval = days(event.date)
    background = interval is None and event.status == "historical"
    if interval is None and published is not None and not background:
        interval = (published - config.merge_window_days, published)
    return interval, background


def _start(interval: tuple[int, int] | None) -> int | None:
    return interval[0] if interval is not None else None

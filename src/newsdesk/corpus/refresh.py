"""The corpus steps run over the store as articles arrive: only new articles are taken in.

Each refresh reads the articles stored after the watermark (``corpus_state.watermark``, an
``articles.seq``), in arrival order, ``corpus.batch_articles`` at a time. One batch is one
transaction: syndication (each article's copied blocks), stories (the index lives in the
store's tables, ``story_index.py``), the syndication records that changed, then the events of
every story the batch touched are merged: the new reports (and any old ones publication order
puts after them) into the merged events they could join (``_merge_in``, ``merging.merge_more``),
or the whole story again when an old article's copy record changed; last the watermark moves.
A crash rolls the batch back and a rerun redoes it: nothing lost, nothing counted twice.

A story is touched when an article of the batch joins it, or when a syndication record of one
of its articles changed, or a record its copies lead through did (a copy's independent source
is the root of its copy chain). Merging one story reads its own articles and the syndication
records and publishers its copy chains lead to, nothing else; and merging new reports into a
story reads only its merged events in the weeks they fall in. So event merging, like the rest,
costs what the new articles touch, not what the store holds, nor how long a story runs.

``full`` clears every corpus table and replays the same code from the first article: the
result of many incremental refreshes and of one full one are the same by construction (and
tested). The corpus settings' fingerprint is kept with the watermark: adding to results made
under other settings is refused (E445) until a full refresh.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from newsdesk.corpus import schema
from newsdesk.corpus.dates import day_number
from newsdesk.corpus.merging import merge_events, merge_more, order_key, weeks_of
from newsdesk.corpus.sketches import WHOLE, StoredSketches
from newsdesk.corpus.store import Store, merged_rows
from newsdesk.corpus.stories import StoryClusterer
from newsdesk.corpus.story_index import StoreStoryState
from newsdesk.corpus.syndication import SyndicationIndex, copy_source
from newsdesk.errors import Errors, StoreError
from newsdesk.records import Article, MergedEvent, Story, Syndication
from newsdesk.settings import CorpusSettings

__all__ = [
    "STEPS",
    "RefreshOutcome",
    "refresh_corpus",
    "settings_fingerprint",
]

STEPS = ("read", "syndication", "stories", "merging", "write")
"""The steps a refresh times, in CPU seconds."""

# Ids per IN (...) list: well under SQLite's bound on query parameters.
_CHUNK = 500
# Settings that change how results are computed in batches but never the results.
_NOT_FINGERPRINTED = frozenset({"batch_articles"})

Progress = Callable[[int, int], None]
"""Called after each batch: articles taken in so far, and how many this refresh takes in."""


@dataclass(frozen=True)
class RefreshOutcome:
    processed: int
    """Articles this refresh took in."""
    timings: dict[str, float]
    """CPU seconds per step (:data:`STEPS`)."""
    stories: int
    merged_events: int
    syndicated_blocks: int
    near_duplicates: int
    """Totals now in the store."""


def settings_fingerprint(settings: CorpusSettings) -> str:
    """A short hash of the corpus settings that decide the results."""
    values = {k: v for k, v in asdict(settings).items() if k not in _NOT_FINGERPRINTED}
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass
class _Clock:
    spent: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STEPS, 0.0))

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        start = time.process_time()
        try:
            yield
        finally:
            self.spent[name] += time.process_time() - start


def refresh_corpus(
    store: Store,
    settings: CorpusSettings,
    *,
    full: bool = False,
    on_progress: Progress | None = None,
) -> RefreshOutcome:
    """Take the articles stored since the last refresh into the corpus results (all of them,
    from a clean slate, with ``full``); E445 when the results were made under other corpus
    settings."""
    clock = _Clock()
    fingerprint = settings_fingerprint(settings)
    name = str(store.database_file or store.url)
    with store.transaction("reading where the corpus steps stand") as conn:
        state = conn.execute(sa.select(schema.corpus_state)).first()
    if state is not None and not full and state.settings != fingerprint:
        raise StoreError(Errors.E445.format(store=name, stored=state.settings, current=fingerprint))
    if state is None or full:
        # Never refreshed incrementally (a new store, or one from before version 8), or asked
        # to start over: clear every corpus table and replay from the first article.
        with store.transaction("clearing the corpus results") as conn:
            _clear(conn, fingerprint)
        watermark = 0
    else:
        watermark = state.watermark
    articles = schema.articles
    with store.transaction("counting the new articles") as conn:
        total = int(
            conn.scalar(
                sa.select(sa.func.count()).select_from(articles).where(articles.c.seq > watermark)
            )
            or 0
        )
    processed = 0
    if on_progress is not None and total:
        on_progress(0, total)
    while processed < total:
        with store.transaction("refreshing the corpus results") as conn:
            taken = _batch(conn, settings, (name, fingerprint), clock)
        if not taken:
            break
        processed += taken
        if on_progress is not None:
            on_progress(processed, total)
    with store.transaction("counting the corpus results") as conn:
        sketches = schema.corpus_sketches

        def count(table: sa.Table, *where: sa.ColumnElement[bool]) -> int:
            return int(
                conn.scalar(sa.select(sa.func.count()).select_from(table).where(*where)) or 0
            )

        return RefreshOutcome(
            processed=processed,
            timings=dict(clock.spent),
            stories=count(schema.stories),
            merged_events=count(schema.merged_events),
            syndicated_blocks=count(schema.syndication),
            near_duplicates=count(
                sketches, sketches.c.block == WHOLE, sketches.c.source_article.is_not(None)
            ),
        )


def _clear(conn: sa.Connection, fingerprint: str) -> None:
    StoredSketches.clear(conn)
    for table in (
        schema.event_mentions,
        schema.merged_events,
        schema.story_articles,
        schema.stories,
        schema.story_postings,
        schema.story_terms,
        schema.corpus_state,
    ):
        conn.execute(table.delete())
    conn.execute(
        schema.corpus_state.insert().values(
            id=1, watermark=0, settings=fingerprint, articles=0, latest_bucket=None
        )
    )


def _batch(
    conn: sa.Connection, settings: CorpusSettings, made: tuple[str, str], clock: _Clock
) -> int:
    """Take the next batch of articles in, on ``conn`` (one transaction); how many it took."""
    # FOR UPDATE: on PostgreSQL a second refresh running at once waits here, then reads the
    # watermark this one moved (SQLite's writers take turns anyway).
    state = conn.execute(sa.select(schema.corpus_state).with_for_update()).first()
    name, fingerprint = made
    if state is None or state.settings != fingerprint:
        # Another refresh started over, under other settings, since this one began.
        stored = state.settings if state is not None else "none"
        raise StoreError(Errors.E445.format(store=name, stored=stored, current=fingerprint))
    articles = schema.articles
    with clock.step("read"):
        rows = conn.execute(
            sa.select(articles.c.seq, articles.c.record)
            .where(articles.c.seq > state.watermark)
            .order_by(articles.c.seq)
            .limit(settings.batch_articles)
        ).all()
        batch = [Article.model_validate(row.record) for row in rows]
    if not batch:
        return 0
    syndication = SyndicationIndex(settings=settings, state=StoredSketches(conn))
    index = StoreStoryState(conn, articles=state.articles, latest_bucket=state.latest_bucket)
    clusterer = StoryClusterer(settings=settings, state=index)
    # Blocks whose syndication record changed (the index writes them itself).
    changed: set[tuple[str, int]] = set()
    for article in batch:
        with clock.step("syndication"):
            records = syndication.add(article)
            changed |= {(record.article, record.block) for record in records}
            copy_of = syndication.duplicate_of(article) or copy_source(
                article, records, min_block_chars=settings.min_block_chars
            )
        with clock.step("stories"):
            clusterer.add(article, copy_of=copy_of)
    with clock.step("write"):
        joined = index.flush()
    with clock.step("merging"):
        arrived = {article.id for article in batch}
        touched = set(joined) | _stories_downstream(conn, changed)
        # An old article whose copy record changed counts its source anew: its story is merged
        # again whole. Otherwise a story's new reports are merged into its merged events.
        redo = _stories_downstream(conn, {key for key in changed if key[0] not in arrived})
        new_in = _members(conn, arrived)
    for story_id in sorted(touched):
        new = set() if story_id in redo else new_in.get(story_id, set())
        _merge_story(conn, story_id, settings, clock, new=new)
    with clock.step("write"):
        conn.execute(
            schema.corpus_state.update()
            .where(schema.corpus_state.c.id == 1)
            .values(watermark=rows[-1].seq)
        )
    return len(batch)


def _stories_downstream(conn: sa.Connection, keys: set[tuple[str, int]]) -> set[str]:
    """The stories of the articles whose blocks changed their record, and of every block that
    copies one of those (a copy's chain now leads elsewhere)."""
    table = schema.syndication
    seen = set(keys)
    frontier = set(keys)
    while frontier:
        query = sa.select(
            table.c.article_id, table.c.block, table.c.source_article, table.c.source_block
        )
        rows = _rows_in(conn, query, table.c.source_article, {a for a, _ in frontier})
        found = {
            (row.article_id, row.block)
            for row in rows
            if (row.source_article, row.source_block) in frontier
        }
        frontier = found - seen
        seen |= frontier
    return _stories_of(conn, {article for article, _ in seen})


def _stories_of(conn: sa.Connection, article_ids: set[str]) -> set[str]:
    return set(_members(conn, article_ids))


def _members(conn: sa.Connection, article_ids: set[str]) -> dict[str, set[str]]:
    """The articles of ``article_ids`` in each story."""
    links = schema.story_articles
    found: dict[str, set[str]] = {}
    query = sa.select(links.c.story_id, links.c.article_id)
    for row in _rows_in(conn, query, links.c.article_id, article_ids):
        found.setdefault(row.story_id, set()).add(row.article_id)
    return found


def _merge_story(
    conn: sa.Connection,
    story_id: str,
    settings: CorpusSettings,
    clock: _Clock,
    *,
    new: set[str],
) -> None:
    """Merge the story's ``new`` articles into its merged events (see ``_merge_in``), or, with
    none, merge all its articles again and replace every merged event of the story."""
    with clock.step("merging"):
        record = conn.scalar(
            sa.select(schema.stories.c.record).where(schema.stories.c.id == story_id)
        )
        members = list(Story.model_validate(record).articles)
        if new:
            merged, stale = _merge_in(conn, story_id, members, new, settings)
        else:
            articles = _articles(conn, members)
            records, publishers = _copy_chains(conn, members)
            merged = merge_events(
                articles,
                syndication=records,
                stories=dict.fromkeys(members, story_id),
                settings=settings,
                publishers=publishers,
            )
            stale = None
    with clock.step("write"):
        _replace_merged(conn, story_id, merged, stale=stale)


def _merge_in(
    conn: sa.Connection,
    story_id: str,
    members: Sequence[str],
    new: set[str],
    settings: CorpusSettings,
) -> tuple[tuple[MergedEvent, ...], set[str]]:
    """The merged events of the story that change when its ``new`` articles come in, and the
    ids of the stored ones they replace, reading only what merging them can touch.

    Merging takes mentions in publication order (``merging.order_key``). The mentions before the
    first new article's keep their merged events; the "tail", every article from the first new
    one on (a report arriving late puts the old ones after it in the tail; undated ones are
    always there), is merged afresh into the merged events it could join: those with a mention
    in a tail mention's week or the two beside it, or holding a paragraph a tail article copies.
    Those are replayed from the store (``merging.merge_more``). News arriving as it is published
    makes the tail the new reports alone, and the read the weeks they fall in."""
    table = schema.articles
    dates = _rows_in(conn, sa.select(table.c.id, table.c.published), table.c.id, members)
    published = {row.id: row.published for row in dates}
    first = min(order_key(published.get(article), article) for article in new)
    tail = sorted(a for a in members if order_key(published.get(a), a) >= first)
    tail_articles = _articles(conn, tail)
    blocks = set().union(*(weeks_of(article, settings) for article in tail_articles))
    week = max(settings.story_window_days, 1)
    near = {block + step for block in blocks if block is not None for step in (-1, 0, 1)}
    before = {a for a in members if a not in set(tail)}
    # A dated article's mentions are in the block of its publication's week; an undated one's
    # (before the tail only when a new one is undated too) in their events' weeks, unknown
    # without reading it: it is read.
    reach = {
        a for a in before if (day := day_number(published.get(a))) is None or day // week in near
    }
    reach |= _copied_with(conn, set(tail)) & before
    mentions = schema.event_mentions
    held = _merged_of(conn, reach | set(tail))
    stale = _merged_of(conn, set(tail) - new)
    query: sa.Select[Any] = sa.select(
        mentions.c.merged_id, mentions.c.article_id, mentions.c.event_idx
    )
    known = {
        (row.article_id, row.event_idx): row.merged_id
        for row in _rows_in(conn, query, mentions.c.merged_id, held)
        if row.article_id in before
    }
    read = sorted({article for article, _ in known})
    articles = _articles(conn, read) + tail_articles
    records, publishers = _copy_chains(conn, read + tail)
    merged = merge_more(
        known,
        articles,
        fresh=set(tail),
        rewrite=stale,
        syndication=records,
        stories=dict.fromkeys(read + tail, story_id),
        settings=settings,
        publishers=publishers,
    )
    return merged, stale


def _merged_of(conn: sa.Connection, article_ids: set[str]) -> set[str]:
    """The merged events that hold a mention of one of ``article_ids``."""
    mentions = schema.event_mentions
    query = sa.select(mentions.c.merged_id)
    return {row.merged_id for row in _rows_in(conn, query, mentions.c.article_id, article_ids)}


def _copied_with(conn: sa.Connection, articles: set[str]) -> set[str]:
    """The articles ``articles`` copy a paragraph from, and every article that copies one of
    those or one of ``articles``: merging places a copied paragraph's events with the first of
    them it met."""
    table = schema.syndication
    rows = _rows_in(conn, sa.select(table.c.source_article), table.c.article_id, articles)
    sources = {row.source_article for row in rows if row.source_article is not None}
    query = sa.select(table.c.article_id)
    copies = _rows_in(conn, query, table.c.source_article, sources | articles)
    return sources | {row.article_id for row in copies}


def _articles(conn: sa.Connection, ids: Sequence[str]) -> list[Article]:
    """The articles ``ids`` name, in the order they were stored."""
    table = schema.articles
    rows = _rows_in(conn, sa.select(table.c.seq, table.c.record), table.c.id, ids)
    return [Article.model_validate(row.record) for row in sorted(rows, key=lambda r: r.seq)]


def _copy_chains(
    conn: sa.Connection, members: Sequence[str]
) -> tuple[list[Syndication], dict[str, str | None]]:
    """The syndication records of the story's articles and of every article their copy chains
    lead to, and the publishers of those other articles."""
    table = schema.syndication
    records: list[Syndication] = []
    read: set[str] = set()
    wanted = set(members)
    while wanted:
        read |= wanted
        rows = _rows_in(conn, sa.select(table.c.id, table.c.record), table.c.article_id, wanted)
        found = [Syndication.model_validate(row.record) for row in sorted(rows, key=lambda r: r.id)]
        records += found
        wanted = {copy.source_article for copy in found if copy.source_article} - read
    articles = schema.articles
    query = sa.select(articles.c.id, articles.c.publisher)
    outside = _rows_in(conn, query, articles.c.id, read - set(members))
    return records, {row.id: row.publisher for row in outside}


def _replace_merged(
    conn: sa.Connection,
    story_id: str,
    merged: Sequence[MergedEvent],
    *,
    stale: set[str] | None,
) -> None:
    """Write ``merged`` for the story: in place of all its merged events when ``stale`` is None,
    else in place of the ``stale`` ones and those with the same ids (a merged event's id is its
    first mention's, which mentions merged after it never change)."""
    table, mentions = schema.merged_events, schema.event_mentions
    if stale is None:
        old = sa.select(table.c.id).where(table.c.story_id == story_id)
        conn.execute(mentions.delete().where(mentions.c.merged_id.in_(old)))
        conn.execute(table.delete().where(table.c.story_id == story_id))
    else:
        ids = sorted(stale | {event.id for event in merged})
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            conn.execute(mentions.delete().where(mentions.c.merged_id.in_(chunk)))
            conn.execute(table.delete().where(table.c.id.in_(chunk)))

    if not merged:
        return
    events, mention_rows = merged_rows(merged, story_id=story_id)
    conn.execute(table.insert(), events)
    if mention_rows:
        conn.execute(mentions.insert(), mention_rows)


def _rows_in(
    conn: sa.Connection,
    query: sa.Select[Any],
    column: sa.ColumnElement[str],
    values: Iterable[str],
) -> list[sa.Row[Any]]:
    """The rows of ``query`` whose ``column`` is one of ``values``, asked ``_CHUNK`` values at
    a time: SQLite bounds the parameters of one statement."""
    ordered = sorted(set(values))
    rows: list[sa.Row[Any]] = []
    for start in range(0, len(ordered), _CHUNK):
        rows += conn.execute(query.where(column.in_(ordered[start : start + _CHUNK]))).all()
    return rows

"""Story clustering's index kept in the store's tables: the state ``StoryClusterer`` reads and
writes when it runs over the store (``corpus/refresh.py``), as ``MemoryStoryState`` keeps it in
dicts for ``analyse_corpus``.

Tables (schema version 8): ``story_postings`` (key, time bucket, story: the inverted index),
``story_terms`` (document frequencies), the scoring columns of ``stories`` (feature keys,
centroid, first and last day, countries, actors, incidents) and ``story_articles``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from newsdesk.corpus import schema
from newsdesk.corpus.stories import Incident, StoryEntry, story_record
from newsdesk.records import Place

__all__ = ["StoreStoryState"]

# Ids per IN (...) list: well under SQLite's bound on query parameters.
_CHUNK = 500


def _bucket_in(bucket: int | None) -> int:
    return schema.UNDATED_BUCKET if bucket is None else bucket


def _bucket_out(bucket: int) -> int | None:
    return None if bucket == schema.UNDATED_BUCKET else bucket


def _insert(conn: sa.Connection, table: sa.Table) -> Any:
    """INSERT with ON CONFLICT clauses, in the connection's dialect."""
    if conn.dialect.name == "postgresql":
        return pg_dialect.insert(table)
    return sqlite_dialect.insert(table)


class StoreStoryState:
    """Story clustering's index in the store's tables, on the orchestrator's connection.

    Answers per article, for the keys and candidate stories it asks about; holds in memory
    only the stories this batch changed and the articles that joined them, which
    :meth:`flush` writes at the end of the batch.
    """

    def __init__(self, conn: sa.Connection, *, articles: int, latest_bucket: int | None) -> None:
        self._conn = conn
        self._articles = articles
        self._latest_bucket = latest_bucket
        self._changed: dict[str, StoryEntry] = {}
        self._joined: dict[str, list[str]] = {}
        self._of_article: dict[str, str] = {}

    def story_of(self, article_id: str) -> str | None:
        found = self._of_article.get(article_id)
        if found is not None:
            return found
        links = schema.story_articles
        return self._conn.scalar(
            sa.select(links.c.story_id).where(links.c.article_id == article_id)
        )

    def article_count(self) -> int:
        return self._articles

    def count_document(self, keys: Collection[str]) -> dict[str, int]:
        if not keys:
            return {}
        table = schema.story_terms
        insert = _insert(self._conn, table)
        self._conn.execute(
            insert.on_conflict_do_update(
                index_elements=[table.c.key], set_={"articles": table.c.articles + 1}
            ),
            [{"key": key, "articles": 1} for key in sorted(keys)],
        )
        found: dict[str, int] = {}
        ordered = sorted(keys)
        for start in range(0, len(ordered), _CHUNK):
            part = ordered[start : start + _CHUNK]
            rows = self._conn.execute(
                sa.select(table.c.key, table.c.articles).where(table.c.key.in_(part))
            )
            found.update({row.key: row.articles for row in rows})
        return found

    def postings(
        self, keys: Sequence[str], buckets: Sequence[int | None], *, most: int
    ) -> list[list[str]]:
        table = schema.story_postings
        wanted = sorted({_bucket_in(bucket) for bucket in buckets})
        # Postings longer than ``most`` are counted in the database, never read out: the
        # window function counts each (key, bucket) over the index.
        size = sa.func.count().over(partition_by=(table.c.key, table.c.bucket)).label("size")
        inner = (
            sa.select(table.c.key, table.c.bucket, table.c.story_id, table.c.position, size)
            .where(table.c.key.in_(sorted(set(keys))), table.c.bucket.in_(wanted))
            .subquery()
        )
        rows = self._conn.execute(
            sa.select(inner.c.key, inner.c.bucket, inner.c.story_id)
            .where(inner.c.size <= most)
            .order_by(inner.c.key, inner.c.bucket, inner.c.position)
        )
        found: dict[tuple[str, int], list[str]] = {}
        for row in rows:
            found.setdefault((row.key, row.bucket), []).append(row.story_id)
        return [list(found.get((key, _bucket_in(b)), ())) for key in keys for b in buckets]

    def stories(self, story_ids: Sequence[str]) -> dict[str, StoryEntry]:
        found = {i: self._changed[i] for i in story_ids if i in self._changed}
        missing = [i for i in story_ids if i not in found]
        table = schema.stories
        for start in range(0, len(missing), _CHUNK):
            rows = self._conn.execute(
                sa.select(
                    table.c.id,
                    table.c.title,
                    table.c.countries,
                    table.c.actors,
                    table.c.incidents,
                    table.c.feature_keys,
                    table.c.centroid,
                    table.c.first_day,
                    table.c.last_day,
                ).where(table.c.id.in_(missing[start : start + _CHUNK]))
            )
            for row in rows:
                found[row.id] = StoryEntry(
                    id=row.id,
                    title=row.title,
                    first=row.first_day,
                    last=row.last_day,
                    keys=set(row.feature_keys or ()),
                    countries=dict.fromkeys(row.countries or ()),
                    actors=dict.fromkeys(row.actors or ()),
                    # Pairs, not an object: JSONB would not keep the order the sums run in.
                    centroid={term: weight for term, weight in row.centroid or ()},
                    incidents=[_incident(pair) for pair in row.incidents or ()],
                )
        return found

    def latest_bucket(self) -> int | None:
        return self._latest_bucket

    def join(
        self,
        story: StoryEntry,
        article_id: str,
        postings: Sequence[tuple[str, int | None]],
        latest_bucket: int | None,
    ) -> None:
        self._changed[story.id] = story
        self._joined.setdefault(story.id, []).append(article_id)
        self._of_article[article_id] = story.id
        if postings:
            table = schema.story_postings
            self._conn.execute(
                _insert(self._conn, table).on_conflict_do_nothing(
                    index_elements=[table.c.key, table.c.bucket, table.c.story_id]
                ),
                [
                    {
                        "key": key,
                        "bucket": _bucket_in(bucket),
                        "story_id": story.id,
                        # Arrival number of the article: orders each posting as it grew.
                        "position": self._articles,
                    }
                    for key, bucket in dict.fromkeys(postings)
                ],
            )
        self._articles += 1
        self._latest_bucket = latest_bucket

    def flush(self) -> dict[str, list[str]]:
        """Write the stories this batch changed, their new articles and the index's counters;
        return the articles that joined each story, by story id."""
        table, links = schema.stories, schema.story_articles
        for story_id, story in self._changed.items():
            joined = self._joined.get(story_id, [])
            old = self._conn.scalar(sa.select(table.c.record).where(table.c.id == story_id))
            before = list(old["articles"]) if old is not None else []
            record = story_record(story, before + joined)
            row = {
                "id": story.id,
                "title": story.title,
                "first_seen": record.first_seen,
                "last_seen": record.last_seen,
                "record": record.model_dump(mode="json"),
                "feature_keys": sorted(story.keys),
                "centroid": [[term, weight] for term, weight in story.centroid.items()],
                "first_day": story.first,
                "last_day": story.last,
                "countries": list(story.countries),
                "actors": list(story.actors),
                "incidents": [
                    [
                        list(incident.interval) if incident.interval is not None else None,
                        incident.town.model_dump(mode="json")
                        if incident.town is not None
                        else None,
                    ]
                    for incident in story.incidents
                ],
            }
            if old is None:
                self._conn.execute(table.insert(), row)
            else:
                self._conn.execute(table.update().where(table.c.id == story_id).values(row))
            if joined:
                self._conn.execute(
                    links.insert(), [{"story_id": story_id, "article_id": a} for a in joined]
                )
        self._conn.execute(
            schema.corpus_state.update()
            .where(schema.corpus_state.c.id == 1)
            .values(articles=self._articles, latest_bucket=self._latest_bucket)
        )
        joined_now = self._joined
        self._changed, self._joined, self._of_article = {}, {}, {}
        return joined_now


def _incident(pair: Sequence[Any]) -> Incident:
    interval, town = pair
    return Incident(
        (interval[0], interval[1]) if interval is not None else None,
        Place.model_validate(town) if town is not None else None,
    )


# -- the refresh -------------------------------------------------------------------------------

"""The store's tables, declared once in SQLAlchemy Core for SQLite and PostgreSQL alike.

This module describes the **latest** schema, which queries use. ``migrations`` builds it: version
1 creates these tables as they are now. A later change to a table here needs a new numbered
migration that makes the same change to an existing store (and version 1 must then keep creating
the old table, so copy its definition into the migration before editing it here).

Each article is stored whole as its JSON record (``articles.record``, the source of truth) and
spread over query tables (``events``, ``claims``, ``entities``, ``event_actors``) that are
rebuilt from the record whenever it changes. Full-text search is back-end specific and lives in
``migrations``: an FTS5 table kept in step by triggers on SQLite, a generated ``tsvector``
column with a GIN index on PostgreSQL.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

SCHEMA_VERSION = 9
"""The version this code writes and reads; ``migrations.MIGRATIONS`` ends with it."""

# JSON records: JSONB on PostgreSQL (queryable, indexable), JSON text on SQLite.
Json = sa.JSON().with_variant(JSONB(), "postgresql")

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("name", sa.String, nullable=False),
    sa.Column("applied_at", sa.String, nullable=False),
)

articles = sa.Table(
    "articles",
    metadata,
    # An integer key that never changes, for SQLite's external-content FTS5 table (a table's
    # implicit rowid may change on VACUUM); everything else refers to articles by ``id``.
    sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("id", sa.String, nullable=False, unique=True),
    sa.Column("url", sa.String),
    sa.Column("title", sa.String),
    sa.Column("publisher", sa.String),
    sa.Column("published", sa.String),
    sa.Column("language", sa.String),
    sa.Column("source", sa.String),
    sa.Column("extractor", sa.String, nullable=False),
    sa.Column("ingested_at", sa.String, nullable=False),
    sa.Column("recoded_at", sa.String),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("record", Json, nullable=False),
    sa.Index("ix_articles_published", "published"),
    sa.Index("ix_articles_publisher", "publisher"),
    sa.Index("ix_articles_extractor", "extractor"),
    sa.Index("ix_articles_source", "source"),
)


# Version 2. Further sources of an article already stored: an input whose text duplicates it.
# Recorded so a rerun skips the input (``Store.known_sources``) without calling it rejected.
article_sources = sa.Table(
    "article_sources",
    metadata,
    sa.Column("source", sa.String, primary_key=True),
    sa.Column(
        "article_id", sa.String, sa.ForeignKey("articles.id", ondelete="CASCADE"), nullable=False
    ),
    sa.Column("at", sa.String, nullable=False),
)


def _article_fk() -> sa.ForeignKey:
    return sa.ForeignKey("articles.id", ondelete="CASCADE")


entities = sa.Table(
    "entities",
    metadata,
    sa.Column("article_id", sa.String, _article_fk(), primary_key=True),
    sa.Column("entity_id", sa.String, primary_key=True),
    sa.Column("name", sa.String, nullable=False),
    sa.Column("type", sa.String, nullable=False),
    sa.Column("actor", sa.String),
    sa.Column("sector", sa.String),
    sa.Column("country", sa.String),
    sa.Index("ix_entities_actor", "actor"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("article_id", sa.String, _article_fk(), primary_key=True),
    sa.Column("idx", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("type", sa.String, nullable=False),
    sa.Column("mode", sa.String),
    sa.Column("cameo", sa.String),
    sa.Column("status", sa.String, nullable=False),
    sa.Column("date", sa.String),
    sa.Column("date_precision", sa.String),
    # The first and last day the event may fall on: from its own date, or from its article's
    # publication date when the text gives none. The since/until filters compare these.
    sa.Column("date_start", sa.String),
    sa.Column("date_end", sa.String),
    sa.Column("place_name", sa.String),
    sa.Column("country", sa.String),
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("source_actors", Json, nullable=False),
    sa.Column("source_names", Json, nullable=False),
    sa.Column("target_actors", Json, nullable=False),
    sa.Column("target_names", Json, nullable=False),
    sa.Column("claimed_by", sa.String),
    sa.Column("claimed_by_name", sa.String),
    sa.Column("confidence", sa.Float, nullable=False),
    sa.Column("trigger", sa.String, nullable=False),
    sa.Column("evidence", sa.Text, nullable=False),
    # Version 3. What the text says of the event's checking (unverified, disputed, confirmed).
    sa.Column("verification", sa.String),
    # Version 4. The first mention of the same real event in the article (``Event.same_as``).
    sa.Column("same_as", sa.Integer),
    # Version 6 (5 is the dates' migration, merged beside it). How sure the geocoder was of
    # the event's place, and why it chose that reading (``Place.confidence``, ``.reasons``).
    sa.Column("place_confidence", sa.Float),
    sa.Column("place_reasons", Json),
    sa.Index("ix_events_type", "type"),
    sa.Index("ix_events_country", "country"),
    sa.Index("ix_events_date_start", "date_start"),
    sa.Index("ix_events_date_end", "date_end"),
)

event_actors = sa.Table(
    "event_actors",
    metadata,
    # One row per lower-cased actor id, entity id or name that an event's source, target or
    # claimant has, so the actor filter is one indexed lookup.
    sa.Column("article_id", sa.String, primary_key=True),
    sa.Column("event_idx", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("role", sa.String, primary_key=True),
    sa.Column("key", sa.String, primary_key=True),
    sa.ForeignKeyConstraint(
        ["article_id", "event_idx"], ["events.article_id", "events.idx"], ondelete="CASCADE"
    ),
    sa.Index("ix_event_actors_key", "key"),
)

claims = sa.Table(
    "claims",
    metadata,
    sa.Column("article_id", sa.String, _article_fk(), primary_key=True),
    sa.Column("idx", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("claimant", sa.String),
    sa.Column("claimant_actor", sa.String),
    sa.Column("claimant_name", sa.String),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("stance", sa.String, nullable=False),
    sa.Column("hedged", sa.Boolean, nullable=False),
    sa.Column("verification", sa.String),
)

rejected = sa.Table(
    "rejected",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("source", sa.String),
    sa.Column("code", sa.String, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("at", sa.String, nullable=False),
    sa.Index("ix_rejected_source", "source"),
)

# Case-insensitive lookups by name (the actor filters lower-case both sides).
sa.Index("ix_entities_name", sa.func.lower(entities.c.name))
sa.Index("ix_claims_claimant_actor", sa.func.lower(claims.c.claimant_actor))
sa.Index("ix_claims_claimant_name", sa.func.lower(claims.c.claimant_name))

# -- corpus results: replaced together by Store.replace_corpus_results ------------------------

syndication = sa.Table(
    "syndication",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("article_id", sa.String, _article_fk(), nullable=False),
    sa.Column("block", sa.Integer, nullable=False),
    sa.Column("source_article", sa.String, _article_fk()),
    sa.Column("source_block", sa.Integer),
    sa.Column("agency", sa.String),
    sa.Column("similarity", sa.Float, nullable=False),
    sa.Column("record", Json, nullable=False),
    sa.Index("ix_syndication_article", "article_id"),
    sa.Index("ix_syndication_source_article", "source_article"),
    # Version 7: a block has one record, replaced in place as articles arrive.
    sa.Index("ux_syndication_block", "article_id", "block", unique=True),
)

# -- version 7: syndication's state, so a refresh adds articles without rebuilding it ------------
# (corpus/sketches.py). Each matchable body block's MinHash sketch, and one per article for the
# whole of it (block -1), with the copy found for it: the source block and estimated similarity
# (for block -1, the earlier article it duplicates). ``agency`` is the agency the block's text
# credits; for block -1, the publisher's agency.
corpus_sketches = sa.Table(
    "corpus_sketches",
    metadata,
    sa.Column("article_id", sa.String, _article_fk(), primary_key=True),
    sa.Column("block", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("hashvalues", sa.LargeBinary, nullable=False),
    sa.Column("agency", sa.String),
    # No foreign key: the copy is state, not a result; the record in ``syndication`` has one.
    sa.Column("source_article", sa.String),
    sa.Column("source_block", sa.Integer),
    sa.Column("similarity", sa.Float),
)

# The LSH band keys of every sketch: a signed 64-bit hash of one band of its hash values, its
# kind (block or whole article) and band number mixed in, so candidates are one indexed lookup.
# By article ``seq``, not id, and without SQLite's rowid: the table holds about 25 rows a
# block, so each byte of a row counts.
corpus_bands = sa.Table(
    "corpus_bands",
    metadata,
    sa.Column("hash", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column(
        "article_seq",
        sa.Integer,
        sa.ForeignKey("articles.seq", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("block", sa.Integer, primary_key=True, autoincrement=False),
    sqlite_with_rowid=False,
)

stories = sa.Table(
    "stories",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("title", sa.String, nullable=False),
    sa.Column("first_seen", sa.String),
    sa.Column("last_seen", sa.String),
    sa.Column("record", Json, nullable=False),
    # Version 8. What story clustering scores a new article against (``StoryEntry``): the
    # story's keys, its word centroid, its first and last day (day numbers), its countries
    # and actors; apart from ``record``, whose list of articles grows with the story.
    sa.Column("feature_keys", Json),
    sa.Column("centroid", Json),
    sa.Column("first_day", sa.Integer),
    sa.Column("last_day", sa.Integer),
    sa.Column("countries", Json),
    sa.Column("actors", Json),
    sa.Column("incidents", Json),
    sa.Index("ix_stories_last_seen", "last_seen"),
)

story_articles = sa.Table(
    "story_articles",
    metadata,
    sa.Column(
        "story_id", sa.String, sa.ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("article_id", sa.String, _article_fk(), primary_key=True),
    sa.Index("ix_story_articles_article", "article_id"),
)

merged_events = sa.Table(
    "merged_events",
    metadata,
    sa.Column("id", sa.String, primary_key=True),
    sa.Column("type", sa.String, nullable=False),
    sa.Column("status", sa.String, nullable=False),
    sa.Column("country", sa.String),
    sa.Column("date", sa.String),
    sa.Column("first_seen", sa.String),
    sa.Column("last_seen", sa.String),
    sa.Column("sources", sa.Integer, nullable=False),
    sa.Column("record", Json, nullable=False),
    # Version 8. The story the event's reports are in: a story's merged events are replaced
    # together when the story changes.
    sa.Column("story_id", sa.String),
    # Version 9. The first and last day the event may fall on (from its date, else from its
    # reports' publication), so a page of events filtered by dates and sorted newest first is
    # one index walk, as the map asks for it.
    sa.Column("date_start", sa.String),
    sa.Column("date_end", sa.String),
    sa.Index("ix_merged_events_type", "type"),
    sa.Index("ix_merged_events_country", "country"),
    sa.Index("ix_merged_events_date", "date"),
)

event_mentions = sa.Table(
    "event_mentions",
    metadata,
    sa.Column(
        "merged_id",
        sa.String,
        sa.ForeignKey("merged_events.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("article_id", sa.String, _article_fk(), primary_key=True),
    sa.Column("event_idx", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("publisher", sa.String),
    sa.Column("published", sa.String),
    sa.Index("ix_event_mentions_article", "article_id", "event_idx"),
)

sa.Index("ix_merged_events_story", merged_events.c.story_id)
# Version 9. A page of merged events, newest first, filtered by one of these fields, walks one
# index in order and stops at the page's end, never sorting the matches.
sa.Index("ix_merged_events_date_start", merged_events.c.date_start, merged_events.c.id)
sa.Index("ix_merged_events_type_date", *(merged_events.c[n] for n in ("type", "date_start", "id")))
sa.Index(
    "ix_merged_events_country_date", *(merged_events.c[n] for n in ("country", "date_start", "id"))
)
sa.Index(
    "ix_merged_events_status_date", *(merged_events.c[n] for n in ("status", "date_start", "id"))
)
MERGED_PAGE_INDEXES = frozenset(
    {
        "ix_merged_events_date_start",
        "ix_merged_events_type_date",
        "ix_merged_events_country_date",
        "ix_merged_events_status_date",
    }
)
"""The indexes version 9 adds for pages of merged events."""

# -- version 8: the story index and where the corpus steps stand ------------------------------

UNDATED_BUCKET = -(2**31)
"""``story_postings.bucket`` of undated articles: a key column cannot be NULL. No date falls
there (day numbers start at 1)."""

story_postings = sa.Table(
    "story_postings",
    metadata,
    # The inverted index of story clustering: (feature key, time bucket) -> stories, in the
    # order they were posted (``position``), which decides ties between candidates.
    sa.Column("key", sa.String, primary_key=True),
    sa.Column("bucket", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("story_id", sa.String, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
)

story_terms = sa.Table(
    "story_terms",
    metadata,
    # Document frequency of each feature key over the articles clustered so far.
    sa.Column("key", sa.String, primary_key=True),
    sa.Column("articles", sa.Integer, nullable=False),
)

corpus_state = sa.Table(
    "corpus_state",
    metadata,
    # One row: how far the corpus steps have come (the last ``articles.seq`` taken in), under
    # which corpus settings (a fingerprint), how many articles story clustering has taken in,
    # and the latest time bucket an article was dated in.
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("watermark", sa.Integer, nullable=False),
    sa.Column("settings", sa.String, nullable=False),
    sa.Column("articles", sa.Integer, nullable=False),
    sa.Column("latest_bucket", sa.Integer),
)

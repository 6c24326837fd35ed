"""Numbered schema migrations, applied in order, once each, when a store is opened.

The ``schema_version`` table holds one row per applied migration. ``migrate`` runs every
migration newer than the store's version inside the caller's transaction, so a store is either
fully at the new version or untouched; on PostgreSQL an advisory lock keeps two processes that
open a new store at once from both creating it. A store whose version is newer than
``LATEST`` was written by a newer newsdesk and is refused (E403) rather than guessed at.

To change the schema: add ``Migration(N + 1, ...)`` here with the DDL that turns version N into
N + 1 on both back ends, change ``schema.py`` to match, and bump ``schema.SCHEMA_VERSION``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from newsdesk.corpus import schema
from newsdesk.dates import iso_week
from newsdesk.errors import Errors, StoreError

# pg_advisory_xact_lock key: any constant that other applications on the server are unlikely
# to use ("news" in ASCII).
_PG_LOCK_KEY = 0x6E657773


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    apply: Callable[[sa.Connection], None]


def _initial_schema(conn: sa.Connection) -> None:
    later = {
        schema.schema_version,
        schema.article_sources,
        schema.corpus_sketches,
        schema.corpus_bands,
        schema.story_postings,
        schema.story_terms,
        schema.corpus_state,
    }
    for table in schema.metadata.sorted_tables:
        if table is schema.events:
            _events_version_1().create(conn)
        elif table is schema.stories:
            _stories_version_1().create(conn)
        elif table is schema.merged_events:
            _merged_events_version_1().create(conn)
        elif table not in later:
            table.create(conn)
    if conn.dialect.name == "sqlite":
        _sqlite_full_text(conn)
    elif conn.dialect.name == "postgresql":
        _postgres_full_text(conn)


def _events_version_1() -> sa.Table:
    """The events table as version 1 created it (version 3 added ``verification``, version 4
    ``same_as``)."""
    json = schema.Json
    return sa.Table(
        "events",
        sa.MetaData(),
        sa.Column(
            "article_id",
            sa.String,
            sa.ForeignKey(schema.articles.c.id, ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("idx", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("type", sa.String, nullable=False),
        sa.Column("mode", sa.String),
        sa.Column("cameo", sa.String),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("date", sa.String),
        sa.Column("date_precision", sa.String),
        sa.Column("date_start", sa.String),
        sa.Column("date_end", sa.String),
        sa.Column("place_name", sa.String),
        sa.Column("country", sa.String),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("source_actors", json, nullable=False),
        sa.Column("source_names", json, nullable=False),
        sa.Column("target_actors", json, nullable=False),
        sa.Column("target_names", json, nullable=False),
        sa.Column("claimed_by", sa.String),
        sa.Column("claimed_by_name", sa.String),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("trigger", sa.String, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Index("ix_events_type", "type"),
        sa.Index("ix_events_country", "country"),
        sa.Index("ix_events_date_start", "date_start"),
        sa.Index("ix_events_date_end", "date_end"),
    )


def _stories_version_1() -> sa.Table:
    """The stories table as version 1 created it (version 8 added the clustering columns)."""
    return sa.Table(
        "stories",
        sa.MetaData(),
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("first_seen", sa.String),
        sa.Column("last_seen", sa.String),
        sa.Column("record", schema.Json, nullable=False),
        sa.Index("ix_stories_last_seen", "last_seen"),
    )


def _merged_events_version_1() -> sa.Table:
    """The merged_events table as version 1 created it (version 8 added ``story_id``, version 9
    ``date_start`` and ``date_end``)."""
    return sa.Table(
        "merged_events",
        sa.MetaData(),
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("type", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        sa.Column("country", sa.String),
        sa.Column("date", sa.String),
        sa.Column("first_seen", sa.String),
        sa.Column("last_seen", sa.String),
        sa.Column("sources", sa.Integer, nullable=False),
        sa.Column("record", schema.Json, nullable=False),
        sa.Index("ix_merged_events_type", "type"),
        sa.Index("ix_merged_events_country", "country"),
        sa.Index("ix_merged_events_date", "date"),
    )


def _sqlite_full_text(conn: sa.Connection) -> None:
    # External content: the index stores no second copy of the text, snippet() reads it from
    # ``articles``; the triggers keep the index in step with every insert, update and delete.
    # Porter stemming so that "advancing" finds "advance", as PostgreSQL's English config does.
    conn.exec_driver_sql(
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
        "content_rowid='seq', tokenize='porter unicode61 remove_diacritics 2')"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.seq, old.title, old.text); END"
    )
    conn.exec_driver_sql(
        "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.seq, old.title, old.text); "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text); END"
    )


def _postgres_full_text(conn: sa.Connection) -> None:
    # newsdesk analyses English only (setting input.languages), hence one 'english' config.
    conn.exec_driver_sql(
        "ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('english', text), 'B')) STORED"
    )
    conn.exec_driver_sql(
        "CREATE INDEX ix_articles_search_vector ON articles USING GIN (search_vector)"
    )


def _article_sources(conn: sa.Connection) -> None:
    schema.article_sources.create(conn)


def _event_verification(conn: sa.Connection) -> None:
    column = schema.events.c.verification
    conn.execute(
        sa.text(f"ALTER TABLE events ADD COLUMN {column.name} {column.type.compile(conn.dialect)}")
    )


def _event_links(conn: sa.Connection) -> None:
    column = schema.events.c.same_as
    conn.execute(
        sa.text(f"ALTER TABLE events ADD COLUMN {column.name} {column.type.compile(conn.dialect)}")
    )


def _event_place_reasons(conn: sa.Connection) -> None:
    for column in (schema.events.c.place_confidence, schema.events.c.place_reasons):
        kind = column.type.compile(conn.dialect)
        conn.execute(sa.text(f"ALTER TABLE events ADD COLUMN {column.name} {kind}"))


def _syndication_state(conn: sa.Connection) -> None:
    """Syndication's sketches and bands in the store. Empty until the corpus steps next run
    (a full refresh fills them from the stored articles). ``checkfirst``: the tables and index
    are new, and a store that had them (a downgraded version row) keeps them."""
    schema.corpus_sketches.create(conn, checkfirst=True)
    schema.corpus_bands.create(conn, checkfirst=True)
    unique = next(i for i in schema.syndication.indexes if i.name == "ux_syndication_block")
    unique.create(conn, checkfirst=True)


def _story_index(conn: sa.Connection) -> None:
    """The story index and the corpus steps' watermark in tables, so that a refresh takes in
    only new articles. The corpus results stored so far stay as they are; with no watermark
    yet, the next refresh rebuilds them all (and the index with them)."""
    columns = (
        schema.stories.c.feature_keys,
        schema.stories.c.centroid,
        schema.stories.c.first_day,
        schema.stories.c.last_day,
        schema.stories.c.countries,
        schema.stories.c.actors,
        schema.stories.c.incidents,
        schema.merged_events.c.story_id,
    )
    for column in columns:
        kind = column.type.compile(conn.dialect)
        owner = column.table.name
        conn.execute(sa.text(f"ALTER TABLE {owner} ADD COLUMN {column.name} {kind}"))
    for index in schema.merged_events.indexes:
        if index.name == "ix_merged_events_story":
            index.create(conn)
    for table in (schema.story_postings, schema.story_terms, schema.corpus_state):
        table.create(conn)


# Records read per batch when a migration rewrites stored articles: bounds memory on big stores.
_BATCH = 500


def _time_weeks(conn: sa.Connection) -> None:
    """Stored time expressions of one week gain their ISO week (``TimeExpression.week``), so
    old and new records answer alike; no table changes."""
    table = schema.articles
    last_seq = 0
    while True:
        rows = conn.execute(
            sa.select(table.c.seq, table.c.record)
            .where(table.c.seq > last_seq)
            .order_by(table.c.seq)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        for seq, record in rows:
            weeks = _with_weeks(record)
            if weeks is not None:
                conn.execute(table.update().where(table.c.seq == seq).values(record=weeks))
        last_seq = rows[-1].seq


def _with_weeks(record: dict[str, Any]) -> dict[str, Any] | None:
    """The record with each week's ISO week filled in; None when nothing changes."""
    times = record.get("times") or []
    changed = False
    filled = []
    for time in times:
        if time.get("precision") == "week" and time.get("week") is None:
            week = iso_week(time.get("value"))
            if week is not None:
                time = {**time, "week": week}
                changed = True
        filled.append(time)
    return {**record, "times": filled} if changed else None


def _merged_dates(conn: sa.Connection) -> None:
    """Merged events gain the first and last day they may fall on, filled from their stored
    records, and an index to page them newest first (the web app's map and API)."""
    from newsdesk.corpus.store import merged_date_range  # the store imports this module

    table = schema.merged_events
    for column in (table.c.date_start, table.c.date_end):
        kind = column.type.compile(conn.dialect)
        conn.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))
    last_id = ""
    while True:
        rows = conn.execute(
            sa.select(table.c.id, table.c.record)
            .where(table.c.id > last_id)
            .order_by(table.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            break
        for row in rows:
            record = row.record or {}
            start, end = merged_date_range(
                record.get("date"), record.get("first_seen"), record.get("last_seen")
            )
            conn.execute(
                table.update().where(table.c.id == row.id).values(date_start=start, date_end=end)
            )
        last_id = rows[-1].id
    for index in table.indexes:
        if index.name in schema.MERGED_PAGE_INDEXES:
            index.create(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _initial_schema),
    Migration(2, "sources of duplicate inputs", _article_sources),
    Migration(3, "verification of events", _event_verification),
    Migration(4, "links between mentions of one real event", _event_links),
    Migration(5, "ISO weeks of stored time expressions", _time_weeks),
    Migration(
        6, "the geocoder's confidence and reasons for an event's place", _event_place_reasons
    ),
    Migration(7, "syndication's sketches and LSH bands", _syndication_state),
    Migration(8, "the story index and the corpus steps' watermark", _story_index),
    Migration(9, "the days a merged event may fall on, to page events by date", _merged_dates),
)
LATEST = MIGRATIONS[-1].version
assert LATEST == schema.SCHEMA_VERSION, "schema.SCHEMA_VERSION must name the last migration"


def current_version(conn: sa.Connection) -> int:
    """The store's schema version: 0 for an empty database."""
    if not sa.inspect(conn).has_table(schema.schema_version.name):
        return 0
    found = conn.scalar(sa.select(sa.func.max(schema.schema_version.c.version)))
    return int(found or 0)


def check_version(version: int, *, url: str) -> None:
    """Refuse a store written by a newer newsdesk."""
    if version > LATEST:
        raise StoreError(Errors.E403.format(url=url, found=version, supported=LATEST))


def migrate(conn: sa.Connection, *, url: str) -> list[int]:
    """Apply every pending migration inside the caller's (write) transaction; return their
    versions. Running it on an up-to-date store changes nothing."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_LOCK_KEY)))
    schema.schema_version.create(conn, checkfirst=True)
    version = current_version(conn)
    check_version(version, url=url)
    applied = []
    for migration in MIGRATIONS:
        if migration.version <= version:
            continue
        migration.apply(conn)
        conn.execute(
            schema.schema_version.insert().values(
                version=migration.version,
                name=migration.name,
                applied_at=datetime.now(UTC).isoformat(timespec="seconds"),
            )
        )
        applied.append(migration.version)
    return applied

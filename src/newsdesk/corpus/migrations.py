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

import sqlalchemy as sa

from newsdesk.corpus import schema
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
    later = {schema.schema_version, schema.article_sources}
    tables = [table for table in schema.metadata.sorted_tables if table not in later]
    schema.metadata.create_all(conn, tables=tables)
    if conn.dialect.name == "sqlite":
        _sqlite_full_text(conn)
    elif conn.dialect.name == "postgresql":
        _postgres_full_text(conn)


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


def _event_links(conn: sa.Connection) -> None:
    # Version 1 creates the events table as ``schema`` declares it now, so a store created by
    # this code already has the column; one created before it gains it, empty until its
    # articles are analysed again (their records hold no links).
    columns = {column["name"] for column in sa.inspect(conn).get_columns(schema.events.name)}
    if "same_as" not in columns:
        conn.exec_driver_sql("ALTER TABLE events ADD COLUMN same_as INTEGER")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _initial_schema),
    Migration(2, "sources of duplicate inputs", _article_sources),
    Migration(3, "links between mentions of one real event", _event_links),
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

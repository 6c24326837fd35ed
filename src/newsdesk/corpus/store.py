"""The corpus store: articles, rejections and corpus results in SQLite or PostgreSQL.

    >>> from newsdesk.corpus.store import Store
    >>> with Store("newsdesk.sqlite") as store:
    ...     store.add_article(article, source="feeds/bbc.xml")
    ...     store.events(country="AF", since="2021-08", actor="Taliban")

``Store(url)`` takes a file path (SQLite), ``sqlite:///PATH`` or ``postgresql://USER@HOST/DB``
(driven by psycopg 3). The CLI reads the URL from ``--db`` or the ``NEWSDESK_DB`` environment
variable and defaults to ``newsdesk.sqlite`` in the working folder; this module reads no
environment variable. The schema is created, or migrated to this code's version, on open.

One schema on both back ends (``schema.py``); only full-text search differs: FTS5 on SQLite, a
``tsvector`` column with a GIN index on PostgreSQL, behind one :meth:`Store.search`.

**One writer, many readers.** One process writes at a time (an ingest, a recode, a corpus run);
any number may read meanwhile. SQLite runs in WAL mode, so readers never wait for the writer and
see the store as of their last commit; a second writer waits up to ``busy_timeout`` seconds and
then gets E405. Every write is one transaction: an article goes in whole (with its events,
claims and entities) or not at all, so a crash mid-ingest loses only the article in flight, and
:meth:`Store.known_sources` tells a rerun where to resume. The corpus results (syndication,
stories, merged events) are refreshed by ``corpus/refresh.py`` in batches of articles, one
transaction each, on a connection from :meth:`Store.transaction`.
"""

from __future__ import annotations

import calendar
import re
import sqlite3
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from newsdesk.corpus import migrations, schema
from newsdesk.corpus.dates import UNDATED
from newsdesk.corpus.syntax import HIT_END, HIT_START, SEARCH_SYNTAX
from newsdesk.errors import Errors, StoreError
from newsdesk.records import Article, Entity, MergedEvent, Rejected, Story, Syndication

__all__ = [
    "HIT_END",
    "HIT_START",
    "MAX_LIMIT",
    "MAX_SEARCH_CHARS",
    "MAX_SEARCH_WORDS",
    "SEARCH_SYNTAX",
    "ActorRow",
    "Added",
    "ArticleRow",
    "MergedRow",
    "PlaceRow",
    "SearchHit",
    "SearchTerm",
    "Store",
    "StoredClaim",
    "StoredEvent",
    "check_limit",
    "parse_search",
]

MAX_LIMIT = 1_000_000
"""The largest ``limit`` a query takes; no limit at all is ``None``. Past it a number is a typo
or an overflow (2**63 overflows both databases), never a page size."""

MAX_SEARCH_WORDS = 32
MAX_SEARCH_CHARS = 1_000
"""A search's size cap: FTS5's time grows with the square of the words and PostgreSQL's query
parser runs out of stack near 20,000; no real search needs more than a few."""


class Added(Enum):
    """What :meth:`Store.add_article` did. Only ``NEW`` is true, so ``if store.add_article(...)``
    still reads "was it added"."""

    NEW = "new"
    """Stored now."""
    ALREADY_STORED = "already stored"
    """This article from this same source was stored before (a rerun, or another ingest of the
    same folder running at the same time): nothing to do, and nothing wrong with the input."""
    DUPLICATE = "duplicate"
    """The same text was stored before from another source; this source is recorded as done
    (:meth:`Store.known_sources`), nothing else is added."""

    def __bool__(self) -> bool:
        return self is Added.NEW


def _page(limit: int, offset: int) -> tuple[int, int]:
    """A page's ``limit`` (1 to :data:`MAX_LIMIT`, E407) and ``offset`` (0 to
    :data:`MAX_LIMIT`, E414)."""
    if limit is None:
        raise StoreError(Errors.E407.format(got=limit, most=MAX_LIMIT))
    check_limit(limit)
    if isinstance(offset, bool) or not isinstance(offset, int) or not 0 <= offset <= MAX_LIMIT:
        raise StoreError(Errors.E414.format(got=offset, most=MAX_LIMIT))
    return limit, offset


def check_limit(limit: int | None) -> int | None:
    """``limit`` when it is None or a whole number from 1 to :data:`MAX_LIMIT`; else E407."""
    if limit is None:
        return None
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise StoreError(Errors.E407.format(got=limit, most=MAX_LIMIT))
    return limit


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One coded event as the store answers it: the event, its article, its actors by name."""

    article_id: str
    index: int
    """Index into the article's ``events``."""
    type: str
    mode: str | None
    cameo: str | None
    status: str
    date: str | None
    date_precision: str | None
    place: str | None
    country: str | None
    lat: float | None
    lon: float | None
    place_confidence: float | None
    """How sure the geocoder was of the place's reading (``Place.confidence``)."""
    place_reasons: tuple[str, ...]
    """Why the geocoder chose that reading (``Place.reasons``)."""
    source: tuple[str, ...]
    """Knowledge-base actor ids, or the entity's name when it is not in the knowledge base."""
    source_names: tuple[str, ...]
    target: tuple[str, ...]
    target_names: tuple[str, ...]
    claimed_by: str | None
    claimed_by_name: str | None
    verification: str | None
    """What the text says of the event's checking: unverified, disputed, confirmed or None."""
    confidence: float
    trigger: str
    evidence: str
    """The sentence the event was read from."""
    same_as: int | None
    """Index of the article's first mention of the same real event, when this one tells it
    again (``Event.same_as``)."""
    title: str | None
    publisher: str | None
    published: str | None
    url: str | None


@dataclass(frozen=True, slots=True)
class StoredClaim:
    """One claim with its claimant by name, and the article it stands in."""

    article_id: str
    index: int
    """Index into the article's ``claims``."""
    claimant: str | None
    """Entity id of the claimant in its article."""
    claimant_actor: str | None
    claimant_name: str | None
    content: str
    stance: str
    hedged: bool
    verification: str | None
    title: str | None
    publisher: str | None
    published: str | None


@dataclass(frozen=True, slots=True)
class SearchHit:
    article_id: str
    title: str | None
    snippet: str
    """Text around the match, matched words between :data:`HIT_START` and :data:`HIT_END`."""
    rank: int
    """Place in the results: 1 for the best match, then 2, 3... What to show a reader."""
    score: float
    """The back end's relevance score, higher is better: comparable within one search only,
    never between back ends (bm25 on SQLite, ts_rank on PostgreSQL)."""


@dataclass(frozen=True, slots=True)
class MergedRow:
    """A merged event as a page of them lists it (a map's marker, a timeline's point): its
    fields but the mentions and conflicts, which :meth:`Store.merged_event` gives."""

    id: str
    type: str
    status: str
    date: str | None
    first_seen: str | None
    last_seen: str | None
    place: str | None
    country: str | None
    lat: float | None
    lon: float | None
    source: tuple[str, ...]
    target: tuple[str, ...]
    sources: int
    reports: int
    """Its mentions: reports of it, copies included."""
    story_id: str | None
    """The story its reports are in, when the incremental refresh wrote it."""

    @classmethod
    def of(cls, record: dict[str, Any], story_id: str | None) -> MergedRow:
        """The row of a stored ``MergedEvent`` record, read as the dict it is stored as: a
        page of rows need not validate every mention's evidence again."""
        return cls(
            id=record["id"],
            type=record["type"],
            status=record["status"],
            date=record.get("date"),
            first_seen=record.get("first_seen"),
            last_seen=record.get("last_seen"),
            place=record.get("place"),
            country=record.get("country"),
            lat=record.get("lat"),
            lon=record.get("lon"),
            source=tuple(record.get("source") or ()),
            target=tuple(record.get("target") or ()),
            sources=record["sources"],
            reports=len(record.get("mentions") or ()),
            story_id=story_id,
        )


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """An article's metadata, as a page of articles lists it."""

    id: str
    title: str | None
    publisher: str | None
    published: str | None
    url: str | None
    language: str | None
    ingested_at: str
    events: int


@dataclass(frozen=True, slots=True)
class ActorRow:
    key: str
    """The knowledge-base actor id, or the name of an actor the knowledge base lacks: what the
    events' ``actor`` filter takes."""
    name: str
    type: str
    actor: str | None
    sector: str | None
    country: str | None
    articles: int


@dataclass(frozen=True, slots=True)
class PlaceRow:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    events: int
    articles: int


_EVENT_FIELDS = tuple(field.name for field in fields(StoredEvent))
_ARTICLE_FRAME_COLUMNS = (
    "id",
    "url",
    "title",
    "publisher",
    "published",
    "language",
    "source",
    "extractor",
    "ingested_at",
    "recoded_at",
)


class Store:
    """Articles and corpus results in one database. Use as a context manager, or call close.

    ``url`` is a file path or a database URL (see the module's docstring). ``busy_timeout``
    (SQLite) is how many seconds a writer waits for another writer before E405.

    ``read_only``: the database itself refuses every write, so that not even a bug in a reader
    (``newsdesk serve`` without a token) can change the store: SQLite opens the file with
    ``mode=ro`` and ``query_only``, PostgreSQL's sessions start with
    ``default_transaction_read_only``. A write then fails with E409; a store that would need
    upgrading first is refused with E413.
    """

    def __init__(
        self, url: str | Path, *, busy_timeout: float = 30.0, read_only: bool = False
    ) -> None:
        raw = str(url)
        resolved = _resolve_url(url)
        self.url = resolved.render_as_string(hide_password=True)
        """The store's URL, password hidden: safe to print."""
        self.database_file: Path | None = (
            Path(resolved.database).resolve()
            if resolved.get_backend_name() == "sqlite" and resolved.database
            else None
        )
        """The SQLite file, or None for a server database."""
        self.read_only = read_only
        self._engine = _create_engine(
            resolved, raw=raw, busy_timeout=busy_timeout, read_only=read_only
        )
        self._dialect = self._engine.dialect.name
        try:
            self._open()
        except BaseException:
            self._engine.dispose()
            raise

    def _open(self) -> None:
        if self._dialect == "sqlite":
            _require_fts5()
        try:
            with self._engine.connect() as conn:
                version = migrations.current_version(conn)
        except sa.exc.DBAPIError as exc:
            if _read_only(exc):
                # Setting WAL mode on connect writes to the file.
                detail, doing = _reason(exc), "opening it"
                raise StoreError(
                    Errors.E409.format(url=self.url, detail=detail, doing=doing)
                ) from exc
            raise StoreError(Errors.E401.format(url=self.url, detail=_reason(exc))) from exc
        migrations.check_version(version, url=self.url)
        if version < migrations.LATEST and self.read_only:
            raise StoreError(
                Errors.E413.format(url=self.url, found=version, latest=migrations.LATEST)
            )
        if version < migrations.LATEST:
            # Only a store that needs it takes the write lock, so opening an up-to-date store to
            # read never waits for a running ingest.
            with self._write("creating or upgrading its tables") as conn:
                migrations.migrate(conn, url=self.url)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    # -- transactions ---------------------------------------------------------------------

    @contextmanager
    def _write(self, doing: str) -> Iterator[sa.Connection]:
        """One write transaction. On SQLite it takes the write lock at BEGIN (IMMEDIATE), so a
        second writer waits for the lock instead of failing halfway through. ``doing`` names
        the step in an error message."""
        try:
            with self._engine.connect() as conn:
                conn = conn.execution_options(newsdesk_write=True)
                with conn.begin():
                    yield conn
        except sa.exc.StatementError as exc:
            raise self._failure(exc, doing) from exc

    @contextmanager
    def transaction(self, doing: str) -> Iterator[sa.Connection]:
        """One write transaction for a step that writes many tables at once (the corpus steps,
        ``corpus.refresh``): committed when the block ends, rolled back when it raises.
        Database errors surface as coded StoreErrors naming ``doing``."""
        with self._write(doing) as conn:
            yield conn

    @contextmanager
    def _read(self, doing: str = "reading") -> Iterator[sa.Connection]:
        """One read transaction: every query in it sees the same committed state."""
        try:
            with self._engine.connect() as conn:
                yield conn
        except sa.exc.StatementError as exc:
            raise self._failure(exc, doing) from exc

    def _failure(self, exc: sa.exc.StatementError, doing: str) -> StoreError:
        """A database error as a coded one, its message the driver's first line only: the
        error's own text holds the SQL statement (and would hold its parameters, but the engine
        hides them), which is no message for a user."""
        detail = _reason(exc)
        if self._dialect == "sqlite" and "locked" in str(exc.orig):
            return StoreError(Errors.E405.format(url=self.url, detail=detail))
        if _read_only(exc):
            return StoreError(Errors.E409.format(url=self.url, detail=detail, doing=doing))
        return StoreError(Errors.E408.format(url=self.url, detail=detail, doing=doing))

    def _insert_ignoring(self, table: sa.Table, key: str = "id") -> Any:
        """INSERT ... ON CONFLICT DO NOTHING on the table's unique ``key``."""
        insert = pg_dialect.insert if self._dialect == "postgresql" else sqlite_dialect.insert
        return insert(table).on_conflict_do_nothing(index_elements=[key])

    # -- articles -------------------------------------------------------------------------

    def add_article(self, article: Article, *, source: str | None = None) -> Added:
        """Store an article with its events, claims and entities, in one transaction.

        Returns :attr:`Added.NEW` (true) when it is new. The same article again (same id, the
        hash of its text) adds nothing: :attr:`Added.ALREADY_STORED` from the same source or
        none (a rerun, or a second ingest of the same folder at the same time), or
        :attr:`Added.DUPLICATE` from another source, which is then recorded as done. Neither is
        a rejection: the input was fine, its text is simply in the store already.
        """
        articles = schema.articles
        with self._write("storing an article") as conn:
            # RETURNING, not rowcount: psycopg reports no rowcount for an INSERT that returns.
            inserted = conn.execute(
                self._insert_ignoring(articles).returning(articles.c.seq),
                _article_row(article, source=source, ingested_at=_now()),
            ).first()
            if inserted is not None:
                _insert_parts(conn, article)
                return Added.NEW
            first = conn.scalar(sa.select(articles.c.source).where(articles.c.id == article.id))
            if source is None or source == first:
                return Added.ALREADY_STORED
            conn.execute(
                self._insert_ignoring(schema.article_sources, key="source"),
                {"source": source, "article_id": article.id, "at": _now()},
            )
            return Added.DUPLICATE

    def replace_article(self, article: Article) -> None:
        """Store a newer extraction of an article already stored (``newsdesk recode``).

        Keeps where and when it was first ingested; replaces its record, events, claims and
        entities in one transaction. An article not yet stored is added. Corpus results that
        point at its events are stale afterwards: run the corpus steps again.
        """
        with self._write("replacing an article") as conn:
            articles = schema.articles
            found = conn.execute(
                sa.select(articles.c.source, articles.c.ingested_at).where(
                    articles.c.id == article.id
                )
            ).first()
            if found is None:
                conn.execute(
                    articles.insert(), _article_row(article, source=None, ingested_at=_now())
                )
            else:
                row = _article_row(article, source=found.source, ingested_at=found.ingested_at)
                row["recoded_at"] = _now()
                conn.execute(articles.update().where(articles.c.id == article.id).values(row))
                for table in (schema.event_actors, schema.events, schema.claims, schema.entities):
                    conn.execute(table.delete().where(table.c.article_id == article.id))
            _insert_parts(conn, article)

    def add_rejected(self, rejected: Rejected) -> None:
        """Store an input that could not be analysed, with its reason.

        The same rejection of the same source again is stored once, so a rerun does not count
        it twice; rejections of inputs with no source are all kept.
        """
        table = schema.rejected
        with self._write("storing a rejection") as conn:
            if rejected.source is not None and self._dialect == "postgresql":
                # PostgreSQL writers run side by side (SQLite's take turns): without the lock two
                # ingests of one folder would both find no such rejection yet and both add it.
                conn.execute(
                    sa.select(
                        sa.func.pg_advisory_xact_lock(
                            _PG_REJECTED_LOCK, sa.func.hashtext(rejected.source)
                        )
                    )
                )
            if rejected.source is not None:
                seen = conn.scalar(
                    sa.select(table.c.id)
                    .where(
                        table.c.source == rejected.source,
                        table.c.code == rejected.code,
                        table.c.reason == rejected.reason,
                    )
                    .limit(1)
                )
                if seen is not None:
                    return
            conn.execute(
                table.insert().values(
                    source=rejected.source, code=rejected.code, reason=rejected.reason, at=_now()
                )
            )

    def add_batch(
        self, articles: Sequence[tuple[Article, str | None]], rejected: Sequence[Rejected] = ()
    ) -> list[Added]:
        """Store many articles, each with its source, and rejections, in one transaction and a
        few bulk statements (``newsdesk load``): all of them or, on an error, none.

        Each article is treated as :meth:`add_article` treats it, and its outcome returned in
        order; each rejection as :meth:`add_rejected` treats it (stored once per source, code
        and reason).
        """
        table = schema.articles
        outcomes: list[Added] = []
        with self._write("storing a batch of articles") as conn:
            stored: dict[str, str | None] = {}
            for chunk in _chunks(sorted({article.id for article, _ in articles})):
                query = sa.select(table.c.id, table.c.source).where(table.c.id.in_(chunk))
                stored.update((row.id, row.source) for row in conn.execute(query))
            now = _now()
            fresh: list[tuple[Article, str | None]] = []
            copies: list[dict[str, Any]] = []
            for article, source in articles:
                if article.id not in stored:
                    stored[article.id] = source
                    fresh.append((article, source))
                    outcomes.append(Added.NEW)
                elif source is None or source == stored[article.id]:
                    outcomes.append(Added.ALREADY_STORED)
                else:
                    copies.append({"source": source, "article_id": article.id, "at": now})
                    outcomes.append(Added.DUPLICATE)
            if fresh:
                rows = [_article_row(a, source=source, ingested_at=now) for a, source in fresh]
                # A writer beside this one (PostgreSQL) may have stored one since the lookup:
                # only the rows inserted here get their parts.
                inserted = set(
                    conn.scalars(self._insert_ignoring(table).returning(table.c.id), rows)
                )
                parts = [_part_rows(article) for article, _ in fresh if article.id in inserted]
                for index, part_table in enumerate(_PART_TABLES):
                    part_rows = [row for part in parts for row in part[index]]
                    if part_rows:
                        conn.execute(part_table.insert(), part_rows)
            if copies:
                conn.execute(self._insert_ignoring(schema.article_sources, key="source"), copies)
            self._add_rejections(conn, rejected, at=now)
        return outcomes

    def _add_rejections(self, conn: sa.Connection, rejected: Sequence[Rejected], at: str) -> None:
        """Insert the rejections not stored yet (by source, code and reason) in one statement."""
        table = schema.rejected
        sources = sorted({item.source for item in rejected if item.source is not None})
        if self._dialect == "postgresql":
            for source in sources:  # in one order, so two loaders never wait on each other
                conn.execute(
                    sa.select(
                        sa.func.pg_advisory_xact_lock(_PG_REJECTED_LOCK, sa.func.hashtext(source))
                    )
                )
        seen: set[tuple[str | None, str, str]] = set()
        for chunk in _chunks(sources):
            query = sa.select(table.c.source, table.c.code, table.c.reason).where(
                table.c.source.in_(chunk)
            )
            seen.update((row.source, row.code, row.reason) for row in conn.execute(query))
        rows = []
        for item in rejected:
            key = (item.source, item.code, item.reason)
            if item.source is not None and key in seen:
                continue
            seen.add(key)
            rows.append({"source": item.source, "code": item.code, "reason": item.reason, "at": at})
        if rows:
            conn.execute(table.insert(), rows)

    def known_among(self, sources: Sequence[str]) -> set[str]:
        """Those of ``sources`` already done (:meth:`known_sources`, asked of a few)."""
        articles, rejected, copies = schema.articles, schema.rejected, schema.article_sources
        known: set[str] = set()
        with self._read() as conn:
            for chunk in _chunks(sorted(set(sources))):
                query = sa.union(
                    sa.select(articles.c.source).where(articles.c.source.in_(chunk)),
                    sa.select(copies.c.source).where(copies.c.source.in_(chunk)),
                    sa.select(rejected.c.source).where(rejected.c.source.in_(chunk)),
                )
                known.update(str(source) for source in conn.scalars(query))
        return known

    def rejected(self, *, limit: int | None = None, offset: int = 0) -> list[Rejected]:
        """Every stored rejection, oldest first; ``limit`` and ``offset`` as in
        :meth:`events`."""
        limit = check_limit(limit)
        offset = _page(1, offset)[1]
        table = schema.rejected
        query = (
            sa.select(table.c.code, table.c.reason, table.c.source)
            .order_by(table.c.id)
            .limit(limit)
            .offset(offset or None)
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [Rejected(code=row.code, reason=row.reason, source=row.source) for row in rows]

    def has_article(self, article_id: str) -> bool:
        with self._read() as conn:
            found = conn.scalar(
                sa.select(schema.articles.c.seq).where(schema.articles.c.id == article_id)
            )
        return found is not None

    def known_sources(self) -> set[str]:
        """Sources already done, ingested, found to duplicate a stored article, or rejected:
        what a rerun of a crashed ingest skips."""
        articles, rejected, copies = schema.articles, schema.rejected, schema.article_sources
        query = sa.union(
            sa.select(articles.c.source).where(articles.c.source.is_not(None)),
            sa.select(copies.c.source),
            sa.select(rejected.c.source).where(rejected.c.source.is_not(None)),
        )
        with self._read() as conn:
            return {str(source) for source in conn.scalars(query)}

    def get_article(self, article_id: str) -> Article | None:
        articles = schema.articles
        with self._read() as conn:
            record = conn.scalar(sa.select(articles.c.record).where(articles.c.id == article_id))
        return None if record is None else Article.model_validate(record)

    def iter_articles(self, *, batch_size: int = 200) -> Iterator[Article]:
        """Every article in the order it was stored, reading ``batch_size`` at a time."""
        check_limit(batch_size)
        articles = schema.articles
        last = 0
        while True:
            with self._read() as conn:
                rows = conn.execute(
                    sa.select(articles.c.seq, articles.c.record)
                    .where(articles.c.seq > last)
                    .order_by(articles.c.seq)
                    .limit(batch_size)
                ).all()
            if not rows:
                return
            for row in rows:
                yield Article.model_validate(row.record)
            last = rows[-1].seq

    def stale_articles(self, extractor: str) -> list[str]:
        """Ids of articles coded by any extractor other than ``extractor``, oldest first."""
        articles = schema.articles
        with self._read() as conn:
            return list(
                conn.scalars(
                    sa.select(articles.c.id)
                    .where(articles.c.extractor != extractor)
                    .order_by(articles.c.seq)
                )
            )

    def counts(self) -> dict[str, int]:
        """How many articles, rejections, events, claims, entities and corpus results."""
        tables = {
            "articles": schema.articles,
            "rejected": schema.rejected,
            "events": schema.events,
            "claims": schema.claims,
            "entities": schema.entities,
            "syndication": schema.syndication,
            "stories": schema.stories,
            "merged_events": schema.merged_events,
        }
        with self._read() as conn:
            return {
                name: int(conn.scalar(sa.select(sa.func.count()).select_from(table)) or 0)
                for name, table in tables.items()
            }

    # -- queries --------------------------------------------------------------------------

    def events(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
        type: str | None = None,  # shadows the builtin: the CLI option and the field are "type"
        actor: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[StoredEvent]:
        """Coded events, oldest first, filtered.

        ``since``/``until`` (YYYY, YYYY-MM or YYYY-MM-DD, both inclusive) keep events whose
        date may fall in the range; an event whose text gives no date is dated by its
        article's publication. ``country`` is an ISO 3166 alpha-2 code, ``type`` a PLOVER
        type, ``actor`` a knowledge-base id, a name or an alias of a source or target actor;
        all three ignore case. ``limit`` is None (everything) or 1 to :data:`MAX_LIMIT` (E407);
        ``offset`` rows are skipped first (0 to :data:`MAX_LIMIT`, E414).
        """
        limit = check_limit(limit)
        offset = _page(1, offset)[1]
        ev, art = schema.events, schema.articles
        query = (
            _stored_events_query()
            .where(*_event_filters(since, until, country, type, actor))
            .order_by(ev.c.date_start.nulls_last(), art.c.seq, ev.c.idx)
            .limit(limit)
            .offset(offset or None)
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [_stored_event(row) for row in rows]

    def claims(
        self, *, actor: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[StoredClaim]:
        """Claims, in the order their articles were stored; ``actor`` is the claimant's
        knowledge-base id or name, ignoring case. ``limit`` and ``offset`` as in
        :meth:`events`."""
        limit = check_limit(limit)
        offset = _page(1, offset)[1]
        cl, art = schema.claims, schema.articles
        query = sa.select(cl, art.c.title, art.c.publisher, art.c.published).join(
            art, art.c.id == cl.c.article_id
        )
        if actor is not None:
            key = actor.strip().lower()
            query = query.where(
                sa.or_(
                    sa.func.lower(cl.c.claimant_actor) == key,
                    sa.func.lower(cl.c.claimant_name) == key,
                )
            )
        query = query.order_by(art.c.seq, cl.c.idx).limit(limit).offset(offset or None)
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [
            StoredClaim(
                article_id=row.article_id,
                index=row.idx,
                claimant=row.claimant,
                claimant_actor=row.claimant_actor,
                claimant_name=row.claimant_name,
                content=row.content,
                stance=row.stance,
                hedged=bool(row.hedged),
                verification=row.verification,
                title=row.title,
                publisher=row.publisher,
                published=row.published,
            )
            for row in rows
        ]

    def search(self, text: str, *, limit: int = 20) -> list[SearchHit]:
        """Articles whose title or text match ``text``, best first, ranked 1, 2, 3...

        Reads :data:`SEARCH_SYNTAX` the same way on both back ends: words that must all appear
        (matching their stems, so "advancing" finds "advanced"), "quoted phrases", prefixes
        (``dron*``) and ``OR`` between alternatives. An empty search is E411, one longer than
        :data:`MAX_SEARCH_WORDS` words or :data:`MAX_SEARCH_CHARS` characters E410, syntax it
        cannot read E412 (saying why); ``limit`` as in :meth:`events`, but never None.
        """
        if limit is None:
            raise StoreError(Errors.E407.format(got=limit, most=MAX_LIMIT))
        check_limit(limit)
        alternatives = parse_search(text)
        with self._read("searching") as conn:
            if self._dialect == "postgresql":
                rows = conn.execute(
                    _PG_SEARCH, {"query": _tsquery(alternatives), "limit": limit}
                ).all()
                scores = [float(row.rank) for row in rows]
            else:
                rows = conn.execute(
                    _SQLITE_SEARCH,
                    {
                        "query": _fts5_query(alternatives),
                        "limit": limit,
                        "start": HIT_START,
                        "end": HIT_END,
                    },
                ).all()
                # bm25() is lower for better matches; turn it round so higher is better everywhere.
                scores = [-float(row.score) for row in rows]
        return [
            SearchHit(
                article_id=row.id, title=row.title, snippet=row.snippet, rank=place, score=score
            )
            for place, (row, score) in enumerate(zip(rows, scores, strict=True), start=1)
        ]

    def events_frame(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
        type: str | None = None,
        actor: str | None = None,
        limit: int | None = None,
    ) -> Any:
        """:meth:`events` as a pandas DataFrame, one row per event (typed ``Any`` until the
        project's type checks install pandas-stubs)."""
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]

        found = self.events(
            since=since, until=until, country=country, type=type, actor=actor, limit=limit
        )
        return pd.DataFrame([asdict(event) for event in found], columns=list(_EVENT_FIELDS))

    def articles_frame(self) -> Any:
        """Every article's metadata (no text) as a pandas DataFrame, in the order stored."""
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]

        articles = schema.articles
        columns = [articles.c[name] for name in _ARTICLE_FRAME_COLUMNS]
        with self._read() as conn:
            rows = conn.execute(sa.select(*columns).order_by(articles.c.seq)).all()
        return pd.DataFrame([tuple(row) for row in rows], columns=list(_ARTICLE_FRAME_COLUMNS))

    # -- pages, for exports: a page at a time, in key order, so that memory stays flat -----

    def merged_events_page(
        self,
        *,
        after: str | None = None,
        limit: int = 500,
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
        type: str | None = None,
        actor: str | None = None,
    ) -> list[MergedEvent]:
        """Up to ``limit`` merged events with an id after ``after``, in id order, that have a
        report matching the filters (as :meth:`events` reads them). The next page starts after
        the last id of this one; paging by key costs the same on every page."""
        check_limit(limit)
        table, mentions, ev = schema.merged_events, schema.event_mentions, schema.events
        query = sa.select(table.c.record)
        if after is not None:
            query = query.where(table.c.id > after)
        filters = _event_filters(since, until, country, type, actor)
        if filters:
            matching = (
                sa.select(mentions.c.merged_id)
                .join(
                    ev,
                    sa.and_(
                        ev.c.article_id == mentions.c.article_id, ev.c.idx == mentions.c.event_idx
                    ),
                )
                .where(mentions.c.merged_id == table.c.id, *filters)
            )
            query = query.where(matching.exists())
        query = query.order_by(table.c.id).limit(limit)
        with self._read() as conn:
            return [MergedEvent.model_validate(record) for record in conn.scalars(query)]

    def events_page(
        self,
        *,
        after: tuple[str, int] | None = None,
        limit: int = 500,
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
        type: str | None = None,
        actor: str | None = None,
    ) -> list[StoredEvent]:
        """Up to ``limit`` coded events after the key ``after`` (article id, index), in key
        order, filtered as :meth:`events` filters them."""
        check_limit(limit)
        ev = schema.events
        query = _stored_events_query().where(*_event_filters(since, until, country, type, actor))
        if after is not None:
            query = query.where(sa.tuple_(ev.c.article_id, ev.c.idx) > sa.tuple_(*after))
        query = query.order_by(ev.c.article_id, ev.c.idx).limit(limit)
        with self._read() as conn:
            return [_stored_event(row) for row in conn.execute(query)]

    def events_of(
        self,
        keys: Sequence[tuple[str, int]],
        *,
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
        type: str | None = None,
        actor: str | None = None,
    ) -> list[StoredEvent]:
        """The coded events with these keys (article id, index) that match the filters (as
        :meth:`events` reads them), in key order."""
        ev = schema.events
        filters = _event_filters(since, until, country, type, actor)
        found: list[StoredEvent] = []
        keys = sorted(set(keys))
        with self._read() as conn:
            for start in range(0, len(keys), _KEYS_PER_QUERY):
                chunk = list(keys[start : start + _KEYS_PER_QUERY])
                query = _stored_events_query().where(
                    sa.tuple_(ev.c.article_id, ev.c.idx).in_(chunk), *filters
                )
                found.extend(_stored_event(row) for row in conn.execute(query))
        return sorted(found, key=lambda event: (event.article_id, event.index))

    def articles_of(self, article_ids: Sequence[str]) -> dict[str, Article]:
        """The stored articles with these ids, by id (ids not stored are left out)."""
        table = schema.articles
        found: dict[str, Article] = {}
        with self._read() as conn:
            for chunk in _chunks(sorted(set(article_ids))):
                query = sa.select(table.c.id, table.c.record).where(table.c.id.in_(chunk))
                for row in conn.execute(query):
                    found[row.id] = Article.model_validate(row.record)
        return found

    # -- corpus results -------------------------------------------------------------------

    def replace_corpus_results(
        self,
        *,
        syndication: Sequence[Syndication],
        stories: Sequence[Story],
        merged: Sequence[MergedEvent],
    ) -> None:
        """Replace syndication, stories and merged events, all in one transaction: readers see
        the old results or the new, never a mix. The desk refreshes them incrementally
        (``corpus/refresh.py``) instead; results written here carry no story index, so the next
        refresh recomputes everything."""
        with self._write("storing the corpus results") as conn:
            for table in (
                schema.event_mentions,
                schema.merged_events,
                schema.story_articles,
                schema.stories,
                schema.syndication,
                # The incremental state goes with them: it described the results replaced.
                schema.corpus_state,
                schema.story_postings,
                schema.story_terms,
                schema.corpus_bands,
                schema.corpus_sketches,
            ):
                conn.execute(table.delete())
            if syndication:
                conn.execute(schema.syndication.insert(), [syndication_row(s) for s in syndication])
            if stories:
                conn.execute(schema.stories.insert(), [_story_row(story) for story in stories])
                links = [
                    {"story_id": story.id, "article_id": article_id}
                    for story in stories
                    for article_id in dict.fromkeys(story.articles)
                ]
                if links:
                    conn.execute(schema.story_articles.insert(), links)
            if merged:
                events, mentions = merged_rows(merged)
                conn.execute(schema.merged_events.insert(), events)
                if mentions:
                    conn.execute(schema.event_mentions.insert(), mentions)

    def stories(self, *, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Every story, the most recently active first; ``limit`` and ``offset`` as in
        :meth:`events`."""
        limit = check_limit(limit)
        offset = _page(1, offset)[1]
        table = schema.stories
        query = (
            sa.select(table.c.record)
            .order_by(table.c.last_seen.desc().nulls_last(), table.c.id)
            .limit(limit)
            .offset(offset or None)
        )
        with self._read() as conn:
            return [Story.model_validate(record) for record in conn.scalars(query)]

    def story(self, story_id: str) -> Story | None:
        table = schema.stories
        with self._read() as conn:
            record = conn.scalar(sa.select(table.c.record).where(table.c.id == story_id))
        return None if record is None else Story.model_validate(record)

    def merged_events(self, *, story: str | None = None) -> list[MergedEvent]:
        """Merged events, oldest first; with ``story``, those reported by its articles."""
        table, mentions, links = schema.merged_events, schema.event_mentions, schema.story_articles
        query = sa.select(table.c.record)
        if story is not None:
            in_story = (
                sa.select(mentions.c.merged_id)
                .join(links, links.c.article_id == mentions.c.article_id)
                .where(links.c.story_id == story)
            )
            query = query.where(table.c.id.in_(in_story))
        query = query.order_by(table.c.first_seen.nulls_last(), table.c.id)
        with self._read() as conn:
            return [MergedEvent.model_validate(record) for record in conn.scalars(query)]

    def syndication(self, article_id: str | None = None) -> list[Syndication]:
        """Copied blocks; with ``article_id``, those the article holds or that copy from it.

        In arrival order (published, then stored, as syndication adds them), then block order:
        records replaced one at a time by a refresh sort as a full recompute's do."""
        table, articles = schema.syndication, schema.articles
        query = (
            sa.select(table.c.record)
            .join(articles, articles.c.id == table.c.article_id)
            .order_by(
                sa.func.coalesce(articles.c.published, UNDATED), articles.c.seq, table.c.block
            )
        )
        if article_id is not None:
            query = query.where(
                sa.or_(table.c.article_id == article_id, table.c.source_article == article_id)
            )
        with self._read() as conn:
            return [Syndication.model_validate(record) for record in conn.scalars(query)]

    # -- pages: the web app's and the API's lists -----------------------------------------

    def merged_event(self, event_id: str) -> MergedEvent | None:
        table = schema.merged_events
        with self._read() as conn:
            record = conn.scalar(sa.select(table.c.record).where(table.c.id == event_id))
        return None if record is None else MergedEvent.model_validate(record)

    def merged_page(
        self,
        *,
        since: str | None = None,
        until: str | None = None,
        country: str | None = None,
        type: str | None = None,  # shadows the builtin: the filter and the field are "type"
        status: str | None = None,
        actor: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[MergedRow]:
        """One page of merged events, newest first (by the first day each may fall on, then
        id), filtered in the database: ``since``/``until`` as in :meth:`events` (on the days
        the merged event may fall on), ``country``, ``type`` and ``status`` on the merged
        event's own fields, ``actor`` (as in :meth:`events`) on any of its reports. Undated
        events come last. ``limit`` 1 to :data:`MAX_LIMIT`, ``offset`` from 0 (E407, E414)."""
        limit, offset = _page(limit, offset)
        table, mentions, actors = schema.merged_events, schema.event_mentions, schema.event_actors
        query = sa.select(table.c.record, table.c.story_id)
        if since is not None:
            query = query.where(table.c.date_end >= _bound(since)[0])
        if until is not None:
            query = query.where(table.c.date_start <= _bound(until)[1])
        if country is not None:
            query = query.where(table.c.country == country.strip().upper())
        if type is not None:
            query = query.where(table.c.type == type.strip().upper())
        if status is not None:
            query = query.where(table.c.status == status.strip().lower())
        if actor is not None:
            with_actor = sa.select(mentions.c.merged_id).where(
                sa.tuple_(mentions.c.article_id, mentions.c.event_idx).in_(
                    sa.select(actors.c.article_id, actors.c.event_idx).where(
                        actors.c.key == actor.strip().lower()
                    )
                )
            )
            query = query.where(table.c.id.in_(with_actor))
        query = (
            query.order_by(table.c.date_start.desc().nulls_last(), table.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [MergedRow.of(row.record, row.story_id) for row in rows]

    def article_page(self, *, limit: int = 100, offset: int = 0) -> list[ArticleRow]:
        """One page of the articles' metadata (no text), in the order they were stored."""
        limit, offset = _page(limit, offset)
        art, ev = schema.articles, schema.events
        events = (
            sa.select(sa.func.count())
            .where(ev.c.article_id == art.c.id)
            .scalar_subquery()
            .label("events")
        )
        query = (
            sa.select(
                art.c.id,
                art.c.title,
                art.c.publisher,
                art.c.published,
                art.c.url,
                art.c.language,
                art.c.ingested_at,
                events,
            )
            .order_by(art.c.seq)
            .limit(limit)
            .offset(offset)
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [ArticleRow(**row._asdict()) for row in rows]

    def actor_page(self, *, limit: int = 100, offset: int = 0) -> list[ActorRow]:
        """The actors the articles name (an entity's knowledge-base id, else its name), the
        most widely reported first, with how many articles name each."""
        limit, offset = _page(limit, offset)
        ent = schema.entities
        key = sa.func.coalesce(ent.c.actor, ent.c.name)
        articles = sa.func.count(sa.distinct(ent.c.article_id))
        query = (
            sa.select(
                key.label("key"),
                sa.func.min(ent.c.name).label("name"),
                sa.func.min(ent.c.type).label("type"),
                sa.func.min(ent.c.actor).label("actor"),
                sa.func.min(ent.c.sector).label("sector"),
                sa.func.min(ent.c.country).label("country"),
                articles.label("articles"),
            )
            .group_by(key)
            .order_by(articles.desc(), key)
            .limit(limit)
            .offset(offset)
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [ActorRow(**row._asdict()) for row in rows]

    def place_page(self, *, limit: int = 100, offset: int = 0) -> list[PlaceRow]:
        """The places events happened at, the most eventful first, with their coordinates and
        how many events and articles each has."""
        limit, offset = _page(limit, offset)
        ev = schema.events
        events = sa.func.count()
        query = (
            sa.select(
                ev.c.place_name.label("name"),
                ev.c.country,
                sa.func.avg(ev.c.lat).label("lat"),
                sa.func.avg(ev.c.lon).label("lon"),
                events.label("events"),
                sa.func.count(sa.distinct(ev.c.article_id)).label("articles"),
            )
            .where(ev.c.place_name.is_not(None))
            .group_by(ev.c.place_name, ev.c.country)
            .order_by(events.desc(), ev.c.place_name, ev.c.country)
            .limit(limit)
            .offset(offset)
        )
        with self._read() as conn:
            rows = conn.execute(query).all()
        return [PlaceRow(**row._asdict()) for row in rows]


# -- opening ----------------------------------------------------------------------------------


def _resolve_url(url: str | Path) -> sa.URL:
    """A file path or database URL as a SQLAlchemy URL with its driver: pysqlite or psycopg 3."""
    if isinstance(url, Path) or "://" not in url:
        return sa.URL.create("sqlite+pysqlite", database=str(Path(url).expanduser()))
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError as exc:
        raise StoreError(Errors.E402.format(url=url, detail="not a valid URL")) from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            detail = "an in-memory database would vanish when the store closes; give a file"
            raise StoreError(Errors.E402.format(url=url, detail=detail))
        return parsed.set(drivername="sqlite+pysqlite")
    if backend in ("postgresql", "postgres"):
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed
    raise StoreError(Errors.E402.format(url=url, detail=f"unknown scheme '{parsed.drivername}'"))


def _create_engine(
    url: sa.URL, *, raw: str, busy_timeout: float, read_only: bool = False
) -> sa.Engine:
    try:
        # hide_parameters: a database error's text never carries the article text or the
        # user's search (they reach no message anyway: _failure keeps the driver's first line).
        if url.get_backend_name() != "sqlite":
            # Every transaction of every session read-only: the server refuses writes (25006).
            options = {"options": "-c default_transaction_read_only=on"} if read_only else {}
            return sa.create_engine(
                url, pool_pre_ping=True, hide_parameters=True, connect_args=options
            )
        if read_only:
            engine = sa.create_engine(
                url, hide_parameters=True, creator=_read_only_sqlite(url.database or "")
            )
        else:
            engine = sa.create_engine(url, hide_parameters=True)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise StoreError(Errors.E402.format(url=raw, detail=exc)) from exc
    busy_ms = int(busy_timeout * 1000)

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy's own transaction handling, not pysqlite's: pysqlite would open no
        # transaction before DDL, so a migration could half-apply (SQLAlchemy docs, "Serializable
        # isolation / Savepoints / Transactional DDL").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
        if read_only:
            # A second lock beside mode=ro: the connection refuses any statement that writes.
            cursor.execute("PRAGMA query_only = ON")
            cursor.close()
            return
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
        # NORMAL is durable across application crashes in WAL mode; only a power cut may lose
        # the last commits, never corrupt the file.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    def on_begin(conn: sa.Connection) -> None:
        write = conn.get_execution_options().get("newsdesk_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    sa.event.listen(engine, "connect", on_connect)
    sa.event.listen(engine, "begin", on_begin)
    return engine


def _read_only_sqlite(database: str) -> Callable[[], sqlite3.Connection]:
    """A connection factory opening ``database`` through SQLite's URI with ``mode=ro``: the
    file is opened read-only by SQLite itself. The path is quoted, so a name holding ``?`` or
    ``#`` is still that file."""
    uri = "file:" + urllib.parse.quote(str(Path(database).resolve())) + "?mode=ro"

    def connect() -> sqlite3.Connection:
        # The pool hands connections to the web server's threads, one at a time each.
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    return connect


def _require_fts5() -> None:
    probe = sqlite3.connect(":memory:")
    try:
        probe.execute("CREATE VIRTUAL TABLE probe USING fts5(text)")
    except sqlite3.OperationalError as exc:
        raise StoreError(Errors.E404.format(version=sqlite3.sqlite_version)) from exc
    finally:
        probe.close()


def _reason(exc: sa.exc.StatementError) -> str:
    """The driver's first line: never the SQL statement or its parameters."""
    lines = str(exc.orig).strip().splitlines() if exc.orig is not None else []
    return lines[0] if lines else type(exc).__name__


# pg_advisory_xact_lock's first key for add_rejected ("rej" in ASCII); the second is the
# source's hash, so only rejections of one source wait for each other.
_PG_REJECTED_LOCK = 0x72656A

# SQLSTATE 25006: a write in a read-only transaction (default_transaction_read_only, a hot
# standby).
_PG_READ_ONLY = "25006"


def _read_only(exc: sa.exc.StatementError) -> bool:
    """Whether the database refused a write because the store is read-only."""
    orig = exc.orig
    if isinstance(orig, sqlite3.Error):
        return str(getattr(orig, "sqlite_errorname", "")).startswith("SQLITE_READONLY")
    return getattr(orig, "sqlstate", None) == _PG_READ_ONLY


# -- rows -------------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _article_row(article: Article, *, source: str | None, ingested_at: str) -> dict[str, Any]:
    return {
        "id": article.id,
        "url": article.url,
        "title": article.title,
        "publisher": article.publisher,
        "published": article.published,
        "language": article.language,
        "source": source,
        "extractor": article.extractor,
        "ingested_at": ingested_at,
        "text": article.text,
        "record": article.model_dump(mode="json"),
    }


_IN_CHUNK = 500
"""Values per IN list: well under SQLite's and PostgreSQL's limits on bound parameters."""


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


_PART_TABLES = (schema.entities, schema.events, schema.event_actors, schema.claims)
"""The query tables of an article, in the order their rows are inserted (foreign keys)."""


def _insert_parts(conn: sa.Connection, article: Article) -> None:
    """Insert the query rows of one article: entities, events (and their actor keys), claims.

    A bad record fails part way through the caller's transaction, which then rolls back whole.
    """
    for table, rows in zip(_PART_TABLES, _part_rows(article), strict=True):
        if rows:
            conn.execute(table.insert(), rows)


def _part_rows(article: Article) -> tuple[list[dict[str, Any]], ...]:
    """The rows of :data:`_PART_TABLES` for one article."""
    by_id = {entity.id: entity for entity in article.entities}
    entity_rows = [
        {
            "article_id": article.id,
            "entity_id": entity.id,
            "name": entity.name,
            "type": entity.type,
            "actor": entity.actor,
            "sector": entity.sector,
            "country": entity.country,
        }
        for entity in article.entities
    ]
    event_rows = [_event_row(article, index, by_id) for index in range(len(article.events))]
    keys = {
        (index, role, key)
        for index, event in enumerate(article.events)
        for role, entity_ids in (("source", event.source), ("target", event.target))
        for entity_id in entity_ids
        for key in _actor_keys(entity_id, by_id)
    }
    actor_rows = [
        {"article_id": article.id, "event_idx": index, "role": role, "key": key}
        for index, role, key in sorted(keys)
    ]
    claim_rows = []
    for index, claim in enumerate(article.claims):
        claimant = by_id.get(claim.claimant) if claim.claimant else None
        claim_rows.append(
            {
                "article_id": article.id,
                "idx": index,
                "claimant": claim.claimant,
                "claimant_actor": claimant.actor if claimant else None,
                "claimant_name": claimant.name if claimant else claim.claimant,
                "content": claim.content.text,
                "stance": claim.stance,
                "hedged": claim.hedged,
                "verification": claim.verification,
            }
        )
    return entity_rows, event_rows, actor_rows, claim_rows


def _event_row(article: Article, index: int, by_id: dict[str, Entity]) -> dict[str, Any]:
    event = article.events[index]
    place = None
    if event.place is not None and 0 <= event.place < len(article.places):
        place = article.places[event.place]
    start, end = _date_range(event.date)
    if start is None:
        start, end = _date_range(article.published)
    claimant = by_id.get(event.claimed_by) if event.claimed_by else None
    return {
        "article_id": article.id,
        "idx": index,
        "type": event.type.upper(),
        "mode": event.mode,
        "cameo": event.cameo,
        "status": event.status,
        "date": event.date,
        "date_precision": event.date_precision,
        "date_start": start,
        "date_end": end,
        "place_name": place.name if place else None,
        "country": place.country.upper() if place and place.country else None,
        "lat": place.lat if place else None,
        "lon": place.lon if place else None,
        "place_confidence": place.confidence if place else None,
        "place_reasons": list(place.reasons) if place else [],
        "source_actors": [_actor_ref(entity_id, by_id) for entity_id in event.source],
        "source_names": [_actor_name(entity_id, by_id) for entity_id in event.source],
        "target_actors": [_actor_ref(entity_id, by_id) for entity_id in event.target],
        "target_names": [_actor_name(entity_id, by_id) for entity_id in event.target],
        "claimed_by": _actor_ref(event.claimed_by, by_id) if event.claimed_by else None,
        "claimed_by_name": claimant.name if claimant else event.claimed_by,
        "verification": event.verification,
        "confidence": event.confidence,
        "trigger": event.trigger.text,
        "evidence": event.evidence.text,
        "same_as": event.same_as,
    }


def _actor_ref(entity_id: str, by_id: dict[str, Entity]) -> str:
    """As in ``MergedEvent``: the knowledge-base id, or the name when the actor is not known."""
    entity = by_id.get(entity_id)
    if entity is None:
        return entity_id
    return entity.actor or entity.name


def _actor_name(entity_id: str, by_id: dict[str, Entity]) -> str:
    entity = by_id.get(entity_id)
    return entity.name if entity else entity_id


def _actor_keys(entity_id: str, by_id: dict[str, Entity]) -> set[str]:
    entity = by_id.get(entity_id)
    if entity is None:
        return {entity_id.lower()}
    names = (entity.actor, entity.name, *entity.aliases)
    return {name.strip().lower() for name in names if name and name.strip()}


_KEYS_PER_QUERY = 400
"""Keys bound in one tuple IN: well under SQLite's 32,766 variables (two per key)."""


def _stored_events_query() -> sa.Select[Any]:
    ev, art = schema.events, schema.articles
    return sa.select(ev, art.c.title, art.c.publisher, art.c.published, art.c.url).join(
        art, art.c.id == ev.c.article_id
    )


def _event_filters(
    since: str | None,
    until: str | None,
    country: str | None,
    type: str | None,  # shadows the builtin, as in Store.events
    actor: str | None,
) -> list[sa.ColumnElement[bool]]:
    """The conditions on the ``events`` table that :meth:`Store.events` documents."""
    ev, actors = schema.events, schema.event_actors
    found: list[sa.ColumnElement[bool]] = []
    if since is not None:
        found.append(ev.c.date_end >= _bound(since)[0])
    if until is not None:
        found.append(ev.c.date_start <= _bound(until)[1])
    if country is not None:
        found.append(ev.c.country == country.strip().upper())
    if type is not None:
        found.append(ev.c.type == type.strip().upper())
    if actor is not None:
        # A tuple IN over the actor index: SQLite would otherwise scan every event and probe
        # the actor table once per row.
        matching = sa.select(actors.c.article_id, actors.c.event_idx).where(
            actors.c.key == actor.strip().lower()
        )
        found.append(sa.tuple_(ev.c.article_id, ev.c.idx).in_(matching))
    return found


def _stored_event(row: sa.Row[Any]) -> StoredEvent:
    return StoredEvent(
        article_id=row.article_id,
        index=row.idx,
        type=row.type,
        mode=row.mode,
        cameo=row.cameo,
        status=row.status,
        date=row.date,
        date_precision=row.date_precision,
        place=row.place_name,
        country=row.country,
        lat=row.lat,
        lon=row.lon,
        place_confidence=row.place_confidence,
        place_reasons=tuple(row.place_reasons or ()),
        source=tuple(row.source_actors),
        source_names=tuple(row.source_names),
        target=tuple(row.target_actors),
        target_names=tuple(row.target_names),
        claimed_by=row.claimed_by,
        claimed_by_name=row.claimed_by_name,
        verification=row.verification,
        confidence=row.confidence,
        trigger=row.trigger,
        evidence=row.evidence,
        same_as=row.same_as,
        title=row.title,
        publisher=row.publisher,
        published=row.published,
        url=row.url,
    )


def syndication_row(copy: Syndication) -> dict[str, Any]:
    """A syndication record as a row of the ``syndication`` table."""
    return {
        "article_id": copy.article,
        "block": copy.block,
        "source_article": copy.source_article,
        "source_block": copy.source_block,
        "agency": copy.agency,
        "similarity": copy.similarity,
        "record": copy.model_dump(mode="json"),
    }


def _story_row(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "first_seen": story.first_seen,
        "last_seen": story.last_seen,
        "record": story.model_dump(mode="json"),
    }


def merged_rows(
    merged: Sequence[MergedEvent], *, story_id: str | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The ``merged_events`` rows of ``merged`` (in ``story_id``, when known) and their
    ``event_mentions`` rows, each mention once."""
    events = []
    for event in merged:
        start, end = merged_date_range(event.date, event.first_seen, event.last_seen)
        events.append(
            {
                "id": event.id,
                "type": event.type,
                "status": event.status,
                "country": event.country.upper() if event.country else None,
                "date": event.date,
                "first_seen": event.first_seen,
                "last_seen": event.last_seen,
                "sources": event.sources,
                "record": event.model_dump(mode="json"),
                "story_id": story_id,
                "date_start": start,
                "date_end": end,
            }
        )
    mentions = {
        (event.id, mention.article, mention.event): {
            "merged_id": event.id,
            "article_id": mention.article,
            "event_idx": mention.event,
            "publisher": mention.publisher,
            "published": mention.published,
        }
        for event in merged
        for mention in event.mentions
    }
    return events, list(mentions.values())


# -- dates ------------------------------------------------------------------------------------


def merged_date_range(
    value: str | None, first_seen: str | None, last_seen: str | None
) -> tuple[str | None, str | None]:
    """The first and last day a merged event may fall on: those its date covers, else those
    between its first and last report, as a report's event with no date is dated by its
    article's publication."""
    start, end = _date_range(value)
    if start is None:
        start, end = _date_range(first_seen)[0], _date_range(last_seen or first_seen)[1]
    return start, end


_ISO_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _date_range(value: str | None) -> tuple[str | None, str | None]:
    """The first and last day an ISO date, month, year, week or interval ("a/b") covers."""
    if not value:
        return None, None
    if "/" in value:
        first, _, last = value.partition("/")
        return _date_range(first)[0], _date_range(last)[1]
    value = value.strip()
    try:
        if week := _ISO_WEEK.match(value):
            year, number = int(week[1]), int(week[2])
            return (
                date.fromisocalendar(year, number, 1).isoformat(),
                date.fromisocalendar(year, number, 7).isoformat(),
            )
        if (found := _ISO_DATE.match(value)) is None:
            return None, None
        year_text, month, day = found.groups()
        year = int(year_text)
        if day:
            single = date(year, int(month), int(day)).isoformat()
            return single, single
        if month:
            last_day = calendar.monthrange(year, int(month))[1]
            return date(year, int(month), 1).isoformat(), date(
                year, int(month), last_day
            ).isoformat()
        return f"{year_text}-01-01", f"{year_text}-12-31"
    except ValueError:
        return None, None


def _bound(value: str) -> tuple[str, str]:
    """A since/until argument as its first and last day; a coded error when it is no date."""
    first, last = _date_range(value)
    if first is None or last is None or not _ISO_DATE.fullmatch(value.strip()):
        raise StoreError(Errors.E406.format(value=value))
    return first, last


# -- full-text search -------------------------------------------------------------------------

_TOKEN = re.compile(r'"([^"]*)"|(\S+)')
# Letters and digits: what FTS5's unicode61 tokenizer keeps (the underscore splits words there).
_WORD = re.compile(r"[^\W_]+")
_PREFIX = re.compile(r".*[^\W_]\*+")
_MIN_PREFIX = 2


@dataclass(frozen=True)
class SearchTerm:
    """One word, or a phrase of words in order; ``prefix``: the last word may go on."""

    words: tuple[str, ...]
    prefix: bool = False


def parse_search(text: str) -> tuple[tuple[SearchTerm, ...], ...]:
    """A search as alternatives (split at ``OR``), each a group of terms that must all match.

    A bare token of several words (``al-Qaeda``, ``U.S.``) is a phrase, as FTS5 reads it.
    Punctuation is no syntax and is skipped; so are parentheses, unless the search has an
    ``OR`` whose grouping they would change (E412). Raises E410, E411 or E412 (see
    :meth:`Store.search`).
    """
    if len(text) > MAX_SEARCH_CHARS:
        raise StoreError(_too_long(len(_WORD.findall(text)), len(text)))
    tokens = _TOKEN.findall(text)
    has_or = any(bare == "OR" for _, bare in tokens)
    groups: list[list[SearchTerm]] = [[]]
    for phrase, bare in tokens:
        if bare == "OR":
            if not groups[-1]:
                raise StoreError(_unreadable(text, "OR needs words on both sides"))
            groups.append([])
            continue
        if bare == "AND":
            continue  # what two words side by side mean anyway
        if bare == "NOT" or (bare.startswith("-") and _WORD.match(bare, 1)):
            raise StoreError(_unreadable(text, f"{bare!r}: excluding words is not supported"))
        if has_or and ("(" in bare or ")" in bare):
            detail = "parentheses cannot group words; OR splits the whole search in two"
            raise StoreError(_unreadable(text, detail))
        prefix = False
        if "*" in bare:
            if not _PREFIX.fullmatch(bare):
                detail = f"{bare!r}: * only ends a word (dron* finds drone and drones)"
                raise StoreError(_unreadable(text, detail))
            prefix = True
        words = tuple(word.lower() for word in _WORD.findall(phrase or bare))
        if not words:
            continue
        if prefix and len(words[-1]) < _MIN_PREFIX:
            detail = f"{bare!r}: a prefix needs {_MIN_PREFIX} letters or more before *"
            raise StoreError(_unreadable(text, detail))
        groups[-1].append(SearchTerm(words=words, prefix=prefix))
    if not groups[-1]:
        if len(groups) > 1:
            raise StoreError(_unreadable(text, "OR needs words on both sides"))
        raise StoreError(Errors.E411.format(syntax=SEARCH_SYNTAX))
    count = sum(len(term.words) for group in groups for term in group)
    if count > MAX_SEARCH_WORDS:
        raise StoreError(_too_long(count, len(text)))
    return tuple(tuple(group) for group in groups)


def _too_long(words: int, chars: int) -> str:
    return Errors.E410.format(
        words=words, chars=chars, max_words=MAX_SEARCH_WORDS, max_chars=MAX_SEARCH_CHARS
    )


def _unreadable(text: str, detail: str) -> str:
    return Errors.E412.format(query=text, detail=detail, syntax=SEARCH_SYNTAX)


def _fts5_query(alternatives: tuple[tuple[SearchTerm, ...], ...]) -> str:
    """FTS5 syntax: every word quoted (so no word is ever read as an operator), a phrase as
    one quoted string, ``*`` after a prefix, groups in parentheses joined by OR."""
    groups = [
        " ".join('"' + " ".join(term.words) + '"' + ("*" if term.prefix else "") for term in group)
        for group in alternatives
    ]
    return " OR ".join(f"({group})" for group in groups)


def _tsquery(alternatives: tuple[tuple[SearchTerm, ...], ...]) -> str:
    """PostgreSQL ``to_tsquery`` syntax: each word a quoted lexeme (letters and digits only,
    so nothing in it is syntax), phrases joined by ``<->``, ``:*`` on a prefix, ``&`` within a
    group, ``|`` between groups. to_tsquery stems each word and drops stop words."""
    groups = []
    for group in alternatives:
        terms = []
        for term in group:
            lexemes = [f"'{word}'" for word in term.words]
            if term.prefix:
                lexemes[-1] += ":*"
            terms.append("(" + " <-> ".join(lexemes) + ")")
        groups.append("(" + " & ".join(terms) + ")")
    return " | ".join(groups)


_SQLITE_SEARCH = sa.text(
    "SELECT a.id, a.title, snippet(articles_fts, 1, :start, :end, '…', 24) AS snippet, "
    "bm25(articles_fts, 2.0, 1.0) AS score "
    "FROM articles_fts JOIN articles AS a ON a.seq = articles_fts.rowid "
    "WHERE articles_fts MATCH :query ORDER BY score, a.seq LIMIT :limit"
)

# The inner query ranks and cuts; only the hits kept get a (costly) ts_headline. The query is
# written inline in the WHERE clause, not joined in FROM, so the planner uses the GIN index.
_PG_QUERY = "to_tsquery('english', :query)"
_PG_SEARCH = sa.text(
    "SELECT a.id, a.title, hit.rank, "
    f"ts_headline('english', a.text, {_PG_QUERY}, "
    f"'StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=35, MinWords=15') AS snippet "
    f"FROM (SELECT seq, ts_rank(search_vector, {_PG_QUERY}) AS rank "
    "      FROM articles "
    f"      WHERE search_vector @@ {_PG_QUERY} ORDER BY rank DESC, seq LIMIT :limit) AS hit "
    "JOIN articles AS a ON a.seq = hit.seq ORDER BY hit.rank DESC, a.seq"
)

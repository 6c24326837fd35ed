"""The desk: what a user can ask of newsdesk beyond one article, for every face to call.

Ingest many reports into a store, analyse again what an older pipeline coded, refresh the corpus
results (syndication, stories, merged events), and answer the questions the faces ask (events,
claims, stories, search, rejections), with every argument checked here once. The command line
calls these functions and only prints what they return; a web app, an API, a batch runner or an
export calls the same ones. Nothing here prints or knows of a terminal: progress is reported to
a callback.

    >>> from pathlib import Path
    >>> from newsdesk import Analyzer, desk
    >>> analyzer = Analyzer()
    >>> with desk.open_store("newsdesk.sqlite") as store:
    ...     counts = desk.ingest([Path("reports/")], store=store, analyzer=analyzer)
    ...     corpus = desk.refresh(store, settings=analyzer.settings)
    ...     latest = desk.events(store, country="AF", since="2021-08").rows

``ingest`` writes each article (or the reason it was rejected) in its own transaction: a crash
loses nothing already written, and a rerun skips what is done. ``refresh`` takes in only the
articles stored since it last ran (``corpus/refresh.py``), a batch per transaction, and
``refresh(..., full=True)`` recomputes everything (``recode`` does, and a change of the corpus
settings needs it).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, get_args

from newsdesk.errors import Errors, ExportError, Reasons, StoreError
from newsdesk.records import (
    TOLL_UNITS,
    Article,
    Entity,
    Event,
    Input,
    MergedEvent,
    Place,
    Record,
    Rejected,
    Story,
    Syndication,
)
from newsdesk.settings import Settings, load_settings

# The corpus layer (SQLAlchemy, datasketch, scipy) is imported where a use case needs it, so
# that a face which only analyses one article (``newsdesk analyze``) never loads it.
if TYPE_CHECKING:
    from newsdesk.corpus.store import (
        ActorRow,
        ArticleRow,
        MergedRow,
        PlaceRow,
        SearchHit,
        Store,
        StoredClaim,
        StoredEvent,
    )

__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "RECORD_KINDS",
    "STATUSES",
    "ActorEntry",
    "ArticleAnalyzer",
    "ArticleEntry",
    "CorpusCounts",
    "CorpusProgress",
    "EventRow",
    "EventsAnswer",
    "IngestCounts",
    "MapEvent",
    "MentionRow",
    "PlaceEntry",
    "Posted",
    "QuoteRow",
    "RecodeCounts",
    "ReportScope",
    "StoryView",
    "Toll",
    "actor_list",
    "actor_page",
    "analyse_demo",
    "article",
    "article_list",
    "article_page",
    "article_titles",
    "article_urls",
    "check_country",
    "check_event_type",
    "check_published",
    "check_status",
    "claims",
    "count_inputs",
    "event_card",
    "event_countries",
    "event_page",
    "event_rows",
    "events",
    "ingest",
    "ingest_posted",
    "mention_page",
    "mention_rows",
    "merged_event",
    "merged_event_list",
    "merged_events",
    "merged_ids_of",
    "open_store",
    "place_list",
    "place_page",
    "quote_page",
    "recode",
    "records",
    "refresh",
    "rejected",
    "report_scope",
    "search",
    "search_page",
    "skipped_files",
    "store_location",
    "store_name",
    "stories",
    "stories_of",
    "story",
    "story_page",
    "syndication",
]

DB_ENV = "NEWSDESK_DB"
DEFAULT_DB = "newsdesk.sqlite"
# Inputs handed to the analyser at a time: enough for batching, small enough that a crash
# loses at most this many analysed-but-unwritten articles per chunk in flight (one, or two per
# worker), which a rerun analyses again.
_CHUNK = 16
_SQLITE_SIDECARS = ("-wal", "-shm", "-journal")
# The unit of a quantity that counts the dead (newsdesk/data/quantities.txt, section [dead]).
_DEAD = "dead"
# Gazetteer features that are second-level administrative divisions (newsdesk/data/gazetteer.py).
_ADMIN2_FEATURES = frozenset({"county", "district"})
# How many merged events (or reports) a page of event_rows reads at a time.
_PAGE = 500


class ArticleAnalyzer(Protocol):
    """What the desk needs of an analyser: :class:`newsdesk.pipeline.Analyzer` is one. Typed as
    a protocol so that this module imports no spaCy, and a test may pass a fake."""

    @property
    def settings(self) -> Settings: ...

    @property
    def extractor(self) -> str: ...

    def analyze(
        self,
        data: str | bytes,
        *,
        url: str | None = None,
        published: str | None = None,
        origin: str | None = None,
    ) -> Article | Rejected: ...

    def analyze_many(
        self, inputs: Iterable[Input | str | bytes]
    ) -> Iterator[Article | Rejected]: ...


# -- the store ------------------------------------------------------------------------------------


def store_location(db: str | None) -> str:
    """The store to use: ``db``, else ``$NEWSDESK_DB``, else ``newsdesk.sqlite`` here."""
    return db or os.environ.get(DB_ENV) or DEFAULT_DB


def open_store(db: str | None, *, must_exist: bool = False, read_only: bool = False) -> Store:
    """Open (or, unless ``must_exist``, create) the store ``db`` names; ``read_only``: the
    database refuses every write (``Store(..., read_only=True)``).

    A question asked of a SQLite file that does not exist is an error (E420), never an empty
    store created at a mistyped path.
    """
    from newsdesk.corpus.store import Store

    location = store_location(db)
    if must_exist:
        # The file a bare path or a sqlite:/// URL names; a server URL names none.
        if "://" not in location:
            file = location
        elif location.startswith("sqlite"):
            file = location.split(":///", 1)[-1]
        else:
            file = ""
        path = Path(file).expanduser()
        if file and not path.is_file():
            raise StoreError(Errors.E420.format(path=path))
    return Store(location, read_only=read_only)


def store_name(store: Store) -> str:
    """The store as a user named it: a SQLite file's path (relative when under the working
    folder), or the server URL with its password hidden."""
    if store.database_file is None:
        return store.url
    try:
        return str(store.database_file.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(store.database_file)


# -- ingest ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IngestCounts:
    """What an ingest did with each input."""

    ingested: int = 0
    duplicate: int = 0
    """Inputs whose text was already stored, from another source or by an ingest running at
    the same time: nothing wrong with them, so they are no rejection; the store records their
    source as done."""
    rejected: int = 0
    already_done: int = 0
    """Inputs a former run stored or rejected, skipped without being read again."""

    @property
    def inputs(self) -> int:
        return self.ingested + self.duplicate + self.rejected + self.already_done

    @property
    def new(self) -> int:
        """Inputs this run read and settled (stored, found a duplicate, or rejected)."""
        return self.ingested + self.duplicate + self.rejected

    def rows(self) -> list[tuple[str, int]]:
        """The counts worth showing, by name: a zero says nothing and is left out."""
        named = (
            ("ingested", self.ingested),
            ("duplicate", self.duplicate),
            ("rejected", self.rejected),
            ("already done", self.already_done),
        )
        return [(name, count) for name, count in named if count]


Progress = Callable[[int, IngestCounts], None]
"""Called after each chunk: how many inputs it advanced by, and the counts so far."""

# The readers below are imported where used: they import trafilatura, which takes a while, and
# only the commands that read inputs need them.


def count_inputs(paths: Sequence[Path]) -> int | None:
    """An estimate of how many inputs ``paths`` hold, for a progress bar (None: unknown)."""
    from newsdesk.stages.readers import count_inputs as count

    return count(paths)


def skipped_files(paths: Sequence[Path]) -> list[Path]:
    """The files of the folders in ``paths`` that are not of an article type."""
    from newsdesk.stages.readers import skipped_files as skipped

    return skipped(paths)


def ingest(
    paths: Sequence[Path],
    *,
    store: Store,
    analyzer: ArticleAnalyzer | None = None,
    settings: Settings | None = None,
    workers: int = 1,
    on_progress: Progress | None = None,
) -> IngestCounts:
    """Analyse every input under ``paths`` into the store; return what happened, counted.

    With ``workers`` > 1 the inputs are analysed in that many worker processes, each with an
    Analyzer of its own built from ``settings`` (default: ``analyzer.settings``); this process
    reads the inputs and writes the records, in input order, so the store has one writer and
    the records are those one worker writes. With one worker, ``analyzer`` (else one built from
    ``settings``) analyses here. A crash loses at most the chunks in flight.
    """
    from newsdesk.corpus.store import Added
    from newsdesk.stages.readers import iter_inputs
    from newsdesk.workers import LocalExecutor, analyze_chunk

    if settings is None:
        settings = analyzer.settings if analyzer is not None else load_settings()
    ingested = duplicate = rejected = already_done = 0
    done = store.known_sources()
    # The store's own files may sit in a folder being ingested; they are not reports.
    own = _store_files(store)
    stream = iter_inputs(paths, settings=settings.input)
    # Chunks drawn and not yet written, in order: the analysed results come back in the same
    # order, one list per chunk.
    drawn: deque[tuple[list[Input | Rejected], list[Input | Rejected]]] = deque()

    def tasks() -> Iterator[list[Input]]:
        nonlocal already_done
        while chunk := [item for item in islice(stream, _CHUNK) if _origin(item) not in own]:
            fresh = [item for item in chunk if _origin(item) not in done]
            already_done += len(chunk) - len(fresh)
            drawn.append((chunk, fresh))
            yield [item for item in fresh if isinstance(item, Input)]

    with contextlib.ExitStack() as stack:
        if workers == 1 and analyzer is not None:
            analysed: Iterator[list[Article | Rejected]] = (
                list(analyzer.analyze_many(inputs)) for inputs in tasks()
            )
        else:
            executor = stack.enter_context(LocalExecutor(workers, settings=settings))
            analysed = executor.map(analyze_chunk, tasks())
        for results in analysed:
            chunk, fresh = drawn.popleft()
            for item, result in _placed(fresh, results):
                if isinstance(result, Rejected):
                    store.add_rejected(result)
                    rejected += 1
                elif store.add_article(result, source=_origin(item)) is Added.NEW:
                    ingested += 1
                else:
                    duplicate += 1
            if on_progress is not None:
                on_progress(len(chunk), IngestCounts(ingested, duplicate, rejected, already_done))
    return IngestCounts(ingested, duplicate, rejected, already_done)


def _store_files(store: Store) -> set[str]:
    database = store.database_file
    if database is None:
        return set()
    names = {database, *(database.with_name(database.name + end) for end in _SQLITE_SIDECARS)}
    return {str(name) for name in names} | {str(Path(os.path.relpath(name))) for name in names}


def _placed(
    items: list[Input | Rejected], results: list[Article | Rejected]
) -> Iterator[tuple[Input | Rejected, Article | Rejected]]:
    """Each item with its result: the analysed inputs' results in order, a reader's rejection
    as it is."""
    analysed = iter(results)
    for item in items:
        yield item, item if isinstance(item, Rejected) else next(analysed)


def _origin(item: Input | Rejected) -> str | None:
    return item.origin if isinstance(item, Input) else item.source


def analyse_demo(analyzer: ArticleAnalyzer) -> Iterator[tuple[str, Article | Rejected]]:
    """The demo articles that ship with newsdesk (written by the project), each analysed, by
    file name in name order."""
    folder = resources.files("newsdesk").joinpath("demo")
    files = sorted(
        (item for item in folder.iterdir() if item.name.endswith((".txt", ".html"))),
        key=lambda item: item.name,
    )
    for item in files:
        yield item.name, analyzer.analyze(item.read_bytes(), origin=item.name)


# -- corpus results and recoding ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CorpusCounts:
    """The corpus results now in the store (totals), and what this refresh did."""

    stories: int
    merged_events: int
    syndicated_blocks: int
    near_duplicates: int
    processed: int = 0
    """Articles this refresh took into the corpus results."""
    timings: Mapping[str, float] = field(default_factory=dict)
    """CPU seconds per step: read, syndication, stories, merging, write."""

    def rows(self) -> list[tuple[str, int]]:
        return [
            ("stories", self.stories),
            ("merged events", self.merged_events),
            ("syndicated blocks", self.syndicated_blocks),
            ("near-duplicate articles", self.near_duplicates),
        ]


CorpusProgress = Callable[[int, int], None]
"""Called after each batch of a refresh: articles taken in so far, and how many it takes in."""


def refresh(
    store: Store,
    *,
    settings: Settings,
    full: bool = False,
    on_progress: CorpusProgress | None = None,
) -> CorpusCounts:
    """Take the articles stored since the last refresh into syndication, stories and merged
    events (``corpus/refresh.py``); with ``full``, recompute them all from the first article.

    E445 when the stored results were made under other corpus settings: run it with ``full``.
    """
    from newsdesk.corpus.refresh import refresh_corpus

    outcome = refresh_corpus(store, settings.corpus, full=full, on_progress=on_progress)
    return CorpusCounts(
        stories=outcome.stories,
        merged_events=outcome.merged_events,
        syndicated_blocks=outcome.syndicated_blocks,
        near_duplicates=outcome.near_duplicates,
        processed=outcome.processed,
        timings=outcome.timings,
    )


@dataclass(frozen=True, slots=True)
class RecodeCounts:
    recoded: int = 0
    kept: int = 0
    """Stale articles that could not be recoded (rejected now, or their text changed id)."""
    up_to_date: int = 0
    """Articles the current pipeline had coded already."""

    @property
    def changed(self) -> bool:
        return self.recoded > 0

    def rows(self) -> list[tuple[str, int]]:
        named = (
            ("recoded", self.recoded),
            ("kept (could not recode)", self.kept),
            ("already up to date", self.up_to_date),
        )
        return [(name, count) for name, count in named if count]


def recode(store: Store, *, analyzer: ArticleAnalyzer) -> RecodeCounts:
    """Analyse again every article an older pipeline coded, from its stored clean text.

    The raw input is not kept, so metadata the first reading found in the HTML (title,
    publisher, authors, URL) is carried over from the stored record.
    """
    stale = store.stale_articles(analyzer.extractor)
    recoded = kept = 0
    for article_id in stale:
        old = store.get_article(article_id)
        if old is None:
            continue
        new = analyzer.analyze(old.text, url=old.url, published=old.published, origin=old.id)
        if isinstance(new, Rejected) or new.id != old.id:
            kept += 1
            continue
        store.replace_article(
            new.model_copy(
                update={
                    "title": old.title or new.title,
                    "publisher": old.publisher or new.publisher,
                    "authors": old.authors or new.authors,
                }
            )
        )
        recoded += 1
    up_to_date = store.counts()["articles"] - len(stale)
    return RecodeCounts(recoded=recoded, kept=kept, up_to_date=up_to_date)


# -- arguments checked once -----------------------------------------------------------------------


def check_published(value: str | None) -> str | None:
    """A publication date given by the user, as an ISO date (YYYY-MM-DD); E421 otherwise.

    Only a full, real calendar date is accepted: "yesterday", "2023-02-30", "2023/07/03" and
    "2023-07" are errors, never silently "published unknown".
    """
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise StoreError(Errors.E421.format(value=value)) from None


def check_country(value: str | None) -> str | None:
    """An ISO 3166 alpha-2 code, upper case; E422 (naming the code when ``value`` is a
    country's name or alpha-3 code) otherwise."""
    if value is None:
        return None
    import pycountry

    code = value.strip().upper()
    if len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None:
        return code
    try:
        found = pycountry.countries.lookup(value.strip())
    except LookupError:
        hint = "give a two-letter code such as AF, SD, UA"
    else:
        hint = f"did you mean {found.alpha_2} ({found.name})?"
    raise StoreError(Errors.E422.format(value=value, hint=hint))


def check_event_type(value: str | None) -> str | None:
    """A PLOVER event type, upper case; E423 listing the types otherwise."""
    if value is None:
        return None
    from newsdesk.data.event_lexicon import MODES

    code = value.strip().upper()
    if code not in MODES:
        raise StoreError(Errors.E423.format(value=value, types=", ".join(MODES)))
    return code


# -- questions ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Toll:
    """One count of people an event's report gives (dead, injured, displaced, arrested), and
    who gave it."""

    unit: str
    value: float
    """The count, or the low end of a range ("between 10 and 15": 10)."""
    high: float | None
    """The high end of a range, else None."""
    approx: bool
    """True when the report hedges it ("about", "at least", "more than")."""
    publisher: str | None
    article: str
    evidence: str
    """The words that give the count."""


@dataclass(frozen=True, slots=True)
class EventRow:
    """One event as the desk shows it: a merged event (``reports`` mentions from ``sources``
    independent sources) or one report's event (``reports`` 1)."""

    id: str
    """The merged event's id, or ``ARTICLE#INDEX`` for one report's event."""
    date: str | None
    type: str
    status: str
    source: tuple[str, ...]
    target: tuple[str, ...]
    place: str | None
    country: str | None
    fatalities: float | None
    """The most conservative count of dead among the independent sources, as ACLED takes it:
    each publisher's figure is the highest exact count its reports give (its latest; a vague
    one, "dozens", only when it gives no exact one), and the row keeps the lowest of those; all
    the figures are in ``tolls``. None when no report gives one."""
    confidence: float
    evidence: str
    """The sentence the event was read from (in its first report)."""
    reports: int
    sources: int
    mode: str | None = None
    """The PLOVER mode of the first report's event."""
    cameo: str | None = None
    """The CAMEO root the event coder gave the first report's event."""
    date_precision: str | None = None
    """How exact ``date`` is: day, week, month, year, decade, or ``published`` (the report's
    date, taken because the text gives the event none)."""
    time_precision: int | None = None
    """ACLED's time precision: 1 the day is known, 2 within a week around it (a week, or the
    report's date), 3 a month or more; None when undated."""
    lat: float | None = None
    lon: float | None = None
    admin1: str | None = None
    """The first-level region (province, state) of the place, from the gazetteer."""
    admin2: str | None = None
    """The second-level region (district, county) when the place is one; the gazetteer holds
    no second level for towns, so None for them."""
    geo_precision: int | None = None
    """ACLED's geo precision: 1 the town or exact place, 2 near it or a district, 3 a
    province, region or country; None when the event has no place."""
    feature: str | None = None
    """The gazetteer's kind of the place: country, admin1, county, city, town, valley ..."""
    place_id: str | None = None
    """The place's gazetteer id (``gn:1138958``, ``iso2:AF-PAN``)."""
    tolls: tuple[Toll, ...] = ()
    """Every count of dead, injured, displaced and arrested people its reports give."""
    source_names: tuple[str, ...] = ()
    """The source actors' names (``source`` holds knowledge-base ids where known)."""
    target_names: tuple[str, ...] = ()
    source_sectors: tuple[str | None, ...] = ()
    """The sector of each source actor (state, military, rebel, civilian ...), or None."""
    target_sectors: tuple[str | None, ...] = ()
    source_countries: tuple[str | None, ...] = ()
    """The ISO 3166 alpha-3 country of each source actor, from the knowledge base, or None."""
    target_countries: tuple[str | None, ...] = ()
    outlets: tuple[str, ...] = ()
    """The publishers of its reports, each once, in report order."""
    urls: tuple[str, ...] = ()
    """The reports' URLs where known, each once."""
    articles: tuple[str, ...] = ()
    """The ids of the articles that report it."""
    claimed_by: str | None = None
    verification: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None


@dataclass(frozen=True, slots=True)
class EventsAnswer:
    rows: tuple[EventRow, ...]
    mentions: tuple[StoredEvent, ...]
    """The per-report events behind ``rows`` (all of them, before ``limit``)."""
    undated: int
    """Events (merged, or reports with ``merged`` off) that match every filter but the dates and
    have no date to filter by: not shown."""


def events(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    country: str | None = None,
    type: str | None = None,  # shadows the builtin: the option and the field are "type"
    actor: str | None = None,
    limit: int | None = None,
    merged: bool = True,
) -> EventsAnswer:
    """Events, newest first: merged across reports (``merged``), or one row per report.

    ``country`` and ``type`` are checked (E422, E423); ``since``/``until`` by the store (E406).
    """
    country, type = check_country(country), check_event_type(type)
    found = store.events(since=since, until=until, country=country, type=type, actor=actor)
    undated_keys: set[tuple[str, int]] = set()
    if since is not None or until is not None:
        everything = store.events(country=country, type=type, actor=actor)
        undated_keys = {
            (event.article_id, event.index)
            for event in everything
            if event.date is None and event.published is None
        }
    by_key = {(event.article_id, event.index): event for event in found}
    reports = _Reports(store)
    rows: list[EventRow] = []
    if merged:
        undated = 0
        for event in store.merged_events():
            keys = [(m.article, m.event) for m in event.mentions]
            mine = [by_key[key] for key in keys if key in by_key]
            if mine:
                rows.append(_merged_row(event, mine, reports))
            elif undated_keys.intersection(keys):
                undated += 1
    else:
        undated = len(undated_keys)
        for stored in found:
            rows.append(_mention_row(stored, reports))
    rows.sort(key=lambda row: row.date or "", reverse=True)
    ordered_mentions = sorted(found, key=lambda e: e.date or e.published or "", reverse=True)
    # A slice to None keeps everything: no limit.
    return EventsAnswer(
        rows=tuple(rows[:limit]), mentions=tuple(ordered_mentions[:limit]), undated=undated
    )


# -- the exports' questions: every row, a page at a time ----------------------------------------


def event_rows(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    country: str | None = None,
    type: str | None = None,  # shadows the builtin: the option and the field are "type"
    actor: str | None = None,
    merged: bool = True,
    page: int = _PAGE,
) -> Iterator[EventRow]:
    """Every event row matching the filters, as :func:`events` builds them, read ``page`` at a
    time: merged events (``merged``) in id order, or reports' events in key order. Memory stays
    flat however large the store, so exports stream from here.

    ``country`` and ``type`` are checked (E422, E423) before the first row; the dates by the
    store (E406). Unlike :func:`events`, undated events are not counted.
    """
    country, type = check_country(country), check_event_type(type)
    filters = {"since": since, "until": until, "country": country, "type": type, "actor": actor}
    if merged:
        return _merged_pages(store, filters, page)
    return _report_pages(store, filters, page)


def _merged_pages(store: Store, filters: dict[str, str | None], page: int) -> Iterator[EventRow]:
    after: str | None = None
    while found := store.merged_events_page(after=after, limit=page, **filters):
        keys = [(m.article, m.event) for event in found for m in event.mentions]
        # The reports that match the filters stand for their merged event, as in events().
        stored = {(e.article_id, e.index): e for e in store.events_of(keys, **filters)}
        reports = _Reports(store, preload=[article for article, _ in keys])
        for event in found:
            mine = [stored[key] for m in event.mentions if (key := (m.article, m.event)) in stored]
            if mine:
                yield _merged_row(event, mine, reports)
        after = found[-1].id


def _report_pages(store: Store, filters: dict[str, str | None], page: int) -> Iterator[EventRow]:
    after: tuple[str, int] | None = None
    while found := store.events_page(after=after, limit=page, **filters):
        reports = _Reports(store, preload=[event.article_id for event in found])
        for stored in found:
            yield _mention_row(stored, reports)
        after = (found[-1].article_id, found[-1].index)


@dataclass(frozen=True, slots=True)
class MentionRow:
    """One report of a merged event: where the article tells it."""

    event: str
    """The merged event's id."""
    event_date: str | None
    article: str
    index: int
    """Index into the article's ``events``."""
    publisher: str | None
    published: str | None
    url: str | None
    sentence: int | None
    """Index of the sentence that tells the event in the article's body."""
    start: int
    """Character offsets of that evidence in ``Article.text``."""
    end: int
    trigger_start: int
    """Character offsets of the words that report the act ("killed")."""
    trigger_end: int
    confidence: float
    article_length: int
    """Characters in the article's text."""


def mention_rows(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    country: str | None = None,
    type: str | None = None,  # shadows the builtin: the option and the field are "type"
    actor: str | None = None,
    page: int = _PAGE,
) -> Iterator[MentionRow]:
    """Every report of every merged event :func:`event_rows` gives for the same filters, in
    the same order, read ``page`` merged events at a time."""
    country, type = check_country(country), check_event_type(type)
    filters = {"since": since, "until": until, "country": country, "type": type, "actor": actor}
    return _mention_pages(store, filters, page)


def _mention_pages(store: Store, filters: dict[str, str | None], page: int) -> Iterator[MentionRow]:
    after: str | None = None
    while found := store.merged_events_page(after=after, limit=page, **filters):
        keys = [(m.article, m.event) for event in found for m in event.mentions]
        reports = _Reports(store, preload=[article for article, _ in keys])
        urls = {(e.article_id, e.index): e.url for e in store.events_of(keys)}
        for event in found:
            for mention in event.mentions:
                report = reports.get(mention.article, mention.event)
                if report is None:
                    continue
                yield MentionRow(
                    event=event.id,
                    event_date=event.date,
                    article=mention.article,
                    index=mention.event,
                    publisher=mention.publisher,
                    published=mention.published,
                    url=urls.get((mention.article, mention.event)),
                    sentence=mention.evidence.sentence,
                    start=mention.evidence.start,
                    end=mention.evidence.end,
                    trigger_start=report.event.trigger.start,
                    trigger_end=report.event.trigger.end,
                    confidence=report.event.confidence,
                    article_length=report.article_length,
                )
        after = found[-1].id


RECORD_KINDS = ("articles", "events", "merged", "claims", "quotes", "stories")
"""The record types :func:`records` gives: the records of the output contract, each whole."""


def records(
    store: Store, kind: str, *, page: int = _PAGE
) -> Iterator[tuple[dict[str, Any], Record]]:
    """Every record of one type (:data:`RECORD_KINDS`, else E503) in the store, read a page
    at a time, each with the keys that place it: ``article`` and ``index`` for an article's
    events, claims and quotes, none for the others."""
    if kind not in RECORD_KINDS:
        kinds = ", ".join(RECORD_KINDS)
        raise ExportError(Errors.E503.format(records=kind, format="records", kinds=kinds))
    if kind == "merged":
        return _merged_records(store, page)
    if kind == "stories":
        # Stories are few beside their articles (one per incident), read in one query.
        return (({}, story) for story in store.stories())
    return _article_records(store, kind, page)


def _merged_records(store: Store, page: int) -> Iterator[tuple[dict[str, Any], Record]]:
    after: str | None = None
    while found := store.merged_events_page(after=after, limit=page):
        for event in found:
            yield {}, event
        after = found[-1].id


def _article_records(store: Store, kind: str, page: int) -> Iterator[tuple[dict[str, Any], Record]]:
    for article in store.iter_articles(batch_size=page):
        if kind == "articles":
            yield {}, article
            continue
        parts: tuple[Record, ...] = (
            article.events
            if kind == "events"
            else article.claims
            if kind == "claims"
            else article.quotes
        )
        for index, part in enumerate(parts):
            yield {"article": article.id, "index": index}, part


@dataclass(frozen=True, slots=True)
class _Report:
    """What one report says of an event beyond its stored row: its record, place and the
    sectors of its actors."""

    event: Event
    place: Place | None
    source_sectors: tuple[str | None, ...]
    target_sectors: tuple[str | None, ...]
    source_countries: tuple[str | None, ...]
    target_countries: tuple[str | None, ...]
    article_length: int


class _Reports:
    """The reports' events, read from their articles once each (a page's articles at a time
    when preloaded)."""

    def __init__(self, store: Store, *, preload: Sequence[str] = ()) -> None:
        self._store = store
        self._articles: dict[str, Article | None] = dict(store.articles_of(preload))
        self._entities: dict[str, dict[str, Entity]] = {}

    def get(self, article_id: str, index: int) -> _Report | None:
        if article_id not in self._articles:
            self._articles[article_id] = self._store.get_article(article_id)
        article = self._articles[article_id]
        if article is None or not 0 <= index < len(article.events):
            return None
        if article_id not in self._entities:
            self._entities[article_id] = {entity.id: entity for entity in article.entities}
        entities = self._entities[article_id]
        event = article.events[index]
        place = None
        if event.place is not None and 0 <= event.place < len(article.places):
            place = article.places[event.place]

        def sectors(ids: tuple[str, ...]) -> tuple[str | None, ...]:
            return tuple(
                entity.sector if (entity := entities.get(i)) is not None else None for i in ids
            )

        def countries(ids: tuple[str, ...]) -> tuple[str | None, ...]:
            return tuple(
                entity.country if (entity := entities.get(i)) is not None else None for i in ids
            )

        return _Report(
            event,
            place,
            sectors(event.source),
            sectors(event.target),
            countries(event.source),
            countries(event.target),
            len(article.text),
        )


def _tolls(event: Event, *, publisher: str | None, article: str) -> list[Toll]:
    found = []
    for quantity in event.quantities:
        if quantity.unit not in TOLL_UNITS:
            continue
        low, high = quantity.value if isinstance(quantity.value, tuple) else (quantity.value, None)
        found.append(
            Toll(
                unit=quantity.unit,
                value=low,
                high=high,
                approx=quantity.approx,
                publisher=publisher,
                article=article,
                evidence=quantity.evidence.text,
            )
        )
    return found


def _fatalities(tolls: Sequence[Toll]) -> float | None:
    """The most conservative independent count of dead, as ACLED takes it: each source's
    figure, then the lowest of those. A source's figure is the highest exact count its reports
    give (a toll that rose: its latest); a vague one ("dozens": 24-99, "thousands") counts only
    when it gives no exact one, at its low end."""
    exact: dict[str, float] = {}
    vague: dict[str, float] = {}
    for toll in tolls:
        if toll.unit != _DEAD:
            continue
        source = toll.publisher or toll.article
        if toll.high is None:
            exact[source] = max(exact.get(source, toll.value), toll.value)
        else:
            vague[source] = min(vague.get(source, toll.value), toll.value)
    figures = [exact[source] if source in exact else vague[source] for source in {*exact, *vague}]
    return min(figures, default=None)


def _time_precision(date_precision: str | None, dated: bool) -> int | None:
    if not dated:
        return None
    if date_precision == "day":
        return 1
    if date_precision in ("week", "published"):
        return 2
    return 3


def _geo_precision(place: Place | None) -> int | None:
    if place is None or place.precision is None:
        return None
    if place.precision == 1:
        return 2 if place.relative else 1
    return 2 if place.precision == 2 else 3


def _admin(place: Place | None) -> tuple[str | None, str | None]:
    if place is None:
        return None, None
    admin1 = place.admin1 or (place.name if place.feature == "admin1" else None)
    admin2 = place.name if place.feature in _ADMIN2_FEATURES else None
    return admin1, admin2


def _unique(values: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(value for value in values if value))


def _mention_row(event: StoredEvent, reports: _Reports) -> EventRow:
    report = reports.get(event.article_id, event.index)
    tolls = (
        _tolls(report.event, publisher=event.publisher, article=event.article_id) if report else []
    )
    place = report.place if report else None
    admin1, admin2 = _admin(place)
    date = event.date or event.published
    return EventRow(
        id=f"{event.article_id}#{event.index}",
        date=date,
        type=event.type,
        status=event.status,
        source=event.source_names,
        target=event.target_names,
        place=event.place,
        country=event.country,
        fatalities=_fatalities(tolls),
        confidence=event.confidence,
        evidence=event.evidence,
        reports=1,
        sources=1,
        mode=event.mode,
        cameo=event.cameo,
        date_precision=event.date_precision if event.date else "published",
        time_precision=_time_precision(
            event.date_precision if event.date else "published", bool(date)
        ),
        lat=event.lat,
        lon=event.lon,
        admin1=admin1,
        admin2=admin2,
        geo_precision=_geo_precision(place),
        feature=place.feature if place else None,
        place_id=place.gazetteer_id if place else None,
        tolls=tuple(tolls),
        source_names=event.source_names,
        target_names=event.target_names,
        source_sectors=report.source_sectors if report else (),
        target_sectors=report.target_sectors if report else (),
        source_countries=report.source_countries if report else (),
        target_countries=report.target_countries if report else (),
        outlets=_unique([event.publisher]),
        urls=_unique([event.url]),
        articles=(event.article_id,),
        claimed_by=event.claimed_by_name,
        verification=event.verification,
        first_seen=event.published,
        last_seen=event.published,
    )


def _merged_row(event: MergedEvent, mentions: Sequence[StoredEvent], reports: _Reports) -> EventRow:
    first = mentions[0]
    # A toll that two mentions of one article share (the attack and its killings, told in one
    # sentence) is one figure, not two.
    tolls: dict[tuple[str, str, float, float | None, str], Toll] = {}
    for mention in event.mentions:
        report = reports.get(mention.article, mention.event)
        if report is not None:
            for toll in _tolls(report.event, publisher=mention.publisher, article=mention.article):
                key = (toll.article, toll.unit, toll.value, toll.high, toll.evidence)
                tolls.setdefault(key, toll)
    dates = [found for m in mentions if (found := m.date or m.published)]
    date = event.date or max(dates, default=None)
    # The report whose place and date the merged event took stands for it, else the first.
    placed = next((m for m in mentions if m.place == event.place), first)
    dated = next((m for m in mentions if m.date and m.date == event.date), placed)
    report = reports.get(placed.article_id, placed.index)
    place = report.place if report else None
    # The actors are the first report's, as ``source`` and ``target`` are.
    actors = reports.get(first.article_id, first.index)
    admin1, admin2 = _admin(place)
    precision = dated.date_precision if event.date else "published"
    return EventRow(
        id=event.id,
        date=date,
        type=event.type,
        status=event.status,
        source=first.source_names or event.source,
        target=first.target_names or event.target,
        place=event.place,
        country=event.country,
        fatalities=_fatalities(list(tolls.values())),
        confidence=max(m.confidence for m in mentions),
        evidence=first.evidence,
        reports=len(event.mentions),
        sources=event.sources,
        mode=first.mode,
        cameo=first.cameo,
        date_precision=precision if date else None,
        time_precision=_time_precision(precision, bool(date)),
        lat=event.lat,
        lon=event.lon,
        admin1=admin1,
        admin2=admin2,
        geo_precision=_geo_precision(place),
        feature=place.feature if place else None,
        place_id=place.gazetteer_id if place else None,
        tolls=tuple(tolls.values()),
        source_names=first.source_names,
        target_names=first.target_names,
        source_sectors=actors.source_sectors if actors else (),
        target_sectors=actors.target_sectors if actors else (),
        source_countries=actors.source_countries if actors else (),
        target_countries=actors.target_countries if actors else (),
        outlets=_unique(m.publisher for m in event.mentions),
        urls=_unique(m.url for m in mentions),
        articles=_unique(m.article for m in event.mentions),
        claimed_by=first.claimed_by_name,
        verification=first.verification,
        first_seen=event.first_seen,
        last_seen=event.last_seen,
    )


# -- more questions -------------------------------------------------------------------------------


def claims(
    store: Store, *, actor: str | None = None, limit: int | None = None, offset: int = 0
) -> list[StoredClaim]:
    """Claims, who claims them and whether anyone verified them, in the order stored
    (``offset`` of them skipped)."""
    return store.claims(actor=actor, limit=limit, offset=offset)


def search(store: Store, text: str, *, limit: int = 20) -> list[SearchHit]:
    """Articles holding every word and "quoted phrase" of ``text``, best first."""
    if not any(character.isalnum() for character in text):
        raise StoreError(Errors.E425.format(text=text))
    # The store checks the query's syntax and length and the limit (its coded errors, E407-E419,
    # surface from here).
    return store.search(text, limit=limit)


def stories(store: Store) -> list[Story]:
    """Every story, the most recently active first."""
    return sorted(store.stories(), key=lambda found: found.last_seen or "", reverse=True)


@dataclass(frozen=True, slots=True)
class StoryView:
    story: Story
    articles: tuple[Article, ...]
    merged: tuple[MergedEvent, ...]


def story(store: Store, story_id: str) -> StoryView:
    """One story with its articles and merged events; E424 when the store has no such story."""
    found = store.story(story_id)
    if found is None:
        raise StoreError(Errors.E424.format(story=story_id, store=store_name(store)))
    articles = tuple(
        article
        for article_id in found.articles
        if (article := store.get_article(article_id)) is not None
    )
    return StoryView(
        story=found, articles=articles, merged=tuple(store.merged_events(story=found.id))
    )


def rejected(store: Store, *, limit: int | None = None, offset: int = 0) -> list[Rejected]:
    """Every input the store recorded as rejected, with its reason, oldest first (a page of
    them with ``limit`` and ``offset``)."""
    return store.rejected(limit=limit, offset=offset)


# -- the web app's and API's questions ------------------------------------------------------------
# Pages of every list, filtered and cut in the database (never a whole table read to show 50
# rows), and posted reports ingested: what ``newsdesk serve`` asks.

STATUSES: tuple[str, ...] = (*get_args(Event.model_fields["status"].annotation), "disputed")
"""What the ``status`` filter takes: how an article may report an event (``Event.status``), or
``disputed``, a merged event whose reports conflict."""


def check_status(value: str | None) -> str | None:
    """A status (:data:`STATUSES`), lower case; E487 listing the statuses otherwise."""
    if value is None:
        return None
    status = value.strip().lower()
    if status not in STATUSES:
        raise StoreError(Errors.E487.format(value=value, statuses=", ".join(STATUSES)))
    return status


def article_page(store: Store, *, limit: int, offset: int = 0) -> list[ArticleRow]:
    """A page of the articles (metadata, no text), in the order they were stored."""
    return store.article_page(limit=limit, offset=offset)


def article(store: Store, article_id: str) -> Article:
    """One article's whole record; E485 when the store has no such article."""
    found = store.get_article(article_id)
    if found is None:
        raise StoreError(Errors.E485.format(what="article", key=article_id))
    return found


def story_page(store: Store, *, limit: int, offset: int = 0) -> list[Story]:
    """A page of the stories, the most recently active first."""
    return store.stories(limit=limit, offset=offset)


def event_page(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    country: str | None = None,
    type: str | None = None,  # shadows the builtin: the filter and the field are "type"
    status: str | None = None,
    actor: str | None = None,
    limit: int,
    offset: int = 0,
) -> list[MergedRow]:
    """A page of merged events, newest first, filtered (the map's question). ``country``,
    ``type`` and ``status`` are checked (E422, E423, E487), the dates by the store (E406)."""
    return store.merged_page(
        since=since,
        until=until,
        country=check_country(country),
        type=check_event_type(type),
        status=check_status(status),
        actor=actor,
        limit=limit,
        offset=offset,
    )


def merged_event(store: Store, event_id: str) -> MergedEvent:
    """One merged event with every mention; E485 when the store has no such event."""
    found = store.merged_event(event_id)
    if found is None:
        raise StoreError(Errors.E485.format(what="event", key=event_id))
    return found


def mention_page(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    country: str | None = None,
    type: str | None = None,
    actor: str | None = None,
    limit: int,
    offset: int = 0,
) -> list[StoredEvent]:
    """A page of the events as each report codes them (one row per report), oldest first."""
    return store.events(
        since=since,
        until=until,
        country=check_country(country),
        type=check_event_type(type),
        actor=actor,
        limit=limit,
        offset=offset,
    )


@dataclass(frozen=True, slots=True)
class QuoteRow:
    """One quote, its speaker by name, and the article it stands in."""

    article_id: str
    index: int
    """Index into the article's ``quotes``."""
    speaker: str | None
    """The speaker's name (from the article's entities), or the words that name them."""
    actor: str | None
    """The speaker's knowledge-base actor id, when known."""
    content: str
    kind: str
    title: str | None
    publisher: str | None
    published: str | None


def quote_page(store: Store, *, limit: int, offset: int = 0) -> list[QuoteRow]:
    """A page of the quotes, in the order their articles were stored. Quotes live in the
    records only, so the articles are read in order up to the page: a later page costs more."""
    from newsdesk.corpus.store import MAX_LIMIT, check_limit

    check_limit(limit)
    if not 0 <= offset <= MAX_LIMIT:
        raise StoreError(Errors.E414.format(got=offset, most=MAX_LIMIT))
    rows: list[QuoteRow] = []
    skipped = 0
    for stored in store.iter_articles():
        if len(stored.quotes) + skipped <= offset:
            skipped += len(stored.quotes)
            continue
        by_id = {entity.id: entity for entity in stored.entities}
        for index, quote in enumerate(stored.quotes):
            if skipped < offset:
                skipped += 1
                continue
            speaker = by_id.get(quote.speaker) if quote.speaker else None
            rows.append(
                QuoteRow(
                    article_id=stored.id,
                    index=index,
                    speaker=speaker.name if speaker else quote.speaker_text,
                    actor=speaker.actor if speaker else None,
                    content=quote.content.text,
                    kind=quote.kind,
                    title=stored.title,
                    publisher=stored.publisher,
                    published=stored.published,
                )
            )
            if len(rows) == limit:
                return rows
    return rows


def actor_page(store: Store, *, limit: int, offset: int = 0) -> list[ActorRow]:
    """A page of the actors the articles name, the most widely reported first."""
    return store.actor_page(limit=limit, offset=offset)


def place_page(store: Store, *, limit: int, offset: int = 0) -> list[PlaceRow]:
    """A page of the places events happened at, the most eventful first."""
    return store.place_page(limit=limit, offset=offset)


def search_page(store: Store, text: str, *, limit: int, offset: int = 0) -> list[SearchHit]:
    """A page of :func:`search`'s hits, best first (ranks count from the first page)."""
    from newsdesk.corpus.store import MAX_LIMIT

    if offset < 0 or offset + limit > MAX_LIMIT:
        raise StoreError(Errors.E414.format(got=offset, most=MAX_LIMIT - limit))
    return search(store, text, limit=offset + limit)[offset:]


PostedKind = Literal["text", "jsonl"]


@dataclass(frozen=True, slots=True)
class Posted:
    """What an ingest of posted reports did: the counts, the articles stored or found stored
    (by id, in input order) and the inputs rejected, then the corpus refreshed."""

    counts: IngestCounts
    articles: tuple[str, ...]
    rejected: tuple[Rejected, ...]
    corpus: CorpusCounts


def ingest_posted(
    store: Store,
    body: bytes,
    *,
    kind: PostedKind,
    analyzer: ArticleAnalyzer,
    url: str | None = None,
    published: str | None = None,
) -> Posted:
    """Analyse reports posted to the web API into the store, then refresh the corpus results.

    ``kind`` "text": the body is one report, plain text or HTML (in any encoding the pipeline
    reads), with ``url`` and ``published`` (E421 unless a full ISO date); "jsonl": JSON Lines,
    one report a line as ``newsdesk ingest`` reads a ``.jsonl`` file. Each input's origin is
    ``api:`` and the hash of the body (with ``:LINE`` for JSON Lines), so posting the same body
    again stores nothing twice. Inputs over the input size limit are rejected (R104).
    """
    from newsdesk.corpus.store import Added
    from newsdesk.stages.readers import jsonl_inputs

    settings = analyzer.settings
    published = check_published(published)
    origin = "api:" + hashlib.sha256(body).hexdigest()[:16]
    limit = settings.input.max_input_bytes
    items: list[Input | Rejected]
    if kind == "jsonl":
        items = list(jsonl_inputs(body, origin=origin, limit=limit))
    elif len(body) > limit:
        items = [Reasons.R104.reject(source=origin, size=len(body), limit=limit)]
    else:
        items = [Input(data=body, url=url, published=published, origin=origin)]
    done = store.known_among([name for item in items if (name := _origin(item)) is not None])
    fresh = [item for item in items if _origin(item) not in done]
    inputs = [item for item in fresh if isinstance(item, Input)]
    ingested = duplicate = 0
    articles: list[str] = []
    refused: list[Rejected] = []
    for item, result in _placed(fresh, list(analyzer.analyze_many(inputs))):
        if isinstance(result, Rejected):
            store.add_rejected(result)
            refused.append(result)
            continue
        if store.add_article(result, source=_origin(item)) is Added.NEW:
            ingested += 1
        else:
            duplicate += 1
        articles.append(result.id)
    counts = IngestCounts(
        ingested=ingested,
        duplicate=duplicate,
        rejected=len(refused),
        already_done=len(items) - len(fresh),
    )
    corpus = refresh(store, settings=settings)
    return Posted(counts=counts, articles=tuple(articles), rejected=tuple(refused), corpus=corpus)


# -- the reports' questions -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportScope:
    """What a situation report covers: one story, or the stories behind a country's events,
    each with only the merged events the report's period (and country) keeps."""

    views: tuple[StoryView, ...]
    """Each story in the report with ``merged`` narrowed to the report's events, for the claims
    board (``newsdesk.board``); an event told by two stories is kept in the first only."""
    story: Story | None
    country: str | None
    since: str | None
    until: str | None

    @property
    def merged(self) -> tuple[MergedEvent, ...]:
        return tuple(event for view in self.views for event in view.merged)

    @property
    def articles(self) -> tuple[Article, ...]:
        seen: dict[str, Article] = {}
        for view in self.views:
            for article in view.articles:
                seen.setdefault(article.id, article)
        return tuple(seen.values())


def report_scope(
    store: Store,
    *,
    story_id: str | None = None,
    country: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> ReportScope:
    """The story ``story_id`` (E424 when there is none), or the stories whose merged events
    happened in ``country`` (E422 for a bad code), narrowed to the merged events that may fall
    between ``since`` and ``until`` (E406), as ``events`` reads them. The scope may be empty:
    the caller says what an empty report means."""
    if (story_id is None) == (country is None):
        raise ValueError("report_scope needs exactly one of story_id and country")
    country = check_country(country)
    kept: set[str] | None = None
    reported: set[str] = set()
    if country is not None or since is not None or until is not None:
        answer = events(store, country=country, since=since, until=until)
        kept = {row.id for row in answer.rows}
        reported = {mention.article_id for mention in answer.mentions}
    if story_id is not None:
        view = story(store, story_id)
        narrowed = _with_mentioned(store, _narrowed(view, kept))
        return ReportScope(
            views=(narrowed,), story=view.story, country=None, since=since, until=until
        )
    views: list[StoryView] = []
    taken: set[str] = set()
    for found in stories(store):
        if kept is not None and not kept - taken:
            break
        if not reported.intersection(found.articles):
            continue  # none of its articles reports one of the events: not read at all
        view = _narrowed(story(store, found.id), kept)
        fresh = tuple(event for event in view.merged if event.id not in taken)
        if fresh:
            taken.update(event.id for event in fresh)
            views.append(
                _with_mentioned(
                    store, StoryView(story=view.story, articles=view.articles, merged=fresh)
                )
            )
    return ReportScope(views=tuple(views), story=None, country=country, since=since, until=until)


def _with_mentioned(store: Store, view: StoryView) -> StoryView:
    """``view`` with every article that reports one of its merged events, when a merge reaches
    past the story's own articles: each mention must be citable at its words."""
    have = {article.id for article in view.articles}
    missing = dict.fromkeys(
        mention.article
        for event in view.merged
        for mention in event.mentions
        if mention.article not in have
    )
    extra = tuple(found for key in missing if (found := store.get_article(key)) is not None)
    if not extra:
        return view
    return StoryView(story=view.story, articles=view.articles + extra, merged=view.merged)


def _narrowed(view: StoryView, kept: set[str] | None) -> StoryView:
    """``view`` with only the merged events whose ids are in ``kept`` (all when None)."""
    if kept is None:
        return view
    return StoryView(
        story=view.story,
        articles=view.articles,
        merged=tuple(event for event in view.merged if event.id in kept),
    )


def merged_events(store: Store) -> list[MergedEvent]:
    """Every merged event in the store, oldest first (a feed of the whole store)."""
    return store.merged_events()


def article_urls(store: Store, article_ids: Iterable[str]) -> dict[str, str | None]:
    """Each article's URL as the store holds it (None when it has none or is gone)."""
    found: dict[str, str | None] = {}
    for article_id in article_ids:
        if article_id not in found:
            article = store.get_article(article_id)
            found[article_id] = article.url if article is not None else None
    return found


# -- the web pages' questions ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MapEvent:
    """A merged event as the map and the event lists show it: its row, its record (with its
    place's coordinates and every mention), and the stories whose articles report it."""

    row: EventRow
    event: MergedEvent
    stories: tuple[str, ...]


def merged_event_list(
    store: Store,
    *,
    since: str | None = None,
    until: str | None = None,
    country: str | None = None,
    type: str | None = None,  # shadows the builtin: the filter and the field are "type"
    actor: str | None = None,
    status: str | None = None,
) -> tuple[list[MapEvent], int]:
    """The merged events matching every filter, newest first, and how many match all but the
    dates and have none (as :func:`events`). ``status`` is checked here (E487).

    A merged event matches ``type``, ``country`` and ``status`` by its own fields, which its
    marker shows (an attack one report calls a clash is not listed as a clash), and the dates
    and ``actor`` by any of its reports, as :func:`events` does."""
    status = check_status(status)
    country, type = check_country(country), check_event_type(type)
    answer = events(store, since=since, until=until, country=country, type=type, actor=actor)
    records = {event.id: event for event in store.merged_events()}
    story_of = _stories_by_article(store)
    found: list[MapEvent] = []
    for row in answer.rows:
        event = records.get(row.id)
        if (
            event is None
            or (status is not None and row.status != status)
            or (type is not None and row.type != type)
            or (country is not None and row.country != country)
        ):
            continue
        stories_of = dict.fromkeys(s for m in event.mentions for s in story_of.get(m.article, ()))
        found.append(MapEvent(row=row, event=event, stories=tuple(stories_of)))
    return found, answer.undated


def _stories_by_article(store: Store) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for each in store.stories():
        for article_id in each.articles:
            found.setdefault(article_id, []).append(each.id)
    return found


def event_card(store: Store, event_id: str) -> MapEvent:
    """One merged event with its stories; E491 when the store has none of that id. Its row is
    built as the lists build it, so that its card says what its row on the map says."""
    event = store.merged_event(event_id)
    keys = [(m.article, m.event) for m in event.mentions] if event is not None else []
    stored = {(e.article_id, e.index): e for e in store.events_of(keys)}
    mine = [stored[key] for key in keys if key in stored]
    if event is None or not mine:  # the lists leave out a merged event with no stored report
        raise StoreError(Errors.E491.format(store=store_name(store), event=event_id))
    row = _merged_row(event, mine, _Reports(store, preload=[article for article, _ in keys]))
    story_of = _stories_by_article(store)
    stories_of = dict.fromkeys(s for m in event.mentions for s in story_of.get(m.article, ()))
    return MapEvent(row=row, event=event, stories=tuple(stories_of))


def event_countries(store: Store) -> list[str]:
    """The countries merged events are placed in, by code: what a country filter offers."""
    return sorted({event.country for event in store.merged_events() if event.country})


def merged_ids_of(store: Store, article_id: str) -> dict[int, str]:
    """The merged event each of an article's events belongs to, by the event's index."""
    return {
        mention.event: event.id
        for event in store.merged_events()
        for mention in event.mentions
        if mention.article == article_id
    }


def article_titles(store: Store, article_ids: Iterable[str]) -> dict[str, str | None]:
    """The titles of the stored articles among ``article_ids`` (None: untitled)."""
    return {
        article_id: found.title
        for article_id in dict.fromkeys(article_ids)
        if (found := store.get_article(article_id)) is not None
    }


def stories_of(store: Store, article_id: str) -> list[Story]:
    """The stories an article belongs to."""
    return [found for found in store.stories() if article_id in found.articles]


@dataclass(frozen=True, slots=True)
class ArticleEntry:
    id: str
    title: str | None
    publisher: str | None
    published: str | None
    url: str | None
    events: int
    stories: tuple[str, ...]


def article_list(store: Store) -> list[ArticleEntry]:
    """Every article's metadata, the newest first (undated last)."""
    story_of = _stories_by_article(store)
    rows = [
        ArticleEntry(
            id=found.id,
            title=found.title,
            publisher=found.publisher,
            published=found.published,
            url=found.url,
            events=len(found.events),
            stories=tuple(story_of.get(found.id, ())),
        )
        for found in store.iter_articles()
    ]
    rows.sort(key=lambda row: row.published or "", reverse=True)
    return rows


def syndication(store: Store, article_id: str) -> list[Syndication]:
    """The copied blocks ``article_id`` holds, or that copy from it."""
    return store.syndication(article_id)


@dataclass(frozen=True, slots=True)
class ActorEntry:
    key: str
    """What the event filter ``actor`` takes: a knowledge-base id, else the name as written."""
    name: str
    events: int
    as_source: int
    as_target: int
    claims: int


def actor_list(store: Store) -> list[ActorEntry]:
    """Every actor that takes part in a reported event or makes a claim, the busiest first."""
    source: dict[str, int] = {}
    target: dict[str, int] = {}
    names: dict[str, str] = {}
    for stored in store.events():
        for keys, shown, counts in (
            (stored.source, stored.source_names, source),
            (stored.target, stored.target_names, target),
        ):
            for key, name in zip(keys, shown, strict=False):
                counts[key] = counts.get(key, 0) + 1
                names.setdefault(key, name)
    claimed: dict[str, int] = {}
    for found in store.claims():
        claimant = found.claimant_actor or found.claimant_name
        if claimant:
            claimed[claimant] = claimed.get(claimant, 0) + 1
            names.setdefault(claimant, found.claimant_name or claimant)
    rows = [
        ActorEntry(
            key=key,
            name=names[key],
            events=source.get(key, 0) + target.get(key, 0),
            as_source=source.get(key, 0),
            as_target=target.get(key, 0),
            claims=claimed.get(key, 0),
        )
        for key in names
    ]
    rows.sort(key=lambda row: (-(row.events + row.claims), row.name.lower()))
    return rows


@dataclass(frozen=True, slots=True)
class PlaceEntry:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    events: int
    """Merged events placed there."""
    reports: int


def place_list(store: Store) -> list[PlaceEntry]:
    """Every place a merged event is placed at, the busiest first."""
    found: dict[tuple[str, str | None], list[MergedEvent]] = {}
    for event in store.merged_events():
        if event.place:
            found.setdefault((event.place, event.country), []).append(event)
    rows = [
        PlaceEntry(
            name=name,
            country=country,
            lat=next((e.lat for e in placed if e.lat is not None), None),
            lon=next((e.lon for e in placed if e.lon is not None), None),
            events=len(placed),
            reports=sum(len(e.mentions) for e in placed),
        )
        for (name, country), placed in found.items()
    ]
    rows.sort(key=lambda row: (-row.events, row.name.lower()))
    return rows

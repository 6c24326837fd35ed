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
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from newsdesk.errors import Errors, ExportError, StoreError
from newsdesk.records import (
    Article,
    Entity,
    Event,
    Input,
    MergedEvent,
    Place,
    Record,
    Rejected,
    Story,
)
from newsdesk.settings import Settings, load_settings

# The corpus layer (SQLAlchemy, datasketch, scipy) is imported where a use case needs it, so
# that a face which only analyses one article (``newsdesk analyze``) never loads it.
if TYPE_CHECKING:
    from newsdesk.corpus.store import SearchHit, Store, StoredClaim, StoredEvent

__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "RECORD_KINDS",
    "ArticleAnalyzer",
    "CorpusCounts",
    "CorpusProgress",
    "EventRow",
    "EventsAnswer",
    "IngestCounts",
    "MentionRow",
    "RecodeCounts",
    "StoryView",
    "Toll",
    "analyse_demo",
    "check_country",
    "check_event_type",
    "check_published",
    "claims",
    "count_inputs",
    "event_rows",
    "events",
    "ingest",
    "mention_rows",
    "open_store",
    "recode",
    "records",
    "refresh",
    "rejected",
    "search",
    "skipped_files",
    "store_location",
    "store_name",
    "stories",
    "story",
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
# The units of the quantities that are tolls of an event (sections of quantities.txt).
_TOLL_UNITS = ("dead", "injured", "displaced", "arrested")
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


def open_store(db: str | None, *, must_exist: bool = False) -> Store:
    """Open (or, unless ``must_exist``, create) the store ``db`` names.

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
    return Store(location)


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
        if quantity.unit not in _TOLL_UNITS:
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
    store: Store, *, actor: str | None = None, limit: int | None = None
) -> list[StoredClaim]:
    """Claims, who claims them and whether anyone verified them, in the order stored."""
    return store.claims(actor=actor, limit=limit)


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


def rejected(store: Store) -> list[Rejected]:
    """Every input the store recorded as rejected, with its reason, oldest first."""
    return store.rejected()

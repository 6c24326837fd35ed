"""The REST API under ``/api``: JSON answers from the desk, described by the OpenAPI document at
``/api/openapi.json``. Every list is a page (``limit``, at most the app's page limit, and
``offset``) with the offset of the next page, and every row carries the stable ids that link it
to its article, story or event; every error is ``{"error": {"code", "message"}}`` (``app.py``).

Reads never write: without a token the store is opened read-only. ``POST /api/ingest`` needs
the token as a bearer header.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from newsdesk import desk
from newsdesk.corpus.store import (
    MAX_LIMIT,
    MAX_SEARCH_CHARS,
    SEARCH_SYNTAX,
    ActorRow,
    ArticleRow,
    MergedRow,
    PlaceRow,
    SearchHit,
    Store,
    StoredClaim,
    StoredEvent,
)
from newsdesk.errors import Errors
from newsdesk.records import Article, MergedEvent, Rejected, Story
from newsdesk.serve.app import (
    ServeConfig,
    analyzer_of,
    config_of,
    require_token,
    store_of,
    write_lock_of,
)

__all__ = ["ErrorAnswer", "EventSummary", "IngestAnswer", "Page", "StoryAnswer", "router"]


class _Problem(BaseModel):
    code: str = Field(description="A stable code, such as E422 (newsdesk/errors.py).")
    message: str = Field(description="What was wrong, and what to do about it.")


class ErrorAnswer(BaseModel):
    """Every error's shape."""

    error: _Problem


_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorAnswer, "description": description}
    for status, description in (
        (400, "The question cannot be answered as asked (a bad filter, date, search or page)."),
        (404, "No such article, story or event."),
        (413, "The request body is over the limit."),
        (422, "A parameter is missing or of the wrong type."),
        (500, "The server failed; the request was fine."),
    )
}
router = APIRouter(prefix="/api", tags=["api"], responses=_ERRORS)


# The routes' dependencies are coroutines: FastAPI runs a plain function dependency in its
# thread pool, a hop per dependency per request that costs more than the work it does.
async def _store(request: Request) -> Store:
    return store_of(request)


async def _config(request: Request) -> ServeConfig:
    return config_of(request)


async def _write_lock(request: Request) -> threading.Lock:
    return write_lock_of(request)


StoreDep = Annotated[Store, Depends(_store)]
T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list."""

    items: list[T]
    limit: int
    offset: int
    next_offset: int | None = Field(
        description="The offset of the next page, or null when this page is the last."
    )


@dataclass(frozen=True, slots=True)
class _Paging:
    limit: int
    offset: int

    def page(self, rows: Sequence[Any]) -> Response:
        """The page of ``rows``, fetched with one row more than ``limit`` to tell whether a
        next page exists, as JSON. The rows are the desk's typed answers already, so the page
        is written out as it is (the route declares its model for the document): FastAPI would
        otherwise validate every row again, which costs as much as the query."""
        more = len(rows) > self.limit
        page = Page[Any].model_construct(
            items=list(rows[: self.limit]),
            limit=self.limit,
            offset=self.offset,
            next_offset=self.offset + self.limit if more else None,
        )
        return _json(page)


def _json(answer: BaseModel) -> Response:
    return Response(answer.model_dump_json(), media_type="application/json")


async def _paging(
    config: Annotated[ServeConfig, Depends(_config)],
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Rows per page (at most the page limit).")
    ] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_LIMIT, description="Rows to skip.")] = 0,
) -> _Paging:
    if limit > config.page_limit:
        raise HTTPException(400, Errors.E486.format(most=config.page_limit, got=limit))
    return _Paging(limit, offset)


PagingDep = Annotated[_Paging, Depends(_paging)]
Since = Annotated[
    str | None,
    Query(description="Events that may fall on or after this day: YYYY, YYYY-MM or YYYY-MM-DD."),
]
Until = Annotated[str | None, Query(description="... on or before this day (same forms).")]
Country = Annotated[str | None, Query(description="ISO 3166 alpha-2 country code, such as AF.")]
EventType = Annotated[str | None, Query(description="PLOVER event type, such as ASSAULT.")]
Actor = Annotated[
    str | None,
    Query(description="A source or target actor: knowledge-base id, name or alias (any case)."),
]


# -- articles ---------------------------------------------------------------------------------


@router.get("/articles", response_model=Page[ArticleRow])
def articles(store: StoreDep, paging: PagingDep) -> Response:
    """The articles (metadata, no text), in the order they were stored."""
    return paging.page(desk.article_page(store, limit=paging.limit + 1, offset=paging.offset))


@router.get("/articles/{article_id}")
def article(store: StoreDep, article_id: str) -> Article:
    """One article's whole record: its text, blocks, and every extracted field with the
    evidence (character offsets into the text) behind it."""
    return desk.article(store, article_id)


# -- stories ----------------------------------------------------------------------------------


class StoryArticle(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    title: str | None
    publisher: str | None
    published: str | None
    url: str | None


class StoryAnswer(BaseModel):
    """A story with its articles and the merged events they report."""

    story: Story
    articles: list[StoryArticle]
    events: list[MergedEvent]


@router.get("/stories", response_model=Page[Story])
def stories(store: StoreDep, paging: PagingDep) -> Response:
    """The stories, the most recently active first."""
    return paging.page(desk.story_page(store, limit=paging.limit + 1, offset=paging.offset))


@router.get("/stories/{story_id}", response_model=StoryAnswer)
def story(store: StoreDep, story_id: str) -> Response:
    """One story: its articles (in the story's order) and its merged events, each with every
    mention and the claims that conflict about it."""
    view = desk.story(store, story_id)
    answer = StoryAnswer(
        story=view.story,
        articles=[
            StoryArticle(
                id=item.id,
                title=item.title,
                publisher=item.publisher,
                published=item.published,
                url=item.url,
            )
            for item in view.articles
        ],
        events=list(view.merged),
    )
    return _json(answer)


# -- events -----------------------------------------------------------------------------------


class EventSummary(BaseModel):
    """A merged event as a map or a timeline draws it: one per real-world event."""

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
    sources: int = Field(description="Independent sources that report it.")
    reports: int = Field(description="Reports (mentions) of it, copies included.")
    story: str | None = Field(description="The story its reports are in, when known.")

    @classmethod
    def of(cls, row: MergedRow) -> EventSummary:
        return cls(
            id=row.id,
            type=row.type,
            status=row.status,
            date=row.date,
            first_seen=row.first_seen,
            last_seen=row.last_seen,
            place=row.place,
            country=row.country,
            lat=row.lat,
            lon=row.lon,
            source=row.source,
            target=row.target,
            sources=row.sources,
            reports=row.reports,
            story=row.story_id,
        )


@router.get("/events", response_model=Page[EventSummary])
def events(
    store: StoreDep,
    paging: PagingDep,
    since: Since = None,
    until: Until = None,
    country: Country = None,
    type: EventType = None,  # shadows the builtin: the filter and the field are "type"
    status: Annotated[
        str | None, Query(description="How it is reported: " + ", ".join(desk.STATUSES))
    ] = None,
    actor: Actor = None,
) -> Response:
    """Merged events (one per real-world event, not per report), newest first, filtered."""
    rows = desk.event_page(
        store,
        since=since,
        until=until,
        country=country,
        type=type,
        status=status,
        actor=actor,
        limit=paging.limit + 1,
        offset=paging.offset,
    )
    return paging.page([EventSummary.of(row) for row in rows])


@router.get("/events/{event_id}")
def event(store: StoreDep, event_id: str) -> MergedEvent:
    """One merged event with every report of it (its evidence in each article) and the
    claims about it that conflict."""
    return desk.merged_event(store, event_id)


@router.get("/mentions", response_model=Page[StoredEvent])
def mentions(
    store: StoreDep,
    paging: PagingDep,
    since: Since = None,
    until: Until = None,
    country: Country = None,
    type: EventType = None,
    actor: Actor = None,
) -> Response:
    """Events as each report codes them (one row per report; ``article_id`` and ``index``
    point into the article's ``events``), oldest first."""
    rows = desk.mention_page(
        store,
        since=since,
        until=until,
        country=country,
        type=type,
        actor=actor,
        limit=paging.limit + 1,
        offset=paging.offset,
    )
    return paging.page(rows)


# -- claims, quotes, actors, places -------------------------------------------------------------


@router.get("/claims", response_model=Page[StoredClaim])
def claims(
    store: StoreDep,
    paging: PagingDep,
    actor: Annotated[
        str | None, Query(description="The claimant: knowledge-base id or name (any case).")
    ] = None,
) -> Response:
    """Claims, who makes them and whether anyone verified them, in the order stored."""
    return paging.page(
        desk.claims(store, actor=actor, limit=paging.limit + 1, offset=paging.offset)
    )


@router.get("/quotes", response_model=Page[desk.QuoteRow])
def quotes(store: StoreDep, paging: PagingDep) -> Response:
    """Quotes with their speakers, in the order their articles were stored."""
    return paging.page(desk.quote_page(store, limit=paging.limit + 1, offset=paging.offset))


@router.get("/actors", response_model=Page[ActorRow])
def actors(store: StoreDep, paging: PagingDep) -> Response:
    """The actors the articles name, the most widely reported first; ``key`` is what the
    events' ``actor`` filter takes."""
    return paging.page(desk.actor_page(store, limit=paging.limit + 1, offset=paging.offset))


@router.get("/places", response_model=Page[PlaceRow])
def places(store: StoreDep, paging: PagingDep) -> Response:
    """The places events happened at, the most eventful first."""
    return paging.page(desk.place_page(store, limit=paging.limit + 1, offset=paging.offset))


# -- search and rejections ----------------------------------------------------------------------


@router.get("/search", response_model=Page[SearchHit])
def search(
    store: StoreDep,
    paging: PagingDep,
    q: Annotated[
        str,
        Query(max_length=MAX_SEARCH_CHARS, description=f"What to find. {SEARCH_SYNTAX}."),
    ],
) -> Response:
    """Articles matching ``q``, best first; each hit's snippet marks the matched words."""
    return paging.page(desk.search_page(store, q, limit=paging.limit + 1, offset=paging.offset))


@router.get("/rejected", response_model=Page[Rejected])
def rejected(store: StoreDep, paging: PagingDep) -> Response:
    """Inputs that could not be analysed, with the reason, oldest first."""
    return paging.page(desk.rejected(store, limit=paging.limit + 1, offset=paging.offset))


# -- writes -----------------------------------------------------------------------------------


class IngestAnswer(BaseModel):
    """What an ingest did with the posted reports; the corpus results are refreshed."""

    ingested: int
    duplicate: int = Field(description="Reports whose text was already stored.")
    rejected: int
    already_done: int = Field(description="Reports this same body posted before settled.")
    articles: list[str] = Field(description="Ids of the articles stored or found stored.")
    rejections: list[Rejected]
    stories: int
    merged_events: int


# The body's media type -> how it is read; parameters (charset) are left to the pipeline.
_KINDS: dict[str, desk.PostedKind] = {
    "text/plain": "text",
    "text/html": "text",
    "application/xhtml+xml": "text",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/jsonlines": "jsonl",
    "application/json-lines": "jsonl",
}
_BODY = {
    "required": True,
    "content": {
        "text/plain": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
        "application/x-ndjson": {"schema": {"type": "string"}},
    },
}


@router.post(
    "/ingest",
    dependencies=[Depends(require_token)],
    openapi_extra={"requestBody": _BODY},
    responses={
        401: {"model": ErrorAnswer, "description": "The token is missing or wrong."},
        403: {"model": ErrorAnswer, "description": "The desk is read-only (no token set)."},
        415: {"model": ErrorAnswer, "description": "A body of another media type."},
    },
)
async def ingest(
    request: Request,
    store: StoreDep,
    lock: Annotated[threading.Lock, Depends(_write_lock)],
    url: Annotated[str | None, Query(description="The report's URL (text or HTML).")] = None,
    published: Annotated[
        str | None, Query(description="Its publication date, YYYY-MM-DD (text or HTML).")
    ] = None,
) -> IngestAnswer:
    """Analyse posted reports into the store and refresh the corpus: one report as
    ``text/plain`` or ``text/html``, or many as JSON Lines (``application/x-ndjson``: one
    object a line with a ``text`` or ``html`` string and optional ``url``, ``published``,
    ``id``). Needs ``Authorization: Bearer TOKEN``. Posting the same body again stores nothing
    twice."""
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    kind = _KINDS.get(media)
    if kind is None:
        detail = f"its media type is {media or 'not given'}"
        raise HTTPException(415, Errors.E488.format(detail=detail))
    body = await request.body()
    if not body.strip():
        raise HTTPException(400, Errors.E488.format(detail="it is empty"))

    def write() -> desk.Posted:
        # The analyser is built here, past the token and the body's checks: loading spaCy is
        # no work to do for a request that is refused.
        analyzer = analyzer_of(request)
        with lock:
            return desk.ingest_posted(
                store, body, kind=kind, analyzer=analyzer, url=url, published=published
            )

    posted = await run_in_threadpool(write)
    return IngestAnswer(
        ingested=posted.counts.ingested,
        duplicate=posted.counts.duplicate,
        rejected=posted.counts.rejected,
        already_done=posted.counts.already_done,
        articles=list(posted.articles),
        rejections=list(posted.rejected),
        stories=posted.corpus.stories,
        merged_events=posted.corpus.merged_events,
    )

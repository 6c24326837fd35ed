"""The HTML pages, rendered on the server from ``templates/`` with Jinja2's autoescaping on for
every template: article text and every extracted string are untrusted and reach the page only
escaped. The pages' scripts are files under ``static/``, never inline (the app's content
security policy forbids inline scripts), and no page embeds JSON: the map's script fetches its
events from ``/events.geojson``, the export of the same filtered list.

Pages link to each other by stable ids: ``/stories/{id}``, ``/events/{id}``, ``/articles/{id}``;
the map and the event list take ``?since&until&country&type&actor&status``, and every list
exports as CSV, JSON Lines and (where it has places) GeoJSON with its filters applied.

The ingest form is shown only when the desk was started with a token. It carries a CSRF token
(a nonce in a same-site cookie and, in the form, the nonce signed with a secret of this app)
and asks for the write token itself, so a page on another site can neither read nor forge it.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import secrets
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from newsdesk import board, desk
from newsdesk.corpus.store import Store
from newsdesk.corpus.syntax import HIT_END, HIT_START, SEARCH_SYNTAX
from newsdesk.errors import Errors, NewsdeskError
from newsdesk.serve.app import (
    ServeConfig,
    analyzer_of,
    coded,
    config_of,
    http_status,
    store_of,
    write_lock_of,
)
from newsdesk.serve.highlight import highlight
from newsdesk.serve.timeline import timeline

__all__ = ["csv_cell", "router", "templates", "web_link"]

router = APIRouter(include_in_schema=False)
StoreDep = Annotated[Store, Depends(store_of)]
ConfigDep = Annotated[ServeConfig, Depends(config_of)]
Format = Literal["csv", "jsonl", "geojson"]
ListFormat = Literal["csv", "jsonl"]

_CSRF_COOKIE = "newsdesk_csrf"
# The columns of each list's export, in order: a CSV of an empty list still names them.
_EVENTS_COLUMNS = (
    "id",
    "date",
    "type",
    "status",
    "place",
    "country",
    "lat",
    "lon",
    "source",
    "target",
    "fatalities",
    "reports",
    "sources",
    "confidence",
    "evidence",
    "stories",
)
_STORIES_COLUMNS = ("id", "title", "first_seen", "last_seen", "articles", "countries", "actors")
_ARTICLES_COLUMNS = ("id", "title", "publisher", "published", "url", "events", "stories")
_SEARCH_COLUMNS = ("rank", "article", "title", "snippet", "score")
_ACTORS_COLUMNS = ("key", "name", "events", "as_source", "as_target", "claims")
_PLACES_COLUMNS = ("name", "country", "lat", "lon", "events", "reports")
_REJECTED_COLUMNS = ("code", "reason", "source")
_LATEST_STORIES = 20
"""Stories listed under the map, the most recently active first (all on /stories)."""
# What makes a spreadsheet read a cell as a formula (OWASP's list for CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def web_link(url: object) -> bool:
    """Whether ``url`` may be rendered as a link: an absolute http(s) URL with a host. Any other
    scheme (``javascript:``, ``data:``, ``file:``) is shown as text, never as a link."""
    if not isinstance(url, str):
        return False
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


def _query(**values: object) -> str:
    """A query string of the values given (None and empty left out), escaped for a URL."""
    kept = {key: value for key, value in values.items() if value not in (None, "")}
    return urlencode(kept, doseq=True)


def _snippet(text: str) -> Markup:
    """A search hit's snippet with its matched words in ``<mark>``: every piece escaped."""
    parts: list[str] = []
    for piece in text.split(HIT_START):
        matched, marker, rest = piece.partition(HIT_END)
        if marker:
            parts.append(f"<mark>{escape(matched)}</mark>{escape(rest)}")
        else:
            parts.append(str(escape(piece)))
    return Markup("".join(parts))


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    environment.globals["web_link"] = web_link
    environment.globals["query"] = _query
    environment.filters["snippet"] = _snippet
    return environment


templates = Jinja2Templates(env=_environment())


# -- errors as pages --------------------------------------------------------------------------


def _error_page(request: Request, exc: NewsdeskError) -> HTMLResponse:
    """A coded error the question caused, as a page; any other goes to the app's handler."""
    status = http_status(exc)
    if status >= 500:
        raise exc
    return _page(request, "error.html", coded(str(exc)), status)


def _page(
    request: Request, name: str, context: Mapping[str, Any], status: int = 200
) -> HTMLResponse:
    config: ServeConfig = request.app.state.config
    return templates.TemplateResponse(
        request, name, {"writable": config.writable, **context}, status_code=status
    )


# -- filters ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventFilters:
    since: str | None = None
    until: str | None = None
    country: str | None = None
    type: str | None = None
    actor: str | None = None
    status: str | None = None

    def query(self) -> str:
        return _query(
            since=self.since,
            until=self.until,
            country=self.country,
            type=self.type,
            actor=self.actor,
            status=self.status,
        )


def _filters(
    since: str | None = None,
    until: str | None = None,
    country: str | None = None,
    type: str | None = None,
    actor: str | None = None,
    status: str | None = None,
) -> EventFilters:
    """The event filters of a query string: an empty field (a form's blank) is no filter."""

    def given(value: str | None) -> str | None:
        return value.strip() if value and value.strip() else None

    return EventFilters(
        since=given(since),
        until=given(until),
        country=given(country),
        type=given(type),
        actor=given(actor),
        status=given(status),
    )


FiltersDep = Annotated[EventFilters, Depends(_filters)]


def _merged(store: Store, filters: EventFilters) -> tuple[list[desk.MapEvent], int]:
    return desk.merged_event_list(
        store,
        since=filters.since,
        until=filters.until,
        country=filters.country,
        type=filters.type,
        actor=filters.actor,
        status=filters.status,
    )


def _choices(store: Store) -> dict[str, Any]:
    """What the filter form offers: the event types, statuses and countries of the store."""
    from newsdesk.data.event_lexicon import MODES

    return {
        "types": list(MODES),
        "statuses": desk.STATUSES,
        "countries": desk.event_countries(store),
    }


# -- pages --------------------------------------------------------------------------------------

_PAGE_SIZE = 100
"""Rows on one page of a list (at most the app's ``page_limit``); the exports hold them all."""


@dataclass(frozen=True, slots=True)
class Pager:
    page: int
    pages: int
    total: int
    size: int

    @property
    def first_row(self) -> int:
        return (self.page - 1) * self.size


def _paged(rows: Sequence[Any], page: int, config: ServeConfig) -> tuple[Sequence[Any], Pager]:
    """One page of ``rows`` (pages count from 1; past the last, the last)."""
    size = max(1, min(_PAGE_SIZE, config.page_limit))
    pages = max(1, -(-len(rows) // size))
    page = min(page, pages)
    return rows[(page - 1) * size : page * size], Pager(page, pages, len(rows), size)


PageDep = Annotated[int, Query(ge=1, le=1_000_000)]


@router.get("/", response_class=HTMLResponse)
@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, store: StoreDep, config: ConfigDep, filters: FiltersDep) -> Response:
    """The map of merged events (drawn by ``static/map.js`` from ``/events.geojson``)."""
    try:
        found, undated = _merged(store, filters)
    except NewsdeskError as exc:
        return _error_page(request, exc)
    placed = sum(1 for each in found if each.event.lat is not None and each.event.lon is not None)
    return _page(
        request,
        "map.html",
        {
            "filters": filters,
            "query": filters.query(),
            "count": len(found),
            "placed": placed,
            "undated": undated,
            "tiles_url": config.tiles_url,
            "store": desk.store_name(store),
            "stories": desk.stories(store)[:_LATEST_STORIES],
            **_choices(store),
        },
    )


@router.get("/events", response_class=HTMLResponse)
def events_page(
    request: Request, store: StoreDep, config: ConfigDep, filters: FiltersDep, page: PageDep = 1
) -> Response:
    try:
        found, undated = _merged(store, filters)
    except NewsdeskError as exc:
        return _error_page(request, exc)
    shown, pager = _paged(found, page, config)
    return _page(
        request,
        "events.html",
        {
            "filters": filters,
            "query": filters.query(),
            "events": shown,
            "pager": pager,
            "undated": undated,
            **_choices(store),
        },
    )


@router.get("/events.{fmt}")
def events_export(store: StoreDep, filters: FiltersDep, fmt: Format) -> Response:
    """The filtered merged events as CSV, JSON Lines or GeoJSON (what the map draws)."""
    found, _ = _merged(store, filters)
    rows = [_event_row(each) for each in found]
    points = [(each.event.lon, each.event.lat) for each in found]
    return _export("events", fmt, _EVENTS_COLUMNS, rows, points)


def _event_row(found: desk.MapEvent) -> dict[str, Any]:
    row, event = found.row, found.event
    return {
        "id": row.id,
        "date": row.date,
        "type": row.type,
        "status": row.status,
        "place": row.place,
        "country": row.country,
        "lat": event.lat,
        "lon": event.lon,
        "source": list(row.source),
        "target": list(row.target),
        "fatalities": row.fatalities,
        "reports": row.reports,
        "sources": row.sources,
        "confidence": row.confidence,
        "evidence": row.evidence,
        "stories": list(found.stories),
    }


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, store: StoreDep, event_id: str) -> Response:
    """A merged event's card: its reports, each with its evidence, and its stories."""
    try:
        found = desk.event_card(store, event_id)
    except NewsdeskError as exc:
        return _error_page(request, exc)
    titles = desk.article_titles(store, (mention.article for mention in found.event.mentions))
    return _page(request, "event.html", {"found": found, "titles": titles})


@router.get("/outlines.geojson")
def outlines() -> Response:
    """The countries' outlines for the map (Natural Earth via world-atlas, installed with the
    package's static files): read and converted once per process."""
    return Response(_outlines_bytes(), media_type="application/geo+json")


@cache
def _outlines_bytes() -> bytes:
    from newsdesk.outlines import outlines_geojson

    return json.dumps(outlines_geojson(), separators=(",", ":")).encode()


@router.get("/stories", response_class=HTMLResponse)
def stories_page(
    request: Request, store: StoreDep, config: ConfigDep, page: PageDep = 1
) -> Response:
    shown, pager = _paged(desk.stories(store), page, config)
    return _page(request, "stories.html", {"stories": shown, "pager": pager})


@router.get("/stories.{fmt}")
def stories_export(store: StoreDep, fmt: ListFormat) -> Response:
    rows = [
        {
            "id": story.id,
            "title": story.title,
            "first_seen": story.first_seen,
            "last_seen": story.last_seen,
            "articles": list(story.articles),
            "countries": list(story.countries),
            "actors": list(story.actors),
        }
        for story in desk.stories(store)
    ]
    return _export("stories", fmt, _STORIES_COLUMNS, rows)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, store: StoreDep, story_id: str) -> Response:
    """A story: its timeline, its articles with copies folded under their origin, its merged
    events and its claims board."""
    try:
        view = desk.story(store, story_id)
    except NewsdeskError as exc:
        return _error_page(request, exc)
    copies = {article.id: desk.syndication(store, article.id) for article in view.articles}
    in_story = {article.id for article in view.articles}
    # An article that copies blocks of another article of the story is shown under it.
    origin_of: dict[str, str] = {}
    for article in view.articles:
        for copy in copies[article.id]:
            if (
                copy.article == article.id
                and copy.source_article in in_story
                and copy.source_article != article.id
            ):
                origin_of.setdefault(article.id, copy.source_article)
    chart = timeline(
        [event.date or event.first_seen for event in view.merged],
        [article.published for article in view.articles],
    )
    return _page(
        request,
        "story.html",
        {
            "view": view,
            "board": board.claims_board(view),
            "copies": copies,
            "origin_of": origin_of,
            "timeline_chart": chart,
        },
    )


@router.get("/articles", response_class=HTMLResponse)
def articles_page(
    request: Request, store: StoreDep, config: ConfigDep, page: PageDep = 1
) -> Response:
    shown, pager = _paged(desk.article_list(store), page, config)
    return _page(request, "articles.html", {"articles": shown, "pager": pager})


@router.get("/articles.{fmt}")
def articles_export(store: StoreDep, fmt: ListFormat) -> Response:
    rows = [
        {
            "id": row.id,
            "title": row.title,
            "publisher": row.publisher,
            "published": row.published,
            "url": row.url,
            "events": row.events,
            "stories": list(row.stories),
        }
        for row in desk.article_list(store)
    ]
    return _export("articles", fmt, _ARTICLES_COLUMNS, rows)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, store: StoreDep, article_id: str) -> Response:
    """An article's text with every field marked at its evidence (``highlight.py``)."""
    try:
        found = desk.article(store, article_id)
    except NewsdeskError as exc:
        return _error_page(request, exc)
    links = {
        index: f"/events/{event_id}"
        for index, event_id in desk.merged_ids_of(store, found.id).items()
    }
    marked = highlight(found, event_links=links)
    kinds = sorted({field.kind for field in marked.fields})
    return _page(
        request,
        "article.html",
        {
            "article": found,
            "marked": marked,
            "kinds": kinds,
            "block_kinds": sorted({block.kind for block in found.blocks}),
            "copies": desk.syndication(store, found.id),
            "stories": desk.stories_of(store, found.id),
        },
    )


@router.get("/timeline", response_class=HTMLResponse)
def timeline_page(request: Request, store: StoreDep, filters: FiltersDep) -> Response:
    """Events and articles over time, for the whole store (the event filters apply)."""
    try:
        found, _ = _merged(store, filters)
    except NewsdeskError as exc:
        return _error_page(request, exc)
    articles = desk.article_list(store)
    chart = timeline([each.row.date for each in found], [row.published for row in articles])
    return _page(
        request,
        "timeline.html",
        {"timeline_chart": chart, "filters": filters, "query": filters.query(), **_choices(store)},
    )


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, store: StoreDep, q: str = "") -> Response:
    hits = None
    if q.strip():
        try:
            hits = desk.search(store, q, limit=100)
        except NewsdeskError as exc:
            return _error_page(request, exc)
    return _page(
        request,
        "search.html",
        {"q": q, "hits": hits, "syntax": SEARCH_SYNTAX, "query": _query(q=q)},
    )


@router.get("/search.{fmt}")
def search_export(store: StoreDep, fmt: ListFormat, q: str = "") -> Response:
    hits = desk.search(store, q, limit=100)
    rows = [
        {
            "rank": hit.rank,
            "article": hit.article_id,
            "title": hit.title,
            "snippet": hit.snippet.replace(HIT_START, "").replace(HIT_END, ""),
            "score": hit.score,
        }
        for hit in hits
    ]
    return _export("search", fmt, _SEARCH_COLUMNS, rows)


@router.get("/actors", response_class=HTMLResponse)
def actors_page(
    request: Request, store: StoreDep, config: ConfigDep, page: PageDep = 1
) -> Response:
    shown, pager = _paged(desk.actor_list(store), page, config)
    return _page(request, "actors.html", {"actors": shown, "pager": pager})


@router.get("/actors.{fmt}")
def actors_export(store: StoreDep, fmt: ListFormat) -> Response:
    rows = [
        {
            "key": row.key,
            "name": row.name,
            "events": row.events,
            "as_source": row.as_source,
            "as_target": row.as_target,
            "claims": row.claims,
        }
        for row in desk.actor_list(store)
    ]
    return _export("actors", fmt, _ACTORS_COLUMNS, rows)


@router.get("/places", response_class=HTMLResponse)
def places_page(
    request: Request, store: StoreDep, config: ConfigDep, page: PageDep = 1
) -> Response:
    shown, pager = _paged(desk.place_list(store), page, config)
    return _page(request, "places.html", {"places": shown, "pager": pager})


@router.get("/places.{fmt}")
def places_export(store: StoreDep, fmt: Format) -> Response:
    found = desk.place_list(store)
    rows = [
        {
            "name": row.name,
            "country": row.country,
            "lat": row.lat,
            "lon": row.lon,
            "events": row.events,
            "reports": row.reports,
        }
        for row in found
    ]
    return _export("places", fmt, _PLACES_COLUMNS, rows, [(row.lon, row.lat) for row in found])


@router.get("/rejected", response_class=HTMLResponse)
def rejected_page(
    request: Request, store: StoreDep, config: ConfigDep, page: PageDep = 1
) -> Response:
    shown, pager = _paged(desk.rejected(store), page, config)
    return _page(request, "rejected.html", {"rejected": shown, "pager": pager})


@router.get("/rejected.{fmt}")
def rejected_export(store: StoreDep, fmt: ListFormat) -> Response:
    rows = [
        {"code": found.code, "reason": found.reason, "source": found.source}
        for found in desk.rejected(store)
    ]
    return _export("rejected", fmt, _REJECTED_COLUMNS, rows)


# -- ingest (only with a token) -----------------------------------------------------------------

_SECRET_LOCK = threading.Lock()


def _secret(request: Request) -> bytes:
    """This app's CSRF secret, made once per app: forms from before a restart are stale."""
    state = request.app.state
    with _SECRET_LOCK:
        found: bytes | None = getattr(state, "page_secret", None)
        if found is None:
            found = secrets.token_bytes(32)
            state.page_secret = found
    return found


def _sign(secret: bytes, nonce: str) -> str:
    return hmac.new(secret, nonce.encode(), hashlib.sha256).hexdigest()


def _csrf_ok(request: Request, given: str) -> bool:
    nonce, _, mac = given.partition(".")
    cookie = request.cookies.get(_CSRF_COOKIE, "")
    if not nonce or not mac or not cookie:
        return False
    return hmac.compare_digest(cookie, nonce) and hmac.compare_digest(
        mac, _sign(_secret(request), nonce)
    )


def _read_only_page(request: Request) -> HTMLResponse:
    return _page(request, "error.html", coded(Errors.E481.format()), 403)


@router.get("/ingest", response_class=HTMLResponse)
def ingest_form(request: Request, config: ConfigDep) -> Response:
    if not config.writable:
        return _read_only_page(request)
    nonce = secrets.token_urlsafe(24)
    response = _page(request, "ingest.html", {"csrf": f"{nonce}.{_sign(_secret(request), nonce)}"})
    response.set_cookie(
        _CSRF_COOKIE, nonce, httponly=True, samesite="strict", path="/ingest", max_age=3600
    )
    return response


@router.post("/ingest", response_class=HTMLResponse)
def ingest_post(
    request: Request,
    store: StoreDep,
    config: ConfigDep,
    csrf: Annotated[str, Form()] = "",
    token: Annotated[str, Form()] = "",
    text: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Analyse the pasted text or the uploaded file into the store, then show its article
    (or why it was rejected)."""
    if config.token is None:
        return _read_only_page(request)
    if not _csrf_ok(request, csrf):
        return _page(request, "error.html", coded(Errors.E493.format()), 403)
    if not hmac.compare_digest(token.encode(), config.token.encode()):
        return _page(request, "error.html", coded(Errors.E482.format()), 401)
    data = text.encode()
    if file is not None and file.filename:
        # The app refused bodies over the limit before they were read; read no more anyway.
        data = file.file.read(config.max_body_bytes + 1)[: config.max_body_bytes]
    if not data.strip():
        return _page(request, "error.html", coded(Errors.E494.format()), 400)
    with write_lock_of(request):
        posted = desk.ingest_posted(
            store, data, kind="text", analyzer=analyzer_of(request), url=url.strip() or None
        )
    if posted.rejected:
        return _page(request, "ingested.html", {"rejected": posted.rejected[0]}, 422)
    if not posted.articles:  # the same body was posted before: nothing new to show
        return _page(request, "ingested.html", {"rejected": None}, 200)
    return RedirectResponse(f"/articles/{posted.articles[0]}", status_code=303)


# -- exports ------------------------------------------------------------------------------------


def csv_cell(value: object) -> object:
    """A value as a CSV cell a spreadsheet will not run: text that starts like a formula
    (= + - @, or a tab or carriage return before one) gets a leading apostrophe; lists are
    joined with "; "."""
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _export(
    name: str,
    fmt: str,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    points: Sequence[tuple[float | None, float | None]] | None = None,
) -> Response:
    disposition = {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(columns)
        writer.writerows([csv_cell(row[column]) for column in columns] for row in rows)
        return Response(
            buffer.getvalue(), media_type="text/csv; charset=utf-8", headers=disposition
        )
    if fmt == "jsonl":
        body = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        return Response(body, media_type="application/x-ndjson", headers=disposition)
    features = [
        {
            "type": "Feature",
            "geometry": None
            if lon is None or lat is None
            else {"type": "Point", "coordinates": [lon, lat]},
            "properties": dict(row),
        }
        for row, (lon, lat) in zip(rows, points or [(None, None)] * len(rows), strict=True)
    ]
    collection = {"type": "FeatureCollection", "features": features}
    return Response(
        json.dumps(collection, ensure_ascii=False),
        media_type="application/geo+json",
        headers=disposition,
    )

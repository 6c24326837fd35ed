"""The web application: one FastAPI app serving the pages and the API on one store.

Security is decided here, once, for every route: records hold hostile text verbatim (an
article may quote ``<script>``), so every response carries a content security policy that
forbids inline scripts and any origin but this one, request bodies are capped, and writes need
the token. Without a token nothing can write, and the store is opened read-only.
"""

from __future__ import annotations

import hmac
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsdesk import desk
from newsdesk.corpus.store import Store
from newsdesk.errors import Errors, NewsdeskError

__all__ = [
    "TOKEN_ENV",
    "ServeConfig",
    "analyzer_of",
    "coded",
    "config_of",
    "create_app",
    "http_status",
    "require_token",
    "security_headers",
    "store_of",
    "write_lock_of",
]


TOKEN_ENV = "NEWSDESK_TOKEN"
_STATIC = Path(__file__).parent / "static"
# Scripts and styles only from this origin, never inline; images also as data: URLs (Leaflet's
# icons) and from the tile server the user configured, if any; no frames, no plugins, forms
# post only here.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{tiles}; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def security_headers(tiles_url: str | None = None) -> dict[str, str]:
    """The headers every response carries; the map's tiles, when configured, may load from
    their server's origin only."""
    tiles = ""
    if tiles_url is not None:
        parts = urlsplit(tiles_url)
        tiles = f" {parts.scheme}://{parts.netloc}"
    return {
        "Content-Security-Policy": _CSP.format(tiles=tiles),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
    }


_SECURITY_HEADERS = security_headers()


@dataclass(frozen=True, slots=True)
class ServeConfig:
    db: str | None = None
    """The store (a SQLite path or a database URL); None: ``$NEWSDESK_DB``, else
    ``newsdesk.sqlite``, as every command."""
    token: str | None = None
    """Writes (``POST /api/ingest``, the ingest form) need it as ``Authorization: Bearer``;
    None: read-only."""
    max_body_bytes: int = 10 * 1024 * 1024
    """A request body larger than this is refused (413, E480): before it is read when its
    Content-Length says so, else as soon as more than this has been read (a chunked body)."""
    page_limit: int = 500
    """The most rows one page of a list may ask for."""
    tiles_url: str | None = None
    """A tile server URL template for the map; None draws country outlines only (offline)."""

    @property
    def writable(self) -> bool:
        return self.token is not None


def create_app(config: ServeConfig, *, analyzer: desk.ArticleAnalyzer | None = None) -> FastAPI:
    """The application on ``config.db``. The store is opened when the app starts (E420 for a
    SQLite file that does not exist) and closed when it stops; without a token it is opened
    read-only, so the database itself refuses any write.

    ``analyzer`` analyses posted reports (``POST /api/ingest``); None: the default
    :class:`newsdesk.Analyzer`, built at the first write (loading spaCy takes seconds).
    """
    # Imported here: each module builds its router from this one's helpers.
    from newsdesk.serve import api, pages

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with desk.open_store(config.db, must_exist=True, read_only=not config.writable) as store:
            app.state.store = store
            yield

    app = FastAPI(
        title="newsdesk",
        summary="Auditable event data from news reports, with the evidence for every field.",
        version=_version(),
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.config = config
    app.state.analyzer = analyzer
    # One writer at a time: an ingest and its corpus refresh run whole before the next.
    app.state.write_lock = threading.Lock()
    app.add_middleware(
        _Guard,
        max_body_bytes=config.max_body_bytes,
        headers=security_headers(config.tiles_url),
    )
    app.add_exception_handler(NewsdeskError, _newsdesk_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _server_error)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.openapi = _document(app, config)  # type: ignore[method-assign]
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")
    return app


def _document(app: FastAPI, config: ServeConfig) -> Callable[[], dict[str, Any]]:
    """The OpenAPI document, exact for this app: every ``limit`` parameter's maximum is the
    app's page limit (the routes take any number and refuse one over it with E486)."""

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            found = get_openapi(
                title=app.title,
                version=app.version,
                openapi_version=app.openapi_version,
                summary=app.summary,
                description=app.description,
                routes=app.routes,
                tags=app.openapi_tags,
                servers=app.servers,
                separate_input_output_schemas=app.separate_input_output_schemas,
            )
            for operation in (op for path in found["paths"].values() for op in path.values()):
                for parameter in operation.get("parameters", []):
                    if parameter["in"] == "query" and parameter["name"] == "limit":
                        parameter["schema"]["maximum"] = config.page_limit
            app.openapi_schema = found
        return app.openapi_schema

    return document


def store_of(request: Request) -> Store:
    """The app's store: a dependency for every route that reads or writes it."""
    store: Store = request.app.state.store
    return store


def config_of(request: Request) -> ServeConfig:
    config: ServeConfig = request.app.state.config
    return config


_ANALYZER_LOCK = threading.Lock()


def analyzer_of(request: Request) -> desk.ArticleAnalyzer:
    """The app's analyser, built once at the first write that needs it."""
    with _ANALYZER_LOCK:
        if request.app.state.analyzer is None:
            from newsdesk.pipeline import Analyzer

            request.app.state.analyzer = Analyzer()
        analyzer: desk.ArticleAnalyzer = request.app.state.analyzer
    return analyzer


def write_lock_of(request: Request) -> threading.Lock:
    lock: threading.Lock = request.app.state.write_lock
    return lock


def require_token(request: Request, config: Annotated[ServeConfig, Depends(config_of)]) -> None:
    """A dependency for every write: 403 when the app is read-only, 401 without the token."""
    if config.token is None:
        raise HTTPException(403, Errors.E481.format())
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), config.token.encode()):
        raise HTTPException(401, Errors.E482.format(), headers={"WWW-Authenticate": "Bearer"})


class _Guard:
    """Every response gets the security headers; a request body over the limit is refused
    with 413 (E480): at once when its Content-Length says so, else as soon as the bytes read
    pass the limit (a chunked upload has no length), so no route ever holds more."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, headers: dict[str, str]) -> None:
        self.app = app
        self.limit = max_body_bytes
        self.headers = headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message).update(self.headers)
            await send(message)

        length = Headers(scope=scope).get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            response = _error(413, Errors.E480.format(limit=self.limit))
            await response(scope, receive, send_secured)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    # Raised inside the route that reads the body: answered as every 4xx is.
                    raise HTTPException(413, Errors.E480.format(limit=self.limit))
            return message

        await self.app(scope, counted, send_secured)


def coded(text: str) -> dict[str, str]:
    """A coded message (``[E424] ...``) as its code and message, as the API's errors and the
    pages' error page show them."""
    code, _, message = text.partition("] ")
    return {"code": code.lstrip("["), "message": message}


def http_status(exc: NewsdeskError) -> int:
    """The HTTP status of a coded error (see ``_STATUS``): 500 unless the question was at fault
    or the store is read-only or busy."""
    return _STATUS.get(str(exc)[1:5], 500)


def _error(status: int, text: str) -> JSONResponse:
    """Every error's shape, ``{"error": {"code": "E424", "message": ...}}``, from a coded
    message: never a traceback."""
    # The headers here too: a server error's answer leaves by a way the guard does not see.
    return JSONResponse({"error": coded(text)}, status_code=status, headers=_SECURITY_HEADERS)


# Coded errors by what they say: the question was wrong (a bad date, filter, search or page),
# 400; what it names is not there, 404; a write to a read-only store, 403; the store busy with
# another writer, 503. Any other (the store failing or damaged) is 500, with its coded message.
_STATUS = {
    **dict.fromkeys(("E420", "E424", "E485", "E491"), 404),
    **dict.fromkeys(
        (
            "E406",
            "E407",
            "E410",
            "E411",
            "E412",
            "E414",
            "E421",
            "E422",
            "E423",
            "E425",
            "E486",
            "E487",
            "E488",
        ),
        400,
    ),
    "E409": 403,
    "E405": 503,
}


async def _newsdesk_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, NewsdeskError)
    return _error(http_status(exc), str(exc))


async def _server_error(request: Request, exc: Exception) -> Response:
    """Anything else raised while answering: a coded 500, never a traceback (the log has it:
    Starlette raises the exception again once this answer is sent)."""
    kind = type(exc).__name__
    return _error(500, Errors.E489.format(method=request.method, path=request.url.path, kind=kind))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    text = str(exc.detail)
    if not text.startswith("[E"):  # Starlette's own: no route, wrong method
        text = Errors.E484.format(method=request.method, path=request.url.path, detail=text)
    response = _error(exc.status_code, text)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()
    )
    return _error(422, Errors.E483.format(problems=problems))


def _version() -> str:
    from importlib.metadata import version

    return version("newsdesk")

"""The web application: one FastAPI app serving the pages and the API on one store.

Security is decided here, once, for every route: records hold hostile text verbatim (an
article may quote ``<script>``), so every response carries a content security policy that
forbids inline scripts and any origin but this one, request bodies are capped, and writes need
the token. Without a token nothing can write, and the store is opened read-only.
"""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsdesk import desk
from newsdesk.corpus.store import Store
from newsdesk.errors import Errors, NewsdeskError

__all__ = ["TOKEN_ENV", "ServeConfig", "create_app", "require_token", "store_of"]

TOKEN_ENV = "NEWSDESK_TOKEN"
_STATIC = Path(__file__).parent / "static"
# Scripts and styles only from this origin, never inline; images also as data: URLs (Leaflet's
# icons); no frames, no plugins, forms post only here.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
_SECURITY_HEADERS = {
    "Content-Security-Policy": _CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


@dataclass(frozen=True, slots=True)
class ServeConfig:
    db: str | None = None
    """The store (a SQLite path or a database URL); None: ``$NEWSDESK_DB``, else
    ``newsdesk.sqlite``, as every command."""
    token: str | None = None
    """Writes (``POST /api/ingest``, the ingest form) need it as ``Authorization: Bearer``;
    None: read-only."""
    max_body_bytes: int = 10 * 1024 * 1024
    """A request body larger than this is refused (413) before it is read."""
    page_limit: int = 500
    """The most rows one page of a list may ask for."""
    tiles_url: str | None = None
    """A tile server URL template for the map; None draws country outlines only (offline)."""

    @property
    def writable(self) -> bool:
        return self.token is not None


def create_app(config: ServeConfig) -> FastAPI:
    """The application on ``config.db``. The store is opened when the app starts (E420 for a
    SQLite file that does not exist) and closed when it stops."""
    # Imported here: each module builds its router from this one's helpers.
    from newsdesk.serve import api, pages

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        with desk.open_store(config.db, must_exist=True) as store:
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
    app.middleware("http")(_guard(config))
    app.add_exception_handler(NewsdeskError, _newsdesk_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")
    return app


def store_of(request: Request) -> Store:
    """The app's store: a dependency for every route that reads or writes it."""
    store: Store = request.app.state.store
    return store


def config_of(request: Request) -> ServeConfig:
    config: ServeConfig = request.app.state.config
    return config


def require_token(request: Request, config: Annotated[ServeConfig, Depends(config_of)]) -> None:
    """A dependency for every write: 403 when the app is read-only, 401 without the token."""
    if config.token is None:
        raise HTTPException(403, Errors.E481.format())
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), config.token.encode()):
        raise HTTPException(401, Errors.E482.format(), headers={"WWW-Authenticate": "Bearer"})


def _guard(
    config: ServeConfig,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    async def guard(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > config.max_body_bytes):
            response: Response = _error(413, Errors.E480.format(limit=config.max_body_bytes))
        else:
            response = await call_next(request)
        response.headers.update(_SECURITY_HEADERS)
        return response

    return guard


def _error(status: int, text: str) -> JSONResponse:
    """Every error's shape, ``{"error": {"code": "E424", "message": ...}}``, from a coded
    message (``[E424] ...``): never a traceback."""
    code, _, message = text.partition("] ")
    return JSONResponse(
        {"error": {"code": code.lstrip("["), "message": message}}, status_code=status
    )


# Desk errors that say the question was wrong (a bad date, filter or search): 400; the store
# missing, busy or failing: 500 with its coded message.
_NOT_FOUND = frozenset({"E420", "E424"})


async def _newsdesk_error(request: Request, exc: Exception) -> Response:
    text = str(exc)
    code = text[1:5]
    status = 404 if code in _NOT_FOUND else 400 if "E406" <= code < "E440" else 500
    return _error(status, text)


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

"""The HTML pages, rendered on the server from ``templates/`` with Jinja2's autoescaping on for
every template: article text and every extracted string are untrusted and reach the page only
escaped. The pages' scripts are files under ``static/``, never inline (the app's content
security policy forbids inline scripts)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from newsdesk import desk
from newsdesk.corpus.store import Store
from newsdesk.serve.app import store_of

__all__ = ["router", "templates"]

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(
    env=Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
)
StoreDep = Annotated[Store, Depends(store_of)]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, store: StoreDep) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "home.html", {"stories": desk.stories(store), "store": desk.store_name(store)}
    )

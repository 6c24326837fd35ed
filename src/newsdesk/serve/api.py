"""The REST API under ``/api``: JSON answers from the desk, described by the OpenAPI document at
``/api/openapi.json``. Every list is paged (``limit``, ``offset``) within the app's page limit;
every error is ``{"error": {"code", "message"}}`` (see ``app.py``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from newsdesk import desk
from newsdesk.corpus.store import Store
from newsdesk.serve.app import store_of

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["api"])
StoreDep = Annotated[Store, Depends(store_of)]


@router.get("/stories")
def stories(store: StoreDep) -> list[dict[str, Any]]:
    """Every story, the most recently active first."""
    return [story.model_dump(mode="json") for story in desk.stories(store)]

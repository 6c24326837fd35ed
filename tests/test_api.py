"""The public surface: what users may rely on is exactly what __all__ lists."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import ValidationError

import newsdesk

PUBLIC = {
    "MergedEvent",
    "Store",
    "StoreError",
    "Story",
    "Syndication",
    "Actor",
    "Analyzer",
    "Article",
    "Block",
    "Claim",
    "ConfigError",
    "DataError",
    "Entity",
    "Event",
    "Evidence",
    "Input",
    "InputRejected",
    "KnowledgeBase",
    "ModelError",
    "NewsdeskError",
    "Place",
    "Quantity",
    "Quote",
    "Rejected",
    "Role",
    "Settings",
    "TimeExpression",
    "__version__",
    "analyze",
    "load_knowledge_base",
    "load_pipeline",
    "load_settings",
    "register_components",
}


def test_api_all_is_pinned() -> None:
    assert set(newsdesk.__all__) == PUBLIC
    for name in newsdesk.__all__:
        assert hasattr(newsdesk, name), name


def test_api_records_are_frozen() -> None:
    evidence = newsdesk.Evidence(start=0, end=3, text="abc")
    with pytest.raises(ValidationError, match="frozen"):
        evidence.start = 1  # type: ignore[misc]


def test_api_records_import_without_spacy() -> None:
    code = (
        "import sys, newsdesk, newsdesk.corpus.store; "
        "print(any(name.split('.')[0] in {'spacy', 'thinc'} for name in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"

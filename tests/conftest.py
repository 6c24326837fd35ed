"""Fixtures shared by every test module (one conftest for the whole suite)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from newsdesk.pipeline import Analyzer
from newsdesk.settings import Settings, load_settings

# ../shared beside the project: third-party samples and gold data, never copied in.
SHARED = Path(__file__).resolve().parents[2] / "shared"
SAMPLE = SHARED / "samples" / "panjshir-2021-08-24.txt"


@pytest.fixture(autouse=True)
def _no_user_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # A developer's own NEWSDESK_CONFIG must not change what the tests see.
    monkeypatch.delenv("NEWSDESK_CONFIG", raising=False)
    yield


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()


@pytest.fixture(scope="session")
def demo_articles() -> dict[str, bytes]:
    """The demo articles that ship with newsdesk, by file name."""
    folder = resources.files("newsdesk").joinpath("demo")
    return {
        item.name: item.read_bytes()
        for item in folder.iterdir()
        if item.name.endswith((".txt", ".html"))
    }


@pytest.fixture(scope="session")
def sample_text() -> str:
    """The canonical sample article from ../shared; tests using it skip when it is absent."""
    if not SAMPLE.is_file():
        pytest.skip(f"{SAMPLE} is absent")
    return SAMPLE.read_text(encoding="utf-8")

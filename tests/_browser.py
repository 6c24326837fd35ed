"""Driving the web app in a real browser: Debian's Chromium through Playwright, and the app
served by uvicorn on a free loopback port (a real server, not a test client: the browser
fetches the pages, scripts, outlines and events over HTTP and enforces the CSP).

Chromium missing is a skip, unless ``NEWSDESK_REQUIRE_BROWSER`` is set (CI sets it in
``scripts/check.sh``): then it is a failure, never a silent skip. Playwright's own browsers are
never downloaded; the system's chromium is launched by path.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from conftest import free_port
from newsdesk.serve import ServeConfig, create_app

REQUIRE_ENV = "NEWSDESK_REQUIRE_BROWSER"
ARTIFACTS_ENV = "NEWSDESK_ARTIFACTS"
_CANDIDATES = ("/usr/bin/chromium", "/usr/lib/chromium/chromium")


def chromium() -> str:
    """The path of Debian's chromium; skip (or fail under ``NEWSDESK_REQUIRE_BROWSER``)."""
    found = shutil.which("chromium") or next(
        (path for path in _CANDIDATES if Path(path).is_file()), None
    )
    if found is None:
        reason = "chromium is not installed (apt-get install chromium)"
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{reason}, and {REQUIRE_ENV} is set")
        pytest.skip(reason)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"the playwright package is not installed, and {REQUIRE_ENV} is set")
        pytest.skip("the playwright package is not installed")
    return found


def artifacts(tmp_path: Path) -> Path:
    """Where screenshots go: ``$NEWSDESK_ARTIFACTS`` when set, else the test's tmp_path."""
    folder = Path(os.environ.get(ARTIFACTS_ENV) or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def serving(config: ServeConfig, *, analyzer: object | None = None) -> Iterator[str]:
    """The app on ``config`` served by uvicorn in a thread; yields its base URL."""
    app = create_app(config)
    if analyzer is not None:
        app.state.analyzer = analyzer
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the web app did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass
class Watch:
    """What a page did that it must not: dialogs opened (an injected ``alert``), console
    errors (a CSP violation is one), uncaught script errors."""

    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text) if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: self.page_errors.append(str(error)))

    @property
    def clean(self) -> bool:
        return not (self.dialogs or self.console_errors or self.page_errors)


@contextmanager
def browser_page(*, width: int = 1280, height: int = 860) -> Iterator[tuple[Any, Watch]]:
    """A fresh page of a headless Chromium, with a :class:`Watch` on it."""
    executable = chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.set_default_timeout(15_000)
            watch = Watch()
            watch.attach(page)
            yield page, watch
        finally:
            browser.close()

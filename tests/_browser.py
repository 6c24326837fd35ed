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
from html.parser import HTMLParser
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
def browser_page(*, width: int = 1200, height: int = 760) -> Iterator[tuple[Any, Watch]]:
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
            # A violation of the content security policy (an injected inline script or style
            # the browser refused) is reported as a console error, which the watch counts.
            page.add_init_script(
                "document.addEventListener('securitypolicyviolation', function (e) {"
                " console.error('CSP violation: ' + e.violatedDirective); });"
            )
            yield page, watch
        finally:
            browser.close()


# -- a store with hostile articles ------------------------------------------------------------

HOSTILE_TEXT = (
    "Gunmen kill 12 in attack near Goma\n\n"
    "GOMA, Congo - Gunmen attacked a convoy near Goma on Tuesday, killing at least 12 people, "
    "officials said. The rebels posted <script>alert('text')</script> and "
    '"><img src=x onerror=alert(2)> on a site, and wrote &lt;script&gt;alert(3)&lt;/script&gt; '
    "in a statement. See javascript:alert(4) and https://example.org/a?b=x for more. "
    '"We heard the shots at dawn," a resident told Reuters. The army said 40 people were '
    "wounded.\n"
)
"""Text with markup in it: the reader strips live tags and unescapes entities, so the record
holds ``<script>alert(3)</script>`` verbatim (text an HTML page had escaped)."""

HOSTILE_HTML = (
    "<html><head><title>Gunmen kill 12 near Goma</title>"
    '<meta property="og:site_name" content="&lt;img src=x onerror=alert(8)&gt;"></head>'
    "<body><article><h1>Gunmen kill 12 near Goma &lt;/title&gt;&lt;script&gt;alert(5)"
    "&lt;/script&gt;</h1>"
    "<p>GOMA, Congo - Gunmen attacked a convoy near Goma on Tuesday, killing at least 12 "
    "people, officials said &lt;script&gt;alert(9)&lt;/script&gt; and "
    "&quot;&gt;&lt;img src=x onerror=alert(6)&gt; in a statement. Read "
    '<a href="javascript:alert(10)">the statement</a>.</p>'
    '<p>"We heard the shots at dawn," a resident told Reuters. The army said 40 people were '
    "wounded in the attack.</p></article></body></html>"
)
"""An HTML page whose escaped text becomes live markup in the record, whose site name is an
``<img onerror>``, and whose URL (given at ingest) is ``javascript:``."""
HOSTILE_URL = "javascript:alert(11)"


def hostile_store(demo_db: Path, folder: Path, analyzer: Any) -> tuple[Path, list[str]]:
    """A copy of the demo store with the hostile articles ingested by the pipeline and the
    corpus refreshed; returns its path and the hostile articles' ids."""
    from newsdesk import desk

    path = folder / "hostile.sqlite"
    shutil.copyfile(demo_db, path)
    ids: list[str] = []
    with desk.open_store(str(path), must_exist=True) as store:
        for data, url in ((HOSTILE_TEXT, None), (HOSTILE_HTML, HOSTILE_URL)):
            posted = desk.ingest_posted(
                store, data.encode(), kind="text", analyzer=analyzer, url=url
            )
            assert posted.articles, posted.rejected
            ids.extend(posted.articles)
    return path, ids


# -- reading the served HTML without a browser -------------------------------------------------


class Scan(HTMLParser):
    """What a page's HTML holds that security cares about, and the text of one element."""

    def __init__(self, element_id: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.element_id = element_id
        self.scripts: list[str | None] = []
        self.inline_scripts: list[str] = []
        self.handlers: list[tuple[str, str]] = []
        """Attributes that run or style inline: on*, style."""
        self.links: list[tuple[str, str]] = []
        """Each ``<a href>`` and its ``rel``."""
        self.images: list[str] = []
        self.text: list[str] = []
        self._depth = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {name: value or "" for name, value in attrs}
        for name, value in named.items():
            if name.startswith("on") or name == "style":
                self.handlers.append((name, value))
        if tag == "script":
            self.scripts.append(named.get("src"))
            self._in_script = "src" not in named
        if tag == "a" and "href" in named:
            self.links.append((named["href"], named.get("rel", "")))
        if tag == "img":
            self.images.append(named.get("src", ""))
        if self._depth:
            self._depth += 1
        elif self.element_id is not None and named.get("id") == self.element_id:
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data)
        if self._depth:
            self.text.append(data)


def scan(html: str, element_id: str | None = None) -> Scan:
    found = Scan(element_id)
    found.feed(html)
    found.close()
    return found

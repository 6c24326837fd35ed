"""The web app in a real headless Chromium (Debian's, driven by Playwright), served by uvicorn on
loopback from the demo store: the map shows the merged events and its filters change them, a
click leads from a marker to its story, the claims board sets conflicting tolls side by side,
the article page marks exactly the record's evidence spans, and hostile articles render as text
with no script run and no policy violated. Screenshots are saved under $NEWSDESK_ARTIFACTS (else
the test's tmp_path)."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _browser import HOSTILE_TEXT, artifacts, browser_page, hostile_store, serving
from newsdesk import board, desk
from newsdesk.records import Article
from newsdesk.serve import ServeConfig

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def base(demo_db: Path) -> Iterator[str]:
    with serving(ServeConfig(db=str(demo_db))) as url:
        yield url


def _placed(demo_db: Path, **filters: str) -> int:
    with desk.open_store(str(demo_db), must_exist=True) as store:
        found = desk.merged_event_list(store, **filters)[0]
    return sum(1 for each in found if each.event.lat is not None and each.event.lon is not None)


def _markers_shown(page: Any) -> int:
    """Markers drawn on the map: each cluster's count plus each single marker."""
    page.wait_for_selector("#map[data-markers]")
    page.wait_for_timeout(300)  # the clusters are laid out after the markers are added
    clusters = page.eval_on_selector_all(
        ".marker-cluster", "nodes => nodes.map(node => parseInt(node.textContent, 10))"
    )
    return int(sum(clusters)) + page.locator("path.event-marker").count()


def test_the_map_shows_every_placed_merged_event(base: str, demo_db: Path, tmp_path: Path) -> None:
    expected = _placed(demo_db)
    assert expected > 20
    with browser_page() as (page, watch):
        page.goto(base + "/")
        assert _markers_shown(page) == expected
        assert page.get_attribute("#map", "data-markers") == str(expected)
        assert page.locator("#map path.leaflet-interactive").count() >= 0
        # The outlines are drawn (non-interactive paths), with no tile server.
        assert page.locator("#map .leaflet-tile").count() == 0
        assert page.locator("#map svg path").count() > expected // 10
        page.screenshot(path=str(artifacts(tmp_path) / "map.png"))
        assert watch.clean, watch


def test_the_map_filters_change_what_is_shown(base: str, demo_db: Path) -> None:
    with browser_page() as (page, watch):
        page.goto(base + "/")
        everything = _markers_shown(page)
        page.select_option("select[name=country]", "CD")
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**/?*country=CD*")
        congo = _placed(demo_db, country="CD")
        assert 0 < congo < everything
        assert _markers_shown(page) == congo
        page.select_option("select[name=type]", "ASSAULT")
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**type=ASSAULT*")
        assaults = _placed(demo_db, country="CD", type="ASSAULT")
        assert 0 < assaults < congo
        assert _markers_shown(page) == assaults
        assert watch.clean, watch


def test_a_click_on_a_marker_opens_its_card_then_its_story(base: str, demo_db: Path) -> None:
    with desk.open_store(str(demo_db), must_exist=True) as store:
        titles = {story.id: story.title for story in desk.stories(store)}
    with browser_page() as (page, watch):
        page.goto(base + "/?country=SD")
        _markers_shown(page)
        for _ in range(8):  # open clusters until a single marker shows
            if page.locator("path.event-marker").count():
                break
            page.locator(".marker-cluster").first.click()
            page.wait_for_timeout(600)
        page.locator("path.event-marker").first.click()
        page.wait_for_selector("#card .story-link")
        assert page.locator("#card blockquote.evidence").inner_text().strip()
        page.locator("#card .story-link").first.click()
        page.wait_for_url("**/stories/story-*")
        story_id = page.url.rsplit("/", 1)[-1]
        assert page.locator("h1").inner_text() == titles[story_id]
        assert watch.clean, watch


def _board_with_two_tolls(demo_db: Path) -> tuple[str, str, str, list[float]]:
    """A story, one of its merged events and a toll unit that sources report differently."""
    with desk.open_store(str(demo_db), must_exist=True) as store:
        for story in desk.stories(store):
            for event_board in board.claims_board(desk.story(store, story.id)).events:
                for unit, figures in event_board.tolls.items():
                    if len({(t.low, t.high) for t in figures}) > 1:
                        return story.id, event_board.event.id, unit, [t.low for t in figures]
    raise AssertionError("the demo corpus has a story whose sources give different tolls")


def test_the_claims_board_sets_conflicting_tolls_side_by_side(
    base: str, demo_db: Path, tmp_path: Path
) -> None:
    story_id, event_id, unit, lows = _board_with_two_tolls(demo_db)
    with browser_page() as (page, watch):
        page.goto(f"{base}/stories/{story_id}")
        section = page.locator(f'section.board-event[data-event="{event_id}"]')
        cards = section.locator(f'.tolls[data-unit="{unit}"] .toll-card')
        assert cards.count() == len(lows)
        shown = [float(cards.nth(i).get_attribute("data-low") or "nan") for i in range(len(lows))]
        assert shown == lows
        boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
        assert all(box is not None for box in boxes)
        tops = {round(box["y"]) for box in boxes if box}
        lefts = [box["x"] for box in boxes if box]
        assert max(tops) - min(tops) <= 2, "the figures stand on one row"
        assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts)
        conflicts = section.locator(".conflicts .claim-card")
        if conflicts.count() >= 2:
            first, second = conflicts.nth(0).bounding_box(), conflicts.nth(1).bounding_box()
            assert first and second and abs(first["y"] - second["y"]) <= 2
        section.locator(".tolls").first.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, -250)")
        page.screenshot(path=str(artifacts(tmp_path) / "story.png"))
        assert watch.clean, watch


def _evidence_spans(article: Article) -> Counter[tuple[str, int, int, str]]:
    """Every field's evidence in the record, by kind, read here without highlight.py."""
    spans: Counter[tuple[str, int, int, str]] = Counter()

    def add(kind: str, evidence: Any) -> None:
        if evidence is not None and evidence.start < evidence.end:
            spans[(kind, evidence.start, evidence.end, evidence.text)] += 1

    for entity in article.entities:
        for mention in entity.mentions:
            add("entity", mention)
        for role in entity.roles:
            add("role", role.evidence)
    for place in article.places:
        for mention in place.mentions:
            add("place", mention)
    for time in article.times:
        add("time", time.evidence)
    for quantity in article.quantities:
        add("quantity", quantity.evidence)
    for quote in article.quotes:
        add("quote", quote.content)
        add("cue", quote.cue)
    for claim in article.claims:
        add("claim", claim.content)
        add("hedge", claim.hedge)
        add("verification", claim.verification_evidence)
    for event in article.events:
        add("event", event.evidence)
        add("trigger", event.trigger)
        add("verification", event.verification_evidence)
    return spans


_DOM_FIELDS = """() => Array.from(document.querySelectorAll('#fields li.field')).map(item => [
  item.dataset.kind, Number(item.dataset.start), Number(item.dataset.end),
  Array.from(document.querySelectorAll('#text [data-f~="' + item.id + '"]'))
    .map(node => node.textContent).join('')])"""


def test_the_article_page_marks_exactly_the_evidence_spans(
    base: str, demo_db: Path, tmp_path: Path
) -> None:
    with desk.open_store(str(demo_db), must_exist=True) as store:
        article = desk.article(store, desk.stories(store)[0].articles[0])
    expected = _evidence_spans(article)
    with browser_page() as (page, watch):
        page.goto(f"{base}/articles/{article.id}")
        assert page.eval_on_selector("#text", "node => node.textContent") == article.text
        shown = Counter(tuple(item) for item in page.evaluate(_DOM_FIELDS))
        assert shown == expected
        for _, start, end, text in shown:
            assert article.text[start:end] == text
        # Pointing at a place shows its field; the keyboard reaches the marks too.
        page.hover("#text .hl.k-place >> nth=0")
        assert "place:" in page.inner_text("#field-details")
        assert page.locator("#text .hl.lit").count() >= 1
        page.keyboard.press("Escape")
        assert page.inner_text("#field-details") == ""
        page.focus("#text .hl.k-quote[tabindex] >> nth=0")
        assert "quote" in page.inner_text("#field-details")
        page.hover("#text .hl.k-quantity >> nth=0")
        page.screenshot(path=str(artifacts(tmp_path) / "article.png"))
        assert watch.clean, watch


@pytest.fixture(scope="module")
def hostile(
    demo_db: Path, tmp_path_factory: pytest.TempPathFactory, analyzer: Any
) -> Iterator[tuple[str, list[Article]]]:
    path, ids = hostile_store(demo_db, tmp_path_factory.mktemp("hostile-browser"), analyzer)
    with desk.open_store(str(path), must_exist=True) as store:
        articles = [desk.article(store, article_id) for article_id in ids]
    with serving(ServeConfig(db=str(path))) as url:
        yield url, articles


def test_hostile_articles_render_as_text_and_run_nothing(
    hostile: tuple[str, list[Article]], tmp_path: Path
) -> None:
    url, articles = hostile
    assert any("<script>" in article.text for article in articles)
    with browser_page() as (page, watch):
        for article in articles:
            page.goto(f"{url}/articles/{article.id}")
            assert page.eval_on_selector("#text", "node => node.textContent") == article.text
            assert page.locator("#main img, #main script, #main iframe").count() == 0
            assert page.locator("a[href^='javascript' i]").count() == 0
            for index in range(page.locator("#text .hl").count()):
                page.locator("#text .hl").nth(index).hover()
                if index > 20:
                    break
            story_link = page.locator("a[href^='/stories/']").first
            if story_link.count():
                story_link.click()
                page.wait_for_load_state()
        # The map's cards, built by its script from the events' JSON, for the Congo events
        # (the hostile reports are set in Goma).
        page.goto(url + "/?country=CD")
        page.wait_for_selector("#map[data-markers]")
        page.click("#marker-list summary")
        buttons = page.locator("#marker-items button")
        assert buttons.count() > 0
        evidence = []
        for index in range(buttons.count()):
            buttons.nth(index).click()
            page.wait_for_selector("#card .card-links")
            assert page.locator("#card img, #card script").count() == 0
            evidence.append(page.inner_text("#card blockquote.evidence"))
        assert any("<script>" in text or "onerror" in text for text in evidence), evidence
        for path in ("/", "/events", "/articles", "/stories", "/actors", "/search?q=script"):
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            assert page.locator("#main img, #main iframe").count() == 0, path
        page.goto(f"{url}/articles/{articles[-1].id}")
        page.screenshot(path=str(artifacts(tmp_path) / "hostile.png"))
        assert watch.dialogs == [], "an injected script ran"
        assert watch.clean, watch


def test_the_watch_sees_a_script_run_and_a_policy_violation(base: str) -> None:
    # The XSS test above is only as good as what it listens to: markup injected into a served
    # page must show up as a violation of the policy, and a dialog as a dialog.
    with browser_page() as (page, watch):
        page.goto(base + "/stories")
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend', '<img src=\"/nothing\" "
            'onerror="alert(1)">\')'
        )
        page.wait_for_timeout(300)
        assert any("CSP violation" in text for text in watch.console_errors), watch
        assert watch.dialogs == []
        page.evaluate("window.alert('seen')")
        assert watch.dialogs == ["alert: seen"]


def test_the_ingest_form_writes_from_the_browser(
    demo_db: Path, tmp_path: Path, analyzer: Any
) -> None:
    # The CSRF cookie (same-site, for /ingest only) and the multipart form as a browser sends
    # them; the hostile text goes in through the form and comes back as text.
    path = tmp_path / "copy.sqlite"
    shutil.copyfile(demo_db, path)
    token = "browser-token"
    config = ServeConfig(db=str(path), token=token)
    with serving(config, analyzer=analyzer) as url, browser_page() as (page, watch):
        page.goto(url + "/")
        page.click("header a[href='/ingest']")
        page.fill("input[name=token]", token)
        page.fill("textarea[name=text]", HOSTILE_TEXT)
        page.click("form.ingest button[type=submit]")
        page.wait_for_url("**/articles/*")
        article_id = page.url.rsplit("/", 1)[-1]
        with desk.open_store(str(path), must_exist=True) as store:
            text = desk.article(store, article_id).text
        assert "<script>" in text
        assert page.eval_on_selector("#text", "node => node.textContent") == text
        assert watch.clean, watch

"""Situation reports (newsdesk/report/): Markdown and HTML of a story and of a country from the
demo store, every citation at its words, record text inert in both formats, the user's own
templates, coded errors, and the HTML opened in a real headless Chromium."""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from newsdesk import desk
from newsdesk.corpus.store import Store
from newsdesk.errors import ExportError, StoreError
from newsdesk.faces.cli import app
from newsdesk.pipeline import Analyzer
from newsdesk.report import Report, build_report, markdown_escape, render_report
from newsdesk.report.svg import MapPoint, TimelineEvent, map_svg, timeline_svg

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = "<script>alert('x')</script> [click](javascript:alert(1)) ![i](javascript:alert(2))"
# An article whose text carries Markdown and HTML that must stay text in every report.
HOSTILE_ARTICLE = (
    "Gunmen kill 12 in attack on market near Goma, police say\n\n"
    "GOMA, Democratic Republic of Congo, March 3, 2024 — Gunmen attacked a market near Goma on "
    "Tuesday, killing 12 people, police said.\n\n"
    '"They came at dawn and shot at everyone [click here](javascript:alert(1)) *now*," a '
    "trader, Jean Mukendi, told reporters.\n\n"
    "The army said 30 people were killed in the attack, a figure the police disputed. The claim "
    "could not be independently verified.\n\n"
    "Residents said the attackers fled towards Sake after the attack. # heading | pipe & amp; "
    "www.evil.example http://evil.example/x\n"
)


@pytest.fixture(scope="module")
def store(demo_db: Path) -> Iterator[Store]:
    with desk.open_store(str(demo_db), must_exist=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def ambush(store: Store) -> str:
    """The Mali demo story: a disputed ambush, tolls that differ, quotes, places."""
    return next(s.id for s in desk.stories(store) if "ambush" in s.title.casefold())


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory: pytest.TempPathFactory, analyzer: Analyzer) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("hostile-report")
    (folder / "in").mkdir()
    (folder / "in" / "hostile.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    with desk.open_store(str(folder / "h.sqlite")) as opened:
        desk.ingest([folder / "in"], store=opened, analyzer=analyzer)
        desk.refresh(opened, settings=analyzer.settings)
        yield opened


# -- what a report holds --------------------------------------------------------------------------


def test_report_of_a_story_holds_events_claims_quotes_map_and_timeline(
    store: Store, ambush: str
) -> None:
    report = build_report(store, story=ambush)
    view = desk.story(store, ambush)
    assert report.scope == "story" and report.title == view.story.title
    assert {event.id for event in report.events} == {event.id for event in view.merged}
    dates = [event.date for event in report.events if event.date]
    assert dates == sorted(dates), "events in time order"
    assert any(event.sources >= 1 and event.refs for event in report.events)
    # The army's nine dead and the report's higher count stand side by side.
    tolls = [toll for claim in report.claims for unit, found in claim.tolls for toll in found]
    assert any(t.unit == "dead" and t.claimant and "Diarra" in t.claimant for t in tolls)
    assert any(claim.conflicts for claim in report.claims)
    assert report.open_questions and all(line.why_open for line in report.open_questions)
    assert report.quotes and all(quote.speaker for quote in report.quotes)
    assert report.map_svg is not None and 'class="event-point"' in report.map_svg
    assert report.timeline_svg is not None and "timeline-bar" in report.timeline_svg

    markdown = render_report(report, format="md", name="ambush")
    assert markdown.text.startswith(f"# {markdown_escape(report.title)}")
    for heading in ("What happened", "Who claims what", "Open questions", "Key quotes"):
        assert f"## {heading}" in markdown.text
    assert "](ambush.map.svg)" in markdown.text and "](ambush.timeline.svg)" in markdown.text
    for svg in markdown.files.values():
        ET.fromstring(svg)  # a well-formed SVG file
    page = render_report(report, format="html").text
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert "<script" not in page.lower()
    # Nothing to load: no src, no style sheet or font link; the only outside URLs are the
    # articles' own, as plain links.
    assert not re.search(r"\bsrc\s*=|<link\b|@import|url\(", page)
    outside = re.findall(r"<\w+[^>]*https?://[^>]*>", page)
    assert all(
        tag.startswith(("<a ", '<svg xmlns="http://www.w3.org/2000/svg"')) for tag in outside
    )


def test_report_of_a_country_keeps_its_events_and_periods(store: Store) -> None:
    report = build_report(store, country="ml")
    assert report.scope == "country" and report.country == "ML"
    assert report.country_name == "Mali" and "Mali" in report.title
    rows = desk.events(store, country="ML").rows
    assert {event.id for event in report.events} == {row.id for row in rows}
    assert report.claims, "the board is built over the country's stories' events"
    dated = [event.date for event in report.events if event.date and len(event.date) == 10]
    assert dated
    narrowed = build_report(store, country="ML", since=max(dated), until=max(dated))
    assert narrowed.events and len(narrowed.events) < len(report.events)
    assert all(e.date is None or e.date[:10] >= max(dated)[:7] for e in narrowed.events)
    assert "Mali" in render_report(report, format="md").text


def test_report_errors_are_coded(store: Store, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"\[E424\]"):
        build_report(store, story="story-nope")
    with pytest.raises(ExportError, match=r"\[E510\].*FI \(Finland\)"):
        build_report(store, country="FI")
    with pytest.raises(StoreError, match=r"\[E422\]"):
        build_report(store, country="Mali")
    with pytest.raises(ExportError, match=r"\[E515\]"):
        build_report(store)
    with pytest.raises(ExportError, match=r"\[E511\]"):
        build_report(store, country=None, story=desk.stories(store)[0].id, since="1900-01-01",
                     until="1900-01-02")  # fmt: skip
    report = build_report(store, country="ML")
    broken = tmp_path / "broken.md.j2"
    broken.write_text("# {{ report.title }}\n{% for e in report.events %}\n{{ e.id }\n")
    with pytest.raises(ExportError, match=rf"\[E513\] The report template {broken}, line 3"):
        render_report(report, format="md", template=broken)
    failing = tmp_path / "failing.html.j2"
    failing.write_text("<p>{{ report.title }}</p>\n<p>{{ report.no_such_field }}</p>\n")
    with pytest.raises(ExportError, match=r"\[E514\].*failing.html.j2 failed at line 2"):
        render_report(report, format="html", template=failing)
    with pytest.raises(ExportError, match=r"\[E512\]"):
        render_report(report, format="md", template=tmp_path / "absent.j2")


# -- evidence -------------------------------------------------------------------------------------

_FOOTNOTE = re.compile(r"^\[\^(\d+)\]: article (\w+), characters (\d+)-(\d+): “(.*)”$", re.M)


def _md_unescape(text: str) -> str:
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


class _Refs(HTMLParser):
    """Each cited item of an HTML report (id ref-N) with its data and quoted words, and every
    in-page link."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: dict[str, dict[str, str]] = {}
        self.links: list[str] = []
        self.ids: set[str] = set()
        self._in: str | None = None
        self._words = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if "id" in found:
            self.ids.add(found["id"])
        if tag == "a" and found.get("href", "").startswith("#"):
            self.links.append(found["href"][1:])
        if tag == "li" and found.get("id", "").startswith("ref-"):
            self._in = found["id"]
            self.refs[self._in] = {**found, "words": ""}
        if tag == "q" and self._in is not None:
            self._words = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "q":
            self._words = False
        if tag == "li":
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._words and self._in is not None:
            self.refs[self._in]["words"] += data


def _texts(store: Store, report: Report) -> dict[str, str]:
    texts = {}
    for ref in report.refs:
        article = store.get_article(ref.article)
        assert article is not None
        texts[ref.article] = article.text
    return texts


@pytest.mark.parametrize("scope", [{"country": "ML"}, {"country": "CD"}, {"story": "ambush"}])
def test_every_citation_points_at_its_words(
    store: Store, ambush: str, scope: dict[str, str]
) -> None:
    if "story" in scope:
        scope = {"story": ambush}
    report = build_report(store, **scope)  # type: ignore[arg-type]
    texts = _texts(store, report)
    markdown = render_report(report, format="md").text
    notes = _FOOTNOTE.findall(markdown)
    assert len(notes) == len(report.refs) > 5
    cited = set(re.findall(r"\[\^(\d+)\](?!:)", markdown))
    assert cited == {n for n, *_ in notes}, "every footnote is cited, every citation has a note"
    for _n, article, start, end, words in notes:
        assert texts[article][int(start) : int(end)] == _md_unescape(words)

    parser = _Refs()
    parser.feed(render_report(report, format="html").text)
    assert len(parser.refs) == len(report.refs)
    assert set(parser.links) <= parser.ids, "every in-page link has its target"
    assert {f"ref-{ref.n}" for ref in report.refs} <= set(parser.links)
    for item in parser.refs.values():
        words = texts[item["data-article"]][int(item["data-start"]) : int(item["data-end"])]
        assert words == item["words"]
        assert f"article-{item['data-article']}" in parser.ids, "an anchor per article section"


# -- untrusted text -------------------------------------------------------------------------------

_MD = MarkdownIt("commonmark", {"html": True})


def _dangerous(rendered_html: str) -> list[str]:
    """Elements or attributes a record's text could have smuggled into rendered HTML."""
    lowered = rendered_html.lower()
    found = [sign for sign in ("<script", "<img", "<a ", "<h1", "<h2", "<h3") if sign in lowered]
    return found + re.findall(r"<[^>]*(?:javascript:|onerror)[^>]*>", lowered)


def test_hostile_record_text_stays_text(hostile_store: Store) -> None:
    story_id = desk.stories(hostile_store)[0].id
    report = build_report(hostile_store, story=story_id)
    assert any("javascript:" in ref.text for ref in report.refs), "the hostile words are cited"
    # And more, put into every kind of field a template prints.
    first = report.events[0]
    hostile = dataclasses.replace(
        report,
        title=f"Title {HOSTILE}",
        events=(
            dataclasses.replace(first, place=HOSTILE, source=(HOSTILE,), dead=HOSTILE),
            *report.events[1:],
        ),
        quotes=tuple(dataclasses.replace(q, speaker=HOSTILE) for q in report.quotes),
        store=HOSTILE,
    )
    page = render_report(hostile, format="html").text
    assert "<script" not in page and "javascript:alert(1))" in page
    assert "&lt;script&gt;" in page
    assert not re.search(r"<a [^>]*href=\"javascript", page)

    plain = _MD.render(render_report(report, format="md").text)
    markdown = render_report(hostile, format="md").text
    rendered = _MD.render(markdown)
    # The template's own headings are there, and no more; no element comes from a record.
    headings = re.compile(r"<h[1-6]>")
    assert len(headings.findall(rendered)) == len(headings.findall(plain))
    body = headings.sub("", rendered)
    assert _dangerous(body) == [], body[:2000]
    assert "javascript:alert(1)" in rendered, "the words are still shown, as text"


@given(st.text(alphabet=st.characters(codec="ascii", exclude_categories=("Cc",)), max_size=60))
def test_markdown_escape_shows_the_characters_and_nothing_else(value: str) -> None:
    """Whatever the text, CommonMark shows exactly its characters (spaces collapsed): no link,
    emphasis, code, HTML or entity comes out of it."""
    shown = re.sub(r" +", " ", value)
    expected = (
        shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
    assert _MD.renderInline(markdown_escape(value)).strip(" ") == expected.strip(" ")


def test_svg_escapes_its_labels() -> None:
    hostile = "</title><script>alert(1)</script>&"
    drawn = map_svg([MapPoint(lat=12.6, lon=-8.0, sources=2, label=hostile, country="ML")],
                    title=hostile)  # fmt: skip
    assert drawn is not None
    root = ET.fromstring(drawn)
    assert not root.findall(".//{http://www.w3.org/2000/svg}script")
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert hostile in titles
    countries = root.findall(".//{http://www.w3.org/2000/svg}path")
    assert any(path.get("data-country") == "ML" for path in countries)
    line = timeline_svg([TimelineEvent(date="2024-07-18", label=hostile)], title=hostile)
    assert line is not None and not ET.fromstring(line).findall(".//*script")
    assert timeline_svg([TimelineEvent(date="undated", label="x")], title="t") is None
    assert map_svg([], title="t") is None


# -- user templates and the command line ----------------------------------------------------------


def test_a_user_template_gets_the_documented_context(store: Store, tmp_path: Path) -> None:
    report = build_report(store, country="ML")
    mine = tmp_path / "brief.md.j2"
    mine.write_text(
        "{{ report.title }}: {{ report.events | length }} events\n"
        "{% for event in report.events %}- {{ event.type }} {{ cite(event.refs) }}\n{% endfor %}"
        "{% if map_file %}![map]({{ map_file }}){% endif %}\n"
        "{% for ref in report.refs %}[^{{ ref.n }}]: {{ ref.text }}\n{% endfor %}"
    )
    out = render_report(report, format="md", template=mine, name="brief")
    assert out.text.startswith(f"{markdown_escape(report.title)}: {len(report.events)} events")
    assert "[^1]" in out.text and "![map](brief.map.svg)" in out.text
    page = tmp_path / "page.html.j2"
    page.write_text("<h1>{{ report.title }}</h1>{{ map_svg }}<p>{{ cite(report.refs[0]) }}</p>")
    shown = render_report(report, format="html", template=page).text
    assert "<svg" in shown and '<a class="ref" href="#ref-1">[1]</a>' in shown


def test_cli_report_writes_the_files(demo_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "mali.md"
    result = runner.invoke(app, ["report", "--country", "ML", "--db", str(demo_db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# Mali")
    assert (tmp_path / "mali.map.svg").is_file() and (tmp_path / "mali.timeline.svg").is_file()
    result = runner.invoke(app, ["report", "--story", "nope", "--db", str(demo_db)])
    assert result.exit_code == 2 and "E424" in result.output
    result = runner.invoke(app, ["report", "--country", "ML", "--db", str(demo_db)])
    assert result.exit_code == 0 and "<!DOCTYPE html>" in result.output


# -- in a browser ---------------------------------------------------------------------------------


def _chromium() -> None:
    if CHROMIUM.is_file() or shutil.which("chromium"):
        return
    if os.environ.get("NEWSDESK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing and NEWSDESK_REQUIRE_BROWSER=1")
    pytest.skip(f"{CHROMIUM} is missing")


def test_html_report_in_chromium_draws_its_map_without_errors(
    store: Store, hostile_store: Store, ambush: str, tmp_path: Path
) -> None:
    _chromium()
    from playwright.sync_api import sync_playwright

    pages = {
        "ambush": build_report(store, story=ambush),
        "congo": build_report(store, country="CD"),
        "hostile": build_report(hostile_store, story=desk.stories(hostile_store)[0].id),
    }
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            problems: list[str] = []
            requests: list[str] = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.on("dialog", lambda d: problems.append(f"dialog: {d.message}"))
            page.on("request", lambda r: requests.append(r.url))
            for name, report in pages.items():
                path = tmp_path / f"{name}.html"
                path.write_text(render_report(report, format="html").text, encoding="utf-8")
                page.goto(path.as_uri())
                assert problems == [], (name, problems)
                assert requests and all(url.startswith("file://") for url in requests), requests
                requests.clear()
                countries = page.locator("svg.report-map path.country")
                assert countries.count() >= 1, name
                codes = set(
                    page.eval_on_selector_all(
                        "svg.report-map path.country", "paths => paths.map(p => p.dataset.country)"
                    )
                )
                assert {e.country for e in report.events if e.lat is not None} <= codes, name
                points = page.locator("svg.report-map circle.event-point")
                assert points.count() >= 1
                frame = page.locator("svg.report-map").bounding_box()
                assert frame is not None and frame["width"] > 300 and frame["height"] > 150
                for index in range(points.count()):
                    point = points.nth(index)
                    assert point.is_visible()
                    box = point.bounding_box()
                    assert box is not None and box["width"] > 4
                    middle_x, middle_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
                    assert frame["x"] <= middle_x <= frame["x"] + frame["width"]
                    assert frame["y"] <= middle_y <= frame["y"] + frame["height"]
                assert page.locator("svg.report-timeline rect.timeline-bar").first.is_visible()
                # A citation leads to its words.
                page.locator("a.ref").first.click()
                target = page.evaluate("location.hash")
                assert page.locator(f"li{target} q.words").is_visible()
        finally:
            browser.close()


def test_a_template_runs_in_the_sandbox(store: Store, tmp_path: Path) -> None:
    report = build_report(store, country="ML")
    probing = tmp_path / "probe.md.j2"
    probing.write_text("{{ report.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(ExportError, match=r"\[E514\].*probe.md.j2 failed at line 1"):
        render_report(report, format="md", template=probing)

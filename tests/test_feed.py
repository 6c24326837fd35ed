"""The Atom feed (newsdesk/report/feed.py): valid Atom a feed parser reads without complaint,
stable entry ids, and a later run that adds only what is new, the feed file its own state."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import pytest
from typer.testing import CliRunner

from newsdesk import desk
from newsdesk.corpus.store import Store
from newsdesk.errors import ExportError, StoreError
from newsdesk.faces.cli import app
from newsdesk.pipeline import Analyzer
from newsdesk.report.feed import ATOM, write_feed

pytestmark = pytest.mark.slow

FIRST = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
LATER = datetime(2026, 1, 3, 0, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def store(demo_db: Path) -> Iterator[Store]:
    with desk.open_store(str(demo_db), must_exist=True) as opened:
        yield opened


def _parsed(path: Path) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(str(path))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def test_feed_of_the_store_is_valid_atom_with_every_story_and_event(
    store: Store, tmp_path: Path
) -> None:
    out = tmp_path / "desk.atom"
    counts = write_feed(store, out, now=FIRST)
    stories, merged = desk.stories(store), desk.merged_events(store)
    assert (counts.new_stories, counts.new_events, counts.kept) == (len(stories), len(merged), 0)
    parsed = _parsed(out)
    assert parsed.feed.id == "urn:newsdesk:feed" and parsed.feed.author == "newsdesk"
    assert parsed.feed.updated == "2026-01-02T03:04:05Z"
    ids = [entry.id for entry in parsed.entries]
    assert len(ids) == len(set(ids)) == len(stories) + len(merged)
    assert {f"urn:newsdesk:story:{s.id}" for s in stories} | {
        f"urn:newsdesk:event:{e.id}" for e in merged
    } == set(ids)
    for entry in parsed.entries:
        assert entry.title and entry.updated == "2026-01-02T03:04:05Z" and entry.summary
    # An event's entry quotes its evidence and links to its article (an http(s) URL only).
    event = next(e for e in merged if len(e.mentions) >= 2)
    entry = next(x for x in parsed.entries if x.id == f"urn:newsdesk:event:{event.id}")
    mention = event.mentions[0]
    assert f"characters {mention.evidence.start}-{mention.evidence.end}" in entry.content[0].value
    assert mention.evidence.text in entry.content[0].value
    links = [link.href for x in parsed.entries for link in x.get("links", [])]
    assert links and all(href.startswith(("http://", "https://")) for href in links)
    # Every element RFC 4287 requires is there, in the Atom namespace.
    root = ET.parse(out).getroot()
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{{{ATOM}}}{required}") is not None
    for element in root.findall(f"{{{ATOM}}}entry"):
        for required in ("id", "title", "updated"):
            assert (element.findtext(f"{{{ATOM}}}{required}") or "").strip()


def test_a_second_run_adds_only_what_is_new(
    demo_db: Path, analyzer: Analyzer, tmp_path: Path
) -> None:
    """The store first holds all but one demo article; the feed takes them in. Then the last
    article arrives: the next feed adds its story and events, and keeps every earlier entry as
    it was (same ids, same updated time)."""
    demo = Path(str(resources.files("newsdesk").joinpath("demo")))
    articles = sorted(p for p in demo.iterdir() if p.suffix in {".txt", ".html"})
    first, last = tmp_path / "first", tmp_path / "last"
    first.mkdir()
    last.mkdir()
    for path in articles[:-1]:
        shutil.copy(path, first / path.name)
    shutil.copy(articles[-1], last / articles[-1].name)
    out = tmp_path / "feed.xml"
    with desk.open_store(str(tmp_path / "grow.sqlite")) as growing:
        desk.ingest([first], store=growing, analyzer=analyzer)
        desk.refresh(growing, settings=analyzer.settings)
        before = write_feed(growing, out, now=FIRST)
        earlier = {entry.id: entry.updated for entry in _parsed(out).entries}
        again = write_feed(growing, out, now=LATER)
        assert again.new == 0 and again.kept == before.new
        assert _parsed(out).feed.updated == "2026-01-02T03:04:05Z", "nothing new: untouched"

        desk.ingest([last], store=growing, analyzer=analyzer)
        desk.refresh(growing, settings=analyzer.settings)
        after = write_feed(growing, out, now=LATER)
        parsed = _parsed(out)
    assert after.new_stories == 1 and after.new_events >= 1 and after.kept == len(earlier)
    now = {entry.id: entry.updated for entry in parsed.entries}
    added = set(now) - set(earlier)
    assert len(added) == after.new
    assert all(now[entry_id] == "2026-01-03T00:00:00Z" for entry_id in added)
    assert all(now[entry_id] == updated for entry_id, updated in earlier.items())
    assert parsed.entries[0].id in added, "the new entries come first"
    assert parsed.feed.updated == "2026-01-03T00:00:00Z"


def test_feed_scopes_and_refusals(store: Store, tmp_path: Path) -> None:
    story = next(s for s in desk.stories(store) if "ambush" in s.title.casefold())
    one = tmp_path / "story.xml"
    write_feed(store, one, story=story.id, now=FIRST)
    parsed = _parsed(one)
    assert parsed.feed.id == f"urn:newsdesk:feed:story:{story.id}"
    view = desk.story(store, story.id)
    assert len(parsed.entries) == 1 + len(view.merged)

    country = tmp_path / "mali.xml"
    write_feed(store, country, country="ml", now=FIRST)
    parsed = _parsed(country)
    assert parsed.feed.id == "urn:newsdesk:feed:country:ML" and "Mali" in parsed.feed.title
    rows = desk.events(store, country="ML").rows
    events = {e.id for e in parsed.entries if e.id.startswith("urn:newsdesk:event:")}
    assert events == {f"urn:newsdesk:event:{row.id}" for row in rows}

    with pytest.raises(ExportError, match=r"\[E517\]"):
        write_feed(store, one, country="ML")
    other = tmp_path / "notes.xml"
    other.write_text("<notes>mine</notes>")
    with pytest.raises(ExportError, match=r"\[E516\]"):
        write_feed(store, other)
    assert other.read_text() == "<notes>mine</notes>", "never overwritten"
    with pytest.raises(StoreError, match=r"\[E424\]"):
        write_feed(store, tmp_path / "x.xml", story="story-nope")
    with pytest.raises(ExportError, match=r"\[E515\]"):
        write_feed(store, tmp_path / "x.xml", story=story.id, country="ML")
    assert not (tmp_path / "x.xml").exists()


def test_feed_text_is_escaped_and_stays_valid_xml(
    analyzer: Analyzer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Markup, entities and control characters in an article stay text in a valid feed."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Protesters clash with police in Goma over <b>fuel</b> prices & ]]> taxes\n\n"
        "GOMA, March 4, 2024 — Police fired tear gas at protesters in Goma on Monday, "
        "officials said, after a march against fuel prices & taxes <script>x</script> ]]> "
        "turned violent.\x0b\n",
        encoding="utf-8",
    )
    out = tmp_path / "feed.xml"
    with desk.open_store(str(tmp_path / "s.sqlite")) as opened:
        desk.ingest([folder], store=opened, analyzer=analyzer)
        desk.refresh(opened, settings=analyzer.settings)
        write_feed(opened, out, now=FIRST)
    parsed = _parsed(out)
    story = next(e for e in parsed.entries if e.id.startswith("urn:newsdesk:story:"))
    assert "&" in story.title and "]]>" in story.title
    raw = out.read_text(encoding="utf-8")
    assert "<b>" not in raw and "<script>" not in raw and "\x0b" not in raw


def test_cli_feed(demo_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "f.atom"
    result = runner.invoke(app, ["feed", "--out", str(out), "--db", str(demo_db)])
    assert result.exit_code == 0 and "new stories" in result.output, result.output
    result = runner.invoke(app, ["feed", "--out", str(out), "--db", str(demo_db)])
    assert result.exit_code == 0 and "nothing new" in result.output
    result = runner.invoke(
        app, ["feed", "--out", str(out), "--country", "ML", "--db", str(demo_db)]
    )
    assert result.exit_code == 2 and "E517" in result.output

"""An Atom feed (RFC 4287) of the stories and merged events that are new since the last feed.

The feed file is its own state: each run reads the entry ids of the feed already at ``--out``
and adds an entry only for a story or a merged event whose id is not among them, the new ones
first, every earlier entry kept as it was. So there is no hidden state to lose or to go stale:
delete the file to start again, and two feeds of different scopes are two files. A run that
finds nothing new leaves the file untouched.

Entry ids are stable URNs (``urn:newsdesk:story:ID``, ``urn:newsdesk:event:ID``) built from the
store's ids, which never change for a story; a feed's id names its scope
(``urn:newsdesk:feed``, ``urn:newsdesk:feed:story:ID``, ``urn:newsdesk:feed:country:CC``). Every
string is written by ElementTree, which escapes it for XML, after characters XML 1.0 cannot hold
are dropped. Links go only to http and https URLs the articles give.
"""

from __future__ import annotations

import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsdesk import __version__, desk
from newsdesk.errors import Errors, ExportError
from newsdesk.records import MergedEvent, Story
from newsdesk.report.report import country_name

if TYPE_CHECKING:
    from newsdesk.corpus.store import Store

__all__ = ["ATOM", "FeedCounts", "write_feed"]

ATOM = "http://www.w3.org/2005/Atom"
_GENERATOR = "newsdesk"
# Characters XML 1.0 cannot carry, even escaped: they would make the whole feed unreadable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Evidence lines in one event entry: enough to check it, short enough for a feed reader.
_MOST_EVIDENCE = 5


@dataclass(frozen=True, slots=True)
class FeedCounts:
    path: Path
    new_stories: int
    new_events: int
    kept: int
    """Entries the feed already held, carried over unchanged."""

    @property
    def new(self) -> int:
        return self.new_stories + self.new_events


def write_feed(
    store: Store,
    out: Path,
    *,
    story: str | None = None,
    country: str | None = None,
    now: datetime | None = None,
) -> FeedCounts:
    """Write (or extend) the Atom feed at ``out`` with what is new: of the whole store, of one
    story (E424 when unknown) or of one country's events (E422 for a bad code; E515 for
    both). E516 when ``out`` holds something that is not a newsdesk feed, E517 when it is the
    feed of another scope, E518 when it cannot be written."""
    if story is not None and country is not None:
        raise ExportError(Errors.E515.format(given="both"))
    stories, events, feed_id, title = _scope(store, story=story, country=country)
    previous = _read_previous(out, feed_id)
    known = {entry_id for entry_id, _ in previous}
    fresh_stories = [found for found in stories if _story_id(found) not in known]
    fresh_events = [event for event in events if _event_id(event) not in known]
    counts = FeedCounts(
        path=out, new_stories=len(fresh_stories), new_events=len(fresh_events), kept=len(previous)
    )
    if out.exists() and not counts.new:
        return counts
    stamp = _rfc3339(now or datetime.now(UTC))
    urls = desk.article_urls(store, (m.article for e in fresh_events for m in e.mentions))
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    _text(feed, "updated", stamp)
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "newsdesk")
    generator = _text(feed, "generator", _GENERATOR)
    generator.set("version", __version__)
    _text(feed, "subtitle", "New stories and merged events, each with its evidence.")
    for found in sorted(fresh_stories, key=lambda s: s.last_seen or "", reverse=True):
        feed.append(_story_entry(found, stamp))
    for event in sorted(fresh_events, key=lambda e: _event_date(e) or "", reverse=True):
        feed.append(_event_entry(event, stamp, urls))
    for _, entry in previous:
        feed.append(entry)
    _write(out, feed)
    return counts


def _scope(
    store: Store, *, story: str | None, country: str | None
) -> tuple[Sequence[Story], Sequence[MergedEvent], str, str]:
    if story is not None:
        view = desk.story(store, story)
        return (view.story,), view.merged, f"urn:newsdesk:feed:story:{story}", view.story.title
    if country is not None:
        scope = desk.report_scope(store, country=country)
        code = scope.country or country
        return (
            tuple(view.story for view in scope.views),
            scope.merged,
            f"urn:newsdesk:feed:country:{code}",
            f"newsdesk: stories and events in {country_name(code)} ({code})",
        )
    return desk.stories(store), desk.merged_events(store), "urn:newsdesk:feed", "newsdesk"


def _read_previous(out: Path, feed_id: str) -> list[tuple[str, ET.Element]]:
    """The entries of the feed already at ``out``, with their ids; none when there is none."""
    if not out.exists():
        return []
    try:
        root = ET.parse(out).getroot()
    except (ET.ParseError, OSError) as exc:
        raise ExportError(Errors.E516.format(path=out, detail=exc)) from exc
    if root.tag != f"{{{ATOM}}}feed" or root.findtext(f"{{{ATOM}}}generator") != _GENERATOR:
        raise ExportError(
            Errors.E516.format(path=out, detail=f"its root is {root.tag}, by another generator")
        )
    found = (root.findtext(f"{{{ATOM}}}id") or "").strip()
    if found != feed_id:
        raise ExportError(Errors.E517.format(path=out, found=found, wanted=feed_id))
    entries = []
    for entry in root.findall(f"{{{ATOM}}}entry"):
        entry_id = (entry.findtext(f"{{{ATOM}}}id") or "").strip()
        if entry_id:
            entries.append((entry_id, entry))
    return entries


def _story_id(story: Story) -> str:
    return f"urn:newsdesk:story:{story.id}"


def _event_id(event: MergedEvent) -> str:
    return f"urn:newsdesk:event:{event.id}"


def _story_entry(story: Story, stamp: str) -> ET.Element:
    entry = ET.Element(f"{{{ATOM}}}entry")
    _text(entry, "id", _story_id(story))
    _text(entry, "title", f"Story: {story.title}")
    _text(entry, "updated", stamp)
    if (published := _day(story.first_seen)) is not None:
        _text(entry, "published", published)
    countries = ", ".join(story.countries) or "none named"
    seen = " to ".join(dict.fromkeys(d for d in (story.first_seen, story.last_seen) if d))
    summary = (
        f"{len(story.articles)} report{'s' if len(story.articles) != 1 else ''}"
        f"{f', {seen}' if seen else ''}; countries: {countries}. "
        f"See it with 'newsdesk story {story.id}' or 'newsdesk report --story {story.id}'."
    )
    _text(entry, "summary", summary).set("type", "text")
    _category(entry, "story")
    return entry


def _event_entry(event: MergedEvent, stamp: str, urls: Mapping[str, str | None]) -> ET.Element:
    entry = ET.Element(f"{{{ATOM}}}entry")
    _text(entry, "id", _event_id(event))
    where = f" in {event.place}" if event.place else ""
    when = _event_date(event)
    sources = f"{event.sources} independent source{'s' if event.sources != 1 else ''}"
    _text(entry, "title", f"{event.type}{where}{f', {when}' if when else ''} ({sources})")
    _text(entry, "updated", stamp)
    if (published := _day(when)) is not None:
        _text(entry, "published", published)
    who = f" by {', '.join(event.source)}" if event.source else ""
    whom = f" against {', '.join(event.target)}" if event.target else ""
    country = f" ({event.country})" if event.country else ""
    _text(
        entry,
        "summary",
        f"{event.type} ({event.status}){who}{whom}{where}{country}"
        f"{f' on {when}' if when else ''}: {sources}, {len(event.mentions)} mention"
        f"{'s' if len(event.mentions) != 1 else ''}.",
    ).set("type", "text")
    evidence = [
        f"{m.publisher or 'Unknown publisher'}, {m.published or 'undated'}, article {m.article}, "
        f"characters {m.evidence.start}-{m.evidence.end}: “{m.evidence.text}”"
        for m in event.mentions[:_MOST_EVIDENCE]
    ]
    if len(event.mentions) > _MOST_EVIDENCE:
        evidence.append(f"… and {len(event.mentions) - _MOST_EVIDENCE} more mentions.")
    _text(entry, "content", "\n".join(evidence)).set("type", "text")
    linked = [url for m in event.mentions if _web_url(url := urls.get(m.article))]
    for index, url in enumerate(dict.fromkeys(linked)):
        link = ET.SubElement(entry, f"{{{ATOM}}}link")
        link.set("rel", "alternate" if index == 0 else "related")
        link.set("href", _clean(str(url)))
    _category(entry, "event")
    _category(entry, event.type)
    return entry


def _event_date(event: MergedEvent) -> str | None:
    published = [m.published for m in event.mentions if m.published]
    return event.date or max(published, default=None)


def _text(parent: ET.Element, name: str, value: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{name}")
    element.text = _clean(value)
    return element


def _category(entry: ET.Element, term: str) -> None:
    ET.SubElement(entry, f"{{{ATOM}}}category").set("term", _clean(term))


def _clean(value: str) -> str:
    return _NOT_XML.sub("", value)


def _web_url(url: str | None) -> bool:
    return url is not None and url.lower().startswith(("http://", "https://"))


def _day(value: str | None) -> str | None:
    """A full ISO day as an RFC 3339 date-time at midnight UTC; None for a vaguer date."""
    if value is None or len(value) < 10:
        return None
    try:
        day = datetime.fromisoformat(value[:10])
    except ValueError:
        return None
    return day.strftime("%Y-%m-%dT00:00:00Z")


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _write(out: Path, feed: ET.Element) -> None:
    """Write the feed whole or not at all: a reader never sees half a feed."""
    ET.register_namespace("", ATOM)
    ET.indent(feed)
    temporary: Path | None = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        temporary = Path(name)
        with os.fdopen(handle, "wb") as file:
            ET.ElementTree(feed).write(file, encoding="utf-8", xml_declaration=True)
        temporary.replace(out)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise ExportError(Errors.E518.format(path=out, detail=exc)) from exc

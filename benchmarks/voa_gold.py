"""Load and validate the end-to-end VOA gold set (``benchmarks/gold/voa/<story id>.json``).

One file per story holds offsets and labels only; the story texts stay in
``../shared/eval/voa/voa_stories.jsonl`` (VOA, public domain) and are read at run time. The file
format and the annotation rules are in ``benchmarks/gold/VOA-GUIDE.md``.

The validator reports every problem it finds, one line each, as ``file: path.to.field: message``
(``events[3].source[0].spans[1]: ...``), so an annotator can fix a whole file in one go:

    python benchmarks/voa_gold.py                      # every file of the gold folder
    python benchmarks/voa_gold.py benchmarks/gold/voa/8011115.json
    python benchmarks/voa_gold.py --show 8011115       # the annotations with their text

The toponym keys (``toponyms_pass``, ``toponyms``) were added after the first pass, for the
places: a file without them is valid and simply not part of the place scoring.

``load_gold()`` returns typed, frozen records and raises ``GoldError`` listing the problems of
any file that does not validate; ``load_valid()`` returns the valid stories and the problems of
the others, for scorers that run while annotation is still in progress.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from _common import PROJECT_ROOT, SHARED_EVAL, spans_overlap

GOLD_DIR = PROJECT_ROOT / "benchmarks" / "gold" / "voa"
DATA_PATH = SHARED_EVAL / "voa" / "voa_stories.jsonl"

PLOVER_TYPES = frozenset(
    {
        "AGREE",
        "CONSULT",
        "SUPPORT",
        "CONCEDE",
        "COOPERATE",
        "AID",
        "RETREAT",
        "REQUEST",
        "ACCUSE",
        "REJECT",
        "THREATEN",
        "PROTEST",
        "SANCTION",
        "MOBILIZE",
        "COERCE",
        "ASSAULT",
    }
)
# The values of newsdesk.records.Event.status, spelled out so the gold does not move with code.
STATUSES = frozenset(
    {
        "occurred",
        "claimed",
        "alleged",
        "planned",
        "threatened",
        "conditional",
        "denied",
        "negated",
        "historical",
    }
)
# The statuses that need ``claimed_by``, with what the problem says when it is missing.
_NEEDS_CLAIMER = {
    "claimed": "a claimed event names who claims it",
    "alleged": "an alleged event names its accuser",
}
PRECISIONS = frozenset({"day", "week", "month", "year", "decade"})
QUOTE_KINDS = frozenset({"direct", "indirect", "mixed"})
# As in the Wikinews quotes gold: a content span never starts or ends with a quote mark or with
# the punctuation that closes a clause.
QUOTE_MARKS = "\"'“”‘’«»"
CONTENT_NO_EDGE = QUOTE_MARKS + ".,;:"

TOP_FIELDS = frozenset(
    {
        "story",
        "text_sha1",
        "published",
        "pass",
        "events",
        "quotes",
        "times",
        "note",
        "toponyms_pass",
        "toponyms",
    }
)
REQUIRED_TOP = ("story", "text_sha1", "published", "pass", "events", "quotes", "times")
EVENT_FIELDS = frozenset(
    {
        "id",
        "same_as",
        "type",
        "trigger",
        "sentence",
        "source",
        "target",
        "place",
        "date",
        "date_precision",
        "status",
        "claimed_by",
        "note",
    }
)
REQUIRED_EVENT = ("id", "type", "trigger", "sentence", "status")
ACTOR_FIELDS = frozenset({"name", "spans"})
PLACE_FIELDS = frozenset({"name", "country", "spans"})
QUOTE_FIELDS = frozenset({"speaker", "cue", "content", "kind", "note"})
TIME_FIELDS = frozenset({"span", "value", "precision", "note"})
TOPONYM_FIELDS = frozenset(
    {"span", "name", "lat", "lon", "country", "admin1", "scale", "role", "note"}
)
REQUIRED_TOPONYM = ("span", "name", "lat", "lon", "country", "admin1", "scale", "role")
# What kind of place a toponym names, from a named site up to a sea (VOA-GUIDE.md, Toponyms).
SCALES = frozenset(
    {
        "site",
        "city",
        "district",
        "county",
        "admin1",
        "country",
        "region",
        "continent",
        "feature",
        "sea",
    }
)
# How a toponym is written: a plain mention (null), inside an organisation's name, or a demonym.
ROLES = frozenset({"in_name", "demonym"})
# A toponym span is the name as written: "the Gaza Strip" is annotated "Gaza Strip", "Kenya's"
# is "Kenya", so a span never starts with the article nor ends with a possessive.
_TOPONYM_LEADING = ("the ", "The ", "THE ")
_TOPONYM_TRAILING = ("'s", "’s")

# One calendar value and the precisions it may carry. A day may stand for its week ("this week"
# written as the Monday); an ISO week (2025-W11) is a week.
_VALUE_FORMS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (re.compile(r"\d{4}-\d{2}-\d{2}"), frozenset({"day", "week"})),
    (re.compile(r"\d{4}-W\d{2}"), frozenset({"week"})),
    (re.compile(r"\d{4}-\d{2}"), frozenset({"month"})),
    (re.compile(r"\d{4}"), frozenset({"year"})),
    (re.compile(r"\d{3}0s"), frozenset({"decade"})),
)

Span = tuple[int, int]


class GoldError(ValueError):
    """A gold file does not match its story's text, or breaks the guide's file format."""


@dataclass(frozen=True)
class Story:
    """One VOA story as ``voa_stories.jsonl`` holds it."""

    id: str
    title: str
    text: str
    published: str
    section: str
    url: str


@dataclass(frozen=True)
class Actor:
    name: str
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class GoldPlace:
    name: str
    country: str | None
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class GoldEvent:
    id: str
    same_as: str | None
    type: str
    trigger: Span
    sentence: Span
    source: tuple[Actor, ...]
    target: tuple[Actor, ...]
    place: GoldPlace | None
    date: str | None
    date_precision: str | None
    status: str
    claimed_by: Actor | None
    note: str | None = None


@dataclass(frozen=True)
class GoldQuote:
    speaker: Actor | None
    cue: Span | None
    content: Span
    kind: str


@dataclass(frozen=True)
class GoldTime:
    span: Span
    value: str
    precision: str


@dataclass(frozen=True)
class GoldToponym:
    """One place name of the text with its real-world referent."""

    span: Span
    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    scale: str
    role: str | None
    note: str | None = None


@dataclass(frozen=True)
class GoldStory:
    """A story's gold annotations with its text (read from ../shared, never stored here)."""

    story: Story
    path: Path
    annotation_pass: int
    events: tuple[GoldEvent, ...]
    quotes: tuple[GoldQuote, ...]
    times: tuple[GoldTime, ...]
    # None while the story's places are not annotated yet (files without "toponyms_pass").
    toponyms_pass: int | None = None
    toponyms: tuple[GoldToponym, ...] = ()

    @property
    def id(self) -> str:
        return self.story.id

    @property
    def text(self) -> str:
        return self.story.text


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a gold file, at a field path such as ``events[2].trigger``."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


# -- stories ---------------------------------------------------------------------------------


def load_stories(data: Path | None = None) -> dict[str, Story]:
    """Every story of ``voa_stories.jsonl`` by id."""
    path = data or DATA_PATH
    if not path.is_file():
        raise FileNotFoundError(
            f"VOA stories not found at {path}: the gold set reads its texts from there "
            "(see ../shared/eval/voa/README.md)"
        )
    stories: dict[str, Story] = {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            try:
                story = Story(
                    id=str(row["id"]),
                    title=row["title"],
                    text=row["text"],
                    published=row["published"],
                    section=row.get("section") or "",
                    url=row.get("url") or "",
                )
            except KeyError as error:
                raise GoldError(f"{path}:{number}: story lacks {error}") from error
            stories[story.id] = story
    return stories


def text_sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def value_precisions(value: str) -> frozenset[str] | None:
    """The precisions a single ISO-like calendar value may carry, or None if it is not one."""
    for pattern, precisions in _VALUE_FORMS:
        if pattern.fullmatch(value):
            if len(value) == 10:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    return None
            elif len(value) == 7 and value[4] == "-" and not 1 <= int(value[5:]) <= 12:
                return None
            return precisions
    return None


# -- the validator ---------------------------------------------------------------------------


class _Checker:
    """Walks one gold document, collecting problems and building its records."""

    def __init__(self, file: str, text: str) -> None:
        self.file = file
        self.text = text
        self.problems: list[Problem] = []

    def problem(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.file, field, message))

    def fields(
        self,
        value: Any,
        where: str,
        allowed: frozenset[str],
        required: Iterable[str],
    ) -> bool:
        if not isinstance(value, dict):
            self.problem(where, f"expected a JSON object, got {type(value).__name__}")
            return False
        for name in sorted(set(value) - allowed):
            self.problem(where, f"unexpected field {name!r} (allowed: {sorted(allowed)})")
        ok = True
        for name in required:
            if name not in value:
                self.problem(where, f"missing field {name!r}")
                ok = False
        return ok

    def string(self, value: Any, where: str, *, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(where, f"expected a non-empty string, got {value!r}")
            return None
        if value != value.strip():
            self.problem(where, f"{value!r} starts or ends with whitespace")
        return value

    def span(self, value: Any, where: str) -> Span | None:
        if (
            not isinstance(value, list)
            or len(value) != 2
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        ):
            self.problem(where, f"expected [start, end] integers, got {value!r}")
            return None
        start, end = value
        if not 0 <= start < end <= len(self.text):
            self.problem(where, f"{value} is empty or outside the text (0..{len(self.text)})")
            return None
        piece = self.text[start:end]
        if piece != piece.strip():
            self.problem(where, f"{value} = {piece!r} starts or ends with whitespace")
        return start, end

    def spans(self, value: Any, where: str) -> tuple[Span, ...]:
        if not isinstance(value, list):
            self.problem(where, f"expected a list of [start, end], got {value!r}")
            return ()
        found = [self.span(item, f"{where}[{i}]") for i, item in enumerate(value)]
        return tuple(span for span in found if span is not None)

    def actor(self, value: Any, where: str) -> Actor | None:
        if not self.fields(value, where, ACTOR_FIELDS, ("name", "spans")):
            return None
        name = self.string(value["name"], f"{where}.name")
        spans = self.spans(value["spans"], f"{where}.spans")
        return Actor(name, spans) if name is not None else None

    def actors(self, value: Any, where: str) -> tuple[Actor, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(where, f'expected a list of {{"name", "spans"}}, got {value!r}')
            return ()
        found = [self.actor(item, f"{where}[{i}]") for i, item in enumerate(value)]
        return tuple(actor for actor in found if actor is not None)

    def place(self, value: Any, where: str) -> GoldPlace | None:
        if value is None:
            return None
        if not self.fields(value, where, PLACE_FIELDS, ("name", "spans")):
            return None
        name = self.string(value["name"], f"{where}.name")
        country = value.get("country")
        if country is not None and (
            not isinstance(country, str) or not re.fullmatch(r"[A-Z]{2}", country)
        ):
            self.problem(f"{where}.country", f"expected ISO 3166 alpha-2 or null, got {country!r}")
            country = None
        spans = self.spans(value["spans"], f"{where}.spans")
        return GoldPlace(name, country, spans) if name is not None else None

    def calendar(
        self, value: Any, precision: Any, where: str, precision_where: str, *, interval: bool
    ) -> tuple[str, str] | None:
        """A calendar value and its precision, checked against each other."""
        if not isinstance(value, str):
            self.problem(where, f"expected an ISO date string, got {value!r}")
            return None
        if precision not in PRECISIONS:
            self.problem(precision_where, f"{precision!r} is not one of {sorted(PRECISIONS)}")
            return None
        parts = value.split("/") if interval else [value]
        if len(parts) > 2 or not all(parts):
            self.problem(where, f"{value!r} is not an ISO value or a start/end interval")
            return None
        allowed = [value_precisions(part) for part in parts]
        if any(found is None for found in allowed):
            self.problem(
                where,
                f"{value!r} is not ISO (YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY or a decade like "
                "2010s" + (", or start/end" if interval else "") + ")",
            )
            return None
        if len(parts) == 2:
            if parts[0] > parts[1] and len(parts[0]) == len(parts[1]):
                self.problem(where, f"interval {value!r} ends before it starts")
            return value, precision
        if precision not in (allowed[0] or ()):
            self.problem(
                where,
                f"precision {precision!r} does not fit {value!r} ({sorted(allowed[0] or ())})",
            )
        return value, precision

    def event(self, value: Any, where: str, earlier: set[str]) -> GoldEvent | None:
        """One event mention; ``earlier`` holds the ids of the events before it."""
        if not self.fields(value, where, EVENT_FIELDS, REQUIRED_EVENT):
            return None
        event_id = self.string(value["id"], f"{where}.id")
        if event_id is not None and event_id in earlier:
            self.problem(f"{where}.id", f"id {event_id!r} is used twice")
        same_as = value.get("same_as")
        if same_as is not None and same_as not in earlier:
            self.problem(
                f"{where}.same_as", f"{same_as!r} is not the id of an earlier event of this story"
            )
        kind = value["type"]
        if kind not in PLOVER_TYPES:
            self.problem(f"{where}.type", f"{kind!r} is not one of the 16 PLOVER types")
        status = value["status"]
        if status not in STATUSES:
            self.problem(f"{where}.status", f"{status!r} is not one of {sorted(STATUSES)}")
        trigger = self.span(value["trigger"], f"{where}.trigger")
        sentence = self.span(value["sentence"], f"{where}.sentence")
        if trigger and sentence and not (sentence[0] <= trigger[0] and trigger[1] <= sentence[1]):
            self.problem(f"{where}.trigger", f"{list(trigger)} is not inside the sentence")
        source = self.actors(value.get("source"), f"{where}.source")
        target = self.actors(value.get("target"), f"{where}.target")
        place = self.place(value.get("place"), f"{where}.place")
        claimed_by = None
        if value.get("claimed_by") is not None:
            claimed_by = self.actor(value["claimed_by"], f"{where}.claimed_by")
        if status in _NEEDS_CLAIMER and value.get("claimed_by") is None:
            self.problem(f"{where}.claimed_by", _NEEDS_CLAIMER[status])
        when, precision = value.get("date"), value.get("date_precision")
        if when is None and precision is not None:
            self.problem(f"{where}.date_precision", f"{precision!r} given for a null date")
        dated = None
        if when is not None:
            dated = self.calendar(
                when, precision, f"{where}.date", f"{where}.date_precision", interval=False
            )
        note = value.get("note")
        if note is not None and not isinstance(note, str):
            self.problem(f"{where}.note", "expected a string")
        if (
            event_id is None
            or kind not in PLOVER_TYPES
            or status not in STATUSES
            or trigger is None
            or sentence is None
        ):
            return None
        return GoldEvent(
            id=event_id,
            same_as=same_as if same_as in earlier else None,
            type=kind,
            trigger=trigger,
            sentence=sentence,
            source=source,
            target=target,
            place=place,
            date=dated[0] if dated else None,
            date_precision=dated[1] if dated else None,
            status=status,
            claimed_by=claimed_by,
            note=note if isinstance(note, str) else None,
        )

    def quote(self, value: Any, where: str) -> GoldQuote | None:
        if not self.fields(value, where, QUOTE_FIELDS, ("speaker", "cue", "content", "kind")):
            return None
        kind = value["kind"]
        if kind not in QUOTE_KINDS:
            self.problem(f"{where}.kind", f"{kind!r} is not one of {sorted(QUOTE_KINDS)}")
        speaker = None
        if value["speaker"] is not None:
            speaker = self.actor(value["speaker"], f"{where}.speaker")
        cue = None if value["cue"] is None else self.span(value["cue"], f"{where}.cue")
        content = self.span(value["content"], f"{where}.content")
        if content is not None:
            piece = self.text[content[0] : content[1]]
            if piece[0] in CONTENT_NO_EDGE or piece[-1] in CONTENT_NO_EDGE:
                self.problem(
                    f"{where}.content",
                    f"{_short(piece)!r} starts or ends with a quote mark or {CONTENT_NO_EDGE[-4:]}",
                )
            if cue is not None and spans_overlap(cue, content):
                self.problem(f"{where}.cue", f"{list(cue)} overlaps the content")
        if content is None or kind not in QUOTE_KINDS:
            return None
        return GoldQuote(speaker, cue, content, kind)

    def time(self, value: Any, where: str) -> GoldTime | None:
        if not self.fields(value, where, TIME_FIELDS, ("span", "value", "precision")):
            return None
        span = self.span(value["span"], f"{where}.span")
        dated = self.calendar(
            value["value"],
            value["precision"],
            f"{where}.value",
            f"{where}.precision",
            interval=True,
        )
        if span is None or dated is None:
            return None
        return GoldTime(span, dated[0], dated[1])

    def coordinate(self, value: Any, where: str, limit: float) -> float | None:
        if not isinstance(value, int | float) or isinstance(value, bool):
            self.problem(where, f"expected a number, got {value!r}")
            return None
        if not -limit <= value <= limit:
            self.problem(where, f"{value} is outside -{limit:g}..{limit:g}")
            return None
        return float(value)

    def toponym(self, value: Any, where: str) -> GoldToponym | None:
        if not self.fields(value, where, TOPONYM_FIELDS, REQUIRED_TOPONYM):
            return None
        span = self.span(value["span"], f"{where}.span")
        if span is not None:
            piece = self.text[span[0] : span[1]]
            if piece.startswith(_TOPONYM_LEADING):
                self.problem(f"{where}.span", f"{piece!r} starts with 'the': leave it out")
            if piece.endswith(_TOPONYM_TRAILING):
                self.problem(f"{where}.span", f"{piece!r} ends with a possessive: leave it out")
        name = self.string(value["name"], f"{where}.name")
        lat = self.coordinate(value["lat"], f"{where}.lat", 90.0)
        lon = self.coordinate(value["lon"], f"{where}.lon", 180.0)
        country = value["country"]
        if country is not None and (
            not isinstance(country, str) or not re.fullmatch(r"[A-Z]{2}", country)
        ):
            self.problem(f"{where}.country", f"expected ISO 3166 alpha-2 or null, got {country!r}")
            country = None
        admin1 = self.string(value["admin1"], f"{where}.admin1", optional=True)
        scale = value["scale"]
        if scale not in SCALES:
            self.problem(f"{where}.scale", f"{scale!r} is not one of {sorted(SCALES)}")
        role = value["role"]
        if role is not None and role not in ROLES:
            self.problem(f"{where}.role", f"{role!r} is not null or one of {sorted(ROLES)}")
        note = value.get("note")
        if note is not None and not isinstance(note, str):
            self.problem(f"{where}.note", "expected a string")
        if span is None or name is None or lat is None or lon is None or scale not in SCALES:
            return None
        return GoldToponym(
            span=span,
            name=name,
            lat=lat,
            lon=lon,
            country=country,
            admin1=admin1,
            scale=scale,
            role=role if role in ROLES else None,
            note=note if isinstance(note, str) else None,
        )

    def toponyms(self, document: Mapping[str, Any]) -> tuple[int | None, list[GoldToponym]]:
        """The toponym pass and its toponyms; a file has both keys or neither."""
        if "toponyms_pass" not in document and "toponyms" not in document:
            return None, []
        for name in ("toponyms_pass", "toponyms"):
            if name not in document:
                self.problem("(file)", f"missing field {name!r} (toponym keys go together)")
        toponyms_pass = document.get("toponyms_pass")
        if toponyms_pass is not None and (
            not isinstance(toponyms_pass, int)
            or isinstance(toponyms_pass, bool)
            or toponyms_pass < 1
        ):
            self.problem("toponyms_pass", f"expected a positive integer, got {toponyms_pass!r}")
            toponyms_pass = None
        found = [
            self.toponym(item, f"toponyms[{i}]")
            for i, item in enumerate(_items(self, document, "toponyms"))
        ]
        toponyms = [toponym for toponym in found if toponym is not None]
        # One stretch of text is one toponym: sorted by start, each must end before the next.
        ordered = sorted(enumerate(found), key=lambda item: item[1].span if item[1] else (0, 0))
        previous: tuple[int, GoldToponym] | None = None
        for i, toponym in ordered:
            if toponym is None:
                continue
            if previous is not None and spans_overlap(previous[1].span, toponym.span):
                self.problem(
                    f"toponyms[{i}].span",
                    f"{list(toponym.span)} overlaps toponyms[{previous[0]}] "
                    f"{list(previous[1].span)}",
                )
            previous = (i, toponym)
        return toponyms_pass, sorted(toponyms, key=lambda toponym: toponym.span)


def _short(piece: str, limit: int = 40) -> str:
    return piece if len(piece) <= limit else piece[: limit - 3] + "..."


def _items(checker: _Checker, document: Mapping[str, Any], name: str) -> list[Any]:
    if name not in document:  # reported as a missing field already
        return []
    value = document[name]
    if not isinstance(value, list):
        checker.problem(name, f"expected a list, got {type(value).__name__}")
        return []
    return value


def validate_document(
    document: Any, stories: Mapping[str, Story], *, file: str, expected_id: str | None = None
) -> tuple[GoldStory | None, list[Problem]]:
    """Check one parsed gold file; return its records (None if any problem) and its problems.

    ``expected_id`` is the story id the file name promises (``<id>.json``), when known.
    """
    probe = _Checker(file, "")
    probe.fields(document, "(file)", TOP_FIELDS, REQUIRED_TOP)
    if not isinstance(document, dict):
        return None, probe.problems
    story_id = document.get("story")
    story = stories.get(story_id) if isinstance(story_id, str) else None
    if story is None:
        probe.problem("story", f"{story_id!r} is not a story id of voa_stories.jsonl")
        return None, probe.problems
    checker = _Checker(file, story.text)
    checker.problems.extend(probe.problems)
    if expected_id is not None and expected_id != story_id:
        checker.problem("story", f"{story_id!r} does not match the file name ({expected_id}.json)")
    if "text_sha1" in document and document["text_sha1"] != text_sha1(story.text):
        checker.problem(
            "text_sha1", f"does not match the story text (its SHA-1 is {text_sha1(story.text)})"
        )
    if "published" in document and document["published"] != story.published[:10]:
        checker.problem(
            "published", f"{document['published']!r}, the story says {story.published[:10]!r}"
        )
    annotation_pass = document.get("pass", 1)
    if (
        not isinstance(annotation_pass, int)
        or isinstance(annotation_pass, bool)
        or annotation_pass < 1
    ):
        checker.problem("pass", f"expected a positive integer, got {annotation_pass!r}")
    events: dict[str, GoldEvent] = {}
    seen_ids: set[str] = set()
    for i, item in enumerate(_items(checker, document, "events")):
        event = checker.event(item, f"events[{i}]", seen_ids)
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            seen_ids.add(item["id"])
        if event is not None and event.id not in events:
            events[event.id] = event
    _check_duplicates(checker, document.get("events"))
    quotes = [
        checker.quote(item, f"quotes[{i}]")
        for i, item in enumerate(_items(checker, document, "quotes"))
    ]
    times = [
        checker.time(item, f"times[{i}]")
        for i, item in enumerate(_items(checker, document, "times"))
    ]
    toponyms_pass, toponyms = checker.toponyms(document)
    if checker.problems:
        return None, checker.problems
    return (
        GoldStory(
            story=story,
            path=Path(file),
            annotation_pass=annotation_pass,
            events=tuple(events.values()),
            quotes=tuple(q for q in quotes if q is not None),
            times=tuple(t for t in times if t is not None),
            toponyms_pass=toponyms_pass,
            toponyms=tuple(toponyms),
        ),
        [],
    )


def _check_duplicates(checker: _Checker, events: Any) -> None:
    """One mention is one entry: two entries with the same type and trigger are one too many."""
    if not isinstance(events, list):
        return
    first: dict[str, int] = {}
    for i, event in enumerate(events):
        if not isinstance(event, dict):
            continue
        key = json.dumps([event.get("type"), event.get("trigger")])
        if key in first:
            checker.problem(
                f"events[{i}]",
                f"same type and trigger as events[{first[key]}]: one mention is one entry",
            )
        else:
            first[key] = i


def validate_file(
    path: Path, stories: Mapping[str, Story]
) -> tuple[GoldStory | None, list[Problem]]:
    file = str(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        return None, [Problem(file, "(file)", f"not JSON: {error}")]
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(file, "(file)", f"cannot read: {error}")]
    return validate_document(document, stories, file=file, expected_id=path.stem)


def gold_files(folder: Path | None = None) -> list[Path]:
    return sorted((folder or GOLD_DIR).glob("*.json"))


def load_valid(
    folder: Path | None = None, *, data: Path | None = None, files: Iterable[Path] | None = None
) -> tuple[list[GoldStory], list[Problem]]:
    """The stories whose files validate, and the problems of the files that do not."""
    stories = load_stories(data)
    valid: list[GoldStory] = []
    problems: list[Problem] = []
    for path in files if files is not None else gold_files(folder):
        gold, found = validate_file(path, stories)
        problems.extend(found)
        if gold is not None:
            valid.append(gold)
    return valid, problems


def load_gold(folder: Path | None = None, *, data: Path | None = None) -> list[GoldStory]:
    """Every gold story of ``folder`` (sorted by file name); ``GoldError`` if any file is bad."""
    valid, problems = load_valid(folder, data=data)
    if problems:
        raise GoldError("\n".join(str(problem) for problem in problems))
    return valid


# -- the command -----------------------------------------------------------------------------


def summary(golds: list[GoldStory]) -> str:
    events = [event for gold in golds for event in gold.events]
    quotes = [quote for gold in golds for quote in gold.quotes]
    by_type = Counter(event.type for event in events)
    by_status = Counter(event.status for event in events)
    kinds = Counter(quote.kind for quote in quotes)
    placed = [gold for gold in golds if gold.toponyms_pass is not None]
    roles = Counter(toponym.role or "plain" for gold in placed for toponym in gold.toponyms)
    firsts = sum(event.same_as is None for event in events)
    lines = [
        f"{len(golds)} stories, {len(events)} event mentions ({firsts} first mentions), "
        f"{len(quotes)} quotes, {sum(len(g.times) for g in golds)} time expressions",
        "events by type:   " + ", ".join(f"{k} {v}" for k, v in sorted(by_type.items())),
        "events by status: " + ", ".join(f"{k} {v}" for k, v in sorted(by_status.items())),
        "quotes by kind:   " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())),
        f"toponyms:         {len(placed)} stories annotated"
        + "".join(f", {k} {v}" for k, v in sorted(roles.items())),
    ]
    return "\n".join(lines)


def _spans_text(text: str, spans: Iterable[Span]) -> str:
    return " | ".join(f"{text[s:e]!r}@{s}" for s, e in spans)


def _actor_text(text: str, actor: Actor | None) -> str:
    if actor is None:
        return "-"
    return f"{actor.name} [{_spans_text(text, actor.spans)}]"


def show(gold: GoldStory) -> str:
    """The annotations of one story, each with the text of its spans, for review."""
    text = gold.text
    out = [f"story {gold.id} (pass {gold.annotation_pass}): {gold.story.title}"]
    out.append(f"published {gold.story.published}, {len(text)} characters, {gold.path}")
    for event in gold.events:
        s, e = event.sentence
        out.append("")
        same = f" same_as {event.same_as}" if event.same_as else ""
        out.append(
            f"{event.id} {event.type} {event.status}{same}: "
            f"trigger {text[event.trigger[0] : event.trigger[1]]!r}@{event.trigger[0]}"
        )
        out.append(f"  sentence: {text[s:e]}")
        out.append("  source:  " + "; ".join(_actor_text(text, a) for a in event.source))
        out.append("  target:  " + "; ".join(_actor_text(text, a) for a in event.target))
        if event.place is not None:
            place = event.place
            out.append(
                f"  place:   {place.name} ({place.country}) [{_spans_text(text, place.spans)}]"
            )
        out.append(f"  date:    {event.date} ({event.date_precision})")
        if event.claimed_by is not None:
            out.append(f"  claimed_by: {_actor_text(text, event.claimed_by)}")
        if event.note:
            out.append(f"  note:    {event.note}")
    out.append("")
    for i, quote in enumerate(gold.quotes):
        cue = text[quote.cue[0] : quote.cue[1]] if quote.cue else None
        content = text[quote.content[0] : quote.content[1]]
        out.append(f"q{i} {quote.kind} speaker {_actor_text(text, quote.speaker)} cue {cue!r}")
        out.append(f"  {content}")
    out.append("")
    for time in gold.times:
        piece = text[time.span[0] : time.span[1]]
        out.append(f"time {piece!r}@{time.span[0]} = {time.value} ({time.precision})")
    if gold.toponyms_pass is not None:
        out.append("")
        out.append(f"toponyms (pass {gold.toponyms_pass}):")
    for toponym in gold.toponyms:
        piece = text[toponym.span[0] : toponym.span[1]]
        role = f" [{toponym.role}]" if toponym.role else ""
        admin1 = f"/{toponym.admin1}" if toponym.admin1 else ""
        note = f"  ({toponym.note})" if toponym.note else ""
        out.append(
            f"place {piece!r}@{toponym.span[0]} = {toponym.name} "
            f"({toponym.country}{admin1}, {toponym.scale}, "
            f"{toponym.lat:.4f},{toponym.lon:.4f}){role}{note}"
        )
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Validate the VOA end-to-end gold set.")
    parser.add_argument("files", nargs="*", type=Path, help="gold files (default: all)")
    parser.add_argument("--folder", type=Path, default=GOLD_DIR, help="the gold folder")
    parser.add_argument("--data", type=Path, default=DATA_PATH, help="voa_stories.jsonl")
    parser.add_argument("--show", metavar="ID", help="print one story's annotations with text")
    args = parser.parse_args(argv)
    try:
        stories = load_stories(args.data)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return 1
    if args.show:
        path = args.folder / f"{args.show}.json"
        gold, problems = validate_file(path, stories)
        for problem in problems:
            print(problem, file=sys.stderr)
        if gold is None:
            return 1
        print(show(gold))
        return 0
    files = args.files or gold_files(args.folder)
    golds, problems = load_valid(files=files, data=args.data)
    for problem in problems:
        print(problem)
    print(summary(golds))
    bad = len({problem.file for problem in problems})
    print(f"{len(files)} files checked, {bad} with problems ({len(problems)} problems)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())

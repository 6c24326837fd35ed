"""The VOA end-to-end gold set: every file validates, and the validator catches what it should.

The validator's own tests run on small documents written here, over a made-up story; the test
of the real gold files reads the texts from ../shared and skips when it is absent.
"""

from __future__ import annotations

import copy
import hashlib
import sys
from pathlib import Path
from typing import Any

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import voa_gold  # noqa: E402  (benchmarks/ is not a package; its scripts import each other)

STORY_TEXT = (
    "Rebels attacked a police post in Northtown on Monday, killing two officers, the army said. "
    'The governor condemned the attack. "We will find them," she said on Tuesday.'
)
STORY = voa_gold.Story(
    id="900",
    title="Rebels attack police post",
    text=STORY_TEXT,
    published="2024-05-08 10:00:00Z",
    section="Africa",
    url="",
)
STORIES = {STORY.id: STORY}


def span(word: str, occurrence: int = 1) -> list[int]:
    start = -1
    for _ in range(occurrence):
        start = STORY_TEXT.index(word, start + 1)
    return [start, start + len(word)]


FIRST = [0, STORY_TEXT.index(".") + 1]
SECOND = [STORY_TEXT.index("The governor"), STORY_TEXT.index("attack.") + len("attack.")]


def good_document() -> dict[str, Any]:
    return {
        "story": "900",
        "text_sha1": hashlib.sha1(STORY_TEXT.encode("utf-8")).hexdigest(),
        "published": "2024-05-08",
        "pass": 1,
        "events": [
            {
                "id": "e1",
                "same_as": None,
                "type": "ASSAULT",
                "trigger": span("attacked"),
                "sentence": FIRST,
                "source": [{"name": "Rebels", "spans": [span("Rebels")]}],
                "target": [{"name": "police post", "spans": [span("police post")]}],
                "place": {"name": "Northtown", "country": None, "spans": [span("Northtown")]},
                "date": "2024-05-06",
                "date_precision": "day",
                "status": "occurred",
                "claimed_by": None,
            },
            {
                "id": "e2",
                "same_as": None,
                "type": "ACCUSE",
                "trigger": span("condemned"),
                "sentence": SECOND,
                "source": [{"name": "governor", "spans": [span("governor")]}],
                "target": [{"name": "Rebels", "spans": [span("Rebels")]}],
                "place": None,
                "date": None,
                "date_precision": None,
                "status": "occurred",
                "claimed_by": None,
            },
            {
                "id": "e3",
                "same_as": "e1",
                "type": "ASSAULT",
                "trigger": span("attack", 2),
                "sentence": SECOND,
                "source": [],
                "target": [],
                "place": None,
                "date": "2024-05",
                "date_precision": "month",
                "status": "occurred",
                "claimed_by": None,
                "note": "the nominal mention of e1",
            },
        ],
        "quotes": [
            {
                "speaker": {"name": "governor", "spans": [span("she")]},
                "cue": span("said", 2),
                "content": span("We will find them"),
                "kind": "direct",
            }
        ],
        "times": [
            {"span": span("Monday"), "value": "2024-05-06", "precision": "day"},
            {"span": span("Tuesday"), "value": "2024-05-07", "precision": "day"},
        ],
    }


def problems_of(document: Any) -> list[str]:
    gold, problems = voa_gold.validate_document(document, STORIES, file="900.json")
    assert (gold is None) == bool(problems)
    return [f"{p.field}: {p.message}" for p in problems]


def test_voa_gold_accepts_a_good_document() -> None:
    gold, problems = voa_gold.validate_document(good_document(), STORIES, file="900.json")
    assert problems == []
    assert gold is not None
    assert [event.id for event in gold.events] == ["e1", "e2", "e3"]
    first = gold.events[0]
    assert first.source == (voa_gold.Actor("Rebels", (tuple(span("Rebels")),)),)
    assert first.place is not None and first.place.name == "Northtown"
    assert gold.events[2].same_as == "e1"
    assert gold.quotes[0].speaker is not None and gold.quotes[0].speaker.name == "governor"
    assert STORY_TEXT[slice(*gold.quotes[0].content)] == "We will find them"
    assert [time.value for time in gold.times] == ["2024-05-06", "2024-05-07"]


def _edit(path: str, value: Any) -> dict[str, Any]:
    """A good document with one field replaced; ``path`` like ``events.0.trigger``."""
    document = copy.deepcopy(good_document())
    *parents, last = path.split(".")
    node: Any = document
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return document


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("text_sha1", "0" * 40, "text_sha1: does not match"),
        ("published", "2024-05-09", "published:"),
        ("pass", 0, "pass: expected a positive integer"),
        ("events.0.type", "KILL", "events[0].type: 'KILL' is not one of the 16 PLOVER types"),
        ("events.0.status", "rumoured", "events[0].status:"),
        ("events.0.trigger", [5, 5], "events[0].trigger: [5, 5] is empty"),
        ("events.0.trigger", [0, 9999], "events[0].trigger: [0, 9999] is empty or outside"),
        ("events.0.trigger", [6, 15], "starts or ends with whitespace"),
        ("events.0.trigger", "attacked", "events[0].trigger: expected [start, end]"),
        ("events.1.trigger", span("attacked"), "events[1].trigger: [7, 15] is not inside"),
        ("events.0.source.0.spans.0", [7, 200], "events[0].source[0].spans[0]"),
        ("events.0.source.0.name", "", "events[0].source[0].name: expected a non-empty string"),
        ("events.0.source", {"name": "Rebels"}, "events[0].source: expected a list"),
        ("events.0.place.country", "Northland", "events[0].place.country:"),
        ("events.0.date", "2024-02-30", "events[0].date: '2024-02-30' is not ISO"),
        ("events.0.date", "May 6", "events[0].date:"),
        ("events.0.date_precision", "month", "precision 'month' does not fit '2024-05-06'"),
        ("events.2.date_precision", None, "events[2].date_precision: None is not one of"),
        ("events.1.date_precision", "day", "events[1].date_precision: 'day' given for a null"),
        ("events.2.same_as", "e9", "events[2].same_as: 'e9' is not the id of an earlier"),
        ("events.1.id", "e1", "events[1].id: id 'e1' is used twice"),
        ("events.0.status", "claimed", "events[0].claimed_by: a claimed event names"),
        ("events.0.status", "alleged", "events[0].claimed_by: an alleged event names"),
        ("quotes.0.kind", "reported", "quotes[0].kind:"),
        ("quotes.0.content", span('"We will find them,"'), "quotes[0].content:"),
        ("quotes.0.cue", span("We will"), "overlaps the content"),
        ("times.0.value", "Monday", "times[0].value: 'Monday' is not ISO"),
        ("times.0.precision", "hour", "times[0].precision: 'hour' is not one of"),
        ("times.1.value", "2024-05-08/2024-05-01", "ends before it starts"),
    ],
)
def test_voa_gold_reports_each_problem_at_its_field(path: str, value: Any, expected: str) -> None:
    found = problems_of(_edit(path, value))
    assert any(expected in problem for problem in found), found


def test_voa_gold_accepts_an_alleged_event_with_its_accuser() -> None:
    document = good_document()
    accuser = document["events"][0]["source"][0]
    document["events"][1].update(status="alleged", claimed_by=accuser)
    assert problems_of(document) == []


def test_voa_gold_accepts_the_other_calendar_forms() -> None:
    document = good_document()
    document["events"][0].update(date="2020s", date_precision="decade")
    document["events"][2].update(date="2024", date_precision="year")
    document["times"] = [
        {"span": span("Monday"), "value": "2024-W19", "precision": "week"},
        {"span": span("Tuesday"), "value": "2024-01/2024-05", "precision": "month"},
    ]
    assert problems_of(document) == []


def test_voa_gold_reports_missing_and_unknown_fields() -> None:
    document = good_document()
    del document["events"][0]["sentence"]
    document["events"][1]["actor"] = "governor"
    del document["times"]
    found = problems_of(document)
    assert "events[0]: missing field 'sentence'" in found
    assert any(p.startswith("events[1]: unexpected field 'actor'") for p in found)
    assert "(file): missing field 'times'" in found


def test_voa_gold_reports_an_unknown_story_and_a_file_name_that_disagrees() -> None:
    assert problems_of(_edit("story", "12345")) == [
        "story: '12345' is not a story id of voa_stories.jsonl"
    ]
    _, problems = voa_gold.validate_document(
        good_document(), STORIES, file="901.json", expected_id="901"
    )
    assert [p.field for p in problems] == ["story"]


def test_voa_gold_reports_a_duplicate_mention() -> None:
    document = good_document()
    twin = copy.deepcopy(document["events"][0])
    twin["id"] = "e4"
    document["events"].append(twin)
    assert problems_of(document) == [
        "events[3]: same type and trigger as events[0]: one mention is one entry"
    ]


def test_voa_gold_problem_lines_name_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "900.json"
    path.write_text('{"story": "900",', encoding="utf-8")
    _, problems = voa_gold.validate_file(path, STORIES)
    assert len(problems) == 1
    assert str(problems[0]).startswith(f"{path}: (file): not JSON")


def test_voa_gold_show_prints_the_text_of_each_span() -> None:
    gold, _ = voa_gold.validate_document(good_document(), STORIES, file="900.json")
    assert gold is not None
    shown = voa_gold.show(gold)
    assert "e1 ASSAULT occurred: trigger 'attacked'@7" in shown
    assert "Rebels ['Rebels'@0]" in shown
    assert "We will find them" in shown
    assert "time 'Tuesday'@" in shown


# -- the real gold files, with the texts from ../shared ---------------------------------------


@pytest.mark.shared
def test_voa_gold_every_file_validates() -> None:
    if not voa_gold.DATA_PATH.is_file():
        pytest.skip(f"{voa_gold.DATA_PATH} is absent")
    files = voa_gold.gold_files()
    if not files:
        pytest.skip(f"no gold files in {voa_gold.GOLD_DIR} yet")
    golds, problems = voa_gold.load_valid()
    assert [str(p) for p in problems] == []
    assert len(golds) == len(files)


@pytest.mark.shared
def test_voa_gold_loader_reads_texts_from_shared() -> None:
    if not voa_gold.DATA_PATH.is_file():
        pytest.skip(f"{voa_gold.DATA_PATH} is absent")
    stories = voa_gold.load_stories()
    assert len(stories) == 89
    golds, _ = voa_gold.load_valid()
    if not golds:
        pytest.skip(f"no valid gold files in {voa_gold.GOLD_DIR} yet")
    for gold in golds:
        assert gold.path.name == f"{gold.id}.json"
        assert gold.text == stories[gold.id].text
        for event in gold.events:
            start, end = event.trigger
            assert gold.text[start:end].strip() == gold.text[start:end] != ""
            assert event.sentence[0] <= start < end <= event.sentence[1]
            assert event.type in voa_gold.PLOVER_TYPES


# -- toponyms ---------------------------------------------------------------------------------


def toponym_document() -> dict[str, Any]:
    """The good document with its one place name annotated."""
    document = good_document()
    document["toponyms_pass"] = 1
    document["toponyms"] = [
        {
            "span": span("Northtown"),
            "name": "Northtown, Northland",
            "lat": 12.5,
            "lon": -3.25,
            "country": "NL",
            "admin1": None,
            "scale": "city",
            "role": None,
            "note": "a made-up town",
        }
    ]
    return document


def test_voa_gold_reads_toponyms_and_files_without_them_stay_valid() -> None:
    plain, problems = voa_gold.validate_document(good_document(), STORIES, file="900.json")
    assert problems == [] and plain is not None
    assert plain.toponyms_pass is None and plain.toponyms == ()
    gold, problems = voa_gold.validate_document(toponym_document(), STORIES, file="900.json")
    assert problems == [] and gold is not None
    assert gold.toponyms_pass == 1
    (place,) = gold.toponyms
    assert STORY_TEXT[slice(*place.span)] == "Northtown"
    assert (place.lat, place.lon, place.country, place.scale, place.role) == (
        12.5,
        -3.25,
        "NL",
        "city",
        None,
    )


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("span", [0, 9999], "toponyms[0].span: [0, 9999] is empty or outside"),
        ("span", span("police post"), None),
        ("span", [STORY_TEXT.index("The governor"), STORY_TEXT.index(" condemned")], "'the'"),
        ("lat", 91, "toponyms[0].lat: 91 is outside -90..90"),
        ("lon", -180.5, "toponyms[0].lon: -180.5 is outside -180..180"),
        ("lat", "12.5", "toponyms[0].lat: expected a number"),
        ("country", "Northland", "toponyms[0].country: expected ISO 3166 alpha-2"),
        ("admin1", "", "toponyms[0].admin1: expected a non-empty string"),
        ("scale", "town", "toponyms[0].scale: 'town' is not one of"),
        ("role", "organisation", "toponyms[0].role: 'organisation' is not null or one of"),
        ("note", 3, "toponyms[0].note: expected a string"),
    ],
)
def test_voa_gold_reports_each_toponym_problem(
    field: str, value: Any, expected: str | None
) -> None:
    document = toponym_document()
    document["toponyms"][0][field] = value
    found = problems_of(document)
    if expected is None:  # any span of the text is accepted; what it names is the annotator's
        assert found == []
    else:
        assert any(expected in problem for problem in found), found


def test_voa_gold_reports_a_possessive_in_a_toponym_span() -> None:
    text = "Northland's army said"
    story = voa_gold.Story(
        id="901", title="t", text=text, published="2024-05-08", section="", url=""
    )
    document = {
        "story": "901",
        "text_sha1": hashlib.sha1(text.encode("utf-8")).hexdigest(),
        "published": "2024-05-08",
        "pass": 1,
        "events": [],
        "quotes": [],
        "times": [],
        "toponyms_pass": 1,
        "toponyms": [
            {
                "span": [0, 11],
                "name": "Northland",
                "lat": 1.0,
                "lon": 2.0,
                "country": "NL",
                "admin1": None,
                "scale": "country",
                "role": None,
            }
        ],
    }
    _, problems = voa_gold.validate_document(document, {"901": story}, file="901.json")
    assert [p.field for p in problems] == ["toponyms[0].span"]
    assert "possessive" in problems[0].message


def test_voa_gold_reports_overlapping_toponyms_and_a_lone_toponym_key() -> None:
    document = toponym_document()
    inner = copy.deepcopy(document["toponyms"][0])
    start, _ = span("Northtown")
    inner["span"] = [start, start + 5]
    document["toponyms"].append(inner)
    assert problems_of(document) == [
        f"toponyms[0].span: {span('Northtown')} overlaps toponyms[1] [{start}, {start + 5}]"
    ]
    lone = toponym_document()
    del lone["toponyms_pass"]
    assert problems_of(lone) == ["(file): missing field 'toponyms_pass' (toponym keys go together)"]
    zero = _edit("pass", 1)
    zero.update(toponyms_pass=0, toponyms=[])
    assert problems_of(zero) == ["toponyms_pass: expected a positive integer, got 0"]


def test_voa_gold_show_prints_each_toponym_with_its_referent() -> None:
    gold, _ = voa_gold.validate_document(toponym_document(), STORIES, file="900.json")
    assert gold is not None
    shown = voa_gold.show(gold)
    assert "toponyms (pass 1):" in shown
    at = span("Northtown")[0]
    assert f"place 'Northtown'@{at} = Northtown, Northland (NL, city, 12.5000,-3.2500)" in shown

"""No English text of the dev sets or the demo is called another language (issue 13, part 4).

Language detection runs over every text and title the project develops on: the GeoVirus
articles, the VOA stories, their titles alone and with the story, the re3d documents, the
article-extraction ground-truth bodies, the PLOVER gold sentences and the demo articles. None
may be rejected as another language. The article-extraction set also holds pages in other
languages: each, named below with its language, must still be detected as that language.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest

from newsdesk.stages.ingest import detect_language
from test_segment_coverage import (
    EVAL,
    Report,
    _article_extraction,
    _demo,
    _geovirus,
    _re3d,
)

# The article-extraction pages that are not in English, by the first 12 characters of their key
# (read by a person, not by the detector).
OTHER_LANGUAGE_PAGES = {
    "0ec95c7261d1": "ko",
    "11ea381ad92b": "pt",
    "20b2b64916b0": "it",
    "21486419bb10": "ms",
    "23aaecd14171": "pt",
    "3252222e61fe": "pt",
    "3c6d3381ef52": "ru",
    "57b4dafd18cf": "de",
    "7837c9d66c81": "ms",
    "85439e26c41c": "ja",
    "9da36ae4714b": "ko",
    "b3c19dd5f061": "pt",
    "b6fb53e9fb04": "it",
    "ba07d1e64775": "de",
    "c4a3637c6696": "ru",
    "c82b3d1d540b": "ru",
    "cc03ddb5ef7d": "pt",
    "f105de6e63ca": "ja",
    "f6ac15a4d985": "pt",
    "ff0f958ade71": "ru",
}


def _voa_texts() -> Iterator[Report]:
    with (EVAL / "voa" / "voa_stories.jsonl").open(encoding="utf-8") as rows:
        for line in rows:
            row = json.loads(line)
            yield Report(f"voa/{row['id']}", row["text"])
            yield Report(f"voa/{row['id']}/title", row["title"])
            yield Report(f"voa/{row['id']}+title", f"{row['title']}\n\n{row['text']}")


def _plover() -> Iterator[Report]:
    rows = json.loads((EVAL / "plover-gsr" / "PLOVER_GSR_CAMEO.txt").read_text("utf-8"))
    for row in rows:
        if row.get("text"):
            yield Report(f"plover/{row['id']}", row["text"])


def _english_pages() -> Iterator[Report]:
    for report in _article_extraction():
        if report.name.rsplit("/", 1)[1] not in OTHER_LANGUAGE_PAGES:
            yield report


_SETS: dict[str, Callable[[], Iterator[Report]]] = {
    "voa": _voa_texts,
    "geovirus": _geovirus,
    "re3d": _re3d,
    "article-extraction": _english_pages,
    "plover": _plover,
    "demo": _demo,
}


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(_SETS))
def test_ingest_language_no_english_dev_text_rejected(name: str) -> None:
    if name != "demo" and not EVAL.is_dir():
        pytest.skip(f"{EVAL} is absent")
    reports = list(_SETS[name]())
    assert reports
    wrong = [
        f"{report.name} ({found}): {report.text[:80]!r}"
        for report in reports
        if (found := detect_language(report.text)) not in ("en", None)
    ]
    assert not wrong, "\n".join(wrong)


@pytest.mark.shared
@pytest.mark.slow
def test_ingest_language_other_language_pages_still_detected() -> None:
    if not EVAL.is_dir():
        pytest.skip(f"{EVAL} is absent")
    pages = {
        report.name.rsplit("/", 1)[1]: report.text
        for report in _article_extraction()
        if report.name.rsplit("/", 1)[1] in OTHER_LANGUAGE_PAGES
    }
    assert pages.keys() == OTHER_LANGUAGE_PAGES.keys()
    found = {key: detect_language(text) for key, text in pages.items()}
    assert found == OTHER_LANGUAGE_PAGES

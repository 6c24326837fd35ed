from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.stages.metadata import (
    Dateline,
    extract_metadata,
    find_dateline,
    find_handles,
    find_hashtags,
    find_links,
    find_published,
    find_publisher,
    find_title,
    match_dateline,
    normalise_punctuation,
    parse_date,
)

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "panjshir-2021-08-24.txt"

BLOG_POST = """\
(KENYA) Floods Report: Rivers burst their banks after a week of rain #HarbourNewsDesk report

#HarbourNews – Mar.3: Heavy rain has flooded villages along the Tana river, officials said.

Officials said hundreds of families had left their homes and more rain was expected.

#HarbourNewsDesk report ……Published: Mar.3: 2023:

Follow us on Telegram: https://t.me/harbourdaily and harbournews.wordpress.com.

#kenya, #floods
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Published: Mar.3: 2024:", "2024-03-03"),
        ("Published 24 August 2021", "2021-08-24"),
        ("Updated: 2021-08-24", "2021-08-24"),
        ("Posted on August 24, 2021", "2021-08-24"),
        ("Tuesday, August 24th, 2021", "2021-08-24"),
        ("24-Aug-2021", "2021-08-24"),
        ("the 24th of August, 2021", "2021-08-24"),
        ("24/08/2021", "2021-08-24"),
        ("08/24/2021", "2021-08-24"),
        ("2021-08-24T10:00:00Z", "2021-08-24"),
        ("Tue, 24 Aug 2021 10:00:00 GMT", "2021-08-24"),
        ("03/04/2021", None),
        ("May 2021", None),
        ("Mayor Smith, 24, spoke in 2021", None),
        ("31 February 2021", None),
        ("no date here", None),
    ],
)
def test_metadata_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Headline here\n\nBody text.\n\nPublished: Mar.3: 2024:", "2024-03-03"),
        ("Headline\n\nPosted on August 24, 2021 by staff\n\nBody.", "2021-08-24"),
        ("Headline\n\nUpdated: 2021-08-25\n\nPublished 24 August 2021\n\nBody.", "2021-08-24"),
        ("Headline\n\nTuesday, 24 August 2021\n\nBody text follows.", "2021-08-24"),
        # A date in the body is the story's date, not the publication's.
        (
            "Headline\n\n"
            + "\n\n".join(f"Paragraph {n} of the body." for n in range(20))
            + "\n\nHe was killed on 9 September 2001.\n\n"
            + "\n\n".join(f"Paragraph {n} again." for n in range(20)),
            None,
        ),
    ],
)
def test_metadata_find_published(text: str, expected: str | None) -> None:
    assert find_published(text) == expected


def test_metadata_find_published_uses_dateline_with_year() -> None:
    dateline = Dateline(text="X", published="2021-08-24")
    assert find_published("Body text only.", dateline=dateline) == "2021-08-24"


@pytest.mark.parametrize(
    ("text", "dateline_text", "place", "agency"),
    [
        (
            "KABUL, Aug 24 (Reuters) - The Taliban said",
            "KABUL, Aug 24 (Reuters) -",
            "KABUL",
            "Reuters",
        ),
        ("KYIV (AP) — Russia launched", "KYIV (AP) —", "KYIV", "AP"),
        (
            "Headline\n\nBEIRUT, Lebanon (AP) — A blast",
            "BEIRUT, Lebanon (AP) —",
            "BEIRUT, Lebanon",
            "AP",
        ),
        ("KABUL — The Taliban", "KABUL —", "KABUL", None),
        ("#DailyWireReport – Mar.3: After the", "#DailyWireReport – Mar.3:", None, None),
    ],
)
def test_metadata_find_dateline(
    text: str, dateline_text: str, place: str | None, agency: str | None
) -> None:
    dateline = find_dateline(text)
    assert dateline is not None
    assert (dateline.text, dateline.place, dateline.agency) == (dateline_text, place, agency)


@pytest.mark.parametrize(
    "text", ["The Taliban said on Monday.", "A (BBC) report said - nothing", "UN said — x"]
)
def test_metadata_find_dateline_none(text: str) -> None:
    assert find_dateline(text) is None


def test_metadata_find_dateline_year_gives_date() -> None:
    dateline = find_dateline("WASHINGTON, Aug. 24, 2021 (Xinhua) -- US officials")
    assert dateline is not None
    assert dateline.published == "2021-08-24"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Headline\n\nBody text here.\n\n© 2021 Harbour Media Ltd. All rights reserved.",
            "Harbour Media",
        ),
        (
            "Headline\n\nBody text here.\n\nCopyright 2019-2021 The Daily Example",
            "The Daily Example",
        ),
        ("Headline\n\nBody.\n\nPublished by Kabul Now", "Kabul Now"),
        ("Headline\n\nBody.\n\nSource: Reuters", "Reuters"),
        ("KABUL, Aug 24 (Reuters) - The Taliban said they would talk.", "Reuters"),
        (BLOG_POST, "HarbourNewsDesk"),
        ("Headline\n\nBody text with no publisher at all.", None),
    ],
)
def test_metadata_find_publisher(text: str, expected: str | None) -> None:
    meta = extract_metadata(text)
    assert meta.publisher == expected


def test_metadata_find_publisher_needs_a_dated_signature() -> None:
    # A topic hashtag that is in the title and again in a closing tag line is not a publisher.
    text = "Floods in #Kenya displace thousands\n\nBody text here.\n\n#Kenya #floods"
    assert find_publisher(text, title=find_title(text)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Taliban head for Panjshir valley\n\nBody text.", "Taliban head for Panjshir valley"),
        ("KABUL, Aug 24 (Reuters) - The Taliban said.\n\nMore.", None),
        ("Published: Mar.3: 2024\n\nBody.", None),
        ("Only one line of text.", None),
        ("https://example.com/story\n\nBody.", None),
        ("One. Two sentences here. And a third one.\n\nBody.", None),
        # Wire copy pasted without its headline opens with the lead, never a title.
        ("The army said on Monday it had retaken the town.\n\nMore.", None),
        ("Gunmen killed 12 people in Kano on Sunday, police said\n\nMore.", None),
        ("Taliban head for Panjshir valley\nBody text follows on the next line.", None),
        ("Who controls the valley now?\n\nBody text.", "Who controls the valley now?"),
    ],
)
def test_metadata_find_title(text: str, expected: str | None) -> None:
    assert find_title(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "#Taliban and #islamic-emirate, #Afghanistan.",
            ("Taliban", "islamic-emirate", "Afghanistan"),
        ),
        ("We are #1 and #2021 but #COVID19 counts", ("COVID19",)),
        ("see https://example.com/page#section and &#39;quoted&#39;", ()),
        ("#news #News #NEWS", ("news",)),
        ("word#glued and C#", ()),
    ],
)
def test_metadata_find_hashtags(text: str, expected: tuple[str, ...]) -> None:
    assert find_hashtags(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Read https://example.com/a/b. Then", ("https://example.com/a/b",)),
        ("(see https://example.com/x)", ("https://example.com/x",)),
        ("here: https://news.wordpress.com/and thanks", ("https://news.wordpress.com/",)),
        ("Visit AcePCHelp.WordPress.Com today", ("acepchelp.wordpress.com",)),
        ("on t.me/harbourdaily, or bbc.co.uk.", ("t.me/harbourdaily", "bbc.co.uk")),
        ("fighters.In the valley, e.g. here, U.S. forces", ()),
        ("mail me at someone@example.com", ()),
        ("www.example.org/path?q=1;", ("www.example.org/path?q=1",)),
    ],
)
def test_metadata_find_links(text: str, expected: tuple[str, ...]) -> None:
    assert find_links(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Follow @AceNews and @bbc_world.", ("@AceNews", "@bbc_world")),
        ("mail someone@example.com", ()),
        ("Telegram: https://t.me/acedaily", ("t.me/acedaily",)),
        ("https://twitter.com/share?x=1 and https://x.com/someone/status/1", ("x.com/someone",)),
    ],
)
def test_metadata_find_handles(text: str, expected: tuple[str, ...]) -> None:
    assert find_handles(text) == expected


def test_metadata_normalise_punctuation() -> None:
    assert normalise_punctuation("“Hi” – it’s ………Published") == '"Hi" - it\'s Published'


def test_metadata_blog_post() -> None:
    meta = extract_metadata(BLOG_POST)
    assert meta.title is not None and meta.title.startswith("(KENYA) Floods Report")
    assert meta.published == "2023-03-03"
    assert meta.dateline is not None and meta.dateline.text == "#HarbourNews – Mar.3:"
    assert meta.hashtags == ("HarbourNewsDesk", "HarbourNews", "kenya", "floods")
    assert meta.links == ("https://t.me/harbourdaily", "harbournews.wordpress.com")
    assert meta.handles == ("t.me/harbourdaily",)


@pytest.mark.shared
def test_metadata_shared_sample() -> None:
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE} is absent")
    meta = extract_metadata(SAMPLE.read_text(encoding="utf-8"))
    assert meta.publisher == "AceNewsDesk"
    assert meta.published == "2021-08-24"
    assert {"Taliban", "AceNewsDesk", "afghanistan", "islamic-emirate"} <= set(meta.hashtags)
    assert "https://t.me/acenewsdaily" in meta.links


@pytest.mark.parametrize(
    ("text", "authors"),
    [
        ("Storm hits the coast\n\nBy Jane Doe\n\nRain fell all night.", ("Jane Doe",)),
        (
            "Storm hits the coast\nBy Jane Doe and John Roe\n\nRain fell all night.",
            ("Jane Doe", "John Roe"),
        ),
        ("Storm hits the coast\nBy Jane Doe, Reuters\n\nRain fell.", ("Jane Doe",)),
        ("Storm hits the coast\n\nBy nightfall the rain had stopped.", ()),
        ("Storm hits the coast\n\nBy the river\n\nRain fell.", ()),
    ],
)
def test_metadata_authors_from_byline(text: str, authors: tuple[str, ...]) -> None:
    assert extract_metadata(text).authors == authors


@pytest.mark.parametrize(
    ("line", "place", "agency"),
    [
        ("JOHANNESBURG, August 7 (Xinhua) -- Police said", "JOHANNESBURG", "Xinhua"),
        ("KIGALI, Rwanda - The army said", "KIGALI, Rwanda", None),
        ("(CNN) — At least 40 people", None, "CNN"),
        ("WASHINGTON — The Pentagon said", "WASHINGTON", None),
    ],
)
def test_metadata_match_dateline_forms(line: str, place: str | None, agency: str | None) -> None:
    found = match_dateline(line)
    assert found is not None and (found.place, found.agency) == (place, agency)
    assert line.startswith(found.text)


@pytest.mark.parametrize("line", ["(Updated) - The army said", "(Corrected) — Police said"])
def test_metadata_bracketed_word_is_no_dateline(line: str) -> None:
    assert match_dateline(line) is None

"""Tests for newsdesk.stages.segment: block kinds, exact offsets, hints, repeats, invariants."""

from __future__ import annotations

import re
from collections.abc import Sequence

import hypothesis
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.data.lexicons import load_phrases, load_sections, parse_phrases
from newsdesk.errors import DataError
from newsdesk.records import Block
from newsdesk.settings import SegmentSettings, Settings
from newsdesk.stages.segment import segment

DEFAULTS = SegmentSettings(repeat_similarity=0.8, short_block_words=16)

BODY = "The fighters moved north on Monday, local officials told reporters in the city."
OTHER_BODY = "Aid groups said hundreds of families had left their homes since the weekend."


def kinds_of(text: str, blocks: Sequence[Block]) -> list[tuple[str, str]]:
    return [(block.kind, text[block.start : block.end]) for block in blocks]


def kind_at(text: str, blocks: Sequence[Block], phrase: str) -> Block:
    """The block that holds ``phrase``."""
    start = text.index(phrase)
    return next(block for block in blocks if block.start <= start < block.end)


def assert_partition(text: str, blocks: Sequence[Block]) -> None:
    """Sorted, non-overlapping, in bounds, trimmed, and every non-space character covered once."""
    covered = [0] * len(text)
    previous_end = 0
    for block in blocks:
        assert 0 <= block.start < block.end <= len(text)
        assert block.start >= previous_end
        assert not text[block.start].isspace() and not text[block.end - 1].isspace()
        previous_end = block.end
        for i in range(block.start, block.end):
            covered[i] += 1
    for char, count in zip(text, covered, strict=True):
        assert count == 1 if not char.isspace() else count <= 1


def normalise_like_ingest(raw: str) -> str:
    text = raw.replace("\r\n", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        ("Taliban advance on the valley\n\n" + BODY, None, "Taliban advance on the valley"),
        ("Fighters gather in the north\n\n" + BODY, "Fighters  gather in the north", None),
        ("By Jane Doe\n\nRebels hold the pass\n\n" + BODY, None, "Rebels hold the pass"),
    ],
)
def test_segment_title_is_the_first_headline_line(
    text: str, title: str | None, expected: str | None
) -> None:
    blocks = segment(text, settings=DEFAULTS, title=title)
    titles = [text[b.start : b.end] for b in blocks if b.kind == "title"]
    assert titles == [expected or text.split("\n\n")[0]]


@pytest.mark.parametrize(
    "first",
    [
        BODY,
        "The army said the road was closed after the attack. (Reuters)",
        "Watch: Fighters enter the valley",
        "Read more: Who are the fighters?",
    ],
)
def test_segment_title_not_guessed_for_other_kinds(first: str) -> None:
    text = first + "\n\n" + OTHER_BODY
    assert all(b.kind != "title" for b in segment(text, settings=DEFAULTS))


@pytest.mark.parametrize(
    "line",
    [
        "By Jane Doe and John Smith, Reuters",
        "Published: 24 August 2021",
        "Updated 3 hours ago",
        "#NewsDesk report ……Published: Aug.24: 2021:",
        "#afghanistan, #islamic-emirate",
        "Tags: Afghanistan, Taliban",
        "Tuesday, 24 August 2021, 10:32 BST",
        "KABUL, Aug 24 —",
    ],
)
def test_segment_metadata_lines(line: str) -> None:
    text = f"{BODY}\n\n{line}\n\n{OTHER_BODY}"
    blocks = segment(text, settings=DEFAULTS)
    assert kinds_of(text, blocks) == [("body", BODY), ("metadata", line), ("body", OTHER_BODY)]


def test_segment_metadata_line_peeled_from_the_top_of_a_paragraph() -> None:
    text = f"{BODY}\n\nBy Jane Doe\n{OTHER_BODY}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[1:] == [
        ("metadata", "By Jane Doe"),
        ("body", OTHER_BODY),
    ]


@pytest.mark.parametrize(
    "line", ["More fighting in the north", "‘A valley of hope’", "“A safe zone”"]
)
def test_segment_heading_between_body_paragraphs(line: str) -> None:
    text = f"{BODY}\n\n{line}\n\n{OTHER_BODY}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[1] == ("heading", line)


@pytest.mark.parametrize(
    "line",
    [
        "“The pass has always been our lifeline.”",
        "“Whoever comes through that gate will meet us there.”",
        "“Our first task is to keep the road open for families.",
        "He said the talks had failed.",
        "Who controls the valley now?",
        "Pictures taken by AFP show recruits training in the valley.",
        "Reuters reported that the pass was closed.",
        "APCs were seen moving along the road into the valley.",
        "The army said the road was closed on Monday after the attack. (Reuters)",
        "Officials published: a list of names of the missing people.",
    ],
)
def test_segment_short_punctuated_lines_stay_body(line: str) -> None:
    text = f"{BODY}\n\n{line}\n\n{OTHER_BODY}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[1] == ("body", line)


@pytest.mark.parametrize(
    ("caption", "credit_text", "credit"),
    [
        (
            "Fighters carry rifles and a flag\nResistance has grown since the army left.",
            "(AFP: Jane Doe)",
            "AFP: Jane Doe",
        ),
        (
            "A commander speaks during an interview\nHe leads the front.",
            "(Reuters:\xa0John Smith)",
            "Reuters: John Smith",
        ),
        ("Recruits train in the valley.", "(AP Photo/Jane Doe)", "AP Photo/Jane Doe"),
        (
            "A convoy on the road\nThe convoy left at dawn.",
            "(ABC News: Sam Lee)",
            "ABC News: Sam Lee",
        ),
    ],
)
def test_segment_caption_with_credit_in_parentheses(
    caption: str, credit_text: str, credit: str
) -> None:
    text = f"{BODY}\n\n{caption}{credit_text}\n\n{OTHER_BODY}"
    blocks = segment(text, settings=DEFAULTS)
    assert kinds_of(text, blocks)[1:3] == [("caption", caption), ("credit", credit_text)]
    assert blocks[1].credit == credit and blocks[2].credit == credit


@pytest.mark.parametrize(
    ("agency", "caption"),
    [
        ("Reuters", "Ahmad Doe, the son of a famous commander, founded the group"),
        ("Getty Images", "Fighters patrol a road near the valley"),
        ("AFP via Getty Images", "Recruits train in the valley"),
        ("AFP", "The convoy crossed the river at dawn"),
    ],
)
def test_segment_glued_credit_split_from_caption(agency: str, caption: str) -> None:
    text = f"{BODY}\n\n{agency}{caption}\n\n{OTHER_BODY}"
    blocks = segment(text, settings=DEFAULTS)
    assert kinds_of(text, blocks)[1:3] == [("credit", agency), ("caption", caption)]
    assert blocks[1].credit == agency and blocks[2].credit == agency


def test_segment_caption_and_credit_lines() -> None:
    text = (
        f"{BODY}\n\nImage source, Reuters\nImage caption, Fighters patrol the road\n\n{OTHER_BODY}"
    )
    blocks = segment(text, settings=DEFAULTS)
    assert kinds_of(text, blocks)[1:3] == [
        ("credit", "Image source, Reuters"),
        ("caption", "Image caption, Fighters patrol the road"),
    ]
    assert blocks[1].credit == blocks[2].credit == "Reuters"


def test_segment_alt_text_and_caption_lines_are_one_caption() -> None:
    caption = "Fighters in the valley\nThe front says it wants talks before fighting"
    text = f"{BODY}\n\n{caption}\n\n{OTHER_BODY}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[1] == ("caption", caption)


@pytest.mark.parametrize(
    ("promo", "following_kind"),
    [
        ("Play Video. Duration: 2 minutes 10 seconds\nThe fighters are back. What next?", None),
        ("Media caption, Fighters enter the valley", None),
        ("Watch: Fighters enter the valley", None),
        ("Play Video. Duration: 2 minutes", "promo"),
    ],
)
def test_segment_promo_with_its_title(promo: str, following_kind: str | None) -> None:
    after = "Where will the fighters go?"
    text = f"{BODY}\n\n{promo}\n\n{after}\n\n{OTHER_BODY}"
    blocks = segment(text, settings=DEFAULTS)
    assert kinds_of(text, blocks)[1] == ("promo", promo)
    assert kind_at(text, blocks, after).kind == (following_kind or "body")


def test_segment_bare_promo_does_not_take_a_quote() -> None:
    quote = "“We will fight,” he said."
    text = f"{BODY}\n\nPlay Video. Duration: 2 minutes\n\n{quote}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[2] == ("body", quote)


@pytest.mark.parametrize(
    "teaser",
    [
        "Read more: Who are the fighters?",
        "Related: The valley that never fell",
        "Also read",
        "More on this story",
        "As talks resume in the capital, here are the key players at the table.",
    ],
)
def test_segment_teaser_paragraphs(teaser: str) -> None:
    text = f"{BODY}\n\n{teaser}\n\n{OTHER_BODY}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[1] == ("teaser", teaser)


def test_segment_teaser_cue_inside_a_longer_paragraph_stays_body() -> None:
    line = "He spoke for an hour. Here are the key points he made, officials said later."
    text = f"{BODY}\n\n{line}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[1] == ("body", line)


def test_segment_glued_teaser_split_after_the_sentence_end() -> None:
    body = "She met people “who fear the fighters”."
    teaser = "Life under siege as a teacherAmina and her sisters grew up in the valley."
    text = f"{BODY}\n\n{body}{teaser}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[1:] == [
        ("body", body),
        ("teaser", teaser),
    ]


def test_segment_glued_quote_is_not_a_teaser() -> None:
    line = "It will lead to war, he said.”We prefer peace and talks,” Mr Doe added."
    text = f"{BODY}\n\n{line}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[1] == ("body", line)


@pytest.mark.parametrize(
    "footer",
    [
        "Reproduction in whole or in part is forbidden without written permission.",
        "Copyright 2021 Example Media. All rights reserved.",
        "© Example Media 2021",
        "Follow us on Twitter and Telegram for more.",
        "Subscribe to get the morning briefing",
        "We use cookies to improve your experience.",
        "Links: https://example.com/a https://example.org/b/c https://t.me/example",
    ],
)
def test_segment_boilerplate(footer: str) -> None:
    text = f"{BODY}\n\n{footer}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[1] == ("boilerplate", footer)


def test_segment_repeated_points_at_the_earlier_block() -> None:
    near_copy = BODY.replace("Monday", "Monday morning")
    text = f"Headline here\n\n{BODY}\n\n{OTHER_BODY}\n\n{near_copy}"
    blocks = segment(text, settings=SegmentSettings(repeat_similarity=0.6, short_block_words=16))
    assert [b.kind for b in blocks] == ["title", "body", "body", "repeated"]
    assert blocks[3].repeats == 1


@pytest.mark.parametrize(("threshold", "kind"), [(0.8, "body"), (0.5, "repeated")])
def test_segment_repeat_threshold_comes_from_settings(threshold: float, kind: str) -> None:
    # One word changed in the middle: 8 of 14 word 3-grams shared, Jaccard about 0.57.
    variant = BODY.replace("Monday", "Tuesday")
    text = f"{BODY}\n\n{variant}"
    blocks = segment(text, settings=SegmentSettings(threshold, 16))
    assert blocks[1].kind == kind


def test_segment_hints_win_over_guesses() -> None:
    caption = "Fighters in the valley"
    text = f"{BODY}\n\n{caption}\n\n{OTHER_BODY}"
    start = text.index(caption)
    hint = Block(kind="caption", start=start - 2, end=start + len(caption) + 1, credit="AFP")
    blocks = segment(text, settings=DEFAULTS, hints=[hint])
    assert kinds_of(text, blocks)[1] == ("caption", caption)
    assert blocks[1].credit == "AFP"
    assert_partition(text, blocks)


def test_segment_caption_hint_gives_up_its_credit() -> None:
    caption = "Fighters in the valley\nThe front says the valley is safe."
    text = f"{BODY}\n\n{caption}(AFP: Jane Doe)"
    hint = Block(kind="caption", start=text.index("Fighters in"), end=len(text))
    blocks = segment(text, settings=DEFAULTS, hints=[hint])
    assert kinds_of(text, blocks)[1:] == [("caption", caption), ("credit", "(AFP: Jane Doe)")]
    assert blocks[1].credit == blocks[2].credit == "AFP: Jane Doe"


def test_segment_hint_inside_a_paragraph_splits_it() -> None:
    text = f"{BODY} (Photo: AFP)"
    start = text.index("(Photo")
    blocks = segment(
        text, settings=DEFAULTS, hints=[Block(kind="credit", start=start, end=len(text))]
    )
    assert kinds_of(text, blocks) == [("body", BODY), ("credit", "(Photo: AFP)")]


def test_segment_overlapping_hints_keep_the_earlier() -> None:
    text = f"{BODY}\n\n{OTHER_BODY}"
    hints = [
        Block(kind="teaser", start=5, end=len(text)),
        Block(kind="caption", start=0, end=10),
    ]
    blocks = segment(text, settings=DEFAULTS, hints=hints)
    assert (blocks[0].kind, blocks[0].start, blocks[0].end) == ("caption", 0, 10)
    assert all(b.kind != "teaser" for b in blocks)
    assert_partition(text, blocks)


def test_segment_hint_outside_the_text_is_an_error() -> None:
    with pytest.raises(ValueError, match="outside the text"):
        segment("short text", settings=DEFAULTS, hints=[Block(kind="body", start=0, end=99)])


def test_segment_empty_and_blank_text() -> None:
    assert segment("", settings=DEFAULTS) == ()
    assert segment(" \n\n \t", settings=DEFAULTS) == ()


def test_segment_cue_lexicon_unknown_section_or_file_is_an_error() -> None:
    with pytest.raises(DataError, match="E303"):
        load_phrases("segment_cues", "no_such_section")
    with pytest.raises(DataError, match="E302"):
        load_phrases("no_such_lexicon")


def test_segment_cue_lexicon_loads_every_section() -> None:
    sections = load_sections("segment_cues")
    for name in ("boilerplate", "promo", "teaser", "caption", "credit", "agencies", "metadata"):
        assert sections[name], name


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("[a]\nok\nbad\tphrase\n", 3),
        ("# comment\n[a]\nsame\nSame\n", 4),
        ("[a]\n^\n", 2),
        ("[a]\nplay ^video\n", 2),
        ("[a]\n[a]\n", 2),
        ("[Bad Name]\n", 1),
        ("[a]\ntwo  spaces\n", 2),
    ],
)
def test_segment_cue_lexicon_bad_line_names_file_and_line(content: str, line: int) -> None:
    with pytest.raises(DataError, match=rf"\[E301\] cues\.txt, line {line}:"):
        parse_phrases(content, path="cues.txt")


# Pieces that trip the rules (credits, promos, glued sentence ends, quotes, odd spaces) mixed
# with arbitrary text.
pieces = st.sampled_from(
    [*"aZ .,:;!?“”‘’()#—-\t\xa0\n", "Reuters", "AFP: ", "Play Video", "©", "womanShe", "By "]
)
paragraph = st.lists(pieces, max_size=20).map("".join) | st.text(max_size=30)


@hypothesis.settings(max_examples=300, deadline=None)
@given(st.lists(paragraph, max_size=8), st.sampled_from(["\n\n", "\n", "\n \n\n", " "]))
def test_segment_blocks_partition_any_text(paragraphs: list[str], joiner: str) -> None:
    text = joiner.join(paragraphs)
    assert_partition(text, segment(text, settings=DEFAULTS))


@hypothesis.settings(max_examples=100, deadline=None)
@given(st.lists(paragraph, max_size=6).map("\n\n".join), st.data())
def test_segment_blocks_partition_any_text_with_hints(text: str, data: st.DataObject) -> None:
    bounds = st.integers(min_value=0, max_value=len(text))
    spans = data.draw(st.lists(st.tuples(bounds, bounds), max_size=3))
    hints = [Block(kind="caption", start=min(s), end=max(s)) for s in spans]
    assert_partition(text, segment(text, settings=DEFAULTS, hints=hints))


# The sample is third-party text: its blocks are found here by generic shapes of news pages
# (a video duration, a row of hashtags, a credit in brackets), never by quoting it.
_PROMO = re.compile(r"Play Video\. Duration: \d+ minutes")
_PUBLISHED = re.compile(r"Published: \w+\.\d+")
_HASHTAG_ROW = re.compile(r"^#[\w-]+(?:, #[\w-]+)+$", re.MULTILINE)
_QUOTED_HEADING = re.compile(r"^‘[^’\n]{3,40}’$", re.MULTILINE)
_CREDIT = re.compile(r"\(((?:AFP|Reuters):\s[^)]+)\)")
_GLUED_CREDIT = re.compile(r"^(Reuters|AFP)(?=[A-Z][a-z])", re.MULTILINE)
# A sentence end glued to a headline that is glued to its standfirst: "...”.HeadlineStandfirst".
_GLUED_TEASER = re.compile(r"[”\"]\.(?=[A-Z][a-z]+ [^\n]{0,80}?[a-z]{3}[A-Z][a-z])")
_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")


def block_at(blocks: Sequence[Block], offset: int) -> Block:
    return next(block for block in blocks if block.start <= offset < block.end)


@pytest.mark.shared
def test_segment_sample_article(sample_text: str, settings: Settings) -> None:
    # sample_text (conftest) reads ../shared/samples/panjshir-2021-08-24.txt, skipping if absent.
    text = normalise_like_ingest(sample_text)
    blocks = segment(text, settings=settings.segment)
    assert_partition(text, blocks)
    paragraphs = [(match.start(), match.group()) for match in _PARAGRAPH.finditer(text)]

    assert blocks[0].kind == "title" and blocks[0].start == 0
    # The publisher's footer: the paragraph before the tags, full of links.
    footer_start, footer = paragraphs[-2]
    assert footer.count("https://") >= 2
    assert block_at(blocks, footer_start).kind == "boilerplate"
    for pattern, kind in ((_PROMO, "promo"), (_PUBLISHED, "metadata"), (_HASHTAG_ROW, "metadata")):
        found = pattern.search(text)
        assert found is not None and block_at(blocks, found.start()).kind == kind
    heading = _QUOTED_HEADING.search(text)
    assert heading is not None and block_at(blocks, heading.start() + 1).kind == "heading"
    glued = _GLUED_TEASER.search(text)
    assert glued is not None
    assert block_at(blocks, glued.start()).kind == "body"
    assert block_at(blocks, glued.end()).kind == "teaser"
    # A one-sentence paragraph pointing to other stories ("... here are the ...") is a teaser.
    teasers = [start for start, line in paragraphs if re.search(r"\bhere are the\b", line)]
    assert teasers and all(block_at(blocks, start).kind == "teaser" for start in teasers)
    # Long paragraphs of reporting, and short quoted ones, stay body.
    reporting = [
        start
        for start, line in paragraphs[1:-2]
        if len(line.split()) >= 25 and "\n" not in line and "#" not in line and start not in teasers
    ]
    quoted = [start for start, line in paragraphs if re.fullmatch(r"“[^”\n]{10,80}[.”]", line)]
    assert len(reporting) >= 15 and quoted
    for start in [*reporting, *quoted]:
        assert block_at(blocks, start).kind == "body", start

    # Captions carry the credit in brackets after them; the credit is its own block.
    credits = list(_CREDIT.finditer(text))
    assert len(credits) == 3
    for match in credits:
        credit = block_at(blocks, match.start())
        caption = block_at(blocks, match.start() - 2)
        # Credits come back with ordinary spaces, whatever space the page used.
        expected = " ".join(match.group(1).split())
        assert (credit.kind, credit.credit) == ("credit", expected)
        assert (caption.kind, caption.credit) == ("caption", expected)
    # An agency glued to the caption it credits is split off with exact offsets.
    glued_credit = _GLUED_CREDIT.search(text)
    assert glued_credit is not None
    credit = block_at(blocks, glued_credit.start())
    agency = glued_credit.group(1)
    assert (credit.kind, text[credit.start : credit.end], credit.credit) == (
        "credit",
        agency,
        agency,
    )
    assert block_at(blocks, glued_credit.end()).kind == "caption"


# --- issue 10: evidence before furniture ---------------------------------------------------------

LEAD = "Gunmen killed 12 people in a village in northern Nigeria on Sunday, police said"


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen kill 12 in northern Nigeria village",
        LEAD,
        "Taliban advance on the valley\nFighters gather in the north",
    ],
)
def test_segment_one_paragraph_input_has_no_title(text: str) -> None:
    # Nothing after it: a line that is all there is is the report, not its headline.
    blocks = segment(text, settings=DEFAULTS)
    assert all(b.kind != "title" for b in blocks)
    assert any(b.kind == "body" for b in blocks)


@pytest.mark.parametrize(
    "lead",
    [
        LEAD,
        "Protesters marched through the capital on Tuesday demanding the release of detainees",
        "The army has retaken the town of Sake, a spokesman told reporters",
    ],
)
def test_segment_lead_paragraph_without_full_stop_is_body(lead: str) -> None:
    text = f"{lead}\n\n{OTHER_BODY}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[0] == ("body", lead)


def test_segment_headline_on_the_lead_paragraphs_first_line_is_not_glued_to_it() -> None:
    long_lead = BODY + " " + OTHER_BODY
    text = f"Fighters take the pass\n{long_lead}\n\n{OTHER_BODY}"
    blocks = segment(text, settings=DEFAULTS)
    assert kind_at(text, blocks, "Fighters take").end == len("Fighters take the pass")
    assert kinds_of(text, blocks)[1] == ("body", long_lead)


@pytest.mark.parametrize(
    ("dateline", "credit", "place"),
    [
        ("JOHANNESBURG, August 7 (Xinhua) --", "Xinhua", "JOHANNESBURG"),
        ("KIGALI, Rwanda -", None, "KIGALI, Rwanda"),
        ("WASHINGTON —", None, "WASHINGTON"),
        ("(CNN) —", "CNN", None),
        ("PORT SUDAN, Sudan, June 4 (Reuters) -", "Reuters", "PORT SUDAN, Sudan"),
    ],
)
def test_segment_dateline_is_its_own_block(
    dateline: str, credit: str | None, place: str | None
) -> None:
    text = f"{dateline} {BODY}\n\n{OTHER_BODY}"
    blocks = segment(text, settings=DEFAULTS)
    assert kinds_of(text, blocks)[:2] == [("dateline", dateline), ("body", BODY)]
    assert (blocks[0].credit, blocks[0].place) == (credit, place)
    assert blocks[1].credit == credit


def test_segment_dateline_further_down_is_split_too() -> None:
    text = f"{BODY}\n\nKABUL, Aug 24 (Reuters) - {OTHER_BODY}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[1:] == [
        ("dateline", "KABUL, Aug 24 (Reuters) -"),
        ("body", OTHER_BODY),
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        "(CNN) — At least 40% of the town's 12,000 residents have fled since the attack, "
        "officials said.",
        "Copyright lawsuits against the agency rose to 40 last year, officials said.",
        "Advertisement spending fell 12% in the region on Monday as the fighting spread.",
        "The ministry said 3,400 people had been displaced, and asked readers to follow us on "
        "the official channels for updates on the evacuation of the town, which has been shelled "
        "every night since the rebels arrived and where the water supply has been cut for a week "
        "and the hospital is running out of medicine for the wounded, doctors there said.",
    ],
)
def test_segment_news_paragraph_is_never_boilerplate(paragraph: str) -> None:
    text = f"{BODY}\n\n{paragraph}"
    blocks = segment(text, settings=DEFAULTS)
    assert all(b.kind != "boilerplate" for b in blocks)
    assert kind_at(text, blocks, paragraph.split()[-1]).kind == "body"


def test_segment_single_newline_paragraphs_are_separate_blocks() -> None:
    text = f"{BODY}\n{OTHER_BODY}\n“We will stay,” one resident said."
    assert kinds_of(text, segment(text, settings=DEFAULTS)) == [
        ("body", BODY),
        ("body", OTHER_BODY),
        ("body", "“We will stay,” one resident said."),
    ]


def test_segment_wrapped_lines_stay_one_paragraph() -> None:
    wrapped = "The rebels took the town on Friday, local\nofficials told reporters in the city."
    text = f"{BODY}\n\n{wrapped}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[1] == ("body", wrapped)


@pytest.mark.parametrize("marker", ["- ", "• ", "* ", "1. ", "2) "])
def test_segment_list_items_are_separate_blocks(marker: str) -> None:
    items = [f"{marker}Schools closed in the north", f"{marker}Roads to the border cut"]
    text = f"{BODY}\n\nThe army listed its measures:\n" + "\n".join(items)
    blocks = segment(text, settings=DEFAULTS)
    assert kinds_of(text, blocks)[1:] == [
        ("body", "The army listed its measures:"),
        ("body", items[0]),
        ("body", items[1]),
    ]


def test_segment_trailing_photo_credit_is_its_own_block() -> None:
    credit = "(Jane Doe/iStock by Getty Images)"
    text = f"{BODY}\n{OTHER_BODY}\n{credit}"
    blocks = segment(text, settings=DEFAULTS)
    assert kinds_of(text, blocks) == [("body", BODY), ("body", OTHER_BODY), ("credit", credit)]
    assert blocks[2].credit == "Jane Doe/iStock by Getty Images"


def test_segment_web_address_is_not_a_glued_teaser() -> None:
    line = "Contact the aid group at www.ReliefNow.org or by post, a spokesman said."
    text = f"{BODY}\n\n{line}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[1] == ("body", line)


def test_segment_three_short_lines_are_a_list_not_a_caption() -> None:
    lines = "Roads to the border cut\nSchools closed in the north\nMarkets shut until Friday"
    text = f"{BODY}\n\n{lines}"
    assert all(b.kind != "caption" for b in segment(text, settings=DEFAULTS))


# Pieces of real news pages: datelines, list markers, single line breaks, photo credits.
news_pieces = st.sampled_from(
    [
        "KIGALI, Rwanda - ",
        "JOHANNESBURG, August 7 (Xinhua) -- ",
        "(CNN) — ",
        "WASHINGTON — ",
        "- ",
        "• ",
        "1. ",
        "\n",
        "\n\n",
        " (Jane Doe/iStock by Getty Images)",
        "(AFP: Jane Doe)",
        BODY,
        "Fighters take the pass",
        "said.",
        "www.Example.com",
        "©",
        " ",
    ]
)


@hypothesis.settings(max_examples=300, deadline=None)
@given(st.lists(news_pieces | st.text(max_size=12), max_size=14).map("".join))
def test_segment_blocks_partition_news_shaped_text(text: str) -> None:
    assert_partition(text, segment(text, settings=DEFAULTS))


def test_segment_caption_line_keeps_its_credit_line_below() -> None:
    caption = "Displaced families walk along the road to the city on Thursday."
    text = f"{BODY}\n\n{caption}\nPhoto: AFP\n\n{OTHER_BODY}"
    blocks = segment(text, settings=DEFAULTS)
    assert kinds_of(text, blocks)[1:3] == [("caption", caption), ("credit", "Photo: AFP")]


def test_segment_headline_with_present_tense_attribution_is_a_title() -> None:
    headline = "Drone strikes on the city kill four, governor says"
    text = f"{headline}\n\n{BODY}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[0] == ("title", headline)


def test_segment_photo_credit_closing_a_body_paragraph_is_split_off() -> None:
    credit = "(Jane Doe/iStock by Getty Images)"
    body = BODY + " " + OTHER_BODY
    text = f"{BODY}\n\n{body} {credit}"
    blocks = segment(text, settings=DEFAULTS)
    assert kinds_of(text, blocks)[1:] == [("body", body), ("credit", credit)]
    # A wire story's own attribution is no photo credit.
    wire = f"{body} (Reuters)"
    assert kinds_of(wire, segment(wire, settings=DEFAULTS)) == [("body", wire)]


# A headline pasted with a single line break under it, and subheads inside the story.

SINGLE_LEAD = (
    "Gunmen killed at least 12 people in a village in the north on Tuesday, officials said."
)


@pytest.mark.parametrize(
    ("headline", "lead"),
    [
        ("Gunmen kill 12 in northern village", SINGLE_LEAD),
        ("U.N. envoy meets rebel leaders in the north", BODY),
        ("Gunmen kill 12 in northern village", "Gunmen killed 12 people in the north on Tuesday."),
        ("Rebels hold the pass", "“We will not leave the valley,” a commander told reporters."),
    ],
)
def test_segment_headline_over_the_lead_after_one_line_break_is_the_title(
    headline: str, lead: str
) -> None:
    text = f"{headline}\n{lead}\n\n{OTHER_BODY}"
    assert kinds_of(text, segment(text, settings=DEFAULTS)) == [
        ("title", headline),
        ("body", lead),
        ("body", OTHER_BODY),
    ]
    # Alone with its lead, the headline is still the title: the lead is the body.
    alone = f"{headline}\n{lead}"
    assert kinds_of(alone, segment(alone, settings=DEFAULTS)) == [
        ("title", headline),
        ("body", lead),
    ]


def test_segment_byline_under_a_headline_is_metadata() -> None:
    text = f"Rebels hold the pass\nBy Jane Doe\n{BODY}\n\n{OTHER_BODY}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[:3] == [
        ("title", "Rebels hold the pass"),
        ("metadata", "By Jane Doe"),
        ("body", BODY),
    ]


@pytest.mark.parametrize(
    "text",
    [
        # A first line that reads as a sentence is the lead, whatever follows it.
        f"{LEAD}\nThe attack came a week after a raid on a nearby market, residents said.",
        # A hard-wrapped sentence: the line above is the longer one, and no headline.
        "Fighters loyal to the rebel commander attacked the\nNigerian army base in Borno.\n\n"
        + OTHER_BODY,
        # Two short lines: a headline and a standfirst, or one wrapped phrase; no lead follows.
        "Taliban advance on the valley\nFighters gather in the north\n\n" + OTHER_BODY,
        # A list under a line is a list, not a lead.
        "Schools closed in the north\n- Roads to the border cut off since the attack on Monday",
    ],
)
def test_segment_first_line_over_text_that_is_no_lead_is_not_a_title(text: str) -> None:
    blocks = segment(text, settings=DEFAULTS)
    assert all(b.kind != "title" for b in blocks), kinds_of(text, blocks)
    assert_partition(text, blocks)


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Related", "teaser"),
        ("Most read", "teaser"),
        ("Watch", "promo"),
        ("Listen", "promo"),
        ("Advertisement", "boilerplate"),
    ],
)
def test_segment_section_label_is_furniture_not_a_heading(label: str, kind: str) -> None:
    text = f"{BODY}\n\n{label}\n\n{OTHER_BODY}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[1] == (kind, label)


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Related talks collapsed on Monday, officials said.", "body"),
        ("Watch towers burned", "heading"),
        ("Airstrikes kill 50 militants", "heading"),
    ],
)
def test_segment_label_words_in_news_are_not_a_label(line: str, kind: str) -> None:
    text = f"{BODY}\n\n{line}\n\n{OTHER_BODY}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[1] == (kind, line)


@pytest.mark.parametrize(
    ("sign_off", "kind"),
    [
        ("(Reporting by Jane Doe in Kigali; Editing by John Smith)", "boilerplate"),
        ("Additional reporting by Jane Doe in Goma", "metadata"),  # a byline's shape
        (
            "Additional reporting by Jane Doe in Goma, John Smith in Kinshasa and Sam Lee in "
            "Kigali; writing by Ann Roe",
            "boilerplate",
        ),
    ],
)
def test_segment_wire_sign_off_is_furniture(sign_off: str, kind: str) -> None:
    # Not a subhead: its names and places are the newsroom's, not the story's.
    text = f"{BODY}\n\n{OTHER_BODY}\n\n{sign_off}"
    assert kinds_of(text, segment(text, settings=DEFAULTS))[2] == (kind, sign_off)

"""Syndication: near-duplicate articles and copied paragraphs, with the agency they came from."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _articles import PARAGRAPH_BREAK, article_of, segmented_article_of
from newsdesk.corpus.syndication import (
    SyndicationIndex,
    agency_name,
    block_agencies,
    find_syndication,
)
from newsdesk.records import Article

REUTERS_1 = (
    "KABUL, Aug 24 (Reuters) - Taliban fighters massed near the entrance of the Panjshir "
    "valley on Tuesday, a resistance spokesman said, as talks over the province stalled."
)
REUTERS_2 = (
    "The National Resistance Front said thousands of its fighters were ready to defend the "
    "valley, but that it still hoped to negotiate with the new rulers in Kabul."
)
REUTERS_3 = (
    "A Taliban spokesman said on Twitter that hundreds of fighters were heading to the valley "
    "after local officials refused to hand it over peacefully."
)
AFP_1 = (
    "(AFP) - More than a thousand families have fled the fighting in Baghlan province and "
    "arrived in the Panjshir valley over the past week, local officials told reporters."
)
AFP_2 = (
    "Aid workers said food and medicine were running short in the valley, which has been "
    "cut off from the main road to Kabul since the weekend."
)
OWN = (
    "Our correspondent adds: the situation remains tense and we will update this page as "
    "soon as more information becomes available from the region."
)
UNRELATED = (
    "Heavy monsoon rains flooded large parts of Karachi on Monday, cutting power to hundreds "
    "of thousands of homes and halting traffic across the southern port city for hours."
)


def _article(
    paragraphs: list[str],
    *,
    publisher: str | None = None,
    published: str | None = "2021-08-24",
    credits: dict[int, str] | None = None,
) -> Article:
    return article_of(paragraphs, publisher=publisher, published=published, credits=credits)


def _edit(paragraph: str) -> str:
    """A light sub-editor's pass: dateline dropped, a few words changed."""
    edited = paragraph.split(" - ", 1)[-1]
    return edited.replace("Tuesday", "Tuesday morning").replace("massed", "gathered")


def test_syndication_exact_copy_is_a_duplicate_with_every_block_copied() -> None:
    wire = _article([REUTERS_1, REUTERS_2, REUTERS_3], publisher="Reuters")
    copy = _article(
        [REUTERS_1, REUTERS_2, REUTERS_3], publisher="Daily Star", published="2021-08-25"
    )
    index = SyndicationIndex()
    assert index.add(wire) == ()
    records = index.add(copy)
    assert [(r.block, r.source_article, r.source_block) for r in records] == [
        (0, wire.id, 0),
        (1, wire.id, 1),
        (2, wire.id, 2),
    ]
    assert all(r.similarity == 1.0 and r.agency == "Reuters" for r in records)
    assert index.duplicate_of(copy) == wire.id
    assert index.duplicate_of(wire) is None
    assert index.duplicates() == {copy.id: wire.id}


def test_syndication_lightly_edited_copy_is_found() -> None:
    wire = _article([REUTERS_1, REUTERS_2, REUTERS_3], publisher="Reuters")
    copy = _article(
        [_edit(REUTERS_1), REUTERS_2, REUTERS_3.replace("hundreds", "scores")],
        publisher="Kabul Times",
        published="2021-08-25",
    )
    records = find_syndication([copy, wire])
    assert {(r.article, r.block, r.source_article, r.source_block) for r in records} == {
        (copy.id, 0, wire.id, 0),
        (copy.id, 1, wire.id, 1),
        (copy.id, 2, wire.id, 2),
    }
    first = next(r for r in records if r.block == 0)
    assert 0.6 <= first.similarity < 1.0
    # The copy dropped the dateline: the source's dateline still names the agency.
    assert first.agency == "Reuters"


def test_syndication_aggregator_stitching_two_agencies() -> None:
    afp = _article([AFP_1, AFP_2], publisher="Agence France-Presse")
    reuters = _article([REUTERS_1, REUTERS_2], publisher="Reuters")
    blog = _article([REUTERS_2, OWN, AFP_2, AFP_1], publisher="AceNewsDesk", published="2021-08-25")
    index = SyndicationIndex()
    index.add(afp)
    index.add(reuters)
    records = {r.block: r for r in index.add(blog)}
    assert set(records) == {0, 2, 3}
    assert (records[0].source_article, records[0].source_block) == (reuters.id, 1)
    assert records[0].agency == "Reuters"
    assert (records[2].source_article, records[2].source_block) == (afp.id, 1)
    assert records[2].agency == "AFP"
    assert records[3].agency == "AFP"
    assert index.duplicate_of(blog) is None


def test_syndication_unrelated_articles_stay_apart() -> None:
    one = _article([REUTERS_1, REUTERS_2], publisher="Reuters")
    other = _article([UNRELATED, OWN], publisher="Dawn", published="2021-08-25")
    index = SyndicationIndex()
    index.add(one)
    assert index.add(other) == ()
    assert index.duplicate_of(other) is None


def test_syndication_late_original_takes_its_copies() -> None:
    wire = _article([REUTERS_2, REUTERS_3], publisher="Reuters", published="2021-08-24")
    copy = _article([REUTERS_2, REUTERS_3], publisher="Daily Star", published="2021-08-26")
    index = SyndicationIndex()
    assert index.add(copy) == ()
    records = index.add(wire)
    assert {(r.article, r.source_article) for r in records} == {(copy.id, wire.id)}
    assert index.duplicates() == {copy.id: wire.id}
    assert index.syndications() == records


def test_syndication_credited_block_without_source_names_the_agency() -> None:
    blog = _article([OWN, AFP_1], publisher="AceNewsDesk")
    records = find_syndication([blog])
    assert [(r.block, r.source_article, r.agency, r.similarity) for r in records] == [
        (1, None, "AFP", 0.0)
    ]
    # An agency's own report is not a copy of itself.
    assert find_syndication([_article([AFP_1, OWN], publisher="AFP")]) == ()


def test_syndication_adding_an_article_twice_changes_nothing() -> None:
    wire = _article([REUTERS_1, REUTERS_2], publisher="Reuters")
    index = SyndicationIndex()
    index.add(wire)
    assert index.add(wire) == ()
    assert len(index) == 1 and wire.id in index


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("AFP: Ahmad Sahel Arman", "AFP"),
        ("Agence France-Presse", "AFP"),
        ("REUTERS/Stringer", "Reuters"),
        ("The Associated Press", "AP"),
        ("Photo: Getty Images", None),
        ("a map of the area", None),
        (None, None),
    ],
)
def test_syndication_agency_name(text: str | None, expected: str | None) -> None:
    assert agency_name(text) == expected


@pytest.mark.parametrize(
    ("paragraphs", "credits", "expected"),
    [
        ([REUTERS_1, REUTERS_2], None, {0: "Reuters", 1: "Reuters"}),
        (
            [OWN, "The minister confirmed the figures, according to Reuters news agency."],
            None,
            {1: "Reuters"},
        ),
        (
            ["Mr Nazary told the BBC's Today programme the front was ready to fight on."],
            None,
            {0: "BBC"},
        ),
        (["Troops were seen leaving the city on Tuesday night. - AFP"], None, {0: "AFP"}),
        ([OWN], {0: "Xinhua"}, {0: "Xinhua"}),
        ([OWN, UNRELATED], None, {}),
        # A dateline down the page covers its own paragraph; one opening the page, every one.
        ([OWN, AFP_1, UNRELATED], None, {1: "AFP"}),
        ([AFP_1, OWN, REUTERS_1], None, {0: "AFP", 1: "AFP", 2: "Reuters"}),
    ],
)
def test_syndication_block_agencies(
    paragraphs: list[str], credits: dict[int, str] | None, expected: dict[int, str]
) -> None:
    assert block_agencies(_article(paragraphs, publisher="Blog", credits=credits)) == expected


# -- articles as segmentation codes them now: datelines are blocks of their own ---------------

KIGALI = (
    "KIGALI, Rwanda - Rescue teams searched the rubble of a collapsed school on Wednesday, "
    "the city's mayor said, after heavy rain brought down two classroom walls overnight."
)


def _segmented(
    paragraphs: list[str], *, publisher: str | None = "Blog", published: str | None = "2021-08-24"
) -> Article:
    return segmented_article_of(paragraphs, publisher=publisher, published=published)


def _by_paragraph(article: Article, agencies: dict[int, str]) -> dict[int, str]:
    """The agencies by the paragraph their block lies in, whatever the blocks are."""
    return {
        article.text[: article.blocks[index].start].count(PARAGRAPH_BREAK): agency
        for index, agency in agencies.items()
    }


def test_syndication_dateline_block_credits_the_paragraph_it_opens() -> None:
    article = _segmented([OWN, AFP_1, UNRELATED])
    kinds = [block.kind for block in article.blocks]
    assert kinds == ["body", "dateline", "body", "body"]
    assert article.blocks[1].credit == "AFP"
    # Down the page, the dateline speaks for its own paragraph; the dateline block itself is
    # no body and gets no record.
    assert block_agencies(article) == {2: "AFP"}


def test_syndication_opening_dateline_block_covers_the_article() -> None:
    article = _segmented([AFP_1, OWN, REUTERS_1])
    assert [block.kind for block in article.blocks] == [
        "dateline",
        "body",
        "body",
        "dateline",
        "body",
    ]
    assert block_agencies(article) == {1: "AFP", 2: "AFP", 4: "Reuters"}
    # The agency's own report names no source but itself.
    assert block_agencies(_segmented([AFP_1, OWN], publisher="Agence France-Presse")) == {}


def test_syndication_dateline_block_without_agency_credits_nobody() -> None:
    article = _segmented([KIGALI, OWN])
    dateline = article.blocks[0]
    assert (dateline.kind, dateline.place, dateline.credit) == ("dateline", "KIGALI, Rwanda", None)
    assert block_agencies(article) == {}


@pytest.mark.parametrize(
    "paragraphs",
    [
        [REUTERS_1, REUTERS_2, REUTERS_3],
        [OWN, AFP_1, UNRELATED],
        [AFP_1, OWN, REUTERS_1],
        [REUTERS_2, OWN, AFP_2, AFP_1],
        [KIGALI, "Troops were seen leaving the city on Tuesday night. - AFP"],
    ],
)
def test_syndication_old_and_new_codings_credit_the_same_paragraphs(
    paragraphs: list[str],
) -> None:
    # An article stored before datelines were blocks keeps them in its body text; the
    # extractor's name did not change, so recode leaves it as it is. Both read alike.
    old = _article(paragraphs, publisher="Blog")
    new = _segmented(paragraphs)
    assert not any(block.kind == "dateline" for block in old.blocks)
    assert any(block.kind == "dateline" for block in new.blocks)
    assert _by_paragraph(new, block_agencies(new)) == _by_paragraph(old, block_agencies(old))


def test_syndication_old_coding_with_the_dateline_as_metadata() -> None:
    # A version in between set the opening dateline apart as a metadata block, leaving the
    # agency to ``Article.dateline`` alone.
    article = article_of(
        [REUTERS_2, REUTERS_3],
        publisher="Blog",
        published="2021-08-24",
        dateline="KABUL, Aug 24 (Reuters) -",
    )
    assert block_agencies(article) == {0: "Reuters", 1: "Reuters"}


def test_syndication_copy_credited_through_the_source_dateline_block() -> None:
    # A paper runs the wire story under its own name with the dateline; another copies the
    # paper's text without it. The copy's paragraphs are Reuters' through the source's
    # dateline block, whose text is no longer part of any body block.
    paper = _segmented([REUTERS_1, REUTERS_2, REUTERS_3], publisher="Kabul Times")
    copy = _segmented(
        [_edit(REUTERS_1), REUTERS_2, REUTERS_3], publisher="Daily Star", published="2021-08-25"
    )
    assert not any(block.kind == "dateline" for block in copy.blocks)
    records = find_syndication([copy, paper])
    body = [i for i, block in enumerate(paper.blocks) if block.kind == "body"]
    # The paper's own paragraphs are Reuters' too, with no copy of them in the corpus.
    assert [(r.block, r.source_article, r.agency) for r in records if r.article == paper.id] == [
        (index, None, "Reuters") for index in body
    ]
    copied = [r for r in records if r.article == copy.id]
    assert [(r.block, r.source_article, r.source_block, r.agency) for r in copied] == [
        (0, paper.id, body[0], "Reuters"),
        (1, paper.id, body[1], "Reuters"),
        (2, paper.id, body[2], "Reuters"),
    ]
    assert copied[1].similarity == 1.0


_VOCABULARY = (
    "valley fighters talks province officials refused border convoy ceasefire city "
    "militia aid corridor minister spokesman attack village river bridge checkpoint"
)
_WORDS = st.sampled_from(_VOCABULARY.split())
_PARAGRAPH = st.lists(_WORDS, min_size=25, max_size=40).map(" ".join)


@settings(max_examples=25, deadline=None)
@given(paragraphs=st.lists(_PARAGRAPH, min_size=1, max_size=4, unique=True))
def test_syndication_exact_copies_are_always_found(paragraphs: list[str]) -> None:
    original = _article(paragraphs, publisher="Wire", published="2021-08-01")
    copy = _article(paragraphs, publisher="Paper", published="2021-08-02")
    records = find_syndication([copy, original])
    copied = {(r.block, r.similarity) for r in records if r.article == copy.id}
    assert {block for block, _ in copied} == set(range(len(paragraphs)))
    assert all(similarity == 1.0 for _, similarity in copied)
    assert all(r.article == copy.id for r in records)

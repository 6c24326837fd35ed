"""An article's text as HTML with its fields marked (newsdesk/serve/highlight.py): whatever the
text and however the fields overlap, the HTML's text is the text, and each field's marked
segments spell exactly ``text[start:end]``, contiguously."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hostile import hostile_text
from newsdesk import desk
from newsdesk.records import Block
from newsdesk.serve.highlight import Field, highlight, render


@dataclass
class Chunk:
    start: int
    text: str
    fields: tuple[str, ...]
    block: str | None


@dataclass
class Parsed:
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(chunk.text for chunk in self.chunks)

    def spelled(self, field_id: str) -> tuple[int, int, str] | None:
        """Where the segments naming ``field_id`` start and end, and their text; None when
        no segment names it. Asserts the segments are contiguous."""
        mine = [chunk for chunk in self.chunks if field_id in chunk.fields]
        if not mine:
            return None
        for before, after in pairwise(mine):
            assert before.start + len(before.text) == after.start, field_id
        return mine[0].start, mine[-1].start + len(mine[-1].text), "".join(c.text for c in mine)


class _Reader(HTMLParser):
    """Reads the fragment ``render`` makes: block spans holding segment spans."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parsed = Parsed()
        self.stack: list[tuple[tuple[str, ...], str | None]] = []
        self.at = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag == "span", tag
        named = {name: value or "" for name, value in attrs}
        assert set(named) <= {"class", "data-f", "data-block", "data-kind", "tabindex"}, named
        ids = tuple(named["data-f"].split()) if "data-f" in named else ()
        block = named.get("data-block") or (self.stack[-1][1] if self.stack else None)
        self.stack.append((ids, block))

    def handle_endtag(self, tag: str) -> None:
        assert tag == "span"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        ids, block = self.stack[-1] if self.stack else ((), None)
        self.parsed.chunks.append(Chunk(self.at, data, ids, block))
        self.at += len(data)


def parse(html: str) -> Parsed:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    assert not reader.stack, "every span is closed"
    return reader.parsed


@st.composite
def marked_texts(draw: st.DrawFn) -> tuple[str, list[Field], list[Block]]:
    text = draw(st.one_of(hostile_text(max_parts=12), st.text(max_size=80)))
    size = len(text)
    spans = draw(
        st.lists(st.tuples(st.integers(-2, size + 2), st.integers(-2, size + 2)), max_size=12)
    )
    kinds = ("entity", "place", "quote", "claim", "event", "trigger", "time")
    fields = [
        Field(
            id=f"f{index}",
            kind=kinds[index % len(kinds)],
            label="<b>label</b>",
            start=start,
            end=end,
            text=text[max(start, 0) : max(end, 0)],
        )
        for index, (start, end) in enumerate(spans)
    ]
    cuts = sorted(set(draw(st.lists(st.integers(0, size), max_size=8))))
    blocks = [
        Block(kind="caption" if index % 2 else "body", start=start, end=end)
        for index, (start, end) in enumerate(pairwise(cuts))
        if draw(st.booleans())
    ]
    return text, fields, blocks


@settings(max_examples=300, deadline=None)
@given(marked_texts())
def test_highlight_keeps_the_text_and_marks_each_field_exactly(
    case: tuple[str, list[Field], list[Block]],
) -> None:
    text, fields, blocks = case
    parsed = parse(render(text, fields, blocks))
    assert parsed.text == text
    for found in fields:
        spelled = parsed.spelled(found.id)
        if 0 <= found.start < found.end <= len(text):
            assert spelled == (found.start, found.end, text[found.start : found.end])
        else:
            assert spelled is None  # empty or outside the text: never marked
    for index, block in enumerate(blocks):
        inside = "".join(c.text for c in parsed.chunks if c.block == str(index))
        assert inside == text[block.start : block.end]


def test_highlight_escapes_markup_in_the_text_and_the_kinds() -> None:
    text = '<script>alert(1)</script> "><img src=x onerror=alert(2)> &lt;b&gt;'
    fields = [Field(id="f0", kind='x"><script>', label="", start=0, end=8, text="<script>")]
    html = render(text, fields, [Block(kind="body", start=0, end=len(text))])
    assert "<script>" not in html and "<img" not in html
    assert "&amp;lt;b&amp;gt;" in html
    assert parse(html).text == text


@pytest.mark.slow
def test_highlight_marks_every_field_of_the_demo_articles_at_its_evidence(
    demo_db: Path,
) -> None:
    with desk.open_store(str(demo_db), must_exist=True) as store:
        articles = [desk.article(store, row.id) for row in desk.article_list(store)]
    assert articles
    for article in articles:
        marked = highlight(article)
        kinds = {found.kind for found in marked.fields}
        assert {"entity", "place", "time", "quantity", "quote", "claim", "event"} <= kinds
        parsed = parse(marked.html)
        assert parsed.text == article.text
        for found in marked.fields:
            assert parsed.spelled(found.id) == (found.start, found.end, found.text)
            assert article.text[found.start : found.end] == found.text


def test_timeline_bars_count_events_and_articles_per_day() -> None:
    from newsdesk.serve.timeline import HALF, timeline

    drawn = timeline(
        ["2024-07-18", "2024-07-17", "2024-07-18/2024-07-20", None], ["2024-07-18", None]
    )
    assert drawn.by == "day"
    assert [(bar.period, bar.events, bar.articles) for bar in drawn.bars] == [
        ("2024-07-17", 1, 0),
        ("2024-07-18", 2, 1),
    ]
    assert drawn.undated_events == 1
    assert drawn.bars[1].events_height == HALF
    assert drawn.bars[0].x < drawn.bars[1].x


def test_timeline_bars_are_months_over_a_long_span() -> None:
    from newsdesk.serve.timeline import timeline

    drawn = timeline(["2012", "2024-07-18", "2024-07-02", "2023"], ["2024-07-18"])
    assert drawn.by == "month"
    assert [(bar.period, bar.events) for bar in drawn.bars] == [
        ("2012-01", 1),
        ("2023-01", 1),
        ("2024-07", 2),
    ]
    assert timeline([], []).bars == ()

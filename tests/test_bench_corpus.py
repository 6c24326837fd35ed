"""The article streams of the desk-at-scale benchmark (benchmarks/_corpus.py): deterministic,
offsets true to the text, and the share of copies the docstring promises.

No spaCy: the "real" records here are made from the generated ones and from a small article
built in this file, so the record-level variants (trimmed, new headline, dateline, retold) are
checked without the Analyzer.
"""

from __future__ import annotations

import itertools
import random
import sys
from collections import Counter
from pathlib import Path

from newsdesk.corpus.desk import analyse_corpus
from newsdesk.records import Article, Block, Claim, Entity, Event, Evidence, Place, Quote

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import _corpus  # noqa: E402


def assert_true_offsets(article: Article) -> None:
    for block in article.blocks:
        assert 0 <= block.start <= block.end <= len(article.text)
    for evidence in _corpus._spans(article):
        assert article.text[evidence.start : evidence.end] == evidence.text
    title = _corpus._title_block(article)
    if title is not None:
        assert article.title == article.text[title.start : title.end]


def test_generated_stream_is_deterministic_with_unique_ids_and_true_offsets() -> None:
    first = list(itertools.islice(_corpus.generated_stream(seed=3), 400))
    again = list(itertools.islice(_corpus.generated_stream(seed=3), 400))
    assert [a.model_dump() for a in first] == [a.model_dump() for a in again]
    assert len({a.id for a in first}) == len(first)
    for article in first:
        assert_true_offsets(article)
    published = [a.published for a in first if a.published]
    assert 0 < len(first) - len(published) < 40  # about 2% undated


def test_generated_stream_copies_at_the_promised_share() -> None:
    articles = list(itertools.islice(_corpus.generated_stream(seed=5), 1500))
    results = analyse_corpus(articles)
    copying = {s.article for s in results.syndication if s.source_article}
    # 20% partial and 5% whole copies of earlier reports; a copy of the story's first report
    # is the only kind that cannot be found before it, so the share found is a little lower.
    assert 0.17 <= len(copying) / len(articles) <= 0.30
    assert 0.02 <= len(results.duplicates) / len(articles) <= 0.08
    credited = Counter(s.agency for s in results.syndication if s.agency)
    assert set(credited) <= set(_corpus.AGENCIES) and sum(credited.values()) > 20
    sizes = Counter(len(story.articles) for story in results.stories)
    assert sizes[1] > 0 and max(sizes) >= 12  # one-report stories and long-running ones


def _handmade() -> Article:
    """A short report of the project's own, with a quote, a claim that cites it and events."""
    title = "Floods cut the river road north of Tarvo"
    body = [
        "Heavy rain flooded the river road north of Tarvo on Monday, the regional council said.",
        'Council spokesman Ilmar Sepp said: "The road will stay shut until the water falls."',
        "Two bridges near Vaike were also closed, and buses were sent around the hills instead.",
    ]
    text = "\n\n".join([title, *body])
    blocks = [Block(kind="title", start=0, end=len(title))]
    for paragraph in body:
        start = text.index(paragraph)
        blocks.append(Block(kind="body", start=start, end=start + len(paragraph)))

    def span(piece: str) -> Evidence:
        start = text.index(piece)
        return Evidence(start=start, end=start + len(piece), text=piece)

    quote = Quote(speaker="e0", content=span("The road will stay shut until the water falls."),
                  kind="direct")  # fmt: skip
    return Article(
        id="hand",
        title=title,
        published="2024-05-06",
        text=text,
        blocks=tuple(blocks),
        entities=(
            Entity(id="e0", name="Ilmar Sepp", type="PERSON", mentions=(span("Ilmar Sepp"),)),
        ),
        places=(Place(name="Tarvo", mentions=(span("Tarvo"), span("Tarvo on"))),),
        quotes=(quote,),
        claims=(Claim(claimant="e0", content=quote.content, quote=0),),
        events=(
            Event(
                type="COERCE",
                trigger=span("flooded"),
                evidence=span(body[0]),
                date="2024-05-06",
                date_precision="day",
            ),
            Event(
                type="COERCE",
                trigger=span("closed"),
                evidence=span(body[2]),
                date="2024-05",
                date_precision="month",
            ),
        ),
        extractor="test",
    )


def test_trimmed_copy_drops_what_lies_past_the_cut() -> None:
    article = _handmade()
    cut = article.blocks[2].end
    trimmed = _corpus._trim(article, cut)
    assert trimmed.text == article.text[:cut]
    assert len(trimmed.blocks) == 3 and len(trimmed.events) == 1
    assert trimmed.quotes == article.quotes and trimmed.claims[0].quote == 0
    assert_true_offsets(trimmed)
    shorter = _corpus._trim(article, article.blocks[1].end)
    assert shorter.quotes == () and shorter.claims == ()


def test_new_headline_and_dateline_move_every_offset() -> None:
    article = _handmade()
    suffixed = _corpus._insert(article, article.blocks[0].end, ", officials say", grow=True)
    assert suffixed.title == article.title + ", officials say"
    prefixed = _corpus._insert(article, 0, "Update: ", grow=True)
    assert prefixed.title == "Update: " + article.title
    body = article.blocks[1].start
    dated = _corpus._insert(article, body, "TARVO (Reuters) - ", grow=True)
    opening = dated.blocks[1]
    assert dated.text[opening.start : opening.end].startswith("TARVO (Reuters) - Heavy rain")
    for variant in (suffixed, prefixed, dated):
        assert_true_offsets(variant)
        assert [e.trigger.text for e in variant.events] == ["flooded", "closed"]


def test_retold_keeps_names_and_length_and_changes_the_words() -> None:
    article = _handmade()
    pool = _corpus.word_pool([article, *itertools.islice(_corpus.generated_stream(), 50)])
    retold = _corpus._retold(random.Random(1), article, pool)
    assert len(retold.text) == len(article.text)
    assert_true_offsets(retold)
    assert retold.entities[0].mentions[0].text == "Ilmar Sepp"
    assert [e.trigger.text for e in retold.events] == ["flooded", "closed"]
    same = sum(a == b for a, b in zip(retold.text.split(), article.text.split(), strict=True))
    assert same < 0.6 * len(article.text.split())


def test_real_variants_are_deterministic_redated_and_true() -> None:
    seeds = [_handmade(), *itertools.islice(_corpus.generated_stream(seed=9), 30)]
    made = list(itertools.islice(_corpus.real_variants(seeds, seed=2, rate=50), 300))
    again = list(itertools.islice(_corpus.real_variants(seeds, seed=2, rate=50), 300))
    assert [a.model_dump() for a in made] == [a.model_dump() for a in again]
    assert len({a.id for a in made}) == len(made)
    for article in made:
        assert_true_offsets(article)
    hand = [a for a in made if "Ilmar Sepp" in a.text and a.published]
    assert hand, "the handmade seed is retold"
    for article in hand:
        # Day-precise event dates move with the report (the seed's event day is its own).
        day = [e.date for e in article.events if e.date_precision == "day"]
        assert all(d == article.published for d in day)
    shift = _corpus._shift_date("2024-06-24/2024-06-30", _corpus.timedelta(days=10))
    assert shift == "2024-07-04/2024-07-10"

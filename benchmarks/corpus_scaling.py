"""Scaling of the corpus steps: syndication, stories and event merging, from 1k to 10k articles.

The articles are Article records built by code, not by the pipeline, so the figures measure the
corpus layer alone. The corpus grows the way a real one does, over time: about 100 articles a
day, so a 10k corpus spans 100 days and each day's density stays the same. Overlap is controlled:

- stories of about 10 articles each, with their own two knowledge-base actors, a named person,
  a place (gazetteer id, country, coordinates) and a topic vocabulary;
- 20% of the articles republish some paragraphs of an earlier article of their story (half
  exact, half lightly edited), and 5% are whole copies;
- two events per article (type, actors, place and date of its story, a death toll in some).

Near-linear growth means the ratio of each step's time to its 1k time stays close to N/1k.
Run from the project root:  python benchmarks/corpus_scaling.py [--sizes 1000 2000 5000 10000]
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from datetime import date, timedelta

from _common import environment, format_table, peak_rss_mib, write_json
from newsdesk.corpus.merging import merge_events
from newsdesk.corpus.stories import StoryClusterer
from newsdesk.corpus.syndication import SyndicationIndex
from newsdesk.records import Article, Block, Entity, Event, Evidence, Place, Quantity

ARTICLES_PER_DAY = 100
STORY_SIZE = 10
PUBLISHERS = [f"Outlet {i}" for i in range(60)] + ["Reuters", "AFP", "AP"]
TYPES = ["ASSAULT", "COERCE", "PROTEST", "CONSULT", "MOBILIZE", "THREATEN", "AID"]
START = date(2021, 1, 1)
STEPS = ("syndication_s", "stories_s", "merging_s")


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(4, 10))) for _ in range(size)]


class _Story:
    def __init__(self, rng: random.Random, number: int, common: list[str], day: int) -> None:
        self.number = number
        self.day = day
        self.words = rng.sample(common, 25)
        self.actors = [
            (f"GRP.S{number}A", f"Group{number}a"),
            (f"GRP.S{number}B", f"Group{number}b"),
        ]
        self.person = f"Person{number}"
        self.place = Place(
            name=f"Town{number}",
            country=f"C{number % 40:02d}",
            lat=rng.uniform(-50, 50),
            lon=rng.uniform(-150, 150),
            precision=1,
            gazetteer_id=f"gz{number}",
        )
        self.types = rng.sample(TYPES, 2)
        self.articles: list[list[str]] = []


def _paragraph(rng: random.Random, story: _Story, common: list[str]) -> str:
    words = [
        rng.choice(story.words) if rng.random() < 0.3 else rng.choice(common[:2000])
        for _ in range(rng.randint(35, 55))
    ]
    subject = story.actors[0][1]
    return f"{subject} {rng.choice(['attacked', 'met', 'warned'])} " + " ".join(words) + "."


def _edited(rng: random.Random, paragraph: str) -> str:
    words = paragraph.split()
    for _ in range(2):
        words[rng.randrange(2, len(words))] = "edited"
    return " ".join(words)


def generate(n: int, *, seed: int = 7) -> list[Article]:
    rng = random.Random(seed)
    common = _vocabulary(rng, 6000)
    days = max(1, n // ARTICLES_PER_DAY)
    stories: list[_Story] = []
    articles: list[Article] = []
    for i in range(n):
        day = i * days // n
        if not stories or rng.random() < 1 / STORY_SIZE:
            stories.append(_Story(rng, len(stories), common, day))
        # A recent story (within about a week) gets the article.
        recent = [s for s in stories[-80:] if day - s.day <= 6] or stories[-1:]
        story = rng.choice(recent)
        roll = rng.random()
        if story.articles and roll < 0.05:
            paragraphs = list(rng.choice(story.articles))
        elif story.articles and roll < 0.25:
            source = rng.choice(story.articles)
            paragraphs = [
                p if rng.random() < 0.5 else _edited(rng, p) for p in rng.sample(source, 2)
            ] + [_paragraph(rng, story, common) for _ in range(rng.randint(1, 3))]
        else:
            paragraphs = [_paragraph(rng, story, common) for _ in range(rng.randint(3, 6))]
        story.articles.append(paragraphs)
        articles.append(_article(rng, i, story, paragraphs, START + timedelta(days=day)))
    return articles


def _article(
    rng: random.Random, number: int, story: _Story, paragraphs: list[str], published: date
) -> Article:
    text = "\n\n".join(paragraphs)
    blocks, offset = [], 0
    for paragraph in paragraphs:
        blocks.append(Block(kind="body", start=offset, end=offset + len(paragraph)))
        offset += len(paragraph) + 2
    entities = [
        Entity(id=f"e{j}", name=name, type="ORG", actor=actor)
        for j, (actor, name) in enumerate(story.actors)
    ] + [Entity(id="e2", name=story.person, type="PERSON")]
    events = []
    for k in range(2):
        block = blocks[k % len(blocks)]
        sentence = Evidence(start=block.start, end=block.end, text=text[block.start : block.end])
        trigger_end = block.start + text[block.start :].index(" ")
        trigger = Evidence(start=block.start, end=trigger_end, text=text[block.start : trigger_end])
        quantities = ()
        if k == 0 and rng.random() < 0.3:
            quantities = (
                Quantity(value=float(rng.choice([10, 12])), unit="dead", evidence=trigger),
            )
        events.append(
            Event(
                type=story.types[k],
                source=("e0",),
                target=("e1",),
                place=0,
                date=(published - timedelta(days=rng.randint(0, 1))).isoformat(),
                date_precision="day",
                quantities=quantities,
                trigger=trigger,
                evidence=sentence,
            )
        )
    return Article(
        id=f"a{number:07d}",
        publisher=rng.choice(PUBLISHERS),
        published=published.isoformat(),
        text=text,
        blocks=tuple(blocks),
        entities=tuple(entities),
        places=(story.place,),
        events=tuple(events),
        extractor="benchmark",
    )


def _run(articles: list[Article]) -> dict[str, float | int]:
    """One pass of the three steps over the articles, timed step by step."""
    started = time.perf_counter()
    index = SyndicationIndex()
    for article in articles:
        index.add(article)
    syndication = index.syndications()
    synd_s = time.perf_counter() - started

    started = time.perf_counter()
    clusterer = StoryClusterer()
    for article in articles:
        clusterer.add(article)
    stories = clusterer.stories()
    stories_s = time.perf_counter() - started

    started = time.perf_counter()
    merged = merge_events(articles, syndication=syndication, stories=clusterer.assignments())
    merge_s = time.perf_counter() - started
    return {
        "articles": len(articles),
        "syndication_s": round(synd_s, 3),
        "stories_s": round(stories_s, 3),
        "merging_s": round(merge_s, 3),
        "syndication_records": len(syndication),
        "duplicates": len(index.duplicates()),
        "stories": len(stories),
        "merged_events": len(merged),
    }


def measure(n: int, *, repeat: int, freeze: bool) -> dict[str, float | int]:
    """The best of ``repeat`` passes for each step (the machine may be shared)."""
    articles = generate(n)
    if freeze:
        # The input records live as long as the run: frozen, the cyclic garbage collector stops
        # rescanning them in every full collection, pauses that grow with the corpus and make
        # the timings noisy (see --no-freeze).
        gc.collect()
        gc.freeze()
    runs = [_run(articles) for _ in range(repeat)]
    if freeze:
        gc.unfreeze()
    best = dict(runs[0])
    for step in STEPS:
        best[step] = min(run[step] for run in runs)
    return best


def slices(n: int, *, size: int = 1000) -> list[list[str]]:
    """Seconds to add each successive ``size`` articles to a growing index and clusterer.

    Near-linear growth shows as a flat column: the 10th thousand costs what the 1st did.
    """
    articles = generate(n)
    gc.collect()
    gc.freeze()
    index, clusterer = SyndicationIndex(), StoryClusterer()
    rows = []
    for start in range(0, n, size):
        part = articles[start : start + size]
        started = time.perf_counter()
        for article in part:
            index.add(article)
        middle = time.perf_counter()
        for article in part:
            clusterer.add(article)
        done = time.perf_counter()
        rows.append([f"{start + 1}-{start + len(part)}", f"{middle - started:.2f}",
                     f"{done - middle:.2f}"])  # fmt: skip
    gc.unfreeze()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 5000, 10000])
    parser.add_argument(
        "--no-freeze", action="store_true", help="leave the input records to the collector"
    )
    parser.add_argument("--repeat", type=int, default=2, help="passes per size; best is kept")
    parser.add_argument("--slices", action="store_true", help="per-1k cost at the largest size")
    args = parser.parse_args()
    rows = [measure(n, repeat=args.repeat, freeze=not args.no_freeze) for n in args.sizes]
    base = rows[0]
    table = []
    for row in rows:
        scale = row["articles"] / base["articles"]
        cells = [str(row["articles"]), f"{scale:g}"]
        for step in STEPS:
            cells += [f"{row[step]:.2f}", f"{row[step] / base[step]:.2f}"]
        cells += [
            str(row[k]) for k in ("syndication_records", "duplicates", "stories", "merged_events")
        ]
        table.append(cells)
    header = [
        "articles", "x", "synd s", "ratio", "stories s", "ratio", "merge s", "ratio",
        "synd records", "dups", "stories", "merged",
    ]  # fmt: skip
    print(format_table(header, table))
    increments = slices(max(args.sizes)) if args.slices else []
    if increments:
        print()
        print(format_table(["added", "synd s", "stories s"], increments))
    print(f"peak memory: {peak_rss_mib():.0f} MiB")
    path = write_json(
        "corpus_scaling.json",
        {
            "environment": environment(),
            "freeze": not args.no_freeze,
            "rows": rows,
            "slices": increments,
            "peak_rss_mib": round(peak_rss_mib(), 1),
        },
    )
    print(f"written: {path}")


if __name__ == "__main__":
    main()

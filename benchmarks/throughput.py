"""Throughput and peak memory: bare spaCy against newsdesk, on the same texts, in one run.

Arms, each in its own subprocess so that each peak-memory figure is that arm's alone:

- ``bare``: ``spacy.load(model)`` then ``nlp.pipe(texts)``: the floor newsdesk builds on;
- ``entities``: the newsdesk pipeline with only ``newsdesk_entities`` switched on;
- ``places``: ``newsdesk_entities`` and ``newsdesk_places`` (the gazetteer's cost is here);
- ``claims``: every component but ``newsdesk_events`` and ``newsdesk_verification`` (times,
  quantities, quotes and claims cost the difference from ``places``);
- ``pipeline``: ``newsdesk.load_pipeline(model)`` then ``nlp.pipe(texts)``: spaCy plus every
  newsdesk component (events and verification cost the difference from ``claims``), without
  ingest or building records;
- ``analyze``: ``newsdesk.Analyzer().analyze_many(texts)``: the whole product path, raw text in,
  Article (or Rejected) records out.

The texts are the project's demo articles (``src/newsdesk/demo/*.txt``), repeated until there
are ``--n`` of them; every repeat after the first permutes the article's long body paragraphs
(seeded, so every arm and every run gets the same texts), so no two inputs are identical and a
cache or duplicate check cannot make an arm look faster than it is.

Each arm loads its pipeline (timed separately), warms up on a few texts, then is timed over all
``--n`` texts. Run from the project root:  python benchmarks/throughput.py [--n 200]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from _common import (
    DEFAULT_MODEL,
    DEMO_DIR,
    environment,
    format_table,
    has_newsdesk_pipeline,
    peak_rss_mib,
    write_json,
)

ARMS = ("bare", "entities", "places", "claims", "pipeline", "analyze")
NEEDS_NEWSDESK = frozenset({"entities", "places", "claims", "pipeline", "analyze"})
# Arms that run the newsdesk pipeline with its later components switched off, so the cost of
# each stage reads as the difference between two arms of the same run.
_LATER = ["newsdesk_times", "newsdesk_quantities", "newsdesk_quotes", "newsdesk_claims"]
_LAST = ["newsdesk_events", "newsdesk_verification"]
DISABLED = {
    "entities": ["newsdesk_places", *_LATER, *_LAST],
    "places": [*_LATER, *_LAST],
    "claims": _LAST,
}
WARMUP_TEXTS = 4
# nlp.pipe batch size when newsdesk's settings cannot say (newsdesk's own default is 4).
FALLBACK_BATCH_SIZE = 4
# Paragraphs this long are body text; shorter ones (titles, bylines, captions, promos, footer
# lines) stay where they are, so each variant keeps the shape of a real page.
BODY_MIN_WORDS = 25


def demo_articles(folder: Path = DEMO_DIR) -> list[str]:
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        sys.exit(f"no demo articles (*.txt) in {folder}")
    return [path.read_text(encoding="utf-8") for path in paths]


def variant(text: str, seed: int) -> str:
    """The article with its long body paragraphs permuted; seed 0 is the article unchanged."""
    if seed == 0:
        return text
    paragraphs = text.split("\n\n")
    body = [i for i, p in enumerate(paragraphs) if i > 1 and len(p.split()) >= BODY_MIN_WORDS]
    order = body[:]
    random.Random(seed).shuffle(order)
    out = paragraphs[:]
    for slot, source in zip(body, order, strict=True):
        out[slot] = paragraphs[source]
    return "\n\n".join(out)


def make_texts(n: int) -> list[str]:
    articles = demo_articles()
    return [variant(articles[i % len(articles)], i // len(articles)) for i in range(n)]


def word_count(texts: Iterable[str]) -> int:
    return sum(len(text.split()) for text in texts)


def run_arm(arm: str, texts: list[str], *, model: str, batch_size: int) -> dict[str, Any]:
    """Load, warm up and time one arm in this process; return its figures."""
    started = time.perf_counter()
    outcomes: dict[str, int] = {}
    if arm == "bare":
        import spacy

        nlp = spacy.load(model)
    elif arm in NEEDS_NEWSDESK:
        import newsdesk

        nlp = newsdesk.load_pipeline(model=model)
    else:
        raise ValueError(f"unknown arm {arm!r}; expected one of {ARMS}")

    if arm == "analyze":
        # The same batch size as the other arms, so the comparison is of work, not batching.
        settings = newsdesk.load_settings()
        settings = replace(settings, model=replace(settings.model, batch_size=batch_size))
        analyzer = newsdesk.Analyzer(settings=settings, nlp=nlp)

        def process(batch: list[str]) -> None:
            for record in analyzer.analyze_many(batch):
                kind = type(record).__name__
                outcomes[kind] = outcomes.get(kind, 0) + 1

    else:
        disabled = DISABLED.get(arm, [])

        def process(batch: list[str]) -> None:
            for _doc in nlp.pipe(batch, batch_size=batch_size, disable=disabled):
                pass

    load_seconds = time.perf_counter() - started
    process(texts[:WARMUP_TEXTS])
    outcomes.clear()
    rss_before = peak_rss_mib()

    started = time.perf_counter()
    process(texts)
    seconds = time.perf_counter() - started

    words = word_count(texts)
    return {
        "arm": arm,
        "pipe_names": list(nlp.pipe_names),
        "texts": len(texts),
        "words": words,
        "characters": sum(len(text) for text in texts),
        "load_seconds": round(load_seconds, 3),
        "seconds": round(seconds, 3),
        "articles_per_second": round(len(texts) / seconds, 2),
        "words_per_second": round(words / seconds, 1),
        "peak_rss_mib_after_warmup": round(rss_before, 1),
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "outcomes": outcomes,
    }


def default_batch_size() -> int:
    """newsdesk's configured batch size, so the bare arm batches as the product does."""
    if not has_newsdesk_pipeline():
        return FALLBACK_BATCH_SIZE
    import newsdesk

    size: int = newsdesk.load_settings().model.batch_size
    return size


def run_in_subprocess(arm: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        arm,
        "--n",
        str(args.n),
        "--model",
        args.model,
        "--batch-size",
        str(args.batch_size),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"arm {arm} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def print_table(arms: list[dict[str, Any]]) -> None:
    bare = next((arm for arm in arms if arm["arm"] == "bare"), None)
    header = ["arm", "texts", "load s", "run s", "articles/s", "words/s", "x bare", "peak MiB"]
    rows = []
    for arm in arms:
        ratio = arm["articles_per_second"] / bare["articles_per_second"] if bare else None
        rows.append(
            [
                arm["arm"],
                str(arm["texts"]),
                f"{arm['load_seconds']:.2f}",
                f"{arm['seconds']:.2f}",
                f"{arm['articles_per_second']:.2f}",
                f"{arm['words_per_second']:.0f}",
                f"{ratio:.3f}" if ratio is not None else "-",
                f"{arm['peak_rss_mib']:.0f}",
            ]
        )
    print(format_table(header, rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="number of texts per arm")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy pipeline for every arm")
    parser.add_argument(
        "--batch-size",
        type=int,
        help="texts per nlp.pipe batch in every arm (default: newsdesk's [model] batch_size)",
    )
    parser.add_argument(
        "--arms", default=",".join(ARMS), help=f"comma-separated subset of {','.join(ARMS)}"
    )
    parser.add_argument("--out", default="throughput.json", help="file name in results/")
    parser.add_argument("--worker", choices=ARMS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        texts = make_texts(args.n)
        batch_size = args.batch_size or FALLBACK_BATCH_SIZE
        result = run_arm(args.worker, texts, model=args.model, batch_size=batch_size)
        print(json.dumps(result))
        return 0

    wanted = [arm.strip() for arm in args.arms.split(",") if arm.strip()]
    unknown = sorted(set(wanted) - set(ARMS))
    if unknown:
        sys.exit(f"unknown arms {unknown}; choose from {', '.join(ARMS)}")
    notes = []
    if not has_newsdesk_pipeline() and NEEDS_NEWSDESK & set(wanted):
        notes.append("newsdesk.load_pipeline is not available yet; only the bare arm was run")
        print(notes[-1], file=sys.stderr)
        wanted = [arm for arm in wanted if arm not in NEEDS_NEWSDESK]
    if not wanted:
        sys.exit("no arm to run")

    if args.batch_size is None:
        args.batch_size = default_batch_size()
    texts = make_texts(args.n)
    print(
        f"{len(texts)} texts from {len(demo_articles())} demo articles, {word_count(texts)} words, "
        f"model {args.model}, batch size {args.batch_size}; each arm in its own process",
        file=sys.stderr,
    )
    results = [run_in_subprocess(arm, args) for arm in wanted]
    print_table(results)
    bare = next((arm for arm in results if arm["arm"] == "bare"), None)
    ratios = {
        arm["arm"]: round(arm["articles_per_second"] / bare["articles_per_second"], 4)
        for arm in results
        if bare and arm is not bare
    }
    path = write_json(
        args.out,
        {
            "benchmark": "throughput",
            "model": args.model,
            "n": args.n,
            "batch_size": args.batch_size,
            "warmup_texts": WARMUP_TEXTS,
            "environment": environment(),
            "arms": results,
            "ratio_to_bare": ratios,
            "notes": notes,
        },
    )
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

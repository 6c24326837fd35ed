"""Main-text extraction from HTML on the article-extraction benchmark (scrapinghub).

Data: ``../shared/eval/article-extraction``: 181 gzipped web pages (``html/<key>.html.gz``) and
``ground-truth.json`` (``{key: {"articleBody": ..., "url": ...}}``).

System: newsdesk's reading of a page, without spaCy: ``ingest.read`` (decoding, trafilatura,
newsdesk's paragraphs and hints), then segmentation, exactly as ``Analyzer`` prepares a text for
the pipeline (``pipeline.segment_source``; an ``Analyzer`` with a blank spaCy ``Language`` reads
the input).
Two texts are scored per page:

- **analysed** (headline): the body the NLP stages read, the page's ``body`` blocks as
  ``pipeline.segment_source`` cuts them. This is what a fact can come from. The title and
  subheads are analysed too, but the ground truth is the article body without its headline, so
  title and heading blocks are left out of this figure;
- **extracted**: the whole text ingest kept (``Source.text``: every block, title, captions and
  furniture included), which is what ``trafilatura`` plus newsdesk's caption handling returns.

A page that ingest rejects (too short, not a language newsdesk reads, ...) is scored with an
empty text, as the benchmark scores an extractor that returns nothing; the rejections are
counted by reason, and both figures are also given over the accepted pages only (the benchmark
mixes languages; newsdesk reads English by default and rejects the rest, ``R107``).

Scoring is the benchmark's own (``evaluate.py`` in scrapinghub/article-extraction-benchmark),
written again here: each text is split into ``\\w+`` tokens (case kept), then into 4-token
shingles (a text of fewer than 4 tokens is one shorter shingle; no token, no shingle); shingles
are counted as multisets (true positives = the smaller count of each shingle, false positives
and negatives the excess on either side); each page's TP/FP/FN are divided by their sum so that
every page weighs the same; precision is averaged over the pages with TP + FP > 0, recall over
those with TP + FN > 0 (a page scores 1.0 when it has neither FP nor FN), and F1 is the
harmonic mean of the two averages. No bootstrap intervals.

Run from the project root:  python benchmarks/extraction_articles.py [--data DIR] [--limit N]
"""

from __future__ import annotations

import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import SHARED_EVAL, environment, format_table, write_json

SHINGLE = 4
_TOKEN = re.compile(r"\w+")
DATA = SHARED_EVAL / "article-extraction"
Counts = tuple[float, float, float]


@dataclass(frozen=True, slots=True)
class Page:
    key: str
    url: str | None
    truth: str
    path: Path


@dataclass(frozen=True, slots=True)
class Extracted:
    analysed: str
    extracted: str
    rejected: str | None = None
    """The rejection reason code, when ingest refused the page."""


# --- data ------------------------------------------------------------------------------------


def load_pages(root: Path = DATA) -> list[Page]:
    """Every page of the ground truth, in key order, with the path of its HTML."""
    truth_path = root / "ground-truth.json"
    if not truth_path.is_file():
        raise FileNotFoundError(
            f"article-extraction data not found at {root}: pass --data DIR "
            "(see ../shared/eval/README.md)"
        )
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        path = root / "html" / f"{key}.html.gz"
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: the ground truth lists it")
        pages.append(Page(key, truth[key].get("url"), truth[key].get("articleBody") or "", path))
    return pages


# --- system ----------------------------------------------------------------------------------


def newsdesk_reader() -> Any:
    """An ``Analyzer`` whose pipeline is a blank English ``Language``: reading and segmenting
    run as in ``newsdesk analyze``, and no model is loaded."""
    import spacy

    from newsdesk.attributes import declare_extensions
    from newsdesk.pipeline import Analyzer

    declare_extensions()
    return Analyzer(nlp=spacy.blank("en"))


def extract(analyzer: Any, page: Page) -> Extracted:
    from newsdesk.pipeline import segment_source
    from newsdesk.records import Rejected

    source = analyzer._read(_input(page))
    if isinstance(source, Rejected):
        return Extracted("", "", rejected=source.code)
    # The pipeline's own segmentation; titles and subheads are analysed too, but the gold is the
    # article's body text, so only body blocks are scored.
    blocks = segment_source(source, settings=analyzer.settings)
    body = "\n".join(source.text[b.start : b.end] for b in blocks if b.kind == "body")
    return Extracted(analysed=body, extracted=source.text)


def _input(page: Page) -> Any:
    from newsdesk.records import Input

    return Input(data=gzip.decompress(page.path.read_bytes()), url=page.url, origin=page.key)


def run(analyzer: Any, pages: Sequence[Page]) -> tuple[list[Extracted], float]:
    started = time.perf_counter()
    found = [extract(analyzer, page) for page in pages]
    return found, time.perf_counter() - started


# --- scoring (the benchmark's rules) ---------------------------------------------------------


def shingles(text: str, size: int = SHINGLE) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def page_counts(truth: str, predicted: str) -> Counts:
    """One page's TP, FP and FN over shingles, divided by their sum (all zero when empty)."""
    wanted, found = shingles(truth), shingles(predicted)
    tp = float(sum((wanted & found).values()))
    fp = float(sum((found - wanted).values()))
    fn = float(sum((wanted - found).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else tp / (tp + fn)


def metrics(counts: Iterable[Counts]) -> dict[str, float]:
    rows = list(counts)
    precisions = [_precision(*row) for row in rows if row[0] + row[1] > 0]
    recalls = [_recall(*row) for row in rows if row[0] + row[2] > 0]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def score(pages: Sequence[Page], found: Sequence[Extracted]) -> dict[str, Any]:
    analysed = [page_counts(p.truth, e.analysed) for p, e in zip(pages, found, strict=True)]
    extracted = [page_counts(p.truth, e.extracted) for p, e in zip(pages, found, strict=True)]
    rejected = Counter(e.rejected for e in found if e.rejected)
    worst = sorted(
        zip(pages, analysed, strict=True),
        key=lambda pair: pair[1][0],
    )[:10]
    kept = [index for index, e in enumerate(found) if not e.rejected]
    return {
        "pages": len(pages),
        "analysed": metrics(analysed),
        "extracted": metrics(extracted),
        "rejected": dict(rejected.most_common()),
        "accepted_pages": len(kept),
        "analysed_accepted_only": metrics(analysed[i] for i in kept),
        "extracted_accepted_only": metrics(extracted[i] for i in kept),
        "lowest_analysed_tp": [
            {"key": page.key[:12], "url": page.url, "tp": round(counts[0], 3)}
            for page, counts in worst
        ],
    }


# --- report ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the benchmark's folder")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    parser.add_argument("--out", default="extraction_articles.json", help="file name in results/")
    args = parser.parse_args(argv)
    try:
        pages = load_pages(args.data)
    except FileNotFoundError as error:
        sys.exit(str(error))
    pages = pages[: args.limit] if args.limit else pages
    analyzer = newsdesk_reader()
    found, seconds = run(analyzer, pages)
    scores = score(pages, found)
    print(f"article-extraction: {len(pages)} pages, {seconds:.1f} s (ingest + segmentation)")
    rows = [
        [name, *(f"{scores[name][key]:.3f}" for key in ("precision", "recall", "f1"))]
        for name in (
            "analysed",
            "extracted",
            "analysed_accepted_only",
            "extracted_accepted_only",
        )
    ]
    print(format_table(["text", "precision", "recall", "F1"], rows))
    print(f"rejected by ingest (scored as empty): {scores['rejected'] or 'none'}")
    print("lowest true-positive share (analysed text): ")
    for row in scores["lowest_analysed_tp"]:
        print(f"  {row['tp']:.3f}  {row['url']}")
    path = write_json(
        args.out,
        {
            "benchmark": "extraction_articles",
            "data": str(args.data),
            "environment": environment(),
            "seconds": round(seconds, 2),
            "scores": scores,
        },
    )
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

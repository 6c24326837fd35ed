"""Quote extraction on the project's Wikinews gold set: content spans and speakers.

Gold: ``benchmarks/gold/quotes-wikinews.jsonl`` (154 quotes in 45 fully annotated GeoVirus
Wikinews articles; offsets only, the texts are read from ``../shared``). See
``benchmarks/gold/README.md`` for what counts as a quote.

Scores, over the fully annotated articles only (so a quote newsdesk finds that the gold lacks is
a real false positive):

- content precision, recall and F1, **exact** (same span, ignoring surrounding quote marks,
  spaces and final punctuation) and **overlap** (the spans share at least one character; each
  gold quote matches at most one prediction);
- **speaker accuracy** over the gold quotes that a prediction matches by overlap: right when
  the predicted speaker entity's name or one of its mentions agrees with the gold speaker
  (the gold ``speaker_name``, its last word as a surname, or the gold speaker span), or the
  words the prediction names the speaker with match the gold speaker span ("Officials", "the
  statement"), or both say there is no speaker; and speaker precision, recall and F1 end to
  end (a predicted quote counts only if its content overlaps a gold quote and its speaker is
  right).

The published citron figures on PARC 3.0 (speaker F1 82.0, content exact F1 59.3) are printed
beside ours for orientation; they are measured on another corpus.

Run from the project root:  python benchmarks/quotes_wikinews.py
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import environment, format_table, write_json
from quotes_gold import GoldQuote, load_gold

CITRON = {"speaker_f1": 0.820, "content_exact_f1": 0.593}
_TRIM = " \t\n\"'“”‘’«».,;:!?"
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")


@dataclass(frozen=True)
class Predicted:
    content: tuple[int, int]
    speaker_names: frozenset[str]
    """Lower-cased name and mention texts of the predicted speaker entity, or empty."""
    speaker_text: str | None


def trimmed(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start, end = span
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def predict(nlp: Any, text: str) -> list[Predicted]:
    from newsdesk import attributes

    doc = nlp(text)
    entities = {entity.id: entity for entity in doc._.get(attributes.ENTITIES)}
    found = []
    for quote in doc._.get(attributes.QUOTES):
        names: set[str] = set()
        entity = entities.get(quote.speaker or "")
        if entity is not None:
            names = {entity.name.casefold(), *(m.text.casefold() for m in entity.mentions)}
            names |= {alias.casefold() for alias in entity.aliases}
        found.append(
            Predicted(
                content=(quote.content.start, quote.content.end),
                speaker_names=frozenset(names),
                speaker_text=quote.speaker_text,
            )
        )
    return found


def speaker_right(gold: GoldQuote, text: str, predicted: Predicted) -> bool:
    if gold.speaker_name is None and gold.speaker is None:
        return not predicted.speaker_names
    wanted: set[str] = set()
    if gold.speaker_name:
        for name in gold.speaker_name.split(";"):
            name = name.strip().casefold()
            wanted |= {name, name.split()[-1]} if name else set()
    if gold.speaker is not None:
        wanted.add(text[gold.speaker[0] : gold.speaker[1]].casefold())
    names = set(predicted.speaker_names)
    names |= {name.split()[-1] for name in predicted.speaker_names if name.split()}
    # The words naming the speaker at the quote count too: "Officials" said, "the statement".
    if predicted.speaker_text:
        names.add(_ARTICLE.sub("", predicted.speaker_text.casefold()).strip())
    wanted = {_ARTICLE.sub("", name).strip() for name in wanted}
    return bool(names & wanted)


def score(
    texts: dict[int, str], gold: list[GoldQuote], articles: set[int], nlp: Any
) -> dict[str, Any]:
    counts = {"gold": 0, "predicted": 0, "exact": 0, "overlap": 0, "speaker_matched": 0}
    speaker_right_count = 0
    gold_with_speaker = sum(1 for quote in gold if quote.speaker_name or quote.speaker)
    predicted_with_speaker = 0
    for article in sorted(articles):
        text = texts[article]
        wanted = [quote for quote in gold if quote.article == article]
        found = predict(nlp, text)
        counts["gold"] += len(wanted)
        counts["predicted"] += len(found)
        predicted_with_speaker += sum(1 for q in found if q.speaker_names or q.speaker_text)
        exact_spans = {trimmed(text, p.content) for p in found}
        used: set[int] = set()
        for quote in wanted:
            if trimmed(text, quote.content) in exact_spans:
                counts["exact"] += 1
            best = max(
                (
                    (overlap(quote.content, p.content), index)
                    for index, p in enumerate(found)
                    if index not in used
                ),
                default=(0, -1),
            )
            if best[0] <= 0:
                continue
            used.add(best[1])
            counts["overlap"] += 1
            counts["speaker_matched"] += 1
            if speaker_right(quote, text, found[best[1]]):
                speaker_right_count += 1
    return {
        **counts,
        "content_exact": prf(counts["exact"], counts["predicted"], counts["gold"]),
        "content_overlap": prf(counts["overlap"], counts["predicted"], counts["gold"]),
        "speaker_accuracy_on_matched": round(speaker_right_count / counts["speaker_matched"], 3)
        if counts["speaker_matched"]
        else 0.0,
        "speaker": prf(speaker_right_count, predicted_with_speaker, gold_with_speaker),
    }


def prf(right: int, predicted: int, gold: int) -> dict[str, float]:
    precision = right / predicted if predicted else 0.0
    recall = right / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="GeoVirus.xml (default ../shared)")
    args = parser.parse_args(argv)
    texts, gold, articles = load_gold(data=args.data)
    import newsdesk

    nlp = newsdesk.load_pipeline()
    if "newsdesk_quotes" not in nlp.pipe_names:
        sys.exit("newsdesk_quotes is not in newsdesk.load_pipeline(): nothing to score yet")
    started = time.perf_counter()
    scores = score(texts, gold, articles, nlp)
    rows = [
        ["content exact P / R / F1", *_triple(scores["content_exact"])],
        ["content overlap P / R / F1", *_triple(scores["content_overlap"])],
        ["speaker P / R / F1", *_triple(scores["speaker"])],
    ]
    print(
        f"{len(articles)} articles, {scores['gold']} gold quotes, {scores['predicted']} predicted"
    )
    print(format_table(["figure", "precision", "recall", "F1"], rows))
    print(f"speaker accuracy on matched quotes: {scores['speaker_accuracy_on_matched']}")
    print(
        f"citron on PARC 3.0 (another corpus): speaker F1 {CITRON['speaker_f1']}, "
        f"content exact F1 {CITRON['content_exact_f1']}"
    )
    write_json(
        "quotes_wikinews.json",
        {
            "benchmark": "quotes_wikinews",
            "environment": environment(),
            "seconds": round(time.perf_counter() - started, 2),
            "scores": scores,
            "citron_parc3": CITRON,
        },
    )
    return 0


def _triple(figures: dict[str, float]) -> list[str]:
    return [f"{figures['precision']:.3f}", f"{figures['recall']:.3f}", f"{figures['f1']:.3f}"]


if __name__ == "__main__":
    raise SystemExit(main())

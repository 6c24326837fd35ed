"""Score where events happened on the event_location gold: the place of one marked event.

The data (Halterman, ``ahalterman/event_location``) is Prodigy annotation: news sentences, each
with one VERB span (the event) and the LOCATION span(s) where that event happened, or no
LOCATION span when the sentence does not say where. Items with ``source == "RELABEL"`` (496)
are adjudicated gold and scored by default; ``--all`` scores every item with one VERB span, and
``--single`` only the single-annotator items (not RELABEL). The event-place rules were written
while reading the RELABEL errors; the single-annotator items were never read, so ``--single``
is the held-out check (their labels are noisier, so every system scores lower there).

Systems, over the item's text:

- ``no-place``: always "no place";
- ``nearest-ner``: the spaCy GPE/LOC/FAC entity nearest (in tokens) to the verb in the verb's
  sentence, or no place when that sentence has none;
- ``newsdesk``: ``newsdesk.load_pipeline()``; the event whose trigger overlaps the gold verb
  (the most confident if several; if none does, the event whose trigger is nearest to it), its
  ``place`` (an index into ``doc._.newsdesk_places``) and that Place's mentions in the event's
  sentence (all its mentions when it has none there). Skipped, with a note, while the pipeline
  has no ``newsdesk_events`` component.

Accuracy (headline): right when a predicted place mention overlaps a gold LOCATION span (any of
them when the gold marks several), or when both say "no place". Also reported on the items with
a gold place and on those without.

Run from the project root:  python benchmarks/events_location.py [--data PATH] [--all | --single]
"""

from __future__ import annotations

import json
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import (
    SHARED_EVAL,
    environment,
    format_table,
    ratio,
    score_newsdesk_arm,
    scorer_parser,
    spans_overlap,
    write_json,
)

EVENTS_COMPONENT = "newsdesk_events"
NER_LABELS = frozenset({"GPE", "LOC", "FAC"})
GOLD_SOURCE = "RELABEL"
Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    source: str
    text: str
    verb: Span
    locations: tuple[Span, ...]


@dataclass(slots=True)
class Corpus:
    items: list[Item]
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Prediction:
    spans: tuple[Span, ...]
    """Mentions of the predicted place; empty for "no place"."""
    name: str = ""
    how: str = ""
    """For newsdesk: how the event was chosen (covering, nearest, no-event)."""


# Place mention roles that tell whose a name is, not where (``Evidence.role``).
AFFILIATIONS = frozenset({"in_name", "demonym"})

# --- data ------------------------------------------------------------------------------------


def read_records(path: Path) -> list[dict[str, Any]]:
    """The annotation records, from the zip (or a bare file): a JSON list or JSON lines.

    The released ``labeled_text.jsonl`` is, despite its name, one JSON array on one line.
    """
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.endswith(".jsonl") and "__MACOSX" not in n]
            if not names:
                sys.exit(f"no .jsonl file inside {path}")
            raw = archive.read(names[0]).decode("utf-8")
    else:
        raw = path.read_text(encoding="utf-8")
    stripped = raw.lstrip()
    if stripped.startswith("["):
        records = json.loads(stripped)
    else:
        records = [json.loads(line) for line in raw.splitlines() if line.strip()]
    return [record for record in records if isinstance(record, dict)]


def token_span(record: dict[str, Any], span: dict[str, Any], counts: Counter[str]) -> Span:
    """Character offsets of a span from its tokens.

    Many LOCATION spans of the released file carry broken character offsets (start == end, or
    offsets of another token) while their token indices are right, so tokens decide; a span
    whose own offsets disagree is counted.
    """
    tokens = record.get("tokens") or []
    start_token, end_token = span.get("token_start"), span.get("token_end")
    if (
        isinstance(start_token, int)
        and isinstance(end_token, int)
        and 0 <= start_token <= end_token < len(tokens)
    ):
        start, end = int(tokens[start_token]["start"]), int(tokens[end_token]["end"])
        if (start, end) != (span.get("start"), span.get("end")):
            counts[f"{span.get('label')} char offsets differ from tokens (tokens used)"] += 1
        return start, end
    counts[f"{span.get('label')} without usable tokens (char offsets used)"] += 1
    return int(span["start"]), int(span["end"])


def load_items(path: Path, *, subset: str = GOLD_SOURCE) -> Corpus:
    """The scorable items of ``subset``: "RELABEL", "single" (every other item) or "all"."""
    records = read_records(path)
    counts: Counter[str] = Counter()
    items: list[Item] = []
    for record in records:
        counts["records"] += 1
        source = str(record.get("source") or "")
        if source == GOLD_SOURCE:
            counts["RELABEL records"] += 1
        if (subset == GOLD_SOURCE and source != GOLD_SOURCE) or (
            subset == "single" and source == GOLD_SOURCE
        ):
            continue
        counts[f"answer {record.get('answer')}"] += 1
        if record.get("answer") not in (None, "accept"):
            counts["skipped: answer not accept"] += 1
            continue
        spans = record.get("spans") or []
        verbs = [s for s in spans if s.get("label") == "VERB"]
        if len(verbs) != 1:
            counts[f"skipped: {len(verbs)} VERB spans"] += 1
            continue
        text = str(record.get("text") or "")
        verb = token_span(record, verbs[0], counts)
        locations = tuple(
            sorted(token_span(record, s, counts) for s in spans if s.get("label") == "LOCATION")
        )
        items.append(
            Item(
                id=str(record.get("_id") or record.get("doc_id") or len(items)).strip(),
                source=source,
                text=text,
                verb=verb,
                locations=locations,
            )
        )
    counts["items scored"] = len(items)
    counts["items with a gold place"] = sum(1 for item in items if item.locations)
    counts["items with several gold LOCATION spans"] = sum(
        1 for item in items if len(item.locations) > 1
    )
    counts["duplicate texts"] = len(items) - len({item.text for item in items})
    return Corpus(items, dict(counts))


# --- systems ---------------------------------------------------------------------------------


def sentence_of(doc: Any, offset: int) -> Any:
    """The sentence of ``doc`` that contains the character ``offset`` (else the last before it)."""
    chosen = None
    for sent in doc.sents:
        if sent.start_char <= offset:
            chosen = sent
        if sent.start_char <= offset < sent.end_char:
            return sent
    return chosen if chosen is not None else doc[:]


def token_distance(a: Span, b: Span, doc: Any) -> int:
    """Distance in tokens between two character spans of ``doc``."""

    def tokens(span: Span) -> tuple[int, int]:
        first = last = None
        for token in doc:
            if token.idx + len(token.text) > span[0] and token.idx < span[1]:
                first = token.i if first is None else first
                last = token.i
        if first is None or last is None:
            index = min(range(len(doc)), key=lambda i: abs(doc[i].idx - span[0]))
            return index, index
        return first, last

    (a0, a1), (b0, b1) = tokens(a), tokens(b)
    return max(0, b0 - a1, a0 - b1)


def no_place(doc: Any, item: Item) -> Prediction:
    return Prediction(())


def nearest_ner(doc: Any, item: Item) -> Prediction:
    sentence = sentence_of(doc, item.verb[0])
    candidates = [ent for ent in sentence.ents if ent.label_ in NER_LABELS]
    if not candidates:
        return Prediction(())
    best = min(
        candidates,
        key=lambda ent: (token_distance((ent.start_char, ent.end_char), item.verb, doc), ent.start),
    )
    return Prediction(((best.start_char, best.end_char),), name=best.text)


def newsdesk_place(doc: Any, item: Item) -> Prediction:
    from newsdesk import attributes

    events = doc._.get(attributes.EVENTS)
    places = doc._.get(attributes.PLACES)
    if not events:
        return Prediction((), how="no-event")
    covering = [e for e in events if spans_overlap((e.trigger.start, e.trigger.end), item.verb)]
    if covering:
        event = max(covering, key=lambda e: e.confidence)
        how = "covering"
    else:
        event = min(
            events,
            key=lambda e: (
                max(0, item.verb[0] - e.trigger.end, e.trigger.start - item.verb[1]),
                -e.confidence,
            ),
        )
        how = "nearest"
    if event.place is None or not 0 <= event.place < len(places):
        return Prediction((), how=how)
    place = places[event.place]
    sentence = sentence_of(doc, event.trigger.start)
    # The place's names: a demonym or a place inside an organisation's name ("Kenyan
    # police", "the U.S. Embassy") says whose, not where (see ``Evidence.role``).
    named = [m for m in place.mentions if m.role not in AFFILIATIONS] or list(place.mentions)
    mentions = [
        (m.start, m.end) for m in named if sentence.start_char <= m.start < sentence.end_char
    ]
    if not mentions:
        mentions = [(m.start, m.end) for m in named]
        how += ", mentions outside the sentence"
    return Prediction(tuple(mentions), name=place.name, how=how)


def run_system(
    nlp: Any, extract: Callable[[Any, Item], Prediction], items: Sequence[Item]
) -> tuple[list[Prediction], float]:
    started = time.perf_counter()
    predictions = [
        extract(doc, item) for item, doc in zip(items, nlp.pipe(i.text for i in items), strict=True)
    ]
    return predictions, time.perf_counter() - started


# --- scoring ---------------------------------------------------------------------------------


def score_system(items: Sequence[Item], predictions: Sequence[Prediction]) -> dict[str, Any]:
    tally: Counter[str] = Counter()
    how: Counter[str] = Counter()
    wrong: list[dict[str, Any]] = []
    for item, prediction in zip(items, predictions, strict=True):
        if prediction.how:
            how[prediction.how] += 1
        has_gold = bool(item.locations)
        if has_gold:
            right = any(
                spans_overlap(mine, gold) for mine in prediction.spans for gold in item.locations
            )
            tally["gold place"] += 1
            tally["gold place, right"] += right
            if not prediction.spans:
                tally["gold place, predicted none"] += 1
            elif not right:
                tally["gold place, predicted another place"] += 1
        else:
            right = not prediction.spans
            tally["no gold place"] += 1
            tally["no gold place, right"] += right
        tally["right"] += right
        if prediction.how.startswith("covering"):
            tally["covering"] += 1
            tally["covering, right"] += right
        if not right and len(wrong) < 25:
            wrong.append(
                {
                    "id": item.id,
                    "verb": item.text[item.verb[0] : item.verb[1]],
                    "gold": [item.text[s:e] for s, e in item.locations],
                    "predicted": prediction.name or None,
                    "how": prediction.how or None,
                }
            )
    n = len(items)
    scores: dict[str, Any] = {
        "items": n,
        "accuracy": ratio(tally["right"], n),
        "accuracy_gold_place": ratio(tally["gold place, right"], tally["gold place"]),
        "accuracy_no_gold_place": ratio(tally["no gold place, right"], tally["no gold place"]),
        "gold_place_items": tally["gold place"],
        "no_gold_place_items": tally["no gold place"],
        "gold_place_predicted_none": tally["gold place, predicted none"],
        "gold_place_predicted_another": tally["gold place, predicted another place"],
        "no_gold_place_predicted_a_place": tally["no gold place"] - tally["no gold place, right"],
        "examples_wrong": wrong,
    }
    if how:
        scores["event_choice"] = dict(how.most_common())
        scores["verb_covered_by_an_event"] = tally["covering"]
        scores["accuracy_when_verb_covered"] = ratio(tally["covering, right"], tally["covering"])
    return scores


# --- report ----------------------------------------------------------------------------------

ROWS = (
    ("accuracy", "accuracy"),
    ("accuracy, gold place", "accuracy_gold_place"),
    ("accuracy, no gold place", "accuracy_no_gold_place"),
    ("gold place: predicted none", "gold_place_predicted_none"),
    ("gold place: predicted another", "gold_place_predicted_another"),
    ("no gold place: predicted one", "no_gold_place_predicted_a_place"),
    ("verb covered by an event", "verb_covered_by_an_event"),
    ("accuracy when verb covered", "accuracy_when_verb_covered"),
)


def cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def print_report(results: dict[str, Any]) -> None:
    systems = results["systems"]
    rows = [
        [label, *(cell(figures["scores"].get(key)) for figures in systems.values())]
        for label, key in ROWS
        if any(key in figures["scores"] for figures in systems.values())
    ]
    rows.append(["seconds", *(cell(figures["seconds"]) for figures in systems.values())])
    print(format_table(["figure", *systems], rows))
    for name, figures in systems.items():
        if "event_choice" in figures["scores"]:
            print(f"\n{name}: event chosen by {figures['scores']['event_choice']}")
    for name, figures in systems.items():
        if name == "no-place":
            continue
        print(f"\n{name}: first wrong items (verb | gold | predicted)")
        for row in figures["scores"]["examples_wrong"][:10]:
            print(f"  {row['verb']} | {', '.join(row['gold']) or '-'} | {row['predicted'] or '-'}")


def main(argv: list[str] | None = None) -> int:
    parser = scorer_parser(
        __doc__,
        data=SHARED_EVAL / "event-location" / "labeled_text.jsonl.zip",
        data_help="labeled_text.jsonl.zip (or the unzipped labeled_text.jsonl)",
        systems=("baselines", "newsdesk", "all"),
        system_help="which systems to score (newsdesk is skipped while it has no events component)",
        out=None,
    )
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument(
        "--all",
        dest="subset",
        action="store_const",
        const="all",
        default=GOLD_SOURCE,
        help="score every item, not only the adjudicated RELABEL gold",
    )
    chosen.add_argument(
        "--single",
        dest="subset",
        action="store_const",
        const="single",
        help="score only the single-annotator items: held out while the rules were written",
    )
    parser.add_argument("--limit", type=int, default=None, help="score only the first N items")
    args = parser.parse_args(argv)

    if not args.data.exists():
        sys.exit(
            f"event_location data not found at {args.data}: pass --data PATH "
            "(see ../shared/eval/README.md)"
        )
    corpus = load_items(args.data, subset=args.subset)
    items = corpus.items[: args.limit] if args.limit else corpus.items
    if not items:
        sys.exit(f"no scorable items in {args.data}")
    suffix = "" if args.subset == GOLD_SOURCE else f"_{args.subset}"
    out = args.out or f"events_location{suffix}.json"

    import spacy

    results: dict[str, Any] = {
        "benchmark": "events_location",
        "data": str(args.data),
        "subset": args.subset,
        "items": len(items),
        "data_counts": corpus.counts,
        "model": args.model,
        "environment": environment(),
        "systems": {},
        "notes": [],
    }
    if args.system in ("baselines", "all"):
        nlp = spacy.load(args.model)
        for name, extract in (("no-place", no_place), ("nearest-ner", nearest_ner)):
            predictions, seconds = run_system(nlp, extract, items)
            results["systems"][name] = {
                "seconds": round(seconds, 2),
                "scores": score_system(items, predictions),
            }
        results["systems"]["nearest-ner"]["labels"] = sorted(NER_LABELS)
    if args.system in ("newsdesk", "all"):
        score_newsdesk_arm(
            results,
            component=EVENTS_COMPONENT,
            model=args.model,
            run=lambda nlp: run_system(nlp, newsdesk_place, items),
            score=lambda predictions: score_system(items, predictions),
        )
    if not results["systems"]:
        sys.exit("nothing was scored")

    counts = corpus.counts
    print(
        f"event_location ({results['subset']}): {len(items)} items, "
        f"{counts['items with a gold place']} with a gold place "
        f"({counts['items with several gold LOCATION spans']} with several), "
        f"{counts['duplicate texts']} duplicate texts, model {args.model}"
    )
    skipped = {k: v for k, v in counts.items() if k.startswith(("skipped", "LOCATION", "VERB"))}
    print(f"data: {skipped}\n")
    print_report(results)
    path = write_json(out, results)
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

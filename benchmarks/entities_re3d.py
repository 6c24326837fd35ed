"""Score entity mentions on re3d: plain spaCy NER against newsdesk's entities.

re3d (dstl/re3d) is conflict reporting about Syria and Iraq with hand-checked entity mentions.
This script scores Person, Organisation and Location mentions for two systems:

- ``spacy``: the plain pipeline's ``doc.ents``;
- ``newsdesk``: every mention of every entity in ``doc._.newsdesk_entities`` from
  ``newsdesk.load_pipeline()`` (skipped, with a note, while the package lacks it).

Both map types the same way: PERSON -> Person, ORG -> Organisation, GPE/LOC/FAC -> Location;
anything else (NORP, DATE, ...) is not counted. Gold is every re3d mention of those three types
with confidence >= --min-confidence (re3d's confidence is the probability, from its annotation
model, that the mention is right; rejected machine suggestions carry 0).

Figures, per type and micro-averaged:
- exact: predicted (start, end, type) equals a gold mention's;
- exact-nodet: the same after dropping a leading "the"/"The" and a trailing "'s" on both sides,
  because re3d includes the article ("the Kurdish YPG") where spaCy does not;
- overlap: a prediction is right if it overlaps a gold mention of the same type, and a gold
  mention is found if some prediction of its type overlaps it;
- recall on named gold: re3d also marks pronouns ("we", "he") and descriptions ("the village",
  "ground forces") that no NER system is meant to find, so recall is also given over the gold
  mentions that look like names (first word after an article is capitalised, not a pronoun).

Run from the project root:  python benchmarks/entities_re3d.py [--data PATH] [--system spacy]
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _common import (
    SHARED_EVAL,
    environment,
    format_table,
    has_newsdesk_pipeline,
    scorer_parser,
    write_json,
)

TYPES = ("Person", "Organisation", "Location")
SPACY_TO_RE3D = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "GPE": "Location",
    "LOC": "Location",
    "FAC": "Location",
}
MATCHES = ("exact", "exact-nodet", "overlap")
PRONOUNS = frozenset(
    {
        "i",
        "me",
        "my",
        "we",
        "us",
        "our",
        "ours",
        "it",
        "its",
        "he",
        "him",
        "his",
        "she",
        "her",
        "hers",
        "they",
        "them",
        "their",
        "theirs",
        "you",
        "your",
        "this",
        "that",
        "these",
        "those",
        "who",
        "which",
    }
)
DETERMINERS = ("the ", "The ", "THE ")
POSSESSIVES = ("'s", "’s")


@dataclass(frozen=True, slots=True)
class Mention:
    doc_id: str
    start: int
    end: int
    type: str


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    source: str
    text: str


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """re3d files are mongoexport output: one JSON object per line."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


@dataclass(frozen=True, slots=True)
class Gold:
    documents: list[Document]
    mentions: list[Mention]
    # Mentions of the scored types below the confidence threshold: mostly a bare name nested
    # in an accepted longer span ("Boris Johnson" inside "Foreign Secretary Boris Johnson").
    rejected: frozenset[Mention]
    # Gold values that differ from text[begin:end]; see load_re3d.
    mismatched: int


def load_re3d(root: Path, *, min_confidence: float) -> Gold:
    """Documents and gold mentions of the three scored types from every sub-folder.

    re3d offsets index the document text as a Python string; the few values that differ from
    text[begin:end] are whitespace or quotes that the annotation tool normalised in ``value``,
    not shifted offsets, and are counted, not dropped.
    """
    documents: list[Document] = []
    gold: list[Mention] = []
    rejected: set[Mention] = set()
    mismatched = 0
    folders = sorted(path.parent for path in root.glob("*/documents.json"))
    for folder in folders:
        texts: dict[str, str] = {}
        for row in read_jsonl(folder / "documents.json"):
            texts[row["_id"]] = row["text"]
            documents.append(Document(id=row["_id"], source=folder.name, text=row["text"]))
        for row in read_jsonl(folder / "entities.json"):
            if row["type"] not in TYPES:
                continue
            mention = Mention(row["documentId"], row["begin"], row["end"], row["type"])
            if row["confidence"] < min_confidence:
                rejected.add(mention)
                continue
            text = texts[row["documentId"]]
            if text[row["begin"] : row["end"]] != row["value"]:
                mismatched += 1
            gold.append(mention)
    return Gold(documents, sorted(set(gold), key=_order), frozenset(rejected), mismatched)


def _order(mention: Mention) -> tuple[str, int, int, str]:
    return (mention.doc_id, mention.start, mention.end, mention.type)


def strip_determiner(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets without a leading "the " or a trailing possessive "'s"."""
    span = text[start:end]
    for determiner in DETERMINERS:
        if span.startswith(determiner) and len(span) > len(determiner):
            start += len(determiner)
            break
    span = text[start:end]
    for possessive in POSSESSIVES:
        if span.endswith(possessive) and len(span) > len(possessive):
            end -= len(possessive)
            break
    return start, end


def looks_named(text: str) -> bool:
    """A gold mention that a name tagger is meant to find: "Iraq", "the SDF", "Gen. Coe"."""
    for determiner in DETERMINERS:
        if text.startswith(determiner):
            text = text[len(determiner) :]
            break
    words = text.split()
    if not words or words[0].lower() in PRONOUNS:
        return False
    return words[0][0].isupper() or words[0][0].isdigit()


def score_exact(predicted: set[Mention], gold: set[Mention]) -> dict[str, float]:
    correct = len(predicted & gold)
    return prf(correct, len(predicted), correct, len(gold))


def score_overlap(predicted: set[Mention], gold: set[Mention]) -> dict[str, float]:
    def overlapping(mention: Mention, pool: dict[tuple[str, str], list[Mention]]) -> bool:
        return any(
            other.start < mention.end and mention.start < other.end
            for other in pool.get((mention.doc_id, mention.type), ())
        )

    gold_index = index_by_doc(gold)
    predicted_index = index_by_doc(predicted)
    right = sum(overlapping(mention, gold_index) for mention in predicted)
    found = sum(overlapping(mention, predicted_index) for mention in gold)
    return prf(right, len(predicted), found, len(gold))


def index_by_doc(mentions: Iterable[Mention]) -> dict[tuple[str, str], list[Mention]]:
    index: dict[tuple[str, str], list[Mention]] = {}
    for mention in mentions:
        index.setdefault((mention.doc_id, mention.type), []).append(mention)
    return index


def prf(right: int, predicted: int, found: int, gold: int) -> dict[str, float]:
    precision = right / predicted if predicted else 0.0
    recall = found / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "predicted": predicted,
        "gold": gold,
    }


def nodet(mentions: Iterable[Mention], texts: dict[str, str]) -> set[Mention]:
    out = set()
    for mention in mentions:
        start, end = strip_determiner(texts[mention.doc_id], mention.start, mention.end)
        out.add(Mention(mention.doc_id, start, end, mention.type))
    return out


def score_system(
    predicted: list[Mention], gold: list[Mention], texts: dict[str, str]
) -> dict[str, dict[str, dict[str, float]]]:
    """{match: {type or "micro": figures}}, plus recall over named gold for each match."""
    named_gold = {m for m in gold if looks_named(texts[m.doc_id][m.start : m.end])}
    results: dict[str, dict[str, dict[str, float]]] = {}
    for match in MATCHES:
        per_type: dict[str, dict[str, float]] = {}
        for kind in (*TYPES, "micro"):
            pred = {m for m in predicted if kind in ("micro", m.type)}
            gold_set = {m for m in gold if kind in ("micro", m.type)}
            named = {m for m in named_gold if kind in ("micro", m.type)}
            if match == "exact":
                figures = score_exact(pred, gold_set)
                figures["recall_named"] = score_exact(pred, named)["recall"]
            elif match == "exact-nodet":
                figures = score_exact(nodet(pred, texts), nodet(gold_set, texts))
                figures["recall_named"] = score_exact(nodet(pred, texts), nodet(named, texts))[
                    "recall"
                ]
            else:
                figures = score_overlap(pred, gold_set)
                figures["recall_named"] = score_overlap(pred, named)["recall"]
            figures["gold_named"] = len(named)
            per_type[kind] = figures
        results[match] = per_type
    return results


def spacy_mentions(doc: Any, doc_id: str) -> list[Mention]:
    return [
        Mention(doc_id, ent.start_char, ent.end_char, SPACY_TO_RE3D[ent.label_])
        for ent in doc.ents
        if ent.label_ in SPACY_TO_RE3D
    ]


def newsdesk_mentions(doc: Any, doc_id: str) -> list[Mention]:
    out = []
    for entity in doc._.newsdesk_entities:
        label = str(getattr(entity.type, "value", entity.type))
        if label not in SPACY_TO_RE3D:
            continue
        for evidence in entity.mentions:
            if evidence.role == "reference":
                continue  # a pronoun or description, not a named mention
            out.append(Mention(doc_id, evidence.start, evidence.end, SPACY_TO_RE3D[label]))
    return out


def run_system(
    name: str,
    nlp: Any,
    extract: Callable[[Any, str], list[Mention]],
    documents: list[Document],
) -> tuple[list[Mention], float]:
    started = time.perf_counter()
    predicted: list[Mention] = []
    docs = nlp.pipe(document.text for document in documents)
    for document, doc in zip(documents, docs, strict=True):
        if doc.text != document.text:
            sys.exit(f"{name}: the pipeline changed the text of {document.id}; offsets would drift")
        predicted.extend(extract(doc, document.id))
    return sorted(set(predicted), key=_order), time.perf_counter() - started


def print_table(results: dict[str, Any]) -> None:
    systems = list(results["systems"])
    header = ["match", "type", "gold"]
    for system in systems:
        header += [f"{system} P", f"{system} R", f"{system} F1", f"{system} R-named"]
    rows = []
    for match in MATCHES:
        for kind in (*TYPES, "micro"):
            first = results["systems"][systems[0]]["scores"][match][kind]
            row = [match, kind, str(first["gold"])]
            for system in systems:
                figures = results["systems"][system]["scores"][match][kind]
                row += [
                    f"{figures['precision']:.3f}",
                    f"{figures['recall']:.3f}",
                    f"{figures['f1']:.3f}",
                    f"{figures['recall_named']:.3f}",
                ]
            rows.append(row)
    print(format_table(header, rows))


def main(argv: list[str] | None = None) -> int:
    parser = scorer_parser(
        __doc__,
        data=SHARED_EVAL / "re3d",
        data_help="re3d folder",
        systems=("spacy", "newsdesk", "both"),
        system_help="which system to score (newsdesk is skipped while load_pipeline is missing)",
        out="entities_re3d.json",
    )
    parser.add_argument("--min-confidence", type=float, default=0.5)
    args = parser.parse_args(argv)

    if not args.data.is_dir():
        sys.exit(
            f"re3d not found at {args.data}: pass --data PATH to the folder that holds the "
            "re3d sub-folders (each with documents.json and entities.json)"
        )
    loaded = load_re3d(args.data, min_confidence=args.min_confidence)
    documents, gold = loaded.documents, loaded.mentions
    if not documents:
        sys.exit(f"no documents.json under {args.data}: is this the re3d folder?")
    texts = {document.id: document.text for document in documents}

    import spacy

    results: dict[str, Any] = {
        "benchmark": "entities_re3d",
        "data": str(args.data),
        "documents": len(documents),
        "characters": sum(len(text) for text in texts.values()),
        "gold_mentions": len(gold),
        "gold_value_mismatches": loaded.mismatched,
        "min_confidence": args.min_confidence,
        "model": args.model,
        "type_map": SPACY_TO_RE3D,
        "environment": environment(),
        "systems": {},
        "notes": [],
    }
    if args.system in ("spacy", "both"):
        predicted, seconds = run_system("spacy", spacy.load(args.model), spacy_mentions, documents)
        results["systems"]["spacy"] = {
            "seconds": round(seconds, 2),
            "false_positives_on_rejected_gold": len(set(predicted) & loaded.rejected),
            "scores": score_system(predicted, gold, texts),
        }
    if args.system in ("newsdesk", "both"):
        if has_newsdesk_pipeline():
            import newsdesk

            nlp = newsdesk.load_pipeline(model=args.model)
            predicted, seconds = run_system("newsdesk", nlp, newsdesk_mentions, documents)
            results["systems"]["newsdesk"] = {
                "seconds": round(seconds, 2),
                "false_positives_on_rejected_gold": len(set(predicted) & loaded.rejected),
                "pipe_names": list(nlp.pipe_names),
                "scores": score_system(predicted, gold, texts),
            }
        else:
            note = "newsdesk.load_pipeline is not available yet; newsdesk was not scored"
            print(note, file=sys.stderr)
            results["notes"].append(note)
    if not results["systems"]:
        sys.exit("nothing was scored")

    print(
        f"re3d: {len(documents)} documents, {len(gold)} gold mentions "
        f"(Person/Organisation/Location, confidence >= {args.min_confidence}), model {args.model}"
    )
    print_table(results)
    for name, system in results["systems"].items():
        print(
            f"{name}: {system['false_positives_on_rejected_gold']} exact false positives are "
            f"re3d mentions of the same type below the confidence threshold ({system['seconds']} s)"
        )
    path = write_json(args.out, results)
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

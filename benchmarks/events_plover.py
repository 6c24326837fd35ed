"""Score event typing and source/target actors on the PLOVER gold standard records (GSR).

The PLOVER GSR (Open Event Data Alliance, 2016) is 322 sentences from the CAMEO manual, edited,
each coded with one PLOVER event type, the source and target actors (the words that name them,
``actorText``, and a country or international code such as ``HUN`` or ``IGO``), sometimes a mode.
Older type names are mapped to the current ontology: DEMAND -> REQUEST, DISAPPROVE and
INVESTIGATE -> ACCUSE, FIGHT -> ASSAULT.

Systems, each over the sentence text alone (the gold ``eventText`` is never an input):

- ``majority``: every sentence gets the most frequent gold type, its first spaCy entity
  (PERSON, NORP, ORG, GPE, LOC, FAC) as source and its second as target, matched by span: what
  position alone earns on these clean sentences;
- ``keyword``: a small verb -> type table (written for this script, not fitted to the data) over
  the lemma of the sentence's root verb; through a speech verb ("X said Y would ...") to its
  clausal complement; an unknown verb gets the majority type. Its source is the verb's subject
  noun chunk (with coordinated ones), its target the object (passives swapped), matched by span;
- ``newsdesk``: the events of ``doc._.newsdesk_events`` from ``newsdesk.load_pipeline()``
  (skipped, with a note, while the pipeline has no ``newsdesk_events`` component).

Scores:

- event-type accuracy (headline, ``top-1``): right when the main event (highest confidence; the
  first by position on a tie) has the gold type; a sentence with no event is wrong. ``any``:
  right when some event of the sentence has the gold type;
- per-type precision, recall and F1 of the main event's type;
- mode agreement over the sentences whose gold mode is not empty (the gold uses the 2016 mode
  names; ``lenient`` also accepts the 2021 name of the same mode, see ``MODE_ALIASES``);
- source and target accuracy over the sentences with gold sources / targets (headline): right
  when one predicted actor of the main event matches one gold actor by span (one of its mentions
  overlaps an occurrence of the gold ``actorText`` in the sentence). Every system is scored by
  this rule alone. In a reciprocal event (markup ``SRC/TAR``) the gold lists both sides as
  sources and has no target; there the predicted targets count as sources too;
- the same, **lenient**, reported apart: a predicted actor also matches by code (its
  knowledge-base actor id, the id's first part, or its country equals the gold code), a credit
  only a system with a knowledge base can earn, and one that accepts any entity of the right
  country. It was inside the headline figures before issue 10.

Run from the project root:  python benchmarks/events_plover.py [--data PATH] [--system ...]
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
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
TYPE_MAP = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
NO_EVENT = "(none)"
# Codes in the file that are not ISO 3166 alpha-3.
CODE_ALIASES = {"JAP": "JPN", "ITL": "ITA"}
# 2016 gold mode -> the 2021 CAMEO2PLOVER name of the same mode (lenient mode agreement).
MODE_ALIASES = {
    "strike-hun": "hunger",
    "demo-org": "demo",
    "demo-spon": "demo",
    "riot-spon": "riot",
}
SPEECH_VERBS = frozenset(
    {"say", "tell", "announce", "report", "state", "add", "claim", "confirm", "quote", "note"}
)
# The keyword baseline's table: written from the PLOVER manual's type definitions, not tuned on
# the GSR sentences.
KEYWORDS: dict[str, tuple[str, ...]] = {
    "AGREE": ("agree", "sign", "pledge", "promise", "offer", "propose", "commit", "settle"),
    "CONSULT": (
        "meet",
        "visit",
        "host",
        "talk",
        "negotiate",
        "discuss",
        "consult",
        "telephone",
        "phone",
        "confer",
    ),
    "SUPPORT": (
        "support",
        "praise",
        "endorse",
        "welcome",
        "back",
        "commend",
        "applaud",
        "recognize",
        "recognise",
        "thank",
    ),
    "CONCEDE": ("concede", "apologize", "apologise", "admit", "allow", "grant", "yield", "accede"),
    "COOPERATE": ("cooperate", "collaborate", "share", "coordinate", "extradite"),
    "AID": ("aid", "help", "assist", "donate", "provide", "supply", "give", "deliver", "fund"),
    "RETREAT": ("withdraw", "retreat", "release", "free", "evacuate", "disarm", "demobilize"),
    "REQUEST": ("demand", "request", "ask", "urge", "call", "appeal", "plead", "seek", "insist"),
    "ACCUSE": (
        "accuse",
        "criticize",
        "criticise",
        "condemn",
        "blame",
        "denounce",
        "charge",
        "allege",
        "investigate",
        "probe",
        "deplore",
        "complain",
    ),
    "REJECT": ("reject", "refuse", "deny", "decline", "veto", "oppose", "dismiss", "resist"),
    "THREATEN": ("threaten", "warn"),
    "PROTEST": ("protest", "demonstrate", "march", "rally", "strike", "riot", "picket", "boycott"),
    "SANCTION": ("sanction", "expel", "suspend", "cut", "recall", "freeze", "embargo", "cancel"),
    "MOBILIZE": ("mobilize", "mobilise", "deploy", "mass", "station", "reinforce"),
    "COERCE": (
        "arrest",
        "detain",
        "seize",
        "confiscate",
        "impose",
        "ban",
        "censor",
        "deport",
        "destroy",
        "demolish",
        "raid",
        "jail",
        "imprison",
        "occupy",
        "blockade",
        "evict",
        "restrict",
    ),
    "ASSAULT": (
        "attack",
        "kill",
        "bomb",
        "shell",
        "fire",
        "shoot",
        "fight",
        "clash",
        "assassinate",
        "murder",
        "torture",
        "beat",
        "massacre",
        "ambush",
        "invade",
        "wound",
        "injure",
        "explode",
        "detonate",
        "abduct",
        "kidnap",
        "rape",
        "execute",
        "bombard",
        "storm",
    ),
}
VERB_TYPES = {lemma: kind for kind, lemmas in KEYWORDS.items() for lemma in lemmas}


@dataclass(frozen=True, slots=True)
class GoldActor:
    text: str
    code: str | None
    sector: str | None
    spans: tuple[tuple[int, int], ...]
    """Every occurrence of the actor text in the sentence (empty when it could not be found)."""


@dataclass(frozen=True, slots=True)
class Sentence:
    id: str
    text: str
    raw_type: str
    type: str
    mode: str | None
    sources: tuple[GoldActor, ...]
    targets: tuple[GoldActor, ...]
    reciprocal: bool


@dataclass(frozen=True, slots=True)
class PredActor:
    spans: tuple[tuple[int, int], ...]
    actor: str | None = None
    country: str | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class PredEvent:
    type: str
    mode: str | None = None
    confidence: float = 0.0
    start: int = 0
    sources: tuple[PredActor, ...] = ()
    targets: tuple[PredActor, ...] = ()
    trigger: str = ""


@dataclass(slots=True)
class Corpus:
    sentences: list[Sentence]
    skipped: dict[str, int] = field(default_factory=dict)
    unlocated_actor_texts: list[str] = field(default_factory=list)


# --- data ------------------------------------------------------------------------------------


def locate(actor_text: str, text: str) -> tuple[tuple[int, int], ...]:
    """Every span of ``text`` where ``actor_text`` stands, forgiving the file's markup habits.

    Gold actor texts collapse gaps with ".." or "..." ("U.S. ... negotiators" for "U.S. and
    Russian negotiators") and carry doubled or stray spaces; each piece is found on its own,
    words joined by any whitespace, case-insensitively. A piece that is not found is looked up
    word by word (words of three or more letters).
    """
    spans: list[tuple[int, int]] = []
    for piece in re.split(r"\s*\.{2,}\s*", actor_text):
        words = piece.split()
        if not words:
            continue
        pattern = r"\s+".join(re.escape(word) for word in words)
        found = [(m.start(), m.end()) for m in re.finditer(pattern, text, re.IGNORECASE)]
        if not found:
            for word in words:
                if len(re.sub(r"\W", "", word)) >= 3:
                    found.extend(
                        (m.start(), m.end())
                        for m in re.finditer(rf"\b{re.escape(word)}", text, re.IGNORECASE)
                    )
        spans.extend(found)
    return tuple(sorted(set(spans)))


def gold_actors(value: Any, text: str, unlocated: list[str]) -> tuple[GoldActor, ...]:
    """The actors of a gold ``source``/``target`` field (a list of dicts; "" or a word is none)."""
    if not isinstance(value, list):
        return ()
    actors = []
    for row in value:
        if not isinstance(row, dict) or not row.get("actorText"):
            continue
        spans = locate(row["actorText"], text)
        if not spans:
            unlocated.append(row["actorText"])
        code = str(row.get("code") or "") or None
        if code is not None:
            code = CODE_ALIASES.get(code, code)
        actors.append(GoldActor(row["actorText"], code, row.get("sector"), spans))
    return tuple(actors)


def load_gsr(path: Path) -> Corpus:
    records = json.loads(path.read_text(encoding="utf-8"))
    corpus = Corpus([])
    skipped: Counter[str] = Counter()
    for record in records:
        if record.get("event") == "DOCUMENT":
            skipped["DOCUMENT record"] += 1
            continue
        text = record.get("text")
        if not text:
            skipped["no text"] += 1
            continue
        raw_type = str(record["event"])
        info = record.get("textInfo")
        # One record has the markup string itself as textInfo, one has none.
        markup = str(info.get("markup") or "") if isinstance(info, dict) else str(info or "")
        corpus.sentences.append(
            Sentence(
                id=str(record["id"]),
                text=text,
                raw_type=raw_type,
                type=TYPE_MAP.get(raw_type, raw_type),
                mode=(record.get("mode") or None),
                sources=gold_actors(record.get("source"), text, corpus.unlocated_actor_texts),
                targets=gold_actors(record.get("target"), text, corpus.unlocated_actor_texts),
                reciprocal="SRC/TAR" in markup,
            )
        )
    corpus.skipped = dict(skipped)
    return corpus


# --- systems ---------------------------------------------------------------------------------


ACTOR_LABELS = frozenset({"PERSON", "NORP", "ORG", "GPE", "LOC", "FAC"})


def majority_system(kind: str) -> Callable[[Any], list[PredEvent]]:
    """The majority type; the first named actor as source, the second as target."""

    def extract(doc: Any) -> list[PredEvent]:
        named = [
            PredActor(((ent.start_char, ent.end_char),), name=ent.text)
            for ent in doc.ents
            if ent.label_ in ACTOR_LABELS
        ]
        return [PredEvent(type=kind, sources=tuple(named[:1]), targets=tuple(named[1:2]))]

    return extract


def _event_verb(doc: Any) -> Any:
    """The root verb, or through a speech verb to its clausal complement."""
    roots = [token for token in doc if token.dep_ == "ROOT"]
    if not roots:
        return None
    verb = roots[0]
    for _ in range(3):
        if verb.lemma_.lower() not in SPEECH_VERBS:
            break
        complements = [child for child in verb.children if child.dep_ in ("ccomp", "xcomp")]
        if not complements:
            break
        verb = complements[0]
    return verb


def _chunk_actor(token: Any) -> list[PredActor]:
    """The noun chunk of a token and of the tokens coordinated with it."""
    chunks = {(chunk.start, chunk.end): chunk for chunk in token.doc.noun_chunks}
    out = []
    for head in (token, *token.conjuncts):
        span = next(
            (chunk for (start, end), chunk in chunks.items() if start <= head.i < end),
            head.doc[head.i : head.i + 1],
        )
        out.append(PredActor(((span.start_char, span.end_char),), name=span.text))
    return out


def keyword_system(fallback: str) -> Callable[[Any], list[PredEvent]]:
    def extract(doc: Any) -> list[PredEvent]:
        verb = _event_verb(doc)
        if verb is None:
            return [PredEvent(type=fallback)]
        lemma = verb.lemma_.lower()
        kind = VERB_TYPES.get(lemma)
        if kind is None:
            # "refused to meet": the verb's own lemma first, then an open complement's.
            for child in verb.children:
                if child.dep_ == "xcomp" and child.lemma_.lower() in VERB_TYPES:
                    kind = VERB_TYPES[child.lemma_.lower()]
                    break
        sources: list[PredActor] = []
        targets: list[PredActor] = []
        for child in verb.children:
            if child.dep_ == "nsubj":
                sources.extend(_chunk_actor(child))
            elif child.dep_ in ("nsubjpass", "dobj", "obj"):
                targets.extend(_chunk_actor(child))
            elif child.dep_ == "agent":
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj":
                        sources.extend(_chunk_actor(grandchild))
        return [
            PredEvent(
                type=kind or fallback,
                confidence=1.0 if kind else 0.0,
                start=verb.idx,
                sources=tuple(sources),
                targets=tuple(targets),
                trigger=verb.text,
            )
        ]

    return extract


def newsdesk_events(doc: Any) -> list[PredEvent]:
    from newsdesk import attributes

    entities = {entity.id: entity for entity in doc._.get(attributes.ENTITIES)}

    def actors(ids: Iterable[str]) -> tuple[PredActor, ...]:
        out = []
        for entity_id in ids:
            entity = entities.get(entity_id)
            if entity is None:
                out.append(PredActor((), name=f"?{entity_id}"))
                continue
            out.append(
                PredActor(
                    # Names only: a reference coreference linked wrongly must not match.
                    tuple((m.start, m.end) for m in entity.mentions if m.role != "reference"),
                    actor=entity.actor,
                    country=entity.country,
                    name=entity.name,
                )
            )
        return tuple(out)

    return [
        PredEvent(
            type=event.type,
            mode=event.mode,
            confidence=float(event.confidence),
            start=event.trigger.start,
            sources=actors(event.source),
            targets=actors(event.target),
            trigger=event.trigger.text,
        )
        for event in doc._.get(attributes.EVENTS)
    ]


def run_system(
    nlp: Any, extract: Callable[[Any], list[PredEvent]], sentences: Sequence[Sentence]
) -> tuple[list[list[PredEvent]], float]:
    started = time.perf_counter()
    predictions = [extract(doc) for doc in nlp.pipe(s.text for s in sentences)]
    return predictions, time.perf_counter() - started


# --- scoring ---------------------------------------------------------------------------------


def main_event(events: Sequence[PredEvent]) -> PredEvent | None:
    if not events:
        return None
    return min(events, key=lambda e: (-e.confidence, e.start))


def norm_mode(mode: str | None) -> str:
    return (mode or "").strip().lower().replace("_", "-")


def actor_matches(predicted: PredActor, gold: GoldActor) -> str | None:
    """ "span" or "code" when the predicted actor is the gold one, else None."""
    if any(spans_overlap(mine, theirs) for mine in predicted.spans for theirs in gold.spans):
        return "span"
    if gold.code:
        actor = predicted.actor or ""
        if gold.code in (predicted.country, actor, actor.split(".")[0]):
            return "code"
    return None


def match_side(predicted: Iterable[PredActor], golds: Sequence[GoldActor]) -> str | None:
    found = None
    for mine in predicted:
        for gold in golds:
            how = actor_matches(mine, gold)
            if how == "span":
                return how
            found = found or how
    return found


def score_system(
    sentences: Sequence[Sentence], predictions: list[list[PredEvent]]
) -> dict[str, Any]:
    top1 = any_right = no_event = 0
    gold_types: Counter[str] = Counter()
    predicted_types: Counter[str] = Counter()
    right_types: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    mode_n = mode_exact = mode_lenient = mode_n_type_right = mode_exact_type_right = 0
    sides: dict[str, Counter[str]] = {"source": Counter(), "target": Counter()}
    events_per_sentence: Counter[int] = Counter()
    for sentence, events in zip(sentences, predictions, strict=True):
        events_per_sentence[min(len(events), 5)] += 1
        best = main_event(events)
        kind = best.type if best else NO_EVENT
        no_event += best is None
        gold_types[sentence.type] += 1
        predicted_types[kind] += 1
        right = kind == sentence.type
        top1 += right
        right_types[kind] += right
        if not right:
            confusion[(sentence.type, kind)] += 1
        any_right += any(event.type == sentence.type for event in events)
        gold_mode = norm_mode(sentence.mode)
        if gold_mode:
            mode_n += 1
            mine = norm_mode(best.mode if best else None)
            exact = bool(mine) and mine == gold_mode
            mode_exact += exact
            mode_lenient += exact or (bool(mine) and mine == MODE_ALIASES.get(gold_mode))
            if right:
                mode_n_type_right += 1
                mode_exact_type_right += exact
        for side, golds in (("source", sentence.sources), ("target", sentence.targets)):
            if not golds:
                continue
            tally = sides[side]
            tally["gold"] += 1
            for label, chosen in (("top1", [best] if best else []), ("any", events)):
                predicted: list[PredActor] = []
                for event in chosen:
                    predicted.extend(event.sources if side == "source" else event.targets)
                    if side == "source" and sentence.reciprocal:
                        predicted.extend(event.targets)
                how = match_side(predicted, golds)
                # Headline: by span only; the code credit goes to the lenient figure alone.
                if how == "span":
                    tally[label] += 1
                if how:
                    tally[f"{label}_lenient"] += 1
                    tally[f"{label}_by_{how}"] += 1
                if label == "top1" and not predicted:
                    tally["top1_no_prediction"] += 1
    n = len(sentences)
    per_type = {}
    for kind in sorted(set(gold_types) | set(predicted_types)):
        p = right_types[kind] / predicted_types[kind] if predicted_types[kind] else 0.0
        r = right_types[kind] / gold_types[kind] if gold_types[kind] else 0.0
        per_type[kind] = {
            "gold": gold_types[kind],
            "predicted": predicted_types[kind],
            "right": right_types[kind],
            "precision": round(p, 4),
            "recall": round(r, 4),
            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        }
    side_scores = {}
    for side, tally in sides.items():
        side_scores[side] = {
            "sentences": tally["gold"],
            "accuracy_top1": ratio(tally["top1"], tally["gold"]),
            "accuracy_any": ratio(tally["any"], tally["gold"]),
            "lenient_accuracy_top1": ratio(tally["top1_lenient"], tally["gold"]),
            "lenient_accuracy_any": ratio(tally["any_lenient"], tally["gold"]),
            "top1_by_span": tally["top1_by_span"],
            "top1_by_code_only": tally["top1_by_code"],
            "top1_no_predicted_actor": tally["top1_no_prediction"],
        }
    return {
        "sentences": n,
        "type_accuracy_top1": ratio(top1, n),
        "type_accuracy_any": ratio(any_right, n),
        "sentences_without_event": no_event,
        "events_per_sentence": {
            ("5+" if k == 5 else str(k)): v for k, v in sorted(events_per_sentence.items())
        },
        "per_type": per_type,
        "mode": {
            "sentences_with_gold_mode": mode_n,
            "agreement_exact": ratio(mode_exact, mode_n),
            "agreement_lenient": ratio(mode_lenient, mode_n),
            "sentences_with_gold_mode_and_right_type": mode_n_type_right,
            "agreement_exact_when_type_right": ratio(mode_exact_type_right, mode_n_type_right),
        },
        "source": side_scores["source"],
        "target": side_scores["target"],
        "most_confused": [
            {"gold": gold, "predicted": kind, "count": count}
            for (gold, kind), count in confusion.most_common(15)
        ],
    }


# --- report ----------------------------------------------------------------------------------

ROWS: tuple[tuple[str, Callable[[dict[str, Any]], Any]], ...] = (
    ("type accuracy, top-1", lambda s: s["type_accuracy_top1"]),
    ("type accuracy, any event", lambda s: s["type_accuracy_any"]),
    ("sentences without event", lambda s: s["sentences_without_event"]),
    ("mode agreement, exact", lambda s: s["mode"]["agreement_exact"]),
    ("mode agreement, lenient", lambda s: s["mode"]["agreement_lenient"]),
    ("source accuracy, top-1 (span)", lambda s: s["source"]["accuracy_top1"]),
    ("source accuracy, any event (span)", lambda s: s["source"]["accuracy_any"]),
    ("  lenient top-1 (span or code)", lambda s: s["source"]["lenient_accuracy_top1"]),
    ("  lenient: top-1 by code only", lambda s: s["source"]["top1_by_code_only"]),
    ("target accuracy, top-1 (span)", lambda s: s["target"]["accuracy_top1"]),
    ("target accuracy, any event (span)", lambda s: s["target"]["accuracy_any"]),
    ("  lenient top-1 (span or code)", lambda s: s["target"]["lenient_accuracy_top1"]),
    ("  lenient: top-1 by code only", lambda s: s["target"]["top1_by_code_only"]),
)


def cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def print_report(results: dict[str, Any]) -> None:
    systems = results["systems"]
    print(
        format_table(
            ["figure", *systems],
            [[label, *(cell(get(f["scores"])) for f in systems.values())] for label, get in ROWS],
        )
    )
    first = next(iter(systems.values()))["scores"]
    print(
        f"\nsentences with gold mode {first['mode']['sentences_with_gold_mode']}, "
        f"with gold source {first['source']['sentences']}, "
        f"with gold target {first['target']['sentences']}"
    )
    kinds = sorted(first["per_type"], key=lambda k: -first["per_type"][k]["gold"])
    for name, figures in systems.items():
        if name == "majority":
            continue
        per_type = figures["scores"]["per_type"]
        kinds = sorted(per_type, key=lambda k: (-per_type[k]["gold"], k))
        print(f"\n{name}: per type (main event)")
        print(
            format_table(
                ["type", "gold", "pred", "P", "R", "F1"],
                [
                    [
                        kind,
                        str(per_type[kind]["gold"]),
                        str(per_type[kind]["predicted"]),
                        cell(per_type[kind]["precision"]),
                        cell(per_type[kind]["recall"]),
                        cell(per_type[kind]["f1"]),
                    ]
                    for kind in kinds
                ],
            )
        )
        confused = figures["scores"]["most_confused"]
        print(
            f"{name}: most confused (gold -> predicted): "
            + ", ".join(f"{row['gold']}->{row['predicted']} {row['count']}" for row in confused)
        )


def main(argv: list[str] | None = None) -> int:
    parser = scorer_parser(
        __doc__,
        data=SHARED_EVAL / "plover-gsr" / "PLOVER_GSR_CAMEO.txt",
        data_help="PLOVER_GSR_CAMEO.txt (a JSON list)",
        systems=("baselines", "newsdesk", "all"),
        system_help="which systems to score (newsdesk is skipped while it has no events component)",
        out="events_plover.json",
    )
    args = parser.parse_args(argv)

    if not args.data.is_file():
        sys.exit(
            f"PLOVER GSR not found at {args.data}: pass --data PATH to PLOVER_GSR_CAMEO.txt "
            "(see ../shared/eval/README.md)"
        )
    corpus = load_gsr(args.data)
    sentences = corpus.sentences
    if not sentences:
        sys.exit(f"no coded sentences in {args.data}")
    types = Counter(s.type for s in sentences)
    majority = types.most_common(1)[0][0]

    import spacy

    results: dict[str, Any] = {
        "benchmark": "events_plover",
        "data": str(args.data),
        "sentences": len(sentences),
        "skipped_records": corpus.skipped,
        "type_map": TYPE_MAP,
        "type_distribution": dict(types.most_common()),
        "raw_type_distribution": dict(Counter(s.raw_type for s in sentences).most_common()),
        "gold_modes": dict(Counter(s.mode for s in sentences if s.mode).most_common()),
        "reciprocal_sentences": sum(s.reciprocal for s in sentences),
        "gold_actor_texts_not_found": corpus.unlocated_actor_texts,
        "code_aliases": CODE_ALIASES,
        "model": args.model,
        "environment": environment(),
        "systems": {},
        "notes": [],
    }
    if args.system in ("baselines", "all"):
        nlp = spacy.load(args.model)
        for name, extract in (
            ("majority", majority_system(majority)),
            ("keyword", keyword_system(majority)),
        ):
            predictions, seconds = run_system(nlp, extract, sentences)
            results["systems"][name] = {
                "seconds": round(seconds, 2),
                "scores": score_system(sentences, predictions),
            }
            if name == "keyword":
                # Confidence 1.0 marks a verb the table knows; 0.0 the majority fallback.
                hits = sum(1 for events in predictions if events and events[0].confidence == 1.0)
                results["systems"][name]["table_hits"] = hits
        results["systems"]["majority"]["type"] = majority
    if args.system in ("newsdesk", "all"):
        score_newsdesk_arm(
            results,
            component=EVENTS_COMPONENT,
            model=args.model,
            run=lambda nlp: run_system(nlp, newsdesk_events, sentences),
            score=lambda predictions: score_system(sentences, predictions),
        )
    if not results["systems"]:
        sys.exit("nothing was scored")

    print(
        f"PLOVER GSR: {len(sentences)} sentences ({corpus.skipped}), model {args.model}; "
        f"types after mapping: "
        + ", ".join(f"{kind} {count}" for kind, count in types.most_common())
    )
    print(
        f"gold actor texts not found in their sentence: {len(corpus.unlocated_actor_texts)}; "
        f"reciprocal (SRC/TAR) sentences: {results['reciprocal_sentences']}\n"
    )
    print_report(results)
    path = write_json(args.out, results)
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

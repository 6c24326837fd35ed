"""Score whole reports end to end on the VOA gold set: events with every field, quotes, times.

Gold: ``benchmarks/gold/voa/<story id>.json`` (see ``benchmarks/gold/VOA-GUIDE.md``), loaded
and validated by ``voa_gold.py``; a file that does not validate is skipped with a warning, so the
scorer runs while annotation is in progress. Texts are read from ``../shared/eval/voa``.

Systems, over ``title + "\\n\\n" + text`` of each story:

- ``newsdesk``: ``newsdesk.Analyzer`` with the story's ``published`` date; offsets are moved
  back by ``len(title) + 2`` to compare with the gold's offsets into ``text``;
- ``baseline``: bare spaCy NER from the same model plus the project's event lexicon
  (``newsdesk/data/events.tsv``), with no segmentation: every verb whose lemma heads a lexicon
  predicate (a multi-word predicate's other words must be among the verb's children) is an event
  of its type; source the nearest actor entity (PERSON, NORP, ORG, GPE) ending before the verb in
  its sentence, target the nearest one starting after it, place the sentence's first GPE/LOC,
  date null, status ``occurred``, no claimant. Quotes: each stretch inside double quote marks,
  with the nearest PERSON or ORG of its sentence outside the marks as speaker. Times: DATE
  entities, with no value.

The gold annotates the body only, so a predicted event whose trigger lies in the headline is
neither right nor invented: it is left out of precision and counted apart (``title_events``,
and how many have a type some gold event of the story has: ``title_events_restating``).

Figures (``score(golds, predictions)``; the matching rules are the functions below):

- event recall, precision, F1: a gold event mention is found when a predicted event has its
  type and a trigger that overlaps the gold mention's sentence; matching is one-to-one, greedy
  by trigger overlap, then sentence overlap, then trigger distance. ``real_event_recall``: the
  share of real events (``same_as`` chains) with at least one mention found;
- on found events, the accuracy of each field. An actor is right when one of the predicted
  entity's mentions overlaps a span of the gold actor, or its name equals the gold name after
  normalisation (case, punctuation, a possessive, a leading determiner); never by country or
  knowledge-base code. ``source`` and ``target`` are right when every gold actor is matched and
  every predicted actor matches (``_lenient``: one match is enough; empty on both sides is
  right); ``place`` by span or normalised name; ``date`` by exact value; ``status`` exact;
  ``claimed_by`` by the actor rule. A null against a null is right. A predicted date whose
  ``date_precision`` is ``"published"`` (the publication day, taken because the sentence gives
  no date) counts as null: "the text gives no date", as the gold writes it;
- clean events: found events with no wrong field, as a share of all predicted (body) events;
- invented events: predicted events whose trigger lies in no sentence that holds a gold event;
- quotes: content detection P/R/F1 (contents overlap, one-to-one, greedy by overlap); speaker
  P/R/F1 over quotes with a speaker on either side (a right speaker needs a matched content);
- times: detection P/R/F1 by overlap and value accuracy on the found ones.

False alarms: the conflict events (ASSAULT, COERCE, PROTEST, MOBILIZE) each system codes in the
disease-outbreak news of ``../shared/eval/geovirus/GeoVirus.xml``, per ``<article>``.

Error report (``--errors``): every failure in ``results/e2e_voa_errors.json`` (story, sentence,
triggers, gold and predicted values), and a table of the wrong found events per field by kind
of mistake, and of the events not found and invented by type (``error_report``).

Run from the project root:
    python benchmarks/e2e_voa.py [--system newsdesk|baseline|both] [--stories ID,ID] [--limit N]
        [--errors]
"""

from __future__ import annotations

import dataclasses
import re
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from _common import (
    DEFAULT_MODEL,
    SHARED_EVAL,
    environment,
    format_table,
    overlap,
    ratio,
    spans_overlap,
    write_json,
)
from voa_gold import (
    DATA_PATH,
    GOLD_DIR,
    Actor,
    GoldEvent,
    GoldPlace,
    GoldStory,
    Story,
    gold_files,
    load_valid,
)

Span = tuple[int, int]
CONFLICT_TYPES = frozenset({"ASSAULT", "COERCE", "PROTEST", "MOBILIZE"})
GEOVIRUS_PATH = SHARED_EVAL / "geovirus" / "GeoVirus.xml"
ACTOR_LABELS = frozenset({"PERSON", "NORP", "ORG", "GPE"})
PLACE_LABELS = frozenset({"GPE", "LOC"})
SPEAKER_LABELS = frozenset({"PERSON", "ORG"})
FIELDS = ("source", "target", "place", "date", "status", "claimed_by")
PUBLISHED = "published"
"""The ``date_precision`` of a date newsdesk took from the publication day, the sentence giving
none: to the scorer, no date."""
TITLE_GAP = "\n\n"
ERRORS_FILE = "e2e_voa_errors.json"


class ScorerError(RuntimeError):
    """A system's output cannot be put against the gold (its text is not the story's)."""


# -- predictions, in the gold's terms ----------------------------------------------------------


@dataclass(frozen=True)
class PredActor:
    """A predicted actor: its name and every mention of its entity in the story text."""

    name: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class PredPlace:
    name: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class PredEvent:
    type: str
    trigger: Span
    source: tuple[PredActor, ...] = ()
    target: tuple[PredActor, ...] = ()
    place: PredPlace | None = None
    date: str | None = None
    date_precision: str | None = None
    status: str = "occurred"
    claimed_by: PredActor | None = None
    sentence: Span | None = None
    """The sentence the system read the event from, for the error report."""

    @property
    def stated_date(self) -> str | None:
        """The date the text gives: None for the publication day assumed because the sentence
        gives none (``date_precision`` ``"published"``)."""
        return None if self.date_precision == PUBLISHED else self.date


@dataclass(frozen=True)
class PredQuote:
    content: Span
    speaker: PredActor | None = None


@dataclass(frozen=True)
class PredTime:
    span: Span
    value: str | None = None


@dataclass(frozen=True)
class Prediction:
    """What a system found in one story, offsets into the story's ``text``.

    ``title_events`` are the types of the events whose trigger lies in the headline.
    """

    story: str
    events: tuple[PredEvent, ...] = ()
    quotes: tuple[PredQuote, ...] = ()
    times: tuple[PredTime, ...] = ()
    title_events: tuple[str, ...] = ()


# -- matching rules ----------------------------------------------------------------------------

_DETERMINERS = ("the", "a", "an")
_DROPPED = re.compile(r"[.'`]")
_SPACED = re.compile(r"[^\w\s]")


def normalise_name(name: str) -> str:
    """A name for comparison: case folded, apostrophes and dots dropped ("U.S." = "US"), other
    punctuation a space, a trailing possessive and a leading determiner removed."""
    text = unicodedata.normalize("NFKC", name).casefold().replace("’", "'").replace("‘", "'")
    text = re.sub(r"'s\b", "", text)
    words = _SPACED.sub(" ", _DROPPED.sub("", text)).split()
    if len(words) > 1 and words[0] in _DETERMINERS:
        words = words[1:]
    return " ".join(words)


_ISO_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_DECADE = re.compile(r"(\d{3})0s")


def normalise_time(value: str | None) -> str | None:
    """A date value in newsdesk's notation, so that equal dates compare equal: the gold may
    write an ISO week (``2025-W11``) or a decade (``2010s``) where newsdesk writes the interval
    (``2025-03-10/2025-03-16``, ``2010/2019``)."""
    if value is None:
        return None
    if week := _ISO_WEEK.fullmatch(value):
        monday = date.fromisocalendar(int(week[1]), int(week[2]), 1)
        return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"
    if decade := _DECADE.fullmatch(value):
        return f"{decade[1]}0/{decade[1]}9"
    return value


def same_time(predicted: str | None, gold: str | None) -> bool:
    return normalise_time(predicted) == normalise_time(gold)


def _spans_or_name_match(predicted: PredActor | PredPlace, gold: Actor | GoldPlace) -> bool:
    """A mention overlaps a gold span, or the names are equal once normalised."""
    if any(spans_overlap(mine, theirs) for mine in predicted.spans for theirs in gold.spans):
        return True
    return normalise_name(predicted.name) == normalise_name(gold.name) != ""


def actor_matches(predicted: PredActor, gold: Actor) -> bool:
    """Same actor: a mention overlaps a gold span, or the names are equal once normalised."""
    return _spans_or_name_match(predicted, gold)


def actors_right(
    predicted: Sequence[PredActor], gold: Sequence[Actor], *, lenient: bool = False
) -> bool:
    """Strict: every gold actor matched and no predicted actor unmatched. Lenient: one match.
    Both empty is right either way."""
    if not predicted and not gold:
        return True
    if lenient:
        return any(actor_matches(p, g) for p in predicted for g in gold)
    return all(any(actor_matches(p, g) for p in predicted) for g in gold) and all(
        any(actor_matches(p, g) for g in gold) for p in predicted
    )


def claimant_right(predicted: PredActor | None, gold: Actor | None) -> bool:
    if predicted is None or gold is None:
        return predicted is None and gold is None
    return actor_matches(predicted, gold)


def place_right(predicted: PredPlace | None, gold: GoldPlace | None) -> bool:
    if predicted is None or gold is None:
        return predicted is None and gold is None
    return _spans_or_name_match(predicted, gold)


def field_checks(predicted: PredEvent, gold: GoldEvent) -> dict[str, bool]:
    """Whether each field of a found event is right (and the lenient actor figures)."""
    return {
        "source": actors_right(predicted.source, gold.source),
        "target": actors_right(predicted.target, gold.target),
        "place": place_right(predicted.place, gold.place),
        "date": same_time(predicted.stated_date, gold.date),
        "status": predicted.status == gold.status,
        "claimed_by": claimant_right(predicted.claimed_by, gold.claimed_by),
        "source_lenient": actors_right(predicted.source, gold.source, lenient=True),
        "target_lenient": actors_right(predicted.target, gold.target, lenient=True),
    }


def greedy_pairs(candidates: Iterable[tuple[tuple[int, ...], int, int]]) -> list[tuple[int, int]]:
    """One-to-one (gold, predicted) pairs from ``(sort key, gold, predicted)``, best key first."""
    taken_gold: set[int] = set()
    taken_pred: set[int] = set()
    pairs = []
    for _, gold, predicted in sorted(candidates):
        if gold not in taken_gold and predicted not in taken_pred:
            taken_gold.add(gold)
            taken_pred.add(predicted)
            pairs.append((gold, predicted))
    return pairs


def match_events(
    gold: Sequence[GoldEvent], predicted: Sequence[PredEvent]
) -> list[tuple[int, int]]:
    """(gold index, predicted index) of the found events: same type, the predicted trigger in
    the gold sentence; most trigger overlap first, then sentence overlap, then nearest."""
    candidates = []
    for g, event in enumerate(gold):
        for p, guess in enumerate(predicted):
            in_sentence = overlap(guess.trigger, event.sentence)
            if guess.type == event.type and in_sentence:
                key = (
                    -overlap(guess.trigger, event.trigger),
                    -in_sentence,
                    abs(guess.trigger[0] - event.trigger[0]),
                )
                candidates.append((key, g, p))
    return greedy_pairs(candidates)


def match_spans(gold: Sequence[Span], predicted: Sequence[Span]) -> list[tuple[int, int]]:
    """One-to-one pairs of overlapping spans, the largest overlap first."""
    return greedy_pairs(
        ((-overlap(s, t), abs(s[0] - t[0])), g, p)
        for g, s in enumerate(gold)
        for p, t in enumerate(predicted)
        if overlap(s, t)
    )


def real_events(events: Sequence[GoldEvent]) -> list[str]:
    """For each mention, the id of the first mention of its real event (``same_as`` chains)."""
    first: dict[str, str] = {}
    for event in events:
        first[event.id] = first.get(event.same_as, event.same_as) if event.same_as else event.id
    return [first[event.id] for event in events]


def invented(predicted: PredEvent, gold: Sequence[GoldEvent]) -> bool:
    """No gold event in the sentence the predicted trigger stands in."""
    return not any(overlap(predicted.trigger, event.sentence) for event in gold)


# -- figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Counts over the scored stories; ``as_dict()`` adds the ratios. Figures of two sets of
    stories add up (``a + b``)."""

    stories: int = 0
    gold_events: int = 0
    predicted_events: int = 0
    found_events: int = 0
    gold_chains: int = 0
    found_chains: int = 0
    field_right: Counter[str] = field(default_factory=Counter)
    clean_events: int = 0
    invented_events: int = 0
    title_events: int = 0
    title_events_restating: int = 0
    gold_by_type: Counter[str] = field(default_factory=Counter)
    predicted_by_type: Counter[str] = field(default_factory=Counter)
    found_by_type: Counter[str] = field(default_factory=Counter)
    gold_quotes: int = 0
    predicted_quotes: int = 0
    found_quotes: int = 0
    gold_speakers: int = 0
    predicted_speakers: int = 0
    right_speakers: int = 0
    gold_times: int = 0
    predicted_times: int = 0
    found_times: int = 0
    right_time_values: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            **{
                counter.name: getattr(self, counter.name) + getattr(other, counter.name)
                for counter in dataclasses.fields(self)
            }
        )

    def as_dict(self) -> dict[str, Any]:
        fields = {
            name: ratio(self.field_right[name], self.found_events)
            for name in (*FIELDS, "source_lenient", "target_lenient")
        }
        types = sorted(set(self.gold_by_type) | set(self.predicted_by_type))
        return {
            "stories": self.stories,
            "event_recall": ratio(self.found_events, self.gold_events),
            "event_precision": ratio(self.found_events, self.predicted_events),
            "event_f1": f1(self.found_events, self.gold_events, self.predicted_events),
            "real_event_recall": ratio(self.found_chains, self.gold_chains),
            "field_accuracy": fields,
            "clean_event_share": ratio(self.clean_events, self.predicted_events),
            "invented_share": ratio(self.invented_events, self.predicted_events),
            "quote_precision": ratio(self.found_quotes, self.predicted_quotes),
            "quote_recall": ratio(self.found_quotes, self.gold_quotes),
            "quote_f1": f1(self.found_quotes, self.gold_quotes, self.predicted_quotes),
            "speaker_precision": ratio(self.right_speakers, self.predicted_speakers),
            "speaker_recall": ratio(self.right_speakers, self.gold_speakers),
            "speaker_f1": f1(self.right_speakers, self.gold_speakers, self.predicted_speakers),
            "time_precision": ratio(self.found_times, self.predicted_times),
            "time_recall": ratio(self.found_times, self.gold_times),
            "time_f1": f1(self.found_times, self.gold_times, self.predicted_times),
            "time_value_accuracy": ratio(self.right_time_values, self.found_times),
            "counts": {
                "gold_events": self.gold_events,
                "predicted_events": self.predicted_events,
                "found_events": self.found_events,
                "gold_real_events": self.gold_chains,
                "found_real_events": self.found_chains,
                "field_right": dict(sorted(self.field_right.items())),
                "clean_events": self.clean_events,
                "invented_events": self.invented_events,
                "title_events": self.title_events,
                "title_events_restating": self.title_events_restating,
                "gold_quotes": self.gold_quotes,
                "predicted_quotes": self.predicted_quotes,
                "found_quotes": self.found_quotes,
                "gold_speakers": self.gold_speakers,
                "predicted_speakers": self.predicted_speakers,
                "right_speakers": self.right_speakers,
                "gold_times": self.gold_times,
                "predicted_times": self.predicted_times,
                "found_times": self.found_times,
                "right_time_values": self.right_time_values,
            },
            "by_type": {
                kind: {
                    "gold": self.gold_by_type[kind],
                    "predicted": self.predicted_by_type[kind],
                    "found": self.found_by_type[kind],
                    "recall": ratio(self.found_by_type[kind], self.gold_by_type[kind]),
                    "precision": ratio(self.found_by_type[kind], self.predicted_by_type[kind]),
                }
                for kind in types
            },
        }


def f1(found: int, gold: int, predicted: int) -> float:
    """F1 of one-to-one matches: 2 * found / (gold + predicted)."""
    return round(2 * found / (gold + predicted), 4) if gold + predicted else 0.0


def score_story(gold: GoldStory, predicted: Prediction) -> Figures:
    """The counts of one story."""
    events, guesses = gold.events, predicted.events
    field_right: Counter[str] = Counter()
    found_by_type: Counter[str] = Counter()
    clean = 0
    pairs = match_events(events, guesses)
    for g, p in pairs:
        checks = field_checks(guesses[p], events[g])
        found_by_type[events[g].type] += 1
        field_right.update(name for name, right in checks.items() if right)
        clean += all(checks[name] for name in FIELDS)
    gold_types = {event.type for event in events}
    chains = real_events(events)

    quotes, said = gold.quotes, predicted.quotes
    quote_pairs = match_spans([q.content for q in quotes], [q.content for q in said])
    right_speakers = 0
    for g, p in quote_pairs:
        speaker, guess = quotes[g].speaker, said[p].speaker
        right_speakers += (
            speaker is not None and guess is not None and actor_matches(guess, speaker)
        )

    times, found = gold.times, predicted.times
    time_pairs = match_spans([t.span for t in times], [t.span for t in found])
    return Figures(
        stories=1,
        gold_events=len(events),
        predicted_events=len(guesses),
        found_events=len(pairs),
        gold_chains=len(set(chains)),
        found_chains=len({chains[g] for g, _ in pairs}),
        field_right=field_right,
        clean_events=clean,
        invented_events=sum(invented(guess, events) for guess in guesses),
        title_events=len(predicted.title_events),
        title_events_restating=sum(kind in gold_types for kind in predicted.title_events),
        gold_by_type=Counter(event.type for event in events),
        predicted_by_type=Counter(guess.type for guess in guesses),
        found_by_type=found_by_type,
        gold_quotes=len(quotes),
        predicted_quotes=len(said),
        found_quotes=len(quote_pairs),
        gold_speakers=sum(quote.speaker is not None for quote in quotes),
        predicted_speakers=sum(quote.speaker is not None for quote in said),
        right_speakers=right_speakers,
        gold_times=len(times),
        predicted_times=len(found),
        found_times=len(time_pairs),
        right_time_values=sum(same_time(found[p].value, times[g].value) for g, p in time_pairs),
    )


def score(golds: Sequence[GoldStory], predictions: Mapping[str, Prediction]) -> Figures:
    """The figures of one system over ``golds``; a story with no prediction found nothing."""
    return sum(
        (score_story(gold, predictions.get(gold.id, Prediction(gold.id))) for gold in golds),
        Figures(),
    )


# -- error report ------------------------------------------------------------------------------
#
# What the figures count, one item per failure, so that a developer can read them: every wrong
# field of a found event with the kind of mistake, every gold event not found and every
# predicted event in no gold sentence.

NONE_SOME = "predicted none, gold some"
SOME_NONE = "predicted some, gold none"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")
_YEAR = re.compile(r"\d{4}")


def date_shape(value: str) -> str:
    """What kind of date a value is: day, month, year, or interval (weeks and decades too)."""
    for pattern, shape in ((_DAY, "day"), (_MONTH, "month"), (_YEAR, "year")):
        if pattern.fullmatch(value):
            return shape
    return "interval"


def actors_error(predicted: Sequence[PredActor], gold: Sequence[Actor]) -> str:
    """The kind of mistake in a wrong source or target."""
    if not predicted:
        return NONE_SOME
    if not gold:
        return SOME_NONE
    missed = [g for g in gold if not any(actor_matches(p, g) for p in predicted)]
    extra = [p for p in predicted if not any(actor_matches(p, g) for g in gold)]
    if len(missed) == len(gold):
        return "wrong actor"
    if extra and missed:
        return "one actor right, another wrong"
    return "extra actor" if extra else "missing actor"


def optional_error(predicted: object, gold: object, wrong: str) -> str:
    """The kind of mistake in a wrong place or claimant: missing, extra, or ``wrong``."""
    if predicted is None:
        return NONE_SOME
    return SOME_NONE if gold is None else wrong


def date_error(predicted: PredEvent, gold: GoldEvent, published: str) -> str:
    """The kind of mistake in a wrong date; ``published`` is the story's publication day."""
    stated, expected = normalise_time(predicted.stated_date), normalise_time(gold.date)
    if stated is None:
        assumed = predicted.date_precision == PUBLISHED and predicted.date is not None
        made = "predicted publication day (assumed)" if assumed else "predicted null"
        return f"{made}, gold {date_shape(expected or '')}"
    if stated == published[:10]:
        return f"predicted publication day, gold {date_shape(expected) if expected else 'null'}"
    if expected is None:
        return f"predicted {date_shape(stated)}, gold null"
    mine, theirs = date_shape(stated), date_shape(expected)
    if mine == theirs:
        return f"predicted {mine}, gold other {theirs}"
    return f"predicted {mine}, gold {theirs}"


def field_error(name: str, predicted: PredEvent, gold: GoldEvent, published: str) -> str:
    """The kind of mistake in the wrong field ``name`` of a found event."""
    if name in ("source", "target"):
        return actors_error(getattr(predicted, name), getattr(gold, name))
    if name == "place":
        return optional_error(predicted.place, gold.place, "wrong place")
    if name == "date":
        return date_error(predicted, gold, published)
    if name == "status":
        return f"gold {gold.status}, predicted {predicted.status}"
    if name == "claimed_by":
        return optional_error(predicted.claimed_by, gold.claimed_by, "wrong claimant")
    raise ValueError(f"unknown field {name!r}: one of {FIELDS}")


def _actors_text(actors: Iterable[PredActor | Actor]) -> list[str]:
    return [actor.name for actor in actors]


def field_values(name: str, predicted: PredEvent, gold: GoldEvent) -> tuple[Any, Any]:
    """(gold, predicted) values of one field, as a reader wants them: names, dates, statuses."""
    if name in ("source", "target"):
        return _actors_text(getattr(gold, name)), _actors_text(getattr(predicted, name))
    if name == "place":
        return (
            gold.place.name if gold.place else None,
            predicted.place.name if predicted.place else None,
        )
    if name == "date":
        shown = predicted.date
        if shown is not None and predicted.date_precision:
            shown += f" ({predicted.date_precision})"
        return gold.date, shown
    if name == "claimed_by":
        return (
            gold.claimed_by.name if gold.claimed_by else None,
            predicted.claimed_by.name if predicted.claimed_by else None,
        )
    return getattr(gold, name), getattr(predicted, name)


def _words(text: str, span: Span | None) -> str:
    return " ".join(text[span[0] : span[1]].split()) if span else ""


def _sentence_around(text: str, span: Span) -> Span:
    """The line around a span, for a predicted event that carries no sentence."""
    start = text.rfind("\n", 0, span[0]) + 1
    end = text.find("\n", span[1])
    return start, len(text) if end < 0 else end


def story_errors(gold: GoldStory, predicted: Prediction) -> dict[str, list[dict[str, Any]]]:
    """The failures of one story: ``fields`` (a wrong field of a found event, with its
    ``field`` and ``kind``), ``missed`` (a gold event not found: ``kind`` says whether the
    system coded another type in its sentence), ``invented`` (a predicted event in no gold
    sentence) and ``extra`` (a predicted event in a gold sentence that matches no gold event)."""
    text, events, guesses = gold.text, gold.events, predicted.events
    pairs = match_events(events, guesses)
    out: dict[str, list[dict[str, Any]]] = {
        "fields": [],
        "missed": [],
        "invented": [],
        "extra": [],
    }
    for g, p in pairs:
        event, guess = events[g], guesses[p]
        checks = field_checks(guess, event)
        for name in FIELDS:
            if checks[name]:
                continue
            expected, found = field_values(name, guess, event)
            out["fields"].append(
                {
                    "story": gold.id,
                    "field": name,
                    "kind": field_error(name, guess, event, gold.story.published),
                    "type": event.type,
                    "sentence": _words(text, event.sentence),
                    "gold_trigger": _words(text, event.trigger),
                    "predicted_trigger": _words(text, guess.trigger),
                    "gold": expected,
                    "predicted": found,
                }
            )
    matched_gold = {g for g, _ in pairs}
    matched_pred = {p for _, p in pairs}
    unmatched = [p for p in range(len(guesses)) if p not in matched_pred]
    for g, event in enumerate(events):
        if g in matched_gold:
            continue
        near = sorted(
            {guesses[p].type for p in unmatched if overlap(guesses[p].trigger, event.sentence)}
        )
        out["missed"].append(
            {
                "story": gold.id,
                "kind": f"predicted {'/'.join(near)} instead" if near else "nothing predicted",
                "type": event.type,
                "status": event.status,
                "trigger": _words(text, event.trigger),
                "sentence": _words(text, event.sentence),
            }
        )
    for p in unmatched:
        guess = guesses[p]
        section = "invented" if invented(guess, events) else "extra"
        out[section].append(
            {
                "story": gold.id,
                "type": guess.type,
                "status": guess.status,
                "trigger": _words(text, guess.trigger),
                "sentence": _words(text, guess.sentence or _sentence_around(text, guess.trigger)),
            }
        )
    return out


def error_report(
    golds: Sequence[GoldStory], predictions: Mapping[str, Prediction]
) -> dict[str, Any]:
    """Every failure of one system over ``golds``, with counts by kind: ``fields`` (per field:
    ``wrong``, ``kinds`` most frequent first, ``items``), and ``missed``, ``invented`` and
    ``extra`` (``count``, ``by_type``, ``kinds`` for the missed, ``items``)."""
    items: dict[str, list[dict[str, Any]]] = {
        "fields": [],
        "missed": [],
        "invented": [],
        "extra": [],
    }
    for gold in golds:
        found = story_errors(gold, predictions.get(gold.id, Prediction(gold.id)))
        for section, listed in found.items():
            items[section].extend(listed)
    fields = {}
    for name in FIELDS:
        wrong = [item for item in items["fields"] if item["field"] == name]
        fields[name] = {
            "wrong": len(wrong),
            "kinds": dict(Counter(item["kind"] for item in wrong).most_common()),
            "items": wrong,
        }
    report: dict[str, Any] = {"fields": fields}
    for section in ("missed", "invented", "extra"):
        listed = items[section]
        report[section] = {
            "count": len(listed),
            "by_type": dict(Counter(item["type"] for item in listed).most_common()),
            **(
                {"kinds": dict(Counter(item["kind"] for item in listed).most_common())}
                if section == "missed"
                else {}
            ),
            "items": listed,
        }
    return report


def _top(counts: Mapping[str, int], limit: int) -> str:
    return ", ".join(f"{kind} {n}" for kind, n in list(counts.items())[:limit]) or "-"


def format_errors(report: Mapping[str, Any], *, limit: int = 10) -> str:
    """A compact table of ``error_report``: wrong found events per field by kind (the ``limit``
    most frequent kinds), then the events not found, invented, and extra, by type."""
    rows = []
    for name, entry in report["fields"].items():
        kinds = list(entry["kinds"].items())[:limit] or [("-", 0)]
        for i, (kind, n) in enumerate(kinds):
            rows.append(
                [name if i == 0 else "", str(entry["wrong"]) if i == 0 else "", kind, str(n)]
            )
    lines = [format_table(["field", "wrong", "kind", "n"], rows), ""]
    for section, what in (
        ("missed", "gold events not found"),
        ("invented", "predicted events in no gold sentence"),
        ("extra", "predicted events in a gold sentence, matching no gold event"),
    ):
        entry = report[section]
        lines.append(f"{what}: {entry['count']}; by type: {_top(entry['by_type'], limit)}")
        if "kinds" in entry:
            lines.append(f"  by kind: {_top(entry['kinds'], limit)}")
    return "\n".join(lines)


def false_alarms(events_per_article: Sequence[Sequence[tuple[str, str]]]) -> dict[str, Any]:
    """Conflict events coded in news with no political events, from the ``(type, trigger
    words)`` of the events of each article."""
    conflict = [
        [(kind, words.lower()) for kind, words in events if kind in CONFLICT_TYPES]
        for events in events_per_article
    ]
    articles = len(conflict)
    total = sum(len(found) for found in conflict)
    with_any = sum(bool(found) for found in conflict)
    triggers = Counter(pair for found in conflict for pair in found)
    return {
        "articles": articles,
        "conflict_events": total,
        "conflict_events_per_article": ratio(total, articles),
        "articles_with_conflict_event": with_any,
        "share_of_articles_with_conflict_event": ratio(with_any, articles),
        "by_type": dict(sorted(Counter(kind for found in conflict for kind, _ in found).items())),
        "top_triggers": [[kind, words, n] for (kind, words), n in triggers.most_common(15)],
        "all_events": sum(len(events) for events in events_per_article),
    }


# -- systems -----------------------------------------------------------------------------------


def story_input(story: Story) -> str:
    return story.title + TITLE_GAP + story.text


class _Offsets:
    """Moves offsets of ``title + "\\n\\n" + text`` to offsets of ``text``, which starts at
    ``body``."""

    def __init__(self, body: int) -> None:
        self.body = body

    @classmethod
    def of(cls, analysed: str, story: Story) -> _Offsets:
        """Where ``story.text`` starts in the text a system analysed."""
        body = analysed.find(story.text)
        if body < 0:
            raise ScorerError(
                f"story {story.id}: the analysed text does not contain the story text unchanged"
            )
        return cls(body)

    def in_title(self, start: int) -> bool:
        return start < self.body

    def span(self, start: int, end: int) -> Span | None:
        """The span in the story text, clipped to it; None when it lies in the title."""
        if end <= self.body:
            return None
        return max(start - self.body, 0), end - self.body

    def spans(self, pairs: Iterable[tuple[int, int]]) -> tuple[Span, ...]:
        moved = (self.span(start, end) for start, end in pairs)
        return tuple(span for span in moved if span is not None)


def from_article(article: Any, story: Story) -> Prediction:
    """A newsdesk ``Article`` of ``story_input(story)`` in the gold's terms."""
    offsets = _Offsets.of(article.text, story)
    entities = {entity.id: entity for entity in article.entities}

    def actor(entity_id: str) -> PredActor:
        entity = entities.get(entity_id)
        if entity is None:
            return PredActor(name=f"?{entity_id}")
        # Names only: a reference ("he") that coreference linked wrongly must not match.
        names = ((m.start, m.end) for m in entity.mentions if m.role != "reference")
        return PredActor(entity.name, offsets.spans(names))

    events, title_events = [], []
    for event in article.events:
        trigger = offsets.span(event.trigger.start, event.trigger.end)
        if trigger is None or offsets.in_title(event.trigger.start):
            title_events.append(event.type)
            continue
        place = None
        if event.place is not None and 0 <= event.place < len(article.places):
            found = article.places[event.place]
            # The place's names, not a demonym or a place inside an organisation's name.
            named = [m for m in found.mentions if m.role not in {"in_name", "demonym"}]
            spans = offsets.spans((m.start, m.end) for m in named or found.mentions)
            place = PredPlace(found.name, spans)
        events.append(
            PredEvent(
                type=event.type,
                trigger=trigger,
                source=tuple(actor(i) for i in event.source),
                target=tuple(actor(i) for i in event.target),
                place=place,
                date=event.date,
                date_precision=event.date_precision,
                status=event.status,
                claimed_by=actor(event.claimed_by) if event.claimed_by else None,
                sentence=offsets.span(event.evidence.start, event.evidence.end),
            )
        )
    quotes = []
    for quote in article.quotes:
        content = offsets.span(quote.content.start, quote.content.end)
        if content is None:
            continue
        speaker = None
        if quote.speaker is not None:
            speaker = actor(quote.speaker)
        elif quote.speaker_text:
            speaker = PredActor(quote.speaker_text)
        quotes.append(PredQuote(content, speaker))
    times = []
    for expression in article.times:
        span = offsets.span(expression.evidence.start, expression.evidence.end)
        if span is not None:
            times.append(PredTime(span, expression.value))
    return Prediction(story.id, tuple(events), tuple(quotes), tuple(times), tuple(title_events))


def _analyzer(model: str) -> Any:
    """A newsdesk Analyzer with the user's settings and ``model`` (the pipeline is cached)."""
    import newsdesk
    from newsdesk.settings import load_settings

    settings = load_settings()
    nlp = newsdesk.load_pipeline(model=model, knowledge_base=settings.entities.knowledge_base)
    return newsdesk.Analyzer(settings=settings, nlp=nlp)


def analyse_stories(
    stories: Sequence[Story], *, model: str = DEFAULT_MODEL
) -> tuple[list[tuple[Story, Any]], list[str], float]:
    """Each story newsdesk analysed with its Article (title and text, with the published day),
    the ids it rejected, and the seconds it took."""
    from newsdesk.records import Input, Rejected

    analyzer = _analyzer(model)
    started = time.perf_counter()
    inputs = [Input(data=story_input(story), published=story.published[:10]) for story in stories]
    analysed: list[tuple[Story, Any]] = []
    rejected: list[str] = []
    for story, result in zip(stories, analyzer.analyze_many(inputs), strict=True):
        if isinstance(result, Rejected):
            rejected.append(story.id)
        else:
            analysed.append((story, result))
    return analysed, rejected, time.perf_counter() - started


def run_newsdesk(
    stories: Sequence[Story], *, model: str = DEFAULT_MODEL
) -> tuple[dict[str, Prediction], list[str], float]:
    """newsdesk's predictions by story id, the ids it rejected, and the seconds it took."""
    analysed, rejected, seconds = analyse_stories(stories, model=model)
    predictions = {story.id: from_article(article, story) for story, article in analysed}
    return predictions, rejected, seconds


def newsdesk_event_types(
    texts: Sequence[str], *, model: str = DEFAULT_MODEL
) -> list[list[tuple[str, str]]]:
    """The type and trigger words of the events newsdesk codes in each text (none in an input
    it rejects)."""
    from newsdesk.records import Rejected

    return [
        []
        if isinstance(result, Rejected)
        else [(event.type, event.trigger.text) for event in result.events]
        for result in _analyzer(model).analyze_many(texts)
    ]


def _lexicon_type(token: Any, lexicon: Any) -> str | None:
    """The type of the first (longest) verb predicate headed by the token's lemma whose other
    words are lemmas of the token's children."""
    rows = lexicon.predicates.get(("verb", token.lemma_.lower()), ())
    children = {child.lemma_.lower() for child in token.children}
    for row in rows:
        if all(word in children for word in row.extras):
            return str(row.type)
    return None


def baseline_doc(doc: Any, body: int) -> Prediction:
    """The baseline's reading of a parsed ``doc`` whose story text starts at ``body``."""
    from newsdesk.data.event_lexicon import load_event_lexicon

    lexicon = load_event_lexicon()
    offsets = _Offsets(body)

    def actor(ent: Any) -> PredActor:
        return PredActor(ent.text, offsets.spans([(ent.start_char, ent.end_char)]))

    events, title_events, quotes = [], [], []
    for sent in doc.sents:
        ents = list(sent.ents)
        actors = [ent for ent in ents if ent.label_ in ACTOR_LABELS]
        places = [ent for ent in ents if ent.label_ in PLACE_LABELS]
        for token in sent:
            if token.pos_ != "VERB":
                continue
            kind = _lexicon_type(token, lexicon)
            if kind is None:
                continue
            trigger = offsets.span(token.idx, token.idx + len(token))
            if trigger is None or offsets.in_title(token.idx):
                title_events.append(kind)
                continue
            before = [ent for ent in actors if ent.end_char <= token.idx]
            after = [ent for ent in actors if ent.start_char >= token.idx + len(token)]
            place = None
            if places:
                first = places[0]
                place = PredPlace(first.text, offsets.spans([(first.start_char, first.end_char)]))
            events.append(
                PredEvent(
                    type=kind,
                    trigger=trigger,
                    source=(actor(before[-1]),) if before else (),
                    target=(actor(after[0]),) if after else (),
                    place=place,
                    sentence=offsets.span(sent.start_char, sent.end_char),
                )
            )
        quotes.extend(_baseline_quotes(sent, offsets))
    times = []
    for ent in doc.ents:
        span = offsets.span(ent.start_char, ent.end_char) if ent.label_ == "DATE" else None
        if span is not None:
            times.append(PredTime(span))
    return Prediction("", tuple(events), tuple(quotes), tuple(times), tuple(title_events))


_QUOTED = re.compile(r"[\"“]\s*([^\"“”]+?)\s*[,.?!]?\s*[\"”]")


def _baseline_quotes(sent: Any, offsets: _Offsets) -> list[PredQuote]:
    """Each stretch in double quote marks, spoken by the nearest PERSON or ORG outside it."""
    out = []
    speakers = [ent for ent in sent.ents if ent.label_ in SPEAKER_LABELS]
    for match in _QUOTED.finditer(sent.text):
        start, end = sent.start_char + match.start(1), sent.start_char + match.end(1)
        content = offsets.span(start, end)
        if content is None:
            continue
        outside = [e for e in speakers if e.end_char <= start - 1 or e.start_char >= end + 1]
        nearest = min(
            outside,
            key=lambda e: min(abs(e.start_char - end), abs(start - e.end_char)),
            default=None,
        )
        speaker = None
        if nearest is not None:
            spans = offsets.spans([(nearest.start_char, nearest.end_char)])
            speaker = PredActor(nearest.text, spans)
        out.append(PredQuote(content, speaker))
    return out


def run_baseline(
    stories: Sequence[Story], *, model: str = DEFAULT_MODEL
) -> tuple[dict[str, Prediction], float]:
    import spacy

    nlp = spacy.load(model)
    started = time.perf_counter()
    predictions = {}
    for story, doc in zip(stories, nlp.pipe(story_input(s) for s in stories), strict=True):
        found = baseline_doc(doc, len(story.title) + len(TITLE_GAP))
        predictions[story.id] = dataclasses.replace(found, story=story.id)
    return predictions, time.perf_counter() - started


def baseline_event_types(
    texts: Sequence[str], *, model: str = DEFAULT_MODEL
) -> list[list[tuple[str, str]]]:
    """The type and trigger words of the events the baseline codes in each text."""
    import spacy

    nlp = spacy.load(model)
    return [
        [(event.type, doc.text[slice(*event.trigger)]) for event in baseline_doc(doc, 0).events]
        for doc in nlp.pipe(texts)
    ]


def geovirus_texts(path: Path, limit: int | None) -> list[str]:
    from geoparse_geovirus import load_geovirus

    articles = load_geovirus(path).articles
    return [article.text for article in articles[:limit]]


def predict(
    system: str, stories: Sequence[Story], *, model: str = DEFAULT_MODEL
) -> dict[str, Prediction]:
    """One system's predictions by story id: ``score(golds, predict(system, stories))``."""
    if system == "newsdesk":
        return run_newsdesk(stories, model=model)[0]
    if system == "baseline":
        return run_baseline(stories, model=model)[0]
    raise ValueError(f"unknown system {system!r}: newsdesk or baseline")


def event_types(
    system: str, texts: Sequence[str], *, model: str = DEFAULT_MODEL
) -> list[list[tuple[str, str]]]:
    """The type and trigger words of the events one system codes in each text, for
    ``false_alarms``."""
    if system == "newsdesk":
        return newsdesk_event_types(texts, model=model)
    if system == "baseline":
        return baseline_event_types(texts, model=model)
    raise ValueError(f"unknown system {system!r}: newsdesk or baseline")


# -- report ------------------------------------------------------------------------------------

ROWS: tuple[tuple[str, Callable[[dict[str, Any]], Any]], ...] = (
    ("event recall", lambda s: s["event_recall"]),
    ("event precision", lambda s: s["event_precision"]),
    ("event F1", lambda s: s["event_f1"]),
    ("real events found (any mention)", lambda s: s["real_event_recall"]),
    ("source (found events)", lambda s: s["field_accuracy"]["source"]),
    ("  lenient: one match", lambda s: s["field_accuracy"]["source_lenient"]),
    ("target", lambda s: s["field_accuracy"]["target"]),
    ("  lenient: one match", lambda s: s["field_accuracy"]["target_lenient"]),
    ("place", lambda s: s["field_accuracy"]["place"]),
    ("date", lambda s: s["field_accuracy"]["date"]),
    ("status", lambda s: s["field_accuracy"]["status"]),
    ("claimed_by", lambda s: s["field_accuracy"]["claimed_by"]),
    ("clean events / predicted", lambda s: s["clean_event_share"]),
    ("invented / predicted", lambda s: s["invented_share"]),
    ("invented events", lambda s: s["counts"]["invented_events"]),
    (
        "gold / predicted events",
        lambda s: f"{s['counts']['gold_events']}/{s['counts']['predicted_events']}",
    ),
    (
        "title events (restating)",
        lambda s: f"{s['counts']['title_events']} ({s['counts']['title_events_restating']})",
    ),
    ("quote content F1", lambda s: s["quote_f1"]),
    ("quote P / R", lambda s: f"{s['quote_precision']:.3f}/{s['quote_recall']:.3f}"),
    ("speaker F1", lambda s: s["speaker_f1"]),
    ("speaker P / R", lambda s: f"{s['speaker_precision']:.3f}/{s['speaker_recall']:.3f}"),
    ("time F1", lambda s: s["time_f1"]),
    ("time value accuracy", lambda s: s["time_value_accuracy"]),
)


def cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def print_report(results: dict[str, Any]) -> None:
    systems = results["systems"]
    header = ["figure", *systems]
    rows = [[label, *(cell(get(s["scores"])) for s in systems.values())] for label, get in ROWS]
    alarms = [s.get("geovirus") for s in systems.values()]
    if any(alarms):
        rows.append(
            [
                "GeoVirus conflict ev./article",
                *(cell(a["conflict_events_per_article"]) if a else "-" for a in alarms),
            ]
        )
        rows.append(
            [
                "  articles with any",
                *(
                    f"{a['articles_with_conflict_event']}/{a['articles']}" if a else "-"
                    for a in alarms
                ),
            ]
        )
    rows.append(["seconds", *(cell(s["seconds"]) for s in systems.values())])
    print(format_table(header, rows))
    for name, alarm in zip(systems, alarms, strict=True):
        if alarm:
            top = ", ".join(f"{kind} {words!r} {n}" for kind, words, n in alarm["top_triggers"])
            print(f"\n{name}: GeoVirus conflict triggers: {top}")


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_DIR, help="folder of gold files")
    parser.add_argument("--data", type=Path, default=DATA_PATH, help="voa_stories.jsonl")
    parser.add_argument("--geovirus", type=Path, default=GEOVIRUS_PATH, help="GeoVirus.xml")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy pipeline for every system")
    parser.add_argument("--system", choices=("baseline", "newsdesk", "both"), default="both")
    parser.add_argument("--stories", help="comma-separated story ids to score (default: all)")
    parser.add_argument("--limit", type=int, default=None, help="score the first N gold stories")
    parser.add_argument(
        "--geovirus-limit", type=int, default=None, help="the first N GeoVirus articles"
    )
    parser.add_argument("--skip-geovirus", action="store_true", help="no false-alarm figure")
    parser.add_argument("--out", default="e2e_voa.json", help="file name in results/")
    parser.add_argument(
        "--errors",
        action="store_true",
        help=f"write every failure to results/{ERRORS_FILE} and print them by kind",
    )
    args = parser.parse_args(argv)

    if not args.data.is_file():
        sys.exit(f"VOA stories not found at {args.data} (see ../shared/eval/voa/README.md)")
    golds, problems = load_valid(args.gold, data=args.data)
    skipped = sorted({problem.file for problem in problems})
    for name in skipped:
        first = next(p for p in problems if p.file == name)
        count = sum(p.file == name for p in problems)
        print(f"warning: skipped {name}: {count} problems, first: {first}", file=sys.stderr)
    if args.stories:
        wanted = {item.strip() for item in args.stories.split(",") if item.strip()}
        golds = [gold for gold in golds if gold.id in wanted]
    golds = golds[: args.limit] if args.limit else golds
    if not golds:
        sys.exit(f"no valid gold story to score in {args.gold}")
    stories = [gold.story for gold in golds]
    geovirus = None
    if not args.skip_geovirus:
        if args.geovirus.is_file():
            geovirus = geovirus_texts(args.geovirus, args.geovirus_limit)
        else:
            print(f"warning: {args.geovirus} absent: no false-alarm figure", file=sys.stderr)

    results: dict[str, Any] = {
        "benchmark": "e2e_voa",
        "data": str(args.data),
        "gold": str(args.gold),
        "gold_files": len(gold_files(args.gold)),
        "skipped_files": skipped,
        "stories": [gold.id for gold in golds],
        "model": args.model,
        "environment": environment(),
        "systems": {},
        "notes": [],
    }
    errors: dict[str, Any] = {}
    if args.system in ("baseline", "both"):
        predictions, seconds = run_baseline(stories, model=args.model)
        if args.errors:
            errors["baseline"] = error_report(golds, predictions)
        entry: dict[str, Any] = {
            "seconds": round(seconds, 2),
            "scores": score(golds, predictions).as_dict(),
        }
        if geovirus is not None:
            entry["geovirus"] = false_alarms(baseline_event_types(geovirus, model=args.model))
        results["systems"]["baseline"] = entry
    if args.system in ("newsdesk", "both"):
        import newsdesk

        results["environment"]["newsdesk_path"] = str(Path(newsdesk.__file__).parent)
        predictions, rejected, seconds = run_newsdesk(stories, model=args.model)
        if args.errors:
            errors["newsdesk"] = error_report(golds, predictions)
        entry = {"seconds": round(seconds, 2), "rejected": rejected}
        entry["scores"] = score(golds, predictions).as_dict()
        if geovirus is not None:
            entry["geovirus"] = false_alarms(newsdesk_event_types(geovirus, model=args.model))
        results["systems"]["newsdesk"] = entry
    path = write_json(args.out, results)
    print(
        f"{len(golds)} gold stories scored ({len(skipped)} files skipped), "
        f"{sum(len(g.events) for g in golds)} gold event mentions"
    )
    print_report(results)
    print(f"\nwritten to {path}")
    if args.errors:
        report = {"benchmark": "e2e_voa_errors", "gold": str(args.gold), "systems": errors}
        errors_path = write_json(ERRORS_FILE, report)
        for name, found in errors.items():
            print(f"\n{name}: failures by kind\n{format_errors(found)}")
        print(f"\nfailures written to {errors_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Error categories for geoparsing: why a gold toponym came out wrong, what a false place was.

Any geoparsing scorer can use it (``geoparse_geovirus.py --errors`` does): for one document it
hands over the gold toponyms, the system's places, the NER entities of the document, the
gazetteer's readings of a name and its own rule for "right", and gets one :class:`ErrorCase`
per wrong gold toponym and per false place mention. :func:`summarise` counts them.

Categories of a wrong gold toponym (a right one gets none):

- ``homonym``: the name was found and resolved, to the wrong place of that name: a reading the
  scorer would count right is among the gazetteer's readings of the name;
- ``region_vs_city``: as ``homonym``, but every right reading is of the other scale (the system
  chose a city where the gold is a region or a country, or the reverse) in the country of the
  system's place ("New York" the state resolved to the city);
- ``missing_name/no_reading``: found, but the place has no point (the gazetteer has no reading);
  ``missing_name/none_near_gold``: found and resolved, but no reading of the gold name is right;
- ``not_detected/...``: no predicted place covers the gold span; split by what the NER made of
  it: ``inside_name`` (inside a longer entity that is a name of something else: "Kentucky State
  Police"), ``typed_person_org`` (typed PERSON or ORG), ``typed_place`` (typed GPE, LOC or FAC
  and still no place), ``other_label`` (NORP, DATE ...), ``no_entity``.

A predicted mention that overlaps no gold toponym is ``junk_alias/person``, ``junk_alias/org`` or
``junk_alias/other`` by the label of the NER entity that overlaps it most (other: GPE, LOC,
anything else, or no entity), unless its mention role is one the corpus does not mark
(``unjudged``); :func:`summarise` also counts those whose place has a point (they
land on the map, where an unplaced name only costs precision).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

PERSON_ORG = frozenset({"PERSON", "ORG"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Entities whose name can hold a toponym without being one: "the Cauvery Management Board",
# "Texas A&M", "the Kharkiv Regional Hospital", "the Geneva Conventions".
NAME_LABELS = frozenset({"ORG", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "NORP"})
# Precision 3 and 4 are areas (first-level regions, countries and larger); 1 and 2 are points.
AREA_PRECISION = 3
EXAMPLES = 15


class GoldLike(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def lat(self) -> float: ...
    @property
    def lon(self) -> float: ...
    @property
    def name(self) -> str: ...


class PlaceLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def spans(self) -> tuple[tuple[int, int], ...]: ...
    @property
    def lat(self) -> float | None: ...
    @property
    def country(self) -> str | None: ...
    @property
    def precision(self) -> int | None: ...
    @property
    def roles(self) -> tuple[str | None, ...]: ...


G = TypeVar("G", bound=GoldLike)
P = TypeVar("P", bound=PlaceLike)


@dataclass(frozen=True, slots=True)
class GoldToponym:
    """A gold toponym for scorers that have no record of their own."""

    start: int
    end: int
    lat: float
    lon: float
    name: str


@dataclass(frozen=True, slots=True)
class Entity:
    """One NER entity of the document: character span and label."""

    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class ErrorCase:
    category: str
    name: str
    """The gold toponym's name, or the false mention's text."""
    detail: str
    """What the system made of it: the place it chose, or the NER label."""
    placed: bool = False
    """For a false mention: its place has a point, so it lands on the map."""


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _covering(gold: tuple[int, int], places: Sequence[P]) -> P | None:
    """The place covering a gold span: an exact span first, else the largest overlap (the
    scorers' own rule)."""
    best: tuple[int, int, int] | None = None
    found: P | None = None
    for index, place in enumerate(places):
        for span in place.spans:
            size = overlap(span, gold)
            if size > 0 and (best is None or (int(span == gold), size, -index) > best):
                best, found = (int(span == gold), size, -index), place
    return found


def _scale(precision: int | None) -> str:
    return "area" if (precision or 0) >= AREA_PRECISION else "point"


def categorise(
    text: str,
    gold: Sequence[G],
    places: Sequence[P],
    *,
    entities: Sequence[Entity],
    readings: Callable[[str], Sequence[P]],
    right: Callable[[G, P], bool],
    unjudged: frozenset[str] = frozenset(),
) -> list[ErrorCase]:
    """The error cases of one document (see the module docstring).

    A mention whose role is in ``unjudged`` and that overlaps no gold toponym is no false
    mention: the corpus does not mark that kind (GeoVirus and demonyms).

    ``readings(name)`` is every gazetteer place of a name, as the scorer's place type;
    ``right(gold, place)`` is the scorer's own test (distance, or an area holding the gold point).
    """
    cases: list[ErrorCase] = []
    for toponym in gold:
        span = (toponym.start, toponym.end)
        place = _covering(span, places)
        if place is None:
            cases.append(_not_detected(toponym.name, span, entities))
            continue
        if right(toponym, place):
            continue
        chosen = f"{place.name} ({place.country or '-'}, precision {place.precision})"
        if place.lat is None:
            cases.append(ErrorCase("missing_name/no_reading", toponym.name, chosen))
            continue
        good = [reading for reading in readings(toponym.name) if right(toponym, reading)]
        if not good:
            cases.append(ErrorCase("missing_name/none_near_gold", toponym.name, chosen))
        elif all(_scale(r.precision) != _scale(place.precision) for r in good) and any(
            r.country == place.country for r in good
        ):
            cases.append(ErrorCase("region_vs_city", toponym.name, chosen))
        else:
            cases.append(ErrorCase("homonym", toponym.name, chosen))
    golds = [(toponym.start, toponym.end) for toponym in gold]
    for place in places:
        roles = place.roles or (None,) * len(place.spans)
        for (start, end), role in zip(place.spans, roles, strict=True):
            if any(overlap((start, end), other) for other in golds) or role in unjudged:
                continue
            label = _label_at((start, end), entities)
            kind = label.lower() if label in PERSON_ORG else "other"
            cases.append(
                ErrorCase(
                    f"junk_alias/{kind}",
                    text[start:end],
                    f"{place.name} [{label or '-'}]",
                    placed=place.lat is not None,
                )
            )
    return cases


def _not_detected(name: str, span: tuple[int, int], entities: Sequence[Entity]) -> ErrorCase:
    touching = [entity for entity in entities if overlap((entity.start, entity.end), span)]
    for entity in touching:
        holds = entity.start <= span[0] and entity.end >= span[1]
        longer = entity.end - entity.start > span[1] - span[0]
        if entity.label in NAME_LABELS and holds and longer:
            return ErrorCase("not_detected/inside_name", name, entity.label)
    labels = {entity.label for entity in touching}
    if labels & PERSON_ORG:
        return ErrorCase("not_detected/typed_person_org", name, "/".join(sorted(labels)))
    if labels & PLACE_LABELS:
        return ErrorCase("not_detected/typed_place", name, "/".join(sorted(labels)))
    if labels:
        return ErrorCase("not_detected/other_label", name, "/".join(sorted(labels)))
    return ErrorCase("not_detected/no_entity", name, "-")


def _label_at(span: tuple[int, int], entities: Sequence[Entity]) -> str | None:
    best = max(entities, key=lambda e: overlap((e.start, e.end), span), default=None)
    if best is None or not overlap((best.start, best.end), span):
        return None
    return best.label


def summarise(cases: Iterable[ErrorCase]) -> dict[str, Any]:
    """Counts per category and per top-level category, with the most frequent examples."""
    cases = list(cases)
    counts = Counter(case.category for case in cases)
    top: Counter[str] = Counter()
    for category, count in counts.items():
        top[category.split("/", 1)[0]] += count
    examples: dict[str, list[dict[str, Any]]] = {}
    for category in sorted(counts):
        seen = Counter((c.name, c.detail) for c in cases if c.category == category)
        examples[category] = [
            {"name": name, "detail": detail, "count": count}
            for (name, detail), count in seen.most_common(EXAMPLES)
        ]
    placed = Counter(case.category for case in cases if case.placed)
    return {
        "counts": dict(sorted(counts.items())),
        "totals": dict(sorted(top.items())),
        "placed": dict(sorted(placed.items())),
        "examples": examples,
    }


def format_summary(summary: dict[str, Any]) -> str:
    """The counts as lines for a terminal, each top-level category before its parts."""
    lines = []
    for top, total in summary["totals"].items():
        lines.append(f"  {top:<34} {total:>5}")
        for category, count in summary["counts"].items():
            if category.startswith(top + "/"):
                placed = summary["placed"].get(category)
                note = f"  ({placed} with a point)" if placed else ""
                lines.append(f"    {category.split('/', 1)[1]:<32} {count:>5}{note}")
    return "\n".join(lines)

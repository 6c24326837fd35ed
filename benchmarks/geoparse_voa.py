"""Score newsdesk's places on the VOA toponym gold, with GeoVirus's scorer.

The gold is the ``toponyms`` of ``benchmarks/gold/voa/<story id>.json`` (issue 13; see the
"Toponyms" section of ``benchmarks/gold/VOA-GUIDE.md``): every place name of a story's ``text``
with its referent's point, country, scale and role. Only files with ``toponyms_pass`` are
scored; a file that does not validate is skipped with a warning, as in ``e2e_voa.py``.

newsdesk reads each story as ``e2e_voa.py`` runs it: ``newsdesk.Analyzer`` on the title, a blank
line and the text, with the story's ``published`` day. Mentions in the title are dropped and the
others moved to offsets of ``text`` (the gold has none in the title).

The figures are ``geoparse_geovirus.py``'s, from its own functions: area-aware accuracy (within
161 km, or the resolved place is a country or first-level region containing the gold point),
strict accuracy, median error over covered toponyms, toponym precision/recall/F1. They are
given apart for each gold role:

- ``plain`` (headline): toponyms with role null, named places and metonymy;
- ``demonym``: "Kenyan troops", "Russian forces", scored against their country;
- ``in_name``: a place inside an organisation's name ("Kenya Defence Forces").

Within one role's figures, a predicted mention on a gold toponym of another role is left out
(neither right nor wrong): a demonym newsdesk resolves does not count against the headline
precision. The role newsdesk gives a covering mention (``Evidence.role``, where it has one) is
reported per gold role, never required. Containment uses the annotated country where there is
one, else the country of the nearest GeoNames place to the gold point (as on GeoVirus).

Run from the project root:  python benchmarks/geoparse_voa.py [--stories ID,ID] [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from _common import DEFAULT_MODEL, environment, format_table, spans_overlap, write_json
from e2e_voa import _Offsets, analyse_stories
from geoparse_geovirus import (
    THRESHOLD_KM,
    Article,
    GoldRegions,
    Predicted,
    Toponym,
    cell,
    covering,
    score_system,
    wrong_table,
)
from voa_gold import DATA_PATH, GOLD_DIR, GoldStory, Story, load_valid

# Gold roles, with the name each set of figures goes by; "plain" is the headline.
ROLES: dict[str, str | None] = {"plain": None, "demonym": "demonym", "in_name": "in_name"}
HEADLINE = "plain"
# The role newsdesk gives a mention with no role of its own.
NO_ROLE = "-"


@dataclass(frozen=True)
class StoryPlaces:
    """newsdesk's places of one story, in offsets of the story's ``text``, and the role it gave
    each mention span."""

    places: tuple[Predicted, ...]
    roles: Mapping[tuple[int, int], str]


class VoaRegions(GoldRegions):
    """GeoVirus's containing regions, with the annotated country where the gold gives one.

    The admin1 name still comes from the nearest GeoNames place (the gold's admin1 is an ISO
    code, newsdesk's a name); when that place lies across a border from the annotated country,
    no admin1 is claimed.
    """

    def __init__(self, toponyms: Sequence[Toponym], countries: Mapping[Toponym, str]) -> None:
        super().__init__(toponyms)
        self._countries = dict(countries)

    def of(self, toponym: Toponym) -> tuple[str, str]:
        nearest_cc, admin1 = super().of(toponym)
        annotated = self._countries.get(toponym)
        if annotated is None or annotated == nearest_cc:
            return nearest_cc, admin1
        return annotated, ""


# --- gold -------------------------------------------------------------------------------------


def placed(golds: Iterable[GoldStory]) -> list[GoldStory]:
    """The stories whose places are annotated (``toponyms_pass`` set)."""
    return [gold for gold in golds if gold.toponyms_pass is not None]


def gold_articles(
    golds: Sequence[GoldStory], role: str | None
) -> tuple[list[Article], dict[Toponym, str]]:
    """GeoVirus-style articles holding the gold toponyms of one role (None: plain), and the
    annotated country of each."""
    articles: list[Article] = []
    countries: dict[Toponym, str] = {}
    for index, gold in enumerate(golds):
        toponyms = []
        for item in gold.toponyms:
            if item.role != role:
                continue
            start, end = item.span
            toponym = Toponym(
                index, gold.text[start:end], start, end, item.lat, item.lon, item.name
            )
            toponyms.append(toponym)
            if item.country is not None:
                countries[toponym] = item.country
        articles.append(Article(index, gold.id, gold.text, tuple(toponyms)))
    return articles, countries


def without_other_roles(
    places: Sequence[Predicted], gold: GoldStory, role: str | None
) -> list[Predicted]:
    """The predictions with every mention span dropped that lies on a gold toponym of another
    role and on none of ``role``: such a mention is scored with its own role's figures."""
    mine = [item.span for item in gold.toponyms if item.role == role]
    others = [item.span for item in gold.toponyms if item.role != role]
    out = []
    for place in places:
        spans = tuple(
            span
            for span in place.spans
            if any(spans_overlap(span, g) for g in mine)
            or not any(spans_overlap(span, g) for g in others)
        )
        if spans:
            out.append(replace(place, spans=spans))
    return out


# --- newsdesk ---------------------------------------------------------------------------------


def places_of(article: Any, story: Story) -> StoryPlaces:
    """A newsdesk ``Article`` of ``story_input(story)``: its places in offsets of the text."""
    offsets = _Offsets.of(article.text, story)
    places: list[Predicted] = []
    roles: dict[tuple[int, int], str] = {}
    for place in article.places:
        spans = []
        for mention in place.mentions:
            if offsets.in_title(mention.start):
                continue
            span = offsets.span(mention.start, mention.end)
            if span is None:
                continue
            spans.append(span)
            roles[span] = getattr(mention, "role", None) or NO_ROLE
        if not spans:
            continue
        places.append(
            Predicted(
                name=place.name,
                spans=tuple(spans),
                lat=place.lat,
                lon=place.lon,
                country=place.country.upper() if place.country else None,
                admin1=place.admin1,
                feature=place.feature,
                precision=place.precision,
            )
        )
    return StoryPlaces(tuple(places), roles)


def run_newsdesk(
    stories: Sequence[Story], *, model: str = DEFAULT_MODEL
) -> tuple[dict[str, StoryPlaces], list[str], float]:
    """newsdesk's places by story id, the ids it rejected, and the seconds it took."""
    analysed, rejected, seconds = analyse_stories(stories, model=model)
    found = {story.id: places_of(article, story) for story, article in analysed}
    return found, rejected, seconds


# --- scoring ----------------------------------------------------------------------------------


def predicted_roles(
    articles: Sequence[Article],
    predictions: Sequence[Sequence[Predicted]],
    story_roles: Sequence[Mapping[tuple[int, int], str]],
) -> dict[str, int]:
    """How many gold toponyms were covered by a mention newsdesk gave each role."""
    counts: Counter[str] = Counter()
    for article, places, roles in zip(articles, predictions, story_roles, strict=True):
        for toponym in article.toponyms:
            found = covering(toponym, places)
            if found is None:
                continue
            gold = (toponym.start, toponym.end)
            spans = [s for s in found[0].spans if spans_overlap(s, gold)]
            counts[roles.get(spans[0], NO_ROLE) if spans else NO_ROLE] += 1
    return dict(sorted(counts.items()))


def score(golds: Sequence[GoldStory], found: Mapping[str, StoryPlaces]) -> dict[str, Any]:
    """GeoVirus's figures for each gold role; a story newsdesk rejected has no places."""
    out: dict[str, Any] = {}
    for name, role in ROLES.items():
        articles, countries = gold_articles(golds, role)
        predictions = [
            without_other_roles(found[g.id].places if g.id in found else (), g, role) for g in golds
        ]
        roles = [found[g.id].roles if g.id in found else {} for g in golds]
        toponyms = [t for article in articles for t in article.toponyms]
        if not toponyms:
            out[name] = {"gold": 0}
            continue
        regions = VoaRegions(toponyms, countries)
        scores = score_system(articles, predictions, regions)
        scores["predicted_role_of_covering_mention"] = predicted_roles(articles, predictions, roles)
        out[name] = scores
    return out


# --- report -----------------------------------------------------------------------------------

ROWS = (
    ("gold toponyms", "gold"),
    ("area-aware accuracy", "area_aware_accuracy"),
    ("strict accuracy (161 km)", "strict_accuracy"),
    ("area-aware, covered only", "area_aware_accuracy_covered"),
    ("median error km (covered)", "median_error_km_covered"),
    ("toponym precision", "toponym_precision"),
    ("toponym recall", "toponym_recall"),
    ("toponym F1", "toponym_f1"),
)


def print_report(scores: Mapping[str, Any]) -> None:
    header = ["figure", *(f"{name}{' (headline)' if name == HEADLINE else ''}" for name in ROLES)]
    rows = [[label, *(cell(scores[name].get(key)) for name in ROLES)] for label, key in ROWS]
    print(format_table(header, rows))
    for name in ROLES:
        figures = scores[name]
        if not figures.get("gold"):
            continue
        print(f"\n{name}: right by {figures['right_by']}")
        given = figures["predicted_role_of_covering_mention"]
        print(f"{name}: newsdesk's role of the covering mention {given}")
        missed = figures["most_missed"]
        print(
            f"{name}: most missed: "
            + (", ".join(f"{r['name']} {r['count']}" for r in missed) or "none")
        )
        table = wrong_table(figures["most_wrong"], gold_column="gold referent")
        if table:
            print(f"{name}: most wrongly resolved")
            print(table)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_DIR, help="folder of gold files")
    parser.add_argument("--data", type=Path, default=DATA_PATH, help="voa_stories.jsonl")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy pipeline")
    parser.add_argument("--stories", help="comma-separated story ids to score (default: all)")
    parser.add_argument("--out", default="geoparse_voa.json", help="file name in results/")
    args = parser.parse_args(argv)

    if not args.data.is_file():
        # The texts live in ../shared only: without them there is nothing to score.
        print(f"skipped: VOA stories not found at {args.data} (see ../shared/eval/voa/README.md)")
        return 0
    golds, problems = load_valid(args.gold, data=args.data)
    for name in sorted({problem.file for problem in problems}):
        first = next(p for p in problems if p.file == name)
        print(f"warning: skipped {name}: {first}", file=sys.stderr)
    golds = placed(golds)
    if args.stories:
        wanted = {item.strip() for item in args.stories.split(",") if item.strip()}
        golds = [gold for gold in golds if gold.id in wanted]
    if not golds:
        sys.exit(f"no gold story with toponyms_pass to score in {args.gold}")

    import newsdesk

    found, rejected, seconds = run_newsdesk([gold.story for gold in golds], model=args.model)
    scores = score(golds, found)
    results = {
        "benchmark": "geoparse_voa",
        "data": str(args.data),
        "gold": str(args.gold),
        "stories": [gold.id for gold in golds],
        "threshold_km": THRESHOLD_KM,
        "model": args.model,
        "environment": {**environment(), "newsdesk_path": str(Path(newsdesk.__file__).parent)},
        "seconds": round(seconds, 2),
        "rejected": rejected,
        "scores": scores,
    }
    print(
        f"VOA toponyms: {len(golds)} stories, "
        + ", ".join(f"{scores[n].get('gold', 0)} {n}" for n in ROLES)
        + f" gold toponyms; {len(rejected)} rejected; model {args.model}"
    )
    print_report(scores)
    path = write_json(args.out, results)
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Quality floors: measure every headline figure on a fixed subset of its set, check or raise.

The figures are those of the benchmark scripts (same loaders, same systems, same scorers,
imported from them), for newsdesk only, with one pipeline shared by all. Each benchmark scores
a fixed subset of its gold, chosen by a rule that does not depend on file order or on any
result (see ``SUBSETS``); most sets are small enough to score whole. ``benchmarks/floors.toml``
holds the floors; ``tests/test_floors.py`` fails when a figure falls below its floor.

    python benchmarks/floors.py                 # measure and compare, print a table
    python benchmarks/floors.py --only quotes   # one benchmark
    python benchmarks/floors.py --raise         # write floors up to the figures, never down

Floors only ever rise: ``--raise`` writes a figure (rounded down to 3 decimals) only where it
is above the floor, and adds figures the file lacks. While the file says
``status = "provisional"`` (floors measured before the issue-10 merges), ``--reset`` rewrites
every floor to the figures, up or down; once the status is ``final`` the floors test also
checks the file's git history and fails when a floor is lower than in any final version.

Adding a benchmark: write a ``measure_<name>(nlp)`` function returning ``{figure: value}``,
list it in ``MEASURES`` with its subset rule in ``SUBSETS``, run ``--raise``.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import re
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import DEFAULT_MODEL, PROJECT_ROOT, SHARED_EVAL, format_table

FLOORS_PATH = PROJECT_ROOT / "benchmarks" / "floors.toml"
DECIMALS = 3
Figures = dict[str, float]


def in_sample(key: str, one_in: int) -> bool:
    """A fixed pseudo-random 1-in-``one_in`` choice by the SHA-1 of an item's own content, so
    the subset stays the same whatever the file order or the machine."""
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) % one_in == 0


# --- one function per benchmark: the newsdesk arm of its script, on the subset ---------------


def measure_geovirus(nlp: Any) -> Figures:
    from geoparse_geovirus import (
        GoldRegions,
        load_geovirus,
        newsdesk_places,
        run_system,
        score_system,
    )

    articles = load_geovirus(SHARED_EVAL / "geovirus" / "GeoVirus.xml").articles
    regions = GoldRegions([t for article in articles for t in article.toponyms])
    predictions, _ = run_system("newsdesk", nlp, newsdesk_places, articles)
    scores = score_system(articles, predictions, regions)
    return {
        "area_aware_accuracy": scores["area_aware_accuracy"],
        "strict_accuracy": scores["strict_accuracy"],
        "toponym_f1": scores["toponym_f1"],
    }


def measure_plover(nlp: Any) -> Figures:
    from events_plover import load_gsr, newsdesk_events, run_system, score_system

    sentences = load_gsr(SHARED_EVAL / "plover-gsr" / "PLOVER_GSR_CAMEO.txt").sentences
    predictions, _ = run_system(nlp, newsdesk_events, sentences)
    scores = score_system(sentences, predictions)
    return {
        "type_accuracy_top1": scores["type_accuracy_top1"],
        "source_accuracy_top1": scores["source"]["accuracy_top1"],
        "target_accuracy_top1": scores["target"]["accuracy_top1"],
    }


def _location(nlp: Any, subset: str, one_in: int) -> Figures:
    from events_location import load_items, newsdesk_place, run_system, score_system

    data = SHARED_EVAL / "event-location" / "labeled_text.jsonl.zip"
    items = [
        item
        for item in load_items(data, subset=subset).items
        if one_in == 1 or in_sample(f"{item.text}\t{item.verb}", one_in)
    ]
    predictions, _ = run_system(nlp, newsdesk_place, items)
    scores = score_system(items, predictions)
    return {
        "accuracy": scores["accuracy"],
        "accuracy_gold_place": scores["accuracy_gold_place"],
        "accuracy_no_gold_place": scores["accuracy_no_gold_place"],
    }


def measure_location_relabel(nlp: Any) -> Figures:
    return _location(nlp, "RELABEL", 1)


SINGLE_ONE_IN = 10


def measure_location_single(nlp: Any) -> Figures:
    return _location(nlp, "single", SINGLE_ONE_IN)


def measure_quotes(nlp: Any) -> Figures:
    from quotes_gold import load_gold
    from quotes_wikinews import score

    texts, gold, articles = load_gold()
    scores = score(texts, gold, articles, nlp)
    return {
        "content_exact_f1": scores["content_exact"]["f1"],
        "content_overlap_f1": scores["content_overlap"]["f1"],
        "speaker_f1": scores["speaker"]["f1"],
    }


def measure_re3d(nlp: Any) -> Figures:
    from entities_re3d import load_re3d, newsdesk_mentions, run_system, score_system

    gold = load_re3d(SHARED_EVAL / "re3d", min_confidence=0.5)
    predicted, _ = run_system("newsdesk", nlp, newsdesk_mentions, gold.documents)
    texts = {document.id: document.text for document in gold.documents}
    scores = score_system(predicted, gold.mentions, texts)
    return {
        "overlap_micro_f1": scores["overlap"]["micro"]["f1"],
        "exact_nodet_micro_f1": scores["exact-nodet"]["micro"]["f1"],
    }


def measure_extraction(nlp: Any) -> Figures:
    # No spaCy model: ingest and segmentation only (nlp is not used).
    from extraction_articles import load_pages, newsdesk_reader, run, score

    pages = load_pages()
    found, _ = run(newsdesk_reader(), pages)
    scores = score(pages, found)
    return {
        "analysed_f1": scores["analysed"]["f1"],
        "extracted_f1": scores["extracted"]["f1"],
    }


FIELDS_FLOORED = ("source", "target", "place", "date", "status", "claimed_by")


def measure_e2e_voa(nlp: Any) -> Figures:
    # Analyzer on title + body, as e2e_voa.py runs it (the pipeline is the cached one).
    from e2e_voa import predict, score
    from voa_gold import load_gold

    golds = load_gold()
    figures = score(golds, predict("newsdesk", [gold.story for gold in golds])).as_dict()
    fields = figures["field_accuracy"]
    return {
        "event_recall": figures["event_recall"],
        "event_precision": figures["event_precision"],
        "event_f1": figures["event_f1"],
        "real_event_recall": figures["real_event_recall"],
        **{f"{name}_accuracy": fields[name] for name in FIELDS_FLOORED},
        "clean_event_share": figures["clean_event_share"],
        # Floors bound figures from below, so the invented share is floored as its complement.
        "not_invented_share": round(1 - figures["invented_share"], 4),
        "quote_f1": figures["quote_f1"],
        "speaker_f1": figures["speaker_f1"],
        "time_f1": figures["time_f1"],
        "time_value_accuracy": figures["time_value_accuracy"],
    }


def measure_geoparse_voa(nlp: Any) -> Figures:
    # Analyzer on title + body, as geoparse_voa.py runs it (the pipeline is the cached one).
    from geoparse_voa import placed, run_newsdesk, score
    from voa_gold import load_gold

    golds = placed(load_gold())
    found, _, _ = run_newsdesk([gold.story for gold in golds])
    scores = score(golds, found)
    plain, demonym, in_name = scores["plain"], scores["demonym"], scores["in_name"]
    return {
        "area_aware_accuracy": plain["area_aware_accuracy"],
        "strict_accuracy": plain["strict_accuracy"],
        "toponym_f1": plain["toponym_f1"],
        "demonym_area_aware_accuracy": demonym["area_aware_accuracy"],
        "demonym_toponym_f1": demonym["toponym_f1"],
        "in_name_area_aware_accuracy": in_name["area_aware_accuracy"],
        "in_name_toponym_f1": in_name["toponym_f1"],
    }


FALSE_ALARM_ONE_IN = 3


def measure_false_alarms(nlp: Any) -> Figures:
    from e2e_voa import GEOVIRUS_PATH, event_types, false_alarms
    from geoparse_geovirus import load_geovirus

    texts = [
        article.text
        for article in load_geovirus(GEOVIRUS_PATH).articles
        if in_sample(article.text, FALSE_ALARM_ONE_IN)
    ]
    alarms = false_alarms(event_types("newsdesk", texts))
    return {
        # The share of disease-outbreak articles in which newsdesk codes no conflict event.
        "articles_without_conflict_event": round(
            1 - alarms["share_of_articles_with_conflict_event"], 4
        ),
    }


def measure_stories_voa(nlp: Any) -> Figures:
    import newsdesk
    from newsdesk.settings import load_settings
    from stories_voa import DATA as STORIES_DATA
    from stories_voa import GOLD as STORIES_GOLD
    from stories_voa import measure as measure_stories

    def analyzer() -> Any:
        return newsdesk.Analyzer(settings=load_settings(), nlp=nlp)

    figures, _, _, _ = measure_stories(STORIES_DATA, STORIES_GOLD, analyzer=analyzer, cache=None)
    return {
        key: figures[key]
        for key in ("bcubed_precision", "bcubed_recall", "purity", "inverse_purity")
    }


MEASURES: dict[str, Callable[[Any], Figures]] = {
    "geovirus": measure_geovirus,
    "plover": measure_plover,
    "location_relabel": measure_location_relabel,
    "location_single": measure_location_single,
    "quotes": measure_quotes,
    "re3d": measure_re3d,
    "extraction": measure_extraction,
    "e2e_voa": measure_e2e_voa,
    "geoparse_voa": measure_geoparse_voa,
    "false_alarms": measure_false_alarms,
    "stories_voa": measure_stories_voa,
}
SUBSETS = {
    "geovirus": "all 229 articles of GeoVirus.xml (geoparse_geovirus.py)",
    "plover": "all 322 sentences of the PLOVER GSR (events_plover.py)",
    "location_relabel": "all 494 RELABEL items (events_location.py)",
    "location_single": (
        f"1 in {SINGLE_ONE_IN} single-annotator items, by SHA-1 of text + verb span "
        "(events_location.py --single; 937 of 9,684)"
    ),
    "quotes": "all 45 annotated articles (quotes_wikinews.py)",
    "re3d": "all 90 documents, gold confidence >= 0.5 (entities_re3d.py)",
    "extraction": "all 181 pages (extraction_articles.py)",
    "e2e_voa": "every story of the VOA gold set (e2e_voa.py, newsdesk on title + body)",
    "geoparse_voa": (
        "every VOA gold story with toponyms_pass (geoparse_voa.py, newsdesk on title + body; "
        "plain toponyms, demonyms and in_name apart)"
    ),
    "false_alarms": (
        f"1 in {FALSE_ALARM_ONE_IN} GeoVirus articles by SHA-1 of the text (e2e_voa.py's "
        "false-alarm figure)"
    ),
    "stories_voa": "all 89 VOA stories and the variants stories_voa.py makes (230 articles)",
}
# Data each benchmark reads, relative to ../shared/eval: absent data skips the benchmark.
DATA = {
    "geovirus": "geovirus/GeoVirus.xml",
    "plover": "plover-gsr/PLOVER_GSR_CAMEO.txt",
    "location_relabel": "event-location/labeled_text.jsonl.zip",
    "location_single": "event-location/labeled_text.jsonl.zip",
    "quotes": "geovirus/GeoVirus.xml",
    "re3d": "re3d",
    "extraction": "article-extraction/ground-truth.json",
    "e2e_voa": "voa/voa_stories.jsonl",
    "geoparse_voa": "voa/voa_stories.jsonl",
    "false_alarms": "geovirus/GeoVirus.xml",
    "stories_voa": "voa/voa_stories.jsonl",
}


def load_nlp(model: str = DEFAULT_MODEL) -> Any:
    import newsdesk

    return newsdesk.load_pipeline(model=model)


def measure(names: list[str], nlp: Any) -> dict[str, tuple[Figures, float]]:
    """Figures and seconds of each named benchmark."""
    out = {}
    for name in names:
        started = time.perf_counter()
        figures = MEASURES[name](nlp)
        out[name] = (figures, time.perf_counter() - started)
    return out


# --- the floors file -------------------------------------------------------------------------


def load_floors(path: Path = FLOORS_PATH) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def floors_of(document: dict[str, Any]) -> dict[str, dict[str, float]]:
    """The benchmark tables of a parsed floors file ({benchmark: {figure: floor}})."""
    return {
        name: {key: float(value) for key, value in table.items()}
        for name, table in document.items()
        if isinstance(table, dict)
    }


def rounded_down(value: float) -> float:
    scale = 10**DECIMALS
    # The epsilon keeps 0.873 (stored as 0.87299999...) at 0.873.
    return math.floor(value * scale + 1e-9) / scale


def below(figures: Figures, floors: dict[str, float], name: str) -> list[str]:
    """One line per figure under its floor, and per floor the benchmark no longer measures."""
    failures = []
    for key, floor in sorted(floors.items()):
        if key not in figures:
            failures.append(f"{name}.{key}: has a floor ({floor}) but is no longer measured")
        elif figures[key] < floor:
            failures.append(f"{name}.{key} = {figures[key]} is below its floor {floor}")
    return failures


def rewrite(text: str, measured: dict[str, Figures], *, allow_lower: bool) -> tuple[str, list[str]]:
    """The floors file with each measured figure written as its floor where it is higher (or
    any different, with ``allow_lower``); comments and order kept, new figures appended to
    their table (a new table at the end). Returns the text and what changed."""
    lines = text.splitlines()
    changes: list[str] = []
    for name, figures in measured.items():
        header = f"[{name}]"
        try:
            start = next(i for i, line in enumerate(lines) if line.strip() == header)
        except StopIteration:
            lines += ["", header]
            start = len(lines) - 1
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")),
            len(lines),
        )
        for key, value in figures.items():
            new = rounded_down(value)
            pattern = re.compile(rf"^{re.escape(key)}\s*=\s*([0-9.]+)(.*)$")
            found = next(
                ((i, m) for i in range(start + 1, end) if (m := pattern.match(lines[i]))),
                None,
            )
            if found is None:
                # After the table's last figure: blank lines and the next table's comment
                # stay below it.
                insert = end
                while insert > start + 1 and (
                    not lines[insert - 1].strip() or lines[insert - 1].lstrip().startswith("#")
                ):
                    insert -= 1
                lines.insert(insert, f"{key} = {new:.{DECIMALS}f}")
                end += 1
                changes.append(f"{name}.{key}: new floor {new:.{DECIMALS}f}")
                continue
            index, match = found
            old = float(match.group(1))
            if new > old or (allow_lower and new != old):
                lines[index] = f"{key} = {new:.{DECIMALS}f}{match.group(2)}"
                changes.append(f"{name}.{key}: {old} -> {new:.{DECIMALS}f}")
    return "\n".join(lines) + "\n", changes


# --- command line ----------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--only", action="append", choices=sorted(MEASURES), help="benchmark")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--raise", dest="raise_", action="store_true", help="raise floors")
    mode.add_argument(
        "--reset", action="store_true", help="set floors to the figures (provisional file only)"
    )
    args = parser.parse_args(argv)
    document = load_floors()
    if args.reset and document.get("status") != "provisional":
        sys.exit('--reset only while floors.toml says status = "provisional"; floors only rise')
    names = args.only or list(MEASURES)
    missing = [name for name in names if not (SHARED_EVAL / DATA[name]).exists()]
    if missing:
        sys.exit(f"data for {', '.join(missing)} is absent under {SHARED_EVAL}")
    nlp = load_nlp(args.model)
    measured = measure(names, nlp)
    floors = floors_of(document)
    rows, failures = [], []
    for name, (figures, seconds) in measured.items():
        for key, value in figures.items():
            floor = floors.get(name, {}).get(key)
            rows.append(
                [
                    f"{name}.{key}",
                    f"{value:.4f}",
                    "-" if floor is None else f"{floor:.3f}",
                    f"{seconds:.1f}",
                ]
            )
        failures += below(figures, floors.get(name, {}), name)
    print(format_table(["figure", "measured", "floor", "bench s"], rows))
    if args.raise_ or args.reset:
        text, changes = rewrite(
            FLOORS_PATH.read_text(encoding="utf-8"),
            {name: figures for name, (figures, _) in measured.items()},
            allow_lower=args.reset,
        )
        FLOORS_PATH.write_text(text, encoding="utf-8")
        print("\n".join(changes) or "no floor changed")
        return 0
    print("\n".join(failures) or "every figure is at or above its floor")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

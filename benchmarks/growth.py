"""Time growth on pathological inputs: newsdesk's analysis against bare spaCy, same texts.

Each kind of input is one that once made a stage super-linear in the length of its text:

- ``whitespace``: a dateline and place names split by long runs of spaces, tabs, em and
  no-break spaces (regexes that read a whitespace run again from every position in it);
- ``signoff``: a sign-off followed by a long run of replacement characters (what ``&#0;``
  decodes to), read as one long name whose every run of words was looked up in the gazetteer;
- ``paragraph``: one long unpunctuated paragraph with many verbs, so one sentence holds many
  events (asides found by walking every token's subtree once per event);
- ``toponyms``: a text naming thousands of places (every pair of toponyms compared, and names
  renormalised, in the second pass of place resolution).

For each kind the script builds inputs at 1x, 2x, 4x and 8x a base size (seeded, so every run
gets the same texts), times ``newsdesk.Analyzer().analyze(text)`` and bare spaCy
(``spacy.load(model)(text)``) on each in this one process, and prints the time ratio of each
size to the smallest (the growth: about 8 at 8x for linear time, 64 for quadratic) with the
growth exponent ``log(ratio) / log(size ratio)``, and newsdesk's time over bare spaCy's.

It exits 1 when any kind grows clearly faster than linear: newsdesk's time at the largest size
over its time at the smallest more than ``--max-ratio`` (12 by default for 8x the size), or
more than that ratio times bare spaCy's own growth when spaCy itself grows faster than linear.

Run from the project root:  python benchmarks/growth.py [--kinds signoff,paragraph] [--base 2]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections.abc import Callable
from typing import Any

from _common import DEFAULT_MODEL, environment, format_table, write_json

SCALES = (1, 2, 4, 8)
# Each run is timed this many times by default and the fastest kept: the machine is shared.
REPEATS = 2

_NAMES = (
    "Ahmed Rasheed",
    "Maria Lopez",
    "John Smith",
    "Fatima Bello",
    "Ivan Petrov",
    "Grace Mwangi",
)
_PLACES = (
    "Kabul",
    "Kandahar",
    "Herat",
    "Mazar-e-Sharif",
    "Jalalabad",
    "Kunduz",
    "Goma",
    "Bukavu",
    "Mosul",
    "Aleppo",
    "Homs",
    "Idlib",
    "Raqqa",
    "Kharkiv",
    "Odesa",
    "Mogadishu",
    "Kismayo",
    "Timbuktu",
    "Gao",
    "Maiduguri",
    "Kano",
    "Juba",
    "Malakal",
    "Khartoum",
    "Port Sudan",
    "Nyanza Province",
    "St. Marc",
    "Al Muthanna",
    "Benghazi",
    "Sirte",
)
_ACTORS = ("soldiers", "militants", "police", "rebels", "gunmen", "troops", "protesters")
_VERBS = ("attacked", "killed", "arrested", "shelled", "captured", "wounded", "entered")
_OBJECTS = ("the village", "civilians", "two men", "the convoy", "a checkpoint", "the town")


def whitespace(size: int) -> str:
    """A dateline and place names split by runs of whitespace as long as the text allows."""
    run = (" \t" * 3 + "\u2003" + "\u00a0") * max(1, size // 40)
    return (
        f"NEW{run}YORK, USA - Fighting in Al{run}Muthanna and St.{run}Marc{run}District "
        f"left 12 dead, and troops moved 40 km north of{run}Kabul{run}Province on Monday."
    )


def signoff(size: int) -> str:
    """A short report, then a sign-off running into U+FFFD characters (what ``&#0;`` decodes
    to): one long name to the parser."""
    body = (
        "GOMA, Congo - Rebels attacked a camp near Goma on Tuesday, killing three people, "
        "officials said.\n\nReporting by Ahmed Rasheed "
    )
    return body + "\ufffd " * max(1, (size - len(body)) // 2)


def paragraph(size: int) -> str:
    """One long unpunctuated paragraph of many clauses, each with a verb and often a place."""
    rng = random.Random(13)
    clauses: list[str] = []
    while sum(len(clause) + 5 for clause in clauses) < size:
        clause = f"{rng.choice(_ACTORS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}"
        if rng.random() < 0.6:
            clause += f" in {rng.choice(_PLACES)}"
        if rng.random() < 0.3:
            clause += f" which {rng.choice(_ACTORS)} {rng.choice(_VERBS)}"
        clauses.append(clause)
    return "Witnesses said " + " and ".join(clauses)


def toponyms(size: int) -> str:
    """Many short sentences, each naming places: thousands of toponyms in one text."""
    rng = random.Random(14)
    sentences: list[str] = []
    while sum(len(sentence) + 1 for sentence in sentences) < size:
        first, second, third = rng.sample(_PLACES, 3)
        sentences.append(
            rng.choice(
                (
                    f"Fighting spread from {first} to {second} and {third}.",
                    f"Aid reached {first}, {second} and {third} on Friday.",
                    f"Flights between {first} and {second} were cancelled.",
                )
            )
        )
    return " ".join(sentences)


KINDS: dict[str, tuple[Callable[[int], str], int]] = {
    # kind: (generator, base size in characters at --base 1)
    "whitespace": (whitespace, 10_000),
    "signoff": (signoff, 1_500),
    "paragraph": (paragraph, 2_500),
    "toponyms": (toponyms, 12_000),
}


def timed(function: Callable[[str], Any], text: str, repeats: int) -> float:
    best = math.inf
    for _ in range(repeats):
        started = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds")
    parser.add_argument("--base", type=float, default=1.0, help="multiply every base size")
    parser.add_argument("--max-ratio", type=float, default=12.0, help="allowed growth at 8x")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="runs per text (fastest kept)")
    parser.add_argument(
        "--limit",
        type=float,
        default=120.0,
        help="seconds: a kind whose analysis takes longer stops growing and counts as failed",
    )
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()
    kinds = [kind.strip() for kind in args.kinds.split(",") if kind.strip()]
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        parser.error(f"unknown kinds {unknown}; known: {', '.join(KINDS)}")

    import spacy

    from newsdesk import Analyzer

    bare = spacy.load(args.model)
    analyzer = Analyzer()
    analyzer.analyze("KABUL, Afghanistan - Warm-up: troops entered Kabul on Monday.")
    bare("Warm-up.")

    rows: list[list[str]] = []
    results: dict[str, Any] = {}
    failed: list[str] = []
    for kind in kinds:
        generate, base = KINDS[kind]
        measured = []
        for scale in SCALES:
            text = generate(int(base * args.base * scale))
            spacy_s = timed(bare, text, args.repeats)
            newsdesk_s = timed(analyzer.analyze, text, args.repeats)
            measured.append(
                {"scale": scale, "chars": len(text), "newsdesk_s": newsdesk_s, "spacy_s": spacy_s}
            )
            print(
                f"{kind} x{scale}: {len(text):,} chars, newsdesk {newsdesk_s:.2f} s, "
                f"spaCy {spacy_s:.2f} s",
                file=sys.stderr,
                flush=True,
            )
            if newsdesk_s > args.limit:
                break  # the next size would take far longer still
        first = measured[0]
        for row in measured:
            growth = row["newsdesk_s"] / first["newsdesk_s"]
            spacy_growth = row["spacy_s"] / first["spacy_s"]
            size_ratio = row["chars"] / first["chars"]
            exponent = math.log(growth) / math.log(size_ratio) if size_ratio > 1 else None
            row.update(growth=growth, spacy_growth=spacy_growth, exponent=exponent)
            rows.append(
                [
                    kind,
                    f"x{row['scale']}",
                    f"{row['chars']:,}",
                    f"{row['newsdesk_s']:.2f}",
                    f"{row['spacy_s']:.2f}",
                    f"{row['newsdesk_s'] / row['spacy_s']:.1f}",
                    f"{growth:.1f}",
                    f"{spacy_growth:.1f}",
                    "-" if exponent is None else f"{exponent:.2f}",
                ]
            )
        last = measured[-1]
        allowed = args.max_ratio * max(1.0, last["spacy_growth"] / SCALES[-1])
        if last["newsdesk_s"] > args.limit:
            failed.append(
                f"{kind}: x{last['scale']} took {last['newsdesk_s']:.0f} s, over --limit; "
                "larger sizes not run"
            )
        elif last["growth"] > allowed:
            failed.append(
                f"{kind}: x{SCALES[-1]} took {last['growth']:.1f}x (allowed {allowed:.1f}x)"
            )
        results[kind] = measured

    print(
        format_table(
            [
                "kind",
                "size",
                "chars",
                "newsdesk s",
                "spaCy s",
                "nd/spaCy",
                "growth",
                "spaCy growth",
                "exponent",
            ],
            rows,
        )
    )
    path = write_json(
        "growth",
        {
            "environment": environment(),
            "base": args.base,
            "max_ratio": args.max_ratio,
            "kinds": results,
            "failed": failed,
        },
    )
    print(f"\nwrote {path}")
    for line in failed:
        print(f"TOO FAST A GROWTH: {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

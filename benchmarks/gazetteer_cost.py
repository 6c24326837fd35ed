"""What the offline gazetteer costs: build time, file size, load time, lookup rate, memory.

Builds the index into a temporary folder (so the user's cache is left alone), then loads it
in a fresh process and times lookups of the names in the demo articles' places.
Run from the project root:  python benchmarks/gazetteer_cost.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from _common import environment, format_table, peak_rss_mib, write_json

NAMES = (
    "Kabul",
    "Panjshir",
    "Goma",
    "El Fasher",
    "Kharkiv",
    "Port-au-Prince",
    "Sittwe",
    "Segou",
    "Red Sea",
    "Darfur",
    "U.S.",
    "Scott County",
    "Springfield",
    "Georgia",
)
LOOKUP_ROUNDS = 200


def build(path: Path) -> dict[str, Any]:
    from newsdesk.data.gazetteer import build_gazetteer

    started = time.perf_counter()
    build_gazetteer(path)
    return {
        "build_seconds": round(time.perf_counter() - started, 2),
        "build_peak_rss_mib": round(peak_rss_mib(), 1),
        "index_mib": round(path.stat().st_size / 2**20, 1),
    }


def current_rss_mib() -> float:
    """Resident memory of this process now (Linux), in MiB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def load(path: Path) -> dict[str, Any]:
    """Run in a fresh process: the memory figures are the gazetteer's, not the build's."""
    from newsdesk.data.gazetteer import load_gazetteer

    before = current_rss_mib()
    tracemalloc.start()
    started = time.perf_counter()
    gazetteer = load_gazetteer(path)
    gazetteer.lookup("Kabul")
    load_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(LOOKUP_ROUNDS):
        for name in NAMES:
            gazetteer.lookup(name)
    lookups = LOOKUP_ROUNDS * len(NAMES)
    seconds = time.perf_counter() - started
    _, traced_peak = tracemalloc.get_traced_memory()
    return {
        "places": len(gazetteer),
        "load_seconds": round(load_seconds, 4),
        "lookups_per_second": round(lookups / seconds),
        "python_heap_peak_mib": round(traced_peak / 2**20, 2),
        "rss_growth_mib": round(current_rss_mib() - before, 1),
    }


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--load":
        print(json.dumps(load(Path(sys.argv[2]))))
        return 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "gazetteer.sqlite"
        built = build(path)
        child = subprocess.run(
            [sys.executable, __file__, "--load", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        loaded = json.loads(child.stdout)
    figures = {**built, **loaded}
    print(format_table(["figure", "value"], [[key, str(value)] for key, value in figures.items()]))
    write_json(
        "gazetteer_cost",
        {"benchmark": "gazetteer_cost", "environment": environment(), "figures": figures},
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Exports at scale: 10,000 and 100,000 merged events to every format, time and peak memory.

The stores are built the cheap way, once, and cached in ``benchmarks/.cache/exports/``
(git-ignored): the generated article stream of ``_corpus.py`` (records built by code, no
spaCy; two events per article, each with a place and a death toll), stored with
``Store.add_batch``, and one merged event per article event written with
``Store.replace_corpus_results`` (each with one report: the export reads the same rows,
articles and events per merged event whatever the merging found).

Each export then runs in a fresh subprocess, writing to a temporary file, so its peak resident
memory (``ru_maxrss`` of the child) is that export's alone; ``floor`` is the peak of a child
that imports the exporters and opens the store. Constant memory means the peak at 100,000 is
about the peak at 10,000: the exports read the store a page (500 merged events) at a time
and write as they read.

    python benchmarks/export_scale.py                         # 10,000 and 100,000
    python benchmarks/export_scale.py --sizes 1000 --formats csv   # quick look

Results: ``benchmarks/results/export_scale.json`` (``--out``); a table is printed.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import PROJECT_ROOT, environment, format_table, write_json

CACHE = PROJECT_ROOT / "benchmarks" / ".cache" / "exports"
FORMATS = ("acled", "gdelt", "gdelt-mentions", "geojson", "parquet", "jsonl", "csv")
_BUILD_VERSION = 1
_CHUNK = 1000


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def work_build(args: argparse.Namespace) -> dict[str, Any]:
    from _corpus import generated_stream
    from newsdesk.corpus.store import Store
    from newsdesk.records import EventMention, MergedEvent

    started = time.perf_counter()
    articles = itertools.islice(generated_stream(seed=args.seed), (args.size + 1) // 2)
    merged: list[MergedEvent] = []
    with Store(args.db) as store:
        while chunk := list(itertools.islice(articles, _CHUNK)):
            store.add_batch([(article, f"generated/{article.id}") for article in chunk])
            for article in chunk:
                for index, event in enumerate(article.events):
                    if len(merged) == args.size:
                        break
                    place = article.places[event.place] if event.place is not None else None
                    merged.append(
                        MergedEvent(
                            id=f"event-{len(merged):016x}",
                            type=event.type,
                            source=event.source,
                            target=event.target,
                            place=place.name if place else None,
                            country=place.country if place else None,
                            lat=place.lat if place else None,
                            lon=place.lon if place else None,
                            date=event.date,
                            status=event.status,
                            mentions=(
                                EventMention(
                                    article=article.id,
                                    event=index,
                                    evidence=event.evidence,
                                    publisher=article.publisher,
                                    published=article.published,
                                ),
                            ),
                            first_seen=article.published,
                            last_seen=article.published,
                            sources=1,
                        )
                    )
        store.replace_corpus_results(syndication=[], stories=[], merged=merged)
        counts = store.counts()
    return {"seconds": round(time.perf_counter() - started, 1), "counts": counts}


def work_floor(args: argparse.Namespace) -> dict[str, Any]:
    from newsdesk import desk
    from newsdesk.export import export  # noqa: F401 - the import is what is measured

    with desk.open_store(args.db, must_exist=True) as store:
        store.counts()
    return {"peak_mib": round(_peak_mib(), 1)}


def work_export(args: argparse.Namespace) -> dict[str, Any]:
    from newsdesk import desk
    from newsdesk.export import export

    fmt, mentions = args.format, False
    if fmt == "gdelt-mentions":
        fmt, mentions = "gdelt", True
    with (
        tempfile.TemporaryDirectory() as folder,
        desk.open_store(args.db, must_exist=True) as store,
    ):
        out = Path(folder) / f"export.{fmt}"
        cpu, wall = time.process_time(), time.perf_counter()
        counts = export(store, fmt, out, mentions=mentions)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        size = out.stat().st_size
    return {
        "written": counts.written,
        "left_out": counts.left_out,
        "cpu_s": round(cpu, 2),
        "wall_s": round(wall, 2),
        "mib_out": round(size / 2**20, 1),
        "peak_mib": round(_peak_mib(), 1),
    }


WORKERS = {"build": work_build, "floor": work_floor, "export": work_export}


def child(worker: str, **options: Any) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", worker]
    for key, value in options.items():
        command += [f"--{key.replace('_', '-')}", str(value)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{worker} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def store_of(size: int, seed: int) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    db = CACHE / f"merged-{size}-seed{seed}-v{_BUILD_VERSION}.sqlite"
    if not db.exists():
        print(f"  building the store of {size:,} merged events (cached after)...", flush=True)
        building = db.with_suffix(".building")
        building.unlink(missing_ok=True)
        built = child("build", size=size, seed=seed, db=building)
        building.replace(db)
        print(f"  built in {built['seconds']} s: {built['counts']}", flush=True)
    return db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default="export_scale.json")
    parser.add_argument("--worker", choices=sorted(WORKERS))
    parser.add_argument("--size", type=int)
    parser.add_argument("--db")
    parser.add_argument("--format")
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(WORKERS[args.worker](args)))
        return 0
    results: list[dict[str, Any]] = []
    for size in args.sizes:
        db = str(store_of(size, args.seed))
        floor = child("floor", db=db)["peak_mib"]
        for fmt in args.formats:
            found = child("export", db=db, format=fmt)
            results.append({"size": size, "format": fmt, "floor_mib": floor, **found})
            print(f"  {size:,} {fmt}: {found}", flush=True)
    header = ["format", *(f"{size:,}: s / peak MiB" for size in args.sizes), "MiB out"]
    rows = []
    for fmt in args.formats:
        cells = [fmt]
        mine = [r for r in results if r["format"] == fmt]
        for size in args.sizes:
            row = next(r for r in mine if r["size"] == size)
            cells.append(f"{row['wall_s']} / {row['peak_mib']} (floor {row['floor_mib']})")
        cells.append(str(mine[-1]["mib_out"]))
        rows.append(cells)
    print(format_table(header, rows))
    write_json(args.out, {"environment": environment(), "results": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

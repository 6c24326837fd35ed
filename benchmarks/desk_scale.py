"""The desk at scale: a batch of 1,000 new articles into stores of 1,000, 10,000 and 100,000.

For each corpus (``generated``, ``real``; see ``_corpus.py`` for the mix: stories of 1 to
dozens of reports, 20% partial copies, 5% whole copies, wire copy credited to agencies, real
records made from the demo and VOA articles one article in three) and each store size N:

1. the base store, the stream's first N articles, is built once and cached in
   ``benchmarks/.cache/stores/`` (git-ignored): inserted with ``Store.add_article``, then
   refreshed with ``desk.refresh`` (incremental when the desk has it: that is the same
   incremental path, over N articles). The build's own time and peak are recorded, for the
   estimate of what a bigger store costs to build. The stream's next ``--batch`` articles are
   cached beside it;
2. on a copy of the base store, each measured step runs in a fresh subprocess, so its peak
   resident memory (``ru_maxrss`` of the child) is that step's alone:

   - ``add``: the batch added with ``Store.add_article``, one article at a time;
   - ``refresh``: ``desk.refresh(store, settings=...)``. Its CPU seconds per step come from
     ``CorpusCounts.timings`` ("read", "syndication", "stories", "merging", "write") when the
     desk returns them; before the incremental desk, the script runs today's refresh step by
     step (the same calls ``analyse_corpus`` makes: read every article back, syndication,
     stories, merging, write) and times around each call;
   - ``full`` (incremental desk only, stores up to ``--compare-up-to``): a second copy, taken
     after ``add``, refreshed with ``full=True``; its stories, merged events and syndication
     records are compared with the incremental refresh's (``equal``).

Figures are CPU seconds (``time.process_time`` around the calls, imports and store opening
excluded) per article of the batch, and each step's peak RSS in MiB. The aim (issue 14): the
cost per article at 100,000 within 20% of the cost at 1,000, and every peak under 1.5 GB.
``floor`` is the peak of a child that only imports the desk and opens the store.

Run from the project root (the real corpus reads ../shared/eval/voa at run time):

    python benchmarks/desk_scale.py                              # 1k and 10k, both corpora
    python benchmarks/desk_scale.py --sizes 1000 10000 100000    # the issue's three sizes
    python benchmarks/desk_scale.py --corpus generated --sizes 1000 --batch 20   # quick look

Results: ``benchmarks/results/desk_scale.json`` (``--out``); a table is printed.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import itertools
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import PROJECT_ROOT, environment, format_table, peak_rss_mib, write_json

CACHE = PROJECT_ROOT / "benchmarks" / ".cache" / "stores"
STEPS = ("read", "syndication", "stories", "merging", "write")
LIMIT_MIB = 1536


# -- what the desk can do -----------------------------------------------------------------------


def incremental_desk() -> bool:
    """True once ``desk.refresh`` takes ``full`` (the incremental corpus steps)."""
    from newsdesk import desk

    return "full" in inspect.signature(desk.refresh).parameters


def fingerprint(corpus: str, size: int, batch: int, seed: int) -> str:
    """The cache key of a base store: what it holds and the code and schema that built it."""
    from newsdesk.corpus import schema

    here = Path(__file__).resolve().parent
    parts = [
        corpus,
        str(size),
        str(batch),
        str(seed),
        str(schema.SCHEMA_VERSION),
        "incremental" if incremental_desk() else "full",
        hashlib.sha256((here / "_corpus.py").read_bytes()).hexdigest()[:12],
    ]
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:12]


# -- workers (each in its own process) -----------------------------------------------------------


def _cpu() -> float:
    return time.process_time()


def work_build(args: argparse.Namespace) -> dict[str, Any]:
    """The base store (the stream's first ``size`` articles, refreshed) and the batch file."""
    from _corpus import stream
    from newsdesk import desk
    from newsdesk.corpus.store import Store
    from newsdesk.settings import load_settings

    articles = stream(args.corpus, seed=args.seed)
    db, batch_path = Path(args.db), Path(args.batch_file)
    started_cpu, started = _cpu(), time.perf_counter()
    with Store(db) as store:
        for article in itertools.islice(articles, args.size):
            store.add_article(article, source=f"bench/{article.id}")
        insert_cpu = _cpu() - started_cpu
        refresh_cpu = _cpu()
        counts = desk.refresh(store, settings=load_settings())
        refresh_cpu = _cpu() - refresh_cpu
    with batch_path.open("w", encoding="utf-8") as out:
        for article in itertools.islice(articles, args.batch):
            out.write(article.model_dump_json() + "\n")
    return {
        "insert_cpu_s": round(insert_cpu, 2),
        "refresh_cpu_s": round(refresh_cpu, 2),
        "wall_s": round(time.perf_counter() - started, 1),
        "stories": counts.stories,
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }


def work_floor(args: argparse.Namespace) -> dict[str, Any]:
    from newsdesk import desk  # noqa: F401  (the import is what is measured)
    from newsdesk.corpus.store import Store

    with Store(Path(args.db)) as store:
        store.counts()
    return {"peak_rss_mib": round(peak_rss_mib(), 1)}


def work_add(args: argparse.Namespace) -> dict[str, Any]:
    from newsdesk.corpus.store import Store
    from newsdesk.records import Article

    lines = Path(args.batch_file).read_text(encoding="utf-8").splitlines()
    with Store(Path(args.db)) as store:
        started = _cpu()
        added = 0
        for line in lines:
            article = Article.model_validate_json(line)
            added += bool(store.add_article(article, source=f"bench/{article.id}"))
        cpu = _cpu() - started
    return {"articles": added, "cpu_s": round(cpu, 3), "peak_rss_mib": round(peak_rss_mib(), 1)}


def work_refresh(args: argparse.Namespace) -> dict[str, Any]:
    from newsdesk import desk
    from newsdesk.corpus.store import Store
    from newsdesk.settings import load_settings

    settings = load_settings()
    with Store(Path(args.db)) as store:
        if not incremental_desk():
            return _today_refresh(store, settings)
        started = _cpu()
        counts = desk.refresh(store, settings=settings, full=args.full)
        cpu = _cpu() - started
        timings = dict(counts.timings)
        result = {
            "stories": counts.stories,
            "merged_events": counts.merged_events,
            "syndicated_blocks": counts.syndicated_blocks,
            "near_duplicates": counts.near_duplicates,
            "processed": counts.processed,
        }
    return {
        "mode": "full" if args.full else "incremental",
        "cpu_s": round(cpu, 3),
        "steps_cpu_s": {step: round(float(timings.get(step, 0.0)), 3) for step in STEPS},
        "other_steps_cpu_s": {k: round(float(v), 3) for k, v in timings.items() if k not in STEPS},
        "counts": result,
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }


def _today_refresh(store: Any, settings: Any) -> dict[str, Any]:
    """Today's ``desk.refresh`` (analyse_corpus over every stored article, then
    replace_corpus_results), its steps timed apart: the same calls, in the same order."""
    from newsdesk.corpus.merging import merge_events
    from newsdesk.corpus.stories import StoryClusterer
    from newsdesk.corpus.syndication import SyndicationIndex

    corpus = settings.corpus
    steps: dict[str, float] = {}
    started = _cpu()
    articles = list(store.iter_articles())
    steps["read"] = _cpu() - started
    mark = _cpu()
    index = SyndicationIndex(settings=corpus)
    for article in articles:
        index.add(article)
    syndication = index.syndications()
    steps["syndication"] = _cpu() - mark
    mark = _cpu()
    clusterer = StoryClusterer(settings=corpus)
    for article in articles:
        clusterer.add(article)
    stories = clusterer.stories()
    steps["stories"] = _cpu() - mark
    mark = _cpu()
    merged = merge_events(
        articles, syndication=syndication, stories=clusterer.assignments(), settings=corpus
    )
    steps["merging"] = _cpu() - mark
    mark = _cpu()
    store.replace_corpus_results(syndication=syndication, stories=stories, merged=merged)
    steps["write"] = _cpu() - mark
    return {
        "mode": "today (full)",
        "cpu_s": round(_cpu() - started, 3),
        "steps_cpu_s": {step: round(seconds, 3) for step, seconds in steps.items()},
        "other_steps_cpu_s": {},
        "counts": {
            "stories": len(stories),
            "merged_events": len(merged),
            "syndicated_blocks": len(syndication),
            "near_duplicates": len(index.duplicates()),
        },
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }


def work_compare(args: argparse.Namespace) -> dict[str, Any]:
    """Stories, merged events and syndication records of two stores, compared as sets."""
    from newsdesk.corpus.store import Store

    def results(db: str) -> dict[str, set[str]]:
        with Store(Path(db)) as store:
            return {
                "stories": {s.model_dump_json() for s in store.stories()},
                "merged_events": {m.model_dump_json() for m in store.merged_events()},
                "syndication": {s.model_dump_json() for s in store.syndication()},
            }

    left, right = results(args.db), results(args.other_db)
    differences = {
        kind: len(left[kind] ^ right[kind]) for kind in left if left[kind] != right[kind]
    }
    return {
        "equal": not differences,
        "compared": {kind: len(rows) for kind, rows in left.items()},
        "differing_rows": differences,
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }


WORKERS = {
    "build": work_build,
    "floor": work_floor,
    "add": work_add,
    "refresh": work_refresh,
    "compare": work_compare,
}


def child(worker: str, **options: Any) -> dict[str, Any]:
    """Run one worker in a fresh Python process and return what it printed (JSON)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", worker]
    for key, value in options.items():
        if value is True:
            command.append(f"--{key.replace('_', '-')}")
        elif value not in (None, False):
            command += [f"--{key.replace('_', '-')}", str(value)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{worker} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = round(time.perf_counter() - started, 2)
    return result


# -- driver ---------------------------------------------------------------------------------------


def base_store(
    corpus: str, size: int, args: argparse.Namespace
) -> tuple[Path, Path, dict[str, Any]]:
    """The cached base store and batch file, built first when missing."""
    key = fingerprint(corpus, size, args.batch, args.seed)
    CACHE.mkdir(parents=True, exist_ok=True)
    db = CACHE / f"{corpus}-{size}-{key}.sqlite"
    batch = CACHE / f"{corpus}-{size}-{key}.batch.jsonl"
    info = CACHE / f"{corpus}-{size}-{key}.json"
    if db.exists() and batch.exists() and info.exists():
        return db, batch, {**json.loads(info.read_text("utf-8")), "cached": True}
    print(f"  building the {size:,}-article {corpus} store (cached after)...", flush=True)
    for stale in (db, batch, info):
        stale.unlink(missing_ok=True)
    building = db.with_suffix(".building")
    building.unlink(missing_ok=True)
    built = child(
        "build",
        corpus=corpus,
        size=size,
        batch=args.batch,
        seed=args.seed,
        db=building,
        batch_file=batch,
    )
    building.replace(db)
    info.write_text(json.dumps(built) + "\n", encoding="utf-8")
    return db, batch, {**built, "cached": False}


def measure(corpus: str, size: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    db, batch, build = base_store(corpus, size, args)
    print(f"  {corpus} {size:,}: measuring", flush=True)
    store = work / f"{corpus}-{size}.sqlite"
    shutil.copyfile(db, store)
    row: dict[str, Any] = {"corpus": corpus, "size": size, "batch": args.batch, "build": build}
    row["floor"] = child("floor", db=store)
    row["add"] = child("add", db=store, batch_file=batch)
    compare = incremental_desk() and size <= args.compare_up_to
    if compare:
        full_store = work / f"{corpus}-{size}-full.sqlite"
        shutil.copyfile(store, full_store)
    row["refresh"] = child("refresh", db=store)
    if compare:
        row["full"] = child("refresh", db=full_store, full=True)
        row["equal"] = child("compare", db=store, other_db=full_store)
        full_store.unlink()
    store.unlink()
    return row


def per_article(row: dict[str, Any]) -> dict[str, float]:
    """CPU milliseconds per article of the batch, step by step and in all."""
    n = row["add"]["articles"] or row["batch"]
    out = {"add": 1000 * row["add"]["cpu_s"] / n}
    for step, seconds in row["refresh"]["steps_cpu_s"].items():
        out[step] = 1000 * seconds / n
    out["refresh"] = 1000 * row["refresh"]["cpu_s"] / n
    # What the refresh spends outside its named steps: opening its state, settings, watermark.
    out["other"] = max(0.0, out["refresh"] - sum(out.get(step, 0.0) for step in STEPS))
    out["total"] = out["add"] + out["refresh"]
    return {key: round(value, 3) for key, value in out.items()}


def table(rows: list[dict[str, Any]]) -> str:
    header = ["corpus", "store", "mode", "add", *STEPS, "other", "refresh", "total", "x smallest",
              "peak add", "peak refresh", "full ms", "equal"]  # fmt: skip
    smallest: dict[str, float] = {}
    lines = []
    for row in rows:
        cost = row["per_article_ms"]
        smallest.setdefault(row["corpus"], cost["total"])
        full = row.get("full") if "cpu_s" in row.get("full", {}) else None
        equal = row.get("equal") if row.get("equal", {}).get("equal") is not None else None
        lines.append(
            [row["corpus"], str(row["size"]), row["refresh"]["mode"], f"{cost['add']:.2f}",
             *(f"{cost.get(step, 0.0):.2f}" for step in STEPS), f"{cost['other']:.2f}",
             f"{cost['refresh']:.2f}",
             f"{cost['total']:.2f}", f"{cost['total'] / smallest[row['corpus']]:.2f}",
             f"{row['add']['peak_rss_mib']:.0f}", f"{row['refresh']['peak_rss_mib']:.0f}",
             f"{1000 * full['cpu_s'] / row['batch']:.1f}" if full else "-",
             ("yes" if equal["equal"] else "NO") if equal else "-"]
        )  # fmt: skip
    return format_table(header, lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--batch", type=int, default=1000, help="new articles per measured step")
    parser.add_argument("--corpus", nargs="+", default=["generated", "real"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--compare-up-to",
        type=int,
        default=10_000,
        help="compare with a full recompute at stores up to this size",
    )
    parser.add_argument("--out", default="desk_scale.json", help="file name in results/")
    parser.add_argument(
        "--show", type=Path, nargs="+", help="print the table of these result files and stop"
    )
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    for hidden in ("db", "other-db", "batch-file", "size"):
        parser.add_argument(f"--{hidden}", help=argparse.SUPPRESS)
    parser.add_argument("--full", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        if args.size is not None:
            args.size = int(args.size)
        args.corpus = args.corpus[0] if isinstance(args.corpus, list) else args.corpus
        print(json.dumps(WORKERS[args.worker](args)))
        return 0

    if args.show:
        shown = [row for path in args.show for row in json.loads(path.read_text("utf-8"))["rows"]]
        for row in shown:
            row["per_article_ms"] = per_article(row)
        print(table(shown))
        return 0
    mode = "incremental" if incremental_desk() else "today's full refresh"
    print(f"desk_scale: batches of {args.batch} into {args.sizes}; refresh: {mode}", flush=True)
    payload: dict[str, Any] = {
        "benchmark": "desk_scale",
        "environment": environment(),
        "refresh": mode,
        "batch": args.batch,
        "limit_mib": LIMIT_MIB,
        "rows": [],
    }
    with tempfile.TemporaryDirectory(prefix="newsdesk-scale-") as tmp:
        for corpus in args.corpus:
            for size in sorted(args.sizes):
                row = measure(corpus, size, args, Path(tmp))
                row["per_article_ms"] = per_article(row)
                payload["rows"].append(row)
                # Written after every row: a long run stopped part way keeps what it measured.
                path = write_json(args.out, payload)
    print()
    print(f"CPU ms per article of the batch; peaks in MiB (aim: < {LIMIT_MIB})")
    print(table(payload["rows"]))
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

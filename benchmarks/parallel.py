"""Articles per second on 1 and 2 local workers (and on Dask), and a day's news projected.

The same ``--n`` texts (``throughput.py``'s: the demo articles, each repeat with its body
paragraphs permuted) go through each arm, one arm after another in this one command:

- ``local-1``: ``newsdesk.workers.analyze_many(texts, workers=1)``: the Analyzer in this process,
  as ``newsdesk ingest --workers 1`` analyses;
- ``local-2``: the same with ``workers=2``: two spawned worker processes, chunks of 16 inputs
  out, records back to this process in input order, as ``newsdesk ingest --workers 2``;
- ``run-local``, ``run-dask`` (when ``newsdesk.batch`` is installed): ``newsdesk run`` over the
  texts written as files, into Parquet shards (``--shard-size`` inputs each), on the local pool
  or on a Dask ``LocalCluster`` of ``--workers`` single-threaded worker processes.

Wall clock is the point here: it is what two cores buy. The local arms are started first (the
pool spawned and every worker's pipeline loaded: ``start s``, reported apart), then run over
the same ``--rounds`` slices of the texts, taking turns, the order rotated each round, so that
a change in the machine's load falls on both alike; ``run s`` is the sum of an arm's slices.
Their CPU seconds are this process's and the live workers' (``/proc/PID/stat``) over the same
slices: what sending work out and records back costs shows as CPU above ``local-1``'s. The
``run-*`` arms come after, each timed whole (start-up included, as a user runs them), their CPU
seconds this process's plus its exited children's (``RUSAGE_CHILDREN``).

The projection to a day of 250,000 articles uses the rate measured per core (articles per CPU
second of ``local-1``): on 2 cores at that rate with perfect scaling, and at the rate
``local-2`` measured. On a machine shared with other work the wall-clock figures (and so the
2-worker ratio) are pessimistic: run it when the machine is quiet.

    python benchmarks/parallel.py --n 2000
"""

from __future__ import annotations

import argparse
import importlib.util
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from _common import DEFAULT_MODEL, environment, format_table, write_json
from throughput import children_cpu_seconds, make_texts

DAY = 250_000
AIM_HOURS = 12.0
AIM_RATIO = 1.8
LOCAL_ARMS = ("local-1", "local-2")
RUN_ARMS = ("run-local", "run-dask")


def _children_cpu() -> float:
    """CPU seconds of the children that have exited (the run-* arms' workers)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu() -> float:
    return time.process_time() + _children_cpu()


class LocalArm:
    """``analyze_many`` on ``workers`` local workers, started and warm, timed slice by slice."""

    def __init__(self, name: str, workers: int, settings: Any, warm: list[str]) -> None:
        from newsdesk import workers as pool

        self.name = name
        self.workers = workers
        self.pool = pool
        clock = time.perf_counter()
        self.executor = pool.LocalExecutor(workers, settings=settings)
        self.executor.__enter__()
        # Every worker loads its pipeline now (one small chunk each, sent at once).
        list(self.executor.map(pool.analyze_chunk, [warm[:1]] * (2 * workers)))
        self.start_seconds = time.perf_counter() - clock
        self.seconds = 0.0
        self.cpu_seconds = 0.0
        self.outcomes: dict[str, int] = {}

    def run(self, texts: list[str]) -> None:
        import multiprocessing

        pids = [child.pid for child in multiprocessing.active_children() if child.pid]
        chunks = [texts[at : at + self.pool.CHUNK] for at in range(0, len(texts), self.pool.CHUNK)]
        cpu = time.process_time() + children_cpu_seconds(pids)
        clock = time.perf_counter()
        for results in self.executor.map(self.pool.analyze_chunk, chunks):
            for record in results:
                kind = type(record).__name__
                self.outcomes[kind] = self.outcomes.get(kind, 0) + 1
        self.seconds += time.perf_counter() - clock
        self.cpu_seconds += time.process_time() + children_cpu_seconds(pids) - cpu

    def close(self) -> None:
        self.executor.__exit__(None, None, None)

    def result(self, count: int) -> dict[str, Any]:
        return {
            "arm": self.name,
            "start_seconds": round(self.start_seconds, 2),
            "seconds": round(self.seconds, 2),
            "articles_per_second": round(count / self.seconds, 3),
            "cpu_seconds": round(self.cpu_seconds, 2),
            "outcomes": self.outcomes,
        }


def local_arms(
    texts: list[str], names: list[str], workers: int, settings: Any, rounds: int
) -> list[dict[str, Any]]:
    """The local arms, warm, over the same slices of ``texts``, their order rotated by round,
    so that a change in the machine's load falls on both alike."""
    arms = [LocalArm(name, 1 if name == "local-1" else workers, settings, texts) for name in names]
    try:
        size = -(-len(texts) // rounds)
        for index, at in enumerate(range(0, len(texts), size)):
            shift = index % len(arms)
            for arm in arms[shift:] + arms[:shift]:
                arm.run(texts[at : at + size])
    finally:
        for arm in arms:
            arm.close()
    return [arm.result(len(texts)) for arm in arms]


def run_arm(
    texts: list[str], executor: str, args: argparse.Namespace, settings: Any
) -> dict[str, Any]:
    from newsdesk.batch.executors import run

    root = Path(tempfile.mkdtemp(prefix="newsdesk-parallel-"))
    try:
        folder = root / "texts"
        folder.mkdir()
        for index, text in enumerate(texts):
            (folder / f"{index:06d}.txt").write_text(text, encoding="utf-8")
        cpu_started = _cpu()
        clock = time.perf_counter()
        summary = run(
            [folder],
            root / "out",
            executor=executor,  # type: ignore[arg-type]
            workers=args.workers,
            size=args.shard_size,
            settings=settings,
        )
        seconds = time.perf_counter() - clock
        return {
            "arm": f"run-{executor}",
            "start_seconds": None,
            "seconds": round(seconds, 2),
            "articles_per_second": round(len(texts) / seconds, 3),
            "cpu_seconds": round(_cpu() - cpu_started, 2),
            "outcomes": {"Article": summary.articles, "Rejected": summary.rejected},
            "shards": summary.processed,
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)


def has_batch() -> bool:
    return importlib.util.find_spec("newsdesk.batch") is not None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="texts per arm")
    parser.add_argument("--workers", type=int, default=2, help="workers of the parallel arms")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy pipeline")
    parser.add_argument(
        "--rounds", type=int, default=4, help="slices the local arms alternate over"
    )
    parser.add_argument("--shard-size", type=int, default=100, help="inputs per shard (run-*)")
    parser.add_argument(
        "--arms", help="comma-separated subset of local-1,local-2,run-local,run-dask"
    )
    parser.add_argument("--out", default="parallel.json", help="file name in results/")
    args = parser.parse_args(argv)

    import newsdesk

    settings = newsdesk.load_settings()
    settings = replace(settings, model=replace(settings.model, name=args.model))
    notes = []
    available = list(LOCAL_ARMS)
    if has_batch():
        available.append("run-local")
        if importlib.util.find_spec("distributed") is not None:
            available.append("run-dask")
        else:
            notes.append("dask[distributed] is not installed: no run-dask arm")
    else:
        notes.append("newsdesk.batch (newsdesk run) is not in this build: local arms only")
    wanted = [arm.strip() for arm in args.arms.split(",")] if args.arms else available
    missing = sorted(set(wanted) - set(available))
    if missing:
        sys.exit(f"arms not available here: {missing}; available: {', '.join(available)}")
    for note in notes:
        print(note, file=sys.stderr)

    texts = make_texts(args.n)
    print(f"{len(texts)} texts; arms one after another: {', '.join(wanted)}", file=sys.stderr)
    results: dict[str, dict[str, Any]] = {}
    local = [name for name in wanted if name in LOCAL_ARMS]
    if local:
        for result in local_arms(texts, local, args.workers, settings, args.rounds):
            results[result["arm"]] = result
    for name in wanted:
        if name in RUN_ARMS:
            results[name] = run_arm(texts, name.removeprefix("run-"), args, settings)
    for name, result in results.items():
        print(f"  {name}: {result['articles_per_second']:.2f} articles/s", file=sys.stderr)

    one = results.get("local-1")
    rows = []
    for name, result in results.items():
        ratio = result["articles_per_second"] / one["articles_per_second"] if one else None
        start = result["start_seconds"]
        rows.append(
            [
                name,
                str(len(texts)),
                f"{start:.1f}" if start is not None else "in run",
                f"{result['seconds']:.1f}",
                f"{result['articles_per_second']:.2f}",
                f"{ratio:.2f}" if ratio is not None else "-",
                f"{result['cpu_seconds']:.1f}",
            ]
        )
    print(
        format_table(["arm", "texts", "start s", "run s", "articles/s", "x local-1", "CPU s"], rows)
    )

    projection: dict[str, Any] = {}
    if one:
        # With one worker all the work is in this process: its CPU seconds over the run.
        per_core = len(texts) / one["cpu_seconds"]
        projection["articles_per_cpu_second"] = round(per_core, 3)
        projection["hours_one_core"] = round(DAY / per_core / 3600, 2)
        projection["hours_two_cores_perfect"] = round(DAY / (2 * per_core) / 3600, 2)
    two = results.get("local-2")
    if two:
        projection["hours_two_workers_measured"] = round(DAY / two["articles_per_second"] / 3600, 2)
    if one and two:
        projection["ratio_two_workers"] = round(
            two["articles_per_second"] / one["articles_per_second"], 3
        )
    if projection:
        print(
            f"\n{DAY:,} articles a day on this machine (aim: under {AIM_HOURS:.0f} h on 2 cores, "
            f"{AIM_RATIO}x with 2 workers):"
        )
        for key, value in projection.items():
            print(f"  {key}: {value}")
    path = write_json(
        args.out,
        {
            "benchmark": "parallel",
            "n": len(texts),
            "workers": args.workers,
            "model": args.model,
            "shard_size": args.shard_size,
            "environment": environment(),
            "arms": list(results.values()),
            "projection": projection,
            "notes": notes,
        },
    )
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

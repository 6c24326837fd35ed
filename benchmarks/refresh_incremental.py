"""Cost of one incremental refresh: 1,000 new articles into stores that already hold N.

The articles are the corpus benchmark's generated records (``corpus_scaling.generate``: stories
of about ten reports, 20% republishing paragraphs, 5% whole copies, 100 a day). A store is
filled with the first N and refreshed (not timed); then 1,000 more are stored and one
``desk.refresh`` takes them in, in a fresh process so that its peak memory is its own. Reported:
CPU seconds per article, per step and in all, and the process's peak RSS. The aim: the same
cost per article whatever N, and memory that does not grow with it.

    python benchmarks/refresh_incremental.py [--sizes 1000 10000] [--new 1000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import environment, format_table, peak_rss_mib, write_json


def _fill(db: Path, stored: int, new: int) -> None:
    from corpus_scaling import generate
    from newsdesk import desk
    from newsdesk.corpus.store import Store
    from newsdesk.settings import load_settings

    articles = generate(stored + new)
    with Store(db) as store:
        for article in articles[:stored]:
            store.add_article(article)
        desk.refresh(store, settings=load_settings())
        for article in articles[stored:]:
            store.add_article(article)


def _measure(db: Path) -> dict[str, object]:
    from newsdesk import desk
    from newsdesk.corpus.store import Store
    from newsdesk.settings import load_settings

    settings = load_settings()
    with Store(db) as store:
        start = time.process_time()
        counts = desk.refresh(store, settings=settings)
        cpu = time.process_time() - start
    return {
        "processed": counts.processed,
        "cpu_s": round(cpu, 3),
        "timings": {step: round(seconds, 3) for step, seconds in counts.timings.items()},
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--new", type=int, default=1000)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        print(json.dumps(_measure(args.measure)))
        return
    rows, results = [], []
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "store.sqlite"
            _fill(db, size, args.new)
            done = subprocess.run(
                [sys.executable, __file__, "--measure", str(db)],
                capture_output=True,
                text=True,
                check=True,
            )
        result = {"stored": size, **json.loads(done.stdout.strip().splitlines()[-1])}
        results.append(result)
        per = 1000 * float(result["cpu_s"]) / max(1, int(result["processed"]))  # type: ignore[arg-type]
        steps = result["timings"]
        assert isinstance(steps, dict)
        rows.append(
            [
                str(size),
                str(result["processed"]),
                f"{per:.2f}",
                *(f"{1000 * steps[s] / max(1, int(result['processed'])):.2f}" for s in steps),  # type: ignore[arg-type]
                str(result["peak_rss_mib"]),
            ]
        )
        print(rows[-1], flush=True)
    steps = list(results[0]["timings"]) if results else []  # type: ignore[call-overload]
    print(
        format_table(
            ["stored", "new", "ms/article", *(f"{s} ms" for s in steps), "peak RSS MiB"], rows
        )
    )
    write_json("refresh_incremental.json", {"environment": environment(), "results": results})


if __name__ == "__main__":
    main()

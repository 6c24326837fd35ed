"""Cold start of ``newsdesk analyze``: the same command run again and again in fresh processes.

Reports the median wall and CPU seconds (the child's user + system time) of ``--runs`` runs of
``python -m newsdesk analyze DEMO-ARTICLE``, and the modules of the corpus layer (datasketch,
scipy, SQLAlchemy, pandas) the command imported, read from ``-X importtime``: analysing one
article needs none of them.

    python benchmarks/cold_start.py --runs 7

To compare two versions of the code, name their ``src`` folders: the runs alternate between
them (round by round), so that the load of a shared machine hits both alike:

    git worktree add /tmp/newsdesk-before <commit>
    python benchmarks/cold_start.py --runs 7 --src /tmp/newsdesk-before/src --src src
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import DEMO_DIR, environment, format_table, write_json

CORPUS_MODULES = ("datasketch", "scipy", "sqlalchemy", "pandas")
ARTICLE = DEMO_DIR / "yemen-red-sea.txt"


def command(article: Path) -> list[str]:
    return [sys.executable, "-m", "newsdesk", "analyze", str(article)]


def _env(src: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src.resolve())
    return env


def one_run(article: Path, src: Path | None) -> tuple[float, float]:
    """Wall and CPU seconds of one run in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    clock = time.perf_counter()
    subprocess.run(command(article), check=True, stdout=subprocess.DEVNULL, env=_env(src))
    wall = time.perf_counter() - clock
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def imported(article: Path, src: Path | None) -> dict[str, float]:
    """Seconds of import (cumulative, as -X importtime reports) of each corpus module loaded."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *command(article)[1:]],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(src),
    )
    found: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (part.strip() for part in line.split("|"))
        if name in CORPUS_MODULES and cumulative.isdigit():
            found[name] = int(cumulative) / 1e6
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--article", type=Path, default=ARTICLE)
    parser.add_argument(
        "--src",
        type=Path,
        action="append",
        help="a src folder to run newsdesk from (repeat to compare; default: as installed)",
    )
    args = parser.parse_args()
    sources: list[Path | None] = list(args.src or [None])
    for src in sources:
        one_run(args.article, src)  # warm the page cache; not counted
    runs: dict[int, list[tuple[float, float]]] = {index: [] for index in range(len(sources))}
    for _ in range(args.runs):
        for index, src in enumerate(sources):
            runs[index].append(one_run(args.article, src))
    print(f"$ {' '.join(command(args.article))}  ({args.runs} runs each, medians)")
    rows = []
    results = []
    for index, src in enumerate(sources):
        wall = statistics.median(run[0] for run in runs[index])
        cpu = statistics.median(run[1] for run in runs[index])
        corpus = imported(args.article, src)
        loaded = ", ".join(f"{name} {seconds:.2f}" for name, seconds in corpus.items())
        rows.append([str(src or "installed"), f"{wall:.2f}", f"{cpu:.2f}", loaded or "none"])
        results.append(
            {
                "src": str(src),
                "wall_s": wall,
                "cpu_s": cpu,
                "runs": runs[index],
                "corpus_imports_s": corpus,
            }
        )
    print(format_table(["code", "wall s", "CPU s", "corpus modules imported (s)"], rows))
    write_json("cold_start", {"results": results, "environment": environment()})


if __name__ == "__main__":
    main()

"""``newsdesk load`` against adding the same articles one by one, and the Parquet output's size.

``--n`` Article records built by code (``ingest_store.py``'s generator: corpus_scaling.py's
articles with titles and claims; no spaCy) are written as shard files of ``--shard-size``
articles (the time to write them and their bytes per article are reported), then stored in a
fresh store by each arm:

- ``one_by_one``: ``Store.add_article`` per article, its own transaction each (what ``newsdesk
  ingest`` does);
- ``load``: ``newsdesk.batch.load.load_shards``: one transaction and a few bulk statements per
  shard file, the records read back from Parquet included.

Both arms store the same rows (checked). The corpus steps (``desk.refresh``) are left out: they
are the same code after either arm. CPU seconds of this process, and wall seconds (the store's
fsyncs are wall time). SQLite always; PostgreSQL too when ``NEWSDESK_TEST_POSTGRES_URL`` names a
server whose user may create databases.

Run from the project root:  python benchmarks/batch_load.py [--n 2000] [--shard-size 200]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _common import environment, format_table, write_json
from ingest_store import POSTGRES_ENV, postgres_database, synthetic_articles


def _timed(call: Callable[[], Any]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    call()
    return time.perf_counter() - wall, time.process_time() - cpu


def write_shards(articles: list[Any], out: Path, size: int) -> None:
    from newsdesk.batch.parquet import ShardWriter, article_row

    out.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(articles), size):
        name = f"{start:08d}"
        meta = {"shard": name, "name": name, "order": [f"bench/{name}", 0], "extractor": "bench"}
        with ShardWriter(out / f"{name}.parquet", meta=meta) as writer:
            part = articles[start : start + size]
            for index in range(0, len(part), 32):
                writer.write(
                    [
                        article_row(a, source=f"bench/{start + index + k}", shard=name)
                        for k, a in enumerate(part[index : index + 32])
                    ]
                )
            writer.commit(articles=len(part), reasons={})


def measure(url: str, articles: list[Any], out: Path, arm: str) -> dict[str, float]:
    from newsdesk.batch.load import load_shards
    from newsdesk.corpus.store import Store

    with Store(url) as store:
        if arm == "load":
            wall, cpu = _timed(lambda: load_shards(out, store))
        else:

            def one_by_one() -> None:
                for index, article in enumerate(articles):
                    store.add_article(article, source=f"bench/{index}")

            wall, cpu = _timed(one_by_one)
        counts = store.counts()
    return {"wall_s": wall, "cpu_s": cpu, "articles_per_s": len(articles) / wall, **counts}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--shard-size", type=int, default=200)
    args = parser.parse_args()
    articles = synthetic_articles(args.n)
    results: dict[str, Any] = {"n": args.n, "shard_size": args.shard_size}
    with tempfile.TemporaryDirectory(prefix="newsdesk-batch-load-") as tmp:
        out = Path(tmp) / "job"
        wall, cpu = _timed(lambda: write_shards(articles, out, args.shard_size))
        size = sum(path.stat().st_size for path in out.glob("*.parquet"))
        results["parquet"] = {
            "write_wall_s": wall,
            "write_cpu_s": cpu,
            "bytes_per_article": size / args.n,
        }
        rows = []
        server = os.environ.get(POSTGRES_ENV)
        for backend in ["sqlite", *(["postgresql"] if server else [])]:
            figures = {}
            for arm in ("one_by_one", "load"):
                if server is None or backend == "sqlite":
                    figures[arm] = measure(str(Path(tmp) / f"{arm}.sqlite"), articles, out, arm)
                else:
                    with postgres_database(server) as url:
                        figures[arm] = measure(url, articles, out, arm)
            one, bulk = figures["one_by_one"], figures["load"]
            same = {k: v for k, v in one.items() if not k.endswith("_s")}
            assert same == {k: v for k, v in bulk.items() if not k.endswith("_s")}, (one, bulk)
            figures["speedup_wall"] = one["wall_s"] / bulk["wall_s"]
            results[backend] = figures
            for arm in ("one_by_one", "load"):
                rows.append(
                    [
                        backend,
                        arm,
                        f"{figures[arm]['wall_s']:.2f}",
                        f"{figures[arm]['cpu_s']:.2f}",
                        f"{figures[arm]['articles_per_s']:.0f}",
                    ]
                )
    print(
        f"{args.n} articles, shards of {args.shard_size}: Parquet "
        f"{results['parquet']['bytes_per_article']:.0f} bytes/article, written in "
        f"{results['parquet']['write_cpu_s']:.2f} CPU s"
    )
    print(format_table(["store", "arm", "wall s", "CPU s", "articles/s"], rows))
    for backend in ("sqlite", "postgresql"):
        if backend in results:
            print(f"{backend}: load is {results[backend]['speedup_wall']:.1f}x one by one (wall)")
    results["environment"] = environment()
    print(f"wrote {write_json('batch_load.json', results)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

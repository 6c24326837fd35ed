"""Ingest rate against analysis alone, and query latency on a 10,000-article store.

Part ``ingest``: the same generated files, each arm in its own subprocess (so each peak-memory
figure is that arm's alone), one after the other in one run:

- ``analyze``: ``Analyzer().analyze_many`` over the files (read as bytes), records discarded:
  what ``newsdesk analyze`` costs per article;
- ``ingest``: ``desk.ingest`` over the folder into a fresh SQLite store, then
  ``desk.refresh`` (syndication, stories, merged events), timed apart: what
  ``newsdesk ingest`` costs. The time spent inside ``Store.add_article``/``add_rejected`` is
  measured too, so the store's share of the ingest shows.

The files are the project's demo articles repeated to ``--n``, every repeat with its body
paragraphs permuted (``throughput.py``'s generator), so no two are identical.

Part ``store``: 10,000 Article records built by code (``corpus_scaling.py``'s generator, plus a
title and claims; no spaCy) added one by one with ``Store.add_article`` to a fresh store, the
corpus steps run over the store as ``desk.refresh`` does (timed: read back, analyse, write
results), then ``Store.events`` with several filters and ``Store.search`` with several queries
timed over ``--repeat`` runs each (median, p95). SQLite always; PostgreSQL too when
``NEWSDESK_TEST_POSTGRES_URL`` names a server whose user may create databases (a fresh database
is made and dropped).

How the story and event-merge steps grow from 1k to 10k articles is ``corpus_scaling.py``'s.
Run from the project root:  python benchmarks/ingest_store.py [--n 300] [--store-n 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from _common import environment, format_table, peak_rss_mib, write_json

POSTGRES_ENV = "NEWSDESK_TEST_POSTGRES_URL"
ARMS = ("analyze", "ingest")
PARTS = ("ingest", "store")
WARMUP_TEXTS = 4


# -- part 1: ingest against analyze ------------------------------------------------------------


def write_inputs(folder: Path, n: int) -> list[Path]:
    """``n`` demo-article variants as .txt files; names sort in generation order."""
    from throughput import make_texts

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, text in enumerate(make_texts(n)):
        path = folder / f"{i:06d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _warmed_analyzer(folder: Path) -> tuple[Any, float, list[Path], float]:
    """Both arms start alike: the analyzer, its load time, the input files, and the peak RSS
    after a few texts have warmed the pipeline up."""
    import newsdesk

    started = time.perf_counter()
    analyzer = newsdesk.Analyzer()
    load_s = time.perf_counter() - started
    paths = sorted(folder.glob("*.txt"))
    for _ in analyzer.analyze_many(path.read_bytes() for path in paths[:WARMUP_TEXTS]):
        pass
    return analyzer, load_s, paths, peak_rss_mib()


def run_analyze(folder: Path) -> dict[str, Any]:
    from newsdesk.records import Input

    analyzer, load_s, paths, rss_warm = _warmed_analyzer(folder)

    outcomes: dict[str, int] = {}
    started = time.perf_counter()
    inputs = (Input(data=path.read_bytes(), origin=str(path)) for path in paths)
    for record in analyzer.analyze_many(inputs):
        kind = type(record).__name__
        outcomes[kind] = outcomes.get(kind, 0) + 1
    seconds = time.perf_counter() - started
    return {
        "arm": "analyze",
        "texts": len(paths),
        "load_seconds": round(load_s, 3),
        "seconds": round(seconds, 3),
        "articles_per_second": round(len(paths) / seconds, 3),
        "outcomes": outcomes,
        "peak_rss_mib_after_warmup": round(rss_warm, 1),
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }


def run_ingest(folder: Path, db: Path) -> dict[str, Any]:
    from dataclasses import asdict

    from newsdesk import desk
    from newsdesk.corpus.store import Store
    from newsdesk.records import Article, Rejected

    class TimedStore(Store):
        """The product's store, with the time spent in its write calls added up."""

        write_seconds = 0.0

        def add_article(self, article: Article, *, source: str | None = None) -> bool:
            started = time.perf_counter()
            try:
                return super().add_article(article, source=source)
            finally:
                self.write_seconds += time.perf_counter() - started

        def add_rejected(self, rejected: Rejected) -> None:
            started = time.perf_counter()
            try:
                super().add_rejected(rejected)
            finally:
                self.write_seconds += time.perf_counter() - started

    analyzer, load_s, paths, rss_warm = _warmed_analyzer(folder)

    with TimedStore(db) as store:
        started = time.perf_counter()
        counts = desk.ingest([folder], store=store, analyzer=analyzer)
        ingest_s = time.perf_counter() - started
        rss_ingest = peak_rss_mib()
        started = time.perf_counter()
        corpus = desk.refresh(store, settings=analyzer.settings)
        corpus_s = time.perf_counter() - started
        write_s = store.write_seconds
        stored = store.counts()
    total = ingest_s + corpus_s
    return {
        "arm": "ingest",
        "texts": len(paths),
        "load_seconds": round(load_s, 3),
        "ingest_seconds": round(ingest_s, 3),
        "store_write_seconds": round(write_s, 3),
        "corpus_seconds": round(corpus_s, 3),
        "seconds": round(total, 3),
        "ingest_articles_per_second": round(len(paths) / ingest_s, 3),
        "articles_per_second": round(len(paths) / total, 3),
        "counts": asdict(counts),
        "corpus": asdict(corpus),
        "stored": stored,
        "store_bytes": _sqlite_bytes(db),
        "peak_rss_mib_after_warmup": round(rss_warm, 1),
        "peak_rss_mib_after_ingest": round(rss_ingest, 1),
        "peak_rss_mib": round(peak_rss_mib(), 1),
    }


def print_ingest(analyze: dict[str, Any], ingest: dict[str, Any]) -> dict[str, float]:
    base = analyze["articles_per_second"]
    ratios = {
        "ingest_paths_over_analyze": round(ingest["ingest_articles_per_second"] / base, 4),
        "ingest_and_corpus_over_analyze": round(ingest["articles_per_second"] / base, 4),
    }
    rows = [
        ["analyze", "analyze_many", f"{analyze['seconds']:.2f}", f"{base:.2f}", "1.000",
         f"{analyze['peak_rss_mib']:.0f}"],
        ["ingest", "ingest_paths", f"{ingest['ingest_seconds']:.2f}",
         f"{ingest['ingest_articles_per_second']:.2f}",
         f"{ratios['ingest_paths_over_analyze']:.3f}",
         f"{ingest['peak_rss_mib_after_ingest']:.0f}"],
        ["ingest", "  of which store writes", f"{ingest['store_write_seconds']:.2f}", "", "", ""],
        ["ingest", "refresh_corpus", f"{ingest['corpus_seconds']:.2f}", "", "", ""],
        ["ingest", "ingest + refresh", f"{ingest['seconds']:.2f}",
         f"{ingest['articles_per_second']:.2f}",
         f"{ratios['ingest_and_corpus_over_analyze']:.3f}", f"{ingest['peak_rss_mib']:.0f}"],
    ]  # fmt: skip
    header = ["arm", "step", "s", "articles/s", "x analyze", "peak MiB"]
    print(format_table(header, rows))
    print(f"ingest counts: {ingest['counts']}; corpus: {ingest['corpus']}")
    return ratios


# -- part 2: a 10,000-article store -----------------------------------------------------------


def synthetic_articles(n: int, *, seed: int = 11) -> list[Any]:
    """corpus_scaling.py's records, each given a title and one or two claims."""
    from corpus_scaling import generate
    from newsdesk.records import Claim, Evidence

    rng = random.Random(seed)
    out = []
    for article in generate(n):
        claims = []
        for k, block in enumerate(article.blocks[: rng.randint(1, 2)]):
            text = article.text[block.start : block.end]
            content = Evidence(start=block.start, end=block.end, text=text)
            claims.append(
                Claim(
                    claimant="e2" if k == 0 else "e0",
                    content=content,
                    stance="deny" if rng.random() < 0.2 else "assert",
                    hedged=rng.random() < 0.3,
                )
            )
        title = " ".join(article.text.split()[:8])
        out.append(article.model_copy(update={"title": title, "claims": tuple(claims)}))
    return out


def _queries(
    articles: list[Any],
) -> tuple[list[tuple[str, dict[str, Any]]], list[str], str]:
    """Event filters and search texts that hit the generated corpus in different amounts."""
    first = articles[len(articles) // 2]
    actor = first.entities[0]
    country = first.places[0].country
    kind = first.events[0].type
    month = (first.published or "2021-02")[:7]
    events: list[tuple[str, dict[str, Any]]] = [
        ("all, limit 100", {"limit": 100}),
        (f"country={country}", {"country": country}),
        (f"type={kind}", {"type": kind}),
        (f"type={kind}, limit 100", {"type": kind, "limit": 100}),
        (f"actor={actor.actor}", {"actor": actor.actor}),
        (f"actor={actor.name} (name)", {"actor": actor.name}),
        (f"since/until={month}", {"since": month, "until": month}),
        (
            f"country+type+since/until {month}",
            {"country": country, "type": kind, "since": month, "until": month},
        ),
    ]
    # Words by how many articles hold them: a frequent one, a middling one, a rare one.
    frequency: dict[str, int] = {}
    for article in articles:
        for word in set(article.text.lower().replace(".", " ").split()):
            frequency[word] = frequency.get(word, 0) + 1
    ranked = sorted(frequency, key=lambda w: (-frequency[w], w))
    common, middling = ranked[0], ranked[len(ranked) // 20]
    rare = next(w for w in reversed(ranked) if w.isalpha() and frequency[w] >= 2)
    phrase = " ".join(first.text.split()[1:3])
    search = [
        common,
        middling,
        rare,
        f"{common} {middling}",
        f'"{phrase}"',
        actor.name,
        "zzzznotaword",
    ]
    return events, search, first.entities[2].name


def _timed(call: Callable[[], Any], repeat: int) -> dict[str, Any]:
    times, found = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        found = len(call())
        times.append((time.perf_counter() - started) * 1000)
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "rows": found,
        "first_ms": round(times[0], 3),
        "median_ms": round(statistics.median(times), 3),
        "p95_ms": round(p95, 3),
        "max_ms": round(ordered[-1], 3),
    }


def run_store(url: str, n: int, repeat: int) -> dict[str, Any]:
    from newsdesk.corpus.desk import analyse_corpus
    from newsdesk.corpus.store import Store
    from newsdesk.settings import load_settings

    started = time.perf_counter()
    articles = synthetic_articles(n)
    generate_s = time.perf_counter() - started
    events_q, search_q, claims_q = _queries(articles)
    settings = load_settings()
    result: dict[str, Any] = {"articles": n, "generate_seconds": round(generate_s, 3)}

    with Store(url) as store:
        started = time.perf_counter()
        added = sum(store.add_article(a, source=f"synthetic/{a.id}") for a in articles)
        insert_s = time.perf_counter() - started
        result.update(
            added=added,
            insert_seconds=round(insert_s, 3),
            inserts_per_second=round(n / insert_s, 1),
        )
        del articles

        # desk.refresh's steps, timed apart.
        started = time.perf_counter()
        stored = list(store.iter_articles())
        read_s = time.perf_counter() - started
        started = time.perf_counter()
        results = analyse_corpus(stored, settings=settings.corpus)
        analyse_s = time.perf_counter() - started
        del stored
        started = time.perf_counter()
        store.replace_corpus_results(
            syndication=results.syndication, stories=results.stories, merged=results.merged
        )
        write_s = time.perf_counter() - started
        result["corpus"] = {
            "read_seconds": round(read_s, 3),
            "analyse_seconds": round(analyse_s, 3),
            "write_seconds": round(write_s, 3),
            "total_seconds": round(read_s + analyse_s + write_s, 3),
            "stories": len(results.stories),
            "merged_events": len(results.merged),
            "syndication_records": len(results.syndication),
            "duplicates": len(results.duplicates),
        }
        del results
        result["counts"] = store.counts()

        result["events"] = [
            {"query": label, **_timed(partial(store.events, **filters), repeat)}
            for label, filters in events_q
        ]
        result["search"] = [
            {"query": text, **_timed(partial(store.search, text), repeat)} for text in search_q
        ]
        claimant = claims_q
        result["claims"] = [
            {"query": f"actor={claimant}", **_timed(partial(store.claims, actor=claimant), repeat)}
        ]
        database = store.database_file
    result["store_bytes"] = _sqlite_bytes(database) if database else _postgres_bytes(url)
    result["peak_rss_mib"] = round(peak_rss_mib(), 1)
    return result


def _sqlite_bytes(path: Path) -> int:
    return sum(
        part.stat().st_size
        for part in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm")))
        if part.exists()
    )


def _postgres_bytes(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(sa.make_url(url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as conn:
            return int(
                conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one()
            )
    finally:
        engine.dispose()


def print_store(backend: str, figures: dict[str, Any]) -> None:
    corpus = figures["corpus"]
    print(
        f"\n{backend}: {figures['articles']} articles inserted in "
        f"{figures['insert_seconds']:.1f} s "
        f"({figures['inserts_per_second']:.0f}/s); store {figures['store_bytes'] / 2**20:.1f} MiB; "
        f"peak {figures['peak_rss_mib']:.0f} MiB"
    )
    print(
        f"corpus steps: read {corpus['read_seconds']:.2f} s, analyse "
        f"{corpus['analyse_seconds']:.2f} s, write {corpus['write_seconds']:.2f} s "
        f"(total {corpus['total_seconds']:.2f} s; {corpus['stories']} stories, "
        f"{corpus['merged_events']} merged events, {corpus['syndication_records']} syndicated "
        f"blocks)"
    )
    rows = [
        [kind, entry["query"], str(entry["rows"]), f"{entry['first_ms']:.1f}",
         f"{entry['median_ms']:.1f}", f"{entry['p95_ms']:.1f}"]
        for kind in ("events", "search", "claims")
        for entry in figures[kind]
    ]  # fmt: skip
    print(format_table(["call", "query", "rows", "first ms", "median ms", "p95 ms"], rows))


@contextmanager
def postgres_database(server: str) -> Iterator[str]:
    """A fresh database on the server at ``server`` (its user needs CREATEDB), dropped after."""
    import sqlalchemy as sa

    name = f"newsdesk_bench_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(
        sa.make_url(server).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield sa.make_url(server).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


# -- driver -----------------------------------------------------------------------------------


def in_subprocess(worker: str, args: argparse.Namespace, **extra: str) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", worker]
    command += ["--store-n", str(args.store_n), "--repeat", str(args.repeat)]
    for key, value in extra.items():
        command += [f"--{key}", value]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{worker} failed (exit {done.returncode}):\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def worker(args: argparse.Namespace) -> int:
    if args.worker == "analyze":
        result = run_analyze(Path(args.folder))
    elif args.worker == "ingest":
        result = run_ingest(Path(args.folder), Path(args.db))
    else:
        result = run_store(args.db, args.store_n, args.repeat)
    print(json.dumps(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="generated files for the ingest part")
    parser.add_argument("--store-n", type=int, default=10_000, help="articles in the store part")
    parser.add_argument("--repeat", type=int, default=20, help="runs of each query")
    parser.add_argument(
        "--parts", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}"
    )
    parser.add_argument("--out", default="ingest_store.json", help="file name in results/")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument(
        "--parallel", action="store_true", help="run the two ingest arms at once, a core each"
    )
    parser.add_argument("--worker", choices=(*ARMS, "store"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)

    parts = [part.strip() for part in args.parts.split(",") if part.strip()]
    if unknown := sorted(set(parts) - set(PARTS)):
        sys.exit(f"unknown parts {unknown}; choose from {', '.join(PARTS)}")
    payload: dict[str, Any] = {"benchmark": "ingest_store", "environment": environment()}
    root = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    try:
        if "ingest" in parts:
            folder = root / "inputs"
            paths = write_inputs(folder, args.n)
            words = sum(len(path.read_text(encoding="utf-8").split()) for path in paths)
            print(
                f"ingest: {len(paths)} files ({words} words) from the demo articles; "
                "each arm in its own process",
                flush=True,
            )
            db = str(root / "ingest.sqlite")
            if args.parallel:
                # One core each, at the same time: the same conditions for both arms, and half
                # the wall time, which is what makes --n 10000 fit in an afternoon.
                with ThreadPoolExecutor(max_workers=2) as pool:
                    analyzing = pool.submit(in_subprocess, "analyze", args, folder=str(folder))
                    ingesting = pool.submit(
                        in_subprocess, "ingest", args, folder=str(folder), db=db
                    )
                    analyze, ingest = analyzing.result(), ingesting.result()
            else:
                analyze = in_subprocess("analyze", args, folder=str(folder))
                ingest = in_subprocess("ingest", args, folder=str(folder), db=db)
            ratios = print_ingest(analyze, ingest)
            payload["ingest"] = {
                "n": args.n,
                "words": words,
                "arms": [analyze, ingest],
                "ratios": ratios,
            }
        if "store" in parts:
            backends = {"sqlite": str(root / "store.sqlite")}
            server = os.environ.get(POSTGRES_ENV)
            print(
                f"store: {args.store_n} synthetic articles, {args.repeat} runs per query; "
                f"PostgreSQL {'too' if server else f'skipped ({POSTGRES_ENV} unset)'}",
                flush=True,
            )
            payload["store"] = {}
            figures = in_subprocess("store", args, db=backends["sqlite"])
            print_store("SQLite", figures)
            payload["store"]["sqlite"] = figures
            if server:
                with postgres_database(server) as url:
                    figures = in_subprocess("store", args, db=url)
                print_store("PostgreSQL", figures)
                payload["store"]["postgresql"] = figures
    finally:
        if args.keep:
            print(f"kept {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    path = write_json(args.out, payload)
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

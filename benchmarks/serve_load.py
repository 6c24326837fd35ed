"""The web API under load: N concurrent clients on loopback against ``newsdesk serve``.

The store: ``--events`` merged events (default 100,000) on SQLite, built once and cached in
``benchmarks/.cache/serve/`` (git-ignored). Records are made the cheap way, without spaCy: the
generated article stream of ``_corpus.py`` (two events each) is stored with
``Store.add_batch``, and each of its events becomes one merged event (a real country, a status,
the report as its one mention), written with ``Store.replace_corpus_results`` beside stories of
ten consecutive articles. Every merged event has one report, so the figures measure the query,
not the merging.

The server: ``python -m newsdesk serve --db STORE --port PORT`` in a subprocess, read-only (no
token), as a user starts it. The clients: ``--clients`` asyncio tasks with their own httpx
connection each, for ``--duration`` seconds after ``--warmup`` seconds unmeasured, each sending
one request after another, taking the three kinds (or those ``--kinds`` names) in turn:

- ``events``: the map's question, ``GET /api/events`` with a month or quarter's window of
  dates, a PLOVER type or a country one time in two, and a page of ``--page`` rows at offset
  0, 1 or 2 pages in;
- ``story``: ``GET /api/stories/{id}`` of a random story (its articles and merged events);
- ``search``: ``GET /api/search`` of one or two words of a random title.

Reported per kind: requests, errors (anything but 200, or no answer), p50/p95/p99/max
latency in milliseconds and requests per second; written to
``benchmarks/results/serve_load.json`` (``--out``) with the command and the machine. The client
runs on the same machine as the server: on a small machine both share the cores.

    python benchmarks/serve_load.py                               # 100,000 events, 20 clients, 20 s
    python benchmarks/serve_load.py --events 10000 --duration 5   # a quick look
    python benchmarks/serve_load.py --kinds events --out serve_load_events.json  # the map alone
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

import httpx

from _common import PROJECT_ROOT, environment, format_table, write_json
from _corpus import START, generated_stream
from newsdesk.corpus.store import Store
from newsdesk.records import Article, EventMention, MergedEvent, Story

CACHE = PROJECT_ROOT / "benchmarks" / ".cache" / "serve"
KINDS = ("events", "story", "search")
# Real ISO codes for the generated places (their own codes are made up): the country filter
# and the map need real ones.
COUNTRIES = (
    "AF", "SD", "UA", "CD", "ML", "NG", "SO", "SY", "YE", "IQ", "LY", "ET", "MM", "HT", "CO",
    "MX", "PK", "IN", "BD", "PH", "KE", "LB", "IL", "PS", "IR", "TR", "RU", "BF", "NE", "CF",
)  # fmt: skip
STATUSES = ("occurred",) * 7 + ("claimed", "claimed", "alleged")
_BATCH = 500


# -- the store --------------------------------------------------------------------------------


def _merged(article: Article, rng: random.Random) -> list[MergedEvent]:
    place = article.places[0]
    country = COUNTRIES[zlib.crc32(place.name.encode()) % len(COUNTRIES)]
    names = {entity.id: entity.actor or entity.name for entity in article.entities}
    return [
        MergedEvent(
            id=f"event-{article.id}-{index}",
            type=event.type,
            source=tuple(names[e] for e in event.source),
            target=tuple(names[e] for e in event.target),
            place=place.name,
            country=country,
            lat=place.lat,
            lon=place.lon,
            date=event.date,
            status=rng.choice(STATUSES),
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
        for index, event in enumerate(article.events)
    ]


def _story(number: int, articles: list[Article]) -> Story:
    days = sorted(a.published for a in articles if a.published)
    return Story(
        id=f"story-{number:06d}",
        title=articles[0].title or f"story {number}",
        articles=tuple(a.id for a in articles),
        first_seen=days[0] if days else None,
        last_seen=days[-1] if days else None,
    )


def build_store(events: int) -> Path:
    """The cached store of ``events`` merged events, built when missing."""
    path = CACHE / f"serve-{events}.sqlite"
    if path.is_file():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for stale in CACHE.glob(partial.name + "*"):
        stale.unlink()
    rng = random.Random(11)
    started = time.perf_counter()
    merged: list[MergedEvent] = []
    stories: list[Story] = []
    stream: Iterator[Article] = generated_stream(seed=7)
    with Store(partial) as store:
        while len(merged) < events:
            batch = list(islice(stream, _BATCH))
            store.add_batch([(article, None) for article in batch])
            for start in range(0, len(batch), 10):
                stories.append(_story(len(stories), batch[start : start + 10]))
            for article in batch:
                merged += _merged(article, rng)
        store.replace_corpus_results(syndication=[], stories=stories, merged=merged[:events])
    for end in ("-wal", "-shm"):
        partial.with_name(partial.name + end).unlink(missing_ok=True)
    partial.rename(path)
    print(f"built {path} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


# -- the server -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = {key: value for key, value in os.environ.items() if key != "NEWSDESK_TOKEN"}
    command = [sys.executable, "-m", "newsdesk", "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(command, env=env, cwd=PROJECT_ROOT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stories?limit=1").status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("the server did not answer within 120 s")


# -- the load ---------------------------------------------------------------------------------


class Requests:
    """The three kinds of request, with parameters drawn from what the store holds."""

    def __init__(self, stories: list[str], words: list[str], *, page: int, days: int) -> None:
        self.stories = stories
        self.words = words
        self.page = page
        self.days = days

    def events(self, rng: random.Random) -> tuple[str, dict[str, Any]]:
        first = START + timedelta(days=rng.randrange(max(1, self.days - 90)))
        last = first + timedelta(days=rng.choice((30, 90)))
        params: dict[str, Any] = {
            "since": first.isoformat(),
            "until": last.isoformat(),
            "limit": self.page,
            "offset": self.page * rng.randrange(3),
        }
        roll = rng.random()
        if roll < 0.25:
            params["type"] = rng.choice(("ASSAULT", "PROTEST", "COERCE", "AID"))
        elif roll < 0.5:
            params["country"] = rng.choice(COUNTRIES)
        return "/api/events", params

    def story(self, rng: random.Random) -> tuple[str, dict[str, Any]]:
        return f"/api/stories/{rng.choice(self.stories)}", {}

    def search(self, rng: random.Random) -> tuple[str, dict[str, Any]]:
        words = rng.sample(self.words, rng.choice((1, 2)))
        return "/api/search", {"q": " ".join(words), "limit": 20}


async def client(
    base: str,
    requests: Requests,
    seed: int,
    *,
    kinds: tuple[str, ...],
    measure_from: float,
    stop: float,
    results: dict[str, list[float]],
    errors: dict[str, list[str]],
) -> None:
    rng = random.Random(seed)
    turn = seed
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while time.perf_counter() < stop:
            kind = kinds[turn % len(kinds)]
            turn += 1
            path, params = getattr(requests, kind)(rng)
            began = time.perf_counter()
            try:
                response = await http.get(path, params=params)
                failed = None if response.status_code == 200 else f"{response.status_code}"
            except httpx.HTTPError as exc:
                failed = type(exc).__name__
            took = time.perf_counter() - began
            if began < measure_from:
                continue
            if failed is not None:
                errors[kind].append(failed)
            results[kind].append(took * 1000)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def summarise(latencies: list[float], errors: list[str], seconds: float) -> dict[str, Any]:
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(_percentile(latencies, 0.95), 1) if latencies else None,
        "p99_ms": round(_percentile(latencies, 0.99), 1) if latencies else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
        "requests_per_s": round(len(latencies) / seconds, 1),
    }


async def drive(base: str, requests: Requests, args: argparse.Namespace) -> dict[str, Any]:
    results: dict[str, list[float]] = {kind: [] for kind in KINDS}
    errors: dict[str, list[str]] = {kind: [] for kind in KINDS}
    start = time.perf_counter()
    measure_from = start + args.warmup
    stop = measure_from + args.duration
    await asyncio.gather(
        *(
            client(
                base,
                requests,
                seed,
                kinds=args.kinds,
                measure_from=measure_from,
                stop=stop,
                results=results,
                errors=errors,
            )
            for seed in range(args.clients)
        )
    )
    seconds = time.perf_counter() - measure_from
    every = [value for kind in KINDS for value in results[kind]]
    report = {kind: summarise(results[kind], errors[kind], seconds) for kind in args.kinds}
    report["all"] = summarise(every, [e for kind in KINDS for e in errors[kind]], seconds)
    return report


def _pools(base: str) -> tuple[list[str], list[str]]:
    """Story ids and title words to draw requests from, read through the API."""
    stories: list[str] = []
    words: set[str] = set()
    with httpx.Client(base_url=base, timeout=60) as http:
        for offset in range(0, 2000, 500):
            page = http.get("/api/stories", params={"limit": 500, "offset": offset}).json()
            stories += [story["id"] for story in page["items"]]
            for story in page["items"]:
                words.update(word for word in story["title"].split() if len(word) > 4)
    return stories, sorted(words)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="merged events in the store")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (1-200)")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds measured (1-300)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before measuring")
    parser.add_argument("--page", type=int, default=100, help="rows per page of events")
    parser.add_argument(
        "--kinds", nargs="+", choices=KINDS, default=KINDS, help="the requests, taken in turn"
    )
    parser.add_argument("--out", default="serve_load.json", help="file name in results/")
    args = parser.parse_args(argv)
    args.kinds = tuple(args.kinds)
    if not 1 <= args.clients <= 200 or not 1 <= args.duration <= 300:
        parser.error("--clients must be 1 to 200 and --duration 1 to 300 seconds")
    db = build_store(args.events)
    with Store(db, read_only=True) as store:
        counts = store.counts()
    port = _free_port()
    server = start_server(db, port)
    base = f"http://127.0.0.1:{port}"
    try:
        stories, words = _pools(base)
        days = counts["articles"] // 300 + 1  # _corpus.py's 300 articles a day
        requests = Requests(stories, words, page=args.page, days=days)
        report = asyncio.run(drive(base, requests, args))
    finally:
        server.terminate()
        server.wait(timeout=30)
    payload = {
        "command": "python benchmarks/serve_load.py " + " ".join(argv or sys.argv[1:]),
        "store": {"path": str(db.relative_to(PROJECT_ROOT)), **counts},
        "clients": args.clients,
        "kinds": list(args.kinds),
        "duration_s": args.duration,
        "page": args.page,
        "span": [START.isoformat(), (START + timedelta(days=days)).isoformat()],
        "load_average": os.getloadavg(),
        "results": report,
        "environment": environment(),
        "measured_on": date.today().isoformat(),
    }
    path = write_json(args.out, payload)
    header = ["kind", "requests", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms", "req/s"]
    rows = [
        [
            kind,
            str(report[kind]["requests"]),
            str(report[kind]["errors"]),
            *(
                str(report[kind][key])
                for key in ("p50_ms", "p95_ms", "p99_ms", "max_ms", "requests_per_s")
            ),
        ]
        for kind in (*args.kinds, "all")
    ]
    print(format_table(header, rows))
    print(f"wrote {path}")
    return 0 if report["all"]["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

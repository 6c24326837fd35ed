"""Throughput in CPU seconds and peak memory: bare spaCy against newsdesk, on the same texts.

Arms:

- ``bare``: ``spacy.load(model)`` then ``nlp.pipe`` over the raw texts;
- ``bare-body``: the same bare spaCy over the text newsdesk parses: each input read and
  segmented as the pipeline does it, everything but the analysed blocks (body, titles,
  headings) blanked, titles closed (``pipeline.analysed_doc``). This is the floor newsdesk
  builds on: the ``analyze`` arm parses exactly this text, which is shorter than the raw one;
- ``entities``, ``places``, ``claims``, ``pipeline``: ``newsdesk.load_pipeline(model)`` with its
  later components switched off (all on in ``pipeline``), over the same body texts, so a
  stage's cost reads as the difference between two arms;
- ``analyze``: ``newsdesk.Analyzer().analyze_many`` over the raw texts: the whole product path,
  raw text in, Article (or Rejected) records out;
- ``workers``: ``analyze`` on ``--workers`` worker processes (``newsdesk.workers``), records
  sent back to this process; its CPU seconds are this process's and the workers' together, so
  it costs what analysing costs plus what sending the work out and the records back does.

**CPU seconds, interleaved in one process.** Every arm is loaded in this process and warmed up,
then the texts are cut into ``--rounds`` slices; each round runs every arm over the same slice,
the arms in an order rotated by one each round, so that a change in the machine's load during
the run falls on every arm alike. An arm's time is CPU seconds (``time.process_time``, this
process's threads), plus, for ``workers``, the CPU seconds its worker processes used over the
same slices (read from ``/proc/PID/stat`` while they live; ``RUSAGE_CHILDREN`` only counts
children that have exited). The garbage collector runs, untimed, before every slice.

**Peak memory, a separate pass.** Arms sharing a process share its peak, so memory is measured
by running each arm alone in a subprocess of its own over ``--memory-n`` texts: its peak
resident set (``VmHWM``; ``ru_maxrss`` where there is no /proc), model load included. For
``workers`` the figure is that process's peak plus each worker's (an upper bound: the peaks
need not coincide). The pass runs first, while this process is small. ``--memory-n 0`` skips
it.

The texts are the project's demo articles (``src/newsdesk/demo/*.txt``), repeated until there
are ``--n`` of them; every repeat after the first permutes the article's long body paragraphs
(seeded, so every arm and every run gets the same texts), so no two inputs are identical and a
cache or duplicate check cannot make an arm look faster than it is.

Run from the project root:  python benchmarks/throughput.py [--n 200] [--rounds 5]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from _common import (
    DEFAULT_MODEL,
    DEMO_DIR,
    environment,
    format_table,
    has_newsdesk_pipeline,
    peak_rss_mib,
    write_json,
)

ARMS = ("bare", "bare-body", "entities", "places", "claims", "pipeline", "analyze", "workers")
NEEDS_NEWSDESK = frozenset(ARMS) - {"bare"}
# Arms that run the newsdesk pipeline with its later components switched off, so the cost of
# each stage reads as the difference between two arms of the same run.
_LATER = ["newsdesk_times", "newsdesk_quantities", "newsdesk_quotes", "newsdesk_claims"]
_LAST = ["newsdesk_events", "newsdesk_verification"]
DISABLED = {
    "entities": ["newsdesk_places", *_LATER, *_LAST],
    "places": [*_LATER, *_LAST],
    "claims": _LAST,
    "pipeline": [],
}
WARMUP_TEXTS = 4
# nlp.pipe batch size when newsdesk's settings cannot say (newsdesk's own default is 4).
FALLBACK_BATCH_SIZE = 4
# Paragraphs this long are body text; shorter ones (titles, bylines, captions, promos, footer
# lines) stay where they are, so each variant keeps the shape of a real page.
BODY_MIN_WORDS = 25
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def demo_articles(folder: Path = DEMO_DIR) -> list[str]:
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        sys.exit(f"no demo articles (*.txt) in {folder}")
    return [path.read_text(encoding="utf-8") for path in paths]


def variant(text: str, seed: int) -> str:
    """The article with its long body paragraphs permuted; seed 0 is the article unchanged."""
    if seed == 0:
        return text
    paragraphs = text.split("\n\n")
    body = [i for i, p in enumerate(paragraphs) if i > 1 and len(p.split()) >= BODY_MIN_WORDS]
    order = body[:]
    random.Random(seed).shuffle(order)
    out = paragraphs[:]
    for slot, source in zip(body, order, strict=True):
        out[slot] = paragraphs[source]
    return "\n\n".join(out)


def make_texts(n: int) -> list[str]:
    articles = demo_articles()
    return [variant(articles[i % len(articles)], i // len(articles)) for i in range(n)]


def word_count(texts: Iterable[str]) -> int:
    return sum(len(text.split()) for text in texts)


def body_texts(texts: list[str], nlp: Any, settings: Any) -> list[str]:
    """Each raw text as the pipeline hands it to spaCy: read, segmented, all but the analysed
    blocks blanked, titles closed (an input the pipeline rejects is left out)."""
    from newsdesk.pipeline import analysed_doc, segment_source
    from newsdesk.records import Source
    from newsdesk.stages import ingest

    bodies = []
    for text in texts:
        source = ingest.read(text, settings=settings.input)
        if isinstance(source, Source):
            blocks = segment_source(source, settings=settings)
            bodies.append(analysed_doc(nlp, source.text, blocks).text)
    return bodies


def reads_bodies(arm: str) -> bool:
    """Whether the arm parses the body texts (else the raw texts)."""
    return arm == "bare-body" or arm in DISABLED


def settings_with(batch_size: int) -> Any:
    import newsdesk

    settings = newsdesk.load_settings()
    return replace(settings, model=replace(settings.model, batch_size=batch_size))


def children_cpu_seconds(pids: Iterable[int]) -> float:
    """User + system CPU seconds the live processes ``pids`` have used (Linux /proc)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command name: state is field 3, utime field 14, stime field 15.
        total += (int(fields[11]) + int(fields[12])) / _TICKS
    return total


@dataclass
class Arm:
    """One arm, loaded and warm: ``run`` processes a slice of texts and returns the tokens
    parsed (0 where the arm cannot count them)."""

    name: str
    run: Callable[[list[str], list[str]], int]
    load_seconds: float
    pipe_names: list[str]
    nlp: Any = None
    """The arm's spaCy pipeline, whose tokenizer builds its body texts (None: it reads raw
    texts only)."""
    children: Callable[[], list[int]] = list
    close: Callable[[], None] = lambda: None
    outcomes: dict[str, int] | None = None


def load_arm(name: str, *, model: str, batch_size: int, workers: int) -> Arm:
    """Load arm ``name`` in this process and warm it up on a few texts."""
    started = time.process_time()
    warm = make_texts(WARMUP_TEXTS)
    if name in ("bare", "bare-body"):
        import spacy

        bare = spacy.load(model)

        def parse(texts: list[str], bodies: list[str]) -> int:
            chosen = texts if name == "bare" else bodies
            return sum(len(doc) for doc in bare.pipe(chosen, batch_size=batch_size))

        arm = Arm(name, parse, 0.0, list(bare.pipe_names), nlp=bare)
    elif name in DISABLED:
        import newsdesk

        nlp = newsdesk.load_pipeline(model=model)
        disabled = DISABLED[name]

        def pipe(texts: list[str], bodies: list[str]) -> int:
            docs = nlp.pipe(bodies, batch_size=batch_size, disable=disabled)
            return sum(len(doc) for doc in docs)

        names = [pipe_name for pipe_name in nlp.pipe_names if pipe_name not in disabled]
        arm = Arm(name, pipe, 0.0, names, nlp=nlp)
    elif name == "analyze":
        import newsdesk

        nlp = newsdesk.load_pipeline(model=model)
        # The same batch size as the other arms, so the comparison is of work, not batching.
        analyzer = newsdesk.Analyzer(settings=settings_with(batch_size), nlp=nlp)
        outcomes: dict[str, int] = {}

        def analyse(texts: list[str], bodies: list[str]) -> int:
            for record in analyzer.analyze_many(texts):
                kind = type(record).__name__
                outcomes[kind] = outcomes.get(kind, 0) + 1
            return 0

        arm = Arm(name, analyse, 0.0, list(nlp.pipe_names), outcomes=outcomes)
    elif name == "workers":
        from newsdesk import workers as pool

        executor = pool.LocalExecutor(workers, settings=settings_with(batch_size))
        executor.__enter__()
        outcomes = {}

        def analyse_there(texts: list[str], bodies: list[str]) -> int:
            chunks = [texts[at : at + pool.CHUNK] for at in range(0, len(texts), pool.CHUNK)]
            for results in executor.map(pool.analyze_chunk, chunks):
                for record in results:
                    kind = type(record).__name__
                    outcomes[kind] = outcomes.get(kind, 0) + 1
            return 0

        def live_children() -> list[int]:
            import multiprocessing

            return [child.pid for child in multiprocessing.active_children() if child.pid]

        arm = Arm(
            name,
            analyse_there,
            0.0,
            [f"{workers} worker processes"],
            children=live_children,
            close=lambda: executor.__exit__(None, None, None),
            outcomes=outcomes,
        )
        # Every worker loads its pipeline now: one small chunk each, sent at once.
        list(executor.map(pool.analyze_chunk, [warm[:1]] * (2 * workers)))
    else:
        raise ValueError(f"unknown arm {name!r}; expected one of {ARMS}")
    arm.load_seconds = time.process_time() - started
    warm_bodies = (
        body_texts(warm, arm.nlp, settings_with(batch_size)) if reads_bodies(name) else warm
    )
    arm.run(warm, warm_bodies)
    if arm.outcomes is not None:
        arm.outcomes.clear()
    return arm


def rounds_of(texts: list[str], bodies: list[str], rounds: int) -> Iterator[tuple[list[str], ...]]:
    size = -(-len(texts) // rounds)
    for at in range(0, len(texts), size):
        yield texts[at : at + size], bodies[at : at + size]


def time_interleaved(
    arms: list[Arm], texts: list[str], bodies: list[str], *, rounds: int
) -> dict[str, dict[str, float]]:
    """CPU seconds and tokens of every arm over every slice, the arm order rotated by round."""
    totals = {arm.name: {"cpu_seconds": 0.0, "tokens": 0} for arm in arms}
    for index, (slice_texts, slice_bodies) in enumerate(rounds_of(texts, bodies, rounds)):
        shift = index % len(arms)
        for arm in arms[shift:] + arms[:shift]:
            gc.collect()
            pids = arm.children()
            before = time.process_time(), children_cpu_seconds(pids)
            tokens = arm.run(slice_texts, slice_bodies)
            after = time.process_time(), children_cpu_seconds(pids)
            totals[arm.name]["cpu_seconds"] += (after[0] - before[0]) + (after[1] - before[1])
            totals[arm.name]["tokens"] += tokens
    return totals


def default_batch_size() -> int:
    """newsdesk's configured batch size, so the bare arm batches as the product does."""
    if not has_newsdesk_pipeline():
        return FALLBACK_BATCH_SIZE
    import newsdesk

    size: int = newsdesk.load_settings().model.batch_size
    return size


# -- peak memory: each arm alone in a subprocess ---------------------------------------------


def high_water_mib(pid: int | str = "self") -> float | None:
    """Peak resident set of a live process (``VmHWM`` in /proc), in MiB; None where unknown.

    Not ``ru_maxrss``: Linux keeps it across ``exec``, so a subprocess of a big process starts
    with its parent's figure.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def memory_of_arm(name: str, args: argparse.Namespace) -> dict[str, float]:
    """In a subprocess: load and run one arm over ``--memory-n`` texts; its peak memory."""
    arm = load_arm(name, model=args.model, batch_size=args.batch_size, workers=args.workers)
    texts = make_texts(args.memory_n)
    bodies = (
        body_texts(texts, arm.nlp, settings_with(args.batch_size)) if reads_bodies(name) else texts
    )
    arm.run(texts, bodies)
    own = high_water_mib() or peak_rss_mib()
    if name != "workers":
        arm.close()
        return {"peak_rss_mib": round(own, 1)}
    # The workers' peaks, read while they live; their sum with this process's is an upper
    # bound (the peaks need not coincide).
    peaks = [high_water_mib(pid) or 0.0 for pid in arm.children()]
    arm.close()
    return {
        "peak_rss_mib": round(own + sum(peaks), 1),
        "main_peak_rss_mib": round(own, 1),
        "worker_peaks_rss_mib": [round(peak, 1) for peak in peaks],
    }


def memory_pass(arms: list[str], args: argparse.Namespace) -> dict[str, dict[str, float]]:
    peaks = {}
    for arm in arms:
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--memory-arm",
            arm,
            "--memory-n",
            str(args.memory_n),
            "--model",
            args.model,
            "--batch-size",
            str(args.batch_size),
            "--workers",
            str(args.workers),
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(
                f"memory pass of arm {arm} failed (exit {done.returncode}):\n{done.stderr[-4000:]}"
            )
        peaks[arm] = json.loads(done.stdout.strip().splitlines()[-1])
    return peaks


# -- report ----------------------------------------------------------------------------------


def print_table(results: list[dict[str, Any]]) -> None:
    floor = next((arm for arm in results if arm["arm"] == "bare-body"), None)
    header = ["arm", "texts", "tokens", "CPU s", "articles/CPU-s", "x bare-body", "peak MiB"]
    rows = []
    for arm in results:
        ratio = floor["cpu_seconds"] / arm["cpu_seconds"] if floor else None
        rows.append(
            [
                arm["arm"],
                str(arm["texts"]),
                str(arm["tokens"]) if arm["tokens"] else "-",
                f"{arm['cpu_seconds']:.2f}",
                f"{arm['articles_per_cpu_second']:.2f}",
                f"{ratio:.3f}" if ratio is not None else "-",
                f"{arm['peak_rss_mib']:.0f}" if arm.get("peak_rss_mib") else "-",
            ]
        )
    print(format_table(header, rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="number of texts per arm")
    parser.add_argument("--rounds", type=int, default=5, help="slices the arms alternate over")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy pipeline for every arm")
    parser.add_argument(
        "--batch-size",
        type=int,
        help="texts per nlp.pipe batch in every arm (default: newsdesk's [model] batch_size)",
    )
    parser.add_argument("--workers", type=int, default=2, help="worker processes of 'workers'")
    parser.add_argument(
        "--memory-n",
        type=int,
        default=100,
        help="texts per arm in the memory pass (each arm alone in a subprocess; 0: skip it)",
    )
    parser.add_argument(
        "--arms", default=",".join(ARMS), help=f"comma-separated subset of {','.join(ARMS)}"
    )
    parser.add_argument("--out", default="throughput.json", help="file name in results/")
    parser.add_argument("--memory-arm", choices=ARMS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.batch_size is None:
        args.batch_size = default_batch_size()

    if args.memory_arm:
        print(json.dumps(memory_of_arm(args.memory_arm, args)))
        return 0

    wanted = [arm.strip() for arm in args.arms.split(",") if arm.strip()]
    unknown = sorted(set(wanted) - set(ARMS))
    if unknown:
        sys.exit(f"unknown arms {unknown}; choose from {', '.join(ARMS)}")
    notes = []
    if not has_newsdesk_pipeline() and NEEDS_NEWSDESK & set(wanted):
        notes.append("newsdesk.load_pipeline is not available; only the bare arm was run")
        print(notes[-1], file=sys.stderr)
        wanted = [arm for arm in wanted if arm not in NEEDS_NEWSDESK]
    if "workers" in wanted and not Path("/proc/self/stat").exists():
        notes.append("no /proc here to read the workers' CPU time: the workers arm was left out")
        wanted.remove("workers")
    if not wanted:
        sys.exit("no arm to run")

    # The memory pass first, while this process is small: a subprocess's peak counts only it.
    peaks = memory_pass(wanted, args) if args.memory_n > 0 else {}
    texts = make_texts(args.n)
    arms = [
        load_arm(name, model=args.model, batch_size=args.batch_size, workers=args.workers)
        for name in wanted
    ]
    # Every spaCy arm loads the same model, so any one's tokenizer builds the body texts.
    tokenizer = next((arm.nlp for arm in arms if arm.nlp is not None), None)
    if tokenizer is None:
        import spacy

        tokenizer = spacy.load(args.model)
    bodies = body_texts(texts, tokenizer, settings_with(args.batch_size))
    if len(bodies) != len(texts):
        sys.exit(f"{len(texts) - len(bodies)} texts were rejected; the arms need them all")
    raw_words, body_words = word_count(texts), word_count(bodies)
    print(
        f"{len(texts)} texts from {len(demo_articles())} demo articles, {raw_words} words raw, "
        f"{body_words} in the body text newsdesk parses; model {args.model}, batch size "
        f"{args.batch_size}; arms interleaved in {args.rounds} rounds in one process",
        file=sys.stderr,
    )
    try:
        totals = time_interleaved(arms, texts, bodies, rounds=args.rounds)
    finally:
        for arm in arms:
            arm.close()
    results = []
    for arm in arms:
        cpu = totals[arm.name]["cpu_seconds"]
        results.append(
            {
                "arm": arm.name,
                "pipe_names": arm.pipe_names,
                "texts": len(texts),
                "words": body_words
                if arm.name in DISABLED or arm.name == "bare-body"
                else raw_words,
                "tokens": int(totals[arm.name]["tokens"]),
                "load_cpu_seconds": round(arm.load_seconds, 3),
                "cpu_seconds": round(cpu, 3),
                "articles_per_cpu_second": round(len(texts) / cpu, 3),
                "outcomes": arm.outcomes,
                **peaks.get(arm.name, {}),
            }
        )
    print_table(results)
    floor = next((arm for arm in results if arm["arm"] == "bare-body"), None)
    ratios = {
        arm["arm"]: round(floor["cpu_seconds"] / arm["cpu_seconds"], 4)
        for arm in results
        if floor and arm is not floor
    }
    path = write_json(
        args.out,
        {
            "benchmark": "throughput",
            "timing": "CPU seconds, arms interleaved in one process, order rotated per round",
            "memory": "peak RSS of each arm alone in a subprocess over memory_n texts",
            "model": args.model,
            "n": args.n,
            "rounds": args.rounds,
            "memory_n": args.memory_n,
            "batch_size": args.batch_size,
            "workers": args.workers,
            "warmup_texts": WARMUP_TEXTS,
            "raw_words": raw_words,
            "body_words": body_words,
            "environment": environment(),
            "arms": results,
            "speed_relative_to_bare_body": ratios,
            "notes": notes,
        },
    )
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

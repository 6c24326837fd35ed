"""Batch jobs as the terminal shows them: the progress of ``newsdesk run`` and ``newsdesk load``
across workers, and their summaries. Printing only: the jobs live in :mod:`newsdesk.batch`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from newsdesk.batch.executors import RunSummary
from newsdesk.batch.load import LoadCounts
from newsdesk.batch.shard import ShardResult
from newsdesk.batch.shards import Shard
from newsdesk.desk import CorpusCounts
from newsdesk.errors import Reasons
from newsdesk.faces.desk import err, out, print_counts


@contextmanager
def run_progress(
    shards: Sequence[Shard], *, label: str
) -> Iterator[Callable[[ShardResult, RunSummary], None]]:
    """One bar on stderr for the whole job, whichever worker finishes a shard: inputs done
    out of the job's estimate, shards done, and the counts so far. Yields the callback
    :func:`newsdesk.batch.executors.run` reports to."""
    estimate = {shard.id: shard.inputs for shard in shards}
    progress = Progress(
        TextColumn(label, markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[status]}", markup=False),
        console=err,
    )
    with progress:
        task = progress.add_task("run", total=sum(estimate.values()), status="")

        def advance(result: ShardResult, summary: RunSummary) -> None:
            done = summary.processed + summary.skipped
            status = (
                f"shards {done}/{len(shards)}, articles {summary.articles}, "
                f"rejected {summary.rejected}"
            )
            if summary.skipped:
                status += f", skipped {summary.skipped}"
            progress.update(task, advance=estimate.get(result.shard, 0), status=status)

        yield advance


def print_run(out_dir: Path, summary: RunSummary, *, shards: int) -> None:
    done = summary.processed + summary.skipped
    if shards == 0:
        out.print(f"No inputs found; nothing written to {out_dir}")
        return
    if summary.processed == 0:
        title = f"Nothing to do: all {shards} shard(s) in {out_dir} were written by an earlier run"
    else:
        title = f"Wrote {summary.processed} shard file(s) to {out_dir} ({done} of {shards} done)"
    rows: list[tuple[str, object]] = [
        ("shards processed", summary.processed),
        ("shards skipped (done before)", summary.skipped),
        ("articles", summary.articles),
        ("rejected", summary.rejected),
    ]
    rows += [(f"  {code} {_reason(code)}", count) for code, count in summary.reasons.items()]
    if summary.processed:
        rows.append(("CPU seconds (all workers)", f"{summary.cpu_seconds:.1f}"))
    print_counts(title, rows)
    out.print(f"Load it into a store with: newsdesk load {out_dir} --db STORE")


def _reason(code: str) -> str:
    """The reason's wording up to its first detail, as a short label."""
    try:
        text = Reasons[code].value
    except KeyError:
        return ""
    return text.split("{", 1)[0].rstrip(" (:").rstrip(".")


def print_load(store: str, counts: LoadCounts, corpus: CorpusCounts) -> None:
    if counts.shards == 0 and counts.already_loaded:
        title = f"Nothing new for {store}: every shard was loaded before"
    elif counts.shards == 0:
        title = f"No shard files found; {store} unchanged"
    else:
        title = f"Loaded into {store}"
    print_counts(title, [*counts.rows(), *corpus.rows()])

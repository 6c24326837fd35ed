"""Run a batch job's shards on this machine's cores or on a Dask cluster.

:func:`run` splits the inputs into shards (:mod:`newsdesk.batch.shards`), skips those whose file
an earlier run wrote, and hands the rest to an executor, each shard to
:func:`~newsdesk.batch.shard.process_shard`:

- ``local``: :class:`newsdesk.workers.LocalExecutor`, a pool of spawned processes, each loading
  the pipeline once;
- ``dask``: a ``distributed.LocalCluster`` of ``workers`` single-threaded processes, or the
  existing scheduler at ``scheduler``. A worker plugin loads the pipeline once per worker, as
  it starts (and again in a worker the nanny restarts). At most two shards per worker are in
  flight, so the scheduler never holds a whole job. A worker that dies mid-shard loses nothing:
  Dask runs the shard again elsewhere, and the shard's file is written whole or not at all.

Either way a crashed or interrupted job is finished by running the same command again.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from newsdesk.batch.parquet import TEMPORARY
from newsdesk.batch.shard import ShardResult, process_shard, shard_file
from newsdesk.batch.shards import DEFAULT_SIZE, Shard, split
from newsdesk.errors import BatchError, Errors, NewsdeskError

if TYPE_CHECKING:
    from newsdesk.settings import Settings

__all__ = ["EXECUTORS", "Executor", "RunSummary", "plan", "run", "run_shards"]

Executor = Literal["local", "dask"]
EXECUTORS: tuple[Executor, ...] = ("local", "dask")

# Shards in flight per Dask worker: one running, one queued, so no worker waits for the next.
_IN_FLIGHT_PER_WORKER = 2
# The name the worker plugin is registered under (one per cluster: registering again replaces).
_PLUGIN = "newsdesk-analyzer"


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a run did, by shard and by input."""

    processed: int = 0
    """Shards analysed by this run."""
    skipped: int = 0
    """Shards an earlier run had written: not read again."""
    articles: int = 0
    rejected: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    """Rejections by reason code (in every shard, skipped ones included)."""
    cpu_seconds: float = 0.0
    """CPU seconds the workers spent on the shards processed now."""

    def add(self, result: ShardResult) -> RunSummary:
        reasons = Counter(self.reasons)
        reasons.update(result.reasons)
        return RunSummary(
            processed=self.processed + (not result.skipped),
            skipped=self.skipped + result.skipped,
            articles=self.articles + result.articles,
            rejected=self.rejected + result.rejected,
            reasons=dict(sorted(reasons.items())),
            cpu_seconds=self.cpu_seconds + result.seconds,
        )


Progress = Callable[[ShardResult, RunSummary], None]
"""Called after each shard (skipped ones first): its result, and the summary so far."""


def plan(paths: Sequence[Path], out_dir: Path, *, size: int = DEFAULT_SIZE) -> list[Shard]:
    """The job's shards, after making ``out_dir`` and removing the half-written files a crash
    left there."""
    if size < 1:
        raise BatchError(Errors.E461.format(size=size))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for leftover in out_dir.glob(f".*.parquet.*{TEMPORARY}"):
            leftover.unlink(missing_ok=True)
    except OSError as exc:
        raise BatchError(Errors.E460.format(path=out_dir, detail=exc.strerror or exc)) from exc
    if not os.access(out_dir, os.W_OK):
        raise BatchError(Errors.E460.format(path=out_dir, detail="permission denied"))
    return list(split(paths, size=size))


def run(
    paths: Sequence[Path],
    out_dir: Path,
    *,
    executor: Executor = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    size: int = DEFAULT_SIZE,
    settings: Settings | None = None,
    model: str | None = None,
    on_progress: Progress | None = None,
) -> RunSummary:
    """Analyse every input under ``paths`` into Parquet files in ``out_dir``, one per shard."""
    shards = plan(paths, out_dir, size=size)
    return run_shards(
        shards,
        out_dir,
        executor=executor,
        workers=workers,
        scheduler=scheduler,
        settings=settings,
        model=model,
        on_progress=on_progress,
    )


def run_shards(
    shards: Sequence[Shard],
    out_dir: Path,
    *,
    executor: Executor = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    settings: Settings | None = None,
    model: str | None = None,
    on_progress: Progress | None = None,
) -> RunSummary:
    """Process the ``shards`` not written yet on ``executor``; report each shard, skipped
    ones first."""
    summary = RunSummary()
    pending = []
    for shard in shards:
        if shard_file(shard, out_dir).exists():
            result = process_shard(shard, out_dir)  # reads the file's footer only
            summary = summary.add(result)
            if on_progress is not None:
                on_progress(result, summary)
        else:
            pending.append(shard)
    if not pending:
        return summary
    if executor == "dask":
        results = _on_dask(pending, out_dir, workers, scheduler, settings, model)
    else:
        results = _on_local(pending, out_dir, workers, settings, model)
    for result in results:
        summary = summary.add(result)
        if on_progress is not None:
            on_progress(result, summary)
    return summary


# -- local -----------------------------------------------------------------------------------


def _local_task(task: tuple[Shard, Path]) -> ShardResult:
    """One shard in a pool worker (module level: the worker imports it by name)."""
    shard, out_dir = task
    return process_shard(shard, out_dir)


def _on_local(
    shards: Sequence[Shard],
    out_dir: Path,
    workers: int | None,
    settings: Settings | None,
    model: str | None,
) -> Iterator[ShardResult]:
    from newsdesk.workers import LocalExecutor

    with LocalExecutor(workers, settings=settings, model=model) as pool:
        yield from pool.map(_local_task, [(shard, out_dir) for shard in shards])


# -- Dask ------------------------------------------------------------------------------------


def _dask_task(shard: Shard, out_dir: Path) -> ShardResult:
    """One shard on a Dask worker, with the Analyzer the worker plugin built."""
    return process_shard(shard, out_dir)


def _analyzer_plugin(settings: Settings) -> Any:
    """A Dask worker plugin that builds the worker's Analyzer once, as the worker starts.

    Made here, not at module level, because Dask is an optional extra; Dask pickles the
    plugin (class and all) to each worker.
    """
    from distributed import WorkerPlugin

    class AnalyzerPlugin(WorkerPlugin):
        idempotent = False
        name = _PLUGIN

        def __init__(self, settings: Settings) -> None:
            self.settings = settings

        def setup(self, worker: Any) -> None:
            from newsdesk import workers

            workers.configure(self.settings)
            workers.analyzer()

    return AnalyzerPlugin(settings)


def _on_dask(
    shards: Sequence[Shard],
    out_dir: Path,
    workers: int | None,
    scheduler: str | None,
    settings: Settings | None,
    model: str | None,
) -> Iterator[ShardResult]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise BatchError(Errors.E455.format(detail=exc)) from exc
    from newsdesk.workers import default_workers, resolve_settings

    wanted = resolve_settings(settings, model)
    # Dask's API is partly untyped: its objects are held as Any.
    cluster: Any = None
    client: Any
    if scheduler is None:
        cluster = LocalCluster(
            n_workers=workers or default_workers(),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        )
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout="20s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise BatchError(Errors.E458.format(address=scheduler, detail=exc)) from exc
    try:
        client.register_plugin(_analyzer_plugin(wanted), name=_PLUGIN)
        if cluster is None:
            client.wait_for_workers(1, timeout="60s")
        count = max(1, len(client.scheduler_info().get("workers", {})))
        limit = _IN_FLIGHT_PER_WORKER * count
        queue = iter(shards)
        names = {}
        running: Any = as_completed()
        for shard in queue:
            names[shard.id] = shard.name
            running.add(client.submit(_dask_task, shard, out_dir, key=f"shard-{shard.id}"))
            if running.count() >= limit:
                break
        for future in running:
            try:
                result: ShardResult = future.result()
            except NewsdeskError:
                raise
            except Exception as exc:
                shard_name = names.get(str(future.key).removeprefix("shard-"), future.key)
                raise BatchError(
                    Errors.E459.format(shard=shard_name, detail=f"{type(exc).__name__}: {exc}")
                ) from exc
            yield result
            following = next(queue, None)
            if following is not None:
                names[following.id] = following.name
                running.add(
                    client.submit(_dask_task, following, out_dir, key=f"shard-{following.id}")
                )
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

"""Tasks for the worker tests: module-level, so that a spawned worker imports them by name."""

from __future__ import annotations

import os
import signal

from newsdesk import workers
from newsdesk.errors import ConfigError


def square_in(task: int) -> tuple[int, int]:
    """The task squared, and the process that squared it."""
    return task * task, os.getpid()


def refuse_three(task: int) -> int:
    if task == 3:
        raise ConfigError(f"task {task} refused")
    return task


def killed_at_three(task: int) -> int:
    """Kills its own worker on task 3, as the system's out-of-memory killer would."""
    if task == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return task


def exits_at_three(task: int) -> int:
    if task == 3:
        os._exit(7)
    return task


def analyzer_seen(task: str) -> tuple[str, int, int]:
    """What this process's Analyzer was built from: its model, batch size, and the process."""
    built = workers.analyzer()
    return built.settings.model.name, built.settings.model.batch_size, os.getpid()


def orphan_workers() -> None:
    """Start a pool, print its workers' process ids, then die without shutting it down."""
    with workers.LocalExecutor(workers=2) as executor:
        pids = sorted({pid for _, pid in executor.map(square_in, range(8))})
        print(" ".join(str(pid) for pid in pids), flush=True)
        os._exit(9)


if __name__ == "__main__":
    orphan_workers()

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

"""newsdesk.workers: a real spawned process pool, results in task order, a bounded number of
tasks in flight, and a worker that dies ends the run with a coded error instead of a hang."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from _worker_tasks import analyzer_seen, exits_at_three, killed_at_three, refuse_three, square_in
from newsdesk import workers
from newsdesk.errors import ConfigError, WorkerError
from newsdesk.pipeline import Analyzer
from newsdesk.settings import Settings


def test_workers_default_is_the_cores_this_process_may_use() -> None:
    assert workers.default_workers() == len(os.sched_getaffinity(0))
    assert workers.LocalExecutor().workers == workers.default_workers()


def test_workers_map_keeps_task_order_in_spawned_processes() -> None:
    with workers.LocalExecutor(workers=2) as executor:
        results = list(executor.map(square_in, range(20)))
    assert [value for value, _ in results] == [n * n for n in range(20)]
    assert os.getpid() not in {pid for _, pid in results}


def test_workers_one_worker_runs_in_this_process() -> None:
    with workers.LocalExecutor(workers=1) as executor:
        results = list(executor.map(square_in, range(5)))
    assert results == [(n * n, os.getpid()) for n in range(5)]


def test_workers_map_draws_tasks_as_results_are_taken() -> None:
    drawn: list[int] = []

    def tasks() -> Iterator[int]:
        for n in range(100):
            drawn.append(n)
            yield n

    with workers.LocalExecutor(workers=2) as executor:
        results = executor.map(square_in, tasks())
        first = next(results)
        # Two tasks per worker in flight: the first result came when at most four were drawn.
        assert first[0] == 0
        assert len(drawn) <= 4
        taken = [first, *(next(results) for _ in range(9))]
        assert len(drawn) <= len(taken) + 4
        results.close()
    assert len(drawn) < 100


def test_workers_error_in_a_task_is_raised_as_it_was() -> None:
    with workers.LocalExecutor(workers=2) as executor:
        results = executor.map(refuse_three, range(6))
        assert [next(results) for _ in range(3)] == [0, 1, 2]
        with pytest.raises(ConfigError, match="task 3 refused"):
            next(results)


@pytest.mark.parametrize(
    ("task", "what"),
    [(killed_at_three, "was killed by SIGKILL"), (exits_at_three, "exited with code 7")],
)
def test_workers_a_dead_worker_is_a_coded_error_not_a_hang(
    task: Callable[[int], int], what: str
) -> None:
    executor = workers.LocalExecutor(workers=2)
    with pytest.raises(WorkerError, match=r"\[E470\]") as raised, executor:
        list(executor.map(task, range(10)))
    assert what in str(raised.value)
    assert "--workers" in str(raised.value)


def test_workers_refuses_what_it_cannot_run() -> None:
    with pytest.raises(WorkerError, match=r"\[E471\]"):
        workers.LocalExecutor(workers=0)
    executor = workers.LocalExecutor(workers=2)
    with pytest.raises(WorkerError, match=r"\[E472\]"):
        executor.map(square_in, range(3))
    with executor, pytest.raises(WorkerError, match=r"\[E473\]"):
        executor.map(lambda n: n, range(3))


def test_workers_resolve_settings_puts_the_model_in(settings: Settings) -> None:
    chosen = workers.resolve_settings(settings, "some_other_pipeline")
    assert chosen.model.name == "some_other_pipeline"
    assert chosen.model.batch_size == settings.model.batch_size
    assert workers.resolve_settings(settings, None) is settings


@pytest.mark.slow
def test_workers_each_worker_builds_its_analyzer_from_the_executors_settings(
    settings: Settings,
) -> None:
    odd = replace(settings, model=replace(settings.model, batch_size=7))
    with workers.LocalExecutor(workers=2, settings=odd) as executor:
        seen = list(executor.map(analyzer_seen, ["a", "b", "c", "d"]))
    assert {(name, size) for name, size, _ in seen} == {(settings.model.name, 7)}
    assert os.getpid() not in {pid for _, _, pid in seen}


@pytest.mark.slow
def test_workers_one_worker_uses_the_installed_analyzer(analyzer: Analyzer) -> None:
    workers.install(analyzer)
    try:
        assert workers.analyzer() is analyzer
        with workers.LocalExecutor(workers=1) as executor:
            assert next(executor.map(analyzer_seen, ["a"]))[2] == os.getpid()
            assert workers.analyzer() is analyzer
        odd = replace(analyzer.settings, model=replace(analyzer.settings.model, batch_size=3))
        with workers.LocalExecutor(workers=1, settings=odd) as executor:
            assert next(executor.map(analyzer_seen, ["a"]))[1] == 3
        # Leaving the executor puts the installed Analyzer back.
        assert workers.analyzer() is analyzer
    finally:
        workers.install(None)


def test_workers_exit_when_the_main_process_dies() -> None:
    tasks = Path(__file__).with_name("_worker_tasks.py")
    done = subprocess.run(
        [sys.executable, str(tasks)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 9, done.stderr
    pids = [int(pid) for pid in done.stdout.split()]
    assert pids
    deadline = time.monotonic() + 15
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in pids)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead and not yet reaped, does not count)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"

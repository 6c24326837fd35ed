"""Analysing on every core of one machine: a process pool whose workers each load the pipeline once.

    >>> from newsdesk import workers
    >>> with workers.LocalExecutor(workers=2) as executor:
    ...     for count in executor.map(count_events, chunks):   # count_events: module-level
    ...         print(count)

``fn`` is a module-level function (a worker imports it by name) that calls :func:`analyzer` to
get its process's ``Analyzer``. Each worker builds that ``Analyzer`` once, on its first task,
from the settings and model the executor was given, so a pipeline that cannot load fails that
task with its own coded error (E201) rather than breaking the pool.

Workers are spawned, never forked: a forked copy of a process that holds spaCy's and the BLAS
library's threads can deadlock, and a spawned worker starts from the same settings on every
platform. ``workers=1`` runs every task in this process, with no pool, on the ``Analyzer``
:func:`install` gave (or one built on first use).

Results come back in task order, with at most about two tasks per worker in flight, so memory
stays bounded however many tasks there are, and a crash loses at most the tasks in flight. A
worker that dies (killed, out of memory, a crash in native code) ends the run with a coded
error (E470) naming what happened; it never hangs.

This module imports no spaCy: the pipeline is imported when an ``Analyzer`` is first built.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from itertools import islice
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from newsdesk.errors import Errors, WorkerError
from newsdesk.records import Article, Input, Rejected
from newsdesk.settings import Settings, load_settings

if TYPE_CHECKING:
    from newsdesk.pipeline import Analyzer

__all__ = [
    "CHUNK",
    "LocalExecutor",
    "analyze_chunk",
    "analyze_many",
    "analyzer",
    "configure",
    "default_workers",
    "install",
    "resolve_settings",
]

T = TypeVar("T")
R = TypeVar("R")

# Tasks in flight per worker: one being worked on and one waiting, so that no worker idles
# between tasks while the main process collects results.
_IN_FLIGHT_PER_WORKER = 2
# Inputs in one task of analyze_many (and of an ingest): enough for the pipeline's batches,
# few enough that the tasks in flight (and what a crash loses) stay small.
CHUNK = 16
# How long to wait for a dead worker's exit status, to say how it ended.
_REAP_SECONDS = 1.0
# How often a worker checks that the process that started it is still there.
_PARENT_CHECK_SECONDS = 1.0

# This process's Analyzer and what to build it from. In a pool worker the executor's
# initializer sets ``_settings``; in the main process ``install`` may hand in a ready one.
_analyzer: Analyzer | None = None
_settings: Settings | None = None


def default_workers() -> int:
    """The cores this process may use (its CPU affinity where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def analyzer() -> Analyzer:
    """This process's ``Analyzer``, built once per process on first use."""
    global _analyzer
    if _analyzer is None:
        from newsdesk.pipeline import Analyzer

        _analyzer = Analyzer(settings=_settings or load_settings())
    return _analyzer


def install(ready: Analyzer | None) -> None:
    """Make ``ready`` this process's ``Analyzer``: a caller that built one hands it in, so that
    a one-worker executor on the same settings loads no second pipeline. ``None`` forgets it."""
    global _analyzer, _settings
    _analyzer = ready
    _settings = None if ready is None else ready.settings


def configure(settings: Settings | None = None, model: str | None = None) -> Settings:
    """Set what this process's ``Analyzer`` is built from; return those settings.

    Keeps an ``Analyzer`` already built from the same settings, drops one built from others.
    A pool worker's initializer calls this; so may a worker of another executor (Dask).
    """
    global _analyzer, _settings
    wanted = resolve_settings(settings, model)
    if _analyzer is not None and _analyzer.settings != wanted:
        _analyzer = None
    _settings = wanted
    return wanted


def resolve_settings(settings: Settings | None, model: str | None) -> Settings:
    """``settings`` (else the installed Analyzer's, else the settings files'), with ``model``
    in place of the settings' model when given."""
    if settings is None:
        settings = _analyzer.settings if _analyzer is not None else (_settings or load_settings())
    if model is not None and model != settings.model.name:
        settings = replace(settings, model=replace(settings.model, name=model))
    return settings


def analyze_chunk(inputs: Sequence[Input | str | bytes]) -> list[Article | Rejected]:
    """A task for :meth:`LocalExecutor.map`: ``inputs`` analysed by this process's Analyzer,
    one result per input, in order (no Analyzer is built for an empty chunk)."""
    if not inputs:
        return []
    return list(analyzer().analyze_many(inputs))


def analyze_many(
    inputs: Iterable[Input | str | bytes],
    *,
    workers: int | None = None,
    settings: Settings | None = None,
    model: str | None = None,
    chunk: int = CHUNK,
) -> Iterator[Article | Rejected]:
    """``Analyzer.analyze_many`` on ``workers`` processes (default: every core): one result per
    input, in input order. Chunks of ``chunk`` inputs go to the workers; each worker builds its
    Analyzer from ``settings`` (default: the settings files') and ``model``."""
    stream = iter(inputs)
    with LocalExecutor(workers, settings=settings, model=model) as executor:
        for results in executor.map(analyze_chunk, iter(lambda: list(islice(stream, chunk)), [])):
            yield from results


def _start_worker(settings: Settings, parent: int) -> None:
    """A pool worker's initializer: record the settings; the Analyzer is built on first use.

    The worker ignores Ctrl-C: the terminal sends it to the whole process group, and the main
    process alone decides what an interrupt stops (it shuts the pool down). It exits by itself
    when the main process dies.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    configure(settings)
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """End this worker when ``parent``, the process that started it, is gone (killed, say):
    the pool's queues would never tell it, and it would hold its pipeline's memory for good.
    ``parent`` is given, not read here: a worker still starting may be an orphan already."""
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_SECONDS)
    os._exit(1)


class LocalExecutor:
    """Runs tasks on ``workers`` processes of this machine (default: every core it may use).

    A context manager: the pool starts on entering and is shut down on leaving.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        settings: Settings | None = None,
        model: str | None = None,
    ) -> None:
        count = default_workers() if workers is None else workers
        if count < 1:
            raise WorkerError(Errors.E471.format(workers=workers))
        self.workers = count
        self._settings = settings
        self._model = model
        self._pool: ProcessPoolExecutor | None = None
        self._open = False
        self._saved: tuple[Analyzer | None, Settings | None] | None = None
        self._processes: list[multiprocessing.process.BaseProcess] = []

    def __enter__(self) -> LocalExecutor:
        global _analyzer, _settings
        settings = resolve_settings(self._settings, self._model)
        if self.workers == 1:
            # In this process: use the installed Analyzer when it was built from these
            # settings; put back what was there on leaving.
            self._saved = (_analyzer, _settings)
            if self._settings is not None or self._model is not None:
                configure(settings)
        else:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(settings, os.getpid()),
            )
        self._open = True
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        global _analyzer, _settings
        self._open = False
        if self._pool is not None:
            # Tasks not started are dropped; those running finish (a worker cannot be stopped
            # mid-task without killing it), then the workers exit.
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._saved is not None:
            _analyzer, _settings = self._saved
            self._saved = None

    def map(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        """``fn`` of each task, in task order, at most about two tasks per worker in flight.

        An exception ``fn`` raises in a worker is raised here, as it was raised there.
        """
        if not self._open:
            raise WorkerError(Errors.E472.format())
        if self._pool is None:
            return map(fn, tasks)
        try:
            pickle.dumps(fn)
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            raise WorkerError(Errors.E473.format(fn=fn, detail=exc)) from exc
        return self._run(self._pool, fn, tasks)

    def _run(
        self, pool: ProcessPoolExecutor, fn: Callable[[T], R], tasks: Iterable[T]
    ) -> Iterator[R]:
        limit = _IN_FLIGHT_PER_WORKER * self.workers
        pending: deque[Future[R]] = deque()
        stream = iter(tasks)
        drawn_all = False
        try:
            while True:
                while not drawn_all and len(pending) < limit:
                    try:
                        task = next(stream)
                    except StopIteration:
                        drawn_all = True
                        break
                    pending.append(self._submit(pool, fn, task, len(pending)))
                if not pending:
                    return
                yield self._result(pending.popleft(), len(pending) + 1)
        finally:
            # The caller stopped early, or something failed: drop what has not started.
            for future in pending:
                future.cancel()

    def _submit(
        self, pool: ProcessPoolExecutor, fn: Callable[[T], R], task: T, in_flight: int
    ) -> Future[R]:
        try:
            future = pool.submit(fn, task)
        except BrokenProcessPool as exc:
            raise self._died(exc, in_flight) from exc
        # The pool starts its workers on the first submit and replaces none; keep them to say
        # how one ended if it dies (the pool forgets them when it breaks).
        self._processes.extend(
            process
            for process in getattr(pool, "_processes", {}).values()
            if process not in self._processes
        )
        return future

    def _result(self, future: Future[R], in_flight: int) -> R:
        try:
            return future.result()
        except BrokenProcessPool as exc:
            raise self._died(exc, in_flight) from exc

    def _died(self, exc: BrokenProcessPool, in_flight: int) -> WorkerError:
        return WorkerError(
            Errors.E470.format(
                what=_what_happened(self._processes) or exc,
                workers=self.workers,
                in_flight=in_flight,
            )
        )


def _what_happened(processes: Iterable[multiprocessing.process.BaseProcess]) -> str:
    """How the workers that died ended: killed by a signal (named) or exited with a code."""
    ends = []
    for process in processes:
        process.join(timeout=_REAP_SECONDS)
        # The pool's own thread may reap the process at the same moment, and then this
        # process's ``exitcode`` reads None until that thread has recorded it.
        deadline = time.monotonic() + _REAP_SECONDS
        while process.exitcode is None and time.monotonic() < deadline:
            time.sleep(0.01)
        code = process.exitcode
        if code is None or code == 0:
            continue
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            ends.append(f"worker {process.pid} was killed by {name}")
        else:
            ends.append(f"worker {process.pid} exited with code {code}")
    return "; ".join(ends)

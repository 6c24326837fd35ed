"""``newsdesk run`` and ``newsdesk load`` with the real pipeline, pool and Dask LocalCluster.

The inputs are a few of the project's demo articles, a JSON Lines file (one line broken) and a
binary file, in shards of two. A local pool with a worker killed mid-shard, then a rerun; a
2-worker Dask LocalCluster with a worker killed mid-shard: each gives the same records, none
lost or doubled, as analysing the inputs in this process. Workers are really
killed (SIGKILL): the one holding a shard's half-written file, found in /proc.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk import desk, workers
from newsdesk.batch.executors import run
from newsdesk.batch.load import load, shard_files
from newsdesk.batch.parquet import TEMPORARY, read_records
from newsdesk.corpus.store import Store
from newsdesk.errors import WorkerError
from newsdesk.faces.cli import app
from newsdesk.pipeline import Analyzer
from newsdesk.records import Article, Rejected
from newsdesk.stages.readers import iter_inputs

pytestmark = pytest.mark.slow

DEMOS = (
    "drc-goma-sake.txt",
    "mali-segou-ambush.html",
    "sudan-el-fasher.txt",
    "yemen-red-sea.txt",
)
SIZE = 2
_PROC = Path("/proc")


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("batch") / "inputs"
    folder.mkdir()
    demo = resources.files("newsdesk").joinpath("demo")
    for name in DEMOS:
        (folder / name).write_bytes(demo.joinpath(name).read_bytes())
    kharkiv = demo.joinpath("ukraine-kharkiv-drones.txt").read_text(encoding="utf-8")
    lines = [
        json.dumps({"id": "kharkiv", "text": kharkiv, "published": "2024-05-30"}),
        '{"text": "cut short',
        json.dumps({"id": "andarab", "text": demo.joinpath("afghanistan-andarab.txt").read_text()}),
    ]
    (folder / "feed-part.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "scan.txt").write_bytes(b"%PDF-1.4\x00\x00\x01binary")
    return folder


def _records(out: Path) -> list[tuple[str | None, str]]:
    """Every record of a job's output, as (source, article id or rejection code), sorted."""
    found = []
    for path in shard_files(out):
        for record in read_records(path):
            if isinstance(record, Rejected):
                found.append((record.source, record.code))
            else:
                found.append((record[1], record[0].id))
    return sorted(found, key=str)


@pytest.fixture(scope="module")
def expected(inputs: Path, analyzer: Analyzer) -> list[tuple[str | None, str]]:
    """The inputs analysed one by one in this process, as ``newsdesk ingest`` would."""
    found = []
    for item in iter_inputs([inputs], settings=analyzer.settings.input):
        if isinstance(item, Rejected):
            found.append((item.source, item.code))
            continue
        result = analyzer.analyze(
            item.data, url=item.url, published=item.published, origin=item.origin
        )
        found.append((item.origin, result.code if isinstance(result, Rejected) else result.id))
    return sorted(found, key=str)


class _Killer(threading.Thread):
    """Kills (SIGKILL) the first process found writing a shard file in ``out``."""

    def __init__(self, out: Path) -> None:
        super().__init__(daemon=True)
        self.out = str(out.resolve())
        self.killed: int | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set() and self.killed is None:
            for pid in (int(entry.name) for entry in _PROC.iterdir() if entry.name.isdigit()):
                if pid != os.getpid() and self._writing(pid):
                    os.kill(pid, signal.SIGKILL)
                    self.killed = pid
                    return
            time.sleep(0.02)

    def _writing(self, pid: int) -> bool:
        try:
            fds = list((_PROC / str(pid) / "fd").iterdir())
        except OSError:
            return False
        for fd in fds:
            try:
                target = str(fd.readlink())
            except OSError:
                continue
            if target.startswith(self.out) and target.endswith(TEMPORARY):
                return True
        return False


@pytest.fixture(scope="module")
def local_out(inputs: Path, tmp_path_factory: pytest.TempPathFactory, analyzer: Analyzer) -> Path:
    """A 2-worker local run whose worker is killed mid-shard, then rerun to the end on one
    worker in this process (the session's pipeline: no second load)."""
    if not _PROC.joinpath("self", "fd").is_dir():
        pytest.skip("finding the worker to kill needs /proc")
    out = tmp_path_factory.mktemp("local") / "out"
    killer = _Killer(out)
    killer.start()
    with pytest.raises(WorkerError, match=r"E470.*SIGKILL"):
        run([inputs], out, executor="local", workers=2, size=SIZE)
    killer.stop.set()
    assert killer.killed is not None
    assert list(out.glob(f"*{TEMPORARY}"))  # the killed worker's half-written shard
    written = {path.name for path in out.glob("*.parquet")}
    workers.install(analyzer)
    try:
        summary = run([inputs], out, executor="local", workers=1, size=SIZE)
    finally:
        workers.install(None)
    assert summary.skipped == len(written)
    assert summary.processed >= 1
    assert not list(out.glob(f"*{TEMPORARY}"))  # the rerun cleared it
    return out


def test_batch_local_killed_worker_then_rerun_loses_and_doubles_nothing(
    inputs: Path, local_out: Path, expected: list[tuple[str | None, str]]
) -> None:
    assert _records(local_out) == expected
    assert len(expected) == 8  # 4 files, 3 JSON Lines lines, 1 binary file
    again = run([inputs], local_out, executor="local", workers=2, size=SIZE)
    assert (again.processed, again.articles, again.rejected) == (0, 6, 2)


def test_batch_dask_cluster_gives_the_local_records_though_a_worker_is_killed(
    inputs: Path, local_out: Path, tmp_path: Path
) -> None:
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    killer = _Killer(out)
    killer.start()
    summary = run([inputs], out, executor="dask", workers=2, size=SIZE)
    killer.stop.set()
    assert killer.killed is not None  # Dask ran its shard again on a worker alive
    assert (summary.processed, summary.skipped) == (len(shard_files(local_out)), 0)
    assert summary.reasons == {"R103": 1, "R110": 1}
    # The same shards, the same records in each, in the same order, as the local pool's.
    assert [path.name for path in shard_files(out)] == [
        path.name for path in shard_files(local_out)
    ]
    for path in shard_files(local_out):
        assert list(read_records(path)) == list(read_records(out / path.name))
    rerun = run([inputs], out, executor="dask", workers=2, size=SIZE)
    assert (rerun.processed, rerun.skipped) == (0, summary.processed)
    assert not list(out.glob(f"*{TEMPORARY}"))


def test_batch_cli_rerun_and_load_equal_ingest(
    inputs: Path, analyzer: Analyzer, tmp_path: Path, local_out: Path
) -> None:
    """``newsdesk run`` again on a finished job skips every shard; ``newsdesk load`` twice
    fills a store as ``newsdesk ingest`` of the same inputs does."""
    runner = CliRunner()
    db = tmp_path / "loaded.sqlite"
    done = runner.invoke(app, ["run", str(inputs), "--out", str(local_out), "--shard-size", "2"])
    assert done.exit_code == 0, done.output
    assert "Nothing to do" in done.output and "R103" in done.output
    for _ in range(2):
        loaded = runner.invoke(app, ["load", str(local_out), "--db", str(db)])
        assert loaded.exit_code == 0, loaded.output
    assert "every shard was loaded before" in loaded.output
    with Store(db) as batch_store, Store(tmp_path / "ingested.sqlite") as ingest_store:
        desk.ingest([inputs], store=ingest_store, analyzer=analyzer)
        desk.refresh(ingest_store, settings=analyzer.settings)
        assert batch_store.counts() == ingest_store.counts()
        assert sorted(a.id for a in batch_store.iter_articles()) == sorted(
            a.id for a in ingest_store.iter_articles()
        )
        assert sorted(batch_store.known_sources()) == sorted(ingest_store.known_sources())
        assert sorted(map(str, batch_store.rejected())) == sorted(map(str, ingest_store.rejected()))


def test_batch_load_into_postgresql(local_out: Path, postgres_url: str, analyzer: Analyzer) -> None:
    with Store(postgres_url) as store:
        first, corpus = load(local_out, store, settings=analyzer.settings)
        articles = list(store.iter_articles())
        assert first.articles == len(articles) == 6
        assert all(isinstance(article, Article) for article in articles)
        again, _ = load(local_out, store, settings=analyzer.settings)
        assert (again.shards, again.articles, again.already_loaded) == (0, 0, first.shards)
        assert corpus.stories >= 1

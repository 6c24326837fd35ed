"""``desk.ingest(..., workers=N)`` and ``newsdesk ingest --workers N``: the inputs analysed in
worker processes, the records written here in input order, the same records as one worker
writes; a worker that dies mid-run loses only the chunks in flight, and a rerun finishes."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk import desk, workers
from newsdesk.corpus.store import Store
from newsdesk.errors import WorkerError
from newsdesk.faces.cli import app
from newsdesk.pipeline import Analyzer
from newsdesk.records import Input, Rejected
from newsdesk.settings import Settings

pytestmark = pytest.mark.slow

# Short reports in the project's own words, varied by place and figures so that each is an
# article of its own (one text per id).
_TOWNS = ("Goma", "Kharkiv", "Sittwe", "Segou", "El Fasher", "Hodeidah", "Jacmel", "Andarab")


def _report(number: int) -> str:
    town = _TOWNS[number % len(_TOWNS)]
    return (
        f"{town.upper()}, March {number % 27 + 1} - Shelling hit a market in {town} on "
        f"Tuesday, killing {number + 2} people and wounding {2 * number + 5}, the regional "
        f"governor said.\n\nAid workers said {number + 30} families had left the district "
        f"since the weekend, report number {number}."
    )


def _folder(root: Path, count: int) -> Path:
    folder = root / "reports"
    folder.mkdir()
    for number in range(count):
        (folder / f"report-{number:03d}.txt").write_text(_report(number), encoding="utf-8")
    # Inputs that are not one plain article each: a copy (a duplicate), an empty file (a
    # rejection by the pipeline) and JSON Lines with a line that is no JSON (a rejection by
    # the reader, which keeps its place between analysed inputs).
    (folder / "report-000-copy.txt").write_text(_report(0), encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    lines = [json.dumps({"text": _report(count + 1)}), "{not json", json.dumps({"text": ""})]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _contents(db: Path) -> tuple[list[dict[str, object]], list[Rejected], set[str]]:
    with Store(db) as store:
        articles = [article.model_dump() for article in store.iter_articles()]
        return articles, store.rejected(), store.known_sources()


def test_ingest_workers_writes_the_records_one_worker_writes(
    tmp_path: Path, analyzer: Analyzer
) -> None:
    folder = _folder(tmp_path, 20)
    one, two = tmp_path / "one.sqlite", tmp_path / "two.sqlite"
    with Store(one) as store:
        counts_one = desk.ingest([folder], store=store, analyzer=analyzer)
    with Store(two) as store:
        counts_two = desk.ingest([folder], store=store, settings=analyzer.settings, workers=2)
    assert counts_two == counts_one
    assert (counts_one.ingested, counts_one.duplicate, counts_one.rejected) == (21, 1, 3)
    assert _contents(two) == _contents(one)


def test_ingest_workers_a_dead_worker_loses_only_chunks_in_flight(
    tmp_path: Path, settings: Settings
) -> None:
    folder = _folder(tmp_path, 60)
    db = tmp_path / "desk.sqlite"
    written: list[int] = []
    # Processes another test left running are no worker of this ingest.
    before = {child.pid for child in multiprocessing.active_children()}

    def kill_a_worker(by: int, counts: desk.IngestCounts) -> None:
        written.append(counts.new)
        if len(written) == 1:
            pids = [child.pid for child in multiprocessing.active_children()]
            ours = [pid for pid in pids if pid is not None and pid not in before]
            assert ours, "no worker process to kill"
            os.kill(ours[0], signal.SIGKILL)

    with Store(db) as store, pytest.raises(WorkerError, match=r"\[E470\].*SIGKILL"):
        desk.ingest([folder], store=store, settings=settings, workers=2, on_progress=kill_a_worker)
    _, _, sources = _contents(db)
    # The first chunk was written before the worker died; the chunks in flight were lost.
    assert len(sources) >= written[0] == 16
    assert len(sources) < 60
    with Store(db) as store:
        again = desk.ingest([folder], store=store, settings=settings, workers=2)
    assert again.already_done == len(sources)
    assert again.new + again.already_done == again.inputs
    articles, rejected, sources = _contents(db)
    assert len(articles) == 61
    assert len(rejected) == 3
    assert len(sources) == 65


def test_ingest_workers_analyze_many_keeps_input_order(analyzer: Analyzer) -> None:
    inputs = [Input(data=_report(number), origin=f"r{number}") for number in range(6)]
    inputs.insert(2, Input(data="   ", origin="blank"))
    expected = [record.model_dump() for record in analyzer.analyze_many(inputs)]
    parallel = workers.analyze_many(inputs, workers=2, settings=analyzer.settings, chunk=2)
    assert [record.model_dump() for record in parallel] == expected


def test_cli_ingest_workers_option(tmp_path: Path) -> None:
    folder = _folder(tmp_path, 3)
    db = tmp_path / "desk.sqlite"
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--workers", "2"])
    assert result.exit_code == 0, result.output
    articles, rejected, _ = _contents(db)
    assert (len(articles), len(rejected)) == (4, 3)
    refused = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--workers", "0"])
    assert refused.exit_code == 2
    assert "--workers" in refused.output

"""What ``newsdesk run`` refuses before any analysis: no Dask, a bad output folder or size.

The runs themselves, on a real pool and a real Dask LocalCluster, are in test_batch_run.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.batch.executors import plan, run
from newsdesk.errors import BatchError
from newsdesk.faces.cli import app

ARTICLE = "Fighters gathered near the valley entrance on Tuesday, officials said."


def _inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def test_run_dask_without_dask_is_a_coded_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails
    with pytest.raises(BatchError, match=r"E455.*pip install 'newsdesk\[dask\]'"):
        run([_inputs(tmp_path)], tmp_path / "out", executor="dask", workers=1)
    assert not list((tmp_path / "out").iterdir())


def test_run_output_must_be_a_folder_it_can_write(tmp_path: Path) -> None:
    taken = tmp_path / "taken"
    taken.write_text("a file, not a folder", encoding="utf-8")
    inputs = _inputs(tmp_path)
    with pytest.raises(BatchError, match="E460"):
        plan([inputs], taken)
    with pytest.raises(BatchError, match="E461"):
        plan([inputs], tmp_path / "out", size=0)


def test_run_clears_what_a_crash_left_half_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / ".0123.parquet.abcd1234.tmp").write_bytes(b"PAR1 cut short")
    (out / "notes.txt").write_text("kept", encoding="utf-8")
    shards = plan([_inputs(tmp_path)], out)
    assert len(shards) == 1
    assert sorted(path.name for path in out.iterdir()) == ["notes.txt"]


def test_cli_run_refuses_a_local_executor_with_a_scheduler(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "run",
            str(_inputs(tmp_path)),
            "--out",
            str(tmp_path / "out"),
            "--executor",
            "local",
            "--scheduler",
            "tcp://127.0.0.1:8786",
        ],
    )
    assert result.exit_code == 2
    assert "--scheduler" in result.output


def test_cli_load_refuses_a_missing_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["load", str(tmp_path / "nowhere"), "--db", str(tmp_path / "s.sqlite")]
    )
    assert result.exit_code == 2
    assert "E456" in result.output

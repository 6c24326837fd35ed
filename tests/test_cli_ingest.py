"""``newsdesk ingest FOLDER`` reads the article files of a folder and names the others."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.faces.cli import app
from newsdesk.stages.readers import skipped_files

ARTICLE = (
    "KABUL, Aug 24 (Reuters) - Taliban fighters massed near the entrance of the Panjshir "
    "valley on Tuesday, a spokesman for the resistance said.\n\n"
    "Residents said the road to the valley had been closed since Monday."
)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "README.md").write_text("# Reports\n\nCollected by the desk in August 2021.\n")
    (folder / "kabul.txt").write_text(ARTICLE)
    return folder


@pytest.mark.slow
def test_cli_ingest_folder_lists_what_it_skipped(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    db = tmp_path / "desk.sqlite"
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "Skipped 1 file(s)" in result.output
    assert str(folder / "README.md") in result.output
    assert "kabul.txt" not in result.output.split("Skipped", 1)[1].split("\n", 2)[1]


def test_cli_ingest_skipped_files_of_a_folder(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert skipped_files([folder]) == [folder / "README.md"]

"""Analysing one article loads none of the corpus layer's libraries: ``newsdesk analyze`` (and
every ingest worker) starts without SQLAlchemy, datasketch, scipy or pandas, nor the batch
runner's pyarrow and Dask."""

from __future__ import annotations

import subprocess
import sys
from importlib import resources

import pytest

CORPUS_LIBRARIES = ("datasketch", "scipy", "sqlalchemy", "pandas", "pyarrow", "dask", "distributed")


def _imported(arguments: list[str]) -> set[str]:
    """The top-level names of the modules a fresh ``python -X importtime ...`` imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *arguments],
        check=True,
        capture_output=True,
        text=True,
    )
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "newsdesk" in names, done.stderr[-2000:]
    return names


@pytest.mark.slow
def test_cli_analyze_imports_no_corpus_library() -> None:
    article = resources.files("newsdesk").joinpath("demo", "yemen-red-sea.txt")
    names = _imported(["-m", "newsdesk", "analyze", str(article)])
    assert "spacy" in names
    assert names.isdisjoint(CORPUS_LIBRARIES), sorted(names & set(CORPUS_LIBRARIES))


def test_cli_worker_module_imports_no_corpus_library() -> None:
    names = _imported(["-c", "import newsdesk.workers, newsdesk.faces.cli"])
    assert names.isdisjoint(CORPUS_LIBRARIES), sorted(names & set(CORPUS_LIBRARIES))

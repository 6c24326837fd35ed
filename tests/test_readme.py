"""The README's Python snippets run as written (each in a fresh namespace, in a temp folder)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
_BLOCK = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def _snippets() -> list[str]:
    return _BLOCK.findall(README.read_text(encoding="utf-8"))


def test_readme_has_python_snippets() -> None:
    assert len(_snippets()) >= 3


@pytest.mark.slow
@pytest.mark.parametrize("number", range(len(_snippets())))
def test_readme_snippet_runs_as_written(
    number: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A temp working folder: a snippet that writes a file (an actor overlay) writes it there.
    monkeypatch.chdir(tmp_path)
    code = _snippets()[number]
    exec(compile(code, f"README.md python block {number + 1}", "exec"), {"__name__": "readme"})

"""Reading the project's data files, and the user's own in the same formats, as UTF-8 text."""

from __future__ import annotations

from importlib.resources.abc import Traversable
from pathlib import Path

from newsdesk.errors import DataError, Errors


def read_data_text(source: Path | Traversable) -> str:
    """The file's text; a missing file is E302 and text that is not UTF-8 is E301, both naming
    the file, so that a user's mistyped path or a file saved in another encoding says so."""
    try:
        return source.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataError(Errors.E302.format(path=source)) from exc
    except UnicodeDecodeError as exc:
        raise DataError(
            Errors.E301.format(path=source, line=1, detail=f"not UTF-8: {exc}")
        ) from exc

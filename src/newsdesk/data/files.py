"""Reading the project's data files, and the user's own in the same formats, as UTF-8 text."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


def tsv_rows(
    text: str, path: str, header_problem: Callable[[tuple[str, ...]], str | None]
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a tab-separated data file, each as ``(line number, {column: field})``.

    Blank lines and ``#`` comments are skipped; the first other line is the header, which
    ``header_problem`` checks (it returns what is wrong, or None). A bad header, a row with
    another number of fields, or a file with no header is E301 naming the file and line.
    """
    columns: tuple[str, ...] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = [field.strip() for field in raw.split("\t")]
        if columns is None:
            problem = header_problem(tuple(fields))
            if problem is not None:
                raise DataError(Errors.E301.format(path=path, line=number, detail=problem))
            columns = tuple(fields)
            continue
        if len(fields) != len(columns):
            detail = f"expected {len(columns)} tab-separated fields, found {len(fields)}"
            raise DataError(Errors.E301.format(path=path, line=number, detail=detail))
        yield number, dict(zip(columns, fields, strict=True))
    if columns is None:
        raise DataError(Errors.E301.format(path=path, line=1, detail="the file has no header row"))

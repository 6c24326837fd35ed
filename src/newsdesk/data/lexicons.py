"""The loader for the project's phrase lists: ``newsdesk/data/<name>.txt``, one phrase a line.

A phrase file holds one phrase per line, optionally grouped under ``[section]`` headers; blank
lines and lines starting with ``#`` are comments. Phrases come back case-folded, because every
caller matches them regardless of case. A phrase may start with ``^``, which callers read as
"only where a line opens with it".

Every line is checked, and a bad one is a :class:`~newsdesk.errors.DataError` that names the
file and the line: a lexicon that silently lost a row would change results unseen.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from types import MappingProxyType

from newsdesk.errors import DataError, Errors

ANCHOR = "^"
"""A phrase starting with this matches only at the start of a line."""

_NAME = re.compile(r"[a-z0-9_]+")
_SECTION = re.compile(r"\[(?P<name>[^\]]*)\]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")

Sections = MappingProxyType[str | None, frozenset[str]]
"""Phrases by section; phrases written before any header sit under ``None``."""


def load_phrases(name: str, section: str | None = None) -> frozenset[str]:
    """The case-folded phrases of ``newsdesk/data/<name>.txt``: one ``section``, or all of them.

    The file is read and checked once, then cached.
    """
    sections = load_sections(name)
    if section is None:
        return frozenset().union(*sections.values())
    if section not in sections:
        raise DataError(Errors.E303.format(path=_path(name), section=section))
    return sections[section]


@functools.cache
def load_sections(name: str) -> Sections:
    """Every section of ``newsdesk/data/<name>.txt``, checked line by line; read once, cached."""
    resource = resources.files("newsdesk.data").joinpath(f"{name}.txt")
    if not _NAME.fullmatch(name) or not resource.is_file():
        raise DataError(Errors.E302.format(path=_path(name)))
    return parse_phrases(resource.read_text(encoding="utf-8"), path=_path(name))


def parse_phrases(content: str, *, path: str) -> Sections:
    """Check and collect the phrases of a phrase file's ``content``; ``path`` names it."""
    sections: dict[str | None, dict[str, int]] = {None: {}}
    current: str | None = None
    for number, raw in enumerate(content.split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header = _SECTION.fullmatch(line)
        if header:
            current = header["name"]
            problem = _section_problem(current, sections)
            if problem is None:
                sections[current] = {}
        else:
            problem = _phrase_problem(line) or _repeat_problem(line, sections[current])
            if problem is None:
                sections[current][line.casefold()] = number
        if problem is not None:
            raise DataError(Errors.E301.format(path=path, line=number, detail=problem))
    return MappingProxyType(
        {key: frozenset(phrases) for key, phrases in sections.items() if phrases or key}
    )


def _path(name: str) -> str:
    return f"newsdesk/data/{name}.txt"


def _section_problem(name: str, sections: dict[str | None, dict[str, int]]) -> str | None:
    if not _NAME.fullmatch(name):
        return f"section name '[{name}]' must be lower-case letters, digits and '_'"
    if name in sections:
        return f"section '[{name}]' appears twice"
    return None


def _phrase_problem(line: str) -> str | None:
    """What is wrong with one phrase line, or None when it is fine."""
    if _CONTROL.search(line):
        return f"{line!r} holds a tab or control character; write one phrase a line"
    body = line.removeprefix(ANCHOR)
    if not body.strip():
        return f"'{line}' has no phrase after '{ANCHOR}'"
    if ANCHOR in body:
        return f"'{line}': '{ANCHOR}' may only open a phrase"
    if body != body.strip() or "  " in body:
        return f"'{line}' has stray spaces; separate words with one space"
    return None


def _repeat_problem(line: str, seen: dict[str, int]) -> str | None:
    earlier = seen.get(line.casefold())
    return None if earlier is None else f"'{line}' repeats line {earlier} of its section"

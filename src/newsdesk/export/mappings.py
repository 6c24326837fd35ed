"""The mappings exports need, from PLOVER and newsdesk's sectors to the community's codes.

Four data files of the project's own, under ``newsdesk/data/`` (each header says what its
columns hold and where the definitions come from):

- ``plover_acled.tsv``: PLOVER type and mode (and whether a civilian was targeted) to ACLED's
  disorder type, event type and sub-event type, with the types ACLED has no counterpart for;
- ``plover_cameo.tsv``: PLOVER type and mode to a CAMEO event code;
- ``cameo_goldstein.tsv``: the Goldstein (1992) scale value of each CAMEO code;
- ``sector_inter.tsv``: an actor's sector to ACLED's inter code (1-8).

Each is read by one loader that checks every row (a bad row is E301 naming file and line) and
is cached per process.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import get_args

from newsdesk.data.event_lexicon import CAMEO_ROOTS, MODES
from newsdesk.data.files import read_data_text, tsv_rows
from newsdesk.errors import DataError, Errors
from newsdesk.records import Sector

__all__ = [
    "ACLED_DISORDER_TYPES",
    "ACLED_EVENT_TYPES",
    "AcledType",
    "Mappings",
    "acled_type",
    "cameo_code",
    "goldstein",
    "inter_code",
    "load_mappings",
    "quad_class",
]

NO_MODE = "-"
CIVILIAN = "civilian"

ACLED_EVENT_TYPES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "Battles": frozenset(
            {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}
        ),
        "Explosions/Remote violence": frozenset(
            {
                "Chemical weapon",
                "Air/drone strike",
                "Suicide bomb",
                "Shelling/artillery/missile attack",
                "Remote explosive/landmine/IED",
                "Grenade",
            }
        ),
        "Violence against civilians": frozenset(
            {"Sexual violence", "Attack", "Abduction/forced disappearance"}
        ),
        "Protests": frozenset(
            {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}
        ),
        "Riots": frozenset({"Violent demonstration", "Mob violence"}),
        "Strategic developments": frozenset(
            {
                "Agreement",
                "Arrests",
                "Change to group/activity",
                "Disrupted weapons use",
                "Headquarters or base established",
                "Looting/property destruction",
                "Non-violent transfer of territory",
                "Other",
            }
        ),
    }
)
"""ACLED's event types and the sub-event types of each (ACLED Codebook, 2023)."""

ACLED_DISORDER_TYPES = frozenset(
    {
        "Political violence",
        "Demonstrations",
        "Strategic developments",
        "Political violence; Demonstrations",
    }
)

_CAMEO_CODE = re.compile(r"\d{2,4}")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class AcledType:
    """ACLED's three-level type of an event."""

    disorder_type: str
    event_type: str
    sub_event_type: str


@dataclass(frozen=True, slots=True)
class Mappings:
    """The four mappings, as loaded (see the module docstring)."""

    acled: Mapping[tuple[str, str, bool], AcledType | None]
    """(type, mode or "-", civilian target) -> ACLED type, or None: no counterpart."""
    cameo: Mapping[tuple[str, str], str]
    goldstein: Mapping[str, float]
    inter: Mapping[str, int]
    cameo_type: Mapping[str, str]
    """sector -> CAMEO actor type code (GOV, MIL, REB ...); a sector with none is absent."""


def _fail(path: str, line: int, detail: str) -> DataError:
    return DataError(Errors.E301.format(path=path, line=line, detail=detail))


def _header(expected: tuple[str, ...]) -> Callable[[tuple[str, ...]], str | None]:
    def problem(columns: tuple[str, ...]) -> str | None:
        if columns != expected:
            return f"the header must be {' '.join(expected)} (tab-separated), not {columns}"
        return None

    return problem


def _rows(name: str, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    path = f"newsdesk/data/{name}"
    text = read_data_text(resources.files("newsdesk.data").joinpath(name))
    return list(tsv_rows(text, path, _header(columns)))


def _mode_problem(kind: str, mode: str) -> str | None:
    if kind not in MODES:
        return f"unknown PLOVER type {kind!r}; the types are {', '.join(MODES)}"
    if mode != NO_MODE and mode not in MODES[kind]:
        return f"mode {mode!r} is not a PLOVER mode of {kind} (or '-')"
    return None


def parse_acled(
    rows: list[tuple[int, dict[str, str]]], path: str
) -> dict[tuple[str, str, bool], AcledType | None]:
    found: dict[tuple[str, str, bool], AcledType | None] = {}
    for line, row in rows:
        kind, mode, target = row["type"], row["mode"], row["target"]
        levels = (row["disorder_type"], row["event_type"], row["sub_event_type"])
        problem = _mode_problem(kind, mode)
        if problem is None and target not in (NO_MODE, CIVILIAN):
            problem = f"target must be '-' or {CIVILIAN!r}, not {target!r}"
        if problem is None and NO_MODE in levels and set(levels) != {NO_MODE}:
            problem = "disorder_type, event_type and sub_event_type are all '-' or none is"
        if problem is None and NO_MODE not in levels:
            disorder, event, sub = levels
            if disorder not in ACLED_DISORDER_TYPES:
                problem = f"unknown ACLED disorder type {disorder!r}"
            elif event not in ACLED_EVENT_TYPES:
                problem = f"unknown ACLED event type {event!r}"
            elif sub not in ACLED_EVENT_TYPES[event]:
                problem = f"{sub!r} is not an ACLED sub-event type of {event!r}"
        key = (kind, mode, target == CIVILIAN)
        if problem is None and key in found:
            problem = f"{kind} {mode} {target} is mapped twice"
        if problem is not None:
            raise _fail(path, line, problem)
        found[key] = None if NO_MODE in levels else AcledType(*levels)
    missing = [kind for kind in MODES if (kind, NO_MODE, False) not in found]
    if missing:
        raise _fail(path, 1, f"no '-' row (whatever the mode) for {', '.join(missing)}")
    return found


def parse_cameo(rows: list[tuple[int, dict[str, str]]], path: str) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for line, row in rows:
        kind, mode, code = row["type"], row["mode"], row["cameo"]
        problem = _mode_problem(kind, mode)
        if problem is None and not re.fullmatch(r"\d{3}", code):
            problem = f"CAMEO code {code!r} must be three digits"
        elif problem is None and code[:2] not in CAMEO_ROOTS[kind]:
            roots = ", ".join(sorted(CAMEO_ROOTS[kind]))
            problem = f"CAMEO code {code} is not under a root of {kind} ({roots})"
        if problem is None and (kind, mode) in found:
            problem = f"{kind} {mode} is mapped twice"
        if problem is not None:
            raise _fail(path, line, problem)
        found[(kind, mode)] = code
    missing = [kind for kind in MODES if (kind, NO_MODE) not in found]
    if missing:
        raise _fail(path, 1, f"no '-' row for {', '.join(missing)}")
    return found


def parse_goldstein(rows: list[tuple[int, dict[str, str]]], path: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for line, row in rows:
        code, value = row["cameo"], row["goldstein"]
        problem = None
        if not re.fullmatch(r"\d{2,3}", code) or not 1 <= int(code[:2]) <= 20:
            problem = f"CAMEO code {code!r} must be two or three digits under roots 01-20"
        elif not _NUMBER.fullmatch(value) or not -10 <= float(value) <= 10:
            problem = f"Goldstein value {value!r} must be a number from -10 to 10"
        elif code in found:
            problem = f"CAMEO code {code} is given twice"
        elif len(code) == 3 and code[:2] not in found:
            problem = f"CAMEO code {code} comes before its root {code[:2]}"
        if problem is not None:
            raise _fail(path, line, problem)
        found[code] = float(value)
    return found


def parse_inter(
    rows: list[tuple[int, dict[str, str]]], path: str
) -> tuple[dict[str, int], dict[str, str]]:
    sectors = set(get_args(Sector))
    found: dict[str, int] = {}
    types: dict[str, str] = {}
    for line, row in rows:
        sector, inter, kind = row["sector"], row["inter"], row["cameo_type"]
        problem = None
        if sector not in sectors:
            problem = f"unknown sector {sector!r}; the sectors are {', '.join(sorted(sectors))}"
        elif not re.fullmatch(r"[1-8]", inter):
            problem = f"inter code {inter!r} must be 1 to 8"
        elif kind != NO_MODE and not re.fullmatch(r"[A-Z]{3}", kind):
            problem = f"CAMEO actor type {kind!r} must be three capital letters, or '-'"
        elif sector in found:
            problem = f"sector {sector} is given twice"
        if problem is not None:
            raise _fail(path, line, problem)
        found[sector] = int(inter)
        if kind != NO_MODE:
            types[sector] = kind
    missing = sorted(sectors - set(found))
    if missing:
        raise _fail(path, 1, f"no inter code for {', '.join(missing)}")
    return found, types


@functools.cache
def load_mappings() -> Mappings:
    """The four mapping files, checked row by row; cached per process."""
    acled_columns = (
        "type",
        "mode",
        "target",
        "disorder_type",
        "event_type",
        "sub_event_type",
        "note",
    )
    inter, types = parse_inter(
        _rows("sector_inter.tsv", ("sector", "inter", "cameo_type", "note")),
        "newsdesk/data/sector_inter.tsv",
    )
    return Mappings(
        acled=MappingProxyType(
            parse_acled(_rows("plover_acled.tsv", acled_columns), "newsdesk/data/plover_acled.tsv")
        ),
        cameo=MappingProxyType(
            parse_cameo(
                _rows("plover_cameo.tsv", ("type", "mode", "cameo")),
                "newsdesk/data/plover_cameo.tsv",
            )
        ),
        goldstein=MappingProxyType(
            parse_goldstein(
                _rows("cameo_goldstein.tsv", ("cameo", "goldstein", "label")),
                "newsdesk/data/cameo_goldstein.tsv",
            )
        ),
        inter=MappingProxyType(inter),
        cameo_type=MappingProxyType(types),
    )


def acled_type(kind: str, mode: str | None, *, civilian_target: bool) -> AcledType | None:
    """ACLED's type of a PLOVER event, or None when ACLED has no counterpart: the row for the
    mode, else the type's "-" row; the civilian row when a target is civilian and one exists."""
    table = load_mappings().acled
    for key_mode in (mode or NO_MODE, NO_MODE):
        if civilian_target and (kind, key_mode, True) in table:
            return table[(kind, key_mode, True)]
        if (kind, key_mode, False) in table:
            return table[(kind, key_mode, False)]
    return None


def cameo_code(kind: str, mode: str | None, root: str | None) -> str | None:
    """The CAMEO event code of a PLOVER event whose coder gave it CAMEO ``root`` (or none):
    the mapped code when its root agrees with ``root``, else ``root`` + "0"."""
    table = load_mappings().cameo
    mapped = table.get((kind, mode or NO_MODE)) or table.get((kind, NO_MODE))
    if root is None or not _CAMEO_CODE.fullmatch(root):
        return mapped
    root = root[:2]
    if mapped is not None and mapped.startswith(root):
        return mapped
    return root + "0"


def goldstein(code: str | None) -> float | None:
    """The Goldstein scale value of a CAMEO code (a four-digit code takes its parent's)."""
    if code is None:
        return None
    table = load_mappings().goldstein
    for prefix in (code[:3], code[:2]):
        if prefix in table:
            return table[prefix]
    return None


def quad_class(code: str | None) -> int | None:
    """GDELT's QuadClass of a CAMEO code: 1 verbal cooperation (roots 01-05), 2 material
    cooperation (06-08), 3 verbal conflict (09-13), 4 material conflict (14-20)."""
    if code is None or not _CAMEO_CODE.fullmatch(code):
        return None
    root = int(code[:2])
    if not 1 <= root <= 20:
        return None
    return 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4


def inter_code(sector: str | None) -> int | None:
    """ACLED's inter code of an actor of ``sector``; None when the sector is unknown."""
    if sector is None:
        return None
    return load_mappings().inter.get(sector)

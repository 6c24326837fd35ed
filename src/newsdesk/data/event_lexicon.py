"""The event lexicon: predicates that report events, with their PLOVER coding, and status cues.

``newsdesk/data/events.tsv`` is the project's own file (its header says what each column
means). ``[predicates]`` rows are tab-separated: phrase, part of speech, PLOVER type, mode,
CAMEO root code, weight, flags. The other sections (``[light_verbs]``, ``[speech_verbs]`` ...)
hold one word or phrase a line. Every row is checked; a bad one is a
:class:`~newsdesk.errors.DataError` naming the file and line, never skipped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Literal

from newsdesk.errors import DataError, Errors

PATH = "newsdesk/data/events.tsv"

# PLOVER manual v0.8, table 2.2: each type's modes.
MODES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "AGREE": frozenset(),
        "CONSULT": frozenset({"visit", "third-party", "multilateral", "phone"}),
        "SUPPORT": frozenset(),
        "CONCEDE": frozenset(),
        "COOPERATE": frozenset(),
        "AID": frozenset(),
        "RETREAT": frozenset({"withdraw", "release", "disarm", "ceasefire", "access", "resign"}),
        "REQUEST": frozenset({"assist", "change", "yield", "meet"}),
        "ACCUSE": frozenset({"disapprove", "investigate", "allege"}),
        "REJECT": frozenset({"assist", "change", "yield", "meet"}),
        "THREATEN": frozenset(
            {"restrict", "arrest", "relations", "expel", "territory", "violence"}
        ),
        "PROTEST": frozenset({"demo", "riot", "strike", "hunger", "boycott", "obstruct"}),
        "SANCTION": frozenset({"convict", "expel", "withdraw", "discontinue"}),
        "MOBILIZE": frozenset({"troops", "weapons", "police", "militia"}),
        "COERCE": frozenset(
            {
                "seize",
                "restrict",
                "censor",
                "curfew",
                "martial-law",
                "arrest",
                "deport",
                "withhold",
                "misinformation",
                "cyber",
            }
        ),
        "ASSAULT": frozenset(
            {
                "abduct",
                "beat",
                "torture",
                "sexual",
                "targeted",
                "destroy",
                "primitive",
                "firearms",
                "explosives",
                "suicide-attack",
                "aerial",
                "drone",
                "heavy-weapons",
                "crowd-control",
                "unconventional",
            }
        ),
    }
)
"""PLOVER's 16 event types and the modes each allows."""

# The CAMEO root codes that ref/CAMEO2PLOVER-2021.txt maps to each PLOVER type; CAMEO 02
# (appeal) has no PLOVER type of its own and is read as REQUEST.
CAMEO_ROOTS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "AGREE": frozenset({"03"}),
        "CONSULT": frozenset({"04"}),
        "SUPPORT": frozenset({"05"}),
        "COOPERATE": frozenset({"06"}),
        "AID": frozenset({"07"}),
        "CONCEDE": frozenset({"08"}),
        "RETREAT": frozenset({"08"}),
        "ACCUSE": frozenset({"09", "11"}),
        "REQUEST": frozenset({"02", "10"}),
        "REJECT": frozenset({"12"}),
        "THREATEN": frozenset({"13"}),
        "PROTEST": frozenset({"14"}),
        "MOBILIZE": frozenset({"15"}),
        "SANCTION": frozenset({"16"}),
        "COERCE": frozenset({"16", "17", "19"}),
        "ASSAULT": frozenset({"17", "18", "19", "20"}),
    }
)

FLAGS = frozenset({"mutual", "of_source", "poss_target", "flip", "intransitive", "authority"})
"""``mutual``: coordinated participants act on each other; ``of_source``: a noun's "of" phrase
is its actor; ``poss_target``: a noun's possessor is its target; ``flip``: negated, it is a
REJECT ("will not accept"); ``intransitive``: only a verb without a direct object matches it;
``authority``: with a state, government, military or police source it is a COERCE ("the army
ordered residents to leave")."""

WORD_SECTIONS = (
    "light_verbs",
    "speech_verbs",
    "intent_verbs",
    "attempt_verbs",
    "refusal_verbs",
    "denial_verbs",
    "denied_facts",
    "threat_verbs",
    "future_markers",
    "demand_modals",
    "intent_nouns",
    "site_nouns",
    "authority_nouns",
    "casualty_verbs",
    "information_words",
    "non_event_phrases",
    "uncertainty_words",
    "purpose_verbs",
    "hazards",
    "civilian_personnel",
    "conflict_words",
    "animal_nouns",
    "accusation_words",
    "factive_verbs",
    "halting_verbs",
    "awaiting_verbs",
)
_PREDICATES = "predicates"
_WORD = re.compile(r"[a-z'][a-z'-]*")
_SECTION = re.compile(r"\[(?P<name>[a-z_]+)\]")
_WEIGHT = re.compile(r"(?:0(?:\.\d+)?|1(?:\.0+)?)")

Pos = Literal["verb", "noun"]


@dataclass(frozen=True)
class Predicate:
    """One lexicon row: a phrase that reports an event of a PLOVER type."""

    phrase: str
    pos: Pos
    type: str
    mode: str | None
    cameo: str
    weight: float
    flags: frozenset[str]
    line: int

    @property
    def head(self) -> str:
        """The word the phrase hangs on: a verb phrase's first word, a noun phrase's last."""
        words = self.phrase.split()
        return words[0] if self.pos == "verb" else words[-1]

    @property
    def extras(self) -> tuple[str, ...]:
        """The phrase's other words, which must sit beside the head in the parse."""
        words = self.phrase.split()
        return tuple(words[1:] if self.pos == "verb" else words[:-1])


@dataclass(frozen=True)
class EventLexicon:
    predicates: Mapping[tuple[Pos, str], tuple[Predicate, ...]]
    """``(pos, head word)`` -> its predicates, longest phrase first."""
    words: Mapping[str, frozenset[str]]
    """Each word section (``light_verbs``, ``speech_verbs`` ...) -> its phrases."""

    def section(self, name: str) -> frozenset[str]:
        return self.words[name]

    def __len__(self) -> int:
        return sum(len(rows) for rows in self.predicates.values())


@functools.cache
def load_event_lexicon() -> EventLexicon:
    """The built-in event lexicon, read and checked once, then cached."""
    text = resources.files("newsdesk.data").joinpath("events.tsv").read_text(encoding="utf-8")
    return parse_event_lexicon(text, path=PATH)


def parse_event_lexicon(content: str, *, path: str) -> EventLexicon:
    """Check and collect an event lexicon's ``content``; ``path`` names it in errors."""
    rows: list[Predicate] = []
    seen: dict[tuple[str, str], int] = {}
    words: dict[str, set[str]] = {}
    section: str | None = None
    for number, raw in enumerate(content.split("\n"), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        header = _SECTION.fullmatch(line)
        if header:
            section = header["name"]
            problem = _section_problem(section, words, rows)
            if problem is None and section != _PREDICATES:
                words[section] = set()
        elif section == _PREDICATES:
            problem, predicate = _row(line, number, seen)
            if predicate is not None:
                rows.append(predicate)
                seen[(predicate.pos, predicate.phrase)] = number
        elif section is None:
            problem = "a row before any [section] header"
        else:
            problem = _word_problem(line, words[section])
            if problem is None:
                words[section].add(line)
        if problem is not None:
            raise DataError(Errors.E301.format(path=path, line=number, detail=problem))
    missing = [
        name for name in (_PREDICATES, *WORD_SECTIONS) if name not in words and name != _PREDICATES
    ]
    if not rows or missing:
        absent = ", ".join(f"[{name}]" for name in ([_PREDICATES] if not rows else []) + missing)
        raise DataError(Errors.E303.format(path=path, section=absent))
    grouped: dict[tuple[Pos, str], list[Predicate]] = {}
    for predicate in rows:
        grouped.setdefault((predicate.pos, predicate.head), []).append(predicate)
    return EventLexicon(
        predicates=MappingProxyType(
            {
                key: tuple(sorted(group, key=lambda p: len(p.extras), reverse=True))
                for key, group in grouped.items()
            }
        ),
        words=MappingProxyType({name: frozenset(found) for name, found in words.items()}),
    )


def _section_problem(name: str, words: dict[str, set[str]], rows: list[Predicate]) -> str | None:
    if name != _PREDICATES and name not in WORD_SECTIONS:
        known = ", ".join(f"[{known}]" for known in (_PREDICATES, *WORD_SECTIONS))
        return f"unknown section '[{name}]'; the sections are {known}"
    if name in words or (name == _PREDICATES and rows):
        return f"section '[{name}]' appears twice"
    return None


def _row(
    line: str, number: int, seen: Mapping[tuple[str, str], int]
) -> tuple[str | None, Predicate | None]:
    cells = line.split("\t")
    if len(cells) != 7:
        return f"expected 7 tab-separated columns, found {len(cells)}", None
    phrase, pos, kind, mode, cameo, weight, flags = cells
    problem: str | None = None
    if not phrase or any(not _WORD.fullmatch(word) for word in phrase.split(" ")):
        problem = f"phrase {phrase!r} must be lower-case words separated by one space"
    elif pos not in ("verb", "noun"):
        problem = f"part of speech {pos!r} must be 'verb' or 'noun'"
    elif kind not in MODES:
        problem = f"unknown PLOVER type {kind!r}; the types are {', '.join(MODES)}"
    elif mode != "-" and mode not in MODES[kind]:
        allowed = ", ".join(sorted(MODES[kind])) or "none"
        problem = f"mode {mode!r} is not a PLOVER mode of {kind} (allowed: {allowed}; or '-')"
    elif cameo not in CAMEO_ROOTS[kind]:
        roots = ", ".join(sorted(CAMEO_ROOTS[kind]))
        problem = f"CAMEO root {cameo!r} does not map to {kind} (expected one of {roots})"
    elif not _WEIGHT.fullmatch(weight) or float(weight) == 0:
        problem = f"weight {weight!r} must be a number above 0 and at most 1"
    elif flags != "-" and not set(flags.split(",")) <= FLAGS:
        problem = f"flags {flags!r} must be '-' or a comma list of {', '.join(sorted(FLAGS))}"
    elif (pos, phrase) in seen:
        problem = f"{pos} {phrase!r} repeats line {seen[(pos, phrase)]}"
    if problem is not None:
        return problem, None
    return None, Predicate(
        phrase=phrase,
        pos="verb" if pos == "verb" else "noun",
        type=kind,
        mode=None if mode == "-" else mode,
        cameo=cameo,
        weight=float(weight),
        flags=frozenset() if flags == "-" else frozenset(flags.split(",")),
        line=number,
    )


def _word_problem(line: str, seen: set[str]) -> str | None:
    if any(not _WORD.fullmatch(word) for word in line.split(" ")):
        return f"{line!r} must be lower-case words separated by one space"
    if line in seen:
        return f"{line!r} appears twice in its section"
    return None

"""Settings: the commented defaults file, overlaid by the user's, resolved once into frozen options.

``load_settings()`` reads ``newsdesk/defaults.toml``, lays the user's file over it (from the
``path`` argument or the ``NEWSDESK_CONFIG`` environment variable), checks every key, type
and range, and returns a frozen :class:`Settings` that is passed down to the stages.

Every setting has a :class:`Rule` in :data:`RULES` (its allowed range or shape). The loader
checks each value against it and names the file it came from; the settings classes check again
when built in Python (``dataclasses.replace`` included), so no value a stage cannot use gets
past: ``nan``, ``num_perm = 0``, ``languages = []`` or a negative count is a coded error
(E104-E107), never a crash or a run out of memory later.
"""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

from newsdesk.errors import ConfigError, Errors

DEFAULTS_FILE = "defaults.toml"
ENV_VAR = "NEWSDESK_CONFIG"
PYTHON_ORIGIN = "settings built in Python"
"""What an error names as the file when a settings class is built in code, not read."""


@dataclass(frozen=True)
class Rule:
    """What values one setting may take; ``allowed`` says it in words for the error message.

    Numbers lie in ``low``..``high`` (``low`` itself excluded when ``above``) and are finite;
    a string, or each item of a list, fully matches ``pattern``; a list is never empty when
    ``non_empty``.
    """

    allowed: str
    low: float | None = None
    high: float | None = None
    above: bool = False
    pattern: re.Pattern[str] | None = None
    non_empty: bool = False


# Printable text with something in it: names and paths. Control characters are never part of
# one and would garble the messages that quote them.
_TEXT = re.compile(r"[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*")
_SIMILARITY = "a number above 0 and at most 1"

RULES: dict[str, Rule] = {
    # Above 1 GB one input read whole would take several GB once decoded and parsed.
    "input.max_input_bytes": Rule("a whole number from 1 to 1,000,000,000", low=1, high=1e9),
    "input.min_text_chars": Rule("a whole number from 0 to 1,000,000", low=0, high=1e6),
    "input.languages": Rule(
        'a non-empty list of lowercase ISO 639-1 codes such as ["en"]',
        pattern=re.compile(r"[a-z]{2}"),
        non_empty=True,
    ),
    "model.name": Rule("a pipeline package name or folder path (not blank)", pattern=_TEXT),
    # Bigger batches only cost memory (see defaults.toml); 1024 texts is far past any gain.
    "model.batch_size": Rule("a whole number from 1 to 1,024", low=1, high=1024),
    # The time budget of one article; a day is no budget at all.
    "model.max_seconds": Rule(
        "a number of seconds above 0 and at most 86,400", low=0, high=86400, above=True
    ),
    "segment.repeat_similarity": Rule(_SIMILARITY, low=0, high=1, above=True),
    "segment.short_block_words": Rule("a whole number from 0 to 1,000", low=0, high=1000),
    "entities.knowledge_base": Rule("a list of file paths (none blank)", pattern=_TEXT),
    # Under 16 permutations the Jaccard estimate is off by 0.25 or more; past 1,024 each sketch
    # costs memory for no finer answer.
    "corpus.num_perm": Rule("a whole number from 16 to 1,024", low=16, high=1024),
    "corpus.block_similarity": Rule(_SIMILARITY, low=0, high=1, above=True),
    "corpus.duplicate_similarity": Rule(_SIMILARITY, low=0, high=1, above=True),
    "corpus.min_block_chars": Rule("a whole number from 1 to 100,000", low=1, high=1e5),
    "corpus.story_window_days": Rule("a whole number of days from 0 to 3,650", low=0, high=3650),
    "corpus.story_similarity": Rule(_SIMILARITY, low=0, high=1, above=True),
    "corpus.merge_window_days": Rule("a whole number of days from 0 to 3,650", low=0, high=3650),
    # Half the Earth's circumference: no two places are further apart.
    "corpus.merge_distance_km": Rule("a number of kilometres from 0 to 20,038", low=0, high=20038),
    "corpus.batch_articles": Rule("a whole number from 1 to 100,000", low=1, high=1e5),
}


def check_setting(key: str, value: object, origin: str | Path) -> None:
    """Raise the coded ConfigError (E104-E107) when ``value`` breaks the rule for ``key``."""
    rule = RULES[key]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ConfigError(
                Errors.E105.format(key=key, path=origin, got=value, allowed=rule.allowed)
            )
        too_low = rule.low is not None and (value <= rule.low if rule.above else value < rule.low)
        too_high = rule.high is not None and value > rule.high
        if too_low or too_high:
            raise ConfigError(
                Errors.E104.format(key=key, path=origin, got=value, allowed=rule.allowed)
            )
    items: tuple[object, ...] = ()
    if isinstance(value, (list, tuple)):
        if rule.non_empty and not value:
            raise ConfigError(Errors.E106.format(key=key, path=origin, allowed=rule.allowed))
        items = tuple(value)
    elif isinstance(value, str):
        items = (value,)
    for item in items:
        if rule.pattern is not None and not (
            isinstance(item, str) and rule.pattern.fullmatch(item)
        ):
            raise ConfigError(
                Errors.E107.format(key=key, path=origin, got=item, allowed=rule.allowed)
            )


def _check_section(section: str, values: object) -> None:
    for field in fields(values):  # type: ignore[arg-type]
        check_setting(f"{section}.{field.name}", getattr(values, field.name), PYTHON_ORIGIN)


@dataclass(frozen=True)
class InputSettings:
    max_input_bytes: int
    min_text_chars: int
    languages: tuple[str, ...]

    def __post_init__(self) -> None:
        _check_section("input", self)


@dataclass(frozen=True)
class ModelSettings:
    name: str
    batch_size: int
    max_seconds: float

    def __post_init__(self) -> None:
        _check_section("model", self)


@dataclass(frozen=True)
class SegmentSettings:
    repeat_similarity: float
    short_block_words: int

    def __post_init__(self) -> None:
        _check_section("segment", self)


@dataclass(frozen=True)
class EntitySettings:
    knowledge_base: tuple[str, ...]

    def __post_init__(self) -> None:
        _check_section("entities", self)


@dataclass(frozen=True)
class CorpusSettings:
    num_perm: int
    block_similarity: float
    duplicate_similarity: float
    min_block_chars: int
    story_window_days: int
    story_similarity: float
    merge_window_days: int
    merge_distance_km: float
    batch_articles: int

    def __post_init__(self) -> None:
        _check_section("corpus", self)


@dataclass(frozen=True)
class Settings:
    input: InputSettings
    model: ModelSettings
    segment: SegmentSettings
    entities: EntitySettings
    corpus: CorpusSettings


_SECTIONS: dict[str, type[Any]] = {
    "input": InputSettings,
    "model": ModelSettings,
    "segment": SegmentSettings,
    "entities": EntitySettings,
    "corpus": CorpusSettings,
}


def defaults_text() -> str:
    """The text of the packaged defaults file, comments included."""
    return resources.files("newsdesk").joinpath(DEFAULTS_FILE).read_text(encoding="utf-8")


def load_settings(path: str | Path | None = None) -> Settings:
    """Resolve the defaults, overlaid by ``path`` (or by ``$NEWSDESK_CONFIG`` when it is None)."""
    merged = tomllib.loads(defaults_text())
    origins = {
        f"{section}.{key}": f"newsdesk/{DEFAULTS_FILE}"
        for section, values in merged.items()
        for key in values
    }
    user_path = path if path is not None else os.environ.get(ENV_VAR)
    if user_path:
        user = _read_toml(Path(user_path))
        for section, values in user.items():
            if section not in merged or not isinstance(values, dict):
                raise ConfigError(Errors.E102.format(key=section, path=user_path))
            for key, value in values.items():
                if key not in merged[section]:
                    raise ConfigError(Errors.E102.format(key=f"{section}.{key}", path=user_path))
                _check_type(f"{section}.{key}", value, merged[section][key], user_path)
                merged[section][key] = value
                origins[f"{section}.{key}"] = str(user_path)
    for section, values in merged.items():
        for key, value in values.items():
            check_setting(f"{section}.{key}", value, origins[f"{section}.{key}"])
    return Settings(**{name: _build(cls, merged[name]) for name, cls in _SECTIONS.items()})


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except OSError as exc:
        raise ConfigError(Errors.E101.format(path=path, detail=exc.strerror)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(Errors.E101.format(path=path, detail=exc)) from exc


def _check_type(key: str, value: object, default: object, path: str | Path) -> None:
    expected = type(default)
    # TOML writes 1.0 and 1 differently; a user writing an int where a float is expected is fine.
    ok = isinstance(value, expected) or (expected is float and type(value) is int)
    if isinstance(default, bool) != isinstance(value, bool):
        ok = False
    if ok and isinstance(default, list):
        ok = all(isinstance(item, str) for item in value)  # type: ignore[attr-defined]
    if not ok:
        raise ConfigError(
            Errors.E103.format(key=key, path=path, expected=expected.__name__, got=value)
        )


def _build(cls: type[Any], values: dict[str, Any]) -> Any:
    kwargs = {
        field.name: tuple(values[field.name])
        if isinstance(values[field.name], list)
        else values[field.name]
        for field in fields(cls)
    }
    return cls(**kwargs)

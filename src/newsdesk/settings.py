"""Settings: the commented defaults file, overlaid by the user's, resolved once into frozen options.

``load_settings()`` reads ``newsdesk/defaults.toml``, lays the user's file over it (from the
``path`` argument or the ``NEWSDESK_CONFIG`` environment variable), checks every key and type,
and returns a frozen :class:`Settings` that is passed down to the stages.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

from newsdesk.errors import ConfigError, Errors

DEFAULTS_FILE = "defaults.toml"
ENV_VAR = "NEWSDESK_CONFIG"


@dataclass(frozen=True)
class InputSettings:
    max_input_bytes: int
    min_text_chars: int
    languages: tuple[str, ...]


@dataclass(frozen=True)
class ModelSettings:
    name: str
    batch_size: int
    max_seconds: float


@dataclass(frozen=True)
class SegmentSettings:
    repeat_similarity: float
    short_block_words: int


@dataclass(frozen=True)
class EntitySettings:
    knowledge_base: tuple[str, ...]


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

"""Settings: the commented defaults file, the user's overlay, and helpful errors."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from newsdesk.errors import ConfigError
from newsdesk.settings import defaults_text, load_settings


def test_settings_every_key_is_documented() -> None:
    lines = defaults_text().splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^[a-z_]+\s*=", line):
            above = lines[number - 1].strip()
            assert above.startswith("#"), f"key on line {number + 1} has no comment above it"


def test_settings_defaults_load() -> None:
    settings = load_settings()
    defaults = tomllib.loads(defaults_text())
    assert settings.model.name == defaults["model"]["name"]
    assert settings.input.languages == ("en",)


def test_settings_user_file_overlays_defaults(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("[input]\nmax_input_bytes = 1000\n", encoding="utf-8")
    settings = load_settings(path)
    assert settings.input.max_input_bytes == 1000
    assert settings.input.min_text_chars == load_settings().input.min_text_chars


def test_settings_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "env.toml"
    path.write_text("[segment]\nrepeat_similarity = 1\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDESK_CONFIG", str(path))
    assert load_settings().segment.repeat_similarity == 1.0


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("[input\n", "E101"),
        ("[input]\nmax_input_byte = 3\n", "E102"),
        ("[inputs]\nmax_input_bytes = 3\n", "E102"),
        ('[input]\nmax_input_bytes = "big"\n', "E103"),
        ("[input]\nlanguages = [1, 2]\n", "E103"),
        ("[segment]\nshort_block_words = true\n", "E103"),
    ],
)
def test_settings_bad_file_is_a_coded_error(tmp_path: Path, content: str, code: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=rf"\[{code}\]"):
        load_settings(path)


def test_settings_missing_file_is_a_coded_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\[E101\]"):
        load_settings(tmp_path / "absent.toml")

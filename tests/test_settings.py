"""Settings: the commented defaults file, the user's overlay, and helpful errors."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from newsdesk.errors import ConfigError
from newsdesk.settings import RULES, InputSettings, defaults_text, load_settings


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


def test_settings_every_key_has_a_range_rule() -> None:
    defaults = tomllib.loads(defaults_text())
    keys = {f"{section}.{key}" for section, values in defaults.items() for key in values}
    # Subset, not equal: a rule may be ready for a key another branch adds (model.max_seconds).
    assert keys <= set(RULES)


@pytest.mark.parametrize(
    ("content", "code", "allowed"),
    [
        ("[corpus]\nblock_similarity = nan\n", "E105", "above 0 and at most 1"),
        ("[corpus]\nmerge_distance_km = inf\n", "E105", "20,038"),
        ("[corpus]\nnum_perm = 0\n", "E104", "from 16 to 1,024"),
        ("[corpus]\nnum_perm = 100_000_000\n", "E104", "from 16 to 1,024"),
        ("[corpus]\nstory_window_days = -1\n", "E104", "from 0 to 3,650"),
        ("[corpus]\nmerge_distance_km = -5.0\n", "E104", "from 0 to 20,038"),
        ("[corpus]\nduplicate_similarity = 0\n", "E104", "above 0"),
        ("[corpus]\nstory_similarity = 1.5\n", "E104", "at most 1"),
        ("[corpus]\nmin_block_chars = 0\n", "E104", "from 1 to 100,000"),
        ("[corpus]\nmerge_window_days = -2\n", "E104", "from 0 to 3,650"),
        ("[corpus]\nbatch_articles = 0\n", "E104", "from 1 to 100,000"),
        ("[input]\nmax_input_bytes = -1\n", "E104", "from 1 to 1,000,000,000"),
        ("[input]\nmin_text_chars = -40\n", "E104", "from 0 to 1,000,000"),
        ("[input]\nlanguages = []\n", "E106", "non-empty list"),
        ('[input]\nlanguages = ["English"]\n', "E107", "ISO 639-1"),
        ("[model]\nbatch_size = 0\n", "E104", "from 1 to 1,024"),
        ('[model]\nname = "  "\n', "E107", "not blank"),
        ("[segment]\nrepeat_similarity = -0.5\n", "E104", "above 0"),
        ("[segment]\nshort_block_words = -3\n", "E104", "from 0 to 1,000"),
        ('[entities]\nknowledge_base = [""]\n', "E107", "file paths"),
    ],
)
def test_settings_out_of_range_is_a_coded_error(
    tmp_path: Path, content: str, code: str, allowed: str
) -> None:
    path = tmp_path / "range.toml"
    path.write_text(content, encoding="utf-8")
    key = content.split("\n")[1].split("=")[0].strip()
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    message = str(caught.value)
    assert message.startswith(f"[{code}]")
    assert key in message
    assert str(path) in message
    assert allowed in message


def test_settings_edges_of_each_range_are_allowed(tmp_path: Path) -> None:
    path = tmp_path / "edges.toml"
    path.write_text(
        "[corpus]\nnum_perm = 16\nblock_similarity = 1\nstory_window_days = 0\n"
        "merge_distance_km = 0\n[segment]\nshort_block_words = 0\n",
        encoding="utf-8",
    )
    settings = load_settings(path)
    assert (settings.corpus.num_perm, settings.corpus.block_similarity) == (16, 1)


def test_settings_built_in_python_are_checked_too() -> None:
    corpus = load_settings().corpus
    with pytest.raises(ConfigError, match=r"\[E104\] Setting 'corpus.num_perm' in settings built"):
        replace(corpus, num_perm=0)
    with pytest.raises(ConfigError, match=r"\[E106\] Setting 'input.languages'"):
        InputSettings(max_input_bytes=1000, min_text_chars=1, languages=())

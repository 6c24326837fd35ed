"""The command line's usage, without a language model: arguments checked before any work,
read commands that refuse a missing store, --version, and help a user can read."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk import __version__, desk
from newsdesk.errors import StoreError
from newsdesk.faces.cli import EXIT_USAGE, app
from newsdesk.settings import load_settings
from newsdesk.stages import ingest

runner = CliRunner()


@pytest.mark.parametrize("value", ["yesterday", "2023-02-30", "2023/07/03", "2023-07", "23-07-03"])
def test_cli_usage_published_must_be_an_iso_date(tmp_path: Path, value: str) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Some text.", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(article), "--published", value])
    assert result.exit_code == EXIT_USAGE
    assert "[E421]" in result.stderr
    assert "YYYY-MM-DD" in result.stderr


def test_cli_usage_published_accepts_an_iso_date() -> None:
    assert desk.check_published(" 2023-07-03 ") == "2023-07-03"
    assert desk.check_published(None) is None


@pytest.mark.parametrize(
    "command",
    [
        ["stories"],
        ["story", "story-0000000000000000"],
        ["events"],
        ["claims"],
        ["search", "drone"],
        ["rejected"],
        ["refresh"],
        ["export", "--format", "csv"],
        ["report", "--story", "story-0000000000000000"],
        ["feed", "--out", "feed.atom"],
        ["serve"],
    ],
)
def test_cli_usage_read_commands_refuse_a_missing_store(tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / "mistyped.sqlite"
    result = runner.invoke(app, [*command, "--db", str(db)])
    assert result.exit_code == EXIT_USAGE
    assert "[E420]" in result.stderr
    assert "newsdesk ingest" in result.stderr
    assert result.stdout == ""
    assert not db.exists()


def test_cli_usage_missing_store_by_sqlite_url(tmp_path: Path) -> None:
    db = tmp_path / "absent.sqlite"
    result = runner.invoke(app, ["events", "--db", f"sqlite:///{db}"])
    assert result.exit_code == EXIT_USAGE
    assert "[E420]" in result.stderr
    assert not db.exists()


def test_cli_usage_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"newsdesk {__version__}"


COMMANDS = [
    ["analyze"],
    ["demo"],
    ["ingest"],
    ["recode"],
    ["refresh"],
    ["stories"],
    ["story"],
    ["events"],
    ["claims"],
    ["search"],
    ["rejected"],
    ["run"],
    ["load"],
    ["export"],
    ["report"],
    ["feed"],
    ["serve"],
    ["gazetteer", "build"],
    ["gazetteer", "info"],
]


@pytest.mark.parametrize("command", COMMANDS)
def test_cli_usage_help_has_no_placeholder_labels(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    for label in ("<bool>", "<str>", "<int>", "<path>", "{FILE}", "{TEXT}", "{ID}", "<list"):
        assert label not in result.stdout, (label, result.stdout)


def test_cli_usage_search_help_explains_the_syntax() -> None:
    result = runner.invoke(app, ["search", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for part in ("must all appear", "quoted phrases", "dron*", "OR between"):
        assert part in text, part


def test_cli_usage_analyze_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", str(tmp_path)])
    assert result.exit_code == EXIT_USAGE
    assert "is a folder" in result.stderr
    assert "newsdesk ingest" in result.stderr
    assert "no such file" not in result.stderr


def test_cli_usage_limit_must_be_positive(tmp_path: Path) -> None:
    result = runner.invoke(app, ["events", "--limit", "0", "--db", str(tmp_path / "x.sqlite")])
    assert result.exit_code == EXIT_USAGE


@pytest.mark.parametrize(
    ("value", "expected"), [("Mali", "ML"), ("mli", "ML"), ("Afghanistan", "AF")]
)
def test_desk_unknown_country_names_the_code(value: str, expected: str) -> None:
    with pytest.raises(StoreError, match=r"\[E422\].*did you mean " + expected):
        desk.check_country(value)


def test_desk_country_and_type_codes_are_normalised() -> None:
    assert desk.check_country(" ua ") == "UA"
    assert desk.check_event_type("assault") == "ASSAULT"
    with pytest.raises(StoreError, match=r"\[E422\]"):
        desk.check_country("Atlantis")
    with pytest.raises(StoreError, match=r"\[E423\].*PROTEST.*ASSAULT"):
        desk.check_event_type("BOMBING")


def test_ingest_binary_reason_reads_well() -> None:
    found = ingest.read(b"\x7fELF" + bytes(range(256)), settings=load_settings().input)
    assert not isinstance(found, ingest.Source)
    assert found.code == "R103"
    assert "a ELF" not in found.reason
    assert "ELF" in found.reason


@pytest.mark.parametrize("text", ["", "   ", '""', "*"])
def test_cli_usage_search_without_words_is_an_error(tmp_path: Path, text: str) -> None:
    db = tmp_path / "store.sqlite"
    desk.open_store(str(db)).close()
    result = runner.invoke(app, ["search", text, "--db", str(db)])
    assert result.exit_code == EXIT_USAGE
    assert "[E425]" in result.stderr

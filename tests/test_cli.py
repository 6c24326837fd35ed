"""The newsdesk command: summaries, JSON, stdin, and one-line errors with documented exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.faces.cli import EXIT_REJECTED, EXIT_SETUP, EXIT_USAGE, app

pytestmark = pytest.mark.slow

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory, demo_articles: dict[str, bytes]) -> Path:
    name, data = next((n, d) for n, d in sorted(demo_articles.items()) if n.endswith(".txt"))
    path = tmp_path_factory.mktemp("demo") / name
    path.write_bytes(data)
    return path


def test_cli_analyze_prints_a_summary(demo_file: Path) -> None:
    result = runner.invoke(app, ["analyze", str(demo_file)])
    assert result.exit_code == 0, result.output
    assert "Entities" in result.output
    assert "Blocks" in result.output


def test_cli_analyze_summary_shows_an_events_verification(tmp_path: Path) -> None:
    path = tmp_path / "denial.txt"
    path.write_text("The army denied shelling the village of Ndele on Tuesday.\n")
    result = runner.invoke(app, ["analyze", str(path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "verification" in result.stdout
    assert "disputed (denied)" in result.stdout


def test_cli_analyze_explains_places(tmp_path: Path) -> None:
    path = tmp_path / "texas.txt"
    path.write_text(
        "Flooding closed schools across Texas on Monday. In Gainesville, crews cleared "
        "fallen trees from the roads.\n"
    )
    result = runner.invoke(app, ["analyze", str(path), "--explain-places"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "readings weighed" in result.stdout
    chosen = next(line for line in result.stdout.splitlines() if "* Gainesville" in line)
    assert "Texas" in chosen and "article_region:US/Texas" in chosen
    assert any(
        "Gainesville" in line and "Florida" in line and "* " not in line
        for line in result.stdout.splitlines()
    )


def test_cli_analyze_explains_places_whole_in_a_narrow_terminal(tmp_path: Path) -> None:
    # A reason code cut to "article_reg…" cannot be read: narrow tables fold, never cut.
    path = tmp_path / "texas.txt"
    path.write_text("Flooding closed schools across Texas. In Gainesville, crews cleared trees.\n")
    result = runner.invoke(app, ["analyze", str(path), "--explain-places"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    table = result.stdout[result.stdout.index("readings weighed") :]
    assert "…" not in table
    assert "Gainesville" in table


def test_cli_analyze_json_is_an_article_record(demo_file: Path) -> None:
    result = runner.invoke(app, ["analyze", str(demo_file), "--json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    for key in ("id", "url", "title", "publisher", "published", "language", "text", "blocks"):
        assert key in record
    for key in ("entities", "places", "times", "quantities", "quotes", "claims", "events"):
        assert isinstance(record[key], list)
    for entity in record["entities"]:
        for mention in entity["mentions"]:
            assert record["text"][mention["start"] : mention["end"]] == mention["text"]


def test_cli_analyze_reads_stdin(demo_file: Path) -> None:
    result = runner.invoke(app, ["analyze", "-", "--json"], input=demo_file.read_bytes())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["entities"]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "R101"),
        (b"   \n\n  \t ", "R102"),
        (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "R103"),
        (
            "Le gouvernement a annoncé mardi une série de mesures pour soutenir les agriculteurs "
            "touchés par la sécheresse dans le sud du pays.".encode(),
            "R107",
        ),
    ],
)
def test_cli_analyze_rejects_bad_input_in_one_line(
    tmp_path: Path, content: bytes, code: str
) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    result = runner.invoke(app, ["analyze", str(path)])
    assert result.exit_code == EXIT_REJECTED
    assert f"[{code}]" in result.stderr
    assert "Traceback" not in result.output


def test_cli_analyze_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", str(tmp_path / "absent.txt")])
    assert result.exit_code == EXIT_USAGE
    assert "no such file" in result.stderr


def test_cli_unknown_model_is_a_setup_error(demo_file: Path) -> None:
    result = runner.invoke(app, ["analyze", str(demo_file), "--model", "no_such_pipeline_xyz"])
    assert result.exit_code == EXIT_SETUP
    assert "[E201]" in result.stderr


def test_cli_bad_config_is_a_setup_error(demo_file: Path, tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[model]\nnmae = 'x'\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(demo_file), "--config", str(config)])
    assert result.exit_code == EXIT_SETUP
    assert "[E102]" in result.stderr


def test_cli_demo_runs_every_demo_article() -> None:
    result = runner.invoke(app, ["demo", "--json"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert len(records) >= 6
    assert all("entities" in record for record in records)


def test_cli_real_command_rejects_binary_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)) * 64)
    process = subprocess.run(
        [sys.executable, "-m", "newsdesk", "analyze", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert process.returncode == EXIT_REJECTED
    assert "Traceback" not in process.stderr
    assert len(process.stderr.strip().splitlines()) == 1


def _peak_rss_kib(args: list[str]) -> tuple[int, str]:
    """Run the real command in a child process; return its peak memory and its stderr."""
    script = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(peak, done.returncode, done.stderr.strip().replace(chr(10), ' '))\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", script, sys.executable, "-m", "newsdesk", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    peak, code, stderr = process.stdout.split(" ", 2)
    assert int(code) == EXIT_REJECTED, stderr
    return int(peak), stderr


def test_cli_50_mb_file_is_rejected_with_bounded_memory(tmp_path: Path) -> None:
    small = tmp_path / "small.txt"
    small.write_bytes(b"")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as file:
        file.truncate(50_000_000)  # sparse: 50 MB to the reader, nothing on disk
    baseline, _ = _peak_rss_kib(["analyze", str(small)])
    peak, stderr = _peak_rss_kib(["analyze", str(huge)])
    assert "[R104]" in stderr
    # Only max_input_bytes + 1 bytes are ever read (20 MB by default), never the whole file.
    assert peak - baseline < 40_000, (baseline, peak)


def test_cli_gazetteer_info_counts_places() -> None:
    result = runner.invoke(app, ["gazetteer", "info"])
    assert result.exit_code == 0, result.output
    assert "country" in result.stdout
    assert "build_version" in result.stdout


# -- article and user text is printed as it is, never read as rich markup -------------------------

MARKUP_ARTICLE = (
    "Rebels [/] say they [bold]attacked an army convoy near Goma\n\n"
    "GOMA, Congo - M23 rebels said on Monday that they had attacked an army convoy [/] near "
    "Goma [bold] and killed five soldiers, a spokesman for the group told Reuters.\n\n"
    'The army said the claim was false [red]. "Our convoy reached Sake safely," an army '
    "spokesman said on Tuesday, adding that nobody had been hurt in the [/] incident."
)


@pytest.fixture(scope="module")
def markup_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("markup")
    (folder / "reports").mkdir()
    (folder / "reports" / "markup.txt").write_text(MARKUP_ARTICLE, encoding="utf-8")
    db = folder / "markup.sqlite"
    result = runner.invoke(app, ["ingest", str(folder / "reports"), "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


def test_cli_analyze_prints_markup_in_the_text_literally(tmp_path: Path) -> None:
    path = tmp_path / "markup.txt"
    path.write_text(MARKUP_ARTICLE, encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(path), "--wide"])
    assert result.exit_code == 0, result.output
    assert "Rebels [/] say they [bold]attacked" in result.stdout


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (["claims", "--wide"], "[/]"),
        (["search", "convoy", "--wide"], "[/]"),
        (["stories", "--wide"], "[bold]"),
        (["events", "--mentions", "--wide"], "[/]"),
        (["search", "[/] convoy"], "convoy"),
    ],
)
def test_cli_store_commands_print_markup_literally(
    markup_store: Path, command: list[str], shown: str
) -> None:
    result = runner.invoke(app, [*command, "--db", str(markup_store)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert shown in result.stdout


def test_cli_story_prints_markup_literally(markup_store: Path) -> None:
    listed = runner.invoke(app, ["stories", "--db", str(markup_store), "--json"])
    story_id = json.loads(listed.stdout.splitlines()[0])["id"]
    result = runner.invoke(app, ["story", story_id, "--wide", "--db", str(markup_store)])
    assert result.exit_code == 0, result.output
    assert "[bold]" in result.stdout
    missing = runner.invoke(app, ["story", "[/]", "--db", str(markup_store)])
    assert missing.exit_code == EXIT_USAGE
    assert "'[/]'" in missing.stderr


def test_cli_ingest_summary_names_the_store_and_recode_says_when_nothing_changed(
    markup_store: Path,
) -> None:
    result = runner.invoke(app, ["recode", "--db", str(markup_store)])
    assert result.exit_code == 0, result.output
    assert "Nothing to recode" in result.stdout
    assert "sqlite+pysqlite" not in result.stdout
    assert markup_store.name in result.stdout


def test_cli_demo_prints_a_short_summary_per_article() -> None:
    result = runner.invoke(app, ["demo"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) < 150, len(lines)
    assert max(len(line) for line in lines) <= 80
    assert "events" in result.stdout
    assert "Articles" in result.stdout


def test_cli_analyze_summary_fits_80_columns(demo_file: Path) -> None:
    result = runner.invoke(app, ["analyze", str(demo_file)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "…" in result.stdout
    for header in ("name", "aliases", "roles", "mentions"):  # no column squeezed out of sight
        assert header in result.stdout
    # One line per entity: no cell wraps (mid-word or not) onto a second line.
    record = json.loads(runner.invoke(app, ["analyze", str(demo_file), "--json"]).stdout)
    lines = result.stdout.splitlines()
    title = next(i for i, line in enumerate(lines) if line.strip() == "Entities")
    top = next(i for i in range(title, len(lines)) if lines[i].startswith("┡"))
    bottom = next(i for i in range(top, len(lines)) if lines[i].startswith("└"))
    assert bottom - top - 1 == len(record["entities"])

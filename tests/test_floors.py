"""Quality floors (issue 10): every headline figure of every benchmark stays at or above its
floor in benchmarks/floors.toml.

The figures are measured by benchmarks/floors.py on fixed subsets of the gold sets in
../shared/eval (skipped when absent), with the session's one pipeline. The floors file's own
rules (floors only rise, every table has a measure) are checked without any data.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from newsdesk.pipeline import Analyzer

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
# The benchmark scripts import their helpers as top-level modules (_common, quotes_gold ...).
if str(BENCHMARKS) not in sys.path:
    sys.path.insert(0, str(BENCHMARKS))

import floors  # noqa: E402

DOCUMENT = floors.load_floors()
FLOORS = floors.floors_of(DOCUMENT)


def test_floors_every_table_has_a_measure_and_every_measure_a_table() -> None:
    assert set(FLOORS) == set(floors.MEASURES)
    assert set(floors.MEASURES) == set(floors.SUBSETS) == set(floors.DATA)
    assert all(FLOORS[name] for name in FLOORS), "a benchmark table holds no floor"
    assert DOCUMENT.get("status") in ("provisional", "final")


def test_floors_are_rounded_to_three_decimals() -> None:
    for name, table in FLOORS.items():
        for key, value in table.items():
            assert floors.rounded_down(value) == value, f"{name}.{key} = {value}"


def test_floors_raising_never_lowers_a_floor() -> None:
    text = "# keep me\n[demo]\nhigh = 0.900  # a note\nlow = 0.500\n\n# next\n[other]\nx = 0.1\n"
    measured = {"demo": {"high": 0.8123, "low": 0.6789, "new": 0.4449}, "fresh": {"y": 0.25}}
    raised, changes = floors.rewrite(text, measured, allow_lower=False)
    parsed = floors.floors_of(tomllib.loads(raised))
    assert parsed["demo"] == {"high": 0.9, "low": 0.678, "new": 0.444}
    assert parsed["other"] == {"x": 0.1}
    assert parsed["fresh"] == {"y": 0.25}
    assert "high = 0.900  # a note" in raised and "# keep me" in raised
    assert not any(change.startswith("demo.high") for change in changes)
    reset, _ = floors.rewrite(text, measured, allow_lower=True)
    assert floors.floors_of(tomllib.loads(reset))["demo"]["high"] == 0.812


def test_floors_a_figure_below_its_floor_is_named_with_value_and_floor() -> None:
    failures = floors.below({"a": 0.5, "b": 0.9}, {"a": 0.6, "b": 0.9, "c": 0.1}, "demo")
    assert failures == [
        "demo.a = 0.5 is below its floor 0.6",
        "demo.c: has a floor (0.1) but is no longer measured",
    ]


def _final_versions() -> list[tuple[str, dict[str, dict[str, float]]]]:
    """(commit, floors) of every committed version of floors.toml whose status is final."""
    git = shutil.which("git")
    root = BENCHMARKS.parent
    if git is None or not (root / ".git").exists():
        return []
    log = subprocess.run(
        [git, "log", "--format=%H", "--", "benchmarks/floors.toml"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    versions = []
    for commit in log.stdout.split():
        shown = subprocess.run(
            [git, "show", f"{commit}:benchmarks/floors.toml"],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
        if shown.returncode != 0:
            continue
        document = tomllib.loads(shown.stdout)
        if document.get("status") == "final":
            versions.append((commit[:10], floors.floors_of(document)))
    return versions


def test_floors_never_fall_below_a_final_version() -> None:
    versions = _final_versions()
    if not versions:
        pytest.skip("no final version of benchmarks/floors.toml in git history (or no git)")
    assert DOCUMENT.get("status") == "final", "floors.toml went back to provisional"
    lowered = [
        f"{name}.{key} = {FLOORS.get(name, {}).get(key)} is below {value} of commit {commit}"
        for commit, old in versions
        for name, table in old.items()
        for key, value in table.items()
        if FLOORS.get(name, {}).get(key, -1.0) < value
    ]
    assert not lowered, "floors only ever rise:\n" + "\n".join(lowered)


@pytest.mark.slow
@pytest.mark.shared
@pytest.mark.parametrize("name", sorted(floors.MEASURES))
def test_floors_figures_stay_at_or_above_their_floors(
    name: str, request: pytest.FixtureRequest
) -> None:
    data = floors.SHARED_EVAL / floors.DATA[name]
    if not data.exists():
        pytest.skip(f"{data} is absent")
    # The session's one pipeline (the analyzer fixture's, shared with every other test),
    # loaded only once some data is there to score.
    analyzer: Analyzer = request.getfixturevalue("analyzer")
    figures = floors.MEASURES[name](analyzer.nlp)
    failures = floors.below(figures, FLOORS.get(name, {}), name)
    assert not failures, f"{name} ({floors.SUBSETS[name]}):\n" + "\n".join(failures)

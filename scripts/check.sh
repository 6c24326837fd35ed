#!/usr/bin/env bash
# The README's second command, and what CI runs: set up, then every check in turn
# (format, lint, types, tests). Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
# shellcheck disable=SC1091
. .venv/bin/activate
echo "== ruff format"; ruff format --check src tests benchmarks scripts
echo "== ruff check"; ruff check src tests benchmarks scripts
echo "== mypy (strict, src/)"; mypy
echo "== pytest"; python -m pytest "$@"

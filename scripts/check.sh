#!/usr/bin/env bash
# The README's second command, and exactly what CI runs (.ci/run): set up, then every check in
# turn (format, lint, types, tests). Arguments go to pytest.
#
# The store tests run on SQLite and on a real PostgreSQL server that tests/test_store.py starts
# on loopback from Debian's binaries; they are installed here when missing, and
# NEWSDESK_REQUIRE_POSTGRES turns a missing server into a failure, never a silent skip.
set -euo pipefail
cd "$(dirname "$0")/.."
# The web app's tests drive Debian's Chromium; NEWSDESK_REQUIRE_BROWSER makes its absence a
# failure too.
missing=()
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && ! command -v initdb >/dev/null; then
    missing+=(postgresql)
fi
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
export NEWSDESK_REQUIRE_POSTGRES=1 NEWSDESK_REQUIRE_BROWSER=1
bash scripts/setup.sh dev
# shellcheck disable=SC1091
. .venv/bin/activate
echo "== ruff format"; ruff format --check src tests benchmarks scripts
echo "== ruff check"; ruff check src tests benchmarks scripts
echo "== mypy (strict, src/)"; mypy
echo "== pytest"; python -m pytest "$@"

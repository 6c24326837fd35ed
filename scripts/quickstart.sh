#!/usr/bin/env bash
# The README's first command: set everything up, then analyse the demo articles.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/newsdesk demo "$@"
echo
echo "newsdesk is installed in .venv. To use it in this shell:  . .venv/bin/activate"

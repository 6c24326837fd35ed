#!/usr/bin/env bash
# Installs the front-end files that `newsdesk serve` and `newsdesk report` use, from the npm
# registry at set-up time, pinned by version and integrity hash in assets/package-lock.json
# (npm ci refuses a file whose hash differs), then copies what is used into the package's
# static folder. Nothing is fetched at run time; the copies are not committed. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null; then
    echo "scripts/assets.sh: npm is needed to install the map's files (Debian: apt-get install npm)." >&2
    exit 1
fi
npm ci --prefix assets --ignore-scripts --no-audit --no-fund --loglevel=error
vendor=src/newsdesk/serve/static/vendor
rm -rf "$vendor"
mkdir -p "$vendor/leaflet" "$vendor/markercluster" "$vendor/world-atlas"
cp -r assets/node_modules/leaflet/dist/leaflet.js assets/node_modules/leaflet/dist/leaflet.css \
    assets/node_modules/leaflet/dist/images assets/node_modules/leaflet/LICENSE "$vendor/leaflet/"
cp assets/node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
    assets/node_modules/leaflet.markercluster/dist/MarkerCluster.css \
    assets/node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css \
    assets/node_modules/leaflet.markercluster/MIT-LICENCE.txt "$vendor/markercluster/"
cp assets/node_modules/world-atlas/countries-110m.json assets/node_modules/world-atlas/countries-50m.json \
    assets/node_modules/world-atlas/LICENSE "$vendor/world-atlas/"

#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry. No build step: each
# package's ready-made browser file is copied into src/sayyes/static/sayyes/vendor/.
# Bump a version here, run this script, and commit the result.
set -euo pipefail
HTMX=2.0.11
SORTABLE=1.15.7
CHARTJS=4.6.1

root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/src/sayyes/static/sayyes/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest"
cd "$work"
fetch() { npm pack --silent "$1@$2" >/dev/null && mkdir -p "$1" && tar -xzf "$1"-*.tgz -C "$1" && rm "$1"-*.tgz; }
fetch htmx.org "$HTMX"
fetch sortablejs "$SORTABLE"
fetch chart.js "$CHARTJS"
cp htmx.org/package/dist/htmx.min.js "$dest/htmx.min.js"
cp sortablejs/package/Sortable.min.js "$dest/Sortable.min.js"
cp chart.js/package/dist/chart.umd.min.js "$dest/chart.umd.min.js"
cat > "$dest/VERSIONS" <<V
htmx.org $HTMX (BSD-2-Clause)
sortablejs $SORTABLE (MIT)
chart.js $CHARTJS (MIT)
V
echo "vendored into $dest:"; cat "$dest/VERSIONS"

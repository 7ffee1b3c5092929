#!/usr/bin/env bash
# Serves the app at http://127.0.0.1:8080 (rebuilt on change) and the lab at http://127.0.0.1:8081.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
bash scripts/setup.sh
cargo build -p why401-lab --locked
target/debug/why401-lab --port "${LAB_PORT:-8081}" &
lab_pid=$!
trap 'kill "$lab_pid" 2>/dev/null || true' EXIT
# No live reload: its inline script is refused by the page's Content-Security-Policy.
trunk serve --port "${APP_PORT:-8080}" --no-autoreload

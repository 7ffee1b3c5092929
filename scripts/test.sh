#!/usr/bin/env bash
# Runs every check and test of why401: format, clippy (native and wasm32), native tests,
# the probe layer's wasm tests in headless Chromium against the lab, and the end-to-end tests
# of the built app in headless Chromium. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

step() { printf '\n== %s\n' "$*" >&2; }

step "setup"
bash scripts/setup.sh --test

step "format"
cargo fmt --all --check

step "clippy (native)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "clippy (wasm32)"
cargo clippy -p why401 --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

step "release build (dist/)"
trunk build --release --public-url ./

step "lab for the probe tests"
cargo build -p why401-lab --locked
lab_log=$(mktemp)
target/debug/why401-lab --port 0 2>"$lab_log" &
lab_pid=$!
trap 'kill "$lab_pid" 2>/dev/null || true; rm -f "$lab_log"' EXIT
lab_url=""
for _ in $(seq 100); do
  lab_url=$(sed -n 's|^why401 lab: \(http://[^/]*\)/.*|\1|p' "$lab_log")
  [ -n "$lab_url" ] && curl -fsS "$lab_url/health" >/dev/null 2>&1 && break
  sleep 0.1
done
[ -n "$lab_url" ] || { cat "$lab_log" >&2; echo "the lab did not start" >&2; exit 1; }
echo "lab at $lab_url" >&2

results=$(mktemp)
trap 'kill "$lab_pid" 2>/dev/null || true; rm -f "$lab_log" "$results"' EXIT

step "probe layer in headless Chromium (wasm-bindgen-test)"
WHY401_LAB_URL="$lab_url" WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1 \
  cargo test -p why401 --target wasm32-unknown-unknown --test probe --locked 2>&1 | tee -a "$results"

step "native tests and end-to-end tests in headless Chromium"
cargo test --workspace --locked -- --nocapture 2>&1 | tee -a "$results"

step "size of the first paint"
bash scripts/size.sh --no-build

# The figures against other projects' own test suites and against real servers' answers.
printf '\nconformance (crates/core/tests/conformance/):\n'
grep -E '^(challenges|commands|cookies|cors|har|public suffixes) [^ ]+: ' "$results" | sed 's/^/  /' || true
printf 'real answers (crates/core/tests/corpus/):\n'
grep -E ' agree when ' "$results" | sed 's/^/  /' || true
printf 'the terminal twin against the lab (crates/cli/tests/):\n'
grep -E '^terminal( --origin)?: ' "$results" | sed 's/^/  /' || true

# One closing line over every test binary above.
awk '/^test result: / { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "\nsummary: %d passed, %d failed\n", p, f }' "$results"

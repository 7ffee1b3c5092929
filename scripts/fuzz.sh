#!/usr/bin/env bash
# A short fuzz run of every target (FUZZ_SECONDS each, default 20) with cargo-fuzz on nightly.
# Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked
seconds="${FUZZ_SECONDS:-20}"
for target in $(cargo +nightly fuzz list --fuzz-dir fuzz); do
  echo "== fuzz $target for ${seconds}s" >&2
  # Seeds (fuzz/seeds/<target>, tracked) start the search from real inputs.
  seeds=()
  [ -d "fuzz/seeds/$target" ] && seeds=("fuzz/corpus/$target" "fuzz/seeds/$target") && mkdir -p "fuzz/corpus/$target"
  cargo +nightly fuzz run --fuzz-dir fuzz "$target" "${seeds[@]}" -- -max_total_time="$seconds" -max_len=4096
done

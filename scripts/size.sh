#!/usr/bin/env bash
# Prints the bytes (raw and gzip -9) of every file the page needs for its first paint.
# Builds the release bundle first unless called with --no-build.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

if [ "${1:-}" != "--no-build" ]; then
  bash scripts/setup.sh
  trunk build --release --public-url ./ >/dev/null
fi

budget=$((160 * 1024))
# The first paint needs index.html and every file it names: styles, icon, the JS glue, the wasm.
files=(dist/index.html)
for f in dist/*; do
  [ -f "$f" ] && [ "$f" != dist/index.html ] && grep -qF "$(basename "$f")" dist/index.html && files+=("$f")
done

printf '%-48s %10s %10s\n' "first-paint file" "bytes" "gzip -9"
total_raw=0
total_gz=0
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  raw=$(wc -c <"$f")
  gz=$(gzip -9c "$f" | wc -c)
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  printf '%-48s %10d %10d\n' "${f#dist/}" "$raw" "$gz"
done
printf '%-48s %10d %10d\n' "total" "$total_raw" "$total_gz"
printf 'budget: %d bytes gzip; used %d%%\n' "$budget" $((total_gz * 100 / budget))

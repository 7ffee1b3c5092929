#!/usr/bin/env bash
# Lighthouse (npm) against the release build served from loopback, in the local Chromium: prints
# the performance, accessibility, best-practices and SEO scores for a phone and a desktop.
# Reports go to target/lighthouse/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
bash scripts/setup.sh --test

lighthouse_dir="$WHY401_TOOLS/lighthouse"
if ! grep -qF "\"version\": \"$LIGHTHOUSE_VERSION\"" "$lighthouse_dir/node_modules/lighthouse/package.json" 2>/dev/null; then
  echo "lighthouse: installing lighthouse@$LIGHTHOUSE_VERSION (npm) into $lighthouse_dir" >&2
  npm install --silent --no-audit --no-fund --prefix "$lighthouse_dir" "lighthouse@$LIGHTHOUSE_VERSION"
fi
[ -f dist/index.html ] || { echo "lighthouse: build dist/ first (make dist)" >&2; exit 1; }

cargo build -p why401-lab --locked -q
app_port="${APP_PORT:-18090}"
target/debug/why401-lab --port 0 --dist dist --app-port "$app_port" 2>/dev/null &
lab_pid=$!
trap 'kill "$lab_pid" 2>/dev/null || true' EXIT
url="http://127.0.0.1:$app_port/"
for _ in $(seq 1 50); do curl -sf -o /dev/null "$url" && break; sleep 0.1; done

mkdir -p target/lighthouse
for form in mobile desktop; do
  preset=()
  [ "$form" = desktop ] && preset=(--preset=desktop)
  CHROME_PATH="${CHROMIUM:-/usr/bin/chromium}" "$lighthouse_dir/node_modules/.bin/lighthouse" "$url" \
    "${preset[@]}" --quiet --output=json --output-path="target/lighthouse/$form.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"
  node -e '
    const report = require(process.argv[1]);
    const scores = Object.values(report.categories)
      .map(c => `${c.title} ${Math.round(c.score * 100)}`).join(", ");
    console.log(`lighthouse ${process.argv[2]}: ${scores}`);
    for (const c of Object.values(report.categories)) {
      for (const ref of c.auditRefs) {
        const a = report.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 1) {
          console.log(`  ${c.title}: ${a.id} ${a.displayValue ?? ""} (score ${a.score})`);
        }
      }
    }' "$PWD/target/lighthouse/$form.json" "$form"
done

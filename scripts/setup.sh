#!/usr/bin/env bash
# Installs what building (and, with --test, testing) why401 needs; skips what is already there.
# Safe to run again and again: when everything is present it takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/env.sh
source scripts/env.sh

with_test=false
[ "${1:-}" = "--test" ] && with_test=true

say() { printf 'setup: %s\n' "$*" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -qF " $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (takes a few minutes, once)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-bindgen-cli must be the exact version of the wasm-bindgen crate in Cargo.lock. Its own
# lockfile pins a crate the registry lacks, hence no --locked.
if ! wasm-bindgen --version 2>/dev/null | grep -qF " $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (takes a few minutes, once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! wasm-opt --version 2>/dev/null | grep -qF "version $BINARYEN_VERSION"; then
  say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION) into $WHY401_TOOLS"
  npm install --silent --no-audit --no-fund --prefix "$WHY401_TOOLS/npm" "binaryen@$BINARYEN_VERSION"
fi

# The post-build hook that keeps inline scripts out of index.html is a perl script.
command -v perl >/dev/null || { say "perl is needed to build (apt-get install perl-base)"; exit 1; }

if $with_test; then
  if ! grep -qF "\"version\": \"$AXE_CORE_VERSION\"" "$WHY401_TOOLS/npm/node_modules/axe-core/package.json" 2>/dev/null; then
    say "installing axe-core@$AXE_CORE_VERSION (npm) into $WHY401_TOOLS"
    npm install --silent --no-audit --no-fund --prefix "$WHY401_TOOLS/npm" "axe-core@$AXE_CORE_VERSION"
  fi
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    sudo_cmd=()
    [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi

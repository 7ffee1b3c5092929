# Sourced by the scripts and the Makefile's recipes: tool versions and PATH.
# Tools that are not cargo binaries live in $WHY401_TOOLS, outside the work tree, so that every
# clone on this machine shares them.
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
AXE_CORE_VERSION=4.14.1
LIGHTHOUSE_VERSION=12.8.2
WASM_BINDGEN_VERSION=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' Cargo.lock)
WHY401_TOOLS="${WHY401_TOOLS:-$HOME/.cache/why401}"
PATH="$HOME/.cargo/bin:$WHY401_TOOLS/npm/node_modules/.bin:$PATH"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# The accessibility checker the e2e tests inject into the page.
WHY401_AXE="${WHY401_AXE:-$WHY401_TOOLS/npm/node_modules/axe-core/axe.min.js}"
export TRUNK_VERSION BINARYEN_VERSION AXE_CORE_VERSION LIGHTHOUSE_VERSION WASM_BINDGEN_VERSION \
  WHY401_TOOLS WHY401_AXE PATH CHROMEDRIVER

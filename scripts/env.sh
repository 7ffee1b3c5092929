# Sourced by the scripts and the Makefile's recipes: tool versions and PATH.
# Tools that are not cargo binaries live in $WHY401_TOOLS, outside the work tree, so that every
# clone on this machine shares them.
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
WASM_BINDGEN_VERSION=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' Cargo.lock)
WHY401_TOOLS="${WHY401_TOOLS:-$HOME/.cache/why401}"
PATH="$HOME/.cargo/bin:$WHY401_TOOLS/npm/node_modules/.bin:$PATH"
CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
export TRUNK_VERSION BINARYEN_VERSION WASM_BINDGEN_VERSION WHY401_TOOLS PATH CHROMEDRIVER

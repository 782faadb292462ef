#!/usr/bin/env bash
# Installs everything kubeplay needs to build, serve and test, from the registries only
# (crates.io, npm, Debian). Idempotent: each step is skipped when already in place.
#   scripts/setup.sh            toolchain for building and serving
#   scripts/setup.sh --browser  also Debian's chromium and chromium-driver for browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# trunk 0.22 needs a newer rustc than the build machines have; 0.21.14 works (DESIGN.md).
TRUNK_VERSION=0.21.14
if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  step "cargo install trunk $TRUNK_VERSION (about 6 minutes, once)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock, or trunk tries
# to download one. `--locked` fails for this crate (DESIGN.md), so it is installed without.
WBG_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WBG_VERSION\$"; then
  step "cargo install wasm-bindgen-cli $WBG_VERSION (about 2 minutes, once)"
  cargo install wasm-bindgen-cli --version "$WBG_VERSION" --force
fi

# cargo-fuzz for the fuzz targets (stable Rust, built without a sanitizer: fuzz/run.sh).
CARGO_FUZZ_VERSION=0.13.2
if [ "${1:-}" = "--browser" ] && ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  step "cargo install cargo-fuzz $CARGO_FUZZ_VERSION (about 2 minutes, once)"
  cargo install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

# cargo-deny for the dependency policy (deny.toml, docs/dependencies.md). 0.20.2 builds with
# rustc 1.95 (`--locked`, about 4 minutes on 2 cores, once).
CARGO_DENY_VERSION=0.20.2
if [ "${1:-}" = "--browser" ] && ! cargo deny --version 2>/dev/null | grep -q "$CARGO_DENY_VERSION"; then
  step "cargo install cargo-deny $CARGO_DENY_VERSION (about 4 minutes, once)"
  cargo install --locked cargo-deny --version "$CARGO_DENY_VERSION"
fi

# npm packages: CodeMirror and esbuild for the editor bundle, binaryen for wasm-opt,
# playwright-core for the browser tests. The stamp makes a second run instant.
if [ ! -f node_modules/.stamp ] || [ package-lock.json -nt node_modules/.stamp ]; then
  step "npm ci"
  npm ci --no-audit --no-fund
  touch node_modules/.stamp
fi

if [ ! -f web/editor/dist/editor.js ] || [ -n "$(find web/editor/src package-lock.json -newer web/editor/dist/editor.js 2>/dev/null | head -1)" ]; then
  step "bundle the editor (esbuild)"
  npm run --silent build:editor
fi

if [ "${1:-}" = "--browser" ] && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  step "apt-get install chromium chromium-driver"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

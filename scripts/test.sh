#!/usr/bin/env bash
# Runs every kubeplay test: formatting, lints (native and wasm), all Rust tests, the web
# build, and the browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
start=$(date +%s)
log=$(mktemp)
trap 'rm -f "$log"' EXIT

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy (native)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo clippy (wasm32: core and web)"
cargo clippy -p kubeplay-core -p kubeplay-web --target wasm32-unknown-unknown --locked -- -D warnings
# The page's first stage is the web crate without its default `play` feature (stage.rs).
cargo clippy -p kubeplay-web --no-default-features --target wasm32-unknown-unknown --locked -- -D warnings

# Licences, banned crates, duplicate versions (warnings) and sources; not advisories, whose
# database cannot be downloaded on the build machines (deny.toml).
step "cargo deny (licenses, bans, sources)"
cargo deny --offline --locked check licenses bans sources --hide-inclusion-graph

step "cargo test"
cargo test --workspace --locked 2>&1 | tee -a "$log"

step "trunk build --release"
trunk build --release --offline

step "browser tests (headless Chromium)"
node --test web/tests/ 2>&1 | tee -a "$log"

step "fuzz targets, 30 s each, from the checked-in seeds"
fuzz/run.sh 30

# One closing line for the whole run: Rust tests plus browser tests.
passed=$(awk '/^test result: ok\./ {n += $4} /^# pass / {n += $3} END {print n + 0}' "$log")
echo "all tests passed in $(( $(date +%s) - start ))s"
echo "${passed} passed, 0 failed"

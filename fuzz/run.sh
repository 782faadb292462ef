#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for SECONDS each, starting from the checked-in
# seeds. Crashes land in fuzz/artifacts/<target>/ and fail the run.
#   fuzz/run.sh 30                   # each target for 30 s (the test command does this)
#   fuzz/run.sh 3600 analyze_bytes   # one target for an hour
# Stable Rust: cargo-fuzz builds without a sanitizer (-s none), which needs no nightly flags.
set -euo pipefail
cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"
SECONDS_EACH=${1:-30}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(analyze_bytes analyze_manifest scenario lesson share)
cargo fuzz build -s none 2>&1 | tail -1
for t in "${TARGETS[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  echo "==> fuzz $t for ${SECONDS_EACH}s"
  cargo fuzz run -s none "$t" "corpus/$t" "seeds/$t" -- \
    -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 2>&1 | grep -E "stat::number_of_executed_units|Done|ERROR|panicked|SUMMARY" || true
  if compgen -G "artifacts/$t/crash-*" > /dev/null || compgen -G "artifacts/$t/timeout-*" > /dev/null; then
    echo "fuzz target $t found a failure: see fuzz/artifacts/$t/"
    exit 1
  fi
done

#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60) and stops at the first crash.
# The toolchain here is stable; RUSTC_BOOTSTRAP lets cargo-fuzz pass the sanitizer flags.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-60}
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O
for target in $(cargo fuzz list); do
  dictionary=()
  [[ -f $target.dict ]] && dictionary=(-dict="$target.dict")
  echo "--- $target (${seconds}s)"
  cargo fuzz run -O "$target" -- -max_total_time="$seconds" "${dictionary[@]}" 2>&1 | tail -n 3
done

#!/usr/bin/env bash
# Fuzzes the article path for a set time (default 10 minutes): `tests/fuzz/run.sh [SECONDS]`.
# Needs cargo-fuzz (`cargo install cargo-fuzz`). libFuzzer's instrumentation uses unstable
# compiler flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
export RUSTC_BOOTSTRAP=1
mkdir -p corpus/article artifacts/article
cargo fuzz run --fuzz-dir . article corpus/article -- -max_total_time="$seconds" -max_len=8192 -timeout=10

#!/usr/bin/env bash
# Fuzzes treatyline for a set time per target (default 10 minutes):
#
#     tests/fuzz/run.sh [SECONDS] [TARGET...]
#
# The targets: `article` (one article's bytes through a build) and `site` (a whole generated
# site through `build`, which must write nothing outside its output); both when none is named.
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`). libFuzzer's instrumentation uses
# unstable compiler flags; RUSTC_BOOTSTRAP lets the stable toolchain accept them. A crash is
# saved under artifacts/<target>/ and ends the run with a non-zero code.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(article site)
export RUSTC_BOOTSTRAP=1
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "artifacts/$target"
    # The corpus grown by the run stays under corpus/<target>/ (ignored by git but the seeds),
    # so a later run starts from where this one got to.
    cargo fuzz run --fuzz-dir . "$target" "corpus/$target" -- \
        -max_total_time="$seconds" -max_len=8192 -timeout=10 \
        -artifact_prefix="artifacts/$target/" -print_final_stats=1
done

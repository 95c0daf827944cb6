#!/usr/bin/env bash
# What site search costs: `treatyline build` with search, the same build with `--no-search`,
# and Pagefind's own command-line indexer (the npm package `pagefind`, of the version of the
# crate treatyline uses) indexing that `--no-search` output, as `npx pagefind --site OUT`
# would, on the same synthetic corpus at 1,000 and 10,000 articles. The index costs the
# difference between the first two; its budget is what the third costs.
#
#     bash benches/search.sh
#
# Each of the three runs RUNS times per size, taking turns, after one untimed warm-up each;
# every run writes into a new folder (Pagefind indexes a fresh copy of the output). The figures
# are medians: wall time, CPU time (user + system, less sensitive to other load on the
# machine), and peak memory (maximum resident set size, from GNU time). Everything is written
# under a temporary folder (mktemp: TMPDIR chooses where; a tmpfs keeps the disk out of it).
#
# Settings (environment): RUNS (default 3), SMALL and LARGE (default 1000 and 10000), SEED
# (default 1). Needs: cargo, GNU time (/usr/bin/time, Debian package `time`), npm.

set -euo pipefail

RUNS=${RUNS:-3}
SMALL=${SMALL:-1000}
LARGE=${LARGE:-10000}
SEED=${SEED:-1}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

if [[ ! -x /usr/bin/time ]]; then
    echo "error: GNU time is needed at /usr/bin/time (apt-get install time)" >&2
    exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The generator is an example, built in the test profile whose dev-dependencies exist already.
echo "building treatyline (release) and the corpus generator..." >&2
cargo build --quiet --release --bin treatyline
cargo build --quiet --example gen_corpus
target=${CARGO_TARGET_DIR:-$repo/target}
treatyline="$target/release/treatyline"
gen_corpus="$target/debug/examples/gen_corpus"

version=$(awk '/^name = "pagefind"$/ { getline; gsub(/[^0-9.]/, ""); print }' Cargo.lock)
echo "installing pagefind $version from npm..." >&2
npm install --prefix "$work/npm" --no-audit --no-fund --loglevel=error "pagefind@$version" >&2
pagefind="$work/npm/node_modules/.bin/pagefind"

# shellcheck source=benches/lib.sh
source "$repo/benches/lib.sh"

run_search() { measure "$treatyline" build --root "$1" --output "$(new_output)"; }
run_no_search() { measure "$treatyline" build --no-search --root "$1" --output "$(new_output)"; }
run_pagefind() {
    local copy
    copy=$(new_output)
    cp -r "$work/site-$2" "$copy"
    measure "$pagefind" --site "$copy"
}

kinds=(search no_search pagefind)
declare -A figure
for size in "$SMALL" "$LARGE"; do
    corpus="$work/corpus-$size"
    echo "generating $size articles..." >&2
    "$gen_corpus" --articles "$size" --seed "$SEED" --out "$corpus" >&2
    "$treatyline" build --no-search --root "$corpus" --output "$work/site-$size" 2>/dev/null
    for kind in "${kinds[@]}"; do
        "run_$kind" "$corpus" "$size" >/dev/null # warm-up
        : >"$work/$kind-$size"
    done
    for run in $(seq "$RUNS"); do
        for kind in "${kinds[@]}"; do
            result=$("run_$kind" "$corpus" "$size")
            echo "$result" >>"$work/$kind-$size"
            echo "  $size articles, $kind, run $run: $result (wall s, CPU s, KiB)" >&2
        done
        rm -rf "$work/out"
    done
    for kind in "${kinds[@]}"; do
        for field in 1 2 3; do
            figure[$kind-$size-$field]=$(cut -d' ' -f"$field" "$work/$kind-$size" | median)
        done
    done
done

mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a - b }'; }

echo
echo "$(nproc) CPUs, median of $RUNS runs; treatyline $("$treatyline" --version | awk '{ print $2 }'), pagefind $version"
echo
echo "| articles | build | build --no-search | the index (difference) | pagefind --site | index / pagefind |"
echo "| --- | --- | --- | --- | --- | --- |"
for size in "$SMALL" "$LARGE"; do
    for field in 1 2 3; do
        s=${figure[search-$size-$field]}
        n=${figure[no_search-$size-$field]}
        p=${figure[pagefind-$size-$field]}
        d=$(minus "$s" "$n")
        case $field in
            1) what="wall"; show() { printf "%.2f s" "$1"; } ;;
            2) what="CPU"; show() { printf "%.2f s" "$1"; } ;;
            3) what="peak memory"; show() { mb "$1"; } ;;
        esac
        echo "| $size, $what | $(show "$s") | $(show "$n") | $(show "$d") | $(show "$p") | $(ratio "$d" "$p") |"
    done
done

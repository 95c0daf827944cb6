#!/usr/bin/env bash
# Times `treatyline build` against Hugo on the same synthetic corpus, and prints the figures
# as a Markdown table of ratios (treatyline's figure over Hugo's: 0.20 is five times faster).
#
#     bash benches/compare.sh                      # 1,000 and 10,000 articles, 5 runs each
#     SIZES="1000 10000 100000" RUNS=1 bash benches/compare.sh
#     SIZES=1000 RUNS=2 SERVE_RUNS=0 bash benches/compare.sh    # the bounded run CI makes
#     SIZES=100000 SEARCH=0 DELETE_OUTPUTS=1 SERVE_RUNS=0 bash benches/compare.sh
#
# The corpus comes from examples/gen_corpus, which writes the same articles (same Markdown
# bodies) as a treatyline site and as a Hugo site with minimal equivalent templates. Each
# generator builds each corpus RUNS times, the two taking turns so that both see the same
# machine load, after one untimed warm-up run each; a build writes into an emptied folder.
# The figures are the median wall time, the median peak memory (maximum resident set size,
# from GNU time) and the bytes written (the last run's output). Hugo is left out when `hugo`
# is not on PATH. Everything is written under a temporary folder (mktemp, so TMPDIR chooses
# where: a TMPDIR on a tmpfs keeps the disk out of the figures); one size at a time.
#
# Search: when `treatyline build` has `--no-search`, the table without search is made with it,
# and a second table compares the build with its search index against Hugo followed by
# Pagefind's CLI on Hugo's output (PAGEFIND, else `pagefind` on PATH, else the version the build
# uses installed from npm); without Pagefind, treatyline's figures with search are printed alone.
#
# Then, at SERVE_SIZE articles (when it is one of SIZES), benches/serve_latency.py measures
# `treatyline serve` after an edit to an article, a template and site.yaml (skipped without
# python3, or with SERVE_RUNS=0).
#
# Not a test: it prints figures and fails only when a build fails.
#
# 100,000 articles: a size's outputs (1.6 GB for each treatyline run, 0.75 GB for Hugo's) do
# not all fit on most tmpfs, so with DELETE_OUTPUTS=1 each run's output is counted, deleted,
# and the next run starts 3 s later (a build started at once shares the machine with the
# kernel's freeing of the files just deleted). SEARCH=0 leaves out the comparison with search.
#
# Settings (environment): SIZES (default "1000 10000"), RUNS (default 5), SERVE_RUNS (default
# 10), SERVE_SIZE (default 10000), SEED (default 1), PAGEFIND (a pagefind command), SEARCH
# (default 1), DELETE_OUTPUTS (default 0).
# Needs: cargo, GNU time (/usr/bin/time, Debian package `time`); optionally hugo, pagefind or
# npm, python3.

set -euo pipefail

RUNS=${RUNS:-5}
SERVE_RUNS=${SERVE_RUNS:-10}
SIZES=${SIZES:-1000 10000}
SERVE_SIZE=${SERVE_SIZE:-10000}
SEED=${SEED:-1}
SEARCH=${SEARCH:-1}
DELETE_OUTPUTS=${DELETE_OUTPUTS:-0}

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

if [[ ! -x /usr/bin/time ]]; then
    echo "error: GNU time is needed at /usr/bin/time (apt-get install time)" >&2
    exit 1
fi
have_hugo=false
if command -v hugo >/dev/null 2>&1; then
    have_hugo=true
fi
pagefind=${PAGEFIND:-}
if [[ -z $pagefind ]] && command -v pagefind >/dev/null 2>&1; then
    pagefind=pagefind
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The generator is an example, and an example builds every dev-dependency: in the test profile
# (built already by `cargo test`) rather than compiling them all again in release. It writes
# a 100,000-article corpus in seconds either way.
echo "building treatyline (release) and the corpus generator..." >&2
cargo build --quiet --release --bin treatyline
cargo build --quiet --example gen_corpus
target=${CARGO_TARGET_DIR:-$repo/target}
treatyline="$target/release/treatyline"
gen_corpus="$target/debug/examples/gen_corpus"

has_search=false
if "$treatyline" build --help | grep -q -- '--no-search'; then
    has_search=true
fi
# Whether the builds with search are compared too.
with_search=false
if $has_search && [[ $SEARCH != 0 ]]; then
    with_search=true
fi
# Pagefind of the version of the crate the build uses, from npm, as benches/search.sh does.
if $with_search && $have_hugo && [[ -z $pagefind ]] && command -v npm >/dev/null 2>&1; then
    version=$(awk '/^name = "pagefind"$/ { getline; gsub(/[^0-9.]/, ""); print }' Cargo.lock)
    echo "installing pagefind $version from npm..." >&2
    npm install --prefix "$work/npm" --no-audit --no-fund --loglevel=error "pagefind@$version" >&2
    pagefind="$work/npm/node_modules/.bin/pagefind"
fi

# shellcheck source=benches/lib.sh
source "$repo/benches/lib.sh"

# The build without its search index, where the binary makes one.
no_search=()
if $has_search; then
    no_search=(--no-search)
fi

# Each generator's build of the corpus at $1 into the folder $2.
build_treatyline() {
    measure "$treatyline" build "${no_search[@]}" --root "$1/treatyline" --output "$2"
}
build_treatyline_search() {
    measure "$treatyline" build --root "$1/treatyline" --output "$2"
}
build_hugo() {
    measure hugo --quiet --noBuildLock --cacheDir "$work/hugo-cache" \
        --source "$1/hugo" --destination "$2"
}
# Hugo, then Pagefind's index of Hugo's output, as one measured command.
build_hugo_pagefind() {
    # shellcheck disable=SC2016 # expanded by the inner shell
    measure bash -c 'hugo --quiet --noBuildLock --cacheDir "$1" --source "$2" --destination "$3" && $4 --site "$3" >/dev/null' \
        _ "$work/hugo-cache" "$1/hugo" "$2" "$pagefind"
}

generators=(treatyline)
if $have_hugo; then
    generators+=(hugo)
fi
if $with_search; then
    generators+=(treatyline_search)
    if $have_hugo && [[ -n $pagefind ]]; then
        generators+=(hugo_pagefind)
    fi
fi

declare -A time_of memory_of bytes_of

# With DELETE_OUTPUTS=1, deletes the output $1 (a path from new_output) and waits for the
# kernel to free its files.
discard() {
    if [[ $DELETE_OUTPUTS == 1 ]]; then
        rm -rf "$(dirname "$1")"
        sleep 3
    fi
}
for size in $SIZES; do
    corpus="$work/corpus-$size"
    echo "generating $size articles..." >&2
    "$gen_corpus" --articles "$size" --seed "$SEED" \
        --out "$corpus/treatyline" --hugo "$corpus/hugo" >&2
    for generator in "${generators[@]}"; do
        output=$(new_output "$generator")
        "build_$generator" "$corpus" "$output" >/dev/null # warm-up
        discard "$output"
        : >"$work/$generator-$size"
    done
    for run in $(seq "$RUNS"); do
        for generator in "${generators[@]}"; do
            output=$(new_output "$generator")
            result=$("build_$generator" "$corpus" "$output")
            echo "$result" >>"$work/$generator-$size"
            read -r wall _ peak <<<"$result"
            echo "  $size articles, $generator, run $run: $wall s, $peak KiB" >&2
            # The bytes of the last run's output, counted before it may be discarded.
            if [[ $run == "$RUNS" ]]; then
                bytes_of[$generator-$size]=$(bytes_in "$output")
            fi
            discard "$output"
        done
    done
    for generator in "${generators[@]}"; do
        time_of[$generator-$size]=$(cut -d' ' -f1 "$work/$generator-$size" | median)
        memory_of[$generator-$size]=$(cut -d' ' -f3 "$work/$generator-$size" | median)
    done
    if [[ $size == "$SERVE_SIZE" && $SERVE_RUNS -gt 0 ]] && command -v python3 >/dev/null 2>&1; then
        echo "measuring serve at $size articles..." >&2
        python3 benches/serve_latency.py "$corpus/treatyline" \
            --runs "$SERVE_RUNS" --binary "$treatyline" | tee "$work/serve" >&2
    fi
    rm -rf "$work/out" "$corpus"
done

# Formatting: 1000 -> 1,000; seconds -> "0.123 s"; KiB -> "12 MB"; bytes -> "1.2 MB".
thousands() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
seconds() { awk -v s="$1" 'BEGIN { printf (s < 10 ? "%.3f s" : "%.1f s"), s }'; }
megabytes() { awk -v k="$1" 'BEGIN { printf "%.0f MiB", k / 1024 }'; }
size_of() { awk -v b="$1" 'BEGIN { printf (b < 1e9 ? "%.0f MB" : "%.2f GB"), (b < 1e9 ? b / 1e6 : b / 1e9) }'; }

hugo_version=""
if $have_hugo; then
    hugo_version=$(hugo version | sed -n 's/^hugo v\([0-9.]*\).*/\1/p')
fi

# One table: treatyline's generator $1 against $2 (may be absent), titled $3.
table() {
    local ours=$1 theirs=$2 title=$3 size
    echo
    echo "$title"
    echo
    if [[ " ${generators[*]} " == *" $theirs "* ]]; then
        echo "| articles | wall | $4 wall | ratio | peak memory | $4 peak | ratio | bytes written | $4 bytes | ratio |"
        echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
        for size in $SIZES; do
            echo "| $(thousands "$size") | $(seconds "${time_of[$ours-$size]}") | $(seconds "${time_of[$theirs-$size]}") | $(ratio "${time_of[$ours-$size]}" "${time_of[$theirs-$size]}") | $(megabytes "${memory_of[$ours-$size]}") | $(megabytes "${memory_of[$theirs-$size]}") | $(ratio "${memory_of[$ours-$size]}" "${memory_of[$theirs-$size]}") | $(size_of "${bytes_of[$ours-$size]}") | $(size_of "${bytes_of[$theirs-$size]}") | $(ratio "${bytes_of[$ours-$size]}" "${bytes_of[$theirs-$size]}") |"
        done
    else
        echo "| articles | wall | peak memory | bytes written |"
        echo "| --- | --- | --- | --- |"
        for size in $SIZES; do
            echo "| $(thousands "$size") | $(seconds "${time_of[$ours-$size]}") | $(megabytes "${memory_of[$ours-$size]}") | $(size_of "${bytes_of[$ours-$size]}") |"
        done
    fi
}

echo
echo "$(nproc) CPUs, median of $RUNS runs each; treatyline $("$treatyline" --version | awk '{ print $2 }')${hugo_version:+, Hugo $hugo_version}; ratios are treatyline over Hugo"
if $has_search; then
    table treatyline hugo "Without search (treatyline build --no-search; Hugo alone):" Hugo
    if $with_search; then
        table treatyline_search hugo_pagefind "With search (treatyline build; Hugo, then Pagefind on its output):" "Hugo + Pagefind"
    fi
else
    table treatyline hugo "treatyline build (no search index yet); Hugo alone:" Hugo
fi
echo
previous=""
for size in $SIZES; do
    if [[ -n $previous ]]; then
        echo "treatyline, $(thousands "$size") / $(thousands "$previous") articles: $(ratio "${time_of[treatyline-$size]}" "${time_of[treatyline-$previous]}") the time for $(ratio "$size" "$previous") the articles; $(awk -v b="${bytes_of[treatyline-$size]}" -v n="$size" 'BEGIN { printf "%.1f KB", b / n / 1e3 }') written per article at $(thousands "$size")"
    fi
    previous=$size
done
if [[ -s $work/serve ]]; then
    echo "treatyline serve at $(thousands "$SERVE_SIZE") articles ($SERVE_RUNS edits each, medians):"
    sed -n 's/^file write -> \(.*\) over [0-9]* runs: median \([0-9.]*\) ms.*/- \1: \2 ms/p; s/^\(template edit\|site.yaml edit\) -> \(.*\) over [0-9]* runs: median \([0-9.]*\) ms.*/- \1, \2: \3 ms/p' "$work/serve"
fi
if ! $have_hugo; then
    echo "(hugo is not on PATH: Hugo was not measured)"
fi
if $with_search && [[ -z $pagefind ]]; then
    echo "(pagefind is not on PATH and PAGEFIND is unset: Hugo + Pagefind was not measured)"
fi

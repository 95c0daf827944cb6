#!/usr/bin/env bash
# Times `treatyline build` against Hugo on the same synthetic corpus, at 1,000 and 10,000
# articles, and prints the figures as a Markdown table.
#
#     bash benches/compare.sh
#
# The corpus comes from examples/gen_corpus, which writes the same articles (same Markdown
# bodies) as a treatyline site and as a Hugo site with minimal equivalent templates. Each
# generator builds each corpus RUNS times, the two taking turns so that both see the same
# machine load, after one untimed warm-up run each; a build writes into an emptied folder.
# The figures are the median wall time and the median peak memory (maximum resident set size,
# from GNU time). Hugo is left out when `hugo` is not on PATH. Everything is written under
# a temporary folder (mktemp, so TMPDIR chooses where: a TMPDIR on a tmpfs keeps the disk out
# of the figures).
#
# Then, on the larger corpus, benches/serve_latency.py measures `treatyline serve`'s rebuild
# after a one-article edit (skipped without python3).
#
# Settings (environment): RUNS (default 5), SERVE_RUNS (default 10), SMALL and LARGE (the
# corpus sizes, default 1000 and 10000), SEED (default 1).
# Needs: cargo, GNU time (/usr/bin/time, Debian package `time`); optionally hugo, python3.

set -euo pipefail

RUNS=${RUNS:-5}
SERVE_RUNS=${SERVE_RUNS:-10}
SMALL=${SMALL:-1000}
LARGE=${LARGE:-10000}
SEED=${SEED:-1}

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

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "building treatyline and the corpus generator (release)..." >&2
cargo build --quiet --release --bin treatyline --example gen_corpus
target=${CARGO_TARGET_DIR:-$repo/target}
treatyline="$target/release/treatyline"
gen_corpus="$target/release/examples/gen_corpus"

# Runs "$@" with its output in $work/log, and prints "<wall seconds> <peak RSS in KiB>".
measure() {
    local start end
    start=$(date +%s%N)
    if ! /usr/bin/time -v -o "$work/time" "$@" >"$work/log" 2>&1; then
        echo "error: failed: $*" >&2
        cat "$work/log" >&2
        exit 1
    fi
    end=$(date +%s%N)
    awk -v ns=$((end - start)) '/Maximum resident set size/ { printf "%.4f %d\n", ns / 1e9, $NF }' "$work/time"
}

# The median of the numbers on standard input.
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Every run writes into a folder of its own, and the outputs are deleted only after all the
# runs of a size: on ext4, creating thousands of files right after deleting thousands costs
# more than the build itself (the inode allocator skips recently deleted inodes).
new_output() {
    mkdir -p "$work/out"
    echo "$(mktemp -d "$work/out/run.XXXXXX")/site"
}

# Without search: the Hugo site has none (benches/search.sh measures what search costs).
build_treatyline() {
    measure "$treatyline" build --no-search --root "$1/treatyline" --output "$(new_output)"
}

build_hugo() {
    measure hugo --quiet --noBuildLock --cacheDir "$work/hugo-cache" \
        --source "$1/hugo" --destination "$(new_output)"
}

generators=(treatyline)
if $have_hugo; then
    generators+=(hugo)
fi

declare -A time_of memory_of
for size in "$SMALL" "$LARGE"; do
    corpus="$work/corpus-$size"
    echo "generating $size articles..." >&2
    "$gen_corpus" --articles "$size" --seed "$SEED" \
        --out "$corpus/treatyline" --hugo "$corpus/hugo" >&2
    for generator in "${generators[@]}"; do
        "build_$generator" "$corpus" >/dev/null # warm-up: page cache, first-run costs
        : >"$work/$generator-$size"
    done
    for run in $(seq "$RUNS"); do
        for generator in "${generators[@]}"; do
            result=$("build_$generator" "$corpus")
            echo "$result" >>"$work/$generator-$size"
            echo "  $size articles, $generator, run $run: ${result% *} s, ${result#* } KiB" >&2
        done
    done
    rm -rf "$work/out"
    for generator in "${generators[@]}"; do
        time_of[$generator-$size]=$(cut -d' ' -f1 "$work/$generator-$size" | median)
        memory_of[$generator-$size]=$(cut -d' ' -f2 "$work/$generator-$size" | median)
    done
done

serve_page=""
serve_site=""
if command -v python3 >/dev/null 2>&1; then
    echo "measuring serve's rebuild at $LARGE articles..." >&2
    python3 benches/serve_latency.py "$work/corpus-$LARGE/treatyline" \
        --runs "$SERVE_RUNS" --binary "$treatyline" | tee "$work/serve" >&2
    serve_page=$(sed -n 's/.*for the edited page.*median \([0-9.]*\) ms.*/\1/p' "$work/serve")
    serve_site=$(sed -n 's/.*whole site rebuilt.*median \([0-9.]*\) ms.*/\1/p' "$work/serve")
fi

# Formatting: 1000 -> 1,000; seconds -> "0.123 s"; KiB -> "12 MB".
thousands() { echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'; }
seconds() { awk -v s="$1" 'BEGIN { printf (s < 10 ? "%.3f s" : "%.1f s"), s }'; }
megabytes() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f×", a / b }'; }

hugo_version=""
if $have_hugo; then
    hugo_version=$(hugo version | sed -n 's/^hugo v\([0-9.]*\).*/\1/p')
fi

echo
echo "$(nproc) CPUs, median of $RUNS runs each; treatyline $("$treatyline" --version | awk '{ print $2 }')${hugo_version:+, Hugo $hugo_version}"
echo
large_short=$(thousands "$LARGE")
if ((LARGE % 1000 == 0)); then
    large_short="$((LARGE / 1000))k"
fi
echo "| generator | $(thousands "$SMALL") articles | $(thousands "$LARGE") articles | peak memory at $large_short |"
echo "| --- | --- | --- | --- |"
for generator in "${generators[@]}"; do
    name=$generator
    [[ $generator == hugo ]] && name="Hugo"
    echo "| $name | $(seconds "${time_of[$generator-$SMALL]}") | $(seconds "${time_of[$generator-$LARGE]}") | $(megabytes "${memory_of[$generator-$LARGE]}") |"
done
if $have_hugo; then
    echo "| Hugo / treatyline | $(ratio "${time_of[hugo-$SMALL]}" "${time_of[treatyline-$SMALL]}") | $(ratio "${time_of[hugo-$LARGE]}" "${time_of[treatyline-$LARGE]}") | $(ratio "${memory_of[hugo-$LARGE]}" "${memory_of[treatyline-$LARGE]}") |"
fi
echo
echo "treatyline, $(thousands "$LARGE") / $(thousands "$SMALL") articles: $(ratio "${time_of[treatyline-$LARGE]}" "${time_of[treatyline-$SMALL]}") the time for $(ratio "$LARGE" "$SMALL") the articles"
if [[ -n $serve_page ]]; then
    echo "treatyline serve, a one-article edit at $(thousands "$LARGE") articles ($SERVE_RUNS edits, medians): the edited page reloads $serve_page ms after the file write; the pages that list it $serve_site ms after"
fi
if ! $have_hugo; then
    echo "(hugo is not on PATH: Hugo was not measured)"
fi

# Shared by the benchmark scripts (sourced, not run): timing a command, medians, fresh output
# folders, ratios. The caller sets `work`, the temporary folder everything goes under.

# Runs "$@" with its output in $work/log, and prints "<wall s> <CPU s> <peak RSS in KiB>"
# (CPU is user + system time; peak RSS from GNU time). A failing command ends the script.
measure() {
    local start end
    start=$(date +%s%N)
    if ! /usr/bin/time -f '%U %S %M' -o "$work/time" "$@" >"$work/log" 2>&1; then
        echo "error: failed: $*" >&2
        cat "$work/log" >&2
        exit 1
    fi
    end=$(date +%s%N)
    awk -v ns=$((end - start)) 'END { printf "%.4f %.2f %d\n", ns / 1e9, $1 + $2, $3 }' "$work/time"
}

# The median of the numbers on standard input.
median() {
    sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# A new folder's path for one run's output, under $work/out/$1 (or $work/out). Every run
# writes into a folder of its own, deleted only after all the runs of a size (unless
# compare.sh's DELETE_OUTPUTS=1 deletes it at once, then waits): on ext4, creating thousands
# of files right after deleting thousands costs more than the build itself (the inode
# allocator skips recently deleted inodes).
new_output() {
    local dir="$work/out${1:+/$1}"
    mkdir -p "$dir"
    echo "$(mktemp -d "$dir/run.XXXXXX")/site"
}

# The bytes of the files under the folder $1: not `du`, which also counts the folders' own
# blocks (4 KiB each on ext4, nearly nothing on a tmpfs), so that a site of many small folders
# would weigh more on one disk than on another.
bytes_in() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%d\n", s }'; }

# $1 / $2, to two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

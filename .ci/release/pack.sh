#!/usr/bin/env bash
# Packs a built treatyline into its release archive, the name and layout that `treatyline new`'s
# workflows download: treatyline-v<version>-<target>.tar.gz (.zip for Windows) holding the folder
# treatyline-v<version>-<target>/ with the binary, the README and the licences.
#
# Usage: bash .ci/release/pack.sh TARGET VERSION OUT_DIR [BINARY]
# BINARY defaults to target/TARGET/release/treatyline (treatyline.exe for Windows). Prints the
# archive's path.
set -euo pipefail

target=$1
version=$2
out=$3
exe=""
case "$target" in *windows*) exe=.exe ;; esac
binary=${4:-target/$target/release/treatyline$exe}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

name="treatyline-v$version-$target"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/$name" "$out"
cp "$binary" "$stage/$name/treatyline$exe"
cp "$root/README.md" "$root/LICENSE-APACHE" "$root/LICENSE-MIT" "$stage/$name/"
out=$(cd "$out" && pwd)
case "$target" in
    *windows*)
        archive="$out/$name.zip"
        (cd "$stage" && 7z a -tzip -bso0 "$archive" "$name")
        ;;
    *)
        archive="$out/$name.tar.gz"
        tar -czf "$archive" -C "$stage" "$name"
        ;;
esac
echo "$archive"

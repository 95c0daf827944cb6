#!/usr/bin/env bash
# Writes SHA256SUMS beside the release archives in a folder: one `<sha256>  <file>` line per
# archive, the file `treatyline new`'s workflows check each download against.
#
# Usage: bash .ci/release/checksums.sh DIR
set -euo pipefail

cd "$1"
shopt -s nullglob
archives=(treatyline-v*.tar.gz treatyline-v*.zip)
if [ "${#archives[@]}" -eq 0 ]; then
    echo "error: no release archives in $1" >&2
    exit 1
fi
sha256sum -- "${archives[@]}" >SHA256SUMS
cat SHA256SUMS

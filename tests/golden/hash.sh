#!/usr/bin/env bash
# The golden diff: builds three sites with the release binary and prints the sha256 of every
# output file, so that a change meant to keep the output (a re-shape of the code) can prove it.
#
#   bash tests/golden/hash.sh > before.txt      # on the commit before the change
#   bash tests/golden/hash.sh > after.txt       # on the change
#   diff before.txt after.txt                   # no output: every byte is the same
#
# The sites: the default site (the repository itself), the drafts fixture built with --drafts,
# and a generated site of 300 articles (seed 1). Each is built for a fixed base URL, so the
# hashes do not depend on the machine or the folder.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cargo build --quiet --release --locked --bin treatyline --example gen_corpus
bin=${CARGO_TARGET_DIR:-target}/release/treatyline

"$bin" build --base-url https://example.org/site/ --output "$scratch/default" >/dev/null
"$bin" build --root tests/fixtures/drafts --drafts --base-url https://example.org/ \
    --output "$scratch/drafts" >/dev/null
${CARGO_TARGET_DIR:-target}/release/examples/gen_corpus --articles 300 --seed 1 --out "$scratch/generated-site" >/dev/null
"$bin" build --root "$scratch/generated-site" --base-url https://example.org/ \
    --output "$scratch/generated" >/dev/null

for site in default drafts generated; do
    (cd "$scratch/$site" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) |
        sed "s|  \./|  $site/|"
done

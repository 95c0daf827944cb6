#!/usr/bin/env bash
# Fails unless the release tag names the version in Cargo.toml: tag v1.2.3 for version 1.2.3.
#
# Usage: bash .ci/release/check-version.sh TAG
set -euo pipefail

tag=$1
manifest="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/Cargo.toml"
# The first `version = "..."` line is the package's: [package] opens Cargo.toml.
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$manifest" | head -n 1)
if [ -z "$version" ]; then
    echo "error: no version found in $manifest" >&2
    exit 1
fi
if [ "$tag" != "v$version" ]; then
    echo "error: the tag $tag does not match Cargo.toml's version $version (expected v$version)" >&2
    exit 1
fi
echo "the tag $tag matches Cargo.toml's version"

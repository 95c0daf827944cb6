# Installs treatyline $TREATYLINE_VERSION into $TREATYLINE_HOME/bin: the release archive
# for this machine, checked against the release's SHA256SUMS, or else built from the tagged
# source with cargo. A binary of that version already there (restored from the cache) is kept.
(
  set -eu
  version="$TREATYLINE_VERSION"
  home="${TREATYLINE_HOME:-$HOME/.treatyline}"
  # Where the release files are; another address (a mirror) may be set in TREATYLINE_DOWNLOAD_URL.
  base="${TREATYLINE_DOWNLOAD_URL:-$TREATYLINE_REPOSITORY/releases/download}/v$version"
  exe=""
  case "${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}" in
    Linux/X64 | Linux/x86_64) target=x86_64-unknown-linux-musl ;;
    Linux/ARM64 | Linux/aarch64 | Linux/arm64) target=aarch64-unknown-linux-musl ;;
    macOS/X64 | Darwin/x86_64) target=x86_64-apple-darwin ;;
    macOS/ARM64 | Darwin/arm64) target=aarch64-apple-darwin ;;
    Windows/X64 | MINGW*/x86_64 | MSYS*/x86_64) target=x86_64-pc-windows-msvc exe=.exe ;;
    *) target="" ;;
  esac
  bin="$home/bin/treatyline$exe"

  download() {
    if command -v curl >/dev/null 2>&1; then
      curl --fail --silent --show-error --location --retry 3 --output "$2" "$1"
    else
      wget --quiet --output-document "$2" "$1"
    fi
  }
  sha256() {
    if command -v sha256sum >/dev/null 2>&1; then
      sha256sum "$1" | cut -d ' ' -f 1
    else
      shasum -a 256 "$1" | cut -d ' ' -f 1
    fi
  }

  work=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/treatyline.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  name="treatyline-v$version-$target"
  case "$target" in *windows*) archive="$name.zip" ;; *) archive="$name.tar.gz" ;; esac
  if [ -x "$bin" ] && [ "$("$bin" --version)" = "treatyline $version" ]; then
    echo "treatyline $version is installed (from the cache)"
  elif [ -n "$target" ] &&
    download "$base/SHA256SUMS" "$work/SHA256SUMS" &&
    download "$base/$archive" "$work/$archive"; then
    expected=$(awk -v file="$archive" '$2 == file || $2 == "*" file { print $1 }' "$work/SHA256SUMS")
    actual=$(sha256 "$work/$archive")
    if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
      echo "error: $archive does not match its checksum in SHA256SUMS (expected '$expected', got '$actual')" >&2
      exit 1
    fi
    case "$archive" in
      *.zip) unzip -q "$work/$archive" -d "$work" ;;
      *) tar -xzf "$work/$archive" -C "$work" ;;
    esac
    mkdir -p "$home/bin"
    cp "$work/$name/treatyline$exe" "$bin"
    chmod +x "$bin"
    echo "installed treatyline $version from $base/$archive"
  else
    echo "no release archive of treatyline $version for this machine; building it from source" >&2
    if ! command -v cargo >/dev/null 2>&1; then
      echo "error: building treatyline needs cargo: install Rust (https://rustup.rs)" >&2
      exit 1
    fi
    cargo install --git "$TREATYLINE_REPOSITORY" --tag "v$version" --locked --root "$home" treatyline
  fi
  # On GitHub Actions the next steps find it on PATH; elsewhere the caller adds $home/bin.
  if [ -n "${GITHUB_PATH:-}" ]; then
    echo "$home/bin" >>"$GITHUB_PATH"
  fi
  "$bin" --version
)

#!/usr/bin/env bash
# Builds the Go tools of the local stack into .local/bin (git-ignored).
# Each built binary is also kept in a per-machine cache outside the clone (IMAGEPIPE_TOOLS_CACHE), so a fresh
# clone on the same machine (as CI makes) copies it in seconds instead of building it again.
set -euo pipefail
cd "$(dirname "$0")/.."

# temporal: v1.5.1 is the pinned tag; later tags carry a `replace` directive in go.mod, which `go install pkg@version` refuses.
TEMPORAL_MODULE=github.com/temporalio/cli/cmd/temporal
TEMPORAL_VERSION=v1.5.1
VERSITYGW_MODULE=github.com/versity/versitygw/cmd/versitygw
VERSITYGW_VERSION=v1.7.0

BIN_DIR="$PWD/.local/bin"
CACHE_DIR="${IMAGEPIPE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/imagepipe/tools}"
mkdir -p "$BIN_DIR" "$CACHE_DIR"

for tool in go java; do
  command -v "$tool" >/dev/null || { echo "install-tools: '$tool' is required and not on PATH" >&2; exit 1; }
done

install_tool() {
  local name=$1 module=$2 version=$3
  local cached="$CACHE_DIR/$name-$version"
  if [[ -x "$BIN_DIR/$name" && "$(cat "$BIN_DIR/$name.version" 2>/dev/null)" == "$version" ]]; then
    echo "install-tools: $name $version present"
    return
  fi
  if [[ ! -x "$cached" ]]; then
    echo "install-tools: building $name $version with go install (first time on this machine: minutes)"
    local started=$SECONDS tmp
    tmp=$(mktemp -d)
    GOBIN="$tmp" GOFLAGS=-buildvcs=false go install "$module@$version"
    mv "$tmp/$name" "$cached"
    rmdir "$tmp"
    echo "install-tools: built $name in $((SECONDS - started)) s"
  fi
  cp "$cached" "$BIN_DIR/$name.tmp" && mv "$BIN_DIR/$name.tmp" "$BIN_DIR/$name"
  echo "$version" >"$BIN_DIR/$name.version"
  echo "install-tools: $name $version installed in .local/bin"
}

install_tool temporal "$TEMPORAL_MODULE" "$TEMPORAL_VERSION"
install_tool versitygw "$VERSITYGW_MODULE" "$VERSITYGW_VERSION"

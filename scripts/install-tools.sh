#!/usr/bin/env bash
# Builds the Go servers of the local stack into .local/bin (git-ignored), each from its own Go module, and installs
# the Python tools into .local/venv (see the end):
#   temporal-server     go.temporal.io/server             the Temporal server (SQLite persistence)
#   temporal-ui-server  github.com/temporalio/ui-server   the Temporal Web UI
#   versitygw           github.com/versity/versitygw      an S3 gateway over a folder
# These are the server and UI versions the Temporal CLI v1.9.1 embeds. The CLI itself cannot be built from the Go
# module proxy: its go.mod replaces github.com/temporalio/cli/cliext with ./cliext, a nested module that module
# zips leave out and that is published nowhere.
# Each built binary is also kept in a per-machine cache outside the clone (IMAGEPIPE_TOOLS_CACHE), so a fresh
# clone on the same machine (as CI makes) copies it in seconds instead of building it again.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN_DIR="$PWD/.local/bin"
CACHE_DIR="${IMAGEPIPE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/imagepipe/tools}"
mkdir -p "$BIN_DIR" "$CACHE_DIR"

for tool in go java; do
  command -v "$tool" >/dev/null || { echo "install-tools: '$tool' is required and not on PATH" >&2; exit 1; }
done

# install_tool NAME PACKAGE VERSION: `go install PACKAGE@VERSION`, kept as NAME.
install_tool() {
  local name=$1 package=$2 version=$3
  local cached="$CACHE_DIR/$name-$version"
  if [[ -x "$BIN_DIR/$name" && "$(cat "$BIN_DIR/$name.version" 2>/dev/null)" == "$version" ]]; then
    echo "install-tools: $name $version present"
    return
  fi
  if [[ ! -x "$cached" ]]; then
    echo "install-tools: building $name $version with go install (first time on this machine: minutes)"
    local started=$SECONDS tmp
    tmp=$(mktemp -d)
    GOBIN="$tmp" GOFLAGS=-buildvcs=false go install "$package@$version"
    mv "$tmp/$(basename "$package")" "$cached"
    rm -rf "$tmp"
    echo "install-tools: built $name in $((SECONDS - started)) s"
  fi
  cp "$cached" "$BIN_DIR/$name.tmp" && mv "$BIN_DIR/$name.tmp" "$BIN_DIR/$name"
  echo "$version" >"$BIN_DIR/$name.version"
  echo "install-tools: $name $version installed in .local/bin"
}

install_tool temporal-server go.temporal.io/server/cmd/server v1.32.0
install_tool temporal-ui-server github.com/temporalio/ui-server/v2/cmd/server v2.54.1
install_tool versitygw github.com/versity/versitygw/cmd/versitygw v1.8.0

# Python tools, in a virtual environment of the project's own (pip's cache makes a fresh clone's install quick):
#   schemathesis  fuzzes the API against its OpenAPI document
#   moto[server]  a Secrets Manager-compatible server (with IAM checks) for the secret-reference tests
#   cfn-lint      validates the AWS deployment template (deploy/aws/template.yaml)
PYTHON_TOOLS=("schemathesis==4.32.5" "moto[server]==5.2.5" "cfn-lint==1.58.0")
VENV="$PWD/.local/venv"
STAMP="$VENV/imagepipe-tools.txt"
if [[ "$(cat "$STAMP" 2>/dev/null)" != "${PYTHON_TOOLS[*]}" ]]; then
  command -v python3 >/dev/null || { echo "install-tools: 'python3' is required and not on PATH" >&2; exit 1; }
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "${PYTHON_TOOLS[@]}"
  echo "${PYTHON_TOOLS[*]}" >"$STAMP"
  echo "install-tools: ${PYTHON_TOOLS[*]} installed in .local/venv"
else
  echo "install-tools: ${PYTHON_TOOLS[*]} present"
fi

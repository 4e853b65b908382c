#!/usr/bin/env bash
# Sets up everything the tests need on a fresh clone (Node 26, npm packages, the Go tools of the local stack, Temporal's
# time-skipping test server), checks types, lint and formatting, and runs all tests, both tiers in one jest run
# (jest.config.js): the unit tier (*.unit.test.ts) needs no stack; the stack tier starts its own real stack on free
# ports (test/harness/globalSetup.ts) and stops it at the end. Arguments go to jest (a path, --selectProjects unit).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

install_dependencies
# The gallery's end-to-end test drives Debian's Chromium (playwright-core never downloads a browser here).
if ! command -v chromium >/dev/null; then
  echo "installing Debian's chromium for the gallery test"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
bin=node_modules/.bin
"$bin/tsc" -p tsconfig.json --noEmit
# The gallery's plain modules, against the contract generated from the OpenAPI document.
"$bin/tsc" -p tsconfig.gallery.json
"$bin/eslint" --max-warnings=0 .
"$bin/prettier" --check --log-level=warn .
# The AWS deployment template against CloudFormation's and SAM's schemas (installed by scripts/install-tools.sh).
.local/venv/bin/cfn-lint deploy/aws/template.yaml
# The image's Dockerfile (no Docker engine here: it is read, not built).
.local/venv/bin/hadolint Dockerfile

mkdir -p test-output
status=0
"$bin/jest" --json --outputFile=test-output/jest.json "$@" || status=$?
# One plain closing line, whatever the runner prints above it.
node -e '
  const r = require("./test-output/jest.json");
  // Each tier on its own line first (a file that failed to run counts as one failure), then both together.
  const tiers = { unit: [0, 0], stack: [0, 0] };
  for (const file of r.testResults) {
    const counts = tiers[file.name.endsWith(".unit.test.ts") ? "unit" : "stack"];
    counts[0] += file.assertionResults.filter((test) => test.status === "passed").length;
    counts[1] += file.assertionResults.filter((test) => test.status === "failed").length || (file.status === "failed" ? 1 : 0);
  }
  console.log(Object.entries(tiers).map(([tier, [passed, failed]]) => `${tier} ${passed} passed, ${failed} failed`).join("; "));
  const skipped = r.numPendingTests + r.numTodoTests;
  const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
  console.log(`tests: ${r.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : ""));
' 2>/dev/null || echo "tests: 0 passed, 1 failed"
exit "$status"

#!/usr/bin/env bash
# `npm test` stage: the WebAssembly module and the npm package, tested as users get it.
#   1. build the module into npm/dist (scripts/build-wasm.sh)
#   2. `npm pack` the package and install the tarball into a temporary project
#   3. node:test suites in tests/node/ and the package's browser test, against that install
set -euo pipefail
cd "$(dirname "$0")/../.."

bash scripts/build-wasm.sh

project=$(mktemp -d "${TMPDIR:-/tmp}/msgevents-pkg-XXXXXX")
trap 'rm -rf "$project"' EXIT
tarball=$(npm pack --silent --pack-destination "$project" ./npm | tail -n 1)
printf '{"name":"msgevents-test-project","private":true,"type":"module"}\n' >"$project/package.json"
(cd "$project" && npm install --silent --no-audit --no-fund --ignore-scripts "./$tarball")
echo "npm-package: installed $tarball ($(wc -c <"$project/$tarball") B) into a temporary project"

# The native CLI, when built, is the reference for the npm CLI's output (parity tests).
export MSGEVENTS_TEST_PROJECT="$project"
tests=(tests/node/*.test.mjs)
if [ "${MSGEVENTS_SKIP_BROWSER:-0}" != 1 ]; then
  tests+=(tests/browser/package.test.mjs)
fi
# Dots while it runs; the TAP record's totals after, for the summary line of `npm test`.
tap="$project/node-tests.tap"
node --test --test-reporter=dot --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" "${tests[@]}" || { grep -E '^# (tests|pass|fail) ' "$tap"; exit 1; }
grep -E '^# (tests|pass|fail) ' "$tap"

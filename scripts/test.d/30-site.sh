#!/usr/bin/env bash
# `npm test` stage: the static site. Builds the WASM package if needed, builds site/, and runs the
# browser tests (headless Debian Chromium via playwright-core) against it on 127.0.0.1.
# Screenshots go to test-output/screenshots/ (the tests print the folder).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! ls npm/dist/*.wasm >/dev/null 2>&1; then
  bash scripts/build-wasm.sh
fi
node scripts/build-site.mjs
if [ "${MSGEVENTS_SKIP_BROWSER:-0}" = 1 ]; then
  echo "site: MSGEVENTS_SKIP_BROWSER=1, browser tests skipped"
  exit 0
fi
node --test --test-concurrency=1 tests/browser/site*.test.mjs

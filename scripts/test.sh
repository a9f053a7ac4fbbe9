#!/usr/bin/env bash
# `npm test`: installs what is missing, builds every face and runs every test.
#   1. native core + CLI, GoogleTest suite (ctest)
#   2. WebAssembly module + npm package, Node tests against the packed tarball
#   3. the static site, browser tests in headless Chromium
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

log=$(mktemp "${TMPDIR:-/tmp}/msgevents-test-XXXXXX.log")
trap 'rm -f "$log"' EXIT

echo "== native build and GoogleTest suite"
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j2
ctest --test-dir build/native --output-on-failure -j2 | tee -a "$log"

for stage in scripts/test.d/*.sh; do
  [ -e "$stage" ] || continue
  echo "== $(basename "$stage" .sh)"
  bash "$stage" | tee -a "$log"
done

# One closing line over every runner: ctest's count and the node test runner's TAP totals.
passed=0
failed=0
while read -r n; do passed=$((passed + n)); done < <(sed -nE 's/^[0-9]+% tests passed, [0-9]+ tests failed out of ([0-9]+).*/\1/p' "$log")
while read -r n; do failed=$((failed + n)); done < <(sed -nE 's/^[0-9]+% tests passed, ([0-9]+) tests failed out of .*/\1/p' "$log")
passed=$((passed - failed))
while read -r n; do passed=$((passed + n)); done < <(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$log")
while read -r n; do failed=$((failed + n)); done < <(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$log")
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

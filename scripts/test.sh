#!/usr/bin/env bash
# `npm test`: installs what is missing, builds every face and runs every test.
#   1. native core + CLI, GoogleTest suite (ctest)
#   2. WebAssembly module + npm package, Node tests against the packed tarball
#   3. the static site, browser tests in headless Chromium
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

echo "== native build and GoogleTest suite"
cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/native -j2
ctest --test-dir build/native --output-on-failure -j2

for stage in scripts/test.d/*.sh; do
  [ -e "$stage" ] || continue
  echo "== $(basename "$stage" .sh)"
  bash "$stage"
done

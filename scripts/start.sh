#!/usr/bin/env bash
# `npm start`: installs what is missing, builds the native CLI and the WebAssembly package when they
# are not built yet, builds the site into site/ and serves it on http://127.0.0.1:8080 (PORT=...).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

# The native CLI makes the docs' compatibility report (msgevents compat) when the site is built.
if [ ! -x build/native/msgevents ]; then
  echo "start: building the native CLI (build/native)"
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/native --target msgevents_cli -j2
fi
if ! ls npm/dist/*.wasm >/dev/null 2>&1; then
  echo "start: building the WebAssembly module and the npm package (scripts/build-wasm.sh)"
  bash scripts/build-wasm.sh
fi
node scripts/build-site.mjs
exec node scripts/serve.mjs --root site --host 127.0.0.1 --port "${PORT:-8080}"

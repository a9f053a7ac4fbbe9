#!/usr/bin/env bash
# `npm start`: installs what is missing, builds the WebAssembly package when it is not built yet,
# builds the site into site/ and serves it on http://127.0.0.1:8080 (PORT=... to change).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

if ! ls npm/dist/*.wasm >/dev/null 2>&1; then
  echo "start: building the WebAssembly module and the npm package (scripts/build-wasm.sh)"
  bash scripts/build-wasm.sh
fi
node scripts/build-site.mjs
exec node scripts/serve.mjs --root site --host 127.0.0.1 --port "${PORT:-8080}"

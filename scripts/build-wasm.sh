#!/usr/bin/env bash
# Builds the WebAssembly module and lays out the npm package's build output:
#   build/wasm/msgevents_wasm.{mjs,wasm}  (emcmake, Release)
#   npm/dist/msgevents_wasm.{mjs,wasm}    (copied; never committed)
#   npm/dist/events.d.ts, event-types.js  (catalog TypeScript types and makeEvent's table, scripts/gen-types.mjs)
set -euo pipefail
cd "$(dirname "$0")/.."

build=build/wasm
mkdir -p "$build"
if [ ! -f "$build/CMakeCache.txt" ]; then
  emcmake cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >"$build/configure.log" 2>&1 || { tail -n 40 "$build/configure.log" >&2; exit 1; }
fi
cmake --build "$build" --target msgevents_wasm -j2 >"$build/build.log" 2>&1 || { tail -n 40 "$build/build.log" >&2; exit 1; }

mkdir -p npm/dist
cp "$build/msgevents_wasm.mjs" "$build/msgevents_wasm.wasm" npm/dist/
node scripts/gen-types.mjs npm/dist/events.d.ts >/dev/null
echo "build-wasm: npm/dist ready ($(wc -c <npm/dist/msgevents_wasm.wasm) B wasm, $(wc -c <npm/dist/msgevents_wasm.mjs) B glue)"

#!/usr/bin/env bash
# Builds the WebAssembly module and lays out the npm package's build output:
#   build/wasm/msgevents_{wasm,tools}.{mjs,wasm}  (emcmake, Release): the validator module and the
#                                                tools module the wrapper loads on first use
#   npm/dist/msgevents_{wasm,tools}.{mjs,wasm}    (copied; never committed)
#   npm/dist/events.d.ts, event-types.js          (catalog TypeScript types and makeEvent's table,
#                                                scripts/gen-types.mjs)
set -euo pipefail
cd "$(dirname "$0")/.."

build=build/wasm
mkdir -p "$build"
if [ ! -f "$build/CMakeCache.txt" ]; then
  emcmake cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >"$build/configure.log" 2>&1 || { tail -n 40 "$build/configure.log" >&2; exit 1; }
fi
cmake --build "$build" --target msgevents_wasm msgevents_tools -j2 >"$build/build.log" 2>&1 || { tail -n 40 "$build/build.log" >&2; exit 1; }

mkdir -p npm/dist
cp "$build"/msgevents_wasm.{mjs,wasm} "$build"/msgevents_tools.{mjs,wasm} npm/dist/
node scripts/gen-types.mjs npm/dist/events.d.ts >/dev/null
echo "build-wasm: npm/dist ready (validator $(wc -c <npm/dist/msgevents_wasm.wasm) B wasm + $(wc -c <npm/dist/msgevents_wasm.mjs) B glue; tools $(wc -c <npm/dist/msgevents_tools.wasm) B wasm + $(wc -c <npm/dist/msgevents_tools.mjs) B glue)"

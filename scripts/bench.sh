#!/usr/bin/env bash
# `npm run bench`: the head-to-head benchmark, one table from one run on one corpus.
#   1. builds the native tools (CLI, make_corpus, validate_bench) and the npm package (WASM)
#   2. generates the corpus: 100,000 events of every type, about 10% broken (deterministic)
#   3. runs bench/head_to_head.mjs: msgevents native, WASM in Node, JSON.parse + ajv, and WASM in
#      headless Chromium, and writes the table into bench/README.md
# Environment: MSGEVENTS_BUILD_DIR (default build/native), MSGEVENTS_BENCH_EVENTS (default 100000),
# MSGEVENTS_SKIP_WASM_BUILD=1 to use npm/dist as it is (or MSGEVENTS_PACKAGE_DIR, a package folder with dist/), MSGEVENTS_SKIP_BROWSER=1 to leave out Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

build=${MSGEVENTS_BUILD_DIR:-build/native}
events=${MSGEVENTS_BENCH_EVENTS:-100000}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target msgevents_cli make_corpus validate_bench >/dev/null
if [ "${MSGEVENTS_SKIP_WASM_BUILD:-0}" != 1 ]; then
  bash scripts/build-wasm.sh
fi

corpus="$build/bench/corpus-$events.ndjson"
"$build/bench/make_corpus" "$corpus" "$events"

browser=()
[ "${MSGEVENTS_SKIP_BROWSER:-0}" = 1 ] && browser=(--no-browser)
node bench/head_to_head.mjs --corpus "$corpus" --bench "$build/bench/validate_bench" --cli "$build/msgevents" \
  --package "${MSGEVENTS_PACKAGE_DIR:-npm}" --readme bench/README.md "${browser[@]}"

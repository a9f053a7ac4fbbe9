#!/usr/bin/env bash
# `npm run bench`: the head-to-head benchmark, one table per corpus from one run.
#   1. builds the native tools (CLI, make_corpus, validate_bench) and the npm package (WASM)
#   2. generates two corpora of 100,000 events (deterministic): clean, realistic streams, and
#      every event type with about 10% broken
#   3. runs bench/head_to_head.mjs: msgevents native and the RapidJSON limits, WASM in Node (one
#      call and a session), JSON.parse alone, JSON.parse + ajv and + schemasafe with per-type
#      schemas, and WASM in headless Chromium, and writes the tables into bench/README.md
#   4. prints the CLI's peak memory on `{}` lines and ordinary events (one and two threads, two
#      sizes), and the time per MiB of the hostile inputs (issue 10), native (adversarial_bench)
#      and in WebAssembly (bench/adversarial_wasm.mjs), against ordinary events
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

clean="$build/bench/corpus-clean-$events.ndjson"
broken="$build/bench/corpus-$events.ndjson"
"$build/bench/make_corpus" --clean "$clean" "$events"
"$build/bench/make_corpus" "$broken" "$events"

browser=()
[ "${MSGEVENTS_SKIP_BROWSER:-0}" = 1 ] && browser=(--no-browser)
node bench/head_to_head.mjs --corpus clean="$clean" --corpus broken="$broken" --bench "$build/bench/validate_bench" --cli "$build/msgevents" \
  --package "${MSGEVENTS_PACKAGE_DIR:-npm}" --readme bench/README.md "${browser[@]}"

# The hostile inputs of issue 10 in both builds: the same bytes (adversarial_bench writes them).
cmake --build "$build" -j2 --target adversarial_bench >/dev/null
"$build/bench/adversarial_bench" --cli "$build/msgevents"
node bench/adversarial_wasm.mjs --package "${MSGEVENTS_PACKAGE_DIR:-npm}" --native-bench "$build/bench/adversarial_bench"

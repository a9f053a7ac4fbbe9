#!/usr/bin/env bash
# Installs what the build and the tests need when it is missing, so `npm test` and `npm start`
# work on a fresh Debian 12 machine as root. Safe to run again: it does nothing when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v cmake >/dev/null || need+=(cmake)
command -v g++ >/dev/null || need+=(g++)
[ -f /usr/include/gtest/gtest.h ] || need+=(libgtest-dev)
[ -f /usr/include/rapidjson/reader.h ] || need+=(rapidjson-dev)
command -v pkg-config >/dev/null || need+=(pkgconf)  # the pkg-config consumer test (tests/CMakeLists.txt)
command -v em++ >/dev/null || need+=(emscripten)
# clang for the sanitizer build and the libFuzzer harnesses (scripts/test.d/50-sanitizers.sh).
# libFuzzer and the sanitizer runtimes are in libclang-rt-dev, which clang only recommends.
if ! command -v clang++ >/dev/null; then
  need+=(clang libclang-rt-dev)
elif [ ! -f "$(clang++ -print-runtime-dir 2>/dev/null)/libclang_rt.fuzzer-$(uname -m).a" ]; then
  need+=(libclang-rt-dev)
fi
if [ "${MSGEVENTS_SKIP_BROWSER:-0}" != 1 ]; then
  command -v chromium >/dev/null || need+=(chromium)
fi

if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: installing ${need[*]}" >&2
  if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing ${need[*]}; run as root or install them with apt-get" >&2
    exit 2
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null  # as TOOLCHAIN.md verified it, recommends included
fi

# JavaScript dev dependencies (test tools), pinned by package-lock.json.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

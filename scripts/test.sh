#!/usr/bin/env bash
# test.sh - installs what is missing, builds pressrun with AddressSanitizer
# and UndefinedBehaviorSanitizer (warnings are errors) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build-asan -DPR_SANITIZE=ON -DPR_WERROR=ON -DCMAKE_BUILD_TYPE=Debug
scripts/setup-ace.sh
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd build-asan
ctest --output-on-failure -j"$(nproc)" "$@"

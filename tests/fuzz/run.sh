#!/usr/bin/env bash
# run.sh - builds the libFuzzer targets with clang (ASan + UBSan, build dir
# build-fuzz) and runs each for SECONDS (default 60) over its seed corpus
# in tests/fuzz/corpus/<target>/; new inputs go to build-fuzz/corpus/.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     e.g. run.sh 600 manifest build
# Crashes are written to build-fuzz/crashes/; the exit status is 1 if any.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(manifest frontmatter markdown build image)
command -v clang >/dev/null || { echo "run.sh: clang is needed (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DPR_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j"$(nproc)" --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
mkdir -p build-fuzz/crashes build-fuzz/tmp
export TMPDIR=$PWD/build-fuzz/tmp # the targets' scratch issue folders
status=0
for t in "${targets[@]}"; do
  maxlen=4096
  [ "$t" = build ] && maxlen=2048
  mkdir -p "build-fuzz/corpus/$t"
  echo "run.sh: fuzz_$t for ${secs}s" >&2
  if ! build-fuzz/fuzz_"$t" -max_total_time="$secs" -max_len=$maxlen -timeout=30 -rss_limit_mb=4096 \
       -print_final_stats=1 -artifact_prefix="build-fuzz/crashes/$t-" \
       "build-fuzz/corpus/$t" "tests/fuzz/corpus/$t" 2>"build-fuzz/fuzz_$t.log"; then
    echo "run.sh: fuzz_$t found a problem; see build-fuzz/fuzz_$t.log and build-fuzz/crashes/" >&2
    status=1
  fi
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "build-fuzz/fuzz_$t.log" | sed "s/^/fuzz_$t /" >&2 || true
done
exit $status

#!/usr/bin/env bash
# test_fuzz.sh - the libFuzzer targets under ctest: builds them with clang
# (build-fuzz, ASan + UBSan), runs each over its seed corpus (which holds
# every input that once broke something) and then fuzzes it for a few
# seconds. Fails when clang or libFuzzer is missing: scripts/setup.sh
# installs them. Long runs: tests/fuzz/run.sh SECONDS.
source "$(dirname "$0")/../lib.sh"
secs=${PR_FUZZ_SECONDS:-5}

check "clang is installed (scripts/setup.sh installs clang and libclang-rt-14-dev)" \
  bash -c 'command -v clang >/dev/null'
if ! command -v clang >/dev/null; then finish; exit 1; fi

cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DPR_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  >"$TMP/cmake.log" 2>&1 &&
  cmake --build build-fuzz -j"$(nproc)" --target fuzz_manifest fuzz_frontmatter fuzz_markdown fuzz_build fuzz_image \
  >>"$TMP/cmake.log" 2>&1
rc=$?
check "the fuzz targets build with -fsanitize=fuzzer" test $rc -eq 0
[ $rc -eq 0 ] || { tail -20 "$TMP/cmake.log" >&2; finish; exit 1; }

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export LSAN_OPTIONS=suppressions=$ROOT/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TMPDIR=$TMP # the targets' scratch issue folders go with $TMP
for t in manifest frontmatter markdown build image; do
  seeds=tests/fuzz/corpus/$t
  check "fuzz_$t has a seed corpus" test -n "$(ls -A "$seeds" 2>/dev/null)"
  build-fuzz/fuzz_$t -runs=0 -timeout=60 -artifact_prefix="$TMP/$t-seed-" "$seeds" >"$TMP/$t-seeds.log" 2>&1
  rc=$?
  check "fuzz_$t runs its seed corpus clean" test $rc -eq 0
  [ $rc -eq 0 ] || tail -30 "$TMP/$t-seeds.log" >&2
  check "fuzz_$t read every seed" grep -q "INITED" "$TMP/$t-seeds.log"
  mkdir -p "$TMP/corpus-$t"
  maxlen=4096
  [ $t = build ] && maxlen=2048
  build-fuzz/fuzz_$t -max_total_time="$secs" -max_len=$maxlen -timeout=60 -rss_limit_mb=4096 \
    -artifact_prefix="$TMP/$t-" "$TMP/corpus-$t" "$seeds" >"$TMP/$t.log" 2>&1
  rc=$?
  check "fuzz_$t finds nothing in ${secs}s" test $rc -eq 0
  if [ $rc -ne 0 ]; then # the input is lost with $TMP: print it
    tail -40 "$TMP/$t.log" >&2
    for f in "$TMP/$t"-*; do [ -f "$f" ] && { echo "$f (base64):" >&2; base64 "$f" >&2; }; done
  fi
done
finish

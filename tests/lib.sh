# lib.sh - shared helpers for the shell test suites: ok/fail counters and
# the closing "N passed, N failed" line. Source it; $PR is the binary.
PR=${1:?usage: test_X.sh PATH/TO/pressrun}
PR=$(cd "$(dirname "$PR")" && pwd)/$(basename "$PR")
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pressrun-test.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export SOURCE_DATE_EPOCH=1713571200
export LC_ALL=C.UTF-8
pass=0
failed=0
ok() { pass=$((pass + 1)); }
fail() { failed=$((failed + 1)); echo "FAILED: $*" >&2; }
check() { # check "description" command...
  local what=$1; shift
  if "$@"; then ok; else fail "$what"; fi
}
# EPUBCHECK: how to run epubcheck (empty when it is not installed).
# Debian's epubcheck is an executable jar, which needs binfmt_misc (absent
# in containers): run it through java, with the JIT settings that suit a
# short run (about 40 % faster), else whatever `epubcheck` is on the PATH
if [ -f /usr/share/java/epubcheck.jar ] && command -v java >/dev/null; then
  EPUBCHECK=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar /usr/share/java/epubcheck.jar)
elif epubcheck --version >/dev/null 2>&1; then
  EPUBCHECK=(epubcheck)
else
  EPUBCHECK=()
fi
finish() {
  echo "$pass passed, $failed failed"
  [ "$failed" -eq 0 ]
}

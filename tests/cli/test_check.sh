#!/usr/bin/env bash
# pressrun check on a deliberately broken issue: every planted problem is
# listed in one run, at its file:line:col, with its severity, sorted by file
# and position; the exit status is 1 and nothing is written.
source "$(dirname "$0")/../lib.sh"
B=tests/fixtures/broken

"$PR" check "$B" 2>"$TMP/err"; rc=$?
check "check exits 1 on the broken issue" test $rc -eq 1
check "check writes nothing" test ! -e "$B/out"
grep -vE '^\s*(#|$)' "$B/EXPECTED.txt" | while read -r where sev code rest; do
  if grep -q "^$B/$where: $sev: " "$TMP/err"; then echo ok; else echo "missing: $where $sev $code" >&2; echo bad; fi
done > "$TMP/results"
check "every planted problem reported at its position" bash -c "! grep -q bad '$TMP/results'"
check "seven planted problems checked" test "$(grep -c ok "$TMP/results")" -eq 7
check "did-you-mean for the unknown key" grep -q "unknown key 'autors'; did you mean 'authors'?" "$TMP/err"
check "did-you-mean for the layout" grep -q "did you mean 'magazine'" "$TMP/err"
check "diagnostics sorted by file and position" bash -c "grep -oE '^[^:]+:[0-9]+:[0-9]+' '$TMP/err' | sort -t: -k1,1 -k2,2n -k3,3n -c"
check "no follow-on warning for the missing file's body" bash -c "! grep -q 'does-not-exist.md: warning' '$TMP/err'"
check "summary line" grep -qE "^pressrun: [0-9]+ errors?, [0-9]+ warnings?$" "$TMP/err"

# the images fixture: an image without alt text is a warning naming file and line
"$PR" check tests/fixtures/images 2>"$TMP/img"; rc=$?
check "check exits 0 with warnings only" test $rc -eq 0
check "missing alt text names file and line" grep -qE "pictures.md:15:1: warning: .*alt" "$TMP/img"

# the sample issue checks clean of errors
"$PR" check issues/2024-04-labor-notes 2>"$TMP/sample"; rc=$?
check "sample issue: no errors" test $rc -eq 0
finish

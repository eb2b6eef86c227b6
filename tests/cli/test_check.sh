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

# a deliberately broken copy of the sample: every planted problem is listed
# with its position, in one run
S="$TMP/brokensample"
cp -r issues/2024-04-labor-notes "$S"
rm -rf "$S/out"
sed -i '7s/.*/date: 2024-04-31/' "$S/issue.yaml"                          # 7:7 no such day
sed -i '24s/^    title:/    titel:/' "$S/issue.yaml"                       # 24:5 unknown key
printf 'A bad byte \xff in a sentence.\n\n' | cat - "$S/articles/france.md" > "$S/f.md" && mv "$S/f.md" "$S/articles/france.md"   # 1:12
printf '\nA reference to a note that is missing.[^nowhere]\n' >> "$S/articles/interregnum.md"
printf '\n![A chart](../images/no-such-chart.png "Missing")\n' >> "$S/articles/faculty-unite.md"
printf '\nA character no bundled font has: \xe6\xbc\xa2.\n' >> "$S/editorial.md"
"$PR" check "$S" 2>"$TMP/sample.err"; rc=$?
check "broken sample: check exits 1" test $rc -eq 1
check "broken sample: bad date at 7:7" grep -q "issue.yaml:7:7: error: .*2024-04-31" "$TMP/sample.err"
check "broken sample: unknown key at 24:5 with did-you-mean" grep -q "issue.yaml:24:5: error: unknown key 'titel'; did you mean 'title'" "$TMP/sample.err"
check "broken sample: invalid UTF-8 at 1:12 with byte offset" grep -qE "france.md:1:12: error: invalid UTF-8 byte 0xFF at byte offset 11" "$TMP/sample.err"
check "broken sample: undefined footnote with position" grep -qE "interregnum.md:[0-9]+:[0-9]+: warning: footnote '\[\^nowhere\]'" "$TMP/sample.err"
check "broken sample: missing image with position" grep -qE "faculty-unite.md:[0-9]+:[0-9]+: error: .*no-such-chart.png" "$TMP/sample.err"
check "broken sample: nothing written" test ! -e "$S/out"
# the input errors above leave safe values, so the same run also typesets
# and lists what only typesetting finds: the missing glyph
check "broken sample: typesetting problems in the same run" grep -qE "editorial.md:[0-9]+:[0-9]+: warning: no bundled font has the character U\+6F22" "$TMP/sample.err"
# an error the typesetter cannot work around (the layout) stops before it
cp -r "$S" "$TMP/brokenlayout"
sed -i 's/^layout:.*/layout: magazin/' "$TMP/brokenlayout/issue.yaml"
"$PR" check "$TMP/brokenlayout" 2>"$TMP/bl.err"
check "broken layout: reported, and no typesetting diagnostics" bash -c "grep -q \"did you mean 'magazine'\" '$TMP/bl.err' && ! grep -q 'no bundled font' '$TMP/bl.err'"

# the sample issue checks clean of errors
"$PR" check issues/2024-04-labor-notes 2>"$TMP/sample"; rc=$?
check "sample issue: no errors" test $rc -eq 0
finish

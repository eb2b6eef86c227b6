#!/usr/bin/env bash
# The command line: help, version, usage errors (exit 2), input errors
# (exit 1, file:line:col), output errors (exit 3, the path named), atomic
# output (a failed build leaves the previous PDF as it was).
source "$(dirname "$0")/../lib.sh"
I=tests/cli/issue

"$PR" --help > "$TMP/help.txt"; rc=$?
check "--help exits 0" test $rc -eq 0
check "--help lists build and check" grep -q "build ISSUE" "$TMP/help.txt"
check "--version prints the version" bash -c "'$PR' --version | grep -qE '^pressrun [0-9]+\.[0-9]+'"

"$PR" build "$I" --bogus 2>"$TMP/err"; rc=$?
check "unknown option exits 2" test $rc -eq 2
check "unknown option is named" grep -q "unknown option '--bogus'" "$TMP/err"
"$PR" build "$I" --format pdf,tiff 2>"$TMP/err"; rc=$?
check "unknown format exits 2" test $rc -eq 2
"$PR" frobnicate 2>/dev/null; rc=$?
check "unknown command exits 2" test $rc -eq 2
"$PR" build 2>/dev/null; rc=$?
check "missing ISSUE exits 2" test $rc -eq 2

"$PR" build "$TMP/nowhere" 2>"$TMP/err"; rc=$?
check "missing issue exits 1" test $rc -eq 1
check "missing issue is named" grep -q "nowhere" "$TMP/err"

# unknown layout: exit 1 with position and suggestion
mkdir -p "$TMP/badlayout/articles"
cp "$I/articles/one.md" "$TMP/badlayout/articles/"
sed 's/^slug: bulletin/slug: bulletin\nlayout: magasine/' "$I/issue.yaml" > "$TMP/badlayout/issue.yaml"
"$PR" build "$TMP/badlayout" -o "$TMP/o" 2>"$TMP/err"; rc=$?
check "unknown layout exits 1" test $rc -eq 1
check "unknown layout: position and suggestion" grep -qE "issue.yaml:5:9: error: .*magasine.*magazine" "$TMP/err"

# a good build, then a failing one: the old PDF stays, no temp file remains
"$PR" build "$I" -o "$TMP/out" --quiet; rc=$?
check "build exits 0" test $rc -eq 0
check "build writes <slug>.pdf" test -s "$TMP/out/bulletin.pdf"
before=$(md5sum < "$TMP/out/bulletin.pdf")
mkdir -p "$TMP/broken/articles"
cp "$I/articles/one.md" "$TMP/broken/articles/"
sed 's/^date: .*/date: 2024-02-31/' "$I/issue.yaml" > "$TMP/broken/issue.yaml"
"$PR" build "$TMP/broken" -o "$TMP/out" 2>"$TMP/err"; rc=$?
check "bad date exits 1" test $rc -eq 1
check "bad date has a position" grep -qE "issue.yaml:3:7: error" "$TMP/err"
check "failed build leaves the old PDF" test "$(md5sum < "$TMP/out/bulletin.pdf")" = "$before"
check "no temporary file left" bash -c "! ls -A '$TMP/out' | grep -q tmp"

# unwritable output folder: exit 3 naming the path
mkdir -p "$TMP/ro"
chmod 555 "$TMP/ro"
if [ "$(id -u)" -ne 0 ]; then
  "$PR" build "$I" -o "$TMP/ro" 2>"$TMP/err"; rc=$?
  check "unwritable folder exits 3" test $rc -eq 3
  check "unwritable folder is named" grep -q "$TMP/ro" "$TMP/err"
fi
# a file where the output folder should be: exit 3 too (works as root)
touch "$TMP/afile"
"$PR" build "$I" -o "$TMP/afile/sub" 2>"$TMP/err"; rc=$?
check "output under a file exits 3" test $rc -eq 3
check "output error names the path" grep -q "afile" "$TMP/err"

# check writes nothing and reports counts
"$PR" check "$I" 2>"$TMP/err"; rc=$?
check "check exits 0 on a good issue" test $rc -eq 0
check "check writes nothing" test ! -e "$I/out"

# SOURCE_DATE_EPOCH sets the PDF's date
SOURCE_DATE_EPOCH=946684800 "$PR" build "$I" -o "$TMP/d" --quiet
check "SOURCE_DATE_EPOCH date in PDF" bash -c "pdfinfo -isodates '$TMP/d/bulletin.pdf' | grep -q 'CreationDate: *2000-01-01T00:00:00'"
finish

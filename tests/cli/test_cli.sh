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
# getopt_long's conventions: values attached (-j1, -oDIR) or after '='
# (--jobs=2, --out=DIR), grouped short flags, '--' before ISSUE
"$PR" build "$I" -j1 -o"$TMP/g1" --format=pdf -q; rc=$?
check "-j1 and -oDIR are taken" test $rc -eq 0 -a -s "$TMP/g1/bulletin.pdf"
"$PR" build "$I" --jobs=2 --out="$TMP/g2" --format pdf --quiet; rc=$?
check "--jobs=2 and --out=DIR are taken" test $rc -eq 0 -a -s "$TMP/g2/bulletin.pdf"
"$PR" build -qj1 --format pdf -o "$TMP/g3" -- "$I"; rc=$?
check "grouped -qj1 and -- before ISSUE" test $rc -eq 0 -a -s "$TMP/g3/bulletin.pdf"
"$PR" proof "$I" -q -o"$TMP/g4.png"; rc=$?
check "proof -oFILE.png" test $rc -eq 0 -a -s "$TMP/g4.png"
"$PR" build "$I" -j 0 2>"$TMP/err"; rc=$?
check "-j 0 exits 2" test $rc -eq 2
"$PR" build "$I" -o 2>"$TMP/err"; rc=$?
check "-o without a folder exits 2" test $rc -eq 2 -a -n "$(grep -- '-o needs a folder' "$TMP/err")"
# an unknown option gets the nearest one suggested, like manifest keys
"$PR" build "$I" --formats pdf 2>"$TMP/err"; rc=$?
check "misspelt option exits 2" test $rc -eq 2
check "misspelt option: did you mean" grep -q "unknown option '--formats'; did you mean '--format'?" "$TMP/err"
"$PR" build "$I" --formats=pdf 2>"$TMP/err"; rc=$?
check "misspelt option=value: named without its value" grep -q "unknown option '--formats'; did you mean" "$TMP/err"
"$PR" new "$TMP/nn" --frm "$I" 2>"$TMP/err"; rc=$?
check "new: misspelt option exits 2" test $rc -eq 2
check "new: did you mean --from" grep -q "unknown option '--frm'; did you mean '--from'?" "$TMP/err"
"$PR" new --from="$I" -- "$TMP/nn" >/dev/null; rc=$?
check "new --from=ISSUE -- DIR" test $rc -eq 0 -a -s "$TMP/nn/issue.yaml"
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

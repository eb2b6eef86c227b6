#!/usr/bin/env bash
# pr_uacheck (tools/uacheck), the PDF/UA-1 checker: passes a good hand-made
# tagged page (make-fixture.py), fails each planted fault with its Matterhorn
# checkpoint, exits 2 on a non-PDF. ua_check PDF is the helper for checking
# pressrun's own output; the issue block turns on once the screen PDF is
# tagged (pdfinfo says "Tagged: yes").
source "$(dirname "$0")/../lib.sh"

UACHECK=$(dirname "$PR")/pr_uacheck
if [ ! -x "$UACHECK" ]; then
  fail "no pr_uacheck beside $PR (build the pr_uacheck target)"
  finish; exit
fi

ua_check() { # PDF: passes when pr_uacheck finds nothing; prints what it found
  local out
  if ! out=$("$UACHECK" --quiet "$1" 2>&1); then
    fail "pr_uacheck $1:"$'\n'"$(head -20 <<<"$out")"
    return 1
  fi
  ok
}

fixture() { # FAULT: writes $TMP/FAULT.pdf
  python3 tests/ua/make-fixture.py "$1" "$TMP/$1.pdf" || fail "make-fixture.py $1"
}

# the good page is valid PDF, tagged as poppler reads it, and passes
fixture good
check "good fixture passes qpdf --check" qpdf --check "$TMP/good.pdf" >/dev/null
check "poppler reads the good fixture as tagged" bash -c "pdfinfo '$TMP/good.pdf' | grep -q 'Tagged: *yes'"
ua_check "$TMP/good.pdf"
check "poppler reads its structure in order" bash -c \
  "pdfinfo -struct-text '$TMP/good.pdf' | tr -d '\n' | grep -q 'The shop floor.*Organising works.*Read more.*1\..*First item.*Local.*214.*A section.*A pull quote'"
check "--dump prints the tree" bash -c "'$UACHECK' --dump '$TMP/good.pdf' | grep -q '^    /Figure Alt=\"A picket line'"

# planted faults: FAULT and the checkpoint it must fail with (exit 1)
while read -r fault id; do
  fixture "$fault"
  check "$fault fixture passes qpdf --check" qpdf --check "$TMP/$fault.pdf" >/dev/null
  "$UACHECK" --quiet "$TMP/$fault.pdf" > "$TMP/$fault.out" 2>&1
  rc=$?
  check "$fault: exit 1 (got $rc)" test "$rc" -eq 1
  check "$fault: fails with $id: $(cat "$TMP/$fault.out")" grep -qE "^$TMP/$fault.pdf: $id( page [0-9]+)?: " "$TMP/$fault.out"
done <<'EOF'
figure-no-alt 13-004
folio-unmarked 01-005
h1-h3 14-003
h1-h2-h1-h3 14-003
no-lang 11-001
link-no-contents 28-012
no-pdfuaid 06-002
mcid-not-in-parenttree ISO32000-14.7.4.4
unmapped-type 02-001
no-displaydoctitle 07-001
displaydoctitle-false 07-002
no-tabs 28-008
li-holds-p 09-005
first-heading-h2 14-002
form-unmarked 01-005
bad-lang 11-001
link-no-structparent 28-011
unclosed-bdc ISO32000-14.6
inline-image-unmarked 01-005
artifact-in-tagged 01-003
tree-mcid-missing ISO32000-14.7.4.4
duplicate-mcid ISO32000-14.7.4.4
mixed-h 14-007
rolemap-circular 02-002
standard-remapped 02-003
low-nextkey ISO32000-14.7.4.4
text-annot-no-contents 28-004
form-mcid-reused 30-002
wrong-parent ISO32000-14.7.2
pg-not-a-page ISO32000-14.7.2
th-no-scope 15-003
glyph-width 31-016
EOF
# the page named in a failure is the page where it applies
check "a failure names its page" grep -q "01-005 page 1: 1 painting operator(s) neither Artifact nor tagged (first: Tj)" \
  "$TMP/folio-unmarked.out"

# several files: one failing file fails the run; the summary counts both
"$UACHECK" "$TMP/good.pdf" "$TMP/no-lang.pdf" > "$TMP/two.out" 2>&1
check "good + bad: exit 1" test $? -eq 1
check "good + bad: summary" grep -q "2 file(s): 1 passed, 1 failed, 0 unreadable" "$TMP/two.out"

# a file that is not a PDF, or is missing: exit 2
echo "not a PDF" > "$TMP/text.pdf"
"$UACHECK" "$TMP/text.pdf" > "$TMP/text.out" 2>&1
check "a non-PDF: exit 2" test $? -eq 2
check "a non-PDF: says so" grep -q "cannot read it as a PDF" "$TMP/text.out"
"$UACHECK" "$TMP/missing.pdf" > /dev/null 2>&1
check "a missing file: exit 2" test $? -eq 2
"$UACHECK" > /dev/null 2>&1
check "no file: exit 2" test $? -eq 2

# pressrun's own screen PDF, once it is tagged (until then the checker is
# only shown failing it, in the report of the change that added it)
issue=issues/2024-04-labor-notes
if "$PR" build "$issue" -o "$TMP/issue" --format pdf --quiet 2>"$TMP/issue.err"; then
  pdf=$(ls "$TMP"/issue/*.pdf | head -1)
  if pdfinfo "$pdf" | grep -q 'Tagged: *yes'; then
    ua_check "$pdf"
  else
    echo "skipped: $issue's screen PDF is not tagged yet"
  fi
else
  fail "$issue: build failed: $(head -5 "$TMP/issue.err")"
fi

finish

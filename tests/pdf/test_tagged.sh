#!/usr/bin/env bash
# The tagged screen PDF (PDF/UA-1, issue 17): the sample, its offprints,
# every fixture, every shipped layout and a generated issue pass pr_uacheck
# (tools/uacheck: the machine-checkable Matterhorn items); the structure
# of tests/fixtures/tagged, dumped, is its golden (reading order: stories
# by page, each article's blocks in source order, whatever columns and
# pages the flow put them in); languages, alt text, link descriptions and
# artifacts are where a reader of the structure needs them.
#   UPDATE=1 bash tests/pdf/test_tagged.sh build/pressrun   (rewrites the golden)
source "$(dirname "$0")/../lib.sh"

UACHECK=$(dirname "$PR")/pr_uacheck
if [ ! -x "$UACHECK" ]; then
  fail "no pr_uacheck beside $PR (build the pr_uacheck target)"
  finish
  exit
fi

ua() { # PDF...: every file passes the checker
  local out
  if out=$("$UACHECK" --quiet "$@" 2>&1); then ok; else fail "pr_uacheck:"$'\n'"$(head -20 <<<"$out")"; fi
}

tagged() { pdfinfo "$1" 2>/dev/null | grep -q '^Tagged: *yes'; }

# the sample, its offprints and its print PDF
S=issues/2024-04-labor-notes
"$PR" build "$S" -o "$TMP/s" --format pdf,print,articles --quiet 2>"$TMP/s.err" || fail "sample: $(head -3 "$TMP/s.err")"
pdf=$TMP/s/2024-04-labor-notes.pdf
check "sample: the screen PDF is tagged" tagged "$pdf"
check "sample: the print PDF is not (PDF/X-4 does not ask for it)" bash -c "! pdfinfo '$TMP/s/2024-04-labor-notes-print.pdf' | grep -q '^Tagged: *yes'"
ua "$pdf"
ua $(ls "$TMP"/s/2024-04-labor-notes-*.pdf | grep -v -- -print.pdf)
check "sample: qpdf --check" qpdf --check "$pdf" >/dev/null

# every fixture that builds, and the sample in every shipped layout
for f in tests/fixtures/*/issue.yaml; do
  d=$(dirname "$f")
  [ "$(basename "$d")" = broken ] && continue
  rm -rf "$TMP/fx"
  if "$PR" build "$d" -o "$TMP/fx" --format pdf --quiet 2>"$TMP/fx.err"; then
    ua "$TMP"/fx/*.pdf
  else
    fail "$d: $(head -3 "$TMP/fx.err")"
  fi
done
for l in layouts/*.yaml; do
  name=$(basename "$l" .yaml)
  rm -rf "$TMP/l"
  "$PR" build "$S" -o "$TMP/l" --format pdf --layout "$name" --quiet 2>/dev/null || fail "sample in $name"
  ua "$TMP"/l/*.pdf
done
# a generated issue (the benchmark's generator): departments of its own making
if [ -f /usr/share/dict/words ]; then
  python3 tests/tools/gen_corpus.py "$TMP/gen" --articles 12 >/dev/null
  "$PR" build "$TMP/gen" -o "$TMP/g" --format pdf --quiet 2>/dev/null || fail "generated issue"
  ua "$TMP"/g/*.pdf
else
  echo "skipped: the generated issue needs wamerican"
fi

# the structure of the fixture made for it, as a golden
F=tests/fixtures/tagged
"$PR" build "$F" -o "$TMP/t" --format pdf --quiet 2>/dev/null || fail "tagged fixture"
T=$TMP/t/test-tagged.pdf
"$UACHECK" --dump "$T" | grep -v -e "^$T: " -e "^pr_uacheck: " >"$TMP/structure.txt"
golden=tests/pdf/tagged-structure.golden
if [ "${UPDATE:-0}" = 1 ]; then
  cp "$TMP/structure.txt" "$golden"
  echo "updated $golden"
fi
check "the structure is the golden's (UPDATE=1 rewrites it)" diff -u "$golden" "$TMP/structure.txt"

# what a reader of the structure meets, in order: the text of each block
# in source order, though the figure and the table float in the columns
pdfinfo -struct-text "$T" | tr -d '\n' >"$TMP/struct-text"
# (poppler prints an element's title in PDFDocEncoding: bytes, not UTF-8)
check "reading order: opener, body, list, quote, figure, table, last paragraph, note, next article" \
  env LC_ALL=C grep -aq 'Reading Order Across.*Headings, a list.*Figure.*Evening over the roo.*A second-level heading.*the project.*A heading four levels down.*صمود.*Lbl.*LBody.*A quotation.*Three bars, rising.*Members and monthly dues.*North.*South.*Note.*Crónica de una asamblea.*Lo que se decidió' "$TMP/struct-text"
check "running heads and folios are not read (artifacts)" bash -c "! grep -q 'The Reading Room · The Structure Issue' '$TMP/struct-text'"
check "headings never skip a level (the author's #### after ## is an H3)" \
  bash -c "grep -q '/H3 page' '$TMP/structure.txt' && ! grep -q '/H4' '$TMP/structure.txt'"
check "the document's language" bash -c "qpdf --show-object=trailer '$T' >/dev/null && python3 - '$T' <<'PY'
import json, subprocess, sys
j = json.loads(subprocess.run(['qpdf', '--json', sys.argv[1]], capture_output=True, text=True).stdout)
objs = j['qpdf'][1]
root = objs['trailer']['value']['/Root']
cat = objs['obj:' + root]['value']
assert cat['/Lang'] == 'u:en', cat.get('/Lang')
assert cat['/MarkInfo']['/Marked'] is True
assert cat['/ViewerPreferences']['/DisplayDocTitle'] is True
# link annotations say what they are
links = [o['value'] for o in objs.values() if isinstance(o.get('value'), dict) and o['value'].get('/Subtype') == '/Link']
assert links and all('/Contents' in l and '/StructParent' in l for l in links), 'links'
assert any('example.org/pressrun' in l['/Contents'] and 'project' in l['/Contents'] for l in links), 'uri link contents'
PY"
check "the Spanish article is marked Spanish" grep -q '/Art Lang=es' "$TMP/structure.txt"
check "the Arabic word is marked Arabic" grep -q '/Span Lang=ar' "$TMP/structure.txt"
check "the lead image's alt text is its Figure's" grep -q '/Figure Alt="Dark rooftops with lit windows' "$TMP/structure.txt"
check "a Markdown image's alt text is its Figure's" grep -q '/Figure Alt="A bar chart of three rising bars' "$TMP/structure.txt"
check "the XMP says PDF/UA-1" bash -c "qpdf --show-object=\$(qpdf --show-object=trailer '$T' | grep -o '/Root [0-9]* 0 R' | awk '{print \$2}') '$T' | grep -q /Metadata && \
  python3 -c \"import re,subprocess,sys; d=subprocess.run(['qpdf','--qdf','--object-streams=disable','$T','-'],capture_output=True).stdout; sys.exit(0 if b'<pdfuaid:part>1</pdfuaid:part>' in d else 1)\""

# a picture without words is said (check), and stops a --strict build
cp -r "$F" "$TMP/noalt"
sed -i '/image-alt/d' "$TMP/noalt/issue.yaml"
"$PR" check "$TMP/noalt" >"$TMP/noalt.out" 2>&1
check "a lead image without alt text: a warning with its place" grep -q "issue.yaml:[0-9]*:[0-9]*: warning: image 'images/lead.jpg' has no alt text" "$TMP/noalt.out"
"$PR" build "$TMP/noalt" -o "$TMP/noalt-out" --strict --quiet >/dev/null 2>&1
check "... and an error with --strict" test $? -eq 1

finish

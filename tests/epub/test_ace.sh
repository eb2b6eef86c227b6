#!/usr/bin/env bash
# test_ace.sh - DAISY Ace, the accessibility checker distributors run on
# EPUBs, finds no violation in the sample issue's EPUB nor in one with
# every block pressrun sets (sidebars, verse, a department, pull quotes,
# footnotes, lists, a table of pictures), nor in the tables fixture
# (tables, struck text, fill-in fields). Ace and the Chromium it drives
# are installed by scripts/setup-ace.sh (scripts/test.sh runs it).
source "$(dirname "$0")/../lib.sh"
ACE="$ROOT/tools/ace/node_modules/.bin/ace-puppeteer"
export PUPPETEER_EXECUTABLE_PATH=${PUPPETEER_EXECUTABLE_PATH:-/usr/bin/chromium}
if [ ! -x "$ACE" ] || [ ! -x "$PUPPETEER_EXECUTABLE_PATH" ]; then
  fail "Ace is not installed: run scripts/setup-ace.sh"
  finish
  exit 1
fi

# ace EPUB NAME: Ace's verdict on EPUB, its report in $TMP/NAME
ace() {
  timeout 300 "$ACE" -s -f -o "$TMP/$2" "$1" >"$TMP/$2.log" 2>&1
}
# no_violations REPORT: the verdict is pass, and no document has a finding
no_violations() {
  python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
found = [(d.get("earl:testSubject", {}).get("url"), a.get("earl:test", {}).get("dct:title"))
         for d in r.get("assertions", []) for a in d.get("assertions", [])]
if found:
    print("Ace found:", found[:5], file=sys.stderr)
sys.exit(0 if r["earl:result"]["earl:outcome"] == "pass" and not found else 1)
PY
}

"$PR" build issues/2024-04-labor-notes -o "$TMP/sample" --format epub --quiet 2>/dev/null
check "sample: EPUB built" test -s "$TMP/sample/2024-04-labor-notes.epub"
ace "$TMP/sample/2024-04-labor-notes.epub" sample
check "sample: Ace ran" test -s "$TMP/sample/report.json"
check "sample: Ace finds no violation" no_violations "$TMP/sample/report.json"

"$PR" build tests/epub/allblocks -o "$TMP/all" --format epub --quiet 2>/dev/null
epub=$(ls "$TMP"/all/*.epub 2>/dev/null | head -1)
check "allblocks: EPUB built" test -n "$epub"
ace "$epub" allblocks
check "allblocks: Ace finds no violation" no_violations "$TMP/allblocks/report.json"

# tables (caption, column headers), struck text and fill-in fields
"$PR" build tests/fixtures/tables -o "$TMP/tables" --format epub --quiet 2>/dev/null
check "tables: EPUB built" test -s "$TMP/tables/tables.epub"
ace "$TMP/tables/tables.epub" tables
check "tables: Ace finds no violation" no_violations "$TMP/tables/report.json"

# and it can fail: the sample with one picture's alt text taken away
python3 - "$TMP/sample/2024-04-labor-notes.epub" "$TMP/bad.epub" <<'PY'
import re, sys, zipfile
src, dst = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2], "w")
done = False
for info in src.infolist():
    data = src.read(info.filename)
    if not done and info.filename.endswith(".xhtml") and b"<img " in data:
        data, done = re.sub(rb' alt="[^"]*"', b"", data, count=1), True
    dst.writestr(info, data)
dst.close()
PY
ace "$TMP/bad.epub" bad
check "planted fault: Ace finds the picture without alt text" bash -c "! python3 - '$TMP/bad/report.json' <<'PY'
import json, sys
sys.exit(0 if json.load(open(sys.argv[1]))['earl:result']['earl:outcome'] == 'pass' else 1)
PY"
finish

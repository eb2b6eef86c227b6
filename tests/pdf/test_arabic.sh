#!/usr/bin/env bash
# Arabic in the text layer (issue 17): pdftotext reads every Arabic word of
# the sample and of the Arabic fixture set justified with kashida whole and
# in logical order (each word of the Markdown source is a word of the
# extracted text as often as the source has it), and no extracted word
# holds a tatweel (U+0640), a soft hyphen (U+00AD) or another format
# character. pdftotext marks each right-to-left run of its output with
# U+202A..U+202C (poppler's reorderText does, not the PDF): those go first.
# A hyphen a line was broken at reads as U+00AD at the line's end (PDF 32000
# 14.8.2.2.3): allowed there, and only there. See src/pdfjoin.c.
source "$(dirname "$0")/../lib.sh"

if ! command -v pdftotext >/dev/null; then
  echo "skipped: no pdftotext (poppler-utils)"
  finish
  exit
fi

# words FILE.pdf SOURCE... : the check, in Python (prints what is wrong)
words() {
  python3 - "$@" <<'PY'
import re, subprocess, sys, unicodedata
from collections import Counter
pdf, sources = sys.argv[1], sys.argv[2:]
AR = "\u0610-\u061a\u0620-\u065f\u066e-\u06d3\u06d5-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
word = re.compile("[%s]+" % AR)
want = Counter()
for s in sources:
    want.update(w for w in word.findall(open(s, encoding="utf-8").read()))
text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, check=True).stdout.decode("utf-8")
text = re.sub("[\u202a-\u202e]", "", text)
got, bad = Counter(), []
for line in text.split("\n"):
    toks = line.split()
    for i, t in enumerate(toks):
        if not word.search(t) and "\u0640" not in t:
            continue
        last = i == len(toks) - 1
        for k, c in enumerate(t):
            if c == "\u0640" or (unicodedata.category(c) == "Cf" and not (c == "\u00ad" and last and k == len(t) - 1)):
                bad.append("U+%04X in %r" % (ord(c), t))
        got.update(word.findall(t))
missing = {w: (n, got[w]) for w, n in want.items() if got[w] < n}
for w, (n, g) in sorted(missing.items()):
    print("not whole: %s (source %d, extracted %d)" % (w, n, g))
for b in bad[:20]:
    print("format character:", b)
print("%d of %d Arabic words whole" % (sum(min(got[w], n) for w, n in want.items()), sum(want.values())), file=sys.stderr)
sys.exit(1 if missing or bad else 0)
PY
}

# the sample: the Arabic spans of the Palestine story, in an English page
S=issues/2024-04-labor-notes
"$PR" build "$S" -o "$TMP/s" --format pdf --quiet 2>"$TMP/s.err" || fail "sample: $(head -3 "$TMP/s.err")"
check "sample: its Arabic words extract whole, in logical order" words "$TMP/s/2024-04-labor-notes.pdf" \
  "$S/articles/palestine.md"

# the same sentences in the ragged fixture, and the tagged fixture's
for f in ragged tagged; do
  rm -rf "$TMP/f"
  "$PR" build tests/fixtures/$f -o "$TMP/f" --format pdf --quiet 2>/dev/null || fail "$f fixture"
  check "$f fixture: its Arabic words extract whole" words "$TMP"/f/*.pdf tests/fixtures/$f/articles/*.md
done

# the Arabic fixture in the magazine's justified columns, with kashida
A=tests/fixtures/arabic
"$PR" check "$A" --layout magazine --stats=json >"$TMP/ar.json" 2>/dev/null
check "arabic fixture: justified with kashida (else this tests less)" python3 -c '
import json, sys
a = [x for x in json.load(open(sys.argv[1]))["articles"] if x["id"] == "maktaba"][0]
sys.exit(not (a["kashidas"] > 0 and a["justified_lines"] > 0))' "$TMP/ar.json"
"$PR" build "$A" --layout magazine -o "$TMP/ar" --format pdf --quiet 2>"$TMP/ar.err" || fail "arabic: $(head -3 "$TMP/ar.err")"
check "arabic fixture (kashida): every word whole, in logical order" words "$TMP/ar/test-ar.pdf" \
  "$A/articles/maktaba.md"
# and in its own layout (the e-reader's, ragged), the titles too
"$PR" build "$A" -o "$TMP/ar2" --format pdf --quiet 2>"$TMP/ar2.err" || fail "arabic: $(head -3 "$TMP/ar2.err")"
check "arabic fixture (e-reader): every word whole, in logical order" words "$TMP/ar2/test-ar.pdf" \
  "$A/articles/maktaba.md" "$A/issue.yaml"
finish

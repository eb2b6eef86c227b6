#!/usr/bin/env bash
# The printer's PDF: page boxes read back with pdfinfo -box on every page,
# a page count that binds, crop marks found outside the trim by pixels,
# fonts embedded, qpdf --check clean, the PDF/X-4 keys, output intent, XMP
# and calibrated RGB, the print preflight (image resolution, colours).
source "$(dirname "$0")/../lib.sh"

boxes_ok() { # pdf bleed marks(0/1): every page's boxes as the contract says
  python3 - "$1" "$2" "$3" <<'PY'
import re, subprocess, sys
pdf, bleed, marks = sys.argv[1], float(sys.argv[2]), sys.argv[3] == "1"
out = subprocess.run(["pdfinfo", "-box", "-f", "1", "-l", "100000", pdf], capture_output=True, text=True).stdout
pages = {}
for m in re.finditer(r"Page\s+(\d+) (\w+):\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", out):
    pages.setdefault(int(m.group(1)), {})[m.group(2)] = tuple(float(m.group(i)) for i in range(3, 7))
n = int(re.search(r"Pages:\s+(\d+)", out).group(1))
bad = []
if len(pages) != n:
    bad.append("boxes for %d of %d pages" % (len(pages), n))
for p, b in sorted(pages.items()):
    t, bl, me = b["TrimBox"], b["BleedBox"], b["MediaBox"]
    if any(abs(bl[i] - (t[i] + (-bleed if i < 2 else bleed))) > 0.02 for i in range(4)):
        bad.append("page %d: BleedBox %s is not TrimBox %s + %.2f" % (p, bl, t, bleed))
    if marks and not (me[0] < bl[0] and me[1] < bl[1] and me[2] > bl[2] and me[3] > bl[3]):
        bad.append("page %d: MediaBox %s has no room for marks around %s" % (p, me, bl))
    if not marks and any(abs(me[i] - bl[i]) > 0.02 for i in range(4)):
        bad.append("page %d: without marks MediaBox %s should equal BleedBox %s" % (p, me, bl))
for x in bad[:5]:
    print(x)
sys.exit(1 if bad else 0)
PY
}

pages_of() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }

# the sample, magazine layout: saddle stitch, 0.125 in bleed, marks
"$PR" build issues/2024-04-labor-notes -o "$TMP/s" --format print --quiet 2>"$TMP/s.err"; rc=$?
P="$TMP/s/2024-04-labor-notes-print.pdf"
check "sample: print build exits 0" test $rc -eq 0
check "sample: writes <slug>-print.pdf" test -s "$P"
# the slug line (set when the page count is known, laid over each page by
# the post-pass) names every page and the count, below the trim
check "sample: slug line 'page N of M' on every page" python3 - "$P" <<'PY'
import re, subprocess, sys
pdf = sys.argv[1]
n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout).group(1))
bad = []
for i in range(1, n + 1):
    t = subprocess.run(["pdftotext", "-f", str(i), "-l", str(i), "-layout", pdf, "-"], capture_output=True, text=True).stdout
    if f"page {i} of {n}" not in t:
        bad.append(i)
if bad:
    print("pages without their slug line:", bad)
sys.exit(1 if bad else 0)
PY
check "sample: qpdf --check clean" bash -c "qpdf --check '$P' 2>&1 | grep -q 'No syntax or stream encoding errors' && ! qpdf --check '$P' 2>&1 | grep -qi warning"
check "sample: boxes on every page" boxes_ok "$P" 9 1
check "sample: saddle stitch, pages a multiple of 4" test $(( $(pages_of "$P") % 4 )) -eq 0
check "sample: all fonts embedded" bash -c "pdffonts '$P' | tail -n +3 | awk '{ if (\$(NF-4) != \"yes\") exit 1 }'"
check "sample: PDF 1.6 or later" bash -c "pdfinfo '$P' | grep -qE 'PDF version: +1\.[6-7]'"

qpdf --json "$P" > "$TMP/s.json"
check "PDF/X-4 keys, output intent and XMP" python3 tests/tools/pdfx_check.py "$TMP/s.json" "$P"

# crop marks: pixels outside the bleed, in line with the trim edges, are
# dark; the area beside them is white; nothing but marks there
pdftoppm -r 72 -gray -f 2 -l 2 "$P" "$TMP/m" 2>/dev/null
check "crop marks outside the trim" python3 - "$TMP"/m-*.pgm <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
parts = data.split(maxsplit=4)
w, h = int(parts[1]), int(parts[2])
px = parts[4]
def at(x, y): return px[int(y) * w + int(x)]
M, bleed = 39, 9      # trim 39 pt from the sheet edge, 0.125 in bleed
tw, th = 612, 792
ok = True
# horizontal mark left of the top-left corner, at the trim's top edge
ok &= min(at(x, M) for x in range(M - bleed - 18, M - bleed - 4)) < 128
# vertical mark above the top-left corner
ok &= min(at(M, y) for y in range(M - bleed - 18, M - bleed - 4)) < 128
# bottom-right corner marks
ok &= min(at(x, M + th) for x in range(M + tw + bleed + 4, M + tw + bleed + 18)) < 128
ok &= min(at(M + tw, y) for y in range(M + th + bleed + 4, M + th + bleed + 18)) < 128
# off the mark lines, outside the bleed: white
ok &= at(M - bleed - 10, M - bleed - 10) > 240
sys.exit(0 if ok else 1)
PY

# the digest layout: perfect binding (even page count), 3 mm bleed
"$PR" build tests/fixtures/spanish -o "$TMP/es" --format print --quiet 2>/dev/null || fail "digest: print build: pressrun exited $?"
E=$(ls "$TMP"/es/*-print.pdf)
check "digest: perfect binding, even pages" test $(( $(pages_of "$E") % 2 )) -eq 0
check "digest: boxes with 3 mm bleed" boxes_ok "$E" 8.50 1

# the ereader layout says marks: false and no bleed: MediaBox = BleedBox
"$PR" build tests/fixtures/arabic -o "$TMP/ar" --format print --quiet 2>/dev/null || fail "ereader: print build: pressrun exited $?"
A=$(ls "$TMP"/ar/*-print.pdf)
check "ereader: no marks, MediaBox = BleedBox" boxes_ok "$A" 0 0

# --no-marks on the magazine: MediaBox = BleedBox, still 0.125 in bleed
"$PR" build tests/fixtures/noimages -o "$TMP/nm" --format print --no-marks --quiet 2>"$TMP/nm.err" || fail "--no-marks: print build: pressrun exited $?"
N=$(ls "$TMP"/nm/*-print.pdf)
check "--no-marks: MediaBox = BleedBox" boxes_ok "$N" 9 0
check "--no-marks: saddle stitch pads to a multiple of 4" test $(( $(pages_of "$N") % 4 )) -eq 0

# padding: cover, contents, two one-page articles and the back cover make 5
# pages; saddle stitch needs 8, so 3 blank pages go before the back cover
mkdir -p "$TMP/pad5/articles"
cp tests/cli/issue/articles/one.md "$TMP/pad5/articles/one.md"
cp tests/cli/issue/articles/one.md "$TMP/pad5/articles/two.md"
cp tests/cli/issue/issue.yaml "$TMP/pad5/issue.yaml"
printf '  - file: articles/two.md\n    title: Another Report\n' >> "$TMP/pad5/issue.yaml"
"$PR" build "$TMP/pad5" -o "$TMP/pad" --format print,pdf 2>"$TMP/pad.err" --dump=layout > "$TMP/pad.lay"; rc=$?
check "padding: build exits 0" test $rc -eq 0
check "padding in the page model" grep -q "padding=3" "$TMP/pad.lay"
check "padding reported by the build" grep -q "3 blank for binding" "$TMP/pad.err"
check "blank pages before the back cover" bash -c "grep '^page' '$TMP/pad.lay' | tail -n 1 | grep -q back-cover && grep '^page' '$TMP/pad.lay' | tail -n 4 | head -3 | grep -c padding | grep -q 3"
check "print PDF has 8 pages" test "$(pages_of "$TMP"/pad/bulletin-print.pdf)" -eq 8
check "screen PDF leaves the blank pages out" test "$(pages_of "$TMP"/pad/bulletin.pdf)" -eq 5
"$PR" check "$TMP/pad5" 2>"$TMP/pad.chk"; rc=$?
check "padding: check exits 0" test $rc -eq 0
check "check notes the padding" grep -q "note: the print PDF gets 3 blank pages" "$TMP/pad.chk"

# preflight: a tiny lead image is a warning with its position and the way
# out; build writes every output; --strict makes it an error (a printer's
# gate): exit 1, nothing written, the earlier outputs kept
"$PR" check tests/fixtures/lowres 2>"$TMP/low"; rc=$?
check "low-resolution image: check exits 0 (a warning)" test $rc -eq 0
check "low-resolution image: position, ppi and the way out" grep -qE \
  "issue.yaml:[0-9]+:[0-9]+: warning: image .*tiny.jpg' prints at [0-9]+ ppi .*supply at least [0-9]+ x [0-9]+ pixels, or leave the print PDF out \(--format pdf,epub\)" "$TMP/low"
"$PR" check tests/fixtures/lowres --strict 2>"$TMP/lows"; rc=$?
check "check --strict: exit 1" test $rc -eq 1
check "check --strict says why" grep -q "pressrun: --strict: 1 warning counts as error" "$TMP/lows"
"$PR" build tests/fixtures/lowres -o "$TMP/lowall" --quiet 2>/dev/null; rc=$?
check "low-resolution image: build exits 0 and writes all three" \
  bash -c "[ $rc -eq 0 ] && [ -s '$TMP/lowall/test-lowres.pdf' ] && [ -s '$TMP/lowall/test-lowres-print.pdf' ] && [ -s '$TMP/lowall/test-lowres.epub' ]"
cp "$TMP/lowall/test-lowres-print.pdf" "$TMP/low-before.pdf"
touch -d '2020-01-01' "$TMP/lowall/test-lowres-print.pdf"
"$PR" build tests/fixtures/lowres -o "$TMP/lowall" --strict --quiet 2>/dev/null; rc=$?
check "build --strict: exit 1" test $rc -eq 1
check "build --strict: the earlier print PDF kept as it was" \
  bash -c "cmp -s '$TMP/low-before.pdf' '$TMP/lowall/test-lowres-print.pdf' && [ \"\$(stat -c %Y '$TMP/lowall/test-lowres-print.pdf')\" -lt 1600000000 ]"
check "build --strict: no temporary file left" bash -c "! ls -a '$TMP/lowall' | grep -q tmp"
# a colour no press can print
mkdir -p "$TMP/loud/layouts"
cp -r tests/cli/issue/* "$TMP/loud/"
printf 'colors: {text: "#1a1a1a", accent: "#00ff00", rule: "#888888"}\n' > "$TMP/loud/layouts/loud.yaml"
sed -i 's/^slug: bulletin/slug: bulletin\nlayout: loud/' "$TMP/loud/issue.yaml"
"$PR" check "$TMP/loud" 2>"$TMP/loud.err"; rc=$?
check "out-of-gamut colour: a warning, check exits 0" test $rc -eq 0
check "out-of-gamut accent colour warned" grep -q "accent colour #00FF00 is outside" "$TMP/loud.err"
check "neutral body text not warned" bash -c "! grep -q 'body colour' '$TMP/loud.err'"

# a character no bundled font has is a print defect: named with its place
mkdir -p "$TMP/glyph/articles"
cp tests/cli/issue/issue.yaml "$TMP/glyph/"
printf 'The sign in the window said \xe6\xbc\xa2\xe5\xad\x97 in red paint.\n\nA second paragraph follows it.\n' > "$TMP/glyph/articles/one.md"
"$PR" check "$TMP/glyph" 2>"$TMP/glyph.err"; rc=$?
check "missing glyph: a warning, check exits 0" test $rc -eq 0
check "missing glyph named with file, line and code point" grep -q "articles/one.md:1:1: warning: no bundled font has the character U+6F22" "$TMP/glyph.err"

# reproducible
"$PR" build tests/fixtures/footnotes -o "$TMP/r1" --format print --quiet || fail "footnotes: print build r1 exited $?"
"$PR" build tests/fixtures/footnotes -o "$TMP/r2" --format print --quiet || fail "footnotes: print build r2 exited $?"
check "reproducible print PDF" cmp -s "$TMP"/r1/test-footnotes-print.pdf "$TMP"/r2/test-footnotes-print.pdf
finish

#!/usr/bin/env bash
# test_ads.sh - supplied ads (src/pdfad.h): placed into both PDFs as form
# XObjects with the advertiser's content stream byte for byte, text that
# extracts, fonts embedded, the full-page ad to the bleed in the print PDF
# (PDF/X-4 kept); preflight finds a font not embedded, RGB and low ppi;
# poppler rasters the ad. The page model does not carry ads yet, so
# build/pdfad_tool drives the machinery: over pressrun's finished PDFs
# (pr_pdfad_import_file) and through the real post-pass (pr_pdfboxes_run).
source "$(dirname "$0")/../lib.sh"
TOOL=$(dirname "$PR")/pdfad_tool
[ -x "$TOOL" ] || { echo "test_ads: $TOOL not built"; exit 1; }

python3 tests/ads/make-ad.py full "$TMP/full.pdf"
python3 tests/ads/make-ad.py third "$TMP/third.pdf"
python3 tests/ads/make-ad.py bad "$TMP/bad.pdf"

# the object number of a page's form XObject NAME: form_of PDF PAGE(1-based) NAME
form_of() {
  qpdf --json --json-key=pages --json-key=qpdf "$1" | python3 -c '
import json, sys
j = json.load(sys.stdin)
objs = j["qpdf"][1]
def get(x):
    if isinstance(x, str) and x.endswith(" R"):
        o = objs["obj:" + x]
        return o["stream"]["dict"] if "stream" in o else o["value"]
    return x
page = get(j["pages"][int(sys.argv[1]) - 1]["object"])
print(get(get(page["/Resources"])["/XObject"])[sys.argv[2]].split()[0])' "$2" "$3"
}
# a key of an object's dictionary, as JSON: dict_key PDF OBJ KEY
dict_key() {
  qpdf --json --json-key=qpdf "$1" | python3 -c '
import json, sys
o = json.load(sys.stdin)["qpdf"][1]["obj:%s 0 R" % sys.argv[1]]
print(json.dumps((o["stream"]["dict"] if "stream" in o else o["value"]).get(sys.argv[2])))' "$2" "$3"
}
ad_content() { qpdf --show-pages "$1" | awk '/content:/ { getline; print $1; exit }'; }
# same bytes: same_stream AD.pdf OUT.pdf FORM_OBJ MODE (filtered|raw)
same_stream() {
  cmp -s <(qpdf --show-object="$(ad_content "$1")" --"$4"-stream-data "$1") \
         <(qpdf --show-object="$3" --"$4"-stream-data "$2")
}
# the colour of pixel X Y of a PPM (P6) as "R G B"
pixel() {
  python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
parts, pos = [], 0
while len(parts) < 4:
    while d[pos:pos + 1].isspace(): pos += 1
    end = pos
    while not d[end:end + 1].isspace(): end += 1
    parts.append(d[pos:end]); pos = end
pos += 1
w = int(parts[1]); x, y = int(sys.argv[2]), int(sys.argv[3])
o = pos + 3 * (y * w + x)
print(d[o], d[o + 1], d[o + 2])' "$1" "$2" "$3"
}
# the ad's background (CMYK 0 0.55 1 0) renders orange
orange() { local r g b; read -r r g b < <(pixel "$@"); [ "$r" -gt 200 ] && [ "$g" -gt 90 ] && [ "$g" -lt 170 ] && [ "$b" -lt 90 ]; }
white() { local r g b; read -r r g b < <(pixel "$@"); [ "$r" -gt 245 ] && [ "$g" -gt 245 ] && [ "$b" -gt 245 ]; }
has_text() { pdftotext -f "$2" -l "$2" "$1" - 2>/dev/null | grep -q "$3"; }
# the ad's own font, not a subset of pressrun's: embedded
font_embedded() { pdffonts -f "$2" -l "$2" "$1" | grep -Eq '^DejaVuSans +TrueType +WinAnsi +yes'; }
quiet() { "$@" >/dev/null 2>&1; }
qcheck() { qpdf --check "$1" >/dev/null 2>&1; }
qdf() { qpdf --qdf --object-streams=disable "$1" - 2>/dev/null; }

# ---- preflight ----
"$TOOL" inspect "$TMP/full.pdf" 1 >"$TMP/full.txt"
check "preflight: full-page ad trim 612x792" grep -qx 'trim 612.00 792.00' "$TMP/full.txt"
check "preflight: full-page ad bleed 630x810" grep -qx 'bleed 630.00 810.00' "$TMP/full.txt"
check "preflight: full-page ad fonts embedded" grep -qx 'unembedded 0' "$TMP/full.txt"
check "preflight: full-page ad CMYK only" grep -qx 'rgb no' "$TMP/full.txt"
check "preflight: the CMYK image at 300 ppi" grep -qx 'image /Im0 300x300 300 ppi' "$TMP/full.txt"
"$TOOL" inspect "$TMP/third.pdf" 1 >"$TMP/third.txt"
check "preflight: third-page ad size (for a slot mismatch)" grep -qx 'trim 172.80 720.00' "$TMP/third.txt"
"$TOOL" inspect "$TMP/bad.pdf" 1 >"$TMP/bad.txt"
check "preflight: the font not embedded" grep -qx 'unembedded 1 Helvetica' "$TMP/bad.txt"
check "preflight: RGB found" grep -qx 'rgb yes' "$TMP/bad.txt"
check "preflight: the RGB image at 24 ppi" grep -qx 'image /Im0 16x16 24 ppi rgb' "$TMP/bad.txt"
"$TOOL" inspect "$TMP/full.pdf" 2 | grep -q "has no page 2 (it has 1)" && ok || fail "preflight: page out of range"
"$TOOL" inspect /etc/hostname 1 | grep -q '^error ' && ok || fail "preflight: not a PDF"

# ---- raster (poppler) ----
out=$("$TOOL" raster "$TMP/third.pdf" 1 "$TMP/third.png")
read -r _ ink _ total <<<"$out"
check "raster: the ad is painted ($out)" [ "${ink:-0}" -gt $((total * 9 / 10)) ]

# ---- pressrun's PDFs, ads placed over them ----
# (an issue without ads of its own: the sample places its own now)
check "pressrun writes both PDFs" quiet "$PR" build tests/fixtures/spanish --layout magazine -o "$TMP/out" --format pdf,print
screen=$(ls "$TMP"/out/*.pdf | grep -v -- -print.pdf)
print=$(ls "$TMP"/out/*-print.pdf)
# page 2 (index 1): the full-page ad; page 3: the third-page ad in the outer column
ads=("1:$TMP/full.pdf:1:0:0:612:792:1" "2:$TMP/third.pdf:1:0:36:172.8:720:0")
check "import into the screen PDF" "$TOOL" place "$screen" "$TMP/s.pdf" "${ads[@]}"
check "import into the print PDF" "$TOOL" place "$print" "$TMP/p.pdf" "${ads[@]}"
for pdf in "$TMP/s.pdf" "$TMP/p.pdf"; do
  n=$(basename "$pdf")
  check "$n: qpdf --check" qcheck "$pdf"
  check "$n: the full-page ad's text extracts" has_text "$pdf" 2 "Acme Ink"
  check "$n: the third-page ad's text extracts" has_text "$pdf" 3 "Tiny Press"
  check "$n: the ad's font embedded" font_embedded "$pdf" 2
  f=$(form_of "$pdf" 2 /PRAd0)
  check "$n: full-page ad content byte-identical (decoded)" same_stream "$TMP/full.pdf" "$pdf" "$f" filtered
  check "$n: full-page ad content byte-identical (raw)" same_stream "$TMP/full.pdf" "$pdf" "$f" raw
  check "$n: full-page ad form BBox is its BleedBox" [ "$(dict_key "$pdf" "$f" /BBox)" = "[0, 0, 630, 810]" ]
  f=$(form_of "$pdf" 3 /PRAd0)
  check "$n: third-page ad content byte-identical" same_stream "$TMP/third.pdf" "$pdf" "$f" filtered
  check "$n: third-page ad form BBox is its TrimBox" [ "$(dict_key "$pdf" "$f" /BBox)" = "[0, 0, 172.8, 720]" ]
done
# pages without ads are left as they were
pdftoppm -r 36 -f 5 -l 5 "$print" "$TMP/before"
pdftoppm -r 36 -f 5 -l 5 "$TMP/p.pdf" "$TMP/after"
check "a page without ads is unchanged" cmp -s "$TMP"/before-*5.ppm "$TMP"/after-*5.ppm
# PDF/X-4 kept
qdf "$TMP/p.pdf" >"$TMP/p.qdf"
check "print: GTS_PDFXVersion kept" grep -aq '/GTS_PDFXVersion (PDF/X-4)' "$TMP/p.qdf"
check "print: output intent kept" grep -aq '/S /GTS_PDFX' "$TMP/p.qdf"
check "print: TrimBox kept" grep -aq '/TrimBox' "$TMP/p.qdf"
# where it shows: print sheet = trim + 2 x (0.125in bleed + 30 pt marks room): the trim at 39 pt
pdftoppm -r 72 -f 2 -l 3 "$TMP/p.pdf" "$TMP/pp"
pdftoppm -r 72 -f 2 -l 3 "$TMP/s.pdf" "$TMP/ss"
check "print: the full-page ad reaches the bleed's left edge" orange "$TMP"/pp-*2.ppm 31 400
check "print: the full-page ad reaches the bleed's top edge" orange "$TMP"/pp-*2.ppm 300 31
check "print: the full-page ad reaches the bleed's bottom-right" orange "$TMP"/pp-*2.ppm 658 838
check "print: nothing beyond the bleed" white "$TMP"/pp-*2.ppm 27 400
check "print: the third-page ad in its slot" orange "$TMP"/pp-*3.ppm 45 440
check "print: the third-page ad clipped to its slot" white "$TMP"/pp-*3.ppm 45 70
check "screen: the full-page ad fills the page" orange "$TMP"/ss-*2.ppm 1 1
check "screen: the third-page ad in its slot" orange "$TMP"/ss-*3.ppm 170 500

# ---- the real post-pass (pdfboxes.c) over pages cairo paints ----
post=("0:$TMP/full.pdf:1:0:0:612:792:1" "1:$TMP/third.pdf:1:400:0:172.8:720:0" "1:$TMP/third.pdf:1:0:36:172.8:720:0")
check "post-pass: print" "$TOOL" post print "$TMP/pp.pdf" 3 "${post[@]}"
check "post-pass: screen" "$TOOL" post screen "$TMP/ps.pdf" 3 "${post[@]}"
for pdf in "$TMP/pp.pdf" "$TMP/ps.pdf"; do
  n=$(basename "$pdf")
  check "$n: qpdf --check" qcheck "$pdf"
  check "$n: ad text extracts" has_text "$pdf" 1 "Acme Ink"
  f=$(form_of "$pdf" 1 /PRAd0)
  check "$n: ad content byte-identical" same_stream "$TMP/full.pdf" "$pdf" "$f" raw
  check "$n: one form for an ad placed twice" [ "$(form_of "$pdf" 2 /PRAd0)" = "$(form_of "$pdf" 2 /PRAd1)" ]
done
pdftoppm -r 72 "$TMP/pp.pdf" "$TMP/post-p"
pdftoppm -r 72 "$TMP/ps.pdf" "$TMP/post-s"
check "post-pass print: to the bleed" orange "$TMP"/post-p-1.ppm 31 31
check "post-pass print: crop marks still outside" white "$TMP"/post-p-1.ppm 27 400
check "post-pass screen: the ad at the slot's top (not flipped)" orange "$TMP"/post-s-2.ppm 410 20
check "post-pass screen: nothing under the slot (not flipped)" white "$TMP"/post-s-2.ppm 410 760
check "post-pass screen: between the two ads the page" white "$TMP"/post-s-2.ppm 300 400
form_of "$TMP/ps.pdf" 3 /PRAd0 >/dev/null 2>&1 && fail "post-pass: a page without ads has a form" || ok
qdf "$TMP/pp.pdf" >"$TMP/pp.qdf"
check "post-pass print: PDF/X-4" grep -aq '/GTS_PDFXVersion (PDF/X-4)' "$TMP/pp.qdf"

# ---- failures are clean ----
"$TOOL" place "$screen" "$TMP/x.pdf" "99:$TMP/full.pdf:1:0:0:612:792:1" 2>"$TMP/e1" && fail "no page 100" || ok
check "a page out of range is reported" grep -q 'has no page 100' "$TMP/e1"
"$TOOL" place "$screen" "$TMP/x.pdf" "1:$TMP/full.pdf:3:0:0:612:792:1" 2>"$TMP/e2" && fail "no ad page 3" || ok
check "an ad page out of range is reported" grep -q 'has no page 3 (it has 1)' "$TMP/e2"
"$TOOL" place "$screen" "$TMP/x.pdf" "1:/etc/hostname:1:0:0:612:792:1" 2>"$TMP/e3" && fail "not a PDF" || ok
check "not a PDF is reported" grep -q "ad '/etc/hostname'" "$TMP/e3"
"$TOOL" post print "$TMP/x.pdf" 1 "0:$TMP/missing.pdf:1:0:0:612:792:1" 2>"$TMP/e4" && fail "post: missing ad" || ok
check "post-pass: a missing ad is reported" grep -q "missing.pdf" "$TMP/e4"

finish

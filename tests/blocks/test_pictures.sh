#!/usr/bin/env bash
# test_pictures.sh - pictures placed without damage: a lead image's frame
# follows the photo (a portrait is not cropped: it takes whole columns and
# the text runs beside it; a panorama spans the page), `crop:` frames it
# to an aspect and `focus:` is the point the crop keeps, `credit:` is set
# under it; a figure takes {width=50% credit="..."} attributes. Page model
# (--dump=layout), pixels of the rendered page, the EPUB.
source "$(dirname "$0")/../lib.sh"
I="$TMP/issue"
mkdir -p "$I/articles" "$I/images"
python3 - "$I/images" <<'PY'
import struct, sys, zlib
def png(path, w, h, color):
    rows = b"".join(b"\x00" + b"".join(bytes(color(x, y)) for x in range(w)) for y in range(h))
    def ch(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    open(path, "wb").write(b"\x89PNG\r\n\x1a\n" + ch(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                           + ch(b"IDAT", zlib.compress(rows)) + ch(b"IEND", b""))
d = sys.argv[1]
# a portrait: red top third, green middle, blue bottom third
band = lambda x, y, h: (220, 30, 30) if y < h / 3 else (30, 180, 30) if y < 2 * h / 3 else (30, 30, 220)
png(d + "/portrait.png", 600, 800, lambda x, y: band(x, y, 800))
png(d + "/cropped.png", 600, 800, lambda x, y: band(x, y, 800))
png(d + "/panorama.png", 1800, 600, lambda x, y: (40, 120, 200))
png(d + "/figure.png", 800, 600, lambda x, y: (200, 160, 40))
PY
para="Workers on the night shift at the distribution center walked out just after midnight, and by morning the line was still. The managers came in at seven and found the loading docks empty and the trucks waiting in the yard."
body=$(for i in 1 2 3 4 5 6 7 8; do printf '%s %s\n\n' "$para" "$para"; done)
printf '%s\n\n![A yellow chart.](../images/figure.png "The figure caption."){width=50%% credit="Chart: Union Research"}\n\n%s\n' "$body" "$body" > "$I/articles/portrait.md"
printf '%s\n' "$body" > "$I/articles/panorama.md"
printf '%s\n' "$body" > "$I/articles/cropped.md"
printf '%s\n' "$body" > "$I/articles/centre.md"
cat > "$I/issue.yaml" <<'YAML'
title: Picture Desk
issue: July
date: 2025-07-01
articles:
  - file: articles/portrait.md
    title: A Portrait Lead
    image:
      file: images/portrait.png
      alt: Three bands of colour, red, green and blue.
      caption: The portrait as it was taken.
      credit: "Photo: Lee Park"
  - file: articles/panorama.md
    title: A Panorama Lead
    image: images/panorama.png
    alt: A blue panorama.
  - file: articles/cropped.md
    title: A Cropped Lead
    image: {file: images/cropped.png, alt: Bands of colour., crop: "16:9", focus: [0.5, 0.0], width: page}
  - file: articles/centre.md
    title: A Centred Crop
    image: {file: images/cropped.png, alt: Bands of colour., crop: "16:9", width: page}
YAML
"$PR" build "$I" -o "$TMP/o" --dump=layout >"$TMP/lay" 2>"$TMP/err"
check "builds" test $? -eq 0
"$PR" build "$I" -o "$TMP/o" --format pdf,epub --quiet 2>/dev/null
check "writes the PDF and the EPUB" test -s "$TMP/o/issue.pdf" -a -s "$TMP/o/issue.epub"

check "portrait lead: not cropped, whole columns, the text beside it, its credit under it" python3 - "$TMP/lay" <<'PY'
import re, sys
pages = re.split(r"^page ", open(sys.argv[1]).read(), flags=re.M)
p = [x for x in pages if re.search(r"line title .*\| A Portrait Lead", x)][0]
img = [l.split() for l in p.splitlines() if l.strip().startswith("image figure")][0]
x, y, w, h = map(float, img[2:6])
assert abs(w / h - 600 / 800) < 0.01, (w, h)
assert w < 522 - 1, w
bottom = y + h
beside = [l for l in p.splitlines() if l.strip().startswith("line body") and float(l.split()[2]) > x + w and float(l.split()[3]) < bottom]
assert beside, "no text beside the portrait"
credit = [l for l in p.splitlines() if l.strip().startswith("line credit")]
assert credit and "PHOTO: LEE PARK" in credit[0].upper(), credit
assert float(credit[0].split()[3]) > bottom
PY
check "panorama lead: the page's width, its own shape" python3 - "$TMP/lay" <<'PY'
import re, sys
pages = re.split(r"^page ", open(sys.argv[1]).read(), flags=re.M)
p = [x for x in pages if re.search(r"line title .*\| A Panorama Lead", x)][0]
img = [l.split() for l in p.splitlines() if l.strip().startswith("image figure")][0]
w, h = float(img[4]), float(img[5])
assert abs(w - 522) < 1 and abs(w / h - 3) < 0.01, (w, h)
PY
check "crop: 16:9 is the frame's shape" python3 - "$TMP/lay" <<'PY'
import re, sys
pages = re.split(r"^page ", open(sys.argv[1]).read(), flags=re.M)
p = [x for x in pages if re.search(r"line title .*\| A Cropped Lead", x)][0]
img = [l.split() for l in p.splitlines() if l.strip().startswith("image figure")][0]
w, h = float(img[4]), float(img[5])
assert abs(w / h - 16 / 9) < 0.01, (w, h)
PY
check "figure {width=50%}: half its column, centred, with its credit" python3 - "$TMP/lay" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
i = [k for k, l in enumerate(lines) if l.strip().startswith("image figure") and "figure.png" in l]
assert i, "no figure"
f = lines[i[0]].split()
w = float(f[4])
assert abs(w - 166 / 2) < 1, w
assert any("CHART: UNION RESEARCH" in l.upper() for l in lines[i[0]:i[0] + 4] if l.strip().startswith("line credit"))
PY
# focus: the crop keeps the top (red) where focus says [0.5, 0], the middle (green) by default
page_of() { awk -v t="| $1" '/^page /{n=$2} index($0, t) && /^  line title/{print n; exit}' "$TMP/lay"; }
centre_rgb() { # PAGE: the colour at the lead image's centre, rendered at 36 dpi
  local pg=$1
  python3 - "$TMP/lay" "$pg" "$TMP/o/issue.pdf" "$TMP/px$pg" <<'PY'
import re, subprocess, sys
lay, pg, pdf, out = sys.argv[1:]
page = re.split(r"^page ", open(lay).read(), flags=re.M)[int(pg)]
img = [l.split() for l in page.splitlines() if l.strip().startswith("image figure")][0]
x, y, w, h = map(float, img[2:6])
subprocess.run(["pdftoppm", "-r", "36", "-f", pg, "-l", pg, pdf, out], check=True)
import glob
data = open(glob.glob(out + "*.ppm")[0], "rb").read()
parts = data.split(b"\n", 3)
W, H = map(int, parts[1].split())
px = parts[3]
cx, cy = int((x + w / 2) / 2), int((y + h / 2) / 2)   # 36 dpi: 0.5 px per pt
r, g, b = px[3 * (cy * W + cx):3 * (cy * W + cx) + 3]
print("red" if r > 150 and g < 100 else "green" if g > 150 and r < 100 else "blue" if b > 150 and r < 100 else "?")
PY
}
check "focus [0.5, 0]: the crop keeps the top of the picture" test "$(centre_rgb "$(page_of 'A Cropped Lead')")" = red
check "no focus: the crop keeps the middle" test "$(centre_rgb "$(page_of 'A Centred Crop')")" = green

unzip -p "$TMP/o/issue.epub" 'EPUB/*portrait.xhtml' >"$TMP/p.xhtml"
check "EPUB: the credit in the figure's caption" grep -q 'The portrait as it was taken. <span class="credit">Photo: Lee Park</span>' "$TMP/p.xhtml"
check "EPUB: the figure's credit" grep -q '<span class="credit">Chart: Union Research</span>' "$TMP/p.xhtml"

# bad values said where they are written
cat > "$TMP/bad.yaml" <<'YAML'
title: T
issue: I
date: 2025-01-01
articles:
  - file: articles/portrait.md
    image: {file: images/portrait.png, alt: A., crop: wide, width: huge}
YAML
cp "$TMP/bad.yaml" "$I/issue.yaml"
"$PR" check "$I" 2>"$TMP/bad.err"
check "a bad crop: exit 1" test $? -eq 1
check "a bad crop: said at its place" grep -q "issue.yaml:6:55: error: 'crop: wide' is not understood; give an aspect W:H such as 16:9" "$TMP/bad.err"
check "a bad width: said at its place" grep -q "issue.yaml:6:68: error: 'width: huge' is not understood" "$TMP/bad.err"
finish

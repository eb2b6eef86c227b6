#!/usr/bin/env bash
# test_flatplan.sh - the page plan, end to end, on an issue with the mess of
# a real one (tests/flatplan/make-issue.py): where ads, blank pages and
# articles land; a letters department run on (start: continue); ad pages
# without running head or folio and in no navigation; the advertiser's
# PDF placed untouched in both PDFs and to the bleed in print; copyfit
# reports and stats; fillers and pull quotes the fitter placed; manifest
# errors with their positions.
source "$(dirname "$0")/../lib.sh"

I="$TMP/issue"
python3 tests/flatplan/make-issue.py "$I" || fail "make-issue.py"
check "the issue is there" test -f "$I/issue.yaml"

"$PR" build "$I" -o "$TMP/o" --dump=layout >"$TMP/lay" 2>"$TMP/err"
check "build exits 0 (warnings only)" test $? -eq 0
"$PR" build "$I" -o "$TMP/o" --stats=json >"$TMP/stats.json" 2>/dev/null
check "build --stats=json exits 0" test $? -eq 0
"$PR" build "$I" -o "$TMP/o" 2>"$TMP/build.err"
check "build of all three exits 0" test $? -eq 0
P="$TMP/o/issue.pdf" X="$TMP/o/issue-print.pdf"
check "screen PDF written" test -s "$P"
check "print PDF written" test -s "$X"

# pages, as the page model has them
check "page sequence: cover, inside front cover ad, contents, facing ad, feature, letters, blank, brief" \
  python3 - "$TMP/lay" <<'PY'
import re, sys
pages = {}
boxes = {}
cur = None
for l in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"page (\d+) folio=(\S+) article=(\S+)", l)
    if m:
        cur = int(m.group(1)); pages[cur] = m.group(3); boxes[cur] = []
    elif cur:
        boxes[cur].append(l)
def title_page(art):
    return [p for p, b in boxes.items() if any("dest=art-" + art + " " in x for x in b)]
ok = pages[2] == "ad" and any("ad=Acme Ink file=" in x for x in boxes[2])      # inside front cover
ok &= pages[3] == "-"                                                           # contents
feat = title_page("feature-heat")[0]
ok &= feat % 2 == 1 and pages[feat - 1] == "ad" and any("Acme Ink facing" in x for x in boxes[feat - 1])
# the letters: one department, every letter's title on the department's pages
let = title_page("letters")[0]
for k in (1, 2, 3):
    p = title_page("letter-%d" % k)
    ok &= len(p) == 1 and pages[p[0]] == "letters"
# the brief opens on a right-hand page: a blank page before it if need be
brief = title_page("brief")[0]
ok &= brief % 2 == 1
# an ad page: no running head, no folio
for p, kind in pages.items():
    if kind == "ad":
        ok &= not any(" running-head " in x or " folio " in x for x in boxes[p])
# the back cover is the advertiser's picture
last = max(pages)
ok &= pages[last] == "back-cover" and any("ad=Back Cover Co" in x for x in boxes[last])
# the third-page ad after the letters is on a letters page
ok &= any("ad=Union Credit" in x and pages[p] == "letters" for p in boxes for x in boxes[p])
# the half-page ad after the brief spans the columns at the foot of its page
half = [(p, x.split()) for p in boxes for x in boxes[p] if "ad=Half Measures" in x]
ok &= len(half) == 1 and pages[half[0][0]] == "brief"
if half:
    _, f = half[0]
    ok &= float(f[4]) > 500 and abs(float(f[3]) + float(f[5]) - (792 - 57.6)) < 2
# too-long is over its page: the fitter made its figure smaller, never
# cropped (narrower as it is shorter, centred in its column)
fig = [x.split() for p in boxes if pages[p] == "too-long" for x in boxes[p] if "diagram.png" in x]
ok &= len(fig) == 1
if fig:
    w, h = float(fig[0][4]), float(fig[0][5])
    ok &= w < 165 and abs(w / h - 900 / 600) < 0.02
if not ok:
    print(pages, fig)
sys.exit(0 if ok else 1)
PY

check "a blank page says why and how to fill it" \
  grep -q "is blank: Transit Drivers Ratify starts on a right-hand page; add an ad with 'at: any'" "$TMP/err"
check "over: the report names the article, lines, words and pages" \
  grep -Eq "too-long: over by [0-9]+ lines \(about [0-9]+ words\) on its 1 page; cut the copy, or give it 'pages: [0-9]+'" "$TMP/err"
check "copyfit warnings carry the position of pages:" grep -Eq "^[^:]*issue.yaml:[0-9]+:[0-9]+: warning: too-long: over" "$TMP/err"

check "stats: copyfit per article and page_fill per page" python3 - "$TMP/stats.json" "$TMP/lay" <<'PY'
import json, re, sys
j = json.load(open(sys.argv[1]))
arts = {a["id"]: a for a in j["articles"]}
tl = arts["too-long"]["copyfit"]
ok = tl["state"] == "over" and tl["allotted"] == 1 and tl["pages"] > 1 and tl["lines"] > 0 and tl["words"] > tl["lines"]
ok &= arts["brief"]["copyfit"]["state"] == "fit" and arts["brief"]["copyfit"]["allotted"] == 0
npages = len([l for l in open(sys.argv[2]) if l.startswith("page ")])
ok &= len(j["page_fill"]) == npages and all(0 <= f <= 1 for f in j["page_fill"])
kinds = [re.match(r"page \d+ folio=\S+ article=(\S+)", l).group(1) for l in open(sys.argv[2]) if l.startswith("page ")]
ok &= all(f == 1 for f, k in zip(j["page_fill"], kinds) if k == "ad")
ok &= all(f == 0 for f, k in zip(j["page_fill"], kinds) if k == "blank")
if not ok:
    print(json.dumps({k: v.get("copyfit") for k, v in arts.items()}), j["page_fill"])
sys.exit(0 if ok else 1)
PY

# the fitter's levers: pull-quote candidates and the house filler went in
pdftotext "$P" - | python3 -c 'import sys; t = sys.stdin.read(); print(" ".join(t.replace("\u00ad\n", "").replace("-\n", "").split()))' >"$TMP/text"
check "the feature's pull-quote candidates are set" grep -q 'Water and shade should not be a favour from a manager' "$TMP/text"
check "the house filler is set once" test "$(pdftotext "$P" - | grep -c 'Twelve issues a year')" -eq 1

# byline as given (not "By Interview by ..."), kicker and bio, in the PDF,
# the contents and the EPUB
check "byline printed as given" grep -qi "Interview by Jordan Lee" "$TMP/text"
check "no 'By Interview by'" bash -c "! grep -qi 'By Interview by' '$TMP/text'"
check "kicker and bio set" bash -c "grep -q 'Special report' '$TMP/text' && grep -q 'Jordan Lee is a nurse in Chicago' '$TMP/text'"
check "EPUB: byline, kicker and bio" bash -c "unzip -p '$TMP/o/issue.epub' 'EPUB/*feature-heat.xhtml' | grep -q 'class=\"kicker\">Special report' && unzip -p '$TMP/o/issue.epub' 'EPUB/*feature-heat.xhtml' | grep -q 'class=\"byline\">Interview by Jordan Lee' && unzip -p '$TMP/o/issue.epub' 'EPUB/*feature-heat.xhtml' | grep -q 'class=\"bio\">'"
check "EPUB metadata lists the author, not the byline" bash -c "unzip -p '$TMP/o/issue.epub' EPUB/package.opf | grep -q '>Jordan Lee</dc:creator>' && ! unzip -p '$TMP/o/issue.epub' EPUB/package.opf | grep -q 'Interview by'"

# navigation: ads are in no contents, outline or page label of their own
check "contents and outline lead to the articles' pages" python3 tests/tools/pdf_targets.py "$TMP/lay" "$P"
check "no outline entry names an ad" bash -c "! qpdf --json --json-key=outlines '$P' | grep -qi 'acme\|union credit\|back cover co'"

# the EPUB: the ad marked epub: true is an image page just before the
# feature it faces, in the reading order but in no navigation, its picture
# at most 2048 px; the others are not in the book
check "EPUB: the facing ad's page is in the spine before the feature, not in the nav" python3 - "$TMP/o/issue.epub" <<'PY'
import re, struct, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
opf = z.read("EPUB/package.opf").decode()
spine = re.findall(r'<itemref idref="([^"]+)"', opf)
items = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)"', opf))
ads = [i for i in spine if items[i].startswith("ad-")]
feat = [i for i in spine if "feature-heat" in items[i]]
ok = len(ads) == 1 and feat and spine.index(ads[0]) == spine.index(feat[0]) - 1
ok &= "ad-" not in z.read("EPUB/nav.xhtml").decode()
page = z.read("EPUB/" + items[ads[0]]).decode()
ok &= 'alt="Advertisement: Acme Ink facing"' in page
img = re.search(r'src="([^"]+)"', page).group(1)
d = z.read("EPUB/" + img); i = 2
while i < len(d):
    m, l = d[i + 1], struct.unpack(">H", d[i + 2:i + 4])[0]
    if m in (0xC0, 0xC2):
        h, w = struct.unpack(">HH", d[i + 5:i + 9]); ok &= max(w, h) <= 2048 and w > 500; break
    i += 2 + l
sys.exit(0 if ok else 1)
PY

# the advertiser's page, untouched, in both PDFs; the full page to the bleed
check "screen PDF passes qpdf --check" bash -c "qpdf --check '$P' >/dev/null"
check "print PDF passes qpdf --check" bash -c "qpdf --check '$X' >/dev/null"
check "the ad's text extracts from the screen PDF" bash -c "pdftotext -f 2 -l 2 '$P' - | grep -q 'Acme Ink'"
check "the ad's text extracts from the print PDF" bash -c "pdftotext -f 2 -l 2 '$X' - | grep -q 'Acme Ink'"
check "the half-page ad's text extracts" bash -c "pdftotext '$P' - | grep -q 'Half Measures'"
check "the ad's font is embedded" bash -c "pdffonts -f 2 -l 2 '$X' | awk 'NR>2 && \$(NF-4)!=\"yes\"{bad=1} END{exit bad}'"
python3 - "$I/ads/full.pdf" "$X" <<'PY' >"$TMP/stream.txt"
import json, subprocess, sys
def content(pdf, page, form=False):
    j = json.loads(subprocess.run(["qpdf", "--json", "--json-stream-data=inline", "--decode-level=none", pdf],
                                  capture_output=True, text=True).stdout)
    objs = j["qpdf"][1]
    def get(x):
        if isinstance(x, str) and x.endswith(" R"):
            return objs["obj:" + x]
        return x
    pg = get(j["pages"][page]["object"])
    pg = pg.get("value", pg.get("stream", {}).get("dict"))
    if not form:
        c = get(pg["/Contents"])
        return c["stream"]["data"]
    xo = get(pg["/Resources"]).get("value", get(pg["/Resources"]))["/XObject"]
    xo = get(xo).get("value", get(xo)) if isinstance(xo, str) else xo
    return [get(v)["stream"]["data"] for v in xo.values() if "/Subtype" in get(v)["stream"]["dict"]
            and get(v)["stream"]["dict"]["/Subtype"] == "/Form"]
ad = content(sys.argv[1], 0)
print("same" if ad in content(sys.argv[2], 1, True) else "different")
PY
check "the print PDF's inside front cover holds the advertiser's content stream byte for byte" grep -qx same "$TMP/stream.txt"
pdftoppm -r 20 -f 2 -l 2 "$X" "$TMP/ifc" 2>/dev/null
check "the full-page ad reaches the bleed in the print PDF" python3 - "$TMP"/ifc-*2.ppm "$X" <<'PY'
import subprocess, sys
# the corner just inside the bleed box (0.125 in = 9 pt beyond the trim)
out = subprocess.run(["pdfinfo", "-f", "2", "-l", "2", "-box", sys.argv[2]], capture_output=True, text=True).stdout
trim = [float(v) for l in out.splitlines() if l.startswith("Page    2 TrimBox") for v in l.split()[3:]]
ppm = open(sys.argv[1], "rb").read()          # binary PPM: P6, size, 255, pixels
parts = ppm.split(b"\n", 3)
w, h = map(int, parts[1].split())
px = parts[3]
def at(xpt, ypt):
    x = int(xpt * 20 / 72); y = h - 1 - int(ypt * 20 / 72)
    i = (y * w + x) * 3
    return px[i:i + 3]
x0, y0 = trim[0] - 5, trim[1] - 5          # 5 pt into the bleed, bottom left
r, g, b = at(x0, y0)
sys.exit(0 if r > 200 and g < 180 and b < 100 else 1)   # the ad's orange, not paper white
PY

# preflight of what advertisers send: a bad ad, a damaged file
cp -r "$I" "$TMP/pre"
python3 tests/ads/make-ad.py bad "$TMP/pre/ads/bad.pdf"
head -c 200 /dev/urandom > "$TMP/pre/ads/junk.pdf"
python3 - "$TMP/pre/issue.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read().replace("fillers:\n", "  - file: ads/bad.pdf\n    name: Bad Ad Co\n    size: third-vertical\n    at: any\n"
                           "  - file: ads/junk.pdf\n    name: Junk\n    at: any\nfillers:\n", 1)
open(p, "w").write(s)
PY
"$PR" check "$TMP/pre" 2>"$TMP/pre.err"
check "preflight: a damaged ad is an error (exit 1)" test $? -eq 1
check "preflight: the damaged file named" grep -q "error: the ad 'Junk' cannot be placed" "$TMP/pre.err"
check "preflight: a font not embedded" grep -q "the ad 'Bad Ad Co' uses the font Helvetica without embedding it" "$TMP/pre.err"
check "preflight: low resolution" grep -q "a picture in the ad 'Bad Ad Co' prints at 24 ppi" "$TMP/pre.err"
check "preflight: RGB in a CMYK print" grep -q "the ad 'Bad Ad Co' has RGB colour in a CMYK print" "$TMP/pre.err"
check "preflight: size against the slot, in inches" \
  grep -q "the ad 'Bad Ad Co' is 2.40 x 10.00 in, larger than its slot here (2.31 x 9.45 in" "$TMP/pre.err"
check "preflight: the good full-page ad passes" bash -c "! grep -q \"the ad 'Acme Ink'\" '$TMP/pre.err'"
check "a resolution warning is given once, for the size the fitter chose" \
  test "$(grep -c "image '.*lead.jpg' prints at" "$TMP/pre.err")" -eq 1

# articles without pages: (the benchmark's generated issue: text only, no
# pictures, candidates or fillers): no tail stranded on a page of its own,
# the pages full on average; the openers sunk, pull quotes taken from the
# text, each a whole sentence of its article
# (tests/tools/gen_corpus.py: a copy of the benchmark's generator)
python3 tests/tools/gen_corpus.py "$TMP/gen" --articles 16 >/dev/null
"$PR" build "$TMP/gen" -o "$TMP/gen/o" --format pdf --stats=json >"$TMP/gen.json" 2>"$TMP/gen.err"
check "generated issue: build exits 0" test $? -eq 0
"$PR" build "$TMP/gen" -o "$TMP/gen/o" --format pdf --dump=layout >"$TMP/gen.lay" 2>/dev/null
check "generated issue: no stranded tail, inside pages full on average" python3 - "$TMP/gen.json" "$TMP/gen.lay" <<'PY'
import json, re, sys
fill = json.load(open(sys.argv[1]))["page_fill"]
pages = re.findall(r"^page (\d+) .*?article=(\S+)", open(sys.argv[2]).read(), re.M)
arts = [fill[int(n) - 1] for n, a in pages if a not in ("-", "back-cover")]
low = [round(f, 2) for f in arts if f < 0.35]
mean = sum(arts) / len(arts)
print("article pages", len(arts), "mean fill %.3f" % mean, "under 0.35:", low, file=sys.stderr)
sys.exit(0 if arts and not low and mean >= 0.85 else 1)
PY
check "generated issue: pull quotes from the text are sentences of it" python3 - "$TMP/gen.lay" "$TMP/gen" <<'PY'
import glob, re, sys
lay = open(sys.argv[1]).read()
quotes, cur = [], []
for line in lay.splitlines():
    m = re.match(r"\s+line pullquote .*? \| (.*)", line)
    if m:
        cur.append(m.group(1))
    elif cur:
        quotes.append(" ".join(cur)); cur = []
text = " ".join(" ".join(open(f).read().split()) for f in glob.glob(sys.argv[2] + "/articles/*.md"))
text = re.sub(r"[*_]", "", text)
def norm(s):  # without quotes of either kind
    return re.sub(r"[\u201c\u201d\u2018\u2019\"']", "", s)
# a line ending in a hyphen the page added joins the next without it
bad = [q for q in quotes if norm(q) not in norm(text) and norm(q).replace("- ", "") not in norm(text)]
print(len(quotes), "pull quotes;", "not in the text:", bad[:3], file=sys.stderr)
sys.exit(0 if quotes and not bad else 1)
PY

# the masthead: a staff box at the foot of the contents page's outer
# column (beside the entries), its ISSN checked where it is written and
# made the cover's newsstand barcode
mkdir -p "$TMP/mast/articles"
printf 'Text of the one article, long enough to read.\n' > "$TMP/mast/articles/a.md"
cat > "$TMP/mast/issue.yaml" <<'EOF'
title: Union Monthly
issue: May
date: 2025-05-01
publisher: Union Press
number: 4
articles:
  - file: articles/a.md
    title: A
masthead:
  staff:
    - {role: Editor, names: [Ana Ruiz]}
    - {role: Design, names: [Lee Park, Sam Ortiz]}
  address: 12 Union Sq, Chicago, IL
  issn: 2049-3630
EOF
"$PR" build "$TMP/mast" -o "$TMP/mast/o" --format pdf --dump=layout >"$TMP/mast.lay" 2>"$TMP/mast.err"
check "masthead: builds" test $? -eq 0
check "masthead: the staff box on the contents page, in the outer column, at its foot" python3 - "$TMP/mast.lay" <<'PY'
import re, sys
lay = open(sys.argv[1]).read()
page = re.search(r"^page 2 .*?(?=^page 3 )", lay, re.S | re.M).group(0)
assert "| Contents" in page
staff = [l for l in page.splitlines() if l.strip().startswith("line staff")]
text = " ".join(l.split(" | ", 1)[1] for l in staff)
xs = [float(l.split()[2]) for l in staff]
ys = [float(l.split()[3]) for l in staff]
for want in ("Editor", "Ana Ruiz", "Lee Park", "Sam Ortiz", "Union Press", "12 Union Sq", "ISSN 2049-3630"):
    assert want.lower() in text.lower(), want
assert min(xs) > 300, xs            # the outer (third) column of the magazine's three
assert max(ys) > 792 - 100, ys       # down at the foot of the page
PY
# the newsstand barcode: a scanner reads the ISSN's EAN-13 and the issue's add-on
pdftoppm -r 300 -f 1 -l 1 -png "$TMP/mast/o/mast.pdf" "$TMP/mastcover"
zbarimg -q -Sean2.enable "$TMP"/mastcover-*1.png >"$TMP/scan.txt" 2>/dev/null
check "barcode: EAN-13 977 + ISSN + 00 + check digit scans from the cover" grep -qx 'EAN-13:9772049363002' "$TMP/scan.txt"
check "barcode: the issue number's add-on scans" grep -qx 'EAN-2:04' "$TMP/scan.txt"
"$PR" build "$TMP/mast" -o "$TMP/mast/o2" --format pdf --layout digest >/dev/null 2>&1
pdftoppm -r 300 -f 1 -l 1 -png "$TMP/mast/o2/mast.pdf" "$TMP/mastdigest"
check "barcode: none where the layout does not ask for it" bash -c "! zbarimg -q '$TMP'/mastdigest-*1.png >/dev/null 2>&1"
sed -i 's/issn: 2049-3630/issn: 2049-3631/; s/{role: Design, names: \[Lee Park, Sam Ortiz\]}/{role: Design}/' "$TMP/mast/issue.yaml"
"$PR" check "$TMP/mast" 2>"$TMP/mast.err"
check "masthead: a wrong ISSN check digit is an error (exit 1)" test $? -eq 1
check "masthead: the check digit named where it is written" \
  grep -q "issue.yaml:14:9: error: 'issn: 2049-3631' has the wrong check digit: the digits before it call for 0 (2049-3630)" "$TMP/mast.err"
check "masthead: a staff entry without names" grep -q "issue.yaml:12:7: error: a staff entry needs a role and at least one name" "$TMP/mast.err"

# the manifest's page plan, wrong: each error where it is written
mkdir -p "$TMP/bad/articles" "$TMP/bad/ads"
echo "Text." > "$TMP/bad/articles/a.md"
: > "$TMP/bad/ads/x.pdf"
cat > "$TMP/bad/issue.yaml" <<'EOF'
title: T
issue: I
date: 2025-01-01
articles:
  - file: articles/a.md
    title: A
    start: rigth
    pages: many
ads:
  - file: ads/x.pdf
    size: ful
    at: after b
  - file: ads/x.pdf
    at: page
EOF
"$PR" check "$TMP/bad" 2>"$TMP/bad.err"
check "bad plan: exit 1" test $? -eq 1
check "bad start: did you mean" grep -q "issue.yaml:7:12: error: 'start: rigth' is not known; did you mean 'right'?" "$TMP/bad.err"
check "bad pages: a number" grep -q "issue.yaml:8:12: error: 'pages: many' should be a whole number" "$TMP/bad.err"
check "bad size: did you mean" grep -q "issue.yaml:11:11: error: 'size: ful' is not known; did you mean 'full'?" "$TMP/bad.err"
check "unknown article for an ad" grep -q "issue.yaml:12:9: error: the ad 'x.pdf' is placed by article 'b', which is not in this issue" "$TMP/bad.err"
check "page without a number" grep -q "issue.yaml:14:9: error: 'at: page' needs a page number" "$TMP/bad.err"
finish

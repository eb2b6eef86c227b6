#!/usr/bin/env bash
# The screen PDF checked with real validators: qpdf --check, pdffonts (all
# embedded, only bundled faces), pdfinfo metadata, every source word in
# order in pdftotext's text, the TOC's numbers against the pages where the
# titles land, page labels equal to folios, outline entries, links.
source "$(dirname "$0")/../lib.sh"

bundled='Linux Libertine O|Linux Biolinum O|Amiri|DejaVu Sans|DejaVu Sans Mono|LinLibertine|LinBiolinum|LinuxLibertine|LinuxBiolinum|DejaVuSans|DejaVuSansMono|Amiri'

check_issue() { # dir
  local dir=$1 name out pdf
  name=$(basename "$dir")
  out="$TMP/$name"
  if ! "$PR" build "$dir" -o "$out" --format pdf --quiet 2>"$out.err"; then
    fail "$name: build failed: $(head -5 "$out.err")"; return
  fi
  pdf=$(ls "$out"/*.pdf | head -1)
  check "$name: qpdf --check" qpdf --check "$pdf" >/dev/null
  # fonts: every one embedded, every one bundled
  pdffonts "$pdf" | tail -n +3 > "$out/fonts.txt"
  check "$name: has fonts" test -s "$out/fonts.txt"
  check "$name: all fonts embedded" bash -c "! awk '{ if (\$(NF-4) != \"yes\") print }' '$out/fonts.txt' | grep -q ."
  check "$name: only bundled fonts" bash -c "! cut -d' ' -f1 '$out/fonts.txt' | sed 's/^[A-Z]*+//' | grep -vE '^($bundled)' | grep -q ."
  # metadata
  pdfinfo "$pdf" > "$out/info.txt"
  check "$name: title metadata" grep -qE "^Title: +.+ — .+" "$out/info.txt"
  check "$name: author metadata" grep -qE "^Author: +.+" "$out/info.txt"
  check "$name: creation date" grep -qE "^CreationDate: +.+" "$out/info.txt"
  # every source word in order
  pdftotext -raw -enc UTF-8 "$pdf" "$out/raw.txt"
  pdftotext -enc UTF-8 "$pdf" "$out/text.txt"
  local mds
  mds=$(python3 tests/tools/issue_articles.py "$dir")
  # shellcheck disable=SC2086
  check "$name: every source word in order" python3 tests/tools/words_in_order.py "$out/raw.txt" "$out/text.txt" $mds
  # TOC numbers: the page a TOC entry names holds the title
  "$PR" build "$dir" -o "$out" --format pdf --dump=layout --quiet > "$out/layout.txt" 2>"$out.lay.err" ||
    fail "$name: --dump=layout build failed: $(head -5 "$out.lay.err")"
  check "$name: TOC numbers match the pages the titles land on" python3 - "$out/layout.txt" "$pdf" <<'PY'
import re, subprocess, sys
lay = open(sys.argv[1], encoding="utf-8").read().splitlines()
pages = {}      # dest -> folio of the page holding it
toc = {}        # dest -> number printed in the TOC
folio = None
for l in lay:
    m = re.match(r"page (\d+) folio=(\S+)", l)
    if m:
        folio = m.group(2); continue
    m = re.search(r" dest=(art-\S+)", l)
    if m:
        pages[m.group(1)] = folio
    m = re.match(r"\s+line toc .* link=(art-\S+) \| (\d+)$", l)
    if m:
        toc[m.group(1)] = m.group(2)
ok = bool(toc) and all(toc[d] == pages.get(d) for d in toc)
if not ok:
    print("toc:", toc, "pages:", pages)
# and the PDF text of that page holds the title's first word
for d, n in toc.items():
    t = subprocess.run(["pdftotext", "-f", n, "-l", n, "-enc", "UTF-8", sys.argv[2], "-"],
                       capture_output=True, text=True).stdout
    title = [l for l in lay if f" dest={d} " in l + " "][0].split(" | ", 1)[1]
    if title.split()[0] not in t:
        print("page", n, "does not show", title); ok = False
sys.exit(0 if ok else 1)
PY
  # page labels = folios
  qpdf --json "$pdf" > "$out/qpdf.json" 2>/dev/null
  check "$name: page labels equal folios" python3 - "$out/qpdf.json" "$out/layout.txt" <<'PY'
import json, re, sys
j = json.load(open(sys.argv[1]))
labels = j.get("pagelabels", [])
lay = open(sys.argv[2]).read()
# the screen PDF leaves padding pages out; a page without a printed folio
# (the back cover) is labelled with its page number
folios = [f if f != "-" else None for f in re.findall(r"^page \d+ folio=(\S+).*?(?<! padding)$", lay, re.M)]
folios = [f if f else str(i + 1) for i, f in enumerate(folios)]
# qpdf lists label ranges: index + label dict (/S /D, /St start)
ok = len(labels) >= 1
got = []
for i in range(len(folios)):
    r = [x for x in labels if x["index"] <= i][-1]
    st = r["label"].get("/St", 1)
    pre = r["label"].get("/P", "")
    if pre.startswith("u:"): pre = pre[2:]
    got.append(pre + (str(st + i - r["index"]) if r["label"].get("/S") == "/D" else ""))
ok = ok and got == folios
if not ok: print("labels", got[:10], "folios", folios[:10])
sys.exit(0 if ok else 1)
PY
  check "$name: outline lists every article" python3 - "$out/qpdf.json" "$dir" <<'PY'
import json, re, sys, os, subprocess
j = json.load(open(sys.argv[1]))
def walk(o):
    for x in o:
        yield x
        yield from walk(x.get("kids", []))
titles = [x["title"] for x in walk(j.get("outlines", []))]
n = int(subprocess.run([sys.executable, "tests/tools/issue_articles.py", sys.argv[2], "--articles"],
                       capture_output=True, text=True).stdout)
arts = [t for t in titles]
ok = len(arts) >= n
if not ok: print("outline:", titles, "articles:", n)
sys.exit(0 if ok else 1)
PY
  # the contents are painted last and moved to their place: their links
  # and the outline still lead to the pages the articles start on
  check "$name: contents links and outline lead to the articles' pages" \
    python3 tests/tools/pdf_targets.py "$out/layout.txt" "$pdf"
}

for d in issues/2024-04-labor-notes tests/fixtures/*/; do
  d=${d%/}
  [ "$(basename "$d")" = broken ] && continue
  [ -f "$d/issue.yaml" ] || { fail "$d: no issue.yaml"; continue; }
  check_issue "$d"
done

# a layout without a cover: the contents are page 1 (painted last, moved
# first), and the EPUB's cover is that page
mkdir -p "$TMP/nocover"
cp -r issues/2024-04-labor-notes/. "$TMP/nocover/"
rm -rf "$TMP/nocover/out"
mkdir -p "$TMP/nocover/layouts"
printf 'show: {cover: false}\n' > "$TMP/nocover/layouts/nocover.yaml"
sed -i 's/^layout: .*/layout: nocover/' "$TMP/nocover/issue.yaml"
check_issue "$TMP/nocover"
"$PR" build "$TMP/nocover" -o "$TMP/nocover-out" --format pdf,epub --quiet 2>/dev/null; rc=$?
check "no cover: pdf,epub build exits 0" test $rc -eq 0
check "no cover: page 1 is the contents" bash -c "pdftotext -f 1 -l 1 '$TMP/nocover-out/2024-04-labor-notes.pdf' - | grep -q Contents"
check "no cover: the EPUB's cover is the contents page" bash -c \
  "unzip -l '$TMP/nocover-out/2024-04-labor-notes.epub' | grep -q 'EPUB/images/cover.jpg'"

# links: the sample has URI links and internal links
check "sample: has link annotations" grep -q '"/Subtype": "/Link"' "$TMP/2024-04-labor-notes/qpdf.json"

# the screen PDF pressrun writes itself (pdfwrite.c) reads as the one qpdf
# finishes (PRESSRUN_POSTPASS=qpdf): the same pages, text, page labels,
# links, outline and look; the print PDF is qpdf's either way, and so is
# a screen PDF with Arabic text (the sample's; pdfboxes.c). The generated
# messy issue of tests/flatplan has supplied PDF ads, full, half and third
# pages.
json_of() { # the pages' labels, links (page, rectangle, destination page, URI, description), outline
  qpdf --json=2 --json-key=qpdf --json-key=pages --json-key=pagelabels --json-key=outlines "$1" | python3 -c '
import json, sys
j = json.load(sys.stdin); objs = j["qpdf"][1]
pages = [p["object"] for p in j["pages"]]; at = {o: i for i, o in enumerate(pages)}
def val(v): return objs["obj:" + v]["value"] if isinstance(v, str) and v.endswith(" R") else v
out = [[l["label"] for l in j["pagelabels"]], [(o["title"], o["destpageposfrom1"]) for o in j["outlines"]]]
for i, o in enumerate(pages):
    for a in val(val(o).get("/Annots", [])):
        a = val(a); d = a.get("/Dest")
        out.append((i, a["/Rect"], at.get(d[0]) if d else None, (val(a.get("/A", {})) or {}).get("/URI"), a.get("/Contents")))
print(json.dumps(out))'
}
# (the sample's offprints: one has a line the text layer leaves to cairo,
# in cairo's own font; some have ads on their pages)
python3 tests/flatplan/make-issue.py "$TMP/messy" >/dev/null || fail "make-issue.py exited $?"
for case in tests/fixtures/images:pdf tests/fixtures/tables:pdf issues/2024-04-labor-notes:articles "$TMP/messy:pdf"; do
  src=${case%%:*} fmt=${case#*:} fx=$(basename "${case%%:*}")
  "$PR" build "$src" -o "$TMP/own-$fx" --format "$fmt,print" --quiet 2>/dev/null || fail "own $fx: build exited $?"
  PRESSRUN_POSTPASS=qpdf "$PR" build "$src" -o "$TMP/viaq-$fx" --format "$fmt,print" --quiet 2>/dev/null ||
    fail "via qpdf $fx: build exited $?"
  check "own writer, $fx: the print PDF is the same" cmp -s "$(ls "$TMP/own-$fx"/*-print.pdf)" "$(ls "$TMP/viaq-$fx"/*-print.pdf)"
  took=0
  for own in $(ls "$TMP/own-$fx"/*.pdf | grep -v -- -print.pdf); do
    viaq=$TMP/viaq-$fx/$(basename "$own") name=$fx/$(basename "$own")
    cmp -s "$own" "$viaq" || took=$((took + 1))
    check "own writer, $name: qpdf --check" qpdf --check "$own"
    check "own writer, $name: pdffonts: every font embedded" bash -c "pdffonts '$own' | awk 'NR > 2 && \$(NF-4) != \"yes\" { exit 1 }'"
    check "own writer, $name: same text" bash -c "cmp -s <(pdftotext '$own' -) <(pdftotext '$viaq' -)"
    check "own writer, $name: same labels, outline and links" \
      bash -c "cmp -s <($(declare -f json_of); json_of '$own') <($(declare -f json_of); json_of '$viaq')"
    rm -f "$TMP"/p-*.png "$TMP"/q-*.png
    pdftoppm -r 20 -png "$own" "$TMP/p" && pdftoppm -r 20 -png "$viaq" "$TMP/q"
    same_look=1
    for f in "$TMP"/p-*.png; do cmp -s "$f" "$TMP/q-${f##*/p-}" || same_look=0; done
    check "own writer, $name: every page looks the same" test "$same_look" = 1
  done
  check "own writer, $fx: not qpdf's bytes (the switch took)" test "$took" -gt 0
done

# reproducible: same input and SOURCE_DATE_EPOCH give the same bytes
"$PR" build tests/fixtures/noimages -o "$TMP/r1" --format pdf --quiet 2>/dev/null || fail "noimages: build r1 exited $?"
"$PR" build tests/fixtures/noimages -o "$TMP/r2" --format pdf --quiet 2>/dev/null || fail "noimages: build r2 exited $?"
check "reproducible PDF" cmp -s "$TMP"/r1/noimages.pdf "$TMP"/r2/noimages.pdf
finish

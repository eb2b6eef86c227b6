#!/usr/bin/env bash
# The editor's desk: watch (a scripted file change, with a hang guard),
# proof (the flatplan PNG's size and pixels), offprints (page counts and
# text), page PNGs, new (a folder that builds), the progress line on a
# terminal only, the man page against --help, and an installed pressrun
# working from any folder.
source "$(dirname "$0")/../lib.sh"
I=tests/cli/issue

# --- watch: first build, one rebuild after an edit, clean stop on SIGINT
W="$TMP/w"
cp -r "$I" "$W"
"$PR" watch "$W" --format pdf -o "$W/out" > "$TMP/watch.log" 2>&1 &
wpid=$!
wait_for() { # pattern seconds
  for _ in $(seq 1 $(( $2 * 10 ))); do grep -q "$1" "$TMP/watch.log" && return 0; sleep 0.1; done
  return 1
}
check "watch: first build" wait_for "first build: 4 pages" 60
before=$(md5sum < "$W/out/bulletin.pdf")
printf '\nA paragraph the editor added while watching.\n' >> "$W/articles/one.md"
check "watch: rebuild names what changed" wait_for "one.md changed: 4 pages" 60
check "watch: the PDF was rebuilt" test "$(md5sum < "$W/out/bulletin.pdf")" != "$before"
# the unchanged articles' paragraphs come from the last build, and the
# result is the same as a build from nothing
check "watch: the rebuild reuses the unchanged paragraphs" grep -qE "one.md changed: .*, [1-9][0-9]* of [0-9]+ paragraphs reused" "$TMP/watch.log"
"$PR" build "$W" --format pdf -o "$TMP/watchfresh" --quiet || fail "watch: fresh build exited $?"
check "watch: the rebuilt PDF is byte-identical to a fresh build" cmp -s "$W/out/bulletin.pdf" "$TMP/watchfresh/bulletin.pdf"
# a file no build reads (a log, notes) starts no rebuild: watch's own output
# written into the folder would otherwise rebuild for ever
echo "editor's notes" > "$W/notes.txt"
sleep 1
check "watch: a file no build reads starts no rebuild" bash -c "! grep -q 'notes.txt changed' '$TMP/watch.log'"
# a broken manifest: the rebuild fails, the last good PDF stays
good=$(md5sum < "$W/out/bulletin.pdf")
sed -i 's/^date: .*/date: 2024-02-31/' "$W/issue.yaml"
check "watch: a failed rebuild says so" wait_for "the last good outputs are kept" 60
check "watch: the diagnostics are printed" grep -q "issue.yaml:3:7: error" "$TMP/watch.log"
check "watch: the last good PDF is kept" test "$(md5sum < "$W/out/bulletin.pdf")" = "$good"
kill -INT $wpid
for _ in $(seq 1 100); do kill -0 $wpid 2>/dev/null || break; sleep 0.1; done
wait $wpid; rc=$?
check "watch: Ctrl-C stops it cleanly" test $rc -eq 0
check "watch: says it stopped" grep -q "stopped after 3 builds" "$TMP/watch.log"

# --- watch with every format: the screen PDF goes into place before the
# print PDF and the EPUB are done (screen_first), and all three are rebuilt
W2="$TMP/w2"
cp -r "$I" "$W2"
"$PR" watch "$W2" -o "$W2/out" > "$TMP/watch.log" 2>&1 &
wpid=$!
check "watch (all formats): first build" wait_for "first build: 4 pages" 60
sums() { md5sum "$W2/out/bulletin.pdf" "$W2/out/bulletin-print.pdf" "$W2/out/bulletin.epub" | cut -c1-32; }
before=$(sums)
printf '\nA paragraph the editor added while watching.\n' >> "$W2/articles/one.md"
check "watch (all formats): rebuilt" wait_for "one.md changed: 4 pages" 60
after=$(sums)
check "watch (all formats): each output is new" python3 -c "import sys; a, b = sys.argv[1].split(), sys.argv[2].split(); sys.exit(any(x == y for x, y in zip(a, b)) or len(a) != 3)" "$before" "$after"
"$PR" build "$W2" -o "$TMP/watchfresh2" --quiet || fail "watch (all formats): fresh build exited $?"
for f in bulletin.pdf bulletin-print.pdf; do
  check "watch (all formats): $f byte-identical to a fresh build" cmp -s "$W2/out/$f" "$TMP/watchfresh2/$f"
done
check "watch (all formats): no temporary file left" bash -c "! ls -A '$W2/out' | grep -q '^\.'"
kill -INT $wpid
for _ in $(seq 1 100); do kill -0 $wpid 2>/dev/null || break; sleep 0.1; done
wait $wpid

# --- watch keeps each paragraph's hyphenation between builds: exceptions
# added while it runs (hyphenation.txt) must set the text as a fresh build
W3="$TMP/w3"
cp -r "$I" "$W3"
long="the internationalization of telecommunications and the institutionalization of counterrevolutionaries in a"
printf '\n%s %s %s %s %s %s.\n' "$long" "$long" "$long" "$long" "$long" "$long" >> "$W3/articles/one.md"
"$PR" watch "$W3" --format pdf -o "$W3/out" > "$TMP/watch.log" 2>&1 &
wpid=$!
check "watch (exceptions): first build" wait_for "first build:" 60
cp "$W3/out/bulletin.pdf" "$TMP/w3-before.pdf"
printf 'internationalization institutionalization\ncounterrevolutionaries telecommunications\n' > "$W3/hyphenation.txt"
check "watch (exceptions): rebuilt" wait_for "hyphenation.txt changed" 60
"$PR" build "$W3" --format pdf -o "$TMP/watchfresh3" --quiet || fail "watch (exceptions): fresh build exited $?"
check "watch (exceptions): the words no longer break" bash -c "! cmp -s '$TMP/w3-before.pdf' '$TMP/watchfresh3/bulletin.pdf'"
check "watch (exceptions): byte-identical to a fresh build" cmp -s "$W3/out/bulletin.pdf" "$TMP/watchfresh3/bulletin.pdf"
kill -INT $wpid
for _ in $(seq 1 100); do kill -0 $wpid 2>/dev/null || break; sleep 0.1; done
wait $wpid

# --- proof: the flatplan
"$PR" proof issues/2024-04-labor-notes -o "$TMP/flat.png" --quiet; rc=$?
check "proof exits 0" test $rc -eq 0
check "proof: the flatplan shows pages as thumbnails in spreads" python3 - "$TMP/flat.png" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n"
w, h = struct.unpack(">II", d[16:24])
# 20 pages: cover alone + 9 spreads + back cover alone = 11 spreads, 4 a row
ok = w > 1200 and 600 < h < 2000
# decode (8-bit RGB / RGBA) to check that thumbnails hold ink
pos, raw = 8, b""
while pos < len(d):
    n = struct.unpack(">I", d[pos:pos + 4])[0]; t = d[pos + 4:pos + 8]
    if t == b"IDAT": raw += d[pos + 8:pos + 8 + n]
    pos += 12 + n
bpp = 4 if d[25] == 6 else 3
data = zlib.decompress(raw)
stride = w * bpp + 1
rows, prev = [], bytearray(stride - 1)
for y in range(h):
    f = data[y * stride]; line = bytearray(data[y * stride + 1:(y + 1) * stride])
    for i in range(len(line)):
        a = line[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line); prev = line
def px(x, y): r = rows[y]; return r[x * bpp:(x * bpp) + 3]
# the cover thumbnail (first spread, right half) is mostly dark red;
# the page left of it (nothing there) is background grey
cover = px(30 + 150 + 75, 30 + 60 + 100)
empty = px(30 + 75, 30 + 60 + 100)
ok = ok and cover[0] > cover[2] + 40 and abs(empty[0] - empty[2]) < 10 and empty[0] > 200
sys.exit(0 if ok else 1)
PY

# --- offprints and page PNGs
"$PR" build issues/2024-04-labor-notes --format articles,png --dpi 24 -o "$TMP/off" --quiet; rc=$?
check "articles,png exit 0" test $rc -eq 0
check "one offprint per article and the editorial" test "$(ls "$TMP"/off/2024-04-labor-notes-*.pdf | wc -l)" -eq 9
"$PR" build issues/2024-04-labor-notes --dump=layout --format pdf -o "$TMP/o" --quiet > "$TMP/lay" 2>/dev/null || fail "sample: --dump=layout build: pressrun exited $?"
pages=$(grep -c "^page .* article=trotsky" "$TMP/lay")
check "offprint has the article's pages" test "$(pdfinfo "$TMP/off/2024-04-labor-notes-trotsky.pdf" | sed -n 's/^Pages: *//p')" -eq "$pages"
check "offprint's Title and Author are the article's" bash -c "pdfinfo '$TMP/off/2024-04-labor-notes-trotsky.pdf' | grep -q '^Title: *A Journey Through the Life of Leon Trotsky' && pdfinfo '$TMP/off/2024-04-labor-notes-trotsky.pdf' | grep -q '^Author: *La Izquierda Diario'"
pdftotext "$TMP/off/2024-04-labor-notes-trotsky.pdf" "$TMP/off.txt"
# (the title's lines are balanced: read it across its line breaks)
check "offprint has its opener" bash -c "tr -s '\\n' ' ' < '$TMP/off.txt' | grep -q 'A Journey Through the Life of Leon Trotsky'"
check "offprint has the citation line" grep -q "From Left Voice, April 2024" "$TMP/off.txt"
check "offprint has no other article" bash -c "! grep -q 'Convulsive Interregnum' '$TMP/off.txt'"
check "offprint passes qpdf --check" bash -c "qpdf --check '$TMP/off/2024-04-labor-notes-trotsky.pdf' > /dev/null"
check "the screen PDF has no citation line" bash -c "! pdftotext '$TMP/o/2024-04-labor-notes.pdf' - 2>/dev/null | grep -q 'From Left Voice, April'"
check "one PNG per page" test "$(ls "$TMP"/off/*-p0*.png | wc -l)" -eq "$(grep -c '^page' "$TMP/lay")"
check "PNG size follows --dpi" bash -c "python3 -c \"import struct;d=open('$TMP/off/2024-04-labor-notes-p001.png','rb').read();w,h=struct.unpack('>II',d[16:24]);exit(0 if (w,h)==(204,264) else 1)\""

# --- new: a folder that builds, the issue after the sample
"$PR" new "$TMP/next" --from issues/2024-04-labor-notes > "$TMP/new.out"; rc=$?
check "new exits 0" test $rc -eq 0
check "new: next month, next number" bash -c "grep -q '^date: 2024-05-01' '$TMP/next/issue.yaml' && grep -q '^number: 5' '$TMP/next/issue.yaml'"
check "new: same masthead and layout" bash -c "grep -q '^title: \"Left Voice\"' '$TMP/next/issue.yaml' && grep -q '^layout: magazine' '$TMP/next/issue.yaml'"
check "new: the staff box kept" bash -c "grep -q '^masthead:' '$TMP/next/issue.yaml' && grep -q 'names: \\[\"Scott Cooper\"\\]' '$TMP/next/issue.yaml'"
check "new: a stub per section, with front matter" bash -c "[ \$(ls '$TMP'/next/articles/*.md | wc -l) -eq 3 ] && grep -q '^section: \"Labor\"' '$TMP'/next/articles/*.md"
"$PR" build "$TMP/next" -o "$TMP/next/out" --format pdf --quiet; rc=$?
check "new: the folder builds" test $rc -eq 0
"$PR" new "$TMP/next" 2>"$TMP/new.err"; rc=$?
check "new: refuses a folder that holds files" test $rc -eq 1
"$PR" new "$TMP/fresh" > /dev/null; rc=$?
check "new without --from builds too" bash -c "[ $rc -eq 0 ] && '$PR' build '$TMP/fresh' --format pdf --quiet -o '$TMP/fresh/out'"

# --- progress: never when stderr is not a terminal
"$PR" build issues/2024-04-labor-notes --format pdf -o "$TMP/p" 2>"$TMP/prog.err"; rc=$?
check "progress: build exits 0" test $rc -eq 0
check "no progress line when not a terminal" bash -c "! grep -q \$'\\r' '$TMP/prog.err'"

# --- the man page documents every option --help lists, and the reverse
"$PR" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u > "$TMP/help.opts"
sed 's/\\-/-/g' doc/pressrun.1 | grep -oE -- '--[a-z][a-z-]+' | sort -u > "$TMP/man.opts"
check "man page and --help list the same options" diff "$TMP/help.opts" "$TMP/man.opts"

# --- installed: works from any folder
BUILD=$(dirname "$PR")
if cmake --install "$BUILD" --prefix "$TMP/inst" > /dev/null 2>&1; then
  ok
  check "installed: man page" test -s "$TMP/inst/share/man/man1/pressrun.1"
  check "installed: bash completion" test -s "$TMP/inst/share/bash-completion/completions/pressrun"
  check "installed: layouts and fonts" test -s "$TMP/inst/share/pressrun/layouts/magazine.yaml"
  cp -r "$I" "$TMP/elsewhere"
  (cd / && env -u PRESSRUN_DATADIR "$TMP/inst/bin/pressrun" build "$TMP/elsewhere" --format pdf --quiet -o "$TMP/elsewhere/out"); rc=$?
  check "installed: build exits 0" test $rc -eq 0
  check "installed: builds from another folder" test -s "$TMP/elsewhere/out/bulletin.pdf"
else
  fail "cmake --install"
fi
finish

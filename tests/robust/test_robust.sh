#!/usr/bin/env bash
# Bad input never crashes and never costs a file: hostile YAML, deep
# Markdown, a 5000-character word, a megabyte paragraph, invalid UTF-8,
# paths leaving the issue folder, broken images, pipes, huge files,
# unwritable outputs, builds killed mid-write, reproducible output: exit
# status, message with position, no stray file. `timeout` is a hang guard.
source "$(dirname "$0")/../lib.sh"
I=tests/cli/issue
G=60 # hang guard, seconds

# mk NAME: a fresh copy of the small CLI issue in $TMP/NAME
mk() {
  rm -rf "$TMP/$1"
  cp -r "$I" "$TMP/$1"
}
# run OUTNAME pressrun-args...: runs with the hang guard; stderr in
# $TMP/OUTNAME.err, exit status in $rc
run() {
  local name=$1
  shift
  timeout $G "$PR" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
  rc=$?
}
# has OUTNAME ERE: stderr of that run matches
has() { grep -qE -- "$2" "$TMP/$1.err"; }
no_tmp() { ! ls -A "$1" 2>/dev/null | grep -q '\.tmp-'; }

# ---------- YAML: alias bomb, deep nesting, binary garbage ----------
mk bomb
cat > "$TMP/bomb/issue.yaml" <<'EOF'
title: T
issue: I
date: 2024-01-01
a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
j: &j [*i,*i,*i,*i,*i,*i,*i,*i,*i]
k: &k [*j,*j,*j,*j,*j,*j,*j,*j,*j]
l: &l [*k,*k,*k,*k,*k,*k,*k,*k,*k]
m: &m [*l,*l,*l,*l,*l,*l,*l,*l,*l]
articles:
  - file: articles/one.md
    title: One
EOF
run bomb check "$TMP/bomb"
check "alias bomb: finishes" test $rc -ne 124
check "alias bomb: exit 1" test $rc -eq 1
check "alias bomb: first alias refused at its position" has bomb "issue.yaml:5:8: error: alias '\*a' refused"
check "alias bomb: the rest counted in one line" has bomb "issue.yaml:16:32: error: [0-9]+ more aliases refused"
check "alias bomb: at most 101 alias lines" test "$(grep -c alias "$TMP/bomb.err")" -le 101

mk ydeep
python3 - "$TMP/ydeep/issue.yaml" <<'EOF'
import sys
open(sys.argv[1], "w").write("title: T\nissue: I\ndate: 2024-01-01\narticles:\n"
                             "  - file: articles/one.md\n    title: " + "[" * 100000 + "\n")
EOF
run ydeep check "$TMP/ydeep"
check "100k-deep YAML: exit 1" test $rc -eq 1
check "100k-deep YAML: limit reported at its position" has ydeep "issue.yaml:6:[0-9]+: error: YAML nested more than 64 levels"

mk garbage
python3 - "$TMP/garbage/issue.yaml" <<'EOF'
import random, sys
random.seed(5)
open(sys.argv[1], "wb").write(bytes(random.randrange(256) for _ in range(20000)))
EOF
run garbage check "$TMP/garbage"
check "random bytes as manifest: exit 1" test $rc -eq 1
check "random bytes as manifest: invalid UTF-8 named with its byte offset" has garbage "issue.yaml:[0-9]+:[0-9]+: error: invalid UTF-8 byte 0x[0-9A-F]{2} at byte offset [0-9]+"

# ---------- Markdown: 100k-deep quotes and lists ----------
mk quotes
python3 -c "print('> ' * 100000 + 'deep')" > "$TMP/quotes/articles/one.md"
run quotes build "$TMP/quotes" -o "$TMP/quotes/out"
check "100k-deep quotes: exit 1" test $rc -eq 1
check "100k-deep quotes: limit at file:line:col" has quotes "one.md:1:[0-9]+: error: quotes, lists or emphasis nested deeper than 32 levels"
check "100k-deep quotes: no output" test ! -e "$TMP/quotes/out/bulletin.pdf"

mk lists
python3 -c "print('- ' * 100000 + 'deep')" > "$TMP/lists/articles/one.md"
run lists check "$TMP/lists"
check "100k-deep bullet lists: exit 1" test $rc -eq 1
check "100k-deep bullet lists: limit at file:line:col" has lists "one.md:1:[0-9]+: error: quotes, lists or emphasis nested deeper"

mk emph
python3 -c "print('*' * 50000 + 'x' + '*' * 50000); print(); print('[' * 50000 + 'x' + ']' * 50000)" > "$TMP/emph/articles/one.md"
run emph check "$TMP/emph"
check "50k-deep emphasis and brackets: no crash" test $rc -eq 0 -o $rc -eq 1

# ---------- a word longer than the column, a megabyte paragraph ----------
mk word
word=$(python3 -c "print('abcdefghij' * 500)")
printf 'Before %s after.\n' "$word" > "$TMP/word/articles/one.md"
run word build "$TMP/word" -o "$TMP/word/out" --format pdf --dump=layout
check "5000-character word: exit 0" test $rc -eq 0
check "5000-character word: no overflowing line" bash -c "! grep -q 'wider than' '$TMP/word.err'"
check "5000-character word: broken over many lines" test "$(grep -c '| [a-j-]*$' "$TMP/word.out")" -ge 50
pdftotext "$TMP/word/out/bulletin.pdf" - 2>/dev/null | tr -d '\n -' > "$TMP/word.txt"
check "5000-character word: every letter printed" grep -q "$word" "$TMP/word.txt"

mk mega
python3 - "$TMP/mega/articles/one.md" <<'EOF'
import random, sys
random.seed(1)
words = "the committee met on Tuesday and agreed to publish a short report reading room members asked for longer opening hours better lamps".split()
out, n = [], 0
while n < 1000000:
    w = random.choice(words)
    out.append(w)
    n += len(w) + 1
open(sys.argv[1], "w").write(" ".join(out) + ".\n")
EOF
timeout 120 "$PR" build "$TMP/mega" -o "$TMP/mega/out" --format pdf --dump=layout \
  >"$TMP/mega.out" 2>"$TMP/mega.err"; rc=$?
check "1 MB paragraph: finishes" test $rc -ne 124
check "1 MB paragraph: exit 0" test $rc -eq 0
# 170,000 words at about seven a line (once, one Pango line of 3 million pt)
check "1 MB paragraph: set on 20,000 lines or more" test "$(grep -c '^  line body' "$TMP/mega.out")" -ge 20000
check "1 MB paragraph: no overflowing line" bash -c "! grep -q 'wider than' '$TMP/mega.err'"
check "1 MB paragraph: a valid PDF" bash -c "qpdf --check '$TMP/mega/out/bulletin.pdf' >/dev/null"
# the same opening with a 5000-letter word: the composer leaves it to Pango's
# breaker, whose one layout of the whole paragraph overflowed its widths and
# came out as a single line; it is now set in windows
mk megaword
{ python3 -c "print('a' * 5000, end=' ')"; cat "$TMP/mega/articles/one.md"; } > "$TMP/megaword/articles/one.md"
timeout 120 "$PR" check "$TMP/megaword" --stats=json >"$TMP/megaword.json" 2>"$TMP/megaword.err"; rc=$?
check "1 MB paragraph after a 5000-letter word: exit 0" test $rc -eq 0
check "1 MB paragraph after a 5000-letter word: 20,000 lines or more" python3 -c \
  'import json,sys; sys.exit(json.load(open(sys.argv[1]))["lines"] < 20000)' "$TMP/megaword.json"

# ---------- invalid UTF-8: manifest, front matter, body ----------
mk u1
printf 'title: The T\xffest\nissue: I\ndate: 2024-01-01\narticles:\n  - file: articles/one.md\n    title: X\n' > "$TMP/u1/issue.yaml"
run u1 check "$TMP/u1"
check "bad UTF-8 in the manifest: exit 1" test $rc -eq 1
check "bad UTF-8 in the manifest: line, column, byte" has u1 "issue.yaml:1:13: error: invalid UTF-8 byte 0xFF at byte offset 12"
mk u2
printf -- '---\ntitle: Caf\xc3 ok\n---\nBody text.\n' > "$TMP/u2/articles/one.md"
run u2 check "$TMP/u2"
check "bad UTF-8 in front matter: line, column, byte" has u2 "one.md:2:11: error: invalid UTF-8 byte 0xC3 at byte offset 14"
mk u3
printf 'Body text.\n\nA second paragraph with a bad \xe9 byte and another \xff.\n' > "$TMP/u3/articles/one.md"
run u3 build "$TMP/u3" -o "$TMP/u3/out"
check "bad UTF-8 in a body: exit 1" test $rc -eq 1
check "bad UTF-8 in a body: line, column, byte, count" has u3 "one.md:3:31: error: invalid UTF-8 byte 0xE9 at byte offset 42 \(and 1 more invalid byte after it\)"
check "bad UTF-8 in a body: no output" test ! -e "$TMP/u3/out"
mk u4
printf 'Text with a NUL\0byte.\n' > "$TMP/u4/articles/one.md"
run u4 check "$TMP/u4"
check "NUL byte in a body: named with its position" has u4 "one.md:1:16: error: NUL byte at byte offset 15"

# ---------- paths that leave the issue folder ----------
O=$TMP/outside
rm -rf "$O"
mkdir -p "$O/issue/articles"
cp "$I/articles/one.md" "$O/secret.md"
cp tests/fixtures/images/images/lead.jpg "$O/lead.jpg"
cp tests/fixtures/images/images/diagram.png "$O/issue/diagram.png"
cp layouts/digest.yaml "$O/digest.yaml"
ln -s ../../secret.md "$O/issue/articles/link.md"
cat > "$O/issue/issue.yaml" <<'EOF'
title: T
issue: I
date: 2024-01-01
layout: ../digest.yaml
cover:
  image: ../lead.jpg
editorial: ../secret.md
articles:
  - file: ../secret.md
    title: A
    image: ../lead.jpg
  - file: articles/one.md
    title: B
  - file: articles/../../secret.md
    title: C
  - file: articles/link.md
    title: D
EOF
printf -- '---\nimage: ../../lead.jpg\n---\nText ![alt](../../lead.jpg) and ![fine](../diagram.png)\n' > "$O/issue/articles/one.md"
run outside check "$O/issue"
check "'..' paths: exit 1" test $rc -eq 1
check "'..' layout path" has outside "issue.yaml:4:9: error: layout file '../digest.yaml' is outside the issue folder"
check "'..' cover image" has outside "issue.yaml:6:10: error: cover image '../lead.jpg' is outside the issue folder"
check "'..' editorial" has outside "issue.yaml:7:12: error: editorial file '../secret.md' is outside"
check "'..' article file" has outside "issue.yaml:9:11: error: article file '../secret.md' is outside"
check "'..' lead image in the manifest" has outside "issue.yaml:11:12: error: image '../lead.jpg' is outside"
check "'..' in the middle of a path" has outside "issue.yaml:14:11: error: article file 'articles/../../secret.md' is outside"
check "a symlink that leaves the folder" has outside "issue.yaml:16:11: error: article file 'articles/link.md' is outside"
check "'..' lead image in front matter" has outside "one.md:2:8: error: image '../../lead.jpg' is outside"
check "'..' image in Markdown" has outside "one.md:4:6: error: image '../../lead.jpg' is outside"
check "an image inside the folder is fine" bash -c "! grep -q \"'../diagram.png' is outside\" '$TMP/outside.err'"
run outside2 check "$O/issue" --allow-outside
check "--allow-outside allows them" bash -c "! grep -q 'outside the issue folder' '$TMP/outside2.err'"
mk laylink
mkdir -p "$TMP/laylink/layouts"
ln -s "$O/digest.yaml" "$TMP/laylink/layouts/evil.yaml"
sed -i 's/^slug: bulletin/slug: bulletin\nlayout: evil/' "$TMP/laylink/issue.yaml"
run laylink check "$TMP/laylink"
check "a layout by name, symlinked out of the folder" has laylink "issue.yaml:5:9: error: layout 'evil' .* is outside the issue folder"

# ---------- broken images: reported by check at the reference ----------
mk img
mkdir -p "$TMP/img/images"
python3 - "$TMP/img/images" <<'EOF'
import struct, sys, zlib
d = sys.argv[1]
def chunk(t, b):
    return struct.pack(">I", len(b)) + t + b + struct.pack(">I", zlib.crc32(t + b) & 0xffffffff)
def png(w, h, rows):
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
open(d + "/huge.png", "wb").write(png(100000, 100000, b"\0" * 10))
good = png(40, 30, b"".join(b"\0" + b"\x80" * 120 for _ in range(30)))
open(d + "/good.png", "wb").write(good)
open(d + "/short.png", "wb").write(png(40, 30, b"".join(b"\0" + b"\x80" * 120 for _ in range(10))))
open(d + "/cut.png", "wb").write(good[:60])
bad = bytearray(good); bad[45] ^= 1
open(d + "/crc.png", "wb").write(bytes(bad))
j = bytearray(open("tests/fixtures/images/images/lead.jpg", "rb").read())
open(d + "/cut.jpg", "wb").write(bytes(j[:3000]))
i = 2
while i < len(j):
    m, n = j[i + 1], j[i + 2] << 8 | j[i + 3]
    if m in (0xC0, 0xC1, 0xC2):
        j[i + 5:i + 9] = struct.pack(">HH", 60000, 60000)
        break
    i += 2 + n
open(d + "/huge.jpg", "wb").write(bytes(j))
open(d + "/text.jpg", "w").write("this is not a picture\n")
open(d + "/anim.jpg", "wb").write(b"GIF89a" + b"\0" * 20)
EOF
cat > "$TMP/img/issue.yaml" <<'EOF'
title: T
issue: I
date: 2024-01-01
slug: bulletin
layout: magasine
cover:
  image: images/huge.jpg
articles:
  - file: articles/one.md
    title: One
    image: images/cut.jpg
EOF
cat > "$TMP/img/articles/one.md" <<'EOF'
A paragraph of text.

![truncated](../images/cut.png)

![huge png](../images/huge.png)

![text](../images/text.jpg) and ![gif](../images/anim.jpg)

![short data](../images/short.png)

![damaged](../images/crc.png)

![sound](../images/good.png)
EOF
run img check "$TMP/img"
check "broken images: exit 1" test $rc -eq 1
check "broken images reported although the layout is wrong too" has img "issue.yaml:5:9: error: unknown layout"
check "cover: JPEG claiming 60000 x 60000" has img "issue.yaml:7:10: error: image '[^']*huge.jpg': the image is 60000 x 60000 pixels"
check "lead: truncated JPEG" has img "issue.yaml:11:12: error: image '[^']*cut.jpg': the file is cut short"
check "body: truncated PNG" has img "one.md:3:1: error: image '[^']*cut.png': the file is cut short"
check "body: PNG claiming 100000 x 100000" has img "one.md:5:1: error: image '[^']*huge.png': the image is 100000 x 100000 pixels"
check "body: a text file named .jpg" has img "one.md:7:1: error: image '[^']*text.jpg': not a picture pressrun reads; export it as PNG, JPEG, TIFF or WebP"
check "body: a GIF named .jpg" has img "one.md:7:[0-9]+: error: image '[^']*anim.jpg': a GIF file"
check "body: PNG with too little image data" has img "one.md:9:1: error: image '[^']*short.png': the image data is cut short"
check "body: PNG with a checksum error" has img "one.md:11:1: error: image '[^']*crc.png': the file is damaged \(a checksum error"
check "body: a sound PNG passes" bash -c "! grep -q good.png '$TMP/img.err'"
check "broken images: each reported once" test "$(grep -c ': error: image ' "$TMP/img.err")" -eq 8

# ---------- pipes, folders and huge files where text should be ----------
mk fifo
rm "$TMP/fifo/articles/one.md"
mkfifo "$TMP/fifo/articles/one.md"
run fifo check "$TMP/fifo"
check "a pipe as article: does not hang" test $rc -ne 124
check "a pipe as article: exit 1, named" has fifo "one.md' is a device or pipe, not a file"
mk huge
truncate -s 70M "$TMP/huge/articles/one.md"
run huge check "$TMP/huge"
check "a 70 MB article: refused, exit 1" test $rc -eq 1
check "a 70 MB article: the limit is named" has huge "issue.yaml:6:11: error: '[^']*one.md' is larger than 64 MB"

# ---------- outputs: unwritable, failed rebuild, killed build ----------
touch "$TMP/plainfile"
run unw build "$I" -o "$TMP/plainfile/out"
check "output folder under a regular file: exit 3" test $rc -eq 3
check "output folder under a regular file: path named" has unw "$TMP/plainfile/out"
mkdir -p "$TMP/isdir/bulletin.pdf"
run isdir build "$I" -o "$TMP/isdir" --format pdf
check "a folder under the output's name: exit 3" test $rc -eq 3
check "a folder under the output's name: path named" has isdir "cannot write '$TMP/isdir/bulletin.pdf'"
check "a folder under the output's name: no temporary file" no_tmp "$TMP/isdir"
# one format failing leaves every format as it was (all or none), with one
# thread and with several
for j in 1 2; do
  mkdir -p "$TMP/aon$j/bulletin-print.pdf"
  echo "last night's PDF" > "$TMP/aon$j/bulletin.pdf"
  run aon$j build "$I" -o "$TMP/aon$j" --jobs $j
  check "--jobs $j: print output blocked: exit 3, print named" bash -c "test $rc -eq 3 && grep -q \"bulletin-print.pdf\" '$TMP/aon$j.err'"
  check "--jobs $j: print output blocked: the screen PDF is last night's" grep -q "last night's PDF" "$TMP/aon$j/bulletin.pdf"
  check "--jobs $j: print output blocked: no EPUB written" test ! -e "$TMP/aon$j/bulletin.epub"
  check "--jobs $j: print output blocked: no temporary file" no_tmp "$TMP/aon$j"
done

mk keep
run keep1 build "$TMP/keep" -o "$TMP/keep/out" --format pdf
check "good build: exit 0" test $rc -eq 0
cp "$TMP/keep/out/bulletin.pdf" "$TMP/keep.pdf"
printf 'Now with \xff a bad byte.\n' > "$TMP/keep/articles/one.md"
run keep2 build "$TMP/keep" -o "$TMP/keep/out" --format pdf
check "failed rebuild: exit 1" test $rc -eq 1
check "failed rebuild: last good PDF untouched" cmp -s "$TMP/keep.pdf" "$TMP/keep/out/bulletin.pdf"
check "failed rebuild: no temporary file" no_tmp "$TMP/keep/out"

# a big issue, killed while its PDF is being written
rm -rf "$TMP/big"
mkdir -p "$TMP/big/articles" "$TMP/big/out"
python3 - "$TMP/big" <<'EOF'
import random, sys
random.seed(7)
d = sys.argv[1]
ws = "the committee met on Tuesday and agreed to publish a short report on the state of reading room members asked for longer opening hours".split()
m = ["title: Big", "issue: Many Pages", "date: 2024-01-01", "slug: big", "articles:"]
for a in range(24):
    paras = [" ".join(random.choice(ws) for _ in range(120)).capitalize() + "." for _ in range(40)]
    open(f"{d}/articles/a{a}.md", "w").write("\n\n".join(paras) + "\n")
    m.append(f"  - file: articles/a{a}.md\n    title: Article {a}")
open(f"{d}/issue.yaml", "w").write("\n".join(m) + "\n")
EOF
echo "last night's PDF" > "$TMP/big/out/big.pdf"
# kill_mid_write SIGNAL: start the build, wait for its temporary file, send
# the signal; sets rc and saw_tmp
kill_mid_write() {
  "$PR" build "$TMP/big" -o "$TMP/big/out" --format pdf --quiet 2>"$TMP/big-$1.err" &
  local pid=$! i
  saw_tmp=0
  for i in $(seq 1 $((G * 20))); do
    if ls -A "$TMP/big/out" | grep -q '\.tmp-'; then saw_tmp=1; break; fi
    kill -0 $pid 2>/dev/null || break
    sleep 0.05
  done
  kill -"$1" $pid 2>/dev/null
  { wait $pid; } 2>/dev/null
  rc=$?
}
kill_mid_write TERM
check "SIGTERM: the temporary file existed before the kill" test $saw_tmp -eq 1
check "SIGTERM: the build died of the signal" test $rc -eq 143
check "SIGTERM: no temporary file left" no_tmp "$TMP/big/out"
check "SIGTERM: last night's PDF untouched" grep -q "last night's PDF" "$TMP/big/out/big.pdf"
kill_mid_write HUP
check "SIGHUP: the temporary file existed before the kill" test $saw_tmp -eq 1
check "SIGHUP: the build died of the signal" test $rc -eq 129
check "SIGHUP: no temporary file left" no_tmp "$TMP/big/out"
# background jobs of a script ignore SIGINT unless job control is on
set -m
kill_mid_write INT
set +m
check "SIGINT: the temporary file existed before the kill" test $saw_tmp -eq 1
check "SIGINT: the build died of the signal" test $rc -eq 130
check "SIGINT: no temporary file left" no_tmp "$TMP/big/out"
check "SIGINT: last night's PDF untouched" grep -q "last night's PDF" "$TMP/big/out/big.pdf"

# ---------- reproducible output ----------
F=tests/fixtures/images
rm -rf "$TMP/r"
mkdir -p "$TMP/r/elsewhere/deeper"
cp -r "$F" "$TMP/r/elsewhere/deeper/copy"
"$PR" build "$F" -o "$TMP/r/a" --quiet 2>/dev/null || fail "reproducible: build a exited $?"
(cd "$TMP/r/elsewhere" && "$PR" build deeper/copy -o "$TMP/r/b" --quiet 2>/dev/null) || fail "reproducible: build b exited $?"
check "reproducible: outputs written" test -n "$(ls "$TMP/r/a")"
for f in "$TMP"/r/a/*; do
  check "reproducible: $(basename "$f") byte-identical from another folder" cmp -s "$f" "$TMP/r/b/$(basename "$f")"
done
SOURCE_DATE_EPOCH=1000000000 "$PR" build "$F" -o "$TMP/r/c" --format pdf --quiet 2>/dev/null || fail "SOURCE_DATE_EPOCH: build exited $?"
check "SOURCE_DATE_EPOCH sets the PDF date" bash -c "pdfinfo '$TMP'/r/c/*.pdf | grep -q 'CreationDate:.*2001'"
env -u SOURCE_DATE_EPOCH "$PR" build "$F" -o "$TMP/r/d" --quiet 2>/dev/null || fail "no SOURCE_DATE_EPOCH: build d exited $?"
sleep 1.1
env -u SOURCE_DATE_EPOCH "$PR" build "$F" -o "$TMP/r/e" --quiet 2>/dev/null || fail "no SOURCE_DATE_EPOCH: build e exited $?"
check "no SOURCE_DATE_EPOCH: outputs written" test -n "$(ls "$TMP/r/d")"
for f in "$TMP"/r/d/*; do
  check "no SOURCE_DATE_EPOCH: $(basename "$f") the same a second later" cmp -s "$f" "$TMP/r/e/$(basename "$f")"
done
mdate=$(sed -n 's/^date: //p' "$F/issue.yaml")
check "no SOURCE_DATE_EPOCH: the PDF date is the manifest's" \
  bash -c "pdfinfo -isodates '$TMP'/r/d/test-images.pdf | grep -q 'CreationDate: *$mdate'"
# ---------- threads: the same outputs and diagnostics for every --jobs
# (6: more threads than the font maps kept between builds) ----------
S=issues/2024-04-labor-notes
for j in 1 2 3 6; do
  "$PR" build "$S" -o "$TMP/j$j" --jobs $j --quiet 2>/dev/null || fail "--jobs $j: build exited $?"
  "$PR" build "$S" -o "$TMP/j$j" --dump=layout --jobs $j > "$TMP/j$j/layout.txt" 2>/dev/null ||
    fail "--jobs $j: --dump=layout build exited $?"
  # the fixtures' exit statuses (broken and lowres exit 1) are compared too
  for f in tests/fixtures/*/; do
    "$PR" check "$f" --jobs $j --allow-outside > /dev/null 2>> "$TMP/j$j/diags.txt"
    echo "$f: exit $?" >> "$TMP/j$j/diags.txt"
  done
done
for f in "$TMP"/j1/*; do
  for j in 2 3 6; do
    check "--jobs $j: $(basename "$f") byte-identical to --jobs 1" cmp -s "$f" "$TMP/j$j/$(basename "$f")"
  done
done
check "--jobs: fixtures have diagnostics to compare" test -s "$TMP/j1/diags.txt"
check "--jobs 0 is refused" bash -c "! '$PR' build '$S' -o '$TMP/j0' --jobs 0 2>/dev/null"
finish

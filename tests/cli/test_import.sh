#!/usr/bin/env bash
# test_import.sh - `pressrun import`: a contributor's Word file (made here
# with pandoc from Markdown: a heading, emphasis, a footnote, a table, a
# list and a picture, and the document's title and authors) becomes an
# article of the issue that builds and reads as written; its picture is
# extracted into the issue's images/; nothing is overwritten; without
# pandoc, one clear error; a .docx named as an article is an error that
# says to import it.
source "$(dirname "$0")/../lib.sh"

cd "$TMP"
python3 - <<'PY'
import struct, zlib
def png(w, h):
    raw = b"".join(b"\x00" + b"\x20\x60\xa0" * w for _ in range(h))
    def ch(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + ch(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + ch(b"IDAT", zlib.compress(raw)) + ch(b"IEND", b""))
open("chart.png", "wb").write(png(400, 300))
PY
cat > guest.md <<'MD'
---
title: "Guest Column: Heat, Water and Shade"
author: [Ana Ruiz, Lee Park]
---

# Why it matters

Workers in *hot* warehouses need **water** every hour of the shift.[^1]

| Site | Workers |
|---|--:|
| Memphis | 1200 |
| Gary | 800 |

- a cooler on every aisle
- shade at the loading docks

![A chart of heat complaints by month](chart.png)

The union asked for all of it in writing before the summer.

[^1]: The state's own rules say so.
MD
pandoc guest.md -o "Guest Column.docx" || fail "pandoc made no .docx"
"$PR" new issue >/dev/null 2>&1 || fail "pressrun new"

"$PR" import "Guest Column.docx" --to issue >out.txt 2>err.txt
check "import exits 0" test $? -eq 0
check "the article is written under articles/, named after the file" test -s issue/articles/guest-column.md
check "it says how to add it to the manifest" grep -q -- "- file: articles/guest-column.md" out.txt
check "front matter: the document's title" grep -qx 'title: "Guest Column: Heat, Water and Shade"' issue/articles/guest-column.md
check "front matter: its authors" grep -qx 'authors: \["Ana Ruiz", "Lee Park"\]' issue/articles/guest-column.md
check "the picture extracted into the issue's images/" bash -c "ls issue/images/guest-column/media/*.png >/dev/null 2>&1"
check "the picture linked from the article" grep -q '](../images/guest-column/media/' issue/articles/guest-column.md
check "the footnote kept" grep -q '^\[\^1\]: The state' issue/articles/guest-column.md
check "the table kept as a pipe table" grep -q '^| Memphis' issue/articles/guest-column.md
check "emphasis kept" grep -q '\*hot\*.*\*\*water\*\*' issue/articles/guest-column.md

printf '  - file: articles/guest-column.md\n' >> issue/issue.yaml
"$PR" build issue -o issue/out --format pdf,epub >build.txt 2>&1
check "the issue with the imported article builds" test $? -eq 0
pdftotext -raw -enc UTF-8 issue/out/*.pdf raw.txt
pdftotext -enc UTF-8 issue/out/*.pdf text.txt
sed -n '/^---$/,/^---$/!p' guest.md | sed 's/!\[[^]]*\]([^)]*)//' > body.md
check "the imported text reads as written, in order" python3 "$ROOT/tests/tools/words_in_order.py" raw.txt text.txt body.md

"$PR" import "Guest Column.docx" --to issue 2>again.txt
check "a second import overwrites nothing (exit 1)" test $? -eq 1
check "... and says so" grep -q "exists; remove it first" again.txt

mkdir nopandoc && ln -s "$(command -v python3)" nopandoc/python3
cp "Guest Column.docx" other.docx
PATH="$TMP/nopandoc" "$PR" import other.docx --to issue 2>nop.txt
check "without pandoc: exit 1" test $? -eq 1
check "without pandoc: nothing written" test ! -e issue/articles/other.md
check "without pandoc: one clear error" grep -q "import needs pandoc, the document converter, and it is not installed; install it" nop.txt
"$PR" import guest.md --to issue 2>md.txt
check "a Markdown file is not imported (usage)" test $? -eq 2
"$PR" import "Guest Column.docx" --to nowhere 2>nowhere.txt
check "--to a folder that is no issue: exit 1, said" bash -c "grep -q \"'nowhere' is not an issue\" nowhere.txt"

cp -r issue docx && cp "Guest Column.docx" docx/articles/guest.docx
printf '  - file: articles/guest.docx\n    title: Guest\n' >> docx/issue.yaml
"$PR" check docx 2>docx.txt
check "a .docx named as an article: exit 1" test $? -eq 1
check "a .docx named as an article: says to import it, where it is named" \
  grep -qE "issue.yaml:[0-9]+:11: error: '.*guest.docx' is a docx file, and an article is Markdown; make it one with 'pressrun import" docx.txt
finish

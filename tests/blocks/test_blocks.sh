#!/usr/bin/env bash
# test_blocks.sh - the blocks a magazine sets beyond paragraphs: sidebars
# (`::: sidebar Title`, pandoc's `::: {.sidebar}`) boxed and kept together,
# verse (`::: verse`, `kind: poem`) with its line and stanza breaks, and a
# fenced div pressrun does not know said, never dropped. Page model
# (--dump=layout), pdftotext and the EPUB.
source "$(dirname "$0")/../lib.sh"

I="$TMP/issue"
mkdir -p "$I/articles"
cat > "$I/issue.yaml" <<'YAML'
title: Verse Review
issue: June
date: 2025-06-01
articles:
  - file: articles/feature.md
    title: The Night Shift
    authors: [Ana Ruiz]
  - file: articles/poem.md
    title: Picket Line at Dawn
    authors: [Sam Ortiz]
    kind: poem
  - file: articles/letters.md
    title: Letters
    byline: From our readers
    kind: department
YAML
cat > "$I/articles/letters.md" <<'MD'
## Heat on the line

Your report on the warehouse heat rules was the first time I saw my own job described as it is. We drink water from a cooler that is empty by ten.

--- Dana Price, Memphis

## Thanks from the night shift

Keep printing the schedules of the meetings. Half of us only find out about them from the magazine.

--- A reader in Gary, Indiana
MD
cat > "$I/articles/poem.md" <<'MD'
The frost is on the fences and the coffee's in the cans,
we stamp our feet and count the cars and warm our frozen hands;
the foreman's window is dark tonight, the gate is chained and still,
and every truck that turns around is one more that we won.

Nobody told us it would last,
nobody said it would be easy,
but the line holds.
MD
python3 - "$I/articles/feature.md" <<'PY'
import sys
para = ("The night shift at the plant walked out a little after midnight, and by the time the "
        "managers arrived in the morning the line had been still for hours. ") * 3
body = [para] * 4
body.append("::: sidebar What the contract says\nThe contract gives every worker on nights a premium "
            "of two dollars an hour.\n\n- Breaks every four hours\n- A paid meal\n:::")
body += [para] * 3
body.append("::: verse\nSolidarity forever,\nfor the union makes us strong.\n\n"
            "When the union's inspiration\nthrough the workers' blood shall run.\n:::")
body += [para] * 3
body.append("::: {.sidebar} Pandoc's way\nA sidebar written as pandoc writes one.\n:::")
body.append("::: {.note}\nA div of a class pressrun does not set.\n:::")
open(sys.argv[1], "w").write("\n\n".join(body) + "\n")
PY

"$PR" check "$I" 2>"$TMP/check.err"
check "check exits 0 (warnings only)" test $? -eq 0
line=$(grep -n '^::: {.note}' "$I/articles/feature.md" | cut -d: -f1)
check "an unknown div is a warning at its line" \
  grep -q "feature.md:$line:1: warning: pressrun does not set a '::: note' block; its text is set as the paragraphs around it" "$TMP/check.err"
check "only that one warning" test "$(grep -c ': warning: ' "$TMP/check.err")" -eq 1
"$PR" build "$I" -o "$TMP/o" --dump=layout >"$TMP/lay" 2>/dev/null
check "build exits 0" test $? -eq 0
"$PR" build "$I" -o "$TMP/o" 2>/dev/null
check "build writes the PDF and the EPUB" test -s "$TMP/o/issue.pdf" -a -s "$TMP/o/issue.epub"

check "sidebars: boxed (a tint), kept in one column, their text inside the box" python3 - "$TMP/lay" <<'PY'
import re, sys
pages = re.split(r"^page ", open(sys.argv[1]).read(), flags=re.M)
found = 0
for p in pages:
    lines = p.splitlines()
    rects = [tuple(map(float, l.split()[2:6])) for l in lines if l.strip().startswith("rect decor")]
    box = [l for l in lines if l.strip().startswith("line box")]
    if not box:
        continue
    for l in box:
        f = l.split()
        x, y, w = float(f[2]), float(f[3]), float(f[4])
        inside = [r for r in rects if r[0] <= x and x + w <= r[0] + r[2] + 0.5 and r[1] <= y <= r[1] + r[3]]
        assert inside, "a sidebar line outside every box: " + l
        assert inside[0][2] < 200, "the box is wider than a column: %r" % (inside[0],)
    text = " ".join(l.split(" | ", 1)[1] for l in box)
    found += ("What the contract says" in text) + ("Pandoc" in text)
    assert "The contract gives every worker" in text or "Pandoc" in text
assert found == 2, found
PY
check "sidebar: its list items marked" grep -q "line box .* | Breaks every four hours" "$TMP/lay"

check "verse: one line of verse per line, stanzas a blank line apart, not justified" python3 - "$TMP/lay" <<'PY'
import sys
lines = [l.split() for l in open(sys.argv[1]) if l.strip().startswith("line verse")]
text = [" ".join(l[l.index("|") + 1:]) for l in lines]
i = text.index("Solidarity forever,")
assert text[i + 1] == "for the union makes us strong.", text[i:i + 4]
assert text[i + 2] == "When the union’s inspiration", text[i:i + 4]
y = [float(l[3]) for l in lines]
assert y[i + 2] - y[i + 1] >= 2 * (y[i + 1] - y[i]) - 0.5, "no stanza break (or split across columns)"
assert len({l[2] for l in lines[i:i + 4]}) == 1, "a short poem split across columns"
PY
check "poem: its own column across the page, no drop cap, every line as written" python3 - "$TMP/lay" <<'PY'
import re, sys
lay = open(sys.argv[1]).read()
page = [p for p in re.split(r"^page ", lay, flags=re.M) if re.search(r"line title .*\| Picket Line at Dawn", p)][0]
assert "dropcap" not in page
verse = [l.split(" | ", 1)[1] for l in page.splitlines() if l.strip().startswith("line verse")]
assert verse[0] == "The frost is on the fences and the coffee’s in the cans,", verse[:2]
assert verse[3] == "and every truck that turns around is one more that we won.", verse[:5]
assert verse[-1] == "but the line holds.", verse
PY
pdftotext -layout "$TMP/o/issue.pdf" "$TMP/text"
check "pdftotext: the poem's lines read one per line" bash -c "grep -q 'we stamp our feet and count the cars and warm our frozen hands;\$' '$TMP/text'"

check "department: no drop cap, items apart, signatures flush right in the byline's letters" python3 - "$TMP/lay" <<'PY'
import re, sys
lay = open(sys.argv[1]).read()
page = [p for p in re.split(r"^page ", lay, flags=re.M) if re.search(r"line title .*\| Letters", p)][0]
assert "dropcap" not in page
sig = [l.split() for l in page.splitlines() if l.strip().startswith("line byline") and "DANA PRICE" in l.upper()]
assert sig, "no signature line"
heads = [l for l in page.splitlines() if l.strip().startswith("line heading")]
assert any("Heat on the line" in l for l in heads) and any("Thanks from the night shift" in l for l in heads)
assert len([l for l in page.splitlines() if l.strip().startswith("rule decor")]) >= 2
PY
check "department: the signature ends at the column's right edge" python3 - "$TMP/o/issue.pdf" <<'PY'
import re, subprocess, sys
html = subprocess.run(["pdftotext", "-bbox", sys.argv[1], "-"], capture_output=True, text=True).stdout
words = [(float(m[0]), float(m[2]), m[4]) for m in re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', html)]
memphis = [w for w in words if w[2].upper() == "MEMPHIS"]
ends = [w[1] for w in words if w[2] in ("cooler", "ten.")]
assert memphis and ends, (memphis, ends)
assert memphis[0][1] >= max(ends) - 1, (memphis, ends)
PY
printf 'department-headings: run-in\n' >"$TMP/runin.yaml"
"$PR" build "$I" -o "$TMP/o2" --layout "$TMP/runin.yaml" --dump=layout >"$TMP/lay2" 2>/dev/null
check "department: run-in headings start their item's first paragraph" grep -q "line body .* | Heat on the line.Your report" "$TMP/lay2"
check "department: run-in, no heading lines" bash -c "! grep -q 'line heading .* | Heat on the line' '$TMP/lay2'"

E="$TMP/o/issue.epub"
unzip -p "$E" 'EPUB/*feature.xhtml' >"$TMP/feature.xhtml"
unzip -p "$E" 'EPUB/*poem.xhtml' >"$TMP/poem.xhtml"
check "EPUB: a sidebar is an aside with its title" grep -q '<aside class="sidebar"><p class="sidebar-title">What the contract says</p>' <(tr -d '\n' <"$TMP/feature.xhtml")
check "EPUB: verse in stanzas, lines ending in breaks" grep -q '<p class="stanza">Solidarity forever,<br/>' "$TMP/feature.xhtml"
check "EPUB: the poem is verse" grep -q '<div class="verse">' "$TMP/poem.xhtml"
unzip -p "$E" 'EPUB/*letters.xhtml' >"$TMP/letters.xhtml"
check "EPUB: a signature is marked" grep -q '<p class="signature">— Dana Price, Memphis</p>' "$TMP/letters.xhtml"
check "EPUB: the unknown div's text is kept" grep -q 'A div of a class pressrun does not set.' "$TMP/feature.xhtml"
if command -v epubcheck >/dev/null || [ -f /usr/bin/epubcheck ]; then
  java -jar /usr/bin/epubcheck "$E" >"$TMP/epubcheck.txt" 2>&1
  check "EPUB: epubcheck finds no errors or warnings" grep -q 'No errors or warnings detected' "$TMP/epubcheck.txt"
fi
finish

#!/usr/bin/env bash
# Bugs that were fixed, each a check named after what broke.
source "$(dirname "$0")/../lib.sh"

# A ligature across a soft hyphen (lit-tle, of-fice) made Pango measure the
# line with the ligature and set it without: lines 1.1 pt wider than the
# column. The bug was in Pango's breaker (composer: greedy); the total-fit
# composer breaks the same words, so both are checked. Each run must succeed
# and must still break a line inside a ligature (ff, fi, fl): a fixture that
# no longer does so tests nothing.
LIG=tests/layout/ligatures
sed 's/^composer:.*/composer: greedy/' layouts/magazine.yaml > "$TMP/greedy.yaml"
for L in magazine "$TMP/greedy.yaml"; do
  c=total-fit
  [ "$L" = magazine ] || c=greedy
  check "ligatures ($c): the fixture is there" test -s "$LIG/issue.yaml"
  "$PR" check "$LIG" --layout "$L" --stats=json >"$TMP/lig-$c.json" 2>"$TMP/lig-$c"; rc=$?
  check "ligatures ($c): check exits 0" test $rc -eq 0
  check "ligatures ($c): set by that composer" python3 - "$TMP/lig-$c.json" "$c" <<'PY'
import json, sys
try:
    sys.exit(json.load(open(sys.argv[1]))["composer"] != sys.argv[2])
except (OSError, ValueError):
    sys.exit(1)
PY
  check "ligatures ($c): no line wider than its column at a ligature break" \
    bash -c "! grep -q 'wider than its' '$TMP/lig-$c'"
  "$PR" build "$LIG" --layout "$L" --format pdf --dump=layout -o "$TMP/lig-$c.out" --quiet \
    >"$TMP/lig-$c.lay" 2>/dev/null; rc=$?
  check "ligatures ($c): build exits 0" test $rc -eq 0
  check "ligatures ($c): a line breaks inside a ligature" python3 - "$TMP/lig-$c.lay" <<'PY'
import re, sys
body = [l.split(" | ", 1)[1].rstrip("\n") for l in open(sys.argv[1]) if l.startswith("  line body ")]
hits = [a + " / " + b for a, b in zip(body, body[1:]) if re.search(r"f-$", a) and re.match(r"[fil]", b)]
sys.exit(0 if hits else 1)
PY
done

# Pages were kept as pointers into the page array while pages were added:
# an article's first page came out empty when the array moved.
"$PR" build issues/2024-04-labor-notes --dump=layout -o "$TMP/o" --quiet > "$TMP/lay" 2>/dev/null; rc=$?
check "sample: build exits 0" test $rc -eq 0
check "every article's title lands in the page model" \
  test "$(grep -c ' dest=art-' "$TMP/lay")" -eq 9

# A running head too long for the measure was cut at 60 bytes: mid-word,
# possibly mid-character. It is now cut after a whole word, with an ellipsis.
"$PR" build issues/2024-04-labor-notes --layout digest --dump=layout -o "$TMP/o" --quiet > "$TMP/dg" 2>/dev/null; rc=$?
check "sample in digest: build exits 0" test $rc -eq 0
check "long running heads are cut after a whole word" python3 - "$TMP/dg" <<'PY'
import sys
heads = {l.split(" | ", 1)[1].rstrip("\n") for l in open(sys.argv[1]) if " running-head " in l}
cut = [h for h in heads if h.endswith("\u2026")]
titles = open("issues/2024-04-labor-notes/issue.yaml").read().upper()
ok = len(cut) >= 3 and all((h[:-1] + " ") in titles or (h[:-1] + ",") in titles for h in cut)
if not ok:
    print(cut)
sys.exit(0 if ok else 1)
PY

# (A heading whose ascent differed slightly from the body's lost a grid
# line: tests/unit/test_flow.c, "heading_ascent_lost_a_grid_line".)
# a first paragraph shorter than the drop cap: the next one starts below
# the cap, never beside or over it
mkdir -p "$TMP/dc/articles"
printf 'title: D\nissue: I\ndate: 2025-01-01\narticles:\n  - {file: articles/a.md, title: Drop}\n' > "$TMP/dc/issue.yaml"
printf 'One line of text.\n\nThe second paragraph must not run into the drop cap of the first one at all, whatever happens on the page.\n' > "$TMP/dc/articles/a.md"
"$PR" build "$TMP/dc" -o "$TMP/dc/o" --layout digest --dump=layout >"$TMP/dc.lay" 2>/dev/null
check "a one-line first paragraph: the next starts under the drop cap" python3 - "$TMP/dc.lay" <<'PY'
import sys
ls = [l.split() for l in open(sys.argv[1]) if l.strip().startswith(("line dropcap", "line body"))]
cap = [l for l in ls if l[1] == "dropcap"][0]
body = [l for l in ls if l[1] == "body"]
second = [l for l in body if l[-1] != "text." and "second" in " ".join(l)][0]
cap_bottom = float(cap[3])          # the cap's baseline: its third line's
assert float(second[3]) > cap_bottom + 1, (second, cap)
PY

# An Arabic article in three columns began in the left column and read on
# to the right, as English does: its first line is in the rightmost column
# now, and the columns go on to the left.
"$PR" build tests/fixtures/arabic --layout magazine --format pdf -o "$TMP/rtl" --dump=layout --quiet \
  >"$TMP/rtl.lay" 2>/dev/null
check "right-to-left columns: the article starts in the right column, goes on to the left" python3 - "$TMP/rtl.lay" <<'PY'
import sys
xs = [float(l.split()[2]) for l in open(sys.argv[1], encoding="utf-8") if l.strip().startswith("line body")]
# the body's first line on the right half of the page, and a later column further left
sys.exit(0 if xs and xs[0] > 300 and min(xs) < 200 and xs.index(min(xs)) > 0 else 1)
PY

finish

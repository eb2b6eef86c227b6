#!/usr/bin/env bash
# Bugs that were fixed, each a check named after what broke.
source "$(dirname "$0")/../lib.sh"

# A ligature across a soft hyphen (lit-tle, of-fice) made Pango measure the
# line with the ligature and set it without: lines 1.1 pt wider than the column.
"$PR" check tests/layout/ligatures 2>"$TMP/lig"
check "no line wider than its column at a ligature break" bash -c "! grep -q 'wider than its' '$TMP/lig'"

# Pages were kept as pointers into the page array while pages were added:
# an article's first page came out empty when the array moved.
"$PR" build issues/2024-04-labor-notes --dump=layout -o "$TMP/o" --quiet > "$TMP/lay" 2>/dev/null
check "every article's title lands in the page model" \
  test "$(grep -c ' dest=art-' "$TMP/lay")" -eq 9

# A running head too long for the measure was cut at 60 bytes: mid-word,
# possibly mid-character. It is now cut after a whole word, with an ellipsis.
"$PR" build issues/2024-04-labor-notes --layout digest --dump=layout -o "$TMP/o" --quiet > "$TMP/dg" 2>/dev/null
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
finish

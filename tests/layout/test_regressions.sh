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

# (A heading whose ascent differed slightly from the body's lost a grid
# line: tests/unit/test_flow.c, "heading_ascent_lost_a_grid_line".)
finish

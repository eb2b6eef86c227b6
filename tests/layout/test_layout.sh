#!/usr/bin/env bash
# Layout decisions read from the page model (--dump=layout): rules every
# page must keep (tests/tools/layout_rules.py) on the sample and fixtures in
# their layouts, and golden dumps of two small fixtures (UPDATE=1 rewrites
# them; read the diff before committing).
source "$(dirname "$0")/../lib.sh"

# built RC ERRFILE: pressrun exited 0, or 1 for nothing but print preflight
# errors (an image too coarse for the layout's page size)
built() {
  [ "$1" -eq 0 ] && return 0
  [ "$1" -eq 1 ] && grep -q ': error: .*ppi a press needs' "$2" && ! grep ': error: ' "$2" | grep -qv 'ppi a press needs'
}

for d in issues/2024-04-labor-notes tests/fixtures/noimages tests/fixtures/footnotes \
         tests/fixtures/images tests/fixtures/spanish tests/fixtures/arabic; do
  name=$(basename "$d")
  for L in magazine digest ereader; do
    "$PR" build "$d" --layout $L --dump=layout -o "$TMP/o" --quiet > "$TMP/$name-$L.txt" 2>"$TMP/$name-$L.err"; rc=$?
    check "$name in $L: build exits 0 (1: coarse images only)" built $rc "$TMP/$name-$L.err"
    check "$name in $L: layout rules" python3 tests/tools/layout_rules.py "$TMP/$name-$L.txt"
  done
done

# the layout dump shows the decisions themselves
"$PR" build tests/fixtures/footnotes --dump=layout -o "$TMP/o" --quiet > "$TMP/fn.txt" 2>/dev/null; rc=$?
check "footnotes: build exits 0" test $rc -eq 0
check "drop cap on the first paragraph" grep -q "line dropcap" "$TMP/fn.txt"
check "footnote destinations" grep -q "dest=fn-apparatus-1" "$TMP/fn.txt"
check "contents on page 2" bash -c "awk '/^page 2 /,/^page 3 /' '$TMP/fn.txt' | grep -q 'line title .* | Contents'"

for g in noimages footnotes; do
  "$PR" build tests/fixtures/$g --dump=layout -o "$TMP/o" --quiet > "$TMP/$g.golden" 2>/dev/null; rc=$?
  check "golden $g: build exits 0" test $rc -eq 0
  if [ -n "${UPDATE:-}" ]; then
    cp "$TMP/$g.golden" tests/layout/$g.layout
  fi
  check "golden layout $g" diff -u tests/layout/$g.layout "$TMP/$g.golden"
done
finish

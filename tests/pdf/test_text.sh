#!/usr/bin/env bash
# The PDFs' text written by pressrun (src/pdftext.c) against the same
# build's text written by cairo (PRESSRUN_CAIRO_TEXT=1): the same words in
# the same places (pdftotext -bbox, within 0.05 pt: glyph ids, advances,
# adjustments, horizontal scaling and font sizes), the same text in
# content order (pdftotext -raw: ToUnicode, ActualText of letter-spaced
# words, soft hyphens), for the screen and print PDFs of the sample, of
# every fixture and of the sample in the two other layouts; and the fonts
# pressrun embeds: subsets with ToUnicode, OpenType (CFF) fonts in a
# PDF 1.6 file, valid for qpdf.
source "$(dirname "$0")/../lib.sh"

if ! command -v pdftotext >/dev/null || ! command -v pdffonts >/dev/null; then
  echo "skipped: no pdftotext/pdffonts (poppler-utils)"
  finish
  exit
fi

# compare NAME DIR [build options...]
compare() {
  local name=$1 dir=$2 out="$TMP/$1"; shift 2
  if ! "$PR" build "$dir" -o "$out/ours" --format pdf,print --quiet "$@" 2>"$out.err" ||
     ! PRESSRUN_CAIRO_TEXT=1 "$PR" build "$dir" -o "$out/cairo" --format pdf,print --quiet "$@" 2>>"$out.err"; then
    fail "$name: build failed: $(head -5 "$out.err")"; return
  fi
  local f
  for f in "$out"/ours/*.pdf; do
    local b; b=$(basename "$f")
    check "$name $b: qpdf --check" qpdf --check "$f" >/dev/null
    check "$name $b: the words where cairo put them" python3 tests/tools/same_words.py "$f" "$out/cairo/$b"
    pdftotext -raw -enc UTF-8 "$f" "$out/ours.txt"
    pdftotext -raw -enc UTF-8 "$out/cairo/$b" "$out/cairo.txt"
    check "$name $b: the text as cairo's reads, in its order" cmp -s "$out/ours.txt" "$out/cairo.txt"
    pdffonts "$f" | tail -n +3 > "$out/fonts.txt"
    # (the supplied ads' fonts are the advertisers')
    check "$name $b: every font of the text embedded, a subset, with ToUnicode" \
      bash -c "! grep Identity-H '$out/fonts.txt' | awk '{ if (\$(NF-4) != \"yes\" || \$(NF-3) != \"yes\" || \$(NF-2) != \"yes\") print }' | grep -q ."
    if grep -q '(OT)' "$out/fonts.txt"; then
      check "$name $b: OpenType fonts in a PDF 1.6 file" bash -c "pdfinfo '$f' | grep -qE 'PDF version: +1\.[6-7]'"
    fi
  done
}

compare sample issues/2024-04-labor-notes
for d in tests/fixtures/*/; do
  n=$(basename "$d")
  [ -f "$d/issue.yaml" ] || continue
  [ "$n" = broken ] && continue
  compare "$n" "$d"
done
compare sample-digest issues/2024-04-labor-notes --layout digest
compare sample-ereader issues/2024-04-labor-notes --layout ereader

# the sample's body and headings are pressrun's: its Libertine faces go in
# as OpenType (cairo converts them to bare CFF)
pdffonts "$TMP/sample/ours/2024-04-labor-notes.pdf" > "$TMP/f.txt"
check "sample: Linux Libertine embedded by pressrun" grep -qE '\+LinLibertineO +CID Type 0C \(OT\)' "$TMP/f.txt"
finish

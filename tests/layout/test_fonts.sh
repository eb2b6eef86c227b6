#!/usr/bin/env bash
# test_fonts.sh - a magazine's own faces: an issue's fonts/ folder and a
# layout's `fonts: {path: ...}` are searched before the bundled fonts (the
# face named is the one embedded); a family no folder has is an error that
# says where fonts go; a character no font has is still reported.
source "$(dirname "$0")/../lib.sh"
SERIF=/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf
check "a face that is not bundled is at hand (fonts-dejavu-core)" test -f "$SERIF"

I="$TMP/issue"
cp -r tests/fixtures/noimages "$I" && rm -rf "$I/out"
printf 'fonts:\n  body: {family: DejaVu Serif, size: 9pt, leading: 12pt}\n' >"$TMP/serif.yaml"

"$PR" check "$I" --layout "$TMP/serif.yaml" 2>"$TMP/none.err"
check "without the face: exit 1" test $? -eq 1
check "without the face: says where font files go" \
  grep -q "serif.yaml:2:18: error: no font has the family 'DejaVu Serif'.*the issue's fonts/ folder" "$TMP/none.err"

mkdir -p "$I/fonts" && cp "$SERIF" "$I/fonts/"
"$PR" build "$I" --layout "$TMP/serif.yaml" -o "$TMP/o1" --format pdf --quiet 2>"$TMP/o1.err"
check "the issue's fonts/: builds" test $? -eq 0
check "the issue's fonts/: the face is embedded" bash -c "pdffonts '$TMP'/o1/*.pdf | grep -q 'DejaVuSerif .* yes yes'"
rm -rf "$I/fonts"

mkdir -p "$TMP/lay/faces" && cp "$SERIF" "$TMP/lay/faces/"
printf 'fonts:\n  path: faces\n  body: {family: DejaVu Serif, size: 9pt, leading: 12pt}\n' >"$TMP/lay/own.yaml"
"$PR" build "$I" --layout "$TMP/lay/own.yaml" -o "$TMP/o2" --format pdf --quiet 2>"$TMP/o2.err"
check "the layout's fonts: path: builds" test $? -eq 0
check "the layout's fonts: path: the face is embedded" bash -c "pdffonts '$TMP'/o2/*.pdf | grep -q 'DejaVuSerif .* yes yes'"
printf 'fonts:\n  path: nowhere\n' >"$TMP/lay/bad.yaml"
"$PR" check "$I" --layout "$TMP/lay/bad.yaml" 2>"$TMP/bad.err"
check "a font path that is no folder: an error where it is written" \
  grep -q "bad.yaml:2:9: error: 'fonts: path: nowhere' is not a folder" "$TMP/bad.err"

printf '\nA character no font has: \xe6\xbc\xa2.\n' >> "$I/articles/$(ls "$I/articles" | head -1)"
mkdir -p "$I/fonts" && cp "$SERIF" "$I/fonts/"
"$PR" check "$I" --layout "$TMP/serif.yaml" 2>"$TMP/glyph.err"
check "a missing glyph is still reported" grep -q "warning: no bundled font has the character U+6F22" "$TMP/glyph.err"
finish

#!/usr/bin/env bash
# Pictures of every kind (make-issue.sh draws them): the issue builds; each
# picture, cut out of the rendered PDF at its box from --dump=layout,
# matches ImageMagick's render of the same file to sRGB within a small mean
# difference (screen and print PDF); CMYK JPEGs go into the print PDF as
# they are, as CMYK, a CMYK TIFF as CMYK, and the print PDF stays PDF/X-4; the EPUB passes
# epubcheck and carries only RGB JPEGs and PNGs within 2048 px and 4
# megapixels, rebuilt byte for byte; damaged files give a positioned error
# that says what to do, never a crash.
source "$(dirname "$0")/../lib.sh"

ICC=${PRESSRUN_ICC_DIR:-/usr/share/color/icc/ghostscript}
if [ -f /usr/share/java/epubcheck.jar ] && command -v java >/dev/null; then
  EPUBCHECK=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar /usr/share/java/epubcheck.jar)
else
  EPUBCHECK=(epubcheck)
fi

I="$TMP/issue"
bash tests/images/make-issue.sh "$I"
"$PR" build "$I" -o "$TMP/out" 2>"$TMP/build.err"; rc=$?
check "every kind of picture: build exits 0" test $rc -eq 0
check "no picture refused" bash -c "! grep -q 'error:' '$TMP/build.err'"
grep 'error:' "$TMP/build.err" | head -3 >&2
"$PR" build "$I" --dump=layout > "$TMP/layout.txt" 2>/dev/null
PDF="$TMP/out/formats.pdf" PRINT="$TMP/out/formats-print.pdf" EPUB="$TMP/out/formats.epub"

# The reference: ImageMagick converts the file to sRGB from its embedded
# profile (a CMYK file without one from the press profile), flattened on
# white, scaled to cover the box and cut to it, centred, as paint.c does.
reference() { # file W H out
  local f=$1 prof=()
  case $(identify -format '%[colorspace] %[profile:icc]' "$f" 2>/dev/null) in
    CMYK\ ) prof=(-profile "$ICC/default_cmyk.icc" -profile "$ICC/srgb.icc") ;;
    *\ ?*) prof=(-profile "$ICC/srgb.icc") ;;
  esac
  convert "$f" -intent Relative -black-point-compensation "${prof[@]}" -background white -flatten \
    -resize "$2x$3^" -gravity center -extent "$2x$3" -depth 8 "$4"
}

# Mean absolute difference (0..1) of each picture against its reference,
# rendered at 144 dpi; in the print PDF the trim sits inside the sheet.
differences() { # pdf print(0/1) -> "file difference" lines
  local pdf=$1 print=$2 p x y w h f ox oy X Y W H
  awk '/^page /{p=$2} /image=/{sub(/.*image=/,"",$7); print p, $3, $4, $5, $6, $7}' "$TMP/layout.txt" |
  while read -r p x y w h f; do
    ox=0 oy=0
    [ "$print" = 1 ] && read -r ox oy < <(pdfinfo -box -f "$p" -l "$p" "$pdf" |
      awk '/MediaBox/{mh=$6} /TrimBox/{tx=$3; ty=$6} END{print tx, mh-ty}')
    read -r X Y W H < <(awk -v x="$x" -v y="$y" -v w="$w" -v h="$h" -v ox="$ox" -v oy="$oy" \
      'BEGIN{printf "%d %d %d %d", (x+ox)*2+0.5, (y+oy)*2+0.5, w*2, h*2}')
    pdftoppm -r 144 -f "$p" -l "$p" -x "$X" -y "$Y" -W "$W" -H "$H" -png "$pdf" > "$TMP/got.png"
    reference "$I/images/$(basename "$f")" "$W" "$H" "$TMP/ref.png"
    echo "$(basename "$f") $(compare -metric MAE "$TMP/got.png" "$TMP/ref.png" null: 2>&1 | sed 's/.*(\(.*\))/\1/')"
  done
}

within() { # differences-file limit: every picture there, each under limit
  awk -v lim="$2" '{ n++; if ($2 + 0 > lim || $2 == "") { print "  " $1 " differs by " $2; bad++ } }
    END { if (n < 19) { print "  only " n " pictures compared"; bad++ } exit bad > 0 }' "$1" >&2
}

differences "$PDF" 0 > "$TMP/screen.diff"
# measured: 0.002-0.006 (JPEG and scaling); colours inverted or a profile
# ignored give 0.05-0.5
check "screen PDF: every picture matches its sRGB reference (MAE < 0.02)" within "$TMP/screen.diff" 0.02
differences "$PRINT" 1 > "$TMP/print.diff"
# measured: 0.025-0.033, poppler's rendering of the ICC-based sRGB and of
# DeviceCMYK through its own conversion; an inverted CMYK JPEG gives 0.4
check "print PDF: every picture matches its sRGB reference (MAE < 0.05)" within "$TMP/print.diff" 0.05
for f in cmyk.jpg cmyk-icc.jpg adobergb.jpg adobergb.tif adobergb.webp adobergb.png cmyk-zip.tif; do
  grep "^$f " "$TMP/screen.diff" "$TMP/print.diff" | sed 's/^/  measured /' >&2
done

pdfimages -list "$PRINT" > "$TMP/print.images"
pdfimages -list "$PDF" > "$TMP/screen.images"
check "print PDF: the two CMYK JPEGs go in as they are (4 components, DCT)" \
  test "$(awk '$7 == 4 && $9 == "jpeg"' "$TMP/print.images" | wc -l)" -eq 2
check "print PDF: the CMYK TIFF goes in as CMYK (4 components, lossless)" \
  test "$(awk '$7 == 4 && $9 == "image"' "$TMP/print.images" | wc -l)" -eq 1
check "print PDF: the CMYK JPEG with a profile keeps it (ICCBased), the other is DeviceCMYK" \
  test "$(awk '$7 == 4 && $9 == "jpeg" { print $6 }' "$TMP/print.images" | sort | tr '\n' ' ')" = "cmyk icc "
check "screen PDF: no CMYK (converted to sRGB)" bash -c "! awk '\$6 == \"cmyk\"' '$TMP/screen.images' | grep -q ."
check "screen PDF: the RGB and grey JPEGs go in as they are (DCT)" \
  test "$(awk '$9 == "jpeg"' "$TMP/screen.images" | wc -l)" -eq 4
check "screen PDF: the Adobe RGB JPEG with its profile (ICCBased), the others without" \
  test "$(awk '$9 == "jpeg" { print $6 }' "$TMP/screen.images" | sort | tr '\n' ' ')" = "gray icc rgb rgb "
check "print PDF: every JPEG goes in as it is (DCT)" \
  test "$(awk '$9 == "jpeg"' "$TMP/print.images" | wc -l)" -eq 6
check "print PDF: qpdf --check clean" bash -c "qpdf --check '$PRINT' 2>&1 | grep -q 'No syntax or stream encoding errors'"
qpdf --json "$PRINT" > "$TMP/print.json"
check "print PDF: PDF/X-4 keys, output intent, no DeviceRGB" python3 tests/tools/pdfx_check.py "$TMP/print.json" "$PRINT"

# the EPUB
"${EPUBCHECK[@]}" "$EPUB" > "$TMP/epubcheck.txt" 2>&1
check "EPUB: epubcheck 0 errors, 0 warnings" grep -q "Messages: 0 fatals / 0 errors / 0 warnings" "$TMP/epubcheck.txt"
mkdir -p "$TMP/x" && (cd "$TMP/x" && unzip -q "$EPUB")
identify -format '%f %m %w %h %[colorspace]\n' "$TMP"/x/EPUB/images/* > "$TMP/epub.images" 2>/dev/null
check "EPUB: every picture in the book (20 with the cover)" test "$(wc -l < "$TMP/epub.images")" -eq 20
check "EPUB: only JPEG and PNG, none CMYK, none over 2048 px or 4 megapixels" awk '
  { if (($2 != "JPEG" && $2 != "PNG") || $5 == "CMYK" || $3 > 2048 || $4 > 2048 || $3 * $4 >= 4000000) {
      print "  " $0 > "/dev/stderr"; bad++ } } END { exit bad > 0 }' "$TMP/epub.images"
check "EPUB: the 3600 px panorama shrunk to 2048 px, its shape kept" grep -q "panorama.jpg JPEG 2048 682 " "$TMP/epub.images"
check "EPUB: a picture with transparency stays a PNG" grep -q "alpha.png PNG " "$TMP/epub.images"
check "EPUB: TIFF and lossy WebP photographs become JPEGs" \
  bash -c "grep -q 'rgb-lzw.jpg JPEG' '$TMP/epub.images' && grep -q 'photo.jpg JPEG' '$TMP/epub.images'"
check "EPUB: an sRGB JPEG that fits goes in as it is" cmp -s "$TMP"/x/EPUB/images/*-progressive.jpg "$I/images/progressive.jpg"
"$PR" build "$I" -o "$TMP/again" --format epub --quiet 2>/dev/null
check "EPUB: rebuilt byte for byte" cmp -s "$EPUB" "$TMP/again/formats.epub"

# damaged files: one positioned error each, exit 1, no crash
B="$TMP/bad"
mkdir -p "$B/articles" "$B/images"
head -c 30000 "$I/images/rgb-lzw.tif" > "$B/images/cut.tif"
python3 - "$I/images/rgb-lzw.tif" "$B/images/garbled.tif" "$I/images/photo.webp" "$B/images/garbled.webp" <<'PY'
import sys
for src, dst in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    d = bytearray(open(src, "rb").read())
    d[40:len(d) * 2 // 3] = b"\xff" * (len(d) * 2 // 3 - 40)
    open(dst, "wb").write(d)
PY
head -c 1500 "$I/images/photo.webp" > "$B/images/cut.webp"
printf 'title: Bad\nissue: Bad\ndate: 2024-07-01\nlayout: ereader\narticles:\n  - file: articles/a.md\n    title: A\n' > "$B/issue.yaml"
for f in cut.tif garbled.tif cut.webp garbled.webp; do printf 'Text.\n\n![A picture](../images/%s)\n\n' "$f"; done > "$B/articles/a.md"
"$PR" build "$B" -o "$TMP/badout" 2>"$TMP/bad.err"; rc=$?
check "damaged pictures: exit 1, no crash" test $rc -eq 1
for f in cut.tif:3 garbled.tif:7 cut.webp:11 garbled.webp:15; do
  check "damaged ${f%:*}: error at its line, saying what to do" \
    grep -qE "articles/a.md:${f#*:}:1: error: image '[^']*${f%:*}': the (TIFF|WebP) file is damaged.*; (copy or )?export it again" "$TMP/bad.err"
done
finish

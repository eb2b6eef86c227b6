#!/usr/bin/env bash
# make-issue.sh DIR - writes a fixture issue into DIR with one picture of
# every kind pressrun reads, drawn by ImageMagick: JPEG (CMYK with Adobe's
# inverted ink, with and without a profile; grey; progressive), TIFF (RGB
# LZW, CMYK Deflate, 16-bit grey uncompressed, 16-bit RGB with an alpha
# channel, Deflate), WebP
# (lossy; lossless with alpha), PNG (16-bit, grey, palette, alpha), each
# of JPEG, TIFF, WebP and PNG in Adobe RGB with its profile embedded, and
# a 3600x1200 panorama the EPUB must shrink. Each picture is the same scene: an orange-to-navy
# gradient, a green disc and a white bar, so a wrong colour shows.
set -eu
dir=${1:?usage: make-issue.sh DIR}
ICC=${PRESSRUN_ICC_DIR:-/usr/share/color/icc/ghostscript}
mkdir -p "$dir/articles" "$dir/images"
cd "$dir/images"
convert -size 320x480 gradient:'#ff8800-#001f5b' -rotate 90 \
  -fill '#20c040' -draw 'circle 120,160 120,80' -fill white -draw 'rectangle 300,60 420,260' \
  -alpha off -strip -depth 8 base.png
TOSRGB=(-intent Relative -black-point-compensation)
convert base.png "${TOSRGB[@]}" -profile "$ICC/srgb.icc" -profile "$ICC/default_cmyk.icc" -strip -quality 92 cmyk.jpg
convert base.png "${TOSRGB[@]}" -profile "$ICC/srgb.icc" -profile "$ICC/default_cmyk.icc" -quality 92 cmyk-icc.jpg
for f in adobergb.jpg adobergb.tif adobergb.webp adobergb.png; do
  convert base.png "${TOSRGB[@]}" -profile "$ICC/srgb.icc" -profile "$ICC/a98.icc" -quality 92 "$f"
done
convert base.png -strip -colorspace Gray -quality 90 grey.jpg
convert base.png -strip -interlace JPEG -quality 90 progressive.jpg
convert base.png -strip -compress LZW rgb-lzw.tif
convert base.png "${TOSRGB[@]}" -profile "$ICC/srgb.icc" -profile "$ICC/default_cmyk.icc" -strip -compress Zip cmyk-zip.tif
convert base.png -strip -colorspace Gray -depth 16 -compress None grey16.tif
convert base.png -strip -alpha opaque -depth 16 -compress Zip rgb16-zip.tif
convert base.png -strip -quality 85 photo.webp
convert base.png -strip -alpha set -channel A -fx 'i<240?1:0.3' +channel -define webp:lossless=true alpha.webp
convert base.png -strip -depth 16 rgb16.png
convert base.png -strip -colorspace Gray grey.png
convert base.png -strip -colors 64 PNG8:palette.png
convert base.png -strip -alpha set -channel A -fx 'j<160?1:0.5' +channel PNG32:alpha.png
convert -size 3600x1200 gradient:'#ff8800-#001f5b' -rotate 0 -fill white -draw 'rectangle 1700,300 1900,900' \
  -strip -quality 85 panorama.jpg
rm base.png
cd ..
cat > issue.yaml <<'YAML'
title: Picture Formats Quarterly
issue: Every Kind of Picture
date: 2024-07-01
slug: formats
language: en
publisher: pressrun
layout: ereader
articles:
  - file: articles/formats.md
    title: Every Kind of Picture
    authors: [Lee Park]
    section: Tests
YAML
{
  echo "Each picture below is the same scene in another file format: a gradient from orange to navy, a green disc and a white bar."
  for f in cmyk.jpg cmyk-icc.jpg adobergb.jpg grey.jpg progressive.jpg rgb-lzw.tif cmyk-zip.tif grey16.tif \
           rgb16-zip.tif adobergb.tif photo.webp alpha.webp adobergb.webp rgb16.png grey.png palette.png alpha.png \
           adobergb.png panorama.jpg; do
    echo
    echo "The picture in $f follows."
    echo
    echo "![The test scene stored as $f](../images/$f \"The scene as $f.\")"
  done
} > articles/formats.md

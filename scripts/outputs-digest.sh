#!/usr/bin/env bash
# outputs-digest.sh PRESSRUN OUTDIR - builds the sample issue and every
# fixture in every format (fixed SOURCE_DATE_EPOCH) and writes one sha256
# line per output file to OUTDIR/digest.txt. A refactoring that is meant to
# change no output compares two digests: `diff a/digest.txt b/digest.txt`.
set -uo pipefail
PR=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
OUT=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export SOURCE_DATE_EPOCH=1713571200 LC_ALL=C.UTF-8
rm -rf "$OUT"; mkdir -p "$OUT"
cd "$ROOT"
for issue in issues/* tests/fixtures/* tests/epub/allblocks tests/cli/issue; do
  [ -f "$issue/issue.yaml" ] || continue
  name=$(echo "$issue" | tr / _)
  for layout in "" digest ereader; do
    d="$OUT/$name${layout:+-$layout}"
    mkdir -p "$d"
    "$PR" build "$issue" -o "$d" --format pdf,print,epub,articles -q ${layout:+--layout $layout} \
      >"$d/stdout" 2>"$d/stderr"; echo "exit $?" >>"$d/stdout"
    "$PR" build "$issue" -o "$d/dump" --dump=layout -q ${layout:+--layout $layout} >"$d/layout.txt" 2>/dev/null
    "$PR" build "$issue" -o "$d/dump" --dump=doc -q >"$d/doc.txt" 2>/dev/null
    "$PR" build "$issue" -o "$d/dump" --stats=json -q ${layout:+--layout $layout} >"$d/stats.json" 2>/dev/null
    "$PR" proof "$issue" -o "$d/proof.png" -q ${layout:+--layout $layout} >/dev/null 2>&1
    rm -rf "$d/dump"
  done
done
(cd "$OUT" && find . -type f ! -name digest.txt | sort | xargs sha256sum) >"$OUT/digest.txt"

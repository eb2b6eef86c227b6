#!/usr/bin/env bash
# Hyphenation exceptions (issue 18): an issue's hyphenation.txt and a
# layout's `hyphenation: exceptions:`, TeX's \hyphenation words, matched
# without regard to case; bad words reported at their line and column;
# names in titles and bylines never hyphenated.
source "$(dirname "$0")/../lib.sh"
FIX=tests/typo/exceptions

# hyphen_ends DUMP: the words that end a line with a hyphen, one a line
hyphen_ends() { grep -o '[[:alpha:]]*-$' "$1" | sort | uniq -c; }

# without exceptions the dictionary breaks Kazakhstan as "Kaza-khstan"
mkdir -p "$TMP/plain"
cp -r "$FIX"/issue.yaml "$FIX"/articles "$TMP/plain/"
"$PR" build "$TMP/plain" -o "$TMP/o1" --dump=layout > "$TMP/plain.dump" 2>/dev/null || fail "plain: build: pressrun exited $?"
check "without exceptions: the dictionary's Kaza-khstan (the fixture breaks it)" grep -qi 'Kaza-$' "$TMP/plain.dump"

"$PR" build "$FIX" -o "$TMP/o2" --dump=layout > "$TMP/exc.dump" 2>"$TMP/exc.err"
check "with hyphenation.txt: build exits 0 (bad words are warnings)" test $? -eq 0
check "with hyphenation.txt: never Kaza-khstan" bash -c '! grep -qi "Kaza-$" "$1"' _ "$TMP/exc.dump"
check "with hyphenation.txt: Ka-zakh-stan breaks used, any case" bash -c \
  'grep -q "Ka-$" "$1" && grep -q "Kazakh-$" "$1" && grep -q "KA-$\|KAZAKH-$" "$1"' _ "$TMP/exc.dump"
check "with hyphenation.txt: every Kazakhstan break is one it lists" bash -c \
  '! grep -io "kaz[a-z]*-$" "$1" | grep -viq "^kazakh-$"' _ "$TMP/exc.dump"
check "bad lines: file:line:col, what is wrong and how to fix it" bash -c '
  grep -q "^tests/typo/exceptions/hyphenation.txt:3:8: warning: .Kazakh--stan.: two hyphens in a row; write one hyphen where the word may break" "$1" &&
  grep -q "^tests/typo/exceptions/hyphenation.txt:4:11: warning: .Oil-fields3.: a digit" "$1" &&
  [ "$(grep -c "hyphenation.txt:" "$1")" -eq 2 ]' _ "$TMP/exc.err"

# a word listed without hyphens is never broken
printf 'kazakhstan\n' > "$TMP/plain/hyphenation.txt"
"$PR" build "$TMP/plain" -o "$TMP/o3" --dump=layout > "$TMP/none.dump" 2>/dev/null || fail "unbreakable: build: pressrun exited $?"
check "a word without hyphens is never broken" bash -c '! grep -qi "ka[a-z]*-$" "$1"' _ "$TMP/none.dump"

# the layout's list, and its bad words at their column in the layout file
rm "$TMP/plain/hyphenation.txt"
sed 's/^hyphenation: {\(.*\)}/hyphenation: {\1, exceptions: [Kazakh-stan, "x1y", Ka--z]}/' layouts/magazine.yaml > "$TMP/exc.yaml"
check "the layout copy has the exceptions key" grep -q 'exceptions: \[Kazakh-stan' "$TMP/exc.yaml"
"$PR" build "$TMP/plain" --layout "$TMP/exc.yaml" -o "$TMP/o4" --dump=layout > "$TMP/lay.dump" 2>"$TMP/lay.err"
check "layout exceptions: build exits 0" test $? -eq 0
check "layout exceptions: Kazakh-stan only" bash -c \
  'grep -q "Kazakh-$" "$1" && ! grep -io "kaz[a-z]*-$" "$1" | grep -viq "^kazakh-$"' _ "$TMP/lay.dump"
line=$(grep -n '^hyphenation:' "$TMP/exc.yaml" | cut -d: -f1)
check "layout exceptions: bad words reported at their place" bash -c '
  grep -q "exc.yaml:$2:[0-9]*: warning: .x1y. in .exceptions.: a digit" "$1" &&
  grep -q "exc.yaml:$2:[0-9]*: warning: .Ka--z. in .exceptions.: two hyphens in a row" "$1"' _ "$TMP/lay.err" "$line"
# the issue's file overrides the layout's list for the same word
printf 'Ka-zakh-stan\n' > "$TMP/plain/hyphenation.txt"
"$PR" build "$TMP/plain" --layout "$TMP/exc.yaml" -o "$TMP/o5" --dump=layout > "$TMP/both.dump" 2>/dev/null
check "hyphenation.txt wins over the layout's list" grep -q 'Ka-$' "$TMP/both.dump"

# names: titles, decks and bylines are never hyphenated, in any fixture (a
# line may end at a hyphen the author wrote: "Working-/Class")
for d in issues/2024-04-labor-notes tests/fixtures/*/ "$FIX"; do
  d=${d%/}
  [ "$(basename "$d")" = broken ] && continue
  "$PR" build "$d" -o "$TMP/n" --dump=layout > "$TMP/n.dump" 2>/dev/null
  check "$(basename "$d"): no title, deck or byline is hyphenated" python3 - "$TMP/n.dump" "$d" <<'PY'
import glob, re, sys
lines = [l for l in open(sys.argv[1]) if re.match(r"  line (title|deck|byline) ", l)]
src = "".join(open(f, errors="replace").read() for f in glob.glob(sys.argv[2] + "/**/*.*", recursive=True)
              if f.endswith((".yaml", ".md")))
bad = []
for a, b in zip(lines, lines[1:]):
    ta, tb = a.split(" | ", 1)[1].rstrip("\n"), b.split(" | ", 1)[1].strip()
    if re.search(r"\w-$", ta) and tb:
        word = ta.split()[-1] + tb.split()[0]
        if word not in src:
            bad.append(word)
if bad: print(bad)
sys.exit(1 if bad else 0)
PY
done
finish

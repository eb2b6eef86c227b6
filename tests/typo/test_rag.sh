#!/usr/bin/env bash
# Ragged text and Arabic justification (issue 18, items 4 and 6). Ragged
# text is broken by the total-fit composer in its ragged mode: on a ragged
# magazine (align: ragged) with verse, long captions and prose in three
# and four columns, its rag (how much neighbouring lines differ, a share of
# the measure) is better than Pango's first fit, no stair-steps, no two
# hyphens in a row, nothing justified; verse keeps its author's line
# breaks; ragged-below sets narrow columns ragged. Justified Arabic: no
# letter spacing, word spaces within limits thanks to kashida, no tatweel
# in the text layer.
source "$(dirname "$0")/../lib.sh"

RAG=tests/fixtures/ragged
sed 's/^align: justify/align: ragged/' layouts/magazine.yaml > "$TMP/ragged.yaml"
sed 's/^composer: total-fit.*/composer: greedy/' "$TMP/ragged.yaml" > "$TMP/greedy.yaml"
check "ragged layout: align: ragged set" grep -q '^align: ragged' "$TMP/ragged.yaml"

"$PR" check "$RAG" --layout "$TMP/ragged.yaml" --stats=json > "$TMP/tf.json" 2>/dev/null
check "ragged: check exits 0" test $? -eq 0
"$PR" check "$RAG" --layout "$TMP/greedy.yaml" --stats=json > "$TMP/ff.json" 2>/dev/null
check "ragged, greedy: check exits 0" test $? -eq 0

# the rag: mean and worst difference between neighbouring lines (neither a
# paragraph's last), stair-steps, hyphens; against first fit
check "ragged: a better rag than first fit" python3 - "$TMP/tf.json" "$TMP/ff.json" <<'PY'
import json, sys
tf, ff = (json.load(open(f)) for f in sys.argv[1:3])
keys = ("lines", "justified_lines", "rag_lines", "rag_mean", "rag_max", "rag_stairs", "hyphenated_lines", "max_hyphen_run")
want = {
    "many ragged lines measured": tf["rag_lines"] > 250,
    "nothing justified": tf["justified_lines"] == 0,
    "mean under first fit's": tf["rag_mean"] < ff["rag_mean"] - 0.005,
    "mean < 0.06 of the measure": tf["rag_mean"] < 0.06,
    "worst no worse than first fit's": tf["rag_max"] <= ff["rag_max"] + 1e-9,
    "worst < 0.3": tf["rag_max"] < 0.3,
    "stair-steps no more than first fit's, at most 1": tf["rag_stairs"] <= min(ff["rag_stairs"], 1),
    "no two hyphens in a row": tf["max_hyphen_run"] <= 1,
    "fewer hyphens than first fit": tf["hyphenated_lines"] < ff["hyphenated_lines"],
    "no widows, orphans or overflows": tf["widows"] + tf["orphans"] + tf["overflow_lines"] == 0,
}
bad = [k for k, v in want.items() if not v]
if bad:
    print("rag:", bad, {k: (tf[k], ff[k]) for k in keys})
sys.exit(1 if bad else 0)
PY

# verse: every line the author wrote starts a line; only its turnovers are
# the breaker's
"$PR" build "$RAG" --layout "$TMP/ragged.yaml" -o "$TMP/out" --format pdf --dump=layout > "$TMP/rag.dump" 2>/dev/null
check "verse: turnovers made" test "$(grep -c ' line verse ' "$TMP/rag.dump")" -gt 6
check "verse: each written line starts a line" python3 - "$RAG/articles/verse.md" "$TMP/rag.dump" <<'PY'
import re, sys
src = open(sys.argv[1]).read()
verse = src.split("::: verse")[1].split(":::")[0]
starts = [l.split()[:3] for l in verse.strip().splitlines() if l.strip()]
lines = [l.split(" | ", 1)[1] for l in open(sys.argv[2]) if " line verse " in l and " | " in l]
heads = [l.split()[:3] for l in lines]
missing = [" ".join(s) for s in starts if s not in heads]
if missing or len(lines) <= len(starts):
    print("verse:", missing, len(lines), len(starts))
sys.exit(1 if missing or len(lines) <= len(starts) else 0)
PY
check "ragged: captions set" grep -q ' line caption ' "$TMP/rag.dump"

# narrow columns: ragged-below sets the four-column article (about 12 em)
# ragged and leaves the three-column ones (about 17 em) justified
sed 's/^ragged-below:.*/ragged-below: 14/' layouts/magazine.yaml > "$TMP/narrow.yaml"
"$PR" check "$RAG" --layout "$TMP/narrow.yaml" --stats=json > "$TMP/narrow.json" 2>/dev/null
check "ragged-below: check exits 0" test $? -eq 0
check "ragged-below: narrow columns ragged, others justified" python3 - "$TMP/narrow.json" <<'PY'
import json, sys
a = {x["id"]: x for x in json.load(open(sys.argv[1]))["articles"]}
ok = a["palestine"]["justified_lines"] == 0 and a["palestine"]["rag_lines"] > 50 and a["trotsky"]["justified_lines"] > 50
if not ok:
    print({k: (v["justified_lines"], v["rag_lines"]) for k, v in a.items()})
sys.exit(0 if ok else 1)
PY
check "ragged-below: out of range is an error at its place" bash -c \
  "sed 's/^ragged-below:.*/ragged-below: 500/' layouts/magazine.yaml > '$TMP/bad.yaml'; \
   '$PR' check '$RAG' --layout '$TMP/bad.yaml' 2>&1 >/dev/null | grep -q 'bad.yaml:[0-9]*:[0-9]*: error: .*ragged-below'"
check "align: a wrong value is an error that names the right one" bash -c \
  "sed 's/^align:.*/align: raged/' layouts/magazine.yaml > '$TMP/bad2.yaml'; \
   '$PR' check '$RAG' --layout '$TMP/bad2.yaml' 2>&1 >/dev/null | grep -q \"did you mean 'ragged'\""

# Arabic in a magazine's columns: justified without letter spacing or
# expansion, its word spaces within limits (kashida takes the rest), and no
# tatweel in the text layer; kashida: false leaves word spaces alone to do
# it (loose lines then, which is why kashida is on)
"$PR" check tests/fixtures/arabic --layout magazine --stats=json > "$TMP/ar.json" 2>/dev/null
check "arabic in magazine: check exits 0" test $? -eq 0
check "arabic: justified, no letter spacing, spaces within limits, kashidas" python3 - "$TMP/ar.json" <<'PY'
import json, sys
a = [x for x in json.load(open(sys.argv[1]))["articles"] if x["id"] == "maktaba"][0]
want = {
    "justified lines": a["justified_lines"] >= 10,
    "no letter spacing": a["letter_space_max"] == 0 == a["letter_space_min"],
    "no expansion": a["expansion_max"] == 0 == a["expansion_min"],
    "no loose line": a["loose_lines"] == 0,
    "spaces at most 1.5 times their width": a["space_ratio_max"] <= 1.5,
    "spaces at least 0.8": a["space_ratio_min"] >= 0.8,
    "kashidas on some lines": 0 < a["kashida_lines"] < a["justified_lines"],
    "at most 2 per word": a["kashidas"] <= 2 * a["justified_lines"] * 12,
}
bad = [k for k, v in want.items() if not v]
if bad:
    print("arabic:", bad, a)
sys.exit(1 if bad else 0)
PY
sed 's/^kashida:.*/kashida: false/' layouts/magazine.yaml > "$TMP/nokashida.yaml"
"$PR" check tests/fixtures/arabic --layout "$TMP/nokashida.yaml" --stats=json > "$TMP/ar0.json" 2>/dev/null
check "arabic, kashida: false: none, still no letter spacing" python3 -c '
import json, sys
a = [x for x in json.load(open(sys.argv[1]))["articles"] if x["id"] == "maktaba"][0]
sys.exit(not (a["kashidas"] == 0 and a["letter_space_max"] == 0 == a["letter_space_min"]))' "$TMP/ar0.json"
"$PR" build tests/fixtures/arabic --layout magazine -o "$TMP/ar" --format pdf --quiet 2>/dev/null
check "arabic: PDF written" test -s "$TMP/ar/test-ar.pdf"
check "arabic: no tatweel in the text layer" bash -c "! pdftotext '$TMP/ar/test-ar.pdf' - | grep -q \$'\\u0640'"
check "arabic: the article's words are in the text layer" bash -c \
  "pdftotext '$TMP/ar/test-ar.pdf' - | grep -q 'مكتبة'"
finish

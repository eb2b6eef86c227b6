#!/usr/bin/env bash
# compare_composers.sh [PRESSRUN] - the sample issue and a generated issue
# (16 articles from gen_corpus.py: $GEN_CORPUS, default
# /work/shared/bench/gen_corpus.py) set with Pango's greedy breaker and with
# the total-fit composer; prints their --stats side by side with build times.
set -euo pipefail
cd "$(dirname "$0")/.."
PR=${1:-build/pressrun}
GEN=${GEN_CORPUS:-/work/shared/bench/gen_corpus.py}
ARTICLES=${ARTICLES:-16}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/pressrun-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1713571200}

sed 's/^composer:.*/composer: greedy/' layouts/magazine.yaml > "$TMP/greedy.yaml"
issues=(issues/2024-04-labor-notes)
if [ -f "$GEN" ]; then
  python3 "$GEN" "$TMP/generated" --articles "$ARTICLES" > /dev/null
  issues+=("$TMP/generated")
else
  echo "compare_composers: $GEN not found; the sample issue only" >&2
fi

cols=()
for issue in "${issues[@]}"; do
  name=$(basename "$issue")
  for composer in greedy total-fit; do
    layout=magazine
    [ "$composer" = greedy ] && layout="$TMP/greedy.yaml"
    out="$TMP/$name-$composer"
    start=$(date +%s.%N)
    "$PR" build "$issue" --layout "$layout" --format pdf -o "$TMP/out" --quiet --stats=json > "$out.json"
    end=$(date +%s.%N)
    echo "$start $end" > "$out.time"
    cols+=("$out")
  done
done

python3 - "${cols[@]}" <<'PY'
import json, os, sys
cols = sys.argv[1:]
rows = ["pages", "lines", "justified_lines", "loose_lines", "tight_lines", "space_ratio_mean",
        "space_ratio_p95", "space_ratio_max", "hyphenated_lines", "max_hyphen_run", "widows",
        "orphans", "runts", "overflow_lines", "missing_glyphs", "greedy_paragraphs",
        "letter_space_mean", "letter_space_min", "letter_space_max",
        "expansion_mean", "expansion_min", "expansion_max"]
data = [json.load(open(c + ".json")) for c in cols]
times = []
for c in cols:
    a, b = map(float, open(c + ".time").read().split())
    times.append(b - a)
heads = [os.path.basename(c).replace("2024-04-labor-notes", "sample") for c in cols]
w = max(12, max(len(h) for h in heads) + 1)
print("%-18s" % "" + "".join("%*s" % (w, h) for h in heads))
for r in rows:
    vals = [d.get(r, "") for d in data]
    fmt = lambda v: ("%.2f" % v) if isinstance(v, float) else str(v)
    print("%-18s" % r + "".join("%*s" % (w, fmt(v)) for v in vals))
print("%-18s" % "loose share" + "".join("%*s" % (w, "%.1f %%" % (100.0 * d["loose_lines"] / max(1, d["justified_lines"]))) for d in data))
print("%-18s" % "build time (s)" + "".join("%*s" % (w, "%.2f" % t) for t in times))
PY

#!/usr/bin/env bash
# Typographic quality, measured: the --stats figures (contract keys, known
# answers on small fixtures) and the composers compared on the sample issue
# and the fixtures.
source "$(dirname "$0")/../lib.sh"

keys="pages lines justified_lines loose_lines tight_lines space_ratio_p95 hyphenated_lines max_hyphen_run widows orphans runts overflow_lines missing_glyphs"

# --stats=json: one object with the contract's keys, for the issue and per article
"$PR" check issues/2024-04-labor-notes --stats=json > "$TMP/sample.json" 2>"$TMP/sample.err"
check "check --stats=json exits 0" test $? -eq 0
check "stats JSON has the contract keys" python3 - "$TMP/sample.json" $keys <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
keys = sys.argv[2:]
ok = all(k in j for k in keys) and len(j["articles"]) == 9
ok = ok and all(all(k in a for k in keys) for a in j["articles"])
# the issue's lines are the articles' lines
ok = ok and j["lines"] == sum(a["lines"] for a in j["articles"])
ok = ok and j["justified_lines"] <= j["lines"] and j["lines"] > 1000
sys.exit(0 if ok else 1)
PY
check "check --stats writes nothing" test ! -e issues/2024-04-labor-notes/out/stats.json

# --stats: a table, one row per article and the issue
"$PR" check issues/2024-04-labor-notes --stats > "$TMP/sample.txt" 2>/dev/null
check "stats table has the issue row" grep -q "^ISSUE " "$TMP/sample.txt"
check "stats table has a row per article" test "$(grep -c . "$TMP/sample.txt")" -eq 12

# known answers: two characters no bundled font has; three one-line paragraphs
"$PR" check tests/typo/glyphs --stats=json > "$TMP/glyphs.json" 2>/dev/null
check "glyphs: known answers" python3 - "$TMP/glyphs.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
want = {"missing_glyphs": 2, "lines": 3, "justified_lines": 0, "loose_lines": 0,
        "hyphenated_lines": 0, "widows": 0, "orphans": 0, "runts": 0, "overflow_lines": 0}
bad = {k: (j[k], v) for k, v in want.items() if j[k] != v}
if bad: print("glyphs:", bad)
sys.exit(1 if bad else 0)
PY
finish

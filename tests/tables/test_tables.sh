#!/usr/bin/env bash
# Tables, struck text and fill-in fields (tests/fixtures/tables), on the
# page model (--dump=layout), in pdftotext's text and boxes, and in the
# EPUB: a table's cells in row order, its header repeated where it breaks
# into a new column, numbers right-aligned on the decimal point in tabular
# figures, a table too wide for a column set across the page and one too
# wide for the page wrapped with a warning; ~~struck~~ text ruled through;
# a run of underscores a ruled field, never letter-spaced; check's
# warnings for what pressrun does not set.
source "$(dirname "$0")/../lib.sh"

FIX=tests/fixtures/tables
OUT=$TMP/out


# ---------- check: warnings with positions ----------
"$PR" check "$FIX" > "$TMP/check.txt" 2>&1
check "check: the task list items are named (file:line:col)" \
  test "$(grep -c 'coupon.md:1[23]:1: warning: a task list' "$TMP/check.txt")" -eq 2
check "check: the table too wide for the page is named" \
  grep -q 'prices.md:63:1: warning: a table of 2 columns is .*wide, the page .*: its cells wrap' "$TMP/check.txt"
check "check: the tables that fit give no warning" \
  bash -c "! grep -E 'wages.md:[0-9]+:[0-9]+: warning: a table' '$TMP/check.txt'"

# ---------- the document model ----------
"$PR" build "$FIX" --dump=doc -q > "$TMP/doc.txt" 2>/dev/null
check "doc: the wage table, its alignment and its numeric columns" \
  grep -q '^  table 5:1 rows=5 cols=3 align=lrr numbers=nyy$' "$TMP/doc.txt"
check "doc: 'Table: ...' after a table is its caption, without 'Table:'" \
  bash -c "grep -A2 '^  table 5:1 rows=5' '$TMP/doc.txt' | grep -q 'text \"Hourly wages under'"
check "doc: the caption is no paragraph of its own" \
  bash -c "! grep -q 'Table: Hourly' '$TMP/doc.txt'"
check "doc: ~~old~~ is struck" bash -c "grep -A1 '^    strike$' '$TMP/doc.txt' | grep -q 'text \"old\"'"
check "doc: 'Name ____' is text and a field of 24" \
  bash -c "grep -A1 'text \"Name \"' '$TMP/doc.txt' | grep -q 'field 24'"
check "doc: a line of only underscores is a field, not a rule" \
  bash -c "grep -A1 '^  para 8:1 dir=ltr fields$' '$TMP/doc.txt' | grep -q 'field 32'"
check "doc: a coupon's lines stay lines" \
  bash -c "grep -A4 '^  para 4:1 dir=ltr fields' '$TMP/doc.txt' | grep -q linebreak"

# ---------- the page model ----------
"$PR" build "$FIX" --dump=layout -q > "$TMP/layout.txt" 2>/dev/null
check "layout: table geometry (rows in order, header repeated, decimal points)" python3 - "$TMP/layout.txt" <<'PY'
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
page = 0
art = {}     # page -> article id
boxes = []   # (page, kind, role, x, y, w, h, text, rest)
for l in lines:
    m = re.match(r"page (\d+) .*article=(\S+)", l)
    if m:
        page = int(m.group(1)); art[page] = m.group(2); continue
    m = re.match(r"  (\w+) (\S+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)(.*)", l)
    if m:
        text = m.group(7).split(" | ", 1)[1] if " | " in m.group(7) else ""
        boxes.append((page, m.group(1), m.group(2), *map(float, m.group(3, 4, 5, 6)), text, m.group(7)))
cells = [b for b in boxes if b[1] == "line" and b[2] == "table"]
def find(t, article="wages"):
    return [b for b in cells if b[7] == t and art.get(b[0]) == article]
bad = []
# the wage table (in a column): each row's cells on one baseline, rows going down
rows = [("Bargaining unit", "Workers", "Wage"), ("Clerical", "1,204", "18.50"),
        ("Maintenance", "312", "21.75"), ("Transit", "2,087", "24.10"), ("Nursing", "96", "31.05")]
ys = []
for row in rows:
    got = [find(t) for t in row]
    if not all(len(g) == 1 for g in got):
        bad.append("cells of %s: %s" % (row, got)); continue
    y = {round(g[0][4], 2) for g in got}
    if len(y) != 1:
        bad.append("row %s not on one baseline: %s" % (row, y))
    ys.append(min(y))
    xs = [g[0][3] for g in got]
    if xs != sorted(xs):
        bad.append("row %s: cells not left to right" % (row,))
if ys != sorted(ys) or len(set(ys)) != len(ys):
    bad.append("wage rows not going down: %s" % ys)
# numbers right-aligned: the right edges of a column of 2-decimal figures agree
right = [find(t)[0][3] + find(t)[0][5] for t in ("18.50", "21.75", "24.10", "31.05") if find(t)]
if len(right) != 4 or max(right) - min(right) > 0.05:
    bad.append("Wage column not right-aligned: %s" % right)
# decimal points aligned, in tabular figures: 1.5, 12.25 and 100 start one
# figure apart (their points, and 100's end, at one x)
x = [find(t)[0][3] if len(find(t)) == 1 else None for t in ("1.5", "12.25", "100")]
if None in x or not (x[0] - x[1] > 1 and abs((x[0] - x[1]) - (x[1] - x[2])) < 0.05):
    bad.append("decimal alignment: 1.5, 12.25, 100 at %s" % x)
# the table of cities spans the page: wider than a column, one rule across
rule = [b for b in boxes if b[1] == "rule" and b[2] == "table" and b[5] > 400]
if not rule:
    bad.append("no table rule across the page")
# the price list breaks into columns: each column it runs in starts with its
# header (the flow repeats it), and its rows come in order
cells = [b for b in cells if art.get(b[0]) == "prices"]
produce = [b for b in cells if b[7] in ("Produce",)]
if len(produce) < 2:
    bad.append("header 'Produce' printed %d times, not repeated" % len(produce))
stalls = {}
for b in cells:
    if re.fullmatch(r"[A-Z][a-z]+( apples)?|Produce", b[7]) and b[7] != "Term" and b[3] < 460:
        stalls.setdefault((b[0], round(b[3])), []).append(b)
cols = [v for v in stalls.values() if len(v) > 3]
for v in cols:
    top = min(v, key=lambda b: b[4])
    if top[7] != "Produce":
        bad.append("a column of the price list starts with %r, not its header" % top[7])
order = [b[7] for b in sorted((b for v in cols for b in v if b[7] != "Produce"), key=lambda b: (b[0], b[3], b[4]))]
want = ["Apples", "Pears", "Plums", "Cherries", "Quinces"]
if order[:5] != want:
    bad.append("price list rows out of order: %s" % order[:8])
# the table too wide for the page: its cells wrapped inside the text area
for b in cells:
    if b[3] + b[5] > 612 - 36 + 0.5 or b[3] < 36:
        bad.append("a cell runs off the text area: %s" % (b,))
        break
# struck text and fields
if not any("strike=" in b[8] and "The old new" in b[7] for b in boxes):
    bad.append("no strike range on the line with 'old'")
name = [b for b in boxes if b[7].startswith("Name ")]
m = re.search(r"field=([\d.]+)-([\d.]+)", name[0][8]) if name else None
if not m or not 80 < float(m.group(2)) - float(m.group(1)) < 150:
    bad.append("'Name ____' has no field of about 24 underscores: %s" % (name,))
if not any(b[7].startswith("_" * 20) and "field=" in b[8] for b in boxes):
    bad.append("the line of only underscores is no field")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY

# ---------- the PDF ----------
"$PR" build "$FIX" -o "$OUT" --format pdf -q 2>/dev/null
pdf=$OUT/tables.pdf
pdftotext -layout -enc UTF-8 "$pdf" "$TMP/layout-text.txt"
pdftotext -raw -enc UTF-8 "$pdf" "$TMP/raw.txt"
check "pdf: the wage table's rows extract in order, cells in one line each" python3 - "$TMP/layout-text.txt" <<'PY'
import re, sys
t = open(sys.argv[1], encoding="utf-8").read().splitlines()
want = [r"Bargaining unit\s+Workers\s+Wage", r"Clerical\s+1,204\s+18\.50", r"Maintenance\s+312\s+21\.75",
        r"Transit\s+2,087\s+24\.10", r"Nursing\s+96\s+31\.05"]
at = []
for w in want:
    i = next((i for i, l in enumerate(t) if re.search(w, l)), None)
    at.append(i)
ok = None not in at and at == sorted(at)
if not ok:
    print("rows at", at)
sys.exit(0 if ok else 1)
PY
check "pdf: struck and coupon words extract whole (not letter-spaced)" \
  bash -c "grep -q 'The old new schedule' '$TMP/raw.txt' && grep -qE '^Name _+$' '$TMP/raw.txt' && grep -qE '^Signature _+ Date _+$' '$TMP/raw.txt'"
# (the repeated header is an artifact of the tagged PDF, drawn from a form
# at the start of the page's content: counted, not looked for on a line)
check "pdf: the header row is printed again where the price list breaks" \
  test "$(grep -oE 'Produce Stalls Price' "$TMP/raw.txt" | wc -l)" -ge 2
pdftotext -bbox -enc UTF-8 "$pdf" "$TMP/bbox.html"
check "pdf: prices in the price list end at one x (right-aligned, tabular figures)" python3 - "$TMP/bbox.html" <<'PY'
import re, sys, collections
words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(\d+\.\d\d)</word>',
                   open(sys.argv[1], encoding="utf-8").read())
cols = collections.Counter(round(float(w[2]), 0) for w in words)
# the price column in each of the columns the list breaks into: many prices share a right edge
ok = sum(n for x, n in cols.most_common(3)) >= 45
if not ok:
    print(cols.most_common(6))
sys.exit(0 if ok else 1)
PY

# ---------- the EPUB ----------
"$PR" build "$FIX" -o "$OUT" --format epub -q 2>/dev/null
epub=$OUT/tables.epub
mkdir -p "$TMP/x" && unzip -q -o "$epub" -d "$TMP/x"
w=$(find "$TMP/x" -name '*wages.xhtml' | head -1)
c=$(find "$TMP/x" -name '*coupon.xhtml' | head -1)
check "epub: a table with its caption first" \
  bash -c "grep -A1 '<table>' '$w' | grep -q '<caption>Hourly wages under the 2024 agreement, in dollars.</caption>'"
check "epub: column headers with scope" grep -q '<th scope="col" class="left">Bargaining unit</th>' "$w"
check "epub: numbers right-aligned" grep -q '<td class="right num">1,204</td>' "$w"
check "epub: an unaligned column of numbers right-aligned too" grep -q '<td class="right num">12.25</td>' "$w"
check "epub: struck text" grep -q '<s>old</s>' "$w"
check "epub: fields as ruled spans" grep -q 'Name <span class="field" style="width: 12.0em"></span><br/>' "$c"
check "epub: table CSS" grep -q 'font-variant-numeric: tabular-nums lining-nums' "$(find "$TMP/x" -name 'style.css')"
if [ ${#EPUBCHECK[@]} -gt 0 ]; then
  "${EPUBCHECK[@]}" "$epub" > "$TMP/epubcheck.txt" 2>&1
  check "epub: epubcheck 0 errors, 0 warnings" grep -q "Messages: 0 fatals / 0 errors / 0 warnings" "$TMP/epubcheck.txt"
else
  fail "epubcheck is not installed (scripts/setup.sh installs it)"
fi

# ---------- the layout's table style ----------
printf 'table:\n  rules: grid\n  rule: 0.3pt\n  stripes: true\n' > "$TMP/grid.yaml"
"$PR" build "$FIX" --layout "$TMP/grid.yaml" --dump=layout -q > "$TMP/grid.txt" 2>/dev/null
check "layout: grid rules box every cell (vertical rules)" \
  test "$(grep -cE '^  rect table [0-9.]+ [0-9.]+ 0\.30 ' "$TMP/grid.txt")" -ge 20
check "layout: stripes tint rows" grep -qE '^  rect table [0-9.]+ [0-9.]+ 166\.00 ' "$TMP/grid.txt"
check "layout: rows (the default) draws no vertical rules" \
  bash -c "! grep -qE '^  rect table' '$TMP/layout.txt'"
printf 'table:\n  rules: dotted\n  rule: 9pt\n' > "$TMP/badrules.yaml"
"$PR" check "$FIX" --layout "$TMP/badrules.yaml" > "$TMP/badrules.txt" 2>&1
check "layout: a bad 'rules:' is an error at its place" grep -q 'badrules.yaml:2:10: error: .*dotted' "$TMP/badrules.txt"
check "layout: a rule out of range is an error at its place" grep -q 'badrules.yaml:3:9: error: .*9pt' "$TMP/badrules.txt"

# ---------- a table in a sidebar ----------
mkdir -p "$TMP/sb/articles"
printf 'title: SB\nissue: Sidebar Tables\ndate: 2024-06-01\narticles:\n  - file: articles/a.md\n    title: Dues\n' > "$TMP/sb/issue.yaml"
printf 'Text before the box.\n\n::: sidebar Dues\n\n| Member | Monthly |\n|:--|--:|\n| Full time | 42.50 |\n| Retired | 5 |\n\n:::\n\nText after.\n' \
  > "$TMP/sb/articles/a.md"
"$PR" build "$TMP/sb" --dump=layout -q > "$TMP/sb.txt" 2>/dev/null
check "sidebar: its table is set inside the box" python3 - "$TMP/sb.txt" <<'PY'
import re, sys
box = None
cells = []
for l in open(sys.argv[1], encoding="utf-8"):
    m = re.match(r"  rect decor ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)", l)
    if m:
        box = tuple(map(float, m.groups()))
    m = re.match(r"  line table ([\d.]+) ([\d.]+) ([\d.]+) [\d.]+ \| (.*)", l)
    if m:
        cells.append((float(m.group(1)), float(m.group(2)), float(m.group(3)), m.group(4)))
names = [c[3] for c in cells]
ok = box and names == ["Member", "Monthly", "Full time", "42.50", "Retired", "5"] and all(
    box[0] <= x and x + w <= box[0] + box[2] + 0.01 and box[1] <= y <= box[1] + box[3] for x, y, w, _ in cells)
if not ok:
    print(box, cells)
sys.exit(0 if ok else 1)
PY

# ---------- bad input never crashes ----------
mkdir -p "$TMP/bad/articles"
printf 'title: Bad\nissue: Broken Tables\ndate: 2024-06-01\narticles:\n  - file: articles/a.md\n    title: Tables Gone Wrong\n' > "$TMP/bad/issue.yaml"
{
  printf '| a |\n|---|\n'                       # one column, no rows
  printf '\n|x|y|\n|-|-|\n|1|\n|1|2|3|\n'      # short and long rows
  printf '\n| %s |\n|--|\n| w |\n' "$(head -c 3000 /dev/zero | tr '\0' 'W')"  # one huge word
  printf '\n> | q |\n> |---|\n> | r |\n'        # a table in a quote
  printf '\n>> | pull |\n>> |---|\n>> | q |\n'   # a table in a pull quote
  printf '\nTable: a caption with no table\n'
  printf '\n| ~~s~~ | ____ |\n|--:|:-:|\n| ____ | 1.2.3 |\n'
  printf '\n%s\n' "$(head -c 5000 /dev/zero | tr '\0' '_')"
  for i in $(seq 1 400); do printf '| r%d | %d.%d |\n' "$i" "$i" "$i"; done | sed '1i | h | n |\n|---|---:|' | sed '1s/^/\n/'
} > "$TMP/bad/articles/a.md"
"$PR" build "$TMP/bad" -o "$TMP/bad/out" > "$TMP/bad.txt" 2>&1
check "bad tables: builds without crashing (exit 0 or 1)" test $? -le 1
check "bad tables: a table in a pull quote is said" grep -q 'warning: a table in a pull quote is not set' "$TMP/bad.txt"
check "bad tables: the PDF is written" test -s "$TMP/bad/out/bad.pdf"

finish

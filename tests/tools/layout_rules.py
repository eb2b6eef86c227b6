#!/usr/bin/env python3
"""layout_rules.py LAYOUT_DUMP : checks the page model
(pressrun --dump=layout) against the rules a reader sees:
  - page 1 is the cover (masthead), page 2 the contents;
  - body lines sit on the baseline grid (same remainder mod the grid);
  - no body line runs past the text area;
  - every article page but its last has text in every column (no empty
    columns mid-article), and the last page's columns end within 3 grid
    lines of each other (within one where the break rules allow it);
  - every page but the cover and article openers has a running head, every
    page but the cover a folio.
The geometry comes from the dump's book and layout lines. Prints each
violation; exits 1 if any."""
import re
import sys
from collections import defaultdict

lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
pw = float(re.match(r"book ([\d.]+)", lines[0]).group(1))
m = re.match(r"layout \S+ margins=([\d.]+),([\d.]+),([\d.]+),([\d.]+) columns=(\d+) gutter=([\d.]+) baseline=([\d.]+)", lines[1])
mi, mo, cols, gut, base = float(m.group(3)), float(m.group(4)), int(m.group(5)), float(m.group(6)), float(m.group(7))
pages = []
for l in lines:
    m = re.match(r"page (\d+) folio=(\S+) article=(\S+)", l)
    if m:
        pages.append({"n": int(m.group(1)), "article": m.group(3), "boxes": [], "padding": l.endswith(" padding")})
        continue
    m = re.match(r"\s+(\w+) (\S+) (-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+)(.*)", l)
    if m and pages:
        pages[-1]["boxes"].append((m.group(1), m.group(2), *map(float, m.group(3, 4, 5, 6)), m.group(7)))

bad = []
if not pages or not any(b[1] == "masthead" for b in pages[0]["boxes"]):
    bad.append("page 1 is not the cover")
tw = pw - mi - mo
cw = (tw - (cols - 1) * gut) / cols
rem = set()
by_article = defaultdict(list)
for p in pages:
    x0 = mi if p["n"] % 2 else mo
    body = [b for b in p["boxes"] if b[0] == "line" and b[1] == "body"]
    for b in body:
        rem.add(round((b[3] % base), 1) % base)
        if b[2] + b[4] > x0 + tw + 0.6 or b[2] < x0 - 0.6:
            bad.append("page %d: body line outside the text area: %s" % (p["n"], b[6][:40]))
    if p["article"] not in ("-", "back-cover", "ad", "filler", "blank"):
        by_article[p["article"]].append((p, body, x0))
    kinds = {b[1] for b in p["boxes"]}
    if p["n"] > 1 and "folio" not in kinds and p["article"] not in ("back-cover", "ad", "filler", "blank") \
            and not p["padding"]:
        bad.append("page %d has no folio" % p["n"])
if len(rem) > 1:
    bad.append("body baselines are not on one grid: remainders %s" % sorted(rem))
for art, ps in by_article.items():
    for i, (p, body, x0) in enumerate(ps):
        used = defaultdict(list)
        for b in body:
            c = int(round((b[2] - x0) / (cw + gut)))
            used[c].append(b[3])
        if i > 0 and not any(b[1] == "running-head" for b in p["boxes"]):
            bad.append("page %d (%s) has no running head" % (p["n"], art))
        if i < len(ps) - 1:
            empty = [c for c in range(cols) if c not in used]
            if empty and len(body) > 0:
                bad.append("page %d (%s): empty column(s) %s mid-article" % (p["n"], art, empty))
        elif cols > 1 and len(used) > 1 and not any(b[0] == "ad" or b[1] == "box" for b in p["boxes"]):
            # (a page holding an ad or a boxed filler is balanced around it)
            # balanced: the columns end at nearly the same depth (any box)
            bottoms = defaultdict(float)
            for b in p["boxes"]:
                if b[1] in ("running-head", "folio") or b[4] > cw + 1:
                    continue
                c = int(round((b[2] - x0) / (cw + gut)))
                bottom = b[3] if b[0] == "line" else b[3] + b[5]
                bottoms[c] = max(bottoms[c], bottom)
            depth = [round(bottoms[c]) for c in sorted(bottoms)]
            if len(depth) == cols and max(depth) - min(depth) > 3 * base + 0.5:
                bad.append("page %d (%s): last page unbalanced, columns end at %s" % (p["n"], art, depth))
for b in bad:
    print(b)
sys.exit(1 if bad else 0)

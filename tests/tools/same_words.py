#!/usr/bin/env python3
"""same_words.py A.pdf B.pdf [TOL] - the two PDFs read the same: page by
page, the same words (pdftotext -bbox), each in the same place, every
corner within TOL pt (default 0.05); the order pdftotext lists them in is
not compared (it breaks ties between blocks by less than that). For the
text pressrun writes against the text cairo writes (PRESSRUN_CAIRO_TEXT)
from the same build."""
import re
import subprocess
import sys

tol = float(sys.argv[3]) if len(sys.argv) > 3 else 0.05


def words(pdf):
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True).stdout
    pages, cur = [], None
    for l in out.splitlines():
        if l.lstrip().startswith("<page "):
            cur = {}
            pages.append(cur)
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>', l)
        if m and cur is not None:
            cur.setdefault(m.group(5), []).append([float(m.group(i)) for i in range(1, 5)])
    return pages


a, b = words(sys.argv[1]), words(sys.argv[2])
bad = []
if len(a) != len(b):
    bad.append(f"{len(a)} pages against {len(b)}")
nw = 0
for p, (wa, wb) in enumerate(zip(a, b), 1):
    for w, boxes in sorted(wa.items()):
        others = list(wb.get(w, []))
        if len(others) != len(boxes):
            bad.append(f"page {p}: '{w}' {len(boxes)} times against {len(others)}")
            continue
        for box in boxes:
            nw += 1
            d, k = min((max(abs(x - y) for x, y in zip(box, o)), k) for k, o in enumerate(others))
            if d > tol:
                bad.append(f"page {p}: '{w}' at {box} is {d:.3f} pt from where the other has it")
            others.pop(k)
    for w in sorted(set(wb) - set(wa)):
        bad.append(f"page {p}: '{w}' only in the second")
for m in bad[:20]:
    print(m)
if not bad:
    print(f"{nw} words in the same places")
sys.exit(1 if bad else 0)

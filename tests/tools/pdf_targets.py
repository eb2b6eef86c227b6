#!/usr/bin/env python3
"""pdf_targets.py LAYOUT PDF - the contents' links and the outline lead to
the pages the articles start on.

LAYOUT is `pressrun build --dump=layout` of the same build. Each article
title carries `dest=art-...` on the page it lands on; each contents entry
carries `link=art-...`. Checks, from qpdf's JSON of the screen PDF:
- every link annotation on a contents page points (by /Dest) to the page
  holding one of the articles the contents list, and together they reach
  every such page;
- every outline entry for an article points to that article's page.
Pages are counted as in the screen PDF (padding pages left out)."""
import json
import re
import subprocess
import sys

lay = open(sys.argv[1], encoding="utf-8").read().splitlines()
pdf = sys.argv[2]

# physical page -> position in the screen PDF (padding pages are left out)
pos = {}
dest_page = {}          # art-... -> screen PDF page (1-based)
title_of = {}           # art-... -> the title's text
toc_pages = set()
n = 0
cur = None
for l in lay:
    m = re.match(r"page (\d+) ", l)
    if m:
        if " padding" in l:
            cur = None
            continue
        n += 1
        cur = n
        continue
    if cur is None:
        continue
    m = re.search(r" dest=(art-\S+)", l)
    if m and m.group(1) not in dest_page:
        dest_page[m.group(1)] = cur
        title_of[m.group(1)] = l.split(" | ", 1)[1] if " | " in l else ""
    if re.match(r"\s+line toc .* link=art-", l):
        toc_pages.add(cur)

j = json.loads(subprocess.run(["qpdf", "--json=2", "--json-key=pages", "--json-key=qpdf",
                               "--json-key=outlines", pdf], capture_output=True, text=True).stdout)
page_of = {p["object"]: p["pageposfrom1"] for p in j["pages"]}
objs = j["qpdf"][1]


def value(ref):
    return objs.get("obj:" + ref, {}).get("value", {})


ok = True
reached = set()
for p in j["pages"]:
    if p["pageposfrom1"] not in toc_pages:
        continue
    annots = value(p["object"]).get("/Annots", [])
    if isinstance(annots, str):
        annots = value(annots)
    for a in annots:
        d = value(a) if isinstance(a, str) else a
        if d.get("/Subtype") != "/Link" or "/Dest" not in d:
            continue
        target = page_of.get(d["/Dest"][0])
        reached.add(target)
        if target not in dest_page.values():
            print(f"a contents link on page {p['pageposfrom1']} leads to page {target}, where no article starts")
            ok = False
want = set(dest_page.values())
if toc_pages and reached != want:
    print("contents links reach pages", sorted(x for x in reached if x), "articles start on", sorted(want))
    ok = False


def walk(o):
    for x in o:
        yield x
        yield from walk(x.get("kids", []))


starts = {}
for d, p in dest_page.items():
    starts.setdefault(title_of[d], p)
for o in walk(j.get("outlines", [])):
    t = o.get("title")
    if t in starts and o.get("destpageposfrom1") != starts[t]:
        # a section's entry leads to its first article's page; an article's to its own
        if o.get("kids"):
            continue
        print(f"outline entry '{t}' leads to page {o.get('destpageposfrom1')}, the article starts on {starts[t]}")
        ok = False
if not toc_pages:
    print("no contents page found in the layout dump")
    ok = False
sys.exit(0 if ok else 1)

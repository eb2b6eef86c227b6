#!/usr/bin/env python3
"""check-layers.py BUILD_DIR - the graph of calls between source files
runs one way: reads each object's defined and undefined symbols (nm) and
reports every cycle of files that call each other (strongly connected
components of more than one file), and every include cycle between
headers. Exit 1 when there is one."""
import re
import subprocess
import sys
from pathlib import Path

build = Path(sys.argv[1])
objs = sorted(build.glob("CMakeFiles/prcore.dir/src/*.o"))
defs, uses = {}, {}
for o in objs:
    name = o.name.split(".")[0]
    out = subprocess.run(["nm", str(o)], capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBR":
            defs[parts[2]] = name
        elif len(parts) == 2 and parts[0] == "U":
            uses.setdefault(name, set()).add(parts[1])
graph = {n: set() for n in {o.name.split(".")[0] for o in objs}}
for n, syms in uses.items():
    for s in syms:
        d = defs.get(s)
        if d and d != n:
            graph[n].add(d)


def sccs(g):
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))
    sys.setrecursionlimit(10000)
    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


bad = 0
for comp in sccs(graph):
    print("call cycle:", " <-> ".join(comp))
    bad = 1
src = Path(__file__).resolve().parent.parent / "src"
inc = {}
for h in src.glob("*.h"):
    inc[h.name] = set(re.findall(r'#include "([^"]+)"', h.read_text()))
for comp in sccs(inc):
    print("include cycle:", " <-> ".join(comp))
    bad = 1
if not bad:
    print("no call or include cycle between %d source files" % len(graph))
sys.exit(bad)

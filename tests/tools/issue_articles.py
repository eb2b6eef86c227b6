#!/usr/bin/env python3
"""issue_articles.py ISSUE_DIR [--count | --articles] - the Markdown files
of an issue's editorial and articles, in order (not its ads or fillers),
as paths joined to ISSUE_DIR on one line; --count: how many there are;
--articles: how many articles (the editorial not counted).
Reads issue.yaml's top-level `editorial:` and the `file:` entries of its
`articles:` list, the way the tests need it (no YAML library)."""
import os
import re
import sys

d = sys.argv[1]
y = open(os.path.join(d, "issue.yaml"), encoding="utf-8").read()
ed = re.findall(r"^editorial:\s*(\S+)", y, re.M)
m = re.search(r"^articles:\s*\n(.*?)(?=^\S|\Z)", y, re.M | re.S)
files = re.findall(r"^\s*(?:-\s+)?file:\s*(\S+)", m.group(1), re.M) if m else []
paths = [os.path.join(d, f) for f in ed + files]
if "--count" in sys.argv:
    print(len(paths))
elif "--articles" in sys.argv:
    print(len(files))
else:
    print(" ".join(paths))

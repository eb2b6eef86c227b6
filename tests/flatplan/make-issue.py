#!/usr/bin/env python3
"""make-issue.py DIR - writes a small magazine issue with the mess of a
real one into DIR, for tests/flatplan: a feature with allotted pages and
pull-quote candidates, a letters department (one letter a `continue`
article), a news brief on a right-hand page, an article too long for its
page, supplied ads (full-page PDF at the inside front cover and facing
the feature, a third-page PDF after the letters, a PNG back cover) and a
house-ad filler. The copy is generated from a fixed word list, so the
issue is the same on every run."""
import random
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
out = Path(sys.argv[1])
(out / "articles").mkdir(parents=True, exist_ok=True)
(out / "ads").mkdir(exist_ok=True)
(out / "fillers").mkdir(exist_ok=True)
(out / "images").mkdir(exist_ok=True)

WORDS = ("the workers union contract wages hours shift warehouse nurses teachers strike vote "
         "organizing committee members floor managers rank file bargaining table picket line "
         "solidarity local city council rent housing tenants transit drivers heat safety "
         "overtime schedule pension health care grievance steward meeting hall newsletter "
         "campaign petition march rally agreement raise break water shade summer").split()
rng = random.Random(7)


def sentence():
    n = rng.randint(8, 18)
    w = [rng.choice(WORDS) for _ in range(n)]
    return w[0].capitalize() + " " + " ".join(w[1:]) + "."


def paragraphs(n):
    return "\n\n".join(" ".join(sentence() for _ in range(rng.randint(3, 6))) for _ in range(n)) + "\n"


def article(name, body, front=""):
    (out / "articles" / (name + ".md")).write_text(("---\n" + front + "---\n" if front else "") + body)


article("feature-heat", paragraphs(14) + "\n## On the floor\n\n" + paragraphs(10))
article("letters", "Our readers write in.\n\n" + paragraphs(2))
for k in range(1, 4):
    article("letter-%d" % k, paragraphs(rng.randint(1, 3)))
article("brief", paragraphs(3))
article("too-long", paragraphs(6) + "\n![A bar chart of wages by year](../images/diagram.png \"Wages by year.\")\n\n"
        + paragraphs(34))
(out / "fillers" / "subscribe.md").write_text(
    "---\ntitle: Subscribe\n---\nTwelve issues a year, mailed to your door or your union hall.\n")
for kind, name in (("full", "full.pdf"), ("third", "third.pdf"), ("half", "half.pdf")):
    subprocess.run([sys.executable, str(ROOT / "tests/ads/make-ad.py"), kind, str(out / "ads" / name)], check=True)
shutil.copy(ROOT / "tests/fixtures/images/images/lead.jpg", out / "images/lead.jpg")
shutil.copy(ROOT / "tests/fixtures/images/images/diagram.png", out / "images/diagram.png")
shutil.copy(ROOT / "tests/epub/allblocks/images/photo.png", out / "ads/back.png")

(out / "issue.yaml").write_text("""title: Shop Floor
issue: Summer Heat
date: 2025-07-01
layout: magazine
cover:
  lines: [The heat on the floor]
articles:
  - file: articles/feature-heat.md
    title: The Heat on the Warehouse Floor
    deck: What a summer of heat did to the picking floor, and what the union won back.
    authors: [Jordan Lee]
    byline: Interview by Jordan Lee
    kicker: Special report
    bio: Jordan Lee is a nurse in Chicago and a steward in her local.
    section: Feature
    pages: 3
    image: images/lead.jpg
    caption: The picking floor at two in the afternoon.
    image-alt: A warehouse aisle.
    pullquotes:
      - "Water and shade should not be a favour from a manager."
      - "The committee met every morning before the first shift."
  - file: articles/letters.md
    title: Letters
    section: Letters
    authors: [Our Readers]
  - file: articles/letter-1.md
    title: On the pension vote
    authors: [Sam Ortiz]
    section: Letters
    start: continue
  - file: articles/letter-2.md
    title: Thanks from Local 12
    authors: [Ana Ruiz]
    section: Letters
    start: continue
  - file: articles/letter-3.md
    title: A correction
    authors: [Lee Park]
    section: Letters
    start: continue
  - file: articles/brief.md
    title: Transit Drivers Ratify
    authors: [Kim Cho]
    section: News
    start: right
  - file: articles/too-long.md
    title: Everything About the Contract
    authors: [Ari Green]
    section: Analysis
    pages: 1
ads:
  - file: ads/full.pdf
    name: Acme Ink
    at: inside-front-cover
  - file: ads/full.pdf
    name: Acme Ink facing
    at: facing feature-heat
    epub: true
  - file: ads/third.pdf
    name: Union Credit
    size: third-vertical
    at: after letters
  - file: ads/half.pdf
    name: Half Measures
    size: half
    at: after brief
  - file: ads/back.png
    name: Back Cover Co
    at: back-cover
fillers:
  - file: fillers/subscribe.md
    size: third
""")

#!/usr/bin/env python3
"""words_in_order.py PDF_TEXT MD... : every word of every Markdown source is
found, in order, in the text pdftotext extracted from the PDF. Markup is
stripped crudely; hyphens (hard, soft, line-end) are ignored on both sides.
A word whose first letter was set as a drop cap may appear without it.
Words in scripts written right to left are checked separately for presence
(pdftotext extracts them in visual order). Prints what is missing; exits 1."""
import re
import sys
import unicodedata

RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def norm(s):
    s = unicodedata.normalize("NFKC", s)
    s = s.replace("\u00ad\n", "").replace("-\n", "")
    s = s.replace("\u00ad", "").replace("-", "").replace("\u2011", "")
    return [w.lower() for w in re.findall(r"\w+", s)]


def md_words(path):
    text = open(path, encoding="utf-8").read()
    if text.startswith("---\n"):
        end = re.search(r"^(---|\.\.\.)\s*$", text[4:], re.M)
        if end:
            text = text[4 + end.end():]
    text = re.sub(r"```pullquote", "", text)
    text = re.sub(r"<[^>]+>", " ", text)                  # inline HTML tags
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\"([^\"]*)\"\)", r" \2 ", text)  # image: caption only
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", " ", text)   # image without caption
    text = re.sub(r"\]\([^)]*\)", "] ", text)             # link targets
    text = re.sub(r"\[\^[^\]]+\]:?", " ", text)           # footnote marks
    text = re.sub(r"^\s*(\d+)[.)]\s", " ", text, flags=re.M)  # ordered list numbers
    text = re.sub(r"^\s*(---|\*\*\*|___)\s*$", " ", text, flags=re.M)
    return norm(text)


def main():
    pdf = norm(open(sys.argv[1], encoding="utf-8").read())
    bad = 0
    pos = 0
    for md in sys.argv[2:]:
        words = md_words(md)
        ltr = [w for w in words if not RTL.search(w)]
        rtl = [w for w in words if RTL.search(w)]
        i = pos
        missing = []
        for w in ltr:
            j = i
            while j < len(pdf) and pdf[j] != w and not (len(w) > 1 and pdf[j] == w[1:]):
                j += 1
            if j == len(pdf):
                missing.append(w)
                if len(missing) > 5:
                    break
                continue
            i = j + 1
        pdfset = set(pdf)
        rtl_missing = [w for w in rtl if w not in pdfset]
        if missing or rtl_missing:
            bad += 1
            print("%s: %d words not found in order, first: %s; right-to-left words missing: %s"
                  % (md, len(missing), missing[:5], rtl_missing[:5]))
    sys.exit(1 if bad else 0)


main()

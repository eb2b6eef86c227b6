#!/usr/bin/env python3
"""words_in_order.py RAW_TEXT TEXT MD... : every word of every Markdown source is
found, in order, in the text `pdftotext -raw` extracted from the PDF (content
stream order, which is pressrun's reading order). Markup is
stripped crudely; hyphens (hard, soft, line-end) are ignored on both sides.
A word whose first letter was set as a drop cap may appear without it.
Letters of scripts written right to left are counted instead (each at
least as often as in the source) in TEXT, plain `pdftotext` output: -raw
splits them into single glyphs and both modes reorder mixed lines. Footnote
numbers glued to the word they follow are dropped. Underscores (fill-in
fields) are not words. A pipe table with its caption (`Table: ...` after
it, printed above it) may float, to the top of a column or page: its words
are checked in order among themselves, anywhere in its article. Prints what
is missing; exits 1."""
import collections
import re
import sys
import unicodedata

RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def norm(s):
    s = unicodedata.normalize("NFKC", s).replace("_", " ")
    # Arabic vowel marks and tatweel vary between source and extraction
    s = "".join(c for c in s if unicodedata.category(c) != "Mn" and c != "\u0640")
    s = re.sub(r"-{2,}", " ", s)                  # -- and --- become dashes
    s = re.sub(r"[\u00ad-][ \t]*\n\s*", "", s)
    s = s.replace("\u00ad", "").replace("-", "").replace("\u2011", "")
    s = re.sub(r"(?<=[^\W\d])\d+\b", " ", s)
    return [w.lower() for w in re.findall(r"\w+", s)]


TABLE = re.compile(r"((?:^[ \t]*\|.*\n)+)(?:[ \t]*\n[ \t]*[Tt]able:(.*(?:\n[ \t]*\S.*)*))?", re.M)


def md_tables(text):
    """The text without its pipe tables, and each table's words: its
    caption's, then its cells' row by row."""
    tables = []
    def take(m):
        tables.append(norm((m.group(2) or "") + "\n" + m.group(1).replace("|", " ")))
        return "\n"
    return TABLE.sub(take, text), tables


def md_words(path, tables=None):
    text = open(path, encoding="utf-8").read()
    if text.startswith("---\n"):
        end = re.search(r"^(---|\.\.\.)\s*$", text[4:], re.M)
        if end:
            text = text[4 + end.end():]
    text, found = md_tables(text)
    if tables is not None:
        tables.extend(found)
    # footnotes are printed at the end in the order of first reference
    defs = {}
    def take(m):
        defs[m.group(1)] = m.group(2)
        return ""
    text = re.sub(r"^\[\^([^\]]+)\]:(.*(?:\n(?:    |\t).*)*)", take, text, flags=re.M)
    order = []
    for label in re.findall(r"\[\^([^\]]+)\]", text):
        if label in defs and label not in order:
            order.append(label)
    text += "\n\n" + "\n\n".join(defs[label] for label in order)
    text = re.sub(r"```pullquote", "", text)
    # fenced divs: the markers go, a sidebar's title stays
    text = re.sub(r"^ {0,3}:{3,}[ \t]*(\{[^}]*\}|\w+)?", " ", text, flags=re.M)
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
    # right-to-left text: its letters, spaces dropped (pdftotext splits
    # Arabic words where marks and justification move glyphs apart)
    rtl_have = collections.Counter(c for w in norm(open(sys.argv[2], encoding="utf-8").read())
                                   for c in w if RTL.match(c))
    bad = 0
    pos = 0
    for md in sys.argv[3:]:
        tables = []
        words = md_words(md, tables)
        ltr = [w for w in words if not RTL.search(w)]
        rtl = [w for w in words if RTL.search(w)]
        i = pos
        missing = []
        for table in tables:
            j = pos
            for w in table:
                while j < len(pdf) and pdf[j] != w:
                    j += 1
                if j == len(pdf):
                    missing.append(w)
                    break
                j += 1
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
        rtl_src = "".join(c for w in rtl for c in w if RTL.match(c))
        # pdftotext reorders right-to-left runs inside mixed lines and moves
        # letters around marks, so their order cannot be checked from its
        # output: every letter must be there as often as in the source
        need = collections.Counter(c for w in rtl for c in w if RTL.match(c))
        rtl_missing = [c for c, n in need.items() if rtl_have[c] < n]
        if missing or rtl_missing:
            bad += 1
            print("%s: %d words not found in order, first: %s; right-to-left letters missing from: %s"
                  % (md, len(missing), missing[:5], rtl_missing[:5]))
    sys.exit(1 if bad else 0)


main()

#!/usr/bin/env python3
"""epub_words.py EPUB MD... : every word of every Markdown source is found,
in order, in the text of the EPUB's XHTML documents read in spine order.
The text is extracted here (markup dropped, a line break at every block
element) and handed to words_in_order.py, which does the comparison as for
the PDF. Prints what is missing; exits 1."""
import html.parser
import os
import posixpath
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "div", "figure",
          "figcaption", "blockquote", "aside", "section", "article", "header", "footer",
          "pre", "br", "hr", "nav", "table", "tr", "td", "th", "title"}


class Text(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("head", "script", "style"):
            self.skip += 1
        if tag in BLOCKS:
            self.out.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in ("head", "script", "style"):
            self.skip -= 1
        if tag in BLOCKS:
            self.out.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def spine_text(path):
    z = zipfile.ZipFile(path)
    ns = {"c": "urn:oasis:names:tc:opendocument:xmlns:container",
          "o": "http://www.idpf.org/2007/opf"}
    opf = ET.fromstring(z.read("META-INF/container.xml")).find(".//c:rootfile", ns).get("full-path")
    base = posixpath.dirname(opf)
    pkg = ET.fromstring(z.read(opf))
    items = {i.get("id"): i.get("href") for i in pkg.find("o:manifest", ns)}
    parts = []
    for ref in pkg.find("o:spine", ns):
        t = Text()
        t.feed(z.read(posixpath.join(base, items[ref.get("idref")])).decode("utf-8"))
        parts.append("".join(t.out))
    return "\n".join(parts)


def main():
    text = spine_text(sys.argv[1])
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write(text)
    try:
        tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), "words_in_order.py")
        rc = subprocess.run([sys.executable, tool, f.name, f.name] + sys.argv[2:]).returncode
    finally:
        os.unlink(f.name)
    sys.exit(rc)


main()

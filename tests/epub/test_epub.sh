#!/usr/bin/env bash
# The EPUB checked with real validators: epubcheck (no errors, no warnings)
# on the sample issue and the fixtures, every source word in order in the
# XHTML, the navigation document listing every article, the cover rendered
# from the first page, language and direction, accessibility metadata, and
# the container itself: mimetype first and stored, byte-identical rebuilds.
source "$(dirname "$0")/../lib.sh"

# epubcheck: EPUBCHECK, from lib.sh

sources() { # dir: the Markdown files, editorial first
  python3 tests/tools/issue_articles.py "$1"
}

check_issue() { # dir
  local dir=$1 name out epub
  name=$(basename "$dir")
  out="$TMP/$name"
  if ! "$PR" build "$dir" -o "$out" --format epub --quiet 2>"$out.err"; then
    fail "$name: build failed: $(head -5 "$out.err")"; return
  fi
  epub=$(ls "$out"/*.epub 2>/dev/null | head -1)
  check "$name: wrote an .epub" test -s "$epub"
  [ -s "$epub" ] || return
  if [ ${#EPUBCHECK[@]} -gt 0 ]; then
    "${EPUBCHECK[@]}" "$epub" > "$out/epubcheck.txt" 2>&1
    check "$name: epubcheck: 0 errors, 0 warnings" \
      grep -q "Messages: 0 fatals / 0 errors / 0 warnings" "$out/epubcheck.txt"
    grep -E "^(FATAL|ERROR|WARNING)" "$out/epubcheck.txt" | head -5 >&2
  else
    fail "$name: epubcheck is not installed (scripts/setup.sh installs it)"
  fi
  # shellcheck disable=SC2046
  check "$name: every source word in order" python3 tests/tools/epub_words.py "$epub" $(sources "$dir")
  # (check exits 1 on the fixtures whose images are too coarse for print)
  "$PR" check "$dir" --dump=doc > "$out/doc.txt" 2>/dev/null; rc=$?
  check "$name: check --dump=doc runs and dumps the document" test $rc -le 1 -a -s "$out/doc.txt"
  check "$name: container, nav, cover, metadata" python3 - "$epub" "$dir" "$out/doc.txt" <<'PY'
import os, re, struct, subprocess, sys, zipfile
import xml.etree.ElementTree as ET
z = zipfile.ZipFile(sys.argv[1])
y = open(os.path.join(sys.argv[2], "issue.yaml"), encoding="utf-8").read()
bad = []
def need(ok, what):
    if not ok: bad.append(what)
first = z.infolist()[0]
need(first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED and not first.extra
     and z.read("mimetype") == b"application/epub+zip", "mimetype first, stored, no extra field")
O = "{http://www.idpf.org/2007/opf}"
X = "{http://www.w3.org/1999/xhtml}"
E = "{http://www.idpf.org/2007/ops}"
opf = ET.fromstring(z.read("EPUB/package.opf"))
md = opf.find(O + "metadata")
props = {}
for m in md.findall(O + "meta"):
    props.setdefault(m.get("property"), []).append(m.text)
dc = lambda t: [e.text for e in md.findall("{http://purl.org/dc/elements/1.1/}" + t)]
need(re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                  dc("identifier")[0] or ""), "name-based urn:uuid identifier")
need(props.get("dcterms:modified") == ["2024-04-20T00:00:00Z"], "dcterms:modified from SOURCE_DATE_EPOCH")
lang = re.search(r"^language:\s*(\S+)", y, re.M)
need(dc("language")[:1] == [lang.group(1) if lang else "en"], "dc:language is the issue's")
need(dc("title") and dc("date"), "title and date")
for p in ("schema:accessMode", "schema:accessModeSufficient", "schema:accessibilityFeature",
          "schema:accessibilityHazard", "schema:accessibilitySummary"):
    need(p in props, p)
authors = set(re.findall(r'^\s+author: "(.*)"$', open(sys.argv[3], encoding="utf-8").read(), re.M))
need(authors <= set(dc("creator")), "every author is a dc:creator")
items = {i.get("id"): i for i in opf.find(O + "manifest")}
cover = [i for i in items.values() if "cover-image" in (i.get("properties") or "")]
need(len(cover) == 1, "one cover-image")
if cover:
    jpg = z.read("EPUB/" + cover[0].get("href"))
    # the frame header (SOF0..SOF2) gives the size: FF Cn len(2) bits(1) h(2) w(2)
    w = h = 0
    i = 2
    while jpg[:2] == b"\xff\xd8" and i + 9 < len(jpg) and jpg[i] == 0xFF:
        m, seg = jpg[i + 1], struct.unpack(">H", jpg[i + 2:i + 4])[0]
        if m in (0xC0, 0xC1, 0xC2):
            h, w = struct.unpack(">HH", jpg[i + 5:i + 9])
            break
        i += 2 + seg
    need(cover[0].get("media-type") == "image/jpeg" and max(w, h) == 2048 and w * h < 4000000,
         "cover JPEG 2048 px on its long side, under 4 megapixels")
# the nav lists every article, each link pointing at an article document
nav = [i for i in items.values() if "nav" in (i.get("properties") or "").split()][0]
doc = ET.fromstring(z.read("EPUB/" + nav.get("href")))
toc = [n for n in doc.iter(X + "nav") if n.get(E + "type") == "toc"][0]
links = [a.get("href") for a in toc.iter(X + "a")]
n = int(subprocess.run([sys.executable, "tests/tools/issue_articles.py", sys.argv[2], "--count"], capture_output=True, text=True).stdout)
spine = [items[r.get("idref")].get("href") for r in opf.find(O + "spine")]
need(len(links) == n and all(l in spine for l in links), "nav lists every article (%d of %d)" % (len(links), n))
# every image has an alt attribute, every document says its language
for name in z.namelist():
    if name.endswith(".xhtml"):
        h = ET.fromstring(z.read(name))
        need(h.get("{http://www.w3.org/XML/1998/namespace}lang") and h.get("lang"), name + ": xml:lang and lang")
        need(all(i.get("alt") is not None for i in h.iter(X + "img")), name + ": alt on every img")
if bad: print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
}

for d in issues/2024-04-labor-notes tests/fixtures/*/ tests/epub/allblocks; do
  d=${d%/}
  [ "$(basename "$d")" = broken ] && continue
  [ -f "$d/issue.yaml" ] || { fail "$d: no issue.yaml"; continue; }
  check_issue "$d"
done

xhtml() { unzip -p "$1" "EPUB/$2"; }
# each group of checks below reads one EPUB written above: a missing one
# (a build that failed, an output renamed) is a failure, never a skip
written() { # what FILE
  if [ -s "$2" ]; then ok; return 0; fi
  fail "$1: no EPUB at $2"
  return 1
}
# the sample: a lead image with its description, footnotes both ways, pull quotes, a translator
S=$TMP/2024-04-labor-notes/2024-04-labor-notes.epub
if written sample "$S"; then
  check "sample: lead image alt from image-alt" bash -c "unzip -p '$S' EPUB/05-faculty-unite.xhtml | grep -q '<img src=\"images/[^\"]*\" alt=\"Five faculty members'"
  check "sample: lead image caption in figcaption" bash -c "unzip -p '$S' EPUB/05-faculty-unite.xhtml | grep -q '<figcaption>Columbia University faculty'"
  check "sample: noteref and footnote" bash -c "unzip -p '$S' EPUB/01-trotsky.xhtml | grep -q 'epub:type=\"noteref\" role=\"doc-noteref\" href=\"#fn-1\" id=\"fnref-1\"' && unzip -p '$S' EPUB/01-trotsky.xhtml | grep -q 'epub:type=\"footnote\" role=\"doc-footnote\" id=\"fn-1\"'"
  check "sample: footnote links back" bash -c "unzip -p '$S' EPUB/01-trotsky.xhtml | grep -q 'href=\"#fnref-1\" role=\"doc-backlink\"'"
  check "sample: pull quote as aside" bash -c "unzip -p '$S' EPUB/01-trotsky.xhtml | grep -q '<aside class=\"pullquote\"'"
  check "sample: translator as contributor trl" bash -c "unzip -p '$S' EPUB/package.opf | grep -q 'property=\"role\" scheme=\"marc:relators\">trl<'"
  check "sample: end note" bash -c "unzip -p '$S' EPUB/01-trotsky.xhtml | grep -q '<p class=\"endnote\">First published in Spanish'"
  check "sample: Spanish article in Spanish" bash -c "unzip -p '$S' EPUB/03-huelga-unam.xhtml | grep -q '<html[^>]*xml:lang=\"es\" lang=\"es\"'"
  check "sample: nav grouped by section" bash -c "unzip -p '$S' EPUB/nav.xhtml | grep -q '<li><span class=\"section\">Ideas &amp; Debates</span>'"
fi
# every block and inline type (tests/epub/allblocks), escaped where XML needs it
B=$TMP/allblocks/allblocks.epub
if written blocks "$B"; then
  unzip -p "$B" EPUB/01-everything.xhtml > "$TMP/everything.xhtml"
  has() { grep -qF -- "$1" "$TMP/everything.xhtml"; }
  check "blocks: title escaped" has '<h1 id="title">Everything &lt;at&gt; Once &amp; Again</h1>'
  check "blocks: byline with every author" has '<p class="byline">By Ana Ortiz, Ben Brandt, and Chen Wei</p>'
  check "blocks: translator credit" has 'Translated by Dora Dimitrova'
  check "blocks: emphasis, strong, code" has '<em>emphasis</em>, <strong>strong text</strong>, <code>inline &lt;code&gt; &amp; more</code>'
  check "blocks: external link kept, escaped" has '<a href="https://example.org/a?b=1&amp;c=2">link to the web</a>'
  check "blocks: relative link set as text" has ' and a relative link'
  check "blocks: hard break" has 'hard break here:<br/>'
  check "blocks: headings start at h2" bash -c "grep -q '<h2>A first-level heading</h2>' '$TMP/everything.xhtml' && grep -q '<h4>A third-level heading</h4>' '$TMP/everything.xhtml'"
  check "blocks: ordered list keeps its start" has '<ol start="3">'
  check "blocks: nested list" bash -c "tr -d '\n' < '$TMP/everything.xhtml' | grep -q '<li>fourth item<ol><li>nested first</li>'"
  check "blocks: loose list items keep paragraphs" has '<li><p>a loose item</p>'
  check "blocks: block quote" has '<blockquote>'
  check "blocks: pull quote as aside" has '<aside class="pullquote" epub:type="pullquote" role="doc-pullquote">'
  check "blocks: code block escaped" has '<pre><code>int main(void) { return 1 &lt; 2 &amp;&amp; 3 &gt; 2; }</code></pre>'
  check "blocks: thematic break" has '<hr/>'
  check "blocks: inline language with direction" has '<span xml:lang="ar" lang="ar" dir="rtl">'
  check "blocks: inline language" has '<span xml:lang="de" lang="de">Guten Morgen</span>'
  check "blocks: right-to-left paragraph" has '<p dir="rtl">'
  check "blocks: image alt from its caption" has 'alt="A caption that also serves as the alt text."/>'
  check "blocks: figure caption" has '<figcaption>A caption that also serves as the alt text.</figcaption>'
  check "blocks: a note cited twice has two references" bash -c "grep -q 'id=\"fnref-1\"' '$TMP/everything.xhtml' && grep -q 'id=\"fnref-1-2\"' '$TMP/everything.xhtml'"
  check "blocks: a footnote holding a list" bash -c "tr -d '\n' < '$TMP/everything.xhtml' | grep -q 'with a list:</p><ul><li>one</li>'"
  check "blocks: end note escaped" has '<p class="endnote">An end note with &lt;angle brackets&gt; &amp; an ampersand.</p>'
  check "blocks: editorial first in the spine" bash -c "unzip -p '$B' EPUB/package.opf | grep -A3 '<spine' | grep -q 'idref=\"editorial\"'"
  check "blocks: two articles under one section" bash -c "unzip -p '$B' EPUB/nav.xhtml | tr -d '\n' | grep -q '<span class=\"section\">Tests</span><ol><li><a href=\"01-everything.xhtml\">Everything &lt;at&gt; Once &amp; Again</a></li><li><a href=\"02-second.xhtml\">'"
  check "blocks: NCX uid matches the identifier" bash -c "[ \"\$(unzip -p '$B' EPUB/toc.ncx | grep -o 'dtb:uid\" content=\"[^\"]*' | cut -d'\"' -f3)\" = \"\$(unzip -p '$B' EPUB/package.opf | grep -o 'urn:uuid:[^<]*')\" ]"
  check "blocks: issue number as group position" bash -c "unzip -p '$B' EPUB/package.opf | grep -q 'property=\"group-position\">1<'"
fi
# right to left: the issue, its paragraphs, and an English article inside it
A=$TMP/arabic/test-ar.epub
if written arabic "$A"; then
  check "arabic: page-progression-direction rtl" bash -c "unzip -p '$A' EPUB/package.opf | grep -q 'page-progression-direction=\"rtl\"'"
  check "arabic: Arabic article is rtl" bash -c "unzip -p '$A' EPUB/01-maktaba.xhtml | grep -q '<html[^>]*xml:lang=\"ar\" lang=\"ar\" dir=\"rtl\"'"
  check "arabic: rtl paragraph in an English article" bash -c "unzip -p '$A' EPUB/02-reading-group.xhtml | grep -q '<p[^>]* dir=\"rtl\"'"
  check "arabic: Arabic passage marked" bash -c "unzip -p '$A' EPUB/02-reading-group.xhtml | grep -q 'xml:lang=\"ar\" lang=\"ar\"'"
fi
# an image without alt text: empty alt, presentation role, no conformance claim
I=$TMP/images/test-images.epub
if written images "$I"; then
  check "images: missing alt is empty with role presentation" bash -c "unzip -p '$I' EPUB/01-pictures.xhtml | grep -q 'alt=\"\" role=\"presentation\"'"
  check "images: no WCAG claim with a missing alt" bash -c "! unzip -p '$I' EPUB/package.opf | grep -q 'dcterms:conformsTo'"
  check "images: JPEG and PNG copied as they are" bash -c "unzip -p '$I' EPUB/images/01-lead.jpg | cmp -s - tests/fixtures/images/images/lead.jpg && unzip -p '$I' EPUB/images/02-diagram.png | cmp -s - tests/fixtures/images/images/diagram.png"
fi
N=$TMP/noimages
if written sample "$S"; then
  check "sample: WCAG 2.1 AA claim" bash -c "unzip -p '$S' EPUB/package.opf | grep -q 'dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA<'"
fi

# the words test sees a missing word
printf 'Nothing but words and one xylophonequartet.\n' > "$TMP/extra.md"
written noimages "$N/noimages.epub" &&
  check "words test fails on a word the EPUB lacks" bash -c "! python3 tests/tools/epub_words.py '$N/noimages.epub' '$TMP/extra.md' >/dev/null"

# reproducible: same input and SOURCE_DATE_EPOCH give the same bytes, in any time zone
TZ=UTC "$PR" build tests/fixtures/footnotes -o "$TMP/r1" --format epub --quiet 2>/dev/null || fail "footnotes: build r1 failed"
TZ=America/New_York "$PR" build tests/fixtures/footnotes -o "$TMP/r2" --format epub --quiet 2>/dev/null || fail "footnotes: build r2 failed"
written footnotes "$TMP/r1/test-footnotes.epub"
check "reproducible EPUB" cmp -s "$TMP"/r1/test-footnotes.epub "$TMP"/r2/test-footnotes.epub
SOURCE_DATE_EPOCH=1717243200 "$PR" build tests/fixtures/footnotes -o "$TMP/r3" --format epub --quiet 2>/dev/null || fail "footnotes: build r3 failed"
check "SOURCE_DATE_EPOCH sets dcterms:modified" bash -c "unzip -p '$TMP/r3/test-footnotes.epub' EPUB/package.opf | grep -q '>2024-06-01T12:00:00Z<'"
check "zip entries carry SOURCE_DATE_EPOCH" python3 -c "
import zipfile, sys
z = zipfile.ZipFile(sys.argv[1])
sys.exit(0 if all(i.date_time == (2024, 6, 1, 12, 0, 0) for i in z.infolist()) else 1)" "$TMP/r3/test-footnotes.epub"
# without SOURCE_DATE_EPOCH: the issue's date, never the clock
env -u SOURCE_DATE_EPOCH "$PR" build tests/fixtures/footnotes -o "$TMP/r4" --format epub --quiet 2>/dev/null || fail "footnotes: build r4 failed"
check "no SOURCE_DATE_EPOCH: the issue date at midnight" bash -c "unzip -p '$TMP/r4/test-footnotes.epub' EPUB/package.opf | grep -q '>2024-09-01T00:00:00Z<'"
check "same identifier in every build" bash -c "[ \"\$(unzip -p '$TMP/r1/test-footnotes.epub' EPUB/package.opf | grep -o 'urn:uuid:[^<]*')\" = \"\$(unzip -p '$TMP/r4/test-footnotes.epub' EPUB/package.opf | grep -o 'urn:uuid:[^<]*')\" ]"

# default formats include the EPUB; no temporary file is left behind
"$PR" build tests/fixtures/noimages -o "$TMP/d" --quiet 2>/dev/null; rc=$?
check "default build exits 0" test $rc -eq 0
check "default build writes the EPUB" test -s "$TMP/d/noimages.epub"
check "no temporary files left" bash -c "! ls -A '$TMP/d' | grep -q tmp"
# headings never skip a level: a ### straight under the title is an h2,
# a ### after a # one level below it
mkdir -p "$TMP/hx/articles"
printf -- '---\ntitle: T\nauthors: [A]\n---\nIntro.\n\n### Deep one\n\nText.\n\n# Top\n\nMore.\n\n### Deeper\n\nEnd.\n' > "$TMP/hx/articles/a.md"
printf 'title: T\nissue: I\ndate: 2024-01-01\narticles:\n  - file: articles/a.md\n' > "$TMP/hx/issue.yaml"
"$PR" build "$TMP/hx" -o "$TMP/hx/o" --format epub --quiet; rc=$?
check "headings: build exits 0" test $rc -eq 0
check "EPUB headings never skip a level" bash -c "[ \"\$(unzip -p '$TMP/hx/o/hx.epub' EPUB/01-a.xhtml | grep -o '<h[1-6]' | tr -d '<h' | tr '\n' ' ')\" = '1 2 2 3 ' ]"

finish

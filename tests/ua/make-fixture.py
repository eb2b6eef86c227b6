#!/usr/bin/env python3
# make-fixture.py - writes the small hand-made tagged PDFs that
# tests/ua/test_uacheck.sh runs pr_uacheck on: one good PDF/UA-1 page, or
# that page with one fault planted. Called by the test only.
#   make-fixture.py FAULT OUT.pdf     (FAULT: good, or one of FAULTS below)
# The good page: an Art (role-mapped from /Article) holding H1, P (with a
# nested /Span ActualText sequence), a Figure with Alt, a Link with an OBJR
# to its annotation, a list, a table (TH with /Scope), H2; the folio and a form XObject's rule are
# Artifacts (a second form, drawn inside the Figure's sequence, is marked by
# it); a third form holds tagged text of its own (an MCR with /Stm, the
# form's /StructParents); a Text annotation sits in an Annot element; the
# content is two streams, a sequence opening in the first and
# closing in the second; an Artifact beside the folio shows a glyph of an
# embedded TrueType CID font (DejaVu Sans Mono, from fonts/) whose /W width
# is the font program's. The cross-reference table is computed here, so the
# output is a valid PDF as written (the test runs qpdf --check on it).
import os
import struct
import sys

FONT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "fonts", "DejaVuSansMono.ttf")

FAULTS = {
    "figure-no-alt", "folio-unmarked", "h1-h3", "no-lang", "link-no-contents",
    "no-pdfuaid", "mcid-not-in-parenttree", "unmapped-type", "no-displaydoctitle",
    "no-tabs", "li-holds-p", "first-heading-h2", "form-unmarked", "bad-lang",
    "link-no-structparent", "unclosed-bdc", "inline-image-unmarked", "artifact-in-tagged",
    "tree-mcid-missing", "duplicate-mcid", "mixed-h", "rolemap-circular", "standard-remapped",
    "low-nextkey", "text-annot-no-contents", "form-mcid-reused",
    "displaydoctitle-false", "h1-h2-h1-h3", "wrong-parent", "pg-not-a-page", "th-no-scope",
    "glyph-width",
}


def advance(font, gid):
    """the hmtx advance of glyph gid x 1000 / unitsPerEm"""
    tables = {}
    for i in range(struct.unpack(">H", font[4:6])[0]):
        tag, _, off, length = struct.unpack(">4sIII", font[12 + 16 * i:28 + 16 * i])
        tables[tag] = off
    upem = struct.unpack(">H", font[tables[b"head"] + 18:tables[b"head"] + 20])[0]
    nmetrics = struct.unpack(">H", font[tables[b"hhea"] + 34:tables[b"hhea"] + 36])[0]
    at = tables[b"hmtx"] + 4 * min(gid, nmetrics - 1)
    return struct.unpack(">H", font[at:at + 2])[0] * 1000 / upem


def build(fault):
    with open(FONT, "rb") as f:
        font = f.read()
    lang = "" if fault == "no-lang" else "/Lang (en_US)" if fault == "bad-lang" else "/Lang (en-US)"
    ddt = {"no-displaydoctitle": "", "displaydoctitle-false": "/DisplayDocTitle false"}.get(
        fault, "/DisplayDocTitle true")
    pdfuaid = "" if fault == "no-pdfuaid" else \
        '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">' \
        "<pdfuaid:part>1</pdfuaid:part></rdf:Description>"
    xmp = ('<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
           '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">'
           '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Labor Notes, April 2024</rdf:li></rdf:Alt></dc:title>'
           "</rdf:Description>" + pdfuaid + '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>')
    folio = "BT /F1 9 Tf 300 30 Td (7) Tj ET\n"
    if fault != "folio-unmarked":
        folio = "/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n" + folio + "EMC\n"
    rule = "0 0 m 400 0 l S\n"
    if fault != "form-unmarked":
        rule = "/Artifact BMC\n" + rule + "EMC\n"
    tail = {"unclosed-bdc": "/P <</MCID 20>> BDC\n",
            "inline-image-unmarked": "q 10 0 0 10 72 200 cm BI /W 1 /H 1 /CS /G /BPC 8 ID A EI Q\n",
            }.get(fault, "")
    artifact = "/Artifact BMC\n0 0 m 10 0 l S\nEMC\n" if fault == "artifact-in-tagged" else ""
    fm3 = "q 1 0 0 1 72 250 cm /Fm3 Do Q\n" * (2 if fault == "form-mcid-reused" else 1)
    mcid6 = 5 if fault == "duplicate-mcid" else 6
    c1 = (folio + "/Artifact BMC\nBT /F2 9 Tf 320 30 Td <0003> Tj ET\nEMC\n" +
          "/H1 <</MCID 0>> BDC\nBT /F1 24 Tf 72 700 Td (The shop floor) Tj ET\nEMC\n"
          "/P <</MCID 1>> BDC\nBT /F1 12 Tf 72 670 Td (Organising ) Tj ET\n" + artifact)
    c2 = ("/Span <</ActualText (works)>> BDC\nBT /F1 12 Tf 150 670 Td [(wo) -20 (rks)] TJ ET\nEMC\nEMC\n"
          "/Figure <</MCID 2>> BDC\nq 0.5 g 72 400 200 150 re f Q\nq 1 0 0 1 80 410 cm /Fm2 Do Q\nEMC\n"
          "/Link <</MCID 3>> BDC\nBT /F1 12 Tf 72 350 Td (Read more) Tj ET\nEMC\n"
          "/Lbl <</MCID 5>> BDC\nBT /F1 12 Tf 72 320 Td (1.) Tj ET\nEMC\n"
          f"/P <</MCID {mcid6}>> BDC\nBT /F1 12 Tf 90 320 Td (First item) Tj ET\nEMC\n"
          "/TH <</MCID 7>> BDC\nBT /F1 12 Tf 72 310 Td (Local) Tj ET\nEMC\n"
          "/TD <</MCID 8>> BDC\nBT /F1 12 Tf 72 305 Td (214) Tj ET\nEMC\n"
          "/H2 <</MCID 4>> BDC\nBT /F1 16 Tf 72 300 Td (A section) Tj ET\nEMC\n"
          "q 1 0 0 1 72 280 cm /Fm1 Do Q\n" + fm3 + tail)
    fig_alt = "" if fault == "figure-no-alt" else "/Alt (A picket line outside the plant)"
    # h1-h2-h1-h3: the P and the Figure become H2 and H1, so the last H3
    # skips a level after the H1 before it, though H2 was reached earlier
    fig_parent = "12 0 R" if fault == "wrong-parent" else "10 0 R"
    fig_pg = "5 0 R" if fault == "pg-not-a-page" else "3 0 R"
    p_type = "/H2" if fault == "h1-h2-h1-h3" else "/P"
    fig_type = "/H1" if fault == "h1-h2-h1-h3" else "/Figure"
    h2 = {"h1-h3": "/H3", "mixed-h": "/H", "h1-h2-h1-h3": "/H3"}.get(fault, "/H2")
    h1 = "/H2" if fault == "first-heading-h2" else "/H1"
    art = "/Sidebar" if fault in ("unmapped-type", "rolemap-circular") else "/Article"
    rolemap = {"rolemap-circular": "/Article /Art /Sidebar /Box /Box /Sidebar",
               "standard-remapped": "/Article /Art /P /Span"}.get(fault, "/Article /Art")
    lbl_k = "[5 21]" if fault == "tree-mcid-missing" else "5"
    contents = "" if fault == "link-no-contents" else "/Contents (Read more: the union's site)"
    note = "" if fault == "text-annot-no-contents" else "/Contents (Editor's note)"
    tabs = "" if fault == "no-tabs" else "/Tabs /S"
    sp = "" if fault == "link-no-structparent" else "/StructParent 1"
    pt0 = "[11 0 R 12 0 R 13 0 R 14 0 R 15 0 R 18 0 R 19 0 R 27 0 R 28 0 R]"
    if fault == "mcid-not-in-parenttree":
        pt0 = pt0.replace("15 0 R", "null")
    scope = "" if fault == "th-no-scope" else "/A << /O /Table /Scope /Column >>"
    # list: L > LI > Lbl, LBody > P
    lbody = "<< /Type /StructElem /S /LBody /P 17 0 R /K 19 0 R >>"
    li = "<< /Type /StructElem /S /LI /P 16 0 R /K [18 0 R 20 0 R] >>"
    if fault == "li-holds-p":
        li = "<< /Type /StructElem /S /LI /P 16 0 R /K [18 0 R 19 0 R] >>"
    objs = {
        1: f"<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 9 0 R /MarkInfo << /Marked true >> "
           f"/ViewerPreferences << {ddt} >> {lang} /Metadata 8 0 R >>",
        2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents [4 0 R 5 0 R] "
           f"/Resources << /Font << /F1 6 0 R /F2 32 0 R >> /XObject << /Fm1 7 0 R /Fm2 22 0 R /Fm3 25 0 R >> >> "
           f"/StructParents 0 {tabs} /Annots [21 0 R 24 0 R] >>",
        4: ("stream", c1),
        5: ("stream", c2),
        6: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        7: ("stream", rule, "/Type /XObject /Subtype /Form /BBox [0 -1 400 1]"),
        8: ("stream", xmp, "/Type /Metadata /Subtype /XML"),
        9: "<< /Type /StructTreeRoot /K 10 0 R /ParentTree << /Nums [0 " + pt0 + " 1 14 0 R 2 23 0 R 3 [26 0 R]] >> "
           "/ParentTreeNextKey " + ("3" if fault == "low-nextkey" else "4") + " /RoleMap << " + rolemap + " >> >>",
        10: f"<< /Type /StructElem /S {art} /P 9 0 R /Pg 3 0 R /K [11 0 R 12 0 R 13 0 R 14 0 R 16 0 R 31 0 R 15 0 R 26 0 R 23 0 R] >>",
        11: f"<< /Type /StructElem /S {h1} /P 10 0 R /Pg 3 0 R /K 0 >>",
        12: f"<< /Type /StructElem /S {p_type} /P 10 0 R /Pg 3 0 R /K 1 /Lang (en) >>",
        13: f"<< /Type /StructElem /S {fig_type} /P {fig_parent} /Pg {fig_pg} /K 2 {fig_alt} >>",
        14: "<< /Type /StructElem /S /Link /P 10 0 R /Pg 3 0 R "
            "/K [3 << /Type /OBJR /Obj 21 0 R /Pg 3 0 R >>] >>",
        15: f"<< /Type /StructElem /S {h2} /P 10 0 R /K << /Type /MCR /Pg 3 0 R /MCID 4 >> >>",
        16: "<< /Type /StructElem /S /L /P 10 0 R /K 17 0 R >>",
        17: li,
        18: f"<< /Type /StructElem /S /Lbl /P 17 0 R /Pg 3 0 R /K {lbl_k} >>",
        19: "<< /Type /StructElem /S /P /P 20 0 R /Pg 3 0 R /K 6 >>",
        20: lbody,
        21: f"<< /Type /Annot /Subtype /Link /Rect [72 345 150 362] /Border [0 0 0] {contents} {sp} "
            f"/A << /S /URI /URI (https://example.org/) >> >>",
        23: "<< /Type /StructElem /S /Annot /P 10 0 R /Pg 3 0 R /K << /Type /OBJR /Obj 24 0 R /Pg 3 0 R >> >>",
        24: f"<< /Type /Annot /Subtype /Text /Rect [500 700 520 720] {note} /StructParent 2 >>",
        25: ("stream", "/P <</MCID 0>> BDC\nBT /F1 12 Tf 0 0 Td (A pull quote) Tj ET\nEMC\n",
             "/Type /XObject /Subtype /Form /BBox [0 0 200 20] /StructParents 3 "
             "/Resources << /Font << /F1 6 0 R >> >>"),
        26: "<< /Type /StructElem /S /P /P 10 0 R /K << /Type /MCR /Pg 3 0 R /Stm 25 0 R /MCID 0 >> >>",
        27: f"<< /Type /StructElem /S /TH /P 29 0 R /Pg 3 0 R /K 7 {scope} >>",
        28: "<< /Type /StructElem /S /TD /P 30 0 R /Pg 3 0 R /K 8 >>",
        29: "<< /Type /StructElem /S /TR /P 31 0 R /K 27 0 R >>",
        30: "<< /Type /StructElem /S /TR /P 31 0 R /K 28 0 R >>",
        31: "<< /Type /StructElem /S /Table /P 10 0 R /K [29 0 R 30 0 R] >>",
        22: ("stream", "0 0 m 20 20 l S\n", "/Type /XObject /Subtype /Form /BBox [0 0 20 20]"),
        # glyph-width: the width of CID 3 (glyph 3) 100 units off (31-016)
        32: "<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSansMono /Encoding /Identity-H "
            "/DescendantFonts [33 0 R] >>",
        33: "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSansMono "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            "/FontDescriptor 34 0 R /CIDToGIDMap /Identity /W [3 [%d]] >>"
            % (round(advance(font, 3)) + (100 if fault == "glyph-width" else 0)),
        34: "<< /Type /FontDescriptor /FontName /DejaVuSansMono /Flags 5 /FontBBox [-558 -375 718 1028] "
            "/ItalicAngle 0 /Ascent 928 /Descent -236 /CapHeight 729 /StemV 80 /FontFile2 35 0 R >>",
        35: ("stream", font, "/Length1 %d" % len(font)),
    }
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for n in sorted(objs):
        offsets[n] = len(out)
        o = objs[n]
        if isinstance(o, tuple):
            data = o[1] if isinstance(o[1], bytes) else o[1].encode()
            extra = o[2] if len(o) > 2 else ""
            body = b"<< %s /Length %d >>\nstream\n" % (extra.encode(), len(data)) + data + b"\nendstream"
        else:
            body = o.encode()
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    size = max(objs) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for n in range(1, size):
        out += b"%010d 00000 n \n" % offsets[n]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info << /Title (Labor Notes) >> >>\nstartxref\n%d\n%%%%EOF\n" % (
        size, xref)
    return bytes(out)


def main():
    if len(sys.argv) != 3 or (sys.argv[1] != "good" and sys.argv[1] not in FAULTS):
        sys.exit("usage: make-fixture.py good|" + "|".join(sorted(FAULTS)) + " OUT.pdf")
    with open(sys.argv[2], "wb") as f:
        f.write(build(sys.argv[1]))


if __name__ == "__main__":
    main()

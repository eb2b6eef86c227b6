#!/usr/bin/env python3
"""make-ad.py - writes the test advertisements for tests/ads (python3
standard library only):

  make-ad.py full  OUT.pdf   a full-page ad: TrimBox 8.5x11in, BleedBox and
                             MediaBox 0.125in larger, a CMYK background to
                             the bleed edge, text in DejaVu Sans embedded as
                             /FontFile2 (WinAnsiEncoding), a vector shape and
                             a 300 ppi /DeviceCMYK image; Flate content
  make-ad.py third OUT.pdf   a third-page ad, 2.4x10in, the same ingredients
  make-ad.py half  OUT.pdf   a half-page ad across the columns, 7.25x4.5in
  make-ad.py bad   OUT.pdf   a 2.4x10in ad with Helvetica not embedded, an
                             rg colour and a 24 ppi DeviceRGB image

The bytes depend on nothing but the font file, so the test can compare."""
import struct
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
FONT = ROOT / "fonts" / "DejaVuSans.ttf"
IN = 72.0


class TrueType:
    """Just enough of a TrueType file for a simple font: advance widths of
    the WinAnsi range 32..126 in 1/1000 em, and the descriptor's metrics."""

    def __init__(self, data):
        self.data = data
        n = struct.unpack(">H", data[4:6])[0]
        self.tables = {}
        for i in range(n):
            tag, _, off, length = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
            self.tables[tag.decode("latin-1")] = (off, length)
        head = self.tables["head"][0]
        self.upem = struct.unpack(">H", data[head + 18:head + 20])[0]
        self.bbox = struct.unpack(">hhhh", data[head + 36:head + 44])
        hhea = self.tables["hhea"][0]
        self.ascent, self.descent = struct.unpack(">hh", data[hhea + 4:hhea + 8])
        self.nmetrics = struct.unpack(">H", data[hhea + 34:hhea + 36])[0]
        self.cmap = self._cmap()

    def _cmap(self):
        d = self.data
        base = self.tables["cmap"][0]
        n = struct.unpack(">H", d[base + 2:base + 4])[0]
        for i in range(n):
            pid, eid, off = struct.unpack(">HHI", d[base + 4 + 8 * i:base + 12 + 8 * i])
            t = base + off
            if pid == 3 and eid == 1 and struct.unpack(">H", d[t:t + 2])[0] == 4:
                segs = struct.unpack(">H", d[t + 6:t + 8])[0] // 2
                ends = struct.unpack(">%dH" % segs, d[t + 14:t + 14 + 2 * segs])
                p = t + 16 + 2 * segs
                starts = struct.unpack(">%dH" % segs, d[p:p + 2 * segs])
                deltas = struct.unpack(">%dh" % segs, d[p + 2 * segs:p + 4 * segs])
                ro = p + 4 * segs
                offs = struct.unpack(">%dH" % segs, d[ro:ro + 2 * segs])
                m = {}
                for s in range(segs):
                    for c in range(starts[s], min(ends[s], 255) + 1):
                        if offs[s] == 0:
                            g = (c + deltas[s]) & 0xFFFF
                        else:
                            a = ro + 2 * s + offs[s] + 2 * (c - starts[s])
                            g = struct.unpack(">H", d[a:a + 2])[0]
                            g = (g + deltas[s]) & 0xFFFF if g else 0
                        m[c] = g
                return m
        raise SystemExit("make-ad.py: no (3,1) format 4 cmap in %s" % FONT)

    def width(self, ch):
        g = self.cmap.get(ch, 0)
        hmtx = self.tables["hmtx"][0]
        i = min(g, self.nmetrics - 1)
        adv = struct.unpack(">H", self.data[hmtx + 4 * i:hmtx + 4 * i + 2])[0]
        return round(adv * 1000 / self.upem)

    def scale(self, v):
        return round(v * 1000 / self.upem)


class PDF:
    def __init__(self):
        self.objs = []

    def add(self, body):
        self.objs.append(body)
        return len(self.objs)

    def stream(self, dict_body, data, flate=True):
        if flate:
            data = zlib.compress(data, 9)
            dict_body += " /Filter /FlateDecode"
        return self.add(b"<< " + dict_body.encode() + b" /Length %d >>\nstream\n" % len(data) + data +
                        b"\nendstream")

    def write(self, path, root):
        out = bytearray(b"%PDF-1.6\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, body in enumerate(self.objs, 1):
            offsets.append(len(out))
            if isinstance(body, str):
                body = body.encode()
            out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objs) + 1)
        for o in offsets:
            out += b"%010d 00000 n \n" % o
        out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(self.objs) + 1, root, xref)
        Path(path).write_bytes(bytes(out))


def embedded_font(pdf):
    data = FONT.read_bytes()
    tt = TrueType(data)
    ff = pdf.stream("/Length1 %d" % len(data), data)
    bbox = " ".join(str(tt.scale(v)) for v in tt.bbox)
    fd = pdf.add("<< /Type /FontDescriptor /FontName /DejaVuSans /Flags 32 /FontBBox [%s] /ItalicAngle 0 "
                 "/Ascent %d /Descent %d /CapHeight %d /StemV 80 /FontFile2 %d 0 R >>"
                 % (bbox, tt.scale(tt.ascent), tt.scale(tt.descent), tt.scale(tt.ascent), ff))
    widths = " ".join(str(tt.width(c)) for c in range(32, 127))
    return pdf.add("<< /Type /Font /Subtype /TrueType /BaseFont /DejaVuSans /FirstChar 32 /LastChar 126 "
                   "/Widths [%s] /Encoding /WinAnsiEncoding /FontDescriptor %d 0 R >>" % (widths, fd))


def cmyk_image(pdf, n):
    """An n x n DeviceCMYK gradient: cyan across, magenta down."""
    rows = bytearray()
    for y in range(n):
        for x in range(n):
            rows += bytes((x * 255 // (n - 1), y * 255 // (n - 1), 0, 0))
    return pdf.stream("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceCMYK "
                      "/BitsPerComponent 8" % (n, n), bytes(rows))


def rgb_image(pdf, n):
    rows = b"".join(bytes((x * 255 // (n - 1), 0, 255 - x * 255 // (n - 1))) for y in range(n) for x in range(n))
    return pdf.stream("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                      "/BitsPerComponent 8" % (n, n), rows)


def text(s):
    return "(" + s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def make(kind, path):
    pdf = PDF()
    if kind == "full":
        tw, th, bleed = 8.5 * IN, 11 * IN, 0.125 * IN
    elif kind == "half":
        tw, th, bleed = 7.25 * IN, 4.5 * IN, 0
    else:
        tw, th, bleed = 2.4 * IN, 10 * IN, 0
    mw, mh = tw + 2 * bleed, th + 2 * bleed
    x0, y0 = bleed, bleed  # the trim's lower left
    c = []
    if kind == "bad":
        font = pdf.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        img = rgb_image(pdf, 16)
        c.append("0.9 0.9 1 rg %.2f %.2f %.2f %.2f re f" % (x0, y0, tw, th))
        c.append("q 48 0 0 48 %.2f %.2f cm /Im0 Do Q" % (x0 + 12, y0 + th - 80))
        c.append("BT /F1 18 Tf 0 0 0 rg %.2f %.2f Td %s Tj ET" % (x0 + 12, y0 + th / 2, text("Bad Ad Co.")))
    else:
        font = embedded_font(pdf)
        img = cmyk_image(pdf, 300)
        # the background, to the bleed edge
        c.append("0 0.55 1 0 k 0 0 %.2f %.2f re f" % (mw, mh))
        # a vector shape: a cyan circle-ish octagon with a black outline
        cx, cy, r = x0 + tw / 2, y0 + th * 0.62, min(tw, th) * 0.3
        pts = [(cx + r * dx, cy + r * dy) for dx, dy in
               ((1, 0.41), (0.41, 1), (-0.41, 1), (-1, 0.41), (-1, -0.41), (-0.41, -1), (0.41, -1), (1, -0.41))]
        c.append("1 0 0 0 k 0 0 0 1 K 4 w %.2f %.2f m " % pts[0] +
                 " ".join("%.2f %.2f l" % p for p in pts[1:]) + " h B")
        # the image: 300 px on 1in, 300 ppi
        c.append("q 72 0 0 72 %.2f %.2f cm /Im0 Do Q" % (x0 + 24, y0 + 24))
        size = 36 if kind == "full" else 20
        c.append("BT /F1 %d Tf 0 0 0 1 k %.2f %.2f Td %s Tj ET" %
                 (size, x0 + 24, y0 + th * 0.25, text({"full": "Acme Ink", "half": "Half Measures"}.get(kind, "Tiny Press"))))
        c.append("BT /F1 12 Tf 0 0 0 1 k %.2f %.2f Td %s Tj ET" %
                 (x0 + 24, y0 + th * 0.25 - 24, text("Printed as supplied.")))
    content = pdf.stream("", ("\n".join(c) + "\n").encode())
    res = "<< /Font << /F1 %d 0 R >> /XObject << /Im0 %d 0 R >> >>" % (font, img)
    boxes = "/MediaBox [0 0 %.3f %.3f] /TrimBox [%.3f %.3f %.3f %.3f]" % (mw, mh, x0, y0, x0 + tw, y0 + th)
    if bleed:
        boxes += " /BleedBox [0 0 %.3f %.3f]" % (mw, mh)
    pages_id = len(pdf.objs) + 2
    page = pdf.add("<< /Type /Page /Parent %d 0 R %s /Resources %s /Contents %d 0 R >>"
                   % (pages_id, boxes, res, content))
    pages = pdf.add("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    assert pages == pages_id
    root = pdf.add("<< /Type /Catalog /Pages %d 0 R >>" % pages)
    pdf.write(path, root)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("full", "third", "half", "bad"):
        raise SystemExit(__doc__)
    make(sys.argv[1], sys.argv[2])

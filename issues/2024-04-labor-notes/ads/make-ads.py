#!/usr/bin/env python3
"""make-ads.py - writes the sample issue's two advertisements as the
advertisers would supply them (python3 standard library only; the PDF
writer and font embedding are tests/ads/make-ad.py's):

  credit-union.pdf   a full-page ad, US Letter with 0.125 in of bleed:
                     a CMYK background to the bleed edge, vector roses,
                     text in DejaVu Sans embedded
  bookshop.pdf       a third-page vertical ad, 2.3 x 9.4 in, one column
                     of the magazine layout
  school.pdf         a half-page ad across the columns, 7.25 x 4.5 in
  donate.pdf         the magazine's own half-page house ad (a filler)
  podcast.pdf        its third-page house ad across the columns (a filler)

The advertisers are made up for the sample. Run it from anywhere; it
writes beside itself."""
import importlib.util
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("makead", HERE.parent.parent.parent / "tests/ads/make-ad.py")
ad = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ad)
IN = 72.0


def rose(cx, cy, r, k):
    """A rose as vector petals: circles drawn with Bezier curves."""
    out = []
    for i, (dx, dy, rr) in enumerate(((0, 0, 1), (0.55, 0.2, 0.7), (-0.5, 0.25, 0.7), (0.1, -0.55, 0.7))):
        x, y, q = cx + dx * r, cy + dy * r, rr * r
        c = 0.5523 * q
        out.append("%s %.2f %.2f m %.2f %.2f %.2f %.2f %.2f %.2f c %.2f %.2f %.2f %.2f %.2f %.2f c "
                   "%.2f %.2f %.2f %.2f %.2f %.2f c %.2f %.2f %.2f %.2f %.2f %.2f c f" %
                   (k, x + q, y, x + q, y + c, x + c, y + q, x, y + q, x - c, y + q, x - q, y + c, x - q, y,
                    x - q, y - c, x - c, y - q, x, y - q, x + c, y - q, x + q, y - c, x + q, y))
    return out


def page(path, tw, th, bleed, lines, bg, fg):
    pdf = ad.PDF()
    font = ad.embedded_font(pdf)
    mw, mh = tw + 2 * bleed, th + 2 * bleed
    x0, y0 = bleed, bleed
    c = ["%s 0 0 %.2f %.2f re f" % (bg, mw, mh)]
    c += rose(x0 + tw * 0.72, y0 + th * 0.72, min(tw, th) * 0.16, "0 0.9 0.75 0.05 k")
    c += rose(x0 + tw * 0.3, y0 + th * 0.8, min(tw, th) * 0.1, "0 0.9 0.75 0.05 k")
    c.append("0.2 0 0.9 0.5 k %.2f %.2f %.2f %.2f re f" % (x0 + tw * 0.1, y0 + th * 0.52, tw * 0.8, 3))
    y = y0 + th * 0.45
    for size, s in lines:
        c.append("BT /F1 %d Tf %s %.2f %.2f Td %s Tj ET" % (size, fg, x0 + tw * 0.1, y, ad.text(s)))
        y -= size * 1.35
    content = pdf.stream("", ("\n".join(c) + "\n").encode())
    res = "<< /Font << /F1 %d 0 R >> >>" % font
    boxes = "/MediaBox [0 0 %.3f %.3f] /TrimBox [%.3f %.3f %.3f %.3f]" % (mw, mh, x0, y0, x0 + tw, y0 + th)
    if bleed:
        boxes += " /BleedBox [0 0 %.3f %.3f]" % (mw, mh)
    pages_id = len(pdf.objs) + 2
    pg = pdf.add("<< /Type /Page /Parent %d 0 R %s /Resources %s /Contents %d 0 R >>" % (pages_id, boxes, res, content))
    pages = pdf.add("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % pg)
    root = pdf.add("<< /Type /Catalog /Pages %d 0 R >>" % pages)
    pdf.write(path, root)


page(HERE / "credit-union.pdf", 8.5 * IN, 11 * IN, 0.125 * IN,
     [(40, "Bread & Roses"), (40, "Credit Union"), (18, ""), (18, "Owned by the workers who bank here."),
      (18, "Strike-fund accounts, no fees for union members,"), (18, "loans for the months a contract fight takes."),
      (14, ""), (14, "1912 Lawrence Street  -  breadandroses.coop")],
     "0 0.85 0.7 0.35 k", "0 0 0 0 k")
page(HERE / "bookshop.pdf", 2.3 * IN, 9.4 * IN, 0,
     [(16, "Haymarket"), (16, "Corner Books"), (9, ""), (9, "Labor history,"), (9, "new and used."),
      (9, "Reading group"), (9, "every Thursday."), (9, ""), (8, "Open 10 to 8 daily")],
     "0 0.05 0.2 0 k", "0 0 0 1 k")
page(HERE / "school.pdf", 7.25 * IN, 4.5 * IN, 0,
     [(22, "Summer School for Organizers"), (11, ""), (11, "Five evenings on contracts, strikes and solidarity."),
      (11, "Taught by stewards, for stewards.  July 8-12, Chicago.")],
     "0.75 0.35 0 0.2 k", "0 0 0 0 k")
page(HERE / "donate.pdf", 7.25 * IN, 4.5 * IN, 0,
     [(22, "Left Voice runs on its readers"), (11, ""), (11, "No advertisers decide what we print. A few dollars a month"),
      (11, "keeps the presses running: leftvoice.org/donate")],
     "0 0.9 0.8 0.3 k", "0 0 0 0 k")
page(HERE / "podcast.pdf", 7.25 * IN, 3.0 * IN, 0,
     [(18, "The Left Voice Podcast"), (10, ""), (10, "Every Thursday: the week in labor, from the picket line.")],
     "0 0 0 0.85 k", "0 0 0 0 k")

/* pdftext.h - the PDF's text written by pressrun itself (pdftext.c), not
 * by cairo: the glyphs of a page's lines as a content stream of our own,
 * laid over the page cairo painted, in fonts we embed (HarfBuzz subsets
 * that keep their glyph ids). cairo records every operation, replays it
 * twice and formats each number through printf: its text was a third of
 * a build's time. Painting (paint.c) writes into it page by page, the PDF
 * writer (out_pdf.c) numbers its pages, and the qpdf post-pass
 * (pdfboxes.c) puts the streams and fonts into the file. Private to those
 * files. */
#ifndef PR_PDFTEXT_H
#define PR_PDFTEXT_H
#include <pango/pango.h>
#include <stdbool.h>
#include <stddef.h>

struct pr_pdftext;

/* A text layer for a PDF whose pages are sheet_h pt high; free with
 * pr_pdftext_free. reuse (watch): a page's stream deflated in a build
 * before is taken from there (pr_pdftext_caches_free, backends.h, empties
 * that store). */
struct pr_pdftext *pr_pdftext_new(double sheet_h, bool reuse);
void pr_pdftext_free(struct pr_pdftext *t);

/* Can glyph run gi be written here? A left-to-right run of a TrueType or
 * CFF font (not variable, not made bold or slanted by fontconfig), every
 * glyph known and on the baseline. The others are cairo's, and with them
 * the page's whole text (pr_paint: a page's text stays in one stream, in
 * the order it was painted). */
bool pr_pdftext_can(struct pr_pdftext *t, const PangoGlyphItem *gi);

/* Marked content on the page being painted: an element's (its MCID the
 * k-th of ours on the page, counted after cairo's when the page ends), an
 * artifact, or none (closes what is open). */
void pr_pdftext_mark(struct pr_pdftext *t, const char *tag, int k);
void pr_pdftext_artifact(struct pr_pdftext *t);
void pr_pdftext_unmark(struct pr_pdftext *t);

/* The fill colour of what follows. */
void pr_pdftext_color(struct pr_pdftext *t, double r, double g, double b);
/* A filled rectangle, in the page's device space (pt, y down). */
void pr_pdftext_rect(struct pr_pdftext *t, double x, double y, double w, double h);
/* Glyph run gi (pr_pdftext_can) with its baseline's left end at (x, y) in
 * device space, its glyphs drawn xscale as wide, most of its letters
 * followed by a gap of `gap` pt (letter spacing: the text's character
 * spacing, Tc, so that only the glyphs without one need a number of their
 * own in the TJ array; 0: none); `text` is the paragraph's
 * (gi->item->offset into it). The text it reads as: each Pango cluster's
 * (soft hyphens left out, as cairo's painting left them), each word's for
 * letter-spaced text (`words`: read as a whole, "FEATURE"), or, for the
 * hyphen added at a line's end (`hyphen`), U+00AD. */
void pr_pdftext_run(struct pr_pdftext *t, const char *text, const PangoGlyphItem *gi, double x, double y,
                    double xscale, double gap, bool words, bool hyphen);

/* The page's painting is done: our MCIDs start at mcid_base (cairo's
 * count). Then pr_pdftext_show_page once cairo shows the page: the stream
 * goes with the page cairo painted next (numbered from 0). */
void pr_pdftext_page_done(struct pr_pdftext *t, int mcid_base);
void pr_pdftext_show_page(struct pr_pdftext *t);
/* Every page is painted: the fonts' subsets are made in a thread of their
 * own while cairo finishes its file and qpdf reads it (the post-pass,
 * pdfpost.h's pr_pdftext_apply, waits for them). Nothing is painted into
 * t after this. */
void pr_pdftext_pages_done(struct pr_pdftext *t);

#endif

/* out_print.c - the printer's PDF: every page of the page model, padding
 * pages included, drawn at trim size plus bleed on a sheet with room for
 * crop marks and a slug line; backgrounds and images that touch the trim
 * edge run into the bleed. The PDF writer (out_pdf.c) paints through these;
 * the qpdf post-pass (pdfboxes.c) then adds the page boxes,
 * registration-colour marks and the PDF/X-4 keys. */
#include "backends.h"
#include <cairo-pdf.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Room outside the bleed for the crop marks (3 pt gap, 18 pt long) and
 * the slug line below them. */
#define MARKS_ROOM 30.0

void pr_print_geometry(const struct pr_build *b, const struct pr_book *bk, struct pr_print_geom *g)
{
    const struct pr_layout *L = &b->issue->layout;
    g->trim_w = bk->page_w;
    g->trim_h = bk->page_h;
    g->bleed = L->bleed;
    g->marks = L->marks && !b->opt.no_marks;
    g->margin = g->bleed + (g->marks ? MARKS_ROOM : 0);
}

void pr_print_page(struct pr_painter *p, struct _cairo *cr, const struct pr_book *bk, const struct pr_page *pg,
                   const struct pr_print_geom *g)
{
    cairo_save(cr);
    cairo_translate(cr, g->margin, g->margin);
    /* nothing outside the bleed but the slug line */
    if (!g->marks) {
        cairo_rectangle(cr, -g->bleed, -g->bleed, g->trim_w + 2 * g->bleed, g->trim_h + 2 * g->bleed);
        cairo_clip(cr);
    }
    pr_paint_page(p, cr, bk, pg, false);
    cairo_restore(cr);
}

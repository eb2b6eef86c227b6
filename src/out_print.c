/* out_print.c - the printer's PDF back end: every page of the page model,
 * padding pages included, drawn at trim size plus bleed on a sheet with room
 * for crop marks and a slug line; backgrounds and images that touch the trim
 * edge run into the bleed. The qpdf post-pass (pdfboxes.c) then adds the
 * page boxes, registration-colour marks and the PDF/X-4 keys. Called by
 * build.c with the same page model the screen PDF painted. */
#include "backends.h"
#include <cairo-pdf.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Room outside the bleed for the crop marks (3 pt gap, 18 pt long) and
 * the slug line below them. */
#define MARKS_ROOM 30.0

bool pr_print_write(struct pr_build *b, const struct pr_book *bk, const char *path)
{
    const struct pr_issue *is = b->issue;
    const struct pr_layout *L = &is->layout;
    struct pr_print_geom g;
    g.trim_w = bk->page_w;
    g.trim_h = bk->page_h;
    g.bleed = L->bleed;
    g.marks = L->marks && !b->opt.no_marks;
    g.margin = g.bleed + (g.marks ? MARKS_ROOM : 0);
    double mw = g.trim_w + 2 * g.margin, mh = g.trim_h + 2 * g.margin;
    struct pr_pdf_doc d;
    if (!pr_pdf_doc_begin(b, &d, path, mw, mh))
        return false;
    cairo_surface_t *s = d.surface;
    cairo_t *cr = cairo_create(s);
    struct pr_painter *p = pr_painter_new(false);
    pr_painter_print(p, g.bleed, g.marks);
    const char **labels = pr_xmalloc((size_t)(bk->npages + 1) * sizeof *labels);
    for (int i = 0; i < bk->npages; i++) {
        const struct pr_page *pg = &bk->pages[i];
        labels[i] = pg->folio ? pg->folio : pr_arena_printf(b->arena, "%d", i + 1);
        cairo_save(cr);
        cairo_translate(cr, g.margin, g.margin);
        /* nothing outside the bleed but the slug line */
        if (!g.marks) {
            cairo_rectangle(cr, -g.bleed, -g.bleed, g.trim_w + 2 * g.bleed, g.trim_h + 2 * g.bleed);
            cairo_clip(cr);
        }
        pr_paint_page(p, cr, bk, pg, false);
        cairo_restore(cr);
        cairo_show_page(cr);
        if (b->progress)
            b->progress(b, "writing the print PDF, page", i + 1, bk->npages);
    }
    cairo_destroy(cr);
    pr_painter_free(p);
    struct pr_pdf_post post = {labels, bk->npages, mh, NULL, &g, NULL, NULL, NULL};
    bool ok = pr_pdf_doc_end(b, &d, &post);
    free(labels);
    return ok;
}

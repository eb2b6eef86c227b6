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

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int len)
{
    g_byte_array_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

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
    struct pr_outfile of;
    if (!pr_outfile_begin(b, &of, path))
        return false;
    GByteArray *buf = g_byte_array_new();
    double mw = g.trim_w + 2 * g.margin, mh = g.trim_h + 2 * g.margin;
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(collect, buf, mw, mh);
    cairo_pdf_surface_restrict_to_version(s, CAIRO_PDF_VERSION_1_5);
    char *title = g_strdup_printf("%s \xE2\x80\x94 %s", is->title ? is->title : "", is->issue ? is->issue : "");
    const char *author = is->publisher ? is->publisher : is->title;
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, author);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "pressrun " PR_VERSION);
    char date[40];
    pr_pdf_date(b, date, sizeof date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
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
    cairo_surface_finish(s);
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    bool ok = st == CAIRO_STATUS_SUCCESS;
    if (!ok)
        pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot write '%s': %s", path,
                cairo_status_to_string(st));
    else {
        struct pr_pdf_post post = {labels, bk->npages, mh, NULL, &g, title, author, date};
        ok = pr_pdfboxes_run(b, buf->data, buf->len, of.tmp, &post);
    }
    g_free(title);
    free(labels);
    g_byte_array_free(buf, TRUE);
    return pr_outfile_end(b, &of, ok);
}

/* out_proof.c - raster back ends: page previews (--format png, one PNG per
 * page at a chosen resolution) and the flatplan (`pressrun proof`): every
 * page of the print order as a thumbnail, arranged in reader spreads (the
 * cover alone on the right, then facing pages, the back cover alone on the
 * left), labelled with folio and article, drawn with Cairo from the same page
 * model. Called by build.c. The title and labels come typeset with the book
 * (struct pr_book flatplan_title, flatplan_labels): this file only paints. */
#include "backends.h"
#include "typeset.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool pr_png_write(struct pr_build *b, const struct pr_book *bk, const char *dir, const char *slug, double dpi)
{
    int n = 0;
    for (int i = 0; i < bk->npages; i++) {
        if (bk->pages[i].padding)
            continue;
        n++;
        const char *path = pr_arena_printf(b->arena, "%s/%s-p%03d.png", dir, slug, n);
        size_t len = 0;
        unsigned char *png = pr_paint_png(bk, i, dpi, &len);
        struct pr_outfile of;
        if (!png || !pr_outfile_begin(b, &of, path)) {
            if (!png)
                pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot render page %d to '%s'", n, path);
            g_free(png);
            return false;
        }
        bool ok = g_file_set_contents(of.tmp, (const char *)png, (gssize)len, NULL);
        g_free(png);
        if (!ok)
            pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot write '%s'", path);
        if (!pr_outfile_end(b, &of, ok))
            return false;
    }
    return true;
}

/* A colour per article for the strip under its pages, from a fixed palette. */
static struct pr_color strip_color(int article)
{
    static const struct pr_color pal[] = {
        {0.70, 0.13, 0.13}, {0.13, 0.40, 0.60}, {0.20, 0.55, 0.30}, {0.80, 0.50, 0.10},
        {0.45, 0.25, 0.60}, {0.10, 0.55, 0.55}, {0.60, 0.35, 0.20}, {0.35, 0.35, 0.35},
    };
    if (article < 0)
        return (struct pr_color){0.75, 0.75, 0.75};
    return pal[article % (int)(sizeof pal / sizeof pal[0])];
}

/* A LINE box the typesetter made for the flatplan, its baseline's left end
 * at (x, y). */
static void paint_label(struct pr_painter *p, cairo_t *cr, const struct pr_book *bk, const struct pr_box *lb,
                        double x, double y)
{
    if (!lb || !lb->text)
        return;
    struct pr_box at = *lb;
    at.x = x;
    at.y = y;
    struct pr_page one = {.boxes = &at, .nboxes = 1, .cap = 1};
    pr_paint_page(p, cr, bk, &one, false);
}

bool pr_proof_write(struct pr_build *b, struct pr_typeset *ts, const char *path)
{
    const struct pr_book *bk = ts->book;
    const double thumb_w = PR_FLATPLAN_THUMB, scale = thumb_w / bk->page_w, thumb_h = bk->page_h * scale;
    const double gap = PR_FLATPLAN_GAP, label_h = 30, title_h = 60, margin = PR_FLATPLAN_MARGIN;
    const int spreads_per_row = PR_FLATPLAN_SPREADS;
    int n = bk->npages;
    /* spreads: the cover alone, then pairs; with an even count the last page
     * (the back cover) stands alone on the left */
    int nspreads = 1 + (n - 1 + 1) / 2;
    int rows = (nspreads + spreads_per_row - 1) / spreads_per_row;
    double spread_w = 2 * thumb_w;
    int W = PR_FLATPLAN_W;
    int H = (int)(2 * margin + title_h + rows * (thumb_h + label_h + gap));
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 0.93, 0.93, 0.92);
    cairo_paint(cr);
    struct pr_painter *p = pr_painter_new(true);
    paint_label(p, cr, bk, &bk->flatplan_title, margin, margin + 20);
    for (int i = 0; i < n; i++) {
        /* spread index and side: page 1 alone (right), then 2|3, 4|5, ... */
        int spread = i == 0 ? 0 : (i + 1) / 2;
        bool right = i == 0 || i % 2 == 0;
        int row = spread / spreads_per_row, col = spread % spreads_per_row;
        double x = margin + col * (spread_w + gap) + (right ? thumb_w : 0);
        double y = margin + title_h + row * (thumb_h + label_h + gap);
        const struct pr_page *pg = &bk->pages[i];
        cairo_save(cr);
        cairo_rectangle(cr, x, y, thumb_w, thumb_h);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_fill_preserve(cr);
        cairo_clip(cr);
        cairo_translate(cr, x, y);
        cairo_scale(cr, scale, scale);
        pr_paint_page(p, cr, bk, pg, false);
        cairo_restore(cr);
        if (pg->padding) {
            /* a blank page: crossed */
            cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
            cairo_set_line_width(cr, 1);
            cairo_move_to(cr, x, y);
            cairo_line_to(cr, x + thumb_w, y + thumb_h);
            cairo_move_to(cr, x + thumb_w, y);
            cairo_line_to(cr, x, y + thumb_h);
            cairo_stroke(cr);
        }
        cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
        cairo_set_line_width(cr, 0.8);
        cairo_rectangle(cr, x + 0.4, y + 0.4, thumb_w - 0.8, thumb_h - 0.8);
        cairo_stroke(cr);
        struct pr_color c = strip_color(pg->article);
        cairo_set_source_rgb(cr, c.r, c.g, c.b);
        cairo_rectangle(cr, x, y + thumb_h + 2, thumb_w, 4);
        cairo_fill(cr);
        paint_label(p, cr, bk, bk->flatplan_labels ? &bk->flatplan_labels[i] : NULL, x + 2, y + thumb_h + 18);
    }
    pr_painter_free(p);
    cairo_destroy(cr);
    struct pr_outfile of;
    bool ok = pr_outfile_begin(b, &of, path);
    if (ok) {
        ok = cairo_surface_write_to_png(s, of.tmp) == CAIRO_STATUS_SUCCESS;
        if (!ok)
            pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot write '%s'", path);
        ok = pr_outfile_end(b, &of, ok);
    }
    cairo_surface_destroy(s);
    return ok;
}

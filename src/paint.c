#define _GNU_SOURCE /* memmem */
/* paint.c - painting: draws the page model (book.h) with cairo. Text lines
 * run by run from their shaped glyphs (text.h) through Pango, images scaled
 * to fill their box (cropped to it), rules and rectangles; on PDF surfaces
 * also link and destination tags. Called by the PDF back ends, raster
 * previews and the proof sheet (and build.c, to ready fonts before painting
 * in threads); reads the page model and typeset text only. */
#include "backends.h"
#include "pdfad.h"
#include "image.h"
#include "text.h"
#include <cairo-pdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PT(x) ((double)(x) / PANGO_SCALE)

struct cached {
    const char *path;
    cairo_surface_t *s;
};

struct pr_painter {
    bool pixels;
    bool print;         /* the print PDF: CMYK JPEGs go in as they are */
    double bleed;       /* print: extend what touches the trim edge by this */
    bool slug;          /* print: draw the slug line */
    bool citation;      /* offprints: draw the citation line */
    struct pr_pdf_marks *marks;
    int page;
    struct cached *v;
    int n, cap;
    struct pr_cmyk_image *cmyk; /* print: CMYK TIFFs painted as placeholders */
    int ncmyk;
};

struct pr_painter *pr_painter_new(bool pixels)
{
    struct pr_painter *p = pr_xmalloc(sizeof *p);
    memset(p, 0, sizeof *p);
    p->pixels = pixels;
    return p;
}

void pr_painter_free(struct pr_painter *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n; i++)
        if (p->v[i].s)
            cairo_surface_destroy(p->v[i].s);
    for (int i = 0; i < p->n; i++)
        g_free((char *)p->v[i].path);
    free(p->v);
    free(p->cmyk);
    free(p);
}

void pr_painter_citation(struct pr_painter *p, bool on)
{
    p->citation = on;
}

void pr_painter_print(struct pr_painter *p, double bleed, bool slug)
{
    p->print = true;
    p->bleed = bleed;
    p->slug = slug;
}

/* A box that touches an edge of the trim grows across it into the bleed. */
static struct pr_box bled(const struct pr_painter *p, const struct pr_book *bk, const struct pr_box *b)
{
    struct pr_box x = *b;
    const double e = 0.5, d = p->bleed;
    if (d <= 0 || b->kind == PR_BOX_LINE)
        return x;
    if (b->x <= e) {
        x.x -= d;
        x.w += d;
    }
    if (b->x + b->w >= bk->page_w - e)
        x.w += d;
    if (b->kind != PR_BOX_RULE) {
        if (b->y <= e) {
            x.y -= d;
            x.h += d;
        }
        if (b->y + b->h >= bk->page_h - e)
            x.h += d;
    }
    return x;
}

void pr_painter_collect(struct pr_painter *p, struct pr_pdf_marks *m, int page)
{
    p->marks = m;
    p->page = page;
}

void pr_pdf_marks_free(struct pr_pdf_marks *m)
{
    if (m->strings)
        g_string_chunk_free(m->strings);
    free(m->links);
    free(m->dests);
    memset(m, 0, sizeof *m);
}

const struct pr_cmyk_image *pr_painter_cmyk(const struct pr_painter *p, int *n)
{
    *n = p->ncmyk;
    return p->cmyk;
}

/* Print: a CMYK TIFF as a placeholder filled with a key colour of its own
 * (never grey, which cairo would write as DeviceGray), noted for the
 * post-pass; NULL for any other picture. */
static cairo_surface_t *cmyk_placeholder(struct pr_painter *p, const char *path)
{
    unsigned key = 0xE00000u | (unsigned)(p->ncmyk + 1);
    cairo_surface_t *s = p->ncmyk < 0xFFFF ? pr_image_cmyk_placeholder(path, key) : NULL;
    if (!s)
        return NULL;
    p->cmyk = pr_xrealloc(p->cmyk, (size_t)(p->ncmyk + 1) * sizeof *p->cmyk);
    p->cmyk[p->ncmyk++] = (struct pr_cmyk_image){path, key, cairo_image_surface_get_width(s),
                                                 cairo_image_surface_get_height(s)};
    return s;
}

static cairo_surface_t *image(struct pr_painter *p, const char *path)
{
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->v[i].path, path) == 0)
            return p->v[i].s;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 8;
        p->v = pr_xrealloc(p->v, (size_t)p->cap * sizeof *p->v);
    }
    struct cached *c = &p->v[p->n];
    c->path = g_strdup(path);
    c->s = p->print && !p->pixels ? cmyk_placeholder(p, c->path) : NULL;
    if (!c->s)
        c->s = pr_image_surface(path, p->pixels  ? PR_IMAGE_FOR_PIXELS
                                      : p->print ? PR_IMAGE_FOR_PRINT
                                                 : PR_IMAGE_FOR_PDF);
    return p->v[p->n++].s;
}

/* A cairo tag attribute string value: quotes and backslashes escaped. */
static void attr_string(GString *g, const char *s)
{
    g_string_append_c(g, '\'');
    for (; *s; s++) {
        if (*s == '\'' || *s == '\\')
            g_string_append_c(g, '\\');
        g_string_append_c(g, *s);
    }
    g_string_append_c(g, '\'');
}

/* A copy of a name or URI for the marks: the page model's strings go
 * once the page is painted. */
static const char *keep(struct pr_pdf_marks *m, const char *s)
{
    if (!s)
        return NULL;
    if (!m->strings)
        m->strings = g_string_chunk_new(4096);
    return g_string_chunk_insert_const(m->strings, s);
}

/* A link to a URI or to a named destination. */
static void link_rect(struct pr_painter *p, double x, double y, double w, double h,
                      const char *uri, const char *dest)
{
    if (w <= 0 || h <= 0 || (!uri && !dest) || !p->marks)
        return;
    struct pr_pdf_marks *m = p->marks;
    if (m->nlinks == m->links_cap) {
        m->links_cap = m->links_cap ? m->links_cap * 2 : 64;
        m->links = pr_xrealloc(m->links, (size_t)m->links_cap * sizeof *m->links);
    }
    struct pr_pdf_link *l = &m->links[m->nlinks++];
    l->page = p->page;
    l->x = x;
    l->y = y;
    l->w = w;
    l->h = h;
    l->uri = keep(m, uri);
    l->dest = keep(m, dest);
}

/* Links inside a line: external links and footnote references. */
static void line_links(struct pr_painter *p, const struct pr_box *b)
{
    const struct pr_text *t = b->text;
    const struct pr_tline *tl = &t->lines[b->line];
    double top = b->y - tl->ascent, h = tl->ascent + tl->descent;
    if (b->link_dest) {
        link_rect(p, b->x + tl->x, top, tl->width, h, NULL, b->link_dest);
        return;
    }
    for (int i = 0; i < t->nspans; i++) {
        const struct pr_span *sp = &t->spans[i];
        if ((sp->kind != PR_SPAN_LINK && sp->kind != PR_SPAN_NOTEREF) || !sp->arg)
            continue;
        double r[16];
        int n = pr_text_span_x_ranges(t, b->line, sp, r, 8);
        for (int k = 0; k < n; k++) {
            bool note = sp->kind == PR_SPAN_NOTEREF;
            link_rect(p, b->x + tl->x + r[2 * k], top, r[2 * k + 1] - r[2 * k], h,
                      note ? NULL : sp->arg, note ? sp->arg : NULL);
        }
    }
}

/* ---------- typeset text ---------- */

/* The colour a run asks for (a link's), else the text's. */
static void run_color(cairo_t *cr, const struct pr_text *t, const PangoGlyphItem *g)
{
    for (GSList *l = g->item->analysis.extra_attrs; l; l = l->next) {
        const PangoAttribute *a = l->data;
        if (a->klass->type == PANGO_ATTR_FOREGROUND) {
            const PangoColor *c = &((const PangoAttrColor *)a)->color;
            cairo_set_source_rgb(cr, c->red / 65535.0, c->green / 65535.0, c->blue / 65535.0);
            return;
        }
    }
    cairo_set_source_rgb(cr, t->color.r, t->color.g, t->color.b);
}

/* The rules of struck text and fill-in fields on a line (Pango draws
 * neither when the glyphs are shown run by run), where para.c put them. */
static void line_rules(cairo_t *cr, const struct pr_text *t, int line, double x, double y)
{
    const struct pr_tline *tl = &t->lines[line];
    for (int i = 0; i < t->nspans; i++) {
        const struct pr_span *sp = &t->spans[i];
        if (sp->kind != PR_SPAN_STRIKE && sp->kind != PR_SPAN_FIELD)
            continue;
        double r[16];
        int n = pr_text_span_x_ranges(t, line, sp, r, 8);
        cairo_set_source_rgb(cr, t->color.r, t->color.g, t->color.b);
        for (int k = 0; k < n; k++)
            cairo_rectangle(cr, x + tl->x + r[2 * k], y + sp->rule_y - sp->rule_h / 2, r[2 * k + 1] - r[2 * k],
                            sp->rule_h);
        cairo_fill(cr);
    }
}

/* A run shown by cairo_show_text_glyphs with clusters of our own, for a
 * text layer that reads back as written: soft hyphens (our hyphenation's
 * break points) are left out of the text, and, for letter-spaced text
 * (`words`), each word is one cluster, so that cairo writes it as
 * ActualText and extraction reads "FEATURE", not "FEAT URE" (the spacing
 * looks like word spaces to a text extractor). Left-to-right runs without
 * missing glyphs; false when the run is left to Pango. */
static bool show_run(cairo_t *cr, const char *str, const PangoGlyphItem *gi, bool words)
{
    const PangoItem *item = gi->item;
    const PangoGlyphString *gs = gi->glyphs;
    int n = gs->num_glyphs;
    if (item->analysis.level % 2 || n <= 0 || n > 4096 || !PANGO_IS_CAIRO_FONT(item->analysis.font))
        return false;
    const char *text = str + item->offset;
    for (int i = 0; i < n; i++)
        if ((i > 0 && gs->log_clusters[i] < gs->log_clusters[i - 1]) || (gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG))
            return false; /* (Pango draws missing glyphs its own way) */
    cairo_glyph_t *glyphs = cairo_glyph_allocate(n);
    cairo_text_cluster_t *cl = cairo_text_cluster_allocate(n);
    char *utf8 = g_malloc((size_t)item->length + 1);
    int ng = 0, ncl = 0, nb = 0;
    double x0, y0, px = 0;
    cairo_get_current_point(cr, &x0, &y0);
    for (int i = 0; i < n;) {
        /* a cluster: Pango's, or a word (the glyphs up to the next space) */
        int j = i + 1, start = gs->log_clusters[i];
        if (words) {
            bool space = text[start] == ' ';
            while (j < n && (text[gs->log_clusters[j]] == ' ') == space)
                j++;
        } else
            while (j < n && gs->log_clusters[j] == start)
                j++;
        int end = j < n ? gs->log_clusters[j] : item->length, g0 = ng, b0 = nb;
        for (int k = i; k < j; k++) {
            const PangoGlyphInfo *g = &gs->glyphs[k];
            if (g->glyph != PANGO_GLYPH_EMPTY) {
                glyphs[ng].index = g->glyph;
                glyphs[ng].x = x0 + (px + g->geometry.x_offset) / PANGO_SCALE;
                glyphs[ng].y = y0 + (double)g->geometry.y_offset / PANGO_SCALE;
                ng++;
            }
            px += g->geometry.width;
        }
        /* a soft hyphen Pango shows (the line breaks there) stays as
         * the text of its hyphen; one it does not show is no text */
        bool shown = ng > g0;
        for (int b = start; b < end; b++) {
            if ((unsigned char)text[b] == 0xC2 && b + 1 < end && (unsigned char)text[b + 1] == 0xAD &&
                !(shown && end - start == 2)) {
                b++;
                continue;
            }
            utf8[nb++] = text[b];
        }
        if (ng > g0 || nb > b0) {
            cl[ncl].num_bytes = nb - b0;
            cl[ncl].num_glyphs = ng - g0;
            ncl++;
        }
        i = j;
    }
    utf8[nb] = 0;
    cairo_scaled_font_t *sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(item->analysis.font));
    cairo_set_scaled_font(cr, sf);
    if (ng > 0)
        cairo_show_text_glyphs(cr, utf8, nb, glyphs, ng, cl, ncl, 0);
    g_free(utf8);
    cairo_glyph_free(glyphs);
    cairo_text_cluster_free(cl);
    return true;
}

/* The hyphen a line was broken at: its glyphs, read back as a soft hyphen
 * (U+00AD), as PDF 32000 14.8.2.2.3 asks of a hyphen added at a line's
 * end, so that tools joining lines make the word whole again. */
static void show_hyphen(cairo_t *cr, const PangoGlyphItem *gi)
{
    const PangoGlyphString *gs = gi->glyphs;
    PangoFont *font = gi->item->analysis.font;
    int n = gs->num_glyphs;
    bool plain = n > 0 && n <= 8 && PANGO_IS_CAIRO_FONT(font);
    for (int i = 0; plain && i < n; i++)
        plain = !(gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG) && gs->glyphs[i].glyph != PANGO_GLYPH_EMPTY;
    if (!plain) {
        pango_cairo_show_glyph_string(cr, font, (PangoGlyphString *)gs);
        return;
    }
    cairo_glyph_t glyphs[8];
    double x0, y0, px = 0;
    cairo_get_current_point(cr, &x0, &y0);
    for (int i = 0; i < n; i++) {
        glyphs[i].index = gs->glyphs[i].glyph;
        glyphs[i].x = x0 + (px + gs->glyphs[i].geometry.x_offset) / PANGO_SCALE;
        glyphs[i].y = y0 + (double)gs->glyphs[i].geometry.y_offset / PANGO_SCALE;
        px += gs->glyphs[i].geometry.width;
    }
    cairo_text_cluster_t cl = {2, n};
    cairo_set_scaled_font(cr, pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(font)));
    cairo_show_text_glyphs(cr, "\xC2\xAD", 2, glyphs, n, &cl, 1, 0);
}

/* Does the run's text hold a soft hyphen? */
static bool has_soft_hyphen(const char *str, const PangoItem *item)
{
    return memmem(str + item->offset, (size_t)item->length, "\xC2\xAD", 2) != NULL;
}

void pr_text_paint_line(cairo_t *cr, const struct pr_text *t, int line, double x, double y)
{
    const struct pr_tline *tl = &t->lines[line];
    line_rules(cr, t, line, x, y);
    for (int k = 0; k < tl->nruns; k++) {
        const struct pr_trun *r = &tl->runs[k];
        PangoGlyphItem *g = r->gi;
        run_color(cr, t, g);
        if (r->xscale != 1) {
            /* an expanded run: its glyphs drawn wider (or narrower) by
             * xscale, at the advances the line was set with */
            PangoGlyphItem scaled = *g;
            scaled.glyphs = pango_glyph_string_copy(g->glyphs);
            for (int i = 0; i < scaled.glyphs->num_glyphs; i++) {
                PangoGlyphGeometry *gg = &scaled.glyphs->glyphs[i].geometry;
                gg->width = (int)lround(gg->width / r->xscale);
                gg->x_offset = (int)lround(gg->x_offset / r->xscale);
            }
            cairo_save(cr);
            cairo_translate(cr, x + tl->x + r->x, y - PT(g->y_offset));
            cairo_scale(cr, r->xscale, 1);
            cairo_move_to(cr, 0, 0);
            if (r->hyphen) {
                PangoGlyphItem h = *g;
                h.glyphs = scaled.glyphs;
                show_hyphen(cr, &h);
            } else if (!((t->tracked || has_soft_hyphen(t->str, g->item)) && show_run(cr, t->str, &scaled, t->tracked)))
                pango_cairo_show_glyph_item(cr, t->str, &scaled);
            cairo_restore(cr);
            pango_glyph_string_free(scaled.glyphs);
            continue;
        }
        cairo_move_to(cr, x + tl->x + r->x, y - PT(g->y_offset));
        if (r->hyphen)
            show_hyphen(cr, g);
        else if (!((t->tracked || has_soft_hyphen(t->str, g->item)) && show_run(cr, t->str, g, t->tracked)))
            pango_cairo_show_glyph_item(cr, t->str, g);
    }
}

void pr_typeset_prepare_paint(const struct pr_box *boxes, int n)
{
    /* Pango makes a font's cairo font, and the box it draws for a missing
     * glyph, on first use: make them all now, from one thread */
    cairo_surface_t *dummy = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    cairo_t *cr = cairo_create(dummy);
    for (int i = 0; i < n; i++) {
        const struct pr_text *t = boxes[i].kind == PR_BOX_LINE ? boxes[i].text : NULL;
        if (!t || boxes[i].line < 0 || boxes[i].line >= t->nlines)
            continue;
        const struct pr_tline *tl = &t->lines[boxes[i].line];
        bool unknown = false;
        for (int k = 0; k < tl->nruns; k++) {
            const PangoGlyphItem *g = tl->runs[k].gi;
            pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(g->item->analysis.font));
            for (int q = 0; q < g->glyphs->num_glyphs && !unknown; q++)
                unknown = (g->glyphs->glyphs[q].glyph & PANGO_GLYPH_UNKNOWN_FLAG) != 0;
        }
        if (unknown)
            pr_text_paint_line(cr, t, boxes[i].line, 0, 0);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(dummy);
}

static void draw_image(struct pr_painter *p, cairo_t *cr, const struct pr_box *b)
{
    cairo_surface_t *s = image(p, b->image);
    if (!s) {
        /* an unreadable image was reported already: show its place */
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_rectangle(cr, b->x, b->y, b->w, b->h);
        cairo_fill(cr);
        return;
    }
    double iw = cairo_image_surface_get_width(s), ih = cairo_image_surface_get_height(s);
    if (iw <= 0 || ih <= 0)
        return;
    /* fill the box, keeping the aspect ratio, cropping what overhangs
     * around the focus (the centre unless the editor set one) */
    double sc = b->w / iw > b->h / ih ? b->w / iw : b->h / ih;
    double fx = b->focused ? b->focus_x : 0.5, fy = b->focused ? b->focus_y : 0.5;
    /* the overhang is shared so that the focus is as near the frame's
     * centre as the picture's edges allow */
    double ox = fmin(0, fmax(b->w - iw * sc, b->w / 2 - fx * iw * sc));
    double oy = fmin(0, fmax(b->h - ih * sc, b->h / 2 - fy * ih * sc));
    cairo_save(cr);
    cairo_rectangle(cr, b->x, b->y, b->w, b->h);
    cairo_clip(cr);
    cairo_translate(cr, b->x + ox, b->y + oy);
    cairo_scale(cr, sc, sc);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_paint(cr);
    cairo_restore(cr);
}

/* A supplied ad or filler: an image covers its slot (into the bleed in
 * print: `grown`); a PDF is placed untouched by the PDF post-pass
 * (out_pdf.c collects it), and drawn here only as pixels (PNG pages, the
 * flatplan, the EPUB) from its TrimBox, centred on the trim-sized slot. */
static void draw_ad(struct pr_painter *p, cairo_t *cr, const struct pr_box *slot, const struct pr_box *grown)
{
    if (!slot->ad_pdf) {
        draw_image(p, cr, grown);
        return;
    }
    if (p->pixels && !pr_adraster_paint(cr, slot->image, slot->ad_page, slot->x, slot->y, slot->w, slot->h)) {
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_rectangle(cr, slot->x, slot->y, slot->w, slot->h);
        cairo_fill(cr);
    }
}

void pr_paint_page(struct pr_painter *p, cairo_t *cr, const struct pr_book *bk,
                   const struct pr_page *pg, bool links)
{
    for (int i = 0; i < pg->nboxes; i++) {
        struct pr_box grown = bled(p, bk, &pg->boxes[i]);
        const struct pr_box *b = &grown;
        if ((b->role == PR_ROLE_SLUG && !p->slug) || (b->role == PR_ROLE_CITATION && !p->citation))
            continue;
        if (links && b->dest) {
            GString *g = g_string_new("name=");
            attr_string(g, b->dest);
            cairo_tag_begin(cr, CAIRO_TAG_DEST, g->str);
            g_string_free(g, TRUE);
        }
        switch (b->kind) {
        case PR_BOX_LINE:
            pr_text_paint_line(cr, b->text, b->line, b->x, b->y);
            break;
        case PR_BOX_IMAGE:
            draw_image(p, cr, b);
            break;
        case PR_BOX_RULE:
            cairo_set_source_rgb(cr, b->color.r, b->color.g, b->color.b);
            cairo_rectangle(cr, b->x, b->y - b->h / 2, b->w, b->h);
            cairo_fill(cr);
            break;
        case PR_BOX_RECT:
            cairo_set_source_rgba(cr, b->color.r, b->color.g, b->color.b, b->alpha > 0 ? b->alpha : 1);
            cairo_rectangle(cr, b->x, b->y, b->w, b->h);
            cairo_fill(cr);
            break;
        case PR_BOX_AD:
            draw_ad(p, cr, &pg->boxes[i], b);
            break;
        }
        if (links && b->dest)
            cairo_tag_end(cr, CAIRO_TAG_DEST);
        if (links && b->kind == PR_BOX_LINE)
            line_links(p, b);
        if (links && b->dest && p->marks) {
            struct pr_pdf_marks *m = p->marks;
            if (m->ndests == m->dests_cap) {
                m->dests_cap = m->dests_cap ? m->dests_cap * 2 : 64;
                m->dests = pr_xrealloc(m->dests, (size_t)m->dests_cap * sizeof *m->dests);
            }
            double top = b->kind == PR_BOX_LINE ? b->y - b->h : b->y;
            m->dests[m->ndests++] = (struct pr_pdf_dest){keep(m, b->dest), p->page, b->x, top};
        }
    }
}

static cairo_status_t png_collect(void *closure, const unsigned char *data, unsigned int len)
{
    g_byte_array_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* Page `page` drawn on a white RGB24 surface at `dpi`, or NULL. */
static cairo_surface_t *render_page(const struct pr_book *bk, int page, double dpi)
{
    if (page < 0 || page >= bk->npages)
        return NULL;
    int w = (int)(bk->page_w * dpi / 72 + 0.5), h = (int)(bk->page_h * dpi / 72 + 0.5);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, dpi / 72, dpi / 72);
    struct pr_painter *p = pr_painter_new(true);
    pr_paint_page(p, cr, bk, &bk->pages[page], false);
    pr_painter_free(p);
    cairo_destroy(cr);
    return s;
}

unsigned char *pr_paint_png(const struct pr_book *bk, int page, double dpi, size_t *len)
{
    cairo_surface_t *s = render_page(bk, page, dpi);
    if (!s)
        return NULL;
    GByteArray *buf = g_byte_array_new();
    cairo_status_t st = cairo_surface_write_to_png_stream(s, png_collect, buf);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        g_byte_array_free(buf, TRUE);
        return NULL;
    }
    *len = buf->len;
    return g_byte_array_free(buf, FALSE);
}

unsigned char *pr_paint_jpeg(const struct pr_book *bk, int page, double dpi, int quality, size_t *len)
{
    cairo_surface_t *s = render_page(bk, page, dpi);
    if (!s)
        return NULL;
    unsigned char *j = pr_image_jpeg(s, quality, len);
    cairo_surface_destroy(s);
    return j;
}

unsigned char *pr_paint_ad_jpeg(const char *file, int src_page, int max_px, size_t *len)
{
    double trim[4], crop[4];
    char err[256];
    if (!pr_pdfad_boxes(file, src_page, trim, crop, err, sizeof err))
        return NULL;
    double w = trim[2] - trim[0], h = trim[3] - trim[1];
    if (w <= 0 || h <= 0)
        return NULL;
    double scale = fmin(150.0 / 72.0, max_px / fmax(w, h));
    int pw = (int)ceil(w * scale), ph = (int)ceil(h * scale);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    bool ok = pr_adraster_paint(cr, file, src_page, 0, 0, w, h);
    cairo_destroy(cr);
    unsigned char *j = ok ? pr_image_jpeg(s, 85, len) : NULL;
    cairo_surface_destroy(s);
    return j;
}

#define _GNU_SOURCE /* memmem */
/* paint.c - painting: draws the page model (book.h) with cairo. Text lines
 * run by run from their shaped glyphs (text.h) through Pango, images scaled
 * to fill their box (cropped to it), rules and rectangles; for the PDFs,
 * the links and destinations the post-pass adds, the tagged PDF's marked
 * content, and the text of a page written by pdftext.c where every run of
 * it can go there (cairo's otherwise). Called by the PDF back ends, raster
 * previews and the proof sheet (and build.c, to ready fonts before painting
 * in threads); reads the page model and typeset text only. */
#include "backends.h"
#include "pdfad.h"
#include "pdftext.h"
#include "image.h"
#include "text.h"
#include <cairo-pdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PT(x) ((double)(x) / PANGO_SCALE)

/* Append to a malloc'd array `arr` of `n` used / `cap` allocated elements. */
#define PR_GROW_PUSH(arr, n, cap)                                                                      \
    (((n) == (cap) ? ((arr) = pr_xrealloc((arr), (size_t)((cap) = (cap) ? (cap) * 2 : 64) * sizeof *(arr))) \
                   : (arr)),                                                                           \
     &(arr)[(n)++])

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
    /* tagged painting (marks->tagged): the page's boxes sorted into
     * layers (layer[i]) and the element each is marked as (host[i]: an
     * artifact drawn between content it overlaps goes with the content
     * under it); the element whose marked content is open (-1: none) */
    unsigned char *layer;
    const struct pr_tag **host;
    int nbox_cap;
    int open;
    /* PDFs: the text layer pressrun writes itself (pdftext.h), used for a
     * page's text when every run of it can go there; the MCIDs of the
     * page being painted, cairo's and the text layer's (counted after
     * cairo's once the page is done), the element open in the text layer (-1: none, -2: an artifact), and where user
     * space's origin is on the page */
    struct pr_pdftext *text;
    int cmcid, nmcid, topen;
    double ox, oy;
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
    free(p->layer);
    free(p->host);
    free(p);
}

void pr_painter_text(struct pr_painter *p, struct pr_pdftext *t)
{
    p->text = t;
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
    p->open = -1;
    if (m && m->tagged && page >= m->mcids_cap) {
        int c = m->mcids_cap ? m->mcids_cap : 64;
        while (c <= page)
            c *= 2;
        m->mcids = pr_xrealloc(m->mcids, (size_t)c * sizeof *m->mcids);
        memset(m->mcids + m->mcids_cap, 0, (size_t)(c - m->mcids_cap) * sizeof *m->mcids);
        m->mcids_cap = c;
    }
}

void pr_pdf_marks_free(struct pr_pdf_marks *m)
{
    if (m->strings)
        g_string_chunk_free(m->strings);
    if (m->keys)
        g_hash_table_destroy(m->keys);
    free(m->links);
    free(m->dests);
    free(m->elems);
    free(m->mcrs);
    free(m->mcids);
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

/* ---------- the tagged PDF's structure ---------- */

static const char *const tag_names[PR_TAG_NTYPES] = {
    [PR_TAG_ART] = "Art", [PR_TAG_SECT] = "Sect", [PR_TAG_DIV] = "Div", [PR_TAG_P] = "P",
    [PR_TAG_H1] = "H1", [PR_TAG_H2] = "H2", [PR_TAG_H3] = "H3", [PR_TAG_H4] = "H4", [PR_TAG_H5] = "H5",
    [PR_TAG_H6] = "H6", [PR_TAG_L] = "L", [PR_TAG_LI] = "LI", [PR_TAG_LBL] = "Lbl", [PR_TAG_LBODY] = "LBody",
    [PR_TAG_BLOCKQUOTE] = "BlockQuote", [PR_TAG_FIGURE] = "Figure", [PR_TAG_CAPTION] = "Caption",
    [PR_TAG_TABLE] = "Table", [PR_TAG_TR] = "TR", [PR_TAG_TH] = "TH", [PR_TAG_TD] = "TD", [PR_TAG_NOTE] = "Note",
    [PR_TAG_TOC] = "TOC", [PR_TAG_TOCI] = "TOCI", [PR_TAG_CODE] = "Code", [PR_TAG_LINK] = "Link",
    [PR_TAG_SPAN] = "Span",
};

const char *pr_tag_name(enum pr_tag_type t)
{
    return t >= 0 && t < PR_TAG_NTYPES && tag_names[t] ? tag_names[t] : "Span";
}

/* The element known by `key`, recorded with these particulars the first
 * time; its index in m->elems. */
static int elem_key(struct pr_pdf_marks *m, const char *key, const struct pr_pdf_elem *e)
{
    if (!m->keys)
        m->keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    gpointer v = g_hash_table_lookup(m->keys, key);
    if (v)
        return GPOINTER_TO_INT(v) - 1;
    struct pr_pdf_elem *n = PR_GROW_PUSH(m->elems, m->nelems, m->elems_cap);
    *n = *e;
    n->lang = keep(m, e->lang);
    n->alt = keep(m, e->alt);
    n->title = keep(m, e->title);
    g_hash_table_insert(m->keys, g_strdup(key), GINT_TO_POINTER(m->nelems));
    return m->nelems - 1;
}

/* Element t of the page model in the marks (its parents too). */
static int elem_of(struct pr_pdf_marks *m, const struct pr_tag *t)
{
    if (m->last_elem && m->last_story == t->story && m->last_seq == t->seq)
        return m->last_elem - 1;
    char key[32];
    snprintf(key, sizeof key, "%d:%d", t->story, t->seq);
    gpointer v = m->keys ? g_hash_table_lookup(m->keys, key) : NULL;
    int elem;
    if (v) {
        elem = GPOINTER_TO_INT(v) - 1;
    } else {
        int parent = t->parent ? elem_of(m, t->parent) : -1;
        struct pr_pdf_elem e = {t->type, t->story, t->seq, parent, t->lang, t->alt, t->title};
        elem = elem_key(m, key, &e);
    }
    m->last_story = t->story;
    m->last_seq = t->seq;
    m->last_elem = elem + 1;
    return elem;
}

/* A Link (or a Span in another language) in element `base` for span
 * `span` of text t (t NULL: the box's whole-line link). */
static int inline_elem(struct pr_pdf_marks *m, int base, enum pr_tag_type type, const struct pr_text *t, int span,
                       const char *lang)
{
    const struct pr_pdf_elem *b = &m->elems[base];
    char key[96];
    snprintf(key, sizeof key, "%d:%d:%c%p:%d", b->story, b->seq, type == PR_TAG_LINK ? 'L' : 'G', (const void *)t,
             span);
    struct pr_pdf_elem e = {type, b->story, b->seq, base, lang, NULL, NULL};
    return elem_key(m, key, &e);
}

/* The element a run of line box b belongs to: a link's, a span's in
 * another language, else the box's own (base). */
static int run_elem(struct pr_pdf_marks *m, const struct pr_box *b, const PangoItem *item, int base)
{
    const struct pr_text *t = b->text;
    if (b->link_dest)
        return inline_elem(m, base, PR_TAG_LINK, NULL, -1, NULL);
    int lang = -1;
    for (int i = 0; i < t->nspans; i++) {
        const struct pr_span *sp = &t->spans[i];
        if (!sp->arg || item->offset < sp->start || item->offset >= sp->end)
            continue;
        if (sp->kind == PR_SPAN_LINK || sp->kind == PR_SPAN_NOTEREF)
            return inline_elem(m, base, PR_TAG_LINK, t, i, NULL);
        if (sp->kind == PR_SPAN_LANG)
            lang = i;
    }
    return lang >= 0 ? inline_elem(m, base, PR_TAG_SPAN, t, lang, t->spans[lang].arg) : base;
}

static bool real(const struct pr_painter *p, const struct pr_box *b);

/* Close the open marked content. */
static void unmark(struct pr_painter *p, cairo_t *cr)
{
    if (p->open < 0)
        return;
    cairo_tag_end(cr, pr_tag_name(p->marks->elems[p->open].type));
    p->open = -1;
}

/* Make what is drawn next marked content of element `elem` (cairo gives
 * each leaf tag of a page the next MCID, from 0). */
static void mark(struct pr_painter *p, cairo_t *cr, int elem)
{
    if (p->open == elem)
        return;
    unmark(p, cr);
    struct pr_pdf_marks *m = p->marks;
    cairo_tag_begin(cr, pr_tag_name(m->elems[elem].type), "");
    *PR_GROW_PUSH(m->mcrs, m->nmcrs, m->mcrs_cap) = (struct pr_pdf_mcr){elem, p->page, p->cmcid++};
    p->open = elem;
}

/* The same in the text layer: its k-th MCID on the page, numbered for
 * now -1 - k (pr_paint's end numbers it). */
static void tmark(struct pr_painter *p, int elem)
{
    if (p->topen == elem)
        return;
    struct pr_pdf_marks *m = p->marks;
    int k = p->nmcid++;
    pr_pdftext_mark(p->text, pr_tag_name(m->elems[elem].type), k);
    *PR_GROW_PUSH(m->mcrs, m->nmcrs, m->mcrs_cap) = (struct pr_pdf_mcr){elem, p->page, -1 - k};
    p->topen = elem;
}

static void tartifact(struct pr_painter *p)
{
    if (p->topen == -2)
        return;
    pr_pdftext_artifact(p->text);
    p->topen = -2;
}

int pr_painter_late_mcid(struct pr_painter *p, const struct pr_box *b)
{
    struct pr_pdf_marks *m = p->marks;
    if (!m || !m->tagged || !real(p, b))
        return -1;
    int elem = elem_of(m, b->tag), mcid = m->mcids[p->page]++;
    *PR_GROW_PUSH(m->mcrs, m->nmcrs, m->mcrs_cap) = (struct pr_pdf_mcr){elem, p->page, mcid};
    return mcid;
}

/* A copy of bytes [a, b) of t's text without soft hyphens, in the marks. */
static const char *plain_text(struct pr_pdf_marks *m, const struct pr_text *t, int a, int b)
{
    GString *g = g_string_sized_new((gsize)(b - a));
    for (int i = a; i < b && i < t->len; i++) {
        if ((unsigned char)t->str[i] == 0xC2 && i + 1 < b && (unsigned char)t->str[i + 1] == 0xAD) {
            i++;
            continue;
        }
        g_string_append_c(g, t->str[i]);
    }
    const char *k = keep(m, g->str);
    g_string_free(g, TRUE);
    return k;
}

/* A link to a URI or to a named destination. */
static void link_rect(struct pr_painter *p, double x, double y, double w, double h,
                      const char *uri, const char *dest, const char *text, int elem)
{
    if (w <= 0 || h <= 0 || (!uri && !dest) || !p->marks)
        return;
    struct pr_pdf_marks *m = p->marks;
    struct pr_pdf_link *l = PR_GROW_PUSH(m->links, m->nlinks, m->links_cap);
    l->page = p->page;
    l->x = x;
    l->y = y;
    l->w = w;
    l->h = h;
    l->uri = keep(m, uri);
    l->dest = keep(m, dest);
    l->text = keep(m, text);
    l->elem = elem;
}

/* Links inside a line: external links and footnote references (each, in
 * a tagged PDF, with its Link element). */
static void line_links(struct pr_painter *p, const struct pr_box *b)
{
    const struct pr_text *t = b->text;
    const struct pr_tline *tl = &t->lines[b->line];
    double top = b->y - tl->ascent, h = tl->ascent + tl->descent;
    struct pr_pdf_marks *m = p->marks;
    int base = m && m->tagged && b->tag ? elem_of(m, b->tag) : -1;
    if (b->link_dest) {
        link_rect(p, b->x + tl->x, top, tl->width, h, NULL, b->link_dest, m ? plain_text(m, t, 0, t->len) : NULL,
                  base >= 0 ? inline_elem(m, base, PR_TAG_LINK, NULL, -1, NULL) : -1);
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
            link_rect(p, b->x + tl->x + r[2 * k], top, r[2 * k + 1] - r[2 * k], h, note ? NULL : sp->arg,
                      note ? sp->arg : NULL, m ? plain_text(m, t, sp->start, sp->end) : NULL,
                      base >= 0 ? inline_elem(m, base, PR_TAG_LINK, t, i, NULL) : -1);
        }
    }
}

/* ---------- typeset text ---------- */

/* The colour a run asks for (a link's), else the text's. */
static void run_rgb(const struct pr_text *t, const PangoGlyphItem *g, double rgb[3])
{
    for (GSList *l = g->item->analysis.extra_attrs; l; l = l->next) {
        const PangoAttribute *a = l->data;
        if (a->klass->type == PANGO_ATTR_FOREGROUND) {
            const PangoColor *c = &((const PangoAttrColor *)a)->color;
            rgb[0] = c->red / 65535.0, rgb[1] = c->green / 65535.0, rgb[2] = c->blue / 65535.0;
            return;
        }
    }
    rgb[0] = t->color.r, rgb[1] = t->color.g, rgb[2] = t->color.b;
}

static void run_color(cairo_t *cr, const struct pr_text *t, const PangoGlyphItem *g)
{
    double c[3];
    run_rgb(t, g, c);
    cairo_set_source_rgb(cr, c[0], c[1], c[2]);
}

/* The rules of struck text and fill-in fields on a line (Pango draws
 * neither when the glyphs are shown run by run), where para.c put them:
 * by cairo, or into the text layer `txt` (user space's origin at ox, oy). */
static void line_rules(cairo_t *cr, struct pr_pdftext *txt, double ox, double oy, const struct pr_text *t, int line,
                       double x, double y)
{
    const struct pr_tline *tl = &t->lines[line];
    for (int i = 0; i < t->nspans; i++) {
        const struct pr_span *sp = &t->spans[i];
        if (sp->kind != PR_SPAN_STRIKE && sp->kind != PR_SPAN_FIELD)
            continue;
        double r[16];
        int n = pr_text_span_x_ranges(t, line, sp, r, 8);
        if (txt)
            pr_pdftext_color(txt, t->color.r, t->color.g, t->color.b);
        else
            cairo_set_source_rgb(cr, t->color.r, t->color.g, t->color.b);
        for (int k = 0; k < n; k++) {
            double rx = x + tl->x + r[2 * k], ry = y + sp->rule_y - sp->rule_h / 2, rw = r[2 * k + 1] - r[2 * k];
            if (txt)
                pr_pdftext_rect(txt, ox + rx, oy + ry, rw, sp->rule_h);
            else
                cairo_rectangle(cr, rx, ry, rw, sp->rule_h);
        }
        if (!txt)
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
        int j = pr_run_cluster_end(gs, text, i, words), start = gs->log_clusters[i];
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
        nb += pr_cluster_text(text, start, end, ng > g0, utf8 + nb);
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

/* Line `line` of t with its baseline's left end at (x, y); in a tagged
 * PDF (p not NULL), each run marked as the element it belongs to (the
 * line box b's, base, or a link's or other-language span's in it). */
static void paint_line(cairo_t *cr, const struct pr_text *t, int line, double x, double y, struct pr_painter *p,
                       const struct pr_box *b, int base)
{
    const struct pr_tline *tl = &t->lines[line];
    if (p && t->nspans > 0)
        mark(p, cr, base);
    line_rules(cr, NULL, 0, 0, t, line, x, y);
    for (int k = 0; k < tl->nruns; k++) {
        const struct pr_trun *r = &tl->runs[k];
        PangoGlyphItem *g = r->gi;
        if (p && !r->hyphen)
            mark(p, cr, run_elem(p->marks, b, g->item, base));
        else if (p && p->open < 0)
            mark(p, cr, base);
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

void pr_text_paint_line(cairo_t *cr, const struct pr_text *t, int line, double x, double y)
{
    paint_line(cr, t, line, x, y, NULL, NULL, -1);
}

/* paint_line into the text layer (paint_boxes: native_page). base >= 0: a line of that
 * element, each run marked as paint_line marks it; else the whole line
 * marked as element `whole` (>= 0), as an artifact (-2) or not at all. */
static void paint_line_native(struct pr_painter *p, const struct pr_text *t, int line, double x, double y,
                              const struct pr_box *b, int base, int whole)
{
    const struct pr_tline *tl = &t->lines[line];
    if (base >= 0 && t->nspans > 0)
        tmark(p, base);
    else if (base < 0 && whole >= 0)
        tmark(p, whole);
    else if (base < 0 && whole == -2)
        tartifact(p);
    line_rules(NULL, p->text, p->ox, p->oy, t, line, x, y);
    for (int k = 0; k < tl->nruns; k++) {
        const struct pr_trun *r = &tl->runs[k];
        const PangoGlyphItem *g = r->gi;
        if (base >= 0 && !r->hyphen)
            tmark(p, run_elem(p->marks, b, g->item, base));
        else if (base >= 0 && p->topen < 0)
            tmark(p, base);
        double c[3];
        run_rgb(t, g, c);
        pr_pdftext_color(p->text, c[0], c[1], c[2]);
        pr_pdftext_run(p->text, t->str, g, p->ox + x + tl->x + r->x, p->oy + y - PT(g->y_offset), r->xscale,
                       PT(r->gap), t->tracked, r->hyphen);
    }
}

/* The fonts prepare_line readied last (a few: a page's lines use few). */
struct readied {
    PangoFont *font[8];
    int next;
};

/* Line `line` of t readied for painting in threads (below). */
static void prepare_line(cairo_t *cr, struct readied *rd, const struct pr_text *t, int line)
{
    const struct pr_tline *tl = &t->lines[line];
    bool unknown = false;
    for (int k = 0; k < tl->nruns; k++) {
        const PangoGlyphItem *g = tl->runs[k].gi;
        PangoFont *f = g->item->analysis.font;
        int r = 0;
        while (r < 8 && rd->font[r] != f)
            r++;
        if (r == 8) {
            pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(f));
            rd->font[rd->next++ % 8] = f;
        }
        unknown = unknown || tl->runs[k].unknown;
    }
    if (unknown)
        pr_text_paint_line(cr, t, line, 0, 0);
}

void pr_typeset_prepare_paint(const struct pr_box *boxes, int n)
{
    /* Pango makes a font's cairo font, and the box it draws for a missing
     * glyph, on first use: make them all now, from one thread */
    cairo_surface_t *dummy = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    cairo_t *cr = cairo_create(dummy);
    struct readied rd = {{NULL}, 0};
    for (int i = 0; i < n; i++) {
        const struct pr_text *t = boxes[i].kind == PR_BOX_LINE ? boxes[i].text : NULL;
        if (t && boxes[i].line >= 0 && boxes[i].line < t->nlines)
            prepare_line(cr, &rd, t, boxes[i].line);
    }
    cairo_destroy(cr);
    cairo_surface_destroy(dummy);
}

void pr_typeset_prepare_texts(struct pr_text *const *texts, int n)
{
    cairo_surface_t *dummy = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
    cairo_t *cr = cairo_create(dummy);
    struct readied rd = {{NULL}, 0};
    for (int i = 0; i < n; i++)
        for (int l = 0; texts[i] && l < texts[i]->nlines; l++)
            prepare_line(cr, &rd, texts[i], l);
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

/* Where box b is drawn, for the layers' overlaps (x0 y0 x1 y1). */
static void extent(const struct pr_box *b, double r[4])
{
    if (b->kind == PR_BOX_LINE && b->text && b->line >= 0 && b->line < b->text->nlines) {
        const struct pr_tline *tl = &b->text->lines[b->line];
        r[0] = b->x + tl->x;
        r[1] = b->y - tl->ascent;
        r[2] = r[0] + tl->width;
        r[3] = b->y + tl->descent;
        return;
    }
    double y = b->kind == PR_BOX_RULE ? b->y - b->h / 2 : b->y;
    r[0] = b->x;
    r[1] = y;
    r[2] = b->x + b->w;
    r[3] = y + b->h;
}

static bool overlaps(const double a[4], const double b[4])
{
    const double e = 0.5;
    return a[0] < b[2] - e && b[0] < a[2] - e && a[1] < b[3] - e && b[1] < a[3] - e;
}

/* Content a reader is read: a line, picture or ad of an element (of the
 * offprint's story, in an offprint). */
static bool real(const struct pr_painter *p, const struct pr_box *b)
{
    return b->tag && b->kind != PR_BOX_RULE && b->kind != PR_BOX_RECT &&
           !(p->marks && p->marks->one_story && b->tag->story != p->marks->story);
}

/* Is box b drawn on this painter's pages? */
static bool shown(const struct pr_painter *p, const struct pr_box *b)
{
    return !((b->role == PR_ROLE_SLUG && !p->slug) || (b->role == PR_ROLE_CITATION && !p->citation));
}

unsigned pr_painter_layers(struct pr_painter *p, const struct pr_page *pg)
{
    if (pg->nboxes > p->nbox_cap) {
        p->nbox_cap = pg->nboxes * 2;
        p->layer = pr_xrealloc(p->layer, (size_t)p->nbox_cap * sizeof *p->layer);
        p->host = pr_xrealloc(p->host, (size_t)p->nbox_cap * sizeof *p->host);
    }
    unsigned used = 0;
    for (int i = 0; i < pg->nboxes; i++) {
        const struct pr_box *b = &pg->boxes[i];
        p->host[i] = b->tag;
        p->layer[i] = PR_LAYER_CONTENT;
        if (real(p, b) || !shown(p, b))
            continue;
        /* an artifact: under the content, unless content drawn before it
         * shows through it; then over the content, unless content drawn
         * after it lies on it too: then it is drawn in its place, as
         * part of the content under it (a tint over a picture) */
        double r[4], o[4];
        extent(b, r);
        const struct pr_tag *under = NULL;
        bool over = false;
        for (int j = 0; j < pg->nboxes; j++) {
            const struct pr_box *c = &pg->boxes[j];
            if (j == i || !real(p, c) || !shown(p, c))
                continue;
            extent(c, o);
            if (!overlaps(r, o))
                continue;
            if (j < i)
                under = c->tag;
            else
                over = true;
        }
        p->host[i] = under && over ? under : NULL;
        p->layer[i] = !under ? PR_LAYER_UNDER : !over ? PR_LAYER_OVER : PR_LAYER_CONTENT;
        if (p->layer[i] != PR_LAYER_CONTENT)
            used |= 1u << p->layer[i];
    }
    return used;
}

/* Can this page's text (its boxes of `layer`, < 0: all) go into the text
 * layer? When user space is the page's moved, every run can, and nothing
 * drawn after a line lies on it (the text layer is laid over cairo's). */
static bool native_page(struct pr_painter *p, cairo_t *cr, const struct pr_book *bk, const struct pr_page *pg,
                        int layer)
{
    cairo_matrix_t m;
    cairo_get_matrix(cr, &m);
    if (m.xx != 1 || m.yy != 1 || m.xy != 0 || m.yx != 0)
        return false;
    p->ox = m.x0;
    p->oy = m.y0;
    int first_line = -1;
    for (int i = 0; i < pg->nboxes; i++) {
        const struct pr_box *b = &pg->boxes[i];
        if (!shown(p, b) || (layer >= 0 && p->layer[i] != layer))
            continue;
        if (b->kind != PR_BOX_LINE) {
            if (first_line < 0 || first_line > i)
                continue;
            /* drawn after a line: over none of them */
            struct pr_box grown = bled(p, bk, b);
            double r[4], o[4];
            extent(&grown, r);
            for (int j = first_line; j < i; j++) {
                const struct pr_box *c = &pg->boxes[j];
                if (c->kind != PR_BOX_LINE || !shown(p, c) || (layer >= 0 && p->layer[j] != layer) || !c->text ||
                    c->line < 0 || c->line >= c->text->nlines)
                    continue;
                extent(c, o);
                if (overlaps(r, o))
                    return false;
            }
            continue;
        }
        if (!b->text || b->line < 0 || b->line >= b->text->nlines)
            continue;
        if (first_line < 0)
            first_line = i;
        const struct pr_tline *tl = &b->text->lines[b->line];
        for (int k = 0; k < tl->nruns; k++)
            if (!pr_pdftext_can(p->text, tl->runs[k].gi))
                return false;
    }
    return true;
}

/* Draw the boxes of pg: all of them (layer < 0: no tagged PDF), or those
 * of one layer, the content marked as its elements. links: PDF link and
 * destination tags (destinations only in content: the layers' pages go).
 * A PDF's page painted (the text layer's part of it done too). */
static void paint_boxes(struct pr_painter *p, cairo_t *cr, const struct pr_book *bk, const struct pr_page *pg,
                        bool links, int layer)
{
    bool tagged = layer == PR_LAYER_CONTENT;
    struct pr_pdf_marks *m = p->marks;
    int mcr_from = tagged ? m->nmcrs : 0; /* the page's first mark */
    if (tagged) {
        p->cmcid = m->mcids[p->page];
        p->nmcid = 0;
    }
    bool native = p->text && native_page(p, cr, bk, pg, layer);
    p->topen = -1;
    for (int i = 0; i < pg->nboxes; i++) {
        struct pr_box grown = bled(p, bk, &pg->boxes[i]);
        const struct pr_box *b = &grown;
        if (!shown(p, b) || (layer >= 0 && p->layer[i] != layer))
            continue;
        bool dest = links && b->dest && layer <= PR_LAYER_CONTENT;
        int elem = tagged && p->host[i] ? elem_of(p->marks, p->host[i]) : -1;
        if (tagged && elem < 0)
            unmark(p, cr);
        else if (elem >= 0 && !(b->kind == PR_BOX_LINE && (native || real(p, b))) &&
                 !(b->kind == PR_BOX_AD && b->ad_pdf))
            mark(p, cr, elem); /* (a PDF ad is drawn by the post-pass, marked there; a line in the
                                * text layer is marked there) */
        double top = b->kind == PR_BOX_LINE ? b->y - b->h : b->y;
        switch (b->kind) {
        case PR_BOX_LINE:
            if (native)
                paint_line_native(p, b->text, b->line, b->x, b->y, b, elem >= 0 && real(p, b) ? elem : -1,
                                  !tagged ? -1 : elem >= 0 ? elem : -2);
            else if (elem >= 0 && real(p, b))
                paint_line(cr, b->text, b->line, b->x, b->y, p, b, elem);
            else
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
        if (links && b->kind == PR_BOX_LINE && layer <= PR_LAYER_CONTENT)
            line_links(p, b);
        if (dest && m) {
            *PR_GROW_PUSH(m->dests, m->ndests, m->dests_cap) =
                (struct pr_pdf_dest){keep(m, b->dest), p->page, b->x, top};
        }
    }
    if (tagged)
        unmark(p, cr);
    if (p->text) {
        p->topen = -1;
        /* the text layer's MCIDs after cairo's */
        if (tagged) {
            for (int i = mcr_from; i < m->nmcrs; i++)
                if (m->mcrs[i].mcid < 0)
                    m->mcrs[i].mcid = p->cmcid + (-1 - m->mcrs[i].mcid);
            m->mcids[p->page] = p->cmcid + p->nmcid;
        }
        pr_pdftext_page_done(p->text, tagged ? p->cmcid : 0);
    }
}

void pr_paint_page(struct pr_painter *p, cairo_t *cr, const struct pr_book *bk,
                   const struct pr_page *pg, bool links)
{
    paint_boxes(p, cr, bk, pg, links, -1);
}

void pr_paint_layer(struct pr_painter *p, cairo_t *cr, const struct pr_book *bk, const struct pr_page *pg,
                    enum pr_layer layer)
{
    paint_boxes(p, cr, bk, pg, true, (int)layer);
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

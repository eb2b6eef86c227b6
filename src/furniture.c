/* furniture.c - typesetting, page furniture: the cover and back cover, each
 * page's running head and folio, the print slug lines, the flatplan's
 * labels (pressrun proof) and the print preflight of the layout's colours.
 * Reads the issue model and the layout; writes boxes onto pages of the
 * book. Called by pages.c. */
#include "pages.h"
#include "image.h"
#include <math.h>
#include <string.h>

/* "Vol. 8, No. 4", "Vol. 8" or "No. 4"; NULL when the manifest gives neither. */
static const char *volume_number(struct pr_arena *A, const struct pr_issue *is)
{
    if (!is->volume && !is->number)
        return NULL;
    if (is->volume && is->number)
        return pr_arena_printf(A, "Vol. %d, No. %d", is->volume, is->number);
    return is->volume ? pr_arena_printf(A, "Vol. %d", is->volume) : pr_arena_printf(A, "No. %d", is->number);
}

/* ---------- cover ---------- */

static const struct pr_color white = {1, 1, 1};
static const struct pr_color cover_ink = {0.08, 0.08, 0.09};

/* The cover image (or the accent colour) over the whole page; whether
 * there is an image. */
static bool cover_background(struct pr_typeset *ts, struct pr_boxes *bx)
{
    const struct pr_layout *L = ts->L;
    const struct pr_issue *is = ts->issue;
    struct pr_image_info info;
    bool img = is->cover_image_path && pr_image_info_read(&ts->b->diags, is->cover_image_path, is->cover_image_pos, &info);
    struct pr_box *bg = pr_push_box(bx);
    if (img) {
        bg->kind = PR_BOX_IMAGE;
        bg->image = is->cover_image_path;
        pr_check_resolution(ts, is->cover_image_path, &info, L->page_w + 2 * L->bleed, L->page_h + 2 * L->bleed,
                            is->cover_image_pos);
    } else {
        bg->kind = PR_BOX_RECT;
        bg->color = L->accent;
        bg->alpha = 1;
    }
    bg->role = PR_ROLE_COVER;
    bg->x = 0;
    bg->y = 0;
    bg->w = L->page_w;
    bg->h = L->page_h;
    bg->bleed = true;
    return img;
}

/* A dark band across the page (bled), to set white text on. */
static struct pr_box *cover_band(struct pr_boxes *bx, const struct pr_layout *L, double y, double h,
                                 double alpha)
{
    struct pr_box *band = pr_push_box(bx);
    band->kind = PR_BOX_RECT;
    band->role = PR_ROLE_DECOR;
    band->x = 0;
    band->y = y;
    band->w = L->page_w;
    band->h = h;
    band->color = cover_ink;
    band->alpha = alpha;
    band->bleed = true;
    return band;
}

/* The masthead band: the title, shrunk to the text width if need be, and
 * the issue line ("April 2024 — Labor Notes Edition · Vol. 8, No. 4"). */
static void cover_masthead(struct pr_typeset *ts, struct pr_boxes *bx, bool img)
{
    const struct pr_layout *L = ts->L;
    const struct pr_issue *is = ts->issue;
    double tw = pr_text_w(L);
    double x0 = pr_text_x(L, 1);
    struct pr_font mf = L->masthead;
    mf.color = white;
    struct pr_textopts o = pr_topts(ts, &mf, 100000, PR_ALIGN_LEFT, is->language);
    struct pr_text *probe = pr_text_plain(ts, is->title, &o);
    double natural = probe->nlines ? probe->lines[0].width : tw;
    double scale = natural > tw ? tw / natural : 1.0;
    o.scale = scale;
    o.width = tw;
    o.align = PR_ALIGN_CENTER;
    struct pr_text *mast = pr_text_plain(ts, is->title, &o);
    cover_band(bx, L, 0, L->margin_top + mf.leading * scale + L->baseline * 3.2, img ? 0.72 : 0.25);
    double y = L->margin_top * 0.8;
    const struct pr_tag *root = bx->tag;
    bx->tag = pr_tag_new(bx->arena, root, PR_TAG_H1);
    pr_put_box(bx, pr_line_box(ts, mast, 0, x0, y + mf.size * scale * 0.8, PR_ROLE_MASTHEAD));
    bx->tag = pr_tag_new(bx->arena, root, PR_TAG_P);
    y += mf.size * scale * 1.02;
    struct pr_font lf = L->label;
    lf.color = white;
    GString *gl = g_string_new(is->issue ? is->issue : "");
    const char *vn = volume_number(bx->arena, is);
    if (vn)
        g_string_append_printf(gl, "  \xC2\xB7  %s", vn);
    o = pr_topts(ts, &lf, tw, PR_ALIGN_CENTER, is->language);
    struct pr_text *il = pr_text_plain(ts, gl->str, &o);
    g_string_free(gl, TRUE);
    pr_add_lines(ts, bx, il, x0, y + L->baseline * 0.4, PR_ROLE_COVER, 1, &lf);
    bx->tag = root;
}

/* The cover lines at the foot, on a band of their own with an accent bar
 * (`beside`: the width the barcode takes at their right). */
static void cover_lines(struct pr_typeset *ts, struct pr_boxes *bx, bool img, double beside)
{
    const struct pr_layout *L = ts->L;
    const struct pr_issue *is = ts->issue;
    double tw = pr_text_w(L);
    double x0 = pr_text_x(L, 1);
    struct pr_font cf = L->title;
    cf.color = white;
    cf.size = L->title.size * 0.8;
    cf.leading = L->title.leading * 0.8;
    double h = 0;
    struct pr_text *lines[16];
    int n = is->ncover_lines < 16 ? is->ncover_lines : 16;
    for (int i = 0; i < n; i++) {
        double w = tw * 0.8 < tw - 12 - beside ? tw * 0.8 : tw - 12 - beside;
        struct pr_textopts co = pr_topts(ts, &cf, w, PR_ALIGN_LEFT, is->language);
        co.balance = true;
        lines[i] = pr_text_plain(ts, is->cover_lines[i], &co);
        h += lines[i]->nlines * cf.leading + cf.leading * 0.35;
    }
    double top = L->page_h - L->margin_bottom - h;
    struct pr_box *cb = cover_band(bx, L, top - L->baseline, 0, img ? 0.62 : 0.25);
    cb->h = L->page_h - cb->y;
    struct pr_box *ar = pr_push_box(bx);
    ar->kind = PR_BOX_RECT;
    ar->role = PR_ROLE_DECOR;
    ar->x = x0;
    ar->y = top - L->baseline * 0.2;
    ar->w = 3;
    ar->h = h - cf.leading * 0.35;
    ar->color = L->accent;
    ar->alpha = 1;
    double y = top;
    const struct pr_tag *root = bx->tag;
    for (int i = 0; i < n; i++) {
        bx->tag = pr_tag_new(bx->arena, root, PR_TAG_P);
        y = pr_add_lines(ts, bx, lines[i], x0 + 12, y, PR_ROLE_COVER, 1, &cf) + cf.leading * 0.35;
    }
    bx->tag = root;
}

/* The barcode's module width: 80 % of GS1's nominal 0.33 mm, the least
 * newsstand scanners are asked to read; 0 when the cover has none. */
static double barcode_module(const struct pr_typeset *ts, char ean[14])
{
    const struct pr_masthead *m = ts->issue->masthead;
    if (!ts->L->barcode || !m || !m->issn || !pr_issn_ean13(m->issn, ean))
        return 0;
    return 0.33 * 0.8 * 72 / 25.4;
}

/* The barcode at the foot of the cover's outer side, on white. */
static void cover_barcode(struct pr_typeset *ts, struct pr_boxes *bx, const char *ean, double mod)
{
    const struct pr_layout *L = ts->L;
    double x = pr_text_x(L, 1) + pr_text_w(L) - pr_barcode_width(mod);
    double y = L->page_h - L->margin_bottom - pr_barcode_height(mod);
    pr_add_barcode(ts, bx, ts->issue->masthead->issn, ean, ts->issue->number, x, y, mod);
}

void pr_furn_cover(struct pr_typeset *ts, struct pr_page *pg)
{
    struct pr_boxes bx = pr_page_boxes(ts->b->arena, pg);
    /* the cover picture is its background (the manifest gives it no alt
     * text): decoration, like the bands and the barcode */
    bool img = cover_background(ts, &bx);
    const struct pr_issue *is = ts->issue;
    bx.tag = pr_tag_story(bx.arena, PR_TAG_SECT, PR_STORY_COVER, is->title, is->language);
    cover_masthead(ts, &bx, img);
    char ean[14];
    double mod = barcode_module(ts, ean);
    if (ts->issue->ncover_lines > 0)
        cover_lines(ts, &bx, img, mod > 0 ? pr_barcode_width(mod) + 18 : 0);
    bx.tag = NULL;
    if (mod > 0)
        cover_barcode(ts, &bx, ean, mod);
    pr_page_set_boxes(pg, &bx);
}

void pr_furn_back_cover(struct pr_typeset *ts, struct pr_page *pg)
{
    const struct pr_layout *L = ts->L;
    const struct pr_issue *is = ts->issue;
    struct pr_boxes bx = pr_page_boxes(ts->b->arena, pg);
    struct pr_box *bg = pr_push_box(&bx);
    bg->kind = PR_BOX_RECT;
    bg->role = PR_ROLE_COVER;
    bg->w = L->page_w;
    bg->h = L->page_h;
    bg->color = (struct pr_color){0.1, 0.1, 0.11};
    bg->alpha = 1;
    bg->bleed = true;
    double tw = pr_text_w(L), x0 = pr_text_x(L, pg->number);
    struct pr_font mf = L->masthead;
    mf.color = white;
    mf.size = L->masthead.size * 0.5;
    mf.leading = mf.size * 1.1;
    struct pr_textopts o = pr_topts(ts, &mf, tw, PR_ALIGN_CENTER, is->language);
    struct pr_text *t = pr_text_plain(ts, is->title, &o);
    double y = L->page_h * 0.36;
    struct pr_tag *root = pr_tag_story(bx.arena, PR_TAG_SECT, PR_STORY_BACK, is->title, is->language);
    bx.tag = pr_tag_new(bx.arena, root, PR_TAG_P);
    y = pr_add_lines(ts, &bx, t, x0, y, PR_ROLE_MASTHEAD, 1, &mf);
    pr_add_rule(&bx, x0 + tw * 0.4, y + L->baseline, tw * 0.2, 1.2, L->accent);
    struct pr_font lf = L->label;
    lf.color = white;
    GString *g = g_string_new(is->issue ? is->issue : "");
    const char *vn = volume_number(bx.arena, is);
    if (vn)
        g_string_append_printf(g, "\n%s", vn);
    if (is->date)
        g_string_append_printf(g, "\n%s", is->date);
    if (is->publisher)
        g_string_append_printf(g, "\n%s", is->publisher);
    o = pr_topts(ts, &lf, tw, PR_ALIGN_CENTER, is->language);
    t = pr_text_plain(ts, g->str, &o);
    g_string_free(g, TRUE);
    bx.tag = pr_tag_new(bx.arena, root, PR_TAG_P);
    pr_add_lines(ts, &bx, t, x0, y + L->baseline * 2.5, PR_ROLE_COVER, 1, &lf);
    pr_page_set_boxes(pg, &bx);
}

/* ---------- slug line ---------- */

/* Printed outside the trim on the print PDF: issue, page, date. */
void pr_furn_slug(struct pr_typeset *ts, const struct pr_page *pg, struct pr_box *out)
{
    const struct pr_layout *L = ts->L;
    const struct pr_issue *is = ts->issue;
    memset(out, 0, sizeof *out);
    if (!L->marks)
        return;
    struct pr_font f = L->running_head;
    f.size = 6;
    f.leading = 7;
    f.caps = false;
    f.tracking = 0;
    f.color = (struct pr_color){0, 0, 0};
    char *s = pr_arena_printf(ts->b->arena, "%s \xE2\x80\x94 %s \xC2\xB7 page %d of %d%s \xC2\xB7 %s",
                              is->title ? is->title : "", is->issue ? is->issue : "", pg->number,
                              ts->book->npages, pg->padding ? " (blank for binding)" : "", is->date ? is->date : "");
    struct pr_textopts o = pr_topts(ts, &f, L->page_w, PR_ALIGN_CENTER, "en");
    struct pr_text *t = pr_text_plain(ts, s, &o);
    if (t->nlines)
        *out = pr_line_box(ts, t, 0, 0, L->page_h + L->bleed + 14, PR_ROLE_SLUG);
}

/* ---------- running heads and folios ---------- */

void pr_furn_page(struct pr_typeset *ts, struct pr_boxes *bx, const struct pr_page *pg, const char *head,
                  bool opener_page)
{
    const struct pr_layout *L = ts->L;
    double x0 = pr_text_x(L, pg->number);
    double tw = pr_text_w(L);
    bool right = pg->number % 2;
    if (L->show_running_head && head && !opener_page) {
        struct pr_textopts o = pr_topts(ts, &L->running_head, tw, right ? PR_ALIGN_RIGHT : PR_ALIGN_LEFT, "en");
        struct pr_text *t = pr_text_plain(ts, head, &o);
        /* too long for one line: drop whole words from the end (and the
         * punctuation before them) until it fits, and mark the cut */
        size_t n = strlen(head);
        while (t->nlines > 1 && n > 0) {
            while (n > 0 && head[n - 1] != ' ')
                n--;
            while (n > 0 && strchr(" ,;:.-", head[n - 1]))
                n--;
            if (n == 0)
                break;
            t = pr_text_plain(ts, pr_arena_printf(bx->arena, "%.*s\xE2\x80\xA6", (int)n, head), &o);
        }
        double by = L->margin_top - L->baseline * 1.6;
        if (t->nlines)
            *pr_push_box(bx) = pr_line_box(ts, t, 0, x0, by, PR_ROLE_RUNNING_HEAD);
        pr_add_rule(bx, x0, by + L->running_head.size * 0.55, tw, 0.4, L->rule);
    }
    if (L->show_folio && pg->folio) {
        struct pr_textopts o = pr_topts(ts, &L->folio, tw, right ? PR_ALIGN_RIGHT : PR_ALIGN_LEFT, "en");
        struct pr_text *t = pr_text_plain(ts, pg->folio, &o);
        double by = L->page_h - L->margin_bottom + L->baseline * 2;
        if (t->nlines)
            *pr_push_box(bx) = pr_line_box(ts, t, 0, x0, by, PR_ROLE_FOLIO);
    }
}


/* Preflight for print: text colours a CMYK press cannot hold. Neutral
 * greys (r = g = b within 2 %) are fine: the RIP prints them on the black
 * plate. A colour is flagged when it is both very saturated and very
 * bright (HSV saturation and value above 0.85): pure RGB primaries and
 * secondaries such as #00FF00 or #FF00FF lie far outside press gamuts
 * (SWOP, FOGRA39) and print dull and shifted. */
void pr_furn_preflight_colors(struct pr_typeset *ts)
{
    const struct pr_layout *L = ts->L;
    struct pr_build *bld = ts->b;
    if (!bld->opt.check_only && !(bld->opt.formats & PR_FMT_PRINT))
        return;
    const struct {
        const char *name;
        const struct pr_color *c;
    } cs[] = {{"body", &L->body.color},         {"heading", &L->heading.color},
              {"title", &L->title.color},       {"deck", &L->deck.color},
              {"byline", &L->byline.color},     {"caption", &L->caption.color},
              {"label", &L->label.color},       {"running-head", &L->running_head.color},
              {"folio", &L->folio.color},       {"pullquote", &L->pullquote.color},
              {"footnote", &L->footnote.color}, {"toc", &L->toc.color},
              {"accent", &L->accent},           {"rule", &L->rule}};
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        const struct pr_color *c = cs[i].c;
        double mx = fmax(c->r, fmax(c->g, c->b)), mn = fmin(c->r, fmin(c->g, c->b));
        if (mx - mn <= 0.02 || mx <= 0)
            continue;
        double sat = (mx - mn) / mx;
        if (sat > 0.85 && mx > 0.85)
            pr_diag(&bld->diags, PR_D_COLOR, (struct pr_pos){L->path, 0, 0},
                    "the %s colour #%02X%02X%02X is outside what a CMYK press prints; "
                    "choose a darker or less saturated colour",
                    cs[i].name, (int)lround(c->r * 255), (int)lround(c->g * 255), (int)lround(c->b * 255));
    }
}

/* ---------- the flatplan (pressrun proof) ---------- */

static struct pr_box flatplan_line(struct pr_typeset *ts, const struct pr_font *f, double w, enum pr_align align,
                                   const char *s)
{
    struct pr_textopts o = pr_topts(ts, f, w, align, "en");
    struct pr_text *t = pr_text_plain(ts, s, &o);
    struct pr_box lb;
    memset(&lb, 0, sizeof lb);
    if (t->nlines)
        lb = pr_line_box(ts, t, 0, 0, 0, PR_ROLE_LABEL);
    return lb;
}

void pr_furn_flatplan(struct pr_typeset *ts)
{
    const struct pr_layout *L = ts->L;
    const struct pr_issue *is = ts->issue;
    struct pr_book *bk = ts->book;
    struct pr_arena *A = ts->b->arena;
    int n = bk->npages;
    struct pr_font hf = L->label;
    hf.size = 16;
    hf.leading = 20;
    hf.color = (struct pr_color){0.1, 0.1, 0.1};
    int sheets = (n + 3) / 4;
    char *head = pr_arena_printf(A, "Flatplan \xC2\xB7 %s \xE2\x80\x94 %s \xC2\xB7 %d pages%s", is->title,
                                 is->issue ? is->issue : "", n,
                                 L->binding == PR_BIND_SADDLE ? pr_arena_printf(A, " (%d sheets, saddle stitch)", sheets) : "");
    bk->flatplan_title = flatplan_line(ts, &hf, PR_FLATPLAN_W - 2 * PR_FLATPLAN_MARGIN, PR_ALIGN_LEFT, head);
    struct pr_font lf = L->folio;
    lf.size = 9;
    lf.leading = 11;
    lf.caps = false;
    lf.tracking = 0;
    lf.color = (struct pr_color){0.15, 0.15, 0.15};
    bk->flatplan_labels = pr_arena_alloc(A, (size_t)(n ? n : 1) * sizeof *bk->flatplan_labels);
    for (int i = 0; i < n; i++) {
        const struct pr_page *pg = &bk->pages[i];
        /* right-hand (odd) pages are labelled flush right, under their outer edge */
        enum pr_align align = pg->number % 2 ? PR_ALIGN_RIGHT : PR_ALIGN_LEFT;
        char *label = pr_arena_printf(A, "%d \xC2\xB7 %s", pg->number, pg->label);
        bk->flatplan_labels[i] = flatplan_line(ts, &lf, PR_FLATPLAN_THUMB - 4, align, label);
    }
}

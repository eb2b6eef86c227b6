/* pages.c - typesetting, top level: sets the articles as galleys (opener +
 * body items flowed into columns), a batch of articles at a time, makes
 * each galley's pages with running heads and folios and hands them to the
 * back ends (pr_page_sink), then frees the batch, so that memory stays flat
 * however long the issue. The cover comes first; the table of contents is
 * set before the articles to count its pages (its length does not depend
 * on the numbers it prints) and again at the end with the page numbers,
 * handed over last; the print slug lines ("page N of M") are set at the
 * end. Called by build.c through pr_pages_run; reads the issue model only. */
#include "typeset.h"
#include "hyph.h"
#include "image.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------- geometry ---------- */

double pr_text_w(const struct pr_layout *L)
{
    return L->page_w - L->margin_inner - L->margin_outer;
}

static double col_w(const struct pr_layout *L)
{
    return (pr_text_w(L) - (L->columns - 1) * L->gutter) / L->columns;
}

/* Left edge of the text area: right-hand (odd) pages have the inner margin
 * on the left. */
static double text_x(const struct pr_layout *L, int page)
{
    return page % 2 ? L->margin_inner : L->margin_outer;
}

/* Where the baseline sits below the top of a line of this font (half-leading model). */
double pr_ascent_of(const struct pr_font *f, double scale)
{
    return f->size * scale * 0.78 + (f->leading - f->size) * scale / 2;
}

struct pr_textopts pr_topts(struct pr_typeset *ts, const struct pr_font *f, double width,
                                enum pr_align align, const char *lang)
{
    struct pr_textopts o;
    memset(&o, 0, sizeof o);
    o.font = f;
    o.width = width;
    o.align = align;
    o.lang = lang ? lang : ts->issue->language;
    o.scale = 1;
    o.italic_flip = true;
    return o;
}

struct pr_box *pr_push_box(struct pr_arena *a, struct pr_box **v, int *n, int *cap)
{
    return PR_PUSH(a, *v, *n, *cap);
}

struct pr_box *pr_add_rule(struct pr_arena *a, struct pr_box **v, int *n, int *cap, double x, double y,
                           double w, double thick, struct pr_color color)
{
    struct pr_box *r = pr_push_box(a, v, n, cap);
    r->kind = PR_BOX_RULE;
    r->role = PR_ROLE_DECOR;
    r->x = x;
    r->y = y;
    r->w = w;
    r->h = thick;
    r->color = color;
    return r;
}

/* An image box `w` wide (at most max_h tall, cropped to fit) with its
 * caption below, from y down; returns the y below the caption. */
/* Preflight for print: the image's effective resolution at its placed size
 * (it fills its box, cropped, so the scale is the larger of the two). */
static void check_resolution(struct pr_typeset *ts, const char *path, const struct pr_image_info *info,
                             double w, double h, struct pr_pos pos)
{
    struct pr_build *b = ts->b;
    if (!b->opt.check_only && !(b->opt.formats & PR_FMT_PRINT))
        return;
    double sx = w / info->width, sy = h / info->height;
    double ppi = 72.0 / (sx > sy ? sx : sy);
    if (ppi < 150)
        pr_diag(&b->diags, PR_D_IMAGE_LOWRES, pos,
                "image '%s' prints at %.0f ppi at its placed size (%.0f x %.0f pt), below the 150 ppi a press needs; "
                "supply at least %.0f x %.0f pixels",
                path, ppi, w, h, w / 72 * 300, h / 72 * 300);
    else if (ppi < 300)
        pr_diag(&b->diags, PR_D_IMAGE_RES, pos,
                "image '%s' prints at %.0f ppi at its placed size; 300 ppi needs %.0f x %.0f pixels",
                path, ppi, w / 72 * 300, h / 72 * 300);
}

static double image_caption(struct pr_typeset *ts, struct pr_box **v, int *n, int *cap, const char *path,
                            const struct pr_image_info *info, double y, double w, double max_h,
                            const char *caption, double cap_w, const char *lang, struct pr_pos pos)
{
    const struct pr_layout *L = ts->L;
    double h = w * info->height / info->width;
    if (h > max_h)
        h = max_h;
    check_resolution(ts, path, info, w, h, pos);
    struct pr_box *img = pr_push_box(ts->b->arena, v, n, cap);
    img->kind = PR_BOX_IMAGE;
    img->role = PR_ROLE_FIGURE;
    img->y = y;
    img->w = w;
    img->h = h;
    img->image = path;
    y += h + 3;
    if (caption && *caption) {
        struct pr_textopts o = pr_topts(ts, &L->caption, cap_w, PR_ALIGN_LEFT, lang);
        o.hyphenate = true;
        struct pr_text *t = pr_text_plain(ts, caption, &o);
        y = pr_add_lines(ts, v, n, cap, t, 0, y, PR_ROLE_CAPTION, 1, &L->caption);
    }
    return y;
}

/* Add the lines of `t` as LINE boxes from baseline y0 down; returns the y
 * below the last line (the next line's top). */
double pr_add_lines(struct pr_typeset *ts, struct pr_box **v, int *n, int *cap,
                        const struct pr_text *t, double x, double top, enum pr_role role,
                        double scale, const struct pr_font *f)
{
    double asc = pr_ascent_of(f, scale);
    double y = top;
    for (int i = 0; i < t->nlines; i++) {
        struct pr_box *b = pr_push_box(ts->b->arena, v, n, cap);
        b->kind = PR_BOX_LINE;
        b->role = role;
        b->x = x;
        b->y = y + asc;
        b->w = t->width;
        b->h = t->leading;
        b->text = t;
        b->line = i;
        b->link_dest = t->link_dest;
        b->preview = ts->b->opt.dump == PR_DUMP_LAYOUT ? pr_text_preview(ts->b->arena, t, i) : NULL;
        y += t->leading;
    }
    return y;
}

/* ---------- article bodies into flow items ---------- */

struct body {
    struct pr_typeset *ts;
    const struct pr_article *art;
    struct pr_items *items;
    double cw;
    bool keep;           /* the next item stays with the previous one (after headings) */
    bool indent_next;    /* the next paragraph gets a first-line indent */
    int depth;
    const char *note_prefix;
};

static struct pr_item *item(struct body *bd, enum pr_item_kind k)
{
    struct pr_item *it = pr_items_push(bd->ts->b->arena, bd->items);
    it->kind = k;
    it->break_before = !bd->keep;
    bd->keep = false;
    return it;
}

static void space(struct body *bd, double h)
{
    if (bd->keep)
        return;
    struct pr_item *it = item(bd, PR_IT_SPACE);
    it->height = h;
    it->break_before = true;
}

/* Lines of a text as flow items. Widow/orphan rule: a column may end inside
 * a paragraph only with at least two of its lines on each side. */
static int text_items(struct body *bd, const struct pr_text *t, const struct pr_font *f,
                      double x, enum pr_role role, bool grid, int keep_lines)
{
    int first = bd->items->n;
    int n = t->nlines;
    double asc = pr_ascent_of(f, 1);
    for (int i = 0; i < n; i++) {
        struct pr_item *it = item(bd, PR_IT_LINE);
        if (i > 0) {
            bool rules = i >= 2 && n - i >= 2 && i >= keep_lines;
            it->break_before = rules && (bd->ts->L->hyphen_last_line || !t->lines[i - 1].hyphenated);
            it->break_soft = rules && !it->break_before;
        }
        it->height = t->leading;
        it->ascent = asc;
        it->grid = grid && (i == 0 || fabs(t->leading - bd->ts->L->baseline) < 0.01);
        it->x = x;
        it->role = role;
        it->text = t;
        it->line = i;
    }
    return first;
}

static void attach(struct body *bd, struct pr_item *it, struct pr_box b)
{
    if (!it)
        return;
    struct pr_box *nb = pr_arena_grow(bd->ts->b->arena, it->boxes, (size_t)it->nboxes,
                                      (size_t)it->nboxes + 1, sizeof *nb);
    nb[it->nboxes] = b;
    it->boxes = nb;
    it->nboxes++;
}

struct pr_box pr_line_box(struct pr_typeset *ts, const struct pr_text *t, int line, double x,
                              double baseline, enum pr_role role)
{
    struct pr_box b;
    memset(&b, 0, sizeof b);
    b.kind = PR_BOX_LINE;
    b.role = role;
    b.x = x;
    b.y = baseline;
    b.w = t->width;
    b.h = t->leading;
    b.text = t;
    b.line = line;
    /* the line's text is kept for --dump=layout only (memory) */
    b.preview = ts->b->opt.dump == PR_DUMP_LAYOUT ? pr_text_preview(ts->b->arena, t, line) : NULL;
    return b;
}

/* A drop cap: the first letter (with any opening quotes) set large across
 * `lines` body lines. Returns the remaining inlines, or NULL when the
 * paragraph does not start with plain text. */
static const struct pr_inline *drop_cap(struct body *bd, const struct pr_block *p,
                                        struct pr_text **cap_out, double *hang)
{
    const struct pr_inline *in = p->inlines;
    if (!in || in->kind != PR_IN_TEXT || !in->text || p->dir == PR_DIR_RTL)
        return NULL;
    const char *s = in->text;
    const char *q = s;
    while (*q && strchr("\"'", *q) == NULL && (unsigned char)*q >= 0x80 &&
           (g_utf8_get_char(q) == 0x201C || g_utf8_get_char(q) == 0x2018 || g_utf8_get_char(q) == 0xAB))
        q = g_utf8_next_char(q);
    if (!*q || !g_unichar_isalnum(g_utf8_get_char(q)))
        return NULL;
    const char *rest = g_utf8_next_char(q);
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    char *letter = pr_arena_strndup(ts->b->arena, s, (size_t)(rest - s));
    /* measure at the title font's size, then scale so the letter's ink
     * spans from the first line's cap height to the third line's baseline */
    struct pr_font f = L->title;
    f.caps = false;
    f.italic = false;
    f.color = L->accent;
    struct pr_textopts o = pr_topts(ts, &f, 1000, PR_ALIGN_LEFT, bd->art->language);
    struct pr_text *probe = pr_text_plain(ts, letter, &o);
    double top, bottom, left, width;
    pr_text_ink(probe, &top, &bottom, &left, &width);
    double inkh = bottom - top;
    if (inkh <= 0)
        return NULL;
    double target = 2 * L->baseline + L->body.size * 0.66;
    o.scale = target / inkh;
    struct pr_text *cap = pr_text_plain(ts, letter, &o);
    pr_text_ink(cap, &top, &bottom, &left, &width);
    *cap_out = cap;
    *hang = width + L->body.size * 0.35;
    struct pr_inline *copy = pr_arena_alloc(ts->b->arena, sizeof *copy);
    *copy = *in;
    copy->text = rest;
    return copy;
}

static void blocks(struct body *bd, const struct pr_block *b, double x, double w, enum pr_role role);

static void paragraph(struct body *bd, const struct pr_block *p, double x, double w,
                      enum pr_role role, bool first_of_article)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    const struct pr_font *f = role == PR_ROLE_FOOTNOTE || role == PR_ROLE_NOTE ? &L->footnote : &L->body;
    struct pr_textopts o = pr_topts(ts, f, w, PR_ALIGN_JUSTIFY, p->lang ? p->lang : bd->art->language);
    o.hyphenate = true;
    o.dir = p->dir;
    o.note_prefix = bd->note_prefix;
    ts->cur_pos = p->pos;
    const struct pr_inline *in = p->inlines;
    struct pr_text *cap = NULL;
    double hang = 0;
    if (first_of_article && L->drop_cap && role == PR_ROLE_BODY) {
        const struct pr_inline *rest = drop_cap(bd, p, &cap, &hang);
        if (rest)
            in = rest;
        else
            cap = NULL;
    }
    if (cap) {
        o.hang_width = hang;
        o.hang_lines = 3;
    } else if (bd->indent_next && role == PR_ROLE_BODY)
        o.indent = L->para_indent;
    struct pr_text *t = pr_text_inlines(ts, in, &o);
    if (t->nlines == 0)
        return;
    bool grid = role != PR_ROLE_FOOTNOTE && role != PR_ROLE_NOTE;
    int first = text_items(bd, t, f, x, role, grid, cap ? 4 : 0);
    if (cap) {
        double top, bottom, left, width;
        pr_text_ink(cap, &top, &bottom, &left, &width);
        double asc = pr_ascent_of(f, 1);
        attach(bd, &bd->items->v[first], pr_line_box(ts, cap, 0, -left, asc + 2 * L->baseline, PR_ROLE_DROPCAP));
    }
    bd->indent_next = true;
}

static void heading(struct body *bd, const struct pr_block *h, double x, double w)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    ts->cur_pos = h->pos;
    double scale = h->level <= 1 ? 1.25 : h->level == 2 ? 1.0 : 0.92;
    struct pr_font f = L->heading;
    f.size *= scale;
    f.leading = fmax(f.leading * scale, L->baseline);
    if (h->level >= 3)
        f.italic = true;
    space(bd, L->baseline);
    struct pr_textopts o = pr_topts(ts, &f, w, h->dir == PR_DIR_RTL ? PR_ALIGN_RIGHT : PR_ALIGN_LEFT,
                                 h->lang ? h->lang : bd->art->language);
    o.dir = h->dir;
    struct pr_text *t = pr_text_inlines(ts, h->inlines, &o);
    struct pr_font *fc = pr_arena_alloc(ts->b->arena, sizeof *fc);
    *fc = f;
    text_items(bd, t, fc, x, PR_ROLE_HEADING, true, 1 << 20);
    bd->keep = true;
    bd->indent_next = false;
}

/* A figure (in-body image) or pull quote: a float of boxes, its height
 * rounded up to whole grid lines so the text below stays on the grid. */
static void float_item(struct body *bd, struct pr_box *boxes, int n, double h)
{
    const struct pr_layout *L = bd->ts->L;
    struct pr_item *it = pr_items_push(bd->ts->b->arena, bd->items);
    it->kind = PR_IT_FLOAT;
    it->break_before = true;
    it->height = ceil(h / L->baseline - 0.01) * L->baseline;
    it->boxes = boxes;
    it->nboxes = n;
    it->role = PR_ROLE_FIGURE;
}

static void figure(struct body *bd, const struct pr_block *b, double w)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    if (!b->path)
        return;
    struct pr_image_info info;
    if (!pr_image_info_get(ts->b, b->path, b->pos, &info))
        return;
    struct pr_box *v = NULL;
    int n = 0, cap = 0;
    double colh = L->page_h - L->margin_top - L->margin_bottom;
    double y = image_caption(ts, &v, &n, &cap, b->path, &info, L->baseline * 0.25, w, colh * 0.45,
                             b->caption, w, bd->art->language, b->pos);
    float_item(bd, v, n, y + L->baseline * 0.5);
}

static void pullquote(struct body *bd, const struct pr_block *b, double w)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    struct pr_box *v = NULL;
    int n = 0, cap = 0;
    double y = L->baseline * 0.5;
    pr_add_rule(ts->b->arena, &v, &n, &cap, 0, y, w, 1.2, L->accent);
    y += L->baseline * 0.4;
    for (const struct pr_block *c = b->children; c; c = c->next) {
        if (c->kind != PR_BLK_PARA && c->kind != PR_BLK_HEADING)
            continue;
        struct pr_textopts o = pr_topts(ts, &L->pullquote, w, PR_ALIGN_LEFT, c->lang ? c->lang : bd->art->language);
        o.dir = c->dir;
        o.hyphenate = true;
        ts->cur_pos = c->pos;
        struct pr_text *t = pr_text_inlines(ts, c->inlines, &o);
        y = pr_add_lines(ts, &v, &n, &cap, t, 0, y, PR_ROLE_PULLQUOTE, 1, &L->pullquote);
    }
    y += L->baseline * 0.3;
    pr_add_rule(ts->b->arena, &v, &n, &cap, 0, y, w, 0.6, L->accent);
    float_item(bd, v, n, y + L->baseline * 0.6);
}

static void list(struct body *bd, const struct pr_block *b, double x, double w)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    double ind = L->body.size * 1.4;
    int num = b->start ? b->start : 1;
    space(bd, L->baseline * 0.5);
    int nitems = 0;
    for (const struct pr_block *itb = b->children; itb; itb = itb->next)
        nitems++;
    int idx = 0;
    for (const struct pr_block *itb = b->children; itb; itb = itb->next, num++, idx++) {
        int before = bd->items->n;
        /* like lines of a paragraph: a column does not end after a list's
         * first item or before its last one */
        if (idx == 1 || (idx == nitems - 1 && idx > 0))
            bd->keep = true;
        bd->indent_next = false;
        bd->depth++;
        blocks(bd, itb->children, x + ind, w - ind, PR_ROLE_LIST);
        bd->depth--;
        /* the marker hangs in the indent, on the item's first line */
        struct pr_item *first = NULL;
        for (int i = before; i < bd->items->n; i++)
            if (bd->items->v[i].kind == PR_IT_LINE) {
                first = &bd->items->v[i];
                break;
            }
        if (!first)
            continue;
        char mark[32];
        if (b->ordered)
            snprintf(mark, sizeof mark, "%d.", num);
        else
            snprintf(mark, sizeof mark, "%s", bd->depth % 2 ? "\xE2\x80\x93" : "\xE2\x80\xA2");
        struct pr_textopts o = pr_topts(ts, &L->body, ind, PR_ALIGN_RIGHT, bd->art->language);
        struct pr_text *t = pr_text_plain(ts, mark, &o);
        attach(bd, first, pr_line_box(ts, t, 0, -ind - L->body.size * 0.35, first->ascent, PR_ROLE_MARKER));
    }
    space(bd, L->baseline * 0.5);
    bd->indent_next = false;
}

static void code_block(struct body *bd, const struct pr_block *b, double x, double w)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    struct pr_font f = L->code;
    f.leading = L->baseline;
    struct pr_font *fc = pr_arena_alloc(ts->b->arena, sizeof *fc);
    *fc = f;
    struct pr_textopts o = pr_topts(ts, fc, w - L->body.size, PR_ALIGN_LEFT, "und");
    ts->cur_pos = b->pos;
    /* hard line breaks: one line per source line */
    char *s = pr_arena_strdup(ts->b->arena, b->text ? b->text : "");
    size_t n = strlen(s);
    while (n && s[n - 1] == '\n')
        s[--n] = 0;
    GString *g = g_string_new(NULL);
    for (char *c = s; *c; c++) {
        g_string_append_c(g, *c);
    }
    struct pr_text *t = pr_text_plain(ts, g->str, &o);
    g_string_free(g, TRUE);
    space(bd, L->baseline * 0.5);
    text_items(bd, t, fc, x + L->body.size, PR_ROLE_CODE, true, 0);
    space(bd, L->baseline * 0.5);
    bd->indent_next = false;
}

static void rule_item(struct body *bd, double w, double frac, double x)
{
    const struct pr_layout *L = bd->ts->L;
    struct pr_item *it = item(bd, PR_IT_RULE);
    it->height = L->baseline;
    it->x = x;
    struct pr_box r;
    memset(&r, 0, sizeof r);
    r.kind = PR_BOX_RULE;
    r.role = PR_ROLE_DECOR;
    r.x = frac < 1 ? (w - w * frac) / 2 : 0;
    r.y = L->baseline * 0.5;
    r.w = w * frac;
    r.h = 0.5;
    r.color = L->rule;
    attach(bd, it, r);
}

static void blocks(struct body *bd, const struct pr_block *b, double x, double w, enum pr_role role)
{
    const struct pr_layout *L = bd->ts->L;
    bool first = bd->items->n == 0 && role == PR_ROLE_BODY;
    for (; b; b = b->next) {
        switch (b->kind) {
        case PR_BLK_PARA:
            paragraph(bd, b, x, w, role, first);
            break;
        case PR_BLK_HEADING:
            heading(bd, b, x, w);
            break;
        case PR_BLK_QUOTE: {
            double ind = L->body.size * 1.2;
            space(bd, L->baseline * 0.5);
            bd->indent_next = false;
            if (bd->depth < 16) {
                bd->depth++;
                blocks(bd, b->children, x + ind, w - 2 * ind > 40 ? w - 2 * ind : w, PR_ROLE_QUOTE);
                bd->depth--;
            }
            space(bd, L->baseline * 0.5);
            bd->indent_next = false;
            break;
        }
        case PR_BLK_PULLQUOTE:
            pullquote(bd, b, bd->cw);
            break;
        case PR_BLK_LIST:
            if (bd->depth < 16)
                list(bd, b, x, w);
            break;
        case PR_BLK_ITEM:
            blocks(bd, b->children, x, w, role);
            break;
        case PR_BLK_IMAGE:
            figure(bd, b, bd->cw);
            break;
        case PR_BLK_RULE:
            rule_item(bd, w, 0.3, x);
            bd->indent_next = false;
            break;
        case PR_BLK_CODE:
            code_block(bd, b, x, w);
            break;
        }
        first = false;
    }
}

/* ---------- openers ---------- */

static const char *lead_title(const struct pr_article *art)
{
    return art->title ? art->title : art->editorial ? "In This Issue" : "Untitled";
}

static void opener(struct pr_typeset *ts, struct pr_galley *g, struct pr_frame *fr)
{
    const struct pr_layout *L = ts->L;
    const struct pr_article *art = g->art;
    struct pr_arena *A = ts->b->arena;
    double tw = pr_text_w(L);
    double wide = L->columns > 1 ? tw * (L->columns == 2 ? 1 : 0.82) : tw;
    double y = L->margin_top;
    ts->cur_pos = art->pos;
    const char *lang = art->language;
    if (L->show_section_label && (art->section || art->editorial)) {
        struct pr_textopts o = pr_topts(ts, &L->label, tw, PR_ALIGN_LEFT, lang);
        struct pr_text *t = pr_text_plain(ts, art->editorial ? pr_words_for(lang)->editorial : art->section, &o);
        y = pr_add_lines(ts, &g->opener, &g->nopener, &g->opener_cap, t, 0, y, PR_ROLE_LABEL, 1, &L->label);
        y += L->label.leading * 0.25;
    }
    struct pr_textopts o = pr_topts(ts, &L->title, wide, PR_ALIGN_LEFT, lang);
    struct pr_text *t = pr_text_plain(ts, lead_title(art), &o);
    double title_top = y;
    y = pr_add_lines(ts, &g->opener, &g->nopener, &g->opener_cap, t, 0, y, PR_ROLE_TITLE, 1, &L->title);
    g->opener[g->nopener - t->nlines].dest = pr_arena_printf(A, "art-%s", art->id);
    (void)title_top;
    if (art->deck) {
        y += L->deck.leading * 0.3;
        o = pr_topts(ts, &L->deck, wide * (L->columns > 1 ? 0.85 : 1), PR_ALIGN_LEFT, lang);
        o.hyphenate = false;
        t = pr_text_plain(ts, art->deck, &o);
        y = pr_add_lines(ts, &g->opener, &g->nopener, &g->opener_cap, t, 0, y, PR_ROLE_DECK, 1, &L->deck);
    }
    const char *by = pr_words_byline(A, art);
    if (by || art->translator) {
        y += L->byline.leading * 0.4;
        if (by) {
            o = pr_topts(ts, &L->byline, tw, PR_ALIGN_LEFT, lang);
            t = pr_text_plain(ts, by, &o);
            y = pr_add_lines(ts, &g->opener, &g->nopener, &g->opener_cap, t, 0, y, PR_ROLE_BYLINE, 1, &L->byline);
        }
        if (art->translator) {
            o = pr_topts(ts, &L->byline, tw, PR_ALIGN_LEFT, lang);
            t = pr_text_plain(ts, pr_arena_printf(A, "%s %s", pr_words_for(lang)->translated_by, art->translator), &o);
            y = pr_add_lines(ts, &g->opener, &g->nopener, &g->opener_cap, t, 0, y, PR_ROLE_BYLINE, 1, &L->byline);
        }
    }
    y += L->baseline * 0.5;
    struct pr_image_info info;
    if (art->image_path && pr_image_info_get(ts->b, art->image_path, art->image_pos, &info)) {
        double th = L->page_h - L->margin_top - L->margin_bottom;
        y = image_caption(ts, &g->opener, &g->nopener, &g->opener_cap, art->image_path, &info,
                          y + L->baseline * 0.25, tw, th * 0.38, art->caption,
                          L->columns > 1 ? col_w(L) * 2 + L->gutter : tw, lang, art->image_pos);
        y += L->baseline * 0.5;
    }
    /* a hairline under the opener, then the columns */
    pr_add_rule(A, &g->opener, &g->nopener, &g->opener_cap, 0, y + L->baseline * 0.25, tw, 0.5, L->rule);
    fr->first_top = y + L->baseline * 0.75;
}

static void set_galley(struct pr_typeset *ts, struct pr_galley *g)
{
    const struct pr_layout *L = ts->L;
    struct pr_frame fr;
    memset(&fr, 0, sizeof fr);
    fr.columns = L->columns;
    fr.col_w = col_w(L);
    fr.gutter = L->gutter;
    fr.top = L->margin_top;
    fr.bottom = L->page_h - L->margin_bottom;
    fr.baseline = L->baseline;
    fr.grid_origin = L->margin_top + pr_ascent_of(&L->body, 1);
    fr.balance = L->columns > 1;
    opener(ts, g, &fr);
    struct body bd;
    memset(&bd, 0, sizeof bd);
    bd.ts = ts;
    bd.art = g->art;
    bd.items = &g->items;
    bd.cw = fr.col_w;
    bd.note_prefix = pr_arena_printf(ts->b->arena, "fn-%s-", g->art->id);
    if (g->art->doc)
        blocks(&bd, g->art->doc->blocks, 0, fr.col_w, PR_ROLE_BODY);
    /* the end note, then the footnotes */
    const struct pr_doc *doc = g->art->doc;
    if (g->art->note || (doc && doc->nnotes > 0)) {
        bd.keep = false;
        space(&bd, L->baseline * 0.5);
        rule_item(&bd, fr.col_w * 0.3, 1, 0);
    }
    if (g->art->note) {
        struct pr_font f = L->footnote;
        f.italic = true;
        struct pr_font *fc = pr_arena_alloc(ts->b->arena, sizeof *fc);
        *fc = f;
        struct pr_textopts o = pr_topts(ts, fc, fr.col_w, PR_ALIGN_JUSTIFY, g->art->language);
        o.hyphenate = true;
        struct pr_text *t = pr_text_plain(ts, g->art->note, &o);
        text_items(&bd, t, fc, 0, PR_ROLE_NOTE, false, 0);
        space(&bd, L->footnote.leading * 0.5);
    }
    for (int i = 0; doc && i < doc->nnotes; i++) {
        const struct pr_footnote *fn = &doc->notes[i];
        int before = g->items.n;
        double ind = L->footnote.size * 1.5;
        bd.indent_next = false;
        for (const struct pr_block *b = fn->blocks; b; b = b->next) {
            if (b->kind == PR_BLK_PARA)
                paragraph(&bd, b, ind, fr.col_w - ind, PR_ROLE_FOOTNOTE, false);
            else
                blocks(&bd, b, ind, fr.col_w - ind, PR_ROLE_FOOTNOTE);
        }
        if (g->items.n > before) {
            struct pr_item *first = &g->items.v[before];
            first->dest = pr_arena_printf(ts->b->arena, "%s%d", bd.note_prefix, fn->number);
            struct pr_textopts o = pr_topts(ts, &L->footnote, ind - 2, PR_ALIGN_LEFT, "en");
            struct pr_text *t = pr_text_plain(ts, pr_arena_printf(ts->b->arena, "%d", fn->number), &o);
            attach(&bd, first, pr_line_box(ts, t, 0, -ind, first->ascent, PR_ROLE_MARKER));
        }
    }
    g->place = pr_arena_alloc(ts->b->arena, (size_t)(g->items.n ? g->items.n : 1) * sizeof *g->place);
    g->npages = pr_flow_run(&fr, &g->items, g->place);
}

/* ---------- what a galley owns ---------- */

/* While a galley is set or made into pages, the typesetter's allocations
 * go to the galley's arena and the texts it sets to the galley's list. */
struct owner {
    struct pr_arena *arena;
    struct pr_text **texts;
    int ntexts, texts_cap;
};

static struct owner own(struct pr_typeset *ts, struct pr_galley *g)
{
    struct owner o = {ts->b->arena, ts->texts, ts->ntexts, ts->texts_cap};
    if (!g->arena)
        g->arena = pr_arena_new();
    ts->b->arena = g->arena;
    ts->texts = g->texts;
    ts->ntexts = g->ntexts;
    ts->texts_cap = g->texts_cap;
    return o;
}

static void disown(struct pr_typeset *ts, struct pr_galley *g, struct owner o)
{
    g->texts = ts->texts;
    g->ntexts = ts->ntexts;
    g->texts_cap = ts->texts_cap;
    ts->b->arena = o.arena;
    ts->texts = o.texts;
    ts->ntexts = o.ntexts;
    ts->texts_cap = o.texts_cap;
}

/* Free what a galley owns: its texts, items, boxes (its pages' too). */
static void galley_free(struct pr_galley *g)
{
    for (int i = 0; i < g->ntexts; i++)
        pr_text_free(g->texts[i]);
    pr_arena_free(g->arena);
    g->arena = NULL;
    g->texts = NULL;
    g->ntexts = g->texts_cap = 0;
    g->opener = NULL;
    g->nopener = g->opener_cap = 0;
    memset(&g->items, 0, sizeof g->items);
    g->place = NULL;
}

/* ---------- galleys in parallel ---------- */

/* A typesetting thread's own typesetter: Pango objects are not shared
 * between threads, so it has its own font map (the same bundled fonts) and
 * context, made once per build and used for every batch; it reports into
 * its own diagnostics, which the main thread takes over. The hyphenator
 * and the image cache are shared (they lock). */
struct worker {
    struct pr_typeset ts;
    struct pr_build b;
    struct pr_galley *gal;
    struct pr_diags *gdiags;
    int from, to;
    GThread *thread;
};

struct workers {
    struct worker *w; /* w[0] is unused: the calling thread sets its share with ts */
    int n;
};

static PangoContext *new_context(PangoFontMap *fm, const struct pr_issue *issue)
{
    PangoContext *ctx = pango_font_map_create_context(fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    pango_context_set_language(ctx, pango_language_from_string(issue->language ? issue->language : "en"));
    return ctx;
}

/* Set galleys [from, to), each with diagnostics of its own (gd[i]) and
 * owning what is made for it, so that they can be merged in article order
 * whichever thread set them. */
static void set_range(struct pr_typeset *ts, struct pr_galley *gal, struct pr_diags *gd, int from, int to)
{
    for (int i = from; i < to; i++) {
        struct pr_diags keep = ts->b->diags;
        pr_diags_init(&gd[i]);
        ts->b->diags = gd[i];
        struct owner o = own(ts, &gal[i]);
        set_galley(ts, &gal[i]);
        /* check paints nothing: the glyphs can go as soon as the galley is set */
        for (int k = 0; ts->b->opt.check_only && k < ts->ntexts; k++)
            pr_text_drop_glyphs(ts->texts[k]);
        disown(ts, &gal[i], o);
        gd[i] = ts->b->diags;
        ts->b->diags = keep;
        if (ts->b->progress && gal[i].article >= 0)
            ts->b->progress(ts->b, "typesetting article", gal[i].article + 1, ts->issue->narticles);
    }
}

static gpointer worker_run(gpointer p)
{
    struct worker *w = p;
    set_range(&w->ts, w->gal, w->gdiags, w->from, w->to);
    return NULL;
}

static int jobs_for(const struct pr_build *b, int ng)
{
    int jobs = b->opt.jobs > 0 ? b->opt.jobs : (int)g_get_num_processors();
    if (b->opt.jobs <= 0 && jobs > PR_FONTS_SLOTS)
        jobs = PR_FONTS_SLOTS;
    if (jobs > ng)
        jobs = ng;
    return jobs < 1 ? 1 : jobs;
}

/* The threads' typesetters, made once for the build. */
static struct workers workers_new(struct pr_typeset *ts, int ng)
{
    struct pr_build *b = ts->b;
    struct workers ws;
    ws.n = jobs_for(b, ng);
    ws.w = pr_xmalloc((size_t)ws.n * sizeof *ws.w);
    memset(ws.w, 0, (size_t)ws.n * sizeof *ws.w);
    for (int j = 1; j < ws.n; j++) {
        struct worker *w = &ws.w[j];
        w->b = *b;
        w->b.arena = pr_arena_new();
        pr_diags_init(&w->b.diags);
        w->b.progress = NULL;
        w->ts = *ts;
        w->ts.b = &w->b;
        w->ts.texts = NULL;
        w->ts.ntexts = w->ts.texts_cap = 0;
        w->ts.warned_langs = NULL;
        w->ts.nwarned = w->ts.warned_cap = 0;
        w->ts.more_fontmaps = NULL;
        w->ts.nmore = w->ts.nmore_cap = 0;
        w->ts.missing_glyphs = w->ts.overflow_lines = w->ts.lines = 0;
        w->ts.fontmap = pr_fonts_new(&w->b, j);
        w->ts.ctx = w->ts.fontmap ? new_context(w->ts.fontmap, ts->issue) : NULL;
    }
    return ws;
}

/* Take over what the threads made, in thread order, and free them. */
static void workers_free(struct pr_typeset *ts, struct workers *ws)
{
    struct pr_build *b = ts->b;
    for (int j = 1; j < ws->n; j++) {
        struct pr_typeset *wt = &ws->w[j].ts;
        for (int i = 0; i < wt->ntexts; i++)
            *PR_PUSH(b->arena, ts->texts, ts->ntexts, ts->texts_cap) = wt->texts[i];
        free(wt->warned_langs);
        ts->missing_glyphs += wt->missing_glyphs;
        ts->overflow_lines += wt->overflow_lines;
        ts->lines += wt->lines;
        wt->missing_glyphs = wt->overflow_lines = wt->lines = 0;
        pr_diags_append(&b->diags, &ws->w[j].b.diags);
        if (wt->ctx)
            g_object_unref(wt->ctx);
        if (wt->fontmap)
            *PR_PUSH(b->arena, ts->more_fontmaps, ts->nmore, ts->nmore_cap) = wt->fontmap;
        pr_arena_adopt(b->arena, ws->w[j].b.arena);
    }
    free(ws->w);
    ws->w = NULL;
    ws->n = 0;
}

/* Set galleys gal[0 .. ng), on as many threads as the workers. Each thread
 * takes a run of consecutive articles holding about the same amount of
 * text (a fixed split: the same input always gives the same split), and
 * the result does not depend on the split: galleys are independent until
 * pages are numbered, and diagnostics are merged in article order. */
static void set_galleys(struct pr_typeset *ts, struct workers *ws, struct pr_galley *gal, int ng)
{
    struct pr_build *b = ts->b;
    int jobs = ws->n < ng ? ws->n : ng;
    if (jobs < 1)
        jobs = 1;
    struct pr_diags *gd = pr_xmalloc((size_t)(ng ? ng : 1) * sizeof *gd);
    memset(gd, 0, (size_t)(ng ? ng : 1) * sizeof *gd);
    /* bounds[j] .. bounds[j + 1]: thread j's galleys, split by body length */
    int *bounds = pr_xmalloc((size_t)(jobs + 1) * sizeof *bounds);
    double total = 0, acc = 0;
    for (int i = 0; i < ng; i++)
        total += (double)gal[i].art->body_len + 1000;
    bounds[0] = 0;
    for (int i = 0, j = 1; j < jobs; j++) {
        while (i < ng && acc + ((double)gal[i].art->body_len + 1000) / 2 < total * j / jobs)
            acc += (double)gal[i++].art->body_len + 1000;
        bounds[j] = i > bounds[j - 1] ? i : bounds[j - 1];
    }
    bounds[jobs] = ng;
    for (int j = 1; j < jobs; j++) {
        struct worker *w = &ws->w[j];
        /* languages already warned about (no dictionary) are not warned about again */
        for (int k = 0; k < ts->nwarned; k++)
            pr_warned_lang(&w->ts, ts->warned_langs[k]);
        w->gal = gal;
        w->gdiags = gd;
        w->from = bounds[j];
        w->to = bounds[j + 1];
        w->thread = w->ts.ctx ? g_thread_try_new("pressrun-typeset", worker_run, w, NULL) : NULL;
    }
    set_range(ts, gal, gd, bounds[0], bounds[1]);
    for (int j = 1; j < jobs; j++) {
        struct worker *w = &ws->w[j];
        if (w->thread)
            g_thread_join(w->thread);
        else /* no font map or no thread: set its galleys here */
            set_range(ts, gal, gd, w->from, w->to);
        w->thread = NULL;
        for (int k = 0; k < w->ts.nwarned; k++)
            pr_warned_lang(ts, w->ts.warned_langs[k]);
    }
    for (int i = 0; i < ng; i++)
        pr_diags_append(&b->diags, &gd[i]);
    free(bounds);
    free(gd);
}

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

static void cover(struct pr_typeset *ts, struct pr_page *pg)
{
    const struct pr_layout *L = ts->L;
    const struct pr_issue *is = ts->issue;
    struct pr_arena *A = ts->b->arena;
    struct pr_color white = {1, 1, 1};
    struct pr_color ink = {0.08, 0.08, 0.09};
    struct pr_image_info info;
    bool img = is->cover_image_path && pr_image_info_get(ts->b, is->cover_image_path, is->cover_image_pos, &info);
    struct pr_box *b = pr_push_box(A, &pg->boxes, &pg->nboxes, &pg->cap);
    if (img) {
        b->kind = PR_BOX_IMAGE;
        b->image = is->cover_image_path;
        check_resolution(ts, is->cover_image_path, &info, L->page_w + 2 * L->bleed, L->page_h + 2 * L->bleed,
                         is->cover_image_pos);
    } else {
        b->kind = PR_BOX_RECT;
        b->color = L->accent;
        b->alpha = 1;
    }
    b->role = PR_ROLE_COVER;
    b->x = 0;
    b->y = 0;
    b->w = L->page_w;
    b->h = L->page_h;
    b->bleed = true;
    double tw = pr_text_w(L);
    double x0 = text_x(L, 1);
    /* masthead band */
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
    double band_h = L->margin_top + mf.leading * scale + L->baseline * 3.2;
    struct pr_box *band = pr_push_box(A, &pg->boxes, &pg->nboxes, &pg->cap);
    band->kind = PR_BOX_RECT;
    band->role = PR_ROLE_DECOR;
    band->x = 0;
    band->y = 0;
    band->w = L->page_w;
    band->h = band_h;
    band->color = ink;
    band->alpha = img ? 0.72 : 0.25;
    band->bleed = true;
    double y = L->margin_top * 0.8;
    struct pr_box *mb = pr_push_box(A, &pg->boxes, &pg->nboxes, &pg->cap);
    *mb = pr_line_box(ts, mast, 0, x0, y + mf.size * scale * 0.8, PR_ROLE_MASTHEAD);
    y += mf.size * scale * 1.02;
    /* issue line: "April 2024 — Labor Notes Edition · Vol. 8, No. 4 · 20 April 2024" */
    struct pr_font lf = L->label;
    lf.color = white;
    GString *gl = g_string_new(is->issue ? is->issue : "");
    const char *vn = volume_number(A, is);
    if (vn)
        g_string_append_printf(gl, "  \xC2\xB7  %s", vn);
    o = pr_topts(ts, &lf, tw, PR_ALIGN_CENTER, is->language);
    struct pr_text *il = pr_text_plain(ts, gl->str, &o);
    g_string_free(gl, TRUE);
    y = pr_add_lines(ts, &pg->boxes, &pg->nboxes, &pg->cap, il, x0, y + L->baseline * 0.4, PR_ROLE_COVER, 1, &lf);
    (void)y;
    /* cover lines at the foot, on a band of their own */
    if (is->ncover_lines > 0) {
        struct pr_font cf = L->title;
        cf.color = white;
        cf.size = L->title.size * 0.8;
        cf.leading = L->title.leading * 0.8;
        double h = 0;
        struct pr_text *lines[16];
        int n = is->ncover_lines < 16 ? is->ncover_lines : 16;
        for (int i = 0; i < n; i++) {
            struct pr_textopts co = pr_topts(ts, &cf, tw * 0.8, PR_ALIGN_LEFT, is->language);
            lines[i] = pr_text_plain(ts, is->cover_lines[i], &co);
            h += lines[i]->nlines * cf.leading + cf.leading * 0.35;
        }
        double top = L->page_h - L->margin_bottom - h;
        struct pr_box *cb = pr_push_box(A, &pg->boxes, &pg->nboxes, &pg->cap);
        cb->kind = PR_BOX_RECT;
        cb->role = PR_ROLE_DECOR;
        cb->x = 0;
        cb->y = top - L->baseline;
        cb->w = L->page_w;
        cb->h = L->page_h - cb->y;
        cb->color = ink;
        cb->alpha = img ? 0.62 : 0.25;
        cb->bleed = true;
        struct pr_box *ar = pr_push_box(A, &pg->boxes, &pg->nboxes, &pg->cap);
        ar->kind = PR_BOX_RECT;
        ar->role = PR_ROLE_DECOR;
        ar->x = x0;
        ar->y = top - L->baseline * 0.2;
        ar->w = 3;
        ar->h = h - cf.leading * 0.35;
        ar->color = L->accent;
        ar->alpha = 1;
        double yy = top;
        for (int i = 0; i < n; i++)
            yy = pr_add_lines(ts, &pg->boxes, &pg->nboxes, &pg->cap, lines[i], x0 + 12, yy,
                           PR_ROLE_COVER, 1, &cf) + cf.leading * 0.35;
    }
    /* the date, above the cover lines band, right-aligned */
    (void)white;
}

static void back_cover(struct pr_typeset *ts, struct pr_page *pg)
{
    const struct pr_layout *L = ts->L;
    const struct pr_issue *is = ts->issue;
    struct pr_arena *A = ts->b->arena;
    struct pr_color white = {1, 1, 1};
    struct pr_box *bg = pr_push_box(A, &pg->boxes, &pg->nboxes, &pg->cap);
    bg->kind = PR_BOX_RECT;
    bg->role = PR_ROLE_COVER;
    bg->w = L->page_w;
    bg->h = L->page_h;
    bg->color = (struct pr_color){0.1, 0.1, 0.11};
    bg->alpha = 1;
    bg->bleed = true;
    double tw = pr_text_w(L), x0 = text_x(L, pg->number);
    struct pr_font mf = L->masthead;
    mf.color = white;
    mf.size = L->masthead.size * 0.5;
    mf.leading = mf.size * 1.1;
    struct pr_textopts o = pr_topts(ts, &mf, tw, PR_ALIGN_CENTER, is->language);
    struct pr_text *t = pr_text_plain(ts, is->title, &o);
    double y = L->page_h * 0.36;
    y = pr_add_lines(ts, &pg->boxes, &pg->nboxes, &pg->cap, t, x0, y, PR_ROLE_MASTHEAD, 1, &mf);
    pr_add_rule(A, &pg->boxes, &pg->nboxes, &pg->cap, x0 + tw * 0.4, y + L->baseline, tw * 0.2, 1.2, L->accent);
    struct pr_font lf = L->label;
    lf.color = white;
    GString *g = g_string_new(is->issue ? is->issue : "");
    const char *vn = volume_number(A, is);
    if (vn)
        g_string_append_printf(g, "\n%s", vn);
    if (is->date)
        g_string_append_printf(g, "\n%s", is->date);
    if (is->publisher)
        g_string_append_printf(g, "\n%s", is->publisher);
    o = pr_topts(ts, &lf, tw, PR_ALIGN_CENTER, is->language);
    t = pr_text_plain(ts, g->str, &o);
    g_string_free(g, TRUE);
    pr_add_lines(ts, &pg->boxes, &pg->nboxes, &pg->cap, t, x0, y + L->baseline * 2.5, PR_ROLE_COVER, 1, &lf);
}

/* The slug line printed outside the trim on the print PDF: issue, page,
 * date. */
static void slug(struct pr_typeset *ts, const struct pr_page *pg, struct pr_box *out)
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

static void furniture(struct pr_typeset *ts, struct pr_page *pg, const char *head, bool opener_page)
{
    const struct pr_layout *L = ts->L;
    struct pr_arena *A = ts->b->arena;
    double x0 = text_x(L, pg->number);
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
            t = pr_text_plain(ts, pr_arena_printf(A, "%.*s\xE2\x80\xA6", (int)n, head), &o);
        }
        double by = L->margin_top - L->baseline * 1.6;
        if (t->nlines)
            *pr_push_box(A, &pg->boxes, &pg->nboxes, &pg->cap) = pr_line_box(ts, t, 0, x0, by, PR_ROLE_RUNNING_HEAD);
        pr_add_rule(A, &pg->boxes, &pg->nboxes, &pg->cap, x0, by + L->running_head.size * 0.55, tw, 0.4, L->rule);
    }
    if (L->show_folio && pg->folio) {
        struct pr_textopts o = pr_topts(ts, &L->folio, tw, right ? PR_ALIGN_RIGHT : PR_ALIGN_LEFT, "en");
        struct pr_text *t = pr_text_plain(ts, pg->folio, &o);
        double by = L->page_h - L->margin_bottom + L->baseline * 2;
        if (t->nlines)
            *pr_push_box(A, &pg->boxes, &pg->nboxes, &pg->cap) = pr_line_box(ts, t, 0, x0, by, PR_ROLE_FOLIO);
    }
}

/* Preflight for print: text colours a CMYK press cannot hold. Neutral
 * greys (r = g = b within 2 %) are fine: the RIP prints them on the black
 * plate. A colour is flagged when it is both very saturated and very
 * bright (HSV saturation and value above 0.85): pure RGB primaries and
 * secondaries such as #00FF00 or #FF00FF lie far outside press gamuts
 * (SWOP, FOGRA39) and print dull and shifted. */
static void preflight_colors(struct pr_typeset *ts)
{
    const struct pr_layout *L = ts->L;
    struct pr_build *b = ts->b;
    if (!b->opt.check_only && !(b->opt.formats & PR_FMT_PRINT))
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
            pr_diag(&b->diags, PR_D_COLOR, (struct pr_pos){L->path, 0, 0},
                    "the %s colour #%02X%02X%02X is outside what a CMYK press prints; "
                    "choose a darker or less saturated colour",
                    cs[i].name, (int)lround(c->r * 255), (int)lround(c->g * 255), (int)lround(c->b * 255));
    }
}

/* ---------- assembling the book ---------- */

static struct pr_page *new_page(struct pr_typeset *ts, int article)
{
    struct pr_book *bk = ts->book;
    struct pr_page *pg = PR_PUSH(ts->b->arena, bk->pages, bk->npages, bk->cap);
    pg->number = bk->npages;
    pg->folio = pr_arena_printf(ts->b->arena, "%d", pg->number);
    pg->article = article;
    return pg;
}

/* The galley's pages, numbered from `first`: the pages in the book's
 * arena, their boxes (and running heads) owned by the galley. */
static void galley_pages(struct pr_typeset *ts, struct pr_galley *g, int first)
{
    const struct pr_layout *L = ts->L;
    double cw = col_w(L);
    /* create every page first: pointers are taken only afterwards, since
     * adding a page may move the page array */
    for (int p = 0; p < g->npages; p++)
        new_page(ts, g->article);
    struct pr_page *pages = &ts->book->pages[first - 1];
    struct owner own_g = own(ts, g);
    struct pr_arena *A = ts->b->arena;
    /* each page's boxes counted first, so that its array is allocated once
     * (growing it in the arena would leave every smaller copy behind) */
    int *count = pr_xmalloc((size_t)g->npages * sizeof *count);
    for (int p = 0; p < g->npages; p++)
        count[p] = p == 0 ? g->nopener + 1 : 0;
    for (int i = 0; i < g->items.n; i++) {
        const struct pr_item *it = &g->items.v[i];
        if (it->kind != PR_IT_SPACE && g->place[i].page < g->npages)
            count[g->place[i].page] += it->nboxes + (it->kind == PR_IT_LINE && it->text);
    }
    for (int p = 0; p < g->npages; p++) {
        pages[p].cap = count[p] + 8; /* and the running head, folio, rule */
        pages[p].boxes = pr_arena_alloc(A, (size_t)pages[p].cap * sizeof *pages[p].boxes);
    }
    free(count);
    /* opener boxes on the first page */
    struct pr_page *p0 = &pages[0];
    double x0 = text_x(L, p0->number);
    for (int i = 0; i < g->nopener; i++) {
        struct pr_box *b = pr_push_box(A, &p0->boxes, &p0->nboxes, &p0->cap);
        *b = g->opener[i];
        b->x += x0;
    }
    for (int i = 0; i < g->items.n; i++) {
        const struct pr_item *it = &g->items.v[i];
        const struct pr_place *pl = &g->place[i];
        if (it->kind == PR_IT_SPACE)
            continue;
        if (pl->page >= g->npages)
            continue;
        struct pr_page *pg = &pages[pl->page];
        double cx = text_x(L, pg->number) + pl->col * (cw + L->gutter);
        /* attached boxes (drop caps, markers) first: the content stream
         * then reads in order */
        for (int k = 0; k < it->nboxes; k++) {
            struct pr_box *b = pr_push_box(A, &pg->boxes, &pg->nboxes, &pg->cap);
            *b = it->boxes[k];
            b->x += cx + (it->kind == PR_IT_FLOAT ? 0 : it->x);
            b->y += pl->y;
            if (k == 0 && it->dest && !(it->kind == PR_IT_LINE && it->text))
                b->dest = it->dest;
        }
        if (it->kind == PR_IT_LINE && it->text) {
            struct pr_box *b = pr_push_box(A, &pg->boxes, &pg->nboxes, &pg->cap);
            *b = pr_line_box(ts, it->text, it->line, cx + it->x, pl->y + it->ascent, it->role);
            b->dest = it->dest;
        }
    }
    /* the citation line offprints print on their first page */
    {
        const struct pr_issue *is = ts->issue;
        int last = first + g->npages - 1;
        char *range = last > first ? pr_arena_printf(A, "pages %d\xE2\x80\x93%d", first, last)
                                   : pr_arena_printf(A, "page %d", first);
        char *cite = pr_arena_printf(A, "From %s, %s%s%s, %s", is->title, is->issue ? is->issue : "",
                                     is->date ? ", " : "", is->date ? is->date : "", range);
        struct pr_font cf = L->caption;
        struct pr_textopts o = pr_topts(ts, &cf, pr_text_w(L) * 0.6, PR_ALIGN_CENTER, "en");
        struct pr_text *t = pr_text_plain(ts, cite, &o);
        double x0 = text_x(L, pages[0].number) + pr_text_w(L) * 0.2;
        double y = L->page_h - L->margin_bottom + L->baseline * 0.9;
        if (t->nlines)
            *pr_push_box(A, &pages[0].boxes, &pages[0].nboxes, &pages[0].cap) =
                pr_line_box(ts, t, 0, x0, y, PR_ROLE_CITATION);
    }
    const char *head = g->art->editorial ? "In This Issue" : g->art->title;
    for (int p = 0; p < g->npages; p++) {
        const char *h = pages[p].number % 2 ? head
                                              : pr_arena_printf(A, "%s \xC2\xB7 %s", ts->issue->title,
                                                                ts->issue->issue ? ts->issue->issue : "");
        furniture(ts, &pages[p], h, p == 0);
    }
    disown(ts, g, own_g);
}

static const char *byline_short(struct pr_arena *a, const struct pr_article *art)
{
    const char *by = pr_words_byline(a, art);
    if (art->translator)
        return pr_arena_printf(a, "%s%s%s %s", by ? by : "", by ? " \xC2\xB7 " : "",
                               pr_words_for(art->language)->translated_by, art->translator);
    return by;
}

/* How much article text a batch holds: the galleys of a batch are set
 * (in parallel), made into pages, painted and freed before the next batch
 * is set, so that memory does not grow with the issue. */
#define BATCH_TEXT (96 * 1024)

static int batch_end(const struct pr_galley *gal, int from, int ng, int jobs)
{
    double text = 0;
    int i = from;
    while (i < ng && (i - from < jobs || text < BATCH_TEXT))
        text += (double)gal[i++].art->body_len + 1000;
    return i;
}

/* Pages handed to the sink, in the order they are to be painted. */
struct handout {
    int *v;
    int n, cap;
};

static void hand(struct handout *h, int page)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 64;
        h->v = pr_xrealloc(h->v, (size_t)h->cap * sizeof *h->v);
    }
    h->v[h->n++] = page;
}

static void hand_over(struct pr_typeset *ts, const struct pr_page_sink *sink, struct handout *h)
{
    if (sink && h->n)
        sink->pages(sink->ctx, ts, h->v, h->n);
    h->n = 0;
}

static void sink_wait(const struct pr_page_sink *sink)
{
    if (sink && sink->wait)
        sink->wait(sink->ctx);
}

/* A batch whose pages are painted: its galleys and its pages' boxes go. */
static void free_batch(struct pr_typeset *ts, struct pr_galley *gal, int from, int to, int first_page)
{
    struct pr_book *bk = ts->book;
    if (ts->retain || from >= to)
        return;
    for (int p = first_page; p < bk->npages; p++) {
        bk->pages[p].boxes = NULL;
        bk->pages[p].nboxes = bk->pages[p].cap = 0;
    }
    for (int i = from; i < to; i++)
        galley_free(&gal[i]);
}

void pr_pages_run(struct pr_typeset *ts, const struct pr_page_sink *sink)
{
    const struct pr_issue *is = ts->issue;
    const struct pr_layout *L = ts->L;
    struct pr_arena *A = ts->b->arena;
    struct pr_book *bk = pr_arena_alloc(A, sizeof *bk);
    ts->book = bk;
    bk->page_w = L->page_w;
    bk->page_h = L->page_h;
    bk->bleed = L->bleed;
    bk->article_page = pr_arena_alloc(A, (size_t)(is->narticles + 1) * sizeof(int));
    preflight_colors(ts);
    /* galleys: the editorial, then each article; set once */
    int ng = is->narticles + (is->editorial ? 1 : 0);
    struct pr_galley *gal = pr_arena_alloc(A, (size_t)(ng ? ng : 1) * sizeof *gal);
    ts->galleys = gal;
    ts->ngalleys = ng;
    int k = 0;
    if (is->editorial) {
        gal[k].article = -2;
        gal[k].art = is->editorial;
        k++;
    }
    for (int i = 0; i < is->narticles; i++) {
        gal[k].article = i;
        gal[k].art = &is->articles[i];
        k++;
    }
    /* the contents: its length does not depend on the page numbers it
     * prints (each sits in a box of its own width), so it is set now to
     * count its pages, and again once every article has its pages */
    struct pr_toc_entry *te = pr_arena_alloc(A, (size_t)(ng ? ng : 1) * sizeof *te);
    for (int i = 0; i < ng; i++) {
        const struct pr_article *art = gal[i].art;
        te[i].section = art->editorial ? NULL : art->section;
        te[i].title = lead_title(art);
        te[i].byline = byline_short(A, art);
        te[i].dest = pr_arena_printf(A, "art-%s", art->id);
        te[i].page = 0;
    }
    int max_toc = 4 + ng / 4;
    struct pr_page *toc_pages = pr_arena_alloc(A, (size_t)max_toc * sizeof *toc_pages);
    int ntoc = L->show_toc ? pr_toc_set(ts, te, ng, toc_pages, max_toc) : 0;
    bk->toc_passes = ng ? 2 : 1;
    struct handout h = {NULL, 0, 0};
    if (L->show_cover) {
        cover(ts, new_page(ts, -1));
        bk->pages[0].folio = pr_arena_strdup(A, "1");
        hand(&h, 0);
    }
    int toc_first = bk->npages;
    for (int t = 0; t < ntoc; t++)
        new_page(ts, -1);
    /* the articles, a batch at a time */
    struct workers ws = workers_new(ts, ng);
    const char *cur_section = NULL;
    /* a batch is set while the one before it is painted; then, its
     * painting done, that one is freed and this one made into pages */
    int prev_from = 0, prev_to = 0, prev_first = 0;
    for (int from = 0; from < ng;) {
        int to = batch_end(gal, from, ng, ws.n);
        set_galleys(ts, &ws, gal + from, to - from);
        sink_wait(sink);
        free_batch(ts, gal, prev_from, prev_to, prev_first);
        int batch_first = bk->npages;
        for (int i = from; i < to; i++) {
            int first = bk->npages + 1;
            galley_pages(ts, &gal[i], first);
            for (int p = first - 1; p < bk->npages; p++)
                hand(&h, p);
            te[i].page = first;
            const struct pr_article *art = gal[i].art;
            if (art->editorial)
                bk->editorial_page = first;
            else
                bk->article_page[gal[i].article] = first;
            /* outline: sections at level 1, articles under them */
            if (art->section && (!cur_section || strcmp(cur_section, art->section) != 0) && !art->editorial) {
                cur_section = art->section;
                struct pr_outline *o = PR_PUSH(A, bk->outline, bk->noutline, bk->outline_cap);
                o->title = art->section;
                o->dest = te[i].dest;
                o->page = first;
                o->level = 1;
            }
            struct pr_outline *o = PR_PUSH(A, bk->outline, bk->noutline, bk->outline_cap);
            o->title = lead_title(art);
            o->dest = te[i].dest;
            o->page = first;
            o->level = art->editorial || !art->section ? 0 : 2;
        }
        hand_over(ts, sink, &h);
        prev_from = from;
        prev_to = to;
        prev_first = batch_first;
        from = to;
    }
    sink_wait(sink);
    free_batch(ts, gal, prev_from, prev_to, prev_first);
    workers_free(ts, &ws);
    /* the back cover, with the blank pages binding needs before it */
    int total = bk->npages + (L->show_cover ? 1 : 0);
    int mult = L->binding == PR_BIND_SADDLE ? 4 : L->binding == PR_BIND_PERFECT ? 2 : 1;
    bk->padding = (mult - total % mult) % mult;
    for (int i = 0; i < bk->padding; i++) {
        struct pr_page *pg = new_page(ts, -1);
        pg->padding = true;
        pg->folio = NULL;
        hand(&h, bk->npages - 1);
    }
    if (bk->padding && (ts->b->opt.check_only || (ts->b->opt.formats & PR_FMT_PRINT)))
        pr_diag(&ts->b->diags, PR_D_PADDING, (struct pr_pos){is->manifest_path, 0, 0},
                "the print PDF gets %d blank page%s before the back cover: %d pages do not fill %s binding",
                bk->padding, bk->padding == 1 ? "" : "s", total,
                L->binding == PR_BIND_SADDLE ? "saddle-stitched (multiples of 4)" : "perfect (even)");
    if (L->show_cover) {
        struct pr_page *pg = new_page(ts, -3);
        pg->folio = NULL;
        back_cover(ts, pg);
        hand(&h, bk->npages - 1);
    }
    /* the contents, now with its page numbers */
    if (ntoc) {
        memset(toc_pages, 0, (size_t)max_toc * sizeof *toc_pages);
        int n = pr_toc_set(ts, te, ng, toc_pages, ntoc);
        (void)n; /* never more pages than counted: the numbers do not change its length */
        for (int t = 0; t < ntoc; t++) {
            struct pr_page *pg = &bk->pages[toc_first + t];
            double x0 = text_x(L, pg->number);
            for (int i = 0; i < toc_pages[t].nboxes; i++) {
                struct pr_box *b = pr_push_box(A, &pg->boxes, &pg->nboxes, &pg->cap);
                *b = toc_pages[t].boxes[i];
                b->x += x0;
            }
            furniture(ts, pg, pr_arena_printf(A, "%s \xC2\xB7 %s", is->title, is->issue ? is->issue : ""), false);
            hand(&h, toc_first + t);
        }
    }
    /* the print slug lines, which say how many pages there are (set only
     * when something shows them) */
    const struct pr_build *b = ts->b;
    if (ts->retain || (!b->opt.check_only && (b->opt.formats & PR_FMT_PRINT))) {
        bk->slugs = pr_arena_alloc(A, (size_t)(bk->npages ? bk->npages : 1) * sizeof *bk->slugs);
        for (int i = 0; i < bk->npages; i++)
            slug(ts, &bk->pages[i], &bk->slugs[i]);
    }
    hand_over(ts, sink, &h);
    free(h.v);
}

struct pr_typeset *pr_typeset_new(struct pr_build *b, const struct pr_issue *issue)
{
    PangoFontMap *fm = pr_fonts_new(b, 0);
    if (!fm)
        return NULL;
    struct pr_typeset *ts = pr_arena_alloc(b->arena, sizeof *ts);
    ts->b = b;
    ts->issue = issue;
    ts->L = &issue->layout;
    ts->fontmap = fm;
    ts->ctx = new_context(fm, issue);
    /* watch keeps the dictionaries loaded from one build to the next */
    ts->hyph = b->opt.reuse ? pr_hyph_shared() : pr_hyph_new(NULL);
    return ts;
}

void pr_typeset_free(struct pr_typeset *ts)
{
    if (!ts)
        return;
    for (int i = 0; i < ts->ngalleys; i++)
        galley_free(&ts->galleys[i]);
    free(ts->warned_langs);
    for (int i = 0; i < ts->ntexts; i++) {
        pr_text_free(ts->texts[i]);
    }
    if (!pr_hyph_is_shared(ts->hyph))
        pr_hyph_free(ts->hyph);
    g_object_unref(ts->ctx);
    g_object_unref(ts->fontmap);
    for (int i = 0; i < ts->nmore; i++)
        g_object_unref(ts->more_fontmaps[i]);
}

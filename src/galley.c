/* galley.c - typesetting, galleys: an article's opener (section label,
 * title, deck, byline, lead image) and its body blocks (paragraphs,
 * headings, figures, pull quotes, lists, code, rules, end note,
 * footnotes) set into flow items and flowed into columns. Reads the issue
 * model; writes struct pr_galley, all of it in the galley's arena. Called
 * by workers.c for each galley; pages.c makes the galleys into pages. */
#include "pages.h"
#include "image.h"
#include <assert.h>
#include <math.h>
#include <string.h>

/* An image and its caption (set caption_w wide, in lang), placed as the
 * editor asked (place; NULL: as the layout chooses). */
struct picture {
    const char *path;
    struct pr_image_info info;
    struct pr_pos pos;
    const char *caption;
    double caption_w;
    const char *lang;
    const struct pr_placing *place;
    const char *alt;             /* what it shows ("" or NULL: none given) */
};

/* The frame of a picture at most w wide and max_h tall: its own shape
 * (or the crop's), as wide as it may be; *fw, *fh. Never cropped but when
 * the editor asks: a picture too tall for its width is made narrower. */
static void frame_of(const struct picture *pic, double w, double max_h, double *fw, double *fh)
{
    double aspect = pic->place && pic->place->crop > 0 ? pic->place->crop
                                                       : (double)pic->info.width / pic->info.height;
    *fw = w;
    *fh = w / aspect;
    if (*fh > max_h) {
        *fh = max_h;
        *fw = max_h * aspect;
    }
}

/* The image in its frame (fw x fh at x, y), its credit under it flush
 * right, then its caption (from x, caption_w wide); returns the y below.
 * In the structure: a Figure in `parent` (its alt text, else its caption;
 * with neither, the picture is decoration) holding its Caption. */
static double image_caption(struct pr_typeset *ts, struct pr_boxes *bx, const struct picture *pic, double x,
                            double y, double fw, double fh, const struct pr_tag *parent)
{
    const struct pr_layout *L = ts->L;
    pr_check_resolution(ts, pic->path, &pic->info, fw, fh, pic->pos);
    const char *alt = pic->alt && *pic->alt ? pic->alt : pic->caption && *pic->caption ? pic->caption : NULL;
    struct pr_tag *fig = alt ? pr_tag_new(bx->arena, parent, PR_TAG_FIGURE) : NULL;
    if (fig)
        fig->alt = alt;
    const struct pr_tag *outer = bx->tag;
    bx->tag = fig;
    struct pr_box *img = pr_push_box(bx);
    img->kind = PR_BOX_IMAGE;
    img->role = PR_ROLE_FIGURE;
    img->x = x;
    img->y = y;
    img->w = fw;
    img->h = fh;
    img->image = pic->path;
    if (pic->place && pic->place->focus_set) {
        img->focus_x = pic->place->focus_x;
        img->focus_y = pic->place->focus_y;
        img->focused = true;
    }
    y += fh + 3;
    bx->tag = fig ? pr_tag_new(bx->arena, fig, PR_TAG_CAPTION) : pr_tag_new(bx->arena, parent, PR_TAG_P);
    if (pic->place && pic->place->credit) {
        struct pr_textopts o = pr_topts(ts, &L->credit, fw, PR_ALIGN_RIGHT, pic->lang);
        o.hyphenate = false;
        struct pr_text *t = pr_text_plain(ts, pic->place->credit, &o);
        y = pr_add_lines(ts, bx, t, x, y, PR_ROLE_CREDIT, 1, &L->credit) + 1;
    }
    if (pic->caption && *pic->caption) {
        struct pr_textopts o = pr_topts(ts, &L->caption, pic->caption_w, PR_ALIGN_LEFT, pic->lang);
        o.hyphenate = true;
        o.balance = true;
        struct pr_text *t = pr_text_plain(ts, pic->caption, &o);
        y = pr_add_lines(ts, bx, t, x, y, PR_ROLE_CAPTION, 1, &L->caption);
    }
    bx->tag = outer;
    return y;
}

/* ---------- article bodies into flow items ---------- */

struct body {
    struct pr_typeset *ts;
    struct pr_galley *g; /* NULL for items made after the galley was set */
    struct pr_arena *A;  /* the galley's: everything set for it lives there */
    const struct pr_article *art;
    struct pr_items *items;
    double cw;
    bool drop_cap;       /* the article's first paragraph gets a drop cap */
    bool keep;           /* the next item stays with the previous one (after headings) */
    bool indent_next;    /* the next paragraph gets a first-line indent */
    const struct pr_block *run_in; /* a department item's heading, to run into its first paragraph */
    int ditems;          /* a department's items so far */
    int depth;
    const char *note_prefix;
    const struct pr_tag *parent; /* the element new blocks go in (the article, a list item, a quote) */
    int *hlast;                  /* the level of the story's last heading (pr_tag_heading) */
};

/* A new element in the current one; NULL when the body is not tagged
 * (items the fitter adds: its pull quotes are artifacts). */
static struct pr_tag *tag(struct body *bd, enum pr_tag_type type)
{
    return pr_tag_new(bd->A, bd->parent, type);
}

static struct pr_item *item(struct body *bd, enum pr_item_kind k)
{
    struct pr_item *it = pr_items_push(bd->A, bd->items);
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
                      double x, enum pr_role role, bool grid, int keep_lines, const struct pr_tag *tg)
{
    int first = bd->items->n;
    int n = t->nlines;
    double asc = pr_ascent_of(f, 1);
    for (int i = 0; i < n; i++) {
        struct pr_item *it = item(bd, PR_IT_LINE);
        if (i > 0)
            pr_flow_line_breaks(it, i, n, keep_lines, t->lines[i - 1].hyphenated,
                                bd->ts->L->hyphen_last_line);
        it->height = t->leading;
        it->ascent = asc;
        it->grid = grid && (i == 0 || fabs(t->leading - bd->ts->L->baseline) < 0.01);
        it->x = x;
        it->role = role;
        it->text = t;
        it->line = i;
        it->tag = tg;
    }
    return first;
}

static void attach(struct body *bd, struct pr_item *it, struct pr_box bx)
{
    assert(it);
    struct pr_box *nb = pr_arena_grow(bd->A, it->boxes, (size_t)it->nboxes,
                                      (size_t)it->nboxes + 1, sizeof *nb);
    nb[it->nboxes] = bx;
    it->boxes = nb;
    it->nboxes++;
}

/* A drop cap: the first letter (with any opening quotes) set large across
 * three body lines. Returns the remaining inlines, or NULL when the
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
    char *letter = pr_arena_strndup(bd->A, s, (size_t)(rest - s));
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
    struct pr_inline *copy = pr_arena_alloc(bd->A, sizeof *copy);
    *copy = *in;
    copy->text = rest;
    return copy;
}

static void blocks(struct body *bd, const struct pr_block *blk, double x, double w, enum pr_role role);
static void rule_item(struct body *bd, double w, double frac, double x);

/* A body paragraph as the galley set it, kept so that the fitter can set
 * it again with a looseness (pr_galley_set_para): its options and
 * inlines (after a drop cap's letter), where its lines go, and its text at
 * each looseness once set (set[PR_LOOSENESS_MAX]: the galley's own). */
struct pr_galley_para {
    struct pr_textopts o;
    const struct pr_inline *in;
    struct pr_pos pos;
    int keep_lines;
    int looseness;               /* the text its items show now */
    struct pr_text *set[2 * PR_LOOSENESS_MAX + 1];
};

/* Remember a body paragraph the total-fit composer set (only those can be
 * set a line shorter or longer). */
static void remember(struct body *bd, const struct pr_textopts *o, const struct pr_inline *in,
                     const struct pr_block *p, struct pr_text *t, int keep_lines)
{
    struct pr_galley *g = bd->g;
    if (!g || !t->total_fit || t->nlines < 2)
        return;
    if (g->nparas == g->paras_cap) {
        int cap = g->paras_cap ? g->paras_cap * 2 : 32;
        g->paras = pr_arena_grow(bd->A, g->paras, (size_t)g->paras_cap, (size_t)cap, sizeof *g->paras);
        g->paras_cap = cap;
    }
    struct pr_galley_para *gp = &g->paras[g->nparas++];
    memset(gp, 0, sizeof *gp);
    gp->o = *o;
    gp->in = in;
    gp->pos = p->pos;
    gp->keep_lines = keep_lines;
    gp->set[PR_LOOSENESS_MAX] = t;
}

static void paragraph(struct body *bd, const struct pr_block *p, double x, double w,
                      enum pr_role role, bool first_of_article)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    const struct pr_font *f = role == PR_ROLE_FOOTNOTE || role == PR_ROLE_NOTE ? &L->footnote : &L->body;
    /* a coupon's fill-in fields are never spaced out: set ragged */
    struct pr_textopts o = pr_topts(ts, f, w, p->fields ? PR_ALIGN_LEFT : PR_ALIGN_JUSTIFY,
                                    p->lang ? p->lang : bd->art->language);
    o.hyphenate = !p->fields;
    o.dir = p->dir;
    o.note_prefix = bd->note_prefix;
    ts->cur_pos = p->pos;
    const struct pr_inline *in = p->inlines;
    struct pr_text *cap = NULL;
    double hang = 0;
    if (first_of_article && bd->drop_cap && role == PR_ROLE_BODY) {
        const struct pr_inline *rest = drop_cap(bd, p, &cap, &hang);
        if (rest)
            in = rest;
        else
            cap = NULL;
    }
    if (cap) {
        o.hang_width = hang;
        o.hang_lines = 3;
    } else if (bd->indent_next && role == PR_ROLE_BODY && !p->fields)
        o.indent = L->para_indent;
    if (bd->run_in && role == PR_ROLE_BODY) {
        /* the item's heading in bold, running into its first paragraph */
        struct pr_inline *head = pr_arena_alloc(bd->A, 2 * sizeof *head);
        head[0] = (struct pr_inline){.kind = PR_IN_STRONG, .children = bd->run_in->inlines, .next = &head[1]};
        head[1] = (struct pr_inline){.kind = PR_IN_TEXT, .text = "\xE2\x80\x82", .next = (struct pr_inline *)in};
        in = head;
        bd->run_in = NULL;
        o.indent = 0;
    }
    struct pr_font *sigf = NULL;
    if (p->signature && role == PR_ROLE_BODY) {
        /* an item's signature: flush right, in the byline's letters */
        sigf = pr_arena_alloc(bd->A, sizeof *sigf);
        *sigf = L->byline;
        f = sigf;
        o = pr_topts(ts, f, w, PR_ALIGN_RIGHT, p->lang ? p->lang : bd->art->language);
        o.dir = p->dir;
        bd->keep = true;
    }
    struct pr_text *t = pr_text_inlines(ts, in, &o);
    if (t->nlines == 0)
        return;
    struct pr_tag *tg = tag(bd, PR_TAG_P);
    if (tg)
        tg->lang = p->lang;
    bool grid = role != PR_ROLE_FOOTNOTE && role != PR_ROLE_NOTE;
    int first = text_items(bd, t, f, x, sigf ? PR_ROLE_BYLINE : role, grid, cap ? 4 : 0, tg);
    if (role == PR_ROLE_BODY && !sigf)
        remember(bd, &o, in, p, t, cap ? 4 : 0);
    if (cap) {
        double top, bottom, left, width;
        pr_text_ink(cap, &top, &bottom, &left, &width);
        double asc = pr_ascent_of(f, 1);
        struct pr_box db = pr_line_box(ts, cap, 0, -left, asc + 2 * L->baseline, PR_ROLE_DROPCAP);
        db.tag = tg;
        attach(bd, &bd->items->v[first], db);
        /* a paragraph shorter than the cap: the next starts below it */
        if (t->nlines < o.hang_lines) {
            struct pr_item *last = &bd->items->v[bd->items->n - 1];
            last->height += (o.hang_lines - t->nlines) * L->baseline;
        }
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
    struct pr_font *fc = pr_arena_alloc(bd->A, sizeof *fc);
    *fc = f;
    struct pr_tag *tg = pr_tag_heading(bd->A, bd->parent, h->level, bd->hlast);
    if (tg)
        tg->lang = h->lang;
    text_items(bd, t, fc, x, PR_ROLE_HEADING, true, 1 << 20, tg);
    bd->keep = true;
    bd->indent_next = false;
}

/* A figure (in-body image) or pull quote: a float of boxes, its height
 * rounded up to whole grid lines so the text below stays on the grid. */
static void float_item(struct body *bd, struct pr_box *boxes, int n, double h)
{
    const struct pr_layout *L = bd->ts->L;
    struct pr_item *it = pr_items_push(bd->A, bd->items);
    it->kind = PR_IT_FLOAT;
    it->break_before = true;
    it->height = ceil(h / L->baseline - 0.01) * L->baseline;
    it->boxes = boxes;
    it->nboxes = n;
    it->role = PR_ROLE_FIGURE;
}

static void figure(struct body *bd, const struct pr_block *blk, double w)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    if (!blk->path)
        return;
    struct picture pic = {blk->path, {0}, blk->pos, blk->caption, w, bd->art->language, &blk->place, blk->alt};
    if (!pr_image_info_read(&ts->b->diags, blk->path, blk->pos, &pic.info))
        return;
    struct pr_boxes bx = {bd->A, NULL, 0, 0, NULL};
    double colh = L->page_h - L->margin_top - L->margin_bottom;
    /* a share of the column if asked, else the column; centred */
    double want = blk->place.width == PR_PW_SHARE ? w * blk->place.share : w, fw, fh;
    frame_of(&pic, want, colh * 0.45, &fw, &fh);
    double y = image_caption(ts, &bx, &pic, (w - fw) / 2, L->baseline * 0.25, fw, fh, bd->parent);
    float_item(bd, bx.v, bx.n, y + L->baseline * 0.5);
}

static void pullquote(struct body *bd, const struct pr_block *blk, double w)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    struct pr_boxes bx = {bd->A, NULL, 0, 0, NULL};
    struct pr_tag *quote = tag(bd, PR_TAG_BLOCKQUOTE);
    double y = L->baseline * 0.5;
    pr_add_rule(&bx, 0, y, w, 1.2, L->accent);
    y += L->baseline * 0.4;
    for (const struct pr_block *c = blk->children; c; c = c->next) {
        if (c->kind != PR_BLK_PARA && c->kind != PR_BLK_HEADING)
            continue;
        struct pr_textopts o = pr_topts(ts, &L->pullquote, w, PR_ALIGN_LEFT, c->lang ? c->lang : bd->art->language);
        o.dir = c->dir;
        o.hyphenate = true;
        o.balance = true;
        ts->cur_pos = c->pos;
        struct pr_text *t = pr_text_inlines(ts, c->inlines, &o);
        bx.tag = pr_tag_new(bd->A, quote, PR_TAG_P);
        y = pr_add_lines(ts, &bx, t, 0, y, PR_ROLE_PULLQUOTE, 1, &L->pullquote);
        bx.tag = NULL;
    }
    y += L->baseline * 0.3;
    pr_add_rule(&bx, 0, y, w, 0.6, L->accent);
    float_item(bd, bx.v, bx.n, y + L->baseline * 0.6);
    struct pr_item *it = &bd->items->v[bd->items->n - 1];
    it->role = PR_ROLE_PULLQUOTE;
    /* its words, so that the fitter never pulls the same sentence again */
    for (const struct pr_block *c = blk->children; c && !it->quote; c = c->next)
        if (c->kind == PR_BLK_PARA)
            it->quote = pr_inlines_plain(bd->A, c->inlines);
}

/* A department's item (a letter, a brief) starts at its heading: a short
 * rule between items, then the heading, or, when the layout runs
 * headings in, the heading kept for its first paragraph. */
static void department_item(struct body *bd, const struct pr_block *h, double x, double w)
{
    const struct pr_layout *L = bd->ts->L;
    if (bd->ditems++ > 0 || bd->items->n > 0) {
        space(bd, L->baseline * 0.5);
        rule_item(bd, w * 0.25, 1, x + w * 0.375);
    }
    if (L->run_in && h->level >= 2) {
        bd->run_in = h;
        bd->indent_next = false;
        return;
    }
    heading(bd, h, x, w);
}

/* ---------- verse and sidebars ---------- */

/* The inlines of one verse line: those up to the next line break of the
 * stanza's top level (copied, each alone); *in moves past the break. */
static struct pr_inline *verse_line(struct pr_arena *A, const struct pr_inline **in)
{
    struct pr_inline *head = NULL, **tail = &head;
    while (*in) {
        const struct pr_inline *cur = *in;
        *in = cur->next;
        if (cur->kind == PR_IN_SOFTBREAK || cur->kind == PR_IN_LINEBREAK)
            break;
        struct pr_inline *c = pr_arena_alloc(A, sizeof *c);
        *c = *cur;
        c->next = NULL;
        *tail = c;
        tail = &c->next;
    }
    return head;
}

#define MAX_VERSE_LINES 2000

/* Verse: each line of each stanza set on its own, ragged, never
 * justified nor hyphenated, a long one turned over with a hanging indent;
 * a blank line between stanzas; the block centred on its longest line in
 * a wide column. A stanza stays in one column (a long one may break with
 * two lines on each side), and a poem shorter than most of a column stays
 * whole. */
static void verse(struct body *bd, const struct pr_block *blk, double x, double w)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    double hang = L->body.size * 1.5;
    struct pr_text **t = pr_arena_alloc(bd->A, MAX_VERSE_LINES * sizeof *t);
    int *stanza_of = pr_arena_alloc(bd->A, MAX_VERSE_LINES * sizeof *stanza_of);
    int n = 0, stanzas = 0, lines = 0;
    double widest = 0;
    for (const struct pr_block *st = blk->children; st; st = st->next, stanzas++) {
        if (st->kind != PR_BLK_PARA)
            continue;
        const struct pr_inline *in = st->inlines;
        while (in && n < MAX_VERSE_LINES) {
            struct pr_inline *line = verse_line(bd->A, &in);
            struct pr_textopts o = pr_topts(ts, &L->body, w - hang, PR_ALIGN_LEFT,
                                            st->lang ? st->lang : bd->art->language);
            o.hyphenate = false;
            o.indent = -hang;
            o.dir = st->dir;
            ts->cur_pos = st->pos;
            struct pr_text *lt = pr_text_inlines(ts, line, &o);
            if (lt->nlines == 0)
                continue;
            for (int i = 0; i < lt->nlines; i++)
                widest = fmax(widest, lt->lines[i].width + (i ? hang : 0));
            stanza_of[n] = stanzas;
            t[n++] = lt;
            lines += lt->nlines;
        }
    }
    double colh = L->page_h - L->margin_top - L->margin_bottom;
    bool whole = (lines + stanzas) * L->baseline < colh * 0.8;
    /* flush left, the block centred on its longest line when the column is much wider */
    double off = w > widest * 1.3 ? floor((w - widest) / 2) : 0;
    space(bd, L->baseline * 0.5);
    /* a poem is a division of the article, each stanza a paragraph */
    struct pr_tag *poem = tag(bd, PR_TAG_DIV), *stanza = NULL;
    for (int k = 0; k < n; k++) {
        bool new_stanza = k == 0 || stanza_of[k] != stanza_of[k - 1];
        if (new_stanza)
            stanza = pr_tag_new(bd->A, poem, PR_TAG_P);
        /* the blank line between stanzas is the last line's (a space item
         * would let a column end there) */
        if (new_stanza && k > 0)
            bd->items->v[bd->items->n - 1].height += L->baseline;
        /* within a stanza: together, unless it is long (two lines each side) */
        int in_stanza = 0, pos = 0;
        for (int j = 0; j < n; j++)
            if (stanza_of[j] == stanza_of[k]) {
                in_stanza++;
                pos += j < k;
            }
        bd->keep = !new_stanza && (whole || in_stanza <= 8 || pos < 2 || in_stanza - pos < 2);
        if (new_stanza && k > 0)
            bd->keep = whole;
        text_items(bd, t[k], &L->body, x + off + hang, PR_ROLE_VERSE, true, t[k]->nlines, stanza);
    }
    space(bd, L->baseline * 0.5);
    bd->indent_next = false;
}

/* Blocks set into a box's list at x, w wide from y (paragraphs and
 * headings; lists with their markers; quotes indented); returns the y
 * under them. In the structure, elements of the list's element (bx->tag);
 * *hlast: the story's last heading level. */
static double box_blocks(struct pr_typeset *ts, struct pr_boxes *bx, const struct pr_block *blk, double x,
                         double w, double y, const char *lang, int depth, int *hlast)
{
    const struct pr_layout *L = ts->L;
    const struct pr_tag *in = bx->tag;
    int num = 0;
    for (; blk && depth < 8; blk = blk->next, bx->tag = in) {
        switch (blk->kind) {
        case PR_BLK_PARA:
        case PR_BLK_HEADING: {
            const struct pr_font *f = blk->kind == PR_BLK_HEADING ? &L->heading : &L->body;
            struct pr_textopts o = pr_topts(ts, f, w, PR_ALIGN_LEFT, blk->lang ? blk->lang : lang);
            o.hyphenate = blk->kind == PR_BLK_PARA;
            o.dir = blk->dir;
            ts->cur_pos = blk->pos;
            struct pr_text *t = pr_text_inlines(ts, blk->inlines, &o);
            struct pr_tag *tg = blk->kind == PR_BLK_HEADING ? pr_tag_heading(bx->arena, in, blk->level, hlast)
                                                            : pr_tag_new(bx->arena, in, PR_TAG_P);
            if (tg)
                tg->lang = blk->lang;
            bx->tag = tg;
            y = pr_add_lines(ts, bx, t, x, y + L->baseline * 0.25, PR_ROLE_BOX, 1, f);
            break;
        }
        case PR_BLK_LIST: {
            double ind = L->body.size * 1.2;
            num = blk->start ? blk->start : 1;
            struct pr_tag *list = pr_tag_new(bx->arena, in, PR_TAG_L);
            for (const struct pr_block *it = blk->children; it; it = it->next, num++) {
                char mark[16];
                snprintf(mark, sizeof mark, blk->ordered ? "%d." : "\xE2\x80\xA2", num);
                struct pr_textopts o = pr_topts(ts, &L->body, ind, PR_ALIGN_LEFT, lang);
                struct pr_text *mt = pr_text_plain(ts, mark, &o);
                double top = y;
                struct pr_tag *li = pr_tag_new(bx->arena, list, PR_TAG_LI);
                struct pr_box mb = pr_line_box(ts, mt, 0, x, top + L->baseline * 0.25 + pr_ascent_of(&L->body, 1),
                                               PR_ROLE_MARKER);
                mb.tag = pr_tag_new(bx->arena, li, PR_TAG_LBL);
                bx->tag = pr_tag_new(bx->arena, li, PR_TAG_LBODY);
                y = box_blocks(ts, bx, it->children, x + ind, w - ind, y, lang, depth + 1, hlast);
                pr_put_box(bx, mb);
            }
            break;
        }
        case PR_BLK_QUOTE:
        case PR_BLK_ITEM:
        case PR_BLK_VERSE:
            if (blk->kind != PR_BLK_ITEM)
                bx->tag = pr_tag_new(bx->arena, in, blk->kind == PR_BLK_QUOTE ? PR_TAG_BLOCKQUOTE : PR_TAG_DIV);
            y = box_blocks(ts, bx, blk->children, x + (blk->kind == PR_BLK_QUOTE ? L->body.size : 0),
                           w - (blk->kind == PR_BLK_QUOTE ? L->body.size : 0), y, lang, depth + 1, hlast);
            break;
        case PR_BLK_TABLE: {
            /* a table in a box: its caption and rows one under another */
            struct pr_items its = {NULL, 0, 0};
            pr_table_set(ts, bx->arena, &its, blk, NULL, lang, NULL, 0, w, true, in);
            y += L->baseline * 0.25;
            for (int i = 0; i < its.n; i++) {
                if (its.v[i].kind == PR_IT_SPACE)
                    continue;
                for (int k = 0; k < its.v[i].nboxes; k++) {
                    struct pr_box *b = pr_push_box(bx);
                    *b = its.v[i].boxes[k];
                    b->x += x + its.v[i].x;
                    b->y += y;
                }
                y += its.v[i].height;
            }
            break;
        }
        default:
            break; /* pictures, code and rules are not set in a box */
        }
    }
    return y;
}

/* A boxed item: a tint, a rule over it, its title, its blocks; w wide.
 * In the structure, what it holds goes in bx->tag. */
static double boxed(struct pr_typeset *ts, struct pr_boxes *bx, const char *title, const struct pr_block *blocks,
                    double w, double y, const char *lang, int *hlast)
{
    const struct pr_tag *in = bx->tag;
    const struct pr_layout *L = ts->L;
    double pad = L->body.size * 0.6, top = y;
    struct pr_box *tint = pr_push_box(bx);
    int tint_at = bx->n - 1;
    tint->kind = PR_BOX_RECT;
    tint->role = PR_ROLE_DECOR;
    tint->color = L->accent;
    tint->alpha = 0.08;
    pr_add_rule(bx, 0, top, w, 1.2, L->accent);
    y += pad;
    if (title) {
        struct pr_textopts o = pr_topts(ts, &L->heading, w - 2 * pad, PR_ALIGN_LEFT, lang);
        o.hyphenate = false;
        struct pr_text *t = pr_text_plain(ts, title, &o);
        bx->tag = pr_tag_heading(bx->arena, in, 1, hlast);
        y = pr_add_lines(ts, bx, t, pad, y, PR_ROLE_BOX, 1, &L->heading);
        bx->tag = in;
    }
    y = box_blocks(ts, bx, blocks, pad, w - 2 * pad, y, lang, 0, hlast) + pad;
    bx->v[tint_at].y = top;
    bx->v[tint_at].w = w;
    bx->v[tint_at].h = y - top;
    return y;
}

/* A sidebar: a boxed item kept together in its column; one taller than
 * most of a column is set in the flow between rules instead (and said). */
static void sidebar(struct body *bd, const struct pr_block *blk, double x, double w)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    struct pr_tag *sect = tag(bd, PR_TAG_SECT);
    struct pr_boxes bx = {bd->A, NULL, 0, 0, sect};
    double y = boxed(ts, &bx, blk->text, blk->children, bd->cw, L->baseline * 0.5, bd->art->language, bd->hlast);
    double colh = L->page_h - L->margin_top - L->margin_bottom;
    if (y < colh * 0.85) {
        float_item(bd, bx.v, bx.n, y + L->baseline * 0.5);
        bd->items->v[bd->items->n - 1].role = PR_ROLE_BOX;
        return;
    }
    pr_diag(&ts->b->diags, PR_D_MARKUP, blk->pos,
            "the sidebar%s%s%s is taller than a column; it is set in the text between rules (shorten it to keep "
            "it boxed)",
            blk->text ? " '" : "", blk->text ? blk->text : "", blk->text ? "'" : "");
    rule_item(bd, w, 1, x);
    const struct pr_tag *outer = bd->parent;
    bd->parent = sect;
    if (blk->text) {
        struct pr_inline in = {.kind = PR_IN_TEXT, .text = blk->text};
        struct pr_block h = {.kind = PR_BLK_HEADING, .pos = blk->pos, .level = 3, .inlines = &in};
        heading(bd, &h, x, w);
    }
    bd->indent_next = false;
    blocks(bd, blk->children, x, w, PR_ROLE_BODY);
    bd->parent = outer;
    rule_item(bd, w, 1, x);
    bd->indent_next = false;
}

static void list(struct body *bd, const struct pr_block *blk, double x, double w)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    double ind = L->body.size * 1.4;
    int num = blk->start ? blk->start : 1;
    space(bd, L->baseline * 0.5);
    int nitems = 0;
    for (const struct pr_block *itb = blk->children; itb; itb = itb->next)
        nitems++;
    int idx = 0;
    const struct pr_tag *outer = bd->parent;
    struct pr_tag *ltag = tag(bd, PR_TAG_L);
    for (const struct pr_block *itb = blk->children; itb; itb = itb->next, num++, idx++) {
        int before = bd->items->n;
        /* like lines of a paragraph: a column does not end after a list's
         * first item or before its last one */
        if (idx == 1 || (idx == nitems - 1 && idx > 0))
            bd->keep = true;
        bd->indent_next = false;
        bd->depth++;
        /* an item: its label, then its body */
        struct pr_tag *li = pr_tag_new(bd->A, ltag, PR_TAG_LI);
        struct pr_tag *lbl = pr_tag_new(bd->A, li, PR_TAG_LBL);
        bd->parent = pr_tag_new(bd->A, li, PR_TAG_LBODY);
        blocks(bd, itb->children, x + ind, w - ind, PR_ROLE_LIST);
        bd->parent = outer;
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
        if (blk->ordered)
            snprintf(mark, sizeof mark, "%d.", num);
        else
            snprintf(mark, sizeof mark, "%s", bd->depth % 2 ? "\xE2\x80\x93" : "\xE2\x80\xA2");
        struct pr_textopts o = pr_topts(ts, &L->body, ind, PR_ALIGN_RIGHT, bd->art->language);
        struct pr_text *t = pr_text_plain(ts, mark, &o);
        struct pr_box mb = pr_line_box(ts, t, 0, -ind - L->body.size * 0.35, first->ascent, PR_ROLE_MARKER);
        mb.tag = lbl;
        attach(bd, first, mb);
    }
    space(bd, L->baseline * 0.5);
    bd->indent_next = false;
}

static void code_block(struct body *bd, const struct pr_block *blk, double x, double w)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    struct pr_font f = L->code;
    f.leading = L->baseline;
    struct pr_font *fc = pr_arena_alloc(bd->A, sizeof *fc);
    *fc = f;
    struct pr_textopts o = pr_topts(ts, fc, w - L->body.size, PR_ALIGN_LEFT, "und");
    ts->cur_pos = blk->pos;
    /* hard line breaks: one line per source line */
    char *s = pr_arena_strdup(bd->A, blk->text ? blk->text : "");
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
    struct pr_tag *code = tag(bd, PR_TAG_P);
    text_items(bd, t, fc, x + L->body.size, PR_ROLE_CODE, true, 0, pr_tag_new(bd->A, code, PR_TAG_CODE));
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

static void blocks(struct body *bd, const struct pr_block *blk, double x, double w, enum pr_role role)
{
    const struct pr_layout *L = bd->ts->L;
    bool first = bd->items->n == 0 && role == PR_ROLE_BODY;
    for (; blk; blk = blk->next) {
        switch (blk->kind) {
        case PR_BLK_PARA:
            paragraph(bd, blk, x, w, role, first);
            break;
        case PR_BLK_HEADING:
            if (bd->art->department && role == PR_ROLE_BODY)
                department_item(bd, blk, x, w);
            else
                heading(bd, blk, x, w);
            break;
        case PR_BLK_QUOTE: {
            double ind = L->body.size * 1.2;
            space(bd, L->baseline * 0.5);
            bd->indent_next = false;
            if (bd->depth < 16) {
                const struct pr_tag *outer = bd->parent;
                bd->parent = tag(bd, PR_TAG_BLOCKQUOTE);
                bd->depth++;
                blocks(bd, blk->children, x + ind, w - 2 * ind > 40 ? w - 2 * ind : w, PR_ROLE_QUOTE);
                bd->depth--;
                bd->parent = outer;
            }
            space(bd, L->baseline * 0.5);
            bd->indent_next = false;
            break;
        }
        case PR_BLK_PULLQUOTE:
            pullquote(bd, blk, bd->cw);
            break;
        case PR_BLK_LIST:
            if (bd->depth < 16)
                list(bd, blk, x, w);
            break;
        case PR_BLK_ITEM:
            blocks(bd, blk->children, x, w, role);
            break;
        case PR_BLK_IMAGE:
            figure(bd, blk, bd->cw);
            break;
        case PR_BLK_RULE:
            rule_item(bd, w, 0.3, x);
            bd->indent_next = false;
            break;
        case PR_BLK_CODE:
            code_block(bd, blk, x, w);
            break;
        case PR_BLK_VERSE:
            verse(bd, blk, x, w);
            break;
        case PR_BLK_SIDEBAR:
            if (bd->depth < 16) {
                bd->depth++;
                sidebar(bd, blk, x, w);
                bd->depth--;
            }
            break;
        case PR_BLK_TABLE:
            pr_table_set(bd->ts, bd->A, bd->items, blk, bd->g ? &bd->g->frame : NULL, bd->art->language,
                         bd->note_prefix, x, w, bd->keep, bd->parent);
            bd->keep = false;
            bd->indent_next = false;
            break;
        }
        first = false;
    }
}

/* ---------- openers ---------- */

const char *pr_lead_title(const struct pr_article *art)
{
    return art->title ? art->title : art->editorial ? "In This Issue" : "Untitled";
}

/* The width a lead image may take: the editor's (column, columns, a share
 * of the type area, the page), else the type area's. */
static double lead_width(const struct pr_layout *L, const struct pr_frame *fr, const struct pr_placing *pl)
{
    double tw = pr_text_w(L), cw = fr->col_w;
    int k = pl->width == PR_PW_COLUMN ? 1 : pl->width == PR_PW_COLUMNS ? pl->columns : 0;
    if (k > fr->columns)
        k = fr->columns;
    if (k > 0)
        return k * cw + (k - 1) * L->gutter;
    return pl->width == PR_PW_SHARE ? tw * pl->share : tw;
}

/* The lead image from y: its frame follows the picture (portrait,
 * landscape, panorama) within the layout's height for it; one narrower
 * than the type area takes whole columns from the left (as many as its
 * width needs), the text running down the others from under the header.
 * Returns where the columns under it start. */
static double lead_image(struct pr_typeset *ts, struct pr_galley *g, struct pr_frame *fr, struct picture *pic,
                         double y)
{
    const struct pr_layout *L = ts->L;
    double tw = pr_text_w(L), cw = fr->col_w, gut = L->gutter;
    double th = L->page_h - L->margin_top - L->margin_bottom;
    double scale = g->image_scale > 0 ? g->image_scale : 1;
    const struct pr_placing *pl = pic->place;
    /* the layout's height for a lead image; one the editor sized may take more */
    double max_h = th * (pl->width == PR_PW_AUTO ? 0.38 * scale : 0.7);
    double fw, fh, want = lead_width(L, fr, pl);
    frame_of(pic, want, max_h, &fw, &fh);
    int cols = fr->columns, span = cols;
    if (pl->width == PR_PW_AUTO && fw < want - 1 && cols > 1) {
        /* a whole number of columns, the widest whose frame is not too tall */
        for (span = cols; span > 1; span--)
            if ((span * cw + (span - 1) * gut) / (fw / fh) <= max_h + 0.5)
                break;
        frame_of(pic, span * cw + (span - 1) * gut, max_h, &fw, &fh);
    } else if (fw < tw - 1 && cols > 1)
        span = (int)ceil((fw + gut - 0.5) / (cw + gut));
    if (span < 1)
        span = 1;
    double top = y + L->baseline * 0.25;
    pic->caption_w = span < cols ? fmax(fw, cw) : pic->caption_w;
    double bottom = image_caption(ts, &g->opener, pic, 0, top, fw, fh, g->tag) + L->baseline * 0.5;
    if (span >= cols)
        return bottom;
    /* the columns beside it start under the header, below a hairline */
    pr_add_rule(&g->opener, span * (cw + gut), y + L->baseline * 0.25, tw - span * (cw + gut), 0.5, L->rule);
    for (int c = span; c < cols && c < 16; c++)
        fr->col_top[c] = y + L->baseline * 0.75;
    for (int c = 0; c < span && c < 16; c++)
        fr->col_top[c] = bottom + L->baseline * 0.75;
    pr_add_rule(&g->opener, 0, bottom + L->baseline * 0.25, span * (cw + gut) - gut, 0.5, L->rule);
    return bottom;
}

/* The elements of an opener are numbered below this in their story. */
#define PR_OPENER_SEQS 1000

/* Section label, title, deck, byline and lead image into g->opener; sets
 * where the columns start on the first page. */
static void opener(struct pr_typeset *ts, struct pr_galley *g, struct pr_frame *fr)
{
    const struct pr_layout *L = ts->L;
    const struct pr_article *art = g->art;
    struct pr_arena *A = g->arena;
    struct pr_boxes *bx = &g->opener;
    double tw = pr_text_w(L);
    int cols = fr->columns;
    double wide = cols > 1 ? tw * (cols == 2 ? 1 : 0.82) : tw;
    double y = L->margin_top + g->sink;
    ts->cur_pos = art->pos;
    const char *lang = art->language;
    /* the opener's elements come first in the story, before the body's
     * (which start at PR_OPENER_SEQS), however often it is set again */
    int body_seq = g->tag->nseq;
    g->tag->nseq = 0;
    if (L->show_section_label && (art->section || art->editorial)) {
        struct pr_textopts o = pr_topts(ts, &L->label, tw, PR_ALIGN_LEFT, lang);
        struct pr_text *t = pr_text_plain(ts, art->editorial ? pr_words_for(lang)->editorial : art->section, &o);
        bx->tag = pr_tag_new(A, g->tag, PR_TAG_P);
        y = pr_add_lines(ts, bx, t, 0, y, PR_ROLE_LABEL, 1, &L->label);
        y += L->label.leading * 0.25;
    }
    struct pr_textopts o;
    struct pr_text *t;
    if (art->kicker && *art->kicker) {
        struct pr_font *kf = pr_arena_alloc(A, sizeof *kf);
        *kf = L->deck;
        kf->italic = true;
        kf->color = L->accent;
        o = pr_topts(ts, kf, wide, PR_ALIGN_LEFT, lang);
        o.hyphenate = false;
        o.balance = true;
        t = pr_text_plain(ts, art->kicker, &o);
        bx->tag = pr_tag_new(A, g->tag, PR_TAG_P);
        y = pr_add_lines(ts, bx, t, 0, y, PR_ROLE_DECK, 1, kf);
        y += L->deck.leading * 0.15;
    }
    o = pr_topts(ts, &L->title, wide, PR_ALIGN_LEFT, lang);
    o.balance = true;
    t = pr_text_plain(ts, pr_lead_title(art), &o);
    bx->tag = pr_tag_new(A, g->tag, PR_TAG_H1);
    y = pr_add_lines(ts, bx, t, 0, y, PR_ROLE_TITLE, 1, &L->title);
    bx->v[bx->n - t->nlines].dest = pr_arena_printf(A, "art-%s", art->id);
    if (art->deck) {
        y += L->deck.leading * 0.3;
        o = pr_topts(ts, &L->deck, wide * (cols > 1 ? 0.85 : 1), PR_ALIGN_LEFT, lang);
        o.hyphenate = false;
        o.balance = true;
        t = pr_text_plain(ts, art->deck, &o);
        bx->tag = pr_tag_new(A, g->tag, PR_TAG_P);
        y = pr_add_lines(ts, bx, t, 0, y, PR_ROLE_DECK, 1, &L->deck);
    }
    const char *by = pr_words_byline(A, art);
    if (by || art->translator) {
        y += L->byline.leading * 0.4;
        if (by) {
            o = pr_topts(ts, &L->byline, tw, PR_ALIGN_LEFT, lang);
            t = pr_text_plain(ts, by, &o);
            bx->tag = pr_tag_new(A, g->tag, PR_TAG_P);
            y = pr_add_lines(ts, bx, t, 0, y, PR_ROLE_BYLINE, 1, &L->byline);
        }
        if (art->translator) {
            o = pr_topts(ts, &L->byline, tw, PR_ALIGN_LEFT, lang);
            t = pr_text_plain(ts, pr_arena_printf(A, "%s %s", pr_words_for(lang)->translated_by, art->translator), &o);
            bx->tag = pr_tag_new(A, g->tag, PR_TAG_P);
            y = pr_add_lines(ts, bx, t, 0, y, PR_ROLE_BYLINE, 1, &L->byline);
        }
    }
    y += L->baseline * 0.5;
    memset(fr->col_top, 0, sizeof fr->col_top);
    struct picture pic = {art->image_path, {0}, art->image_pos, art->caption,
                          cols > 1 ? fr->col_w * 2 + L->gutter : tw, lang, &art->image_place, art->image_alt};
    bx->tag = NULL;
    if (art->image_path && pr_image_info_read(&ts->b->diags, art->image_path, art->image_pos, &pic.info))
        y = lead_image(ts, g, fr, &pic, y);
    /* a hairline under the opener, then the columns (beside a narrow lead
     * image, lead_image drew its own) */
    if (fr->col_top[0] <= 0)
        pr_add_rule(bx, 0, y + L->baseline * 0.25, tw, 0.5, L->rule);
    fr->first_top = y + L->baseline * 0.75;
    assert(g->tag->nseq < PR_OPENER_SEQS);
    g->tag->nseq = body_seq > PR_OPENER_SEQS ? body_seq : PR_OPENER_SEQS;
}

/* ---------- end matter: the end note and the footnotes ---------- */

static void end_note(struct body *bd, const struct pr_galley *g, const struct pr_frame *fr)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    struct pr_font f = L->footnote;
    f.italic = true;
    struct pr_font *fc = pr_arena_alloc(bd->A, sizeof *fc);
    *fc = f;
    struct pr_textopts o = pr_topts(ts, fc, fr->col_w, PR_ALIGN_JUSTIFY, g->art->language);
    o.hyphenate = true;
    struct pr_text *t = pr_text_plain(ts, g->art->note, &o);
    text_items(bd, t, fc, 0, PR_ROLE_NOTE, false, 0, tag(bd, PR_TAG_P));
    space(bd, L->footnote.leading * 0.5);
}

/* The author's bio after the body, behind an end mark, in italics. */
static void bio(struct body *bd, const struct pr_galley *g, double w)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    struct pr_font *f = pr_arena_alloc(bd->A, sizeof *f);
    *f = L->body;
    f->italic = true;
    struct pr_textopts o = pr_topts(ts, f, w, PR_ALIGN_JUSTIFY, g->art->language);
    o.hyphenate = true;
    struct pr_text *t = pr_text_plain(ts, pr_arena_printf(bd->A, "\xE2\x96\xA0 %s", g->art->bio), &o);
    space(bd, L->baseline * 0.5);
    text_items(bd, t, f, 0, PR_ROLE_NOTE, true, 0, tag(bd, PR_TAG_P));
}

/* Each footnote's blocks, indented, its number hanging in the indent and
 * its first item the destination of the references to it. */
static void footnotes(struct body *bd, struct pr_galley *g, const struct pr_frame *fr)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    const struct pr_doc *doc = g->art->doc;
    for (int i = 0; doc && i < doc->nnotes; i++) {
        const struct pr_footnote *fn = &doc->notes[i];
        int before = g->items.n;
        double ind = L->footnote.size * 1.5;
        bd->indent_next = false;
        /* a Note, its number first */
        const struct pr_tag *outer = bd->parent;
        struct pr_tag *note = tag(bd, PR_TAG_NOTE), *num = pr_tag_new(bd->A, note, PR_TAG_LBL);
        bd->parent = note;
        for (const struct pr_block *blk = fn->blocks; blk; blk = blk->next) {
            if (blk->kind == PR_BLK_PARA)
                paragraph(bd, blk, ind, fr->col_w - ind, PR_ROLE_FOOTNOTE, false);
            else
                blocks(bd, blk, ind, fr->col_w - ind, PR_ROLE_FOOTNOTE);
        }
        bd->parent = outer;
        if (g->items.n > before) {
            struct pr_item *first = &g->items.v[before];
            first->dest = pr_arena_printf(bd->A, "%s%d", bd->note_prefix, fn->number);
            struct pr_textopts o = pr_topts(ts, &L->footnote, ind - 2, PR_ALIGN_LEFT, "en");
            struct pr_text *t = pr_text_plain(ts, pr_arena_printf(bd->A, "%d", fn->number), &o);
            struct pr_box nb = pr_line_box(ts, t, 0, -ind, first->ascent, PR_ROLE_MARKER);
            nb.tag = num;
            attach(bd, first, nb);
        }
    }
}

/* A `continue` article's title, deck and byline as items at the top of its
 * column space, after a rule that closes the article before it; kept
 * with the first lines of its body. */
static void inline_opener(struct body *bd, const struct pr_galley *g, double w)
{
    struct pr_typeset *ts = bd->ts;
    const struct pr_layout *L = ts->L;
    const struct pr_article *art = g->art;
    const char *lang = art->language;
    space(bd, L->baseline);
    rule_item(bd, w, 1, 0);
    space(bd, L->baseline * 0.5);
    struct pr_font title = L->heading;
    title.size = fmax(L->heading.size * 1.35, L->body.size * 1.6);
    title.leading = title.size * 1.15;
    struct pr_font *tf = pr_arena_alloc(bd->A, sizeof *tf);
    *tf = title;
    struct pr_textopts o = pr_topts(ts, tf, w, PR_ALIGN_LEFT, lang);
    o.hyphenate = false;
    o.balance = true;
    struct pr_text *t = pr_text_plain(ts, pr_lead_title(art), &o);
    int first = text_items(bd, t, tf, 0, PR_ROLE_TITLE, false, t->nlines, tag(bd, PR_TAG_H1));
    bd->items->v[first].dest = pr_arena_printf(bd->A, "art-%s", art->id);
    /* deck and byline follow with a little air (added to the line above:
     * a space item would let a column end there) */
    const struct pr_font *fonts[2] = {&L->deck, &L->byline};
    const char *texts[2] = {art->deck, pr_words_byline(bd->A, art)};
    enum pr_role roles[2] = {PR_ROLE_DECK, PR_ROLE_BYLINE};
    for (int k = 0; k < 2; k++) {
        if (!texts[k])
            continue;
        bd->items->v[bd->items->n - 1].height += fonts[k]->leading * 0.2;
        o = pr_topts(ts, fonts[k], w, PR_ALIGN_LEFT, lang);
        o.hyphenate = false;
        o.balance = roles[k] == PR_ROLE_DECK;
        t = pr_text_plain(ts, texts[k], &o);
        text_items(bd, t, fonts[k], 0, roles[k], false, t->nlines, tag(bd, PR_TAG_P));
    }
    bd->items->v[bd->items->n - 1].height += L->baseline * 0.5;
    /* title, deck and byline stay together and with the body's first lines */
    for (int i = first + 1; i < bd->items->n; i++)
        bd->items->v[i].break_before = false;
    bd->keep = true;
}

/* The columns a galley flows into: the layout's page with its own number
 * of columns. first_top is set by the opener. */
static void galley_frame(const struct pr_layout *L, int columns, struct pr_frame *fr)
{
    memset(fr, 0, sizeof *fr);
    fr->columns = columns > 0 ? columns : L->columns;
    fr->col_w = (pr_text_w(L) - (fr->columns - 1) * L->gutter) / fr->columns;
    fr->gutter = L->gutter;
    fr->top = fr->first_top = L->margin_top;
    fr->bottom = L->page_h - L->margin_bottom;
    fr->baseline = L->baseline;
    fr->grid_origin = L->margin_top + pr_ascent_of(&L->body, 1);
    fr->balance = fr->columns > 1;
}

void pr_galley_set(struct pr_typeset *ts, struct pr_galley *g)
{
    const struct pr_layout *L = ts->L;
    assert(g->arena && ts->b->arena == g->arena); /* between redirect and restore */
    g->opener.arena = g->arena;
    galley_frame(L, g->columns, &g->frame);
    struct pr_frame fr = g->frame;
    bool inline_head = g->art->start == PR_START_CONTINUE && g->host >= 0;
    /* the article in the structure: one story, its title its first heading */
    g->tag = pr_tag_story(g->arena, PR_TAG_ART, g->article >= 0 ? g->article : PR_STORY_EDITORIAL,
                          pr_lead_title(g->art), g->art->language);
    g->hlast = 1;
    if (!inline_head)
        opener(ts, g, &fr);
    struct body bd;
    memset(&bd, 0, sizeof bd);
    bd.ts = ts;
    bd.g = g;
    bd.A = g->arena;
    bd.art = g->art;
    bd.items = &g->items;
    bd.cw = fr.col_w;
    bd.drop_cap = g->art->drop_cap ? g->art->drop_cap > 0 : L->drop_cap && !inline_head && !g->art->department;
    bd.note_prefix = pr_arena_printf(bd.A, "fn-%s-", g->art->id);
    bd.parent = g->tag;
    bd.hlast = &g->hlast;
    if (inline_head)
        inline_opener(&bd, g, fr.col_w);
    if (g->art->doc)
        blocks(&bd, g->art->doc->blocks, 0, fr.col_w, PR_ROLE_BODY);
    if (g->art->bio && *g->art->bio)
        bio(&bd, g, fr.col_w);
    /* the end note, then the footnotes, under a short rule */
    const struct pr_doc *doc = g->art->doc;
    if (g->art->note || (doc && doc->nnotes > 0)) {
        bd.keep = false;
        space(&bd, L->baseline * 0.5);
        rule_item(&bd, fr.col_w * 0.3, 1, 0);
    }
    if (g->art->note)
        end_note(&bd, g, &fr);
    footnotes(&bd, g, &fr);
    g->frame = fr;
    pr_galley_flow(g);
}

void pr_galley_flow(struct pr_galley *g)
{
    g->place = pr_arena_alloc(g->arena, (size_t)(g->items.n ? g->items.n : 1) * sizeof *g->place);
    g->npages = pr_flow_run(&g->frame, &g->items, g->place);
}

/* ---------- what the fitter changes (copyfit.c) ---------- */

bool pr_galley_has_image(const struct pr_galley *g)
{
    return g->host < 0 && g->art->image_path && g->opener.n > 0;
}

void pr_galley_reopen(struct pr_typeset *ts, struct pr_galley *g, double image_scale)
{
    assert(ts->b->arena == g->arena);
    g->image_scale = image_scale;
    g->opener.n = 0;
    opener(ts, g, &g->frame);
}

void pr_galley_sink(struct pr_galley *g, double sink)
{
    /* the opener as set, moved down (or up): nothing in it depends on
     * where it stands */
    double d = sink - g->sink;
    g->sink = sink;
    for (int i = 0; i < g->opener.n; i++)
        g->opener.v[i].y += d;
    g->frame.first_top += d;
    for (int c = 0; c < 16; c++)
        if (g->frame.col_top[c] > 0)
            g->frame.col_top[c] += d;
}

/* A body of the galley's for items made after it was set. */
static struct body late_body(struct pr_typeset *ts, struct pr_galley *g, struct pr_items *into)
{
    struct body bd;
    memset(&bd, 0, sizeof bd);
    bd.ts = ts;
    bd.A = g->arena;
    bd.art = g->art;
    bd.items = into;
    bd.cw = g->frame.col_w;
    return bd;
}

/* Insert item `it` at index `at` of g's items. */
static void insert_item(struct pr_galley *g, int at, struct pr_item it)
{
    pr_items_push(g->arena, &g->items);
    memmove(&g->items.v[at + 1], &g->items.v[at], (size_t)(g->items.n - 1 - at) * sizeof *g->items.v);
    g->items.v[at] = it;
}

void pr_galley_add_pullquote(struct pr_typeset *ts, struct pr_galley *g, const char *text, int at)
{
    assert(ts->b->arena == g->arena);
    struct pr_items one = {NULL, 0, 0};
    struct body bd = late_body(ts, g, &one);
    struct pr_inline *in = pr_arena_alloc(g->arena, sizeof *in);
    in->kind = PR_IN_TEXT;
    in->text = text;
    struct pr_block *para = pr_arena_alloc(g->arena, sizeof *para);
    para->kind = PR_BLK_PARA;
    para->inlines = in;
    para->pos = g->art->pos;
    struct pr_block pq = {.kind = PR_BLK_PULLQUOTE, .pos = g->art->pos, .children = para};
    pullquote(&bd, &pq, g->frame.col_w);
    if (one.n == 1) {
        one.v[0].quote = text;
        insert_item(g, at, one.v[0]);
    }
}

double pr_galley_add_box(struct pr_typeset *ts, struct pr_galley *g, const struct pr_ad *f, double h)
{
    assert(ts->b->arena == g->arena);
    const struct pr_layout *L = ts->L;
    double w = g->frame.col_w;
    struct pr_items one = {NULL, 0, 0};
    struct body bd = late_body(ts, g, &one);
    /* a story of its own */
    struct pr_boxes bx = {g->arena, NULL, 0, 0, pr_tag_ad_story(g->arena, ts->issue, f)};
    double y = L->baseline * 0.5;
    if (f->kind == PR_ASSET_MARKDOWN && f->item && f->item->doc) {
        /* a boxed item: a tint, its title, its paragraphs */
        int hlast = 1;
        y = boxed(ts, &bx, f->item->title, f->item->doc->blocks, w, y, f->item->language, &hlast);
    } else if (f->path) {
        pr_add_ad(&bx, f, 0, y, w, h);
        y += h;
    } else
        return 0;
    float_item(&bd, bx.v, bx.n, y + L->baseline * 0.5);
    one.v[0].role = PR_ROLE_AD;
    one.v[0].break_before = true;
    insert_item(g, g->items.n, one.v[0]);
    return one.v[0].height;
}

/* ---------- the looseness lever: a paragraph set again ---------- */

int pr_galley_npara(const struct pr_galley *g)
{
    return g->nparas;
}

const struct pr_inline *pr_galley_para_source(const struct pr_galley *g, int k)
{
    return g->paras[k].in;
}

const struct pr_text *pr_galley_para(const struct pr_galley *g, int k, int *looseness)
{
    const struct pr_galley_para *gp = &g->paras[k];
    if (looseness)
        *looseness = gp->looseness;
    return gp->set[gp->looseness + PR_LOOSENESS_MAX];
}

/* A text set again is the same paragraph: what setting it counts and
 * reports (lines, missing glyphs, their diagnostics) was counted and
 * reported the first time. */
static struct pr_text *set_again(struct pr_typeset *ts, const struct pr_galley_para *gp, int looseness)
{
    struct pr_diags *d = &ts->b->diags;
    unsigned n = d->n, errors = d->errors, warnings = d->warnings;
    long lines = ts->lines, missing = ts->missing_glyphs, overflow = ts->overflow_lines;
    struct pr_textopts o = gp->o;
    o.looseness = looseness;
    ts->cur_pos = gp->pos;
    struct pr_text *t = pr_text_inlines(ts, gp->in, &o);
    for (unsigned i = n; i < d->n; i++)
        free(d->v[i].msg);
    d->n = n;
    d->errors = errors;
    d->warnings = warnings;
    ts->lines = lines;
    ts->missing_glyphs = missing;
    ts->overflow_lines = overflow;
    return t;
}

int pr_galley_set_para(struct pr_typeset *ts, struct pr_galley *g, int k, int looseness, int *at)
{
    assert(ts->b->arena == g->arena); /* between redirect and restore */
    assert(k >= 0 && k < g->nparas && looseness >= -PR_LOOSENESS_MAX && looseness <= PR_LOOSENESS_MAX);
    struct pr_galley_para *gp = &g->paras[k];
    const struct pr_text *cur = gp->set[gp->looseness + PR_LOOSENESS_MAX];
    struct pr_items *its = &g->items;
    int first = 0;
    while (first < its->n && !(its->v[first].kind == PR_IT_LINE && its->v[first].text == cur))
        first++;
    *at = first;
    if (first == its->n || looseness == gp->looseness)
        return 0;
    struct pr_text **slot = &gp->set[looseness + PR_LOOSENESS_MAX];
    if (!*slot)
        *slot = set_again(ts, gp, looseness);
    const struct pr_text *t = *slot;
    if (t->nlines == 0 || (t->nlines == cur->nlines && looseness != 0))
        return 0; /* it cannot be set shorter (longer): left as it is */
    /* the first line's item keeps what was attached to it (a drop cap, a
     * list marker, a destination) and its break (kept with a heading);
     * the others are made as text_items makes them */
    struct pr_item head = its->v[first], rest = head;
    rest.boxes = NULL;
    rest.nboxes = 0;
    rest.dest = NULL;
    rest.grid = head.grid && fabs(t->leading - ts->L->baseline) < 0.01;
    int old = cur->nlines, delta = t->nlines - old;
    for (int i = 0; i < delta; i++)
        pr_items_push(g->arena, its);
    int tail = first + old; /* the first item after the paragraph, before the move */
    memmove(&its->v[tail + delta], &its->v[tail], (size_t)(its->n - (delta > 0 ? delta : 0) - tail) * sizeof *its->v);
    if (delta < 0)
        its->n += delta;
    for (int i = 0; i < t->nlines; i++) {
        struct pr_item *it = &its->v[first + i];
        *it = i == 0 ? head : rest;
        if (i > 0)
            pr_flow_line_breaks(it, i, t->nlines, gp->keep_lines, t->lines[i - 1].hyphenated,
                                ts->L->hyphen_last_line);
        it->height = t->leading;
        it->text = t;
        it->line = i;
    }
    gp->looseness = looseness;
    return delta;
}

/* ---------- what a galley owns ---------- */

struct pr_ts_alloc pr_galley_redirect_alloc(struct pr_typeset *ts, struct pr_galley *g)
{
    struct pr_ts_alloc build = {ts->b->arena, ts->texts, ts->ntexts, ts->texts_cap};
    if (!g->arena)
        g->arena = pr_arena_new();
    ts->b->arena = g->arena;
    ts->texts = g->texts;
    ts->ntexts = g->ntexts;
    ts->texts_cap = g->texts_cap;
    return build;
}

void pr_galley_restore_alloc(struct pr_typeset *ts, struct pr_galley *g, struct pr_ts_alloc build)
{
    assert(ts->b->arena == g->arena);
    g->texts = ts->texts;
    g->ntexts = ts->ntexts;
    g->texts_cap = ts->texts_cap;
    ts->b->arena = build.arena;
    ts->texts = build.texts;
    ts->ntexts = build.ntexts;
    ts->texts_cap = build.texts_cap;
}

void pr_galley_free(struct pr_galley *g)
{
    for (int i = 0; i < g->ntexts; i++)
        pr_text_free(g->texts[i]);
    pr_arena_free(g->arena);
    g->arena = NULL;
    g->texts = NULL;
    g->ntexts = g->texts_cap = 0;
    memset(&g->opener, 0, sizeof g->opener);
    memset(&g->items, 0, sizeof g->items);
    g->place = NULL;
    g->paras = NULL;
    g->nparas = g->paras_cap = 0;
}

/* toc.c - typesetting: the printed table of contents, grouped by section,
 * each entry's title, byline and folio, linked to the article; and the
 * masthead's staff box and colophon beside it. Called by pages.c twice:
 * before the articles are set, to count its pages (its length does not
 * depend on the folios it prints, each in a box of its own width), and at
 * the end with the folios. Reads the entries; writes one box list per
 * page, relative to the text area's left edge.
 *
 * The contents fill their page as a designed page does: the entries
 * spread down the page when they are few (a little more space between
 * them, within limits); squeezed a little when a few would spill onto a
 * page of their own; in two columns when a long list has the width (and
 * no masthead takes the outer column). The staff box stands at the foot
 * of the outer column of the first contents page (one-column layouts:
 * under the entries). */
#include "typeset.h"
#include <math.h>
#include <string.h>

/* The next page's list; past max, the last one takes the rest. */
static struct pr_boxes *page(struct pr_boxes *pages, int *n, int max)
{
    if (*n >= max)
        return &pages[max - 1];
    return &pages[(*n)++];
}

/* One entry, set. */
struct entry {
    struct pr_text *sec, *title, *by, *num;
    const char *dest;
    double h; /* its height without the space after it */
};

/* Where the entries go: columns of width w at x[0..ncols-1], from y0 on
 * the first page (below the heading), from the top on the others, with
 * `gap` after each entry. */
struct plan {
    double x[2], w, y0, gap;
    int ncols;
};

struct toc {
    struct pr_typeset *ts;
    const struct pr_layout *L;
    const char *lang;
    struct pr_font title_font;
    double tw, numw, bottom;
    struct entry *e;
    int n;
    struct pr_tag *root, *list; /* the contents in the structure: its story, its TOC */
};

static double sec_before(const struct pr_layout *L)
{
    return L->label.leading * 0.6;
}

static void set_entries(struct toc *c, const struct pr_toc_entry *src, double w)
{
    const struct pr_layout *L = c->L;
    const char *section = NULL;
    for (int i = 0; i < c->n; i++) {
        struct entry *e = &c->e[i];
        memset(e, 0, sizeof *e);
        e->dest = src[i].dest;
        struct pr_textopts o;
        if (src[i].section && (!section || strcmp(section, src[i].section) != 0)) {
            section = src[i].section;
            o = pr_topts(c->ts, &L->label, w, PR_ALIGN_LEFT, c->lang);
            e->sec = pr_text_plain(c->ts, section, &o);
        }
        o = pr_topts(c->ts, &c->title_font, w - c->numw, PR_ALIGN_LEFT, c->lang);
        o.link_dest = e->dest;
        e->title = pr_text_plain(c->ts, src[i].title, &o);
        if (src[i].byline) {
            o = pr_topts(c->ts, &L->byline, w - c->numw, PR_ALIGN_LEFT, c->lang);
            o.link_dest = e->dest;
            e->by = pr_text_plain(c->ts, src[i].byline, &o);
        }
        char num[16];
        snprintf(num, sizeof num, "%d", src[i].page);
        o = pr_topts(c->ts, &c->title_font, c->numw, PR_ALIGN_RIGHT, c->lang);
        o.link_dest = e->dest;
        e->num = pr_text_plain(c->ts, num, &o);
        e->h = (e->sec ? sec_before(L) + e->sec->nlines * e->sec->leading + L->label.leading * 0.2 : 0) +
               e->title->nlines * e->title->leading + (e->by ? e->by->nlines * e->by->leading : 0);
    }
}

/* Flow the entries by plan p: the pages it takes, and on the last page
 * how far down its deepest column reaches (*end). Emits boxes when
 * pages is not NULL. */
static int flow(const struct toc *c, const struct plan *p, struct pr_boxes *pages, int max, double *end)
{
    const struct pr_layout *L = c->L;
    int np = 1, col = 0;
    double top = p->y0, y = top, deep = y;
    struct pr_boxes *bx = pages ? &pages[0] : NULL;
    for (int i = 0; i < c->n; i++) {
        const struct entry *e = &c->e[i];
        if (y + e->h > c->bottom && y > top + 1) {
            if (++col >= p->ncols) {
                col = 0;
                np++;
                top = L->margin_top;
                deep = top;
                if (pages)
                    bx = &pages[np - 1 < max ? np - 1 : max - 1];
            }
            y = top;
        }
        double x = p->x[col];
        if (e->sec) {
            y += sec_before(L);
            if (pages) {
                /* a section: an item of the contents holding its label */
                bx->tag = pr_tag_new(bx->arena, pr_tag_new(bx->arena, c->list, PR_TAG_TOCI), PR_TAG_P);
                y = pr_add_lines(c->ts, bx, e->sec, x, y, PR_ROLE_LABEL, 1, &L->label);
            } else
                y += e->sec->nlines * e->sec->leading;
            y += L->label.leading * 0.2;
        }
        double first_base = y + pr_ascent_of(&c->title_font, 1);
        if (pages) {
            /* an entry: an item whose paragraph links to the article */
            bx->tag = pr_tag_new(bx->arena, pr_tag_new(bx->arena, c->list, PR_TAG_TOCI), PR_TAG_P);
            y = pr_add_lines(c->ts, bx, e->title, x, y, PR_ROLE_TOC, 1, &c->title_font);
            if (e->by)
                y = pr_add_lines(c->ts, bx, e->by, x, y, PR_ROLE_TOC, 1, &L->byline);
            /* the folio, right-aligned on the title's first line */
            struct pr_box *nb = pr_put_box(bx, pr_line_box(c->ts, e->num, 0, x + p->w - c->numw, first_base, PR_ROLE_TOC));
            nb->link_dest = e->dest;
            bx->tag = NULL;
        } else {
            y += e->title->nlines * e->title->leading + (e->by ? e->by->nlines * e->by->leading : 0);
        }
        deep = fmax(deep, y);
        y += p->gap;
    }
    *end = deep;
    return np;
}

/* ---------- the masthead ---------- */

struct staff_line {
    struct pr_text *t;
    const struct pr_font *f;
    double before;
};

/* The staff box's lines, set w wide; their height in *h. */
static int staff_lines(const struct toc *c, const struct pr_masthead *m, double w, struct staff_line *out,
                       int max, double *h)
{
    const struct pr_layout *L = c->L;
    const struct pr_issue *is = c->ts->issue;
    int n = 0;
    *h = 0;
#define ADD(text, font, space)                                                                            \
    do {                                                                                                  \
        if ((text) && *(text) && n < max) {                                                               \
            struct pr_textopts o_ = pr_topts(c->ts, (font), w, PR_ALIGN_LEFT, c->lang);                   \
            o_.hyphenate = false;                                                                         \
            out[n] = (struct staff_line){pr_text_plain(c->ts, (text), &o_), (font), (space)};             \
            *h += out[n].before + out[n].t->nlines * out[n].t->leading;                                   \
            n++;                                                                                          \
        }                                                                                                 \
    } while (0)
    ADD(is->title, &L->label, 0);
    struct pr_font *name = pr_arena_alloc(c->ts->b->arena, sizeof *name);
    *name = L->caption; /* names upright, the notes under them italic */
    name->italic = false;
    for (int i = 0; i < m->nstaff; i++) {
        ADD(m->staff[i].role, &L->label, L->caption.leading * 0.5);
        for (int k = 0; k < m->staff[i].nnames; k++)
            ADD(m->staff[i].names[k], name, 0);
    }
    double para = L->caption.leading * 0.6;
    ADD(is->publisher, name, para);
    ADD(m->address, name, is->publisher ? 0 : para);
    ADD(m->email, name, 0);
    ADD(m->web, name, 0);
    if (m->issn) {
        char *s = pr_arena_printf(c->ts->b->arena, "ISSN %s", m->issn);
        ADD(s, name, para);
    }
    ADD(m->colophon, &L->caption, para);
#undef ADD
    return n;
}

/* The staff box, its lines set w wide. */
struct staff {
    struct staff_line v[96];
    int n;
    double w, h; /* h: its lines' height, with the rule's room above them */
};

static void staff_set(const struct toc *c, double w, struct staff *st)
{
    st->w = w;
    st->n = staff_lines(c, c->ts->issue->masthead, w, st->v, 96, &st->h);
    st->h += c->L->baseline;
}

/* The staff box at x, its last line at `bottom` (or its first at `top`
 * when top >= 0), under a rule. */
static void staff_box(const struct toc *c, struct pr_boxes *bx, const struct staff *st, double x, double bottom,
                      double top)
{
    const struct pr_layout *L = c->L;
    if (st->n == 0)
        return;
    double y = top >= 0 ? top : bottom - (st->h - L->baseline);
    pr_add_rule(bx, x, y - L->baseline * 0.4, st->w, 0.8, L->accent);
    /* a section of the contents' story, a paragraph a line */
    struct pr_tag *sect = pr_tag_new(bx->arena, c->root, PR_TAG_SECT);
    for (int i = 0; i < st->n; i++) {
        bx->tag = pr_tag_new(bx->arena, sect, PR_TAG_P);
        y = pr_add_lines(c->ts, bx, st->v[i].t, x, y + st->v[i].before, PR_ROLE_STAFF, 1, st->v[i].f);
    }
    bx->tag = NULL;
}

/* ---------- the page ---------- */

/* The heading and the issue's particulars; returns where entries start.
 * Makes the contents' story (c->root, c->list). */
static double heading(struct toc *c, struct pr_boxes *bx)
{
    const struct pr_layout *L = c->L;
    const struct pr_issue *is = c->ts->issue;
    double y = L->margin_top;
    const char *word = pr_words_for(is->language)->contents;
    c->root = pr_tag_story(bx->arena, PR_TAG_SECT, PR_STORY_CONTENTS, word, is->language);
    struct pr_textopts o = pr_topts(c->ts, &L->title, c->tw, PR_ALIGN_LEFT, is->language);
    struct pr_text *t = pr_text_plain(c->ts, word, &o);
    bx->tag = pr_tag_new(bx->arena, c->root, PR_TAG_H1);
    y = pr_add_lines(c->ts, bx, t, 0, y, PR_ROLE_TITLE, 1, &L->title);
    bx->tag = pr_tag_new(bx->arena, c->root, PR_TAG_P);
    GString *g = g_string_new(is->issue ? is->issue : "");
    if (is->volume)
        g_string_append_printf(g, " \xC2\xB7 Volume %d", is->volume);
    if (is->number)
        g_string_append_printf(g, ", Number %d", is->number);
    if (is->date)
        g_string_append_printf(g, " \xC2\xB7 %s", is->date);
    o = pr_topts(c->ts, &L->byline, c->tw, PR_ALIGN_LEFT, is->language);
    t = pr_text_plain(c->ts, g->str, &o);
    g_string_free(g, TRUE);
    y = pr_add_lines(c->ts, bx, t, 0, y, PR_ROLE_TOC, 1, &L->byline);
    bx->tag = NULL;
    c->list = pr_tag_new(bx->arena, c->root, PR_TAG_TOC);
    pr_add_rule(bx, 0, y + L->baseline * 0.5, c->tw, 0.8, L->accent);
    return y + L->baseline * 1.5;
}

/* Choose how the entries go (see the top of the file). */
static struct plan choose(struct toc *c, const struct pr_toc_entry *src, double y0, double side)
{
    const struct pr_layout *L = c->L;
    double lead = L->toc.leading, end;
    double w = fmin(c->tw - side, L->toc.size * 34);
    struct plan p = {{0, 0}, w, y0, lead * 0.45, 1};
    set_entries(c, src, w);
    if (flow(c, &p, NULL, 1, &end) == 1) {
        /* few: spread them down the page, at most 1.5 lines more apart */
        if (c->n > 1)
            p.gap += fmin((c->bottom - end) / (c->n - 1), lead * 1.5);
        return p;
    }
    p.gap = lead * 0.15;
    if (flow(c, &p, NULL, 1, &end) == 1)
        return p;
    p.gap = lead * 0.45;
    double w2 = (c->tw - L->gutter) / 2;
    if (side == 0 && L->columns >= 2 && w2 >= L->toc.size * 20) {
        p = (struct plan){{0, w2 + L->gutter}, w2, y0, lead * 0.45, 2};
        set_entries(c, src, w2);
    }
    return p;
}

int pr_toc_set(struct pr_typeset *ts, const struct pr_toc_entry *e, int n, struct pr_boxes *pages, int max_pages)
{
    const struct pr_layout *L = ts->L;
    const struct pr_issue *is = ts->issue;
    struct toc c = {ts, L, is->language, L->toc, pr_text_w(L), L->toc.size * 2.5,
                    L->page_h - L->margin_bottom, NULL, n, NULL, NULL};
    c.title_font.weight = 700;
    c.e = pr_arena_alloc(ts->b->arena, (size_t)(n ? n : 1) * sizeof *c.e);
    int np = 0;
    struct pr_boxes *bx = page(pages, &np, max_pages);
    double y0 = heading(&c, bx);
    /* the masthead takes the outer column of a layout of columns */
    bool mast = is->masthead != NULL;
    double col_w = (c.tw - (L->columns - 1) * L->gutter) / (L->columns > 0 ? L->columns : 1);
    bool beside = mast && L->columns >= 2;
    double side = beside ? col_w + L->gutter : 0;
    struct plan p = choose(&c, e, y0, side);
    double end;
    int need = flow(&c, &p, NULL, 1, &end);
    while (np < need && np < max_pages)
        page(pages, &np, max_pages);
    flow(&c, &p, pages, max_pages, &end);
    if (mast) {
        struct staff st;
        staff_set(&c, beside ? col_w : fmin(c.tw, L->toc.size * 34), &st);
        if (beside)
            staff_box(&c, &pages[0], &st, c.tw - col_w, c.bottom, -1);
        else if (end + st.h <= c.bottom)
            staff_box(&c, &pages[np - 1], &st, 0, c.bottom, -1);
        else {
            bx = page(pages, &np, max_pages);
            staff_box(&c, bx, &st, 0, c.bottom, np > need ? L->margin_top + L->baseline : -1);
        }
    }
    return np;
}

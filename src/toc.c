/* toc.c - typesetting: the printed table of contents, grouped by section,
 * each entry's title, byline and folio, linked to the article. Called by
 * pages.c twice: before the articles are set, to count its pages (its
 * length does not depend on the folios it prints, each in a box of its own
 * width), and at the end with the folios. Reads the entries; writes one
 * box list per page, relative to the text area's left edge. */
#include "typeset.h"
#include <string.h>

/* The next page's list; past max, the last one takes the rest. */
static struct pr_boxes *page(struct pr_boxes *pages, int *n, int max)
{
    if (*n >= max)
        return &pages[max - 1];
    return &pages[(*n)++];
}

int pr_toc_set(struct pr_typeset *ts, const struct pr_toc_entry *e, int n,
               struct pr_boxes *pages, int max_pages)
{
    const struct pr_layout *L = ts->L;
    const struct pr_issue *is = ts->issue;
    double tw = pr_text_w(L);
    double w = tw > L->toc.size * 34 ? L->toc.size * 34 : tw;
    double numw = L->toc.size * 2.5;
    double bottom = L->page_h - L->margin_bottom;
    int np = 0;
    struct pr_boxes *bx = page(pages, &np, max_pages);
    double y = L->margin_top;
    /* heading and the issue's particulars */
    struct pr_textopts o = pr_topts(ts, &L->title, tw, PR_ALIGN_LEFT, is->language);
    struct pr_text *t = pr_text_plain(ts, pr_words_for(is->language)->contents, &o);
    y = pr_add_lines(ts, bx, t, 0, y, PR_ROLE_TITLE, 1, &L->title);
    GString *g = g_string_new(is->issue ? is->issue : "");
    if (is->volume)
        g_string_append_printf(g, " \xC2\xB7 Volume %d", is->volume);
    if (is->number)
        g_string_append_printf(g, ", Number %d", is->number);
    if (is->date)
        g_string_append_printf(g, " \xC2\xB7 %s", is->date);
    o = pr_topts(ts, &L->byline, tw, PR_ALIGN_LEFT, is->language);
    t = pr_text_plain(ts, g->str, &o);
    g_string_free(g, TRUE);
    y = pr_add_lines(ts, bx, t, 0, y, PR_ROLE_TOC, 1, &L->byline);
    pr_add_rule(bx, 0, y + L->baseline * 0.5, tw, 0.8, L->accent);
    y += L->baseline * 1.5;
    const char *section = NULL;
    struct pr_font title_font = L->toc;
    title_font.weight = 700;
    for (int i = 0; i < n; i++) {
        struct pr_text *sec = NULL;
        if (e[i].section && (!section || strcmp(section, e[i].section) != 0)) {
            section = e[i].section;
            o = pr_topts(ts, &L->label, w, PR_ALIGN_LEFT, is->language);
            sec = pr_text_plain(ts, section, &o);
        }
        o = pr_topts(ts, &title_font, w - numw, PR_ALIGN_LEFT, is->language);
        o.link_dest = e[i].dest;
        struct pr_text *tt = pr_text_plain(ts, e[i].title, &o);
        struct pr_text *bt = NULL;
        if (e[i].byline) {
            o = pr_topts(ts, &L->byline, w - numw, PR_ALIGN_LEFT, is->language);
            o.link_dest = e[i].dest;
            bt = pr_text_plain(ts, e[i].byline, &o);
        }
        double need = (sec ? L->label.leading * 2 : 0) + tt->nlines * tt->leading +
                      (bt ? bt->nlines * bt->leading : 0);
        if (y + need > bottom && y > L->margin_top + 1) {
            bx = page(pages, &np, max_pages);
            y = L->margin_top;
        }
        if (sec) {
            y += L->label.leading * 0.6;
            y = pr_add_lines(ts, bx, sec, 0, y, PR_ROLE_LABEL, 1, &L->label);
            y += L->label.leading * 0.2;
        }
        double first_base = y + pr_ascent_of(&title_font, 1);
        y = pr_add_lines(ts, bx, tt, 0, y, PR_ROLE_TOC, 1, &title_font);
        if (bt)
            y = pr_add_lines(ts, bx, bt, 0, y, PR_ROLE_TOC, 1, &L->byline);
        /* the folio, right-aligned on the title's first line */
        char num[16];
        snprintf(num, sizeof num, "%d", e[i].page);
        o = pr_topts(ts, &title_font, numw, PR_ALIGN_RIGHT, is->language);
        o.link_dest = e[i].dest;
        struct pr_text *nt = pr_text_plain(ts, num, &o);
        struct pr_box *nb = pr_push_box(bx);
        *nb = pr_line_box(ts, nt, 0, w - numw, first_base, PR_ROLE_TOC);
        nb->link_dest = e[i].dest;
        y += L->toc.leading * 0.45;
    }
    return np;
}

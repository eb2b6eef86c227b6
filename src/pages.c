/* pages.c - typesetting, top level: makes the book. Sets the articles as
 * galleys (galley.c, on worker threads: workers.c), a batch of articles at
 * a time, makes each galley's pages with running heads and folios
 * (furniture.c) and hands them to the back ends (pr_page_sink), then frees
 * the batch, so that memory stays flat however long the issue. The cover
 * comes first; the table of contents (toc.c) is set before the articles
 * to count its pages (its length does not depend on the numbers it prints)
 * and again at the end with the page numbers, handed over last; the print
 * slug lines ("page N of M") are set at the end. Called by build.c through
 * pr_pages_run; reads the issue model only, writes the page model. */
#include "pages.h"
#include "words.h"
#include "flatplan.h"
#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* ---------- pages ---------- */

/* A new page at the end of the book, its folio its number; in the build's
 * arena. Adding a page may move the page array. */
static struct pr_page *new_page(struct pr_typeset *ts, int article)
{
    struct pr_book *bk = ts->book;
    struct pr_arena *A = ts->b->arena;
    struct pr_page *pg = PR_PUSH(A, bk->pages, bk->npages, bk->cap);
    pg->number = bk->npages;
    pg->folio = pr_arena_printf(A, "%d", pg->number);
    pg->article = article;
    pg->runs_to = article;
    return pg;
}

/* ---------- handing pages to the back ends ---------- */

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

/* ---------- the run ---------- */

/* How much article text a batch holds: the galleys of a batch are set
 * (in parallel), made into pages, painted and freed before the next batch
 * is set, so that memory does not grow with the issue. */
#define BATCH_TEXT (96 * 1024)

/* The end of the batch that starts at galley `from`: at least one galley
 * per worker, and galleys until the batch holds BATCH_TEXT of text. */
static int batch_end(const struct pr_galley *gal, int from, int ng, int jobs)
{
    double text = 0;
    int i = from;
    while (i < ng && (i - from < jobs || text < BATCH_TEXT))
        text += (double)gal[i++].art->body_len + 1000;
    while (i < ng && gal[i].host >= 0) /* a chain of `continue` articles stays together */
        i++;
    return i;
}

/* What the steps of pr_pages_run share. */
struct run {
    struct pr_typeset *ts;
    const struct pr_page_sink *sink;
    struct pr_galley *gal;       /* the editorial, then each article */
    int ng;
    struct pr_toc_entry *te;     /* one per galley */
    struct pr_boxes *toc;        /* the contents' pages, set first to count them */
    int ntoc, max_toc;
    int toc_first;               /* index of its first page in the book */
    struct handout h;
    const char *cur_section;     /* of the last article in the outline */
    struct pr_plan *plan;        /* where ads, fillers and blank pages go (flatplan.c) */
    struct pr_fit_trims *trims;  /* the fractional ads' sizes, for the fitter */
    struct pr_slots slots;       /* its last answer */
};

/* A page of a supplied file (an ad, a full-page filler): the file in a
 * slot the size of the page, reaching into the bleed. */
static void whole_page_ad(struct pr_typeset *ts, struct pr_page *pg, const struct pr_ad *ad)
{
    struct pr_boxes bx = pr_page_boxes(ts->b->arena, pg);
    bx.tag = pr_tag_ad_story(ts->b->arena, ts->issue, ad);
    pr_add_ad(&bx, ad, 0, 0, ts->L->page_w, ts->L->page_h)->bleed = true;
    pr_page_set_boxes(pg, &bx);
}

/* The pages the plan asks for (slots; NULL: none), made at the end of the
 * book. Handed to the back ends by whoever hands the pages around them. */
static void plan_pages(struct run *r, const struct pr_slots *slots)
{
    struct pr_typeset *ts = r->ts;
    const struct pr_issue *is = ts->issue;
    for (int i = 0; slots && i < slots->n; i++) {
        const struct pr_slot *s = &slots->v[i];
        const struct pr_ad *ad = s->kind == PR_SLOT_AD ? &is->ads[s->index]
                                 : s->kind == PR_SLOT_FILLER ? &is->fillers[s->index] : NULL;
        struct pr_page *pg = new_page(ts, s->kind == PR_SLOT_AD ? PR_PAGE_AD
                                          : s->kind == PR_SLOT_FILLER ? PR_PAGE_FILLER : PR_PAGE_BLANK);
        pg->ad = ad ? s->index : -1;
        if (ad && ad->path && ad->kind != PR_ASSET_MARKDOWN)
            whole_page_ad(ts, pg, ad);
        if (s->kind == PR_SLOT_BLANK)
            pr_diag(&ts->b->diags, PR_D_FLATPLAN, (struct pr_pos){is->manifest_path, 0, 0},
                    "page %d is blank: %s starts on a %s page; add an ad with 'at: any' or a "
                    "full-page filler, or change its 'start:'",
                    pg->number, s->why ? s->why : "an article",
                    pg->number % 2 ? "left-hand" : "right-hand");
    }
}

/* The plan's pages, made and handed over. */
static void plan_hand(struct run *r, int n)
{
    int before = r->ts->book->npages;
    if (!n)
        return;
    plan_pages(r, &r->slots);
    for (int p = before; p < r->ts->book->npages; p++)
        hand(&r->h, p);
}

/* Empty box lists for the galley's pages, in the galley's arena. Each
 * page's boxes are counted first, so that its array is allocated once
 * (growing it in the arena would leave every smaller copy behind). */
static struct pr_boxes *galley_page_lists(const struct pr_galley *g)
{
    int *count = pr_xmalloc((size_t)g->npages * sizeof *count);
    for (int p = 0; p < g->npages; p++)
        count[p] = p == 0 ? g->opener.n + 1 : 0;
    for (int i = 0; i < g->items.n; i++) {
        const struct pr_item *it = &g->items.v[i];
        int rep = g->place[i].repeat;
        if (it->kind != PR_IT_SPACE && g->place[i].page < g->npages)
            count[g->place[i].page] += it->nboxes + (it->kind == PR_IT_LINE && it->text) +
                                       (rep > 0 && rep <= g->items.n ? g->items.v[rep - 1].nboxes : 0) +
                                       (it->table ? 1 : 0);
    }
    struct pr_boxes *bx = pr_xmalloc((size_t)g->npages * sizeof *bx);
    for (int p = 0; p < g->npages; p++) {
        bx[p].arena = g->arena;
        bx[p].tag = NULL;
        bx[p].n = 0;
        bx[p].cap = count[p] + 8; /* and the running head, folio, rule */
        bx[p].v = pr_arena_alloc(g->arena, (size_t)bx[p].cap * sizeof *bx[p].v);
    }
    free(count);
    return bx;
}

/* The opener on the first page, then each item where the flow placed it.
 * An article in a language written right to left reads from the right:
 * its columns go right to left, and its opener is mirrored (a lead image
 * narrower than the page on the right, the text beside it on the left). */
static void galley_boxes(struct pr_typeset *ts, const struct pr_galley *g, struct pr_page *const *pages,
                         struct pr_boxes *bx)
{
    const struct pr_layout *L = ts->L;
    double cw = g->frame.col_w;
    double x0 = pr_text_x(L, pages[0]->number);
    bool rtl = pr_lang_rtl(g->art->language);
    int ncols = g->frame.columns;
    for (int i = 0; i < g->opener.n; i++) {
        struct pr_box *ob = pr_push_box(&bx[0]);
        *ob = g->opener.v[i];
        if (rtl)
            ob->x = pr_text_w(L) - ob->x - ob->w;
        ob->x += x0;
    }
    for (int i = 0; i < g->items.n; i++) {
        const struct pr_item *it = &g->items.v[i];
        const struct pr_place *pl = &g->place[i];
        if (it->kind == PR_IT_SPACE || pl->page >= g->npages)
            continue;
        struct pr_boxes *page_bx = &bx[pl->page];
        int col = rtl && it->kind != PR_IT_SPAN ? ncols - 1 - pl->col : pl->col;
        double cx = pr_text_x(L, pages[pl->page]->number) + col * (cw + L->gutter);
        /* a table's header again above its first row in this column */
        if (pl->repeat > 0 && pl->repeat <= g->items.n) {
            const struct pr_item *hd = &g->items.v[pl->repeat - 1];
            for (int k = 0; k < hd->nboxes; k++) {
                struct pr_box *ab = pr_push_box(page_bx);
                *ab = hd->boxes[k];
                ab->x += cx + hd->x;
                ab->y += pl->y - hd->height;
                ab->dest = NULL;
                ab->tag = NULL; /* read once, where it was first set */
            }
        }
        /* attached boxes (drop caps, markers) first: the content stream
         * then reads in order */
        for (int k = 0; k < it->nboxes; k++) {
            struct pr_box *ab = pr_push_box(page_bx);
            *ab = it->boxes[k];
            ab->x += cx + (it->kind == PR_IT_FLOAT ? 0 : it->x);
            ab->y += pl->y;
            if (k == 0 && it->dest && !(it->kind == PR_IT_LINE && it->text))
                ab->dest = it->dest;
        }
        /* a table that goes on in another column closes this one with its rule */
        if (it->table && !it->head && i + 1 < g->items.n && g->items.v[i + 1].table == it->table &&
            L->table_style.rules != PR_TRULES_NONE &&
            (g->place[i + 1].page != pl->page || g->place[i + 1].col != pl->col)) {
            double heavy = L->table_style.rule * (L->table_style.rules == PR_TRULES_GRID ? 1 : 2);
            struct pr_box *r = pr_add_rule(page_bx, cx + it->x, pl->y + it->height - heavy / 2, it->width, heavy,
                                           L->table_style.rules == PR_TRULES_GRID ? L->rule : L->table.color);
            r->role = PR_ROLE_TABLE;
        }
        if (it->kind == PR_IT_LINE && it->text) {
            struct pr_box *lb = pr_push_box(page_bx);
            *lb = pr_line_box(ts, it->text, it->line, cx + it->x, pl->y + it->ascent, it->role);
            lb->dest = it->dest;
            lb->tag = it->tag;
        }
    }
}

/* The galley's fractional ad across the columns, at the foot of its page. */
static void band_ad(struct pr_typeset *ts, const struct pr_galley *g, struct pr_page *const *pages,
                    struct pr_boxes *bx)
{
    const struct pr_layout *L = ts->L;
    const struct pr_frame *fr = &g->frame;
    int p = fr->band_page;
    if (!g->band_ad || fr->band_h <= 0 || p < 0 || p >= g->npages)
        return;
    double gap = L->baseline;
    bx[p].tag = pr_tag_ad_story(g->arena, ts->issue, g->band_ad);
    pr_add_ad(&bx[p], g->band_ad, pr_text_x(L, pages[p]->number), fr->bottom - fr->band_h + gap, pr_text_w(L),
              fr->band_h - gap);
    bx[p].tag = NULL;
}

/* The citation line offprints print on an article's first page. */
static void citation(struct pr_typeset *ts, struct pr_boxes *bx, int page, int first, int last)
{
    const struct pr_layout *L = ts->L;
    const struct pr_issue *is = ts->issue;
    struct pr_arena *A = bx->arena;
    char *range = last > first ? pr_arena_printf(A, "pages %d\xE2\x80\x93%d", first, last)
                               : pr_arena_printf(A, "page %d", first);
    char *cite = pr_arena_printf(A, "From %s, %s%s%s, %s", is->title, is->issue ? is->issue : "",
                                 is->date ? ", " : "", is->date ? is->date : "", range);
    struct pr_font cf = L->caption;
    struct pr_textopts o = pr_topts(ts, &cf, pr_text_w(L) * 0.6, PR_ALIGN_CENTER, "en");
    struct pr_text *t = pr_text_plain(ts, cite, &o);
    double x0 = pr_text_x(L, page) + pr_text_w(L) * 0.2;
    double y = L->page_h - L->margin_bottom + L->baseline * 0.9;
    if (t->nlines)
        *pr_push_box(bx) = pr_line_box(ts, t, 0, x0, y, PR_ROLE_CITATION);
}

/* The running head of an article's pages: its title on right-hand pages,
 * the magazine's on left-hand ones. */
static const char *issue_head(struct pr_arena *A, const struct pr_issue *is)
{
    return pr_arena_printf(A, "%s \xC2\xB7 %s", is->title, is->issue ? is->issue : "");
}

/* The galley's pages: the pages in the book's arena (with the pages the
 * plan puts between them: an ad at `page N`), their boxes (and running
 * heads) and the texts on them owned by the galley. */
static void galley_pages(struct run *r, struct pr_galley *g)
{
    struct pr_typeset *ts = r->ts;
    struct pr_book *bk = ts->book;
    /* create every page first: pointers are taken only afterwards, since
     * adding a page may move the page array */
    int *idx = pr_xmalloc((size_t)g->npages * sizeof *idx);
    for (int p = 0; p < g->npages; p++) {
        if (p > 0)
            plan_pages(r, pr_plan_before_page(r->plan, bk->npages + 1, &r->slots) ? &r->slots : NULL);
        new_page(ts, g->article);
        idx[p] = bk->npages - 1;
    }
    struct pr_page **pages = pr_xmalloc((size_t)g->npages * sizeof *pages);
    g->page_no = pr_arena_alloc(g->arena, (size_t)g->npages * sizeof *g->page_no);
    for (int p = 0; p < g->npages; p++) {
        pages[p] = &bk->pages[idx[p]];
        g->page_no[p] = idx[p] + 1;
    }
    free(idx);
    struct pr_ts_alloc build = pr_galley_redirect_alloc(ts, g);
    struct pr_boxes *bx = galley_page_lists(g);
    galley_boxes(ts, g, pages, bx);
    band_ad(ts, g, pages, bx);
    citation(ts, &bx[0], pages[0]->number, pages[0]->number, pages[g->npages - 1]->number);
    const char *head = g->art->editorial ? "In This Issue" : g->art->title;
    for (int p = 0; p < g->npages; p++) {
        const char *h = pages[p]->number % 2 ? head : issue_head(g->arena, ts->issue);
        pr_furn_page(ts, &bx[p], pages[p], h, p == 0);
        pr_page_set_boxes(pages[p], &bx[p]);
    }
    free(bx);
    free(pages);
    pr_galley_restore_alloc(ts, g, build);
}

/* What a page is, for the flatplan. */
static const char *page_label(const struct pr_issue *is, const struct pr_page *pg)
{
    if (pg->padding)
        return "blank (binding)";
    switch (pg->article) {
    case PR_PAGE_FRONT:
        return pg->number == 1 ? "cover" : "contents";
    case PR_PAGE_EDITORIAL:
        return "editorial";
    case PR_PAGE_BACK:
        return pg->ad >= 0 ? "back cover (ad)" : "back cover";
    case PR_PAGE_AD:
        return "ad";
    case PR_PAGE_FILLER:
        return "filler";
    case PR_PAGE_BLANK:
        return "blank";
    default:
        return is->articles[pg->article].id;
    }
}

static struct pr_book *book_new(struct pr_typeset *ts)
{
    const struct pr_layout *L = ts->L;
    struct pr_arena *A = ts->b->arena;
    struct pr_book *bk = pr_arena_alloc(A, sizeof *bk);
    bk->page_w = L->page_w;
    bk->page_h = L->page_h;
    bk->bleed = L->bleed;
    bk->article_page = pr_arena_alloc(A, (size_t)(ts->issue->narticles + 1) * sizeof(int));
    bk->article_fit = pr_arena_alloc(A, (size_t)(ts->issue->narticles + 1) * sizeof *bk->article_fit);
    return bk;
}

/* The galleys, empty, and their contents entries (page numbers to come). */
static void galleys_new(struct run *r)
{
    const struct pr_issue *is = r->ts->issue;
    struct pr_arena *A = r->ts->b->arena;
    r->ng = is->narticles + (is->editorial ? 1 : 0);
    r->gal = pr_arena_alloc(A, (size_t)(r->ng ? r->ng : 1) * sizeof *r->gal);
    r->ts->galleys = r->gal;
    r->ts->ngalleys = r->ng;
    int k = 0;
    if (is->editorial) {
        r->gal[k].article = -2;
        r->gal[k].art = is->editorial;
        k++;
    }
    for (int i = 0; i < is->narticles; i++) {
        r->gal[k].article = i;
        r->gal[k].art = &is->articles[i];
        k++;
    }
    /* columns; a `continue` article runs on in the flow of the article
     * that opened its chain, in its columns */
    const struct pr_layout *L = r->ts->L;
    for (int i = 0; i < r->ng; i++) {
        struct pr_galley *g = &r->gal[i];
        g->host = -1;
        /* a poem: one column, unless the editor says otherwise */
        g->columns = g->art->columns > 0 ? g->art->columns : g->art->poem ? 1 : L->columns;
        if (g->art->start != PR_START_CONTINUE || g->art->editorial)
            continue;
        if (i == 0 || r->gal[i - 1].art->editorial) {
            pr_diag(&r->ts->b->diags, PR_D_FLATPLAN, g->art->pos,
                    "'%s' has 'start: continue' but no article before it to run on after; it starts "
                    "on a page of its own",
                    g->art->id);
            continue;
        }
        g->host = r->gal[i - 1].host >= 0 ? r->gal[i - 1].host : i - 1;
        g->columns = r->gal[g->host].columns;
        if (g->art->pages || g->art->columns)
            pr_diag(&r->ts->b->diags, PR_D_FLATPLAN, g->art->pages ? g->art->pages_pos : g->art->pos,
                    "'%s' runs on in the pages and columns of '%s' ('start: continue'): its own "
                    "'%s:' is not used; give it to the first article of the department",
                    g->art->id, r->gal[g->host].art->id, g->art->pages ? "pages" : "columns");
    }
    r->te = pr_arena_alloc(A, (size_t)(r->ng ? r->ng : 1) * sizeof *r->te);
    for (int i = 0; i < r->ng; i++) {
        const struct pr_article *art = r->gal[i].art;
        const char *by = pr_words_byline(A, art);
        if (art->translator)
            by = pr_arena_printf(A, "%s%s%s %s", by ? by : "", by ? " \xC2\xB7 " : "",
                                 pr_words_for(art->language)->translated_by, art->translator);
        r->te[i].section = art->editorial ? NULL : art->section;
        r->te[i].title = pr_lead_title(art);
        r->te[i].byline = by;
        r->te[i].dest = pr_arena_printf(A, "art-%s", art->id);
        r->te[i].page = 0;
    }
}

/* The cover, and the contents' pages: its length does not depend on the
 * page numbers it prints (each sits in a box of its own width), so it is
 * set now to count its pages, and again once every article has its pages. */
static void front_matter(struct run *r)
{
    struct pr_typeset *ts = r->ts;
    const struct pr_layout *L = ts->L;
    struct pr_book *bk = ts->book;
    r->max_toc = 4 + r->ng / 4;
    r->toc = pr_arena_alloc(ts->b->arena, (size_t)r->max_toc * sizeof *r->toc);
    for (int t = 0; t < r->max_toc; t++)
        r->toc[t].arena = ts->b->arena;
    r->ntoc = L->show_toc ? pr_toc_set(ts, r->te, r->ng, r->toc, r->max_toc) : 0;
    bk->toc_passes = r->ng ? 2 : 1;
    if (L->show_cover) {
        pr_furn_cover(ts, new_page(ts, -1));
        bk->pages[0].folio = pr_arena_strdup(ts->b->arena, "1");
        hand(&r->h, 0);
    }
    /* the inside front cover, then the contents */
    plan_hand(r, pr_plan_before_page(r->plan, bk->npages + 1, &r->slots));
    r->toc_first = bk->npages;
    for (int t = 0; t < r->ntoc; t++)
        new_page(ts, -1);
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
        pr_galley_free(&gal[i]);
}

static struct pr_outline *outline_push(struct pr_typeset *ts, const char *title, const char *dest, int page,
                                       int level)
{
    struct pr_book *bk = ts->book;
    struct pr_outline *o = PR_PUSH(ts->b->arena, bk->outline, bk->noutline, bk->outline_cap);
    o->title = title;
    o->dest = dest;
    o->page = page;
    o->level = level;
    return o;
}

/* The first page of galley i: its own, or for a `continue` article the
 * page of its host where its first item landed. */
static int first_page_of(const struct run *r, int i)
{
    const struct pr_galley *g = &r->gal[i];
    if (g->host < 0)
        return g->page_no[0];
    const struct pr_galley *h = &r->gal[g->host];
    int k = g->chain_from < h->items.n ? g->chain_from : h->items.n - 1;
    int p = k >= 0 ? h->place[k].page : 0;
    return h->page_no[p < h->npages ? p : h->npages - 1];
}

/* A `continue` article's text on its host's pages: each page it reaches
 * says so (runs_to), for its offprint. */
static void mark_run(struct run *r, int i)
{
    const struct pr_galley *g = &r->gal[i], *h = &r->gal[g->host];
    int end = i + 1 < r->ng && r->gal[i + 1].host == g->host ? r->gal[i + 1].chain_from : h->items.n;
    for (int k = g->chain_from; k < end; k++) {
        int p = h->place[k].page < h->npages ? h->place[k].page : h->npages - 1;
        struct pr_page *pg = &r->ts->book->pages[h->page_no[p] - 1];
        if (g->article > pg->runs_to)
            pg->runs_to = g->article;
    }
}

/* Galley i's pages, listed for the sink, the contents, the book's article
 * pages and the outline (sections at level 1, articles under them); the
 * ads the plan puts before and after it (after the chain it ends). */
static void article_pages(struct run *r, int i)
{
    struct pr_typeset *ts = r->ts;
    struct pr_book *bk = ts->book;
    struct pr_galley *g = &r->gal[i];
    int a = g->article >= 0 ? g->article : -1;
    if (g->host < 0) {
        plan_hand(r, pr_plan_before_article(r->plan, a, bk->npages + 1, &r->slots));
        int from = bk->npages;
        galley_pages(r, g);
        for (int p = from; p < bk->npages; p++)
            hand(&r->h, p);
    }
    int first = first_page_of(r, i);
    r->te[i].page = first;
    if (g->host >= 0)
        mark_run(r, i);
    const struct pr_article *art = g->art;
    if (art->editorial)
        bk->editorial_page = first;
    else {
        bk->article_page[g->article] = first;
        bk->article_fit[g->article] = g->fit;
    }
    if (art->section && (!r->cur_section || strcmp(r->cur_section, art->section) != 0) && !art->editorial) {
        r->cur_section = art->section;
        outline_push(ts, art->section, r->te[i].dest, first, 1);
    }
    outline_push(ts, pr_lead_title(art), r->te[i].dest, first, art->editorial || !art->section ? 0 : 2);
    if (i + 1 < r->ng && r->gal[i + 1].host >= 0)
        return;
    for (int j = g->host >= 0 ? g->host : i; j <= i; j++)
        plan_hand(r, pr_plan_after_article(r->plan, r->gal[j].article >= 0 ? r->gal[j].article : -1,
                                           bk->npages + 1, &r->slots));
}

/* The `continue` articles of galleys [from, to), set: their items join
 * their host's flow, which is flowed again. */
static void join_chains(struct run *r, int from, int to)
{
    for (int i = from; i < to; i++) {
        struct pr_galley *g = &r->gal[i];
        if (g->host < 0)
            continue;
        struct pr_galley *h = &r->gal[g->host];
        g->chain_from = h->items.n;
        for (int k = 0; k < g->items.n; k++)
            *pr_items_push(h->arena, &h->items) = g->items.v[k];
        g->npages = 0;
        if (i + 1 >= to || r->gal[i + 1].host != g->host)
            pr_galley_flow(h);
    }
}

/* The articles, a batch at a time: a batch is set while the one before it
 * is fitted and made into pages (on the workers' threads) and painted;
 * then, its painting done, that one is freed and this one fitted (the
 * fitter takes ads and fillers in article order, so one thread fits),
 * made into pages and handed over. */
static void articles(struct run *r)
{
    struct pr_typeset *ts = r->ts;
    struct pr_workers ws = pr_workers_new(ts, r->ng);
    int prev_from = 0, prev_to = 0, prev_first = 0;
    int to = r->ng > 0 ? batch_end(r->gal, 0, r->ng, ws.n) : 0;
    if (r->ng > 0)
        pr_workers_start(ts, &ws, r->gal, to);
    for (int from = 0; from < r->ng;) {
        pr_workers_finish(ts, &ws);
        join_chains(r, from, to);
        /* what Pango makes lazily for the batch's fonts, made before the
         * threads that set it go on with the same fonts (text.h) */
        for (int i = from; i < to; i++)
            pr_typeset_prepare_texts(r->gal[i].texts, r->gal[i].ntexts);
        /* the next batch is set meanwhile */
        int next_to = to < r->ng ? batch_end(r->gal, to, r->ng, ws.n) : to;
        if (to < r->ng)
            pr_workers_start(ts, &ws, r->gal + to, next_to - to);
        pr_copyfit_run(ts, r->gal, from, to, r->plan, r->trims);
        sink_wait(r->sink);
        free_batch(ts, r->gal, prev_from, prev_to, prev_first);
        int batch_first = ts->book->npages;
        for (int i = from; i < to; i++)
            article_pages(r, i);
        hand_over(ts, r->sink, &r->h);
        prev_from = from;
        prev_to = to;
        prev_first = batch_first;
        from = to;
        to = next_to;
    }
    sink_wait(r->sink);
    free_batch(ts, r->gal, prev_from, prev_to, prev_first);
    pr_workers_free(ts, &ws);
}

/* The end of the book: the ads still to place, the blank pages binding
 * needs (print only; full-page fillers first), the inside back cover and
 * the back cover (the layout's, or an ad). */
static void back_matter(struct run *r)
{
    struct pr_typeset *ts = r->ts;
    const struct pr_layout *L = ts->L;
    struct pr_book *bk = ts->book;
    const struct pr_build *bld = ts->b;
    int back_ad = -1;
    int n = pr_plan_end(r->plan, bk->npages + 1, &r->slots, &back_ad);
    for (int i = 0; i < n; i++) {
        const struct pr_slot *s = &r->slots.v[i];
        if (s->kind == PR_SLOT_BLANK) {
            struct pr_page *pg = new_page(ts, PR_PAGE_FRONT);
            pg->padding = true;
            pg->folio = NULL;
            bk->padding++;
        } else
            plan_pages(r, &(struct pr_slots){r->slots.v + i, 1, 1});
        hand(&r->h, bk->npages - 1);
    }
    for (int k = 0; k < ts->issue->nads; k++) {
        const struct pr_ad *ad = &ts->issue->ads[k];
        if (ad->size != PR_AD_FULL && ad->path && pr_plan_take_ad(r->plan, k, false))
            pr_diag(&ts->b->diags, PR_D_FLATPLAN, ad->pos,
                    "the ad '%s' found no hole big enough at the end of an article; place it "
                    "'after' an article, or give an article room for it ('pages:')",
                    ad->name ? ad->name : ad->file);
    }
    int total = bk->npages - bk->padding + (L->show_cover ? 1 : 0);
    if (bk->padding && (bld->opt.check_only || (bld->opt.formats & PR_FMT_PRINT)))
        pr_diag(&ts->b->diags, PR_D_PADDING, (struct pr_pos){ts->issue->manifest_path, 0, 0},
                "the print PDF gets %d blank page%s before the back cover: %d pages do not fill %s binding",
                bk->padding, bk->padding == 1 ? "" : "s", total,
                L->binding == PR_BIND_SADDLE ? "saddle-stitched (multiples of 4)" : "perfect (even)");
    if (L->show_cover) {
        struct pr_page *pg = new_page(ts, PR_PAGE_BACK);
        pg->folio = NULL;
        pg->ad = back_ad;
        if (back_ad >= 0 && ts->issue->ads[back_ad].path)
            whole_page_ad(ts, pg, &ts->issue->ads[back_ad]);
        else
            pr_furn_back_cover(ts, pg);
        hand(&r->h, bk->npages - 1);
    }
}

/* The contents again, now with its page numbers, onto its pages. */
static void contents(struct run *r)
{
    struct pr_typeset *ts = r->ts;
    struct pr_arena *A = ts->b->arena;
    if (!r->ntoc)
        return;
    for (int t = 0; t < r->max_toc; t++)
        r->toc[t] = (struct pr_boxes){A, NULL, 0, 0, NULL};
    int n = pr_toc_set(ts, r->te, r->ng, r->toc, r->ntoc);
    assert(n == r->ntoc); /* the numbers do not change its length */
    for (int t = 0; t < n; t++) {
        struct pr_page *pg = &ts->book->pages[r->toc_first + t];
        struct pr_boxes bx = pr_page_boxes(A, pg);
        double x0 = pr_text_x(ts->L, pg->number);
        for (int i = 0; i < r->toc[t].n; i++) {
            struct pr_box *tb = pr_push_box(&bx);
            *tb = r->toc[t].v[i];
            tb->x += x0;
        }
        pr_furn_page(ts, &bx, pg, issue_head(A, ts->issue), false);
        pr_page_set_boxes(pg, &bx);
        hand(&r->h, r->toc_first + t);
    }
}

/* What only the whole book knows: the print slug lines, which say how many
 * pages there are (set only when something shows them), and the pages'
 * labels (and for pressrun proof, the flatplan's). */
static void finish(struct run *r)
{
    struct pr_typeset *ts = r->ts;
    struct pr_book *bk = ts->book;
    const struct pr_build *bld = ts->b;
    if (ts->retain || (!bld->opt.check_only && (bld->opt.formats & PR_FMT_PRINT))) {
        bk->slugs = pr_arena_alloc(bld->arena, (size_t)(bk->npages ? bk->npages : 1) * sizeof *bk->slugs);
        for (int i = 0; i < bk->npages; i++)
            pr_furn_slug(ts, &bk->pages[i], &bk->slugs[i]);
    }
    for (int i = 0; i < bk->npages; i++)
        bk->pages[i].label = page_label(ts->issue, &bk->pages[i]);
    /* an article over or under its pages says so on its last page */
    for (int i = bk->npages - 1; i >= 0; i--) {
        struct pr_page *pg = &bk->pages[i];
        if (pg->article < 0 || (i + 1 < bk->npages && bk->pages[i + 1].article == pg->article))
            continue;
        const struct pr_fit *f = &bk->article_fit[pg->article];
        if (f->state != PR_FIT_FIT)
            pg->label = pr_arena_printf(bld->arena, "%s \xC2\xB7 %s %d", pg->label,
                                        f->state == PR_FIT_OVER ? "over" : "under", f->lines);
    }
    if (ts->retain && (bld->opt.formats & PR_FMT_PROOF))
        pr_furn_flatplan(ts);
}

void pr_pages_run(struct pr_typeset *ts, const struct pr_page_sink *sink)
{
    struct run r;
    memset(&r, 0, sizeof r);
    r.ts = ts;
    r.sink = sink;
    ts->book = book_new(ts);
    const struct pr_layout *L = ts->L;
    r.plan = pr_plan_new(ts->issue, L->show_cover,
                         L->binding == PR_BIND_SADDLE ? 4 : L->binding == PR_BIND_PERFECT ? 2 : 1,
                         &ts->b->diags);
    r.trims = pr_copyfit_trims_new(ts->issue);
    pr_furn_preflight_colors(ts);
    galleys_new(&r);
    front_matter(&r);
    articles(&r);
    back_matter(&r);
    contents(&r);
    finish(&r);
    hand_over(ts, sink, &r.h);
    free(r.h.v);
    free(r.slots.v);
    pr_plan_free(r.plan);
    pr_copyfit_trims_free(r.trims);
}

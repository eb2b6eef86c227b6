/* copyfit.c - typesetting: fits each article to its pages. An article
 * with `pages: N` is fitted to N pages; one without gets the pages its
 * copy needs, but a short tail never stands alone on a page of its own:
 * it is pulled back onto the pages before, or the page is grown into.
 * The levers are the layout's (`copyfit:`), tried in its order, each
 * within its limits: paragraph looseness (body paragraphs set a line
 * shorter or longer by the total-fit composer, as TeX's \looseness), the
 * lead image's height, pull quotes (the article's candidates added, its
 * own taken out), and fillers and fractional ads in the hole at the
 * article's end. What cannot be fitted is reported the
 * way editors read a copyfit report ("over by 7 lines (about 60 words) on
 * its 4 pages"). Called by pages.c on the main thread once a batch's
 * galleys are set and their chains joined; reads the galleys' flow and
 * changes only their items, opener and flow. */
#include "pages.h"
#include "flatplan.h"
#include "pdfad.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A last page filled this far is full: the copyfit report calls an
 * article on its pages under when its last page is filled less. */
#define FULL_PAGE 0.85

/* How a galley's flow came out. */
struct measure {
    int pages;
    double fill;   /* of its last page: the share of the type area above its deepest column */
    int lines;     /* body lines in all */
    int over;      /* lines on pages past the allotted ones */
    double spread; /* how far apart its last page's columns end (pt) */
};

static void measure(const struct pr_typeset *ts, const struct pr_galley *g, int allotted, struct measure *m)
{
    const struct pr_layout *L = ts->L;
    const struct pr_frame *fr = &g->frame;
    int cols = fr->columns < 64 ? fr->columns : 64;
    int last = g->npages - 1;
    double top = L->margin_top, bottom = fr->bottom;
    double deep[64];
    for (int c = 0; c < cols; c++)
        deep[c] = last == 0 ? pr_frame_top(fr, 0, c) : top;
    memset(m, 0, sizeof *m);
    m->pages = g->npages;
    for (int i = 0; i < g->items.n; i++) {
        const struct pr_item *it = &g->items.v[i];
        const struct pr_place *pl = &g->place[i];
        if (it->kind == PR_IT_LINE)
            m->lines++;
        if (allotted > 0 && it->kind == PR_IT_LINE && pl->page >= allotted)
            m->over++;
        if (it->kind == PR_IT_SPACE || pl->page != last || pl->col >= cols)
            continue;
        double y = pl->y + it->height;
        if (y > deep[pl->col])
            deep[pl->col] = y;
    }
    double sum = 0, lo = bottom, hi = top;
    /* an ad across the columns at the foot of the last page fills down to it */
    bool band = fr->band_h > 0 && fr->band_page == last && g->band_ad;
    for (int c = 0; c < cols; c++) {
        if (band)
            deep[c] = bottom;
        sum += (deep[c] - top) / (bottom - top);
        lo = fmin(lo, deep[c]);
        hi = fmax(hi, deep[c]);
    }
    m->spread = cols > 1 ? hi - lo : 0;
    m->fill = cols ? sum / cols : 0;
}

/* What the fitter works with for one article (with its chain). */
#define MAX_SAVED 16
struct fitter {
    struct pr_typeset *ts;
    struct pr_galley *g;
    struct pr_plan *plan;
    const struct pr_fit_trims *trims;
    int target;                /* pages to end on */
    struct pr_item saved[MAX_SAVED]; /* pull quotes taken out, to put back */
    int saved_at[MAX_SAVED], nsaved;
    struct pr_galley *chain;   /* the `continue` articles in its flow: their */
    int nchain;                /* chain_from moves with the items before it */
    int resets;                /* paragraphs set again (the looseness lever's budget) */
};

/* Items were added (delta > 0) or taken out at index `at`: the chained
 * articles' first items move with them. */
static void shift_chain(struct fitter *f, int at, int delta)
{
    for (int j = 0; j < f->nchain; j++)
        if (f->chain[j].chain_from > at)
            f->chain[j].chain_from += delta;
}

static int reflow(struct fitter *f)
{
    pr_galley_flow(f->g);
    return f->g->npages;
}

/* ---- the lead image and the floating figures ---- */

/* Is item i a floating figure (a picture, then its caption)? */
static bool figure_at(const struct pr_galley *g, int i)
{
    const struct pr_item *it = &g->items.v[i];
    return it->kind == PR_IT_FLOAT && it->role == PR_ROLE_FIGURE && it->nboxes > 0 &&
           it->boxes[0].kind == PR_BOX_IMAGE;
}

/* Every floating figure's picture at s times the size it was set at (at
 * most 1: a figure is made smaller, never cropped: narrower as it is
 * shorter, centred in its column), its caption moved up with it, the
 * float's height on the grid. */
static void set_figures(struct fitter *f, double s)
{
    struct pr_galley *g = f->g;
    double base = f->ts->L->baseline;
    s = fmin(s, 1);
    for (int i = 0; i < g->items.n; i++) {
        if (!figure_at(g, i))
            continue;
        struct pr_item *it = &g->items.v[i];
        struct pr_box *img = &it->boxes[0];
        if (it->fig_h <= 0) {
            it->fig_h = img->h;
            it->fig_height = it->height;
            it->fig_w = img->w;
            it->fig_x = img->x;
        }
        double d = it->fig_h * s - img->h;
        img->h = it->fig_h * s;
        img->w = it->fig_w * s;
        img->x = it->fig_x + (it->fig_w - img->w) / 2;
        for (int k = 1; k < it->nboxes; k++)
            it->boxes[k].y += d;
        double shrink = it->fig_h * (1 - s);
        it->height = base > 0 ? ceil((it->fig_height - shrink) / base - 0.01) * base : it->fig_height - shrink;
    }
}

static bool has_figures(const struct pr_galley *g)
{
    for (int i = 0; i < g->items.n; i++)
        if (figure_at(g, i))
            return true;
    return false;
}

/* The lead image and the figures at s times their height, flowed again. */
static void set_image(struct fitter *f, double s)
{
    if (pr_galley_has_image(f->g))
        pr_galley_reopen(f->ts, f->g, s);
    set_figures(f, s);
    reflow(f);
}

/* Shrink the lead image and the figures in steps until the article ends
 * on target pages. */
static bool images_down(struct fitter *f)
{
    const struct pr_copyfit *cf = &f->ts->L->copyfit;
    if (!pr_galley_has_image(f->g) && !has_figures(f->g))
        return false;
    for (double s = 0.9; s >= cf->image_min - 1e-9; s -= 0.1) {
        set_image(f, s);
        if (f->g->npages <= f->target)
            return true;
    }
    return false;
}

/* Grow the lead image and the figures as far as the article still ends
 * on target pages. */
static void images_up(struct fitter *f)
{
    const struct pr_copyfit *cf = &f->ts->L->copyfit;
    if (!pr_galley_has_image(f->g) && !has_figures(f->g))
        return;
    double best = f->g->image_scale > 0 ? f->g->image_scale : 1;
    for (double s = best + 0.1; s <= cf->image_max + 1e-9; s += 0.1) {
        set_image(f, s);
        if (f->g->npages > f->target)
            break;
        best = s;
    }
    set_image(f, best);
}

/* ---- paragraph looseness ---- */

/* A paragraph the looseness lever may set again (pr_galley_para's index)
 * and how much of a line each of its lines must take in (set shorter:
 * its last line's share of the measure spread over the lines before it)
 * or give away (set longer: what its last line lacks of a full one,
 * spread over all of them). Only those at most these are tried: setting
 * a paragraph again costs about what setting it did (shaping it anew),
 * and above them almost none comes out a line shorter or longer
 * (measured on the sample issue, every candidate tried: set longer, 15 of
 * 18 at most 0.03, 1 of 28 above; set shorter, the one at 0.031 of 11,
 * none of the others, all above 0.056). */
#define TIGHTEN_MAX 0.035
#define LOOSEN_MAX 0.03
/* At most this many paragraphs set again per article. */
#define RESET_BUDGET 48

struct para_cand {
    int k;
    double cost;
};

static int by_cost(const void *a, const void *b)
{
    const struct para_cand *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost < y->cost ? -1 : 1;
    return x->k - y->k;
}

/* The paragraphs now at looseness `from` that might be set one line
 * shorter (dir -1) or longer (+1), most promising first; malloc'd. */
static struct para_cand *para_cands(const struct fitter *f, int from, int dir, int *n)
{
    const struct pr_galley *g = f->g;
    int np = pr_galley_npara(g);
    struct para_cand *c = pr_xmalloc((size_t)(np ? np : 1) * sizeof *c);
    *n = 0;
    for (int k = 0; k < np; k++) {
        int lo = 0;
        const struct pr_text *t = pr_galley_para(g, k, &lo);
        if (lo != from || t->nlines < 2 || t->width <= 0)
            continue;
        double last = fmin(fmax(t->lines[t->nlines - 1].width / t->width, 0), 1);
        double cost = dir < 0 ? last / (t->nlines - 1) : (1 - last) / t->nlines;
        if (cost <= (dir < 0 ? TIGHTEN_MAX : LOOSEN_MAX))
            c[(*n)++] = (struct para_cand){k, cost};
    }
    qsort(c, (size_t)*n, sizeof *c, by_cost);
    return c;
}

/* Set paragraph k at looseness lo; returns the change in its lines. */
static int set_para(struct fitter *f, int k, int lo)
{
    int at = 0, was = 0;
    pr_galley_para(f->g, k, &was);
    if (lo != 0 && was == 0)
        f->resets++;
    int d = pr_galley_set_para(f->ts, f->g, k, lo, &at);
    if (d)
        shift_chain(f, at, d);
    return d;
}

/* Every paragraph set at its optimum again (those set shorter: dir -1,
 * longer: +1, 0: both). */
static void looseness_back(struct fitter *f, int dir)
{
    bool changed = false;
    for (int k = 0; k < pr_galley_npara(f->g); k++) {
        int lo = 0;
        pr_galley_para(f->g, k, &lo);
        if (lo != 0 && (dir == 0 || (lo < 0) == (dir < 0))) {
            set_para(f, k, 0);
            changed = true;
        }
    }
    if (changed)
        reflow(f);
}

/* Lines on pages past the target. */
static int lines_over(struct fitter *f)
{
    struct measure m;
    measure(f->ts, f->g, f->target, &m);
    return m.over;
}

/* Pull the article back by setting paragraphs a line shorter (at most
 * copyfit.looseness lines each), most promising first, as many at a time
 * as lines stand past the target pages, flowed again after each batch. */
static bool tighten(struct fitter *f)
{
    int limit = f->ts->L->copyfit.looseness;
    for (int level = 1; level <= limit && f->g->npages > f->target; level++) {
        int n = 0, i = 0;
        struct para_cand *c = para_cands(f, 1 - level, -1, &n);
        while (f->g->npages > f->target) {
            int need = lines_over(f), got = 0;
            /* each gives one line at most: too few left cannot do it */
            if (need > n - i || f->resets + need > RESET_BUDGET)
                break;
            for (; i < n && got < need && f->resets < RESET_BUDGET; i++)
                got -= set_para(f, c[i].k, -level);
            if (got == 0)
                break;
            reflow(f);
        }
        free(c);
    }
    return f->g->npages <= f->target;
}

/* Set the first `count` of the paragraphs `c` a line longer (at `lo`),
 * the others of them as they were (at lo - 1), and flow again. */
static void loosen_first(struct fitter *f, const int *k, int n, int count, int lo)
{
    for (int i = 0; i < n; i++)
        set_para(f, k[i], i < count ? lo : lo - 1);
    reflow(f);
}

/* Grow the article into its last page by setting paragraphs a line
 * longer while it ends on the target pages: as many as the last page
 * has empty lines (the most promising first), then, if that ran over, the
 * most of them that do not (a binary search over how many). */
static void loosen(struct fitter *f)
{
    const struct pr_layout *L = f->ts->L;
    struct pr_galley *g = f->g;
    int limit = L->copyfit.looseness;
    for (int level = 1; level <= limit && g->npages <= f->target; level++) {
        struct measure m;
        measure(f->ts, g, 0, &m);
        double per_col = (g->frame.bottom - L->margin_top) / L->baseline;
        int room = (int)floor((1 - m.fill) * per_col * g->frame.columns) - 1;
        if (m.pages < f->target || room <= 0)
            break; /* the lever fills a last page; whole pages are for the others */
        int n = 0, ndone = 0;
        struct para_cand *c = para_cands(f, level - 1, 1, &n);
        int *done = pr_xmalloc((size_t)(n ? n : 1) * sizeof *done);
        for (int i = 0; i < n && ndone < room && f->resets < RESET_BUDGET; i++)
            if (set_para(f, c[i].k, level) > 0)
                done[ndone++] = c[i].k;
        free(c);
        if (ndone == 0) {
            free(done);
            break;
        }
        reflow(f);
        if (g->npages > f->target) {
            int lo = 0, hi = ndone - 1; /* lo fit, hi did not */
            while (hi - lo > 1) {
                int mid = (lo + hi) / 2;
                loosen_first(f, done, ndone, mid, level);
                if (g->npages <= f->target)
                    lo = mid;
                else
                    hi = mid;
            }
            loosen_first(f, done, ndone, lo, level);
        }
        free(done);
    }
}

/* The longest paragraph the loose-line mending sets again. */
#define MEND_MAX_LINES 40

/* Loose lines of a text, as --stats counts them. */
static int loose_lines(const struct pr_text *t)
{
    int n = 0;
    for (int i = 0; i < t->nlines; i++)
        n += t->lines[i].justified && t->lines[i].spaces > 0 && t->lines[i].space_ratio > PR_LOOSE_SPACES + 1e-9;
    return n;
}

/* The looseness lever for the text's sake: a paragraph with a loose line
 * set a line longer (or else shorter) when that takes loose lines away
 * and the article keeps its pages, as typesetters use TeX's \looseness.
 * Only the paragraphs with a loose line are set again. */
static void mend_loose(struct fitter *f)
{
    int limit = f->ts->L->copyfit.looseness;
    struct pr_galley *g = f->g;
    int pages = g->npages;
    for (int k = 0; k < pr_galley_npara(g) && limit > 0; k++) {
        int lo = 0;
        const struct pr_text *t = pr_galley_para(g, k, &lo);
        /* (a long paragraph costs much to set again, and a line more or
         * less seldom mends it) */
        int bad = t->nlines <= MEND_MAX_LINES && f->resets < RESET_BUDGET ? loose_lines(t) : 0;
        for (int d = 1; bad > 0 && d >= -1; d -= 2) {
            int to = lo + d;
            if (to > limit || to < -limit || set_para(f, k, to) == 0)
                continue;
            if (loose_lines(pr_galley_para(g, k, NULL)) < bad && reflow(f) <= pages)
                break;
            set_para(f, k, lo);
            reflow(f);
        }
    }
}

/* ---- pull quotes ---- */

/* The article's own pull quotes, last first, taken out (made empty
 * space) until it ends on target pages. */
static bool pullquotes_out(struct fitter *f)
{
    struct pr_items *it = &f->g->items;
    for (int i = it->n - 1; i >= 0; i--) {
        if (it->v[i].kind != PR_IT_FLOAT || it->v[i].role != PR_ROLE_PULLQUOTE || f->nsaved == MAX_SAVED)
            continue;
        f->saved[f->nsaved] = it->v[i];
        f->saved_at[f->nsaved++] = i;
        it->v[i].kind = PR_IT_SPACE;
        it->v[i].height = 0;
        it->v[i].nboxes = 0;
        if (reflow(f) <= f->target)
            return true;
    }
    return false;
}

/* Put back the pull quotes taken out. */
static void pullquotes_back(struct fitter *f)
{
    for (int k = 0; k < f->nsaved; k++)
        f->g->items.v[f->saved_at[k]] = f->saved[k];
    f->nsaved = 0;
}

/* Where a paragraph starts about `frac` of the way into the body. */
/* Does a body paragraph start at item i, where a pull quote may go? */
static bool starts_paragraph(const struct pr_items *it, int i)
{
    return i > 0 && i < it->n && it->v[i].kind == PR_IT_LINE && it->v[i].role == PR_ROLE_BODY &&
           it->v[i].break_before && it->v[i - 1].kind == PR_IT_LINE && it->v[i - 1].text != it->v[i].text;
}

static int paragraph_start(const struct pr_galley *g, double frac)
{
    const struct pr_items *it = &g->items;
    int want = (int)(it->n * frac);
    for (int d = 0; d < it->n; d++)
        for (int s = -1; s <= 1; s += 2)
            if (starts_paragraph(it, want + s * d))
                return want + s * d;
    return -1;
}

/* Take item `at` out of the flow (the chained articles' first items move
 * with it). */
static void remove_item(struct fitter *f, int at)
{
    struct pr_galley *g = f->g;
    memmove(&g->items.v[at], &g->items.v[at + 1], (size_t)(g->items.n - at - 1) * sizeof *g->items.v);
    g->items.n--;
    shift_chain(f, at, -1);
}

/* Put `it` into the flow as item `at`. */
static void insert_item(struct fitter *f, int at, struct pr_item it)
{
    struct pr_galley *g = f->g;
    pr_items_push(g->arena, &g->items);
    memmove(&g->items.v[at + 1], &g->items.v[at], (size_t)(g->items.n - 1 - at) * sizeof *g->items.v);
    g->items.v[at] = it;
    shift_chain(f, at - 1, 1);
}

/* Does the ad belong after this article or one of its chain? */
static bool placed_after(const struct fitter *f, const struct pr_ad *a)
{
    if (a->at != PR_AT_AFTER)
        return false;
    if (a->at_index == f->g->article)
        return true;
    for (int j = 0; j < f->nchain; j++)
        if (a->at_index == f->chain[j].article)
            return true;
    return false;
}

/* Lines of room the article has before it would pass its target pages:
 * what its last page lacks (when it ends on them), counted in body lines
 * across the columns. */
static int room_lines(const struct fitter *f)
{
    const struct pr_layout *L = f->ts->L;
    const struct pr_galley *g = f->g;
    struct measure m;
    measure(f->ts, g, 0, &m);
    double per_col = (g->frame.bottom - L->margin_top) / L->baseline;
    double pages = f->target - m.pages + (1 - m.fill);
    return pages > 0 ? (int)floor(pages * per_col * g->frame.columns) : 0;
}

static bool has_lever(const struct pr_copyfit *cf, enum pr_lever l)
{
    for (int i = 0; i < cf->norder; i++)
        if (cf->order[i] == l)
            return true;
    return false;
}

/* The most white space the sink lever may put above the opener, on the
 * baseline grid; 0 when it may not (an opener with a lead image grows its
 * picture instead; an article that runs on has no opener). */
static double sink_max(const struct fitter *f)
{
    const struct pr_layout *L = f->ts->L;
    const struct pr_galley *g = f->g;
    if (!has_lever(&L->copyfit, PR_LEVER_SINK) || g->host >= 0 || g->opener.n == 0 ||
        pr_galley_has_image(g) || L->baseline <= 0)
        return 0;
    return floor(L->copyfit.sink * (g->frame.bottom - L->margin_top) / L->baseline) * L->baseline;
}

/* The lines of room the sink can still take. */
static int sink_room(const struct fitter *f)
{
    double h = sink_max(f) - f->g->sink;
    return h > 0 ? (int)floor(h / f->ts->L->baseline) * f->g->frame.columns : 0;
}

/* The first item of paragraph k (items.n when it is not in the flow). */
static int para_item(const struct pr_galley *g, int k)
{
    const struct pr_text *t = pr_galley_para(g, k, NULL);
    int i = 0;
    while (i < g->items.n && !(g->items.v[i].kind == PR_IT_LINE && g->items.v[i].text == t))
        i++;
    return i;
}

/* Where a pull quote may go at or after item i: the start of a body
 * paragraph; -1 when none follows. */
static int next_paragraph_start(const struct pr_galley *g, int i)
{
    for (; i < g->items.n; i++)
        if (starts_paragraph(&g->items, i))
            return i;
    return -1;
}

/* Does the pull quote at item `at` share its page and column with
 * another? */
static bool crowded(const struct pr_galley *g, int at)
{
    for (int i = 0; i < g->items.n; i++)
        if (i != at && g->items.v[i].kind == PR_IT_FLOAT && g->items.v[i].role == PR_ROLE_PULLQUOTE &&
            g->place[i].page == g->place[at].page && g->place[i].col == g->place[at].col)
            return true;
    return false;
}

/* Is sentence s one of the article's pull quotes already? */
static bool quoted(const struct pr_galley *g, const char *s)
{
    for (int i = 0; i < g->items.n; i++) {
        const struct pr_item *it = &g->items.v[i];
        if (it->kind == PR_IT_FLOAT && it->role == PR_ROLE_PULLQUOTE && it->quote && strcmp(it->quote, s) == 0)
            return true;
    }
    return false;
}

/* A paragraph's best sentence for a pull quote and its score, found once
 * per fitting (the text does not change while it is fitted). */
struct pull_pick {
    const char *s;
    double score;
    bool known;
};

/* A sentence of the article's own text as a pull quote about `frac` of
 * the way through its body, a little ahead of the paragraph it is taken
 * from (one
 * per paragraph: used[k]), in a column with no other pull quote. False
 * when no paragraph near there has one that stands alone, or it would
 * pass the target pages. picks[k]: paragraph k's sentence, once found. */
static bool pullquote_from_text(struct fitter *f, double frac, bool *used, struct pull_pick *picks)
{
    struct pr_galley *g = f->g;
    int np = pr_galley_npara(g);
    if (np < 3)
        return false;
    int want = (int)(np * frac), span = np / 6 + 1;
    for (int tries = 0; tries < 3; tries++) {
        int best_k = -1;
        const char *best = NULL;
        double best_score = INFINITY;
        for (int k = want - span; k <= want + span; k++) {
            if (k < 1 || k >= np || used[k]) /* never the opening paragraph */
                continue;
            struct pull_pick *pk = &picks[k];
            if (!pk->known) {
                pk->s = pr_pull_sentence(g->arena, pr_inlines_plain(g->arena, pr_galley_para_source(g, k)),
                                         &pk->score);
                pk->known = true;
            }
            const char *s = pk->s;
            double sc = pk->score + abs(k - want) * 0.5;
            if (s && sc < best_score && !quoted(g, s)) {
                best_score = sc;
                best = s;
                best_k = k;
            }
        }
        if (!best)
            return false;
        used[best_k] = true;
        /* ahead of its source by a paragraph or two, never right after
         * it (the reader has just read it) */
        int at = next_paragraph_start(g, para_item(g, best_k > 2 ? best_k - 2 : 1));
        if (at < 0)
            continue;
        pr_galley_add_pullquote(f->ts, g, best, at);
        shift_chain(f, at - 1, 1);
        if (reflow(f) <= f->target && !crowded(g, at))
            return true;
        remove_item(f, at);
        reflow(f);
    }
    return false;
}

/* The article's candidates as pull quotes, spread through its body, each
 * kept if the article still ends on target pages; then, while its last
 * page has more room than the sink can take, sentences from its text. */
static void pullquotes_in(struct fitter *f)
{
    const struct pr_copyfit *cf = &f->ts->L->copyfit;
    const struct pr_article *art = f->g->art;
    int max = cf->pullquotes, added = 0;
    for (int k = 0; k < art->npullquotes && added < max; k++) {
        int at = paragraph_start(f->g, (added + 1.0) / (max + 1.0));
        if (at < 0)
            break;
        pr_galley_add_pullquote(f->ts, f->g, art->pullquotes[k], at);
        shift_chain(f, at - 1, 1);
        if (reflow(f) > f->target) {
            remove_item(f, at);
            reflow(f);
            return;
        }
        added++;
    }
    if (!cf->pullquotes_from_text || added >= max)
        return;
    /* never in a short item: only in copy of three quarters of a page or more */
    double per_col = (f->g->frame.bottom - f->ts->L->margin_top) / f->ts->L->baseline;
    struct measure m;
    measure(f->ts, f->g, 0, &m);
    if (m.lines < per_col * f->g->frame.columns * 0.75)
        return;
    int np = pr_galley_npara(f->g);
    size_t nk = (size_t)(np ? np : 1);
    bool *used = memset(pr_xmalloc(nk * sizeof *used), 0, nk * sizeof *used);
    struct pull_pick *picks = memset(pr_xmalloc(nk * sizeof *picks), 0, nk * sizeof *picks);
    /* a pull quote takes about a third of a column: leave the rest to the sink */
    /* and at most one a page */
    if (max > f->target)
        max = f->target;
    for (int slot = added; slot < max && room_lines(f) > sink_room(f) + per_col / 4; slot++)
        if (!pullquote_from_text(f, (slot + 1.0) / (max + 1.0), used, picks))
            break;
    free(used);
    free(picks);
}

/* ---- the sink: white space above a text opener ---- */

/* The opener k baselines down, flowed again (if it was not already). */
static void sink_to(struct fitter *f, int k)
{
    double base = f->ts->L->baseline;
    if (lround(f->g->sink / base) != k) {
        pr_galley_sink(f->g, k * base);
        reflow(f);
    }
}

/* Does the article still end on target pages with the opener k down? */
static bool sink_fits(struct fitter *f, int k)
{
    sink_to(f, k);
    return f->g->npages <= f->target;
}

/* Sink the opener as far as the article still ends on target pages: each
 * baseline more pushes every column of the first page down a line, so
 * the room left on the last page, over the columns, says about how far;
 * from there, a line at a time. */
static void sink(struct fitter *f)
{
    double max = sink_max(f), base = f->ts->L->baseline;
    if (max <= 0 || f->g->npages > f->target)
        return;
    int lo = (int)lround(f->g->sink / base), top = (int)lround(max / base); /* lo fits */
    int k = lo + room_lines(f) / (f->g->frame.columns > 0 ? f->g->frame.columns : 1);
    if (k <= lo)
        k = lo + 1; /* a nearly full page may still take a line or two */
    if (k > top)
        k = top;
    if (k > lo && sink_fits(f, k)) {
        lo = k;
        while (lo < top && sink_fits(f, lo + 1))
            lo++;
    } else {
        while (k - 1 > lo && !sink_fits(f, k - 1))
            k--;
        if (k - 1 > lo)
            lo = k - 1;
    }
    /* of the deepest sinks that fit, the first whose last page's
     * columns end together (balanced within three lines) */
    for (int d = 0; d <= 2 && lo - d >= 0; d++) {
        sink_to(f, lo - d);
        struct measure m;
        measure(f->ts, f->g, 0, &m);
        if (m.spread <= 3 * base) {
            lo -= d;
            break;
        }
    }
    sink_to(f, lo);
    /* an article of one page that the sink cannot take to its foot is
     * better left at the top than white above and below */
    struct measure m;
    measure(f->ts, f->g, 0, &m);
    if (m.pages == 1 && m.fill < FULL_PAGE && lo > 0)
        sink_to(f, 0);
}

/* ---- fillers and fractional ads in the hole at the end ---- */

/* The height of a fractional ad's or image filler's slot in a column:
 * a PDF's own trim height (placed 1:1), else a share of the column. */
struct pr_fit_trims {
    const struct pr_issue *is;
    double (*ads)[2], (*fillers)[2]; /* w, h; 0 0: not a PDF, or it cannot be read */
};

static void measure_trims(const struct pr_ad *v, int n, double (*wh)[2])
{
    for (int k = 0; k < n; k++) {
        double trim[4], crop[4];
        char err[256];
        wh[k][0] = wh[k][1] = 0;
        if (v[k].kind == PR_ASSET_PDF && v[k].path && v[k].size != PR_AD_FULL &&
            pr_pdfad_boxes(v[k].path, v[k].src_page, trim, crop, err, sizeof err)) {
            wh[k][0] = trim[2] - trim[0];
            wh[k][1] = trim[3] - trim[1];
        }
    }
}

struct pr_fit_trims *pr_copyfit_trims_new(const struct pr_issue *is)
{
    struct pr_fit_trims *t = pr_xmalloc(sizeof *t);
    t->is = is;
    t->ads = pr_xmalloc((size_t)(is->nads + 1) * sizeof *t->ads);
    t->fillers = pr_xmalloc((size_t)(is->nfillers + 1) * sizeof *t->fillers);
    measure_trims(is->ads, is->nads, t->ads);
    measure_trims(is->fillers, is->nfillers, t->fillers);
    return t;
}

void pr_copyfit_trims_free(struct pr_fit_trims *t)
{
    if (!t)
        return;
    free(t->ads);
    free(t->fillers);
    free(t);
}

/* A fractional PDF ad's or filler's TrimBox as measured once; false when
 * it is not a PDF (or cannot be read). */
static bool trim_of(const struct pr_fit_trims *t, const struct pr_ad *a, double *w, double *h)
{
    const double *wh = a->filler ? t->fillers[a - t->is->fillers] : t->ads[a - t->is->ads];
    *w = wh[0];
    *h = wh[1];
    return wh[0] > 0 && wh[1] > 0;
}

static double slot_height(const struct fitter *f, const struct pr_ad *a)
{
    const struct pr_layout *L = f->ts->L;
    double colh = f->g->frame.bottom - L->margin_top;
    double tw, th;
    if (trim_of(f->trims, a, &tw, &th))
        return fmin(th, colh);
    switch (a->size) {
    case PR_AD_HALF:
    case PR_AD_QUARTER:
        return colh / 2;
    case PR_AD_THIRD:
        return colh / 3;
    case PR_AD_HALF_V:
    case PR_AD_THIRD_V:
    case PR_AD_FULL:
    case PR_AD_NSIZES:
        break;
    }
    return colh;
}

/* The float just added at the end of the items moved to where it costs
 * least: a column start on the last two pages or the end, whichever
 * gives the fewest pages and then the fullest last page (an ad placed
 * after an article must go in even when it does not fit the hole). */
static void place_best(struct fitter *f)
{
    struct pr_galley *g = f->g;
    struct pr_item box = g->items.v[g->items.n - 1];
    remove_item(f, g->items.n - 1);
    reflow(f);
    int cand[130], ncand = 0, last = g->npages - 1;
    for (int i = 1; i < g->items.n && ncand < 128; i++)
        if (g->place[i].page >= last - 1 && g->items.v[i].kind == PR_IT_LINE && g->items.v[i].break_before &&
            (g->place[i].col != g->place[i - 1].col || g->place[i].page != g->place[i - 1].page))
            cand[ncand++] = i;
    cand[ncand++] = g->items.n;
    int best = g->items.n;
    double best_score = INFINITY;
    for (int k = 0; k < ncand; k++) {
        int at = cand[k];
        insert_item(f, at, box);
        struct measure m;
        reflow(f);
        measure(f->ts, g, 0, &m);
        double score = m.pages * 10 - m.fill;
        if (score <= best_score + 1e-9) {
            best_score = score;
            best = at;
        }
        remove_item(f, at);
    }
    insert_item(f, best, box);
    reflow(f);
}

/* A fractional ad across the columns: the horizontal sizes, and a PDF
 * wider than a column. */
static bool spanning(const struct fitter *f, const struct pr_ad *a)
{
    const struct pr_galley *g = f->g;
    if (g->frame.columns < 2)
        return false;
    if (a->size == PR_AD_HALF || a->size == PR_AD_THIRD)
        return true;
    double tw, th;
    return trim_of(f->trims, a, &tw, &th) && tw > g->frame.col_w * 1.5;
}

/* Keep a band at the foot of the last page for the ad across the columns
 * (or, when the copy then runs on, of the page it runs on to, whichever
 * fills better); `must`: an ad placed after this article goes in even if
 * the article takes a page more. True when the ad is placed. */
static bool try_band(struct fitter *f, const struct pr_ad *a, double h, bool must)
{
    struct pr_galley *g = f->g;
    struct pr_frame *fr = &g->frame;
    int last = g->npages - 1;
    if (h > (fr->bottom - fr->top) * 0.75)
        return false;
    fr->band_h = h + f->ts->L->baseline;
    fr->band_page = last;
    if (reflow(f) > f->target) {
        struct measure m1, m2;
        measure(f->ts, g, 0, &m1);
        fr->band_page = last + 1;
        reflow(f);
        measure(f->ts, g, 0, &m2);
        if (m1.pages * 10 - m1.fill < m2.pages * 10 - m2.fill) {
            fr->band_page = last;
            reflow(f);
        }
        if ((g->npages > f->target && !must) || fr->band_page >= g->npages) {
            fr->band_h = 0;
            reflow(f);
            return false;
        }
    }
    g->band_ad = a;
    return true;
}

/* Place one unused filler or fractional ad that fits the hole; true when
 * one did. Ads placed after this article come first, then `any` ads,
 * then the house fillers. */
static bool fill_hole(struct fitter *f)
{
    const struct pr_issue *is = f->ts->issue;
    for (int pass = 0; pass < 3; pass++) {
        int n = pass < 2 ? is->nads : is->nfillers;
        for (int k = 0; k < n; k++) {
            const struct pr_ad *a = pass < 2 ? &is->ads[k] : &is->fillers[k];
            if (a->size == PR_AD_FULL || !a->path)
                continue;
            bool ok = pass == 0 ? placed_after(f, a)
                    : pass == 1 ? a->at == PR_AT_ANY
                                : true;
            if (!ok || !(pass < 2 ? pr_plan_take_ad(f->plan, k, false) : pr_plan_take_filler(f->plan, k, false)))
                continue;
            if (a->kind != PR_ASSET_MARKDOWN && spanning(f, a)) {
                if (f->g->band_ad || !try_band(f, a, slot_height(f, a), pass == 0))
                    continue;
            } else if (pr_galley_add_box(f->ts, f->g, a, slot_height(f, a)) <= 0) {
                continue;
            } else if (reflow(f) > f->target) {
                if (pass > 0) {
                    remove_item(f, f->g->items.n - 1);
                    reflow(f);
                    continue;
                }
                place_best(f);
            }
            if (pass < 2)
                pr_plan_take_ad(f->plan, k, true);
            else
                pr_plan_take_filler(f->plan, k, true);
            return true;
        }
    }
    return false;
}

/* ---- one article ---- */

/* Pull the article back onto target pages with the levers that take
 * room away, in the layout's order. */
static bool pull_back(struct fitter *f)
{
    const struct pr_layout *L = f->ts->L;
    for (int i = 0; i < L->copyfit.norder && f->g->npages > f->target; i++) {
        if (L->copyfit.order[i] == PR_LEVER_LOOSENESS && tighten(f))
            return true;
        if (L->copyfit.order[i] == PR_LEVER_IMAGES && images_down(f))
            return true;
        if (L->copyfit.order[i] == PR_LEVER_PULLQUOTES && pullquotes_out(f))
            return true;
    }
    return f->g->npages <= f->target;
}

/* Grow the article into its last page with the levers that take room,
 * in the layout's order, without passing target pages. */
static void grow(struct fitter *f)
{
    const struct pr_layout *L = f->ts->L;
    for (int i = 0; i < L->copyfit.norder; i++) {
        switch (L->copyfit.order[i]) {
        case PR_LEVER_IMAGES:
            images_up(f);
            break;
        case PR_LEVER_PULLQUOTES:
            pullquotes_in(f);
            break;
        case PR_LEVER_FILLERS:
            while (fill_hole(f))
                ;
            break;
        case PR_LEVER_SINK:
            sink(f);
            break;
        case PR_LEVER_LOOSENESS:
            /* only toward the pages an editor gave it: a paragraph set
             * again costs about what setting it did, and a free article's
             * last page is as full as its copy makes it */
            if (f->g->art->pages > 0)
                loosen(f);
            break;
        case PR_LEVER_N:
            break;
        }
    }
}

/* Words in the lines of a galley's chain, per line (for reports). */
static double words_per_line(const struct pr_galley *g, int lines)
{
    long words = g->art->doc ? g->art->doc->words : 0;
    return lines > 0 && words > 0 ? (double)words / lines : 10;
}

static void report(struct fitter *f, const struct measure *m)
{
    struct pr_galley *g = f->g;
    const struct pr_layout *L = f->ts->L;
    struct pr_fit *fit = &g->fit;
    int allotted = g->art->pages;
    fit->pages = m->pages;
    fit->allotted = allotted;
    double wpl = words_per_line(g, m->lines);
    if (!allotted)
        return;
    const char *id = g->art->id;
    if (m->pages > allotted) {
        fit->state = PR_FIT_OVER;
        fit->lines = m->over;
    } else {
        double per_col = (g->frame.bottom - L->margin_top) / L->baseline;
        double empty = (allotted - m->pages) * per_col * g->frame.columns + (1 - m->fill) * per_col * g->frame.columns;
        if (m->pages < allotted || m->fill < FULL_PAGE - 1e-9) {
            fit->state = PR_FIT_UNDER;
            fit->lines = (int)floor(empty);
            if (fit->lines <= 0)
                fit->state = PR_FIT_FIT;
        }
    }
    fit->words = (int)lround(fit->lines * wpl);
    if (fit->state == PR_FIT_OVER)
        pr_diag(&f->ts->b->diags, PR_D_COPYFIT, g->art->pages_pos,
                "%s: over by %d line%s (about %d words) on its %d page%s; cut the copy, or give it "
                "'pages: %d'",
                id, fit->lines, fit->lines == 1 ? "" : "s", fit->words, allotted, allotted == 1 ? "" : "s",
                m->pages);
    else if (fit->state == PR_FIT_UNDER)
        pr_diag(&f->ts->b->diags, PR_D_COPYFIT, g->art->pages_pos,
                "%s: under by %d line%s (about %d words) on its %d page%s; add copy, a picture or "
                "pull quotes ('pullquotes:'), a filler, or give it 'pages: %d'",
                id, fit->lines, fit->lines == 1 ? "" : "s", fit->words, allotted, allotted == 1 ? "" : "s",
                m->pages < allotted ? m->pages : allotted - 1 > 0 ? allotted - 1 : 1);
}

static void fit_one(struct pr_typeset *ts, struct pr_galley *g, struct pr_galley *chain, int nchain,
                    struct pr_plan *plan, const struct pr_fit_trims *trims)
{
    const struct pr_copyfit *cf = &ts->L->copyfit;
    struct fitter f = {.ts = ts, .g = g, .plan = plan, .trims = trims, .chain = chain, .nchain = nchain};
    struct measure m;
    int allotted = g->art->pages;
    measure(ts, g, allotted, &m);
    if (allotted > 0) {
        f.target = allotted;
        if (m.pages > allotted && !pull_back(&f))
            looseness_back(&f, -1); /* over all the same: as the copy sets */
        if (g->npages <= allotted)
            grow(&f);
    } else if (m.pages > 1 && m.fill < cf->tail) {
        /* a stranded tail: pull it back, or else grow into its page */
        f.target = m.pages - 1;
        if (!pull_back(&f)) {
            pullquotes_back(&f);
            looseness_back(&f, -1);
            set_image(&f, 1);
            f.target = m.pages;
            grow(&f);
        }
    } else {
        f.target = m.pages;
        grow(&f);
    }
    mend_loose(&f);
    measure(ts, g, allotted, &m);
    report(&f, &m);
}

void pr_copyfit_run(struct pr_typeset *ts, struct pr_galley *gal, int from, int to, struct pr_plan *plan,
                    const struct pr_fit_trims *trims)
{
    for (int i = from; i < to; i++) {
        struct pr_galley *g = &gal[i];
        if (g->host >= 0)
            continue;
        struct pr_ts_alloc build = pr_galley_redirect_alloc(ts, g);
        int nchain = 0;
        while (i + 1 + nchain < to && gal[i + 1 + nchain].host == i)
            nchain++;
        fit_one(ts, g, &gal[i + 1], nchain, plan, trims);
        pr_galley_restore_alloc(ts, g, build);
        /* the articles that run on in its flow share its fit */
        for (int j = i + 1; j < to && gal[j].host == i; j++)
            gal[j].fit = g->fit;
    }
}

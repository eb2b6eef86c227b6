/* flow.c - typesetting: flows an article's items (lines, spaces, rules,
 * floating figures) into columns and pages. Body lines sit on the baseline
 * grid so neighbouring columns align; a column may end only where an item
 * allows it (break_before), which is how para-level widow/orphan rules and
 * keep-with-next headings are expressed (pages.c sets them). Floats that do
 * not fit go to the top of the next column. The last page's columns can be
 * balanced. Called by pages.c; pure geometry, no Pango. */
#include "typeset.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EPS 0.01

struct pr_item *pr_items_push(struct pr_arena *a, struct pr_items *it)
{
    return PR_PUSH(a, it->v, it->n, it->cap);
}

struct state {
    const struct pr_frame *fr;
    int page, col;
    double coltop, y;
    int *pending; /* floats waiting for the next column */
    int npending;
};

static double col_top(const struct state *s)
{
    return s->page == 0 ? s->fr->first_top : s->fr->top;
}

/* Top of a LINE item placed at y so that its baseline is on the grid. A
 * line may rise up to a fifth of the grid into the space above it, so that
 * a heading whose ascent differs slightly from the body's does not lose a
 * whole grid line. */
static double snap(const struct pr_frame *fr, const struct pr_item *v, double y)
{
    if (!v->grid || fr->baseline <= 0)
        return y;
    double base = y + v->ascent;
    double k = ceil((base - fr->grid_origin) / fr->baseline - 0.2);
    return fr->grid_origin + k * fr->baseline - v->ascent;
}

static void place_pending(struct state *s, const struct pr_items *it, struct pr_place *pl, int *done)
{
    int keep = 0;
    for (int k = 0; k < s->npending; k++) {
        int f = s->pending[k];
        const struct pr_item *v = &it->v[f];
        if (s->y + v->height <= s->fr->bottom + EPS || s->y <= s->coltop + EPS) {
            pl[f] = (struct pr_place){s->page, s->col, s->y};
            s->y += v->height;
            done[f] = 1;
        } else
            s->pending[keep++] = f;
    }
    s->npending = keep;
}

static void next_column(struct state *s, const struct pr_items *it, struct pr_place *pl, int *done)
{
    if (++s->col >= s->fr->columns) {
        s->col = 0;
        s->page++;
    }
    s->coltop = s->y = col_top(s);
    place_pending(s, it, pl, done);
}

/* Flow items [from, to) starting on page 0; returns pages used. */
static int flow(const struct pr_frame *fr, const struct pr_items *it, int from, int to,
                struct pr_place *pl, int *done)
{
    int *pend = pr_xmalloc((size_t)(to - from + 1) * sizeof *pend);
    struct state s = {fr, 0, 0, 0, 0, pend, 0};
    s.coltop = s.y = col_top(&s);
    int i = from;
    int guard = 0;
    while (i < to) {
        const struct pr_item *v = &it->v[i];
        if (v->kind == PR_IT_SPACE) {
            pl[i] = (struct pr_place){s.page, s.col, s.y};
            done[i] = 1;
            if (s.y > s.coltop + EPS)
                s.y += v->height;
            if (s.y > fr->bottom + EPS)
                next_column(&s, it, pl, done);
            i++;
            continue;
        }
        if (v->kind == PR_IT_FLOAT) {
            if (s.npending == 0 && (s.y + v->height <= fr->bottom + EPS || s.y <= s.coltop + EPS)) {
                pl[i] = (struct pr_place){s.page, s.col, s.y};
                s.y += v->height;
                done[i] = 1;
            } else
                s.pending[s.npending++] = i;
            i++;
            continue;
        }
        /* a chunk: items up to the next place a column may end */
        int j = i + 1;
        while (j < to && !it->v[j].break_before && it->v[j].kind != PR_IT_FLOAT &&
               it->v[j].kind != PR_IT_SPACE)
            j++;
        double y = s.y;
        bool fits = true;
        for (int k = i; k < j; k++) {
            double top = snap(fr, &it->v[k], y);
            y = top + it->v[k].height;
            if (y > fr->bottom + EPS) {
                fits = false;
                break;
            }
        }
        if (!fits && s.y > s.coltop + EPS && guard < 2) {
            next_column(&s, it, pl, done);
            guard++;
            continue;
        }
        /* fits, or the column is empty and the chunk is taller than it:
         * place item by item, breaking wherever the column is full */
        guard = 0;
        for (int k = i; k < j; k++) {
            double top = snap(fr, &it->v[k], s.y);
            if (top + it->v[k].height > fr->bottom + EPS && s.y > s.coltop + EPS) {
                next_column(&s, it, pl, done);
                top = snap(fr, &it->v[k], s.y);
            }
            pl[k] = (struct pr_place){s.page, s.col, top};
            done[k] = 1;
            s.y = top + it->v[k].height;
        }
        i = j;
    }
    while (s.npending > 0) {
        int before = s.npending;
        next_column(&s, it, pl, done);
        if (s.npending == before) { /* cannot happen: an empty column takes a float */
            break;
        }
    }
    free(pend);
    return s.page + 1;
}

int pr_flow_run(const struct pr_frame *fr, const struct pr_items *it, struct pr_place *pl)
{
    if (it->n == 0)
        return 1;
    int *done = pr_xmalloc((size_t)it->n * sizeof *done);
    memset(done, 0, (size_t)it->n * sizeof *done);
    int pages = flow(fr, it, 0, it->n, pl, done);
    free(done);
    if (!fr->balance || fr->columns < 2)
        return pages;
    /* Balance the last page: find its first item, then the shortest column
     * height (in grid steps) that still holds the rest on one page. Pages
     * holding floats are left as they are: a float may have come from an
     * earlier page. */
    int last = pages - 1, s = it->n;
    for (int i = 0; i < it->n; i++)
        if (pl[i].page == last) {
            s = i;
            break;
        }
    for (int i = 0; i < it->n; i++)
        if ((i < s) == (pl[i].page == last))
            return pages; /* a float from an earlier page landed here, or one moved on */
    struct pr_frame sub = *fr;
    double top = last == 0 ? fr->first_top : fr->top;
    sub.first_top = top;
    sub.balance = false;
    double step = fr->baseline > 0 ? fr->baseline : 12;
    int n = it->n - s;
    struct pr_place *tmp = pr_xmalloc((size_t)n * sizeof *tmp);
    int *pdone = pr_xmalloc((size_t)n * sizeof *pdone);
    struct pr_items part = {it->v + s, n, n};
    /* start from the height the content would need if split evenly */
    double total = 0;
    for (int i = 0; i < n; i++)
        total += part.v[i].height;
    double h0 = floor(total / fr->columns / step) * step;
    if (h0 < step)
        h0 = step;
    for (double h = h0; top + h < fr->bottom + EPS; h += step) {
        sub.bottom = top + h;
        memset(pdone, 0, (size_t)n * sizeof *pdone);
        if (flow(&sub, &part, 0, n, tmp, pdone) == 1) {
            for (int i = 0; i < n; i++)
                pl[s + i] = (struct pr_place){last, tmp[i].col, tmp[i].y};
            break;
        }
    }
    free(tmp);
    free(pdone);
    return pages;
}

/* flow.c - typesetting: flows an article's items (lines, spaces, rules,
 * floating figures) into columns and pages. Body lines sit on the baseline
 * grid so neighbouring columns align; a column may end only where an item
 * allows it (break_before), which is how para-level widow/orphan rules and
 * keep-with-next headings are expressed (pages.c sets them; the
 * widow/orphan rule is pr_flow_line_breaks, here). Floats that do not fit
 * go to the top of the next column; spans (tables across the columns) to
 * the top of the next page, the columns starting below them. A table's
 * row at the top of a column gets its header again above it. The last
 * page's columns are balanced.
 * Called by pages.c; pure geometry, no Pango. */
#include "typeset.h"
#include "kept.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EPS 0.01

struct pr_item *pr_items_push(struct pr_arena *a, struct pr_items *it)
{
    return PR_PUSH(a, it->v, it->n, it->cap);
}

void pr_flow_line_breaks(struct pr_item *it, int i, int n, int keep_lines, bool after_hyphen,
                         bool hyphen_last_line)
{
    if (i <= 0)
        return;
    bool rules = i >= 2 && n - i >= 2 && i >= keep_lines;
    it->break_before = rules && (hyphen_last_line || !after_hyphen);
    it->break_soft = rules && !it->break_before;
}

/* What a balancing trial's flow read of the first page's column limits:
 * for column c, the deepest bottom it found within the limit (lo[c]) and
 * the shallowest it found past it (hi[c]). Any limits that answer each of
 * those questions the same way give the same flow (see balance_try). */
struct deps {
    double lo[64], hi[64];
    bool opaque; /* read a limit some other way: no reuse */
};

struct state {
    const struct pr_frame *fr;
    int page, col;
    double coltop, y;
    int *pending; /* floats waiting for the next column */
    int npending;
    int *spans;   /* spans waiting for the next page */
    int nspans;
    double span_down; /* the columns of this page start this far down, below its spans */
    /* what waited for this page when it began (a span met on it starts it
     * again), and the first item the loop placed on it */
    int *snap_pending, *snap_spans;
    int snap_npending, snap_nspans;
    int first, first_page, restarted;
    const double *limits; /* bottom of each column of the first page (balancing); NULL: fr->bottom */
    int forced;           /* columns ended where no item allowed it (a chunk taller than a column) */
    struct deps *deps;    /* balancing: what the flow read of the limits; NULL: not noted */
};

static double col_top(const struct state *s)
{
    return pr_frame_top(s->fr, s->page, s->col) + s->span_down;
}

static double col_bottom(const struct state *s)
{
    double b = s->limits && s->page == 0 ? s->limits[s->col] : s->fr->bottom;
    if (s->fr->band_h > 0 && s->page == s->fr->band_page)
        b = fmin(b, s->fr->bottom - s->fr->band_h);
    return b;
}

/* What within() read of this column's limit (struct deps): y <=
 * fmin(limit, band) + EPS is y <= limit + EPS and y <= band + EPS; a no
 * that the band alone gives does not read the limit. */
static void note_limit(struct state *s, double y, bool yes)
{
    struct deps *d = s->deps;
    int c = s->col;
    bool band = s->fr->band_h > 0 && s->page == s->fr->band_page;
    if (yes)
        d->lo[c] = y > d->lo[c] ? y : d->lo[c]; /* (fmax, fmin without libm: the same, NaN too) */
    else if (!(band && y > s->fr->bottom - s->fr->band_h + EPS))
        d->hi[c] = y < d->hi[c] ? y : d->hi[c];
}

/* Does something reaching down to y stay within the column (EPS)? With
 * limits (a balancing trial's first page), notes what the answer read. */
static inline bool within(struct state *s, double y)
{
    bool yes = y <= col_bottom(s) + EPS;
    if (s->deps && s->limits && s->page == 0)
        note_limit(s, y, yes);
    return yes;
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
        if (within(s, s->y + v->height) || s->y <= s->coltop + EPS) {
            pl[f] = (struct pr_place){s->page, s->col, s->y, 0};
            s->y += v->height;
            done[f] = 1;
        } else
            s->pending[keep++] = f;
    }
    s->npending = keep;
}

/* A span at the top of this page, above its columns. */
static void place_span(struct state *s, const struct pr_items *it, struct pr_place *pl, int *done, int i)
{
    pl[i] = (struct pr_place){s->page, 0, col_top(s), 0};
    done[i] = 1;
    s->span_down += it->v[i].height;
    s->coltop = s->y = col_top(s);
}

/* A page begins: what waits for it is remembered, the spans waiting
 * for it placed at its top. */
static void begin_page(struct state *s, const struct pr_items *it, struct pr_place *pl, int *done)
{
    s->col = 0;
    s->span_down = 0;
    memcpy(s->snap_pending, s->pending, (size_t)s->npending * sizeof *s->pending);
    memcpy(s->snap_spans, s->spans, (size_t)s->nspans * sizeof *s->spans);
    s->snap_npending = s->npending;
    s->snap_nspans = s->nspans;
    {
        /* the spans waiting for this page, as many as fit (the first always) */
        int k = 0;
        for (; k < s->nspans; k++) {
            const struct pr_item *v = &it->v[s->spans[k]];
            if (k > 0 && !within(s, col_top(s) + v->height))
                break;
            place_span(s, it, pl, done, s->spans[k]);
        }
        memmove(s->spans, s->spans + k, (size_t)(s->nspans - k) * sizeof *s->spans);
        s->nspans -= k;
    }
}

static void next_column(struct state *s, const struct pr_items *it, struct pr_place *pl, int *done)
{
    if (++s->col >= s->fr->columns) {
        s->page++;
        begin_page(s, it, pl, done);
    }
    s->coltop = s->y = col_top(s);
    place_pending(s, it, pl, done);
}

/* Span i, met on a page that already holds text, goes to the top of that
 * page when it leaves room for a few lines below: the page is set again
 * from where it began, the span first. Once a page. Returns the item to
 * go on from, or -1 (the span waits for the next page). */
static int restart_page(struct state *s, const struct pr_items *it, struct pr_place *pl, int *done, int from,
                        int i)
{
    const struct pr_frame *fr = s->fr;
    double top = (s->page == 0 ? fr->first_top : fr->top);
    if (s->restarted == s->page || s->nspans > 0 || s->snap_nspans > 0)
        return -1;
    if (s->deps && s->limits && s->page == 0)
        s->deps->opaque = true;
    if (it->v[i].height + 4 * fmax(fr->baseline, 1) > col_bottom(s) - top)
        return -1;
    s->restarted = s->page;
    for (int k = from; k < i; k++)
        if (done[k] && pl[k].page == s->page)
            done[k] = 0;
    memcpy(s->pending, s->snap_pending, (size_t)s->snap_npending * sizeof *s->pending);
    s->npending = s->snap_npending;
    s->spans[0] = i;
    s->nspans = 1;
    begin_page(s, it, pl, done);
    s->coltop = s->y = col_top(s);
    place_pending(s, it, pl, done);
    return s->first_page == s->page ? s->first : i + 1;
}

/* The header of the table whose row is item k: the nearest item before it
 * marked head with the same tag (-1: none). */
static int table_head(const struct pr_items *it, int k)
{
    int tag = it->v[k].table;
    if (!tag || it->v[k].head)
        return -1;
    for (int j = k - 1; j >= 0; j--)
        if (it->v[j].table == tag && it->v[j].head)
            return j;
    return -1;
}

/* Where item k goes when the column holds s->y so far: a table's row that
 * starts a column its header is not in gets the header again above it. */
static double place_at(const struct state *s, const struct pr_items *it, const struct pr_place *pl,
                       const int *done, int k, int *repeat)
{
    const struct pr_frame *fr = s->fr;
    double y = s->y;
    *repeat = 0;
    /* only at a column's top, where looking for the header is worth it */
    int h = it->v[k].table && s->y <= s->coltop + EPS ? table_head(it, k) : -1;
    if (h >= 0) {
        /* the row before it in the flow, if it is the same table's, is elsewhere */
        int prev = k - 1;
        while (prev > h && (!done[prev] || it->v[prev].table != it->v[k].table))
            prev--;
        if (done[prev] && (pl[prev].page != s->page || pl[prev].col != s->col)) {
            *repeat = h + 1;
            y += it->v[h].height;
        }
    }
    return snap(fr, &it->v[k], y);
}

/* The loop placed item i where it is now (not a float that waited). */
static void first_on_page(struct state *s, int i)
{
    if (s->first_page != s->page) {
        s->first_page = s->page;
        s->first = i;
    }
}

/* The end of the chunk that starts at item i (before `to`): the items up
 * to the next place a column may end. */
static inline int chunk_end(const struct pr_frame *fr, const struct pr_items *it, int i, int to)
{
    int j = i + 1;
    while (j < to && !it->v[j].break_before && !(fr->soft_breaks && it->v[j].break_soft) &&
           it->v[j].kind != PR_IT_FLOAT && it->v[j].kind != PR_IT_SPACE)
        j++;
    return j;
}

/* Does chunk [i, j) fit in what is left of the column? *soft: its last
 * soft break (after a hyphenated line) with what is before it fitting
 * (-1: none). */
static inline bool chunk_fits(struct state *s, const struct pr_items *it, const struct pr_place *pl, const int *done,
                              int i, int j, int *soft)
{
    double y = s->y;
    *soft = -1;
    for (int k = i; k < j; k++) {
        int rep;
        double top = k == i ? place_at(s, it, pl, done, k, &rep) : snap(s->fr, &it->v[k], y);
        y = top + it->v[k].height;
        if (!within(s, y))
            return false;
        if (k + 1 < j && it->v[k + 1].break_soft)
            *soft = k + 1;
    }
    return true;
}

/* Flow items [from, to) starting on page 0; returns pages used. limits:
 * see struct state; *forced (when given): columns ended inside a chunk;
 * deps (when given, with limits): filled with what the flow read of the
 * limits. */
static int flow(const struct pr_frame *fr, const struct pr_items *it, int from, int to,
                struct pr_place *pl, int *done, const double *limits, int *forced, struct deps *deps)
{
    int *pend = pr_xmalloc((size_t)(to - from + 1) * sizeof *pend);
    size_t cap = (size_t)(to - from + 1);
    int *spans = pr_xmalloc(cap * sizeof *spans);
    int *snaps = pr_xmalloc(2 * cap * sizeof *snaps);
    struct state s = {fr, 0, 0, 0, 0, pend, 0, spans, 0, 0, snaps, snaps + cap, 0, 0, -1, -1, -1, limits, 0, deps};
    s.coltop = s.y = col_top(&s);
    int i = from;
    int guard = 0;
    while (i < to) {
        const struct pr_item *v = &it->v[i];
        if (done[i] && v->kind == PR_IT_SPAN) {
            i++; /* set at a page's top when the page began again */
            continue;
        }

        if (v->kind == PR_IT_SPACE) {
            pl[i] = (struct pr_place){s.page, s.col, s.y, 0};
            done[i] = 1;
            first_on_page(&s, i);
            if (s.y > s.coltop + EPS)
                s.y += v->height;
            if (!within(&s, s.y))
                next_column(&s, it, pl, done);
            i++;
            continue;
        }
        if (v->kind == PR_IT_SPAN) {
            /* at the top of this page while nothing is on it, else the next */
            bool fresh = s.col == 0 && s.y <= s.coltop + EPS && s.nspans == 0;
            int again;
            if (fresh && (within(&s, s.y + v->height) || s.page > 0))
                place_span(&s, it, pl, done, i);
            else if ((again = restart_page(&s, it, pl, done, from, i)) >= 0) {
                i = again;
                guard = 0;
                continue;
            } else
                s.spans[s.nspans++] = i;
            i++;
            continue;
        }
        if (v->kind == PR_IT_FLOAT) {
            if (s.npending == 0 && (within(&s, s.y + v->height) || s.y <= s.coltop + EPS)) {
                pl[i] = (struct pr_place){s.page, s.col, s.y, 0};
                s.y += v->height;
                done[i] = 1;
                first_on_page(&s, i);
            } else
                s.pending[s.npending++] = i;
            i++;
            continue;
        }
        /* a chunk: items up to the next place a column may end */
        int j = chunk_end(fr, it, i, to), soft;
        bool fits = chunk_fits(&s, it, pl, done, i, j, &soft);
        if (!fits && s.y > s.coltop + EPS && guard < 2) {
            next_column(&s, it, pl, done);
            guard++;
            continue;
        }
        /* fits, or the column is empty and the chunk is taller than it:
         * end the column at the chunk's last soft break (after a hyphenated
         * line) that fits, rather than anywhere; else place item by item,
         * breaking wherever the column is full */
        if (!fits && soft > i)
            j = soft;
        guard = 0;
        for (int k = i; k < j; k++) {
            int rep;
            double top = place_at(&s, it, pl, done, k, &rep);
            if (!within(&s, top + it->v[k].height) && s.y > s.coltop + EPS) {
                if (k > i)
                    s.forced++;
                next_column(&s, it, pl, done);
                top = place_at(&s, it, pl, done, k, &rep);
            }
            pl[k] = (struct pr_place){s.page, s.col, top, rep};
            first_on_page(&s, k);
            done[k] = 1;
            s.y = top + it->v[k].height;
        }
        i = j;
    }
    while (s.npending > 0 || s.nspans > 0) {
        int before = s.npending + s.nspans;
        next_column(&s, it, pl, done);
        if (s.npending + s.nspans == before && s.col == 0) { /* cannot happen: an empty page */
            break;                                             /* takes a span and a float */
        }
    }
    free(pend);
    free(spans);
    free(snaps);
    if (forced)
        *forced = s.forced;
    return s.page + 1;
}

/* ---------- balancing the last page ----------
 *
 * The last page's items are flowed again into columns with a limit on each
 * column's depth, and the limits that end the columns closest to one depth
 * win. Limits go down the columns (a column is never allowed deeper than
 * the one before it, so the columns are as deep as the first or shorter
 * towards the right) and are tried from the shallowest first column up; every trial is an ordinary flow, so a
 * column still ends only where an item allows it (widows, orphans,
 * headings kept with their text) and never inside a chunk. The first
 * limits whose columns end within one grid line of each other are taken.
 * If none do (where a column may end is often scarce: not after a
 * hyphenated line, not inside a paragraph's first or last two lines), the
 * search is run again letting the last column be the deepest, and the
 * closest found is taken; if that still leaves columns more than three
 * lines apart, both searches are run once more letting a column end after
 * a hyphenated line. Floats take part like any item. */

/* A trial's flow kept for the trials after it: what it read of the
 * limits, and what came of it. */
struct trial {
    struct deps deps;
    bool used, ok;             /* ok: one page, no column forced */
    double spread, deepest;
    struct pr_place *place;
};

/* The last trials kept (the search changes the deeper columns' limits
 * most often, and a column's limit often changes nothing). */
#define BALANCE_KEPT 4

struct colrun;

struct balance {
    const struct pr_frame *sub;
    const struct pr_items *part;
    /* a simple page (see col_flow): the columns flowed so far, per column
     * by the item they start at (NULL: the page is not simple) */
    struct colrun ***runs;
    struct pr_place *best;
    int *done;
    double *limits;
    double step, top, best_spread, best_deepest;
    int trials;
    bool free_last;   /* the last column may be deeper than the one before */
    struct trial kept[BALANCE_KEPT];
    int next_kept;
};

#define BALANCE_MAX_TRIALS 20000

/* Would the flow with these limits read them as trial t's did? Then it
 * is the same flow: the limits enter it only through within(). */
static bool same_flow(const struct trial *t, const double *limits, int columns)
{
    if (!t->used)
        return false;
    for (int c = 0; c < columns; c++)
        if (!(t->deps.lo[c] <= limits[c] + EPS) || !(t->deps.hi[c] > limits[c] + EPS))
            return false;
    return true;
}

/* How far apart the columns' depths are (*deepest: the deepest). */
static double spread_of(const double *depth, int columns, double *deepest)
{
    double lo = depth[0], hi = depth[0];
    for (int c = 1; c < columns; c++) {
        lo = fmin(lo, depth[c]);
        hi = fmax(hi, depth[c]);
    }
    *deepest = hi;
    return hi - lo;
}

/* Is a trial whose columns end this far apart, the deepest this deep,
 * better than the best yet? Then it is the best (the caller keeps its
 * places). */
static bool better(struct balance *bl, double spread, double deepest)
{
    if (!(spread < bl->best_spread - EPS || (spread < bl->best_spread + EPS && deepest < bl->best_deepest - EPS)))
        return false;
    bl->best_spread = spread;
    bl->best_deepest = deepest;
    return true;
}

/* ---- a simple page, a column at a time ----
 *
 * A page of lines, spaces, rules and blocks that are no table's (no
 * float, no span, no table header to repeat) flows a column at a time:
 * what a column holds depends only on where it starts - the item, the
 * chunk being placed item by item when the column before ended inside
 * it, how often a chunk has already moved on for being too tall (flow's
 * guard) - and, through within() alone, on its own limit. So a trial
 * flows a column only when no trial before flowed it from the same start
 * with a limit that answers within() the same way (struct deps, for one
 * column); most trials change a later column's limit only, and their
 * columns before it are the same. col_flow is flow()'s loop for one
 * column of page 0 of such a page, step for step. */
struct colstart {
    int i;     /* the first item the column places */
    int j;     /* the end of the chunk it goes on placing item by item (-1: none) */
    int guard; /* flow's guard */
};

struct colrun {
    struct colstart from, to; /* where it started; where the next column starts */
    bool next;                /* it ended by moving on to the next column (else the items ran out) */
    int forced;
    double lo, hi;            /* what it read of its limit (struct deps) */
    double deepest;           /* the bottom of its deepest item but spaces (-INFINITY: none) */
    struct pr_place *pl;      /* items [from.i, to.i) */
    struct colrun *more;      /* another run from the same item */
};

static bool simple_page(const struct pr_items *it)
{
    for (int i = 0; i < it->n; i++) {
        const struct pr_item *v = &it->v[i];
        if (v->table || (v->kind != PR_IT_LINE && v->kind != PR_IT_SPACE && v->kind != PR_IT_RULE &&
                         v->kind != PR_IT_BLOCK))
            return false;
    }
    return true;
}

/* Place items [k, e) of a chunk item by item, as flow() does once a
 * chunk is not to move on whole (first: the chunk's first item, which
 * ends no column by force), into pl (item k at pl[k - base]) in column
 * s->col of page 0; returns the item the column ended before (-1: all
 * placed). */
static int col_place(struct state *s, const struct pr_items *it, int k, int e, int first, struct pr_place *pl,
                     int base, double *deepest)
{
    for (; k < e; k++) {
        int rep;
        double top = place_at(s, it, NULL, NULL, k, &rep);
        if (!within(s, top + it->v[k].height) && s->y > s->coltop + EPS) {
            if (k > first)
                s->forced++;
            return k;
        }
        pl[k - base] = (struct pr_place){0, s->col, top, 0};
        s->y = top + it->v[k].height;
        *deepest = s->y > *deepest ? s->y : *deepest;
    }
    return -1;
}

/* Flow column c of page 0 from `from` with its limit in *limits (flow()
 * on a simple page, stopping where it moves on to the next column). */
static struct colrun *col_flow(const struct pr_frame *fr, const struct pr_items *it, int c, struct colstart from,
                               const double *limits)
{
    int n = it->n;
    struct colrun *r = pr_xmalloc(sizeof *r);
    struct pr_place *pl = pr_xmalloc((size_t)(n - from.i + 1) * sizeof *pl);
    struct deps d;
    d.lo[c] = -INFINITY;
    d.hi[c] = INFINITY;
    d.opaque = false;
    struct state s = {fr, 0, c, 0, 0, NULL, 0, NULL, 0, 0, NULL, NULL, 0, 0, -1, -1, -1, limits, 0, &d};
    s.coltop = s.y = col_top(&s);
    int guard = from.guard, i = from.i, j = from.j;
    bool next = false;
    double deepest = -INFINITY;
    if (j >= 0) {
        /* the chunk the column before ended inside: its item i goes at
         * this column's top, the rest as the column allows */
        int at = col_place(&s, it, i, j, -1, pl, from.i, &deepest);
        if (at >= 0) {
            next = true;
            r->to = (struct colstart){at, j, 0};
        } else {
            i = j;
            guard = 0;
        }
    }
    while (!next && i < n) {
        const struct pr_item *v = &it->v[i];
        if (v->kind == PR_IT_SPACE) {
            pl[i - from.i] = (struct pr_place){0, c, s.y, 0};
            if (s.y > s.coltop + EPS)
                s.y += v->height;
            i++;
            if (!within(&s, s.y)) {
                next = true;
                r->to = (struct colstart){i, -1, guard};
            }
            continue;
        }
        int e = chunk_end(fr, it, i, n), soft;
        bool fits = chunk_fits(&s, it, NULL, NULL, i, e, &soft);
        if (!fits && s.y > s.coltop + EPS && guard < 2) {
            next = true;
            r->to = (struct colstart){i, -1, guard + 1};
            break;
        }
        if (!fits && soft > i)
            e = soft;
        guard = 0;
        int at = col_place(&s, it, i, e, i, pl, from.i, &deepest);
        if (at >= 0) {
            next = true;
            r->to = (struct colstart){at, e, 0};
        } else
            i = e;
    }
    r->from = from;
    if (!next)
        r->to = (struct colstart){n, -1, guard};
    r->next = next;
    r->forced = s.forced;
    r->lo = d.lo[c];
    r->hi = d.hi[c];
    r->deepest = deepest;
    r->pl = pl;
    r->more = NULL;
    return r;
}

/* Column c from `from` with limit limits[c]: flowed before, or now. */
static const struct colrun *col_run(struct balance *bl, int c, struct colstart from)
{
    double lim = bl->limits[c];
    struct colrun **head = &bl->runs[c][from.i];
    for (struct colrun *r = *head; r; r = r->more)
        if (r->from.j == from.j && r->from.guard == from.guard && r->lo <= lim + EPS && r->hi > lim + EPS)
            return r;
    struct colrun *r = col_flow(bl->sub, bl->part, c, from, bl->limits);
    r->more = *head;
    *head = r;
    return r;
}

static void col_runs_free(struct balance *bl)
{
    int n = bl->part->n;
    for (int c = 0; c < bl->sub->columns; c++) {
        for (int i = 0; i <= n; i++)
            for (struct colrun *r = bl->runs[c][i], *next; r; r = next) {
                next = r->more;
                free(r->pl);
                free(r);
            }
        memset(bl->runs[c], 0, (size_t)(n + 1) * sizeof *bl->runs[c]);
    }
}

/* balance_try for a simple page: the trial's columns one by one. */
static void balance_try_columns(struct balance *bl)
{
    int cols = bl->sub->columns;
    bl->trials++;
    const struct colrun *chain[64];
    struct colstart at = {0, -1, 0};
    int forced = 0, used = 0;
    bool ok = false;
    for (int c = 0; c < cols; c++) {
        const struct colrun *r = col_run(bl, c, at);
        chain[used++] = r;
        forced += r->forced;
        if (!r->next) {
            ok = forced == 0;
            break;
        }
        at = r->to; /* (past the last column: the next page, no trial) */
    }
    if (!ok)
        return;
    double depth[64], deepest;
    for (int c = 0; c < cols; c++)
        depth[c] = c < used && chain[c]->deepest > -INFINITY ? fmax(0, chain[c]->deepest - bl->top) : 0;
    if (better(bl, spread_of(depth, cols, &deepest), deepest))
        for (int c = 0; c < used; c++) {
            const struct colrun *r = chain[c];
            memcpy(bl->best + r->from.i, r->pl, (size_t)(r->to.i - r->from.i) * sizeof *bl->best);
        }
}

/* Flow with the current limits (or take a kept trial that flowed the
 * same); keep the result if it is the best yet. */
static void balance_try(struct balance *bl)
{
    if (bl->runs) {
        balance_try_columns(bl);
        return;
    }
    const struct pr_frame *fr = bl->sub;
    int n = bl->part->n, forced = 0;
    bl->trials++;
    const struct trial *t = NULL;
    for (int k = 0; k < BALANCE_KEPT && !t; k++)
        if (same_flow(&bl->kept[k], bl->limits, fr->columns))
            t = &bl->kept[k];
    if (!t) {
        struct trial *nt = &bl->kept[bl->next_kept];
        for (int c = 0; c < fr->columns; c++) {
            nt->deps.lo[c] = -INFINITY;
            nt->deps.hi[c] = INFINITY;
        }
        nt->deps.opaque = false;
        memset(bl->done, 0, (size_t)n * sizeof *bl->done);
        nt->ok = flow(fr, bl->part, 0, n, nt->place, bl->done, bl->limits, &forced, &nt->deps) == 1 && !forced;
        nt->used = !nt->deps.opaque;
        if (!nt->used)
            bl->next_kept = (bl->next_kept + BALANCE_KEPT - 1) % BALANCE_KEPT; /* its slot again */
        bl->next_kept = (bl->next_kept + 1) % BALANCE_KEPT;
        t = nt;
        if (nt->ok) {
            double depth[64] = {0};
            for (int i = 0; i < n; i++) {
                const struct pr_item *v = &bl->part->v[i];
                if (v->kind == PR_IT_SPACE)
                    continue;
                double d = nt->place[i].y + v->height - bl->top;
                if (d > depth[nt->place[i].col])
                    depth[nt->place[i].col] = d;
            }
            nt->spread = spread_of(depth, fr->columns, &nt->deepest);
        }
    }
    if (t->ok && better(bl, t->spread, t->deepest))
        memcpy(bl->best, t->place, (size_t)n * sizeof *bl->best);
}

/* Choose limits for columns c.. (each at most `max` deep); the last
 * column may be as deep as the one before it. */
static void balance_search(struct balance *bl, int c, double max, double min)
{
    const struct pr_frame *fr = bl->sub;
    if (c == fr->columns - 1) {
        bl->limits[c] = bl->free_last ? fr->bottom : bl->top + max;
        balance_try(bl);
        return;
    }
    for (double h = max; h >= min - EPS && bl->trials < BALANCE_MAX_TRIALS; h -= bl->step) {
        bl->limits[c] = bl->top + h;
        balance_search(bl, c + 1, h, min);
        if (bl->best_spread <= bl->step + EPS && c > 0)
            return;
    }
}

/* Rebalance items [s, n) that all landed on the last page. */
static bool balance_last(const struct pr_frame *fr, const struct pr_items *it, int s, int last,
                         struct pr_place *pl)
{
    struct pr_frame sub = *fr;
    /* (columns beside a lead image start higher: the search's depths are
     * from the highest top, and each column keeps its own) */
    double top = last == 0 ? fr->first_top : fr->top;
    for (int c = 0; last == 0 && c < fr->columns && c < 16; c++)
        top = fmin(top, pr_frame_top(fr, 0, c));
    sub.first_top = top;
    bool band = fr->band_h > 0 && fr->band_page == last;
    sub.band_page = 0;
    sub.band_h = band ? fr->band_h : 0;
    sub.balance = false;
    double step = fr->baseline > 0 ? fr->baseline : 12;
    int n = it->n - s;
    struct pr_items part = {it->v + s, n, n};
    double total = 0;
    for (int i = 0; i < n; i++)
        total += part.v[i].height;
    struct balance bl = {.sub = &sub, .part = &part, .step = step, .top = top,
                         .best_spread = INFINITY, .best_deepest = INFINITY};
    if (simple_page(&part) && fr->columns <= 64) {
        bl.runs = pr_xmalloc((size_t)fr->columns * sizeof *bl.runs);
        for (int c = 0; c < fr->columns; c++) {
            bl.runs[c] = pr_xmalloc((size_t)(n + 1) * sizeof *bl.runs[c]);
            memset(bl.runs[c], 0, (size_t)(n + 1) * sizeof *bl.runs[c]);
        }
    }
    for (int k = 0; k < BALANCE_KEPT; k++)
        bl.kept[k].place = pr_xmalloc((size_t)n * sizeof *bl.kept[k].place);
    bl.best = pr_xmalloc((size_t)n * sizeof *bl.best);
    bl.done = pr_xmalloc((size_t)n * sizeof *bl.done);
    bl.limits = pr_xmalloc((size_t)fr->columns * sizeof *bl.limits);
    double full = fr->bottom - sub.band_h - top;
    double min = fmax(step, (floor(total / fr->columns / step) - 1) * step);
    /* the first column's limit from the shallowest up: stop at the first
     * that gives columns within a line of each other */
    for (int pass = 0; pass < 4 && bl.best_spread > step + EPS; pass++) {
        bl.free_last = pass % 2 == 1;
        /* last resort: a column may end after a hyphenated line */
        sub.soft_breaks = pass >= 2;
        if (pass == 2 && bl.best_spread <= 3 * step + EPS)
            break;
        /* a kept trial (or column) flowed without soft breaks */
        for (int k = 0; pass == 2 && k < BALANCE_KEPT; k++)
            bl.kept[k].used = false;
        if (pass == 2 && bl.runs)
            col_runs_free(&bl);
        if (pass == 2)
            bl.trials = 0;
        for (double h = fmin(min, full); h <= full + EPS && bl.trials < BALANCE_MAX_TRIALS; h += step) {
            bl.limits[0] = top + h;
            balance_search(&bl, 1, h, min);
            if (bl.best_spread <= step + EPS)
                break;
        }
    }
    bool found = bl.best_spread < INFINITY;
    if (found)
        for (int i = 0; i < n; i++)
            pl[s + i] = (struct pr_place){last, bl.best[i].col, bl.best[i].y, bl.best[i].repeat};
    if (bl.runs) {
        col_runs_free(&bl);
        for (int c = 0; c < fr->columns; c++)
            free(bl.runs[c]);
        free(bl.runs);
    }
    for (int k = 0; k < BALANCE_KEPT; k++)
        free(bl.kept[k].place);
    free(bl.best);
    free(bl.done);
    free(bl.limits);
    return found;
}

/* ---------- balanced last pages, remembered ----------
 *
 * Balancing tries many column depths, each a flow of the page's items: it
 * was 5 % of a build's time (on the main thread, which fits and pages),
 * and 14 % of a watch rebuild's, where the articles not edited balance
 * the same pages again. A balanced page is kept by a digest of everything
 * the balancing reads (the frame, whether the page is the galley's first
 * and holds its band, each item's kind, height, ascent, grid, breaks and
 * table) with where each item went; the 64-article bench balances 406
 * pages, 320 of them different. Shared by the builds of a process
 * (kept.h). */
static struct pr_kept balanced = PR_KEPT_INIT(8u << 20); /* SHA-1 digest -> struct kept_place[] */

struct kept_place {
    double y;
    int col, repeat;
};

/* The digest of what balancing items [s, n) of `it` as page `last` reads. */
static GBytes *balance_key(const struct pr_frame *fr, const struct pr_items *it, int s, int last)
{
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA1);
    struct {
        int columns, first, band;
        double col_w, gutter, top, bottom, first_top, grid_origin, baseline, band_h, col_top[16];
    } f;
    memset(&f, 0, sizeof f);
    f.columns = fr->columns;
    f.first = last == 0;
    f.band = fr->band_page == last;
    f.col_w = fr->col_w;
    f.gutter = fr->gutter;
    f.top = fr->top;
    f.bottom = fr->bottom;
    f.first_top = fr->first_top;
    f.grid_origin = fr->grid_origin;
    f.baseline = fr->baseline;
    f.band_h = fr->band_h;
    memcpy(f.col_top, fr->col_top, sizeof f.col_top);
    g_checksum_update(c, (const guchar *)&f, sizeof f);
    for (int i = s; i < it->n; i++) {
        const struct pr_item *v = &it->v[i];
        struct {
            double height, ascent;
            int kind, table;
            unsigned char grid, before, soft, head;
        } k;
        memset(&k, 0, sizeof k);
        k.height = v->height;
        k.ascent = v->ascent;
        k.kind = v->kind;
        k.table = v->table;
        k.grid = v->grid;
        k.before = v->break_before;
        k.soft = v->break_soft;
        k.head = v->head;
        g_checksum_update(c, (const guchar *)&k, sizeof k);
    }
    guint8 d[20];
    gsize dn = sizeof d;
    g_checksum_get_digest(c, d, &dn);
    g_checksum_free(c);
    return g_bytes_new(d, dn);
}

void pr_flow_caches_free(void)
{
    pr_kept_free(&balanced);
}

/* Balance items [s, n) as the galley's last page, or place them as the
 * same page balanced before was (a page balancing found nothing better
 * for is kept as such: its items stay where the flow put them). */
static void balance_kept(const struct pr_frame *fr, const struct pr_items *it, int s, int last, struct pr_place *pl)
{
    int n = it->n - s;
    GBytes *key = balance_key(fr, it, s, last);
    GBytes *had = pr_kept_get(&balanced, key);
    gsize len = 0;
    const struct kept_place *k = had ? g_bytes_get_data(had, &len) : NULL;
    if (had && (len == 0 || len == (gsize)n * sizeof *k)) {
        for (int i = 0; i < n && len; i++)
            pl[s + i] = (struct pr_place){last, k[i].col, k[i].y, k[i].repeat};
        g_bytes_unref(had);
        g_bytes_unref(key);
        return;
    }
    if (had)
        g_bytes_unref(had);
    bool found = balance_last(fr, it, s, last, pl);
    struct kept_place *out = pr_xmalloc((size_t)(n ? n : 1) * sizeof *out);
    for (int i = 0; i < n; i++)
        out[i] = (struct kept_place){pl[s + i].y, pl[s + i].col, pl[s + i].repeat};
    GBytes *val = g_bytes_new_take(out, found ? (size_t)n * sizeof *out : 0);
    pr_kept_put(&balanced, key, val);
    g_bytes_unref(key);
    g_bytes_unref(val);
}

int pr_flow_run(const struct pr_frame *fr, const struct pr_items *it, struct pr_place *pl)
{
    if (it->n == 0)
        return 1;
    int *done = pr_xmalloc((size_t)it->n * sizeof *done);
    memset(done, 0, (size_t)it->n * sizeof *done);
    int pages = flow(fr, it, 0, it->n, pl, done, NULL, NULL, NULL);
    free(done);
    if (!fr->balance || fr->columns < 2)
        return pages;
    /* Balance the last page. Pages holding floats from an earlier page are
     * left as they are: a float may have come from there. */
    int last = pages - 1, s = it->n;
    for (int i = 0; i < it->n; i++)
        if (pl[i].page == last) {
            s = i;
            break;
        }
    for (int i = 0; i < it->n; i++)
        if ((i < s) == (pl[i].page == last))
            return pages; /* a float from an earlier page landed here, or one moved on */
    for (int i = s; i < it->n; i++) {
        int h = table_head(it, i);
        if (h >= 0 && h < s)
            return pages; /* a table from an earlier page: balancing would not see its header */
    }
    if (fr->columns <= 64)
        balance_kept(fr, it, s, last, pl);
    return pages;
}

/* linebreak.c - typesetting: the total-fit line breaker of Knuth and Plass,
 * "Breaking Paragraphs into Lines" (Software: Practice and Experience 11,
 * 1981), as TeX implements it (tex.web, parts 38-39). Pure arithmetic over
 * boxes, glue and penalties; para.c feeds it Pango's widths. See linebreak.h.
 *
 * The algorithm. A paragraph is a list of boxes (text that cannot be split),
 * glue (a space with a natural width that may stretch or shrink) and
 * penalties (places a line may end at a cost, such as a hyphenation point,
 * which adds the hyphen's width to a line ending there). A line may end at a
 * glue that follows a box or at a penalty below +infinity. For a line from
 * break a to break b, the adjustment ratio r is the shortfall divided by the
 * glue's total stretch (or the excess by its shrink); badness is 100|r|^3.
 * Each line's demerits are (line_penalty + badness)^2 plus the penalty
 * squared (minus it for negative penalties), plus extra demerits for two
 * hyphenated lines in a row, for a hyphen on the second last line and for
 * neighbouring lines in fitness classes (tight, decent, loose, very loose)
 * more than one class apart. The best paragraph has the least total.
 *
 * Dynamic programming makes that cheap: walking the list once, the breaker
 * keeps the "active" breakpoints from which a line could still reach the
 * current position. At every legal breakpoint it tries a line from each
 * active one; a line that would have to shrink more than its glue allows
 * (r < -1) deactivates its start, since longer lines only get worse. The
 * best way to reach the new breakpoint is remembered per fitness class and
 * per line number while line lengths still differ (TeX's easy_line), so the
 * number of active breakpoints stays small: about one line's worth.
 * At the end, the active breakpoint with the least total demerits gives the
 * breaks, followed back through each one's predecessor (looseness 0).
 * TeX's \looseness (Knuth & Plass's "looseness", tex.web 875): with a
 * looseness of -1 or +1 every line number is kept apart among the active
 * breakpoints, and at the end the one whose line count is closest to the
 * optimum's plus the looseness wins, ties to the fewest demerits (a
 * paragraph set a line shorter or longer to make a page come out).
 *
 * Two passes, as TeX's second and final ones: first only lines with
 * -1 <= r <= tolerance; if no set of breaks survives, again with every
 * line rated as if its glue could stretch emergency_stretch more (TeX's
 * \emergencystretch: the looseness then spreads over several lines instead
 * of piling up in one, and a line of one word gets a finite badness), any
 * stretch allowed and, when a single box is wider than the measure, an
 * overfull line where TeX would make one (its "artificial demerits").
 * Beyond TeX, an optional limit on consecutive hyphenated lines (as
 * InDesign and QuarkXPress offer): the run of hyphens ending at a break is
 * part of its state, like the fitness class, and a break that would make
 * the run too long is not feasible. And optional demerits for a last line
 * shorter than a given width (a runt), as CSS's text-wrap: pretty and
 * several composers weigh it.
 *
 * Letter spacing, as microtype's tracking and InDesign's justification
 * settings use it: boxes may carry stretch and shrink too (their letter
 * gaps'). Up to r = 1 (and down to r = -1) a line's glue and boxes adjust
 * together in proportion; past r = 1 the letters stay at their limit and
 * the glue alone takes the rest, so the ratio of a line with letter stretch
 * Yb and glue stretch Y that is s short is s / (Y + Yb) up to 1, then
 * 1 + (s - Y - Yb) / Y. A line without glue gets nothing from its letters
 * (a word alone is not spaced out). Optional demerits for a line past
 * r = 1 (TeX's very loose class): with the letters at their limit, that is
 * where word spaces begin to show as holes.
 * Ragged lines (linebreak.h: ragged), TeX's ragged right with a finite
 * \rightskip stretch (The TeXbook, chapter 14): spaces keep their widths
 * and each line's badness comes from its shortfall against a rag zone;
 * beyond TeX, demerits for a line much shorter or longer than the one
 * before and for the third line of a stair-step, which the ragged fitness
 * classes (parts of the rag zone) keep apart the way TeX's keep its
 * tight and loose lines.
 * Other implementations read for this one: SILE core/break.lua and
 * bramstein/typeset (linebreak.js), both following the paper. */
#include "linebreak.h"
#include "arena.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define INF_BAD 10000.0
#define AWFUL 1e30

struct pr_lb_params pr_linebreak_defaults(void)
{
    struct pr_lb_params p;
    memset(&p, 0, sizeof p);
    p.tolerance = 2.0;
    p.line_penalty = 10;
    p.double_hyphen_demerits = 10000;
    p.final_hyphen_demerits = 5000;
    p.adj_demerits = 10000;
    return p;
}

/* A feasible breakpoint: active while lines may still start from it, and
 * kept afterwards (passive) for following the chosen breaks back. */
struct brk {
    int pos;          /* node index; -1 for the paragraph's start */
    int line;         /* lines ended at this break */
    int fitness;      /* 0 very loose, 1 loose, 2 decent, 3 tight */
    bool flagged;
    int run;          /* hyphenated lines in a row ending here */
    int loose;        /* from the paragraph's start to here: 2 for each line past r = 1 (not the
                         last), 1 for each below r = -1 (second pass; a tight line shows less) */
    bool runt;        /* the paragraph's end: its last line is a runt */
    double demerits;  /* total from the paragraph's start */
    double ratio;     /* of the line ending here */
    int prev;         /* the break before, in the pool; -1 */
    bool overfull;    /* the line ending here is wider than its glue allows (final pass) */
    double shortfall; /* ragged: how far the line ending here is short of its measure; NAN when
                         the next line has none to be compared with (the start, a forced break) */
    int trend;        /* ragged: -1 the line ending here is shorter than the one before by a
                         quarter of the rag zone or more, +1 longer, else 0 */
};

struct cand {
    double demerits, ratio;
    int from, fitness, run, loose;
    bool runt, overfull;
    double shortfall;
    int trend;
};

struct run {
    const struct pr_lb_node *v;
    int n;
    const struct pr_lb_params *p;
    double *sw, *sy, *sz;   /* sums of widths, glue stretch, shrink of nodes [0, i) */
    double *sb, *sbz;       /* sums of box (letter-spacing) stretch and shrink */
    int *next;              /* after a break at i, the next line's content starts at node next[i] */
    struct brk *pool;
    int npool, pool_cap;
    int *active;
    int nactive, active_cap;
    /* try_break's candidates: all AWFUL between calls; the ones a call
     * set are listed in touched and put back after it (most legal breaks
     * reach no class, and a paragraph has thousands of them) */
    struct cand *cands;
    int cands_cap;
    int *touched;
    int ntouched;
    double least_avail; /* the shortest measure a line may have, before its end's hang */
    /* a looseness pass after the optimum is known (first_pass): only breaks
     * from which the paragraph can still end with `target` lines, as
     * fewest[] and most[] tell, become active, and the end is chosen among
     * those by opt's rules; target < 0 otherwise */
    int target;
    int *fewest, *most;     /* per legal break: bounds on the lines after it */
    int opt_loose;
    bool opt_runt;
};

static int push_brk(struct run *r, struct brk b)
{
    if (r->npool == r->pool_cap) {
        r->pool_cap = r->pool_cap ? r->pool_cap * 2 : 64;
        r->pool = pr_xrealloc(r->pool, (size_t)r->pool_cap * sizeof *r->pool);
    }
    r->pool[r->npool] = b;
    return r->npool++;
}

static void push_active(struct run *r, int k)
{
    if (r->nactive == r->active_cap) {
        r->active_cap = r->active_cap ? r->active_cap * 2 : 32;
        r->active = pr_xrealloc(r->active, (size_t)r->active_cap * sizeof *r->active);
    }
    r->active[r->nactive++] = k;
}

static double line_width(const struct pr_lb_params *p, int line)
{
    if (p->nwidths <= 0)
        return 0;
    return p->widths[line < p->nwidths ? line : p->nwidths - 1];
}

/* Fitness classes: TeX's four from the adjustment ratio. A ragged line
 * has no shrink: its classes part its shortfall, in rag zones, instead
 * (NFIT of them, finer than TeX's: up to a tenth of a zone short, a
 * quarter, half ... two and a half, further), so that the breaks kept
 * apart differ in how long their last line is, which the next line's rag
 * demerits read. */
#define NFIT 8
static int fitness_ragged(double zones)
{
    static const double bounds[NFIT - 1] = {2.5, 1.5, 1, 0.75, 0.5, 0.25, 0.1};
    int f = 0;
    while (f < NFIT - 1 && zones <= bounds[f])
        f++;
    return f;
}

static int fitness(double ratio)
{
    if (ratio > 1)
        return 0;
    if (ratio > 0.5)
        return 1;
    if (ratio >= -0.5)
        return 2;
    return 3;
}

/* The ratio of a line `short_` pt short of its measure, with glue stretch
 * y and box (letter) stretch yb: both take their share up to r = 1, then
 * the glue alone; a line without glue cannot stretch. */
static double stretch_ratio(double short_, double y, double yb)
{
    if (y <= 0)
        return INFINITY;
    if (short_ <= y + yb)
        return short_ / (y + yb);
    return 1 + (short_ - y - yb) / y;
}


/* Candidates are kept per line class, hyphen run and fitness class. */
#define NRUN 4
#define CAND(lc, run, fit) ((((lc) * NRUN) + (run)) * NFIT + (fit))

/* A legal breakpoint being tried, and what it gives a line ending there. */
struct at {
    int b;            /* its node */
    double pen;       /* its penalty; 0 at glue */
    double pw;        /* its width at a line's end (a hyphen's) */
    bool flagged;     /* a hyphenation point */
    bool forced;      /* every line must end here */
    bool last;        /* the paragraph's end */
};

/* A line from an active break to the one tried: its natural width, its
 * adjustment ratio and the ratio it is rated by (the same but for the
 * final pass's extra stretch). */
struct line {
    double w, ratio, rated;
    double y, yb; /* its glue's and letters' stretch (justified) */
    double over; /* r < -1: how much further the glue must shrink, a fraction of its shrink */
    double shortfall; /* avail - w */
    bool free_;  /* ragged: the last line (or one before a forced break), not rated */
};

/* A ragged line (linebreak.h): rated by its shortfall against the rag
 * zone, never shrunk; the last line (and one before a forced break) free. */
static void measure_ragged(const struct pr_lb_params *p, const struct at *at, double avail, double extra,
                           struct line *ln)
{
    ln->over = INFINITY;
    ln->shortfall = avail - ln->w;
    ln->free_ = at->last || at->forced;
    if (ln->w > avail + 1e-9)
        ln->ratio = ln->rated = -INFINITY;
    else if (ln->free_)
        ln->ratio = ln->rated = 0;
    else {
        ln->ratio = ln->shortfall / p->ragged;
        ln->rated = ln->shortfall / (p->ragged + extra);
    }
}

static struct line measure(const struct run *r, const struct brk *a, const struct at *at, double extra)
{
    const struct pr_lb_params *p = r->p;
    int b = at->b;
    int start = a->pos < 0 ? 0 : r->next[a->pos];
    double avail = line_width(p, a->line) + r->v[b].hang_end +
                   (a->line < p->plain_lines ? 0 : a->pos < 0 ? p->hang_first : r->v[a->pos].hang_start);
    struct line ln;
    ln.w = r->sw[b] - (start <= b ? r->sw[start] : r->sw[b]) + at->pw;
    ln.shortfall = avail - ln.w;
    ln.free_ = false;
    if (p->ragged > 0) {
        measure_ragged(p, at, avail, extra, &ln);
        return ln;
    }
    double y = r->sy[b] - (start <= b ? r->sy[start] : r->sy[b]);
    double yb = r->sb[b] - (start <= b ? r->sb[start] : r->sb[b]);
    ln.y = y;
    ln.yb = yb;
    double z = r->sz[b] - (start <= b ? r->sz[start] : r->sz[b]), zg = z;
    if (z > 0)
        z += r->sbz[b] - (start <= b ? r->sbz[start] : r->sbz[b]);
    ln.over = zg > 0 ? (ln.w - avail - z) / zg : INFINITY;
    if (ln.w < avail - 1e-9) {
        ln.ratio = stretch_ratio(avail - ln.w, y, yb);
        ln.rated = stretch_ratio(avail - ln.w, y + extra, yb);
    } else if (ln.w > avail + 1e-9)
        ln.ratio = ln.rated = z > 0 ? (avail - ln.w) / z : -INFINITY;
    else
        ln.ratio = ln.rated = 0;
    return ln;
}

/* Ragged: is this line a quarter of the rag zone or more shorter (-1) or
 * longer (+1) than the one before it (0: neither, or nothing before it)? */
static int rag_trend(const struct pr_lb_params *p, const struct brk *a, const struct line *ln)
{
    if (p->ragged <= 0 || ln->free_ || isnan(a->shortfall))
        return 0;
    double diff = (ln->shortfall - a->shortfall) / p->ragged;
    return diff >= 0.25 ? -1 : diff <= -0.25 ? 1 : 0;
}

/* The demerits of a feasible line of fitness class fit from active break a
 * (not counting a's own total): TeX's, plus a runt's and a loose line's. */
static double line_demerits(const struct pr_lb_params *p, const struct brk *a, const struct at *at,
                            const struct line *ln, int fit)
{
    /* (fmin(b, INF_BAD) without libm's call: the same for every b, NaN too) */
    double b = 100 * fabs(ln->rated) * ln->rated * ln->rated;
    double bad = isinf(ln->rated) ? INF_BAD : b < INF_BAD ? b : INF_BAD;
    double d = p->line_penalty + bad;
    d = d >= 10000 ? 1e8 : d * d;
    if (at->pen > 0)
        d += at->pen * at->pen;
    else if (at->pen > -PR_LB_INF)
        d -= at->pen * at->pen;
    if (a->flagged && at->last)
        d += p->final_hyphen_demerits;
    else if (a->flagged && at->flagged)
        d += p->double_hyphen_demerits;
    if (abs(fit - a->fitness) > 1)
        d += p->adj_demerits;
    if (at->last && ln->w < p->short_last_line)
        d += p->runt_demerits;
    if (ln->ratio > 1 && !at->last)
        d += p->loose_demerits;
    else if (ln->ratio < -1)
        d += p->loose_demerits / 2;
    if (p->ragged > 0 && !ln->free_ && !isnan(a->shortfall)) {
        /* the rag: a line much shorter or longer than the one before */
        double diff = (ln->shortfall - a->shortfall) / p->ragged;
        double excess = fabs(diff) - 0.5;
        if (excess > 0)
            d += p->rag_demerits * excess * excess;
        int trend = rag_trend(p, a, ln);
        if (trend != 0 && trend == a->trend)
            d += p->stair_demerits;
    }
    return d;
}

/* New active breaks at the break tried; like TeX, in each line class (and
 * hyphen run) only those within adj_demerits of its best: from the same
 * place and line, a worse one can never catch up more than the fitness
 * penalty. The candidates set are r->touched, visited in index order (line
 * class, hyphen run, fitness), which is the order the pool keeps; each is
 * put back to AWFUL for the next break. */
static void activate(struct run *r, const struct at *at)
{
    /* ragged: a line's rag demerits depend on the one before, as the
     * fitness penalty does */
    double margin = r->p->adj_demerits + r->p->rag_demerits + r->p->stair_demerits;
    int *t = r->touched, n = r->ntouched;
    for (int i = 1; i < n; i++) { /* a handful: insertion sort */
        int k = t[i], j = i;
        for (; j > 0 && t[j - 1] > k; j--)
            t[j] = t[j - 1];
        t[j] = k;
    }
    for (int g = 0; g < n;) {
        int group = t[g] / NFIT, end = g;
        double best = AWFUL;
        for (; end < n && t[end] / NFIT == group; end++)
            if (r->cands[t[end]].demerits < best)
                best = r->cands[t[end]].demerits;
        for (; g < end; g++) {
            struct cand *c = &r->cands[t[g]];
            if (c->demerits <= best + margin) {
                const struct brk *from = &r->pool[c->from];
                struct brk nbk = {at->b,    from->line + 1, c->fitness,  at->flagged, c->run,   c->loose,
                                  c->runt,  c->demerits,    c->ratio,    c->from,     c->overfull,
                                  c->shortfall, c->trend};
                push_active(r, push_brk(r, nbk));
            }
            c->demerits = AWFUL;
        }
    }
    r->ntouched = 0;
}

/* Try lines from every active break to a break at node b. */
static void try_break(struct run *r, int b, double tolerance, bool final_pass, double extra)
{
    const struct pr_lb_params *p = r->p;
    const struct pr_lb_node *nb = &r->v[b];
    struct at at = {b, nb->kind == PR_LB_PENALTY ? nb->penalty : 0, nb->kind == PR_LB_PENALTY ? nb->width : 0,
                    nb->kind == PR_LB_PENALTY && nb->flagged, false, b == r->n - 1};
    at.forced = at.pen <= -PR_LB_INF;
    /* the best line to here per fitness class and line class: line numbers
     * matter only while line lengths differ, unless a looseness asks for
     * a line count (TeX's easy_line is then infinite): then every line
     * number is a class of its own, counted from the lowest active one */
    int nclass = (p->nwidths > 0 ? p->nwidths : 1) + 1, base = 0;
    if (p->looseness != 0 && r->nactive > 0) {
        int lo = r->pool[r->active[0]].line, hi = lo;
        for (int i = 1; i < r->nactive; i++) {
            int l = r->pool[r->active[i]].line;
            lo = l < lo ? l : lo;
            hi = l > hi ? l : hi;
        }
        base = lo;
        nclass = hi - lo + 1;
    }
    int ncand = NFIT * NRUN * nclass;
    if (ncand > r->cands_cap) {
        r->cands = pr_xrealloc(r->cands, (size_t)ncand * sizeof *r->cands);
        r->touched = pr_xrealloc(r->touched, (size_t)ncand * sizeof *r->touched);
        for (int k = r->cands_cap; k < ncand; k++)
            r->cands[k].demerits = AWFUL;
        r->cands_cap = ncand;
    }
    struct cand *cands = r->cands;
    int limit = p->max_hyphen_run > 0 && p->max_hyphen_run < NRUN ? p->max_hyphen_run : NRUN - 1;
    double min_demerits = AWFUL; /* over every class: nothing feasible yet when AWFUL */
    int keep = 0;
    for (int i = 0; i < r->nactive; i++) {
        int ai = r->active[i];
        const struct brk *a = &r->pool[ai];
        struct line ln = measure(r, a, &at, extra);
        /* the second pass lets word spaces shrink a little further */
        bool overfull = ln.ratio < -1 && !(final_pass && ln.over <= p->emergency_shrink);
        int run = at.flagged ? a->run + 1 : 0;
        bool ladder = p->max_hyphen_run > 0 && run > p->max_hyphen_run;
        bool deactivate = overfull || at.forced;
        /* the last active break and nothing feasible so far: in the final
         * pass the line is taken anyway (TeX's artificial demerits) */
        bool artificial = final_pass && overfull && min_demerits >= AWFUL && keep == 0 &&
                          i == r->nactive - 1;
        int after = a->line + 1; /* lines up to this break */
        bool reach = r->target < 0 || (after + r->fewest[b] <= r->target && after + r->most[b] >= r->target);
        if (((!overfull && ln.rated <= tolerance) || artificial) && !ladder && reach) {
            int fit = artificial ? 2
                      : p->ragged > 0 ? fitness_ragged(ln.shortfall / p->ragged)
                                      : fitness(ln.rated);
            double d = artificial ? 0 : line_demerits(p, a, &at, &ln, fit);
            d += a->demerits;
            int lc = p->looseness != 0 ? a->line - base : a->line + 1 < nclass - 1 ? a->line + 1 : nclass - 1;
            int rk = p->max_hyphen_run > 0 ? (run < limit ? run : limit) : 0;
            struct cand *c = &cands[CAND(lc, rk, fit)];
            if (d < c->demerits) {
                if (c->demerits >= AWFUL)
                    r->touched[r->ntouched++] = CAND(lc, rk, fit);
                *c = (struct cand){d,   ln.ratio, ai, fit, run, a->loose + (ln.ratio > 1 && !at.last ? 2 : ln.ratio < -1),
                                   at.last && ln.w < p->short_last_line, artificial,
                                   ln.free_ ? NAN : ln.shortfall, rag_trend(p, a, &ln)};
                if (d < min_demerits)
                    min_demerits = d;
            }
        }
        if (!deactivate)
            r->active[keep++] = ai;
        /* The actives are in the order of their places, so lines from
         * the ones after this are no longer and stretch no more: if this
         * line would be too short even on the shortest measure, so is
         * every one after it. They stay active (unless the break is
         * forced), untried. */
        if (!overfull && ln.rated > tolerance && !ln.free_) {
            double least = r->least_avail + nb->hang_end - ln.w;
            double rated = p->ragged > 0 ? least / (p->ragged + extra) : stretch_ratio(least, ln.y + extra, ln.yb);
            if (least > 0 && rated > tolerance) {
                if (!at.forced)
                    for (int k = i + 1; k < r->nactive; k++)
                        r->active[keep++] = r->active[k];
                break;
            }
        }
    }
    r->nactive = keep;
    activate(r, &at);
}

/* Is a break at node b legal (pass's rule)? */
static bool legal_break(const struct run *r, int b)
{
    const struct pr_lb_node *v = &r->v[b];
    if (v->kind == PR_LB_GLUE)
        return !v->nobreak && b > 0 && r->v[b - 1].kind == PR_LB_BOX;
    return v->kind == PR_LB_PENALTY && v->penalty < PR_LB_INF;
}

/* One pass over the paragraph; returns the best final break or -1. */
static int pass(struct run *r, double tolerance, bool final_pass, double extra)
{
    r->npool = r->nactive = 0;
    push_active(r, push_brk(r, (struct brk){-1, 0, 2, false, 0, 0, false, 0, 0, -1, false, NAN, 0}));
    for (int b = 0; b < r->n && r->nactive > 0; b++) {
        if (legal_break(r, b))
            try_break(r, b, tolerance, final_pass, extra);
    }
    int best = -1;
    for (int i = 0; i < r->nactive; i++) {
        const struct brk *a = &r->pool[r->active[i]];
        if (a->pos == r->n - 1 && (best < 0 || a->demerits < r->pool[best].demerits))
            best = r->active[i];
    }
    if (r->target >= 0 && !final_pass) {
        /* only paragraphs of target lines reached the end: the first with
         * the fewest demerits that opt's rules allow (as below) */
        best = -1;
        for (int i = 0; i < r->nactive; i++) {
            const struct brk *a = &r->pool[r->active[i]];
            if (a->pos != r->n - 1 || a->line != r->target || a->loose > r->opt_loose || (a->runt && !r->opt_runt))
                continue;
            if (best < 0 || a->demerits < r->pool[best].demerits)
                best = r->active[i];
        }
        return best;
    }
    int want = r->p->looseness;
    if (best < 0 || want == 0 || final_pass)
        return best;
    /* TeX's looseness (tex.web 875): the line count closest to the
     * optimum's plus looseness, then the fewest demerits; never more
     * lines past r = 1 than the optimum has, nor a runt where it has none */
    const struct brk *opt = &r->pool[best];
    int opt_line = opt->line, opt_loose = opt->loose, actual = 0;
    bool opt_runt = opt->runt;
    double fewest = opt->demerits;
    for (int i = 0; i < r->nactive; i++) {
        const struct brk *a = &r->pool[r->active[i]];
        if (a->pos != r->n - 1 || a->loose > opt_loose || (a->runt && !opt_runt))
            continue;
        int diff = a->line - opt_line;
        if ((diff < actual && want <= diff) || (diff > actual && want >= diff) ||
            (diff == actual && a->demerits < fewest)) {
            best = r->active[i];
            actual = diff;
            fewest = a->demerits;
        }
    }
    return best;
}

/* Bounds on how many lines can follow each legal break (fewest, most),
 * counted over a superset of the first pass's feasible lines: a line is
 * let through unless it is overfull on the widest measure or too loose
 * on the narrowest, hyphen runs are not counted. Any real set of breaks
 * is within them, so a break whose line count plus these misses the
 * target cannot be on a paragraph of target lines. Returns false (and
 * the caller does without) when a node shrinks by more than its width or
 * is narrower than nothing, which would let a longer line fit where a
 * shorter one does not. */
static bool line_bounds(struct run *r, double tolerance)
{
    const struct pr_lb_params *p = r->p;
    int n = r->n;
    double most_width = p->nwidths > 0 ? p->widths[0] : 0, most_hang = fmax(0, p->hang_first), most_end = 0,
           most_pw = 0;
    for (int i = 1; i < p->nwidths; i++)
        most_width = fmax(most_width, p->widths[i]);
    for (int i = 0; i < n; i++) {
        const struct pr_lb_node *v = &r->v[i];
        if ((v->kind != PR_LB_PENALTY && v->shrink > v->width) || v->width < 0)
            return false;
        most_hang = fmax(most_hang, v->hang_start);
        most_end = fmax(most_end, v->hang_end);
        if (v->kind == PR_LB_PENALTY)
            most_pw = fmax(most_pw, v->width);
    }
    double most_avail = most_width + most_hang;
    r->fewest = pr_xrealloc(r->fewest, (size_t)n * sizeof *r->fewest);
    r->most = pr_xrealloc(r->most, (size_t)n * sizeof *r->most);
    for (int i = 0; i < n; i++) {
        r->fewest[i] = n + 1; /* unreachable: more lines than any paragraph has */
        r->most[i] = -n - 1;
    }
    r->fewest[n - 1] = r->most[n - 1] = 0;
    for (int a = n - 2; a >= 0; a--) {
        if (!legal_break(r, a))
            continue;
        int start = r->next[a];
        for (int e = a + 1; e < n; e++) {
            double w0 = r->sw[e] - (start <= e ? r->sw[start] : r->sw[e]);
            double z = r->sz[e] - (start <= e ? r->sz[start] : r->sz[e]);
            double zb = r->sbz[e] - (start <= e ? r->sbz[start] : r->sbz[e]);
            if (w0 - z - zb > most_avail + most_end + most_pw + 1e-6)
                break; /* every longer line is overfull too */
            if (!legal_break(r, e))
                continue;
            const struct pr_lb_node *ve = &r->v[e];
            bool forced = ve->kind == PR_LB_PENALTY && ve->penalty <= -PR_LB_INF;
            double w = w0 + (ve->kind == PR_LB_PENALTY ? ve->width : 0);
            bool over = w > most_avail + ve->hang_end + (z > 0 ? z + zb : 0) + 1e-6;
            double short_ = r->least_avail + ve->hang_end - w;
            bool loose = false;
            if (short_ > 0 && !(p->ragged > 0 && (forced || e == n - 1))) {
                double y = r->sy[e] - (start <= e ? r->sy[start] : r->sy[e]);
                double yb = r->sb[e] - (start <= e ? r->sb[start] : r->sb[e]);
                loose = (p->ragged > 0 ? short_ / p->ragged : stretch_ratio(short_, y, yb)) > tolerance + 1e-9;
            }
            if (!over && !loose && r->most[e] >= 0) {
                if (1 + r->fewest[e] < r->fewest[a])
                    r->fewest[a] = 1 + r->fewest[e];
                if (1 + r->most[e] > r->most[a])
                    r->most[a] = 1 + r->most[e];
            }
            if (forced)
                break; /* no line runs past a forced break */
        }
    }
    return true;
}

/* Can the breaks of different line numbers past the line widths given be
 * kept together (the classes of try_break without a looseness) with the
 * optimum the same? Unless the lines beside a drop cap (plain_lines) run
 * past the widths: then a line past them may or may not hang. */
static bool lines_merge(const struct pr_lb_params *p)
{
    return p->plain_lines <= 0 || p->plain_lines <= p->nwidths - 1;
}

/* The first pass. With a looseness (TeX's rule, tex.web 875: the line
 * count closest to the optimum's plus the looseness, then the fewest
 * demerits), keeping every line number apart makes the breaker an order
 * of magnitude slower; so the optimum is found first as without one, and
 * then, for each line count from the optimum's plus the looseness back
 * towards the optimum's, a pass keeps only the breaks from which a
 * paragraph of that many lines can be reached (line_bounds): the first
 * count that has one gives the breaks, the same that a single pass
 * keeping every line number chooses (which is still made when the line
 * numbers cannot be merged: lines_merge). */
/* pass() as without a looseness: the optimum. */
static int plain_pass(struct run *r, double tolerance, bool final, double stretch)
{
    const struct pr_lb_params *p = r->p;
    struct pr_lb_params plain = *p;
    plain.looseness = 0;
    r->p = &plain;
    int best = pass(r, tolerance, final, stretch);
    r->p = p;
    return best;
}

static int first_pass(struct run *r)
{
    const struct pr_lb_params *p = r->p;
    if (p->looseness == 0 || !lines_merge(p) || !line_bounds(r, p->tolerance))
        return pass(r, p->tolerance, false, 0);
    int opt = plain_pass(r, p->tolerance, false, 0);
    if (opt < 0)
        return -1;
    int opt_line = r->pool[opt].line;
    r->opt_loose = r->pool[opt].loose;
    r->opt_runt = r->pool[opt].runt;
    /* the optimum's breaks stay in a pool of their own, for when no
     * other count has breaks */
    struct brk *opt_pool = r->pool;
    int opt_npool = r->npool, opt_cap = r->pool_cap;
    r->pool = NULL;
    r->npool = r->pool_cap = 0;
    int step = p->looseness < 0 ? -1 : 1, best = -1;
    for (int d = p->looseness; d != 0 && best < 0; d -= step) {
        if (opt_line + d < 1)
            continue;
        r->target = opt_line + d;
        best = pass(r, p->tolerance, false, 0);
        r->target = -1;
    }
    if (best >= 0) {
        free(opt_pool);
        return best;
    }
    free(r->pool);
    r->pool = opt_pool;
    r->npool = opt_npool;
    r->pool_cap = opt_cap;
    return opt;
}

/* A paragraph of more nodes than this (some 10,000 words: a pathological
 * input, not an article's paragraph) whose first pass found breaks keeps
 * them, loose lines and all: a second pass over it would double its time
 * (tests/robust: the 1 MB paragraph). */
#define SECOND_PASS_MAX 20000

/* The lines ending at break `best` and those before it, into a malloc'd
 * array; returns their number. */
static int collect(const struct run *r, int best, struct pr_lb_line **out)
{
    int count = 0;
    for (int k = best; r->pool[k].pos >= 0; k = r->pool[k].prev)
        count++;
    struct pr_lb_line *lines = pr_xmalloc((size_t)(count ? count : 1) * sizeof *lines);
    int i = count;
    for (int k = best; r->pool[k].pos >= 0; k = r->pool[k].prev)
        lines[--i] = (struct pr_lb_line){r->pool[k].pos, r->pool[k].ratio, r->pool[k].overfull};
    *out = lines;
    return count;
}

int pr_linebreak_run(const struct pr_lb_node *nodes, int n, const struct pr_lb_params *p,
                     struct pr_lb_line **out, bool *emergency)
{
    *out = NULL;
    if (emergency)
        *emergency = false;
    if (n <= 0)
        return 0;
    struct run r;
    memset(&r, 0, sizeof r);
    r.v = nodes;
    r.n = n;
    r.p = p;
    r.sw = pr_xmalloc((size_t)(n + 1) * 5 * sizeof(double));
    r.sy = r.sw + n + 1;
    r.sz = r.sy + n + 1;
    r.sb = r.sz + n + 1;
    r.sbz = r.sb + n + 1;
    r.next = pr_xmalloc((size_t)n * sizeof *r.next);
    r.sw[0] = r.sy[0] = r.sz[0] = r.sb[0] = r.sbz[0] = 0;
    for (int i = 0; i < n; i++) {
        const struct pr_lb_node *v = &nodes[i];
        bool counts = v->kind != PR_LB_PENALTY;
        r.sw[i + 1] = r.sw[i] + (counts ? v->width : 0);
        r.sy[i + 1] = r.sy[i] + (v->kind == PR_LB_GLUE ? v->stretch : 0);
        r.sb[i + 1] = r.sb[i] + (v->kind == PR_LB_BOX ? v->stretch : 0);
        r.sz[i + 1] = r.sz[i] + (v->kind == PR_LB_GLUE ? v->shrink : 0);
        r.sbz[i + 1] = r.sbz[i] + (v->kind == PR_LB_BOX ? v->shrink : 0);
    }
    /* after a break, glue and penalties up to the next box (or forced
     * break) are discarded: the next line starts there */
    int nxt = n;
    for (int i = n - 1; i >= 0; i--) {
        r.next[i] = nxt;
        const struct pr_lb_node *v = &nodes[i];
        if (v->kind == PR_LB_BOX || (v->kind == PR_LB_PENALTY && v->penalty <= -PR_LB_INF))
            nxt = i;
    }
    /* the shortest measure a line may have (measure()'s avail but for
     * the hang at its end): the narrowest width with the least hang at
     * its start, or none */
    double least_width = p->nwidths > 0 ? p->widths[0] : 0, least_hang = fmin(0, p->hang_first);
    for (int i = 1; i < p->nwidths; i++)
        least_width = fmin(least_width, p->widths[i]);
    for (int i = 0; i < n; i++)
        least_hang = fmin(least_hang, nodes[i].hang_start);
    r.least_avail = least_width + least_hang;
    r.target = -1;
    int best = first_pass(&r);
    struct pr_lb_line *lines = NULL;
    int count = best >= 0 ? collect(&r, best, &lines) : 0;
    /* the second pass: when the first found nothing, or (with an emergency
     * shrink) left loose lines, which it may replace by a line a little
     * tighter than the first pass allows, or spread */
    int bad = best >= 0 ? r.pool[best].loose : 0;
    if (best < 0 || (p->emergency_shrink > 0 && bad > 0 && n <= SECOND_PASS_MAX)) {
        /* it takes the optimum whatever the looseness: no line number
         * needs keeping apart (when they can be merged: lines_merge) */
        int second = lines_merge(p) ? plain_pass(&r, INFINITY, true, p->emergency_stretch)
                                    : pass(&r, INFINITY, true, p->emergency_stretch);
        if (second >= 0 && (best < 0 || r.pool[second].loose < bad)) {
            free(lines);
            count = collect(&r, second, &lines);
            if (emergency)
                *emergency = true;
        }
    }
    *out = lines;
    free(r.sw);
    free(r.next);
    free(r.pool);
    free(r.active);
    free(r.cands);
    free(r.touched);
    free(r.fewest);
    free(r.most);
    return count;
}

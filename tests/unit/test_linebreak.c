/* test_linebreak.c - the total-fit line breaker (linebreak.c) on paragraphs
 * of boxes, glue and penalties made by hand: the breaks it chooses are the
 * optimum an exhaustive search finds (random paragraphs), it beats first
 * fit where first fit leaves a loose line, and forced breaks, hyphen
 * demerits, narrower first lines, optical hangs and overfull boxes (the
 * emergency pass) behave as in Knuth & Plass (1981) and TeX, and a
 * looseness of -1 / +1 sets a paragraph a line shorter / longer when it
 * can (the exhaustive search by line count); in the ragged mode, spaces
 * keep their widths, the rag and stair demerits even out neighbouring
 * lines where first fit leaves a short one, and a hard break's line is
 * free. */
#include "check.h"
#include "linebreak.h"
#include <math.h>
#include <stdlib.h>

#define MAXN 256

struct para {
    struct pr_lb_node v[MAXN];
    int n;
};

static void box(struct para *p, double w)
{
    p->v[p->n++] = (struct pr_lb_node){.kind = PR_LB_BOX, .width = w};
}

/* A space as TeX's cmr10 has it, scaled: 3 wide, stretch 1.5, shrink 1. */
static void space(struct para *p)
{
    p->v[p->n++] = (struct pr_lb_node){.kind = PR_LB_GLUE, .width = 3, .stretch = 1.5, .shrink = 1};
}

static void hyphen(struct para *p, double penalty)
{
    p->v[p->n++] = (struct pr_lb_node){.kind = PR_LB_PENALTY, .width = 2, .penalty = penalty, .flagged = true};
}

static void finish(struct para *p)
{
    p->v[p->n++] = (struct pr_lb_node){.kind = PR_LB_GLUE, .stretch = 1e6, .nobreak = true};
    p->v[p->n++] = (struct pr_lb_node){.kind = PR_LB_PENALTY, .penalty = -PR_LB_INF, .flagged = true};
}

/* Words of the given widths separated by spaces. */
static void words(struct para *p, const double *w, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            space(p);
        box(p, w[i]);
    }
}

/* ---- an independent reading of the paper, for the exhaustive search ---- */

static bool legal(const struct para *p, int b)
{
    const struct pr_lb_node *v = &p->v[b];
    if (v->kind == PR_LB_GLUE)
        return !v->nobreak && b > 0 && p->v[b - 1].kind == PR_LB_BOX;
    return v->kind == PR_LB_PENALTY && v->penalty < PR_LB_INF;
}

/* The adjustment ratio of the line from break a (-1: start) to break b. */
static double ratio_of(const struct para *p, const struct pr_lb_params *pp, int a, int b, int line)
{
    int s = a + 1;
    while (s < b && p->v[s].kind != PR_LB_BOX)
        s++;
    double w = 0, y = 0, z = 0, yb = 0, zb = 0;
    for (int i = s; i < b; i++) {
        if (p->v[i].kind == PR_LB_PENALTY)
            continue;
        w += p->v[i].width;
        if (p->v[i].kind == PR_LB_BOX) {
            yb += p->v[i].stretch;
            zb += p->v[i].shrink;
        } else {
            y += p->v[i].stretch;
            z += p->v[i].shrink;
        }
    }
    if (p->v[b].kind == PR_LB_PENALTY)
        w += p->v[b].width;
    double L = pp->widths[line < pp->nwidths ? line : pp->nwidths - 1] + p->v[b].hang_end +
               (line < pp->plain_lines ? 0 : a < 0 ? pp->hang_first : p->v[a].hang_start);
    /* letters (box stretch) help only lines with glue, and only up to
     * r = 1; then the glue alone stretches */
    if (w < L) {
        if (y <= 0)
            return INFINITY;
        return L - w <= y + yb ? (L - w) / (y + yb) : 1 + (L - w - y - yb) / y;
    }
    if (w > L)
        return z > 0 ? (L - w) / (z + zb) : -INFINITY;
    return 0;
}

static int fit_class(double r)
{
    return r > 1 ? 0 : r > 0.5 ? 1 : r >= -0.5 ? 2 : 3;
}

static double line_demerits(const struct para *p, const struct pr_lb_params *pp, int b, double r,
                            int prev_fit, bool prev_flag)
{
    double bad = isinf(r) ? 10000 : fmin(100 * fabs(r * r * r), 10000);
    double d = pp->line_penalty + bad;
    d = d >= 10000 ? 1e8 : d * d;
    const struct pr_lb_node *v = &p->v[b];
    if (v->kind == PR_LB_PENALTY && v->penalty > 0)
        d += v->penalty * v->penalty;
    else if (v->kind == PR_LB_PENALTY && v->penalty > -PR_LB_INF)
        d -= v->penalty * v->penalty;
    bool flag = v->kind == PR_LB_PENALTY && v->flagged;
    if (prev_flag && b == p->n - 1)
        d += pp->final_hyphen_demerits;
    else if (prev_flag && flag)
        d += pp->double_hyphen_demerits;
    if (abs(fit_class(r) - prev_fit) > 1)
        d += pp->adj_demerits;
    if (r > 1 && b != p->n - 1)
        d += pp->loose_demerits;
    return d;
}

static double best_total;

static void search(const struct para *p, const struct pr_lb_params *pp, int a, int line, int fit, bool flag,
                   double total)
{
    for (int b = a + 1; b < p->n; b++) {
        if (!legal(p, b))
            continue;
        double r = ratio_of(p, pp, a, b, line);
        bool forced = p->v[b].kind == PR_LB_PENALTY && p->v[b].penalty <= -PR_LB_INF;
        if (r >= -1 && r <= pp->tolerance) {
            double d = total + line_demerits(p, pp, b, r, fit, flag);
            if (b == p->n - 1) {
                if (d < best_total)
                    best_total = d;
            } else
                search(p, pp, b, line + 1, fit_class(r), p->v[b].kind == PR_LB_PENALTY && p->v[b].flagged, d);
        }
        if (forced)
            return;
    }
}

/* The least total demerits per number of lines (by_lines[k], k < MAXL)
 * and how many lines past r = 1 (the last aside) those breaks have: the
 * exhaustive search's recursion as dynamic programming over (break, line,
 * fitness class, hyphen), for paragraphs too long to search path by path. */
#define MAXL 40
static double by_lines[MAXL];
static int by_lines_loose[MAXL];
static double dp_d[MAXN + 1][MAXL][4][2];
static int dp_loose[MAXN + 1][MAXL][4][2];

static void search_lines(const struct para *p, const struct pr_lb_params *pp)
{
    for (int k = 0; k < MAXL; k++)
        by_lines[k] = 1e300, by_lines_loose[k] = 0;
    for (int a = 0; a <= p->n; a++)
        for (int l = 0; l < MAXL; l++)
            for (int f = 0; f < 4; f++)
                dp_d[a][l][f][0] = dp_d[a][l][f][1] = 1e300;
    dp_d[0][0][2][0] = 0; /* index a + 1: index 0 is the paragraph's start */
    dp_loose[0][0][2][0] = 0;
    for (int ai = 0; ai < p->n; ai++) {
        int a = ai - 1;
        if (a >= 0 && !legal(p, a))
            continue;
        for (int line = 0; line + 1 < MAXL; line++)
            for (int fit = 0; fit < 4; fit++)
                for (int flag = 0; flag < 2; flag++) {
                    double total = dp_d[ai][line][fit][flag];
                    if (total >= 1e300)
                        continue;
                    int loose = dp_loose[ai][line][fit][flag];
                    for (int b = a + 1; b < p->n; b++) {
                        if (!legal(p, b))
                            continue;
                        double r = ratio_of(p, pp, a, b, line);
                        bool forced = p->v[b].kind == PR_LB_PENALTY && p->v[b].penalty <= -PR_LB_INF;
                        if (r < -1)
                            break;
                        if (r <= pp->tolerance) {
                            double d = total + line_demerits(p, pp, b, r, fit, flag);
                            if (b == p->n - 1) {
                                if (d < by_lines[line + 1]) {
                                    by_lines[line + 1] = d;
                                    by_lines_loose[line + 1] = loose;
                                }
                            } else {
                                int nf = fit_class(r), fl = p->v[b].kind == PR_LB_PENALTY && p->v[b].flagged;
                                if (d < dp_d[b + 1][line + 1][nf][fl]) {
                                    dp_d[b + 1][line + 1][nf][fl] = d;
                                    dp_loose[b + 1][line + 1][nf][fl] = loose + (r > 1);
                                }
                            }
                        }
                        if (forced)
                            break;
                    }
                }
    }
}

/* The total demerits of the breaks the breaker chose, recomputed. */
static double total_of(const struct para *p, const struct pr_lb_params *pp, const struct pr_lb_line *l, int n)
{
    double t = 0;
    int a = -1, fit = 2;
    bool flag = false;
    for (int i = 0; i < n; i++) {
        double r = ratio_of(p, pp, a, l[i].end, i);
        t += line_demerits(p, pp, l[i].end, r, fit, flag);
        fit = fit_class(r);
        flag = p->v[l[i].end].kind == PR_LB_PENALTY && p->v[l[i].end].flagged;
        a = l[i].end;
    }
    return t;
}

/* First fit, for comparison: the longest line that does not need to shrink
 * past its glue's shrink, then the next. */
static int first_fit(const struct para *p, const struct pr_lb_params *pp, struct pr_lb_line *out)
{
    int a = -1, n = 0, last_ok = -1;
    for (int b = 0; b < p->n; b++) {
        if (!legal(p, b))
            continue;
        double r = ratio_of(p, pp, a, b, n);
        if (r >= -1 && b != p->n - 1) {
            last_ok = b;
            continue;
        }
        if (r < -1 && last_ok >= 0) {
            out[n].end = last_ok;
            out[n].ratio = ratio_of(p, pp, a, last_ok, n);
            n++;
            a = last_ok;
            last_ok = -1;
            b = a;
            continue;
        }
        out[n].end = b;
        out[n++].ratio = r;
        a = b;
    }
    return n;
}

static unsigned rng = 12345;
static double rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return (rng >> 8 & 0xFFFF) / 65536.0;
}

/* ---- ragged lines ---- */

/* The natural width of the line from break a (-1: start) to break b. */
static double natural_width(const struct para *p, int a, int b)
{
    int s = a + 1;
    while (s < b && p->v[s].kind != PR_LB_BOX)
        s++;
    double w = 0;
    for (int i = s; i < b; i++)
        if (p->v[i].kind != PR_LB_PENALTY)
            w += p->v[i].width;
    return w;
}

/* The most two neighbouring lines (neither the last) differ in length. */
static double rag_worst(const struct para *p, const struct pr_lb_line *l, int n)
{
    double worst = 0;
    for (int i = 1; i < n - 1; i++) {
        double a = natural_width(p, i > 1 ? l[i - 2].end : -1, l[i - 1].end);
        double b = natural_width(p, l[i - 1].end, l[i].end);
        worst = fmax(worst, fabs(a - b));
    }
    return worst;
}

/* Stair-steps: three lines (not the last) each at least `step` shorter,
 * or longer, than the one before. */
static int rag_stairs(const struct para *p, const struct pr_lb_line *l, int n, double step)
{
    int stairs = 0;
    for (int i = 2; i < n - 1; i++) {
        double a = natural_width(p, i > 2 ? l[i - 3].end : -1, l[i - 2].end);
        double b = natural_width(p, l[i - 2].end, l[i - 1].end);
        double c = natural_width(p, l[i - 1].end, l[i].end);
        stairs += (b - a >= step && c - b >= step) || (a - b >= step && b - c >= step);
    }
    return stairs;
}

/* First fit without shrink (Pango's breaker, ragged): each line as long
 * as it can be at its natural width. */
static int first_fit_ragged(const struct para *p, double width, struct pr_lb_line *l)
{
    int n = 0, a = -1, last = -1;
    for (int b = 0; b < p->n; b++) {
        if (p->v[b].kind != PR_LB_GLUE || p->v[b].nobreak)
            continue;
        if (natural_width(p, a, b) > width) {
            l[n++].end = last;
            a = last;
        }
        last = b;
    }
    if (natural_width(p, a, p->n - 1) > width) {
        l[n++].end = last;
        a = last;
    }
    l[n++].end = p->n - 1;
    return n;
}

/* Parameters for ragged lines 60 wide, a rag zone of 10 (as compose.c's). */
static struct pr_lb_params ragged_params(const double *width)
{
    struct pr_lb_params q = pr_linebreak_defaults();
    q.widths = width;
    q.nwidths = 1;
    q.ragged = 10;
    q.tolerance = 2;
    q.adj_demerits = 0;
    q.loose_demerits = 0;
    q.rag_demerits = 4 * 150 * 150;
    q.stair_demerits = 150 * 150;
    return q;
}

int main(void)
{
    struct pr_lb_params pp = pr_linebreak_defaults();
    double w60 = 60;
    pp.widths = &w60;
    pp.nwidths = 1;
    struct pr_lb_line *l;
    bool emerg;

    /* 1. Total fit against first fit, 60 wide, words 10 16 6 14 6 22 23 23
     * 12 17 with spaces 3 (stretch 1.5, shrink 1). First fit squeezes five
     * words into the first line (64 wide, shrunk to the limit, r = -1) and
     * leaves "22 23" for the second (48 wide: r = 8, spaces at five times
     * their width). Total fit sets "10 16 6 14" (r = 1.11) and "6 22 23"
     * (r = 1): both a little loose, none awful. */
    {
        struct para p = {.n = 0};
        const double w[] = {10, 16, 6, 14, 6, 22, 23, 23, 12, 17};
        words(&p, w, 10);
        finish(&p);
        int n = pr_linebreak_run(p.v, p.n, &pp, &l, &emerg);
        CHECK(n == 3 && !emerg);
        CHECK(n == 3 && l[0].end == 7 && l[1].end == 13 && l[2].end == p.n - 1);
        CHECK(n == 3 && fabs(l[0].ratio - 5 / 4.5) < 1e-9 && fabs(l[1].ratio - 1) < 1e-9);
        struct pr_lb_line ff[16];
        int nf = first_fit(&p, &pp, ff);
        CHECK(nf == 3 && ff[0].end == 9 && fabs(ff[0].ratio + 1) < 1e-9 && fabs(ff[1].ratio - 8) < 1e-9);
        CHECK(total_of(&p, &pp, l, n) < total_of(&p, &pp, ff, nf));
        free(l);
    }
    /* 2. Exhaustive search agrees on random paragraphs: words 4..24 wide,
     * some with a hyphenation point, lines 50..80 wide, first lines
     * sometimes narrower (a drop cap), optical hangs on some breaks. */
    {
        int agree = 0, tried = 0;
        for (int trial = 0; trial < 400; trial++) {
            struct para p = {.n = 0};
            bool letters = trial % 2 == 1;
            int nw = 6 + (int)(rnd() * 9);
            for (int i = 0; i < nw; i++) {
                if (i) {
                    space(&p);
                    if (rnd() < 0.3)
                        p.v[p.n - 1].hang_end = 1.5, p.v[p.n - 1].hang_start = 0.5;
                }
                double w = 4 + rnd() * 20;
                if (w > 14 && rnd() < 0.4) {
                    box(&p, w / 2);
                    hyphen(&p, 50);
                    box(&p, w / 2);
                } else
                    box(&p, w);
                if (letters) /* letter spacing: stretch and shrink per letter gap */
                    for (int k = p.n - 1; k >= 0 && p.v[k].kind != PR_LB_GLUE; k--)
                        if (p.v[k].kind == PR_LB_BOX)
                            p.v[k].stretch = p.v[k].width * 0.02, p.v[k].shrink = p.v[k].width * 0.01;
            }
            finish(&p);
            double widths[2] = {50 + rnd() * 30, 0};
            widths[1] = widths[0];
            if (rnd() < 0.3)
                widths[0] -= 12;
            struct pr_lb_params q = pr_linebreak_defaults();
            q.tolerance = 3;
            q.widths = widths;
            q.nwidths = 2;
            q.hang_first = rnd() < 0.5 ? 1 : 0;
            q.plain_lines = widths[0] < widths[1] ? 1 : 0;
            q.loose_demerits = trial % 4 == 3 ? 1e6 : 0;
            best_total = 1e300;
            search(&p, &q, -1, 0, 2, false, 0);
            if (best_total >= 1e300)
                continue; /* no feasible breaks at this tolerance */
            tried++;
            int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
            if (n > 0 && !emerg && fabs(total_of(&p, &q, l, n) - best_total) < 1e-6 * fmax(1, best_total))
                agree++;
            else
                fprintf(stderr, "trial %d: breaker %g, search %g\n", trial, n ? total_of(&p, &q, l, n) : -1,
                        best_total);
            free(l);
        }
        CHECK(tried > 200);
        CHECK(agree == tried);
    }
    /* 3. A forced break ends a line wherever it is. */
    {
        struct para p = {.n = 0};
        const double w[] = {10, 10};
        words(&p, w, 2);
        p.v[p.n++] = (struct pr_lb_node){.kind = PR_LB_GLUE, .stretch = 1e6, .nobreak = true};
        p.v[p.n++] = (struct pr_lb_node){.kind = PR_LB_PENALTY, .penalty = -PR_LB_INF};
        int forced_at = p.n - 1;
        space(&p);
        words(&p, w, 2);
        finish(&p);
        int n = pr_linebreak_run(p.v, p.n, &pp, &l, &emerg);
        CHECK(n == 2 && l[0].end == forced_at && l[1].end == p.n - 1);
        free(l);
    }
    /* 4. Hyphens: two hyphenated lines in a row cost double_hyphen_demerits.
     * 30 wide, words 8 16 6-7 4 7-7 9 5-5 ("-": a hyphenation point, the
     * hyphen 2 wide): without those demerits the best breaks hyphenate two
     * lines in a row; with TeX's 10000 they do not. */
    {
        struct para p = {.n = 0};
        box(&p, 8), space(&p), box(&p, 16), space(&p), box(&p, 6), hyphen(&p, 50), box(&p, 7), space(&p);
        box(&p, 4), space(&p), box(&p, 7), hyphen(&p, 50), box(&p, 7), space(&p), box(&p, 9), space(&p);
        box(&p, 5), hyphen(&p, 50), box(&p, 5);
        finish(&p);
        double w30 = 30;
        struct pr_lb_params q = pr_linebreak_defaults();
        q.widths = &w30;
        q.nwidths = 1;
        q.tolerance = 3;
        for (int k = 0; k < 2; k++) {
            q.double_hyphen_demerits = k ? 10000 : 0;
            int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
            int run = 0, maxrun = 0;
            for (int i = 0; i < n - 1; i++) {
                run = p.v[l[i].end].kind == PR_LB_PENALTY ? run + 1 : 0;
                maxrun = run > maxrun ? run : maxrun;
            }
            CHECK(!emerg && maxrun == (k ? 1 : 2));
            free(l);
        }
    }
    /* 5. The first line narrower (a drop cap beside it): its line is shorter. */
    {
        struct para p = {.n = 0};
        const double w[] = {10, 10, 10, 10, 10, 10, 10, 10};
        words(&p, w, 8);
        finish(&p);
        double ws[2] = {23, 36};
        struct pr_lb_params q = pr_linebreak_defaults();
        q.widths = ws;
        q.nwidths = 2;
        int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        /* 2 words (23) on the first line, 3 (36) on the next, then 3 */
        CHECK(n == 3 && l[0].end == 3 && l[1].end == 9);
        free(l);
    }
    /* 6. Optical margins: a line 1 pt too long fits when its last glyph
     * may hang 1.5 pt into the margin. */
    {
        struct para p = {.n = 0};
        const double w[] = {20, 20, 20};
        words(&p, w, 3); /* 66 wide with its spaces */
        finish(&p);
        for (int i = 0; i < p.n; i++)
            p.v[i].shrink = 0;
        double w65 = 65;
        struct pr_lb_params q = pr_linebreak_defaults();
        q.widths = &w65;
        q.nwidths = 1;
        int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        CHECK(n == 2); /* does not fit: two lines */
        free(l);
        p.v[p.n - 1].hang_end = 1.5;
        n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        CHECK(n == 1);
        free(l);
    }
    /* 7. A box wider than the line: the emergency pass makes one overfull
     * line and still breaks the rest well. */
    {
        struct para p = {.n = 0};
        const double w[] = {10, 10, 90, 10, 10, 10};
        words(&p, w, 6);
        finish(&p);
        int n = pr_linebreak_run(p.v, p.n, &pp, &l, &emerg);
        CHECK(emerg);
        int over = 0;
        for (int i = 0; i < n; i++)
            over += l[i].ratio < -1;
        CHECK(n >= 2 && over == 1);
        free(l);
    }
    /* 8. Runts: 60 wide, words 10 10 10 10 10 4. Five words fit the first
     * line (shrunk, r = -0.5) and leave "4" alone on the last; with runt
     * demerits for last lines under 8, four words go first (r = 2.44). */
    {
        struct para p = {.n = 0};
        const double w[] = {10, 10, 10, 10, 10, 4};
        words(&p, w, 6);
        finish(&p);
        struct pr_lb_params q = pr_linebreak_defaults();
        q.widths = &w60;
        q.nwidths = 1;
        q.tolerance = 3;
        int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        CHECK(n == 2 && l[0].end == 9);
        free(l);
        q.short_last_line = 8;
        q.runt_demerits = 1e7;
        n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        CHECK(n == 2 && l[0].end == 7);
        free(l);
    }
    /* 9. A hyphen limit: with at most one hyphenated line in a row, the
     * paragraph of test 4 (no double-hyphen demerits) has no run of two. */
    {
        struct para p = {.n = 0};
        box(&p, 8), space(&p), box(&p, 16), space(&p), box(&p, 6), hyphen(&p, 50), box(&p, 7), space(&p);
        box(&p, 4), space(&p), box(&p, 7), hyphen(&p, 50), box(&p, 7), space(&p), box(&p, 9), space(&p);
        box(&p, 5), hyphen(&p, 50), box(&p, 5);
        finish(&p);
        double w30 = 30;
        struct pr_lb_params q = pr_linebreak_defaults();
        q.widths = &w30;
        q.nwidths = 1;
        q.tolerance = 3;
        q.double_hyphen_demerits = 0;
        q.max_hyphen_run = 1;
        int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        int run = 0, maxrun = 0;
        for (int i = 0; i < n - 1; i++) {
            run = p.v[l[i].end].kind == PR_LB_PENALTY ? run + 1 : 0;
            maxrun = run > maxrun ? run : maxrun;
        }
        CHECK(n > 0 && maxrun == 1);
        free(l);
    }
    /* 10. Emergency stretch spreads the looseness: a paragraph that fits
     * nowhere at tolerance 0.1 still gets lines, none of one word alone. */
    {
        struct para p = {.n = 0};
        const double w[] = {14, 9, 22, 5, 17, 11, 8, 19, 6, 13, 21, 7, 12, 16};
        words(&p, w, 14);
        finish(&p);
        struct pr_lb_params q = pr_linebreak_defaults();
        q.widths = &w60;
        q.nwidths = 1;
        q.tolerance = 0.1;
        q.emergency_stretch = 10;
        int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        CHECK(emerg && n >= 3);
        for (int i = 0, a = -1; i < n - 1; a = l[i].end, i++)
            CHECK(l[i].end - a > 2); /* more than one box on every line */
        free(l);
    }
    /* 10b. Emergency shrink (issue 18): 60 wide, words 25 25 6.2 20 20.
     * "25 25 6.2" is 62.2 wide, its two spaces shrink 2: r = -1.1, a tenth
     * of their shrink past the limit; "25 25" alone is 7 short (r = 4.67).
     * Without emergency shrink the loose line is taken; with 0.2 the tight
     * one, in the second pass, which also runs (tolerance 10) when the
     * first found breaks but with a loose line in them; 0.05 is not
     * enough. */
    {
        struct para p = {.n = 0};
        const double w[] = {25, 25, 6.2, 20, 20};
        words(&p, w, 5);
        finish(&p);
        struct pr_lb_params q = pr_linebreak_defaults();
        q.widths = &w60;
        q.nwidths = 1;
        q.loose_demerits = 1e6;
        q.emergency_stretch = 10;
        for (int k = 0; k < 4; k++) {
            q.tolerance = k < 2 ? 2 : 10;
            q.emergency_shrink = k % 2 ? 0.2 : 0;
            int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
            if (q.emergency_shrink > 0)
                CHECK(n == 2 && l[0].end == 5 && fabs(l[0].ratio + 1.1) < 1e-9 && !l[0].overfull && emerg);
            else
                CHECK(n == 2 && l[0].end == 3 && l[0].ratio > 4 && emerg == (k < 2));
            free(l);
        }
        q.emergency_shrink = 0.05;
        int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        CHECK(n == 2 && l[0].end == 3);
        free(l);
    }
    /* 11. Letter spacing: box stretch shares the adjustment up to r = 1.
     * 60 wide, words 25 27 and a space 3 (stretch 1.5, shrink 1): 5 short,
     * r = 5 / 1.5 from the space alone; with 2 of letter stretch in each
     * word 5 / 5.5; with 0.5 in each the letters reach their limit and the
     * space takes the rest: 1 + (5 - 2.5) / 1.5. */
    {
        struct para p = {.n = 0};
        const double w[] = {25, 27};
        words(&p, w, 2);
        finish(&p);
        struct pr_lb_params q = pr_linebreak_defaults();
        q.widths = &w60;
        q.nwidths = 1;
        q.tolerance = 10;
        /* no fill before the final break: the line is set justified */
        p.v[p.n - 2] = (struct pr_lb_node){.kind = PR_LB_GLUE, .nobreak = true};
        int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        CHECK(n == 1 && fabs(l[0].ratio - 5 / 1.5) < 1e-9);
        free(l);
        p.v[0].stretch = p.v[2].stretch = 2;
        n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        CHECK(n == 1 && fabs(l[0].ratio - 5 / 5.5) < 1e-9);
        free(l);
        p.v[0].stretch = p.v[2].stretch = 0.5;
        n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        CHECK(n == 1 && fabs(l[0].ratio - (1 + 2.5 / 1.5)) < 1e-9);
        free(l);
        /* shrink: words 30 30 (63, 3 too long); space shrink 1 alone
         * cannot (r = -3, overfull: two lines), with 1 of letter shrink
         * per word it can (r = -1) */
        struct para s = {.n = 0};
        const double w2[] = {30, 30};
        words(&s, w2, 2);
        finish(&s);
        s.v[s.n - 2] = (struct pr_lb_node){.kind = PR_LB_GLUE, .nobreak = true};
        n = pr_linebreak_run(s.v, s.n, &q, &l, &emerg);
        CHECK(n == 2);
        free(l);
        s.v[0].shrink = s.v[2].shrink = 1;
        n = pr_linebreak_run(s.v, s.n, &q, &l, &emerg);
        CHECK(n == 1 && fabs(l[0].ratio + 1) < 1e-9);
        free(l);
        /* a word alone gets nothing from its letters: 50 wide in 60 with
         * 10 of letter stretch is still infinitely bad (emergency pass) */
        struct para o = {.n = 0};
        box(&o, 50);
        o.v[0].stretch = 10;
        o.v[o.n++] = (struct pr_lb_node){.kind = PR_LB_PENALTY, .penalty = -PR_LB_INF};
        q.tolerance = 2;
        n = pr_linebreak_run(o.v, o.n, &q, &l, &emerg);
        CHECK(n == 1 && isinf(l[0].ratio));
        free(l);
    }
    /* 13. Looseness (TeX's \looseness): a paragraph set a line shorter or
     * longer. Against the exhaustive search by line count: the best
     * breaks with each number of lines; looseness -1 / +1 takes the count
     * one below / above the optimum's when it has breaks within tolerance
     * (and no more lines past r = 1 than the optimum), with the least
     * demerits for that count, else the optimum itself. */
    {
        int fewer = 0, more = 0, same = 0, tried = 0, agree = 0;
        for (int trial = 0; trial < 300; trial++) {
            struct para p = {.n = 0};
            int nw = 20 + (int)(rnd() * 40);
            for (int i = 0; i < nw; i++) {
                if (i)
                    space(&p);
                double w = 3 + rnd() * 10;
                if (w > 8 && rnd() < 0.4) {
                    box(&p, w / 2);
                    hyphen(&p, 50);
                    box(&p, w / 2);
                } else
                    box(&p, w);
            }
            finish(&p);
            double widths[2] = {50 + rnd() * 40, 0};
            widths[1] = widths[0];
            if (rnd() < 0.3)
                widths[0] -= 10;
            struct pr_lb_params q = pr_linebreak_defaults();
            q.tolerance = 1 + rnd() * 2;
            q.widths = widths;
            q.nwidths = 2;
            q.loose_demerits = trial % 2 ? 1e6 : 0;
            search_lines(&p, &q);
            int opt = -1;
            for (int k = 1; k < MAXL; k++)
                if (by_lines[k] < 1e300 && (opt < 0 || by_lines[k] < by_lines[opt]))
                    opt = k;
            if (opt < 0)
                continue;
            for (int want = -1; want <= 1; want += 2) {
                int k = opt + want;
                bool ok = k >= 1 && k < MAXL && by_lines[k] < 1e300 && by_lines_loose[k] <= by_lines_loose[opt];
                int expect = ok ? k : opt;
                q.looseness = want;
                int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
                tried++;
                if (n == expect && !emerg && fabs(total_of(&p, &q, l, n) - by_lines[expect]) < 1e-6 * fmax(1, by_lines[expect]))
                    agree++;
                else
                    fprintf(stderr, "looseness trial %d (%+d): %d lines, %g; search %d lines, %g\n", trial, want, n,
                            n ? total_of(&p, &q, l, n) : -1, expect, by_lines[expect]);
                fewer += want < 0 && expect < opt;
                more += want > 0 && expect > opt;
                same += expect == opt;
                free(l);
            }
            /* looseness 0: the optimum, as before */
            q.looseness = 0;
            int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
            CHECK(n == opt && fabs(total_of(&p, &q, l, n) - by_lines[opt]) < 1e-6 * fmax(1, by_lines[opt]));
            free(l);
        }
        CHECK(tried > 300 && agree == tried);
        CHECK(fewer > 20 && more > 20 && same > 20);
    }
    /* 13b. The looseness passes that keep only breaks able to reach the
     * wanted line count (linebreak.c first_pass) choose exactly what one
     * pass keeping every line number apart chooses. That pass is still
     * the breaker's when lines beside a drop cap run past the widths
     * given (plain_lines >= nwidths), which with no hangs changes nothing
     * else: it is the reference. Random paragraphs
     * with hyphens, letter stretch and shrink, hyphen-run limits, ragged
     * lines, an emergency shrink, looseness -2 to +2. */
    {
        int differ = 0, changed = 0, tried = 0;
        for (int trial = 0; trial < 400; trial++) {
            struct para p = {.n = 0};
            int nw = 15 + (int)(rnd() * 60);
            for (int i = 0; i < nw && p.n < MAXN - 8; i++) {
                if (i)
                    space(&p);
                double w = 3 + rnd() * 10;
                if (w > 7 && rnd() < 0.5) {
                    box(&p, w / 2);
                    hyphen(&p, 50);
                    box(&p, w / 2);
                } else
                    box(&p, w);
                if (trial % 3 == 0)
                    p.v[p.n - 1].stretch = p.v[p.n - 1].shrink = w * 0.02;
            }
            finish(&p);
            double widths[2] = {40 + rnd() * 40, 0};
            widths[1] = widths[0];
            if (rnd() < 0.3)
                widths[0] -= 10;
            struct pr_lb_params q = trial % 5 == 4 ? ragged_params(&widths[1]) : pr_linebreak_defaults();
            q.widths = widths;
            q.nwidths = trial % 5 == 4 ? 1 : 2;
            q.tolerance = trial % 5 == 4 ? q.tolerance : 1 + rnd() * 2;
            q.max_hyphen_run = trial % 4 == 1 ? 1 : trial % 4 == 2 ? 2 : 0;
            q.emergency_shrink = trial % 2 ? 0.2 : 0;
            q.emergency_stretch = trial % 2 ? 3 : 0;
            q.loose_demerits = trial % 3 == 1 ? 1e6 : 0;
            for (int want = -2; want <= 2; want++) {
                if (want == 0)
                    continue;
                struct pr_lb_line *a, *b;
                bool ea, eb;
                q.looseness = want;
                q.plain_lines = 0;
                int na = pr_linebreak_run(p.v, p.n, &q, &a, &ea);
                q.plain_lines = q.nwidths;
                int nb = pr_linebreak_run(p.v, p.n, &q, &b, &eb);
                q.plain_lines = 0;
                q.looseness = 0;
                struct pr_lb_line *o;
                int no = pr_linebreak_run(p.v, p.n, &q, &o, &ea);
                bool same = na == nb;
                for (int i = 0; same && i < na; i++)
                    same = a[i].end == b[i].end && a[i].ratio == b[i].ratio && a[i].overfull == b[i].overfull;
                differ += !same;
                changed += na != no;
                tried++;
                free(a);
                free(b);
                free(o);
            }
        }
        CHECK(tried == 1600 && differ == 0);
        CHECK(changed > 100); /* looseness had something to do */
    }
    /* 14. Looseness by hand, 45 wide, tolerance 3, spaces 3 (stretch 1.5,
     * shrink 1). Words 4 5 11 4 8 7 9 5 5 12 4 9 7 3: 4 lines at best, 3
     * with -1 (every line within tolerance), still 4 with +1 (five lines
     * would have to stretch past the tolerance). Words 5 10 4 11 7 10 12 8
     * 9 4 12 8 8 4: 3 lines, 4 with +1, still 3 with -1. Looseness 0 keeps
     * test 1's breaks exactly. */
    {
        double w45 = 45;
        struct pr_lb_params q = pr_linebreak_defaults();
        q.widths = &w45;
        q.nwidths = 1;
        q.tolerance = 3;
        q.loose_demerits = 1e6;
        const double wa[] = {4, 5, 11, 4, 8, 7, 9, 5, 5, 12, 4, 9, 7, 3};
        const double wb[] = {5, 10, 4, 11, 7, 10, 12, 8, 9, 4, 12, 8, 8, 4};
        const double *ws[2] = {wa, wb};
        const int expect[2][3] = {{3, 4, 4}, {3, 3, 4}};
        for (int k = 0; k < 2; k++) {
            struct para p = {.n = 0};
            words(&p, ws[k], 14);
            finish(&p);
            for (int lo = -1; lo <= 1; lo++) {
                q.looseness = lo;
                int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
                CHECK(n == expect[k][lo + 1] && !emerg);
                for (int i = 0; i < n; i++)
                    CHECK(l[i].ratio >= -1 && l[i].ratio <= q.tolerance);
                free(l);
            }
        }
        struct para t = {.n = 0};
        const double w[] = {10, 16, 6, 14, 6, 22, 23, 23, 12, 17};
        words(&t, w, 10);
        finish(&t);
        struct pr_lb_params q0 = pp;
        q0.looseness = 0;
        int n = pr_linebreak_run(t.v, t.n, &q0, &l, &emerg);
        CHECK(n == 3 && l[0].end == 7 && l[1].end == 13 && l[2].end == t.n - 1);
        free(l);
    }
    /* 12. Nothing to break: no lines. */
    CHECK(pr_linebreak_run(NULL, 0, &pp, &l, &emerg) == 0 && l == NULL);
    /* 13. Ragged lines: word spaces neither stretch nor shrink (every line
     * within the measure at its natural width, its ratio its shortfall
     * over the rag zone), the last line free (ratio 0), and where first
     * fit and the rag-blind optimum leave a line 9 shorter than the one
     * before (0.15 of the measure), the rag demerits find breaks in as
     * many lines with no two neighbours more than 1 apart. */
    {
        struct pr_lb_params q = ragged_params(&w60);
        const double w[] = {6, 14, 16, 5, 9, 3, 15, 15, 14, 8, 10, 9, 7, 7, 5};
        struct para p = {.n = 0};
        words(&p, w, 15);
        finish(&p);
        struct pr_lb_line ff[32];
        int nf = first_fit_ragged(&p, w60, ff);
        CHECK(nf == 4 && fabs(rag_worst(&p, ff, nf) - 9) < 1e-9);
        int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        CHECK(n == 4 && !emerg && rag_worst(&p, l, n) <= 1 + 1e-9);
        for (int i = 0, a = -1; i < n; a = l[i].end, i++) {
            double nat = natural_width(&p, a, l[i].end);
            CHECK(nat <= w60 + 1e-9);
            CHECK(i == n - 1 ? l[i].ratio == 0 : fabs(l[i].ratio - (w60 - nat) / q.ragged) < 1e-9);
        }
        free(l);
        struct pr_lb_params blind = q;
        blind.rag_demerits = blind.stair_demerits = 0;
        n = pr_linebreak_run(p.v, p.n, &blind, &l, &emerg);
        CHECK(n == 4 && fabs(rag_worst(&p, l, n) - 9) < 1e-9);
        free(l);
    }
    /* 14. Ragged: no stair-step (three lines each a quarter zone or more
     * shorter, or longer, than the one before) where the stair demerits
     * can avoid one; without them the optimum has one. */
    {
        double w50 = 50;
        struct pr_lb_params q = ragged_params(&w50);
        q.rag_demerits = 0;
        const double w[] = {4, 3, 11, 13, 6, 9, 16, 9, 3, 6, 4, 3, 7, 10, 13, 5};
        struct para p = {.n = 0};
        words(&p, w, 16);
        finish(&p);
        int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        CHECK(n == 4 && rag_stairs(&p, l, n, q.ragged / 4) == 0);
        free(l);
        q.stair_demerits = 0;
        n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        CHECK(n == 4 && rag_stairs(&p, l, n, q.ragged / 4) == 1);
        free(l);
    }
    /* 15. Ragged, a hard break (a verse line's end): the line before it
     * is free (ratio 0, however short) and the line after it starts the
     * comparisons afresh: a short written line does not pull its turnover
     * shorter. */
    {
        struct pr_lb_params q = ragged_params(&w60);
        struct para p = {.n = 0};
        box(&p, 12);
        p.v[p.n++] = (struct pr_lb_node){.kind = PR_LB_GLUE, .stretch = 1e6, .nobreak = true};
        p.v[p.n++] = (struct pr_lb_node){.kind = PR_LB_PENALTY, .penalty = -PR_LB_INF};
        int hard = p.n - 1;
        const double w[] = {14, 12, 13, 12, 11, 14, 12, 9};
        words(&p, w, 8);
        finish(&p);
        int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        CHECK(n == 3 && l[0].end == hard && l[0].ratio == 0 && !emerg);
        if (n == 3)
            CHECK(natural_width(&p, l[0].end, l[1].end) >= w60 - q.ragged);
        free(l);
    }
    /* 16. Ragged, a word wider than the measure: an overfull line in the
     * final pass, as justified text gets. */
    {
        double w20 = 20;
        struct pr_lb_params q = ragged_params(&w20);
        const double w[] = {5, 30, 5};
        struct para p = {.n = 0};
        words(&p, w, 3);
        finish(&p);
        int n = pr_linebreak_run(p.v, p.n, &q, &l, &emerg);
        bool over = false;
        for (int i = 0; i < n; i++)
            over = over || l[i].overfull;
        CHECK(n == 3 && emerg && over);
        free(l);
    }
    return DONE();
}

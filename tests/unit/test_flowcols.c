/* test_flowcols.c - balancing a simple page a column at a time (flow.c's
 * col_flow and col_run) against flow() itself: on 3000 random pages of
 * lines (on the grid and off it, of odd heights), spaces, rules and
 * blocks, with random column breaks (break_before, break_soft), in two to
 * four columns (often, seldom or hardly ever allowed to end), some with a band at the foot or columns starting lower
 * (beside a lead image), each flowed with 60 random column limits: for
 * every limit set, the columns taken from the memo of those flowed before
 * (or flowed now) must place every item where flow() does, and agree on
 * whether the page holds them all without a forced column break. The
 * file includes flow.c to reach its static functions. */
#include "../../src/flow.c"
#include "check.h"

static int differ;

/* A random simple page of n items. */
static void page(GRand *r, struct pr_items *it, int n)
{
    it->n = 0;
    /* how often a column may end: often, or seldom (chunks taller than
     * a column, which move on twice and are then set where they fall) */
    int breaks = (int[]){5, 2, 1}[g_rand_int_range(r, 0, 3)], per = breaks == 1 ? 30 : 10;
    for (int i = 0; i < n; i++) {
        struct pr_item *v = &it->v[it->n++];
        memset(v, 0, sizeof *v);
        int kind = g_rand_int_range(r, 0, 20);
        v->kind = kind < 15 ? PR_IT_LINE : kind < 18 ? PR_IT_SPACE : kind < 19 ? PR_IT_RULE : PR_IT_BLOCK;
        switch (v->kind) {
        case PR_IT_LINE:
            v->grid = g_rand_int_range(r, 0, 8) > 0;
            v->height = v->grid ? (g_rand_int_range(r, 0, 6) ? 12 : 12 * g_rand_int_range(r, 2, 4))
                                : g_rand_double_range(r, 5, 30);
            v->ascent = v->height * 0.75;
            break;
        case PR_IT_SPACE:
            v->height = g_rand_int_range(r, 0, 3) ? 6 : g_rand_double_range(r, 0, 20);
            break;
        default:
            v->height = g_rand_double_range(r, 0.5, 40);
            break;
        }
        int b = g_rand_int_range(r, 0, per);
        v->break_before = b < breaks;
        v->break_soft = b == breaks;
    }
}

static void frame(GRand *r, struct pr_frame *f)
{
    memset(f, 0, sizeof *f);
    f->columns = g_rand_int_range(r, 2, 5);
    f->col_w = 100;
    f->gutter = 10;
    f->top = 40;
    f->first_top = g_rand_boolean(r) ? 40 : 40 + 12 * g_rand_int_range(r, 1, 10);
    f->bottom = 40 + 12 * g_rand_int_range(r, 10, 50);
    f->baseline = 12;
    f->grid_origin = 49;
    f->soft_breaks = g_rand_int_range(r, 0, 3) == 0;
    if (g_rand_int_range(r, 0, 4) == 0) {
        f->band_h = 12 * g_rand_int_range(r, 2, 8);
        f->band_page = 0;
    }
    if (g_rand_int_range(r, 0, 4) == 0)
        for (int c = 0; c < f->columns; c++)
            f->col_top[c] = g_rand_boolean(r) ? f->first_top + 12 * g_rand_int_range(r, 1, 6) : 0;
}

int main(void)
{
    GRand *r = g_rand_new_with_seed(7);
    struct pr_items it = {0};
    it.v = calloc(200, sizeof *it.v);
    it.cap = 200;
    struct pr_place want[200], got[200];
    int done[200];
    long checked = 0, ok_pages = 0, reused = 0;
    for (int round = 0; round < 3000; round++) {
        struct pr_frame f;
        frame(r, &f);
        page(r, &it, g_rand_int_range(r, 1, 150));
        int n = it.n;
        struct balance bl;
        memset(&bl, 0, sizeof bl);
        bl.sub = &f;
        bl.part = &it;
        double limits[64];
        bl.limits = limits;
        bl.runs = malloc((size_t)f.columns * sizeof *bl.runs);
        for (int c = 0; c < f.columns; c++)
            bl.runs[c] = calloc((size_t)n + 1, sizeof *bl.runs[c]);
        for (int t = 0; t < 60; t++) {
            /* limits down the columns, as the search sets them, or any */
            double h = 12 * g_rand_int_range(r, 1, 50);
            for (int c = 0; c < f.columns; c++) {
                limits[c] = f.top + h + (g_rand_int_range(r, 0, 5) == 0 ? g_rand_double_range(r, -3, 3) : 0);
                if (g_rand_boolean(r))
                    h = fmax(12, h - 12 * g_rand_int_range(r, 0, 3));
            }
            memset(done, 0, sizeof done);
            int forced = 0;
            struct deps d;
            for (int c = 0; c < f.columns; c++) {
                d.lo[c] = -INFINITY;
                d.hi[c] = INFINITY;
            }
            d.opaque = false;
            bool want_ok = flow(&f, &it, 0, n, want, done, limits, &forced, &d) == 1 && forced == 0;
            /* the columns, from the memo or flowed */
            struct colstart at = {0, -1, 0};
            int fsum = 0;
            bool got_ok = false;
            for (int c = 0; c < f.columns; c++) {
                struct colrun *before = bl.runs[c][at.i];
                const struct colrun *cr = col_run(&bl, c, at);
                reused += bl.runs[c][at.i] == before; /* (no new run: one flowed before) */
                memcpy(got + cr->from.i, cr->pl, (size_t)(cr->to.i - cr->from.i) * sizeof *got);
                fsum += cr->forced;
                if (!cr->next) {
                    got_ok = fsum == 0;
                    break;
                }
                at = cr->to;
            }
            bool same = want_ok == got_ok;
            for (int i = 0; same && want_ok && i < n; i++)
                same = want[i].page == got[i].page && want[i].col == got[i].col &&
                       fabs(want[i].y - got[i].y) < 1e-9 && want[i].repeat == got[i].repeat;
            CHECK(same);
            if (!same && differ++ < 3)
                fprintf(stderr, "  round %d trial %d: flow %s, columns %s\n", round, t, want_ok ? "ok" : "not ok",
                        got_ok ? "ok" : "not ok");
            checked++;
            ok_pages += want_ok;
        }
        col_runs_free(&bl);
        for (int c = 0; c < f.columns; c++)
            free(bl.runs[c]);
        free(bl.runs);
    }
    /* (the comparison had pages that fit, and columns taken from the memo) */
    printf("trials %ld, %ld held the page, %ld columns reused\n", checked, ok_pages, reused);
    CHECK(ok_pages > checked / 10);
    CHECK(reused > checked / 4);
    free(it.v);
    g_rand_free(r);
    return DONE();
}

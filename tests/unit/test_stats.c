/* test_stats.c - the --stats figures (stats.c) on a page model made by hand,
 * where every answer is known: space ratios and their percentiles, loose
 * and tight lines, hyphen runs (soft and hard hyphens), a widow, an orphan,
 * a runt, an overflow and missing glyphs, per article and for the issue. */
#include "check.h"
#include "backends.h"
#include "typeset.h"
#include <stdlib.h>

static struct pr_arena *A;

struct lspec {
    const char *s;        /* the line's text */
    bool justified, hyph;
    double ratio;         /* 0: no spaces */
    double overflow;
    int missing;
};

/* A text whose lines are the given strings, one after the other. */
static struct pr_text *text(const struct lspec *ls, int n, bool justify, bool total_fit)
{
    struct pr_text *t = pr_arena_alloc(A, sizeof *t);
    GString *g = g_string_new(NULL);
    t->lines = pr_arena_alloc(A, (size_t)n * sizeof *t->lines);
    for (int i = 0; i < n; i++) {
        struct pr_tline *tl = &t->lines[i];
        tl->start = (int)g->len;
        g_string_append(g, ls[i].s);
        tl->len = (int)g->len - tl->start;
        tl->justified = ls[i].justified;
        tl->hyphenated = ls[i].hyph;
        tl->spaces = ls[i].ratio > 0 ? 3 : 0;
        tl->space_ratio = ls[i].ratio > 0 ? ls[i].ratio : 1;
        tl->overflow = ls[i].overflow;
        tl->missing = ls[i].missing;
    }
    t->str = pr_arena_strdup(A, g->str);
    t->len = (int)g->len;
    g_string_free(g, TRUE);
    t->nlines = n;
    t->justify = justify;
    t->total_fit = total_fit;
    return t;
}

static void put(struct pr_page *pg, const struct pr_text *t, int line, double x, double y)
{
    struct pr_box *b = PR_PUSH(A, pg->boxes, pg->nboxes, pg->cap);
    b->kind = PR_BOX_LINE;
    b->role = PR_ROLE_BODY;
    b->text = t;
    b->line = line;
    b->x = x;
    b->y = y;
}

/* The number after "key": in the first object at or after `from`. */
static double num(const char *json, const char *from, const char *key)
{
    const char *p = from ? strstr(json, from) : json;
    char k[64];
    snprintf(k, sizeof k, "\"%s\": ", key);
    p = p ? strstr(p, k) : NULL;
    return p ? strtod(p + strlen(k), NULL) : -999;
}

int main(void)
{
    A = pr_arena_new();
    struct pr_issue is;
    memset(&is, 0, sizeof is);
    struct pr_article art[2];
    memset(art, 0, sizeof art);
    art[0].id = "first";
    art[0].title = "The \"first\" one";
    art[1].id = "second";
    art[1].title = "Second";
    is.articles = art;
    is.narticles = 2;
    is.layout.composer = PR_COMPOSER_TOTAL_FIT;
    struct pr_build b;
    memset(&b, 0, sizeof b);
    b.arena = A;
    b.issue = &is;
    b.opt.stats = 2;

    /* A: four lines, a soft then a hard hyphen (a run of two), ends in a runt */
    const struct lspec la[] = {{"one two three four ", true, false, 1.0, 0, 0},
                               {"five six se\xC2\xAD", true, true, 1.6, 0, 2},
                               {"ven well-", true, false, 0.7, 0, 0},
                               {"it.", false, false, 0, 0, 0}};
    /* B: its first line alone at the foot of a column (an orphan) */
    const struct lspec lb[] = {{"alpha beta gamma ", true, false, 1.2, 0, 0},
                               {"delta epsilon zeta ", true, false, 1.3, 2.0, 0},
                               {"and so on.", false, false, 0, 0, 0}};
    /* C: its last line alone at the top of the next page (a widow) */
    const struct lspec lc[] = {{"eta theta io\xC2\xAD", true, true, 1.1, 0, 0},
                               {"ta kappa lambda mu ", true, false, 1.55, 0, 0},
                               {"the end.", false, false, 0, 0, 0}};
    struct pr_text *ta = text(la, 4, true, true), *tb = text(lb, 3, true, false),
                   *tc = text(lc, 3, true, false);
    /* D: the second article, one ragged line */
    const struct lspec ld[] = {{"A caption", false, false, 0, 0, 0}};
    struct pr_text *td = text(ld, 1, false, false);
    /* letter spacing (10 pt type): A's lines at +0.2, -0.1 and +0.3 pt
     * per gap (20, -10, 30 thousandths of an em); its last line is not
     * justified and does not count, nor do lines without spaces */
    const double ls[] = {0.2, -0.1, 0.3, 0.5};
    for (int i = 0; i < 4; i++)
        ta->lines[i].letter_space = ls[i], ta->lines[i].em = 10;

    struct pr_book bk;
    memset(&bk, 0, sizeof bk);
    bk.pages = pr_arena_alloc(A, 3 * sizeof *bk.pages);
    bk.npages = 3;
    for (int i = 0; i < 3; i++) {
        bk.pages[i].number = i + 1;
        bk.pages[i].article = i < 2 ? 0 : 1;
    }
    struct pr_page *p1 = &bk.pages[0], *p2 = &bk.pages[1];
    put(p1, ta, 0, 50, 100);
    put(p1, ta, 1, 50, 112);
    put(p1, ta, 2, 230, 100); /* next column: neither widow nor orphan */
    put(p1, ta, 3, 230, 112);
    put(p1, tb, 0, 230, 700); /* foot of the column */
    put(p2, tb, 1, 50, 100);
    put(p2, tb, 2, 50, 112);
    put(p2, tc, 0, 50, 124);
    put(p2, tc, 1, 50, 136);
    put(p2, tc, 2, 230, 100); /* top of the next column */
    put(&bk.pages[2], td, 0, 50, 100);

    char *json = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&json, &len);
    pr_stats_write(&b, &bk, f);
    fclose(f);

    CHECK(num(json, NULL, "pages") == 3);
    CHECK(num(json, NULL, "lines") == 11);
    CHECK(num(json, NULL, "justified_lines") == 7);
    /* ratios 0.7 1.0 1.1 1.2 1.3 1.55 1.6 */
    CHECK(num(json, NULL, "loose_lines") == 2);
    CHECK(num(json, NULL, "tight_lines") == 1);
    CHECK(num(json, NULL, "space_ratio_p95") == 1.6);
    CHECK(num(json, NULL, "space_ratio_max") == 1.6);
    CHECK(num(json, NULL, "space_ratio_mean") == 1.207);
    CHECK(num(json, NULL, "hyphenated_lines") == 3);
    CHECK(num(json, NULL, "max_hyphen_run") == 2);
    CHECK(num(json, NULL, "widows") == 1);
    CHECK(num(json, NULL, "orphans") == 1);
    CHECK(num(json, NULL, "runts") == 1);
    CHECK(num(json, NULL, "overflow_lines") == 1);
    CHECK(num(json, NULL, "missing_glyphs") == 2);
    CHECK(num(json, NULL, "paragraphs") == 3);
    CHECK(num(json, NULL, "greedy_paragraphs") == 2);
    CHECK(strstr(json, "\"composer\": \"total-fit\"") != NULL);
    /* letter spacing over the 7 justified lines: 20 - 10 + 30 and four 0 */
    CHECK(num(json, NULL, "letter_space_mean") == 5.71);
    CHECK(num(json, NULL, "letter_space_min") == -10);
    CHECK(num(json, NULL, "letter_space_max") == 30);
    /* |ls| sorted 0 0 0 0 10 20 30: the 7th (nearest rank of 95 %) */
    CHECK(num(json, NULL, "letter_space_p95") == 30);
    /* per article */
    CHECK(strstr(json, "\"title\": \"The \\\"first\\\" one\"") != NULL);
    CHECK(num(json, "\"id\": \"first\"", "pages") == 2);
    CHECK(num(json, "\"id\": \"first\"", "lines") == 10);
    CHECK(num(json, "\"id\": \"first\"", "widows") == 1);
    CHECK(num(json, "\"id\": \"second\"", "pages") == 1);
    CHECK(num(json, "\"id\": \"second\"", "lines") == 1);
    CHECK(num(json, "\"id\": \"second\"", "justified_lines") == 0);
    CHECK(num(json, "\"id\": \"second\"", "space_ratio_p95") == 0);
    free(json);

    /* the table: one row per article and one for the issue */
    b.opt.stats = 1;
    f = open_memstream(&json, &len);
    pr_stats_write(&b, &bk, f);
    fclose(f);
    CHECK(strstr(json, "\nfirst ") != NULL);
    CHECK(strstr(json, "\nISSUE ") != NULL);
    CHECK(strstr(json, "2 of 3 justified paragraphs") != NULL);
    free(json);
    pr_arena_free(A);
    return DONE();
}

/* test_flow.c - layout decisions of the column flow (flow.c): baseline
 * grid, widow/orphan rules, headings kept with what follows, floats moved
 * to the next column, balanced last pages. Items are made by hand. */
#include "check.h"
#include "typeset.h"
#include <math.h>

static struct pr_arena *A;

/* A paragraph of n lines with the break rules pages.c uses: a column may
 * end before it unless it is kept with a heading (keep_first), and inside
 * it where flow.c's widow/orphan rule (pr_flow_line_breaks) allows; its
 * first keep_lines lines stay together, and the lines whose bit is set in
 * hyph end with a hyphen. */
static void para_rules(struct pr_items *it, int n, bool keep_first, int keep_lines, unsigned hyph,
                       bool hyphen_last_line)
{
    for (int i = 0; i < n; i++) {
        struct pr_item *x = pr_items_push(A, it);
        x->kind = PR_IT_LINE;
        x->height = 12;
        x->ascent = 9;
        x->grid = true;
        x->break_before = !keep_first;
        pr_flow_line_breaks(x, i, n, keep_lines, i > 0 && (hyph >> (i - 1) & 1), hyphen_last_line);
    }
}

static void para(struct pr_items *it, int n, bool keep_first)
{
    para_rules(it, n, keep_first, 0, 0, false);
}

static struct pr_frame frame(int cols, int lines)
{
    struct pr_frame f = {0};
    f.columns = cols;
    f.col_w = 100;
    f.gutter = 10;
    f.top = f.first_top = 0;
    f.bottom = lines * 12;
    f.baseline = 12;
    f.grid_origin = 9;
    return f;
}

int main(void)
{
    A = pr_arena_new();
    struct pr_place pl[200];

    /* 1. A column with room for 5 lines: a 10-line paragraph after 4 lines
     * of another would leave one line (an orphan): it moves whole. */
    {
        struct pr_items it = {0};
        para(&it, 4, false);
        para(&it, 10, false);
        struct pr_frame f = frame(2, 5);
        pr_flow_run(&f, &it, pl);
        CHECK(pl[4].col == 1 && pl[4].page == 0); /* first line of para 2: next column */
        CHECK(pl[3].col == 0);
    }
    /* 2. Widow: a 6-line paragraph in a 5-line column must not leave its
     * last line alone at the top of the next column: 4 + 2. */
    {
        struct pr_items it = {0};
        para(&it, 6, false);
        struct pr_frame f = frame(2, 5);
        pr_flow_run(&f, &it, pl);
        CHECK(pl[3].col == 0);
        CHECK(pl[4].col == 1);
        CHECK(pl[5].col == 1);
    }
    /* 3. Baselines on the grid: a line after an odd-height rule snaps down. */
    {
        struct pr_items it = {0};
        para(&it, 1, false);
        struct pr_item *r = pr_items_push(A, &it);
        r->kind = PR_IT_RULE;
        r->height = 5;
        r->break_before = true;
        para(&it, 2, false);
        struct pr_frame f = frame(1, 20);
        pr_flow_run(&f, &it, pl);
        double base = pl[2].y + 9;
        CHECK(fabs(fmod(base - 9, 12)) < 0.01);
        CHECK(fabs(pl[2].y - 24) < 0.01); /* 12 + 5 = 17 -> next grid line at 24 */
    }
    /* 4. A heading (kept with next) at the foot of a column goes with the
     * paragraph's first two lines to the next column. */
    {
        struct pr_items it = {0};
        para(&it, 3, false);       /* lines 0-2 */
        para(&it, 1, false);       /* heading: item 3 */
        para(&it, 4, true);        /* items 4-7, kept with the heading */
        struct pr_frame f = frame(2, 5);
        pr_flow_run(&f, &it, pl);
        CHECK(pl[3].col == 1);     /* 3 lines + heading + 1 line would fit 5, but orphan */
        CHECK(pl[4].col == 1 && pl[5].col == 1);
    }
    /* 5. A float taller than the space left moves to the next column and
     * the text goes on filling this one. */
    {
        struct pr_items it = {0};
        para(&it, 3, false);
        struct pr_item *fl = pr_items_push(A, &it);
        fl->kind = PR_IT_FLOAT;
        fl->height = 36;
        fl->break_before = true;
        para(&it, 2, false);
        struct pr_frame f = frame(2, 5);
        pr_flow_run(&f, &it, pl);
        CHECK(pl[3].col == 1 && fabs(pl[3].y) < 0.01);
        CHECK(pl[4].col == 0 && pl[5].col == 0);
    }
    /* 6. Balancing: 12 lines of 2-line paragraphs in 3 columns of 20 lines
     * end up 4 + 4 + 4 instead of 12 + 0 + 0. */
    {
        struct pr_items it = {0};
        for (int i = 0; i < 6; i++)
            para(&it, 2, false);
        struct pr_frame f = frame(3, 20);
        f.balance = true;
        int pages = pr_flow_run(&f, &it, pl);
        CHECK(pages == 1);
        int per[3] = {0};
        for (int i = 0; i < 12; i++)
            per[pl[i].col]++;
        CHECK(per[0] == 4 && per[1] == 4 && per[2] == 4);
    }
    /* 6b. Balanced to within a line: a 10-line paragraph in 3 columns is
     * 4 + 3 + 3, not 4 + 4 + 2. */
    {
        struct pr_items it = {0};
        para(&it, 10, false);
        struct pr_frame f = frame(3, 20);
        f.balance = true;
        pr_flow_run(&f, &it, pl);
        int per[3] = {0};
        for (int i = 0; i < 10; i++)
            per[pl[i].col]++;
        CHECK(per[0] == 4 && per[1] == 3 && per[2] == 3);
    }
    /* 6c. balancing_split_a_two_line_paragraph: balancing must keep the
     * widow/orphan rule; a lone 2-line paragraph stays in one column. */
    {
        struct pr_items it = {0};
        para(&it, 2, false);
        struct pr_frame f = frame(3, 20);
        f.balance = true;
        pr_flow_run(&f, &it, pl);
        CHECK(pl[0].col == 0 && pl[1].col == 0);
        CHECK(pl[1].y > pl[0].y);
    }
    /* 6d. A heading stays with its text when balancing moves it: 5 lines,
     * heading, 4 lines in 2 columns: 5 + (heading and 4). */
    {
        struct pr_items it = {0};
        para(&it, 5, false);
        para(&it, 1, false);  /* heading: item 5 */
        para(&it, 4, true);   /* kept with it */
        struct pr_frame f = frame(2, 20);
        f.balance = true;
        pr_flow_run(&f, &it, pl);
        int per[2] = {0};
        for (int i = 0; i < 10; i++)
            per[pl[i].col]++;
        CHECK(per[0] == 5 && per[1] == 5);
        CHECK(pl[5].col == 1 && pl[6].col == 1 && pl[7].col == 1);
    }
    /* 6e. Three paragraphs of 3 lines in 3 columns: 3 + 3 + 3. */
    {
        struct pr_items it = {0};
        for (int i = 0; i < 3; i++)
            para(&it, 3, false);
        struct pr_frame f = frame(3, 20);
        f.balance = true;
        pr_flow_run(&f, &it, pl);
        for (int i = 0; i < 9; i++)
            CHECK(pl[i].col == i / 3);
    }
    /* 7. Pages: 30 lines of 2-line paragraphs in 1 column of 10 lines. */
    {
        struct pr_items it = {0};
        for (int i = 0; i < 15; i++)
            para(&it, 2, false);
        struct pr_frame f = frame(1, 10);
        CHECK(pr_flow_run(&f, &it, pl) == 3);
        CHECK(pl[29].page == 2);
    }
    /* 8. heading_ascent_lost_a_grid_line: after a space, a heading whose
     * ascent is 0.14 pt larger than the body's keeps the grid line right
     * below the space instead of dropping to the next one. */
    {
        struct pr_items it = {0};
        para(&it, 2, false);
        struct pr_item *sp = pr_items_push(A, &it);
        sp->kind = PR_IT_SPACE;
        sp->height = 12;
        sp->break_before = true;
        para(&it, 1, false);
        it.v[3].ascent = 9.14;
        struct pr_frame f = frame(1, 20);
        pr_flow_run(&f, &it, pl);
        CHECK(fabs(pl[3].y + 9.14 - 45) < 0.01); /* baselines 9, 21, (space), 45 */
    }
    /* 9. The rule itself, as pages.c sets it: two lines on each side of a
     * column break, none inside the first keep_lines lines, none after a
     * hyphen unless the layout allows one there (else a soft break). */
    {
        struct pr_item x = {0};
        x.break_before = x.break_soft = true;
        pr_flow_line_breaks(&x, 0, 6, 0, false, false); /* first line: left as it is */
        CHECK(x.break_before && x.break_soft);
        bool want[7] = {false, false, true, true, true, true, false};
        for (int i = 1; i < 7; i++) {
            pr_flow_line_breaks(&x, i, 7, 0, false, false);
            CHECK(x.break_before == want[i] && !x.break_soft);
        }
        pr_flow_line_breaks(&x, 3, 7, 4, false, false); /* inside a drop cap's 4 lines */
        CHECK(!x.break_before && !x.break_soft);
        pr_flow_line_breaks(&x, 4, 7, 4, false, false);
        CHECK(x.break_before && !x.break_soft);
        pr_flow_line_breaks(&x, 3, 7, 0, true, false);  /* after a hyphen: soft only */
        CHECK(!x.break_before && x.break_soft);
        pr_flow_line_breaks(&x, 3, 7, 0, true, true);   /* hyphen-last-line: yes */
        CHECK(x.break_before && !x.break_soft);
        pr_flow_line_breaks(&x, 1, 7, 0, true, false);  /* an orphan stays one, hyphen or not */
        CHECK(!x.break_before && !x.break_soft);
        pr_flow_line_breaks(&x, 2, 3, 0, false, false); /* a 3-line paragraph never splits */
        CHECK(!x.break_before && !x.break_soft);
    }
    /* 10. A drop cap's first 4 lines stay together: after 2 lines of
     * another paragraph, a 7-line paragraph with a drop cap moves whole to
     * a 5-line column's next column (without it, 3 of its lines stay). */
    {
        struct pr_items it = {0};
        para(&it, 2, false);
        para_rules(&it, 7, false, 4, 0, false);
        struct pr_frame f = frame(2, 5);
        pr_flow_run(&f, &it, pl);
        CHECK(pl[1].col == 0 && pl[2].col == 1 && pl[5].col == 1);
        struct pr_items it2 = {0};
        para(&it2, 2, false);
        para(&it2, 7, false);
        pr_flow_run(&f, &it2, pl);
        CHECK(pl[4].col == 0 && pl[5].col == 1);
    }
    /* 11. No column ends after a hyphen: a 6-line paragraph whose fourth
     * line is hyphenated splits 3 + 3 in a 5-line column, not 4 + 2; with
     * hyphen-last-line allowed it is 4 + 2 again. */
    {
        struct pr_items it = {0};
        para_rules(&it, 6, false, 0, 1u << 3, false);
        CHECK(!it.v[4].break_before && it.v[4].break_soft);
        struct pr_frame f = frame(2, 5);
        pr_flow_run(&f, &it, pl);
        CHECK(pl[2].col == 0 && pl[3].col == 1 && pl[5].col == 1);
        struct pr_items it2 = {0};
        para_rules(&it2, 6, false, 0, 1u << 3, true);
        pr_flow_run(&f, &it2, pl);
        CHECK(pl[3].col == 0 && pl[4].col == 1);
    }
    pr_arena_free(A);
    return DONE();
}

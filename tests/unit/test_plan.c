/* test_plan.c - the page plan (flatplan.c): where full-page ads, fillers
 * and blank pages go for each `at:` and `start:`, and the pages binding
 * needs at the end. */
#include "check.h"
#include "flatplan.h"
#include <stdlib.h>
#include <string.h>

static struct pr_article arts[4];
static struct pr_ad ads[8], fillers[4];

static struct pr_issue issue(int nads, int nfillers)
{
    struct pr_issue is;
    memset(&is, 0, sizeof is);
    is.articles = arts;
    is.narticles = 4;
    is.ads = ads;
    is.nads = nads;
    is.fillers = fillers;
    is.nfillers = nfillers;
    return is;
}

static void reset(void)
{
    memset(arts, 0, sizeof arts);
    memset(ads, 0, sizeof ads);
    memset(fillers, 0, sizeof fillers);
    for (int i = 0; i < 8; i++)
        ads[i].at_index = -1;
    arts[0].title = "One";
    arts[1].title = "Two";
}

int main(void)
{
    struct pr_diags d;
    pr_diags_init(&d);
    struct pr_slots out = {NULL, 0, 0};
    int back;

    /* an inside front cover ad takes page 2, before the contents */
    reset();
    ads[0] = (struct pr_ad){.name = "IFC", .at = PR_AT_IFC, .at_index = -1};
    struct pr_issue is = issue(1, 0);
    struct pr_plan *p = pr_plan_new(&is, true, 4, &d);
    CHECK(pr_plan_before_page(p, 2, &out) == 1);
    CHECK(out.v[0].kind == PR_SLOT_AD && out.v[0].index == 0 && out.v[0].page == 2);
    CHECK(pr_plan_before_page(p, 3, &out) == 0);
    pr_plan_free(p);

    /* start: right on an even page takes an `any` ad before it; with
     * none, a full-page filler; with neither, a blank page */
    reset();
    arts[1].start = PR_START_RIGHT;
    ads[0] = (struct pr_ad){.name = "Any", .at = PR_AT_ANY, .at_index = -1};
    fillers[0] = (struct pr_ad){.name = "Subscribe", .filler = true};
    is = issue(1, 1);
    p = pr_plan_new(&is, true, 4, &d);
    CHECK(pr_plan_before_article(p, 1, 6, &out) == 1);
    CHECK(out.v[0].kind == PR_SLOT_AD && out.v[0].page == 6);
    CHECK(pr_plan_before_article(p, 1, 8, &out) == 1);
    CHECK(out.v[0].kind == PR_SLOT_FILLER && out.v[0].index == 0);
    CHECK(pr_plan_before_article(p, 1, 10, &out) == 1);
    CHECK(out.v[0].kind == PR_SLOT_BLANK);
    CHECK(pr_plan_before_article(p, 1, 11, &out) == 0);
    pr_plan_free(p);

    /* start: spread wants the left (even) page */
    reset();
    arts[0].start = PR_START_SPREAD;
    is = issue(0, 0);
    p = pr_plan_new(&is, true, 4, &d);
    CHECK(pr_plan_before_article(p, 0, 4, &out) == 0);
    CHECK(pr_plan_before_article(p, 0, 5, &out) == 1 && out.v[0].kind == PR_SLOT_BLANK);
    pr_plan_free(p);

    /* a facing ad goes on the left page, the article on the right */
    reset();
    ads[0] = (struct pr_ad){.name = "Facing", .at = PR_AT_FACING, .at_index = 1};
    is = issue(1, 0);
    p = pr_plan_new(&is, true, 4, &d);
    CHECK(pr_plan_before_article(p, 0, 6, &out) == 0);
    CHECK(pr_plan_before_article(p, 1, 6, &out) == 1 && out.v[0].page == 6 && out.v[0].kind == PR_SLOT_AD);
    pr_plan_free(p);
    p = pr_plan_new(&is, true, 4, &d);
    CHECK(pr_plan_before_article(p, 1, 7, &out) == 2);
    CHECK(out.v[0].kind == PR_SLOT_BLANK && out.v[1].kind == PR_SLOT_AD && out.v[1].page == 8);
    pr_plan_free(p);

    /* after ARTICLE; page N, also inside an article */
    reset();
    ads[0] = (struct pr_ad){.name = "After", .at = PR_AT_AFTER, .at_index = 0};
    ads[1] = (struct pr_ad){.name = "Page9", .at = PR_AT_PAGE, .at_page = 9, .at_index = -1};
    is = issue(2, 0);
    p = pr_plan_new(&is, true, 4, &d);
    CHECK(pr_plan_after_article(p, 1, 5, &out) == 0);
    CHECK(pr_plan_after_article(p, 0, 5, &out) == 1 && out.v[0].index == 0 && out.v[0].page == 5);
    CHECK(pr_plan_before_page(p, 8, &out) == 0);
    CHECK(pr_plan_before_page(p, 9, &out) == 1 && out.v[0].index == 1);
    pr_plan_free(p);

    /* a page taken already: placed late, with a warning */
    reset();
    ads[0] = (struct pr_ad){.name = "Page2", .at = PR_AT_PAGE, .at_page = 2, .at_index = -1};
    is = issue(1, 0);
    p = pr_plan_new(&is, true, 4, &d);
    unsigned before = d.n;
    CHECK(pr_plan_before_page(p, 5, &out) == 1 && out.v[0].page == 5);
    CHECK(d.n == before + 1);
    pr_plan_free(p);

    /* the end: `any` ads, padding for binding (fillers first), the inside
     * back cover, the back cover ad */
    reset();
    ads[0] = (struct pr_ad){.name = "IBC", .at = PR_AT_IBC, .at_index = -1};
    ads[1] = (struct pr_ad){.name = "Back", .at = PR_AT_BACK_COVER, .at_index = -1};
    ads[2] = (struct pr_ad){.name = "Any", .at = PR_AT_ANY, .at_index = -1};
    ads[3] = (struct pr_ad){.name = "Half", .size = PR_AD_HALF, .at = PR_AT_ANY, .at_index = -1};
    fillers[0] = (struct pr_ad){.name = "House", .filler = true};
    is = issue(4, 1);
    p = pr_plan_new(&is, true, 4, &d);
    /* pages 1..9 made; then Any (10), filler (11), blank (12)? no:
     * 9 + any + ibc + back = 12, a multiple of 4: no padding */
    CHECK(pr_plan_end(p, 10, &out, &back) == 2);
    CHECK(back == 1);
    CHECK(out.v[0].index == 2 && out.v[0].page == 10);
    CHECK(out.v[1].index == 0 && out.v[1].page == 11);
    CHECK(!pr_plan_take_ad(p, 0, false) && pr_plan_take_ad(p, 3, false));
    pr_plan_free(p);
    p = pr_plan_new(&is, true, 4, &d);
    /* pages 1..7 made: any (8), then 8 + ibc + back = 10: two to pad, the
     * filler first, then a blank page */
    CHECK(pr_plan_end(p, 8, &out, &back) == 4);
    CHECK(out.v[1].kind == PR_SLOT_FILLER && out.v[2].kind == PR_SLOT_BLANK);
    CHECK(out.v[3].index == 0 && out.v[3].page == 11);
    pr_plan_free(p);

    free(out.v);
    pr_diags_free(&d);
    return DONE();
}

/* flatplan.h - the page plan: which whole pages that are not article text
 * (full-page ads, full-page fillers, blank pages) go where in the page
 * sequence, decided page by page as the typesetter makes the book (the
 * articles' lengths are known one batch at a time). Pure bookkeeping over
 * the issue model: no Pango, no Cairo. Called by the page run loop. */
#ifndef PR_FLATPLAN_H
#define PR_FLATPLAN_H
#include <stdbool.h>
#include "model.h"

enum pr_slot_kind {
    PR_SLOT_AD,      /* issue->ads[index] on a page of its own */
    PR_SLOT_FILLER,  /* issue->fillers[index] on a page of its own */
    PR_SLOT_BLANK,   /* nothing could fill it (the caller warns) */
};

struct pr_slot {
    enum pr_slot_kind kind;
    int index;
    int page;        /* the physical page it takes (1-based) */
    const char *why; /* BLANK: what needed the page ("Letters starts on a right-hand page") */
};

/* A plan's answers: the pages to make, in order, before the caller's next
 * page. Grown with pr_xrealloc; reset by each call that fills it. */
struct pr_slots {
    struct pr_slot *v;
    int n, cap;
};

struct pr_plan;

/* A plan for `is`. `cover`: the layout shows a cover and a back cover;
 * `mult`: the binding's page multiple (4 saddle, 2 perfect, 1 none). Ads
 * placed with `page N` that name an impossible page, or two ads asking for
 * one page, are reported into `d` when the plan meets them. */
struct pr_plan *pr_plan_new(const struct pr_issue *is, bool cover, int mult, struct pr_diags *d);
void pr_plan_free(struct pr_plan *p);

/* Pages to put in before physical page `next` is made (ads at `page N`,
 * the inside front cover at page 2). Fills *out; returns out->n. */
int pr_plan_before_page(struct pr_plan *p, int next, struct pr_slots *out);

/* Pages to put in before article `a` (index into issue->articles; -1 for
 * the editorial), whose first page would otherwise be `next`: `page N`
 * ads, ads facing it, and a page to fill when its `start:` wants the
 * other side (an `any` ad, a full-page filler, else a blank page). */
int pr_plan_before_article(struct pr_plan *p, int a, int next, struct pr_slots *out);

/* Pages to put in after article `a`, whose last page was next - 1. */
int pr_plan_after_article(struct pr_plan *p, int a, int next, struct pr_slots *out);

/* The end of the book, from page `next`: the `any` ads not yet placed,
 * ads whose page was past the end, the pages binding needs (full-page
 * fillers before blank ones) and the inside back cover; the back cover
 * itself is not included: *back_ad is the ad that takes it, or -1 for
 * the layout's own back cover. */
int pr_plan_end(struct pr_plan *p, int next, struct pr_slots *out, int *back_ad);

/* Is filler / ad k still unused (the fitter may take it)? Marks it used
 * when `take` is set. Fractional sizes included. */
bool pr_plan_take_filler(struct pr_plan *p, int k, bool take);
bool pr_plan_take_ad(struct pr_plan *p, int k, bool take);

/* How full a page is: the share of its type area that holds content,
 * 0..1, measured column by column from the top of the type area to the
 * deepest content in that column (a box across several columns counts
 * in each). Running heads, folios and what lies outside the type area do
 * not count. A page of an ad counts 1. */
struct pr_page;
double pr_page_fill(const struct pr_layout *L, const struct pr_page *pg);
#endif

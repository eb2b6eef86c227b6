/* flatplan.c - the page plan (flatplan.h): where full-page ads, full-page
 * fillers and the blank pages nothing could fill go in the page sequence.
 * The page run loop asks before each page, before and after each article,
 * and at the end; the plan answers from the issue model and the pages made
 * so far. Fractional ads and fillers are the fitter's (pages.c): the plan
 * only records which are used. */
#include "flatplan.h"
#include "arena.h"
#include <stdlib.h>
#include <string.h>

struct pr_plan {
    const struct pr_issue *is;
    bool cover;
    int mult;
    struct pr_diags *d;
    bool *ad_used, *filler_used;
    int made;         /* pages the caller has made or been told to make */
};

struct pr_plan *pr_plan_new(const struct pr_issue *is, bool cover, int mult, struct pr_diags *d)
{
    struct pr_plan *p = pr_xmalloc(sizeof *p);
    memset(p, 0, sizeof *p);
    p->is = is;
    p->cover = cover;
    p->mult = mult > 0 ? mult : 1;
    p->d = d;
    p->ad_used = pr_xmalloc((size_t)(is->nads + 1) * sizeof *p->ad_used);
    p->filler_used = pr_xmalloc((size_t)(is->nfillers + 1) * sizeof *p->filler_used);
    memset(p->ad_used, 0, (size_t)(is->nads + 1) * sizeof *p->ad_used);
    memset(p->filler_used, 0, (size_t)(is->nfillers + 1) * sizeof *p->filler_used);
    return p;
}

void pr_plan_free(struct pr_plan *p)
{
    if (!p)
        return;
    free(p->ad_used);
    free(p->filler_used);
    free(p);
}

bool pr_plan_take_filler(struct pr_plan *p, int k, bool take)
{
    if (k < 0 || k >= p->is->nfillers || p->filler_used[k])
        return false;
    if (take)
        p->filler_used[k] = true;
    return true;
}

bool pr_plan_take_ad(struct pr_plan *p, int k, bool take)
{
    if (k < 0 || k >= p->is->nads || p->ad_used[k])
        return false;
    if (take)
        p->ad_used[k] = true;
    return true;
}

static void push(struct pr_slots *out, enum pr_slot_kind kind, int index, int page, const char *why)
{
    if (out->n == out->cap) {
        out->cap = out->cap ? out->cap * 2 : 8;
        out->v = pr_xrealloc(out->v, (size_t)out->cap * sizeof *out->v);
    }
    struct pr_slot *s = &out->v[out->n++];
    s->kind = kind;
    s->index = index;
    s->page = page;
    s->why = why;
}

static bool full(const struct pr_ad *ad)
{
    return ad->size == PR_AD_FULL;
}

/* The next unused full-page ad placed `at` (and, for AFTER / FACING, at
 * article a), or -1. */
static int find_ad(const struct pr_plan *p, enum pr_ad_at at, int a)
{
    for (int k = 0; k < p->is->nads; k++) {
        const struct pr_ad *ad = &p->is->ads[k];
        if (p->ad_used[k] || !full(ad) || ad->at != at)
            continue;
        if ((at == PR_AT_AFTER || at == PR_AT_FACING) && ad->at_index != a)
            continue;
        return k;
    }
    return -1;
}

static int find_filler(const struct pr_plan *p)
{
    for (int k = 0; k < p->is->nfillers; k++)
        if (!p->filler_used[k] && full(&p->is->fillers[k]))
            return k;
    return -1;
}

/* One page of the plan's own at page `page`: an ad, and the one the
 * caller will make. */
static void place_ad(struct pr_plan *p, struct pr_slots *out, int k, int page)
{
    p->ad_used[k] = true;
    push(out, PR_SLOT_AD, k, page, NULL);
}

/* Ads at `page N` for the pages from `next` on, as long as each asks for
 * the next page; returns the page after them. */
static int page_ads(struct pr_plan *p, int next, struct pr_slots *out)
{
    for (;;) {
        int k = -1;
        if (next == 2 && p->cover)
            k = find_ad(p, PR_AT_IFC, -1);
        for (int j = 0; k < 0 && j < p->is->nads; j++) {
            const struct pr_ad *ad = &p->is->ads[j];
            if (!p->ad_used[j] && full(ad) && ad->at == PR_AT_PAGE && ad->at_page == next)
                k = j;
        }
        if (k < 0)
            return next;
        place_ad(p, out, k, next++);
    }
}

/* Ads at `page N` whose page went by without them (taken by another ad,
 * the cover or the contents): placed at the next page that is free,
 * with a warning. */
static int late_page_ads(struct pr_plan *p, int next, struct pr_slots *out)
{
    for (int k = 0; k < p->is->nads; k++) {
        const struct pr_ad *ad = &p->is->ads[k];
        if (p->ad_used[k] || !full(ad) || ad->at != PR_AT_PAGE || ad->at_page >= next)
            continue;
        pr_diag(p->d, PR_D_FLATPLAN, ad->pos,
                "the ad '%s' asks for page %d, which is taken; it goes on page %d instead: "
                "choose a page the cover, the contents and other ads leave free",
                ad->name ? ad->name : ad->file, ad->at_page, next);
        place_ad(p, out, k, next++);
    }
    return next;
}

int pr_plan_before_page(struct pr_plan *p, int next, struct pr_slots *out)
{
    out->n = 0;
    next = late_page_ads(p, next, out);
    page_ads(p, next, out);
    return out->n;
}

/* A page to fill so that what follows starts on the other side: an `any`
 * ad, else a full-page filler, else a blank page. */
static void pad_page(struct pr_plan *p, int page, const char *why, struct pr_slots *out)
{
    int k = find_ad(p, PR_AT_ANY, -1);
    if (k >= 0) {
        place_ad(p, out, k, page);
        return;
    }
    k = find_filler(p);
    if (k >= 0) {
        p->filler_used[k] = true;
        push(out, PR_SLOT_FILLER, k, page, NULL);
        return;
    }
    push(out, PR_SLOT_BLANK, -1, page, why);
}

int pr_plan_before_article(struct pr_plan *p, int a, int next, struct pr_slots *out)
{
    out->n = 0;
    const struct pr_article *art = a >= 0 ? &p->is->articles[a] : p->is->editorial;
    next = late_page_ads(p, next, out);
    next = page_ads(p, next, out);
    int facing = a >= 0 ? find_ad(p, PR_AT_FACING, a) : -1;
    /* a facing ad takes the left page of the spread the article opens on
     * the right of; `spread` wants the article itself on the left */
    bool want_right = facing >= 0 || (art && art->start == PR_START_RIGHT);
    bool want_left = facing < 0 && art && art->start == PR_START_SPREAD;
    for (int guard = 0; guard < 4; guard++) {
        int first = next + (facing >= 0 ? 1 : 0);
        bool right = first % 2 == 1;
        if ((!want_right || right) && (!want_left || !right))
            break;
        pad_page(p, next, art && art->title ? art->title : "an article", out);
        next = page_ads(p, next + 1, out);
    }
    if (facing >= 0)
        place_ad(p, out, facing, next++);
    page_ads(p, next, out);
    return out->n;
}

int pr_plan_after_article(struct pr_plan *p, int a, int next, struct pr_slots *out)
{
    out->n = 0;
    for (int k; a >= 0 && (k = find_ad(p, PR_AT_AFTER, a)) >= 0;)
        place_ad(p, out, k, next++);
    return out->n;
}

int pr_plan_end(struct pr_plan *p, int next, struct pr_slots *out, int *back_ad)
{
    out->n = 0;
    next = late_page_ads(p, next, out);
    /* ads that are still waiting: `any`, and pages past the end */
    for (int k = 0; k < p->is->nads; k++) {
        const struct pr_ad *ad = &p->is->ads[k];
        if (p->ad_used[k] || !full(ad))
            continue;
        if (ad->at == PR_AT_ANY) {
            place_ad(p, out, k, next++);
        } else if (ad->at == PR_AT_PAGE) {
            pr_diag(p->d, PR_D_FLATPLAN, ad->pos,
                    "the ad '%s' asks for page %d, past the last page of text; it goes on page %d",
                    ad->name ? ad->name : ad->file, ad->at_page, next);
            place_ad(p, out, k, next++);
        }
    }
    *back_ad = p->cover ? find_ad(p, PR_AT_BACK_COVER, -1) : -1;
    if (*back_ad >= 0)
        p->ad_used[*back_ad] = true;
    int ibc = p->cover ? find_ad(p, PR_AT_IBC, -1) : -1;
    /* pages binding needs: what is made, the inside back cover, the back cover */
    int total = next - 1 + (ibc >= 0) + (p->cover ? 1 : 0);
    int pad = (p->mult - total % p->mult) % p->mult;
    for (int i = 0; i < pad; i++) {
        int k = find_filler(p);
        if (k >= 0) {
            p->filler_used[k] = true;
            push(out, PR_SLOT_FILLER, k, next++, NULL);
        } else
            push(out, PR_SLOT_BLANK, -1, next++, NULL);
    }
    if (ibc >= 0)
        place_ad(p, out, ibc, next++);
    /* ads that found no place: at `inside-*-cover` or `back-cover`
     * without a cover, a second ad for the same place */
    for (int k = 0; k < p->is->nads; k++) {
        const struct pr_ad *ad = &p->is->ads[k];
        if (!p->ad_used[k] && full(ad))
            pr_diag(p->d, PR_D_FLATPLAN, ad->pos,
                    "the ad '%s' has no place in this issue: %s",
                    ad->name ? ad->name : ad->file,
                    p->cover ? "another ad already takes its page; give it 'at: any' or another page"
                             : "the layout has no cover; give it 'at: any' or a page");
    }
    return out->n;
}

/* tags.c - typesetting, the logical structure of the issue for the tagged
 * screen PDF (book.h's struct pr_tag): a story's root element and the
 * elements made in it, in source order. Called by the typesetting files
 * that make boxes (galley.c, table.c, toc.c, furniture.c, pages.c); read
 * by the painter (paint.c) and the PDF post-pass (pdftags.c). */
#include "typeset.h"
#include <string.h>

struct pr_tag *pr_tag_story(struct pr_arena *A, enum pr_tag_type type, int story, const char *title,
                            const char *lang)
{
    struct pr_tag *t = pr_arena_alloc(A, sizeof *t);
    memset(t, 0, sizeof *t);
    t->type = type;
    t->story = story;
    t->title = title;
    t->lang = lang;
    return t;
}

struct pr_tag *pr_tag_new(struct pr_arena *A, const struct pr_tag *parent, enum pr_tag_type type)
{
    if (!parent)
        return NULL; /* untagged: what the fitter adds late */
    struct pr_tag *root = (struct pr_tag *)parent;
    while (root->parent)
        root = (struct pr_tag *)root->parent;
    struct pr_tag *t = pr_arena_alloc(A, sizeof *t);
    memset(t, 0, sizeof *t);
    t->type = type;
    t->story = root->story;
    t->seq = ++root->nseq;
    t->parent = parent;
    return t;
}

struct pr_tag *pr_tag_heading(struct pr_arena *A, const struct pr_tag *parent, int level, int *last)
{
    if (!parent)
        return NULL;
    int h = level + 1;
    if (h > *last + 1)
        h = *last + 1;
    if (h > 6)
        h = 6;
    if (h < 2)
        h = 2;
    *last = h;
    return pr_tag_new(A, parent, (enum pr_tag_type)(PR_TAG_H1 + h - 1));
}

struct pr_tag *pr_tag_ad_story(struct pr_arena *A, const struct pr_issue *is, const struct pr_ad *ad)
{
    bool filler = is->nfillers > 0 && ad >= is->fillers && ad < is->fillers + is->nfillers;
    int story = filler ? PR_STORY_FILLER((int)(ad - is->fillers)) : PR_STORY_AD((int)(ad - is->ads));
    bool item = ad->kind == PR_ASSET_MARKDOWN && ad->item;
    return pr_tag_story(A, item ? PR_TAG_ART : PR_TAG_SECT, story,
                        item && ad->item->title ? ad->item->title : ad->name,
                        item ? ad->item->language : NULL);
}

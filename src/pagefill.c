/* pagefill.c - how full a page is (flatplan.h): the measure the fitter
 * aims at and --stats reports as page_fill. Reads the page model (book.h)
 * and the layout's type area; called by the page run loop and stats.c. */
#include "book.h"
#include "flatplan.h"
#include <math.h>

/* Does a box count as content? Furniture (running heads, folios), the
 * cover's own boxes, print slugs and offprint citations do not. */
static bool content(const struct pr_box *b)
{
    switch (b->role) {
    case PR_ROLE_RUNNING_HEAD:
    case PR_ROLE_FOLIO:
    case PR_ROLE_SLUG:
    case PR_ROLE_CITATION:
    case PR_ROLE_COVER:
    case PR_ROLE_MASTHEAD:
        return false;
    default:
        return true;
    }
}

double pr_page_fill(const struct pr_layout *L, const struct pr_page *pg)
{
    if (pg->article == PR_PAGE_AD || pg->article == PR_PAGE_FILLER ||
        (pg->article == PR_PAGE_BACK && pg->ad >= 0))
        return 1;
    int cols = L->columns > 0 ? L->columns : 1;
    if (cols > 64)
        cols = 64;
    double left = pg->number % 2 ? L->margin_inner : L->margin_outer;
    double tw = L->page_w - L->margin_inner - L->margin_outer;
    double cw = (tw - (cols - 1) * L->gutter) / cols;
    double top = L->margin_top, bottom = L->page_h - L->margin_bottom;
    if (bottom <= top || cw <= 0)
        return 0;
    double deep[64];
    for (int c = 0; c < cols; c++)
        deep[c] = top;
    for (int i = 0; i < pg->nboxes; i++) {
        const struct pr_box *b = &pg->boxes[i];
        if (!content(b))
            continue;
        /* a line's box is its baseline and leading: its ink ends about a
         * quarter of the leading below the baseline */
        double y1 = b->kind == PR_BOX_LINE ? b->y + b->h * 0.25 : b->y + b->h;
        double x0 = b->x, x1 = b->x + (b->w > 0 ? b->w : 0);
        if (y1 <= top || b->y >= bottom + 1)
            continue;
        for (int c = 0; c < cols; c++) {
            double c0 = left + c * (cw + L->gutter), c1 = c0 + cw;
            if (x1 > c0 + 0.5 && x0 < c1 - 0.5 && y1 > deep[c])
                deep[c] = fmin(y1, bottom);
        }
    }
    double sum = 0;
    for (int c = 0; c < cols; c++)
        sum += (deep[c] - top) / (bottom - top);
    return sum / cols;
}

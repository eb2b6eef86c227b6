/* out_layout.c - the page model as text (--dump=layout): every page with
 * its folio and article, every box with its role and geometry to 0.01 pt
 * and each line's text (with where its struck text and fill-in fields run).
 * Golden tests compare it; build.c calls it. */
#include "backends.h"
#include "text.h"

static const char *const roles[] = {
    [PR_ROLE_BODY] = "body", [PR_ROLE_HEADING] = "heading", [PR_ROLE_TITLE] = "title",
    [PR_ROLE_DECK] = "deck", [PR_ROLE_BYLINE] = "byline", [PR_ROLE_LABEL] = "label",
    [PR_ROLE_CAPTION] = "caption", [PR_ROLE_PULLQUOTE] = "pullquote", [PR_ROLE_QUOTE] = "quote",
    [PR_ROLE_LIST] = "list", [PR_ROLE_CODE] = "code", [PR_ROLE_FOOTNOTE] = "footnote",
    [PR_ROLE_NOTE] = "note", [PR_ROLE_DROPCAP] = "dropcap", [PR_ROLE_MARKER] = "marker",
    [PR_ROLE_RUNNING_HEAD] = "running-head", [PR_ROLE_FOLIO] = "folio",
    [PR_ROLE_MASTHEAD] = "masthead", [PR_ROLE_COVER] = "cover", [PR_ROLE_TOC] = "toc",
    [PR_ROLE_FIGURE] = "figure", [PR_ROLE_DECOR] = "decor", [PR_ROLE_SLUG] = "slug",
    [PR_ROLE_CITATION] = "citation", [PR_ROLE_AD] = "ad", [PR_ROLE_BOX] = "box", [PR_ROLE_STAFF] = "staff", [PR_ROLE_VERSE] = "verse", [PR_ROLE_CREDIT] = "credit",
    [PR_ROLE_TABLE] = "table",
};

static const char *const kinds[] = {"line", "image", "rule", "rect", "ad"};

/* " strike=x0-x1" and " field=x0-x1" (page coordinates) for each struck
 * stretch and fill-in field on a LINE box. */
static void span_ranges(FILE *f, const struct pr_box *x)
{
    const struct pr_text *t = x->text;
    if (x->line < 0 || x->line >= t->nlines)
        return;
    const struct pr_tline *tl = &t->lines[x->line];
    if (tl->nruns == 0 || !tl->runs[0].gi)
        return;
    for (int i = 0; i < t->nspans; i++) {
        const struct pr_span *sp = &t->spans[i];
        if (sp->kind != PR_SPAN_STRIKE && sp->kind != PR_SPAN_FIELD)
            continue;
        double r[16];
        int n = pr_text_span_x_ranges(t, x->line, sp, r, 8);
        for (int k = 0; k < n; k++)
            fprintf(f, " %s=%.2f-%.2f", sp->kind == PR_SPAN_STRIKE ? "strike" : "field",
                    x->x + tl->x + r[2 * k], x->x + tl->x + r[2 * k + 1]);
    }
}

static void dump_box(FILE *f, const struct pr_box *x)
{
    fprintf(f, "  %s %s %.2f %.2f %.2f %.2f", kinds[x->kind], roles[x->role], x->x, x->y, x->w, x->h);
    if (x->dest)
        fprintf(f, " dest=%s", x->dest);
    if (x->link_dest)
        fprintf(f, " link=%s", x->link_dest);
    if (x->kind == PR_BOX_IMAGE && x->image)
        fprintf(f, " image=%s", x->image);
    if (x->kind == PR_BOX_AD)
        fprintf(f, " ad=%s file=%s%s", x->alt ? x->alt : "-", x->image ? x->image : "-",
                x->ad_pdf ? " pdf" : "");
    if (x->kind == PR_BOX_LINE && x->text)
        span_ranges(f, x);
    if (x->kind == PR_BOX_LINE && x->preview)
        fprintf(f, " | %s", x->preview);
    fputc('\n', f);
}

void pr_dump_layout(struct pr_build *b, const struct pr_book *bk, FILE *f)
{
    const struct pr_issue *is = b->issue;
    const struct pr_layout *L = &is->layout;
    fprintf(f, "book %.2f x %.2f pages=%d toc-passes=%d padding=%d\n", bk->page_w, bk->page_h, bk->npages,
            bk->toc_passes, bk->padding);
    fprintf(f, "layout %s margins=%.2f,%.2f,%.2f,%.2f columns=%d gutter=%.2f baseline=%.2f\n",
            L->name ? L->name : "-", L->margin_top, L->margin_bottom, L->margin_inner, L->margin_outer,
            L->columns, L->gutter, L->baseline);
    for (int i = 0; i < bk->npages; i++) {
        const struct pr_page *pg = &bk->pages[i];
        const char *art = pg->article >= 0                 ? is->articles[pg->article].id
                          : pg->article == PR_PAGE_EDITORIAL ? "editorial"
                          : pg->article == PR_PAGE_BACK      ? "back-cover"
                          : pg->article == PR_PAGE_AD        ? "ad"
                          : pg->article == PR_PAGE_FILLER    ? "filler"
                          : pg->article == PR_PAGE_BLANK     ? "blank"
                                                             : "-";
        fprintf(f, "page %d folio=%s article=%s%s\n", pg->number, pg->folio ? pg->folio : "-", art,
                pg->padding ? " padding" : "");
        for (int k = 0; k < pg->nboxes; k++)
            dump_box(f, &pg->boxes[k]);
        if (bk->slugs && bk->slugs[i].text)
            dump_box(f, &bk->slugs[i]);
    }
}

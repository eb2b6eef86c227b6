/* out_pdf.c - the screen PDF back end: pages at trim size, no marks, no
 * padding pages; metadata (title, author, subject, dates from
 * SOURCE_DATE_EPOCH or the manifest), page labels equal to the printed
 * folios, one outline entry per article grouped by section, internal and
 * external links (added by the qpdf post-pass). Called by build.c. */
#include "backends.h"
#include <cairo-pdf.h>
#include <glib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void pr_pdf_date(const struct pr_build *b, char *out, size_t n)
{
    if (b->source_date >= 0) {
        time_t t = (time_t)b->source_date;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
    } else if (b->issue && b->issue->date && strlen(b->issue->date) == 10)
        snprintf(out, n, "%sT00:00:00Z", b->issue->date);
    else
        snprintf(out, n, "2000-01-01T00:00:00Z");
}

static cairo_status_t collect(void *closure, const unsigned char *data, unsigned int len)
{
    g_byte_array_append(closure, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* Begin a PDF written by cairo into memory, with the issue's metadata;
 * the temporary output file is opened too. */
bool pr_pdf_doc_begin(struct pr_build *b, struct pr_pdf_doc *d, const char *path, double w, double h)
{
    memset(d, 0, sizeof *d);
    if (!pr_outfile_begin(b, &d->of, path))
        return false;
    const struct pr_issue *is = b->issue;
    d->path = path;
    d->buf = g_byte_array_new();
    d->surface = cairo_pdf_surface_create_for_stream(collect, d->buf, w, h);
    cairo_pdf_surface_restrict_to_version(d->surface, CAIRO_PDF_VERSION_1_5);
    d->title = g_strdup_printf("%s \xE2\x80\x94 %s", is->title ? is->title : "", is->issue ? is->issue : "");
    d->author = is->publisher ? is->publisher : is->title;
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, d->title);
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_AUTHOR, d->author);
    char *subject = g_strdup_printf("%s, %s", is->issue ? is->issue : "", is->date ? is->date : "");
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_SUBJECT, subject);
    g_free(subject);
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "pressrun " PR_VERSION);
    pr_pdf_date(b, d->date, sizeof d->date);
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATE_DATE, d->date);
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_MOD_DATE, d->date);
    return true;
}

/* Finish cairo's PDF, run the qpdf post-pass (post's title, author and
 * date are filled in here) into the temporary file and rename it. */
bool pr_pdf_doc_end(struct pr_build *b, struct pr_pdf_doc *d, struct pr_pdf_post *post)
{
    cairo_surface_finish(d->surface);
    cairo_status_t st = cairo_surface_status(d->surface);
    cairo_surface_destroy(d->surface);
    bool ok = st == CAIRO_STATUS_SUCCESS;
    if (!ok)
        pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot write '%s': %s", d->path,
                cairo_status_to_string(st));
    else {
        post->title = d->title;
        post->author = d->author;
        post->date = d->date;
        GByteArray *buf = d->buf;
        ok = pr_pdfboxes_run(b, buf->data, buf->len, d->of.tmp, post);
    }
    g_free(d->title);
    g_byte_array_free(d->buf, TRUE);
    return pr_outfile_end(b, &d->of, ok);
}

/* Which pages a screen-style PDF holds: all but padding, or one article's. */
static bool wanted(const struct pr_page *pg, int article)
{
    return !pg->padding && (article == INT_MIN || pg->article == article);
}

static bool write_pages(struct pr_build *b, const struct pr_book *bk, const char *path, int article)
{
    struct pr_pdf_doc d;
    if (!pr_pdf_doc_begin(b, &d, path, bk->page_w, bk->page_h))
        return false;
    cairo_surface_t *s = d.surface;
    cairo_t *cr = cairo_create(s);
    struct pr_painter *p = pr_painter_new(false);
    pr_painter_citation(p, article != INT_MIN);
    struct pr_pdf_marks marks;
    memset(&marks, 0, sizeof marks);
    const char **labels = pr_xmalloc((size_t)(bk->npages + 1) * sizeof *labels);
    int n = 0;
    for (int i = 0; i < bk->npages; i++) {
        const struct pr_page *pg = &bk->pages[i];
        if (!wanted(pg, article))
            continue;
        labels[n] = pg->folio ? pg->folio : pr_arena_printf(b->arena, "%d", n + 1);
        pr_painter_collect(p, &marks, n++);
        pr_paint_page(p, cr, bk, pg, true);
        cairo_show_page(cr);
        if (b->progress)
            b->progress(b, "writing the PDF, page", i + 1, bk->npages);
    }
    /* the outline: sections hold their articles */
    int parent = CAIRO_PDF_OUTLINE_ROOT;
    for (int i = 0; i < bk->noutline; i++) {
        const struct pr_outline *o = &bk->outline[i];
        /* an offprint's outline holds its own article only */
        if (article != INT_MIN && (o->level == 1 || !wanted(&bk->pages[o->page - 1], article)))
            continue;
        char *attr = g_strdup_printf("dest='%s'", o->dest);
        int id = cairo_pdf_surface_add_outline(s, o->level < 2 ? CAIRO_PDF_OUTLINE_ROOT : parent,
                                               o->title, attr, CAIRO_PDF_OUTLINE_FLAG_OPEN);
        g_free(attr);
        if (o->level == 1)
            parent = id;
    }
    cairo_destroy(cr);
    pr_painter_free(p);
    struct pr_pdf_post post = {labels, n, bk->page_h, &marks, NULL, NULL, NULL, NULL};
    bool ok = pr_pdf_doc_end(b, &d, &post);
    free(labels);
    pr_pdf_marks_free(&marks);
    return ok;
}

bool pr_pdf_write(struct pr_build *b, const struct pr_book *bk, const char *path)
{
    return write_pages(b, bk, path, INT_MIN);
}

bool pr_articles_write(struct pr_build *b, const struct pr_book *bk, const char *dir)
{
    const struct pr_issue *is = b->issue;
    for (int a = is->editorial ? -2 : 0; a < is->narticles; a++) {
        if (a == -1)
            continue;
        const char *id = a == -2 ? "editorial" : is->articles[a].id;
        const char *path = pr_arena_printf(b->arena, "%s/%s-%s.pdf", dir, is->slug, id);
        if (!write_pages(b, bk, path, a))
            return false;
    }
    return true;
}

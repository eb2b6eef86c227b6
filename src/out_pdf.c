/* out_pdf.c - the PDF writer: the screen PDF (pages at trim size, no marks,
 * no padding pages; page labels equal to the printed folios, one outline
 * entry per article grouped by section, internal and external links) and
 * the print PDF (every page on its sheet, through out_print.c), painted page
 * by page as typesetting hands pages over, in whatever order they come;
 * then the qpdf post-pass (pdfboxes.c) puts them in order and adds what
 * cairo cannot write. Metadata (title, author, subject, dates from
 * SOURCE_DATE_EPOCH or the manifest) for both; supplied ads (pdfad.h) placed
 * by the post-pass. Offprints too. Called by build.c. */
#include "backends.h"
#include "pdfad.h"
#include "pdftext.h"
#include <cairo-pdf.h>
#include <malloc.h>
#include <glib.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A PDF cairo writes into a temporary file with the issue's metadata
 * (title, author, subject, creator, dates); the qpdf post-pass then writes
 * it to the output's temporary file, renamed over `path`. */
struct pr_pdf_doc {
    struct pr_outfile of;
    const char *path;
    struct pr_outfile raw;      /* cairo's PDF, before the post-pass */
    cairo_surface_t *surface;
    char *title;
    const char *author;
    char date[40];
};

/* The PDF metadata date: SOURCE_DATE_EPOCH, else the issue's date, never
 * the clock. */
static void pdf_date(const struct pr_build *b, char *out, size_t n)
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

/* Begin a PDF written by cairo, with the issue's metadata, into a
 * temporary file of its own beside the output (not into memory: a big
 * issue's PDF would be the largest thing the build holds); the output's
 * temporary file is made too. */
static bool pdf_doc_begin(struct pr_build *b, struct pr_pdf_doc *d, const char *path, double w, double h,
                          const struct pr_article *art)
{
    memset(d, 0, sizeof *d);
    if (!pr_outfile_begin(b, &d->of, path))
        return false;
    const struct pr_issue *is = b->issue;
    d->path = path;
    char *raw = g_strdup_printf("%s.cairo", path);
    bool made = pr_outfile_begin(b, &d->raw, raw);
    g_free(raw);
    if (!made) {
        pr_outfile_end(b, &d->of, false);
        return false;
    }
    d->surface = cairo_pdf_surface_create(d->raw.tmp, w, h);
    cairo_pdf_surface_restrict_to_version(d->surface, CAIRO_PDF_VERSION_1_5);
    /* an offprint is the article's: its title and authors */
    if (art)
        d->title = g_strdup_printf("%s \xE2\x80\x94 %s, %s", art->title ? art->title : "", is->title ? is->title : "",
                                   is->issue ? is->issue : "");
    else
        d->title = g_strdup_printf("%s \xE2\x80\x94 %s", is->title ? is->title : "", is->issue ? is->issue : "");
    d->author = is->publisher ? is->publisher : is->title;
    if (art && art->nauthors > 0) {
        GString *a = g_string_new(art->authors[0]);
        for (int i = 1; i < art->nauthors; i++)
            g_string_append_printf(a, ", %s", art->authors[i]);
        d->author = pr_arena_strdup(b->arena, a->str);
        g_string_free(a, TRUE);
    }
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, d->title);
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_AUTHOR, d->author);
    char *subject = g_strdup_printf("%s, %s", is->issue ? is->issue : "", is->date ? is->date : "");
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_SUBJECT, subject);
    g_free(subject);
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "pressrun " PR_VERSION);
    pdf_date(b, d->date, sizeof d->date);
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATE_DATE, d->date);
    cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_MOD_DATE, d->date);
    return true;
}

/* Give up a PDF begun with pdf_doc_begin: nothing is written. */
static void pdf_doc_abandon(struct pr_build *b, struct pr_pdf_doc *d)
{
    cairo_surface_finish(d->surface);
    cairo_surface_destroy(d->surface);
    g_free(d->title);
    pr_outfile_end(b, &d->raw, false);
    pr_outfile_end(b, &d->of, false);
}

/* Finish cairo's PDF, run the qpdf post-pass (post's title, author and
 * date are filled in here) into the temporary file and rename it. */
static bool pdf_doc_end(struct pr_build *b, struct pr_pdf_doc *d, struct pr_pdf_post *post)
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
        /* the post-pass is the build's peak: give the memory the
         * typesetting threads freed (glibc's malloc arenas keep it) back
         * first (N=256 screen PDF: peak 92.8 -> 86.6 MB); a no-op where
         * the program runs on jemalloc (CMakeLists.txt), which returns
         * freed memory itself */
        static GMutex trim_lock; /* (the print PDF's post-pass runs beside this one) */
        g_mutex_lock(&trim_lock);
        malloc_trim(0);
        g_mutex_unlock(&trim_lock);
        ok = pr_pdfboxes_run(b, d->raw.tmp, d->of.tmp, post);
    }
    g_free(d->title);
    pr_outfile_end(b, &d->raw, false); /* cairo's file goes */
    return pr_outfile_end(b, &d->of, ok);
}

/* ---------- a PDF painted page by page ---------- */

struct pr_pdf_writer {
    struct pr_build *b;
    struct pr_pdf_doc d;
    cairo_t *cr;
    struct pr_painter *painter;
    struct pr_pdftext *text;     /* the pages' text, written by pressrun (pdftext.h) */
    bool ok;
    bool print;
    struct pr_print_geom g;      /* print */
    int article;                 /* offprint: this article's pages only; INT_MIN: the whole issue */
    struct pr_pdf_marks marks;   /* screen: links and destinations */
    struct pr_ad_place *ads;     /* the PDF ads painted: page is the position in this PDF */
    int nads;
    const char **labels;         /* by position in the PDF */
    int *order;                  /* order[i]: position in the PDF of the i-th page painted */
    unsigned char *layer;        /* tagged: layer[i], what the i-th page painted holds (enum pr_layer) */
    int npainted, nlabels, cap, order_cap;
    int pages;                   /* pages of the book painted */
};

/* Which pages a screen-style PDF holds: all but padding, or one article's. */
static bool wanted(const struct pr_page *pg, int article)
{
    return !pg->padding &&
           (article == INT_MIN || pg->article == article || (pg->article >= 0 && pg->article < article && article <= pg->runs_to));
}

static struct pr_pdf_writer *open_writer(struct pr_build *b, const struct pr_book *bk, const char *path,
                                         bool print, int article)
{
    struct pr_pdf_writer *w = pr_xmalloc(sizeof *w);
    memset(w, 0, sizeof *w);
    w->b = b;
    w->print = print;
    w->article = article;
    double pw = bk->page_w, ph = bk->page_h;
    if (print) {
        pr_print_geometry(b, bk, &w->g);
        pw = w->g.trim_w + 2 * w->g.margin;
        ph = w->g.trim_h + 2 * w->g.margin;
    }
    const struct pr_issue *is = b->issue;
    const struct pr_article *art = article >= 0 && article < is->narticles ? &is->articles[article]
                                   : article == -2 ? is->editorial : NULL;
    if (!pdf_doc_begin(b, &w->d, path, pw, ph, art)) {
        free(w);
        return NULL;
    }
    w->ok = true;
    w->marks.tagged = !print; /* the screen PDF and the offprints are tagged (PDF/UA) */
    w->marks.one_story = article != INT_MIN;
    w->marks.story = article == -2 ? PR_STORY_EDITORIAL : article;
    w->cr = cairo_create(w->d.surface);
    w->painter = pr_painter_new(false);
    /* the text written by pressrun, unless asked for cairo's (man page) */
    w->text = getenv("PRESSRUN_CAIRO_TEXT") ? NULL : pr_pdftext_new(ph, b->opt.reuse);
    pr_painter_text(w->painter, w->text);
    if (print)
        pr_painter_print(w->painter, w->g.bleed, w->g.marks);
    pr_painter_citation(w->painter, article != INT_MIN);
    return w;
}

struct pr_pdf_writer *pr_pdf_open(struct pr_build *b, const struct pr_book *bk, const char *path)
{
    return open_writer(b, bk, path, false, INT_MIN);
}

struct pr_pdf_writer *pr_print_open(struct pr_build *b, const struct pr_book *bk, const char *path)
{
    return open_writer(b, bk, path, true, INT_MIN);
}

/* Where book page p goes in this PDF: the print PDF has every page, the
 * screen PDF all but the padding (which comes just before the back cover). */
static int position(const struct pr_pdf_writer *w, const struct pr_book *bk, int p)
{
    if (w->print)
        return p;
    int pos = 0;
    for (int i = 0; i < p; i++)
        pos += wanted(&bk->pages[i], w->article);
    return pos;
}

/* The supplied PDF ads on a page (PR_BOX_AD boxes), for the post-pass to
 * place untouched: at position pos in this PDF (in a tagged PDF, as
 * marked content numbered after the page's own). */
static void collect_ads(struct pr_pdf_writer *w, const struct pr_page *pg, int pos)
{
    for (int i = 0; i < pg->nboxes; i++) {
        const struct pr_box *b = &pg->boxes[i];
        if (b->kind != PR_BOX_AD || !b->ad_pdf || !b->image)
            continue;
        int mcid = w->print ? -1 : pr_painter_late_mcid(w->painter, b);
        w->ads = pr_xrealloc(w->ads, (size_t)(w->nads + 1) * sizeof *w->ads);
        w->ads[w->nads++] = (struct pr_ad_place){pos,    b->image, b->ad_page, b->x, b->y, b->w, b->h,
                                                 b->bleed, w->marks.tagged, mcid};
    }
}

/* Note the i-th page cairo painted: it goes to position pos, as `layer`. */
static void painted(struct pr_pdf_writer *w, int pos, enum pr_layer layer)
{
    if (w->npainted == w->order_cap) {
        w->order_cap = w->order_cap ? w->order_cap * 2 : 64;
        w->order = pr_xrealloc(w->order, (size_t)w->order_cap * sizeof *w->order);
        w->layer = pr_xrealloc(w->layer, (size_t)w->order_cap * sizeof *w->layer);
    }
    w->layer[w->npainted] = (unsigned char)layer;
    w->order[w->npainted++] = pos;
}

void pr_pdf_paint(struct pr_pdf_writer *w, const struct pr_book *bk, const int *pages, int n)
{
    if (!w)
        return;
    for (int k = 0; k < n; k++) {
        const struct pr_page *pg = &bk->pages[pages[k]];
        if (!w->print && !wanted(pg, w->article))
            continue;
        int pos = position(w, bk, pages[k]);
        if (pos >= w->cap) {
            int c = w->cap ? w->cap * 2 : 64;
            while (c <= pos)
                c *= 2;
            w->labels = pr_xrealloc(w->labels, (size_t)c * sizeof *w->labels);
            for (int i = w->cap; i < c; i++)
                w->labels[i] = NULL;
            w->cap = c;
        }
        w->labels[pos] = pg->folio ? pg->folio : pr_arena_printf(w->b->arena, "%d", pos + 1);
        if (pos + 1 > w->nlabels)
            w->nlabels = pos + 1;
        if (w->print) {
            pr_print_page(w->painter, w->cr, bk, pg, &w->g);
        } else {
            /* tagged: the artifacts under and over the content first, on
             * pages of their own, then the content */
            pr_painter_collect(w->painter, &w->marks, pos);
            unsigned layers = w->marks.tagged ? pr_painter_layers(w->painter, pg) : 0;
            for (enum pr_layer l = PR_LAYER_UNDER; l <= PR_LAYER_OVER; l++)
                if (layers & (1u << l)) {
                    pr_paint_layer(w->painter, w->cr, bk, pg, l);
                    cairo_show_page(w->cr);
                    pr_pdftext_show_page(w->text);
                    painted(w, pos, l);
                }
            if (w->marks.tagged)
                pr_paint_layer(w->painter, w->cr, bk, pg, PR_LAYER_CONTENT);
            else
                pr_paint_page(w->painter, w->cr, bk, pg, true);
        }
        collect_ads(w, pg, pos);
        cairo_show_page(w->cr);
        pr_pdftext_show_page(w->text);
        painted(w, pos, PR_LAYER_CONTENT);
        w->pages++;
        if (w->b->progress)
            w->b->progress(w->b, w->print ? "writing the print PDF, page" : "writing the PDF, page", w->pages,
                           bk->npages);
    }
}

bool pr_pdf_close(struct pr_pdf_writer *w, const struct pr_book *bk)
{
    if (!w)
        return false;
    struct pr_build *b = w->b;
    /* every position filled, in case a page never came */
    for (int i = 0; i < w->nlabels; i++)
        if (!w->labels[i]) {
            w->ok = false;
            pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot write '%s': page %d was never painted",
                    w->d.path, i + 1);
        }
    /* print: the slug lines, painted last on pages of their own that the
     * post-pass lays over the pages they belong to */
    int *slug_target = NULL, nslugs = 0;
    if (w->print && w->g.marks && bk->slugs) {
        slug_target = pr_xmalloc((size_t)(bk->npages ? bk->npages : 1) * sizeof *slug_target);
        for (int i = 0; i < bk->npages; i++) {
            const struct pr_box *sb = &bk->slugs[i];
            if (!sb->text)
                continue;
            struct pr_page one = bk->pages[i];
            one.boxes = (struct pr_box *)sb;
            one.nboxes = one.cap = 1;
            pr_print_page(w->painter, w->cr, bk, &one, &w->g);
            cairo_show_page(w->cr);
            pr_pdftext_show_page(w->text);
            slug_target[nslugs++] = i;
        }
    }
    pr_pdftext_pages_done(w->text);
    if (!w->print) {
        /* the outline: sections hold their articles */
        int parent = CAIRO_PDF_OUTLINE_ROOT;
        for (int i = 0; i < bk->noutline; i++) {
            const struct pr_outline *o = &bk->outline[i];
            /* an offprint's outline holds its own article only */
            if (w->article != INT_MIN && (o->level == 1 || !wanted(&bk->pages[o->page - 1], w->article)))
                continue;
            char *attr = g_strdup_printf("dest='%s'", o->dest);
            int id = cairo_pdf_surface_add_outline(w->d.surface, o->level < 2 ? CAIRO_PDF_OUTLINE_ROOT : parent,
                                                   o->title, attr, CAIRO_PDF_OUTLINE_FLAG_OPEN);
            g_free(attr);
            if (o->level == 1)
                parent = id;
        }
    }
    cairo_destroy(w->cr);
    double mh = w->print ? w->g.trim_h + 2 * w->g.margin : bk->page_h;
    struct pr_pdf_post post;
    memset(&post, 0, sizeof post);
    post.labels = w->labels;
    post.npages = w->nlabels;
    post.order = w->order;
    post.npainted = w->npainted + nslugs;
    post.slug_target = slug_target;
    post.nslugs = nslugs;
    post.page_h = mh;
    post.marks = w->print ? NULL : &w->marks;
    post.print = w->print ? &w->g : NULL;
    post.ads = w->ads;
    post.nads = w->nads;
    post.cmyk = pr_painter_cmyk(w->painter, &post.ncmyk);
    post.layer = w->print ? NULL : w->layer;
    post.lang = b->issue->language;
    post.text = w->text;
    bool ok = w->ok;
    if (ok)
        ok = pdf_doc_end(b, &w->d, &post);
    else
        pdf_doc_abandon(b, &w->d);
    pr_painter_free(w->painter);
    pr_pdftext_free(w->text);
    free(slug_target);
    free(w->labels);
    free(w->order);
    free(w->layer);
    free(w->ads);
    pr_pdf_marks_free(&w->marks);
    free(w);
    return ok;
}

bool pr_articles_write(struct pr_build *b, const struct pr_book *bk, const char *dir)
{
    const struct pr_issue *is = b->issue;
    int *pages = pr_xmalloc((size_t)(bk->npages ? bk->npages : 1) * sizeof *pages);
    bool ok = true;
    for (int a = is->editorial ? -2 : 0; a < is->narticles && ok; a++) {
        if (a == -1)
            continue;
        const char *id = a == -2 ? "editorial" : is->articles[a].id;
        const char *path = pr_arena_printf(b->arena, "%s/%s-%s.pdf", dir, is->slug, id);
        struct pr_pdf_writer *w = open_writer(b, bk, path, false, a);
        int n = 0;
        for (int i = 0; i < bk->npages; i++)
            if (wanted(&bk->pages[i], a))
                pages[n++] = i;
        pr_pdf_paint(w, bk, pages, n);
        ok = pr_pdf_close(w, bk);
    }
    free(pages);
    return ok;
}

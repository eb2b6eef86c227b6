/* build.c - runs the stages in order: manifest (+ layout, front matter) ->
 * markdown -> typesetting -> back ends, with --dump and --timings. Called
 * by main.c, which owns the exit status; this file only reports. */
#define _GNU_SOURCE
#include "build.h"
#include "backends.h"
#include "typeset.h"
#include "hyph.h"
#include "image.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void timing(struct pr_build *b, const char *stage, double *t0)
{
    double t = now();
    if (b->opt.timings)
        fprintf(stderr, "pressrun: %-10s %8.1f ms\n", stage, (t - *t0) * 1000);
    *t0 = t;
}

static bool make_dir(struct pr_build *b, const char *dir)
{
    char *p = pr_arena_strdup(b->arena, dir);
    for (char *c = p + 1; *c; c++) {
        if (*c != '/')
            continue;
        *c = 0;
        mkdir(p, 0777);
        *c = '/';
    }
    if (mkdir(p, 0777) != 0 && errno != EEXIST) {
        pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0},
                "cannot create the output folder '%s': %s", dir, strerror(errno));
        return false;
    }
    struct stat st;
    if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
        pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "output path '%s' is not a folder", dir);
        return false;
    }
    return true;
}

static bool has_output_error(const struct pr_build *b)
{
    for (unsigned i = 0; i < b->diags.n; i++)
        if (b->diags.v[i].code == PR_D_OUTPUT)
            return true;
    return false;
}

/* Are the input errors so far ones whose input stage put a safe value in
 * place (a date, an unknown or missing key, a bad byte, an unclosed front
 * matter, a missing or refused file or image, a flattened nesting)? Then
 * `check` typesets anyway, to list the overflow, glyph, image-resolution
 * and colour problems in the same run. Errors in YAML structure, the layout
 * or the fonts stop it. */
static bool recoverable(const struct pr_build *b)
{
    if (!b->issue)
        return false;
    const struct pr_layout *L = &b->issue->layout;
    double col = (L->page_w - L->margin_inner - L->margin_outer - (L->columns - 1) * L->gutter) / L->columns;
    if (L->columns < 1 || col < 72 || L->page_h - L->margin_top - L->margin_bottom < 4 * L->baseline)
        return false;
    const char *layout = L->path;
    for (unsigned i = 0; i < b->diags.n; i++) {
        const struct pr_diag *d = &b->diags.v[i];
        if (d->severity != PR_SEV_ERROR)
            continue;
        if (layout && d->pos.file && strcmp(d->pos.file, layout) == 0)
            return false;
        switch (d->code) {
        case PR_D_UTF8: case PR_D_UNKNOWN_KEY: case PR_D_DUPLICATE_KEY: case PR_D_VALUE:
        case PR_D_MISSING_KEY: case PR_D_TYPE: case PR_D_FRONTMATTER: case PR_D_NO_FILE:
        case PR_D_OUTSIDE: case PR_D_LIMIT: case PR_D_IMAGE:
            break;
        default:
            return false;
        }
    }
    return true;
}

/* What every typeset paragraph depends on besides its own text and options:
 * the manifest, the layout file and the fonts (for pr_shapecache_begin). */
static const char *reuse_signature(struct pr_build *b, const struct pr_issue *is)
{
    GString *s = g_string_new(NULL);
    const char *files[2] = {is->manifest_path, is->layout.path};
    for (int i = 0; i < 2; i++) {
        char *data = NULL;
        gsize len = 0;
        if (files[i] && g_file_get_contents(files[i], &data, &len, NULL)) {
            char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
            g_string_append_printf(s, "%s:%s;", files[i], sum);
            g_free(sum);
            g_free(data);
        } else
            g_string_append_printf(s, "%s:-;", files[i] ? files[i] : "");
    }
    char *fonts = pr_fonts_signature(b);
    g_string_append(s, fonts);
    g_free(fonts);
    const char *r = pr_arena_strdup(b->arena, s->str);
    g_string_free(s, TRUE);
    return r;
}

/* ---------- the screen PDF, the print PDF and the EPUB, as pages come ---------- */

/* A back end's own copy of the build: its arena and diagnostics are its
 * own (it may run in a thread), taken over when it is done. */
static void build_copy(struct pr_build *to, const struct pr_build *b)
{
    *to = *b;
    to->arena = pr_arena_new();
    pr_diags_init(&to->diags);
    pr_build_input_init(to, b->input.datadir);
    to->progress = NULL;
}

static void build_merge(struct pr_build *b, struct pr_build *from)
{
    pr_diags_append(&b->diags, &from->diags);
    pr_diags_free(&from->diags);
    pr_arena_adopt(b->arena, from->arena);
    from->arena = NULL;
}

/* A thread started with the terminating signals blocked: main.c's handler
 * runs on the main thread, which removes the temporary files and dies. */
static GThread *thread_new(const char *name, GThreadFunc fn, gpointer data)
{
    sigset_t sigs, old;
    pr_outfile_signals(&sigs);
    pthread_sigmask(SIG_BLOCK, &sigs, &old);
    GThread *t = g_thread_try_new(name, fn, data, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return t;
}

/* The main outputs being written while the issue is typeset. The screen
 * and the print PDF are painted a batch of pages at a time (the print PDF
 * in a thread beside the screen PDF's); the EPUB needs the page model only
 * for its cover, so once the cover is painted it is written in a thread of
 * its own while typesetting goes on. */
struct outputs {
    struct pr_build *b;
    bool threads;               /* more than one processor */
    struct pr_build pdf_b, print_b, epub_b;
    struct pr_pdf_writer *pdf, *print;
    const char *pdf_path, *print_path, *epub_path;
    bool want_pdf, want_print, want_epub;
    bool failed;                /* a writer could not open */
    double pdf_ms, print_ms, epub_ms;
    bool started;
    /* the EPUB */
    unsigned char *cover;
    size_t cover_len;
    bool cover_done, epub_ok;
    GThread *epub_thread;
    bool print_ok;              /* the print PDF's post-pass, run in a thread */
    /* the batch of pages being painted, and its thread */
    GThread *painting;
    int *batch;                 /* its pages (indices into bk->pages) */
    int nbatch, batch_cap;
    const struct pr_book *bk;
};

static gpointer paint_print(gpointer p)
{
    struct outputs *o = p;
    double t = now();
    pr_pdf_paint(o->print, o->bk, o->batch, o->nbatch);
    o->print_ms += (now() - t) * 1000;
    return NULL;
}

/* The print PDF's post-pass, in a thread beside the screen PDF's. */
static gpointer close_print(gpointer p)
{
    struct outputs *o = p;
    double t = now();
    o->print_ok = pr_pdf_close(o->print, o->bk);
    o->print_ms += (now() - t) * 1000;
    o->print = NULL;
    return NULL;
}

static gpointer paint_cover(gpointer p)
{
    struct outputs *o = p;
    double t = now();
    o->cover = pr_epub_cover(o->bk, &o->cover_len);
    o->epub_ms += (now() - t) * 1000;
    return NULL;
}

static gpointer write_epub(gpointer p)
{
    struct outputs *o = p;
    double t = now();
    o->epub_ok = pr_epub_write(&o->epub_b, o->cover, o->cover_len, o->epub_path);
    o->epub_ms += (now() - t) * 1000;
    return NULL;
}

/* The PDF writers, once the book's page size is known. */
static void outputs_start(struct outputs *o, const struct pr_book *bk)
{
    if (o->started)
        return;
    o->started = true;
    if (o->want_pdf) {
        o->pdf = pr_pdf_open(&o->pdf_b, bk, o->pdf_path);
        o->failed |= !o->pdf;
    }
    if (o->want_print) {
        o->print = pr_print_open(&o->print_b, bk, o->print_path);
        o->failed |= !o->print;
    }
}

/* Paint the batch o->batch into the PDFs (the print PDF in a thread
 * beside the screen PDF's), and the EPUB's cover when the batch holds the
 * book's first page; then start the EPUB. */
static void paint_batch(struct outputs *o)
{
    const struct pr_book *bk = o->bk;
    const int *pages = o->batch;
    int n = o->nbatch;
    /* the EPUB's cover is the book's first page: the cover, or without
     * one the first contents or article page, whenever it comes */
    bool cover = false;
    for (int i = 0; i < n && o->want_epub && !o->cover_done && !cover; i++)
        cover = pages[i] == 0;
    GThread *print_t = NULL, *cover_t = NULL;
    if (o->threads) {
        if (o->print && o->pdf)
            print_t = thread_new("pressrun-print", paint_print, o);
        if (cover && (o->pdf || o->print))
            cover_t = thread_new("pressrun-cover", paint_cover, o);
    }
    if (o->pdf) {
        double t = now();
        pr_pdf_paint(o->pdf, bk, pages, n);
        o->pdf_ms += (now() - t) * 1000;
    }
    if (print_t)
        g_thread_join(print_t);
    else if (o->print)
        paint_print(o);
    if (cover) {
        if (cover_t)
            g_thread_join(cover_t);
        else
            paint_cover(o);
        o->cover_done = true;
        /* the rest of the EPUB reads the document model only */
        o->epub_thread = o->threads ? thread_new("pressrun-epub", write_epub, o) : NULL;
        if (!o->epub_thread)
            write_epub(o);
    }
}

static gpointer paint_run(gpointer p)
{
    paint_batch(p);
    return NULL;
}

/* pr_page_sink: wait for the batch being painted. */
static void outputs_wait(void *ctx)
{
    struct outputs *o = ctx;
    if (o->painting)
        g_thread_join(o->painting);
    o->painting = NULL;
}

/* pr_page_sink: paint a batch of pages. With more than one processor the
 * painting runs in a thread of its own beside the typesetting of the next
 * batch: Pango's lazily made font parts are made first (prepare), so that
 * painting only reads the fonts the typesetting threads go on using. */
static void outputs_pages(void *ctx, struct pr_typeset *ts, const int *pages, int n)
{
    struct outputs *o = ctx;
    const struct pr_book *bk = ts->book;
    outputs_wait(o);
    outputs_start(o, bk);
    o->bk = bk;
    if (n > o->batch_cap) {
        o->batch_cap = n;
        o->batch = pr_xrealloc(o->batch, (size_t)n * sizeof *o->batch);
    }
    memcpy(o->batch, pages, (size_t)n * sizeof *pages);
    o->nbatch = n;
    if (!o->threads) {
        paint_batch(o);
        return;
    }
    for (int i = 0; i < n; i++)
        pr_typeset_prepare_paint(bk->pages[pages[i]].boxes, bk->pages[pages[i]].nboxes);
    o->painting = thread_new("pressrun-paint", paint_run, o);
    if (!o->painting)
        paint_batch(o);
}

static void outputs_open(struct outputs *o, struct pr_build *b, const char *dir)
{
    const struct pr_issue *is = b->issue;
    memset(o, 0, sizeof *o);
    o->b = b;
    int cpus = b->opt.jobs > 0 ? b->opt.jobs : (int)g_get_num_processors();
    o->threads = cpus > 1;
    o->want_pdf = b->opt.formats & PR_FMT_PDF;
    o->want_print = b->opt.formats & PR_FMT_PRINT;
    o->want_epub = b->opt.formats & PR_FMT_EPUB;
    o->pdf_path = pr_arena_printf(b->arena, "%s/%s.pdf", dir, is->slug);
    o->print_path = pr_arena_printf(b->arena, "%s/%s-print.pdf", dir, is->slug);
    o->epub_path = pr_arena_printf(b->arena, "%s/%s.epub", dir, is->slug);
    if (o->want_pdf)
        build_copy(&o->pdf_b, b);
    if (o->want_print)
        build_copy(&o->print_b, b);
    if (o->want_epub)
        build_copy(&o->epub_b, b);
    /* the formats are replaced together or not at all */
    pr_outfile_hold();
    tzset(); /* cairo reads the time zone: once, before any thread */
}

/* Finish the outputs (the PDFs' post-passes one after the other: side by
 * side, the two qpdf object tables of a long issue's PDFs would be the
 * build's peak of memory), then rename
 * them all into place, or remove them all when one failed or `ok` is
 * false (typesetting failed): the previous outputs stay. */
static bool outputs_close(struct outputs *o, const struct pr_book *bk, bool ok)
{
    struct pr_build *b = o->b;
    outputs_wait(o);
    free(o->batch);
    o->batch = NULL;
    outputs_start(o, bk);
    if (o->want_epub && !o->cover_done) {
        /* no page was painted: the EPUB's cover comes from the manifest */
        o->cover_done = true;
        write_epub(o);
    }
    bool pdf_ok = true, print_ok = true;
    /* the two PDFs' post-passes side by side (not when the screen PDF
     * goes into place first: the print PDF would go with it) */
    GThread *print_t = NULL;
    if (o->print && o->pdf && o->threads && !b->opt.screen_first) {
        o->bk = bk;
        print_t = thread_new("pressrun-print", close_print, o);
    }
    if (o->pdf) {
        double t = now();
        pdf_ok = pr_pdf_close(o->pdf, bk);
        o->pdf_ms += (now() - t) * 1000;
        o->pdf = NULL;
    }
    if (b->opt.screen_first && !b->opt.strict && ok && !o->failed && pdf_ok && o->want_pdf &&
        (o->print || o->epub_thread)) {
        /* the screen PDF (and the EPUB, if written already) into place
         * now, the other formats together when they are done */
        pr_outfile_release(b, true);
        pr_outfile_hold();
    }
    if (print_t) {
        g_thread_join(print_t);
        print_ok = o->print_ok;
    } else if (o->print) {
        double t = now();
        print_ok = pr_pdf_close(o->print, bk);
        o->print_ms += (now() - t) * 1000;
        o->print = NULL;
    }
    if (o->epub_thread)
        g_thread_join(o->epub_thread);
    o->epub_thread = NULL;
    free(o->cover);
    o->cover = NULL;
    ok = ok && !o->failed && pdf_ok && print_ok && (!o->want_epub || o->epub_ok);
    struct {
        bool want;
        struct pr_build *copy;
        const char *stage;
        double ms;
    } parts[3] = {{o->want_pdf, &o->pdf_b, "pdf", o->pdf_ms},
                  {o->want_print, &o->print_b, "print", o->print_ms},
                  {o->want_epub, &o->epub_b, "epub", o->epub_ms}};
    for (int i = 0; i < 3; i++) {
        if (!parts[i].want)
            continue;
        build_merge(b, parts[i].copy);
        if (b->opt.timings)
            fprintf(stderr, "pressrun: %-10s %8.1f ms (with typesetting)\n", parts[i].stage, parts[i].ms);
    }
    ok = pr_outfile_release(b, ok);
    if (ok && !b->opt.quiet) {
        if (o->want_pdf)
            fprintf(stderr, "pressrun: wrote %s (%d pages)\n", o->pdf_path, bk->npages);
        if (o->want_print && bk->padding)
            fprintf(stderr, "pressrun: wrote %s (%d pages, %d blank for binding)\n", o->print_path, bk->npages,
                    bk->padding);
        else if (o->want_print)
            fprintf(stderr, "pressrun: wrote %s (%d pages)\n", o->print_path, bk->npages);
        if (o->want_epub)
            fprintf(stderr, "pressrun: wrote %s\n", o->epub_path);
    }
    return ok;
}

void pr_build_input_init(struct pr_build *b, const char *datadir)
{
    b->input = (struct pr_input){.arena = b->arena,
                                 .diags = &b->diags,
                                 .datadir = datadir,
                                 .layout = b->opt.layout,
                                 .allow_outside = b->opt.allow_outside};
}


int pr_build_run(struct pr_build *b)
{
    double t0 = now(), start = t0;
    struct pr_issue *is = pr_manifest_load(&b->input, b->opt.issue_arg);
    if (!is)
        return 1;
    b->issue = is;
    timing(b, "manifest", &t0);
    if (is->editorial)
        pr_markdown_parse(&b->input, is, is->editorial);
    for (int i = 0; i < is->narticles; i++)
        pr_markdown_parse(&b->input, is, &is->articles[i]);
    for (int i = 0; i < is->nfillers; i++)
        if (is->fillers[i].item)
            pr_markdown_parse(&b->input, is, is->fillers[i].item);
    timing(b, "markdown", &t0);
    if (b->opt.check_only || (b->opt.formats & PR_FMT_PRINT))
        pr_ads_preflight(is, &b->diags, true);
    if (b->opt.dump == PR_DUMP_DOC)
        pr_dump_doc(is, stdout);
    if (b->diags.errors && !(b->opt.check_only && recoverable(b)))
        return 1;
    struct pr_typeset *ts = pr_typeset_new(b, is);
    if (!ts)
        return 1;
    /* everything but the main outputs needs the whole book at the end */
    ts->retain = b->opt.dump == PR_DUMP_LAYOUT || b->opt.stats ||
                 (!b->opt.check_only && (b->opt.formats & (PR_FMT_ARTICLES | PR_FMT_PNG | PR_FMT_PROOF)));
    int rc = 0;
    const char *dir = NULL;
    struct outputs out;
    struct pr_page_sink sink = {outputs_pages, outputs_wait, &out};
    bool writing = !b->opt.check_only && (b->opt.formats & (PR_FMT_PDF | PR_FMT_PRINT | PR_FMT_EPUB));
    /* the output folder, unless all there is to write is proof -o FILE.png */
    if (!b->opt.check_only && !(b->opt.formats == PR_FMT_PROOF && b->opt.proof_path)) {
        dir = b->opt.out_dir ? b->opt.out_dir : pr_path_join(b->arena, is->dir, "out");
        if (!make_dir(b, dir)) {
            rc = 3;
            writing = false;
        }
    }
    if (writing)
        outputs_open(&out, b, dir);
    if (b->opt.reuse)
        pr_shapecache_begin(reuse_signature(b, is));
    pr_pages_run(ts, writing ? &sink : NULL);
    if (b->opt.reuse)
        pr_shapecache_end(&b->reused, &b->shaped);
    timing(b, "typeset", &t0);
    if (b->opt.dump == PR_DUMP_LAYOUT)
        pr_dump_layout(b, ts->book, stdout);
    if ((b->diags.errors || (b->opt.strict && b->diags.warnings)) && rc == 0)
        rc = 1;
    if (writing) {
        /* a build with errors writes nothing: the previous outputs stay */
        if (!outputs_close(&out, ts->book, rc == 0) && rc == 0)
            rc = 3;
        timing(b, "outputs", &t0);
    }
    if (!b->opt.check_only && rc == 0) {
        if (rc == 0 && (b->opt.formats & PR_FMT_ARTICLES)) {
            if (pr_articles_write(b, ts->book, dir)) {
                if (!b->opt.quiet)
                    fprintf(stderr, "pressrun: wrote %s/%s-<article>.pdf (one per article)\n", dir, is->slug);
            } else
                rc = 3;
            timing(b, "articles", &t0);
        }
        if (rc == 0 && (b->opt.formats & PR_FMT_PNG)) {
            if (pr_png_write(b, ts->book, dir, is->slug, b->opt.dpi > 0 ? b->opt.dpi : 96)) {
                if (!b->opt.quiet)
                    fprintf(stderr, "pressrun: wrote %s/%s-p001.png ... (one per page)\n", dir, is->slug);
            } else
                rc = 3;
            timing(b, "png", &t0);
        }
        if (rc == 0 && (b->opt.formats & PR_FMT_PROOF)) {
            const char *path = b->opt.proof_path ? b->opt.proof_path
                                                 : pr_arena_printf(b->arena, "%s/%s-flatplan.png", dir, is->slug);
            if (pr_proof_write(b, ts, path)) {
                if (!b->opt.quiet)
                    fprintf(stderr, "pressrun: wrote %s (%d pages in spreads)\n", path, ts->book->npages);
            } else
                rc = 3;
            timing(b, "proof", &t0);
        }
    }
    if (b->opt.stats)
        pr_stats_write(b, ts->book, stdout);
    if (b->opt.timings)
        fprintf(stderr, "pressrun: %-10s %8.1f ms\n", "total", (now() - start) * 1000);
    b->pages = ts->book->npages;
    pr_typeset_free(ts);
    if (rc == 0 && has_output_error(b))
        rc = 3;
    return rc;
}

/* The progress line: on a terminal only, once a build has run a second,
 * at most ten times a second; cleared when the build ends. */
static void progress(struct pr_build *b, const char *stage, int done, int total)
{
    static double last;
    double t = now();
    if (t - b->started < 1.0 || (t - last < 0.1 && done < total))
        return;
    last = t;
    fprintf(stderr, "\rpressrun: %s %d/%d ...\033[K", stage, done, total);
    fflush(stderr);
}

void pr_build_caches_free(void)
{
    pr_shapecache_free();
    pr_hyph_shared_free();
    pr_flow_caches_free();
    pr_pdftext_caches_free();
}

int pr_build_main(const struct pr_options *opt, struct pr_build_summary *sum)
{
    struct pr_build b;
    memset(&b, 0, sizeof b);
    b.opt = *opt;
    b.arena = pr_arena_new();
    pr_diags_init(&b.diags);
    b.diags.quiet = b.opt.quiet;
    pr_build_input_init(&b, pr_datadir(b.arena));
    b.source_date = -1;
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end || v < 0)
            fprintf(stderr, "pressrun: SOURCE_DATE_EPOCH='%s' is not a number of seconds; ignoring it\n", sde);
        else
            b.source_date = v;
    }
    b.started = now();
    if (isatty(2) && !b.opt.quiet)
        b.progress = progress;
    int rc = pr_build_run(&b);
    if (b.progress && now() - b.started >= 1.0)
        fputs("\r\033[K", stderr);
    pr_diags_print(&b.diags, stderr);
    if (b.opt.check_only && !b.opt.quiet)
        fprintf(stderr, "pressrun: %u error%s, %u warning%s\n", b.diags.errors, b.diags.errors == 1 ? "" : "s",
                b.diags.warnings, b.diags.warnings == 1 ? "" : "s");
    if (rc == 0 && (b.diags.errors || (b.opt.strict && b.diags.warnings)))
        rc = 1;
    if (b.opt.strict && !b.diags.errors && b.diags.warnings && !b.opt.quiet)
        fprintf(stderr, "pressrun: --strict: %u warning%s as error%s%s\n", b.diags.warnings,
                b.diags.warnings == 1 ? " counts" : "s count", b.diags.warnings == 1 ? "" : "s",
                b.opt.check_only ? "" : "; nothing written, earlier outputs kept");
    if (sum) {
        sum->errors = (int)b.diags.errors;
        sum->warnings = (int)b.diags.warnings;
        sum->pages = b.pages;
        sum->reused = b.reused;
        sum->shaped = b.shaped;
    }
    pr_diags_free(&b.diags);
    pr_arena_free(b.arena);
    return rc;
}

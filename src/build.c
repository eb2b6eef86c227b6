/* build.c - runs the stages in order: manifest (+ layout, front matter) ->
 * markdown -> typesetting -> back ends, with --dump and --timings. Called
 * by main.c, which owns the exit status; this file only reports. */
#define _GNU_SOURCE
#include "build.h"
#include "backends.h"
#include "typeset.h"
#include "hyph.h"
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

/* ---------- the screen PDF, the print PDF and the EPUB, side by side ---------- */

/* One of them, written in a thread of its own: with a copy of the build
 * whose arena and diagnostics are its own (taken over when it is done). */
struct output_job {
    struct pr_build b;
    const struct pr_book *book;
    unsigned format;
    const char *stage;          /* its name in --timings */
    const char *path;
    bool ok;
    double ms;
    GThread *thread;
};

static gint jobs_done;

static bool write_one(struct pr_build *b, const struct pr_book *bk, unsigned format, const char *path)
{
    switch (format) {
    case PR_FMT_PDF:
        return pr_pdf_write(b, bk, path);
    case PR_FMT_PRINT:
        return pr_print_write(b, bk, path);
    default:
        return pr_epub_write(b, bk, path);
    }
}

static gpointer output_run(gpointer p)
{
    struct output_job *j = p;
    double t = now();
    j->ok = write_one(&j->b, j->book, j->format, j->path);
    j->ms = (now() - t) * 1000;
    g_atomic_int_inc(&jobs_done);
    return NULL;
}

static void wrote(const struct pr_build *b, const struct pr_book *bk, unsigned format, const char *path)
{
    if (b->opt.quiet)
        return;
    if (format == PR_FMT_EPUB)
        fprintf(stderr, "pressrun: wrote %s\n", path);
    else if (format == PR_FMT_PRINT && bk->padding)
        fprintf(stderr, "pressrun: wrote %s (%d pages, %d blank for binding)\n", path, bk->npages, bk->padding);
    else
        fprintf(stderr, "pressrun: wrote %s (%d pages)\n", path, bk->npages);
}

/* Write the formats asked for among pdf, print and epub, all or none: each
 * is held under its temporary name until all are done, then all are
 * renamed (or, when one failed, all removed: the previous outputs stay).
 * With more than one and more than one processor, each gets a thread (they
 * only read the page and document models; fonts are prepared first). A signal that arrives
 * meanwhile is held until the writers are done, and none of them renames
 * its output into place after it: the build then dies of the signal with
 * the previous outputs intact, as a single-threaded one would. */
static bool write_main_outputs(struct pr_build *b, struct pr_typeset *ts, const char *dir, double *t0)
{
    static const unsigned order[3] = {PR_FMT_PDF, PR_FMT_PRINT, PR_FMT_EPUB};
    static const char *const stage[3] = {"pdf", "print", "epub"};
    const struct pr_issue *is = b->issue;
    struct output_job jobs[3];
    int n = 0;
    memset(jobs, 0, sizeof jobs);
    for (int i = 0; i < 3; i++) {
        if (!(b->opt.formats & order[i]))
            continue;
        jobs[n].format = order[i];
        jobs[n].stage = stage[i];
        jobs[n].path = pr_arena_printf(b->arena, "%s/%s%s", dir, is->slug,
                                       order[i] == PR_FMT_PDF ? ".pdf" : order[i] == PR_FMT_PRINT ? "-print.pdf" : ".epub");
        jobs[n].book = ts->book;
        n++;
    }
    int cpus = b->opt.jobs > 0 ? b->opt.jobs : (int)g_get_num_processors();
    /* the formats are replaced together or not at all */
    pr_outfile_hold();
    if (n < 2 || cpus < 2) {
        bool ok = true;
        for (int i = 0; i < n && ok; i++) {
            ok = jobs[i].ok = write_one(b, ts->book, jobs[i].format, jobs[i].path);
            timing(b, jobs[i].stage, t0);
        }
        ok = pr_outfile_release(b, ok);
        for (int i = 0; i < n && ok; i++)
            wrote(b, ts->book, jobs[i].format, jobs[i].path);
        return ok;
    }
    pr_typeset_prepare_paint(ts);
    tzset(); /* cairo reads the time zone: once, before the threads */
    sigset_t sigs, old;
    pr_outfile_signals(&sigs);
    pthread_sigmask(SIG_BLOCK, &sigs, &old); /* the writers inherit it */
    g_atomic_int_set(&jobs_done, 0);
    int started = 0;
    for (int i = 0; i < n; i++) {
        jobs[i].b = *b;
        jobs[i].b.arena = pr_arena_new();
        pr_diags_init(&jobs[i].b.diags);
        jobs[i].b.progress = NULL;
        jobs[i].thread = g_thread_try_new("pressrun-output", output_run, &jobs[i], NULL);
        if (jobs[i].thread)
            started++;
    }
    int caught = 0;
    while (g_atomic_int_get(&jobs_done) < started) {
        struct timespec wait = {0, 20 * 1000 * 1000};
        int sig = sigtimedwait(&sigs, NULL, &wait);
        if (sig > 0 && !caught) {
            caught = sig;
            pr_outfile_abort();
        }
    }
    bool ok = true;
    for (int i = 0; i < n; i++) {
        if (jobs[i].thread)
            g_thread_join(jobs[i].thread);
        else if (!caught)
            output_run(&jobs[i]); /* no thread: write it here */
    }
    for (int i = 0; i < n; i++) {
        pr_diags_append(&b->diags, &jobs[i].b.diags);
        pr_arena_adopt(b->arena, jobs[i].b.arena);
        ok = ok && jobs[i].ok;
        if (b->opt.timings)
            fprintf(stderr, "pressrun: %-10s %8.1f ms (in parallel)\n", jobs[i].stage, jobs[i].ms);
    }
    ok = pr_outfile_release(b, ok && !caught);
    for (int i = 0; i < n && ok; i++)
        wrote(b, ts->book, jobs[i].format, jobs[i].path);
    *t0 = now();
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (caught)
        raise(caught); /* main.c's handler removes what is left and dies of it */
    return ok;
}

int pr_build_run(struct pr_build *b)
{
    double t0 = now(), start = t0;
    struct pr_issue *is = pr_manifest_load(b, b->opt.issue_arg);
    if (!is)
        return 1;
    b->issue = is;
    timing(b, "manifest", &t0);
    if (is->editorial)
        pr_markdown_parse(b, is->editorial);
    for (int i = 0; i < is->narticles; i++)
        pr_markdown_parse(b, &is->articles[i]);
    timing(b, "markdown", &t0);
    if (b->opt.dump == PR_DUMP_DOC)
        pr_dump_doc(b, stdout);
    if (b->diags.errors && !(b->opt.check_only && recoverable(b)))
        return 1;
    struct pr_typeset *ts = pr_typeset_new(b, is);
    if (!ts)
        return 1;
    if (b->opt.reuse)
        pr_shapecache_begin(reuse_signature(b, is));
    pr_pages_run(ts);
    if (b->opt.reuse)
        pr_shapecache_end(&b->reused, &b->shaped);
    timing(b, "typeset", &t0);
    if (b->opt.dump == PR_DUMP_LAYOUT)
        pr_dump_layout(b, ts->book, stdout);
    int rc = b->diags.errors ? 1 : 0;
    if (!b->opt.check_only && rc == 0) {
        const char *dir = b->opt.out_dir ? b->opt.out_dir : pr_path_join(b->arena, is->dir, "out");
        if (!make_dir(b, dir))
            rc = 3;
        if (rc == 0 && !write_main_outputs(b, ts, dir, &t0))
            rc = 3;
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

static bool is_dir_with(const char *dir, const char *sub)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, sub);
    return access(p, R_OK) == 0;
}

static const char *find_datadir(struct pr_arena *a)
{
    const char *env = getenv("PRESSRUN_DATADIR");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            const char *inst = pr_arena_printf(a, "%s/../share/pressrun", exe);
            if (is_dir_with(inst, "fonts") && is_dir_with(inst, "layouts"))
                return inst;
        }
    }
    if (is_dir_with(PR_SOURCE_DATADIR, "fonts") && is_dir_with(PR_SOURCE_DATADIR, "layouts"))
        return PR_SOURCE_DATADIR;
    return PR_INSTALL_DATADIR;
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
}

int pr_build_main(const struct pr_options *opt, struct pr_build_summary *sum)
{
    struct pr_build b;
    memset(&b, 0, sizeof b);
    b.opt = *opt;
    b.arena = pr_arena_new();
    pr_diags_init(&b.diags);
    b.diags.quiet = b.opt.quiet;
    b.datadir = find_datadir(b.arena);
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
    if (rc == 0 && b.diags.errors)
        rc = 1;
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

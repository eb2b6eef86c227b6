/* workers.c - typesetting, threads: the typesetter (pr_typeset_new/free)
 * and its copies for the worker threads, which set a batch's galleys in
 * parallel, each owning what it makes; diagnostics are merged in article
 * order. Reads the issue model; writes galleys (through galley.c). Called
 * by build.c (new, free) and pages.c (a batch at a time). */
#include "pages.h"
#include "hyph.h"
#include <stdlib.h>
#include <string.h>

/* A typesetting thread's own typesetter: Pango objects are not shared
 * between threads, so it has its own font map (the same bundled fonts) and
 * context, made once per build and used for every batch; it reports into
 * its own diagnostics, which the main thread takes over. The hyphenator
 * and the image cache are shared (they lock). */
struct pr_worker {
    struct pr_typeset ts;
    struct pr_build bld;         /* a copy of the build with its own arena and diagnostics */
    struct pr_workers *ws;       /* the batch it takes its galleys from */
    int slot;                    /* its place among the threads (the calling thread's is 0) */
    GThread *thread;
};

static PangoContext *new_context(PangoFontMap *fm, const struct pr_issue *issue)
{
    PangoContext *ctx = pango_font_map_create_context(fm);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(ctx, FALSE);
    pango_context_set_language(ctx, pango_language_from_string(issue->language ? issue->language : "en"));
    return ctx;
}

/* Set galleys [from, to), each with diagnostics of its own (gd[i]) and
 * owning what is made for it, so that they can be merged in article order
 * whichever thread set them. */
static void set_range(struct pr_typeset *ts, struct pr_galley *gal, struct pr_diags *gd, int from, int to)
{
    for (int i = from; i < to; i++) {
        struct pr_diags keep = ts->b->diags;
        pr_diags_init(&gd[i]);
        ts->b->diags = gd[i];
        struct pr_ts_alloc build = pr_galley_redirect_alloc(ts, &gal[i]);
        pr_galley_set(ts, &gal[i]);
        pr_galley_restore_alloc(ts, &gal[i], build);
        /* check paints nothing: the glyphs can go as soon as the galley is set */
        for (int k = 0; ts->b->opt.check_only && k < gal[i].ntexts; k++)
            pr_text_drop_glyphs(gal[i].texts[k]);
        gd[i] = ts->b->diags;
        ts->b->diags = keep;
        if (ts->b->progress && gal[i].article >= 0)
            ts->b->progress(ts->b, "typesetting article", gal[i].article + 1, ts->issue->narticles);
    }
}

static int jobs_for(const struct pr_build *bld, int ng)
{
    int jobs = bld->opt.jobs > 0 ? bld->opt.jobs : (int)g_get_num_processors();
    if (bld->opt.jobs <= 0 && jobs > PR_FONTS_SLOTS)
        jobs = PR_FONTS_SLOTS;
    if (jobs > ng)
        jobs = ng;
    return jobs < 1 ? 1 : jobs;
}

struct pr_workers pr_workers_new(struct pr_typeset *ts, int ng)
{
    struct pr_build *bld = ts->b;
    struct pr_workers ws;
    memset(&ws, 0, sizeof ws);
    ws.n = jobs_for(bld, ng);
    ws.w = pr_xmalloc((size_t)ws.n * sizeof *ws.w);
    memset(ws.w, 0, (size_t)ws.n * sizeof *ws.w);
    for (int j = 1; j < ws.n; j++) {
        struct pr_worker *w = &ws.w[j];
        w->bld = *bld;
        w->bld.arena = pr_arena_new();
        pr_diags_init(&w->bld.diags);
        w->bld.progress = NULL;
        w->ts = *ts;
        w->ts.b = &w->bld;
        w->ts.texts = NULL;
        w->ts.ntexts = w->ts.texts_cap = 0;
        w->ts.warned_langs = NULL;
        w->ts.nwarned = w->ts.warned_cap = 0;
        w->ts.more_fontmaps = NULL;
        w->ts.nmore = w->ts.nmore_cap = 0;
        w->ts.missing_glyphs = w->ts.overflow_lines = w->ts.lines = 0;
        w->ts.words = NULL;
        w->ts.items = NULL;
        w->ts.fontmap = pr_fonts_new(&w->bld, j);
        w->ts.ctx = w->ts.fontmap ? new_context(w->ts.fontmap, ts->issue) : NULL;
    }
    return ws;
}

/* In thread order. */
void pr_workers_free(struct pr_typeset *ts, struct pr_workers *ws)
{
    struct pr_build *bld = ts->b;
    for (int j = 1; j < ws->n; j++) {
        struct pr_typeset *wt = &ws->w[j].ts;
        for (int i = 0; i < wt->ntexts; i++)
            *PR_PUSH(bld->arena, ts->texts, ts->ntexts, ts->texts_cap) = wt->texts[i];
        free(wt->warned_langs);
        ts->missing_glyphs += wt->missing_glyphs;
        ts->overflow_lines += wt->overflow_lines;
        ts->lines += wt->lines;
        wt->missing_glyphs = wt->overflow_lines = wt->lines = 0;
        pr_diags_append(&bld->diags, &ws->w[j].bld.diags);
        pr_wordcache_free(wt->words);
        pr_itemcache_free(wt->items);
        if (wt->ctx)
            g_object_unref(wt->ctx);
        if (wt->fontmap)
            *PR_PUSH(bld->arena, ts->more_fontmaps, ts->nmore, ts->nmore_cap) = wt->fontmap;
        pr_arena_adopt(bld->arena, ws->w[j].bld.arena);
    }
    free(ws->w);
    ws->w = NULL;
    ws->n = 0;
}

/* Set the batch's galleys one at a time, each not taken yet, until none
 * is left. In watch (opt.reuse), where a thread reuses only the lines it
 * set itself in the last build (para.c), thread `slot` takes only the
 * articles whose number is `slot` modulo the threads, build after build;
 * slot < 0: any article no thread took. */
static void take(struct pr_typeset *ts, struct pr_workers *ws, int slot)
{
    for (int i = 0; i < ws->ng; i++) {
        bool mine = slot < 0 || !ts->b->opt.reuse || (ws->gal[i].article + 2) % ws->n == slot;
        if (mine && g_atomic_int_compare_and_exchange(&ws->taken[i], 0, 1))
            set_range(ts, ws->gal, ws->gd, i, i + 1);
    }
}

static gpointer worker_run(gpointer p)
{
    struct pr_worker *w = p;
    take(&w->ts, w->ws, w->slot);
    return NULL;
}

/* Set galleys gal[0 .. ng), on as many threads as the workers, each taking
 * the next article left (the galleys are independent until pages are
 * numbered, so the result does not depend on who sets which; diagnostics
 * are merged in article order). */
void pr_workers_start(struct pr_typeset *ts, struct pr_workers *ws, struct pr_galley *gal, int ng)
{
    ws->gal = gal;
    ws->ng = ng;
    ws->gd = pr_xmalloc((size_t)(ng ? ng : 1) * sizeof *ws->gd);
    memset(ws->gd, 0, (size_t)(ng ? ng : 1) * sizeof *ws->gd);
    ws->taken = pr_xmalloc((size_t)(ng ? ng : 1) * sizeof *ws->taken);
    memset(ws->taken, 0, (size_t)(ng ? ng : 1) * sizeof *ws->taken);
    int jobs = ws->n < ng ? ws->n : ng;
    for (int j = 1; j < jobs; j++) {
        struct pr_worker *w = &ws->w[j];
        /* languages already warned about (no dictionary) are not warned about again */
        for (int k = 0; k < ts->nwarned; k++)
            pr_warned_lang(&w->ts, ts->warned_langs[k]);
        w->ws = ws;
        w->slot = j;
        w->thread = w->ts.ctx ? g_thread_try_new("pressrun-typeset", worker_run, w, NULL) : NULL;
    }
}

void pr_workers_finish(struct pr_typeset *ts, struct pr_workers *ws)
{
    struct pr_build *bld = ts->b;
    take(ts, ws, 0); /* (and all of them when no worker could start) */
    for (int j = 1; j < ws->n; j++) {
        struct pr_worker *w = &ws->w[j];
        if (w->thread)
            g_thread_join(w->thread);
        w->thread = NULL;
        for (int k = 0; k < w->ts.nwarned; k++)
            pr_warned_lang(ts, w->ts.warned_langs[k]);
    }
    take(ts, ws, -1); /* watch: those of a thread that could not start */
    for (int i = 0; i < ws->ng; i++)
        pr_diags_append(&bld->diags, &ws->gd[i]);
    free(ws->gd);
    free(ws->taken);
    ws->gd = NULL;
    ws->taken = NULL;
    ws->gal = NULL;
    ws->ng = 0;
}


struct pr_typeset *pr_typeset_new(struct pr_build *bld, const struct pr_issue *issue)
{
    PangoFontMap *fm = pr_fonts_new(bld, 0);
    if (!fm)
        return NULL;
    struct pr_typeset *ts = pr_arena_alloc(bld->arena, sizeof *ts);
    ts->b = bld;
    ts->issue = issue;
    ts->L = &issue->layout;
    ts->fontmap = fm;
    ts->ctx = new_context(fm, issue);
    /* watch keeps the dictionaries loaded from one build to the next */
    ts->hyph = bld->opt.reuse ? pr_hyph_shared() : pr_hyph_new(NULL);
    /* the layout's exceptions, then the issue's (the later wins a word) */
    if (issue->layout.nhyph_exceptions + issue->nhyph_exceptions > 0) {
        ts->hyph_exc = pr_hyph_exc_new();
        for (int i = 0; i < issue->layout.nhyph_exceptions; i++)
            pr_hyph_exc_add(ts->hyph_exc, issue->layout.hyph_exceptions[i]);
        for (int i = 0; i < issue->nhyph_exceptions; i++)
            pr_hyph_exc_add(ts->hyph_exc, issue->hyph_exceptions[i]);
    }
    return ts;
}

void pr_typeset_free(struct pr_typeset *ts)
{
    if (!ts)
        return;
    for (int i = 0; i < ts->ngalleys; i++)
        pr_galley_free(&ts->galleys[i]);
    free(ts->warned_langs);
    for (int i = 0; i < ts->ntexts; i++) {
        pr_text_free(ts->texts[i]);
    }
    if (!pr_hyph_is_shared(ts->hyph))
        pr_hyph_free(ts->hyph);
    pr_hyph_exc_free(ts->hyph_exc);
    pr_wordcache_free(ts->words);
    pr_itemcache_free(ts->items);
    g_object_unref(ts->ctx);
    g_object_unref(ts->fontmap);
    for (int i = 0; i < ts->nmore; i++)
        g_object_unref(ts->more_fontmaps[i]);
}

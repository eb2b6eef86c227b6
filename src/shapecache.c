/* shapecache.c - typesetting: the lines of every paragraph set in the last
 * build, kept for the next build in the same process (pressrun watch), so
 * that an article whose text did not change is not shaped or broken into
 * lines again. para.c asks with a key that holds everything a paragraph's
 * lines depend on besides the layout, the manifest and the fonts; a build
 * whose signature of those differs from the last one's starts empty.
 * Entries no build asked for are dropped at the end of each build, so the
 * cache holds one issue's lines at most. Thread-safe (one lock). */
#include "typeset.h"
#include <pthread.h>
#include <string.h>

struct entry {
    struct pr_tline *lines;
    int nlines;
    bool total_fit;
    unsigned gen;              /* the last build that used it */
};

static struct {
    pthread_mutex_t lock;
    GHashTable *table;         /* GBytes key -> struct entry * */
    char *sig;
    unsigned gen;
    bool on;
    long hits, misses;
} sc = {.lock = PTHREAD_MUTEX_INITIALIZER};

static void copy_lines(struct pr_tline **dst, int *ndst, const struct pr_tline *src, int n)
{
    *dst = pr_xmalloc((size_t)(n ? n : 1) * sizeof **dst);
    *ndst = n;
    for (int i = 0; i < n; i++) {
        (*dst)[i] = src[i];
        (*dst)[i].runs = pr_xmalloc((size_t)(src[i].nruns ? src[i].nruns : 1) * sizeof *src[i].runs);
        for (int k = 0; k < src[i].nruns; k++) {
            (*dst)[i].runs[k] = src[i].runs[k];
            (*dst)[i].runs[k].gi = pango_glyph_item_copy(src[i].runs[k].gi);
        }
    }
}

static void entry_free(gpointer p)
{
    struct entry *e = p;
    for (int i = 0; i < e->nlines; i++) {
        for (int k = 0; k < e->lines[i].nruns; k++)
            pango_glyph_item_free(e->lines[i].runs[k].gi);
        free(e->lines[i].runs);
    }
    free(e->lines);
    free(e);
}

void pr_shapecache_begin(const char *signature)
{
    pthread_mutex_lock(&sc.lock);
    if (!sc.table)
        sc.table = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, entry_free);
    if (!sc.sig || strcmp(sc.sig, signature) != 0) {
        g_hash_table_remove_all(sc.table);
        g_free(sc.sig);
        sc.sig = g_strdup(signature);
    }
    sc.gen++;
    sc.on = true;
    sc.hits = sc.misses = 0;
    pthread_mutex_unlock(&sc.lock);
}

static gboolean stale(gpointer key, gpointer value, gpointer data)
{
    (void)key;
    (void)data;
    return ((struct entry *)value)->gen != sc.gen;
}

void pr_shapecache_end(long *hits, long *misses)
{
    pthread_mutex_lock(&sc.lock);
    if (sc.table)
        g_hash_table_foreach_remove(sc.table, stale, NULL);
    sc.on = false;
    if (hits)
        *hits = sc.hits;
    if (misses)
        *misses = sc.misses;
    pthread_mutex_unlock(&sc.lock);
}

void pr_shapecache_free(void)
{
    pthread_mutex_lock(&sc.lock);
    if (sc.table)
        g_hash_table_destroy(sc.table);
    sc.table = NULL;
    g_free(sc.sig);
    sc.sig = NULL;
    sc.on = false;
    pthread_mutex_unlock(&sc.lock);
}

bool pr_shapecache_on(void)
{
    pthread_mutex_lock(&sc.lock);
    bool on = sc.on;
    pthread_mutex_unlock(&sc.lock);
    return on;
}

bool pr_shapecache_get(GBytes *key, struct pr_text *t)
{
    pthread_mutex_lock(&sc.lock);
    struct entry *e = sc.on ? g_hash_table_lookup(sc.table, key) : NULL;
    if (e) {
        e->gen = sc.gen;
        copy_lines(&t->lines, &t->nlines, e->lines, e->nlines);
        t->total_fit = e->total_fit;
        sc.hits++;
    } else
        sc.misses++;
    pthread_mutex_unlock(&sc.lock);
    return e != NULL;
}

void pr_shapecache_put(GBytes *key, const struct pr_text *t)
{
    struct entry *e = pr_xmalloc(sizeof *e);
    copy_lines(&e->lines, &e->nlines, t->lines, t->nlines);
    e->total_fit = t->total_fit;
    pthread_mutex_lock(&sc.lock);
    e->gen = sc.gen;
    if (sc.on)
        g_hash_table_replace(sc.table, g_bytes_ref(key), e);
    else
        entry_free(e);
    pthread_mutex_unlock(&sc.lock);
}

/* kept.h - what a process keeps from one build to the next (pressrun
 * watch): bytes by bytes, shared by its threads (one lock each store),
 * emptied whole when a store holds more than its limit. flow.c keeps its
 * balanced last pages in one, pdftext.c its deflated page streams, hyph.c
 * its hyphenated paragraphs. */
#ifndef PR_KEPT_H
#define PR_KEPT_H
#include <glib.h>

struct pr_kept {
    GMutex lock;
    GHashTable *table; /* GBytes * -> GBytes *; NULL: empty */
    size_t bytes;
    size_t max;        /* the limit, in bytes of keys and values */
};
#define PR_KEPT_INIT(limit) {.max = (limit)}

/* The value kept for key (a reference: g_bytes_unref it), or NULL. */
GBytes *pr_kept_get(struct pr_kept *k, GBytes *key);
/* Keep value for key (both referenced, not taken). */
void pr_kept_put(struct pr_kept *k, GBytes *key, GBytes *value);
/* Empty the store. */
void pr_kept_free(struct pr_kept *k);
#endif

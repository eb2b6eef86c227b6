/* kept.c - a process's stores of bytes by bytes, kept between builds
 * (kept.h). */
#include "kept.h"

GBytes *pr_kept_get(struct pr_kept *k, GBytes *key)
{
    g_mutex_lock(&k->lock);
    GBytes *v = k->table ? g_hash_table_lookup(k->table, key) : NULL;
    if (v)
        g_bytes_ref(v);
    g_mutex_unlock(&k->lock);
    return v;
}

void pr_kept_put(struct pr_kept *k, GBytes *key, GBytes *value)
{
    size_t n = g_bytes_get_size(key) + g_bytes_get_size(value) + 64;
    g_mutex_lock(&k->lock);
    if (!k->table || k->bytes + n > k->max) {
        if (k->table)
            g_hash_table_destroy(k->table);
        k->table = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref,
                                         (GDestroyNotify)g_bytes_unref);
        k->bytes = 0;
    }
    k->bytes += n;
    g_hash_table_replace(k->table, g_bytes_ref(key), g_bytes_ref(value));
    g_mutex_unlock(&k->lock);
}

void pr_kept_free(struct pr_kept *k)
{
    g_mutex_lock(&k->lock);
    if (k->table)
        g_hash_table_destroy(k->table);
    k->table = NULL;
    k->bytes = 0;
    g_mutex_unlock(&k->lock);
}

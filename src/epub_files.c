/* epub_files.c - EPUB back end: the book's files, below the writers that
 * fill them: safe file names, documents added to the book, the pictures
 * copied in (read, their type sniffed, an href each). Called by the
 * XHTML, stylesheet and package writers and by out_epub.c; calls none. */
#include "epub_int.h"
#include <stdio.h>
#include <string.h>

/* A file's bytes, in the arena; NULL when it cannot be read. */
const void *pr_epub_read_bytes(struct epub *e, const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    GByteArray *buf = g_byte_array_new();
    unsigned char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        g_byte_array_append(buf, chunk, (guint)n);
    bool ok = !ferror(f);
    fclose(f);
    void *data = NULL;
    if (ok) {
        data = pr_arena_alloc(e->A, buf->len ? buf->len : 1);
        memcpy(data, buf->data, buf->len);
        *len = buf->len;
    }
    g_byte_array_free(buf, TRUE);
    return data;
}

/* Media type and extension from the file's first bytes; NULL if neither
 * PNG nor JPEG (the typesetter accepts only those). */
const char *pr_epub_sniff(const unsigned char *p, size_t len, const char **ext)
{
    if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) {
        *ext = "png";
        return "image/png";
    }
    if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
        *ext = "jpg";
        return "image/jpeg";
    }
    return NULL;
}

/* The href of the image at `path` inside the book, copied in on first use
 * (as it is: the same bytes, its own media type). NULL when it cannot be
 * read, reported at pos. */
const char *pr_epub_image_href(struct epub *e, const char *path, struct pr_pos pos)
{
    for (int i = 0; i < e->npaths; i++)
        if (strcmp(e->paths[i], path) == 0)
            return e->images[i].name;
    size_t len = 0;
    const unsigned char *data = pr_epub_read_bytes(e, path, &len);
    const char *ext = NULL, *type = data ? pr_epub_sniff(data, len, &ext) : NULL;
    if (!type) {
        pr_diag(&e->b->diags, PR_D_IMAGE, pos, "cannot put image '%s' into the EPUB: %s", path,
                data ? "not a PNG or JPEG file" : "cannot read it");
        e->failed = true;
        return NULL;
    }
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const char *dot = strrchr(base, '.');
    char *stem = pr_arena_strndup(e->A, base, dot && dot > base ? (size_t)(dot - base) : strlen(base));
    return pr_epub_add_image(e, path, stem, data, len, type, ext);
}

const char *pr_epub_add_image(struct epub *e, const char *key, const char *stem, const void *data, size_t len,
                              const char *type, const char *ext)
{
    struct entry *im = PR_PUSH(e->A, e->images, e->nimages, e->images_cap);
    im->name = pr_arena_printf(e->A, "images/%02d-%s.%s", e->nimages, pr_epub_safe_name(e->A, stem, 40), ext);
    im->id = pr_arena_printf(e->A, "img%02d", e->nimages);
    im->type = type;
    im->data = data;
    im->len = len;
    *PR_PUSH(e->A, e->paths, e->npaths, e->paths_cap) = key;
    return im->name;
}

/* An ASCII file-name piece from any string: letters and digits kept
 * (lower-cased), runs of anything else turned into one '-'. */
char *pr_epub_safe_name(struct pr_arena *A, const char *s, size_t max)
{
    char *out = pr_arena_alloc(A, max + 1);
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p && n < max; p++) {
        if (g_ascii_isalnum(*p))
            out[n++] = (char)g_ascii_tolower(*p);
        else if (n > 0 && out[n - 1] != '-')
            out[n++] = '-';
    }
    while (n > 0 && out[n - 1] == '-')
        n--;
    out[n] = 0;
    return n ? out : pr_arena_strdup(A, "x");
}

/* The text of a finished document moves into the arena. */
void pr_epub_add_doc(struct epub *e, const char *name, const char *id, const char *type, GString *g)
{
    struct entry *d = PR_PUSH(e->A, e->docs, e->ndocs, e->docs_cap);
    d->name = name;
    d->id = id;
    d->type = type;
    d->len = g->len;
    d->data = pr_arena_strndup(e->A, g->str, g->len);
    g_string_free(g, TRUE);
}

/* A finished document by its name. */
const struct entry *pr_epub_doc_named(const struct epub *e, const char *name)
{
    for (int i = 0; i < e->ndocs; i++)
        if (strcmp(e->docs[i].name, name) == 0)
            return &e->docs[i];
    return NULL;
}

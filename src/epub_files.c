/* epub_files.c - EPUB back end: the book's files, below the writers that
 * fill them: safe file names, documents added to the book, the pictures
 * put in (each as e-readers want it, made by image_web.c; an href each).
 * Called by the XHTML, stylesheet and package writers and by out_epub.c. */
#include "epub_int.h"
#include "image.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const void *pr_epub_picture(struct epub *e, const char *path, size_t *len, const char **type, const char **ext,
                            char *err, size_t errlen)
{
    unsigned char *d = pr_image_web(path, PR_EPUB_IMAGE_SIDE, PR_EPUB_IMAGE_PIXELS, len, type, ext, err, errlen);
    if (!d)
        return NULL;
    void *data = pr_arena_alloc(e->A, *len ? *len : 1);
    memcpy(data, d, *len);
    free(d);
    return data;
}

/* The href of the image at `path` inside the book, put in on first use
 * (as e-readers want it: pr_epub_picture). NULL when it cannot be, reported
 * at pos. */
const char *pr_epub_image_href(struct epub *e, const char *path, struct pr_pos pos)
{
    for (int i = 0; i < e->npaths; i++)
        if (strcmp(e->paths[i], path) == 0)
            return e->images[i].name;
    size_t len = 0;
    const char *ext = NULL, *type = NULL;
    char err[512];
    const void *data = pr_epub_picture(e, path, &len, &type, &ext, err, sizeof err);
    if (!data) {
        pr_diag(&e->b->diags, PR_D_IMAGE, pos, "cannot put image '%s' into the EPUB: %s", path, err);
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

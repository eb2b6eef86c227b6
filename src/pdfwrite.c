/* pdfwrite.c - the screen PDF's post-pass without qpdf. qpdf read every
 * object of cairo's file and wrote every one of them again: 55 ms of the
 * 64-article issue's 72 ms post-pass, which is the build's serial tail.
 * Here cairo's file (with the update pdftext.c appended: the text layer's
 * streams) is read with pdfscan.c, the objects the post-pass changes or
 * adds are made as PDF text, and the file is written anew: the objects
 * reachable from the catalog and the document information, each at its
 * own number (cairo's other objects copied byte for byte, the new ones
 * numbered after them), a classic cross-reference table, an /ID from an
 * MD5 of the body. It does for a screen PDF what pdfboxes.c has qpdf do:
 * the text layer on the pages and its fonts embedded, the pages in their
 * order with their artifact layers as forms, page labels, link
 * annotations, named destinations, the colour of supplied JPEGs, the
 * tagged PDF's keys into its structure tree, XMP, supplied PDF ads (qpdf
 * still reads the advertiser's file: pdfplace.c writes the page's form as
 * a small PDF of its own, whose objects come in here numbered after
 * ours). What it does not do goes through qpdf as before: the print PDF,
 * slug lines and Arabic text (its words joined by pdfjoin.c). A
 * dictionary changed is written with its entries in their order, a new
 * entry last; a resource dictionary cairo wrote inline is made an object
 * of its own when an entry is added. Called by pdfboxes.c; pdftags.c
 * appends the structure tree to what it writes. */
#include "pdfpost.h"
#include "image.h"
#include "pdfad.h"
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* A dictionary being changed: its entries' keys and values as text. */
struct dict {
    GPtrArray *keys, *vals;
};

/* An object of the file written. */
struct wobj {
    char *text;            /* its value as written; NULL: cairo's, as it is */
    struct dict *edit;     /* being changed (its text made when written) */
    unsigned char *data;   /* a stream's data (malloc'd), or */
    const char *borrowed;  /* a stream's data in cairo's file (its dictionary changed) */
    size_t n;
    bool stream, keep;
};

struct objs {
    struct pr_pdfscan s;   /* cairo's file */
    struct wobj *o;
    int n, cap;            /* objects 1 .. n-1 */
};

/* ---------- dictionaries as text ---------- */

static struct dict *dict_new(void)
{
    struct dict *d = g_new(struct dict, 1);
    d->keys = g_ptr_array_new_with_free_func(g_free);
    d->vals = g_ptr_array_new_with_free_func(g_free);
    return d;
}

static void dict_free(struct dict *d)
{
    if (!d)
        return;
    g_ptr_array_unref(d->keys);
    g_ptr_array_unref(d->vals);
    g_free(d);
}

static int dict_find(const struct dict *d, const char *key)
{
    for (guint i = 0; i < d->keys->len; i++)
        if (strcmp(g_ptr_array_index(d->keys, i), key) == 0)
            return (int)i;
    return -1;
}

static const char *dict_get(const struct dict *d, const char *key)
{
    int i = dict_find(d, key);
    return i < 0 ? NULL : g_ptr_array_index(d->vals, i);
}

/* Set key to val (malloc'd, taken). */
static void dict_put(struct dict *d, const char *key, char *val)
{
    int i = dict_find(d, key);
    if (i < 0) {
        g_ptr_array_add(d->keys, g_strdup(key));
        g_ptr_array_add(d->vals, val);
    } else {
        g_free(d->vals->pdata[i]);
        d->vals->pdata[i] = val;
    }
}

/* Dictionary text parsed; NULL when it is not one. */
static struct dict *dict_parse(const char *text, size_t len)
{
    struct dict *d = dict_new();
    const char *at = NULL, *k, *v;
    size_t kl, vl;
    int r;
    while ((r = pr_pdfscan_next(text, len, &at, &k, &kl, &v, &vl)) == 1) {
        /* (a key twice: the last stands, as qpdf reads it; cairo writes
         * an image drawn twice on a page twice) */
        char *key = g_strndup(k, kl);
        dict_put(d, key, g_strndup(v, vl));
        g_free(key);
    }
    if (r < 0) {
        dict_free(d);
        return NULL;
    }
    return d;
}

static void dict_drop(struct dict *d, const char *key)
{
    int i = dict_find(d, key);
    if (i >= 0) {
        g_ptr_array_remove_index(d->keys, (guint)i);
        g_ptr_array_remove_index(d->vals, (guint)i);
    }
}

static char *dict_text(const struct dict *d)
{
    GString *g = g_string_new("<<");
    for (guint i = 0; i < d->keys->len; i++)
        g_string_append_printf(g, " %s %s", (const char *)g_ptr_array_index(d->keys, i),
                               (const char *)g_ptr_array_index(d->vals, i));
    g_string_append(g, " >>");
    return g_string_free(g, FALSE);
}

static char *ref(int id)
{
    return g_strdup_printf("%d 0 R", id);
}

/* A real number with at most two decimals, as qpdf writes one. */
static void real(GString *g, double v)
{
    char b[48];
    snprintf(b, sizeof b, "%.2f", v);
    char *e = b + strlen(b);
    while (e > b && e[-1] == '0')
        *--e = 0;
    if (e > b && e[-1] == '.')
        *--e = 0;
    g_string_append(g, strcmp(b, "-0") == 0 ? "0" : b);
}

/* ---------- the objects ---------- */

static int objs_add(struct objs *o, char *text, unsigned char *data, size_t n)
{
    if (o->n == o->cap) {
        o->cap = o->cap * 2;
        o->o = pr_xrealloc(o->o, (size_t)o->cap * sizeof *o->o);
    }
    struct wobj *w = &o->o[o->n];
    memset(w, 0, sizeof *w);
    w->text = text;
    w->data = data;
    w->n = n;
    w->stream = data != NULL;
    return o->n++;
}

/* (pr_pdftext_emit's way to add an object) */
static int add_object(void *ctx, char *text, unsigned char *data, size_t n)
{
    return objs_add(ctx, text, data, n);
}

/* Object id's value text as it stands (cairo's, or as changed). */
static bool value_of(struct objs *o, int id, const char **v, size_t *vl)
{
    if (id <= 0 || id >= o->n)
        return false;
    struct wobj *w = &o->o[id];
    if (w->edit) {
        g_free(w->text);
        w->text = dict_text(w->edit);
    }
    if (w->text) {
        *v = w->text;
        *vl = strlen(w->text);
        return true;
    }
    return pr_pdfscan_object(&o->s, id, v, vl);
}

/* Object id's dictionary, to change; NULL when it is not one. A stream
 * keeps its data (cairo's, borrowed). */
static struct dict *edit(struct objs *o, int id)
{
    if (id <= 0 || id >= o->n)
        return NULL;
    struct wobj *w = &o->o[id];
    if (w->edit)
        return w->edit;
    const char *v, *data;
    size_t vl, n;
    if (!w->text && !w->stream && pr_pdfscan_stream(&o->s, id, &v, &vl, &data, &n)) {
        w->stream = true;
        w->borrowed = data;
        w->n = n;
    } else if (!value_of(o, id, &v, &vl))
        return NULL;
    w->edit = dict_parse(v, vl);
    return w->edit;
}

/* The object number of the dictionary under key in d, to change: made
 * when there is none, made an object of its own when it is inline; 0 when
 * it is something else. */
static int sub_obj(struct objs *o, struct dict *d, const char *key)
{
    const char *v = dict_get(d, key);
    int id = v ? pr_pdfscan_ref(v, strlen(v)) : 0;
    if (id)
        return edit(o, id) ? id : 0;
    struct dict *sub = v ? dict_parse(v, strlen(v)) : dict_new();
    if (!sub)
        return 0;
    id = objs_add(o, NULL, NULL, 0);
    o->o[id].edit = sub;
    dict_put(d, key, ref(id));
    return id;
}

/* The items of array text val (or of the array object it points to)
 * appended to out, each with a space before it; false when val is not an
 * array (a stream's reference, say). */
static bool items_of(struct objs *o, const char *val, GString *out)
{
    const char *v = val;
    size_t vl = strlen(val);
    int id = pr_pdfscan_ref(v, vl);
    if (id && !value_of(o, id, &v, &vl))
        return false;
    while (vl > 0 && g_ascii_isspace(*v))
        v++, vl--;
    if (vl == 0 || *v != '[')
        return false;
    const char *it;
    size_t il;
    for (int k = 0; pr_pdfscan_item(v, vl, k, &it, &il); k++)
        g_string_append_printf(out, " %.*s", (int)il, it);
    return true;
}

/* The items of page dictionary pg's /Contents appended to out, each with
 * a space before it: an array's items, or the one stream it points to. */
static void contents_items(struct objs *o, const struct dict *pg, GString *out)
{
    const char *c = dict_get(pg, "/Contents");
    if (c && !items_of(o, c, out))
        g_string_append_printf(out, " %s", c);
}

/* ---------- the page tree ---------- */

static const char *const inheritable[] = {"/Resources", "/MediaBox", "/CropBox", "/Rotate"};

/* The pages under node id in order into pages (n so far, at most max),
 * each given what it inherits from the nodes above it (qpdf's
 * pushInheritedAttributesToPage); false when the tree reads wrong. */
static bool walk_pages(struct objs *o, int id, int *pages, int *n, int max, struct dict *inherit, int depth)
{
    struct dict *d = edit(o, id);
    const char *type = d ? dict_get(d, "/Type") : NULL;
    if (!type || depth > 32)
        return false;
    if (strcmp(type, "/Page") == 0) {
        if (*n >= max)
            return false;
        for (guint i = 0; i < inherit->keys->len; i++)
            if (!dict_get(d, g_ptr_array_index(inherit->keys, i)))
                dict_put(d, g_ptr_array_index(inherit->keys, i), g_strdup(g_ptr_array_index(inherit->vals, i)));
        pages[(*n)++] = id;
        return true;
    }
    const char *kids = dict_get(d, "/Kids");
    if (!kids)
        return false;
    struct dict *mine = dict_new();
    for (guint i = 0; i < inherit->keys->len; i++)
        dict_put(mine, g_ptr_array_index(inherit->keys, i), g_strdup(g_ptr_array_index(inherit->vals, i)));
    for (size_t k = 0; k < G_N_ELEMENTS(inheritable); k++) {
        const char *v = dict_get(d, inheritable[k]);
        if (v)
            dict_put(mine, inheritable[k], g_strdup(v));
        dict_drop(d, inheritable[k]);
    }
    GString *items = g_string_new(NULL);
    bool ok = items_of(o, kids, items);
    const char *it;
    size_t il;
    g_string_prepend_c(items, '[');
    g_string_append_c(items, ']');
    for (int k = 0; ok && pr_pdfscan_item(items->str, items->len, k, &it, &il); k++)
        ok = walk_pages(o, pr_pdfscan_ref(it, il), pages, n, max, mine, depth + 1);
    g_string_free(items, TRUE);
    dict_free(mine);
    return ok;
}

/* ---------- the screen PDF's changes ---------- */

struct run {
    struct objs *o;
    const struct pr_pdf_post *post;
    int root, pages_root;
    int *painted, npainted; /* page objects, as cairo painted them */
    int *at;                /* the finished PDF's pages */
    char *err;
    size_t errlen;
};

/* Stream data decoded (none or FlateDecode alone): malloc'd, *n long;
 * NULL for another filter. */
static unsigned char *decoded(struct objs *o, int id, size_t *n)
{
    const char *d, *data, *f;
    size_t dl, len, fl;
    if (id < (int)o->s.size && o->o[id].text == NULL && pr_pdfscan_stream(&o->s, id, &d, &dl, &data, &len)) {
        if (!pr_pdfscan_key(d, dl, "/Filter", &f, &fl)) {
            *n = len;
            return g_memdup2(data, len);
        }
        if (fl != 12 || memcmp(f, "/FlateDecode", 12) != 0 || pr_pdfscan_key(d, dl, "/DecodeParms", &f, &fl))
            return NULL;
        z_stream z = {0};
        if (inflateInit(&z) != Z_OK)
            return NULL;
        size_t cap = len * 4 + 256, got = 0;
        unsigned char *out = pr_xmalloc(cap);
        z.next_in = (Bytef *)data;
        z.avail_in = (uInt)len;
        int zr;
        do {
            if (got == cap) {
                cap *= 2;
                out = pr_xrealloc(out, cap);
            }
            z.next_out = out + got;
            z.avail_out = (uInt)(cap - got);
            zr = inflate(&z, Z_NO_FLUSH);
            got = cap - z.avail_out;
        } while (zr == Z_OK);
        inflateEnd(&z);
        if (zr != Z_STREAM_END) {
            free(out);
            return NULL;
        }
        *n = got;
        return out;
    }
    struct wobj *w = id > 0 && id < o->n ? &o->o[id] : NULL;
    if (!w || !w->data || !w->text || strstr(w->text, "/Filter")) /* (ours: unfiltered, or not ours to read) */
        return NULL;
    *n = w->n;
    return g_memdup2(w->data, w->n);
}

/* Does a font cairo embedded read as Arabic (a Type0 font whose
 * ToUnicode has an Arabic letter, as pdfjoin.c asks)? Then its words are
 * joined, with qpdf. */
static bool cairo_arabic(struct objs *o)
{
    for (int id = 1; id < o->s.size; id++) {
        const char *d, *v;
        size_t dl, vl, n;
        if (!pr_pdfscan_object(&o->s, id, &d, &dl) || !g_strstr_len(d, (gssize)dl, "/Type0") ||
            !pr_pdfscan_key(d, dl, "/Subtype", &v, &vl) || vl != 6 || memcmp(v, "/Type0", 6) != 0 ||
            !pr_pdfscan_key(d, dl, "/ToUnicode", &v, &vl))
            continue;
        unsigned char *cmap = decoded(o, pr_pdfscan_ref(v, vl), &n);
        bool yes = !cmap || pr_pdf_tounicode_arabic((const char *)cmap, n);
        free(cmap);
        if (yes)
            return true;
    }
    return false;
}

/* The text layer over the pages cairo painted and its fonts embedded
 * (pr_pdftext_apply's): cairo's content in q ... Q, ours after it. */
static int text_layer(struct run *r, bool *v16)
{
    struct pr_pdftext *t = r->post->text;
    int nf = 0;
    const unsigned char *fonts;
    int *ids = NULL;
    int any = pr_pdftext_emit(t, add_object, r->o, &ids, v16, r->err, r->errlen);
    if (any <= 0) {
        free(ids);
        return any;
    }
    int open, close;
    pr_pdftext_wraps(t, &open, &close);
    for (int i = 0; i < r->npainted; i++) {
        int obj = pr_pdftext_page(t, i, &fonts, &nf);
        if (!obj)
            continue;
        struct dict *pg = edit(r->o, r->painted[i]);
        GString *arr = g_string_new(NULL);
        g_string_printf(arr, "[%d 0 R", open);
        contents_items(r->o, pg, arr);
        g_string_append_printf(arr, " %d 0 R %d 0 R]", close, obj);
        dict_put(pg, "/Contents", g_string_free(arr, FALSE));
        int res = sub_obj(r->o, pg, "/Resources");
        int fr = res ? sub_obj(r->o, edit(r->o, res), "/Font") : 0;
        if (!fr) {
            free(ids);
            snprintf(r->err, r->errlen, "cannot add the text to the pages");
            return -1;
        }
        for (int f = 0; f < nf; f++)
            if (fonts[f] && ids[f]) {
                char key[24];
                snprintf(key, sizeof key, "/PRT%d", f);
                dict_put(edit(r->o, fr), key, ref(ids[f]));
            }
    }
    free(ids);
    return 1;
}

/* A painted page as a form XObject (its content and resources), to be
 * laid over another page (pdfboxes.c's page_form): its one content stream
 * as it is, several joined. 0 when its streams cannot be read. */
static int page_form(struct run *r, int page, double w, double h)
{
    struct objs *o = r->o;
    struct dict *pg = edit(o, page);
    GString *items = g_string_new("[");
    contents_items(o, pg, items);
    g_string_append(items, " ]");
    const char *it, *one;
    size_t il, onel;
    int form = 0;
    if (pr_pdfscan_item(items->str, items->len, 0, &one, &onel) &&
        !pr_pdfscan_item(items->str, items->len, 1, &it, &il))
        form = pr_pdfscan_ref(one, onel);
    /* (edit() finds whether it is a stream) */
    if (form && (!edit(o, form) || !o->o[form].stream))
        form = 0;
    if (!form) {
        GByteArray *all = g_byte_array_new();
        bool ok = true;
        for (int k = 0; ok && pr_pdfscan_item(items->str, items->len, k, &it, &il); k++) {
            size_t n = 0;
            unsigned char *data = decoded(o, pr_pdfscan_ref(it, il), &n);
            ok = data != NULL;
            if (ok) {
                if (k > 0)
                    g_byte_array_append(all, (const guint8 *)"\n", 1);
                g_byte_array_append(all, data, (guint)n);
            }
            free(data);
        }
        size_t zn = 0;
        unsigned char *z = ok ? pr_pdf_deflate(all->data, all->len, 6, &zn) : NULL;
        g_byte_array_unref(all);
        if (!z) {
            g_string_free(items, TRUE);
            return 0;
        }
        form = objs_add(o, NULL, z, zn);
        o->o[form].edit = dict_new();
        dict_put(o->o[form].edit, "/Filter", g_strdup("/FlateDecode"));
    }
    g_string_free(items, TRUE);
    struct dict *d = o->o[form].edit;
    dict_put(d, "/Type", g_strdup("/XObject"));
    dict_put(d, "/Subtype", g_strdup("/Form"));
    GString *box = g_string_new("[0 0 ");
    real(box, w);
    g_string_append_c(box, ' ');
    real(box, h);
    g_string_append_c(box, ']');
    dict_put(d, "/BBox", g_string_free(box, FALSE));
    const char *res = dict_get(pg, "/Resources");
    if (res)
        dict_put(d, "/Resources", g_strdup(res));
    return form;
}

/* A tagged page's artifacts laid under and over its content as marked
 * forms, the wrapping streams shared (pdfboxes.c's lay_artifacts). */
static bool lay_artifacts(struct run *r, int page, const int forms[3], int wraps[2][2])
{
    struct objs *o = r->o;
    struct dict *pg = edit(o, page);
    GString *mid = g_string_new(NULL);
    contents_items(o, pg, mid);
    int res = sub_obj(o, pg, "/Resources");
    int xo = res ? sub_obj(o, edit(o, res), "/XObject") : 0;
    if (!xo) {
        g_string_free(mid, TRUE);
        return false;
    }
    int ids[2];
    for (int l = PR_LAYER_UNDER; l <= PR_LAYER_OVER; l++) {
        const char *name = l == PR_LAYER_UNDER ? "/PRArtUnder" : "/PRArtOver";
        int w = l == PR_LAYER_UNDER ? 0 : 1, has = forms[l] != 0;
        if (has)
            dict_put(edit(o, xo), name, ref(forms[l]));
        if (!wraps[w][has]) {
            size_t n;
            char *g = pr_pdf_artifact_wrap(l, has, &n);
            wraps[w][has] = objs_add(o, g_strdup("<< >>"), (unsigned char *)g, n);
        }
        ids[w] = wraps[w][has];
    }
    dict_put(pg, "/Contents", g_strdup_printf("[%d 0 R%s %d 0 R]", ids[0], mid->str, ids[1]));
    g_string_free(mid, TRUE);
    return true;
}

/* The pages in their places, the layer pages as forms on theirs
 * (pdfboxes.c's arrange); r->at: the finished PDF's pages. */
static bool arrange(struct run *r, double w, double h)
{
    const struct pr_pdf_post *post = r->post;
    int n = post->npainted, np = post->npages;
    r->at = pr_xmalloc((size_t)(np ? np : 1) * sizeof *r->at);
    bool moved = n != np;
    for (int i = 0; i < n && !moved; i++)
        moved = post->order[i] != i;
    if (!moved) {
        memcpy(r->at, r->painted, (size_t)np * sizeof *r->at);
        return true;
    }
    int (*forms)[3] = pr_xmalloc((size_t)(np ? np : 1) * sizeof *forms);
    memset(forms, 0, (size_t)(np ? np : 1) * sizeof *forms);
    memset(r->at, 0, (size_t)(np ? np : 1) * sizeof *r->at);
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        int t = post->order[i];
        if (t < 0 || t >= np)
            continue;
        if (post->layer && post->layer[i] != PR_LAYER_CONTENT)
            ok = (forms[t][post->layer[i]] = page_form(r, r->painted[i], w, h)) > 0;
        else
            r->at[t] = r->painted[i];
    }
    for (int i = 0; i < np && ok; i++)
        ok = r->at[i] > 0;
    /* one flat page tree */
    struct dict *tree = ok ? edit(r->o, r->pages_root) : NULL;
    if (tree) {
        GString *kids = g_string_new("[");
        for (int i = 0; i < np; i++) {
            g_string_append_printf(kids, "%s%d 0 R", i ? " " : "", r->at[i]);
            dict_put(edit(r->o, r->at[i]), "/Parent", ref(r->pages_root));
        }
        g_string_append_c(kids, ']');
        dict_put(tree, "/Kids", g_string_free(kids, FALSE));
        dict_put(tree, "/Count", g_strdup_printf("%d", np));
    }
    ok = ok && tree;
    int wraps[2][2] = {{0, 0}, {0, 0}};
    for (int i = 0; i < np && ok; i++)
        if (forms[i][PR_LAYER_UNDER] || forms[i][PR_LAYER_OVER])
            ok = lay_artifacts(r, r->at[i], forms[i], wraps);
    free(forms);
    return ok;
}

/* /PageLabels (pdfboxes.c's page_labels). */
static void page_labels(struct run *r)
{
    const struct pr_pdf_post *post = r->post;
    GString *g = g_string_new("<< /Nums [");
    long expect = -1, start;
    for (int i = 0; i < post->npages; i++) {
        if (!pr_pdf_label_range(post, i, &expect, &start))
            continue;
        g_string_append_printf(g, " %d ", i);
        if (start > 0)
            g_string_append_printf(g, "<< /S /D /St %ld >>", start);
        else {
            g_string_append(g, "<< /P ");
            pr_pdf_text_string(g, post->labels[i] ? post->labels[i] : "");
            g_string_append(g, " >>");
        }
    }
    g_string_append(g, " ] >>");
    dict_put(edit(r->o, r->root), "/PageLabels", g_string_free(g, FALSE));
}

/* The link annotations (pdfboxes.c's links); ids[i]: link i's. */
static void links(struct run *r, int *ids)
{
    const struct pr_pdf_post *post = r->post;
    const struct pr_pdf_marks *m = post->marks;
    double page_h = post->page_h;
    GHashTable *dests = g_hash_table_new(g_str_hash, g_str_equal);
    for (int i = m->ndests - 1; i >= 0; i--)
        g_hash_table_insert(dests, (gpointer)m->dests[i].name, (gpointer)&m->dests[i]);
    GString **added = pr_xmalloc((size_t)(post->npages ? post->npages : 1) * sizeof *added);
    memset(added, 0, (size_t)(post->npages ? post->npages : 1) * sizeof *added);
    for (int i = 0; i < m->nlinks; i++) {
        const struct pr_pdf_link *l = &m->links[i];
        if (l->page < 0 || l->page >= post->npages)
            continue;
        const struct pr_pdf_dest *d = l->uri ? NULL : l->dest ? g_hash_table_lookup(dests, l->dest) : NULL;
        if (!l->uri && (!d || d->page < 0 || d->page >= post->npages))
            continue;
        GString *a = g_string_new("<< /Type /Annot /Subtype /Link /Rect [");
        real(a, l->x);
        g_string_append_c(a, ' ');
        real(a, page_h - (l->y + l->h));
        g_string_append_c(a, ' ');
        real(a, l->x + l->w);
        g_string_append_c(a, ' ');
        real(a, page_h - l->y);
        g_string_append(a, "] /Border [0 0 0]");
        if (l->uri) {
            g_string_append(a, " /A << /S /URI /URI ");
            pr_pdf_byte_string(a, l->uri);
            g_string_append(a, " >>");
        } else {
            g_string_append_printf(a, " /Dest [%d 0 R /XYZ null ", r->at[d->page]);
            real(a, page_h - d->y + 4);
            g_string_append(a, " null]");
        }
        char *what = pr_pdf_link_says(post, l, d);
        g_string_append(a, " /Contents ");
        pr_pdf_text_string(a, what);
        g_free(what);
        g_string_append(a, " >>");
        ids[i] = objs_add(r->o, g_string_free(a, FALSE), NULL, 0);
        if (!added[l->page])
            added[l->page] = g_string_new(NULL);
        g_string_append_printf(added[l->page], " %d 0 R", ids[i]);
    }
    for (int p = 0; p < post->npages; p++) {
        if (!added[p])
            continue;
        struct dict *pg = edit(r->o, r->at[p]);
        const char *had = dict_get(pg, "/Annots");
        GString *arr = g_string_new("[");
        if (had)
            items_of(r->o, had, arr);
        g_string_append_printf(arr, "%s ]", added[p]->str);
        dict_put(pg, "/Annots", g_string_free(arr, FALSE));
        g_string_free(added[p], TRUE);
    }
    free(added);
    g_hash_table_destroy(dests);
}

/* The named destinations (pdfboxes.c's dest_names). */
static bool dest_names(struct run *r)
{
    const struct pr_pdf_post *post = r->post;
    const struct pr_pdf_marks *m = post->marks;
    const struct pr_pdf_dest **v = pr_xmalloc((size_t)(m->ndests + 1) * sizeof *v);
    for (int i = 0; i < m->ndests; i++)
        v[i] = &m->dests[i];
    qsort(v, (size_t)m->ndests, sizeof *v, pr_pdf_dest_cmp);
    GString *g = g_string_new("<< /Names [");
    for (int i = 0; i < m->ndests; i++) {
        const struct pr_pdf_dest *d = v[i];
        if ((i > 0 && strcmp(d->name, v[i - 1]->name) == 0) || d->page < 0 || d->page >= post->npages)
            continue;
        g_string_append_c(g, ' ');
        pr_pdf_byte_string(g, d->name);
        g_string_append_printf(g, " [%d 0 R /XYZ %lld %lld 0]", r->at[d->page], (long long)floor(d->x),
                               (long long)lround(post->page_h - floor(d->y)));
    }
    g_string_append(g, " ] >>");
    free(v);
    int tree = objs_add(r->o, g_string_free(g, FALSE), NULL, 0);
    int names = sub_obj(r->o, edit(r->o, r->root), "/Names");
    if (names)
        dict_put(edit(r->o, names), "/Dests", ref(tree));
    return names > 0;
}

/* A JPEG that cairo put in as it is keeps its values; its own profile and
 * Adobe's inverted CMYK are said beside them (pdfboxes.c's jpeg_colour). */
static void jpeg_colour(struct run *r)
{
    struct objs *o = r->o;
    for (int id = 1; id < o->s.size; id++) {
        const char *d, *data, *v;
        size_t dl, n, vl;
        if (o->o[id].text || o->o[id].edit || !pr_pdfscan_object(&o->s, id, &d, &dl) ||
            !g_strstr_len(d, (gssize)dl, "/DCTDecode") || !pr_pdfscan_stream(&o->s, id, &d, &dl, &data, &n) ||
            !pr_pdfscan_key(d, dl, "/Filter", &v, &vl) || vl != 10 || memcmp(v, "/DCTDecode", 10) != 0 ||
            !pr_pdfscan_key(d, dl, "/ColorSpace", &v, &vl) || *v != '/' || pr_pdfscan_key(d, dl, "/Decode", &v, &vl))
            continue;
        unsigned char *icc = NULL;
        size_t icc_len = 0;
        bool inverted = false;
        int nc = 0;
        if (!pr_image_jpeg_colour((const unsigned char *)data, n, &nc, &inverted, &icc, &icc_len))
            continue;
        struct dict *e = edit(o, id);
        if (e && inverted)
            dict_put(e, "/Decode", g_strdup("[1 0 1 0 1 0 1 0]"));
        if (e && icc) {
            size_t zn = 0;
            unsigned char *z = pr_pdf_deflate(icc, icc_len, 6, &zn);
            if (z) {
                int s = objs_add(o, g_strdup_printf("<< /N %d /Filter /FlateDecode >>", nc), z, zn);
                dict_put(e, "/ColorSpace", g_strdup_printf("[/ICCBased %d 0 R]", s));
            }
        }
        free(icc);
    }
}

/* The keys that point into the structure tree pdftags.c appends
 * (pr_pdf_tags_prepare's). */
static void tags(struct run *r, const int *annots)
{
    const struct pr_pdf_post *post = r->post;
    const struct pr_pdf_marks *m = post->marks;
    struct dict *root = edit(r->o, r->root);
    dict_drop(root, "/StructTreeRoot");
    for (int i = 0; i < post->npages; i++) {
        struct dict *pg = edit(r->o, r->at[i]);
        if (i < m->mcids_cap && m->mcids[i] > 0)
            dict_put(pg, "/StructParents", g_strdup_printf("%d", i));
        else
            dict_drop(pg, "/StructParents");
    }
    int key = post->npages;
    for (int k = 0; k < m->nlinks; k++) {
        if (!pr_pdf_link_keyed(m, annots, k))
            continue;
        /* (a new annotation: its text, not yet a dictionary) */
        struct wobj *w = &r->o->o[annots[k]];
        size_t n = strlen(w->text);
        char *t = g_strdup_printf("%.*s /StructParent %d >>", (int)(n - 2), w->text, key++);
        g_free(w->text);
        w->text = t;
        dict_put(edit(r->o, r->at[m->links[k].page]), "/Tabs", g_strdup("/S"));
    }
    dict_put(root, "/MarkInfo", g_strdup("<< /Marked true >>"));
    int vp = sub_obj(r->o, root, "/ViewerPreferences");
    if (vp)
        dict_put(edit(r->o, vp), "/DisplayDocTitle", g_strdup("true"));
    if (post->lang && *post->lang) {
        GString *g = g_string_new(NULL);
        pr_pdf_text_string(g, post->lang);
        dict_put(root, "/Lang", g_string_free(g, FALSE));
    }
    size_t n;
    char *x = pr_pdf_xmp(post, false, &n);
    int meta = objs_add(r->o, g_strdup("<< /Type /Metadata /Subtype /XML >>"), (unsigned char *)x, n);
    dict_put(root, "/Metadata", ref(meta));
}

/* ---------- supplied ads ---------- */

/* An ad page's form brought in from the PDF pr_pdf_ad_form_pdf wrote: its
 * objects numbered after ours (map: theirs to ours, 0: not yet). */
struct import {
    struct objs *o;
    const struct pr_pdfscan *s;
    int *map;
};

static int import_obj(struct import *im, int id);

static int import_ref(int id, void *ctx)
{
    return import_obj(ctx, id);
}

static int import_obj(struct import *im, int id)
{
    if (id <= 0 || id >= im->s->size)
        return objs_add(im->o, g_strdup("null"), NULL, 0);
    if (im->map[id])
        return im->map[id];
    int mine = im->map[id] = objs_add(im->o, NULL, NULL, 0);
    const char *d, *data;
    size_t dl, n = 0;
    unsigned char *copy = NULL;
    if (pr_pdfscan_stream(im->s, id, &d, &dl, &data, &n)) {
        copy = pr_xmalloc(n ? n : 1);
        memcpy(copy, data, n);
    } else if (!pr_pdfscan_object(im->s, id, &d, &dl)) {
        d = "null";
        dl = 4;
    }
    char *text = pr_pdfscan_renumber(d, dl, import_ref, im); /* (imports what it points to) */
    struct wobj *w = &im->o->o[mine];
    w->text = text;
    w->data = copy;
    w->n = n;
    w->stream = copy != NULL;
    return mine;
}

/* A box of page dictionary pg (x0 y0 x1 y1); false when it has none. */
static bool box_of(const struct dict *pg, const char *key, double r[4])
{
    const char *v = dict_get(pg, key), *it;
    size_t il;
    for (int i = 0; v && i < 4; i++) {
        if (!pr_pdfscan_item(v, strlen(v), i, &it, &il))
            return false;
        char *x = g_strndup(it, il);
        r[i] = g_ascii_strtod(x, NULL);
        g_free(x);
    }
    if (!v)
        return false;
    double t;
    if (r[0] > r[2])
        t = r[0], r[0] = r[2], r[2] = t;
    if (r[1] > r[3])
        t = r[1], r[1] = r[3], r[3] = t;
    return true;
}

struct ad_form {
    const char *file;
    int src_page;
    bool bleed;
    int form;
    double trim[4];
};

/* The form of ad's page in our objects, brought in the first time. */
static const struct ad_form *ad_form(struct run *r, struct ad_form **forms, int *n, const struct pr_ad_place *ad)
{
    for (int i = 0; i < *n; i++)
        if (!strcmp((*forms)[i].file, ad->file) && (*forms)[i].src_page == ad->src_page &&
            (*forms)[i].bleed == ad->bleed)
            return &(*forms)[i];
    struct ad_form f = {ad->file, ad->src_page, ad->bleed, 0, {0, 0, 0, 0}};
    size_t len = 0;
    unsigned char *buf = pr_pdf_ad_form_pdf(ad, f.trim, &len, r->err, r->errlen);
    struct pr_pdfscan s;
    const char *v, *cat;
    size_t vl, cl;
    if (buf && pr_pdfscan_open(&s, (const char *)buf, len)) {
        if (pr_pdfscan_key(s.trailer, s.trailer_len, "/Root", &v, &vl) &&
            pr_pdfscan_object(&s, pr_pdfscan_ref(v, vl), &cat, &cl) && pr_pdfscan_key(cat, cl, "/PRForm", &v, &vl) &&
            pr_pdfscan_ref(v, vl)) {
            struct import im = {r->o, &s, calloc((size_t)s.size + 1, sizeof(int))};
            f.form = import_obj(&im, pr_pdfscan_ref(v, vl));
            free(im.map);
        }
        pr_pdfscan_close(&s);
    }
    if (buf && !f.form)
        snprintf(r->err, r->errlen, "ad '%s': cannot read its page again", ad->file);
    free(buf);
    if (!f.form)
        return NULL;
    *forms = pr_xrealloc(*forms, (size_t)(*n + 1) * sizeof **forms);
    (*forms)[*n] = f;
    return &(*forms)[(*n)++];
}

/* The ads onto the finished pages (pdfboxes.c's place_ads): each ad
 * page's form under a fresh /PRAdN in the page's resources, the page's
 * content in q ... Q and "q <clip> 1 0 0 1 e f cm /PRAdN Do Q" after it,
 * the ad's TrimBox centred on the slot, never scaled. */
static bool place_ads(struct run *r)
{
    const struct pr_pdf_post *post = r->post;
    struct ad_form *forms = NULL;
    int nforms = 0, q_stream = 0;
    bool *wrapped = calloc((size_t)post->npages + 1, sizeof *wrapped), ok = true;
    for (int i = 0; i < post->nads && ok; i++) {
        const struct pr_ad_place *ad = &post->ads[i];
        if (ad->page < 0 || ad->page >= post->npages || !ad->file) {
            snprintf(r->err, r->errlen, "ad '%s': the PDF has no page %d", ad->file ? ad->file : "", ad->page + 1);
            ok = false;
            break;
        }
        const struct ad_form *f = ad_form(r, &forms, &nforms, ad);
        if (!f) {
            ok = false;
            break;
        }
        int page = r->at[ad->page];
        struct dict *pg = edit(r->o, page);
        double t[4] = {0, 0, 612, 792}, bl[4];
        if (!box_of(pg, "/TrimBox", t) && !box_of(pg, "/CropBox", t))
            box_of(pg, "/MediaBox", t);
        bool has_bleed = box_of(pg, "/BleedBox", bl);
        int res = sub_obj(r->o, pg, "/Resources");
        int xo = res ? sub_obj(r->o, edit(r->o, res), "/XObject") : 0;
        if (!xo) {
            snprintf(r->err, r->errlen, "cannot place the ad '%s'", ad->file);
            ok = false;
            break;
        }
        char name[32];
        for (int k = 0;; k++) {
            snprintf(name, sizeof name, "/PRAd%d", k);
            if (!dict_get(edit(r->o, xo), name))
                break;
        }
        dict_put(edit(r->o, xo), name, ref(f->form));
        size_t cn;
        char *c = pr_pdf_ad_drawing(ad, t, has_bleed ? bl : NULL, f->trim, name, wrapped[ad->page], &cn);
        int drawn = objs_add(r->o, g_strdup("<< >>"), (unsigned char *)c, cn);
        pg = edit(r->o, page);
        GString *arr = g_string_new("[");
        if (!wrapped[ad->page]) {
            if (!q_stream)
                q_stream = objs_add(r->o, g_strdup("<< >>"), (unsigned char *)g_strdup("q\n"), 2);
            g_string_append_printf(arr, "%d 0 R", q_stream);
        }
        contents_items(r->o, pg, arr);
        g_string_append_printf(arr, " %d 0 R]", drawn);
        dict_put(pg, "/Contents", g_string_free(arr, FALSE));
        wrapped[ad->page] = true;
    }
    free(wrapped);
    free(forms);
    return ok;
}

/* ---------- the file ---------- */

/* The objects reachable from id marked to be kept: depth first, with a
 * stack of its own (an outline's /Next chain is as long as the issue). */
struct marking {
    struct objs *o;
    GArray *todo;
};

static void push_ref(int id, void *ctx)
{
    struct marking *m = ctx;
    if (id > 0 && id < m->o->n && !m->o->o[id].keep) {
        m->o->o[id].keep = true;
        g_array_append_val(m->todo, id);
    }
}

static void mark(struct objs *o, int id)
{
    struct marking m = {o, g_array_new(FALSE, FALSE, sizeof(int))};
    push_ref(id, &m);
    while (m.todo->len > 0) {
        int next = g_array_index(m.todo, int, m.todo->len - 1);
        g_array_set_size(m.todo, m.todo->len - 1);
        const char *v;
        size_t vl;
        if (value_of(o, next, &v, &vl))
            pr_pdfscan_refs(v, vl, push_ref, &m);
    }
    g_array_free(m.todo, TRUE);
}

struct out {
    FILE *f;
    GChecksum *md5;
    long at;
};

static void put(struct out *w, const void *p, size_t n)
{
    fwrite(p, 1, n, w->f);
    g_checksum_update(w->md5, p, (gssize)n);
    w->at += (long)n;
}

static void puts_(struct out *w, const char *s)
{
    put(w, s, strlen(s));
}

/* With its /Length: a stream's dictionary text. */
static char *with_length(const char *dict, size_t n)
{
    struct dict *d = dict_parse(dict, strlen(dict));
    if (!d)
        return g_strdup(dict);
    dict_put(d, "/Length", g_strdup_printf("%zu", n));
    char *t = dict_text(d);
    dict_free(d);
    return t;
}

static bool write_file(struct run *r, const char *path, bool v16)
{
    struct objs *o = r->o;
    const char *v;
    size_t vl;
    int info = pr_pdfscan_key(o->s.trailer, o->s.trailer_len, "/Info", &v, &vl) ? pr_pdfscan_ref(v, vl) : 0;
    mark(o, r->root);
    mark(o, info);
    struct out w = {fopen(path, "wb"), g_checksum_new(G_CHECKSUM_MD5), 0};
    if (!w.f) {
        snprintf(r->err, r->errlen, "cannot write '%s'", path);
        g_checksum_free(w.md5);
        return false;
    }
    setvbuf(w.f, NULL, _IOFBF, 1 << 20);
    int version = 5;
    if (o->s.len > 8 && memcmp(o->s.buf, "%PDF-1.", 7) == 0 && o->s.buf[7] >= '0' && o->s.buf[7] <= '9')
        version = o->s.buf[7] - '0';
    if (v16 && version < 6)
        version = 6;
    char head[32];
    snprintf(head, sizeof head, "%%PDF-1.%d\n%%\xbf\xf7\xa2\xfe\n", version);
    puts_(&w, head);
    long *off = pr_xmalloc((size_t)o->n * sizeof *off);
    for (int id = 1; id < o->n; id++) {
        struct wobj *b = &o->o[id];
        off[id] = 0;
        if (!b->keep || !value_of(o, id, &v, &vl))
            continue;
        off[id] = w.at;
        char num[32];
        snprintf(num, sizeof num, "%d 0 obj\n", id);
        puts_(&w, num);
        const char *data = NULL;
        size_t n = 0, dl;
        const char *d;
        if (b->stream) {
            data = b->data ? (const char *)b->data : b->borrowed;
            n = b->n;
            char *t = with_length(v, n);
            puts_(&w, t);
            g_free(t);
        } else {
            /* (cairo's stream as it is: its /Length with it) */
            if (!b->text && !pr_pdfscan_stream(&o->s, id, &d, &dl, &data, &n))
                data = NULL;
            put(&w, v, vl);
        }
        if (data) {
            puts_(&w, "\nstream\n");
            put(&w, data, n);
            puts_(&w, "\nendstream");
        }
        puts_(&w, "\nendobj\n");
    }
    gsize dn = 16;
    guint8 digest[16];
    g_checksum_get_digest(w.md5, digest, &dn);
    g_checksum_free(w.md5);
    long xref = w.at;
    fprintf(w.f, "xref\n0 %d\n", o->n);
    /* the free entries in a list, as the standard asks */
    int next_free = 0;
    int *nf = pr_xmalloc((size_t)o->n * sizeof *nf);
    for (int id = o->n - 1; id >= 0; id--) {
        nf[id] = next_free;
        if (id == 0 || !off[id])
            next_free = id;
    }
    for (int id = 0; id < o->n; id++) {
        if (id > 0 && off[id])
            fprintf(w.f, "%010ld 00000 n \n", off[id]);
        else
            fprintf(w.f, "%010d %05d f \n", nf[id], id == 0 ? 65535 : 0);
    }
    free(nf);
    free(off);
    char id[33];
    for (int i = 0; i < 16; i++)
        snprintf(id + 2 * i, 3, "%02x", digest[i]);
    fprintf(w.f, "trailer\n<< /Size %d /Root %d 0 R", o->n, r->root);
    if (info)
        fprintf(w.f, " /Info %d 0 R", info);
    fprintf(w.f, " /ID [<%s><%s>] >>\nstartxref\n%ld\n%%%%EOF\n", id, id, xref);
    bool ok = !ferror(w.f);
    ok = fclose(w.f) == 0 && ok;
    if (!ok)
        snprintf(r->err, r->errlen, "cannot write '%s'", path);
    return ok;
}

/* ---------- the run ---------- */

static void objs_free(struct objs *o)
{
    for (int i = 0; i < o->n; i++) {
        g_free(o->o[i].text);
        dict_free(o->o[i].edit);
        free(o->o[i].data);
    }
    free(o->o);
    pr_pdfscan_close(&o->s);
}

int pr_pdfwrite_run(const char *pdf_path, const char *out_path, const struct pr_pdf_post *post, int *annots,
                    char *err, size_t errlen)
{
    if (post->print || post->nslugs > 0 || pr_pdftext_arabic(post->text))
        return 0;
    GMappedFile *mf = g_mapped_file_new(pdf_path, FALSE, NULL);
    if (!mf)
        return 0;
    struct objs o = {0};
    int result = 0;
    struct run r = {.o = &o, .post = post, .err = err, .errlen = errlen};
    const char *v;
    size_t vl;
    if (!pr_pdfscan_open(&o.s, g_mapped_file_get_contents(mf), g_mapped_file_get_length(mf)) ||
        !pr_pdfscan_key(o.s.trailer, o.s.trailer_len, "/Root", &v, &vl) || !(r.root = pr_pdfscan_ref(v, vl)))
        goto done;
    o.n = o.s.size;
    o.cap = o.n + 1024;
    o.o = pr_xmalloc((size_t)o.cap * sizeof *o.o);
    memset(o.o, 0, (size_t)o.cap * sizeof *o.o);
    struct dict *cat = edit(&o, r.root);
    const char *pages = cat ? dict_get(cat, "/Pages") : NULL;
    r.pages_root = pages ? pr_pdfscan_ref(pages, strlen(pages)) : 0;
    if (!r.pages_root)
        goto done;
    r.painted = pr_xmalloc((size_t)(post->npainted + 1) * sizeof *r.painted);
    struct dict *none = dict_new();
    bool walked = walk_pages(&o, r.pages_root, r.painted, &r.npainted, post->npainted + 1, none, 0);
    dict_free(none);
    /* (what qpdf would refuse, or this cannot do, it does) */
    if (!walked || !pr_pdf_painted_all(post, r.npainted) || cairo_arabic(&o))
        goto done;
    result = -1;
    bool v16 = false;
    if (text_layer(&r, &v16) < 0)
        goto done;
    double sheet_w = 0, mb[4];
    struct dict *p0 = r.npainted > 0 ? edit(&o, r.painted[0]) : NULL;
    if (p0 && box_of(p0, "/MediaBox", mb))
        sheet_w = mb[2];
    if (!arrange(&r, sheet_w, post->page_h)) {
        snprintf(err, errlen, "cannot put the pages in order");
        goto done;
    }
    page_labels(&r);
    if (post->marks) {
        links(&r, annots);
        if (post->marks->ndests > 0 && !dest_names(&r)) {
            snprintf(err, errlen, "cannot name the destinations");
            goto done;
        }
    }
    jpeg_colour(&r);
    if (post->marks && post->marks->tagged)
        tags(&r, annots);
    /* the ads last, onto the pages in their final places */
    if (post->nads > 0 && !place_ads(&r))
        goto done;
    if (write_file(&r, out_path, v16))
        result = 1;
done:
    free(r.painted);
    free(r.at);
    objs_free(&o);
    g_mapped_file_unref(mf);
    return result;
}

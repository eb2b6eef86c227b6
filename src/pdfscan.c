/* pdfscan.c - the post-pass: a PDF read back without qpdf. After qpdf has
 * written the screen PDF, the structure tree is appended to it
 * (pdftags.c), and that needs only a few things of the file: its trailer,
 * where each object is, the catalog, the pages in order and their link
 * annotations. Reading the file again with qpdf for them parsed every
 * object and took 17-25 ms of the 64-article issue's post-pass, the
 * build's serial tail; this reads the cross-reference table and the few
 * dictionaries asked for. pdfwrite.c reads cairo's file with it too.
 * Only classic cross-reference tables (as cairo writes them, and qpdf a
 * file without object streams; the sections of updates followed by their
 * /Prev) are read: anything else is refused, and the caller says the file
 * cannot be finished (or has qpdf do it). */
#include "pdfpost.h"
#include <glib.h>
#include <stdlib.h>
#include <string.h>

static bool is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

static bool is_delim(char c)
{
    return is_space(c) || strchr("()<>[]{}/%", c) != NULL;
}

static const char *skip_space(const char *p, const char *end)
{
    while (p < end) {
        if (*p == '%') { /* a comment, to the line's end */
            while (p < end && *p != '\n' && *p != '\r')
                p++;
        } else if (is_space(*p)) {
            p++;
        } else {
            break;
        }
    }
    return p;
}

/* The end of the token or object at p (not a space): a dictionary, an
 * array, a string, a name, a number or a keyword; NULL when it does not
 * end before end. A reference ("12 0 R") is three of them. */
static const char *skip_object(const char *p, const char *end, int depth)
{
    if (p >= end || depth > 64)
        return NULL;
    if (*p == '(') {
        int nest = 0;
        for (; p < end; p++) {
            if (*p == '\\')
                p++;
            else if (*p == '(')
                nest++;
            else if (*p == ')' && --nest == 0)
                return p + 1;
        }
        return NULL;
    }
    if (*p == '<' && p + 1 < end && p[1] != '<') {
        const char *q = memchr(p, '>', (size_t)(end - p));
        return q ? q + 1 : NULL;
    }
    if (*p == '<' || *p == '[') {
        bool dict = *p == '<';
        p += dict ? 2 : 1;
        for (;;) {
            p = skip_space(p, end);
            if (p >= end)
                return NULL;
            if (dict && p + 1 < end && p[0] == '>' && p[1] == '>')
                return p + 2;
            if (!dict && *p == ']')
                return p + 1;
            p = skip_object(p, end, depth + 1);
            if (!p)
                return NULL;
        }
    }
    if (*p == '/')
        p++;
    else if (strchr(")>]{}", *p))
        return NULL;
    while (p < end && !is_delim(*p))
        p++;
    return p;
}

/* An unsigned integer token at p: its value, the token's end in *after;
 * -1 when there is none. */
static long number_at(const char *p, const char *end, const char **after)
{
    long v = 0;
    const char *s = p;
    while (p < end && *p >= '0' && *p <= '9' && v < 100000000000L)
        v = v * 10 + (*p++ - '0');
    if (p == s || (p < end && !is_delim(*p)))
        return -1;
    *after = p;
    return v;
}

/* The end of the value at p: an object, or a reference's three tokens. */
static const char *skip_value(const char *p, const char *end)
{
    const char *e = skip_object(p, end, 0), *q, *r;
    if (e && number_at(p, end, &q) >= 0) {
        q = skip_space(q, end);
        if (number_at(q, end, &r) >= 0) {
            r = skip_space(r, end);
            if (r < end && *r == 'R' && (r + 1 == end || is_delim(r[1])))
                return r + 1;
        }
    }
    return e;
}

bool pr_pdfscan_key(const char *dict, size_t len, const char *key, const char **val, size_t *vlen)
{
    const char *at = NULL, *k, *v;
    size_t kl, vl, klen = strlen(key);
    while (pr_pdfscan_next(dict, len, &at, &k, &kl, &v, &vl) == 1)
        if (kl == klen && memcmp(k, key, klen) == 0) {
            *val = v;
            *vlen = vl;
            return true;
        }
    return false;
}

int pr_pdfscan_ref(const char *val, size_t vlen)
{
    const char *end = val + vlen, *q;
    long id = number_at(val, end, &q);
    return id > 0 && id < 0x7FFFFFFF && skip_value(val, end) == end && end[-1] == 'R' ? (int)id : 0;
}

long pr_pdfscan_int(const char *val, size_t vlen)
{
    const char *q;
    long v = number_at(val, val + vlen, &q);
    return v >= 0 && q == val + vlen ? v : -1;
}

bool pr_pdfscan_item(const char *arr, size_t len, int i, const char **item, size_t *ilen)
{
    const char *p = skip_space(arr, arr + len), *end = arr + len;
    if (p >= end || *p != '[')
        return false;
    p++;
    for (int k = 0;; k++) {
        p = skip_space(p, end);
        if (p >= end || *p == ']')
            return false;
        const char *e = skip_value(p, end);
        if (!e)
            return false;
        if (k == i) {
            *item = p;
            *ilen = (size_t)(e - p);
            return true;
        }
        p = e;
    }
}

long pr_pdfscan_startxref(const char *buf, size_t len)
{
    size_t from = len > 1024 ? len - 1024 : 0;
    for (size_t i = len >= 9 ? len - 9 + 1 : 0; i-- > from;)
        if (memcmp(buf + i, "startxref", 9) == 0) {
            const char *q, *end = buf + len;
            return number_at(skip_space(buf + i + 9, end), end, &q);
        }
    return -1;
}

/* The cross-reference section at offset xref, then the ones its trailer's
 * /Prev points to: an entry of a later section stands (seen[id]); the
 * last section's trailer is the file's. */
static bool read_sections(struct pr_pdfscan *s, long xref)
{
    const char *buf = s->buf, *end = buf + s->len, *q;
    unsigned char *seen = NULL;
    bool ok = false;
    for (int section = 0; section < 64; section++) {
        if (xref <= 0 || (size_t)xref + 4 > s->len || memcmp(buf + xref, "xref", 4) != 0)
            break;
        const char *p = buf + xref + 4;
        /* subsections "first count" of 20-byte entries, then the trailer */
        bool read = true;
        for (;;) {
            p = skip_space(p, end);
            if (end - p >= 7 && memcmp(p, "trailer", 7) == 0)
                break;
            long first = number_at(p, end, &q);
            long count = first >= 0 ? number_at(skip_space(q, end), end, &q) : -1;
            if (count < 0 || first + count > 10000000) {
                read = false;
                break;
            }
            while (q < end && (*q == ' ' || *q == '\r' || *q == '\n') && q[-1] != '\n')
                q++;
            if ((size_t)(end - q) / 20 < (size_t)count) {
                read = false;
                break;
            }
            if (first + count > s->size) {
                s->off = pr_xrealloc(s->off, (size_t)(first + count) * sizeof *s->off);
                seen = pr_xrealloc(seen, (size_t)(first + count));
                memset(s->off + s->size, 0, (size_t)(first + count - s->size) * sizeof *s->off);
                memset(seen + s->size, 0, (size_t)(first + count - s->size));
                s->size = (int)(first + count);
            }
            for (long i = 0; i < count; i++, q += 20)
                if (!seen[first + i]) {
                    seen[first + i] = 1;
                    s->off[first + i] = q[17] == 'n' ? strtol(q, NULL, 10) : 0;
                }
            p = q;
        }
        if (!read)
            break;
        p = skip_space(p + 7, end);
        const char *te = skip_object(p, end, 0);
        if (!te)
            break;
        if (section == 0) {
            s->startxref = xref;
            s->trailer = p;
            s->trailer_len = (size_t)(te - p);
        }
        const char *v;
        size_t vl;
        if (!pr_pdfscan_key(p, (size_t)(te - p), "/Prev", &v, &vl)) {
            ok = true;
            break;
        }
        long prev = pr_pdfscan_int(v, vl);
        if (prev < 0 || prev == xref)
            break;
        xref = prev;
    }
    free(seen);
    return ok;
}

bool pr_pdfscan_open(struct pr_pdfscan *s, const char *buf, size_t len)
{
    memset(s, 0, sizeof *s);
    s->buf = buf;
    s->len = len;
    if (read_sections(s, pr_pdfscan_startxref(buf, len)))
        return true;
    pr_pdfscan_close(s);
    return false;
}

void pr_pdfscan_close(struct pr_pdfscan *s)
{
    free(s->off);
    s->off = NULL;
    s->size = 0;
    s->trailer = NULL;
    s->trailer_len = 0;
}

bool pr_pdfscan_object(const struct pr_pdfscan *s, int id, const char **val, size_t *vlen)
{
    if (id <= 0 || id >= s->size || s->off[id] <= 0 || (size_t)s->off[id] >= s->len)
        return false;
    const char *p = s->buf + s->off[id], *end = s->buf + s->len, *q;
    if (number_at(p, end, &q) != id)
        return false;
    q = skip_space(q, end);
    if (number_at(q, end, &q) < 0)
        return false;
    q = skip_space(q, end);
    if (end - q < 3 || memcmp(q, "obj", 3) != 0)
        return false;
    q = skip_space(q + 3, end);
    const char *e = skip_value(q, end);
    if (!e)
        return false;
    *val = q;
    *vlen = (size_t)(e - q);
    return true;
}

bool pr_pdfscan_stream(const struct pr_pdfscan *s, int id, const char **dict, size_t *dlen, const char **data,
                       size_t *n)
{
    const char *l;
    size_t ll;
    if (!pr_pdfscan_object(s, id, dict, dlen) || !pr_pdfscan_key(*dict, *dlen, "/Length", &l, &ll))
        return false;
    int ref = pr_pdfscan_ref(l, ll);
    if (ref && !pr_pdfscan_object(s, ref, &l, &ll))
        return false;
    long len = pr_pdfscan_int(l, ll);
    const char *end = s->buf + s->len, *p = skip_space(*dict + *dlen, end);
    if (len < 0 || end - p < 6 || memcmp(p, "stream", 6) != 0)
        return false;
    p += 6;
    if (p < end && *p == '\r')
        p++;
    if (p >= end || *p != '\n' || end - (p + 1) < len)
        return false;
    *data = p + 1;
    *n = (size_t)len;
    return true;
}

int pr_pdfscan_next(const char *dict, size_t len, const char **at, const char **key, size_t *klen, const char **val,
                    size_t *vlen)
{
    const char *end = dict + len, *p;
    if (!*at) {
        p = skip_space(dict, end);
        if (end - p < 2 || p[0] != '<' || p[1] != '<')
            return -1;
        p += 2;
    } else
        p = *at;
    p = skip_space(p, end);
    if (end - p >= 2 && p[0] == '>' && p[1] == '>')
        return 0;
    if (p >= end || *p != '/')
        return -1;
    const char *k = p;
    p = skip_object(p, end, 0);
    if (!p)
        return -1;
    const char *v = skip_space(p, end), *ve = skip_value(v, end);
    if (!ve || v == ve)
        return -1;
    *key = k;
    *klen = (size_t)(p - k);
    *val = v;
    *vlen = (size_t)(ve - v);
    *at = ve;
    return 1;
}

/* The references in the value text [p, end) through fn, each with where
 * it stands ([ref, ref_end)). */
static void refs_in(const char *p, const char *end, void (*fn)(int id, const char *ref, const char *ref_end, void *ctx),
                    void *ctx)
{
    while ((p = skip_space(p, end)) < end) {
        if (*p == '<' && p + 1 < end && p[1] == '<') {
            p += 2;
            continue; /* (a dictionary's keys are names: skipped as tokens) */
        }
        if (*p == '>' && p + 1 < end && p[1] == '>') {
            p += 2;
            continue;
        }
        if (*p == '[' || *p == ']') {
            p++;
            continue;
        }
        const char *e = skip_value(p, end);
        if (!e || e == p) {
            p++;
            continue;
        }
        if (e[-1] == 'R' && *p >= '0' && *p <= '9') {
            int id = pr_pdfscan_ref(p, (size_t)(e - p));
            if (id > 0)
                fn(id, p, e, ctx);
        }
        p = e;
    }
}

struct each_ref {
    void (*fn)(int id, void *ctx);
    void *ctx;
};

static void each_ref(int id, const char *ref, const char *ref_end, void *ctx)
{
    (void)ref;
    (void)ref_end;
    struct each_ref *e = ctx;
    e->fn(id, e->ctx);
}

void pr_pdfscan_refs(const char *val, size_t len, void (*fn)(int id, void *ctx), void *ctx)
{
    struct each_ref e = {fn, ctx};
    refs_in(val, val + len, each_ref, &e);
}

struct renumber {
    GString *out;
    const char *from;
    int (*map)(int id, void *ctx);
    void *ctx;
};

static void renumber_ref(int id, const char *ref, const char *ref_end, void *ctx)
{
    struct renumber *r = ctx;
    g_string_append_len(r->out, r->from, ref - r->from);
    g_string_append_printf(r->out, "%d 0 R", r->map(id, r->ctx));
    r->from = ref_end;
}

char *pr_pdfscan_renumber(const char *val, size_t len, int (*map)(int id, void *ctx), void *ctx)
{
    struct renumber r = {g_string_sized_new(len + 16), val, map, ctx};
    refs_in(val, val + len, renumber_ref, &r);
    g_string_append_len(r.out, r.from, val + len - r.from);
    return g_string_free(r.out, FALSE);
}

/* test_pdfscan.c - the post-pass's reader of the file qpdf wrote
 * (pdfscan.c): keys found at a dictionary's top level only, strings,
 * nested dictionaries and references skipped whole, a cross-reference
 * table and trailer read (an update's sections through /Prev), stream
 * data, dictionary entries and references found, and files it cannot read
 * refused. */
#include "../../src/pdfpost.h"
#include "check.h"
#include <stdlib.h>

/* The value of key in dict as a new string, or NULL. */
static char *key_of(const char *dict, const char *key)
{
    const char *v;
    size_t n;
    return pr_pdfscan_key(dict, strlen(dict), key, &v, &n) ? g_strndup(v, n) : NULL;
}

static void keys(void)
{
    /* a link whose URI and nested action carry the key's text: only the
     * annotation's own key counts */
    const char *annot = "<< /A << /S /URI /StructParent 3 /URI (http://x.org/\\) /StructParent 5 \\(a\\)) >> "
                        "/Border [ 0 0 0 ] /Contents <2f5374727563> /Rect [ 1 2.5 3 -4 ] /StructParent 12 "
                        "/Subtype /Link >>";
    char *v = key_of(annot, "/StructParent");
    CHECK_STR(v, "12");
    g_free(v);
    v = key_of(annot, "/Rect");
    CHECK_STR(v, "[ 1 2.5 3 -4 ]");
    g_free(v);
    CHECK(key_of(annot, "/Struct") == NULL); /* a prefix of a key is not the key */
    CHECK(key_of(annot, "/S") == NULL);      /* the action's /S is not the annotation's */
    v = key_of("<< /Pages 6 0 R /Type /Catalog >>", "/Pages");
    CHECK_STR(v, "6 0 R");
    CHECK(pr_pdfscan_ref(v, strlen(v)) == 6);
    g_free(v);
    v = key_of("<</Kids[8 0 R 12 0 R]/Count 2>>", "/Kids");
    CHECK_STR(v, "[8 0 R 12 0 R]");
    const char *it;
    size_t il;
    CHECK(pr_pdfscan_item(v, strlen(v), 1, &it, &il) && pr_pdfscan_ref(it, il) == 12);
    CHECK(!pr_pdfscan_item(v, strlen(v), 2, &it, &il));
    g_free(v);
    CHECK(pr_pdfscan_ref("12", 2) == 0);
    CHECK(pr_pdfscan_int("12", 2) == 12);
    CHECK(pr_pdfscan_int("1.5", 3) == -1);
    /* unbalanced text is refused, never read past */
    CHECK(key_of("<< /A (open /B 1 >>", "/B") == NULL);
    CHECK(key_of("<< /A << /B 1 >>", "/C") == NULL);
}

/* Object text appended to the file f: where it starts. */
static long put(GString *f, const char *object)
{
    long at = (long)f->len;
    g_string_append(f, object);
    return at;
}

static void file(void)
{
    GString *f = g_string_new("%PDF-1.5\n");
    long off[3];
    off[1] = put(f, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    off[2] = put(f, "2 0 obj\n<< /Type /Pages /Kids [ ] /Count 0 >>\nendobj\n");
    long xref = (long)f->len;
    g_string_append_printf(f, "xref\n0 3\n0000000000 65535 f \n%010ld 00000 n \n%010ld 00000 n \n", off[1], off[2]);
    g_string_append_printf(f, "trailer << /Root 1 0 R /Size 3 /ID [<ab><cd>] >>\nstartxref\n%ld\n%%%%EOF\n", xref);
    struct pr_pdfscan s;
    CHECK(pr_pdfscan_open(&s, f->str, f->len));
    CHECK(s.startxref == xref && s.size == 3);
    const char *v;
    size_t n;
    CHECK(pr_pdfscan_object(&s, 2, &v, &n) && n == strlen("<< /Type /Pages /Kids [ ] /Count 0 >>"));
    CHECK(!pr_pdfscan_object(&s, 0, &v, &n)); /* free */
    CHECK(!pr_pdfscan_object(&s, 3, &v, &n)); /* beyond /Size */
    CHECK(pr_pdfscan_key(s.trailer, s.trailer_len, "/ID", &v, &n) && n == strlen("[<ab><cd>]"));
    pr_pdfscan_close(&s);
    /* a cross-reference stream (object streams) is not read */
    g_string_truncate(f, (size_t)xref);
    g_string_append_printf(f, "3 0 obj\n<< /Type /XRef /Size 4 >>\nstream\nendstream\nendobj\nstartxref\n%ld\n%%%%EOF\n",
                           xref);
    CHECK(!pr_pdfscan_open(&s, f->str, f->len));
    pr_pdfscan_close(&s);
    CHECK(!pr_pdfscan_open(&s, "%PDF-1.5\n", 9));
    pr_pdfscan_close(&s);
    g_string_free(f, TRUE);
}

static void count_ref(int id, void *ctx)
{
    GString *g = ctx;
    g_string_append_printf(g, "%d,", id);
}

/* A file as cairo writes it with an update after it (the text layer's):
 * the sections read back through /Prev, the later entry standing, a
 * stream's data through its indirect /Length; a dictionary's entries in
 * order; the references in a value, not those inside strings. */
static void updated(void)
{
    GString *f = g_string_new("%PDF-1.5\n");
    long off[6];
    off[1] = put(f, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    off[2] = put(f, "2 0 obj\n<< /Type /Pages % 1\n /Kids [ 3 0 R ] /Count 1 >>\nendobj\n");
    off[3] = put(f, "3 0 obj\n<< /Length 4 0 R >>\nstream\nq 1 0 0 1 0 0 cm Q\nendstream\nendobj\n");
    off[4] = put(f, "4 0 obj\n   18\nendobj\n");
    long xref = (long)f->len;
    g_string_append_printf(f, "xref\n0 5\n0000000000 65535 f \n");
    for (int i = 1; i <= 4; i++)
        g_string_append_printf(f, "%010ld 00000 n \n", off[i]);
    g_string_append_printf(f, "trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", xref);
    /* the update: object 2 again, object 5 new */
    long off2 = put(f, "2 0 obj\n<< /Type /Pages /Kids [ 3 0 R 3 0 R ] /Count 2 >>\nendobj\n");
    off[5] = put(f, "5 0 obj\n<< /Length 3 >>\nstream\nabc\nendstream\nendobj\n");
    long xref2 = (long)f->len;
    g_string_append_printf(f, "xref\n2 1\n%010ld 00000 n \n5 1\n%010ld 00000 n \n", off2, off[5]);
    g_string_append_printf(f, "trailer\n<< /Size 6 /Root 1 0 R /Prev %ld >>\nstartxref\n%ld\n%%%%EOF\n", xref, xref2);
    struct pr_pdfscan s;
    CHECK(pr_pdfscan_open(&s, f->str, f->len));
    CHECK(s.size == 6 && s.startxref == xref2);
    const char *v, *data;
    size_t n, dn;
    CHECK(pr_pdfscan_object(&s, 2, &v, &n) && g_strstr_len(v, (gssize)n, "/Count 2")); /* the update's */
    CHECK(pr_pdfscan_object(&s, 1, &v, &n));                                          /* the first section's */
    CHECK(pr_pdfscan_stream(&s, 3, &v, &n, &data, &dn) && dn == 18 && memcmp(data, "q 1 0 0 1 0 0 cm Q", 18) == 0);
    CHECK(pr_pdfscan_stream(&s, 5, &v, &n, &data, &dn) && dn == 3 && memcmp(data, "abc", 3) == 0);
    CHECK(!pr_pdfscan_stream(&s, 1, &v, &n, &data, &dn)); /* not a stream */
    /* the entries of a dictionary with a comment in it, in order */
    const char *dict = "<< /Type /Pages % 1\n /Kids [ 3 0 R ] /A << /B (x) >> /Count 1 >>", *at = NULL, *k, *val;
    size_t kl, vl;
    GString *seen = g_string_new(NULL);
    int r;
    while ((r = pr_pdfscan_next(dict, strlen(dict), &at, &k, &kl, &val, &vl)) == 1)
        g_string_append_printf(seen, "%.*s=%.*s;", (int)kl, k, (int)vl, val);
    CHECK(r == 0);
    CHECK_STR(seen->str, "/Type=/Pages;/Kids=[ 3 0 R ];/A=<< /B (x) >>;/Count=1;");
    at = NULL;
    CHECK(pr_pdfscan_next("<< /A 1 /B", 10, &at, &k, &kl, &val, &vl) == 1 &&
          pr_pdfscan_next("<< /A 1 /B", 10, &at, &k, &kl, &val, &vl) == -1);
    /* references, not the text of a string that looks like one */
    g_string_truncate(seen, 0);
    const char *refs = "<< /A 12 0 R /B [ 3 0 R (4 0 R) 5 ] /C << /D 7 0 R >> /E <0a> 8 0 R >>";
    pr_pdfscan_refs(refs, strlen(refs), count_ref, seen);
    CHECK_STR(seen->str, "12,3,7,8,");
    g_string_free(seen, TRUE);
    pr_pdfscan_close(&s);
    /* a /Prev that points nowhere: refused */
    g_string_truncate(f, (size_t)xref2);
    g_string_append_printf(f, "xref\n5 1\n%010ld 00000 n \ntrailer\n<< /Size 6 /Prev 3 >>\nstartxref\n%ld\n%%%%EOF\n",
                           off[5], xref2);
    CHECK(!pr_pdfscan_open(&s, f->str, f->len));
    pr_pdfscan_close(&s);
    g_string_free(f, TRUE);
}

int main(void)
{
    keys();
    file();
    updated();
    return DONE();
}

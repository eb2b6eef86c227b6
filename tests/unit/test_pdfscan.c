/* test_pdfscan.c - the post-pass's reader of the file qpdf wrote
 * (pdfscan.c): keys found at a dictionary's top level only, strings,
 * nested dictionaries and references skipped whole, a cross-reference
 * table and trailer read, and files it cannot read refused. */
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

static void file(void)
{
    GString *f = g_string_new("%PDF-1.5\n");
    long off[3];
    off[1] = (long)f->len;
    g_string_append(f, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    off[2] = (long)f->len;
    g_string_append(f, "2 0 obj\n<< /Type /Pages /Kids [ ] /Count 0 >>\nendobj\n");
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

int main(void)
{
    keys();
    file();
    return DONE();
}

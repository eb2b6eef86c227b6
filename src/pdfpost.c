/* pdfpost.c - the qpdf post-pass's small helpers, shared by its files
 * (pdfboxes.c, pdftags.c, pdfjoin.c, pdftext.c; pdfpost.h): numbers,
 * sub-dictionaries, streams, hex digits of glyph codes and UTF-16, and
 * deflated bytes. */
#include "pdfpost.h"
#include <libdeflate.h>
#include <stdlib.h>

qpdf_oh pr_qpdf_real(qpdf_data q, double v)
{
    return qpdf_oh_new_real_from_double(q, v, 2);
}

qpdf_oh pr_qpdf_sub_dict(qpdf_data q, qpdf_oh d, const char *key)
{
    qpdf_oh v = qpdf_oh_get_key(q, d, key);
    if (!qpdf_oh_is_dictionary(q, v)) {
        v = qpdf_oh_new_dictionary(q);
        qpdf_oh_replace_key(q, d, key, v);
    }
    return v;
}

qpdf_oh pr_qpdf_stream(qpdf_data q, const void *data, size_t len)
{
    qpdf_oh st = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, st, data, len, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    return st;
}

void pr_pdf_hex4(GString *g, unsigned v)
{
    static const char hex[] = "0123456789ABCDEF";
    char b[4] = {hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15], hex[v & 15]};
    g_string_append_len(g, b, 4);
}

void pr_pdf_utf16_hex(GString *g, gunichar c)
{
    if (c >= 0x10000) {
        pr_pdf_hex4(g, 0xD800 + ((c - 0x10000) >> 10));
        c = 0xDC00 + ((c - 0x10000) & 0x3FF);
    }
    pr_pdf_hex4(g, c);
}

unsigned char *pr_pdf_deflate(const void *data, size_t n, int level, size_t *out_n)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
    if (!c)
        return NULL;
    size_t cap = libdeflate_zlib_compress_bound(c, n);
    unsigned char *z = malloc(cap ? cap : 1);
    *out_n = z ? libdeflate_zlib_compress(c, data, n, z, cap) : 0;
    libdeflate_free_compressor(c);
    if (!*out_n) {
        free(z);
        return NULL;
    }
    return z;
}

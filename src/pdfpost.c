/* pdfpost.c - the post-pass's small helpers, shared by its files
 * (pdfboxes.c, pdfwrite.c, pdfplace.c, pdftags.c, pdfjoin.c, pdftext.c;
 * pdfpost.h): numbers, sub-dictionaries, rectangles, streams, hex digits
 * of glyph codes and UTF-16, deflated bytes; and the texts the qpdf pass
 * and pdfwrite.c both write: XMP, a link's description, the order of
 * named destinations, the artifact layers' wrapping streams. */
#include "pdfpost.h"
#include <libdeflate.h>
#include <stdio.h>
#include <string.h>
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

qpdf_oh pr_qpdf_rect(qpdf_data q, double x0, double y0, double x1, double y1)
{
    qpdf_oh a = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, a, pr_qpdf_real(q, x0));
    qpdf_oh_append_item(q, a, pr_qpdf_real(q, y0));
    qpdf_oh_append_item(q, a, pr_qpdf_real(q, x1));
    qpdf_oh_append_item(q, a, pr_qpdf_real(q, y1));
    return a;
}

void pr_pdf_byte_string(GString *g, const char *s)
{
    g_string_append_c(g, '(');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '(' || *p == ')' || *p == '\\')
            g_string_append_printf(g, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7F)
            g_string_append_printf(g, "\\%03o", *p);
        else
            g_string_append_c(g, (char)*p);
    }
    g_string_append_c(g, ')');
}

/* A text string in PDF syntax: ASCII as a literal, anything else as
 * UTF-16BE with its byte order mark, in hex. */
void pr_pdf_text_string(GString *g, const char *s)
{
    bool ascii = true;
    for (const char *c = s; *c && ascii; c++)
        ascii = (unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7F;
    if (ascii) {
        pr_pdf_byte_string(g, s);
        return;
    }
    g_string_append(g, "<FEFF");
    for (const char *c = g_utf8_validate(s, -1, NULL) ? s : ""; *c; c = g_utf8_next_char(c))
        pr_pdf_utf16_hex(g, g_utf8_get_char(c));
    g_string_append_c(g, '>');
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

/* ---------- the texts both writers of the screen PDF make ---------- */

bool pr_pdf_painted_all(const struct pr_pdf_post *post, int pages)
{
    int nlayers = 0;
    for (int i = 0; post->layer && i < post->npainted - post->nslugs; i++)
        nlayers += post->layer[i] != PR_LAYER_CONTENT;
    return pages == post->npainted && post->npainted == post->npages + post->nslugs + nlayers;
}

/* A folio that is a number (no leading zero): its value; -1 otherwise. */
static long folio_number(const char *s)
{
    if (!s || !*s || *s == '0')
        return -1;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return -1;
    return atol(s);
}

bool pr_pdf_label_range(const struct pr_pdf_post *post, int i, long *expect, long *start)
{
    long n = folio_number(post->labels[i]);
    if (n > 0 && n == *expect) {
        (*expect)++;
        return false;
    }
    *start = n;
    *expect = n > 0 ? n + 1 : -1;
    return true;
}

#define PR_PRODUCER "pressrun " PR_VERSION " (cairo, qpdf)"

static void xml_escape(GString *g, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': g_string_append(g, "&amp;"); break;
        case '<': g_string_append(g, "&lt;"); break;
        case '>': g_string_append(g, "&gt;"); break;
        case '"': g_string_append(g, "&quot;"); break;
        default: g_string_append_c(g, *s);
        }
    }
}

/* An RFC 4122 name-based UUID (SHA-1) from the title and date: the same
 * issue gets the same document ID on every build. */
static void uuid_of(const char *title, const char *date, char *out)
{
    char *name = g_strconcat(title ? title : "", "|", date ? date : "", NULL);
    char *h = g_compute_checksum_for_string(G_CHECKSUM_SHA1, name, -1);
    snprintf(out, 37, "%.8s-%.4s-5%.3s-%x%.3s-%.12s", h, h + 8, h + 13,
             8 | (g_ascii_xdigit_value(h[16]) & 3), h + 17, h + 20);
    g_free(h);
    g_free(name);
}

/* The XMP metadata: title, author, dates, the tool; for the print PDF
 * (pdfx) the PDF/X-4 identification, for a tagged PDF the PDF/UA-1 one. */
char *pr_pdf_xmp(const struct pr_pdf_post *post, bool pdfx, size_t *len)
{
    const char *d = post->date;
    const char *producer = PR_PRODUCER;
    bool ua = post->marks && post->marks->tagged;
    char uuid[40];
    uuid_of(post->title, post->date, uuid);
    GString *x = g_string_new("<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
                              "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
                              "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
                              "<rdf:Description rdf:about=\"\"\n"
                              " xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
                              " xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
                              " xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
                              " xmlns:pdfxid=\"http://www.npes.org/pdfx/ns/id/\"\n"
                              " xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"\n"
                              " xmlns:xmpMM=\"http://ns.adobe.com/xap/1.0/mm/\">\n"
                              "<dc:format>application/pdf</dc:format>\n"
                              "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">");
    xml_escape(x, post->title);
    g_string_append(x, "</rdf:li></rdf:Alt></dc:title>\n<dc:creator><rdf:Seq><rdf:li>");
    xml_escape(x, post->author);
    g_string_append_printf(x, "</rdf:li></rdf:Seq></dc:creator>\n"
                              "<xmp:CreateDate>%s</xmp:CreateDate>\n"
                              "<xmp:ModifyDate>%s</xmp:ModifyDate>\n"
                              "<xmp:MetadataDate>%s</xmp:MetadataDate>\n"
                              "<xmp:CreatorTool>pressrun %s</xmp:CreatorTool>\n"
                              "<pdf:Producer>%s</pdf:Producer>\n"
                              "%s"
                              "<xmpMM:DocumentID>uuid:%s</xmpMM:DocumentID>\n"
                              "<xmpMM:InstanceID>uuid:%s</xmpMM:InstanceID>\n"
                              "<xmpMM:VersionID>1</xmpMM:VersionID>\n"
                              "<xmpMM:RenditionClass>default</xmpMM:RenditionClass>\n"
                              "</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>",
                           d, d, d, PR_VERSION, producer,
                           pdfx ? "<pdf:Trapped>False</pdf:Trapped>\n"
                                  "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>\n"
                                : ua ? "<pdfuaid:part>1</pdfuaid:part>\n" : "",
                           uuid, uuid);
    *len = x->len;
    return g_string_free(x, FALSE);
}

char *pr_pdf_link_says(const struct pr_pdf_post *post, const struct pr_pdf_link *l, const struct pr_pdf_dest *d)
{
    /* what it is, for a reader who cannot see it */
    const char *text = l->text && *l->text ? l->text : NULL;
    if (l->uri)
        return text ? g_strdup_printf("%s (%s)", text, l->uri) : g_strdup(l->uri);
    const char *label = d && post->labels[d->page] ? post->labels[d->page] : "";
    return text ? g_strdup_printf("%s (page %s)", text, label) : g_strdup_printf("Go to page %s", label);
}

int pr_pdf_dest_cmp(const void *a, const void *b)
{
    const struct pr_pdf_dest *x = *(const struct pr_pdf_dest *const *)a, *y = *(const struct pr_pdf_dest *const *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x < y ? -1 : x > y);
}

char *pr_pdf_artifact_wrap(int layer, bool has, size_t *len)
{
    const char *name = layer == PR_LAYER_UNDER ? "/PRArtUnder" : "/PRArtOver";
    GString *g = g_string_new(layer == PR_LAYER_OVER ? "Q\n" : NULL);
    if (has)
        g_string_append_printf(g, "/Artifact BMC q %s Do Q EMC\n", name);
    if (layer == PR_LAYER_UNDER)
        g_string_append(g, "q\n");
    *len = g->len;
    return g_string_free(g, FALSE);
}


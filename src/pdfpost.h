/* pdfpost.h - the qpdf post-pass's files (pdfboxes.c, pdftags.c, pdfjoin.c) between
 * themselves: the small qpdf helpers they share, and the tagged PDF's
 * structure tree. Not for other stages: they call pr_pdfboxes_run. */
#ifndef PR_PDFPOST_H
#define PR_PDFPOST_H
#include "backends.h"
#include <glib.h>
#include <qpdf/qpdf-c.h>

/* A real number with two decimals; a rectangle of four. */
qpdf_oh pr_qpdf_real(qpdf_data q, double v);
qpdf_oh pr_qpdf_rect(qpdf_data q, double x0, double y0, double x1, double y1);
/* The dictionary under `key` in dictionary d, made when there is none. */
qpdf_oh pr_qpdf_sub_dict(qpdf_data q, qpdf_oh d, const char *key);
/* A new stream of `len` bytes of data, unfiltered. */
qpdf_oh pr_qpdf_stream(qpdf_data q, const void *data, size_t len);
/* Four hex digits of v (< 0x10000: a glyph code); character c as UTF-16BE
 * hex digits (a surrogate pair above U+FFFF), for ToUnicode and text
 * strings. */
void pr_pdf_hex4(GString *g, unsigned v);
void pr_pdf_utf16_hex(GString *g, gunichar c);
/* A text string in PDF syntax: printable ASCII as a literal, anything
 * else as UTF-16BE with its byte order mark, in hex (invalid UTF-8: the
 * empty string). */
void pr_pdf_text_string(GString *g, const char *s);
/* A byte string (a URI, a destination's name) as a literal, its bytes
 * escaped as need be. */
void pr_pdf_byte_string(GString *g, const char *s);
/* n bytes deflated (zlib format, libdeflate's level 1-12: 2.3 x faster
 * than zlib at the same size), malloc'd, *out_n long; NULL when memory
 * ran out. */
unsigned char *pr_pdf_deflate(const void *data, size_t n, int level, size_t *out_n);

/* pdftags.c: the tagged screen PDF (post->marks->tagged). In the qpdf
 * pass, once the pages are in their final order: the keys that point
 * into the structure tree (the pages' /StructParents, the link
 * annotations' /StructParent and the pages' /Tabs /S: annots[i] is the
 * object number of link i's annotation, 0: none), /Lang, /MarkInfo and
 * DisplayDocTitle; cairo's own tree goes. */
void pr_pdf_tags_prepare(qpdf_data q, const struct pr_pdf_post *post, const int *annots);
/* Does link k have a key in the ParentTree: an annotation (annots[k]) and
 * a Link element? The keys run from the pages' count over these links, in
 * order (the qpdf pass and pdfwrite.c give them alike). */
bool pr_pdf_link_keyed(const struct pr_pdf_marks *m, const int *annots, int k);
/* Then, on the file qpdf wrote (path), the structure tree in reading
 * order as an incremental update (the elements in an object stream, the
 * catalog with its /StructTreeRoot, a cross-reference stream); annots as
 * given to prepare. false with a message in err. */
bool pr_pdf_tags_append(const char *path, const struct pr_pdf_post *post, const int *annots, char *err,
                        size_t errlen);
/* pdftags.c: cairo's own structure tree in its PDF (path) set aside before
 * qpdf reads it (its elements marked free in the cross-reference table);
 * false when there was nothing to do or the file is not as cairo 1.16
 * writes it (then it is unchanged). */
bool pr_pdf_drop_cairo_tree(const char *path);
/* pdfscan.c: a PDF read back without qpdf (a classic cross-reference
 * table, as qpdf writes a file without object streams): the offset of
 * each object (0: none), the last cross-reference section's (startxref)
 * and the trailer's dictionary text. The file's bytes stay the caller's. */
struct pr_pdfscan {
    const char *buf;
    size_t len;
    long *off;
    int size;
    long startxref;
    const char *trailer;
    size_t trailer_len;
};
bool pr_pdfscan_open(struct pr_pdfscan *s, const char *buf, size_t len);
/* The offset the last "startxref" in a file's last KB gives (buf, len: the
 * file, or its tail); -1: none. */
long pr_pdfscan_startxref(const char *buf, size_t len);
void pr_pdfscan_close(struct pr_pdfscan *s);
/* Object id's value (a dictionary's text, without its stream). */
bool pr_pdfscan_object(const struct pr_pdfscan *s, int id, const char **val, size_t *vlen);
/* The value of `key` ("/Root") in the dictionary text dict, at its top
 * level; false when it has none. */
bool pr_pdfscan_key(const char *dict, size_t len, const char *key, const char **val, size_t *vlen);
/* A stream object's dictionary text and its data (as stored: filtered). */
bool pr_pdfscan_stream(const struct pr_pdfscan *s, int id, const char **dict, size_t *dlen, const char **data,
                       size_t *n);
/* The entries of dictionary text dict in order: *at NULL for the first,
 * then as left. 1: an entry (key with its slash, value), 0: the end, -1:
 * the text reads wrong. */
int pr_pdfscan_next(const char *dict, size_t len, const char **at, const char **key, size_t *klen, const char **val,
                    size_t *vlen);
/* Each reference in value text val (a dictionary, array, ...) through fn. */
void pr_pdfscan_refs(const char *val, size_t len, void (*fn)(int id, void *ctx), void *ctx);
/* Value text val with each reference's object number n written map(n)
 * (and generation 0); g_free it. */
char *pr_pdfscan_renumber(const char *val, size_t len, int (*map)(int id, void *ctx), void *ctx);
/* Item i of the array text arr. */
bool pr_pdfscan_item(const char *arr, size_t len, int i, const char **item, size_t *ilen);
/* A reference's object number (0: not a reference); a non-negative
 * integer (-1: not one). */
int pr_pdfscan_ref(const char *val, size_t vlen);
long pr_pdfscan_int(const char *val, size_t vlen);

/* pdfjoin.c: an Arabic letter (not a digit): a text to join; whether a
 * Type0 font's ToUnicode CMap (its text) reads one. */
bool pr_pdf_arabic(gunichar c);
bool pr_pdf_tounicode_arabic(const char *cmap, size_t len);
/* pdfjoin.c: Arabic words that extract whole and in logical order (the
 * widths the text layer reads; every glyph stays where it was drawn), in
 * every content stream of the pages as cairo painted them. */
void pr_pdf_join_words(qpdf_data q);

/* sfnt_glyphs.c: glyphs added to a TrueType program (pdfjoin.c's). */
struct pr_sfnt_glyph {
    unsigned gid; /* the glyph drawn (the only component) */
    int dx;       /* its x offset, font units */
    int advance;  /* the new glyph's advance, font units */
};
/* The program's unitsPerEm and glyph count; false when it is not a
 * TrueType program glyphs can be added to. */
bool pr_sfnt_metrics(const unsigned char *font, size_t len, unsigned *upem, unsigned *nglyphs);
/* Whether glyph gid can be a component of an added glyph. */
bool pr_sfnt_glyph_ok(const unsigned char *font, size_t len, unsigned gid);
/* The program with n glyphs added (glyph ids nglyphs, nglyphs + 1, ...),
 * malloc'd, its length in *out_len; NULL when it cannot be done. */
unsigned char *pr_sfnt_add_glyphs(const unsigned char *font, size_t len, const struct pr_sfnt_glyph *add, int n,
                                  size_t *out_len);
/* pdftext.c: the text layer's page streams appended to cairo's file
 * (path) as an update, before qpdf reads it; false when the file is not
 * as cairo writes it or cannot be written. */
bool pr_pdftext_write(struct pr_pdftext *t, const char *path);
/* pdftext.c: the text layer's streams laid over the pages cairo painted
 * (in the order painted, before the pages are put in order) and its fonts
 * embedded; *v16 set when a font needs PDF 1.6 (OpenType). false with a
 * message in err. */
bool pr_pdftext_apply(qpdf_data q, struct pr_pdftext *t, bool *v16, char *err, size_t errlen);

/* pdfwrite.c: the screen PDF's post-pass without qpdf, on cairo's file
 * (pdf_path, the text layer's update appended) into out_path; annots[i]
 * (zeroed by the caller): link i's annotation (0: none), as links() gives
 * them. 1: written; 0:
 * nothing done, the issue needs the qpdf pass (pdfboxes.c); -1: failed,
 * with a message in err. */
int pr_pdfwrite_run(const char *pdf_path, const char *out_path, const struct pr_pdf_post *post, int *annots,
                    char *err, size_t errlen);
/* pdftext.c, for pdfwrite.c: whether a glyph of the text layer reads as
 * Arabic (then pdfjoin.c joins its words, with qpdf); page i's stream
 * (its object number in cairo's file, 0: none) and the fonts it uses
 * (fonts[k] for font k < nfonts); the "q" and "Q" streams; the fonts
 * embedded as new objects of the file written, each made by add (value
 * text and, for a stream, its data, both malloc'd and taken; it returns
 * the object's number) (*ids malloc'd, (*ids)[k]: font k's Type0
 * font, 0: not used),
 * *v16 set when one needs PDF 1.6: 1, 0 when none is used, -1 with a
 * message in err. */
bool pr_pdftext_arabic(const struct pr_pdftext *t);
int pr_pdftext_page(const struct pr_pdftext *t, int i, const unsigned char **fonts, int *nfonts);
void pr_pdftext_wraps(const struct pr_pdftext *t, int *open, int *close);
int pr_pdftext_emit(struct pr_pdftext *t, int (*add)(void *ctx, char *text, unsigned char *data, size_t n), void *ctx,
                    int **ids, bool *v16, char *err, size_t errlen);
/* pdfpost.c: the XMP metadata's text (title, author, dates, the tool;
 * PDF/X-4's or PDF/UA-1's identification); g_free it. */
char *pr_pdf_xmp(const struct pr_pdf_post *post, bool pdfx, size_t *len);
/* pdfpost.c: does cairo's file have the pages painted (pages of it): one
 * for each page, slug line and artifact layer? */
bool pr_pdf_painted_all(const struct pr_pdf_post *post, int pages);
/* pdfpost.c: /PageLabels, one range per run of consecutive numeric
 * folios, a prefix label (/P) for anything else: does page i start a
 * range (expect: the folio that would continue the last one, -1 at
 * first)? *start: its first number, -1 for a prefix label. */
bool pr_pdf_label_range(const struct pr_pdf_post *post, int i, long *expect, long *start);
/* pdfpost.c: the text of the stream before (layer PR_LAYER_UNDER) or
 * after (PR_LAYER_OVER) a tagged page's content, drawing that layer's
 * form (has) or not; g_free it. The order of named destinations (by
 * name, the first of a name first). */
char *pr_pdf_artifact_wrap(int layer, bool has, size_t *len);
int pr_pdf_dest_cmp(const void *a, const void *b);
/* pdfplace.c: supplied PDF ads placed by the qpdf pass onto q's pages
 * (ads[i].page: in the finished order): each ad page opened once (in S,
 * open until q is written; pr_ad_srcs_free then). false with a message in
 * err. */
struct pr_ad_src {
    const char *file;
    int src_page;
    bool bleed;
    qpdf_data a;       /* kept open until the host is written: qpdf copies stream data then */
    int form_id;       /* the form's object number in the host */
    double trim[4];
};
struct pr_ad_srcs {
    struct pr_ad_src *s;
    int n;
};
struct pr_ad_place;
bool pr_pdf_place_ads(qpdf_data q, const struct pr_ad_place *ads, int nads, struct pr_ad_srcs *S, char *err,
                      size_t errlen);
void pr_ad_srcs_free(struct pr_ad_srcs *S);
/* pdfplace.c: ad page (ad->file, src_page, bleed) as a PDF of its own
 * in memory, for pdfwrite.c: the form XObject of that page (its content
 * and resources, as the qpdf pass places it) under its catalog's /PRForm,
 * written without object streams (pdfscan.c reads it); the ad's TrimBox
 * in trim. malloc'd, *len long; NULL with a message in err. */
struct pr_ad_place;
unsigned char *pr_pdf_ad_form_pdf(const struct pr_ad_place *ad, double trim[4], size_t *len, char *err,
                                  size_t errlen);
/* pdfplace.c: the content stream drawing an ad (the form under `name`)
 * onto a page whose trim is t (bl: its BleedBox, NULL: none), the ad's own
 * TrimBox trim centred on the slot; wrapped: the page's content is in
 * q ... Q already. g_free it. */
char *pr_pdf_ad_drawing(const struct pr_ad_place *ad, const double t[4], const double *bl, const double trim[4],
                        const char *name, bool wrapped, size_t *len);
/* pdfpost.c: the link annotations' /Contents: what a link says and where
 * it goes; g_free it. dest: its destination (NULL for a URI). */
char *pr_pdf_link_says(const struct pr_pdf_post *post, const struct pr_pdf_link *l, const struct pr_pdf_dest *dest);

#endif

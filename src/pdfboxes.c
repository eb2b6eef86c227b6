/* pdfboxes.c - the post-pass over the PDF cairo wrote. A screen PDF is
 * written by pressrun itself where it can be (pdfwrite.c); the rest is
 * qpdf's: page labels equal to the printed folios, link annotations
 * (internal ones as explicit page destinations: cairo 1.16 drops links to
 * later pages), and for the print PDF the TrimBox and BleedBox, crop
 * marks in registration colour (Separation /All), and PDF/X-4: output
 * intent with a CMYK printer profile, sRGB as DefaultRGB and for every
 * DeviceRGB use, GTS_PDFXVersion, Trapped, matching XMP; supplied ads
 * (pdfplace.c) as form XObjects. A deterministic /ID makes the bytes
 * reproducible. With pdfplace.c, pdfad.cc (preflight, qpdf's C++ content
 * parser) and the post-pass's other files, the only file that includes
 * qpdf. Called by out_pdf.c and out_print.c. */
#include "pdfpost.h"
#include "pdfad.h"
#include "image.h"
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <qpdf/qpdf-c.h>
#include <stdlib.h>
#include <string.h>

/* cairo's file up to this size is read into memory for qpdf */
#define WHOLE_FILE_MAX (4 << 20)

#define PR_PRODUCER "pressrun " PR_VERSION " (cairo, qpdf)"

/* /PageLabels: one range per run of consecutive numeric folios, a prefix
 * label (/P) for anything else. */
static void page_labels(qpdf_data q, const struct pr_pdf_post *post)
{
    qpdf_oh nums = qpdf_oh_new_array(q);
    long expect = -1, start;
    for (int i = 0; i < post->npages; i++) {
        if (!pr_pdf_label_range(post, i, &expect, &start))
            continue;
        qpdf_oh d = qpdf_oh_new_dictionary(q);
        if (start > 0) {
            qpdf_oh_replace_key(q, d, "/S", qpdf_oh_new_name(q, "/D"));
            qpdf_oh_replace_key(q, d, "/St", qpdf_oh_new_integer(q, start));
        } else
            qpdf_oh_replace_key(q, d, "/P", qpdf_oh_new_unicode_string(q, post->labels[i] ? post->labels[i] : ""));
        qpdf_oh_append_item(q, nums, qpdf_oh_new_integer(q, i));
        qpdf_oh_append_item(q, nums, d);
    }
    qpdf_oh pl = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, pl, "/Nums", nums);
    qpdf_oh_replace_key(q, qpdf_get_root(q), "/PageLabels", pl);
}

/* The link annotations, each with its /Contents (the text it links, and
 * the URI or page it goes to); ids[i]: link i's object number (0: none). */
static void links(qpdf_data q, const struct pr_pdf_post *post, int *ids)
{
    const struct pr_pdf_marks *m = post->marks;
    double page_h = post->page_h;
    /* destinations by name (the first of a name wins) */
    GHashTable *dests = g_hash_table_new(g_str_hash, g_str_equal);
    for (int i = m->ndests - 1; i >= 0; i--)
        g_hash_table_insert(dests, (gpointer)m->dests[i].name, (gpointer)&m->dests[i]);
    for (int i = 0; i < m->nlinks; i++) {
        /* the C API keeps every handle it gives until told: a link's go
         * when it is placed */
        qpdf_oh_release_all(q);
        const struct pr_pdf_link *l = &m->links[i];
        if (l->page < 0 || l->page >= post->npages)
            continue;
        qpdf_oh a = qpdf_oh_new_dictionary(q);
        qpdf_oh_replace_key(q, a, "/Type", qpdf_oh_new_name(q, "/Annot"));
        qpdf_oh_replace_key(q, a, "/Subtype", qpdf_oh_new_name(q, "/Link"));
        qpdf_oh rect = qpdf_oh_new_array(q);
        qpdf_oh_append_item(q, rect, pr_qpdf_real(q, l->x));
        qpdf_oh_append_item(q, rect, pr_qpdf_real(q, page_h - (l->y + l->h)));
        qpdf_oh_append_item(q, rect, pr_qpdf_real(q, l->x + l->w));
        qpdf_oh_append_item(q, rect, pr_qpdf_real(q, page_h - l->y));
        qpdf_oh_replace_key(q, a, "/Rect", rect);
        qpdf_oh border = qpdf_oh_new_array(q);
        for (int k = 0; k < 3; k++)
            qpdf_oh_append_item(q, border, qpdf_oh_new_integer(q, 0));
        qpdf_oh_replace_key(q, a, "/Border", border);
        if (l->uri) {
            qpdf_oh act = qpdf_oh_new_dictionary(q);
            qpdf_oh_replace_key(q, act, "/S", qpdf_oh_new_name(q, "/URI"));
            qpdf_oh_replace_key(q, act, "/URI", qpdf_oh_new_string(q, l->uri));
            qpdf_oh_replace_key(q, a, "/A", act);
        } else {
            const struct pr_pdf_dest *d = l->dest ? g_hash_table_lookup(dests, l->dest) : NULL;
            if (!d || d->page < 0 || d->page >= post->npages)
                continue;
            qpdf_oh dest = qpdf_oh_new_array(q);
            qpdf_oh_append_item(q, dest, qpdf_get_page_n(q, (size_t)d->page));
            qpdf_oh_append_item(q, dest, qpdf_oh_new_name(q, "/XYZ"));
            qpdf_oh_append_item(q, dest, qpdf_oh_new_null(q));
            qpdf_oh_append_item(q, dest, pr_qpdf_real(q, page_h - d->y + 4));
            qpdf_oh_append_item(q, dest, qpdf_oh_new_null(q));
            qpdf_oh_replace_key(q, a, "/Dest", dest);
        }
        char *what = pr_pdf_link_says(post, l, l->uri ? NULL : g_hash_table_lookup(dests, l->dest));
        qpdf_oh_replace_key(q, a, "/Contents", qpdf_oh_new_unicode_string(q, what));
        g_free(what);
        qpdf_oh page = qpdf_get_page_n(q, (size_t)l->page);
        qpdf_oh annots = qpdf_oh_get_key(q, page, "/Annots");
        if (!qpdf_oh_is_array(q, annots)) {
            annots = qpdf_oh_new_array(q);
            qpdf_oh_replace_key(q, page, "/Annots", annots);
        }
        qpdf_oh ind = qpdf_make_indirect_object(q, a);
        ids[i] = qpdf_oh_get_object_id(q, ind);
        qpdf_oh_append_item(q, annots, ind);
    }
    qpdf_oh_release_all(q);
    g_hash_table_destroy(dests);
}

/* The named destinations (the outline's): the catalog's /Dests name tree,
 * each at its box's top left in whole points (the first of a name wins). */
static void dest_names(qpdf_data q, const struct pr_pdf_post *post)
{
    const struct pr_pdf_marks *m = post->marks;
    const struct pr_pdf_dest **v = pr_xmalloc((size_t)(m->ndests + 1) * sizeof *v);
    for (int i = 0; i < m->ndests; i++)
        v[i] = &m->dests[i];
    qsort(v, (size_t)m->ndests, sizeof *v, pr_pdf_dest_cmp);
    qpdf_oh names = qpdf_oh_new_array(q);
    for (int i = 0; i < m->ndests; i++) {
        const struct pr_pdf_dest *d = v[i];
        if ((i > 0 && strcmp(d->name, v[i - 1]->name) == 0) || d->page < 0 || d->page >= post->npages)
            continue;
        qpdf_oh dest = qpdf_oh_new_array(q);
        qpdf_oh_append_item(q, dest, qpdf_get_page_n(q, (size_t)d->page));
        qpdf_oh_append_item(q, dest, qpdf_oh_new_name(q, "/XYZ"));
        qpdf_oh_append_item(q, dest, qpdf_oh_new_integer(q, (long long)floor(d->x)));
        qpdf_oh_append_item(q, dest, qpdf_oh_new_integer(q, (long long)lround(post->page_h - floor(d->y))));
        qpdf_oh_append_item(q, dest, qpdf_oh_new_integer(q, 0));
        qpdf_oh_append_item(q, names, qpdf_oh_new_string(q, d->name));
        qpdf_oh_append_item(q, names, dest);
    }
    free(v);
    qpdf_oh tree = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, tree, "/Names", names);
    qpdf_oh_replace_key(q, pr_qpdf_sub_dict(q, qpdf_get_root(q), "/Names"), "/Dests",
                        qpdf_make_indirect_object(q, tree));
    qpdf_oh_release_all(q);
}

static bool read_file(const char *path, unsigned char **data, size_t *len)
{
    gchar *d = NULL;
    gsize n = 0;
    if (!g_file_get_contents(path, &d, &n, NULL))
        return false;
    *data = (unsigned char *)d;
    *len = n;
    return true;
}

/* The ICC profiles come from Debian's libgs-common (Ghostscript's own):
 * an output-class CMYK profile (SWOP) and sRGB. */
static const char *icc_dir(void)
{
    const char *env = getenv("PRESSRUN_ICC_DIR");
    return env && *env ? env : "/usr/share/color/icc/ghostscript";
}

static qpdf_oh icc_stream(qpdf_data q, const unsigned char *data, size_t len, int n)
{
    qpdf_oh st = pr_qpdf_stream(q, data, len);
    qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, st), "/N", qpdf_oh_new_integer(q, n));
    return st;
}

/* A JPEG that cairo put in as it is (DCTDecode) keeps its values; what
 * they mean goes beside them: its own embedded profile as an ICCBased
 * space (an Adobe RGB photo, a CMYK file with its press's profile; not
 * sRGB, which the print PDF's calibration names anyway), and the Decode
 * array when Adobe's APP14 marker says CMYK ink is stored inverted
 * (Photoshop, ImageMagick and news agencies write them that way; without
 * it every reader prints the negative). A CMYK JPEG without a profile
 * stays DeviceCMYK, the output intent's CMYK. */
static void jpeg_colour(qpdf_data q, qpdf_oh o, qpdf_oh d)
{
    if (!qpdf_oh_is_stream(q, o) || !qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, d, "/Filter"), "/DCTDecode") ||
        !qpdf_oh_is_name(q, qpdf_oh_get_key(q, d, "/ColorSpace")) || qpdf_oh_has_key(q, d, "/Decode"))
        return;
    unsigned char *buf = NULL, *icc = NULL;
    size_t len = 0, icc_len = 0;
    QPDF_BOOL filtered = QPDF_FALSE;
    bool inverted = false;
    int n = 0;
    if (qpdf_oh_get_stream_data(q, o, qpdf_dl_none, &filtered, &buf, &len) == QPDF_SUCCESS &&
        pr_image_jpeg_colour(buf, len, &n, &inverted, &icc, &icc_len)) {
        if (inverted) {
            qpdf_oh dec = qpdf_oh_new_array(q);
            for (int i = 0; i < 8; i++)
                qpdf_oh_append_item(q, dec, qpdf_oh_new_integer(q, (i + 1) % 2));
            qpdf_oh_replace_key(q, d, "/Decode", dec);
        }
        if (icc) {
            qpdf_oh cs = qpdf_oh_new_array(q);
            qpdf_oh_append_item(q, cs, qpdf_oh_new_name(q, "/ICCBased"));
            qpdf_oh_append_item(q, cs, qpdf_make_indirect_object(q, icc_stream(q, icc, icc_len, n)));
            qpdf_oh_replace_key(q, d, "/ColorSpace", cs);
        }
    }
    free(icc);
    free(buf);
}

/* Every object's dictionary (a stream's own) through fn, each with fresh
 * handles: the file's objects can be many. */
static void each_dict(qpdf_data q, void (*fn)(qpdf_data q, qpdf_oh o, qpdf_oh d, const void *ctx), const void *ctx)
{
    qpdf_oh size = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Size");
    int n = (int)qpdf_oh_get_int_value(q, size);
    for (int id = 1; id < n; id++) {
        qpdf_oh_release_all(q); /* each object's handles go once it is done */
        qpdf_oh o = qpdf_get_object_by_id(q, id, 0);
        qpdf_oh d = qpdf_oh_is_stream(q, o) ? qpdf_oh_get_dict(q, o) : o;
        if (qpdf_oh_is_dictionary(q, d))
            fn(q, o, d, ctx);
    }
}

static void jpeg_colour_fn(qpdf_data q, qpdf_oh o, qpdf_oh d, const void *ctx)
{
    (void)ctx;
    jpeg_colour(q, o, d);
}

/* Is every pixel of 8-bit RGB data the colour `key`? */
static bool all_key(const unsigned char *px, size_t n, unsigned key)
{
    for (size_t i = 0; i + 2 < n; i += 3)
        if (((unsigned)px[i] << 16 | (unsigned)px[i + 1] << 8 | px[i + 2]) != key)
            return false;
    return true;
}

/* The entry of post->cmyk a placeholder of this size and colour stands
 * for, or NULL. */
static const struct pr_cmyk_image *cmyk_entry(const struct pr_pdf_post *post, long long w, long long h,
                                              unsigned key)
{
    for (int i = 0; i < post->ncmyk; i++)
        if (post->cmyk[i].w == w && post->cmyk[i].h == h && post->cmyk[i].key == key)
            return &post->cmyk[i];
    return NULL;
}

/* The picture's ink into the image stream, in its own colour space. */
static void put_ink(qpdf_data q, qpdf_oh o, qpdf_oh d, const struct pr_cmyk_image *ci)
{
    int w, h;
    unsigned char *ink = NULL, *icc = NULL;
    size_t icc_len = 0;
    if (!pr_image_cmyk_samples(ci->path, &w, &h, &ink, &icc, &icc_len) || w != ci->w || h != ci->h) {
        free(ink);
        free(icc);
        return;
    }
    qpdf_oh_replace_stream_data(q, o, ink, (size_t)w * (size_t)h * 4, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    if (icc) {
        qpdf_oh cs = qpdf_oh_new_array(q);
        qpdf_oh_append_item(q, cs, qpdf_oh_new_name(q, "/ICCBased"));
        qpdf_oh_append_item(q, cs, qpdf_make_indirect_object(q, icc_stream(q, icc, icc_len, 4)));
        qpdf_oh_replace_key(q, d, "/ColorSpace", cs);
    } else
        qpdf_oh_replace_key(q, d, "/ColorSpace", qpdf_oh_new_name(q, "/DeviceCMYK"));
    free(ink);
    free(icc);
}

/* The placeholder cairo drew for a CMYK picture (post->cmyk: an 8-bit
 * DeviceRGB image of the picture's size, every pixel its key) gets the
 * picture's own ink, DeviceCMYK or ICCBased with its own profile. */
static void fill_cmyk(qpdf_data q, qpdf_oh o, qpdf_oh d, const struct pr_pdf_post *post)
{
    if (!post->ncmyk || !qpdf_oh_is_stream(q, o) ||
        !qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, d, "/ColorSpace"), "/DeviceRGB") ||
        !qpdf_oh_is_integer(q, qpdf_oh_get_key(q, d, "/Width")) ||
        !qpdf_oh_is_integer(q, qpdf_oh_get_key(q, d, "/Height")))
        return;
    long long w = qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, d, "/Width"));
    long long h = qpdf_oh_get_int_value(q, qpdf_oh_get_key(q, d, "/Height"));
    bool sized = false; /* only a picture of a placeholder's size is decoded */
    for (int i = 0; i < post->ncmyk; i++)
        sized = sized || (post->cmyk[i].w == w && post->cmyk[i].h == h);
    if (!sized)
        return;
    unsigned char *px = NULL;
    size_t len = 0;
    QPDF_BOOL filtered = QPDF_FALSE;
    if (qpdf_oh_get_stream_data(q, o, qpdf_dl_generalized, &filtered, &px, &len) == QPDF_SUCCESS && filtered &&
        w > 0 && h > 0 && len == (size_t)(w * h * 3)) {
        unsigned key = (unsigned)px[0] << 16 | (unsigned)px[1] << 8 | px[2];
        const struct pr_cmyk_image *ci = cmyk_entry(post, w, h, key);
        if (ci && all_key(px, len, key))
            put_ink(q, o, d, ci);
    }
    free(px);
}

/* Every DeviceRGB use becomes the ICC-based sRGB space: image and shading
 * /ColorSpace, transparency group /CS, and DefaultRGB in every resource
 * dictionary so that rg/RG operators are calibrated too; JPEGs get their
 * profile and Decode array, CMYK TIFFs' placeholders their ink, on the
 * way. */
struct calibration {
    int srgb_id;
    const struct pr_pdf_post *post;
};

static void calibrate_fn(qpdf_data q, qpdf_oh o, qpdf_oh d, const void *ctx)
{
    const struct calibration *c = ctx;
    qpdf_oh srgb = qpdf_get_object_by_id(q, c->srgb_id, 0);
    jpeg_colour(q, o, d);
    fill_cmyk(q, o, d, c->post);
    if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, d, "/ColorSpace"), "/DeviceRGB"))
        qpdf_oh_replace_key(q, d, "/ColorSpace", srgb);
    qpdf_oh grp = qpdf_oh_get_key(q, d, "/Group");
    if (qpdf_oh_is_dictionary(q, grp) && qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, grp, "/CS"), "/DeviceRGB"))
        qpdf_oh_replace_key(q, grp, "/CS", srgb);
    qpdf_oh res = qpdf_oh_get_key(q, d, "/Resources");
    if (qpdf_oh_is_dictionary(q, res))
        qpdf_oh_replace_key(q, pr_qpdf_sub_dict(q, res, "/ColorSpace"), "/DefaultRGB", srgb);
}

/* Crop marks at the four corners, offset 3 pt outside the bleed, 18 pt
 * long, in the Separation /All colour space so they print on every plate. */
static void crop_marks(qpdf_data q, qpdf_oh page, const struct pr_print_geom *g, qpdf_oh all, qpdf_oh slug)
{
    double m = g->margin, x0 = m, y0 = m, x1 = m + g->trim_w, y1 = m + g->trim_h;
    double o = g->bleed + 3, l = 18;
    GString *c = g_string_new("Q q /PRAll CS 1 SC 0.25 w\n");
    double xs[2] = {x0, x1}, ys[2] = {y0, y1};
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 2; k++) {
            double sx = i ? 1 : -1, sy = k ? 1 : -1;
            /* horizontal mark in line with the trim's horizontal edge */
            g_string_append_printf(c, "%.2f %.2f m %.2f %.2f l S\n", xs[i] + sx * o, ys[k], xs[i] + sx * (o + l), ys[k]);
            /* vertical mark in line with the trim's vertical edge */
            g_string_append_printf(c, "%.2f %.2f m %.2f %.2f l S\n", xs[i], ys[k] + sy * o, xs[i], ys[k] + sy * (o + l));
        }
    g_string_append(c, "Q\n");
    qpdf_oh res = pr_qpdf_sub_dict(q, page, "/Resources");
    if (qpdf_oh_is_stream(q, slug)) {
        /* the slug line, a form made from the page cairo painted it on */
        qpdf_oh_replace_key(q, pr_qpdf_sub_dict(q, res, "/XObject"), "/PRSlug", slug);
        g_string_append(c, "q /PRSlug Do Q\n");
    }
    qpdf_oh_replace_key(q, pr_qpdf_sub_dict(q, res, "/ColorSpace"), "/PRAll", all);
    /* cairo's content leaves its transformation in place: wrap it in q/Q */
    qpdf_oh contents = qpdf_oh_get_key(q, page, "/Contents");
    qpdf_oh arr = qpdf_oh_is_array(q, contents) ? contents : qpdf_oh_wrap_in_array(q, contents);
    qpdf_oh_insert_item(q, arr, 0, qpdf_make_indirect_object(q, pr_qpdf_stream(q, "q\n", 2)));
    qpdf_oh_append_item(q, arr, qpdf_make_indirect_object(q, pr_qpdf_stream(q, c->str, c->len)));
    qpdf_oh_replace_key(q, page, "/Contents", arr);
    g_string_free(c, TRUE);
}

static qpdf_oh separation_all(qpdf_data q)
{
    qpdf_oh fn = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, fn, "/FunctionType", qpdf_oh_new_integer(q, 2));
    qpdf_oh dom = qpdf_oh_new_array(q), c0 = qpdf_oh_new_array(q), c1 = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, dom, qpdf_oh_new_integer(q, 0));
    qpdf_oh_append_item(q, dom, qpdf_oh_new_integer(q, 1));
    for (int i = 0; i < 4; i++) {
        qpdf_oh_append_item(q, c0, qpdf_oh_new_integer(q, 0));
        qpdf_oh_append_item(q, c1, qpdf_oh_new_integer(q, 1));
    }
    qpdf_oh_replace_key(q, fn, "/Domain", dom);
    qpdf_oh_replace_key(q, fn, "/C0", c0);
    qpdf_oh_replace_key(q, fn, "/C1", c1);
    qpdf_oh_replace_key(q, fn, "/N", qpdf_oh_new_integer(q, 1));
    qpdf_oh sep = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, sep, qpdf_oh_new_name(q, "/Separation"));
    qpdf_oh_append_item(q, sep, qpdf_oh_new_name(q, "/All"));
    qpdf_oh_append_item(q, sep, qpdf_oh_new_name(q, "/DeviceCMYK"));
    qpdf_oh_append_item(q, sep, fn);
    return qpdf_make_indirect_object(q, sep);
}

static void xmp(qpdf_data q, const struct pr_pdf_post *post, bool pdfx)
{
    size_t n;
    char *x = pr_pdf_xmp(post, pdfx, &n);
    qpdf_oh meta = pr_qpdf_stream(q, x, n);
    g_free(x);
    qpdf_oh md = qpdf_oh_get_dict(q, meta);
    qpdf_oh_replace_key(q, md, "/Type", qpdf_oh_new_name(q, "/Metadata"));
    qpdf_oh_replace_key(q, md, "/Subtype", qpdf_oh_new_name(q, "/XML"));
    qpdf_oh_replace_key(q, qpdf_get_root(q), "/Metadata", qpdf_make_indirect_object(q, meta));
}

static void pdfx(qpdf_data q, const struct pr_pdf_post *post, const unsigned char *cmyk, size_t cmyk_len)
{
    qpdf_oh root = qpdf_get_root(q);
    /* output intent */
    qpdf_oh oi = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, oi, "/Type", qpdf_oh_new_name(q, "/OutputIntent"));
    qpdf_oh_replace_key(q, oi, "/S", qpdf_oh_new_name(q, "/GTS_PDFX"));
    qpdf_oh_replace_key(q, oi, "/OutputConditionIdentifier", qpdf_oh_new_string(q, "CGATS TR 001"));
    qpdf_oh_replace_key(q, oi, "/OutputCondition", qpdf_oh_new_string(q, "SWOP (Publication) Grade 1 Paper"));
    qpdf_oh_replace_key(q, oi, "/RegistryName", qpdf_oh_new_string(q, "http://www.color.org"));
    qpdf_oh_replace_key(q, oi, "/Info", qpdf_oh_new_string(q, "Artifex CMYK SWOP Profile"));
    qpdf_oh_replace_key(q, oi, "/DestOutputProfile", qpdf_make_indirect_object(q, icc_stream(q, cmyk, cmyk_len, 4)));
    qpdf_oh ois = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, ois, oi);
    qpdf_oh_replace_key(q, root, "/OutputIntents", ois);
    /* document information: the keys PDF/X asks for */
    char pdfdate[32];
    const char *d = post->date;
    snprintf(pdfdate, sizeof pdfdate, "D:%.4s%.2s%.2s%.2s%.2s%.2sZ", d, d + 5, d + 8, d + 11, d + 14, d + 17);
    qpdf_oh info = qpdf_oh_get_key(q, qpdf_get_trailer(q), "/Info");
    if (!qpdf_oh_is_dictionary(q, info)) {
        info = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
        qpdf_oh_replace_key(q, qpdf_get_trailer(q), "/Info", info);
    }
    const char *producer = PR_PRODUCER;
    qpdf_oh_replace_key(q, info, "/GTS_PDFXVersion", qpdf_oh_new_string(q, "PDF/X-4"));
    qpdf_oh_replace_key(q, info, "/Trapped", qpdf_oh_new_name(q, "/False"));
    qpdf_oh_replace_key(q, info, "/Title", qpdf_oh_new_unicode_string(q, post->title));
    qpdf_oh_replace_key(q, info, "/Author", qpdf_oh_new_unicode_string(q, post->author ? post->author : ""));
    qpdf_oh_replace_key(q, info, "/Producer", qpdf_oh_new_string(q, producer));
    qpdf_oh_replace_key(q, info, "/Creator", qpdf_oh_new_string(q, "pressrun " PR_VERSION));
    qpdf_oh_replace_key(q, info, "/CreationDate", qpdf_oh_new_string(q, pdfdate));
    qpdf_oh_replace_key(q, info, "/ModDate", qpdf_oh_new_string(q, pdfdate));
    xmp(q, post, true);
}

/* The page boxes, and with marks the crop marks (in the colour space
 * object all_id) and the slug line (form object slugs[page], 0: none). */
static void print_pages(qpdf_data q, const struct pr_print_geom *g, int all_id, const int *slugs)
{
    double m = g->margin, b = g->bleed;
    int n = qpdf_get_num_pages(q);
    for (int i = 0; i < n; i++) {
        qpdf_oh_release_all(q); /* a page's handles go once it is done */
        qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
        qpdf_oh_replace_key(q, page, "/TrimBox", pr_qpdf_rect(q, m, m, m + g->trim_w, m + g->trim_h));
        qpdf_oh_replace_key(q, page, "/BleedBox", pr_qpdf_rect(q, m - b, m - b, m + g->trim_w + b, m + g->trim_h + b));
        if (g->marks)
            crop_marks(q, page, g, qpdf_get_object_by_id(q, all_id, 0),
                       slugs && slugs[i] ? qpdf_get_object_by_id(q, slugs[i], 0) : qpdf_oh_new_null(q));
    }
    qpdf_oh_release_all(q);
}

/* A painted page as a form XObject (its content and resources), to be
 * laid over another page. */
static qpdf_oh page_form(qpdf_data q, qpdf_oh page, double w, double h)
{
    /* the page's own content stream becomes the form, as it is (its
     * compressed bytes untouched); several are joined */
    qpdf_oh form = qpdf_oh_get_key(q, page, "/Contents");
    if (qpdf_oh_is_array(q, form) && qpdf_oh_get_array_n_items(q, form) == 1)
        form = qpdf_oh_get_array_item(q, form, 0);
    if (!qpdf_oh_is_stream(q, form)) {
        unsigned char *buf = NULL;
        size_t len = 0;
        if (qpdf_oh_get_page_content_data(q, page, &buf, &len) & QPDF_ERRORS)
            return qpdf_oh_new_null(q);
        form = qpdf_make_indirect_object(q, pr_qpdf_stream(q, buf, len));
        free(buf);
    }
    qpdf_oh d = qpdf_oh_get_dict(q, form);
    qpdf_oh_replace_key(q, d, "/Type", qpdf_oh_new_name(q, "/XObject"));
    qpdf_oh_replace_key(q, d, "/Subtype", qpdf_oh_new_name(q, "/Form"));
    qpdf_oh_replace_key(q, d, "/BBox", pr_qpdf_rect(q, 0, 0, w, h));
    qpdf_oh res = qpdf_oh_get_key(q, page, "/Resources");
    if (qpdf_oh_is_dictionary(q, res))
        qpdf_oh_replace_key(q, d, "/Resources", res);
    return form;
}

/* The document's pages, in this order: ids, n object numbers (the
 * others leave the page tree), as one flat page tree. */
static bool set_pages(qpdf_data q, const int *ids, int n)
{
    if (qpdf_push_inherited_attributes_to_page(q) & QPDF_ERRORS)
        return false;
    qpdf_oh tree = qpdf_oh_get_key(q, qpdf_get_root(q), "/Pages");
    qpdf_oh kids = qpdf_oh_new_array(q);
    for (int i = 0; i < n; i++) {
        qpdf_oh page = qpdf_get_object_by_id(q, ids[i], 0);
        qpdf_oh_replace_key(q, page, "/Parent", tree);
        qpdf_oh_append_item(q, kids, page);
    }
    qpdf_oh_replace_key(q, tree, "/Kids", kids);
    qpdf_oh_replace_key(q, tree, "/Count", qpdf_oh_new_integer(q, n));
    qpdf_oh_release_all(q);
    return !(qpdf_update_all_pages_cache(q) & QPDF_ERRORS);
}

/* A tagged page's artifacts (the layer pages cairo painted for it) laid
 * under and over its content as marked forms: [under] q [content] Q [over].
 * forms[l]: the form of layer l, 0: none. Every page's forms have the same
 * names, so the wrapping streams are the same for every page with the same
 * layers: made once, each page's /Contents points to them (wraps[l][has]:
 * the stream before (l = 0) or after (1) the content, with (has = 1) or
 * without the form drawn; 0 until made). */
static void lay_artifacts(qpdf_data q, qpdf_oh page, const int forms[3], int wraps[2][2])
{
    qpdf_oh contents = qpdf_oh_get_key(q, page, "/Contents");
    qpdf_oh arr = qpdf_oh_is_array(q, contents) ? contents : qpdf_oh_wrap_in_array(q, contents);
    qpdf_oh xobj = pr_qpdf_sub_dict(q, pr_qpdf_sub_dict(q, page, "/Resources"), "/XObject");
    for (int l = PR_LAYER_UNDER; l <= PR_LAYER_OVER; l++) {
        const char *name = l == PR_LAYER_UNDER ? "/PRArtUnder" : "/PRArtOver";
        int w = l == PR_LAYER_UNDER ? 0 : 1, has = forms[l] != 0;
        if (has)
            qpdf_oh_replace_key(q, xobj, name, qpdf_get_object_by_id(q, forms[l], 0));
        if (!wraps[w][has]) {
            size_t n;
            char *g = pr_pdf_artifact_wrap(l, has, &n);
            wraps[w][has] = qpdf_oh_get_object_id(q, qpdf_make_indirect_object(q, pr_qpdf_stream(q, g, n)));
            g_free(g);
        }
        if (w == 0)
            qpdf_oh_insert_item(q, arr, 0, qpdf_get_object_by_id(q, wraps[w][has], 0));
        else
            qpdf_oh_append_item(q, arr, qpdf_get_object_by_id(q, wraps[w][has], 0));
    }
    qpdf_oh_replace_key(q, page, "/Contents", arr);
}

/* Put the pages cairo painted in their places (post->order), take the
 * slug pages painted last out as forms for the pages they belong to
 * (*slugs: the form's object number for each final page, 0 for none;
 * malloc'd, NULL when there are none), and lay a tagged PDF's artifact
 * layers onto their pages. Only pages out of place move. */
static bool arrange(qpdf_data q, const struct pr_pdf_post *post, double w, double h, int **slugs)
{
    *slugs = NULL;
    int n = post->npainted, body = n - post->nslugs;
    bool moved = post->nslugs > 0 || body != post->npages;
    for (int i = 0; i < body && !moved; i++)
        moved = post->order[i] != i;
    if (!moved)
        return true;
    int *painted = pr_xmalloc((size_t)n * sizeof *painted);   /* object numbers, as painted */
    int *at = pr_xmalloc((size_t)(post->npages ? post->npages : 1) * sizeof *at);
    int (*forms)[3] = NULL;                                    /* each final page's artifact layers */
    for (int i = 0; i < n; i++)
        painted[i] = qpdf_oh_get_object_id(q, qpdf_get_page_n(q, (size_t)i));
    bool ok = true;
    if (post->layer) {
        forms = pr_xmalloc((size_t)(post->npages ? post->npages : 1) * sizeof *forms);
        memset(forms, 0, (size_t)(post->npages ? post->npages : 1) * sizeof *forms);
        for (int i = 0; i < body && ok; i++) {
            if (post->layer[i] == PR_LAYER_CONTENT)
                continue;
            qpdf_oh page = qpdf_get_object_by_id(q, painted[i], 0);
            int t = post->order[i];
            if (t >= 0 && t < post->npages)
                forms[t][post->layer[i]] = qpdf_oh_get_object_id(q, page_form(q, page, w, h));
            qpdf_oh_release_all(q);
        }
    }
    if (post->nslugs) {
        *slugs = pr_xmalloc((size_t)(post->npages ? post->npages : 1) * sizeof **slugs);
        memset(*slugs, 0, (size_t)(post->npages ? post->npages : 1) * sizeof **slugs);
        for (int k = 0; k < post->nslugs && ok; k++) {
            qpdf_oh page = qpdf_get_object_by_id(q, painted[body + k], 0);
            int t = post->slug_target[k];
            if (t >= 0 && t < post->npages)
                (*slugs)[t] = qpdf_oh_get_object_id(q, page_form(q, page, w, h));
            qpdf_oh_release_all(q);
        }
    }
    for (int i = 0; i < post->npages; i++)
        at[i] = 0;
    for (int i = 0; i < body; i++)
        if (!post->layer || post->layer[i] == PR_LAYER_CONTENT)
            at[post->order[i]] = painted[i];
    for (int i = 0; i < post->npages; i++)
        ok = ok && at[i] > 0;
    ok = ok && set_pages(q, at, post->npages);
    int wraps[2][2] = {{0, 0}, {0, 0}};
    for (int i = 0; forms && i < post->npages && ok; i++) {
        if (forms[i][PR_LAYER_UNDER] || forms[i][PR_LAYER_OVER])
            lay_artifacts(q, qpdf_get_object_by_id(q, at[i], 0), forms[i], wraps);
        qpdf_oh_release_all(q);
    }
    qpdf_oh_release_all(q);
    free(forms);
    free(painted);
    free(at);
    return ok;
}

bool pr_pdfboxes_run(struct pr_build *b, const char *pdf_path, const char *out_path,
                     const struct pr_pdf_post *post)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    bool ok = false;
    const char *why = NULL;
    unsigned char *cmyk = NULL, *srgb = NULL;
    int *slugs = NULL, *annots = NULL;
    size_t cmyk_len = 0, srgb_len = 0;
    gchar *raw = NULL; /* watch: cairo's PDF in memory, read by qpdf until it is cleaned up */
    gsize raw_len = 0;
    struct pr_ad_srcs ads = {0};
    char aderr[512] = "";
    if (post->print) {
        char *pc = g_build_filename(icc_dir(), "default_cmyk.icc", NULL);
        char *ps = g_build_filename(icc_dir(), "srgb.icc", NULL);
        bool got = read_file(pc, &cmyk, &cmyk_len) && read_file(ps, &srgb, &srgb_len);
        g_free(pc);
        g_free(ps);
        if (!got) {
            why = "the ICC profiles default_cmyk.icc and srgb.icc were not found in $PRESSRUN_ICC_DIR or "
                  "/usr/share/color/icc/ghostscript; install Debian's libgs-common";
            goto done;
        }
    }
    if (post->marks && post->marks->tagged)
        pr_pdf_drop_cairo_tree(pdf_path);
    if (!pr_pdftext_write(post->text, pdf_path)) {
        why = "cannot add the text to cairo's PDF";
        goto done;
    }
    /* a screen PDF written without qpdf where it can be (pdfwrite.c;
     * PRESSRUN_POSTPASS=qpdf has qpdf do it, to compare the two) */
    const char *pass = getenv("PRESSRUN_POSTPASS");
    if (post->marks) { /* (link i's annotation, either way) */
        annots = pr_xmalloc((size_t)(post->marks->nlinks + 1) * sizeof *annots);
        memset(annots, 0, (size_t)(post->marks->nlinks + 1) * sizeof *annots);
    }
    if (post->marks && !post->print && !(pass && strcmp(pass, "qpdf") == 0)) {
        int done = pr_pdfwrite_run(pdf_path, out_path, post, annots, aderr, sizeof aderr);
        if (done != 0) {
            ok = done > 0;
            why = aderr;
            goto done;
        }
    }
    /* cairo's file read whole, once: qpdf reads a file piece by piece, a
     * seek and a read each (15-20 ms of the 64-article bench's post-pass);
     * a file larger than a 200-page issue's is read that way all the same
     * in a build, to keep its peak memory down (watch always reads it
     * whole) */
    GStatBuf st;
    bool whole = b->opt.reuse || (g_stat(pdf_path, &st) == 0 && st.st_size <= WHOLE_FILE_MAX);
    if (whole && g_file_get_contents(pdf_path, &raw, &raw_len, NULL)) {
        if (qpdf_read_memory(q, pdf_path, raw, (unsigned long long)raw_len, NULL) & QPDF_ERRORS)
            goto done;
    } else if (qpdf_read(q, pdf_path, NULL) & QPDF_ERRORS)
        goto done;
    if (!pr_pdf_painted_all(post, (int)qpdf_get_num_pages(q))) {
        why = "page count differs";
        goto done;
    }
    bool v16 = post->print != NULL;
    if (!pr_pdftext_apply(q, post->text, &v16, aderr, sizeof aderr)) {
        why = aderr;
        goto done;
    }
    pr_pdf_join_words(q);
    double sheet_w = 0;
    if (post->npainted > 0) {
        qpdf_oh mb = qpdf_oh_get_key(q, qpdf_get_page_n(q, 0), "/MediaBox");
        sheet_w = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, mb, 2));
    }
    if (!arrange(q, post, sheet_w, post->page_h, &slugs)) {
        why = "cannot put the pages in order";
        goto done;
    }
    page_labels(q, post);
    if (post->marks) {
        links(q, post, annots);
        if (post->marks->ndests > 0)
            dest_names(q, post);
    }
    if (!post->print) /* the print PDF's calibration does it */
        each_dict(q, jpeg_colour_fn, NULL);
    if (post->marks && post->marks->tagged) {
        pr_pdf_tags_prepare(q, post, annots);
        xmp(q, post, false);
    }
    if (post->print) {
        int all = post->print->marks ? qpdf_oh_get_object_id(q, separation_all(q)) : 0;
        print_pages(q, post->print, all, slugs);
        qpdf_oh cs = qpdf_oh_new_array(q);
        qpdf_oh_append_item(q, cs, qpdf_oh_new_name(q, "/ICCBased"));
        qpdf_oh_append_item(q, cs, qpdf_make_indirect_object(q, icc_stream(q, srgb, srgb_len, 3)));
        struct calibration cal = {qpdf_oh_get_object_id(q, qpdf_make_indirect_object(q, cs)), post};
        each_dict(q, calibrate_fn, &cal);
        qpdf_oh_release_all(q);
        pdfx(q, post, cmyk, cmyk_len);
    }
    /* the ads last, onto the pages in their final places (and the print
     * PDF's TrimBox): their colours are the advertiser's, not calibrated */
    if (post->nads > 0 && !pr_pdf_place_ads(q, post->ads, post->nads, &ads, aderr, sizeof aderr)) {
        why = aderr;
        goto done;
    }
    if (qpdf_init_write(q, out_path) & QPDF_ERRORS)
        goto done;
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    if (v16)
        qpdf_set_minimum_pdf_version(q, "1.6");
    if (qpdf_write(q) & QPDF_ERRORS)
        goto done;
    ok = true;
done:
    if (!ok) {
        if (!why || !*why)
            why = qpdf_has_error(q) ? qpdf_get_error_full_text(q, qpdf_get_error(q)) : "unknown qpdf error";
        pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot finish '%s': %s", out_path, why);
    }
    g_free(cmyk);
    g_free(srgb);
    free(slugs);
    pr_ad_srcs_free(&ads);
    qpdf_cleanup(&q);
    g_free(raw);
    /* the structure tree once qpdf's objects are gone, onto the file it
     * wrote, by that file's own object numbers */
    if (ok && post->marks && post->marks->tagged && !pr_pdf_tags_append(out_path, post, annots, aderr, sizeof aderr)) {
        pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot finish '%s': %s", out_path, aderr);
        ok = false;
    }
    free(annots);
    return ok;
}

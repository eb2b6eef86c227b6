/* pdfboxes.c - the qpdf post-pass over the PDF cairo wrote: page labels
 * equal to the printed folios, link annotations (internal ones as explicit
 * page destinations: cairo 1.16 drops links to later pages), and for the
 * print PDF the TrimBox and BleedBox, crop marks in registration colour
 * (Separation /All), and PDF/X-4: output intent with a CMYK printer profile,
 * sRGB as DefaultRGB and for every DeviceRGB use, GTS_PDFXVersion, Trapped,
 * matching XMP; supplied ads (pdfad.h) as form XObjects. A deterministic
 * /ID makes the bytes reproducible. With pdfad.cc (preflight, qpdf's C++
 * content parser) the only file that includes qpdf. Called by out_pdf.c
 * and out_print.c. */
#include "pdfpost.h"
#include "pdfad.h"
#include "image.h"
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <qpdf/qpdf-c.h>
#include <stdlib.h>
#include <string.h>

#define PR_PRODUCER "pressrun " PR_VERSION " (cairo, qpdf)"
/* cairo's file up to this size is read into memory for qpdf */
#define WHOLE_FILE_MAX (4 << 20)


static bool all_digits(const char *s)
{
    if (!s || !*s || *s == '0')
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* /PageLabels: one range per run of consecutive numeric folios, a prefix
 * label (/P) for anything else. */
static void page_labels(qpdf_data q, const struct pr_pdf_post *post)
{
    qpdf_oh nums = qpdf_oh_new_array(q);
    long expect = -1;
    for (int i = 0; i < post->npages; i++) {
        const char *f = post->labels[i];
        if (all_digits(f) && atol(f) == expect) {
            expect++;
            continue;
        }
        qpdf_oh d = qpdf_oh_new_dictionary(q);
        if (all_digits(f)) {
            qpdf_oh_replace_key(q, d, "/S", qpdf_oh_new_name(q, "/D"));
            qpdf_oh_replace_key(q, d, "/St", qpdf_oh_new_integer(q, atol(f)));
            expect = atol(f) + 1;
        } else {
            qpdf_oh_replace_key(q, d, "/P", qpdf_oh_new_unicode_string(q, f ? f : ""));
            expect = -1;
        }
        qpdf_oh_append_item(q, nums, qpdf_oh_new_integer(q, i));
        qpdf_oh_append_item(q, nums, d);
    }
    qpdf_oh pl = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, pl, "/Nums", nums);
    qpdf_oh_replace_key(q, qpdf_get_root(q), "/PageLabels", pl);
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

int pr_pdf_dest_cmp(const void *a, const void *b)
{
    const struct pr_pdf_dest *x = *(const struct pr_pdf_dest *const *)a, *y = *(const struct pr_pdf_dest *const *)b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x < y ? -1 : x > y);
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

static qpdf_oh rect(qpdf_data q, double x0, double y0, double x1, double y1)
{
    qpdf_oh a = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, a, pr_qpdf_real(q, x0));
    qpdf_oh_append_item(q, a, pr_qpdf_real(q, y0));
    qpdf_oh_append_item(q, a, pr_qpdf_real(q, x1));
    qpdf_oh_append_item(q, a, pr_qpdf_real(q, y1));
    return a;
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
        qpdf_oh_replace_key(q, page, "/TrimBox", rect(q, m, m, m + g->trim_w, m + g->trim_h));
        qpdf_oh_replace_key(q, page, "/BleedBox", rect(q, m - b, m - b, m + g->trim_w + b, m + g->trim_h + b));
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
    qpdf_oh_replace_key(q, d, "/BBox", rect(q, 0, 0, w, h));
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

/* ---------- supplied ads ---------- */

/* Box `key` of a page as x0 y0 x1 y1 (normalised); false when it has none. */
static bool num_box(qpdf_data q, qpdf_oh page, const char *key, double r[4])
{
    qpdf_oh a = qpdf_oh_get_key(q, page, key);
    if (!qpdf_oh_is_array(q, a) || qpdf_oh_get_array_n_items(q, a) != 4)
        return false;
    for (int i = 0; i < 4; i++) {
        qpdf_oh v = qpdf_oh_get_array_item(q, a, i);
        if (!qpdf_oh_is_number(q, v))
            return false;
        r[i] = qpdf_oh_get_numeric_value(q, v);
    }
    for (int i = 0; i < 2; i++)
        if (r[i] > r[i + 2]) {
            double t = r[i];
            r[i] = r[i + 2];
            r[i + 2] = t;
        }
    return true;
}

/* TrimBox or BleedBox as the PDF defines them: else the CropBox, else the
 * MediaBox (inherited attributes pushed to the pages first). */
static void page_box(qpdf_data q, qpdf_oh page, const char *key, double r[4])
{
    if (!num_box(q, page, key, r) && !num_box(q, page, "/CropBox", r) && !num_box(q, page, "/MediaBox", r)) {
        r[0] = r[1] = 0;
        r[2] = 612;
        r[3] = 792;
    }
}

/* An ad page opened once per PDF, its form XObject copied into the host. */
struct ad_src {
    const char *file;
    int src_page;
    bool bleed;
    qpdf_data a;       /* kept open until the host is written: qpdf copies stream data then */
    int form_id;       /* the form's object number in the host */
    double trim[4];
};
struct ad_srcs {
    struct ad_src *s;
    int n;
};

static void ad_srcs_free(struct ad_srcs *S)
{
    for (int i = 0; i < S->n; i++)
        qpdf_cleanup(&S->s[i].a);
    free(S->s);
    S->s = NULL;
    S->n = 0;
}

/* The form XObject of an ad page, made in the ad's own qpdf: what qpdf's
 * QPDFPageObjectHelper::getFormXObjectForPage makes (the page's resources
 * and /Group, its content), except that a single content stream is taken
 * raw with its filters, so its bytes are the advertiser's, and /BBox is the
 * ad's BleedBox (bleed) or TrimBox, not always the TrimBox. */
static bool ad_form(qpdf_data a, qpdf_oh page, bool bleed, qpdf_oh *out)
{
    qpdf_oh contents = qpdf_oh_get_key(a, page, "/Contents");
    if (qpdf_oh_is_array(a, contents) && qpdf_oh_get_array_n_items(a, contents) == 1)
        contents = qpdf_oh_get_array_item(a, contents, 0);
    qpdf_oh form = qpdf_oh_new_stream(a);
    unsigned char *buf = NULL;
    size_t len = 0;
    if (qpdf_oh_is_stream(a, contents)) {
        if (qpdf_oh_get_stream_data(a, contents, qpdf_dl_none, NULL, &buf, &len) & QPDF_ERRORS)
            return false;
        qpdf_oh sd = qpdf_oh_get_dict(a, contents);
        qpdf_oh_replace_stream_data(a, form, buf, len, qpdf_oh_get_key(a, sd, "/Filter"),
                                    qpdf_oh_get_key(a, sd, "/DecodeParms"));
    } else {
        /* several streams (or none): concatenated, decoded */
        if (qpdf_oh_is_array(a, contents) && (qpdf_oh_get_page_content_data(a, page, &buf, &len) & QPDF_ERRORS))
            return false;
        qpdf_oh_replace_stream_data(a, form, buf ? buf : (const unsigned char *)"", len, qpdf_oh_new_null(a),
                                    qpdf_oh_new_null(a));
    }
    free(buf);
    double bb[4];
    page_box(a, page, bleed ? "/BleedBox" : "/TrimBox", bb);
    qpdf_oh d = qpdf_oh_get_dict(a, form);
    qpdf_oh_replace_key(a, d, "/Type", qpdf_oh_new_name(a, "/XObject"));
    qpdf_oh_replace_key(a, d, "/Subtype", qpdf_oh_new_name(a, "/Form"));
    qpdf_oh_replace_key(a, d, "/BBox", rect(a, bb[0], bb[1], bb[2], bb[3]));
    qpdf_oh res = qpdf_oh_get_key(a, page, "/Resources");
    if (qpdf_oh_is_dictionary(a, res))
        qpdf_oh_replace_key(a, d, "/Resources", res);
    qpdf_oh grp = qpdf_oh_get_key(a, page, "/Group");
    if (qpdf_oh_is_dictionary(a, grp))
        qpdf_oh_replace_key(a, d, "/Group", grp);
    *out = qpdf_make_indirect_object(a, form);
    return true;
}

/* Ad page (file, src_page, bleed) opened in a qpdf of its own (*a, to
 * clean up whatever the answer), checked, its TrimBox in trim and its
 * form XObject (ad_form) in *form. false with a message in err. */
static bool open_ad(const struct pr_ad_place *ad, qpdf_data *a_out, double trim[4], qpdf_oh *form, char *err,
                    size_t errlen)
{
    qpdf_data a = *a_out = qpdf_init();
    qpdf_silence_errors(a);
    qpdf_set_suppress_warnings(a, QPDF_TRUE);
    if (qpdf_read(a, ad->file, NULL) & QPDF_ERRORS) {
        snprintf(err, errlen, "ad '%s': %s", ad->file,
                 qpdf_has_error(a) ? qpdf_get_error_full_text(a, qpdf_get_error(a)) : "cannot be read");
        return false;
    }
    if (qpdf_is_encrypted(a)) {
        snprintf(err, errlen, "ad '%s' is encrypted", ad->file);
        return false;
    }
    int n = qpdf_get_num_pages(a);
    if (ad->src_page < 1 || ad->src_page > n) {
        snprintf(err, errlen, "ad '%s' has no page %d (it has %d)", ad->file, ad->src_page, n < 0 ? 0 : n);
        return false;
    }
    qpdf_push_inherited_attributes_to_page(a);
    qpdf_oh page = qpdf_get_page_n(a, (size_t)(ad->src_page - 1));
    qpdf_oh rot = qpdf_oh_get_key(a, page, "/Rotate");
    if ((qpdf_oh_is_integer(a, rot) && qpdf_oh_get_int_value(a, rot) % 360 != 0) ||
        qpdf_oh_has_key(a, page, "/UserUnit")) {
        snprintf(err, errlen, "ad '%s' page %d is rotated or scaled (/Rotate, /UserUnit)", ad->file, ad->src_page);
        return false;
    }
    page_box(a, page, "/TrimBox", trim);
    if (!ad_form(a, page, ad->bleed, form)) {
        snprintf(err, errlen, "ad '%s': %s", ad->file,
                 qpdf_has_error(a) ? qpdf_get_error_full_text(a, qpdf_get_error(a)) : "cannot read its content");
        return false;
    }
    return true;
}

/* The ad source for (file, src_page, bleed), opened and its form copied
 * into q the first time. NULL with a message in err. */
static struct ad_src *ad_source(qpdf_data q, struct ad_srcs *S, const struct pr_ad_place *ad, char *err,
                                size_t errlen)
{
    for (int i = 0; i < S->n; i++)
        if (!strcmp(S->s[i].file, ad->file) && S->s[i].src_page == ad->src_page && S->s[i].bleed == ad->bleed)
            return &S->s[i];
    S->s = pr_xrealloc(S->s, (size_t)(S->n + 1) * sizeof *S->s);
    struct ad_src *s = &S->s[S->n++];
    memset(s, 0, sizeof *s);
    s->file = ad->file;
    s->src_page = ad->src_page;
    s->bleed = ad->bleed;
    qpdf_oh form;
    if (!open_ad(ad, &s->a, s->trim, &form, err, errlen))
        return NULL;
    qpdf_oh copy = qpdf_oh_copy_foreign_object(q, s->a, form);
    if (qpdf_has_error(q)) {
        snprintf(err, errlen, "ad '%s': %s", ad->file, qpdf_get_error_full_text(q, qpdf_get_error(q)));
        return NULL;
    }
    s->form_id = qpdf_oh_get_object_id(q, copy);
    return s;
}

unsigned char *pr_pdf_ad_form_pdf(const struct pr_ad_place *ad, double trim[4], size_t *len, char *err,
                                  size_t errlen)
{
    qpdf_data a = NULL, f = NULL;
    qpdf_oh form;
    unsigned char *out = NULL;
    if (open_ad(ad, &a, trim, &form, err, errlen)) {
        f = qpdf_init();
        qpdf_silence_errors(f);
        qpdf_set_suppress_warnings(f, QPDF_TRUE);
        bool ok = !(qpdf_empty_pdf(f) & QPDF_ERRORS);
        qpdf_oh copy = ok ? qpdf_oh_copy_foreign_object(f, a, form) : 0;
        ok = ok && !qpdf_has_error(f);
        if (ok)
            qpdf_oh_replace_key(f, qpdf_get_root(f), "/PRForm", copy);
        ok = ok && !(qpdf_init_write_memory(f) & QPDF_ERRORS);
        if (ok) {
            qpdf_set_object_stream_mode(f, qpdf_o_disable);
            qpdf_set_deterministic_ID(f, QPDF_TRUE);
            qpdf_set_decode_level(f, qpdf_dl_none);
        }
        ok = ok && !(qpdf_write(f) & QPDF_ERRORS);
        if (ok) {
            *len = (size_t)qpdf_get_buffer_length(f);
            out = pr_xmalloc(*len ? *len : 1);
            memcpy(out, qpdf_get_buffer(f), *len);
        } else
            snprintf(err, errlen, "ad '%s': %s", ad->file,
                     qpdf_has_error(f) ? qpdf_get_error_full_text(f, qpdf_get_error(f)) : "cannot copy its page");
        qpdf_cleanup(&f);
    }
    qpdf_cleanup(&a);
    return out;
}

char *pr_pdf_ad_drawing(const struct pr_ad_place *ad, const double t[4], const double *bl, const double trim[4],
                        const char *name, bool wrapped, size_t *len)
{
    /* the slot in PDF space, and the ad's trim centred on it */
    double sx0 = t[0] + ad->x, sy1 = t[3] - ad->y, sx1 = sx0 + ad->w, sy0 = sy1 - ad->h;
    double e = (sx0 + sx1 - trim[0] - trim[2]) / 2, f = (sy0 + sy1 - trim[1] - trim[3]) / 2;
    GString *c = g_string_new(wrapped ? "q\n" : "Q\nq\n");
    if (ad->marked && ad->mcid >= 0) /* a tagged PDF: the ad is the content of its Figure */
        g_string_append_printf(c, "/Figure <</MCID %d>> BDC\n", ad->mcid);
    else if (ad->marked)
        g_string_append(c, "/Artifact BMC\n");
    if (!ad->bleed)
        g_string_append_printf(c, "%.4f %.4f %.4f %.4f re W n\n", sx0, sy0, sx1 - sx0, sy1 - sy0);
    else if (bl)
        g_string_append_printf(c, "%.4f %.4f %.4f %.4f re W n\n", bl[0], bl[1], bl[2] - bl[0], bl[3] - bl[1]);
    g_string_append_printf(c, "1 0 0 1 %.4f %.4f cm\n%s Do\n%sQ\n", e, f, name, ad->marked ? "EMC\n" : "");
    *len = c->len;
    return g_string_free(c, FALSE);
}

/* Places the ads onto q's pages: each ad page's form XObject under a fresh
 * /PRAdN in the page's resources, the page's content wrapped in q...Q (cairo
 * leaves its flipped CTM in place) and "q <clip> 1 0 0 1 e f cm /PRAdN Do Q"
 * appended, which centres the ad's TrimBox on the slot, never scaled. The
 * slot is in trim coordinates: the page's TrimBox (else MediaBox) is the
 * trim. The sources stay open in S until q is written. */
static bool place_ads(qpdf_data q, const struct pr_ad_place *ads, int nads, struct ad_srcs *S, char *err,
                      size_t errlen)
{
    int npages = qpdf_get_num_pages(q);
    bool *wrapped = pr_xmalloc((size_t)(npages > 0 ? npages : 1) * sizeof *wrapped);
    memset(wrapped, 0, (size_t)(npages > 0 ? npages : 1) * sizeof *wrapped);
    bool ok = true;
    for (int i = 0; i < nads && ok; i++) {
        qpdf_oh_release_all(q);
        const struct pr_ad_place *ad = &ads[i];
        if (ad->page < 0 || ad->page >= npages || !ad->file) {
            snprintf(err, errlen, "ad '%s': the PDF has no page %d", ad->file ? ad->file : "", ad->page + 1);
            ok = false;
            break;
        }
        struct ad_src *s = ad_source(q, S, ad, err, errlen);
        if (!s) {
            ok = false;
            break;
        }
        qpdf_oh page = qpdf_get_page_n(q, (size_t)ad->page);
        double t[4], bl[4];
        page_box(q, page, "/TrimBox", t);
        bool has_bleed = num_box(q, page, "/BleedBox", bl);
        qpdf_oh xobj = pr_qpdf_sub_dict(q, pr_qpdf_sub_dict(q, page, "/Resources"), "/XObject");
        char name[32];
        for (int k = 0;; k++) {
            snprintf(name, sizeof name, "/PRAd%d", k);
            if (!qpdf_oh_has_key(q, xobj, name))
                break;
        }
        qpdf_oh_replace_key(q, xobj, name, qpdf_get_object_by_id(q, s->form_id, 0));
        size_t cn;
        char *c = pr_pdf_ad_drawing(ad, t, has_bleed ? bl : NULL, s->trim, name, wrapped[ad->page], &cn);
        qpdf_oh contents = qpdf_oh_get_key(q, page, "/Contents");
        qpdf_oh arr = qpdf_oh_is_array(q, contents) ? contents : qpdf_oh_wrap_in_array(q, contents);
        if (!wrapped[ad->page])
            qpdf_oh_insert_item(q, arr, 0, qpdf_make_indirect_object(q, pr_qpdf_stream(q, "q\n", 2)));
        qpdf_oh_append_item(q, arr, qpdf_make_indirect_object(q, pr_qpdf_stream(q, c, cn)));
        qpdf_oh_replace_key(q, page, "/Contents", arr);
        g_free(c);
        wrapped[ad->page] = true;
    }
    qpdf_oh_release_all(q);
    free(wrapped);
    return ok;
}

bool pr_pdfad_import_file(const char *in_path, const char *out_path, const struct pr_ad_place *ads, int nads,
                          char *err, size_t errlen)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    struct ad_srcs S = {0};
    bool ok = !(qpdf_read(q, in_path, NULL) & QPDF_ERRORS);
    if (!ok)
        snprintf(err, errlen, "'%s': %s", in_path, qpdf_get_error_full_text(q, qpdf_get_error(q)));
    ok = ok && place_ads(q, ads, nads, &S, err, errlen);
    if (ok) {
        ok = !(qpdf_init_write(q, out_path) & QPDF_ERRORS);
        if (ok) {
            qpdf_set_deterministic_ID(q, QPDF_TRUE);
            ok = !(qpdf_write(q) & QPDF_ERRORS);
        }
        if (!ok)
            snprintf(err, errlen, "'%s': %s", out_path, qpdf_get_error_full_text(q, qpdf_get_error(q)));
    }
    ad_srcs_free(&S);
    qpdf_cleanup(&q);
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
    struct ad_srcs ads = {0};
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
    if (post->marks && !post->print && !(pass && strcmp(pass, "qpdf") == 0)) {
        annots = pr_xmalloc((size_t)(post->marks->nlinks + 1) * sizeof *annots);
        memset(annots, 0, (size_t)(post->marks->nlinks + 1) * sizeof *annots);
        int done = pr_pdfwrite_run(pdf_path, out_path, post, annots, aderr, sizeof aderr);
        if (done != 0) {
            ok = done > 0;
            why = aderr;
            goto done;
        }
        free(annots);
        annots = NULL;
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
    int nlayers = 0;
    for (int i = 0; post->layer && i < post->npainted - post->nslugs; i++)
        nlayers += post->layer[i] != PR_LAYER_CONTENT;
    if (qpdf_get_num_pages(q) != post->npainted || post->npainted != post->npages + post->nslugs + nlayers) {
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
        annots = pr_xmalloc((size_t)(post->marks->nlinks + 1) * sizeof *annots);
        memset(annots, 0, (size_t)(post->marks->nlinks + 1) * sizeof *annots);
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
    if (post->nads > 0 && !place_ads(q, post->ads, post->nads, &ads, aderr, sizeof aderr)) {
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
    ad_srcs_free(&ads);
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

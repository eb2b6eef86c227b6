/* pdfplace.c - supplied PDF ads in the post-pass: an advertiser's page
 * opened with qpdf (its TrimBox, no rotation) as a form XObject, placed
 * on the finished pages by the qpdf pass (pdfboxes.c) or written as a
 * small PDF of its own that pdfwrite.c brings in, and drawn centred on its
 * slot, never scaled (the same drawing for both); and the same placing on
 * a finished PDF for tests/ads' tool (pdfad.h). */
#include "pdfpost.h"
#include "pdfad.h"
#include <glib.h>
#include <stdlib.h>
#include <string.h>

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

void pr_ad_srcs_free(struct pr_ad_srcs *S)
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
    qpdf_oh_replace_key(a, d, "/BBox", pr_qpdf_rect(a, bb[0], bb[1], bb[2], bb[3]));
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
static struct pr_ad_src *ad_source(qpdf_data q, struct pr_ad_srcs *S, const struct pr_ad_place *ad, char *err,
                                size_t errlen)
{
    for (int i = 0; i < S->n; i++)
        if (!strcmp(S->s[i].file, ad->file) && S->s[i].src_page == ad->src_page && S->s[i].bleed == ad->bleed)
            return &S->s[i];
    S->s = pr_xrealloc(S->s, (size_t)(S->n + 1) * sizeof *S->s);
    struct pr_ad_src *s = &S->s[S->n++];
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
bool pr_pdf_place_ads(qpdf_data q, const struct pr_ad_place *ads, int nads, struct pr_ad_srcs *S, char *err,
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
        struct pr_ad_src *s = ad_source(q, S, ad, err, errlen);
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
    struct pr_ad_srcs S = {0};
    bool ok = !(qpdf_read(q, in_path, NULL) & QPDF_ERRORS);
    if (!ok)
        snprintf(err, errlen, "'%s': %s", in_path, qpdf_get_error_full_text(q, qpdf_get_error(q)));
    ok = ok && pr_pdf_place_ads(q, ads, nads, &S, err, errlen);
    if (ok) {
        ok = !(qpdf_init_write(q, out_path) & QPDF_ERRORS);
        if (ok) {
            qpdf_set_deterministic_ID(q, QPDF_TRUE);
            ok = !(qpdf_write(q) & QPDF_ERRORS);
        }
        if (!ok)
            snprintf(err, errlen, "'%s': %s", out_path, qpdf_get_error_full_text(q, qpdf_get_error(q)));
    }
    pr_ad_srcs_free(&S);
    qpdf_cleanup(&q);
    return ok;
}


/* adraster.c - a supplied ad as pixels, for the raster outputs (PNG pages,
 * the flatplan proof, the EPUB's image page): cairo cannot read PDF, so
 * poppler-glib renders the advertiser's page onto the cairo context. As in
 * the PDFs (pdfboxes.c) the ad's TrimBox is centred on the slot, never
 * scaled, and clipped to it. */
#include "pdfad.h"
#include <cairo.h>
#include <glib.h>
#include <poppler.h>

bool pr_adraster_paint(cairo_t *cr, const char *file, int src_page, double x, double y, double w, double h)
{
    GError *error = NULL;
    char *abs = g_canonicalize_filename(file, NULL);
    char *uri = g_filename_to_uri(abs, NULL, &error);
    g_free(abs);
    if (!uri) {
        g_clear_error(&error);
        return false;
    }
    PopplerDocument *doc = poppler_document_new_from_file(uri, NULL, &error);
    g_free(uri);
    if (!doc) {
        g_clear_error(&error);
        return false;
    }
    PopplerPage *page = src_page >= 1 && src_page <= poppler_document_get_n_pages(doc)
                            ? poppler_document_get_page(doc, src_page - 1)
                            : NULL;
    if (!page) {
        g_object_unref(doc);
        return false;
    }
    /* poppler renders the CropBox with (0,0) at its top-left corner and
     * (22.12) tells nothing of the TrimBox: qpdf reads the boxes */
    double trim[4], crop[4];
    char err[256];
    if (!pr_pdfad_boxes(file, src_page, trim, crop, err, sizeof err)) {
        g_object_unref(page);
        g_object_unref(doc);
        return false;
    }
    double tw = trim[2] - trim[0], th = trim[3] - trim[1];
    cairo_save(cr);
    cairo_rectangle(cr, x, y, w, h);
    cairo_clip(cr);
    cairo_translate(cr, x + (w - tw) / 2, y + (h - th) / 2);
    cairo_rectangle(cr, 0, 0, tw, th);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 1, 1, 1); /* the paper under the ad */
    cairo_paint(cr);
    cairo_translate(cr, crop[0] - trim[0], trim[3] - crop[3]);
    poppler_page_render_for_printing(page, cr);
    cairo_restore(cr);
    g_object_unref(page);
    g_object_unref(doc);
    return true;
}

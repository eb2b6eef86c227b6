/* adraster.c - a supplied ad as pixels, for the raster outputs (PNG pages,
 * the flatplan proof, the EPUB's image page): cairo cannot read PDF, so
 * poppler-glib renders the advertiser's page onto the cairo context. As in
 * the PDFs (pdfboxes.c) the ad's TrimBox is centred on the slot, never
 * scaled, and clipped to it. poppler-glib is opened (dlopen) when the
 * first ad is drawn: linked, it and what it needs (poppler, NSS,
 * OpenJPEG...) cost every run of pressrun 4 ms of start-up, and most
 * draw no ad as pixels (CMakeLists.txt finds its SONAME). */
#include "pdfad.h"
#include <cairo.h>
#include <dlfcn.h>
#include <glib.h>
#include <poppler.h>

/* The functions of poppler-glib used, from the library opened once. */
static struct {
    bool ok;
    PopplerDocument *(*new_from_file)(const char *, const char *, GError **);
    int (*n_pages)(PopplerDocument *);
    PopplerPage *(*get_page)(PopplerDocument *, int);
    void (*render_for_printing)(PopplerPage *, cairo_t *);
} pop;

static gpointer open_poppler(gpointer unused)
{
    (void)unused;
    void *lib = dlopen(PR_POPPLER_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return NULL;
    *(void **)&pop.new_from_file = dlsym(lib, "poppler_document_new_from_file");
    *(void **)&pop.n_pages = dlsym(lib, "poppler_document_get_n_pages");
    *(void **)&pop.get_page = dlsym(lib, "poppler_document_get_page");
    *(void **)&pop.render_for_printing = dlsym(lib, "poppler_page_render_for_printing");
    pop.ok = pop.new_from_file && pop.n_pages && pop.get_page && pop.render_for_printing;
    return NULL;
}

bool pr_adraster_paint(cairo_t *cr, const char *file, int src_page, double x, double y, double w, double h)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, open_poppler, NULL);
    if (!pop.ok)
        return false;
    GError *error = NULL;
    char *abs = g_canonicalize_filename(file, NULL);
    char *uri = g_filename_to_uri(abs, NULL, &error);
    g_free(abs);
    if (!uri) {
        g_clear_error(&error);
        return false;
    }
    PopplerDocument *doc = pop.new_from_file(uri, NULL, &error);
    g_free(uri);
    if (!doc) {
        g_clear_error(&error);
        return false;
    }
    PopplerPage *page = src_page >= 1 && src_page <= pop.n_pages(doc) ? pop.get_page(doc, src_page - 1) : NULL;
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
    pop.render_for_printing(page, cr);
    cairo_restore(cr);
    g_object_unref(page);
    g_object_unref(doc);
    return true;
}

/* pdfad_tool.c - drives the supplied-ad machinery (src/pdfad.h) for
 * tests/ads/test_ads.sh until the page model carries ads:
 *   pdfad_tool inspect AD.pdf PAGE            preflight, one fact a line
 *   pdfad_tool place IN.pdf OUT.pdf AD...     pr_pdfad_import_file on a finished PDF
 *   pdfad_tool post screen|print OUT.pdf NPAGES AD...
 *                                             the real post-pass (pdfboxes.c) over
 *                                             letter pages cairo paints here, with
 *                                             0.125in bleed and marks for print
 *   pdfad_tool raster AD.pdf PAGE OUT.png     the ad through poppler at 72 dpi;
 *                                             prints the non-white pixel count
 * AD is PAGE:FILE:SRC_PAGE:X:Y:W:H:BLEED (page 0-based; slot in pt, y down
 * from the trim's top-left; BLEED 0 or 1). */
#include "backends.h"
#include "pdfad.h"
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_ads(char **argv, int n, struct pr_ad_place *ads)
{
    for (int i = 0; i < n; i++) {
        char *s = argv[i], *f[8];
        int k = 0;
        for (char *p = strtok(s, ":"); p && k < 8; p = strtok(NULL, ":"))
            f[k++] = p;
        if (k != 8) {
            fprintf(stderr, "pdfad_tool: bad ad '%s'\n", argv[i]);
            return -1;
        }
        ads[i] = (struct pr_ad_place){atoi(f[0]), f[1], atoi(f[2]), atof(f[3]), atof(f[4]), atof(f[5]),
                                      atof(f[6]), atoi(f[7]) != 0, false, 0};
    }
    return n;
}

static int inspect(const char *file, int page)
{
    struct pr_ad_info in;
    char err[512];
    if (!pr_pdfad_inspect(file, page, &in, err, sizeof err)) {
        printf("error %s\n", err);
        return 1;
    }
    printf("pages %d\ntrim %.2f %.2f\nbleed %.2f %.2f\n", in.npages, in.trim_w, in.trim_h, in.bleed_w, in.bleed_h);
    printf("unembedded %d", in.nunembedded);
    for (int i = 0; i < in.nunembedded && i < PR_AD_MAX_LIST; i++)
        printf(" %s", in.unembedded[i]);
    printf("\nimages %d\n", in.nimages);
    for (int i = 0; i < in.nimages && i < PR_AD_MAX_LIST; i++)
        printf("image %s %dx%d %.0f ppi%s\n", in.images[i].name, in.images[i].px_w, in.images[i].px_h,
               in.images[i].ppi, in.images[i].rgb ? " rgb" : "");
    printf("min_ppi %.0f\nrgb %s\n", in.min_ppi, in.rgb ? "yes" : "no");
    return 0;
}

static int post_pass(bool print, const char *out, int npages, struct pr_ad_place *ads, int nads)
{
    double tw = 612, th = 792;
    struct pr_print_geom g = {tw, th, 9, 9 + 30, true};
    double m = print ? g.margin : 0;
    char *raw = malloc(strlen(out) + 8);
    sprintf(raw, "%s.cairo", out);
    cairo_surface_t *s = cairo_pdf_surface_create(raw, tw + 2 * m, th + 2 * m);
    cairo_t *cr = cairo_create(s);
    const char **labels = calloc((size_t)npages, sizeof *labels);
    int *order = calloc((size_t)npages, sizeof *order);
    char (*folio)[16] = calloc((size_t)npages, sizeof *folio);
    for (int i = 0; i < npages; i++) {
        /* a page as pressrun paints one: y down from the trim's corner */
        cairo_save(cr);
        cairo_translate(cr, m, m);
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_rectangle(cr, 36, 36, tw - 72, 24);
        cairo_fill(cr);
        cairo_restore(cr);
        cairo_show_page(cr);
        snprintf(folio[i], sizeof folio[i], "%d", i + 1);
        labels[i] = folio[i];
        order[i] = i;
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
    struct pr_build b;
    memset(&b, 0, sizeof b);
    pr_diags_init(&b.diags);
    struct pr_pdf_post post;
    memset(&post, 0, sizeof post);
    post.labels = labels;
    post.npages = post.npainted = npages;
    post.order = order;
    post.page_h = th + 2 * m;
    post.print = print ? &g : NULL;
    post.title = "Ads";
    post.author = "pressrun";
    post.date = "2024-04-20T00:00:00Z";
    post.ads = ads;
    post.nads = nads;
    bool ok = pr_pdfboxes_run(&b, raw, out, &post);
    for (unsigned i = 0; i < b.diags.n; i++)
        fprintf(stderr, "pdfad_tool: %s\n", b.diags.v[i].msg);
    pr_diags_free(&b.diags);
    remove(raw);
    free(raw);
    free(labels);
    free(order);
    free(folio);
    return ok ? 0 : 1;
}

static int raster(const char *file, int page, const char *png)
{
    double trim[4], crop[4];
    char err[512];
    if (!pr_pdfad_boxes(file, page, trim, crop, err, sizeof err)) {
        fprintf(stderr, "pdfad_tool: %s\n", err);
        return 1;
    }
    int w = (int)(trim[2] - trim[0] + 0.5), h = (int)(trim[3] - trim[1] + 0.5);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    bool ok = pr_adraster_paint(cr, file, page, 0, 0, w, h);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    long ink = 0;
    const unsigned char *d = cairo_image_surface_get_data(s);
    int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            const unsigned char *p = d + (size_t)y * (size_t)stride + 4 * (size_t)x;
            ink += p[0] < 250 || p[1] < 250 || p[2] < 250;
        }
    if (ok && cairo_surface_write_to_png(s, png) != CAIRO_STATUS_SUCCESS)
        ok = false;
    cairo_surface_destroy(s);
    printf("ink %ld of %d\n", ink, w * h);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    struct pr_ad_place ads[16];
    if (argc == 4 && !strcmp(argv[1], "inspect"))
        return inspect(argv[2], atoi(argv[3]));
    if (argc == 5 && !strcmp(argv[1], "raster"))
        return raster(argv[2], atoi(argv[3]), argv[4]);
    if (argc >= 4 && argc - 4 <= 16 && !strcmp(argv[1], "place")) {
        int n = parse_ads(argv + 4, argc - 4, ads);
        char err[512];
        if (n < 0)
            return 2;
        if (!pr_pdfad_import_file(argv[2], argv[3], ads, n, err, sizeof err)) {
            fprintf(stderr, "pdfad_tool: %s\n", err);
            return 1;
        }
        return 0;
    }
    if (argc >= 5 && argc - 5 <= 16 && !strcmp(argv[1], "post")) {
        int n = parse_ads(argv + 5, argc - 5, ads);
        if (n < 0)
            return 2;
        return post_pass(!strcmp(argv[2], "print"), argv[3], atoi(argv[4]), ads, n);
    }
    fprintf(stderr, "usage: see tests/ads/pdfad_tool.c\n");
    return 2;
}

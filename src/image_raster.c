/* image_raster.c - pictures, what every reader shares: the size limit and
 * its message, and a raster being filled row by row (pixels converted to
 * sRGB by colour.c) into a cairo surface. Called by image.c and the format
 * readers (image_png.c, image_tiff.c, image_webp.c), which call nothing of
 * each other's; declared in image_int.h. */
#include "image_int.h"
#include <cairo.h>
#include <stdio.h>
#include <string.h>

bool pr_image_too_large(long w, long h)
{
    return w > PR_IMAGE_MAX_SIDE || h > PR_IMAGE_MAX_SIDE || w * h > PR_IMAGE_MAX_PIXELS;
}

void pr_image_say_too_large(char *err, size_t errlen, int w, int h)
{
    snprintf(err, errlen,
             "the image is %d x %d pixels, more than pressrun accepts; scale it to at most "
             "%d pixels a side and %ld megapixels",
             w, h, PR_IMAGE_MAX_SIDE, PR_IMAGE_MAX_PIXELS / 1000000);
}

bool pr_raster_begin(struct pr_raster *r, int w, int h, const struct pr_pixfmt *f, const void *icc,
                     size_t icc_len)
{
    memset(r, 0, sizeof *r);
    r->s = cairo_image_surface_create(f->alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, w, h);
    r->data = cairo_image_surface_get_data(r->s);
    if (!r->data) {
        cairo_surface_destroy(r->s);
        r->s = NULL;
        return false;
    }
    r->stride = cairo_image_surface_get_stride(r->s);
    r->w = w;
    r->h = h;
    r->c = pr_colour_new(f, icc, icc_len);
    return true;
}

void pr_raster_row(struct pr_raster *r, int y, const void *src)
{
    if (r->s && y >= 0 && y < r->h)
        pr_colour_row(r->c, src, r->w, (uint32_t *)(r->data + (size_t)y * (size_t)r->stride));
}

cairo_surface_t *pr_raster_end(struct pr_raster *r, bool ok)
{
    cairo_surface_t *s = r->s;
    pr_colour_free(r->c);
    memset(r, 0, sizeof *r);
    if (s && !ok) {
        cairo_surface_destroy(s);
        return NULL;
    }
    if (s)
        cairo_surface_mark_dirty(s);
    return s;
}


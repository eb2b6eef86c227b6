/* image_web.c - the pictures the EPUB carries (image.h, pr_image_web):
 * every picture as e-readers and distributors want it, RGB, at most 2048
 * pixels on its long side and under 4 megapixels. A JPEG or PNG that is
 * already so goes in as it is; anything else is decoded to sRGB (image.c,
 * colour.c), scaled down with cairo's good filter, and written as a JPEG
 * (photographs) or a PNG (line art, transparency). The originals in the
 * PDFs are untouched. Called by epub_files.c. */
#include "image_int.h"
#include "arena.h"
#include <cairo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Quality of the JPEGs made here: no visible loss at reading sizes. */
#define WEB_JPEG_QUALITY 88

static bool fits(const struct pr_image_info *info, int max_side, long max_pixels)
{
    return info->width <= max_side && info->height <= max_side && (long)info->width * info->height < max_pixels;
}

/* Can the file go into the book as it is? */
static bool as_is(const struct pr_image_info *info, int max_side, long max_pixels)
{
    if (!fits(info, max_side, max_pixels) || info->icc)
        return false;
    return info->kind == PR_IMAGE_PNG || (info->kind == PR_IMAGE_JPEG && info->colour != PR_COLOUR_CMYK);
}

/* The surface scaled to fit, or s itself (a new reference) when it does. */
static cairo_surface_t *scaled(cairo_surface_t *s, int max_side, long max_pixels)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    double k = fmin(1.0, (double)max_side / (w > h ? w : h));
    k = fmin(k, sqrt((double)(max_pixels - 1) / ((double)w * h)));
    int nw = (int)floor(w * k), nh = (int)floor(h * k);
    nw = nw < 1 ? 1 : nw;
    nh = nh < 1 ? 1 : nh;
    if (nw == w && nh == h)
        return cairo_surface_reference(s);
    cairo_surface_t *d = cairo_image_surface_create(cairo_image_surface_get_format(s), nw, nh);
    cairo_t *cr = cairo_create(d);
    cairo_scale(cr, (double)nw / w, (double)nh / h);
    cairo_set_source_surface(cr, s, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
    cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
    cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE);
    cairo_paint(cr);
    cairo_destroy(cr);
    cairo_surface_flush(d);
    return d;
}

/* Does any pixel let the page show through? */
static bool transparent(cairo_surface_t *s)
{
    if (cairo_image_surface_get_format(s) != CAIRO_FORMAT_ARGB32)
        return false;
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(px + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++)
            if (row[x] >> 24 != 0xFF)
                return true;
    }
    return false;
}

/* Line art: at most 256 colours (a photograph has thousands). Counted in a
 * small open-addressed set, stopping at the 257th. */
static bool few_colours(cairo_surface_t *s)
{
    enum { SLOTS = 1024 };
    uint32_t set[SLOTS];
    bool used[SLOTS] = {false};
    int n = 0, w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    for (int y = 0; y < h; y++) {
        const uint32_t *row = (const uint32_t *)(px + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++) {
            uint32_t c = row[x] | (cairo_image_surface_get_format(s) == CAIRO_FORMAT_RGB24 ? 0xFF000000u : 0);
            unsigned i = (c * 2654435761u) >> 22;
            while (used[i] && set[i] != c)
                i = (i + 1) % SLOTS;
            if (used[i])
                continue;
            if (++n > 256)
                return false;
            used[i] = true;
            set[i] = c;
        }
    }
    return true;
}

struct buf {
    unsigned char *d;
    size_t len, cap;
};

static cairo_status_t buf_write(void *closure, const unsigned char *data, unsigned int n)
{
    struct buf *b = closure;
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->d = pr_xrealloc(b->d, b->cap);
    }
    memcpy(b->d + b->len, data, n);
    b->len += n;
    return CAIRO_STATUS_SUCCESS;
}

static unsigned char *encode(cairo_surface_t *s, bool png, size_t *len, const char **type, const char **ext)
{
    *type = png ? "image/png" : "image/jpeg";
    *ext = png ? "png" : "jpg";
    if (!png)
        return pr_image_jpeg(s, WEB_JPEG_QUALITY, len);
    struct buf b = {NULL, 0, 0};
    if (cairo_surface_write_to_png_stream(s, buf_write, &b) != CAIRO_STATUS_SUCCESS) {
        free(b.d);
        return NULL;
    }
    *len = b.len;
    return b.d;
}

unsigned char *pr_image_web(const char *path, int max_side, long max_pixels, size_t *len, const char **type,
                            const char **ext, char *err, size_t errlen)
{
    unsigned char *data;
    size_t n;
    const char *why;
    if (!pr_image_read_file(path, &data, &n, &why)) {
        snprintf(err, errlen, "it %s", why);
        return NULL;
    }
    struct pr_image_info info;
    cairo_surface_t *s = NULL;
    if (!pr_image_read_mem(data, n, PR_READ_HEADER, &info, NULL, err, errlen)) {
        free(data);
        return NULL;
    }
    if (as_is(&info, max_side, max_pixels)) {
        *len = n;
        *type = info.kind == PR_IMAGE_PNG ? "image/png" : "image/jpeg";
        *ext = info.kind == PR_IMAGE_PNG ? "png" : "jpg";
        return data;
    }
    bool ok = pr_image_read_mem(data, n, PR_READ_PIXELS, &info, &s, err, errlen);
    free(data);
    if (!ok)
        return NULL;
    cairo_surface_t *small = scaled(s, max_side, max_pixels);
    bool png = info.kind == PR_IMAGE_PNG || transparent(small) || few_colours(small);
    unsigned char *out = encode(small, png, len, type, ext);
    cairo_surface_destroy(small);
    cairo_surface_destroy(s);
    if (!out)
        snprintf(err, errlen, "it cannot be encoded (out of memory)");
    return out;
}

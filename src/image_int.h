/* image_int.h - private to the image readers: image.c (kinds, JPEG, the
 * cache, surfaces), image_raster.c (rows into surfaces, the size limit),
 * image_png.c (zlib), image_tiff.c (libtiff), image_webp.c (libwebp),
 * image_web.c (the EPUB's derivatives) and colour.c (lcms2). Every reader
 * turns its rows into a cairo image surface in sRGB through one raster
 * (image_raster.c), which converts them with colour.c. */
#ifndef PR_IMAGE_INT_H
#define PR_IMAGE_INT_H
#include "image.h"
#include <stddef.h>
#include <stdint.h>

/* The layout of one row a reader hands over: interleaved samples of `bits`
 * (8 or 16, native byte order) each, alpha last when there is one. */
struct pr_pixfmt {
    enum pr_image_colour model;
    int bits;
    bool alpha;
    bool premultiplied;       /* colour already multiplied by alpha */
    bool inverted;            /* CMYK stored as 1 - ink (Adobe's JPEGs) */
};

/* ---------- colour.c ---------- */

struct pr_colour;
/* A conversion of rows in `f` to sRGB, from the embedded profile `icc`
 * (NULL or unusable: sRGB for RGB and grey, the press's CMYK profile for
 * CMYK). Never fails: without a profile to convert from, RGB and grey are
 * taken as they are and CMYK by the naive formula. Free with
 * pr_colour_free. */
struct pr_colour *pr_colour_new(const struct pr_pixfmt *f, const void *icc, size_t icc_len);
/* One row of w pixels into cairo's premultiplied native ARGB32. */
void pr_colour_row(struct pr_colour *c, const void *src, int w, uint32_t *dst);
void pr_colour_free(struct pr_colour *c);
/* Does an embedded profile describe sRGB itself (or is it unusable), so
 * that the pixels need no conversion? */
bool pr_colour_is_srgb(const void *icc, size_t icc_len);

/* ---------- image.c: rasters ---------- */

struct _cairo_surface;
struct pr_raster {
    struct _cairo_surface *s;
    unsigned char *data;
    int stride, w, h;
    struct pr_colour *c;
};
/* A w x h surface (ARGB32 when f has alpha, else RGB24) to be filled row
 * by row from rows in `f`; false when cairo cannot make it. */
bool pr_raster_begin(struct pr_raster *r, int w, int h, const struct pr_pixfmt *f, const void *icc,
                     size_t icc_len);
void pr_raster_row(struct pr_raster *r, int y, const void *src);
/* The finished surface (the caller destroys it), or NULL when !ok. */
struct _cairo_surface *pr_raster_end(struct pr_raster *r, bool ok);

/* Too many pixels for pressrun? And the message that says so. */
bool pr_image_too_large(long w, long h);
void pr_image_say_too_large(char *err, size_t errlen, int w, int h);

enum pr_read_mode {
    PR_READ_HEADER, /* size and colour only */
    PR_READ_VERIFY, /* and every byte of the picture decoded, nothing kept */
    PR_READ_PIXELS, /* decoded into a surface in sRGB */
};

/* A whole regular file (at most 256 MB), malloc'd; on failure *why says
 * what is wrong. */
bool pr_image_read_file(const char *path, unsigned char **data, size_t *len, const char **why);
/* Any picture held in memory, by its first bytes: *info always, *out (in
 * sRGB) in PIXELS mode; on failure err says what is wrong and the fix. */
bool pr_image_read_mem(const unsigned char *d, size_t len, enum pr_read_mode mode, struct pr_image_info *info,
                       struct _cairo_surface **out, char *err, size_t errlen);

/* ---------- image_png.c, image_tiff.c, image_webp.c ---------- */

/* Read a PNG, TIFF or WebP held in memory: *info always, *out in PIXELS
 * mode. On failure err says what is wrong and how to fix it. */
bool pr_png_read(const unsigned char *d, size_t len, enum pr_read_mode mode, struct pr_image_info *info,
                 struct _cairo_surface **out, char *err, size_t errlen);
bool pr_tiff_read(const unsigned char *d, size_t len, enum pr_read_mode mode, struct pr_image_info *info,
                  struct _cairo_surface **out, char *err, size_t errlen);
bool pr_webp_read(const unsigned char *d, size_t len, enum pr_read_mode mode, struct pr_image_info *info,
                  struct _cairo_surface **out, char *err, size_t errlen);
/* A CMYK TIFF (8 or 16 bits, no alpha, rows libtiff hands out whole):
 * its size, and when samples is not NULL its ink as 8 bits (w*h*4,
 * malloc'd) and its embedded profile (malloc'd, or NULL). False for any
 * other picture. */
bool pr_tiff_cmyk(const unsigned char *d, size_t len, int *w, int *h, unsigned char **samples, unsigned char **icc,
                  size_t *icc_len);
bool pr_is_png(const unsigned char *d, size_t len);
bool pr_is_tiff(const unsigned char *d, size_t len);
bool pr_is_webp(const unsigned char *d, size_t len);
#endif

/* image.h - image files (PNG, JPEG, TIFF, WebP): their size, kind and
 * colour read from the file (for typesetting and preflight), cairo
 * surfaces in sRGB for painting, JPEGs kept as their original bytes
 * (cairo's JPEG mime data) so the PDF embeds them untouched, and the
 * pictures the EPUB carries. Limits on dimensions are checked before
 * anything is decoded. */
#ifndef PR_IMAGE_H
#define PR_IMAGE_H
#include <stdbool.h>
#include <stddef.h>
#include "diag.h"

#define PR_IMAGE_MAX_SIDE 30000
#define PR_IMAGE_MAX_PIXELS (200L * 1000 * 1000)

enum pr_image_kind { PR_IMAGE_PNG, PR_IMAGE_JPEG, PR_IMAGE_TIFF, PR_IMAGE_WEBP };
enum pr_image_colour { PR_COLOUR_GREY, PR_COLOUR_RGB, PR_COLOUR_CMYK };

struct pr_image_info {
    enum pr_image_kind kind;
    int width, height;           /* pixels */
    enum pr_image_colour colour; /* as stored (a palette counts as RGB) */
    bool alpha;                  /* has an alpha channel */
    bool icc;                    /* an embedded profile other than sRGB */
};

/* Read the header of `path` and decode the picture once (nothing kept);
 * reports PR_D_IMAGE at `pos` into `diags` and returns false when the file
 * is unreadable, not a PNG, JPEG, TIFF or WebP, damaged or too large.
 * Images found good are remembered for the process (by file identity):
 * safe to call from several threads, each with its own diags (a
 * typesetting thread passes its own copy of the build's). */
bool pr_image_info_read(struct pr_diags *diags, const char *path, struct pr_pos pos,
                        struct pr_image_info *out);

/* What a surface is for. */
enum pr_image_use {
    PR_IMAGE_FOR_PIXELS, /* raster output: always decoded, sRGB */
    PR_IMAGE_FOR_PDF,    /* screen PDF: RGB and grey JPEGs kept as their bytes */
    PR_IMAGE_FOR_PRINT,  /* print PDF: every JPEG kept as its bytes */
};

struct _cairo_surface;
/* A cairo surface for painting: a JPEG the PDF takes as it is becomes an
 * empty surface of the right size carrying the JPEG's bytes as mime data
 * (the PDF post-pass names its profile: pr_image_jpeg_colour); anything
 * else is decoded and converted to sRGB (embedded ICC profiles honoured
 * with lcms2; CMYK without one through the press's profile). Returns
 * NULL on failure. The caller destroys it. */
struct _cairo_surface *pr_image_surface(const char *path, enum pr_image_use use);
/* Print: a CMYK picture cairo cannot carry as it is (a TIFF; JPEGs go in
 * as their bytes) as an RGB24 surface of its size filled with the colour
 * `key` (0xRRGGBB), for the PDF post-pass to find and fill with the
 * picture's own ink (pr_image_cmyk_samples); NULL for any other picture.
 * The caller destroys it. */
struct _cairo_surface *pr_image_cmyk_placeholder(const char *path, unsigned key);
/* That picture's ink, 8 bits a sample, not inverted (w*h*4, malloc'd),
 * and its embedded profile (malloc'd, or NULL); false when it has none. */
bool pr_image_cmyk_samples(const char *path, int *w, int *h, unsigned char **cmyk, unsigned char **icc,
                           size_t *icc_len);
/* What a JPEG's bytes need beside them in a PDF: *components (1, 3 or
 * 4), *inverted (CMYK as Adobe writes it: APP14 marker, inverted ink),
 * *icc its embedded profile when the values need one (malloc'd, *icc_len
 * set; NULL when it has none or it is sRGB). False when not a JPEG. */
bool pr_image_jpeg_colour(const unsigned char *data, size_t len, int *components, bool *inverted,
                          unsigned char **icc, size_t *icc_len);
/* An RGB24 or ARGB32 image surface as baseline JPEG bytes at `quality`
 * (1..100; malloc'd, *len set), or NULL. Deterministic. */
unsigned char *pr_image_jpeg(struct _cairo_surface *s, int quality, size_t *len);

/* The picture at `path` as e-readers want it (image_web.c): RGB, at most
 * `max_side` pixels on its long side and fewer than `max_pixels`; a
 * JPEG for photographs, a PNG for line art and pictures with
 * transparency; the file's own bytes when they already are so. Malloc'd,
 * *len, *type (media type) and *ext set; NULL (err says why) on failure.
 * Deterministic. */
unsigned char *pr_image_web(const char *path, int max_side, long max_pixels, size_t *len, const char **type,
                            const char **ext, char *err, size_t errlen);
#endif

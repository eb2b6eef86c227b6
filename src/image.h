/* image.h - image files: their size and kind read from the header (for
 * typesetting and preflight), and cairo surfaces for painting, JPEGs kept
 * as their original bytes (cairo's JPEG mime data) so the PDF embeds them
 * untouched. Limits on dimensions are checked before anything is decoded. */
#ifndef PR_IMAGE_H
#define PR_IMAGE_H
#include <stdbool.h>
#include "diag.h"

#define PR_IMAGE_MAX_SIDE 30000
#define PR_IMAGE_MAX_PIXELS (200L * 1000 * 1000)

enum pr_image_kind { PR_IMAGE_PNG, PR_IMAGE_JPEG };

struct pr_image_info {
    enum pr_image_kind kind;
    int width, height;           /* pixels */
};

/* Read the header of `path`; reports PR_D_IMAGE at `pos` into `diags` and
 * returns false when the file is unreadable, not a PNG or JPEG, corrupt or
 * too large. Images found good are remembered for the process (by file
 * identity): safe to call from several threads, each with its own diags
 * (a typesetting thread passes its own copy of the build's). */
bool pr_image_info_read(struct pr_diags *diags, const char *path, struct pr_pos pos,
                        struct pr_image_info *out);

struct _cairo_surface;
/* A cairo surface for painting: PNG decoded by cairo; JPEG decoded with
 * libjpeg when `pixels` is set (raster output), else an empty surface of the
 * right size carrying the JPEG bytes as mime data (PDF output). Returns NULL
 * on failure. The caller destroys it. */
struct _cairo_surface *pr_image_surface(const char *path, bool pixels);
/* An RGB24 or ARGB32 image surface as baseline JPEG bytes at `quality`
 * (1..100; malloc'd, *len set), or NULL. Deterministic. */
unsigned char *pr_image_jpeg(struct _cairo_surface *s, int quality, size_t *len);
#endif

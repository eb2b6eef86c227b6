/* fuzz_image.c - libFuzzer target: the input is a picture file of any kind
 * (PNG, JPEG, TIFF, WebP, or none). pr_image_info_read must accept it or
 * report it with a message, never crash; a picture it accepts (and that is
 * small enough to decode quickly) must decode for raster output and for the
 * print PDF, and give the EPUB's picture. Seeds: tests/fuzz/corpus/image,
 * small versions of tests/images/make-issue.sh's pictures. */
#include "fuzz_common.h"
#include "image.h"
#include <cairo.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_setup();
    /* a new name each time: image.c remembers good files by identity */
    static unsigned n;
    char rel[64], path[512];
    snprintf(rel, sizeof rel, "images/fuzz-%u.img", n++);
    snprintf(path, sizeof path, "%s/%s", fz_dir, rel);
    fz_write(rel, data, size);
    struct pr_build *b = fz_build_new();
    struct pr_image_info info;
    bool ok = pr_image_info_read(&b->diags, path, (struct pr_pos){0}, &info);
    if (ok != (b->diags.n == 0))
        abort();
    if (ok && (info.width <= 0 || info.height <= 0))
        abort();
    if (ok && (long)info.width * info.height <= 1000 * 1000) {
        for (int use = PR_IMAGE_FOR_PIXELS; use <= PR_IMAGE_FOR_PRINT; use++) {
            cairo_surface_t *s = pr_image_surface(path, (enum pr_image_use)use);
            if (s)
                cairo_surface_destroy(s);
        }
        size_t len;
        const char *type, *ext;
        char err[512];
        free(pr_image_web(path, 64, 4000, &len, &type, &ext, err, sizeof err));
    }
    fz_build_free(b);
    unlink(path);
    return 0;
}

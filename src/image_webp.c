/* image_webp.c - WebP pictures with libwebp (image_int.h): the size and
 * alpha from the bitstream's features, the embedded ICC profile from the
 * container (libwebpdemux), the whole picture decoded for the check and
 * for painting, converted to sRGB by colour.c. Lossy and lossless, with or
 * without alpha; animations are refused. Called by image.c. The only file
 * that includes libwebp. */
#include "image_int.h"
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <webp/decode.h>
#include <webp/demux.h>

bool pr_is_webp(const unsigned char *d, size_t len)
{
    return len >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0;
}

/* The ICC profile inside the container (a copy, malloc'd), or NULL. */
static unsigned char *webp_icc(const unsigned char *d, size_t len, size_t *icc_len)
{
    WebPData data = {d, len};
    WebPDemuxer *dm = WebPDemux(&data);
    unsigned char *icc = NULL;
    WebPChunkIterator it;
    if (dm && (WebPDemuxGetI(dm, WEBP_FF_FORMAT_FLAGS) & ICCP_FLAG) && WebPDemuxGetChunk(dm, "ICCP", 1, &it)) {
        icc = malloc(it.chunk.size ? it.chunk.size : 1);
        if (icc) {
            memcpy(icc, it.chunk.bytes, it.chunk.size);
            *icc_len = it.chunk.size;
        }
        WebPDemuxReleaseChunkIterator(&it);
    }
    WebPDemuxDelete(dm);
    return icc;
}

/* Decoded RGBA rows into a surface in sRGB. */
static cairo_surface_t *to_surface(const uint8_t *rgba, const struct pr_image_info *info, const unsigned char *icc,
                                   size_t icc_len)
{
    struct pr_pixfmt f = {PR_COLOUR_RGB, 8, true, false, false};
    struct pr_raster r;
    if (!pr_raster_begin(&r, info->width, info->height, &f, icc, icc_len))
        return NULL;
    for (int y = 0; y < info->height; y++)
        pr_raster_row(&r, y, rgba + (size_t)y * (size_t)info->width * 4);
    return pr_raster_end(&r, true);
}

bool pr_webp_read(const unsigned char *d, size_t len, enum pr_read_mode mode, struct pr_image_info *info,
                  cairo_surface_t **out, char *err, size_t errlen)
{
    WebPBitstreamFeatures ft;
    VP8StatusCode st = WebPGetFeatures(d, len, &ft);
    if (st != VP8_STATUS_OK) {
        snprintf(err, errlen, "the WebP file is %s; export it again",
                 st == VP8_STATUS_NOT_ENOUGH_DATA ? "cut short" : "damaged");
        return false;
    }
    size_t icc_len = 0;
    unsigned char *icc = webp_icc(d, len, &icc_len);
    *info = (struct pr_image_info){PR_IMAGE_WEBP, ft.width, ft.height, PR_COLOUR_RGB, ft.has_alpha != 0,
                                   icc && !pr_colour_is_srgb(icc, icc_len)};
    bool ok = true;
    if (ft.has_animation) {
        snprintf(err, errlen, "the WebP file is an animation; export one frame as a still picture");
        ok = false;
    } else if (info->width <= 0 || info->height <= 0 || pr_image_too_large(info->width, info->height)) {
        pr_image_say_too_large(err, errlen, info->width, info->height);
        ok = false;
    } else if (mode != PR_READ_HEADER) {
        int w, h;
        uint8_t *rgba = WebPDecodeRGBA(d, len, &w, &h);
        ok = rgba && w == info->width && h == info->height;
        if (!ok)
            snprintf(err, errlen, "the WebP file is damaged or cut short; copy or export it again");
        else if (mode == PR_READ_PIXELS) {
            *out = to_surface(rgba, info, icc, icc_len);
            ok = *out != NULL;
            if (!ok)
                snprintf(err, errlen, "out of memory for %d x %d pixels", w, h);
        }
        WebPFree(rgba);
    }
    free(icc);
    return ok;
}

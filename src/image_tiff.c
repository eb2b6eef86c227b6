/* image_tiff.c - TIFF pictures with libtiff (image_int.h), read from memory:
 * the size and colour from the first directory, every strip or tile
 * decoded once for the check, and the pixels for painting. Grey, RGB and
 * CMYK at 8 or 16 bits with any compression libtiff knows (none, LZW,
 * Deflate, JPEG, PackBits) are read row by row and converted from their
 * embedded profile (colour.c); anything else (palettes, 1-bit, YCbCr,
 * tiles, separate planes, turned pictures) through libtiff's RGBA reader,
 * which turns them upright. Called by
 * image.c. The only file that includes libtiff. */
#include "image_int.h"
#include "arena.h"
#include <cairo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

struct mem {
    const unsigned char *d;
    toff_t len, at;
};

static tmsize_t mem_read(thandle_t h, void *buf, tmsize_t n)
{
    struct mem *m = h;
    if (n < 0)
        return -1;
    toff_t left = m->at < m->len ? m->len - m->at : 0;
    if ((toff_t)n > left)
        n = (tmsize_t)left;
    memcpy(buf, m->d + m->at, (size_t)n);
    m->at += (toff_t)n;
    return n;
}

static tmsize_t mem_write(thandle_t h, void *buf, tmsize_t n)
{
    (void)h, (void)buf, (void)n;
    return -1;
}

static toff_t mem_seek(thandle_t h, toff_t off, int whence)
{
    struct mem *m = h;
    toff_t base = whence == SEEK_CUR ? m->at : whence == SEEK_END ? m->len : 0;
    m->at = base + off;
    return m->at;
}

static int mem_close(thandle_t h)
{
    (void)h;
    return 0;
}

static toff_t mem_size(thandle_t h)
{
    return ((struct mem *)h)->len;
}

static int mem_map(thandle_t h, void **base, toff_t *size)
{
    (void)h, (void)base, (void)size;
    return 0;
}

static void mem_unmap(thandle_t h, void *base, toff_t size)
{
    (void)h, (void)base, (void)size;
}

/* libtiff's first error, kept for the message. */
struct tiff_err {
    char msg[200];
};

static int on_error(TIFF *t, void *user, const char *module, const char *fmt, va_list ap)
{
    (void)t, (void)module;
    struct tiff_err *e = user;
    if (e->msg[0])
        return 1;
    char m[sizeof e->msg];
    vsnprintf(m, sizeof m, fmt, ap);
    /* many messages start with the file name, which is ours: "image: " */
    snprintf(e->msg, sizeof e->msg, "%s", strncmp(m, "image: ", 7) == 0 ? m + 7 : m);
    return 1;
}

static int on_warning(TIFF *t, void *user, const char *module, const char *fmt, va_list ap)
{
    (void)t, (void)user, (void)module, (void)fmt, (void)ap;
    return 1;
}

static TIFF *open_mem(struct mem *m, struct tiff_err *e)
{
    TIFFOpenOptions *o = TIFFOpenOptionsAlloc();
    TIFFOpenOptionsSetErrorHandlerExtR(o, on_error, e);
    TIFFOpenOptionsSetWarningHandlerExtR(o, on_warning, e);
    TIFF *t = TIFFClientOpenExt("image", "rm", m, mem_read, mem_write, mem_seek, mem_close, mem_size, mem_map,
                                mem_unmap, o);
    TIFFOpenOptionsFree(o);
    return t;
}

bool pr_is_tiff(const unsigned char *d, size_t len)
{
    return len >= 4 && (memcmp(d, "II*\0", 4) == 0 || memcmp(d, "MM\0*", 4) == 0 || memcmp(d, "II+\0", 4) == 0 ||
                        memcmp(d, "MM\0+", 4) == 0);
}

/* The directory's layout as rows colour.c takes, or false when libtiff's
 * RGBA reader must do it. */
static bool row_format(TIFF *t, struct pr_pixfmt *f, uint16_t *spp)
{
    uint16_t bps = 1, photo = 0, planar = PLANARCONFIG_CONTIG, fmt = SAMPLEFORMAT_UINT, ink = INKSET_CMYK;
    uint16_t nextra = 0, *extra = NULL, orient = ORIENTATION_TOPLEFT;
    *spp = 1;
    TIFFGetFieldDefaulted(t, TIFFTAG_ORIENTATION, &orient);
    TIFFGetFieldDefaulted(t, TIFFTAG_BITSPERSAMPLE, &bps);
    TIFFGetFieldDefaulted(t, TIFFTAG_SAMPLESPERPIXEL, spp);
    TIFFGetFieldDefaulted(t, TIFFTAG_PLANARCONFIG, &planar);
    TIFFGetFieldDefaulted(t, TIFFTAG_SAMPLEFORMAT, &fmt);
    TIFFGetFieldDefaulted(t, TIFFTAG_INKSET, &ink);
    TIFFGetFieldDefaulted(t, TIFFTAG_EXTRASAMPLES, &nextra, &extra);
    if (!TIFFGetField(t, TIFFTAG_PHOTOMETRIC, &photo))
        return false;
    if ((bps != 8 && bps != 16) || planar != PLANARCONFIG_CONTIG || fmt != SAMPLEFORMAT_UINT || TIFFIsTiled(t) ||
        orient != ORIENTATION_TOPLEFT)
        return false;
    *f = (struct pr_pixfmt){PR_COLOUR_RGB, bps, false, false, false};
    int colour;
    if (photo == PHOTOMETRIC_MINISBLACK)
        f->model = PR_COLOUR_GREY, colour = 1;
    else if (photo == PHOTOMETRIC_RGB)
        f->model = PR_COLOUR_RGB, colour = 3;
    else if (photo == PHOTOMETRIC_SEPARATED && ink == INKSET_CMYK)
        f->model = PR_COLOUR_CMYK, colour = 4;
    else
        return false;
    if (*spp == colour + 1 && nextra == 1) {
        f->alpha = true;
        f->premultiplied = extra[0] == EXTRASAMPLE_ASSOCALPHA;
    }
    return *spp == colour || f->alpha;
}

/* Size and colour of the first directory. */
static void tiff_info(TIFF *t, struct pr_image_info *info)
{
    uint32_t w = 0, h = 0;
    uint16_t photo = PHOTOMETRIC_RGB, spp = 1, nextra = 0, *extra = NULL;
    uint32_t icc_len = 0;
    void *icc = NULL;
    TIFFGetField(t, TIFFTAG_IMAGEWIDTH, &w);
    TIFFGetField(t, TIFFTAG_IMAGELENGTH, &h);
    TIFFGetField(t, TIFFTAG_PHOTOMETRIC, &photo);
    TIFFGetFieldDefaulted(t, TIFFTAG_SAMPLESPERPIXEL, &spp);
    TIFFGetFieldDefaulted(t, TIFFTAG_EXTRASAMPLES, &nextra, &extra);
    info->kind = PR_IMAGE_TIFF;
    info->width = w > 0x7FFFFFFFu ? 0x7FFFFFFF : (int)w;
    info->height = h > 0x7FFFFFFFu ? 0x7FFFFFFF : (int)h;
    info->colour = photo == PHOTOMETRIC_SEPARATED                                     ? PR_COLOUR_CMYK
                   : photo == PHOTOMETRIC_MINISBLACK || photo == PHOTOMETRIC_MINISWHITE ? PR_COLOUR_GREY
                                                                                      : PR_COLOUR_RGB;
    info->alpha = nextra > 0;
    bool has_icc = TIFFGetField(t, TIFFTAG_ICCPROFILE, &icc_len, &icc) && icc_len > 0;
    info->icc = has_icc && (info->colour == PR_COLOUR_CMYK || !pr_colour_is_srgb(icc, icc_len));
}

/* Can either reader take the directory's layout? Else msg says why. */
static bool decodable(TIFF *t, char *msg, size_t msglen)
{
    struct pr_pixfmt f;
    uint16_t spp;
    char why[1024] = "";
    if (row_format(t, &f, &spp) || TIFFRGBAImageOK(t, why))
        return true;
    snprintf(msg, msglen, "%s", why);
    return false;
}

/* Every strip or tile decoded into one scratch buffer, nothing kept. */
static bool verify_data(TIFF *t)
{
    bool tiled = TIFFIsTiled(t);
    tmsize_t size = tiled ? TIFFTileSize(t) : TIFFStripSize(t);
    uint32_t n = tiled ? TIFFNumberOfTiles(t) : TIFFNumberOfStrips(t);
    if (size <= 0 || n == 0)
        return false;
    void *buf = pr_xmalloc((size_t)size);
    bool ok = true;
    uint16_t planar = PLANARCONFIG_CONTIG;
    TIFFGetFieldDefaulted(t, TIFFTAG_PLANARCONFIG, &planar);
    for (uint32_t i = 0; ok && i < n; i++)
        ok = (tiled ? TIFFReadEncodedTile(t, i, buf, size) : TIFFReadEncodedStrip(t, i, buf, size)) >= 0;
    free(buf);
    return ok;
}

/* Rows in a layout colour.c takes, converted from the embedded profile. */
static cairo_surface_t *decode_rows(TIFF *t, const struct pr_image_info *info, const struct pr_pixfmt *f)
{
    uint32_t icc_len = 0;
    void *icc = NULL;
    TIFFGetField(t, TIFFTAG_ICCPROFILE, &icc_len, &icc);
    struct pr_raster r;
    if (!pr_raster_begin(&r, info->width, info->height, f, icc, icc_len))
        return NULL;
    tmsize_t size = TIFFScanlineSize(t);
    void *row = pr_xmalloc(size > 0 ? (size_t)size : 1);
    bool ok = size > 0;
    for (int y = 0; ok && y < info->height; y++) {
        ok = TIFFReadScanline(t, row, (uint32_t)y, 0) >= 0;
        if (ok)
            pr_raster_row(&r, y, row);
    }
    free(row);
    return pr_raster_end(&r, ok);
}

/* Anything else through libtiff's RGBA reader (8 bits, unassociated
 * alpha, no profile). */
static cairo_surface_t *decode_rgba(TIFF *t, const struct pr_image_info *info)
{
    size_t n = (size_t)info->width * (size_t)info->height;
    uint32_t *px = pr_xmalloc(n * sizeof *px);
    if (!TIFFReadRGBAImageOriented(t, (uint32_t)info->width, (uint32_t)info->height, px, ORIENTATION_TOPLEFT, 0)) {
        free(px);
        return NULL;
    }
    struct pr_pixfmt f = {PR_COLOUR_RGB, 8, true, false, false};
    struct pr_raster r;
    if (!pr_raster_begin(&r, info->width, info->height, &f, NULL, 0)) {
        free(px);
        return NULL;
    }
    unsigned char *row = pr_xmalloc((size_t)info->width * 4);
    for (int y = 0; y < info->height; y++) {
        const uint32_t *src = px + (size_t)y * (size_t)info->width;
        for (int x = 0; x < info->width; x++) {
            row[4 * x] = (unsigned char)TIFFGetR(src[x]);
            row[4 * x + 1] = (unsigned char)TIFFGetG(src[x]);
            row[4 * x + 2] = (unsigned char)TIFFGetB(src[x]);
            row[4 * x + 3] = (unsigned char)TIFFGetA(src[x]);
        }
        pr_raster_row(&r, y, row);
    }
    free(row);
    free(px);
    return pr_raster_end(&r, true);
}

/* The rows of a CMYK picture as 8-bit ink, w*h*4 bytes into *out. */
static bool cmyk_rows(TIFF *t, int w, int h, int bits, unsigned char *out)
{
    tmsize_t size = TIFFScanlineSize(t);
    if (size < (tmsize_t)w * 4 * (bits / 8))
        return false;
    unsigned char *row = pr_xmalloc((size_t)size);
    bool ok = true;
    for (int y = 0; ok && y < h; y++) {
        ok = TIFFReadScanline(t, row, (uint32_t)y, 0) >= 0;
        unsigned char *o = out + (size_t)y * (size_t)w * 4;
        for (size_t i = 0; ok && i < (size_t)w * 4; i++)
            o[i] = bits == 16 ? (unsigned char)(((const uint16_t *)(const void *)row)[i] >> 8) : row[i];
    }
    free(row);
    return ok;
}

bool pr_tiff_cmyk(const unsigned char *d, size_t len, int *w, int *h, unsigned char **samples, unsigned char **icc,
                  size_t *icc_len)
{
    struct mem m = {d, len, 0};
    struct tiff_err e = {""};
    TIFF *t = open_mem(&m, &e);
    if (!t)
        return false;
    struct pr_image_info info;
    struct pr_pixfmt f;
    uint16_t spp;
    tiff_info(t, &info);
    bool ok = row_format(t, &f, &spp) && f.model == PR_COLOUR_CMYK && !f.alpha && info.width > 0 &&
              info.height > 0 && !pr_image_too_large(info.width, info.height);
    *w = info.width;
    *h = info.height;
    if (ok && samples) {
        *samples = pr_xmalloc((size_t)info.width * (size_t)info.height * 4);
        ok = cmyk_rows(t, info.width, info.height, f.bits, *samples);
        uint32_t n = 0;
        void *p = NULL;
        *icc = NULL;
        if (ok && TIFFGetField(t, TIFFTAG_ICCPROFILE, &n, &p) && n > 0) {
            *icc = pr_xmalloc(n);
            memcpy(*icc, p, n);
            *icc_len = n;
        }
        if (!ok) {
            free(*samples);
            *samples = NULL;
        }
    }
    TIFFClose(t);
    return ok;
}

bool pr_tiff_read(const unsigned char *d, size_t len, enum pr_read_mode mode, struct pr_image_info *info,
                  cairo_surface_t **out, char *err, size_t errlen)
{
    struct mem m = {d, len, 0};
    struct tiff_err e = {""};
    TIFF *t = open_mem(&m, &e);
    if (!t) {
        snprintf(err, errlen, "the TIFF file is damaged or cut short (%s); copy or export it again", e.msg[0] ? e.msg : "no directory");
        return false;
    }
    tiff_info(t, info);
    bool ok = true;
    if (info->width <= 0 || info->height <= 0) {
        snprintf(err, errlen, "the TIFF gives %d x %d pixels; export the image again", info->width, info->height);
        ok = false;
    } else if (pr_image_too_large(info->width, info->height)) {
        pr_image_say_too_large(err, errlen, info->width, info->height);
        ok = false;
    } else if (mode != PR_READ_HEADER && !decodable(t, e.msg, sizeof e.msg)) {
        snprintf(err, errlen, "the TIFF's layout is not one pressrun reads (%s); export it as 8- or 16-bit RGB, "
                 "CMYK or grey", e.msg);
        ok = false;
    } else if (mode == PR_READ_VERIFY && !verify_data(t)) {
        snprintf(err, errlen, "the TIFF file is damaged or cut short (%s); copy or export it again",
                 e.msg[0] ? e.msg : "unreadable image data");
        ok = false;
    } else if (mode == PR_READ_PIXELS) {
        struct pr_pixfmt f;
        uint16_t spp;
        *out = row_format(t, &f, &spp) ? decode_rows(t, info, &f) : decode_rgba(t, info);
        ok = *out != NULL;
        if (!ok)
            snprintf(err, errlen, "the TIFF cannot be decoded (%s); export it again as 8-bit RGB",
                     e.msg[0] ? e.msg : "unknown layout");
    }
    TIFFClose(t);
    return ok;
}

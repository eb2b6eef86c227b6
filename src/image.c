/* image.c - image headers and surfaces (see image.h). PNG through cairo,
 * JPEG through libjpeg; a JPEG's bytes go into the PDF unchanged via
 * CAIRO_MIME_TYPE_JPEG. Called by typesetting (sizes) and paint.c. */
#include "image.h"
#include <cairo.h>
#include <jpeglib.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool read_all(const char *path, unsigned char **data, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t cap = 1 << 16, n = 0, got;
    unsigned char *buf = pr_xmalloc(cap);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = pr_xrealloc(buf, cap);
        }
    }
    fclose(f);
    *data = buf;
    *len = n;
    return true;
}

struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jb;
    char msg[JMSG_LENGTH_MAX];
};

static void jpeg_fail(j_common_ptr c)
{
    struct jerr *e = (struct jerr *)c->err;
    (*c->err->format_message)(c, e->msg);
    longjmp(e->jb, 1);
}

static void jpeg_quiet(j_common_ptr c, int level)
{
    (void)c;
    (void)level;
}

/* Decode (pixels != NULL) or only read the header of a JPEG held in memory. */
static bool jpeg_read(const unsigned char *data, size_t len, int *w, int *h,
                      cairo_surface_t **pixels, char *err, size_t errlen)
{
    struct jpeg_decompress_struct cinfo;
    struct jerr je;
    cairo_surface_t *volatile surf = NULL;
    cinfo.err = jpeg_std_error(&je.mgr);
    je.mgr.error_exit = jpeg_fail;
    je.mgr.emit_message = jpeg_quiet;
    je.msg[0] = 0;
    if (setjmp(je.jb)) {
        jpeg_destroy_decompress(&cinfo);
        if (surf)
            cairo_surface_destroy(surf);
        snprintf(err, errlen, "%s", je.msg);
        return false;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)len);
    jpeg_read_header(&cinfo, TRUE);
    *w = (int)cinfo.image_width;
    *h = (int)cinfo.image_height;
    if (*w <= 0 || *h <= 0 || *w > PR_IMAGE_MAX_SIDE || *h > PR_IMAGE_MAX_SIDE ||
        (long)*w * *h > PR_IMAGE_MAX_PIXELS) {
        jpeg_destroy_decompress(&cinfo);
        snprintf(err, errlen, "image is %d x %d pixels, more than pressrun accepts", *w, *h);
        return false;
    }
    if (pixels) {
        cinfo.out_color_space = JCS_RGB;
        jpeg_start_decompress(&cinfo);
        surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, *w, *h);
        unsigned char *dst = cairo_image_surface_get_data(surf);
        int stride = cairo_image_surface_get_stride(surf);
        unsigned char *row = pr_xmalloc((size_t)*w * 3);
        while (cinfo.output_scanline < cinfo.output_height) {
            unsigned y = cinfo.output_scanline;
            JSAMPROW rp = row;
            jpeg_read_scanlines(&cinfo, &rp, 1);
            uint32_t *out = (uint32_t *)(dst + (size_t)y * stride);
            for (int x = 0; x < *w; x++)
                out[x] = 0xFF000000u | (uint32_t)row[3 * x] << 16 | (uint32_t)row[3 * x + 1] << 8 | row[3 * x + 2];
        }
        free(row);
        jpeg_finish_decompress(&cinfo);
        cairo_surface_mark_dirty(surf);
        *pixels = surf;
    }
    jpeg_destroy_decompress(&cinfo);
    return true;
}

static bool png_header(const unsigned char *d, size_t len, int *w, int *h)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (len < 24 || memcmp(d, sig, 8) != 0 || memcmp(d + 12, "IHDR", 4) != 0)
        return false;
    *w = (int)((unsigned)d[16] << 24 | (unsigned)d[17] << 16 | (unsigned)d[18] << 8 | d[19]);
    *h = (int)((unsigned)d[20] << 24 | (unsigned)d[21] << 16 | (unsigned)d[22] << 8 | d[23]);
    return true;
}

bool pr_image_info_get(struct pr_build *b, const char *path, struct pr_pos pos, struct pr_image_info *out)
{
    unsigned char *data;
    size_t len;
    if (!read_all(path, &data, &len)) {
        pr_diag(&b->diags, PR_D_IMAGE, pos, "cannot read image '%s'; check the path", path);
        return false;
    }
    bool ok = false;
    char err[JMSG_LENGTH_MAX + 64] = "";
    if (png_header(data, len, &out->width, &out->height)) {
        out->kind = PR_IMAGE_PNG;
        if (out->width <= 0 || out->height <= 0 || out->width > PR_IMAGE_MAX_SIDE ||
            out->height > PR_IMAGE_MAX_SIDE || (long)out->width * out->height > PR_IMAGE_MAX_PIXELS)
            snprintf(err, sizeof err, "image is %d x %d pixels, more than pressrun accepts",
                     out->width, out->height);
        else
            ok = true;
    } else if (len > 3 && data[0] == 0xFF && data[1] == 0xD8) {
        out->kind = PR_IMAGE_JPEG;
        ok = jpeg_read(data, len, &out->width, &out->height, NULL, err, sizeof err);
    } else
        snprintf(err, sizeof err, "not a PNG or JPEG file");
    free(data);
    if (!ok)
        pr_diag(&b->diags, PR_D_IMAGE, pos, "image '%s': %s; export it as PNG or JPEG (at most %d px a side)",
                path, err[0] ? err : "corrupt", PR_IMAGE_MAX_SIDE);
    return ok;
}

static void free_data(void *p)
{
    free(p);
}

cairo_surface_t *pr_image_surface(const char *path, bool pixels)
{
    unsigned char *data;
    size_t len;
    if (!read_all(path, &data, &len))
        return NULL;
    int w, h;
    cairo_surface_t *s = NULL;
    char err[JMSG_LENGTH_MAX + 64];
    if (png_header(data, len, &w, &h)) {
        free(data);
        if (w <= 0 || h <= 0 || w > PR_IMAGE_MAX_SIDE || h > PR_IMAGE_MAX_SIDE ||
            (long)w * h > PR_IMAGE_MAX_PIXELS)
            return NULL;
        s = cairo_image_surface_create_from_png(path);
        if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
            cairo_surface_destroy(s);
            return NULL;
        }
        return s;
    }
    if (len > 3 && data[0] == 0xFF && data[1] == 0xD8) {
        cairo_surface_t *px = NULL;
        if (!jpeg_read(data, len, &w, &h, pixels ? &px : NULL, err, sizeof err)) {
            free(data);
            return NULL;
        }
        s = px ? px : cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
        if (cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, data, len, free_data, data) !=
            CAIRO_STATUS_SUCCESS)
            free(data);
        return s;
    }
    free(data);
    return NULL;
}

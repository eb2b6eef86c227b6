/* image_png.c - PNG pictures (image_int.h): the header's size and colour,
 * every chunk checked with zlib before anything is painted (cairo, through
 * libpng, would refuse a damaged file only while painting, leaving a hole
 * in the page), the pixels decoded by cairo (8 and 16 bits, grey, palette,
 * alpha, interlaced) and converted to sRGB from an embedded iCCP profile
 * (colour.c). Called by image.c. */
#include "image_int.h"
#include "arena.h"
#include <cairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

bool pr_is_png(const unsigned char *d, size_t len)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    return len >= 24 && memcmp(d, sig, 8) == 0 && memcmp(d + 12, "IHDR", 4) == 0;
}

static bool png_header(const unsigned char *d, size_t len, int *w, int *h)
{
    if (!pr_is_png(d, len))
        return false;
    unsigned long W = be32(d + 16), H = be32(d + 20);
    /* PNG allows up to 2^31 - 1; anything above the int range is refused as
     * too large by the caller */
    *w = W > 0x7FFFFFFFul ? 0x7FFFFFFF : (int)W;
    *h = H > 0x7FFFFFFFul ? 0x7FFFFFFF : (int)H;
    return true;
}

/* The inflated image data of a PNG: each row is one filter-type byte (0..4)
 * and its bytes; an interlaced image holds seven reduced images (Adam7). */
struct pngrows {
    int pass;               /* 0..6 for Adam7, 0 for a plain image */
    bool interlaced;
    unsigned long w, h, bits; /* bits per pixel */
    unsigned long rows_left; /* in this pass */
    unsigned long rowbytes;  /* of this pass, filter byte included */
    unsigned long at;        /* position inside the current row */
    bool done, bad_filter;
};

static void png_next_pass(struct pngrows *r)
{
    static const int x0[7] = {0, 4, 0, 2, 0, 1, 0}, y0[7] = {0, 0, 4, 0, 2, 0, 1};
    static const int dx[7] = {8, 8, 4, 4, 2, 2, 1}, dy[7] = {8, 8, 8, 4, 4, 2, 2};
    for (; r->pass < 7; r->pass++) {
        unsigned long pw, ph;
        if (!r->interlaced) {
            pw = r->w;
            ph = r->h;
        } else {
            int p = r->pass;
            pw = r->w > (unsigned long)x0[p] ? (r->w - x0[p] + dx[p] - 1) / dx[p] : 0;
            ph = r->h > (unsigned long)y0[p] ? (r->h - y0[p] + dy[p] - 1) / dy[p] : 0;
        }
        if (pw && ph) {
            r->rows_left = ph;
            r->rowbytes = 1 + (pw * r->bits + 7) / 8;
            r->at = 0;
            return;
        }
        if (!r->interlaced)
            break;
    }
    r->done = true;
}

/* Feed inflated bytes; checks each row's filter byte. Returns the bytes
 * beyond the end of the image data (0 normally). */
static size_t png_rows_feed(struct pngrows *r, const unsigned char *p, size_t n)
{
    size_t i = 0;
    while (i < n && !r->done) {
        if (r->at == 0 && p[i] > 4)
            r->bad_filter = true;
        size_t take = r->rowbytes - r->at;
        if (take > n - i)
            take = n - i;
        r->at += take;
        i += take;
        if (r->at == r->rowbytes) {
            r->at = 0;
            if (--r->rows_left == 0) {
                if (!r->interlaced)
                    r->done = true;
                else {
                    r->pass++;
                    png_next_pass(r);
                }
            }
        }
    }
    return n - i;
}

/* IHDR: a bit depth and colour type PNG allows, no unknown compression,
 * filter or interlace method. Sets up *rows for the image data and *ctype;
 * on failure writes what is wrong to err. */
static bool png_ihdr(const unsigned char *d, size_t len, struct pngrows *rows, int *ctype,
                     char *err, size_t errlen)
{
    unsigned long w = be32(d + 16), h = be32(d + 20);
    if (be32(d + 8) != 13 || len < 33) {
        snprintf(err, errlen, "the PNG header is damaged; export the image again");
        return false;
    }
    int depth = d[24];
    *ctype = d[25];
    int ct = *ctype;
    int channels = ct == 0 ? 1 : ct == 2 ? 3 : ct == 3 ? 1 : ct == 4 ? 2 : ct == 6 ? 4 : 0;
    bool depth_ok = ct == 0 ? (depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16)
                    : ct == 3 ? (depth == 1 || depth == 2 || depth == 4 || depth == 8)
                              : (depth == 8 || depth == 16);
    if (!channels || !depth_ok || d[26] != 0 || d[27] != 0 || d[28] > 1) {
        snprintf(err, errlen, "the PNG header is invalid (bit depth %d, colour type %d); export the image again",
                 depth, ct);
        return false;
    }
    *rows = (struct pngrows){.interlaced = d[28] == 1, .w = w, .h = h,
                             .bits = (unsigned long)channels * (unsigned long)depth};
    png_next_pass(rows);
    return true;
}

/* One IDAT chunk's data through zlib (into a scratch buffer) and on to the
 * row check; *zend once the stream has ended. Returns what is wrong, or
 * NULL. */
static const char *png_inflate(z_stream *zs, struct pngrows *rows, const unsigned char *data,
                               unsigned long clen, bool *zend)
{
    unsigned char scratch[1 << 15];
    zs->next_in = (Bytef *)data;
    zs->avail_in = (uInt)clen;
    while (zs->avail_in > 0 && !*zend) {
        zs->next_out = scratch;
        zs->avail_out = sizeof scratch;
        int zr = inflate(zs, Z_NO_FLUSH);
        if (zr != Z_OK && zr != Z_STREAM_END && !(zr == Z_BUF_ERROR && zs->avail_out == 0))
            return "damaged compressed data";
        png_rows_feed(rows, scratch, sizeof scratch - zs->avail_out);
        *zend = zr == Z_STREAM_END;
    }
    /* the last bytes may still be inside zlib's window */
    while (!*zend) {
        zs->next_out = scratch;
        zs->avail_out = sizeof scratch;
        int zr = inflate(zs, Z_NO_FLUSH);
        png_rows_feed(rows, scratch, sizeof scratch - zs->avail_out);
        if (zr == Z_STREAM_END)
            *zend = true;
        if (zr != Z_OK || zs->avail_out != 0)
            break;
    }
    return NULL;
}

/* Walks the chunks of a whole PNG: IHDR first with a valid bit depth and
 * colour type, every chunk's CRC, a palette where one is needed, the image
 * data inflated (never held) to exactly the size the header promises with
 * valid row filters, and IEND. Cairo (libpng) would refuse most of these
 * only while painting, leaving a hole in the page. On failure writes what is
 * wrong to err. */
static bool png_check(const unsigned char *d, size_t len, char *err, size_t errlen)
{
    struct pngrows rows;
    int ctype;
    if (!png_ihdr(d, len, &rows, &ctype, err, errlen))
        return false;

    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit(&zs) != Z_OK) {
        fputs("pressrun: out of memory\n", stderr);
        exit(70);
    }
    bool ok = false, seen_plte = false, seen_idat = false, idat_over = false, zend = false;
    const char *problem = NULL;
    char chunkname[5] = "";
    size_t i = 8;
    for (;;) {
        if (len - i < 12) {
            problem = "the file is cut short; copy or export it again";
            break;
        }
        unsigned long clen = be32(d + i);
        const unsigned char *type = d + i + 4, *data = d + i + 8;
        memcpy(chunkname, type, 4);
        for (int k = 0; k < 4; k++)
            if (!((type[k] | 32) >= 'a' && (type[k] | 32) <= 'z'))
                chunkname[k] = '?';
        if (clen > 0x7FFFFFFFul || clen > len - i - 12) {
            problem = "the file is cut short; copy or export it again";
            break;
        }
        if (crc32(crc32(0L, Z_NULL, 0), type, (uInt)(clen + 4)) != be32(data + clen)) {
            problem = "a checksum error";
            break;
        }
        bool is_idat = memcmp(type, "IDAT", 4) == 0;
        if (seen_idat && !is_idat)
            idat_over = true;
        if (is_idat) {
            if (idat_over) {
                problem = "image data split by another chunk";
                break;
            }
            seen_idat = true;
            if (ctype == 3 && !seen_plte) {
                problem = "a palette image without a palette";
                break;
            }
            if ((problem = png_inflate(&zs, &rows, data, clen, &zend)))
                break;
        } else if (memcmp(type, "PLTE", 4) == 0) {
            seen_plte = true;
        } else if (memcmp(type, "IEND", 4) == 0) {
            if (!seen_idat)
                problem = "no image data";
            else if (!rows.done)
                problem = "the image data is cut short; copy or export it again";
            else
                ok = true;
            break;
        } else if (i != 8 && !(type[0] & 32)) {
            problem = "an unknown critical chunk";
            break;
        }
        if (rows.bad_filter) {
            problem = "a bad row filter";
            break;
        }
        i += 12 + clen;
    }
    inflateEnd(&zs);
    if (!ok) {
        if (strchr(problem, ';'))
            snprintf(err, errlen, "%s", problem);
        else
            snprintf(err, errlen, "the file is damaged (%s in chunk '%s'); export it again", problem, chunkname);
    }
    return ok;
}

/* A PNG held in memory decoded by cairo (libpng): 8 or 16 bits, grey,
 * palette, alpha. NULL when cairo cannot. */
struct png_src {
    const unsigned char *d;
    size_t len, at;
};

static cairo_status_t png_src_read(void *closure, unsigned char *buf, unsigned int n)
{
    struct png_src *p = closure;
    if (n > p->len - p->at)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(buf, p->d + p->at, n);
    p->at += n;
    return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *png_surface(const unsigned char *d, size_t len)
{
    struct png_src src = {d, len, 0};
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(png_src_read, &src);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(s);
        return NULL;
    }
    return s;
}

/* The profile of an iCCP chunk before the image data (malloc'd, *n set),
 * or NULL: none, or not one zlib can inflate to at most 16 MB. */
static unsigned char *png_icc(const unsigned char *d, size_t len, size_t *n)
{
    for (size_t i = 8; len - i >= 12;) {
        unsigned long clen = be32(d + i);
        if (clen > len - i - 12 || memcmp(d + i + 4, "IDAT", 4) == 0)
            return NULL;
        const unsigned char *data = d + i + 8, *name_end = memchr(data, 0, clen < 80 ? clen : 80);
        if (memcmp(d + i + 4, "iCCP", 4) == 0 && name_end && (size_t)(name_end - data) + 2 < clen) {
            const unsigned char *z = name_end + 2;
            uLongf cap = 1 << 16;
            for (;;) {
                unsigned char *out = pr_xmalloc(cap);
                uLongf got = cap;
                int r = uncompress(out, &got, z, (uLong)(data + clen - z));
                if (r == Z_OK) {
                    *n = got;
                    return out;
                }
                free(out);
                if (r != Z_BUF_ERROR || cap >= (16ul << 20))
                    return NULL;
                cap *= 4;
            }
        }
        i += 12 + clen;
    }
    return NULL;
}

/* Converts cairo's decode of the PNG to sRGB from the PNG's own profile,
 * in place: each row unpremultiplied into RGBA, then through colour.c. */
static void png_convert(cairo_surface_t *s, const unsigned char *icc, size_t n)
{
    bool alpha = cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32;
    struct pr_pixfmt f = {PR_COLOUR_RGB, 8, alpha, false, false};
    struct pr_colour *c = pr_colour_new(&f, icc, n);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s), ch = alpha ? 4 : 3;
    unsigned char *px = cairo_image_surface_get_data(s), *rgba = pr_xmalloc((size_t)w * 4);
    cairo_surface_flush(s);
    for (int y = 0; y < h; y++) {
        uint32_t *row = (uint32_t *)(px + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++) {
            unsigned a = alpha ? row[x] >> 24 : 255;
            for (int k = 0; k < 3; k++) {
                unsigned v = row[x] >> (16 - 8 * k) & 0xFF;
                rgba[ch * x + k] = (unsigned char)(a ? (v * 255 + a / 2) / a : 0);
            }
            if (alpha)
                rgba[ch * x + 3] = (unsigned char)a;
        }
        pr_colour_row(c, rgba, w, row);
    }
    free(rgba);
    pr_colour_free(c);
    cairo_surface_mark_dirty(s);
}

/* PNG: the header's size, colour and profile, every chunk checked
 * (VERIFY), or decoded by cairo and converted to sRGB (PIXELS). */
bool pr_png_read(const unsigned char *d, size_t len, enum pr_read_mode mode, struct pr_image_info *info,
                 cairo_surface_t **out, char *err, size_t errlen)
{
    info->kind = PR_IMAGE_PNG;
    png_header(d, len, &info->width, &info->height);
    int ct = len > 25 ? d[25] : 2;
    info->colour = ct == 0 || ct == 4 ? PR_COLOUR_GREY : PR_COLOUR_RGB;
    info->alpha = ct == 4 || ct == 6;
    size_t icc_len = 0;
    unsigned char *icc = png_icc(d, len, &icc_len);
    info->icc = icc && !pr_colour_is_srgb(icc, icc_len);
    bool ok = true;
    if (info->width <= 0 || info->height <= 0) {
        snprintf(err, errlen, "the PNG header gives %d x %d pixels; export the image again", info->width,
                 info->height);
        ok = false;
    } else if (pr_image_too_large(info->width, info->height)) {
        pr_image_say_too_large(err, errlen, info->width, info->height);
        ok = false;
    } else if (mode == PR_READ_VERIFY)
        ok = png_check(d, len, err, errlen);
    else if (mode == PR_READ_PIXELS) {
        *out = png_surface(d, len);
        if (*out && info->icc)
            png_convert(*out, icc, icc_len);
    }
    free(icc);
    return ok;
}


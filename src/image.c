/* image.c - image files (see image.h): size, kind, colour and soundness for
 * the input stage's preflight (manifest.c, markdown.c) and typesetting,
 * surfaces for paint.c. PNGs are checked chunk by chunk (zlib) and decoded
 * by cairo; JPEGs are checked and decoded with libjpeg, and their bytes go
 * into the PDF unchanged via CAIRO_MIME_TYPE_JPEG when no colour needs
 * converting; TIFF (image_tiff.c) and WebP (image_webp.c) are dispatched
 * from here. Every decoded picture is converted to sRGB (colour.c) through
 * a raster. */
#include "image_int.h"
#include "arena.h"
#include <cairo.h>
#include <pthread.h>
#include <jpeglib.h>
#include <jerror.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

/* Files larger than this are not read at all: the whole file is held in
 * memory, and no picture a page can show needs more. */
#define MAX_IMAGE_BYTES (256L * 1024 * 1024)

bool pr_image_read_file(const char *path, unsigned char **data, size_t *len, const char **why)
{
    *why = "cannot be read; check the path and the file's permissions";
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        *why = "is not a regular file; give the path of a PNG, JPEG, TIFF or WebP file";
        return false;
    }
    if (st.st_size > MAX_IMAGE_BYTES) {
        fclose(f);
        *why = "is larger than 256 MB; scale it down or export it as a JPEG";
        return false;
    }
    size_t cap = 1 << 16, n = 0, got;
    unsigned char *buf = pr_xmalloc(cap);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n > (size_t)MAX_IMAGE_BYTES) {
            free(buf);
            fclose(f);
            *why = "is larger than 256 MB; scale it down or export it as a JPEG";
            return false;
        }
        if (n == cap) {
            cap *= 2;
            buf = pr_xrealloc(buf, cap);
        }
    }
    bool err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        return false;
    }
    *data = buf;
    *len = n;
    return true;
}

struct jerr {
    struct jpeg_error_mgr mgr;
    jmp_buf jb;
    char msg[JMSG_LENGTH_MAX];
    int damage; /* warnings that mean the picture is damaged */
    int damage_code;
};

static void jpeg_fail(j_common_ptr c)
{
    struct jerr *e = (struct jerr *)c->err;
    (*c->err->format_message)(c, e->msg);
    longjmp(e->jb, 1);
}

/* libjpeg recovers from damaged data with a warning (level -1) and goes on
 * with grey blocks. Warnings about damage count; the harmless ones (stray
 * bytes between segments, unknown JFIF versions, odd ICC markers) do not. */
static void jpeg_warn(j_common_ptr c, int level)
{
    struct jerr *e = (struct jerr *)c->err;
    if (level >= 0)
        return;
    switch (c->err->msg_code) {
    case JWRN_HIT_MARKER:
    case JWRN_HUFF_BAD_CODE:
    case JWRN_JPEG_EOF:
    case JWRN_MUST_RESYNC:
    case JWRN_NOT_SEQUENTIAL:
    case JWRN_BOGUS_PROGRESSION:
    case JWRN_ARITH_BAD_CODE:
        if (!e->damage++)
            e->damage_code = c->err->msg_code;
        break;
    default:
        break;
    }
}

/* Does the JPEG run from its first marker to an end-of-image marker? Walks
 * the segments and skips the entropy-coded data after each start-of-scan
 * (0xFF is followed there by 0x00 or a restart marker). A file cut short
 * ends before the EOI marker. */
static bool jpeg_complete(const unsigned char *d, size_t len)
{
    size_t i = 2;
    while (i + 1 < len) {
        if (d[i] != 0xFF) {
            i++; /* stray bytes between segments: libjpeg skips them too */
            continue;
        }
        unsigned m = d[i + 1];
        if (m == 0xFF) {
            i++; /* fill byte */
            continue;
        }
        if (m == 0xD9)
            return true;
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
            i += 2;
            continue;
        }
        if (i + 3 >= len)
            return false;
        size_t seg = (size_t)d[i + 2] << 8 | d[i + 3];
        if (seg < 2)
            return false;
        i += 2 + seg;
        if (m != 0xDA)
            continue;
        while (i + 1 < len && !(d[i] == 0xFF && d[i + 1] != 0 && !(d[i + 1] >= 0xD0 && d[i + 1] <= 0xD7)))
            i++;
    }
    return false;
}

/* What the header says: size, colour model, embedded profile (malloc'd
 * into *icc when asked), Adobe's inverted CMYK. */
static void jpeg_header_info(j_decompress_ptr ci, struct pr_image_info *info, unsigned char **icc,
                             unsigned *icc_len)
{
    info->kind = PR_IMAGE_JPEG;
    info->width = (int)ci->image_width;
    info->height = (int)ci->image_height;
    info->alpha = false;
    info->colour = ci->jpeg_color_space == JCS_CMYK || ci->jpeg_color_space == JCS_YCCK ? PR_COLOUR_CMYK
                   : ci->jpeg_color_space == JCS_GRAYSCALE                             ? PR_COLOUR_GREY
                                                                                       : PR_COLOUR_RGB;
    JOCTET *p = NULL;
    unsigned n = 0;
    info->icc = false;
    if (jpeg_read_icc_profile(ci, &p, &n)) {
        info->icc = info->colour == PR_COLOUR_CMYK || !pr_colour_is_srgb(p, n);
        if (icc) {
            *icc = p;
            *icc_len = n;
            p = NULL;
        }
    }
    free(p);
}

/* The row layout libjpeg decodes into for a full decode: CMYK as stored
 * (inverted when Adobe wrote it), grey with a profile as grey, else RGB. */
static struct pr_pixfmt jpeg_pixfmt(j_decompress_ptr ci, const struct pr_image_info *info)
{
    struct pr_pixfmt f = {PR_COLOUR_RGB, 8, false, false, false};
    if (info->colour == PR_COLOUR_CMYK) {
        ci->out_color_space = JCS_CMYK;
        f.model = PR_COLOUR_CMYK;
        f.inverted = ci->saw_Adobe_marker;
    } else if (info->colour == PR_COLOUR_GREY && info->icc) {
        ci->out_color_space = JCS_GRAYSCALE;
        f.model = PR_COLOUR_GREY;
    } else
        ci->out_color_space = JCS_RGB;
    return f;
}

/* Decode every scanline: into *r when there is one, else into a scratch
 * row (verify). */
static void jpeg_rows(j_decompress_ptr ci, struct pr_raster *r, unsigned char *volatile *row)
{
    size_t rowlen = (size_t)ci->output_width * (size_t)ci->output_components;
    *row = pr_xmalloc(rowlen ? rowlen : 1);
    while (ci->output_scanline < ci->output_height) {
        unsigned y = ci->output_scanline;
        JSAMPROW rp = *row;
        if (jpeg_read_scanlines(ci, &rp, 1) != 1)
            break;
        if (r && r->s && y < (unsigned)r->h)
            pr_raster_row(r, (int)y, *row);
    }
}

/* Read a JPEG held in memory into *info (and, in PIXELS mode, a surface in
 * sRGB into *pixels); on failure err says what is wrong. */
static bool jpeg_read(const unsigned char *data, size_t len, enum pr_read_mode mode, struct pr_image_info *info,
                      cairo_surface_t **pixels, char *err, size_t errlen)
{
    struct jpeg_decompress_struct cinfo;
    struct jerr je;
    struct pr_raster r = {0};
    unsigned char *volatile row = NULL;
    unsigned char *volatile icc = NULL;
    cinfo.err = jpeg_std_error(&je.mgr);
    je.mgr.error_exit = jpeg_fail;
    je.mgr.emit_message = jpeg_warn;
    je.msg[0] = 0;
    je.damage = 0;
    if (setjmp(je.jb)) {
        jpeg_destroy_decompress(&cinfo);
        pr_raster_end(&r, false);
        free(row);
        free(icc);
        snprintf(err, errlen, "the file is damaged (%s); export it again", je.msg);
        return false;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)len);
    jpeg_save_markers(&cinfo, JPEG_APP0 + 2, 0xFFFF);
    jpeg_read_header(&cinfo, TRUE);
    unsigned icc_len = 0;
    unsigned char *icc_p = NULL;
    jpeg_header_info(&cinfo, info, mode == PR_READ_PIXELS ? &icc_p : NULL, &icc_len);
    icc = icc_p;
    if (info->width <= 0 || info->height <= 0 || pr_image_too_large(info->width, info->height)) {
        jpeg_destroy_decompress(&cinfo);
        free(icc);
        pr_image_say_too_large(err, errlen, info->width, info->height);
        return false;
    }
    if (mode == PR_READ_HEADER) {
        jpeg_destroy_decompress(&cinfo);
        return true;
    }
    if (mode == PR_READ_VERIFY && !jpeg_complete(data, len)) {
        jpeg_destroy_decompress(&cinfo);
        snprintf(err, errlen, "the file is cut short (no end-of-image marker); copy or export it again");
        return false;
    }
    if (mode == PR_READ_PIXELS) {
        struct pr_pixfmt f = jpeg_pixfmt(&cinfo, info);
        if (!pr_raster_begin(&r, info->width, info->height, &f, icc, icc_len)) {
            snprintf(je.msg, sizeof je.msg, "out of memory for %d x %d pixels", info->width, info->height);
            longjmp(je.jb, 1);
        }
    } else {
        cinfo.scale_num = 1;
        cinfo.scale_denom = 8;
        cinfo.dct_method = JDCT_IFAST;
        cinfo.do_fancy_upsampling = FALSE;
    }
    jpeg_start_decompress(&cinfo);
    jpeg_rows(&cinfo, mode == PR_READ_PIXELS ? &r : NULL, &row);
    jpeg_finish_decompress(&cinfo);
    free(row);
    row = NULL;
    free(icc);
    icc = NULL;
    if (mode == PR_READ_VERIFY && je.damage) {
        char what[JMSG_LENGTH_MAX];
        je.mgr.msg_code = je.damage_code;
        (*je.mgr.format_message)((j_common_ptr)&cinfo, what);
        jpeg_destroy_decompress(&cinfo);
        snprintf(err, errlen, "the file is damaged (%s); export it again", what);
        return false;
    }
    jpeg_destroy_decompress(&cinfo);
    if (mode == PR_READ_PIXELS)
        *pixels = pr_raster_end(&r, true);
    return true;
}

bool pr_image_jpeg_colour(const unsigned char *data, size_t len, int *components, bool *inverted,
                          unsigned char **icc, size_t *icc_len)
{
    struct jpeg_decompress_struct cinfo;
    struct jerr je;
    cinfo.err = jpeg_std_error(&je.mgr);
    je.mgr.error_exit = jpeg_fail;
    je.mgr.emit_message = jpeg_warn;
    *icc = NULL;
    *icc_len = 0;
    if (setjmp(je.jb)) {
        jpeg_destroy_decompress(&cinfo);
        return false;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)len);
    jpeg_save_markers(&cinfo, JPEG_APP0 + 2, 0xFFFF);
    jpeg_read_header(&cinfo, TRUE);
    struct pr_image_info info;
    unsigned char *p = NULL;
    unsigned n = 0;
    jpeg_header_info(&cinfo, &info, &p, &n);
    *components = info.colour == PR_COLOUR_CMYK ? 4 : info.colour == PR_COLOUR_RGB ? 3 : 1;
    *inverted = info.colour == PR_COLOUR_CMYK && cinfo.saw_Adobe_marker;
    if (info.icc) {
        *icc = p;
        *icc_len = n;
    } else
        free(p);
    jpeg_destroy_decompress(&cinfo);
    return true;
}

/* ---------- header, check and cache ---------- */

/* What a file pressrun cannot read seems to be, for the message. */
static const char *sniff(const unsigned char *d, size_t len)
{
    static const struct {
        const char *magic;
        size_t n;
        const char *what;
    } kinds[] = {
        {"GIF8", 4, "a GIF file"}, {"%PDF", 4, "a PDF file"}, {"BM", 2, "a BMP file"},
        {"8BPS", 4, "a Photoshop file"},
        {"<svg", 4, "an SVG file"}, {"<?xml", 5, "an XML or SVG file"},
    };
    if (len == 0)
        return "the file is empty";
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (len >= kinds[i].n && memcmp(d, kinds[i].magic, kinds[i].n) == 0)
            return kinds[i].what;
    if (len >= 12 && memcmp(d + 4, "ftyp", 4) == 0)
        return "a HEIC or AVIF file";
    if (len >= 8 && memcmp(d, "\x89PNG", 4) == 0)
        return "a PNG file without its header";
    return "not a picture pressrun reads";
}

/* Images already found good in this process, by file identity: each is
 * read once per build although preflight, typesetting and painting ask. */
static struct seen {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    struct pr_image_info info;
} seen[32];
static unsigned nseen;
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER; /* the typesetter's threads ask too */

static struct seen *seen_find(const struct stat *st)
{
    for (unsigned i = 0; i < nseen && i < sizeof seen / sizeof seen[0]; i++) {
        struct seen *s = &seen[i];
        if (s->dev == st->st_dev && s->ino == st->st_ino && s->size == st->st_size &&
            s->mtime.tv_sec == st->st_mtim.tv_sec && s->mtime.tv_nsec == st->st_mtim.tv_nsec)
            return s;
    }
    return NULL;
}

bool pr_image_read_mem(const unsigned char *d, size_t len, enum pr_read_mode mode, struct pr_image_info *info,
                       cairo_surface_t **out, char *err, size_t errlen)
{
    memset(info, 0, sizeof *info);
    if (pr_is_png(d, len))
        return pr_png_read(d, len, mode, info, out, err, errlen);
    if (len > 3 && d[0] == 0xFF && d[1] == 0xD8)
        return jpeg_read(d, len, mode, info, out, err, errlen);
    if (pr_is_tiff(d, len))
        return pr_tiff_read(d, len, mode, info, out, err, errlen);
    if (pr_is_webp(d, len))
        return pr_webp_read(d, len, mode, info, out, err, errlen);
    snprintf(err, errlen, "%s; export it as PNG, JPEG, TIFF or WebP", sniff(d, len));
    return false;
}

bool pr_image_info_read(struct pr_diags *diags, const char *path, struct pr_pos pos, struct pr_image_info *out)
{
    struct stat st;
    bool have_stat = stat(path, &st) == 0 && S_ISREG(st.st_mode);
    pthread_mutex_lock(&seen_lock);
    const struct seen *s = have_stat ? seen_find(&st) : NULL;
    if (s)
        *out = s->info;
    pthread_mutex_unlock(&seen_lock);
    if (s)
        return true;
    unsigned char *data;
    size_t len;
    const char *why;
    if (!pr_image_read_file(path, &data, &len, &why)) {
        pr_diag(diags, PR_D_IMAGE, pos, "image '%s' %s", path, why);
        return false;
    }
    char err[JMSG_LENGTH_MAX + 400] = "";
    bool ok = pr_image_read_mem(data, len, PR_READ_VERIFY, out, NULL, err, sizeof err);
    free(data);
    if (!ok) {
        pr_diag(diags, PR_D_IMAGE, pos, "image '%s': %s", path, err);
        return false;
    }
    if (have_stat) {
        pthread_mutex_lock(&seen_lock);
        struct seen *n = &seen[nseen++ % (sizeof seen / sizeof seen[0])];
        *n = (struct seen){st.st_dev, st.st_ino, st.st_size, st.st_mtim, *out};
        pthread_mutex_unlock(&seen_lock);
    }
    return true;
}

static void free_data(void *p)
{
    free(p);
}

/* A JPEG the PDF takes as it is (pdfboxes.c names its embedded profile
 * and adds the Decode array Adobe's inverted CMYK needs): RGB and grey
 * always, CMYK in the print PDF only (the screen PDF gets it converted
 * through its profile, which viewers showing DeviceCMYK would not do). */
static bool jpeg_as_is(const struct pr_image_info *info, enum pr_image_use use)
{
    if (use == PR_IMAGE_FOR_PIXELS)
        return false;
    return info->colour != PR_COLOUR_CMYK || use == PR_IMAGE_FOR_PRINT;
}

cairo_surface_t *pr_image_surface(const char *path, enum pr_image_use use)
{
    unsigned char *data;
    size_t len;
    const char *why;
    if (!pr_image_read_file(path, &data, &len, &why))
        return NULL;
    struct pr_image_info info;
    cairo_surface_t *s = NULL;
    char err[JMSG_LENGTH_MAX + 400];
    bool jpeg = len > 3 && data[0] == 0xFF && data[1] == 0xD8;
    if (jpeg && jpeg_read(data, len, PR_READ_HEADER, &info, NULL, err, sizeof err) && jpeg_as_is(&info, use)) {
        /* an empty surface of the right size that carries the file's bytes */
        s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, info.width, info.height);
        if (cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, data, len, free_data, data) !=
            CAIRO_STATUS_SUCCESS)
            free(data);
        return s;
    }
    if (!pr_image_read_mem(data, len, PR_READ_PIXELS, &info, &s, err, sizeof err))
        s = NULL;
    free(data);
    return s;
}

cairo_surface_t *pr_image_cmyk_placeholder(const char *path, unsigned key)
{
    unsigned char *data;
    size_t len;
    const char *why;
    if (!pr_image_read_file(path, &data, &len, &why))
        return NULL;
    int w, h;
    bool cmyk = pr_is_tiff(data, len) && pr_tiff_cmyk(data, len, &w, &h, NULL, NULL, NULL);
    free(data);
    if (!cmyk)
        return NULL;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, (key >> 16 & 0xFF) / 255.0, (key >> 8 & 0xFF) / 255.0, (key & 0xFF) / 255.0);
    cairo_paint(cr);
    cairo_destroy(cr);
    return s;
}

bool pr_image_cmyk_samples(const char *path, int *w, int *h, unsigned char **cmyk, unsigned char **icc,
                           size_t *icc_len)
{
    unsigned char *data;
    size_t len;
    const char *why;
    if (!pr_image_read_file(path, &data, &len, &why))
        return false;
    bool ok = pr_is_tiff(data, len) && pr_tiff_cmyk(data, len, w, h, cmyk, icc, icc_len);
    free(data);
    return ok;
}

unsigned char *pr_image_jpeg(cairo_surface_t *s, int quality, size_t *len)
{
    cairo_surface_flush(s);
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    if (!px || w <= 0 || h <= 0)
        return NULL;
    struct jpeg_compress_struct cinfo;
    struct jerr je;
    unsigned long out_len = 0;
    unsigned char *volatile row = NULL;
    cinfo.err = jpeg_std_error(&je.mgr);
    je.mgr.error_exit = jpeg_fail;
    je.mgr.emit_message = jpeg_warn;
    je.msg[0] = 0;
    if (setjmp(je.jb)) {
        /* only running out of memory gets here (the pixels are ours); the
         * library's output buffer, which it may have moved, is not freed */
        jpeg_destroy_compress(&cinfo);
        free(row);
        return NULL;
    }
    jpeg_create_compress(&cinfo);
    /* libjpeg's memory destination grows this buffer; the caller frees it */
    unsigned char *buf = NULL;
    jpeg_mem_dest(&cinfo, &buf, &out_len);
    cinfo.image_width = (JDIMENSION)w;
    cinfo.image_height = (JDIMENSION)h;
    cinfo.input_components = 3;
    cinfo.in_color_space = JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    row = pr_xmalloc((size_t)w * 3);
    while (cinfo.next_scanline < cinfo.image_height) {
        /* cairo's pixels are native-endian 32-bit xRGB */
        const uint32_t *src = (const uint32_t *)(px + (size_t)cinfo.next_scanline * (size_t)stride);
        for (int x = 0; x < w; x++) {
            row[3 * x] = (unsigned char)(src[x] >> 16);
            row[3 * x + 1] = (unsigned char)(src[x] >> 8);
            row[3 * x + 2] = (unsigned char)src[x];
        }
        JSAMPROW r = row;
        jpeg_write_scanlines(&cinfo, &r, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    free(row);
    *len = out_len;
    return buf;
}

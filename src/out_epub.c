/* out_epub.c - the EPUB 3 back end's entry point (called by build.c): it
 * names the articles' files, renders the cover, has epub_xhtml.c,
 * epub_css.c and epub_opf.c write the documents (epub_files.c keeps the
 * list and puts in the images the articles show, each as e-readers want
 * it) and zips it all with libzip in a fixed order
 * with fixed times into one .epub, through outfile.c. */
#define _GNU_SOURCE
#include "epub_int.h"
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zip.h>

/* ---------- cover ---------- */

/* The first page of the PDF as a JPEG of 2048 px on its long side and
 * under 4 megapixels, the limits every picture in the book keeps (Apple
 * Books' 4 megapixels, the 2048 px distributors ask; JPEG because a cover
 * is mostly a photograph: a fifth of a PNG's size, and quicker to make),
 * else the manifest's cover image. */
unsigned char *pr_epub_cover(const struct pr_book *bk, size_t *len)
{
    *len = 0;
    if (!bk || bk->npages < 1 || bk->page_w <= 0 || bk->page_h <= 0)
        return NULL;
    double side = bk->page_w > bk->page_h ? bk->page_w : bk->page_h;
    double dpi = (PR_EPUB_IMAGE_SIDE - 0.5) * 72 / side;
    double most = sqrt((double)(PR_EPUB_IMAGE_PIXELS - 1) / (bk->page_w * bk->page_h)) * 72;
    return pr_paint_jpeg(bk, 0, dpi < most ? dpi : most, 90, len);
}

static void make_cover(struct epub *e, const unsigned char *jpeg, size_t jpeg_len)
{
    if (jpeg) {
        e->cover = (struct entry){"images/cover.jpg", "cover-image", "image/jpeg", jpeg, jpeg_len};
        return;
    }
    if (e->is->cover_image_path) {
        size_t len = 0;
        const char *ext = NULL, *type = NULL;
        char err[512];
        const void *data = pr_epub_picture(e, e->is->cover_image_path, &len, &type, &ext, err, sizeof err);
        if (data)
            e->cover = (struct entry){pr_arena_printf(e->A, "images/cover.%s", ext), "cover-image", type, data,
                                      len};
    }
}

/* What the cover shows, as its text alternative. */
static char *cover_alt(struct epub *e)
{
    const struct pr_issue *is = e->is;
    GString *g = g_string_new(is->title);
    if (is->issue)
        g_string_append_printf(g, " \xE2\x80\x94 %s", is->issue);
    for (int i = 0; i < is->ncover_lines; i++)
        g_string_append_printf(g, ". %s", is->cover_lines[i]);
    char *r = pr_arena_strdup(e->A, g->str);
    g_string_free(g, TRUE);
    return r;
}

static void write_cover(struct epub *e)
{
    GString *g = pr_epub_xhtml_open(e, e->is->language, e->is->title, "cover", "cover");
    g_string_append(g, "<section class=\"cover\" epub:type=\"cover\">\n<img class=\"cover\"");
    pr_epub_attr(g, "src", e->cover.name);
    pr_epub_attr(g, "alt", cover_alt(e));
    g_string_append(g, "/>\n</section>\n</body>\n</html>\n");
    pr_epub_add_doc(e, "cover.xhtml", "cover", "application/xhtml+xml", g);
}

/* ---------- identity and date ---------- */

/* A name-based UUID (RFC 4122 version 5, SHA-1) of the issue's slug and
 * date in pressrun's own namespace: the same issue always gets the same
 * identifier, another issue another one. */
static char *issue_uuid(struct epub *e)
{
    static const unsigned char ns[16] = {0x3c, 0x8e, 0x0b, 0x52, 0x6f, 0x1d, 0x4c, 0x2a,
                                         0x9e, 0x57, 0x1b, 0x70, 0xd4, 0x3a, 0x88, 0x61};
    char *name = pr_arena_printf(e->A, "%s/%s", e->is->slug ? e->is->slug : "", e->is->date ? e->is->date : "");
    GChecksum *c = g_checksum_new(G_CHECKSUM_SHA1);
    g_checksum_update(c, ns, sizeof ns);
    g_checksum_update(c, (const guchar *)name, (gssize)strlen(name));
    guint8 d[20];
    gsize n = sizeof d;
    g_checksum_get_digest(c, d, &n);
    g_checksum_free(c);
    d[6] = (guint8)((d[6] & 0x0F) | 0x50);
    d[8] = (guint8)((d[8] & 0x3F) | 0x80);
    return pr_arena_printf(e->A,
                           "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                           d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12],
                           d[13], d[14], d[15]);
}

/* The build's date: SOURCE_DATE_EPOCH, else the issue date at midnight UTC
 * (never the clock). */
static void build_time(const struct epub *e, struct tm *tm)
{
    memset(tm, 0, sizeof *tm);
    if (e->b->source_date >= 0) {
        time_t t = (time_t)e->b->source_date;
        gmtime_r(&t, tm);
        return;
    }
    int y = 2000, m = 1, d = 1;
    if (e->is->date && sscanf(e->is->date, "%d-%d-%d", &y, &m, &d) != 3)
        y = 2000, m = 1, d = 1;
    tm->tm_year = y - 1900;
    tm->tm_mon = m - 1;
    tm->tm_mday = d;
}

/* ---------- the archive ---------- */

/* Adds one entry: stored (mimetype, images) or deflated at level 9, with the
 * build's date as a DOS time (computed here in UTC: libzip's time_t setter
 * would use the local time zone) and fixed Unix attributes. */
static bool zip_put(zip_t *z, const char *name, const void *data, size_t len, bool store, zip_uint16_t dtime,
                    zip_uint16_t ddate)
{
    zip_source_t *src = zip_source_buffer(z, data, len, 0);
    if (!src)
        return false;
    zip_int64_t idx = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8);
    if (idx < 0) {
        zip_source_free(src);
        return false;
    }
    return zip_set_file_compression(z, (zip_uint64_t)idx, store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, store ? 0 : 9) == 0 &&
           zip_file_set_dostime(z, (zip_uint64_t)idx, dtime, ddate, 0) == 0 &&
           zip_file_set_external_attributes(z, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX, 0100644u << 16) == 0;
}

static bool write_zip(struct epub *e, const char *tmp, const char *final)
{
    struct tm tm;
    build_time(e, &tm);
    int year = tm.tm_year + 1900;
    if (year < 1980)
        memset(&tm, 0, sizeof tm), tm.tm_year = 80, tm.tm_mday = 1, year = 1980;
    if (year > 2107)
        year = 2107;
    zip_uint16_t dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
    zip_uint16_t ddate = (zip_uint16_t)(((year - 1980) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
    /* The archive is built in memory and written to our own temporary file:
     * zip_close on a path would leave libzip's temporary file behind when a
     * signal arrives mid-write (outfile.c removes only its own). */
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *z = NULL;
    if (mem) {
        zip_source_keep(mem);
        z = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
    }
    if (!z) {
        pr_diag(&e->b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot write '%s': %s", final, zip_error_strerror(&ze));
        zip_error_fini(&ze);
        if (mem)
            zip_source_free(mem);
        return false;
    }
    zip_error_fini(&ze);
    static const char mimetype[] = "application/epub+zip";
    static const char container[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
        "<rootfiles>\n<rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n"
        "</rootfiles>\n</container>\n";
    bool ok = zip_put(z, "mimetype", mimetype, strlen(mimetype), true, dtime, ddate) &&
              zip_put(z, "META-INF/container.xml", container, strlen(container), false, dtime, ddate);
    /* package, navigation, stylesheet, cover, articles, images */
    static const char *const first[] = {"package.opf", "nav.xhtml", "toc.ncx", "style.css", "cover.xhtml", NULL};
    for (int i = 0; ok && first[i]; i++) {
        const struct entry *d = pr_epub_doc_named(e, first[i]);
        if (d)
            ok = zip_put(z, pr_arena_printf(e->A, "EPUB/%s", d->name), d->data, d->len, false, dtime, ddate);
        if (ok && d && strcmp(first[i], "cover.xhtml") == 0)
            ok = zip_put(z, pr_arena_printf(e->A, "EPUB/%s", e->cover.name), e->cover.data, e->cover.len, true,
                         dtime, ddate);
    }
    for (int i = 0; ok && i < e->nparts; i++) {
        const struct entry *d = pr_epub_doc_named(e, e->parts[i].file);
        assert(d); /* every part was written */
        ok = zip_put(z, pr_arena_printf(e->A, "EPUB/%s", d->name), d->data, d->len, false, dtime, ddate);
    }
    for (int i = 0; ok && i < e->nads; i++) {
        const struct entry *d = pr_epub_doc_named(e, e->ads[i].file);
        assert(d); /* every part was written */
        ok = zip_put(z, pr_arena_printf(e->A, "EPUB/%s", d->name), d->data, d->len, false, dtime, ddate);
    }
    for (int i = 0; ok && i < e->nimages; i++)
        ok = zip_put(z, pr_arena_printf(e->A, "EPUB/%s", e->images[i].name), e->images[i].data, e->images[i].len,
                     true, dtime, ddate);
    if (!ok || zip_close(z) != 0) {
        pr_diag(&e->b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot write '%s': %s", final, zip_strerror(z));
        zip_discard(z);
        zip_source_free(mem);
        return false;
    }
    /* read the finished archive back and write it out */
    zip_stat_t st;
    zip_stat_init(&st);
    ok = zip_source_stat(mem, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && zip_source_open(mem) == 0;
    if (ok) {
        unsigned char *buf = pr_xmalloc(st.size ? (size_t)st.size : 1);
        ok = zip_source_read(mem, buf, st.size) == (zip_int64_t)st.size;
        zip_source_close(mem);
        FILE *f = ok ? fopen(tmp, "wb") : NULL;
        ok = f && fwrite(buf, 1, (size_t)st.size, f) == (size_t)st.size;
        if (f && fclose(f) != 0)
            ok = false;
        free(buf);
    }
    zip_source_free(mem);
    if (!ok)
        pr_diag(&e->b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot write '%s'", final);
    return ok;
}

bool pr_epub_write(struct pr_build *b, const unsigned char *cover_jpeg, size_t cover_len, const char *path)
{
    struct epub e;
    memset(&e, 0, sizeof e);
    e.b = b;
    e.is = b->issue;
    e.A = b->arena;
    const struct pr_issue *is = e.is;
    /* the editorial, then the articles, each in a file of its own */
    e.parts = pr_arena_alloc(e.A, sizeof *e.parts * (size_t)(is->narticles + 1));
    if (is->editorial)
        e.parts[e.nparts++] = (struct part){is->editorial, "editorial.xhtml", "editorial"};
    for (int i = 0; i < is->narticles; i++) {
        const struct pr_article *a = &is->articles[i];
        const char *file = pr_arena_printf(e.A, "%02d-%s.xhtml", i + 1, pr_epub_safe_name(e.A, a->id, 40));
        e.parts[e.nparts++] = (struct part){a, file, pr_arena_printf(e.A, "a%02d", i + 1)};
    }
    e.uid = issue_uuid(&e);
    struct tm tm;
    build_time(&e, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    e.modified = pr_arena_strdup(e.A, when);
    make_cover(&e, cover_jpeg, cover_len);
    for (int i = 0; i < e.nparts; i++)
        pr_epub_write_article(&e, &e.parts[i]);
    pr_epub_write_ads(&e);
    if (e.cover.name)
        write_cover(&e);
    pr_epub_write_nav(&e);
    pr_epub_write_ncx(&e);
    pr_epub_write_css(&e);
    pr_epub_write_opf(&e);
    struct pr_outfile of;
    bool ok = !e.failed && pr_outfile_begin(b, &of, path);
    if (ok)
        ok = pr_outfile_end(b, &of, write_zip(&e, of.tmp, path));
    return ok;
}

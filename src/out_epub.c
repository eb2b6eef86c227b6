/* out_epub.c - the EPUB 3 back end: one XHTML file per article written from
 * the document model (never from the pages), a navigation document grouped by
 * section plus an NCX, package metadata with EPUB Accessibility 1.1, a
 * stylesheet derived from the layout and a cover rendered from the first
 * page. Zipped with libzip in a fixed order with fixed times. Called by build.c. */
#define _GNU_SOURCE
#include "backends.h"
#include "words.h"
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <zip.h>

/* One entry of the archive; data lives in the arena (or is the cover PNG). */
struct entry {
    const char *name;           /* path inside the zip, below EPUB/ */
    const char *id;             /* manifest item id */
    const char *type;           /* media type */
    const void *data;
    size_t len;
};

/* An article as it goes into the book. */
struct part {
    const struct pr_article *art;
    const char *file, *id;      /* "01-trotsky.xhtml", "a01" */
};

struct epub {
    struct pr_build *b;
    const struct pr_issue *is;
    struct pr_arena *A;
    struct part *parts;
    int nparts;
    struct entry *docs, *images;
    int ndocs, docs_cap, nimages, images_cap;
    const char **paths;         /* resolved path of images[i] */
    int npaths, paths_cap;
    struct entry cover;         /* the cover image; name NULL when none */
    bool alt_missing;           /* an image without any text alternative */
    const char *uid, *modified;
    /* while one article is written */
    const struct pr_article *art;
    bool rtl;                   /* the article's base direction */
    int *refs;                  /* references seen per footnote */
    int top_level;              /* the highest (smallest) heading level in the body */
    bool failed;                /* an image could not be copied in: write nothing */
};

/* ---------- XML text ---------- */

/* Append s escaped for XML text and attribute values. Characters XML 1.0
 * does not allow (C0 controls other than tab and line ends, U+FFFE, U+FFFF)
 * are dropped. */
static void esc(GString *g, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        switch (*p) {
        case '&': g_string_append(g, "&amp;"); break;
        case '<': g_string_append(g, "&lt;"); break;
        case '>': g_string_append(g, "&gt;"); break;
        case '"': g_string_append(g, "&quot;"); break;
        case '\'': g_string_append(g, "&#39;"); break;
        default:
            if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
                break;
            if (p[0] == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
                p += 2;
                break;
            }
            g_string_append_c(g, (char)*p);
        }
    }
}

/* ` name="value"`, escaped. */
static void attr(GString *g, const char *name, const char *value)
{
    g_string_append_printf(g, " %s=\"", name);
    esc(g, value);
    g_string_append_c(g, '"');
}

/* `<tag attrs>text</tag>` on a line; nothing when text is NULL or empty. */
static void element(GString *g, const char *tag, const char *attrs, const char *text)
{
    if (!text || !*text)
        return;
    g_string_append_printf(g, "<%s%s>", tag, attrs);
    esc(g, text);
    g_string_append_printf(g, "</%s>\n", tag);
}

/* A language tag as BCP 47 wants it ("pt_BR" -> "pt-BR"). */
static char *lang_tag(struct pr_arena *A, const char *lang)
{
    char *t = pr_arena_strdup(A, lang ? lang : "en");
    for (char *c = t; *c; c++)
        if (*c == '_')
            *c = '-';
    return t;
}

static void lang_attrs(struct epub *e, GString *g, const char *lang)
{
    const char *t = lang_tag(e->A, lang);
    attr(g, "xml:lang", t);
    attr(g, "lang", t);
}

/* Scripts written right to left: by primary language subtag, or by an
 * explicit script subtag (Unicode CLDR's list of RTL languages, abridged). */
static bool rtl_lang(const char *lang)
{
    static const char *const langs[] = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps",
                                        "sd", "syr", "ug", "ur", "yi", NULL};
    if (!lang)
        return false;
    size_t n = strcspn(lang, "-_");
    for (int i = 0; langs[i]; i++)
        if (strlen(langs[i]) == n && g_ascii_strncasecmp(lang, langs[i], n) == 0)
            return true;
    for (const char *s = lang + n; *s; s++)
        if ((*s == '-' || *s == '_') && strlen(s + 1) >= 4 &&
            (g_ascii_strncasecmp(s + 1, "Arab", 4) == 0 || g_ascii_strncasecmp(s + 1, "Hebr", 4) == 0 ||
             g_ascii_strncasecmp(s + 1, "Syrc", 4) == 0 || g_ascii_strncasecmp(s + 1, "Thaa", 4) == 0))
            return true;
    return false;
}

/* An ASCII file-name piece from any string: letters and digits kept
 * (lower-cased), runs of anything else turned into one '-'. */
static char *safe_name(struct pr_arena *A, const char *s, size_t max)
{
    char *out = pr_arena_alloc(A, max + 1);
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; p && *p && n < max; p++) {
        if (g_ascii_isalnum(*p))
            out[n++] = (char)g_ascii_tolower(*p);
        else if (n > 0 && out[n - 1] != '-')
            out[n++] = '-';
    }
    while (n > 0 && out[n - 1] == '-')
        n--;
    out[n] = 0;
    return n ? out : pr_arena_strdup(A, "x");
}

/* The text of a finished document moves into the arena. */
static void add_doc(struct epub *e, const char *name, const char *id, const char *type, GString *g)
{
    struct entry *d = PR_PUSH(e->A, e->docs, e->ndocs, e->docs_cap);
    d->name = name;
    d->id = id;
    d->type = type;
    d->len = g->len;
    d->data = pr_arena_strndup(e->A, g->str, g->len);
    g_string_free(g, TRUE);
}

/* XML declaration, doctype, <html> with its language and direction, <head>;
 * cls (NULL for none) goes on both <html> and <body>. */
static GString *xhtml_open(struct epub *e, const char *lang, const char *title, const char *body_type,
                           const char *cls)
{
    GString *g = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
                              "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                              "xmlns:epub=\"http://www.idpf.org/2007/ops\"");
    if (cls)
        attr(g, "class", cls);
    lang_attrs(e, g, lang);
    if (rtl_lang(lang))
        g_string_append(g, " dir=\"rtl\"");
    g_string_append(g, ">\n<head>\n<meta charset=\"UTF-8\"/>\n");
    element(g, "title", "", title && *title ? title : e->is->title);
    g_string_append(g, "<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n<body");
    attr(g, "epub:type", body_type);
    if (cls)
        attr(g, "class", cls);
    g_string_append(g, ">\n");
    return g;
}

/* ---------- images ---------- */

static const void *read_bytes(struct epub *e, const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    GByteArray *buf = g_byte_array_new();
    unsigned char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        g_byte_array_append(buf, chunk, (guint)n);
    bool ok = !ferror(f);
    fclose(f);
    void *data = NULL;
    if (ok) {
        data = pr_arena_alloc(e->A, buf->len ? buf->len : 1);
        memcpy(data, buf->data, buf->len);
        *len = buf->len;
    }
    g_byte_array_free(buf, TRUE);
    return data;
}

/* Media type and extension from the file's first bytes; NULL if neither
 * PNG nor JPEG (the typesetter accepts only those). */
static const char *sniff(const unsigned char *p, size_t len, const char **ext)
{
    if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0) {
        *ext = "png";
        return "image/png";
    }
    if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
        *ext = "jpg";
        return "image/jpeg";
    }
    return NULL;
}

/* The href of the image at `path` inside the book, copied in on first use
 * (as it is: the same bytes, its own media type). NULL when it cannot be
 * read, reported at pos. */
static const char *image_href(struct epub *e, const char *path, struct pr_pos pos)
{
    for (int i = 0; i < e->npaths; i++)
        if (strcmp(e->paths[i], path) == 0)
            return e->images[i].name;
    size_t len = 0;
    const unsigned char *data = read_bytes(e, path, &len);
    const char *ext = NULL, *type = data ? sniff(data, len, &ext) : NULL;
    if (!type) {
        pr_diag(&e->b->diags, PR_D_IMAGE, pos, "cannot put image '%s' into the EPUB: %s", path,
                data ? "not a PNG or JPEG file" : "cannot read it");
        e->failed = true;
        return NULL;
    }
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const char *dot = strrchr(base, '.');
    char *stem = pr_arena_strndup(e->A, base, dot && dot > base ? (size_t)(dot - base) : strlen(base));
    struct entry *im = PR_PUSH(e->A, e->images, e->nimages, e->images_cap);
    im->name = pr_arena_printf(e->A, "images/%02d-%s.%s", e->nimages, safe_name(e->A, stem, 40), ext);
    im->id = pr_arena_printf(e->A, "img%02d", e->nimages);
    im->type = type;
    im->data = data;
    im->len = len;
    *PR_PUSH(e->A, e->paths, e->npaths, e->paths_cap) = path;
    return im->name;
}

/* <figure> with the image and its caption. alt: the description, else the
 * caption, else empty with role presentation (and the book then claims no
 * WCAG conformance). */
static void figure(struct epub *e, GString *g, const char *path, struct pr_pos pos, const char *alt,
                   const char *caption, const char *cls)
{
    const char *href = path ? image_href(e, path, pos) : NULL;
    if (!href) {
        element(g, "p", " class=\"caption\"", caption);
        return;
    }
    g_string_append(g, "<figure");
    if (cls)
        attr(g, "class", cls);
    g_string_append(g, ">\n<img");
    attr(g, "src", href);
    if (alt && *alt)
        attr(g, "alt", alt);
    else if (caption && *caption)
        attr(g, "alt", caption);
    else {
        g_string_append(g, " alt=\"\" role=\"presentation\"");
        e->alt_missing = true;
    }
    g_string_append(g, "/>\n");
    element(g, "figcaption", "", caption);
    g_string_append(g, "</figure>\n");
}

/* ---------- document model -> XHTML ---------- */

/* Links that stay valid outside the book; anything else (relative paths,
 * fragments into other files) is set as plain text. */
static bool external_url(const char *u)
{
    static const char *const schemes[] = {"http://", "https://", "mailto:", "ftp://", "tel:", NULL};
    for (int i = 0; u && schemes[i]; i++)
        if (g_ascii_strncasecmp(u, schemes[i], strlen(schemes[i])) == 0 && u[strlen(schemes[i])])
            return true;
    return false;
}

/* An href: characters a URL may not hold as such are percent-encoded. */
static void href_attr(GString *g, const char *url)
{
    GString *u = g_string_new(NULL);
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p == 0x7F || strchr("\"<>\\^`{|}", *p))
            g_string_append_printf(u, "%%%02X", *p);
        else
            g_string_append_c(u, (char)*p);
    attr(g, "href", u->str);
    g_string_free(u, TRUE);
}

static void inlines(struct epub *e, GString *g, const struct pr_inline *in, bool rtl);

static void noteref(struct epub *e, GString *g, int n)
{
    const struct pr_doc *doc = e->art->doc;
    if (n < 1 || n > doc->nnotes) {
        g_string_append_printf(g, "<sup>%d</sup>", n);
        return;
    }
    int k = ++e->refs[n - 1];
    g_string_append_printf(g, "<sup><a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" "
                              "href=\"#fn-%d\" id=\"fnref-%d",
                           n, n);
    if (k > 1)
        g_string_append_printf(g, "-%d", k);
    g_string_append_printf(g, "\">%d</a></sup>", n);
}

static void inlines(struct epub *e, GString *g, const struct pr_inline *in, bool rtl)
{
    for (; in; in = in->next) {
        switch (in->kind) {
        case PR_IN_TEXT:
            esc(g, in->text);
            break;
        case PR_IN_CODE:
            g_string_append(g, "<code>");
            esc(g, in->text);
            g_string_append(g, "</code>");
            break;
        case PR_IN_EMPH:
        case PR_IN_STRONG: {
            const char *tag = in->kind == PR_IN_EMPH ? "em" : "strong";
            g_string_append_printf(g, "<%s>", tag);
            inlines(e, g, in->children, rtl);
            g_string_append_printf(g, "</%s>", tag);
            break;
        }
        case PR_IN_LINK:
            if (external_url(in->url)) {
                g_string_append(g, "<a");
                href_attr(g, in->url);
                g_string_append(g, ">");
                inlines(e, g, in->children, rtl);
                g_string_append(g, "</a>");
            } else
                inlines(e, g, in->children, rtl);
            break;
        case PR_IN_SOFTBREAK:
            g_string_append_c(g, '\n');
            break;
        case PR_IN_LINEBREAK:
            g_string_append(g, "<br/>\n");
            break;
        case PR_IN_NOTEREF:
            noteref(e, g, in->note);
            break;
        case PR_IN_LANG: {
            bool r = rtl_lang(in->lang);
            g_string_append(g, "<span");
            lang_attrs(e, g, in->lang);
            if (r != rtl)
                g_string_append_printf(g, " dir=\"%s\"", r ? "rtl" : "ltr");
            g_string_append(g, ">");
            inlines(e, g, in->children, r);
            g_string_append(g, "</span>");
            break;
        }
        }
    }
}

/* lang and dir of a block where they differ from the article's. */
static bool block_attrs(struct epub *e, GString *g, const struct pr_block *bl)
{
    bool any = false;
    if (bl->lang) {
        lang_attrs(e, g, bl->lang);
        any = true;
    }
    if ((bl->kind == PR_BLK_PARA || bl->kind == PR_BLK_HEADING) && (bl->dir == PR_DIR_RTL) != e->rtl) {
        g_string_append_printf(g, " dir=\"%s\"", bl->dir == PR_DIR_RTL ? "rtl" : "ltr");
        any = true;
    }
    return any;
}

static bool block_rtl(const struct epub *e, const struct pr_block *bl)
{
    return bl->kind == PR_BLK_PARA || bl->kind == PR_BLK_HEADING ? bl->dir == PR_DIR_RTL : e->rtl;
}

/* Blocks in order. tight: paragraphs of a tight list item are set without
 * <p> (a <span> carries their language or direction if they need one). */
static void blocks(struct epub *e, GString *g, const struct pr_block *bl, bool tight)
{
    for (; bl; bl = bl->next) {
        switch (bl->kind) {
        case PR_BLK_PARA:
            if (tight) {
                GString *a = g_string_new(NULL);
                bool wrap = block_attrs(e, a, bl);
                if (wrap)
                    g_string_append_printf(g, "<span%s>", a->str);
                g_string_free(a, TRUE);
                inlines(e, g, bl->inlines, block_rtl(e, bl));
                if (wrap)
                    g_string_append(g, "</span>");
                if (bl->next)
                    g_string_append_c(g, '\n');
                break;
            }
            g_string_append(g, "<p");
            block_attrs(e, g, bl);
            g_string_append(g, ">");
            inlines(e, g, bl->inlines, block_rtl(e, bl));
            g_string_append(g, "</p>\n");
            break;
        case PR_BLK_HEADING: {
            /* the article's title is h1: the body's highest heading level
             * becomes h2, so no level is skipped */
            int h = bl->level - e->top_level + 2;
            h = h < 2 ? 2 : h > 6 ? 6 : h;
            g_string_append_printf(g, "<h%d", h);
            block_attrs(e, g, bl);
            g_string_append(g, ">");
            inlines(e, g, bl->inlines, block_rtl(e, bl));
            g_string_append_printf(g, "</h%d>\n", h);
            break;
        }
        case PR_BLK_QUOTE:
            g_string_append(g, "<blockquote");
            block_attrs(e, g, bl);
            g_string_append(g, ">\n");
            blocks(e, g, bl->children, false);
            g_string_append(g, "</blockquote>\n");
            break;
        case PR_BLK_PULLQUOTE:
            g_string_append(g, "<aside class=\"pullquote\" epub:type=\"pullquote\" role=\"doc-pullquote\"");
            block_attrs(e, g, bl);
            g_string_append(g, ">\n");
            blocks(e, g, bl->children, false);
            g_string_append(g, "</aside>\n");
            break;
        case PR_BLK_LIST:
            g_string_append(g, bl->ordered ? "<ol" : "<ul");
            if (bl->ordered && bl->start != 1)
                g_string_append_printf(g, " start=\"%d\"", bl->start);
            block_attrs(e, g, bl);
            g_string_append(g, ">\n");
            for (const struct pr_block *it = bl->children; it; it = it->next) {
                g_string_append(g, "<li");
                block_attrs(e, g, it);
                g_string_append(g, ">");
                blocks(e, g, it->children, bl->tight);
                g_string_append(g, "</li>\n");
            }
            g_string_append(g, bl->ordered ? "</ol>\n" : "</ul>\n");
            break;
        case PR_BLK_ITEM: /* only inside a list */
            blocks(e, g, bl->children, tight);
            break;
        case PR_BLK_IMAGE:
            figure(e, g, bl->path, bl->pos, bl->alt, bl->caption, NULL);
            break;
        case PR_BLK_RULE:
            g_string_append(g, "<hr/>\n");
            break;
        case PR_BLK_CODE:
            g_string_append(g, "<pre><code>");
            esc(g, bl->text);
            g_string_append(g, "</code></pre>\n");
            break;
        }
    }
}

/* Footnotes as EPUB 3 footnotes: an <aside> each, its number linking back
 * to the first reference. */
static void footnotes(struct epub *e, GString *g)
{
    const struct pr_doc *doc = e->art->doc;
    if (!doc || doc->nnotes == 0)
        return;
    g_string_append(g, "<section class=\"footnotes\" epub:type=\"footnotes\">\n");
    for (int i = 0; i < doc->nnotes; i++) {
        const struct pr_footnote *fn = &doc->notes[i];
        int n = i + 1;
        g_string_append_printf(g, "<aside class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\" "
                                  "id=\"fn-%d\">\n",
                               n);
        const struct pr_block *bl = fn->blocks;
        g_string_append(g, "<p");
        if (bl && bl->kind == PR_BLK_PARA)
            block_attrs(e, g, bl);
        g_string_append(g, ">");
        if (e->refs[i] > 0)
            g_string_append_printf(g, "<a class=\"fn-num\" href=\"#fnref-%d\" role=\"doc-backlink\">%d</a> ", n, n);
        else
            g_string_append_printf(g, "<span class=\"fn-num\">%d</span> ", n);
        if (bl && bl->kind == PR_BLK_PARA) {
            inlines(e, g, bl->inlines, block_rtl(e, bl));
            bl = bl->next;
        }
        g_string_append(g, "</p>\n");
        blocks(e, g, bl, false);
        g_string_append(g, "</aside>\n");
    }
    g_string_append(g, "</section>\n");
}

static const char *article_title(const struct pr_article *art)
{
    return art->title ? art->title : art->editorial ? "In This Issue" : "Untitled";
}

static int top_heading(const struct pr_block *bl, int top)
{
    for (; bl; bl = bl->next) {
        if (bl->kind == PR_BLK_HEADING && bl->level < top)
            top = bl->level;
        top = top_heading(bl->children, top);
    }
    return top;
}

static void write_article(struct epub *e, const struct part *pt)
{
    const struct pr_article *art = pt->art;
    const char *lang = art->language ? art->language : e->is->language;
    const struct pr_words *w = pr_words_for(lang);
    e->art = art;
    e->rtl = rtl_lang(lang);
    e->top_level = top_heading(art->doc ? art->doc->blocks : NULL, 6);
    e->refs = art->doc && art->doc->nnotes ? pr_arena_alloc(e->A, sizeof(int) * art->doc->nnotes) : NULL;
    GString *g = xhtml_open(e, lang, article_title(art), "bodymatter", NULL);
    g_string_append(g, "<article aria-labelledby=\"title\">\n<header>\n");
    element(g, "p", " class=\"label\"", art->editorial ? w->editorial : art->section);
    element(g, "h1", " id=\"title\"", article_title(art));
    element(g, "p", " class=\"deck\"", art->deck);
    element(g, "p", " class=\"byline\"", pr_words_byline(e->A, art));
    if (art->translator)
        element(g, "p", " class=\"byline translator\"",
                pr_arena_printf(e->A, "%s %s", w->translated_by, art->translator));
    g_string_append(g, "</header>\n");
    if (art->image_path)
        figure(e, g, art->image_path, art->image_pos, art->image_alt, art->caption, "lead");
    if (art->doc)
        blocks(e, g, art->doc->blocks, false);
    element(g, "p", " class=\"endnote\"", art->note);
    footnotes(e, g);
    g_string_append(g, "</article>\n</body>\n</html>\n");
    add_doc(e, pt->file, pt->id, "application/xhtml+xml", g);
}

/* ---------- cover, navigation ---------- */

/* The first page of the PDF as a JPEG at least 1600 x 2560 px (as Apple
 * Books, Kobo and Kindle ask; JPEG because a cover is mostly a photograph:
 * a fifth of a PNG's size, and quicker to make), else the manifest's cover
 * image. */
unsigned char *pr_epub_cover(const struct pr_book *bk, size_t *len)
{
    *len = 0;
    if (!bk || bk->npages < 1 || bk->page_w <= 0 || bk->page_h <= 0)
        return NULL;
    double dpi = 2560.5 * 72 / bk->page_h;
    if (1600.5 * 72 / bk->page_w > dpi)
        dpi = 1600.5 * 72 / bk->page_w;
    return pr_paint_jpeg(bk, 0, dpi, 90, len);
}

static void make_cover(struct epub *e, const unsigned char *jpeg, size_t jpeg_len)
{
    if (jpeg) {
        e->cover = (struct entry){"images/cover.jpg", "cover-image", "image/jpeg", jpeg, jpeg_len};
        return;
    }
    if (e->is->cover_image_path) {
        size_t len = 0;
        const unsigned char *data = read_bytes(e, e->is->cover_image_path, &len);
        const char *ext = NULL, *type = data ? sniff(data, len, &ext) : NULL;
        if (type)
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
    GString *g = xhtml_open(e, e->is->language, e->is->title, "cover", "cover");
    g_string_append(g, "<section class=\"cover\" epub:type=\"cover\">\n<img class=\"cover\"");
    attr(g, "src", e->cover.name);
    attr(g, "alt", cover_alt(e));
    g_string_append(g, "/>\n</section>\n</body>\n</html>\n");
    add_doc(e, "cover.xhtml", "cover", "application/xhtml+xml", g);
}

/* The issue's particulars as the printed contents page gives them. */
static char *dateline(struct epub *e)
{
    const struct pr_issue *is = e->is;
    GString *g = g_string_new(NULL);
    if (is->volume)
        g_string_append_printf(g, "Volume %d", is->volume);
    if (is->number)
        g_string_append_printf(g, "%sNumber %d", g->len ? ", " : "", is->number);
    if (is->date)
        g_string_append_printf(g, "%s%s", g->len ? " \xC2\xB7 " : "", is->date);
    char *r = pr_arena_strdup(e->A, g->str);
    g_string_free(g, TRUE);
    return r;
}

/* lang/dir on a navigation entry whose article is in another language. */
static void entry_lang(struct epub *e, GString *g, const struct pr_article *art)
{
    if (!art->language || strcmp(art->language, e->is->language) == 0)
        return;
    lang_attrs(e, g, art->language);
    if (rtl_lang(art->language) != rtl_lang(e->is->language))
        g_string_append_printf(g, " dir=\"%s\"", rtl_lang(art->language) ? "rtl" : "ltr");
}

/* Sections group consecutive articles that name the same one (as in the
 * printed contents); articles without a section stand at the top level.
 * Returns the index after the group that starts at i. */
static int group_end(const struct epub *e, int i)
{
    const char *s = e->parts[i].art->section;
    if (!s || e->parts[i].art->editorial)
        return i + 1;
    int j = i + 1;
    while (j < e->nparts && e->parts[j].art->section && !e->parts[j].art->editorial &&
           strcmp(e->parts[j].art->section, s) == 0)
        j++;
    return j;
}

static void nav_link(struct epub *e, GString *g, const struct part *pt)
{
    g_string_append(g, "<li><a");
    attr(g, "href", pt->file);
    entry_lang(e, g, pt->art);
    g_string_append(g, ">");
    esc(g, article_title(pt->art));
    g_string_append(g, "</a></li>\n");
}

static void write_nav(struct epub *e)
{
    const struct pr_issue *is = e->is;
    const struct pr_words *w = pr_words_for(is->language);
    bool en = strncmp(is->language, "en", 2) == 0;
    GString *g = xhtml_open(e, is->language, w->contents, "frontmatter", "contents");
    g_string_append(g, "<header class=\"titlepage\">\n");
    element(g, "p", " class=\"masthead\"", is->title);
    element(g, "p", " class=\"issue\"", is->issue);
    element(g, "p", " class=\"dateline\"", dateline(e));
    element(g, "p", " class=\"publisher\"", is->publisher);
    g_string_append(g, "</header>\n<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\">\n");
    element(g, "h1", "", w->contents);
    g_string_append(g, "<ol>\n");
    for (int i = 0; i < e->nparts;) {
        int j = group_end(e, i);
        if (e->parts[i].art->section && !e->parts[i].art->editorial) {
            g_string_append(g, "<li><span class=\"section\"");
            entry_lang(e, g, e->parts[i].art);
            g_string_append(g, ">");
            esc(g, e->parts[i].art->section);
            g_string_append(g, "</span>\n<ol>\n");
            for (int k = i; k < j; k++)
                nav_link(e, g, &e->parts[k]);
            g_string_append(g, "</ol></li>\n");
        } else
            nav_link(e, g, &e->parts[i]);
        i = j;
    }
    g_string_append(g, "</ol>\n</nav>\n<nav epub:type=\"landmarks\" hidden=\"hidden\">\n<ol>\n");
    if (e->cover.name)
        g_string_append_printf(g, "<li><a epub:type=\"cover\" href=\"cover.xhtml\"%s>Cover</a></li>\n",
                               en ? "" : " xml:lang=\"en\" lang=\"en\"");
    g_string_append(g, "<li><a epub:type=\"toc\" href=\"#toc\">");
    esc(g, w->contents);
    g_string_append(g, "</a></li>\n");
    if (e->nparts > 0) {
        g_string_append(g, "<li><a epub:type=\"bodymatter\"");
        attr(g, "href", e->parts[0].file);
        entry_lang(e, g, e->parts[0].art);
        g_string_append(g, ">");
        esc(g, article_title(e->parts[0].art));
        g_string_append(g, "</a></li>\n");
    }
    g_string_append(g, "</ol>\n</nav>\n</body>\n</html>\n");
    add_doc(e, "nav.xhtml", "nav", "application/xhtml+xml", g);
}

/* The NCX for EPUB 2 reading systems: the same tree as the nav. A section
 * points at its first article, and shares that article's playOrder. */
static void ncx_point(GString *g, int *id, int order, const char *label, const char *src, bool open_only)
{
    g_string_append_printf(g, "<navPoint id=\"np%d\" playOrder=\"%d\"><navLabel><text>", ++*id, order);
    esc(g, label);
    g_string_append(g, "</text></navLabel><content");
    attr(g, "src", src);
    g_string_append(g, open_only ? "/>\n" : "/></navPoint>\n");
}

static void write_ncx(struct epub *e)
{
    const struct pr_issue *is = e->is;
    GString *g = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\"");
    attr(g, "xml:lang", lang_tag(e->A, is->language));
    g_string_append(g, ">\n<head>\n<meta name=\"dtb:uid\"");
    attr(g, "content", e->uid);
    g_string_append(g, "/>\n<meta name=\"dtb:depth\" content=\"2\"/>\n"
                       "<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n"
                       "<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n</head>\n<docTitle><text>");
    esc(g, is->title);
    if (is->issue) {
        g_string_append(g, " \xE2\x80\x94 ");
        esc(g, is->issue);
    }
    g_string_append(g, "</text></docTitle>\n<navMap>\n");
    int id = 0, order = 0;
    if (e->cover.name)
        ncx_point(g, &id, ++order, is->title, "cover.xhtml", false);
    ncx_point(g, &id, ++order, pr_words_for(is->language)->contents, "nav.xhtml", false);
    for (int i = 0; i < e->nparts;) {
        int j = group_end(e, i);
        if (e->parts[i].art->section && !e->parts[i].art->editorial) {
            ncx_point(g, &id, order + 1, e->parts[i].art->section, e->parts[i].file, true);
            for (int k = i; k < j; k++)
                ncx_point(g, &id, ++order, article_title(e->parts[k].art), e->parts[k].file, false);
            g_string_append(g, "</navPoint>\n");
        } else
            ncx_point(g, &id, ++order, article_title(e->parts[i].art), e->parts[i].file, false);
        i = j;
    }
    g_string_append(g, "</navMap>\n</ncx>\n");
    add_doc(e, "toc.ncx", "ncx", "application/x-dtbncx+xml", g);
}

/* ---------- stylesheet ---------- */

/* ` name: <number><unit>;` with a '.' whatever the locale. */
static void css_num(GString *g, const char *name, double v, const char *unit)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append_printf(g, "  %s: %s%s;\n", name, g_ascii_formatd(buf, sizeof buf, "%.3g", v), unit);
}

static const char *css_color(struct pr_arena *A, struct pr_color c)
{
    int r = (int)(c.r * 255 + 0.5), gr = (int)(c.g * 255 + 0.5), bl = (int)(c.b * 255 + 0.5);
    return pr_arena_printf(A, "#%02x%02x%02x", r & 255, gr & 255, bl & 255);
}

/* Near-black text takes the reading system's colour (and its night theme). */
static bool is_dark(struct pr_color c)
{
    return c.r < 0.2 && c.g < 0.2 && c.b < 0.2;
}

/* A layout font as CSS: the family (not embedded: readers that have it use
 * it) with a generic fallback, the size relative to the body's and clamped
 * to [lo, hi] so a display size does not swamp a phone screen, leading as
 * a unitless line height, weight, style, capitals, tracking and colour. */
static void css_font(struct epub *e, GString *g, const struct pr_font *f, double lo, double hi)
{
    const struct pr_font *body = &e->is->layout.body;
    const char *fam = f->family ? f->family : body->family;
    char *low = g_ascii_strdown(fam ? fam : "", -1);
    const char *generic = "serif";
    if (strstr(low, "mono") || strstr(low, "courier"))
        generic = "monospace";
    else if (strstr(low, "sans") || strstr(low, "biolinum") || strstr(low, "helvetica") || strstr(low, "arial"))
        generic = "sans-serif";
    g_free(low);
    g_string_append(g, "  font-family: ");
    if (fam && *fam) {
        g_string_append_c(g, '"');
        for (const char *p = fam; *p; p++)
            if (*p == '"' || *p == '\\')
                g_string_append_printf(g, "\\%c", *p);
            else if ((unsigned char)*p >= 0x20)
                g_string_append_c(g, *p);
        g_string_append(g, "\", ");
    }
    g_string_append_printf(g, "%s;\n", generic);
    if (f != body && body->size > 0 && f->size > 0) {
        double r = f->size / body->size;
        css_num(g, "font-size", r < lo ? lo : r > hi ? hi : r, "em");
    }
    if (f->size > 0 && f->leading > 0) {
        double lh = f->leading / f->size;
        css_num(g, "line-height", lh < 1.05 ? 1.05 : lh > 1.8 ? 1.8 : lh, "");
    }
    g_string_append_printf(g, "  font-weight: %s;\n  font-style: %s;\n", f->weight >= 600 ? "bold" : "normal",
                           f->italic ? "italic" : "normal");
    if (f->caps)
        g_string_append(g, "  text-transform: uppercase;\n");
    if (f->tracking != 0)
        css_num(g, "letter-spacing", f->tracking / 1000, "em");
    if (f != body && !is_dark(f->color))
        g_string_append_printf(g, "  color: %s;\n", css_color(e->A, f->color));
}

static void css_rule(struct epub *e, GString *g, const char *sel, const struct pr_font *f, double lo, double hi,
                     const char *extra)
{
    g_string_append_printf(g, "%s {\n", sel);
    css_font(e, g, f, lo, hi);
    g_string_append_printf(g, "%s}\n", extra);
}

/* Relative units throughout and no colour on body text, so reading systems
 * can change the size, the font and the theme. */
static void write_css(struct epub *e)
{
    const struct pr_layout *L = &e->is->layout;
    const char *rule = css_color(e->A, L->rule), *accent = css_color(e->A, L->accent);
    GString *g = g_string_new(NULL);
    g_string_append_printf(g, "/* pressrun: from the layout '%s' */\n", L->name ? L->name : "magazine");
    css_rule(e, g, "body", &L->body, 1, 1, "  margin: 0 1em;\n");
    g_string_append(g, "p {\n  margin: 0;\n  text-indent: 0;\n  text-align: justify;\n  orphans: 2;\n"
                       "  widows: 2;\n  -webkit-hyphens: auto;\n  -epub-hyphens: auto;\n  hyphens: auto;\n}\n"
                       "p + p {\n");
    css_num(g, "text-indent", L->body.size > 0 && L->para_indent > 0 ? L->para_indent / L->body.size : 1, "em");
    g_string_append(g, "}\n");
    css_rule(e, g, "p.label, span.section", &L->label, 0.7, 1, "  margin: 0 0 0.3em;\n  text-align: start;\n");
    css_rule(e, g, "h1", &L->title, 1.4, 2.2,
             "  margin: 0 0 0.4em;\n  text-align: start;\n  -webkit-hyphens: manual;\n  -epub-hyphens: manual;\n"
             "  hyphens: manual;\n");
    css_rule(e, g, "h2", &L->heading, 1.15, 1.5,
             "  margin: 1.4em 0 0.5em;\n  page-break-after: avoid;\n  break-after: avoid;\n");
    css_rule(e, g, "h3, h4, h5, h6", &L->heading, 1, 1.2,
             "  margin: 1.2em 0 0.4em;\n  page-break-after: avoid;\n  break-after: avoid;\n");
    css_rule(e, g, "p.deck", &L->deck, 1.1, 1.5, "  margin: 0 0 0.8em;\n  text-align: start;\n");
    css_rule(e, g, "p.byline", &L->byline, 0.75, 1, "  margin: 0 0 0.2em;\n  text-align: start;\n");
    css_rule(e, g, "figcaption, p.caption", &L->caption, 0.75, 1, "  margin: 0.5em 0 0;\n  text-align: start;\n");
    char *x = pr_arena_printf(e->A,
                              "  margin: 1.2em 0;\n  padding: 0.5em 0;\n  text-align: center;\n"
                              "  border-top: 1px solid %s;\n  border-bottom: 1px solid %s;\n"
                              "  page-break-inside: avoid;\n  break-inside: avoid;\n",
                              rule, rule);
    css_rule(e, g, "aside.pullquote", &L->pullquote, 1.1, 1.5, x);
    css_rule(e, g, "pre, code", &L->code, 0.8, 1, "");
    x = pr_arena_printf(e->A, "  margin: 1.5em 0 0;\n  padding-top: 0.5em;\n  border-top: 1px solid %s;\n", rule);
    css_rule(e, g, "section.footnotes", &L->footnote, 0.75, 1, x);
    g_string_append_printf(
        g,
        "header {\n  margin: 0 0 1.2em;\n}\n"
        "p.translator {\n  text-transform: none;\n  letter-spacing: 0;\n  font-style: italic;\n}\n"
        "figure {\n  margin: 1em 0;\n  text-align: center;\n  page-break-inside: avoid;\n  break-inside: avoid;\n}\n"
        "figure img {\n  max-width: 100%%;\n  height: auto;\n}\n"
        "figure.lead {\n  margin: 0 0 1.2em;\n}\n"
        "blockquote {\n  margin: 1em 1.5em;\n}\n"
        "aside.pullquote p {\n  text-align: center;\n  text-indent: 0;\n}\n"
        "pre {\n  white-space: pre-wrap;\n  margin: 1em 0;\n}\n"
        "ul, ol {\n  margin: 0.6em 0;\n  padding-left: 1.6em;\n}\n"
        "[dir=\"rtl\"] ul, [dir=\"rtl\"] ol, ul[dir=\"rtl\"], ol[dir=\"rtl\"] {\n  padding-left: 0;\n"
        "  padding-right: 1.6em;\n}\n"
        "li p + p, blockquote p + p {\n  text-indent: 0;\n  margin-top: 0.4em;\n}\n"
        "hr {\n  border: 0;\n  border-top: 1px solid %s;\n  margin: 1.5em 30%%;\n}\n"
        "sup {\n  line-height: 0;\n  font-size: 0.75em;\n}\n"
        "a.noteref {\n  text-decoration: none;\n  color: %s;\n}\n"
        "aside.footnote {\n  margin: 0 0 0.4em;\n}\n"
        "aside.footnote p {\n  text-indent: 0;\n}\n"
        "p.endnote {\n  margin: 1.5em 0 0;\n  text-indent: 0;\n  font-style: italic;\n}\n"
        "header.titlepage {\n  margin: 1em 0 2em;\n  text-align: center;\n}\n"
        "header.titlepage p {\n  text-align: center;\n  text-indent: 0;\n}\n"
        "p.masthead {\n  font-size: 2.2em;\n  font-weight: bold;\n  line-height: 1.1;\n}\n"
        "p.issue {\n  font-size: 1.2em;\n  margin-top: 0.3em;\n}\n"
        "nav ol {\n  list-style: none;\n  padding: 0;\n  margin: 0;\n}\n"
        "nav ol ol {\n  margin: 0.2em 0 0.8em;\n}\n"
        "nav li {\n  margin: 0.3em 0;\n}\n"
        "nav a {\n  text-decoration: none;\n  color: inherit;\n}\n"
        "nav span.section {\n  display: block;\n  margin-top: 0.8em;\n}\n"
        "html.cover, body.cover, section.cover {\n  height: 100%%;\n  margin: 0;\n  padding: 0;\n}\n"
        "section.cover {\n  text-align: center;\n}\n"
        "img.cover {\n  max-width: 100%%;\n  max-height: 100%%;\n  height: auto;\n}\n",
        rule, accent);
    add_doc(e, "style.css", "css", "text/css", g);
}

/* ---------- package document ---------- */

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

static bool seen(const char **v, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return true;
    return false;
}

/* dc:creator / dc:contributor with a MARC relator role, once per name. */
static void people(struct epub *e, GString *g, bool translators)
{
    const char **done = NULL;
    int n = 0, cap = 0;
    for (int i = 0; i < e->nparts; i++) {
        const struct pr_article *art = e->parts[i].art;
        int count = translators ? (art->translator ? 1 : 0) : art->nauthors;
        for (int k = 0; k < count; k++) {
            const char *who = translators ? art->translator : art->authors[k];
            if (!who || !*who || seen(done, n, who))
                continue;
            *PR_PUSH(e->A, done, n, cap) = who;
            const char *tag = translators ? "dc:contributor" : "dc:creator";
            const char *id = pr_arena_printf(e->A, "%s%02d", translators ? "trl" : "aut", n);
            g_string_append_printf(g, "<%s id=\"%s\">", tag, id);
            esc(g, who);
            g_string_append_printf(g, "</%s>\n<meta refines=\"#%s\" property=\"role\" scheme=\"marc:relators\">%s</meta>\n",
                                   tag, id, translators ? "trl" : "aut");
        }
    }
}

static void meta(GString *g, const char *property, const char *value)
{
    g_string_append_printf(g, "<meta property=\"%s\">", property);
    esc(g, value);
    g_string_append(g, "</meta>\n");
}

static void manifest_item(GString *g, const struct entry *d, const char *props)
{
    g_string_append(g, "<item");
    attr(g, "id", d->id);
    attr(g, "href", d->name);
    attr(g, "media-type", d->type);
    if (props)
        attr(g, "properties", props);
    g_string_append(g, "/>\n");
}

static const struct entry *doc_named(const struct epub *e, const char *name)
{
    for (int i = 0; i < e->ndocs; i++)
        if (strcmp(e->docs[i].name, name) == 0)
            return &e->docs[i];
    return NULL;
}

static void write_opf(struct epub *e)
{
    const struct pr_issue *is = e->is;
    GString *g = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
                              "unique-identifier=\"pub-id\"");
    attr(g, "xml:lang", lang_tag(e->A, is->language));
    g_string_append(g, ">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<dc:identifier id=\"pub-id\">");
    esc(g, e->uid);
    g_string_append(g, "</dc:identifier>\n<dc:title id=\"title\">");
    esc(g, is->title);
    if (is->issue) {
        g_string_append(g, " \xE2\x80\x94 ");
        esc(g, is->issue);
    }
    g_string_append(g, "</dc:title>\n<meta refines=\"#title\" property=\"title-type\">main</meta>\n");
    /* the issue's language first, then every other language an article is in */
    const char **langs = NULL;
    int nl = 0, lcap = 0;
    *PR_PUSH(e->A, langs, nl, lcap) = lang_tag(e->A, is->language);
    for (int i = 0; i < e->nparts; i++) {
        const char *l = lang_tag(e->A, e->parts[i].art->language);
        if (!seen(langs, nl, l))
            *PR_PUSH(e->A, langs, nl, lcap) = l;
    }
    for (int i = 0; i < nl; i++)
        element(g, "dc:language", "", langs[i]);
    element(g, "dc:date", "", is->date);
    element(g, "dc:publisher", "", is->publisher ? is->publisher : is->title);
    people(e, g, false);
    people(e, g, true);
    if (is->ncover_lines > 0) {
        GString *d = g_string_new(NULL);
        for (int i = 0; i < is->ncover_lines; i++)
            g_string_append_printf(d, "%s%s", i ? "; " : "", is->cover_lines[i]);
        element(g, "dc:description", "", d->str);
        g_string_free(d, TRUE);
    }
    meta(g, "dcterms:modified", e->modified);
    g_string_append(g, "<meta property=\"belongs-to-collection\" id=\"magazine\">");
    esc(g, is->title);
    g_string_append(g, "</meta>\n<meta refines=\"#magazine\" property=\"collection-type\">series</meta>\n");
    if (is->number)
        g_string_append_printf(g, "<meta refines=\"#magazine\" property=\"group-position\">%d</meta>\n", is->number);
    meta(g, "rendition:layout", "reflowable");
    /* EPUB Accessibility 1.1 */
    bool visual = e->nimages > 0 || e->cover.name;
    meta(g, "schema:accessMode", "textual");
    if (visual)
        meta(g, "schema:accessMode", "visual");
    if (!e->alt_missing)
        meta(g, "schema:accessModeSufficient", "textual");
    if (visual)
        meta(g, "schema:accessModeSufficient", "textual,visual");
    meta(g, "schema:accessibilityFeature", "structuralNavigation");
    meta(g, "schema:accessibilityFeature", "tableOfContents");
    meta(g, "schema:accessibilityFeature", "readingOrder");
    meta(g, "schema:accessibilityFeature", "displayTransformability");
    if (visual && !e->alt_missing)
        meta(g, "schema:accessibilityFeature", "alternativeText");
    meta(g, "schema:accessibilityHazard", "none");
    bool en = strncmp(is->language, "en", 2) == 0;
    g_string_append_printf(g, "<meta property=\"schema:accessibilitySummary\"%s>", en ? "" : " xml:lang=\"en\"");
    esc(g, e->alt_missing
               ? "Reflowable text with a table of contents grouped by section, headings for every article, "
                 "a logical reading order and footnotes linked both ways. Some images have no text "
                 "alternative, so the publication does not claim WCAG conformance."
               : "Reflowable text with a table of contents grouped by section, headings for every article, "
                 "a logical reading order, footnotes linked both ways and a text alternative for every "
                 "image. The text can be resized and restyled. Meets WCAG 2.1 Level AA.");
    g_string_append(g, "</meta>\n");
    if (!e->alt_missing) {
        meta(g, "dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA");
        meta(g, "a11y:certifiedBy", is->publisher ? is->publisher : is->title);
    }
    if (e->cover.name)
        g_string_append(g, "<meta name=\"cover\" content=\"cover-image\"/>\n");
    g_string_append(g, "</metadata>\n<manifest>\n");
    manifest_item(g, doc_named(e, "nav.xhtml"), "nav");
    manifest_item(g, doc_named(e, "toc.ncx"), NULL);
    manifest_item(g, doc_named(e, "style.css"), NULL);
    if (e->cover.name) {
        manifest_item(g, doc_named(e, "cover.xhtml"), NULL);
        manifest_item(g, &e->cover, "cover-image");
    }
    for (int i = 0; i < e->nparts; i++)
        manifest_item(g, doc_named(e, e->parts[i].file), NULL);
    for (int i = 0; i < e->nimages; i++)
        manifest_item(g, &e->images[i], NULL);
    g_string_append(g, "</manifest>\n<spine toc=\"ncx\"");
    if (rtl_lang(is->language))
        g_string_append(g, " page-progression-direction=\"rtl\"");
    g_string_append(g, ">\n");
    if (e->cover.name)
        g_string_append(g, "<itemref idref=\"cover\"/>\n");
    g_string_append(g, "<itemref idref=\"nav\"/>\n");
    for (int i = 0; i < e->nparts; i++)
        g_string_append_printf(g, "<itemref idref=\"%s\"/>\n", e->parts[i].id);
    g_string_append(g, "</spine>\n</package>\n");
    add_doc(e, "package.opf", "opf", "application/oebps-package+xml", g);
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
        const struct entry *d = doc_named(e, first[i]);
        if (d)
            ok = zip_put(z, pr_arena_printf(e->A, "EPUB/%s", d->name), d->data, d->len, false, dtime, ddate);
        if (ok && d && strcmp(first[i], "cover.xhtml") == 0)
            ok = zip_put(z, pr_arena_printf(e->A, "EPUB/%s", e->cover.name), e->cover.data, e->cover.len, true,
                         dtime, ddate);
    }
    for (int i = 0; ok && i < e->nparts; i++) {
        const struct entry *d = doc_named(e, e->parts[i].file);
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
        e.parts[e.nparts++] = (struct part){a, pr_arena_printf(e.A, "%02d-%s.xhtml", i + 1, safe_name(e.A, a->id, 40)),
                                            pr_arena_printf(e.A, "a%02d", i + 1)};
    }
    e.uid = issue_uuid(&e);
    struct tm tm;
    build_time(&e, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    e.modified = pr_arena_strdup(e.A, when);
    make_cover(&e, cover_jpeg, cover_len);
    for (int i = 0; i < e.nparts; i++)
        write_article(&e, &e.parts[i]);
    if (e.cover.name)
        write_cover(&e);
    write_nav(&e);
    write_ncx(&e);
    write_css(&e);
    write_opf(&e);
    struct pr_outfile of;
    bool ok = !e.failed && pr_outfile_begin(b, &of, path);
    if (ok)
        ok = pr_outfile_end(b, &of, write_zip(&e, of.tmp, path));
    return ok;
}

/* epub_xhtml.c - the EPUB back end's XHTML: XML text escaping, the head
 * every XHTML document shares, and one article's file written from the
 * document model (blocks, inlines, figures, footnotes; never from the
 * pages). Reads the issue model, writes documents into struct epub's list.
 * Called by out_epub.c (articles, cover) and epub_opf.c (nav, package). */
#include "epub_int.h"
#include "words.h"
#include <string.h>

/* ---------- XML text ---------- */

/* Append s escaped for XML text and attribute values. Characters XML 1.0
 * does not allow (C0 controls other than tab and line ends, U+FFFE, U+FFFF)
 * are dropped. */
void pr_epub_esc(GString *g, const char *s)
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
void pr_epub_attr(GString *g, const char *name, const char *value)
{
    g_string_append_printf(g, " %s=\"", name);
    pr_epub_esc(g, value);
    g_string_append_c(g, '"');
}

/* `<tag attrs>text</tag>` on a line; nothing when text is NULL or empty. */
void pr_epub_element(GString *g, const char *tag, const char *attrs, const char *text)
{
    if (!text || !*text)
        return;
    g_string_append_printf(g, "<%s%s>", tag, attrs);
    pr_epub_esc(g, text);
    g_string_append_printf(g, "</%s>\n", tag);
}

/* A language tag as BCP 47 wants it ("pt_BR" -> "pt-BR"). */
char *pr_epub_lang_tag(struct pr_arena *A, const char *lang)
{
    char *t = pr_arena_strdup(A, lang ? lang : "en");
    for (char *c = t; *c; c++)
        if (*c == '_')
            *c = '-';
    return t;
}

void pr_epub_lang_attrs(struct epub *e, GString *g, const char *lang)
{
    const char *t = pr_epub_lang_tag(e->A, lang);
    pr_epub_attr(g, "xml:lang", t);
    pr_epub_attr(g, "lang", t);
}

/* XML declaration, doctype, <html> with its language and direction, <head>;
 * cls (NULL for none) goes on both <html> and <body>. */
GString *pr_epub_xhtml_open(struct epub *e, const char *lang, const char *title, const char *body_type,
                            const char *cls)
{
    GString *g = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
                              "<html xmlns=\"http://www.w3.org/1999/xhtml\" "
                              "xmlns:epub=\"http://www.idpf.org/2007/ops\"");
    if (cls)
        pr_epub_attr(g, "class", cls);
    pr_epub_lang_attrs(e, g, lang);
    if (pr_lang_rtl(lang))
        g_string_append(g, " dir=\"rtl\"");
    g_string_append(g, ">\n<head>\n<meta charset=\"UTF-8\"/>\n");
    pr_epub_element(g, "title", "", title && *title ? title : e->is->title);
    g_string_append(g, "<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n<body");
    if (body_type)
        pr_epub_attr(g, "epub:type", body_type);
    if (cls)
        pr_epub_attr(g, "class", cls);
    g_string_append(g, ">\n");
    return g;
}

/* An article's title, or what stands for it. */
const char *pr_epub_article_title(const struct pr_article *art)
{
    return art->title ? art->title : art->editorial ? "In This Issue" : "Untitled";
}

/* ---------- images ---------- */

/* <figure> with the image and its caption. alt: the description, else the
 * caption, else empty with role presentation (and the book then claims no
 * WCAG conformance). */
static void figure(struct epub *e, GString *g, const char *path, struct pr_pos pos, const char *alt,
                   const char *caption, const char *credit, const char *cls)
{
    const char *href = path ? pr_epub_image_href(e, path, pos) : NULL;
    if (!href) {
        pr_epub_element(g, "p", " class=\"caption\"", caption);
        return;
    }
    g_string_append(g, "<figure");
    if (cls)
        pr_epub_attr(g, "class", cls);
    g_string_append(g, ">\n<img");
    pr_epub_attr(g, "src", href);
    if (alt && *alt)
        pr_epub_attr(g, "alt", alt);
    else if (caption && *caption)
        pr_epub_attr(g, "alt", caption);
    else {
        g_string_append(g, " alt=\"\" role=\"presentation\"");
        e->alt_missing = true;
    }
    g_string_append(g, "/>\n");
    if ((caption && *caption) || credit) {
        /* the caption, then the picture's credit */
        g_string_append(g, "<figcaption>");
        if (caption)
            pr_epub_esc(g, caption);
        if (credit) {
            g_string_append(g, caption && *caption ? " <span class=\"credit\">" : "<span class=\"credit\">");
            pr_epub_esc(g, credit);
            g_string_append(g, "</span>");
        }
        g_string_append(g, "</figcaption>\n");
    }
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
    pr_epub_attr(g, "href", u->str);
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
            pr_epub_esc(g, in->text);
            break;
        case PR_IN_CODE:
            g_string_append(g, "<code>");
            pr_epub_esc(g, in->text);
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
            g_string_append(g, e->verse ? "<br/>\n" : "\n");
            break;
        case PR_IN_LINEBREAK:
            g_string_append(g, "<br/>\n");
            break;
        case PR_IN_NOTEREF:
            noteref(e, g, in->note);
            break;
        case PR_IN_LANG: {
            bool r = pr_lang_rtl(in->lang);
            g_string_append(g, "<span");
            pr_epub_lang_attrs(e, g, in->lang);
            if (r != rtl)
                g_string_append_printf(g, " dir=\"%s\"", r ? "rtl" : "ltr");
            g_string_append(g, ">");
            inlines(e, g, in->children, r);
            g_string_append(g, "</span>");
            break;
        }
        case PR_IN_STRIKE:
            g_string_append(g, "<s>");
            inlines(e, g, in->children, rtl);
            g_string_append(g, "</s>");
            break;
        case PR_IN_FIELD:
            /* a ruled blank as long as the underscores (about half an em each) */
            g_string_append_printf(g, "<span class=\"field\" style=\"width: %.1fem\"></span>",
                                   in->note * 0.5);
            break;
        }
    }
}

/* lang and dir of a block where they differ from the article's. */
static bool block_attrs(struct epub *e, GString *g, const struct pr_block *bl)
{
    bool any = false;
    if (bl->lang) {
        pr_epub_lang_attrs(e, g, bl->lang);
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

/* A table: its caption, the header row as column headers, the alignment
 * of each column (numbers to the right when the delimiter row does not say). */
static void table(struct epub *e, GString *g, const struct pr_block *bl)
{
    static const char *const aligns[] = {NULL, "left", "center", "right"};
    g_string_append(g, "<table");
    block_attrs(e, g, bl);
    g_string_append(g, ">\n");
    if (bl->inlines) {
        g_string_append(g, "<caption>");
        inlines(e, g, bl->inlines, e->rtl);
        g_string_append(g, "</caption>\n");
    }
    for (int r = 0; r < bl->rows; r++) {
        if (r <= 1)
            g_string_append(g, r == 0 ? "<thead>\n" : "<tbody>\n");
        g_string_append(g, "<tr>");
        for (int c = 0; c < bl->cols; c++) {
            bool num = bl->numeric && bl->numeric[c];
            const char *al = aligns[bl->align[c]];
            if (!al && num)
                al = "right";
            g_string_append(g, r == 0 ? "<th scope=\"col\"" : "<td");
            if (al || num)
                g_string_append_printf(g, " class=\"%s%s%s\"", al ? al : "", al && num ? " " : "",
                                       num ? "num" : "");
            g_string_append(g, ">");
            inlines(e, g, bl->cells[r * bl->cols + c], e->rtl);
            g_string_append(g, r == 0 ? "</th>" : "</td>");
        }
        g_string_append(g, "</tr>\n");
        if (r == 0)
            g_string_append(g, "</thead>\n");
    }
    if (bl->rows > 1)
        g_string_append(g, "</tbody>\n");
    g_string_append(g, "</table>\n");
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
            g_string_append(g, bl->signature ? "<p class=\"signature\"" : "<p");
            block_attrs(e, g, bl);
            if (bl->fields)
                g_string_append(g, " class=\"fields\"");
            g_string_append(g, ">");
            inlines(e, g, bl->inlines, block_rtl(e, bl));
            g_string_append(g, "</p>\n");
            break;
        case PR_BLK_HEADING: {
            /* the article's title is h1: the body's highest heading level
             * becomes h2, so no level is skipped */
            int h = bl->level - e->top_level + 2;
            h = h < 2 ? 2 : h > 6 ? 6 : h;
            /* nor after a heading less deep than the one before it */
            if (h > e->last_h + 1)
                h = e->last_h + 1;
            e->last_h = h;
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
            figure(e, g, bl->path, bl->pos, bl->alt, bl->caption, bl->place.credit, NULL);
            break;
        case PR_BLK_RULE:
            g_string_append(g, "<hr/>\n");
            break;
        case PR_BLK_CODE:
            g_string_append(g, "<pre><code>");
            pr_epub_esc(g, bl->text);
            g_string_append(g, "</code></pre>\n");
            break;
        case PR_BLK_SIDEBAR:
            /* a box beside the text: its title a paragraph (not a heading,
             * so the article's outline keeps its levels) */
            g_string_append(g, "<aside class=\"sidebar\"");
            block_attrs(e, g, bl);
            g_string_append(g, ">\n");
            if (bl->text) {
                g_string_append(g, "<p class=\"sidebar-title\">");
                pr_epub_esc(g, bl->text);
                g_string_append(g, "</p>\n");
            }
            blocks(e, g, bl->children, false);
            g_string_append(g, "</aside>\n");
            break;
        case PR_BLK_VERSE: {
            /* each stanza a paragraph, its lines ending in breaks */
            bool was = e->verse;
            e->verse = true;
            g_string_append(g, "<div class=\"verse\"");
            block_attrs(e, g, bl);
            g_string_append(g, ">\n");
            for (const struct pr_block *st = bl->children; st; st = st->next) {
                if (st->kind != PR_BLK_PARA) {
                    blocks(e, g, st, false);
                    continue;
                }
                g_string_append(g, "<p class=\"stanza\"");
                block_attrs(e, g, st);
                g_string_append(g, ">");
                inlines(e, g, st->inlines, block_rtl(e, st));
                g_string_append(g, "</p>\n");
            }
            g_string_append(g, "</div>\n");
            e->verse = was;
            break;
        }
        case PR_BLK_TABLE:
            table(e, g, bl);
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

/* The highest (smallest) heading level among blocks, at most top. */
static int top_heading(const struct pr_block *bl, int top)
{
    for (; bl; bl = bl->next) {
        if (bl->kind == PR_BLK_HEADING && bl->level < top)
            top = bl->level;
        top = top_heading(bl->children, top);
    }
    return top;
}

/* ---------- an article ---------- */

void pr_epub_write_article(struct epub *e, const struct part *pt)
{
    const struct pr_article *art = pt->art;
    const char *lang = art->language ? art->language : e->is->language;
    const struct pr_words *w = pr_words_for(lang);
    e->art = art;
    e->rtl = pr_lang_rtl(lang);
    e->top_level = top_heading(art->doc ? art->doc->blocks : NULL, 6);
    e->last_h = 1; /* the title */
    e->refs = art->doc && art->doc->nnotes ? pr_arena_alloc(e->A, sizeof(int) * art->doc->nnotes) : NULL;
    GString *g = pr_epub_xhtml_open(e, lang, pr_epub_article_title(art), "bodymatter", NULL);
    g_string_append(g, "<article aria-labelledby=\"title\">\n<header>\n");
    pr_epub_element(g, "p", " class=\"label\"", art->editorial ? w->editorial : art->section);
    pr_epub_element(g, "p", " class=\"kicker\"", art->kicker);
    pr_epub_element(g, "h1", " id=\"title\"", pr_epub_article_title(art));
    pr_epub_element(g, "p", " class=\"deck\"", art->deck);
    pr_epub_element(g, "p", " class=\"byline\"", pr_words_byline(e->A, art));
    if (art->translator)
        pr_epub_element(g, "p", " class=\"byline translator\"",
                        pr_arena_printf(e->A, "%s %s", w->translated_by, art->translator));
    g_string_append(g, "</header>\n");
    if (art->image_path)
        figure(e, g, art->image_path, art->image_pos, art->image_alt, art->caption, art->image_place.credit,
               "lead");
    if (art->doc)
        blocks(e, g, art->doc->blocks, false);
    if (art->bio && *art->bio)
        pr_epub_element(g, "p", " class=\"bio\"", pr_arena_printf(e->A, "\xE2\x96\xA0 %s", art->bio));
    pr_epub_element(g, "p", " class=\"endnote\"", art->note);
    footnotes(e, g);
    g_string_append(g, "</article>\n</body>\n</html>\n");
    pr_epub_add_doc(e, pt->file, pt->id, "application/xhtml+xml", g);
}

/* epub_opf.c - the EPUB back end's package documents: the navigation
 * document (title page, contents grouped by section, landmarks), the NCX
 * for EPUB 2 reading systems and the package document (metadata with EPUB
 * Accessibility 1.1, manifest, spine). Reads the issue and the documents
 * already written; writes three more. Called by out_epub.c, in that order. */
#include "epub_int.h"
#include "words.h"
#include <string.h>

/* ---------- navigation ---------- */

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
    pr_epub_lang_attrs(e, g, art->language);
    if (pr_lang_rtl(art->language) != pr_lang_rtl(e->is->language))
        g_string_append_printf(g, " dir=\"%s\"", pr_lang_rtl(art->language) ? "rtl" : "ltr");
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
    pr_epub_attr(g, "href", pt->file);
    entry_lang(e, g, pt->art);
    g_string_append(g, ">");
    pr_epub_esc(g, pr_epub_article_title(pt->art));
    g_string_append(g, "</a></li>\n");
}

void pr_epub_write_nav(struct epub *e)
{
    const struct pr_issue *is = e->is;
    const struct pr_words *w = pr_words_for(is->language);
    bool en = strncmp(is->language, "en", 2) == 0;
    GString *g = pr_epub_xhtml_open(e, is->language, w->contents, "frontmatter", "contents");
    g_string_append(g, "<header class=\"titlepage\">\n");
    pr_epub_element(g, "p", " class=\"masthead\"", is->title);
    pr_epub_element(g, "p", " class=\"issue\"", is->issue);
    pr_epub_element(g, "p", " class=\"dateline\"", dateline(e));
    pr_epub_element(g, "p", " class=\"publisher\"", is->publisher);
    g_string_append(g, "</header>\n<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\">\n");
    pr_epub_element(g, "h1", "", w->contents);
    g_string_append(g, "<ol>\n");
    for (int i = 0; i < e->nparts;) {
        int j = group_end(e, i);
        if (e->parts[i].art->section && !e->parts[i].art->editorial) {
            g_string_append(g, "<li><span class=\"section\"");
            entry_lang(e, g, e->parts[i].art);
            g_string_append(g, ">");
            pr_epub_esc(g, e->parts[i].art->section);
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
    pr_epub_esc(g, w->contents);
    g_string_append(g, "</a></li>\n");
    if (e->nparts > 0) {
        g_string_append(g, "<li><a epub:type=\"bodymatter\"");
        pr_epub_attr(g, "href", e->parts[0].file);
        entry_lang(e, g, e->parts[0].art);
        g_string_append(g, ">");
        pr_epub_esc(g, pr_epub_article_title(e->parts[0].art));
        g_string_append(g, "</a></li>\n");
    }
    g_string_append(g, "</ol>\n</nav>\n</body>\n</html>\n");
    pr_epub_add_doc(e, "nav.xhtml", "nav", "application/xhtml+xml", g);
}

/* The NCX for EPUB 2 reading systems: the same tree as the nav. A section
 * points at its first article, and shares that article's playOrder. */
static void ncx_point(GString *g, int *id, int order, const char *label, const char *src, bool open_only)
{
    g_string_append_printf(g, "<navPoint id=\"np%d\" playOrder=\"%d\"><navLabel><text>", ++*id, order);
    pr_epub_esc(g, label);
    g_string_append(g, "</text></navLabel><content");
    pr_epub_attr(g, "src", src);
    g_string_append(g, open_only ? "/>\n" : "/></navPoint>\n");
}

void pr_epub_write_ncx(struct epub *e)
{
    const struct pr_issue *is = e->is;
    GString *g = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\"");
    pr_epub_attr(g, "xml:lang", pr_epub_lang_tag(e->A, is->language));
    g_string_append(g, ">\n<head>\n<meta name=\"dtb:uid\"");
    pr_epub_attr(g, "content", e->uid);
    g_string_append(g, "/>\n<meta name=\"dtb:depth\" content=\"2\"/>\n"
                       "<meta name=\"dtb:totalPageCount\" content=\"0\"/>\n"
                       "<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n</head>\n<docTitle><text>");
    pr_epub_esc(g, is->title);
    if (is->issue) {
        g_string_append(g, " \xE2\x80\x94 ");
        pr_epub_esc(g, is->issue);
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
                ncx_point(g, &id, ++order, pr_epub_article_title(e->parts[k].art), e->parts[k].file, false);
            g_string_append(g, "</navPoint>\n");
        } else
            ncx_point(g, &id, ++order, pr_epub_article_title(e->parts[i].art), e->parts[i].file, false);
        i = j;
    }
    g_string_append(g, "</navMap>\n</ncx>\n");
    pr_epub_add_doc(e, "toc.ncx", "ncx", "application/x-dtbncx+xml", g);
}

/* ---------- package document ---------- */

/* Is s among the n strings of v? */
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
            pr_epub_esc(g, who);
            g_string_append_printf(g,
                                   "</%s>\n<meta refines=\"#%s\" property=\"role\" scheme=\"marc:relators\">%s"
                                   "</meta>\n",
                                   tag, id, translators ? "trl" : "aut");
        }
    }
}

static void meta(GString *g, const char *property, const char *value)
{
    g_string_append_printf(g, "<meta property=\"%s\">", property);
    pr_epub_esc(g, value);
    g_string_append(g, "</meta>\n");
}

static void manifest_item(GString *g, const struct entry *d, const char *props)
{
    g_string_append(g, "<item");
    pr_epub_attr(g, "id", d->id);
    pr_epub_attr(g, "href", d->name);
    pr_epub_attr(g, "media-type", d->type);
    if (props)
        pr_epub_attr(g, "properties", props);
    g_string_append(g, "/>\n");
}


/* Every language of the book: the issue's first, then every other one an
 * article is in. */
static void opf_languages(struct epub *e, GString *g)
{
    const char **langs = NULL;
    int nl = 0, lcap = 0;
    *PR_PUSH(e->A, langs, nl, lcap) = pr_epub_lang_tag(e->A, e->is->language);
    for (int i = 0; i < e->nparts; i++) {
        const char *l = pr_epub_lang_tag(e->A, e->parts[i].art->language);
        if (!seen(langs, nl, l))
            *PR_PUSH(e->A, langs, nl, lcap) = l;
    }
    for (int i = 0; i < nl; i++)
        pr_epub_element(g, "dc:language", "", langs[i]);
}

/* Identifier, title, languages, date, publisher, people, description,
 * modification date and the magazine as a series. */
static void opf_metadata(struct epub *e, GString *g)
{
    const struct pr_issue *is = e->is;
    g_string_append(g, "<dc:identifier id=\"pub-id\">");
    pr_epub_esc(g, e->uid);
    g_string_append(g, "</dc:identifier>\n<dc:title id=\"title\">");
    pr_epub_esc(g, is->title);
    if (is->issue) {
        g_string_append(g, " \xE2\x80\x94 ");
        pr_epub_esc(g, is->issue);
    }
    g_string_append(g, "</dc:title>\n<meta refines=\"#title\" property=\"title-type\">main</meta>\n");
    opf_languages(e, g);
    pr_epub_element(g, "dc:date", "", is->date);
    pr_epub_element(g, "dc:publisher", "", is->publisher ? is->publisher : is->title);
    people(e, g, false);
    people(e, g, true);
    if (is->ncover_lines > 0) {
        GString *d = g_string_new(NULL);
        for (int i = 0; i < is->ncover_lines; i++)
            g_string_append_printf(d, "%s%s", i ? "; " : "", is->cover_lines[i]);
        pr_epub_element(g, "dc:description", "", d->str);
        g_string_free(d, TRUE);
    }
    meta(g, "dcterms:modified", e->modified);
    g_string_append(g, "<meta property=\"belongs-to-collection\" id=\"magazine\">");
    pr_epub_esc(g, is->title);
    g_string_append(g, "</meta>\n<meta refines=\"#magazine\" property=\"collection-type\">series</meta>\n");
    if (is->number)
        g_string_append_printf(g, "<meta refines=\"#magazine\" property=\"group-position\">%d</meta>\n", is->number);
    meta(g, "rendition:layout", "reflowable");
}

/* EPUB Accessibility 1.1: access modes, features, hazards, a summary, and
 * WCAG conformance unless an image has no text alternative. */
static void opf_accessibility(struct epub *e, GString *g)
{
    const struct pr_issue *is = e->is;
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
    pr_epub_esc(g, e->alt_missing
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
}

/* Every file of the book but the package document itself. */
static void opf_manifest(struct epub *e, GString *g)
{
    g_string_append(g, "<manifest>\n");
    manifest_item(g, pr_epub_doc_named(e, "nav.xhtml"), "nav");
    manifest_item(g, pr_epub_doc_named(e, "toc.ncx"), NULL);
    manifest_item(g, pr_epub_doc_named(e, "style.css"), NULL);
    if (e->cover.name) {
        manifest_item(g, pr_epub_doc_named(e, "cover.xhtml"), NULL);
        manifest_item(g, &e->cover, "cover-image");
    }
    for (int i = 0; i < e->nparts; i++)
        manifest_item(g, pr_epub_doc_named(e, e->parts[i].file), NULL);
    for (int i = 0; i < e->nads; i++)
        manifest_item(g, pr_epub_doc_named(e, e->ads[i].file), NULL);
    for (int i = 0; i < e->nimages; i++)
        manifest_item(g, &e->images[i], NULL);
    g_string_append(g, "</manifest>\n");
}

/* The ad pages that go after part `after`. */
static void spine_ads(const struct epub *e, GString *g, int after)
{
    for (int k = 0; k < e->nads; k++)
        if (e->ads[k].after == after)
            g_string_append_printf(g, "<itemref idref=\"%s\"/>\n", e->ads[k].id);
}

/* The reading order: cover, contents, articles (with the ad pages the
 * book shows between them). */
static void opf_spine(struct epub *e, GString *g)
{
    g_string_append(g, "<spine toc=\"ncx\"");
    if (pr_lang_rtl(e->is->language))
        g_string_append(g, " page-progression-direction=\"rtl\"");
    g_string_append(g, ">\n");
    if (e->cover.name)
        g_string_append(g, "<itemref idref=\"cover\"/>\n");
    g_string_append(g, "<itemref idref=\"nav\"/>\n");
    spine_ads(e, g, -1);
    for (int i = 0; i < e->nparts; i++) {
        g_string_append_printf(g, "<itemref idref=\"%s\"/>\n", e->parts[i].id);
        spine_ads(e, g, i);
    }
    g_string_append(g, "</spine>\n");
}

void pr_epub_write_opf(struct epub *e)
{
    GString *g = g_string_new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
                              "unique-identifier=\"pub-id\"");
    pr_epub_attr(g, "xml:lang", pr_epub_lang_tag(e->A, e->is->language));
    g_string_append(g, ">\n<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
    opf_metadata(e, g);
    opf_accessibility(e, g);
    if (e->cover.name)
        g_string_append(g, "<meta name=\"cover\" content=\"cover-image\"/>\n");
    g_string_append(g, "</metadata>\n");
    opf_manifest(e, g);
    opf_spine(e, g);
    g_string_append(g, "</package>\n");
    pr_epub_add_doc(e, "package.opf", "opf", "application/oebps-package+xml", g);
}

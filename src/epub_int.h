/* epub_int.h - what the stages of the EPUB back end share, and no one else:
 * out_epub.c (entry point, cover, images, the archive), epub_xhtml.c (XML
 * text and the articles' XHTML), epub_css.c (the stylesheet) and
 * epub_opf.c (navigation, NCX, package document). Every document is built
 * in a GString and kept in the build's arena until the archive is zipped. */
#ifndef PR_EPUB_INT_H
#define PR_EPUB_INT_H
#include "backends.h"
#include <glib.h>

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

/* A supplied ad the book shows (`epub: true`): an image page of its own in
 * the reading order, after part `after` (-1: before the first), in no
 * navigation. */
struct adpage {
    const struct pr_ad *ad;
    const char *file, *id;      /* "ad-01.xhtml", "ad01" */
    int after;
};

struct epub {
    struct pr_build *b;
    const struct pr_issue *is;
    struct pr_arena *A;
    struct part *parts;
    int nparts;
    struct adpage *ads;
    int nads;
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
    int last_h;                 /* the last heading level written (1: the title) */
    bool verse;                 /* in verse: a line end is a line break */
    bool failed;                /* an image could not be copied in: write nothing */
};

/* ---------- epub_xhtml.c: XML text ---------- */

/* Append s escaped for XML text and attribute values (characters XML 1.0
 * does not allow are dropped). */
void pr_epub_esc(GString *g, const char *s);
/* ` name="value"`, escaped. */
void pr_epub_attr(GString *g, const char *name, const char *value);
/* `<tag attrs>text</tag>` on a line; nothing when text is NULL or empty. */
void pr_epub_element(GString *g, const char *tag, const char *attrs, const char *text);
/* A language tag as BCP 47 wants it ("pt_BR" -> "pt-BR"); "en" for NULL. */
char *pr_epub_lang_tag(struct pr_arena *A, const char *lang);
/* ` xml:lang="…" lang="…"`. */
void pr_epub_lang_attrs(struct epub *e, GString *g, const char *lang);
/* An ASCII file-name piece of at most max bytes from any string. */
char *pr_epub_safe_name(struct pr_arena *A, const char *s, size_t max);
/* The text of a finished document moves into the arena (g is freed). */
void pr_epub_add_doc(struct epub *e, const char *name, const char *id, const char *type, GString *g);
/* The document called name (below EPUB/), NULL when there is none. */
const struct entry *pr_epub_doc_named(const struct epub *e, const char *name);
/* An XHTML document up to its <body> tag; cls (NULL for none) goes on both
 * <html> and <body>. */
GString *pr_epub_xhtml_open(struct epub *e, const char *lang, const char *title, const char *body_type,
                            const char *cls);
/* An article's title as the book shows it. */
const char *pr_epub_article_title(const struct pr_article *art);

/* ---------- epub_xhtml.c: the articles ---------- */

/* The XHTML file of one article, from its document model. */
void pr_epub_write_article(struct epub *e, const struct part *pt);

/* ---------- epub_files.c: images ---------- */

/* Pictures in the book: at most this many pixels on the long side and
 * fewer than this many in all, as distributors ask. */
#define PR_EPUB_IMAGE_SIDE 2048
#define PR_EPUB_IMAGE_PIXELS (4L * 1000 * 1000)
/* The picture at path as the book carries it (RGB, JPEG or PNG, within
 * the limits above; image.h's pr_image_web), its bytes in the arena; NULL
 * when it cannot be made, err saying why. */
const void *pr_epub_picture(struct epub *e, const char *path, size_t *len, const char **type, const char **ext,
                            char *err, size_t errlen);
/* The href of the image at path inside the book, copied in on first use;
 * NULL (reported at pos, e->failed set) when it cannot be. */
const char *pr_epub_image_href(struct epub *e, const char *path, struct pr_pos pos);
/* A picture made in memory (data in the arena, `type` its media type,
 * `ext` its extension) into the book under `key`; its href. */
const char *pr_epub_add_image(struct epub *e, const char *key, const char *stem, const void *data, size_t len,
                              const char *type, const char *ext);

/* ---------- epub_ads.c ---------- */
/* The ads marked `epub: true`, placed in the reading order as the flatplan
 * places them (inside front cover first, facing and after their article,
 * the rest at the end), each an XHTML page with its picture (a PDF ad
 * rendered, at most 2048 px on its long side). */
void pr_epub_write_ads(struct epub *e);

/* ---------- epub_css.c ---------- */

/* style.css, from the layout. */
void pr_epub_write_css(struct epub *e);

/* ---------- epub_opf.c: navigation and package ---------- */

/* nav.xhtml: the title page, the contents grouped by section, landmarks. */
void pr_epub_write_nav(struct epub *e);
/* toc.ncx, for EPUB 2 reading systems. */
void pr_epub_write_ncx(struct epub *e);
/* package.opf: metadata, manifest and spine of every document written so
 * far (so written last). */
void pr_epub_write_opf(struct epub *e);
#endif

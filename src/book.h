/* book.h - the page model: pages of boxes with final geometry, written by
 * typesetting (pages.c and the files it calls: galley.c, furniture.c,
 * toc.c) and read by the back ends (paint.c, out_pdf.c, out_dump.c,
 * out_proof.c). Data only. The book, its pages and the boxes of the cover,
 * contents and back cover live in the build's arena; an article's pages'
 * boxes live in its galley's arena. The typeset text the LINE boxes point
 * at (struct pr_text) is owned by the galley it was set for, or by the
 * typesetter (cover, contents, slugs, flatplan). Unless the build keeps
 * the whole book (pr_typeset retain), a galley's boxes and texts are freed
 * once its pages are painted, and those pages' boxes set to NULL; the rest
 * goes with pr_typeset_free after the back ends ran. */
#ifndef PR_BOOK_H
#define PR_BOOK_H
#include <stdbool.h>
#include "model.h"

struct pr_text; /* typeset lines of one paragraph (para.c); opaque here */

enum pr_box_kind {
    PR_BOX_LINE,   /* one typeset line: text + line, baseline at y */
    PR_BOX_IMAGE,  /* an image scaled into x,y,w,h */
    PR_BOX_RULE,   /* a horizontal rule from (x,y) to (x+w,y), h = thickness */
    PR_BOX_RECT,   /* a filled rectangle (backgrounds, bands) */
    PR_BOX_AD,     /* a supplied ad or filler file in the slot x,y,w,h: image = its path;
                      a PDF (ad_pdf, page ad_page) is placed untouched by the PDF post-pass,
                      an image scaled to cover the slot */
};

/* What a box is, for dumps, tests and the print back end (bleed). */
enum pr_role {
    PR_ROLE_BODY, PR_ROLE_HEADING, PR_ROLE_TITLE, PR_ROLE_DECK, PR_ROLE_BYLINE,
    PR_ROLE_LABEL, PR_ROLE_CAPTION, PR_ROLE_PULLQUOTE, PR_ROLE_QUOTE, PR_ROLE_LIST,
    PR_ROLE_CODE, PR_ROLE_FOOTNOTE, PR_ROLE_NOTE, PR_ROLE_DROPCAP, PR_ROLE_MARKER,
    PR_ROLE_RUNNING_HEAD, PR_ROLE_FOLIO, PR_ROLE_MASTHEAD, PR_ROLE_COVER,
    PR_ROLE_TOC, PR_ROLE_FIGURE, PR_ROLE_DECOR,
    PR_ROLE_SLUG, /* outside the trim: drawn only with printer's marks (book->slugs) */
    PR_ROLE_CITATION, /* an article's citation line: drawn only on offprints */
    PR_ROLE_AD,       /* a supplied ad, or a filler (house ad, short item) */
    PR_ROLE_BOX,      /* text in a boxed item (a Markdown filler) */
    PR_ROLE_STAFF,    /* the masthead's staff box and colophon (contents page) */
    PR_ROLE_VERSE,    /* a line of verse */
    PR_ROLE_CREDIT,   /* a picture's credit line */
    PR_ROLE_TABLE,    /* a table's cells, rules and caption */
};

/* The logical structure of what the pages show, for the tagged screen PDF
 * (PDF/UA): each content box points at the element it is part of; an
 * element's parent is the element that holds it, up to its story's root
 * (an article, the cover, the contents, an ad, a filler). Elements are
 * made in source order while typesetting, so that their order in a story
 * (seq) is the order a reader follows, whatever columns and pages the
 * flow puts them in. A box without an element is an artifact: running
 * heads, folios, rules, tints, a table's repeated header, pull quotes
 * the fitter took from the text. Elements live with the boxes. */
enum pr_tag_type {
    PR_TAG_ART, PR_TAG_SECT, PR_TAG_DIV, PR_TAG_P,
    PR_TAG_H1, PR_TAG_H2, PR_TAG_H3, PR_TAG_H4, PR_TAG_H5, PR_TAG_H6,
    PR_TAG_L, PR_TAG_LI, PR_TAG_LBL, PR_TAG_LBODY, PR_TAG_BLOCKQUOTE,
    PR_TAG_FIGURE, PR_TAG_CAPTION, PR_TAG_TABLE, PR_TAG_TR, PR_TAG_TH, PR_TAG_TD,
    PR_TAG_NOTE, PR_TAG_TOC, PR_TAG_TOCI, PR_TAG_CODE,
    PR_TAG_LINK, PR_TAG_SPAN, /* made by the painter for a line's links and other-language runs */
    PR_TAG_NTYPES
};

/* A story's place in the issue, for the reading order of stories met on
 * one page (after the page they start on): front matter first, then the
 * editorial, the articles in manifest order, ads, fillers. */
#define PR_STORY_COVER (-100)
#define PR_STORY_CONTENTS (-90)
#define PR_STORY_BACK (-80)
#define PR_STORY_EDITORIAL (-2)
#define PR_STORY_AD(i) (1000000 + (i))
#define PR_STORY_FILLER(i) (2000000 + (i))

struct pr_tag {
    enum pr_tag_type type;
    int story;                  /* whose: an article's index or one of PR_STORY_* */
    int seq;                    /* its order in the story (the root: 0) */
    const struct pr_tag *parent; /* NULL: the story's root */
    const char *lang;           /* BCP 47, when other than its parent's (root: the story's) */
    const char *alt;            /* FIGURE: what the picture shows; TH: its scope ("Column") */
    const char *title;          /* the root: the story's title */
    int nseq;                   /* the root: elements made so far (pr_tag_new) */
};

struct pr_box {
    enum pr_box_kind kind;
    const struct pr_tag *tag;   /* the element this box's content belongs to; NULL: an artifact
                                   (RULE and RECT boxes are artifacts whatever their tag) */
    enum pr_role role;
    double x, y, w, h;          /* pt, trim coordinates, y down; LINE: y = baseline */
    const struct pr_text *text; /* LINE */
    int line;                   /* LINE: index into text */
    const char *image;          /* IMAGE: resolved path */
    struct pr_color color;      /* RULE, RECT */
    double alpha;               /* RECT: opacity (1 = opaque) */
    bool bleed;                 /* touches the trim edge: extend into the bleed */
    const char *dest;           /* a named destination at this box */
    const char *link_dest;      /* the whole box links to this destination */
    const char *preview;        /* LINE: the line's text, for dumps */
    bool ad_pdf;                /* AD: image is a PDF */
    int ad_page;                /* AD: its page in that PDF, 1-based */
    const char *alt;            /* AD: what it is (the advertiser), for dumps and alt text */
    double focus_x, focus_y;    /* IMAGE: the point of the picture its frame keeps, 0..1 */
    bool focused;               /* IMAGE: focus set; else the centre */
};

/* What a page that is not an article's holds (struct pr_page's article). */
enum pr_page_kind {
    PR_PAGE_FRONT = -1,     /* cover, contents */
    PR_PAGE_EDITORIAL = -2,
    PR_PAGE_BACK = -3,      /* the back cover (the layout's, or an ad: ad >= 0) */
    PR_PAGE_AD = -4,        /* a full-page ad */
    PR_PAGE_FILLER = -5,    /* a full-page filler */
    PR_PAGE_BLANK = -6,     /* a page the plan could not fill (both PDFs) */
};

struct pr_page {
    int number;                 /* physical page, 1-based */
    const char *folio;          /* printed folio = PDF page label; NULL on the cover */
    int article;                /* index into issue->articles, or one of enum pr_page_kind */
    int ad;                     /* PR_PAGE_AD: index into issue->ads; PR_PAGE_FILLER: into issue->fillers */
    int runs_to;                /* an article's page: the last article with text on it (a
                                   `continue` chain: articles article..runs_to share it) */
    bool padding;               /* a blank page added for binding: print only */
    struct pr_box *boxes;
    int nboxes, cap;
    const char *label;          /* what the page is, for the flatplan: "cover", "contents",
                                   "editorial", an article's id, "blank (binding)", "back cover" */
};

/* How an article fits its pages (the fitter, copyfit.c): over (more copy than its
 * allotted pages hold), under (less), or fit; `lines` and `words` say by
 * how much. An article without `pages:` fits the pages its copy needs. */
enum pr_fit_state { PR_FIT_FIT, PR_FIT_OVER, PR_FIT_UNDER };
struct pr_fit {
    enum pr_fit_state state;
    int lines, words;            /* over or under by */
    int pages, allotted;         /* pages it takes; pages: (0 none) */
};

struct pr_outline {
    const char *title;
    const char *dest;           /* named destination */
    int page;                   /* physical page */
    int level;                  /* 0 = article at top, 1 = section, 2 = article in a section */
};

struct pr_book {
    double page_w, page_h;
    struct pr_page *pages;
    int npages, cap;
    struct pr_outline *outline;
    int noutline, outline_cap;
    int *article_page;          /* physical first page of each article */
    struct pr_fit *article_fit; /* how each article fits its pages (narticles) */
    int editorial_page;         /* 0 if none */
    int toc_passes;             /* times the contents is set: once to count its pages, once
                                   with their numbers (1 with no articles); for the dumps */
    int padding;                /* blank pages added for binding (before the back cover) */
    double bleed;               /* from the layout, for the print back end */
    struct pr_box *slugs;       /* the print slug line of each page (npages; text NULL: none),
                                   known only when every page is: painted last */
    /* pressrun proof only (else NULL / zeroed): the flatplan's title and the
     * label under each page's thumbnail ("3 \xC2\xB7 editorial"), LINE boxes
     * with their baseline's left end at (0, 0) (text NULL: none) */
    struct pr_box flatplan_title;
    struct pr_box *flatplan_labels; /* npages */
};

/* The flatplan's geometry in pixels (out_proof.c draws it; the typesetter
 * sets its title and labels to fit): page thumbnails PR_FLATPLAN_THUMB
 * wide in rows of PR_FLATPLAN_SPREADS spreads PR_FLATPLAN_GAP apart,
 * inside a margin of PR_FLATPLAN_MARGIN; PR_FLATPLAN_W wide in all. */
#define PR_FLATPLAN_THUMB 150.0
#define PR_FLATPLAN_GAP 28.0
#define PR_FLATPLAN_MARGIN 30.0
#define PR_FLATPLAN_SPREADS 4
#define PR_FLATPLAN_W                                                                  \
    ((int)(2 * PR_FLATPLAN_MARGIN + PR_FLATPLAN_SPREADS * (2 * PR_FLATPLAN_THUMB) +    \
           (PR_FLATPLAN_SPREADS - 1) * PR_FLATPLAN_GAP))
#endif

/* model.h - the issue model (manifest + layout) and the document model
 * (article bodies). Data only. Written by the input stages (manifest.c,
 * layoutdef.c, frontmatter.c, markdown.c), read by typesetting and the back
 * ends. Everything is allocated from the build's arena and freed with it;
 * no library object (yaml, cmark, Pango, Cairo) ever appears here. */
#ifndef PR_MODEL_H
#define PR_MODEL_H
#include <stdbool.h>
#include "diag.h"

/* ---------- document model: one article body ---------- */

enum pr_inline_kind {
    PR_IN_TEXT,      /* text: UTF-8, typographic punctuation already applied */
    PR_IN_CODE,      /* text: literal code */
    PR_IN_EMPH,      /* children */
    PR_IN_STRONG,    /* children */
    PR_IN_LINK,      /* children; url */
    PR_IN_SOFTBREAK, /* a line end inside a paragraph: a space */
    PR_IN_LINEBREAK, /* a hard line break */
    PR_IN_NOTEREF,   /* footnote reference: note = 1-based footnote number */
    PR_IN_LANG,      /* children in another language: lang (from <span lang>) */
    PR_IN_STRIKE,    /* children, struck through (~~x~~) */
    PR_IN_FIELD,     /* a ruled fill-in field (a run of 4 or more underscores): note = its
                        length in underscores */
};

struct pr_inline {
    enum pr_inline_kind kind;
    const char *text;          /* TEXT, CODE */
    const char *url;           /* LINK */
    const char *lang;          /* LANG */
    int note;                  /* NOTEREF; FIELD: length in underscores */
    struct pr_inline *children; /* EMPH, STRONG, LINK, LANG */
    struct pr_inline *next;
};

enum pr_block_kind {
    PR_BLK_PARA,      /* inlines */
    PR_BLK_HEADING,   /* inlines, level 1..3 */
    PR_BLK_QUOTE,     /* children */
    PR_BLK_PULLQUOTE, /* children (paragraphs) */
    PR_BLK_LIST,      /* children = ITEMs; ordered, start, tight */
    PR_BLK_ITEM,      /* children */
    PR_BLK_IMAGE,     /* src, path, alt, caption */
    PR_BLK_RULE,      /* thematic break */
    PR_BLK_CODE,      /* text: literal lines */
    PR_BLK_SIDEBAR,   /* children; text: its title (NULL if none) -- a fenced div
                         `::: sidebar Title` */
    PR_BLK_VERSE,     /* children: its stanzas (PARAs, a line break between lines)
                         -- `::: verse`, or a whole `kind: poem` article */
    PR_BLK_TABLE,     /* a GFM pipe table: rows x cols cells, row 0 the header; inlines =
                         its caption (a paragraph `Table: ...` after it), NULL if none */
};

/* A table column's alignment, from the delimiter row (`:--`, `:-:`, `--:`). */
enum pr_cell_align { PR_CELL_NONE, PR_CELL_LEFT, PR_CELL_CENTER, PR_CELL_RIGHT };

enum pr_dir { PR_DIR_LTR = 0, PR_DIR_RTL = 1 };

/* How a picture is placed: a lead image's `image:` mapping, a figure's
 * {width=... crop=... focus=... credit=...} attributes. */
enum pr_pic_width {
    PR_PW_AUTO,     /* the layout's choice: the frame follows the picture */
    PR_PW_COLUMN,   /* one column */
    PR_PW_COLUMNS,  /* `columns` columns */
    PR_PW_PAGE,     /* the type area's width */
    PR_PW_SPREAD,   /* across the spread: the page's width, to the bleed */
    PR_PW_SHARE,    /* `share` of the column (a figure) or the type area (a lead image) */
};
struct pr_placing {
    enum pr_pic_width width;
    int columns;                /* PR_PW_COLUMNS */
    double share;               /* PR_PW_SHARE, 0..1 */
    double crop;                /* the frame's width / height; 0: the picture's own shape */
    double focus_x, focus_y;    /* the point a crop keeps, 0..1 from the top left */
    bool focus_set;             /* else the centre */
    const char *credit;         /* "Photo: Lee Park", set with the picture */
};

struct pr_block {
    enum pr_block_kind kind;
    struct pr_pos pos;          /* where the block starts in the .md file */
    int level;                  /* HEADING */
    bool ordered, tight;        /* LIST */
    int start;                  /* LIST: first number of an ordered list */
    struct pr_inline *inlines;  /* PARA, HEADING */
    struct pr_block *children;  /* QUOTE, PULLQUOTE, LIST, ITEM */
    const char *src;            /* IMAGE: path as written */
    const char *path;           /* IMAGE: resolved path (relative to cwd), NULL if missing */
    const char *alt;            /* IMAGE: alt text ("" if none) */
    const char *caption;        /* IMAGE: title, used as caption; NULL if none */
    struct pr_placing place;    /* IMAGE: its {...} attributes */
    const char *text;           /* CODE; SIDEBAR: its title */
    const char *lang;           /* language of this block if it differs from the article's, else NULL */
    enum pr_dir dir;            /* PARA, HEADING: from the first strong character */
    bool signature;             /* PARA: a department item's closing "— Name, Place" */
    bool fields;                /* PARA: holds a fill-in field (set ragged, its lines as written) */
    int rows, cols;             /* TABLE: rows (the header included) and columns, both >= 1 */
    struct pr_inline **cells;   /* TABLE: rows * cols, row by row (NULL: an empty cell) */
    enum pr_cell_align *align;  /* TABLE: cols */
    bool *numeric;              /* TABLE: cols: every body cell a number (or empty, or a dash) */
    struct pr_block *next;
};

struct pr_footnote {
    int number;                 /* 1-based, in order of first reference */
    const char *label;          /* as written: [^label] */
    struct pr_pos pos;
    struct pr_block *blocks;
};

struct pr_doc {
    struct pr_block *blocks;
    struct pr_footnote *notes;  /* array of nnotes, index = number - 1 */
    int nnotes;
    long words;                 /* word count of the body (for stats) */
};

/* ---------- layout ---------- */

struct pr_color {
    double r, g, b; /* 0..1, sRGB */
};

struct pr_font {
    const char *family;         /* fontconfig family name */
    double size, leading;       /* pt */
    int weight;                 /* 400 regular, 700 bold, ... */
    bool italic;
    bool caps;                  /* set in capitals (labels, running heads) */
    double tracking;            /* letter spacing, in 1/1000 em */
    struct pr_color color;
};

enum pr_binding { PR_BIND_SADDLE, PR_BIND_PERFECT, PR_BIND_NONE };

/* The fitter's levers (layout `copyfit: order:`), tried in that order. */
enum pr_lever { PR_LEVER_IMAGES, PR_LEVER_PULLQUOTES, PR_LEVER_FILLERS, PR_LEVER_LOOSENESS, PR_LEVER_SINK,
               PR_LEVER_N };

/* The looseness lever's limit: a paragraph set at most this many lines
 * shorter or longer than its optimum. */
#define PR_LOOSENESS_MAX 3

/* How the fitter may change an article to fill its pages (layout
 * `copyfit:`): each lever within its limits. */
struct pr_copyfit {
    enum pr_lever order[PR_LEVER_N];
    int norder;
    double tail;                /* a last page filled less than this is a stranded tail */
    double image_min, image_max; /* the lead image's height, times the layout's */
    int pullquotes;             /* most pull quotes the fitter adds to one article */
    bool pullquotes_from_text;  /* with no candidates left, it may pull sentences from the text */
    double sink;                /* most white space above a text opener's title (the sink lever),
                                   as a share of the type area's height */
    int looseness;              /* most lines a paragraph is set shorter or longer (TeX's
                                   \looseness; 0..PR_LOOSENESS_MAX, 0: never) */
};
enum pr_composer { PR_COMPOSER_TOTAL_FIT, PR_COMPOSER_GREEDY };

/* How tables are ruled (layout `table: rules:`): booktabs (a heavy rule
 * above the header and below the last row, a light one under the
 * header), rows (booktabs and a hairline between rows), grid (every cell
 * boxed), none. */
enum pr_table_rules { PR_TRULES_BOOKTABS, PR_TRULES_ROWS, PR_TRULES_GRID, PR_TRULES_NONE };
struct pr_table_style {
    enum pr_table_rules rules;
    double rule;                /* a light rule's weight, pt; heavy rules are twice it */
    bool stripes;               /* every other body row tinted with the accent */
};

struct pr_layout {
    const char *name;           /* "magazine" or the file's stem */
    const char *path;           /* file it was read from */
    double page_w, page_h;      /* trim size, pt */
    double margin_top, margin_bottom, margin_inner, margin_outer;
    double bleed;
    bool marks;
    enum pr_binding binding;
    int columns;
    double gutter;
    double baseline;            /* baseline grid, pt; body leading */
    double para_indent;         /* first-line indent of body paragraphs, pt */
    struct pr_font credit;      /* a picture's credit line ("Photo: Lee Park") */
    struct pr_font body, heading, title, deck, byline, caption, label,
        running_head, folio, pullquote, footnote, masthead, code, toc, table;
    struct pr_table_style table_style;
    struct pr_color accent, rule;
    bool drop_cap;
    enum pr_composer composer;
    double tolerance;
    /* total-fit letter spacing: how far each letter gap of a justified line
     * may shrink / stretch, in 1/1000 em (0 0: word spaces only) */
    int letter_shrink, letter_stretch;
    int letter_bold;            /* ... at most this much either way in bold (weight >= 600) faces */
    int expand_shrink, expand_stretch; /* glyph width, 1/1000 (font expansion) */
    int hyphen_penalty;
    int hyphen_min_before, hyphen_min_after;
    bool hyphenate_capitalized;
    bool hyphen_last_line;      /* allow a hyphen on the last line of a column */
    const char **hyph_exceptions; /* `hyphenation: exceptions:` ("Ka-zakh-stan", checked) */
    int nhyph_exceptions;
    bool optical_margins;
    bool ragged;                /* `align: ragged`: body text set ragged, not justified */
    double ragged_below;        /* em: justified text on a narrower measure is set ragged */
    bool kashida;               /* justified Arabic elongated with tatweels (kashida.c) */
    bool barcode;               /* the newsstand EAN-13 (from the masthead's ISSN) on the cover */
    /* font folders searched before the bundled fonts: the issue's own
     * fonts/, then the layout's `fonts: {path: ...}` */
#define PR_MAX_FONT_DIRS 8
    const char *font_dirs[PR_MAX_FONT_DIRS];
    int nfont_dirs;
    bool run_in;                /* a department item's heading runs into its first paragraph */
    struct pr_copyfit copyfit;
    /* which parts a page shows */
    bool show_running_head, show_folio, show_section_label, show_cover, show_toc;
};

/* ---------- issue model ---------- */

/* ---------- the page plan (flatplan) ---------- */

/* Where an article begins: on the next page (default), on a right-hand
 * (odd) page, on a left-hand page so that it opens across a spread, or run
 * on right after the article before it (departments: letters, briefs). */
enum pr_start { PR_START_PAGE, PR_START_RIGHT, PR_START_SPREAD, PR_START_CONTINUE };

/* An ad's or filler's size: the whole page (with its bleed) or a share of
 * the type area; the layout's `ads:` section gives each its geometry. */
enum pr_ad_size { PR_AD_FULL, PR_AD_HALF, PR_AD_HALF_V, PR_AD_THIRD, PR_AD_THIRD_V,
                  PR_AD_QUARTER, PR_AD_NSIZES };

/* Where an ad goes. */
enum pr_ad_at { PR_AT_ANY, PR_AT_IFC, PR_AT_IBC, PR_AT_BACK_COVER, PR_AT_PAGE,
                PR_AT_AFTER, PR_AT_FACING };

/* What a supplied file is. */
enum pr_asset_kind { PR_ASSET_PDF, PR_ASSET_IMAGE, PR_ASSET_MARKDOWN };

struct pr_article;

/* A supplied advertisement (`ads:`) or a house ad / short item the fitter
 * may use once (`fillers:`). */
struct pr_ad {
    const char *file;           /* as written */
    const char *path;           /* resolved (relative to cwd); NULL if missing */
    struct pr_pos pos;          /* the entry */
    struct pr_pos file_pos;     /* where `file:` is written */
    enum pr_asset_kind kind;
    int src_page;               /* PDF: 1-based page of the file */
    const char *name;           /* advertiser / item name: alt text, ad index */
    enum pr_ad_size size;
    enum pr_ad_at at;           /* ads only; fillers: PR_AT_ANY */
    struct pr_pos at_pos;       /* where `at:` is written (the entry when it is not) */
    int at_page;                /* PR_AT_PAGE: the physical page */
    const char *at_article;     /* PR_AT_AFTER, PR_AT_FACING: the article's id */
    int at_index;               /* ... its index in issue->articles (-1: unknown) */
    bool epub;                  /* also an image page in the EPUB */
    bool filler;
    struct pr_article *item;    /* MARKDOWN filler: set as a boxed item */
};

struct pr_article {
    const char *file;           /* path as written in the manifest */
    const char *path;           /* resolved path (relative to cwd) */
    struct pr_pos pos;          /* the manifest entry (or the editorial key) */
    const char *id;             /* stable identifier: file stem, unique in the issue */
    const char *title, *deck, *section, *translator, *note, *date;
    const char *byline;         /* printed as given instead of "By <authors>" */
    const char *kicker;         /* a small line above the title */
    const char *bio;            /* about the author, set at the article's end after an end mark */
    const char **authors;       /* nauthors strings */
    int nauthors;
    const char *image, *image_path, *caption, *image_alt;
    struct pr_pos image_pos;
    struct pr_placing image_place; /* the lead image's width, crop, focus and credit */
    const char *language;       /* BCP 47; the issue's when not set */
    bool editorial;
    /* body source after the front matter, and where it starts in the file;
     * source is the file's text (pr_file_read), which markdown.c gives back
     * to the arena once the body is parsed (body is NULL then) */
    const char *source;
    const char *body;
    long body_len;
    int body_line;              /* 1-based line of body[0] in the file */
    struct pr_doc *doc;         /* filled by markdown.c */
    /* the page plan */
    int pages;                  /* pages allotted (0: what the copy needs) */
    struct pr_pos pages_pos;
    enum pr_start start;
    int columns;                /* 0: the layout's */
    int drop_cap;               /* 0: the layout's, 1 on, -1 off */
    bool poem;                  /* `kind: poem`: the body is verse */
    bool department;            /* `kind: department`: its headings start short items (letters,
                                   briefs), each item's closing "— Name" its signature */
    const char **pullquotes;    /* candidates the fitter may pull out */
    int npullquotes;
};

/* The staff box and colophon (the manifest's `masthead:`), set on the
 * contents page. */
struct pr_staff {
    const char *role;
    const char **names;
    int nnames;
};
struct pr_masthead {
    struct pr_staff *staff;
    int nstaff;
    const char *address, *email, *web, *issn, *colophon;
    struct pr_pos pos;
};

struct pr_issue {
    const char *manifest_path;  /* as given / resolved to the yaml file */
    const char *dir;            /* folder holding the manifest */
    const char *title, *issue, *date, *slug, *language, *publisher;
    const char *layout_name;
    struct pr_pos layout_pos;
    int volume, number;         /* 0 = not given */
    const char *cover_image, *cover_image_path;
    struct pr_pos cover_image_pos;
    const char **cover_lines;
    int ncover_lines;
    struct pr_article *editorial; /* NULL if none */
    struct pr_article *articles;  /* narticles */
    int narticles;
    struct pr_ad *ads;            /* nads supplied advertisements */
    int nads;
    struct pr_ad *fillers;        /* nfillers house ads and short items */
    int nfillers;
    struct pr_masthead *masthead; /* NULL if none */
    struct pr_layout layout;
    const char **hyph_exceptions; /* hyphenation.txt beside the manifest (checked); */
    int nhyph_exceptions;         /* they override the layout's for the same word */
};
#endif

/* typeset.h - the typesetter's shared interface (fonts.c, the paragraph
 * files para.c/compose.c/parabreak.c/lineset.c, flow.c, setbox.c, toc.c and
 * the page stage behind pages.h). The typeset text it makes is text.h's,
 * which paint.c and stats.c read. Pango lives in the typesetter, text.h and
 * paint.c. The typesetter reads the issue model and writes the page model
 * (book.h); build.c runs it. */
#ifndef PR_TYPESET_H
#define PR_TYPESET_H
#include <pango/pangocairo.h>
#include "book.h"
#include "build.h"
#include "words.h"
#include "text.h"

struct pr_hyph;
struct pr_hyph_exc;

/* ---------- typesetter context ---------- */

struct pr_typeset {
    struct pr_build *b;
    const struct pr_issue *issue;
    const struct pr_layout *L;
    PangoFontMap *fontmap;
    PangoContext *ctx;
    struct pr_hyph *hyph;
    struct pr_hyph_exc *hyph_exc; /* the layout's and the issue's exceptions; NULL: none */
    struct pr_text **texts;      /* the texts made outside galleys (cover, contents, slugs,
                                    flatplan), freed by pr_typeset_free; while a galley is set
                                    or paged this list is the galley's (pages.h) */
    int ntexts, texts_cap;
    struct pr_book *book;
    const char **warned_langs;   /* languages already warned about (no dictionary) */
    int nwarned, warned_cap;
    PangoFontMap **more_fontmaps; /* the worker threads' (their fonts set some lines) */
    int nmore, nmore_cap;
    bool retain;                 /* keep every page's boxes and texts (dumps, stats, PNGs, offprints) */
    struct pr_galley *galleys;   /* the issue's galleys (those still owning anything are freed */
    int ngalleys;                /* by pr_typeset_free) */
    const char *cur_file;        /* for glyph diagnostics */
    struct pr_pos cur_pos;
    long missing_glyphs, overflow_lines, lines;
    struct pr_wordcache *words;  /* this thread's shaped words (wordshape.c); NULL: none yet */
    struct pr_itemcache *items;  /* this thread's fonts for letters (paraitems.c); NULL: none yet */
};

/* wordshape.c: free a typesetting thread's shaped words (NULL: none). */
void pr_wordcache_free(struct pr_wordcache *wc);
/* paraitems.c: free what a typesetting thread knows of its fonts (NULL: nothing). */
void pr_itemcache_free(struct pr_itemcache *ic);

/* fonts.c: a private fontconfig configuration over <datadir>/fonts, so the
 * output never depends on the machine's fonts. Returns NULL (and reports
 * PR_D_FONT) when the folder holds no fonts. */
PangoFontMap *pr_fonts_new(struct pr_build *b, int slot);
/* The bundled fonts' names, sizes and times (g_free it): a change of a font
 * changes it. */
char *pr_fonts_signature(struct pr_build *b);
/* Font maps kept between builds: one per typesetting thread (slot). */
#define PR_FONTS_SLOTS 4
/* A font description for a layout font, with the bundled fallbacks (Arabic,
 * symbols) appended to its family list. Caller frees. */
PangoFontDescription *pr_fonts_desc(const struct pr_font *f, double scale);

/* ---------- typeset text (para.c) ---------- */

/* Setting paragraphs into lines: para.c (the entry points, the text
 * builder), parabreak.c (Pango's breaker), compose.c (the total-fit
 * composer), lineset.c (spacing a line). What they make, struct pr_text, and
 * its read-only accessors are in text.h; paint.c draws it. */

enum pr_align { PR_ALIGN_JUSTIFY, PR_ALIGN_LEFT, PR_ALIGN_CENTER, PR_ALIGN_RIGHT };

struct pr_textopts {
    const struct pr_font *font;
    double width;                /* measure, pt */
    enum pr_align align;
    const char *lang;            /* BCP 47 */
    bool hyphenate;
    double indent;               /* first-line indent, pt */
    enum pr_dir dir;
    double hang_width;           /* the first hang_lines lines are narrower by */
    int hang_lines;              /* this much (drop cap), indented at the start */
    double scale;                /* font size factor (1 = as the font says) */
    bool italic_flip;            /* emphasis inside italic text turns roman */
    const char *link_dest;       /* whole text links here (TOC) */
    const char *note_prefix;     /* footnote references link to "<prefix><n>" */
    struct pr_color *color;      /* overrides the font's colour when set */
    int looseness;               /* TeX's \looseness: lines more (+) or fewer (-) than the
                                    optimum, when the total-fit composer can (0: the optimum) */
    bool figures;                /* tabular lining figures throughout (table cells) */
    bool balance;                /* display lines (titles, decks, pull quotes, captions, cover
                                    lines): ragged text broken into lines of about the same
                                    length, as CSS's text-wrap: balance; never hyphenated */
};

/* Remember that the typesetter warned about `lang` (no hyphenation
 * dictionary); true when it already had. */
bool pr_warned_lang(struct pr_typeset *ts, const char *lang);

/* Set inlines / plain text into lines. Never NULL; an empty input gives
 * zero lines. The text goes to ts->texts: while pages.c sets a galley that
 * is the galley's list (freed once its pages are painted, unless
 * ts->retain), else ts's own (freed by pr_typeset_free). */
struct pr_text *pr_text_inlines(struct pr_typeset *ts, const struct pr_inline *in,
                                const struct pr_textopts *o);
struct pr_text *pr_text_plain(struct pr_typeset *ts, const char *s, const struct pr_textopts *o);
/* The plain text of inlines (no markup), in the arena. */
char *pr_inlines_plain(struct pr_arena *a, const struct pr_inline *in);
/* lineset.c: free the glyphs of a text's lines, keeping their geometry and figures
 * (check, which paints nothing). */
void pr_text_drop_glyphs(struct pr_text *t);
/* Free a text and everything it owns. */
void pr_text_free(struct pr_text *t);

/* shapecache.c: typeset paragraphs kept between the builds of one process
 * (pressrun watch). A build calls begin with a signature of what every
 * paragraph depends on (manifest, layout, fonts; a different one empties the
 * cache) and end when typesetting is done (entries it did not use go).
 * Between the two, para.c gets a paragraph's lines by a key of its text and
 * options (copies: the text owns them) or puts them. Off outside begin/end. */
void pr_shapecache_begin(const char *signature);
void pr_shapecache_end(long *hits, long *misses);
void pr_shapecache_free(void);
bool pr_shapecache_on(void);
bool pr_shapecache_get(GBytes *key, struct pr_text *t);
void pr_shapecache_put(GBytes *key, const struct pr_text *t);

/* ---------- flow (flow.c) ---------- */

enum pr_item_kind { PR_IT_LINE, PR_IT_SPACE, PR_IT_FLOAT, PR_IT_RULE, PR_IT_BLOCK, PR_IT_SPAN };

/* One thing to flow into columns. A LINE is a typeset line (or several
 * boxes attached to it: list markers, drop caps); a FLOAT is a figure or a
 * pull quote that moves to the top of the next column when it does not fit;
 * a BLOCK is boxes that stay in the flow like a line, off the grid (a
 * table's row); a SPAN is boxes across all the columns, set at the top of
 * the page (this one while nothing is on it yet, else the next): a table
 * too wide for a column. */
struct pr_item {
    enum pr_item_kind kind;
    double height;               /* advance down the column, pt */
    double ascent;               /* LINE: baseline below the item's top */
    bool grid;                   /* LINE: snap the baseline to the baseline grid */
    bool break_before;           /* a column may end before this item */
    const struct pr_tag *tag;    /* LINE: the element the line is part of (NULL: an artifact) */
    bool break_soft;             /* ... or could, but only after a hyphenated line
                                    (used when balancing finds nothing better) */
    double x;                    /* offset from the column's left edge */
    enum pr_role role;
    const struct pr_text *text;  /* LINE */
    int line;
    /* boxes drawn with this item, relative to its top-left (figures, markers) */
    struct pr_box *boxes;
    int nboxes;
    const char *dest;            /* a destination anchored here */
    /* a FLOAT figure the fitter scaled: its picture's height, its own
     * height, the picture's width and x as set (0: untouched) */
    double fig_h, fig_height, fig_w, fig_x;
    const char *quote;           /* a FLOAT pull quote the fitter added: its text */
    /* BLOCK: the rows of one table share a tag (0: not a table's); its
     * header row, marked head, is drawn again above the first row of each
     * column the table breaks into, and the last row before a break gets
     * the table's closing rule */
    int table;
    bool head;
    double width;                /* BLOCK: how wide the table is (its rule when it breaks) */
};

struct pr_items {
    struct pr_item *v;
    int n, cap;
};

/* Where an item landed: page offset from the article's first page, column,
 * and the item's top y on that page (trim coordinates). */
struct pr_place {
    int page, col;
    double y;
    int repeat;                  /* a table row at the top of a column: 1 + the index of its
                                    header row, drawn again right above it (0: none) */
};

struct pr_frame {
    int columns;
    double col_w, gutter;
    double top, bottom;          /* column area of a full page */
    double first_top;            /* column top on the first page (below the opener) */
    double grid_origin;          /* the baseline grid: baselines at origin + k * baseline */
    double baseline;
    bool balance;                /* balance the columns of the last page */
    bool soft_breaks;            /* columns may end at break_soft items too */
    double band_h;               /* a band this tall kept free at the foot of page band_page, */
    int band_page;               /* across every column (a fractional ad spanning them); 0 h: none */
    double col_top[16];          /* a column of the first page that starts elsewhere than
                                    first_top (beside a lead image narrower than the page); 0: none */
};

/* Where column col of page `page` (of a galley) starts. */
static inline double pr_frame_top(const struct pr_frame *fr, int page, int col)
{
    if (page > 0)
        return fr->top;
    return col >= 0 && col < 16 && fr->col_top[col] > 0 ? fr->col_top[col] : fr->first_top;
}

/* Flow items into columns; fills place[i] for every item. Returns the
 * number of pages used (at least 1). Deterministic; never fails. */
int pr_flow_run(const struct pr_frame *fr, const struct pr_items *it, struct pr_place *place);
/* Empty the balanced last pages flow.c keeps between a process's builds. */
void pr_flow_caches_free(void);
struct pr_item *pr_items_push(struct pr_arena *a, struct pr_items *it);
/* The widow/orphan rule, as pages.c sets it on line i of an n-line
 * paragraph: a column may end before the line (break_before) only with at
 * least two of the paragraph's lines on each side and i >= keep_lines (a
 * drop cap's first lines, every line of a heading, stay together); not
 * after a hyphenated line (after_hyphen) unless the layout allows a hyphen
 * on a column's last line (hyphen_last_line), there only as a last resort
 * (break_soft, which balancing may use). Sets both flags when i > 0; the
 * first line's break (keep-with-next) is left as it is. */
void pr_flow_line_breaks(struct pr_item *it, int i, int n, int keep_lines, bool after_hyphen,
                         bool hyphen_last_line);

/* ---------- tables (table.c) ---------- */

/* A GFM table (PR_BLK_TABLE) as flow items appended to `items` (in arena
 * A): in a column x..x+w when its columns fit there, else across the text
 * area of frame fr (SPAN items, split where a page is full, each with the
 * header), its cells wrapped when even that is too narrow (PR_D_TABLE).
 * In a column, its caption and header stay with its first row, each row
 * is a BLOCK the columns may break before, and the flow repeats the
 * header. keep: the table stays with the item before it; note_prefix:
 * footnote references link to "<prefix><n>" (NULL: they do not link).
 * parent: the element the table goes in (NULL: untagged). */
void pr_table_set(struct pr_typeset *ts, struct pr_arena *A, struct pr_items *items, const struct pr_block *tb,
                  const struct pr_frame *fr, const char *lang, const char *note_prefix, double x, double w,
                  bool keep, const struct pr_tag *parent);

/* ---------- pages (pages.c) and table of contents (toc.c) ---------- */

/* A list of boxes being set, and the arena it grows in (the build's, or a
 * galley's while the galley owns it). */
struct pr_boxes {
    struct pr_arena *arena;
    struct pr_box *v;
    int n, cap;
    const struct pr_tag *tag;    /* the element the boxes added belong to (pr_push_box,
                                    pr_add_lines, pr_put_box); NULL: artifacts */
};

/* tags.c: the logical structure (book.h's struct pr_tag), in arena A. A
 * story's root element; an element in `parent` (its story's next seq;
 * NULL, and no element, when parent is NULL: what is set untagged). */
struct pr_tag *pr_tag_story(struct pr_arena *A, enum pr_tag_type type, int story, const char *title,
                            const char *lang);
struct pr_tag *pr_tag_new(struct pr_arena *A, const struct pr_tag *parent, enum pr_tag_type type);
/* The heading element for a heading of `level` (1 = H2: an article's title
 * is its H1) under `parent`, never more than one level below the heading
 * before it (*last, its level; 1 after the title): no level is skipped,
 * whatever levels the author used. */
struct pr_tag *pr_tag_heading(struct pr_arena *A, const struct pr_tag *parent, int level, int *last);
/* The story of a supplied ad or a filler of issue `is`: a Sect holding
 * its picture (an Art for a Markdown short item). */
struct pr_tag *pr_tag_ad_story(struct pr_arena *A, const struct pr_issue *is, const struct pr_ad *ad);

/* An article set as a galley: opener boxes for its first page plus its
 * flowed items; page numbers are assigned later. Coordinates are relative
 * to the text area's left edge (x) and the trim top (y). */
struct pr_galley {
    int article;                 /* index, or -2 for the editorial */
    const struct pr_article *art;
    struct pr_tag *tag;          /* the article in the logical structure (its story's root) */
    int hlast;                   /* the level of its last heading so far (pr_tag_heading) */
    /* what the galley owns, freed once its pages are painted (unless the
     * build keeps the whole book): an arena for its items, boxes and
     * strings (and its pages' boxes), and the texts set for it */
    struct pr_arena *arena;
    struct pr_text **texts;
    int ntexts, texts_cap;
    int columns;                 /* the article's columns (its `columns:`, else the layout's;
                                    a `continue` article takes its host's) */
    struct pr_frame frame;       /* the columns it flows into */
    struct pr_boxes opener;      /* boxes on the first page (none for a `continue` article:
                                   its title, deck and byline are items in the flow) */
    struct pr_items items;
    struct pr_place *place;
    int npages;
    /* a `continue` article runs on in its host's flow: host is the galley
     * index (in the issue's galleys) whose items hold its items from
     * chain_from on, and its npages is 0; -1 when it has pages of its own */
    int host, chain_from;
    int *page_no;                /* the physical page number of each of its pages */
    double image_scale;          /* the lead image's height, times the layout's (0: 1; the fitter's) */
    double sink;                 /* white space above the opener's first line (the fitter's) */
    const struct pr_ad *band_ad; /* a fractional ad across the columns at the foot of page
                                    frame.band_page (the fitter's); its height frame.band_h */
    struct pr_fit fit;           /* what the fitter did and how it came out */
    /* its body paragraphs set by the total-fit composer, as set (galley.c),
     * for the looseness lever (pr_galley_set_para); in its arena */
    struct pr_galley_para *paras;
    int nparas, paras_cap;
};

struct pr_toc_entry {
    const char *section;
    const char *title, *byline, *dest;
    int page;                    /* folio */
};

/* toc.c: set the table of contents, one box list per page (boxes relative
 * to the text area's left edge; the lists grow in ts->b->arena), on at
 * most max_pages pages; returns how many it needs. */
int pr_toc_set(struct pr_typeset *ts, const struct pr_toc_entry *e, int n,
               struct pr_boxes *pages, int max_pages);

/* setbox.c: geometry and box setting, shared by the galleys, the page
 * furniture and the contents. */
/* Width of the text area, of one column, and the text area's left edge on
 * page `page` (1-based; odd pages have the inner margin on the left). */
double pr_text_w(const struct pr_layout *L);
double pr_col_w(const struct pr_layout *L);
double pr_text_x(const struct pr_layout *L, int page);
/* Baseline below the top of a line of font f (half-leading model). */
double pr_ascent_of(const struct pr_font *f, double scale);
struct pr_textopts pr_topts(struct pr_typeset *ts, const struct pr_font *f, double width,
                            enum pr_align align, const char *lang);
/* A page's boxes as a list growing in arena `a`, and back onto the page
 * (struct pr_page keeps its own fields, which the back ends read). */
struct pr_boxes pr_page_boxes(struct pr_arena *a, const struct pr_page *pg);
void pr_page_set_boxes(struct pr_page *pg, const struct pr_boxes *bx);
/* Append a zeroed box (of the list's element, bx->tag). */
struct pr_box *pr_push_box(struct pr_boxes *bx);
/* Append `box`; of the list's element when it has none of its own. */
struct pr_box *pr_put_box(struct pr_boxes *bx, struct pr_box box);
/* A horizontal rule `thick` pt thick, centred on y. */
struct pr_box *pr_add_rule(struct pr_boxes *bx, double x, double y, double w, double thick,
                           struct pr_color color);
/* A supplied ad's or filler's file in the slot x, y, w, h (PR_BOX_AD); in
 * the structure a Figure of the list's element, its name the alt text. */
struct pr_box *pr_add_ad(struct pr_boxes *bx, const struct pr_ad *ad, double x, double y, double w, double h);
/* Add t's lines as LINE boxes, the first line's top at `top`; returns the
 * top of the next line. */
double pr_add_lines(struct pr_typeset *ts, struct pr_boxes *bx, const struct pr_text *t, double x,
                    double top, enum pr_role role, double scale, const struct pr_font *f);
/* A LINE box for one line of t, its baseline at `baseline`. With
 * --dump=layout its preview text is allocated in ts->b->arena. */
struct pr_box pr_line_box(struct pr_typeset *ts, const struct pr_text *t, int line, double x,
                          double baseline, enum pr_role role);
/* Preflight for print: warn when an image placed w x h pt prints below
 * 300 ppi (PR_D_IMAGE_RES) or 150 ppi (PR_D_IMAGE_LOWRES). */
struct pr_image_info;
void pr_check_resolution(struct pr_typeset *ts, const char *path, const struct pr_image_info *info,
                         double w, double h, struct pr_pos pos);

/* Where pr_pages_run hands the pages it has finished (build.c's back
 * ends). `pages` lists indices into ts->book->pages, in the order they are
 * to be painted: the cover and the articles' pages as each batch of
 * articles is set, then the padding and the back cover, and last the
 * contents pages (2, 3, ... in the book), which need every page number.
 * Once wait has returned, the pages' boxes and the texts they show may go
 * (unless ts->retain is set). The print slug lines (ts->book->slugs) are
 * final only after pr_pages_run returns. */
struct pr_page_sink {
    /* Paint these pages: may return at once and paint them beside the
     * typesetting of the next batch (which then neither frees them nor
     * adds pages to the book until wait returns). */
    void (*pages)(void *ctx, struct pr_typeset *ts, const int *pages, int n);
    /* Return when every page handed over is painted. */
    void (*wait)(void *ctx);
    void *ctx;
};

/* pages.c: typeset the whole issue into ts->book, a batch of articles at a
 * time, handing each batch's pages to sink (which may be NULL). */
void pr_pages_run(struct pr_typeset *ts, const struct pr_page_sink *sink);

/* workers.c: the typesetter of a build, and its end (after the back ends
 * ran: frees the texts and galleys it still owns). */
struct pr_typeset *pr_typeset_new(struct pr_build *b, const struct pr_issue *issue);
void pr_typeset_free(struct pr_typeset *ts);
#endif

/* markdown_int.h - what the pieces of the Markdown reader share: one
 * article's conversion state (struct conv) and the builder's frame stack
 * (markdown_tree.c), and the block (markdown_block.c), inline
 * (markdown_inline.c), image (markdown_image.c) and footnote
 * (markdown_notes.c) steps the walk over cmark's tree (markdown.c) calls.
 * Private to the markdown*.c files, the only ones that include cmark-gfm. */
#ifndef PR_MARKDOWN_INT_H
#define PR_MARKDOWN_INT_H
#include <cmark-gfm.h>
#include <stdbool.h>
#include <stddef.h>
#include "input.h"

/* Quotes, pull quotes and lists nest at most this deep, and so do emphasis,
 * links and language spans; deeper structure is flattened into the level
 * above (one PR_D_LIMIT per article), so every later stage may recurse. */
#define MAX_DEPTH 32

/* VALIDATE_UTF8 only guards against bytes the reader did not already replace. */
#define MD_OPTIONS (CMARK_OPT_SMART | CMARK_OPT_FOOTNOTES | CMARK_OPT_SOURCEPOS | CMARK_OPT_VALIDATE_UTF8)

struct buf {
    char *p;
    size_t n, cap;
};

/* One article being converted. */
struct conv {
    struct pr_input *in;
    const struct pr_issue *issue; /* its dir holds the images (unless in->allow_outside) */
    struct pr_article *art;
    struct pr_arena *A;
    struct pr_doc *doc;
    const char *src;      /* the body */
    long len;
    long *lines;          /* byte offset of each body line; nlines + 1 entries */
    int nlines;
    const char *dir;      /* the article's folder: images are relative to it */
    int defs_seen;        /* footnote definitions converted so far */
    bool limit_reported;
};

/* How a frame treats what is entered below it. */
enum fmode {
    F_BLOCKS,  /* block nodes become pr_blocks */
    F_INLINES, /* inline nodes become pr_inlines */
    F_ALT,     /* everything is plain text for an image's alt */
};

/* The walk keeps one frame per open cmark container (plus one per open
 * <span>). A frame that builds something owns a list (btail or itail);
 * a pass-through frame (a flattened quote, a list inside a pull quote, a
 * <span> without lang) sends its content to its `owner`, a frame below it. */
struct frame {
    cmark_node *node;        /* cmark node that opened the frame; NULL for <span> */
    enum fmode mode;
    int owner;               /* index of the frame whose list receives content */
    int dest;                /* PARA/HEADING: owner index the finished block goes to */
    struct pr_block **btail; /* F_BLOCKS owners: where the next block goes */
    struct pr_inline **itail; /* F_INLINES owners: where the next inline goes */
    struct pr_block *blk;    /* PARA/HEADING being built, or the IMAGE (F_ALT) */
    bool span, flat, pull;   /* opened by <span>; flattened list; inside a pull quote */
    int bdepth, idepth;      /* quotes/lists and inline containers above */
};

struct walk {
    struct conv *c;
    struct frame *st;
    int n, cap;
    int line_off, col_off; /* cmark position + offset = position in the body */
    const char *fenced;    /* the body of a ```pullquote block or a fenced div: which */
    /* the paragraph or heading being built */
    struct pr_block *para;
    struct pr_block *images, **images_tail; /* images split out of it */
    bool para_content, dir_known, in_word;
    bool trim_next; /* an image was taken out of the text: no double blank */
    /* text waiting to become one TEXT inline of frame pend_owner */
    struct buf pend;
    int pend_owner;
    struct buf alt; /* alt text of the image being read */
    struct pr_block *attr_img; /* the image just read: {...} attributes may follow */
    struct buf attr;           /* its attributes as read so far */
    /* the table being read (its rows and cells are frames of their own) */
    struct pr_block *table;
    int trow, tcol;
    struct pr_block *last_table; /* a paragraph `Table: ...` right after it is its caption */
    const char *task_mark; /* a task list item's "[ ] " for its first paragraph */
};

/* The nodes of cmark-gfm's extensions, whose types are numbers made at run
 * time: known by their names. */
enum md_ext { MD_EXT_NONE, MD_EXT_TABLE, MD_EXT_ROW, MD_EXT_CELL, MD_EXT_STRIKE, MD_EXT_TASK };

/* ---- markdown_tree.c: the builder's state; calls no other markdown file ---- */
void md_buf_add(struct buf *b, const char *s, size_t n);
enum md_ext md_ext_kind(cmark_node *n);

/* positions and source lookups */
void md_index_lines(struct conv *c);
struct pr_pos md_body_pos(struct conv *c, int bline, int col);
int md_node_bline(struct walk *w, cmark_node *n);
int md_node_col(struct walk *w, cmark_node *n);
struct pr_pos md_node_pos(struct walk *w, cmark_node *n);
const char *md_src_line(struct conv *c, int bline, long *len);

/* text properties */
bool md_is_space(unsigned ch);
void md_text_seen(struct walk *w, const char *s, size_t n);
void md_count_words(struct conv *c, const char *s);

/* the frame stack and what is built on it */
struct frame *md_top(struct walk *w);
struct frame *md_push(struct walk *w, cmark_node *node, enum fmode mode);
void md_flush(struct walk *w);
void md_pop(struct walk *w);
void md_add_block(struct walk *w, int owner, struct pr_block *blk);
struct pr_block *md_new_block(struct walk *w, enum pr_block_kind kind, cmark_node *n);
struct pr_inline *md_add_inline(struct walk *w, enum pr_inline_kind kind);
void md_add_text(struct walk *w, const char *s, size_t n);
void md_report_limit(struct walk *w, cmark_node *n);

/* A construct pressrun does not set: a warning at its place. */
void md_unset(struct walk *w, cmark_node *n, const char *what);

/* ---- markdown_block.c: a node entered in an F_BLOCKS frame ---- */
/* true (nothing built) for a ```pullquote fence or a fenced div (made a
 * fence by markdown.c): the walk parses its body */
bool md_enter_block(struct walk *w, cmark_node *n, cmark_node_type t);
/* Such a fence's block: PR_BLK_PULLQUOTE, _SIDEBAR (*title: its title, or
 * NULL) or _VERSE, or -1 for a div pressrun does not set (warned: its body
 * is set as the blocks around it); *what names it for messages. */
int md_fence_kind(struct walk *w, cmark_node *n, const char **title, const char **what);
void md_end_para(struct walk *w);
void md_end_table(struct walk *w);

/* ---- markdown_inline.c: a node entered in an F_INLINES frame ---- */
void md_enter_inline(struct walk *w, cmark_node *n, cmark_node_type t);

/* ---- markdown_image.c: images and their alt text (F_ALT frames) ---- */
void md_begin_image(struct walk *w, cmark_node *n);
void md_end_image(struct walk *w);
/* Text right after an image: its {key=value ...} attributes, taken (true,
 * *used bytes of lit) or not (false). */
bool md_image_attrs(struct walk *w, const char *lit, size_t *used);
void md_enter_alt(struct walk *w, cmark_node *n, cmark_node_type t);

/* ---- markdown_notes.c: footnote labels and checks ---- */
size_t md_label_len(const char *s, size_t n);
void md_def_label(struct conv *c, int bline, int col, struct pr_footnote *note);
void md_check_refs(struct walk *w, cmark_node *n, const char *lit);
void md_ref_label(struct walk *w, cmark_node *n, int number);
void md_check_unused_notes(struct conv *c);
/* Raw HTML pressrun does not set: a warning at its place (an HTML block is
 * left out with its text; an inline tag is dropped, its text kept; HTML
 * comments and closing tags are silent). */
void md_html_dropped(struct walk *w, cmark_node *n, bool block);
#endif

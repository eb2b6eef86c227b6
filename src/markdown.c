/* markdown.c - input stage: article bodies. Reads art->body (CommonMark through
 * cmark-gfm, with smart punctuation, footnotes and source positions) and
 * writes art->doc, the document model of model.h, into the build's arena.
 * cmark's tree is walked with its iterator and freed before returning; no
 * file but markdown*.c includes cmark-gfm. Called by build.c once per
 * article. The walk is here (and the body of a ```pullquote, walked apart);
 * markdown_block.c, markdown_inline.c, markdown_image.c and markdown_notes.c
 * convert what it meets, on markdown_tree.c's frame stack (markdown_int.h). */
#include "markdown_int.h"
#include <cmark-gfm-core-extensions.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* ---------- the parser ---------- */

static gpointer register_extensions(gpointer unused)
{
    (void)unused;
    cmark_gfm_core_extensions_ensure_registered();
    return NULL;
}

/* CommonMark with GFM's pipe tables and strikethrough, and its task list
 * items (only to say that pressrun does not set their boxes). The caller
 * frees the tree. */
static cmark_node *parse(const char *s, size_t n, int options)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, register_extensions, NULL);
    cmark_parser *p = cmark_parser_new(options);
    static const char *const exts[] = {"table", "strikethrough", "tasklist"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e)
            cmark_parser_attach_syntax_extension(p, e);
    }
    cmark_parser_feed(p, s, n);
    cmark_node *doc = cmark_parser_finish(p);
    cmark_parser_free(p);
    return doc;
}

/* ---------- the walk ---------- */

static bool is_leaf(cmark_node_type t)
{
    switch (t) {
    case CMARK_NODE_HTML_BLOCK:
    case CMARK_NODE_THEMATIC_BREAK:
    case CMARK_NODE_CODE_BLOCK:
    case CMARK_NODE_TEXT:
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
    case CMARK_NODE_CODE:
    case CMARK_NODE_HTML_INLINE:
        return true;
    default:
        return false;
    }
}

static void leave(struct walk *w, cmark_node *n)
{
    while (w->n > 1 && md_top(w)->span)
        md_pop(w);
    if (w->n <= 1 || md_top(w)->node != n)
        return;
    struct frame *f = md_top(w);
    if (f->mode == F_INLINES && f->dest >= 0)
        md_end_para(w);
    else if (f->mode == F_ALT && f->blk)
        md_end_image(w);
    else if (md_ext_kind(n) == MD_EXT_TABLE)
        md_end_table(w);
    md_pop(w);
}

static void walk_tree(struct walk *w, cmark_node *root);

/* The body of a ```pullquote block is Markdown of its own: parse it apart
 * (without footnotes) and keep its paragraphs. */
static void fenced_pullquote(struct walk *w, cmark_node *n)
{
    struct conv *c = w->c;
    struct frame *parent = md_top(w);
    int owner = parent->owner, bdepth = parent->bdepth;
    struct pr_block *pq = NULL;
    if (bdepth >= MAX_DEPTH)
        md_report_limit(w, n);
    else {
        pq = md_new_block(w, PR_BLK_PULLQUOTE, n);
        md_add_block(w, owner, pq);
    }
    const char *lit = cmark_node_get_literal(n);
    cmark_node *doc = parse(lit ? lit : "", lit ? strlen(lit) : 0, MD_OPTIONS & ~CMARK_OPT_FOOTNOTES);
    struct pr_block *head = NULL;
    struct walk sub = {.c = c, .pend_owner = -1, .fenced = true};
    sub.line_off = md_node_bline(w, n);
    sub.col_off = md_node_col(w, n) > 0 ? md_node_col(w, n) - 1 : 0;
    sub.cap = 16;
    sub.st = pr_xmalloc(sizeof *sub.st * (size_t)sub.cap);
    sub.st[0] = (struct frame){.node = doc, .mode = F_BLOCKS, .owner = 0, .dest = -1,
                               .btail = &head, .pull = true, .bdepth = bdepth + 1};
    sub.n = 1;
    walk_tree(&sub, doc);
    free(sub.st);
    free(sub.pend.p);
    free(sub.alt.p);
    cmark_node_free(doc);
    if (pq)
        pq->children = head;
    else
        for (struct pr_block *blk = head, *next; blk; blk = next) {
            next = blk->next;
            blk->next = NULL;
            md_add_block(w, owner, blk);
        }
}

/* Converts the tree under root with cmark's iterator, which needs no
 * recursion however deep the input nests; w->st[0] is root's frame. */
static void walk_tree(struct walk *w, cmark_node *root)
{
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (n == root)
            continue;
        cmark_node_type t = cmark_node_get_type(n);
        if (ev == CMARK_EVENT_EXIT) {
            leave(w, n);
            continue;
        }
        int before = w->n;
        switch (md_top(w)->mode) {
        case F_ALT:
            md_enter_alt(w, n, t);
            break;
        case F_INLINES:
            md_enter_inline(w, n, t);
            break;
        case F_BLOCKS:
            if (md_enter_block(w, n, t))
                fenced_pullquote(w, n);
            break;
        }
        /* every non-leaf node gets an EXIT event, so it must own a frame */
        if (!is_leaf(t) && w->n == before)
            md_push(w, n, md_top(w)->mode);
    }
    cmark_iter_free(it);
    while (w->n > 1)
        md_pop(w);
    md_flush(w);
}


/* Choices beyond CommonMark: ">>" or a ```pullquote fence makes a pull quote
 * (paragraphs only: lists and quotes in it are flattened, images give their
 * alt text); raw HTML blocks and comments are dropped without a word, and of
 * inline HTML only <span lang="xx"> (PR_IN_LANG) and <br> mean something.
 * Words are counted in text, inline code, code blocks and footnotes. */
void pr_markdown_parse(struct pr_input *in, const struct pr_issue *is, struct pr_article *art)
{
    struct conv c = {.in = in, .issue = is, .art = art, .A = in->arena};
    c.doc = pr_arena_alloc(in->arena, sizeof *c.doc);
    art->doc = c.doc;
    c.src = art->body ? art->body : "";
    c.len = art->body ? art->body_len : 0;
    c.dir = pr_path_dir(in->arena, art->path ? art->path : "");
    md_index_lines(&c);

    cmark_node *root = parse(c.src, (size_t)c.len, MD_OPTIONS);
    for (cmark_node *n = cmark_node_first_child(root); n; n = cmark_node_next(n))
        if (cmark_node_get_type(n) == CMARK_NODE_FOOTNOTE_DEFINITION)
            c.doc->nnotes++;
    if (c.doc->nnotes)
        c.doc->notes = pr_arena_alloc(in->arena, sizeof *c.doc->notes * (size_t)c.doc->nnotes);

    struct walk w = {.c = &c, .pend_owner = -1};
    w.cap = 64;
    w.st = pr_xmalloc(sizeof *w.st * (size_t)w.cap);
    w.st[0] = (struct frame){.node = root, .mode = F_BLOCKS, .owner = 0, .dest = -1,
                             .btail = &c.doc->blocks};
    w.n = 1;
    walk_tree(&w, root);
    free(w.st);
    free(w.pend.p);
    free(w.alt.p);
    cmark_node_free(root);

    c.doc->nnotes = c.defs_seen;
    md_check_unused_notes(&c);
    free(c.lines);
    /* no body at all means the file could not be read: reported already */
    if (!c.doc->blocks && art->body)
        pr_diag(in->diags, PR_D_EMPTY_ARTICLE, md_body_pos(&c, 0, 0), "the article has no body text");
    /* the document model holds copies of what it keeps: the file's text
     * can go (a long issue's sources are megabytes) */
    if (art->source) {
        pr_arena_release(in->arena, (void *)art->source);
        art->source = art->body = NULL;
    }
}


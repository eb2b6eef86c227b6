/* markdown.c - input stage: article bodies. Reads art->body (CommonMark through
 * cmark-gfm, with smart punctuation, footnotes and source positions) and
 * writes art->doc, the document model of model.h, into the build's arena.
 * cmark's tree is walked with its iterator and freed before returning; no
 * file but markdown*.c includes cmark-gfm. Called by build.c once per
 * article. The walk is here (and the body of a ```pullquote or a fenced
 * div, walked apart);
 * markdown_block.c, markdown_inline.c, markdown_image.c and markdown_notes.c
 * convert what it meets, on markdown_tree.c's frame stack (markdown_int.h). */
#define _GNU_SOURCE /* memmem */
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
static cmark_node *parse_gfm(const char *s, size_t n, int options)
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

/* ---------- fenced divs ---------- */

/* A fenced div (pandoc's `::: sidebar Title` ... `:::`, also `::: {.sidebar}`)
 * is made, before cmark reads the text, into a fenced code block that the
 * walk recognises by its info string ("pr-div CLASS TITLE") and parses as
 * Markdown of its own: line for line, so that every position stays where
 * it was written. A div inside it stays as written and is made so when its
 * body is parsed. */
#define DIV_FENCE "~~~~~~~~~~~~~~~~"

/* The colons of a div marker line (3 or more after up to 3 spaces), and
 * where what follows them starts; 0 when the line is no marker. */
static int div_marker(const char *l, const char *end, const char **rest)
{
    const char *p = l;
    while (p < end && p - l < 3 && *p == ' ')
        p++;
    int n = 0;
    while (p < end && *p == ':')
        p++, n++;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    *rest = p;
    return n >= 3 ? n : 0;
}

/* src with its outermost fenced divs made fences; src itself if it has none.
 * Unclosed divs run to the end (as pandoc's do not: they are then text). */
static const char *divs_to_fences(struct pr_arena *a, const char *src, size_t len, size_t *outlen)
{
    *outlen = len;
    if (!memmem(src, len, ":::", 3))
        return src;
    GString *o = g_string_sized_new(len + 64);
    int depth = 0;
    bool changed = false;
    for (const char *l = src, *end = src + len; l < end;) {
        const char *nl = memchr(l, '\n', (size_t)(end - l)), *le = nl ? nl : end, *rest;
        int colons = div_marker(l, le, &rest);
        bool closing = colons && (rest == le || *rest == '\r');
        if (colons && !closing) {
            if (depth++ == 0) {
                g_string_append(o, DIV_FENCE " pr-div ");
                g_string_append_len(o, rest, le - rest);
                changed = true;
            } else
                g_string_append_len(o, l, le - l);
        } else if (closing && depth > 0) {
            if (--depth == 0)
                g_string_append(o, DIV_FENCE);
            else
                g_string_append_len(o, l, le - l);
        } else
            g_string_append_len(o, l, le - l);
        if (nl)
            g_string_append_c(o, '\n');
        l = nl ? nl + 1 : end;
    }
    const char *out = src;
    if (changed) {
        out = pr_arena_strndup(a, o->str, o->len);
        *outlen = o->len;
    }
    g_string_free(o, TRUE);
    return out;
}

static cmark_node *parse(struct conv *c, const char *text, size_t len, int options)
{
    size_t n;
    const char *src = divs_to_fences(c->A, text, len, &n);
    return parse_gfm(src, n, options);
}

static void walk_tree(struct walk *w, cmark_node *root);

/* What a walk allocated: its frames and its buffers. */
static void walk_free(struct walk *w)
{
    free(w->st);
    free(w->pend.p);
    free(w->alt.p);
    free(w->attr.p);
}

/* The body of a ```pullquote block or of a fenced div is Markdown of its
 * own: parse it apart (without footnotes) into a block of `kind` (a pull
 * quote's paragraphs only), or, for a div pressrun does not set, into the
 * blocks around it. */
static void fenced_body(struct walk *w, cmark_node *n, int kind, const char *title, const char *what)
{
    struct conv *c = w->c;
    struct frame *parent = md_top(w);
    int owner = parent->owner, bdepth = parent->bdepth;
    struct pr_block *box = NULL;
    if (bdepth >= MAX_DEPTH)
        md_report_limit(w, n);
    else if (kind >= 0) {
        box = md_new_block(w, (enum pr_block_kind)kind, n);
        box->text = title;
        md_add_block(w, owner, box);
    }
    const char *lit = cmark_node_get_literal(n);
    cmark_node *doc = parse(c, lit ? lit : "", lit ? strlen(lit) : 0, MD_OPTIONS & ~CMARK_OPT_FOOTNOTES);
    struct pr_block *head = NULL;
    struct walk sub = {.c = c, .pend_owner = -1, .fenced = what};
    sub.line_off = md_node_bline(w, n);
    sub.col_off = md_node_col(w, n) > 0 ? md_node_col(w, n) - 1 : 0;
    sub.cap = 16;
    sub.st = pr_xmalloc(sizeof *sub.st * (size_t)sub.cap);
    sub.st[0] = (struct frame){.node = doc, .mode = F_BLOCKS, .owner = 0, .dest = -1, .btail = &head,
                               .pull = kind == PR_BLK_PULLQUOTE, .bdepth = bdepth + 1};
    sub.n = 1;
    walk_tree(&sub, doc);
    walk_free(&sub);
    cmark_node_free(doc);
    if (box)
        box->children = head;
    else
        for (struct pr_block *blk = head, *next; blk; blk = next) {
            next = blk->next;
            blk->next = NULL;
            md_add_block(w, owner, blk);
        }
}

/* A fence the walk parses: a ```pullquote, or a div made a fence. */
static void fenced(struct walk *w, cmark_node *n)
{
    const char *title = NULL, *what = NULL;
    int kind = md_fence_kind(w, n, &title, &what);
    fenced_body(w, n, kind, title, what);
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
                fenced(w, n);
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


/* A `kind: poem` article's body is verse: each run of paragraphs (its
 * stanzas) one verse block; headings, pictures and the rest stay. */
static void poem_body(struct conv *c)
{
    struct pr_block **link = &c->doc->blocks;
    while (*link) {
        struct pr_block *b = *link;
        if (b->kind != PR_BLK_PARA) {
            link = &b->next;
            continue;
        }
        struct pr_block *last = b;
        while (last->next && last->next->kind == PR_BLK_PARA)
            last = last->next;
        struct pr_block *verse = pr_arena_alloc(c->A, sizeof *verse);
        memset(verse, 0, sizeof *verse);
        verse->kind = PR_BLK_VERSE;
        verse->pos = b->pos;
        verse->children = b;
        verse->next = last->next;
        last->next = NULL;
        *link = verse;
        link = &verse->next;
    }
}

/* Words in inlines (text and code), to a depth. */
static int inline_words(const struct pr_inline *in, int depth)
{
    int n = 0;
    for (; in && depth < 8; in = in->next) {
        if ((in->kind == PR_IN_TEXT || in->kind == PR_IN_CODE) && in->text) {
            bool word = false;
            for (const char *p = in->text; *p; p++) {
                bool sp = *p == ' ' || *p == '\t' || *p == '\n';
                n += !sp && !word;
                word = !sp;
            }
        }
        n += inline_words(in->children, depth + 1);
    }
    return n;
}

/* Does a paragraph open with a dash (a signature's "— Name")? */
static bool dash_first(const struct pr_block *b)
{
    const struct pr_inline *in = b->inlines;
    while (in && (in->kind == PR_IN_EMPH || in->kind == PR_IN_STRONG))
        in = in->children;
    if (!in || in->kind != PR_IN_TEXT || !in->text)
        return false;
    const char *t = in->text;
    return strncmp(t, "\xE2\x80\x94", 3) == 0 || strncmp(t, "\xE2\x80\x93", 3) == 0 ||
           strncmp(t, "-", 1) == 0;
}

/* A department's items (letters, briefs) close with their signature: a
 * short paragraph opening with a dash, last before the next heading. */
static void department_body(struct conv *c)
{
    for (struct pr_block *b = c->doc->blocks; b; b = b->next) {
        if (b->kind != PR_BLK_PARA || (b->next && b->next->kind != PR_BLK_HEADING) || !dash_first(b))
            continue;
        b->signature = inline_words(b->inlines, 0) <= 16;
    }
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

    cmark_node *root = parse(&c, c.src, (size_t)c.len, MD_OPTIONS);
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
    walk_free(&w);
    cmark_node_free(root);

    if (art->poem)
        poem_body(&c);
    if (art->department)
        department_body(&c);
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


/* markdown_block.c - input stage, article bodies: the block nodes of cmark's
 * tree (paragraphs, headings, quotes and pull quotes, lists, code, rules,
 * footnote definitions) -> pr_blocks of the document model. Called by the
 * walk in markdown.c for each node entered in a frame of blocks; it leaves
 * a ```pullquote fence and a fenced div to the walk, which parses their
 * bodies. */
#include "markdown_int.h"
#include <string.h>
#include <strings.h>

/* ---------- blocks ---------- */

/* A block quote is a pull quote when its first line starts with ">>": cmark
 * reads that as a quote whose first child is a quote opened on the same line
 * one column to the right. "> >" (a space between) is an ordinary quotation
 * inside a quotation. */
static bool is_pullquote_mark(cmark_node *n)
{
    cmark_node *first = cmark_node_first_child(n);
    return first && cmark_node_get_type(first) == CMARK_NODE_BLOCK_QUOTE &&
           cmark_node_get_start_line(first) == cmark_node_get_start_line(n) &&
           cmark_node_get_start_column(first) == cmark_node_get_start_column(n) + 1;
}

static bool is_pullquote_fence(cmark_node *n)
{
    const char *info = cmark_node_get_fence_info(n);
    if (!info)
        return false;
    while (*info == ' ' || *info == '\t')
        info++;
    return strncasecmp(info, "pullquote", 9) == 0 &&
           (info[9] == 0 || md_is_space((unsigned char)info[9]));
}

/* A fenced div, made a fence by markdown.c: info "pr-div CLASS TITLE". */
static const char *div_info(cmark_node *n)
{
    const char *info = cmark_node_get_fence_info(n);
    return info && strncmp(info, "pr-div", 6) == 0 && (info[6] == 0 || info[6] == ' ') ? info + 6 : NULL;
}

static bool is_div_fence(cmark_node *n)
{
    return div_info(n) != NULL;
}

int md_fence_kind(struct walk *w, cmark_node *n, const char **title, const char **what)
{
    *title = NULL;
    if (!is_div_fence(n)) {
        *what = "```pullquote";
        return PR_BLK_PULLQUOTE;
    }
    /* CLASS, {.CLASS ...} or {CLASS}, then the title */
    const char *p = div_info(n), *cls, *end;
    while (*p == ' ')
        p++;
    bool brace = *p == '{';
    if (brace)
        p++;
    while (*p == ' ' || *p == '.')
        p++;
    cls = p;
    while (*p && *p != ' ' && *p != '}')
        p++;
    end = p;
    if (brace)
        while (*p && *p != '}')
            p++;
    if (*p == '}')
        p++;
    while (*p == ' ')
        p++;
    size_t cl = (size_t)(end - cls);
    const char *t = *p ? pr_arena_strdup(w->c->A, p) : NULL;
    if (cl == 7 && strncasecmp(cls, "sidebar", 7) == 0) {
        *what = "::: sidebar";
        *title = t ? pr_smart_punct(w->c->A, t) : NULL;
        return PR_BLK_SIDEBAR;
    }
    if ((cl == 5 && strncasecmp(cls, "verse", 5) == 0) || (cl == 4 && strncasecmp(cls, "poem", 4) == 0)) {
        *what = "::: verse";
        return PR_BLK_VERSE;
    }
    *what = "fenced div";
    pr_diag(w->c->in->diags, PR_D_MARKUP, md_node_pos(w, n),
            "pressrun does not set a '::: %.*s' block; its text is set as the paragraphs around it "
            "(boxes are '::: sidebar Title', verse '::: verse')",
            (int)cl, cls);
    return -1;
}

static const char *code_text(struct conv *c, cmark_node *n)
{
    const char *lit = cmark_node_get_literal(n);
    size_t len = lit ? strlen(lit) : 0;
    if (len && lit[len - 1] == '\n')
        len--;
    return pr_arena_strndup(c->A, lit ? lit : "", len);
}

static void begin_para(struct walk *w, cmark_node *n, bool heading)
{
    struct frame *parent = md_top(w);
    bool as_heading = heading && !parent->pull;
    struct pr_block *blk = md_new_block(w, as_heading ? PR_BLK_HEADING : PR_BLK_PARA, n);
    if (as_heading) {
        int level = cmark_node_get_heading_level(n);
        blk->level = level < 1 ? 1 : level > 3 ? 3 : level;
    }
    int dest = parent->owner;
    struct frame *f = md_push(w, n, F_INLINES);
    f->owner = w->n - 1;
    f->dest = dest;
    f->itail = &blk->inlines;
    f->blk = blk;
    f->idepth = 0;
    w->para = blk;
    w->images = NULL;
    w->images_tail = &w->images;
    w->para_content = w->dir_known = w->in_word = w->trim_next = false;
    w->attr_img = NULL;
    w->attr.n = 0;
}

static bool blank_inline(const struct pr_inline *in)
{
    if (in->kind == PR_IN_SOFTBREAK || in->kind == PR_IN_LINEBREAK)
        return true;
    if (in->kind != PR_IN_TEXT)
        return false;
    for (const char *s = in->text; *s; s++)
        if (!md_is_space((unsigned char)*s))
            return false;
    return true;
}

/* A paragraph that is one <span lang> (blanks around it allowed) is in that
 * language as a whole. */
static const char *block_lang(struct conv *c, const struct pr_block *blk)
{
    const struct pr_inline *only = NULL;
    for (const struct pr_inline *in = blk->inlines; in; in = in->next) {
        if (blank_inline(in))
            continue;
        if (only || in->kind != PR_IN_LANG)
            return NULL;
        only = in;
    }
    if (!only || (c->art->language && strcasecmp(only->lang, c->art->language) == 0))
        return NULL;
    return only->lang;
}

/* The paragraph's frame is on top and about to be popped. An empty paragraph
 * is dropped (one that held only an image becomes that image); images found
 * in it follow it as IMAGE blocks. */
void md_end_para(struct walk *w)
{
    struct frame *f = md_top(w);
    struct pr_block *blk = f->blk;
    md_flush(w);
    blk->lang = block_lang(w->c, blk);
    if (w->para_content)
        md_add_block(w, f->dest, blk);
    for (struct pr_block *img = w->images, *next; img; img = next) {
        next = img->next;
        img->next = NULL;
        md_add_block(w, f->dest, img);
    }
    w->para = NULL;
    w->images = NULL;
    w->images_tail = &w->images;
}

/* Returns true, having built nothing, for a ```pullquote fence outside a
 * pull quote: its body is Markdown for the walk to parse (markdown.c). */
bool md_enter_block(struct walk *w, cmark_node *n, cmark_node_type t)
{
    struct conv *c = w->c;
    struct frame *parent = md_top(w), *f;
    int owner = parent->owner;
    bool pull = parent->pull;
    struct pr_block *blk;
    switch (t) {
    case CMARK_NODE_BLOCK_QUOTE:
    case CMARK_NODE_LIST:
        if (pull) {
            md_push(w, n, F_BLOCKS);
            break;
        }
        if (parent->bdepth >= MAX_DEPTH) {
            md_report_limit(w, n);
            md_push(w, n, F_BLOCKS)->flat = true;
            break;
        }
        if (t == CMARK_NODE_LIST) {
            blk = md_new_block(w, PR_BLK_LIST, n);
            blk->ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
            blk->start = blk->ordered ? cmark_node_get_list_start(n) : 0;
            blk->tight = cmark_node_get_list_tight(n) != 0;
        } else
            blk = md_new_block(w, is_pullquote_mark(n) ? PR_BLK_PULLQUOTE : PR_BLK_QUOTE, n);
        md_add_block(w, owner, blk);
        f = md_push(w, n, F_BLOCKS);
        f->owner = w->n - 1;
        f->btail = &blk->children;
        f->bdepth++;
        f->pull = blk->kind == PR_BLK_PULLQUOTE;
        break;
    case CMARK_NODE_ITEM:
        if (pull || parent->flat) {
            md_push(w, n, F_BLOCKS);
            break;
        }
        blk = md_new_block(w, PR_BLK_ITEM, n);
        md_add_block(w, owner, blk);
        f = md_push(w, n, F_BLOCKS);
        f->owner = w->n - 1;
        f->btail = &blk->children;
        break;
    case CMARK_NODE_PARAGRAPH:
        begin_para(w, n, false);
        break;
    case CMARK_NODE_HEADING:
        begin_para(w, n, true);
        break;
    case CMARK_NODE_CODE_BLOCK:
        if (is_div_fence(n) || (!pull && is_pullquote_fence(n)))
            return true;
        if (pull) {
            /* a code block inside a pull quote is a paragraph of code */
            begin_para(w, n, false);
            const char *text = code_text(c, n);
            md_add_inline(w, PR_IN_CODE)->text = text;
            md_text_seen(w, text, strlen(text));
            md_end_para(w);
            md_pop(w);
            break;
        }
        blk = md_new_block(w, PR_BLK_CODE, n);
        blk->text = code_text(c, n);
        md_count_words(c, blk->text);
        md_add_block(w, owner, blk);
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        if (!pull)
            md_add_block(w, owner, md_new_block(w, PR_BLK_RULE, n));
        break;
    case CMARK_NODE_HTML_BLOCK:
        /* raw HTML has no place in print: dropped, and said (not comments) */
        md_html_dropped(w, n, true);
        break;
    case CMARK_NODE_FOOTNOTE_DEFINITION:
        if (c->defs_seen >= c->doc->nnotes) {
            md_push(w, n, F_BLOCKS);
            break;
        }
        {
            struct pr_footnote *note = &c->doc->notes[c->defs_seen++];
            note->number = c->defs_seen;
            note->pos = md_node_pos(w, n);
            md_def_label(c, md_node_bline(w, n), md_node_col(w, n), note);
            f = md_push(w, n, F_BLOCKS);
            f->owner = w->n - 1;
            f->btail = &note->blocks;
            f->bdepth = 0;
            f->pull = false;
        }
        break;
    default:
        md_push(w, n, F_BLOCKS);
        break;
    }
    return false;
}

/* markdown_block.c - input stage, article bodies: the block nodes of cmark's
 * tree (paragraphs, headings, quotes and pull quotes, lists, code, rules,
 * footnote definitions, GFM tables and their captions, task list items)
 * -> pr_blocks of the document model. Called by the
 * walk in markdown.c for each node entered in a frame of blocks; it leaves
 * a ```pullquote fence and a fenced div to the walk, which parses their
 * bodies. */
#include "markdown_int.h"
#include <cmark-gfm-core-extensions.h>
#include <glib.h>
#include <stdlib.h>
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
    if (w->task_mark) {
        md_add_text(w, w->task_mark, strlen(w->task_mark));
        w->task_mark = NULL;
    }
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

/* A paragraph `Table: ...` (pandoc's caption; `table:` too): true, with
 * the words "Table:" taken from its text, when blk is one. */
static bool table_caption(struct walk *w, struct pr_block *blk)
{
    struct pr_inline *in = blk->inlines;
    if (!in || in->kind != PR_IN_TEXT || !in->text ||
        (strncmp(in->text, "Table:", 6) != 0 && strncmp(in->text, "table:", 6) != 0))
        return false;
    const char *rest = in->text + 6;
    while (md_is_space((unsigned char)*rest))
        rest++;
    if (*rest)
        in->text = pr_arena_strdup(w->c->A, rest);
    else
        blk->inlines = in->next;
    return true;
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
    /* a coupon's lines are its lines: a paragraph with fill-in fields
     * breaks where its source lines do */
    if (blk->fields)
        for (struct pr_inline *in = blk->inlines; in; in = in->next)
            if (in->kind == PR_IN_SOFTBREAK)
                in->kind = PR_IN_LINEBREAK;
    struct pr_block *tb = w->last_table;
    if (w->para_content && blk->kind == PR_BLK_PARA && tb && !tb->inlines &&
        w->st[f->dest].btail == &tb->next && table_caption(w, blk)) {
        tb->inlines = blk->inlines;
        w->last_table = NULL;
    } else if (w->para_content)
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

/* ---------- tables ---------- */

/* A GFM table: its cells are filled as the walk enters its rows and cells
 * (a frame each); in a pull quote it is read and left out, with a warning. */
static void begin_table(struct walk *w, cmark_node *n, int owner, bool pull)
{
    struct conv *c = w->c;
    struct pr_block *tb = md_new_block(w, PR_BLK_TABLE, n);
    int cols = cmark_gfm_extensions_get_table_columns(n), rows = 0;
    for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r))
        rows++;
    tb->cols = cols > 0 ? cols : 1;
    tb->rows = rows > 0 ? rows : 1;
    tb->cells = pr_arena_alloc(c->A, sizeof *tb->cells * (size_t)tb->rows * (size_t)tb->cols);
    tb->align = pr_arena_alloc(c->A, sizeof *tb->align * (size_t)tb->cols);
    const uint8_t *al = cmark_gfm_extensions_get_table_alignments(n);
    for (int k = 0; al && k < cols; k++)
        tb->align[k] = al[k] == 'l' ? PR_CELL_LEFT : al[k] == 'c' ? PR_CELL_CENTER
                     : al[k] == 'r' ? PR_CELL_RIGHT : PR_CELL_NONE;
    if (pull)
        md_unset(w, n, "a table in a pull quote is not set (a pull quote holds paragraphs); "
                       "move the table out of the quote");
    else {
        md_add_block(w, owner, tb);
        w->last_table = tb;
    }
    md_push(w, n, F_BLOCKS);
    w->table = tb;
    w->trow = -1;
}

/* The text of inlines (cells nest at most MAX_DEPTH deep). */
static void plain(const struct pr_inline *in, struct buf *b)
{
    for (; in; in = in->next) {
        if ((in->kind == PR_IN_TEXT || in->kind == PR_IN_CODE) && in->text)
            md_buf_add(b, in->text, strlen(in->text));
        else if (in->kind == PR_IN_FIELD)
            md_buf_add(b, "_", 1);
        plain(in->children, b);
    }
}

/* A number as tables print them: digits with separators, a sign, a
 * currency symbol, a per cent sign, parentheses for negatives. 1: a
 * number, 0: blank or only a dash (which stands in a column of numbers),
 * -1: text. */
static int number_kind(const char *s)
{
    bool digit = false, other = false;
    for (; *s; s = g_utf8_next_char(s)) {
        gunichar u = g_utf8_get_char(s);
        if (g_unichar_isdigit(u))
            digit = true;
        else if (g_unichar_isspace(u) || u == '-' || u == 0x2013 || u == 0x2014 || u == 0x2212 || u == 0x2009 ||
                 u == 0x202F)
            continue;
        else if ((u < 128 && strchr(".,%+()", (int)u)) || g_unichar_type(u) == G_UNICODE_CURRENCY_SYMBOL)
            other = true;
        else
            return -1;
    }
    return digit ? 1 : other ? -1 : 0;
}

/* The table's frame is on top and about to be popped: which of its
 * columns hold numbers. */
void md_end_table(struct walk *w)
{
    struct pr_block *tb = w->table;
    if (!tb)
        return;
    tb->numeric = pr_arena_alloc(w->c->A, sizeof *tb->numeric * (size_t)tb->cols);
    struct buf b = {0};
    for (int c = 0; c < tb->cols; c++) {
        int numbers = 0, words = 0;
        for (int r = 1; r < tb->rows; r++) {
            b.n = 0;
            md_buf_add(&b, "", 0);
            plain(tb->cells[r * tb->cols + c], &b);
            int k = number_kind(b.p);
            numbers += k > 0;
            words += k < 0;
        }
        tb->numeric[c] = numbers > 0 && words == 0;
    }
    free(b.p);
    w->table = NULL;
}

/* A cell: a frame of inlines whose list is the cell's slot. */
static void begin_cell(struct walk *w, cmark_node *n)
{
    static struct pr_inline *discard;
    struct pr_block *tb = w->table;
    w->tcol++;
    struct frame *f = md_push(w, n, F_INLINES);
    f->owner = w->n - 1;
    f->idepth = 0;
    if (tb && w->trow >= 0 && w->trow < tb->rows && w->tcol >= 0 && w->tcol < tb->cols)
        f->itail = &tb->cells[w->trow * tb->cols + w->tcol];
    else {
        discard = NULL;
        f->itail = &discard; /* cannot happen: cmark pads every row to the table's columns */
    }
    w->para = NULL;
    w->in_word = w->trim_next = false;
}

/* A line of only underscores (four or more) reads as a thematic break to
 * cmark; for pressrun it is a fill-in field as long as the line (0: not). */
static int underscore_line(struct walk *w, cmark_node *n)
{
    long len;
    const char *s = md_src_line(w->c, md_node_bline(w, n), &len);
    int col = md_node_col(w, n);
    if (!s || col < 1 || col - 1 > len)
        return 0;
    long i = col - 1, k = 0;
    while (i < len && s[i] == '_')
        i++, k++;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i == len && k >= 4 ? (int)(k > 200 ? 200 : k) : 0;
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
    switch (md_ext_kind(n)) {
    case MD_EXT_TABLE:
        begin_table(w, n, owner, pull);
        return false;
    case MD_EXT_ROW:
        w->trow++;
        w->tcol = -1;
        md_push(w, n, F_BLOCKS);
        return false;
    case MD_EXT_CELL:
        begin_cell(w, n);
        return false;
    case MD_EXT_TASK:
        /* the checkbox cmark took out of the text goes back, as written */
        md_unset(w, n, "a task list's checkboxes are not set as boxes: '[ ]' and '[x]' print as written");
        w->task_mark = cmark_gfm_extensions_get_tasklist_item_checked(n) ? "[x] " : "[ ] ";
        break;
    default:
        break;
    }
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
    case CMARK_NODE_THEMATIC_BREAK: {
        int field = pull ? 0 : underscore_line(w, n);
        if (field) {
            blk = md_new_block(w, PR_BLK_PARA, n);
            blk->fields = true;
            blk->inlines = pr_arena_alloc(c->A, sizeof *blk->inlines);
            blk->inlines->kind = PR_IN_FIELD;
            blk->inlines->note = field;
            md_add_block(w, owner, blk);
        } else if (!pull)
            md_add_block(w, owner, md_new_block(w, PR_BLK_RULE, n));
        break;
    }
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

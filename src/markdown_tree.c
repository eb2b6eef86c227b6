/* markdown_tree.c - input stage, article bodies: the document builder's
 * state shared by the walk (markdown.c) and its block, inline, image and
 * footnote steps: body positions and source lines, text properties (words,
 * direction), and the frame stack with the blocks and inlines built on it
 * (markdown_int.h). Writes the article's pr_doc; calls no other markdown file. */
#include "markdown_int.h"
#include <glib.h>
#include <string.h>

void md_buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        while (b->n + n + 1 > b->cap)
            b->cap = b->cap ? b->cap * 2 : 256;
        b->p = pr_xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = 0;
}

enum md_ext md_ext_kind(cmark_node *n)
{
    static const struct {
        const char *name;
        enum md_ext kind;
    } names[] = {{"table", MD_EXT_TABLE},     {"table_header", MD_EXT_ROW}, {"table_row", MD_EXT_ROW},
                 {"table_cell", MD_EXT_CELL}, {"strikethrough", MD_EXT_STRIKE}, {"tasklist", MD_EXT_TASK}};
    const char *t = cmark_node_get_type_string(n);
    for (size_t i = 0; t && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(t, names[i].name) == 0)
            return names[i].kind;
    return MD_EXT_NONE;
}

/* ---------- positions and source lookups ---------- */

struct pr_pos md_body_pos(struct conv *c, int bline, int col)
{
    struct pr_pos p = {c->art->path, 0, 0};
    if (bline > 0) {
        p.line = bline + (c->art->body_line > 0 ? c->art->body_line - 1 : 0);
        p.col = col > 0 ? col : 1;
    }
    return p;
}

int md_node_bline(struct walk *w, cmark_node *n)
{
    int l = cmark_node_get_start_line(n);
    return l > 0 ? l + w->line_off : 0;
}

int md_node_col(struct walk *w, cmark_node *n)
{
    int c = cmark_node_get_start_column(n);
    return c > 0 ? c + w->col_off : 0;
}

struct pr_pos md_node_pos(struct walk *w, cmark_node *n)
{
    return md_body_pos(w->c, md_node_bline(w, n), md_node_col(w, n));
}

/* Lines end at "\n", "\r\n" or a lone "\r", as cmark counts them. */
static bool line_end(const char *s, long len, long *i)
{
    char ch = s[(*i)++];
    if (ch == '\r' && *i < len && s[*i] == '\n')
        (*i)++;
    return ch == '\n' || ch == '\r';
}

/* Byte offsets of the body's lines (c->lines, c->nlines). */
void md_index_lines(struct conv *c)
{
    long n = 0, i = 0;
    while (i < c->len)
        n += line_end(c->src, c->len, &i);
    c->lines = pr_xmalloc(sizeof *c->lines * (size_t)(n + 2));
    c->lines[0] = 0;
    c->nlines = 0;
    i = 0;
    while (i < c->len)
        if (line_end(c->src, c->len, &i))
            c->lines[++c->nlines] = i;
    if (c->nlines == 0 || c->lines[c->nlines] < c->len)
        c->lines[++c->nlines] = c->len;
}

/* Body line `bline` (1-based) without its line end; NULL past the end. */
const char *md_src_line(struct conv *c, int bline, long *len)
{
    if (bline < 1 || bline > c->nlines)
        return NULL;
    long s = c->lines[bline - 1], e = c->lines[bline];
    while (e > s && (c->src[e - 1] == '\n' || c->src[e - 1] == '\r'))
        e--;
    *len = e - s;
    return c->src + s;
}

/* ---------- text properties ---------- */

bool md_is_space(unsigned ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* Decodes one UTF-8 sequence at s[*i] (the input is valid UTF-8). */
static unsigned utf8_next(const char *s, size_t n, size_t *i)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned c = u[*i];
    int k = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (k)
        c &= 0x3F >> k;
    (*i)++;
    while (k-- > 0 && *i < n)
        c = (c << 6) | (u[(*i)++] & 0x3F);
    return c;
}

/* Bidi class of a strong character, as UAX #9 rule P2 needs it: 1 for R and
 * AL (letters of the Hebrew, Arabic, Syriac, Thaana, N'Ko ... blocks, the
 * presentation forms, RLM and ALM), 0 for L (every other letter, LRM), -1
 * for digits, punctuation, marks and spaces, which do not decide. */
static int strong_dir(unsigned u)
{
    if (u == 0x200F || u == 0x061C)
        return 1;
    if (u == 0x200E)
        return 0;
    if (u < 0x80)
        return ((u | 32) >= 'a' && (u | 32) <= 'z') ? 0 : -1;
    if (!g_unichar_isalpha(u))
        return -1;
    if ((u >= 0x0590 && u <= 0x08FF) || (u >= 0xFB1D && u <= 0xFDFF) ||
        (u >= 0xFE70 && u <= 0xFEFF) || (u >= 0x10800 && u <= 0x10FFF) ||
        (u >= 0x1E800 && u <= 0x1EFFF))
        return 1;
    return 0;
}

/* Text of the paragraph being built: counts words (runs of non-blank
 * characters; a word continues across emphasis), notes whether the paragraph
 * has any visible text, and sets its direction from the first strong letter. */
void md_text_seen(struct walk *w, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned u = utf8_next(s, n, &i);
        if (md_is_space(u)) {
            w->in_word = false;
            continue;
        }
        if (!w->in_word)
            w->c->doc->words++;
        w->in_word = true;
        w->para_content = true;
        if (!w->dir_known && w->para) {
            int d = strong_dir(u);
            if (d >= 0) {
                w->para->dir = d ? PR_DIR_RTL : PR_DIR_LTR;
                w->dir_known = true;
            }
        }
    }
}

void md_count_words(struct conv *c, const char *s)
{
    bool in = false;
    for (; *s; s++) {
        bool sp = md_is_space((unsigned char)*s);
        if (!sp && !in)
            c->doc->words++;
        in = !sp;
    }
}

/* ---------- the frame stack ---------- */

struct frame *md_top(struct walk *w)
{
    return &w->st[w->n - 1];
}

/* Pushes a pass-through frame inheriting from the top; the caller makes it
 * an owner (owner = its own index) when it builds a list. */
struct frame *md_push(struct walk *w, cmark_node *node, enum fmode mode)
{
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 64;
        w->st = pr_xrealloc(w->st, sizeof *w->st * (size_t)w->cap);
    }
    struct frame *f = &w->st[w->n];
    *f = w->st[w->n - 1];
    f->node = node;
    f->mode = mode;
    f->span = false;
    f->flat = false;
    f->blk = NULL;
    f->dest = -1;
    w->n++;
    return f;
}

static void push_inline(struct frame *o, struct pr_inline *in)
{
    *o->itail = in;
    o->itail = &in->next;
}

static void push_text(struct walk *w, struct frame *o, const char *s, size_t n)
{
    struct pr_inline *in = pr_arena_alloc(w->c->A, sizeof *in);
    in->kind = PR_IN_TEXT;
    in->text = pr_arena_strndup(w->c->A, s, n);
    push_inline(o, in);
}

/* The pending text becomes TEXT inlines, and each run of four or more
 * underscores in it a fill-in field (PR_IN_FIELD): cmark leaves such a run
 * as text when blanks or line ends stand on both sides of it. */
void md_flush(struct walk *w)
{
    if (w->pend_owner < 0)
        return;
    struct frame *o = &w->st[w->pend_owner];
    w->pend_owner = -1;
    const char *s = w->pend.p;
    size_t n = w->pend.n, start = 0;
    w->pend.n = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && s[j] == '_')
            j++;
        if (j - i >= 4) {
            if (i > start)
                push_text(w, o, s + start, i - start);
            struct pr_inline *f = pr_arena_alloc(w->c->A, sizeof *f);
            f->kind = PR_IN_FIELD;
            f->note = j - i > 200 ? 200 : (int)(j - i);
            push_inline(o, f);
            if (w->para)
                w->para->fields = true;
            start = j;
        }
        i = j > i ? j : i + 1;
    }
    if (n > start)
        push_text(w, o, s + start, n - start);
}

void md_pop(struct walk *w)
{
    if (w->pend_owner == w->n - 1)
        md_flush(w);
    w->n--;
}

void md_add_block(struct walk *w, int owner, struct pr_block *blk)
{
    struct frame *o = &w->st[owner];
    *o->btail = blk;
    o->btail = &blk->next;
}

struct pr_block *md_new_block(struct walk *w, enum pr_block_kind kind, cmark_node *n)
{
    struct pr_block *blk = pr_arena_alloc(w->c->A, sizeof *blk);
    blk->kind = kind;
    if (n)
        blk->pos = md_node_pos(w, n);
    return blk;
}

/* Appends a non-text inline to the top frame's owner. */
struct pr_inline *md_add_inline(struct walk *w, enum pr_inline_kind kind)
{
    md_flush(w);
    w->trim_next = false;
    struct frame *o = &w->st[md_top(w)->owner];
    struct pr_inline *in = pr_arena_alloc(w->c->A, sizeof *in);
    in->kind = kind;
    *o->itail = in;
    o->itail = &in->next;
    return in;
}

void md_add_text(struct walk *w, const char *s, size_t n)
{
    int owner = md_top(w)->owner;
    if (w->pend_owner != owner) {
        md_flush(w);
        w->pend_owner = owner;
    }
    if (w->trim_next && w->pend.n && md_is_space((unsigned char)w->pend.p[w->pend.n - 1]))
        while (n && md_is_space((unsigned char)*s)) {
            s++;
            n--;
        }
    w->trim_next = false;
    md_buf_add(&w->pend, s, n);
    md_text_seen(w, s, n);
}

void md_report_limit(struct walk *w, cmark_node *n)
{
    if (w->c->limit_reported)
        return;
    w->c->limit_reported = true;
    pr_diag(w->c->in->diags, PR_D_LIMIT, md_node_pos(w, n),
            "quotes, lists or emphasis nested deeper than %d levels; "
            "the deeper levels are flattened", MAX_DEPTH);
}

void md_unset(struct walk *w, cmark_node *n, const char *what)
{
    pr_diag(w->c->in->diags, PR_D_UNSET, md_node_pos(w, n), "%s", what);
}

void md_html_dropped(struct walk *w, cmark_node *n, bool block)
{
    const char *lit = cmark_node_get_literal(n);
    while (lit && (*lit == ' ' || *lit == '\t' || *lit == '\n'))
        lit++;
    if (!lit || !*lit || strncmp(lit, "<!--", 4) == 0 || (!block && lit[0] == '<' && lit[1] == '/'))
        return;
    size_t len = strcspn(lit, "\n");
    if (len > 60)
        len = 60;
    if (block)
        pr_diag(w->c->in->diags, PR_D_HTML, md_node_pos(w, n),
                "raw HTML '%.*s' is not set: the block and its text are left out; write it as Markdown",
                (int)len, lit);
    else
        pr_diag(w->c->in->diags, PR_D_HTML, md_node_pos(w, n),
                "the HTML tag '%.*s' is not set (its text is kept); pressrun honours <span lang=\"..\"> "
                "and <br>",
                (int)len, lit);
}

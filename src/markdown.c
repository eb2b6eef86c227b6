/* markdown.c - input stage: article bodies. Reads art->body (CommonMark through
 * cmark-gfm, with smart punctuation, footnotes and source positions) and
 * writes art->doc, the document model of model.h, into the build's arena.
 * cmark's tree is walked with its iterator and freed before returning; no
 * other file includes cmark-gfm. Called by build.c once per article. */
#include "input.h"
#include "image.h"
#include <cmark-gfm.h>
#include <glib.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

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

static void buf_add(struct buf *b, const char *s, size_t n)
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
    bool fenced;           /* the body of a ```pullquote block */
    /* the paragraph or heading being built */
    struct pr_block *para;
    struct pr_block *images, **images_tail; /* images split out of it */
    bool para_content, dir_known, in_word;
    bool trim_next; /* an image was taken out of the text: no double blank */
    /* text waiting to become one TEXT inline of frame pend_owner */
    struct buf pend;
    int pend_owner;
    struct buf alt; /* alt text of the image being read */
};

static void walk_tree(struct walk *w, cmark_node *root);

/* ---------- positions and source lookups ---------- */

static struct pr_pos body_pos(struct conv *c, int bline, int col)
{
    struct pr_pos p = {c->art->path, 0, 0};
    if (bline > 0) {
        p.line = bline + (c->art->body_line > 0 ? c->art->body_line - 1 : 0);
        p.col = col > 0 ? col : 1;
    }
    return p;
}

static int node_bline(struct walk *w, cmark_node *n)
{
    int l = cmark_node_get_start_line(n);
    return l > 0 ? l + w->line_off : 0;
}

static int node_col(struct walk *w, cmark_node *n)
{
    int c = cmark_node_get_start_column(n);
    return c > 0 ? c + w->col_off : 0;
}

static struct pr_pos node_pos(struct walk *w, cmark_node *n)
{
    return body_pos(w->c, node_bline(w, n), node_col(w, n));
}

/* Lines end at "\n", "\r\n" or a lone "\r", as cmark counts them. */
static bool line_end(const char *s, long len, long *i)
{
    char ch = s[(*i)++];
    if (ch == '\r' && *i < len && s[*i] == '\n')
        (*i)++;
    return ch == '\n' || ch == '\r';
}

static void index_lines(struct conv *c)
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
static const char *src_line(struct conv *c, int bline, long *len)
{
    if (bline < 1 || bline > c->nlines)
        return NULL;
    long s = c->lines[bline - 1], e = c->lines[bline];
    while (e > s && (c->src[e - 1] == '\n' || c->src[e - 1] == '\r'))
        e--;
    *len = e - s;
    return c->src + s;
}

/* Length of a footnote label at s ("[^label]"): no blanks or brackets in the
 * label. Returns the length of the whole "[^label]", or 0. */
static size_t label_len(const char *s, size_t n)
{
    if (n < 4 || s[0] != '[' || s[1] != '^')
        return 0;
    for (size_t i = 2; i < n; i++) {
        char ch = s[i];
        if (ch == ']')
            return i > 2 ? i + 1 : 0;
        if (ch == '[' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
            return 0;
    }
    return 0;
}

/* ---------- text properties ---------- */

static bool is_space(unsigned ch)
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
static void text_seen(struct walk *w, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned u = utf8_next(s, n, &i);
        if (is_space(u)) {
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

static void count_words(struct conv *c, const char *s)
{
    bool in = false;
    for (; *s; s++) {
        bool sp = is_space((unsigned char)*s);
        if (!sp && !in)
            c->doc->words++;
        in = !sp;
    }
}

/* ---------- the frame stack ---------- */

static struct frame *top(struct walk *w)
{
    return &w->st[w->n - 1];
}

/* Pushes a pass-through frame inheriting from the top; the caller makes it
 * an owner (owner = its own index) when it builds a list. */
static struct frame *push(struct walk *w, cmark_node *node, enum fmode mode)
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

static void flush(struct walk *w)
{
    if (w->pend_owner < 0)
        return;
    struct frame *o = &w->st[w->pend_owner];
    w->pend_owner = -1;
    if (!w->pend.n)
        return;
    struct pr_inline *in = pr_arena_alloc(w->c->A, sizeof *in);
    in->kind = PR_IN_TEXT;
    in->text = pr_arena_strndup(w->c->A, w->pend.p, w->pend.n);
    *o->itail = in;
    o->itail = &in->next;
    w->pend.n = 0;
}

static void pop(struct walk *w)
{
    if (w->pend_owner == w->n - 1)
        flush(w);
    w->n--;
}

static void add_block(struct walk *w, int owner, struct pr_block *blk)
{
    struct frame *o = &w->st[owner];
    *o->btail = blk;
    o->btail = &blk->next;
}

static struct pr_block *new_block(struct walk *w, enum pr_block_kind kind, cmark_node *n)
{
    struct pr_block *blk = pr_arena_alloc(w->c->A, sizeof *blk);
    blk->kind = kind;
    if (n)
        blk->pos = node_pos(w, n);
    return blk;
}

/* Appends a non-text inline to the top frame's owner. */
static struct pr_inline *add_inline(struct walk *w, enum pr_inline_kind kind)
{
    flush(w);
    w->trim_next = false;
    struct frame *o = &w->st[top(w)->owner];
    struct pr_inline *in = pr_arena_alloc(w->c->A, sizeof *in);
    in->kind = kind;
    *o->itail = in;
    o->itail = &in->next;
    return in;
}

static void add_text(struct walk *w, const char *s, size_t n)
{
    int owner = top(w)->owner;
    if (w->pend_owner != owner) {
        flush(w);
        w->pend_owner = owner;
    }
    if (w->trim_next && w->pend.n && is_space((unsigned char)w->pend.p[w->pend.n - 1]))
        while (n && is_space((unsigned char)*s)) {
            s++;
            n--;
        }
    w->trim_next = false;
    buf_add(&w->pend, s, n);
    text_seen(w, s, n);
}

static void report_limit(struct walk *w, cmark_node *n)
{
    if (w->c->limit_reported)
        return;
    w->c->limit_reported = true;
    pr_diag(w->c->in->diags, PR_D_LIMIT, node_pos(w, n),
            "quotes, lists or emphasis nested deeper than %d levels; "
            "the deeper levels are flattened", MAX_DEPTH);
}

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
           (info[9] == 0 || is_space((unsigned char)info[9]));
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
    struct frame *parent = top(w);
    bool as_heading = heading && !parent->pull;
    struct pr_block *blk = new_block(w, as_heading ? PR_BLK_HEADING : PR_BLK_PARA, n);
    if (as_heading) {
        int level = cmark_node_get_heading_level(n);
        blk->level = level < 1 ? 1 : level > 3 ? 3 : level;
    }
    int dest = parent->owner;
    struct frame *f = push(w, n, F_INLINES);
    f->owner = w->n - 1;
    f->dest = dest;
    f->itail = &blk->inlines;
    f->blk = blk;
    f->idepth = 0;
    w->para = blk;
    w->images = NULL;
    w->images_tail = &w->images;
    w->para_content = w->dir_known = w->in_word = w->trim_next = false;
}

static bool blank_inline(const struct pr_inline *in)
{
    if (in->kind == PR_IN_SOFTBREAK || in->kind == PR_IN_LINEBREAK)
        return true;
    if (in->kind != PR_IN_TEXT)
        return false;
    for (const char *s = in->text; *s; s++)
        if (!is_space((unsigned char)*s))
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
static void end_para(struct walk *w)
{
    struct frame *f = top(w);
    struct pr_block *blk = f->blk;
    flush(w);
    blk->lang = block_lang(w->c, blk);
    if (w->para_content)
        add_block(w, f->dest, blk);
    for (struct pr_block *img = w->images, *next; img; img = next) {
        next = img->next;
        img->next = NULL;
        add_block(w, f->dest, img);
    }
    w->para = NULL;
    w->images = NULL;
    w->images_tail = &w->images;
}

/* The body of a ```pullquote block is Markdown of its own: parse it apart
 * (without footnotes) and keep its paragraphs. */
static void fenced_pullquote(struct walk *w, cmark_node *n)
{
    struct conv *c = w->c;
    struct frame *parent = top(w);
    int owner = parent->owner, bdepth = parent->bdepth;
    struct pr_block *pq = NULL;
    if (bdepth >= MAX_DEPTH)
        report_limit(w, n);
    else {
        pq = new_block(w, PR_BLK_PULLQUOTE, n);
        add_block(w, owner, pq);
    }
    const char *lit = cmark_node_get_literal(n);
    cmark_node *doc = cmark_parse_document(lit ? lit : "", lit ? strlen(lit) : 0,
                                           MD_OPTIONS & ~CMARK_OPT_FOOTNOTES);
    struct pr_block *head = NULL;
    struct walk sub = {.c = c, .pend_owner = -1, .fenced = true};
    sub.line_off = node_bline(w, n);
    sub.col_off = node_col(w, n) > 0 ? node_col(w, n) - 1 : 0;
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
            add_block(w, owner, blk);
        }
}

/* Label as written at a footnote definition: cmark places the definition
 * after its "[^label]:" marker, so look back for the marker on that line. */
static void def_label(struct conv *c, int bline, int col, struct pr_footnote *note)
{
    long len;
    const char *s = src_line(c, bline, &len);
    if (!s)
        return;
    long end = col - 1 < len ? col - 1 : len;
    for (long i = end - 1; i >= 0; i--) {
        size_t l = label_len(s + i, (size_t)(len - i));
        if (l && i + (long)l < len && s[i + (long)l] == ':' && i + (long)l < end) {
            note->label = pr_arena_strndup(c->A, s + i + 2, l - 3);
            note->pos = body_pos(c, bline, (int)i + 1);
            return;
        }
    }
}

static void enter_block(struct walk *w, cmark_node *n, cmark_node_type t)
{
    struct conv *c = w->c;
    struct frame *parent = top(w), *f;
    int owner = parent->owner;
    bool pull = parent->pull;
    struct pr_block *blk;
    switch (t) {
    case CMARK_NODE_BLOCK_QUOTE:
    case CMARK_NODE_LIST:
        if (pull) {
            push(w, n, F_BLOCKS);
            break;
        }
        if (parent->bdepth >= MAX_DEPTH) {
            report_limit(w, n);
            push(w, n, F_BLOCKS)->flat = true;
            break;
        }
        if (t == CMARK_NODE_LIST) {
            blk = new_block(w, PR_BLK_LIST, n);
            blk->ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
            blk->start = blk->ordered ? cmark_node_get_list_start(n) : 0;
            blk->tight = cmark_node_get_list_tight(n) != 0;
        } else
            blk = new_block(w, is_pullquote_mark(n) ? PR_BLK_PULLQUOTE : PR_BLK_QUOTE, n);
        add_block(w, owner, blk);
        f = push(w, n, F_BLOCKS);
        f->owner = w->n - 1;
        f->btail = &blk->children;
        f->bdepth++;
        f->pull = blk->kind == PR_BLK_PULLQUOTE;
        break;
    case CMARK_NODE_ITEM:
        if (pull || parent->flat) {
            push(w, n, F_BLOCKS);
            break;
        }
        blk = new_block(w, PR_BLK_ITEM, n);
        add_block(w, owner, blk);
        f = push(w, n, F_BLOCKS);
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
        if (!pull && is_pullquote_fence(n)) {
            fenced_pullquote(w, n);
            break;
        }
        if (pull) {
            /* a code block inside a pull quote is a paragraph of code */
            begin_para(w, n, false);
            const char *text = code_text(c, n);
            add_inline(w, PR_IN_CODE)->text = text;
            text_seen(w, text, strlen(text));
            end_para(w);
            pop(w);
            break;
        }
        blk = new_block(w, PR_BLK_CODE, n);
        blk->text = code_text(c, n);
        count_words(c, blk->text);
        add_block(w, owner, blk);
        break;
    case CMARK_NODE_THEMATIC_BREAK:
        if (!pull)
            add_block(w, owner, new_block(w, PR_BLK_RULE, n));
        break;
    case CMARK_NODE_HTML_BLOCK:
        /* raw HTML has no place in print: dropped (comments included) */
        break;
    case CMARK_NODE_FOOTNOTE_DEFINITION:
        if (c->defs_seen >= c->doc->nnotes) {
            push(w, n, F_BLOCKS);
            break;
        }
        {
            struct pr_footnote *note = &c->doc->notes[c->defs_seen++];
            note->number = c->defs_seen;
            note->pos = node_pos(w, n);
            def_label(c, node_bline(w, n), node_col(w, n), note);
            f = push(w, n, F_BLOCKS);
            f->owner = w->n - 1;
            f->btail = &note->blocks;
            f->bdepth = 0;
            f->pull = false;
        }
        break;
    default:
        push(w, n, F_BLOCKS);
        break;
    }
}

/* ---------- inlines ---------- */

/* Footnote references cmark could not resolve stay in the text as "[^x]".
 * Each one found is looked up on its source line for a column; one written
 * as "\[^x]" was meant literally and is left alone. */
static void check_refs(struct walk *w, cmark_node *n, const char *lit)
{
    struct conv *c = w->c;
    const char *p = strstr(lit, "[^");
    if (!p)
        return;
    int bline = node_bline(w, n), col = node_col(w, n);
    long llen = 0;
    const char *line = src_line(c, bline, &llen);
    long cursor = col > 0 ? col - 1 : 0;
    /* only the node's own stretch of the line is searched */
    int end = cmark_node_get_end_column(n) + w->col_off;
    if (cmark_node_get_end_line(n) + w->line_off == bline && end > 0 && end < llen)
        llen = end;
    size_t total = strlen(lit);
    for (; p; p = strstr(p + 1, "[^")) {
        size_t l = label_len(p, total - (size_t)(p - lit));
        if (!l)
            continue;
        /* search on from the previous find; after a miss, stop searching
         * (an entity-written label) and use the node's own column */
        int at = col;
        long found = -1;
        for (long i = cursor; line && i + (long)l <= llen; i++)
            if (memcmp(line + i, p, l) == 0) {
                found = i;
                break;
            }
        if (found >= 0) {
            at = (int)found + 1;
            cursor = found + (long)l;
            if (found > 0 && line[found - 1] == '\\')
                at = -1;
        } else
            line = NULL;
        if (at >= 0) {
            int ll = (int)l;
            if (w->fenced)
                pr_diag(c->in->diags, PR_D_FOOTNOTE, body_pos(c, bline, at),
                        "footnote references do not work inside a ```pullquote block; "
                        "write the pull quote with '>>' or remove '%.*s'", ll, p);
            else
                pr_diag(c->in->diags, PR_D_FOOTNOTE, body_pos(c, bline, at),
                        "footnote '%.*s' is referenced but never defined; "
                        "add '%.*s: …' at the end of the article", ll, p, ll, p);
        }
        p += l - 1;
    }
}

enum tag { TAG_OTHER, TAG_SPAN, TAG_SPAN_END, TAG_BR };

static bool tag_name(const char **s, const char *name)
{
    size_t n = strlen(name);
    if (strncasecmp(*s, name, n) != 0)
        return false;
    char ch = (*s)[n];
    if (ch != '>' && ch != '/' && !is_space((unsigned char)ch))
        return false;
    *s += n;
    return true;
}

/* Recognises <span ...>, </span> and <br> in raw inline HTML; *lang gets the
 * span's lang attribute when it is a plausible BCP 47 tag. */
static enum tag parse_tag(struct pr_arena *A, const char *s, const char **lang)
{
    *lang = NULL;
    if (*s++ != '<')
        return TAG_OTHER;
    if (*s == '/') {
        s++;
        return tag_name(&s, "span") ? TAG_SPAN_END : TAG_OTHER;
    }
    if (tag_name(&s, "br"))
        return TAG_BR;
    if (!tag_name(&s, "span"))
        return TAG_OTHER;
    for (;;) {
        while (is_space((unsigned char)*s))
            s++;
        if (!*s || *s == '>')
            break;
        if (*s == '/')
            return TAG_OTHER; /* <span/> opens nothing */
        const char *name = s;
        while (*s && *s != '=' && *s != '>' && *s != '/' && !is_space((unsigned char)*s))
            s++;
        size_t nlen = (size_t)(s - name);
        while (is_space((unsigned char)*s))
            s++;
        const char *val = "";
        size_t vlen = 0;
        if (*s == '=') {
            s++;
            while (is_space((unsigned char)*s))
                s++;
            if (*s == '"' || *s == '\'') {
                char q = *s++;
                val = s;
                while (*s && *s != q)
                    s++;
                vlen = (size_t)(s - val);
                if (*s)
                    s++;
            } else {
                val = s;
                while (*s && *s != '>' && !is_space((unsigned char)*s))
                    s++;
                vlen = (size_t)(s - val);
            }
        }
        if (nlen == 4 && strncasecmp(name, "lang", 4) == 0 && vlen > 0 && vlen <= 35) {
            bool ok = true;
            for (size_t i = 0; i < vlen; i++) {
                char ch = val[i];
                if (!((ch | 32) >= 'a' && (ch | 32) <= 'z') && !(ch >= '0' && ch <= '9') && ch != '-')
                    ok = false;
            }
            if (ok)
                *lang = pr_arena_strndup(A, val, vlen);
        }
    }
    return TAG_SPAN;
}

static void html_inline(struct walk *w, cmark_node *n)
{
    const char *lang;
    struct frame *f;
    switch (parse_tag(w->c->A, cmark_node_get_literal(n), &lang)) {
    case TAG_SPAN:
        if (lang && top(w)->idepth < MAX_DEPTH) {
            struct pr_inline *in = add_inline(w, PR_IN_LANG);
            in->lang = lang;
            f = push(w, NULL, F_INLINES);
            f->owner = w->n - 1;
            f->itail = &in->children;
            f->idepth++;
        } else {
            if (lang)
                report_limit(w, n);
            f = push(w, NULL, F_INLINES);
        }
        f->span = true;
        break;
    case TAG_SPAN_END:
        if (top(w)->span)
            pop(w);
        break;
    case TAG_BR:
        add_inline(w, PR_IN_LINEBREAK);
        w->in_word = false;
        break;
    case TAG_OTHER:
        break;
    }
}

/* An image: its block is built now, its alt text is read from the children
 * (frame in F_ALT mode), and it joins the paragraph's images on exit. */
static void begin_image(struct walk *w, cmark_node *n)
{
    struct conv *c = w->c;
    struct pr_block *img = new_block(w, PR_BLK_IMAGE, n);
    const char *url = cmark_node_get_url(n), *title = cmark_node_get_title(n);
    img->src = pr_arena_strdup(c->A, url ? url : "");
    img->caption = title && *title ? pr_arena_strdup(c->A, title) : NULL;
    struct frame *f = push(w, n, F_ALT);
    f->blk = img;
    w->alt.n = 0;
}

static bool has_scheme(const char *s)
{
    const char *p = s;
    while ((*p | 32) >= 'a' && (*p | 32) <= 'z')
        p++;
    return p - s >= 2 && *p == ':';
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if ((ch | 32) >= 'a' && (ch | 32) <= 'f')
        return (ch | 32) - 'a' + 10;
    return -1;
}

static bool is_file(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* Image paths are relative to the article's folder; "%20" and the like are
 * decoded when the name as written does not exist. The file must stay in
 * the issue folder (else path stays NULL) and be a sound PNG or JPEG of a
 * size pressrun accepts (image.c), reported here at its reference. */
static void resolve_image(struct conv *c, struct pr_block *img)
{
    struct pr_diags *d = c->in->diags;
    if (!*img->src) {
        pr_diag(d, PR_D_NO_FILE, img->pos, "image without a path");
        return;
    }
    if (has_scheme(img->src)) {
        pr_diag(d, PR_D_NO_FILE, img->pos,
                "image '%s' is not a local file; download it into the issue folder "
                "and give its path relative to the article", img->src);
        return;
    }
    char *path = pr_path_join(c->A, c->dir, img->src);
    if (!is_file(path) && strchr(img->src, '%')) {
        char *dec = pr_arena_strdup(c->A, img->src), *o = dec;
        for (const char *s = img->src; *s; s++) {
            if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
                *o++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
                s += 2;
            } else
                *o++ = *s;
        }
        *o = 0;
        char *alt = pr_path_join(c->A, c->dir, dec);
        if (is_file(alt))
            path = alt;
    }
    if (!is_file(path)) {
        pr_diag(d, PR_D_NO_FILE, img->pos, "image '%s' not found (looked for '%s')",
                img->src, path);
        return;
    }
    const struct pr_issue *is = c->issue;
    if (!c->in->allow_outside && is && is->dir && !pr_path_inside(is->dir, path)) {
        pr_diag(d, PR_D_OUTSIDE, img->pos, "image '%s' is outside the issue folder '%s'",
                img->src, is->dir);
        return;
    }
    struct pr_image_info info;
    pr_image_info_read(c->in->diags, path, img->pos, &info);
    img->path = path;
}

static void end_image(struct walk *w)
{
    struct conv *c = w->c;
    struct pr_block *img = top(w)->blk;
    size_t s = 0, e = w->alt.n;
    while (s < e && is_space((unsigned char)w->alt.p[s]))
        s++;
    while (e > s && is_space((unsigned char)w->alt.p[e - 1]))
        e--;
    img->alt = pr_arena_strndup(c->A, w->alt.p ? w->alt.p + s : "", e - s);
    if (!*img->alt)
        pr_diag(c->in->diags, PR_D_IMAGE_ALT, img->pos, "image '%s' has no alt text", img->src);
    resolve_image(c, img);
    *w->images_tail = img;
    w->images_tail = &img->next;
    w->trim_next = true;
}

static void enter_alt(struct walk *w, cmark_node *n, cmark_node_type t)
{
    const char *lit;
    switch (t) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
        lit = cmark_node_get_literal(n);
        if (lit)
            buf_add(&w->alt, lit, strlen(lit));
        break;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
        buf_add(&w->alt, " ", 1);
        break;
    case CMARK_NODE_HTML_INLINE:
        break;
    default:
        push(w, n, F_ALT);
        break;
    }
}

static void enter_container(struct walk *w, cmark_node *n, enum pr_inline_kind kind)
{
    if (top(w)->idepth >= MAX_DEPTH) {
        report_limit(w, n);
        push(w, n, F_INLINES);
        return;
    }
    struct pr_inline *in = add_inline(w, kind);
    if (kind == PR_IN_LINK) {
        const char *url = cmark_node_get_url(n);
        in->url = pr_arena_strdup(w->c->A, url ? url : "");
    }
    struct frame *f = push(w, n, F_INLINES);
    f->owner = w->n - 1;
    f->itail = &in->children;
    f->idepth++;
}

/* The label as written at a note's first reference, in case its definition's
 * marker cannot be found (the definition's own spelling wins). */
static void ref_label(struct walk *w, cmark_node *n, int number)
{
    struct conv *c = w->c;
    if (number < 1 || number > c->doc->nnotes || c->doc->notes[number - 1].label)
        return;
    long len;
    const char *s = src_line(c, node_bline(w, n), &len);
    long col = node_col(w, n) - 1;
    if (!s || col < 0 || col >= len)
        return;
    size_t l = label_len(s + col, (size_t)(len - col));
    if (l)
        c->doc->notes[number - 1].label = pr_arena_strndup(c->A, s + col + 2, l - 3);
}

static void enter_inline(struct walk *w, cmark_node *n, cmark_node_type t)
{
    struct conv *c = w->c;
    const char *lit;
    switch (t) {
    case CMARK_NODE_TEXT:
        lit = cmark_node_get_literal(n);
        if (lit) {
            check_refs(w, n, lit);
            add_text(w, lit, strlen(lit));
        }
        break;
    case CMARK_NODE_CODE:
        lit = pr_arena_strdup(c->A, cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "");
        add_inline(w, PR_IN_CODE)->text = lit;
        text_seen(w, lit, strlen(lit));
        break;
    case CMARK_NODE_SOFTBREAK:
        add_inline(w, PR_IN_SOFTBREAK);
        w->in_word = false;
        break;
    case CMARK_NODE_LINEBREAK:
        add_inline(w, PR_IN_LINEBREAK);
        w->in_word = false;
        break;
    case CMARK_NODE_HTML_INLINE:
        html_inline(w, n);
        break;
    case CMARK_NODE_EMPH:
        enter_container(w, n, PR_IN_EMPH);
        break;
    case CMARK_NODE_STRONG:
        enter_container(w, n, PR_IN_STRONG);
        break;
    case CMARK_NODE_LINK:
        enter_container(w, n, PR_IN_LINK);
        break;
    case CMARK_NODE_IMAGE:
        if (top(w)->pull || !w->para)
            push(w, n, F_INLINES); /* in a pull quote the alt text stands in */
        else
            begin_image(w, n);
        break;
    case CMARK_NODE_FOOTNOTE_REFERENCE:
        lit = cmark_node_get_literal(n);
        add_inline(w, PR_IN_NOTEREF)->note = lit ? atoi(lit) : 0;
        ref_label(w, n, lit ? atoi(lit) : 0);
        w->para_content = true;
        push(w, n, F_INLINES);
        break;
    default:
        push(w, n, F_INLINES);
        break;
    }
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
    while (w->n > 1 && top(w)->span)
        pop(w);
    if (w->n <= 1 || top(w)->node != n)
        return;
    struct frame *f = top(w);
    if (f->mode == F_INLINES && f->dest >= 0)
        end_para(w);
    else if (f->mode == F_ALT && f->blk)
        end_image(w);
    pop(w);
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
        switch (top(w)->mode) {
        case F_ALT:
            enter_alt(w, n, t);
            break;
        case F_INLINES:
            enter_inline(w, n, t);
            break;
        case F_BLOCKS:
            enter_block(w, n, t);
            break;
        }
        /* every non-leaf node gets an EXIT event, so it must own a frame */
        if (!is_leaf(t) && w->n == before)
            push(w, n, top(w)->mode);
    }
    cmark_iter_free(it);
    while (w->n > 1)
        pop(w);
    flush(w);
}

/* ---------- footnote definitions nobody references ---------- */

/* cmark drops definitions that are never referenced (and the second of two
 * with one label), so the source is scanned for "[^label]:" lines outside
 * fenced code, after up to three spaces and any '>' markers. */
static void check_unused_notes(struct conv *c)
{
    char fence = 0;
    long fence_len = 0;
    for (int bl = 1; bl <= c->nlines; bl++) {
        long len;
        const char *s = src_line(c, bl, &len);
        long i = 0;
        for (int k = 0; k < 3 && i < len && s[i] == ' '; k++)
            i++;
        while (i < len && s[i] == '>') {
            i++;
            while (i < len && s[i] == ' ')
                i++;
        }
        if (i < len && (s[i] == '`' || s[i] == '~')) {
            long j = i;
            while (j < len && s[j] == s[i])
                j++;
            if (j - i >= 3) {
                if (!fence) {
                    fence = s[i];
                    fence_len = j - i;
                } else if (s[i] == fence && j - i >= fence_len)
                    fence = 0;
            }
            continue;
        }
        if (fence)
            continue;
        size_t l = label_len(s + i, (size_t)(len - i));
        if (!l || i + (long)l >= len || s[i + (long)l] != ':')
            continue;
        struct pr_pos pos = body_pos(c, bl, (int)i + 1);
        const struct pr_footnote *same = NULL;
        bool used = false;
        for (int k = 0; k < c->doc->nnotes; k++) {
            const struct pr_footnote *note = &c->doc->notes[k];
            if (note->pos.line == pos.line && note->pos.col == pos.col)
                used = true;
            else if (note->label && strlen(note->label) == l - 3 &&
                     strncasecmp(note->label, s + i + 2, l - 3) == 0)
                same = note;
        }
        if (used)
            continue;
        int ll = (int)l;
        if (same)
            pr_diag(c->in->diags, PR_D_FOOTNOTE, pos,
                    "footnote '%.*s' is defined twice; only the definition on line %d is used",
                    ll, s + i, same->pos.line);
        else
            pr_diag(c->in->diags, PR_D_FOOTNOTE, pos,
                    "footnote '%.*s' is defined but never referenced; "
                    "refer to it with '%.*s' in the text or delete it", ll, s + i, ll, s + i);
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
    index_lines(&c);

    cmark_node *root = cmark_parse_document(c.src, (size_t)c.len, MD_OPTIONS);
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
    check_unused_notes(&c);
    free(c.lines);
    /* no body at all means the file could not be read: reported already */
    if (!c.doc->blocks && art->body)
        pr_diag(in->diags, PR_D_EMPTY_ARTICLE, body_pos(&c, 0, 0), "the article has no body text");
    /* the document model holds copies of what it keeps: the file's text
     * can go (a long issue's sources are megabytes) */
    if (art->source) {
        pr_arena_release(in->arena, (void *)art->source);
        art->source = art->body = NULL;
    }
}

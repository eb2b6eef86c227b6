/* test_markdown.c - tests of the Markdown stage (markdown.c) and the document
 * dump (out_dump.c): one function per feature, then the goldens in
 * tests/markdown/: NAME.md beside NAME.doc, the expected --dump=doc output
 * followed by the diagnostics. UPDATE=1 rewrites the .doc files. */
#include "input.h"
#include "check.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MD_DIR "tests/markdown"

/* What the input stages are given, with the arena and diagnostics it
 * points at (build.c fills one per build the same way). */
struct tb {
    struct pr_arena *arena;
    struct pr_diags diags;
    struct pr_input in;
};

struct t {
    struct tb b;
    struct pr_issue issue;
    struct pr_article art;
};

static struct pr_doc *parse_at(struct t *t, const char *md, int body_line, bool allow_outside)
{
    memset(t, 0, sizeof *t);
    t->b.arena = pr_arena_new();
    pr_diags_init(&t->b.diags);
    t->b.in = (struct pr_input){.arena = t->b.arena, .diags = &t->b.diags, .allow_outside = allow_outside};
    t->issue.dir = MD_DIR;
    t->issue.articles = &t->art;
    t->issue.narticles = 1;
    t->art.path = MD_DIR "/unit.md";
    t->art.file = "unit.md";
    t->art.id = "unit";
    t->art.language = "en";
    t->art.body = md;
    t->art.body_len = (long)strlen(md);
    t->art.body_line = body_line;
    pr_markdown_parse(&t->b.in, &t->issue, &t->art);
    return t->art.doc;
}

static struct pr_doc *parse(struct t *t, const char *md)
{
    return parse_at(t, md, 1, false);
}

static void done(struct t *t)
{
    pr_diags_free(&t->b.diags);
    pr_arena_free(t->b.arena);
}

static int ndiag(struct t *t, enum pr_diag_code code)
{
    int n = 0;
    for (unsigned i = 0; i < t->b.diags.n; i++)
        n += t->b.diags.v[i].code == code;
    return n;
}

static const struct pr_diag *diag(struct t *t, enum pr_diag_code code)
{
    for (unsigned i = 0; i < t->b.diags.n; i++)
        if (t->b.diags.v[i].code == code)
            return &t->b.diags.v[i];
    return NULL;
}

/* The text of a run of inlines, breaks as spaces (buf must hold 512). */
static void text_into(const struct pr_inline *in, char *buf)
{
    for (; in; in = in->next) {
        if (in->kind == PR_IN_TEXT || in->kind == PR_IN_CODE)
            strncat(buf, in->text, 511 - strlen(buf));
        else if (in->kind == PR_IN_SOFTBREAK || in->kind == PR_IN_LINEBREAK)
            strncat(buf, " ", 511 - strlen(buf));
        text_into(in->children, buf);
    }
}

static const char *text_of(const struct pr_inline *in)
{
    static char buf[512];
    buf[0] = 0;
    text_into(in, buf);
    return buf;
}

static int nblocks(const struct pr_block *b)
{
    int n = 0;
    for (; b; b = b->next)
        n++;
    return n;
}

static const struct pr_block *nth(const struct pr_block *b, int i)
{
    while (b && i-- > 0)
        b = b->next;
    return b;
}

static int block_depth(const struct pr_block *b)
{
    int max = 0;
    for (; b; b = b->next) {
        int d = 1 + block_depth(b->children);
        if (d > max)
            max = d;
    }
    return max;
}

static int inline_depth(const struct pr_inline *in)
{
    int max = 0;
    for (; in; in = in->next) {
        int d = 1 + inline_depth(in->children);
        if (d > max)
            max = d;
    }
    return max;
}

static void test_blocks(void)
{
    struct t t;
    struct pr_doc *d = parse(&t, "# One\n\n## Two\n\n#### Four\n\nSetext\n======\n\n---\n\n"
                                 "```c\nint x = \"a\" -- b...;\n```\n\n    indented -- code\n\n"
                                 "> quoted\n\n<div>raw html</div>\n\n<!-- comment -->\n\nLast.\n");
    CHECK(nblocks(d->blocks) == 9);
    const struct pr_block *b = d->blocks;
    CHECK(b->kind == PR_BLK_HEADING && b->level == 1);
    CHECK_STR(text_of(b->inlines), "One");
    b = b->next;
    CHECK(b->kind == PR_BLK_HEADING && b->level == 2);
    b = b->next;
    CHECK(b->kind == PR_BLK_HEADING && b->level == 3); /* #### clamps to 3 */
    CHECK_STR(text_of(b->inlines), "Four");
    b = b->next;
    CHECK(b->kind == PR_BLK_HEADING && b->level == 1);
    b = b->next;
    CHECK(b->kind == PR_BLK_RULE);
    b = b->next;
    CHECK(b->kind == PR_BLK_CODE);
    CHECK_STR(b->text, "int x = \"a\" -- b...;");
    b = b->next;
    CHECK(b->kind == PR_BLK_CODE);
    CHECK_STR(b->text, "indented -- code");
    b = b->next;
    CHECK(b->kind == PR_BLK_QUOTE && nblocks(b->children) == 1);
    CHECK(b->children->kind == PR_BLK_PARA);
    CHECK_STR(text_of(b->children->inlines), "quoted");
    b = b->next;
    CHECK(b->kind == PR_BLK_PARA); /* the HTML block and the comment are dropped */
    CHECK_STR(text_of(b->inlines), "Last.");
    /* the HTML block is said (where it starts); the comment is not */
    CHECK(t.b.diags.n == 1 && ndiag(&t, PR_D_HTML) == 1);
    done(&t);
}

static void test_inlines(void)
{
    struct t t;
    struct pr_doc *d = parse(&t, "*em* **strong** [a link](https://example.org/x) `code`  \nnext\nsoft<br>br "
                                 "<b>tag</b>\n");
    const struct pr_inline *in = d->blocks->inlines;
    CHECK(in->kind == PR_IN_EMPH && in->children && in->children->kind == PR_IN_TEXT);
    CHECK_STR(in->children->text, "em");
    in = in->next;
    CHECK(in->kind == PR_IN_TEXT);
    in = in->next;
    CHECK(in->kind == PR_IN_STRONG);
    CHECK_STR(text_of(in->children), "strong");
    in = in->next->next;
    CHECK(in->kind == PR_IN_LINK);
    CHECK_STR(in->url, "https://example.org/x");
    CHECK_STR(text_of(in->children), "a link");
    in = in->next->next;
    CHECK(in->kind == PR_IN_CODE);
    CHECK_STR(in->text, "code");
    in = in->next;
    CHECK(in->kind == PR_IN_LINEBREAK);
    in = in->next;
    CHECK(in->kind == PR_IN_TEXT);
    CHECK_STR(in->text, "next");
    in = in->next;
    CHECK(in->kind == PR_IN_SOFTBREAK);
    in = in->next;
    CHECK_STR(in->text, "soft");
    in = in->next;
    CHECK(in->kind == PR_IN_LINEBREAK); /* <br> */
    in = in->next;
    CHECK(in->kind == PR_IN_TEXT);
    CHECK_STR(in->text, "br tag"); /* other inline HTML is dropped, its text kept */
    CHECK(in->next == NULL);
    done(&t);
}

static void test_smart_punctuation(void)
{
    struct t t;
    struct pr_doc *d = parse(&t, "\"Quoted\" and 'single' -- en --- em... it's `\"a\" -- 'b' ... ---`\n");
    const struct pr_inline *in = d->blocks->inlines;
    CHECK(in->kind == PR_IN_TEXT);
    CHECK_STR(in->text, "“Quoted” and ‘single’ – en — em… it’s ");
    CHECK(in->next && in->next->kind == PR_IN_CODE);
    CHECK_STR(in->next->text, "\"a\" -- 'b' ... ---");
    CHECK(in->next->next == NULL);
    done(&t);
}

static void test_text_merged(void)
{
    struct t t;
    struct pr_doc *d = parse(&t, "Don't [stop] \"now\" & *a*b\\*c &amp; d\n");
    const struct pr_inline *in = d->blocks->inlines;
    CHECK(in->kind == PR_IN_TEXT && in->next && in->next->kind == PR_IN_EMPH);
    CHECK_STR(in->text, "Don’t [stop] “now” & ");
    in = in->next->next;
    CHECK(in && in->kind == PR_IN_TEXT && in->next == NULL);
    CHECK_STR(in->text, "b*c & d");
    done(&t);
}

static void test_footnotes(void)
{
    struct t t;
    struct pr_doc *d = parse(&t, "First[^b] then[^a] and[^b] again.\n\n"
                                 "[^a]: Note A.\n"
                                 "[^b]: Note B, *with* more[^a].\n"
                                 "[^c]: Nobody cites this.\n");
    CHECK(d->nnotes == 2);
    const struct pr_inline *in = d->blocks->inlines;
    int refs[3], n = 0;
    for (; in; in = in->next)
        if (in->kind == PR_IN_NOTEREF && n < 3)
            refs[n++] = in->note;
    CHECK(n == 3 && refs[0] == 1 && refs[1] == 2 && refs[2] == 1);
    CHECK(d->notes[0].number == 1);
    CHECK_STR(d->notes[0].label, "b");
    CHECK(d->notes[0].pos.line == 4 && d->notes[0].pos.col == 1);
    CHECK_STR(text_of(d->notes[0].blocks->inlines), "Note B, with more.");
    CHECK(d->notes[1].number == 2);
    CHECK_STR(d->notes[1].label, "a");
    CHECK(d->notes[1].pos.line == 3);
    CHECK_STR(text_of(d->notes[1].blocks->inlines), "Note A.");
    CHECK(ndiag(&t, PR_D_FOOTNOTE) == 1); /* [^c] is unused */
    const struct pr_diag *x = diag(&t, PR_D_FOOTNOTE);
    CHECK(x && x->pos.line == 5 && x->pos.col == 1 && strstr(x->msg, "[^c]") &&
          strstr(x->msg, "never referenced"));
    CHECK(x && x->severity == PR_SEV_WARNING);
    done(&t);

    parse(&t, "Cited[^x].\n\n[^x]: One.\n\n[^x]: Two.\n");
    CHECK(t.art.doc->nnotes == 1);
    CHECK_STR(text_of(t.art.doc->notes[0].blocks->inlines), "One.");
    x = diag(&t, PR_D_FOOTNOTE);
    CHECK(x && x->pos.line == 5 && strstr(x->msg, "defined twice"));
    done(&t);
}

static void test_undefined_footnote(void)
{
    struct t t;
    parse_at(&t, "Intro.\n\nSee “this”[^gone] and \\[^literal] and `[^code]`.\n", 4, false);
    CHECK(ndiag(&t, PR_D_FOOTNOTE) == 1);
    const struct pr_diag *x = diag(&t, PR_D_FOOTNOTE);
    CHECK(x && x->pos.line == 6 && x->pos.col == 15);
    CHECK(x && x->pos.file && strcmp(x->pos.file, MD_DIR "/unit.md") == 0);
    CHECK(x && strstr(x->msg, "'[^gone]' is referenced but never defined") &&
          strstr(x->msg, "add '[^gone]: …'"));
    CHECK_STR(text_of(t.art.doc->blocks->next->inlines), "See “this”[^gone] and [^literal] and [^code].");
    done(&t);
}

static void test_pullquotes(void)
{
    struct t t;
    struct pr_doc *d = parse(&t, ">> Pull *this*.\n> Still pulled.\n\n"
                                 "> > A quotation inside a quotation.\n\n"
                                 "```pullquote\nSay \"this\" *now*.\n\nAnd that.\n```\n\n"
                                 ">> Heading too\n>\n> - a list\n> - flattened\n");
    CHECK(nblocks(d->blocks) == 4);
    const struct pr_block *b = d->blocks;
    CHECK(b->kind == PR_BLK_PULLQUOTE && nblocks(b->children) == 1);
    CHECK(b->children->kind == PR_BLK_PARA);
    CHECK_STR(text_of(b->children->inlines), "Pull this. Still pulled.");
    b = b->next;
    CHECK(b->kind == PR_BLK_QUOTE && b->children && b->children->kind == PR_BLK_QUOTE);
    b = b->next;
    CHECK(b->kind == PR_BLK_PULLQUOTE && nblocks(b->children) == 2);
    CHECK(b->pos.line == 6 && b->pos.col == 1);
    CHECK(b->children->pos.line == 7);
    CHECK(b->children->next->pos.line == 9);
    CHECK_STR(text_of(b->children->inlines), "Say “this” now.");
    CHECK(b->children->inlines->next && b->children->inlines->next->kind == PR_IN_EMPH);
    b = b->next;
    CHECK(b->kind == PR_BLK_PULLQUOTE && nblocks(b->children) == 3);
    for (const struct pr_block *c = b->children; c; c = c->next)
        CHECK(c->kind == PR_BLK_PARA);
    CHECK(t.b.diags.n == 0);
    done(&t);

    d = parse(&t, ">> ![The view](img/photo.png) from here\n\n```pullquote\nCited[^1]\n```\n\n[^1]: x\n");
    CHECK(d->blocks->kind == PR_BLK_PULLQUOTE && d->blocks->children->kind == PR_BLK_PARA);
    CHECK_STR(text_of(d->blocks->children->inlines), "The view from here");
    CHECK(nblocks(d->blocks) == 2);
    const struct pr_diag *x = diag(&t, PR_D_FOOTNOTE);
    CHECK(x && x->pos.line == 4 && x->pos.col == 6 && strstr(x->msg, "pullquote"));
    done(&t);
}

static void test_lists(void)
{
    struct t t;
    struct pr_doc *d = parse(&t, "3. three\n4. four\n\n   7. seven\n   8. eight\n      - deeper\n5. five\n\n"
                                 "- a\n\n- b\n");
    CHECK(nblocks(d->blocks) == 2);
    const struct pr_block *l = d->blocks;
    CHECK(l->kind == PR_BLK_LIST && l->ordered && l->start == 3 && !l->tight);
    CHECK(nblocks(l->children) == 3);
    const struct pr_block *item = nth(l->children, 1);
    CHECK(item->kind == PR_BLK_ITEM && nblocks(item->children) == 2);
    const struct pr_block *inner = nth(item->children, 1);
    CHECK(inner->kind == PR_BLK_LIST && inner->ordered && inner->start == 7 && inner->tight);
    CHECK(inner->pos.line == 4 && inner->pos.col == 4);
    const struct pr_block *deeper = nth(nth(inner->children, 1)->children, 1);
    CHECK(deeper && deeper->kind == PR_BLK_LIST && !deeper->ordered && deeper->start == 0);
    l = l->next;
    CHECK(l->kind == PR_BLK_LIST && !l->ordered && !l->tight && nblocks(l->children) == 2);
    CHECK_STR(text_of(l->children->children->inlines), "a");
    done(&t);
}

static void test_images(void)
{
    struct t t;
    struct pr_doc *d = parse(&t, "![A photo of *the* march](img/photo.png \"Marchers on Fifth Avenue\")\n\n"
                                 "Text ![inline](img/photo.png) more.\n\n"
                                 "[![linked](img/photo.png)](https://example.org)\n\n"
                                 "![](img/photo.png)\n");
    CHECK(nblocks(d->blocks) == 5);
    const struct pr_block *b = d->blocks;
    CHECK(b->kind == PR_BLK_IMAGE);
    CHECK_STR(b->src, "img/photo.png");
    CHECK_STR(b->path, MD_DIR "/img/photo.png");
    CHECK_STR(b->alt, "A photo of the march");
    CHECK_STR(b->caption, "Marchers on Fifth Avenue");
    CHECK(b->pos.line == 1 && b->pos.col == 1);
    b = b->next;
    CHECK(b->kind == PR_BLK_PARA);
    CHECK_STR(text_of(b->inlines), "Text more.");
    b = b->next;
    CHECK(b->kind == PR_BLK_IMAGE && b->caption == NULL && b->pos.line == 3 && b->pos.col == 6);
    CHECK_STR(b->alt, "inline");
    b = b->next;
    CHECK(b->kind == PR_BLK_IMAGE);
    CHECK_STR(b->alt, "linked");
    b = b->next;
    CHECK(b->kind == PR_BLK_IMAGE && b->path != NULL);
    CHECK_STR(b->alt, "");
    CHECK(ndiag(&t, PR_D_IMAGE_ALT) == 1 && t.b.diags.n == 1);
    const struct pr_diag *x = diag(&t, PR_D_IMAGE_ALT);
    CHECK(x && x->pos.line == 7 && x->pos.col == 1 && strstr(x->msg, "img/photo.png"));
    done(&t);

    d = parse(&t, "![gone](missing.png)\n\n![out](../unit/check.h)\n\n![web](https://example.org/a.png)\n\n"
                  "![enc](img/phot%6F.png)\n");
    CHECK(nblocks(d->blocks) == 4);
    CHECK(d->blocks->path == NULL);
    x = diag(&t, PR_D_NO_FILE);
    CHECK(x && x->pos.line == 1 && strstr(x->msg, "missing.png"));
    CHECK(ndiag(&t, PR_D_NO_FILE) == 2);
    CHECK(nth(d->blocks, 1)->path == NULL);
    x = diag(&t, PR_D_OUTSIDE);
    CHECK(x && x->pos.line == 3 && x->severity == PR_SEV_ERROR);
    CHECK(nth(d->blocks, 2)->path == NULL);
    CHECK_STR(nth(d->blocks, 3)->path, MD_DIR "/img/photo.png");
    done(&t);

    d = parse_at(&t, "![out](../unit/check.h)\n", 1, true);
    CHECK(ndiag(&t, PR_D_OUTSIDE) == 0);
    CHECK_STR(d->blocks->path, MD_DIR "/../unit/check.h");
    done(&t);
}

static void test_direction(void)
{
    struct t t;
    struct pr_doc *d = parse(&t, "مرحبا بالعالم\n\nHello world\n\n123 שלום\n\n«مرحبا» hello\n\n"
                                 "# عنوان\n\n2024 — a year\n\n*‏*x\n");
    const struct pr_block *b = d->blocks;
    CHECK(b->dir == PR_DIR_RTL);
    CHECK(nth(d->blocks, 1)->dir == PR_DIR_LTR);
    CHECK(nth(d->blocks, 2)->dir == PR_DIR_RTL); /* digits are weak */
    CHECK(nth(d->blocks, 3)->dir == PR_DIR_RTL); /* so is punctuation */
    CHECK(nth(d->blocks, 4)->kind == PR_BLK_HEADING && nth(d->blocks, 4)->dir == PR_DIR_RTL);
    CHECK(nth(d->blocks, 5)->dir == PR_DIR_LTR);
    CHECK(nth(d->blocks, 6)->dir == PR_DIR_RTL); /* an RLM decides */
    done(&t);
}

static void test_lang_span(void)
{
    struct t t;
    struct pr_doc *d = parse(&t, "<span lang=\"ar\">نص *عربي*</span>\n\n"
                                 "English <span lang='ar-EG'>عربي</span> text.\n\n"
                                 "<span lang=\"en\">Same language</span>\n\n"
                                 "<span class=\"x\">plain <span lang=he>עברית</span></span> end\n\n"
                                 "*open <span lang=\"fr\">ouvert*</span> after\n");
    const struct pr_block *b = d->blocks;
    CHECK_STR(b->lang, "ar");
    CHECK(b->dir == PR_DIR_RTL);
    CHECK(b->inlines->kind == PR_IN_LANG && b->inlines->next == NULL);
    CHECK_STR(b->inlines->lang, "ar");
    CHECK(b->inlines->children->next && b->inlines->children->next->kind == PR_IN_EMPH);
    b = b->next;
    CHECK(b->lang == NULL && b->dir == PR_DIR_LTR);
    CHECK(b->inlines->next->kind == PR_IN_LANG);
    CHECK_STR(b->inlines->next->lang, "ar-EG");
    CHECK_STR(text_of(b->inlines), "English عربي text.");
    b = b->next;
    CHECK(b->lang == NULL && b->inlines->kind == PR_IN_LANG);
    b = b->next;
    CHECK(b->inlines->kind == PR_IN_TEXT);
    CHECK_STR(b->inlines->text, "plain ");
    CHECK(b->inlines->next->kind == PR_IN_LANG);
    CHECK_STR(b->inlines->next->lang, "he");
    CHECK(b->inlines->next->next->kind == PR_IN_TEXT);
    CHECK_STR(b->inlines->next->next->text, " end");
    b = b->next;
    /* a span closes with the emphasis it opened in */
    CHECK(b->inlines->kind == PR_IN_EMPH);
    CHECK(b->inlines->children->next->kind == PR_IN_LANG);
    CHECK_STR(text_of(b->inlines), "open ouvert after");
    done(&t);
}

static void test_positions(void)
{
    struct t t;
    struct pr_doc *d = parse_at(&t, "Para\n\n## Head\n\n> quote\n>\n> - item\n", 10, false);
    const struct pr_block *b = d->blocks;
    CHECK(b->pos.line == 10 && b->pos.col == 1);
    CHECK_STR(b->pos.file, MD_DIR "/unit.md");
    CHECK(b->next->pos.line == 12 && b->next->pos.col == 1);
    b = b->next->next;
    CHECK(b->kind == PR_BLK_QUOTE && b->pos.line == 14 && b->pos.col == 1);
    CHECK(b->children->pos.line == 14 && b->children->pos.col == 3);
    CHECK(b->children->next->kind == PR_BLK_LIST && b->children->next->pos.line == 16);
    done(&t);

    d = parse_at(&t, "a\r\nb[^n]\r\n\r\nc[^x]\r\n\r\n[^n]: note\r\n", 3, false);
    const struct pr_diag *x = diag(&t, PR_D_FOOTNOTE);
    CHECK(x && x->pos.line == 6 && x->pos.col == 2);
    CHECK(d->notes && d->notes[0].pos.line == 8);
    done(&t);
}

static void test_deep_nesting(void)
{
    struct t t;
    enum { LEVELS = 5000 };
    char *md = malloc(LEVELS * 2 + 16);
    for (int i = 0; i < LEVELS; i++)
        memcpy(md + 2 * i, "> ", 2);
    strcpy(md + LEVELS * 2, "deep\n");
    struct pr_doc *d = parse(&t, md);
    CHECK(ndiag(&t, PR_D_LIMIT) == 1);
    CHECK(diag(&t, PR_D_LIMIT) && diag(&t, PR_D_LIMIT)->severity == PR_SEV_ERROR);
    CHECK(block_depth(d->blocks) == 33); /* 32 quotes and the paragraph */
    const struct pr_block *b = d->blocks;
    while (b->children)
        b = b->children;
    CHECK(b->kind == PR_BLK_PARA);
    CHECK_STR(text_of(b->inlines), "deep");
    done(&t);
    free(md);

    /* lists, and 100000 quotes on two lines: iterative, so no stack overflow */
    enum { BIG = 100000 };
    md = malloc(BIG * 4 + 64);
    char *p = md;
    for (int i = 0; i < 200; i++) {
        memset(p, ' ', (size_t)i * 2);
        p += i * 2;
        p += sprintf(p, "- x%d\n", i);
    }
    *p++ = '\n';
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < BIG; i++)
            *p++ = '>';
        strcpy(p, k ? " more\n" : "\n");
        p += strlen(p);
    }
    d = parse(&t, md);
    CHECK(ndiag(&t, PR_D_LIMIT) == 1);
    CHECK(block_depth(d->blocks) <= 2 * 32 + 1);
    done(&t);

    p = md;
    for (int i = 0; i < 2000; i++)
        p += sprintf(p, "> ");
    for (int i = 0; i < 3000; i++)
        p += sprintf(p, "*a **b ");
    strcpy(p, "\n");
    d = parse(&t, md);
    CHECK(ndiag(&t, PR_D_LIMIT) == 1);
    b = d->blocks;
    while (b->children)
        b = b->children;
    CHECK(b->kind == PR_BLK_PARA && inline_depth(b->inlines) <= 32 + 1);
    done(&t);
    free(md);
}

static void test_words_and_empty(void)
{
    struct t t;
    struct pr_doc *d = parse(&t, "One two  three\n\nfour*five* six — seven\n\n- `code word`\n\n"
                                 "```\nthree code words\n```\n\nNote[^1].\n\n[^1]: Two more.\n");
    CHECK(d->words == 3 + 4 + 2 + 3 + 1 + 2);
    CHECK(t.b.diags.n == 0);
    done(&t);

    d = parse(&t, "");
    CHECK(d && d->blocks == NULL && d->nnotes == 0);
    CHECK(ndiag(&t, PR_D_EMPTY_ARTICLE) == 1);
    const struct pr_diag *x = diag(&t, PR_D_EMPTY_ARTICLE);
    CHECK(x && x->severity == PR_SEV_WARNING && x->pos.file && x->pos.line == 0);
    done(&t);

    d = parse(&t, "<!-- only a comment -->\n\n<div>\nand raw HTML\n</div>\n");
    CHECK(d->blocks == NULL && ndiag(&t, PR_D_EMPTY_ARTICLE) == 1 && ndiag(&t, PR_D_HTML) == 1 &&
          t.b.diags.n == 2);
    done(&t);

    memset(&t, 0, sizeof t);
    t.b.arena = pr_arena_new();
    t.b.in = (struct pr_input){.arena = t.b.arena, .diags = &t.b.diags};
    t.art.path = "x.md";
    pr_markdown_parse(&t.b.in, NULL, &t.art); /* no body: the file was unreadable, reported already */
    CHECK(t.art.doc && t.art.doc->blocks == NULL && ndiag(&t, PR_D_EMPTY_ARTICLE) == 0);
    done(&t);
}

static void test_dump(void)
{
    struct t t;
    parse(&t, "# Title \"x\"\n\n1. a\\\n   b\n\n> q[^1]\n\n    code\n\n[^1]: n\n");
    t.issue.title = "Mag";
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    pr_dump_doc(&t.issue, f);
    fclose(f);
    CHECK_STR(out, "issue\n"
                   "  title: \"Mag\"\n"
                   "article unit (unit.md) lang=en\n"
                   "  words: 7\n"
                   "  heading 1:1 level=1 dir=ltr\n"
                   "    text \"Title “x”\"\n"
                   "  list 3:1 ordered start=1 tight\n"
                   "    item 3:1\n"
                   "      para 3:4 dir=ltr\n"
                   "        text \"a\"\n"
                   "        linebreak\n"
                   "        text \"b\"\n"
                   "  quote 6:1\n"
                   "    para 6:3 dir=ltr\n"
                   "      text \"q\"\n"
                   "      noteref 1\n"
                   "  code 8:5\n"
                   "    | code\n"
                   "  footnote 1 [^1] 10:1\n"
                   "    para 10:7 dir=ltr\n"
                   "      text \"n\"\n");
    free(out);
    done(&t);
}

/* ---------- goldens ---------- */

static bool is_md(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return n > 3 && strcmp(e->d_name + n - 3, ".md") == 0;
}

static int filter_md(const struct dirent *e)
{
    return is_md(e);
}

/* Front matter is skipped the way the manifest stage does: the body starts
 * after the closing "---" line, and positions count from the file's top. */
static void split_front_matter(const char *text, const char **body, int *body_line)
{
    *body = text;
    *body_line = 1;
    if (strncmp(text, "---\n", 4) != 0)
        return;
    const char *end = strstr(text + 3, "\n---\n");
    if (!end)
        return;
    *body = end + 5;
    for (const char *s = text; s < *body; s++)
        *body_line += *s == '\n';
}

static void golden(const char *name)
{
    char md_path[512], doc_path[512];
    snprintf(md_path, sizeof md_path, MD_DIR "/%s", name);
    snprintf(doc_path, sizeof doc_path, MD_DIR "/%.*s.doc", (int)strlen(name) - 3, name);
    struct t t;
    memset(&t, 0, sizeof t);
    t.b.arena = pr_arena_new();
    pr_diags_init(&t.b.diags);
    t.b.in = (struct pr_input){.arena = t.b.arena, .diags = &t.b.diags};
    t.issue.dir = MD_DIR;
    t.issue.articles = &t.art;
    t.issue.narticles = 1;
    long len;
    const char *text = pr_file_read(&t.b.in, md_path, (struct pr_pos){0}, &len);
    CHECK(text != NULL);
    if (!text) {
        done(&t);
        return;
    }
    t.art.path = pr_arena_strdup(t.b.arena, md_path);
    t.art.file = name;
    t.art.id = pr_arena_strndup(t.b.arena, name, strlen(name) - 3);
    t.art.language = "en";
    split_front_matter(text, &t.art.body, &t.art.body_line);
    t.art.body_len = len - (t.art.body - text);
    pr_markdown_parse(&t.b.in, &t.issue, &t.art);

    char *out = NULL;
    size_t olen = 0;
    FILE *f = open_memstream(&out, &olen);
    pr_dump_doc(&t.issue, f);
    fputs("diagnostics:\n", f);
    if (t.b.diags.n)
        pr_diags_print(&t.b.diags, f);
    fclose(f);

    if (getenv("UPDATE")) {
        FILE *w = fopen(doc_path, "w");
        CHECK(w != NULL);
        if (w) {
            fwrite(out, 1, olen, w);
            fclose(w);
        }
        printf("updated %s\n", doc_path);
    } else {
        long wlen = 0;
        FILE *probe = fopen(doc_path, "r");
        char *want = NULL;
        if (probe) {
            fclose(probe);
            want = pr_file_read(&t.b.in, doc_path, (struct pr_pos){0}, &wlen);
        }
        bool same = want && strcmp(want, out) == 0;
        if (!same) {
            const char *a = out, *b = want ? want : "";
            int line = 1;
            while (*a && *a == *b) {
                line += *a == '\n';
                a++;
                b++;
            }
            if (want)
                fprintf(stderr, "%s: differs from the dump at line %d (UPDATE=1 rewrites it)\n",
                        doc_path, line);
            else
                fprintf(stderr, "%s: missing (UPDATE=1 writes it)\n", doc_path);
        }
        CHECK(same);
    }
    free(out);
    done(&t);
}

static void test_goldens(void)
{
    struct dirent **list;
    int n = scandir(MD_DIR, &list, filter_md, alphasort);
    CHECK(n >= 2);
    for (int i = 0; i < n; i++) {
        golden(list[i]->d_name);
        free(list[i]);
    }
    if (n >= 0)
        free(list);
}

/* GFM tables: cells, alignment, numeric columns, the caption; a table in
 * a pull quote is said and left out; rows cmark pads or cuts. */
static void test_tables(void)
{
    struct t t;
    struct pr_doc *d = parse(&t, "| a | *b* | c |\n|:-|:-:|--|\n| x | y | 1.5 |\n| z |\n\n"
                                 "Table: The *caption*.\n\nAfter.\n");
    const struct pr_block *tb = d->blocks;
    CHECK(tb && tb->kind == PR_BLK_TABLE && tb->rows == 3 && tb->cols == 3);
    if (tb && tb->kind == PR_BLK_TABLE && tb->rows == 3 && tb->cols == 3) {
        CHECK(tb->align[0] == PR_CELL_LEFT && tb->align[1] == PR_CELL_CENTER && tb->align[2] == PR_CELL_NONE);
        CHECK(!tb->numeric[0] && !tb->numeric[1] && tb->numeric[2]);
        CHECK(tb->cells[1]->kind == PR_IN_EMPH);
        CHECK_STR(tb->cells[5]->text, "1.5");
        CHECK(tb->cells[7] == NULL && tb->cells[8] == NULL); /* the short row, padded */
        CHECK(tb->inlines && tb->inlines->kind == PR_IN_TEXT);
        CHECK_STR(tb->inlines->text, "The ");
        CHECK(tb->pos.line == 1 && tb->pos.col == 1);
        CHECK(tb->next && tb->next->kind == PR_BLK_PARA && tb->next->next == NULL);
    }
    CHECK(t.b.diags.n == 0);
    done(&t);
    /* "Table:" not after a table is a paragraph */
    d = parse(&t, "Table: nothing\n");
    CHECK(d->blocks && d->blocks->kind == PR_BLK_PARA);
    done(&t);
    d = parse(&t, "| a |\n|---|\n| ![pic](x.png) |\n");
    CHECK(ndiag(&t, PR_D_UNSET) == 1 && d->blocks && d->blocks->kind == PR_BLK_TABLE);
    if (d->blocks && d->blocks->kind == PR_BLK_TABLE)
        CHECK(d->blocks->cells[1] && d->blocks->cells[1]->kind == PR_IN_TEXT &&
              strcmp(d->blocks->cells[1]->text, "pic") == 0);
    done(&t);
    d = parse(&t, "Before.\n\n>> | q |\n>> |---|\n>> | r |\n");
    CHECK(ndiag(&t, PR_D_UNSET) == 1 && diag(&t, PR_D_UNSET)->pos.line == 3);
    CHECK(d->blocks && d->blocks->next && d->blocks->next->kind == PR_BLK_PULLQUOTE);
    done(&t);
}

/* ~~struck~~ text, fill-in fields (inline, a coupon, a line of only
 * underscores), task list items. */
static void test_strike_fields(void)
{
    struct t t;
    struct pr_doc *d = parse(&t, "A ~~b~~ c\n\nName ________\nCity ____ Zip ___\n\n______\n\n___\n\n"
                                 "- [ ] open\n- [x] done\n");
    const struct pr_block *b = d->blocks;
    CHECK(b && b->inlines && b->inlines->next && b->inlines->next->kind == PR_IN_STRIKE && !b->fields);
    b = b ? b->next : NULL;
    CHECK(b && b->kind == PR_BLK_PARA && b->fields);
    if (b && b->fields) {
        const struct pr_inline *in = b->inlines;
        CHECK_STR(in->text, "Name ");
        CHECK(in->next && in->next->kind == PR_IN_FIELD && in->next->note == 8);
        CHECK(in->next && in->next->next && in->next->next->kind == PR_IN_LINEBREAK);
        const struct pr_inline *last = in;
        while (last->next)
            last = last->next;
        CHECK(last->kind == PR_IN_TEXT && strcmp(last->text, " Zip ___") == 0); /* three is no field */
    }
    b = b ? b->next : NULL;
    CHECK(b && b->kind == PR_BLK_PARA && b->fields && b->inlines->kind == PR_IN_FIELD && b->inlines->note == 6);
    b = b ? b->next : NULL;
    CHECK(b && b->kind == PR_BLK_RULE); /* ___ is a thematic break */
    b = b ? b->next : NULL;
    CHECK(b && b->kind == PR_BLK_LIST && ndiag(&t, PR_D_UNSET) == 2);
    if (b && b->kind == PR_BLK_LIST && b->children && b->children->children)
        CHECK_STR(b->children->children->inlines->text, "[ ] open");
    done(&t);
}

int main(void)
{
    /* ctest runs from the source folder; elsewhere find it from this file */
    if (access(MD_DIR, F_OK) != 0) {
        char root[1024];
        snprintf(root, sizeof root, "%s", __FILE__);
        char *cut = strstr(root, "/tests/unit/");
        if (cut) {
            *cut = 0;
            if (chdir(root) != 0)
                perror(root);
        }
    }
    test_blocks();
    test_inlines();
    test_smart_punctuation();
    test_text_merged();
    test_footnotes();
    test_undefined_footnote();
    test_pullquotes();
    test_lists();
    test_images();
    test_direction();
    test_lang_span();
    test_positions();
    test_deep_nesting();
    test_words_and_empty();
    test_tables();
    test_strike_fields();
    test_dump();
    test_goldens();
    return DONE();
}

/* test_manifest.c - unit tests of the input stage: manifest (issue.yaml),
 * front matter, layouts and the YAML tree's defences. Fixtures live in
 * tests/manifest/; run from the source root (ctest does). */
#include "input.h"
#include "yamltree.h"
#include "check.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What the input stages are given, with the arena and diagnostics it
 * points at (build.c fills one per build the same way). */
struct tin {
    struct pr_arena *arena;
    struct pr_diags diags;
    struct pr_input in;
};

static struct tin *new_build(void)
{
    struct tin *b = calloc(1, sizeof *b);
    b->arena = pr_arena_new();
    pr_diags_init(&b->diags);
    b->in = (struct pr_input){.arena = b->arena, .diags = &b->diags, .datadir = "."};
    return b;
}

static void free_build(struct tin *b)
{
    pr_diags_free(&b->diags);
    pr_arena_free(b->arena);
    free(b);
}

static void print_diags(struct tin *b)
{
    for (unsigned i = 0; i < b->diags.n; i++) {
        const struct pr_diag *d = &b->diags.v[i];
        fprintf(stderr, "  [%s] %s:%d:%d: %s\n", pr_diag_name(d->code),
                d->pos.file ? d->pos.file : "-", d->pos.line, d->pos.col, d->msg);
    }
}

/* The diagnostic with this code at file (suffix) line:col whose message holds
 * `text`; reports the list when it is not there. */
static const struct pr_diag *find(struct tin *b, enum pr_diag_code code, const char *file,
                                  int line, int col, const char *text)
{
    for (unsigned i = 0; i < b->diags.n; i++) {
        const struct pr_diag *d = &b->diags.v[i];
        const char *f = d->pos.file ? d->pos.file : "";
        size_t fl = strlen(f), sl = file ? strlen(file) : 0;
        if (d->code != code || d->pos.line != line || d->pos.col != col)
            continue;
        if (file ? !(fl >= sl && strcmp(f + fl - sl, file) == 0) : d->pos.file != NULL)
            continue;
        if (text && !strstr(d->msg, text))
            continue;
        return d;
    }
    fprintf(stderr, "missing diagnostic [%s] %s:%d:%d '%s'; have:\n", pr_diag_name(code),
            file ? file : "-", line, col, text ? text : "");
    print_diags(b);
    return NULL;
}

static unsigned count(struct tin *b, enum pr_diag_code code)
{
    unsigned n = 0;
    for (unsigned i = 0; i < b->diags.n; i++)
        n += b->diags.v[i].code == code;
    return n;
}

static bool near(double a, double b)
{
    return fabs(a - b) < 0.01;
}

static bool same_color(struct pr_color c, unsigned rgb)
{
    return near(c.r, ((rgb >> 16) & 255) / 255.0) && near(c.g, ((rgb >> 8) & 255) / 255.0) &&
           near(c.b, (rgb & 255) / 255.0);
}

/* ---------- a good issue ---------- */

static void test_good_manifest(void)
{
    struct tin *b = new_build();
    struct pr_issue *is = pr_manifest_load(&b->in, "tests/manifest/good");
    CHECK(is != NULL);
    CHECK(b->diags.n == 0);
    if (b->diags.n)
        print_diags(b);
    if (!is) {
        free_build(b);
        return;
    }
    CHECK_STR(is->manifest_path, "tests/manifest/good/issue.yaml");
    CHECK_STR(is->dir, "tests/manifest/good");
    CHECK_STR(is->title, "The Test Review");
    CHECK_STR(is->issue, "Spring 2024 — Test Edition");
    CHECK_STR(is->date, "2024-04-20");
    CHECK_STR(is->slug, "test-spring");
    CHECK_STR(is->language, "en");
    CHECK_STR(is->publisher, "Test Press");
    CHECK(is->volume == 8);
    CHECK(is->number == 4);
    CHECK_STR(is->layout_name, "digest");
    CHECK(is->layout_pos.line == 10 && is->layout_pos.col == 9);
    CHECK_STR(is->cover_image, "images/cover.jpg");
    CHECK_STR(is->cover_image_path, "tests/manifest/good/images/cover.jpg");
    CHECK(is->cover_image_pos.line == 12 && is->cover_image_pos.col == 10);
    CHECK(is->ncover_lines == 2);
    if (is->ncover_lines == 2) {
        CHECK_STR(is->cover_lines[0], "Labor Notes 2024");
        CHECK_STR(is->cover_lines[1], "Palestine and Permanent Revolution");
    }
    /* layout: digest, from the manifest */
    CHECK_STR(is->layout.name, "digest");
    CHECK(near(is->layout.page_w, 148 * 72 / 25.4) && near(is->layout.page_h, 210 * 72 / 25.4));
    CHECK(is->layout.columns == 1);

    /* editorial: default title, no front matter, body from line 1 */
    struct pr_article *ed = is->editorial;
    CHECK(ed != NULL);
    if (ed) {
        CHECK(ed->editorial);
        CHECK_STR(ed->title, "In This Issue");
        CHECK_STR(ed->id, "editorial");
        CHECK_STR(ed->path, "tests/manifest/good/editorial.md");
        CHECK(ed->body_line == 1);
        CHECK(ed->body && strncmp(ed->body, "Welcome to the issue.", 21) == 0);
        CHECK_STR(ed->language, "en");
        CHECK(ed->pos.line == 14 && ed->pos.col == 1);
    }

    CHECK(is->narticles == 3);
    if (is->narticles != 3) {
        free_build(b);
        return;
    }
    /* 1: manifest wins over front matter; the rest comes from front matter */
    struct pr_article *a = &is->articles[0];
    CHECK(!a->editorial);
    CHECK_STR(a->file, "articles/palestine.md");
    CHECK_STR(a->path, "tests/manifest/good/articles/palestine.md");
    CHECK_STR(a->id, "palestine");
    CHECK(a->pos.line == 16 && a->pos.col == 5);
    CHECK_STR(a->title, "The Movement for Palestine Needs Independent, Working-Class Politics");
    CHECK_STR(a->deck, "The deck comes from the front matter.");
    CHECK_STR(a->date, "2024-04-07");
    CHECK(a->nauthors == 2);
    if (a->nauthors == 2) {
        CHECK_STR(a->authors[0], "Tatiana Cozzarelli");
        CHECK_STR(a->authors[1], "Second Author");
    }
    CHECK_STR(a->section, "Ideas & Debates");
    CHECK_STR(a->image, "images/lead.jpg");
    CHECK_STR(a->image_path, "tests/manifest/good/images/lead.jpg");
    CHECK(a->image_pos.line == 20 && a->image_pos.col == 12);
    CHECK_STR(a->image_alt, "Marchers with flags");
    CHECK(a->translator == NULL && a->note == NULL && a->caption == NULL);
    CHECK_STR(a->language, "en");
    CHECK(a->body_line == 7);
    CHECK(a->body && strcmp(a->body, "The body starts on line 7.\n") == 0);
    CHECK(a->body_len == (long)strlen("The body starts on line 7.\n"));

    /* 2: one author as a string; front matter closed by '...'; the image in
     * the front matter is relative to the article's file */
    a = &is->articles[1];
    CHECK_STR(a->id, "trotsky");
    CHECK_STR(a->title, "A Journey Through the Life of Leon Trotsky");
    CHECK(a->nauthors == 1);
    if (a->nauthors == 1)
        CHECK_STR(a->authors[0], "La Izquierda Diario");
    CHECK_STR(a->translator, "Scott Cooper");
    CHECK_STR(a->note, "First published in Spanish on August 20.");
    CHECK_STR(a->language, "es");
    CHECK_STR(a->image, "../images/lead.jpg");
    CHECK_STR(a->image_path, "tests/manifest/good/articles/../images/lead.jpg");
    CHECK_STR(a->image_pos.file, "tests/manifest/good/articles/trotsky.md");
    CHECK(a->image_pos.line == 4 && a->image_pos.col == 8);
    CHECK_STR(a->image_alt, "A portrait");
    CHECK_STR(a->caption, "Trotsky in 1920");
    CHECK(a->body_line == 8);
    CHECK(a->body && strncmp(a->body, "# A heading on line 8\n", 22) == 0);

    /* 3: a bare path as the entry; the same stem gets a -2 */
    a = &is->articles[2];
    CHECK_STR(a->file, "articles/more/palestine.md");
    CHECK_STR(a->id, "palestine-2");
    CHECK_STR(a->title, "A Second File Named Palestine");
    CHECK(a->nauthors == 0);
    CHECK(a->body_line == 4);
    free_build(b);
}

/* ---------- a manifest with every mistake, in one load ---------- */

static void test_broken_manifest(void)
{
    struct tin *b = new_build();
    struct pr_issue *is = pr_manifest_load(&b->in, "tests/manifest/broken/issue.yaml");
    const char *m = "tests/manifest/broken/issue.yaml";
    const char *one = "tests/manifest/broken/articles/one.md";
    const char *two = "tests/manifest/broken/articles/two.md";
    CHECK(is != NULL);
    CHECK(find(b, PR_D_MISSING_KEY, m, 1, 1, "missing required key 'date'; add 'date: YYYY-MM-DD'"));
    CHECK(find(b, PR_D_VALUE, m, 4, 9, "'volume' should be a whole number"));
    CHECK(find(b, PR_D_LAYOUT, m, 5, 9,
               "unknown layout 'magasine'; did you mean 'magazine'? (layouts: digest, ereader, magazine)"));
    CHECK(find(b, PR_D_UNKNOWN_KEY, m, 6, 1, "unknown key 'colour-scheme'; known keys are: title, issue, date"));
    CHECK(find(b, PR_D_NO_FILE, m, 8, 10, "'images/nope.jpg' not found"));
    CHECK(find(b, PR_D_TYPE, m, 9, 10, "'lines' should be a line of text or a list of lines, not a mapping"));
    CHECK(find(b, PR_D_UNKNOWN_KEY, m, 12, 5, "unknown key 'autors'; did you mean 'authors'?"));
    CHECK(find(b, PR_D_DUPLICATE_KEY, m, 14, 5, "duplicate key 'title' (first given on line 13)"));
    CHECK(find(b, PR_D_VALUE, m, 15, 11, "'2024-02-30'"));
    CHECK(find(b, PR_D_MISSING_KEY, m, 16, 5, "missing required key 'file'"));
    CHECK(find(b, PR_D_NO_FILE, m, 18, 11, "'articles/missing.md' not found"));
    CHECK(find(b, PR_D_OUTSIDE, m, 19, 11, "'../outside.md' is outside the issue folder"));
    CHECK(find(b, PR_D_TYPE, m, 21, 11, "'deck' should be text, not a mapping"));
    CHECK(find(b, PR_D_YAML_ALIAS, m, 22, 14, "alias '*pub' refused"));
    /* front matter: positions are the file's lines */
    CHECK(find(b, PR_D_UNKNOWN_KEY, one, 2, 1, "unknown key 'autor'; did you mean 'authors'?"));
    CHECK(find(b, PR_D_UNKNOWN_KEY, one, 3, 1, "'file' is not allowed in front matter"));
    CHECK(find(b, PR_D_VALUE, one, 4, 7, "bad date '20 April 2024'"));
    CHECK(find(b, PR_D_FRONTMATTER, two, 1, 1, "never closed"));
    /* nothing else: no follow-up errors */
    CHECK(b->diags.n == 18);
    CHECK(b->diags.errors == 18);
    if (b->diags.n != 18)
        print_diags(b);
    if (is) {
        /* carried on with what was right */
        CHECK_STR(is->title, "The Broken Review");
        CHECK(is->volume == 0);
        CHECK_STR(is->layout.name, "magazine");
        CHECK(is->cover_image_path == NULL);
        CHECK(is->narticles == 4); /* the entry without a file is dropped */
        if (is->narticles == 4) {
            CHECK_STR(is->articles[0].title, "One");
            CHECK(is->articles[0].date == NULL);
            CHECK(is->articles[0].nauthors == 0);
            CHECK_STR(is->articles[1].id, "missing");
            CHECK_STR(is->articles[1].title, "missing"); /* its id stands in */
            CHECK(is->articles[1].body == NULL);          /* not read */
            CHECK_STR(is->articles[3].id, "two");
            CHECK(is->articles[3].deck == NULL && is->articles[3].section == NULL);
            /* unclosed front matter: the whole file is the body */
            CHECK(is->articles[3].body_line == 1);
            CHECK(strncmp(is->articles[3].body, "---\ntitle: Two\n", 15) == 0);
        }
    }
    free_build(b);

    /* --allow-outside lets the outside article in */
    b = new_build();
    b->in.allow_outside = true;
    is = pr_manifest_load(&b->in, "tests/manifest/broken/issue.yaml");
    CHECK(count(b, PR_D_OUTSIDE) == 0);
    CHECK(is && is->narticles == 4 && strcmp(is->articles[2].title, "Outside the issue folder") == 0);
    free_build(b);
}

static void test_manifest_edges(void)
{
    /* an empty article list; slug from the folder name; a leap day */
    struct tin *b = new_build();
    struct pr_issue *is = pr_manifest_load(&b->in, "tests/manifest/empty.yaml");
    CHECK(is != NULL);
    CHECK(find(b, PR_D_NO_ARTICLES, "tests/manifest/empty.yaml", 4, 11, "lists no article"));
    CHECK(b->diags.n == 1);
    if (is) {
        CHECK_STR(is->slug, "manifest");
        CHECK_STR(is->date, "2024-02-29");
        CHECK(is->narticles == 0 && is->editorial == NULL);
    }
    free_build(b);

    /* a syntax error: libyaml's problem text at its mark, no follow-ups */
    b = new_build();
    is = pr_manifest_load(&b->in, "tests/manifest/syntax.yaml");
    CHECK(is != NULL);
    CHECK(find(b, PR_D_YAML, "tests/manifest/syntax.yaml", 3, 5,
               "did not find expected ',' or ']' while parsing a flow sequence (started on line 2)"));
    CHECK(b->diags.n == 1);
    if (is)
        CHECK_STR(is->title, "Syntax Error Weekly");
    free_build(b);

    /* no manifest at all */
    b = new_build();
    CHECK(pr_manifest_load(&b->in, "tests/manifest/no-such-issue") == NULL);
    CHECK(find(b, PR_D_READ, NULL, 0, 0, "cannot read 'tests/manifest/no-such-issue'"));
    free_build(b);
    b = new_build();
    CHECK(pr_manifest_load(&b->in, "tests/manifest/layouts") == NULL);
    CHECK(find(b, PR_D_READ, NULL, 0, 0, "no issue.yaml in folder"));
    free_build(b);

    /* --layout wins over the manifest; an unknown one is reported without
     * a position in a file */
    b = new_build();
    b->in.layout = "ereader";
    is = pr_manifest_load(&b->in, "tests/manifest/good/");
    CHECK(is && b->diags.n == 0);
    if (is) {
        CHECK_STR(is->manifest_path, "tests/manifest/good/issue.yaml");
        CHECK_STR(is->layout.name, "ereader");
        CHECK_STR(is->layout_name, "ereader");
        CHECK(near(is->layout.page_w, 432) && near(is->layout.page_h, 648));
    }
    free_build(b);
    b = new_build();
    b->in.layout = "digset";
    is = pr_manifest_load(&b->in, "tests/manifest/good");
    CHECK(find(b, PR_D_LAYOUT, NULL, 0, 0, "unknown layout 'digset'; did you mean 'digest'?"));
    CHECK(is && strcmp(is->layout.name, "magazine") == 0);
    free_build(b);
}

/* ---------- front matter ---------- */

static void test_frontmatter(void)
{
    struct tin *b = new_build();
    const char *yaml, *body;
    long ylen;
    int yline, bline;

    const char *t1 = "---\ntitle: X\n---\nBody\n";
    CHECK(pr_frontmatter_split(&b->in, "a.md", t1, (long)strlen(t1), &yaml, &ylen, &yline, &body, &bline));
    CHECK(yaml == t1 + 4 && ylen == 9 && yline == 2);
    CHECK_STR(body, "Body\n");
    CHECK(bline == 4);

    /* no front matter: a rule further down is not one */
    const char *t2 = "Text\n---\nmore\n";
    CHECK(pr_frontmatter_split(&b->in, "a.md", t2, (long)strlen(t2), &yaml, &ylen, &yline, &body, &bline));
    CHECK(yaml == NULL && body == t2 && bline == 1);

    /* CRLF line ends, a BOM, '...' closing, trailing spaces on the fences */
    const char *t3 = "\xEF\xBB\xBF---  \r\na: 1\r\nb: 2\r\n... \r\n\r\nBody";
    CHECK(pr_frontmatter_split(&b->in, "a.md", t3, (long)strlen(t3), &yaml, &ylen, &yline, &body, &bline));
    CHECK(yaml && ylen == 12 && strncmp(yaml, "a: 1\r\nb: 2\r\n", 12) == 0);
    CHECK_STR(body, "\r\nBody");
    CHECK(bline == 5);

    /* empty front matter, and a file that is only front matter */
    const char *t4 = "---\n---";
    CHECK(pr_frontmatter_split(&b->in, "a.md", t4, (long)strlen(t4), &yaml, &ylen, &yline, &body, &bline));
    CHECK(yaml && ylen == 0 && *body == 0 && bline == 3);

    /* '----' does not open front matter */
    const char *t5 = "----\ntitle: x\n---\n";
    CHECK(pr_frontmatter_split(&b->in, "a.md", t5, (long)strlen(t5), &yaml, &ylen, &yline, &body, &bline));
    CHECK(yaml == NULL && bline == 1);
    CHECK(b->diags.n == 0);

    /* unclosed */
    const char *t6 = "---\ntitle: x\n\nBody\n";
    CHECK(!pr_frontmatter_split(&b->in, "a.md", t6, (long)strlen(t6), &yaml, &ylen, &yline, &body, &bline));
    CHECK(find(b, PR_D_FRONTMATTER, "a.md", 1, 1, "never closed"));
    CHECK(yaml == NULL && body == t6 && bline == 1);
    free_build(b);
}

/* ---------- the YAML tree's defences ---------- */

static void test_yaml_defences(void)
{
    struct tin *b = new_build();
    struct pr_ynode *root;

    /* a billion laughs: every alias is refused, nothing is expanded */
    const char *bomb =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
    clock_t t0 = clock();
    CHECK(pr_ytree_parse(&b->in, "bomb.yaml", bomb, (long)strlen(bomb), 0, &root));
    CHECK(count(b, PR_D_YAML_ALIAS) == 72);
    CHECK(find(b, PR_D_YAML_ALIAS, "bomb.yaml", 2, 8, "'*a'"));
    CHECK(root && root->kind == PR_Y_MAP && root->n == 9);
    if (root && root->child && root->child->next) {
        const struct pr_ynode *bl = root->child->next;
        CHECK(bl->kind == PR_Y_SEQ && bl->n == 9 && bl->child->kind == PR_Y_BAD);
    }
    CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
    free_build(b);

    /* deep nesting stops at the limit, without recursion */
    b = new_build();
    size_t deep = 100000;
    char *s = malloc(2 * deep + 1);
    memset(s, '[', deep);
    memset(s + deep, ']', deep);
    s[2 * deep] = 0;
    CHECK(!pr_ytree_parse(&b->in, "deep.yaml", s, (long)(2 * deep), 0, &root));
    CHECK(find(b, PR_D_LIMIT, "deep.yaml", 1, PR_YAML_MAX_DEPTH + 1, "nested more than 64"));
    CHECK(b->diags.n == 1);
    free(s);
    free_build(b);

    /* too many nodes */
    b = new_build();
    size_t items = PR_YAML_MAX_NODES + 10;
    s = malloc(items * 2 + 3);
    char *o = s;
    *o++ = '[';
    for (size_t i = 0; i < items; i++) {
        *o++ = '1';
        *o++ = ',';
    }
    o[-1] = ']';
    *o = 0;
    CHECK(!pr_ytree_parse(&b->in, "many.yaml", s, (long)(o - s), 0, &root));
    CHECK(count(b, PR_D_LIMIT) == 1 && b->diags.n == 1);
    free(s);
    free_build(b);

    /* line offset (front matter), a second document, and a quoted null */
    b = new_build();
    const char *t = "a: 1\nb: 'null'\nc: ~\n---\nd: 2\n";
    CHECK(!pr_ytree_parse(&b->in, "x.md", t, (long)strlen(t), 1, &root));
    CHECK(find(b, PR_D_YAML, "x.md", 5, 1, "second YAML document"));
    CHECK(root && root->n == 3);
    if (root && root->n == 3) {
        const struct pr_ynode *v = root->child;
        CHECK(v->pos.line == 2 && v->pos.col == 4 && v->key->pos.line == 2);
        CHECK(!pr_ynode_is_null(v->next) && pr_ynode_is_null(v->next->next));
    }
    free_build(b);
}

/* ---------- layouts ---------- */

static bool same_font(const struct pr_font *a, const struct pr_font *b)
{
    return a->family && b->family && strcmp(a->family, b->family) == 0 &&
           near(a->size, b->size) && near(a->leading, b->leading) && a->weight == b->weight &&
           a->italic == b->italic && a->caps == b->caps && near(a->tracking, b->tracking) &&
           near(a->color.r, b->color.r) && near(a->color.g, b->color.g) &&
           near(a->color.b, b->color.b);
}

/* layouts/magazine.yaml and the built-in values must agree, field by field */
static void test_magazine_is_default(void)
{
    struct tin *b = new_build();
    struct pr_layout d, m;
    struct pr_pos ref = {0};
    pr_layoutdef_defaults(&d);
    CHECK(pr_layoutdef_load(&b->in, "magazine", "tests/manifest/good", ref, &m));
    CHECK(b->diags.n == 0);
    CHECK_STR(m.path, "layouts/magazine.yaml");
    CHECK(near(d.page_w, m.page_w) && near(d.page_h, m.page_h));
    CHECK(near(d.margin_top, m.margin_top) && near(d.margin_bottom, m.margin_bottom));
    CHECK(near(d.margin_inner, m.margin_inner) && near(d.margin_outer, m.margin_outer));
    CHECK(near(d.bleed, m.bleed) && d.marks == m.marks && d.binding == m.binding);
    CHECK(d.columns == m.columns && near(d.gutter, m.gutter) && near(d.baseline, m.baseline));
    CHECK(near(d.para_indent, m.para_indent));
    const struct pr_font *fd = &d.body, *fm = &m.body;
    for (int i = 0; i < 14; i++)
        CHECK(same_font(&fd[i], &fm[i]));
    CHECK(same_color(d.accent, 0xb22222) && same_color(m.accent, 0xb22222));
    CHECK(same_color(d.rule, 0x8a8a8a) && same_color(m.rule, 0x8a8a8a));
    CHECK(d.drop_cap == m.drop_cap && d.composer == m.composer && near(d.tolerance, m.tolerance));
    CHECK(d.letter_shrink == m.letter_shrink && d.letter_stretch == m.letter_stretch);
    CHECK(m.letter_stretch > 0);
    CHECK(d.expand_shrink == m.expand_shrink && d.expand_stretch == m.expand_stretch);
    CHECK(d.hyphen_penalty == m.hyphen_penalty && d.hyphen_min_before == m.hyphen_min_before);
    CHECK(d.hyphen_min_after == m.hyphen_min_after);
    CHECK(d.hyphenate_capitalized == m.hyphenate_capitalized);
    CHECK(d.hyphen_last_line == m.hyphen_last_line && d.optical_margins == m.optical_margins);
    CHECK(d.show_running_head == m.show_running_head && d.show_folio == m.show_folio);
    CHECK(d.show_section_label == m.show_section_label && d.show_cover == m.show_cover);
    CHECK(d.show_toc == m.show_toc);
    free_build(b);
}

static void test_shipped_layouts(void)
{
    static const struct {
        const char *name;
        double w, h, bleed, body, leading;
        int columns;
        enum pr_binding binding;
        bool marks;
    } want[] = {
        {"magazine", 612, 792, 9, 9.5, 12, 3, PR_BIND_SADDLE, true},
        {"digest", 419.53, 595.28, 8.50, 10, 13, 1, PR_BIND_PERFECT, true},
        {"ereader", 432, 648, 0, 11, 14, 1, PR_BIND_NONE, false},
    };
    for (int i = 0; i < 3; i++) {
        struct tin *b = new_build();
        struct pr_layout L;
        struct pr_pos ref = {"issue.yaml", 3, 9};
        CHECK(pr_layoutdef_load(&b->in, want[i].name, "tests/manifest/good", ref, &L));
        CHECK(b->diags.n == 0);
        if (b->diags.n)
            print_diags(b);
        CHECK_STR(L.name, want[i].name);
        CHECK(near(L.page_w, want[i].w) && near(L.page_h, want[i].h));
        CHECK(near(L.bleed, want[i].bleed));
        CHECK(L.columns == want[i].columns);
        CHECK(L.binding == want[i].binding);
        CHECK(L.marks == want[i].marks);
        CHECK(near(L.body.size, want[i].body) && near(L.body.leading, want[i].leading));
        CHECK(near(L.baseline, want[i].leading));
        CHECK(near(L.para_indent, want[i].body));
        CHECK_STR(L.code.family, "DejaVu Sans Mono");
        CHECK(same_color(L.label.color, 0xb22222) && same_color(L.body.color, 0x1a1a1a));
        free_build(b);
    }
}

static void test_custom_layout(void)
{
    struct tin *b = new_build();
    struct pr_layout L;
    struct pr_pos ref = {"issue.yaml", 7, 9};
    CHECK(pr_layoutdef_load(&b->in, "layouts/custom.yaml", "tests/manifest", ref, &L));
    CHECK(b->diags.n == 0);
    if (b->diags.n)
        print_diags(b);
    CHECK_STR(L.name, "custom");
    CHECK_STR(L.path, "tests/manifest/layouts/custom.yaml");
    CHECK(near(L.page_w, 150 * 72 / 25.4) && near(L.page_h, 576));
    CHECK(near(L.margin_top, 72 / 2.54) && near(L.margin_inner, 24) && near(L.margin_outer, 18));
    CHECK(L.columns == 2);
    /* body without leading: 1.2 x size; baseline follows; indent in em */
    CHECK_STR(L.body.family, "DejaVu Sans");
    CHECK(near(L.body.size, 10) && near(L.body.leading, 12) && near(L.baseline, 12));
    CHECK(near(L.para_indent, 20));
    /* a named font takes the body's family and size; weight and style given */
    CHECK_STR(L.heading.family, "DejaVu Sans");
    CHECK(near(L.heading.size, 10) && near(L.heading.leading, 12));
    CHECK(L.heading.weight == 600 && L.heading.italic);
    CHECK(same_color(L.heading.color, 0x000000));
    CHECK(near(L.label.size, 7) && near(L.label.leading, 8.4) && L.label.weight == 400);
    CHECK(same_color(L.label.color, 0x808080)); /* color: rule */
    /* fonts not named keep the magazine's, in the new palette */
    CHECK_STR(L.title.family, "Linux Libertine O");
    CHECK(near(L.title.size, 30) && L.title.weight == 700);
    CHECK(same_color(L.title.color, 0x000000));
    CHECK(same_color(L.pullquote.color, 0x0000ff) && same_color(L.accent, 0x0000ff));
    CHECK(L.composer == PR_COMPOSER_GREEDY);
    CHECK(L.hyphen_penalty == 200 && L.hyphenate_capitalized && L.hyphen_min_after == 3);
    CHECK(!L.show_toc && L.show_folio);
    CHECK(near(L.bleed, 9) && L.binding == PR_BIND_SADDLE);
    free_build(b);
}

static void test_bad_layout(void)
{
    struct tin *b = new_build();
    struct pr_layout L;
    struct pr_pos ref = {"issue.yaml", 7, 9};
    const char *f = "tests/manifest/layouts/bad.yaml";
    CHECK(!pr_layoutdef_load(&b->in, "layouts/bad.yaml", "tests/manifest", ref, &L));
    CHECK(find(b, PR_D_VALUE, f, 2, 7, "unknown page 'leter'; did you mean 'letter'?"));
    CHECK(find(b, PR_D_VALUE, f, 3, 9,
               "bad length '12 px' for 'gutter'; write a number with pt, mm, cm, in or pc"));
    CHECK(find(b, PR_D_UNKNOWN_KEY, f, 4, 1, "unknown key 'colums'; did you mean 'columns'?"));
    CHECK(find(b, PR_D_VALUE, f, 5, 8, "'bleed' cannot be negative"));
    CHECK(find(b, PR_D_VALUE, f, 6, 10, "unknown binding 'stapled'; write one of: saddle, perfect, none"));
    CHECK(find(b, PR_D_VALUE, f, 9, 21, "unknown weight 'heavy'"));
    CHECK(find(b, PR_D_VALUE, f, 11, 11, "must be quoted"));
    CHECK(find(b, PR_D_UNKNOWN_KEY, f, 12, 3, "unknown key 'foot-note'; did you mean 'footnote'?"));
    CHECK(find(b, PR_D_VALUE, f, 13, 18, "bad colour '#12345'"));
    CHECK(b->diags.n == 9);
    /* what was right is used, the rest keeps the defaults */
    CHECK(near(L.page_w, 612) && near(L.gutter, 12) && L.columns == 3 && near(L.bleed, 9));
    CHECK(near(L.body.size, 10) && near(L.body.leading, 13) && near(L.baseline, 13));
    CHECK(near(L.heading.size, 10) && L.heading.weight == 400);
    CHECK(same_color(L.accent, 0xb22222));
    free_build(b);

    /* not found: by name (with the list) and by path */
    b = new_build();
    CHECK(!pr_layoutdef_load(&b->in, "ereadr", "tests/manifest/good", ref, &L));
    CHECK(find(b, PR_D_LAYOUT, "issue.yaml", 7, 9,
               "unknown layout 'ereadr'; did you mean 'ereader'? (layouts: digest, ereader, magazine)"));
    CHECK(!pr_layoutdef_load(&b->in, "nowhere/x.yaml", "tests/manifest/good", ref, &L));
    CHECK(find(b, PR_D_NO_FILE, "issue.yaml", 7, 9, "layout file 'nowhere/x.yaml' not found"));
    CHECK_STR(L.name, "magazine");
    CHECK(b->diags.n == 2);
    free_build(b);
}

int main(void)
{
    test_good_manifest();
    test_broken_manifest();
    test_manifest_edges();
    test_frontmatter();
    test_yaml_defences();
    test_magazine_is_default();
    test_shipped_layouts();
    test_custom_layout();
    test_bad_layout();
    return DONE();
}

/* layoutdef.c - input stage: a layout file (layouts/NAME.yaml) -> struct
 * pr_layout, on top of the built-in magazine values. Called by manifest.c with
 * the manifest's `layout:` or the --layout option; typesetting and the back
 * ends read the result from issue->layout. YAML goes through yamltree.c.
 * This file reads the schema; layoutdef_value.c parses single values,
 * layoutdef_font.c checks font families against the bundled fonts and
 * layoutdef_find.c finds the file (layoutdef_int.h).
 *
 * The schema (every key optional; anything not set keeps the magazine value):
 *
 *   description: free text, ignored
 *   page: letter          letter | legal | tabloid | a4 | a5 | b5 | 6x9 | digest
 *                         (5.5x8.5 in), or {width: 6in, height: 9in}
 *   margins: {top: 0.75in, bottom: 0.8in, inner: 0.7in, outer: 0.55in}
 *   bleed: 0.125in        a length: a number with pt (the default unit), mm,
 *                         cm, in or pc, e.g. 3mm, 12pt, 1pc
 *   marks: true           crop marks in the print PDF
 *   binding: saddle       saddle (pages a multiple of 4) | perfect (even) | none
 *   columns: 3            1..12
 *   gutter: 1pc
 *   baseline: 12pt        baseline grid; default: the body font's leading
 *   paragraph-indent: 1em a length or a multiple of the body size (em)
 *   fonts:                path (a folder, or a list, of the magazine's own
 *                         font files, relative to the layout file, searched
 *                         before the bundled fonts; an issue's own fonts/
 *                         folder is searched first of all), and the roles
 *                         body, heading, title, deck, byline, caption, label,
 *                         running-head, folio, pullquote, footnote, masthead,
 *                         code, toc, credit (a picture's credit line), table
 *                         (a table's cells; its header is set bold); each a
 *                         mapping of
 *       family: Linux Libertine O
 *       size: 9.5pt       default: the body size
 *       leading: 12pt     default: size x 1.2 (body: the baseline if given)
 *       weight: bold      thin | light | regular | normal | medium | semibold |
 *                         bold | black | 100..900
 *       style: italic     normal | italic | oblique
 *       caps: true        set in capitals
 *       tracking: 60      letter spacing in 1/1000 em
 *       color: accent     "#rrggbb" or "#rgb" (quoted: # starts a YAML comment),
 *                         or text | accent | rule; default: text
 *     A font that is named but lacks family, size or leading takes the body's
 *     family and size and 1.2 x its size; a font not named keeps the magazine's.
 *   colors: {text: "#1a1a1a", accent: "#b22222", rule: "#8a8a8a"}
 *   table:                how tables are ruled
 *     rules: rows         booktabs (heavy rules above the header and under
 *                         the last row, a light one under the header) | rows
 *                         (booktabs and a hairline between rows) | grid
 *                         (every cell boxed) | none
 *     rule: 0.5pt         a light rule's weight; heavy rules are twice it
 *     stripes: false      tint every other body row with the accent
 *     (rules take the `rule` colour, heavy rules the text's)
 *   drop-cap: true
 *   composer: total-fit   total-fit | greedy
 *   tolerance: 2.0        largest stretch of a justified line's spaces (0..1000]
 *   letter-spacing: {shrink: 10, stretch: 10, bold: 5}
 *                         total-fit only: how much each letter gap of a
 *                         justified line may shrink / stretch with its word
 *                         spaces, in 1/1000 em (0..100); 0 and 0: word
 *                         spaces only; bold: at most this much either way
 *                         in bold and heavier faces. Joining scripts
 *                         (Arabic, Syriac, N'Ko, Mongolian, Indic ...) and
 *                         right-to-left runs are never letter-spaced
 *   expansion: {shrink: 20, stretch: 20}
 *                         total-fit only: how much the glyphs of a justified
 *                         line may be narrowed / widened with its spaces, in
 *                         1/1000 of their width (0..50), in steps of 5 (as
 *                         microtype's font expansion); 0 and 0: none
 *   hyphenation: {penalty: 50, min-before: 2, min-after: 3, capitalized: true,
 *                 last-line: false, exceptions: [Ka-zakh-stan, pressrun]}
 *                         exceptions: words with their only breaks marked
 *                         by '-' (TeX's \hyphenation; case is ignored, a
 *                         word without '-' never breaks); an issue's
 *                         hyphenation.txt adds to them
 *   optical-margins: true
 *   align: justify        justify | ragged: body text justified, or set
 *                         ragged (flush left; right to left: flush right)
 *                         by the total-fit composer in its ragged mode
 *   ragged-below: 10      ems: justified text on a narrower measure (a
 *                         narrow column or box) is set ragged; 0: never
 *   kashida: true         justified Arabic: where its word spaces would grow
 *                         past 1.25 times their width, words are elongated
 *                         by tatweels (kashida) where the font has one
 *   department-headings: above
 *                         above | run-in: how a department's items (a
 *                         `kind: department` article: letters, briefs) set
 *                         their headings: on a line of their own, or in bold
 *                         as the first words of the item's first paragraph
 *   barcode: false        the newsstand barcode on the cover: an EAN-13
 *                         from the masthead's `issn:` (977 prefix) with the
 *                         issue number as its two-digit add-on
 *   show: {running-head: true, folio: true, section-label: true, cover: true,
 *          toc: true}
 *   copyfit:              how the fitter fills an article's pages (its
 *                         `pages:`, or the pages its copy needs without a
 *                         short tail stranded on a page of its own)
 *     order: [looseness, images, fillers, pullquotes, sink]
 *                         the levers, tried in this order: looseness (body
 *                         paragraphs set a line shorter or longer by the
 *                         total-fit composer, as TeX's \looseness: to pull
 *                         an article back, those whose last line is short,
 *                         to grow it, those whose last line is nearly full;
 *                         only breaks within `tolerance:`, none looser than
 *                         the paragraph's best has), images (the lead
 *                         image's height), fillers (the issue's `fillers:`
 *                         and fractional ads placed in the hole at an
 *                         article's end), pullquotes (the article's
 *                         `pullquotes:` candidates added, or its own pull
 *                         quotes taken out; then, if the page still has
 *                         more room than the sink can take, sentences
 *                         pulled from the text), sink (white space above
 *                         the title of an opener without a lead image, so
 *                         that the copy runs down to the foot of its last
 *                         page); leave one out to forbid it
 *     tail: 0.35          a last page filled less than this (0..1) is a
 *                         stranded tail: pulled back onto the pages before,
 *                         or grown into
 *     images: {min: 0.6, max: 1.5}
 *                         the lead image's height, times the layout's own
 *     pullquotes: 3       the most pull quotes added to one article
 *     pullquotes-from-text: true
 *                         with no candidates left, pull quotes may be
 *                         sentences taken from the article's own text
 *     sink: 0.4           the most white space above a text opener's
 *                         title, a share of the type area's height (0..0.6)
 *     looseness: 1        the most lines a paragraph is set shorter or
 *                         longer than its best breaks (0..3; 0: never)
 */
#define _GNU_SOURCE
#include "layoutdef_int.h"
#include <glib.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define LIBERTINE "Linux Libertine O"
#define BIOLINUM "Linux Biolinum O"

/* The magazine's fonts; the other layouts start from these. */
static const struct fontdef {
    const char *key;
    size_t off;
    const char *family;
    double size, leading;
    int weight;
    bool italic, caps;
    double tracking;
    enum cref color;
} fontdefs[] = {
    {"body", offsetof(struct pr_layout, body), LIBERTINE, 9.5, 12, 400, false, false, 0, C_TEXT},
    {"heading", offsetof(struct pr_layout, heading), BIOLINUM, 10, 12, 700, false, false, 0, C_TEXT},
    {"title", offsetof(struct pr_layout, title), LIBERTINE, 30, 32, 700, false, false, 0, C_TEXT},
    {"deck", offsetof(struct pr_layout, deck), LIBERTINE, 13, 16, 400, true, false, 0, C_TEXT},
    {"byline", offsetof(struct pr_layout, byline), BIOLINUM, 8.5, 12, 400, false, true, 60, C_TEXT},
    {"caption", offsetof(struct pr_layout, caption), BIOLINUM, 7.5, 9, 400, true, false, 0, C_TEXT},
    {"label", offsetof(struct pr_layout, label), BIOLINUM, 8, 9.6, 700, false, true, 100, C_ACCENT},
    {"running-head", offsetof(struct pr_layout, running_head), BIOLINUM, 7.5, 9, 400, false, true, 80, C_TEXT},
    {"folio", offsetof(struct pr_layout, folio), BIOLINUM, 8, 9.6, 700, false, false, 0, C_TEXT},
    {"pullquote", offsetof(struct pr_layout, pullquote), LIBERTINE, 15, 18, 400, true, false, 0, C_ACCENT},
    {"footnote", offsetof(struct pr_layout, footnote), LIBERTINE, 7.5, 9, 400, false, false, 0, C_TEXT},
    {"masthead", offsetof(struct pr_layout, masthead), LIBERTINE, 72, 86.4, 700, false, false, 0, C_TEXT},
    {"code", offsetof(struct pr_layout, code), "DejaVu Sans Mono", 8, 9.6, 400, false, false, 0, C_TEXT},
    {"toc", offsetof(struct pr_layout, toc), LIBERTINE, 11, 14, 400, false, false, 0, C_TEXT},
    {"credit", offsetof(struct pr_layout, credit), BIOLINUM, 6, 7.5, 400, false, true, 40, C_TEXT},
    {"table", offsetof(struct pr_layout, table), BIOLINUM, 8, 10.5, 400, false, false, 0, C_TEXT},
};
#define NFONTS (sizeof fontdefs / sizeof fontdefs[0])
static const char *const font_keys[] = {
    "body", "heading", "title", "deck", "byline", "caption", "label", "running-head",
    "folio", "pullquote", "footnote", "masthead", "code", "toc", "credit", "table", NULL,
};

static const struct pr_color DEF_TEXT = {0x1a / 255.0, 0x1a / 255.0, 0x1a / 255.0};
static const struct pr_color DEF_ACCENT = {0xb2 / 255.0, 0x22 / 255.0, 0x22 / 255.0};
static const struct pr_color DEF_RULE = {0x8a / 255.0, 0x8a / 255.0, 0x8a / 255.0};

static const struct {
    const char *name;
    double w, h, unit; /* in `unit` points */
} pages[] = {
    {"letter", 8.5, 11, 72},   {"legal", 8.5, 14, 72},      {"tabloid", 11, 17, 72},
    {"a4", 210, 297, 72 / 25.4}, {"a5", 148, 210, 72 / 25.4}, {"b5", 176, 250, 72 / 25.4},
    {"6x9", 6, 9, 72},         {"digest", 5.5, 8.5, 72},
};
static const char *const page_names[] = {"letter", "legal", "tabloid", "a4", "a5", "b5",
                                         "6x9", "digest", NULL};

static struct pr_font *font_at(struct pr_layout *L, size_t i)
{
    return (struct pr_font *)((char *)L + fontdefs[i].off);
}

void pr_layoutdef_defaults(struct pr_layout *L)
{
    memset(L, 0, sizeof *L);
    L->name = "magazine";
    L->path = NULL;
    L->page_w = 612;
    L->page_h = 792;
    L->margin_top = 0.75 * 72;
    L->margin_bottom = 0.8 * 72;
    L->margin_inner = 0.7 * 72;
    L->margin_outer = 0.55 * 72;
    L->bleed = 0.125 * 72;
    L->marks = true;
    L->binding = PR_BIND_SADDLE;
    L->columns = 3;
    L->gutter = 12;
    L->baseline = 12;
    L->para_indent = 9.5;
    for (size_t i = 0; i < NFONTS; i++) {
        const struct fontdef *d = &fontdefs[i];
        struct pr_font *f = font_at(L, i);
        f->family = d->family;
        f->size = d->size;
        f->leading = d->leading;
        f->weight = d->weight;
        f->italic = d->italic;
        f->caps = d->caps;
        f->tracking = d->tracking;
        f->color = d->color == C_ACCENT ? DEF_ACCENT : DEF_TEXT;
    }
    L->accent = DEF_ACCENT;
    L->rule = DEF_RULE;
    L->drop_cap = true;
    L->table_style = (struct pr_table_style){PR_TRULES_ROWS, 0.5, false};
    L->copyfit = (struct pr_copyfit){
        .order = {PR_LEVER_LOOSENESS, PR_LEVER_IMAGES, PR_LEVER_FILLERS, PR_LEVER_PULLQUOTES, PR_LEVER_SINK},
        .norder = 5,
        .tail = 0.35,
        .image_min = 0.6,
        .image_max = 1.5,
        .pullquotes = 3,
        .pullquotes_from_text = true,
        .sink = 0.4,
        .looseness = 1};
    L->composer = PR_COMPOSER_TOTAL_FIT;
    L->tolerance = 2.0;
    L->letter_shrink = 10;
    L->letter_stretch = 10;
    L->letter_bold = 5;
    L->expand_shrink = 20;
    L->expand_stretch = 20;
    L->hyphen_penalty = 50;
    L->hyphen_min_before = 2;
    L->hyphen_min_after = 3;
    L->hyphenate_capitalized = true;
    L->hyphen_last_line = false;
    L->optical_margins = true;
    L->ragged_below = 10;
    L->kashida = true;
    L->show_running_head = L->show_folio = L->show_section_label = true;
    L->show_cover = L->show_toc = true;
}

/* ---------- the reader's state ---------- */

struct fstate {
    bool given, family, size, leading;
    enum cref cref;
};

struct lctx {
    struct pr_input *in;
    struct pr_layout *L;
    struct fstate f[NFONTS];
    struct pr_color text;
    bool indent_em;     /* para_indent holds a multiple of the body size */
    double indent;
    bool baseline_set;
    struct ld_families families; /* of the bundled fonts, loaded on first use */
};


/* ---------- the sections of a layout ---------- */

static void read_page(struct lctx *c, const struct pr_ynode *v)
{
    if (v && v->kind == PR_Y_MAP) {
        static const char *const keys[] = {"width", "height", NULL};
        const struct pr_ynode *f[2];
        pr_ymap_fields(c->in, v, keys, f);
        double w = c->L->page_w, h = c->L->page_h;
        for (int i = 0; i < 2; i++)
            if (!f[i])
                pr_diag(c->in->diags, PR_D_MISSING_KEY, v->pos,
                        "missing required key '%s' in 'page'; add '%s: %s'", keys[i], keys[i],
                        i ? "9in" : "6in");
        if (f[0])
            ld_get_length(c->in, f[0], "width", false, &w, NULL);
        if (f[1])
            ld_get_length(c->in, f[1], "height", false, &h, NULL);
        if (w < 72 || h < 72) {
            pr_diag(c->in->diags, PR_D_VALUE, v->pos,
                    "page %gpt x %gpt is too small; a page is at least 1in on each side", w, h);
            return;
        }
        c->L->page_w = w;
        c->L->page_h = h;
        return;
    }
    if (v && v->kind == PR_Y_SEQ) {
        pr_ytype_error(c->in, v, "page", "a size name (letter, a4, ...) or {width:, height:}");
        return;
    }
    int i = ld_get_enum(c->in, v, "page", page_names);
    if (i >= 0) {
        c->L->page_w = pages[i].w * pages[i].unit;
        c->L->page_h = pages[i].h * pages[i].unit;
    }
}

static void read_margins(struct lctx *c, const struct pr_ynode *v)
{
    v = ld_get_map(c->in, v, "margins", "a mapping {top:, bottom:, inner:, outer:}");
    if (!v)
        return;
    static const char *const keys[] = {"top", "bottom", "inner", "outer", NULL};
    double *dst[] = {&c->L->margin_top, &c->L->margin_bottom, &c->L->margin_inner,
                     &c->L->margin_outer};
    const struct pr_ynode *f[4];
    pr_ymap_fields(c->in, v, keys, f);
    for (int i = 0; i < 4; i++)
        if (f[i])
            ld_get_length(c->in, f[i], keys[i], false, dst[i], NULL);
}


static void read_font(struct lctx *c, size_t i, const struct pr_ynode *v)
{
    v = ld_get_map(c->in, v, font_keys[i], "a mapping {family:, size:, leading:, ...}");
    if (!v)
        return;
    static const char *const keys[] = {"family", "size", "leading", "weight", "style", "caps",
                                       "tracking", "color", NULL};
    enum { FAMILY, SIZE, LEADING, WEIGHT, STYLE, CAPS, TRACKING, COLOR };
    const struct pr_ynode *f[8];
    pr_ymap_fields(c->in, v, keys, f);
    struct pr_font *font = font_at(c->L, i);
    struct fstate *st = &c->f[i];
    /* a named font starts plain: what it does not say comes from the body */
    *font = (struct pr_font){.weight = 400};
    *st = (struct fstate){.given = true, .cref = C_TEXT};

    const char *fam = f[FAMILY] ? pr_ystr(c->in, f[FAMILY], "family") : NULL;
    if (fam && *fam) {
        font->family = pr_arena_strdup(c->in->arena, fam);
        st->family = true;
        ld_check_family(c->in, &c->families, fam, f[FAMILY]->pos);
    } else if (f[FAMILY] && pr_ynode_is_null(f[FAMILY]))
        pr_diag(c->in->diags, PR_D_VALUE, f[FAMILY]->pos,
                "'family' has no value; write e.g. 'family: Linux Libertine O'");
    if (f[SIZE] && ld_get_length(c->in, f[SIZE], "size", false, &font->size, NULL)) {
        if (font->size < 1)
            pr_diag(c->in->diags, PR_D_VALUE, f[SIZE]->pos,
                    "font size '%s' is too small; write at least 1pt", f[SIZE]->str);
        else
            st->size = true;
    }
    if (f[LEADING] && ld_get_length(c->in, f[LEADING], "leading", false, &font->leading, NULL))
        st->leading = true;
    if (f[WEIGHT] && !ld_no_value(c->in, f[WEIGHT], "weight", "bold")) {
        static const char *const names[] = {"thin", "light", "regular", "normal", "medium",
                                            "semibold", "bold", "black", NULL};
        static const int w[] = {100, 300, 400, 400, 500, 600, 700, 900};
        const char *s = f[WEIGHT]->str;
        int k = 0;
        if (*s >= '0' && *s <= '9') {
            char *end;
            long n = strtol(s, &end, 10);
            if (*end || n < 100 || n > 900 || n % 100)
                pr_diag(c->in->diags, PR_D_VALUE, f[WEIGHT]->pos,
                        "bad weight '%s'; write regular, bold or a number 100, 200 ... 900", s);
            else
                font->weight = (int)n;
        } else if ((k = ld_get_enum(c->in, f[WEIGHT], "weight", names)) >= 0)
            font->weight = w[k];
    }
    if (f[STYLE]) {
        static const char *const names[] = {"normal", "italic", "oblique", NULL};
        int k = ld_get_enum(c->in, f[STYLE], "style", names);
        if (k >= 0)
            font->italic = k > 0;
    }
    if (f[CAPS])
        ld_get_bool(c->in, f[CAPS], "caps", &font->caps);
    if (f[TRACKING])
        ld_get_number(c->in, f[TRACKING], "tracking", -500, 1000, &font->tracking);
    if (f[COLOR])
        ld_get_color(c->in, f[COLOR], "color", true, &font->color, &st->cref);
}

/* fonts: {path: DIR}: a folder (or a list of them) of the magazine's own
 * faces, relative to the layout file, searched before the bundled fonts. */
static void read_font_path(struct lctx *c, const struct pr_ynode *v)
{
    const struct pr_ynode *one = v->kind == PR_Y_SEQ ? v->child : v;
    for (; one; one = v->kind == PR_Y_SEQ ? one->next : NULL) {
        const char *s = pr_ystr(c->in, one, "path");
        if (!s)
            continue;
        const char *dir = pr_path_join(c->in->arena, pr_path_dir(c->in->arena, c->L->path), s);
        struct stat st;
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
            pr_diag(c->in->diags, PR_D_NO_FILE, one->pos,
                    "'fonts: path: %s' is not a folder (%s); give the folder of the font files, relative to "
                    "the layout file",
                    s, dir);
        else if (c->L->nfont_dirs < PR_MAX_FONT_DIRS)
            c->L->font_dirs[c->L->nfont_dirs++] = dir;
    }
}

static void read_fonts(struct lctx *c, const struct pr_ynode *v)
{
    v = ld_get_map(c->in, v, "fonts", "a mapping of fonts (body:, heading:, ...)");
    if (!v)
        return;
    const char *keys[NFONTS + 2];
    for (size_t i = 0; i < NFONTS; i++)
        keys[i] = font_keys[i];
    keys[NFONTS] = "path";
    keys[NFONTS + 1] = NULL;
    const struct pr_ynode *f[NFONTS + 1];
    pr_ymap_fields(c->in, v, keys, f);
    if (f[NFONTS])
        read_font_path(c, f[NFONTS]); /* before the families are checked against it */
    for (size_t i = 0; i < NFONTS; i++)
        if (f[i])
            read_font(c, i, f[i]);
}

static void read_colors(struct lctx *c, const struct pr_ynode *v)
{
    v = ld_get_map(c->in, v, "colors", "a mapping {text:, accent:, rule:}");
    if (!v)
        return;
    static const char *const keys[] = {"text", "accent", "rule", NULL};
    struct pr_color *dst[] = {&c->text, &c->L->accent, &c->L->rule};
    const struct pr_ynode *f[3];
    pr_ymap_fields(c->in, v, keys, f);
    for (int i = 0; i < 3; i++)
        if (f[i])
            ld_get_color(c->in, f[i], keys[i], false, dst[i], NULL);
}

/* hyphenation: exceptions: a list of words (or one), each checked. */
static void read_exceptions(struct lctx *c, const struct pr_ynode *v)
{
    struct pr_input *in = c->in;
    if (pr_ynode_is_null(v) || v->kind == PR_Y_BAD)
        return;
    if (v->kind != PR_Y_SEQ && v->kind != PR_Y_SCALAR) {
        pr_ytype_error(in, v, "exceptions", "a list of words, e.g. [Ka-zakh-stan, pressrun]");
        return;
    }
    const char **out = NULL;
    unsigned cnt = 0, cap = 0;
    for (const struct pr_ynode *i = v->kind == PR_Y_SEQ ? v->child : v; i; i = v->kind == PR_Y_SEQ ? i->next : NULL) {
        const char *w = pr_ystr(in, i, "exceptions");
        if (!w)
            continue;
        size_t at;
        const char *why = pr_hyph_word_check(w, strlen(w), &at);
        if (why) {
            /* the column of the fault when the word is written plain */
            struct pr_pos pos = i->pos;
            if (i->plain && pos.col > 0)
                pos.col += (int)g_utf8_strlen(w, (gssize)at);
            pr_diag(in->diags, PR_D_HYPHEN_WORD, pos, "'%s' in 'exceptions': %s", w, why);
            continue;
        }
        *PR_PUSH(in->arena, out, cnt, cap) = w;
    }
    c->L->hyph_exceptions = out;
    c->L->nhyph_exceptions = (int)cnt;
}

static void read_hyphenation(struct lctx *c, const struct pr_ynode *v)
{
    v = ld_get_map(c->in, v, "hyphenation",
                "a mapping {penalty:, min-before:, min-after:, capitalized:, last-line:, exceptions:}");
    if (!v)
        return;
    static const char *const keys[] = {"penalty", "min-before", "min-after", "capitalized",
                                       "last-line", "exceptions", NULL};
    const struct pr_ynode *f[6];
    pr_ymap_fields(c->in, v, keys, f);
    struct pr_layout *L = c->L;
    if (f[0])
        ld_get_int(c->in, f[0], "penalty", 0, 10000, &L->hyphen_penalty);
    if (f[1])
        ld_get_int(c->in, f[1], "min-before", 1, 10, &L->hyphen_min_before);
    if (f[2])
        ld_get_int(c->in, f[2], "min-after", 1, 10, &L->hyphen_min_after);
    if (f[3])
        ld_get_bool(c->in, f[3], "capitalized", &L->hyphenate_capitalized);
    if (f[4])
        ld_get_bool(c->in, f[4], "last-line", &L->hyphen_last_line);
    if (f[5])
        read_exceptions(c, f[5]);
}

/* letter-spacing: and expansion: {shrink: N, stretch: N}, each 0..max. */
static void read_shrink_stretch(struct lctx *c, const struct pr_ynode *v, const char *key, const char *want,
                                int max, int *shrink, int *stretch, int *bold)
{
    v = ld_get_map(c->in, v, key, want);
    if (!v)
        return;
    static const char *const keys[] = {"shrink", "stretch", "bold", NULL};
    static const char *const two[] = {"shrink", "stretch", NULL};
    const struct pr_ynode *f[3] = {NULL, NULL, NULL};
    pr_ymap_fields(c->in, v, bold ? keys : two, f);
    if (f[0])
        ld_get_int(c->in, f[0], "shrink", 0, max, shrink);
    if (f[1])
        ld_get_int(c->in, f[1], "stretch", 0, max, stretch);
    if (f[2] && bold)
        ld_get_int(c->in, f[2], "bold", 0, max, bold);
}

/* copyfit: {order:, tail:, images: {min:, max:}, pullquotes:, looseness:,
 *           pullquotes-from-text:, sink:} */
static void read_copyfit(struct lctx *c, const struct pr_ynode *v)
{
    v = ld_get_map(c->in, v, "copyfit",
                   "a mapping {order:, tail:, images:, pullquotes:, pullquotes-from-text:, sink:, looseness:}");
    if (!v)
        return;
    struct pr_copyfit *cf = &c->L->copyfit;
    static const char *const keys[] = {"order",     "tail", "images", "pullquotes", "looseness",
                                       "pullquotes-from-text", "sink", NULL};
    const struct pr_ynode *f[7];
    pr_ymap_fields(c->in, v, keys, f);
    if (f[0] && f[0]->kind == PR_Y_SEQ) {
        /* in enum pr_lever's order */
        static const char *const levers[] = {"images", "pullquotes", "fillers", "looseness", "sink", NULL};
        cf->norder = 0;
        for (const struct pr_ynode *e = f[0]->child; e; e = e->next) {
            int k = ld_get_enum(c->in, e, "order", levers);
            bool dup = false;
            for (int i = 0; i < cf->norder; i++)
                dup |= cf->order[i] == (enum pr_lever)k;
            if (k >= 0 && !dup && cf->norder < PR_LEVER_N)
                cf->order[cf->norder++] = (enum pr_lever)k;
        }
    } else if (f[0])
        pr_ytype_error(c->in, f[0], "order", "a list of levers, e.g. [looseness, images, fillers, pullquotes, sink]");
    if (f[1])
        ld_get_number(c->in, f[1], "tail", 0, 1, &cf->tail);
    const struct pr_ynode *im = f[2] ? ld_get_map(c->in, f[2], "images", "a mapping {min:, max:}") : NULL;
    if (im) {
        static const char *const mk[] = {"min", "max", NULL};
        const struct pr_ynode *g[2];
        pr_ymap_fields(c->in, im, mk, g);
        if (g[0])
            ld_get_number(c->in, g[0], "min", 0, 1, &cf->image_min);
        if (g[1])
            ld_get_number(c->in, g[1], "max", 0, 3, &cf->image_max);
        if (cf->image_max < cf->image_min)
            pr_diag(c->in->diags, PR_D_VALUE, im->pos,
                    "'images: max' (%g) is below 'min' (%g); the lead image cannot be fitted", cf->image_max,
                    cf->image_min);
    }
    if (f[3])
        ld_get_int(c->in, f[3], "pullquotes", 0, 10, &cf->pullquotes);
    if (f[4])
        ld_get_int(c->in, f[4], "looseness", 0, PR_LOOSENESS_MAX, &cf->looseness);
    if (f[5])
        ld_get_bool(c->in, f[5], "pullquotes-from-text", &cf->pullquotes_from_text);
    if (f[6])
        ld_get_number(c->in, f[6], "sink", 0, 0.6, &cf->sink);
}

/* table: {rules:, rule:, stripes:} */
static void read_table(struct lctx *c, const struct pr_ynode *v)
{
    v = ld_get_map(c->in, v, "table", "a mapping {rules:, rule:, stripes:}");
    if (!v)
        return;
    struct pr_table_style *ts = &c->L->table_style;
    static const char *const keys[] = {"rules", "rule", "stripes", NULL};
    const struct pr_ynode *f[3];
    pr_ymap_fields(c->in, v, keys, f);
    if (f[0]) {
        static const char *const names[] = {"booktabs", "rows", "grid", "none", NULL};
        int k = ld_get_enum(c->in, f[0], "rules", names);
        if (k >= 0)
            ts->rules = (enum pr_table_rules)k;
    }
    if (f[1] && ld_get_length(c->in, f[1], "rule", false, &ts->rule, NULL) && (ts->rule <= 0 || ts->rule > 6)) {
        pr_diag(c->in->diags, PR_D_VALUE, f[1]->pos, "a table's rule of %gpt is out of range; write 0.1pt to 6pt",
                ts->rule);
        ts->rule = 0.5;
    }
    if (f[2])
        ld_get_bool(c->in, f[2], "stripes", &ts->stripes);
}

static void read_show(struct lctx *c, const struct pr_ynode *v)
{
    v = ld_get_map(c->in, v, "show",
                "a mapping {running-head:, folio:, section-label:, cover:, toc:}");
    if (!v)
        return;
    static const char *const keys[] = {"running-head", "folio", "section-label", "cover", "toc",
                                       NULL};
    bool *dst[] = {&c->L->show_running_head, &c->L->show_folio, &c->L->show_section_label,
                   &c->L->show_cover, &c->L->show_toc};
    const struct pr_ynode *f[5];
    pr_ymap_fields(c->in, v, keys, f);
    for (int i = 0; i < 5; i++)
        if (f[i])
            ld_get_bool(c->in, f[i], keys[i], dst[i]);
}

/* Fill what the file left open from the body font and the palette. */
static void resolve(struct lctx *c)
{
    struct pr_layout *L = c->L;
    struct pr_font *body = &L->body;
    if (c->f[0].given) {
        if (!c->f[0].family)
            body->family = LIBERTINE;
        if (!c->f[0].size)
            body->size = fontdefs[0].size;
        if (!c->f[0].leading)
            body->leading = c->baseline_set ? L->baseline : body->size * 1.2;
    }
    for (size_t i = 1; i < NFONTS; i++) {
        struct pr_font *f = font_at(L, i);
        if (!c->f[i].given)
            continue;
        if (!c->f[i].family)
            f->family = body->family;
        if (!c->f[i].size)
            f->size = body->size;
        if (!c->f[i].leading)
            f->leading = f->size * 1.2;
    }
    for (size_t i = 0; i < NFONTS; i++) {
        struct pr_font *f = font_at(L, i);
        switch (c->f[i].cref) {
        case C_TEXT:
            f->color = c->text;
            break;
        case C_ACCENT:
            f->color = L->accent;
            break;
        case C_RULE:
            f->color = L->rule;
            break;
        case C_OWN:
            break;
        }
    }
    if (!c->baseline_set)
        L->baseline = body->leading;
    L->para_indent = c->indent_em ? c->indent * body->size : c->indent;
}

static void check_geometry(struct lctx *c, struct pr_pos at)
{
    struct pr_layout *L = c->L;
    double w = L->page_w - L->margin_inner - L->margin_outer;
    double col = (w - (L->columns - 1) * L->gutter) / L->columns;
    double h = L->page_h - L->margin_top - L->margin_bottom;
    if (col < 72)
        pr_diag(c->in->diags, PR_D_VALUE, at,
                "the page leaves %.1fpt per column (page width %.1fpt, margins %.1fpt + %.1fpt, "
                "%d columns, gutter %.1fpt); a column needs at least 72pt: use smaller "
                "margins or fewer columns",
                col, L->page_w, L->margin_inner, L->margin_outer, L->columns, L->gutter);
    if (h < 4 * L->baseline)
        pr_diag(c->in->diags, PR_D_VALUE, at,
                "the page leaves %.1fpt between the top and bottom margins, less than four "
                "lines; use smaller margins or a taller page",
                h);
}

/* A key that names one of two values: *out is whether it names the second. */
static void get_either(struct lctx *c, const struct pr_ynode *v, const char *key, const char *first,
                       const char *second, bool *out)
{
    const char *const names[] = {first, second, NULL};
    int k = ld_get_enum(c->in, v, key, names);
    if (k >= 0)
        *out = k == 1;
}

static void read_layout(struct lctx *c, const struct pr_ynode *root)
{
    static const char *const keys[] = {
        "description", "page", "margins", "bleed", "marks", "binding", "columns", "gutter",
        "baseline", "paragraph-indent", "fonts", "colors", "drop-cap", "composer", "tolerance",
        "letter-spacing", "expansion", "hyphenation", "optical-margins", "show", "copyfit", "barcode", "department-headings", "table",
        "align", "ragged-below", "kashida", NULL,
    };
    enum { DESC, PAGE, MARGINS, BLEED, MARKS, BINDING, COLUMNS, GUTTER, BASELINE, INDENT, FONTS,
           COLORS, DROPCAP, COMPOSER, TOLERANCE, LETTERS, EXPANSION, HYPH, OPTICAL, SHOW, COPYFIT,
           BARCODE, DEPT, TABLE, ALIGN, RAGGED_BELOW, KASHIDA, NKEYS };
    const struct pr_ynode *f[NKEYS];
    struct pr_layout *L = c->L;

    pr_ymap_fields(c->in, root, keys, f);
    if (f[DESC])
        pr_ystr(c->in, f[DESC], "description");
    if (f[PAGE])
        read_page(c, f[PAGE]);
    if (f[MARGINS])
        read_margins(c, f[MARGINS]);
    if (f[BLEED])
        ld_get_length(c->in, f[BLEED], "bleed", false, &L->bleed, NULL);
    if (f[MARKS])
        ld_get_bool(c->in, f[MARKS], "marks", &L->marks);
    if (f[BINDING]) {
        static const char *const names[] = {"saddle", "perfect", "none", NULL};
        int k = ld_get_enum(c->in, f[BINDING], "binding", names);
        if (k >= 0)
            L->binding = (enum pr_binding)k;
    }
    if (f[COLUMNS])
        ld_get_int(c->in, f[COLUMNS], "columns", 1, 12, &L->columns);
    if (f[GUTTER])
        ld_get_length(c->in, f[GUTTER], "gutter", false, &L->gutter, NULL);
    if (f[BASELINE] && ld_get_length(c->in, f[BASELINE], "baseline", false, &L->baseline, NULL)) {
        if (L->baseline < 1) {
            pr_diag(c->in->diags, PR_D_VALUE, f[BASELINE]->pos,
                    "'baseline' is too small; write the body's line spacing, e.g. 12pt");
            L->baseline = 12;
        } else
            c->baseline_set = true;
    }
    if (f[INDENT])
        ld_get_length(c->in, f[INDENT], "paragraph-indent", true, &c->indent, &c->indent_em);
    if (f[COLORS])
        read_colors(c, f[COLORS]);
    if (f[FONTS])
        read_fonts(c, f[FONTS]);
    if (f[DROPCAP])
        ld_get_bool(c->in, f[DROPCAP], "drop-cap", &L->drop_cap);
    if (f[COMPOSER]) {
        static const char *const names[] = {"total-fit", "greedy", NULL};
        int k = ld_get_enum(c->in, f[COMPOSER], "composer", names);
        if (k >= 0)
            L->composer = (enum pr_composer)k;
    }
    if (f[TOLERANCE])
        ld_get_number(c->in, f[TOLERANCE], "tolerance", 0, 1000, &L->tolerance);
    if (f[LETTERS])
        read_shrink_stretch(c, f[LETTERS], "letter-spacing", "a mapping {shrink:, stretch:, bold:} in 1/1000 em",
                            100, &L->letter_shrink, &L->letter_stretch, &L->letter_bold);
    if (f[EXPANSION])
        read_shrink_stretch(c, f[EXPANSION], "expansion",
                            "a mapping {shrink:, stretch:} in 1/1000 of the glyph width", 50, &L->expand_shrink,
                            &L->expand_stretch, NULL);
    if (f[HYPH])
        read_hyphenation(c, f[HYPH]);
    if (f[OPTICAL])
        ld_get_bool(c->in, f[OPTICAL], "optical-margins", &L->optical_margins);
    if (f[SHOW])
        read_show(c, f[SHOW]);
    if (f[COPYFIT])
        read_copyfit(c, f[COPYFIT]);
    if (f[BARCODE])
        ld_get_bool(c->in, f[BARCODE], "barcode", &L->barcode);
    if (f[DEPT])
        get_either(c, f[DEPT], "department-headings", "above", "run-in", &L->run_in);
    if (f[TABLE])
        read_table(c, f[TABLE]);
    if (f[ALIGN])
        get_either(c, f[ALIGN], "align", "justify", "ragged", &L->ragged);
    if (f[RAGGED_BELOW])
        ld_get_number(c->in, f[RAGGED_BELOW], "ragged-below", 0, 100, &L->ragged_below);
    if (f[KASHIDA])
        ld_get_bool(c->in, f[KASHIDA], "kashida", &L->kashida);
}

bool pr_layoutdef_load(struct pr_input *in, const char *name, const char *issue_dir,
                       struct pr_pos ref, struct pr_layout *out)
{
    unsigned errors = in->diags->errors;
    const char *path;

    pr_layoutdef_defaults(out);
    if (in->issue_fonts)
        out->font_dirs[out->nfont_dirs++] = in->issue_fonts;
    if (!ld_find_layout(in, name, issue_dir, ref, &path))
        return false;
    if (!path)
        return true; /* the built-in values are the magazine's */
    out->name = ld_layout_name(in->arena, name);
    out->path = path;

    long len;
    const char *text = pr_file_read(in, path, ref, &len);
    if (!text)
        return false;
    struct pr_ynode *root;
    pr_ytree_parse(in, path, text, len, 0, &root);
    struct lctx c = {.in = in, .L = out, .text = DEF_TEXT, .indent_em = true, .indent = 1};
    c.families.dirs = out->font_dirs;
    c.families.ndirs = &out->nfont_dirs;
    for (size_t i = 0; i < NFONTS; i++)
        c.f[i].cref = fontdefs[i].color;
    if (root && root->kind == PR_Y_MAP)
        read_layout(&c, root);
    else if (root && root->kind != PR_Y_BAD && !pr_ynode_is_null(root))
        pr_diag(in->diags, PR_D_TYPE, root->pos,
                "a layout should be a mapping of settings (page:, margins:, fonts: ...), not %s",
                pr_ykind_name(root));
    resolve(&c);
    struct pr_pos at = {path, 1, 1};
    check_geometry(&c, root ? root->pos : at);
    return in->diags->errors == errors;
}

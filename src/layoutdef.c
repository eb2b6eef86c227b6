/* layoutdef.c - input stage: a layout file (layouts/NAME.yaml) -> struct
 * pr_layout, on top of the built-in magazine values. Called by manifest.c with
 * the manifest's `layout:` or the --layout option; typesetting and the back
 * ends read the result from issue->layout. YAML goes through yamltree.c.
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
 *   fonts:                body, heading, title, deck, byline, caption, label,
 *                         running-head, folio, pullquote, footnote, masthead,
 *                         code, toc; each a mapping of
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
 *   drop-cap: true
 *   composer: total-fit   total-fit | greedy
 *   tolerance: 2.0        largest stretch of a justified line's spaces (0..1000]
 *   letter-spacing: {shrink: 10, stretch: 30}
 *                         total-fit only: how much each letter gap of a
 *                         justified line may shrink / stretch with its word
 *                         spaces, in 1/1000 em (0..100); 0 and 0: word
 *                         spaces only
 *   expansion: {shrink: 20, stretch: 20}
 *                         total-fit only: how much the glyphs of a justified
 *                         line may be narrowed / widened with its spaces, in
 *                         1/1000 of their width (0..50), in steps of 5 (as
 *                         microtype's font expansion); 0 and 0: none
 *   hyphenation: {penalty: 50, min-before: 2, min-after: 3, capitalized: true,
 *                 last-line: false}
 *   optical-margins: true
 *   show: {running-head: true, folio: true, section-label: true, cover: true,
 *          toc: true}
 */
#define _GNU_SOURCE
#include "input.h"
#include "yamltree.h"
#include <dirent.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LIBERTINE "Linux Libertine O"
#define BIOLINUM "Linux Biolinum O"
#define MAX_LENGTH 14400.0 /* 200 in, the largest PDF page */

enum cref { C_OWN, C_TEXT, C_ACCENT, C_RULE };

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
};
#define NFONTS (sizeof fontdefs / sizeof fontdefs[0])
static const char *const font_keys[] = {
    "body", "heading", "title", "deck", "byline", "caption", "label", "running-head",
    "folio", "pullquote", "footnote", "masthead", "code", "toc", NULL,
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
    L->composer = PR_COMPOSER_TOTAL_FIT;
    L->tolerance = 2.0;
    L->letter_shrink = 10;
    L->letter_stretch = 30;
    L->expand_shrink = 20;
    L->expand_stretch = 20;
    L->hyphen_penalty = 50;
    L->hyphen_min_before = 2;
    L->hyphen_min_after = 3;
    L->hyphenate_capitalized = true;
    L->hyphen_last_line = false;
    L->optical_margins = true;
    L->show_running_head = L->show_folio = L->show_section_label = true;
    L->show_cover = L->show_toc = true;
}

/* ---------- reading values ---------- */

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
    const char **families; /* of the bundled fonts, NULL-terminated; loaded on first use */
    bool families_read;
};

/* A plain decimal number: digits with at most one '.', no sign, exponent,
 * hex or locale. Returns the characters used (0 if none). */
static size_t parse_decimal(const char *s, double *out)
{
    const char *p = s;
    double v = 0, scale = 1;
    bool digits = false, dot = false;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            digits = true;
            if (dot) {
                scale /= 10;
                v += (*p - '0') * scale;
            } else
                v = v * 10 + (*p - '0');
        } else if (*p == '.' && !dot)
            dot = true;
        else
            break;
    }
    if (!digits)
        return 0;
    *out = v;
    return (size_t)(p - s);
}

static bool no_value(struct lctx *c, const struct pr_ynode *v, const char *key, const char *example)
{
    if (v && v->kind == PR_Y_BAD)
        return true;
    if (pr_ynode_is_null(v)) {
        pr_diag(c->in->diags, PR_D_VALUE, v->pos, "'%s' has no value; write e.g. '%s: %s'", key,
                key, example);
        return true;
    }
    if (v->kind != PR_Y_SCALAR) {
        pr_ytype_error(c->in, v, key, "a single value");
        return true;
    }
    return false;
}

/* A length in pt. With em_ok, "1.5em" sets *em and returns the multiple. */
static bool get_length(struct lctx *c, const struct pr_ynode *v, const char *key, bool em_ok,
                       double *out, bool *em)
{
    if (no_value(c, v, key, em_ok ? "1em" : "12pt"))
        return false;
    static const struct {
        const char *u;
        double pt;
    } units[] = {{"pt", 1}, {"mm", 72 / 25.4}, {"cm", 72 / 2.54}, {"in", 72}, {"pc", 12}};
    const char *s = v->str;
    bool neg = *s == '-';
    double num = 0;
    size_t n = parse_decimal(s + neg, &num);
    const char *u = s + neg + n;
    while (*u == ' ')
        u++;
    double scale = -1;
    bool is_em = false;
    if (n > 0 && *u == 0)
        scale = 1;
    for (size_t i = 0; n > 0 && i < sizeof units / sizeof units[0]; i++)
        if (strcasecmp(u, units[i].u) == 0)
            scale = units[i].pt;
    if (n > 0 && em_ok && strcasecmp(u, "em") == 0) {
        scale = 1;
        is_em = true;
    }
    if (scale < 0) {
        pr_diag(c->in->diags, PR_D_VALUE, v->pos,
                "bad length '%s' for '%s'; write a number with pt, mm, cm, in or pc%s", s, key,
                em_ok ? " (or em, the body size)" : "");
        return false;
    }
    if (neg && num != 0) {
        pr_diag(c->in->diags, PR_D_VALUE, v->pos,
                "'%s' cannot be negative ('%s'); write 0 or a positive length", key, s);
        return false;
    }
    double pt = num * scale;
    if (pt > (is_em ? 100 : MAX_LENGTH)) {
        pr_diag(c->in->diags, PR_D_VALUE, v->pos,
                "'%s' is too large ('%s'); at most 200in", key, s);
        return false;
    }
    *out = pt;
    if (em)
        *em = is_em;
    return true;
}

static bool get_bool(struct lctx *c, const struct pr_ynode *v, const char *key, bool *out)
{
    if (no_value(c, v, key, "true"))
        return false;
    static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
    for (int i = 0; i < 3; i++) {
        if (strcasecmp(v->str, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(v->str, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    pr_diag(c->in->diags, PR_D_VALUE, v->pos, "'%s' should be true or false, not '%s'", key,
            v->str);
    return false;
}

static bool get_int(struct lctx *c, const struct pr_ynode *v, const char *key, long min,
                    long max, int *out)
{
    if (no_value(c, v, key, "1"))
        return false;
    const char *s = v->str;
    char *end;
    long n = strtol(s, &end, 10);
    if (!(*s >= '0' && *s <= '9') && !(*s == '-' && s[1] >= '0' && s[1] <= '9'))
        end = (char *)s;
    if (end == s || *end || n < min || n > max) {
        pr_diag(c->in->diags, PR_D_VALUE, v->pos,
                "'%s' should be a whole number from %ld to %ld, not '%s'", key, min, max, s);
        return false;
    }
    *out = (int)n;
    return true;
}

static bool get_number(struct lctx *c, const struct pr_ynode *v, const char *key, double min,
                       double max, double *out)
{
    if (no_value(c, v, key, "2.0"))
        return false;
    const char *s = v->str;
    bool neg = *s == '-';
    double x;
    size_t n = parse_decimal(s + neg, &x);
    if (neg)
        x = -x;
    if (n == 0 || s[neg + n] || x <= min || x > max) {
        pr_diag(c->in->diags, PR_D_VALUE, v->pos,
                "'%s' should be a number above %g and at most %g, not '%s'", key, min, max, s);
        return false;
    }
    *out = x;
    return true;
}

/* One of `names` (NULL-terminated); returns its index or -1 (reported). */
static int get_enum(struct lctx *c, const struct pr_ynode *v, const char *key,
                    const char *const *names)
{
    if (no_value(c, v, key, names[0]))
        return -1;
    for (int i = 0; names[i]; i++)
        if (strcasecmp(v->str, names[i]) == 0)
            return i;
    size_t len = 1;
    for (int i = 0; names[i]; i++)
        len += strlen(names[i]) + 2;
    char *list = pr_arena_alloc(c->in->arena, len);
    for (int i = 0; names[i]; i++) {
        if (i)
            strcat(list, ", ");
        strcat(list, names[i]);
    }
    const char *near = pr_did_you_mean(v->str, names);
    if (near)
        pr_diag(c->in->diags, PR_D_VALUE, v->pos, "unknown %s '%s'; did you mean '%s'? (%s)",
                key, v->str, near, list);
    else
        pr_diag(c->in->diags, PR_D_VALUE, v->pos, "unknown %s '%s'; write one of: %s", key,
                v->str, list);
    return -1;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch |= 32;
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* "#rrggbb" / "#rgb", or (with refs) text | accent | rule. */
static bool get_color(struct lctx *c, const struct pr_ynode *v, const char *key, bool refs,
                      struct pr_color *out, enum cref *ref)
{
    if (v && v->kind == PR_Y_SCALAR && pr_ynode_is_null(v)) {
        pr_diag(c->in->diags, PR_D_VALUE, v->pos,
                "'%s' has no value; a colour starting with '#' must be quoted "
                "(# starts a YAML comment): %s: \"#b22222\"",
                key, key);
        return false;
    }
    if (no_value(c, v, key, "\"#b22222\""))
        return false;
    const char *s = v->str;
    if (refs) {
        static const char *const names[] = {"text", "accent", "rule"};
        for (int i = 0; i < 3; i++)
            if (strcasecmp(s, names[i]) == 0) {
                *ref = (enum cref)(C_TEXT + i);
                return true;
            }
    }
    size_t n = strlen(s);
    int d[6] = {0};
    bool ok = s[0] == '#' && (n == 7 || n == 4);
    for (size_t i = 1; ok && i < n; i++)
        ok = (d[i - 1] = hexval(s[i])) >= 0;
    if (!ok) {
        pr_diag(c->in->diags, PR_D_VALUE, v->pos,
                "bad colour '%s' for '%s'; write \"#rrggbb\" in quotes%s", s, key,
                refs ? ", or text, accent or rule" : "");
        return false;
    }
    if (n == 4)
        *out = (struct pr_color){d[0] * 17 / 255.0, d[1] * 17 / 255.0, d[2] * 17 / 255.0};
    else
        *out = (struct pr_color){(d[0] * 16 + d[1]) / 255.0, (d[2] * 16 + d[3]) / 255.0,
                                 (d[4] * 16 + d[5]) / 255.0};
    if (ref)
        *ref = C_OWN;
    return true;
}

/* A mapping value, or NULL (reported unless absent). */
static const struct pr_ynode *get_map(struct lctx *c, const struct pr_ynode *v, const char *key,
                                      const char *expected)
{
    if (!v || v->kind == PR_Y_BAD)
        return NULL;
    if (v->kind != PR_Y_MAP) {
        pr_ytype_error(c->in, v, key, expected);
        return NULL;
    }
    return v;
}

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
            get_length(c, f[0], "width", false, &w, NULL);
        if (f[1])
            get_length(c, f[1], "height", false, &h, NULL);
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
    int i = get_enum(c, v, "page", page_names);
    if (i >= 0) {
        c->L->page_w = pages[i].w * pages[i].unit;
        c->L->page_h = pages[i].h * pages[i].unit;
    }
}

static void read_margins(struct lctx *c, const struct pr_ynode *v)
{
    v = get_map(c, v, "margins", "a mapping {top:, bottom:, inner:, outer:}");
    if (!v)
        return;
    static const char *const keys[] = {"top", "bottom", "inner", "outer", NULL};
    double *dst[] = {&c->L->margin_top, &c->L->margin_bottom, &c->L->margin_inner,
                     &c->L->margin_outer};
    const struct pr_ynode *f[4];
    pr_ymap_fields(c->in, v, keys, f);
    for (int i = 0; i < 4; i++)
        if (f[i])
            get_length(c, f[i], keys[i], false, dst[i], NULL);
}

/* ---------- font families ---------- */

static unsigned long rd16(const unsigned char *p)
{
    return (unsigned long)p[0] << 8 | p[1];
}

static unsigned long rd32(const unsigned char *p)
{
    return rd16(p) << 16 | rd16(p + 2);
}

/* Read n bytes at `off` of f into buf; false past the end. */
static bool read_at(FILE *f, long off, unsigned char *buf, size_t n)
{
    return off >= 0 && fseek(f, off, SEEK_SET) == 0 && fread(buf, 1, n, f) == n;
}

static void add_family(struct pr_arena *A, const char ***v, unsigned *n, unsigned *cap,
                       const char *name)
{
    if (!*name)
        return;
    for (unsigned i = 0; i < *n; i++)
        if (strcmp((*v)[i], name) == 0)
            return;
    *PR_PUSH(A, *v, *n, *cap) = pr_arena_strdup(A, name);
}

/* The family names (name IDs 1 and 16, as fontconfig reads them) of the
 * OpenType font whose table directory is at `dir_off`: Unicode and
 * Windows names are UTF-16BE, Macintosh names single-byte (ASCII kept). */
static void face_families(struct pr_arena *A, FILE *f, long dir_off, const char ***v,
                          unsigned *n, unsigned *cap)
{
    unsigned char hdr[12], rec[16];
    if (!read_at(f, dir_off, hdr, sizeof hdr))
        return;
    unsigned long ntables = rd16(hdr + 4), off = 0, len = 0;
    for (unsigned long t = 0; t < ntables && t < 512; t++) {
        if (!read_at(f, dir_off + 12 + 16 * (long)t, rec, sizeof rec))
            return;
        if (memcmp(rec, "name", 4) == 0) {
            off = rd32(rec + 8);
            len = rd32(rec + 12);
            break;
        }
    }
    if (len < 6 || len > (1ul << 20))
        return;
    unsigned char *tab = malloc(len);
    if (!tab || !read_at(f, (long)off, tab, len)) {
        free(tab);
        return;
    }
    unsigned long count = rd16(tab + 2), strings = rd16(tab + 4);
    for (unsigned long r = 0; r < count && 6 + 12 * (r + 1) <= len; r++) {
        const unsigned char *e = tab + 6 + 12 * r;
        unsigned long platform = rd16(e), id = rd16(e + 6), slen = rd16(e + 8), soff = rd16(e + 10);
        if ((id != 1 && id != 16) || strings + soff + slen > len)
            continue;
        const unsigned char *str = tab + strings + soff;
        char name[256];
        size_t o = 0;
        bool ok = true;
        if (platform == 0 || platform == 3) {
            for (unsigned long k = 0; k + 1 < slen && ok; k += 2) {
                unsigned long u = rd16(str + k);
                if (u >= 0xD800 && u <= 0xDFFF)
                    ok = false;
                else if (o + 4 >= sizeof name)
                    ok = false;
                else if (u < 0x80)
                    name[o++] = (char)u;
                else if (u < 0x800) {
                    name[o++] = (char)(0xC0 | u >> 6);
                    name[o++] = (char)(0x80 | (u & 0x3F));
                } else {
                    name[o++] = (char)(0xE0 | u >> 12);
                    name[o++] = (char)(0x80 | (u >> 6 & 0x3F));
                    name[o++] = (char)(0x80 | (u & 0x3F));
                }
            }
        } else if (platform == 1) {
            for (unsigned long k = 0; k < slen && ok; k++) {
                ok = str[k] < 0x80 && o + 1 < sizeof name;
                if (ok)
                    name[o++] = (char)str[k];
            }
        } else
            ok = false;
        name[o] = 0;
        if (ok)
            add_family(A, v, n, cap, name);
    }
    free(tab);
}

static int cmp_family(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The families the bundled fonts (<datadir>/fonts/ *.otf, *.ttf, *.ttc)
 * provide, NULL-terminated; NULL when the folder holds no font (fonts.c
 * reports that), so that nothing is checked. */
static const char **bundled_families(struct lctx *c)
{
    if (c->families_read)
        return c->families;
    c->families_read = true;
    struct pr_arena *A = c->in->arena;
    const char *dir = pr_path_join(A, c->in->datadir, "fonts");
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        return NULL;
    const char **v = NULL;
    unsigned n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || (strcasecmp(e->d_name + l - 4, ".otf") != 0 &&
                      strcasecmp(e->d_name + l - 4, ".ttf") != 0 &&
                      strcasecmp(e->d_name + l - 4, ".ttc") != 0))
            continue;
        FILE *f = fopen(pr_path_join(A, dir, e->d_name), "rb");
        if (!f)
            continue;
        unsigned char hdr[12];
        if (read_at(f, 0, hdr, sizeof hdr)) {
            if (memcmp(hdr, "ttcf", 4) == 0) {
                unsigned long faces = rd32(hdr + 8);
                unsigned char off[4];
                for (unsigned long k = 0; k < faces && k < 64; k++)
                    if (read_at(f, 12 + 4 * (long)k, off, 4))
                        face_families(A, f, (long)rd32(off), &v, &n, &cap);
            } else
                face_families(A, f, 0, &v, &n, &cap);
        }
        fclose(f);
    }
    closedir(d);
    if (!n)
        return NULL;
    qsort(v, n, sizeof *v, cmp_family);
    *PR_PUSH(A, v, n, cap) = NULL;
    c->families = v;
    return v;
}

/* fontconfig's comparison of family names: ASCII case and blanks ignored. */
static bool same_family(const char *a, size_t alen, const char *b)
{
    size_t i = 0;
    for (;;) {
        while (i < alen && a[i] == ' ')
            i++;
        while (*b == ' ')
            b++;
        if (i == alen || !*b)
            return i == alen && !*b;
        char x = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] + 32) : a[i];
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
        i++;
        b++;
    }
}

/* A family (or a comma-separated list of them, as Pango reads it) that no
 * bundled font provides would be set in whatever fontconfig falls back to:
 * an error at the family's position, naming the families there are. */
static void check_family(struct lctx *c, const char *fam, struct pr_pos pos)
{
    const char **known = bundled_families(c);
    if (!known)
        return;
    for (const char *p = fam; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        while (len && p[0] == ' ') {
            p++;
            len--;
        }
        while (len && p[len - 1] == ' ')
            len--;
        bool found = len == 0;
        for (const char **k = known; *k && !found; k++)
            found = same_family(p, len, *k);
        if (!found) {
            size_t all = 1;
            for (const char **k = known; *k; k++)
                all += strlen(*k) + 2;
            char *list = pr_arena_alloc(c->in->arena, all);
            for (const char **k = known; *k; k++) {
                if (k != known)
                    strcat(list, ", ");
                strcat(list, *k);
            }
            char *one = pr_arena_strndup(c->in->arena, p, len);
            const char *near = pr_did_you_mean(one, known);
            if (near)
                pr_diag(c->in->diags, PR_D_FONT, pos,
                        "no bundled font has the family '%s'; did you mean '%s'? (families: %s)",
                        one, near, list);
            else
                pr_diag(c->in->diags, PR_D_FONT, pos,
                        "no bundled font has the family '%s' (families: %s); name one of them "
                        "or add the font's files to fonts/",
                        one, list);
        }
        p = comma ? comma + 1 : p + len;
    }
}

static void read_font(struct lctx *c, size_t i, const struct pr_ynode *v)
{
    v = get_map(c, v, font_keys[i], "a mapping {family:, size:, leading:, ...}");
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
        check_family(c, fam, f[FAMILY]->pos);
    } else if (f[FAMILY] && pr_ynode_is_null(f[FAMILY]))
        pr_diag(c->in->diags, PR_D_VALUE, f[FAMILY]->pos,
                "'family' has no value; write e.g. 'family: Linux Libertine O'");
    if (f[SIZE] && get_length(c, f[SIZE], "size", false, &font->size, NULL)) {
        if (font->size < 1)
            pr_diag(c->in->diags, PR_D_VALUE, f[SIZE]->pos,
                    "font size '%s' is too small; write at least 1pt", f[SIZE]->str);
        else
            st->size = true;
    }
    if (f[LEADING] && get_length(c, f[LEADING], "leading", false, &font->leading, NULL))
        st->leading = true;
    if (f[WEIGHT] && !no_value(c, f[WEIGHT], "weight", "bold")) {
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
        } else if ((k = get_enum(c, f[WEIGHT], "weight", names)) >= 0)
            font->weight = w[k];
    }
    if (f[STYLE]) {
        static const char *const names[] = {"normal", "italic", "oblique", NULL};
        int k = get_enum(c, f[STYLE], "style", names);
        if (k >= 0)
            font->italic = k > 0;
    }
    if (f[CAPS])
        get_bool(c, f[CAPS], "caps", &font->caps);
    if (f[TRACKING])
        get_number(c, f[TRACKING], "tracking", -500, 1000, &font->tracking);
    if (f[COLOR])
        get_color(c, f[COLOR], "color", true, &font->color, &st->cref);
}

static void read_fonts(struct lctx *c, const struct pr_ynode *v)
{
    v = get_map(c, v, "fonts", "a mapping of fonts (body:, heading:, ...)");
    if (!v)
        return;
    const struct pr_ynode *f[NFONTS];
    pr_ymap_fields(c->in, v, font_keys, f);
    for (size_t i = 0; i < NFONTS; i++)
        if (f[i])
            read_font(c, i, f[i]);
}

static void read_colors(struct lctx *c, const struct pr_ynode *v)
{
    v = get_map(c, v, "colors", "a mapping {text:, accent:, rule:}");
    if (!v)
        return;
    static const char *const keys[] = {"text", "accent", "rule", NULL};
    struct pr_color *dst[] = {&c->text, &c->L->accent, &c->L->rule};
    const struct pr_ynode *f[3];
    pr_ymap_fields(c->in, v, keys, f);
    for (int i = 0; i < 3; i++)
        if (f[i])
            get_color(c, f[i], keys[i], false, dst[i], NULL);
}

static void read_hyphenation(struct lctx *c, const struct pr_ynode *v)
{
    v = get_map(c, v, "hyphenation",
                "a mapping {penalty:, min-before:, min-after:, capitalized:, last-line:}");
    if (!v)
        return;
    static const char *const keys[] = {"penalty", "min-before", "min-after", "capitalized",
                                       "last-line", NULL};
    const struct pr_ynode *f[5];
    pr_ymap_fields(c->in, v, keys, f);
    struct pr_layout *L = c->L;
    if (f[0])
        get_int(c, f[0], "penalty", 0, 10000, &L->hyphen_penalty);
    if (f[1])
        get_int(c, f[1], "min-before", 1, 10, &L->hyphen_min_before);
    if (f[2])
        get_int(c, f[2], "min-after", 1, 10, &L->hyphen_min_after);
    if (f[3])
        get_bool(c, f[3], "capitalized", &L->hyphenate_capitalized);
    if (f[4])
        get_bool(c, f[4], "last-line", &L->hyphen_last_line);
}

/* letter-spacing: and expansion: {shrink: N, stretch: N}, each 0..max. */
static void read_shrink_stretch(struct lctx *c, const struct pr_ynode *v, const char *key, const char *want,
                                int max, int *shrink, int *stretch)
{
    v = get_map(c, v, key, want);
    if (!v)
        return;
    static const char *const keys[] = {"shrink", "stretch", NULL};
    const struct pr_ynode *f[2];
    pr_ymap_fields(c->in, v, keys, f);
    if (f[0])
        get_int(c, f[0], "shrink", 0, max, shrink);
    if (f[1])
        get_int(c, f[1], "stretch", 0, max, stretch);
}

static void read_show(struct lctx *c, const struct pr_ynode *v)
{
    v = get_map(c, v, "show",
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
            get_bool(c, f[i], keys[i], dst[i]);
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

static void read_layout(struct lctx *c, const struct pr_ynode *root)
{
    static const char *const keys[] = {
        "description", "page", "margins", "bleed", "marks", "binding", "columns", "gutter",
        "baseline", "paragraph-indent", "fonts", "colors", "drop-cap", "composer", "tolerance",
        "letter-spacing", "expansion", "hyphenation", "optical-margins", "show", NULL,
    };
    enum { DESC, PAGE, MARGINS, BLEED, MARKS, BINDING, COLUMNS, GUTTER, BASELINE, INDENT, FONTS,
           COLORS, DROPCAP, COMPOSER, TOLERANCE, LETTERS, EXPANSION, HYPH, OPTICAL, SHOW, NKEYS };
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
        get_length(c, f[BLEED], "bleed", false, &L->bleed, NULL);
    if (f[MARKS])
        get_bool(c, f[MARKS], "marks", &L->marks);
    if (f[BINDING]) {
        static const char *const names[] = {"saddle", "perfect", "none", NULL};
        int k = get_enum(c, f[BINDING], "binding", names);
        if (k >= 0)
            L->binding = (enum pr_binding)k;
    }
    if (f[COLUMNS])
        get_int(c, f[COLUMNS], "columns", 1, 12, &L->columns);
    if (f[GUTTER])
        get_length(c, f[GUTTER], "gutter", false, &L->gutter, NULL);
    if (f[BASELINE] && get_length(c, f[BASELINE], "baseline", false, &L->baseline, NULL)) {
        if (L->baseline < 1) {
            pr_diag(c->in->diags, PR_D_VALUE, f[BASELINE]->pos,
                    "'baseline' is too small; write the body's line spacing, e.g. 12pt");
            L->baseline = 12;
        } else
            c->baseline_set = true;
    }
    if (f[INDENT])
        get_length(c, f[INDENT], "paragraph-indent", true, &c->indent, &c->indent_em);
    if (f[COLORS])
        read_colors(c, f[COLORS]);
    if (f[FONTS])
        read_fonts(c, f[FONTS]);
    if (f[DROPCAP])
        get_bool(c, f[DROPCAP], "drop-cap", &L->drop_cap);
    if (f[COMPOSER]) {
        static const char *const names[] = {"total-fit", "greedy", NULL};
        int k = get_enum(c, f[COMPOSER], "composer", names);
        if (k >= 0)
            L->composer = (enum pr_composer)k;
    }
    if (f[TOLERANCE])
        get_number(c, f[TOLERANCE], "tolerance", 0, 1000, &L->tolerance);
    if (f[LETTERS])
        read_shrink_stretch(c, f[LETTERS], "letter-spacing", "a mapping {shrink:, stretch:} in 1/1000 em", 100,
                            &L->letter_shrink, &L->letter_stretch);
    if (f[EXPANSION])
        read_shrink_stretch(c, f[EXPANSION], "expansion",
                            "a mapping {shrink:, stretch:} in 1/1000 of the glyph width", 50, &L->expand_shrink,
                            &L->expand_stretch);
    if (f[HYPH])
        read_hyphenation(c, f[HYPH]);
    if (f[OPTICAL])
        get_bool(c, f[OPTICAL], "optical-margins", &L->optical_margins);
    if (f[SHOW])
        read_show(c, f[SHOW]);
}

/* ---------- finding the file ---------- */

static bool is_path(const char *name)
{
    size_t n = strlen(name);
    return strchr(name, '/') || (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The layouts one could name: "magazine" and every layouts/NAME.yaml in the
 * issue folder and the data dir, sorted, without repeats; NULL-terminated. */
static const char **known_layouts(struct pr_input *in, const char *issue_dir)
{
    const char **v = NULL;
    unsigned n = 0, cap = 0;
    *PR_PUSH(in->arena, v, n, cap) = "magazine";
    const char *dirs[] = {issue_dir, in->datadir};
    for (int d = 0; d < 2; d++) {
        if (!dirs[d])
            continue;
        DIR *dir = opendir(pr_path_join(in->arena, dirs[d], "layouts"));
        if (!dir)
            continue;
        struct dirent *e;
        while ((e = readdir(dir))) {
            size_t l = strlen(e->d_name);
            if (l > 5 && e->d_name[0] != '.' && strcmp(e->d_name + l - 5, ".yaml") == 0)
                *PR_PUSH(in->arena, v, n, cap) = pr_arena_strndup(in->arena, e->d_name, l - 5);
        }
        closedir(dir);
    }
    qsort(v, n, sizeof *v, cmp_str);
    unsigned u = 0;
    for (unsigned i = 0; i < n; i++)
        if (u == 0 || strcmp(v[u - 1], v[i]) != 0)
            v[u++] = v[i];
    *PR_PUSH(in->arena, v, u, cap) = NULL;
    return v;
}

static void unknown_layout(struct pr_input *in, const char *name, const char *issue_dir,
                           struct pr_pos ref)
{
    const char **names = known_layouts(in, issue_dir);
    size_t len = 1;
    for (const char **k = names; *k; k++)
        len += strlen(*k) + 2;
    char *list = pr_arena_alloc(in->arena, len);
    for (const char **k = names; *k; k++) {
        if (k != names)
            strcat(list, ", ");
        strcat(list, *k);
    }
    const char *near = pr_did_you_mean(name, names);
    if (near)
        pr_diag(in->diags, PR_D_LAYOUT, ref, "unknown layout '%s'; did you mean '%s'? (layouts: %s)",
                name, near, list);
    else
        pr_diag(in->diags, PR_D_LAYOUT, ref,
                "unknown layout '%s' (layouts: %s); name one of them or give the path of a "
                ".yaml file",
                name, list);
}

static const char *file_stem(struct pr_arena *a, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return pr_arena_strndup(a, base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

bool pr_layoutdef_load(struct pr_input *in, const char *name, const char *issue_dir,
                       struct pr_pos ref, struct pr_layout *out)
{
    unsigned errors = in->diags->errors;
    const char *path = NULL;

    pr_layoutdef_defaults(out);
    if (!name || !*name) {
        pr_diag(in->diags, PR_D_LAYOUT, ref, "the layout name is empty; write e.g. 'layout: magazine'");
        return false;
    }
    if (is_path(name)) {
        path = pr_path_join(in->arena, issue_dir, name);
        if (!pr_path_exists(path)) {
            pr_diag(in->diags, PR_D_NO_FILE, ref, "layout file '%s' not found (looked for %s)",
                    name, path);
            return false;
        }
    } else {
        const char *file = pr_arena_printf(in->arena, "layouts/%s.yaml", name);
        const char *dirs[] = {issue_dir, in->datadir};
        for (int d = 0; d < 2 && !path; d++) {
            char *p = dirs[d] ? pr_path_join(in->arena, dirs[d], file) : NULL;
            if (p && pr_path_exists(p))
                path = p;
            /* the issue's own layouts/NAME.yaml (a symlink, say) must stay
             * in the issue folder like every other file the issue names */
            if (path && d == 0 && !in->allow_outside && !pr_path_inside(issue_dir, path)) {
                pr_diag(in->diags, PR_D_OUTSIDE, ref,
                        "layout '%s' (%s) is outside the issue folder '%s'", name, path, issue_dir);
                return false;
            }
        }
        if (!path) {
            if (strcmp(name, "magazine") == 0)
                return true; /* the built-in values are the magazine's */
            unknown_layout(in, name, issue_dir, ref);
            return false;
        }
    }
    out->name = is_path(name) ? file_stem(in->arena, name) : pr_arena_strdup(in->arena, name);
    out->path = path;

    long len;
    const char *text = pr_file_read(in, path, ref, &len);
    if (!text)
        return false;
    struct pr_ynode *root;
    pr_ytree_parse(in, path, text, len, 0, &root);
    struct lctx c = {.in = in, .L = out, .text = DEF_TEXT, .indent_em = true, .indent = 1};
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

/* barcode.c - typesetting: the newsstand barcode on the cover. A
 * magazine with an ISSN carries an EAN-13 made from it (GS1's ISSN
 * rule: the prefix 977, the ISSN's seven digits without its check
 * digit, a two-digit price/variant code, 00 here, and the EAN check
 * digit), with a two-digit add-on for the issue number, as newsstand
 * distributors scan it. Drawn as vector bars (rectangles), on white,
 * with the digits printed under (and over the add-on). Called by
 * furniture.c; the code tables are GS1's (General Specifications 5.2). */
#include "pages.h"
#include <string.h>

/* Left-hand odd (L) and even (G) and right-hand (R) patterns, 7 modules
 * each; the first digit sets which of L and G the left six use. */
static const char *const L_CODE[10] = {"0001101", "0011001", "0010011", "0111101", "0100011",
                                       "0110001", "0101111", "0111011", "0110111", "0001011"};
static const char *const G_CODE[10] = {"0100111", "0110011", "0011011", "0100001", "0011101",
                                       "0111001", "0000101", "0010001", "0001001", "0010111"};
static const char *const R_CODE[10] = {"1110010", "1100110", "1101100", "1000010", "1011100",
                                       "1001110", "1010000", "1000100", "1001000", "1110100"};
static const char *const PARITY[10] = {"LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
                                       "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL"};

/* The EAN-13 check digit of twelve digits. */
static int ean_check(const char *d)
{
    int sum = 0;
    for (int i = 0; i < 12; i++)
        sum += (d[i] - '0') * (i % 2 ? 3 : 1);
    return (10 - sum % 10) % 10;
}

bool pr_issn_ean13(const char *issn, char out[14])
{
    if (!issn || strlen(issn) != 9 || issn[4] != '-')
        return false;
    char d[13] = "977";
    int n = 3;
    for (int i = 0; i < 8 && n < 10; i++)
        if (i != 4) {
            if (issn[i] < '0' || issn[i] > '9')
                return false;
            d[n++] = issn[i];
        }
    d[10] = '0';
    d[11] = '0';
    d[12] = 0;
    memcpy(out, d, 12);
    out[12] = (char)('0' + ean_check(d));
    out[13] = 0;
    return true;
}

/* The 95 modules of an EAN-13 ('1' a bar), and in guard[] which are the
 * longer guard bars. */
static void ean13_modules(const char *d, char *m, bool *guard)
{
    int k = 0;
#define PUT(s, g)                                   \
    for (const char *p_ = (s); *p_; p_++) {         \
        guard[k] = (g);                             \
        m[k++] = *p_;                               \
    }
    PUT("101", true);
    const char *par = PARITY[d[0] - '0'];
    for (int i = 1; i <= 6; i++)
        PUT(par[i - 1] == 'L' ? L_CODE[d[i] - '0'] : G_CODE[d[i] - '0'], false);
    PUT("01010", true);
    for (int i = 7; i <= 12; i++)
        PUT(R_CODE[d[i] - '0'], false);
    PUT("101", true);
#undef PUT
    m[k] = 0;
}

/* The 20 modules of a two-digit add-on (the issue number mod 100). */
static void ean2_modules(int v, char *m)
{
    static const char *const par[4] = {"LL", "LG", "GL", "GG"};
    int a = v / 10 % 10, b = v % 10;
    const char *p = par[v % 4];
    strcpy(m, "1011");
    strcat(m, p[0] == 'L' ? L_CODE[a] : G_CODE[a]);
    strcat(m, "01");
    strcat(m, p[1] == 'L' ? L_CODE[b] : G_CODE[b]);
}

/* A run of bars from modules m, each `mod` wide, from x; top y, h tall
 * (guards g longer by `extra`). */
static void bars(struct pr_boxes *bx, const char *m, const bool *g, double x, double y, double h, double extra,
                 double mod)
{
    struct pr_color black = {0, 0, 0};
    for (int i = 0; m[i];) {
        if (m[i] != '1') {
            i++;
            continue;
        }
        int j = i;
        while (m[j] == '1' && (!g || g[j] == g[i]))
            j++;
        struct pr_box *b = pr_push_box(bx);
        b->kind = PR_BOX_RECT;
        b->role = PR_ROLE_DECOR;
        b->x = x + i * mod;
        b->y = y;
        b->w = (j - i) * mod;
        b->h = h + (g && g[i] ? extra : 0);
        b->color = black;
        b->alpha = 1;
        i = j;
    }
}

/* Digits s centred on x, their baseline at y. */
static void digits(struct pr_typeset *ts, struct pr_boxes *bx, const char *s, const struct pr_font *f, double x,
                   double y)
{
    struct pr_textopts o = pr_topts(ts, f, f->size * 20, PR_ALIGN_LEFT, "en");
    o.hyphenate = false;
    struct pr_text *t = pr_text_plain(ts, s, &o);
    if (t->nlines < 1)
        return;
    double w = t->lines[0].width;
    *pr_push_box(bx) = pr_line_box(ts, t, 0, x - w / 2, y, PR_ROLE_COVER);
}

double pr_barcode_width(double mod)
{
    /* quiet zone 11, EAN-13 95, gap 9, add-on 20, quiet zone 5 */
    return (11 + 95 + 9 + 20 + 5) * mod;
}

/* the digits over the add-on, the bars, the guards' extra, the digits */
#define TEXT(mod) ((mod) * 9 * 1.1)
double pr_barcode_height(double mod)
{
    return TEXT(mod) + mod * 60 + mod * 5 + TEXT(mod) * 0.6 + mod * 4;
}

void pr_add_barcode(struct pr_typeset *ts, struct pr_boxes *bx, const char *issn, const char *ean, int issue,
                    double x, double y, double mod)
{
    struct pr_font f = ts->L->folio;
    f.size = mod * 9;
    f.leading = f.size * 1.2;
    f.weight = 400;
    f.italic = false;
    f.caps = false;
    f.tracking = 0;
    f.color = (struct pr_color){0, 0, 0};
    double h = mod * 60, extra = mod * 5, text = TEXT(mod);
    /* the white ground, quiet zones and digits included */
    struct pr_box *w = pr_push_box(bx);
    w->kind = PR_BOX_RECT;
    w->role = PR_ROLE_DECOR;
    w->x = x;
    w->y = y;
    w->w = pr_barcode_width(mod);
    w->h = pr_barcode_height(mod);
    w->color = (struct pr_color){1, 1, 1};
    w->alpha = 1;
    char m[96], a[21];
    bool g[96];
    ean13_modules(ean, m, g);
    double x0 = x + 11 * mod, top = y + text + mod * 2;
    bars(bx, m, g, x0, top, h, extra, mod);
    double base = top + h + text * 0.85;
    char left[7], right[7], first[2] = {ean[0], 0};
    memcpy(left, ean + 1, 6);
    left[6] = 0;
    memcpy(right, ean + 7, 6);
    right[6] = 0;
    digits(ts, bx, first, &f, x0 - 5 * mod, base);
    digits(ts, bx, left, &f, x0 + (3 + 21) * mod, base);
    digits(ts, bx, right, &f, x0 + (50 + 21) * mod, base);
    /* the add-on, its digits over it, its bars down to the guards' foot */
    ean2_modules(issue % 100, a);
    double xa = x0 + (95 + 9) * mod;
    bars(bx, a, NULL, xa, top + text, h + extra - text, 0, mod);
    char num[3] = {(char)('0' + issue / 10 % 10), (char)('0' + issue % 10), 0};
    digits(ts, bx, num, &f, xa + 10 * mod, top + text * 0.8);
    /* and the ISSN over the EAN, as distributors print it */
    char *is = pr_arena_printf(ts->b->arena, "ISSN %s", issn);
    digits(ts, bx, is, &f, x0 + 47.5 * mod, top - mod);
}

/* sfnt_glyphs.c - glyphs added to an embedded TrueType program (the
 * FontFile2 of a CIDFontType2, as cairo writes it): for pdfjoin.c, which
 * needs glyphs that draw an existing glyph's outline but advance by a
 * width of their own, so that the widths in the PDF (/W) stay the font
 * program's (PDF/UA-1 7.21.5, Matterhorn 31-016).
 *
 * Each added glyph is a composite (glyf numberOfContours -1) of one
 * component, the original glyph, placed at (dx, 0) with ARGS_ARE_XY_VALUES
 * and word arguments (no USE_MY_METRICS: the advance is the new glyph's
 * own, from hmtx). A glyph without an outline (a space) is added as an
 * empty glyph. The program is rewritten table by table in its own order:
 * glyf and loca (short offsets while they fit, else long, head's
 * indexToLocFormat following), head's bounding box, hmtx with a long metric for every glyph
 * (hhea.numberOfHMetrics = numGlyphs), hhea's extents, maxp (numGlyphs;
 * the composite limits of version 1.0: maxComponentElements,
 * maxComponentDepth, maxCompositePoints/Contours), a post table of
 * version 2 (per-glyph names) made version 3; every table's checksum and
 * head.checkSumAdjustment. A program with tables that count glyphs in
 * other ways (hdmx, LTSH, VDMX, vhea/vmtx, CFF) is refused. */
#include "pdfpost.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct table {
    char tag[4];
    size_t off, len;   /* in the input */
    unsigned char *data; /* the output's */
    size_t dlen;
};

static unsigned u16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static int s16(const unsigned char *p)
{
    return (int16_t)(uint16_t)u16(p);
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xFFFF);
}

static uint32_t checksum(const unsigned char *p, size_t len)
{
    uint32_t s = 0;
    for (size_t i = 0; i < len; i += 4) {
        unsigned char b[4] = {0};
        memcpy(b, p + i, len - i < 4 ? len - i : 4);
        s += u32(b);
    }
    return s;
}

struct sfnt {
    const unsigned char *d;
    size_t len;
    int ntables;
    struct table *t;
    unsigned upem, nglyphs, nmetrics;
    bool long_loca;
};

static struct table *find(struct sfnt *s, const char *tag)
{
    for (int i = 0; i < s->ntables; i++)
        if (memcmp(s->t[i].tag, tag, 4) == 0)
            return &s->t[i];
    return NULL;
}

static bool sfnt_read(struct sfnt *s, const unsigned char *d, size_t len)
{
    memset(s, 0, sizeof *s);
    s->d = d;
    s->len = len;
    if (len < 12 || (u32(d) != 0x00010000 && memcmp(d, "true", 4) != 0))
        return false;
    s->ntables = (int)u16(d + 4);
    if (12 + 16 * (size_t)s->ntables > len)
        return false;
    s->t = calloc((size_t)s->ntables, sizeof *s->t);
    for (int i = 0; i < s->ntables; i++) {
        const unsigned char *r = d + 12 + 16 * i;
        memcpy(s->t[i].tag, r, 4);
        s->t[i].off = u32(r + 8);
        s->t[i].len = u32(r + 12);
        if (s->t[i].off > len || s->t[i].len > len - s->t[i].off)
            return false;
    }
    static const char *const refused[] = {"hdmx", "LTSH", "VDMX", "vhea", "vmtx", "CFF ", "CFF2"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
        if (find(s, refused[i]))
            return false;
    struct table *head = find(s, "head"), *hhea = find(s, "hhea"), *maxp = find(s, "maxp"),
                 *hmtx = find(s, "hmtx"), *loca = find(s, "loca"), *glyf = find(s, "glyf");
    if (!head || head->len < 54 || !hhea || hhea->len < 36 || !maxp || maxp->len < 6 || !hmtx || !loca || !glyf)
        return false;
    s->upem = u16(d + head->off + 18);
    s->long_loca = s16(d + head->off + 50) == 1;
    s->nglyphs = u16(d + maxp->off + 4);
    s->nmetrics = u16(d + hhea->off + 34);
    if (s->upem == 0 || s->nmetrics == 0 || s->nmetrics > s->nglyphs || hmtx->len < 4 * (size_t)s->nmetrics +
        2 * (size_t)(s->nglyphs - s->nmetrics) || loca->len < (s->long_loca ? 4 : 2) * ((size_t)s->nglyphs + 1))
        return false;
    return true;
}

/* glyph g's bytes in glyf: [*a, *b) relative to glyf */
static bool glyph_range(struct sfnt *s, unsigned g, size_t *a, size_t *b)
{
    const unsigned char *l = s->d + find(s, "loca")->off;
    *a = s->long_loca ? u32(l + 4 * g) : 2 * (size_t)u16(l + 2 * g);
    *b = s->long_loca ? u32(l + 4 * g + 4) : 2 * (size_t)u16(l + 2 * g + 2);
    return *a <= *b && *b <= find(s, "glyf")->len;
}

static void metric(struct sfnt *s, unsigned g, unsigned *adv, int *lsb)
{
    const unsigned char *h = s->d + find(s, "hmtx")->off;
    *adv = u16(h + 4 * (g < s->nmetrics ? g : s->nmetrics - 1));
    *lsb = g < s->nmetrics ? s16(h + 4 * g + 2) : s16(h + 4 * s->nmetrics + 2 * (g - s->nmetrics));
}

/* how deep the components of glyph g go (0: a simple glyph); -1: broken */
static int depth(struct sfnt *s, unsigned g, int level)
{
    size_t a, b;
    if (level > 16 || g >= s->nglyphs || !glyph_range(s, g, &a, &b))
        return -1;
    if (b - a < 10 || s16(s->d + find(s, "glyf")->off + a) >= 0)
        return 0;
    const unsigned char *p = s->d + find(s, "glyf")->off + a + 10, *e = s->d + find(s, "glyf")->off + b;
    int deepest = 0;
    for (;;) {
        if (e - p < 4)
            return -1;
        unsigned flags = u16(p), comp = u16(p + 2);
        int dd = depth(s, comp, level + 1);
        if (dd < 0)
            return -1;
        if (dd + 1 > deepest)
            deepest = dd + 1;
        p += 4 + (flags & 1 ? 4 : 2) + (flags & 8 ? 2 : flags & 0x40 ? 4 : flags & 0x80 ? 8 : 0);
        if (!(flags & 0x20))
            return deepest;
    }
}

bool pr_sfnt_metrics(const unsigned char *font, size_t len, unsigned *upem, unsigned *nglyphs)
{
    struct sfnt s;
    bool ok = sfnt_read(&s, font, len);
    *upem = s.upem;
    *nglyphs = s.nglyphs;
    free(s.t);
    return ok;
}

bool pr_sfnt_glyph_ok(const unsigned char *font, size_t len, unsigned gid)
{
    struct sfnt s;
    bool ok = sfnt_read(&s, font, len) && gid < s.nglyphs && depth(&s, gid, 0) >= 0;
    free(s.t);
    return ok;
}

unsigned char *pr_sfnt_add_glyphs(const unsigned char *font, size_t len, const struct pr_sfnt_glyph *add, int n,
                                  size_t *out_len)
{
    struct sfnt s;
    unsigned char *out = NULL;
    if (!sfnt_read(&s, font, len) || n <= 0 || s.nglyphs + (unsigned)n > 65535)
        goto done;
    unsigned total = s.nglyphs + (unsigned)n;
    struct table *head = find(&s, "head"), *hhea = find(&s, "hhea"), *maxp = find(&s, "maxp"),
                 *glyf = find(&s, "glyf"), *post = find(&s, "post");
    const unsigned char *g0 = font + glyf->off;
    /* glyf: the old glyphs as they were, then the new */
    size_t old_end, a, b;
    if (!glyph_range(&s, s.nglyphs - 1, &a, &old_end))
        goto done;
    size_t cap = old_end + 4 + (size_t)n * 24;
    unsigned char *gl = calloc(1, cap);
    memcpy(gl, g0, old_end);
    size_t at = (old_end + 3) & ~(size_t)3;
    size_t *offs = calloc(total + 1, sizeof *offs);
    for (unsigned g = 0; g <= s.nglyphs; g++)
        offs[g] = g < s.nglyphs ? (glyph_range(&s, g, &a, &b), a) : at;
    unsigned max_adv = u16(font + hhea->off + 10);
    int min_lsb = s16(font + hhea->off + 12), min_rsb = s16(font + hhea->off + 14),
        max_ext = s16(font + hhea->off + 16);
    int bb_xmin = s16(font + head->off + 36), bb_xmax = s16(font + head->off + 40);
    bool maxp1 = maxp->len >= 32 && u32(font + maxp->off) == 0x00010000; /* else 0.5: numGlyphs only */
    unsigned comp_points = maxp1 ? u16(font + maxp->off + 10) : 0, comp_contours = maxp1 ? u16(font + maxp->off + 12) : 0;
    int max_depth = maxp1 ? (int)u16(font + maxp->off + 30) : 0;
    int *lsbs = calloc((size_t)n, sizeof *lsbs);
    for (int i = 0; i < n; i++) {
        unsigned og = add[i].gid;
        int dd = og < s.nglyphs ? depth(&s, og, 0) : -1;
        if (dd < 0 || !glyph_range(&s, og, &a, &b) || add[i].advance < 0 || add[i].advance > 65535 ||
            add[i].dx < -32768 || add[i].dx > 32767) {
            free(gl);
            free(offs);
            free(lsbs);
            goto done;
        }
        offs[s.nglyphs + i] = at;
        if (b - a >= 10) { /* an outline: the composite */
            const unsigned char *o = g0 + a;
            int xmin = s16(o + 2) + add[i].dx, xmax = s16(o + 6) + add[i].dx;
            unsigned char *p = gl + at;
            put16(p, 0xFFFF);
            put16(p + 2, (unsigned)xmin & 0xFFFF);
            memcpy(p + 4, o + 4, 2);
            put16(p + 6, (unsigned)xmax & 0xFFFF);
            memcpy(p + 8, o + 8, 2);
            put16(p + 10, 0x0001 | 0x0002); /* ARG_1_AND_2_ARE_WORDS, ARGS_ARE_XY_VALUES */
            put16(p + 12, og);
            put16(p + 14, (unsigned)add[i].dx & 0xFFFF);
            put16(p + 16, 0);
            at += 20;
            lsbs[i] = xmin;
            if (xmin < min_lsb)
                min_lsb = xmin;
            if (add[i].advance - xmax < min_rsb)
                min_rsb = add[i].advance - xmax;
            if (xmax > max_ext)
                max_ext = xmax;
            if (xmin < bb_xmin)
                bb_xmin = xmin;
            if (xmax > bb_xmax)
                bb_xmax = xmax;
            if (dd + 1 > max_depth)
                max_depth = dd + 1;
            if (dd == 0 && s16(o) > 0) { /* a simple glyph's points and contours */
                unsigned nc = (unsigned)s16(o);
                if (b - a >= 10 + 2 * (size_t)nc) {
                    unsigned np = u16(o + 10 + 2 * (nc - 1)) + 1;
                    if (np > comp_points)
                        comp_points = np;
                    if (nc > comp_contours)
                        comp_contours = nc;
                }
            }
        }
        if ((unsigned)add[i].advance > max_adv)
            max_adv = (unsigned)add[i].advance;
    }
    offs[total] = at;
    bool long_loca = s.long_loca || at > 0x1FFFE;
    /* loca */
    size_t lsize = (long_loca ? 4 : 2) * ((size_t)total + 1);
    unsigned char *lo = calloc(1, lsize);
    for (unsigned g = 0; g <= total; g++) {
        if (long_loca)
            put32(lo + 4 * g, (uint32_t)offs[g]);
        else
            put16(lo + 2 * g, (unsigned)(offs[g] / 2));
    }
    /* hmtx: a long metric for every glyph */
    unsigned char *hm = calloc(4, total);
    for (unsigned g = 0; g < total; g++) {
        unsigned adv;
        int lsb;
        if (g < s.nglyphs)
            metric(&s, g, &adv, &lsb);
        else
            adv = (unsigned)add[g - s.nglyphs].advance, lsb = lsbs[g - s.nglyphs];
        put16(hm + 4 * g, adv);
        put16(hm + 4 * g + 2, (unsigned)lsb & 0xFFFF);
    }
    /* the small tables, copied and changed */
    unsigned char *hd = malloc(head->len), *hh = malloc(hhea->len), *mp = malloc(maxp->len), *ps = NULL;
    memcpy(hd, font + head->off, head->len);
    put16(hd + 50, long_loca);
    put16(hd + 36, (unsigned)bb_xmin & 0xFFFF);
    put16(hd + 40, (unsigned)bb_xmax & 0xFFFF);
    put32(hd + 8, 0);
    memcpy(hh, font + hhea->off, hhea->len);
    put16(hh + 10, max_adv);
    put16(hh + 12, (unsigned)min_lsb & 0xFFFF);
    put16(hh + 14, (unsigned)min_rsb & 0xFFFF);
    put16(hh + 16, (unsigned)max_ext & 0xFFFF);
    put16(hh + 34, total);
    memcpy(mp, font + maxp->off, maxp->len);
    put16(mp + 4, total);
    if (maxp1) {
        put16(mp + 10, comp_points);
        put16(mp + 12, comp_contours);
        if (u16(mp + 28) < 1)
            put16(mp + 28, 1);
        put16(mp + 30, (unsigned)max_depth);
    }
    size_t pslen = 0;
    if (post && post->len >= 32) {
        ps = malloc(32);
        memcpy(ps, font + post->off, 32);
        if (u32(ps) == 0x00020000 || u32(ps) == 0x00025000)
            put32(ps, 0x00030000);
        pslen = u32(ps) == 0x00030000 ? 32 : 0;
    }
    struct { const char *tag; unsigned char *d; size_t len; } repl[] = {
        {"glyf", gl, at}, {"loca", lo, lsize}, {"hmtx", hm, 4 * (size_t)total}, {"head", hd, head->len},
        {"hhea", hh, hhea->len}, {"maxp", mp, maxp->len}, {"post", ps, pslen}};
    for (int i = 0; i < s.ntables; i++) {
        s.t[i].data = (unsigned char *)font + s.t[i].off;
        s.t[i].dlen = s.t[i].len;
        for (size_t k = 0; k < sizeof repl / sizeof *repl; k++)
            if (memcmp(s.t[i].tag, repl[k].tag, 4) == 0 && repl[k].d && repl[k].len)
                s.t[i].data = repl[k].d, s.t[i].dlen = repl[k].len;
    }
    /* the file: the directory as it was (its order), each table 4-aligned */
    size_t size = 12 + 16 * (size_t)s.ntables;
    for (int i = 0; i < s.ntables; i++)
        size += (s.t[i].dlen + 3) & ~(size_t)3;
    out = calloc(1, size);
    memcpy(out, font, 12);
    size_t pos = 12 + 16 * (size_t)s.ntables;
    /* tables in the order of their offsets in the input */
    int *order = malloc(sizeof *order * (size_t)s.ntables);
    for (int i = 0; i < s.ntables; i++)
        order[i] = i;
    for (int i = 1; i < s.ntables; i++)
        for (int j = i; j > 0 && s.t[order[j - 1]].off > s.t[order[j]].off; j--) {
            int x = order[j];
            order[j] = order[j - 1];
            order[j - 1] = x;
        }
    size_t head_at = 0;
    for (int k = 0; k < s.ntables; k++) {
        struct table *t = &s.t[order[k]];
        unsigned char *r = out + 12 + 16 * order[k];
        memcpy(r, t->tag, 4);
        memcpy(out + pos, t->data, t->dlen);
        put32(r + 4, checksum(out + pos, t->dlen));
        put32(r + 8, (uint32_t)pos);
        put32(r + 12, (uint32_t)t->dlen);
        if (memcmp(t->tag, "head", 4) == 0)
            head_at = pos;
        pos += (t->dlen + 3) & ~(size_t)3;
    }
    put32(out + head_at + 8, 0xB1B0AFBAu - checksum(out, size));
    *out_len = size;
    free(order);
    free(gl);
    free(offs);
    free(lsbs);
    free(lo);
    free(hm);
    free(hd);
    free(hh);
    free(mp);
    free(ps);
done:
    free(s.t);
    return out;
}

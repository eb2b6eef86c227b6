/* test_sfnt.c - glyphs added to a TrueType program (sfnt_glyphs.c), on
 * fonts/Amiri-Regular.ttf (long loca, post 2.0): the glyph count, every
 * table's checksum and the file's (head.checkSumAdjustment), the new
 * glyphs' advances, their composite records (component, x offset), post
 * made 3.0; a second round on the result; what it refuses. With
 * PR_SFNT_OUT=FILE it also writes the result (for fontTools by hand). */
#include "check.h"
#include "pdfpost.h"
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>

static unsigned u16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)u16(p) << 16 | u16(p + 2);
}

static uint32_t sum(const unsigned char *p, size_t len)
{
    uint32_t s = 0;
    for (size_t i = 0; i < len; i += 4) {
        unsigned char b[4] = {0};
        memcpy(b, p + i, len - i < 4 ? len - i : 4);
        s += u32(b);
    }
    return s;
}

/* the table `tag` of font f: its offset (0: none) and length */
static size_t table(const unsigned char *f, const char *tag, size_t *len)
{
    for (unsigned i = 0; i < u16(f + 4); i++)
        if (memcmp(f + 12 + 16 * i, tag, 4) == 0) {
            *len = u32(f + 12 + 16 * i + 12);
            return u32(f + 12 + 16 * i + 8);
        }
    return 0;
}

/* every table's checksum right (head's without checkSumAdjustment) */
static bool checksums(const unsigned char *f)
{
    for (unsigned i = 0; i < u16(f + 4); i++) {
        const unsigned char *r = f + 12 + 16 * i;
        uint32_t s = sum(f + u32(r + 8), u32(r + 12));
        if (memcmp(r, "head", 4) == 0)
            s -= u32(f + u32(r + 8) + 8);
        if (s != u32(r + 4))
            return false;
    }
    return true;
}

int main(void)
{
    gchar *font = NULL;
    gsize len = 0;
    if (!g_file_get_contents("fonts/Amiri-Regular.ttf", &font, &len, NULL)) {
        fprintf(stderr, "no fonts/Amiri-Regular.ttf (run from the source tree)\n");
        return 1;
    }
    const unsigned char *f = (const unsigned char *)font;
    unsigned upem = 0, n0 = 0;
    CHECK(pr_sfnt_metrics(f, len, &upem, &n0));
    CHECK(upem == 1000 && n0 > 100);
    CHECK(pr_sfnt_glyph_ok(f, len, 100));
    CHECK(!pr_sfnt_glyph_ok(f, len, n0));

    struct pr_sfnt_glyph add[] = {{100, 0, 555}, {100, 37, 0}, {1, -5, 1234}};
    size_t olen = 0;
    unsigned char *o = pr_sfnt_add_glyphs(f, len, add, 3, &olen);
    CHECK(o != NULL);
    if (!o)
        return DONE();
    if (getenv("PR_SFNT_OUT"))
        g_file_set_contents(getenv("PR_SFNT_OUT"), (const char *)o, (gssize)olen, NULL);
    unsigned upem2 = 0, n1 = 0;
    CHECK(pr_sfnt_metrics(o, olen, &upem2, &n1));
    CHECK(upem2 == upem && n1 == n0 + 3);
    CHECK(checksums(o));
    CHECK(sum(o, olen) == 0xB1B0AFBAu);
    size_t hl, hh, ml, gl, ll, pl;
    size_t head = table(o, "head", &hl), hhea = table(o, "hhea", &hh), hmtx = table(o, "hmtx", &ml),
           glyf = table(o, "glyf", &gl), loca = table(o, "loca", &ll), post = table(o, "post", &pl);
    CHECK(u16(o + hhea + 34) == n1); /* a long metric for every glyph */
    CHECK(ml == 4 * (size_t)n1);
    CHECK(u16(o + hmtx + 4 * n0) == 555 && u16(o + hmtx + 4 * (n0 + 1)) == 0 && u16(o + hmtx + 4 * (n0 + 2)) == 1234);
    CHECK(u16(o + hhea + 10) >= 1234); /* advanceWidthMax */
    bool long_loca = u16(o + head + 50) == 1;
    CHECK(ll == (long_loca ? 4 : 2) * ((size_t)n1 + 1));
    for (unsigned i = 0; i < 2; i++) {
        unsigned g = n0 + i;
        size_t a = long_loca ? u32(o + loca + 4 * g) : 2 * (size_t)u16(o + loca + 2 * g);
        size_t b = long_loca ? u32(o + loca + 4 * g + 4) : 2 * (size_t)u16(o + loca + 2 * g + 2);
        const unsigned char *p = o + glyf + a;
        CHECK(b - a == 20 && b <= gl);
        CHECK(u16(p) == 0xFFFF);                 /* numberOfContours -1 */
        CHECK(u16(p + 10) == 0x0003);            /* words, x/y values, the last */
        CHECK(u16(p + 12) == 100);               /* the component */
        CHECK((int16_t)u16(p + 14) == add[i].dx && u16(p + 16) == 0);
        CHECK((int16_t)u16(o + hmtx + 4 * g + 2) == (int16_t)u16(p + 2)); /* lsb = xMin */
    }
    CHECK(u32(o + post) == 0x00030000 && pl == 32);
    CHECK(u16(o + table(o, "maxp", &hl) + 28) >= 1);

    /* a second round on the result */
    struct pr_sfnt_glyph more[] = {{n0, 10, 600}};
    size_t o2len = 0;
    unsigned char *o2 = pr_sfnt_add_glyphs(o, olen, more, 1, &o2len);
    unsigned n2 = 0;
    CHECK(o2 && pr_sfnt_metrics(o2, o2len, &upem2, &n2) && n2 == n1 + 1 && sum(o2, o2len) == 0xB1B0AFBAu);
    CHECK(o2 && checksums(o2));

    /* refused: not a TrueType program, a glyph it has not, no glyphs */
    CHECK(!pr_sfnt_metrics((const unsigned char *)"OTTO\0\0\0\0\0\0\0\0", 12, &upem2, &n2));
    struct pr_sfnt_glyph bad[] = {{n0 + 50, 0, 100}};
    CHECK(pr_sfnt_add_glyphs(f, len, bad, 1, &o2len) == NULL);
    CHECK(pr_sfnt_add_glyphs(f, len, add, 0, &o2len) == NULL);
    struct pr_sfnt_glyph neg[] = {{100, 0, -1}};
    CHECK(pr_sfnt_add_glyphs(f, len, neg, 1, &o2len) == NULL);
    free(o);
    free(o2);
    g_free(font);
    return DONE();
}

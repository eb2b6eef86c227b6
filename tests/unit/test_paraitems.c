/* test_paraitems.c - pr_itemize (paraitems.c) against Pango's own
 * pango_itemize_with_base_dir, every public field of every item (offset,
 * length, characters, font, level, gravity, flags, script, language, and
 * each attribute it holds, with its indices): on hand-picked paragraphs
 * and on 20,000 random ones over letters, spaces, punctuation, accented,
 * Greek, Cyrillic, Arabic, CJK and emoji characters and characters only a
 * fallback font has, under random spans of family, style, weight,
 * language, rise and scale, left to right and right to left, with the
 * bundled fonts; and pr_run_logical_widths (lineset.c) against
 * pango_glyph_item_get_logical_widths. */
#include "../../src/para_int.h"
#include "check.h"
#include "randtext.h"
#include <fontconfig/fontconfig.h>
#include <pango/pangofc-fontmap.h>
#include <stdlib.h>

static int differ;

static bool same_attrs(GSList *a, GSList *b)
{
    for (; a && b; a = a->next, b = b->next) {
        const PangoAttribute *x = a->data, *y = b->data;
        if (!pango_attribute_equal(x, y) || x->start_index != y->start_index || x->end_index != y->end_index)
            return false;
    }
    return !a && !b;
}

static const char *why(const PangoItem *x, const PangoItem *y)
{
    if (x->offset != y->offset || x->length != y->length || x->num_chars != y->num_chars)
        return "extent";
    if (x->analysis.font != y->analysis.font)
        return "font";
    if (x->analysis.level != y->analysis.level || x->analysis.gravity != y->analysis.gravity ||
        x->analysis.flags != y->analysis.flags || x->analysis.script != y->analysis.script)
        return "analysis";
    if (x->analysis.language != y->analysis.language)
        return "language";
    if (!same_attrs(x->analysis.extra_attrs, y->analysis.extra_attrs))
        return "attributes";
    return NULL;
}

static void same(struct pr_typeset *ts, PangoDirection dir, const char *text, int len, PangoAttrList *attrs)
{
    GList *want = pango_itemize_with_base_dir(ts->ctx, dir, text, 0, len, attrs, NULL);
    GList *got = pr_itemize(ts, dir, text, len, attrs);
    const char *bad = NULL;
    int at = 0;
    GList *w = want, *g = got;
    for (; w && g && !bad; w = w->next, g = g->next, at++)
        bad = why(w->data, g->data);
    if (!bad && (w || g))
        bad = "count";
    CHECK(bad == NULL);
    if (bad && differ++ < 3)
        fprintf(stderr, "  item %d differs (%s) in \"%.*s\"\n", at, bad, len, text);
    g_list_free_full(want, (GDestroyNotify)pango_item_free);
    g_list_free_full(got, (GDestroyNotify)pango_item_free);
}

static PangoContext *context(void)
{
    FcConfig *fc = FcConfigCreate();
    FcConfigParseAndLoadFromMemory(fc, (const FcChar8 *)
        "<?xml version=\"1.0\"?><fontconfig><cachedir prefix=\"xdg\">fontconfig</cachedir></fontconfig>",
        FcFalse);
    CHECK(FcConfigAppFontAddDir(fc, (const FcChar8 *)"fonts"));
    PangoFontMap *fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), fc);
    FcConfigDestroy(fc);
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(fm), 72.0);
    PangoContext *ctx = pango_font_map_create_context(fm);
    g_object_unref(fm);
    pango_context_set_language(ctx, pango_language_from_string("en"));
    return ctx;
}

static PangoAttrList *base_attrs(const char *family, const char *lang)
{
    PangoAttrList *al = pango_attr_list_new();
    /* (as pr_fonts_desc gives them: the bundled fallbacks after the face) */
    char *families = g_strdup_printf("%s,Amiri,DejaVu Sans", family);
    PangoFontDescription *fd = pango_font_description_from_string(families);
    g_free(families);
    pango_font_description_set_size(fd, 10 * PANGO_SCALE);
    pango_attr_list_insert(al, pango_attr_font_desc_new(fd));
    pango_font_description_free(fd);
    if (lang)
        pango_attr_list_insert(al, pango_attr_language_new(pango_language_from_string(lang)));
    return al;
}

static void picked(struct pr_typeset *ts)
{
    static const char *const texts[] = {
        "The committee met on Tuesday, and the stewards reported back to the hall.",
        "It\xE2\x80\x99s the workers\xE2\x80\x99 union; don\xE2\x80\x99t cross: picket lines held all week long.",
        "Caf\xC3\xA9 na\xC3\xAFvet\xC3\xA9 resume\xCC\x81s and co\xC3\xB6peration across the warehouse floor.",
        "Mixed \xD8\xA7\xD9\x84\xD8\xB9\xD9\x85\xD8\xA7\xD9\x84 Arabic words inside an English sentence here.",
        "Check marks \xE2\x9C\x93 and arrows \xE2\x86\x92 come from a fallback font in the middle of words.",
        "Emoji \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD work \xE2\x9D\xA4\xEF\xB8\x8F here; flags \xF0\x9F\x87\xBA\xF0\x9F\x87\xB8 too, and more words.",
        "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE6\x96\x87 and English text interleaved with Japanese characters.",
        "\xD0\x9F\xD1\x80\xD0\xBE\xD1\x84\xD1\x81\xD0\xBE\xD1\x8E\xD0\xB7 and \xCE\x95\xCE\xBB\xCE\xBB\xCE\xAC\xCE\xB4\xCE\xB1 beside Latin letters in one line.",
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz",
    };
    static const char *const families[] = {"Linux Libertine O", "Linux Biolinum O", "DejaVu Sans Mono", "Amiri",
                                           "No Such Family"};
    for (size_t f = 0; f < sizeof families / sizeof *families; f++)
        for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
            PangoAttrList *al = base_attrs(families[f], "en");
            int len = (int)strlen(texts[i]);
            same(ts, PANGO_DIRECTION_LTR, texts[i], len, al);
            same(ts, PANGO_DIRECTION_RTL, texts[i], len, al);
            /* an italic word and a bold one, cut inside words */
            PangoAttribute *it = pango_attr_style_new(PANGO_STYLE_ITALIC);
            it->start_index = 6;
            it->end_index = 17;
            pango_attr_list_insert(al, it);
            PangoAttribute *b = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
            b->start_index = 20;
            b->end_index = 33;
            pango_attr_list_insert(al, b);
            same(ts, PANGO_DIRECTION_LTR, texts[i], len, al);
            pango_attr_list_unref(al);
        }
}

/* Random paragraphs, random spans. */
static void random_text(struct pr_typeset *ts)
{
    static const char *const pieces[] = {
        " ", " ", " ", " ", ".", ",", ";", "!", "?", "'", "\"", "(", ")", "-", "0", "7", "\xC2\xAD",
        "\xC2\xA0", "\xE2\x80\x99", "\xE2\x80\x9C", "\xE2\x80\x94", "\xC3\xA9", "\xC3\xB1", "\xCC\x81", "\xCE\xB1",
        "\xD0\xB4", "\xD8\xB9", "\xD9\x85", "\xD7\x90", "\xE6\x97\xA5", "\xE3\x81\xAE", "\xF0\x9F\x91\x8D",
        "\xE2\x9D\xA4\xEF\xB8\x8F", "\xE2\x9C\x93", "\xE2\x86\x92", "\xE2\x80\x8D", "\xE2\x80\x8B", "\t",
        "\xEF\xBC\xA1", "\xC2\xA9", "\xE2\x80\xAE", "\xE2\x80\xAC",
    };
    static const char *const families[] = {"Linux Libertine O", "Linux Biolinum O", "DejaVu Sans Mono",
                                           "Amiri", "DejaVu Sans"};
    static const char *const langs[] = {"en", "es", "ar", "ja", "sr", "el", NULL};
    const int npieces = (int)(sizeof pieces / sizeof *pieces);
    GRand *r = g_rand_new_with_seed(19);
    GString *s = g_string_new(NULL);
    for (int round = 0; round < 20000; round++) {
        rand_text(r, s, g_rand_int_range(r, 8, 80), 2, pieces, npieces);
        int len = (int)s->len;
        PangoAttrList *al = base_attrs(families[g_rand_int_range(r, 0, 5)],
                                       langs[g_rand_int_range(r, 0, 7)]);
        int nspans = g_rand_int_range(r, 0, 5);
        for (int k = 0; k < nspans; k++) {
            PangoAttribute *a;
            switch (g_rand_int_range(r, 0, 6)) {
            case 0: a = pango_attr_style_new(PANGO_STYLE_ITALIC); break;
            case 1: a = pango_attr_weight_new(PANGO_WEIGHT_BOLD); break;
            case 2: a = pango_attr_language_new(pango_language_from_string(langs[g_rand_int_range(r, 0, 6)])); break;
            case 3: a = pango_attr_rise_new(2000); break;
            case 4: a = pango_attr_scale_new(0.62); break;
            default: a = pango_attr_family_new(families[g_rand_int_range(r, 0, 5)]); break;
            }
            /* at character starts */
            int from = g_rand_int_range(r, 0, len), to = g_rand_int_range(r, from, len + 1);
            while (from > 0 && (s->str[from] & 0xC0) == 0x80)
                from--;
            while (to < len && (s->str[to] & 0xC0) == 0x80)
                to++;
            a->start_index = (guint)from;
            a->end_index = (guint)to;
            pango_attr_list_insert(al, a);
        }
        same(ts, g_rand_int_range(r, 0, 5) ? PANGO_DIRECTION_LTR : PANGO_DIRECTION_RTL, s->str, len, al);
        pango_attr_list_unref(al);
    }
    g_string_free(s, TRUE);
    g_rand_free(r);
}

/* pr_run_logical_widths (lineset.c) against pango_glyph_item_get_logical_widths
 * on the items of the random paragraphs, shaped (ligatures, marks,
 * fallback fonts, right-to-left runs). */
static void widths(struct pr_typeset *ts)
{
    static const char *const pieces[] = {"fi", "ffl", "office", " ", " ", "e\xCC\x81", "\xC3\xA9", "\xD8\xB9\xD9\x85",
                                         "\xE6\x97\xA5", "\xF0\x9F\x91\x8D", "\xE2\x9C\x93", "Th", "-", "'", "\xC2\xAD"};
    GRand *r = g_rand_new_with_seed(3);
    GString *s = g_string_new(NULL);
    int bad = 0;
    for (int round = 0; round < 3000; round++) {
        g_string_truncate(s, 0);
        int n = g_rand_int_range(r, 1, 40);
        for (int i = 0; i < n; i++)
            g_string_append(s, g_rand_int_range(r, 0, 3) ? pieces[g_rand_int_range(r, 0, 15)]
                                                          : (const char[]){(char)('a' + g_rand_int_range(r, 0, 26)), 0});
        PangoAttrList *al = base_attrs(g_rand_boolean(r) ? "Linux Libertine O" : "DejaVu Sans", "en");
        GList *items = pango_itemize_with_base_dir(ts->ctx, g_rand_int_range(r, 0, 4) ? PANGO_DIRECTION_LTR
                                                                                       : PANGO_DIRECTION_RTL,
                                                   s->str, 0, (int)s->len, al, NULL);
        for (GList *l = items; l; l = l->next) {
            PangoGlyphItem gi = {l->data, pango_glyph_string_new(), 0, 0, 0};
            pango_shape_item(gi.item, s->str, (int)s->len, NULL, gi.glyphs, PANGO_SHAPE_NONE);
            int *want = g_new0(int, gi.item->num_chars + 1), *got = g_new0(int, gi.item->num_chars + 1);
            pango_glyph_item_get_logical_widths(&gi, s->str, want);
            pr_run_logical_widths(&gi, s->str, got);
            bool same = memcmp(want, got, (size_t)gi.item->num_chars * sizeof *want) == 0;
            CHECK(same);
            if (!same && bad++ < 3)
                fprintf(stderr, "  widths differ in \"%s\"\n", s->str);
            g_free(want);
            g_free(got);
            pango_glyph_string_free(gi.glyphs);
        }
        g_list_free_full(items, (GDestroyNotify)pango_item_free);
        pango_attr_list_unref(al);
    }
    g_string_free(s, TRUE);
    g_rand_free(r);
}

int main(void)
{
    struct pr_typeset ts;
    memset(&ts, 0, sizeof ts);
    ts.ctx = context();
    picked(&ts);
    long picked_short = pr_itemcache_shortened(ts.items);
    random_text(&ts);
    widths(&ts);
    long random_short = pr_itemcache_shortened(ts.items) - picked_short;
    /* (the way under test was taken, often) */
    printf("shortened: %ld picked, %ld random\n", picked_short, random_short);
    CHECK(picked_short >= 40);
    CHECK(random_short >= 5000);
    pr_itemcache_free(ts.items);
    g_object_unref(ts.ctx);
    return DONE();
}

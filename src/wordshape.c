/* wordshape.c - typesetting: a typesetting thread's shaped words. Shaping
 * is most of the cost of setting a paragraph, and a magazine's words
 * repeat: as browsers do, a run of text in a font is shaped word by word
 * (cut at its spaces), each word once per font, and the glyphs of a word
 * seen before are copied. That gives the run's glyphs exactly when the
 * font has no lookup (kerning, ligature, contextual form) that reads a
 * space glyph, so a font with one (or with tables HarfBuzz reads besides
 * GSUB and GPOS) has its runs shaped whole. Each thread has its own cache
 * (struct pr_typeset.words), so it needs no lock. Called by paralayout.c;
 * owns a reference to each font it keeps words of. */
#include "para_int.h"
#include <hb-ot.h>
#include <string.h>

/* The cache keeps two generations of words: new words go into the young
 * one, a word found in the old one moves back into it, and when the young
 * one has this many words it becomes the old one (the old one is
 * dropped). So a word used since the last change of generations stays,
 * and the cache holds twice this many words at most (a word with its
 * glyphs takes about 200 bytes). Copyfit sets articles at many sizes, each
 * size a font of its own: a 256-article issue shapes some 135000
 * distinct words in one thread, most of them a few times only. Measured
 * (--format pdf): 32768 words saved 10.4 % of the 16-article issue's
 * instructions but grew the 256-article one's peak memory from 86-89 MB
 * to 106 MB (2.3 x the 16-article one's, where the speed issue asks for
 * at most 2 x); 4096 saves about 9 % for 92 MB (2.0 x); 2048 7.9 %. */
#define GENERATION 4096

/* A word in a font: the analysis fields and flags that shaping reads, then
 * the word's bytes. */
struct key {
    PangoFont *font;
    PangoLanguage *lang;
    const char *features; /* the run's font features (interned); NULL: none */
    int script, gravity, flags, shape_flags, at_start, len;
};

/* A word and its glyphs, in one block: its k.len bytes, then (from
 * GLYPHS_AT) its glyphs, then their clusters. */
struct word {
    guint hash;
    int nglyphs;
    struct key k;
    char text[];
};
#define GLYPHS_AT(len) (((size_t)(len) + 7) & ~(size_t)7)

static PangoGlyphInfo *word_glyphs_of(const struct word *w)
{
    return (PangoGlyphInfo *)(w->text + GLYPHS_AT(w->k.len));
}

static int *word_clusters(const struct word *w)
{
    return (int *)(word_glyphs_of(w) + w->nglyphs);
}

struct pr_wordcache {
    GHashTable *words; /* the young generation: struct word * (a key of its own) */
    GHashTable *old;   /* the old one */
    GHashTable *fonts; /* PangoFont * (a reference) -> 1: words cached, 2: shaped whole */
    struct word *probe;
    size_t probe_cap;
    PangoGlyphString *shaped; /* a new word's glyphs, before they are kept */
};

static guint word_hash(gconstpointer p)
{
    return ((const struct word *)p)->hash;
}

static gboolean word_equal(gconstpointer a, gconstpointer b)
{
    const struct word *x = a, *y = b;
    return x->hash == y->hash && memcmp(&x->k, &y->k, sizeof x->k) == 0 && memcmp(x->text, y->text, (size_t)x->k.len) == 0;
}


struct pr_wordcache *pr_wordcache_new(void)
{
    struct pr_wordcache *wc = pr_xmalloc(sizeof *wc);
    wc->words = g_hash_table_new_full(word_hash, word_equal, free, NULL);
    wc->old = g_hash_table_new_full(word_hash, word_equal, free, NULL);
    wc->shaped = pango_glyph_string_new();
    wc->fonts = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref, NULL);
    wc->probe = NULL;
    wc->probe_cap = 0;
    return wc;
}

void pr_wordcache_free(struct pr_wordcache *wc)
{
    if (!wc)
        return;
    g_hash_table_destroy(wc->words);
    g_hash_table_destroy(wc->old);
    g_hash_table_destroy(wc->fonts);
    free(wc->probe);
    pango_glyph_string_free(wc->shaped);
    free(wc);
}

/* Does any GSUB or GPOS lookup of the face read glyph g (as input, or as
 * context before or after)? As Firefox asks of a font before it shapes
 * words on their own (gfxFont::CheckForFeaturesInvolvingSpace). */
static bool lookups_read(hb_face_t *face, hb_codepoint_t g)
{
    static const hb_tag_t tables[] = {HB_OT_TAG_GSUB, HB_OT_TAG_GPOS};
    bool found = false;
    for (int t = 0; t < 2 && !found; t++) {
        hb_set_t *lookups = hb_set_create();
        hb_ot_layout_collect_lookups(face, tables[t], NULL, NULL, NULL, lookups);
        hb_codepoint_t idx = HB_SET_VALUE_INVALID;
        while (!found && hb_set_next(lookups, &idx)) {
            hb_set_t *s[4];
            for (int i = 0; i < 4; i++)
                s[i] = hb_set_create();
            hb_ot_layout_lookup_collect_glyphs(face, tables[t], idx, s[0], s[1], s[2], s[3]);
            for (int i = 0; i < 3; i++)
                found = found || hb_set_has(s[i], g);
            for (int i = 0; i < 4; i++)
                hb_set_destroy(s[i]);
        }
        hb_set_destroy(lookups);
    }
    return found;
}

/* May runs in this font be shaped word by word? Not when its space glyph
 * takes part in a lookup, it has none, or it has tables HarfBuzz shapes
 * or kerns with besides GSUB and GPOS (AAT, a 'kern' table). */
static bool font_wordwise(struct pr_wordcache *wc, PangoFont *font)
{
    gpointer v = g_hash_table_lookup(wc->fonts, font);
    if (v)
        return GPOINTER_TO_INT(v) == 1;
    hb_font_t *hf = pango_font_get_hb_font(font);
    bool ok = hf != NULL;
    if (ok) {
        hb_face_t *face = hb_font_get_face(hf);
        static const hb_tag_t other[] = {HB_TAG('m', 'o', 'r', 'x'), HB_TAG('m', 'o', 'r', 't'),
                                         HB_TAG('k', 'e', 'r', 'x'), HB_TAG('k', 'e', 'r', 'n'),
                                         HB_TAG('t', 'r', 'a', 'k')};
        for (size_t i = 0; ok && i < sizeof other / sizeof other[0]; i++) {
            hb_blob_t *b = hb_face_reference_table(face, other[i]);
            ok = hb_blob_get_length(b) == 0;
            hb_blob_destroy(b);
        }
        hb_codepoint_t space;
        ok = ok && hb_font_get_nominal_glyph(hf, ' ', &space) && !lookups_read(face, space);
    }
    g_hash_table_insert(wc->fonts, g_object_ref(font), GINT_TO_POINTER(ok ? 1 : 2));
    return ok;
}

/* The key fields of an item's words; false when the item's attributes
 * are not all ones whose effect on shaping the key holds: rises (which
 * move the run after shaping) and font features over the whole text. */
static bool item_key(const PangoItem *item, int text_len, PangoShapeFlags flags, struct key *k)
{
    memset(k, 0, sizeof *k);
    for (GSList *l = item->analysis.extra_attrs; l; l = l->next) {
        const PangoAttribute *a = l->data;
        if (a->klass->type == PANGO_ATTR_RISE)
            continue;
        if (a->klass->type != PANGO_ATTR_FONT_FEATURES || k->features || a->start_index > 0 ||
            a->end_index < (guint)text_len)
            return false;
        k->features = g_intern_string(((const PangoAttrFontFeatures *)a)->features);
    }
    k->font = item->analysis.font;
    k->lang = item->analysis.language;
    k->script = item->analysis.script;
    k->gravity = item->analysis.gravity;
    k->flags = item->analysis.flags;
    k->shape_flags = (int)flags;
    return k->font != NULL && !(item->analysis.level & 1);
}

/* Put word w into the young generation, which becomes the old one when
 * it is full. */
static void young(struct pr_wordcache *wc, struct word *w)
{
    if (g_hash_table_size(wc->words) >= GENERATION) {
        GHashTable *t = wc->old;
        g_hash_table_remove_all(t);
        wc->old = wc->words;
        wc->words = t;
    }
    g_hash_table_add(wc->words, w);
}

/* The word text [s, e) of item with its glyphs: from the cache, or shaped
 * (with the paragraph around it as context, as Pango shapes a run) and
 * kept. NULL when shaping gives no glyphs. */
static const struct word *word_glyphs(struct pr_wordcache *wc, const struct key *k, const PangoItem *item,
                                           const char *text, int len, int s, int e, PangoLogAttr *la)
{
    size_t need = sizeof(struct word) + (size_t)(e - s);
    if (need > wc->probe_cap) {
        wc->probe_cap = need * 2;
        wc->probe = pr_xrealloc(wc->probe, wc->probe_cap);
    }
    struct word *w = wc->probe;
    w->k = *k;
    w->k.len = e - s;
    w->k.at_start = s == 0; /* (HarfBuzz may put a dotted circle before a mark there) */
    memcpy(w->text, text + s, (size_t)(e - s));
    guint h = 5381;
    for (const unsigned char *p = (const unsigned char *)&w->k; p < (const unsigned char *)(&w->k + 1); p++)
        h = h * 33 + *p;
    for (int i = 0; i < e - s; i++)
        h = h * 33 + (unsigned char)w->text[i];
    w->hash = h;
    struct word *found = g_hash_table_lookup(wc->words, w);
    if (found)
        return found;
    if (g_hash_table_steal_extended(wc->old, w, (gpointer *)&found, NULL)) {
        young(wc, found);
        return found;
    }
    PangoItem sub = *item;
    sub.offset = s;
    sub.length = e - s;
    sub.num_chars = (int)g_utf8_strlen(text + s, e - s);
    PangoGlyphString *g = wc->shaped;
    pango_shape_item(&sub, text, len, la, g, (PangoShapeFlags)k->shape_flags);
    if (g->num_glyphs == 0)
        return NULL;
    size_t n = (size_t)g->num_glyphs;
    struct word *nw = pr_xmalloc(sizeof *nw + GLYPHS_AT(e - s) + n * (sizeof *g->glyphs + sizeof *g->log_clusters));
    memcpy(nw, w, need);
    nw->nglyphs = g->num_glyphs;
    memcpy(word_glyphs_of(nw), g->glyphs, n * sizeof *g->glyphs);
    memcpy(word_clusters(nw), g->log_clusters, n * sizeof *g->log_clusters);
    young(wc, nw);
    return nw;
}

/* Append word w's glyphs, its clusters counted from byte `at` of the
 * run. (The glyph string grows only when it has no room:
 * pango_glyph_string_set_size reallocates on every call, which a
 * sanitizer's allocator does by copying, and a 1 MB paragraph is one run
 * of some 170,000 words.) */
static void append_glyphs(PangoGlyphString *out, const struct word *w, int at)
{
    int n = out->num_glyphs;
    if (n + w->nglyphs > out->space)
        pango_glyph_string_set_size(out, n + w->nglyphs); /* (doubles its room) */
    out->num_glyphs = n + w->nglyphs;
    memcpy(out->glyphs + n, word_glyphs_of(w), (size_t)w->nglyphs * sizeof *out->glyphs);
    const int *c = word_clusters(w);
    for (int i = 0; i < w->nglyphs; i++)
        out->log_clusters[n + i] = c[i] + at;
}

void pr_wordcache_shape(struct pr_wordcache *wc, PangoItem *item, const char *text, int len, PangoLogAttr *la,
                    PangoGlyphString *out, PangoShapeFlags flags)
{
    struct key k;
    if (!item_key(item, len, flags, &k) || !font_wordwise(wc, k.font)) {
        pango_shape_item(item, text, len, la, out, flags);
        return;
    }
    pango_glyph_string_set_size(out, 0);
    int s = item->offset, end = item->offset + item->length, chars = 0;
    while (s < end) {
        int e = s;
        if (text[s] == ' ')
            while (e < end && text[e] == ' ')
                e++;
        else
            while (e < end && text[e] != ' ')
                e++;
        const struct word *g = word_glyphs(wc, &k, item, text, len, s, e, la + chars);
        if (!g) { /* (Pango's fallback shaping is for the whole run) */
            pango_shape_item(item, text, len, la, out, flags);
            return;
        }
        append_glyphs(out, g, s - item->offset);
        chars += text[s] == ' ' ? e - s : (int)g_utf8_strlen(text + s, e - s);
        s = e;
    }
}

/* wordshape.c - typesetting: a typesetting thread's shaped words. Shaping
 * is most of the cost of setting a paragraph, and a magazine's words
 * repeat: as browsers do, a run of text in a font is shaped word by word
 * (cut at its spaces), each word once per font, and the glyphs of a word
 * seen before are copied; a run's new words are shaped together, in one
 * call (shape_together). That gives the run's glyphs exactly when the
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
 * glyphs takes about 150 bytes, its key shared with the run's other
 * words). Both generations are in one table, each word stamped with its
 * generation: a word found moves by a new stamp. Copyfit sets articles
 * at many sizes, each size a font of its own: a 256-article issue shapes
 * some 135000 distinct words in one thread, most of them a few times
 * only. Measured (callgrind, the 64-article bench issue, --format pdf):
 * 4096 words 5701 M instructions, 8192 5572 M, 16384 5484 M; peak memory
 * of the 256-article issue 74 -> 77 -> 83 MB, 1.74 x the 16-article
 * one's (the speed issue asks for at most 2 x). */
#define GENERATION 16384
/* A run is shaped in chunks of at most this many words, and of at most
 * this many new ones. A chunk looks its words up, then appends them: it
 * puts at most two words a word into the young generation (a word moved
 * from the old one, a new one), fewer than the generation holds, so the
 * generations change at most once in a chunk and no word it found is
 * dropped before it is appended. */
#define CHUNK_WORDS 1024
#define CHUNK_NEW 256

/* What a run's words are shaped in: the analysis fields and flags that
 * shaping reads (one copy of each, in struct pr_wordcache.keys). */
struct key {
    PangoFont *font;
    PangoLanguage *lang;
    const char *features; /* the run's font features (interned); NULL: none */
    int script, gravity, flags, shape_flags;
    guint seed; /* the hash of the fields above */
};

/* A word and its glyphs, in one block: its len bytes, then (from
 * GLYPHS_AT) its glyphs, then their clusters. */
struct word {
    guint hash;
    unsigned gen; /* the generation it was last used in */
    const struct key *k;
    int nglyphs, len;
    bool at_start; /* at the text's start (HarfBuzz may put a dotted circle before a mark there) */
    _Alignas(8) char text[]; /* (its glyphs follow at GLYPHS_AT, 8-aligned) */
};
#define GLYPHS_AT(len) (((size_t)(len) + 7) & ~(size_t)7)

static PangoGlyphInfo *word_glyphs_of(const struct word *w)
{
    return (PangoGlyphInfo *)(w->text + GLYPHS_AT(w->len));
}

static int *word_clusters(const struct word *w)
{
    return (int *)(word_glyphs_of(w) + w->nglyphs);
}

struct pr_wordcache {
    GHashTable *words; /* both generations: struct word * (a key of its own) */
    unsigned gen;      /* the young generation's stamp (the old one's is gen - 1) */
    int nyoung;        /* words stamped gen */
    GHashTable *fonts; /* PangoFont * (a reference) -> 1: words cached, 2: shaped whole */
    GHashTable *keys;  /* struct key * (owned), one of each */
    struct word *probe;
    size_t probe_cap;
    PangoGlyphString *shaped; /* a new word's glyphs, before they are kept */
    struct span *spans;       /* the words of a run being shaped (CHUNK_WORDS at most) */
    GString *together;        /* new words shaped together: " w1 w2 ... " */
};

/* A word of the run being shaped: its bytes [s, e) and its glyphs (NULL:
 * not known yet), and for a new word shaped with others, where it is
 * in their text (counted from the first word's start). */
struct span {
    int s, e, at;
    bool together;
    const struct word *w;
};

static guint word_hash(gconstpointer p)
{
    return ((const struct word *)p)->hash;
}

static guint key_hash(gconstpointer p)
{
    return ((const struct key *)p)->seed;
}

/* (field by field: a copy of a key need not copy its padding) */
static gboolean key_equal(gconstpointer a, gconstpointer b)
{
    const struct key *x = a, *y = b;
    return x->seed == y->seed && x->font == y->font && x->lang == y->lang && x->features == y->features &&
           x->script == y->script && x->gravity == y->gravity && x->flags == y->flags &&
           x->shape_flags == y->shape_flags;
}

static gboolean word_equal(gconstpointer a, gconstpointer b)
{
    const struct word *x = a, *y = b;
    return x->hash == y->hash && x->k == y->k && x->len == y->len && x->at_start == y->at_start &&
           memcmp(x->text, y->text, (size_t)x->len) == 0;
}


struct pr_wordcache *pr_wordcache_new(void)
{
    struct pr_wordcache *wc = pr_xmalloc(sizeof *wc);
    wc->words = g_hash_table_new_full(word_hash, word_equal, free, NULL);
    wc->gen = 1;
    wc->nyoung = 0;
    wc->shaped = pango_glyph_string_new();
    wc->fonts = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref, NULL);
    wc->keys = g_hash_table_new_full(key_hash, key_equal, free, NULL);
    wc->probe = NULL;
    wc->probe_cap = 0;
    wc->spans = pr_xmalloc(CHUNK_WORDS * sizeof *wc->spans);
    wc->together = g_string_new(NULL);
    return wc;
}

void pr_wordcache_free(struct pr_wordcache *wc)
{
    if (!wc)
        return;
    g_hash_table_destroy(wc->words);
    g_hash_table_destroy(wc->keys);
    g_hash_table_destroy(wc->fonts);
    free(wc->probe);
    free(wc->spans);
    g_string_free(wc->together, TRUE);
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
    guint h = 5381;
    for (const unsigned char *p = (const unsigned char *)k; p < (const unsigned char *)(k + 1); p++)
        h = h * 33 + *p;
    k->seed = h;
    return k->font != NULL && !(item->analysis.level & 1);
}

static gboolean is_old(gpointer key, gpointer value, gpointer data)
{
    (void)value;
    return ((const struct word *)key)->gen != *(const unsigned *)data;
}

/* Stamp word w (in the table) young; when the young generation is full
 * it becomes the old one (the old one dropped). */
static void young(struct pr_wordcache *wc, struct word *w)
{
    if (w->gen == wc->gen)
        return;
    w->gen = wc->gen;
    if (++wc->nyoung >= GENERATION) {
        g_hash_table_foreach_remove(wc->words, is_old, &wc->gen);
        wc->gen++;
        wc->nyoung = 0;
    }
}

/* The cache's probe made the word text [s, e) in the run's key k. */
static struct word *probe(struct pr_wordcache *wc, const struct key *k, const char *text, int s, int e)
{
    size_t need = sizeof(struct word) + (size_t)(e - s);
    if (need > wc->probe_cap) {
        wc->probe_cap = need * 2;
        wc->probe = pr_xrealloc(wc->probe, wc->probe_cap);
    }
    struct word *w = wc->probe;
    w->k = k;
    w->len = e - s;
    w->at_start = s == 0;
    w->gen = 0;
    memcpy(w->text, text + s, (size_t)(e - s));
    guint h = (k->seed * 33 + (guint)w->len) * 33 + (guint)w->at_start;
    for (int i = 0; i < e - s; i++)
        h = h * 33 + (unsigned char)w->text[i];
    w->hash = h;
    return w;
}

/* The word in the probe, from the cache (moved into the young
 * generation); NULL when it is not there. */
static struct word *find(struct pr_wordcache *wc)
{
    struct word *w = wc->probe;
    struct word *found = g_hash_table_lookup(wc->words, w);
    if (found)
        young(wc, found);
    return found;
}

/* The word in the probe with glyphs [from, to) of g, their clusters
 * counted from `at`, kept (the word kept before when another of the same
 * text was). */
static const struct word *keep(struct pr_wordcache *wc, const PangoGlyphString *g, int from, int to, int at)
{
    const struct word *w = wc->probe;
    struct word *had = g_hash_table_lookup(wc->words, w);
    if (had) {
        young(wc, had);
        return had;
    }
    size_t n = (size_t)(to - from);
    struct word *nw = pr_xmalloc(sizeof *nw + GLYPHS_AT(w->len) + n * (sizeof *g->glyphs + sizeof *g->log_clusters));
    memcpy(nw, w, sizeof *w + (size_t)w->len);
    nw->nglyphs = (int)n;
    memcpy(word_glyphs_of(nw), g->glyphs + from, n * sizeof *g->glyphs);
    int *c = word_clusters(nw);
    for (size_t i = 0; i < n; i++)
        c[i] = g->log_clusters[from + (int)i] - at;
    nw->gen = wc->gen - 1; /* (not young yet) */
    g_hash_table_add(wc->words, nw);
    young(wc, nw);
    return nw;
}

/* The word text [s, e) of item with its glyphs: from the cache, or shaped
 * on its own (with the paragraph around it as context, as Pango shapes a
 * run) and kept. NULL when shaping gives no glyphs. */
static const struct word *word_glyphs(struct pr_wordcache *wc, const struct key *k, const PangoItem *item,
                                      const char *text, int len, int s, int e, PangoLogAttr *la)
{
    probe(wc, k, text, s, e);
    struct word *found = find(wc);
    if (found)
        return found;
    PangoItem sub = *item;
    sub.offset = s;
    sub.length = e - s;
    sub.num_chars = pr_utf8_chars(text + s, e - s);
    PangoGlyphString *g = wc->shaped;
    pango_shape_item(&sub, text, len, la, g, (PangoShapeFlags)k->shape_flags);
    if (g->num_glyphs == 0)
        return NULL;
    return keep(wc, g, 0, g->num_glyphs, 0);
}

/* The new words of the chunk marked `together` shaped in one call, as
 * the text " w1 w2 ... wn " (a run of that text, a space around it as
 * context), and kept: each has a space on either side in the paragraph
 * too, and the font's lookups read no space (font_wordwise), so its
 * glyphs are the ones it gets on its own. HarfBuzz's and Pango's cost
 * of a call (a sub-font, a buffer, the plan's lookups run over it) was
 * most of shaping a new word: the 64-article bench shapes 69000 words
 * in 4000 paragraphs. A word given no glyphs is left for word_glyphs. */
static void shape_together(struct pr_wordcache *wc, const struct key *k, const PangoItem *item, const char *text,
                           struct span *sp, int n)
{
    GString *t = wc->together;
    g_string_assign(t, " ");
    for (int i = 0; i < n; i++)
        if (sp[i].together) {
            sp[i].at = (int)t->len - 1;
            g_string_append_len(t, text + sp[i].s, sp[i].e - sp[i].s);
            g_string_append_c(t, ' ');
        }
    PangoItem sub = *item;
    sub.offset = 1;
    sub.length = (int)t->len - 2;
    sub.num_chars = pr_utf8_chars(t->str + 1, sub.length);
    /* the run's features over the whole text, as they were (item_key) */
    PangoAttribute *features = NULL;
    GSList one = {NULL, NULL};
    sub.analysis.extra_attrs = NULL;
    if (k->features) {
        features = pango_attr_font_features_new(k->features);
        features->start_index = 0;
        features->end_index = (guint)t->len;
        one.data = features;
        sub.analysis.extra_attrs = &one;
    }
    PangoGlyphString *g = wc->shaped;
    pango_shape_item(&sub, t->str, (int)t->len, NULL, g, (PangoShapeFlags)k->shape_flags);
    if (features)
        pango_attribute_destroy(features);
    int gi = 0;
    for (int i = 0; i < n; i++) {
        if (!sp[i].together)
            continue;
        int at = sp[i].at, to = at + sp[i].e - sp[i].s;
        while (gi < g->num_glyphs && g->log_clusters[gi] < at)
            gi++;
        int first = gi;
        while (gi < g->num_glyphs && g->log_clusters[gi] < to)
            gi++;
        if (gi > first) {
            probe(wc, k, text, sp[i].s, sp[i].e);
            sp[i].w = keep(wc, g, first, gi, at);
        }
    }
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

/* The end of the word or the run of spaces at s (the run ends at end). */
static int word_end(const char *text, int s, int end)
{
    int e = s;
    if (text[s] == ' ')
        while (e < end && text[e] == ' ')
            e++;
    else
        while (e < end && text[e] != ' ')
            e++;
    return e;
}

void pr_wordcache_shape(struct pr_wordcache *wc, PangoItem *item, const char *text, int len, PangoLogAttr *la,
                    PangoGlyphString *out, PangoShapeFlags flags)
{
    struct key kk;
    if (!item_key(item, len, flags, &kk) || !font_wordwise(wc, kk.font)) {
        pango_shape_item(item, text, len, la, out, flags);
        return;
    }
    /* (the font outlives the key: the cache holds a reference to it) */
    const struct key *k = g_hash_table_lookup(wc->keys, &kk);
    if (!k) {
        struct key *nk = pr_xmalloc(sizeof *nk);
        *nk = kk;
        g_hash_table_add(wc->keys, nk);
        k = nk;
    }
    pango_glyph_string_set_size(out, 0);
    /* (a hyphen Pango adds goes at a run's end: its words on their own) */
    bool together = !(item->analysis.flags & PANGO_ANALYSIS_FLAG_NEED_HYPHEN);
    int s = item->offset, end = item->offset + item->length, chars = 0;
    while (s < end) {
        /* a chunk of the run's words, those known from the cache, the
         * new ones with a space on either side shaped together (a chunk
         * adds fewer words than a generation holds, so the words found
         * stay while it is appended) */
        struct span *sp = wc->spans;
        int n = 0, fresh = 0;
        /* the word space found in this chunk: half its words are one,
         * the same each time (not at the text's start) */
        const struct word *space = NULL;
        for (; s < end && n < CHUNK_WORDS && fresh < CHUNK_NEW; s = sp[n++].e) {
            sp[n].s = s;
            sp[n].e = word_end(text, s, end);
            bool one_space = sp[n].e == s + 1 && text[s] == ' ' && s > 0;
            if (one_space && space) {
                sp[n].w = space;
                sp[n].together = false;
                continue;
            }
            probe(wc, k, text, s, sp[n].e);
            sp[n].w = find(wc);
            if (one_space)
                space = sp[n].w;
            sp[n].together = together && !sp[n].w && text[s] != ' ' && s > 0 && text[s - 1] == ' ' &&
                             sp[n].e < len && text[sp[n].e] == ' ';
            fresh += sp[n].together;
        }
        if (fresh > 1)
            shape_together(wc, k, item, text, sp, n);
        for (int i = 0; i < n; i++) {
            const struct word *g = sp[i].w;
            if (!g)
                g = word_glyphs(wc, k, item, text, len, sp[i].s, sp[i].e, la + chars);
            if (!g) { /* (Pango's fallback shaping is for the whole run) */
                pango_shape_item(item, text, len, la, out, flags);
                return;
            }
            append_glyphs(out, g, sp[i].s - item->offset);
            chars += pr_utf8_chars(text + sp[i].s, sp[i].e - sp[i].s);
        }
    }
}

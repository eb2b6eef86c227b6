/* paraitems.c - a paragraph's items as pango_itemize_with_base_dir()
 * gives them, reading a tenth of the characters: Pango's itemizer spends
 * some 60 ns on every character (its bidi levels, script, emoji and font
 * for each), and most of a paragraph's characters are letters inside a
 * word, or a word space between two of them, whose item is the one of
 * the letter before them.
 *
 * Why dropping them is exact (Pango 1.50's itemize.c, read run by run):
 * an item ends where a run ends (a change of bidi level, of the
 * attributes that itemize, of script, of emoji or not, of upright or not)
 * or where the font chosen for a character changes; and a second ASCII
 * letter after a first, in the same attributes, changes none of these -
 * both are strong left-to-right characters (no resolved level around
 * them moves when one of two is left out), both are Latin, neither is an
 * emoji or upright, and the font of each is the first font of the
 * fontset that has it. That last is the one thing the text does not
 * tell: so for each distinct font description and language the
 * attributes give, the 52 ASCII letters are itemized once (per thread),
 * and the letters are dropped only where they came out as one item, all
 * in one font (which then is the first one for every letter). A word
 * space (U+0020) between two such letters is left out with them: it is
 * a neutral between two strong left-to-right characters (its level is
 * theirs), of the common script (its run is theirs), no emoji, and a
 * space takes the font of the item it is in, which no font change ends
 * there. The text is cut at every change of attributes, so each dropped
 * character has the attributes of the kept one before it. Where the
 * attributes hold something that reads the letters themselves (variants,
 * font scales, text transforms) or chooses fonts otherwise (fallback off,
 * gravity), Pango reads the whole text.
 *
 * The items Pango makes of the shorter text are then moved onto the
 * whole one: their offsets, lengths and character counts, and the
 * indices of the attributes they hold. (Pango's private character offset
 * of an item, read only by its layout and its variant splitting, neither
 * of which sees these items, is the shorter text's.)
 * tests/unit/test_paraitems.c compares every item with Pango's on
 * hand-picked and random text in several fonts and languages. Called by
 * paralayout.c. */
#include "para_int.h"
#include <stdlib.h>
#include <string.h>

/* A thread's answers: font description and language -> do the 52 ASCII
 * letters come out as one item (1) or not (2). */
struct pr_itemcache {
    GHashTable *one; /* struct face * (owned) -> GINT_TO_POINTER(1 or 2) */
    long shortened;  /* texts itemized shortened */
};

struct face {
    PangoFontDescription *desc;
    PangoLanguage *lang;
};

static guint face_hash(gconstpointer p)
{
    const struct face *f = p;
    return pango_font_description_hash(f->desc) ^ g_direct_hash(f->lang);
}

static gboolean face_equal(gconstpointer a, gconstpointer b)
{
    const struct face *x = a, *y = b;
    return x->lang == y->lang && pango_font_description_equal(x->desc, y->desc);
}

static void face_free(gpointer p)
{
    struct face *f = p;
    pango_font_description_free(f->desc);
    g_free(f);
}

void pr_itemcache_free(struct pr_itemcache *ic)
{
    if (!ic)
        return;
    g_hash_table_destroy(ic->one);
    g_free(ic);
}

long pr_itemcache_shortened(const struct pr_itemcache *ic)
{
    return ic ? ic->shortened : 0;
}

static const char LETTERS[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/* Do the ASCII letters, in desc (the attributes' font, merged as the
 * itemizer merges it) and lang (NULL: the context's), come out as one
 * item in one font? */
static bool one_font(struct pr_typeset *ts, const PangoFontDescription *desc, PangoLanguage *lang)
{
    if (!ts->items) {
        ts->items = g_new0(struct pr_itemcache, 1);
        ts->items->one = g_hash_table_new_full(face_hash, face_equal, face_free, NULL);
    }
    struct face probe = {(PangoFontDescription *)desc, lang};
    int known = GPOINTER_TO_INT(g_hash_table_lookup(ts->items->one, &probe));
    if (known)
        return known == 1;
    PangoAttrList *al = pango_attr_list_new();
    pango_attr_list_insert(al, pango_attr_font_desc_new(desc));
    if (lang)
        pango_attr_list_insert(al, pango_attr_language_new(lang));
    int n = (int)strlen(LETTERS);
    GList *items = pango_itemize_with_base_dir(ts->ctx, PANGO_DIRECTION_LTR, LETTERS, 0, n, al, NULL);
    const PangoItem *it = items ? items->data : NULL;
    bool one = items && !items->next && it->num_chars == n && it->length == n && it->analysis.font;
    g_list_free_full(items, (GDestroyNotify)pango_item_free);
    pango_attr_list_unref(al);
    struct face *f = g_new(struct face, 1);
    f->desc = pango_font_description_copy(desc);
    f->lang = lang;
    g_hash_table_insert(ts->items->one, f, GINT_TO_POINTER(one ? 1 : 2));
    return one;
}

/* May letters be dropped under these attributes (all: copies of the
 * list's) at all? Not when one of them reads the letters themselves or
 * chooses fonts another way. */
static bool droppable_attrs(GSList *all)
{
    bool ok = true;
    for (GSList *l = all; l && ok; l = l->next) {
        const PangoAttribute *a = l->data;
        switch ((int)a->klass->type) {
        case PANGO_ATTR_LANGUAGE: case PANGO_ATTR_FAMILY: case PANGO_ATTR_STYLE: case PANGO_ATTR_WEIGHT:
        case PANGO_ATTR_STRETCH: case PANGO_ATTR_SIZE: case PANGO_ATTR_FONT_DESC: case PANGO_ATTR_SCALE:
        case PANGO_ATTR_ABSOLUTE_SIZE: case PANGO_ATTR_RISE: case PANGO_ATTR_LETTER_SPACING:
        case PANGO_ATTR_BASELINE_SHIFT: case PANGO_ATTR_LINE_HEIGHT: case PANGO_ATTR_ABSOLUTE_LINE_HEIGHT:
            break;
        default:
            ok = false;
        }
    }
    return ok;
}

static bool ascii_letter(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* The text kept: kept character k starts at byte kb[k] of it and at byte
 * fb[k] (character fc[k]) of the whole; index nk is the end of both. */
struct kept {
    char *s;
    int len, nk;
    int *kb, *fb, *fc;
};

static void kept_free(struct kept *k)
{
    free(k->s);
    free(k->kb);
    free(k->fb);
    free(k->fc);
}

/* The first of a[0, n) (ascending) at or past b: the kept index of kept
 * byte b (a = kb) or of whole byte b (a = fb), a character's start. */
static int index_of(const int *a, int n, int b)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (a[mid] < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* An attribute's index moved between the texts (the text's end stays). */
static guint to_kept(const struct kept *k, guint i, int len)
{
    return i >= (guint)len ? (i == (guint)len ? (guint)k->len : i) : (guint)k->kb[index_of(k->fb, k->nk, (int)i)];
}

static guint to_full(const struct kept *k, guint i, int len)
{
    return i >= (guint)k->len ? (i == (guint)k->len ? (guint)len : i) : (guint)k->fb[index_of(k->kb, k->nk, (int)i)];
}

/* Keep text but the second and later letters of each run of ASCII
 * letters (and the single word spaces between such letters) inside a
 * stretch of attributes whose letters are one font;
 * false (nothing kept) when that would drop nothing worth the copy. */
static bool keep(struct pr_typeset *ts, const char *text, int len, PangoAttrList *attrs, struct kept *k)
{
    memset(k, 0, sizeof *k);
    k->s = pr_xmalloc((size_t)len + 1);
    k->kb = pr_xmalloc(((size_t)len + 1) * sizeof *k->kb);
    k->fb = pr_xmalloc(((size_t)len + 1) * sizeof *k->fb);
    k->fc = pr_xmalloc(((size_t)len + 1) * sizeof *k->fc);
    PangoAttrIterator *it = pango_attr_list_get_iterator(attrs);
    const PangoFontDescription *base = pango_context_get_font_description(ts->ctx);
    int i = 0, ci = 0;
    do {
        int s, e;
        pango_attr_iterator_range(it, &s, &e);
        if (s >= len)
            break;
        if (i != s) /* (an attribute from inside a character) */
            break;
        if (e > len)
            e = len;
        PangoFontDescription *desc = pango_font_description_copy_static(base);
        PangoLanguage *lang = NULL;
        pango_attr_iterator_get_font(it, desc, &lang, NULL);
        bool drop = one_font(ts, desc, lang);
        pango_font_description_free(desc);
        for (bool run = false; i < e; ci++) {
            unsigned char c = (unsigned char)text[i];
            bool letter = c < 0x80 && ascii_letter(c);
            /* a word space between two letters goes with them */
            bool between = c == ' ' && run && i + 1 < e && ascii_letter((unsigned char)text[i + 1]);
            if (drop && run && (letter || between)) {
                i++;
                continue; /* (run goes on) */
            }
            k->kb[k->nk] = k->len;
            k->fb[k->nk] = i;
            k->fc[k->nk++] = ci;
            int n = c < 0x80 ? 1 : g_utf8_skip[c]; /* (as Pango steps) */
            for (int end = i + n < len ? i + n : len; i < end; i++)
                k->s[k->len++] = text[i];
            run = letter;
        }
    } while (pango_attr_iterator_next(it));
    pango_attr_iterator_destroy(it);
    if (i != len || k->len * 4 > len * 3) { /* (see above, or little to gain) */
        kept_free(k);
        return false;
    }
    k->kb[k->nk] = k->len;
    k->fb[k->nk] = len;
    k->fc[k->nk] = ci;
    k->s[k->len] = '\0';
    return true;
}

/* The attributes (all: copies, taken) with their indices moved onto the
 * kept text. */
static PangoAttrList *moved(GSList *all, const struct kept *k, int len)
{
    PangoAttrList *out = pango_attr_list_new();
    for (GSList *l = all; l; l = l->next) {
        PangoAttribute *a = l->data;
        a->start_index = to_kept(k, a->start_index, len);
        a->end_index = to_kept(k, a->end_index, len);
        pango_attr_list_insert(out, a);
    }
    g_slist_free(all);
    return out;
}

GList *pr_itemize(struct pr_typeset *ts, PangoDirection dir, const char *text, int len, PangoAttrList *attrs)
{
    struct kept k;
    bool worth = len >= 32 && attrs;
    GSList *all = worth ? pango_attr_list_get_attributes(attrs) : NULL;
    if (!worth || !droppable_attrs(all) || !keep(ts, text, len, attrs, &k)) {
        g_slist_free_full(all, (GDestroyNotify)pango_attribute_destroy);
        return pango_itemize_with_base_dir(ts->ctx, dir, text, 0, len, attrs, NULL);
    }
    ts->items->shortened++;
    PangoAttrList *kattrs = moved(all, &k, len);
    GList *items = pango_itemize_with_base_dir(ts->ctx, dir, k.s, 0, k.len, kattrs, NULL);
    pango_attr_list_unref(kattrs);
    int kc = 0;
    for (GList *l = items; l; l = l->next) {
        PangoItem *item = l->data;
        int end = kc + item->num_chars;
        item->offset = k.fb[kc];
        item->length = k.fb[end] - k.fb[kc];
        item->num_chars = k.fc[end] - k.fc[kc];
        for (GSList *a = item->analysis.extra_attrs; a; a = a->next) {
            PangoAttribute *at = a->data;
            at->start_index = to_full(&k, at->start_index, len);
            at->end_index = to_full(&k, at->end_index, len);
        }
        kc = end;
    }
    kept_free(&k);
    return items;
}

/* hyph.c - typesetting, first step: wraps libhyphen. Reads hyph_*.dic files
 * from the dictionary folder and UTF-8 text from the paragraph breaker; writes
 * a copy of the text with U+00AD at every permitted break. Called by para.c
 * (and --dump) through hyph.h; the only file that includes <hyphen.h>. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "hyph.h"
#include "arena.h"
#include "kept.h"

#include <glib.h>
#include <hyphen.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_DIR "/usr/share/hyphen"
/* Longer "words" (chemical names, runs of letters in data) are left alone. */
#define MAX_WORD_CHARS 100
/* Each dictionary's word cache is emptied when it reaches this many words,
 * which bounds memory on huge inputs while keeping a whole issue's working
 * vocabulary (a magazine issue rarely has 20,000 distinct words). */
#define CACHE_MAX 65536
#define BAD_CHAR ((gunichar)-1)

/* One dictionary file, shared by every tag that resolves to it. */
struct dict {
    char *path;        /* canonical path (symlinks resolved), malloc'd */
    HyphenDict *hd;    /* NULL when libhyphen could not load the file */
    GIConv conv;       /* UTF-8 -> the dictionary's 8-bit charset, or (GIConv)-1 */
    GHashTable *cache; /* lowercased NFC word -> break flags (see lookup) */
};

struct pr_hyph {
    char *dir;
    bool listed;
    GPtrArray *files;  /* names of hyph_*.dic in dir, sorted case-insensitively */
    GHashTable *langs; /* folded tag -> struct dict * or NULL (none) */
    GHashTable *dicts; /* canonical path -> struct dict * (owned) */
    pthread_mutex_t lock; /* the typesetter's threads share one hyphenator */
    /* watch (the shared hyphenator): each paragraph's text hyphenated, by
     * the text with the language and options (struct para_key), kept
     * between builds (kept.h): an edit changes one paragraph, and
     * hyphenating the others again was 7 % of a rebuild's time
     * (64-article bench). */
    bool keep_paras;
};
static struct pr_kept paras = PR_KEPT_INIT(64u << 20);

struct opts {
    int lmin, rmin;
    bool caps;
    const struct pr_hyph_exc *exc;
};

/* Exceptions: the key of a word (see word_key) -> struct exc_word. */
struct pr_hyph_exc {
    GHashTable *words;
    guint64 sig; /* of the words added, in order: equal lists, equal signatures */
};

struct exc_word {
    int n;          /* characters (a letter with its marks, or an apostrophe) */
    char flags[];   /* flags[i]: a break is allowed after character i */
};

struct buf {
    char *p;
    size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->cap - b->n < n + 1) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap - b->n < n + 1)
            cap *= 2;
        b->p = pr_xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static char *copy_text(const char *text, size_t len, size_t *out_len)
{
    struct buf b = {0};
    put(&b, text ? text : "", text ? len : 0);
    if (out_len)
        *out_len = b.n;
    return b.p;
}

/* ---- characters ---- */

/* The character at s (n > 0 bytes left) and its length in *cl; an invalid
 * or truncated sequence is BAD_CHAR, one byte long. */
static gunichar next_char(const char *s, size_t n, size_t *cl)
{
    unsigned char b = (unsigned char)s[0];
    if (b < 0x80) {
        *cl = 1;
        return b;
    }
    gunichar c = g_utf8_get_char_validated(s, (gssize)(n < 8 ? n : 8));
    if (c == (gunichar)-1 || c == (gunichar)-2) {
        *cl = 1;
        return BAD_CHAR;
    }
    *cl = (size_t)g_utf8_skip[b];
    return c;
}

static bool is_apostrophe(gunichar c)
{
    return c == '\'' || c == 0x2019 || c == 0x02BC;
}

/* Each test answers ASCII itself: most text is ASCII and these run on every
 * character. */
static bool is_letter(gunichar c)
{
    if (c < 0x80)
        return g_ascii_isalpha((char)c);
    return c != BAD_CHAR && !is_apostrophe(c) && g_unichar_isalpha(c);
}

static bool is_mark(gunichar c)
{
    return c >= 0x300 && c != BAD_CHAR && g_unichar_ismark(c);
}

static bool is_number(gunichar c)
{
    if (c < 0x80)
        return g_ascii_isdigit((char)c);
    if (c == BAD_CHAR)
        return false;
    GUnicodeType t = g_unichar_type(c);
    return t == G_UNICODE_DECIMAL_NUMBER || t == G_UNICODE_LETTER_NUMBER ||
           t == G_UNICODE_OTHER_NUMBER;
}

/* Characters by which an author controls breaking: soft hyphen, zero-width
 * non-joiner and joiner, word joiner. A word holding one is left as is. */
static bool is_author_mark(gunichar c)
{
    return c == 0xAD || c == 0x200C || c == 0x200D || c == 0x2060;
}

static bool is_space(gunichar c)
{
    if (c < 0x80)
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    return c != BAD_CHAR && g_unichar_isspace(c);
}

static bool is_upper(gunichar c)
{
    return g_unichar_isupper(c) || g_unichar_istitle(c);
}

/* ---- dictionary lookup by language tag ---- */

static int fold_ch(int c)
{
    return c == '-' ? '_' : g_ascii_tolower((gchar)c);
}

/* Compare file names ignoring ASCII case and treating '-' as '_'. */
static int fold_cmp(const char *a, const char *b)
{
    while (*a && fold_ch((unsigned char)*a) == fold_ch((unsigned char)*b))
        a++, b++;
    return fold_ch((unsigned char)*a) - fold_ch((unsigned char)*b);
}

static bool fold_has_prefix(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (fold_ch((unsigned char)*s) != fold_ch((unsigned char)*prefix))
            return false;
    return true;
}

static gint file_order(gconstpointer a, gconstpointer b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int c = fold_cmp(x, y);
    return c ? c : strcmp(x, y);
}

static void list_dir(struct pr_hyph *h)
{
    h->listed = true;
    GDir *dir = g_dir_open(h->dir, 0, NULL);
    if (!dir)
        return;
    const char *name;
    while ((name = g_dir_read_name(dir))) {
        size_t n = strlen(name);
        if (n > 9 && fold_has_prefix(name, "hyph_") && fold_cmp(name + n - 4, ".dic") == 0)
            g_ptr_array_add(h->files, g_strdup(name));
    }
    g_dir_close(dir);
    g_ptr_array_sort(h->files, file_order);
}

static void dict_free(gpointer p)
{
    struct dict *d = p;
    if (d->hd)
        hnj_hyphen_free(d->hd);
    if (d->conv != (GIConv)-1)
        g_iconv_close(d->conv);
    g_hash_table_destroy(d->cache);
    free(d->path);
    g_free(d);
}

/* The dictionary at `name` in h->dir, loaded on first use; NULL if the file
 * cannot be resolved or loaded. */
static struct dict *open_dict(struct pr_hyph *h, const char *name)
{
    char *joined = g_build_filename(h->dir, name, NULL);
    char *real = realpath(joined, NULL);
    g_free(joined);
    if (!real)
        return NULL;
    struct dict *d = g_hash_table_lookup(h->dicts, real);
    if (d) {
        free(real);
        return d->hd ? d : NULL;
    }
    d = g_new0(struct dict, 1);
    d->path = real;
    d->conv = (GIConv)-1;
    d->cache = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    d->hd = pr_hyph_load_dict(real);
    if (d->hd && !d->hd->utf8) {
        char cset[MAX_NAME + 1];
        g_strlcpy(cset, d->hd->cset, sizeof cset);
        g_strstrip(cset);
        d->conv = g_iconv_open(cset[0] ? cset : "ISO-8859-1", "UTF-8");
    }
    g_hash_table_insert(h->dicts, d->path, d);
    return d->hd ? d : NULL;
}

static struct dict *open_candidate(struct pr_hyph *h, const char *want)
{
    for (guint i = 0; i < h->files->len; i++) {
        const char *name = g_ptr_array_index(h->files, i);
        if (fold_cmp(name, want) == 0)
            return open_dict(h, name);
    }
    return NULL;
}

/* CLDR's likely region for languages whose dictionaries come in several
 * regional variants; others fall back to hyph_ll_LL or the first match. */
static const char *likely_region(const char *lang)
{
    static const char *const tab[][2] = {
        {"en", "us"}, {"pt", "br"}, {"sv", "se"}, {"da", "dk"}, {"el", "gr"},
        {"cs", "cz"}, {"uk", "ua"}, {"nb", "no"}, {"nn", "no"}, {"sl", "si"},
        {"ca", "es"}, {"sr", "rs"}, {"af", "za"}, {"zu", "za"}, {"hi", "in"},
        {"bn", "in"},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(tab[i][0], lang) == 0)
            return tab[i][1];
    return NULL;
}

static bool all_alpha(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!g_ascii_isalpha(s[i]))
            return false;
    return true;
}

static bool all_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!g_ascii_isdigit(s[i]))
            return false;
    return true;
}

/* `tag` is folded (lowercase, '-' separated). Parses language, extlangs,
 * script and region (RFC 5646 section 2.1) and tries the names listed in
 * hyph.h in order. */
static struct dict *resolve(struct pr_hyph *h, const char *tag)
{
    char **sub = g_strsplit(tag, "-", -1);
    const char *lang = sub[0], *script = NULL, *region = NULL;
    struct dict *d = NULL;
    size_t ln = strlen(lang);
    if (ln < 2 || ln > 8 || !all_alpha(lang, ln))
        goto out;
    int i = 1;
    for (int k = 0; k < 3 && ln <= 3 && sub[i] && strlen(sub[i]) == 3 && all_alpha(sub[i], 3); k++)
        i++;
    if (sub[i] && strlen(sub[i]) == 4 && all_alpha(sub[i], 4))
        script = sub[i++];
    if (sub[i] && ((strlen(sub[i]) == 2 && all_alpha(sub[i], 2)) ||
                   (strlen(sub[i]) == 3 && all_digit(sub[i], 3))))
        region = sub[i++];

    if (!h->listed)
        list_dir(h);
    const char *likely = likely_region(lang);
    char *cand[6];
    int nc = 0;
    if (region && script)
        cand[nc++] = g_strdup_printf("hyph_%s_%s_%s.dic", lang, script, region);
    if (region)
        cand[nc++] = g_strdup_printf("hyph_%s_%s.dic", lang, region);
    if (script)
        cand[nc++] = g_strdup_printf("hyph_%s_%s.dic", lang, script);
    cand[nc++] = g_strdup_printf("hyph_%s.dic", lang);
    if (likely)
        cand[nc++] = g_strdup_printf("hyph_%s_%s.dic", lang, likely);
    cand[nc++] = g_strdup_printf("hyph_%s_%s.dic", lang, lang);
    for (int k = 0; k < nc; k++) {
        if (!d)
            d = open_candidate(h, cand[k]);
        g_free(cand[k]);
    }
    if (!d) {
        char *prefix = g_strdup_printf("hyph_%s_", lang);
        for (guint k = 0; !d && k < h->files->len; k++) {
            const char *name = g_ptr_array_index(h->files, k);
            if (fold_has_prefix(name, prefix))
                d = open_dict(h, name);
        }
        g_free(prefix);
    }
out:
    g_strfreev(sub);
    return d;
}

static struct dict *find_dict(struct pr_hyph *h, const char *lang)
{
    if (!h || !lang)
        return NULL;
    char tag[64];
    size_t n = 0;
    for (const char *p = lang; *p && *p != '.' && *p != '@'; p++) {
        if (n + 1 >= sizeof tag)
            return NULL;
        tag[n++] = (char)fold_ch((unsigned char)*p);
    }
    tag[n] = '\0';
    if (n == 0)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (tag[i] == '_')
            tag[i] = '-';
    gpointer val;
    if (g_hash_table_lookup_extended(h->langs, tag, NULL, &val))
        return val;
    struct dict *d = resolve(h, tag);
    g_hash_table_insert(h->langs, g_strdup(tag), d);
    return d;
}

/* ---- hyphenating words ---- */

/* Break flags for the lookup key (lowercased, NFC, UTF-8) of n characters:
 * flags[i] != 0 allows a break after character i. Computed by
 * libhyphen with only the dictionary's own minima (passing 0 makes
 * hnj_hyphen_hyphenate3 use the file's LEFT/RIGHTHYPHENMIN, or 2 when it sets
 * none) and cached; the caller applies its own. libhyphen reports positions
 * in characters for UTF-8 dictionaries (hnj_hyphen_norm) and in bytes, which
 * are characters, for 8-bit ones. A word the dictionary's charset cannot
 * hold gets no breaks. Nonstandard breaks (rep/pos/cut, e.g. German
 * "Schiffahrt" -> "Schiff=fahrt") are not used yet: their positions get no
 * break and the arrays are freed. */
static const char *lookup(struct dict *d, const char *key, size_t klen, int n)
{
    const char *flags = g_hash_table_lookup(d->cache, key);
    if (flags)
        return flags;
    char *entry = g_malloc(klen + 1 + (size_t)n);
    memcpy(entry, key, klen + 1);
    char *out = entry + klen + 1;
    memset(out, 0, (size_t)n);

    const char *word = key;
    char *converted = NULL;
    size_t wlen = klen;
    bool ok = true;
    if (!d->hd->utf8 && klen != (size_t)n) {
        /* Not plain ASCII: convert to the dictionary's 8-bit charset. */
        gsize written = 0;
        if (d->conv != (GIConv)-1)
            converted = g_convert_with_iconv(key, (gssize)klen, d->conv, NULL, &written, NULL);
        ok = converted && written == (gsize)n;
        word = converted;
        wlen = written;
    }
    if (ok) {
        char *hyphens = g_malloc(wlen + 5);
        char **rep = NULL;
        int *pos = NULL, *cut = NULL;
        if (hnj_hyphen_hyphenate3(d->hd, word, (int)wlen, hyphens, NULL, &rep, &pos, &cut,
                                  0, 0, 0, 0) == 0)
            for (int i = 0; i + 1 < n; i++)
                out[i] = (char)((hyphens[i] & 1) && !(rep && rep[i]));
        if (rep) {
            for (size_t i = 0; i < wlen; i++)
                free(rep[i]);
            free(rep);
        }
        free(pos);
        free(cut);
        g_free(hyphens);
    }
    g_free(converted);
    if (g_hash_table_size(d->cache) >= CACHE_MAX)
        g_hash_table_remove_all(d->cache);
    g_hash_table_insert(d->cache, entry, out);
    return out;
}

struct job {
    struct dict *d;
    struct opts o;
    const char *mark;
    size_t mark_len;
    struct buf out;
};

/* Appends the lowercase of c to key (cap bytes); false when full. */
static bool key_add(char *key, size_t *klen, size_t cap, gunichar c)
{
    if (*klen + 7 > cap)
        return false;
    if (c < 0x80)
        key[(*klen)++] = g_ascii_tolower((char)c);
    else
        *klen += (size_t)g_unichar_to_utf8(g_unichar_tolower(c), key + *klen);
    return true;
}

/* The characters of a word (each letter with its combining marks, or an
 * apostrophe; with `hyphens`, a '-' marks a break after the character
 * before it and is no character) and its lookup key: each character's NFC,
 * lowercased, apostrophes as '\''. Fills end[] (byte after each character
 * in s) and flags[] when not NULL; returns the number of characters, or -1
 * when the word is too long or holds something else (a digit, a space). */
static int word_key(const char *s, size_t n, bool hyphens, char *key, size_t cap, size_t *klen,
                    size_t *end, char *flags)
{
    size_t start[MAX_WORD_CHARS], stop[MAX_WORD_CHARS];
    char fl[MAX_WORD_CHARS];
    int nch = 0;
    for (size_t p = 0, cl; p < n; p += cl) {
        gunichar c = next_char(s + p, n - p, &cl);
        if (hyphens && c == '-') {
            /* only single hyphens between two characters */
            if (nch == 0 || fl[nch - 1] || p + cl == n)
                return -1;
            fl[nch - 1] = 1;
            continue;
        }
        if (is_mark(c) && nch > 0 && !is_apostrophe(g_utf8_get_char(s + start[nch - 1]))) {
            stop[nch - 1] = p + cl;
            continue;
        }
        if (nch == MAX_WORD_CHARS || !(is_letter(c) || is_apostrophe(c)))
            return -1;
        start[nch] = p;
        stop[nch] = p + cl;
        fl[nch] = 0;
        nch++;
    }
    *klen = 0;
    for (int i = 0; i < nch; i++) {
        size_t cl;
        gunichar c = next_char(s + start[i], stop[i] - start[i], &cl);
        if (is_apostrophe(c)) {
            if (!key_add(key, klen, cap, '\''))
                return -1;
        } else if (stop[i] - start[i] == cl) {
            if (!key_add(key, klen, cap, c))
                return -1;
        } else {
            char *nfc = g_utf8_normalize(s + start[i], (gssize)(stop[i] - start[i]), G_NORMALIZE_NFC);
            bool fits = nfc != NULL;
            for (const char *q = nfc; fits && *q; q = g_utf8_next_char(q))
                fits = key_add(key, klen, cap, g_utf8_get_char(q));
            g_free(nfc);
            if (!fits)
                return -1;
        }
        if (end)
            end[i] = stop[i];
        if (flags)
            flags[i] = fl[i];
    }
    key[*klen] = '\0';
    return nch;
}

struct pr_hyph_exc *pr_hyph_exc_new(void)
{
    struct pr_hyph_exc *x = g_new0(struct pr_hyph_exc, 1);
    x->words = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    return x;
}

void pr_hyph_exc_add(struct pr_hyph_exc *x, const char *word)
{
    char key[MAX_WORD_CHARS * 8], flags[MAX_WORD_CHARS];
    size_t klen;
    int n = word_key(word, strlen(word), true, key, sizeof key, &klen, NULL, flags);
    if (n <= 0)
        return;
    struct exc_word *e = g_malloc(sizeof *e + (size_t)n);
    e->n = n;
    memcpy(e->flags, flags, (size_t)n);
    for (size_t i = 0; i < klen; i++) /* (FNV-1a) */
        x->sig = (x->sig ^ (unsigned char)key[i]) * 1099511628211ull;
    for (int i = 0; i < n; i++)
        x->sig = (x->sig ^ (unsigned char)(flags[i] + 1)) * 1099511628211ull;
    x->sig = (x->sig ^ 0xFF) * 1099511628211ull;
    g_hash_table_replace(x->words, g_strdup(key), e);
}

int pr_hyph_exc_count(const struct pr_hyph_exc *x)
{
    return x ? (int)g_hash_table_size(x->words) : 0;
}

void pr_hyph_exc_free(struct pr_hyph_exc *x)
{
    if (!x)
        return;
    g_hash_table_destroy(x->words);
    g_free(x);
}

/* A word an exception lists: copied with marks at the breaks it allows
 * (within the minima); false when none lists it. */
static bool hyph_exception(struct job *j, const char *s, size_t n)
{
    if (!j->o.exc || g_hash_table_size(j->o.exc->words) == 0)
        return false;
    char key[MAX_WORD_CHARS * 8];
    size_t klen, end[MAX_WORD_CHARS];
    int nch = word_key(s, n, false, key, sizeof key, &klen, end, NULL);
    const struct exc_word *e = nch > 0 ? g_hash_table_lookup(j->o.exc->words, key) : NULL;
    if (!e || e->n != nch)
        return false;
    size_t done = 0;
    for (int i = j->o.lmin - 1; i + j->o.rmin < nch; i++) {
        if (!e->flags[i])
            continue;
        put(&j->out, s + done, end[i] - done);
        put(&j->out, j->mark, j->mark_len);
        done = end[i];
    }
    put(&j->out, s + done, n - done);
    return true;
}

/* One apostrophe-free part of a word: letters and combining marks. Each
 * letter with its marks is one character for the minima. The dictionary
 * wants precomposed lowercase letters, so the lookup key is the NFC of each
 * such group, lowercased; a group that stays several characters (Indic
 * vowel signs) lets the dictionary see them all, and a break the dictionary
 * puts inside a group is dropped. Copies the part with marks inserted after
 * the groups where breaks are allowed. */
static void hyph_part(struct job *j, const char *s, size_t n)
{
    size_t start[MAX_WORD_CHARS], end[MAX_WORD_CHARS];
    bool combined[MAX_WORD_CHARS];
    int nch = 0;
    for (size_t p = 0, cl; p < n; p += cl) {
        gunichar c = next_char(s + p, n - p, &cl);
        if (is_mark(c) && nch > 0) {
            end[nch - 1] = p + cl;
            combined[nch - 1] = true;
            continue;
        }
        if (nch == MAX_WORD_CHARS) {
            put(&j->out, s, n);
            return;
        }
        start[nch] = p;
        end[nch] = p + cl;
        combined[nch] = false;
        nch++;
    }
    if (nch < j->o.lmin + j->o.rmin) {
        put(&j->out, s, n);
        return;
    }

    char key[MAX_WORD_CHARS * 8];
    size_t klen = 0;
    int last[MAX_WORD_CHARS]; /* index in the key of each group's last character */
    int nkey = 0;
    bool fits = true;
    for (int i = 0; i < nch && fits; i++) {
        if (combined[i]) {
            char *nfc = g_utf8_normalize(s + start[i], (gssize)(end[i] - start[i]),
                                         G_NORMALIZE_NFC);
            fits = nfc && *nfc;
            for (const char *q = nfc; fits && q && *q; q = g_utf8_next_char(q), nkey++)
                fits = key_add(key, &klen, sizeof key, g_utf8_get_char(q));
            g_free(nfc);
        } else {
            size_t cl;
            fits = key_add(key, &klen, sizeof key, next_char(s + start[i], end[i] - start[i], &cl));
            nkey++;
        }
        last[i] = nkey - 1;
    }
    if (!fits) {
        put(&j->out, s, n);
        return;
    }
    key[klen] = '\0';

    const char *flags = lookup(j->d, key, klen, nkey);
    size_t done = 0;
    for (int i = j->o.lmin - 1; i + j->o.rmin < nch; i++) {
        if (!flags[last[i]])
            continue;
        put(&j->out, s + done, end[i] - done);
        put(&j->out, j->mark, j->mark_len);
        done = end[i];
    }
    put(&j->out, s + done, n - done);
}

/* A word: letters and marks with apostrophes only between letters. */
static void hyph_word(struct job *j, const char *s, size_t n)
{
    if (hyph_exception(j, s, n))
        return;
    if (!j->o.caps) {
        bool part_start = true;
        for (size_t p = 0, cl; p < n; p += cl) {
            gunichar c = next_char(s + p, n - p, &cl);
            if (part_start && is_upper(c)) {
                put(&j->out, s, n);
                return;
            }
            part_start = is_apostrophe(c);
        }
    }
    size_t part = 0;
    for (size_t p = 0, cl; p < n; p += cl) {
        gunichar c = next_char(s + p, n - p, &cl);
        if (is_apostrophe(c)) {
            hyph_part(j, s + part, p - part);
            put(&j->out, s + p, cl);
            part = p + cl;
        }
    }
    hyph_part(j, s + part, n - part);
}

static bool looks_like_address(const char *s, size_t n)
{
    /* (most tokens are words: none of the three characters an address
     * needs, in one pass) */
    size_t k = 0;
    while (k < n && s[k] != '@' && s[k] != ':' && s[k] != '.')
        k++;
    if (k == n)
        return false;
    if (memchr(s, '@', n) || memmem(s, n, "://", 3))
        return true;
    for (size_t i = 0; i + 4 <= n; i++)
        if ((s[i] | 0x20) == 'w' && g_ascii_strncasecmp(s + i, "www.", 4) == 0)
            return true;
    return false;
}

/* A whitespace-delimited token: split into runs of word characters (letters,
 * marks, numbers, author marks, inner apostrophes) and everything else. */
static void hyph_token(struct job *j, const char *s, size_t n)
{
    if (looks_like_address(s, n)) {
        put(&j->out, s, n);
        return;
    }
    size_t p = 0, cl;
    while (p < n) {
        gunichar c = next_char(s + p, n - p, &cl);
        if (!is_letter(c) && !is_mark(c) && !is_number(c) && !is_author_mark(c)) {
            put(&j->out, s + p, cl);
            p += cl;
            continue;
        }
        size_t rs = p;
        bool keep = false, prev_letter = false;
        while (p < n) {
            c = next_char(s + p, n - p, &cl);
            bool letter = is_letter(c) || is_mark(c);
            if (!letter) {
                if (is_number(c) || is_author_mark(c)) {
                    keep = true;
                } else if (is_apostrophe(c) && prev_letter && p + cl < n) {
                    size_t cl2;
                    if (!is_letter(next_char(s + p + cl, n - p - cl, &cl2)))
                        break;
                } else {
                    break;
                }
            }
            prev_letter = letter;
            p += cl;
        }
        if (keep)
            put(&j->out, s + rs, p - rs);
        else
            hyph_word(j, s + rs, p - rs);
    }
}

static char *hyphenate(struct pr_hyph *h, const char *lang, const char *text, size_t len,
                       const struct pr_hyph_opts *o, const char *mark, size_t *out_len)
{
    struct dict *d = find_dict(h, lang);
    if (!d || !text)
        return copy_text(text, len, out_len);
    struct job j = {.d = d, .mark = mark, .mark_len = strlen(mark)};
    j.o.lmin = o && o->min_before > 1 ? o->min_before : 1;
    j.o.rmin = o && o->min_after > 1 ? o->min_after : 1;
    j.o.caps = o ? o->capitalized : true;
    j.o.exc = o ? o->exceptions : NULL;
    j.out.cap = len < SIZE_MAX / 2 ? len + len / 4 + 16 : len;
    j.out.p = pr_xrealloc(NULL, j.out.cap);
    j.out.p[0] = '\0';

    size_t p = 0, cl;
    while (p < len) {
        gunichar c = next_char(text + p, len - p, &cl);
        if (is_space(c)) {
            put(&j.out, text + p, cl);
            p += cl;
            continue;
        }
        size_t ts = p;
        while (p < len && !is_space(next_char(text + p, len - p, &cl)))
            p += cl;
        hyph_token(&j, text + ts, p - ts);
    }
    if (out_len)
        *out_len = j.out.n;
    return j.out.p;
}

/* ---- API ---- */

struct pr_hyph *pr_hyph_new(const char *dict_dir)
{
    if (!dict_dir) {
        const char *env = getenv("PRESSRUN_HYPHEN_DIR");
        dict_dir = env && *env ? env : DEFAULT_DIR;
    }
    struct pr_hyph *h = g_new0(struct pr_hyph, 1);
    h->dir = g_strdup(dict_dir);
    h->files = g_ptr_array_new_with_free_func(g_free);
    h->langs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    h->dicts = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, dict_free);
    pthread_mutex_init(&h->lock, NULL);
    return h;
}

void pr_hyph_free(struct pr_hyph *h)
{
    if (!h)
        return;
    g_hash_table_destroy(h->langs);
    g_hash_table_destroy(h->dicts);
    if (h->keep_paras)
        pr_kept_free(&paras);
    g_ptr_array_free(h->files, TRUE);
    g_free(h->dir);
    pthread_mutex_destroy(&h->lock);
    g_free(h);
}

const char *pr_hyph_dict(struct pr_hyph *h, const char *lang)
{
    pthread_mutex_lock(&h->lock);
    struct dict *d = find_dict(h, lang);
    const char *path = d ? d->path : NULL;
    pthread_mutex_unlock(&h->lock);
    return path;
}

/* What a paragraph's hyphenation depends on, before its text. */
struct para_key {
    guint64 exc;
    int lmin, rmin, caps, has_opts;
    char lang[32];
};

char *pr_hyph_text(struct pr_hyph *h, const char *lang, const char *text, size_t len,
                   const struct pr_hyph_opts *o, size_t *out_len)
{
    pthread_mutex_lock(&h->lock);
    GBytes *key = NULL;
    if (h->keep_paras && text && (!lang || strlen(lang) < sizeof ((struct para_key *)0)->lang)) {
        struct para_key pk;
        memset(&pk, 0, sizeof pk);
        if (o) {
            pk.has_opts = 1;
            pk.lmin = o->min_before;
            pk.rmin = o->min_after;
            pk.caps = o->capitalized;
            pk.exc = o->exceptions ? o->exceptions->sig ^ g_hash_table_size(o->exceptions->words) : 0;
        }
        if (lang)
            strcpy(pk.lang, lang);
        char *k = g_malloc(sizeof pk + len);
        memcpy(k, &pk, sizeof pk);
        memcpy(k + sizeof pk, text, len);
        key = g_bytes_new_take(k, sizeof pk + len);
        GBytes *had = pr_kept_get(&paras, key);
        if (had) {
            gsize n;
            const char *d = g_bytes_get_data(had, &n);
            char *r = pr_xmalloc(n + 1);
            memcpy(r, d, n);
            r[n] = '\0';
            if (out_len)
                *out_len = n;
            g_bytes_unref(had);
            g_bytes_unref(key);
            pthread_mutex_unlock(&h->lock);
            return r;
        }
    }
    size_t n = 0;
    char *r = hyphenate(h, lang, text, len, o, "\xC2\xAD", &n);
    if (out_len)
        *out_len = n;
    if (key) {
        GBytes *v = g_bytes_new(r, n);
        pr_kept_put(&paras, key, v);
        g_bytes_unref(v);
        g_bytes_unref(key);
    }
    pthread_mutex_unlock(&h->lock);
    return r;
}

char *pr_hyph_word(struct pr_hyph *h, const char *lang, const char *word,
                   const struct pr_hyph_opts *o)
{
    pthread_mutex_lock(&h->lock);
    char *r = hyphenate(h, lang, word, word ? strlen(word) : 0, o, "-", NULL);
    pthread_mutex_unlock(&h->lock);
    return r;
}

/* The hyphenator kept between the builds of one process (pressrun watch):
 * its dictionaries stay loaded (German's takes libhyphen 2.5 s). */
static struct pr_hyph *shared;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

struct pr_hyph *pr_hyph_shared(void)
{
    pthread_mutex_lock(&shared_lock);
    if (!shared) {
        shared = pr_hyph_new(NULL);
        shared->keep_paras = true;
    }
    struct pr_hyph *h = shared;
    pthread_mutex_unlock(&shared_lock);
    return h;
}

bool pr_hyph_is_shared(const struct pr_hyph *h)
{
    return h && h == shared;
}

void pr_hyph_shared_free(void)
{
    pthread_mutex_lock(&shared_lock);
    pr_hyph_free(shared);
    shared = NULL;
    pthread_mutex_unlock(&shared_lock);
}

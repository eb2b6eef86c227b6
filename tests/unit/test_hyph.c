/* test_hyph.c - unit tests for hyph.c (hyphenation with libhyphen) and
 * hyphdict.c (the same automaton as libhyphen's loader, for every installed
 * dictionary and a file with every kind of line): dictionary choice per
 * language tag, exact breaks from Debian's en_US, es, de and fr
 * dictionaries, the word rules (compounds, apostrophes, URLs, capitals), the
 * round trip (text minus the inserted U+00AD is the input) and a 1 MB run.
 * Needs hyphen-en-us, hyphen-es, hyphen-fr and hyphen-de installed. */
#include "check.h"
#include "hyph.h"

#include <hyphen.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#define SHY "\xC2\xAD"

/* libhyphen 2.8.8 loses about 1 KB of pattern strings inside
 * hnj_hyphen_load (once per dictionary, nothing we hold). LeakSanitizer's
 * fast unwinder cannot see past libhyphen's frames, so the suppression names
 * the library; valgrind --leak-check=full shows hyph.c itself leaks nothing.
 * The hook is only read in sanitizer builds. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libhyphen.so\n";
}

static struct pr_hyph *H;

/* pr_hyph_word, freed for the caller: returns a static copy. */
static const char *word(const char *lang, const char *w, const struct pr_hyph_opts *o)
{
    static char keep[512];
    char *s = pr_hyph_word(H, lang, w, o);
    g_strlcpy(keep, s, sizeof keep);
    free(s);
    return keep;
}

/* out with every U+00AD removed equals in (which holds none) byte for byte. */
static bool round_trips(const char *in, size_t in_len, const char *out, size_t out_len)
{
    size_t i = 0, j = 0;
    while (j < out_len) {
        if (j + 1 < out_len && (unsigned char)out[j] == 0xC2 && (unsigned char)out[j + 1] == 0xAD) {
            j += 2;
            continue;
        }
        if (i >= in_len || in[i] != out[j])
            return false;
        i++, j++;
    }
    return i == in_len && out[out_len] == '\0';
}

static size_t count_shy(const char *s)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, SHY)); p += 2)
        n++;
    return n;
}

static bool ends_with(const char *s, const char *suffix)
{
    return s && g_str_has_suffix(s, suffix);
}

static void test_dict_choice(void)
{
    CHECK(ends_with(pr_hyph_dict(H, "en"), "/hyph_en_US.dic"));
    CHECK(ends_with(pr_hyph_dict(H, "EN_us"), "/hyph_en_US.dic"));
    CHECK(ends_with(pr_hyph_dict(H, "en-Latn-US"), "/hyph_en_US.dic"));
    CHECK(ends_with(pr_hyph_dict(H, "en-GB"), "/hyph_en_US.dic")); /* no en_GB here */
    CHECK(ends_with(pr_hyph_dict(H, "es"), "/hyph_es_ES.dic"));
    CHECK(ends_with(pr_hyph_dict(H, "es-419"), "/hyph_es_ES.dic"));
    CHECK(ends_with(pr_hyph_dict(H, "de"), "/hyph_de_DE.dic"));
    CHECK(ends_with(pr_hyph_dict(H, "de_AT.UTF-8"), "/hyph_de_DE.dic"));
    CHECK(ends_with(pr_hyph_dict(H, "fr"), "/hyph_fr.dic"));
    CHECK(ends_with(pr_hyph_dict(H, "fr-CA"), "/hyph_fr.dic"));
    /* Tags naming the same file share one dictionary (and one path). */
    CHECK(pr_hyph_dict(H, "es-MX") == pr_hyph_dict(H, "es"));
    CHECK(pr_hyph_dict(H, "en") == pr_hyph_dict(H, "en"));
    CHECK(pr_hyph_dict(H, "ar") == NULL);
    CHECK(pr_hyph_dict(H, "zz") == NULL);
    CHECK(pr_hyph_dict(H, "xx-YY") == NULL);
    CHECK(pr_hyph_dict(H, "") == NULL);
    CHECK(pr_hyph_dict(H, NULL) == NULL);
    CHECK(pr_hyph_dict(H, "e") == NULL);
    CHECK(pr_hyph_dict(H, "../../etc/passwd") == NULL);
    CHECK(pr_hyph_dict(H, "en-") != NULL);
}

static bool copy_file(const char *from, const char *to)
{
    gchar *data;
    gsize n;
    if (!g_file_get_contents(from, &data, &n, NULL))
        return false;
    bool ok = g_file_set_contents(to, data, (gssize)n, NULL);
    g_free(data);
    return ok;
}

/* A private dictionary folder: regional names only, so the fallbacks show. */
static void test_dict_dir(void)
{
    char *dir = g_dir_make_tmp("pr-hyph-XXXXXX", NULL);
    CHECK(dir != NULL);
    if (!dir)
        return;
    static const char *const files[][2] = {
        {"/usr/share/hyphen/hyph_en_US.dic", "hyph_en_GB.dic"},
        {"/usr/share/hyphen/hyph_es_ES.dic", "hyph_es_MX.dic"},
        {"/usr/share/hyphen/hyph_es_ES.dic", "hyph_es_AR.dic"},
        {"/usr/share/hyphen/hyph_fr.dic", "HYPH_PT-br.DIC"},
    };
    char *paths[4];
    for (int i = 0; i < 4; i++) {
        paths[i] = g_build_filename(dir, files[i][1], NULL);
        CHECK(copy_file(files[i][0], paths[i]));
    }
    /* A made-up dictionary: minima of 1, a nonstandard (replacement) break
     * and breaks inside and after a Devanagari consonant + vowel sign. */
    char *qq = g_build_filename(dir, "hyph_qq.dic", NULL);
    CHECK(g_file_set_contents(qq, "UTF-8\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\n"
                                  "f1f/ff=f,1,2\nb1a\n\xE0\xA4\x95" "1\xE0\xA4\xBF\n"
                                  "\xE0\xA4\xBF" "1\xE0\xA4\x95\n", -1, NULL));
    struct pr_hyph *h = pr_hyph_new(dir);
    CHECK(ends_with(pr_hyph_dict(h, "en-GB"), "/hyph_en_GB.dic"));
    CHECK(ends_with(pr_hyph_dict(h, "en"), "/hyph_en_GB.dic"));
    CHECK(ends_with(pr_hyph_dict(h, "en-US"), "/hyph_en_GB.dic"));
    CHECK(ends_with(pr_hyph_dict(h, "es"), "/hyph_es_AR.dic")); /* first in order */
    CHECK(ends_with(pr_hyph_dict(h, "es-MX"), "/hyph_es_MX.dic"));
    CHECK(ends_with(pr_hyph_dict(h, "pt-BR"), "/HYPH_PT-br.DIC"));
    CHECK(ends_with(pr_hyph_dict(h, "pt"), "/HYPH_PT-br.DIC"));
    CHECK(pr_hyph_dict(h, "de") == NULL);
    char *s = pr_hyph_word(h, "es-MX", "revolución", NULL);
    CHECK_STR(s, "re-vo-lu-ción");
    free(s);

    struct pr_hyph_opts o21 = {2, 1, true, NULL};
    s = pr_hyph_word(h, "qq", "baba", NULL);
    CHECK_STR(s, "b-ab-a");
    free(s);
    s = pr_hyph_word(h, "qq", "baba", &o21);
    CHECK_STR(s, "bab-a");
    free(s);
    s = pr_hyph_word(h, "qq", "schiffahrt", NULL); /* only the replacement break */
    CHECK_STR(s, "schiffahrt");
    free(s);
    s = pr_hyph_word(h, "qq", "किकि", NULL); /* not between क and its vowel sign */
    CHECK_STR(s, "कि-कि");
    free(s);
    g_remove(qq);
    g_free(qq);
    pr_hyph_free(h);

    g_setenv("PRESSRUN_HYPHEN_DIR", dir, TRUE);
    h = pr_hyph_new(NULL);
    CHECK(ends_with(pr_hyph_dict(h, "es"), "/hyph_es_AR.dic"));
    CHECK(pr_hyph_dict(h, "fr") == NULL);
    pr_hyph_free(h);
    g_unsetenv("PRESSRUN_HYPHEN_DIR");

    for (int i = 0; i < 4; i++) {
        g_remove(paths[i]);
        g_free(paths[i]);
    }
    g_rmdir(dir);
    g_free(dir);

    h = pr_hyph_new("/nonexistent/pressrun-hyphen");
    CHECK(pr_hyph_dict(h, "en") == NULL);
    size_t n = 0;
    s = pr_hyph_text(h, "en", "hyphenation", 11, NULL, &n);
    CHECK_STR(s, "hyphenation");
    CHECK(n == 11);
    free(s);
    pr_hyph_free(h);
}

static void test_english(void)
{
    CHECK_STR(word("en", "hyphenation", NULL), "hy-phen-ation");
    CHECK_STR(word("en", "typography", NULL), "ty-pog-ra-phy");
    CHECK_STR(word("en", "magazine", NULL), "mag-a-zine");
    CHECK_STR(word("en", "internationalization", NULL), "in-ter-na-tion-al-iza-tion");
    /* en_US says RIGHTHYPHENMIN 3: "ty-pog-ra-phy", never "...-hy". */
    CHECK_STR(word("en", "HYPHENATION", NULL), "HY-PHEN-ATION");
    /* cached: the same answer the second time */
    CHECK_STR(word("en", "hyphenation", NULL), "hy-phen-ation");
    CHECK_STR(word("en-US", "typography", NULL), "ty-pog-ra-phy");
}

static void test_spanish(void)
{
    CHECK_STR(word("es", "revolución", NULL), "re-vo-lu-ción");
    CHECK_STR(word("es", "trabajadores", NULL), "tra-ba-ja-do-res");
    CHECK_STR(word("es", "internacional", NULL), "in-ter-na-cio-nal");
    CHECK_STR(word("es", "canción", NULL), "can-ción");
    CHECK_STR(word("es", "REVOLUCIÓN", NULL), "RE-VO-LU-CIÓN");
    CHECK_STR(word("es", "señoritas", NULL), "se-ño-ri-tas");
    /* decomposed: o + U+0301 counts as one character */
    CHECK_STR(word("es", "revolucio\xCC\x81n", NULL), "re-vo-lu-cio\xCC\x81n");
    CHECK_STR(word("es", "cancio\xCC\x81n", NULL), "can-cio\xCC\x81n");
}

/* de_DE is ISO8859-1: words are converted, and what cannot be is skipped. */
static void test_german_french(void)
{
    CHECK_STR(word("de", "Silbentrennung", NULL), "Sil-ben-tren-nung");
    CHECK_STR(word("de", "Übergrößenträger", NULL), "Über-grö-ßen-trä-ger");
    CHECK_STR(word("de", "Donaudampfschifffahrt", NULL), "Do-nau-dampf-schiff-fahrt");
    CHECK_STR(word("de", "καλημέρα", NULL), "καλημέρα");
    CHECK_STR(word("de", "Zuckerдом", NULL), "Zuckerдом");
    CHECK_STR(word("fr", "internationalisation", NULL),
              "in-ter-na-tio-na-li-sa-tion");
    CHECK_STR(word("fr", "d'accord", NULL), "d'ac-cord");
    CHECK_STR(word("fr", "l’appartement", NULL), "l’ap-par-te-ment");
    CHECK_STR(word("en", "Москва καλημέρα", NULL), "Москва καλημέρα");
}

static void test_minima(void)
{
    struct pr_hyph_opts o44 = {4, 4, true, NULL}, o55 = {5, 5, true, NULL}, o56 = {5, 6, true, NULL};
    CHECK_STR(word("en", "hyphenation", &o44), "hyphen-ation");
    CHECK_STR(word("en", "typography", &o44), "typog-raphy");
    CHECK_STR(word("en", "hyphenation", &o55), "hyphen-ation");
    CHECK_STR(word("en", "typography", &o56), "typography"); /* 10 < 5 + 6 */
    /* counted in characters, not bytes: "ción" is 4 characters (5 bytes) */
    struct pr_hyph_opts o34 = {3, 4, true, NULL}, o35 = {3, 5, true, NULL}, o13 = {1, 3, true, NULL};
    CHECK_STR(word("es", "revolución", &o34), "revo-lu-ción");
    CHECK_STR(word("es", "revolución", &o35), "revo-lución");
    CHECK_STR(word("es", "ácido", &o13), "ácido");
    CHECK_STR(word("es", "ácido", NULL), "áci-do"); /* es: LEFTHYPHENMIN 2 */
    /* the dictionary's own minima still apply below them (en_US: 2 and 3) */
    struct pr_hyph_opts o11 = {1, 1, true, NULL};
    CHECK_STR(word("en", "typography", &o11), "ty-pog-ra-phy");
    struct pr_hyph_opts zero = {0, 0, true, NULL};
    CHECK_STR(word("en", "magazine", &zero), "mag-a-zine");
}

static void test_capitals(void)
{
    struct pr_hyph_opts no = {2, 3, false, NULL}, yes = {2, 3, true, NULL};
    CHECK_STR(word("en", "Hyphenation", &no), "Hyphenation");
    CHECK_STR(word("en", "Hyphenation", &yes), "Hy-phen-ation");
    CHECK_STR(word("en", "hyphenation", &no), "hy-phen-ation");
    CHECK_STR(word("es", "Revolución", &no), "Revolución");
    CHECK_STR(word("es", "Revolución", &yes), "Re-vo-lu-ción");
    CHECK_STR(word("es", "Ámsterdam", &no), "Ámsterdam");
    CHECK_STR(word("fr", "l'Europe", &no), "l'Europe");
    CHECK_STR(word("en", "Typography and typography", &no), "Typography and ty-pog-ra-phy");
}

/* TeX's \hyphenation: the listed breaks only, case ignored, a word
 * without hyphens never broken; parts of compounds and words beside
 * punctuation matched alone; the minima still apply; capitals too. */
static void test_exceptions(void)
{
    CHECK_STR(word("en", "Kazakhstan", NULL), "Kaza-khstan"); /* the dictionary's, bad */
    struct pr_hyph_exc *x = pr_hyph_exc_new();
    pr_hyph_exc_add(x, "Ka-zakh-stan");
    pr_hyph_exc_add(x, "pressrun");
    pr_hyph_exc_add(x, "ty-pog-raphy");
    pr_hyph_exc_add(x, "O'Con-nor");
    pr_hyph_exc_add(x, "bad--word"); /* no word: skipped */
    pr_hyph_exc_add(x, "ty-po-graphy"); /* the last one wins */
    CHECK(pr_hyph_exc_count(x) == 4);
    struct pr_hyph_opts o = {2, 3, true, x}, caps_off = {2, 3, false, x}, wide = {3, 4, true, x};
    CHECK_STR(word("en", "Kazakhstan", &o), "Ka-zakh-stan");
    CHECK_STR(word("en", "KAZAKHSTAN kazakhstan", &o), "KA-ZAKH-STAN ka-zakh-stan");
    CHECK_STR(word("en", "Kazakhstan-based, (Kazakhstan).", &o), "Ka-zakh-stan-based, (Ka-zakh-stan).");
    CHECK_STR(word("en", "Kazakhstan", &caps_off), "Ka-zakh-stan");
    CHECK_STR(word("en", "Kazakhstan", &wide), "Kazakh-stan");
    CHECK_STR(word("en", "pressrun Pressrun pressruns", &o), "pressrun Pressrun press-runs");
    CHECK_STR(word("en", "typography", &o), "ty-po-graphy");
    CHECK_STR(word("en", "O\u2019Connor", &o), "O\u2019Con-nor");
    CHECK_STR(word("en", "Kazakhstan2", &o), "Kazakhstan2");
    pr_hyph_exc_free(x);
    pr_hyph_exc_free(NULL);
}

static void test_addresses(void)
{
    const char *in = "see https://example.com/hyphenation, www.typography.org, "
                     "WWW.Magazine.com or editor@magazine.example (ftp://hyphenation.net).";
    size_t n = 0;
    char *s = pr_hyph_text(H, "en", in, strlen(in), NULL, &n);
    CHECK_STR(s, in);
    CHECK(n == strlen(in));
    free(s);
    CHECK_STR(word("en", "hyphenation https://x.org/hyphenation", NULL),
              "hy-phen-ation https://x.org/hyphenation");
    CHECK_STR(word("en", "typography\xC2\xA0mail@typography.org", NULL),
              "ty-pog-ra-phy\xC2\xA0mail@typography.org");
}

static void test_word_shapes(void)
{
    CHECK_STR(word("en", "working-class", NULL), "work-ing-class");
    CHECK_STR(word("en", "hyphenation\xE2\x80\x93typography", NULL),
              "hy-phen-ation\xE2\x80\x93ty-pog-ra-phy");
    CHECK_STR(word("en", "typography/hyphenation", NULL), "ty-pog-ra-phy/hy-phen-ation");
    CHECK_STR(word("en", "magazine\xE2\x80\x90typography", NULL),
              "mag-a-zine\xE2\x80\x90ty-pog-ra-phy");
    CHECK_STR(word("en", "don't", NULL), "don't");
    CHECK_STR(word("en", "don’t", NULL), "don’t");
    CHECK_STR(word("en", "magazine's", NULL), "mag-a-zine's");
    CHECK_STR(word("en", "typography’s", NULL), "ty-pog-ra-phy’s");
    CHECK_STR(word("en", "'hyphenation'", NULL), "'hy-phen-ation'");
    CHECK_STR(word("en", "‘typography’", NULL), "‘ty-pog-ra-phy’");
    CHECK_STR(word("en", "hyphenation2000", NULL), "hyphenation2000");
    CHECK_STR(word("en", "3Dtypography", NULL), "3Dtypography");
    CHECK_STR(word("en", "typography 2000 magazine", NULL), "ty-pog-ra-phy 2000 mag-a-zine");
    CHECK_STR(word("en", "hyphen" SHY "ation typography", NULL),
              "hyphen" SHY "ation ty-pog-ra-phy");
    CHECK_STR(word("en", "type\xE2\x80\x8Cgraphy", NULL), "type\xE2\x80\x8Cgraphy");
    CHECK_STR(word("en", "(hyphenation).", NULL), "(hy-phen-ation).");
    char *s = pr_hyph_word(H, "en", NULL, NULL);
    CHECK_STR(s, "");
    free(s);
    /* more than 100 characters: not a word */
    char longw[160];
    for (int i = 0; i < 15; i++)
        memcpy(longw + i * 10, "typography", 10);
    longw[150] = '\0';
    CHECK_STR(word("en", longw, NULL), longw);
    memcpy(longw + 80, " ", 1);
    CHECK(count_shy(word("en", longw, NULL)) == 0);
}

static void test_round_trip(void)
{
    static const char *const texts[] = {
        "The magazine's typography, and its hyphenation — working-class readers "
        "don't mind (really?). «Internationalization»; 1990s e-mail: a@b.c!\n\n"
        "Revolución: trabajadores internacionales — ¿señoritas? "
        "Übergrößenträger καλημέρα Москва 東京 \"quoted\" ‘single’ tab\there.",
        "plain", "", "   ", "x", "a-b-c", "'''", "’’’hyphenation’’’",
        "bad \xFF\xFE bytes hyphenation\xC3 typography\xE2\x80",
    };
    static const char *const langs[] = {"en", "es", "de", "fr", "ar"};
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++)
        for (size_t l = 0; l < sizeof langs / sizeof langs[0]; l++) {
            struct pr_hyph_opts o = {2, 2, (l & 1) != 0, NULL};
            size_t n = 99;
            char *s = pr_hyph_text(H, langs[l], texts[t], strlen(texts[t]), &o, &n);
            CHECK(s && strlen(s) == n);
            CHECK(s && round_trips(texts[t], strlen(texts[t]), s, n));
            if (t == 0 && l < 4)
                CHECK(s && count_shy(s) >= 5);
            free(s);
        }
    /* a NUL inside: length-counted, not a C string */
    const char in[] = "hyphenation\0typography";
    size_t n = 0;
    char *s = pr_hyph_text(H, "en", in, sizeof in - 1, NULL, &n);
    CHECK(n == sizeof in - 1 + 5 * 2);
    CHECK(round_trips(in, sizeof in - 1, s, n));
    free(s);
    /* text need not be NUL-terminated */
    s = pr_hyph_text(H, "en", "typographyXXXX", 10, NULL, &n);
    CHECK_STR(s, "ty" SHY "pog" SHY "ra" SHY "phy");
    free(s);
}

static void test_unknown_language(void)
{
    const char *in = "hyphenation typography مرحبا";
    size_t n = 0;
    CHECK(pr_hyph_dict(H, "ar") == NULL);
    char *s = pr_hyph_text(H, "ar", in, strlen(in), NULL, &n);
    CHECK_STR(s, in);
    CHECK(n == strlen(in));
    free(s);
    s = pr_hyph_text(H, "zz", in, strlen(in), NULL, &n);
    CHECK_STR(s, in);
    free(s);
    s = pr_hyph_text(H, NULL, in, strlen(in), NULL, NULL);
    CHECK_STR(s, in);
    free(s);
    CHECK_STR(word("zz", "hyphenation", NULL), "hyphenation");
}

/* About 1 MB of one paragraph, many distinct words (more than the cache
 * holds, so it is emptied along the way). No time limit; it reports one. */
static void test_big_paragraph(void)
{
    static const char *const syl[] = {"ty", "pog", "ra", "phy", "hy", "phen", "a", "tion",
                                      "mag", "zine", "in", "ter", "na", "al", "iza", "work",
                                      "ing", "class", "re", "vo", "lu", "ción", "tra", "ba"};
    GString *g = g_string_sized_new(1 << 20);
    guint32 seed = 12345;
    while (g->len < (1 << 20)) {
        int k = 2 + (int)(seed % 4);
        for (int i = 0; i < k; i++) {
            seed = seed * 1103515245u + 12345u;
            g_string_append(g, syl[(seed >> 16) % 24]);
        }
        g_string_append(g, (seed >> 8) % 9 == 0 ? ", " : " ");
    }
    size_t n = 0;
    gint64 t0 = g_get_monotonic_time();
    char *s = pr_hyph_text(H, "en", g->str, g->len, NULL, &n);
    gint64 t1 = g_get_monotonic_time();
    CHECK(n > g->len);
    CHECK(round_trips(g->str, g->len, s, n));
    free(s);
    printf("1 MB paragraph: %.1f ms\n", (double)(t1 - t0) / 1000.0);
    g_string_free(g, TRUE);
}

/* Are two automata the same, state for state (a state's replacement index
 * and cut count only when it has a match: libhyphen leaves them unset
 * otherwise)? Says where they first differ. */
static bool same_automaton(const HyphenDict *a, const HyphenDict *b, const char *path, int level)
{
    if (!a || !b) {
        if (a != b)
            fprintf(stderr, "%s level %d: one loader has a level the other has not\n", path, level);
        return a == b;
    }
    if (a->lhmin != b->lhmin || a->rhmin != b->rhmin || a->clhmin != b->clhmin || a->crhmin != b->crhmin ||
        a->num_states != b->num_states || a->utf8 != b->utf8 || strcmp(a->cset, b->cset) != 0 ||
        a->nohyphenl != b->nohyphenl || !a->nohyphen != !b->nohyphen) {
        fprintf(stderr, "%s level %d: header differs (%d vs %d states)\n", path, level, a->num_states, b->num_states);
        return false;
    }
    for (int s = 0; s < a->num_states; s++) {
        const HyphenState *x = &a->states[s], *y = &b->states[s];
        bool ok = x->fallback_state == y->fallback_state && x->num_trans == y->num_trans &&
                  !x->match == !y->match && (!x->match || strcmp(x->match, y->match) == 0) &&
                  !x->repl == !y->repl && (!x->repl || strcmp(x->repl, y->repl) == 0) &&
                  (!x->match || (x->replindex == y->replindex && x->replcut == y->replcut));
        for (int t = 0; ok && t < x->num_trans; t++)
            ok = x->trans[t].ch == y->trans[t].ch && x->trans[t].new_state == y->trans[t].new_state;
        if (!ok) {
            fprintf(stderr, "%s level %d: state %d differs\n", path, level, s);
            return false;
        }
    }
    return same_automaton(a->nextlevel, b->nextlevel, path, level + 1);
}

/* hyphdict.c builds the automaton libhyphen's own loader builds, for every
 * dictionary installed (German's two levels among them), and a pattern
 * file with every kind of line. */
static void test_loader(void)
{
    GDir *dir = g_dir_open("/usr/share/hyphen", 0, NULL);
    int compared = 0;
    const char *name;
    while (dir && (name = g_dir_read_name(dir))) {
        char *path = g_build_filename("/usr/share/hyphen", name, NULL);
        if (g_str_has_suffix(name, ".dic") && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
            HyphenDict *a = hnj_hyphen_load(path), *b = pr_hyph_load_dict(path);
            CHECK(same_automaton(a, b, path, 0));
            compared++;
            hnj_hyphen_free(a);
            hnj_hyphen_free(b);
        }
        g_free(path);
    }
    if (dir)
        g_dir_close(dir);
    CHECK(compared >= 4);
    char *tmp = g_build_filename(g_get_tmp_dir(), "pressrun-test-hyph.dic", NULL);
    const char *text = "UTF-8\nLEFTHYPHENMIN 2\nRIGHTHYPHENMIN 3\nCOMPOUNDLEFTHYPHENMIN 4\n"
                       "% a comment\nNOHYPHEN -,x\n.ab1c\n2bc1d\nc1d\nab1c\n"
                       "\xC3\xA9" "1ss/\xC3\xA9=s,1,3\nxx1yy/x=y\nNEXTLEVEL\n1-1\n1'1\nz1z\n";
    g_file_set_contents(tmp, text, -1, NULL);
    HyphenDict *a = hnj_hyphen_load(tmp), *b = pr_hyph_load_dict(tmp);
    CHECK(same_automaton(a, b, tmp, 0));
    hnj_hyphen_free(a);
    hnj_hyphen_free(b);
    g_file_set_contents(tmp, "ISO8859-1\nab1c\n", -1, NULL);
    a = hnj_hyphen_load(tmp);
    b = pr_hyph_load_dict(tmp);
    CHECK(same_automaton(a, b, tmp, 0));
    hnj_hyphen_free(a);
    hnj_hyphen_free(b);
    g_unlink(tmp);
    g_free(tmp);
    CHECK(pr_hyph_load_dict("/nonexistent/hyph_xx.dic") == NULL);
}

int main(void)
{
    g_unsetenv("PRESSRUN_HYPHEN_DIR");
    H = pr_hyph_new("/usr/share/hyphen");
    test_loader();
    test_dict_choice();
    test_dict_dir();
    test_english();
    test_spanish();
    test_german_french();
    test_minima();
    test_capitals();
    test_exceptions();
    test_addresses();
    test_word_shapes();
    test_round_trip();
    test_unknown_language();
    test_big_paragraph();
    pr_hyph_free(H);
    pr_hyph_free(NULL);
    return DONE();
}

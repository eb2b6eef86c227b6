/* test_breakattrs.c - pr_default_break (breakattrs.c) against Pango's own
 * pango_default_break, every field of every character's attributes: on
 * text picked for the rules that read more than one character (sentence
 * ends after abbreviations and quotes, apostrophes and colons inside
 * words, numbers with separators, soft hyphens, a combining mark after a
 * long word, newlines, emoji) and on 40,000 random strings over letters,
 * digits, spaces and the punctuation and non-ASCII characters those rules
 * turn on. */
#include "../../src/para_int.h"
#include "check.h"
#include "randtext.h"
#include <stdlib.h>

static int differ;

/* Pango's way and ours (the letters dropped however few) on text; the
 * first difference reported. */
static void same(const char *text, int len)
{
    int n = (int)g_utf8_strlen(text, len);
    PangoLogAttr *want = g_new0(PangoLogAttr, n + 1), *got = g_new0(PangoLogAttr, n + 1);
    pango_default_break(text, len, NULL, want, n + 1);
    pr_default_break_dropping(text, len, got, n + 1);
    bool ok = memcmp(want, got, (size_t)(n + 1) * sizeof *want) == 0;
    CHECK(ok);
    if (!ok && differ++ < 3) {
        for (int i = 0; i <= n; i++)
            if (memcmp(&want[i], &got[i], sizeof *want) != 0) {
                fprintf(stderr, "  differs at character %d of \"%.*s\"\n", i, len, text);
                break;
            }
    }
    g_free(want);
    g_free(got);
}

static void picked(void)
{
    static const char *const texts[] = {
        "The committee met on Tuesday, and the stewards reported back.",
        "Contracts expire e.g. in April. Negotiations resume in May. mr. Smith said no.",
        "\"Organize,\" she wrote. \"Then negotiate.\" Thereafter everything changed!",
        "It\xE2\x80\x99s the workers\xE2\x80\x99 union; don\xE2\x80\x99t cross: picket lines held.",
        "Wages rose 3.5 percent, to $1,250.75 a week (about 12,000 members) in 2024.",
        "Re\xC2\xAD" "organ\xC2\xAD" "iza\xC2\xAD" "tion of the ware\xC2\xAD" "house\xC2\xAD" "workers",
        "well-known long-standing anti-union state-by-state campaigns",
        "cafe\xCC\x81 naivete\xCC\x81 resume\xCC\x81s and co\xC3\xB6peration",
        "line one\nline two\r\nline three\rline four",
        "Emoji \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD work \xE2\x9D\xA4\xEF\xB8\x8F here; flags \xF0\x9F\x87\xBA\xF0\x9F\x87\xB8 too",
        "Espa\xC3\xB1ol: \xC2\xBF" "Qu\xC3\xA9 pas\xC3\xB3? \xC2\xA1" "Huelga general! Sindicatos y trabajadores.",
        "Fran\xC3\xA7" "ais\xC2\xA0: \xC2\xAB" "Gr\xC3\xA8ve\xC2\xA0\xC2\xBB et l\xE2\x80\x99" "usine.",
        "col\xC2\xB7lecci\xC3\xB3 paral\xC2\xB7lel (Catalan middle dots)",
        "U.S.A. Inc. vs. Ltd. A.B.C. defgh. Ijklmn.",
        "abc", "ab", "a", "", "abcdefghijklmnopqrstuvwxyz", "   spaces   around   ",
        "tab\there and\fform feed", "ZWJ\xE2\x80\x8D" "between zero\xE2\x80\x8B" "width",
        "\xD0\x9F\xD1\x80\xD0\xBE\xD1\x84\xD1\x81\xD0\xBE\xD1\x8E\xD0\xB7 and \xCE\x95\xCE\xBB\xCE\xBB\xCE\xAC\xCE\xB4\xCE\xB1",
        "\xD8\xA7\xD9\x84\xD8\xB9\xD9\x85\xD8\xA7\xD9\x84 mixed with Latin words",
        "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE6\x96\x87 and English text",
        "x://path/to/file.html?query=value&other=thing#anchor",
        "Sentence one.  Sentence two?!  \"Quoted.\"  (Parenthetical.)  Next",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        same(texts[i], (int)strlen(texts[i]));
    /* and the way a paragraph goes (a long one: its letters dropped) */
    GString *para = g_string_new(NULL);
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        g_string_append_printf(para, "%s ", texts[i]);
    int n = (int)g_utf8_strlen(para->str, (gssize)para->len);
    PangoLogAttr *want = g_new0(PangoLogAttr, n + 1), *got = g_new0(PangoLogAttr, n + 1);
    pango_default_break(para->str, (int)para->len, NULL, want, n + 1);
    pr_default_break(para->str, (int)para->len, got, n + 1);
    CHECK(memcmp(want, got, (size_t)(n + 1) * sizeof *want) == 0);
    g_free(want);
    g_free(got);
    g_string_free(para, TRUE);
}

/* Random text over the pieces the rules read: long and short words
 * (upper and lower case), digits, spaces and what sits between words. */
static void random_text(void)
{
    static const char *const pieces[] = {
        "a", "b", "Z", "Q", "x", "e", "T", "0", "7", " ", " ", " ", " ", ".", ",", ";", ":", "!", "?", "'",
        "\"", "(", ")", "[", "]", "-", "/", "$", "%", "&", "\xC2\xAD", "\xC2\xA0", "\xE2\x80\x99", "\xE2\x80\x98",
        "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\xA6", "\xC3\xA9", "\xC3\xB1",
        "\xCC\x81", "\xCE\xB1", "\xD0\xB4", "\n", "\r", "\t", "\xE2\x80\x8D", "\xF0\x9F\x91\x8D", "\xC2\xB7",
        "\xE2\x80\xA7", "\xE6\x97\xA5", "_", "#",
    };
    const int npieces = (int)(sizeof pieces / sizeof *pieces);
    GRand *r = g_rand_new_with_seed(19);
    GString *s = g_string_new(NULL);
    for (int round = 0; round < 40000; round++) {
        rand_text(r, s, g_rand_int_range(r, 1, 60), 1, pieces, npieces);
        same(s->str, (int)s->len);
    }
    g_string_free(s, TRUE);
    g_rand_free(r);
}

int main(void)
{
    picked();
    random_text();
    return DONE();
}

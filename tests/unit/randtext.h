/* randtext.h - the unit tests' random paragraphs: n pieces, each a word of
 * 1 to 11 random ASCII letters (upper and lower case; one piece in
 * `words` on average: 3 for two in three) or one of pieces[0, npieces). */
#ifndef PR_RANDTEXT_H
#define PR_RANDTEXT_H
#include <glib.h>

static inline void rand_text(GRand *r, GString *s, int n, int words, const char *const *pieces, int npieces)
{
    g_string_truncate(s, 0);
    for (int i = 0; i < n; i++) {
        if (g_rand_int_range(r, 0, 3) < words) {
            int w = g_rand_int_range(r, 1, 12);
            for (int j = 0; j < w; j++)
                g_string_append_c(s, (char)(g_rand_boolean(r) ? 'a' + g_rand_int_range(r, 0, 26)
                                                               : 'A' + g_rand_int_range(r, 0, 26)));
        } else
            g_string_append(s, pieces[g_rand_int_range(r, 0, npieces)]);
    }
}
#endif

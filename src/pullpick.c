/* pullpick.c - typesetting: a pull quote taken from an article's own text.
 * When an article's last page has more room than its other levers can
 * take and its editor gave no (more) `pullquotes:` candidates, the fitter
 * pulls a sentence out of the body, as a magazine's editor does: a whole
 * sentence that stands alone, of a length a pull quote reads well at.
 * Pure text in, text out; called by copyfit.c. */
#include "pages.h"
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIN_WORDS 8
#define MAX_WORDS 30
#define BEST_WORDS 16

/* Words a sentence cannot open with and stand alone: they point back to
 * the sentence before (English, Spanish, French, German, Portuguese,
 * Italian). Compared without case. */
static const char *const leaning[] = {
    "and", "but", "or", "so", "yet", "also", "then", "thus", "therefore", "however", "this",
    "that", "these", "those", "it", "its", "he", "she", "they", "his", "her", "their", "them",
    "such", "here", "there", "still", "instead", "meanwhile", "nor", "which", "y", "e", "pero",
    "sin", "esto", "eso", "este", "esta", "ese", "esa", "estos", "estas", "él", "ella", "ellos",
    "ellas", "su", "sus", "también", "así", "ni", "mais", "et", "ou", "donc", "il", "elle",
    "ils", "elles", "cela", "ceci", "und", "aber", "oder", "dies", "er", "sie", "es", "mas",
    "isso", "isto", "ele", "ela", "ma", "quindi", NULL};

/* Ends a word before a full stop that does not end a sentence. */
static const char *const abbrevs[] = {"mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e", "no",
                                      "jr", "sr", "prof", "gen", "gov", "sen", "rep", "u.s", "sra",
                                      "sr", "dra", "núm", "art", "p", "pp", "vol", "ed", NULL};

static bool in_list(const char *const *list, const char *w, size_t n)
{
    bool ascii = true;
    for (size_t i = 0; i < n && ascii; i++)
        ascii = (unsigned char)w[i] < 0x80;
    for (int i = 0; list[i]; i++)
        if (strlen(list[i]) == n && g_ascii_strncasecmp(list[i], w, n) == 0)
            return true;
    if (ascii) /* (its case folding is the comparison above) */
        return false;
    /* non-ASCII words: compare case-folded */
    char *fw = g_utf8_casefold(w, (gssize)n);
    bool hit = false;
    for (int i = 0; list[i] && !hit; i++)
        hit = strcmp(fw, list[i]) == 0;
    g_free(fw);
    return hit;
}

static bool is_closer(gunichar c)
{
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019 || c == 0xBB;
}

/* The character at p, and g_unichar_isspace of it (ASCII without a
 * call: tab, newline, form feed, return and space, as GLib has them). */
static inline gunichar char_at(const char *p, bool *space)
{
    unsigned char b = (unsigned char)*p;
    if (b < 0x80) {
        *space = b == ' ' || b == '\t' || b == '\n' || b == '\f' || b == '\r';
        return b;
    }
    gunichar c = g_utf8_get_char(p);
    *space = g_unichar_isspace(c);
    return c;
}

static inline bool space_at(const char *p)
{
    bool space;
    char_at(p, &space);
    return space;
}

/* Does the sentence end at p (just after a . ! ? or …, closing quotes
 * skipped into *end)? The next word must start like a sentence. */
static bool sentence_end(const char *start, const char *p, const char **end)
{
    const char *q = p;
    while (*q && is_closer(g_utf8_get_char(q)))
        q = g_utf8_next_char(q);
    *end = q;
    if (!*q)
        return true;
    if (!space_at(q))
        return false;
    while (*q && space_at(q))
        q = g_utf8_next_char(q);
    gunichar c = g_utf8_get_char(q);
    if (!(g_unichar_isupper(c) || g_unichar_isdigit(c) || c == 0x201C || c == 0x2018 || c == '"' ||
          c == 0xBF || c == 0xA1 || c == 0xAB))
        return false;
    /* the word before the stop: an abbreviation or an initial */
    const char *w = p;
    while (w > start) {
        const char *prev = g_utf8_prev_char(w);
        if (space_at(prev))
            break;
        w = prev;
    }
    size_t n = (size_t)(g_utf8_prev_char(p) - w);
    return !(n > 0 && (g_utf8_strlen(w, (gssize)n) == 1 || in_list(abbrevs, w, n)));
}

/* A sentence's words, and whether it can stand alone; -1 when not. */
static int stand_alone(const char *s, size_t len)
{
    int words = 0, open = 0, parens = 0;
    bool in_word = false;
    const char *end = s + len;
    for (const char *p = s; p < end; p = g_utf8_next_char(p)) {
        bool space;
        gunichar c = char_at(p, &space);
        if (!space && !in_word)
            words++;
        in_word = !space;
        open += c == 0x201C ? 1 : c == 0x201D ? -1 : 0;
        parens += c == '(' ? 1 : c == ')' ? -1 : 0;
    }
    gunichar first = g_utf8_get_char(s);
    if (open != 0 || parens != 0 || words < MIN_WORDS || words > MAX_WORDS ||
        !(g_unichar_isupper(first) || first == 0x201C || first == 0xBF || first == 0xA1))
        return -1;
    const char *w = s;
    while (w < end && !g_unichar_isalpha(g_utf8_get_char(w)))
        w = g_utf8_next_char(w);
    const char *we = w;
    while (we < end && g_unichar_isalpha(g_utf8_get_char(we)))
        we = g_utf8_next_char(we);
    if (we > w && in_list(leaning, w, (size_t)(we - w)))
        return -1;
    return words;
}

const char *pr_pull_sentence(struct pr_arena *a, const char *text, double *score)
{
    const char *best = NULL;
    size_t best_len = 0;
    double best_score = INFINITY;
    const char *s = text;
    while (*s && space_at(s))
        s = g_utf8_next_char(s);
    for (const char *p = s; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c != '.' && c != '!' && c != '?' && c != 0x2026)
            continue;
        const char *end;
        if (!sentence_end(s, g_utf8_next_char(p), &end))
            continue;
        size_t len = (size_t)(end - s);
        int words = stand_alone(s, len);
        if (words > 0) {
            double sc = abs(words - BEST_WORDS) + (memchr(s, ':', len) ? 3 : 0) + (memchr(s, ';', len) ? 2 : 0);
            if (sc < best_score) {
                best_score = sc;
                best = s;
                best_len = len;
            }
        }
        s = end;
        while (*s && space_at(s))
            s = g_utf8_next_char(s);
        p = s;
        if (!*p)
            break;
    }
    if (score)
        *score = best_score;
    return best ? pr_arena_strndup(a, best, best_len) : NULL;
}

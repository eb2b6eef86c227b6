/* manifest_hyph.c - input stage: an issue's hyphenation exceptions, the file
 * hyphenation.txt beside issue.yaml (TeX's \hyphenation words, one or more
 * a line), and the check of one such word, which the layout reader
 * (layoutdef.c, `hyphenation: exceptions:`) shares. Writes
 * issue->hyph_exceptions; called by manifest.c. The typesetter hands the
 * words to hyph.c (pr_hyph_exc_add). */
#include "input.h"
#include <glib.h>
#include <string.h>

/* The most characters of a word hyph.c hyphenates (its MAX_WORD_CHARS). */
#define MAX_CHARS 100

static bool apostrophe(gunichar c)
{
    return c == '\'' || c == 0x2019 || c == 0x02BC;
}

static bool mark(gunichar c)
{
    return c >= 0x300 && g_unichar_ismark(c);
}

const char *pr_hyph_word_check(const char *w, size_t n, size_t *at)
{
    enum { START, LETTER, HYPHEN, APOS } prev = START;
    int chars = 0;
    *at = 0;
    if (n == 0)
        return "an empty word; write the word with a hyphen at each place it may break";
    if (!g_utf8_validate(w, (gssize)n, NULL))
        return "invalid UTF-8; save the file as UTF-8";
    for (const char *p = w; p < w + n; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        *at = (size_t)(p - w);
        if (c == '-') {
            if (prev == START)
                return "a word cannot start with a hyphen; mark only the breaks inside the word";
            if (prev == HYPHEN)
                return "two hyphens in a row; write one hyphen where the word may break";
            if (prev == APOS)
                return "a hyphen next to an apostrophe; a word never breaks there, remove the hyphen";
            prev = HYPHEN;
        } else if (apostrophe(c)) {
            if (prev != LETTER)
                return "an apostrophe must stand between two letters";
            prev = APOS;
        } else if (mark(c)) {
            if (prev != LETTER)
                return "a combining mark must follow a letter";
        } else if (g_unichar_isalpha(c)) {
            prev = LETTER;
            if (++chars > MAX_CHARS)
                return "a word longer than 100 letters; such words are never hyphenated, leave it out";
        } else if (g_unichar_isdigit(c)) {
            return "a digit; words holding digits are never hyphenated, leave this one out";
        } else if (c == 0xAD || c == 0x2010) {
            return "a soft hyphen or U+2010; mark the breaks with '-' (U+002D)";
        } else {
            return "a character that is not a letter; an exception is one word of letters, "
                   "with '-' where it may break (Ka-zakh-stan)";
        }
    }
    *at = n;
    if (prev == HYPHEN) {
        *at = n - 1;
        return "a word cannot end with a hyphen; mark only the breaks inside the word";
    }
    if (prev == APOS) {
        *at = n - 1;
        return "an apostrophe must stand between two letters";
    }
    return NULL;
}

/* Columns count characters, as an editor shows them. */
static int column(const char *line, const char *at)
{
    return (int)g_utf8_strlen(line, at - line) + 1;
}

void pr_manifest_hyphenation(struct pr_input *in, struct pr_issue *is)
{
    const char *path = pr_path_join(in->arena, is->dir, "hyphenation.txt");
    if (!pr_path_exists(path))
        return;
    long len;
    struct pr_pos none = {NULL, 0, 0};
    const char *text = pr_file_read(in, path, none, &len);
    if (!text)
        return;
    const char **out = NULL;
    unsigned cnt = 0, cap = 0;
    int lineno = 0;
    for (const char *line = text; line < text + len;) {
        const char *eol = memchr(line, '\n', (size_t)(text + len - line));
        if (!eol)
            eol = text + len;
        lineno++;
        const char *p = line;
        while (p < eol) {
            while (p < eol && (*p == ' ' || *p == '\t' || *p == '\r'))
                p++;
            /* '%' (TeX's) or '#' starts a comment to the line's end */
            if (p == eol || *p == '%' || *p == '#')
                break;
            const char *w = p;
            while (p < eol && *p != ' ' && *p != '\t' && *p != '\r' && *p != '%' && *p != '#')
                p++;
            size_t at;
            const char *why = pr_hyph_word_check(w, (size_t)(p - w), &at);
            if (why) {
                pr_diag(in->diags, PR_D_HYPHEN_WORD, (struct pr_pos){path, lineno, column(line, w + at)},
                        "'%.*s': %s", (int)(p - w), w, why);
                continue;
            }
            *PR_PUSH(in->arena, out, cnt, cap) = pr_arena_strndup(in->arena, w, (size_t)(p - w));
        }
        line = eol + 1;
    }
    is->hyph_exceptions = out;
    is->nhyph_exceptions = (int)cnt;
}

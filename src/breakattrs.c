/* breakattrs.c - a paragraph's break attributes as pango_default_break()
 * gives them, at half its cost: Pango's state machine (UAX #14 line
 * breaks, UAX #29 grapheme, word and sentence boundaries, where a break
 * adds a hyphen) spends some 45 ns on every character, and most of a
 * paragraph's characters are letters inside a word whose attributes are
 * known before they are read.
 *
 * Why dropping them is exact (Pango 1.50's default_break, read state by
 * state): after two ASCII letters in a row, every variable the machine
 * carries is the same whichever ASCII letters they were and however many
 * more follow -- the break types before (alphabetic, twice), the numeric
 * state (none), the grapheme type (other), the two word-boundary types
 * (ALetter, ALetter), the sentence types (only updated at word
 * boundaries, which a letter after a letter is not), the word kind
 * (letters), the script (Latin), "the last character was a space or a
 * hyphen" (no); the last character itself is read only to ask whether it
 * is a CR, a ZWJ, an apostrophe, a quotation mark, a soft hyphen, U+2027,
 * a virama, a dependent vowel or an extended pictographic, and no ASCII
 * letter is any of those. And a third letter gets exactly the attributes
 * of the second: no line break (LB28), a cursor position and a character
 * break, not white, no word or sentence boundary, start or end, a break
 * that adds a hyphen (inside a Latin word). The indices the machine keeps
 * (the last word and sentence boundaries, the last non-space) only ever
 * point at a boundary or a non-space followed by the character being read,
 * and the adjacency tests they take part in are about spaces and newlines.
 * So the third and later letters of every run of ASCII letters are left
 * out of the text Pango reads, and given the second letter's attributes.
 * The script tailoring (pango_tailor_break: Catalan l·l reads the letters
 * around a middle dot) and the attribute tailoring stay on the whole text.
 * tests/unit/test_breakattrs.c compares every field with Pango's on
 * hand-picked and random text. Called by paralayout.c. */
#include "para_int.h"
#include <stdlib.h>
#include <string.h>

static bool ascii_letter(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

void pr_default_break_dropping(const char *text, int len, PangoLogAttr *la, int nla)
{
    /* the text kept; kept character k is character at[k] of the whole
     * (at[nkept]: the end); a dropped letter takes the attributes of the
     * kept character before it, the second of its run */
    char *kept = pr_xmalloc((size_t)len + 1);
    int *at = pr_xmalloc((size_t)nla * sizeof *at);
    int nkept = 0, klen = 0, ci = 0, run = 0;
    for (int i = 0; i < len; ci++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x80) {
            run = ascii_letter(c) ? run + 1 : 0;
            if (run <= 2) {
                kept[klen++] = (char)c;
                at[nkept++] = ci;
            }
            i++;
            continue;
        }
        run = 0;
        at[nkept++] = ci;
        int n = g_utf8_skip[c]; /* (as Pango steps) */
        for (int e = i + n < len ? i + n : len; i < e; i++)
            kept[klen++] = text[i];
    }
    kept[klen] = '\0';
    if (ci + 1 != nla) { /* (not what the caller counted: no shortcut) */
        free(kept);
        free(at);
        pango_default_break(text, len, NULL, la, nla);
        return;
    }
    at[nkept] = ci;
    PangoLogAttr *kla = g_new0(PangoLogAttr, nkept + 1);
    pango_default_break(kept, klen, NULL, kla, nkept + 1);
    for (int k = 0; k <= nkept; k++) {
        la[at[k]] = kla[k];
        /* the letters dropped after this one (the second of a run) */
        for (int j = at[k] + 1; k < nkept && j < at[k + 1]; j++)
            la[j] = kla[k];
    }
    g_free(kla);
    free(kept);
    free(at);
}

void pr_default_break(const char *text, int len, PangoLogAttr *la, int nla)
{
    /* (a short text is read as it is: copying costs some 3 ns a byte,
     * Pango 45 a character, and a paragraph's third letters are about a
     * third of its characters) */
    if (len < 32)
        pango_default_break(text, len, NULL, la, nla);
    else
        pr_default_break_dropping(text, len, la, nla);
}

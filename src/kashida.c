/* kashida.c - typesetting: kashida (tatweel, U+0640) elongation for
 * justified Arabic, which is never letter-spaced. Finds each word's place
 * for a kashida in a paragraph's one shaping (compose.c gives the composer
 * that stretch) and puts tatweel glyphs into a justified line's runs
 * (compose.c's set_line, before lineset.c spaces the rest). The text is not
 * changed: a tatweel glyph belongs to the cluster of the letter it follows,
 * so the painter's clusters map it to that letter and the text layer reads
 * the word as written.
 *
 * Where a kashida goes: in a join between two letters of a word (the first
 * dual-joining, the second joining), never inside a lam-alef or another
 * ligature (the two letters must be glyph clusters of their own) nor next
 * to a glyph set off the baseline (a mark, Amiri's cursive stacking).
 * Among a word's joins, by the priorities Arabic typesetters use (as
 * Microsoft's "Justification for Arabic script" and the newspapers'
 * practice have them, a simpler subset): after Seen or Sad; before a final
 * Heh, Teh Marbuta or Dal; before a final Alef, Tah, Lam or Kaf; Reh after
 * a Beh-like letter; before another final letter; then any other join. One
 * place per word, the last of its highest priority; at most
 * PR_KASHIDA_MAX tatweels in it. */
#include "para_int.h"
#include <stdlib.h>
#include <string.h>

/* Word spaces may grow by this much of their width before a line takes
 * kashidas. Measured on a three-column Arabic article (36 justified
 * lines; word spaces only: 7 loose, the widest 2.0 times their width): at
 * 0, 30 lines with 131 tatweels, spaces at most 1.04; at 0.25, 19 lines,
 * 60 tatweels, spaces at most 1.28; at 0.4, 11 lines, 30 tatweels, spaces
 * up to 1.45, nearly loose. None loose in any. */
#define SPACES_FIRST 0.25

enum { NONE, RIGHT, DUAL };

/* The joining type of an Arabic letter (Unicode's ArabicShaping.txt, the
 * letters Arabic, Persian and Urdu use most): RIGHT joins only the letter
 * before it, DUAL both sides. */
static int joining(gunichar c)
{
    switch (c) {
    case 0x0622: case 0x0623: case 0x0624: case 0x0625: case 0x0627: case 0x0629: case 0x062F:
    case 0x0630: case 0x0631: case 0x0632: case 0x0648: case 0x0671: case 0x0688: case 0x0691:
    case 0x0698: case 0x06C0: case 0x06D2: case 0x06D3:
        return RIGHT;
    case 0x0626: case 0x0628: case 0x067E: case 0x0686: case 0x06A4: case 0x06A9: case 0x06AF:
    case 0x06BA: case 0x06BE: case 0x06C1: case 0x06CC:
        return DUAL;
    default:
        if ((c >= 0x062A && c <= 0x062E) || (c >= 0x0633 && c <= 0x063A) || (c >= 0x0641 && c <= 0x0647) ||
            c == 0x0649 || c == 0x064A)
            return DUAL;
        return NONE;
    }
}

static bool is_mark(gunichar c)
{
    return g_unichar_type(c) == G_UNICODE_NON_SPACING_MARK;
}

/* The priority of a kashida between letters a and b (b final: nothing
 * joins it on its left), 1 (any join) to 6; 0 where none may go. */
static int priority(gunichar a, gunichar b, bool final)
{
    if (joining(a) != DUAL || joining(b) == NONE)
        return 0;
    if (a == 0x0644 && (b == 0x0622 || b == 0x0623 || b == 0x0625 || b == 0x0627 || b == 0x0671))
        return 0; /* lam-alef: a ligature */
    if (a >= 0x0633 && a <= 0x0636)
        return 6; /* after Seen, Sheen, Sad, Dad */
    if (final && (b == 0x0647 || b == 0x0629 || b == 0x062F || b == 0x0630 || b == 0x06C1))
        return 5; /* before a final Heh, Teh Marbuta, Dal, Thal */
    if (final && (b == 0x0627 || b == 0x0623 || b == 0x0625 || b == 0x0622 || b == 0x0637 || b == 0x0638 ||
                  b == 0x0644 || b == 0x0643 || b == 0x06A9 || b == 0x06AF))
        return 4; /* before a final Alef, Tah, Zah, Lam, Kaf, Gaf */
    if ((b == 0x0631 || b == 0x0632 || b == 0x0698) &&
        (a == 0x0628 || a == 0x062A || a == 0x062B || a == 0x067E || a == 0x0646 || a == 0x064A || a == 0x0626 ||
         a == 0x06CC))
        return 3; /* Beh-Reh */
    if (final)
        return 2; /* before another final letter */
    return 1;
}

/* The glyph of a run where a kashida after the letter at byte `a` (of
 * text) goes, before the letter at byte `b`: the first glyph (in visual
 * order, right to left runs having their glyphs left to right) of a's
 * cluster, right after the last of b's; -1 when the two share a cluster
 * or either glyph sits off the baseline. */
static int join_glyph(const PangoGlyphItem *g, int a, int b)
{
    const PangoGlyphString *gs = g->glyphs;
    int ra = a - g->item->offset, rb = b - g->item->offset;
    for (int j = 1; j < gs->num_glyphs; j++) {
        if (gs->log_clusters[j] != ra || gs->log_clusters[j - 1] != rb)
            continue;
        if (gs->glyphs[j].geometry.y_offset != 0 || gs->glyphs[j - 1].geometry.y_offset != 0)
            return -1;
        return j;
    }
    return -1;
}

/* A tatweel in the run's font: its glyph and advance (Pango units); false
 * when the font has none. */
static bool tatweel(const PangoItem *item, PangoGlyph *glyph, int *width)
{
    PangoGlyphString *g = pango_glyph_string_new();
    pango_shape("\xD9\x80", 2, &item->analysis, g);
    bool ok = g->num_glyphs == 1 && !(g->glyphs[0].glyph & PANGO_GLYPH_UNKNOWN_FLAG) &&
              g->glyphs[0].geometry.width > 0;
    if (ok) {
        *glyph = g->glyphs[0].glyph;
        *width = g->glyphs[0].geometry.width;
    }
    pango_glyph_string_free(g);
    return ok;
}

static bool kashida_run(const PangoItem *item)
{
    return (item->analysis.level & 1) && (GUnicodeScript)item->analysis.script == G_UNICODE_SCRIPT_ARABIC;
}

/* The places in one right-to-left Arabic run, as kashida_places says. */
static void run_places(const PangoGlyphItem *g, const char *text, unsigned char *kp, double *kw)
{
    PangoGlyph tg;
    int tw;
    if (!kashida_run(g->item) || !tatweel(g->item, &tg, &tw))
        return;
    const char *p = text + g->item->offset, *end = p + g->item->length;
    while (p < end) {
        /* a word: its letters (bytes), marks skipped */
        int at[64], n = 0;
        for (; p < end; p = g_utf8_next_char(p)) {
            gunichar c = g_utf8_get_char(p);
            if (is_mark(c))
                continue;
            if (joining(c) == NONE && c != 0x0621)
                break;
            if (n < 64)
                at[n++] = (int)(p - text);
        }
        if (p < end)
            p = g_utf8_next_char(p);
        int best = 0, where = -1;
        for (int i = 0; i + 1 < n; i++) {
            gunichar a = g_utf8_get_char(text + at[i]), b = g_utf8_get_char(text + at[i + 1]);
            bool final = i + 2 >= n || joining(b) != DUAL || joining(g_utf8_get_char(text + at[i + 2])) == NONE;
            int pr = priority(a, b, final);
            if (pr > 0 && pr >= best && join_glyph(g, at[i], at[i + 1]) >= 0) {
                best = pr;
                where = i;
            }
        }
        if (where >= 0) {
            kp[at[where]] = (unsigned char)best;
            kw[at[where]] = PT(tw);
        }
    }
}

void pr_kashida_places(PangoGlyphItem *const *runs, int nruns, const char *text, unsigned char *kp, double *kw)
{
    for (int k = 0; k < nruns; k++)
        run_places(runs[k], text, kp, kw);
}

/* A kashida place in a line: its run, glyph, priority, the tatweel's
 * glyph and advance there, and how many go in. */
struct place {
    int run, glyph, prio;
    PangoGlyph tg;
    int tw, n;
};

static int by_priority(const void *x, const void *y)
{
    const struct place *a = x, *b = y;
    if (a->prio != b->prio)
        return b->prio - a->prio;
    return a->run != b->run ? a->run - b->run : a->glyph - b->glyph;
}

/* Last run and glyph first. */
static int backwards(const void *x, const void *y)
{
    const struct place *a = x, *b = y;
    return a->run != b->run ? b->run - a->run : b->glyph - a->glyph;
}

/* Put n tatweels (glyph tg, tw wide) into run g before glyph j. */
static void insert(PangoGlyphItem *g, int j, int n, PangoGlyph tg, int tw)
{
    PangoGlyphString *gs = g->glyphs;
    int old = gs->num_glyphs, cl = gs->log_clusters[j];
    pango_glyph_string_set_size(gs, old + n);
    memmove(gs->glyphs + j + n, gs->glyphs + j, (size_t)(old - j) * sizeof *gs->glyphs);
    memmove(gs->log_clusters + j + n, gs->log_clusters + j, (size_t)(old - j) * sizeof *gs->log_clusters);
    for (int i = j; i < j + n; i++) {
        memset(&gs->glyphs[i], 0, sizeof gs->glyphs[i]);
        gs->glyphs[i].glyph = tg;
        gs->glyphs[i].geometry.width = tw;
        gs->glyphs[i].attr.is_cluster_start = i == j;
        gs->log_clusters[i] = cl;
    }
    gs->glyphs[j + n].attr.is_cluster_start = 0;
}

int pr_kashida_set(struct pr_tline *tl, const char *text, const unsigned char *kp, double avail)
{
    long natural = 0, spaces = 0;
    struct place *pl = NULL;
    int np = 0, cap = 0;
    for (int k = 0; k < tl->nruns; k++) {
        const PangoGlyphItem *g = tl->runs[k].gi;
        const PangoGlyphString *gs = g->glyphs;
        for (int i = 0; i < gs->num_glyphs; i++) {
            natural += gs->glyphs[i].geometry.width;
            if (pr_space_at(text + g->item->offset + gs->log_clusters[i]))
                spaces += gs->glyphs[i].geometry.width;
        }
        PangoGlyph t;
        int tw;
        if (tl->runs[k].hyphen || !kashida_run(g->item) || !tatweel(g->item, &t, &tw))
            continue;
        const char *p = text + g->item->offset, *end = p + g->item->length;
        for (; p < end; p = g_utf8_next_char(p)) {
            int a = (int)(p - text);
            if (!kp[a])
                continue;
            /* the next letter, marks skipped */
            const char *q = g_utf8_next_char(p);
            while (q < end && is_mark(g_utf8_get_char(q)))
                q = g_utf8_next_char(q);
            int j = q < end ? join_glyph(g, a, (int)(q - text)) : -1;
            if (j < 0)
                continue;
            if (np == cap) {
                cap = cap ? cap * 2 : 16;
                pl = pr_xrealloc(pl, (size_t)cap * sizeof *pl);
            }
            pl[np++] = (struct place){k, j, kp[a], t, tw, 0};
        }
    }
    /* the kashidas' share of what the line lacks: the word spaces take it
     * first, up to SPACES_FIRST of their width, then the kashidas, up to
     * their limit, then the spaces again (the composer counted both
     * together, linebreak.h: the line's spaces come out no wider than it
     * reckoned, but a line a little short is spaced, not elongated: fewer
     * kashidas, each in a line that needs it) */
    double lack = avail * PANGO_SCALE - natural - SPACES_FIRST * spaces, most = 0;
    for (int i = 0; i < np; i++)
        most += PR_KASHIDA_MAX * (double)pl[i].tw;
    double want = lack <= 0 || most <= 0 ? 0 : fmin(lack, most);
    int added = 0;
    if (want > 0) {
        /* a tatweel at a time, the highest priorities first, while at least
         * half a tatweel is wanted */
        qsort(pl, (size_t)np, sizeof *pl, by_priority);
        for (int round = 0; round < PR_KASHIDA_MAX; round++)
            for (int i = 0; i < np && want >= pl[i].tw / 2.0; i++) {
                pl[i].n++;
                want -= pl[i].tw;
                added++;
            }
        /* into the runs from the last glyph back, so that the places
         * still to come keep their indices */
        qsort(pl, (size_t)np, sizeof *pl, backwards);
        for (int i = 0; i < np; i++)
            if (pl[i].n > 0)
                insert(tl->runs[pl[i].run].gi, pl[i].glyph, pl[i].n, pl[i].tg, pl[i].tw);
    }
    free(pl);
    tl->kashidas = added;
    return added;
}

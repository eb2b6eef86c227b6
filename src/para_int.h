/* para_int.h - what the stages of setting a paragraph share, and no one
 * else: para.c (text builder, entry points), parabreak.c (Pango's breaker),
 * compose.c (the total-fit composer), and below them paralayout.c (the text
 * as a Pango layout) and lineset.c (a line's runs and spacing). The
 * paragraph they set is a struct pr_text (text.h). */
#ifndef PR_PARA_INT_H
#define PR_PARA_INT_H
#include "typeset.h"
#include <math.h>

#define PU(x) ((int)lround((x) * PANGO_SCALE))
#define PT(x) ((double)(x) / PANGO_SCALE)
/* g_utf8_strlen (s, n) of valid UTF-8: the characters that start in
 * s[0, n) before a NUL (a call and a table lookup a character less) */
static inline int pr_utf8_chars(const char *s, int n)
{
    int c = 0;
    for (int i = 0; i < n && s[i]; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}
/* a soft hyphen (U+00AD, C2 AD) at byte i of s */
#define SHY_AT(s, i) ((unsigned char)(s)[i] == 0xC2 && (unsigned char)(s)[(i) + 1] == 0xAD)

/* paralayout.c: a layout of t->str [start, end) with the text's
 * attributes, unwrapped, its direction from the text. */
PangoLayout *pr_para_layout(struct pr_typeset *ts, const struct pr_text *t, const struct pr_textopts *o,
                            int start, int end);

/* paralayout.c: the whole of t->str shaped as one unwrapped line: the runs
 * (in logical order) and break attributes a layout of it has (the layout's
 * own, or made as it would make them, without one). */
struct pr_shaped {
    PangoGlyphItem **run;
    int n;
    const PangoLogAttr *la; /* nla of them: one per character and one after */
    int nla;
    PangoLayout *layout;    /* the layout that owns the runs; NULL: they are ours */
    PangoLogAttr *own_la;
};
void pr_para_shape(struct pr_typeset *ts, const struct pr_text *t, const struct pr_textopts *o,
                   struct pr_shaped *sh);
void pr_para_shape_free(struct pr_shaped *sh);

/* breakattrs.c: pango_default_break (text, len bytes; nla = its
 * characters + 1) with the same attributes in every field, reading only
 * the first two letters of each run of ASCII letters. */
void pr_default_break(const char *text, int len, PangoLogAttr *la, int nla);
/* The same, the letters dropped however few (for tests/unit). */
void pr_default_break_dropping(const char *text, int len, PangoLogAttr *la, int nla);
/* paraitems.c: pango_itemize_with_base_dir (ts->ctx, dir, text, 0, len,
 * attrs, NULL) with the same items, reading only the first letter of each
 * run of ASCII letters and word spaces where the fonts allow. */
GList *pr_itemize(struct pr_typeset *ts, PangoDirection dir, const char *text, int len, PangoAttrList *attrs);
/* How many texts the thread has itemized shortened (for tests/unit). */
long pr_itemcache_shortened(const struct pr_itemcache *ic);
/* wordshape.c: a typesetting thread's shaped words (the cache of struct
 * pr_typeset.words; pr_wordcache_free in typeset.h). */
struct pr_wordcache *pr_wordcache_new(void);
/* Shape a left-to-right item of text (len bytes) as pango_shape_item()
 * does (la: the item's break attributes), its words from the cache where
 * its font allows. */
void pr_wordcache_shape(struct pr_wordcache *wc, PangoItem *item, const char *text, int len, PangoLogAttr *la,
                    PangoGlyphString *out, PangoShapeFlags flags);

/* compose.c: set t with the total-fit composer; false (and no lines) when
 * it is Pango's breaker's to set. */
bool pr_para_compose(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o);
/* parabreak.c: set t with Pango's breaker. */
void pr_para_break_pango(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o);

/* lineset.c: a line's runs and spacing. */
/* pango_glyph_item_get_logical_widths (run, text, cw), the same widths. */
void pr_run_logical_widths(const PangoGlyphItem *run, const char *text, int *cw);
/* Is there a word space (U+0020, U+00A0) at s? */
static inline bool pr_space_at(const char *s)
{
    return s[0] == ' ' || ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0);
}
/* May the letters of this run be spaced apart (and expanded)? */
bool pr_run_spaceable(const PangoItem *item);
/* Is this run's face bold or heavier (weight 600 and up)? */
bool pr_run_bold(const PangoItem *item);
/* How far a line's letter gaps may go (Pango units each): stretch and
 * shrink, and the same in bold faces (no more than those). */
struct pr_gaps {
    int stretch, shrink, bold_stretch, bold_shrink;
};
/* Add a run (owning gi) at the line's end. */
struct pr_trun *pr_tline_push_run(struct pr_tline *tl, PangoGlyphItem *gi, bool hyphen);
/* Place the runs left to right from 0; returns the advance, Pango units. */
long pr_tline_place_runs(struct pr_tline *tl);
void pr_tline_free_runs(struct pr_tline *tl);
/* Drop a text's lines (to set it again). */
void pr_para_clear_lines(struct pr_text *t);
/* Copy (and place) the runs of a line Pango set, their item offsets moved
 * by `off` from the layout's text to the text's str. */
void pr_tline_copy_runs(struct pr_tline *tl, PangoLayoutLine *line, int off);
/* The word spaces of a line: how many and their set / natural width. */
void pr_tline_spaces(const struct pr_tline *tl, const char *text, int *spaces, double *ratio);
/* Space a line to `avail` pt (see lineset.c), place its runs and record its
 * width and spacing figures. */
void pr_tline_fit(struct pr_tline *tl, const char *text, double avail, bool justify, const struct pr_gaps *gaps,
                  double ex_stretch, double ex_shrink, double em);
/* A line's ascent and descent from its fonts; false when it has no runs. */
bool pr_tline_extents(struct pr_tline *tl);

/* kashida.c: kashida (tatweel) elongation of justified Arabic. */
/* The most tatweels at one place (one place per word). */
#define PR_KASHIDA_MAX 2
/* Each word's kashida place in a paragraph's right-to-left Arabic runs
 * (its one shaping): kp[b] its priority (1-6) and kw[b] the tatweel's
 * width (pt) at the byte b of the letter it follows; left as they are
 * (0) elsewhere and where a run's font has no tatweel. */
void pr_kashida_places(PangoGlyphItem *const *runs, int nruns, const char *text, unsigned char *kp, double *kw);
/* Put tatweel glyphs into a line to be justified to `avail` pt, at the
 * places kp marks (and the line's own shaping allows): their share of what
 * the line lacks, as the composer counted it, the rest left to its word
 * spaces. The text is unchanged (each tatweel is in the cluster of the
 * letter before it). Returns the number of tatweels (also in
 * tl->kashidas). */
int pr_kashida_set(struct pr_tline *tl, const char *text, const unsigned char *kp, double avail);
#endif

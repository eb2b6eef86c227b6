/* lineset.c - typesetting: a line's glyph runs and their spacing. Keeps
 * runs in struct pr_tline (text.h), places them, counts word spaces and
 * spaces a line to its measure (word spaces, letter gaps, font expansion) or
 * measures its height, and frees a text's lines' glyphs. Called by
 * parabreak.c and compose.c as they set lines, by para.c and workers.c to
 * drop glyphs; reads and writes only the line or text it is given. */
#include "para_int.h"
#include <stdlib.h>

struct pr_trun *pr_tline_push_run(struct pr_tline *tl, PangoGlyphItem *gi, bool hyphen)
{
    tl->runs = pr_xrealloc(tl->runs, (size_t)(tl->nruns + 1) * sizeof *tl->runs);
    struct pr_trun *r = &tl->runs[tl->nruns++];
    r->gi = gi;
    r->x = 0;
    r->hyphen = hyphen;
    r->xscale = 1;
    r->gap = 0;
    r->unknown = false;
    for (int q = 0; q < gi->glyphs->num_glyphs && !r->unknown; q++)
        r->unknown = (gi->glyphs->glyphs[q].glyph & PANGO_GLYPH_UNKNOWN_FLAG) != 0;
    return r;
}

/* Pen positions of a line's runs, left to right from 0 (as Pango's
 * renderer places them); returns the line's advance in Pango units. */
long pr_tline_place_runs(struct pr_tline *tl)
{
    long x = 0;
    for (int i = 0; i < tl->nruns; i++) {
        PangoGlyphItem *g = tl->runs[i].gi;
        tl->runs[i].x = PT(x + g->start_x_offset);
        x += g->start_x_offset + pango_glyph_string_get_width(g->glyphs) + g->end_x_offset;
    }
    return x;
}

void pr_tline_free_runs(struct pr_tline *tl)
{
    for (int i = 0; i < tl->nruns; i++)
        pango_glyph_item_free(tl->runs[i].gi);
    free(tl->runs);
    tl->runs = NULL;
    tl->nruns = 0;
}

/* Free the glyphs of a text's lines, keeping their geometry. */
void pr_text_drop_glyphs(struct pr_text *t)
{
    for (int i = 0; i < t->nlines; i++)
        pr_tline_free_runs(&t->lines[i]);
}

/* Drop a text's lines (to set it again). */
void pr_para_clear_lines(struct pr_text *t)
{
    pr_text_drop_glyphs(t);
    t->nlines = 0;
}

/* Copy the runs of a line Pango set; `off` moves their item offsets from
 * the layout's text to the text's str. */
void pr_tline_copy_runs(struct pr_tline *tl, PangoLayoutLine *line, int off)
{
    for (GSList *r = line->runs; r; r = r->next) {
        PangoGlyphItem *g = pango_glyph_item_copy(r->data);
        g->item->offset += off;
        pr_tline_push_run(tl, g, false);
    }
    pr_tline_place_runs(tl);
}

/* Is glyph i of a run a word space with an advance? */
static bool space_glyph(const char *text, const struct pr_trun *r, int i)
{
    const PangoGlyphString *gs = r->gi->glyphs;
    return !r->hyphen && gs->glyphs[i].geometry.width > 0 && !(gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG) &&
           pr_space_at(text + r->gi->item->offset + gs->log_clusters[i]);
}

/* The word spaces of a line Pango set: how many, and the ratio of their set
 * width to their natural width (the font's advance for the space glyph). */
void pr_tline_spaces(const struct pr_tline *tl, const char *text, int *spaces, double *ratio)
{
    double set = 0, natural = 0;
    *spaces = 0;
    for (int k = 0; k < tl->nruns; k++) {
        const PangoGlyphItem *run = tl->runs[k].gi;
        const PangoGlyphString *gs = run->glyphs;
        for (int i = 0; i < gs->num_glyphs; i++) {
            if (!space_glyph(text, &tl->runs[k], i))
                continue;
            PangoRectangle logical;
            pango_font_get_glyph_extents(run->item->analysis.font, gs->glyphs[i].glyph, NULL, &logical);
            if (logical.width <= 0)
                continue;
            (*spaces)++;
            set += gs->glyphs[i].geometry.width;
            natural += logical.width;
        }
    }
    *ratio = natural > 0 ? set / natural : 1;
}

/* May the letters of this run be spaced apart? Not in right-to-left runs
 * nor in scripts whose letters join or hang from a line (Arabic, Devanagari
 * and the like): only where letters stand alone. */
bool pr_run_spaceable(const PangoItem *item)
{
    if (item->analysis.level & 1)
        return false;
    switch ((GUnicodeScript)item->analysis.script) {
    case G_UNICODE_SCRIPT_LATIN: case G_UNICODE_SCRIPT_GREEK: case G_UNICODE_SCRIPT_CYRILLIC:
    case G_UNICODE_SCRIPT_ARMENIAN: case G_UNICODE_SCRIPT_GEORGIAN: case G_UNICODE_SCRIPT_COMMON:
    case G_UNICODE_SCRIPT_INHERITED:
        return true;
    default:
        return false;
    }
}

/* pango_glyph_item_get_logical_widths (Pango 1.50, pango-glyph-item.c),
 * the same widths without its cluster iterator's calls, for a left-to-right
 * run: each cluster (its glyphs up to the next greater cluster start)
 * shares its glyphs' width among its characters, the remainder of the
 * division to the first. (A paragraph's widths were 2 % of a build's
 * instructions, most of them the iterator's.) */
void pr_run_logical_widths(const PangoGlyphItem *run, const char *text, int *cw)
{
    const PangoItem *item = run->item;
    if (item->analysis.level % 2) {
        pango_glyph_item_get_logical_widths((PangoGlyphItem *)run, text, cw);
        return;
    }
    const PangoGlyphString *gs = run->glyphs;
    int n = gs->num_glyphs, end_char = 0, end_index = item->offset;
    for (int g = 0; g < n;) {
        int start_glyph = g, start_char = end_char, start_index = end_index, cluster = gs->log_clusters[g];
        do
            g++;
        while (g < n && gs->log_clusters[g] <= cluster);
        if (g == n) {
            end_index = item->offset + item->length;
            end_char = item->num_chars;
        } else {
            end_index = item->offset + gs->log_clusters[g];
            /* (Pango's count: the characters that start there, up to a NUL) */
            end_char += pr_utf8_chars(text + start_index, end_index - start_index);
        }
        int width = 0;
        for (int k = start_glyph; k < g; k++)
            width += gs->glyphs[k].geometry.width;
        int num = end_char - start_char;
        if (num) {
            int each = width / num;
            for (int c = start_char; c < end_char; c++)
                cw[c] = each;
            cw[start_char] += width - each * num;
        }
    }
}

bool pr_run_bold(const PangoItem *item)
{
    if (!item->analysis.font)
        return false;
    PangoFontDescription *d = pango_font_describe(item->analysis.font);
    bool bold = pango_font_description_get_weight(d) >= PANGO_WEIGHT_SEMIBOLD;
    pango_font_description_free(d);
    return bold;
}

/* The letter gaps of a line: places between two glyph clusters with an
 * advance, with no word space between them (across runs too, never after
 * the line's last glyph, never inside a cluster, so ligatures stay whole).
 * A gap opens by widening the last glyph of the cluster before it, so
 * marks keep their place on their base; it is a bold face's when that
 * cluster is. Adds `delta` Pango units to each gap (`bdelta` to a bold
 * face's), records in each run that may be spaced the gap its letters
 * get (pr_trun.gap), and returns how many gaps there are, *bold of them
 * in bold faces. */
static int letter_gaps(struct pr_tline *tl, const char *text, int delta, int bdelta, int *bold)
{
    PangoGlyphGeometry *before = NULL; /* last glyph of the cluster before a possible gap */
    bool in_letter = false;            /* the glyph just seen belongs to a cluster with an advance */
    bool before_bold = false, run_bold = false;
    int gaps = 0;
    *bold = 0;
    for (int k = 0; k < tl->nruns; k++) {
        struct pr_trun *r = &tl->runs[k];
        PangoGlyphString *gs = r->gi->glyphs;
        if (!pr_run_spaceable(r->gi->item)) {
            before = NULL;
            in_letter = false;
            continue;
        }
        run_bold = pr_run_bold(r->gi->item);
        r->gap = run_bold ? bdelta : delta;
        for (int i = 0; i < gs->num_glyphs; i++) {
            PangoGlyphGeometry *g = &gs->glyphs[i].geometry;
            bool start = i == 0 || gs->log_clusters[i] != gs->log_clusters[i - 1];
            const char *c = text + r->gi->item->offset + gs->log_clusters[i];
            if (!r->hyphen && (pr_space_at(c) || *c == '\n')) {
                before = NULL;
                in_letter = false;
            } else if (start && g->width > 0) {
                if (before) {
                    gaps++;
                    *bold += before_bold;
                    before->width += before_bold ? bdelta : delta;
                }
                before = g;
                before_bold = run_bold;
                in_letter = true;
            } else if (start)
                in_letter = false; /* a cluster without advance (a soft hyphen): no gap of its own */
            else if (in_letter) {
                before = g;
                before_bold = run_bold;
            }
        }
    }
    return gaps;
}

/* Widen (f > 1) or narrow the glyphs of a line's expandable runs by f:
 * their advances here (word spaces keep theirs), their shapes when painted
 * (pr_trun.xscale). */
static void expand_runs(struct pr_tline *tl, const char *text, double f)
{
    for (int k = 0; k < tl->nruns; k++) {
        struct pr_trun *r = &tl->runs[k];
        if (!pr_run_spaceable(r->gi->item))
            continue;
        PangoGlyphString *gs = r->gi->glyphs;
        for (int i = 0; i < gs->num_glyphs; i++) {
            if (space_glyph(text, r, i))
                continue;
            gs->glyphs[i].geometry.width = (int)lround(gs->glyphs[i].geometry.width * f);
            gs->glyphs[i].geometry.x_offset = (int)lround(gs->glyphs[i].geometry.x_offset * f);
        }
        r->xscale = f;
    }
}

/* The width of the glyphs expansion would scale (not word spaces). */
static long expandable(const struct pr_tline *tl, const char *text)
{
    long x = 0;
    for (int k = 0; k < tl->nruns; k++) {
        const struct pr_trun *r = &tl->runs[k];
        if (!pr_run_spaceable(r->gi->item))
            continue;
        for (int i = 0; i < r->gi->glyphs->num_glyphs; i++)
            if (!space_glyph(text, r, i))
                x += r->gi->glyphs->glyphs[i].geometry.width;
    }
    return x;
}

/* Space a line out (or in) so that it is `avail` wide when `justify` (or
 * when it is too long), keeping every glyph as Pango shaped it and changing
 * only advances: as the composer assumed (linebreak.h), for a ratio r the
 * word spaces grow by r times half their width (shrink: a third) and each
 * letter gap by r times gap_stretch (gap_shrink) Pango units, the letters
 * up to |r| = 1 only; the spaces take whatever is left. Places the runs
 * and records the line's width and spacing figures. */
void pr_tline_fit(struct pr_tline *tl, const char *text, double avail, bool justify, const struct pr_gaps *lg,
                  double ex_stretch, double ex_shrink, double em)
{
    long natural = 0, space_pu = 0;
    int spaces = 0;
    for (int k = 0; k < tl->nruns; k++) {
        const PangoGlyphItem *g = tl->runs[k].gi;
        natural += g->start_x_offset + g->end_x_offset;
        for (int i = 0; i < g->glyphs->num_glyphs; i++) {
            natural += g->glyphs->glyphs[i].geometry.width;
            if (space_glyph(text, &tl->runs[k], i)) {
                space_pu += g->glyphs->glyphs[i].geometry.width;
                spaces++;
            }
        }
    }
    double target = avail * PANGO_SCALE, q = 1;
    int letter = 0;
    tl->expansion = 0;
    if (space_pu > 0 && (justify || natural > target)) {
        double d = target - natural;
        int bgaps = 0;
        int gaps = letter_gaps(tl, text, 0, 0, &bgaps);
        int gap = d > 0 ? lg->stretch : lg->shrink, bgap = d > 0 ? lg->bold_stretch : lg->bold_shrink;
        double ex = d > 0 ? ex_stretch : ex_shrink;
        long xw = ex > 0 ? expandable(tl, text) : 0;
        double y = (d > 0 ? space_pu / 2.0 : space_pu / 3.0) + (double)(gaps - bgaps) * gap + (double)bgaps * bgap +
                   (double)xw * ex;
        double r = fmax(-1, fmin(1, d / y));
        if (xw > 0) {
            /* the glyphs first, in steps of 0.005 of their width (as
             * microtype's font expansion): few distinct widths per font */
            double e = round(r * ex / 0.005) * 0.005;
            if (e != 0) {
                expand_runs(tl, text, 1 + e);
                d -= (double)(expandable(tl, text) - xw);
                tl->expansion = e;
            }
        }
        if (gaps > 0 && (gap > 0 || bgap > 0)) {
            int plain = (int)lround(r * gap), bold = (int)lround(r * bgap);
            if (plain != 0 || bold != 0)
                letter_gaps(tl, text, plain, bold, &bgaps);
            d -= (double)(gaps - bgaps) * plain + (double)bgaps * bold;
            /* the widest either way the line's gaps were spaced */
            letter = gaps > bgaps && (bgaps == 0 || abs(plain) >= abs(bold)) ? plain : bold;
        }
        q = fmax(0, 1 + d / space_pu);
    }
    if (q != 1) {
        /* spread the rounding so the line is exactly as wide as asked */
        double want = 0;
        long given = 0;
        for (int k = 0; k < tl->nruns; k++) {
            PangoGlyphString *gs = tl->runs[k].gi->glyphs;
            for (int i = 0; i < gs->num_glyphs; i++) {
                if (!space_glyph(text, &tl->runs[k], i))
                    continue;
                PangoGlyphGeometry *g = &gs->glyphs[i].geometry;
                want += g->width * q;
                int nw = (int)(lround(want) - given);
                given += nw;
                g->width = nw;
            }
        }
    }
    long set = pr_tline_place_runs(tl);
    tl->width = PT(set);
    tl->measure = avail;
    tl->overflow = set - target > PU(0.5) ? PT(set - target) : 0;
    tl->justified = justify;
    tl->spaces = spaces;
    tl->space_ratio = spaces ? q : 1;
    tl->letter_space = PT(letter);
    tl->em = em;
}

/* A line's ascent and descent from its fonts' metrics (as Pango measures a
 * line: a run's logical box, moved by its rise); false when it has no runs. */
bool pr_tline_extents(struct pr_tline *tl)
{
    double asc = 0, desc = 0;
    for (int k = 0; k < tl->nruns; k++) {
        const PangoGlyphItem *g = tl->runs[k].gi;
        PangoRectangle lg;
        pango_font_get_glyph_extents(g->item->analysis.font, PANGO_GLYPH_EMPTY, NULL, &lg);
        asc = fmax(asc, PT(-lg.y + g->y_offset));
        desc = fmax(desc, PT(lg.y + lg.height - g->y_offset));
    }
    tl->ascent = asc;
    tl->descent = desc;
    return tl->nruns > 0;
}

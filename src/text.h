/* text.h - typeset text, read only: a paragraph's string, style spans and
 * lines of shaped glyph runs (struct pr_text), written by para.c and its
 * stages (typeset.h's pr_text_inlines) and read by pages.c and toc.c
 * (placing lines), paint.c and out_proof.c (drawing them), stats.c and the
 * shape cache. Its accessors are in text.c; painting a line in paint.c. */
#ifndef PR_TEXT_H
#define PR_TEXT_H
#include <pango/pangocairo.h>
#include "book.h"

struct pr_arena;

enum pr_span_kind { PR_SPAN_ITALIC, PR_SPAN_BOLD, PR_SPAN_MONO, PR_SPAN_SUPER,
                    PR_SPAN_LINK, PR_SPAN_LANG, PR_SPAN_NOTEREF,
                    PR_SPAN_STRIKE,   /* struck through (paint.c draws the rule) */
                    PR_SPAN_FIELD,    /* a fill-in field: underscores, ruled on the baseline */
                    PR_SPAN_FIGURES,  /* tabular lining figures (OpenType tnum, lnum) */
};

struct pr_span {
    int start, end;              /* byte range in the text */
    enum pr_span_kind kind;
    const char *arg;             /* LINK: uri or "#dest"; LANG: tag; NOTEREF: dest */
    double rule_y, rule_h;       /* STRIKE, FIELD: the rule's centre below the baseline (negative:
                                    above) and its thickness, pt, from the font's metrics */
};

/* One run of shaped glyphs in a line, left to right. The glyph item is
 * cut from the paragraph's single shaping (or copied from Pango's line
 * when Pango broke the paragraph); its item offsets index the text's str. */
struct pr_trun {
    PangoGlyphItem *gi;          /* owned */
    double x;                    /* pen position from the line's x, pt */
    bool hyphen;                 /* the hyphen shown at a break (not in str) */
    double xscale;               /* glyphs drawn this much wider (font expansion; 1: as shaped) */
    int gap;                     /* Pango units added after each letter that has one after it
                                    (letter spacing, pr_tline_fit; 0: none): the PDF's Tc */
    bool unknown;                /* a glyph the font lacks (Pango draws its box): readied before
                                    painting in a thread (paint.c) */
};

struct pr_tline {
    struct pr_trun *runs;        /* owned */
    int nruns;
    double x;                    /* left edge of the line's ink box from the text's left */
    double width;                /* logical width */
    double measure;              /* the width it was set to, pt */
    double ascent, descent;      /* from the baseline, pt */
    int start, len;              /* bytes in str */
    bool hyphenated;             /* ends at a soft hyphen */
    double overflow;             /* how far it runs past the measure, pt (0: fits) */
    /* figures for --stats (stats.c) */
    bool justified;              /* spaced out (or in) to the full measure */
    int spaces;                  /* word spaces (U+0020, U+00A0) in the line */
    double space_ratio;          /* set / natural width of those spaces (1 when none) */
    double letter_space;         /* pt added to each letter gap (negative: taken); total-fit only */
    double expansion;            /* glyph widths scaled by 1 + this (font expansion); total-fit only */
    double em;                   /* the paragraph's font size, pt (0: not composed) */
    int kashidas;                /* tatweel glyphs put in to justify it (Arabic; kashida.c) */
    int missing;                 /* glyphs no bundled font has */
};

/* Word spaces wider than this times their natural width make a loose line
 * (the contract's figure: --stats counts them, the fitter mends them). */
#define PR_LOOSE_SPACES 1.5

struct pr_text {
    char *str;                   /* the whole text (with soft hyphens), malloc'd */
    int len;
    struct pr_tline *lines;
    int nlines;
    struct pr_span *spans;
    int nspans;
    double width, leading;
    struct pr_color color;
    const char *link_dest;
    bool justify;                /* set justified */
    bool tracked;                /* letter-spaced by its font (labels, running heads): painted
                                    a word to a cluster, so that each word extracts whole */
    bool total_fit;              /* broken by the total-fit composer, not Pango's breaker */
};

/* text.c: the UTF-8 text of one line without soft hyphens, in the arena. */
const char *pr_text_preview(struct pr_arena *a, const struct pr_text *t, int line);
/* Ink extents of a single-line text (for drop caps): top and bottom of the
 * ink from the baseline (top negative), left bearing and ink width. */
void pr_text_ink(const struct pr_text *t, double *top, double *bottom, double *left, double *width);
/* The horizontal extents, from the line's x, of the glyphs of `line` that
 * set bytes [s, e) of the text: up to `max` ranges (x0, x1 pairs, left to
 * right; several when a right-to-left run splits them). Returns how many. */
int pr_text_x_ranges(const struct pr_text *t, int line, int s, int e, double *x, int max);
/* The same for the part of span sp on `line` (0: none of it is there). */
int pr_text_span_x_ranges(const struct pr_text *t, int line, const struct pr_span *sp, double *x, int max);

/* text.c: the end (a glyph index) of the cluster of glyph string gs that
 * begins at glyph i, for the text a PDF reads: Pango's cluster or, with
 * `words` (letter-spaced text, read as whole words), the glyphs up to the
 * next space or, from a space, the next non-space; item_text is the run's
 * item's text. paint.c and pdftext.c. */
int pr_run_cluster_end(const PangoGlyphString *gs, const char *item_text, int i, bool words);
/* text.c: the text a PDF reads for the cluster of bytes [start, end) of
 * an item's text, into out (room for end - start bytes; returns how many):
 * soft hyphens (our hyphenation's break points) left out, but for one that
 * is the whole cluster and `shown` (Pango shows it at a line's end: it
 * stays the text of its hyphen). paint.c and pdftext.c. */
int pr_cluster_text(const char *item_text, int start, int end, bool shown, char *out);

/* paint.c: before back ends paint boxes in several threads at once: create
 * what Pango makes lazily on a font's first use (its cairo font, the
 * missing-glyph box) for the texts of these boxes, so that painting only
 * reads shared fonts. */
void pr_typeset_prepare_paint(const struct pr_box *boxes, int n);
/* The same for every line of these texts: a batch's galleys, set by the
 * typesetting threads, before those go on to the next batch (with the
 * same fonts) while this one is made into pages and painted. */
void pr_typeset_prepare_texts(struct pr_text *const *texts, int n);
/* Paint one LINE of typeset text with its baseline at (x + line x, y),
 * with the rules of its struck text and fill-in fields. */
void pr_text_paint_line(cairo_t *cr, const struct pr_text *t, int line, double x, double y);
#endif

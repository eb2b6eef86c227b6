/* linebreak.h - the total-fit line breaker (Knuth & Plass 1981) over an
 * abstract paragraph of boxes, glue and penalties. Pure arithmetic, no
 * Pango: para.c builds the list from Pango's measurements and sets the
 * lines it chooses; tests/unit/test_linebreak.c builds lists by hand. */
#ifndef PR_LINEBREAK_H
#define PR_LINEBREAK_H
#include <stdbool.h>

/* A penalty at least this high forbids a break; at most minus this forces one. */
#define PR_LB_INF 10000.0

enum pr_lb_kind { PR_LB_BOX, PR_LB_GLUE, PR_LB_PENALTY };

struct pr_lb_node {
    enum pr_lb_kind kind;
    double width;               /* pt; a PENALTY's width is added only when a line ends there (a hyphen) */
    /* GLUE: the space's stretch and shrink, pt. BOX: its letter gaps'
     * (letter spacing), which count only up to |r| = 1: beyond that a
     * line's glue alone stretches further (letters have a hard limit, as
     * InDesign's maximum letter spacing), and a line without glue gets
     * no stretch from its letters */
    double stretch, shrink;
    double penalty;             /* PENALTY */
    bool flagged;               /* PENALTY: a hyphen; consecutive ones cost extra demerits */
    bool nobreak;               /* GLUE: not a legal breakpoint (a tie, the last line's fill) */
    /* optical margins: when a line ends at this node, its last glyph may
     * protrude this far past the measure (hang_end); the line after it may
     * start this far before the measure (hang_start) */
    double hang_end, hang_start;
};

struct pr_lb_params {
    double tolerance;               /* largest adjustment ratio in the first pass */
    double line_penalty;            /* added to every line's badness (TeX: 10) */
    double double_hyphen_demerits;  /* two hyphenated lines in a row (TeX: 10000) */
    double final_hyphen_demerits;   /* the second last line hyphenated (TeX: 5000) */
    double adj_demerits;            /* neighbours in fitness classes not adjacent (TeX: 10000) */
    const double *widths;           /* line i is widths[min(i, nwidths - 1)] pt long */
    int nwidths;
    double hang_first;              /* the first line may start this far before the measure */
    int plain_lines;                /* lines [0, plain_lines) never start before it (beside a drop cap) */
    double emergency_stretch;       /* second pass: stretch added to every line (TeX's \emergencystretch) */
    int max_hyphen_run;             /* at most this many hyphenated lines in a row; 0: no limit */
    double short_last_line;         /* a last line narrower than this (pt) is a runt ... */
    double runt_demerits;           /* ... and costs this much extra */
    double loose_demerits;          /* a line whose glue stretches past r = 1 (TeX's very loose class) costs this much extra */
    /* second pass only: a line's word spaces may shrink further than r = -1
     * by this fraction of their shrink (0.2: to 0.6 of their width,
     * the letters at their limit), at the cost of
     * half loose_demerits (tight shows less than loose), rather than be
     * loose or overfull; and the second pass also runs for a paragraph
     * whose first pass has lines past r = 1, its breaks taken when they
     * have fewer such lines, a line past r = -1 counting half. 0: TeX's
     * behaviour */
    double emergency_shrink;
    /* TeX's \looseness: 0 takes the breaks with the least demerits; -1 / +1
     * (or more) asks for that many lines fewer / more. Among the first
     * pass's breakings (every line within tolerance) the one whose line
     * count is closest to the optimum's plus looseness, ties to the fewest
     * demerits, and never one with more lines past r = 1 than the optimum
     * has, nor a runt last line (short_last_line) where it has none; the
     * final (emergency) pass ignores it. */
    int looseness;
    /* Ragged lines (unjustified: flush left, right or centred), as TeX's
     * ragged right with a finite \rightskip stretch done well: word spaces
     * and letters keep their widths (glue and box stretch and shrink are
     * not used), and a line `ragged` pt short of its measure has r = 1, so
     * its badness is 100 (shortfall / ragged)^3 and tolerance bounds the
     * shortfall. A paragraph's last line and a line before a forced break
     * are free. 0: justified. */
    double ragged;
    /* ragged only: a line whose shortfall differs from the line before's
     * by more than half the rag zone (`ragged`) costs rag_demerits times
     * the excess squared, in rag zones (no line much shorter than its
     * neighbours); a third line in a stair-step (each of the three a
     * quarter zone or more shorter, or longer, than the one before) costs
     * stair_demerits */
    double rag_demerits, stair_demerits;
};

struct pr_lb_line {
    int end;                    /* index of the node the line ends at */
    double ratio;               /* adjustment ratio r: glue and boxes set at natural + r * stretch
                                   (r < 0: shrink); for r > 1 boxes at +stretch, glue at
                                   natural + r' * stretch where r' takes up the rest */
    bool overfull;              /* wider than its glue can shrink (a box wider than the line) */
};

/* TeX's defaults for the demerits; tolerance, widths and hangs are the caller's. */
struct pr_lb_params pr_linebreak_defaults(void);

/* Break the paragraph nodes[0..n) into lines with the least total demerits.
 * The list should end as TeX's does: a glue with (nearly) infinite stretch
 * marked nobreak, then a penalty of -PR_LB_INF. First pass: only lines whose
 * ratio lies in [-1, tolerance]. If none is possible (*emergency is set), a
 * second pass rates every line as if it had emergency_stretch more stretch
 * and takes any stretch, lines down to -1 - emergency_shrink, and where a
 * box is wider than the line, an overfull line (ratio < -1). With
 * emergency_shrink, the second pass also runs when the first pass's breaks
 * hold lines past r = 1 (*emergency is set when its breaks are taken),
 * unless the paragraph is huge (more than 20,000 nodes). The ratios returned are always the lines' own,
 * without the emergency stretch. Returns the number of lines and a malloc'd
 * array in *out (the caller frees it); 0 and NULL when n is 0. */
int pr_linebreak_run(const struct pr_lb_node *nodes, int n, const struct pr_lb_params *p,
                     struct pr_lb_line **out, bool *emergency);
#endif

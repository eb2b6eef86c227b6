/* pages.h - the page stage's own interface, between its files: galleys
 * (galley.c), the threads that set them (workers.c), page furniture
 * (furniture.c) and the run loop that makes the book (pages.c). Nothing
 * outside the typesetter includes it; build.c calls pr_pages_run
 * (typeset.h). */
#ifndef PR_PAGES_H
#define PR_PAGES_H
#include "typeset.h"

/* ---------- galleys (galley.c) ---------- */

/* para.c's pr_text_plain and pr_text_inlines allocate in ts->b->arena and
 * list every text they make in ts->texts, for whoever frees them. While a
 * galley is set or made into pages, both must be the galley's, so that
 * everything made for it goes with it: pr_galley_redirect_alloc points
 * them at the galley's arena (made on first use) and text list, and
 * returns the build's; pr_galley_restore_alloc hands the galley its texts
 * and points ts back at the build's. */
struct pr_ts_alloc {
    struct pr_arena *arena;
    struct pr_text **texts;
    int ntexts, texts_cap;
};
struct pr_ts_alloc pr_galley_redirect_alloc(struct pr_typeset *ts, struct pr_galley *g);
void pr_galley_restore_alloc(struct pr_typeset *ts, struct pr_galley *g, struct pr_ts_alloc build);
/* Set a galley: its opener and its body flowed into columns (g->opener,
 * g->items, g->place, g->npages), in the galley's arena. Call between
 * redirect and restore. */
void pr_galley_set(struct pr_typeset *ts, struct pr_galley *g);
/* Flow a galley's items into its frame again (g->place, g->npages), after
 * its items changed (a chain joined, the fitter's levers). */
void pr_galley_flow(struct pr_galley *g);
/* The fitter's levers (call between redirect and restore, then flow
 * again): the opener set again with the lead image at image_scale times
 * its height; a pull quote of `text` inserted as item `at`; a filler or
 * fractional ad (h: an ad's height; a Markdown filler takes what its text
 * needs) as a float at the end, returning its height (0: nothing). */
bool pr_galley_has_image(const struct pr_galley *g);
void pr_galley_reopen(struct pr_typeset *ts, struct pr_galley *g, double image_scale);
/* The opener moved to stand `sink` points lower than set (white space above it). */
void pr_galley_sink(struct pr_galley *g, double sink);
void pr_galley_add_pullquote(struct pr_typeset *ts, struct pr_galley *g, const char *text, int at);
double pr_galley_add_box(struct pr_typeset *ts, struct pr_galley *g, const struct pr_ad *f, double h);
/* The looseness lever: the galley's body paragraphs of two lines or more
 * that the total-fit composer set (they are numbered 0 .. npara - 1, in
 * the order of the body), paragraph k's text as its items show it now
 * and its looseness (0: as the galley set it), and paragraph k set again
 * with a looseness (-PR_LOOSENESS_MAX .. PR_LOOSENESS_MAX; each looseness
 * is set once, then reused), its LINE items in g->items replaced (the
 * first keeps what was attached to it, the others get the widow/orphan
 * rule). Returns the change in its lines (0: the composer found no set of
 * breaks with that many lines fewer or more, and nothing changed) and in
 * *at the index of its first item (the items after it moved by that much). */
int pr_galley_npara(const struct pr_galley *g);
const struct pr_text *pr_galley_para(const struct pr_galley *g, int k, int *looseness);
int pr_galley_set_para(struct pr_typeset *ts, struct pr_galley *g, int k, int looseness, int *at);
/* Paragraph k's source text (its inlines). */
const struct pr_inline *pr_galley_para_source(const struct pr_galley *g, int k);

/* ---------- the newsstand barcode (barcode.c) ---------- */

/* The EAN-13 of an ISSN (977, its seven digits, price code 00, check
 * digit) into out (13 digits); false when issn is not NNNN-NNNC. */
bool pr_issn_ean13(const char *issn, char out[14]);
/* The barcode's size with modules `mod` points wide (0.75: 80 %). */
double pr_barcode_width(double mod);
double pr_barcode_height(double mod);
/* EAN-13 `ean` with the issue number's two-digit add-on and the ISSN
 * over it, on white, its top left corner at x, y. */
void pr_add_barcode(struct pr_typeset *ts, struct pr_boxes *bx, const char *issn, const char *ean, int issue,
                    double x, double y, double mod);

/* ---------- pull quotes from the text (pullpick.c) ---------- */

/* The sentence of `text` (a paragraph's plain text) that best stands
 * alone as a pull quote: a whole sentence of 8 to 30 words that does not
 * lean on the one before it ("But", "This", "He" ...), about 16 words
 * preferred; NULL when none does. Its score in *score (lower is better).
 * The result is a copy in arena `a`. */
const char *pr_pull_sentence(struct pr_arena *a, const char *text, double *score);
/* Free what a galley owns: its texts, items, boxes (its pages' too). */
void pr_galley_free(struct pr_galley *g);
/* The title an article is listed under (editorial, untitled). */
const char *pr_lead_title(const struct pr_article *art);

/* ---------- fitting copy to pages (copyfit.c) ---------- */

struct pr_plan;
/* The supplied PDF ads' and fillers' trim sizes (those not a full page),
 * read once per build for the fitter. */
struct pr_fit_trims;
struct pr_fit_trims *pr_copyfit_trims_new(const struct pr_issue *is);
void pr_copyfit_trims_free(struct pr_fit_trims *t);
/* Fit galleys [from, to) (those that open a chain, with its articles) to
 * their pages: their `pages:`, or without a short tail stranded on a page
 * of its own; fillers and fractional ads taken from the plan. Reports what
 * does not fit (PR_D_COPYFIT) and records it in each galley's fit. */
void pr_copyfit_run(struct pr_typeset *ts, struct pr_galley *gal, int from, int to, struct pr_plan *plan,
                    const struct pr_fit_trims *trims);

/* ---------- galleys in parallel (workers.c) ---------- */

struct pr_worker;
struct pr_workers {
    struct pr_worker *w; /* w[0] is unused: the calling thread sets its share with ts */
    int n;
    /* the batch being set: its galleys, their diagnostics, which a thread
     * has taken (each takes one at a time) */
    struct pr_galley *gal;
    struct pr_diags *gd;
    int ng;
    gint *taken;
};
/* The threads' typesetters, made once for a build of ng galleys. */
struct pr_workers pr_workers_new(struct pr_typeset *ts, int ng);
/* Set galleys gal[0 .. ng) in two steps: start setting them on the
 * workers' threads only, while this thread does other work (with ts: the
 * workers have typesetters of their own); then finish, this thread
 * setting whatever no worker has taken yet, and take over their
 * diagnostics in article order. The galleys come out the same whichever
 * thread sets them. */
void pr_workers_start(struct pr_typeset *ts, struct pr_workers *ws, struct pr_galley *gal, int ng);
void pr_workers_finish(struct pr_typeset *ts, struct pr_workers *ws);
/* Take over what the threads made (texts, diagnostics, counts, font
 * maps, arenas) and free them. */
void pr_workers_free(struct pr_typeset *ts, struct pr_workers *ws);

/* ---------- page furniture (furniture.c) ---------- */

/* The cover (page 1) and the back cover, on pages whose boxes live in the
 * build's arena. */
void pr_furn_cover(struct pr_typeset *ts, struct pr_page *pg);
void pr_furn_back_cover(struct pr_typeset *ts, struct pr_page *pg);
/* The running head `head` (not on an opener page) and the folio of page
 * pg, added to bx, the page's box list. */
void pr_furn_page(struct pr_typeset *ts, struct pr_boxes *bx, const struct pr_page *pg, const char *head,
                  bool opener_page);
/* The print slug line of pg ("page N of M"), or a zeroed box. */
void pr_furn_slug(struct pr_typeset *ts, const struct pr_page *pg, struct pr_box *out);
/* Preflight for print: text colours a CMYK press cannot hold. */
void pr_furn_preflight_colors(struct pr_typeset *ts);
/* pressrun proof: the flatplan's title and each page's label, set into
 * ts->book (flatplan_title, flatplan_labels) from every page's label. */
void pr_furn_flatplan(struct pr_typeset *ts);
#endif

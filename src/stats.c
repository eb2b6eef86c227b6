/* stats.c - typesetting figures for `--stats` and `--stats=json`: reads the
 * page model (book.h) and the typeset lines its LINE boxes point at, and
 * counts per article and for the issue what a reader notices: loose and
 * tight lines (word spaces), letter spacing, hyphen ladders, widows,
 * orphans, runts, overflows, missing glyphs, and the rag of unjustified
 * text. Called by build.c after the back ends; writes to the given file. */
#include "backends.h"
#include "flatplan.h"
#include "text.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Word spaces wider than this times their natural width make a loose line
 * (the contract's figure); narrower than PR_STATS_TIGHT a tight one. */
#define PR_STATS_LOOSE PR_LOOSE_SPACES
#define PR_STATS_TIGHT 0.8
/* A paragraph's last line with fewer characters than this is a runt. */
#define PR_STATS_RUNT 5

struct figures {
    const char *id, *title;
    int pages, lines, justified, loose, tight, hyphenated, max_run;
    int widows, orphans, runts, overflow, missing, paragraphs, greedy;
    double *ratios;
    int nratios, cap;
    /* letter spacing of justified lines, 1/1000 em: sum, least, most, lines */
    double ls_sum, ls_min, ls_max;
    int ls_n;
    double *ls_abs;             /* each line's |letter spacing|, for the 95th percentile */
    /* font expansion of the same lines, 1/1000 of the glyph width */
    double ex_sum, ex_min, ex_max;
    /* the rag: consecutive lines of ragged text (neither a paragraph's
     * last nor ending at a hard break), the relative difference in their
     * lengths (a share of the measure): pairs, sum, most; stair-steps */
    int rag_n, rag_stairs;
    double rag_sum, rag_max;
    int kashida_lines, kashidas; /* justified Arabic: lines with tatweels put in, and how many */
};

/* Ragged lines that differ by more than this share of the measure, three
 * in a row the same way, are a stair-step. */
#define PR_STATS_STAIR 0.1

/* Text of the article body: what the figures are about (not running heads,
 * folios, titles or the contents). */
static bool content_role(enum pr_role r)
{
    switch (r) {
    case PR_ROLE_BODY: case PR_ROLE_QUOTE: case PR_ROLE_LIST: case PR_ROLE_FOOTNOTE:
    case PR_ROLE_NOTE: case PR_ROLE_HEADING: case PR_ROLE_CODE: case PR_ROLE_PULLQUOTE:
    case PR_ROLE_CAPTION:
        return true;
    default:
        return false;
    }
}

/* Roles whose lines flow through columns, where widows and orphans exist. */
static bool flowed_role(enum pr_role r)
{
    return r == PR_ROLE_BODY || r == PR_ROLE_QUOTE || r == PR_ROLE_LIST || r == PR_ROLE_FOOTNOTE ||
           r == PR_ROLE_NOTE || r == PR_ROLE_CODE;
}

/* Does a line end with a hyphen: a soft hyphen it broke at, or a word's own
 * hyphen (U+002D, U+2010) it broke after? */
static bool ends_hyphen(const struct pr_text *t, const struct pr_tline *tl)
{
    if (tl->hyphenated)
        return true;
    const unsigned char *e = (const unsigned char *)t->str + tl->start + tl->len;
    while (tl->len > 0 && e > (const unsigned char *)t->str + tl->start && e[-1] == ' ')
        e--;
    if (e <= (const unsigned char *)t->str + tl->start)
        return false;
    if (e[-1] == '-')
        return true;
    return e - 3 >= (const unsigned char *)t->str + tl->start && e[-3] == 0xE2 && e[-2] == 0x80 && e[-1] == 0x90;
}

/* Visible characters in a line (soft hyphens and trailing spaces aside). */
static int visible_chars(const struct pr_text *t, const struct pr_tline *tl)
{
    const char *s = t->str + tl->start, *e = s + tl->len;
    while (e > s && (e[-1] == ' ' || e[-1] == '\n'))
        e--;
    int n = 0;
    for (const char *p = s; p < e; p = g_utf8_next_char(p))
        if (!((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xAD))
            n++;
    return n;
}

/* Is line i of a ragged text one whose length shows the rag: not its
 * last line, nor one that ends at a hard break (verse, code)? */
static bool rag_line(const struct pr_text *t, int i)
{
    if (t->justify || i < 0 || i >= t->nlines - 1)
        return false;
    const struct pr_tline *tl = &t->lines[i];
    int e = tl->start + tl->len;
    return !(e < t->len && t->str[e] == '\n') && !(tl->len > 0 && t->str[e - 1] == '\n');
}

/* The rag at line i of a ragged text: its length against the line
 * before's, and a stair-step with the two before (positive: longer). */
static void count_rag(struct figures *fs[2], const struct pr_text *t, int i)
{
    if (i < 1 || t->width <= 0 || !rag_line(t, i) || !rag_line(t, i - 1))
        return;
    /* a line's length: how far it falls short of its own measure (a line
     * beside a drop cap has a narrower one) */
    const struct pr_tline *l = t->lines;
    double d = (l[i - 1].measure - l[i - 1].width - (l[i].measure - l[i].width)) / t->width;
    double d0 = i >= 2 && rag_line(t, i - 2)
                    ? (l[i - 2].measure - l[i - 2].width - (l[i - 1].measure - l[i - 1].width)) / t->width
                    : 0;
    bool stair = (d > PR_STATS_STAIR && d0 > PR_STATS_STAIR) || (d < -PR_STATS_STAIR && d0 < -PR_STATS_STAIR);
    for (int k = 0; k < 2; k++) {
        struct figures *f = fs[k];
        if (!f)
            continue;
        f->rag_n++;
        f->rag_sum += fabs(d);
        f->rag_max = fmax(f->rag_max, fabs(d));
        f->rag_stairs += stair;
    }
}

static void add_ratio(struct figures *f, double r)
{
    if (f->nratios == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 256;
        f->ratios = pr_xrealloc(f->ratios, (size_t)f->cap * sizeof *f->ratios);
    }
    f->ratios[f->nratios++] = r;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Mean, 95th percentile (nearest rank) and maximum of the space ratios. */
static void ratio_summary(struct figures *f, double *mean, double *p95, double *max)
{
    *mean = *p95 = *max = 0;
    if (f->nratios == 0)
        return;
    qsort(f->ratios, (size_t)f->nratios, sizeof *f->ratios, cmp_double);
    double sum = 0;
    for (int i = 0; i < f->nratios; i++)
        sum += f->ratios[i];
    *mean = sum / f->nratios;
    int k = (int)ceil(0.95 * f->nratios) - 1;
    *p95 = f->ratios[k < 0 ? 0 : k];
    *max = f->ratios[f->nratios - 1];
}

/* Where the previous line of the text being read landed. */
struct cursor {
    const struct pr_text *text;
    int line, page, run;
    double y;
};

static void count_line(struct figures *fs[2], struct cursor *c, const struct pr_page *pg,
                       const struct pr_box *b)
{
    const struct pr_text *t = b->text;
    const struct pr_tline *tl = &t->lines[b->line];
    for (int k = 0; k < 2; k++) {
        struct figures *f = fs[k];
        if (!f)
            continue;
        if (tl->overflow > 0)
            f->overflow++;
        f->missing += tl->missing;
    }
    if (b->role != PR_ROLE_RUNNING_HEAD && b->role != PR_ROLE_FOLIO && b->role != PR_ROLE_SLUG)
        count_rag(fs, t, b->line);
    if (!content_role(b->role))
        return;
    bool same = c->text == t && c->line == b->line - 1;
    bool moved = same && (c->page != pg->number || b->y <= c->y + 0.01);
    bool hyph = b->line < t->nlines - 1 && ends_hyphen(t, tl);
    int run = hyph ? (same ? c->run : 0) + 1 : 0;
    for (int k = 0; k < 2; k++) {
        struct figures *f = fs[k];
        if (!f)
            continue;
        f->lines++;
        if (b->line == 0 && t->justify) {
            f->paragraphs++;
            if (!t->total_fit)
                f->greedy++;
        }
        if (tl->justified) {
            f->justified++;
            if (tl->spaces > 0) {
                double ls = tl->em > 0 ? 1000 * tl->letter_space / tl->em : 0;
                f->ls_min = f->ls_n ? fmin(f->ls_min, ls) : ls;
                f->ls_max = f->ls_n ? fmax(f->ls_max, ls) : ls;
                f->ls_sum += ls;
                f->ls_abs = pr_xrealloc(f->ls_abs, (size_t)(f->ls_n + 1) * sizeof *f->ls_abs);
                f->ls_abs[f->ls_n] = fabs(ls);
                double ex = 1000 * tl->expansion;
                f->ex_min = f->ls_n ? fmin(f->ex_min, ex) : ex;
                f->ex_max = f->ls_n ? fmax(f->ex_max, ex) : ex;
                f->ex_sum += ex;
                f->ls_n++;
            }
            if (tl->spaces > 0) {
                add_ratio(f, tl->space_ratio);
                if (tl->space_ratio > PR_STATS_LOOSE + 1e-9)
                    f->loose++;
                else if (tl->space_ratio < PR_STATS_TIGHT - 1e-9)
                    f->tight++;
            }
        }
        if (tl->kashidas > 0) {
            f->kashida_lines++;
            f->kashidas += tl->kashidas;
        }
        if (hyph)
            f->hyphenated++;
        if (run > f->max_run)
            f->max_run = run;
        if (moved && flowed_role(b->role) && t->nlines >= 2) {
            if (b->line == 1)
                f->orphans++;
            if (b->line == t->nlines - 1)
                f->widows++;
        }
        if (b->line == t->nlines - 1 && t->nlines >= 2 && t->justify &&
            visible_chars(t, tl) < PR_STATS_RUNT)
            f->runts++;
    }
    *c = (struct cursor){t, b->line, pg->number, run, b->y};
}

static void json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
    fputc('"', out);
}

/* The 95th percentile (nearest rank) of how far lines' letters were
 * spaced, either way. */
static double ls_p95(struct figures *f)
{
    if (f->ls_n == 0)
        return 0;
    qsort(f->ls_abs, (size_t)f->ls_n, sizeof *f->ls_abs, cmp_double);
    int k = (int)ceil(0.95 * f->ls_n) - 1;
    return f->ls_abs[k < 0 ? 0 : k];
}

static void json_figures(FILE *out, struct figures *f, const char *indent)
{
    double mean, p95, max;
    ratio_summary(f, &mean, &p95, &max);
    fprintf(out,
            "%s\"pages\": %d,\n%s\"lines\": %d,\n%s\"justified_lines\": %d,\n%s\"loose_lines\": %d,\n"
            "%s\"tight_lines\": %d,\n%s\"space_ratio_mean\": %.3f,\n%s\"space_ratio_p95\": %.3f,\n"
            "%s\"space_ratio_max\": %.3f,\n%s\"hyphenated_lines\": %d,\n%s\"max_hyphen_run\": %d,\n"
            "%s\"widows\": %d,\n%s\"orphans\": %d,\n%s\"runts\": %d,\n%s\"overflow_lines\": %d,\n"
            "%s\"missing_glyphs\": %d,\n%s\"paragraphs\": %d,\n%s\"greedy_paragraphs\": %d,\n"
            "%s\"letter_space_mean\": %.2f,\n%s\"letter_space_min\": %.2f,\n%s\"letter_space_max\": %.2f,\n"
            "%s\"letter_space_p95\": %.2f,\n%s\"space_ratio_min\": %.3f,\n%s\"expansion_mean\": %.2f,\n%s\"expansion_min\": %.2f,\n%s\"expansion_max\": %.2f,\n"
            "%s\"rag_lines\": %d,\n%s\"rag_mean\": %.3f,\n%s\"rag_max\": %.3f,\n%s\"rag_stairs\": %d,\n"
            "%s\"kashida_lines\": %d,\n%s\"kashidas\": %d",
            indent, f->pages, indent, f->lines, indent, f->justified, indent, f->loose, indent, f->tight,
            indent, mean, indent, p95, indent, max, indent, f->hyphenated, indent, f->max_run, indent,
            f->widows, indent, f->orphans, indent, f->runts, indent, f->overflow, indent, f->missing,
            indent, f->paragraphs, indent, f->greedy, indent, f->ls_n ? f->ls_sum / f->ls_n : 0, indent,
            f->ls_min, indent, f->ls_max, indent, ls_p95(f), indent, f->nratios ? f->ratios[0] : 0, indent, f->ls_n ? f->ex_sum / f->ls_n : 0, indent,
            f->ex_min, indent, f->ex_max, indent, f->rag_n, indent, f->rag_n ? f->rag_sum / f->rag_n : 0, indent,
            f->rag_max, indent, f->rag_stairs, indent, f->kashida_lines, indent, f->kashidas);
}

static void text_row(FILE *out, struct figures *f, const char *name)
{
    double mean, p95, max;
    ratio_summary(f, &mean, &p95, &max);
    fprintf(out, "%-24.24s %5d %6d %6d %5d %5d %5.2f %5.2f %5.2f %5.1f %5.1f %5.1f %5d %4d %4d %4d %4d %4d %4d\n",
            name, f->pages, f->lines, f->justified, f->loose, f->tight, mean, p95, max,
            f->ls_n ? f->ls_sum / f->ls_n : 0, f->ls_max, f->ls_n ? f->ex_sum / f->ls_n : 0, f->hyphenated, f->max_run, f->widows, f->orphans,
            f->runts, f->overflow, f->missing);
}

static void json_fit(FILE *out, const struct pr_fit *f)
{
    static const char *const states[] = {"fit", "over", "under"};
    fprintf(out, ",\n      \"copyfit\": {\"state\": \"%s\", \"lines\": %d, \"words\": %d, \"pages\": %d, "
                 "\"allotted\": %d}",
            states[f->state], f->lines, f->words, f->pages, f->allotted);
}

/* Inside pages' fill (not the covers), and each article's copyfit. */
static void text_fill(FILE *out, const struct pr_issue *is, const struct pr_book *bk)
{
    const struct pr_layout *L = &is->layout;
    double sum = 0, min = 1;
    int n = 0, low = 0, minpage = 0;
    for (int p = 0; p < bk->npages; p++) {
        const struct pr_page *pg = &bk->pages[p];
        if (pg->padding || pg->article == PR_PAGE_BACK || (pg->number == 1 && L->show_cover))
            continue;
        double f = pr_page_fill(L, pg);
        sum += f;
        n++;
        low += f < L->copyfit.tail;
        if (f < min) {
            min = f;
            minpage = pg->number;
        }
    }
    if (n)
        fprintf(out, "page fill (inside pages): mean %.2f, least %.2f (page %d), %d under %.2f\n", sum / n, min,
                minpage, low, L->copyfit.tail);
    static const char *const states[] = {"fit", "over", "under"};
    for (int i = 0; bk->article_fit && i < is->narticles; i++) {
        const struct pr_fit *f = &bk->article_fit[i];
        if (!f->allotted)
            continue;
        if (f->state == PR_FIT_FIT)
            fprintf(out, "copyfit %s: fit on %d of %d pages\n", is->articles[i].id, f->pages, f->allotted);
        else
            fprintf(out, "copyfit %s: %s by %d line%s (about %d words) on %d of %d pages\n", is->articles[i].id,
                    states[f->state], f->lines, f->lines == 1 ? "" : "s", f->words, f->pages, f->allotted);
    }
}

void pr_stats_write(struct pr_build *b, const struct pr_book *bk, FILE *out)
{
    const struct pr_issue *is = b->issue;
    const struct pr_layout *L = &is->layout;
    /* slot 0 is the editorial (when there is one), then each article */
    int ed = is->editorial ? 1 : 0, n = is->narticles + ed;
    struct figures all;
    memset(&all, 0, sizeof all);
    struct figures *arts = pr_xmalloc((size_t)(n ? n : 1) * sizeof *arts);
    memset(arts, 0, (size_t)(n ? n : 1) * sizeof *arts);
    if (ed) {
        arts[0].id = is->editorial->id;
        arts[0].title = is->editorial->title ? is->editorial->title : "In This Issue";
    }
    for (int i = 0; i < is->narticles; i++) {
        arts[ed + i].id = is->articles[i].id;
        arts[ed + i].title = is->articles[i].title;
    }
    all.pages = bk->npages;
    struct cursor cur = {0};
    for (int p = 0; p < bk->npages; p++) {
        const struct pr_page *pg = &bk->pages[p];
        int slot = pg->article >= 0 && pg->article < is->narticles ? ed + pg->article
                   : pg->article == -2 && ed ? 0 : -1;
        struct figures *fs[2] = {&all, slot >= 0 ? &arts[slot] : NULL};
        if (fs[1])
            fs[1]->pages++;
        for (int k = 0; k < pg->nboxes; k++) {
            const struct pr_box *x = &pg->boxes[k];
            if (x->kind == PR_BOX_LINE && x->text && x->line >= 0 && x->line < x->text->nlines)
                count_line(fs, &cur, pg, x);
        }
    }
    const char *composer = L->composer == PR_COMPOSER_GREEDY ? "greedy" : "total-fit";
    if (b->opt.stats == 2) {
        fprintf(out, "{\n  \"composer\": \"%s\",\n", composer);
        json_figures(out, &all, "  ");
        fprintf(out, ",\n  \"articles\": [");
        for (int i = 0; i < n; i++) {
            fprintf(out, "%s\n    {\n      \"id\": ", i ? "," : "");
            json_str(out, arts[i].id);
            fprintf(out, ",\n      \"title\": ");
            json_str(out, arts[i].title);
            fprintf(out, ",\n");
            json_figures(out, &arts[i], "      ");
            if (i >= ed && bk->article_fit)
                json_fit(out, &bk->article_fit[i - ed]);
            fprintf(out, "\n    }");
        }
        fprintf(out, "%s],\n  \"page_fill\": [", n ? "\n  " : "");
        for (int p = 0; p < bk->npages; p++)
            fprintf(out, "%s%.3f", p ? ", " : "", pr_page_fill(L, &bk->pages[p]));
        fprintf(out, "]\n}\n");
    } else {
        fprintf(out, "%-24s %5s %6s %6s %5s %5s %5s %5s %5s %5s %5s %5s %5s %4s %4s %4s %4s %4s %4s\n", "article",
                "pages", "lines", "justif", "loose", "tight", "mean", "p95", "max", "ls", "lsmax", "ex", "hyph", "run",
                "wid", "orph", "runt", "over", "miss");
        for (int i = 0; i < n; i++)
            text_row(out, &arts[i], arts[i].id);
        text_row(out, &all, "ISSUE");
        fprintf(out,
                "composer %s; mean/p95/max: word space set / natural on justified lines; loose > %.0f %%, "
                "tight < %.0f %%; ls/lsmax: mean/largest letter spacing of justified lines, 1/1000 em; "
                "ex: mean font expansion of justified lines, 1/1000 of the glyph width; "
                "%d of %d justified paragraphs set by Pango's breaker\n",
                composer, PR_STATS_LOOSE * 100, PR_STATS_TIGHT * 100, all.greedy, all.paragraphs);
        text_fill(out, is, bk);
    }
    for (int i = 0; i < n; i++) {
        free(arts[i].ratios);
        free(arts[i].ls_abs);
    }
    free(arts);
    free(all.ratios);
    free(all.ls_abs);
}

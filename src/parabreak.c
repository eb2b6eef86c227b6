/* parabreak.c - typesetting: Pango's line breaker, for what the total-fit
 * composer (compose.c) does not set (composer: greedy, scripts without
 * word spaces, tabs...). Lays a paragraph out with PangoLayout (justified,
 * language-tagged, direction from the first strong character), in windows
 * for very long ones, beside a drop cap at a narrower measure, and copies
 * each line's runs and geometry into the text's lines. Called by para.c. */
#include "para_int.h"
#include <string.h>

/* A layout of t->str [start, end) wrapped at `width` pt, `indent` on its
 * first line, aligned (justified) as the options say. */
static PangoLayout *new_layout(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o,
                               int start, int end, double width, double indent)
{
    PangoLayout *l = pr_para_layout(ts, t, o, start, end);
    pango_layout_set_width(l, PU(width));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_indent(l, PU(indent));
    switch (o->align) {
    case PR_ALIGN_JUSTIFY:
        pango_layout_set_justify(l, TRUE);
        pango_layout_set_alignment(l, PANGO_ALIGN_LEFT);
        break;
    case PR_ALIGN_LEFT:
        pango_layout_set_alignment(l, PANGO_ALIGN_LEFT);
        break;
    case PR_ALIGN_CENTER:
        pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
        break;
    case PR_ALIGN_RIGHT:
        pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
        break;
    }
    return l;
}

/* Append the lines of layout `l`, whose text starts at byte `off` of t->str
 * and which is placed `lx` from the text's left (at most `max` lines; max < 0
 * = all) to t->lines, copying their glyph runs. Returns how many were
 * added. */
static int take_lines(struct pr_text *t, PangoLayout *l, int off, double lx, int max)
{
    int n = pango_layout_get_line_count(l);
    int added = 0;
    PangoLayoutIter *it = pango_layout_get_iter(l);
    int idx = 0;
    /* the lines walked beside the iterator (looking a line up by its number
     * walks the list from its start: quadratic on long paragraphs) */
    GSList *cur = pango_layout_get_lines_readonly(l);
    do {
        if (max >= 0 && added >= max)
            break;
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        int baseline = pango_layout_iter_get_baseline(it);
        t->lines = pr_xrealloc(t->lines, (size_t)(t->nlines + 1) * sizeof *t->lines);
        struct pr_tline *tl = &t->lines[t->nlines++];
        memset(tl, 0, sizeof *tl);
        pr_tline_copy_runs(tl, line, off);
        tl->x = lx + PT(logical.x);
        /* the width the glyphs take (their advances), not Pango's logical
         * box: after a soft-hyphen break Pango 1.50's box is not always the
         * same from run to run, and the overflow check below reads it */
        tl->width = PT(pr_tline_place_runs(tl));
        tl->ascent = PT(baseline - logical.y);
        tl->descent = PT(logical.y + logical.height - baseline);
        tl->start = off + line->start_index;
        tl->len = line->length;
        /* a line broken at a soft hyphen ends with U+00AD (C2 AD) */
        const char *e = t->str + tl->start + tl->len;
        tl->hyphenated = tl->len >= 2 && (unsigned char)e[-2] == 0xC2 && (unsigned char)e[-1] == 0xAD
                         && idx < n - 1;
        double measure = PT(pango_layout_get_width(l));
        tl->measure = measure;
        /* Pango lets the hyphen of a line broken at a soft hyphen hang past
         * the measure (as optical margin alignment would): not an overflow */
        double hang = tl->hyphenated ? t->leading * 0.5 : 0;
        double over = tl->x - lx + tl->width - measure;
        tl->overflow = measure > 0 && over > 0.5 + hang ? over : 0;
        /* Pango justifies every line of a paragraph but its last */
        PangoLayoutLine *next = cur && cur->next ? cur->next->data : NULL;
        tl->justified = pango_layout_get_justify(l) && next && !next->is_paragraph_start;
        /* Pango 1.50 justifies a line that ends at a soft hyphen sometimes
         * to the measure, sometimes as if the hyphen were not there (the
         * hyphen then hangs past it), and which one varies from run to run
         * when threads share out the work. Space such lines ourselves: the
         * word spaces take whatever the glyphs leave of the measure. */
        if (tl->justified && line->resolved_dir == PANGO_DIRECTION_LTR && measure > 0) {
            int ind = pango_layout_get_indent(l);
            pr_tline_fit(tl, t->str, measure - (line->is_paragraph_start && ind > 0 ? PT(ind) : 0), true, &(struct pr_gaps){0, 0, 0, 0}, 0, 0, 0);
            tl->x = lx + PT(logical.x);
        }
        pr_tline_spaces(tl, t->str, &tl->spaces, &tl->space_ratio);
        added++;
        idx++;
        cur = cur ? cur->next : NULL;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return added;
}

/* Pango's breaker sets a paragraph as one layout, whose widths are ints of
 * 1/1024 pt: a paragraph of some hundred thousand characters overflows them
 * and comes out as a single line. Longer paragraphs are set in windows of
 * at most this many bytes, each ending at a space. */
#define PANGO_WINDOW 16384

/* Where a window starting at `pos` ends: the text's end, else the last
 * space in its second half, else (one huge word) a character boundary. */
static int window_end(const struct pr_text *t, int pos)
{
    if (t->len - pos <= PANGO_WINDOW)
        return t->len;
    int end = pos + PANGO_WINDOW;
    for (int e = end; e > pos + PANGO_WINDOW / 2; e--)
        if (t->str[e] == ' ')
            return e;
    while (end > pos + 1 && ((unsigned char)t->str[end] & 0xC0) == 0x80)
        end--;
    return end;
}

/* Pango's breaker over t->str [pos, len) at full measure, `indent` on the
 * first line, window by window: all lines of a window but its last, which
 * is set again at the start of the next window. */
static void lay_out_from(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o, int pos,
                         double indent)
{
    while (pos < t->len) {
        int end = window_end(t, pos);
        bool last = end == t->len;
        PangoLayout *l = new_layout(ts, t, o, pos, end, o->width, indent);
        int n = pango_layout_get_line_count(l);
        take_lines(t, l, pos, 0, last || n < 2 ? -1 : n - 1);
        g_object_unref(l);
        if (last)
            break;
        indent = 0;
        if (n < 2)
            pos = end;
        else
            pos = t->lines[t->nlines - 1].start + t->lines[t->nlines - 1].len;
        while (pos < t->len && t->str[pos] == ' ')
            pos++;
    }
}

/* A model of Pango's breaker for balancing: the text's characters with
 * their widths from one unwrapped layout, and where a line may break
 * (Pango's log attributes), to count the lines a width gives without
 * laying the text out again (each pango_layout_set_width itemizes and
 * shapes the whole text anew). */
struct fit_model {
    int n;            /* characters */
    int *w;           /* width of each, Pango units */
    int *hyphen;      /* width a break before it adds (a soft hyphen's hyphen) */
    const PangoLogAttr *la;
    int indent;       /* Pango units: > 0 on the first line, < 0 on the others */
};

/* Read the model from a layout set unwrapped: false when the text is not
 * one left-to-right line (the model does not know the rest). */
static bool model_read(struct fit_model *fm, PangoLayout *l, const char *text)
{
    memset(fm, 0, sizeof *fm);
    GSList *lines = pango_layout_get_lines_readonly(l);
    if (!lines || lines->next)
        return false;
    int nla = 0;
    fm->la = pango_layout_get_log_attrs_readonly(l, &nla);
    fm->n = nla - 1;
    fm->indent = pango_layout_get_indent(l);
    fm->w = pr_xmalloc((size_t)(fm->n + 1) * sizeof *fm->w);
    fm->hyphen = pr_xmalloc((size_t)(fm->n + 1) * sizeof *fm->hyphen);
    memset(fm->w, 0, (size_t)(fm->n + 1) * sizeof *fm->w);
    memset(fm->hyphen, 0, (size_t)(fm->n + 1) * sizeof *fm->hyphen);
    PangoLayoutLine *line = lines->data;
    for (GSList *r = line->runs; r; r = r->next) {
        PangoGlyphItem *run = r->data;
        PangoItem *item = run->item;
        if (item->analysis.level & 1)
            return false;
        int first = (int)g_utf8_pointer_to_offset(text, text + item->offset);
        if (first + item->num_chars > fm->n)
            return false;
        pango_glyph_item_get_logical_widths(run, text, fm->w + first);
        const char *p = text + item->offset;
        for (int k = 0; k < item->num_chars; k++, p = g_utf8_next_char(p)) {
            if (!SHY_AT(p, 0) || first + k + 1 > fm->n)
                continue;
            PangoGlyphString *g = pango_glyph_string_new();
            pango_shape("-", 1, &item->analysis, g);
            fm->hyphen[first + k + 1] = pango_glyph_string_get_width(g);
            pango_glyph_string_free(g);
        }
    }
    return true;
}

static void model_free(struct fit_model *fm)
{
    free(fm->w);
    free(fm->hyphen);
}

/* The lines a first-fit breaker sets the text in at `width` (Pango
 * units): each line takes the most characters up to a break whose width
 * (its trailing white space left out, a hyphen added) fits; more than
 * `most` (or a word wider than the line) stops the count at most + 1. */
static int model_lines(const struct fit_model *fm, int width, int most)
{
    int lines = 0, pos = 0;
    while (pos < fm->n) {
        if (++lines > most)
            return lines;
        int avail = width - (lines == 1 ? (fm->indent > 0 ? fm->indent : 0) : (fm->indent < 0 ? -fm->indent : 0));
        int best = -1, run = 0, white = 0;
        for (int i = pos; i < fm->n; i++) {
            run += fm->w[i];
            white = fm->la[i].is_white ? white + fm->w[i] : 0;
            int b = i + 1;
            if (b < fm->n && !fm->la[b].is_line_break)
                continue;
            int need = run - white + (b < fm->n ? fm->hyphen[b] : 0);
            if (need > avail)
                break;
            best = b;
        }
        if (best < 0)
            return most + 1;
        pos = best;
    }
    return lines;
}

/* Balanced display lines (text-wrap: balance, as Chromium does it) when
 * the total-fit composer does not set them (composer: greedy; compose.c
 * balances them itself, its ragged mode rating every line, the last
 * included): the narrowest measure at which Pango's breaker still sets
 * the text in as many lines as at the full one, found by bisection to a
 * tenth of a point. All lines then come out about as long as each other,
 * and the last is no longer a word left over. The lines are set at that
 * measure, placed
 * within the full one as the alignment says; false (nothing set) when
 * there is nothing to balance: one line, or a text too long for a
 * window. */
static bool balanced(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o)
{
    if (o->align == PR_ALIGN_JUSTIFY || o->width <= 0 || t->len > PANGO_WINDOW ||
        (o->hang_lines > 0 && o->hang_width > 0))
        return false;
    PangoLayout *l = new_layout(ts, t, o, 0, t->len, o->width, o->indent);
    int n = pango_layout_get_line_count(l);
    if (n < 2) {
        g_object_unref(l);
        return false;
    }
    /* no measure narrower than the text's width spread over n lines sets it in n */
    PangoRectangle ink, logical;
    pango_layout_set_width(l, -1);
    pango_layout_get_extents(l, &ink, &logical);
    double lo0 = fmax(PT(logical.width) / n - 1, 1), hi0 = o->width;
    double lo = lo0, hi = hi0;
    /* The bisection on the model first; its answer holds if Pango agrees
     * at its two ends: with fewer lines at a wider measure (which the
     * bisection assumes anyway) every step then went as it would have with
     * Pango. Otherwise the bisection again, with Pango. */
    struct fit_model fm;
    bool model = model_read(&fm, l, t->str);
    if (model) {
        while (hi - lo > 0.1) {
            double mid = (lo + hi) / 2;
            if (model_lines(&fm, PU(mid), n) > n)
                lo = mid;
            else
                hi = mid;
        }
        if (lo > lo0) {
            pango_layout_set_width(l, PU(lo));
            model = pango_layout_get_line_count(l) > n;
        }
        if (model) {
            pango_layout_set_width(l, PU(hi));
            model = pango_layout_get_line_count(l) <= n;
        }
        if (!model) {
            lo = lo0;
            hi = hi0;
        }
    }
    if (fm.w)
        model_free(&fm);
    while (!model && hi - lo > 0.1) {
        double mid = (lo + hi) / 2;
        pango_layout_set_width(l, PU(mid));
        if (pango_layout_get_line_count(l) > n)
            lo = mid;
        else
            hi = mid;
    }
    pango_layout_set_width(l, PU(hi));
    double lx = o->align == PR_ALIGN_CENTER ? (o->width - hi) / 2 : o->align == PR_ALIGN_RIGHT ? o->width - hi : 0;
    /* right to left: flush with the full measure's right edge */
    if (o->align == PR_ALIGN_LEFT && pango_layout_get_direction(l, 0) == PANGO_DIRECTION_RTL)
        lx = o->width - hi;
    take_lines(t, l, 0, lx, -1);
    g_object_unref(l);
    return true;
}

static void lay_out(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o)
{
    if (o->balance && balanced(ts, t, o))
        return;
    if (o->hang_lines > 0 && o->hang_width > 0) {
        /* the first lines run beside a drop cap: set them at the narrower
         * measure, then set the rest of the paragraph at full measure */
        PangoLayout *a = new_layout(ts, t, o, 0, window_end(t, 0), o->width - o->hang_width, 0);
        int got = take_lines(t, a, 0, o->hang_width, o->hang_lines);
        int rest = got > 0 ? t->lines[got - 1].start + t->lines[got - 1].len : 0;
        while (rest < t->len && t->str[rest] == ' ')
            rest++;
        g_object_unref(a);
        lay_out_from(ts, t, o, rest, 0);
    } else
        lay_out_from(ts, t, o, 0, o->indent);
}

/* Remove the soft hyphen that ends the line before each overflowing line;
 * returns whether any was removed. Spans after it move back two bytes. */
static bool drop_bad_breaks(struct pr_text *t)
{
    bool any = false;
    for (int i = t->nlines - 1; i > 0; i--) {
        if (t->lines[i].overflow <= 0 || !t->lines[i - 1].hyphenated)
            continue;
        int at = t->lines[i - 1].start + t->lines[i - 1].len - 2;
        memmove(t->str + at, t->str + at + 2, (size_t)(t->len - at - 2 + 1));
        t->len -= 2;
        for (int k = 0; k < t->nspans; k++) {
            if (t->spans[k].start > at)
                t->spans[k].start -= 2;
            if (t->spans[k].end > at)
                t->spans[k].end -= 2;
        }
        any = true;
    }
    return any;
}

/* Pango's breaker. Pango 1.50 sometimes sets the line after a soft-hyphen
 * break a point or so wider than the measure. When that happens, drop that
 * hyphenation point and set the paragraph again (a few times at most). */
void pr_para_break_pango(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o)
{
    for (int attempt = 0;; attempt++) {
        lay_out(ts, t, o);
        if (attempt == 3 || !drop_bad_breaks(t))
            break;
        pr_para_clear_lines(t);
    }
}

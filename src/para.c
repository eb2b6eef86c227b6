/* para.c - typesetting: turns a paragraph (inlines or plain text) into lines
 * with Pango. Builds one UTF-8 string with soft hyphens from libhyphen
 * (hyph.c) and a list of style spans, shapes it with PangoLayout (justified,
 * language-tagged, direction from the first strong character) and records
 * each line's geometry. Called by pages.c and toc.c; painted by paint.c. */
#include "typeset.h"
#include "hyph.h"
#include "linebreak.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PU(x) ((int)lround((x) * PANGO_SCALE))
#define PT(x) ((double)(x) / PANGO_SCALE)
#define MAX_INLINE_DEPTH 64

struct builder {
    struct pr_typeset *ts;
    const struct pr_textopts *o;
    GString *s;
    struct pr_span *spans;
    int nspans, cap;
};

static void add_span(struct builder *bd, int start, enum pr_span_kind k, const char *arg)
{
    if ((int)bd->s->len == start)
        return;
    if (bd->nspans == bd->cap) {
        bd->cap = bd->cap ? bd->cap * 2 : 8;
        bd->spans = pr_xrealloc(bd->spans, (size_t)bd->cap * sizeof *bd->spans);
    }
    bd->spans[bd->nspans++] = (struct pr_span){start, (int)bd->s->len, k, arg};
}

/* Languages whose scripts are not hyphenated: no dictionary is expected. */
static bool lang_unhyphenated(const char *lang)
{
    static const char *const none[] = {"ar", "he", "fa", "ur", "yi", "zh", "ja", "ko", "th", "lo", "km", "my", NULL};
    for (int i = 0; none[i]; i++) {
        size_t n = strlen(none[i]);
        if (strncmp(lang, none[i], n) == 0 && (lang[n] == 0 || lang[n] == '-' || lang[n] == '_'))
            return true;
    }
    return false;
}

bool pr_warned_lang(struct pr_typeset *ts, const char *lang)
{
    for (int k = 0; k < ts->nwarned; k++)
        if (strcmp(ts->warned_langs[k], lang) == 0)
            return true;
    if (ts->nwarned == ts->warned_cap) {
        ts->warned_cap = ts->warned_cap ? ts->warned_cap * 2 : 8;
        ts->warned_langs = pr_xrealloc(ts->warned_langs, (size_t)ts->warned_cap * sizeof *ts->warned_langs);
    }
    ts->warned_langs[ts->nwarned++] = g_intern_string(lang);
    return false;
}

static bool can_hyphenate(struct pr_typeset *ts, const char *lang)
{
    if (!lang || !ts->hyph)
        return false;
    if (pr_hyph_dict(ts->hyph, lang))
        return true;
    if (lang_unhyphenated(lang) || pr_warned_lang(ts, lang))
        return false;
    pr_diag(&ts->b->diags, PR_D_HYPHEN_DICT, ts->cur_pos,
            "no hyphenation dictionary for language '%s'", lang);
    return false;
}

static void append_text(struct builder *bd, const char *text, const char *lang, bool hyph)
{
    size_t n = strlen(text);
    if (hyph && can_hyphenate(bd->ts, lang)) {
        struct pr_hyph_opts ho = {bd->ts->L->hyphen_min_before, bd->ts->L->hyphen_min_after,
                                  bd->ts->L->hyphenate_capitalized};
        size_t out_len;
        char *h = pr_hyph_text(bd->ts->hyph, lang, text, n, &ho, &out_len);
        g_string_append_len(bd->s, h, (gssize)out_len);
        free(h);
    } else
        g_string_append_len(bd->s, text, (gssize)n);
}

static void walk(struct builder *bd, const struct pr_inline *in, const char *lang, int depth)
{
    for (; in; in = in->next) {
        int start = (int)bd->s->len;
        bool deep = depth >= MAX_INLINE_DEPTH;
        switch (in->kind) {
        case PR_IN_TEXT:
            append_text(bd, in->text ? in->text : "", lang, bd->o->hyphenate);
            break;
        case PR_IN_CODE:
            g_string_append(bd->s, in->text ? in->text : "");
            add_span(bd, start, PR_SPAN_MONO, NULL);
            break;
        case PR_IN_EMPH:
            if (!deep)
                walk(bd, in->children, lang, depth + 1);
            add_span(bd, start, PR_SPAN_ITALIC, NULL);
            break;
        case PR_IN_STRONG:
            if (!deep)
                walk(bd, in->children, lang, depth + 1);
            add_span(bd, start, PR_SPAN_BOLD, NULL);
            break;
        case PR_IN_LINK:
            if (!deep)
                walk(bd, in->children, lang, depth + 1);
            add_span(bd, start, PR_SPAN_LINK, in->url);
            break;
        case PR_IN_LANG:
            if (!deep)
                walk(bd, in->children, in->lang ? in->lang : lang, depth + 1);
            add_span(bd, start, PR_SPAN_LANG, in->lang);
            break;
        case PR_IN_SOFTBREAK:
            g_string_append_c(bd->s, ' ');
            break;
        case PR_IN_LINEBREAK:
            /* a paragraph separator for Pango, so the line before it is
             * not justified (U+2028 would be) */
            g_string_append_c(bd->s, '\n');
            break;
        case PR_IN_NOTEREF: {
            g_string_append_printf(bd->s, "%d", in->note);
            add_span(bd, start, PR_SPAN_SUPER, NULL);
            const char *dest = bd->o->note_prefix
                ? pr_arena_printf(bd->ts->b->arena, "%s%d", bd->o->note_prefix, in->note)
                : NULL;
            if (dest)
                add_span(bd, start, PR_SPAN_NOTEREF, dest);
            break;
        }
        }
    }
}

char *pr_inlines_plain(struct pr_arena *a, const struct pr_inline *in)
{
    /* iterative walk with an explicit stack: inline trees may be deep */
    GString *s = g_string_new(NULL);
    const struct pr_inline *stack[MAX_INLINE_DEPTH];
    int sp = 0;
    while (in || sp > 0) {
        if (!in) {
            in = stack[--sp]->next;
            continue;
        }
        switch (in->kind) {
        case PR_IN_TEXT:
        case PR_IN_CODE:
            g_string_append(s, in->text ? in->text : "");
            break;
        case PR_IN_SOFTBREAK:
        case PR_IN_LINEBREAK:
            g_string_append_c(s, ' ');
            break;
        case PR_IN_NOTEREF:
            break;
        default:
            if (in->children && sp < MAX_INLINE_DEPTH) {
                stack[sp++] = in;
                in = in->children;
                continue;
            }
        }
        in = in->next;
    }
    char *r = pr_arena_strndup(a, s->str, s->len);
    g_string_free(s, TRUE);
    return r;
}

static PangoAttrList *make_attrs(struct pr_typeset *ts, const struct pr_text *t,
                                 const struct pr_textopts *o, int start, int end)
{
    const struct pr_font *f = o->font;
    double scale = o->scale > 0 ? o->scale : 1.0;
    PangoAttrList *al = pango_attr_list_new();
    PangoFontDescription *fd = pr_fonts_desc(f, scale);
    pango_attr_list_insert(al, pango_attr_font_desc_new(fd));
    pango_font_description_free(fd);
    if (o->lang)
        pango_attr_list_insert(al, pango_attr_language_new(pango_language_from_string(o->lang)));
    if (f->tracking != 0)
        pango_attr_list_insert(al, pango_attr_letter_spacing_new(
                                       PU(f->tracking / 1000.0 * f->size * scale)));
    for (int i = 0; i < t->nspans; i++) {
        const struct pr_span *sp = &t->spans[i];
        if (sp->end <= start || sp->start >= end)
            continue;
        PangoAttribute *a = NULL, *a2 = NULL;
        switch (sp->kind) {
        case PR_SPAN_ITALIC:
            a = pango_attr_style_new(f->italic && o->italic_flip ? PANGO_STYLE_NORMAL : PANGO_STYLE_ITALIC);
            break;
        case PR_SPAN_BOLD:
            a = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
            break;
        case PR_SPAN_MONO: {
            struct pr_font mono = ts->L->code;
            mono.size = f->size * scale * 0.88;
            PangoFontDescription *md = pr_fonts_desc(&mono, 1.0);
            a = pango_attr_font_desc_new(md);
            pango_font_description_free(md);
            break;
        }
        case PR_SPAN_SUPER:
            a = pango_attr_rise_new(PU(f->size * scale * 0.33));
            a2 = pango_attr_scale_new(0.62);
            break;
        case PR_SPAN_LINK:
            a = pango_attr_foreground_new((guint16)(ts->L->accent.r * 65535),
                                          (guint16)(ts->L->accent.g * 65535),
                                          (guint16)(ts->L->accent.b * 65535));
            break;
        case PR_SPAN_LANG:
            if (sp->arg)
                a = pango_attr_language_new(pango_language_from_string(sp->arg));
            break;
        case PR_SPAN_NOTEREF:
            break;
        }
        PangoAttribute *as[2] = {a, a2};
        for (int k = 0; k < 2; k++) {
            if (!as[k])
                continue;
            as[k]->start_index = (guint)((sp->start > start ? sp->start : start) - start);
            as[k]->end_index = (guint)((sp->end < end ? sp->end : end) - start);
            pango_attr_list_insert(al, as[k]);
        }
    }
    return al;
}

/* ---------- lines as runs of glyphs ---------- */

static bool is_space_at(const char *s)
{
    return s[0] == ' ' || ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0);
}

static struct pr_trun *push_run(struct pr_tline *tl, PangoGlyphItem *gi, bool hyphen)
{
    tl->runs = pr_xrealloc(tl->runs, (size_t)(tl->nruns + 1) * sizeof *tl->runs);
    struct pr_trun *r = &tl->runs[tl->nruns++];
    r->gi = gi;
    r->x = 0;
    r->hyphen = hyphen;
    r->xscale = 1;
    return r;
}

/* Pen positions of a line's runs, left to right from 0 (as Pango's
 * renderer places them); returns the line's advance in Pango units. */
static long place_runs(struct pr_tline *tl)
{
    long x = 0;
    for (int i = 0; i < tl->nruns; i++) {
        PangoGlyphItem *g = tl->runs[i].gi;
        tl->runs[i].x = PT(x + g->start_x_offset);
        x += g->start_x_offset + pango_glyph_string_get_width(g->glyphs) + g->end_x_offset;
    }
    return x;
}

static void free_runs(struct pr_tline *tl)
{
    for (int i = 0; i < tl->nruns; i++)
        pango_glyph_item_free(tl->runs[i].gi);
    free(tl->runs);
    tl->runs = NULL;
    tl->nruns = 0;
}

/* Copy the runs of a line Pango set; `off` moves their item offsets from
 * the layout's text to the text's str. */
static void copy_runs(struct pr_tline *tl, PangoLayoutLine *line, int off)
{
    for (GSList *r = line->runs; r; r = r->next) {
        PangoGlyphItem *g = pango_glyph_item_copy(r->data);
        g->item->offset += off;
        push_run(tl, g, false);
    }
    place_runs(tl);
}

/* Glyphs no bundled font has in one line: each is reported (PR_D_GLYPH)
 * and counted. */
static int line_glyphs(struct pr_typeset *ts, const struct pr_tline *tl, const char *text)
{
    int missing = 0;
    for (int k = 0; k < tl->nruns; k++) {
        const PangoGlyphItem *run = tl->runs[k].gi;
        const PangoGlyphString *gs = run->glyphs;
        for (int i = 0; i < gs->num_glyphs && !tl->runs[k].hyphen; i++) {
            PangoGlyph g = gs->glyphs[i].glyph;
            if (!(g & PANGO_GLYPH_UNKNOWN_FLAG) || g == PANGO_GLYPH_EMPTY)
                continue;
            gunichar c = g & ~PANGO_GLYPH_UNKNOWN_FLAG;
            if (c == 0x2028 || c == 0xAD || c < 0x20)
                continue;
            missing++;
            const char *at = text + run->item->offset + gs->log_clusters[i];
            char ch[8] = {0};
            g_unichar_to_utf8(c, ch);
            pr_diag(&ts->b->diags, PR_D_GLYPH, ts->cur_pos,
                    "no bundled font has the character U+%04X '%s' (in \"%.20s\")",
                    (unsigned)c, ch, at);
        }
    }
    ts->missing_glyphs += missing;
    return missing;
}

/* Is glyph i of a run a word space with an advance? */
static bool space_glyph(const char *text, const struct pr_trun *r, int i)
{
    const PangoGlyphString *gs = r->gi->glyphs;
    return !r->hyphen && gs->glyphs[i].geometry.width > 0 && !(gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG) &&
           is_space_at(text + r->gi->item->offset + gs->log_clusters[i]);
}

/* The word spaces of a line Pango set: how many, and the ratio of their set
 * width to their natural width (the font's advance for the space glyph). */
static void line_spaces(const struct pr_tline *tl, const char *text, int *spaces, double *ratio)
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

/* A layout of t->str [start, end) with the text's attributes, unwrapped. */
static PangoLayout *base_layout(struct pr_typeset *ts, const struct pr_text *t, const struct pr_textopts *o,
                                int start, int end)
{
    PangoLayout *l = pango_layout_new(ts->ctx);
    pango_layout_set_text(l, t->str + start, end - start);
    PangoAttrList *al = make_attrs(ts, t, o, start, end);
    pango_layout_set_attributes(l, al);
    pango_attr_list_unref(al);
    pango_layout_set_auto_dir(l, TRUE);
    return l;
}

static PangoLayout *new_layout(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o,
                               int start, int end, double width, double indent)
{
    PangoLayout *l = base_layout(ts, t, o, start, end);
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

static void fit_line(struct pr_tline *tl, const char *text, double avail, bool justify, int gap_stretch,
                     int gap_shrink, double ex_stretch, double ex_shrink, double em);

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
        copy_runs(tl, line, off);
        tl->x = lx + PT(logical.x);
        /* the width the glyphs take (their advances), not Pango's logical
         * box: after a soft-hyphen break Pango 1.50's box is not always the
         * same from run to run, and the overflow check below reads it */
        tl->width = PT(place_runs(tl));
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
            fit_line(tl, t->str, measure - (line->is_paragraph_start && ind > 0 ? PT(ind) : 0), true, 0, 0, 0, 0, 0);
            tl->x = lx + PT(logical.x);
        }
        line_spaces(tl, t->str, &tl->spaces, &tl->space_ratio);
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

static void lay_out(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o)
{
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

/* ---------- the total-fit composer ---------- */

/* Optical margin alignment: how far a character at the start (left) or end
 * (right) of a line may hang into the margin, in thousandths of its width.
 * These are microtype's defaults (R. Schlicht, microtype.cfg, the protrusion
 * set "default"), with the same values for the Unicode forms of its
 * quotes and dashes. */
static const struct {
    gunichar c;
    short left, right;
} protrusions[] = {
    {'A', 50, 50}, {'F', 0, 50}, {'J', 50, 0}, {'K', 0, 50}, {'L', 0, 50}, {'T', 50, 50},
    {'V', 50, 50}, {'W', 50, 50}, {'X', 50, 50}, {'Y', 50, 50}, {'k', 0, 50}, {'r', 0, 50},
    {'v', 50, 50}, {'w', 50, 50}, {'x', 50, 50}, {'y', 0, 50}, {'1', 50, 50}, {'4', 50, 50},
    {'7', 50, 50}, {'.', 0, 700}, {',', 0, 500}, {':', 0, 500}, {';', 0, 300}, {'!', 0, 100},
    {'?', 0, 100}, {'@', 50, 50}, {'~', 200, 250}, {'%', 50, 50}, {'*', 200, 200}, {'+', 250, 250},
    {'(', 100, 0}, {')', 0, 200}, {'/', 100, 200}, {'-', 500, 500}, {0x2010, 500, 500},
    {0x2013, 200, 200}, {0x2014, 150, 150}, {0x2018, 300, 400}, {0x2019, 300, 400},
    {0x201C, 300, 300}, {0x201D, 300, 300}, {0x201A, 400, 400}, {0x201E, 400, 400},
    {0x2039, 400, 300}, {0x203A, 300, 400}, {0xAB, 200, 200}, {0xBB, 200, 200},
};

static double protrusion(gunichar c, bool left)
{
    for (size_t i = 0; i < sizeof protrusions / sizeof protrusions[0]; i++)
        if (protrusions[i].c == c)
            return (left ? protrusions[i].left : protrusions[i].right) / 1000.0;
    return 0;
}

#define SHY_AT(s, i) ((unsigned char)(s)[i] == 0xC2 && (unsigned char)(s)[(i) + 1] == 0xAD)

static bool rtl_script(gunichar c)
{
    switch (g_unichar_get_script(c)) {
    case G_UNICODE_SCRIPT_ARABIC: case G_UNICODE_SCRIPT_HEBREW: case G_UNICODE_SCRIPT_SYRIAC:
    case G_UNICODE_SCRIPT_THAANA: case G_UNICODE_SCRIPT_NKO: case G_UNICODE_SCRIPT_SAMARITAN:
    case G_UNICODE_SCRIPT_MANDAIC:
        return true;
    default:
        return false;
    }
}

/* Does the paragraph's first letter (its first strong character, as the
 * bidi algorithm finds its direction) belong to a right-to-left script? */
static bool starts_rtl(const char *s)
{
    for (; *s; s = g_utf8_next_char(s)) {
        gunichar c = g_utf8_get_char(s);
        if (g_unichar_isalpha(c))
            return rtl_script(c);
    }
    return false;
}

/* Can the total-fit composer set this text? Scripts written without spaces
 * between words, tabs, line separators other than '\n' and right-to-left
 * paragraphs beside a drop cap are left to Pango's breaker. Lines holding
 * right-to-left text are shaped on their own, so Pango orders them; a
 * right-to-left paragraph's lines are set flush right. */
static bool composable(const struct pr_typeset *ts, const struct pr_text *t, const struct pr_textopts *o)
{
    if (o->align != PR_ALIGN_JUSTIFY || ts->L->composer != PR_COMPOSER_TOTAL_FIT || o->width <= 0)
        return false;
    /* right to left: not beside a drop cap */
    if ((o->dir == PR_DIR_RTL || starts_rtl(t->str)) && o->hang_lines > 0 && o->hang_width > 0)
        return false;
    for (const char *p = t->str; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c < 0x80) {
            if (c == '\t' || c == '\r' || c == '\v' || c == '\f')
                return false;
            continue;
        }
        if (c == 0x2028 || c == 0x2029 || c == 0x85)
            return false;
        switch (g_unichar_get_script(c)) {
        case G_UNICODE_SCRIPT_HAN: case G_UNICODE_SCRIPT_HIRAGANA: case G_UNICODE_SCRIPT_KATAKANA:
        case G_UNICODE_SCRIPT_THAI: case G_UNICODE_SCRIPT_LAO: case G_UNICODE_SCRIPT_KHMER:
        case G_UNICODE_SCRIPT_MYANMAR: case G_UNICODE_SCRIPT_TIBETAN: case G_UNICODE_SCRIPT_BOPOMOFO:
            return false;
        default:
            break;
        }
    }
    return true;
}

/* May the letters of this run be spaced apart? Not in right-to-left runs
 * nor in scripts whose letters join or hang from a line (Arabic, Devanagari
 * and the like): only where letters stand alone. */
static bool spaceable(const PangoItem *item)
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

/* A hyphen shaped in a run's font. */
static PangoGlyphString *shape_hyphen(const PangoItem *item)
{
    PangoGlyphString *g = pango_glyph_string_new();
    pango_shape("-", 1, &item->analysis, g);
    return g;
}

/* The paragraph shaped once: the runs of an unwrapped layout, in logical
 * order (they stay the layout's). */
struct shaped {
    PangoGlyphItem **run;
    int n;
};

/* Widths from one unwrapped layout of the whole paragraph: w[i] is the
 * logical width of the character starting at byte i (a ligature's width is
 * shared among its characters, as Pango reports it). A soft hyphen's second
 * byte, which has no width of its own, holds the width of a hyphen in the
 * soft hyphen's font: what a line broken there adds. vis[i] (len + 2 bytes)
 * has bit 2 set where a character in a run whose glyphs may be spaced and
 * expanded starts, and bit 1
 * is set where a glyph cluster with an advance starts: the places letter
 * spacing may open (never inside a ligature). Fills `sh` with the layout's
 * runs. */
static double *measure(PangoLayout *m, const char *text, int len, struct shaped *sh, unsigned char *vis)
{
    double *w = pr_xmalloc((size_t)(len + 2) * sizeof *w);
    memset(w, 0, (size_t)(len + 2) * sizeof *w);
    memset(vis, 0, (size_t)(len + 2));
    int *cw = NULL, cw_cap = 0, cap = 0;
    for (GSList *l = pango_layout_get_lines_readonly(m); l; l = l->next) {
        PangoLayoutLine *line = l->data;
        for (GSList *r = line->runs; r; r = r->next) {
            PangoGlyphItem *run = r->data;
            PangoItem *item = run->item;
            if (sh->n == cap) {
                cap = cap ? cap * 2 : 8;
                sh->run = pr_xrealloc(sh->run, (size_t)cap * sizeof *sh->run);
            }
            sh->run[sh->n++] = run;
            if (item->num_chars > cw_cap) {
                cw_cap = item->num_chars * 2;
                cw = pr_xrealloc(cw, (size_t)cw_cap * sizeof *cw);
            }
            pango_glyph_item_get_logical_widths(run, text, cw);
            const PangoGlyphString *gs = run->glyphs;
            for (int i = 0; i < gs->num_glyphs && spaceable(item); i++)
                if (gs->glyphs[i].geometry.width > 0 && (i == 0 || gs->log_clusters[i] != gs->log_clusters[i - 1]) &&
                    item->offset + gs->log_clusters[i] < len)
                    vis[item->offset + gs->log_clusters[i]] |= 1;
            const char *p = text + item->offset;
            double hy = -1;
            bool ex = spaceable(item);
            for (int k = 0; k < item->num_chars && p < text + len; k++, p = g_utf8_next_char(p)) {
                int at = (int)(p - text);
                w[at] = PT(cw[k]);
                if (ex)
                    vis[at] |= 2;
                if (SHY_AT(text, at)) {
                    if (hy < 0) {
                        PangoGlyphString *g = shape_hyphen(item);
                        hy = PT(pango_glyph_string_get_width(g));
                        pango_glyph_string_free(g);
                    }
                    w[at + 1] = hy;
                }
            }
        }
    }
    free(cw);
    return w;
}

/* The paragraph as boxes, glue and penalties, with the byte range each
 * node covers in t->str. */
struct para_nodes {
    struct pr_lb_node *v;
    int *pos, *end;
    int n, cap;
};

static struct pr_lb_node *push_node(struct para_nodes *pn, enum pr_lb_kind k, int pos, int end)
{
    if (pn->n == pn->cap) {
        pn->cap = pn->cap ? pn->cap * 2 : 64;
        pn->v = pr_xrealloc(pn->v, (size_t)pn->cap * sizeof *pn->v);
        pn->pos = pr_xrealloc(pn->pos, (size_t)pn->cap * sizeof *pn->pos);
        pn->end = pr_xrealloc(pn->end, (size_t)pn->cap * sizeof *pn->end);
    }
    struct pr_lb_node *v = &pn->v[pn->n];
    memset(v, 0, sizeof *v);
    v->kind = k;
    pn->pos[pn->n] = pos;
    pn->end[pn->n] = end;
    pn->n++;
    return v;
}

/* The character before byte i that ends a line's text (spaces aside), and
 * the byte it starts at; 0 when there is none. */
static gunichar char_before(const char *s, int from, int i, int *at)
{
    while (i > from && s[i - 1] == ' ')
        i--;
    if (i <= from)
        return 0;
    const char *p = g_utf8_find_prev_char(s + from, s + i);
    if (!p)
        return 0;
    *at = (int)(p - s);
    return g_utf8_get_char(p);
}

/* How far a line ending at node k may hang into the right margin, and the
 * line after it into the left one (optical margins). */
static void node_hangs(struct para_nodes *pn, int k, const char *s, const double *w, int next_box)
{
    struct pr_lb_node *v = &pn->v[k];
    int at = 0;
    if (v->kind == PR_LB_PENALTY && pn->end[k] - pn->pos[k] == 2 && SHY_AT(s, pn->pos[k]))
        v->hang_end = protrusion('-', false) * w[pn->pos[k] + 1];
    else {
        gunichar c = char_before(s, 0, pn->pos[k], &at);
        v->hang_end = c ? protrusion(c, false) * w[at] : 0;
    }
    if (next_box >= 0) {
        int b = pn->pos[next_box];
        v->hang_start = protrusion(g_utf8_get_char(s + b), true) * w[b];
    }
}

/* Boxes between break opportunities, with gap_stretch and gap_shrink (pt)
 * for each letter gap in them (between two glyph clusters of a word; the
 * gap before a box's first letter is the box's); glue for word spaces
 * (stretch 1/2 and shrink 1/3 of their width, as TeX's fonts have it) that
 * may break where Pango's line-break rules (UAX #14) allow; a flagged
 * penalty with a hyphen's width at each soft hyphen; a penalty at other
 * opportunities (after a hyphen or a dash, flagged after a hyphen); a
 * forced break at each '\n'; TeX's ending (fill, forced break). */
static void build_nodes(struct para_nodes *pn, const struct pr_text *t, const double *w,
                        const unsigned char *vis, const PangoLogAttr *la, int nla, const struct pr_layout *L,
                        bool hang, bool hyphens, double gap_stretch, double gap_shrink, double ex_stretch,
                        double ex_shrink)
{
    const char *s = t->str;
    int len = t->len, ci = 0, box_start = -1, gaps = 0;
    bool after_letter = false;
    double box_w = 0, box_ex = 0;
    double pen = L->hyphen_penalty;
#define FLUSH_BOX(at)                                                           \
    do {                                                                        \
        if (box_start >= 0) {                                                   \
            struct pr_lb_node *bx = push_node(pn, PR_LB_BOX, box_start, (at));  \
            bx->width = box_w;                                                  \
            bx->stretch = gaps * gap_stretch + box_ex * ex_stretch;             \
            bx->shrink = gaps * gap_shrink + box_ex * ex_shrink;                \
        }                                                                       \
        box_start = -1;                                                         \
        box_w = 0;                                                              \
        box_ex = 0;                                                             \
        gaps = 0;                                                               \
    } while (0)
    for (int i = 0; i < len;) {
        if (is_space_at(s + i)) {
            FLUSH_BOX(i);
            int j = i, nch = 0;
            double gw = 0;
            while (j < len && is_space_at(s + j)) {
                gw += w[j];
                j += s[j] == ' ' ? 1 : 2;
                nch++;
            }
            ci += nch;
            after_letter = false;
            struct pr_lb_node *g = push_node(pn, PR_LB_GLUE, i, j);
            g->width = gw;
            g->stretch = gw / 2;
            g->shrink = gw / 3;
            g->nobreak = j >= len || ci >= nla || !la[ci].is_line_break || s[j] == '\n';
            i = j;
            continue;
        }
        if (s[i] == '\n') {
            FLUSH_BOX(i);
            after_letter = false;
            struct pr_lb_node *g = push_node(pn, PR_LB_GLUE, i, i);
            g->stretch = 1e6;
            g->nobreak = true;
            push_node(pn, PR_LB_PENALTY, i, i + 1)->penalty = -PR_LB_INF;
            i++;
            ci++;
            continue;
        }
        if (SHY_AT(s, i)) {
            /* inside a ligature a soft hyphen has a share of its width */
            if (w[i] != 0) {
                if (box_start < 0)
                    box_start = i;
                box_w += w[i];
            }
            FLUSH_BOX(i);
            if (hyphens && ci + 1 < nla && la[ci + 1].is_line_break && i > 0 && i + 2 < len) {
                struct pr_lb_node *p = push_node(pn, PR_LB_PENALTY, i, i + 2);
                p->width = w[i + 1];
                p->penalty = pen;
                p->flagged = true;
            }
            i += 2;
            ci++;
            continue;
        }
        if (ci > 0 && ci < nla && la[ci].is_line_break && box_start >= 0) {
            int at = 0;
            gunichar prev = char_before(s, 0, i, &at);
            FLUSH_BOX(i);
            struct pr_lb_node *p = push_node(pn, PR_LB_PENALTY, i, i);
            p->penalty = pen;
            p->flagged = prev == '-' || prev == 0x2010;
        }
        if (box_start < 0)
            box_start = i;
        box_w += w[i];
        if (vis[i] & 2)
            box_ex += w[i];
        if (vis[i] & 1) {
            gaps += after_letter;
            after_letter = true;
        }
        i = (int)(g_utf8_next_char(s + i) - s);
        ci++;
    }
    FLUSH_BOX(len);
#undef FLUSH_BOX
    struct pr_lb_node *fill = push_node(pn, PR_LB_GLUE, len, len);
    fill->stretch = 1e6;
    fill->nobreak = true;
    push_node(pn, PR_LB_PENALTY, len, len)->penalty = -PR_LB_INF;
    if (!hang)
        return;
    int next_box = -1;
    for (int k = pn->n - 1; k >= 0; k--) {
        if (pn->v[k].kind != PR_LB_BOX)
            node_hangs(pn, k, s, w, next_box);
        else
            next_box = k;
    }
}

/* First glyph of g whose cluster starts at or after byte `rel` of its item
 * (log clusters ascend: a left-to-right run). */
static int glyph_at(const PangoGlyphString *g, int rel)
{
    int lo = 0, hi = g->num_glyphs;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (g->log_clusters[mid] < rel)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The glyphs of a left-to-right run that set bytes [s, e) of the text, as
 * a new glyph item. NULL when s or e falls inside a cluster (a ligature
 * across a soft hyphen), so the line must be shaped on its own. */
static PangoGlyphItem *slice_run(const PangoGlyphItem *g, const char *text, int s, int e, bool *bad)
{
    const PangoGlyphString *gs = g->glyphs;
    int off = g->item->offset, len = g->item->length;
    int rs = s > off ? s - off : 0, re = e < off + len ? e - off : len;
    if (rs >= re)
        return NULL;
    int a = glyph_at(gs, rs), b = glyph_at(gs, re);
    if ((rs > 0 && (a == gs->num_glyphs || gs->log_clusters[a] != rs)) ||
        (re < len && (b == gs->num_glyphs || gs->log_clusters[b] != re))) {
        *bad = true;
        return NULL;
    }
    PangoGlyphItem *n = g_slice_new0(PangoGlyphItem);
    n->item = pango_item_copy(g->item);
    n->item->offset = off + rs;
    n->item->length = re - rs;
    n->item->num_chars = (int)g_utf8_strlen(text + off + rs, re - rs);
    /* exactly b - a glyphs (pango_glyph_string_set_size would round the
     * space up to a power of two: a third more memory for every line) */
    n->glyphs = pango_glyph_string_new();
    n->glyphs->glyphs = g_new(PangoGlyphInfo, b - a > 0 ? b - a : 1);
    n->glyphs->log_clusters = g_new(int, b - a > 0 ? b - a : 1);
    n->glyphs->space = b - a > 0 ? b - a : 1;
    n->glyphs->num_glyphs = b - a;
    memcpy(n->glyphs->glyphs, gs->glyphs + a, (size_t)(b - a) * sizeof *gs->glyphs);
    for (int i = a; i < b; i++)
        n->glyphs->log_clusters[i - a] = gs->log_clusters[i] - rs;
    n->y_offset = g->y_offset;
    n->start_x_offset = rs == 0 ? g->start_x_offset : 0;
    n->end_x_offset = re == len ? g->end_x_offset : 0;
    return n;
}

/* The hyphen shown where a line breaks at the soft hyphen at byte `at`:
 * a run of its own, shaped in the font of the run that holds it. */
static void add_hyphen(struct pr_tline *tl, const struct shaped *sh, int at)
{
    const PangoGlyphItem *src = NULL;
    for (int k = 0; k < sh->n && !src; k++)
        if (sh->run[k]->item->offset <= at && at < sh->run[k]->item->offset + sh->run[k]->item->length)
            src = sh->run[k];
    if (!src)
        return;
    PangoGlyphItem *h = g_slice_new0(PangoGlyphItem);
    h->item = pango_item_copy(src->item);
    h->item->offset = at;
    h->item->length = 2;
    h->item->num_chars = 1;
    h->glyphs = shape_hyphen(src->item);
    for (int i = 0; i < h->glyphs->num_glyphs; i++)
        h->glyphs->log_clusters[i] = 0;
    h->y_offset = src->y_offset;
    push_run(tl, h, true);
}

/* Cut the line t->str [s, e) from the paragraph's shaping; false (and no
 * runs) when a bound falls inside a cluster or a run is right-to-left.
 * *from is the first run that may still hold text; it moves on. */
static bool cut_line(struct pr_tline *tl, const struct shaped *sh, const char *text, int s, int e, int *from)
{
    while (*from < sh->n && sh->run[*from]->item->offset + sh->run[*from]->item->length <= s)
        (*from)++;
    bool bad = false;
    for (int k = *from; k < sh->n && !bad; k++) {
        const PangoGlyphItem *g = sh->run[k];
        if (g->item->offset >= e)
            break;
        if (g->item->analysis.level & 1) {
            bad = true;
            break;
        }
        PangoGlyphItem *piece = slice_run(g, text, s, e, &bad);
        if (piece)
            push_run(tl, piece, false);
    }
    if (bad)
        free_runs(tl);
    return !bad;
}

/* Shape the line t->str [s, e) on its own (for a line whose bounds split a
 * ligature): its runs, copied from a one-line layout. */
static bool shape_line(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o, struct pr_tline *tl,
                       int s, int e, bool rtl)
{
    /* the paragraph's direction, even for a line that starts with a word
     * of the other one (the context is this thread's own) */
    PangoDirection keep = pango_context_get_base_dir(ts->ctx);
    pango_context_set_base_dir(ts->ctx, rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
    PangoLayout *l = base_layout(ts, t, o, s, e);
    pango_layout_set_auto_dir(l, FALSE);
    GSList *lines = pango_layout_get_lines_readonly(l);
    bool one = lines && !lines->next;
    if (one)
        copy_runs(tl, lines->data, s);
    g_object_unref(l);
    pango_context_set_base_dir(ts->ctx, keep);
    return one;
}

/* The letter gaps of a line: places between two glyph clusters with an
 * advance, with no word space between them (across runs too, never after
 * the line's last glyph, never inside a cluster, so ligatures stay whole).
 * A gap opens by widening the last glyph of the cluster before it, so
 * marks keep their place on their base. Adds `delta` Pango units to each
 * gap (when not 0) and returns how many there are. */
static int letter_gaps(struct pr_tline *tl, const char *text, int delta)
{
    PangoGlyphGeometry *before = NULL; /* last glyph of the cluster before a possible gap */
    bool in_letter = false;            /* the glyph just seen belongs to a cluster with an advance */
    int gaps = 0;
    for (int k = 0; k < tl->nruns; k++) {
        const struct pr_trun *r = &tl->runs[k];
        PangoGlyphString *gs = r->gi->glyphs;
        if (!spaceable(r->gi->item)) {
            before = NULL;
            in_letter = false;
            continue;
        }
        for (int i = 0; i < gs->num_glyphs; i++) {
            PangoGlyphGeometry *g = &gs->glyphs[i].geometry;
            bool start = i == 0 || gs->log_clusters[i] != gs->log_clusters[i - 1];
            const char *c = text + r->gi->item->offset + gs->log_clusters[i];
            if (!r->hyphen && (is_space_at(c) || *c == '\n')) {
                before = NULL;
                in_letter = false;
            } else if (start && g->width > 0) {
                if (before) {
                    gaps++;
                    before->width += delta;
                }
                before = g;
                in_letter = true;
            } else if (start)
                in_letter = false; /* a cluster without advance (a soft hyphen): no gap of its own */
            else if (in_letter)
                before = g;
        }
    }
    return gaps;
}

/* Space a line out (or in) so that it is `avail` wide when `justify` (or
 * when it is too long), keeping every glyph as Pango shaped it and changing
 * only advances: as the composer assumed (linebreak.h), for a ratio r the
 * word spaces grow by r times half their width (shrink: a third) and each
 * letter gap by r times gap_stretch (gap_shrink) Pango units, the letters
 * up to |r| = 1 only; the spaces take whatever is left. Places the runs
 * and records the line's width and spacing figures. */
/* Widen (f > 1) or narrow the glyphs of a line's expandable runs by f:
 * their advances here (word spaces keep theirs), their shapes when painted
 * (pr_trun.xscale). */
static void expand_runs(struct pr_tline *tl, const char *text, double f)
{
    for (int k = 0; k < tl->nruns; k++) {
        struct pr_trun *r = &tl->runs[k];
        if (!spaceable(r->gi->item))
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
        if (!spaceable(r->gi->item))
            continue;
        for (int i = 0; i < r->gi->glyphs->num_glyphs; i++)
            if (!space_glyph(text, r, i))
                x += r->gi->glyphs->glyphs[i].geometry.width;
    }
    return x;
}

static void fit_line(struct pr_tline *tl, const char *text, double avail, bool justify, int gap_stretch,
                     int gap_shrink, double ex_stretch, double ex_shrink, double em)
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
        int gaps = letter_gaps(tl, text, 0);
        int gap = d > 0 ? gap_stretch : gap_shrink;
        double ex = d > 0 ? ex_stretch : ex_shrink;
        long xw = ex > 0 ? expandable(tl, text) : 0;
        double y = (d > 0 ? space_pu / 2.0 : space_pu / 3.0) + (double)gaps * gap + (double)xw * ex;
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
        if (gaps > 0 && gap > 0) {
            letter = (int)lround(r * gap);
            if (letter != 0)
                letter_gaps(tl, text, letter);
            d -= (double)gaps * letter;
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
    long set = place_runs(tl);
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
static bool line_extents(struct pr_tline *tl)
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

static void clear_lines(struct pr_text *t)
{
    pr_text_drop_glyphs(t);
    t->nlines = 0;
}

/* The total-fit composer: shape the paragraph once with Pango, choose all
 * its breaks together (linebreak.c), cut each line's glyphs from that one
 * shaping and space them to the widths the breaks imply. Returns false
 * (and leaves no lines) when the paragraph should go to Pango's breaker: a
 * script or character the composer does not handle, or a word wider than
 * the measure (Pango breaks inside it). */
static bool compose(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o)
{
    if (!composable(ts, t, o))
        return false;
    const struct pr_layout *L = ts->L;
    /* right to left: lines flush right, no hyphen breaks (a hyphen's place
     * in a mixed line is Pango's to find), no margin hanging */
    bool rtl = o->dir == PR_DIR_RTL || starts_rtl(t->str);
    PangoLayout *m = base_layout(ts, t, o, 0, t->len);
    struct shaped sh = {0};
    unsigned char *vis = pr_xmalloc((size_t)t->len + 2);
    double *w = measure(m, t->str, t->len, &sh, vis);
    int nla = 0;
    const PangoLogAttr *la = pango_layout_get_log_attrs_readonly(m, &nla);
    /* letter spacing per gap, in the paragraph's em, as whole Pango units
     * so that the composer and fit_line() count the same */
    double em = o->font->size * (o->scale > 0 ? o->scale : 1.0);
    int gap_stretch = PU(L->letter_stretch / 1000.0 * em), gap_shrink = PU(L->letter_shrink / 1000.0 * em);
    struct para_nodes pn = {0};
    /* font expansion: a fraction of the glyphs' width, in steps of 0.005 */
    double ex_stretch = L->expand_stretch / 1000.0, ex_shrink = L->expand_shrink / 1000.0;
    build_nodes(&pn, t, w, vis, la, nla, L, L->optical_margins && !rtl, !rtl, PT(gap_stretch), PT(gap_shrink),
                ex_stretch, ex_shrink);
    free(vis);
    /* line lengths: narrower beside a drop cap, the first less its indent */
    int hang_lines = o->hang_width > 0 ? o->hang_lines : 0;
    int nwidths = (hang_lines > 1 ? hang_lines : 1) + 1;
    double *widths = pr_xmalloc((size_t)nwidths * sizeof *widths);
    for (int i = 0; i < nwidths; i++)
        widths[i] = o->width - (i < hang_lines ? o->hang_width : 0) - (i == 0 ? o->indent : 0);
    struct pr_lb_params lp = pr_linebreak_defaults();
    lp.tolerance = L->tolerance;
    lp.widths = widths;
    lp.nwidths = nwidths;
    lp.plain_lines = hang_lines;
    /* for when nothing fits the tolerance, half an em of emergency stretch
     * (measured on the sample and a generated issue: more lets hyphens
     * give way to loose lines, less leaves lines of one word); at most
     * two hyphens in a row (the sample: 10 more loose lines of 933 than with
     * InDesign's default of three, no ladder of three); a last line shorter than
     * 2.5 em (about five letters, a runt) costs as much as a line with
     * spaces at about 165 % (measured: runts a third as often, loose lines
     * 2 % more often) */
    lp.emergency_stretch = 0.5 * o->font->size * (o->scale > 0 ? o->scale : 1.0);
    lp.max_hyphen_run = 2;
    lp.short_last_line = 2.5 * o->font->size * (o->scale > 0 ? o->scale : 1.0);
    lp.runt_demerits = 50000;
    /* a line whose word spaces must grow past half their width (r > 1,
     * the letters already at their limit) shows holes: it costs as much
     * extra as a line at r = 2.15 (measured with letter spacing 10/30 on
     * the sample: 47 -> 39 loose lines of 918; the generated issue 58 ->
     * 55; more changes nothing, since what remains has no better breaks) */
    lp.loose_demerits = 1e6;
    if (L->optical_margins && !rtl && o->indent <= 0 && t->len > 0)
        lp.hang_first = protrusion(g_utf8_get_char(t->str), true) * w[0];
    struct pr_lb_line *lines = NULL;
    bool emergency = false;
    int n = pr_linebreak_run(pn.v, pn.n, &lp, &lines, &emergency);
    bool ok = n > 0;
    for (int i = 0; ok && i < n; i++)
        ok = lines[i].ratio >= -1;
    int a = -1, from = 0;
    for (int i = 0; ok && i < n; i++) {
        int b = lines[i].end;
        int first = a + 1;
        while (first < b && pn.v[first].kind != PR_LB_BOX)
            first++;
        int s = first < b ? pn.pos[first] : pn.pos[b];
        const struct pr_lb_node *v = &pn.v[b];
        bool shy = v->kind == PR_LB_PENALTY && pn.end[b] - pn.pos[b] == 2 && SHY_AT(t->str, pn.pos[b]);
        int e = shy ? pn.end[b] : pn.pos[b];
        bool forced = v->kind == PR_LB_PENALTY && v->penalty <= -PR_LB_INF;
        double hs = i < hang_lines ? 0 : a < 0 ? lp.hang_first : pn.v[a].hang_start;
        double x = (i < hang_lines ? o->hang_width : 0) + (i == 0 ? o->indent : 0) - hs;
        double avail = widths[i < nwidths ? i : nwidths - 1] + hs + v->hang_end;
        if (e < s)
            e = s;
        t->lines = pr_xrealloc(t->lines, (size_t)(t->nlines + 1) * sizeof *t->lines);
        struct pr_tline *tl = &t->lines[t->nlines++];
        memset(tl, 0, sizeof *tl);
        tl->x = x;
        tl->start = s;
        tl->len = e - s;
        tl->hyphenated = shy;
        ok = (!rtl && cut_line(tl, &sh, t->str, s, shy ? e - 2 : e, &from)) ||
             shape_line(ts, t, o, tl, s, shy ? e - 2 : e, rtl);
        if (shy)
            add_hyphen(tl, &sh, e - 2);
        fit_line(tl, t->str, avail, !forced, gap_stretch, gap_shrink, ex_stretch, ex_shrink, em);
        if (rtl) /* flush right: the indent, if any, on the right */
            tl->x = o->width - (i == 0 ? o->indent : 0) - tl->width;
        if (!line_extents(tl)) {
            /* an empty line (two forced breaks in a row) is as tall as the
             * paragraph's first font */
            struct pr_tline probe = {0};
            PangoGlyphItem *g0 = sh.n ? sh.run[0] : NULL;
            if (g0) {
                probe.runs = &(struct pr_trun){(PangoGlyphItem *)g0, 0, false, 1};
                probe.nruns = 1;
                line_extents(&probe);
            }
            tl->ascent = probe.ascent;
            tl->descent = probe.descent;
        }
        a = b;
    }
    if (!ok)
        clear_lines(t);
    free(sh.run);
    free(lines);
    free(widths);
    free(pn.v);
    free(pn.pos);
    free(pn.end);
    free(w);
    g_object_unref(m);
    return ok;
}


/* What a paragraph's lines depend on besides the layout, the manifest and
 * the fonts (the shape cache's signature covers those): its text (with the
 * soft hyphens hyphenation put in), its spans and its options. */
static GBytes *shape_key(const struct pr_typeset *ts, const struct pr_text *t, const struct pr_textopts *o)
{
    GByteArray *k = g_byte_array_sized_new((guint)t->len + 256);
    /* and the thread's font map: a thread reuses only lines whose fonts are
     * its own, so that no Pango font is used by two threads at once */
    PangoFontMap *fm = ts->fontmap;
#define PUT(v) g_byte_array_append(k, (const guint8 *)&(v), sizeof(v))
#define PUTS(str)                                                                  \
    do {                                                                           \
        const char *s_ = (str) ? (str) : "";                                       \
        g_byte_array_append(k, (const guint8 *)s_, (guint)strlen(s_) + 1);        \
    } while (0)
    PUT(fm);
    PUT(t->len);
    g_byte_array_append(k, (const guint8 *)t->str, (guint)t->len);
    PUT(t->nspans);
    for (int i = 0; i < t->nspans; i++) {
        int kind = (int)t->spans[i].kind;
        PUT(t->spans[i].start);
        PUT(t->spans[i].end);
        PUT(kind);
        PUTS(t->spans[i].arg);
    }
    const struct pr_font *f = o->font;
    int flags = (f->italic ? 1 : 0) | (f->caps ? 2 : 0) | (o->hyphenate ? 4 : 0) | (o->italic_flip ? 8 : 0);
    int align = (int)o->align, dir = (int)o->dir;
    PUTS(f->family);
    PUT(f->size);
    PUT(f->leading);
    PUT(f->weight);
    PUT(f->tracking);
    PUT(flags);
    PUT(o->width);
    PUT(align);
    PUTS(o->lang);
    PUT(o->indent);
    PUT(dir);
    PUT(o->hang_width);
    PUT(o->hang_lines);
    PUT(o->scale);
#undef PUT
#undef PUTS
    return g_byte_array_free_to_bytes(k);
}

static struct pr_text *set_text(struct pr_typeset *ts, struct builder *bd, const struct pr_textopts *o)
{
    struct pr_text *t = pr_xmalloc(sizeof *t);
    memset(t, 0, sizeof *t);
    *PR_PUSH(ts->b->arena, ts->texts, ts->ntexts, ts->texts_cap) = t;
    /* trailing white space would make an empty last line */
    while (bd->s->len && (bd->s->str[bd->s->len - 1] == ' ' || bd->s->str[bd->s->len - 1] == '\n'))
        g_string_truncate(bd->s, bd->s->len - 1);
    if (o->font->caps) {
        char *up = g_utf8_strup(bd->s->str, (gssize)bd->s->len);
        if (strlen(up) == bd->s->len) {
            g_string_assign(bd->s, up);
        }
        g_free(up);
    }
    t->len = (int)bd->s->len;
    t->str = g_string_free(bd->s, FALSE);
    bd->s = NULL;
    t->spans = bd->spans;
    t->nspans = bd->nspans;
    t->width = o->width;
    t->leading = o->font->leading * (o->scale > 0 ? o->scale : 1.0);
    t->color = o->color ? *o->color : o->font->color;
    t->link_dest = o->link_dest;
    t->justify = o->align == PR_ALIGN_JUSTIFY;
    if (t->len == 0)
        return t;
    GBytes *key = pr_shapecache_on() ? shape_key(ts, t, o) : NULL;
    if (!key || !pr_shapecache_get(key, t)) {
        t->total_fit = compose(ts, t, o);
        /* Pango's breaker. Pango 1.50 sometimes sets the line after a
         * soft-hyphen break a point or so wider than the measure. When that
         * happens, drop that hyphenation point and set the paragraph again (a
         * few times at most). */
        for (int attempt = 0; !t->total_fit; attempt++) {
            lay_out(ts, t, o);
            if (attempt == 3 || !drop_bad_breaks(t))
                break;
            clear_lines(t);
        }
        if (key)
            pr_shapecache_put(key, t);
    }
    if (key)
        g_bytes_unref(key);
    for (int i = 0; i < t->nlines; i++) {
        struct pr_tline *tl = &t->lines[i];
        tl->missing = line_glyphs(ts, tl, t->str);
        if (tl->overflow <= 0)
            continue;
        ts->overflow_lines++;
        pr_diag(&ts->b->diags, PR_D_OVERFLOW, ts->cur_pos,
                "a line is %.1f pt wider than its %.1f pt column: \"%.30s\"; shorten the word or allow a break in it",
                tl->overflow, tl->measure, t->str + tl->start);
    }
    ts->lines += t->nlines;
    return t;
}

struct pr_text *pr_text_inlines(struct pr_typeset *ts, const struct pr_inline *in,
                                const struct pr_textopts *o)
{
    struct builder bd = {ts, o, g_string_new(NULL), NULL, 0, 0};
    walk(&bd, in, o->lang, 0);
    return set_text(ts, &bd, o);
}

struct pr_text *pr_text_plain(struct pr_typeset *ts, const char *s, const struct pr_textopts *o)
{
    struct builder bd = {ts, o, g_string_new(NULL), NULL, 0, 0};
    append_text(&bd, s ? s : "", o->lang, o->hyphenate);
    return set_text(ts, &bd, o);
}

void pr_text_drop_glyphs(struct pr_text *t)
{
    for (int i = 0; i < t->nlines; i++)
        free_runs(&t->lines[i]);
}

void pr_text_free(struct pr_text *t)
{
    pr_text_drop_glyphs(t);
    free(t->lines);
    free(t->spans);
    g_free(t->str);
    free(t);
}

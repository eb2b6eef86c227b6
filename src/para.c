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

static bool can_hyphenate(struct pr_typeset *ts, const char *lang)
{
    if (!lang || !ts->hyph)
        return false;
    if (pr_hyph_dict(ts->hyph, lang))
        return true;
    if (lang_unhyphenated(lang))
        return false;
    for (int i = 0; i < ts->nwarned; i++)
        if (strcmp(ts->warned_langs[i], lang) == 0)
            return false;
    *PR_PUSH(ts->b->arena, ts->warned_langs, ts->nwarned, ts->warned_cap) =
        pr_arena_strdup(ts->b->arena, lang);
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

/* Glyphs no bundled font has in one line of a layout whose text starts at
 * `text`: each is reported (PR_D_GLYPH) and counted. */
static int line_glyphs(struct pr_typeset *ts, PangoLayoutLine *line, const char *text)
{
    int missing = 0;
    for (GSList *r = line->runs; r; r = r->next) {
        PangoLayoutRun *run = r->data;
        PangoGlyphString *gs = run->glyphs;
        for (int i = 0; i < gs->num_glyphs; i++) {
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

static bool is_space_at(const char *s)
{
    return s[0] == ' ' || ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0);
}

/* The word spaces of a line Pango set: how many, and the ratio of their set
 * width to their natural width (the font's advance for the space glyph). */
static void line_spaces(PangoLayoutLine *line, const char *text, int *spaces, double *ratio)
{
    double set = 0, natural = 0;
    *spaces = 0;
    for (GSList *r = line->runs; r; r = r->next) {
        PangoLayoutRun *run = r->data;
        PangoGlyphString *gs = run->glyphs;
        for (int i = 0; i < gs->num_glyphs; i++) {
            if (!is_space_at(text + run->item->offset + gs->log_clusters[i]) ||
                gs->glyphs[i].glyph & PANGO_GLYPH_UNKNOWN_FLAG || gs->glyphs[i].geometry.width == 0)
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

/* A layout of t->str [start, end) (or of `text` when given, which stands
 * for that range) with the text's attributes, unwrapped. */
static PangoLayout *base_layout(struct pr_typeset *ts, const struct pr_text *t, const struct pr_textopts *o,
                                int start, int end, const char *text, int text_len)
{
    PangoLayout *l = pango_layout_new(ts->ctx);
    if (text)
        pango_layout_set_text(l, text, text_len);
    else
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
    PangoLayout *l = base_layout(ts, t, o, start, end, NULL, 0);
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

/* Append the lines of layout `li` (from its line `first` on, at most `max`
 * lines; max < 0 = all) to t->lines. Returns how many were added. */
static int take_lines(struct pr_text *t, int li, int first, int max)
{
    PangoLayout *l = t->layouts[li];
    int n = pango_layout_get_line_count(l);
    int added = 0;
    PangoLayoutIter *it = pango_layout_get_iter(l);
    int idx = 0;
    do {
        if (idx < first) {
            idx++;
            continue;
        }
        if (max >= 0 && added >= max)
            break;
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        int baseline = pango_layout_iter_get_baseline(it);
        t->lines = pr_xrealloc(t->lines, (size_t)(t->nlines + 1) * sizeof *t->lines);
        struct pr_tline *tl = &t->lines[t->nlines++];
        tl->layout = li;
        tl->index = idx;
        tl->x = t->layout_x[li] + PT(logical.x);
        tl->width = PT(logical.width);
        tl->ascent = PT(baseline - logical.y);
        tl->descent = PT(logical.y + logical.height - baseline);
        tl->start = t->layout_start[li] + line->start_index;
        tl->len = line->length;
        /* a line broken at a soft hyphen ends with U+00AD (C2 AD) */
        const char *e = t->str + tl->start + tl->len;
        tl->hyphenated = tl->len >= 2 && (unsigned char)e[-2] == 0xC2 && (unsigned char)e[-1] == 0xAD
                         && idx < n - 1;
        double measure = PT(pango_layout_get_width(l));
        /* Pango lets the hyphen of a line broken at a soft hyphen hang past
         * the measure (as optical margin alignment would): not an overflow */
        double hang = tl->hyphenated ? t->leading * 0.5 : 0;
        double over = tl->x - t->layout_x[li] + tl->width - measure;
        tl->overflow = measure > 0 && over > 0.5 + hang ? over : 0;
        /* Pango justifies every line of a paragraph but its last */
        PangoLayoutLine *next = idx + 1 < n ? pango_layout_get_line_readonly(l, idx + 1) : NULL;
        tl->justified = pango_layout_get_justify(l) && next && !next->is_paragraph_start;
        line_spaces(line, pango_layout_get_text(l), &tl->spaces, &tl->space_ratio);
        tl->missing = 0;
        added++;
        idx++;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    return added;
}

static void add_layout(struct pr_text *t, PangoLayout *l, int start, double x)
{
    t->layouts = pr_xrealloc(t->layouts, (size_t)(t->nlayouts + 1) * sizeof *t->layouts);
    t->layout_start = pr_xrealloc(t->layout_start, (size_t)(t->nlayouts + 1) * sizeof(int));
    t->layout_x = pr_xrealloc(t->layout_x, (size_t)(t->nlayouts + 1) * sizeof(double));
    t->layouts[t->nlayouts] = l;
    t->layout_start[t->nlayouts] = start;
    t->layout_x[t->nlayouts] = x;
    t->nlayouts++;
}

static void lay_out(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o)
{
    if (o->hang_lines > 0 && o->hang_width > 0) {
        /* the first lines run beside a drop cap: set them at the narrower
         * measure, then set the rest of the paragraph at full measure */
        PangoLayout *a = new_layout(ts, t, o, 0, t->len, o->width - o->hang_width, 0);
        add_layout(t, a, 0, o->hang_width);
        int got = take_lines(t, 0, 0, o->hang_lines);
        if (pango_layout_get_line_count(a) > got) {
            int rest = t->lines[got - 1].start + t->lines[got - 1].len;
            while (rest < t->len && t->str[rest] == ' ')
                rest++;
            if (rest < t->len) {
                PangoLayout *b = new_layout(ts, t, o, rest, t->len, o->width, 0);
                add_layout(t, b, rest, 0);
                take_lines(t, 1, 0, -1);
            }
        }
    } else {
        PangoLayout *l = new_layout(ts, t, o, 0, t->len, o->width, o->indent);
        add_layout(t, l, 0, 0);
        take_lines(t, 0, 0, -1);
    }
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

/* Can the total-fit composer set this text? Right-to-left and mixed
 * paragraphs, scripts written without spaces between words, tabs and line
 * separators other than '\n' are left to Pango's breaker for now. */
static bool composable(const struct pr_typeset *ts, const struct pr_text *t, const struct pr_textopts *o)
{
    if (o->align != PR_ALIGN_JUSTIFY || ts->L->composer != PR_COMPOSER_TOTAL_FIT || o->dir == PR_DIR_RTL ||
        o->width <= 0)
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
        case G_UNICODE_SCRIPT_ARABIC: case G_UNICODE_SCRIPT_HEBREW: case G_UNICODE_SCRIPT_SYRIAC:
        case G_UNICODE_SCRIPT_THAANA: case G_UNICODE_SCRIPT_NKO: case G_UNICODE_SCRIPT_SAMARITAN:
        case G_UNICODE_SCRIPT_MANDAIC: case G_UNICODE_SCRIPT_HAN: case G_UNICODE_SCRIPT_HIRAGANA:
        case G_UNICODE_SCRIPT_KATAKANA: case G_UNICODE_SCRIPT_THAI: case G_UNICODE_SCRIPT_LAO:
        case G_UNICODE_SCRIPT_KHMER: case G_UNICODE_SCRIPT_MYANMAR: case G_UNICODE_SCRIPT_TIBETAN:
        case G_UNICODE_SCRIPT_BOPOMOFO:
            return false;
        default:
            break;
        }
    }
    return true;
}

/* The width of a hyphen in a run's font. */
static double hyphen_pt(PangoItem *item)
{
    PangoGlyphString *g = pango_glyph_string_new();
    pango_shape("-", 1, &item->analysis, g);
    double w = PT(pango_glyph_string_get_width(g));
    pango_glyph_string_free(g);
    return w;
}

/* Widths from one unwrapped layout of the whole paragraph: w[i] is the
 * logical width of the character starting at byte i (a ligature's width is
 * shared among its characters, as Pango reports it). A soft hyphen's second
 * byte, which has no width of its own, holds the width of a hyphen in the
 * soft hyphen's font: what a line broken there adds. */
static double *measure(PangoLayout *m, const char *text, int len)
{
    double *w = pr_xmalloc((size_t)(len + 2) * sizeof *w);
    memset(w, 0, (size_t)(len + 2) * sizeof *w);
    int nlines = pango_layout_get_line_count(m);
    int *cw = NULL, cw_cap = 0;
    for (int li = 0; li < nlines; li++) {
        PangoLayoutLine *line = pango_layout_get_line_readonly(m, li);
        for (GSList *r = line->runs; r; r = r->next) {
            PangoGlyphItem *run = r->data;
            PangoItem *item = run->item;
            if (item->num_chars > cw_cap) {
                cw_cap = item->num_chars * 2;
                cw = pr_xrealloc(cw, (size_t)cw_cap * sizeof *cw);
            }
            pango_glyph_item_get_logical_widths(run, text, cw);
            const char *p = text + item->offset;
            double hy = -1;
            for (int k = 0; k < item->num_chars && p < text + len; k++, p = g_utf8_next_char(p)) {
                int at = (int)(p - text);
                w[at] = PT(cw[k]);
                if (SHY_AT(text, at)) {
                    if (hy < 0)
                        hy = hyphen_pt(item);
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

/* Boxes between break opportunities; glue for word spaces (stretch 1/2 and
 * shrink 1/3 of their width, as TeX's fonts have it) that may break where
 * Pango's line-break rules (UAX #14) allow; a flagged penalty with a
 * hyphen's width at each soft hyphen; a penalty at other opportunities
 * (after a hyphen or a dash, flagged after a hyphen); a forced break at
 * each '\n'; TeX's ending (fill, forced break). */
static void build_nodes(struct para_nodes *pn, const struct pr_text *t, const double *w,
                        const PangoLogAttr *la, int nla, const struct pr_layout *L, bool hang)
{
    const char *s = t->str;
    int len = t->len, ci = 0, box_start = -1;
    double box_w = 0;
    double pen = L->hyphen_penalty;
#define FLUSH_BOX(at)                                                           \
    do {                                                                        \
        if (box_start >= 0)                                                     \
            push_node(pn, PR_LB_BOX, box_start, (at))->width = box_w;           \
        box_start = -1;                                                         \
        box_w = 0;                                                              \
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
            if (ci + 1 < nla && la[ci + 1].is_line_break && i > 0 && i + 2 < len) {
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

/* Set one chosen line as its own layout: t->str [s, e), the soft hyphen it
 * ends at (if any) shown as a hyphen, spaces stretched or shrunk so that
 * the line is `avail` wide when `justify` (or when it is too long). The
 * glyphs Pango shaped keep their kerning and ligatures; only the word
 * spaces' advances change. Returns false if Pango made more than one line. */
static bool set_line(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o, int s, int e,
                     bool hyph, bool justify, double x, double avail)
{
    int len = e - s;
    char *buf = g_strndup(t->str + s, (gsize)len);
    if (hyph) {
        buf[len - 2] = '-';
        buf[--len] = 0;
    }
    PangoLayout *l = base_layout(ts, t, o, s, e, buf, len);
    /* pango_layout_get_lines (not _readonly): glyph widths may change */
    GSList *lines = pango_layout_get_lines(l);
    if (!lines || lines->next) {
        g_free(buf);
        g_object_unref(l);
        return false;
    }
    PangoLayoutLine *pl = lines->data;
    long natural = 0, space_pu = 0;
    int spaces = 0;
    for (GSList *r = pl->runs; r; r = r->next) {
        PangoLayoutRun *run = r->data;
        PangoGlyphString *gs = run->glyphs;
        for (int i = 0; i < gs->num_glyphs; i++) {
            natural += gs->glyphs[i].geometry.width;
            if (gs->glyphs[i].geometry.width > 0 && is_space_at(buf + run->item->offset + gs->log_clusters[i])) {
                space_pu += gs->glyphs[i].geometry.width;
                spaces++;
            }
        }
    }
    double target = avail * PANGO_SCALE, q = 1;
    if (space_pu > 0 && (justify || natural > target))
        q = fmax(0, 1 + (target - natural) / space_pu);
    long set = natural;
    if (q != 1) {
        /* spread the rounding so the line is exactly as wide as asked */
        double want = 0;
        long given = 0;
        for (GSList *r = pl->runs; r; r = r->next) {
            PangoLayoutRun *run = r->data;
            PangoGlyphString *gs = run->glyphs;
            for (int i = 0; i < gs->num_glyphs; i++) {
                PangoGlyphGeometry *g = &gs->glyphs[i].geometry;
                if (g->width <= 0 || !is_space_at(buf + run->item->offset + gs->log_clusters[i]))
                    continue;
                want += g->width * q;
                int nw = (int)(lround(want) - given);
                given += nw;
                set += nw - g->width;
                g->width = nw;
            }
        }
    }
    g_free(buf);
    add_layout(t, l, s, x);
    t->lines = pr_xrealloc(t->lines, (size_t)(t->nlines + 1) * sizeof *t->lines);
    struct pr_tline *tl = &t->lines[t->nlines++];
    memset(tl, 0, sizeof *tl);
    PangoRectangle logical;
    pango_layout_line_get_extents(pl, NULL, &logical);
    tl->layout = t->nlayouts - 1;
    tl->index = 0;
    tl->x = x;
    tl->width = PT(set);
    tl->ascent = PT(-logical.y);
    tl->descent = PT(logical.y + logical.height);
    tl->start = s;
    tl->len = e - s;
    tl->hyphenated = hyph;
    tl->overflow = set - target > PU(0.5) ? PT(set - target) : 0;
    tl->justified = justify;
    tl->spaces = spaces;
    tl->space_ratio = spaces ? q : 1;
    return true;
}

static void clear_lines(struct pr_text *t)
{
    for (int k = 0; k < t->nlayouts; k++)
        g_object_unref(t->layouts[k]);
    t->nlayouts = 0;
    t->nlines = 0;
}

/* The total-fit composer: measure the paragraph once with Pango, choose
 * all its breaks together (linebreak.c), set each line at the widths the
 * breaks imply. Returns false (and leaves no lines) when the paragraph
 * should go to Pango's breaker: a script or character the composer does
 * not handle, or a word wider than the measure (Pango breaks inside it). */
static bool compose(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o)
{
    if (!composable(ts, t, o))
        return false;
    const struct pr_layout *L = ts->L;
    PangoLayout *m = base_layout(ts, t, o, 0, t->len, NULL, 0);
    double *w = measure(m, t->str, t->len);
    int nla = 0;
    const PangoLogAttr *la = pango_layout_get_log_attrs_readonly(m, &nla);
    struct para_nodes pn = {0};
    build_nodes(&pn, t, w, la, nla, L, L->optical_margins);
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
    if (L->optical_margins && o->indent <= 0 && t->len > 0)
        lp.hang_first = protrusion(g_utf8_get_char(t->str), true) * w[0];
    struct pr_lb_line *lines = NULL;
    bool emergency = false;
    int n = pr_linebreak_run(pn.v, pn.n, &lp, &lines, &emergency);
    bool ok = n > 0;
    for (int i = 0; ok && i < n; i++)
        ok = lines[i].ratio >= -1;
    int a = -1;
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
        ok = set_line(ts, t, o, s, e > s ? e : s, shy, !forced, x, avail);
        a = b;
    }
    if (!ok)
        clear_lines(t);
    free(lines);
    free(widths);
    free(pn.v);
    free(pn.pos);
    free(pn.end);
    free(w);
    g_object_unref(m);
    return ok;
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
    for (int i = 0; i < t->nlines; i++) {
        struct pr_tline *tl = &t->lines[i];
        PangoLayout *l = t->layouts[tl->layout];
        tl->missing = line_glyphs(ts, pango_layout_get_line_readonly(l, tl->index), pango_layout_get_text(l));
        if (tl->overflow <= 0)
            continue;
        ts->overflow_lines++;
        pr_diag(&ts->b->diags, PR_D_OVERFLOW, ts->cur_pos,
                "a line is %.1f pt wider than its %.1f pt column: \"%.30s\"; shorten the word or allow a break in it",
                tl->overflow, PT(pango_layout_get_width(t->layouts[tl->layout])), t->str + tl->start);
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

const char *pr_text_preview(struct pr_arena *a, const struct pr_text *t, int line)
{
    const struct pr_tline *tl = &t->lines[line];
    char *out = pr_arena_alloc(a, (size_t)tl->len + 2);
    int o = 0;
    for (int i = 0; i < tl->len; i++) {
        const unsigned char *c = (const unsigned char *)t->str + tl->start + i;
        if (c[0] == 0xC2 && i + 1 < tl->len && c[1] == 0xAD) {
            if (i + 2 == tl->len && tl->hyphenated)
                out[o++] = '-';
            i++;
            continue;
        }
        if (c[0] == '\n')
            continue;
        out[o++] = (char)c[0];
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = 0;
    return out;
}

void pr_text_ink(const struct pr_text *t, double *top, double *bottom, double *left, double *width)
{
    *top = *bottom = *left = *width = 0;
    if (t->nlines == 0)
        return;
    PangoLayoutLine *line = pango_layout_get_line_readonly(t->layouts[0], 0);
    PangoRectangle ink;
    pango_layout_line_get_extents(line, &ink, NULL);
    *top = PT(ink.y);
    *bottom = PT(ink.y + ink.height);
    *left = PT(ink.x);
    *width = PT(ink.width);
}

void pr_text_paint_line(cairo_t *cr, const struct pr_text *t, int line, double x, double y)
{
    const struct pr_tline *tl = &t->lines[line];
    PangoLayoutLine *pl = pango_layout_get_line_readonly(t->layouts[tl->layout], tl->index);
    cairo_set_source_rgb(cr, t->color.r, t->color.g, t->color.b);
    cairo_move_to(cr, x + tl->x, y);
    pango_cairo_show_layout_line(cr, pl);
}

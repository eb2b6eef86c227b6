/* para.c - typesetting: turns a paragraph (inlines or plain text) into lines
 * with Pango. Builds one UTF-8 string with soft hyphens from libhyphen
 * (hyph.c) and a list of style spans, shapes it with PangoLayout (justified,
 * language-tagged, direction from the first strong character) and records
 * each line's geometry. Called by pages.c and toc.c; painted by paint.c. */
#include "typeset.h"
#include "hyph.h"
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

static PangoLayout *new_layout(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o,
                               int start, int end, double width, double indent)
{
    PangoLayout *l = pango_layout_new(ts->ctx);
    pango_layout_set_text(l, t->str + start, end - start);
    PangoAttrList *al = make_attrs(ts, t, o, start, end);
    pango_layout_set_attributes(l, al);
    pango_attr_list_unref(al);
    pango_layout_set_width(l, PU(width));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_indent(l, PU(indent));
    pango_layout_set_auto_dir(l, TRUE);
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
    /* Pango 1.50 sometimes sets the line after a soft-hyphen break a point
     * or so wider than the measure. When that happens, drop that hyphenation
     * point and set the paragraph again (a few times at most). */
    for (int attempt = 0;; attempt++) {
        lay_out(ts, t, o);
        if (attempt == 3 || !drop_bad_breaks(t))
            break;
        for (int k = 0; k < t->nlayouts; k++)
            g_object_unref(t->layouts[k]);
        t->nlayouts = 0;
        t->nlines = 0;
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

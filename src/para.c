/* para.c - typesetting a paragraph, its first and last stage: builds the
 * text (inlines -> one UTF-8 string with soft hyphens from libhyphen
 * (hyph.c), style spans, Pango attributes), has it broken into lines by the
 * total-fit composer (compose.c: justified or ragged; ragged when the
 * layout says so) or else Pango's breaker (parabreak.c), or
 * takes the lines from the shape cache, and reports missing glyphs and
 * overflowing lines. Called by pages.c and toc.c (typeset.h); writes struct
 * pr_text (text.h), which paint.c draws. */
#include "para_int.h"
#include "hyph.h"
#include <stdlib.h>
#include <string.h>

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
    bd->spans[bd->nspans++] = (struct pr_span){start, (int)bd->s->len, k, arg, 0, 0};
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
                                  bd->ts->L->hyphenate_capitalized, bd->ts->hyph_exc};
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
            append_text(bd, in->text ? in->text : "", lang, bd->o->hyphenate && !bd->o->balance);
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
        case PR_IN_STRIKE:
            if (!deep)
                walk(bd, in->children, lang, depth + 1);
            add_span(bd, start, PR_SPAN_STRIKE, NULL);
            break;
        case PR_IN_FIELD: {
            /* as many underscores as written (an underscore is about half
             * an em), but never wider than the measure */
            const struct pr_font *f = bd->o->font;
            double em = f->size * (bd->o->scale > 0 ? bd->o->scale : 1.0);
            int most = em > 0 ? (int)(bd->o->width / (0.55 * em)) : in->note;
            int n = in->note < most ? in->note : most;
            for (int k = 0; k < (n > 1 ? n : 1); k++)
                g_string_append_c(bd->s, '_');
            add_span(bd, start, PR_SPAN_FIELD, NULL);
            break;
        }
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
        case PR_IN_FIELD:
            for (int k = 0; k < in->note; k++)
                g_string_append_c(s, '_');
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

/* ---------- setting a text ---------- */

/* The options a text is set with: justified text is set ragged (flush
 * left, or right in a right-to-left paragraph) in a layout whose body is
 * (`align: ragged`) and on a measure narrower than `ragged-below:` ems.
 * Returns o, or *ro filled in. */
static const struct pr_textopts *ragged_opts(const struct pr_typeset *ts, const struct pr_textopts *o,
                                             struct pr_textopts *ro)
{
    const struct pr_layout *L = ts->L;
    double em = o->font->size * (o->scale > 0 ? o->scale : 1.0);
    if (o->align != PR_ALIGN_JUSTIFY || !(L->ragged || (o->width > 0 && o->width < L->ragged_below * em)))
        return o;
    *ro = *o;
    ro->align = PR_ALIGN_LEFT;
    return ro;
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
    int flags = (f->italic ? 1 : 0) | (f->caps ? 2 : 0) | (o->hyphenate ? 4 : 0) | (o->italic_flip ? 8 : 0) |
                (o->balance ? 16 : 0);
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
    PUT(o->looseness);
#undef PUT
#undef PUTS
    return g_byte_array_free_to_bytes(k);
}

/* Where the rules of struck text and fill-in fields go, from the metrics of
 * the font that sets the span's first character (read here, in the
 * typesetting thread that owns the font, not while painting). */
static void span_rules(struct pr_text *t, const struct pr_textopts *o)
{
    double em = o->font->size * (o->scale > 0 ? o->scale : 1.0);
    for (int i = 0; i < t->nspans; i++) {
        struct pr_span *sp = &t->spans[i];
        if (sp->kind != PR_SPAN_STRIKE && sp->kind != PR_SPAN_FIELD)
            continue;
        bool strike = sp->kind == PR_SPAN_STRIKE;
        sp->rule_y = strike ? -0.27 * em : 0.1 * em;
        sp->rule_h = em / 18;
        PangoFont *font = NULL;
        for (int l = 0; l < t->nlines && !font; l++)
            for (int k = 0; k < t->lines[l].nruns && !font; k++) {
                const PangoItem *it = t->lines[l].runs[k].gi ? t->lines[l].runs[k].gi->item : NULL;
                if (it && !t->lines[l].runs[k].hyphen && it->offset <= sp->start &&
                    sp->start < it->offset + it->length)
                    font = it->analysis.font;
            }
        if (!font)
            continue;
        PangoFontMetrics *m = pango_font_get_metrics(font, NULL);
        int pos = strike ? pango_font_metrics_get_strikethrough_position(m)
                         : pango_font_metrics_get_underline_position(m);
        int thick = strike ? pango_font_metrics_get_strikethrough_thickness(m)
                           : pango_font_metrics_get_underline_thickness(m);
        pango_font_metrics_unref(m);
        if (thick > 0)
            sp->rule_h = (double)thick / PANGO_SCALE;
        /* Pango's positions are above the baseline; a field's rule sits
         * just under it, at least its own thickness down */
        sp->rule_y = -(double)pos / PANGO_SCALE;
        if (!strike && sp->rule_y < sp->rule_h)
            sp->rule_y = sp->rule_h;
        if (strike && sp->rule_y >= 0)
            sp->rule_y = -0.27 * em;
    }
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
    t->tracked = o->font->tracking > 0;
    if (t->len == 0)
        return t;
    GBytes *key = pr_shapecache_on() ? shape_key(ts, t, o) : NULL;
    if (!key || !pr_shapecache_get(key, t)) {
        /* the total-fit composer, else Pango's breaker */
        t->total_fit = pr_para_compose(ts, t, o);
        if (!t->total_fit)
            pr_para_break_pango(ts, t, o);
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
    span_rules(t, o);
    return t;
}

struct pr_text *pr_text_inlines(struct pr_typeset *ts, const struct pr_inline *in,
                                const struct pr_textopts *o)
{
    struct pr_textopts ro;
    o = ragged_opts(ts, o, &ro);
    struct builder bd = {ts, o, g_string_new(NULL), NULL, 0, 0};
    walk(&bd, in, o->lang, 0);
    if (o->figures)
        add_span(&bd, 0, PR_SPAN_FIGURES, NULL);
    return set_text(ts, &bd, o);
}

struct pr_text *pr_text_plain(struct pr_typeset *ts, const char *s, const struct pr_textopts *o)
{
    struct pr_textopts ro;
    o = ragged_opts(ts, o, &ro);
    struct builder bd = {ts, o, g_string_new(NULL), NULL, 0, 0};
    append_text(&bd, s ? s : "", o->lang, o->hyphenate && !o->balance);
    return set_text(ts, &bd, o);
}

void pr_text_free(struct pr_text *t)
{
    pr_text_drop_glyphs(t);
    free(t->lines);
    free(t->spans);
    g_free(t->str);
    free(t);
}

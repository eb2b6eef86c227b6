/* paralayout.c - typesetting a paragraph: its text as Pango sees it, the
 * font, language, tracking and span styles of a stretch of a struct pr_text
 * (text.h) as Pango attributes on an unwrapped PangoLayout, and the whole
 * text shaped as one unwrapped line: the runs and break attributes such a
 * layout has, made without one where the text allows (wordshape.c shapes
 * its words). Called by compose.c and parabreak.c (para_int.h); reads the
 * text and its options, writes nothing. */
#include "para_int.h"
#include <hb-ot.h>
#include <stdlib.h>
#include <string.h>

/* The Pango attributes of t->str [start, end): the font (scaled), language
 * and tracking of the whole, and each span's style. */
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
        case PR_SPAN_STRIKE:
            a = pango_attr_strikethrough_new(TRUE);
            break;
        case PR_SPAN_FIELD:
            break;
        case PR_SPAN_FIGURES:
            a = pango_attr_font_features_new("tnum 1, lnum 1");
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

/* A layout of t->str [start, end) with the text's attributes, unwrapped. */
PangoLayout *pr_para_layout(struct pr_typeset *ts, const struct pr_text *t, const struct pr_textopts *o,
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

/* ---------- the text shaped as one line ---------- */

/* Which attributes Pango's layout itemizes with, and which it gives the
 * items before shaping (pango-layout.c, 1.50: affects_itemization,
 * affects_break_or_shape); the rest it applies to the shaped runs. */
static gboolean affects_itemization(PangoAttribute *a, gpointer data)
{
    (void)data;
    switch ((int)a->klass->type) {
    case PANGO_ATTR_LANGUAGE: case PANGO_ATTR_FAMILY: case PANGO_ATTR_STYLE: case PANGO_ATTR_WEIGHT:
    case PANGO_ATTR_VARIANT: case PANGO_ATTR_STRETCH: case PANGO_ATTR_SIZE: case PANGO_ATTR_FONT_DESC:
    case PANGO_ATTR_SCALE: case PANGO_ATTR_FALLBACK: case PANGO_ATTR_ABSOLUTE_SIZE: case PANGO_ATTR_GRAVITY:
    case PANGO_ATTR_GRAVITY_HINT: case PANGO_ATTR_FONT_SCALE: case PANGO_ATTR_LETTER_SPACING:
    case PANGO_ATTR_SHAPE: case PANGO_ATTR_RISE: case PANGO_ATTR_BASELINE_SHIFT: case PANGO_ATTR_LINE_HEIGHT:
    case PANGO_ATTR_ABSOLUTE_LINE_HEIGHT: case PANGO_ATTR_TEXT_TRANSFORM:
        return TRUE;
    default:
        return FALSE;
    }
}

static gboolean affects_break_or_shape(PangoAttribute *a, gpointer data)
{
    (void)data;
    switch ((int)a->klass->type) {
    case PANGO_ATTR_ALLOW_BREAKS: case PANGO_ATTR_WORD: case PANGO_ATTR_SENTENCE:
    case PANGO_ATTR_INSERT_HYPHENS: case PANGO_ATTR_FONT_FEATURES: case PANGO_ATTR_SHOW:
        return TRUE;
    default:
        return FALSE;
    }
}

/* Can an item be shaped here as the layout would? Left to right, and with
 * no attribute of its own besides a rise and font features (letter
 * spacing, shapes, baseline shifts, text transforms, variants and font
 * scales: what the layout's post-processing would split or move). */
static bool plain_item(const PangoItem *item)
{
    if (item->analysis.level & 1)
        return false;
    for (GSList *l = item->analysis.extra_attrs; l; l = l->next)
        switch ((int)((const PangoAttribute *)l->data)->klass->type) {
        case PANGO_ATTR_RISE: case PANGO_ATTR_FONT_FEATURES:
            break;
        default:
            return false;
        }
    return true;
}

/* Each run's vertical offset, as the layout's apply_baseline_shift sets
 * it: the first run's baseline (from the font's BASE table, for its
 * script) less the run's own, and the run's rise. */
static void baseline_shift(PangoGlyphItem **run, int n)
{
    int y = 0;
    hb_ot_layout_baseline_tag_t tag = 0;
    hb_position_t baseline = 0;
    for (int i = 0; i < n; i++) {
        PangoItem *item = run[i]->item;
        if (!item->analysis.font)
            continue;
        hb_font_t *hf = pango_font_get_hb_font(item->analysis.font);
        hb_script_t script = (hb_script_t)g_unicode_script_to_iso15924((GUnicodeScript)item->analysis.script);
        hb_language_t lang = hb_language_from_string(pango_language_to_string(item->analysis.language), -1);
        hb_tag_t script_tags[HB_OT_MAX_TAGS_PER_SCRIPT], lang_tags[HB_OT_MAX_TAGS_PER_LANGUAGE];
        unsigned nscript = HB_OT_MAX_TAGS_PER_SCRIPT, nlang = HB_OT_MAX_TAGS_PER_LANGUAGE;
        hb_ot_tags_from_script_and_language(script, lang, &nscript, script_tags, &nlang, lang_tags);
        bool centred = item->analysis.flags & PANGO_ANALYSIS_FLAG_CENTERED_BASELINE;
        hb_direction_t dir = centred ? HB_DIRECTION_TTB : HB_DIRECTION_LTR;
        hb_position_t own;
        bool first = tag == 0;
        if (first)
            tag = centred ? HB_OT_LAYOUT_BASELINE_TAG_IDEO_EMBOX_CENTRAL
                          : hb_ot_layout_get_horizontal_baseline_tag_for_script(script);
        hb_ot_layout_get_baseline_with_fallback(hf, tag, dir, script_tags[nscript - 1],
                                                nlang ? lang_tags[nlang - 1] : HB_TAG_NONE, &own);
        if (first)
            baseline = own;
        hb_position_t adjust = centred ? 0 : baseline - own;
        int rise = 0;
        for (GSList *l = item->analysis.extra_attrs; l; l = l->next)
            if (((PangoAttribute *)l->data)->klass->type == PANGO_ATTR_RISE)
                rise += ((PangoAttrInt *)l->data)->value;
        y += rise + adjust;
        run[i]->y_offset = y;
        run[i]->start_x_offset = run[i]->end_x_offset = 0;
        y += -rise - adjust;
    }
}

/* Release the attribute lists (NULL: none). */
static void unref_lists(PangoAttrList *a, PangoAttrList *b, PangoAttrList *c)
{
    PangoAttrList *all[3] = {a, b, c};
    for (int i = 0; i < 3; i++)
        if (all[i])
            pango_attr_list_unref(all[i]);
}

static void push_run(struct pr_shaped *sh, PangoGlyphItem *g, int *cap)
{
    if (sh->n == *cap) {
        *cap = *cap ? *cap * 2 : 8;
        sh->run = pr_xrealloc(sh->run, (size_t)*cap * sizeof *sh->run);
    }
    sh->run[sh->n++] = g;
}

/* The text shaped as Pango's layout shapes one unwrapped line
 * (pango_layout_check_lines, process_line and the line's post-processing
 * in 1.50), its words through the thread's word cache: itemized with the
 * attributes that itemize, the items given those that shape, the break
 * attributes, each item shaped as a run, the runs' baselines and rises,
 * then split where the remaining attributes (colour, strike) change.
 * False, with nothing made, for what only the layout does: more than one
 * paragraph, a right-to-left paragraph or run, tracking, and the
 * attributes plain_item() refuses; and with a Pango other than 1.50. */
static bool shape_direct(struct pr_typeset *ts, const struct pr_text *t, const struct pr_textopts *o,
                         struct pr_shaped *sh)
{
    const char *text = t->str;
    int len = t->len;
    /* what is followed here is Pango 1.50's layout, whose baselines come
     * from HarfBuzz 4 and later; another Pango lays out on its own */
    static const int pango_from = PANGO_VERSION_ENCODE(1, 50, 0), pango_to = PANGO_VERSION_ENCODE(1, 51, 0);
    if (pango_version() < pango_from || pango_version() >= pango_to || !hb_version_atleast(4, 0, 0))
        return false;
    if (o->font->tracking != 0 || len == 0 || memchr(text, '\n', (size_t)len) || memchr(text, '\r', (size_t)len) ||
        strstr(text, "\xE2\x80\xA9") || strstr(text, "\xC2\x85"))
        return false;
    /* (deprecated, but what the layout itself asks for its direction) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    PangoDirection dir = pango_find_base_dir(text, len);
#pragma GCC diagnostic pop
    if (dir == PANGO_DIRECTION_NEUTRAL)
        dir = pango_context_get_base_dir(ts->ctx);
    if (dir != PANGO_DIRECTION_LTR)
        return false;
    PangoAttrList *attrs = make_attrs(ts, t, o, 0, len);
    PangoAttrList *shape_attrs = pango_attr_list_filter(attrs, affects_break_or_shape, NULL);
    PangoAttrList *item_attrs = pango_attr_list_filter(attrs, affects_itemization, NULL);
    GList *items = pr_itemize(ts, dir, text, len, item_attrs);
    if (shape_attrs) {
        PangoAttrIterator *si = pango_attr_list_get_iterator(shape_attrs);
        for (GList *l = items; l; l = l->next)
            pango_item_apply_attrs(l->data, si);
        pango_attr_iterator_destroy(si);
    }
    int nchars = pr_utf8_chars(text, len);
    PangoLogAttr *la = g_new0(PangoLogAttr, nchars + 1);
    pr_default_break(text, len, la, nchars + 1);
    int off = 0;
    bool plain = items != NULL;
    for (GList *l = items; l; l = l->next) {
        PangoItem *item = l->data;
        pango_tailor_break(text + item->offset, item->length, &item->analysis, -1, la + off, item->num_chars + 1);
        off += item->num_chars;
        plain = plain && plain_item(item);
    }
    if (shape_attrs && items)
        pango_attr_break(text, len, shape_attrs, ((PangoItem *)items->data)->offset, la, nchars + 1);
    /* a break after the text that would add a hyphen: the layout adds one */
    plain = plain && !la[nchars].break_inserts_hyphen;
    if (!plain) {
        g_list_free_full(items, (GDestroyNotify)pango_item_free);
        g_free(la);
        unref_lists(attrs, shape_attrs, item_attrs);
        return false;
    }
    if (!ts->words)
        ts->words = pr_wordcache_new();
    PangoShapeFlags flags =
        pango_context_get_round_glyph_positions(ts->ctx) ? PANGO_SHAPE_ROUND_POSITIONS : PANGO_SHAPE_NONE;
    PangoGlyphItem **shaped = pr_xmalloc((size_t)g_list_length(items) * sizeof *shaped);
    int n = 0;
    off = 0;
    for (GList *l = items; l; l = l->next) {
        PangoItem *item = l->data;
        PangoGlyphItem *g = g_slice_new0(PangoGlyphItem);
        g->item = item;
        g->glyphs = pango_glyph_string_new();
        pr_wordcache_shape(ts->words, item, text, len, la + off, g->glyphs, flags);
        off += item->num_chars;
        shaped[n++] = g;
    }
    g_list_free(items);
    baseline_shift(shaped, n);
    int cap = 0;
    for (int i = 0; i < n; i++) {
        GSList *pieces = pango_glyph_item_apply_attrs(shaped[i], text, attrs);
        for (GSList *l = pieces; l; l = l->next)
            push_run(sh, l->data, &cap);
        g_slist_free(pieces);
    }
    free(shaped);
    sh->la = sh->own_la = la;
    sh->nla = nchars + 1;
    unref_lists(attrs, shape_attrs, item_attrs);
    return true;
}

void pr_para_shape(struct pr_typeset *ts, const struct pr_text *t, const struct pr_textopts *o,
                   struct pr_shaped *sh)
{
    memset(sh, 0, sizeof *sh);
    if (shape_direct(ts, t, o, sh))
        return;
    sh->layout = pr_para_layout(ts, t, o, 0, t->len);
    int cap = 0;
    for (GSList *l = pango_layout_get_lines_readonly(sh->layout); l; l = l->next)
        for (GSList *r = ((PangoLayoutLine *)l->data)->runs; r; r = r->next)
            push_run(sh, r->data, &cap);
    sh->la = pango_layout_get_log_attrs_readonly(sh->layout, &sh->nla);
}

void pr_para_shape_free(struct pr_shaped *sh)
{
    if (sh->layout)
        g_object_unref(sh->layout);
    else
        for (int i = 0; i < sh->n; i++)
            pango_glyph_item_free(sh->run[i]);
    g_free(sh->own_la);
    free(sh->run);
    memset(sh, 0, sizeof *sh);
}

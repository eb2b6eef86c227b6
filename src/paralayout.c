/* paralayout.c - typesetting a paragraph: its text as Pango sees it, the
 * font, language, tracking and span styles of a stretch of a struct pr_text
 * (text.h) as Pango attributes on an unwrapped PangoLayout. Called by
 * compose.c and parabreak.c (para_int.h); reads the text and its options,
 * writes nothing. */
#include "para_int.h"

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

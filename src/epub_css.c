/* epub_css.c - the EPUB back end's stylesheet, style.css, derived from the
 * issue's layout: its fonts as relative sizes, leading, weight and colour,
 * clamped for small screens, and house rules for everything else. Reads the
 * layout, writes one document. Called by out_epub.c. */
#include "epub_int.h"
#include <string.h>

/* ---------- stylesheet ---------- */

/* ` name: <number><unit>;` with a '.' whatever the locale. */
static void css_num(GString *g, const char *name, double v, const char *unit)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    g_string_append_printf(g, "  %s: %s%s;\n", name, g_ascii_formatd(buf, sizeof buf, "%.3g", v), unit);
}

static const char *css_color(struct pr_arena *A, struct pr_color c)
{
    int r = (int)(c.r * 255 + 0.5), gr = (int)(c.g * 255 + 0.5), bl = (int)(c.b * 255 + 0.5);
    return pr_arena_printf(A, "#%02x%02x%02x", r & 255, gr & 255, bl & 255);
}

/* Near-black text takes the reading system's colour (and its night theme). */
static bool is_dark(struct pr_color c)
{
    return c.r < 0.2 && c.g < 0.2 && c.b < 0.2;
}

/* A layout font as CSS: the family (not embedded: readers that have it use
 * it) with a generic fallback, the size relative to the body's and clamped
 * to [lo, hi] so a display size does not swamp a phone screen, leading as
 * a unitless line height, weight, style, capitals, tracking and colour. */
static void css_font(struct epub *e, GString *g, const struct pr_font *f, double lo, double hi)
{
    const struct pr_font *body = &e->is->layout.body;
    const char *fam = f->family ? f->family : body->family;
    char *low = g_ascii_strdown(fam ? fam : "", -1);
    const char *generic = "serif";
    if (strstr(low, "mono") || strstr(low, "courier"))
        generic = "monospace";
    else if (strstr(low, "sans") || strstr(low, "biolinum") || strstr(low, "helvetica") || strstr(low, "arial"))
        generic = "sans-serif";
    g_free(low);
    g_string_append(g, "  font-family: ");
    if (fam && *fam) {
        g_string_append_c(g, '"');
        for (const char *p = fam; *p; p++)
            if (*p == '"' || *p == '\\')
                g_string_append_printf(g, "\\%c", *p);
            else if ((unsigned char)*p >= 0x20)
                g_string_append_c(g, *p);
        g_string_append(g, "\", ");
    }
    g_string_append_printf(g, "%s;\n", generic);
    if (f != body && body->size > 0 && f->size > 0) {
        double r = f->size / body->size;
        css_num(g, "font-size", r < lo ? lo : r > hi ? hi : r, "em");
    }
    if (f->size > 0 && f->leading > 0) {
        double lh = f->leading / f->size;
        css_num(g, "line-height", lh < 1.05 ? 1.05 : lh > 1.8 ? 1.8 : lh, "");
    }
    g_string_append_printf(g, "  font-weight: %s;\n  font-style: %s;\n", f->weight >= 600 ? "bold" : "normal",
                           f->italic ? "italic" : "normal");
    if (f->caps)
        g_string_append(g, "  text-transform: uppercase;\n");
    if (f->tracking != 0)
        css_num(g, "letter-spacing", f->tracking / 1000, "em");
    if (f != body && !is_dark(f->color))
        g_string_append_printf(g, "  color: %s;\n", css_color(e->A, f->color));
}

static void css_rule(struct epub *e, GString *g, const char *sel, const struct pr_font *f, double lo, double hi,
                     const char *extra)
{
    g_string_append_printf(g, "%s {\n", sel);
    css_font(e, g, f, lo, hi);
    g_string_append_printf(g, "%s}\n", extra);
}

/* Relative units throughout and no colour on body text, so reading systems
 * can change the size, the font and the theme. */
void pr_epub_write_css(struct epub *e)
{
    const struct pr_layout *L = &e->is->layout;
    const char *rule = css_color(e->A, L->rule), *accent = css_color(e->A, L->accent);
    GString *g = g_string_new(NULL);
    g_string_append_printf(g, "/* pressrun: from the layout '%s' */\n", L->name ? L->name : "magazine");
    css_rule(e, g, "body", &L->body, 1, 1, "  margin: 0 1em;\n");
    /* justified, or ragged as the layout sets its body (`align: ragged`) */
    g_string_append_printf(g, "p {\n  margin: 0;\n  text-indent: 0;\n  text-align: %s;\n  orphans: 2;\n"
                              "  widows: 2;\n  -webkit-hyphens: auto;\n  -epub-hyphens: auto;\n  hyphens: auto;\n}\n"
                              "p + p {\n",
                           L->ragged ? "start" : "justify");
    css_num(g, "text-indent", L->body.size > 0 && L->para_indent > 0 ? L->para_indent / L->body.size : 1, "em");
    g_string_append(g, "}\n");
    css_rule(e, g, "p.label, span.section", &L->label, 0.7, 1, "  margin: 0 0 0.3em;\n  text-align: start;\n");
    css_rule(e, g, "h1", &L->title, 1.4, 2.2,
             "  margin: 0 0 0.4em;\n  text-align: start;\n  -webkit-hyphens: manual;\n  -epub-hyphens: manual;\n"
             "  hyphens: manual;\n");
    css_rule(e, g, "h2", &L->heading, 1.15, 1.5,
             "  margin: 1.4em 0 0.5em;\n  page-break-after: avoid;\n  break-after: avoid;\n");
    css_rule(e, g, "h3, h4, h5, h6", &L->heading, 1, 1.2,
             "  margin: 1.2em 0 0.4em;\n  page-break-after: avoid;\n  break-after: avoid;\n");
    css_rule(e, g, "p.deck", &L->deck, 1.1, 1.5, "  margin: 0 0 0.8em;\n  text-align: start;\n");
    css_rule(e, g, "p.byline", &L->byline, 0.75, 1, "  margin: 0 0 0.2em;\n  text-align: start;\n");
    css_rule(e, g, "figcaption, p.caption", &L->caption, 0.75, 1, "  margin: 0.5em 0 0;\n  text-align: start;\n");
    char *x = pr_arena_printf(e->A,
                              "  margin: 1.2em 0;\n  padding: 0.5em 0;\n  text-align: center;\n"
                              "  border-top: 1px solid %s;\n  border-bottom: 1px solid %s;\n"
                              "  page-break-inside: avoid;\n  break-inside: avoid;\n",
                              rule, rule);
    css_rule(e, g, "aside.pullquote", &L->pullquote, 1.1, 1.5, x);
    css_rule(e, g, "pre, code", &L->code, 0.8, 1, "");
    x = pr_arena_printf(e->A, "  margin: 1.5em 0 0;\n  padding-top: 0.5em;\n  border-top: 1px solid %s;\n", rule);
    css_rule(e, g, "section.footnotes", &L->footnote, 0.75, 1, x);
    /* tables ruled as the layout rules them (booktabs by default) */
    const struct pr_table_style *ts = &L->table_style;
    const char *text = css_color(e->A, L->body.color);
    css_rule(e, g, "table", &L->table, 0.8, 1,
             "  border-collapse: collapse;\n  margin: 1em 0;\n  width: 100%;\n"
             "  font-variant-numeric: tabular-nums lining-nums;\n");
    css_rule(e, g, "caption", &L->caption, 0.75, 1, "  caption-side: top;\n  text-align: start;\n  margin-bottom: 0.3em;\n");
    g_string_append(g, "th, td {\n  padding: 0.25em 0.45em;\n  vertical-align: top;\n  text-align: start;\n}\n"
                       "th {\n  font-weight: bold;\n  vertical-align: bottom;\n}\n"
                       "th.left, td.left {\n  text-align: left;\n}\nth.center, td.center {\n  text-align: center;\n}\n"
                       "th.right, td.right {\n  text-align: right;\n}\n"
                       "td.num {\n  white-space: nowrap;\n}\n");
    switch (ts->rules) {
    case PR_TRULES_NONE:
        break;
    case PR_TRULES_GRID:
        g_string_append_printf(g, "th, td {\n  border: %.2fpt solid %s;\n}\n", ts->rule, rule);
        break;
    case PR_TRULES_ROWS:
        g_string_append_printf(g, "tbody tr + tr td {\n  border-top: %.2fpt solid %s;\n}\n", ts->rule / 2, rule);
        /* fall through */
    case PR_TRULES_BOOKTABS:
        g_string_append_printf(g,
                               "thead th {\n  border-top: %.2fpt solid %s;\n  border-bottom: %.2fpt solid %s;\n}\n"
                               "tbody tr:last-child td {\n  border-bottom: %.2fpt solid %s;\n}\n",
                               ts->rule * 2, text, ts->rule, text, ts->rule * 2, text);
        break;
    }
    if (ts->stripes)
        g_string_append_printf(g, "tbody tr:nth-child(even) td {\n  background-color: rgba(%d, %d, %d, 0.07);\n}\n",
                               (int)(L->accent.r * 255), (int)(L->accent.g * 255), (int)(L->accent.b * 255));
    g_string_append(g, "s {\n  text-decoration: line-through;\n}\n"
                       "span.field {\n  display: inline-block;\n  border-bottom: 1px solid;\n  height: 1em;\n"
                       "  vertical-align: baseline;\n}\n"
                       "p.fields {\n  text-align: start;\n  text-indent: 0;\n  hyphens: manual;\n"
                       "  -webkit-hyphens: manual;\n  -epub-hyphens: manual;\n}\n");
    g_string_append_printf(
        g,
        "header {\n  margin: 0 0 1.2em;\n}\n"
        "p.translator {\n  text-transform: none;\n  letter-spacing: 0;\n  font-style: italic;\n}\n"
        "figure {\n  margin: 1em 0;\n  text-align: center;\n  page-break-inside: avoid;\n  break-inside: avoid;\n}\n"
        "figure img {\n  max-width: 100%%;\n  height: auto;\n}\n"
        "figure.lead {\n  margin: 0 0 1.2em;\n}\n"
        "figure.ad {\n  margin: 0;\n}\nfigure.ad img {\n  width: 100%%;\n}\n"
        "p.kicker {\n  font-style: italic;\n  margin: 0;\n}\np.bio {\n  font-style: italic;\n  margin-top: 1em;\n}\n"
        "blockquote {\n  margin: 1em 1.5em;\n}\n"
        "aside.pullquote p {\n  text-align: center;\n  text-indent: 0;\n}\n"
        "aside.sidebar {\n  margin: 1.2em 0;\n  padding: 0.6em 0.8em;\n  background-color: #f6eeee;\n"
        "  border-top: 2px solid %s;\n  page-break-inside: avoid;\n  break-inside: avoid;\n}\n"
        "aside.sidebar p {\n  text-indent: 0;\n  margin: 0.3em 0 0;\n}\n"
        "p.sidebar-title {\n  font-weight: bold;\n  margin: 0 0 0.3em;\n}\n"
        "span.credit {\n  font-style: normal;\n  font-variant: small-caps;\n  font-size: 0.85em;\n}\n"
        "p.signature {\n  text-align: right;\n  text-indent: 0;\n  font-variant: small-caps;\n"
        "  margin: 0.2em 0 1em;\n}\n"
        "div.verse {\n  margin: 1em 0 1em 1.5em;\n}\n"
        "p.stanza {\n  text-align: left;\n  text-indent: 0;\n  margin: 0 0 1em;\n  padding-left: 1.5em;\n"
        "  text-indent: -1.5em;\n  hyphens: none;\n  -epub-hyphens: none;\n}\n"
        "pre {\n  white-space: pre-wrap;\n  margin: 1em 0;\n}\n"
        "ul, ol {\n  margin: 0.6em 0;\n  padding-left: 1.6em;\n}\n"
        "[dir=\"rtl\"] ul, [dir=\"rtl\"] ol, ul[dir=\"rtl\"], ol[dir=\"rtl\"] {\n  padding-left: 0;\n"
        "  padding-right: 1.6em;\n}\n"
        "li p + p, blockquote p + p {\n  text-indent: 0;\n  margin-top: 0.4em;\n}\n"
        "hr {\n  border: 0;\n  border-top: 1px solid %s;\n  margin: 1.5em 30%%;\n}\n"
        "sup {\n  line-height: 0;\n  font-size: 0.75em;\n}\n"
        "a.noteref {\n  text-decoration: none;\n  color: %s;\n}\n"
        "aside.footnote {\n  margin: 0 0 0.4em;\n}\n"
        "aside.footnote p {\n  text-indent: 0;\n}\n"
        "p.endnote {\n  margin: 1.5em 0 0;\n  text-indent: 0;\n  font-style: italic;\n}\n"
        "header.titlepage {\n  margin: 1em 0 2em;\n  text-align: center;\n}\n"
        "header.titlepage p {\n  text-align: center;\n  text-indent: 0;\n}\n"
        "p.masthead {\n  font-size: 2.2em;\n  font-weight: bold;\n  line-height: 1.1;\n}\n"
        "p.issue {\n  font-size: 1.2em;\n  margin-top: 0.3em;\n}\n"
        "nav ol {\n  list-style: none;\n  padding: 0;\n  margin: 0;\n}\n"
        "nav ol ol {\n  margin: 0.2em 0 0.8em;\n}\n"
        "nav li {\n  margin: 0.3em 0;\n}\n"
        "nav a {\n  text-decoration: none;\n  color: inherit;\n}\n"
        "nav span.section {\n  display: block;\n  margin-top: 0.8em;\n}\n"
        "html.cover, body.cover, section.cover {\n  height: 100%%;\n  margin: 0;\n  padding: 0;\n}\n"
        "section.cover {\n  text-align: center;\n}\n"
        "img.cover {\n  max-width: 100%%;\n  max-height: 100%%;\n  height: auto;\n}\n",
        accent, rule, accent);
    pr_epub_add_doc(e, "style.css", "css", "text/css", g);
}

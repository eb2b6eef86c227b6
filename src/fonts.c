/* fonts.c - typesetting: a private fontconfig configuration over the issue's
 * own fonts/ folder, the layout's font folders and the bundled fonts/,
 * handed to a Pango font map, so output never depends on the fonts a
 * machine has installed. Called by pr_typeset_new (typeset stage). */
#include "typeset.h"
#include <fontconfig/fontconfig.h>
#include <pango/pangofc-fontmap.h>
#include <glib/gstdio.h>
#include <string.h>

/* Families the bundled fonts provide for scripts and symbols the text faces
 * lack: Pango falls back through this list in order. */
static const char *const fallbacks = "Amiri,DejaVu Sans";

/* The font maps of the last build, kept for the next one in the same
 * process (pressrun watch): their faces and glyph caches stay warm. One per
 * typesetting thread (Pango's font maps are not shared between threads).
 * They are keyed by the folder and a signature of its files (names, sizes,
 * times), so a changed font gives new maps. */
static struct {
    char *dir, *sig;
    PangoFontMap *fm;
} cache[PR_FONTS_SLOTS];

static gint cmp_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *folder_signature(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return g_strdup("");
    GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
    const char *n;
    while ((n = g_dir_read_name(d)))
        g_ptr_array_add(names, g_strdup(n));
    g_dir_close(d);
    g_ptr_array_sort(names, cmp_names);
    GString *sig = g_string_new(NULL);
    for (guint i = 0; i < names->len; i++) {
        const char *name = g_ptr_array_index(names, i);
        char *path = g_build_filename(dir, name, NULL);
        GStatBuf st;
        if (g_stat(path, &st) == 0)
            g_string_append_printf(sig, "%s:%lld:%lld;", name, (long long)st.st_size, (long long)st.st_mtime);
        g_free(path);
    }
    g_ptr_array_free(names, TRUE);
    return g_string_free(sig, FALSE);
}

static PangoFontMap *fonts_new(struct pr_build *b, const char *dir);

/* The font folders' signature: the issue's and the layout's, then the
 * bundled fonts'. */
char *pr_fonts_signature(struct pr_build *b)
{
    GString *g = g_string_new(NULL);
    const struct pr_layout *L = b->issue ? &b->issue->layout : NULL;
    for (int i = 0; L && i < L->nfont_dirs; i++) {
        char *one = folder_signature(L->font_dirs[i]);
        g_string_append_printf(g, "%s{%s}", L->font_dirs[i], one);
        g_free(one);
    }
    char *bundled = folder_signature(pr_path_join(b->arena, b->input.datadir, "fonts"));
    g_string_append(g, bundled);
    g_free(bundled);
    return g_string_free(g, FALSE);
}

PangoFontMap *pr_fonts_new(struct pr_build *b, int slot)
{
    const char *dir = pr_path_join(b->arena, b->input.datadir, "fonts");
    char *sig = pr_fonts_signature(b);
    if (slot < 0 || slot >= PR_FONTS_SLOTS) {
        /* more threads than kept maps: a map of its own, not kept (a font
         * map is never shared between threads) */
        g_free(sig);
        return fonts_new(b, dir);
    }
    if (cache[slot].fm && strcmp(cache[slot].dir, dir) == 0 && strcmp(cache[slot].sig, sig) == 0) {
        g_free(sig);
        return g_object_ref(cache[slot].fm);
    }
    PangoFontMap *fm = fonts_new(b, dir);
    if (fm) {
        if (cache[slot].fm)
            g_object_unref(cache[slot].fm);
        g_free(cache[slot].dir);
        g_free(cache[slot].sig);
        cache[slot].dir = g_strdup(dir);
        cache[slot].sig = sig;
        cache[slot].fm = g_object_ref(fm);
    } else
        g_free(sig);
    return fm;
}

static PangoFontMap *fonts_new(struct pr_build *b, const char *dir)
{
    struct pr_pos nopos = {dir, 0, 0};
    FcConfig *cfg = FcConfigCreate();
    /* No system configuration is loaded: no system font dirs, no aliases.
     * The cache goes where the user's fontconfig cache is (or nowhere). */
    FcConfigParseAndLoadFromMemory(cfg, (const FcChar8 *)
        "<?xml version=\"1.0\"?><fontconfig><cachedir prefix=\"xdg\">fontconfig</cachedir></fontconfig>",
        FcFalse);
    /* the magazine's own faces first: the issue's fonts/, the layout's */
    const struct pr_layout *L = b->issue ? &b->issue->layout : NULL;
    for (int i = 0; L && i < L->nfont_dirs; i++)
        if (!FcConfigAppFontAddDir(cfg, (const FcChar8 *)L->font_dirs[i]))
            pr_diag(&b->diags, PR_D_FONT, nopos, "cannot read the font folder '%s'", L->font_dirs[i]);
    if (!FcConfigAppFontAddDir(cfg, (const FcChar8 *)dir)) {
        pr_diag(&b->diags, PR_D_FONT, nopos,
                "cannot read the bundled fonts folder; set PRESSRUN_DATADIR to the folder holding fonts/ and layouts/");
        FcConfigDestroy(cfg);
        return NULL;
    }
    FcFontSet *set = FcConfigGetFonts(cfg, FcSetApplication);
    if (!set || set->nfont == 0) {
        pr_diag(&b->diags, PR_D_FONT, nopos, "no fonts found in the bundled fonts folder");
        FcConfigDestroy(cfg);
        return NULL;
    }
    /* the process's current configuration too: Pango's font map loads
     * the current one (FcInit) when it is made, and with none set that
     * is the system's, every file of /etc/fonts parsed and every system
     * font's cache read (9 % of a one-article issue's instructions) for
     * nothing pressrun uses; with this one set, whatever asks fontconfig
     * without a configuration of its own (cairo's font options, poppler
     * drawing an ad's fonts) finds the bundled fonts, not the machine's */
    FcConfigSetCurrent(cfg);
    PangoFontMap *fm = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
    pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(fm), cfg);
    FcConfigDestroy(cfg); /* the font map holds its own reference */
    pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(fm), 72.0);
    return fm;
}

PangoFontDescription *pr_fonts_desc(const struct pr_font *f, double scale)
{
    PangoFontDescription *d = pango_font_description_new();
    char fam[256];
    snprintf(fam, sizeof fam, "%s,%s", f->family ? f->family : "Linux Libertine O", fallbacks);
    pango_font_description_set_family(d, fam);
    double size = f->size * (scale > 0 ? scale : 1.0);
    pango_font_description_set_absolute_size(d, size * PANGO_SCALE);
    pango_font_description_set_weight(d, f->weight ? (PangoWeight)f->weight : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(d, f->italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    return d;
}

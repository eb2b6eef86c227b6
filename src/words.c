/* words.c - the few words pressrun itself prints (By, and, Translated by,
 * Contents, Editorial) in the languages it knows, English otherwise. Read
 * by typesetting (pages.c, toc.c) and the EPUB back end, so the PDF and the
 * EPUB say the same. */
#include "words.h"
#include <glib.h>
#include <string.h>

static const struct pr_words words[] = {
    {"en", "By", "and", "Translated by", "Contents", "Editorial"},
    {"es", "Por", "y", "Traducci\xC3\xB3n de", "Sumario", "Editorial"},
    {"fr", "Par", "et", "Traduit par", "Sommaire", "\xC3\x89" "ditorial"},
    {"de", "Von", "und", "\xC3\x9C" "bersetzt von", "Inhalt", "Editorial"},
    {"it", "Di", "e", "Traduzione di", "Sommario", "Editoriale"},
    {"pt", "Por", "e", "Tradu\xC3\xA7\xC3\xA3o de", "Sum\xC3\xA1rio", "Editorial"},
    {"ar", "\xD8\xA8\xD9\x82\xD9\x84\xD9\x85", "\xD9\x88", "\xD8\xAA\xD8\xB1\xD8\xAC\xD9\x85\xD8\xA9",
     "\xD8\xA7\xD9\x84\xD9\x85\xD8\xAD\xD8\xAA\xD9\x88\xD9\x8A\xD8\xA7\xD8\xAA",
     "\xD8\xA7\xD9\x81\xD8\xAA\xD8\xAA\xD8\xA7\xD8\xAD\xD9\x8A\xD8\xA9"},
};

const struct pr_words *pr_words_for(const char *lang)
{
    for (size_t i = 0; lang && i < sizeof words / sizeof words[0]; i++)
        if (strncmp(lang, words[i].lang, 2) == 0 && (lang[2] == 0 || lang[2] == '-' || lang[2] == '_'))
            return &words[i];
    return &words[0];
}


char *pr_words_byline(struct pr_arena *a, const struct pr_article *art)
{
    if (art->byline && *art->byline)
        return pr_arena_strdup(a, art->byline);
    if (art->nauthors == 0)
        return NULL;
    const struct pr_words *w = pr_words_for(art->language);
    GString *g = g_string_new(w->by);
    g_string_append_c(g, ' ');
    for (int i = 0; i < art->nauthors; i++) {
        if (i > 0) {
            if (i < art->nauthors - 1)
                g_string_append(g, ", ");
            else /* the serial comma is English usage */
                g_string_append_printf(g, "%s %s ", art->nauthors > 2 && strcmp(w->lang, "en") == 0 ? "," : "",
                                       w->and);
        }
        g_string_append(g, art->authors[i]);
    }
    char *r = pr_arena_strdup(a, g->str);
    g_string_free(g, TRUE);
    return r;
}

/* Scripts written right to left: by primary language subtag, or by an
 * explicit script subtag (Unicode CLDR's list of RTL languages, abridged). */
bool pr_lang_rtl(const char *lang)
{
    static const char *const langs[] = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps",
                                        "sd", "syr", "ug", "ur", "yi", NULL};
    if (!lang)
        return false;
    size_t n = strcspn(lang, "-_");
    for (int i = 0; langs[i]; i++)
        if (strlen(langs[i]) == n && g_ascii_strncasecmp(lang, langs[i], n) == 0)
            return true;
    for (const char *s = lang + n; *s; s++)
        if ((*s == '-' || *s == '_') && strlen(s + 1) >= 4 &&
            (g_ascii_strncasecmp(s + 1, "Arab", 4) == 0 || g_ascii_strncasecmp(s + 1, "Hebr", 4) == 0 ||
             g_ascii_strncasecmp(s + 1, "Syrc", 4) == 0 || g_ascii_strncasecmp(s + 1, "Thaa", 4) == 0))
            return true;
    return false;
}

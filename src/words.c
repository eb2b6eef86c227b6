/* words.c - the few words pressrun itself prints (By, and, Translated by,
 * Contents, Editorial) in the languages it knows, English otherwise. Read
 * by typesetting (pages.c, toc.c) and the EPUB back end, so the PDF and the
 * EPUB say the same. */
#include "words.h"
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


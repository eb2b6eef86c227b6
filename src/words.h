/* words.h - the words pressrun prints itself, per language (words.c).
 * Static data; nothing to free. */
#ifndef PR_WORDS_H
#define PR_WORDS_H
#include "arena.h"
#include "model.h"

struct pr_words {
    const char *lang, *by, *and, *translated_by, *contents, *editorial;
};
/* The words for a BCP 47 tag (its first two letters); English when the
 * language is not in the table. Never NULL. */
const struct pr_words *pr_words_for(const char *lang);
/* Is the language (a BCP 47 tag) written right to left? */
bool pr_lang_rtl(const char *lang);
/* The article's `byline:` as given, else "By A, B and C" in the article's
 * language, in the arena; NULL when the article names no author.
 * Typesetting, the contents and the EPUB print the same. */
char *pr_words_byline(struct pr_arena *a, const struct pr_article *art);
#endif

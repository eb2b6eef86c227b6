/* words.h - the words pressrun prints itself, per language (words.c).
 * Static data; nothing to free. */
#ifndef PR_WORDS_H
#define PR_WORDS_H

struct pr_words {
    const char *lang, *by, *and, *translated_by, *contents, *editorial;
};
/* The words for a BCP 47 tag (its first two letters); English when the
 * language is not in the table. Never NULL. */
const struct pr_words *pr_words_for(const char *lang);
#endif

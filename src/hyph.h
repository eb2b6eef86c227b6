/* hyph.h - typesetting, first step: hyphenation with libhyphen (Liang's
 * patterns, the dictionaries LibreOffice and Debian ship in /usr/share/hyphen).
 * Reads UTF-8 text, writes a copy with U+00AD SOFT HYPHEN at every permitted
 * break, which Pango then uses as break opportunities. Called by the paragraph
 * breaker (para.c) and by --dump; the EPUB back end may call it too. */
#ifndef PR_HYPH_H
#define PR_HYPH_H
#include <stdbool.h>
#include <stddef.h>

/* Dictionaries (loaded lazily, once per file) and a bounded word cache per
 * dictionary. One per build, shared by the typesetter's threads: each call
 * holds the hyphenator's lock. */
struct pr_hyph;

/* min_before / min_after: characters (user-perceived: a letter with its
 * combining marks counts once) kept before / after a break, counted within
 * each part of a compound and each side of an apostrophe. Values below 1
 * count as 1; the dictionary's own LEFTHYPHENMIN / RIGHTHYPHENMIN always
 * apply as well (en_US: 2 and 3; 2 when the file sets none).
 * capitalized=false leaves every word whose first letter (or first letter
 * after an apostrophe) is upper- or titlecase unhyphenated. A NULL opts
 * pointer means {1, 1, true}: the dictionary's minima, capitals hyphenated. */
struct pr_hyph_opts {
    int min_before, min_after;
    bool capitalized;
    const struct pr_hyph_exc *exceptions; /* NULL: none */
};

/* Hyphenation exceptions, as TeX's \hyphenation: words with their only
 * permitted breaks marked by '-' ("Ka-zakh-stan"); a word written without
 * a hyphen is never broken. Matching ignores case (each character
 * lowercased, as TeX's \lccode does) and tells the apostrophes ' U+2019
 * U+02BC apart from none; an exception replaces the dictionary for its word
 * in every language that has one, and applies even where `capitalized` is false (it is
 * the writer's explicit wish); min_before / min_after still apply, as in
 * TeX. A word is letters and combining marks, with apostrophes and
 * single hyphens between letters (input.h's pr_hyph_word_check says what
 * is wrong with one that is not; pr_hyph_exc_add skips such a word).
 * Read-only once made, so the typesetter's threads may share one. */
struct pr_hyph_exc;
struct pr_hyph_exc *pr_hyph_exc_new(void);
/* Add (or replace: the last one given wins) the exception `word`. */
void pr_hyph_exc_add(struct pr_hyph_exc *x, const char *word);
int pr_hyph_exc_count(const struct pr_hyph_exc *x);
/* NULL is allowed. */
void pr_hyph_exc_free(struct pr_hyph_exc *x);

/* A new hyphenator reading dictionaries (hyph_*.dic) from dict_dir; NULL means
 * $PRESSRUN_HYPHEN_DIR if set and not empty, else /usr/share/hyphen. The
 * directory string is copied. Never fails: a missing directory just has no
 * dictionaries. Free with pr_hyph_free. */
struct pr_hyph *pr_hyph_new(const char *dict_dir);
/* Frees the dictionaries, caches and every path returned by pr_hyph_dict.
 * NULL is allowed. */
void pr_hyph_free(struct pr_hyph *h);
/* One hyphenator for the whole process, for builds that follow each other
 * (pressrun watch): dictionaries load once. Not freed by pr_hyph_free's
 * callers but by pr_hyph_shared_free. */
struct pr_hyph *pr_hyph_shared(void);
bool pr_hyph_is_shared(const struct pr_hyph *h);
void pr_hyph_shared_free(void);

/* The dictionary for a BCP 47 tag (case-insensitive, '-' or '_'; a POSIX
 * locale's ".UTF-8" or "@euro" suffix is ignored). For language ll, script
 * Ssss and region RR the first file present wins, names compared
 * case-insensitively: hyph_ll_Ssss_RR, hyph_ll_RR, hyph_ll_Ssss, hyph_ll,
 * hyph_ll_<likely region> (en_US, pt_BR, sv_SE, da_DK, ...), hyph_ll_LL, then
 * the first hyph_ll_*.dic in sorted order. Symlinks are resolved, so tags
 * naming the same file share one loaded dictionary and one cache. With
 * Debian's files (hyph_en.dic and hyph_de.dic are links): "en" ->
 * hyph_en_US.dic, "en-GB" -> hyph_en_GB.dic when installed (else the "en"
 * choice), "es" -> hyph_es_ES.dic, "de" -> hyph_de_DE.dic, "fr" ->
 * hyph_fr.dic.
 * Loads the dictionary on first use and returns its path (owned by h, valid
 * until pr_hyph_free), or NULL when there is no usable dictionary: no file
 * for the language ("ar", "zz"), a NULL or malformed tag, or a file libhyphen
 * cannot load. The folder is listed once, at the first lookup, and the
 * answer is remembered per tag. */
const char *pr_hyph_dict(struct pr_hyph *h, const char *lang);

/* Copy `text` (UTF-8, len bytes, need not be NUL-terminated) with U+00AD
 * inserted at every permitted break of every word, for language `lang`.
 * A word is a maximal run of letters and combining marks, with apostrophes
 * (' U+2019 U+02BC) allowed between two letters; no break is put next to an
 * apostrophe. Every other character (hyphen, dash, slash, punctuation)
 * separates words, so each part of "working-class" is hyphenated alone.
 * Left exactly as written: runs holding a digit or an author's U+00AD,
 * U+200C, U+200D or U+2060; whitespace-delimited tokens containing "://",
 * "www." (any case) or '@'; words of more than 100 characters; words the
 * dictionary's charset cannot represent. Invalid UTF-8 bytes are copied and
 * separate words.
 * Removing every U+00AD that was not in the input gives `text` back byte for
 * byte. Returns a malloc'd NUL-terminated string (the caller frees it) and
 * sets *out_len (if not NULL) to its length; without a dictionary for lang
 * it is a plain copy. o may be NULL (see struct pr_hyph_opts). Out of memory
 * prints one line and exits. */
char *pr_hyph_text(struct pr_hyph *h, const char *lang, const char *text, size_t len,
                   const struct pr_hyph_opts *o, size_t *out_len);

/* The breaks of one word (or short text, same rules as pr_hyph_text) marked
 * with '-' instead of U+00AD, for tests and --dump: "hyphenation" ->
 * "hy-phen-ation". Returns a malloc'd string the caller frees (not from the
 * arena); NULL word gives "". */
char *pr_hyph_word(struct pr_hyph *h, const char *lang, const char *word,
                   const struct pr_hyph_opts *o);
/* hyphdict.c: load a libhyphen pattern file (.dic) into libhyphen's own
 * automaton, the same hnj_hyphen_load builds, much faster for large
 * dictionaries (German: 3.6 s -> well under a second); free it with
 * hnj_hyphen_free. NULL when the file cannot be opened. */
struct _HyphenDict;
struct _HyphenDict *pr_hyph_load_dict(const char *path);
#endif

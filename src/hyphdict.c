/* hyphdict.c - loads a hyphenation pattern file (libhyphen's .dic format: a
 * character set line, Liang patterns with optional non-standard
 * replacements, keyword lines, optionally NEXTLEVEL and a second level) into
 * libhyphen's own automaton (HyphenDict), the one hnj_hyphen_load builds,
 * state for state and transition for transition. libhyphen looks the
 * states up in a hash table of a fixed 31,627 chains compared with strcmp:
 * German's two levels (78,000 patterns) take it over 3 s to load, more than
 * a whole issue takes to typeset. Here the states are found in a GHashTable
 * that grows with them. Patterns are read and states made in the same order
 * as libhyphen does, so the automaton is the same (test_hyph compares the
 * two, field by field, for every dictionary installed); hnj_hyphen_free
 * frees it. Called by hyph.c. */
#include "hyph.h"
#include "arena.h"
#include <glib.h>
#include <hyphen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One level being built: its states by the pattern prefix they stand for. */
struct level {
    HyphenDict *d;
    GHashTable *index; /* prefix -> state number + 1 */
    GStringChunk *keys; /* the prefixes */
    char **prefix;     /* prefix of each state */
    int cap;
};

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(pr_xmalloc(n), s, n);
}

static int find(struct level *lv, const char *prefix)
{
    gpointer v = g_hash_table_lookup(lv->index, prefix);
    return v ? GPOINTER_TO_INT(v) - 1 : -1;
}

/* The state for a prefix, made when there is none yet. */
static int state_of(struct level *lv, const char *prefix)
{
    int s = find(lv, prefix);
    if (s >= 0)
        return s;
    HyphenDict *d = lv->d;
    s = d->num_states++;
    if (s == lv->cap) {
        lv->cap = lv->cap ? lv->cap * 2 : 64;
        d->states = pr_xrealloc(d->states, (size_t)lv->cap * sizeof *d->states);
        lv->prefix = pr_xrealloc(lv->prefix, (size_t)lv->cap * sizeof *lv->prefix);
    }
    memset(&d->states[s], 0, sizeof d->states[s]);
    d->states[s].fallback_state = -1;
    char *key = g_string_chunk_insert(lv->keys, prefix);
    lv->prefix[s] = key;
    g_hash_table_insert(lv->index, key, GINT_TO_POINTER(s + 1));
    return s;
}

static void add_trans(HyphenDict *d, int from, int to, char ch)
{
    HyphenState *st = &d->states[from];
    int n = st->num_trans;
    /* arrays grow at powers of two, as libhyphen's */
    if (n == 0 || !(n & (n - 1)))
        st->trans = pr_xrealloc(st->trans, (size_t)(n ? n * 2 : 1) * sizeof *st->trans);
    st->trans[n].ch = ch;
    st->trans[n].new_state = to;
    st->num_trans++;
}

static bool starts(const char *s, const char *with)
{
    return strncmp(s, with, strlen(with)) == 0;
}

/* NOHYPHEN's value: a comma-separated list, its last character (the line
 * end) cut. */
static void set_nohyphen(HyphenDict *d, char *v)
{
    while (*v == ' ' || *v == '\t')
        v++;
    free(d->nohyphen);
    d->nohyphen = NULL;
    d->nohyphenl = 0;
    if (*v) {
        d->nohyphen = xstrdup(v);
        char *e = d->nohyphen + strlen(d->nohyphen) - 1;
        *e = 0;
        for (e--; e > d->nohyphen; e--)
            if (*e == ',') {
                d->nohyphenl++;
                *e = 0;
            }
    }
}

/* A keyword line (the hyphen minima, NOHYPHEN) into d; false when the line
 * is none. */
static bool load_keyword(HyphenDict *d, char *buf)
{
    if (starts(buf, "LEFTHYPHENMIN"))
        d->lhmin = (char)atoi(buf + 13);
    else if (starts(buf, "RIGHTHYPHENMIN"))
        d->rhmin = (char)atoi(buf + 14);
    else if (starts(buf, "COMPOUNDLEFTHYPHENMIN"))
        d->clhmin = (char)atoi(buf + 21);
    else if (starts(buf, "COMPOUNDRIGHTHYPHENMIN"))
        d->crhmin = (char)atoi(buf + 22);
    else if (starts(buf, "NOHYPHEN"))
        set_nohyphen(d, buf + 8);
    else
        return false;
    return true;
}

/* A pattern line taken apart: letters with digits between them, and maybe
 * "/replacement,index,cut". */
struct pattern {
    char word[MAX_CHARS];   /* the letters */
    char digits[MAX_CHARS]; /* one per gap around them, '0' where none is given */
    int len;                /* of word */
    char *repl;             /* the replacement (malloc'd), or NULL */
    signed char replindex, replcut;
};

/* Cuts the replacement off the line (as libhyphen reads it: without an
 * index and cut, the line end is dropped and the whole word replaced). */
static void cut_replacement(char *buf, struct pattern *pt)
{
    pt->replindex = pt->replcut = 0;
    pt->repl = NULL;
    char *repl = strchr(buf, '/');
    if (!repl)
        return;
    char *index = strchr(repl + 1, ',');
    *repl = 0;
    if (index) {
        char *index2 = strchr(index + 1, ',');
        *index = 0;
        if (index2) {
            *index2 = 0;
            pt->replindex = (signed char)(atoi(index + 1) - 1);
            pt->replcut = (signed char)atoi(index2 + 1);
        }
    } else {
        char *r = repl + 1;
        size_t k = strlen(r);
        if (k > 0 && (r[k - 1] == '\r' || r[k - 1] == '\n'))
            r[k - 1] = 0;
        if (k > 1 && r[k - 2] == '\r')
            r[k - 2] = 0;
        pt->replcut = (signed char)strlen(buf);
    }
    pt->repl = xstrdup(repl + 1);
}

/* The letters into word, the digits into digits (up to the first space or
 * control character). */
static void split_letters(const char *buf, struct pattern *pt)
{
    int j = 0;
    pt->digits[0] = '0';
    for (int i = 0; (unsigned char)buf[i] > (unsigned char)' ' && j < MAX_CHARS - 2; i++) {
        if (buf[i] >= '0' && buf[i] <= '9')
            pt->digits[j] = buf[i];
        else {
            pt->word[j] = buf[i];
            pt->digits[++j] = '0';
        }
    }
    pt->word[j] = 0;
    pt->digits[j + 1] = 0;
    pt->len = j;
}

/* A UTF-8 dictionary gives a replacement's index and cut in characters:
 * the automaton holds them in bytes. */
static void repl_to_bytes(struct pattern *pt)
{
    const char *word = pt->word;
    int pu = -1, ps = -1;
    size_t n = strlen(word) + 1;
    for (size_t pc = *word == '.' ? 1 : 0; pc < n; pc++) {
        if (((unsigned char)word[pc] >> 6) != 2)
            pu++;
        if (ps < 0 && pt->replindex == pu) {
            ps = pt->replindex;
            pt->replindex = (signed char)pc;
        }
        if (ps >= 0 && pu - ps == pt->replcut) {
            pt->replcut = (signed char)(pc - (size_t)pt->replindex);
            break;
        }
    }
    if (*word == '.')
        pt->replindex--;
}

/* The pattern's state, its match (the digits from skip on) and replacement
 * set, and the transitions to it from each shorter prefix, up to one that
 * was there. pt->word is cut short on the way. */
static void add_pattern(struct level *lv, struct pattern *pt, int skip)
{
    HyphenDict *d = lv->d;
    char *word = pt->word;
    int found = find(lv, word);
    int s = state_of(lv, word);
    HyphenState *st = &d->states[s];
    free(st->match);
    free(st->repl);
    st->match = xstrdup(pt->digits + skip);
    st->repl = pt->repl;
    st->replindex = pt->replindex;
    st->replcut = pt->replcut ? pt->replcut : (signed char)strlen(word);
    for (int j = pt->len; found < 0 && j > 0; j--) {
        int last = s;
        char ch = word[j - 1];
        word[j - 1] = 0;
        found = find(lv, word);
        s = state_of(lv, word);
        add_trans(d, s, last, ch);
    }
}

/* One line of a level (modified in place): a keyword or a pattern. */
static void load_line(struct level *lv, char *buf)
{
    if (load_keyword(lv->d, buf))
        return;
    struct pattern pt;
    cut_replacement(buf, &pt);
    split_letters(buf, &pt);
    /* a plain pattern's match drops its leading zeros; one with a
     * replacement keeps every gap's digit but the one before a word
     * start's '.' */
    int skip = 0;
    if (!pt.repl) {
        while (pt.digits[skip] == '0')
            skip++;
    } else {
        if (*pt.word == '.')
            skip++;
        if (lv->d->utf8)
            repl_to_bytes(&pt);
    }
    add_pattern(lv, &pt, skip);
}

static void load_literal(struct level *lv, const char *line)
{
    char buf[MAX_CHARS];
    g_strlcpy(buf, line, sizeof buf);
    load_line(lv, buf);
}

/* A state's fallback: the state of its longest proper suffix. */
static void fallbacks(struct level *lv)
{
    for (int s = 1; s < lv->d->num_states; s++) {
        const char *p = lv->prefix[s];
        int f = -1;
        for (int k = 1; f < 0; k++)
            f = find(lv, p + k);
        lv->d->states[s].fallback_state = f;
    }
}

HyphenDict *pr_hyph_load_dict(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    HyphenDict *dict[2];
    bool nextlevel = false;
    for (int k = 0; k < 2; k++) {
        struct level lv = {NULL, g_hash_table_new(g_str_hash, g_str_equal), g_string_chunk_new(1 << 16), NULL, 0};
        HyphenDict *d = dict[k] = pr_xrealloc(NULL, sizeof *d);
        memset(d, 0, sizeof *d);
        lv.d = d;
        state_of(&lv, "");
        if (k == 0) {
            if (!fgets(d->cset, sizeof d->cset, f))
                d->cset[0] = 0;
            for (int i = 0; i < MAX_NAME; i++)
                if (d->cset[i] == '\r' || d->cset[i] == '\n')
                    d->cset[i] = 0;
            d->utf8 = strcmp(d->cset, "UTF-8") == 0;
        } else {
            memcpy(d->cset, dict[0]->cset, sizeof d->cset);
            d->cset[sizeof d->cset - 1] = 0;
            d->utf8 = dict[0]->utf8;
        }
        if (k == 0 || nextlevel) {
            char buf[MAX_CHARS];
            while (fgets(buf, sizeof buf, f)) {
                /* a line too long for the buffer is skipped whole */
                if (!feof(f) && !strchr(buf, '\n')) {
                    int c;
                    while ((c = fgetc(f)) != '\n' && c != EOF)
                        ;
                    continue;
                }
                if (starts(buf, "NEXTLEVEL")) {
                    nextlevel = true;
                    break;
                }
                if (buf[0] != '%')
                    load_line(&lv, buf);
            }
        } else {
            /* one level only: the compound level breaks at hyphens and
             * apostrophes */
            load_literal(&lv, d->utf8 ? "NOHYPHEN ',\xE2\x80\x93,\xE2\x80\x99,-\n" : "NOHYPHEN ',-\n");
            load_literal(&lv, "1-1\n");
            load_literal(&lv, "1'1\n");
            if (d->utf8) {
                load_literal(&lv, "1\xE2\x80\x93" "1\n");
                load_literal(&lv, "1\xE2\x80\x99" "1\n");
            }
        }
        fallbacks(&lv);
        g_hash_table_destroy(lv.index);
        g_string_chunk_free(lv.keys);
        free(lv.prefix);
    }
    fclose(f);
    if (nextlevel) {
        dict[0]->nextlevel = dict[1];
        return dict[0];
    }
    HyphenDict *top = dict[1], *base = dict[0];
    top->nextlevel = base;
    top->lhmin = base->lhmin;
    top->rhmin = base->rhmin;
    top->clhmin = base->clhmin ? base->clhmin : base->lhmin ? base->lhmin : 3;
    top->crhmin = base->crhmin ? base->crhmin : base->rhmin ? base->rhmin : 3;
    return top;
}

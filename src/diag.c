/* diag.c - the diagnostics table and printing (see diag.h).
 * Called by every stage; main.c reads the error count for the exit status. */
#include "diag.h"
#include "arena.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    enum pr_severity sev;
    const char *hint;
} table[PR_D__COUNT] = {
    [PR_D_READ] = {"read", PR_SEV_ERROR, "check the path and the file's permissions"},
    [PR_D_UTF8] = {"utf8", PR_SEV_ERROR, "save the file as UTF-8"},
    [PR_D_YAML] = {"yaml", PR_SEV_ERROR, "fix the YAML syntax at this position"},
    [PR_D_YAML_ALIAS] = {"yaml-alias", PR_SEV_ERROR, "write the value out instead of using anchors and aliases"},
    [PR_D_UNKNOWN_KEY] = {"unknown-key", PR_SEV_ERROR, "remove the key or correct its spelling"},
    [PR_D_MISSING_KEY] = {"missing-key", PR_SEV_ERROR, NULL},
    [PR_D_DUPLICATE_KEY] = {"duplicate-key", PR_SEV_ERROR, "keep only one of them"},
    [PR_D_TYPE] = {"type", PR_SEV_ERROR, NULL},
    [PR_D_VALUE] = {"value", PR_SEV_ERROR, NULL},
    [PR_D_NO_ARTICLES] = {"no-articles", PR_SEV_ERROR, "list at least one article under 'articles:' with a 'file:'"},
    [PR_D_NO_FILE] = {"no-file", PR_SEV_ERROR, "check the path; it is relative to the file that names it"},
    [PR_D_OUTSIDE] = {"outside", PR_SEV_ERROR, "move the file into the issue folder, or pass --allow-outside"},
    [PR_D_LAYOUT] = {"layout", PR_SEV_ERROR, NULL},
    [PR_D_FRONTMATTER] = {"front-matter", PR_SEV_ERROR, "front matter starts and ends with a line '---'"},
    [PR_D_EMPTY_ARTICLE] = {"empty-article", PR_SEV_WARNING, "write the article's body below its front matter"},
    [PR_D_FOOTNOTE] = {"footnote", PR_SEV_WARNING, NULL},
    [PR_D_LIMIT] = {"limit", PR_SEV_ERROR, NULL},
    [PR_D_IMAGE] = {"image", PR_SEV_ERROR, NULL},
    [PR_D_IMAGE_ALT] = {"image-alt", PR_SEV_WARNING, "describe the image: ![what it shows](path)"},
    [PR_D_IMAGE_RES] = {"image-resolution", PR_SEV_WARNING, NULL},
    [PR_D_HYPHEN_DICT] = {"hyphen-dict", PR_SEV_WARNING, "install Debian's hyphen-<lang> package; the text is set without hyphenation"},
    [PR_D_HYPHEN_WORD] = {"hyphen-word", PR_SEV_WARNING, "write the word with a '-' at each place it may break"},
    [PR_D_FONT] = {"font", PR_SEV_ERROR, NULL},
    [PR_D_GLYPH] = {"glyph", PR_SEV_WARNING, "use a character the bundled fonts have, or add a font to fonts/"},
    [PR_D_OVERFLOW] = {"overflow", PR_SEV_WARNING, NULL},
    [PR_D_WIDOW] = {"widow", PR_SEV_NOTE, NULL},
    [PR_D_TOC] = {"toc", PR_SEV_WARNING, NULL},
    [PR_D_OUTPUT] = {"output", PR_SEV_ERROR, NULL},
    [PR_D_NOT_BUILT] = {"not-built", PR_SEV_ERROR, NULL},
    [PR_D_IMAGE_LOWRES] = {"image-lowres", PR_SEV_WARNING, NULL},
    [PR_D_COLOR] = {"color", PR_SEV_WARNING, NULL},
    [PR_D_PADDING] = {"padding", PR_SEV_NOTE, NULL},
    [PR_D_FLATPLAN] = {"flatplan", PR_SEV_WARNING, NULL},
    [PR_D_COPYFIT] = {"copyfit", PR_SEV_WARNING, NULL},
    [PR_D_AD] = {"ad", PR_SEV_WARNING, NULL},
    [PR_D_HTML] = {"html", PR_SEV_WARNING, NULL},
    [PR_D_MARKUP] = {"markup", PR_SEV_WARNING, NULL},
    [PR_D_UNSET] = {"unset", PR_SEV_WARNING, NULL},
    [PR_D_TABLE] = {"table", PR_SEV_WARNING,
                    "shorten the cells, split the table, or give the article fewer columns"},
};

void pr_diags_init(struct pr_diags *d)
{
    memset(d, 0, sizeof *d);
}

void pr_diags_free(struct pr_diags *d)
{
    for (unsigned i = 0; i < d->n; i++)
        free(d->v[i].msg);
    free(d->v);
    memset(d, 0, sizeof *d);
}

void pr_diags_append(struct pr_diags *d, struct pr_diags *from)
{
    for (unsigned i = 0; i < from->n; i++) {
        struct pr_diag *x = &from->v[i];
        bool dup = false;
        for (unsigned k = 0; k < d->n && x->code == PR_D_HYPHEN_DICT && !dup; k++)
            dup = d->v[k].code == x->code && strcmp(d->v[k].msg, x->msg) == 0;
        if (dup) {
            free(x->msg);
            continue;
        }
        if (d->n == d->cap) {
            d->cap = d->cap ? d->cap * 2 : 16;
            d->v = pr_xrealloc(d->v, d->cap * sizeof *d->v);
        }
        x->seq = d->n;
        d->v[d->n++] = *x;
        if (x->severity == PR_SEV_ERROR)
            d->errors++;
        else if (x->severity == PR_SEV_WARNING)
            d->warnings++;
    }
    free(from->v);
    memset(from, 0, sizeof *from);
}

enum pr_severity pr_diag_severity(enum pr_diag_code code)
{
    return table[code].sev;
}

const char *pr_diag_name(enum pr_diag_code code)
{
    return table[code].name;
}

void pr_vdiag(struct pr_diags *d, enum pr_diag_code code, struct pr_pos pos,
              const char *fmt, va_list ap)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 16;
        d->v = pr_xrealloc(d->v, d->cap * sizeof *d->v);
    }
    va_list ap2;
    va_copy(ap2, ap);
    int len = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (len < 0)
        len = 0;
    char *msg = pr_xmalloc((size_t)len + 1);
    vsnprintf(msg, (size_t)len + 1, fmt, ap);
    /* a picture's resolution is measured again when the fitter changes
     * its size: the last measure at a place replaces the one before */
    if (code == PR_D_IMAGE_RES || code == PR_D_IMAGE_LOWRES)
        for (unsigned i = 0; i < d->n; i++) {
            struct pr_diag *o = &d->v[i];
            if (o->code == code && o->pos.line == pos.line && o->pos.col == pos.col &&
                (o->pos.file == pos.file || (o->pos.file && pos.file && strcmp(o->pos.file, pos.file) == 0))) {
                free(o->msg);
                o->msg = msg;
                return;
            }
        }
    struct pr_diag *x = &d->v[d->n];
    x->code = code;
    x->severity = table[code].sev;
    x->pos = pos;
    x->msg = msg;
    x->seq = d->n++;
    if (x->severity == PR_SEV_ERROR)
        d->errors++;
    else if (x->severity == PR_SEV_WARNING)
        d->warnings++;
}

void pr_diag(struct pr_diags *d, enum pr_diag_code code, struct pr_pos pos,
             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pr_vdiag(d, code, pos, fmt, ap);
    va_end(ap);
}

static int cmp_diag(const void *pa, const void *pb)
{
    const struct pr_diag *a = pa, *b = pb;
    const char *fa = a->pos.file ? a->pos.file : "", *fb = b->pos.file ? b->pos.file : "";
    int c = strcmp(fa, fb);
    if (c)
        return c;
    if (a->pos.line != b->pos.line)
        return a->pos.line < b->pos.line ? -1 : 1;
    if (a->pos.col != b->pos.col)
        return a->pos.col < b->pos.col ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static bool same_place(const struct pr_diag *a, const struct pr_diag *b)
{
    const char *fa = a->pos.file ? a->pos.file : "", *fb = b->pos.file ? b->pos.file : "";
    return a->pos.line == b->pos.line && a->pos.col == b->pos.col && strcmp(fa, fb) == 0;
}

/* A picture's resolution at its placed size: said again when the fitter
 * sizes the picture again, the last saying holds. */
static bool resolution(enum pr_diag_code c)
{
    return c == PR_D_IMAGE_RES || c == PR_D_IMAGE_LOWRES;
}

/* Sorted, a diagnostic said twice at one place (two stages checking the
 * same file) is dropped, and the counts follow; of a picture's resolution
 * said more than once at one place, only the last. */
static void drop_repeats(struct pr_diags *d)
{
    unsigned out = 0;
    for (unsigned i = 0; i < d->n; i++) {
        struct pr_diag *x = &d->v[i];
        bool repeat = false;
        for (unsigned j = out; j-- > 0 && same_place(&d->v[j], x) && !repeat;) {
            repeat = d->v[j].code == x->code && strcmp(d->v[j].msg, x->msg) == 0;
            if (!repeat && resolution(d->v[j].code) && resolution(x->code)) {
                /* the earlier saying goes, this one takes its place */
                struct pr_diag old = d->v[j];
                d->v[j] = *x;
                *x = old;
                repeat = true;
            }
        }
        if (!repeat) {
            d->v[out++] = *x;
            continue;
        }
        if (x->severity == PR_SEV_ERROR)
            d->errors--;
        else if (x->severity == PR_SEV_WARNING)
            d->warnings--;
        free(x->msg);
    }
    d->n = out;
}

void pr_diags_print(struct pr_diags *d, FILE *f)
{
    static const char *sevname[] = {"note", "warning", "error"};
    if (d->n)
        qsort(d->v, d->n, sizeof *d->v, cmp_diag);
    drop_repeats(d);
    for (unsigned i = 0; i < d->n; i++) {
        const struct pr_diag *x = &d->v[i];
        if (d->quiet && x->severity != PR_SEV_ERROR)
            continue;
        if (x->pos.file && x->pos.line > 0)
            fprintf(f, "%s:%d:%d: ", x->pos.file, x->pos.line, x->pos.col > 0 ? x->pos.col : 1);
        else if (x->pos.file)
            fprintf(f, "%s: ", x->pos.file);
        else
            fputs("pressrun: ", f);
        fprintf(f, "%s: %s", sevname[x->severity], x->msg);
        const char *hint = table[x->code].hint;
        if (hint && !strchr(x->msg, ';'))
            fprintf(f, "; %s", hint);
        fputc('\n', f);
    }
}

const char *pr_did_you_mean(const char *s, const char *const *cands)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    size_t ls = strlen(s);
    if (ls > 64)
        return NULL;
    for (; *cands; cands++) {
        size_t lc = strlen(*cands);
        if (lc > 64)
            continue;
        size_t row[65];
        for (size_t j = 0; j <= lc; j++)
            row[j] = j;
        for (size_t i = 1; i <= ls; i++) {
            size_t prev = row[0];
            row[0] = i;
            for (size_t j = 1; j <= lc; j++) {
                size_t cur = row[j];
                size_t cost = (s[i - 1] | 32) == ((*cands)[j - 1] | 32) ? 0 : 1;
                size_t v = prev + cost;
                if (row[j] + 1 < v)
                    v = row[j] + 1;
                if (row[j - 1] + 1 < v)
                    v = row[j - 1] + 1;
                row[j] = v;
                prev = cur;
            }
        }
        if (row[lc] < best_d) {
            best_d = row[lc];
            best = *cands;
        }
    }
    /* suggest only when at most about a third of the letters differ */
    if (best && best_d <= (ls > 3 ? ls / 3 + 1 : 1))
        return best;
    return NULL;
}

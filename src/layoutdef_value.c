/* layoutdef_value.c - input stage, layout files: one YAML value of a layout
 * -> a length, flag, number, name or colour, each checked and reported at
 * the value's position (a bad value leaves the target as it was). Called by
 * the schema reader in layoutdef.c; declared in layoutdef_int.h. */
#include "layoutdef_int.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_LENGTH 14400.0 /* 200 in, the largest PDF page */

/* A plain decimal number: digits with at most one '.', no sign, exponent,
 * hex or locale. Returns the characters used (0 if none). */
static size_t parse_decimal(const char *s, double *out)
{
    const char *p = s;
    double v = 0, scale = 1;
    bool digits = false, dot = false;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            digits = true;
            if (dot) {
                scale /= 10;
                v += (*p - '0') * scale;
            } else
                v = v * 10 + (*p - '0');
        } else if (*p == '.' && !dot)
            dot = true;
        else
            break;
    }
    if (!digits)
        return 0;
    *out = v;
    return (size_t)(p - s);
}

bool ld_no_value(struct pr_input *in, const struct pr_ynode *v, const char *key,
                 const char *example)
{
    if (v && v->kind == PR_Y_BAD)
        return true;
    if (pr_ynode_is_null(v)) {
        pr_diag(in->diags, PR_D_VALUE, v->pos, "'%s' has no value; write e.g. '%s: %s'", key,
                key, example);
        return true;
    }
    if (v->kind != PR_Y_SCALAR) {
        pr_ytype_error(in, v, key, "a single value");
        return true;
    }
    return false;
}

/* A length in pt. With em_ok, "1.5em" sets *em and returns the multiple. */
bool ld_get_length(struct pr_input *in, const struct pr_ynode *v, const char *key, bool em_ok,
                   double *out, bool *em)
{
    if (ld_no_value(in, v, key, em_ok ? "1em" : "12pt"))
        return false;
    static const struct {
        const char *u;
        double pt;
    } units[] = {{"pt", 1}, {"mm", 72 / 25.4}, {"cm", 72 / 2.54}, {"in", 72}, {"pc", 12}};
    const char *s = v->str;
    bool neg = *s == '-';
    double num = 0;
    size_t n = parse_decimal(s + neg, &num);
    const char *u = s + neg + n;
    while (*u == ' ')
        u++;
    double scale = -1;
    bool is_em = false;
    if (n > 0 && *u == 0)
        scale = 1;
    for (size_t i = 0; n > 0 && i < sizeof units / sizeof units[0]; i++)
        if (strcasecmp(u, units[i].u) == 0)
            scale = units[i].pt;
    if (n > 0 && em_ok && strcasecmp(u, "em") == 0) {
        scale = 1;
        is_em = true;
    }
    if (scale < 0) {
        pr_diag(in->diags, PR_D_VALUE, v->pos,
                "bad length '%s' for '%s'; write a number with pt, mm, cm, in or pc%s", s, key,
                em_ok ? " (or em, the body size)" : "");
        return false;
    }
    if (neg && num != 0) {
        pr_diag(in->diags, PR_D_VALUE, v->pos,
                "'%s' cannot be negative ('%s'); write 0 or a positive length", key, s);
        return false;
    }
    double pt = num * scale;
    if (pt > (is_em ? 100 : MAX_LENGTH)) {
        pr_diag(in->diags, PR_D_VALUE, v->pos,
                "'%s' is too large ('%s'); at most 200in", key, s);
        return false;
    }
    *out = pt;
    if (em)
        *em = is_em;
    return true;
}

bool ld_get_bool(struct pr_input *in, const struct pr_ynode *v, const char *key, bool *out)
{
    if (ld_no_value(in, v, key, "true"))
        return false;
    static const char *const yes[] = {"true", "yes", "on"}, *const no[] = {"false", "no", "off"};
    for (int i = 0; i < 3; i++) {
        if (strcasecmp(v->str, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(v->str, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    pr_diag(in->diags, PR_D_VALUE, v->pos, "'%s' should be true or false, not '%s'", key,
            v->str);
    return false;
}

bool ld_get_int(struct pr_input *in, const struct pr_ynode *v, const char *key, long min,
                long max, int *out)
{
    if (ld_no_value(in, v, key, "1"))
        return false;
    const char *s = v->str;
    char *end;
    long n = strtol(s, &end, 10);
    if (!(*s >= '0' && *s <= '9') && !(*s == '-' && s[1] >= '0' && s[1] <= '9'))
        end = (char *)s;
    if (end == s || *end || n < min || n > max) {
        pr_diag(in->diags, PR_D_VALUE, v->pos,
                "'%s' should be a whole number from %ld to %ld, not '%s'", key, min, max, s);
        return false;
    }
    *out = (int)n;
    return true;
}

bool ld_get_number(struct pr_input *in, const struct pr_ynode *v, const char *key, double min,
                   double max, double *out)
{
    if (ld_no_value(in, v, key, "2.0"))
        return false;
    const char *s = v->str;
    bool neg = *s == '-';
    double x;
    size_t n = parse_decimal(s + neg, &x);
    if (neg)
        x = -x;
    if (n == 0 || s[neg + n] || x <= min || x > max) {
        pr_diag(in->diags, PR_D_VALUE, v->pos,
                "'%s' should be a number above %g and at most %g, not '%s'", key, min, max, s);
        return false;
    }
    *out = x;
    return true;
}

/* One of `names` (NULL-terminated); returns its index or -1 (reported). */
int ld_get_enum(struct pr_input *in, const struct pr_ynode *v, const char *key,
                const char *const *names)
{
    if (ld_no_value(in, v, key, names[0]))
        return -1;
    for (int i = 0; names[i]; i++)
        if (strcasecmp(v->str, names[i]) == 0)
            return i;
    size_t len = 1;
    for (int i = 0; names[i]; i++)
        len += strlen(names[i]) + 2;
    char *list = pr_arena_alloc(in->arena, len);
    for (int i = 0; names[i]; i++) {
        if (i)
            strcat(list, ", ");
        strcat(list, names[i]);
    }
    const char *near = pr_did_you_mean(v->str, names);
    if (near)
        pr_diag(in->diags, PR_D_VALUE, v->pos, "unknown %s '%s'; did you mean '%s'? (%s)",
                key, v->str, near, list);
    else
        pr_diag(in->diags, PR_D_VALUE, v->pos, "unknown %s '%s'; write one of: %s", key,
                v->str, list);
    return -1;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    ch |= 32;
    return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* "#rrggbb" / "#rgb", or (with refs) text | accent | rule. */
bool ld_get_color(struct pr_input *in, const struct pr_ynode *v, const char *key, bool refs,
                  struct pr_color *out, enum cref *ref)
{
    if (v && v->kind == PR_Y_SCALAR && pr_ynode_is_null(v)) {
        pr_diag(in->diags, PR_D_VALUE, v->pos,
                "'%s' has no value; a colour starting with '#' must be quoted "
                "(# starts a YAML comment): %s: \"#b22222\"",
                key, key);
        return false;
    }
    if (ld_no_value(in, v, key, "\"#b22222\""))
        return false;
    const char *s = v->str;
    if (refs) {
        static const char *const names[] = {"text", "accent", "rule"};
        for (int i = 0; i < 3; i++)
            if (strcasecmp(s, names[i]) == 0) {
                *ref = (enum cref)(C_TEXT + i);
                return true;
            }
    }
    size_t n = strlen(s);
    int d[6] = {0};
    bool ok = s[0] == '#' && (n == 7 || n == 4);
    for (size_t i = 1; ok && i < n; i++)
        ok = (d[i - 1] = hexval(s[i])) >= 0;
    if (!ok) {
        pr_diag(in->diags, PR_D_VALUE, v->pos,
                "bad colour '%s' for '%s'; write \"#rrggbb\" in quotes%s", s, key,
                refs ? ", or text, accent or rule" : "");
        return false;
    }
    if (n == 4)
        *out = (struct pr_color){d[0] * 17 / 255.0, d[1] * 17 / 255.0, d[2] * 17 / 255.0};
    else
        *out = (struct pr_color){(d[0] * 16 + d[1]) / 255.0, (d[2] * 16 + d[3]) / 255.0,
                                 (d[4] * 16 + d[5]) / 255.0};
    if (ref)
        *ref = C_OWN;
    return true;
}

/* A mapping value, or NULL (reported unless absent). */
const struct pr_ynode *ld_get_map(struct pr_input *in, const struct pr_ynode *v, const char *key,
                                  const char *expected)
{
    if (!v || v->kind == PR_Y_BAD)
        return NULL;
    if (v->kind != PR_Y_MAP) {
        pr_ytype_error(in, v, key, expected);
        return NULL;
    }
    return v;
}

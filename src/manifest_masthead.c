/* manifest_masthead.c - input: the manifest's `masthead:`, the staff box
 * and colophon set on the contents page:
 *
 *   masthead:
 *     staff:
 *       - {role: Editor, names: [Ana Ruiz]}
 *       - {role: Design, names: [Lee Park, Sam Ortiz]}
 *     address: 12 Union Sq, Chicago, IL
 *     email: letters@example.org
 *     web: example.org
 *     issn: 2049-3630
 *     colophon: Set in Linux Libertine with pressrun.
 *
 * An ISSN is checked (its form and its check digit). Called by
 * manifest.c. */
#include "manifest_int.h"
#include <ctype.h>
#include <string.h>

/* The check digit an ISSN's first seven digits call for ('0'..'9', 'X'). */
static char issn_check(const char *d)
{
    int sum = 0;
    for (int i = 0; i < 7; i++)
        sum += (d[i] - '0') * (8 - i);
    int c = (11 - sum % 11) % 11;
    return c == 10 ? 'X' : (char)('0' + c);
}

/* NNNN-NNNC, C the check digit; reported where it is written. */
static const char *read_issn(struct pr_input *in, const struct pr_ynode *v)
{
    const char *s = pr_ystr(in, v, "issn");
    if (!s)
        return NULL;
    char d[8];
    int n = 0;
    bool form = strlen(s) == 9 && s[4] == '-';
    for (int i = 0; form && i < 9; i++) {
        if (i == 4)
            continue;
        if (i < 8 && n < 7 && isdigit((unsigned char)s[i]))
            d[n++] = s[i];
        else if (i == 8 && (isdigit((unsigned char)s[i]) || s[i] == 'X' || s[i] == 'x'))
            ;
        else
            form = false;
    }
    if (!form) {
        pr_diag(in->diags, PR_D_VALUE, v->pos,
                "'issn: %s' is not an ISSN; write it as eight digits in two groups, e.g. 'issn: 2049-3630'", s);
        return NULL;
    }
    d[7] = 0;
    char want = issn_check(d);
    if (toupper((unsigned char)s[8]) != want) {
        pr_diag(in->diags, PR_D_VALUE, v->pos,
                "'issn: %s' has the wrong check digit: the digits before it call for %c (%.4s-%.3s%c); "
                "copy the ISSN again from its registration",
                s, want, s, s + 5, want);
        return NULL;
    }
    return s;
}

static void read_staff(struct pr_input *in, struct pr_masthead *m, const struct pr_ynode *v)
{
    if (pr_ynode_is_null(v) || v->kind == PR_Y_BAD)
        return;
    if (v->kind != PR_Y_SEQ) {
        pr_ytype_error(in, v, "staff", "a list of '- {role: Editor, names: [Ana Ruiz]}'");
        return;
    }
    m->staff = pr_arena_alloc(in->arena, (size_t)(v->n ? v->n : 1) * sizeof *m->staff);
    for (const struct pr_ynode *e = v->child; e; e = e->next) {
        if (e->kind != PR_Y_MAP) {
            pr_ytype_error(in, e, "staff", "a mapping {role: Editor, names: [Ana Ruiz]}");
            continue;
        }
        static const char *const keys[] = {"role", "names", NULL};
        const struct pr_ynode *f[2];
        pr_ymap_fields(in, e, keys, f);
        struct pr_staff *st = &m->staff[m->nstaff];
        memset(st, 0, sizeof *st);
        st->role = f[0] ? pr_smart_punct(in->arena, pr_ystr(in, f[0], "role")) : NULL;
        if (f[1])
            st->names = pr_manifest_strings(in, f[1], "names", "a name or a list of names", &st->nnames);
        for (int k = 0; k < st->nnames; k++)
            st->names[k] = pr_smart_punct(in->arena, st->names[k]);
        if (!st->role || !*st->role || st->nnames == 0) {
            pr_diag(in->diags, PR_D_MISSING_KEY, e->pos,
                    "a staff entry needs a role and at least one name, e.g. '{role: Editor, names: [Ana Ruiz]}'");
            continue;
        }
        m->nstaff++;
    }
}

struct pr_masthead *pr_manifest_masthead(struct pr_input *in, const struct pr_ynode *v)
{
    if (pr_ynode_is_null(v) || v->kind == PR_Y_BAD)
        return NULL;
    if (v->kind != PR_Y_MAP) {
        pr_ytype_error(in, v, "masthead", "a mapping {staff:, address:, email:, web:, issn:, colophon:}");
        return NULL;
    }
    static const char *const keys[] = {"staff", "address", "email", "web", "issn", "colophon", NULL};
    const struct pr_ynode *f[6];
    pr_ymap_fields(in, v, keys, f);
    struct pr_masthead *m = pr_arena_alloc(in->arena, sizeof *m);
    memset(m, 0, sizeof *m);
    m->pos = v->pos;
    if (f[0])
        read_staff(in, m, f[0]);
    const char **text[] = {NULL, &m->address, &m->email, &m->web, NULL, &m->colophon};
    for (int i = 1; i < 6; i++)
        if (f[i] && text[i])
            *text[i] = pr_smart_punct(in->arena, pr_ystr(in, f[i], keys[i]));
    if (f[4])
        m->issn = read_issn(in, f[4]);
    return m;
}

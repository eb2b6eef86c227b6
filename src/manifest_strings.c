/* manifest_strings.c - the manifest reader's lists of strings (authors,
 * cover lines, pull quotes, a masthead's names): one string or a sequence
 * of them. Called by manifest.c and manifest_masthead.c (manifest_int.h). */
#include "manifest_int.h"

/* A string or a list of strings (authors, cover lines); *n items. */
const char **pr_manifest_strings(struct pr_input *in, const struct pr_ynode *v, const char *key,
                                 const char *expected, int *n)
{
    const char **out = NULL;
    unsigned cnt = 0, cap = 0;
    *n = 0;
    if (pr_ynode_is_null(v) || v->kind == PR_Y_BAD)
        return NULL;
    if (v->kind == PR_Y_SCALAR) {
        *PR_PUSH(in->arena, out, cnt, cap) = v->str;
    } else if (v->kind == PR_Y_SEQ) {
        for (const struct pr_ynode *i = v->child; i; i = i->next) {
            const char *s = pr_ystr(in, i, key);
            if (s && *s)
                *PR_PUSH(in->arena, out, cnt, cap) = s;
        }
    } else {
        pr_ytype_error(in, v, key, expected);
        return NULL;
    }
    *n = (int)cnt;
    return out;
}


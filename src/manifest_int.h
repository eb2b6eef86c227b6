/* manifest_int.h - what manifest.c calls in manifest_ads.c (the
 * manifest's ads and fillers) and manifest_masthead.c, and what they call
 * back. Private to the manifest reader. */
#ifndef PR_MANIFEST_INT_H
#define PR_MANIFEST_INT_H
#include "input.h"
#include "image.h"
#include "yamltree.h"

/* manifest_ads.c: the manifest's `ads:` and `fillers:` (either may be
 * NULL), once the articles have their ids. */
void pr_manifest_ads(struct pr_input *in, struct pr_issue *is, const struct pr_ynode *ads,
                     const struct pr_ynode *fillers);
/* manifest_masthead.c: the manifest's `masthead:` (staff box, address,
 * ISSN, colophon); NULL when absent or unreadable. */
struct pr_masthead *pr_manifest_masthead(struct pr_input *in, const struct pr_ynode *v);
/* manifest.c: a string or a list of strings (*n of them). */
const char **pr_manifest_strings(struct pr_input *in, const struct pr_ynode *v, const char *key,
                                 const char *expected, int *n);
#endif

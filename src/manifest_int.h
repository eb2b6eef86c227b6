/* manifest_int.h - what manifest.c calls in manifest_ads.c (the
 * manifest's ads and fillers). Private to the manifest reader. */
#ifndef PR_MANIFEST_INT_H
#define PR_MANIFEST_INT_H
#include "input.h"
#include "image.h"
#include "yamltree.h"

/* manifest_ads.c: the manifest's `ads:` and `fillers:` (either may be
 * NULL), once the articles have their ids. */
void pr_manifest_ads(struct pr_input *in, struct pr_issue *is, const struct pr_ynode *ads,
                     const struct pr_ynode *fillers);
#endif

/* manifest_int.h - what manifest.c and manifest_ads.c (the manifest's
 * ads and fillers) share. Private to the manifest reader. */
#ifndef PR_MANIFEST_INT_H
#define PR_MANIFEST_INT_H
#include "input.h"
#include "image.h"
#include "yamltree.h"

/* A file named in the issue: reports a missing file or one outside the
 * issue folder at `pos`; returns false for either. */
bool pr_manifest_check_file(struct pr_input *in, const struct pr_issue *is, const char *what,
                            const char *written, const char *path, struct pr_pos pos);
/* A Markdown file read like an article (front matter and body) into
 * *art, with the id "filler-<stem>"; false when it cannot be read. */
bool pr_manifest_item(struct pr_input *in, struct pr_issue *is, const struct pr_ynode *file,
                      struct pr_article *art);
/* manifest_ads.c: the manifest's `ads:` and `fillers:` (either may be
 * NULL), once the articles have their ids. */
void pr_manifest_ads(struct pr_input *in, struct pr_issue *is, const struct pr_ynode *ads,
                     const struct pr_ynode *fillers);
#endif

/* pdfpost.h - the qpdf post-pass's files (pdfboxes.c, pdftags.c) between
 * themselves: the small qpdf helpers they share, and the tagged PDF's
 * structure tree. Not for other stages: they call pr_pdfboxes_run. */
#ifndef PR_PDFPOST_H
#define PR_PDFPOST_H
#include "backends.h"
#include <qpdf/qpdf-c.h>

/* A real number with two decimals. */
qpdf_oh pr_qpdf_real(qpdf_data q, double v);
/* The dictionary under `key` in dictionary d, made when there is none. */
qpdf_oh pr_qpdf_sub_dict(qpdf_data q, qpdf_oh d, const char *key);
/* A new stream of `len` bytes of data, unfiltered. */
qpdf_oh pr_qpdf_stream(qpdf_data q, const void *data, size_t len);

/* pdftags.c: the tagged screen PDF (post->marks->tagged): the structure
 * tree of the elements and marked content the painter recorded, in
 * reading order (stories by the page they start on, each story's blocks
 * in source order), the ParentTree, /StructParents of the pages and
 * /StructParent, /Contents and OBJR of the link annotations (annots[i]:
 * the object number of link i's annotation, 0: none), /Lang, /MarkInfo,
 * /ViewerPreferences DisplayDocTitle and /Tabs /S. cairo's own tree goes.
 * The pages must be in their final order. */
void pr_pdf_tags(qpdf_data q, const struct pr_pdf_post *post, const int *annots);
#endif

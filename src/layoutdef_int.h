/* layoutdef_int.h - what the pieces of the layout reader share: the value
 * parsers (layoutdef_value.c), the bundled font families (layoutdef_font.c)
 * and finding the layout file (layoutdef_find.c), all used by the schema
 * reader in layoutdef.c. Private to those four files. */
#ifndef PR_LAYOUTDEF_INT_H
#define PR_LAYOUTDEF_INT_H
#include <stdbool.h>
#include "input.h"
#include "yamltree.h"

/* Where a font's colour comes from: its own, or the palette's. */
enum cref { C_OWN, C_TEXT, C_ACCENT, C_RULE };

/* ---- layoutdef_value.c: each reports a bad value at v->pos and returns
 * false (-1, NULL), leaving *out as it was ---- */
/* True (reported unless already bad) when v is not a single scalar. */
bool ld_no_value(struct pr_input *in, const struct pr_ynode *v, const char *key,
                 const char *example);
/* A length in pt. With em_ok, "1.5em" sets *em and returns the multiple. */
bool ld_get_length(struct pr_input *in, const struct pr_ynode *v, const char *key, bool em_ok,
                   double *out, bool *em);
bool ld_get_bool(struct pr_input *in, const struct pr_ynode *v, const char *key, bool *out);
bool ld_get_int(struct pr_input *in, const struct pr_ynode *v, const char *key, long min,
                long max, int *out);
/* A number above min and at most max. */
bool ld_get_number(struct pr_input *in, const struct pr_ynode *v, const char *key, double min,
                   double max, double *out);
/* One of `names` (NULL-terminated); returns its index or -1 (reported). */
int ld_get_enum(struct pr_input *in, const struct pr_ynode *v, const char *key,
                const char *const *names);
/* "#rrggbb" / "#rgb", or (with refs) text | accent | rule into *ref. */
bool ld_get_color(struct pr_input *in, const struct pr_ynode *v, const char *key, bool refs,
                  struct pr_color *out, enum cref *ref);
/* A mapping value, or NULL (reported unless absent). */
const struct pr_ynode *ld_get_map(struct pr_input *in, const struct pr_ynode *v, const char *key,
                                  const char *expected);

/* ---- layoutdef_font.c ---- */
/* The families of the bundled fonts, read on first use. */
struct ld_families {
    const char **names; /* NULL-terminated; NULL when the folder holds no font */
    bool read;
    const char *const *dirs; /* the issue's and the layout's font folders, searched too */
    const int *ndirs;
};
/* Reports (PR_D_FONT at pos) each family of `fam`, a comma-separated list as
 * Pango reads it, that no bundled font provides. */
void ld_check_family(struct pr_input *in, struct ld_families *fc, const char *fam,
                     struct pr_pos pos);

/* ---- layoutdef_find.c ---- */
/* The file of layout `name` (a name or a path relative to issue_dir) into
 * *path; NULL and true for the built-in magazine. False when there is none
 * (reported at ref). */
bool ld_find_layout(struct pr_input *in, const char *name, const char *issue_dir,
                    struct pr_pos ref, const char **path);
/* The layout's name for issue->layout: `name`, or a path's file stem. */
const char *ld_layout_name(struct pr_arena *a, const char *name);
#endif

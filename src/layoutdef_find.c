/* layoutdef_find.c - input stage, layout files: a layout's name or path ->
 * the file to read (layouts/NAME.yaml in the issue folder, then in the data
 * dir), or an error naming the layouts there are. Reads only directories;
 * called by pr_layoutdef_load in layoutdef.c. */
#define _GNU_SOURCE
#include "layoutdef_int.h"
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

static bool is_path(const char *name)
{
    size_t n = strlen(name);
    return strchr(name, '/') || (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The layouts one could name: "magazine" and every layouts/NAME.yaml in the
 * issue folder and the data dir, sorted, without repeats; NULL-terminated. */
static const char **known_layouts(struct pr_input *in, const char *issue_dir)
{
    const char **v = NULL;
    unsigned n = 0, cap = 0;
    *PR_PUSH(in->arena, v, n, cap) = "magazine";
    const char *dirs[] = {issue_dir, in->datadir};
    for (int d = 0; d < 2; d++) {
        if (!dirs[d])
            continue;
        DIR *dir = opendir(pr_path_join(in->arena, dirs[d], "layouts"));
        if (!dir)
            continue;
        struct dirent *e;
        while ((e = readdir(dir))) {
            size_t l = strlen(e->d_name);
            if (l > 5 && e->d_name[0] != '.' && strcmp(e->d_name + l - 5, ".yaml") == 0)
                *PR_PUSH(in->arena, v, n, cap) = pr_arena_strndup(in->arena, e->d_name, l - 5);
        }
        closedir(dir);
    }
    qsort(v, n, sizeof *v, cmp_str);
    unsigned u = 0;
    for (unsigned i = 0; i < n; i++)
        if (u == 0 || strcmp(v[u - 1], v[i]) != 0)
            v[u++] = v[i];
    *PR_PUSH(in->arena, v, u, cap) = NULL;
    return v;
}

static void unknown_layout(struct pr_input *in, const char *name, const char *issue_dir,
                           struct pr_pos ref)
{
    const char **names = known_layouts(in, issue_dir);
    size_t len = 1;
    for (const char **k = names; *k; k++)
        len += strlen(*k) + 2;
    char *list = pr_arena_alloc(in->arena, len);
    for (const char **k = names; *k; k++) {
        if (k != names)
            strcat(list, ", ");
        strcat(list, *k);
    }
    const char *near = pr_did_you_mean(name, names);
    if (near)
        pr_diag(in->diags, PR_D_LAYOUT, ref, "unknown layout '%s'; did you mean '%s'? (layouts: %s)",
                name, near, list);
    else
        pr_diag(in->diags, PR_D_LAYOUT, ref,
                "unknown layout '%s' (layouts: %s); name one of them or give the path of a "
                ".yaml file",
                name, list);
}

bool ld_find_layout(struct pr_input *in, const char *name, const char *issue_dir,
                    struct pr_pos ref, const char **path_out)
{
    const char *path = NULL;

    *path_out = NULL;
    if (!name || !*name) {
        pr_diag(in->diags, PR_D_LAYOUT, ref, "the layout name is empty; write e.g. 'layout: magazine'");
        return false;
    }
    if (is_path(name)) {
        path = pr_path_join(in->arena, issue_dir, name);
        if (!pr_path_exists(path)) {
            pr_diag(in->diags, PR_D_NO_FILE, ref, "layout file '%s' not found (looked for %s)",
                    name, path);
            return false;
        }
    } else {
        const char *file = pr_arena_printf(in->arena, "layouts/%s.yaml", name);
        const char *dirs[] = {issue_dir, in->datadir};
        for (int d = 0; d < 2 && !path; d++) {
            char *p = dirs[d] ? pr_path_join(in->arena, dirs[d], file) : NULL;
            if (p && pr_path_exists(p))
                path = p;
            /* the issue's own layouts/NAME.yaml (a symlink, say) must stay
             * in the issue folder like every other file the issue names */
            if (path && d == 0 && !in->allow_outside && !pr_path_inside(issue_dir, path)) {
                pr_diag(in->diags, PR_D_OUTSIDE, ref,
                        "layout '%s' (%s) is outside the issue folder '%s'", name, path, issue_dir);
                return false;
            }
        }
        if (!path) {
            if (strcmp(name, "magazine") == 0)
                return true; /* the built-in values are the magazine's */
            unknown_layout(in, name, issue_dir, ref);
            return false;
        }
    }
    *path_out = path;
    return true;
}

const char *ld_layout_name(struct pr_arena *a, const char *name)
{
    return is_path(name) ? pr_path_stem(a, name) : pr_arena_strdup(a, name);
}

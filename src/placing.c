/* placing.c - input stage: how a picture is placed, from the manifest's
 * `image:` mapping (manifest.c) or a figure's {key=value ...} attributes
 * (markdown_image.c): its width, a crop to an aspect, the point the crop
 * keeps and its credit line. */
#include "input.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool set_width(struct pr_placing *pl, const char *v)
{
    char *end;
    if (strcmp(v, "column") == 0 || strcmp(v, "1 column") == 0) {
        pl->width = PR_PW_COLUMN;
        return true;
    }
    if (strcmp(v, "page") == 0 || strcmp(v, "100%") == 0) {
        pl->width = PR_PW_PAGE;
        return true;
    }
    if (strcmp(v, "spread") == 0) {
        pl->width = PR_PW_SPREAD;
        return true;
    }
    if (strncmp(v, "columns:", 8) == 0 || strncmp(v, "columns=", 8) == 0) {
        long n = strtol(v + 8, &end, 10);
        if (*end || n < 1 || n > 12)
            return false;
        pl->width = PR_PW_COLUMNS;
        pl->columns = (int)n;
        return true;
    }
    double d = strtod(v, &end);
    if (end != v && strcmp(end, "%") == 0 && d > 0 && d <= 100) {
        pl->width = PR_PW_SHARE;
        pl->share = d / 100;
        return true;
    }
    return false;
}

static bool set_crop(struct pr_placing *pl, const char *v)
{
    if (strcmp(v, "none") == 0) {
        pl->crop = 0;
        return true;
    }
    char *end;
    double w = strtod(v, &end);
    if (end == v || (*end != ':' && *end != 'x' && *end != '/'))
        return false;
    const char *h_at = end + 1;
    double h = strtod(h_at, &end);
    if (end == h_at || *end || !(w > 0) || !(h > 0) || w / h > 20 || h / w > 20)
        return false;
    pl->crop = w / h;
    return true;
}

static bool set_focus(struct pr_placing *pl, const char *v)
{
    double x, y;
    char tail;
    if (sscanf(v, " [ %lf , %lf ] %c", &x, &y, &tail) != 2 && sscanf(v, " %lf , %lf %c", &x, &y, &tail) != 2 &&
        sscanf(v, " %lf %lf %c", &x, &y, &tail) != 2)
        return false;
    if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1))
        return false;
    pl->focus_x = x;
    pl->focus_y = y;
    pl->focus_set = true;
    return true;
}

bool pr_placing_set(struct pr_input *in, struct pr_placing *pl, const char *key, const char *value,
                    struct pr_pos pos)
{
    const char *v = value ? value : "";
    if (strcmp(key, "credit") == 0) {
        pl->credit = *v ? pr_smart_punct(in->arena, v) : NULL;
        return true;
    }
    bool ok;
    const char *want;
    if (strcmp(key, "width") == 0) {
        ok = set_width(pl, v);
        want = "column, columns:N, page, spread or a share such as 50%";
    } else if (strcmp(key, "crop") == 0) {
        ok = set_crop(pl, v);
        want = "an aspect W:H such as 16:9, or none (the picture's own shape)";
    } else if (strcmp(key, "focus") == 0) {
        ok = set_focus(pl, v);
        want = "the point the crop keeps, [X, Y] from 0 to 1 from the top left, e.g. [0.5, 0.3]";
    } else {
        pr_diag(in->diags, PR_D_UNKNOWN_KEY, pos,
                "a picture takes width, crop, focus and credit, not '%s'", key);
        return false;
    }
    if (!ok)
        pr_diag(in->diags, PR_D_VALUE, pos, "'%s: %s' is not understood; give %s", key, v, want);
    return ok;
}

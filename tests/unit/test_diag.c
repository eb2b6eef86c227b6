/* test_diag.c - the diagnostics list: sorted by place, a repeat dropped,
 * and of a picture's resolution said twice at one place (the fitter sized
 * the picture again) only the last saying printed. */
#include "check.h"
#include "diag.h"
#include <stdlib.h>

/* What pr_diags_print prints, malloc'd. */
static char *printed(struct pr_diags *d)
{
    FILE *f = tmpfile();
    if (!f)
        return NULL;
    pr_diags_print(d, f);
    long n = ftell(f);
    char *buf = malloc((size_t)(n > 0 ? n : 0) + 1);
    rewind(f);
    size_t got = buf && n > 0 ? fread(buf, 1, (size_t)n, f) : 0;
    if (buf)
        buf[got] = 0;
    fclose(f);
    return buf;
}

int main(void)
{
    struct pr_diags d;
    pr_diags_init(&d);
    d.quiet = 0;
    struct pr_pos lead = {"issue.yaml", 12, 5}, body = {"a.md", 3, 1};
    pr_diag(&d, PR_D_IMAGE_RES, lead, "image 'p.jpg' prints at 210 ppi at its placed size");
    pr_diag(&d, PR_D_IMAGE_ALT, body, "image 'q.png' has no alt text");
    pr_diag(&d, PR_D_IMAGE_LOWRES, lead, "image 'p.jpg' prints at 140 ppi at its placed size");
    pr_diag(&d, PR_D_IMAGE_ALT, body, "image 'q.png' has no alt text");
    char *out = printed(&d);
    CHECK(out && strstr(out, "140 ppi") != NULL);
    CHECK(out && strstr(out, "210 ppi") == NULL);
    CHECK(out && strstr(out, "no alt text") != NULL && strstr(strstr(out, "no alt text") + 1, "no alt text") == NULL);
    CHECK(d.warnings == 2);
    /* sorted: a.md before issue.yaml */
    CHECK(out && strstr(out, "a.md:3:1") && strstr(out, "issue.yaml:12:5") &&
          strstr(out, "a.md:3:1") < strstr(out, "issue.yaml:12:5"));
    free(out);
    pr_diags_free(&d);
    return DONE();
}

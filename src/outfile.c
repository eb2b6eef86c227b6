/* outfile.c - atomic output: write to a temporary file beside the final
 * one, rename on success, remove on failure, so a failed build never leaves
 * a half-written file and never touches the previous output. Used by every
 * back end that writes a file. */
#define _GNU_SOURCE
#include "backends.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool pr_outfile_begin(struct pr_build *b, struct pr_outfile *of, const char *final)
{
    of->final = strdup(final);
    size_t n = strlen(final) + 32;
    of->tmp = pr_xmalloc(n);
    const char *slash = strrchr(final, '/');
    if (slash)
        snprintf(of->tmp, n, "%.*s/.%s.tmp-XXXXXX", (int)(slash - final), final, slash + 1);
    else
        snprintf(of->tmp, n, ".%s.tmp-XXXXXX", final);
    int fd = mkstemp(of->tmp);
    if (fd < 0) {
        pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0},
                "cannot write '%s': %s; check that the folder exists and is writable", final, strerror(errno));
        free(of->final);
        free(of->tmp);
        of->final = of->tmp = NULL;
        return false;
    }
    fchmod(fd, 0644);
    close(fd);
    return true;
}

bool pr_outfile_end(struct pr_build *b, struct pr_outfile *of, bool ok)
{
    if (!of->tmp)
        return false;
    if (ok && rename(of->tmp, of->final) != 0) {
        pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot write '%s': %s", of->final, strerror(errno));
        ok = false;
    }
    if (!ok)
        unlink(of->tmp);
    free(of->final);
    free(of->tmp);
    of->final = of->tmp = NULL;
    return ok;
}

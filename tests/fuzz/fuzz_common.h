/* fuzz_common.h - shared by the libFuzzer targets in tests/fuzz/: a scratch
 * issue folder made once per process, and a fresh build context (arena,
 * diagnostics) per input, freed after it so leaks show up per input.
 * Built only with -DPR_FUZZ=ON (clang); see tests/fuzz/run.sh. */
#ifndef PR_FUZZ_COMMON_H
#define PR_FUZZ_COMMON_H
#define _GNU_SOURCE
#include "build.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The scratch folder: <tmp>/pressrun-fuzz.XXXXXX with articles/ and
 * images/ (copies of two small fixture images). */
static char fz_dir[256];

static void fz_write(const char *rel, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", fz_dir, rel);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        abort();
    }
    if (len && fwrite(data, 1, len, f) != len)
        abort();
    fclose(f);
}

static void fz_copy(const char *from, const char *rel)
{
    FILE *f = fopen(from, "rb");
    if (!f) {
        perror(from);
        abort();
    }
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    fz_write(rel, buf, n);
}

static void fz_setup(void)
{
    if (fz_dir[0])
        return;
    const char *tmp = getenv("TMPDIR");
    snprintf(fz_dir, sizeof fz_dir, "%s/pressrun-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(fz_dir))
        abort();
    char p[512];
    snprintf(p, sizeof p, "%s/articles", fz_dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/images", fz_dir);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/layouts", fz_dir);
    mkdir(p, 0755);
    fz_copy(PR_SOURCE_DATADIR "/tests/fixtures/images/images/diagram.png", "images/diagram.png");
    fz_copy(PR_SOURCE_DATADIR "/tests/fixtures/images/images/lead.jpg", "images/lead.jpg");
}

static struct pr_build *fz_build_new(void)
{
    struct pr_build *b = calloc(1, sizeof *b);
    b->arena = pr_arena_new();
    pr_diags_init(&b->diags);
    b->source_date = 1713571200;
    b->opt.quiet = true;
    pr_build_input_init(b, PR_SOURCE_DATADIR);
    return b;
}

/* Every diagnostic must carry a message and a position that makes sense. */
static void fz_build_free(struct pr_build *b)
{
    for (unsigned i = 0; i < b->diags.n; i++) {
        const struct pr_diag *d = &b->diags.v[i];
        if (!d->msg || d->pos.line < 0 || d->pos.col < 0 || (d->pos.line > 0 && !d->pos.file))
            abort();
    }
    pr_diags_free(&b->diags);
    pr_arena_free(b->arena);
    free(b);
}
#endif

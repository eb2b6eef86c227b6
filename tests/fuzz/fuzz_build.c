/* fuzz_build.c - libFuzzer target: a whole build of a tiny issue. The input
 * is the article's Markdown, optionally followed by a line "%%" and a layout
 * (layouts/fz.yaml, which the manifest then names); pr_build_run typesets it
 * and writes the screen PDF into the scratch folder; when the input has
 * errors, `check` runs too (it typesets past recoverable ones). Slow per input: run it
 * with a small -max_len (run.sh uses 2048). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_setup();
    const uint8_t *sep = size >= 4 ? memmem(data, size, "\n%%\n", 4) : NULL;
    size_t body_len = sep ? (size_t)(sep - data) : size;
    fz_write("articles/one.md", data, body_len);
    if (sep)
        fz_write("layouts/fz.yaml", sep + 4, size - body_len - 4);
    char manifest[512];
    snprintf(manifest, sizeof manifest,
             "title: Fuzz\nissue: One\ndate: 2024-04-20\nslug: fz\n%s"
             "cover:\n  lines: [A line]\n"
             "articles:\n  - file: articles/one.md\n    title: A Title\n"
             "    authors: [A. Writer]\n    section: News\n    image: images/lead.jpg\n",
             sep ? "layout: fz\n" : "");
    fz_write("issue.yaml", manifest, strlen(manifest));
    struct pr_build *b = fz_build_new();
    b->opt.issue_arg = fz_dir;
    b->opt.out_dir = pr_arena_printf(b->arena, "%s/out", fz_dir);
    b->opt.formats = PR_FMT_PDF;
    int rc = pr_build_run(b);
    if (rc != 0 && rc != 1)
        abort(); /* 3 would be an output error in a writable folder */
    fz_build_free(b);
    if (rc == 1) {
        /* check typesets past the input errors it can recover from */
        b = fz_build_new();
        b->opt.issue_arg = fz_dir;
        b->opt.check_only = true;
        rc = pr_build_run(b);
        if (rc != 0 && rc != 1)
            abort();
        fz_build_free(b);
    }
    return 0;
}

/* fuzz_manifest.c - libFuzzer target: the input is issue.yaml in a scratch
 * issue folder holding one small article and two images; pr_manifest_load
 * reads it (YAML tree, fields, front matter, layout, paths, images). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_setup();
    static const char article[] = "---\ntitle: One\n---\nA short body.\n";
    fz_write("articles/one.md", article, sizeof article - 1);
    fz_write("issue.yaml", data, size);
    struct pr_build *b = fz_build_new();
    struct pr_issue *is = pr_manifest_load(&b->input, fz_dir);
    if (is) {
        /* what later stages rely on */
        if (!is->slug || !is->title || !is->language || is->narticles < 0)
            abort();
        for (int i = 0; i < is->narticles; i++)
            if (!is->articles[i].id || !is->articles[i].title || !is->articles[i].file)
                abort();
    }
    fz_build_free(b);
    return 0;
}

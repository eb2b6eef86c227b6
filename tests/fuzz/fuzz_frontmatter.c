/* fuzz_frontmatter.c - libFuzzer target: the input is an article's whole
 * file. pr_frontmatter_split must return a body inside the text and a sane
 * start line; then the file goes through pr_manifest_load as the issue's
 * only article, which parses the front matter and merges its fields. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_setup();
    struct pr_build *b = fz_build_new();
    char *text = pr_arena_strndup(b->arena, (const char *)data, size);
    const char *yaml, *body;
    long yaml_len;
    int yaml_line, body_line;
    pr_frontmatter_split(&b->input, "a.md", text, (long)size, &yaml, &yaml_len, &yaml_line, &body,
                         &body_line);
    if (body < text || body > text + size || body_line < 1)
        abort();
    if (yaml && (yaml < text || yaml_len < 0 || yaml + yaml_len > body || yaml_line != 2))
        abort();
    fz_build_free(b);

    static const char manifest[] = "title: T\nissue: I\ndate: 2024-04-20\n"
                                   "articles:\n  - file: articles/one.md\n";
    fz_write("issue.yaml", manifest, sizeof manifest - 1);
    fz_write("articles/one.md", data, size);
    b = fz_build_new();
    struct pr_issue *is = pr_manifest_load(&b->input, fz_dir);
    if (!is || is->narticles != 1)
        abort();
    const struct pr_article *a = &is->articles[0];
    if (a->body && (a->body_len < 0 || a->body_line < 1 || a->body[a->body_len] != 0))
        abort();
    fz_build_free(b);
    return 0;
}

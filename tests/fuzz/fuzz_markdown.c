/* fuzz_markdown.c - libFuzzer target: the input is an article body, read the
 * way the manifest reads it (pr_file_read: invalid UTF-8 replaced) and
 * converted by pr_markdown_parse; the document model is then dumped as
 * text (--dump=doc), which walks every block and inline. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_setup();
    fz_write("articles/one.md", data, size);
    struct pr_build *b = fz_build_new();
    struct pr_issue *is = pr_arena_alloc(b->arena, sizeof *is);
    is->dir = fz_dir;
    is->manifest_path = pr_arena_printf(b->arena, "%s/issue.yaml", fz_dir);
    is->title = is->issue = "T";
    is->date = "2024-04-20";
    is->slug = "fuzz";
    is->language = "en";
    pr_layoutdef_defaults(&is->layout);
    is->articles = pr_arena_alloc(b->arena, sizeof *is->articles);
    is->narticles = 1;
    struct pr_article *a = &is->articles[0];
    a->file = "articles/one.md";
    a->path = pr_arena_printf(b->arena, "%s/articles/one.md", fz_dir);
    a->id = "one";
    a->title = "One";
    a->language = "en";
    a->body_line = 1;
    a->body = pr_file_read(&b->input, a->path, (struct pr_pos){0}, &a->body_len);
    pr_markdown_parse(&b->input, is, a);
    if (!a->doc || a->doc->nnotes < 0 || a->doc->words < 0)
        abort();
    for (const struct pr_block *blk = a->doc->blocks; blk; blk = blk->next)
        if (blk->pos.line < 0 || (blk->kind == PR_BLK_HEADING && (blk->level < 1 || blk->level > 3)))
            abort();
    FILE *devnull = fopen("/dev/null", "w");
    pr_dump_doc(is, devnull);
    fclose(devnull);
    fz_build_free(b);
    return 0;
}

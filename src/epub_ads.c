/* epub_ads.c - EPUB back end: the supplied ads the book shows (`epub:
 * true`), each an XHTML page holding its picture (a PDF ad rendered by
 * paint.c, at most 2048 px on its long side; a picture as epub_files.c
 * makes it),
 * placed in the reading order as the flatplan places the ad, and in no
 * navigation. Reads the issue model; called by out_epub.c. */
#include "epub_int.h"
#include <stdlib.h>
#include <string.h>

/* The part an ad's page follows: -1 before the first part. */
static int after_part(const struct epub *e, const struct pr_ad *ad)
{
    int ed = e->is->editorial ? 1 : 0;
    switch (ad->at) {
    case PR_AT_IFC:
        return -1;
    case PR_AT_FACING:
        return ad->at_index >= 0 ? ed + ad->at_index - 1 : e->nparts - 1;
    case PR_AT_AFTER:
        return ad->at_index >= 0 ? ed + ad->at_index : e->nparts - 1;
    default:
        return e->nparts - 1;
    }
}

/* The ad's picture in the book; its href, or NULL (reported). */
static const char *ad_image(struct epub *e, const struct pr_ad *ad, int k)
{
    if (ad->kind != PR_ASSET_PDF)
        return pr_epub_image_href(e, ad->path, ad->file_pos);
    size_t len = 0;
    unsigned char *jpeg = pr_paint_ad_jpeg(ad->path, ad->src_page, PR_EPUB_IMAGE_SIDE, &len);
    if (!jpeg) {
        pr_diag(&e->b->diags, PR_D_IMAGE, ad->file_pos, "cannot put the ad '%s' into the EPUB: its page cannot be drawn",
                ad->name ? ad->name : ad->file);
        e->failed = true;
        return NULL;
    }
    void *data = pr_arena_alloc(e->A, len);
    memcpy(data, jpeg, len);
    free(jpeg);
    return pr_epub_add_image(e, pr_arena_printf(e->A, "ad:%d", k), pr_arena_printf(e->A, "ad-%d", k + 1), data,
                             len, "image/jpeg", "jpg");
}

void pr_epub_write_ads(struct epub *e)
{
    const struct pr_issue *is = e->is;
    e->ads = pr_arena_alloc(e->A, (size_t)(is->nads + 1) * sizeof *e->ads);
    for (int k = 0; k < is->nads; k++) {
        const struct pr_ad *ad = &is->ads[k];
        if (!ad->epub || !ad->path)
            continue;
        const char *href = ad_image(e, ad, k);
        if (!href)
            continue;
        struct adpage *ap = &e->ads[e->nads++];
        ap->ad = ad;
        ap->file = pr_arena_printf(e->A, "ad-%02d.xhtml", k + 1);
        ap->id = pr_arena_printf(e->A, "ad%02d", k + 1);
        ap->after = after_part(e, ad);
        const char *alt = pr_arena_printf(e->A, "Advertisement: %s", ad->name ? ad->name : ad->file);
        GString *g = pr_epub_xhtml_open(e, is->language, alt, NULL, "ad");
        g_string_append(g, "<figure class=\"ad\">\n<img");
        pr_epub_attr(g, "src", href);
        pr_epub_attr(g, "alt", alt);
        g_string_append(g, "/>\n</figure>\n</body>\n</html>\n");
        pr_epub_add_doc(e, ap->file, ap->id, "application/xhtml+xml", g);
    }
}

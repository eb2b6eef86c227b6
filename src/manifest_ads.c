/* manifest_ads.c - the manifest's `ads:` and `fillers:` (the flatplan's
 * supplied pages): each entry's file, kind, size and place, checked where
 * it is written. Called by manifest.c once the articles are read (an ad
 * may name one: `after ARTICLE`), which then reads a Markdown filler like
 * an article. Input stage: writes the issue model. */
#include "manifest_int.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const size_names[] = {"full", "half", "half-vertical", "third",
                                         "third-vertical", "quarter", NULL};

enum { K_FILE, K_NAME, K_SIZE, K_AT, K_EPUB, K_PAGE, K_N };
static const char *const ad_keys[] = {"file", "name", "size", "at", "epub", "page", NULL};

static bool ends_with(const char *s, const char *ext)
{
    size_t n = strlen(s), e = strlen(ext);
    return n >= e && strcasecmp(s + n - e, ext) == 0;
}

/* What a file is, by its name; -1 (and a report) when pressrun cannot place it. */
static int asset_kind(struct pr_input *in, const char *file, struct pr_pos pos, bool markdown_ok)
{
    if (ends_with(file, ".pdf"))
        return PR_ASSET_PDF;
    if (ends_with(file, ".png") || ends_with(file, ".jpg") || ends_with(file, ".jpeg") || ends_with(file, ".tif") ||
        ends_with(file, ".tiff") || ends_with(file, ".webp"))
        return PR_ASSET_IMAGE;
    if (markdown_ok && (ends_with(file, ".md") || ends_with(file, ".markdown")))
        return PR_ASSET_MARKDOWN;
    pr_diag(in->diags, PR_D_VALUE, pos,
            "'%s' is not a file an %s can be made of; supply a PDF, PNG, JPEG, TIFF or WebP%s", file,
            markdown_ok ? "filler" : "ad", markdown_ok ? ", or a Markdown file" : "");
    return -1;
}

static int enum_value(struct pr_input *in, const struct pr_ynode *v, const char *key,
                      const char *const *names, int dflt)
{
    const char *s = pr_ystr(in, v, key);
    if (!s)
        return dflt;
    for (int i = 0; names[i]; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    const char *near = pr_did_you_mean(s, names);
    char list[256] = "";
    for (int i = 0; names[i]; i++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", names[i]);
    if (near)
        pr_diag(in->diags, PR_D_VALUE, v->pos, "'%s: %s' is not known; did you mean '%s'? (one of %s)",
                key, s, near, list);
    else
        pr_diag(in->diags, PR_D_VALUE, v->pos, "'%s: %s' is not known; use one of %s", key, s, list);
    return dflt;
}

/* `at:` inside-front-cover | inside-back-cover | back-cover | page N |
 * after ARTICLE | facing ARTICLE | any. ARTICLE is resolved later. */
static void read_at(struct pr_input *in, const struct pr_ynode *v, struct pr_ad *ad)
{
    static const char *const names[] = {"any", "inside-front-cover", "inside-back-cover",
                                        "back-cover", "page", "after", "facing", NULL};
    ad->at = PR_AT_ANY;
    const char *s = pr_ystr(in, v, "at");
    if (!s)
        return;
    ad->at_pos = v->pos;
    const char *sp = strchr(s, ' ');
    size_t n = sp ? (size_t)(sp - s) : strlen(s);
    const char *arg = sp ? sp + 1 : NULL;
    while (arg && *arg == ' ')
        arg++;
    for (int i = 0; names[i]; i++) {
        if (strlen(names[i]) != n || strncmp(s, names[i], n) != 0)
            continue;
        bool wants_arg = i >= PR_AT_PAGE;
        if (wants_arg != (arg && *arg)) {
            pr_diag(in->diags, PR_D_VALUE, v->pos,
                    wants_arg ? "'at: %s' needs %s after it (e.g. 'at: %s %s')"
                              : "'at: %s' takes nothing after it%.0s%.0s%.0s",
                    names[i], i == PR_AT_PAGE ? "a page number" : "an article's file name",
                    names[i], i == PR_AT_PAGE ? "5" : "feature-heat");
            return;
        }
        ad->at = (enum pr_ad_at)i;
        if (i == PR_AT_PAGE) {
            char *end;
            long p = strtol(arg, &end, 10);
            if (*end || p < 1 || p > 100000) {
                pr_diag(in->diags, PR_D_VALUE, v->pos, "'at: page %s': the page should be a number from 1",
                        arg);
                ad->at = PR_AT_ANY;
                return;
            }
            ad->at_page = (int)p;
        } else if (arg) {
            /* an article named by its file: "feature-heat", "articles/feature-heat.md" */
            const char *slash = strrchr(arg, '/');
            const char *stem = slash ? slash + 1 : arg;
            size_t len = strlen(stem);
            if (ends_with(stem, ".md"))
                len -= 3;
            ad->at_article = pr_arena_strndup(in->arena, stem, len);
        }
        return;
    }
    const char *near = pr_did_you_mean(s, names);
    pr_diag(in->diags, PR_D_VALUE, v->pos,
            "'at: %s' is not a place; %s%s%suse inside-front-cover, inside-back-cover, "
            "back-cover, page N, after ARTICLE, facing ARTICLE or any",
            s, near ? "did you mean '" : "", near ? near : "", near ? "'? " : "");
}

static void read_entry(struct pr_input *in, struct pr_issue *is, const struct pr_ynode *e,
                       bool filler, struct pr_ad *ad)
{
    const char *what = filler ? "filler" : "ad";
    memset(ad, 0, sizeof *ad);
    ad->pos = ad->at_pos = e->pos;
    ad->filler = filler;
    ad->at_index = -1;
    ad->src_page = 1;
    ad->size = filler ? PR_AD_THIRD : PR_AD_FULL;
    const struct pr_ynode *v[K_N];
    if (e->kind == PR_Y_SCALAR) {
        memset(v, 0, sizeof v);
        v[K_FILE] = e;
    } else if (e->kind == PR_Y_MAP) {
        pr_ymap_fields(in, e, ad_keys, v);
    } else {
        if (e->kind != PR_Y_BAD)
            pr_ytype_error(in, e, filler ? "fillers" : "ads", "a mapping with 'file:' (or a file name)");
        return;
    }
    if (filler && (v[K_AT] || v[K_EPUB]))
        pr_diag(in->diags, PR_D_UNKNOWN_KEY, (v[K_AT] ? v[K_AT] : v[K_EPUB])->key->pos,
                "a filler has no '%s': the fitter places it where a page has room; "
                "make it an ad under 'ads:' to choose its place",
                v[K_AT] ? "at" : "epub");
    ad->file = pr_ystr(in, v[K_FILE], "file");
    if (!ad->file || !*ad->file) {
        pr_diag(in->diags, PR_D_MISSING_KEY, e->pos, "this %s has no 'file:'; name the %s", what,
                filler ? "Markdown, image or PDF file" : "advertiser's PDF, PNG, JPEG, TIFF or WebP");
        ad->file = NULL;
        return;
    }
    struct pr_pos fpos = v[K_FILE]->pos;
    ad->file_pos = fpos;
    int kind = asset_kind(in, ad->file, fpos, filler);
    char *path = pr_path_join(in->arena, is->dir, ad->file);
    if (kind >= 0 && pr_input_check_file(in, is->dir, what, ad->file, path, fpos)) {
        ad->path = path;
        ad->kind = (enum pr_asset_kind)kind;
        if (kind == PR_ASSET_IMAGE) {
            struct pr_image_info info;
            if (!pr_image_info_read(in->diags, path, fpos, &info))
                ad->path = NULL;
        }
    }
    ad->name = pr_ystr(in, v[K_NAME], "name");
    if (!ad->name && ad->file) {
        const char *slash = strrchr(ad->file, '/');
        ad->name = slash ? slash + 1 : ad->file;
    }
    if (v[K_SIZE])
        ad->size = (enum pr_ad_size)enum_value(in, v[K_SIZE], "size", size_names, ad->size);
    if (!filler)
        read_at(in, v[K_AT], ad);
    if (v[K_EPUB]) {
        const char *s = pr_ystr(in, v[K_EPUB], "epub");
        if (s && (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0))
            ad->epub = true;
        else if (s && strcmp(s, "false") != 0 && strcmp(s, "no") != 0)
            pr_diag(in->diags, PR_D_VALUE, v[K_EPUB]->pos, "'epub: %s' should be true or false", s);
    }
    if (v[K_PAGE]) {
        const char *s = pr_ystr(in, v[K_PAGE], "page");
        char *end = NULL;
        long p = s ? strtol(s, &end, 10) : 0;
        if (!s || *end || p < 1 || p > 100000)
            pr_diag(in->diags, PR_D_VALUE, v[K_PAGE]->pos,
                    "'page: %s' should be the page of the PDF to place, from 1", s ? s : "");
        else if (ad->kind != PR_ASSET_PDF)
            pr_diag(in->diags, PR_D_VALUE, v[K_PAGE]->pos, "'page:' picks a page of a PDF; '%s' is not one",
                    ad->file);
        else
            ad->src_page = (int)p;
    }
    if (filler && ad->kind == PR_ASSET_MARKDOWN && ad->size == PR_AD_FULL) {
        pr_diag(in->diags, PR_D_VALUE, v[K_SIZE] ? v[K_SIZE]->pos : e->pos,
                "a Markdown filler is set as a box in the hole at an article's end; a full page "
                "needs an image or a PDF: give it 'size: half' or smaller, or supply a picture");
        ad->size = PR_AD_HALF;
    }
    if (!filler && ad->size != PR_AD_FULL && ad->at != PR_AT_AFTER && ad->at != PR_AT_ANY) {
        pr_diag(in->diags, PR_D_VALUE, ad->at_pos,
                "a fractional ad goes into an article's pages: place it with 'at: after ARTICLE' "
                "or 'at: any', or make it 'size: full' for a page of its own");
        ad->at = PR_AT_ANY;
    }
    if (ad->at == PR_AT_IFC || ad->at == PR_AT_IBC || ad->at == PR_AT_BACK_COVER) {
        if (ad->size != PR_AD_FULL) {
            pr_diag(in->diags, PR_D_VALUE, v[K_SIZE] ? v[K_SIZE]->pos : e->pos,
                    "a cover ad takes the whole page: make it 'size: full', or place it with "
                    "'at: after ARTICLE' or 'at: any'");
            ad->size = PR_AD_FULL;
        }
    }
}

static struct pr_ad *read_list(struct pr_input *in, struct pr_issue *is, const struct pr_ynode *v,
                               bool filler, int *n)
{
    *n = 0;
    if (pr_ynode_is_null(v) || v->kind == PR_Y_BAD)
        return NULL;
    if (v->kind != PR_Y_SEQ) {
        pr_ytype_error(in, v, filler ? "fillers" : "ads", "a list of entries ('- file: ...')");
        return NULL;
    }
    struct pr_ad *out = pr_arena_alloc(in->arena, (size_t)(v->n + 1) * sizeof *out);
    for (const struct pr_ynode *e = v->child; e; e = e->next) {
        read_entry(in, is, e, filler, &out[*n]);
        if (out[*n].file)
            (*n)++;
    }
    return out;
}

void pr_manifest_ads(struct pr_input *in, struct pr_issue *is, const struct pr_ynode *ads,
                     const struct pr_ynode *fillers)
{
    is->ads = read_list(in, is, ads, false, &is->nads);
    is->fillers = read_list(in, is, fillers, true, &is->nfillers);
    /* the articles ads name, by their ids (file stems) */
    const char **ids = pr_arena_alloc(in->arena, (size_t)(is->narticles + 1) * sizeof *ids);
    for (int i = 0; i < is->narticles; i++)
        ids[i] = is->articles[i].id;
    for (int k = 0; k < is->nads; k++) {
        struct pr_ad *ad = &is->ads[k];
        if (!ad->at_article)
            continue;
        for (int i = 0; i < is->narticles; i++)
            if (ids[i] && strcmp(ids[i], ad->at_article) == 0)
                ad->at_index = i;
        if (ad->at_index >= 0)
            continue;
        const char *near = pr_did_you_mean(ad->at_article, ids);
        pr_diag(in->diags, PR_D_VALUE, ad->at_pos,
                "the ad '%s' is placed by article '%s', which is not in this issue%s%s%s; "
                "name an article by its file's name without '.md'",
                ad->name, ad->at_article, near ? " (did you mean '" : "", near ? near : "",
                near ? "'?)" : "");
        ad->at = PR_AT_ANY;
    }
}

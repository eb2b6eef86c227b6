/* adcheck.c - preflight of the supplied ads and fillers (in `check` and in
 * builds that write the print PDF): a PDF ad whose size does not match its
 * slot (both sizes in the layout's units), fonts not embedded, pictures
 * under the resolution a press needs, RGB colour in a CMYK print; an
 * unreadable or damaged PDF. Reads the issue model and the ads' files
 * (pdfad.h); writes diagnostics at each ad's entry. Called by build.c. */
#include "backends.h"
#include "pdfad.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

/* The layout's units: inches for a page measured in eighths of an inch
 * (US sizes), else millimetres. */
static bool inches(const struct pr_layout *L)
{
    double w8 = L->page_w / 9.0;
    return fabs(w8 - round(w8)) < 0.01;
}

static void length(const struct pr_layout *L, double pt, char *out, size_t n)
{
    if (inches(L))
        snprintf(out, n, "%.2f", pt / 72.0);
    else
        snprintf(out, n, "%.0f", pt / 72.0 * 25.4);
}

static const char *unit(const struct pr_layout *L)
{
    return inches(L) ? "in" : "mm";
}

/* "8.50 x 11.00 in" */
static void size_text(const struct pr_layout *L, double w, double h, char *out, size_t n)
{
    char a[16], b[16];
    length(L, w, a, sizeof a);
    length(L, h, b, sizeof b);
    snprintf(out, n, "%s x %s %s", a, b, unit(L));
}

/* The slot an ad of this size gets: a full page (its trim, with the bleed
 * in print), or a column of the type area (a fractional ad is set as a
 * column-wide box, as tall as the ad). */
static void slot(const struct pr_layout *L, const struct pr_ad *ad, double *w, double *h)
{
    if (ad->size == PR_AD_FULL) {
        *w = L->page_w;
        *h = L->page_h;
        return;
    }
    double tw = L->page_w - L->margin_inner - L->margin_outer;
    double th = L->page_h - L->margin_top - L->margin_bottom;
    if (L->columns > 1 && (ad->size == PR_AD_HALF || ad->size == PR_AD_THIRD)) {
        *w = tw; /* across the columns, at the foot of a page */
        *h = th / (ad->size == PR_AD_HALF ? 2 : 3);
        return;
    }
    *w = (tw - (L->columns - 1) * L->gutter) / L->columns;
    *h = th;
}

static void check_size(const struct pr_layout *L, struct pr_diags *d, const struct pr_ad *ad,
                       const struct pr_ad_info *in)
{
    double sw, sh;
    slot(L, ad, &sw, &sh);
    char have[64], want[64];
    size_text(L, in->trim_w, in->trim_h, have, sizeof have);
    size_text(L, sw, sh, want, sizeof want);
    const char *name = ad->name ? ad->name : ad->file;
    if (ad->size == PR_AD_FULL) {
        if (fabs(in->trim_w - sw) > 1 || fabs(in->trim_h - sh) > 1)
            pr_diag(d, PR_D_AD, ad->pos,
                    "the ad '%s' is %s, a full page here is %s: it is centred, never scaled, "
                    "and cropped or framed in white; ask the advertiser for the page size",
                    name, have, want);
        else if (L->bleed > 0 && (in->bleed_w < sw + 2 * L->bleed - 1 || in->bleed_h < sh + 2 * L->bleed - 1)) {
            char b[32];
            length(L, L->bleed, b, sizeof b);
            pr_diag(d, PR_D_AD, ad->pos,
                    "the full-page ad '%s' has %s of bleed; the print needs %s %s on every side, or "
                    "paper shows at a trim that is a little off",
                    name, in->bleed_w > in->trim_w + 1 ? "too little" : "no", b, unit(L));
        }
        return;
    }
    if (in->trim_w > sw + 1 || in->trim_h > sh + 1)
        pr_diag(d, PR_D_AD, ad->pos,
                "the ad '%s' is %s, larger than its slot here (%s, %s): it is cropped to it; ask "
                "for an ad of that size",
                name, have, want, sw > L->page_w / 2 ? "across the columns" : "a column of the page");
    else if (in->trim_w < sw - 1)
        pr_diag(d, PR_D_AD, ad->pos,
                "the ad '%s' is %s, narrower than its slot here (%s): it is centred in white",
                name, have, want);
}

static void check_one(const struct pr_layout *L, struct pr_diags *d, const struct pr_ad *ad, bool print)
{
    struct pr_ad_info in;
    char err[512];
    const char *name = ad->name ? ad->name : ad->file;
    if (!pr_pdfad_inspect(ad->path, ad->src_page, &in, err, sizeof err)) {
        pr_diag(d, PR_D_IMAGE, ad->file_pos, "the ad '%s' cannot be placed: %s; ask for a PDF that opens",
                name, err);
        return;
    }
    check_size(L, d, ad, &in);
    for (int i = 0; i < in.nunembedded && i < PR_AD_MAX_LIST; i++)
        pr_diag(d, PR_D_AD, ad->pos,
                "the ad '%s' uses the font %s without embedding it: the press will substitute "
                "another; ask for the PDF with every font embedded (PDF/X)",
                name, in.unembedded[i]);
    if (in.nimages > 0 && in.min_ppi > 0 && in.min_ppi < 300)
        pr_diag(d, PR_D_AD, ad->pos,
                "a picture in the ad '%s' prints at %.0f ppi, below the 300 ppi a press needs; ask "
                "for the ad with its pictures at 300 ppi",
                name, in.min_ppi);
    if (print && in.rgb)
        pr_diag(d, PR_D_AD, ad->pos,
                "the ad '%s' has RGB colour in a CMYK print: the press converts it and its colours "
                "shift; ask for the ad in CMYK (PDF/X-1a or X-4)",
                name);
}

void pr_ads_preflight(const struct pr_issue *is, struct pr_diags *d, bool print)
{
    const struct pr_layout *L = &is->layout;
    for (int pass = 0; pass < 2; pass++) {
        const struct pr_ad *v = pass ? is->fillers : is->ads;
        int n = pass ? is->nfillers : is->nads;
        for (int k = 0; k < n; k++)
            if (v[k].path && v[k].kind == PR_ASSET_PDF)
                check_one(L, d, &v[k], print);
    }
}

/* colour.c - colour conversion for the image readers (image_int.h): rows of
 * grey, RGB or CMYK samples, 8 or 16 bits, from the picture's embedded ICC
 * profile (else sRGB, or for CMYK the press's profile the print PDF names
 * as its output intent) to sRGB with lcms2, packed as cairo's premultiplied
 * ARGB32. The only file that includes lcms2. */
#include "image_int.h"
#include "arena.h"
#include <lcms2.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct pr_colour {
    struct pr_pixfmt f;
    int channels;         /* colour samples a pixel, alpha not counted */
    cmsHTRANSFORM xf;     /* NULL: no conversion */
    unsigned char *rgb;   /* scratch row of the transform's output */
    int rgb_w;
};

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

/* lcms2 reports bad profiles through a global handler: the callers see a
 * NULL profile and fall back, so the message is not wanted. */
static void quiet(void)
{
    cmsSetLogErrorHandler(NULL);
}

static const char *icc_dir(void)
{
    const char *env = getenv("PRESSRUN_ICC_DIR");
    return env && *env ? env : "/usr/share/color/icc/ghostscript";
}

/* The profile the picture's samples are in, or NULL for none to use. */
static cmsHPROFILE source_profile(const struct pr_pixfmt *f, const void *icc, size_t icc_len)
{
    cmsColorSpaceSignature want = f->model == PR_COLOUR_CMYK  ? cmsSigCmykData
                                  : f->model == PR_COLOUR_RGB ? cmsSigRgbData
                                                              : cmsSigGrayData;
    cmsHPROFILE p = icc && icc_len > 128 ? cmsOpenProfileFromMem(icc, (cmsUInt32Number)icc_len) : NULL;
    if (p && cmsGetColorSpace(p) != want) {
        cmsCloseProfile(p);
        p = NULL;
    }
    if (!p && f->model == PR_COLOUR_CMYK) {
        char path[4096];
        snprintf(path, sizeof path, "%s/default_cmyk.icc", icc_dir());
        p = cmsOpenProfileFromFile(path, "r");
    }
    return p;
}

static cmsUInt32Number lcms_format(const struct pr_pixfmt *f)
{
    int ch = f->model == PR_COLOUR_CMYK ? 4 : f->model == PR_COLOUR_RGB ? 3 : 1;
    int space = f->model == PR_COLOUR_CMYK ? PT_CMYK : f->model == PR_COLOUR_RGB ? PT_RGB : PT_GRAY;
    return COLORSPACE_SH(space) | CHANNELS_SH(ch) | BYTES_SH(f->bits / 8) | EXTRA_SH(f->alpha ? 1 : 0) |
           FLAVOR_SH(f->inverted ? 1 : 0);
}

/* Does an RGB profile map a few colours (primaries, secondaries, greys)
 * to themselves in sRGB, within a step of 2? Then it is sRGB whatever its
 * name (and a profile named sRGB that is not, is not). */
static bool maps_to_itself(cmsHPROFILE p)
{
    static const unsigned char probe[][3] = {{255, 0, 0}, {0, 255, 0},   {0, 0, 255},    {255, 255, 0},
                                             {0, 255, 255}, {255, 0, 255}, {64, 64, 64}, {128, 128, 128},
                                             {200, 200, 200}, {230, 120, 40}};
    enum { N = sizeof probe / sizeof probe[0] };
    cmsHPROFILE srgb = cmsCreate_sRGBProfile();
    cmsHTRANSFORM xf = cmsCreateTransform(p, TYPE_RGB_8, srgb, TYPE_RGB_8, INTENT_RELATIVE_COLORIMETRIC, 0);
    cmsCloseProfile(srgb);
    if (!xf)
        return true; /* unusable: taken as it is */
    unsigned char out[N][3];
    cmsDoTransform(xf, probe, out, N);
    cmsDeleteTransform(xf);
    for (int i = 0; i < N; i++)
        for (int k = 0; k < 3; k++)
            if (abs((int)out[i][k] - (int)probe[i][k]) > 2)
                return false;
    return true;
}

bool pr_colour_is_srgb(const void *icc, size_t icc_len)
{
    pthread_once(&quiet_once, quiet);
    cmsHPROFILE p = icc && icc_len > 128 ? cmsOpenProfileFromMem(icc, (cmsUInt32Number)icc_len) : NULL;
    if (!p)
        return true;
    bool srgb = cmsGetColorSpace(p) == cmsSigRgbData && maps_to_itself(p);
    cmsCloseProfile(p);
    return srgb;
}

struct pr_colour *pr_colour_new(const struct pr_pixfmt *f, const void *icc, size_t icc_len)
{
    pthread_once(&quiet_once, quiet);
    struct pr_colour *c = pr_xmalloc(sizeof *c);
    memset(c, 0, sizeof *c);
    c->f = *f;
    c->channels = f->model == PR_COLOUR_CMYK ? 4 : f->model == PR_COLOUR_RGB ? 3 : 1;
    if (f->model == PR_COLOUR_RGB && pr_colour_is_srgb(icc, icc_len))
        return c; /* sRGB already: nothing to convert */
    cmsHPROFILE in = source_profile(f, icc, icc_len);
    if (!in)
        return c;
    cmsHPROFILE out = cmsCreate_sRGBProfile();
    /* relative colorimetric with black-point compensation: what Photoshop
     * and ImageMagick do by default for a photo's conversion */
    c->xf = cmsCreateTransform(in, lcms_format(f), out, TYPE_RGB_8, INTENT_RELATIVE_COLORIMETRIC,
                               cmsFLAGS_BLACKPOINTCOMPENSATION);
    cmsCloseProfile(in);
    cmsCloseProfile(out);
    return c;
}

void pr_colour_free(struct pr_colour *c)
{
    if (!c)
        return;
    if (c->xf)
        cmsDeleteTransform(c->xf);
    free(c->rgb);
    free(c);
}

/* Sample i of a row, scaled to 0..255. */
static unsigned sample(const struct pr_colour *c, const void *src, size_t i)
{
    if (c->f.bits == 16)
        return ((const uint16_t *)src)[i] >> 8;
    return ((const uint8_t *)src)[i];
}

/* Without a transform: grey spread, RGB as it is, CMYK by the naive
 * formula (ink multiplied out of white). */
static void naive_rgb(const struct pr_colour *c, const void *src, int x, unsigned rgb[3])
{
    size_t n = (size_t)c->channels + (c->f.alpha ? 1 : 0), at = (size_t)x * n;
    if (c->f.model == PR_COLOUR_GREY) {
        rgb[0] = rgb[1] = rgb[2] = sample(c, src, at);
        return;
    }
    if (c->f.model == PR_COLOUR_RGB) {
        for (int k = 0; k < 3; k++)
            rgb[k] = sample(c, src, at + (size_t)k);
        return;
    }
    unsigned ink[4];
    for (int k = 0; k < 4; k++)
        ink[k] = c->f.inverted ? 255 - sample(c, src, at + (size_t)k) : sample(c, src, at + (size_t)k);
    for (int k = 0; k < 3; k++)
        rgb[k] = (255 - ink[k]) * (255 - ink[3]) / 255;
}

static unsigned alpha_of(const struct pr_colour *c, const void *src, int x)
{
    if (!c->f.alpha)
        return 255;
    size_t n = (size_t)c->channels + 1;
    return sample(c, src, (size_t)x * n + n - 1);
}

void pr_colour_row(struct pr_colour *c, const void *src, int w, uint32_t *dst)
{
    if (c->xf) {
        if (c->rgb_w < w) {
            free(c->rgb);
            c->rgb = pr_xmalloc((size_t)w * 3);
            c->rgb_w = w;
        }
        cmsDoTransform(c->xf, src, c->rgb, (cmsUInt32Number)w);
    }
    for (int x = 0; x < w; x++) {
        unsigned rgb[3], a = alpha_of(c, src, x);
        if (c->xf)
            for (int k = 0; k < 3; k++)
                rgb[k] = c->rgb[3 * x + k];
        else
            naive_rgb(c, src, x, rgb);
        if (a < 255 && !c->f.premultiplied)
            for (int k = 0; k < 3; k++)
                rgb[k] = (rgb[k] * a + 127) / 255;
        if (a < 255 && c->f.premultiplied && c->xf)
            for (int k = 0; k < 3; k++) /* converted colour of premultiplied samples stays <= alpha */
                rgb[k] = rgb[k] > a ? a : rgb[k];
        dst[x] = (uint32_t)a << 24 | (uint32_t)rgb[0] << 16 | (uint32_t)rgb[1] << 8 | rgb[2];
    }
}

/* pdfad.h - supplied advertisements: a PDF page the advertiser made, placed
 * into both PDFs untouched (its content stream byte for byte, its fonts,
 * images and colours as they are) as a form XObject, never scaled, cropped
 * only to its slot; and the preflight that says what is wrong with it.
 *
 * pr_pdfad_inspect is qpdf's C++ content-stream parser (pdfad.cc); the
 * placement is in pdfboxes.c, in the qpdf post-pass both PDFs already go
 * through (struct pr_pdf_post's ads), or over a finished PDF with
 * pr_pdfad_import_file. adraster.c paints an ad as pixels (poppler). */
#ifndef PR_PDFAD_H
#define PR_PDFAD_H
#include <stdbool.h>
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

/* One ad on one page. The slot is in trim coordinates (pt, y down from
 * the trim's top-left corner, as the page model); the ad's TrimBox is
 * centred on it 1:1 (same size: it fills the slot exactly) and clipped to
 * the slot, or with `bleed` (a full-page ad) to the page's BleedBox so the
 * ad's own bleed shows beyond the trim in the print PDF. */
struct pr_ad_place {
    int page;          /* 0-based page index in the FINISHED PDF */
    const char *file;  /* the advertiser's PDF */
    int src_page;      /* 1-based */
    double x, y, w, h; /* the slot */
    bool bleed;        /* full page: show the ad's bleed area beyond the trim */
    bool marked;       /* tagged PDF: drawn as marked content: a Figure's with this MCID, */
    int mcid;          /* or an Artifact when it is -1 (an offprint's other stories) */
};

/* What preflight needs to know about an ad page. */
#define PR_AD_MAX_LIST 16
struct pr_ad_image {
    char name[64];       /* resource name, e.g. "/Im0" (form path not kept) */
    int px_w, px_h;      /* pixels */
    double ppi;          /* effective resolution as placed (the lower of the two axes); 0: never drawn */
    bool rgb;            /* DeviceRGB, CalRGB or ICCBased with N 3 */
};
struct pr_ad_info {
    int npages;                  /* in the file */
    double trim_w, trim_h;       /* TrimBox, else CropBox, else MediaBox, pt */
    double bleed_w, bleed_h;     /* BleedBox, else CropBox, else MediaBox, pt */
    bool has_trimbox, has_bleedbox;
    int rotate;                  /* the page's /Rotate (placement refuses non-zero) */
    /* fonts without FontFile/FontFile2/FontFile3 (Type3 fonts are
     * embedded by nature; their glyph procedures' resources are walked) */
    int nunembedded;
    char unembedded[PR_AD_MAX_LIST][64]; /* BaseFont names, the first PR_AD_MAX_LIST */
    int nimages;                 /* image XObjects drawn (each Do), and inline images */
    struct pr_ad_image images[PR_AD_MAX_LIST];
    double min_ppi;              /* lowest effective ppi of any image drawn; 0: none */
    bool rgb;                    /* any RGB colour: images, rg/RG, sc/scn/SC/SCN in an RGB space, shadings */
};

/* Reads page src_page (1-based) of `file`: its boxes, fonts not embedded
 * (resources walked recursively: form XObjects, Type3 glyph procedures,
 * patterns), each image drawn with its pixel size and effective ppi (the
 * CTM tracked through q/Q/cm), and any RGB colour. false with a message in
 * err (not a PDF, encrypted, page out of range, damaged) otherwise. */
bool pr_pdfad_inspect(const char *file, int src_page, struct pr_ad_info *out, char *err, size_t errlen);

/* The TrimBox (else CropBox, else MediaBox) and CropBox (else MediaBox)
 * of a page as x0 y0 x1 y1 in its PDF space. false with a message in err. */
bool pr_pdfad_boxes(const char *file, int src_page, double trim[4], double crop[4], char *err, size_t errlen);

/* Places ads onto the pages of a finished PDF (in_path) and writes
 * out_path (a deterministic /ID; everything else kept). Pages without ads
 * are left as they are. The trim of each page is its TrimBox, else its
 * MediaBox. false with a message in err. (pdfboxes.c) */
bool pr_pdfad_import_file(const char *in_path, const char *out_path, const struct pr_ad_place *ads, int nads,
                          char *err, size_t errlen);

/* adraster.c: draws the TrimBox area of page src_page (1-based) of the ad
 * into the rectangle (x, y, w, h) of cr's user space (pt, y down) as the
 * PDFs place it: centred, never scaled, clipped to the rectangle (raster
 * previews: PNG pages, the flatplan proof, the EPUB; scale cr for the
 * resolution). false when the file cannot be read (nothing drawn). */
struct _cairo;
bool pr_adraster_paint(struct _cairo *cr, const char *file, int src_page, double x, double y, double w, double h);

#ifdef __cplusplus
}
#endif
#endif

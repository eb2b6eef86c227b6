/* backends.h - the back ends that read the page model (book.h): painting,
 * the screen PDF, the layout dump; and the output-file service they share.
 * Called by build.c after typesetting. */
#ifndef PR_BACKENDS_H
#define PR_BACKENDS_H
#include <stdio.h>
#include "book.h"
#include "build.h"

/* outfile.c: every output is written to a temporary file in the target
 * folder and renamed over the final name only when complete. */
struct pr_outfile {
    char *final, *tmp; /* malloc'd */
};
/* Creates the temporary file; reports PR_D_OUTPUT and returns false when
 * the folder cannot be written. */
bool pr_outfile_begin(struct pr_build *b, struct pr_outfile *of, const char *final);
/* Renames the temporary file over the final name (or removes it when ok is
 * false). Returns false (and reports) on failure. Frees of's strings. */
bool pr_outfile_end(struct pr_build *b, struct pr_outfile *of, bool ok);
/* The signals that interrupt a build (SIGINT, SIGTERM, SIGHUP, SIGQUIT). */
#include <signal.h>
void pr_outfile_signals(sigset_t *set);
/* Hold the outputs that end well under their temporary names until
 * pr_outfile_release, which renames them all (ok) or removes them all: the
 * formats of one build are replaced together or not at all. */
void pr_outfile_hold(void);
bool pr_outfile_release(struct pr_build *b, bool ok);
/* main.c's signal handler: removes the temporary files of the outputs
 * being written and returns true (the build is to die of the signal), or,
 * while pr_outfile_release renames the outputs, keeps the signal for it to
 * raise once all are renamed and returns false. Async-signal-safe. */
bool pr_outfile_interrupt(int sig);

/* Links and destinations found while painting, for the PDF post-pass
 * (pdfboxes.c), in trim coordinates (y down). page is 0-based. */
struct pr_pdf_link {
    int page;
    double x, y, w, h;
    const char *uri;            /* external link, or */
    const char *dest;           /* a named destination */
    const char *text;           /* what it says, for its /Contents (NULL: the URI or "Go to page N") */
    int elem;                   /* tagged: its Link element (index in elems), -1: none */
};
struct pr_pdf_dest {
    const char *name;
    int page;
    double x, y;
};
/* The tagged screen PDF: the structure elements the painter met (book.h's
 * struct pr_tag, copied: the page model's go once painted; and the Link
 * and Span elements it made for links and other-language runs in lines),
 * and where their content is: marked-content references, (page, MCID).
 * The post-pass (pdftags.c) makes the structure tree of them. */
struct pr_pdf_elem {
    enum pr_tag_type type;
    int story, seq;             /* the element's place: its story, its order in it */
    int parent;                 /* index in elems; -1: a story's root (in the Document) */
    const char *lang, *alt, *title;
};
struct pr_pdf_mcr {
    int elem, page, mcid;       /* page: 0-based, in the finished PDF */
};
struct pr_pdf_marks {
    struct _GStringChunk *strings;    /* copies of the names and URIs (the page model's go) */
    struct pr_pdf_link *links;
    int nlinks, links_cap;
    struct pr_pdf_dest *dests;
    int ndests, dests_cap;
    /* tagged PDFs only (tagged, one_story and story set before painting) */
    bool tagged;
    bool one_story;                   /* an offprint: only this story is content, the rest of its
                                         pages (the stories it shares them with) artifacts */
    int story;
    struct _GHashTable *keys;         /* an element's identity -> 1 + its index */
    int last_story, last_seq, last_elem; /* the element looked up last (a paragraph's lines
                                            ask one after another); last_elem 0: none, else 1 + it */
    struct pr_pdf_elem *elems;
    int nelems, elems_cap;
    struct pr_pdf_mcr *mcrs;          /* in the order painted */
    int nmcrs, mcrs_cap;
    int *mcids;                       /* MCIDs used on each page (npages_cap) */
    int mcids_cap;
};
void pr_pdf_marks_free(struct pr_pdf_marks *m);

/* How the print PDF sits on its sheet: `margin` from the trim to the edge
 * of the MediaBox (the bleed plus room for marks), all in pt. */
struct pr_print_geom {
    double trim_w, trim_h, bleed, margin;
    bool marks;
};

/* A CMYK picture the print PDF carries as CMYK although cairo cannot (a
 * TIFF): painted as a placeholder of its size (w x h pixels) filled with
 * the colour `key` (0xRRGGBB), which the post-pass finds and fills with
 * the picture's own ink. */
struct pr_cmyk_image {
    const char *path;
    unsigned key;
    int w, h;
};

struct pr_ad_place;
/* Tagged PDFs: the layers of artifacts cairo painted on pages of their
 * own, which the post-pass lays under or over the page's content as
 * form XObjects marked /Artifact. */
enum pr_layer { PR_LAYER_CONTENT, PR_LAYER_UNDER, PR_LAYER_OVER };
/* What the qpdf post-pass adds to a PDF cairo wrote. */
struct pr_pdf_post {
    const char **labels;              /* page label of each page (npages), in the finished PDF's order */
    int npages;
    const int *order;                 /* order[i]: where the i-th page cairo painted goes (npainted) */
    int npainted;
    const int *slug_target;           /* print: the last nslugs pages painted are slug lines, */
    int nslugs;                       /* each laid over page slug_target[k] and removed */
    double page_h;                    /* MediaBox height (for link rectangles) */
    const struct pr_pdf_marks *marks; /* screen: links and destinations; NULL for print */
    const struct pr_print_geom *print; /* print: boxes, crop marks, PDF/X-4; NULL for screen */
    const char *title, *author, *date; /* date as YYYY-MM-DDTHH:MM:SSZ */
    const struct pr_ad_place *ads;    /* supplied ads (pdfad.h), placed last; page: in the finished PDF */
    int nads;
    const struct pr_cmyk_image *cmyk; /* print: placeholders to fill with CMYK */
    int ncmyk;
    const unsigned char *layer;       /* tagged: the layer (enum pr_layer) of each page painted, the
                                         artifact layers going to page order[i]; NULL: all content */
    const char *lang;                 /* tagged: the document's language */
    struct pr_pdftext *text;          /* the text pressrun wrote itself (pdftext.h), NULL: none */
};

/* paint.c: page src_page of a PDF ad as a baseline JPEG (its TrimBox at
 * 150 dpi, at most max_px on its long side; malloc'd), or NULL. */
unsigned char *pr_paint_ad_jpeg(const char *file, int src_page, int max_px, size_t *len);

/* adcheck.c: preflight of the supplied PDF ads and fillers: size against
 * the slot (in the layout's units), bleed of a full page, fonts not
 * embedded, pictures under 300 ppi, and (print) RGB colour. Warnings at
 * each ad's entry; an unreadable PDF is an error. */
void pr_ads_preflight(const struct pr_issue *is, struct pr_diags *d, bool print);

/* pdfboxes.c: the qpdf post-pass over a PDF cairo wrote (pdf_path): page
 * labels, link annotations (cairo 1.16 loses forward links), for print the
 * TrimBox/BleedBox, registration-colour crop marks and the PDF/X-4 keys,
 * output intent and XMP; the supplied ads as form XObjects (pdfad.h); a
 * deterministic /ID. Writes out_path. Returns
 * false and reports PR_D_OUTPUT when qpdf fails. */
bool pr_pdfboxes_run(struct pr_build *b, const char *pdf_path, const char *out_path,
                     const struct pr_pdf_post *post);

/* paint.c: the PDF name of a structure type ("P", "H1", "TOCI"...). */
const char *pr_tag_name(enum pr_tag_type t);

/* paint.c: draws pages with cairo. One painter per output: it caches image
 * surfaces so each image is embedded once. */
struct pr_painter;
struct pr_print_geom;
struct _cairo;
struct pr_painter *pr_painter_new(bool pixels);
/* Collect links and destinations into m while painting page `page` (and,
 * when m->tagged, the structure and marked content of the tagged PDF). */
void pr_painter_collect(struct pr_painter *p, struct pr_pdf_marks *m, int page);
/* Tagged painting: sort page pg's boxes into layers (content, artifacts
 * under it, artifacts over it); returns which artifact layers have
 * anything (1 << PR_LAYER_UNDER | 1 << PR_LAYER_OVER). Then paint each
 * layer with pr_paint_layer, the content layer last (its marked content
 * is recorded in the marks). */
unsigned pr_painter_layers(struct pr_painter *p, const struct pr_page *pg);
void pr_paint_layer(struct pr_painter *p, struct _cairo *cr, const struct pr_book *bk, const struct pr_page *pg,
                    enum pr_layer layer);
/* Tagged painting: the MCID under which the post-pass draws box b of the
 * page just painted (a PDF ad), recorded for its element; -1: none. */
int pr_painter_late_mcid(struct pr_painter *p, const struct pr_box *b);
/* Print: extend whatever touches the trim edge into the bleed, and draw
 * the slug line (PR_ROLE_SLUG boxes) when `slug` is set. */
void pr_painter_print(struct pr_painter *p, double bleed, bool slug);
/* Print: the CMYK pictures painted as placeholders so far (owned by the
 * painter, valid until it is freed). */
const struct pr_cmyk_image *pr_painter_cmyk(const struct pr_painter *p, int *n);
/* Offprints: draw each article's citation line (PR_ROLE_CITATION boxes). */
void pr_painter_citation(struct pr_painter *p, bool on);
/* PDFs: write the text of the pages into t (pdftext.h) rather than through
 * cairo, page by page where every run of a page can go there. */
struct pr_pdftext;
void pr_painter_text(struct pr_painter *p, struct pr_pdftext *t);
/* pdftext.c: what watch kept of the text layers' streams from build to
 * build, freed. */
void pr_pdftext_caches_free(void);
void pr_painter_free(struct pr_painter *p);
/* Draw one page; (0,0) is the trim's top-left corner. links: emit PDF link
 * and destination tags. */
void pr_paint_page(struct pr_painter *p, struct _cairo *cr, const struct pr_book *bk,
                   const struct pr_page *pg, bool links);

/* Render page `page` (0-based) to PNG bytes at `dpi` (*len set; the caller
 * frees with g_free). Fonts and images as in the PDF. NULL on failure. */
unsigned char *pr_paint_png(const struct pr_book *bk, int page, double dpi, size_t *len);
/* The same as baseline JPEG at `quality` (the caller frees with free). */
unsigned char *pr_paint_jpeg(const struct pr_book *bk, int page, double dpi, int quality, size_t *len);

/* out_pdf.c: the screen PDF (trim size, links, outline, page labels and
 * metadata; padding pages left out) and the printer's PDF (every page
 * (padding included) at trim + bleed, crop marks and slug line unless the
 * layout or --no-marks turns them off, page boxes, PDF/X-4), painted page
 * by page as typesetting hands the pages over (pages.c's pr_page_sink), in
 * whatever order they come: each is put in its place by the post-pass.
 * open returns NULL on an output error (reported); paint ignores a NULL
 * writer; close paints what only the finished book knows (the print slug
 * lines), runs the post-pass, frees the writer and returns false on an
 * output error (reported). Each writer is used by one thread at a time. */
struct pr_pdf_writer;
struct pr_pdf_writer *pr_pdf_open(struct pr_build *b, const struct pr_book *bk, const char *path);
struct pr_pdf_writer *pr_print_open(struct pr_build *b, const struct pr_book *bk, const char *path);
void pr_pdf_paint(struct pr_pdf_writer *w, const struct pr_book *bk, const int *pages, int n);
bool pr_pdf_close(struct pr_pdf_writer *w, const struct pr_book *bk);
/* out_pdf.c: offprints, one PDF per article (and the editorial) as
 * <dir>/<slug>-<article>.pdf: its pages as in the issue, with the citation
 * line. Needs the whole book (pr_typeset retain). Returns false on an
 * output error. */
bool pr_articles_write(struct pr_build *b, const struct pr_book *bk, const char *dir);
/* out_print.c: the print sheet's geometry, and one page painted on it. */
void pr_print_geometry(const struct pr_build *b, const struct pr_book *bk, struct pr_print_geom *g);
void pr_print_page(struct pr_painter *p, struct _cairo *cr, const struct pr_book *bk, const struct pr_page *pg,
                   const struct pr_print_geom *g);

/* out_proof.c: one PNG per page (padding pages left out) as
 * <dir>/<slug>-pNNN.png at `dpi`; false on an output error (reported). */
bool pr_png_write(struct pr_build *b, const struct pr_book *bk, const char *dir, const char *slug, double dpi);
struct pr_typeset;
/* out_proof.c: the flatplan PNG of every page in reader spreads, labelled
 * with folio and article (labels set with ts). */
bool pr_proof_write(struct pr_build *b, struct pr_typeset *ts, const char *path);

/* out_layout.c: the page model as text, for --dump=layout and golden tests:
 * every page, every box with its geometry to 0.01 pt and each line's text. */
void pr_dump_layout(struct pr_build *b, const struct pr_book *bk, FILE *f);
/* stats.c: typesetting figures (--stats): per article and for the issue,
 * lines, word-space ratios on justified lines, loose and tight lines,
 * hyphenated lines and runs, widows, orphans, runts, overflows and missing
 * glyphs; a table (b->opt.stats == 1) or one JSON object (2) on `out`. */
void pr_stats_write(struct pr_build *b, const struct pr_book *bk, FILE *out);
/* out_epub.c: the EPUB 3 (reflowable) from the issue and document models:
 * one XHTML file per article, nav + NCX, accessibility metadata, the cover
 * (a JPEG of the first page, else the manifest's cover image). Same input
 * and SOURCE_DATE_EPOCH give the same bytes. Reads no page model, so it may
 * run beside typesetting. Returns false on an output error (reported). */
bool pr_epub_write(struct pr_build *b, const unsigned char *cover_jpeg, size_t cover_len, const char *path);
/* out_epub.c: the EPUB's cover: bk's first page as a JPEG of the size the
 * stores ask for (the caller frees it with free); NULL when there is none. */
unsigned char *pr_epub_cover(const struct pr_book *bk, size_t *len);
#endif

/* pdftext.c - the PDF's text written by pressrun itself (pdftext.h): while
 * painting, each page's lines as a content stream of our own (BT/TJ with
 * glyph ids, a line's letter spacing as character spacing (Tc),
 * adjustments only where Pango's positions leave the font's advances and
 * that spacing, marked content and ActualText as cairo wrote them), deflated
 * and kept in a temporary file; before the qpdf post-pass reads cairo's
 * PDF, those streams appended to it as an update; in the post-pass, laid
 * over the pages cairo painted, and the fonts they use embedded: a
 * HarfBuzz subset keeping the glyph ids (Type0/Identity-H, CIDToGIDMap
 * /Identity; CFF fonts as OpenType, FontFile3), /W from the font's own
 * advances, a ToUnicode CMap of the text each glyph was shown for. In
 * watch, a page whose stream is as in a build before is not deflated
 * again. Reads Pango's glyph runs; fonts by their files (fontconfig's
 * pattern), loaded with HarfBuzz. */
#include "pdftext.h"
#include "backends.h"
#include "kept.h"
#include "pdfpost.h"
#include "text.h"
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <libdeflate.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-font.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* A font file (and face index) embedded once, whatever its sizes. */
struct tfont {
    char *file;
    int index;
    hb_face_t *face;
    hb_font_t *hb;        /* at units per em, for the advances */
    unsigned upem, nglyphs;
    bool cff;             /* CFF outlines: OpenType in FontFile3 */
    int *w;               /* advance of each glyph in 1/1000 em, INT_MIN: not read yet */
    char **uni;           /* the text each glyph shows (ToUnicode), NULL: none yet */
    unsigned char *used;
};

/* What pr_pdftext_can found for one PangoFont. */
struct fontref {
    int font;             /* index in fonts, -1: not ours */
    double size;
};

struct mark_ph {
    size_t at;            /* where the MCID goes in the page's stream */
    int k;
};

struct tpage {
    long at;              /* the deflated stream, in the spill file */
    size_t zlen;          /* its length, 0: nothing */
    int obj;              /* its object number in cairo's file, once written there */
    unsigned char *fonts; /* fonts used (nfonts at the time) */
    int nfonts;
};

/* Font f's embedding, made before the post-pass needs it (in a thread
 * of its own: subsetting was a fifth of the screen PDF's post-pass, which
 * is the build's serial tail; and deflated there, not by qpdf as it
 * writes): the subset's program (deflated, and its length before), its
 * name, the descriptor's and the /W array's text and the ToUnicode CMap
 * (deflated). */
struct embedding {
    unsigned char *program; /* NULL: the font is not used, or failed (err) */
    size_t program_len, program_raw;
    char name[160];
    GString *desc, *widths;
    unsigned char *tu;
    size_t tu_len;
    char err[200];
};

static void embedding_free(struct embedding *e);

struct pr_pdftext {
    double sheet_h;
    bool reuse;           /* watch: pages deflated in the last builds are not deflated again */
    GHashTable *refs;     /* PangoFont* -> struct fontref* */
    PangoFont *last_pf;   /* the last one looked up */
    const struct fontref *last_ref;
    struct tfont *fonts;
    int nfonts, fonts_cap;
    /* the page being painted */
    GString *cur;
    struct mark_ph *ph;
    int nph, ph_cap;
    unsigned char *cur_fonts;
    int cur_fonts_cap;
    int font;             /* current font and size, -1: none set */
    double size, xscale;
    double tc;            /* the character spacing set (Tc, pt; 0 at a page's start) */
    double rgb[3];
    bool rgb_set, in_bt, marked;
    struct tpage pending; /* the page painted, until cairo shows it (zeros: no text) */
    struct tpage *pages;  /* by page cairo painted */
    int npages, pages_cap;
    int open_obj, close_obj; /* "q" and "Q" in cairo's file */
    /* the deflated streams until the post-pass, out of memory (a
     * 256-article issue's are 7 MB) */
    FILE *spill;
    unsigned char *zbuf;
    size_t zcap;
    struct libdeflate_compressor *deflater; /* made with the first stream */
    /* the fonts' embeddings (pr_pdftext_pages_done), by font */
    GThread *embedder;
    struct embedding *emb;
    bool failed;          /* the spill file could not be written */
};

/* ---------- watch: streams deflated before ---------- */

/* A page's stream as written, by its length and two checksums of it, to
 * its deflated bytes: an edit changes a few pages, and the rest need not
 * be deflated again (deflating was half of the painting thread's time in
 * a rebuild). Shared by the writers of a process's builds (kept.h). */
#define DEFLATED_MAX (64u << 20)
/* libdeflate's level for the page streams. On the 64-article bench's
 * streams (5.3 MB): zlib's level 4 took 108 ms for 1.68 MB, libdeflate's
 * level 2 46 ms for 1.68 MB, its level 1 25 ms for 1.73 MB, its level 4
 * 54 ms for 1.64 MB. Level 1: the paint thread competes with the
 * typesetting threads for the cores; the 64-article PDF is 2 % larger
 * (2.22 MB). */
#define DEFLATE_LEVEL 1
/* A page stream's key: its length and two checksums. */
struct zkey {
    gsize len;
    guint32 crc, adler;
};
static struct pr_kept deflated = PR_KEPT_INIT(DEFLATED_MAX); /* struct zkey -> the deflated bytes */

void pr_pdftext_caches_free(void)
{
    pr_kept_free(&deflated);
}

struct pr_pdftext *pr_pdftext_new(double sheet_h, bool reuse)
{
    struct pr_pdftext *t = pr_xmalloc(sizeof *t);
    memset(t, 0, sizeof *t);
    t->sheet_h = sheet_h;
    t->reuse = reuse;
    t->refs = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    t->cur = g_string_sized_new(16384);
    t->font = -1;
    return t;
}

void pr_pdftext_free(struct pr_pdftext *t)
{
    if (!t)
        return;
    if (t->embedder)
        g_thread_join(t->embedder);
    for (int i = 0; t->emb && i < t->nfonts; i++)
        embedding_free(&t->emb[i]);
    free(t->emb);
    g_hash_table_destroy(t->refs);
    for (int i = 0; i < t->nfonts; i++) {
        struct tfont *f = &t->fonts[i];
        g_free(f->file);
        hb_font_destroy(f->hb);
        hb_face_destroy(f->face);
        free(f->w);
        for (unsigned g = 0; f->uni && g < f->nglyphs; g++)
            free(f->uni[g]);
        free(f->uni);
        free(f->used);
    }
    free(t->fonts);
    g_string_free(t->cur, TRUE);
    free(t->ph);
    free(t->cur_fonts);
    free(t->pending.fonts);
    for (int i = 0; i < t->npages; i++)
        free(t->pages[i].fonts);
    if (t->spill)
        fclose(t->spill);
    free(t->zbuf);
    if (t->deflater)
        libdeflate_free_compressor(t->deflater);
    free(t->pages);
    free(t);
}

/* ---------- fonts ---------- */

static bool has_table(hb_face_t *face, hb_tag_t tag)
{
    hb_blob_t *b = hb_face_reference_table(face, tag);
    bool has = hb_blob_get_length(b) > 0;
    hb_blob_destroy(b);
    return has;
}

/* The font file behind `file`/`index`, loaded once; -1 when it is not one
 * we can embed (no glyf or CFF outlines, or variable). */
static int font_of(struct pr_pdftext *t, const char *file, int index)
{
    for (int i = 0; i < t->nfonts; i++)
        if (t->fonts[i].index == index && strcmp(t->fonts[i].file, file) == 0)
            return t->fonts[i].face ? i : -1;
    if (t->nfonts == t->fonts_cap) {
        t->fonts_cap = t->fonts_cap ? 2 * t->fonts_cap : 8;
        t->fonts = pr_xrealloc(t->fonts, (size_t)t->fonts_cap * sizeof *t->fonts);
    }
    struct tfont *f = &t->fonts[t->nfonts++];
    memset(f, 0, sizeof *f);
    f->file = g_strdup(file);
    f->index = index;
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
    hb_face_t *face = blob ? hb_face_create(blob, (unsigned)index) : NULL;
    hb_blob_destroy(blob);
    bool glyf = face && has_table(face, HB_TAG('g', 'l', 'y', 'f'));
    bool cff = face && has_table(face, HB_TAG('C', 'F', 'F', ' '));
    if (!face || hb_face_get_glyph_count(face) == 0 || (!glyf && !cff) || has_table(face, HB_TAG('f', 'v', 'a', 'r')) ||
        !has_table(face, HB_TAG('h', 'm', 't', 'x'))) {
        hb_face_destroy(face);
        return -1;
    }
    f->face = face;
    f->cff = !glyf;
    f->hb = hb_font_create(face);
    f->upem = hb_face_get_upem(face);
    f->nglyphs = hb_face_get_glyph_count(face);
    f->w = pr_xmalloc((size_t)f->nglyphs * sizeof *f->w);
    for (unsigned g = 0; g < f->nglyphs; g++)
        f->w[g] = INT_MIN;
    f->uni = calloc(f->nglyphs, sizeof *f->uni);
    f->used = calloc(f->nglyphs, 1);
    if (!f->uni || !f->used)
        abort();
    return t->nfonts - 1;
}

/* Glyph g's advance in 1/1000 em, as /W gives it. */
static int width(struct tfont *f, unsigned g)
{
    if (f->w[g] == INT_MIN)
        f->w[g] = (int)lround(hb_font_get_glyph_h_advance(f->hb, g) * 1000.0 / f->upem);
    return f->w[g];
}

static const struct fontref *ref_of(struct pr_pdftext *t, PangoFont *pf)
{
    if (pf == t->last_pf)
        return t->last_ref;
    struct fontref *r = g_hash_table_lookup(t->refs, pf);
    if (r) {
        t->last_pf = pf;
        t->last_ref = r;
        return r;
    }
    r = g_malloc(sizeof *r);
    r->font = -1;
    r->size = 0;
    g_hash_table_insert(t->refs, pf, r);
    if (!PANGO_IS_FC_FONT(pf) || !PANGO_IS_CAIRO_FONT(pf))
        return r;
    FcPattern *pat = pango_fc_font_get_pattern(PANGO_FC_FONT(pf));
    FcChar8 *file = NULL;
    int index = 0;
    FcBool embolden = FcFalse;
    FcMatrix *mx = NULL;
    if (!pat || FcPatternGetString(pat, FC_FILE, 0, &file) != FcResultMatch)
        return r;
    FcPatternGetInteger(pat, FC_INDEX, 0, &index);
    FcPatternGetBool(pat, FC_EMBOLDEN, 0, &embolden);
    if (embolden || index >> 16 || (FcPatternGetMatrix(pat, FC_MATRIX, 0, &mx) == FcResultMatch && mx &&
                                    (mx->xx != 1 || mx->yy != 1 || mx->xy != 0 || mx->yx != 0)))
        return r;
    cairo_scaled_font_t *sf = pango_cairo_font_get_scaled_font(PANGO_CAIRO_FONT(pf));
    if (!sf || cairo_scaled_font_status(sf) != CAIRO_STATUS_SUCCESS)
        return r;
    cairo_matrix_t m;
    cairo_scaled_font_get_font_matrix(sf, &m);
    if (m.xx <= 0 || m.xx != m.yy || m.xy != 0 || m.yx != 0)
        return r;
    r->size = m.xx;
    r->font = font_of(t, (const char *)file, index);
    return r;
}

bool pr_pdftext_can(struct pr_pdftext *t, const PangoGlyphItem *gi)
{
    const PangoGlyphString *gs = gi->glyphs;
    if (gi->item->analysis.level % 2 || !gi->item->analysis.font)
        return false;
    const struct fontref *r = ref_of(t, gi->item->analysis.font);
    if (r->font < 0)
        return false;
    const struct tfont *f = &t->fonts[r->font];
    for (int i = 0; i < gs->num_glyphs; i++) {
        const PangoGlyphInfo *g = &gs->glyphs[i];
        if (g->glyph == PANGO_GLYPH_EMPTY)
            continue;
        if ((g->glyph & PANGO_GLYPH_UNKNOWN_FLAG) || g->glyph >= f->nglyphs || g->geometry.y_offset != 0 ||
            (i > 0 && gs->log_clusters[i] < gs->log_clusters[i - 1]))
            return false;
    }
    return true;
}

/* ---------- the page's stream ---------- */

/* An integer's decimal digits, written to end at e (at most 20 bytes
 * before it): where they start (printf is a tenth of cairo's time). */
static char *digits(long long v, char *e)
{
    char *p = e;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    return p;
}

/* An integer, in decimal. */
static void integer(GString *s, long long v)
{
    char buf[24], *e = buf + sizeof buf, *p = digits(v, e);
    g_string_append_len(s, p, e - p);
}

/* v with at most `dec` (<= 4) decimals, trailing zeros dropped. */
static void num(GString *s, double v, int dec)
{
    static const long scale[] = {1, 10, 100, 1000, 10000};
    long long n = llround(fabs(v) * scale[dec]);
    if (n == 0) {
        g_string_append_c(s, '0');
        return;
    }
    if (v < 0)
        g_string_append_c(s, '-');
    integer(s, n / scale[dec]);
    long frac = (long)(n % scale[dec]);
    if (frac) {
        while (frac % 10 == 0) {
            frac /= 10;
            dec--;
        }
        char f[8];
        for (int i = dec; i > 0; i--, frac /= 10)
            f[i] = (char)('0' + frac % 10);
        f[0] = '.';
        g_string_append_len(s, f, dec + 1);
    }
}

static void bt_close(struct pr_pdftext *t)
{
    if (t->in_bt)
        g_string_append(t->cur, "ET\n");
    t->in_bt = false;
}

void pr_pdftext_unmark(struct pr_pdftext *t)
{
    bt_close(t);
    if (t->marked)
        g_string_append(t->cur, "EMC\n");
    t->marked = false;
}

void pr_pdftext_mark(struct pr_pdftext *t, const char *tag, int k)
{
    pr_pdftext_unmark(t);
    g_string_append_printf(t->cur, "/%s <</MCID ", tag);
    if (t->nph == t->ph_cap) {
        t->ph_cap = t->ph_cap ? 2 * t->ph_cap : 64;
        t->ph = pr_xrealloc(t->ph, (size_t)t->ph_cap * sizeof *t->ph);
    }
    t->ph[t->nph++] = (struct mark_ph){t->cur->len, k};
    g_string_append(t->cur, ">> BDC\n");
    t->marked = true;
}

void pr_pdftext_artifact(struct pr_pdftext *t)
{
    pr_pdftext_unmark(t);
    g_string_append(t->cur, "/Artifact BMC\n");
    t->marked = true;
}

void pr_pdftext_color(struct pr_pdftext *t, double r, double g, double b)
{
    if (t->rgb_set && t->rgb[0] == r && t->rgb[1] == g && t->rgb[2] == b)
        return;
    t->rgb[0] = r, t->rgb[1] = g, t->rgb[2] = b;
    t->rgb_set = true;
    num(t->cur, r, 3);
    g_string_append_c(t->cur, ' ');
    num(t->cur, g, 3);
    g_string_append_c(t->cur, ' ');
    num(t->cur, b, 3);
    g_string_append(t->cur, " rg\n");
}

void pr_pdftext_rect(struct pr_pdftext *t, double x, double y, double w, double h)
{
    bt_close(t);
    num(t->cur, x, 3);
    g_string_append_c(t->cur, ' ');
    num(t->cur, t->sheet_h - y - h, 3);
    g_string_append_c(t->cur, ' ');
    num(t->cur, w, 3);
    g_string_append_c(t->cur, ' ');
    num(t->cur, h, 3);
    g_string_append(t->cur, " re f\n");
}

/* n bytes of UTF-8 as UTF-16BE hex digits. */
static void utf16_hex(GString *s, const char *u, int n)
{
    for (const char *p = u; p < u + n && *p; p = g_utf8_next_char(p))
        pr_pdf_utf16_hex(s, g_utf8_get_char(p));
}

static void use_font(struct pr_pdftext *t, int font)
{
    if (font >= t->cur_fonts_cap) {
        int c = t->cur_fonts_cap ? t->cur_fonts_cap : 8;
        while (c <= font)
            c *= 2;
        t->cur_fonts = pr_xrealloc(t->cur_fonts, (size_t)c);
        memset(t->cur_fonts + t->cur_fonts_cap, 0, (size_t)(c - t->cur_fonts_cap));
        t->cur_fonts_cap = c;
    }
    t->cur_fonts[font] = 1;
}

/* Cluster text for glyph g: the ToUnicode entry when it has none yet or
 * the same; otherwise (false) the glyph needs ActualText. */
static bool map_glyph(struct tfont *f, unsigned g, const char *u, int n)
{
    if (!f->uni[g]) {
        f->uni[g] = g_strndup(u, (gsize)n);
        return true;
    }
    return (int)strlen(f->uni[g]) == n && memcmp(f->uni[g], u, (size_t)n) == 0;
}

/* A TJ array being written: glyph ids as two-byte codes in literal
 * strings (the bytes as they are but for the three a string escapes and
 * CR, which a reader would read as LF: half the size of hex), numbers
 * between them; opened at its first glyph. Written into buf, which goes
 * onto the page's stream when it is nearly full and at the array's end
 * (a line's array is some 60 glyphs, most with a number between them). */
struct tj {
    GString *s;
    bool open, str;
    int n;
    char buf[480];
};

static void tj_flush(struct tj *a)
{
    g_string_append_len(a->s, a->buf, a->n);
    a->n = 0;
}

static void tj_number(struct tj *a, long n)
{
    if (a->n > (int)sizeof a->buf - 32)
        tj_flush(a);
    if (!a->open)
        a->buf[a->n++] = '[';
    else if (a->str)
        a->buf[a->n++] = ')';
    a->open = true;
    a->str = false;
    char d[24], *e = d + sizeof d, *p = digits(n, e);
    memcpy(a->buf + a->n, p, (size_t)(e - p));
    a->n += (int)(e - p);
}

static void tj_byte(struct tj *a, unsigned char c)
{
    if (c == '(' || c == ')' || c == '\\') {
        a->buf[a->n++] = '\\';
        a->buf[a->n++] = (char)c;
    } else if (c == '\r') {
        a->buf[a->n++] = '\\';
        a->buf[a->n++] = 'r';
    } else
        a->buf[a->n++] = (char)c;
}

static void tj_glyph(struct tj *a, unsigned g)
{
    if (a->n > (int)sizeof a->buf - 32)
        tj_flush(a);
    if (!a->open)
        a->buf[a->n++] = '[';
    if (!a->str)
        a->buf[a->n++] = '(';
    a->open = a->str = true;
    tj_byte(a, (unsigned char)(g >> 8));
    tj_byte(a, (unsigned char)(g & 0xFF));
}

static void tj_end(struct tj *a)
{
    tj_flush(a);
    if (a->open)
        g_string_append(a->s, a->str ? ")] TJ\n" : "] TJ\n");
    a->open = a->str = false;
}

void pr_pdftext_run(struct pr_pdftext *t, const char *text, const PangoGlyphItem *gi, double x, double y,
                    double xscale, double gap, bool words, bool hyphen)
{
    const struct fontref *r = ref_of(t, gi->item->analysis.font);
    struct tfont *f = &t->fonts[r->font];
    const PangoGlyphString *gs = gi->glyphs;
    const char *item_text = text + gi->item->offset;
    int n = gs->num_glyphs, item_len = gi->item->length;
    GString *s = t->cur;
    use_font(t, r->font);
    if (!t->in_bt)
        g_string_append(s, "BT\n");
    t->in_bt = true;
    if (t->font != r->font || t->size != r->size) {
        g_string_append(s, "/PRT");
        integer(s, r->font);
        g_string_append_c(s, ' ');
        num(s, r->size, 3);
        g_string_append(s, " Tf\n");
        t->font = r->font;
        t->size = r->size;
    }
    if (t->xscale != xscale && !(t->xscale == 0 && xscale == 1)) {
        num(s, xscale * 100, 3);
        g_string_append(s, " Tz\n");
    }
    t->xscale = xscale;
    /* the letter gap as character spacing (scaled by Tz, as the glyphs
     * are), to the 1/10000 pt the stream gives it (a line's 60 gaps add
     * up less than a TJ unit) */
    double tc = gap / xscale;
    tc = copysign((double)llround(fabs(tc) * 10000) / 10000, tc);
    if (tc != t->tc) {
        num(s, tc, 4);
        g_string_append(s, " Tc\n");
        t->tc = tc;
    }
    g_string_append(s, "1 0 0 1 ");
    num(s, x, 3);
    g_string_append_c(s, ' ');
    num(s, t->sheet_h - y, 3);
    g_string_append(s, " Tm\n");
    double unit = r->size * xscale / 1000; /* a TJ unit, in pt */
    double pen = 0;                        /* where the next glyph would go, pt from x */
    long px = 0;                           /* Pango's pen, Pango units */
    char *ut = g_malloc((size_t)item_len + 1); /* a cluster's text */
    struct tj tj;
    tj.s = s;
    tj.open = tj.str = false;
    tj.n = 0;
    for (int i = 0; i < n;) {
        /* a cluster: Pango's, a word, or the whole hyphen */
        int j = hyphen ? n : pr_run_cluster_end(gs, item_text, i, words), start = gs->log_clusters[i];
        int end = j < n ? gs->log_clusters[j] : item_len;
        int shown = 0;
        for (int k = i; k < j; k++)
            shown += gs->glyphs[k].glyph != PANGO_GLYPH_EMPTY;
        /* its text (the hyphen's: U+00AD) */
        const char *u = hyphen ? "\xC2\xAD" : ut;
        int ulen = hyphen ? 2 : pr_cluster_text(item_text, start, end, shown > 0, ut);
        bool actual = false;
        if (shown == 1 && ulen > 0) {
            for (int k = i; k < j; k++)
                if (gs->glyphs[k].glyph != PANGO_GLYPH_EMPTY)
                    actual = !map_glyph(f, gs->glyphs[k].glyph, u, ulen);
        } else if (shown > 1 && ulen > 0)
            actual = true;
        if (actual) {
            tj_end(&tj);
            g_string_append(s, "/Span <</ActualText <FEFF");
            utf16_hex(s, u, ulen);
            g_string_append(s, ">>> BDC\n");
        }
        /* a word space shows no ink: it goes where the pen is, and the
         * glyph after it takes up what that leaves (one number a word
         * space, not one before and one after it) */
        bool space = !hyphen && ((ulen == 1 && u[0] == ' ') || (ulen == 2 && u[0] == '\xC2' && u[1] == '\xA0'));
        for (int k = i; k < j; k++) {
            const PangoGlyphInfo *g = &gs->glyphs[k];
            if (g->glyph != PANGO_GLYPH_EMPTY) {
                double want = (double)(px + g->geometry.x_offset) / PANGO_SCALE;
                long adj = space ? 0 : lround((pen - want) / unit);
                if (adj != 0) {
                    tj_number(&tj, adj);
                    pen -= adj * unit;
                }
                tj_glyph(&tj, g->glyph);
                f->used[g->glyph] = 1;
                pen += width(f, g->glyph) * unit + tc * xscale;
            }
            px += g->geometry.width;
        }
        if (actual) {
            tj_end(&tj);
            g_string_append(s, "EMC\n");
        }
        i = j;
    }
    tj_end(&tj);
    g_free(ut);
}

void pr_pdftext_page_done(struct pr_pdftext *t, int mcid_base)
{
    pr_pdftext_unmark(t);
    free(t->pending.fonts);
    memset(&t->pending, 0, sizeof t->pending);
    if (t->cur->len > 0) {
        /* the MCIDs, now that cairo's count is known */
        GString *out = g_string_sized_new(t->cur->len + (size_t)t->nph * 4);
        size_t from = 0;
        for (int i = 0; i < t->nph; i++) {
            g_string_append_len(out, t->cur->str + from, (gssize)(t->ph[i].at - from));
            g_string_append_printf(out, "%d", mcid_base + t->ph[i].k);
            from = t->ph[i].at;
        }
        g_string_append_len(out, t->cur->str + from, (gssize)(t->cur->len - from));
        if (!t->deflater)
            t->deflater = libdeflate_alloc_compressor(DEFLATE_LEVEL);
        size_t zn = libdeflate_zlib_compress_bound(NULL, out->len);
        if (zn > t->zcap) {
            t->zcap = zn;
            t->zbuf = pr_xrealloc(t->zbuf, zn);
        }
        if (!t->spill)
            t->spill = tmpfile();
        struct zkey k = {out->len, 0, 0};
        GBytes *known = NULL, *key = NULL;
        if (t->reuse) {
            k.crc = (guint32)crc32_z(0, (const Bytef *)out->str, out->len);
            k.adler = (guint32)adler32_z(1, (const Bytef *)out->str, out->len);
            key = g_bytes_new(&k, sizeof k);
            known = pr_kept_get(&deflated, key);
        }
        const void *z = t->zbuf;
        if (known)
            z = g_bytes_get_data(known, &zn);
        else if (!t->deflater || !(zn = libdeflate_zlib_compress(t->deflater, out->str, out->len, t->zbuf, zn)))
            t->failed = true;
        else if (key) {
            GBytes *v = g_bytes_new(t->zbuf, zn);
            pr_kept_put(&deflated, key, v);
            g_bytes_unref(v);
        }
        if (key)
            g_bytes_unref(key);
        if (!t->spill)
            t->failed = true;
        if (!t->failed) { /* (the spill file is only appended to until the post-pass) */
            t->pending.at = ftell(t->spill);
            t->pending.zlen = zn;
            t->failed = t->failed || fwrite(z, 1, zn, t->spill) != zn;
        }
        if (known)
            g_bytes_unref(known);
        t->pending.nfonts = t->nfonts;
        t->pending.fonts = calloc((size_t)t->nfonts + 1, 1);
        for (int i = 0; i < t->nfonts && i < t->cur_fonts_cap; i++)
            t->pending.fonts[i] = t->cur_fonts[i];
        g_string_free(out, TRUE);
    }
    g_string_truncate(t->cur, 0);
    t->nph = 0;
    if (t->cur_fonts)
        memset(t->cur_fonts, 0, (size_t)t->cur_fonts_cap);
    t->font = -1;
    t->xscale = 0;
    t->tc = 0;
    t->rgb_set = false;
}

void pr_pdftext_show_page(struct pr_pdftext *t)
{
    if (!t)
        return;
    if (t->npages == t->pages_cap) {
        t->pages_cap = t->pages_cap ? 2 * t->pages_cap : 64;
        t->pages = pr_xrealloc(t->pages, (size_t)t->pages_cap * sizeof *t->pages);
    }
    t->pages[t->npages++] = t->pending;
    memset(&t->pending, 0, sizeof t->pending);
}

/* ---------- into the file (the qpdf post-pass) ---------- */

static void write_stream(FILE *f, long *off, int id, const void *data, size_t len, bool flate)
{
    *off = ftell(f);
    fprintf(f, "%d 0 obj\n<< /Length %zu%s >>\nstream\n", id, len, flate ? " /Filter /FlateDecode" : "");
    fwrite(data, 1, len, f);
    fputs("\nendstream\nendobj\n", f);
}

bool pr_pdftext_write(struct pr_pdftext *t, const char *path)
{
    int n = 0;
    for (int i = 0; t && i < t->npages; i++)
        n += t->pages[i].zlen > 0;
    if (n == 0)
        return true;
    if (t->failed || fflush(t->spill) != 0)
        return false;
    /* cairo 1.16's trailer: "trailer\n<< /Size N\n   /Root R 0 R\n   /Info I
     * 0 R\n>>\nstartxref\nOFFSET\n%%EOF\n" */
    FILE *f = fopen(path, "r+b");
    if (!f)
        return false;
    char tail[512];
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    long from = size > (long)sizeof tail - 1 ? size - (long)sizeof tail + 1 : 0;
    size_t got = size > 0 && fseek(f, from, SEEK_SET) == 0 ? fread(tail, 1, (size_t)(size - from), f) : 0;
    tail[got] = 0;
    const char *tr = NULL;
    for (const char *p = tail; (p = strstr(p, "trailer")); p++)
        tr = p + 7;
    size_t tl = tr ? (size_t)(tail + got - tr) : 0;
    const char *v;
    size_t vl;
    long xref = pr_pdfscan_startxref(tail, got);
    long sz = tr && pr_pdfscan_key(tr, tl, "/Size", &v, &vl) ? pr_pdfscan_int(v, vl) : -1;
    int root = tr && pr_pdfscan_key(tr, tl, "/Root", &v, &vl) ? pr_pdfscan_ref(v, vl) : 0;
    int info = tr && pr_pdfscan_key(tr, tl, "/Info", &v, &vl) ? pr_pdfscan_ref(v, vl) : 0;
    if (sz <= 0 || root <= 0 || xref <= 0 || fseek(f, 0, SEEK_END) != 0) {
        fclose(f);
        return false;
    }
    /* after it, an update: our streams as new objects, read by qpdf from
     * the file like cairo's (not held in memory through the post-pass) */
    long *off = pr_xmalloc((size_t)(n + 2) * sizeof *off);
    int id = (int)sz, k = 0;
    t->open_obj = id;
    write_stream(f, &off[k++], id++, "q\n", 2, false);
    t->close_obj = id;
    write_stream(f, &off[k++], id++, "\nQ\n", 3, false);
    for (int i = 0; i < t->npages; i++) {
        struct tpage *pg = &t->pages[i];
        if (!pg->zlen)
            continue;
        if (pg->zlen > t->zcap) {
            t->zcap = pg->zlen;
            t->zbuf = pr_xrealloc(t->zbuf, t->zcap);
        }
        if (fseek(t->spill, pg->at, SEEK_SET) != 0 || fread(t->zbuf, 1, pg->zlen, t->spill) != pg->zlen) {
            t->failed = true;
            break;
        }
        pg->obj = id;
        write_stream(f, &off[k++], id++, t->zbuf, pg->zlen, true);
    }
    long xr = ftell(f);
    fprintf(f, "xref\n%ld %d\n", sz, k);
    for (int i = 0; i < k; i++)
        fprintf(f, "%010ld 00000 n \n", off[i]);
    fprintf(f, "trailer\n<< /Size %d /Root %d 0 R", id, root);
    if (info > 0)
        fprintf(f, " /Info %d 0 R", info);
    fprintf(f, " /Prev %ld >>\nstartxref\n%ld\n%%%%EOF\n", xref, xr);
    free(off);
    bool ok = !ferror(f) && !t->failed;
    return fclose(f) == 0 && ok;
}

static const char *ps_name(struct tfont *f, char *buf, size_t n)
{
    unsigned len = (unsigned)n;
    if (hb_ot_name_get_utf8(f->face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len, buf) == 0 || !*buf) {
        char *base = g_path_get_basename(f->file);
        char *dot = strrchr(base, '.');
        if (dot)
            *dot = 0;
        g_strlcpy(buf, base, n);
        g_free(base);
    }
    /* a PDF name: no spaces or delimiters */
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 127 || strchr("()<>[]{}/%#", *p))
            *p = '-';
    return buf;
}

/* The ToUnicode CMap of the glyphs used. */
static GString *to_unicode(struct tfont *f)
{
    GString *s = g_string_new("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
                              "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                              "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
                              "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    unsigned *gids = pr_xmalloc((size_t)f->nglyphs * sizeof *gids);
    int n = 0;
    for (unsigned g = 0; g < f->nglyphs; g++)
        if (f->used[g])
            gids[n++] = g;
    /* glyphs shown only inside ActualText: the character they stand for */
    hb_map_t *rev = NULL;
    for (int i = 0; i < n; i++) {
        if (f->uni[gids[i]])
            continue;
        if (!rev) {
            rev = hb_map_create();
            hb_set_t *us = hb_set_create();
            hb_face_collect_unicodes(f->face, us);
            hb_codepoint_t u = HB_SET_VALUE_INVALID, g;
            while (hb_set_next(us, &u))
                if (hb_font_get_nominal_glyph(f->hb, u, &g) && !hb_map_has(rev, g))
                    hb_map_set(rev, g, u);
            hb_set_destroy(us);
        }
        char u8[8] = "\xEF\xBF\xBD"; /* U+FFFD */
        if (hb_map_has(rev, gids[i]))
            u8[g_unichar_to_utf8(hb_map_get(rev, gids[i]), u8)] = 0;
        f->uni[gids[i]] = g_strdup(u8);
    }
    hb_map_destroy(rev);
    for (int i = 0; i < n; i += 100) {
        int m = n - i < 100 ? n - i : 100;
        g_string_append_printf(s, "%d beginbfchar\n", m);
        for (int k = i; k < i + m; k++) {
            g_string_append_c(s, '<');
            pr_pdf_hex4(s, gids[k]);
            g_string_append(s, "> <");
            utf16_hex(s, f->uni[gids[k]], (int)strlen(f->uni[gids[k]]));
            g_string_append(s, ">\n");
        }
        g_string_append(s, "endbfchar\n");
    }
    g_string_append(s, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    free(gids);
    return s;
}

static void embedding_free(struct embedding *e)
{
    free(e->program);
    free(e->tu);
    if (e->desc)
        g_string_free(e->desc, TRUE);
    if (e->widths)
        g_string_free(e->widths, TRUE);
    memset(e, 0, sizeof *e);
}

static void prepare_embedding(struct tfont *f, struct embedding *e)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) {
        snprintf(e->err, sizeof e->err, "out of memory subsetting '%s'", f->file);
        return;
    }
    hb_set_t *gs = hb_subset_input_glyph_set(in);
    hb_set_add(gs, 0);
    uint32_t hash = 2166136261u;
    for (unsigned g = 0; g < f->nglyphs; g++)
        if (f->used[g]) {
            hb_set_add(gs, g);
            hash = (hash ^ g) * 16777619u;
        }
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_RETAIN_GIDS);
    /* what a PDF viewer does not read: the layout tables */
    static const hb_tag_t drop[] = {HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
                                    HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'), HB_TAG('M', 'A', 'T', 'H'),
                                    HB_TAG('k', 'e', 'r', 'n'), HB_TAG('D', 'S', 'I', 'G'), HB_TAG('m', 'o', 'r', 'x'),
                                    HB_TAG('k', 'e', 'r', 'x')};
    hb_set_t *ds = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
        hb_set_add(ds, drop[i]);
    hb_face_t *sub = hb_subset_or_fail(f->face, in);
    hb_subset_input_destroy(in);
    if (!sub) {
        snprintf(e->err, sizeof e->err, "cannot subset the font '%s'", f->file);
        return;
    }
    hb_blob_t *prog = hb_face_reference_blob(sub);
    unsigned plen = 0;
    const char *pbytes = hb_blob_get_data(prog, &plen);
    e->program_raw = plen;
    e->program = pr_pdf_deflate(pbytes, plen, 6, &e->program_len);
    hb_blob_destroy(prog);
    hb_face_destroy(sub);
    if (!e->program) {
        snprintf(e->err, sizeof e->err, "out of memory embedding the font '%s'", f->file);
        return;
    }
    char base[128];
    ps_name(f, base, sizeof base);
    char tag[7];
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + hash % 26);
        hash /= 26;
    }
    tag[6] = 0;
    snprintf(e->name, sizeof e->name, "/%s+%s", tag, base);

    /* the descriptor, from the font's own tables */
    hb_font_t *hb = f->hb;
    hb_position_t asc = 0, desc = 0, cap = 0;
    hb_ot_metrics_get_position_with_fallback(hb, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &asc);
    hb_ot_metrics_get_position_with_fallback(hb, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &desc);
    hb_ot_metrics_get_position_with_fallback(hb, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap);
    double k = 1000.0 / f->upem;
    int bbox[4] = {0, (int)lround(desc * k), 1000, (int)lround(asc * k)};
    hb_blob_t *head = hb_face_reference_table(f->face, HB_TAG('h', 'e', 'a', 'd'));
    unsigned hl = 0;
    const unsigned char *h = (const unsigned char *)hb_blob_get_data(head, &hl);
    if (hl >= 44)
        for (int i = 0; i < 4; i++)
            bbox[i] = (int)lround((int16_t)((h[36 + 2 * i] << 8) | h[37 + 2 * i]) * k);
    hb_blob_destroy(head);
    hb_blob_t *post = hb_face_reference_table(f->face, HB_TAG('p', 'o', 's', 't'));
    unsigned pl = 0;
    const unsigned char *pp = (const unsigned char *)hb_blob_get_data(post, &pl);
    double italic = 0;
    bool fixed = false;
    if (pl >= 16) {
        int32_t a = (int32_t)((uint32_t)pp[4] << 24 | (uint32_t)pp[5] << 16 | (uint32_t)pp[6] << 8 | pp[7]);
        italic = a / 65536.0;
        fixed = (pp[12] | pp[13] | pp[14] | pp[15]) != 0;
    }
    hb_blob_destroy(post);
    GString *d = e->desc = g_string_new(NULL);
    g_string_append_printf(d, "<< /Type /FontDescriptor /FontName %s /Flags %d /FontBBox [%d %d %d %d] /ItalicAngle ",
                           e->name, 4 | (fixed ? 1 : 0) | (italic != 0 ? 64 : 0), bbox[0], bbox[1], bbox[2],
                           bbox[3]);
    num(d, italic, 2);
    g_string_append_printf(d, " /Ascent %d /Descent %d /CapHeight %d /StemV 80 >>", (int)lround(asc * k),
                           (int)lround(desc * k), (int)lround((cap > 0 ? cap : asc) * k));

    /* the widths of the glyphs used, in runs of consecutive ids */
    d = e->widths = g_string_new("[");
    for (unsigned g = 0; g < f->nglyphs; g++) {
        if (!f->used[g])
            continue;
        g_string_append_printf(d, "%u [", g);
        while (g < f->nglyphs && f->used[g]) {
            g_string_append_printf(d, "%d ", width(f, g));
            g++;
        }
        g_string_append(d, "] ");
    }
    g_string_append(d, "]");
    GString *tu = to_unicode(f);
    e->tu = pr_pdf_deflate(tu->str, tu->len, 6, &e->tu_len);
    g_string_free(tu, TRUE);
    if (!e->tu)
        snprintf(e->err, sizeof e->err, "out of memory embedding the font '%s'", f->file);
}

/* A new stream of n bytes deflated already. */
static qpdf_oh deflated_stream(qpdf_data q, const void *data, size_t n)
{
    qpdf_oh st = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, st, data, n, qpdf_oh_new_name(q, "/FlateDecode"), qpdf_oh_new_null(q));
    return qpdf_make_indirect_object(q, st);
}

/* The objects of font f's embedding e as PDF text, given the numbers of
 * the objects each points to (0: the entry left out, for the qpdf
 * post-pass to add as an object of its own; pdfwrite.c writes the texts
 * as they are): the font program's stream dictionary (without its
 * /Length), the descriptor, the CIDFont, the Type0 font. malloc'd. */
static char *program_text(const struct tfont *f, const struct embedding *e)
{
    return f->cff ? g_strdup("<< /Filter /FlateDecode /Subtype /OpenType >>")
                  : g_strdup_printf("<< /Filter /FlateDecode /Length1 %zu >>", e->program_raw);
}

static char *descriptor_text(const struct tfont *f, const struct embedding *e, int file)
{
    const char *d = e->desc->str;
    size_t n = e->desc->len;
    while (n > 0 && d[n - 1] != '>')
        n--;
    return g_strdup_printf("%.*s %s %d 0 R >>", (int)(n >= 2 ? n - 2 : 0), d, f->cff ? "/FontFile3" : "/FontFile2",
                           file);
}

static char *cid_text(const struct tfont *f, const struct embedding *e, int descriptor)
{
    char ref[32] = "";
    if (descriptor)
        snprintf(ref, sizeof ref, " /FontDescriptor %d 0 R", descriptor);
    return g_strdup_printf("<< /Type /Font /Subtype %s /BaseFont %s /CIDSystemInfo << /Registry (Adobe) /Ordering "
                           "(Identity) /Supplement 0 >>%s /W %s%s >>",
                           f->cff ? "/CIDFontType0" : "/CIDFontType2", e->name, ref, e->widths->str,
                           f->cff ? "" : " /CIDToGIDMap /Identity");
}

static char *type0_text(const struct embedding *e, int cid, int tu)
{
    char refs[64] = "";
    if (cid)
        snprintf(refs, sizeof refs, " /DescendantFonts [%d 0 R] /ToUnicode %d 0 R", cid, tu);
    return g_strdup_printf("<< /Type /Font /Subtype /Type0 /BaseFont %s /Encoding /Identity-H%s >>", e->name, refs);
}

/* A qpdf object parsed from text (malloc'd, freed). */
static qpdf_oh parsed(qpdf_data q, char *text)
{
    qpdf_oh o = qpdf_oh_parse(q, text);
    g_free(text);
    return o;
}

/* Font f embedded as e prepared it: its Type0 font's object number. */
static int embed(qpdf_data q, const struct tfont *f, const struct embedding *e)
{
    qpdf_oh file = deflated_stream(q, e->program, e->program_len);
    qpdf_oh fd = qpdf_oh_get_dict(q, file);
    if (f->cff)
        qpdf_oh_replace_key(q, fd, "/Subtype", qpdf_oh_new_name(q, "/OpenType"));
    else
        qpdf_oh_replace_key(q, fd, "/Length1", qpdf_oh_new_integer(q, (long long)e->program_raw));
    qpdf_oh desc_oh = qpdf_oh_parse(q, e->desc->str);
    qpdf_oh_replace_key(q, desc_oh, f->cff ? "/FontFile3" : "/FontFile2", file);
    qpdf_oh cid = parsed(q, cid_text(f, e, 0));
    qpdf_oh_replace_key(q, cid, "/FontDescriptor", qpdf_make_indirect_object(q, desc_oh));
    qpdf_oh type0 = parsed(q, type0_text(e, 0, 0));
    qpdf_oh kids = qpdf_oh_new_array(q);
    qpdf_oh_append_item(q, kids, qpdf_make_indirect_object(q, cid));
    qpdf_oh_replace_key(q, type0, "/DescendantFonts", kids);
    qpdf_oh_replace_key(q, type0, "/ToUnicode", deflated_stream(q, e->tu, e->tu_len));
    return qpdf_oh_get_object_id(q, qpdf_make_indirect_object(q, type0));
}

/* The embeddings of the fonts used; then the font files are no longer
 * read: their memory goes before the rest of the post-pass. */
static gpointer prepare_embeddings(gpointer p)
{
    struct pr_pdftext *t = p;
    t->emb = calloc((size_t)t->nfonts + 1, sizeof *t->emb);
    if (!t->emb)
        return NULL;
    for (int i = 0; i < t->nfonts; i++) {
        struct tfont *f = &t->fonts[i];
        bool used = false;
        for (unsigned g = 0; f->face && g < f->nglyphs && !used; g++)
            used = f->used[g];
        if (used)
            prepare_embedding(f, &t->emb[i]);
        hb_font_destroy(f->hb);
        hb_face_destroy(f->face);
        f->hb = NULL;
        f->face = NULL;
    }
    return NULL;
}

void pr_pdftext_pages_done(struct pr_pdftext *t)
{
    if (t && !t->embedder && !t->emb)
        t->embedder = g_thread_new("pdftext-fonts", prepare_embeddings, t);
}

/* The fonts' embeddings, once the thread making them is done (made here
 * when there was none); false with a message when memory ran out. */
static bool embeddings(struct pr_pdftext *t, char *err, size_t errlen)
{
    if (t->embedder)
        g_thread_join(t->embedder);
    else if (!t->emb)
        prepare_embeddings(t);
    t->embedder = NULL;
    if (!t->emb)
        snprintf(err, errlen, "out of memory embedding the fonts");
    return t->emb != NULL;
}

bool pr_pdftext_apply(qpdf_data q, struct pr_pdftext *t, bool *v16, char *err, size_t errlen)
{
    if (!t)
        return true;
    if (!embeddings(t, err, errlen))
        return false;
    int *ids = calloc((size_t)t->nfonts + 1, sizeof *ids);
    bool any = false;
    for (int i = 0; i < t->nfonts; i++) {
        if (*t->emb[i].err) {
            snprintf(err, errlen, "%s", t->emb[i].err);
            free(ids);
            return false;
        }
        if (t->emb[i].program) {
            ids[i] = embed(q, &t->fonts[i], &t->emb[i]);
            any = true;
            *v16 = *v16 || t->fonts[i].cff;
        }
        embedding_free(&t->emb[i]);
    }
    qpdf_oh_release_all(q);
    if (!any) {
        free(ids);
        return true;
    }
    /* cairo's content in q ... Q, ours after it */
    int open_id = t->open_obj, close_id = t->close_obj;
    int n = (int)qpdf_get_num_pages(q);
    bool ok = true;
    for (int i = 0; i < t->npages && i < n; i++) {
        const struct tpage *pg = &t->pages[i];
        if (!pg->obj)
            continue;
        qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
        qpdf_oh contents = qpdf_oh_get_key(q, page, "/Contents");
        qpdf_oh arr = qpdf_oh_new_array(q);
        qpdf_oh_append_item(q, arr, qpdf_get_object_by_id(q, open_id, 0));
        if (qpdf_oh_is_array(q, contents))
            for (int k = 0; k < qpdf_oh_get_array_n_items(q, contents); k++)
                qpdf_oh_append_item(q, arr, qpdf_oh_get_array_item(q, contents, k));
        else if (qpdf_oh_is_stream(q, contents))
            qpdf_oh_append_item(q, arr, contents);
        qpdf_oh_append_item(q, arr, qpdf_get_object_by_id(q, close_id, 0));
        qpdf_oh_append_item(q, arr, qpdf_get_object_by_id(q, pg->obj, 0));
        qpdf_oh_replace_key(q, page, "/Contents", arr);
        qpdf_oh fonts = pr_qpdf_sub_dict(q, pr_qpdf_sub_dict(q, page, "/Resources"), "/Font");
        for (int f = 0; f < pg->nfonts; f++)
            if (pg->fonts[f] && ids[f]) {
                char key[24];
                snprintf(key, sizeof key, "/PRT%d", f);
                qpdf_oh_replace_key(q, fonts, key, qpdf_get_object_by_id(q, ids[f], 0));
            }
        qpdf_oh_release_all(q);
        ok = ok && !qpdf_has_error(q);
    }
    free(ids);
    if (!ok)
        snprintf(err, errlen, "cannot add the text to the pages");
    return ok;
}

/* ---------- into the file pdfwrite.c writes ---------- */

bool pr_pdftext_arabic(const struct pr_pdftext *t)
{
    for (int i = 0; t && i < t->nfonts; i++) {
        const struct tfont *f = &t->fonts[i];
        for (unsigned g = 0; f->uni && g < f->nglyphs; g++)
            for (const char *u = f->uni[g]; u && *u; u = g_utf8_next_char(u))
                if (pr_pdf_arabic(g_utf8_get_char(u)))
                    return true;
    }
    return false;
}

int pr_pdftext_page(const struct pr_pdftext *t, int i, const unsigned char **fonts, int *nfonts)
{
    if (!t || i < 0 || i >= t->npages || !t->pages[i].obj)
        return 0;
    *fonts = t->pages[i].fonts;
    *nfonts = t->pages[i].nfonts;
    return t->pages[i].obj;
}

void pr_pdftext_wraps(const struct pr_pdftext *t, int *open, int *close)
{
    *open = t ? t->open_obj : 0;
    *close = t ? t->close_obj : 0;
}

int pr_pdftext_emit(struct pr_pdftext *t, int (*add)(void *ctx, char *text, unsigned char *data, size_t n), void *ctx,
                    int **font_ids, bool *v16, char *err, size_t errlen)
{
    *font_ids = NULL;
    if (!t)
        return 0;
    if (!embeddings(t, err, errlen))
        return -1;
    int any = 0;
    int *ids = *font_ids = calloc((size_t)t->nfonts + 1, sizeof *ids);
    if (!ids) {
        snprintf(err, errlen, "out of memory embedding the fonts");
        return -1;
    }
    for (int i = 0; i < t->nfonts; i++) {
        struct embedding *e = &t->emb[i];
        const struct tfont *f = &t->fonts[i];
        ids[i] = 0;
        if (*e->err) {
            snprintf(err, errlen, "%s", e->err);
            return -1;
        }
        if (!e->program)
            continue;
        int file = add(ctx, program_text(f, e), e->program, e->program_len);
        int descriptor = add(ctx, descriptor_text(f, e, file), NULL, 0);
        int cid = add(ctx, cid_text(f, e, descriptor), NULL, 0);
        int tu = add(ctx, g_strdup("<< /Filter /FlateDecode >>"), e->tu, e->tu_len);
        ids[i] = add(ctx, type0_text(e, cid, tu), NULL, 0);
        e->program = e->tu = NULL; /* (the writer's now) */
        *v16 = *v16 || f->cff;
        embedding_free(e);
        any = 1;
    }
    return any;
}

/* pdfjoin.c - the qpdf post-pass, the text layer of joining scripts: Arabic
 * words that read back whole and in logical order, drawn exactly as cairo
 * drew them.
 *
 * Cairo draws an Arabic word glyph by glyph from right to left, in logical
 * order, each glyph's advance (the font's /W width) followed by a TJ
 * adjustment back to the next glyph's place. Poppler's pdftotext
 * (TextOutputDev.cc, 22.12) makes each such glyph a word of its own
 * (TextPage::addChar ends a word when the next character starts more than
 * 0.2 em before the previous one's end: minDupBreakOverlap), sorts a line's
 * words by their left edge and puts a space between two whose boxes (each
 * glyph's origin to origin + width) are maxCharSpacing (0.03 em) or more
 * apart (TextLine::coalesce); then it reverses the right-to-left line
 * (reorderText). Amiri's positioning leaves such gaps after a letter that
 * does not join to the left, left of a mark (tanween) and over a kashida
 * (its tatweel glyphs carry no text), and a mark's box can sort on the
 * wrong side of its base: "الحر ية", "معا ً".
 *
 * The remedy changes only the boxes the text layer reads, never a glyph's
 * ink on the page: each glyph of an Arabic word but its first is shown
 * under a new CID of the same font that reads as the same text (ToUnicode)
 * and maps (CIDToGIDMap) to a new glyph added to the embedded TrueType
 * program (sfnt_glyphs.c): a composite of the original glyph whose advance
 * makes its box reach just into the box of the glyph before it. /W gives
 * the new glyph's advance, so the dictionary's widths and the program's
 * agree (PDF/UA-1 7.21.5, Matterhorn 31-016; PDF/A asks the same). The TJ adjustment after it grows by what its width grew, so the
 * pen goes where it went. A glyph whose origin is not left of the box
 * before it (a mark over its base) must sort after that box in reading
 * order: its new glyph's origin moves left to just past the box's left
 * edge (a TJ adjustment before it), its outline right as much (the
 * component's x offset), its advance 0. The ink is where it was; a
 * rasterizer that places glyphs at quantized sub-pixel phases (poppler's
 * Splash, MuPDF) may anti-alias such a mark a little differently. An
 * ActualText span (a kashida: a letter and its tatweels, read as the
 * letter) counts as one box from its first glyph's origin to its last
 * glyph's end, the last glyph's width set. Only TrueType CID fonts
 * (CIDFontType2, Identity-H, a FontFile2 glyphs can be added to: cairo's)
 * in unrotated text are changed; a document without Arabic is left byte
 * for byte as it was. Called by
 * pdfboxes.c before the pages are arranged. */
#include "pdfpost.h"
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* In em of the glyph's font size: how far a box reaches into the one
 * before it; at least how far past the next glyph's origin it ends (so
 * that addChar does not put the two in one word, in drawing order); at
 * most how far it may overlap the one before (TextBlock::coalesce ends a
 * line at an overlap of minCharSpacing, 0.5 em). */
#define REACH 0.02
#define PAST_NEXT 0.21
#define MAX_OVERLAP 0.4
/* a gap wider than this between two Arabic glyphs is a word space with
 * no space glyph: the word ends there */
#define MAX_GAP 0.6

/* ---------- fonts ---------- */

struct jfont {
    int id, gen;         /* the Type0 font's object */
    bool usable;         /* Type0, Identity-H, CIDFontType2 */
    bool simple;         /* a simple font: widths by byte (simple_w) */
    double fm;           /* text space per width unit (0.001; Type3: FontMatrix) */
    double simple_w[256];
    GArray *w;           /* double: width of each CID (/W), NaN: default */
    double dw;           /* /DW */
    GPtrArray *text;     /* GArray of gunichar per CID (ToUnicode), or NULL */
    int base;            /* the first new CID */
    GArray *newcid;      /* struct newcid, CID base + i */
    GHashTable *known;   /* "cid/width" -> new CID */
    qpdf_oh descendant, tounicode;
    GArray *gidmap;      /* guint16, the CIDToGIDMap read (empty: Identity) */
    qpdf_oh fontfile;    /* the FontFile2 stream */
    unsigned char *prog; /* its data, the TrueType program */
    size_t prog_len;
    unsigned upem, nglyphs;
};

/* A new CID: a new glyph of the program, glyph `orig`'s outline moved
 * right by dx (font units) with an advance of adv (font units). */
struct newcid {
    int orig;   /* the CID it reads and draws as */
    int adv, dx;
};

static double cid_width(const struct jfont *f, int cid)
{
    if (cid >= 0 && (guint)cid < f->w->len) {
        double v = g_array_index(f->w, double, cid);
        if (!isnan(v))
            return v;
    }
    return f->dw;
}

static const GArray *cid_text(const struct jfont *f, int cid)
{
    if (!f->text || cid < 0 || (guint)cid >= f->text->len)
        return NULL;
    return g_ptr_array_index(f->text, cid);
}

static void set_width(GArray *w, int cid, double v)
{
    if (cid < 0 || cid > 65535)
        return;
    double nan = NAN;
    while (w->len <= (guint)cid)
        g_array_append_val(w, nan);
    g_array_index(w, double, cid) = v;
}

/* /W: c [w1 w2 ...] and c_first c_last w */
static void read_w(qpdf_data q, qpdf_oh arr, GArray *w)
{
    int n = qpdf_oh_get_array_n_items(q, arr);
    for (int i = 0; i + 1 < n;) {
        qpdf_oh a = qpdf_oh_get_array_item(q, arr, i), b = qpdf_oh_get_array_item(q, arr, i + 1);
        if (!qpdf_oh_is_number(q, a))
            return;
        int c = qpdf_oh_get_int_value_as_int(q, a);
        if (qpdf_oh_is_array(q, b)) {
            int m = qpdf_oh_get_array_n_items(q, b);
            for (int k = 0; k < m; k++)
                set_width(w, c + k, qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, b, k)));
            i += 2;
        } else if (i + 2 < n) {
            int last = qpdf_oh_get_int_value_as_int(q, b);
            double v = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, arr, i + 2));
            for (int k = c; k <= last && k - c < 65536; k++)
                set_width(w, k, v);
            i += 3;
        } else
            return;
    }
}

/* a hex string's value: up to 4 bytes as a number, its length in bytes */
static unsigned hex_value(const char *s, const char *e, int *nbytes)
{
    unsigned v = 0;
    int nd = 0;
    for (; s < e; s++) {
        int d = g_ascii_xdigit_value(*s);
        if (d < 0)
            continue;
        v = v << 4 | (unsigned)d;
        nd++;
    }
    *nbytes = (nd + 1) / 2;
    return v;
}

/* UTF-16BE hex digits to code points */
static GArray *utf16_hex(const char *s, const char *e)
{
    GArray *u = g_array_new(FALSE, FALSE, sizeof(gunichar));
    unsigned units[64];
    int n = 0, nd = 0;
    unsigned cur = 0;
    for (; s < e && n < 64; s++) {
        int d = g_ascii_xdigit_value(*s);
        if (d < 0)
            continue;
        cur = cur << 4 | (unsigned)d;
        if (++nd == 4) {
            units[n++] = cur;
            cur = 0;
            nd = 0;
        }
    }
    for (int i = 0; i < n; i++) {
        gunichar c = units[i];
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < n && units[i + 1] >= 0xDC00 && units[i + 1] < 0xE000) {
            c = 0x10000 + ((c - 0xD800) << 10) + (units[i + 1] - 0xDC00);
            i++;
        }
        g_array_append_val(u, c);
    }
    return u;
}

static void unref_text(gpointer p)
{
    if (p)
        g_array_unref(p);
}

static void set_text(GPtrArray *t, int cid, GArray *u)
{
    if (cid < 0 || cid > 65535) {
        g_array_unref(u);
        return;
    }
    while (t->len <= (guint)cid)
        g_ptr_array_add(t, NULL);
    unref_text(g_ptr_array_index(t, cid));
    g_ptr_array_index(t, cid) = u;
}

/* the next <...> in [s, e), or NULL */
static const char *next_hex(const char *s, const char *e, const char **hs, const char **he)
{
    while (s < e && *s != '<')
        s++;
    if (s >= e)
        return NULL;
    const char *c = memchr(s, '>', (size_t)(e - s));
    if (!c)
        return NULL;
    *hs = s + 1;
    *he = c;
    return c + 1;
}

/* cairo's ToUnicode: bfchar <cid> <utf16>, bfrange <a> <b> <utf16> */
static GPtrArray *read_tounicode(const char *d, size_t len)
{
    GPtrArray *t = g_ptr_array_new_with_free_func(unref_text);
    const char *p = d, *e = d + len;
    while (p < e) {
        const char *bc = g_strstr_len(p, e - p, "beginbfchar"), *br = g_strstr_len(p, e - p, "beginbfrange");
        bool range = br && (!bc || br < bc);
        const char *s = range ? br : bc;
        if (!s)
            break;
        const char *end = g_strstr_len(s, e - s, range ? "endbfrange" : "endbfchar");
        if (!end)
            break;
        const char *c = s + (range ? 12 : 11), *h1, *e1, *h2, *e2, *h3, *e3;
        while ((c = next_hex(c, end, &h1, &e1)) && (c = next_hex(c, end, &h2, &e2))) {
            int nb;
            int a = (int)hex_value(h1, e1, &nb);
            if (!range) {
                set_text(t, a, utf16_hex(h2, e2));
                continue;
            }
            int b = (int)hex_value(h2, e2, &nb);
            const char *save = c;
            while (c < end && g_ascii_isspace(*c))
                c++;
            if (c < end && *c == '[') /* an array of strings: not cairo's; stop */
                break;
            if (!(c = next_hex(save, end, &h3, &e3)))
                break;
            GArray *u = utf16_hex(h3, e3);
            for (int k = a; k <= b && k - a < 65536; k++) {
                GArray *v = g_array_copy(u);
                if (v->len > 0)
                    g_array_index(v, gunichar, v->len - 1) += (gunichar)(k - a);
                set_text(t, k, v);
            }
            g_array_unref(u);
        }
        p = end;
    }
    return t;
}

static void jfont_free(gpointer p)
{
    struct jfont *f = p;
    if (f->w)
        g_array_unref(f->w);
    if (f->text)
        g_ptr_array_unref(f->text);
    if (f->newcid)
        g_array_unref(f->newcid);
    if (f->known)
        g_hash_table_unref(f->known);
    if (f->gidmap)
        g_array_unref(f->gidmap);
    free(f->prog);
    g_free(f);
}

static struct jfont *font_info(qpdf_data q, qpdf_oh font, GHashTable *fonts)
{
    int id = qpdf_oh_get_object_id(q, font);
    gpointer key = GINT_TO_POINTER(id);
    struct jfont *f = id ? g_hash_table_lookup(fonts, key) : NULL;
    if (f)
        return f;
    f = g_new0(struct jfont, 1);
    f->id = id;
    f->gen = qpdf_oh_get_generation(q, font);
    f->fm = 0.001;
    f->dw = 1000;
    f->w = g_array_new(FALSE, FALSE, sizeof(double));
    if (id)
        g_hash_table_insert(fonts, key, f);
    if (!qpdf_oh_is_dictionary(q, font))
        return f;
    const char *sub = qpdf_oh_is_name(q, qpdf_oh_get_key(q, font, "/Subtype"))
                          ? qpdf_oh_get_name(q, qpdf_oh_get_key(q, font, "/Subtype"))
                          : "";
    if (strcmp(sub, "/Type0") != 0) {
        /* a simple font: its widths, for the pen */
        qpdf_oh ws = qpdf_oh_get_key(q, font, "/Widths");
        qpdf_oh fc = qpdf_oh_get_key(q, font, "/FirstChar");
        if (!qpdf_oh_is_array(q, ws) || !qpdf_oh_is_number(q, fc))
            return f;
        if (strcmp(sub, "/Type3") == 0) {
            qpdf_oh fmx = qpdf_oh_get_key(q, font, "/FontMatrix");
            if (!qpdf_oh_is_array(q, fmx) || qpdf_oh_get_array_n_items(q, fmx) != 6)
                return f;
            f->fm = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, fmx, 0));
        }
        int first = qpdf_oh_get_int_value_as_int(q, fc), n = qpdf_oh_get_array_n_items(q, ws);
        for (int i = 0; i < n; i++)
            if (first + i >= 0 && first + i < 256)
                f->simple_w[first + i] = qpdf_oh_get_numeric_value(q, qpdf_oh_get_array_item(q, ws, i));
        f->simple = true;
        return f;
    }
    if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, font, "/Encoding"), "/Identity-H"))
        return f;
    qpdf_oh ds = qpdf_oh_get_key(q, font, "/DescendantFonts");
    if (!qpdf_oh_is_array(q, ds) || qpdf_oh_get_array_n_items(q, ds) != 1)
        return f;
    qpdf_oh d = qpdf_oh_get_array_item(q, ds, 0);
    if (!qpdf_oh_is_dictionary(q, d) || !qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, d, "/Subtype"), "/CIDFontType2"))
        return f;
    if (qpdf_oh_is_number(q, qpdf_oh_get_key(q, d, "/DW")))
        f->dw = qpdf_oh_get_numeric_value(q, qpdf_oh_get_key(q, d, "/DW"));
    if (qpdf_oh_is_array(q, qpdf_oh_get_key(q, d, "/W")))
        read_w(q, qpdf_oh_get_key(q, d, "/W"), f->w);
    f->descendant = d;
    f->gidmap = g_array_new(FALSE, FALSE, sizeof(guint16));
    qpdf_oh map = qpdf_oh_get_key(q, d, "/CIDToGIDMap");
    if (qpdf_oh_is_stream(q, map)) {
        unsigned char *buf = NULL;
        size_t len = 0;
        if (qpdf_oh_get_stream_data(q, map, qpdf_dl_all, NULL, &buf, &len) & QPDF_ERRORS || !buf)
            return f;
        for (size_t i = 0; i + 1 < len; i += 2) {
            guint16 g = (guint16)(buf[i] << 8 | buf[i + 1]);
            g_array_append_val(f->gidmap, g);
        }
        free(buf);
    } else if (!qpdf_oh_is_null(q, map) && !qpdf_oh_is_name_and_equals(q, map, "/Identity"))
        return f;
    /* the TrueType program new glyphs go into */
    qpdf_oh fd = qpdf_oh_get_key(q, d, "/FontDescriptor");
    qpdf_oh ff = qpdf_oh_is_dictionary(q, fd) ? qpdf_oh_get_key(q, fd, "/FontFile2") : qpdf_oh_new_null(q);
    if (!qpdf_oh_is_stream(q, ff) ||
        qpdf_oh_get_stream_data(q, ff, qpdf_dl_all, NULL, &f->prog, &f->prog_len) & QPDF_ERRORS || !f->prog ||
        !pr_sfnt_metrics(f->prog, f->prog_len, &f->upem, &f->nglyphs))
        return f;
    f->fontfile = ff;
    qpdf_oh tu = qpdf_oh_get_key(q, font, "/ToUnicode");
    if (qpdf_oh_is_stream(q, tu)) {
        unsigned char *buf = NULL;
        size_t len = 0;
        if (!(qpdf_oh_get_stream_data(q, tu, qpdf_dl_all, NULL, &buf, &len) & QPDF_ERRORS) && buf) {
            f->text = read_tounicode((const char *)buf, len);
            free(buf);
        }
        f->tounicode = tu;
    }
    /* new CIDs after every CID the font knows */
    int top = (int)f->w->len;
    if (f->text && (int)f->text->len > top)
        top = (int)f->text->len;
    if ((int)f->gidmap->len > top)
        top = (int)f->gidmap->len;
    f->base = top;
    f->newcid = g_array_new(FALSE, FALSE, sizeof(struct newcid));
    f->known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    f->usable = f->text != NULL && top < 65000;
    return f;
}

/* the glyph id CID cid draws */
static int cid_gid(const struct jfont *f, int cid)
{
    if (f->gidmap->len == 0)
        return cid;
    return cid < (int)f->gidmap->len ? g_array_index(f->gidmap, guint16, cid) : 0;
}

/* the new CID that shows glyph `cid` moved right by dx with advance adv
 * (font units); -1: none can be made */
static int cid_for(struct jfont *f, int cid, int adv, int dx)
{
    char key[48];
    snprintf(key, sizeof key, "%d/%d/%d", cid, adv, dx);
    gpointer v;
    if (g_hash_table_lookup_extended(f->known, key, NULL, &v))
        return GPOINTER_TO_INT(v);
    int nc = f->base + (int)f->newcid->len;
    if (nc > 65535 || f->nglyphs + f->newcid->len >= 65535 ||
        !pr_sfnt_glyph_ok(f->prog, f->prog_len, (unsigned)cid_gid(f, cid)))
        return -1;
    struct newcid n = {cid, adv, dx};
    g_array_append_val(f->newcid, n);
    g_hash_table_insert(f->known, g_strdup(key), GINT_TO_POINTER(nc));
    return nc;
}

/* ---------- content streams ---------- */

enum { T_NUM, T_NAME, T_STR, T_HEX, T_ARRAY, T_DICT, T_OP, T_END };

struct tok {
    int kind;
    size_t s, e; /* bytes [s, e) of the stream */
    double num;
};

static bool is_ws(unsigned char c)
{
    return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static bool is_delim(unsigned char c)
{
    return strchr("()<>[]{}/%", c) != NULL;
}

static size_t skip_ws(const unsigned char *d, size_t n, size_t i)
{
    for (;;) {
        while (i < n && is_ws(d[i]))
            i++;
        if (i < n && d[i] == '%') {
            while (i < n && d[i] != '\n' && d[i] != '\r')
                i++;
            continue;
        }
        return i;
    }
}

static struct tok next_tok(const unsigned char *d, size_t n, size_t i)
{
    i = skip_ws(d, n, i);
    struct tok t = {T_END, i, i, 0};
    if (i >= n)
        return t;
    unsigned char c = d[i];
    if (c == '(') {
        int depth = 0;
        for (; i < n; i++) {
            if (d[i] == '\\')
                i++;
            else if (d[i] == '(')
                depth++;
            else if (d[i] == ')' && --depth == 0)
                break;
        }
        t.kind = T_STR;
        t.e = i < n ? i + 1 : n;
    } else if (c == '<' && i + 1 < n && d[i + 1] == '<') {
        int depth = 0;
        size_t j = i;
        while (j < n) {
            if (d[j] == '<' && j + 1 < n && d[j + 1] == '<') {
                depth++;
                j += 2;
            } else if (d[j] == '>' && j + 1 < n && d[j + 1] == '>') {
                j += 2;
                if (--depth == 0)
                    break;
            } else if (d[j] == '(' || d[j] == '<') {
                j = next_tok(d, n, j).e;
            } else
                j++;
        }
        t.kind = T_DICT;
        t.e = j;
    } else if (c == '<') {
        const unsigned char *g = memchr(d + i, '>', n - i);
        t.kind = T_HEX;
        t.e = g ? (size_t)(g - d) + 1 : n;
    } else if (c == '[') {
        size_t j = i + 1;
        for (;;) {
            j = skip_ws(d, n, j);
            if (j >= n || d[j] == ']')
                break;
            struct tok u = next_tok(d, n, j);
            if (u.e <= j)
                break;
            j = u.e;
        }
        t.kind = T_ARRAY;
        t.e = j < n ? j + 1 : n;
    } else if (c == '/') {
        size_t j = i + 1;
        while (j < n && !is_ws(d[j]) && !is_delim(d[j]))
            j++;
        t.kind = T_NAME;
        t.e = j;
    } else if (c == ']' || c == ')' || c == '>' || c == '{' || c == '}') {
        t.kind = T_OP;
        t.e = i + 1;
    } else {
        size_t j = i;
        while (j < n && !is_ws(d[j]) && !is_delim(d[j]))
            j++;
        char buf[64];
        size_t l = j - i < sizeof buf - 1 ? j - i : sizeof buf - 1;
        memcpy(buf, d + i, l);
        buf[l] = 0;
        char *end;
        double v = g_ascii_strtod(buf, &end);
        if (l > 0 && *end == 0 && (g_ascii_isdigit(buf[0]) || strchr("+-.", buf[0]))) {
            t.kind = T_NUM;
            t.num = v;
        } else
            t.kind = T_OP;
        t.e = j;
    }
    return t;
}

static bool op_is(const unsigned char *d, const struct tok *t, const char *name)
{
    size_t l = strlen(name);
    return t->kind == T_OP && t->e - t->s == l && memcmp(d + t->s, name, l) == 0;
}

/* The next CID (four hex digits) of a hex string's digits [p, pe): in
 * *cid, and where the digits after it start; NULL: no whole CID left. */
static const char *next_cid(const char *p, const char *pe, unsigned *cid)
{
    int nd = 0;
    unsigned v = 0;
    for (; p < pe; p++) {
        int x = g_ascii_xdigit_value(*p);
        if (x < 0)
            continue;
        v = v << 4 | (unsigned)x;
        if (++nd == 4) {
            *cid = v;
            return p + 1;
        }
    }
    return NULL;
}

/* A glyph of a CID font shown by a Tj or TJ. */
struct glyph {
    int op;                /* index of its showing operator (struct show) */
    struct jfont *font;
    int cid;
    double x;              /* origin, user space (text matrix applied) */
    double w;              /* width in user space */
    double em;             /* user space per em: a * Tfs * Th */
    double key[4];         /* the line: a, d, f (baseline), Tfs */
    int span;              /* its ActualText span (index), -1: none */
    int newcid;            /* -1: unchanged */
    double pre, post;      /* TJ adjustments before and after it (new CID) */
    bool ok;               /* in a frame we understand */
};

struct span {
    GArray *text; /* gunichar */
    int first, last; /* glyph indexes, -1: none */
    bool ok;      /* only glyphs of usable fonts inside */
};

struct show {
    size_t s, e; /* the operands and operator, [s, e) */
    size_t as, ae; /* the string or array operand */
    bool tj;     /* TJ (else Tj) */
};

bool pr_pdf_arabic(gunichar c)
{
    if ((c >= 0x0660 && c <= 0x0669) || (c >= 0x06F0 && c <= 0x06F9)) /* digits */
        return false;
    return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0x08A0 && c <= 0x08FF) ||
           (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

/* 1: all Arabic, 0: no text, -1: other */
static int text_class(const GArray *u)
{
    if (!u || u->len == 0)
        return 0;
    for (guint i = 0; i < u->len; i++)
        if (!pr_pdf_arabic(g_array_index(u, gunichar, i)))
            return -1;
    return 1;
}

struct unit {
    double o, e;    /* poppler's box: origin (first glyph) and end (last's) */
    double lo, hi;  /* where its glyphs' advances lie */
    int last;       /* glyph whose width is set */
    double em;
};

/* Glyph g shown under a new CID whose glyph (added to the font program)
 * ends at target, user space: a composite of g's glyph with an advance of
 * its own. When target is left of g's origin (a mark over its base) the
 * new glyph's origin moves left to target and its outline right as much
 * (the component's x offset), its advance 0: the ink stays where it was.
 * pre and post are the TJ adjustments that put the origin there and the
 * pen back where it went. Left as it was when the font's width for g is
 * not an integer or the glyph cannot be made. */
static void place(struct glyph *g, double target)
{
    struct jfont *f = g->font;
    double w0 = cid_width(f, g->cid);
    if (w0 != floor(w0) || !f->prog)
        return;
    double per = f->upem / g->em; /* font units per user space unit */
    double origin = fmin(target, g->x);
    int dx = (int)lround((g->x - origin) * per), adv = (int)lround((target - origin) * per);
    double pre = dx * 1000.0 / f->upem, width = adv * 1000.0 / f->upem;
    if (dx == 0 && fabs(width - w0) < 1e-9)
        return;
    int nc = cid_for(f, g->cid, adv, dx);
    if (nc < 0)
        return;
    g->newcid = nc;
    g->pre = pre;
    g->post = width - pre - w0;
}

/* The widths of one word's units, in drawing order (right to left). */
static void fix_word(GArray *glyphs, const struct unit *u, int n)
{
    if (n < 2)
        return;
    double F = fmin(u[0].o, u[0].e);
    for (int i = 1; i < n; i++) {
        double em = u[i].em, target;
        struct glyph *g = &g_array_index(glyphs, struct glyph, u[i].last);
        if (u[i].o < F - 0.005 * em) {
            target = F + REACH * em;
            if (i + 1 < n && u[i + 1].o < u[i].o) /* keep the next glyph out of this one's word */
                target = fmax(target, fmin(u[i + 1].o + PAST_NEXT * em, F + MAX_OVERLAP * em));
            F = u[i].o;
        } else if (u[i].o - F < MAX_OVERLAP * em) {
            target = F - REACH * em; /* a negative width: the box runs left from the origin */
            F = target;
        } else {
            F = fmin(u[i].o, u[i].e);
            continue;
        }
        place(g, target);
    }
}

/* The units of the Arabic words among glyphs, word by word. */
static void fix_words(GArray *glyphs, GArray *spans)
{
    GArray *word = g_array_new(FALSE, FALSE, sizeof(struct unit));
    const double *key = NULL;
    for (guint i = 0; i <= glyphs->len;) {
        struct glyph *g = i < glyphs->len ? &g_array_index(glyphs, struct glyph, i) : NULL;
        struct unit u = {0};
        int cls = -1;
        guint next = i + 1;
        if (g && g->span >= 0) {
            struct span *s = &g_array_index(spans, struct span, g->span);
            cls = s->ok ? text_class(s->text) : -1;
            if (cls == 0)
                cls = -1;
            struct glyph *l = &g_array_index(glyphs, struct glyph, s->last);
            u = (struct unit){g->x, l->x + l->w, g->x, g->x, s->last, g->em};
            next = (guint)s->last + 1;
            for (int k = s->first; k <= s->last; k++) {
                const struct glyph *h = &g_array_index(glyphs, struct glyph, k);
                if (!h->ok)
                    cls = -1;
                u.lo = fmin(u.lo, fmin(h->x, h->x + h->w));
                u.hi = fmax(u.hi, fmax(h->x, h->x + h->w));
            }
        } else if (g) {
            cls = g->ok ? text_class(cid_text(g->font, g->cid)) : -1;
            u = (struct unit){g->x, g->x + g->w, fmin(g->x, g->x + g->w), fmax(g->x, g->x + g->w), (int)i, g->em};
        }
        if (cls == 0) { /* no text: not read, not in the way */
            i = next;
            continue;
        }
        /* the same line: scale and size, a baseline a mark's offset away */
        bool same = cls == 1 && key && word->len > 0 && key[0] == g->key[0] && key[1] == g->key[1] &&
                    key[3] == g->key[3] && fabs(key[2] - g->key[2]) < 0.3 * g->em;
        if (same) {
            const struct unit *p = &g_array_index(word, struct unit, word->len - 1);
            if (p->lo - u.hi > MAX_GAP * u.em)
                same = false;
        }
        if (!same) {
            fix_word(glyphs, (const struct unit *)word->data, (int)word->len);
            g_array_set_size(word, 0);
        }
        if (cls == 1) {
            g_array_append_val(word, u);
            key = g->key;
        }
        i = next;
    }
    g_array_unref(word);
}

/* the number n as a content stream writes it */
static void put_num(GString *o, double n)
{
    if (n == floor(n) && fabs(n) < 1e9)
        g_string_append_printf(o, "%.0f", n);
    else {
        char b[G_ASCII_DTOSTR_BUF_SIZE];
        g_ascii_formatd(b, sizeof b, "%.6f", n);
        size_t l = strlen(b);
        while (l > 0 && b[l - 1] == '0')
            b[--l] = 0;
        if (l > 0 && b[l - 1] == '.')
            b[--l] = 0;
        g_string_append(o, b);
    }
}

/* The showing operator sh again, its glyphs (from *gi on) with their new
 * CIDs and the pen put back after each widened one. */
static void rewrite_show(GString *o, const unsigned char *d, const struct show *sh, GArray *glyphs, guint *gi)
{
    g_string_append_c(o, '[');
    bool open = false; /* a hex string open */
    double pending = 0;
    bool have_pending = false;
    size_t i = sh->tj ? sh->as + 1 : sh->as, end = sh->tj ? sh->ae - 1 : sh->ae;
    for (;;) {
        struct tok t = sh->tj ? next_tok(d, end, i) : (struct tok){T_HEX, sh->as, sh->ae, 0};
        if (t.kind == T_END || t.s >= end)
            break;
        if (t.kind == T_NUM) {
            pending += t.num;
            have_pending = true;
        } else if (t.kind == T_STR) { /* not cairo's: as it was */
            if (open)
                g_string_append_c(o, '>');
            open = false;
            if (have_pending)
                put_num(o, pending);
            pending = 0;
            have_pending = false;
            g_string_append_len(o, (const char *)d + t.s, (gssize)(t.e - t.s));
            (*gi)++;
        } else if (t.kind == T_HEX) {
            const char *p = (const char *)d + t.s + 1, *pe = (const char *)d + t.e - 1;
            unsigned v;
            while ((p = next_cid(p, pe, &v))) {
                struct glyph *g = &g_array_index(glyphs, struct glyph, *gi);
                (*gi)++;
                int cid = g->newcid >= 0 ? g->newcid : (int)v;
                if (g->newcid >= 0 && g->pre != 0) {
                    pending += g->pre;
                    have_pending = true;
                }
                if (have_pending) {
                    if (open)
                        g_string_append_c(o, '>');
                    open = false;
                    put_num(o, pending);
                    pending = 0;
                    have_pending = false;
                }
                if (!open)
                    g_string_append_c(o, '<');
                open = true;
                g_string_append_printf(o, "%04x", cid);
                if (g->newcid >= 0 && g->post != 0) {
                    pending += g->post;
                    have_pending = true;
                }
            }
        }
        if (!sh->tj)
            break;
        i = t.e;
    }
    if (open)
        g_string_append_c(o, '>');
    if (have_pending && pending != 0) {
        if (o->str[o->len - 1] == '[')
            g_string_append(o, "<>");
        put_num(o, pending);
    }
    g_string_append(o, "]TJ");
}

struct mat {
    double a, b, c, d, e, f;
};

static struct mat mul(struct mat m, struct mat n) /* m then n */
{
    return (struct mat){m.a * n.a + m.b * n.c,       m.a * n.b + m.b * n.d,       m.c * n.a + m.d * n.c,
                        m.c * n.b + m.d * n.d,       m.e * n.a + m.f * n.c + n.e, m.e * n.b + m.f * n.d + n.f};
}

/* One content stream (a page's or a form's), its fonts in `fontres`;
 * true when it changed. */
static bool join_stream(qpdf_data q, qpdf_oh stream, qpdf_oh fontres, GHashTable *fonts)
{
    unsigned char *d = NULL;
    size_t n = 0;
    /* (the call's warnings are any earlier warning of the qpdf object) */
    if (qpdf_oh_get_stream_data(q, stream, qpdf_dl_all, NULL, &d, &n) & QPDF_ERRORS || !d)
        return false;
    GArray *glyphs = g_array_new(FALSE, FALSE, sizeof(struct glyph));
    GArray *spans = g_array_new(FALSE, FALSE, sizeof(struct span));
    GArray *shows = g_array_new(FALSE, FALSE, sizeof(struct show));
    GArray *bdc = g_array_new(FALSE, FALSE, sizeof(int)); /* span index or -1 per open BDC/BMC */
    GArray *ctms = g_array_new(FALSE, FALSE, sizeof(struct mat));
    struct mat ctm = {1, 0, 0, 1, 0, 0}, tm = ctm, tlm = ctm;
    double tfs = 1, tc = 0, tw = 0, th = 1, tl = 0;
    struct jfont *font = NULL;
    bool pen_ok = false;
    struct tok ops[8];
    int nops = 0;
    size_t opstart = 0;
    bool any_arabic_font = false;
    for (size_t i = 0;;) {
        struct tok t = next_tok(d, n, i);
        if (t.kind == T_END || t.e <= i)
            break;
        if (nops == 0)
            opstart = t.s;
        i = t.e;
        if (t.kind != T_OP) {
            if (nops < 8)
                ops[nops++] = t;
            else {
                memmove(ops, ops + 1, 7 * sizeof *ops);
                ops[7] = t;
            }
            continue;
        }
#define NUM(k) (nops > (k) && ops[k].kind == T_NUM ? ops[k].num : 0)
        if (op_is(d, &t, "BT")) {
            tm = tlm = (struct mat){1, 0, 0, 1, 0, 0};
            pen_ok = true;
        } else if (op_is(d, &t, "Tm") && nops == 6) {
            tm = tlm = (struct mat){NUM(0), NUM(1), NUM(2), NUM(3), NUM(4), NUM(5)};
            pen_ok = true;
        } else if ((op_is(d, &t, "Td") || op_is(d, &t, "TD")) && nops == 2) {
            tlm = mul((struct mat){1, 0, 0, 1, NUM(0), NUM(1)}, tlm);
            tm = tlm;
            pen_ok = true;
            if (op_is(d, &t, "TD"))
                tl = -NUM(1);
        } else if (op_is(d, &t, "T*") || op_is(d, &t, "'") || op_is(d, &t, "\"")) {
            tlm = mul((struct mat){1, 0, 0, 1, 0, -tl}, tlm);
            tm = tlm;
            pen_ok = !op_is(d, &t, "'") && !op_is(d, &t, "\""); /* a string shown: not followed */
        } else if (op_is(d, &t, "TL") && nops == 1)
            tl = NUM(0);
        else if (op_is(d, &t, "Tc") && nops == 1)
            tc = NUM(0);
        else if (op_is(d, &t, "Tw") && nops == 1)
            tw = NUM(0);
        else if (op_is(d, &t, "Tz") && nops == 1)
            th = NUM(0) / 100;
        else if (op_is(d, &t, "Tf") && nops == 2 && ops[0].kind == T_NAME) {
            char *name = g_strndup((const char *)d + ops[0].s, ops[0].e - ops[0].s);
            qpdf_oh fo = qpdf_oh_get_key(q, fontres, name);
            g_free(name);
            font = qpdf_oh_is_dictionary(q, fo) ? font_info(q, fo, fonts) : NULL;
            any_arabic_font |= font && font->usable;
            tfs = NUM(1);
        } else if (op_is(d, &t, "cm") && nops == 6) {
            ctm = mul((struct mat){NUM(0), NUM(1), NUM(2), NUM(3), NUM(4), NUM(5)}, ctm);
        } else if (op_is(d, &t, "q"))
            g_array_append_val(ctms, ctm);
        else if (op_is(d, &t, "Q") && ctms->len > 0) {
            ctm = g_array_index(ctms, struct mat, ctms->len - 1);
            g_array_set_size(ctms, ctms->len - 1);
        } else if (op_is(d, &t, "BDC") || op_is(d, &t, "BMC")) {
            int si = -1;
            if (op_is(d, &t, "BDC") && nops == 2 && ops[1].kind == T_DICT) {
                const unsigned char *ds = d + ops[1].s;
                size_t dl = ops[1].e - ops[1].s;
                const char *at = g_strstr_len((const char *)ds, (gssize)dl, "/ActualText");
                if (at) {
                    struct tok v = next_tok(d, ops[1].e, (size_t)((const unsigned char *)at - d) + 11);
                    struct span s = {NULL, -1, -1, v.kind == T_HEX};
                    s.text = v.kind == T_HEX ? utf16_hex((const char *)d + v.s + 1, (const char *)d + v.e - 1)
                                             : g_array_new(FALSE, FALSE, sizeof(gunichar));
                    /* not from the BOM on */
                    if (s.text->len > 0 && g_array_index(s.text, gunichar, 0) == 0xFEFF)
                        g_array_remove_index(s.text, 0);
                    else
                        s.ok = false;
                    g_array_append_val(spans, s);
                    si = (int)spans->len - 1;
                }
            }
            g_array_append_val(bdc, si);
        } else if (op_is(d, &t, "EMC") && bdc->len > 0)
            g_array_set_size(bdc, bdc->len - 1);
        else if ((op_is(d, &t, "Tj") || op_is(d, &t, "TJ")) && nops >= 1) {
            bool tj = op_is(d, &t, "TJ");
            struct tok arg = ops[nops - 1];
            int span = -1;
            for (guint k = 0; k < bdc->len; k++)
                if (g_array_index(bdc, int, k) >= 0)
                    span = g_array_index(bdc, int, k);
            if (!font) /* text in a font we cannot see: the pen is lost */
                pen_ok = false;
            struct show sh = {opstart, t.e, arg.s, arg.e, tj};
            g_array_append_val(shows, sh);
            int op = (int)shows->len - 1;
            struct mat m = mul(tm, ctm);
            bool frame = pen_ok && font && fabs(m.b) < 1e-9 && fabs(m.c) < 1e-9 && m.a > 0 && tc == 0 &&
                         tw == 0;
            size_t j = tj ? arg.s + 1 : arg.s, end = tj ? arg.e - 1 : arg.e;
            while (font) {
                struct tok e = tj ? next_tok(d, end, j) : arg;
                if (e.kind == T_END || e.s >= end)
                    break;
                if (e.kind == T_NUM) {
                    tm = mul((struct mat){1, 0, 0, 1, -e.num / 1000 * tfs * th, 0}, tm);
                } else if ((e.kind == T_HEX || e.kind == T_STR) && font->usable && e.kind == T_HEX) {
                    const char *p = (const char *)d + e.s + 1, *pe = (const char *)d + e.e - 1;
                    unsigned v;
                    while ((p = next_cid(p, pe, &v))) {
                        m = mul(tm, ctm);
                        double wu = cid_width(font, (int)v);
                        struct glyph g = {op, font, (int)v, m.e, wu / 1000 * tfs * th * m.a, tfs * th * m.a,
                                          {m.a, m.d, m.f, tfs}, span, -1, 0, 0, frame};
                        g_array_append_val(glyphs, g);
                        if (span >= 0) {
                            struct span *s = &g_array_index(spans, struct span, span);
                            if (s->first < 0)
                                s->first = (int)glyphs->len - 1;
                            s->last = (int)glyphs->len - 1;
                        }
                        tm = mul((struct mat){1, 0, 0, 1, wu / 1000 * tfs * th, 0}, tm);
                    }
                } else if ((e.kind == T_HEX || e.kind == T_STR) && font->simple) {
                    /* a simple font's bytes: the pen moves */
                    GString *b = g_string_new(NULL);
                    if (e.kind == T_HEX) {
                        int nd = 0;
                        unsigned v = 0;
                        for (size_t k = e.s + 1; k + 1 < e.e; k++) {
                            int x = g_ascii_xdigit_value(d[k]);
                            if (x < 0)
                                continue;
                            v = v << 4 | (unsigned)x;
                            if (++nd == 2) {
                                g_string_append_c(b, (char)v);
                                nd = 0;
                                v = 0;
                            }
                        }
                        if (nd == 1)
                            g_string_append_c(b, (char)(v << 4));
                    } else {
                        for (size_t k = e.s + 1; k + 1 < e.e; k++) {
                            unsigned char c = d[k];
                            if (c == '\\' && k + 2 < e.e) {
                                c = d[++k];
                                if (c >= '0' && c <= '7') {
                                    unsigned v = 0;
                                    for (int r = 0; r < 3 && k + 1 < e.e && d[k] >= '0' && d[k] <= '7'; r++, k++)
                                        v = v * 8 + (d[k] - '0');
                                    k--;
                                    c = (unsigned char)v;
                                } else if (c == '\r' || c == '\n') {
                                    if (c == '\r' && k + 1 < e.e && d[k + 1] == '\n')
                                        k++;
                                    continue;
                                } else
                                    c = c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c == 'b' ? '\b'
                                      : c == 'f' ? '\f' : c;
                            }
                            g_string_append_c(b, (char)c);
                        }
                    }
                    for (gsize k = 0; k < b->len; k++) {
                        unsigned char c = (unsigned char)b->str[k];
                        double adv = (font->simple_w[c] * font->fm * tfs + tc + (c == ' ' ? tw : 0)) * th;
                        tm = mul((struct mat){1, 0, 0, 1, adv, 0}, tm);
                    }
                    g_string_free(b, TRUE);
                    /* a break in any Arabic word: a glyph that is not one */
                    struct glyph g = {op, font, -1, 0, 0, 1, {0}, -1, -1, 0, 0, false};
                    g_array_append_val(glyphs, g);
                } else if (e.kind == T_HEX || e.kind == T_STR) {
                    pen_ok = false; /* a font we do not follow */
                    struct glyph g = {op, font, -1, 0, 0, 1, {0}, -1, -1, 0, 0, false};
                    g_array_append_val(glyphs, g);
                }
                if (!tj)
                    break;
                j = e.e;
            }
        }
#undef NUM
        nops = 0;
    }
    bool changed = false;
    if (any_arabic_font) {
        /* a glyph with no CID (a simple font's) reads as a break */
        for (guint k = 0; k < glyphs->len; k++) {
            struct glyph *g = &g_array_index(glyphs, struct glyph, k);
            if (g->cid < 0)
                g->ok = false;
        }
        fix_words(glyphs, spans);
        GString *o = g_string_sized_new(n + n / 8);
        size_t at = 0;
        guint gi = 0;
        for (guint k = 0; k < shows->len; k++) {
            const struct show *sh = &g_array_index(shows, struct show, k);
            guint g0 = gi, g1 = gi;
            while (g1 < glyphs->len && g_array_index(glyphs, struct glyph, g1).op == (int)k)
                g1++;
            bool touch = false;
            for (guint x = g0; x < g1; x++)
                touch |= g_array_index(glyphs, struct glyph, x).newcid >= 0;
            gi = g1;
            if (!touch)
                continue;
            g_string_append_len(o, (const char *)d + at, (gssize)(sh->as - at));
            guint r = g0;
            rewrite_show(o, d, sh, glyphs, &r);
            at = sh->e;
            changed = true;
        }
        if (changed) {
            g_string_append_len(o, (const char *)d + at, (gssize)(n - at));
            qpdf_oh_replace_stream_data(q, stream, (const unsigned char *)o->str, o->len, qpdf_oh_new_null(q),
                                        qpdf_oh_new_null(q));
        }
        g_string_free(o, TRUE);
    }
    for (guint k = 0; k < spans->len; k++)
        g_array_unref(g_array_index(spans, struct span, k).text);
    g_array_unref(glyphs);
    g_array_unref(spans);
    g_array_unref(shows);
    g_array_unref(bdc);
    g_array_unref(ctms);
    free(d);
    return changed;
}

static void join_resources(qpdf_data q, qpdf_oh contents, qpdf_oh res, GHashTable *fonts, GHashTable *seen,
                           GHashTable *reads);

/* The keys of dictionary d, copied (qpdf's key iteration is one at a
 * time per qpdf_data: nothing may look up keys while it runs). */
static GPtrArray *dict_keys(qpdf_data q, qpdf_oh d)
{
    GPtrArray *keys = g_ptr_array_new_with_free_func(g_free);
    qpdf_oh_begin_dict_key_iter(q, d);
    while (qpdf_oh_dict_more_keys(q))
        g_ptr_array_add(keys, g_strdup(qpdf_oh_dict_next_key(q)));
    return keys;
}

/* the forms of res, each once */
static void join_forms(qpdf_data q, qpdf_oh res, GHashTable *fonts, GHashTable *seen, GHashTable *reads)
{
    qpdf_oh xo = qpdf_oh_get_key(q, res, "/XObject");
    if (!qpdf_oh_is_dictionary(q, xo))
        return;
    GPtrArray *keys = dict_keys(q, xo);
    for (guint i = 0; i < keys->len; i++) {
        qpdf_oh f = qpdf_oh_get_key(q, xo, g_ptr_array_index(keys, i));
        int id = qpdf_oh_get_object_id(q, f);
        if (!qpdf_oh_is_stream(q, f) || !id || g_hash_table_contains(seen, GINT_TO_POINTER(id)))
            continue;
        g_hash_table_add(seen, GINT_TO_POINTER(id));
        qpdf_oh dict = qpdf_oh_get_dict(q, f);
        if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, dict, "/Subtype"), "/Form"))
            continue;
        join_resources(q, f, qpdf_oh_get_key(q, dict, "/Resources"), fonts, seen, reads);
    }
    g_ptr_array_unref(keys);
}

/* Does this Type0 font's ToUnicode read an Arabic letter? Remembered per
 * object in `reads` (1 yes, 2 no). Only its ToUnicode is read: a font
 * that does not is never loaded (font_info decodes its program too). */
static bool reads_arabic(qpdf_data q, qpdf_oh font, GHashTable *reads)
{
    int id = qpdf_oh_get_object_id(q, font);
    int known = id ? GPOINTER_TO_INT(g_hash_table_lookup(reads, GINT_TO_POINTER(id))) : 0;
    if (known)
        return known == 1;
    bool yes = false;
    qpdf_oh tu = qpdf_oh_get_key(q, font, "/ToUnicode");
    unsigned char *buf = NULL;
    size_t len = 0;
    if (qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, font, "/Subtype"), "/Type0") && qpdf_oh_is_stream(q, tu) &&
        !(qpdf_oh_get_stream_data(q, tu, qpdf_dl_all, NULL, &buf, &len) & QPDF_ERRORS) && buf)
        yes = pr_pdf_tounicode_arabic((const char *)buf, len);
    free(buf);
    if (id)
        g_hash_table_insert(reads, GINT_TO_POINTER(id), GINT_TO_POINTER(yes ? 1 : 2));
    return yes;
}

bool pr_pdf_tounicode_arabic(const char *cmap, size_t len)
{
    bool yes = false;
    GPtrArray *text = read_tounicode(cmap, len);
    for (guint c = 0; text && c < text->len && !yes; c++) {
        const GArray *u = g_ptr_array_index(text, c);
        for (guint k = 0; u && k < u->len && !yes; k++)
            yes = pr_pdf_arabic(g_array_index(u, gunichar, k));
    }
    if (text)
        g_ptr_array_unref(text);
    return yes;
}

/* Does a font of this /Font dictionary read as Arabic? Only then can a
 * stream drawing with them hold a word to join (the others are not even
 * decoded: an issue without Arabic costs a look at its fonts' ToUnicode;
 * a stream whose Arabic font cannot be used is read and left as it
 * was, as join_stream decides). */
static bool any_arabic(qpdf_data q, qpdf_oh fr, GHashTable *reads)
{
    bool any = false;
    GPtrArray *keys = dict_keys(q, fr);
    for (guint i = 0; i < keys->len && !any; i++) {
        qpdf_oh fo = qpdf_oh_get_key(q, fr, g_ptr_array_index(keys, i));
        any = qpdf_oh_is_dictionary(q, fo) && reads_arabic(q, fo, reads);
    }
    g_ptr_array_unref(keys);
    return any;
}

static void join_resources(qpdf_data q, qpdf_oh contents, qpdf_oh res, GHashTable *fonts, GHashTable *seen,
                           GHashTable *reads)
{
    if (!qpdf_oh_is_dictionary(q, res))
        return;
    qpdf_oh fr = qpdf_oh_get_key(q, res, "/Font");
    if (qpdf_oh_is_dictionary(q, fr) && any_arabic(q, fr, reads)) {
        if (qpdf_oh_is_stream(q, contents))
            join_stream(q, contents, fr, fonts);
        else if (qpdf_oh_is_array(q, contents)) /* (each stream on its own: cairo writes one) */
            for (int i = 0; i < qpdf_oh_get_array_n_items(q, contents); i++)
                join_stream(q, qpdf_oh_get_array_item(q, contents, i), fr, fonts);
    }
    join_forms(q, res, fonts, seen, reads);
}

/* The new CIDs into the font: their glyphs into the program (FontFile2,
 * /Length1), CIDToGIDMap, /CIDSet, /W, ToUnicode. */
static void finish_font(qpdf_data q, struct jfont *f)
{
    if (!f->usable || f->newcid->len == 0)
        return;
    int total = f->base + (int)f->newcid->len, n = (int)f->newcid->len;
    /* the glyphs: new CID base + i is glyph nglyphs + i */
    struct pr_sfnt_glyph *add = g_new(struct pr_sfnt_glyph, n);
    for (int i = 0; i < n; i++) {
        const struct newcid *c = &g_array_index(f->newcid, struct newcid, i);
        add[i] = (struct pr_sfnt_glyph){(unsigned)cid_gid(f, c->orig), c->dx, c->adv};
    }
    size_t len = 0;
    unsigned char *prog = pr_sfnt_add_glyphs(f->prog, f->prog_len, add, n, &len);
    g_free(add);
    if (!prog) { /* checked before the content changed: cannot happen */
        fprintf(stderr, "pressrun: internal error: glyphs cannot be added to a font; its text is wrong\n");
        return;
    }
    qpdf_oh_replace_stream_data(q, f->fontfile, prog, len, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    qpdf_oh_replace_key(q, qpdf_oh_get_dict(q, f->fontfile), "/Length1", qpdf_oh_new_integer(q, (long long)len));
    free(prog);
    /* CIDToGIDMap */
    GByteArray *map = g_byte_array_sized_new((guint)total * 2);
    for (int c = 0; c < total; c++) {
        int g = c >= f->base ? (int)f->nglyphs + c - f->base : cid_gid(f, c);
        guint8 b[2] = {(guint8)(g >> 8), (guint8)g};
        g_byte_array_append(map, b, 2);
    }
    qpdf_oh st = qpdf_make_indirect_object(q, pr_qpdf_stream(q, map->data, map->len));
    g_byte_array_unref(map);
    qpdf_oh_replace_key(q, f->descendant, "/CIDToGIDMap", st);
    /* /CIDSet, when there is one: the new CIDs are present */
    qpdf_oh fd = qpdf_oh_get_key(q, f->descendant, "/FontDescriptor");
    qpdf_oh cs = qpdf_oh_get_key(q, fd, "/CIDSet");
    unsigned char *buf = NULL;
    if (qpdf_oh_is_stream(q, cs) && !(qpdf_oh_get_stream_data(q, cs, qpdf_dl_all, NULL, &buf, &len) & QPDF_ERRORS)) {
        size_t need = ((size_t)total + 7) / 8;
        unsigned char *bits = calloc(1, need > len ? need : len);
        if (buf)
            memcpy(bits, buf, len);
        for (int c = f->base; c < total; c++)
            bits[c / 8] |= (unsigned char)(0x80 >> (c % 8));
        qpdf_oh_replace_stream_data(q, cs, bits, need > len ? need : len, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
        free(bits);
    }
    free(buf);
    buf = NULL;
    /* /W: the new glyphs' advances */
    qpdf_oh w = qpdf_oh_get_key(q, f->descendant, "/W");
    if (!qpdf_oh_is_array(q, w)) {
        w = qpdf_oh_new_array(q);
        qpdf_oh_replace_key(q, f->descendant, "/W", w);
    }
    qpdf_oh ws = qpdf_oh_new_array(q);
    for (int i = 0; i < n; i++) {
        int adv = g_array_index(f->newcid, struct newcid, i).adv;
        qpdf_oh_append_item(q, ws, adv * 1000 % (int)f->upem == 0
                                       ? qpdf_oh_new_integer(q, adv * 1000 / (int)f->upem)
                                       : qpdf_oh_new_real_from_double(q, adv * 1000.0 / f->upem, 3));
    }
    qpdf_oh_append_item(q, w, qpdf_oh_new_integer(q, f->base));
    qpdf_oh_append_item(q, w, ws);
    /* ToUnicode: the new CIDs read as their glyphs do */
    if (qpdf_oh_get_stream_data(q, f->tounicode, qpdf_dl_all, NULL, &buf, &len) & QPDF_ERRORS || !buf)
        return;
    const char *end = g_strstr_len((const char *)buf, (gssize)len, "endcmap");
    if (!end) {
        free(buf);
        return;
    }
    GString *o = g_string_new_len((const char *)buf, end - (const char *)buf);
    GString *block = g_string_new(NULL);
    int nblock = 0;
    for (guint i = 0; i <= f->newcid->len; i++) {
        if ((nblock == 100 || i == f->newcid->len) && nblock > 0) {
            g_string_append_printf(o, "%d beginbfchar\n%sendbfchar\n", nblock, block->str);
            g_string_truncate(block, 0);
            nblock = 0;
        }
        if (i == f->newcid->len)
            break;
        const GArray *u = cid_text(f, g_array_index(f->newcid, struct newcid, i).orig);
        if (!u || u->len == 0)
            continue;
        g_string_append_c(block, '<');
        pr_pdf_hex4(block, (unsigned)(f->base + (int)i));
        g_string_append(block, "> <");
        for (guint k = 0; k < u->len; k++)
            pr_pdf_utf16_hex(block, g_array_index(u, gunichar, k));
        g_string_append(block, ">\n");
        nblock++;
    }
    g_string_append_len(o, end, (gssize)(len - (size_t)(end - (const char *)buf)));
    qpdf_oh_replace_stream_data(q, f->tounicode, (const unsigned char *)o->str, o->len, qpdf_oh_new_null(q),
                                qpdf_oh_new_null(q));
    g_string_free(o, TRUE);
    g_string_free(block, TRUE);
    free(buf);
}

void pr_pdf_join_words(qpdf_data q)
{
    GHashTable *fonts = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, jfont_free);
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    GHashTable *reads = g_hash_table_new(g_direct_hash, g_direct_equal);
    int np = qpdf_get_num_pages(q);
    for (int i = 0; i < np; i++) {
        qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
        join_resources(q, qpdf_oh_get_key(q, page, "/Contents"), qpdf_oh_get_key(q, page, "/Resources"), fonts,
                       seen, reads);
    }
    GHashTableIter it;
    gpointer v;
    g_hash_table_iter_init(&it, fonts);
    while (g_hash_table_iter_next(&it, NULL, &v))
        finish_font(q, v);
    g_hash_table_unref(fonts);
    g_hash_table_unref(seen);
    g_hash_table_unref(reads);
    qpdf_oh_release_all(q);
}

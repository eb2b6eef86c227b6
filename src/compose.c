/* compose.c - typesetting: the total-fit composer, justified and ragged.
 * Shapes a paragraph once (paralayout.c), turns it into boxes, glue and
 * penalties (with letter spacing, font expansion, kashida and optical
 * margins), has linebreak.c choose all its breaks together (in its ragged
 * mode for text that is not justified), and cuts each line's glyphs from
 * that one shaping and spaces them (lineset.c). Called by para.c; writes
 * the text's lines. */
#include "para_int.h"
#include "linebreak.h"
#include <stdlib.h>
#include <string.h>

/* Optical margin alignment: how far a character at the start (left) or end
 * (right) of a line may hang into the margin, in thousandths of its width.
 * These are microtype's defaults (R. Schlicht, microtype.cfg, the protrusion
 * set "default"), with the same values for the Unicode forms of its
 * quotes and dashes. */
static const struct {
    gunichar c;
    short left, right;
} protrusions[] = {
    {'A', 50, 50}, {'F', 0, 50}, {'J', 50, 0}, {'K', 0, 50}, {'L', 0, 50}, {'T', 50, 50},
    {'V', 50, 50}, {'W', 50, 50}, {'X', 50, 50}, {'Y', 50, 50}, {'k', 0, 50}, {'r', 0, 50},
    {'v', 50, 50}, {'w', 50, 50}, {'x', 50, 50}, {'y', 0, 50}, {'1', 50, 50}, {'4', 50, 50},
    {'7', 50, 50}, {'.', 0, 700}, {',', 0, 500}, {':', 0, 500}, {';', 0, 300}, {'!', 0, 100},
    {'?', 0, 100}, {'@', 50, 50}, {'~', 200, 250}, {'%', 50, 50}, {'*', 200, 200}, {'+', 250, 250},
    {'(', 100, 0}, {')', 0, 200}, {'/', 100, 200}, {'-', 500, 500}, {0x2010, 500, 500},
    {0x2013, 200, 200}, {0x2014, 150, 150}, {0x2018, 300, 400}, {0x2019, 300, 400},
    {0x201C, 300, 300}, {0x201D, 300, 300}, {0x201A, 400, 400}, {0x201E, 400, 400},
    {0x2039, 400, 300}, {0x203A, 300, 400}, {0xAB, 200, 200}, {0xBB, 200, 200},
};

/* (every line's first and last characters are looked up: the ASCII ones
 * by a table made once) */
static short ascii_left[128], ascii_right[128];

static gpointer make_ascii(gpointer unused)
{
    (void)unused;
    for (size_t i = 0; i < sizeof protrusions / sizeof protrusions[0]; i++)
        if (protrusions[i].c < 128) {
            ascii_left[protrusions[i].c] = protrusions[i].left;
            ascii_right[protrusions[i].c] = protrusions[i].right;
        }
    return NULL;
}

static double protrusion(gunichar c, bool left)
{
    if (c < 128) {
        static GOnce once = G_ONCE_INIT;
        g_once(&once, make_ascii, NULL);
        return (left ? ascii_left[c] : ascii_right[c]) / 1000.0;
    }
    for (size_t i = 0; i < sizeof protrusions / sizeof protrusions[0]; i++)
        if (protrusions[i].c == c)
            return (left ? protrusions[i].left : protrusions[i].right) / 1000.0;
    return 0;
}

static bool rtl_script(gunichar c)
{
    switch (g_unichar_get_script(c)) {
    case G_UNICODE_SCRIPT_ARABIC: case G_UNICODE_SCRIPT_HEBREW: case G_UNICODE_SCRIPT_SYRIAC:
    case G_UNICODE_SCRIPT_THAANA: case G_UNICODE_SCRIPT_NKO: case G_UNICODE_SCRIPT_SAMARITAN:
    case G_UNICODE_SCRIPT_MANDAIC:
        return true;
    default:
        return false;
    }
}

/* Does the paragraph's first letter (its first strong character, as the
 * bidi algorithm finds its direction) belong to a right-to-left script? */
static bool starts_rtl(const char *s)
{
    for (; *s; s = g_utf8_next_char(s)) {
        gunichar c = g_utf8_get_char(s);
        if (g_unichar_isalpha(c))
            return rtl_script(c);
    }
    return false;
}

/* Can the total-fit composer set this text, justified or ragged? Scripts
 * written without spaces between words, tabs, line separators other than
 * '\n' and right-to-left paragraphs beside a drop cap are left to Pango's
 * breaker. Lines holding right-to-left text are shaped on their own, so
 * Pango orders them; a right-to-left paragraph's lines are set flush
 * right. */
static bool composable(const struct pr_typeset *ts, const struct pr_text *t, const struct pr_textopts *o)
{
    if (ts->L->composer != PR_COMPOSER_TOTAL_FIT || o->width <= 0)
        return false;
    /* right to left: not beside a drop cap */
    if ((o->dir == PR_DIR_RTL || starts_rtl(t->str)) && o->hang_lines > 0 && o->hang_width > 0)
        return false;
    for (const char *p = t->str; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c < 0x80) {
            if (c == '\t' || c == '\r' || c == '\v' || c == '\f')
                return false;
            continue;
        }
        if (c == 0x2028 || c == 0x2029 || c == 0x85)
            return false;
        switch (g_unichar_get_script(c)) {
        case G_UNICODE_SCRIPT_HAN: case G_UNICODE_SCRIPT_HIRAGANA: case G_UNICODE_SCRIPT_KATAKANA:
        case G_UNICODE_SCRIPT_THAI: case G_UNICODE_SCRIPT_LAO: case G_UNICODE_SCRIPT_KHMER:
        case G_UNICODE_SCRIPT_MYANMAR: case G_UNICODE_SCRIPT_TIBETAN: case G_UNICODE_SCRIPT_BOPOMOFO:
            return false;
        default:
            break;
        }
    }
    return true;
}

/* A hyphen shaped in a run's font. */
static PangoGlyphString *shape_hyphen(const PangoItem *item)
{
    PangoGlyphString *g = pango_glyph_string_new();
    pango_shape("-", 1, &item->analysis, g);
    return g;
}

/* Widths from the paragraph shaped as one line (pr_para_shape): w[i] is the
 * logical width of the character starting at byte i (a ligature's width is
 * shared among its characters, as Pango reports it). A soft hyphen's second
 * byte, which has no width of its own, holds the width of a hyphen in the
 * soft hyphen's font: what a line broken there adds. vis[i] (len + 2 bytes)
 * has bit 2 set where a character in a run whose glyphs may be spaced and
 * expanded starts, bit 4 where one in a bold face does, and bit 1
 * is set where a glyph cluster with an advance starts: the places letter
 * spacing may open (never inside a ligature). */
static double *measure(const struct pr_shaped *sh, const char *text, int len, unsigned char *vis)
{
    double *w = pr_xmalloc((size_t)(len + 2) * sizeof *w);
    memset(w, 0, (size_t)(len + 2) * sizeof *w);
    memset(vis, 0, (size_t)(len + 2));
    int *cw = NULL, cw_cap = 0;
    for (int r = 0; r < sh->n; r++) {
        PangoGlyphItem *run = sh->run[r];
        PangoItem *item = run->item;
        if (item->num_chars > cw_cap) {
            cw_cap = item->num_chars * 2;
            cw = pr_xrealloc(cw, (size_t)cw_cap * sizeof *cw);
        }
        pr_run_logical_widths(run, text, cw);
        const PangoGlyphString *gs = run->glyphs;
        for (int i = 0; i < gs->num_glyphs && pr_run_spaceable(item); i++)
            if (gs->glyphs[i].geometry.width > 0 && (i == 0 || gs->log_clusters[i] != gs->log_clusters[i - 1]) &&
                item->offset + gs->log_clusters[i] < len)
                vis[item->offset + gs->log_clusters[i]] |= 1;
        const char *p = text + item->offset;
        double hy = -1;
        bool ex = pr_run_spaceable(item);
        unsigned char flags = ex ? (unsigned char)(2 | (pr_run_bold(item) ? 4 : 0)) : 0;
        for (int k = 0; k < item->num_chars && p < text + len; k++, p = g_utf8_next_char(p)) {
            int at = (int)(p - text);
            w[at] = PT(cw[k]);
            vis[at] |= flags;
            if (SHY_AT(text, at)) {
                if (hy < 0) {
                    PangoGlyphString *g = shape_hyphen(item);
                    hy = PT(pango_glyph_string_get_width(g));
                    pango_glyph_string_free(g);
                }
                w[at + 1] = hy;
            }
        }
    }
    free(cw);
    return w;
}

/* The paragraph as boxes, glue and penalties, with the byte range each
 * node covers in t->str. */
struct para_nodes {
    struct pr_lb_node *v;
    int *pos, *end;
    int n, cap;
};

static struct pr_lb_node *push_node(struct para_nodes *pn, enum pr_lb_kind k, int pos, int end)
{
    if (pn->n == pn->cap) {
        pn->cap = pn->cap ? pn->cap * 2 : 64;
        pn->v = pr_xrealloc(pn->v, (size_t)pn->cap * sizeof *pn->v);
        pn->pos = pr_xrealloc(pn->pos, (size_t)pn->cap * sizeof *pn->pos);
        pn->end = pr_xrealloc(pn->end, (size_t)pn->cap * sizeof *pn->end);
    }
    struct pr_lb_node *v = &pn->v[pn->n];
    memset(v, 0, sizeof *v);
    v->kind = k;
    pn->pos[pn->n] = pos;
    pn->end[pn->n] = end;
    pn->n++;
    return v;
}

/* The character before byte i that ends a line's text (spaces aside), and
 * the byte it starts at; 0 when there is none. */
static gunichar char_before(const char *s, int from, int i, int *at)
{
    while (i > from && s[i - 1] == ' ')
        i--;
    if (i <= from)
        return 0;
    const char *p = g_utf8_find_prev_char(s + from, s + i);
    if (!p)
        return 0;
    *at = (int)(p - s);
    return g_utf8_get_char(p);
}

/* How far a line ending at node k may hang into the right margin, and the
 * line after it into the left one (optical margins). */
static void node_hangs(struct para_nodes *pn, int k, const char *s, const double *w, int next_box)
{
    struct pr_lb_node *v = &pn->v[k];
    int at = 0;
    if (v->kind == PR_LB_PENALTY && pn->end[k] - pn->pos[k] == 2 && SHY_AT(s, pn->pos[k]))
        v->hang_end = protrusion('-', false) * w[pn->pos[k] + 1];
    else {
        gunichar c = char_before(s, 0, pn->pos[k], &at);
        v->hang_end = c ? protrusion(c, false) * w[at] : 0;
    }
    if (next_box >= 0) {
        int b = pn->pos[next_box];
        v->hang_start = protrusion(g_utf8_get_char(s + b), true) * w[b];
    }
}

/* Boxes between break opportunities, with the letter gaps' stretch and
 * shrink (lg, Pango units; a bold face's own) for each letter gap in them
 * (between two glyph clusters of a word; the gap before a box's first
 * letter is the box's, a gap the face's before it); glue for word spaces
 * (stretch 1/2 and shrink 1/3 of their width, as TeX's fonts have it) that
 * may break where Pango's line-break rules (UAX #14) allow; a flagged
 * penalty with a hyphen's width at each soft hyphen; a penalty at other
 * opportunities (after a hyphen or a dash, flagged after a hyphen); a
 * forced break at each '\n'; TeX's ending (fill, forced break). */
static void build_nodes(struct para_nodes *pn, const struct pr_text *t, const double *w,
                        const unsigned char *vis, const PangoLogAttr *la, int nla,
                        bool hyphens, double pen, const struct pr_gaps *lg, double ex_stretch, double ex_shrink)
{
    const char *s = t->str;
    int len = t->len, ci = 0, box_start = -1, gaps = 0, bgaps = 0;
    bool after_letter = false, prev_bold = false;
    double gap_stretch = PT(lg->stretch), gap_shrink = PT(lg->shrink);
    double bold_stretch = PT(lg->bold_stretch), bold_shrink = PT(lg->bold_shrink);
    double box_w = 0, box_ex = 0;
#define FLUSH_BOX(at)                                                           \
    do {                                                                        \
        if (box_start >= 0) {                                                   \
            struct pr_lb_node *bx = push_node(pn, PR_LB_BOX, box_start, (at));  \
            bx->width = box_w;                                                  \
            bx->stretch = gaps * gap_stretch + bgaps * bold_stretch + box_ex * ex_stretch; \
            bx->shrink = gaps * gap_shrink + bgaps * bold_shrink + box_ex * ex_shrink;     \
        }                                                                       \
        box_start = -1;                                                         \
        box_w = 0;                                                              \
        box_ex = 0;                                                             \
        gaps = 0;                                                               \
        bgaps = 0;                                                              \
    } while (0)
    for (int i = 0; i < len;) {
        if (pr_space_at(s + i)) {
            FLUSH_BOX(i);
            int j = i, nch = 0;
            double gw = 0;
            while (j < len && pr_space_at(s + j)) {
                gw += w[j];
                j += s[j] == ' ' ? 1 : 2;
                nch++;
            }
            ci += nch;
            after_letter = false;
            struct pr_lb_node *g = push_node(pn, PR_LB_GLUE, i, j);
            g->width = gw;
            g->stretch = gw / 2;
            g->shrink = gw / 3;
            g->nobreak = j >= len || ci >= nla || !la[ci].is_line_break || s[j] == '\n';
            i = j;
            continue;
        }
        if (s[i] == '\n') {
            FLUSH_BOX(i);
            after_letter = false;
            struct pr_lb_node *g = push_node(pn, PR_LB_GLUE, i, i);
            g->stretch = 1e6;
            g->nobreak = true;
            push_node(pn, PR_LB_PENALTY, i, i + 1)->penalty = -PR_LB_INF;
            i++;
            ci++;
            continue;
        }
        if (SHY_AT(s, i)) {
            /* inside a ligature a soft hyphen has a share of its width */
            if (w[i] != 0) {
                if (box_start < 0)
                    box_start = i;
                box_w += w[i];
            }
            FLUSH_BOX(i);
            if (hyphens && ci + 1 < nla && la[ci + 1].is_line_break && i > 0 && i + 2 < len) {
                struct pr_lb_node *p = push_node(pn, PR_LB_PENALTY, i, i + 2);
                p->width = w[i + 1];
                p->penalty = pen;
                p->flagged = true;
            }
            i += 2;
            ci++;
            continue;
        }
        if (ci > 0 && ci < nla && la[ci].is_line_break && box_start >= 0) {
            int at = 0;
            gunichar prev = char_before(s, 0, i, &at);
            FLUSH_BOX(i);
            struct pr_lb_node *p = push_node(pn, PR_LB_PENALTY, i, i);
            p->penalty = pen;
            p->flagged = prev == '-' || prev == 0x2010;
        }
        if (box_start < 0)
            box_start = i;
        box_w += w[i];
        if (vis[i] & 2)
            box_ex += w[i];
        if (vis[i] & 1) {
            /* a gap is the face's before it (lineset.c widens that glyph) */
            if (after_letter && prev_bold)
                bgaps++;
            else if (after_letter)
                gaps++;
            after_letter = true;
            prev_bold = (vis[i] & 4) != 0;
        }
        i = (int)(g_utf8_next_char(s + i) - s);
        ci++;
    }
    FLUSH_BOX(len);
#undef FLUSH_BOX
    struct pr_lb_node *fill = push_node(pn, PR_LB_GLUE, len, len);
    fill->stretch = 1e6;
    fill->nobreak = true;
    push_node(pn, PR_LB_PENALTY, len, len)->penalty = -PR_LB_INF;
}

/* Optical margins: how far the line ending at each break may hang into
 * the right margin and the next one into the left (node_hangs). */
static void margin_hangs(struct para_nodes *pn, const char *s, const double *w)
{
    int next_box = -1;
    for (int k = pn->n - 1; k >= 0; k--) {
        if (pn->v[k].kind != PR_LB_BOX)
            node_hangs(pn, k, s, w, next_box);
        else
            next_box = k;
    }
}

/* First glyph of g whose cluster starts at or after byte `rel` of its item
 * (log clusters ascend: a left-to-right run). */
static int glyph_at(const PangoGlyphString *g, int rel)
{
    int lo = 0, hi = g->num_glyphs;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (g->log_clusters[mid] < rel)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The glyphs of a left-to-right run that set bytes [s, e) of the text, as
 * a new glyph item. NULL when s or e falls inside a cluster (a ligature
 * across a soft hyphen), so the line must be shaped on its own. */
static PangoGlyphItem *slice_run(const PangoGlyphItem *g, const char *text, int s, int e, bool *bad)
{
    const PangoGlyphString *gs = g->glyphs;
    int off = g->item->offset, len = g->item->length;
    int rs = s > off ? s - off : 0, re = e < off + len ? e - off : len;
    if (rs >= re)
        return NULL;
    int a = glyph_at(gs, rs), b = glyph_at(gs, re);
    if ((rs > 0 && (a == gs->num_glyphs || gs->log_clusters[a] != rs)) ||
        (re < len && (b == gs->num_glyphs || gs->log_clusters[b] != re))) {
        *bad = true;
        return NULL;
    }
    PangoGlyphItem *n = g_slice_new0(PangoGlyphItem);
    n->item = pango_item_copy(g->item);
    n->item->offset = off + rs;
    n->item->length = re - rs;
    n->item->num_chars = pr_utf8_chars(text + off + rs, re - rs);
    /* exactly b - a glyphs (pango_glyph_string_set_size would round the
     * space up to a power of two: a third more memory for every line) */
    n->glyphs = pango_glyph_string_new();
    n->glyphs->glyphs = g_new(PangoGlyphInfo, b - a > 0 ? b - a : 1);
    n->glyphs->log_clusters = g_new(int, b - a > 0 ? b - a : 1);
    n->glyphs->space = b - a > 0 ? b - a : 1;
    n->glyphs->num_glyphs = b - a;
    memcpy(n->glyphs->glyphs, gs->glyphs + a, (size_t)(b - a) * sizeof *gs->glyphs);
    for (int i = a; i < b; i++)
        n->glyphs->log_clusters[i - a] = gs->log_clusters[i] - rs;
    n->y_offset = g->y_offset;
    n->start_x_offset = rs == 0 ? g->start_x_offset : 0;
    n->end_x_offset = re == len ? g->end_x_offset : 0;
    return n;
}

/* The hyphen shown where a line breaks at the soft hyphen at byte `at`:
 * a run of its own, shaped in the font of the run that holds it. */
static void add_hyphen(struct pr_tline *tl, const struct pr_shaped *sh, int at)
{
    const PangoGlyphItem *src = NULL;
    for (int k = 0; k < sh->n && !src; k++)
        if (sh->run[k]->item->offset <= at && at < sh->run[k]->item->offset + sh->run[k]->item->length)
            src = sh->run[k];
    if (!src)
        return;
    PangoGlyphItem *h = g_slice_new0(PangoGlyphItem);
    h->item = pango_item_copy(src->item);
    h->item->offset = at;
    h->item->length = 2;
    h->item->num_chars = 1;
    h->glyphs = shape_hyphen(src->item);
    for (int i = 0; i < h->glyphs->num_glyphs; i++)
        h->glyphs->log_clusters[i] = 0;
    h->y_offset = src->y_offset;
    pr_tline_push_run(tl, h, true);
}

/* Cut the line t->str [s, e) from the paragraph's shaping; false (and no
 * runs) when a bound falls inside a cluster or a run is right-to-left.
 * *from is the first run that may still hold text; it moves on. */
static bool cut_line(struct pr_tline *tl, const struct pr_shaped *sh, const char *text, int s, int e, int *from)
{
    while (*from < sh->n && sh->run[*from]->item->offset + sh->run[*from]->item->length <= s)
        (*from)++;
    bool bad = false;
    for (int k = *from; k < sh->n && !bad; k++) {
        const PangoGlyphItem *g = sh->run[k];
        if (g->item->offset >= e)
            break;
        if (g->item->analysis.level & 1) {
            bad = true;
            break;
        }
        PangoGlyphItem *piece = slice_run(g, text, s, e, &bad);
        if (piece)
            pr_tline_push_run(tl, piece, false);
    }
    if (bad)
        pr_tline_free_runs(tl);
    return !bad;
}

/* Shape the line t->str [s, e) on its own (for a line whose bounds split a
 * ligature): its runs, copied from a one-line layout. */
static bool shape_line(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o, struct pr_tline *tl,
                       int s, int e, bool rtl)
{
    /* the paragraph's direction, even for a line that starts with a word
     * of the other one (the context is this thread's own) */
    PangoDirection keep = pango_context_get_base_dir(ts->ctx);
    pango_context_set_base_dir(ts->ctx, rtl ? PANGO_DIRECTION_RTL : PANGO_DIRECTION_LTR);
    PangoLayout *l = pr_para_layout(ts, t, o, s, e);
    pango_layout_set_auto_dir(l, FALSE);
    GSList *lines = pango_layout_get_lines_readonly(l);
    bool one = lines && !lines->next;
    if (one)
        pr_tline_copy_runs(tl, lines->data, s);
    g_object_unref(l);
    pango_context_set_base_dir(ts->ctx, keep);
    return one;
}

/* ---------- composing a paragraph ---------- */

/* A paragraph being composed: shaped once, as widths and nodes, and the
 * line lengths and parameters its breaks are chosen with. */
struct composition {
    bool rtl;                     /* right to left: flush right, no hyphen breaks, no hanging */
    bool ragged;                  /* not justified: word spaces and letters at their widths */
    struct pr_shaped sh;          /* the paragraph shaped as one line */
    double *w;                    /* width per byte (measure) */
    unsigned char *kp;            /* justified Arabic: each word's kashida place (kashida.c), */
    double *kw;                   /* per byte; NULL: none */
    struct para_nodes pn;
    double em;                    /* the paragraph's font size, pt */
    struct pr_gaps gaps;          /* per letter gap, Pango units */
    double ex_stretch, ex_shrink; /* font expansion, a fraction of the glyphs' width */
    int hang_lines;               /* lines beside a drop cap */
    double *widths;               /* line lengths */
    int nwidths;
    double measure;               /* the measure they are set at (balanced: narrower than o->width) */
    struct pr_lb_params lp;
};

/* Justified right-to-left text: a word with a kashida place (kashida.c)
 * stretches by up to PR_KASHIDA_MAX tatweels there, with its line's word
 * spaces, as letter spacing does in other scripts (linebreak.h: up to
 * r = 1, then the spaces alone). */
static void kashida_stretch(const struct pr_text *t, struct composition *c)
{
    c->kp = pr_xmalloc((size_t)t->len + 2);
    memset(c->kp, 0, (size_t)t->len + 2);
    c->kw = pr_xmalloc((size_t)(t->len + 2) * sizeof *c->kw);
    memset(c->kw, 0, (size_t)(t->len + 2) * sizeof *c->kw);
    pr_kashida_places(c->sh.run, c->sh.n, t->str, c->kp, c->kw);
    for (int k = 0; k < c->pn.n; k++)
        for (int b = c->pn.pos[k]; c->pn.v[k].kind == PR_LB_BOX && b < c->pn.end[k]; b++)
            if (c->kp[b])
                c->pn.v[k].stretch += PR_KASHIDA_MAX * c->kw[b];
}

/* What a hyphen costs ragged text at least (the layout's penalty, if higher) */
#define RAGGED_HYPHEN_PENALTY 100

/* Shape the paragraph once and make its nodes. */
static void shape_nodes(struct pr_typeset *ts, const struct pr_text *t, const struct pr_textopts *o,
                        struct composition *c)
{
    const struct pr_layout *L = ts->L;
    pr_para_shape(ts, t, o, &c->sh);
    unsigned char *vis = pr_xmalloc((size_t)t->len + 2);
    c->w = measure(&c->sh, t->str, t->len, vis);
    int nla = c->sh.nla;
    const PangoLogAttr *la = c->sh.la;
    /* letter spacing per gap, in the paragraph's em, as whole Pango units
     * so that the composer and pr_tline_fit() count the same */
    c->em = o->font->size * (o->scale > 0 ? o->scale : 1.0);
    /* rounded down: never past the layout's limit */
    c->gaps.stretch = (int)floor(L->letter_stretch / 1000.0 * c->em * PANGO_SCALE);
    c->gaps.shrink = (int)floor(L->letter_shrink / 1000.0 * c->em * PANGO_SCALE);
    c->gaps.bold_stretch = (int)floor(MIN(L->letter_stretch, L->letter_bold) / 1000.0 * c->em * PANGO_SCALE);
    c->gaps.bold_shrink = (int)floor(MIN(L->letter_shrink, L->letter_bold) / 1000.0 * c->em * PANGO_SCALE);
    /* font expansion: a fraction of the glyphs' width, in steps of 0.005 */
    c->ex_stretch = L->expand_stretch / 1000.0;
    c->ex_shrink = L->expand_shrink / 1000.0;
    /* ragged text keeps its letters and glyphs as they are, and a hyphen
     * costs it more: a line short by the whole rag zone (badness 100)
     * about as much as a hyphen; measured on a ragged test issue (a
     * magazine's 3 and 4 columns): 42 hyphenated lines of 395 against
     * Pango's 67 of 372, the rag 0.051 against 0.065 (penalty 150: 35
     * lines, 0.053; 50: 58, 0.053) */
    double pen = L->hyphen_penalty;
    if (c->ragged) {
        memset(&c->gaps, 0, sizeof c->gaps);
        c->ex_stretch = c->ex_shrink = 0;
        pen = fmax(pen, RAGGED_HYPHEN_PENALTY);
    }
    build_nodes(&c->pn, t, c->w, vis, la, nla, !c->rtl, pen, &c->gaps, c->ex_stretch, c->ex_shrink);
    if (c->rtl && !c->ragged && L->kashida)
        kashida_stretch(t, c);
    if (L->optical_margins && !c->rtl && !c->ragged)
        margin_hangs(&c->pn, t->str, c->w);
    free(vis);
}

/* Ragged text: total-fit in TeX's ragged-right mode (linebreak.h). The
 * rag zone is a sixth of the measure, at least two ems (a magazine
 * column of 12-17 ems: about one long word); a line twice that short is
 * past the tolerance (the second pass takes it when nothing else will
 * do). A line whose length differs from the one before's by the whole
 * zone costs as much as a hyphen at the penalty 150 (4 * 150^2 times the
 * excess over half the zone, squared), a third line in a stair-step as
 * much again; at most one hyphenated line in a row. Measured on a ragged
 * test issue: without the rag demerits the mean difference between
 * neighbouring lines is 0.066 of the measure, the most 0.297; with them
 * 0.058 and 0.264 (zone 3 em; the zone of 2 em and the penalty 100 make
 * it 0.051). No emergency shrink
 * or loose demerits: a ragged line has no spaces to stretch. */
static void ragged_params(const struct pr_textopts *o, struct composition *c)
{
    struct pr_lb_params *lp = &c->lp;
    double em = o->font->size * (o->scale > 0 ? o->scale : 1.0);
    lp->ragged = fmax(2 * em, o->width / 6);
    lp->tolerance = 2;
    lp->loose_demerits = 0;
    lp->emergency_shrink = 0;
    lp->adj_demerits = 0;
    lp->rag_demerits = 4 * 150 * 150;
    lp->stair_demerits = 150 * 150;
    lp->max_hyphen_run = 1;
}

/* The line lengths at a measure: narrower beside a drop cap, the first
 * less its indent. */
static void set_measure(const struct pr_textopts *o, struct composition *c, double measure)
{
    c->measure = measure;
    for (int i = 0; i < c->nwidths; i++)
        c->widths[i] = measure - (i < c->hang_lines ? o->hang_width : 0) - (i == 0 ? o->indent : 0);
}

/* The line lengths and the parameters the breaks are chosen with. */
static void break_params(const struct pr_typeset *ts, const struct pr_text *t, const struct pr_textopts *o,
                         struct composition *c)
{
    const struct pr_layout *L = ts->L;
    c->hang_lines = o->hang_width > 0 ? o->hang_lines : 0;
    c->nwidths = (c->hang_lines > 1 ? c->hang_lines : 1) + 1;
    c->widths = pr_xmalloc((size_t)c->nwidths * sizeof *c->widths);
    set_measure(o, c, o->width);
    struct pr_lb_params *lp = &c->lp;
    *lp = pr_linebreak_defaults();
    lp->tolerance = L->tolerance;
    lp->widths = c->widths;
    lp->nwidths = c->nwidths;
    lp->plain_lines = c->hang_lines;
    /* for when nothing fits the tolerance, half an em of emergency stretch
     * (measured on the sample and a generated issue: more lets hyphens
     * give way to loose lines, less leaves lines of one word); at most
     * two hyphens in a row (the sample: 10 more loose lines of 933 than with
     * InDesign's default of three, no ladder of three); a last line shorter than
     * 2.5 em (about five letters, a runt) costs as much as a line with
     * spaces at about 165 % (measured: runts a third as often, loose lines
     * 2 % more often) */
    lp->emergency_stretch = 0.5 * o->font->size * (o->scale > 0 ? o->scale : 1.0);
    lp->max_hyphen_run = 2;
    lp->short_last_line = 2.5 * o->font->size * (o->scale > 0 ? o->scale : 1.0);
    lp->runt_demerits = 50000;
    /* a line whose word spaces must grow past half their width (r > 1,
     * the letters already at their limit) shows holes: it costs as much
     * extra as a line at r = 2.15 (measured with letter spacing 10/30 on
     * the sample: 47 -> 39 loose lines of 918; the generated issue 58 ->
     * 55; more changes nothing, since what remains has no better breaks) */
    lp->loose_demerits = 1e6;
    /* with letters spaced at most 10/1000 em (5 in bold), some paragraphs
     * have no breaks without a loose line; a second pass may then let a
     * line's word spaces shrink a fifth of their shrink further (to 0.6
     * of their width at most), a tight line counting half a loose one,
     * and its breaks are taken when they have fewer such lines (measured
     * with letter spacing 10/10, bold 5: the sample 14 -> 12 loose lines of
     * 902; the generated 16-article issue 24 -> 18 of 4691, its widest
     * spaces 3.0 -> 2.02). Further would do more (0.5: 6 and 8 lines) but
     * pdftotext then runs words together: at 0.25 already, on a list
     * item's line (tests/pdf: every source word in order) */
    lp->emergency_shrink = 0.2;
    lp->looseness = o->looseness;
    if (L->optical_margins && !c->rtl && !c->ragged && o->indent <= 0 && t->len > 0)
        lp->hang_first = protrusion(g_utf8_get_char(t->str), true) * c->w[0];
    if (c->ragged)
        ragged_params(o, c);
}

/* Set line i, from the break at node a (-1: the paragraph's start) to the
 * one at node b: cut its glyphs from the paragraph's shaping (or shape it
 * on its own), add the hyphen of a soft-hyphen break, space it to its
 * length and take its height. *from is cut_line's. False when the line
 * could not be shaped (it is set anyway). A line whose word spaces would
 * have to grow past MAX_SPACE_RATIO times their width (r past
 * 2 * (MAX_SPACE_RATIO - 1): one or two words and a long one after them)
 * is not justified but set flush, as InDesign's single-word justification
 * does: a hole at the line's end rather than between its words. */
#define MAX_SPACE_RATIO 2.5
static bool set_line(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o,
                     const struct composition *c, int i, int a, int b, double ratio, int *from)
{
    const struct para_nodes *pn = &c->pn;
    int first = a + 1;
    while (first < b && pn->v[first].kind != PR_LB_BOX)
        first++;
    int s = first < b ? pn->pos[first] : pn->pos[b];
    const struct pr_lb_node *v = &pn->v[b];
    bool shy = v->kind == PR_LB_PENALTY && pn->end[b] - pn->pos[b] == 2 && SHY_AT(t->str, pn->pos[b]);
    int e = shy ? pn->end[b] : pn->pos[b];
    bool forced = v->kind == PR_LB_PENALTY && v->penalty <= -PR_LB_INF;
    double hs = i < c->hang_lines ? 0 : a < 0 ? c->lp.hang_first : pn->v[a].hang_start;
    double x = (i < c->hang_lines ? o->hang_width : 0) + (i == 0 ? o->indent : 0) - hs;
    double avail = c->widths[i < c->nwidths ? i : c->nwidths - 1] + hs + v->hang_end;
    if (e < s)
        e = s;
    t->lines = pr_xrealloc(t->lines, (size_t)(t->nlines + 1) * sizeof *t->lines);
    struct pr_tline *tl = &t->lines[t->nlines++];
    memset(tl, 0, sizeof *tl);
    tl->x = x;
    tl->start = s;
    tl->len = e - s;
    tl->hyphenated = shy;
    bool ok = (!c->rtl && cut_line(tl, &c->sh, t->str, s, shy ? e - 2 : e, from)) ||
              shape_line(ts, t, o, tl, s, shy ? e - 2 : e, c->rtl);
    if (shy)
        add_hyphen(tl, &c->sh, e - 2);
    bool justify = !forced && !c->ragged && ratio <= 2 * (MAX_SPACE_RATIO - 1);
    if (justify && c->kp)
        pr_kashida_set(tl, t->str, c->kp, avail);
    pr_tline_fit(tl, t->str, avail, justify, &c->gaps, c->ex_stretch, c->ex_shrink, c->em);
    /* ragged: centred, or flush right (a right-to-left paragraph's lines
     * always are: its start, and where galley.c sets its headings; Pango
     * would swap a right alignment to the left) */
    /* (a balanced text's narrower measure is placed in the full one as
     * its alignment says) */
    double spare = o->width - c->measure;
    if (c->ragged && o->align == PR_ALIGN_CENTER)
        tl->x = x + spare / 2 + (avail - tl->width) / 2;
    else if (c->rtl) /* flush right: the indent, if any, on the right */
        tl->x = o->width - (i == 0 ? o->indent : 0) - tl->width;
    else if (c->ragged && o->align == PR_ALIGN_RIGHT)
        tl->x = x + spare + avail - tl->width;
    if (!pr_tline_extents(tl)) {
        /* an empty line (two forced breaks in a row) is as tall as the
         * paragraph's first font */
        struct pr_tline probe = {0};
        PangoGlyphItem *g0 = c->sh.n ? c->sh.run[0] : NULL;
        if (g0) {
            probe.runs = &(struct pr_trun){.gi = (PangoGlyphItem *)g0, .xscale = 1};
            probe.nruns = 1;
            pr_tline_extents(&probe);
        }
        tl->ascent = probe.ascent;
        tl->descent = probe.descent;
    }
    return ok;
}

static void composition_free(struct composition *c)
{
    free(c->widths);
    free(c->pn.v);
    free(c->pn.pos);
    free(c->pn.end);
    free(c->w);
    free(c->kp);
    free(c->kw);
    pr_para_shape_free(&c->sh);
}

/* The breaks at the composition's measure; 0 and no lines when a line is
 * overfull (a word wider than the measure: Pango's to break). */
static int breaks(struct composition *c, struct pr_lb_line **lines)
{
    bool emergency = false;
    int n = pr_linebreak_run(c->pn.v, c->pn.n, &c->lp, lines, &emergency);
    for (int i = 0; i < n; i++)
        if ((*lines)[i].overfull) {
            free(*lines);
            *lines = NULL;
            return 0;
        }
    return n;
}

/* Balanced display lines (o->balance: text-wrap: balance, as Chromium
 * does it, and parabreak.c for Pango's breaker): the narrowest measure at
 * which the composer still breaks the text into as many lines as at the
 * full one, found by bisection to a tenth of a point; the lines then come
 * out about as long as each other, the last no longer a word left over.
 * (Rating every line, the last too, against the full measure instead gave
 * pull quotes as stairs, and the ragged rag demerits could not undo it.)
 * Replaces *lines (n of them) with those at that measure. */
static int balance(struct composition *c, const struct pr_textopts *o, int n, struct pr_lb_line **lines)
{
    if (!c->ragged || !o->balance || n < 2 || c->hang_lines > 0)
        return n;
    double total = 0;
    for (int k = 0; k < c->pn.n; k++)
        total += c->pn.v[k].kind != PR_LB_PENALTY ? c->pn.v[k].width : 0;
    double lo = fmax(total / n - 1, 1), hi = o->width;
    while (hi - lo > 0.1) {
        double mid = (lo + hi) / 2;
        struct pr_lb_line *l = NULL;
        set_measure(o, c, mid);
        if (breaks(c, &l) == n)
            hi = mid;
        else
            lo = mid;
        free(l);
    }
    set_measure(o, c, hi);
    struct pr_lb_line *l = NULL;
    int m = breaks(c, &l);
    if (m != n) { /* (the line count is not always monotone in the measure) */
        free(l);
        set_measure(o, c, o->width);
        return n;
    }
    free(*lines);
    *lines = l;
    return m;
}

/* The total-fit composer: shape the paragraph once with Pango, choose all
 * its breaks together (linebreak.c), cut each line's glyphs from that one
 * shaping and space them to the widths the breaks imply. Returns false
 * (and leaves no lines) when the paragraph should go to Pango's breaker: a
 * script or character the composer does not handle, or a word wider than
 * the measure (Pango breaks inside it). */
bool pr_para_compose(struct pr_typeset *ts, struct pr_text *t, const struct pr_textopts *o)
{
    if (!composable(ts, t, o))
        return false;
    /* right to left: lines flush right, no hyphen breaks (a hyphen's place
     * in a mixed line is Pango's to find), no margin hanging */
    struct composition c = {0};
    c.rtl = o->dir == PR_DIR_RTL || starts_rtl(t->str);
    c.ragged = o->align != PR_ALIGN_JUSTIFY;
    shape_nodes(ts, t, o, &c);
    break_params(ts, t, o, &c);
    struct pr_lb_line *lines = NULL;
    /* an overfull line (a word wider than the measure) goes to Pango */
    int n = balance(&c, o, breaks(&c, &lines), &lines);
    bool ok = n > 0;
    int a = -1, from = 0;
    for (int i = 0; ok && i < n; i++) {
        ok = set_line(ts, t, o, &c, i, a, lines[i].end, lines[i].ratio, &from);
        a = lines[i].end;
    }
    if (!ok)
        pr_para_clear_lines(t);
    free(lines);
    composition_free(&c);
    return ok;
}

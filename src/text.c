/* text.c - typeset text, read only: a line's plain text (for the layout
 * dump), a one-line text's ink box (drop caps) and the extents of a byte
 * range in a line (link areas), the clusters a PDF's text reads as. Reads
 * struct pr_text (text.h) as para.c set it; called by pages.c, paint.c and
 * pdftext.c. */
#include "text.h"
#include "arena.h"
#include <math.h>

#define PT(x) ((double)(x) / PANGO_SCALE)

const char *pr_text_preview(struct pr_arena *a, const struct pr_text *t, int line)
{
    const struct pr_tline *tl = &t->lines[line];
    char *out = pr_arena_alloc(a, (size_t)tl->len + 2);
    int o = 0;
    for (int i = 0; i < tl->len; i++) {
        const unsigned char *c = (const unsigned char *)t->str + tl->start + i;
        if (c[0] == 0xC2 && i + 1 < tl->len && c[1] == 0xAD) {
            if (i + 2 == tl->len && tl->hyphenated)
                out[o++] = '-';
            i++;
            continue;
        }
        if (c[0] == '\n')
            continue;
        out[o++] = (char)c[0];
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = 0;
    return out;
}

void pr_text_ink(const struct pr_text *t, double *top, double *bottom, double *left, double *width)
{
    *top = *bottom = *left = *width = 0;
    if (t->nlines == 0)
        return;
    const struct pr_tline *tl = &t->lines[0];
    double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
    bool any = false;
    for (int k = 0; k < tl->nruns; k++) {
        const PangoGlyphItem *g = tl->runs[k].gi;
        PangoRectangle ink;
        pango_glyph_string_extents(g->glyphs, g->item->analysis.font, &ink, NULL);
        if (ink.width <= 0 || ink.height <= 0)
            continue;
        double ax = tl->runs[k].x + PT(ink.x), ay = PT(ink.y - g->y_offset);
        double bx = ax + PT(ink.width), by = ay + PT(ink.height);
        x0 = any ? fmin(x0, ax) : ax;
        y0 = any ? fmin(y0, ay) : ay;
        x1 = any ? fmax(x1, bx) : bx;
        y1 = any ? fmax(y1, by) : by;
        any = true;
    }
    *top = y0;
    *bottom = y1;
    *left = x0;
    *width = x1 - x0;
}

int pr_text_x_ranges(const struct pr_text *t, int line, int s, int e, double *x, int max)
{
    const struct pr_tline *tl = &t->lines[line];
    int n = 0;
    bool open = false;
    for (int k = 0; k < tl->nruns; k++) {
        const struct pr_trun *r = &tl->runs[k];
        const PangoGlyphString *gs = r->gi->glyphs;
        double gx = r->x;
        for (int i = 0; i < gs->num_glyphs; i++) {
            int at = r->gi->item->offset + gs->log_clusters[i];
            double gw = PT(gs->glyphs[i].geometry.width);
            bool in = !r->hyphen && at >= s && at < e;
            if (in && !open && n < max) {
                x[2 * n] = gx;
                x[2 * n + 1] = gx + gw;
                n++;
                open = true;
            } else if (in && open)
                x[2 * n - 1] = gx + gw;
            else
                open = false;
            gx += gw;
        }
    }
    return n;
}

int pr_text_span_x_ranges(const struct pr_text *t, int line, const struct pr_span *sp, double *x, int max)
{
    const struct pr_tline *tl = &t->lines[line];
    int s = sp->start > tl->start ? sp->start : tl->start;
    int e = sp->end < tl->start + tl->len ? sp->end : tl->start + tl->len;
    return s < e ? pr_text_x_ranges(t, line, s, e, x, max) : 0;
}

int pr_run_cluster_end(const PangoGlyphString *gs, const char *item_text, int i, bool words)
{
    int n = gs->num_glyphs, j = i + 1, start = gs->log_clusters[i];
    if (words) {
        bool space = item_text[start] == ' ';
        while (j < n && (item_text[gs->log_clusters[j]] == ' ') == space)
            j++;
    } else
        while (j < n && gs->log_clusters[j] == start)
            j++;
    return j;
}

int pr_cluster_text(const char *item_text, int start, int end, bool shown, char *out)
{
    int n = 0;
    for (int b = start; b < end; b++) {
        if ((unsigned char)item_text[b] == 0xC2 && b + 1 < end && (unsigned char)item_text[b + 1] == 0xAD &&
            !(shown && end - start == 2)) {
            b++;
            continue;
        }
        out[n++] = item_text[b];
    }
    return n;
}

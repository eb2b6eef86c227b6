/* table.c - typesetting, tables: a GFM table (PR_BLK_TABLE of the document
 * model) as flow items. Measures its columns, gives them widths (in a
 * column, across the page, or wrapped when even the page is too narrow),
 * sets its cells in the layout's table font with tabular lining figures,
 * numbers aligned on the decimal point, its caption above it and its rules
 * in the layout's table style. Called by galley.c for each table of a
 * body; writes items (typeset.h) that flow.c places and pages.c makes
 * into boxes, all in the galley's arena. */
#include "typeset.h"
#include <math.h>
#include <string.h>

#define EPS 0.01
#define HUGE_MEASURE 100000.0

struct col {
    double minw, maxw;     /* its longest word's and its natural width, padding included */
    bool numeric;          /* every body cell a number (or empty, or a dash) */
    double ipart, fpart;   /* numeric: the widest part of a number before, and from, its
                              decimal point */
    enum pr_align align;
    bool fixed;            /* keeps its natural width when the table is squeezed */
    double x, w;           /* as set */
};

struct tab {
    struct pr_typeset *ts;
    struct pr_arena *A;
    const struct pr_block *tb;
    const char *lang;
    const char *note_prefix;
    struct pr_font body, head; /* the cells' fonts (the header's bold) */
    double pad, vpad;      /* a cell's padding left and right, a row's above and below */
    char decimal;          /* the decimal point: '.', or ',' in languages that write 3,5 */
    struct col *cols;
    double width;          /* the table's */
    struct pr_text **cell; /* rows * cols, as set (NULL: empty) */
    double *point;         /* numeric cells: the decimal point's x from the box's x (-1: none) */
    /* the structure: Table, its Caption, a TR per row, a TH or TD per cell
     * (NULL: untagged); the header's cells are content the first time
     * they are set, artifacts when repeated */
    struct pr_tag *table, *caption, **row, **celltag;
    bool head_set;
};

/* ---------- what a cell holds ---------- */

static const struct pr_inline *cell_inlines(const struct tab *t, int r, int c)
{
    return t->tb->cells[r * t->tb->cols + c];
}

/* Languages that write a decimal comma (3,5). */
static char decimal_mark(const char *lang)
{
    static const char *const comma[] = {"de", "fr", "es", "it", "pt", "nl", "ru", "pl", "cs", "sk", "sv", "da",
                                        "nb", "nn", "no", "fi", "tr", "el", "hu", "ro", "uk", "ca", NULL};
    for (int i = 0; lang && comma[i]; i++)
        if (strncmp(lang, comma[i], 2) == 0 && (lang[2] == 0 || lang[2] == '-' || lang[2] == '_'))
            return ',';
    return '.';
}

/* The byte in t's first line where a number's decimal part starts: its
 * decimal point, else just after its last digit; -1 when it has no digit. */
static int point_at(const struct pr_text *t, char decimal)
{
    if (t->nlines == 0)
        return -1;
    const struct pr_tline *tl = &t->lines[0];
    int end = tl->start + tl->len, last = -1;
    for (int i = tl->start; i < end; i++) {
        char ch = t->str[i];
        if (ch == decimal && i + 1 < end && t->str[i + 1] >= '0' && t->str[i + 1] <= '9')
            return i;
        if (ch >= '0' && ch <= '9')
            last = i + 1;
    }
    return last;
}

/* ---------- setting cells ---------- */

static struct pr_text *set_cell(struct tab *t, int r, int c, double width)
{
    const struct pr_inline *in = cell_inlines(t, r, c);
    if (!in)
        return NULL;
    struct pr_textopts o = pr_topts(t->ts, r == 0 ? &t->head : &t->body, width, PR_ALIGN_LEFT, t->lang);
    o.hyphenate = !t->cols[c].numeric && width < HUGE_MEASURE;
    o.figures = true;
    o.note_prefix = t->note_prefix;
    struct pr_text *x = pr_text_inlines(t->ts, in, &o);
    return x->nlines ? x : NULL;
}

static double text_width(const struct pr_text *x)
{
    double w = 0;
    for (int i = 0; x && i < x->nlines; i++)
        w = fmax(w, x->lines[i].x + x->lines[i].width);
    return w;
}

/* The widest word of a cell: its plain text, a word a line. */
static double widest_word(struct tab *t, int r, int c)
{
    const struct pr_inline *in = cell_inlines(t, r, c);
    if (!in)
        return 0;
    char *s = pr_inlines_plain(t->A, in);
    for (char *p = s; *p; p++)
        if (*p == ' ')
            *p = '\n';
    struct pr_textopts o = pr_topts(t->ts, r == 0 ? &t->head : &t->body, HUGE_MEASURE, PR_ALIGN_LEFT, t->lang);
    o.figures = true;
    return text_width(pr_text_plain(t->ts, s, &o));
}

/* How each column aligns: as its delimiter row says, else numbers right. */
static void classify(struct tab *t)
{
    const struct pr_block *tb = t->tb;
    for (int c = 0; c < tb->cols; c++) {
        struct col *k = &t->cols[c];
        k->numeric = tb->numeric && tb->numeric[c];
        switch (tb->align[c]) {
        case PR_CELL_LEFT:
            k->align = PR_ALIGN_LEFT;
            break;
        case PR_CELL_CENTER:
            k->align = PR_ALIGN_CENTER;
            break;
        case PR_CELL_RIGHT:
            k->align = PR_ALIGN_RIGHT;
            break;
        case PR_CELL_NONE:
            k->align = k->numeric ? PR_ALIGN_RIGHT : PR_ALIGN_LEFT;
            break;
        }
    }
}

/* Each column's natural width (its cells on one line; numbers by their
 * parts before and after the decimal point, as they will be aligned). */
static void measure(struct tab *t)
{
    const struct pr_block *tb = t->tb;
    for (int c = 0; c < tb->cols; c++) {
        struct col *k = &t->cols[c];
        double head = 0, widest = 0;
        for (int r = 0; r < tb->rows; r++) {
            struct pr_text *x = set_cell(t, r, c, HUGE_MEASURE);
            t->cell[r * tb->cols + c] = x;
            double w = text_width(x);
            int p = r > 0 && k->numeric && x ? point_at(x, t->decimal) : -1;
            if (p >= 0) {
                double rg[4];
                int n = pr_text_x_ranges(x, 0, p, x->lines[0].start + x->lines[0].len, rg, 2);
                double at = n ? rg[0] : x->lines[0].width;
                t->point[r * tb->cols + c] = at;
                k->ipart = fmax(k->ipart, x->lines[0].x + at);
                k->fpart = fmax(k->fpart, x->lines[0].width - at);
            } else if (r == 0)
                head = w;
            else
                widest = fmax(widest, w);
        }
        k->maxw = fmax(fmax(head, widest), k->ipart + k->fpart) + 2 * t->pad;
    }
}

/* Each column's narrowest width: its longest word (numbers do not wrap);
 * returns their sum. */
static double min_widths(struct tab *t)
{
    const struct pr_block *tb = t->tb;
    double sum = 0;
    for (int c = 0; c < tb->cols; c++) {
        struct col *k = &t->cols[c];
        double w = 0;
        for (int r = 0; r < tb->rows && !k->numeric; r++)
            w = fmax(w, widest_word(t, r, c));
        k->minw = k->numeric ? k->maxw : fmin(w + 2 * t->pad, k->maxw);
        sum += k->minw;
    }
    return sum;
}

/* Widths for a table `avail` wide: its natural widths, and what is left
 * shared in their proportion. When they do not fit, a column narrower than
 * its share of the room keeps its natural width (a date, a short name),
 * and the others get their longest word and a share of the rest in
 * proportion to what they lack (as the automatic table layout of CSS 2.1,
 * 17.5.2.2). */
static void widths(struct tab *t, double avail, double summax)
{
    int n = t->tb->cols, open = n;
    for (int c = 0; c < n; c++) {
        t->cols[c].w = t->cols[c].maxw + (avail - summax) * t->cols[c].maxw / summax;
        t->cols[c].fixed = false;
    }
    if (summax <= avail)
        return;
    double left = avail;
    for (bool more = true; more && open > 0;) {
        more = false;
        for (int c = 0; c < n; c++) {
            struct col *k = &t->cols[c];
            if (!k->fixed && k->maxw <= left / open) {
                k->fixed = true;
                k->w = k->maxw;
                left -= k->maxw;
                open--;
                more = true;
            }
        }
    }
    double summin = 0, rest = 0;
    for (int c = 0; c < n; c++)
        if (!t->cols[c].fixed) {
            summin += t->cols[c].minw;
            rest += t->cols[c].maxw;
        }
    for (int c = 0; c < n; c++) {
        struct col *k = &t->cols[c];
        if (k->fixed)
            continue;
        if (summin >= left)
            k->w = k->minw * fmax(left, 0) / summin;
        else
            k->w = k->minw + (k->maxw - k->minw) * (left - summin) / fmax(rest - summin, EPS);
    }
}

/* ---------- rows into boxes ---------- */

static void rule(struct pr_boxes *bx, double x, double y, double w, double thick, struct pr_color color)
{
    struct pr_box *b = pr_add_rule(bx, x, y, w, thick, color);
    b->role = PR_ROLE_TABLE;
}

static void vrule(struct pr_boxes *bx, double x, double y, double h, double thick, struct pr_color color)
{
    struct pr_box *b = pr_push_box(bx);
    b->kind = PR_BOX_RECT;
    b->role = PR_ROLE_TABLE;
    b->x = x - thick / 2;
    b->y = y;
    b->w = thick;
    b->h = h;
    b->color = color;
    b->alpha = 1;
}

/* Row r's boxes from y down (stripe, text, rules); returns its height. */
static double row_boxes(struct tab *t, int r, struct pr_boxes *bx, double y)
{
    const struct pr_layout *L = t->ts->L;
    const struct pr_block *tb = t->tb;
    const struct pr_table_style *st = &L->table_style;
    const struct pr_font *f = r == 0 ? &t->head : &t->body;
    double heavy = st->rule * 2, light = st->rule;
    int nl = 1;
    for (int c = 0; c < tb->cols; c++) {
        const struct pr_text *x = t->cell[r * tb->cols + c];
        if (x && x->nlines > nl)
            nl = x->nlines;
    }
    double top = y + (r == 0 && st->rules != PR_TRULES_NONE ? heavy : 0);
    double h = top - y + 2 * t->vpad + nl * f->leading;
    if (st->stripes && r > 0 && r % 2 == 0) {
        struct pr_box *s = pr_push_box(bx);
        s->kind = PR_BOX_RECT;
        s->role = PR_ROLE_TABLE;
        s->y = y;
        s->w = t->width;
        s->h = h;
        s->color = L->accent;
        s->alpha = 0.07;
    }
    double asc = pr_ascent_of(f, 1);
    for (int c = 0; c < tb->cols; c++) {
        const struct col *k = &t->cols[c];
        const struct pr_text *x = t->cell[r * tb->cols + c];
        for (int i = 0; x && i < x->nlines; i++) {
            const struct pr_tline *tl = &x->lines[i];
            double room = k->w - 2 * t->pad, lw = tl->x + tl->width, dx = 0;
            double p = r > 0 && i == 0 ? t->point[r * tb->cols + c] : -1;
            if (p >= 0 && k->align == PR_ALIGN_RIGHT)
                dx = room - k->fpart - p; /* on the decimal point */
            else if (k->align == PR_ALIGN_RIGHT)
                dx = room - lw;
            else if (k->align == PR_ALIGN_CENTER)
                dx = (room - lw) / 2;
            /* a header's lines sit at the bottom of its row */
            int line = r == 0 ? i + nl - x->nlines : i;
            double base = top + t->vpad + asc + line * f->leading;
            struct pr_box *lb = pr_push_box(bx);
            *lb = pr_line_box(t->ts, x, i, k->x + t->pad + dx, base, PR_ROLE_TABLE);
            lb->w = lw; /* the line as set, not the measure it was set to */
            lb->tag = t->celltag && !(r == 0 && t->head_set) ? t->celltag[r * tb->cols + c] : NULL;
        }
    }
    if (r == 0)
        t->head_set = true;
    struct pr_color ink = t->body.color;
    switch (st->rules) {
    case PR_TRULES_NONE:
        break;
    case PR_TRULES_GRID:
        if (r == 0)
            rule(bx, 0, y + light / 2, t->width, light, L->rule);
        rule(bx, 0, y + h - light / 2, t->width, light, L->rule);
        for (int c = 0; c <= tb->cols; c++)
            vrule(bx, c < tb->cols ? t->cols[c].x : t->width, y, h, light, L->rule);
        break;
    case PR_TRULES_BOOKTABS:
    case PR_TRULES_ROWS:
        if (r == 0) {
            rule(bx, 0, y + heavy / 2, t->width, heavy, ink);
            rule(bx, 0, y + h - light / 2, t->width, light, ink);
        } else if (r == tb->rows - 1)
            rule(bx, 0, y + h - heavy / 2, t->width, heavy, ink);
        else if (st->rules == PR_TRULES_ROWS)
            rule(bx, 0, y + h - light / 4, t->width, light / 2, L->rule);
        break;
    }
    return h;
}

/* The caption above the table; returns its height. */
static double caption_boxes(struct tab *t, struct pr_boxes *bx, double y)
{
    const struct pr_layout *L = t->ts->L;
    if (!t->tb->inlines)
        return 0;
    struct pr_textopts o = pr_topts(t->ts, &L->caption, t->width, PR_ALIGN_LEFT, t->lang);
    o.hyphenate = true;
    struct pr_text *x = pr_text_inlines(t->ts, t->tb->inlines, &o);
    bx->tag = t->caption;
    double end = pr_add_lines(t->ts, bx, x, 0, y, PR_ROLE_TABLE, 1, &L->caption);
    bx->tag = NULL;
    for (int i = bx->n - x->nlines; i < bx->n; i++)
        bx->v[i].role = PR_ROLE_CAPTION;
    return end - y + L->caption.leading * 0.25;
}

/* ---------- items ---------- */

static struct pr_item *push(struct tab *t, struct pr_items *items, enum pr_item_kind kind)
{
    struct pr_item *it = pr_items_push(t->A, items);
    it->kind = kind;
    it->role = PR_ROLE_TABLE;
    return it;
}

static void space(struct tab *t, struct pr_items *items, double h)
{
    struct pr_item *it = push(t, items, PR_IT_SPACE);
    it->height = h;
    it->break_before = true;
}

static void block(struct tab *t, struct pr_items *items, struct pr_boxes *bx, double h, double x, int tag,
                  bool head, bool break_before)
{
    struct pr_item *it = push(t, items, PR_IT_BLOCK);
    it->boxes = bx->v;
    it->nboxes = bx->n;
    it->height = h;
    it->x = x;
    it->table = tag;
    it->head = head;
    it->width = t->width;
    it->break_before = break_before;
}

/* In a column: the caption, the header and the rows, a BLOCK each. */
static void column_items(struct tab *t, struct pr_items *items, double x, bool keep)
{
    const struct pr_layout *L = t->ts->L;
    int tag = items->n + 1;
    if (!keep)
        space(t, items, L->baseline * 0.5);
    bool first = true;
    if (t->tb->inlines) {
        struct pr_boxes bx = {t->A, NULL, 0, 0, NULL};
        double h = caption_boxes(t, &bx, 0);
        block(t, items, &bx, h, x, 0, false, !keep);
        first = false;
    }
    int body = t->tb->rows - 1;
    for (int r = 0; r < t->tb->rows; r++) {
        struct pr_boxes bx = {t->A, NULL, 0, 0, NULL};
        double h = row_boxes(t, r, &bx, 0);
        /* the caption and the header stay with the rows; a column ends
         * only with three rows on either side (a short table stays whole) */
        bool brk = r == 0 ? first && !keep : r > 3 && body - r >= 2;
        block(t, items, &bx, h, x, tag, r == 0, brk);
    }
    space(t, items, L->baseline * 0.5);
}

/* Across the columns: SPAN items as tall as a page at most, each with the
 * header (the first with the caption). */
static void span_items(struct tab *t, struct pr_items *items, const struct pr_frame *fr)
{
    const struct pr_layout *L = t->ts->L;
    double gap = L->baseline;
    double most = fr->bottom - fr->top - gap;
    int r = 1;
    bool caption = true;
    do {
        struct pr_boxes bx = {t->A, NULL, 0, 0, NULL};
        double y = caption ? caption_boxes(t, &bx, 0) : 0;
        caption = false;
        y += row_boxes(t, 0, &bx, y);
        int rows = 0;
        while (r < t->tb->rows) {
            int mark = bx.n;
            double h = row_boxes(t, r, &bx, y);
            if (rows > 0 && y + h > most) {
                bx.n = mark; /* this row starts the next page's part */
                break;
            }
            y += h;
            r++;
            rows++;
        }
        struct pr_item *it = push(t, items, PR_IT_SPAN);
        it->boxes = bx.v;
        it->nboxes = bx.n;
        it->height = y + gap;
        it->break_before = true;
    } while (r < t->tb->rows);
}

/* The table's elements in `parent`. */
static void tags(struct tab *t, const struct pr_tag *parent)
{
    const struct pr_block *tb = t->tb;
    t->table = pr_tag_new(t->A, parent, PR_TAG_TABLE);
    if (tb->inlines)
        t->caption = pr_tag_new(t->A, t->table, PR_TAG_CAPTION);
    t->row = pr_arena_alloc(t->A, sizeof *t->row * (size_t)tb->rows);
    t->celltag = pr_arena_alloc(t->A, sizeof *t->celltag * (size_t)tb->rows * (size_t)tb->cols);
    for (int r = 0; r < tb->rows; r++) {
        t->row[r] = pr_tag_new(t->A, t->table, PR_TAG_TR);
        for (int c = 0; c < tb->cols; c++)
            t->celltag[r * tb->cols + c] = pr_tag_new(t->A, t->row[r], r == 0 ? PR_TAG_TH : PR_TAG_TD);
    }
}

void pr_table_set(struct pr_typeset *ts, struct pr_arena *A, struct pr_items *items, const struct pr_block *tb,
                  const struct pr_frame *fr, const char *lang, const char *note_prefix, double x, double w,
                  bool keep, const struct pr_tag *parent)
{
    const struct pr_layout *L = ts->L;
    if (tb->rows < 1 || tb->cols < 1)
        return;
    ts->cur_pos = tb->pos;
    struct tab t = {.ts = ts, .A = A, .tb = tb, .lang = lang, .note_prefix = note_prefix};
    t.body = L->table;
    t.head = L->table;
    t.head.weight = 700;
    t.pad = L->table.size * 0.45;
    t.vpad = L->table.leading * 0.22;
    t.decimal = decimal_mark(lang);
    size_t ncells = (size_t)tb->rows * (size_t)tb->cols;
    t.cols = pr_arena_alloc(A, sizeof *t.cols * (size_t)tb->cols);
    t.cell = pr_arena_alloc(A, sizeof *t.cell * ncells);
    t.point = pr_arena_alloc(A, sizeof *t.point * ncells);
    for (size_t i = 0; i < ncells; i++)
        t.point[i] = -1;
    classify(&t);
    measure(&t);
    if (parent)
        tags(&t, parent);

    /* in the column when it fits there (its text wrapped, when that stays
     * within reason), else across the page, else wrapped with a warning */
    double natural = 0, least = 0;
    for (int c = 0; c < tb->cols; c++)
        natural += t.cols[c].maxw;
    bool columns = fr && fr->columns > 1;
    if (natural > w + EPS)
        least = min_widths(&t);
    bool span = natural > w + EPS && columns && !(least <= w + EPS && natural <= 2.5 * w);
    double avail = span ? pr_text_w(L) : w;
    if (natural > avail + EPS && (span || !columns))
        pr_diag(&ts->b->diags, PR_D_TABLE, tb->pos,
                "a table of %d column%s is %.0fpt wide, the page %.0fpt: its cells wrap", tb->cols,
                tb->cols == 1 ? "" : "s", natural, avail);
    widths(&t, avail, natural);
    double cx = 0;
    for (int c = 0; c < tb->cols; c++) {
        t.cols[c].x = cx;
        cx += t.cols[c].w;
    }
    t.width = cx;
    /* set again what does not fit its column on one line */
    for (int c = 0; c < tb->cols; c++)
        for (int r = 0; r < tb->rows; r++) {
            struct pr_text **cell = &t.cell[r * tb->cols + c];
            if (*cell && text_width(*cell) > t.cols[c].w - 2 * t.pad + EPS) {
                *cell = set_cell(&t, r, c, fmax(t.cols[c].w - 2 * t.pad, 1));
                t.point[r * tb->cols + c] = -1;
            }
        }
    if (span)
        span_items(&t, items, fr);
    else
        column_items(&t, items, x, keep);
}

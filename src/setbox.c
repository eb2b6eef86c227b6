/* setbox.c - typesetting, shared helpers: the text area's geometry, text
 * options, and boxes added to a box list (struct pr_boxes: rules, a text's
 * lines) for the galleys (galley.c), the page furniture (furniture.c), the
 * pages (pages.c) and the contents (toc.c). Reads the layout; writes boxes
 * into the list's arena. Calls nothing of theirs: they call it. */
#include "typeset.h"
#include "image.h"
#include <string.h>

double pr_text_w(const struct pr_layout *L)
{
    return L->page_w - L->margin_inner - L->margin_outer;
}

double pr_col_w(const struct pr_layout *L)
{
    return (pr_text_w(L) - (L->columns - 1) * L->gutter) / L->columns;
}

double pr_text_x(const struct pr_layout *L, int page)
{
    return page % 2 ? L->margin_inner : L->margin_outer;
}

double pr_ascent_of(const struct pr_font *f, double scale)
{
    return f->size * scale * 0.78 + (f->leading - f->size) * scale / 2;
}

struct pr_textopts pr_topts(struct pr_typeset *ts, const struct pr_font *f, double width,
                            enum pr_align align, const char *lang)
{
    struct pr_textopts o;
    memset(&o, 0, sizeof o);
    o.font = f;
    o.width = width;
    o.align = align;
    o.lang = lang ? lang : ts->issue->language;
    o.scale = 1;
    o.italic_flip = true;
    return o;
}

struct pr_boxes pr_page_boxes(struct pr_arena *a, const struct pr_page *pg)
{
    return (struct pr_boxes){a, pg->boxes, pg->nboxes, pg->cap, NULL};
}

void pr_page_set_boxes(struct pr_page *pg, const struct pr_boxes *bx)
{
    pg->boxes = bx->v;
    pg->nboxes = bx->n;
    pg->cap = bx->cap;
}

struct pr_box *pr_push_box(struct pr_boxes *bx)
{
    struct pr_box *b = PR_PUSH(bx->arena, bx->v, bx->n, bx->cap);
    memset(b, 0, sizeof *b);
    b->tag = bx->tag;
    return b;
}

struct pr_box *pr_put_box(struct pr_boxes *bx, struct pr_box box)
{
    struct pr_box *b = pr_push_box(bx);
    if (!box.tag)
        box.tag = b->tag;
    *b = box;
    return b;
}

struct pr_box *pr_add_rule(struct pr_boxes *bx, double x, double y, double w, double thick,
                           struct pr_color color)
{
    struct pr_box *r = pr_push_box(bx);
    r->kind = PR_BOX_RULE;
    r->role = PR_ROLE_DECOR;
    r->x = x;
    r->y = y;
    r->w = w;
    r->h = thick;
    r->color = color;
    return r;
}

double pr_add_lines(struct pr_typeset *ts, struct pr_boxes *bx, const struct pr_text *t, double x,
                    double top, enum pr_role role, double scale, const struct pr_font *f)
{
    double asc = pr_ascent_of(f, scale);
    double y = top;
    for (int i = 0; i < t->nlines; i++) {
        struct pr_box *lb = pr_push_box(bx);
        lb->kind = PR_BOX_LINE;
        lb->role = role;
        lb->x = x;
        lb->y = y + asc;
        lb->w = t->width;
        lb->h = t->leading;
        lb->text = t;
        lb->line = i;
        lb->link_dest = t->link_dest;
        lb->preview = ts->b->opt.dump == PR_DUMP_LAYOUT ? pr_text_preview(bx->arena, t, i) : NULL;
        y += t->leading;
    }
    return y;
}

struct pr_box pr_line_box(struct pr_typeset *ts, const struct pr_text *t, int line, double x,
                          double baseline, enum pr_role role)
{
    struct pr_box lb;
    memset(&lb, 0, sizeof lb);
    lb.kind = PR_BOX_LINE;
    lb.role = role;
    lb.x = x;
    lb.y = baseline;
    lb.w = t->width;
    lb.h = t->leading;
    lb.text = t;
    lb.line = line;
    /* the line's text is kept for --dump=layout only (memory) */
    lb.preview = ts->b->opt.dump == PR_DUMP_LAYOUT ? pr_text_preview(ts->b->arena, t, line) : NULL;
    return lb;
}

/* The image fills its box, cropped, so its effective resolution follows
 * the larger of the two scales. */
void pr_check_resolution(struct pr_typeset *ts, const char *path, const struct pr_image_info *info,
                         double w, double h, struct pr_pos pos)
{
    struct pr_build *bld = ts->b;
    if (!bld->opt.check_only && !(bld->opt.formats & PR_FMT_PRINT))
        return;
    double sx = w / info->width, sy = h / info->height;
    double ppi = 72.0 / (sx > sy ? sx : sy);
    if (ppi < 150)
        pr_diag(&bld->diags, PR_D_IMAGE_LOWRES, pos,
                "image '%s' prints at %.0f ppi at its placed size (%.0f x %.0f pt), below the 150 ppi a press needs; "
                "supply at least %.0f x %.0f pixels, or leave the print PDF out (--format pdf,epub)",
                path, ppi, w, h, w / 72 * 300, h / 72 * 300);
    else if (ppi < 300)
        pr_diag(&bld->diags, PR_D_IMAGE_RES, pos,
                "image '%s' prints at %.0f ppi at its placed size; 300 ppi needs %.0f x %.0f pixels",
                path, ppi, w / 72 * 300, h / 72 * 300);
}

struct pr_box *pr_add_ad(struct pr_boxes *bx, const struct pr_ad *ad, double x, double y, double w, double h)
{
    struct pr_box *ab = pr_push_box(bx);
    ab->kind = PR_BOX_AD;
    ab->role = PR_ROLE_AD;
    ab->x = x;
    ab->y = y;
    ab->w = w;
    ab->h = h;
    ab->image = ad->path;
    ab->ad_pdf = ad->kind == PR_ASSET_PDF;
    ab->ad_page = ad->src_page;
    ab->alt = ad->name;
    struct pr_tag *fig = pr_tag_new(bx->arena, bx->tag, PR_TAG_FIGURE);
    if (fig)
        fig->alt = ad->name && *ad->name ? ad->name : ad->filler ? "Notice" : "Advertisement";
    ab->tag = fig;
    return ab;
}

/* markdown_image.c - input stage, article bodies: an image in a paragraph
 * -> a PR_BLK_IMAGE block after it, with its alt text, caption and the file
 * found and checked (image.c reads its header). Called by markdown_inline.c
 * (the image node) and the walk in markdown.c (alt text, the image's end). */
#include "markdown_int.h"
#include "image.h"
#include <string.h>
#include <sys/stat.h>

/* An image: its block is built now, its alt text is read from the children
 * (frame in F_ALT mode), and it joins the paragraph's images on exit. */
void md_begin_image(struct walk *w, cmark_node *n)
{
    struct conv *c = w->c;
    struct pr_block *img = md_new_block(w, PR_BLK_IMAGE, n);
    const char *url = cmark_node_get_url(n), *title = cmark_node_get_title(n);
    img->src = pr_arena_strdup(c->A, url ? url : "");
    img->caption = title && *title ? pr_arena_strdup(c->A, title) : NULL;
    struct frame *f = md_push(w, n, F_ALT);
    f->blk = img;
    w->alt.n = 0;
}

static bool has_scheme(const char *s)
{
    const char *p = s;
    while ((*p | 32) >= 'a' && (*p | 32) <= 'z')
        p++;
    return p - s >= 2 && *p == ':';
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if ((ch | 32) >= 'a' && (ch | 32) <= 'f')
        return (ch | 32) - 'a' + 10;
    return -1;
}

static bool is_file(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* Image paths are relative to the article's folder; "%20" and the like are
 * decoded when the name as written does not exist. The file must stay in
 * the issue folder (else path stays NULL) and be a sound PNG or JPEG of a
 * size pressrun accepts (image.c), reported here at its reference. */
static void resolve_image(struct conv *c, struct pr_block *img)
{
    struct pr_diags *d = c->in->diags;
    if (!*img->src) {
        pr_diag(d, PR_D_NO_FILE, img->pos, "image without a path");
        return;
    }
    if (has_scheme(img->src)) {
        pr_diag(d, PR_D_NO_FILE, img->pos,
                "image '%s' is not a local file; download it into the issue folder "
                "and give its path relative to the article", img->src);
        return;
    }
    char *path = pr_path_join(c->A, c->dir, img->src);
    if (!is_file(path) && strchr(img->src, '%')) {
        char *dec = pr_arena_strdup(c->A, img->src), *o = dec;
        for (const char *s = img->src; *s; s++) {
            if (*s == '%' && hexval(s[1]) >= 0 && hexval(s[2]) >= 0) {
                *o++ = (char)(hexval(s[1]) * 16 + hexval(s[2]));
                s += 2;
            } else
                *o++ = *s;
        }
        *o = 0;
        char *alt = pr_path_join(c->A, c->dir, dec);
        if (is_file(alt))
            path = alt;
    }
    if (!is_file(path)) {
        pr_diag(d, PR_D_NO_FILE, img->pos, "image '%s' not found (looked for '%s')",
                img->src, path);
        return;
    }
    const struct pr_issue *is = c->issue;
    if (!c->in->allow_outside && is && is->dir && !pr_path_inside(is->dir, path)) {
        pr_diag(d, PR_D_OUTSIDE, img->pos, "image '%s' is outside the issue folder '%s'",
                img->src, is->dir);
        return;
    }
    struct pr_image_info info;
    pr_image_info_read(c->in->diags, path, img->pos, &info);
    img->path = path;
}

void md_end_image(struct walk *w)
{
    struct conv *c = w->c;
    struct pr_block *img = md_top(w)->blk;
    size_t s = 0, e = w->alt.n;
    while (s < e && md_is_space((unsigned char)w->alt.p[s]))
        s++;
    while (e > s && md_is_space((unsigned char)w->alt.p[e - 1]))
        e--;
    img->alt = pr_arena_strndup(c->A, w->alt.p ? w->alt.p + s : "", e - s);
    if (!*img->alt)
        pr_diag(c->in->diags, PR_D_IMAGE_ALT, img->pos, "image '%s' has no alt text", img->src);
    resolve_image(c, img);
    *w->images_tail = img;
    w->images_tail = &img->next;
    w->trim_next = true;
    w->attr_img = img;
    w->attr.n = 0;
}

/* A quote that opens an attribute's value (straight, or curled by smart
 * punctuation), and the one that closes it. */
static int open_quote(const char *p, const char **close)
{
    if (*p == '"' || *p == '\'') {
        *close = *p == '"' ? "\"" : "'";
        return 1;
    }
    if (strncmp(p, "\xE2\x80\x9C", 3) == 0 || strncmp(p, "\xE2\x80\x98", 3) == 0) {
        *close = p[2] == '\x9C' ? "\xE2\x80\x9D" : "\xE2\x80\x99";
        return 3;
    }
    return 0;
}

/* {width=50% crop=16:9 focus="0.5 0.3" credit="Photo: Lee Park"} (pandoc's
 * attribute syntax; .class and #id are let be) into img->place. */
static void parse_attrs(struct walk *w, struct pr_block *img, const char *s, size_t n)
{
    struct conv *c = w->c;
    const char *p = s, *end = s + n;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'))
            p++;
        const char *k = p;
        while (p < end && *p != '=' && *p != ' ')
            p++;
        if (p >= end || *p != '=') {
            if (k < p && *k != '.' && *k != '#')
                pr_diag(c->in->diags, PR_D_VALUE, img->pos,
                        "'%.*s' after the picture is not an attribute; write key=value (width=50%%, "
                        "crop=16:9, focus=\"0.5 0.3\", credit=\"Photo: ...\")",
                        (int)(p - k), k);
            continue;
        }
        char *key = pr_arena_strndup(c->A, k, (size_t)(p - k));
        p++;
        const char *close = NULL, *v = p, *ve;
        int q = open_quote(p, &close);
        if (q) {
            v = p + q;
            ve = v;
            while (ve < end && strncmp(ve, close, strlen(close)) != 0)
                ve++;
            p = ve < end ? ve + strlen(close) : end;
        } else {
            while (p < end && *p != ' ')
                p++;
            ve = p;
        }
        pr_placing_set(c->in, &img->place, key, pr_arena_strndup(c->A, v, (size_t)(ve - v)), img->pos);
    }
}

bool md_image_attrs(struct walk *w, const char *lit, size_t *used)
{
    struct pr_block *img = w->attr_img;
    *used = 0;
    if (!img)
        return false;
    if (w->attr.n == 0 && lit[0] != '{') {
        w->attr_img = NULL;
        return false;
    }
    const char *close = strchr(lit, '}');
    size_t take = close ? (size_t)(close - lit) + 1 : strlen(lit);
    md_buf_add(&w->attr, lit, take);
    *used = take;
    if (close) {
        parse_attrs(w, img, w->attr.p + 1, w->attr.n - 2); /* without the braces */
        w->attr_img = NULL;
        w->attr.n = 0;
    }
    return true;
}

void md_enter_alt(struct walk *w, cmark_node *n, cmark_node_type t)
{
    const char *lit;
    switch (t) {
    case CMARK_NODE_TEXT:
    case CMARK_NODE_CODE:
        lit = cmark_node_get_literal(n);
        if (lit)
            md_buf_add(&w->alt, lit, strlen(lit));
        break;
    case CMARK_NODE_SOFTBREAK:
    case CMARK_NODE_LINEBREAK:
        md_buf_add(&w->alt, " ", 1);
        break;
    case CMARK_NODE_HTML_INLINE:
        break;
    default:
        md_push(w, n, F_ALT);
        break;
    }
}


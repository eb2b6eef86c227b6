/* markdown_inline.c - input stage, article bodies: the inline nodes of
 * cmark's tree (text, code, breaks, emphasis, links, footnote references,
 * <span lang> and <br>) -> pr_inlines of the paragraph being built. Called
 * by the walk in markdown.c for each node entered in a frame of inlines. */
#include "markdown_int.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum tag { TAG_OTHER, TAG_SPAN, TAG_SPAN_END, TAG_BR };

static bool tag_name(const char **s, const char *name)
{
    size_t n = strlen(name);
    if (strncasecmp(*s, name, n) != 0)
        return false;
    char ch = (*s)[n];
    if (ch != '>' && ch != '/' && !md_is_space((unsigned char)ch))
        return false;
    *s += n;
    return true;
}

/* Recognises <span ...>, </span> and <br> in raw inline HTML; *lang gets the
 * span's lang attribute when it is a plausible BCP 47 tag. */
static enum tag parse_tag(struct pr_arena *A, const char *s, const char **lang)
{
    *lang = NULL;
    if (*s++ != '<')
        return TAG_OTHER;
    if (*s == '/') {
        s++;
        return tag_name(&s, "span") ? TAG_SPAN_END : TAG_OTHER;
    }
    if (tag_name(&s, "br"))
        return TAG_BR;
    if (!tag_name(&s, "span"))
        return TAG_OTHER;
    for (;;) {
        while (md_is_space((unsigned char)*s))
            s++;
        if (!*s || *s == '>')
            break;
        if (*s == '/')
            return TAG_OTHER; /* <span/> opens nothing */
        const char *name = s;
        while (*s && *s != '=' && *s != '>' && *s != '/' && !md_is_space((unsigned char)*s))
            s++;
        size_t nlen = (size_t)(s - name);
        while (md_is_space((unsigned char)*s))
            s++;
        const char *val = "";
        size_t vlen = 0;
        if (*s == '=') {
            s++;
            while (md_is_space((unsigned char)*s))
                s++;
            if (*s == '"' || *s == '\'') {
                char q = *s++;
                val = s;
                while (*s && *s != q)
                    s++;
                vlen = (size_t)(s - val);
                if (*s)
                    s++;
            } else {
                val = s;
                while (*s && *s != '>' && !md_is_space((unsigned char)*s))
                    s++;
                vlen = (size_t)(s - val);
            }
        }
        if (nlen == 4 && strncasecmp(name, "lang", 4) == 0 && vlen > 0 && vlen <= 35) {
            bool ok = true;
            for (size_t i = 0; i < vlen; i++) {
                char ch = val[i];
                if (!((ch | 32) >= 'a' && (ch | 32) <= 'z') && !(ch >= '0' && ch <= '9') && ch != '-')
                    ok = false;
            }
            if (ok)
                *lang = pr_arena_strndup(A, val, vlen);
        }
    }
    return TAG_SPAN;
}

static void html_inline(struct walk *w, cmark_node *n)
{
    const char *lang;
    struct frame *f;
    switch (parse_tag(w->c->A, cmark_node_get_literal(n), &lang)) {
    case TAG_SPAN:
        if (lang && md_top(w)->idepth < MAX_DEPTH) {
            struct pr_inline *in = md_add_inline(w, PR_IN_LANG);
            in->lang = lang;
            f = md_push(w, NULL, F_INLINES);
            f->owner = w->n - 1;
            f->itail = &in->children;
            f->idepth++;
        } else {
            if (lang)
                md_report_limit(w, n);
            f = md_push(w, NULL, F_INLINES);
        }
        f->span = true;
        break;
    case TAG_SPAN_END:
        if (md_top(w)->span)
            md_pop(w);
        break;
    case TAG_BR:
        md_add_inline(w, PR_IN_LINEBREAK);
        w->in_word = false;
        break;
    case TAG_OTHER:
        md_html_dropped(w, n, false);
        break;
    }
}

static void enter_container(struct walk *w, cmark_node *n, enum pr_inline_kind kind)
{
    if (md_top(w)->idepth >= MAX_DEPTH) {
        md_report_limit(w, n);
        md_push(w, n, F_INLINES);
        return;
    }
    struct pr_inline *in = md_add_inline(w, kind);
    if (kind == PR_IN_LINK) {
        const char *url = cmark_node_get_url(n);
        in->url = pr_arena_strdup(w->c->A, url ? url : "");
    }
    struct frame *f = md_push(w, n, F_INLINES);
    f->owner = w->n - 1;
    f->itail = &in->children;
    f->idepth++;
}

void md_enter_inline(struct walk *w, cmark_node *n, cmark_node_type t)
{
    struct conv *c = w->c;
    const char *lit;
    if (t != CMARK_NODE_TEXT && !w->attr.n)
        w->attr_img = NULL;
    if (md_ext_kind(n) == MD_EXT_STRIKE) {
        enter_container(w, n, PR_IN_STRIKE);
        return;
    }
    switch (t) {
    case CMARK_NODE_TEXT: {
        lit = cmark_node_get_literal(n);
        size_t used = 0;
        if (lit && md_image_attrs(w, lit, &used))
            lit += used; /* a picture's {...} attributes are no text */
        if (lit && *lit) {
            md_check_refs(w, n, lit);
            md_add_text(w, lit, strlen(lit));
        }
        break;
    }
    case CMARK_NODE_CODE:
        lit = pr_arena_strdup(c->A, cmark_node_get_literal(n) ? cmark_node_get_literal(n) : "");
        md_add_inline(w, PR_IN_CODE)->text = lit;
        md_text_seen(w, lit, strlen(lit));
        break;
    case CMARK_NODE_SOFTBREAK:
        md_add_inline(w, PR_IN_SOFTBREAK);
        w->in_word = false;
        break;
    case CMARK_NODE_LINEBREAK:
        md_add_inline(w, PR_IN_LINEBREAK);
        w->in_word = false;
        break;
    case CMARK_NODE_HTML_INLINE:
        html_inline(w, n);
        break;
    case CMARK_NODE_EMPH:
        enter_container(w, n, PR_IN_EMPH);
        break;
    case CMARK_NODE_STRONG:
        enter_container(w, n, PR_IN_STRONG);
        break;
    case CMARK_NODE_LINK:
        enter_container(w, n, PR_IN_LINK);
        break;
    case CMARK_NODE_IMAGE:
        if (!w->para && w->table)
            md_unset(w, n, "an image in a table cell is not set: its alt text stands in");
        if (md_top(w)->pull || !w->para)
            md_push(w, n, F_INLINES); /* in a pull quote or a table cell the alt text stands in */
        else
            md_begin_image(w, n);
        break;
    case CMARK_NODE_FOOTNOTE_REFERENCE:
        lit = cmark_node_get_literal(n);
        md_add_inline(w, PR_IN_NOTEREF)->note = lit ? atoi(lit) : 0;
        md_ref_label(w, n, lit ? atoi(lit) : 0);
        w->para_content = true;
        md_push(w, n, F_INLINES);
        break;
    default:
        md_push(w, n, F_INLINES);
        break;
    }
}


/* pdftags.c - the qpdf post-pass, tagged PDF (PDF/UA-1): the structure
 * tree of the screen PDF from what the painter recorded (struct
 * pr_pdf_marks: elements and marked-content references), replacing the
 * one cairo writes. Reading order: the Document holds the stories (the
 * cover, the contents, the articles, ads and fillers) in the order of the
 * pages they start on (stories starting on one page in the order);
 * a story's blocks come in source order (their seq), whatever columns or
 * pages the flow put them in; an element's own content, and the links and
 * spans inside it, in the order painted. Then the ParentTree, the pages'
 * /StructParents, the link annotations' /StructParent and OBJR, the
 * document's /Lang and the keys PDF/UA asks of the catalog and pages.
 * Called by pdfboxes.c once the pages are in their final order. */
#include "pdfpost.h"
#include <glib.h>
#include <stdlib.h>
#include <string.h>

/* Where a piece of content comes in the document: page, then MCID. */
#define POS(page, mcid) ((long long)(page) << 24 | (long long)(mcid))
#define NOWHERE ((long long)1 << 62)

/* A kid of an element: an MCR (index in marks->mcrs), a child element or
 * a link annotation (OBJR), with the position it sorts by. */
struct kid {
    enum { KID_MCR, KID_ELEM, KID_OBJR } kind;
    int index;
    long long pos;
    int seq;
};

struct node {
    struct kid *kids;
    int nkids, cap;
    bool has_mcr;        /* content of its own: kids sort by position, else by seq */
    long long first;     /* where its first content is (its own or its kids') */
    int id;              /* its object number */
};

static void add_kid(struct node *n, struct kid k)
{
    if (n->nkids == n->cap) {
        n->cap = n->cap ? n->cap * 2 : 4;
        n->kids = pr_xrealloc(n->kids, (size_t)n->cap * sizeof *n->kids);
    }
    n->kids[n->nkids++] = k;
}

static int by_pos(const void *a, const void *b)
{
    const struct kid *x = a, *y = b;
    return x->pos < y->pos ? -1 : x->pos > y->pos ? 1 : (int)x->kind - (int)y->kind;
}

static int by_seq(const void *a, const void *b)
{
    const struct kid *x = a, *y = b;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return by_pos(a, b);
}

/* The stories: by the page they start on, then the order (seq
 * holds the story's number there). */
static int by_story(const void *a, const void *b)
{
    const struct kid *x = a, *y = b;
    long long px = x->pos >> 24, py = y->pos >> 24;
    if (px != py)
        return px < py ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Where element i's content first comes (its own or its kids'). */
static long long first_of(struct node *nodes, int i)
{
    struct node *n = &nodes[i];
    if (n->first != NOWHERE - 1)
        return n->first;
    long long f = NOWHERE;
    for (int k = 0; k < n->nkids; k++) {
        long long p = n->kids[k].kind == KID_ELEM ? first_of(nodes, n->kids[k].index) : n->kids[k].pos;
        if (p < f)
            f = p;
    }
    return n->first = f;
}

/* The language in force at element i (its own, else its parents', else
 * the document's). */
static const char *lang_at(const struct pr_pdf_marks *m, int i, const char *doc)
{
    for (; i >= 0; i = m->elems[i].parent)
        if (m->elems[i].lang && *m->elems[i].lang)
            return m->elems[i].lang;
    return doc;
}

static qpdf_oh name(qpdf_data q, const char *n)
{
    char buf[64];
    snprintf(buf, sizeof buf, "/%s", n);
    return qpdf_oh_new_name(q, buf);
}

/* Element i's dictionary: type, parent, page, kids, and what it says of
 * itself (language, alternate text, title, a header cell's scope). */
static void fill(qpdf_data q, const struct pr_pdf_post *post, struct node *nodes, int i, int parent_id,
                 const int *pages, const int *annots)
{
    const struct pr_pdf_marks *m = post->marks;
    const struct pr_pdf_elem *e = &m->elems[i];
    struct node *n = &nodes[i];
    qpdf_oh d = qpdf_get_object_by_id(q, n->id, 0);
    qpdf_oh_replace_key(q, d, "/Type", qpdf_oh_new_name(q, "/StructElem"));
    qpdf_oh_replace_key(q, d, "/S", name(q, pr_tag_name(e->type)));
    qpdf_oh_replace_key(q, d, "/P", qpdf_get_object_by_id(q, parent_id, 0));
    /* the page of its first own content: MCIDs there are plain numbers */
    int pg = -1;
    for (int k = 0; k < n->nkids && pg < 0; k++)
        if (n->kids[k].kind == KID_MCR)
            pg = m->mcrs[n->kids[k].index].page;
    if (pg >= 0)
        qpdf_oh_replace_key(q, d, "/Pg", qpdf_get_object_by_id(q, pages[pg], 0));
    qpdf_oh kids = qpdf_oh_new_array(q);
    for (int k = 0; k < n->nkids; k++) {
        const struct kid *c = &n->kids[k];
        if (c->kind == KID_ELEM) {
            qpdf_oh_append_item(q, kids, qpdf_get_object_by_id(q, nodes[c->index].id, 0));
        } else if (c->kind == KID_MCR) {
            const struct pr_pdf_mcr *r = &m->mcrs[c->index];
            if (r->page == pg) {
                qpdf_oh_append_item(q, kids, qpdf_oh_new_integer(q, r->mcid));
                continue;
            }
            qpdf_oh mcr = qpdf_oh_new_dictionary(q);
            qpdf_oh_replace_key(q, mcr, "/Type", qpdf_oh_new_name(q, "/MCR"));
            qpdf_oh_replace_key(q, mcr, "/Pg", qpdf_get_object_by_id(q, pages[r->page], 0));
            qpdf_oh_replace_key(q, mcr, "/MCID", qpdf_oh_new_integer(q, r->mcid));
            qpdf_oh_append_item(q, kids, mcr);
        } else {
            const struct pr_pdf_link *l = &m->links[c->index];
            qpdf_oh objr = qpdf_oh_new_dictionary(q);
            qpdf_oh_replace_key(q, objr, "/Type", qpdf_oh_new_name(q, "/OBJR"));
            qpdf_oh_replace_key(q, objr, "/Obj", qpdf_get_object_by_id(q, annots[c->index], 0));
            qpdf_oh_replace_key(q, objr, "/Pg", qpdf_get_object_by_id(q, pages[l->page], 0));
            qpdf_oh_append_item(q, kids, objr);
        }
    }
    qpdf_oh_replace_key(q, d, "/K", kids);
    const char *lang = e->lang && *e->lang ? e->lang : NULL;
    if (lang && strcmp(lang, lang_at(m, e->parent, post->lang ? post->lang : "")) != 0)
        qpdf_oh_replace_key(q, d, "/Lang", qpdf_oh_new_unicode_string(q, lang));
    if (e->alt && e->type == PR_TAG_FIGURE)
        qpdf_oh_replace_key(q, d, "/Alt", qpdf_oh_new_unicode_string(q, e->alt));
    if (e->title && e->parent < 0)
        qpdf_oh_replace_key(q, d, "/T", qpdf_oh_new_unicode_string(q, e->title));
    if (e->type == PR_TAG_TH) {
        qpdf_oh a = qpdf_oh_new_dictionary(q);
        qpdf_oh_replace_key(q, a, "/O", qpdf_oh_new_name(q, "/Table"));
        qpdf_oh_replace_key(q, a, "/Scope", qpdf_oh_new_name(q, "/Column"));
        qpdf_oh_replace_key(q, d, "/A", a);
    }
}

void pr_pdf_tags(qpdf_data q, const struct pr_pdf_post *post, const int *annots)
{
    const struct pr_pdf_marks *m = post->marks;
    int ne = m->nelems, np = post->npages;
    qpdf_oh root = qpdf_get_root(q);
    qpdf_oh_remove_key(q, root, "/StructTreeRoot"); /* cairo's */
    int *pages = pr_xmalloc((size_t)(np ? np : 1) * sizeof *pages);
    for (int i = 0; i < np; i++) {
        qpdf_oh pg = qpdf_get_page_n(q, (size_t)i);
        pages[i] = qpdf_oh_get_object_id(q, pg);
        qpdf_oh_remove_key(q, pg, "/StructParents");
    }
    qpdf_oh_release_all(q);

    /* the tree: kids of each element, and the stories in the Document */
    struct node *nodes = pr_xmalloc((size_t)(ne ? ne : 1) * sizeof *nodes);
    memset(nodes, 0, (size_t)(ne ? ne : 1) * sizeof *nodes);
    for (int i = 0; i < ne; i++)
        nodes[i].first = NOWHERE - 1;
    for (int k = 0; k < m->nmcrs; k++) {
        const struct pr_pdf_mcr *r = &m->mcrs[k];
        if (r->elem < 0 || r->elem >= ne || r->page < 0 || r->page >= np)
            continue;
        add_kid(&nodes[r->elem], (struct kid){KID_MCR, k, POS(r->page, r->mcid), 0});
        nodes[r->elem].has_mcr = true;
    }
    for (int k = 0; k < m->nlinks; k++) {
        const struct pr_pdf_link *l = &m->links[k];
        if (l->elem >= 0 && l->elem < ne && annots[k])
            add_kid(&nodes[l->elem], (struct kid){KID_OBJR, k, NOWHERE - 2, 0});
    }
    struct node doc = {0};
    for (int i = 0; i < ne; i++) {
        const struct pr_pdf_elem *e = &m->elems[i];
        struct kid k = {KID_ELEM, i, 0, e->parent < 0 ? e->story : e->seq};
        add_kid(e->parent < 0 ? &doc : &nodes[e->parent], k);
    }
    for (int i = 0; i < ne; i++) {
        struct node *n = &nodes[i];
        for (int k = 0; k < n->nkids; k++)
            if (n->kids[k].kind == KID_ELEM)
                n->kids[k].pos = first_of(nodes, n->kids[k].index);
        qsort(n->kids, (size_t)n->nkids, sizeof *n->kids, n->has_mcr ? by_pos : by_seq);
    }
    for (int k = 0; k < doc.nkids; k++)
        doc.kids[k].pos = first_of(nodes, doc.kids[k].index);
    qsort(doc.kids, (size_t)doc.nkids, sizeof *doc.kids, by_story);

    /* the objects: made first, so that each can point at the others */
    for (int i = 0; i < ne; i++) {
        nodes[i].id = qpdf_oh_get_object_id(q, qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q)));
        qpdf_oh_release_all(q);
    }
    qpdf_oh str = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
    int str_id = qpdf_oh_get_object_id(q, str);
    qpdf_oh document = qpdf_make_indirect_object(q, qpdf_oh_new_dictionary(q));
    int doc_id = qpdf_oh_get_object_id(q, document);
    qpdf_oh_replace_key(q, document, "/Type", qpdf_oh_new_name(q, "/StructElem"));
    qpdf_oh_replace_key(q, document, "/S", qpdf_oh_new_name(q, "/Document"));
    qpdf_oh_replace_key(q, document, "/P", str);
    qpdf_oh dk = qpdf_oh_new_array(q);
    for (int k = 0; k < doc.nkids; k++)
        qpdf_oh_append_item(q, dk, qpdf_get_object_by_id(q, nodes[doc.kids[k].index].id, 0));
    qpdf_oh_replace_key(q, document, "/K", dk);
    qpdf_oh_release_all(q);
    for (int i = 0; i < ne; i++) {
        int parent = m->elems[i].parent;
        fill(q, post, nodes, i, parent < 0 ? doc_id : nodes[parent].id, pages, annots);
        qpdf_oh_release_all(q);
    }

    /* the ParentTree: each page's MCIDs to their elements, then each link
     * annotation to its Link */
    int **at = pr_xmalloc((size_t)(np ? np : 1) * sizeof *at);
    for (int i = 0; i < np; i++) {
        int n = i < m->mcids_cap ? m->mcids[i] : 0;
        at[i] = n ? pr_xmalloc((size_t)n * sizeof **at) : NULL;
        for (int k = 0; k < n; k++)
            at[i][k] = -1;
    }
    for (int k = 0; k < m->nmcrs; k++) {
        const struct pr_pdf_mcr *r = &m->mcrs[k];
        if (r->page >= 0 && r->page < np && r->mcid >= 0 && r->page < m->mcids_cap && r->mcid < m->mcids[r->page])
            at[r->page][r->mcid] = r->elem;
    }
    qpdf_oh nums = qpdf_oh_new_array(q);
    int key = 0;
    for (int i = 0; i < np; i++, key++) {
        int n = i < m->mcids_cap ? m->mcids[i] : 0;
        if (!n)
            continue;
        qpdf_oh arr = qpdf_oh_new_array(q);
        for (int k = 0; k < n; k++)
            qpdf_oh_append_item(q, arr, at[i][k] >= 0 ? qpdf_get_object_by_id(q, nodes[at[i][k]].id, 0)
                                                     : qpdf_oh_new_null(q));
        qpdf_oh_append_item(q, nums, qpdf_oh_new_integer(q, key));
        qpdf_oh_append_item(q, nums, arr);
        qpdf_oh_replace_key(q, qpdf_get_object_by_id(q, pages[i], 0), "/StructParents",
                            qpdf_oh_new_integer(q, key));
    }
    for (int k = 0; k < m->nlinks; k++) {
        const struct pr_pdf_link *l = &m->links[k];
        if (!annots[k] || l->elem < 0 || l->elem >= ne)
            continue;
        qpdf_oh a = qpdf_get_object_by_id(q, annots[k], 0);
        qpdf_oh_replace_key(q, a, "/StructParent", qpdf_oh_new_integer(q, key));
        qpdf_oh_append_item(q, nums, qpdf_oh_new_integer(q, key++));
        qpdf_oh_append_item(q, nums, qpdf_get_object_by_id(q, nodes[l->elem].id, 0));
        qpdf_oh_replace_key(q, qpdf_get_object_by_id(q, pages[l->page], 0), "/Tabs", qpdf_oh_new_name(q, "/S"));
    }
    qpdf_oh ptree = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, ptree, "/Nums", nums);
    str = qpdf_get_object_by_id(q, str_id, 0);
    qpdf_oh_replace_key(q, str, "/Type", qpdf_oh_new_name(q, "/StructTreeRoot"));
    qpdf_oh_replace_key(q, str, "/K", qpdf_get_object_by_id(q, doc_id, 0));
    qpdf_oh_replace_key(q, str, "/ParentTree", qpdf_make_indirect_object(q, ptree));
    qpdf_oh_replace_key(q, str, "/ParentTreeNextKey", qpdf_oh_new_integer(q, key));

    /* the catalog */
    root = qpdf_get_root(q);
    qpdf_oh_replace_key(q, root, "/StructTreeRoot", str);
    qpdf_oh mi = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, mi, "/Marked", qpdf_oh_new_bool(q, QPDF_TRUE));
    qpdf_oh_replace_key(q, root, "/MarkInfo", mi);
    qpdf_oh_replace_key(q, pr_qpdf_sub_dict(q, root, "/ViewerPreferences"), "/DisplayDocTitle",
                        qpdf_oh_new_bool(q, QPDF_TRUE));
    if (post->lang && *post->lang)
        qpdf_oh_replace_key(q, root, "/Lang", qpdf_oh_new_unicode_string(q, post->lang));
    qpdf_oh_release_all(q);
    for (int i = 0; i < np; i++)
        free(at[i]);
    free(at);
    for (int i = 0; i < ne; i++)
        free(nodes[i].kids);
    free(nodes);
    free(doc.kids);
    free(pages);
}

#define _GNU_SOURCE /* memmem */
/* pdftags.c - the qpdf post-pass, tagged PDF (PDF/UA-1): the structure
 * tree of the screen PDF from what the painter recorded (struct
 * pr_pdf_marks: elements and marked-content references), replacing the
 * one cairo writes. Reading order: the Document holds the stories (the
 * cover, the contents, the articles, ads and fillers) in the order of the
 * pages they start on (stories starting on one page in the issue's order);
 * a story's blocks come in source order (their seq), whatever columns or
 * pages the flow put them in; an element's own content, and the links and
 * spans inside it, in the order painted.
 *
 * In two steps, for a long issue's thousands of elements would be the
 * post-pass's largest cost in time and memory as qpdf objects: in the qpdf
 * pass (pr_pdf_tags_prepare) the keys pages, annotations and the catalog
 * need (/StructParents, /StructParent, /Tabs, /MarkInfo, /Lang,
 * DisplayDocTitle); once qpdf has written the file (pr_pdf_tags_append),
 * the tree itself as an incremental update written here: the elements
 * and the ParentTree in one compressed object stream, the catalog again
 * with its /StructTreeRoot, a cross-reference stream. Called by
 * pdfboxes.c. */
#include "pdfpost.h"
#include <glib.h>
#include <stdio.h>
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

/* The stories: by the page they start on, then the issue's order (seq
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

/* Does link k have a key in the ParentTree: an annotation (annots[k],
 * its object number in the qpdf pass) and a Link element? The keys run
 * from the pages' count over these links, in order. */
bool pr_pdf_link_keyed(const struct pr_pdf_marks *m, const int *annots, int k)
{
    return annots[k] && m->links[k].elem >= 0 && m->links[k].elem < m->nelems;
}

/* ---------- in the qpdf pass: the keys that point into the tree ---------- */

void pr_pdf_tags_prepare(qpdf_data q, const struct pr_pdf_post *post, const int *annots)
{
    const struct pr_pdf_marks *m = post->marks;
    int np = post->npages;
    qpdf_oh root = qpdf_get_root(q);
    qpdf_oh_remove_key(q, root, "/StructTreeRoot"); /* cairo's */
    for (int i = 0; i < np; i++) {
        qpdf_oh pg = qpdf_get_page_n(q, (size_t)i);
        if (i < m->mcids_cap && m->mcids[i] > 0)
            qpdf_oh_replace_key(q, pg, "/StructParents", qpdf_oh_new_integer(q, i));
        else
            qpdf_oh_remove_key(q, pg, "/StructParents");
        qpdf_oh_release_all(q);
    }
    int key = np;
    for (int k = 0; k < m->nlinks; k++) {
        if (!pr_pdf_link_keyed(m, annots, k))
            continue;
        qpdf_oh a = qpdf_get_object_by_id(q, annots[k], 0);
        qpdf_oh_replace_key(q, a, "/StructParent", qpdf_oh_new_integer(q, key++));
        qpdf_oh_replace_key(q, qpdf_get_page_n(q, (size_t)m->links[k].page), "/Tabs", qpdf_oh_new_name(q, "/S"));
        qpdf_oh_release_all(q);
    }
    root = qpdf_get_root(q);
    qpdf_oh mi = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, mi, "/Marked", qpdf_oh_new_bool(q, QPDF_TRUE));
    qpdf_oh_replace_key(q, root, "/MarkInfo", mi);
    qpdf_oh_replace_key(q, pr_qpdf_sub_dict(q, root, "/ViewerPreferences"), "/DisplayDocTitle",
                        qpdf_oh_new_bool(q, QPDF_TRUE));
    if (post->lang && *post->lang)
        qpdf_oh_replace_key(q, root, "/Lang", qpdf_oh_new_unicode_string(q, post->lang));
    qpdf_oh_release_all(q);
}

/* ---------- after qpdf: the tree as an incremental update ---------- */

/* Element i as PDF text: type, parent, page, kids, and what it says of
 * itself (language, alternate text, title, a header cell's scope). */
static void element(GString *g, const struct pr_pdf_post *post, const struct node *nodes, int i, int parent_id,
                    const int *pages, const int *annot_ids)
{
    const struct pr_pdf_marks *m = post->marks;
    const struct pr_pdf_elem *e = &m->elems[i];
    const struct node *n = &nodes[i];
    g_string_append_printf(g, "<< /Type /StructElem /S /%s /P %d 0 R", pr_tag_name(e->type), parent_id);
    /* the page of its first own content: MCIDs there are plain numbers */
    int pg = -1;
    for (int k = 0; k < n->nkids && pg < 0; k++)
        if (n->kids[k].kind == KID_MCR)
            pg = m->mcrs[n->kids[k].index].page;
    if (pg >= 0)
        g_string_append_printf(g, " /Pg %d 0 R", pages[pg]);
    g_string_append(g, " /K [");
    for (int k = 0; k < n->nkids; k++) {
        const struct kid *c = &n->kids[k];
        if (c->kind == KID_ELEM)
            g_string_append_printf(g, " %d 0 R", nodes[c->index].id);
        else if (c->kind == KID_MCR) {
            const struct pr_pdf_mcr *r = &m->mcrs[c->index];
            if (r->page == pg)
                g_string_append_printf(g, " %d", r->mcid);
            else
                g_string_append_printf(g, " << /Type /MCR /Pg %d 0 R /MCID %d >>", pages[r->page], r->mcid);
        } else if (annot_ids[c->index] > 0)
            g_string_append_printf(g, " << /Type /OBJR /Obj %d 0 R /Pg %d 0 R >>", annot_ids[c->index],
                                   pages[m->links[c->index].page]);
    }
    g_string_append(g, " ]");
    const char *lang = e->lang && *e->lang ? e->lang : NULL;
    if (lang && strcmp(lang, lang_at(m, e->parent, post->lang ? post->lang : "")) != 0) {
        g_string_append(g, " /Lang ");
        pr_pdf_text_string(g, lang);
    }
    if (e->alt && e->type == PR_TAG_FIGURE) {
        g_string_append(g, " /Alt ");
        pr_pdf_text_string(g, e->alt);
    }
    if (e->title && e->parent < 0) {
        g_string_append(g, " /T ");
        pr_pdf_text_string(g, e->title);
    }
    if (e->type == PR_TAG_TH)
        g_string_append(g, " /A << /O /Table /Scope /Column >>");
    g_string_append(g, " >>");
}

/* The tree: each element's kids in reading order (see the top), and the
 * stories in the Document's (doc). nodes: m->nelems. */
static void build_tree(const struct pr_pdf_post *post, struct node *nodes, struct node *doc)
{
    const struct pr_pdf_marks *m = post->marks;
    int ne = m->nelems, np = post->npages;
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
        if (l->elem >= 0 && l->elem < ne)
            add_kid(&nodes[l->elem], (struct kid){KID_OBJR, k, NOWHERE - 2, 0});
    }
    for (int i = 0; i < ne; i++) {
        const struct pr_pdf_elem *e = &m->elems[i];
        struct kid k = {KID_ELEM, i, 0, e->parent < 0 ? e->story : e->seq};
        add_kid(e->parent < 0 ? doc : &nodes[e->parent], k);
    }
    for (int i = 0; i < ne; i++) {
        struct node *n = &nodes[i];
        for (int k = 0; k < n->nkids; k++)
            if (n->kids[k].kind == KID_ELEM)
                n->kids[k].pos = first_of(nodes, n->kids[k].index);
        qsort(n->kids, (size_t)n->nkids, sizeof *n->kids, n->has_mcr ? by_pos : by_seq);
    }
    for (int k = 0; k < doc->nkids; k++)
        doc->kids[k].pos = first_of(nodes, doc->kids[k].index);
    qsort(doc->kids, (size_t)doc->nkids, sizeof *doc->kids, by_story);
}

/* What the written file says of itself: its catalog (number and text), its
 * /Size, /Info and /ID, its pages' numbers, its link annotations' numbers
 * by ParentTree key, where its last cross-reference section is. */
struct written {
    int root, size;
    char *catalog, *info, *id;
    int *pages;
    int *annot_by_key; /* index: key - npages */
    long prev;
};

static void written_free(struct written *w)
{
    g_free(w->catalog);
    g_free(w->info);
    g_free(w->id);
    free(w->pages);
    free(w->annot_by_key);
}

/* The value of key in object id's dictionary, through a reference to it. */
static bool object_key(const struct pr_pdfscan *s, int id, const char *key, const char **v, size_t *vl)
{
    const char *d;
    size_t dl;
    if (!pr_pdfscan_object(s, id, &d, &dl) || !pr_pdfscan_key(d, dl, key, v, vl))
        return false;
    int ref = pr_pdfscan_ref(*v, *vl);
    return !ref || pr_pdfscan_object(s, ref, v, vl);
}

/* The page objects under page tree node id, in order, into w->pages (n
 * so far, at most np); false when the tree reads wrong. */
static bool collect_pages(const struct pr_pdfscan *s, int id, struct written *w, int *n, int np, int depth)
{
    const char *kids, *type;
    size_t kl, tl;
    if (depth > 32 || !object_key(s, id, "/Type", &type, &tl))
        return false;
    if (tl == 5 && memcmp(type, "/Page", 5) == 0) {
        if (*n >= np)
            return false;
        w->pages[(*n)++] = id;
        return true;
    }
    if (!object_key(s, id, "/Kids", &kids, &kl))
        return false;
    const char *it;
    size_t il;
    for (int k = 0; pr_pdfscan_item(kids, kl, k, &it, &il); k++)
        if (!collect_pages(s, pr_pdfscan_ref(it, il), w, n, np, depth + 1))
            return false;
    return true;
}

/* The written file (its bytes: buf, len) read back: what the update needs
 * of it. */
static bool read_written(const char *buf, size_t len, const struct pr_pdf_post *post, int nkeys, struct written *w,
                         char *err, size_t errlen)
{
    memset(w, 0, sizeof *w);
    int np = post->npages, n = 0;
    struct pr_pdfscan s;
    const char *v, *cat;
    size_t vl, catl;
    bool ok = pr_pdfscan_open(&s, buf, len) && pr_pdfscan_key(s.trailer, s.trailer_len, "/Root", &v, &vl) &&
              (w->root = pr_pdfscan_ref(v, vl)) > 0 && pr_pdfscan_key(s.trailer, s.trailer_len, "/Size", &v, &vl) &&
              (w->size = (int)pr_pdfscan_int(v, vl)) > 0 && pr_pdfscan_object(&s, w->root, &cat, &catl) &&
              pr_pdfscan_key(cat, catl, "/Pages", &v, &vl);
    if (ok) {
        int pages = pr_pdfscan_ref(v, vl);
        w->prev = s.startxref;
        w->catalog = g_strndup(cat, catl);
        w->info = pr_pdfscan_key(s.trailer, s.trailer_len, "/Info", &v, &vl) ? g_strndup(v, vl) : g_strdup("");
        GString *id = g_string_new(NULL);
        const char *it;
        size_t il;
        if (pr_pdfscan_key(s.trailer, s.trailer_len, "/ID", &v, &vl)) {
            for (int k = 0; pr_pdfscan_item(v, vl, k, &it, &il); k++)
                g_string_append_printf(id, "%s%.*s", k ? " " : "[ ", (int)il, it);
            g_string_append(id, id->len ? " ]" : "");
        }
        w->id = g_string_free(id, FALSE);
        w->pages = pr_xmalloc((size_t)(np ? np : 1) * sizeof *w->pages);
        w->annot_by_key = pr_xmalloc((size_t)(nkeys ? nkeys : 1) * sizeof *w->annot_by_key);
        memset(w->annot_by_key, 0, (size_t)(nkeys ? nkeys : 1) * sizeof *w->annot_by_key);
        ok = collect_pages(&s, pages, w, &n, np, 0) && n == np;
        for (int i = 0; ok && i < np; i++) {
            if (!object_key(&s, w->pages[i], "/Annots", &v, &vl))
                continue;
            for (int k = 0; pr_pdfscan_item(v, vl, k, &it, &il); k++) {
                int a = pr_pdfscan_ref(it, il);
                const char *sp;
                size_t spl;
                long key = a > 0 && object_key(&s, a, "/StructParent", &sp, &spl) ? pr_pdfscan_int(sp, spl) - np : -1;
                if (key >= 0 && key < nkeys)
                    w->annot_by_key[key] = a;
            }
        }
    }
    pr_pdfscan_close(&s);
    if (!ok) {
        snprintf(err, errlen, "the written PDF reads back wrong");
        written_free(w);
    }
    return ok;
}

/* A big-endian number of `bytes` bytes into g. */
static void be(GString *g, unsigned long long v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--)
        g_string_append_c(g, (char)((v >> (8 * i)) & 0xFF));
}

bool pr_pdf_tags_append(const char *path, const struct pr_pdf_post *post, const int *annots, char *err,
                        size_t errlen)
{
    const struct pr_pdf_marks *m = post->marks;
    int ne = m->nelems, np = post->npages;
    int nkeys = 0; /* the link annotations' keys (pr_pdf_tags_prepare gave them) */
    for (int k = 0; k < m->nlinks; k++)
        nkeys += pr_pdf_link_keyed(m, annots, k);
    struct written w;
    GError *ge = NULL;
    GMappedFile *mf = g_mapped_file_new(path, FALSE, &ge);
    if (!mf) {
        snprintf(err, errlen, "%s", ge->message);
        g_error_free(ge);
        return false;
    }
    bool read = read_written(g_mapped_file_get_contents(mf), g_mapped_file_get_length(mf), post, nkeys, &w, err,
                             errlen);
    g_mapped_file_unref(mf);
    if (!read)
        return false;
    /* link k's annotation in the written file (0: none), found by its key */
    int *annot_ids = pr_xmalloc((size_t)(m->nlinks ? m->nlinks : 1) * sizeof *annot_ids);
    for (int k = 0, key = 0; k < m->nlinks; k++)
        annot_ids[k] = pr_pdf_link_keyed(m, annots, k) ? w.annot_by_key[key++] : 0;
    struct node *nodes = pr_xmalloc((size_t)(ne ? ne : 1) * sizeof *nodes);
    memset(nodes, 0, (size_t)(ne ? ne : 1) * sizeof *nodes);
    struct node doc = {0};
    build_tree(post, nodes, &doc);

    /* the new objects' numbers: the Document, the tree's root, then the
     * elements; the object stream holding them and the cross-reference
     * stream after them */
    int doc_id = w.size, str_id = w.size + 1, first_elem = w.size + 2;
    for (int i = 0; i < ne; i++)
        nodes[i].id = first_elem + i;
    int nobj = ne + 2, objstm_id = first_elem + ne, xref_id = objstm_id + 1;
    GString *objs = g_string_sized_new(256 * (gsize)(nobj + 1)), *hdr = g_string_new(NULL);
    long *off = pr_xmalloc((size_t)nobj * sizeof *off);
    /* the Document */
    off[0] = (long)objs->len;
    g_string_append_printf(objs, "<< /Type /StructElem /S /Document /P %d 0 R /K [", str_id);
    for (int k = 0; k < doc.nkids; k++)
        g_string_append_printf(objs, " %d 0 R", nodes[doc.kids[k].index].id);
    g_string_append(objs, " ] >>\n");
    /* the tree's root and its ParentTree: each page's MCIDs to their
     * elements, then each link annotation to its Link */
    off[1] = (long)objs->len;
    g_string_append_printf(objs, "<< /Type /StructTreeRoot /K %d 0 R /ParentTree << /Nums [", doc_id);
    /* each page's MCIDs in one array: page i's from start[i] */
    long *start = pr_xmalloc((size_t)(np + 1) * sizeof *start);
    start[0] = 0;
    for (int i = 0; i < np; i++)
        start[i + 1] = start[i] + (i < m->mcids_cap ? m->mcids[i] : 0);
    int *byid = pr_xmalloc((size_t)(start[np] ? start[np] : 1) * sizeof *byid);
    for (long k = 0; k < start[np]; k++)
        byid[k] = -1;
    for (int k = 0; k < m->nmcrs; k++) {
        const struct pr_pdf_mcr *r = &m->mcrs[k];
        if (r->page >= 0 && r->page < np && r->mcid >= 0 && r->mcid < start[r->page + 1] - start[r->page])
            byid[start[r->page] + r->mcid] = r->elem;
    }
    for (int i = 0; i < np; i++) {
        if (start[i + 1] == start[i])
            continue;
        g_string_append_printf(objs, " %d [", i);
        for (long k = start[i]; k < start[i + 1]; k++) {
            if (byid[k] >= 0 && byid[k] < ne)
                g_string_append_printf(objs, " %d 0 R", nodes[byid[k]].id);
            else
                g_string_append(objs, " null");
        }
        g_string_append(objs, " ]");
    }
    free(byid);
    free(start);
    int key = np;
    for (int k = 0; k < m->nlinks; k++)
        if (pr_pdf_link_keyed(m, annots, k)) {
            if (annot_ids[k] > 0)
                g_string_append_printf(objs, " %d %d 0 R", key, nodes[m->links[k].elem].id);
            key++;
        }
    g_string_append_printf(objs, " ] >> /ParentTreeNextKey %d >>\n", key);
    for (int i = 0; i < ne; i++) {
        off[2 + i] = (long)objs->len;
        int parent = m->elems[i].parent;
        element(objs, post, nodes, i, parent < 0 ? doc_id : nodes[parent].id, w.pages, annot_ids);
        g_string_append_c(objs, '\n');
    }
    for (int i = 0; i < nobj; i++)
        g_string_append_printf(hdr, "%d %ld ", i == 0 ? doc_id : i == 1 ? str_id : first_elem + i - 2, off[i]);
    g_string_append_c(hdr, '\n');
    long first = (long)hdr->len;
    g_string_prepend(objs, hdr->str);

    /* the update: the catalog again, the object stream, the xref stream */
    bool ok = false;
    size_t zn = 0; /* (libdeflate: zlib's compress2 took 5 ms for the N=64 bench's 350 KB tree) */
    unsigned char *z = pr_pdf_deflate(objs->str, objs->len, 6, &zn);
    FILE *f = z ? fopen(path, "ab") : NULL;
    if (f) {
        long base = ftell(f);
        GString *out = g_string_new(NULL);
        size_t cl = strlen(w.catalog);
        /* the catalog with its tree: its text without the closing ">>" */
        while (cl > 0 && w.catalog[cl - 1] != '>')
            cl--;
        long cat_off = base + (long)out->len;
        g_string_append_printf(out, "%d 0 obj\n%.*s /StructTreeRoot %d 0 R >>\nendobj\n", w.root,
                               (int)(cl >= 2 ? cl - 2 : 0), w.catalog, str_id);
        long stm_off = base + (long)out->len;
        g_string_append_printf(out, "%d 0 obj\n<< /Type /ObjStm /N %d /First %ld /Filter /FlateDecode /Length %lu >>\nstream\n",
                               objstm_id, nobj, first, (unsigned long)zn);
        g_string_append_len(out, (const char *)z, (gssize)zn);
        g_string_append(out, "\nendstream\nendobj\n");
        long xref_off = base + (long)out->len;
        GString *x = g_string_new(NULL); /* type (1), field 2 (4), field 3 (4) */
        be(x, 1, 1), be(x, (unsigned long long)cat_off, 4), be(x, 0, 4);
        for (int i = 0; i < nobj; i++)
            be(x, 2, 1), be(x, (unsigned long long)objstm_id, 4), be(x, (unsigned long long)i, 4);
        be(x, 1, 1), be(x, (unsigned long long)stm_off, 4), be(x, 0, 4);
        be(x, 1, 1), be(x, (unsigned long long)xref_off, 4), be(x, 0, 4);
        size_t xn = 0;
        unsigned char *xz = pr_pdf_deflate(x->str, x->len, 6, &xn);
        if (xz) {
            g_string_append_printf(out, "%d 0 obj\n<< /Type /XRef /Size %d /Index [%d 1 %d %d] /W [1 4 4] /Root %d 0 R",
                                   xref_id, xref_id + 1, w.root, w.size, nobj + 2, w.root);
            if (*w.info)
                g_string_append_printf(out, " /Info %s", w.info);
            if (*w.id)
                g_string_append_printf(out, " /ID %s", w.id);
            g_string_append_printf(out, " /Prev %ld /Filter /FlateDecode /Length %lu >>\nstream\n", w.prev,
                                   (unsigned long)xn);
            g_string_append_len(out, (const char *)xz, (gssize)xn);
            g_string_append_printf(out, "\nendstream\nendobj\nstartxref\n%ld\n%%%%EOF\n", xref_off);
            ok = fwrite(out->str, 1, out->len, f) == out->len;
            free(xz);
        }
        g_string_free(x, TRUE);
        g_string_free(out, TRUE);
        if (fclose(f) != 0)
            ok = false;
    }
    if (!ok)
        snprintf(err, errlen, "cannot add the structure tree to '%s'", path);
    free(z);
    free(off);
    g_string_free(objs, TRUE);
    g_string_free(hdr, TRUE);
    for (int i = 0; i < ne; i++)
        free(nodes[i].kids);
    free(nodes);
    free(doc.kids);
    free(annot_ids);
    written_free(&w);
    return ok;
}

/* ---------- cairo's own structure tree, set aside ---------- */

/* Mark object `id` of a classic cross-reference table (count entries of
 * 20 bytes) free, if its entry points at "id 0 obj\n" followed by `what`
 * in data. */
static bool free_object(char *table, int count, const char *data, size_t len, long id, const char *what)
{
    if (id <= 0 || id >= count)
        return false;
    char *e = table + id * 20;
    long at = strtol(e, NULL, 10);
    char head[32];
    int n = snprintf(head, sizeof head, "%ld 0 obj\n", id);
    size_t w = strlen(what);
    if (e[17] != 'n' || at < 0 || (size_t)at + (size_t)n + w > len || memcmp(data + at, head, (size_t)n) != 0 ||
        memcmp(data + at + n, what, w) != 0)
        return false;
    e[17] = 'f';
    return true;
}

bool pr_pdf_drop_cairo_tree(const char *path)
{
    /* cairo 1.16 writes a classic cross-reference table (one subsection
     * from 0, entries of 20 bytes), its structure elements as plain
     * objects "N 0 obj\n<< /Type /StructElem", and its ParentTree as one
     * /Nums object of per-page arrays: each is marked free, so that qpdf
     * never reads them (it reads every object once a new one is made, and
     * the thousands of a long issue's elements cost more time and memory
     * than the rest of the post-pass). Anything unexpected, and that part
     * is left as it is: the post-pass replaces the tree anyway. */
    gchar *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, NULL))
        return false;
    bool done = false;
    long xref = pr_pdfscan_startxref(data, len);
    int first = -1, count = 0, skip = 0;
    if (xref > 0 && (gsize)xref < len && sscanf(data + xref, "xref\n%d %d\n%n", &first, &count, &skip) == 2 &&
        first == 0 && count > 0 && skip > 0 && (gsize)xref + (gsize)skip + (gsize)count * 20 <= len) {
        char *table = data + xref + skip;
        static const char obj[] = " 0 obj\n", elem[] = "<< /Type /StructElem", root[] = "<< /Type /StructTreeRoot";
        int n = 0;
        for (char *p = data; (p = memmem(p, (size_t)(data + xref - p), obj, sizeof obj - 1)); p += sizeof obj - 1) {
            const char *q = p;
            while (q > data && q[-1] >= '0' && q[-1] <= '9')
                q--;
            if (q == p || (q > data && q[-1] != '\n'))
                continue;
            long id = strtol(q, NULL, 10);
            const char *body = p + sizeof obj - 1;
            if (strncmp(body, elem, sizeof elem - 1) == 0)
                n += free_object(table, count, data, len, id, elem);
            else if (strncmp(body, root, sizeof root - 1) == 0) {
                /* the root, its ParentTree and the ParentTree's arrays */
                const char *pt = strstr(body, "/ParentTree ");
                long tree = pt && pt < data + xref ? strtol(pt + 12, NULL, 10) : -1;
                const char *nums = tree > 0 && tree < count ? data + strtol(table + tree * 20, NULL, 10) : NULL;
                if (nums && free_object(table, count, data, len, tree, "<< /Nums [")) {
                    const char *c = strstr(nums, "[") + 1;
                    long k, a;
                    int used;
                    while (sscanf(c, " %ld %ld 0 R%n", &k, &a, &used) == 2) {
                        n += free_object(table, count, data, len, a, "[");
                        c += used;
                    }
                }
                n += free_object(table, count, data, len, id, root);
            }
        }
        done = n > 0;
        if (done) {
            FILE *f = fopen(path, "r+b");
            done = f && fseek(f, xref + skip, SEEK_SET) == 0 && fwrite(table, 20, (size_t)count, f) == (size_t)count;
            if (f && fclose(f) != 0)
                done = false;
        }
    }
    g_free(data);
    return done;
}

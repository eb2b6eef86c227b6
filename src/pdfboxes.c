/* pdfboxes.c - the qpdf post-pass over the PDF cairo wrote: page labels
 * equal to the printed folios, link annotations (internal ones as explicit
 * page destinations: cairo 1.16 drops links to later pages), and a
 * deterministic /ID so the same input gives the same bytes. The only file
 * that includes qpdf. Called by the PDF back ends. */
#include "backends.h"
#include <qpdf/qpdf-c.h>
#include <stdlib.h>
#include <string.h>

static qpdf_oh real(qpdf_data q, double v)
{
    return qpdf_oh_new_real_from_double(q, v, 2);
}

static bool all_digits(const char *s)
{
    if (!s || !*s || *s == '0')
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* /PageLabels: one range per run of consecutive numeric folios, a prefix
 * label (/P) for anything else. */
static void page_labels(qpdf_data q, const struct pr_book *bk)
{
    qpdf_oh nums = qpdf_oh_new_array(q);
    long expect = -1;
    for (int i = 0; i < bk->npages; i++) {
        const char *f = bk->pages[i].folio;
        if (all_digits(f) && atol(f) == expect) {
            expect++;
            continue;
        }
        qpdf_oh d = qpdf_oh_new_dictionary(q);
        if (all_digits(f)) {
            qpdf_oh_replace_key(q, d, "/S", qpdf_oh_new_name(q, "/D"));
            qpdf_oh_replace_key(q, d, "/St", qpdf_oh_new_integer(q, atol(f)));
            expect = atol(f) + 1;
        } else {
            qpdf_oh_replace_key(q, d, "/P", qpdf_oh_new_unicode_string(q, f ? f : ""));
            expect = -1;
        }
        qpdf_oh_append_item(q, nums, qpdf_oh_new_integer(q, i));
        qpdf_oh_append_item(q, nums, d);
    }
    qpdf_oh pl = qpdf_oh_new_dictionary(q);
    qpdf_oh_replace_key(q, pl, "/Nums", nums);
    qpdf_oh_replace_key(q, qpdf_get_root(q), "/PageLabels", pl);
}

static const struct pr_pdf_dest *find_dest(const struct pr_pdf_marks *m, const char *name)
{
    for (int i = 0; i < m->ndests; i++)
        if (strcmp(m->dests[i].name, name) == 0)
            return &m->dests[i];
    return NULL;
}

static void links(qpdf_data q, const struct pr_book *bk, const struct pr_pdf_marks *m)
{
    for (int i = 0; i < m->nlinks; i++) {
        const struct pr_pdf_link *l = &m->links[i];
        if (l->page < 0 || l->page >= bk->npages)
            continue;
        qpdf_oh a = qpdf_oh_new_dictionary(q);
        qpdf_oh_replace_key(q, a, "/Type", qpdf_oh_new_name(q, "/Annot"));
        qpdf_oh_replace_key(q, a, "/Subtype", qpdf_oh_new_name(q, "/Link"));
        qpdf_oh rect = qpdf_oh_new_array(q);
        qpdf_oh_append_item(q, rect, real(q, l->x));
        qpdf_oh_append_item(q, rect, real(q, bk->page_h - (l->y + l->h)));
        qpdf_oh_append_item(q, rect, real(q, l->x + l->w));
        qpdf_oh_append_item(q, rect, real(q, bk->page_h - l->y));
        qpdf_oh_replace_key(q, a, "/Rect", rect);
        qpdf_oh border = qpdf_oh_new_array(q);
        for (int k = 0; k < 3; k++)
            qpdf_oh_append_item(q, border, qpdf_oh_new_integer(q, 0));
        qpdf_oh_replace_key(q, a, "/Border", border);
        if (l->uri) {
            qpdf_oh act = qpdf_oh_new_dictionary(q);
            qpdf_oh_replace_key(q, act, "/S", qpdf_oh_new_name(q, "/URI"));
            qpdf_oh_replace_key(q, act, "/URI", qpdf_oh_new_string(q, l->uri));
            qpdf_oh_replace_key(q, a, "/A", act);
        } else {
            const struct pr_pdf_dest *d = l->dest ? find_dest(m, l->dest) : NULL;
            if (!d || d->page < 0 || d->page >= bk->npages)
                continue;
            qpdf_oh dest = qpdf_oh_new_array(q);
            qpdf_oh_append_item(q, dest, qpdf_get_page_n(q, (size_t)d->page));
            qpdf_oh_append_item(q, dest, qpdf_oh_new_name(q, "/XYZ"));
            qpdf_oh_append_item(q, dest, qpdf_oh_new_null(q));
            qpdf_oh_append_item(q, dest, real(q, bk->page_h - d->y + 4));
            qpdf_oh_append_item(q, dest, qpdf_oh_new_null(q));
            qpdf_oh_replace_key(q, a, "/Dest", dest);
        }
        qpdf_oh page = qpdf_get_page_n(q, (size_t)l->page);
        qpdf_oh annots = qpdf_oh_get_key(q, page, "/Annots");
        if (!qpdf_oh_is_array(q, annots)) {
            annots = qpdf_oh_new_array(q);
            qpdf_oh_replace_key(q, page, "/Annots", annots);
        }
        qpdf_oh_append_item(q, annots, qpdf_make_indirect_object(q, a));
    }
}

bool pr_pdfboxes_run(struct pr_build *b, const unsigned char *pdf, size_t len, const char *out_path,
                     const struct pr_book *bk, const struct pr_pdf_marks *m)
{
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    bool ok = false;
    if (qpdf_read_memory(q, "cairo output", (const char *)pdf, (unsigned long long)len, NULL) & QPDF_ERRORS)
        goto done;
    if (qpdf_get_num_pages(q) != bk->npages)
        goto done;
    page_labels(q, bk);
    links(q, bk, m);
    if (qpdf_init_write(q, out_path) & QPDF_ERRORS)
        goto done;
    qpdf_set_deterministic_ID(q, QPDF_TRUE);
    if (qpdf_write(q) & QPDF_ERRORS)
        goto done;
    ok = true;
done:
    if (!ok) {
        const char *why = qpdf_has_error(q) ? qpdf_get_error_full_text(q, qpdf_get_error(q)) : "page count differs";
        pr_diag(&b->diags, PR_D_OUTPUT, (struct pr_pos){0}, "cannot finish '%s': %s", out_path, why);
    }
    qpdf_cleanup(&q);
    return ok;
}

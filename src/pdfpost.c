/* pdfpost.c - the qpdf post-pass's small helpers, shared by its files
 * (pdfboxes.c, pdftags.c; pdfpost.h): numbers, sub-dictionaries, streams. */
#include "pdfpost.h"

qpdf_oh pr_qpdf_real(qpdf_data q, double v)
{
    return qpdf_oh_new_real_from_double(q, v, 2);
}

qpdf_oh pr_qpdf_sub_dict(qpdf_data q, qpdf_oh d, const char *key)
{
    qpdf_oh v = qpdf_oh_get_key(q, d, key);
    if (!qpdf_oh_is_dictionary(q, v)) {
        v = qpdf_oh_new_dictionary(q);
        qpdf_oh_replace_key(q, d, key, v);
    }
    return v;
}

qpdf_oh pr_qpdf_stream(qpdf_data q, const void *data, size_t len)
{
    qpdf_oh st = qpdf_oh_new_stream(q);
    qpdf_oh_replace_stream_data(q, st, data, len, qpdf_oh_new_null(q), qpdf_oh_new_null(q));
    return st;
}

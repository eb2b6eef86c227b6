/* markdown_notes.c - input stage, article bodies: footnotes. Finds the
 * labels as written in the source (cmark keeps only numbers), and reports
 * references never defined and definitions never referenced or repeated.
 * Called by markdown_block.c, markdown_inline.c and pr_markdown_parse. */
#include "markdown_int.h"
#include <string.h>
#include <strings.h>

/* Length of a footnote label at s ("[^label]"): no blanks or brackets in the
 * label. Returns the length of the whole "[^label]", or 0. */
size_t md_label_len(const char *s, size_t n)
{
    if (n < 4 || s[0] != '[' || s[1] != '^')
        return 0;
    for (size_t i = 2; i < n; i++) {
        char ch = s[i];
        if (ch == ']')
            return i > 2 ? i + 1 : 0;
        if (ch == '[' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r')
            return 0;
    }
    return 0;
}

/* Label as written at a footnote definition: cmark places the definition
 * after its "[^label]:" marker, so look back for the marker on that line. */
void md_def_label(struct conv *c, int bline, int col, struct pr_footnote *note)
{
    long len;
    const char *s = md_src_line(c, bline, &len);
    if (!s)
        return;
    long end = col - 1 < len ? col - 1 : len;
    for (long i = end - 1; i >= 0; i--) {
        size_t l = md_label_len(s + i, (size_t)(len - i));
        if (l && i + (long)l < len && s[i + (long)l] == ':' && i + (long)l < end) {
            note->label = pr_arena_strndup(c->A, s + i + 2, l - 3);
            note->pos = md_body_pos(c, bline, (int)i + 1);
            return;
        }
    }
}

/* Footnote references cmark could not resolve stay in the text as "[^x]".
 * Each one found is looked up on its source line for a column; one written
 * as "\[^x]" was meant literally and is left alone. */
void md_check_refs(struct walk *w, cmark_node *n, const char *lit)
{
    struct conv *c = w->c;
    const char *p = strstr(lit, "[^");
    if (!p)
        return;
    int bline = md_node_bline(w, n), col = md_node_col(w, n);
    long llen = 0;
    const char *line = md_src_line(c, bline, &llen);
    long cursor = col > 0 ? col - 1 : 0;
    /* only the node's own stretch of the line is searched */
    int end = cmark_node_get_end_column(n) + w->col_off;
    if (cmark_node_get_end_line(n) + w->line_off == bline && end > 0 && end < llen)
        llen = end;
    size_t total = strlen(lit);
    for (; p; p = strstr(p + 1, "[^")) {
        size_t l = md_label_len(p, total - (size_t)(p - lit));
        if (!l)
            continue;
        /* search on from the previous find; after a miss, stop searching
         * (an entity-written label) and use the node's own column */
        int at = col;
        long found = -1;
        for (long i = cursor; line && i + (long)l <= llen; i++)
            if (memcmp(line + i, p, l) == 0) {
                found = i;
                break;
            }
        if (found >= 0) {
            at = (int)found + 1;
            cursor = found + (long)l;
            if (found > 0 && line[found - 1] == '\\')
                at = -1;
        } else
            line = NULL;
        if (at >= 0) {
            int ll = (int)l;
            if (w->fenced)
                pr_diag(c->in->diags, PR_D_FOOTNOTE, md_body_pos(c, bline, at),
                        "footnote references do not work inside a %s block; write the note's text "
                        "into it, or remove '%.*s'", w->fenced, ll, p);
            else
                pr_diag(c->in->diags, PR_D_FOOTNOTE, md_body_pos(c, bline, at),
                        "footnote '%.*s' is referenced but never defined; "
                        "add '%.*s: …' at the end of the article", ll, p, ll, p);
        }
        p += l - 1;
    }
}

/* The label as written at a note's first reference, in case its definition's
 * marker cannot be found (the definition's own spelling wins). */
void md_ref_label(struct walk *w, cmark_node *n, int number)
{
    struct conv *c = w->c;
    if (number < 1 || number > c->doc->nnotes || c->doc->notes[number - 1].label)
        return;
    long len;
    const char *s = md_src_line(c, md_node_bline(w, n), &len);
    long col = md_node_col(w, n) - 1;
    if (!s || col < 0 || col >= len)
        return;
    size_t l = md_label_len(s + col, (size_t)(len - col));
    if (l)
        c->doc->notes[number - 1].label = pr_arena_strndup(c->A, s + col + 2, l - 3);
}

/* ---------- footnote definitions nobody references ---------- */

/* cmark drops definitions that are never referenced (and the second of two
 * with one label), so the source is scanned for "[^label]:" lines outside
 * fenced code, after up to three spaces and any '>' markers. */
void md_check_unused_notes(struct conv *c)
{
    char fence = 0;
    long fence_len = 0;
    for (int bl = 1; bl <= c->nlines; bl++) {
        long len;
        const char *s = md_src_line(c, bl, &len);
        long i = 0;
        for (int k = 0; k < 3 && i < len && s[i] == ' '; k++)
            i++;
        while (i < len && s[i] == '>') {
            i++;
            while (i < len && s[i] == ' ')
                i++;
        }
        if (i < len && (s[i] == '`' || s[i] == '~')) {
            long j = i;
            while (j < len && s[j] == s[i])
                j++;
            if (j - i >= 3) {
                if (!fence) {
                    fence = s[i];
                    fence_len = j - i;
                } else if (s[i] == fence && j - i >= fence_len)
                    fence = 0;
            }
            continue;
        }
        if (fence)
            continue;
        size_t l = md_label_len(s + i, (size_t)(len - i));
        if (!l || i + (long)l >= len || s[i + (long)l] != ':')
            continue;
        struct pr_pos pos = md_body_pos(c, bl, (int)i + 1);
        const struct pr_footnote *same = NULL;
        bool used = false;
        for (int k = 0; k < c->doc->nnotes; k++) {
            const struct pr_footnote *note = &c->doc->notes[k];
            if (note->pos.line == pos.line && note->pos.col == pos.col)
                used = true;
            else if (note->label && strlen(note->label) == l - 3 &&
                     strncasecmp(note->label, s + i + 2, l - 3) == 0)
                same = note;
        }
        if (used)
            continue;
        int ll = (int)l;
        if (same)
            pr_diag(c->in->diags, PR_D_FOOTNOTE, pos,
                    "footnote '%.*s' is defined twice; only the definition on line %d is used",
                    ll, s + i, same->pos.line);
        else
            pr_diag(c->in->diags, PR_D_FOOTNOTE, pos,
                    "footnote '%.*s' is defined but never referenced; "
                    "refer to it with '%.*s' in the text or delete it", ll, s + i, ll, s + i);
    }
}

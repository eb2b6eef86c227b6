/* out_dump.c - text dumps of the models, for --dump and golden tests.
 * pr_dump_doc reads the issue model and every article's document model (as
 * markdown.c left them) and writes one indented line per node. Called by
 * build.c for --dump=doc and by the tests. Output is stable: no addresses,
 * only what the models hold, strings quoted with C escapes. */
#include "input.h"
#include <string.h>

static void indent(FILE *f, int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("  ", f);
}

/* A string in double quotes; '"', '\' and control characters escaped, other
 * UTF-8 as is. NULL prints as none. */
static void put_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("none", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p < 0x20 || *p == 0x7F)
            fprintf(f, "\\x%02X", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

/* "key: value" on a line of its own; nothing when the value is NULL. */
static void put_kv(FILE *f, int depth, const char *key, const char *val)
{
    if (!val)
        return;
    indent(f, depth);
    fprintf(f, "%s: ", key);
    put_str(f, val);
    fputc('\n', f);
}

static void put_pos(FILE *f, struct pr_pos p)
{
    if (p.line > 0)
        fprintf(f, " %d:%d", p.line, p.col);
}

/* ---------- document model ---------- */

static void dump_inlines(FILE *f, const struct pr_inline *in, int depth)
{
    for (; in; in = in->next) {
        indent(f, depth);
        switch (in->kind) {
        case PR_IN_TEXT:
            fputs("text ", f);
            put_str(f, in->text);
            break;
        case PR_IN_CODE:
            fputs("code ", f);
            put_str(f, in->text);
            break;
        case PR_IN_EMPH:
            fputs("emph", f);
            break;
        case PR_IN_STRONG:
            fputs("strong", f);
            break;
        case PR_IN_LINK:
            fputs("link ", f);
            put_str(f, in->url);
            break;
        case PR_IN_SOFTBREAK:
            fputs("softbreak", f);
            break;
        case PR_IN_LINEBREAK:
            fputs("linebreak", f);
            break;
        case PR_IN_NOTEREF:
            fprintf(f, "noteref %d", in->note);
            break;
        case PR_IN_LANG:
            fprintf(f, "lang %s", in->lang ? in->lang : "?");
            break;
        case PR_IN_STRIKE:
            fputs("strike", f);
            break;
        case PR_IN_FIELD:
            fprintf(f, "field %d", in->note);
            break;
        }
        fputc('\n', f);
        dump_inlines(f, in->children, depth + 1);
    }
}

/* Code as "| line" rows, so the text is seen as it will be set. */
static void dump_code(FILE *f, const char *text, int depth)
{
    const char *s = text ? text : "";
    do {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        indent(f, depth);
        fputs(n ? "| " : "|", f);
        fwrite(s, 1, n, f);
        fputc('\n', f);
        s = e ? e + 1 : NULL;
    } while (s);
}

static void dump_blocks(FILE *f, const struct pr_block *blk, int depth)
{
    static const char *const names[] = {
        [PR_BLK_PARA] = "para",     [PR_BLK_HEADING] = "heading", [PR_BLK_QUOTE] = "quote",
        [PR_BLK_PULLQUOTE] = "pullquote", [PR_BLK_LIST] = "list", [PR_BLK_ITEM] = "item",
        [PR_BLK_IMAGE] = "image",   [PR_BLK_RULE] = "rule",       [PR_BLK_CODE] = "code", [PR_BLK_SIDEBAR] = "sidebar", [PR_BLK_VERSE] = "verse",
        [PR_BLK_TABLE] = "table",
    };
    for (; blk; blk = blk->next) {
        indent(f, depth);
        fputs(names[blk->kind], f);
        put_pos(f, blk->pos);
        switch (blk->kind) {
        case PR_BLK_HEADING:
            fprintf(f, " level=%d", blk->level);
            /* fall through */
        case PR_BLK_PARA:
            fprintf(f, " dir=%s", blk->dir == PR_DIR_RTL ? "rtl" : "ltr");
            break;
        case PR_BLK_LIST:
            if (blk->ordered)
                fprintf(f, " ordered start=%d", blk->start);
            else
                fputs(" bullet", f);
            fputs(blk->tight ? " tight" : " loose", f);
            break;
        case PR_BLK_TABLE:
            fprintf(f, " rows=%d cols=%d align=", blk->rows, blk->cols);
            for (int k = 0; k < blk->cols; k++)
                fputc("-lcr"[blk->align[k]], f);
            fputs(" numbers=", f);
            for (int k = 0; k < blk->cols; k++)
                fputc(blk->numeric && blk->numeric[k] ? 'y' : 'n', f);
            break;
        default:
            break;
        }
        if (blk->lang)
            fprintf(f, " lang=%s", blk->lang);
        if (blk->fields)
            fputs(" fields", f);
        fputc('\n', f);
        switch (blk->kind) {
        case PR_BLK_PARA:
        case PR_BLK_HEADING:
            dump_inlines(f, blk->inlines, depth + 1);
            break;
        case PR_BLK_IMAGE:
            put_kv(f, depth + 1, "src", blk->src);
            indent(f, depth + 1);
            fputs("path: ", f);
            put_str(f, blk->path);
            fputc('\n', f);
            put_kv(f, depth + 1, "alt", blk->alt);
            put_kv(f, depth + 1, "caption", blk->caption);
            break;
        case PR_BLK_CODE:
            dump_code(f, blk->text, depth + 1);
            break;
        case PR_BLK_SIDEBAR:
            put_kv(f, depth + 1, "title", blk->text);
            dump_blocks(f, blk->children, depth + 1);
            break;
        case PR_BLK_TABLE:
            if (blk->inlines) {
                indent(f, depth + 1);
                fputs("caption\n", f);
                dump_inlines(f, blk->inlines, depth + 2);
            }
            for (int r = 0; r < blk->rows; r++)
                for (int k = 0; k < blk->cols; k++) {
                    indent(f, depth + 1);
                    fprintf(f, "%s %d,%d\n", r ? "cell" : "head", r, k);
                    dump_inlines(f, blk->cells[r * blk->cols + k], depth + 2);
                }
            break;
        default:
            dump_blocks(f, blk->children, depth + 1);
            break;
        }
    }
}

/* The article's page plan, only what differs from the defaults. */
static void dump_plan(FILE *f, const struct pr_article *a)
{
    static const char *const starts[] = {"page", "right", "spread", "continue"};
    if (a->pages)
        fprintf(f, "  pages: %d\n", a->pages);
    if (a->start != PR_START_PAGE)
        fprintf(f, "  start: %s\n", starts[a->start]);
    if (a->columns)
        fprintf(f, "  columns: %d\n", a->columns);
    if (a->drop_cap)
        fprintf(f, "  drop-cap: %s\n", a->drop_cap > 0 ? "true" : "false");
    for (int i = 0; i < a->npullquotes; i++)
        put_kv(f, 1, "pullquote", a->pullquotes[i]);
}

static void dump_article(FILE *f, const struct pr_article *a)
{
    fprintf(f, "article %s (%s) lang=%s%s\n", a->id ? a->id : "?",
            a->file ? a->file : a->path ? a->path : "?", a->language ? a->language : "?",
            a->editorial ? " editorial" : "");
    put_kv(f, 1, "title", a->title);
    put_kv(f, 1, "kicker", a->kicker);
    put_kv(f, 1, "deck", a->deck);
    put_kv(f, 1, "byline", a->byline);
    put_kv(f, 1, "bio", a->bio);
    for (int i = 0; i < a->nauthors; i++)
        put_kv(f, 1, "author", a->authors[i]);
    put_kv(f, 1, "section", a->section);
    put_kv(f, 1, "date", a->date);
    put_kv(f, 1, "translator", a->translator);
    put_kv(f, 1, "note", a->note);
    put_kv(f, 1, "image", a->image);
    put_kv(f, 1, "caption", a->caption);
    put_kv(f, 1, "image-alt", a->image_alt);
    dump_plan(f, a);
    if (!a->doc) {
        fputs("  (body not parsed)\n", f);
        return;
    }
    fprintf(f, "  words: %ld\n", a->doc->words);
    dump_blocks(f, a->doc->blocks, 1);
    for (int i = 0; i < a->doc->nnotes; i++) {
        const struct pr_footnote *n = &a->doc->notes[i];
        fprintf(f, "  footnote %d [^%s]", n->number, n->label ? n->label : "?");
        put_pos(f, n->pos);
        fputc('\n', f);
        dump_blocks(f, n->blocks, 2);
    }
}

static void dump_ad(FILE *f, const struct pr_ad *ad)
{
    static const char *const sizes[] = {"full", "half", "half-vertical", "third",
                                        "third-vertical", "quarter"};
    static const char *const ats[] = {"any", "inside-front-cover", "inside-back-cover",
                                      "back-cover", "page", "after", "facing"};
    static const char *const kinds[] = {"pdf", "image", "markdown"};
    fprintf(f, "%s %s (%s) size=%s", ad->filler ? "filler" : "ad", ad->name ? ad->name : "?",
            ad->file ? ad->file : "?", sizes[ad->size]);
    if (!ad->filler) {
        fprintf(f, " at=%s", ats[ad->at]);
        if (ad->at == PR_AT_PAGE)
            fprintf(f, " %d", ad->at_page);
        else if (ad->at_article)
            fprintf(f, " %s", ad->at_article);
    }
    fprintf(f, " kind=%s%s", ad->path ? kinds[ad->kind] : "missing", ad->epub ? " epub" : "");
    if (ad->kind == PR_ASSET_PDF && ad->src_page != 1)
        fprintf(f, " page=%d", ad->src_page);
    fputc('\n', f);
    if (ad->item)
        dump_article(f, ad->item);
}

void pr_dump_doc(const struct pr_issue *is, FILE *f)
{
    if (!is) {
        fputs("issue (not loaded)\n", f);
        return;
    }
    fputs("issue", f);
    if (is->manifest_path)
        fprintf(f, " (%s)", is->manifest_path);
    fputc('\n', f);
    put_kv(f, 1, "title", is->title);
    put_kv(f, 1, "issue", is->issue);
    put_kv(f, 1, "date", is->date);
    put_kv(f, 1, "slug", is->slug);
    put_kv(f, 1, "language", is->language);
    put_kv(f, 1, "publisher", is->publisher);
    if (is->volume)
        fprintf(f, "  volume: %d\n", is->volume);
    if (is->number)
        fprintf(f, "  number: %d\n", is->number);
    put_kv(f, 1, "layout", is->layout_name);
    put_kv(f, 1, "cover", is->cover_image);
    for (int i = 0; i < is->ncover_lines; i++)
        put_kv(f, 1, "cover-line", is->cover_lines[i]);
    if (is->editorial)
        dump_article(f, is->editorial);
    for (int i = 0; i < is->narticles; i++)
        dump_article(f, &is->articles[i]);
    for (int i = 0; i < is->nads; i++)
        dump_ad(f, &is->ads[i]);
    for (int i = 0; i < is->nfillers; i++)
        dump_ad(f, &is->fillers[i]);
}

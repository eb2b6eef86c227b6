/* manifest.c - input stage: issue.yaml -> the issue model. Reads
 * the manifest, each article's file (front matter merged under the manifest's
 * fields, body source kept for markdown.c) and the layout (layoutdef.c).
 * Called by build.c before every other stage. YAML goes through yamltree.c. */
#define _GNU_SOURCE
#include "manifest_int.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* ---------- article fields (manifest entry or front matter) ---------- */

enum afield {
    A_FILE, A_TITLE, A_DECK, A_AUTHORS, A_DATE, A_SECTION, A_TRANSLATOR, A_NOTE, A_IMAGE,
    A_CAPTION, A_LANGUAGE, A_IMAGE_ALT, A_ALT,
    /* the page plan */
    A_PAGES, A_START, A_COLUMNS, A_DROPCAP, A_PULLQUOTES,
    A_BYLINE, A_KICKER, A_BIO, A_KIND, A_CREDIT, A_N
};
static const char *const article_keys[] = {
    "file", "title", "deck", "authors", "date", "section", "translator", "note", "image",
    "caption", "language", "image-alt", "alt",
    "pages", "start", "columns", "drop-cap", "pullquotes",
    "byline", "kicker", "bio", "kind", "credit", NULL,
};

/* What one source (manifest entry or front matter) says about an article. */
struct afields {
    const char *s[A_N]; /* NULL = not set */
    struct pr_pos pos[A_N];
    const char **authors;
    int nauthors;
    bool authors_set;
    const char **pullquotes;
    int npullquotes;
    struct pr_placing place;    /* the lead image's, from its mapping */
    bool place_set;
};

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* An ISO date YYYY-MM-DD that exists. Reports PR_D_VALUE otherwise. */
static bool check_date(struct pr_input *in, const char *s, struct pr_pos pos, const char *key)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool shape = strlen(s) == 10 && s[4] == '-' && s[7] == '-';
    for (int i = 0; shape && i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            shape = false;
    if (!shape) {
        pr_diag(in->diags, PR_D_VALUE, pos,
                "bad date '%s' for '%s'; write the date as YYYY-MM-DD, e.g. 2024-04-20", s, key);
        return false;
    }
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    int dim = m >= 1 && m <= 12 ? mdays[m - 1] + (m == 2 && leap(y)) : 0;
    if (y < 1 || d < 1 || d > dim) {
        pr_diag(in->diags, PR_D_VALUE, pos,
                "date '%s' for '%s' does not exist; write a real date as YYYY-MM-DD", s, key);
        return false;
    }
    return true;
}

/* A BCP 47 tag in its common shape: a 2-3 letter language, then subtags of
 * 1-8 letters or digits (es, pt-BR, zh-Hant, sr-Latn-RS). */
static bool check_language(struct pr_input *in, const char *s, struct pr_pos pos)
{
    const char *p = s;
    int part = 0;
    bool ok = true;
    while (ok) {
        size_t n = 0;
        bool letters = true;
        while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z') ||
               (p[n] >= '0' && p[n] <= '9')) {
            letters &= !(p[n] >= '0' && p[n] <= '9');
            n++;
        }
        ok = part == 0 ? (letters && n >= 2 && n <= 3) : (n >= 1 && n <= 8);
        part++;
        if (!ok || p[n] == 0)
            break;
        ok = p[n] == '-';
        p += n + 1;
    }
    if (!ok)
        pr_diag(in->diags, PR_D_VALUE, pos,
                "bad language tag '%s'; write a BCP 47 tag such as en, es or pt-BR", s);
    return ok;
}

/* The fields printed as text (a title, a deck, a caption ...) get the
 * punctuation a Markdown body gets; names of files, dates, numbers and
 * keywords are left as written. */
static bool smart_key(int i)
{
    switch (i) {
    case A_TITLE: case A_DECK: case A_SECTION: case A_TRANSLATOR: case A_NOTE: case A_CAPTION:
    case A_IMAGE_ALT: case A_ALT: case A_BYLINE: case A_KICKER: case A_BIO: case A_CREDIT:
        return true;
    default:
        return false;
    }
}

/* Each of a list's strings with typographic punctuation. */
static void smart_all(struct pr_input *in, const char **v, int n)
{
    for (int i = 0; i < n; i++)
        v[i] = pr_smart_punct(in->arena, v[i]);
}

/* image: {file:, alt:, caption:, credit:, width:, crop:, focus:} */
static void read_image_map(struct pr_input *in, const struct pr_ynode *map, struct afields *out)
{
    static const char *const keys[] = {"file", "alt", "caption", "credit", "width", "crop", "focus", NULL};
    const struct pr_ynode *f[7];
    pr_ymap_fields(in, map, keys, f);
    out->pos[A_IMAGE] = map->pos;
    if (!f[0])
        pr_diag(in->diags, PR_D_MISSING_KEY, map->pos,
                "the image mapping needs 'file:', the picture's path (e.g. 'file: images/heat.jpg')");
    static const int dst[] = {A_IMAGE, A_IMAGE_ALT, A_CAPTION};
    for (int k = 0; k < 3; k++) {
        const char *s = f[k] ? pr_ystr(in, f[k], keys[k]) : NULL;
        if (s) {
            out->s[dst[k]] = k ? pr_smart_punct(in->arena, s) : s;
            out->pos[dst[k]] = f[k]->pos;
        }
    }
    for (int k = 3; k < 7; k++) {
        if (!f[k])
            continue;
        const char *s;
        if (f[k]->kind == PR_Y_SEQ && f[k]->n == 2 && f[k]->child->kind == PR_Y_SCALAR &&
            f[k]->child->next->kind == PR_Y_SCALAR)
            s = pr_arena_printf(in->arena, "%s %s", f[k]->child->str, f[k]->child->next->str);
        else
            s = pr_ystr(in, f[k], keys[k]);
        if (s && pr_placing_set(in, &out->place, keys[k], s, f[k]->pos))
            out->place_set = true;
    }
}

static void read_afields(struct pr_input *in, const struct pr_ynode *map, bool frontmatter,
                         struct afields *out)
{
    const struct pr_ynode *v[A_N];
    memset(out, 0, sizeof *out);
    pr_ymap_fields(in, map, article_keys, v);
    if (frontmatter && v[A_FILE]) {
        pr_diag(in->diags, PR_D_UNKNOWN_KEY, v[A_FILE]->key->pos,
                "key 'file' is not allowed in front matter; name the file in issue.yaml");
        v[A_FILE] = NULL;
    }
    if (v[A_IMAGE_ALT] && v[A_ALT]) {
        pr_diag(in->diags, PR_D_DUPLICATE_KEY, v[A_ALT]->key->pos,
                "'alt' and 'image-alt' (line %d) both give the image's alt text; keep only one",
                v[A_IMAGE_ALT]->key->pos.line);
        v[A_ALT] = NULL;
    }
    for (int i = 0; i < A_N; i++) {
        if (!v[i])
            continue;
        out->pos[i] = v[i]->pos;
        if (i == A_AUTHORS) {
            out->authors = pr_manifest_strings(in, v[i], "authors", "a name or a list of names",
                                       &out->nauthors);
            out->authors_set = !pr_ynode_is_null(v[i]) && v[i]->kind != PR_Y_BAD;
            smart_all(in, out->authors, out->nauthors);
            continue;
        }
        if (i == A_IMAGE && v[i]->kind == PR_Y_MAP) {
            read_image_map(in, v[i], out);
            continue;
        }
        if (i == A_PULLQUOTES) {
            out->pullquotes = pr_manifest_strings(in, v[i], "pullquotes", "a sentence or a list of sentences",
                                          &out->npullquotes);
            smart_all(in, out->pullquotes, out->npullquotes);
            continue;
        }
        const char *s = pr_ystr(in, v[i], article_keys[i]);
        if (!s)
            continue;
        if (i == A_DATE && !check_date(in, s, v[i]->pos, "date"))
            continue;
        if (i == A_LANGUAGE && !check_language(in, s, v[i]->pos))
            continue;
        out->s[i] = smart_key(i) ? pr_smart_punct(in->arena, s) : s;
    }
    if (out->s[A_ALT]) {
        out->s[A_IMAGE_ALT] = out->s[A_ALT];
        out->pos[A_IMAGE_ALT] = out->pos[A_ALT];
    }
}

/* ---------- files ---------- */


/* An image named in the manifest or front matter: it must exist and stay
 * in the issue folder (else NULL is returned), and be a sound PNG or JPEG of
 * a size pressrun accepts (image.c); all reported at `pos`, where it is
 * named, so that `check` finds a broken image before typesetting. */
static const char *check_image(struct pr_input *in, const struct pr_issue *is, const char *what,
                               const char *written, const char *path, struct pr_pos pos)
{
    struct pr_image_info info;
    if (!pr_input_check_file(in, is->dir, what, written, path, pos))
        return NULL;
    pr_image_info_read(in->diags, path, pos, &info);
    return path;
}

/* Read the article's file: body source, and its front matter into *fm.
 * Returns false when the file or its front matter could not be read whole. */
/* An article named as a word processor's file: pressrun reads Markdown. */
static bool not_markdown(struct pr_input *in, const char *path, struct pr_pos ref)
{
    static const char *const exts[] = {".docx", ".odt", ".doc", ".rtf", ".pdf", ".pages", NULL};
    size_t n = strlen(path);
    for (int i = 0; exts[i]; i++) {
        size_t e = strlen(exts[i]);
        if (n > e && strcasecmp(path + n - e, exts[i]) == 0) {
            bool importable = i < 2;
            pr_diag(in->diags, PR_D_VALUE, ref,
                    "'%s' is a %s file, and an article is Markdown; %s%s%s", path, exts[i] + 1,
                    importable ? "make it one with 'pressrun import " : "save it as .docx or .odt, make it "
                                                                          "Markdown with 'pressrun import', ",
                    importable ? path : "",
                    importable ? " --to ISSUE' and name the .md it writes here"
                               : "and name the .md it writes here");
            return true;
        }
    }
    return false;
}

static bool read_article_file(struct pr_input *in, struct pr_article *art, struct pr_pos ref,
                              struct afields *fm)
{
    if (not_markdown(in, art->path, ref))
        return false;
    long len = 0;
    const char *text = pr_file_read(in, art->path, ref, &len);
    if (!text)
        return false;
    const char *yaml, *body;
    long yaml_len;
    int yaml_line, body_line;
    bool ok = pr_frontmatter_split(in, art->path, text, len, &yaml, &yaml_len, &yaml_line,
                                   &body, &body_line);
    art->source = text;
    art->body = body;
    art->body_len = len - (long)(body - text);
    art->body_line = body_line;
    if (yaml) {
        struct pr_ynode *root;
        ok &= pr_ytree_parse(in, art->path, yaml, yaml_len, yaml_line - 1, &root);
        if (root && root->kind == PR_Y_MAP)
            read_afields(in, root, true, fm);
        else if (root && root->kind != PR_Y_BAD && !pr_ynode_is_null(root))
            pr_diag(in->diags, PR_D_FRONTMATTER, root->pos,
                    "front matter should be a mapping of keys (title:, authors: ...), not %s",
                    pr_ykind_name(root));
    }
    return ok;
}

/* A whole number from `min` to `max`, or `dflt` (reported). */
static int plan_int(struct pr_input *in, const char *s, struct pr_pos pos, const char *key,
                    int min, int max, int dflt)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s && !*end && v >= min && v <= max)
        return (int)v;
    pr_diag(in->diags, PR_D_VALUE, pos, "'%s: %s' should be a whole number from %d to %d", key, s,
            min, max);
    return dflt;
}

/* The article's page plan: pages, start, columns, drop-cap, pull-quote
 * candidates; the manifest wins over the front matter. */
static void read_plan(struct pr_input *in, struct pr_article *art, const struct afields *man,
                      const struct afields *fm)
{
    static const char *const starts[] = {"page", "right", "spread", "continue", NULL};
    const struct afields *src;
    src = man->s[A_PAGES] ? man : fm;
    if (src->s[A_PAGES]) {
        art->pages = plan_int(in, src->s[A_PAGES], src->pos[A_PAGES], "pages", 1, 999, 0);
        art->pages_pos = src->pos[A_PAGES];
    }
    src = man->s[A_START] ? man : fm;
    if (src->s[A_START]) {
        const char *s = src->s[A_START];
        int k = 0;
        while (starts[k] && strcmp(starts[k], s) != 0)
            k++;
        if (starts[k])
            art->start = (enum pr_start)k;
        else {
            const char *near = pr_did_you_mean(s, starts);
            pr_diag(in->diags, PR_D_VALUE, src->pos[A_START],
                    "'start: %s' is not known; %s%s%suse page, right, spread or continue", s,
                    near ? "did you mean '" : "", near ? near : "", near ? "'? " : "");
        }
    }
    src = man->s[A_COLUMNS] ? man : fm;
    if (src->s[A_COLUMNS])
        art->columns = plan_int(in, src->s[A_COLUMNS], src->pos[A_COLUMNS], "columns", 1, 12, 0);
    src = man->s[A_DROPCAP] ? man : fm;
    if (src->s[A_DROPCAP]) {
        const char *s = src->s[A_DROPCAP];
        if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0)
            art->drop_cap = 1;
        else if (strcmp(s, "false") == 0 || strcmp(s, "no") == 0)
            art->drop_cap = -1;
        else
            pr_diag(in->diags, PR_D_VALUE, src->pos[A_DROPCAP], "'drop-cap: %s' should be true or false",
                    s);
    }
    src = man->s[A_KIND] ? man : fm;
    if (src->s[A_KIND]) {
        static const char *const kinds[] = {"article", "poem", "department", NULL};
        const char *s = src->s[A_KIND];
        if (strcmp(s, "poem") == 0)
            art->poem = true;
        else if (strcmp(s, "department") == 0)
            art->department = true;
        else if (strcmp(s, "article") != 0) {
            const char *near = pr_did_you_mean(s, kinds);
            pr_diag(in->diags, PR_D_VALUE, src->pos[A_KIND],
                    "'kind: %s' is not known; %s%s%suse article (the default), poem (the body is verse: "
                    "line and stanza breaks kept) or department (letters, briefs: each heading starts an "
                    "item)",
                    s, near ? "did you mean '" : "", near ? near : "", near ? "'? " : "");
        }
    }
    src = man->npullquotes ? man : fm;
    art->pullquotes = src->pullquotes;
    art->npullquotes = src->npullquotes;
}

/* One article: a manifest entry (a mapping, or just the file as a string) or
 * the editorial. Returns false when there is no file to build it from. */
static bool load_article(struct pr_input *in, struct pr_issue *is, const struct pr_ynode *entry,
                         struct pr_pos pos, bool editorial, bool complete,
                         struct pr_article *art)
{
    struct afields man, fm;
    memset(&man, 0, sizeof man);
    memset(&fm, 0, sizeof fm);
    const char *what = editorial ? "'editorial'" : "each article";

    if (entry->kind == PR_Y_SCALAR && !pr_ynode_is_null(entry)) {
        man.s[A_FILE] = entry->str;
        man.pos[A_FILE] = entry->pos;
    } else if (entry->kind == PR_Y_MAP) {
        read_afields(in, entry, false, &man);
        if (!man.s[A_FILE]) {
            if (complete)
                pr_diag(in->diags, PR_D_MISSING_KEY, entry->pos,
                        "missing required key 'file'; add 'file: articles/NAME.md'");
            return false;
        }
    } else {
        if (entry->kind != PR_Y_BAD)
            pr_diag(in->diags, PR_D_TYPE, entry->pos,
                    "%s should be a mapping with 'file:' (or just the file's path), not %s",
                    what, pr_ykind_name(entry));
        return false;
    }

    memset(art, 0, sizeof *art);
    art->editorial = editorial;
    art->pos = pos;
    art->file = man.s[A_FILE];
    art->path = pr_path_join(in->arena, is->dir, art->file);
    art->body = NULL; /* stays NULL when the file cannot be read (reported) */
    art->body_line = 1;
    bool whole = pr_input_check_file(in, is->dir, editorial ? "editorial file" : "article file", art->file,
                            art->path, man.pos[A_FILE]) &&
                 read_article_file(in, art, man.pos[A_FILE], &fm);

    /* the manifest wins where both set a field */
    const char **dst[A_N] = {
        [A_TITLE] = &art->title,   [A_DECK] = &art->deck,
        [A_DATE] = &art->date,     [A_SECTION] = &art->section,
        [A_TRANSLATOR] = &art->translator, [A_NOTE] = &art->note,
        [A_CAPTION] = &art->caption, [A_LANGUAGE] = &art->language,
        [A_IMAGE_ALT] = &art->image_alt, [A_BYLINE] = &art->byline,
        [A_KICKER] = &art->kicker,   [A_BIO] = &art->bio,
    };
    for (int i = 0; i < A_N; i++)
        if (dst[i])
            *dst[i] = man.s[i] ? man.s[i] : fm.s[i];
    if (man.authors_set) {
        art->authors = man.authors;
        art->nauthors = man.nauthors;
    } else {
        art->authors = fm.authors;
        art->nauthors = fm.nauthors;
    }
    if (!art->language)
        art->language = is->language;

    /* a lead image: relative to the manifest, or to the article's file
     * when it comes from the front matter */
    const char *img = man.s[A_IMAGE] ? man.s[A_IMAGE] : fm.s[A_IMAGE];
    if (img) {
        bool from_fm = !man.s[A_IMAGE];
        art->image = img;
        art->image_pos = from_fm ? fm.pos[A_IMAGE] : man.pos[A_IMAGE];
        const char *base = from_fm ? pr_path_dir(in->arena, art->path) : is->dir;
        art->image_path = check_image(in, is, "image", img, pr_path_join(in->arena, base, img),
                                      art->image_pos);
        /* the tagged PDF's Figure and the EPUB's img need words for it */
        if (art->image_path && (!art->image_alt || !*art->image_alt))
            pr_diag(in->diags, PR_D_IMAGE_ALT, art->image_pos,
                    "image '%s' has no alt text; add 'image-alt: what it shows' (readers who cannot see it "
                    "hear the caption instead, or nothing)",
                    img);
    }

    /* how it is placed: the mapping of the manifest, else of the front
     * matter; a `credit:` of its own beside an image given as a path */
    art->image_place = man.place_set ? man.place : fm.place;
    const char *credit = man.s[A_CREDIT] ? man.s[A_CREDIT] : fm.s[A_CREDIT];
    if (credit && !art->image_place.credit)
        art->image_place.credit = credit;

    read_plan(in, art, &man, &fm);

    /* an article without a title gets its id (assign_ids); say so only when
     * the manifest and the front matter were read whole, since the title may
     * be in the part that was lost */
    if (!art->title && editorial)
        art->title = "In This Issue";
    else if (!art->title && whole && complete) {
        pr_diag(in->diags, PR_D_MISSING_KEY, entry->kind == PR_Y_MAP ? entry->pos : pos,
                "article '%s' has no title; add 'title:' to its entry here or to its front "
                "matter",
                art->file);
    }
    return true;
}

/* The article's id: its file's stem, with characters that are awkward in
 * file names and XML ids replaced by '-'; made unique by -2, -3 ... An
 * article still without a title is given its id as title. */
static void assign_ids(struct pr_input *in, struct pr_issue *is)
{
    int n = is->narticles + (is->editorial ? 1 : 0);
    struct pr_article **all = pr_arena_alloc(in->arena, (size_t)(n + 1) * sizeof *all);
    int k = 0;
    if (is->editorial)
        all[k++] = is->editorial;
    for (int i = 0; i < is->narticles; i++)
        all[k++] = &is->articles[i];
    for (int i = 0; i < n; i++) {
        struct pr_article *a = all[i];
        char *id = pr_path_stem(in->arena, a->file);
        for (char *c = id; *c; c++)
            if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
                  (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.' ||
                  (unsigned char)*c >= 0x80))
                *c = '-';
        const char *cand = *id ? id : "article";
        const char *stem = cand;
        for (int suffix = 2;; suffix++) {
            bool taken = false;
            for (int j = 0; j < i && !taken; j++)
                taken = strcmp(all[j]->id, cand) == 0;
            if (!taken)
                break;
            cand = pr_arena_printf(in->arena, "%s-%d", stem, suffix);
        }
        a->id = cand;
        if (!a->title)
            a->title = cand;
    }
}

/* The Markdown fillers, read like articles: their front matter and body
 * (set as boxed items), with the id "filler-<stem>". */
static void read_filler_items(struct pr_input *in, struct pr_issue *is)
{
    for (int k = 0; k < is->nfillers; k++) {
        struct pr_ad *f = &is->fillers[k];
        if (!f->path || f->kind != PR_ASSET_MARKDOWN)
            continue;
        struct pr_ynode file = {.kind = PR_Y_SCALAR, .pos = f->file_pos, .str = f->file};
        struct pr_article *art = pr_arena_alloc(in->arena, sizeof *art);
        if (!load_article(in, is, &file, file.pos, false, false, art))
            continue;
        art->id = pr_arena_printf(in->arena, "filler-%s", pr_path_stem(in->arena, art->file));
        f->item = art;
    }
}

/* ---------- the manifest ---------- */

enum mkey {
    M_TITLE, M_ISSUE, M_DATE, M_SLUG, M_LANGUAGE, M_PUBLISHER, M_VOLUME, M_NUMBER, M_LAYOUT,
    M_COVER, M_EDITORIAL, M_ARTICLES, M_ADS, M_FILLERS, M_MASTHEAD, M_N
};
static const char *const manifest_keys[] = {
    "title", "issue", "date", "slug", "language", "publisher", "volume", "number", "layout",
    "cover", "editorial", "articles", "ads", "fillers", "masthead", NULL,
};

static int read_count(struct pr_input *in, const struct pr_ynode *v, const char *key)
{
    const char *s = pr_ystr(in, v, key);
    if (!s)
        return 0;
    char *end;
    long n = strtol(s, &end, 10);
    if (!(*s >= '0' && *s <= '9') || *end || n < 1 || n > 1000000) {
        pr_diag(in->diags, PR_D_VALUE, v->pos,
                "'%s' should be a whole number from 1 up, e.g. '%s: 8', not '%s'", key, key, s);
        return 0;
    }
    return (int)n;
}

/* A required text field: missing and empty values are reported. */
static const char *required(struct pr_input *in, struct pr_pos at, const struct pr_ynode *v,
                            const char *key, const char *example, bool complete)
{
    if (!v) {
        if (complete)
            pr_diag(in->diags, PR_D_MISSING_KEY, at, "missing required key '%s'; add '%s: %s'",
                    key, key, example);
        return NULL;
    }
    const char *s = pr_ystr(in, v, key);
    if (pr_ynode_is_null(v) || (s && !*s))
        pr_diag(in->diags, PR_D_VALUE, v->pos, "'%s' is empty; write e.g. '%s: %s'", key, key,
                example);
    return s && *s ? s : NULL;
}

static void read_cover(struct pr_input *in, struct pr_issue *is, const struct pr_ynode *v)
{
    if (pr_ynode_is_null(v) || v->kind == PR_Y_BAD)
        return;
    if (v->kind != PR_Y_MAP) {
        pr_ytype_error(in, v, "cover", "a mapping {image:, lines:}");
        return;
    }
    static const char *const keys[] = {"image", "lines", NULL};
    const struct pr_ynode *f[2];
    pr_ymap_fields(in, v, keys, f);
    const char *img = f[0] ? pr_ystr(in, f[0], "image") : NULL;
    if (img) {
        is->cover_image = img;
        is->cover_image_pos = f[0]->pos;
        is->cover_image_path = check_image(in, is, "cover image", img,
                                           pr_path_join(in->arena, is->dir, img), f[0]->pos);
    }
    if (f[1])
        is->cover_lines = pr_manifest_strings(in, f[1], "lines", "a line of text or a list of lines",
                                      &is->ncover_lines);
    smart_all(in, is->cover_lines, is->ncover_lines);
}

static void read_articles(struct pr_input *in, struct pr_issue *is, const struct pr_ynode *v,
                          bool complete)
{
    if (v->kind == PR_Y_BAD)
        return;
    if (!pr_ynode_is_null(v) && v->kind != PR_Y_SEQ) {
        pr_ytype_error(in, v, "articles", "a list of articles ('- file: articles/NAME.md')");
        return;
    }
    if (pr_ynode_is_null(v) || v->n == 0) {
        if (complete)
            pr_diag(in->diags, PR_D_NO_ARTICLES, v->pos, "'articles' lists no article");
        return;
    }
    struct pr_article *arts = pr_arena_alloc(in->arena, (size_t)v->n * sizeof *arts);
    int n = 0;
    for (const struct pr_ynode *e = v->child; e; e = e->next)
        if (load_article(in, is, e, e->pos, false, complete, &arts[n]))
            n++;
    is->articles = arts;
    is->narticles = n;
}

static void read_manifest(struct pr_input *in, struct pr_issue *is, const struct pr_ynode *root,
                          bool complete, const struct pr_ynode **ads, const struct pr_ynode **fillers)
{
    struct pr_pos top = {is->manifest_path, 1, 1};
    const struct pr_ynode *f[M_N];
    memset(f, 0, sizeof f);
    if (root && root->kind == PR_Y_MAP) {
        pr_ymap_fields(in, root, manifest_keys, f);
        top = root->pos;
    } else if (root && root->kind != PR_Y_BAD && !pr_ynode_is_null(root)) {
        pr_diag(in->diags, PR_D_TYPE, root->pos,
                "the manifest should be a mapping of keys (title:, issue:, date:, articles: "
                "...), not %s",
                pr_ykind_name(root));
        return;
    }

    const char *s;
    if ((s = required(in, top, f[M_TITLE], "title", "<the magazine's name>", complete)))
        is->title = s;
    if ((s = required(in, top, f[M_ISSUE], "issue", "<this issue's title>", complete)))
        is->issue = pr_smart_punct(in->arena, s);
    if ((s = required(in, top, f[M_DATE], "date", "YYYY-MM-DD", complete)) &&
        check_date(in, s, f[M_DATE]->pos, "date"))
        is->date = s;
    if (f[M_SLUG] && (s = pr_ystr(in, f[M_SLUG], "slug"))) {
        if (!*s || *s == '.' || strchr(s, '/') || strchr(s, '\\'))
            pr_diag(in->diags, PR_D_VALUE, f[M_SLUG]->pos,
                    "bad slug '%s'; the slug names the output files: use letters, digits and "
                    "'-', e.g. 'slug: 2024-04-labor-notes'",
                    s);
        else
            is->slug = s;
    }
    if (f[M_LANGUAGE] && (s = pr_ystr(in, f[M_LANGUAGE], "language")) &&
        check_language(in, s, f[M_LANGUAGE]->pos))
        is->language = s;
    if (f[M_PUBLISHER])
        is->publisher = pr_ystr(in, f[M_PUBLISHER], "publisher");
    if (f[M_VOLUME])
        is->volume = read_count(in, f[M_VOLUME], "volume");
    if (f[M_NUMBER])
        is->number = read_count(in, f[M_NUMBER], "number");
    if (f[M_LAYOUT] && (s = pr_ystr(in, f[M_LAYOUT], "layout"))) {
        is->layout_name = s;
        is->layout_pos = f[M_LAYOUT]->pos;
    }
    if (f[M_COVER])
        read_cover(in, is, f[M_COVER]);
    if (f[M_MASTHEAD])
        is->masthead = pr_manifest_masthead(in, f[M_MASTHEAD]);
    if (f[M_EDITORIAL] && !pr_ynode_is_null(f[M_EDITORIAL])) {
        struct pr_article *ed = pr_arena_alloc(in->arena, sizeof *ed);
        if (load_article(in, is, f[M_EDITORIAL], f[M_EDITORIAL]->key->pos, true, complete, ed))
            is->editorial = ed;
    }
    *ads = f[M_ADS];
    *fillers = f[M_FILLERS];
    if (f[M_ARTICLES])
        read_articles(in, is, f[M_ARTICLES], complete);
    else if (complete)
        pr_diag(in->diags, PR_D_MISSING_KEY, top,
                "missing required key 'articles'; add 'articles:' with a list of "
                "'- file: articles/NAME.md'");
}

static bool is_layout_path(const char *name)
{
    size_t n = strlen(name);
    return strchr(name, '/') || (n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(name + n - 4, ".yml") == 0);
}

/* The layout: --layout wins over the manifest's `layout:`. A path on the
 * command line is relative to the working folder, in the manifest to the
 * manifest's folder (and must stay inside the issue folder). */
static void load_layout(struct pr_input *in, struct pr_issue *is)
{
    const char *name = is->layout_name ? is->layout_name : "magazine";
    struct pr_pos ref = is->layout_pos;
    const char *dir = is->dir;
    if (in->layout) {
        name = in->layout;
        ref = (struct pr_pos){NULL, 0, 0};
        if (is_layout_path(name))
            dir = ".";
    } else if (is->layout_name && is_layout_path(name)) {
        const char *p = pr_path_join(in->arena, is->dir, name);
        if (pr_path_exists(p) && !pr_input_check_file(in, is->dir, "layout file", name, p, ref)) {
            pr_layoutdef_defaults(&is->layout);
            return;
        }
    }
    is->layout_name = name;
    /* a magazine's own (licensed) faces, in the issue's fonts/ */
    const char *fonts = pr_path_join(in->arena, is->dir, "fonts");
    struct stat st;
    in->issue_fonts = stat(fonts, &st) == 0 && S_ISDIR(st.st_mode) ? fonts : NULL;
    pr_layoutdef_load(in, name, dir, ref, &is->layout);
}

static const char *default_slug(struct pr_input *in, const char *dir)
{
    char *real = realpath(dir, NULL);
    const char *p = real ? real : dir;
    const char *base = strrchr(p, '/');
    base = base && base[1] ? base + 1 : p;
    const char *slug = pr_arena_strdup(in->arena, *base ? base : "issue");
    free(real);
    return strcmp(slug, "/") == 0 ? "issue" : slug;
}

struct pr_issue *pr_manifest_load(struct pr_input *in, const char *issue_arg)
{
    struct pr_pos none = {NULL, 0, 0};
    struct stat st;
    const char *path = pr_arena_strdup(in->arena, issue_arg);
    if (stat(issue_arg, &st) == 0 && S_ISDIR(st.st_mode)) {
        path = pr_path_join(in->arena, issue_arg, "issue.yaml");
        if (!pr_path_exists(path)) {
            pr_diag(in->diags, PR_D_READ, none,
                    "no issue.yaml in folder '%s'; give the manifest's path or create it "
                    "with 'pressrun new'",
                    issue_arg);
            return NULL;
        }
    }
    long len;
    const char *text = pr_file_read(in, path, none, &len);
    if (!text)
        return NULL;

    struct pr_issue *is = pr_arena_alloc(in->arena, sizeof *is);
    is->manifest_path = path;
    is->dir = pr_path_dir(in->arena, path);
    is->title = "Untitled";
    is->issue = "";
    is->date = "1970-01-01";
    is->language = "en";
    pr_layoutdef_defaults(&is->layout);

    struct pr_ynode *root;
    const struct pr_ynode *ads = NULL, *fillers = NULL;
    bool complete = pr_ytree_parse(in, path, text, len, 0, &root);
    read_manifest(in, is, root, complete, &ads, &fillers);
    if (!is->slug)
        is->slug = default_slug(in, is->dir);
    assign_ids(in, is);
    pr_manifest_ads(in, is, ads, fillers);
    read_filler_items(in, is);
    load_layout(in, is);
    pr_manifest_hyphenation(in, is);
    return is;
}

/* import.c - `pressrun import FILE.docx|.odt [--to ISSUE]`: a contributor's
 * Word or OpenDocument file made a Markdown article of the issue, through
 * pandoc (the field's converter, run as a program): ISSUE/articles/STEM.md
 * with front matter (title, authors and deck from the document's
 * properties where set), its pictures extracted into ISSUE/images/STEM/,
 * footnotes, emphasis, headings, lists and tables kept in the Markdown
 * pressrun reads (CommonMark, footnotes, pipe tables, strikethrough).
 * Nothing is overwritten; the article is written whole or not at all.
 * Called by main.c. */
#define _GNU_SOURCE
#include "build.h"
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What pandoc writes the body as: the Markdown pressrun reads, without
 * raw HTML (a picture with a size in the document then stays a picture). */
#define PANDOC_TO "commonmark+footnotes+pipe_tables+strikeout-raw_html"
/* The document's properties, one a line, as pandoc's plain writer fills
 * this template in. */
static const char META_TEMPLATE[] =
    "T\t$title$\n$for(author)$A\t$author$\n$endfor$S\t$subtitle$\nD\t$date$\n";

static bool has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n > e && g_ascii_strcasecmp(path + n - e, ext) == 0;
}

/* The article's name: the file's stem in lower case, letters, digits and
 * dashes. */
static char *stem_of(const char *file)
{
    char *base = g_path_get_basename(file);
    char *dot = strrchr(base, '.');
    if (dot && dot != base)
        *dot = 0;
    GString *s = g_string_new(NULL);
    bool dash = false;
    for (const char *p = base; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (g_ascii_isalnum(c)) {
            g_string_append_c(s, (char)g_ascii_tolower(c));
            dash = false;
        } else if (!dash && s->len > 0) {
            g_string_append_c(s, '-');
            dash = true;
        }
    }
    while (s->len > 0 && s->str[s->len - 1] == '-')
        g_string_truncate(s, s->len - 1);
    if (s->len == 0)
        g_string_append(s, "article");
    g_free(base);
    return g_string_free(s, FALSE);
}

/* Run pandoc with args (NULL-ended, after "pandoc") in dir; its output in
 * *out. False, said, when it cannot run or fails. */
static bool pandoc(const char *dir, const char *const *args, const char *file, char **out)
{
    const char *argv[16] = {"pandoc"};
    int n = 1;
    for (; args[n - 1] && n < 15; n++)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    char *err = NULL;
    int status = 0;
    GError *e = NULL;
    *out = NULL;
    if (!g_spawn_sync(dir, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, &err, &status, &e)) {
        if (e->domain == G_SPAWN_ERROR && e->code == G_SPAWN_ERROR_NOENT)
            fprintf(stderr,
                    "pressrun: import needs pandoc, the document converter, and it is not installed; "
                    "install it (Debian: sudo apt-get install pandoc) or save '%s' as Markdown yourself\n",
                    file);
        else
            fprintf(stderr, "pressrun: cannot run pandoc: %s\n", e->message);
        g_error_free(e);
        return false;
    }
    bool ok = g_spawn_check_wait_status(status, NULL);
    if (!ok) {
        char *nl = err ? strchr(err, '\n') : NULL;
        if (nl)
            *nl = 0;
        fprintf(stderr, "pressrun: pandoc could not read '%s': %s\n", file, err && *err ? err : "no reason given");
        g_free(*out);
        *out = NULL;
    }
    g_free(err);
    return ok;
}

/* The front matter from the document's properties (pandoc's plain
 * rendering of title, authors, subtitle, date); the title falls back to
 * the file's stem. */
static void front_matter(GString *g, const char *meta, const char *stem)
{
    GString *authors = g_string_new(NULL);
    const char *title = NULL, *deck = NULL, *date = NULL;
    char **lines = g_strsplit(meta ? meta : "", "\n", -1);
    for (char **l = lines; *l; l++) {
        char *v = strchr(*l, '\t');
        if (!v || !v[1])
            continue;
        *v++ = 0;
        g_strdelimit(v, "\r", ' ');
        g_strstrip(v);
        if (!*v)
            continue;
        if (strcmp(*l, "T") == 0)
            title = v;
        else if (strcmp(*l, "S") == 0)
            deck = v;
        else if (strcmp(*l, "D") == 0)
            date = v;
        else if (strcmp(*l, "A") == 0) {
            g_string_append(authors, authors->len ? ", " : "");
            pr_yaml_quote(authors, v);
        }
    }
    g_string_append(g, "---\ntitle: ");
    pr_yaml_quote(g, title ? title : stem);
    g_string_append_c(g, '\n');
    if (authors->len)
        g_string_append_printf(g, "authors: [%s]\n", authors->str);
    if (deck) {
        g_string_append(g, "deck: ");
        pr_yaml_quote(g, deck);
        g_string_append_c(g, '\n');
    }
    /* a date pressrun takes (YYYY-MM-DD); another form is left out */
    if (date && strlen(date) == 10 && date[4] == '-' && date[7] == '-')
        g_string_append_printf(g, "date: %s\n", date);
    g_string_append(g, "---\n\n");
    g_string_free(authors, TRUE);
    g_strfreev(lines);
}

/* Where the article goes: ISSUE/articles (ISSUE a folder holding
 * issue.yaml, or the manifest), or, without --to, ./articles when the
 * current folder is an issue, else the current folder. NULL, said, when
 * ISSUE is not an issue. */
static char *articles_dir(const char *to)
{
    if (!to)
        return g_file_test("issue.yaml", G_FILE_TEST_EXISTS) ? g_strdup("articles") : g_strdup(".");
    char *issue = g_file_test(to, G_FILE_TEST_IS_DIR) ? g_strdup(to) : g_path_get_dirname(to);
    char *manifest = g_build_filename(issue, "issue.yaml", NULL);
    char *dir = NULL;
    if (g_file_test(manifest, G_FILE_TEST_EXISTS) || (!g_file_test(to, G_FILE_TEST_IS_DIR) && has_ext(to, ".yaml")))
        dir = g_build_filename(issue, "articles", NULL);
    else
        fprintf(stderr, "pressrun: '%s' is not an issue (no issue.yaml in it); give the issue's folder, or start one "
                        "with 'pressrun new %s'\n",
                to, to);
    g_free(manifest);
    g_free(issue);
    return dir;
}

static int import_into(const char *file, const char *dir, const char *stem)
{
    char *md = g_strdup_printf("%s.md", stem);
    char *out_path = g_build_filename(dir, md, NULL);
    char *abs = g_canonicalize_filename(file, NULL);
    char *media = g_strdup_printf("--extract-media=../images/%s", stem);
    int rc = 1;
    char *meta = NULL, *body = NULL, *tpl_path = NULL;
    if (g_file_test(out_path, G_FILE_TEST_EXISTS)) {
        fprintf(stderr, "pressrun: '%s' exists; remove it first, or import under another name\n", out_path);
        goto done;
    }
    /* pictures go to ../images/STEM relative to the article: the issue's
     * images/ when dir is its articles/ */
    if (strcmp(dir, ".") == 0) {
        g_free(media);
        media = g_strdup_printf("--extract-media=images/%s", stem);
    }
    int fd = g_file_open_tmp("pressrun-meta-XXXXXX.tpl", &tpl_path, NULL);
    if (fd < 0 || write(fd, META_TEMPLATE, sizeof META_TEMPLATE - 1) != (ssize_t)(sizeof META_TEMPLATE - 1)) {
        fprintf(stderr, "pressrun: cannot write a temporary file for pandoc\n");
        if (fd >= 0)
            close(fd);
        goto done;
    }
    close(fd);
    char *tpl_arg = g_strdup_printf("--template=%s", tpl_path);
    const char *meta_args[] = {abs, "-t", "plain", tpl_arg, NULL};
    const char *body_args[] = {abs, "-t", PANDOC_TO, "--wrap=none", media, NULL};
    g_mkdir_with_parents(dir, 0777);
    bool ok = pandoc(dir, meta_args, file, &meta) && pandoc(dir, body_args, file, &body);
    g_free(tpl_arg);
    if (!ok)
        goto done;
    GString *g = g_string_new(NULL);
    front_matter(g, meta, stem);
    g_string_append(g, body);
    GError *e = NULL;
    if (!g_file_set_contents(out_path, g->str, (gssize)g->len, &e)) {
        fprintf(stderr, "pressrun: cannot write '%s': %s\n", out_path, e->message);
        g_error_free(e);
        g_string_free(g, TRUE);
        rc = 3;
        goto done;
    }
    g_string_free(g, TRUE);
    printf("pressrun: wrote %s; add it to issue.yaml's articles:\n  - file: %s%s\n", out_path,
           strcmp(dir, ".") == 0 ? "" : "articles/", md);
    rc = 0;
done:
    if (tpl_path) {
        g_unlink(tpl_path);
        g_free(tpl_path);
    }
    g_free(meta);
    g_free(body);
    g_free(media);
    g_free(abs);
    g_free(out_path);
    g_free(md);
    return rc;
}

int pr_import_run(const char *file, const char *to)
{
    if (has_ext(file, ".md") || has_ext(file, ".markdown")) {
        fprintf(stderr, "pressrun: '%s' is Markdown already; name it in issue.yaml's articles as it is\n", file);
        return 2;
    }
    if (has_ext(file, ".doc") || has_ext(file, ".pdf")) {
        fprintf(stderr,
                "pressrun: '%s' cannot be imported: pandoc reads .docx and .odt; open it in a word processor and "
                "save it as .docx (Word) or .odt (OpenDocument)\n",
                file);
        return 1;
    }
    if (!has_ext(file, ".docx") && !has_ext(file, ".odt")) {
        fprintf(stderr, "pressrun: import reads Word (.docx) and OpenDocument (.odt) files, not '%s'\n", file);
        return 2;
    }
    if (!g_file_test(file, G_FILE_TEST_IS_REGULAR)) {
        fprintf(stderr, "pressrun: cannot read '%s': no such file\n", file);
        return 1;
    }
    char *dir = articles_dir(to);
    if (!dir)
        return 1;
    char *stem = stem_of(file);
    int rc = import_into(file, dir, stem);
    g_free(stem);
    g_free(dir);
    return rc;
}

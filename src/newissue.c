/* newissue.c - `pressrun new DIR [--from ISSUE]`: starts an issue folder
 * that builds at once: a manifest for the next issue (the month after
 * ISSUE's date, the next number, the same masthead, publisher, language and
 * layout), an editorial and one article stub per section, each with its
 * front matter. Without --from the date is the first of next month by the
 * clock (the user asked for a new issue now). Called by main.c. */
#define _GNU_SOURCE
#include "build.h"
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

void pr_yaml_quote(GString *g, const char *s)
{
    g_string_append_c(g, '"');
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            g_string_append_c(g, '\\');
        g_string_append_c(g, *s);
    }
    g_string_append_c(g, '"');
}

static bool write_file(const char *dir, const char *name, const char *text)
{
    char *path = g_build_filename(dir, name, NULL);
    char *parent = g_path_get_dirname(path);
    g_mkdir_with_parents(parent, 0777);
    GError *err = NULL;
    bool ok = g_file_set_contents(path, text, -1, &err);
    if (!ok) {
        fprintf(stderr, "pressrun: cannot write '%s': %s\n", path, err->message);
        g_error_free(err);
    }
    g_free(parent);
    g_free(path);
    return ok;
}

static void stub(GString *g, const char *title, const char *section, const char *date, const char *what)
{
    g_string_append(g, "---\ntitle: ");
    pr_yaml_quote(g, title);
    g_string_append(g, "\ndeck: ");
    pr_yaml_quote(g, "One sentence that tells the reader why to read on.");
    g_string_append(g, "\nauthors: [");
    pr_yaml_quote(g, "Author Name");
    g_string_append(g, "]\n");
    if (section) {
        g_string_append(g, "section: ");
        pr_yaml_quote(g, section);
        g_string_append_c(g, '\n');
    }
    g_string_append_printf(g, "date: %s\n---\n\n%s\n", date, what);
}

/* What the new issue inherits from ISSUE (or, without one, starts with). */
struct heritage {
    const char *title, *publisher, *language, *layout;
    int volume, number, year, month;
    const char *sections[64];
    int nsections;
};

/* An existing folder must be empty. */
static bool dir_usable(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (d) {
        bool empty = g_dir_read_name(d) == NULL;
        g_dir_close(d);
        if (!empty) {
            fprintf(stderr, "pressrun: '%s' already holds files; choose a new folder for the new issue\n", dir);
            return false;
        }
    }
    return true;
}

/* Reads ISSUE's manifest into *h (strings in in->arena): false (printed)
 * when it has errors. */
static bool inherit(struct pr_input *in, const char *from, struct heritage *h)
{
    struct pr_issue *is = pr_manifest_load(in, from);
    if (!is || in->diags->errors) {
        pr_diags_print(in->diags, stderr);
        fprintf(stderr, "pressrun: cannot start from '%s' until its manifest is fixed\n", from);
        return false;
    }
    h->title = is->title;
    h->publisher = is->publisher;
    h->language = is->language ? is->language : "en";
    h->layout = is->layout_name ? is->layout_name : "magazine";
    h->volume = is->volume ? is->volume : 1;
    h->number = is->number ? is->number + 1 : 1;
    if (sscanf(is->date, "%d-%d", &h->year, &h->month) != 2) {
        h->year = 2000;
        h->month = 1;
    }
    for (int i = 0; i < is->narticles && h->nsections < 64; i++) {
        const char *s = is->articles[i].section;
        bool seen = false;
        for (int k = 0; k < h->nsections; k++)
            seen = seen || (s && strcmp(h->sections[k], s) == 0);
        if (s && !seen)
            h->sections[h->nsections++] = s;
    }
    return true;
}

/* issue.yaml of the new issue. */
static GString *manifest_text(const struct heritage *h, const char *issue, const char *date,
                              const char *slug)
{
    GString *y = g_string_new("# The manifest of one issue: every field is described in\n"
                              "# `man 5 pressrun-manifest` (doc/pressrun-manifest.5 in pressrun's source).\n"
                              "title: ");
    pr_yaml_quote(y, h->title);
    g_string_append(y, "\nissue: ");
    pr_yaml_quote(y, issue);
    g_string_append_printf(y, "\ndate: %s\nslug: %s\nlanguage: %s\n", date, slug, h->language);
    if (h->publisher) {
        g_string_append(y, "publisher: ");
        pr_yaml_quote(y, h->publisher);
        g_string_append_c(y, '\n');
    }
    g_string_append_printf(y, "volume: %d\nnumber: %d\nlayout: %s\neditorial: editorial.md\narticles:\n",
                           h->volume, h->number, h->layout);
    return y;
}

/* One article stub per section, each listed in the manifest y. */
static bool write_articles(const char *dir, const struct heritage *h, const char *date, GString *y)
{
    bool ok = true;
    for (int i = 0; i < h->nsections && ok; i++) {
        char *name = g_strdup_printf("articles/%02d-article.md", i + 1);
        g_string_append_printf(y, "  - file: %s\n", name);
        GString *a = g_string_new(NULL);
        char *t = g_strdup_printf("Working Title for %s", h->sections[i]);
        stub(a, t, h->sections[i], date,
             "Write the article here in Markdown: paragraphs, `## headings`, *emphasis*, "
             "lists, block quotes, images with `![what it shows](../images/photo.jpg \"caption\")` "
             "and footnotes.[^1]\n\n[^1]: A footnote goes to the end of the article.");
        ok = write_file(dir, name, a->str);
        g_string_free(a, TRUE);
        g_free(t);
        g_free(name);
    }
    return ok;
}

int pr_new_run(const char *dir, const char *from)
{
    if (!dir_usable(dir))
        return 1;
    /* what the new issue inherits */
    struct pr_diags diags;
    pr_diags_init(&diags);
    struct pr_arena *arena = pr_arena_new();
    /* the data folder as a build finds it: the layouts of an installed
     * pressrun are not in the source tree */
    struct pr_input in = {.arena = arena, .diags = &diags, .datadir = pr_datadir(arena)};
    struct heritage h = {.title = "Untitled Magazine", .language = "en", .layout = "magazine",
                         .volume = 1, .number = 1};
    if (from) {
        if (!inherit(&in, from, &h)) {
            pr_diags_free(&diags);
            pr_arena_free(arena);
            return 1;
        }
    } else {
        time_t t = time(NULL);
        struct tm tm;
        localtime_r(&t, &tm);
        h.year = tm.tm_year + 1900;
        h.month = tm.tm_mon + 1;
    }
    /* the month after */
    if (++h.month > 12) {
        h.month = 1;
        h.year++;
        if (from)
            h.volume++, h.number = 1;
    }
    char date[32], slug[32];
    snprintf(date, sizeof date, "%04d-%02d-01", h.year, h.month);
    snprintf(slug, sizeof slug, "%04d-%02d", h.year, h.month);
    static const char *const months[] = {"January", "February", "March", "April", "May", "June", "July",
                                         "August", "September", "October", "November", "December"};
    char *issue = g_strdup_printf("%s %d", months[h.month - 1], h.year);
    if (h.nsections == 0) {
        h.sections[h.nsections++] = "Features";
        h.sections[h.nsections++] = "Reports";
    }
    GString *y = manifest_text(&h, issue, date, slug);
    bool ok = write_articles(dir, &h, date, y);
    if (ok) {
        GString *e = g_string_new(NULL);
        stub(e, "In This Issue", NULL, date, "Introduce the issue here: what it covers and why it matters now.");
        ok = write_file(dir, "editorial.md", e->str) && write_file(dir, "issue.yaml", y->str);
        g_string_free(e, TRUE);
        char *img = g_build_filename(dir, "images", NULL);
        g_mkdir_with_parents(img, 0777);
        g_free(img);
    }
    if (ok)
        printf("pressrun: started %s (%s, number %d) in %s; build it with: pressrun build %s\n", issue, h.title,
               h.number, dir, dir);
    g_string_free(y, TRUE);
    g_free(issue);
    pr_diags_free(&diags);
    pr_arena_free(arena);
    return ok ? 0 : 3;
}

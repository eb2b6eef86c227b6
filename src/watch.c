/* watch.c - `pressrun watch`: builds, then rebuilds whenever the manifest,
 * an article, an image, a layout, a font or hyphenation.txt changes (GLib's
 * file monitors), printing one line per rebuild: what changed, pages,
 * time, warnings. A failed rebuild leaves the last good outputs (outputs
 * are atomic) and prints its diagnostics. Ctrl-C (SIGINT) or SIGTERM exit cleanly. Called
 * by main.c. */
#include "build.h"
#include <gio/gio.h>
#include <glib-unix.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* How long the watch waits after a change before it builds: a file that
 * may still be being written (created, or written to: CHANGED, until
 * CHANGES_DONE_HINT when the writer closes it) DEBOUNCE_MS after the last
 * such event; a file that is complete (closed after writing, renamed into
 * place, deleted) only SETTLE_MS, enough for the other files of a "save
 * all" or a checkout to come in the same build. */
#define DEBOUNCE_MS 150
#define SETTLE_MS 20
#define MAX_DEPTH 4

struct watch {
    struct pr_options opt;
    GMainLoop *loop;
    GPtrArray *monitors;
    char *out_dir;          /* real path of the output folder: its events are ignored */
    char *changed;          /* the first path that changed since the last build */
    guint timer;
    int builds;
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void build(struct watch *w, const char *why)
{
    struct pr_build_summary sum = {0};
    double t0 = now();
    int rc = pr_build_main(&w->opt, &sum);
    double dt = now() - t0;
    time_t clock = time(NULL);
    struct tm tm;
    localtime_r(&clock, &tm);
    char stamp[16];
    strftime(stamp, sizeof stamp, "%H:%M:%S", &tm);
    char reuse[64] = "";
    if (sum.reused > 0)
        snprintf(reuse, sizeof reuse, ", %ld of %ld paragraphs reused", sum.reused, sum.reused + sum.shaped);
    if (rc == 0)
        printf("pressrun watch %s: %s: %d pages, %.2f s, %d warning%s%s\n", stamp, why, sum.pages, dt,
               sum.warnings, sum.warnings == 1 ? "" : "s", reuse);
    else
        printf("pressrun watch %s: %s: %d error%s; the last good outputs are kept\n", stamp, why, sum.errors,
               sum.errors == 1 ? "" : "s");
    fflush(stdout);
    w->builds++;
}

static gboolean rebuild(gpointer data)
{
    struct watch *w = data;
    w->timer = 0;
    char *why = g_strdup_printf("%s changed", w->changed ? w->changed : "a file");
    g_free(w->changed);
    w->changed = NULL;
    build(w, why);
    g_free(why);
    return G_SOURCE_REMOVE;
}

static bool ignored(const struct watch *w, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* our own temporary files, editors' swap and backup files */
    if (base[0] == '.' || base[0] == '#' || g_str_has_suffix(base, "~") || g_str_has_suffix(base, ".swp"))
        return true;
    /* only what a build reads: a log written into the folder (say, watch's
     * own output) must not start a rebuild, which would write it again */
    static const char *const inputs[] = {".yaml", ".yml", ".md", ".markdown", ".png", ".jpg", ".jpeg",
                                         ".ttf", ".otf", ".ttc", ".dic", NULL};
    const char *dot = strrchr(base, '.');
    bool input = strcmp(base, "hyphenation.txt") == 0; /* the issue's exceptions */
    for (int i = 0; dot && inputs[i] && !input; i++)
        input = g_ascii_strcasecmp(dot, inputs[i]) == 0;
    if (!input)
        return true;
    return w->out_dir && g_str_has_prefix(path, w->out_dir) &&
           (path[strlen(w->out_dir)] == '/' || path[strlen(w->out_dir)] == 0);
}

static void on_changed(GFileMonitor *m, GFile *file, GFile *other, GFileMonitorEvent ev, gpointer data)
{
    (void)m;
    struct watch *w = data;
    if (ev == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED || ev == G_FILE_MONITOR_EVENT_PRE_UNMOUNT)
        return;
    char *path = g_file_get_path(file);
    if ((!path || ignored(w, path)) && other && ev == G_FILE_MONITOR_EVENT_RENAMED) {
        /* an editor (or sed -i) writes a temporary file and renames it over
         * the one that changed: that one counts */
        g_free(path);
        path = g_file_get_path(other);
    }
    if (!path || ignored(w, path)) {
        g_free(path);
        return;
    }
    if (!w->changed)
        w->changed = g_path_get_basename(path);
    g_free(path);
    if (w->timer)
        g_source_remove(w->timer);
    bool writing = ev == G_FILE_MONITOR_EVENT_CHANGED || ev == G_FILE_MONITOR_EVENT_CREATED;
    w->timer = g_timeout_add(writing ? DEBOUNCE_MS : SETTLE_MS, rebuild, w);
}

static void monitor(struct watch *w, const char *dir, int depth)
{
    GFile *f = g_file_new_for_path(dir);
    GFileMonitor *m = g_file_monitor_directory(f, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
    if (m) {
        g_signal_connect(m, "changed", G_CALLBACK(on_changed), w);
        g_ptr_array_add(w->monitors, m);
    }
    g_object_unref(f);
    if (depth >= MAX_DEPTH)
        return;
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return;
    const char *name;
    while ((name = g_dir_read_name(d))) {
        if (name[0] == '.')
            continue;
        char *sub = g_build_filename(dir, name, NULL);
        char *real = realpath(sub, NULL);
        if (g_file_test(sub, G_FILE_TEST_IS_DIR) && !(real && w->out_dir && strcmp(real, w->out_dir) == 0))
            monitor(w, sub, depth + 1);
        free(real);
        g_free(sub);
    }
    g_dir_close(d);
}

static gboolean on_signal(gpointer data)
{
    g_main_loop_quit(((struct watch *)data)->loop);
    return G_SOURCE_CONTINUE; /* removed below, after the loop */
}

int pr_watch_run(const struct pr_options *opt)
{
    struct watch w;
    memset(&w, 0, sizeof w);
    w.opt = *opt;
    w.opt.reuse = true;
    /* the screen PDF is what the editor looks at while watching: it does
     * not wait for the print PDF's post-pass and the EPUB */
    w.opt.screen_first = true;
    const char *arg = opt->issue_arg;
    char *dir = g_file_test(arg, G_FILE_TEST_IS_DIR) ? g_strdup(arg) : g_path_get_dirname(arg);
    char *out = opt->out_dir ? g_strdup(opt->out_dir) : g_build_filename(dir, "out", NULL);
    g_mkdir_with_parents(out, 0777);
    w.out_dir = realpath(out, NULL);
    g_free(out);
    w.monitors = g_ptr_array_new_with_free_func(g_object_unref);
    w.loop = g_main_loop_new(NULL, FALSE);
    /* the folders are watched before the first build: a file saved while
     * it runs, or just after, starts the next (watched after it, a file
     * saved between its end and the watches was missed) */
    monitor(&w, dir, 0);
    /* layouts and fonts shipped with pressrun change too, while editing them */
    struct pr_arena *A = pr_arena_new();
    const char *data = pr_datadir(A); /* the folder the builds use */
    char *shared[2] = {g_build_filename(data, "layouts", NULL), g_build_filename(data, "fonts", NULL)};
    pr_arena_free(A);
    for (int i = 0; i < 2; i++) {
        if (g_file_test(shared[i], G_FILE_TEST_IS_DIR))
            monitor(&w, shared[i], MAX_DEPTH);
        g_free(shared[i]);
    }
    build(&w, "first build");
    printf("pressrun watch: watching %s (%u folders); Ctrl-C stops\n", dir, w.monitors->len);
    fflush(stdout);
    guint s1 = g_unix_signal_add(SIGINT, on_signal, &w), s2 = g_unix_signal_add(SIGTERM, on_signal, &w);
    g_main_loop_run(w.loop);
    g_source_remove(s1);
    g_source_remove(s2);
    if (w.timer)
        g_source_remove(w.timer);
    printf("pressrun watch: stopped after %d build%s\n", w.builds, w.builds == 1 ? "" : "s");
    g_ptr_array_free(w.monitors, TRUE);
    g_main_loop_unref(w.loop);
    g_free(w.changed);
    free(w.out_dir);
    g_free(dir);
    pr_build_caches_free();
    return 0;
}

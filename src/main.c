/* main.c - the command line: parses options, finds the data folder (fonts/
 * and layouts/), runs the build or the check, prints the diagnostics and
 * decides the exit status: 0 ok, 1 input errors, 2 usage, 3 output. */
#define _GNU_SOURCE
#include "build.h"
#include "backends.h"
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: pressrun build ISSUE [-o DIR] [--format pdf,print,epub,articles,png] [--layout NAME]\n"
    "                      [--stats[=json]] [--dump=doc|layout] [--timings] [--quiet]\n"
    "                      [--no-marks] [--dpi N] [--jobs N] [--allow-outside]\n"
    "       pressrun check ISSUE [--stats[=json]] [--layout NAME] [--jobs N] [--allow-outside]\n"
    "       pressrun watch ISSUE [build options]\n"
    "       pressrun proof ISSUE [-o FILE.png] [--layout NAME]\n"
    "       pressrun new DIR [--from ISSUE]\n"
    "       pressrun --version | --help\n";

static const char help[] =
    "pressrun compiles a magazine issue (an issue.yaml manifest and one Markdown\n"
    "file per article) into a screen PDF, a print PDF and an EPUB.\n"
    "\n"
    "Commands:\n"
    "  build ISSUE    typeset ISSUE (a manifest or a folder holding issue.yaml)\n"
    "                 and write its outputs\n"
    "  check ISSUE    validate and preflight ISSUE; writes nothing\n"
    "  watch ISSUE    build, then rebuild whenever a file of the issue, a layout\n"
    "                 or a font changes; Ctrl-C stops\n"
    "  proof ISSUE    the flatplan: every page as a thumbnail in reader spreads,\n"
    "                 one PNG (-o FILE.png; default out/<slug>-flatplan.png)\n"
    "  new DIR        start an issue folder (--from ISSUE: the issue after it)\n"
    "\n"
    "Options:\n"
    "  -o, --out DIR        output folder (default: out/ beside the manifest)\n"
    "  --format LIST        comma-separated: pdf (screen), print (printer's PDF/X-4),\n"
    "                       epub (EPUB 3), articles (one PDF per article), png\n"
    "                       (one PNG per page); default: pdf,print,epub\n"
    "  --layout NAME        use layouts/NAME.yaml (or a path) instead of the\n"
    "                       manifest's layout\n"
    "  --stats[=json]       typesetting figures per article and for the issue\n"
    "                       (loose lines, hyphens, widows ...) on stdout; =json:\n"
    "                       one JSON object\n"
    "  --dump=doc|layout    print the document model or the page model as text\n"
    "  --timings            print the time each stage took\n"
    "  --quiet              print errors only\n"
    "  --allow-outside      allow manifest paths that leave the issue folder\n"
    "  --no-marks           print PDF without crop marks and slug line\n"
    "  --dpi N              resolution of --format png (default 96)\n"
    "  -j, --jobs N         typeset with N threads (default: the processors, at\n"
    "                       most 4); the outputs are the same for every N\n"
    "  --from ISSUE         (new) the issue the new one follows\n"
    "  -h, --help           show this help\n"
    "  --version            show the version\n"
    "\n"
    "Environment:\n"
    "  SOURCE_DATE_EPOCH    the date written into outputs (reproducible builds)\n"
    "  PRESSRUN_DATADIR     the folder holding fonts/ and layouts/\n"
    "\n"
    "Exit status: 0 success (warnings allowed), 1 the input is wrong, 2 usage\n"
    "error, 3 an output could not be written.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("pressrun: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n", stderr);
    fputs(usage, stderr);
    return 2;
}

static int parse_formats(const char *s, unsigned *out)
{
    static const struct {
        const char *name;
        unsigned bit;
        bool built;
    } fm[] = {{"pdf", PR_FMT_PDF, true},
              {"print", PR_FMT_PRINT, true},
              {"epub", PR_FMT_EPUB, true},
              {"articles", PR_FMT_ARTICLES, true},
              {"png", PR_FMT_PNG, true}};
    *out = 0;
    char *copy = strdup(s), *save = NULL;
    int rc = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        size_t i;
        for (i = 0; i < sizeof fm / sizeof fm[0]; i++)
            if (strcmp(tok, fm[i].name) == 0)
                break;
        if (i == sizeof fm / sizeof fm[0]) {
            rc = usage_error("unknown format '%s'; formats are pdf, print, epub, articles, png", tok);
            break;
        }
        if (!fm[i].built) {
            fprintf(stderr, "pressrun: the '%s' format is not built yet in this version; use --format pdf\n", tok);
            rc = 2;
            break;
        }
        *out |= fm[i].bit;
    }
    free(copy);
    if (rc == 0 && *out == 0)
        rc = usage_error("--format needs at least one format%s", "");
    return rc;
}

/* The value of "--opt=value" or "--opt value"; advances *i for the latter. */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (strcmp(argv[*i], name) == 0 && *i + 1 < argc)
        return argv[++*i];
    return NULL;
}

/* Parse the options of build, check, proof and watch into *o. Returns 0,
 * 2 on a usage error (printed), or -1 when --help was answered. */
static int parse_options(int argc, char **argv, const char *cmd, struct pr_options *o)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0 || strncmp(a, "--out=", 6) == 0) {
            v = a[1] == 'o' ? (i + 1 < argc ? argv[++i] : NULL) : opt_value(argc, argv, &i, "--out");
            if (!v)
                return usage_error("%s needs a folder", a);
            if (o->formats == PR_FMT_PROOF)
                o->proof_path = v;
            else
                o->out_dir = v;
        } else if (strncmp(a, "--dpi", 5) == 0 && (a[5] == 0 || a[5] == '=')) {
            v = opt_value(argc, argv, &i, "--dpi");
            char *end = NULL;
            double d = v ? strtod(v, &end) : 0;
            if (!v || *end || d < 10 || d > 1200)
                return usage_error("--dpi needs a resolution between 10 and 1200, got '%s'", v ? v : "");
            o->dpi = d;
        } else if (strcmp(a, "-j") == 0 || (strncmp(a, "--jobs", 6) == 0 && (a[6] == 0 || a[6] == '='))) {
            v = a[1] == 'j' ? (i + 1 < argc ? argv[++i] : NULL) : opt_value(argc, argv, &i, "--jobs");
            char *end = NULL;
            long n = v ? strtol(v, &end, 10) : 0;
            if (!v || *end || n < 1 || n > 64)
                return usage_error("--jobs needs a number of threads between 1 and 64, got '%s'", v ? v : "");
            o->jobs = (int)n;
        } else if (strncmp(a, "--format", 8) == 0 && (a[8] == 0 || a[8] == '=')) {
            v = opt_value(argc, argv, &i, "--format");
            if (!v)
                return usage_error("%s needs a list of formats", a);
            int rc = parse_formats(v, &o->formats);
            if (rc)
                return rc;
        } else if (strncmp(a, "--layout", 8) == 0 && (a[8] == 0 || a[8] == '=')) {
            v = opt_value(argc, argv, &i, "--layout");
            if (!v)
                return usage_error("%s needs a layout name", a);
            o->layout = v;
        } else if (strcmp(a, "--stats") == 0 || strcmp(a, "--stats=json") == 0) {
            o->stats = a[7] ? 2 : 1;
        } else if (strcmp(a, "--dump=doc") == 0) {
            o->dump = PR_DUMP_DOC;
        } else if (strcmp(a, "--dump=layout") == 0) {
            o->dump = PR_DUMP_LAYOUT;
        } else if (strcmp(a, "--timings") == 0) {
            o->timings = true;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            o->quiet = true;
        } else if (strcmp(a, "--no-marks") == 0) {
            o->no_marks = true;
        } else if (strcmp(a, "--allow-outside") == 0) {
            o->allow_outside = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return -1;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else if (!o->issue_arg) {
            o->issue_arg = a;
        } else {
            return usage_error("unexpected argument '%s'; give one ISSUE", a);
        }
    }
    if (!o->issue_arg)
        return usage_error("%s needs an ISSUE (a folder holding issue.yaml, or the manifest)", cmd);
    return 0;
}

/* A build interrupted by Ctrl-C, kill or a closed terminal leaves no
 * temporary file behind: remove them, then die of the same signal. */
static void on_signal(int sig)
{
    if (!pr_outfile_interrupt(sig))
        return; /* the outputs are being renamed into place: raised again after */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void catch_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaddset(&sa.sa_mask, sigs[i]);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
}

int main(int argc, char **argv)
{
    catch_signals();
    if (argc < 2)
        return usage_error("no command given%s", "");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage, stdout);
        fputs("\n", stdout);
        fputs(help, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("pressrun %s\n", PR_VERSION);
        return 0;
    }
    if (strcmp(cmd, "new") == 0)
        return pr_new_run(argc - 2, argv + 2);
    if (strcmp(cmd, "build") != 0 && strcmp(cmd, "check") != 0 && strcmp(cmd, "proof") != 0 &&
        strcmp(cmd, "watch") != 0)
        return usage_error("unknown command '%s'; commands are build, check, watch, proof and new", cmd);

    struct pr_build b;
    memset(&b, 0, sizeof b);
    b.opt.formats = strcmp(cmd, "proof") == 0 ? PR_FMT_PROOF : PR_FMT_PDF | PR_FMT_PRINT | PR_FMT_EPUB;
    b.opt.check_only = strcmp(cmd, "check") == 0;
    int prc = parse_options(argc, argv, cmd, &b.opt);
    if (prc)
        return prc < 0 ? 0 : prc;
    if (strcmp(cmd, "watch") == 0)
        return pr_watch_run(&b.opt);
    return pr_build_main(&b.opt, NULL);
}

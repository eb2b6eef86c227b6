/* main.c - the command line: parses options, finds the data folder (fonts/
 * and layouts/), runs the build or the check, prints the diagnostics and
 * decides the exit status: 0 ok, 1 input errors, 2 usage, 3 output. */
#define _GNU_SOURCE
#include "build.h"
#include "backends.h"
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: pressrun build ISSUE [-o DIR] [--format pdf,print,epub,articles,png] [--layout NAME]\n"
    "                      [--stats[=json]] [--dump=doc|layout] [--timings] [--quiet]\n"
    "                      [--no-marks] [--dpi N] [--jobs N] [--allow-outside] [--strict]\n"
    "       pressrun check ISSUE [--stats[=json]] [--layout NAME] [--jobs N] [--allow-outside]\n"
    "                      [--strict]\n"
    "       pressrun watch ISSUE [build options]\n"
    "       pressrun proof ISSUE [-o FILE.png] [--layout NAME]\n"
    "       pressrun new DIR [--from ISSUE]\n"
    "       pressrun import FILE.docx|.odt [--to ISSUE]\n"
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
    "  import FILE    a Word (.docx) or OpenDocument (.odt) article made Markdown\n"
    "                 with pandoc: ISSUE/articles/NAME.md (--to ISSUE; default:\n"
    "                 the current folder), its pictures in ISSUE/images/NAME/\n"
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
    "  --strict             warnings are errors (exit 1, nothing written): a\n"
    "                       printer's gate for preflight findings\n"
    "  --no-marks           print PDF without crop marks and slug line\n"
    "  --dpi N              resolution of --format png (default 96)\n"
    "  -j, --jobs N         typeset with N threads (default: the processors, at\n"
    "                       most 4); the outputs are the same for every N\n"
    "  --from ISSUE         (new) the issue the new one follows\n"
    "  -h, --help           show this help\n"
    "  --version            show the version\n"
    "\n"
    "Values attach or follow: -j2, -j 2, --jobs=2, --jobs 2; -- ends the options.\n"
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

/* Long options with no short form. */
enum {
    OPT_FORMAT = 256, OPT_LAYOUT, OPT_STATS, OPT_DUMP, OPT_TIMINGS, OPT_NO_MARKS, OPT_ALLOW_OUTSIDE,
    OPT_DPI, OPT_FROM, OPT_STRICT, OPT_TO,
};

static const struct option build_opts[] = {
    {"out", required_argument, NULL, 'o'},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"layout", required_argument, NULL, OPT_LAYOUT},
    {"stats", optional_argument, NULL, OPT_STATS},
    {"dump", required_argument, NULL, OPT_DUMP},
    {"timings", no_argument, NULL, OPT_TIMINGS},
    {"quiet", no_argument, NULL, 'q'},
    {"no-marks", no_argument, NULL, OPT_NO_MARKS},
    {"allow-outside", no_argument, NULL, OPT_ALLOW_OUTSIDE},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"dpi", required_argument, NULL, OPT_DPI},
    {"jobs", required_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};
/* '-': operands come back in order as option 1; ':': a missing value is ':' */
static const char build_short[] = "-:o:j:qh";

static const struct option new_opts[] = {
    {"from", required_argument, NULL, OPT_FROM},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};
static const char new_short[] = "-:h";

static const struct option import_opts[] = {
    {"to", required_argument, NULL, OPT_TO},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* The option getopt_long has just refused, as written ("--formats" of
 * "--formats=pdf", "-x" of "-qx"). */
static const char *refused(char *const *argv, char *buf, size_t size)
{
    if (optopt > 0 && optopt < 256) {
        snprintf(buf, size, "-%c", optopt);
        return buf;
    }
    const char *a = argv[optind - 1];
    snprintf(buf, size, "%.*s", (int)strcspn(a, "="), a);
    return buf;
}

/* "unknown option 'ARG'", with the nearest option of `opts` when one is
 * near enough (diag.c's did-you-mean, as for manifest keys), then `tail`
 * (NULL: the usage). */
static int unknown_option(const char *arg, const struct option *opts, const char *tail)
{
    const char *names[32];
    int n = 0;
    for (const struct option *o = opts; o->name && n < 31; o++)
        names[n++] = o->name;
    names[n] = NULL;
    /* the names are compared without their "--" */
    const char *near = arg[0] == '-' && arg[1] == '-' ? pr_did_you_mean(arg + 2, names) : NULL;
    fprintf(stderr, "pressrun: unknown option '%s'", arg);
    if (near)
        fprintf(stderr, "; did you mean '--%s'?", near);
    if (tail)
        fprintf(stderr, "%s\n", tail);
    else {
        fputs("\n", stderr);
        fputs(usage, stderr);
    }
    return 2;
}

/* An option of build, check, proof or watch given without its value
 * (getopt's ':'): the usage error that says what it needs. */
static int missing_value(char **argv)
{
    char buf[64];
    const char *a = refused(argv, buf, sizeof buf);
    switch (optopt) {
    case 'o':
        return usage_error("%s needs a folder", a);
    case OPT_DPI:
        return usage_error("--dpi needs a resolution between 10 and 1200, got '%s'", "");
    case 'j':
        return usage_error("--jobs needs a number of threads between 1 and 64, got '%s'", "");
    case OPT_FORMAT:
        return usage_error("%s needs a list of formats", a);
    case OPT_LAYOUT:
        return usage_error("%s needs a layout name", a);
    default:
        return usage_error("%s needs a value", a);
    }
}

/* Parse the options of build, check, proof and watch (argv[0] is the
 * command) into *o. Returns 0, 2 on a usage error (printed), or -1 when
 * --help was answered. */
static int parse_options(int argc, char **argv, struct pr_options *o)
{
    char buf[64];
    int c;
    optind = 0; /* getopt's full reset (GNU) */
    opterr = 0;
    while ((c = getopt_long(argc, argv, build_short, build_opts, NULL)) != -1) {
        const char *v = optarg;
        char *end = NULL;
        switch (c) {
        case 1: /* an operand: ISSUE */
            if (o->issue_arg)
                return usage_error("unexpected argument '%s'; give one ISSUE", v);
            o->issue_arg = v;
            break;
        case 'o':
            if (o->formats == PR_FMT_PROOF)
                o->proof_path = v;
            else
                o->out_dir = v;
            break;
        case OPT_DPI: {
            double d = strtod(v, &end);
            if (*end || !*v || d < 10 || d > 1200)
                return usage_error("--dpi needs a resolution between 10 and 1200, got '%s'", v);
            o->dpi = d;
            break;
        }
        case 'j': {
            long n = strtol(v, &end, 10);
            if (*end || !*v || n < 1 || n > 64)
                return usage_error("--jobs needs a number of threads between 1 and 64, got '%s'", v);
            o->jobs = (int)n;
            break;
        }
        case OPT_FORMAT: {
            int rc = parse_formats(v, &o->formats);
            if (rc)
                return rc;
            break;
        }
        case OPT_LAYOUT:
            o->layout = v;
            break;
        case OPT_STATS:
            if (v && strcmp(v, "json") != 0)
                return usage_error("--stats takes no value or =json, got '%s'", v);
            o->stats = v ? 2 : 1;
            break;
        case OPT_DUMP:
            if (strcmp(v, "doc") == 0)
                o->dump = PR_DUMP_DOC;
            else if (strcmp(v, "layout") == 0)
                o->dump = PR_DUMP_LAYOUT;
            else
                return usage_error("--dump takes =doc or =layout, got '%s'", v);
            break;
        case OPT_TIMINGS:
            o->timings = true;
            break;
        case 'q':
            o->quiet = true;
            break;
        case OPT_NO_MARKS:
            o->no_marks = true;
            break;
        case OPT_ALLOW_OUTSIDE:
            o->allow_outside = true;
            break;
        case OPT_STRICT:
            o->strict = true;
            break;
        case 'h':
            fputs(usage, stdout);
            return -1;
        case ':':
            return missing_value(argv);
        default: /* '?': unknown, or an abbreviation of several */
            return unknown_option(refused(argv, buf, sizeof buf), build_opts, NULL);
        }
    }
    /* after "--" everything is an operand */
    for (; optind < argc; optind++) {
        if (o->issue_arg)
            return usage_error("unexpected argument '%s'; give one ISSUE", argv[optind]);
        o->issue_arg = argv[optind];
    }
    if (!o->issue_arg)
        return usage_error("%s needs an ISSUE (a folder holding issue.yaml, or the manifest)", argv[0]);
    return 0;
}

/* A command of one operand and one option with a value (`new DIR
 * [--from ISSUE]`, `import FILE [--to ISSUE]`; argv[0] is the command):
 * *operand and *value (NULL when not given). Returns -1 to go on, else
 * the exit status. */
static int one_operand(int argc, char **argv, const struct option *opts, const char *usage_line,
                       const char *needs, const char **operand, const char **value)
{
    char buf[64];
    int c;
    *operand = *value = NULL;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, new_short, opts, NULL)) != -1) {
        switch (c) {
        case 1:
            if (*operand) {
                fprintf(stderr, "pressrun: unexpected argument '%s'; %s\n", optarg, usage_line);
                return 2;
            }
            *operand = optarg;
            break;
        case OPT_FROM:
        case OPT_TO:
            *value = optarg;
            break;
        case 'h':
            printf("%s\n", usage_line);
            return 0;
        case ':':
            fprintf(stderr, "pressrun: %s needs an ISSUE; %s\n", refused(argv, buf, sizeof buf), usage_line);
            return 2;
        default: {
            char tail[128];
            snprintf(tail, sizeof tail, "\n%s", usage_line);
            return unknown_option(refused(argv, buf, sizeof buf), opts, tail);
        }
        }
    }
    for (; optind < argc; optind++) {
        if (*operand) {
            fprintf(stderr, "pressrun: unexpected argument '%s'; %s\n", argv[optind], usage_line);
            return 2;
        }
        *operand = argv[optind];
    }
    if (!*operand) {
        fprintf(stderr, "pressrun: %s needs %s; %s\n", argv[0], needs, usage_line);
        return 2;
    }
    return -1;
}

/* `pressrun new DIR [--from ISSUE]` (argv[0] is "new"). */
static int new_command(int argc, char **argv)
{
    const char *dir, *from;
    int rc = one_operand(argc, argv, new_opts, "usage: pressrun new DIR [--from ISSUE]", "a folder", &dir, &from);
    return rc >= 0 ? rc : pr_new_run(dir, from);
}

/* `pressrun import FILE [--to ISSUE]` (argv[0] is "import"). */
static int import_command(int argc, char **argv)
{
    const char *file, *to;
    int rc = one_operand(argc, argv, import_opts, "usage: pressrun import FILE.docx|.odt [--to ISSUE]",
                         "a .docx or .odt file", &file, &to);
    return rc >= 0 ? rc : pr_import_run(file, to);
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

/* jemalloc's settings, when the program runs on it (CMakeLists.txt): one
 * arena. By default each thread takes one of 8 arenas in turn, and an
 * arena whose threads have all gone is purged; pressrun's threads are
 * few but Pango starts two short-lived ones for every new font pattern
 * (FcFontSetMatch and FcFontSetSort in threads: 118 in the 64-article
 * bench), so a build made some 1,500 madvise(MADV_DONTNEED) calls, each a
 * TLB shootdown of the other core. With one arena (the threads keep their
 * own caches): system time 88 -> 64 ms, CPU 852 -> 838 ms on that bench;
 * peak memory N=256 / N=16 1.58 (pdf), 1.54 (all three). MALLOC_CONF in
 * the environment still has the last word. */
const char *malloc_conf = "narenas:1";

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
        return new_command(argc - 1, argv + 1);
    if (strcmp(cmd, "import") == 0)
        return import_command(argc - 1, argv + 1);
    static const char *const commands[] = {"build", "check", "watch", "proof", "new", "import", NULL};
    if (strcmp(cmd, "build") != 0 && strcmp(cmd, "check") != 0 && strcmp(cmd, "proof") != 0 &&
        strcmp(cmd, "watch") != 0) {
        const char *near = cmd[0] != '-' ? pr_did_you_mean(cmd, commands) : NULL;
        if (near) {
            fprintf(stderr, "pressrun: unknown command '%s'; did you mean '%s'?\n", cmd, near);
            fputs(usage, stderr);
            return 2;
        }
        return usage_error("unknown command '%s'; commands are build, check, watch, proof, new and import", cmd);
    }

    struct pr_options opt;
    memset(&opt, 0, sizeof opt);
    opt.formats = strcmp(cmd, "proof") == 0 ? PR_FMT_PROOF : PR_FMT_PDF | PR_FMT_PRINT | PR_FMT_EPUB;
    opt.check_only = strcmp(cmd, "check") == 0;
    int prc = parse_options(argc - 1, argv + 1, &opt);
    if (prc)
        return prc < 0 ? 0 : prc;
    if (strcmp(cmd, "watch") == 0)
        return pr_watch_run(&opt);
    return pr_build_main(&opt, NULL);
}

/* main.c - the command line: parses options, finds the data folder (fonts/
 * and layouts/), runs the build or the check, prints the diagnostics and
 * decides the exit status: 0 ok, 1 input errors, 2 usage, 3 output. */
#define _GNU_SOURCE
#include "build.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: pressrun build ISSUE [-o DIR] [--format pdf,print,epub,articles,png] [--layout NAME]\n"
    "                      [--stats[=json]] [--dump=doc|layout] [--timings] [--quiet]\n"
    "                      [--allow-outside]\n"
    "       pressrun check ISSUE [--stats[=json]] [--layout NAME] [--allow-outside]\n"
    "       pressrun watch ISSUE [build options]\n"
    "       pressrun proof ISSUE [-o FILE.png]\n"
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
    "  watch, proof, new   planned; not built yet\n"
    "\n"
    "Options:\n"
    "  -o, --out DIR        output folder (default: out/ beside the manifest)\n"
    "  --format LIST        comma-separated: pdf (screen), print (printer's PDF/X-4),\n"
    "                       epub (EPUB 3), articles, png (the last two not built\n"
    "                       yet); default: pdf,print,epub\n"
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

static bool is_dir_with(const char *dir, const char *sub)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/%s", dir, sub);
    return access(p, R_OK) == 0;
}

static const char *find_datadir(struct pr_arena *a)
{
    const char *env = getenv("PRESSRUN_DATADIR");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            const char *inst = pr_arena_printf(a, "%s/../share/pressrun", exe);
            if (is_dir_with(inst, "fonts") && is_dir_with(inst, "layouts"))
                return inst;
        }
    }
    if (is_dir_with(PR_SOURCE_DATADIR, "fonts") && is_dir_with(PR_SOURCE_DATADIR, "layouts"))
        return PR_SOURCE_DATADIR;
    return PR_INSTALL_DATADIR;
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
              {"articles", PR_FMT_ARTICLES, false},
              {"png", PR_FMT_PNG, false}};
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

int main(int argc, char **argv)
{
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
    if (strcmp(cmd, "watch") == 0 || strcmp(cmd, "proof") == 0 || strcmp(cmd, "new") == 0) {
        fprintf(stderr, "pressrun: the '%s' command is not built yet in this version\n", cmd);
        return 2;
    }
    if (strcmp(cmd, "build") != 0 && strcmp(cmd, "check") != 0)
        return usage_error("unknown command '%s'; commands are build and check", cmd);

    struct pr_build b;
    memset(&b, 0, sizeof b);
    b.opt.formats = PR_FMT_PDF | PR_FMT_PRINT | PR_FMT_EPUB;
    b.opt.check_only = strcmp(cmd, "check") == 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0 || strncmp(a, "--out=", 6) == 0) {
            v = a[1] == 'o' ? (i + 1 < argc ? argv[++i] : NULL) : opt_value(argc, argv, &i, "--out");
            if (!v)
                return usage_error("%s needs a folder", a);
            b.opt.out_dir = v;
        } else if (strncmp(a, "--format", 8) == 0 && (a[8] == 0 || a[8] == '=')) {
            v = opt_value(argc, argv, &i, "--format");
            if (!v)
                return usage_error("%s needs a list of formats", a);
            int rc = parse_formats(v, &b.opt.formats);
            if (rc)
                return rc;
        } else if (strncmp(a, "--layout", 8) == 0 && (a[8] == 0 || a[8] == '=')) {
            v = opt_value(argc, argv, &i, "--layout");
            if (!v)
                return usage_error("%s needs a layout name", a);
            b.opt.layout = v;
        } else if (strcmp(a, "--stats") == 0 || strcmp(a, "--stats=json") == 0) {
            b.opt.stats = a[7] ? 2 : 1;
        } else if (strcmp(a, "--dump=doc") == 0) {
            b.opt.dump = PR_DUMP_DOC;
        } else if (strcmp(a, "--dump=layout") == 0) {
            b.opt.dump = PR_DUMP_LAYOUT;
        } else if (strcmp(a, "--timings") == 0) {
            b.opt.timings = true;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            b.opt.quiet = true;
        } else if (strcmp(a, "--no-marks") == 0) {
            b.opt.no_marks = true;
        } else if (strcmp(a, "--allow-outside") == 0) {
            b.opt.allow_outside = true;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("unknown option '%s'", a);
        } else if (!b.opt.issue_arg) {
            b.opt.issue_arg = a;
        } else {
            return usage_error("unexpected argument '%s'; give one ISSUE", a);
        }
    }
    if (!b.opt.issue_arg)
        return usage_error("%s needs an ISSUE (a folder holding issue.yaml, or the manifest)", cmd);

    b.arena = pr_arena_new();
    pr_diags_init(&b.diags);
    b.diags.quiet = b.opt.quiet;
    b.datadir = find_datadir(b.arena);
    b.source_date = -1;
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end || v < 0) {
            fprintf(stderr, "pressrun: SOURCE_DATE_EPOCH='%s' is not a number of seconds; ignoring it\n", sde);
        } else
            b.source_date = v;
    }
    int rc = pr_build_run(&b);
    pr_diags_print(&b.diags, stderr);
    if (b.opt.check_only && !b.opt.quiet)
        fprintf(stderr, "pressrun: %u error%s, %u warning%s\n", b.diags.errors, b.diags.errors == 1 ? "" : "s",
                b.diags.warnings, b.diags.warnings == 1 ? "" : "s");
    if (rc == 0 && b.diags.errors)
        rc = 1;
    pr_diags_free(&b.diags);
    pr_arena_free(b.arena);
    return rc;
}

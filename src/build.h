/* build.h - the state of one build or check command, which the typesetter
 * and the back ends receive. main.c fills the options, build.c sets the
 * build up and runs the stages in order: manifest (+ layout, front matter)
 * -> markdown -> typeset -> back ends. The input stages (input.h) are given
 * only their own context, b->input. */
#ifndef PR_BUILD_H
#define PR_BUILD_H
#include <stdbool.h>
#include "arena.h"
#include "diag.h"
#include "input.h"
#include "model.h"

enum pr_format {
    PR_FMT_PDF = 1 << 0,
    PR_FMT_PRINT = 1 << 1,
    PR_FMT_EPUB = 1 << 2,
    PR_FMT_ARTICLES = 1 << 3,
    PR_FMT_PNG = 1 << 4,
    PR_FMT_PROOF = 1 << 5,      /* the flatplan (pressrun proof) */
};

enum pr_dump { PR_DUMP_NONE, PR_DUMP_DOC, PR_DUMP_LAYOUT };

struct pr_options {
    const char *issue_arg;      /* ISSUE as given */
    const char *out_dir;        /* -o; NULL = out/ beside the manifest */
    const char *layout;         /* --layout overrides the manifest */
    unsigned formats;           /* enum pr_format bits */
    enum pr_dump dump;
    int stats;                  /* 0 none, 1 text, 2 json */
    bool timings, quiet, check_only, allow_outside;
    bool strict;                /* --strict: warnings are errors (exit 1, nothing written) */
    bool no_marks;              /* --no-marks: print PDF without crop marks and slug */
    double dpi;                 /* --dpi: resolution of --format png (default 96) */
    int jobs;                   /* --jobs: typesetting threads; 0 = the processors, at most 4 */
    bool reuse;                 /* keep typeset paragraphs for the next build (watch) */
    bool screen_first;          /* the screen PDF into place as soon as it is written, the
                                   other formats when they are (watch); else all together */
    const char *proof_path;     /* pressrun proof -o FILE.png */
};

struct pr_build {
    struct pr_arena *arena;
    struct pr_diags diags;
    struct pr_options opt;
    /* the input stages' context, filled by pr_build_input_init: points at
     * arena and diags above, holds the data folder (fonts/, layouts/) and
     * opt.layout, opt.allow_outside. A copy of the build with an arena and
     * diagnostics of its own still points at the original's: it calls
     * pr_build_input_init again before it runs an input stage. */
    struct pr_input input;
    long long source_date;      /* SOURCE_DATE_EPOCH, or -1 */
    struct pr_issue *issue;
    int pages;                  /* pages typeset (for summaries) */
    long reused, shaped;        /* paragraphs taken from the last build / set anew (reuse) */
    /* progress report for long builds on a terminal (NULL: none); stages
     * call it with what they are doing, e.g. ("typesetting", 3, 64) */
    void (*progress)(struct pr_build *b, const char *stage, int done, int total);
    double started;             /* monotonic seconds at the start */
};

struct pr_build_summary {
    int errors, warnings, pages;
    long reused, shaped;        /* paragraphs (with opt.reuse) */
};

/* ---- whole build (build.c) ---- */
/* Fill b->input from b->arena, b->diags and b->opt (set them first) and
 * the data folder (pr_datadir, or a test's own). */
void pr_build_input_init(struct pr_build *b, const char *datadir);
/* Runs every stage (b->input filled). Returns 0 ok, 1 input errors, 3
 * output errors. */
int pr_build_run(struct pr_build *b);
/* One whole build or check from options: sets up the build (data folder,
 * SOURCE_DATE_EPOCH), runs it, prints the diagnostics, frees everything.
 * Returns the exit status; fills *sum when not NULL. */
int pr_build_main(const struct pr_options *opt, struct pr_build_summary *sum);
/* Free what builds keep for the next build in the same process (the typeset
 * paragraphs of opt.reuse). */
void pr_build_caches_free(void);
/* watch.c: build, then rebuild on every change of the issue's files, the
 * layouts or the fonts, until interrupted. Returns the exit status. */
int pr_watch_run(const struct pr_options *opt);
/* newissue.c: `pressrun new DIR [--from ISSUE]` (from may be NULL), as
 * main.c parsed it. Returns the exit status. */
int pr_new_run(const char *dir, const char *from);
/* A YAML double-quoted scalar of s, appended to g (a GString). */
struct _GString;
void pr_yaml_quote(struct _GString *g, const char *s);
/* import.c: `pressrun import FILE.docx|.odt [--to ISSUE]` (to may be NULL:
 * the current folder). Returns the exit status. */
int pr_import_run(const char *file, const char *to);
#endif
